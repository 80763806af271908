//! Step 3 of the pipeline: IMEI defects with ground-truth labels.
//!
//! [`inject`] changes usage IMEIs of a chunk of the ledger in two phases:
//! A swaps the usage IMEIs of two financed voice lines
//! (`imei_mismatch_swap`), B blanks usage IMEIs
//! (`missing_usage_imei_capture_failure` on lines with an agreement,
//! `missing_usage_imei_ghost_line` on lines without), then recomputes the
//! flags. Every eligible row is chosen by its own Bernoulli draw from its
//! customer's stream (README, *Scale and sharding* (determinism)), so a customer's defects never depend
//! on how the ledger was chunked. Without `within_customer_only`, swap
//! partners come from the customer's swap block ([`SWAP_BLOCK`] customers),
//! and the crate accepts only whole blocks ([`SwapBlocks`]). Phase B's
//! probabilities need the size of its pools over the whole ledger: sum
//! [`missing_pools`] over all chunks first. [`clean_twin`] undoes the
//! generation-time mismatch of a step-2 ledger. The crate does no I/O.
//!
//! ```
//! use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
//! use novawireless_anomalies::{inject, is_example, missing_pools, AnomalyParams, SwapBlocks};
//! use novawireless_sampler::Baseline;
//!
//! let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 1_000).unwrap();
//! let c = generator.generate_range(CustomerRange::new(0, 1_000));
//! let mut ledger = novawireless_ledger::join(&c.customers, &c.lines, &c.agreements, &c.usage).unwrap();
//!
//! // The whole population: whole swap blocks by definition.
//! let customers = SwapBlocks::population(1_000);
//! let params = AnomalyParams::default();
//! let pools = missing_pools(&ledger, &customers, &params).unwrap();
//! let injection = inject(&mut ledger, &customers, &params, pools).unwrap();
//! assert_eq!(injection.defects.len() as u64,
//!            injection.counts.labelled.total());
//! assert!(ledger.iter().filter(|r| r.imei_anomaly_type.is_some()).all(is_example));
//! ```
#![forbid(unsafe_code)]

mod blocks;
mod clean;
mod counts;
mod inject;
mod params;
mod pools;
mod swaps;

pub use blocks::{swap_block, SwapBlocks, SWAP_BLOCK};
pub use clean::{clean_twin, undo_generation_mismatch};
pub use counts::{AnomalyCounts, InjectedDefect, Injection};
pub use inject::{inject, is_example, recompute_flags};
pub use params::{AnomalyError, AnomalyParams, CAPTURE_FAILURE_SHARE};
pub use pools::{missing_pools, MissingPools, MissingProbabilities};
