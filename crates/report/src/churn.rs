//! Observed churn by segment: per value of a few customer columns, the
//! customers, how many have `is_churned` 1 (with a Wilson 95% interval of
//! the rate) and the mean `churn_risk_score`, accumulated row by row.

use crate::charts::TENURE_SEGMENTS;
use crate::columns;
use crate::read::{CATEGORY_LIMIT, OTHER};
use crate::stats::{wilson, Z95};
use std::collections::BTreeMap;

/// The segment columns, in page order: (column, heading).
pub(crate) const SEGMENT_COLUMNS: [(&str, &str); 7] = [
    (columns::CONTRACT_PROXY, "Contract (contract_proxy)"),
    (columns::PAYMENT_METHOD, "Payment method"),
    (columns::INTERNET_SERVICE, "Internet service"),
    (columns::TENURE_MONTHS, "Tenure (12-month bins)"),
    (columns::PAPERLESS_BILLING, "Paperless billing"),
    (columns::LINES_ON_ACCOUNT, "Voice lines on the account"),
    (columns::DEVICE_PAYMENT_PLAN, "Device payment plan"),
];

/// One segment's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SegmentChurn {
    /// Customers with a readable `is_churned`.
    pub customers: u64,
    /// Of them, `is_churned` 1.
    pub churned: u64,
    /// Sum of `churn_risk_score` over the customers that have one.
    pub score_sum: f64,
    /// Customers with a `churn_risk_score`.
    pub scored: u64,
}

impl SegmentChurn {
    /// The observed churn rate; `None` without customers.
    pub fn rate(&self) -> Option<f64> {
        (self.customers > 0).then(|| self.churned as f64 / self.customers as f64)
    }

    /// The Wilson score 95% interval of the rate.
    pub fn interval(&self) -> Option<(f64, f64)> {
        wilson(self.churned, self.customers, Z95)
    }

    /// The mean churn_risk_score; `None` without scores.
    pub fn mean_score(&self) -> Option<f64> {
        (self.scored > 0).then(|| self.score_sum / self.scored as f64)
    }
}

/// The segments of one column, by value (tenure by bin).
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentTable {
    /// The column.
    pub column: &'static str,
    /// The view's heading.
    pub heading: &'static str,
    /// Per value, in display order.
    pub segments: Vec<(String, SegmentChurn)>,
}

/// Accumulates churn by segment for every column of [`SEGMENT_COLUMNS`]
/// the table has; needs `is_churned`.
pub(crate) struct ChurnBySegment {
    churned_at: Option<usize>,
    score_at: Option<usize>,
    columns: Vec<(usize, usize, BTreeMap<String, SegmentChurn>)>,
}

impl ChurnBySegment {
    /// Accumulators for a table with this header.
    pub(crate) fn new(header: &[String]) -> Self {
        let at = |name: &str| header.iter().position(|h| h == name);
        let columns = SEGMENT_COLUMNS
            .iter()
            .enumerate()
            .filter_map(|(k, (name, _))| at(name).map(|i| (k, i, BTreeMap::new())))
            .collect();
        ChurnBySegment {
            churned_at: at(columns::IS_CHURNED),
            score_at: at(columns::CHURN_RISK_SCORE),
            columns,
        }
    }

    /// Adds one customer row.
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        let Some(i) = self.churned_at else { return };
        let churned = match record.get(i).unwrap_or("") {
            "1" => true,
            "0" => false,
            _ => return,
        };
        let score = self
            .score_at
            .and_then(|i| record.get(i))
            .and_then(|s| s.parse::<f64>().ok())
            .filter(|x| x.is_finite());
        for (k, at, groups) in &mut self.columns {
            let value = record.get(*at).unwrap_or("");
            let key = segment_key(SEGMENT_COLUMNS[*k].0, value);
            let key = if groups.contains_key(&key) || groups.len() < CATEGORY_LIMIT {
                key
            } else {
                OTHER.to_string()
            };
            let s = groups.entry(key).or_default();
            s.customers += 1;
            s.churned += u64::from(churned);
            if let Some(x) = score {
                s.score_sum += x;
                s.scored += 1;
            }
        }
    }

    /// The tables, in [`SEGMENT_COLUMNS`] order (columns the table lacks
    /// are left out).
    pub(crate) fn finish(self) -> Vec<SegmentTable> {
        self.columns
            .into_iter()
            .map(|(k, _, groups)| {
                let (column, heading) = SEGMENT_COLUMNS[k];
                let mut segments: Vec<(String, SegmentChurn)> = groups.into_iter().collect();
                if column == columns::TENURE_MONTHS || column == columns::LINES_ON_ACCOUNT {
                    segments.sort_by_key(|(v, _)| order_key(v));
                }
                SegmentTable {
                    column,
                    heading,
                    segments,
                }
            })
            .collect()
    }
}

/// The segment of a value: tenure by 12-month bin (the last holds 60 and
/// above), an empty field as `(missing)`, else the value.
fn segment_key(column: &str, value: &str) -> String {
    if value.is_empty() {
        return "(missing)".to_string();
    }
    if column == columns::TENURE_MONTHS {
        if let Ok(t) = value.parse::<f64>() {
            let i = ((t / 12.0).floor() as i64).clamp(0, 5) as usize;
            return format!("{} months", TENURE_SEGMENTS[i]);
        }
    }
    value.to_string()
}

/// Numeric order of labels that start with a number, then the rest.
fn order_key(label: &str) -> (bool, i64, String) {
    let digits: String = label.chars().take_while(char::is_ascii_digit).collect();
    match digits.parse::<i64>() {
        Ok(n) => (false, n, label.to_string()),
        Err(_) => (true, 0, label.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_intervals_and_scores_per_value() {
        let header = ["tenure_months", "is_churned", "churn_risk_score"].map(String::from);
        let mut c = ChurnBySegment::new(&header);
        for row in [
            ["3", "1", "0.5"],
            ["13", "0", "0.1"],
            ["5", "0", "0.3"],
            ["70", "1", ""],
            ["8", "", "0.9"],
        ] {
            c.add(&csv::StringRecord::from(row.to_vec()));
        }
        let t = c.finish();
        assert_eq!(t.len(), 1);
        let labels: Vec<&str> = t[0].segments.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(labels, ["0–12 months", "12–24 months", "60–72 months"]);
        let first = t[0].segments[0].1;
        assert_eq!((first.customers, first.churned), (2, 1));
        assert_eq!(first.rate(), Some(0.5));
        assert!((first.mean_score().unwrap() - 0.4).abs() < 1e-12);
        assert_eq!(first.interval(), wilson(1, 2, Z95));
        assert_eq!(t[0].segments[2].1.mean_score(), None);
    }
}
