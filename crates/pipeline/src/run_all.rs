//! `run_all`: the four steps in one process, streaming chunks of customers.
//!
//! Two passes over the population: the first only counts the missing-IMEI
//! pools step 3 needs, the second runs the facade's chunk job
//! (generate → join → clean twin → inject → bill) and formats every table
//! on rayon's threads, chunk by chunk, while the calling thread writes
//! finished chunks in order. Nothing is held whole in memory.

use crate::files::Place;
use crate::files::{
    ANOMALY_LEDGER_FILE, ANOMALY_RECEIPT, CLEAN_LEDGER_FILE, EXAMPLES_FILE, LEDGER_FILE,
    LEDGER_RECEIPT, MANIFEST_FILE, STEP1_FILES, STEP1_RECEIPT,
};
use crate::outputs::{run_formatted, Table, TableSinks};
use crate::step1::{step1_parameters, write_step1_receipt};
use crate::step2::write_ledger_receipt;
use crate::step3::{anomaly_parameters, write_anomaly_receipt};
use crate::{load_baseline, Format, GenerateOptions, Layout, PipelineError};
use novawireless::SWAP_BLOCK;
use novawireless::{
    AnomalyParams, AnomalySummary, BillingCounts, Counts, CustomerRange, FlagCounts, Pipeline,
    Progress, Silent, Step1Counts,
};
use novawireless_io::{FileRecord, OutputSet};
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
    pub files: Vec<FileRecord>,
    /// The profile's files, with `report`.
    pub profile_files: Vec<FileRecord>,
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
    /// Flat files, or a folder per table holding this shard's part
    /// ([`crate::table_path`]).
    pub layout: Layout,
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
    run_all_with(options, out_dir, mirror_dir, &Silent)
}

/// [`run_all`], reporting its progress to `progress` (with
/// [`GenerateOptions::progress`]).
pub fn run_all_with(
    options: &RunAllOptions,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    progress: &dyn Progress,
) -> Result<RunAllReport, PipelineError> {
    let progress = if options.generate.progress {
        progress
    } else {
        &Silent
    };
    if options.report && options.layout != Layout::Flat {
        return Err(PipelineError::ReportNeedsFlat);
    }
    crate::locked(out_dir, mirror_dir, options.place(), || {
        run_all_unlocked(options, out_dir, mirror_dir, progress)
    })
}

/// [`run_all`] once its folders are locked: the chunk job's tables, the
/// receipts, the commit, then the profile.
fn run_all_unlocked(
    options: &RunAllOptions,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    progress: &dyn Progress,
) -> Result<RunAllReport, PipelineError> {
    // Refuse an unusable mirror before anything changes.
    crate::check_mirror(mirror_dir)?;
    let job = chunk_job(options, progress)?;
    let mut out = OutputSet::create(out_dir)?;
    out.set_direct_io(options.direct_io.unwrap_or_else(|| {
        direct_io_pays(
            job.customers()
                .saturating_mul(bytes_per_customer(options.format)),
        )
    }));
    let parameters = step1_parameters(
        &options.generate,
        options.place(),
        job.generator().joint_model().churn_shift(),
    );
    out.set_provenance(crate::provenance::pairs(
        "run_all",
        &options.place().receipt(STEP1_RECEIPT),
        &parameters,
        &[
            ("seed", options.generate.seed),
            ("anomaly_seed", options.anomalies.seed),
        ],
    ));
    let counts = write_tables(&job, options, &mut out, progress)?;
    let anomalies = write_receipts(&mut out, options, &job, &counts, out_dir)?;
    remove_stale_outputs(&mut out, options);
    let mirrored = mirrored(options.format, options.place());
    let files = crate::commit(out, mirror_dir, &mirrored)?;
    let profile_files = if options.report {
        let profile = novawireless_report::ProfileOptions {
            config: options.generate.config.clone(),
            threads: 0,
        };
        novawireless_report::write_profile_locked_with(out_dir, &profile)?.files
    } else {
        Vec::new()
    };
    Ok(RunAllReport {
        step1: counts.step1,
        ledger: counts.flags,
        anomalies,
        billing: counts.billing,
        files,
        profile_files,
    })
}

impl RunAllOptions {
    /// Where the run's files go in its folder.
    pub(crate) fn place(&self) -> Place {
        Place {
            layout: self.layout,
            shard: self.shard,
        }
    }
}

