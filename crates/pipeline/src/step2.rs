//! Step 2: `build_master_account_ledger`.

use crate::{PipelineError, TOOL};
use novawireless_io::read::{read_step1, Step1Tables};
use novawireless_io::{tables, FileRecord, LedgerSchema, OutputSet, TableWriter};
use novawireless_ledger::{join, JoinError, Table};
use novawireless_model::LedgerRow;
use serde::Serialize;
use std::path::Path;

/// The ledger file every step after 1 reads and writes.
pub const LEDGER_FILE: &str = "master_account_ledger.csv";
/// Step 2's receipt.
pub const LEDGER_RECEIPT: &str = "master_account_ledger_receipt.json";

/// Rows of a ledger and how many carry each flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FlagCounts {
    /// Ledger rows (one per line).
    pub rows: u64,
    /// Rows with `eip_exists_flag` 1.
    pub eip_exists_flag: u64,
    /// Rows with `imei_mismatch_flag` 1.
    pub imei_mismatch_flag: u64,
    /// Rows with `missing_usage_imei_flag` 1.
    pub missing_usage_imei_flag: u64,
    /// Rows with `eip_mismatch_flag` 1.
    pub eip_mismatch_flag: u64,
    /// Rows with `upstream_friction_risk_flag` 1.
    pub upstream_friction_risk_flag: u64,
}

impl FlagCounts {
    /// Adds the rows of a chunk.
    pub fn add(&mut self, rows: &[LedgerRow]) {
        for r in rows {
            let f = r.flags;
            self.rows += 1;
            self.eip_exists_flag += u64::from(f.eip_exists);
            self.imei_mismatch_flag += u64::from(f.imei_mismatch);
            self.missing_usage_imei_flag += u64::from(f.missing_usage_imei);
            self.eip_mismatch_flag += u64::from(f.eip_mismatch);
            self.upstream_friction_risk_flag += u64::from(f.upstream_friction_risk);
        }
    }
}

#[derive(Serialize)]
struct LedgerReceipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: LedgerParameters<'a>,
    row_counts: FlagCounts,
    /// In a `run_all` output the listed ledger is the final one: its flags
    /// after steps 3 and 4, beside the step-2 counts above.
    #[serde(skip_serializing_if = "Option::is_none")]
    final_ledger_counts: Option<FlagCounts>,
    files: &'a [FileRecord],
}

#[derive(Serialize)]
struct LedgerParameters<'a> {
    in_dir: String,
    format: &'a str,
}

/// Writes the step-2 receipt listing `files`.
pub(crate) fn write_ledger_receipt(
    out: &mut OutputSet,
    in_dir: &Path,
    counts: FlagCounts,
    final_ledger_counts: Option<FlagCounts>,
    files: &[FileRecord],
) -> Result<(), PipelineError> {
    let receipt = LedgerReceipt {
        dataset: "novawireless_master_account_ledger",
        step: "build_master_account_ledger",
        tool: TOOL,
        parameters: LedgerParameters {
            in_dir: in_dir.display().to_string(),
            format: "csv",
        },
        row_counts: counts,
        final_ledger_counts,
        files,
    };
    Ok(out.json(LEDGER_RECEIPT, &receipt)?)
}

/// Turns a join error into `file:line: message`.
pub(crate) fn join_error(in_dir: &Path, tables: &Step1Tables, e: &JoinError) -> PipelineError {
    let lines = match e.table() {
        Table::Customers => &tables.customers.1,
        Table::Lines => &tables.lines.1,
        Table::EipAgreements => &tables.agreements.1,
        Table::Usage => &tables.usage.1,
    };
    let line = lines.get(e.row()).copied().unwrap_or(0);
    let mut message = e.to_string();
    let first_row = match e {
        JoinError::DuplicateCustomerId { first_row, .. }
        | JoinError::DuplicateLineId { first_row, .. }
        | JoinError::DuplicateLineRow { first_row, .. } => Some(*first_row),
        _ => None,
    };
    if let Some(first_row) = first_row {
        let first_line = lines.get(first_row).copied().unwrap_or(0);
        message = message.replace(
            &format!("(first at row {first_row})"),
            &format!("(first on line {first_line})"),
        );
    }
    let message = message
        .split_once(": ")
        .map_or(message.as_str(), |(_, rest)| rest);
    let file = in_dir.join(format!("{}.csv", e.table().stem()));
    PipelineError::Input(format!("{}:{line}: {message}", file.display()))
}

/// Writes ledger rows to a table.
pub(crate) fn write_ledger(
    table: &mut TableWriter,
    rows: &[LedgerRow],
    schema: LedgerSchema,
) -> Result<(), PipelineError> {
    for r in rows {
        table.row(|out| tables::ledger_row(out, r, schema))?;
    }
    Ok(())
}

/// Runs step 2: reads the step-1 tables from `in_dir` (and nowhere else) and
/// writes the ledger and its receipt to `out_dir`, mirrored to `mirror_dir`.
pub fn build_master_account_ledger(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
) -> Result<FlagCounts, PipelineError> {
    let tables = read_step1(in_dir).map_err(|e| PipelineError::Input(e.0))?;
    let rows = join(
        &tables.customers.0,
        &tables.lines.0,
        &tables.agreements.0,
        &tables.usage.0,
    )
    .map_err(|e| join_error(in_dir, &tables, &e))?;
    let mut out = OutputSet::create(out_dir)?;
    let schema = LedgerSchema::default();
    let mut table = out.table(&[LEDGER_FILE], &schema.columns())?;
    write_ledger(&mut table, &rows, schema)?;
    out.finish(table)?;
    let mut counts = FlagCounts::default();
    counts.add(&rows);
    let files = out.records().to_vec();
    write_ledger_receipt(&mut out, in_dir, counts, None, &files)?;
    out.commit()?;
    if let Some(mirror_dir) = mirror_dir {
        novawireless_io::mirror(out_dir, &[LEDGER_FILE, LEDGER_RECEIPT], mirror_dir)?;
    }
    Ok(counts)
}
