//! Fidelity: the customers of the folder against what the joint model
//! (README, *The model*) expects of each segment under the config the run
//! used, with the tolerances of README *Fidelity*.
//!
//! The model's segments are Contract × raw InternetService × PaymentMethod;
//! the customers table writes every internet tier as `5G Home Internet`,
//! so its observable segments are Contract × internet (yes/no) ×
//! PaymentMethod (24 cells), each the weighted union of the model's
//! segments it holds.
//!
//! Targets per cell: the share is the model's segment weight (exact); the
//! churn rate (the mean churn score, `is_churned` being a Bernoulli draw of
//! it), the mean tenure and the mean charges are the means of
//! [`TARGET_DRAWS`] customers drawn from the model in each of its segments
//! with a fixed seed (the same targets at every profile of a config).

use crate::stats::Sums;
use novawireless_model::{Contract, InternetService, PaymentMethod};
use novawireless_sampler::joint::{segment_parts, JointModel, SEGMENTS};
use novawireless_sampler::{stream, Baseline, Stage};
use std::collections::BTreeMap;

/// Customers drawn per model segment for the target means.
pub const TARGET_DRAWS: u64 = 4096;

/// The seed of the target draws.
pub const TARGET_SEED: u64 = 0x4649_4445_4C49_5459;

/// README *Fidelity* tolerances: segment share (relative), churn (absolute),
/// mean tenure (months), mean charges (dollars).
pub const TOLERANCES: [f64; 4] = [0.10, 0.03, 3.0, 3.0];

/// Segments with fewer customers than this are shown but never flagged:
/// their standard errors are too rough to judge by.
pub const MIN_FLAGGED: u64 = 30;

/// The four measures compared per cell.
pub const MEASURES: [&str; 4] = ["share", "churn", "mean tenure", "mean charges"];

/// One observable segment: its target and what the folder holds.
#[derive(Debug, Clone, PartialEq)]
pub struct FidelityCell {
    /// `contract_proxy`.
    pub contract: &'static str,
    /// `internet_service` as the customers table spells it.
    pub internet: &'static str,
    /// `payment_method`.
    pub payment: &'static str,
    /// Target share, churn, mean tenure, mean charges.
    pub target: [f64; 4],
    /// Observed customers of the cell.
    pub customers: u64,
    /// Observed share, churn, mean tenure, mean charges (`None` without
    /// customers).
    pub observed: [Option<f64>; 4],
    /// Per measure: the difference exceeds the tolerance plus two standard
    /// errors of the observed value (so sampling noise of a small cell is
    /// not flagged), in a cell of at least [`MIN_FLAGGED`] customers.
    pub flagged: [bool; 4],
}

/// The fidelity view: where the targets come from and the cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Fidelity {
    /// Which config the targets are of, and how it was found.
    pub config_note: String,
    /// The 24 cells, contract-major.
    pub cells: Vec<FidelityCell>,
}

