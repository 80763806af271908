//! The chart data of the customers table, accumulated row by row: fixed-bin
//! histograms, churn-risk means by segment, and lines per account.

use crate::columns;
use crate::read::{Categories, CATEGORY_LIMIT, OTHER};
use std::collections::BTreeMap;

/// A histogram with fixed bins over a range; values are compared in
/// millionths, so a value on a bin edge (`0.15`) always opens the bin it
/// starts, and values outside the range are counted in the edge bins.
pub(crate) struct HistogramSpec {
    /// The column.
    pub(crate) column: &'static str,
    /// The x-axis label.
    pub(crate) axis: &'static str,
    /// The first edge, in millionths.
    low: i64,
    /// The bin width, in millionths.
    width: i64,
    /// The number of bins.
    pub(crate) bins: usize,
    /// Edges labelled on the axis: every `label_every`-th.
    pub(crate) label_every: usize,
}

impl HistogramSpec {
    /// Edge `i` (0 ≤ i ≤ bins) as a number.
    pub(crate) fn edge(&self, i: usize) -> f64 {
        (self.low + self.width * i as i64) as f64 / 1e6
    }

    fn bin(&self, x: f64) -> (usize, bool) {
        let micro = (x * 1e6).round() as i64;
        let i = (micro - self.low).div_euclid(self.width);
        let last = self.bins as i64 - 1;
        // The top edge belongs to the last bin.
        let top = self.low + self.width * self.bins as i64;
        let inside = micro >= self.low && micro <= top;
        (i.clamp(0, last) as usize, inside)
    }
}

/// The histograms of the report, in order.
pub(crate) const HISTOGRAMS: [HistogramSpec; 5] = [
    HistogramSpec {
        column: columns::TENURE_MONTHS,
        axis: "tenure_months (6-month bins)",
        low: 0,
        width: 6_000_000,
        bins: 12,
        label_every: 1,
    },
    HistogramSpec {
        column: columns::MONTHLY_CHARGES,
        axis: "monthly_charges (dollars, $5 bins)",
        low: 20_000_000,
        width: 5_000_000,
        bins: 20,
        label_every: 2,
    },
    HistogramSpec {
        column: columns::CHURN_RISK_SCORE,
        axis: "churn_risk_score (bins of 0.05)",
        low: 0,
        width: 50_000,
        bins: 20,
        label_every: 2,
    },
    HistogramSpec {
        column: columns::TRUST_BASELINE,
        axis: "trust_baseline (0–100 scale, bins of 5)",
        low: 0,
        width: 5_000_000,
        bins: 20,
        label_every: 2,
    },
    HistogramSpec {
        column: columns::PATIENCE,
        axis: "patience (bins of 0.05)",
        low: 0,
        width: 50_000,
        bins: 20,
        label_every: 2,
    },
];

/// The tenure segments of the churn-by-tenure chart: 0–12, …, 60–72
/// months (each holds its lower edge; 72 and above fall in the last).
pub(crate) const TENURE_SEGMENTS: [&str; 6] = ["0–12", "12–24", "24–36", "36–48", "48–60", "60–72"];

/// One histogram's counts.
pub(crate) struct Histogram {
    pub(crate) spec: &'static HistogramSpec,
    /// The column's position; `None` when the table lacks it.
    at: Option<usize>,
    pub(crate) counts: Vec<u64>,
    /// Values outside the range (counted in the edge bins).
    pub(crate) outside: u64,
    /// Missing or non-numeric values (not counted).
    pub(crate) skipped: u64,
}

impl Histogram {
    /// The table has the column.
    pub(crate) fn present(&self) -> bool {
        self.at.is_some()
    }
}

/// Mean churn risk per group.
#[derive(Default)]
pub(crate) struct GroupMeans {
    /// Per group: sum of churn_risk_score and customers.
    pub(crate) groups: BTreeMap<String, (f64, u64)>,
}

impl GroupMeans {
    fn add(&mut self, group: &str, churn: f64) {
        let group = if group.is_empty() { "(missing)" } else { group };
        let key = if self.groups.contains_key(group) || self.groups.len() < CATEGORY_LIMIT {
            group
        } else {
            OTHER
        };
        let entry = self.groups.entry(key.to_string()).or_insert((0.0, 0));
        entry.0 += churn;
        entry.1 += 1;
    }
}

