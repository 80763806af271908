//! Readers of the three input files. Columns are found by header name, so
//! their order does not matter; a UTF-8 byte-order mark and CRLF line ends
//! are accepted. Every refusal is an [`InputError`] naming the file and,
//! where one row is at fault, its line (the header is line 1).

use crate::{DefectId, DefectType, ManifestRow, Predictions};
use novawireless_io::read::TextTable;
use novawireless_model::UnknownVariant;
use novawireless_model::{IdError, Imei, ImeiError, LineId};
use std::collections::HashMap;
use std::fmt;
use std::path::Path;

/// A refused input file: `file:line: problem`, or `file: problem` when no
/// single line is at fault.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct InputError {
    /// The file, as given.
    pub path: String,
    /// The 1-based line at fault (1 is the header), when there is one.
    pub line: Option<u64>,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path, self.problem),
            None => write!(f, "{}: {}", self.path, self.problem),
        }
    }
}

/// What is wrong with an input file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// The table cannot be read: not readable, no header, a malformed
    /// CSV row (wrong field count, invalid UTF-8), a Parquet file that
    /// cannot be decoded.
    #[error("{0}")]
    Table(String),
    /// A column the file must have.
    #[error("missing column {0:?}")]
    MissingColumn(&'static str),
    /// A column that is read appears more than once in the header.
    #[error("column {0:?} appears twice")]
    RepeatedColumn(&'static str),
    /// Predictions with neither `flag` nor `score`.
    #[error("neither a flag nor a score column (one of them is needed besides line_id)")]
    NoVerdictColumn,
    /// Predictions with both `flag` and `score`.
    #[error("both a flag and a score column (keep one)")]
    BothVerdictColumns,
    /// Predictions with a `score` column, but no threshold.
    #[error("a score column needs --threshold")]
    ThresholdRequired,
    /// Predictions with a `flag` column, and a threshold.
    #[error("--threshold applies to a score column, but this file has a flag column")]
    ThresholdWithFlag,
    /// A `line_id` that is not a line id.
    #[error("column line_id: {0}")]
    BadLineId(IdError),
    /// A `flag` other than `0` or `1`.
    #[error("column flag: {0:?} is not 0 or 1")]
    BadFlag(String),
    /// A `score` that is not a finite number.
    #[error("column score: {0:?} is not a finite number")]
    BadScore(String),
    /// A line that the ledger does not have.
    #[error("line {line_id} is not in the ledger {ledger}")]
    UnknownLine {
        /// The line.
        line_id: LineId,
        /// The ledger file.
        ledger: String,
    },
    /// A second prediction for the same line.
    #[error("second prediction for {line_id} (the first is on line {first})")]
    DuplicatePrediction {
        /// The line.
        line_id: LineId,
        /// The line of the file holding the first prediction.
        first: u64,
    },
    /// A line that appears twice in the ledger.
    #[error("line {line_id} appears twice (first on line {first})")]
    DuplicateLine {
        /// The line.
        line_id: LineId,
        /// The line of the file where it first appears.
        first: u64,
    },
    /// A `defect_id` that is not a defect id.
    #[error("column defect_id: {0}")]
    BadDefectId(IdError),
    /// A defect id used twice in the manifest.
    #[error("defect {defect_id} appears twice (first on line {first})")]
    DuplicateDefect {
        /// The defect.
        defect_id: DefectId,
        /// The line of the file where it first appears.
        first: u64,
    },
    /// A `defect_type` that is none of the spellings.
    #[error("column defect_type: {0}")]
    BadDefectType(UnknownVariant),
    /// A `stage` other than the stage of the row's defect type.
    #[error("column stage: {value:?} is not {}, the stage of {defect_type}", defect_type.stage())]
    BadStage {
        /// The text of the column.
        value: String,
        /// The row's type.
        defect_type: DefectType,
    },
    /// A `customer_id` (or another id column) that is not a valid id.
    #[error("column {column}: {error}")]
    BadId {
        /// The column.
        column: &'static str,
        /// Why the text is not an id.
        error: IdError,
    },
    /// A non-empty `clean_value` or `injected_value` that is not an IMEI.
    #[error("column {column}: {error}")]
    BadImei {
        /// The column.
        column: &'static str,
        /// Why the text is not an IMEI.
        error: ImeiError,
    },
}

/// An open table (CSV, or Parquet by its extension) whose header has been
/// read: the io crate's one reader, [`TextTable`].
struct Table {
    path: String,
    text: TextTable,
    header: Vec<String>,
}

/// An error of the io crate's reader.
fn table_error(e: novawireless_io::InputError) -> InputError {
    InputError {
        path: e.file,
        line: e.line,
        problem: Problem::Table(e.problem),
    }
}

impl Table {
    fn open(path: &Path) -> Result<Self, InputError> {
        let text = TextTable::open(path).map_err(table_error)?;
        Ok(Table {
            path: text.path().to_string(),
            header: text.header().to_vec(),
            text,
        })
    }

    fn error(&self, line: u64, problem: Problem) -> InputError {
        InputError {
            path: self.path.clone(),
            line: Some(line),
            problem,
        }
    }

    /// The position of column `name`, `None` when absent.
    fn find(&self, name: &'static str) -> Result<Option<usize>, InputError> {
        let mut found = self.header.iter().enumerate().filter(|(_, h)| *h == name);
        let first = found.next().map(|(i, _)| i);
        if found.next().is_some() {
            return Err(self.error(1, Problem::RepeatedColumn(name)));
        }
        Ok(first)
    }

    /// The position of column `name`, which must be present.
    fn require(&self, name: &'static str) -> Result<usize, InputError> {
        self.find(name)?
            .ok_or_else(|| self.error(1, Problem::MissingColumn(name)))
    }

    /// Reads the next row into `record`; its line number, `None` at the end.
    fn next(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, InputError> {
        self.text.next_record(record).map_err(table_error)
    }
}

/// The lines of the ledger: every line a detector is scored on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineUniverse {
    source: String,
    /// Sorted, without repeats.
    lines: Vec<LineId>,
}

impl LineUniverse {
    /// The universe of `lines` (repeats are kept once); `source` names it
    /// in errors, e.g. the ledger's path.
    pub fn new(source: impl Into<String>, lines: impl IntoIterator<Item = LineId>) -> Self {
        let mut lines: Vec<LineId> = lines.into_iter().collect();
        lines.sort_unstable();
        lines.dedup();
        LineUniverse {
            source: source.into(),
            lines,
        }
    }

    /// Where the lines come from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether `line` is one of the lines.
    pub fn contains(&self, line: LineId) -> bool {
        self.lines.binary_search(&line).is_ok()
    }

    /// The number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// Whether there are no lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The lines, in id order.
    pub fn iter(&self) -> std::iter::Copied<std::slice::Iter<'_, LineId>> {
        self.lines.iter().copied()
    }

    fn check(&self, table: &Table, line: u64, line_id: LineId) -> Result<(), InputError> {
        if self.contains(line_id) {
            Ok(())
        } else {
            Err(table.error(
                line,
                Problem::UnknownLine {
                    line_id,
                    ledger: self.source.clone(),
                },
            ))
        }
    }
}

