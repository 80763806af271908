//! The association heatmap of the customers table: for every pair of its
//! columns, Cramér's V (two categorical columns), the correlation ratio η
//! (a numeric column given a categorical one) or |Pearson's r| (two numeric
//! columns), from contingency counts and sums accumulated in a second
//! streaming pass, in memory fixed by the number of columns.

use crate::profile::{ColumnProfile, ColumnType, Distinct, TOP_VALUES_MAX_DISTINCT};
use crate::stats::{correlation_ratio, cramers_v, PairSums, Sums};

/// An integer column with at most this many distinct values (flags,
/// line counts, device terms) is categorical.
pub const CATEGORICAL_MAX_INTEGERS: u64 = 12;

/// How a column enters the heatmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A few values (text with at most 50 distinct values, or an integer
    /// column with at most [`CATEGORICAL_MAX_INTEGERS`]).
    Categorical,
    /// A number with many values.
    Numeric,
}

/// Which measure a cell holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Cramér's V of two categorical columns.
    CramersV,
    /// The correlation ratio η of the numeric column given the categorical.
    Eta,
    /// The absolute Pearson correlation of two numeric columns.
    Pearson,
}

impl Measure {
    /// Its short name on the page.
    pub fn symbol(self) -> &'static str {
        match self {
            Measure::CramersV => "V",
            Measure::Eta => "η",
            Measure::Pearson => "|r|",
        }
    }
}

/// The heatmap: the columns in file order and the value of every pair.
#[derive(Debug, Clone, PartialEq)]
pub struct Associations {
    /// The columns compared, with their kind.
    pub columns: Vec<(String, Kind)>,
    /// `cells[i][j]` (symmetric): the measure and its value in [0, 1];
    /// `None` on the diagonal and where a pair has no spread.
    pub cells: Vec<Vec<Option<(Measure, f64)>>>,
    /// Columns left out: constant, empty or identifiers.
    pub left_out: Vec<String>,
}

/// The kind of a profiled column; `None` for a constant or empty column
/// or text with many values (identifiers).
pub(crate) fn kind_of(p: &ColumnProfile) -> Option<Kind> {
    let Distinct::Exact(distinct) = p.distinct else {
        return (p.column_type != ColumnType::Text).then_some(Kind::Numeric);
    };
    if distinct < 2 {
        return None;
    }
    match p.column_type {
        ColumnType::Text => {
            (distinct <= TOP_VALUES_MAX_DISTINCT as u64).then_some(Kind::Categorical)
        }
        ColumnType::Integer if distinct <= CATEGORICAL_MAX_INTEGERS => Some(Kind::Categorical),
        _ => Some(Kind::Numeric),
    }
}

/// One column's place in the accumulator.
struct Slot {
    at: usize,
    kind: Kind,
    /// A numeric column's shift (its mean).
    shift: f64,
    /// A categorical column's levels, by first appearance (at most 50, so
    /// a scan beats hashing).
    levels: Vec<String>,
}

/// Accumulates the pairs' counts and sums.
pub(crate) struct AssociationPass {
    slots: Vec<Slot>,
    names: Vec<String>,
    left_out: Vec<String>,
    /// Per pair (i < j): a contingency table (cat × cat, flattened),
    /// sums per level (numeric × categorical) or pair sums.
    pairs: Vec<Pair>,
    /// The codes of the current row.
    codes: Vec<Option<Value>>,
}

#[derive(Clone, Copy)]
enum Value {
    Level(usize),
    Number(f64),
}

enum Pair {
    Counts(Vec<u64>),
    Groups(Vec<Sums>),
    Numbers(PairSums),
}

const LEVELS: usize = TOP_VALUES_MAX_DISTINCT;

impl AssociationPass {
    /// The accumulator for a customers table with this header and these
    /// profiles (from the first pass).
    pub(crate) fn new(header: &[String], profiles: &[ColumnProfile]) -> Self {
        let mut slots = Vec::new();
        let mut names = Vec::new();
        let mut left_out = Vec::new();
        for (at, p) in profiles.iter().enumerate().take(header.len()) {
            match kind_of(p) {
                Some(kind) => {
                    slots.push(Slot {
                        at,
                        kind,
                        shift: p.numeric.map_or(0.0, |s| s.mean),
                        levels: Vec::new(),
                    });
                    names.push(p.column.clone());
                }
                None => left_out.push(p.column.clone()),
            }
        }
        let mut pairs = Vec::new();
        for i in 0..slots.len() {
            for j in i + 1..slots.len() {
                pairs.push(match (slots[i].kind, slots[j].kind) {
                    (Kind::Categorical, Kind::Categorical) => {
                        Pair::Counts(vec![0; LEVELS * LEVELS])
                    }
                    (Kind::Numeric, Kind::Numeric) => Pair::Numbers(PairSums::default()),
                    _ => Pair::Groups(vec![Sums::default(); LEVELS]),
                });
            }
        }
        let codes = vec![None; slots.len()];
        AssociationPass {
            slots,
            names,
            left_out,
            pairs,
            codes,
        }
    }

