//! Bounds of the churn score and the latent traits that follow it (the
//! churn model itself is part of the joint model, [`crate::joint`]).

use crate::dist::{bounded_normal, round_to};
use crate::Baseline;
use rand::Rng;

/// Lowest churn risk score.
pub const CHURN_MIN: f64 = 0.01;
/// Highest churn risk score.
pub const CHURN_MAX: f64 = 0.95;
/// Noise terms are bounded at this many standard deviations.
pub const NOISE_LIMIT_SD: f64 = 2.5;
/// Bounds of `trust_baseline`.
pub const TRUST_RANGE: (f64, f64) = (5.0, 98.0);
/// Bounds of `patience`.
pub const PATIENCE_RANGE: (f64, f64) = (0.02, 0.98);

/// Trust (0–100) and patience (0–1) of one customer from their churn risk
/// (two normal draws), each clamped and rounded to 6 decimals.
pub fn latent_traits<R: Rng + ?Sized>(
    rng: &mut R,
    baseline: &Baseline,
    churn_risk: f64,
) -> (f64, f64) {
    let t = &baseline.traits;
    let excess = churn_risk - baseline.churn_base_rate;
    let trust = t.trust_mean
        + t.trust_per_churn * excess
        + bounded_normal(rng, t.trust_noise_sd, NOISE_LIMIT_SD);
    let patience = t.patience_mean
        + t.patience_per_churn * excess
        + bounded_normal(rng, t.patience_noise_sd, NOISE_LIMIT_SD);
    (
        round_to(trust.clamp(TRUST_RANGE.0, TRUST_RANGE.1), 6),
        round_to(patience.clamp(PATIENCE_RANGE.0, PATIENCE_RANGE.1), 6),
    )
}
