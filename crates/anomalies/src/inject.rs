//! Phase A (swaps) and phase B (missing IMEIs), then the flags.

use crate::blocks::SwapBlocks;
use crate::counts::{AnomalyCounts, InjectedDefect, Injection};
use crate::params::{AnomalyError, AnomalyParams};
use crate::pools::MissingPools;
use crate::swaps::{block_streams, blocks, customer_spans, SwapPlan, SwapPlanner};
use novawireless_ledger::imei_mismatch;
use novawireless_model::{DefectType, Imei, LedgerRow};
use rand::Rng;

fn set_usage_imei(row: &mut LedgerRow, imei: Option<Imei>) {
    if let Some(usage) = row.usage.as_mut() {
        usage.usage_imei = imei;
    }
}

/// Injects the IMEI defects of README, *Step 3* into a chunk of the ledger,
/// each eligible row chosen by its own Bernoulli draw.
///
/// `rows` holds the rows of `customers`, whole swap blocks, grouped by
/// customer in ascending customer order; `pools` is [`crate::missing_pools`]
/// summed over the whole ledger (with the same `params`). Every row's `imei_anomaly_type` is reset, so a label
/// always describes this run.
///
/// Each customer draws from `stream(seed, Stage::Anomalies, customer index)`,
/// in this fixed order:
///
/// 1. **A, swaps.** For each eligible row (voice, agreement, usage IMEI) in
///    row order that is not yet swapped: one uniform `u`; when
///    `u < p_mismatch`, one more uniform `v` picks the partner
///    `floor(v · k)` among the `k` other eligible, unswapped rows whose usage
///    IMEI differs (in row order; `k = 0` skips the swap). The two rows
///    exchange usage IMEIs and are labelled `imei_mismatch_swap`.
/// 2. **B, missing.** For each row in row order with a usage IMEI and no
///    label: one uniform `w`; a row with an agreement is blanked when
///    `w < p_a` (`missing_usage_imei_capture_failure`), one without when
///    `w < p_n` (`missing_usage_imei_ghost_line`), see
///    [`MissingPools::probabilities`].
///
/// Then every row's `missing_usage_imei`, `imei_mismatch` (the step-2 rule)
/// and `upstream_friction_risk` (imei mismatch or missing usage IMEI or eip
/// mismatch) are recomputed; `eip_exists` and `eip_mismatch` are kept.
///
/// With `within_customer_only` (the default) a customer's result depends on
/// nothing but its own rows. Without it, partners come from every customer
/// of the same swap block ([`crate::SWAP_BLOCK`]): phase A runs over the
/// block (customers in order, each on its own stream) before phase B. As
/// `rows` holds whole blocks, either way any cutting of the ledger into
/// whole blocks gives the same ledger.
///
/// # Errors
/// Invalid probabilities, a row whose customer is not one of `customers`,
/// or rows not grouped by customer in ascending order; `rows` is left
/// unchanged.
pub fn inject(
    rows: &mut [LedgerRow],
    customers: &SwapBlocks,
    params: &AnomalyParams,
    pools: MissingPools,
) -> Result<Injection, AnomalyError> {
    params.validate()?;
    let spans = customer_spans(rows, customers)?;
    let p = pools.probabilities(params.p_missing);
    let mut counts = AnomalyCounts {
        rows: rows.len() as u64,
        ..AnomalyCounts::default()
    };
    let mut defects = Vec::new();
    let mut planner = SwapPlanner::default();
    let mut streams = Vec::new();

    for row in rows.iter_mut() {
        row.imei_anomaly_type = None;
    }

    for block in blocks(rows, &spans, params.within_customer_only) {
        block_streams(rows, block, params.seed, &mut streams);

        let mut plan = SwapPlan::default();
        planner.plan(rows, block, &mut streams, params.p_mismatch, &mut plan);
        counts.swap_eligible += plan.eligible;
        counts.swaps_chosen += plan.chosen;
        counts.swaps_without_partner += plan.without_partner;
        counts.labelled[DefectType::ImeiMismatchSwap] += 2 * plan.pairs.len() as u64;
        for &(i, j) in &plan.pairs {
            let (imei_i, imei_j) = (rows[i].usage_imei(), rows[j].usage_imei());
            for (row, partner, clean, injected) in [(i, j, imei_i, imei_j), (j, i, imei_j, imei_i)]
            {
                set_usage_imei(&mut rows[row], injected);
                rows[row].imei_anomaly_type = Some(DefectType::ImeiMismatchSwap);
                defects.push(InjectedDefect {
                    row,
                    line_id: rows[row].line.line_id,
                    customer_id: rows[row].line.customer_id,
                    defect_type: DefectType::ImeiMismatchSwap,
                    partner_row: Some(partner),
                    partner_line_id: Some(rows[partner].line.line_id),
                    clean_usage_imei: clean,
                    injected_usage_imei: injected,
                });
            }
        }

        for (span, rng) in block.iter().zip(streams.iter_mut()) {
            for i in span.clone() {
                let row = &mut rows[i];
                let clean = row.usage_imei();
                if clean.is_none() || row.imei_anomaly_type.is_some() {
                    continue;
                }
                let w = rng.random::<f64>();
                let label = if row.agreement.is_some() {
                    counts.missing_eligible_with_agreement += 1;
                    (w < p.with_agreement).then_some(DefectType::MissingUsageImeiCaptureFailure)
                } else {
                    counts.missing_eligible_without_agreement += 1;
                    (w < p.without_agreement).then_some(DefectType::MissingUsageImeiGhostLine)
                };
                let Some(label) = label else { continue };
                counts.labelled[label] += 1;
                set_usage_imei(row, None);
                row.imei_anomaly_type = Some(label);
                defects.push(InjectedDefect {
                    row: i,
                    line_id: row.line.line_id,
                    customer_id: row.line.customer_id,
                    defect_type: label,
                    partner_row: None,
                    partner_line_id: None,
                    clean_usage_imei: clean,
                    injected_usage_imei: None,
                });
            }
        }
    }

    for row in rows.iter_mut() {
        recompute_flags(row);
    }
    defects.sort_by_key(|d| d.row);
    Ok(Injection { counts, defects })
}

/// Step 3's flags: `missing_usage_imei` and `imei_mismatch` from the current
/// usage IMEI, `upstream_friction_risk` = imei mismatch or missing usage
/// IMEI or eip mismatch; `eip_exists` and `eip_mismatch` are kept.
pub fn recompute_flags(row: &mut LedgerRow) {
    let usage_imei = row.usage_imei();
    let flags = &mut row.flags;
    flags.missing_usage_imei = usage_imei.is_none();
    flags.imei_mismatch = imei_mismatch(row.agreement.as_ref(), usage_imei);
    flags.upstream_friction_risk =
        flags.imei_mismatch || flags.missing_usage_imei || flags.eip_mismatch;
}

/// Whether a row belongs in `imei_anomaly_examples.csv`: it carries a label
/// or any of the friction flags (imei mismatch, missing usage IMEI, eip
/// mismatch, upstream friction risk).
pub fn is_example(row: &LedgerRow) -> bool {
    let f = row.flags;
    row.imei_anomaly_type.is_some()
        || f.imei_mismatch
        || f.missing_usage_imei
        || f.eip_mismatch
        || f.upstream_friction_risk
}