    /// Adds one customer row.
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        for (slot, code) in self.slots.iter_mut().zip(self.codes.iter_mut()) {
            let field = record.get(slot.at).unwrap_or("");
            *code = if field.is_empty() {
                None
            } else {
                match slot.kind {
                    Kind::Numeric => field
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .map(|x| Value::Number(x - slot.shift)),
                    Kind::Categorical => level(&mut slot.levels, field).map(Value::Level),
                }
            };
        }
        let n = self.slots.len();
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                if let (Some(a), Some(b)) = (self.codes[i], self.codes[j]) {
                    add_pair(&mut self.pairs[k], a, b);
                }
                k += 1;
            }
        }
    }

    /// The heatmap.
    pub(crate) fn finish(self) -> Associations {
        let n = self.slots.len();
        let mut cells = vec![vec![None; n]; n];
        // The pairs are in the order (0, 1), (0, 2), …, (1, 2), ….
        let order = (0..n).flat_map(|i| (i + 1..n).map(move |j| (i, j)));
        for ((i, j), pair) in order.zip(&self.pairs) {
            let value = measure(pair);
            cells[i][j] = value;
            cells[j][i] = value;
        }
        Associations {
            columns: self
                .names
                .into_iter()
                .zip(self.slots.iter().map(|s| s.kind))
                .collect(),
            cells,
            left_out: self.left_out,
        }
    }
}

/// The level of a categorical value; `None` past [`LEVELS`] levels (the
/// first pass guarantees there are no more).
fn level(levels: &mut Vec<String>, field: &str) -> Option<usize> {
    if let Some(l) = levels.iter().position(|v| v == field) {
        return Some(l);
    }
    let next = levels.len();
    (next < LEVELS).then(|| {
        levels.push(field.to_string());
        next
    })
}

fn add_pair(pair: &mut Pair, a: Value, b: Value) {
    match (pair, a, b) {
        (Pair::Counts(t), Value::Level(x), Value::Level(y)) => t[x * LEVELS + y] += 1,
        (Pair::Numbers(s), Value::Number(x), Value::Number(y)) => s.add(x, y),
        (Pair::Groups(sums), Value::Number(x), Value::Level(l))
        | (Pair::Groups(sums), Value::Level(l), Value::Number(x)) => sums[l].add(x),
        _ => {}
    }
}

fn measure(pair: &Pair) -> Option<(Measure, f64)> {
    match pair {
        Pair::Counts(t) => {
            let table: Vec<Vec<u64>> = t.chunks(LEVELS).map(<[u64]>::to_vec).collect();
            cramers_v(&table).map(|v| (Measure::CramersV, v))
        }
        Pair::Numbers(s) => s.pearson().map(|r| (Measure::Pearson, r.abs())),
        Pair::Groups(sums) => {
            let groups: Vec<(u64, f64, f64)> =
                sums.iter().map(|s| (s.n, s.sum, s.squares)).collect();
            correlation_ratio(&groups).map(|e| (Measure::Eta, e))
        }
    }
}

impl Associations {
    /// The pairs whose value is at least `threshold`, each once (`i < j`),
    /// in column order.
    pub fn strong_pairs(&self, threshold: f64) -> Vec<(&str, &str, Measure, f64)> {
        let mut out = Vec::new();
        for (i, row) in self.cells.iter().enumerate() {
            for (j, cell) in row.iter().enumerate().skip(i + 1) {
                if let Some((m, v)) = cell {
                    if *v >= threshold {
                        out.push((
                            self.columns[i].0.as_str(),
                            self.columns[j].0.as_str(),
                            *m,
                            *v,
                        ));
                    }
                }
            }
        }
        out
    }

    /// The value of the pair of columns named `a` and `b`.
    pub fn get(&self, a: &str, b: &str) -> Option<(Measure, f64)> {
        let i = self.columns.iter().position(|(c, _)| c == a)?;
        let j = self.columns.iter().position(|(c, _)| c == b)?;
        self.cells[i][j]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profiler;

    fn run(header: &[&str], rows: &[&[&str]]) -> Associations {
        let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
        let mut p = Profiler::new(&header);
        let records: Vec<csv::StringRecord> = rows
            .iter()
            .map(|r| csv::StringRecord::from(r.to_vec()))
            .collect();
        for r in &records {
            p.add(r);
        }
        let profiles = p.finish();
        let mut a = AssociationPass::new(&header, &profiles);
        for r in &records {
            a.add(r);
        }
        a.finish()
    }

    #[test]
    fn each_pair_gets_its_measure() {
        let a = run(
            &["id", "x", "same", "indep", "num", "k"],
            &[
                &["1", "a", "A", "p", "1.5", "7"],
                &["2", "a", "A", "q", "2.5", "7"],
                &["3", "b", "B", "p", "7.5", "7"],
                &["4", "b", "B", "q", "8.5", "7"],
            ],
        );
        // `id` is numeric with four values (an integer column with ≤ 12
        // values counts as categorical); `k` is constant.
        assert_eq!(a.left_out, ["k"]);
        assert_eq!(a.get("x", "same"), Some((Measure::CramersV, 1.0)));
        assert_eq!(a.get("x", "indep"), Some((Measure::CramersV, 0.0)));
        // num given x: groups (1.5, 2.5) and (7.5, 8.5): SS_total = 4·9 + 1
        // = 37 − … computed: mean 5, deviations 3.5², 2.5², 2.5², 3.5² = 37,
        // within 0.5 + 0.5 = 1, η = √(36/37).
        let (m, eta) = a.get("num", "x").unwrap();
        assert_eq!(m, Measure::Eta);
        assert!((eta - (36.0f64 / 37.0).sqrt()).abs() < 1e-12);
    }
}
