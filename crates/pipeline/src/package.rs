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
use novawireless_io::OutputSet;
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

/// The resources of `dir`'s tables in `format`: each table whose file
/// exists, with the columns its header names. A file whose header names a
/// column its table does not declare is left out (it is not this tool's).
pub(crate) fn resources(dir: &Path, format: Format) -> Result<Vec<Resource>, PipelineError> {
    let mut resources = Vec::new();
    for (file, declared) in tables() {
        let name = format.file_name(file);
        let path = dir.join(&name);
        if !path.is_file() {
            continue;
        }
        let table = TextTable::open(&path)?;
        if let Some(columns) = columns_of(declared, table.header()) {
            resources.push(Resource {
                name: Format::stem(file)
                    .map_or(file, |(stem, _)| stem)
                    .to_string(),
                paths: vec![name],
                columns,
            });
        }
    }
    Ok(resources)
}

/// Writes `dir/datapackage.json` for the tables `dir` holds in `format`.
pub(crate) fn write_package(dir: &Path, format: Format) -> Result<(), PipelineError> {
    let package = data_package(&resources(dir, format)?, format);
    let mut out = OutputSet::create(dir)?;
    out.json(PACKAGE_FILE, &package)?;
    out.commit()?;
    Ok(())
}
