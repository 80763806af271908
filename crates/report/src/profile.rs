//! Per-column statistics of a table (its cells as text, as a CSV file holds
//! them), accumulated row by row in bounded memory, and their spelling in
//! `customers_v1_profile.csv`.

use crate::number::{decimal, percentile, Moments, SplitMix64};
use std::collections::{HashMap, HashSet};
use std::fmt;

/// Distinct values of a column counted exactly (value → count). Up to this
/// many, `distinct`, `top_values` and the quantiles are exact at any row
/// count; every integer and money column of the customers table stays
/// below it.
pub const COUNTED_LIMIT: usize = 16_384;

/// Values kept per numeric column once it has more than [`COUNTED_LIMIT`]
/// distinct values. Up to this many rows every value is kept and the
/// quantiles are exact; past it they come from a uniform reservoir sample
/// of this size (Algorithm R), drawn with a SplitMix64 generator seeded
/// with [`SAMPLE_SEED`] plus the column's position, so the same file always
/// gives the same sample. Memory: 8 bytes per value, 16 MiB per column.
pub const SAMPLE_SIZE: usize = 1 << 21;

/// The seed of the reservoir samples (see [`SAMPLE_SIZE`]).
pub const SAMPLE_SEED: u64 = 0x4E6F_7661_5769_7265;

/// Distinct values tracked per column past [`COUNTED_LIMIT`], as 64-bit
/// FNV-1a hashes of their text (at 2^21 values the chance that two share a
/// hash is about 1 in 10^7). A column with more is reported as having more
/// than this many (`>2097152`). Memory: under 40 MB per such column.
pub const DISTINCT_LIMIT: usize = 1 << 21;

/// Columns with at most this many distinct values list their most frequent
/// values in `top_values`.
pub const TOP_VALUES_MAX_DISTINCT: usize = 50;

/// How many values `top_values` lists.
pub const TOP_VALUES: usize = 5;

/// The columns of `customers_v1_profile.csv`, in order.
pub const PROFILE_COLUMNS: &[&str] = &[
    "column",
    "type",
    "count",
    "missing",
    "distinct",
    "min",
    "max",
    "mean",
    "std",
    "p05",
    "p25",
    "p50",
    "p75",
    "p95",
    "top_values",
];

/// A column's type, judged from all its non-missing values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Every value is a whole number (`-1`, `24`).
    Integer,
    /// Every value is a finite number, some not whole (`62.15`).
    Float,
    /// Anything else, and a column without values.
    Text,
}

impl ColumnType {
    /// `integer`, `float` or `text`.
    pub fn as_str(self) -> &'static str {
        match self {
            ColumnType::Integer => "integer",
            ColumnType::Float => "float",
            ColumnType::Text => "text",
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How many distinct values a column has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Distinct {
    /// Exactly this many (printed as the number).
    Exact(u64),
    /// More than this many ([`DISTINCT_LIMIT`]; printed as `>2097152`).
    MoreThan(u64),
}

impl fmt::Display for Distinct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Distinct::Exact(n) => write!(f, "{n}"),
            Distinct::MoreThan(n) => write!(f, ">{n}"),
        }
    }
}

/// The statistics of a numeric column's non-missing values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NumericStats {
    /// The smallest value (exact).
    pub min: f64,
    /// The largest value (exact).
    pub max: f64,
    /// The mean (exact up to rounding; Welford's running mean).
    pub mean: f64,
    /// The sample standard deviation (n − 1); `None` below two values.
    pub std: Option<f64>,
    /// The 5th, 25th, 50th, 75th and 95th percentiles, by linear
    /// interpolation between the closest ranks (numpy's and pandas'
    /// default): with sorted values `x[0..n]` and `h = (n − 1)·p`, the
    /// p-quantile is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
    pub percentiles: [f64; 5],
    /// The percentiles come from a reservoir sample (see [`SAMPLE_SIZE`]).
    pub sampled: bool,
}

/// One row of `customers_v1_profile.csv`: the profile of one column.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnProfile {
    /// The column name.
    pub column: String,
    /// Its type.
    pub column_type: ColumnType,
    /// Non-missing values.
    pub count: u64,
    /// Missing values (empty fields).
    pub missing: u64,
    /// Distinct non-missing values, compared as text.
    pub distinct: Distinct,
    /// The numeric statistics; `None` for a text column.
    pub numeric: Option<NumericStats>,
    /// The up to [`TOP_VALUES`] most frequent values with their counts,
    /// most frequent first, ties broken by value (numerically in a numeric
    /// column, else by text); empty for a column with more than
    /// [`TOP_VALUES_MAX_DISTINCT`] distinct values.
    pub top_values: Vec<(String, u64)>,
}

