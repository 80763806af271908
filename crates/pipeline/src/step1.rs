//! Step 1: `generate_customers`.

use crate::files::{Place, STEP1_RECEIPT};
use crate::outputs::{run_formatted, Table, TableSinks};
use crate::{load_baseline, PipelineError, TOOL};
use novawireless::{GraphParams, Pipeline, Progress, Silent, Step1Counts};
use novawireless_io::{FileRecord, OutputSet};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Everything step 1 needs besides the output folder.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Number of customers.
    pub n_customers: u64,
    /// Seed of every step-1 draw.
    pub seed: u64,
    /// Plan, attach, mismatch and date parameters.
    pub params: GraphParams,
    /// `--config FILE`, or the embedded baseline.
    pub config: Option<PathBuf>,
    /// Customers per chunk of work, a multiple of 1,024; the output does not
    /// depend on it.
    pub chunk_customers: u64,
    /// Report progress to the reporter the runner is given (the programs
    /// draw bars on stderr when it is a terminal); `false` for silence.
    pub progress: bool,
    /// Output format of the tables.
    pub format: crate::Format,
    /// Flat files or table folders (step 1 alone writes `part-1-of-1`).
    pub layout: crate::Layout,
}

/// Bytes of step-1 output per customer, about (both customer files).
const STEP1_CSV_BYTES_PER_CUSTOMER: u64 = 1_000;
const STEP1_PARQUET_BYTES_PER_CUSTOMER: u64 = 200;

/// What step 1 wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step1Report {
    /// Row counts.
    pub counts: Step1Counts,
    /// The files written (receipt excluded).
    pub files: Vec<FileRecord>,
}

#[derive(Serialize)]
pub(crate) struct Step1Parameters<'a> {
    n_customers: u64,
    seed: u64,
    month_to_month_plan_rate: f64,
    p_inject_eip_usage_mismatch: f64,
    p_voice_eip_attach_if_plan: f64,
    usage_snapshot_date: String,
    /// The config file's name (no folder: receipts hold no path of the
    /// machine), or `embedded baseline`.
    config: String,
    /// The SHA-256 of the config file's bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    config_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    shard_customers: Option<[u64; 2]>,
    churn_intercept_shift: f64,
    format: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'a str>,
}

#[derive(Serialize)]
struct Step1Receipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: Step1Parameters<'a>,
    /// SHA-256 of `parameters` as written here (README, *Parquet*): every
    /// Parquet file of the step carries it.
    parameters_sha256: String,
    row_counts: Step1Counts,
    files: &'a [FileRecord],
}

/// Runs step 1 into `out_dir`: the seven step-1 files, all or none.
pub fn generate_customers(
    options: &GenerateOptions,
    out_dir: &Path,
) -> Result<Step1Report, PipelineError> {
    generate_customers_with(options, out_dir, &Silent)
}

/// [`generate_customers`], reporting its progress to `progress` (with
/// [`GenerateOptions::progress`]).
pub fn generate_customers_with(
    options: &GenerateOptions,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<Step1Report, PipelineError> {
    let progress = if options.progress { progress } else { &Silent };
    crate::locked(out_dir, None, Place::unsharded(options.layout), || {
        generate_customers_unlocked(options, out_dir, progress)
    })
}

/// [`generate_customers`] once its folders are locked.
fn generate_customers_unlocked(
    options: &GenerateOptions,
    out_dir: &Path,
    progress: &dyn Progress,
) -> Result<Step1Report, PipelineError> {
    let baseline = load_baseline(options.config.as_deref())?;
    let facade = novawireless::Options {
        n_customers: options.n_customers,
        seed: options.seed,
        params: options.params.clone(),
        chunk_customers: options.chunk_customers,
        ..novawireless::Options::new(options.n_customers)
    };
    let job = Pipeline::generate_only(&baseline, facade)?;
    let mut out = OutputSet::create(out_dir)?;
    let bytes_per_customer = match options.format {
        crate::Format::Csv => STEP1_CSV_BYTES_PER_CUSTOMER,
        crate::Format::Parquet => STEP1_PARQUET_BYTES_PER_CUSTOMER,
    };
    out.set_direct_io(crate::direct_io_pays(
        options.n_customers.saturating_mul(bytes_per_customer),
    ));
    let place = Place::unsharded(options.layout);
    let parameters = step1_parameters(options, place, job.generator().joint_model().churn_shift());
    out.set_provenance(crate::provenance::pairs(
        "generate_customers",
        &place.receipt(STEP1_RECEIPT),
        &parameters,
        &[("seed", options.seed)],
    ));
    let mut sinks = TableSinks::open(&mut out, options.format, place, &Table::STEP1)?;
    let counts = run_formatted(&job, options.format, progress, |o| sinks.put(o))?.step1;
    sinks.finish(&mut out)?;
    let files = out.records().to_vec();
    write_step1_receipt(&mut out, place, parameters, counts, &files)?;
    crate::commit(out, None, &[] as &[&str])?;
    Ok(Step1Report { counts, files })
}

/// The step-1 receipt's `parameters` for output at `place` (whose shard
/// and layout they record).
pub(crate) fn step1_parameters(
    options: &GenerateOptions,
    place: Place,
    churn_intercept_shift: f64,
) -> Step1Parameters<'_> {
    let shard = place.shard;
    Step1Parameters {
        n_customers: options.n_customers,
        seed: options.seed,
        month_to_month_plan_rate: options.params.month_to_month_plan_rate,
        p_inject_eip_usage_mismatch: options.params.p_inject_eip_usage_mismatch,
        p_voice_eip_attach_if_plan: options.params.p_voice_eip_attach_if_plan,
        usage_snapshot_date: options.params.usage_snapshot_date.to_string(),
        config: options
            .config
            .as_ref()
            .map_or("embedded baseline".into(), |p| {
                p.file_name().map_or_else(
                    || p.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                )
            }),
        config_sha256: options
            .config
            .as_ref()
            .and_then(|p| std::fs::read(p).ok())
            .map(|bytes| novawireless_io::sha256_hex(&bytes)),
        shard: shard.map(|s| s.to_string()),
        shard_customers: shard.map(|s| {
            let r = s.range(options.n_customers);
            [r.start, r.end]
        }),
        churn_intercept_shift,
        format: options.format.as_str(),
        layout: place.recorded_layout(),
    }
}

/// Writes the step-1 receipt listing `files`, at `place`.
pub(crate) fn write_step1_receipt(
    out: &mut OutputSet,
    place: Place,
    parameters: Step1Parameters<'_>,
    counts: Step1Counts,
    files: &[FileRecord],
) -> Result<(), PipelineError> {
    let receipt = Step1Receipt {
        dataset: "novawireless_customers",
        step: "generate_customers",
        tool: TOOL,
        parameters_sha256: crate::provenance::parameters_sha256(&parameters),
        parameters,
        row_counts: counts,
        files,
    };
    Ok(out.json(&place.receipt(STEP1_RECEIPT), &receipt)?)
}