/// The model's targets per observable cell, keyed by the customers
/// table's spellings.
type Targets = BTreeMap<(&'static str, &'static str, &'static str), [f64; 4]>;

/// The targets of `baseline`'s model per observable cell.
pub(crate) fn targets(baseline: &Baseline) -> Targets {
    let model = JointModel::nearest(baseline);
    let weights = &model.population().weights;
    // Per cell: weight, and weight × each mean.
    let mut sums: BTreeMap<_, (f64, [f64; 3])> = BTreeMap::new();
    for segment in 0..SEGMENTS {
        let w = weights.get(segment).copied().unwrap_or(0.0);
        if w <= 0.0 {
            continue;
        }
        let means = segment_means(&model, segment);
        let (c, i, p) = segment_parts(segment);
        let entry = sums.entry(key(c, i, p)).or_insert((0.0, [0.0; 3]));
        entry.0 += w;
        for (s, m) in entry.1.iter_mut().zip(means) {
            *s += w * m;
        }
    }
    sums.into_iter()
        .map(|(k, (w, s))| (k, [w, s[0] / w, s[1] / w, s[2] / w]))
        .collect()
}

/// The customers table's spellings of a model segment.
fn key(
    c: Contract,
    i: InternetService,
    p: PaymentMethod,
) -> (&'static str, &'static str, &'static str) {
    (c.as_str(), i.customer_spelling(), p.as_str())
}

/// Mean churn score, tenure and charges of [`TARGET_DRAWS`] customers of
/// one model segment.
fn segment_means(model: &JointModel, segment: usize) -> [f64; 3] {
    let mut rng = stream(TARGET_SEED, Stage::Calibration, segment as u64);
    let mut sums = [0.0; 3];
    for _ in 0..TARGET_DRAWS {
        let shape = model.population().draw_shape_in(&mut rng, segment);
        let c = model.draw_customer(&mut rng, &shape);
        sums[0] += c.churn_risk_score;
        sums[1] += f64::from(c.tenure_months);
        sums[2] += c.monthly_charges;
    }
    sums.map(|s| s / TARGET_DRAWS as f64)
}

/// Observed counts per cell, row by row.
pub(crate) struct Observed {
    at: Option<[usize; 6]>,
    /// By [`cell_index`].
    cells: Vec<CellSums>,
    total: u64,
}

#[derive(Default)]
struct CellSums {
    n: u64,
    churned: Sums,
    tenure: Sums,
    charges: Sums,
}

/// The internet spellings of the customers table, in cell order.
const INTERNET: [&str; 2] = ["No", "5G Home Internet"];

/// The position of a cell (contract-major, then internet, then payment),
/// from the customers table's spellings; `None` for another value.
fn cell_index(contract: &str, internet: &str, payment: &str) -> Option<usize> {
    let c = Contract::ALL.iter().position(|c| c.as_str() == contract)?;
    let i = INTERNET.iter().position(|i| *i == internet)?;
    let p = PaymentMethod::ALL
        .iter()
        .position(|p| p.as_str() == payment)?;
    Some((c * INTERNET.len() + i) * PaymentMethod::ALL.len() + p)
}

impl Observed {
    /// The accumulator for a customers table with this header (inactive
    /// without the six columns it reads).
    pub(crate) fn new(header: &[String]) -> Self {
        let at = |name: &str| header.iter().position(|h| h == name);
        let names = [
            "contract_proxy",
            "internet_service",
            "payment_method",
            "is_churned",
            "tenure_months",
            "monthly_charges",
        ];
        let found: Option<Vec<usize>> = names.iter().map(|n| at(n)).collect();
        let cells = Contract::ALL.len() * INTERNET.len() * PaymentMethod::ALL.len();
        Observed {
            at: found.and_then(|v| v.try_into().ok()),
            cells: (0..cells).map(|_| CellSums::default()).collect(),
            total: 0,
        }
    }

    /// Whether the table has the columns.
    pub(crate) fn active(&self) -> bool {
        self.at.is_some()
    }

    /// Adds one customer row (kept to the 24 known cells).
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        let Some(at) = self.at else { return };
        let f = |i: usize| record.get(at[i]).unwrap_or("");
        let Some(cell) = cell_index(f(0), f(1), f(2)).and_then(|k| self.cells.get_mut(k)) else {
            return;
        };
        self.total += 1;
        cell.n += 1;
        let number = |i: usize| f(i).parse::<f64>().ok().filter(|x| x.is_finite());
        if let Some(x) = number(3) {
            cell.churned.add(x);
        }
        if let Some(x) = number(4) {
            cell.tenure.add(x);
        }
        if let Some(x) = number(5) {
            cell.charges.add(x);
        }
    }

    /// The cells against `targets`.
    pub(crate) fn compare(&self, targets: &Targets, config_note: String) -> Fidelity {
        let total = self.total.max(1) as f64;
        let empty = CellSums::default();
        let mut cells: Vec<(usize, FidelityCell)> = targets
            .iter()
            .map(|(&(contract, internet, payment), &target)| {
                let k = cell_index(contract, internet, payment).unwrap_or(usize::MAX);
                let s = self.cells.get(k).unwrap_or(&empty);
                let observed = [
                    (self.total > 0).then_some(s.n as f64 / total),
                    mean(&s.churned),
                    mean(&s.tenure),
                    mean(&s.charges),
                ];
                let errors = [
                    (target[0] * (1.0 - target[0]) / total).sqrt(),
                    (target[1] * (1.0 - target[1]) / s.churned.n.max(1) as f64).sqrt(),
                    standard_error(&s.tenure),
                    standard_error(&s.charges),
                ];
                let mut flagged = [false; 4];
                for m in 0..4 {
                    if let Some(o) = observed[m].filter(|_| s.n >= MIN_FLAGGED) {
                        let tolerance = if m == 0 {
                            TOLERANCES[0] * target[0]
                        } else {
                            TOLERANCES[m]
                        };
                        flagged[m] = (o - target[m]).abs() > tolerance + 2.0 * errors[m];
                    }
                }
                let cell = FidelityCell {
                    contract,
                    internet,
                    payment,
                    target,
                    customers: s.n,
                    observed,
                    flagged,
                };
                (k, cell)
            })
            .collect();
        cells.sort_by_key(|(k, _)| *k);
        Fidelity {
            config_note,
            cells: cells.into_iter().map(|(_, c)| c).collect(),
        }
    }
}

