//! Step 4: `contract_proxy` → `billing_agreement_type`.

use novawireless_cli_support::cli::{run_args, LedgerArgs, Outcome, OutputArgs};
use novawireless_pipeline::{fix_ledger_contract_proxy, PipelineError};
use std::time::Instant;

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  fix_ledger_contract_proxy                    output/master_account_ledger.csv, backup first
  fix_ledger_contract_proxy --format parquet --no_params_mirror";

/// Replace the ledger's contract_proxy with billing_agreement_type (a backup is written first).
#[derive(Debug, clap::Parser)]
#[command(name = "fix_ledger_contract_proxy", version, about, after_help = EXAMPLES)]
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
        let counts = fix_ledger_contract_proxy(
            in_dir,
            out_dir,
            args.ledger.mirror(),
            args.output.format,
            args.output.layout,
        )?;
        novawireless_cli_support::say!("{counts}");
        novawireless_cli_support::cli::report_time(
            args.output.quiet,
            "fix_ledger_contract_proxy",
            started,
        );
        Ok(())
    })
}
