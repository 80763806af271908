//! Baseline distributions, the joint model of a customer and deterministic
//! RNG streams.
//!
//! [`Baseline`] is the validated distribution set (embedded default or
//! `--config FILE`); its [`JointModel`] draws a customer's segment, tenure,
//! services, charges and churn risk with the structure of the IBM Telco
//! aggregates; [`stream`] derives the random stream of one customer in one
//! stage from `(seed, stage, index)`.
//!
//! ```
//! use novawireless_sampler::{stream, Baseline, Stage};
//!
//! let model = Baseline::embedded().joint_model();
//! let mut rng = stream(42, Stage::Shape, 0);
//! let shape = model.draw_shape(&mut rng);
//! let mut rng = stream(42, Stage::Customer, 0);
//! let customer = model.draw_customer(&mut rng, &shape);
//! assert!((0.01..=0.95).contains(&customer.churn_risk_score));
//! assert!((20.0..=120.0).contains(&customer.monthly_charges));
//! ```
#![forbid(unsafe_code)]

mod churn;
mod config;
mod dist;
pub mod joint;
mod streams;

pub use churn::{latent_traits, CHURN_MAX, CHURN_MIN, NOISE_LIMIT_SD, PATIENCE_RANGE, TRUST_RANGE};
pub use config::{Baseline, ConfigError, LatentTraitParams, EMBEDDED_BASELINE};
pub use dist::{bernoulli, beta, bounded_normal, geometric, round_to, BinnedUniform, Categorical};
pub use joint::{CustomerDraw, JointModel, ServiceDraw, ShapeDraw};
pub use streams::{mix64, stream, Permutation, Stage};
