//! Step 3: `inject_imei_anomalies`.

use crate::step2::{write_ledger, LEDGER_FILE};
use crate::{PipelineError, TOOL};
use novawireless_anomalies::{
    inject, is_example, missing_pools, AnomalyCounts, AnomalyParams, MissingPools,
};
use novawireless_io::read::{ledger_row, open_ledger};
use novawireless_io::tables::{LEDGER_ANOMALY, LEDGER_BILLING};
use novawireless_io::{tables, FileRecord, LedgerSchema, OutputSet, TableWriter};
use novawireless_model::LedgerRow;
use serde::Serialize;
use std::path::Path;

/// The ledger with the injected anomalies and their labels.
pub const ANOMALY_LEDGER_FILE: &str = "master_account_ledger__anomalies.csv";
/// Rows with a label or a friction flag.
pub const EXAMPLES_FILE: &str = "imei_anomaly_examples.csv";
/// Step 3's receipt.
pub const ANOMALY_RECEIPT: &str = "imei_anomaly_injection_receipt.json";
/// Cross-customer swap partners come from blocks of this many consecutive
/// customers, so every way of chunking the ledger gives the same swaps.
pub const SWAP_BLOCK: u64 = 1024;

/// Calls `f` on each run of rows whose customers share a swap block.
pub(crate) fn for_each_block<E>(
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

/// Sums the missing-IMEI pools of a chunk, block by block.
pub(crate) fn chunk_pools(
    rows: &mut [LedgerRow],
    params: &AnomalyParams,
) -> Result<MissingPools, PipelineError> {
    let mut pools = MissingPools::default();
    for_each_block(rows, |block| -> Result<(), PipelineError> {
        pools += missing_pools(block, params).map_err(|e| PipelineError::Input(e.to_string()))?;
        Ok(())
    })?;
    Ok(pools)
}

/// Injects the anomalies of a chunk, block by block.
pub(crate) fn chunk_inject(
    rows: &mut [LedgerRow],
    params: &AnomalyParams,
    pools: MissingPools,
) -> Result<AnomalyCounts, PipelineError> {
    let mut counts = AnomalyCounts::default();
    for_each_block(rows, |block| -> Result<(), PipelineError> {
        counts += inject(block, params, pools)
            .map_err(|e| PipelineError::Input(e.to_string()))?
            .counts;
        Ok(())
    })?;
    Ok(counts)
}

/// The writers of step 3's two tables.
pub(crate) struct AnomalyWriters {
    pub(crate) ledger: TableWriter,
    pub(crate) examples: TableWriter,
    pub(crate) schema: LedgerSchema,
}

impl AnomalyWriters {
    pub(crate) fn start(
        out: &mut OutputSet,
        names: &[&str],
        billing: bool,
    ) -> Result<Self, PipelineError> {
        let schema = LedgerSchema {
            anomaly_type: true,
            billing_agreement_type: billing,
        };
        Ok(AnomalyWriters {
            ledger: out.table(names, &schema.columns())?,
            examples: out.table(&[EXAMPLES_FILE], tables::EXAMPLE_COLUMNS)?,
            schema,
        })
    }

    pub(crate) fn write(&mut self, rows: &[LedgerRow]) -> Result<(), PipelineError> {
        write_ledger(&mut self.ledger, rows, self.schema)?;
        for r in rows.iter().filter(|r| is_example(r)) {
            self.examples.row(|out| tables::example_row(out, r))?;
        }
        Ok(())
    }

    pub(crate) fn finish(self, out: &mut OutputSet) -> Result<(), PipelineError> {
        out.finish(self.ledger)?;
        out.finish(self.examples)?;
        Ok(())
    }
}

#[derive(Serialize)]
struct AnomalyParameters<'a> {
    seed: u64,
    p_mismatch: f64,
    p_missing: f64,
    within_customer_only: bool,
    overwrite_base: bool,
    in_dir: String,
    format: &'a str,
}

/// Realised counts, as the receipt lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnomalySummary {
    /// Ledger rows.
    pub rows: u64,
    /// Rows eligible for a swap.
    pub swap_eligible: u64,
    /// Eligible rows chosen to start a swap.
    pub swaps_chosen: u64,
    /// Chosen rows that found no partner.
    pub swaps_without_partner: u64,
    /// Rows eligible for a blanked IMEI, with an agreement.
    pub missing_eligible_with_agreement: u64,
    /// Rows eligible for a blanked IMEI, without an agreement.
    pub missing_eligible_without_agreement: u64,
    /// Rows labelled `imei_mismatch_swap`.
    pub imei_mismatch_swap: u64,
    /// Rows labelled `missing_usage_imei_capture_failure`.
    pub missing_usage_imei_capture_failure: u64,
    /// Rows labelled `missing_usage_imei_ghost_line`.
    pub missing_usage_imei_ghost_line: u64,
    /// Rows in `imei_anomaly_examples.csv`.
    pub example_rows: u64,
}

