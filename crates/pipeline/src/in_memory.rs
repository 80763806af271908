//! `run_all` in memory: every table of a run as Arrow record batches, with
//! no file written. The chunk job is `run_all`'s own, and the batches are
//! the ones its Parquet files are encoded from, so a table here holds the
//! same types and values as the Parquet file of the same name.

use crate::run_all::{Job, TABLES};
use crate::{Format, PipelineError, RunAllOptions};
use novawireless_io::parquet::{RecordBatch, SchemaRef};
use novawireless_io::tables::{
    Agreements, Customers, Devices, Examples, Ledger, Lines, Manifest, Usage,
};
use novawireless_io::LedgerSchema;
use novawireless_io::TableDef;

/// One table of a run: its file stem (`customers`, `anomaly_manifest`, …),
/// schema and record batches, one per chunk of customers in order.
#[derive(Debug, Clone)]
pub struct ArrowTable {
    /// The file name without its extension.
    pub name: &'static str,
    /// The Arrow schema of the Parquet file.
    pub schema: SchemaRef,
    /// The rows, chunk by chunk.
    pub batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// The stem of each part of a chunk's output, in order, and its schema.
fn parts() -> [(&'static str, SchemaRef); TABLES] {
    let ledger = |anomaly_type, billing_agreement_type| {
        Ledger::schema(LedgerSchema {
            anomaly_type,
            billing_agreement_type,
        })
    };
    [
        ("customers", Customers::schema(())),
        ("lines", Lines::schema(())),
        ("devices", Devices::schema(())),
        ("eip_agreements", Agreements::schema(())),
        ("line_device_usage", Usage::schema(())),
        ("master_account_ledger", ledger(true, true)),
        ("master_account_ledger__anomalies", ledger(true, false)),
        ("imei_anomaly_examples", Examples::schema(())),
        ("anomaly_manifest", Manifest::schema(())),
        ("master_account_ledger__clean", ledger(true, true)),
    ]
}

/// The tables [`run_all_tables`] returns with `options`, in order, with no
/// rows: those of the files `run_all` writes (`customers_v1` holds the same
/// rows as `customers`), with the clean twin when asked for.
pub fn empty_tables(options: &RunAllOptions) -> Vec<ArrowTable> {
    let mut tables: Vec<ArrowTable> = parts()
        .into_iter()
        .map(|(name, schema)| ArrowTable {
            name,
            schema,
            batches: Vec::new(),
        })
        .collect();
    let mut copy = tables[0].clone();
    copy.name = "customers_v1";
    tables.insert(1, copy);
    if !options.clean_twin {
        tables.retain(|t| t.name != "master_account_ledger__clean");
    }
    tables
}

/// The names of [`empty_tables`].
pub fn table_names(options: &RunAllOptions) -> Vec<&'static str> {
    empty_tables(options).iter().map(|t| t.name).collect()
}

/// Runs `run_all`'s chunk job with `options` (the format, direct-I/O and
/// report settings do not apply) and returns its tables, those named in
/// `wanted` or all of [`table_names`]. The rows are those of the files
/// `run_all` writes with the same options.
pub fn run_all_tables(
    options: &RunAllOptions,
    wanted: Option<&[&str]>,
) -> Result<Vec<ArrowTable>, PipelineError> {
    let names = table_names(options);
    if let Some(unknown) = wanted.into_iter().flatten().find(|w| !names.contains(w)) {
        return Err(PipelineError::Input(format!(
            "no table is named {unknown:?}; the tables are {}",
            names.join(", ")
        )));
    }
    let keep = |name: &str| wanted.is_none_or(|w| w.contains(&name));
    let mut parts: Vec<ArrowTable> = parts()
        .into_iter()
        .map(|(name, schema)| ArrowTable {
            name,
            schema,
            batches: Vec::new(),
        })
        .collect();
    let job = Job::prepare(options, Format::Parquet)?;
    job.run(|o| {
        for (table, part) in parts.iter_mut().zip(&o.parts) {
            // `customers_v1` is a copy of `customers`.
            let kept = keep(table.name) || (table.name == "customers" && keep("customers_v1"));
            if let Some(batch) = part.batch.as_ref().filter(|_| kept) {
                table.batches.push(batch.clone());
            }
        }
        Ok(())
    })?;
    let mut tables = empty_tables(options);
    for table in &mut tables {
        let source = if table.name == "customers_v1" {
            "customers"
        } else {
            table.name
        };
        if let Some(part) = parts.iter().find(|p| p.name == source) {
            table.batches.clone_from(&part.batches);
        }
    }
    tables.retain(|t| keep(t.name));
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::run_all::{ANOMALIES, CLEAN, EXAMPLES, LEDGER, MANIFEST};
    use crate::{
        ANOMALY_LEDGER_FILE, CLEAN_LEDGER_FILE, EXAMPLES_FILE, LEDGER_FILE, MANIFEST_FILE,
        STEP1_FILES,
    };

    #[test]
    fn parts_are_named_as_the_files_in_order() {
        let names: Vec<&str> = parts().iter().map(|(n, _)| *n).collect();
        let stem = |file: &'static str| file.trim_end_matches(".csv");
        assert_eq!(names[0], stem(STEP1_FILES[0]));
        let step1: Vec<&str> = STEP1_FILES[2..6].iter().map(|f| stem(f)).collect();
        assert_eq!(names[1..5], step1[..]);
        assert_eq!(names[LEDGER], stem(LEDGER_FILE));
        assert_eq!(names[ANOMALIES], stem(ANOMALY_LEDGER_FILE));
        assert_eq!(names[EXAMPLES], stem(EXAMPLES_FILE));
        assert_eq!(names[MANIFEST], stem(MANIFEST_FILE));
        assert_eq!(names[CLEAN], stem(CLEAN_LEDGER_FILE));
    }
}
