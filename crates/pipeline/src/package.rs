//! `datapackage.json`: the data dictionary of an output folder (README,
//! *Data dictionary*), written anew after every step's commit so that it
//! describes every table the folder then holds.

use crate::files::{
    AGREEMENTS_FILE, ANOMALY_LEDGER_FILE, BACKUP_FILE, CLEAN_LEDGER_FILE, CUSTOMER_FILES,
    DEVICES_FILE, EXAMPLES_FILE, LEDGER_FILE, LINES_FILE, MANIFEST_FILE, USAGE_FILE,
};
use crate::{Format, PipelineError};
use novawireless_io::datapackage::{columns_of, data_package, Resource};
use novawireless_io::read::TextTable;
use novawireless_io::schema::{Column, TableDef};
use novawireless_io::tables::{Agreements, Customers, Devices, Examples, Ledger, Lines};
use novawireless_io::tables::{Manifest, Usage};
use novawireless_io::{Encoder, FolderLock, OutputSet};
use std::path::Path;

/// The package's file name.
pub const PACKAGE_FILE: &str = "datapackage.json";

/// Every table a folder may hold, by CSV name, with its declared columns.
fn tables() -> [(&'static str, &'static [Column]); 12] {
    [
        (CUSTOMER_FILES[0], Customers::COLUMNS),
        (CUSTOMER_FILES[1], Customers::COLUMNS),
        (LINES_FILE, Lines::COLUMNS),
        (DEVICES_FILE, Devices::COLUMNS),
        (AGREEMENTS_FILE, Agreements::COLUMNS),
        (USAGE_FILE, Usage::COLUMNS),
        (LEDGER_FILE, Ledger::COLUMNS),
        (ANOMALY_LEDGER_FILE, Ledger::COLUMNS),
        (EXAMPLES_FILE, Examples::COLUMNS),
        (MANIFEST_FILE, Manifest::COLUMNS),
        (CLEAN_LEDGER_FILE, Ledger::COLUMNS),
        (BACKUP_FILE, Ledger::COLUMNS),
    ]
}

/// The files of table `file` (its CSV name) in `dir`, relative to `dir`:
/// `stem.ext` in the flat layout, or the parts `stem/part-K-of-N.ext` of
/// its table folder, in order of N then K.
fn table_files(dir: &Path, file: &str, format: Format) -> Vec<String> {
    let flat = format.file_name(file);
    if dir.join(&flat).is_file() {
        return vec![flat];
    }
    let stem = Format::stem(file).map_or(file, |(stem, _)| stem);
    let Ok(entries) = std::fs::read_dir(dir.join(stem)) else {
        return Vec::new();
    };
    let extension = format!(".{}", format.extension());
    let mut parts: Vec<(u64, u64, String)> = entries
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            let (k, n) = part_number(name.strip_suffix(&extension)?)?;
            Some((n, k, format!("{stem}/{name}")))
        })
        .collect();
    parts.sort();
    parts.into_iter().map(|(_, _, path)| path).collect()
}

/// `(K, N)` of a part's stem `part-K-of-N`.
fn part_number(stem: &str) -> Option<(u64, u64)> {
    let (k, n) = stem.strip_prefix("part-")?.split_once("-of-")?;
    Some((k.parse().ok()?, n.parse().ok()?))
}

/// The resources of `dir`'s tables in `format`: each table with a file,
/// with the columns its (first) file's header names. A file whose header
/// names a column its table does not declare is left out (it is not this
/// tool's).
pub(crate) fn resources(dir: &Path, format: Format) -> Result<Vec<Resource>, PipelineError> {
    let mut resources = Vec::new();
    for (file, declared) in tables() {
        let paths = table_files(dir, file, format);
        let Some(first) = paths.first() else {
            continue;
        };
        let table = TextTable::open(&dir.join(first))?;
        if let Some(columns) = columns_of(declared, table.header()) {
            resources.push(Resource {
                name: Format::stem(file)
                    .map_or(file, |(stem, _)| stem)
                    .to_string(),
                paths,
                columns,
            });
        }
    }
    Ok(resources)
}

/// The lock that serialises the package's writers: the shards of one run
/// share a folder, and each writes the package after its commit.
const PACKAGE_LOCK: &str = ".novawireless.datapackage.lock";

/// How long a writer waits for another shard's package write (which takes
/// milliseconds) before giving up.
const PACKAGE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// Writes `dir/datapackage.json` for the tables `dir` holds in `format`.
/// The folder is scanned and the package written under [`PACKAGE_LOCK`], so
/// that of two shards finishing together the last writer has seen both.
pub(crate) fn write_package(dir: &Path, format: Format) -> Result<(), PipelineError> {
    let started = std::time::Instant::now();
    let _lock = loop {
        match FolderLock::acquire_named(dir, "--out_dir", PACKAGE_LOCK) {
            Ok(lock) => break lock,
            Err(e) if started.elapsed() > PACKAGE_WAIT => return Err(PipelineError::Folder(e)),
            Err(_) => std::thread::sleep(std::time::Duration::from_millis(20)),
        }
    };
    let package = data_package(&resources(dir, format)?, format);
    let mut out = OutputSet::create(dir)?;
    out.json(PACKAGE_FILE, &package)?;
    out.commit()?;
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_listed_in_shard_order_and_strays_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("lines");
        std::fs::create_dir(&folder).unwrap();
        for name in [
            "part-10-of-12.csv",
            "part-2-of-12.csv",
            "part-1-of-12.csv",
            "part-1-of-12.parquet",
            "notes.csv",
            ".part-3-of-12.csv.77.novawireless-partial",
        ] {
            std::fs::write(folder.join(name), "x\n").unwrap();
        }
        assert_eq!(
            table_files(dir.path(), LINES_FILE, Format::Csv),
            [
                "lines/part-1-of-12.csv",
                "lines/part-2-of-12.csv",
                "lines/part-10-of-12.csv"
            ]
        );
        assert_eq!(
            table_files(dir.path(), LINES_FILE, Format::Parquet),
            ["lines/part-1-of-12.parquet"]
        );
        // A flat file is the table.
        std::fs::write(dir.path().join("lines.csv"), "x\n").unwrap();
        assert_eq!(
            table_files(dir.path(), LINES_FILE, Format::Csv),
            ["lines.csv"]
        );
        assert!(table_files(dir.path(), DEVICES_FILE, Format::Csv).is_empty());
        assert_eq!(part_number("part-3-of-4"), Some((3, 4)));
        assert_eq!(part_number("part-x-of-4"), None);
    }
}
