//! `run_all`: the four steps in one process, streaming chunks of customers.
//!
//! Two passes over the population: the first only counts the missing-IMEI
//! pools step 3 needs, the second generates, joins, injects, fixes billing
//! and formats every table on rayon's threads, chunk by chunk, while the
//! calling thread writes finished chunks in order. Nothing is held whole in
//! memory.

use crate::parallel::{process_in_order, Recycler};
use crate::progress::Progress;
use crate::sinks::{fill, fill_step1, internal, open_step1, refs, Part, Sink, STEP1_TABLES};
use crate::step1::{write_step1_receipt, Step1Counts};
use crate::step2::{write_ledger_receipt, FlagCounts, LEDGER_FILE, LEDGER_RECEIPT};
use crate::step3::{
    chunk_inject, chunk_pools, write_anomaly_receipt, AnomalySummary, ANOMALY_LEDGER_FILE,
    ANOMALY_RECEIPT, EXAMPLES_FILE, MANIFEST_FILE,
};
use crate::{load_baseline, Format, GenerateOptions, PipelineError};
use novawireless_accounts::{AccountChunk, AccountGenerator, CustomerRange, Partition};
use novawireless_anomalies::{clean_twin, is_example};
use novawireless_anomalies::{AnomalyCounts, AnomalyParams, MissingPools, SwapBlocks, SWAP_BLOCK};
use novawireless_billing::BillingCounts;
use novawireless_io::parquet;
use novawireless_io::tables::{Examples, Ledger, Manifest};
use novawireless_io::{LedgerSchema, OutputSet};
use novawireless_ledger::join_into;
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
    /// The profile's files, with `report`.
    pub profile_files: Vec<novawireless_io::FileRecord>,
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
        let blocks = population.div_ceil(SWAP_BLOCK);
        let start = CustomerRange::shard(blocks, self.index - 1, self.count);
        CustomerRange::new(
            (start.start * SWAP_BLOCK).min(population),
            (start.end * SWAP_BLOCK).min(population),
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

/// The tables `run_all` writes, in order: the index of each in a chunk's
/// parts and in the writer's sinks.
/// (The five step-1 tables come first: see [`STEP1_TABLES`].)
pub(crate) const LEDGER: usize = 5;
pub(crate) const ANOMALIES: usize = 6;
pub(crate) const EXAMPLES: usize = 7;
pub(crate) const MANIFEST: usize = 8;
pub(crate) const CLEAN: usize = 9;
pub(crate) const TABLES: usize = 10;

/// One chunk's output tables, formatted on a worker thread.
#[derive(Default)]
pub(crate) struct ChunkOutput {
    pub(crate) parts: [Part; TABLES],
    step1: Step1Counts,
    flags: FlagCounts,
    final_flags: FlagCounts,
    anomaly_counts: AnomalyCounts,
    billing: BillingCounts,
    defects: Vec<Defect>,
}

/// The vectors a chunk is generated and joined in, recycled.
#[derive(Default)]
struct Work {
    chunk: AccountChunk,
    rows: Vec<LedgerRow>,
    clean: Vec<LedgerRow>,
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
    /// Also write the data profile (`customers_v1_profile.csv` and
    /// `report.html`) of the committed tables, the folders still locked.
    pub report: bool,
    /// Output format of the tables (receipts are JSON).
    pub format: Format,
    /// Write the tables with direct I/O ([`OutputSet::set_direct_io`]);
    /// `None`: when that pays ([`direct_io_pays`]). The bytes are the same
    /// either way.
    pub direct_io: Option<bool>,
}

/// Bytes of CSV output per customer, about (README, *Performance*).
const CSV_BYTES_PER_CUSTOMER: u64 = 2_500;

/// Bytes of Parquet output per customer, about.
const PARQUET_BYTES_PER_CUSTOMER: u64 = 480;

/// Output above which direct I/O pays, at most.
const DIRECT_IO_BYTES: u64 = 4 << 30;

/// Whether about `bytes` of output are better written with direct I/O:
/// more than 4 GiB, or than half the machine's memory. Written through the
/// page cache, that much output makes the kernel copy, write back and evict
/// about as many bytes as the run writes, with CPU the generation needs
/// (at 10 million customers direct I/O takes 35–40% off the wall time).
/// Below it the page cache absorbs the writes faster. `false` where the
/// memory size cannot be read (outside Linux).
pub fn direct_io_pays(bytes: u64) -> bool {
    let total_kib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|rest| {
                    rest.trim()
                        .trim_end_matches("kB")
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
        });
    total_kib.is_some_and(|kib| bytes > DIRECT_IO_BYTES.min(kib * 1024 / 2))
}

