//! Before/after value counts, printed like pandas `value_counts()`.

use novawireless_model::{BillingAgreementType, Contract};
use std::collections::BTreeMap;
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

/// Value counts of `contract_proxy` before step 4 and of
/// `billing_agreement_type` after it. Keys are kept in their natural order
/// (so merging chunks is deterministic); [`fmt::Display`] prints each table
/// the way pandas prints `value_counts()`, most frequent first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BillingCounts {
    /// `contract_proxy` value → rows.
    pub before: BTreeMap<Contract, u64>,
    /// `billing_agreement_type` value → rows.
    pub after: BTreeMap<BillingAgreementType, u64>,
}

impl BillingCounts {
    /// Counts one row.
    pub fn record(&mut self, before: Contract, after: BillingAgreementType) {
        *self.before.entry(before).or_default() += 1;
        *self.after.entry(after).or_default() += 1;
    }

    /// Rows counted.
    pub fn rows(&self) -> u64 {
        self.before.values().sum()
    }
}

impl AddAssign for BillingCounts {
    fn add_assign(&mut self, other: BillingCounts) {
        for (value, n) in other.before {
            *self.before.entry(value).or_default() += n;
        }
        for (value, n) in other.after {
            *self.after.entry(value).or_default() += n;
        }
    }
}

impl Add for BillingCounts {
    type Output = BillingCounts;

    fn add(mut self, other: BillingCounts) -> BillingCounts {
        self += other;
        self
    }
}

impl Sum for BillingCounts {
    fn sum<I: Iterator<Item = BillingCounts>>(iter: I) -> BillingCounts {
        iter.fold(BillingCounts::default(), Add::add)
    }
}

/// One table as pandas prints a `value_counts()` Series: the column name,
/// one `value    count` line per value (most frequent first, ties in key
/// order; values left-aligned, counts right-aligned), then the footer.
fn write_value_counts<K: fmt::Display>(
    f: &mut fmt::Formatter<'_>,
    column: &str,
    counts: &BTreeMap<K, u64>,
) -> fmt::Result {
    if counts.is_empty() {
        return writeln!(f, "Series([], Name: count, dtype: int64)");
    }
    let mut rows: Vec<(String, u64)> = counts.iter().map(|(k, &n)| (k.to_string(), n)).collect();
    rows.sort_by_key(|&(_, n)| std::cmp::Reverse(n)); // stable: ties stay in key order
    let label_width = rows.iter().map(|(k, _)| k.len()).max().unwrap_or(0);
    let count_width = rows
        .iter()
        .map(|(_, n)| n.to_string().len())
        .max()
        .unwrap_or(0);
    writeln!(f, "{column}")?;
    for (label, n) in &rows {
        writeln!(f, "{label:<label_width$}    {n:>count_width$}")?;
    }
    writeln!(f, "Name: count, dtype: int64")
}

impl fmt::Display for BillingCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Before:")?;
        write_value_counts(f, "contract_proxy", &self.before)?;
        writeln!(f)?;
        writeln!(f, "After:")?;
        write_value_counts(f, "billing_agreement_type", &self.after)
    }
}
