//! The names of the files the steps write and read (CSV names; see
//! [`crate::Format::file_name`] for the Parquet ones), and where they go in
//! an output folder with either layout ([`table_path`]).

/// The customers table, under its two names.
pub const CUSTOMER_FILES: &[&str] = &["customers.csv", "customers_v1.csv"];
/// The lines table.
pub const LINES_FILE: &str = "lines.csv";
/// The device inventory.
pub const DEVICES_FILE: &str = "devices.csv";
/// The EIP agreements.
pub const AGREEMENTS_FILE: &str = "eip_agreements.csv";
/// The usage snapshot.
pub const USAGE_FILE: &str = "line_device_usage.csv";
/// Step 1's receipt.
pub const STEP1_RECEIPT: &str = "customer_generation_receipt.json";

/// The files step 1 writes, in order (the receipt comes last).
pub const STEP1_FILES: &[&str] = &[
    CUSTOMER_FILES[0],
    CUSTOMER_FILES[1],
    LINES_FILE,
    DEVICES_FILE,
    AGREEMENTS_FILE,
    USAGE_FILE,
    STEP1_RECEIPT,
];

/// The ledger file every step after 1 reads and writes.
pub const LEDGER_FILE: &str = "master_account_ledger.csv";
/// Step 2's receipt.
pub const LEDGER_RECEIPT: &str = "master_account_ledger_receipt.json";
/// The ledger with the injected anomalies and their labels.
pub const ANOMALY_LEDGER_FILE: &str = "master_account_ledger__anomalies.csv";
/// Rows with a label or a friction flag.
pub const EXAMPLES_FILE: &str = "imei_anomaly_examples.csv";
/// One row per injected defect (stages 1 and 3), with clean and injected values.
pub const MANIFEST_FILE: &str = "anomaly_manifest.csv";
/// Step 3's receipt.
pub const ANOMALY_RECEIPT: &str = "imei_anomaly_injection_receipt.json";
/// The copy of the ledger step 4 writes before changing it.
pub const BACKUP_FILE: &str = "master_account_ledger__pre_contract_fix.csv";
/// The ledger of the same population with no defect injected.
pub const CLEAN_LEDGER_FILE: &str = "master_account_ledger__clean.csv";

use crate::{Format, Layout, Shard};
use std::path::PathBuf;

/// The folder of a tables-layout run's receipts, one subfolder per shard;
/// engines skip names starting with `_`.
pub const RECEIPTS_FOLDER: &str = "_receipts";

/// The path, relative to the output folder, of table `stem` (`customers`,
/// or a file name such as `customers.csv`) written in `format` with
/// `layout` by shard `shard` (`None`: an unsharded run): `customers.csv`
/// flat, whatever the shard (each shard of a flat run has its own
/// folder), and `customers/part-K-of-N.csv` with the tables layout
/// (`part-1-of-1` unsharded). See README, *Scale and sharding*.
///
/// ```
/// use novawireless_pipeline::{table_path, Format, Layout, Shard};
/// let shard = Some(Shard { index: 2, count: 8 });
/// let path = table_path("lines", Format::Parquet, Layout::Tables, shard);
/// assert_eq!(path, std::path::Path::new("lines/part-2-of-8.parquet"));
/// assert_eq!(table_path("lines.csv", Format::Csv, Layout::Flat, shard).to_str(), Some("lines.csv"));
/// ```
pub fn table_path(stem: &str, format: Format, layout: Layout, shard: Option<Shard>) -> PathBuf {
    PathBuf::from(Place { layout, shard }.table(stem, format))
}

/// Where a run puts its files in its folder: its layout and its shard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Place {
    /// Flat files or table folders.
    pub(crate) layout: Layout,
    /// The run's shard; `None` for all customers.
    pub(crate) shard: Option<Shard>,
}

impl Place {
    /// The place of a step run alone (steps have no `--shard`).
    pub(crate) fn unsharded(layout: Layout) -> Self {
        Place {
            layout,
            shard: None,
        }
    }

    /// The name of this shard's part, `part-K-of-N` (`part-1-of-1`
    /// unsharded).
    pub(crate) fn part(self) -> String {
        let (k, n) = self.shard.map_or((1, 1), |s| (s.index, s.count));
        format!("part-{k}-of-{n}")
    }

    /// The stem a table is written under: `customers`, or
    /// `customers/part-K-of-N` with the tables layout.
    pub(crate) fn stem(self, name: &str) -> String {
        let stem = Format::stem(name).map_or(name, |(stem, _)| stem);
        match self.layout {
            Layout::Flat => stem.to_string(),
            Layout::Tables => format!("{stem}/{}", self.part()),
        }
    }

    /// The file of table `name` in `format`, relative to the folder.
    pub(crate) fn table(self, name: &str, format: Format) -> String {
        format.file_name(&self.stem(name))
    }

    /// The file of receipt `name`, relative to the folder: beside the
    /// tables flat, in `_receipts/part-K-of-N/` with the tables layout.
    pub(crate) fn receipt(self, name: &str) -> String {
        match self.layout {
            Layout::Flat => name.to_string(),
            Layout::Tables => format!("{RECEIPTS_FOLDER}/{}/{name}", self.part()),
        }
    }

    /// The lock file the run holds in its folders: one per folder flat,
    /// one per shard with the tables layout, so that the shards of a run
    /// share a folder while two runs of one shard exclude each other.
    pub(crate) fn lock_file(self) -> String {
        match self.layout {
            Layout::Flat => novawireless_io::LOCK_FILE.to_string(),
            Layout::Tables => format!(".novawireless.{}.lock", self.part()),
        }
    }

    /// The layout as receipts record it: only the tables layout is
    /// recorded, so flat receipts keep their bytes.
    pub(crate) fn recorded_layout(self) -> Option<&'static str> {
        (self.layout == Layout::Tables).then_some(Layout::Tables.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_name_parts_receipts_and_locks() {
        let shard = Some(Shard { index: 3, count: 4 });
        let tables = Place {
            layout: Layout::Tables,
            shard,
        };
        assert_eq!(
            tables.table(LEDGER_FILE, Format::Csv),
            "master_account_ledger/part-3-of-4.csv"
        );
        assert_eq!(
            tables.table("customers_v1", Format::Parquet),
            "customers_v1/part-3-of-4.parquet"
        );
        assert_eq!(
            tables.receipt(STEP1_RECEIPT),
            "_receipts/part-3-of-4/customer_generation_receipt.json"
        );
        assert_eq!(tables.lock_file(), ".novawireless.part-3-of-4.lock");
        assert_eq!(Place::unsharded(Layout::Tables).part(), "part-1-of-1");
        let flat = Place {
            layout: Layout::Flat,
            shard,
        };
        assert_eq!(
            flat.table(LEDGER_FILE, Format::Parquet),
            "master_account_ledger.parquet"
        );
        assert_eq!(flat.receipt(STEP1_RECEIPT), STEP1_RECEIPT);
        assert_eq!(flat.lock_file(), ".novawireless.lock");
        assert_eq!(flat.recorded_layout(), None);
        assert_eq!(tables.recorded_layout(), Some("tables"));
    }
}
