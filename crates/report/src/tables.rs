//! `table_profile.csv`: a light profile of every column of every table of
//! the folder (type, rows, missing, distinct up to a cap, min, max, mean),
//! accumulated in a single streaming pass per table in fixed memory.

use crate::number::decimal;
use crate::profile::{ColumnProfile, ColumnType, Distinct};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// The hasher of a set of FNV-1a hashes: the key is a hash already, so it
/// is used as it is (SipHash over it again would double the work per cell).
#[derive(Default)]
struct Prehashed(u64);

impl Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// A set of FNV-1a hashes.
type HashSetOfHashes = HashSet<u64, BuildHasherDefault<Prehashed>>;

/// The tables profiled, by their CSV file names (the Parquet twin of
/// `X.csv` is `X.parquet`), in the order of `table_profile.csv`.
/// `customers_v1.csv`, the identical copy of `customers.csv`, is not read
/// again.
pub const PROFILED_TABLES: [&str; 11] = [
    "customers.csv",
    "lines.csv",
    "devices.csv",
    "eip_agreements.csv",
    "line_device_usage.csv",
    "master_account_ledger.csv",
    "master_account_ledger__anomalies.csv",
    "imei_anomaly_examples.csv",
    "anomaly_manifest.csv",
    "master_account_ledger__clean.csv",
    "master_account_ledger__pre_contract_fix.csv",
];

/// Distinct values counted exactly per column of `table_profile.csv`;
/// past this many the column is reported as `>1000`.
pub const TABLE_DISTINCT_LIMIT: usize = 1_000;

/// The columns of `table_profile.csv`, in order.
pub const TABLE_PROFILE_COLUMNS: [&str; 10] = [
    "table",
    "column",
    "type",
    "rows",
    "missing",
    "missing_share",
    "distinct",
    "min",
    "max",
    "mean",
];

/// One row of `table_profile.csv`: one column of one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    /// The table, without extension (`master_account_ledger`).
    pub table: String,
    /// The column name.
    pub column: String,
    /// Its type, judged from all its non-missing values.
    pub column_type: ColumnType,
    /// Rows of the table.
    pub rows: u64,
    /// Empty fields.
    pub missing: u64,
    /// Distinct non-missing values, exact up to [`TABLE_DISTINCT_LIMIT`].
    pub distinct: Distinct,
    /// Min, max and mean of a numeric column.
    pub range: Option<(f64, f64, f64)>,
}

impl TableColumn {
    /// The share of rows with the field empty (0 for an empty table).
    pub fn missing_share(&self) -> f64 {
        if self.rows == 0 {
            0.0
        } else {
            self.missing as f64 / self.rows as f64
        }
    }

    /// The row from a full column profile of the customers table, with
    /// `distinct` capped as for every other table.
    pub(crate) fn from_profile(table: &str, rows: u64, p: &ColumnProfile) -> Self {
        let distinct = match p.distinct {
            Distinct::Exact(n) if n <= TABLE_DISTINCT_LIMIT as u64 => Distinct::Exact(n),
            _ => Distinct::MoreThan(TABLE_DISTINCT_LIMIT as u64),
        };
        TableColumn {
            table: table.to_string(),
            column: p.column.clone(),
            column_type: p.column_type,
            rows,
            missing: p.missing,
            distinct,
            range: p.numeric.map(|s| (s.min, s.max, s.mean)),
        }
    }

    fn fields(&self) -> [String; 10] {
        let range = |f: fn(&(f64, f64, f64)) -> f64| self.range.as_ref().map(f).map(decimal);
        [
            self.table.clone(),
            self.column.clone(),
            self.column_type.to_string(),
            self.rows.to_string(),
            self.missing.to_string(),
            decimal(self.missing_share()),
            self.distinct.to_string(),
            range(|r| r.0).unwrap_or_default(),
            range(|r| r.1).unwrap_or_default(),
            range(|r| r.2).unwrap_or_default(),
        ]
    }
}

