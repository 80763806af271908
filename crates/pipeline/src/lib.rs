//! The pipeline's step runners and their options.
//!
//! Each binary parses its flags (see [`cli`]) and calls one runner here;
//! library users can call the runners directly, or use
//! `novawireless-accounts` to generate rows in memory without files.
#![forbid(unsafe_code)]

pub mod cli;
pub mod parallel;
pub mod progress;
mod run_all;
mod sinks;
mod step1;
mod step2;
mod step3;
mod step4;

pub use novawireless_anomalies::AnomalyParams;
pub use novawireless_billing::BillingCounts;
pub use run_all::{direct_io_pays, run_all, RunAllOptions, RunAllReport, Shard, CLEAN_LEDGER_FILE};
pub use step1::{generate_customers, GenerateOptions, Step1Counts, Step1Report, STEP1_FILES};
pub use step2::{build_master_account_ledger, FlagCounts, LEDGER_FILE, LEDGER_RECEIPT};
pub use step3::{
    inject_imei_anomalies, AnomalySummary, ANOMALY_LEDGER_FILE, ANOMALY_RECEIPT, EXAMPLES_FILE,
    MANIFEST_FILE, SWAP_BLOCK,
};
pub use step4::{fix_ledger_contract_proxy, BACKUP_FILE};

use novawireless_io::OutputError;
use novawireless_sampler::{Baseline, ConfigError};
use std::path::Path;

/// The tool's name and version, as receipts record them.
pub const TOOL: &str = concat!("novawireless ", env!("CARGO_PKG_VERSION"));

/// Output format of every table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// Apache Parquet with typed, nullable columns, Zstd-compressed.
    Parquet,
}

impl Format {
    /// The spelling receipts use.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// The file name of a table in this format, from its CSV name.
    pub fn file_name(self, csv_name: &str) -> String {
        match self {
            Format::Csv => csv_name.to_string(),
            Format::Parquet => match csv_name.strip_suffix(".csv") {
                Some(stem) => format!("{stem}.parquet"),
                None => csv_name.to_string(),
            },
        }
    }
}

/// Any error of a pipeline step; the message is one line naming the flag,
/// file, line or column at fault.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// A bad baseline configuration.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An output file or folder could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// A bad input table.
    #[error("{0}")]
    Input(String),
}

/// The baseline of `--config FILE`, or the embedded one.
pub fn load_baseline(config: Option<&Path>) -> Result<Baseline, PipelineError> {
    Ok(match config {
        Some(path) => Baseline::from_file(path)?,
        None => Baseline::embedded(),
    })
}