impl<'a> IntoIterator for &'a LineUniverse {
    type Item = LineId;
    type IntoIter = std::iter::Copied<std::slice::Iter<'a, LineId>>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

fn line_id(table: &Table, line: u64, text: &str) -> Result<LineId, InputError> {
    text.parse()
        .map_err(|e| table.error(line, Problem::BadLineId(e)))
}

/// Reads the `line_id` column of a ledger (every other column is ignored).
///
/// # Errors
/// The file cannot be read or is not CSV, has no `line_id` column, holds a
/// value that is not a line id, or holds a line twice.
pub fn read_ledger_lines(path: &Path) -> Result<LineUniverse, InputError> {
    let mut table = Table::open(path)?;
    let column = table.require("line_id")?;
    let mut record = csv::StringRecord::new();
    let mut seen: Vec<(LineId, u64)> = Vec::new();
    while let Some(line) = table.next(&mut record)? {
        seen.push((line_id(&table, line, &record[column])?, line));
    }
    seen.sort_unstable();
    // Of the repeated lines, report the one whose second appearance comes first.
    if let Some(pair) = seen
        .windows(2)
        .filter(|w| w[0].0 == w[1].0)
        .min_by_key(|w| w[1].1)
    {
        return Err(table.error(
            pair[1].1,
            Problem::DuplicateLine {
                line_id: pair[0].0,
                first: pair[0].1,
            },
        ));
    }
    Ok(LineUniverse {
        source: table.path,
        lines: seen.into_iter().map(|(id, _)| id).collect(),
    })
}

/// The columns of `anomaly_manifest.csv` (others are ignored). A manifest
/// written before `field` was renamed, with `column` in its place, is read
/// too.
pub const MANIFEST_COLUMNS: [&str; 9] = [
    "defect_id",
    "defect_type",
    "stage",
    "customer_id",
    "line_id",
    "partner_line_id",
    "field",
    "clean_value",
    "injected_value",
];

/// Reads `anomaly_manifest.csv`, every row checked: the ids well formed
/// and each defect id used once, a known type whose stage matches
/// [`DefectType::stage`], the line (not the partner) in `universe`, the
/// values empty or valid IMEIs.
///
/// # Errors
/// The first row (or the header) that fails a check.
pub fn read_manifest(path: &Path, universe: &LineUniverse) -> Result<Vec<ManifestRow>, InputError> {
    let mut table = Table::open(path)?;
    let mut at = [0usize; 9];
    for (slot, name) in at.iter_mut().zip(MANIFEST_COLUMNS) {
        *slot = match (name, table.find(name)?) {
            (_, Some(index)) => index,
            ("field", None) => match table.find("column")? {
                Some(index) => index,
                None => table.require(name)?,
            },
            (_, None) => table.require(name)?,
        };
    }
    let [defect_id, defect_type, stage, customer_id, line_col, partner, field, clean, injected] =
        at;
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    let mut ids: HashMap<DefectId, u64> = HashMap::new();
    while let Some(line) = table.next(&mut record)? {
        let err = |problem| table.error(line, problem);
        let id: DefectId = record[defect_id]
            .parse()
            .map_err(|e| err(Problem::BadDefectId(e)))?;
        if let Some(&first) = ids.get(&id) {
            return Err(err(Problem::DuplicateDefect {
                defect_id: id,
                first,
            }));
        }
        ids.insert(id, line);
        let kind: DefectType = record[defect_type]
            .parse()
            .map_err(|e| err(Problem::BadDefectType(e)))?;
        if record[stage] != kind.stage().to_string() {
            return Err(err(Problem::BadStage {
                value: record[stage].to_string(),
                defect_type: kind,
            }));
        }
        let customer = record[customer_id].parse().map_err(|error| {
            err(Problem::BadId {
                column: "customer_id",
                error,
            })
        })?;
        let line_id = line_id(&table, line, &record[line_col])?;
        universe.check(&table, line, line_id)?;
        let partner_line_id = match &record[partner] {
            "" => None,
            text => Some(text.parse().map_err(|error| {
                err(Problem::BadId {
                    column: "partner_line_id",
                    error,
                })
            })?),
        };
        let imei = |index: usize, column: &'static str| -> Result<Option<Imei>, InputError> {
            match &record[index] {
                "" => Ok(None),
                text => text
                    .parse()
                    .map(Some)
                    .map_err(|error| err(Problem::BadImei { column, error })),
            }
        };
        rows.push(ManifestRow {
            defect_id: id,
            defect_type: kind,
            stage: kind.stage(),
            customer_id: customer,
            line_id,
            partner_line_id,
            field: record[field].to_string(),
            clean_value: imei(clean, "clean_value")?,
            injected_value: imei(injected, "injected_value")?,
        });
    }
    Ok(rows)
}

