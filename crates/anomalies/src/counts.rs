//! What step 3 did: counts for the receipt and one record per changed row.

use novawireless_model::{CustomerId, DefectCounts, DefectType, Imei, LineId};
use std::iter::Sum;
use std::ops::{Add, AddAssign};

/// Eligible and realised counts of one [`crate::inject`] call; add the counts
/// of all chunks for the whole ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AnomalyCounts {
    /// Rows processed.
    pub rows: u64,
    /// Rows eligible for a swap: voice lines with an agreement and a usage IMEI.
    pub swap_eligible: u64,
    /// Eligible rows chosen to start a swap (the realised rate is
    /// `swaps_chosen / swap_eligible`).
    pub swaps_chosen: u64,
    /// Chosen rows skipped because no partner was available.
    pub swaps_without_partner: u64,
    /// Rows with an agreement eligible for a missing IMEI (after the swaps).
    pub missing_eligible_with_agreement: u64,
    /// Rows without an agreement eligible for a missing IMEI.
    pub missing_eligible_without_agreement: u64,
    /// Rows labelled with each type (stage-3 types only; two rows per swap).
    pub labelled: DefectCounts,
}

impl AnomalyCounts {
    /// Rows whose usage IMEI was blanked.
    pub const fn missing(&self) -> u64 {
        self.labelled
            .get(DefectType::MissingUsageImeiCaptureFailure)
            + self.labelled.get(DefectType::MissingUsageImeiGhostLine)
    }
}

impl Add for AnomalyCounts {
    type Output = AnomalyCounts;

    fn add(self, o: AnomalyCounts) -> AnomalyCounts {
        AnomalyCounts {
            rows: self.rows + o.rows,
            swap_eligible: self.swap_eligible + o.swap_eligible,
            swaps_chosen: self.swaps_chosen + o.swaps_chosen,
            swaps_without_partner: self.swaps_without_partner + o.swaps_without_partner,
            missing_eligible_with_agreement: self.missing_eligible_with_agreement
                + o.missing_eligible_with_agreement,
            missing_eligible_without_agreement: self.missing_eligible_without_agreement
                + o.missing_eligible_without_agreement,
            labelled: self.labelled + o.labelled,
        }
    }
}

impl AddAssign for AnomalyCounts {
    fn add_assign(&mut self, other: AnomalyCounts) {
        *self = *self + other;
    }
}

impl Sum for AnomalyCounts {
    fn sum<I: Iterator<Item = AnomalyCounts>>(iter: I) -> AnomalyCounts {
        iter.fold(AnomalyCounts::default(), Add::add)
    }
}

/// One changed row: the ground truth of a defect manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InjectedDefect {
    /// 0-based index of the row in the slice passed to [`crate::inject`].
    pub row: usize,
    /// The row's line.
    pub line_id: LineId,
    /// The row's customer.
    pub customer_id: CustomerId,
    /// The label the row now carries (a stage-3 type).
    pub defect_type: DefectType,
    /// For a swap, the index of the other row (in the same slice).
    pub partner_row: Option<usize>,
    /// For a swap, the other row's line.
    pub partner_line_id: Option<LineId>,
    /// The usage IMEI before step 3.
    pub clean_usage_imei: Option<Imei>,
    /// The usage IMEI after step 3 (`None` for a blanked one).
    pub injected_usage_imei: Option<Imei>,
}

/// The result of [`crate::inject`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Injection {
    /// Eligible and realised counts.
    pub counts: AnomalyCounts,
    /// One record per changed row, in row order.
    pub defects: Vec<InjectedDefect>,
}
