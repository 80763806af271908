//! The statistics of the report's views: the Wilson score interval of a
//! rate, and the association measures of the heatmap (Cramér's V, the
//! correlation ratio η, Pearson's r), each from counts or sums that are
//! accumulated row by row.

/// The normal quantile of a two-sided 95% interval.
pub(crate) const Z95: f64 = 1.959_963_984_540_054;

/// The Wilson score interval of `k` successes in `n` trials at normal
/// quantile `z`: `(p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n)`.
/// `None` for `n = 0`. Unlike the normal (Wald) interval it stays inside
/// [0, 1] and is not empty at a rate of 0 or 1.
pub fn wilson(k: u64, n: u64, z: f64) -> Option<(f64, f64)> {
    if n == 0 {
        return None;
    }
    let n = n as f64;
    let p = k as f64 / n;
    let z2 = z * z;
    let center = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let scale = 1.0 + z2 / n;
    Some((
        ((center - spread) / scale).max(0.0),
        ((center + spread) / scale).min(1.0),
    ))
}

/// Cramér's V of a contingency table (`table[i][j]`: rows with value `i`
/// of one column and `j` of the other): `√(χ² / (n·(min(r, c) − 1)))`,
/// with `r` and `c` the rows and columns that hold any count and
/// `χ² = n·(Σ n_ij² / (n_i·n_j) − 1)`. No bias correction. `None` when
/// fewer than two rows or columns hold counts (one column is constant).
pub fn cramers_v(table: &[Vec<u64>]) -> Option<f64> {
    let rows: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let width = table.iter().map(Vec::len).max().unwrap_or(0);
    let cols: Vec<f64> = (0..width)
        .map(|j| {
            table
                .iter()
                .map(|r| r.get(j).copied().unwrap_or(0))
                .sum::<u64>() as f64
        })
        .collect();
    let r = rows.iter().filter(|&&x| x > 0.0).count();
    let c = cols.iter().filter(|&&x| x > 0.0).count();
    if r < 2 || c < 2 {
        return None;
    }
    let n: f64 = rows.iter().sum();
    let mut ratio = 0.0;
    for (i, row) in table.iter().enumerate() {
        for (j, &nij) in row.iter().enumerate() {
            if nij > 0 {
                let nij = nij as f64;
                ratio += nij * nij / (rows[i] * cols[j]);
            }
        }
    }
    let chi2 = n * (ratio - 1.0);
    let v = (chi2 / (n * (r.min(c) - 1) as f64)).max(0.0).sqrt();
    Some(v.min(1.0))
}

/// Count, sum and sum of squares of a numeric column's values, shifted by
/// a fixed offset (the column's mean) for accuracy.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct Sums {
    pub(crate) n: u64,
    pub(crate) sum: f64,
    pub(crate) squares: f64,
}

impl Sums {
    /// Adds one (shifted) value.
    pub(crate) fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.squares += x * x;
    }

    /// The sum of squared deviations from the group's own mean.
    fn deviations(&self) -> f64 {
        if self.n == 0 {
            return 0.0;
        }
        (self.squares - self.sum * self.sum / self.n as f64).max(0.0)
    }
}

/// The correlation ratio η of a numeric column given a categorical one,
/// from the numeric column's sums in each category: `√(SS_between /
/// SS_total)`, where `SS_total` is the sum of squared deviations from the
/// overall mean and `SS_between` that of the category means (weighted by
/// their counts). `None` without spread or with fewer than two non-empty
/// categories.
pub fn correlation_ratio(groups: &[(u64, f64, f64)]) -> Option<f64> {
    let groups: Vec<Sums> = groups
        .iter()
        .map(|&(n, sum, squares)| Sums { n, sum, squares })
        .filter(|g| g.n > 0)
        .collect();
    if groups.len() < 2 {
        return None;
    }
    let total = groups.iter().fold(Sums::default(), |a, g| Sums {
        n: a.n + g.n,
        sum: a.sum + g.sum,
        squares: a.squares + g.squares,
    });
    let ss_total = total.deviations();
    if ss_total <= 0.0 {
        return None;
    }
    let within: f64 = groups.iter().map(Sums::deviations).sum();
    let ratio = ((ss_total - within) / ss_total).clamp(0.0, 1.0);
    Some(ratio.sqrt())
}

/// Running sums of a pair of numeric columns for Pearson's r.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct PairSums {
    pub(crate) n: u64,
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) xx: f64,
    pub(crate) yy: f64,
    pub(crate) xy: f64,
}

impl PairSums {
    /// Adds one pair of (shifted) values.
    pub(crate) fn add(&mut self, x: f64, y: f64) {
        self.n += 1;
        self.x += x;
        self.y += y;
        self.xx += x * x;
        self.yy += y * y;
        self.xy += x * y;
    }