/// `table_profile.csv`: a header row and one row per column, `\n` line ends.
pub(crate) fn to_csv(columns: &[TableColumn]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = writer.write_record(TABLE_PROFILE_COLUMNS);
    for c in columns {
        let _ = writer.write_record(c.fields());
    }
    writer.into_inner().unwrap_or_default()
}

/// Distinct values a column compares directly before it hashes them: a
/// flag or a category is then found by a string comparison or two.
const SMALL: usize = 16;

/// The light profile of one column, one value at a time.
struct Light {
    missing: u64,
    numeric: bool,
    integer: bool,
    /// Count, sum, min and max of the numeric values.
    n: u64,
    sum: f64,
    min: f64,
    max: f64,
    /// The first [`SMALL`] distinct values.
    small: Vec<String>,
    /// FNV-1a hashes of the distinct values once past [`SMALL`].
    hashes: HashSetOfHashes,
    /// More than [`TABLE_DISTINCT_LIMIT`] distinct values were seen.
    saturated: bool,
}

impl Light {
    fn new() -> Self {
        Light {
            missing: 0,
            numeric: true,
            integer: true,
            n: 0,
            sum: 0.0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
            small: Vec::new(),
            hashes: HashSetOfHashes::default(),
            saturated: false,
        }
    }

    fn add(&mut self, field: &str) {
        if field.is_empty() {
            self.missing += 1;
            return;
        }
        if self.numeric {
            self.add_number(field);
        }
        if !self.saturated {
            self.add_distinct(field);
        }
    }

    /// A whole number is read as one (the cheaper parse), anything else as
    /// a finite float; text makes the column text for good.
    fn add_number(&mut self, field: &str) {
        let whole = if self.integer {
            whole_number(field)
        } else {
            None
        };
        let x = match whole {
            Some(v) => v as f64,
            None => match field.parse::<f64>().ok().filter(|x| x.is_finite()) {
                Some(x) => {
                    self.integer = false;
                    x
                }
                None => {
                    self.numeric = false;
                    self.integer = false;
                    return;
                }
            },
        };
        self.n += 1;
        self.sum += x;
        self.min = self.min.min(x);
        self.max = self.max.max(x);
    }

    fn add_distinct(&mut self, field: &str) {
        if self.hashes.is_empty() {
            if self.small.iter().any(|s| s == field) {
                return;
            }
            if self.small.len() < SMALL {
                self.small.push(field.to_string());
                return;
            }
            self.hashes = self
                .small
                .iter()
                .map(|s| crate::profile::fnv1a(s))
                .collect();
        }
        if self.hashes.insert(crate::profile::fnv1a(field))
            && self.hashes.len() > TABLE_DISTINCT_LIMIT
        {
            self.saturated = true;
            self.hashes = HashSetOfHashes::default();
            self.small = Vec::new();
        }
    }

    /// Distinct values seen.
    fn distinct(&self) -> Distinct {
        if self.saturated {
            Distinct::MoreThan(TABLE_DISTINCT_LIMIT as u64)
        } else if self.hashes.is_empty() {
            Distinct::Exact(self.small.len() as u64)
        } else {
            Distinct::Exact(self.hashes.len() as u64)
        }
    }
}

/// `field` as a whole number, as `str::parse::<i64>` reads it: a fast path
/// for an optional minus sign and up to 18 digits, the standard parser
/// for the rest.
fn whole_number(field: &str) -> Option<i64> {
    let bytes = field.as_bytes();
    let (negative, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.is_empty() || digits.len() > 18 {
        return field.parse().ok();
    }
    let mut value: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return field.parse().ok();
        }
        value = value * 10 + i64::from(b - b'0');
    }
    Some(if negative { -value } else { value })
}

/// Accumulates the light profile of every column of one table.
pub(crate) struct TableProfiler {
    table: String,
    names: Vec<String>,
    columns: Vec<Light>,
    rows: u64,
}