impl ColumnProfile {
    /// The row's fields, spelled as in `customers_v1_profile.csv`: numbers
    /// with at most 6 decimals and no exponent, empty numeric fields for a
    /// text column, `top_values` as `value=count` joined with `; `.
    pub fn fields(&self) -> [String; 15] {
        let n = self.numeric.as_ref();
        let num = |f: fn(&NumericStats) -> f64| n.map(|s| decimal(f(s))).unwrap_or_default();
        let top = self
            .top_values
            .iter()
            .map(|(v, c)| format!("{v}={c}"))
            .collect::<Vec<_>>()
            .join("; ");
        [
            self.column.clone(),
            self.column_type.to_string(),
            self.count.to_string(),
            self.missing.to_string(),
            self.distinct.to_string(),
            num(|s| s.min),
            num(|s| s.max),
            num(|s| s.mean),
            n.and_then(|s| s.std).map(decimal).unwrap_or_default(),
            num(|s| s.percentiles[0]),
            num(|s| s.percentiles[1]),
            num(|s| s.percentiles[2]),
            num(|s| s.percentiles[3]),
            num(|s| s.percentiles[4]),
            top,
        ]
    }
}

/// The percentiles of [`NumericStats::percentiles`].
pub(crate) const PERCENTILES: [u64; 5] = [5, 25, 50, 75, 95];

/// The profile CSV: a header row and one row per column, `\n` line ends.
pub(crate) fn to_csv(profiles: &[ColumnProfile]) -> Vec<u8> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    // Writing into a Vec cannot fail.
    let _ = writer.write_record(PROFILE_COLUMNS);
    for p in profiles {
        let _ = writer.write_record(p.fields());
    }
    writer.into_inner().unwrap_or_default()
}

/// Accumulates the profile of every column of a table, one row at a time.
pub(crate) struct Profiler {
    columns: Vec<Accumulator>,
}

impl Profiler {
    /// A profiler for a table with these column names.
    pub(crate) fn new(header: &[String]) -> Self {
        let columns = header
            .iter()
            .enumerate()
            .map(|(i, name)| Accumulator::new(name, SAMPLE_SEED.wrapping_add(i as u64)))
            .collect();
        Profiler { columns }
    }

    /// Adds one row (a field short of the header counts as missing).
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        for (i, column) in self.columns.iter_mut().enumerate() {
            column.add(record.get(i).unwrap_or(""));
        }
    }

    /// The profile of every column, in header order.
    pub(crate) fn finish(self) -> Vec<ColumnProfile> {
        self.columns.into_iter().map(Accumulator::finish).collect()
    }
}

struct Accumulator {
    name: String,
    seed: u64,
    count: u64,
    missing: u64,
    integer: bool,
    numeric: bool,
    moments: Moments,
    values: Values,
}

enum Values {
    /// Every distinct value with its count (at most [`COUNTED_LIMIT`]).
    Counted(HashMap<String, u64>),
    /// Past [`COUNTED_LIMIT`] distinct values.
    Many(Box<Many>),
}

struct Many {
    /// FNV-1a hashes of the distinct values, until [`DISTINCT_LIMIT`].
    hashes: HashSet<u64>,
    /// More than [`DISTINCT_LIMIT`] distinct values were seen.
    saturated: bool,
    /// The values of a column that is still numeric.
    sample: Option<Reservoir>,
}

impl Accumulator {
    fn new(name: &str, seed: u64) -> Self {
        Accumulator {
            name: name.to_string(),
            seed,
            count: 0,
            missing: 0,
            integer: true,
            numeric: true,
            moments: Moments::default(),
            values: Values::Counted(HashMap::new()),
        }
    }

    fn add(&mut self, field: &str) {
        if field.is_empty() {
            self.missing += 1;
            return;
        }
        self.count += 1;
        let number = if self.numeric {
            match parse_number(field) {
                Some(x) => {
                    if self.integer && field.parse::<i64>().is_err() {
                        self.integer = false;
                    }
                    self.moments.add(x);
                    Some(x)
                }
                None => {
                    self.numeric = false;
                    self.integer = false;
                    if let Values::Many(many) = &mut self.values {
                        many.sample = None;
                    }
                    None
                }
            }
        } else {
            None
        };
        match &mut self.values {
            Values::Counted(counts) => {
                if let Some(n) = counts.get_mut(field) {
                    *n += 1;
                } else if counts.len() < COUNTED_LIMIT {
                    counts.insert(field.to_string(), 1);
                } else {
                    let mut many = Many::from_counts(counts, self.numeric, self.seed);
                    many.add(field, number);
                    self.values = Values::Many(Box::new(many));
                }
            }
            Values::Many(many) => many.add(field, number),
        }
    }

