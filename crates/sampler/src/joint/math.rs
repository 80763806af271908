//! Small numeric helpers of the joint model: logits, root finding,
//! quadrature nodes and piecewise-linear maps.

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

/// The log-odds of `p`, with `p` kept a little inside (0, 1).
pub fn logit(p: f64) -> f64 {
    let p = p.clamp(1e-9, 1.0 - 1e-9);
    (p / (1.0 - p)).ln()
}

/// The root of an increasing function on `[lo, hi]` by bisection, or `None`
/// when `target` lies outside `[f(lo), f(hi)]` by more than `tolerance`.
pub fn solve_increasing(
    f: impl Fn(f64) -> f64,
    target: f64,
    (mut lo, mut hi): (f64, f64),
    tolerance: f64,
) -> Option<f64> {
    if f(lo) > target + tolerance || f(hi) < target - tolerance {
        return None;
    }
    for _ in 0..80 {
        if hi - lo < 1e-12 {
            break;
        }
        let mid = 0.5 * (lo + hi);
        if f(mid) < target {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(0.5 * (lo + hi))
}

/// The root of an increasing function given with its derivative, by Newton
/// steps kept inside a shrinking bracket (bisection when a step leaves it);
/// `None` when `target` lies outside `[f(lo), f(hi)]` by more than
/// `tolerance`.
pub fn solve_newton(
    f: impl Fn(f64) -> (f64, f64),
    target: f64,
    (mut lo, mut hi): (f64, f64),
    tolerance: f64,
) -> Option<f64> {
    if f(lo).0 > target + tolerance || f(hi).0 < target - tolerance {
        return None;
    }
    let mut x = 0.0f64.clamp(lo, hi);
    for _ in 0..100 {
        let (y, dy) = f(x);
        if (y - target).abs() <= tolerance {
            return Some(x);
        }
        if y < target {
            lo = x;
        } else {
            hi = x;
        }
        let step = x - (y - target) / dy;
        x = if dy > 0.0 && step > lo && step < hi {
            step
        } else {
            0.5 * (lo + hi)
        };
        if hi - lo < 1e-13 {
            break;
        }
    }
    Some(x)
}

/// Nodes and weights of E[f(Z)] for a standard normal Z clamped to
/// `±limit`: the midpoint rule on [-4, 4] with weights proportional to the
/// density, summing to one, each node clamped.
pub fn normal_nodes(limit: f64) -> Vec<(f64, f64)> {
    const NODES: usize = 16;
    let h = 8.0 / NODES as f64;
    let mut nodes: Vec<(f64, f64)> = (0..NODES)
        .map(|j| {
            let z = -4.0 + h * (j as f64 + 0.5);
            (z.clamp(-limit, limit), (-0.5 * z * z).exp())
        })
        .collect();
    let total: f64 = nodes.iter().map(|n| n.1).sum();
    for n in &mut nodes {
        n.1 /= total;
    }
    nodes
}

/// Weighted least squares: the coefficients minimising
/// Σ w (y − x·β)², by the normal equations and Gaussian elimination.
pub fn least_squares(rows: &[(Vec<f64>, f64, f64)]) -> Option<Vec<f64>> {
    let k = rows.first()?.0.len();
    let mut a = vec![vec![0.0; k + 1]; k];
    for (x, y, w) in rows {
        for i in 0..k {
            for j in 0..k {
                a[i][j] += w * x[i] * x[j];
            }
            a[i][k] += w * x[i] * y;
        }
    }
    for col in 0..k {
        let pivot = (col..k).max_by(|&p, &q| a[p][col].abs().total_cmp(&a[q][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        for row in 0..k {
            if row != col {
                let factor = a[row][col] / a[col][col];
                for j in col..=k {
                    a[row][j] -= factor * a[col][j];
                }
            }
        }
    }
    Some((0..k).map(|i| a[i][k] / a[i][i]).collect())
}

/// The slope of `y` on `x` within groups (each group's means removed),
/// weighted: the pooled within-group regression coefficient.
pub fn within_group_slope(points: &[(usize, f64, f64, f64)]) -> f64 {
    let groups = points.iter().map(|p| p.0).max().map_or(0, |g| g + 1);
    let mut sums = vec![(0.0, 0.0, 0.0); groups];
    for &(g, x, y, w) in points {
        sums[g].0 += w;
        sums[g].1 += w * x;
        sums[g].2 += w * y;
    }
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for &(g, x, y, w) in points {
        let (sw, sx, sy) = sums[g];
        let dx = x - sx / sw;
        sxy += w * dx * (y - sy / sw);
        sxx += w * dx * dx;
    }
    if sxx > 0.0 {
        sxy / sxx
    } else {
        0.0
    }
}

/// A monotone piecewise-linear map through `(from, to)` knots; flat
/// beyond the first and last knot. Knots must be sorted by `from`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PiecewiseLinear {
    knots: Vec<(f64, f64)>,
}

impl PiecewiseLinear {
    /// The map through `knots`.
    pub fn new(knots: Vec<(f64, f64)>) -> Self {
        PiecewiseLinear { knots }
    }

    /// The image of `x`.
    pub fn apply(&self, x: f64) -> f64 {
        let k = &self.knots;
        match k.partition_point(|&(from, _)| from <= x) {
            0 => k[0].1,
            n if n == k.len() => k[n - 1].1,
            n => {
                let (x0, y0) = k[n - 1];
                let (x1, y1) = k[n];
                if x1 > x0 {
                    y0 + (x - x0) / (x1 - x0) * (y1 - y0)
                } else {
                    y1
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_nodes_have_unit_variance() {
        let nodes = normal_nodes(4.0);
        let mean: f64 = nodes.iter().map(|(z, w)| z * w).sum();
        let var: f64 = nodes.iter().map(|(z, w)| z * z * w).sum();
        assert!(mean.abs() < 1e-12);
        assert!((var - 1.0).abs() < 0.01, "{var}");
    }

    #[test]
    fn least_squares_recovers_a_plane() {
        let rows: Vec<_> = (0..10)
            .map(|i| {
                let x = f64::from(i);
                (vec![1.0, x], 3.0 + 2.0 * x, 1.0)
            })
            .collect();
        let b = least_squares(&rows).unwrap();
        assert!((b[0] - 3.0).abs() < 1e-9 && (b[1] - 2.0).abs() < 1e-9);
    }

    #[test]
    fn within_group_slope_ignores_group_levels() {
        let pts = [
            (0, 0.0, 10.0, 1.0),
            (0, 1.0, 12.0, 1.0),
            (1, 5.0, -3.0, 1.0),
            (1, 6.0, -1.0, 1.0),
        ];
        assert!((within_group_slope(&pts) - 2.0).abs() < 1e-12);
    }

    #[test]
    fn piecewise_linear_interpolates_and_saturates() {
        let m = PiecewiseLinear::new(vec![(0.0, 10.0), (1.0, 20.0), (1.0, 30.0), (3.0, 40.0)]);
        assert_eq!(m.apply(-1.0), 10.0);
        assert_eq!(m.apply(0.5), 15.0);
        assert_eq!(m.apply(2.0), 35.0);
        assert_eq!(m.apply(9.0), 40.0);
        let inc = solve_increasing(|x| x * x, 4.0, (0.0, 10.0), 1e-12).unwrap();
        assert!((inc - 2.0).abs() < 1e-9);
        let newton = solve_newton(|x| (x * x * x, 3.0 * x * x), 8.0, (-10.0, 10.0), 1e-12).unwrap();
        assert!((newton - 2.0).abs() < 1e-9, "{newton}");
        assert!(solve_newton(|x| (x, 1.0), 20.0, (0.0, 10.0), 1e-9).is_none());
        assert!(solve_increasing(|x| x, 20.0, (0.0, 10.0), 1e-9).is_none());
    }
}
