//! NovaWireless synthetic customers in memory, for library users.
//!
//! The facade re-exports the domain types of the step crates and runs the
//! pipeline of named stages over chunks of customers, with no file:
//! generate → join → clean twin → inject → bill (ARCHITECTURE.md, *Data
//! flow of `run_all`*). A [`StageSink`] receives each stage's rows by
//! reference, as the file pipeline does to encode them; [`Pipeline::tables`]
//! yields owned [`ChunkTables`] instead.
//!
//! ```
//! use novawireless::{Baseline, Options, Pipeline};
//!
//! let pipeline = Pipeline::new(&Baseline::embedded(), Options::new(3_000)).unwrap();
//! let mut customers = 0;
//! for chunk in pipeline.tables() {
//!     let chunk = chunk.unwrap();
//!     assert_eq!(chunk.final_ledger.len(), chunk.step1.lines.len());
//!     customers += chunk.step1.customers.len();
//! }
//! assert_eq!(customers, 3_000);
//! let counts = pipeline.counts().unwrap();
//! assert_eq!(counts.step1.customers, 3_000);
//! assert_eq!(counts.flags.rows, counts.step1.lines);
//! ```
#![forbid(unsafe_code)]

mod counts;
mod error;
mod job;
pub mod parallel;
pub mod stages;

pub use counts::{AnomalySummary, FlagCounts, Step1Counts};
pub use error::Error;
pub use job::{ChunkTables, Counts, Options, Pipeline, Progress, Silent, StageSink, Tables};
pub use novawireless_anomalies::SWAP_BLOCK;

/// Row structs, typed ids and enums (`novawireless-model`).
pub use novawireless_model as model;
pub use novawireless_model::{
    BillingAgreementType, Customer, CustomerId, Defect, DefectType, Device, EipAgreement, Imei,
    LedgerFlags, LedgerRow, Line, LineId, SnapshotDate, UsageSnapshot,
};

/// Step 1: the account generator (`novawireless-accounts`).
pub use novawireless_accounts as accounts;
pub use novawireless_accounts::{
    AccountChunk, AccountGenerator, CustomerRange, GraphParams, PopulationError, MAX_CUSTOMERS,
};

/// Baseline distributions and the joint model (`novawireless-sampler`).
pub use novawireless_sampler as sampler;
pub use novawireless_sampler::{Baseline, ConfigError};

/// Step 2: the join and its flags (`novawireless-ledger`).
pub use novawireless_ledger as ledger;
pub use novawireless_ledger::JoinError;

/// Step 3: anomaly injection (`novawireless-anomalies`).
pub use novawireless_anomalies as anomalies;
pub use novawireless_anomalies::{AnomalyCounts, AnomalyError, AnomalyParams, MissingPools};

/// Step 4: billing types (`novawireless-billing`).
pub use novawireless_billing as billing;
pub use novawireless_billing::{BillingCounts, BillingError};
