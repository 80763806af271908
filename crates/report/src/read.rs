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
use novawireless_io::cells::ParquetCells;
use novawireless_io::InputError;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

/// Distinct values a category count keeps before lumping the rest together.
pub(crate) const CATEGORY_LIMIT: usize = 1_000;

/// The label of the values past [`CATEGORY_LIMIT`].
pub(crate) const OTHER: &str = "(other)";

/// Where a table's records come from.
enum Source {
    Csv(csv::Reader<BufReader<File>>),
    Parquet(Box<ParquetCells>),
}

/// An open table, CSV or Parquet: its header, then one record at a time.
pub(crate) struct Table {
    /// The file's name in its folder (`customers.parquet`).
    file: String,
    /// The file as errors print it.
    path: String,
    source: Source,
    header: Vec<String>,
    record: csv::StringRecord,
}

/// The Parquet twin of a CSV file name: `customers.csv` → `customers.parquet`.
pub(crate) fn parquet_twin(file: &str) -> String {
    let stem = file.strip_suffix(".csv").unwrap_or(file);
    format!("{stem}.parquet")
}

/// The format a folder's tables are read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Parquet,
}

impl Format {
    /// The name of table `file` (a CSV file name) in this format.
    fn file_name(self, file: &str) -> String {
        match self {
            Format::Csv => file.to_string(),
            Format::Parquet => parquet_twin(file),
        }
    }
}

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
    let parquet = exists(&dir.join(parquet_twin(file)))?;
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
        let table = match format {
            Format::Parquet => Table::open_parquet(&path)?,
            Format::Csv => Table::open_csv(&path)?,
        };
        Ok(Some(table))
    }

    fn open_csv(path: &Path) -> Result<Table, ReportError> {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| ReportError::Read {
            path: name.clone(),
            message: e.to_string(),
        })?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(BufReader::new(file));
        let header = reader.headers().map_err(|e| csv_error(&name, &e))?;
        if header.is_empty() || (header.len() == 1 && header.get(0) == Some("")) {
            return Err(ReportError::Empty { path: name });
        }
        let header = header
            .iter()
            .enumerate()
            .map(|(i, h)| {
                // A byte-order mark is not part of the first column's name.
                if i == 0 {
                    h.trim_start_matches('\u{feff}').to_string()
                } else {
                    h.to_string()
                }
            })
            .collect();
        Ok(Table {
            file: file_name(path),
            path: name,
            source: Source::Csv(reader),
            header,
            record: csv::StringRecord::new(),
        })
    }

    /// Opens a Parquet table; a file that is not Parquet, has no columns
    /// or has a column of a type without a text form (lists, structs,
    /// binary, …) is refused.
    fn open_parquet(path: &Path) -> Result<Table, ReportError> {
        let name = path.display().to_string();
        let cells = ParquetCells::open(path, &name).map_err(parquet_error)?;
        if cells.header().is_empty() {
            return Err(parquet_error(InputError(format!("{name}: no columns"))));
        }
        let header = cells.header().to_vec();
        Ok(Table {
            file: file_name(path),
            path: name,
            source: Source::Parquet(Box::new(cells)),
            header,
            record: csv::StringRecord::new(),
        })
    }

    /// The column names, in file order.
    pub(crate) fn header(&self) -> &[String] {
        &self.header
    }

    /// The position of the first column called `name`.
    pub(crate) fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The next record, `None` at the end; a malformed row (wrong field
    /// count, invalid UTF-8, an undecodable Parquet page) is an error naming
    /// the file and line.
    pub(crate) fn next_record(&mut self) -> Result<Option<&csv::StringRecord>, ReportError> {
        match &mut self.source {
            Source::Csv(reader) => match reader.read_record(&mut self.record) {
                Ok(true) => Ok(Some(&self.record)),
                Ok(false) => Ok(None),
                Err(e) => Err(csv_error(&self.path, &e)),
            },
            Source::Parquet(cells) => match cells.next_record(&mut self.record) {
                Ok(Some(_)) => Ok(Some(&self.record)),
                Ok(None) => Ok(None),
                Err(e) => Err(parquet_error(e)),
            },
        }
    }
}

/// The name of `path` in its folder.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}

/// A Parquet error as one line.
fn parquet_error(e: InputError) -> ReportError {
    ReportError::Parquet(InputError(e.0.replace(['\r', '\n'], " ")))
}

fn csv_error(path: &str, e: &csv::Error) -> ReportError {
    let line = e.position().map_or(1, csv::Position::line);
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => format!("wrong field count: {len} fields where the header has {expected_len}"),
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    };
    ReportError::Csv {
        path: path.to_string(),
        line,
        message: message.replace('\n', " "),
    }
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

/// Reads table `file` of `dir` (in either format) to the end, counting rows
/// and the values of `column`; `Ok(None)` when the table is absent.
pub(crate) fn tally(
    dir: &Path,
    file: &str,
    format: Format,
    column: Option<&str>,
) -> Result<Option<Tally>, ReportError> {
    let Some(mut table) = Table::open_optional(dir, file, format)? else {
        return Ok(None);
    };
    let at = column.and_then(|c| table.column(c));
    let mut values = at.map(|_| Categories::default());
    let mut rows = 0u64;
    while let Some(record) = table.next_record()? {
        rows += 1;
        if let (Some(i), Some(v)) = (at, values.as_mut()) {
            v.add(record.get(i).unwrap_or(""));
        }
    }
    Ok(Some(Tally {
        file: table.file,
        rows,
        values,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parquet_twin_swaps_the_extension() {
        assert_eq!(parquet_twin("customers.csv"), "customers.parquet");
        assert_eq!(
            parquet_twin("master_account_ledger.csv"),
            "master_account_ledger.parquet"
        );
    }
}
