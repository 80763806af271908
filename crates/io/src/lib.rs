//! Table readers and writers, atomic output and receipts.
//!
//! CSV follows README, *Files* and *Parquet*: a header, commas, RFC 4180 quoting, `\n`
//! line ends, empty strings for missing values, integers as integers, IMEIs
//! and MSISDNs as digit strings, money with two decimals at most and scores
//! with six.
#![forbid(unsafe_code)]

pub mod cells;
pub mod format;
mod lock;
mod output;
pub mod parquet;
pub mod read;
pub mod tables;

pub use lock::{remove_own_temporaries, FolderLock, LOCK_FILE};
pub use output::{sha256_hex, FileRecord, OutputError, OutputSet, TableWriter, TEMP_SUFFIX};
pub use read::InputError;
pub use tables::LedgerSchema;
