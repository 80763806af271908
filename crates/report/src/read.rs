//! Streaming table input in either format, columns looked up by header
//! name, and the value counts of one column of an optional table.
//!
//! A folder's tables are read in one format ([`folder_format`]); a table
//! `X` is read from `X.csv` or `X.parquet`, and is absent when the folder
//! has no such file. A Parquet table's cells are
//! read as the text its CSV twin holds ([`ParquetCells`]), so everything after
//! this module sees the same records from either format and the profile
//! comes out byte for byte the same.

use crate::ReportError;
use novawireless_io::read::TextTable;
use novawireless_io::InputError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Distinct values a category count keeps before lumping the rest together.
pub(crate) const CATEGORY_LIMIT: usize = 1_000;

/// The label of the values past [`CATEGORY_LIMIT`].
pub(crate) const OTHER: &str = "(other)";

/// An open table, CSV or Parquet: its header, then one record at a time
/// (the io crate's one reader, [`TextTable`]).
pub(crate) struct Table {
    /// The file's name in its folder (`customers.parquet`).
    file: String,
    text: TextTable,
    record: csv::StringRecord,
}

/// The format a folder's tables are read in: the io crate's.
pub(crate) use novawireless_io::Format;

/// Whether `path` exists; an error when that cannot be told.
fn exists(path: &Path) -> Result<bool, ReportError> {
    path.try_exists().map_err(|e| ReportError::Read {
        path: path.display().to_string(),
        message: e.to_string(),
    })
}

/// The format of the folder's tables: the one its customers table `file`
/// exists in; when it exists in both, the one `receipt_format` (the
/// receipt's `format`) names, CSV when it names none. `None` when neither
/// file exists.
pub(crate) fn folder_format(
    dir: &Path,
    file: &str,
    receipt_format: Option<&str>,
) -> Result<Option<Format>, ReportError> {
    let csv = exists(&dir.join(file))?;
    let parquet = exists(&dir.join(Format::Parquet.file_name(file)))?;
    Ok(match (csv, parquet) {
        (true, true) if receipt_format == Some("parquet") => Some(Format::Parquet),
        (true, _) => Some(Format::Csv),
        (false, true) => Some(Format::Parquet),
        (false, false) => None,
    })
}

/// The path of table `file` (a CSV file name) of `dir` in `format`, when
/// that file exists.
fn locate(dir: &Path, file: &str, format: Format) -> Result<Option<PathBuf>, ReportError> {
    let path = dir.join(format.file_name(file));
    Ok(exists(&path)?.then_some(path))
}

impl Table {
    /// Opens table `file` (named by its CSV file, `customers.csv`) of `dir`
    /// in `format` and reads its header; `Ok(None)` when the folder does not
    /// hold it in that format.
    pub(crate) fn open_optional(
        dir: &Path,
        file: &str,
        format: Format,
    ) -> Result<Option<Table>, ReportError> {
        let Some(path) = locate(dir, file, format)? else {
            return Ok(None);
        };
        let text = TextTable::open(&path).map_err(one_line)?;
        if text.header().is_empty() {
            return Err(one_line(InputError::file(text.path(), "no columns")));
        }
        Ok(Some(Table {
            file: text.file_name(),
            text,
            record: csv::StringRecord::new(),
        }))
    }

    /// The file's name in its folder (`customers.parquet`).
    pub(crate) fn file_name(&self) -> &str {
        &self.file
    }

    /// The column names, in file order.
    pub(crate) fn header(&self) -> &[String] {
        self.text.header()
    }

    /// The position of the first column called `name`.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.header().iter().position(|h| h == name)
    }

    /// The next record, `None` at the end; a malformed row (wrong field
    /// count, invalid UTF-8, an undecodable Parquet page) is an error naming
    /// the file and line.
    pub(crate) fn next_record(&mut self) -> Result<Option<&csv::StringRecord>, ReportError> {
        match self.text.next_record(&mut self.record) {
            Ok(Some(_)) => Ok(Some(&self.record)),
            Ok(None) => Ok(None),
            Err(e) => Err(one_line(e)),
        }
    }
}

/// An input error on one line (a decoder's message may hold line breaks).
fn one_line(e: InputError) -> ReportError {
    ReportError::Input(InputError {
        problem: e.problem.replace(['\r', '\n'], " "),
        ..e
    })
}

/// Value counts of one text column, with at most [`CATEGORY_LIMIT`]
/// distinct values; later new values are counted under [`OTHER`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Categories {
    /// Count per value.
    pub(crate) counts: BTreeMap<String, u64>,
    /// Empty fields.
    pub(crate) empty: u64,
}

impl Categories {
    /// Counts one value.
    pub(crate) fn add(&mut self, value: &str) {
        if value.is_empty() {
            self.empty += 1;
        } else if let Some(n) = self.counts.get_mut(value) {
            *n += 1;
        } else if self.counts.len() < CATEGORY_LIMIT {
            self.counts.insert(value.to_string(), 1);
        } else {
            *self.counts.entry(OTHER.to_string()).or_insert(0) += 1;
        }
    }
}

/// The row count of an optional table and the value counts of one of its
/// columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    /// The file read, by its name in the folder (`devices.csv`,
    /// `devices.parquet`).
    pub(crate) file: String,
    /// Data rows (the header excluded).
    pub(crate) rows: u64,
    /// The column's value counts; `None` when the table has no such column.
    pub(crate) values: Option<Categories>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parquet_twin_swaps_the_extension() {
        assert_eq!(
            Format::Parquet.file_name("customers.csv"),
            "customers.parquet"
        );
        assert_eq!(
            Format::Parquet.file_name("master_account_ledger.csv"),
            "master_account_ledger.parquet"
        );
    }
}
