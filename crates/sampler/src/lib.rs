//! Baseline distributions, the churn model and deterministic RNG streams.
//!
//! [`Baseline`] is the validated distribution set (embedded default or
//! `--config FILE`); [`ChurnModel`] turns tenure, service and payment method
//! into a per-customer churn risk; [`stream`] derives the random stream of one
//! customer in one stage from `(seed, stage, index)`.
//!
//! ```
//! use novawireless_sampler::{stream, Baseline, ChurnModel, Stage};
//! use novawireless_model::{InternetService, PaymentMethod};
//!
//! let baseline = Baseline::embedded();
//! let model = ChurnModel::calibrate(&baseline);
//! let mut rng = stream(42, Stage::Customer, 0);
//! let risk = model.sample(&mut rng, 3, InternetService::FiberOptic, PaymentMethod::ElectronicCheck);
//! assert!((0.01..=0.95).contains(&risk));
//! ```
#![forbid(unsafe_code)]

mod churn;
mod config;
mod dist;
mod streams;

pub use churn::{
    latent_traits, ChurnModel, CHURN_MAX, CHURN_MIN, NOISE_LIMIT_SD, PATIENCE_RANGE, TRUST_RANGE,
};
pub use config::{Baseline, ChurnCoefficients, ConfigError, LatentTraitParams, EMBEDDED_BASELINE};
pub use dist::{bernoulli, beta, bounded_normal, geometric, round_to, BinnedUniform, Categorical};
pub use streams::{mix64, stream, Permutation, Stage};