/// Everything the report draws from the customers table.
pub(crate) struct CustomerCharts {
    pub(crate) histograms: Vec<Histogram>,
    churn: Option<usize>,
    tenure: Option<usize>,
    payment: Option<usize>,
    internet: Option<usize>,
    lines: Option<usize>,
    has_5g: Option<usize>,
    /// Sum and count of churn_risk_score per tenure segment; `None` without
    /// the columns.
    pub(crate) by_tenure: Option<[(f64, u64); 6]>,
    /// Mean churn by payment_method; `None` without the columns.
    pub(crate) by_payment: Option<GroupMeans>,
    /// Mean churn by internet_service; `None` without the columns.
    pub(crate) by_internet: Option<GroupMeans>,
    /// Customers per lines_on_account + has_5g_home_internet; `None`
    /// without the columns.
    pub(crate) lines_per_account: Option<Categories>,
}

impl CustomerCharts {
    /// Chart accumulators for a table with this header.
    pub(crate) fn new(header: &[String]) -> Self {
        let at = |name: &str| header.iter().position(|h| h == name);
        let churn = at(columns::CHURN_RISK_SCORE);
        let tenure = at(columns::TENURE_MONTHS);
        let payment = at(columns::PAYMENT_METHOD);
        let internet = at(columns::INTERNET_SERVICE);
        let lines = at(columns::LINES_ON_ACCOUNT);
        let has_5g = at(columns::HAS_5G_HOME_INTERNET);
        CustomerCharts {
            histograms: HISTOGRAMS
                .iter()
                .map(|spec| Histogram {
                    spec,
                    at: at(spec.column),
                    counts: vec![0; spec.bins],
                    outside: 0,
                    skipped: 0,
                })
                .collect(),
            churn,
            tenure,
            payment,
            internet,
            lines,
            has_5g,
            by_tenure: (churn.is_some() && tenure.is_some()).then_some([(0.0, 0); 6]),
            by_payment: (churn.is_some() && payment.is_some()).then(GroupMeans::default),
            by_internet: (churn.is_some() && internet.is_some()).then(GroupMeans::default),
            lines_per_account: (lines.is_some() && has_5g.is_some()).then(Categories::default),
        }
    }

    /// Adds one customer row.
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        let number = |at: Option<usize>| field(at).parse::<f64>().ok().filter(|x| x.is_finite());
        for h in &mut self.histograms {
            if h.at.is_none() {
                continue;
            }
            match number(h.at) {
                Some(x) => {
                    let (bin, inside) = h.spec.bin(x);
                    h.counts[bin] += 1;
                    h.outside += u64::from(!inside);
                }
                None => h.skipped += 1,
            }
        }
        if let Some(churn) = number(self.churn) {
            if let (Some(segments), Some(tenure)) = (self.by_tenure.as_mut(), number(self.tenure)) {
                let i = ((tenure / 12.0).floor() as i64).clamp(0, 5) as usize;
                segments[i].0 += churn;
                segments[i].1 += 1;
            }
            if let Some(g) = self.by_payment.as_mut() {
                g.add(field(self.payment), churn);
            }
            if let Some(g) = self.by_internet.as_mut() {
                g.add(field(self.internet), churn);
            }
        }
        if let Some(counts) = self.lines_per_account.as_mut() {
            let whole = |at| field(at).parse::<i64>().ok();
            if let (Some(voice), Some(home)) = (whole(self.lines), whole(self.has_5g)) {
                counts.add(&voice.saturating_add(home).to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_open_their_bins_and_the_top_edge_closes_the_last() {
        let churn = &HISTOGRAMS[2];
        assert_eq!(churn.bin(0.0), (0, true));
        assert_eq!(churn.bin(0.049999), (0, true));
        assert_eq!(churn.bin(0.05), (1, true));
        assert_eq!(churn.bin(0.15), (3, true));
        assert_eq!(churn.bin(1.0), (19, true));
        assert_eq!(churn.bin(1.5), (19, false));
        assert_eq!(churn.bin(-0.1), (0, false));
        assert_eq!(churn.edge(3), 0.15);
        let tenure = &HISTOGRAMS[0];
        assert_eq!(tenure.bin(71.0), (11, true));
        assert_eq!(tenure.bin(6.0), (1, true));
    }
}
