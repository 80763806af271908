//! `profile`: the data profile of an existing `run_all` output folder.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_cli_support::cli::main_with(novawireless_cli::profile::run)
}
