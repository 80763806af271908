//! The pipeline's step runners and their options.
//!
//! Each binary parses its flags (`novawireless-cli-support`) and calls one
//! runner here;
//! library users can call the runners directly, or use the `novawireless`
//! facade to run the same stages in memory without files. The runners
//! reach the step crates only through the facade.
#![forbid(unsafe_code)]

mod error;
pub mod files;
mod folders;
mod in_memory;
mod ledger_reader;
mod outputs;
mod package;
mod provenance;
mod run_all;
mod sinks;
mod step1;
mod step2;
mod step3;
mod step4;

pub use error::PipelineError;
pub use files::{
    table_path, ANOMALY_LEDGER_FILE, ANOMALY_RECEIPT, BACKUP_FILE, CLEAN_LEDGER_FILE,
    EXAMPLES_FILE, LEDGER_FILE, LEDGER_RECEIPT, MANIFEST_FILE, STEP1_FILES,
};
pub(crate) use folders::{check_mirror, commit, input_folder, locked};
pub use in_memory::{empty_tables, run_all_tables, run_all_tables_with, table_names, ArrowTable};
/// The chunked, parallel, ordered driver (the facade's).
pub use novawireless::parallel;
pub use novawireless::{
    AnomalyParams, AnomalySummary, BillingCounts, FlagCounts, Step1Counts, SWAP_BLOCK,
};
pub use novawireless_io::encode::EncodeError;
pub use package::PACKAGE_FILE;
pub use run_all::{direct_io_pays, run_all, run_all_with, RunAllOptions, RunAllReport, Shard};
pub use step1::{generate_customers, generate_customers_with, GenerateOptions, Step1Report};
pub use step2::build_master_account_ledger;
pub use step3::inject_imei_anomalies;
pub use step4::fix_ledger_contract_proxy;

use novawireless::Baseline;
use std::path::Path;

/// The tool's name and version, as receipts record them.
pub const TOOL: &str = concat!("novawireless ", env!("CARGO_PKG_VERSION"));

pub use novawireless_io::{Format, Layout};

/// The baseline of `--config FILE`, or the embedded one.
pub fn load_baseline(config: Option<&Path>) -> Result<Baseline, PipelineError> {
    Ok(match config {
        Some(path) => Baseline::from_file(path)?,
        None => Baseline::embedded(),
    })
}
