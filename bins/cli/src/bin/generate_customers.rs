//! Step 1: customers, lines, devices, EIP agreements and usage.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_cli_support::cli::main_with(novawireless_cli::generate_customers::run)
}