fn mean(s: &Sums) -> Option<f64> {
    (s.n > 0).then(|| s.sum / s.n as f64)
}

/// The standard error of a mean (infinite below two values, so a cell
/// that small is never flagged).
fn standard_error(s: &Sums) -> f64 {
    if s.n < 2 {
        return f64::INFINITY;
    }
    let n = s.n as f64;
    let variance = (s.squares - s.sum * s.sum / n).max(0.0) / (n - 1.0);
    (variance / n).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_cover_the_observable_cells_and_sum_to_one() {
        let t = targets(&Baseline::embedded());
        assert_eq!(t.len(), 24);
        let total: f64 = t.values().map(|v| v[0]).sum();
        assert!((total - 1.0).abs() < 1e-9, "{total}");
        // Month-to-month churns more than two-year, in every cell.
        let m2m = t[&("Month-to-month", "No", "Mailed check")][1];
        let two = t[&("Two year", "No", "Mailed check")][1];
        assert!(m2m > two, "{m2m} {two}");
        assert_eq!(t, targets(&Baseline::embedded()));
    }

    #[test]
    fn a_cell_far_from_its_target_is_flagged_and_noise_is_not() {
        let mut t = Targets::new();
        t.insert(("Two year", "No", "Mailed check"), [0.5, 0.1, 40.0, 30.0]);
        t.insert(("One year", "No", "Mailed check"), [0.5, 0.1, 40.0, 30.0]);
        let header: Vec<String> = [
            "contract_proxy",
            "internet_service",
            "payment_method",
            "is_churned",
            "tenure_months",
            "monthly_charges",
        ]
        .map(String::from)
        .to_vec();
        let mut o = Observed::new(&header);
        for i in 0..1000 {
            let contract = if i % 2 == 0 { "Two year" } else { "One year" };
            // Two year: tenure 40 ± 1, churn 10%; One year: tenure 50.
            let tenure = if i % 2 == 0 { 39 + (i % 4) } else { 50 };
            let churned = if (i / 2) % 10 == 0 { "1" } else { "0" };
            let row = [
                contract,
                "No",
                "Mailed check",
                churned,
                &tenure.to_string(),
                "30",
            ];
            o.add(&csv::StringRecord::from(row.to_vec()));
        }
        let f = o.compare(&t, String::new());
        let one = &f.cells[0];
        assert_eq!(one.contract, "One year");
        assert_eq!(one.customers, 500);
        assert_eq!(one.flagged, [false, false, true, false]);
        assert_eq!(f.cells[1].flagged, [false; 4]);
        assert_eq!(f.cells[1].observed[1], Some(0.1));
    }
}
