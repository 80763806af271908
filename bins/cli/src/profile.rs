//! `profile`: the data profile of an existing `run_all` output folder.

use novawireless_cli_support::cli::{run_args, Failure, Outcome};
use novawireless_report::{write_profile_with, ProfileOptions, ReportError};
use std::path::{Path, PathBuf};

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  profile                                      output/ → output/report.html
  profile --out_dir data
  profile --out_dir data --config configs/ibm_telco.json";

/// Profile an output folder of run_all: writes customers_v1_profile.csv,
/// table_profile.csv and report.html into it.
#[derive(Debug, clap::Parser)]
#[command(name = "profile", version, about, after_help = EXAMPLES)]
struct Args {
    /// The run_all output folder to read; the profile is written there too.
    #[arg(long = "out_dir", visible_alias = "out-dir", default_value = "output")]
    out_dir: PathBuf,
    /// The config file the run used (run_all --config), for the report's
    /// fidelity targets; without it, the embedded default's (the page says
    /// when the receipt names another config).
    #[arg(long)]
    config: Option<PathBuf>,
}

/// Runs the program on `argv` (its name first), as the binary does, without
/// catching signals or exiting: the library entry of the binary.
pub fn run(argv: Vec<std::ffi::OsString>) -> Outcome {
    if let Ok(args) = <Args as clap::Parser>::try_parse_from(&argv) {
        refuse_tables_layout(&args.out_dir)?;
    }
    run_args(argv, |args: Args| -> Result<(), ReportError> {
        let options = ProfileOptions {
            config: args.config.clone(),
            threads: 0,
        };
        let summary = write_profile_with(&args.out_dir, &options)?;
        novawireless_cli_support::say!("{summary}");
        for file in &summary.files {
            novawireless_cli_support::say!(
                "wrote {} ({})",
                args.out_dir.join(&file.path).display(),
                novawireless_cli_support::cli::size(file.bytes)
            );
        }
        Ok(())
    })
}

/// Refuses a folder of `--layout tables` (README, *Data profile*): the
/// profile reads the customers table beside the receipts only.
fn refuse_tables_layout(dir: &Path) -> Outcome {
    let flat = ["customers.csv", "customers.parquet"]
        .iter()
        .any(|f| dir.join(f).exists());
    if flat || !dir.join("customers").is_dir() {
        return Ok(());
    }
    Err(Failure {
        code: 1,
        message: format!(
            "error: {}: holds the tables layout (customers/part-…); the profile reads the \
             flat layout only (run_all --layout flat)",
            dir.display()
        ),
    })
}
