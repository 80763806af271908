//! Categorical and binned-uniform distributions, and the few draws the
//! generator needs, written so that each draw consumes a fixed, documented
//! number of values from the stream.

use rand::Rng;
use rand_distr::{Beta, Distribution, StandardNormal};

/// A categorical distribution over `T`, weights normalised at construction.
#[derive(Debug, Clone, PartialEq)]
pub struct Categorical<T> {
    values: Vec<T>,
    cumulative: Vec<f64>,
}

fn check_weights(weights: &[f64]) -> Result<f64, String> {
    if weights.is_empty() {
        return Err("no categories".into());
    }
    for (i, w) in weights.iter().enumerate() {
        if !w.is_finite() || *w < 0.0 {
            return Err(format!(
                "weight {i} is {w}: weights must be finite and non-negative"
            ));
        }
    }
    let total: f64 = weights.iter().sum();
    if total <= 0.0 {
        return Err("weights sum to zero".into());
    }
    Ok(total)
}

fn cumulative(weights: &[f64], total: f64) -> Vec<f64> {
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect()
}

impl<T: Copy> Categorical<T> {
    /// A distribution over `values` with the given weights (same length).
    pub fn new(values: Vec<T>, weights: &[f64]) -> Result<Self, String> {
        if values.len() != weights.len() {
            return Err(format!(
                "{} values but {} weights",
                values.len(),
                weights.len()
            ));
        }
        let total = check_weights(weights)?;
        Ok(Categorical {
            cumulative: cumulative(weights, total),
            values,
        })
    }

    /// The normalised probability of each value, in order.
    pub fn probabilities(&self) -> impl Iterator<Item = (T, f64)> + '_ {
        let mut previous = 0.0;
        self.values.iter().zip(&self.cumulative).map(move |(v, c)| {
            let p = c - previous;
            previous = *c;
            (*v, p)
        })
    }

    /// Draws one value (one uniform).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> T {
        let u: f64 = rng.random();
        let i = self
            .cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(self.values.len() - 1);
        // A zero-weight last category can be reached only through rounding.
        let i = (i..self.values.len())
            .find(|&j| self.weight_at(j) > 0.0)
            .unwrap_or(i);
        self.values[i]
    }

    fn weight_at(&self, i: usize) -> f64 {
        self.cumulative[i] - if i == 0 { 0.0 } else { self.cumulative[i - 1] }
    }
}

/// Bins `[low, high]` chosen by probability, then a uniform value inside the
/// bin, clamped to `[min, max]`.
#[derive(Debug, Clone, PartialEq)]
pub struct BinnedUniform {
    min: f64,
    max: f64,
    bins: Categorical<(f64, f64)>,
}

impl BinnedUniform {
    /// Validates and builds the distribution.
    pub fn new(min: f64, max: f64, bins: Vec<(f64, f64)>, probs: &[f64]) -> Result<Self, String> {
        if !(min.is_finite() && max.is_finite() && min <= max) {
            return Err(format!(
                "min {min} and max {max} must be finite with min <= max"
            ));
        }
        if let Some((low, high)) = bins
            .iter()
            .find(|(l, h)| l.partial_cmp(h).is_none_or(|o| o.is_gt()))
        {
            return Err(format!("bin [{low}, {high}] has low > high"));
        }
        Ok(BinnedUniform {
            min,
            max,
            bins: Categorical::new(bins, probs)?,
        })
    }

    /// The bins with their normalised probabilities.
    pub fn bins(&self) -> impl Iterator<Item = ((f64, f64), f64)> + '_ {
        self.bins.probabilities()
    }

    /// The clamp bounds.
    pub fn bounds(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    /// Draws one value (two uniforms).
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        let (low, high) = self.bins.sample(rng);
        let u: f64 = rng.random();
        (low + (high - low) * u).clamp(self.min, self.max)
    }
}

/// `true` with probability `p` (one uniform).
pub fn bernoulli<R: Rng + ?Sized>(rng: &mut R, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// A standard normal draw bounded at `±limit` standard deviations.
pub fn bounded_normal<R: Rng + ?Sized>(rng: &mut R, sd: f64, limit: f64) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    z.clamp(-limit, limit) * sd
}

/// A Geometric(p) draw on {1, 2, …}: the number of trials up to the first
/// success (one uniform, by inversion).
pub fn geometric<R: Rng + ?Sized>(rng: &mut R, p: f64) -> u32 {
    let u: f64 = rng.random();
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let k = ((1.0 - u).ln() / (1.0 - p).ln()).floor();
    if k.is_finite() && k >= 0.0 {
        (k as u32).saturating_add(1)
    } else {
        1
    }
}

/// A Beta(a, b) draw; `a` and `b` must be positive.
pub fn beta<R: Rng + ?Sized>(rng: &mut R, a: f64, b: f64) -> f64 {
    match Beta::new(a, b) {
        Ok(d) => d.sample(rng),
        Err(_) => a / (a + b),
    }
}

/// Rounds to `decimals` decimal places, halves away from zero.
pub fn round_to(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_pcg::Pcg64Mcg;

    #[test]
    fn categorical_refuses_bad_weights() {
        assert!(Categorical::new(vec![1, 2], &[0.0, 0.0]).is_err());
        assert!(Categorical::new(vec![1, 2], &[-0.1, 1.0]).is_err());
        assert!(Categorical::new(vec![1, 2], &[f64::NAN, 1.0]).is_err());
        assert!(Categorical::new(vec![1, 2], &[f64::INFINITY, 1.0]).is_err());
        assert!(Categorical::new(vec![1, 2], &[1.0]).is_err());
    }

    #[test]
    fn categorical_frequencies_follow_weights() {
        let d = Categorical::new(vec![0usize, 1, 2], &[2.0, 0.0, 6.0]).unwrap();
        let mut rng = Pcg64Mcg::seed_from_u64(7);
        let mut counts = [0u32; 3];
        for _ in 0..100_000 {
            counts[d.sample(&mut rng)] += 1;
        }
        assert_eq!(counts[1], 0);
        let share = f64::from(counts[0]) / 100_000.0;
        assert!((share - 0.25).abs() < 0.01, "{share}");
    }

    #[test]
    fn binned_values_stay_in_bins_and_bounds() {
        let d =
            BinnedUniform::new(0.0, 15.0, vec![(0.0, 10.0), (10.0, 20.0)], &[0.5, 0.5]).unwrap();
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        for _ in 0..10_000 {
            let x = d.sample(&mut rng);
            assert!((0.0..=15.0).contains(&x));
        }
        assert!(BinnedUniform::new(0.0, 1.0, vec![(2.0, 1.0)], &[1.0]).is_err());
        assert!(BinnedUniform::new(2.0, 1.0, vec![(0.0, 1.0)], &[1.0]).is_err());
    }

    #[test]
    fn geometric_mean_is_one_over_p() {
        let mut rng = Pcg64Mcg::seed_from_u64(3);
        let n = 200_000;
        let total: u64 = (0..n).map(|_| u64::from(geometric(&mut rng, 0.55))).sum();
        let mean = total as f64 / f64::from(n);
        assert!((mean - 1.0 / 0.55).abs() < 0.02, "{mean}");
    }

    #[test]
    fn rounding() {
        assert_eq!(round_to(12.345_678_9, 2), 12.35);
        assert_eq!(round_to(0.123_456_789, 6), 0.123_457);
    }
}
