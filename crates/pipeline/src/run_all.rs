//! `run_all`: the four steps in one process, streaming chunks of customers.
//!
//! Two passes over the population: the first only counts the missing-IMEI
//! pools step 3 needs, the second generates, joins, injects, fixes billing
//! and writes every table. Nothing is held whole in memory.

use crate::step1::{write_step1_receipt, Step1Counts, Step1Writer, CHUNK_CUSTOMERS};
use crate::step2::{write_ledger_receipt, FlagCounts, LEDGER_FILE, LEDGER_RECEIPT};
use crate::step3::{
    chunk_inject, chunk_pools, write_anomaly_receipt, AnomalySummary, AnomalyWriters,
    ANOMALY_LEDGER_FILE, ANOMALY_RECEIPT, EXAMPLES_FILE,
};
use crate::{load_baseline, GenerateOptions, PipelineError};
use novawireless_accounts::{AccountGenerator, CustomerRange};
use novawireless_anomalies::{AnomalyCounts, AnomalyParams, MissingPools};
use novawireless_billing::BillingCounts;
use novawireless_io::{LedgerSchema, OutputSet};
use novawireless_ledger::join;
use std::path::Path;

/// What `run_all` did.
#[derive(Debug, Clone, PartialEq)]
pub struct RunAllReport {
    /// Step-1 row counts.
    pub step1: Step1Counts,
    /// Step-2 flag counts (before step 3).
    pub ledger: FlagCounts,
    /// Step-3 realised counts.
    pub anomalies: AnomalySummary,
    /// Step-4 value counts.
    pub billing: BillingCounts,
    /// Every file written, with size and hash.
    pub files: Vec<novawireless_io::FileRecord>,
}

fn internal(e: impl std::fmt::Display) -> PipelineError {
    PipelineError::Input(e.to_string())
}

/// Runs the four steps into `out_dir`, mirroring the ledger files to `mirror_dir`.
pub fn run_all(
    generate: &GenerateOptions,
    anomalies: &AnomalyParams,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
) -> Result<RunAllReport, PipelineError> {
    let baseline = load_baseline(generate.config.as_deref())?;
    let generator = AccountGenerator::new(
        &baseline,
        generate.params.clone(),
        generate.seed,
        generate.n_customers,
    );
    let population = CustomerRange::new(0, generate.n_customers);

    // Pass 1: the pools of step 3's missing-IMEI draws.
    let mut pools = MissingPools::default();
    let mut next_line = 0;
    for range in population.chunks(CHUNK_CUSTOMERS) {
        let chunk = generator.generate(range, next_line);
        next_line += chunk.lines.len() as u64;
        let mut rows = join(
            &chunk.customers,
            &chunk.lines,
            &chunk.agreements,
            &chunk.usage,
        )
        .map_err(internal)?;
        pools += chunk_pools(&mut rows, anomalies)?;
    }

    // Pass 2: every table.
    let mut out = OutputSet::create(out_dir)?;
    let mut step1 = Step1Writer::start(&mut out)?;
    let final_schema = LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: true,
    };
    let mut ledger = out.table(&[LEDGER_FILE], &final_schema.columns())?;
    let mut step3 = AnomalyWriters::start(&mut out, &[ANOMALY_LEDGER_FILE], false)?;
    let mut flag_counts = FlagCounts::default();
    let mut final_counts = FlagCounts::default();
    let mut anomaly_counts = AnomalyCounts::default();
    let mut billing = BillingCounts::default();
    let mut next_line = 0;
    for range in population.chunks(CHUNK_CUSTOMERS) {
        let chunk = generator.generate(range, next_line);
        next_line += chunk.lines.len() as u64;
        step1.write(&chunk)?;
        let mut rows = join(
            &chunk.customers,
            &chunk.lines,
            &chunk.agreements,
            &chunk.usage,
        )
        .map_err(internal)?;
        flag_counts.add(&rows);
        anomaly_counts += chunk_inject(&mut rows, anomalies, pools)?;
        step3.write(&rows)?;
        billing += novawireless_billing::apply(&mut rows).map_err(internal)?;
        final_counts.add(&rows);
        crate::step2::write_ledger(&mut ledger, &rows, final_schema)?;
    }
    let step1_counts = step1.finish(&mut out)?;
    let examples = step3.examples.row_count();
    out.finish(ledger)?;
    step3.finish(&mut out)?;
    let records = out.records().to_vec();
    let pick = |names: &[&str]| -> Vec<_> {
        records
            .iter()
            .filter(|r| names.contains(&r.path.as_str()))
            .cloned()
            .collect()
    };
    write_step1_receipt(
        &mut out,
        generate,
        generator.churn_model().intercept(),
        step1_counts,
        &pick(&crate::STEP1_FILES[..6]),
    )?;
    write_ledger_receipt(
        &mut out,
        out_dir,
        flag_counts,
        Some(final_counts),
        &pick(&[LEDGER_FILE]),
    )?;
    let summary = AnomalySummary::new(&anomaly_counts, examples);
    write_anomaly_receipt(
        &mut out,
        anomalies,
        true,
        out_dir,
        summary,
        &pick(&[ANOMALY_LEDGER_FILE, EXAMPLES_FILE, LEDGER_FILE]),
    )?;
    let files = out.commit()?;
    if let Some(mirror_dir) = mirror_dir {
        novawireless_io::mirror(
            out_dir,
            &[
                LEDGER_FILE,
                LEDGER_RECEIPT,
                ANOMALY_LEDGER_FILE,
                EXAMPLES_FILE,
                ANOMALY_RECEIPT,
            ],
            mirror_dir,
        )?;
    }
    Ok(RunAllReport {
        step1: step1_counts,
        ledger: flag_counts,
        anomalies: summary,
        billing,
        files,
    })
}
