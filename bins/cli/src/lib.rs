//! The NovaWireless generator's programs, one module each, with the same
//! flags, files, messages and exit codes as the binaries of the same names
//! (`cargo install novawireless-cli` installs them all). Each module's
//! `run(argv)` is its binary without the process around it: it installs no
//! signal handler and never exits, so the programs can be run from a
//! library (the Python package does).
#![forbid(unsafe_code)]

pub mod build_master_account_ledger;
pub mod fix_ledger_contract_proxy;
pub mod generate_customers;
pub mod inject_imei_anomalies;
pub mod profile;
pub mod run_all;
pub mod score_detector;
