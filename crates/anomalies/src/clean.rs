//! The clean twin: the ledger with no defect at all, what the final ledger
//! is once every manifest row is undone.

use crate::inject::recompute_flags;
use novawireless_model::LedgerRow;

/// Undoes the generation-time mismatch (stage 1) of a step-2 ledger row: a
/// usage row flagged `imei_line_mismatch_flag` gets its line's current IMEI
/// back and loses the flag. The flags are then recomputed by step 3's rule
/// ([`recompute_flags`]), as on every row of the final ledger.
pub fn undo_generation_mismatch(row: &mut LedgerRow) {
    if let Some(u) = row.usage.as_mut().filter(|u| u.imei_line_mismatch_flag) {
        u.usage_imei = Some(row.line.current_imei);
        u.imei_line_mismatch_flag = false;
    }
    recompute_flags(row);
}

/// Sets `clean` to the step-2 ledger rows `rows` (before [`crate::inject`])
/// with [`undo_generation_mismatch`] applied to each: the clean twin, but
/// for `billing_agreement_type`, which the caller computes (step 4).
/// `clean`'s rows and their buffers are reused.
pub fn clean_twin(rows: &[LedgerRow], clean: &mut Vec<LedgerRow>) {
    // As `Vec::clone_from`: the rows' own buffers are reused.
    clean.truncate(rows.len());
    let kept = clean.len();
    clean.clone_from_slice(&rows[..kept]);
    clean.extend_from_slice(&rows[kept..]);
    for r in clean.iter_mut() {
        undo_generation_mismatch(r);
    }
}