/// Runs the four steps into `out_dir` for all customers, or for one shard,
/// mirroring the ledger files to `mirror_dir`.
pub fn run_all(
    options: &RunAllOptions,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
) -> Result<RunAllReport, PipelineError> {
    crate::locked(out_dir, mirror_dir, || {
        run_all_unlocked(options, out_dir, mirror_dir)
    })
}

/// The counts of a run, summed over its chunks in order.
#[derive(Default)]
pub(crate) struct Totals {
    pub(crate) step1: Step1Counts,
    pub(crate) flags: FlagCounts,
    pub(crate) final_flags: FlagCounts,
    pub(crate) anomalies: AnomalyCounts,
    pub(crate) billing: BillingCounts,
    pub(crate) example_rows: u64,
    pub(crate) manifest_rows: u64,
}

impl Totals {
    fn add(&mut self, o: &mut ChunkOutput) {
        self.step1 += o.step1;
        self.example_rows += o.parts[EXAMPLES].rows;
        self.manifest_rows += o.parts[MANIFEST].rows;
        self.flags += o.flags;
        self.final_flags += o.final_flags;
        self.anomalies += o.anomaly_counts;
        self.billing += std::mem::take(&mut o.billing);
    }
}

/// The chunk job of a run (generate → join → clean twin → inject → bill →
/// format) and what it needs, built once: the generator, step 3's pools
/// counted over the whole population, the chunks of the run's range, and
/// the recycled vectors.
pub(crate) struct Job<'a> {
    options: &'a RunAllOptions,
    format: Format,
    pub(crate) generator: AccountGenerator,
    pools: MissingPools,
    chunks: Vec<Partition>,
    work: Recycler<Work>,
    outputs: Recycler<ChunkOutput>,
}

/// The ledger with the final columns: anomalies and billing type.
const FINAL_SCHEMA: LedgerSchema = LedgerSchema {
    anomaly_type: true,
    billing_agreement_type: true,
};

/// The ledger after step 3: anomalies, no billing type yet.
const ANOMALY_SCHEMA: LedgerSchema = LedgerSchema {
    anomaly_type: true,
    billing_agreement_type: false,
};

impl<'a> Job<'a> {
    /// Loads the model and runs pass 1: the pools of step 3's missing-IMEI
    /// draws, over the whole population (a shard needs them too).
    pub(crate) fn prepare(
        options: &'a RunAllOptions,
        format: Format,
    ) -> Result<Self, PipelineError> {
        let generate = &options.generate;
        let baseline = load_baseline(generate.config.as_deref())?;
        let generator = AccountGenerator::new(
            &baseline,
            generate.params.clone(),
            generate.seed,
            generate.n_customers,
        )?;
        let population = CustomerRange::new(0, generate.n_customers);
        let all_chunks = generator.partitions(population, generate.chunk_customers);
        let mut job = Job {
            options,
            format,
            generator,
            pools: MissingPools::default(),
            chunks: Vec::new(),
            // Each chunk's rows are built in recycled vectors: a long run
            // then allocates (and the kernel zeroes) no fresh memory chunk
            // after chunk.
            work: Recycler::default(),
            outputs: Recycler::default(),
        };
        let counted = Progress::new("pools", generate.n_customers, generate.progress);
        job.pools = all_chunks
            .par_iter()
            .map(|c| {
                let mut w = job.work.take();
                job.joined(*c, &mut w)?;
                let pools = job
                    .blocks(*c)
                    .and_then(|customers| chunk_pools(&w.rows, &customers, &options.anomalies));
                job.work.give(w);
                counted.tick(c.range().len());
                pools
            })
            .try_reduce(MissingPools::default, |a, b| Ok(a + b))?;
        counted.finish();
        job.chunks = match options.shard {
            Some(shard) => job
                .generator
                .partitions(shard.range(generate.n_customers), generate.chunk_customers),
            None => all_chunks,
        };
        Ok(job)
    }

    /// The customers of the run: all, or the shard's.
    pub(crate) fn customers(&self) -> u64 {
        self.chunks.iter().map(|c| c.range().len()).sum()
    }

    /// The swap blocks of a chunk's customers: refused unless the chunk
    /// holds whole blocks (`--chunk_customers` a multiple of them).
    fn blocks(&self, c: Partition) -> Result<SwapBlocks, PipelineError> {
        let range = c.range();
        SwapBlocks::new(range.start..range.end, self.generator.population())
            .map_err(|e| PipelineError::Input(e.to_string()))
    }

    fn joined(&self, c: Partition, w: &mut Work) -> Result<(), PipelineError> {
        self.generator.generate_into(c, &mut w.chunk);
        let k = &w.chunk;
        join_into(&k.customers, &k.lines, &k.agreements, &k.usage, &mut w.rows).map_err(internal)
    }

