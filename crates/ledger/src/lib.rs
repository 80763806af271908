//! Step 2 of the pipeline: the master account ledger.
//!
//! [`join`] turns a chunk of step-1 tables into ledger rows, one per line:
//! lines ⋈ customers on (customer_id, account_id), left-joined to EIP
//! agreements and usage snapshots on (customer_id, account_id, line_id,
//! msisdn). [`step2_flags`] computes the five 0/1 flags; [`imei_mismatch`]
//! and [`eip_mismatch`] are the two comparisons step 3 reuses when it
//! recomputes them. Bad input is a [`JoinError`] naming the table and row.
//! The crate does no I/O.
//!
//! ```
//! use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
//! use novawireless_ledger::join;
//! use novawireless_sampler::Baseline;
//!
//! let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 100).unwrap();
//! let chunk = generator.generate_range(CustomerRange::new(0, 100));
//! let ledger = join(&chunk.customers, &chunk.lines, &chunk.agreements, &chunk.usage).unwrap();
//! assert_eq!(ledger.len(), chunk.lines.len());
//! // An IMEI mismatch needs an agreement to compare against.
//! assert!(ledger.iter().all(|row| !row.flags.imei_mismatch || row.flags.eip_exists));
//! ```
#![forbid(unsafe_code)]

mod flags;
mod index;
mod join;

pub use flags::{eip_mismatch, imei_mismatch, step2_flags};
pub use join::{join, join_into, JoinError, Table};
