//! The facade's one error type.

use crate::SWAP_BLOCK;

/// Why a stage of the pipeline failed. Each variant keeps the error of the
/// step crate that refused, and its message is that error's.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A population too large to generate.
    #[error(transparent)]
    Population(#[from] novawireless_accounts::PopulationError),
    /// Step 2 refused the rows it joins.
    #[error(transparent)]
    Join(#[from] novawireless_ledger::JoinError),
    /// Step 3 refused its parameters or rows.
    #[error(transparent)]
    Anomalies(#[from] novawireless_anomalies::AnomalyError),
    /// Step 4 refused a row.
    #[error(transparent)]
    Billing(#[from] novawireless_billing::BillingError),
    /// Chunks that do not hold whole swap blocks.
    #[error("chunks of {chunk_customers} customers: not a positive multiple of {SWAP_BLOCK}")]
    ChunkSize {
        /// The refused size.
        chunk_customers: u64,
    },
    /// A customer range that is not a run of whole swap blocks of the
    /// population.
    #[error("customers {start}..{end} of {population}: a range must start on a multiple of {SWAP_BLOCK} and end inside the population")]
    Range {
        /// The range's first customer.
        start: u64,
        /// One past its last customer.
        end: u64,
        /// The population's size.
        population: u64,
    },
}
