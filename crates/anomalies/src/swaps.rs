//! Customer grouping and the swap phase (A), shared by [`crate::inject`] and
//! [`crate::missing_pools`], which must agree on which rows are swapped.

use crate::blocks::{swap_block, SwapBlocks};
use crate::params::AnomalyError;
use novawireless_model::{LedgerRow, ProductType};
use novawireless_sampler::{stream, Stage};
use rand::Rng;
use rand_pcg::Pcg64Mcg;
use std::ops::Range;

/// The row ranges of the customers of `rows`, which must be grouped by
/// customer in ascending customer order, every customer one of `within`.
pub(crate) fn customer_spans(
    rows: &[LedgerRow],
    within: &SwapBlocks,
) -> Result<Vec<Range<usize>>, AnomalyError> {
    let mut spans: Vec<Range<usize>> = Vec::new();
    for (row, ledger_row) in rows.iter().enumerate() {
        let customer_id = ledger_row.line.customer_id;
        if !within.contains(customer_id) {
            let customers = within.customers();
            return Err(AnomalyError::OutsideBlocks {
                row,
                customer_id,
                start: customers.start,
                end: customers.end,
            });
        }
        match spans.last_mut() {
            Some(span) if rows[span.start].line.customer_id == customer_id => span.end = row + 1,
            Some(span) if rows[span.start].line.customer_id > customer_id => {
                return Err(AnomalyError::CustomersOutOfOrder {
                    row,
                    customer_id,
                    previous: rows[span.start].line.customer_id,
                })
            }
            _ => spans.push(row..row + 1),
        }
    }
    Ok(spans)
}

/// The groups of customers whose rows may swap with each other: each
/// customer alone, or the customers of each swap block.
pub(crate) fn blocks<'s>(
    rows: &[LedgerRow],
    spans: &'s [Range<usize>],
    within_customer_only: bool,
) -> Vec<&'s [Range<usize>]> {
    spans
        .chunk_by(|a, b| {
            !within_customer_only
                && swap_block(rows[a.start].line.customer_id)
                    == swap_block(rows[b.start].line.customer_id)
        })
        .collect()
}

/// The anomaly stream of each customer of `block`, in order.
pub(crate) fn block_streams(
    rows: &[LedgerRow],
    block: &[Range<usize>],
    seed: u64,
    out: &mut Vec<Pcg64Mcg>,
) {
    out.clear();
    out.extend(block.iter().map(|span| {
        let customer_id = rows[span.start].line.customer_id;
        stream(seed, Stage::Anomalies, customer_id.index())
    }));
}

/// A voice line with an agreement and both IMEIs present.
pub(crate) fn swap_eligible(row: &LedgerRow) -> bool {
    row.line.product_type == ProductType::Voice
        && row.agreement.is_some()
        && row.usage_imei().is_some()
}

/// What phase A decided for one block.
#[derive(Debug, Default)]
pub(crate) struct SwapPlan {
    /// (chosen row, partner row), absolute indices, in the order decided.
    pub(crate) pairs: Vec<(usize, usize)>,
    /// Rows eligible for a swap.
    pub(crate) eligible: u64,
    /// Rows chosen to start a swap.
    pub(crate) chosen: u64,
    /// Chosen rows that found no partner.
    pub(crate) without_partner: u64,
}

/// Plans the swaps of a block without changing any row (scratch buffers are
/// kept between blocks).
#[derive(Debug, Default)]
pub(crate) struct SwapPlanner {
    eligible: Vec<usize>,
    swapped: Vec<bool>,
    candidates: Vec<usize>,
    start: usize,
}

impl SwapPlanner {
    /// Phase A on the customers of `block` (consecutive spans of `rows`),
    /// drawing from `streams[k]` for customer `k`.
    ///
    /// Per customer, for each eligible row in row order that is not yet
    /// swapped when reached: one uniform `u`, chosen when `u < p_mismatch`;
    /// a chosen row draws one more uniform `v` (even when no partner exists)
    /// and takes candidate `floor(v · k)` of the `k` eligible rows of the
    /// block that are not yet swapped, not itself, and whose usage IMEI
    /// differs from its own, in row order. Only unswapped rows are ever
    /// compared, so reading the unchanged rows gives the same result as
    /// swapping as we go.
    pub(crate) fn plan(
        &mut self,
        rows: &[LedgerRow],
        block: &[Range<usize>],
        streams: &mut [Pcg64Mcg],
        p_mismatch: f64,
        plan: &mut SwapPlan,
    ) {
        let (Some(first), Some(last)) = (block.first(), block.last()) else {
            return;
        };
        self.start = first.start;
        let range = first.start..last.end;
        self.swapped.clear();
        self.swapped.resize(range.len(), false);
        self.eligible.clear();
        self.eligible
            .extend(range.filter(|&i| swap_eligible(&rows[i])));
        plan.eligible += self.eligible.len() as u64;
        if self.eligible.is_empty() {
            return;
        }

        for (span, rng) in block.iter().zip(streams.iter_mut()) {
            for i in span.clone() {
                if !swap_eligible(&rows[i]) || self.is_swapped(i) {
                    continue;
                }
                if rng.random::<f64>() >= p_mismatch {
                    continue;
                }
                plan.chosen += 1;
                let v = rng.random::<f64>();
                let own = rows[i].usage_imei();
                self.candidates.clear();
                for &j in &self.eligible {
                    if j != i && !self.is_swapped(j) && rows[j].usage_imei() != own {
                        self.candidates.push(j);
                    }
                }
                let k = self.candidates.len();
                if k == 0 {
                    plan.without_partner += 1;
                    continue;
                }
                let j = self.candidates[((v * k as f64) as usize).min(k - 1)];
                self.swapped[i - self.start] = true;
                self.swapped[j - self.start] = true;
                plan.pairs.push((i, j));
            }
        }
    }

    /// Whether row `i` (absolute, inside the last planned block) is swapped.
    pub(crate) fn is_swapped(&self, i: usize) -> bool {
        self.swapped[i - self.start]
    }
}