    /// Pearson's correlation coefficient; `None` when either column has
    /// no spread over the pairs.
    pub(crate) fn pearson(&self) -> Option<f64> {
        if self.n < 2 {
            return None;
        }
        let n = self.n as f64;
        let sxx = self.xx - self.x * self.x / n;
        let syy = self.yy - self.y * self.y / n;
        let sxy = self.xy - self.x * self.y / n;
        if sxx <= 0.0 || syy <= 0.0 {
            return None;
        }
        Some((sxy / (sxx * syy).sqrt()).clamp(-1.0, 1.0))
    }
}

/// Pearson's r of paired values (for tests and small inputs).
pub fn pearson(pairs: &[(f64, f64)]) -> Option<f64> {
    let mut sums = PairSums::default();
    for &(x, y) in pairs {
        sums.add(x, y);
    }
    sums.pearson()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn wilson_matches_hand_computation() {
        // k = 4, n = 10, z = 1.96: p̂ = 0.4, z² = 3.8416,
        // center = 0.4 + 0.19208 = 0.59208,
        // spread = 1.96·√(0.024 + 0.009604) = 1.96·0.183314… = 0.359296…,
        // scale = 1.38416 → (0.168180…, 0.687326…).
        let (lo, hi) = wilson(4, 10, 1.96).unwrap();
        let spread = 1.96 * (0.024f64 + 0.009604).sqrt();
        close(lo, (0.59208 - spread) / 1.38416);
        close(hi, (0.59208 + spread) / 1.38416);
        assert!((lo - 0.16818).abs() < 1e-5 && (hi - 0.68733).abs() < 1e-5);
        // At a rate of 0 the interval starts at 0 and is not empty:
        // (0, z²/(n + z²)).
        let (lo, hi) = wilson(0, 10, 1.96).unwrap();
        close(lo, 0.0);
        close(hi, 3.8416 / 13.8416);
        assert_eq!(wilson(0, 0, Z95), None);
    }

    #[test]
    fn cramers_v_of_identical_independent_and_partial_columns() {
        // Identical columns: a diagonal table.
        close(cramers_v(&[vec![3, 0], vec![0, 5]]).unwrap(), 1.0);
        close(
            cramers_v(&[vec![2, 0, 0], vec![0, 3, 0], vec![0, 0, 4]]).unwrap(),
            1.0,
        );
        // Independent: proportional rows.
        close(cramers_v(&[vec![2, 4], vec![3, 6]]).unwrap(), 0.0);
        // [[10, 0], [5, 5]]: n = 20, rows 10/10, columns 15/5,
        // Σ n²/(rc) = 100/150 + 25/150 + 25/50 = 4/3, χ² = 20/3,
        // V = √(1/3).
        close(
            cramers_v(&[vec![10, 0], vec![5, 5]]).unwrap(),
            (1.0f64 / 3.0).sqrt(),
        );
        // A constant column has no association.
        assert_eq!(cramers_v(&[vec![3, 4]]), None);
        assert_eq!(cramers_v(&[vec![3, 0], vec![4, 0]]), None);
    }

    #[test]
    fn correlation_ratio_matches_hand_computation() {
        // Group a: 1, 2, 3 (mean 2); group b: 7, 8, 9 (mean 8); overall
        // mean 5. SS_total = 16+9+4+4+9+16 = 58, within = 2 + 2 = 4,
        // η = √(54/58).
        let g = |xs: &[f64]| {
            (
                xs.len() as u64,
                xs.iter().sum::<f64>(),
                xs.iter().map(|x| x * x).sum::<f64>(),
            )
        };
        let eta = correlation_ratio(&[g(&[1.0, 2.0, 3.0]), g(&[7.0, 8.0, 9.0])]).unwrap();
        close(eta, (54.0f64 / 58.0).sqrt());
        // Equal group means: η = 0; a category that fixes the value: η = 1.
        close(
            correlation_ratio(&[g(&[1.0, 3.0]), g(&[2.0, 2.0])]).unwrap(),
            0.0,
        );
        close(
            correlation_ratio(&[g(&[4.0, 4.0]), g(&[9.0])]).unwrap(),
            1.0,
        );
        assert_eq!(correlation_ratio(&[g(&[1.0, 2.0])]), None);
    }

    #[test]
    fn pearson_matches_hand_computation() {
        close(pearson(&[(1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]).unwrap(), 1.0);
        close(
            pearson(&[(1.0, 3.0), (2.0, 2.0), (3.0, 1.0)]).unwrap(),
            -1.0,
        );
        // x = 1, 2, 3, 4; y = 1, 3, 2, 4: deviations ∓1.5, ∓0.5 and
        // −1.5, 0.5, −0.5, 1.5: sxy = 2.25 − 0.25 − 0.25 + 2.25 = 4,
        // sxx = syy = 5, r = 0.8.
        close(
            pearson(&[(1.0, 1.0), (2.0, 3.0), (3.0, 2.0), (4.0, 4.0)]).unwrap(),
            0.8,
        );
        assert_eq!(pearson(&[(1.0, 1.0), (1.0, 2.0)]), None);
    }
}
