//! Step 2: the master account ledger.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_cli_support::cli::main_with(novawireless_cli::build_master_account_ledger::run)
}