    /// Every table of one chunk, formatted on a worker thread.
    fn chunk(&self, c: Partition) -> Result<ChunkOutput, PipelineError> {
        let format = self.format;
        let mut o = self.outputs.take();
        let mut w = self.work.take();
        self.joined(c, &mut w)?;
        o.step1 = Step1Counts::of(&w.chunk);
        fill_step1(&mut o.parts[..STEP1_TABLES], &w.chunk, format)?;
        let Work { rows, clean, .. } = &mut w;
        o.flags = FlagCounts::default();
        o.flags.add(rows);
        if self.options.clean_twin {
            clean_twin(rows, clean);
            novawireless_billing::apply(clean).map_err(internal)?;
            fill::<Ledger>(&mut o.parts[CLEAN], format, &refs(clean), FINAL_SCHEMA)?;
        }
        o.defects.clear();
        let customers = self.blocks(c)?;
        o.anomaly_counts = chunk_inject(
            rows,
            &customers,
            &self.options.anomalies,
            self.pools,
            &mut o.defects,
        )?;
        let p = &mut o.parts;
        fill::<Manifest>(&mut p[MANIFEST], format, &refs(&o.defects), ())?;
        fill::<Ledger>(&mut p[ANOMALIES], format, &refs(rows), ANOMALY_SCHEMA)?;
        let examples: Vec<&LedgerRow> = rows.iter().filter(|r| is_example(r)).collect();
        fill::<Examples>(&mut p[EXAMPLES], format, &examples, ())?;
        drop(examples);
        o.billing = novawireless_billing::apply(rows).map_err(internal)?;
        o.final_flags = FlagCounts::default();
        o.final_flags.add(rows);
        let billed = refs(rows);
        match &o.parts[ANOMALIES].batch {
            // The anomaly ledger's columns, but for the billing one.
            Some(unbilled) => {
                let batch = parquet::billed_ledger_batch(unbilled, &billed, FINAL_SCHEMA)
                    .map_err(internal)?;
                let part = &mut o.parts[LEDGER];
                part.bytes.clear();
                part.rows = billed.len() as u64;
                part.batch = Some(batch);
            }
            None => fill::<Ledger>(&mut o.parts[LEDGER], format, &billed, FINAL_SCHEMA)?,
        }
        self.work.give(w);
        Ok(o)
    }

    /// Pass 2: runs the chunk job on every chunk of the range on rayon's
    /// threads, and `each` on the outputs in chunk order.
    pub(crate) fn run(
        &self,
        mut each: impl FnMut(&ChunkOutput) -> Result<(), PipelineError>,
    ) -> Result<Totals, PipelineError> {
        let mut totals = Totals::default();
        let generate = &self.options.generate;
        let mut progress = Progress::new("tables", self.customers(), generate.progress);
        process_in_order(
            &self.chunks,
            |c| self.chunk(c),
            |mut o| {
                progress.add(o.step1.customers);
                each(&o)?;
                totals.add(&mut o);
                self.outputs.give(o);
                Ok(())
            },
        )?;
        progress.finish();
        Ok(totals)
    }
}

/// [`run_all`] once its folders are locked.
fn run_all_unlocked(
    options: &RunAllOptions,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
) -> Result<RunAllReport, PipelineError> {
    // Refuse an unusable mirror before anything changes.
    crate::check_mirror(mirror_dir)?;
    let format = options.format;
    let job = Job::prepare(options, format)?;
    let mut out = OutputSet::create(out_dir)?;
    let bytes_per_customer = match format {
        Format::Csv => CSV_BYTES_PER_CUSTOMER,
        Format::Parquet => PARQUET_BYTES_PER_CUSTOMER,
    };
    out.set_direct_io(
        options
            .direct_io
            .unwrap_or_else(|| direct_io_pays(job.customers().saturating_mul(bytes_per_customer))),
    );
    let mut sinks = open_sinks(&mut out, options)?;
    let totals = job.run(|o| {
        for (sink, part) in sinks.iter_mut().zip(&o.parts) {
            sink.put(part)?;
        }
        Ok(())
    })?;
    for sink in sinks {
        sink.finish(&mut out)?;
    }
    let summary = write_receipts(&mut out, options, &job, &totals, out_dir)?;
    // Optional outputs of an earlier run that this one does not write: the
    // profile (written again after the commit with --report) and, without
    // --clean_twin, the clean twin.
    for name in ["report.html", "customers_v1_profile.csv"] {
        out.remove_on_commit(name);
    }
    if !options.clean_twin {
        out.remove_on_commit(&format.file_name(CLEAN_LEDGER_FILE));
    }
    let tables = [
        LEDGER_FILE,
        ANOMALY_LEDGER_FILE,
        EXAMPLES_FILE,
        MANIFEST_FILE,
    ];
    let mut mirrored: Vec<String> = tables.iter().map(|n| format.file_name(n)).collect();
    mirrored.extend([LEDGER_RECEIPT.to_string(), ANOMALY_RECEIPT.to_string()]);
    let mirrored: Vec<&str> = mirrored.iter().map(String::as_str).collect();
    let files = crate::commit(out, mirror_dir, &mirrored)?;
    let profile_files = if options.report {
        novawireless_report::write_profile_locked(out_dir)
            .map_err(|e| PipelineError::Input(e.to_string()))?
            .files
    } else {
        Vec::new()
    };
    Ok(RunAllReport {
        step1: totals.step1,
        ledger: totals.flags,
        anomalies: summary,
        billing: totals.billing,
        files,
        profile_files,
    })
}

