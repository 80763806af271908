//! Step-1 knobs and the customer range a generator covers.

use novawireless_model::SnapshotDate;

/// The step-1 parameters besides the baseline and the seed.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphParams {
    /// Probability of a device payment plan for a month-to-month customer.
    pub month_to_month_plan_rate: f64,
    /// Probability that a line with an EIP gets another line's usage IMEI.
    pub p_inject_eip_usage_mismatch: f64,
    /// Probability that a voice line gets an EIP when its customer has a plan.
    pub p_voice_eip_attach_if_plan: f64,
    /// The `usage_snapshot_date` of every usage row.
    pub usage_snapshot_date: SnapshotDate,
}

impl Default for GraphParams {
    fn default() -> Self {
        GraphParams {
            month_to_month_plan_rate: 0.55,
            p_inject_eip_usage_mismatch: 0.06,
            p_voice_eip_attach_if_plan: 0.85,
            #[allow(clippy::unwrap_used)]
            usage_snapshot_date: SnapshotDate::new(2026, 2, 22).unwrap(),
        }
    }
}

/// A contiguous range of 0-based customer indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CustomerRange {
    /// First customer index.
    pub start: u64,
    /// One past the last customer index.
    pub end: u64,
}

impl CustomerRange {
    /// `start..end`.
    pub const fn new(start: u64, end: u64) -> Self {
        CustomerRange { start, end }
    }

    /// Number of customers.
    pub const fn len(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }

    /// Whether the range holds no customer.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `k`-th (0-based) of `n` contiguous, near-equal parts of `0..population`.
    /// Concatenating the parts in order gives the whole range.
    pub const fn shard(population: u64, k: u64, n: u64) -> Self {
        let start = (population as u128 * k as u128 / n as u128) as u64;
        let end = (population as u128 * (k + 1) as u128 / n as u128) as u64;
        CustomerRange { start, end }
    }

    /// Splits the range into consecutive pieces of at most `size` customers.
    pub fn chunks(self, size: u64) -> impl Iterator<Item = CustomerRange> {
        let size = size.max(1);
        (self.start..self.end)
            .step_by(usize::try_from(size).unwrap_or(usize::MAX))
            .map(move |s| CustomerRange::new(s, (s + size).min(self.end)))
    }
}
