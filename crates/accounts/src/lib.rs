//! Step 1 of the pipeline: customers and their account graph.
//!
//! [`AccountGenerator`] produces customers, lines, devices, EIP agreements
//! and usage snapshots for any [`CustomerRange`] of a population. Each
//! customer's draws come from streams derived from `(seed, stage, index)`,
//! and global numbers (line and device ids) from prefix sums of line counts,
//! so the rows of a customer never depend on how the population was split.
//! The generator plans the split itself: [`AccountGenerator::partitions`]
//! cuts a range into [`Partition`]s, each knowing its first line, and
//! [`AccountGenerator::generate`] takes a partition.
//!
//! ```
//! use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
//! use novawireless_sampler::Baseline;
//!
//! let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 1_000).unwrap();
//! let all = generator.generate_range(CustomerRange::new(0, 1_000));
//! assert_eq!(all.customers.len(), 1_000);
//! assert_eq!(all.customers[0].customer_id.to_string(), "C0000001");
//!
//! // The second half generated alone gives the same rows: the generator
//! // plans each partition's first line.
//! let halves = generator.partitions(CustomerRange::new(0, 1_000), 500);
//! let half = generator.generate(halves[1]);
//! assert_eq!(half.customers[..], all.customers[500..]);
//! assert_eq!(half.lines[..], all.lines[all.lines.len() - half.lines.len()..]);
//! ```
#![forbid(unsafe_code)]

mod generator;
mod params;
mod partition;

pub use generator::{
    devices_through, AccountChunk, AccountGenerator, PopulationError, Shape, EXTRA_LINES_P,
    MAX_CUSTOMERS, MAX_VOICE_LINES, SPARE_GATEWAY_SHARE,
};
pub use params::{CustomerRange, GraphParams};
pub use partition::{Partition, PLAN_BLOCK};