    fn finish(self) -> ColumnProfile {
        let column_type = if self.count == 0 || !self.numeric {
            ColumnType::Text
        } else if self.integer {
            ColumnType::Integer
        } else {
            ColumnType::Float
        };
        let numeric_column = column_type != ColumnType::Text;
        let (distinct, sorted, sampled, top_values) = match self.values {
            Values::Counted(counts) => {
                let distinct = Distinct::Exact(counts.len() as u64);
                let mut entries: Vec<(String, u64)> = counts.into_iter().collect();
                let sorted = if numeric_column {
                    let mut pairs: Vec<(f64, u64)> = entries
                        .iter()
                        .filter_map(|(v, c)| parse_number(v).map(|x| (x, *c)))
                        .collect();
                    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
                    pairs
                } else {
                    Vec::new()
                };
                let top = if entries.len() <= TOP_VALUES_MAX_DISTINCT {
                    entries.sort_by(|(va, ca), (vb, cb)| {
                        cb.cmp(ca)
                            .then_with(|| compare_values(va, vb, numeric_column))
                    });
                    entries.truncate(TOP_VALUES);
                    entries
                } else {
                    Vec::new()
                };
                (distinct, sorted, false, top)
            }
            Values::Many(many) => {
                let distinct = if many.saturated {
                    Distinct::MoreThan(DISTINCT_LIMIT as u64)
                } else {
                    Distinct::Exact(many.hashes.len() as u64)
                };
                let (sorted, sampled) = match many.sample {
                    Some(sample) if numeric_column => {
                        let sampled = sample.seen > sample.capacity as u64;
                        (sample.sorted(), sampled)
                    }
                    _ => (Vec::new(), false),
                };
                (distinct, sorted, sampled, Vec::new())
            }
        };
        let numeric = numeric_column.then(|| {
            let total = sorted.iter().map(|&(_, c)| c).sum::<u64>();
            NumericStats {
                min: self.moments.min(),
                max: self.moments.max(),
                mean: self.moments.mean(),
                std: self.moments.std(),
                percentiles: PERCENTILES.map(|p| percentile(&sorted, total, p)),
                sampled,
            }
        });
        ColumnProfile {
            column: self.name,
            column_type,
            count: self.count,
            missing: self.missing,
            distinct,
            numeric,
            top_values,
        }
    }
}

impl Many {
    /// Takes over from exact counts: their hashes, and (for a numeric
    /// column) their values, fed to the reservoir in text order so the
    /// sample does not depend on hash-map order.
    fn from_counts(counts: &HashMap<String, u64>, numeric: bool, seed: u64) -> Self {
        let hashes = counts.keys().map(|v| fnv1a(v)).collect();
        let sample = numeric.then(|| {
            let mut reservoir = Reservoir::new(SAMPLE_SIZE, seed);
            let mut entries: Vec<(&String, &u64)> = counts.iter().collect();
            entries.sort_unstable();
            for (value, &count) in entries {
                if let Some(x) = parse_number(value) {
                    for _ in 0..count {
                        reservoir.push(x);
                    }
                }
            }
            reservoir
        });
        Many {
            hashes,
            saturated: false,
            sample,
        }
    }

    fn add(&mut self, field: &str, number: Option<f64>) {
        if !self.saturated {
            let hash = fnv1a(field);
            if self.hashes.len() < DISTINCT_LIMIT {
                self.hashes.insert(hash);
            } else if !self.hashes.contains(&hash) {
                self.saturated = true;
                self.hashes = HashSet::new();
            }
        }
        if let (Some(sample), Some(x)) = (self.sample.as_mut(), number) {
            sample.push(x);
        }
    }
}

/// A uniform sample of at most `capacity` values of a stream (Algorithm R).
pub(crate) struct Reservoir {
    capacity: usize,
    seen: u64,
    values: Vec<f64>,
    rng: SplitMix64,
}

impl Reservoir {
    pub(crate) fn new(capacity: usize, seed: u64) -> Self {
        Reservoir {
            capacity,
            seen: 0,
            values: Vec::new(),
            rng: SplitMix64::new(seed),
        }
    }

    pub(crate) fn push(&mut self, x: f64) {
        self.seen += 1;
        if self.values.len() < self.capacity {
            self.values.push(x);
        } else {
            let j = self.rng.below(self.seen);
            if let Some(slot) = usize::try_from(j).ok().and_then(|j| self.values.get_mut(j)) {
                *slot = x;
            }
        }
    }

