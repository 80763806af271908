//! Step 3: IMEI anomalies with ground-truth labels.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_cli_support::cli::main_with(novawireless_cli::inject_imei_anomalies::run)
}
