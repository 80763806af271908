//! `run_all`: the four steps in one process, streaming chunks of customers.
//!
//! Two passes over the population: the first only counts the missing-IMEI
//! pools step 3 needs, the second generates, joins, injects, fixes billing
//! and formats every table on rayon's threads, chunk by chunk, while the
//! calling thread writes finished chunks in order. Nothing is held whole in
//! memory.

use crate::parallel::{plan, process_in_order, Chunk, Recycler, BLOCK_CUSTOMERS};
use crate::progress::Progress;
use crate::step1::{write_step1_receipt, Step1Buffers, Step1Counts, Step1Writer};
use crate::step2::{write_ledger_receipt, FlagCounts, LEDGER_FILE, LEDGER_RECEIPT};
use crate::step3::{
    chunk_inject, chunk_pools, write_anomaly_receipt, AnomalySummary, ANOMALY_LEDGER_FILE,
    ANOMALY_RECEIPT, EXAMPLES_FILE, MANIFEST_FILE,
};
use crate::{load_baseline, GenerateOptions, PipelineError};
use novawireless_accounts::{AccountGenerator, CustomerRange};
use novawireless_anomalies::{is_example, recompute_flags};
use novawireless_anomalies::{AnomalyCounts, AnomalyParams, MissingPools};
use novawireless_billing::BillingCounts;
use novawireless_io::{tables, LedgerSchema, OutputSet};
use novawireless_ledger::join;
use novawireless_model::{Defect, LedgerRow};
use rayon::prelude::*;
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

/// `--shard K/N`: the K-th (1-based) of N contiguous customer ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shard {
    /// K, from 1 to N.
    pub index: u64,
    /// N.
    pub count: u64,
}

impl Shard {
    /// The customers of this shard: contiguous, near-equal runs of whole
    /// swap blocks, so a shard's anomalies are those of the full run.
    pub fn range(self, population: u64) -> CustomerRange {
        let blocks = population.div_ceil(BLOCK_CUSTOMERS);
        let start = CustomerRange::shard(blocks, self.index - 1, self.count);
        CustomerRange::new(
            (start.start * BLOCK_CUSTOMERS).min(population),
            (start.end * BLOCK_CUSTOMERS).min(population),
        )
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = s.split_once('/').and_then(|(k, n)| {
            Some((k.trim().parse::<u64>().ok()?, n.trim().parse::<u64>().ok()?))
        });
        match parsed {
            Some((index, count)) if count >= 1 && (1..=count).contains(&index) => {
                Ok(Shard { index, count })
            }
            Some((index, count)) => Err(format!("shard {index} is not in 1..={count}")),
            None => Err(format!("{s:?} is not K/N (for example 2/8)")),
        }
    }
}

impl std::ops::AddAssign for FlagCounts {
    fn add_assign(&mut self, o: FlagCounts) {
        self.rows += o.rows;
        self.eip_exists_flag += o.eip_exists_flag;
        self.imei_mismatch_flag += o.imei_mismatch_flag;
        self.missing_usage_imei_flag += o.missing_usage_imei_flag;
        self.eip_mismatch_flag += o.eip_mismatch_flag;
        self.upstream_friction_risk_flag += o.upstream_friction_risk_flag;
    }
}

/// One chunk's output tables, formatted on a worker thread.
#[derive(Default)]
struct ChunkOutput {
    step1: Step1Buffers,
    ledger: Vec<u8>,
    anomalies: Vec<u8>,
    examples: Vec<u8>,
    example_rows: u64,
    defects: Vec<Defect>,
    manifest: Vec<u8>,
    clean: Vec<u8>,
    flags: FlagCounts,
    final_flags: FlagCounts,
    anomaly_counts: AnomalyCounts,
    billing: BillingCounts,
}

/// The ledger of the same population with no defect injected.
pub const CLEAN_LEDGER_FILE: &str = "master_account_ledger__clean.csv";

/// Everything `run_all` needs besides the output folders.
#[derive(Debug, Clone, PartialEq)]
pub struct RunAllOptions {
    /// Step 1.
    pub generate: GenerateOptions,
    /// Step 3.
    pub anomalies: AnomalyParams,
    /// Only this shard of the customers.
    pub shard: Option<Shard>,
    /// Also write the clean twin, [`CLEAN_LEDGER_FILE`].
    pub clean_twin: bool,
}

