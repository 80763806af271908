//! Step 1: `generate_customers`.

use crate::parallel::{process_in_order, Recycler};
use crate::progress::Progress;
use crate::sinks::{fill_step1, open_step1, Part, STEP1_TABLES};
use crate::{load_baseline, PipelineError, TOOL};
use novawireless_accounts::{AccountChunk, AccountGenerator, CustomerRange, GraphParams};
use novawireless_io::{FileRecord, OutputSet};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The files step 1 writes, in order (the receipt comes last).
pub const STEP1_FILES: &[&str] = &[
    "customers.csv",
    "customers_v1.csv",
    "lines.csv",
    "devices.csv",
    "eip_agreements.csv",
    "line_device_usage.csv",
    "customer_generation_receipt.json",
];

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
    /// Show progress bars on stderr (when it is a terminal).
    pub progress: bool,
    /// Output format of the tables.
    pub format: crate::Format,
}

impl From<&crate::cli::GenerateArgs> for GenerateOptions {
    fn from(a: &crate::cli::GenerateArgs) -> Self {
        GenerateOptions {
            n_customers: a.n_customers,
            seed: a.seed,
            params: GraphParams {
                month_to_month_plan_rate: a.month_to_month_plan_rate,
                p_inject_eip_usage_mismatch: a.p_inject_eip_usage_mismatch,
                p_voice_eip_attach_if_plan: a.p_voice_eip_attach_if_plan,
                usage_snapshot_date: a.usage_snapshot_date,
            },
            config: a.config.clone(),
            chunk_customers: a.chunk_customers,
            progress: false,
            format: crate::Format::Csv,
        }
    }
}

/// Bytes of step-1 output per customer, about (both customer files).
const STEP1_CSV_BYTES_PER_CUSTOMER: u64 = 1_000;
const STEP1_PARQUET_BYTES_PER_CUSTOMER: u64 = 200;

/// One chunk's step-1 tables, formatted on a worker thread.
#[derive(Default)]
struct Step1Output {
    parts: [Part; STEP1_TABLES],
    counts: Step1Counts,
    /// The chunk's rows, in vectors recycled with the parts.
    chunk: AccountChunk,
}

/// Row counts of step 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Step1Counts {
    /// Customers.
    pub customers: u64,
    /// Lines.
    pub lines: u64,
    /// Devices in the inventory.
    pub devices: u64,
    /// EIP agreements.
    pub eip_agreements: u64,
    /// Usage rows.
    pub usage_rows: u64,
    /// Usage rows given another line's IMEI at generation time.
    pub generation_usage_mismatches: u64,
}

/// What step 1 wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step1Report {
    /// Row counts.
    pub counts: Step1Counts,
    /// The files written (receipt excluded).
    pub files: Vec<FileRecord>,
}

impl Step1Counts {
    /// The row counts of one chunk.
    pub fn of(chunk: &AccountChunk) -> Self {
        Step1Counts {
            customers: chunk.customers.len() as u64,
            lines: chunk.lines.len() as u64,
            devices: chunk.devices.len() as u64,
            eip_agreements: chunk.agreements.len() as u64,
            usage_rows: chunk.usage.len() as u64,
            generation_usage_mismatches: chunk
                .usage
                .iter()
                .filter(|u| u.imei_line_mismatch_flag)
                .count() as u64,
        }
    }
}

#[derive(Serialize)]
struct Step1Parameters<'a> {
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
}

#[derive(Serialize)]
struct Step1Receipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: Step1Parameters<'a>,
    row_counts: Step1Counts,
    files: &'a [FileRecord],
}

/// Runs step 1 into `out_dir`: the seven step-1 files, all or none.
pub fn generate_customers(
    options: &GenerateOptions,
    out_dir: &Path,
) -> Result<Step1Report, PipelineError> {
    crate::locked(out_dir, None, || {
        generate_customers_unlocked(options, out_dir)
    })
}

/// [`generate_customers`] once its folders are locked.
fn generate_customers_unlocked(
    options: &GenerateOptions,
    out_dir: &Path,
) -> Result<Step1Report, PipelineError> {
    let baseline = load_baseline(options.config.as_deref())?;
    let generator = AccountGenerator::new(
        &baseline,
        options.params.clone(),
        options.seed,
        options.n_customers,
    )?;
    let mut out = OutputSet::create(out_dir)?;
    let bytes_per_customer = match options.format {
        crate::Format::Csv => STEP1_CSV_BYTES_PER_CUSTOMER,
        crate::Format::Parquet => STEP1_PARQUET_BYTES_PER_CUSTOMER,
    };
    out.set_direct_io(crate::direct_io_pays(
        options.n_customers.saturating_mul(bytes_per_customer),
    ));
    let mut sinks = open_step1(&mut out, options.format)?;
    let chunks = generator.partitions(
        CustomerRange::new(0, options.n_customers),
        options.chunk_customers,
    );
    let recycler = Recycler::<Step1Output>::default();
    let mut progress = Progress::new("customers", options.n_customers, options.progress);
    let mut counts = Step1Counts::default();
    process_in_order(
        &chunks,
        |c| {
            let mut o = recycler.take();
            generator.generate_into(c, &mut o.chunk);
            o.counts = Step1Counts::of(&o.chunk);
            fill_step1(&mut o.parts, &o.chunk, options.format)?;
            Ok(o)
        },
        |o| {
            for (sink, part) in sinks.iter_mut().zip(&o.parts) {
                sink.put(part)?;
            }
            counts += o.counts;
            progress.add(o.counts.customers);
            recycler.give(o);
            Ok(())
        },
    )?;
    progress.finish();
    for sink in sinks {
        sink.finish(&mut out)?;
    }
    let files = out.records().to_vec();
    write_step1_receipt(
        &mut out,
        options,
        None,
        generator.joint_model().churn_shift(),
        counts,
        &files,
    )?;
    crate::commit(out, None, &[])?;
    Ok(Step1Report { counts, files })
}

/// Writes the step-1 receipt listing `files`.
pub(crate) fn write_step1_receipt(
    out: &mut OutputSet,
    options: &GenerateOptions,
    shard: Option<crate::run_all::Shard>,
    churn_intercept_shift: f64,
    counts: Step1Counts,
    files: &[FileRecord],
) -> Result<(), PipelineError> {
    let receipt = Step1Receipt {
        dataset: "novawireless_customers",
        step: "generate_customers",
        tool: TOOL,
        parameters: Step1Parameters {
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
        },
        row_counts: counts,
        files,
    };
    Ok(out.json("customer_generation_receipt.json", &receipt)?)
}

impl std::ops::AddAssign for Step1Counts {
    fn add_assign(&mut self, o: Step1Counts) {
        self.customers += o.customers;
        self.lines += o.lines;
        self.devices += o.devices;
        self.eip_agreements += o.eip_agreements;
        self.usage_rows += o.usage_rows;
        self.generation_usage_mismatches += o.generation_usage_mismatches;
    }
}
