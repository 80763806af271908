//! The named stages of the chunk job, each a function over one chunk's rows:
//! generate → join → clean twin → inject → bill (ARCHITECTURE.md, *Data
//! flow of `run_all`*).

use crate::Error;
use novawireless_accounts::{AccountChunk, AccountGenerator};
use novawireless_anomalies::{
    inject, missing_pools, recompute_flags, AnomalyCounts, AnomalyParams, InjectedDefect,
    MissingPools,
};
use novawireless_billing::BillingCounts;
use novawireless_model::{Defect, DefectType, LedgerRow};

/// Cross-customer swap partners come from blocks of this many consecutive
/// customers, so every way of chunking the ledger gives the same swaps.
pub const SWAP_BLOCK: u64 = 1024;

/// Stage 1, generate: the step-1 rows of `chunk`'s customers into `out`,
/// reusing its vectors.
pub fn generate(
    generator: &AccountGenerator,
    chunk: crate::parallel::Chunk,
    out: &mut AccountChunk,
) {
    generator.generate_into(chunk.range, chunk.first_line, out);
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

/// Calls `f` on each run of rows whose customers share a swap block.
pub fn for_each_block<E>(
    rows: &mut [LedgerRow],
    mut f: impl FnMut(&mut [LedgerRow]) -> Result<(), E>,
) -> Result<(), E> {
    let mut rest = rows;
    while !rest.is_empty() {
        let block = rest[0].line.customer_id.index() / SWAP_BLOCK;
        let end = rest
            .iter()
            .position(|r| r.line.customer_id.index() / SWAP_BLOCK != block)
            .unwrap_or(rest.len());
        let (head, tail) = rest.split_at_mut(end);
        f(head)?;
        rest = tail;
    }
    Ok(())
}

/// Pass 1 of step 3: the missing-IMEI pools of a chunk, summed block by
/// block.
pub fn pools(rows: &mut [LedgerRow], params: &AnomalyParams) -> Result<MissingPools, Error> {
    let mut pools = MissingPools::default();
    for_each_block(rows, |block| -> Result<(), Error> {
        pools += missing_pools(block, params)?;
        Ok(())
    })?;
    Ok(pools)
}

/// Stage 3, inject: the anomalies of a chunk, block by block, with the
/// manifest rows of every defect (stage 1 and stage 3) appended to
/// `defects`.
pub fn inject_chunk(
    rows: &mut [LedgerRow],
    params: &AnomalyParams,
    pools: MissingPools,
    defects: &mut Vec<Defect>,
) -> Result<AnomalyCounts, Error> {
    let mut counts = AnomalyCounts::default();
    for_each_block(rows, |block| -> Result<(), Error> {
        let injection = inject(block, params, pools)?;
        counts += injection.counts;
        manifest(block, &injection.defects, defects);
        Ok(())
    })?;
    Ok(counts)
}

/// Appends the manifest rows of a block after step 3, in line order: the
/// generation-time mismatch (stage 1) of a line, then its step-3 defect.
///
/// A stage-1 row's injected value is the usage IMEI before step 3; its
/// donor is the customer's line whose current IMEI that is.
pub fn manifest(block: &[LedgerRow], injected: &[InjectedDefect], out: &mut Vec<Defect>) {
    let mut step3 = injected.iter().peekable();
    for (i, row) in block.iter().enumerate() {
        let here = step3.next_if(|d| d.row == i);
        let usage = row.usage.as_ref();
        if usage.is_some_and(|u| u.imei_line_mismatch_flag) {
            let before_step3 = here.map_or(row.usage_imei(), |d| d.clean_usage_imei);
            let customer = row.line.customer_id;
            let donor = block
                .iter()
                .filter(|r| r.line.customer_id == customer && r.line.line_id != row.line.line_id)
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
                defect_type: d.label.into(),
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
/// generation-time mismatch undone and no step-3 defect, billed: what the
/// final ledger is once the manifest is undone.
pub fn clean_twin(clean: &mut Vec<LedgerRow>, rows: &[LedgerRow]) -> Result<(), Error> {
    // As `Vec::clone_from`: the rows' own buffers are reused.
    clean.truncate(rows.len());
    let kept = clean.len();
    clean.clone_from_slice(&rows[..kept]);
    clean.extend_from_slice(&rows[kept..]);
    for r in clean.iter_mut() {
        if let Some(u) = r.usage.as_mut().filter(|u| u.imei_line_mismatch_flag) {
            u.usage_imei = Some(r.line.current_imei);
            u.imei_line_mismatch_flag = false;
        }
        recompute_flags(r);
    }
    bill(clean)?;
    Ok(())
}
