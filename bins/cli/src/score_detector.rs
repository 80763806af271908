//! Scores a detector of injected IMEI defects against `anomaly_manifest.csv`.

use novawireless_cli_support::cli::{run_args, Failure, Outcome};
use novawireless_scoring::{evaluate, write_json, ScoringError};
use std::path::PathBuf;

/// Shown after the flags in `--help`.
const EXAMPLES: &str = "Examples:
  score_detector --predictions flags.csv       line_id,flag (0 or 1)
  score_detector --predictions scores.csv --threshold 0.5 --json scores.json";

/// Score a detector's per-line predictions against the injected-defect manifest.
#[derive(Debug, clap::Parser)]
#[command(name = "score_detector", version, about, after_help = EXAMPLES)]
struct Args {
    /// The ground truth: one row per injected defect.
    #[arg(long = "manifest", default_value = "output/anomaly_manifest.csv")]
    manifest: PathBuf,
    /// The ledger whose line_id column lists every line (the negatives too).
    #[arg(long = "ledger", default_value = "output/master_account_ledger.csv")]
    ledger: PathBuf,
    /// The detector's output: line_id and either a 0/1 flag or a numeric score.
    #[arg(long = "predictions")]
    predictions: PathBuf,
    /// With a score column: a line is flagged when its score is at least T.
    #[arg(long = "threshold", value_name = "T", value_parser = parse_threshold, allow_hyphen_values = true)]
    threshold: Option<f64>,
    /// Also write the scores to this file as JSON.
    #[arg(long = "json", value_name = "FILE")]
    json: Option<PathBuf>,
}

/// Parses `--threshold`: a finite number.
fn parse_threshold(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(t) if t.is_finite() => Ok(t),
        _ => Err(format!("{s:?} is not a finite number")),
    }
}

/// Runs the program on `argv` (its name first), as the binary does, without
/// catching signals or exiting: the library entry of the binary.
pub fn run(argv: Vec<std::ffi::OsString>) -> Outcome {
    // run_args keeps the first line of clap's error, which for a missing
    // required flag does not name the flag.
    if let Err(e) = <Args as clap::Parser>::try_parse_from(&argv) {
        if e.kind() == clap::error::ErrorKind::MissingRequiredArgument {
            return Err(Failure {
                code: 2,
                message: "error: --predictions FILE is required".to_string(),
            });
        }
    }
    run_args(argv, |args: Args| -> Result<(), ScoringError> {
        let score = evaluate(
            &args.ledger,
            &args.manifest,
            &args.predictions,
            args.threshold,
        )?;
        if let Some(json) = &args.json {
            write_json(json, &score)?;
        }
        novawireless_cli_support::cli::print_out(&score.to_string());
        Ok(())
    })
}
