//! [`PipelineError`]: every error of a step runner, each variant keeping
//! its source; the one-line messages are formatted from fields.

use novawireless::ledger::JoinError;
use novawireless::{BillingError, ConfigError, PopulationError};
use novawireless_io::encode::EncodeError;
use novawireless_io::parquet::{ArrowError, ParquetError};
use novawireless_io::{InputError, OutputError};

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
    #[error(transparent)]
    Input(#[from] InputError),
    /// Step-1 tables the join refused, at a line of one of them.
    #[error("{path}:{line}: {}", join_message(source, *first_line))]
    Join {
        /// The file of the refused row.
        path: String,
        /// The row's 1-based line in the file.
        line: u64,
        /// The line of the first row, for an error about a repeated one.
        first_line: Option<u64>,
        /// The join's error, naming rows of the group it was given.
        #[source]
        source: JoinError,
    },
    /// A ledger row step 4 refused, at its line.
    #[error("{path}:{line}: line {} is billed {} but its eip_exists_flag is 0", source.line_id, source.billing_agreement_type)]
    Billing {
        /// The ledger file.
        path: String,
        /// The row's 1-based line in the file.
        line: u64,
        /// Step 4's error.
        #[source]
        source: BillingError,
    },
    /// A population too large to generate.
    #[error(transparent)]
    Population(#[from] PopulationError),
    /// An output or mirror folder that cannot be used: not creatable, or
    /// locked by another run (exit code 2, as for a bad folder flag).
    #[error(transparent)]
    Folder(OutputError),
    /// Rows that could not be encoded as Arrow or Parquet, or an encoder
    /// thread that failed.
    #[error(transparent)]
    Encode(EncodeError),
    /// A stage of the chunk job refused generated rows (a defect of the
    /// generator, not of any input).
    #[error(transparent)]
    Stage(novawireless::Error),
    /// The data profile of `--report` could not be written.
    #[error(transparent)]
    Report(#[from] novawireless_report::ReportError),
    /// A table asked for by name that the run does not make.
    #[error("no table is named {name:?}; the tables are {}", tables.join(", "))]
    UnknownTable {
        /// The name asked for.
        name: String,
        /// The tables the run makes.
        tables: Vec<&'static str>,
    },
    /// `--report` with the tables layout: the data profile reads a flat
    /// folder only (exit code 2, as for a bad flag).
    #[error("--report needs the flat layout: the data profile reads the tables beside the receipts (customers.csv or customers.parquet); run profile on a run with --layout flat")]
    ReportNeedsFlat,
    /// A worker thread that could not start or that panicked.
    #[error("{0}")]
    Internal(String),
}

impl From<EncodeError> for PipelineError {
    fn from(e: EncodeError) -> Self {
        match e {
            EncodeError::Output(e) => PipelineError::Output(e),
            e => PipelineError::Encode(e),
        }
    }
}

impl From<ArrowError> for PipelineError {
    fn from(e: ArrowError) -> Self {
        PipelineError::Encode(e.into())
    }
}

impl From<ParquetError> for PipelineError {
    fn from(e: ParquetError) -> Self {
        PipelineError::Encode(e.into())
    }
}

impl From<novawireless::Error> for PipelineError {
    fn from(e: novawireless::Error) -> Self {
        match e {
            novawireless::Error::Population(e) => PipelineError::Population(e),
            e => PipelineError::Stage(e),
        }
    }
}

impl PipelineError {
    /// The exit code of a binary failing with this error: 2 for an unusable
    /// folder, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            PipelineError::Folder(_) | PipelineError::ReportNeedsFlat => 2,
            _ => 1,
        }
    }

    /// A join error at `line` of `path`; `first_line` is the line of the
    /// first row of a repeated one.
    pub(crate) fn join(
        path: &str,
        line: u64,
        first_line: Option<u64>,
        source: JoinError,
    ) -> PipelineError {
        PipelineError::Join {
            path: path.to_string(),
            line,
            first_line,
            source,
        }
    }
}

/// The message of a join error at a file's line: the join's own, with the
/// first row of a repeated one named by its line.
fn join_message(e: &JoinError, first_line: Option<u64>) -> String {
    let first = first_line.unwrap_or(0);
    match e {
        JoinError::DuplicateCustomerId { customer_id, .. } => {
            format!("duplicate customer_id {customer_id} (first on line {first})")
        }
        JoinError::DuplicateLineId { line_id, .. } => {
            format!("duplicate line_id {line_id} (first on line {first})")
        }
        JoinError::UnknownCustomer {
            line_id,
            customer_id,
            account_id,
            ..
        } => format!(
            "line {line_id} belongs to unknown customer {customer_id} / account {account_id}"
        ),
        JoinError::DuplicateLineRow { line_id, .. } => {
            format!("second row for line {line_id} (first on line {first})")
        }
        JoinError::UnknownLine {
            line_id,
            customer_id,
            account_id,
            msisdn,
            ..
        } => format!("no line matches {line_id} / {customer_id} / {account_id} / {msisdn}"),
    }
}

/// The first row of a repeated one, for a join error that has it.
pub(crate) fn first_row(e: &JoinError) -> Option<usize> {
    match e {
        JoinError::DuplicateCustomerId { first_row, .. }
        | JoinError::DuplicateLineId { first_row, .. }
        | JoinError::DuplicateLineRow { first_row, .. } => Some(*first_row),
        JoinError::UnknownCustomer { .. } | JoinError::UnknownLine { .. } => None,
    }
}
