//! The pipeline's step runners and their options.
//!
//! Each binary parses its flags (see [`cli`]) and calls one runner here;
//! library users can call the runners directly, or use
//! `novawireless-accounts` to generate rows in memory without files.
#![forbid(unsafe_code)]

pub mod cli;
mod in_memory;
pub mod parallel;
pub mod progress;
mod run_all;
mod sinks;
mod step1;
mod step2;
mod step3;
mod step4;

pub use in_memory::{empty_tables, run_all_tables, table_names, ArrowTable};
pub use novawireless_anomalies::{AnomalyParams, SWAP_BLOCK};
pub use novawireless_billing::BillingCounts;
pub use run_all::{direct_io_pays, run_all, RunAllOptions, RunAllReport, Shard, CLEAN_LEDGER_FILE};
pub use step1::{generate_customers, GenerateOptions, Step1Counts, Step1Report, STEP1_FILES};
pub use step2::{build_master_account_ledger, FlagCounts, LEDGER_FILE, LEDGER_RECEIPT};
pub use step3::{
    inject_imei_anomalies, AnomalySummary, ANOMALY_LEDGER_FILE, ANOMALY_RECEIPT, EXAMPLES_FILE,
    MANIFEST_FILE,
};
pub use step4::{fix_ledger_contract_proxy, BACKUP_FILE};

use novawireless_io::{FileRecord, FolderLock, OutputError, OutputSet};
use novawireless_sampler::{Baseline, ConfigError};
use std::path::Path;

/// The tool's name and version, as receipts record them.
pub const TOOL: &str = concat!("novawireless ", env!("CARGO_PKG_VERSION"));

pub use novawireless_io::Format;

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
    /// A population too large to generate.
    #[error(transparent)]
    Population(#[from] novawireless_accounts::PopulationError),
    /// An output or mirror folder that cannot be used: not creatable, or
    /// locked by another run (exit code 2, as for a bad folder flag).
    #[error(transparent)]
    Folder(OutputError),
}

impl PipelineError {
    /// The exit code of a binary failing with this error: 2 for an unusable
    /// folder, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            PipelineError::Folder(_) => 2,
            _ => 1,
        }
    }
}

/// How a receipt names the folder a step read: `.` for its own output
/// folder, else `another folder`. Receipts hold no path of the machine, so
/// the same run gives the same bytes in any folder.
pub(crate) fn input_folder(in_dir: &Path, out_dir: &Path) -> String {
    let same = std::fs::canonicalize(in_dir).ok() == std::fs::canonicalize(out_dir).ok();
    if same { "." } else { "another folder" }.to_string()
}

/// Refuses an unusable `--params_dir` before any work (exit code 2).
pub(crate) fn check_mirror(mirror_dir: Option<&Path>) -> Result<(), PipelineError> {
    match mirror_dir {
        Some(dir) => novawireless_io::OutputSet::check_folder(dir).map_err(|e| {
            PipelineError::Folder(OutputError {
                message: format!("unusable as --params_dir: {}", e.message),
                ..e
            })
        }),
        None => Ok(()),
    }
}

/// Commits a step's files in one go: its tables and receipts, the copies
/// of `mirrored` in the params mirror, and the removal from both folders of
/// the same tables in the other format, an earlier run's files that no
/// receipt of this run describes. Either folder is the old run's or the new
/// run's, never a mix, and the two change together.
pub(crate) fn commit(
    mut out: OutputSet,
    mirror_dir: Option<&Path>,
    mirrored: &[&str],
) -> Result<Vec<FileRecord>, PipelineError> {
    let written: Vec<String> = out.records().iter().map(|r| r.path.clone()).collect();
    for name in written.iter().flat_map(|n| Format::other_names(n)) {
        out.remove_on_commit(&name);
    }
    if let Some(dir) = mirror_dir {
        let stale: Vec<String> = mirrored
            .iter()
            .flat_map(|n| Format::other_names(n))
            .collect();
        let stale: Vec<&str> = stale.iter().map(String::as_str).collect();
        out.mirror_to(dir, mirrored, &stale).map_err(|e| {
            PipelineError::Output(OutputError {
                message: format!("cannot mirror (--params_dir): {}", e.message),
                ..e
            })
        })?;
    }
    Ok(out.commit()?)
}

/// Runs `run` holding exclusive locks on `out_dir` and `mirror_dir` (see
/// [`novawireless_io::FolderLock`]) for its whole life; folders it had to
/// create are removed again, while empty, when it fails.
pub(crate) fn locked<T>(
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    run: impl FnOnce() -> Result<T, PipelineError>,
) -> Result<T, PipelineError> {
    let created_out = step2::CreatedDirs::before(out_dir);
    let created_mirror = mirror_dir.map(step2::CreatedDirs::before);
    let result = (|| {
        let _out = FolderLock::acquire(out_dir, "--out_dir").map_err(PipelineError::Folder)?;
        let same = mirror_dir
            .is_some_and(|m| std::fs::canonicalize(m).ok() == std::fs::canonicalize(out_dir).ok());
        let _mirror = match mirror_dir {
            Some(m) if !same => {
                Some(FolderLock::acquire(m, "--params_dir").map_err(PipelineError::Folder)?)
            }
            _ => None,
        };
        run()
    })();
    if result.is_err() {
        created_out.remove_if_empty();
        if let Some(created) = created_mirror {
            created.remove_if_empty();
        }
    }
    result
}

/// The baseline of `--config FILE`, or the embedded one.
pub fn load_baseline(config: Option<&Path>) -> Result<Baseline, PipelineError> {
    Ok(match config {
        Some(path) => Baseline::from_file(path)?,
        None => Baseline::embedded(),
    })
}