    /// The kept values as sorted `(value, count)` pairs.
    pub(crate) fn sorted(mut self) -> Vec<(f64, u64)> {
        self.values.sort_unstable_by(f64::total_cmp);
        let mut pairs: Vec<(f64, u64)> = Vec::new();
        for x in self.values {
            match pairs.last_mut() {
                Some((v, c)) if *v == x => *c += 1,
                _ => pairs.push((x, 1)),
            }
        }
        pairs
    }
}

/// A finite number, or `None` (`inf` and `NaN` are text here).
fn parse_number(field: &str) -> Option<f64> {
    field.parse::<f64>().ok().filter(|x| x.is_finite())
}

fn compare_values(a: &str, b: &str, numeric: bool) -> std::cmp::Ordering {
    let by_number = match (numeric, parse_number(a), parse_number(b)) {
        (true, Some(x), Some(y)) => x.total_cmp(&y),
        _ => std::cmp::Ordering::Equal,
    };
    by_number.then_with(|| a.cmp(b))
}

/// 64-bit FNV-1a: fixed forever, unlike the standard library's hasher.
pub(crate) fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(name: &str, values: impl IntoIterator<Item = String>) -> ColumnProfile {
        let mut p = Profiler::new(&[name.to_string()]);
        for v in values {
            p.add(&csv::StringRecord::from(vec![v]));
        }
        p.finish().remove(0)
    }

    #[test]
    fn past_the_counted_limit_distinct_and_quantiles_stay_exact() {
        // 0, 1, …, 20,000 (more than COUNTED_LIMIT distinct values), each
        // once, then 0 again: all kept, so the numbers are exact.
        let n = 20_000u64;
        let p = profile(
            "x",
            (0..=n).chain([0]).map(|i| (i as f64 / 4.0).to_string()),
        );
        assert_eq!(p.column_type, ColumnType::Float);
        assert_eq!(p.count, n + 2);
        assert_eq!(p.distinct, Distinct::Exact(n + 1));
        assert!(p.top_values.is_empty());
        let s = p.numeric.unwrap();
        assert!(!s.sampled);
        assert_eq!((s.min, s.max), (0.0, 5000.0));
        // Sorted: 0, 0, 0.25, 0.5, …; the median is rank 10,000.5 of
        // 0..=20,001, i.e. between 9,999/4 and 10,000/4.
        assert_eq!(s.percentiles[2], 2499.875);
    }

    #[test]
    fn a_text_value_late_in_a_numeric_column_makes_it_text() {
        let values = (0..COUNTED_LIMIT + 10)
            .map(|i| i.to_string())
            .chain(["n/a".to_string()]);
        let p = profile("x", values);
        assert_eq!(p.column_type, ColumnType::Text);
        assert_eq!(p.numeric, None);
        assert_eq!(p.distinct, Distinct::Exact(COUNTED_LIMIT as u64 + 11));
    }

    #[test]
    fn the_reservoir_is_uniform_and_fixed_by_its_seed() {
        let sample = |seed| {
            let mut r = Reservoir::new(1000, seed);
            for i in 0..100_000 {
                r.push(f64::from(i));
            }
            r.sorted()
        };
        let a = sample(1);
        assert_eq!(a, sample(1));
        assert_ne!(a, sample(2));
        assert_eq!(a.iter().map(|&(_, c)| c).sum::<u64>(), 1000);
        // The sample's median is near the stream's (49,999.5): with 1,000
        // values its standard error is about 1,600.
        let median = percentile(&a, 1000, 50);
        assert!((median - 49_999.5).abs() < 8_000.0, "{median}");
    }

    #[test]
    fn integers_floats_text_and_empty_columns() {
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            profile("a", strings(&["1", "-2", ""])).column_type,
            ColumnType::Integer
        );
        assert_eq!(
            profile("a", strings(&["1", "2.5"])).column_type,
            ColumnType::Float
        );
        assert_eq!(
            profile("a", strings(&["1", "inf"])).column_type,
            ColumnType::Text
        );
        let empty = profile("a", strings(&["", ""]));
        assert_eq!(empty.column_type, ColumnType::Text);
        assert_eq!((empty.count, empty.missing), (0, 2));
        assert_eq!(empty.distinct, Distinct::Exact(0));
    }

    #[test]
    fn top_value_ties_are_ordered_numerically_in_numeric_columns() {
        let values = ["10", "9", "10", "9", "1"].map(String::from);
        let p = profile("a", values);
        assert_eq!(
            p.top_values,
            vec![("9".into(), 2), ("10".into(), 2), ("1".into(), 1)]
        );
    }
}