impl AnomalySummary {
    pub(crate) fn new(c: &AnomalyCounts, example_rows: u64) -> Self {
        AnomalySummary {
            rows: c.rows,
            swap_eligible: c.swap_eligible,
            swaps_chosen: c.swaps_chosen,
            swaps_without_partner: c.swaps_without_partner,
            missing_eligible_with_agreement: c.missing_eligible_with_agreement,
            missing_eligible_without_agreement: c.missing_eligible_without_agreement,
            imei_mismatch_swap: c.swapped_rows,
            missing_usage_imei_capture_failure: c.capture_failures,
            missing_usage_imei_ghost_line: c.ghost_lines,
            example_rows,
        }
    }
}

#[derive(Serialize)]
struct AnomalyReceipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: AnomalyParameters<'a>,
    realised: AnomalySummary,
    files: &'a [FileRecord],
}

/// Writes the step-3 receipt listing the files recorded so far.
pub(crate) fn write_anomaly_receipt(
    out: &mut OutputSet,
    params: &AnomalyParams,
    overwrite_base: bool,
    in_dir: &Path,
    summary: AnomalySummary,
    files: &[FileRecord],
) -> Result<(), PipelineError> {
    let receipt = AnomalyReceipt {
        dataset: "novawireless_master_account_ledger",
        step: "inject_imei_anomalies",
        tool: TOOL,
        parameters: AnomalyParameters {
            seed: params.seed,
            p_mismatch: params.p_mismatch,
            p_missing: params.p_missing,
            within_customer_only: params.within_customer_only,
            overwrite_base,
            in_dir: in_dir.display().to_string(),
            format: "csv",
        },
        realised: summary,
        files,
    };
    Ok(out.json(ANOMALY_RECEIPT, &receipt)?)
}

/// Reads a whole ledger file.
/// A ledger file read whole: its rows, the file line of each, and which
/// optional columns it has.
pub(crate) struct LedgerFile {
    pub(crate) rows: Vec<LedgerRow>,
    pub(crate) lines: Vec<u64>,
    pub(crate) billing: bool,
    pub(crate) anomaly_type: bool,
}

pub(crate) fn read_ledger(path: &Path) -> Result<LedgerFile, PipelineError> {
    let mut table = open_ledger(path).map_err(|e| PipelineError::Input(e.0))?;
    let billing = table.has(LEDGER_BILLING);
    let anomaly = table.has(LEDGER_ANOMALY);
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    while let Some(row) = table.next_row().map_err(|e| PipelineError::Input(e.0))? {
        let parsed = ledger_row(&row).map_err(|e| PipelineError::Input(e.0))?;
        if let Some(previous) = rows.last().map(|r: &LedgerRow| r.line.customer_id) {
            if parsed.line.customer_id < previous {
                return Err(PipelineError::Input(
                    row.error(format_args!(
                        "customer {} after {previous}: the ledger must be in customer order",
                        parsed.line.customer_id
                    ))
                    .0,
                ));
            }
        }
        if let Some(previous) = rows.last().map(|r: &LedgerRow| r.line.line_id) {
            if parsed.line.line_id <= previous {
                return Err(PipelineError::Input(
                    row.error(format_args!(
                        "line {} after {previous}: duplicate or out-of-order line_id",
                        parsed.line.line_id
                    ))
                    .0,
                ));
            }
        }
        lines.push(row.line());
        rows.push(parsed);
    }
    Ok(LedgerFile {
        rows,
        lines,
        billing,
        anomaly_type: anomaly,
    })
}

/// Runs step 3 on `in_dir/master_account_ledger.csv`.
pub fn inject_imei_anomalies(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
) -> Result<AnomalySummary, PipelineError> {
    let LedgerFile {
        mut rows, billing, ..
    } = read_ledger(&in_dir.join(LEDGER_FILE))?;
    let pools = chunk_pools(&mut rows, params)?;
    let counts = chunk_inject(&mut rows, params, pools)?;
    let mut out = OutputSet::create(out_dir)?;
    let names: &[&str] = if overwrite_base {
        &[ANOMALY_LEDGER_FILE, LEDGER_FILE]
    } else {
        &[ANOMALY_LEDGER_FILE]
    };
    let mut writers = AnomalyWriters::start(&mut out, names, billing)?;
    writers.write(&rows)?;
    let examples = writers.examples.row_count();
    writers.finish(&mut out)?;
    let summary = AnomalySummary::new(&counts, examples);
    let files = out.records().to_vec();
    write_anomaly_receipt(&mut out, params, overwrite_base, in_dir, summary, &files)?;
    out.commit()?;
    if let Some(mirror_dir) = mirror_dir {
        let mut names = vec![ANOMALY_LEDGER_FILE, EXAMPLES_FILE, ANOMALY_RECEIPT];
        if overwrite_base {
            names.push(LEDGER_FILE);
        }
        novawireless_io::mirror(out_dir, &names, mirror_dir)?;
    }
    Ok(summary)
}
