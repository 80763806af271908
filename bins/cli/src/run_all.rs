//! All four steps in one process.

use novawireless_cli_support::cli::{
    parse_args, parse_bool, parse_seed, run_args, AnomalyArgs, Failure, GenerateArgs, Outcome,
    OutputArgs,
};
use novawireless_cli_support::progress::Bars;
use novawireless_model::DefectType;
use novawireless_pipeline::{
    run_all_with, AnomalyParams, GenerateOptions, PipelineError, RunAllOptions, Shard,
};
use std::path::PathBuf;
use std::time::Instant;

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  run_all                                      10,000 customers into output/
  run_all --n_customers 1000000 --format parquet --out_dir data
  run_all --clean_twin --report                also the defect-free ledger and the profile
  run_all --n_customers 10000000 --shard 2/8 --no_params_mirror --out_dir shards/2
  run_all --layout tables --shard 2/8 --format parquet --out_dir data
                                               shard 2's parts in data/customers/ … (all 8 shards share data/)";

/// Generate customers, build the ledger, inject IMEI anomalies and fix billing types.
#[derive(Debug, clap::Parser)]
#[command(name = "run_all", version, about, after_help = EXAMPLES)]
struct Args {
    #[command(flatten)]
    generate: GenerateArgs,
    /// Seed of the step-3 anomaly draws.
    #[arg(long = "anomaly_seed", visible_alias = "anomaly-seed", default_value = "1337", value_parser = parse_seed, allow_hyphen_values = true)]
    anomaly_seed: u64,
    #[command(flatten)]
    anomalies: AnomalyArgs,
    /// Folder the ledger files are mirrored to, for the call generator.
    #[arg(
        long = "params_dir",
        visible_alias = "params-dir",
        default_value = "data/external/params_sources"
    )]
    params_dir: PathBuf,
    /// Do not mirror the ledger files to --params_dir.
    #[arg(long = "no_params_mirror", visible_alias = "no-params-mirror")]
    no_params_mirror: bool,
    /// Generate only the K-th of N contiguous customer ranges (1 <= K <= N),
    /// with the ids, values and anomalies it has in the full run.
    #[arg(long = "shard", value_name = "K/N")]
    shard: Option<Shard>,
    /// Also write the clean twin, master_account_ledger__clean.csv (.parquet
    /// with --format parquet): the same population with no defect injected
    /// (same seed, same ids).
    #[arg(long = "clean_twin", visible_alias = "clean-twin")]
    clean_twin: bool,
    /// Also write the data profile: customers_v1_profile.csv and report.html
    /// (flat layout only).
    #[arg(long = "report")]
    report: bool,
    /// Write the tables with direct I/O (O_DIRECT), past the page cache:
    /// faster, and lighter on memory, for outputs larger than the memory;
    /// slower for small ones. Default: when the output exceeds 4 GiB or
    /// half the memory. The bytes are the same either way.
    #[arg(long = "direct_io", visible_alias = "direct-io", value_parser = parse_bool, value_name = "BOOL")]
    direct_io: Option<bool>,
    #[command(flatten)]
    output: OutputArgs,
}

/// The options of `run_all` given `argv` (the program's name first), parsed
/// and checked as the binary does; `None` after printing `--help` or
/// `--version`. The output folder and mirror flags are parsed, not used.
pub fn parse_options(argv: &[std::ffi::OsString]) -> Result<Option<RunAllOptions>, Failure> {
    Ok(parse_args::<Args>(argv)?.map(|args| options_of(&args)))
}

fn options_of(args: &Args) -> RunAllOptions {
    RunAllOptions {
        generate: GenerateOptions {
            progress: !args.output.quiet,
            format: args.output.format,
            layout: args.output.layout,
            ..GenerateOptions::from(&args.generate)
        },
        anomalies: AnomalyParams {
            seed: args.anomaly_seed,
            p_mismatch: args.anomalies.p_mismatch,
            p_missing: args.anomalies.p_missing,
            within_customer_only: args.anomalies.within_customer_only,
        },
        shard: args.shard,
        clean_twin: args.clean_twin,
        report: args.report,
        format: args.output.format,
        layout: args.output.layout,
        direct_io: args.direct_io,
    }
}

/// Runs the program on `argv` (its name first), as the binary does, without
/// catching signals or exiting: the library entry of the binary.
pub fn run(argv: Vec<std::ffi::OsString>) -> Outcome {
    run_args(argv, |args: Args| -> Result<(), PipelineError> {
        let started = Instant::now();
        let options = options_of(&args);
        let mirror = (!args.no_params_mirror).then_some(args.params_dir.as_path());
        let out_dir = &args.output.out_dir;
        let r = run_all_with(&options, out_dir, mirror, &Bars::new(!args.output.quiet))?;
        for f in &r.files {
            novawireless_cli_support::say!(
                "wrote {}/{} ({})",
                out_dir.display(),
                f.path,
                novawireless_cli_support::cli::size(f.bytes)
            );
        }
        for f in &r.profile_files {
            novawireless_cli_support::say!(
                "wrote {}/{} ({})",
                out_dir.display(),
                f.path,
                novawireless_cli_support::cli::size(f.bytes)
            );
        }
        if let Some(m) = mirror {
            novawireless_cli_support::say!("mirrored the ledger files to {}", m.display());
        }
        let (c, a) = (r.step1, r.anomalies);
        novawireless_cli_support::say!(
            "customers {} lines {} devices {} eip_agreements {} ledger rows {}",
            c.customers,
            c.lines,
            c.devices,
            c.eip_agreements,
            r.ledger.rows
        );
        novawireless_cli_support::say!("anomaly_manifest rows {}", a.manifest_rows);
        // Every defect type in order: step 1's from its counts, step 3's
        // from the labelled rows.
        let mut defects = a.counts.labelled;
        defects[DefectType::GenerationUsageMismatch] = c.generation_usage_mismatches;
        let defects: Vec<String> = defects.iter().map(|(t, n)| format!("{t} {n}")).collect();
        novawireless_cli_support::say!("anomalies: {}", defects.join(" "));
        novawireless_cli_support::cli::report_time(args.output.quiet, "run_all", started);
        Ok(())
    })
}
