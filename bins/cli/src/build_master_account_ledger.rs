//! Step 2: the master account ledger.

use novawireless_cli_support::cli::{run_args, LedgerArgs, Outcome, OutputArgs};
use novawireless_pipeline::{build_master_account_ledger, table_path, PipelineError, LEDGER_FILE};
use std::time::Instant;

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  build_master_account_ledger                  output/ step-1 tables → output/master_account_ledger.csv
  build_master_account_ledger --in_dir run1 --out_dir run1 --no_params_mirror";

/// Join customers, lines, EIP agreements and usage into the master account ledger.
#[derive(Debug, clap::Parser)]
#[command(name = "build_master_account_ledger", version, about, after_help = EXAMPLES)]
struct Args {
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
        let (format, layout) = (args.output.format, args.output.layout);
        let counts =
            build_master_account_ledger(in_dir, out_dir, args.ledger.mirror(), format, layout)?;
        novawireless_cli_support::say!(
            "wrote {}/{}: {} rows",
            out_dir.display(),
            table_path(LEDGER_FILE, format, layout, None).display(),
            counts.rows
        );
        novawireless_cli_support::say!(
            "eip_exists_flag {} imei_mismatch_flag {} missing_usage_imei_flag {} eip_mismatch_flag {} upstream_friction_risk_flag {}",
            counts.eip_exists_flag,
            counts.imei_mismatch_flag,
            counts.missing_usage_imei_flag,
            counts.eip_mismatch_flag,
            counts.upstream_friction_risk_flag
        );
        novawireless_cli_support::cli::report_time(
            args.output.quiet,
            "build_master_account_ledger",
            started,
        );
        Ok(())
    })
}
