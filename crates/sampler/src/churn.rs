//! The per-customer churn model and the latent traits that follow it.
//!
//! logit(p) = b0 + tenure_per_month·tenure + internet effect + payment effect +
//! bounded noise, clamped to [0.01, 0.95]. The intercept b0 is solved once,
//! by exact expectation over the configured distributions, so that the mean
//! score equals `churn_base_rate`.

use crate::dist::{bounded_normal, round_to};
use crate::Baseline;
use novawireless_model::{InternetService, PaymentMethod};
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

/// The calibrated churn model of one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct ChurnModel {
    intercept: f64,
    tenure_per_month: f64,
    internet: Vec<f64>,
    payment: Vec<f64>,
    noise_sd: f64,
}

fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

fn score(logit: f64) -> f64 {
    sigmoid(logit).clamp(CHURN_MIN, CHURN_MAX)
}

impl ChurnModel {
    /// Solves the intercept so that the expected score is the baseline's
    /// `churn_base_rate` (bisection on an exact expectation; deterministic).
    pub fn calibrate(baseline: &Baseline) -> Self {
        let c = &baseline.churn;
        let mut model = ChurnModel {
            intercept: 0.0,
            tenure_per_month: c.tenure_per_month,
            internet: c.internet_service.clone(),
            payment: c.payment_method.clone(),
            noise_sd: c.noise_sd,
        };
        let tenure = tenure_pmf(baseline);
        let internet: Vec<(InternetService, f64)> =
            baseline.internet_service.probabilities().collect();
        let payment: Vec<(PaymentMethod, f64)> = baseline.payment_method.probabilities().collect();
        let noise = noise_quadrature(c.noise_sd);
        // Group the fixed part of the logit once; the intercept only shifts it.
        let mut fixed: Vec<(f64, f64)> = Vec::new();
        for &(t, pt) in &tenure {
            for &(i, pi) in &internet {
                for &(p, pp) in &payment {
                    let w = pt * pi * pp;
                    if w > 0.0 {
                        fixed.push((
                            c.tenure_per_month * t
                                + model.internet[i as usize]
                                + model.payment[p as usize],
                            w,
                        ));
                    }
                }
            }
        }
        let expected = |b0: f64| -> f64 {
            fixed
                .iter()
                .map(|&(x, w)| {
                    w * noise
                        .iter()
                        .map(|&(z, pz)| pz * score(b0 + x + z))
                        .sum::<f64>()
                })
                .sum()
        };
        let target = baseline.churn_base_rate.clamp(CHURN_MIN, CHURN_MAX);
        let (mut lo, mut hi) = (-20.0, 20.0);
        for _ in 0..50 {
            let mid = 0.5 * (lo + hi);
            if expected(mid) < target {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        model.intercept = 0.5 * (lo + hi);
        model
    }

    /// The solved intercept b0.
    pub fn intercept(&self) -> f64 {
        self.intercept
    }

    /// The churn risk score of one customer (one normal draw), 6 decimals.
    pub fn sample<R: Rng + ?Sized>(
        &self,
        rng: &mut R,
        tenure_months: u32,
        internet: InternetService,
        payment: PaymentMethod,
    ) -> f64 {
        let noise = bounded_normal(rng, self.noise_sd, NOISE_LIMIT_SD);
        let logit = self.intercept
            + self.tenure_per_month * f64::from(tenure_months)
            + self.internet[internet as usize]
            + self.payment[payment as usize]
            + noise;
        round_to(score(logit), 6)
    }
}

/// Probability of each integer tenure (floor of the binned-uniform draw).
fn tenure_pmf(baseline: &Baseline) -> Vec<(f64, f64)> {
    let (min, max) = baseline.tenure_months.bounds();
    let mut pmf: std::collections::BTreeMap<i64, f64> = Default::default();
    for ((low, high), p) in baseline.tenure_months.bins() {
        if p == 0.0 {
            continue;
        }
        let low = low.max(min);
        let high = high.min(max);
        if high <= low {
            *pmf.entry(low.clamp(min, max).floor() as i64).or_default() += p;
            continue;
        }
        let mut t = low.floor();
        while t < high {
            let overlap = (t + 1.0).min(high) - t.max(low);
            if overlap > 0.0 {
                *pmf.entry(t as i64).or_default() += p * overlap / (high - low);
            }
            t += 1.0;
        }
    }
    pmf.into_iter().map(|(t, p)| (t as f64, p)).collect()
}

/// Points and weights for E[f(noise)] with noise = clamp(Z, ±limit)·sd.
fn noise_quadrature(sd: f64) -> Vec<(f64, f64)> {
    if sd == 0.0 {
        return vec![(0.0, 1.0)];
    }
    let steps = 100;
    let h = 2.0 * NOISE_LIMIT_SD / f64::from(steps);
    let density = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let mut points: Vec<(f64, f64)> = (0..steps)
        .map(|k| {
            let z = -NOISE_LIMIT_SD + h * (f64::from(k) + 0.5);
            (z * sd, density(z) * h)
        })
        .collect();
    let inside: f64 = points.iter().map(|p| p.1).sum();
    let tail = 0.5 * (1.0 - inside);
    points.push((-NOISE_LIMIT_SD * sd, tail));
    points.push((NOISE_LIMIT_SD * sd, tail));
    points
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tenure_pmf_sums_to_one() {
        let pmf = tenure_pmf(&Baseline::embedded());
        let total: f64 = pmf.iter().map(|p| p.1).sum();
        assert!((total - 1.0).abs() < 1e-9);
        assert_eq!(pmf.first().unwrap().0, 0.0);
        assert_eq!(pmf.last().unwrap().0, 71.0);
    }

    #[test]
    fn intercept_is_solved_for_the_base_rate() {
        let mut baseline = Baseline::embedded();
        let b27 = ChurnModel::calibrate(&baseline).intercept();
        baseline.churn_base_rate = 0.40;
        let b40 = ChurnModel::calibrate(&baseline).intercept();
        assert!(b40 > b27);
    }
}