/// Runs the four steps into `out_dir` for all customers, or for one shard,
/// mirroring the ledger files to `mirror_dir`.
pub fn run_all(
    options: &RunAllOptions,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
) -> Result<RunAllReport, PipelineError> {
    if let Some(mirror_dir) = mirror_dir {
        // Refuse an unusable mirror before anything changes.
        OutputSet::check_folder(mirror_dir)?;
    }
    let generate = &options.generate;
    let anomalies = &options.anomalies;
    let shard = options.shard;
    let baseline = load_baseline(generate.config.as_deref())?;
    let generator = AccountGenerator::new(
        &baseline,
        generate.params.clone(),
        generate.seed,
        generate.n_customers,
    );
    let population = CustomerRange::new(0, generate.n_customers);
    let range = shard.map_or(population, |s| s.range(generate.n_customers));
    let joined = |c: Chunk| -> Result<Vec<LedgerRow>, PipelineError> {
        let chunk = generator.generate(c.range, c.first_line);
        join(
            &chunk.customers,
            &chunk.lines,
            &chunk.agreements,
            &chunk.usage,
        )
        .map_err(internal)
    };

    // Pass 1: the pools of step 3's missing-IMEI draws, over the whole
    // population (a shard needs them too).
    let all_chunks = plan(&generator, population, generate.chunk_customers);
    let counted = Progress::new("pools", generate.n_customers, generate.progress);
    let pools = all_chunks
        .par_iter()
        .map(|c| {
            let pools = chunk_pools(&mut joined(*c)?, anomalies);
            counted.tick(c.range.len());
            pools
        })
        .try_reduce(MissingPools::default, |a, b| Ok(a + b))?;
    counted.finish();

    // Pass 2: every table of this range.
    let chunks = if range == population {
        all_chunks
    } else {
        plan(&generator, range, generate.chunk_customers)
    };
    let final_schema = LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: true,
    };
    let anomaly_schema = LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: false,
    };
    let recycler = Recycler::<ChunkOutput>::default();
    let process = |c: Chunk| -> Result<ChunkOutput, PipelineError> {
        let mut o = recycler.take();
        let chunk = generator.generate(c.range, c.first_line);
        o.step1.format_into(&chunk);
        let mut rows = join(
            &chunk.customers,
            &chunk.lines,
            &chunk.agreements,
            &chunk.usage,
        )
        .map_err(internal)?;
        drop(chunk);
        o.flags = FlagCounts::default();
        o.flags.add(&rows);
        o.clean.clear();
        if options.clean_twin {
            // The same rows with the generation-time mismatch undone and no
            // step-3 defect: what the final ledger is once the manifest is undone.
            let mut clean = rows.clone();
            for r in &mut clean {
                if let Some(u) = r.usage.as_mut().filter(|u| u.imei_line_mismatch_flag) {
                    u.usage_imei = Some(r.line.current_imei);
                    u.imei_line_mismatch_flag = false;
                }
                recompute_flags(r);
            }
            novawireless_billing::apply(&mut clean).map_err(internal)?;
            for r in &clean {
                tables::ledger_row(&mut o.clean, r, final_schema);
            }
        }
        o.defects.clear();
        o.anomaly_counts = chunk_inject(&mut rows, anomalies, pools, &mut o.defects)?;
        o.manifest.clear();
        for d in &o.defects {
            tables::manifest_row(&mut o.manifest, d);
        }
        o.anomalies.clear();
        o.examples.clear();
        o.example_rows = 0;
        for r in &rows {
            tables::ledger_row(&mut o.anomalies, r, anomaly_schema);
            if is_example(r) {
                tables::example_row(&mut o.examples, r);
                o.example_rows += 1;
            }
        }
        o.billing = novawireless_billing::apply(&mut rows).map_err(internal)?;
        o.final_flags = FlagCounts::default();
        o.final_flags.add(&rows);
        o.ledger.clear();
        for r in &rows {
            tables::ledger_row(&mut o.ledger, r, final_schema);
        }
        Ok(o)
    };

    let mut out = OutputSet::create(out_dir)?;
    let mut step1 = Step1Writer::start(&mut out)?;
    let mut ledger = out.table(&[LEDGER_FILE], &final_schema.columns())?;
    let mut anomaly_ledger = out.table(&[ANOMALY_LEDGER_FILE], &anomaly_schema.columns())?;
    let mut examples = out.table(&[EXAMPLES_FILE], tables::EXAMPLE_COLUMNS)?;
    let mut manifest = out.table(&[MANIFEST_FILE], tables::MANIFEST_COLUMNS)?;
    let mut clean = if options.clean_twin {
        Some(out.table(&[CLEAN_LEDGER_FILE], &final_schema.columns())?)
    } else {
        None
    };
    let mut flag_counts = FlagCounts::default();
    let mut final_counts = FlagCounts::default();
    let mut anomaly_counts = AnomalyCounts::default();
    let mut billing = BillingCounts::default();
    let mut progress = Progress::new("tables", range.len(), generate.progress);
    process_in_order(&chunks, process, |mut o| {
        progress.add(o.step1.counts.customers);
        step1.append(&o.step1)?;
        let rows = o.flags.rows;
        ledger.append(&o.ledger, rows)?;
        anomaly_ledger.append(&o.anomalies, rows)?;
        examples.append(&o.examples, o.example_rows)?;
        manifest.append(&o.manifest, o.defects.len() as u64)?;
        if let Some(clean) = clean.as_mut() {
            clean.append(&o.clean, rows)?;
        }
        flag_counts += o.flags;
        final_counts += o.final_flags;
        anomaly_counts += o.anomaly_counts;
        billing += std::mem::take(&mut o.billing);
        recycler.give(o);
        Ok(())
    })?;
    progress.finish();
    let step1_counts = step1.finish(&mut out)?;
    let example_rows = examples.row_count();
    out.finish(ledger)?;
    out.finish(anomaly_ledger)?;
    out.finish(examples)?;
    let manifest_rows = out.finish(manifest)?;
    if let Some(clean) = clean {
        out.finish(clean)?;
    }
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
        shard,
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
    let summary = AnomalySummary::new(&anomaly_counts, example_rows, manifest_rows);
    write_anomaly_receipt(
        &mut out,
        anomalies,
        true,
        out_dir,
        summary,
        &pick(&[
            ANOMALY_LEDGER_FILE,
            EXAMPLES_FILE,
            MANIFEST_FILE,
            LEDGER_FILE,
            CLEAN_LEDGER_FILE,
        ]),
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
                MANIFEST_FILE,
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
