//! Scores a detector of injected IMEI defects against `anomaly_manifest.csv`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_cli_support::cli::main_with(novawireless_cli::score_detector::run)
}