/// Reads a detector's predictions: a `line_id` column and either a 0/1
/// `flag` column (then `threshold` must be `None`) or a numeric `score`
/// column (then `threshold` is required and a line is flagged when its
/// score is at least the threshold). Other columns are ignored. Lines of
/// `universe` without a row are left absent.
///
/// # Errors
/// The header breaks the rules above, or the first row with a malformed
/// line id, a line not in `universe`, a second prediction for a line, a
/// flag other than 0 or 1, or a score that is not a finite number
/// (`NaN` and `inf` included).
pub fn read_predictions(
    path: &Path,
    universe: &LineUniverse,
    threshold: Option<f64>,
) -> Result<Predictions, InputError> {
    let mut table = Table::open(path)?;
    let line_col = table.require("line_id")?;
    let verdict = match (table.find("flag")?, table.find("score")?, threshold) {
        (None, None, _) => return Err(table.error(1, Problem::NoVerdictColumn)),
        (Some(_), Some(_), _) => return Err(table.error(1, Problem::BothVerdictColumns)),
        (Some(_), None, Some(_)) => return Err(table.error(1, Problem::ThresholdWithFlag)),
        (None, Some(_), None) => return Err(table.error(1, Problem::ThresholdRequired)),
        (Some(flag), None, None) => Verdict::Flag(flag),
        (None, Some(score), Some(t)) => Verdict::Score(score, t),
    };
    let mut record = csv::StringRecord::new();
    let mut predictions = Predictions::new();
    let mut first_seen: HashMap<LineId, u64> = HashMap::new();
    while let Some(line) = table.next(&mut record)? {
        let line_id = line_id(&table, line, &record[line_col])?;
        universe.check(&table, line, line_id)?;
        if let Some(&first) = first_seen.get(&line_id) {
            return Err(table.error(line, Problem::DuplicatePrediction { line_id, first }));
        }
        first_seen.insert(line_id, line);
        let flagged = match verdict {
            Verdict::Flag(column) => match record[column].trim() {
                "0" => false,
                "1" => true,
                _ => return Err(table.error(line, Problem::BadFlag(record[column].to_string()))),
            },
            Verdict::Score(column, threshold) => match record[column].trim().parse::<f64>() {
                Ok(score) if score.is_finite() => score >= threshold,
                _ => return Err(table.error(line, Problem::BadScore(record[column].to_string()))),
            },
        };
        predictions.insert(line_id, flagged);
    }
    Ok(predictions)
}

#[derive(Clone, Copy)]
enum Verdict {
    /// The column position.
    Flag(usize),
    /// The column position and the threshold.
    Score(usize, f64),
}
