//! The named stages of the chunk job, each a function over one chunk's rows:
//! generate → join → clean twin → inject → bill (ARCHITECTURE.md, *Data
//! flow of `run_all`*).

use crate::Error;
use novawireless_accounts::{AccountChunk, AccountGenerator, Partition};
use novawireless_anomalies::{
    inject, missing_pools, AnomalyCounts, AnomalyParams, InjectedDefect, MissingPools, SwapBlocks,
};
use novawireless_billing::BillingCounts;
use novawireless_model::{Defect, DefectType, LedgerRow};

/// Stage 1, generate: the step-1 rows of `chunk`'s customers into `out`,
/// reusing its vectors.
pub fn generate(generator: &AccountGenerator, chunk: Partition, out: &mut AccountChunk) {
    generator.generate_into(chunk, out);
}

/// Stage 2, join: the ledger of a chunk's step-1 rows into `rows`, reusing
/// its vector.
pub fn join(chunk: &AccountChunk, rows: &mut Vec<LedgerRow>) -> Result<(), Error> {
    let k = chunk;
    Ok(novawireless_ledger::join_into(
        &k.customers,
        &k.lines,
        &k.agreements,
        &k.usage,
        rows,
    )?)
}

/// Stage 4, bill: `billing_agreement_type` on every row.
pub fn bill(rows: &mut [LedgerRow]) -> Result<BillingCounts, Error> {
    Ok(novawireless_billing::apply(rows)?)
}

/// Pass 1 of step 3: the missing-IMEI pools of a chunk, the rows of the
/// whole swap blocks `blocks`.
pub fn pools(
    rows: &[LedgerRow],
    blocks: &SwapBlocks,
    params: &AnomalyParams,
) -> Result<MissingPools, Error> {
    Ok(missing_pools(rows, blocks, params)?)
}

/// Stage 3, inject: the anomalies of a chunk, the rows of the whole swap
/// blocks `blocks`, with the manifest rows of every defect (stage 1 and
/// stage 3) appended to `defects`.
pub fn inject_chunk(
    rows: &mut [LedgerRow],
    blocks: &SwapBlocks,
    params: &AnomalyParams,
    pools: MissingPools,
    defects: &mut Vec<Defect>,
) -> Result<AnomalyCounts, Error> {
    let injection = inject(rows, blocks, params, pools)?;
    manifest(rows, &injection.defects, defects);
    Ok(injection.counts)
}

/// Appends the manifest rows of a chunk after step 3 (rows grouped by
/// customer), in line order: the generation-time mismatch (stage 1) of a
/// line, then its step-3 defect.
///
/// A stage-1 row's injected value is the usage IMEI before step 3; its
/// donor is the customer's line whose current IMEI that is.
pub fn manifest(rows: &[LedgerRow], injected: &[InjectedDefect], out: &mut Vec<Defect>) {
    let mut step3 = injected.iter().peekable();
    for (i, row) in rows.iter().enumerate() {
        let here = step3.next_if(|d| d.row == i);
        let usage = row.usage.as_ref();
        if usage.is_some_and(|u| u.imei_line_mismatch_flag) {
            let before_step3 = here.map_or(row.usage_imei(), |d| d.clean_usage_imei);
            let customer = row.line.customer_id;
            // The customer's rows, around row i.
            let start = rows[..i]
                .iter()
                .rposition(|r| r.line.customer_id != customer)
                .map_or(0, |p| p + 1);
            let end = rows[i..]
                .iter()
                .position(|r| r.line.customer_id != customer)
                .map_or(rows.len(), |p| i + p);
            let donor = rows[start..end]
                .iter()
                .filter(|r| r.line.line_id != row.line.line_id)
                .find(|r| Some(r.line.current_imei) == before_step3)
                .map(|r| r.line.line_id);
            out.push(Defect {
                defect_type: DefectType::GenerationUsageMismatch,
                customer_id: customer,
                line_id: row.line.line_id,
                partner_line_id: donor,
                clean_value: Some(row.line.current_imei),
                injected_value: before_step3,
            });
        }
        if let Some(d) = here {
            out.push(Defect {
                defect_type: d.defect_type,
                customer_id: d.customer_id,
                line_id: d.line_id,
                partner_line_id: d.partner_line_id,
                clean_value: d.clean_usage_imei,
                injected_value: d.injected_usage_imei,
            });
        }
    }
}

/// The clean-twin stage: sets `clean` to the joined `rows` with the
/// generation-time mismatch undone and no step-3 defect (the anomalies
/// crate's `clean_twin`), billed: what the final ledger is once the
/// manifest is undone.
pub fn clean_twin(clean: &mut Vec<LedgerRow>, rows: &[LedgerRow]) -> Result<(), Error> {
    novawireless_anomalies::clean_twin(rows, clean);
    bill(clean)?;
    Ok(())
}
