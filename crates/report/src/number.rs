//! Number formatting and quantiles.

/// `x` with at most 6 decimals, trailing zeros and a trailing point
/// dropped, never an exponent (`24`, `0.25`, `-1`, `1234567.123457`).
pub(crate) fn decimal(x: f64) -> String {
    let mut s = format!("{x:.6}");
    if s.contains('.') {
        let kept = s.trim_end_matches('0').trim_end_matches('.').len();
        s.truncate(kept);
    }
    if s == "-0" {
        s = "0".into();
    }
    s
}

/// `n` with a comma between groups of three digits (`20,000`).
pub(crate) fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The `pct`-th percentile (0–100) of a multiset given as `(value, count)`
/// pairs sorted by value, holding `total ≥ 1` values: linear interpolation
/// between the closest ranks (Hyndman–Fan type 7, the default of numpy and
/// pandas). With the values `x[0] ≤ … ≤ x[n−1]` and `h = (n − 1)·pct/100`,
/// it is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`; `h` is computed in
/// integers, so a rank that falls on a value is that value exactly.
pub(crate) fn percentile(sorted: &[(f64, u64)], total: u64, pct: u64) -> f64 {
    let scaled = u128::from(total.saturating_sub(1)) * u128::from(pct);
    let low = u64::try_from(scaled / 100).unwrap_or(u64::MAX);
    let remainder = (scaled % 100) as f64 / 100.0;
    let a = nth(sorted, low);
    if remainder == 0.0 {
        return a;
    }
    let b = nth(sorted, low + 1);
    a + (b - a) * remainder
}

/// The value of 0-based rank `k` (the last value when `k` is past the end).
fn nth(sorted: &[(f64, u64)], k: u64) -> f64 {
    let mut seen = 0u64;
    for &(value, count) in sorted {
        seen += count;
        if k < seen {
            return value;
        }
    }
    sorted.last().map_or(0.0, |&(value, _)| value)
}

/// Running count, mean, sum of squared deviations (Welford), minimum and
/// maximum of a stream of numbers.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Moments {
    n: u64,
    mean: f64,
    m2: f64,
    min: f64,
    max: f64,
}

impl Moments {
    /// Adds one value.
    pub(crate) fn add(&mut self, x: f64) {
        if self.n == 0 {
            self.min = x;
            self.max = x;
        } else {
            self.min = self.min.min(x);
            self.max = self.max.max(x);
        }
        self.n += 1;
        let delta = x - self.mean;
        self.mean += delta / self.n as f64;
        self.m2 += delta * (x - self.mean);
    }

    /// The smallest value (0 when empty).
    pub(crate) fn min(&self) -> f64 {
        self.min
    }

    /// The largest value (0 when empty).
    pub(crate) fn max(&self) -> f64 {
        self.max
    }

    /// The mean (0 when empty).
    pub(crate) fn mean(&self) -> f64 {
        self.mean
    }

    /// The sample standard deviation, with n − 1 in the denominator; `None`
    /// below two values.
    pub(crate) fn std(&self) -> Option<f64> {
        (self.n >= 2).then(|| (self.m2.max(0.0) / (self.n - 1) as f64).sqrt())
    }
}

/// A small deterministic generator (SplitMix64) for the reservoir sample:
/// its output is fixed by its seed forever, whatever crate versions change.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator started at `seed`.
    pub(crate) fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n ≥ 1`), by multiply-and-shift.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_trimmed_and_never_exponents() {
        assert_eq!(decimal(24.0), "24");
        assert_eq!(decimal(0.25), "0.25");
        assert_eq!(decimal(-1.0), "-1");
        assert_eq!(decimal(-0.0000001), "0");
        assert_eq!(decimal(1.0 / 3.0), "0.333333");
        assert_eq!(decimal(2.0 / 3.0), "0.666667");
        assert_eq!(decimal(1e21), "1000000000000000000000");
        assert_eq!(decimal(1e-9), "0");
    }

    #[test]
    fn groups_of_three() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(20_000), "20,000");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn percentiles_interpolate_like_numpy() {
        // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 95, 100])
        // = [1, 1.75, 2.5, 3.85, 4]
        let v = [(1.0, 1), (2.0, 1), (3.0, 1), (4.0, 1)];
        assert_eq!(percentile(&v, 4, 0), 1.0);
        assert_eq!(percentile(&v, 4, 25), 1.75);
        assert_eq!(percentile(&v, 4, 50), 2.5);
        assert_eq!(decimal(percentile(&v, 4, 95)), "3.85");
        assert_eq!(percentile(&v, 4, 100), 4.0);
        // Counts stand for repeated values: [5, 5, 5, 9]
        let w = [(5.0, 3), (9.0, 1)];
        assert_eq!(percentile(&w, 4, 50), 5.0);
        assert_eq!(percentile(&w, 4, 75), 6.0);
        assert_eq!(percentile(&[(7.0, 1)], 1, 95), 7.0);
    }

    #[test]
    fn moments_match_the_textbook() {
        let mut m = Moments::default();
        for x in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            m.add(x);
        }
        assert_eq!(m.mean(), 5.0);
        // Sum of squared deviations 32, over n − 1 = 7.
        assert_eq!(decimal(m.std().unwrap()), decimal((32.0f64 / 7.0).sqrt()));
        assert_eq!((m.min(), m.max()), (2.0, 9.0));
        let mut one = Moments::default();
        one.add(3.0);
        assert_eq!(one.std(), None);
    }

    #[test]
    fn splitmix_is_fixed_by_its_seed() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        let xs: Vec<u64> = (0..5).map(|_| a.below(10)).collect();
        let ys: Vec<u64> = (0..5).map(|_| b.below(10)).collect();
        assert_eq!(xs, ys);
        assert!(xs.iter().all(|&x| x < 10));
    }
}
