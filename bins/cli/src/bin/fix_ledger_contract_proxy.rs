//! Step 4: `contract_proxy` → `billing_agreement_type`.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_cli_support::cli::main_with(novawireless_cli::fix_ledger_contract_proxy::run)
}
