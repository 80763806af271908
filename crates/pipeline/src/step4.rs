//! Step 4: `fix_ledger_contract_proxy`.

use crate::step2::{write_ledger, LEDGER_FILE};
use crate::step3::{read_ledger, LedgerFile};
use crate::PipelineError;
use novawireless_billing::{apply, BillingCounts};
use novawireless_io::{LedgerSchema, OutputSet};
use std::path::Path;

/// The copy of the ledger step 4 writes before changing it.
pub const BACKUP_FILE: &str = "master_account_ledger__pre_contract_fix.csv";

/// Runs step 4: writes the backup of `in_dir/master_account_ledger.csv`,
/// then the ledger with `billing_agreement_type` in place of `contract_proxy`.
pub fn fix_ledger_contract_proxy(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
) -> Result<BillingCounts, PipelineError> {
    let input = in_dir.join(LEDGER_FILE);
    let LedgerFile {
        mut rows,
        lines,
        anomaly_type,
        ..
    } = read_ledger(&input)?;
    let counts = apply(&mut rows).map_err(|e| {
        let line = lines.get(e.row).copied().unwrap_or(0);
        let message = e.to_string();
        let message = message
            .split_once(": ")
            .map_or(message.as_str(), |(_, rest)| rest);
        PipelineError::Input(format!("{}:{line}: {message}", input.display()))
    })?;
    let original = std::fs::read(&input)
        .map_err(|e| PipelineError::Input(format!("{}: cannot read: {e}", input.display())))?;
    let mut out = OutputSet::create(out_dir)?;
    out.bytes(BACKUP_FILE, &original)?;
    let schema = LedgerSchema {
        anomaly_type,
        billing_agreement_type: true,
    };
    let mut table = out.table(&[LEDGER_FILE], &schema.columns())?;
    write_ledger(&mut table, &rows, schema)?;
    out.finish(table)?;
    out.commit()?;
    if let Some(mirror_dir) = mirror_dir {
        novawireless_io::mirror(out_dir, &[LEDGER_FILE], mirror_dir)?;
    }
    Ok(counts)
}
