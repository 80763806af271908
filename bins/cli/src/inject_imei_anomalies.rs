//! Step 3: IMEI anomalies with ground-truth labels.

use novawireless_cli_support::cli::{
    parse_seed, run_args, AnomalyArgs, LedgerArgs, Outcome, OutputArgs,
};
use novawireless_pipeline::{inject_imei_anomalies, AnomalyParams, PipelineError};
use std::time::Instant;

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  inject_imei_anomalies --overwrite_base       as run_all does: the base ledger gets the defects
  inject_imei_anomalies --seed 7 --p_mismatch 0.2 --within_customer_only false";

/// Inject IMEI swaps and missing usage IMEIs into the master account ledger.
#[derive(Debug, clap::Parser)]
#[command(name = "inject_imei_anomalies", version, about, after_help = EXAMPLES)]
struct Args {
    /// Seed of the anomaly draws.
    #[arg(long = "seed", default_value = "1337", value_parser = parse_seed, allow_hyphen_values = true)]
    seed: u64,
    #[command(flatten)]
    anomalies: AnomalyArgs,
    /// Also replace master_account_ledger.csv with the ledger carrying the anomalies.
    #[arg(long = "overwrite_base", visible_alias = "overwrite-base")]
    overwrite_base: bool,
    #[command(flatten)]
    ledger: LedgerArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Runs the program on `argv` (its name first), as the binary does, without
/// catching signals or exiting: the library entry of the binary.
pub fn run(argv: Vec<std::ffi::OsString>) -> Outcome {
    run_args(argv, |args: Args| -> Result<(), PipelineError> {
        let started = Instant::now();
        let out_dir = &args.output.out_dir;
        let in_dir = args.ledger.in_dir.as_deref().unwrap_or(out_dir);
        let params = AnomalyParams {
            seed: args.seed,
            p_mismatch: args.anomalies.p_mismatch,
            p_missing: args.anomalies.p_missing,
            within_customer_only: args.anomalies.within_customer_only,
        };
        let s = inject_imei_anomalies(
            in_dir,
            out_dir,
            &params,
            args.overwrite_base,
            args.ledger.mirror(),
            args.output.format,
            args.output.layout,
        )?;
        novawireless_cli_support::say!("rows {} examples {}", s.counts.rows, s.example_rows);
        let labelled: Vec<String> = (s.counts.labelled.iter())
            .filter(|(t, _)| t.is_label())
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        novawireless_cli_support::say!("{}", labelled.join(" "));
        novawireless_cli_support::cli::report_time(
            args.output.quiet,
            "inject_imei_anomalies",
            started,
        );
        Ok(())
    })
}