impl TableProfiler {
    /// A profiler for table `table` (no extension) with this header.
    pub(crate) fn new(table: &str, header: &[String]) -> Self {
        TableProfiler {
            table: table.to_string(),
            names: header.to_vec(),
            columns: header.iter().map(|_| Light::new()).collect(),
            rows: 0,
        }
    }

    /// Adds one row (a field short of the header counts as missing).
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        self.rows += 1;
        for (i, column) in self.columns.iter_mut().enumerate() {
            column.add(record.get(i).unwrap_or(""));
        }
    }

    /// One row per column, in header order.
    pub(crate) fn finish(self) -> Vec<TableColumn> {
        let rows = self.rows;
        let table = self.table;
        self.names
            .into_iter()
            .zip(self.columns)
            .map(|(column, light)| {
                let count = rows - light.missing;
                let column_type = if count == 0 || !light.numeric {
                    ColumnType::Text
                } else if light.integer {
                    ColumnType::Integer
                } else {
                    ColumnType::Float
                };
                let distinct = light.distinct();
                let mean = light.sum / light.n.max(1) as f64;
                TableColumn {
                    table: table.clone(),
                    column,
                    column_type,
                    rows,
                    missing: light.missing,
                    distinct,
                    range: (column_type != ColumnType::Text)
                        .then_some((light.min, light.max, mean)),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_distinct_and_range_per_column() {
        let header = ["a", "b", "c"].map(String::from);
        let mut p = TableProfiler::new("t", &header);
        for row in [
            ["1", "x", ""],
            ["2.5", "", ""],
            ["", "x", ""],
            ["4", "y", ""],
        ] {
            p.add(&csv::StringRecord::from(row.to_vec()));
        }
        let cols = p.finish();
        assert_eq!(cols[0].column_type, ColumnType::Float);
        assert_eq!((cols[0].rows, cols[0].missing), (4, 1));
        assert_eq!(cols[0].range, Some((1.0, 4.0, 2.5)));
        assert_eq!(cols[1].distinct, Distinct::Exact(2));
        assert_eq!(cols[1].missing, 1);
        assert_eq!(cols[2].missing_share(), 1.0);
        assert_eq!(cols[2].column_type, ColumnType::Text);
        let csv = String::from_utf8(to_csv(&cols)).unwrap();
        assert_eq!(csv.lines().nth(1), Some("t,a,float,4,1,0.25,3,1,4,2.5"));
    }

    #[test]
    fn distinct_values_are_counted_past_the_direct_comparisons() {
        let mut p = TableProfiler::new("t", &["k".to_string()]);
        for _ in 0..2 {
            for i in 0..(SMALL + 4) {
                p.add(&csv::StringRecord::from(vec![(i * 10).to_string()]));
            }
        }
        let cols = p.finish();
        assert_eq!(cols[0].distinct, Distinct::Exact(SMALL as u64 + 4));
        assert_eq!(cols[0].column_type, ColumnType::Integer);
        assert_eq!(cols[0].range, Some((0.0, 190.0, 95.0)));
    }

    #[test]
    fn whole_numbers_read_as_the_standard_parser_reads_them() {
        for text in [
            "0",
            "-0",
            "7",
            "-12",
            "+5",
            "007",
            "999999999999999999",
            "9223372036854775807",
            "9223372036854775808",
            "-",
            "",
            "1.5",
            "1e3",
            "12a",
            " 1",
        ] {
            assert_eq!(whole_number(text), text.parse::<i64>().ok(), "{text:?}");
        }
    }

    #[test]
    fn distinct_past_the_cap_is_a_lower_bound() {
        let mut p = TableProfiler::new("t", &["id".to_string()]);
        for i in 0..=TABLE_DISTINCT_LIMIT {
            p.add(&csv::StringRecord::from(vec![format!("ID{i}")]));
        }
        let cols = p.finish();
        assert_eq!(cols[0].distinct, Distinct::MoreThan(1000));
        assert_eq!(cols[0].distinct.to_string(), ">1000");
    }
}