/// The facade's chunk job for `options`, pass 1 run.
pub(crate) fn chunk_job(
    options: &RunAllOptions,
    progress: &dyn Progress,
) -> Result<Pipeline, PipelineError> {
    let g = &options.generate;
    let baseline = load_baseline(g.config.as_deref())?;
    let facade = novawireless::Options {
        n_customers: g.n_customers,
        seed: g.seed,
        params: g.params.clone(),
        anomalies: options.anomalies,
        chunk_customers: g.chunk_customers,
        range: options.shard.map(|s| s.range(g.n_customers)),
        clean_twin: options.clean_twin,
    };
    Ok(Pipeline::with_progress(&baseline, facade, progress)?)
}

/// The tables a run writes, in order.
fn written_tables(options: &RunAllOptions) -> Vec<Table> {
    Table::ALL
        .into_iter()
        .filter(|t| options.clean_twin || *t != Table::CleanLedger)
        .collect()
}

/// Pass 2: every table of the run, written chunk by chunk in order.
fn write_tables(
    job: &Pipeline,
    options: &RunAllOptions,
    out: &mut OutputSet,
    progress: &dyn Progress,
) -> Result<Counts, PipelineError> {
    let tables = written_tables(options);
    let mut sinks = TableSinks::open(out, options.format, options.place(), &tables)?;
    let counts = run_formatted(job, options.format, progress, |o| sinks.put(o))?;
    sinks.finish(out)?;
    Ok(counts)
}

/// Bytes of output per customer, about, in `format`.
fn bytes_per_customer(format: Format) -> u64 {
    match format {
        Format::Csv => CSV_BYTES_PER_CUSTOMER,
        Format::Parquet => PARQUET_BYTES_PER_CUSTOMER,
    }
}

/// Optional outputs of an earlier run that this one does not write: the
/// profile of a flat folder (written again after the commit with
/// --report) and, without --clean_twin, the clean twin (with the tables
/// layout, this shard's part of it only).
fn remove_stale_outputs(out: &mut OutputSet, options: &RunAllOptions) {
    if options.layout == Layout::Flat {
        for name in novawireless_report::OUTPUT_FILES {
            out.remove_on_commit(name);
        }
    }
    if !options.clean_twin {
        out.remove_on_commit(&options.place().table(CLEAN_LEDGER_FILE, options.format));
    }
}

/// The files mirrored to the params folder: the ledger tables and their
/// receipts, at the same paths as in the output folder.
fn mirrored(format: Format, place: Place) -> Vec<String> {
    let tables = [
        LEDGER_FILE,
        ANOMALY_LEDGER_FILE,
        EXAMPLES_FILE,
        MANIFEST_FILE,
    ];
    let mut names: Vec<String> = tables.iter().map(|n| place.table(n, format)).collect();
    names.extend([
        place.receipt(LEDGER_RECEIPT),
        place.receipt(ANOMALY_RECEIPT),
    ]);
    names
}

/// The three receipts of a run, each listing its files; returns step 3's
/// summary.
fn write_receipts(
    out: &mut OutputSet,
    options: &RunAllOptions,
    job: &Pipeline,
    counts: &Counts,
    out_dir: &Path,
) -> Result<AnomalySummary, PipelineError> {
    let (format, place) = (options.format, options.place());
    let records = out.records().to_vec();
    let pick = |names: &[&str]| -> Vec<_> {
        let names: Vec<String> = names.iter().map(|n| place.table(n, format)).collect();
        records
            .iter()
            .filter(|r| names.contains(&r.path))
            .cloned()
            .collect()
    };
    let parameters = step1_parameters(
        &options.generate,
        place,
        job.generator().joint_model().churn_shift(),
    );
    write_step1_receipt(
        out,
        place,
        parameters,
        counts.step1,
        &pick(&STEP1_FILES[..6]),
    )?;
    write_ledger_receipt(
        out,
        out_dir,
        counts.flags,
        Some(counts.final_flags),
        &pick(&[LEDGER_FILE]),
        format,
        place,
    )?;
    let summary = counts.summary();
    let parameters = anomaly_parameters(out, &options.anomalies, true, out_dir, (format, place));
    write_anomaly_receipt(
        out,
        parameters,
        summary,
        &pick(&[
            ANOMALY_LEDGER_FILE,
            EXAMPLES_FILE,
            MANIFEST_FILE,
            LEDGER_FILE,
            CLEAN_LEDGER_FILE,
        ]),
        place,
    )?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

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
