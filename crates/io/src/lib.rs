//! Table readers and writers, atomic output and receipts.
//!
//! CSV follows README, *Files* and *Parquet*: a header, commas, RFC 4180 quoting, `\n`
//! line ends, empty strings for missing values, integers as integers, IMEIs
//! and MSISDNs as digit strings, money with two decimals at most and scores
//! with six.
//!
//! Every table is declared once in [`tables`] (see [`schema`]); CSV and
//! Parquet output and both readers come from those declarations.
#![forbid(unsafe_code)]

pub mod cells;
pub mod datapackage;
pub mod encode;
mod footer;
pub mod format;
pub mod kinds;
mod lock;
mod output;
pub mod parquet;
pub mod read;
pub mod schema;
pub mod tables;

pub use encode::{Encoder, Format, Layout, Part, TableSink};
pub use lock::{remove_own_temporaries, FolderLock, LOCK_FILE};
pub use output::{sha256_hex, FileRecord, OutputError, OutputSet, TableWriter, TEMP_SUFFIX};
pub use read::InputError;
pub use schema::TableDef;
pub use tables::LedgerSchema;
