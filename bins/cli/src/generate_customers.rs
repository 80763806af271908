//! Step 1: customers, lines, devices, EIP agreements and usage.

use novawireless_cli_support::cli::{run_args, GenerateArgs, Outcome, OutputArgs};
use novawireless_cli_support::progress::Bars;
use novawireless_pipeline::{generate_customers_with, GenerateOptions, PipelineError};
use std::time::Instant;

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  generate_customers                           10,000 customers into output/
  generate_customers --n_customers 500000 --seed 7 --format parquet";

/// Generate NovaWireless customers and their account graph.
#[derive(Debug, clap::Parser)]
#[command(name = "generate_customers", version, about, after_help = EXAMPLES)]
struct Args {
    #[command(flatten)]
    generate: GenerateArgs,
    #[command(flatten)]
    output: OutputArgs,
}

/// Runs the program on `argv` (its name first), as the binary does, without
/// catching signals or exiting: the library entry of the binary.
pub fn run(argv: Vec<std::ffi::OsString>) -> Outcome {
    run_args(argv, |args: Args| -> Result<(), PipelineError> {
        let started = Instant::now();
        let report = generate_customers_with(
            &GenerateOptions {
                progress: !args.output.quiet,
                format: args.output.format,
                layout: args.output.layout,
                ..GenerateOptions::from(&args.generate)
            },
            &args.output.out_dir,
            &Bars::new(!args.output.quiet),
        )?;
        for file in &report.files {
            novawireless_cli_support::say!(
                "wrote {}/{} ({})",
                args.output.out_dir.display(),
                file.path,
                novawireless_cli_support::cli::size(file.bytes)
            );
        }
        let c = report.counts;
        novawireless_cli_support::say!(
            "customers {} lines {} devices {} eip_agreements {} generation_usage_mismatches {}",
            c.customers,
            c.lines,
            c.devices,
            c.eip_agreements,
            c.generation_usage_mismatches
        );
        novawireless_cli_support::cli::report_time(
            args.output.quiet,
            "generate_customers",
            started,
        );
        Ok(())
    })
}