/// The sinks of every table of the run, in the order of a chunk's parts.
fn open_sinks(out: &mut OutputSet, options: &RunAllOptions) -> Result<Vec<Sink>, PipelineError> {
    let format = options.format;
    let mut sinks = open_step1(out, format)?;
    sinks.extend([
        Sink::ledger(out, format, &[LEDGER_FILE], FINAL_SCHEMA)?,
        Sink::ledger(out, format, &[ANOMALY_LEDGER_FILE], ANOMALY_SCHEMA)?,
        Sink::open::<Examples>(out, format, &[EXAMPLES_FILE], ())?,
        Sink::open::<Manifest>(out, format, &[MANIFEST_FILE], ())?,
    ]);
    if options.clean_twin {
        sinks.push(Sink::ledger(
            out,
            format,
            &[CLEAN_LEDGER_FILE],
            FINAL_SCHEMA,
        )?);
    }
    Ok(sinks)
}

/// The three receipts of a run, each listing its files; returns step 3's
/// summary.
fn write_receipts(
    out: &mut OutputSet,
    options: &RunAllOptions,
    job: &Job<'_>,
    totals: &Totals,
    out_dir: &Path,
) -> Result<AnomalySummary, PipelineError> {
    let format = options.format;
    let records = out.records().to_vec();
    let pick = |names: &[&str]| -> Vec<_> {
        let names: Vec<String> = names.iter().map(|n| format.file_name(n)).collect();
        records
            .iter()
            .filter(|r| names.contains(&r.path))
            .cloned()
            .collect()
    };
    write_step1_receipt(
        out,
        &options.generate,
        options.shard,
        job.generator.joint_model().churn_shift(),
        totals.step1,
        &pick(&crate::STEP1_FILES[..6]),
    )?;
    write_ledger_receipt(
        out,
        out_dir,
        totals.flags,
        Some(totals.final_flags),
        &pick(&[LEDGER_FILE]),
        format,
    )?;
    let summary = AnomalySummary::new(&totals.anomalies, totals.example_rows, totals.manifest_rows);
    write_anomaly_receipt(
        out,
        &options.anomalies,
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
        format,
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_that_are_not_whole_swap_blocks_are_refused() {
        let options = |chunk_customers| RunAllOptions {
            generate: GenerateOptions {
                n_customers: 3_000,
                seed: 42,
                params: novawireless_accounts::GraphParams::default(),
                config: None,
                chunk_customers,
                progress: false,
                format: Format::Csv,
            },
            anomalies: AnomalyParams::default(),
            shard: None,
            clean_twin: false,
            report: false,
            format: Format::Csv,
            direct_io: None,
        };
        // Both chunks straddle a block; either may be reported first.
        let refused = options(1_500);
        let Err(err) = Job::prepare(&refused, Format::Csv) else {
            panic!("chunks of 1,500 customers were accepted");
        };
        let message = err.to_string();
        assert!(
            [
                "customers 0..1500 of 3000 are not whole swap blocks of 1024 customers",
                "customers 1500..3000 of 3000 are not whole swap blocks of 1024 customers",
            ]
            .contains(&message.as_str()),
            "{message}"
        );
        let accepted = options(2 * SWAP_BLOCK);
        let job = Job::prepare(&accepted, Format::Csv).map_err(|e| e.to_string());
        assert_eq!(job.map(|j| j.customers()), Ok(3_000));
    }

    #[test]
    fn direct_io_pays_for_large_outputs_only() {
        assert!(!direct_io_pays(0));
        assert!(!direct_io_pays(1 << 20));
        // Any Linux machine has /proc/meminfo; elsewhere it is never chosen.
        assert_eq!(
            direct_io_pays(DIRECT_IO_BYTES + 1),
            std::path::Path::new("/proc/meminfo").exists()
        );
    }
}
