//! The missing-IMEI pools (phase B's eligible rows) and the selection
//! probabilities derived from them.

use crate::blocks::SwapBlocks;
use crate::params::{AnomalyError, AnomalyParams, CAPTURE_FAILURE_SHARE};
use crate::swaps::{block_streams, blocks, customer_spans, SwapPlan, SwapPlanner};
use novawireless_model::LedgerRow;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

/// How many rows of the whole ledger are eligible for a missing-IMEI defect
/// (a usage IMEI present and not swapped in phase A), split by whether the
/// line has an agreement.
///
/// Phase B's probabilities depend on these totals, so a chunked caller sums
/// [`missing_pools`] over all chunks in a first pass and hands the total to
/// every [`crate::inject`] call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MissingPools {
    /// Eligible rows with an agreement (candidates for a capture failure).
    pub with_agreement: u64,
    /// Eligible rows without an agreement (candidates for a ghost line).
    pub without_agreement: u64,
}

/// Phase B's per-row selection probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct MissingProbabilities {
    /// `p_a`, for eligible rows with an agreement.
    pub with_agreement: f64,
    /// `p_n`, for eligible rows without an agreement.
    pub without_agreement: f64,
}

impl MissingPools {
    /// `E = E_a + E_n`.
    pub const fn total(&self) -> u64 {
        self.with_agreement + self.without_agreement
    }

    /// `p_a = min(1, 0.7 · p_missing · E / E_a)` and
    /// `p_n = min(1, 0.3 · p_missing · E / E_n)` (0 for an empty pool), so
    /// the expected defects are 70 % / 30 % of `p_missing · E`, each capped
    /// by its pool.
    pub fn probabilities(&self, p_missing: f64) -> MissingProbabilities {
        let expected = p_missing * self.total() as f64;
        let p = |share: f64, pool: u64| {
            if pool == 0 {
                0.0
            } else {
                (share * expected / pool as f64).min(1.0)
            }
        };
        MissingProbabilities {
            with_agreement: p(CAPTURE_FAILURE_SHARE, self.with_agreement),
            without_agreement: p(1.0 - CAPTURE_FAILURE_SHARE, self.without_agreement),
        }
    }
}

impl Add for MissingPools {
    type Output = MissingPools;

    fn add(self, other: MissingPools) -> MissingPools {
        MissingPools {
            with_agreement: self.with_agreement + other.with_agreement,
            without_agreement: self.without_agreement + other.without_agreement,
        }
    }
}

impl AddAssign for MissingPools {
    fn add_assign(&mut self, other: MissingPools) {
        *self = *self + other;
    }
}

impl Sum for MissingPools {
    fn sum<I: Iterator<Item = MissingPools>>(iter: I) -> MissingPools {
        iter.fold(MissingPools::default(), Add::add)
    }
}

/// Counts phase B's eligible rows of a chunk: rows with a usage IMEI that
/// phase A does not swap.
///
/// Phase A is replayed (it is cheap, and changes nothing here) because
/// swapped rows carry a label and are not eligible for B; counting them would
/// shrink the realised share of capture failures below 70 %. Pass the same
/// `params` as to [`crate::inject`]; `rows` holds the rows of `customers`,
/// whole swap blocks, so any cutting into whole blocks gives the same sum.
///
/// # Errors
/// Invalid probabilities, a row whose customer is not one of `customers`,
/// or rows not grouped by customer in ascending order.
pub fn missing_pools(
    rows: &[LedgerRow],
    customers: &SwapBlocks,
    params: &AnomalyParams,
) -> Result<MissingPools, AnomalyError> {
    params.validate()?;
    let spans = customer_spans(rows, customers)?;
    let mut planner = SwapPlanner::default();
    let mut streams = Vec::new();
    let mut pools = MissingPools::default();
    for block in blocks(rows, &spans, params.within_customer_only) {
        block_streams(rows, block, params.seed, &mut streams);
        let mut plan = SwapPlan::default();
        planner.plan(rows, block, &mut streams, params.p_mismatch, &mut plan);
        for span in block {
            for i in span.clone() {
                if rows[i].usage_imei().is_none() || planner.is_swapped(i) {
                    continue;
                }
                if rows[i].agreement.is_some() {
                    pools.with_agreement += 1;
                } else {
                    pools.without_agreement += 1;
                }
            }
        }
    }
    Ok(pools)
}
