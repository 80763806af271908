//! Streaming CSV input, columns looked up by header name, and the value
//! counts of one column of an optional table.

use crate::ReportError;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

/// Distinct values a category count keeps before lumping the rest together.
pub(crate) const CATEGORY_LIMIT: usize = 1_000;

/// The label of the values past [`CATEGORY_LIMIT`].
pub(crate) const OTHER: &str = "(other)";

/// An open CSV file: its header, then one record at a time.
pub(crate) struct Table {
    path: String,
    reader: csv::Reader<BufReader<File>>,
    header: Vec<String>,
    record: csv::StringRecord,
}

impl Table {
    /// Opens `path` and reads its header; `Ok(None)` when the file does not
    /// exist.
    pub(crate) fn open_optional(path: &Path) -> Result<Option<Table>, ReportError> {
        let name = path.display().to_string();
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(ReportError::Read {
                    path: name,
                    message: e.to_string(),
                })
            }
        };
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
        Ok(Some(Table {
            path: name,
            reader,
            header,
            record: csv::StringRecord::new(),
        }))
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
    /// count, invalid UTF-8) is an error naming the file and line.
    pub(crate) fn next_record(&mut self) -> Result<Option<&csv::StringRecord>, ReportError> {
        match self.reader.read_record(&mut self.record) {
            Ok(true) => Ok(Some(&self.record)),
            Ok(false) => Ok(None),
            Err(e) => Err(csv_error(&self.path, &e)),
        }
    }
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
    /// Data rows (the header excluded).
    pub(crate) rows: u64,
    /// The column's value counts; `None` when the table has no such column.
    pub(crate) values: Option<Categories>,
}

/// Reads `path` to the end, counting rows and the values of `column`;
/// `Ok(None)` when the file does not exist.
pub(crate) fn tally(path: &Path, column: Option<&str>) -> Result<Option<Tally>, ReportError> {
    let Some(mut table) = Table::open_optional(path)? else {
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
    Ok(Some(Tally { rows, values }))
}
