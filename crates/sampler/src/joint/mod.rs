//! The joint model of a customer, calibrated to published IBM Telco
//! aggregates (README, *Fidelity*).
//!
//! Two layers:
//! - [`SourceStructure`]: every table solved from the aggregates alone
//!   (tenure by segment, services by segment and tenure, prices, the churn
//!   model). It does not depend on the configured marginals, so the
//!   default is solved once, offline, and embedded (`solved.json`, checked
//!   by a test against a fresh solve).
//! - [`JointModel`]: that structure carried to a configuration's one-way
//!   marginals: the 36-cell segment table raked to the configured
//!   Contract, InternetService and PaymentMethod shares, logit shifts that
//!   meet the configured service shares, rank-preserving maps onto the
//!   configured tenure and charges bins, and the churn intercept shift that
//!   meets `churn_base_rate`.

// Tables indexed by segment, bin and add-on read best as index loops.
#![allow(clippy::needless_range_loop)]

mod aggregates;
mod math;
mod population;
mod structure;

pub use aggregates::{
    AddOnCell, Aggregates, ChargesCell, SegmentStats, ServiceChurn, TenureBin, ADD_ONS,
};
pub use population::{
    segment_index, segment_parts, Population, ServiceDraw, ShapeDraw, Shifts,
    NO_INTERNET_ADD_ON_OFFSET, SEGMENTS,
};
pub use structure::{
    charges_cell_moments, tenure_bin, tenure_groups, ChurnEffects, Prices, SolveSettings,
    SourceStructure, CALIBRATION_DRAWS, CALIBRATION_SEED, MONTHS, TENURE_BINS,
};

use crate::config::Baseline;
use crate::dist::{bounded_normal, round_to, BinnedUniform};
use crate::streams::{stream, Stage};
use crate::{CHURN_MAX, CHURN_MIN, NOISE_LIMIT_SD};
use math::{logit, normal_nodes, sigmoid, solve_newton, PiecewiseLinear};
use novawireless_model::{Contract, InternetService, MultipleLines, PaymentMethod};
use rand::Rng;
use std::sync::{Arc, Mutex, OnceLock};

/// The embedded default structure, solved by
/// `cargo run --release -p novawireless-sampler --example solve_structure`.
pub const SOLVED_STRUCTURE: &str = include_str!("solved.json");

/// The settings the embedded structure was solved with.
pub fn default_settings() -> SolveSettings {
    SolveSettings {
        churn_noise_sd: 0.3,
        prices: None,
        churn_effects: None,
        segments: None,
    }
}

/// The embedded default structure.
#[allow(clippy::missing_panics_doc)]
pub fn embedded_structure() -> Arc<SourceStructure> {
    static EMBEDDED: OnceLock<Arc<SourceStructure>> = OnceLock::new();
    EMBEDDED
        .get_or_init(|| {
            #[allow(clippy::expect_used)]
            Arc::new(serde_json::from_str(SOLVED_STRUCTURE).expect("solved.json is valid"))
        })
        .clone()
}

/// The structure for `settings`: the embedded one for the default
/// settings, else a fresh solve from the embedded aggregates.
pub fn structure_for(settings: &SolveSettings) -> Arc<SourceStructure> {
    if *settings == default_settings() {
        return embedded_structure();
    }
    let mut aggregates = Aggregates::embedded();
    if let Some(segments) = &settings.segments {
        aggregates.segments = segments.clone();
    }
    Arc::new(SourceStructure::solve(&aggregates, settings))
}

/// A configured marginal the structure cannot reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Unreachable {
    /// The config field, e.g. `MultipleLines`.
    pub field: String,
    /// Why.
    pub message: String,
}

/// The draws of one customer beyond the shape.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomerDraw {
    /// Paperless billing, add-ons and natural charges.
    pub services: ServiceDraw,
    /// Tenure in whole months, on the configured bins.
    pub tenure_months: u32,
    /// Monthly charges in dollars (cents), on the configured bins.
    pub monthly_charges: f64,
    /// Churn risk score, in [0.01, 0.95], 6 decimals.
    pub churn_risk_score: f64,
}

/// What a configuration adds to the source structure: the shifts, the two
/// rank-preserving maps and the churn shift.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// Logit shifts meeting the configured service shares.
    pub shifts: Shifts,
    /// Churn intercept shift meeting `churn_base_rate`.
    pub churn_shift: f64,
    /// Natural tenure onto the configured tenure bins.
    pub tenure_map: ValueMap,
    /// Natural charges onto the configured charges bins.
    pub charges_map: ValueMap,
}

/// The embedded baseline's calibration, computed offline on a larger
/// sample (`DEFAULT_SAMPLE` customers) by the `solve_structure` example.
pub const DEFAULT_CALIBRATION: &str = include_str!("default_calibration.json");

/// Customers in the offline calibration sample of the embedded baseline.
pub const DEFAULT_SAMPLE: u64 = 1 << 20;

/// The joint model for one configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct JointModel {
    structure: Arc<SourceStructure>,
    population: Population,
    calibration: Calibration,
    tenure_bounds: (f64, f64),
    charges_bounds: (f64, f64),
    score_ceiling: f64,
}

/// The churn score of a logit: clamped to [0.01, 0.95], then compressed
/// smoothly below `ceiling` above `ceiling − 0.15` (no change at 0.95).
pub fn churn_score(logit: f64, ceiling: f64) -> f64 {
    let s = sigmoid(logit).clamp(CHURN_MIN, CHURN_MAX);
    if ceiling >= CHURN_MAX {
        return s;
    }
    let knee = (ceiling - 0.15).max(CHURN_MIN);
    if s <= knee {
        s
    } else {
        let room = ceiling - knee;
        knee + room * (1.0 - (-(s - knee) / room).exp())
    }
}

/// A rank-preserving map from a natural value onto configured bins.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum ValueMap {
    /// Sorted, contiguous bins: the natural quantiles at the bins' cumulative
    /// shares go to the bin edges, linearly in between, so the natural
    /// shape survives inside each bin.
    Knots(PiecewiseLinear),
    /// Any other bins: natural CDF, then the configured quantile function
    /// (uniform inside each bin), tabulated.
    Quantiles {
        /// Natural value to cumulative share.
        natural_cdf: PiecewiseLinear,
        /// Cumulative share to configured value.
        quantile: PiecewiseLinear,
    },
}

impl ValueMap {
    fn apply(&self, x: f64) -> f64 {
        match self {
            ValueMap::Knots(map) => map.apply(x),
            ValueMap::Quantiles {
                natural_cdf,
                quantile,
            } => quantile.apply(natural_cdf.apply(x)),
        }
    }

    /// The map of a natural distribution, given by its CDF knots
    /// `(value, cumulative share)`, onto `bins`. `closed_top` widens the last
    /// bin by one unit when it ends at the maximum (whole months: the bin
    /// `[66, 72]` holds month 72).
    fn new(natural: &[(f64, f64)], bins: &BinnedUniform, closed_top: bool) -> Self {
        let cdf = PiecewiseLinear::new(natural.to_vec());
        let inverse = |u: f64| -> f64 {
            // The natural CDF knots are sorted in both coordinates.
            let k = natural.partition_point(|&(_, c)| c < u);
            if k == 0 {
                return natural[0].0;
            }
            if k >= natural.len() {
                return natural[natural.len() - 1].0;
            }
            let (x0, c0) = natural[k - 1];
            let (x1, c1) = natural[k];
            if c1 > c0 {
                x0 + (u - c0) / (c1 - c0) * (x1 - x0)
            } else {
                x1
            }
        };
        let list: Vec<((f64, f64), f64)> = bins.bins().collect();
        let (min, max) = bins.bounds();
        let contiguous = list
            .windows(2)
            .all(|w| w[0].0 .1 == w[1].0 .0 && w[0].0 .0 < w[0].0 .1)
            && list.last().is_some_and(|b| b.0 .0 < b.0 .1);
        if contiguous {
            let mut knots = vec![(inverse(0.0), list[0].0 .0)];
            let mut cumulative = 0.0;
            for (k, ((_, high), p)) in list.iter().enumerate() {
                cumulative += p;
                let last = k + 1 == list.len();
                let edge = if last && closed_top && *high >= max {
                    high + 1.0
                } else {
                    *high
                };
                knots.push((inverse(if last { 1.0 } else { cumulative }), edge));
            }
            return ValueMap::Knots(PiecewiseLinear::new(knots));
        }
        // The configured mixture's CDF at every bin edge is exact (it is
        // piecewise linear between edges), so its inverse is too.
        let mut edges: Vec<f64> = list.iter().flat_map(|((l, h), _)| [*l, *h]).collect();
        edges.push(min);
        edges.push(max);
        edges.sort_by(f64::total_cmp);
        edges.dedup();
        let configured_cdf = |x: f64| -> f64 {
            list.iter()
                .map(|((l, h), p)| {
                    let l = l.clamp(min, max);
                    let h = h.clamp(min, max);
                    if x >= h {
                        *p
                    } else if x < l {
                        0.0
                    } else {
                        p * (x - l) / (h - l)
                    }
                })
                .sum()
        };
        let mut quantile: Vec<(f64, f64)> = Vec::new();
        for &e in &edges {
            let below = configured_cdf(e - 1e-9 * (1.0 + e.abs()));
            let at = configured_cdf(e);
            quantile.push((below, e));
            quantile.push((at, e));
        }
        quantile.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        ValueMap::Quantiles {
            natural_cdf: cdf,
            quantile: PiecewiseLinear::new(quantile),
        }
    }
}

impl JointModel {
    /// The model of `baseline`, shared between calls with an equal baseline;
    /// a marginal it cannot reach comes back as the error (the config
    /// loader refuses such a file, so a loaded baseline never fails here).
    pub fn for_baseline(baseline: &Baseline) -> Result<Arc<JointModel>, Unreachable> {
        let (model, unreachable) = match cache_find(baseline) {
            Some(hit) => hit,
            None => {
                let (model, unreachable) = Self::calibrate(baseline);
                let (model, unreachable) = (Arc::new(model), unreachable.into_iter().next());
                cache_insert(baseline, model.clone(), unreachable.clone());
                (model, unreachable)
            }
        };
        match unreachable {
            None => Ok(model),
            Some(u) => Err(u),
        }
    }

    /// [`Self::for_baseline`], using the nearest reachable marginals when a
    /// configured one cannot be met.
    pub fn nearest(baseline: &Baseline) -> Arc<JointModel> {
        match Self::for_baseline(baseline) {
            Ok(model) => model,
            Err(_) => Arc::new(Self::calibrate(baseline).0),
        }
    }

    /// Carries the baseline's structure to its marginals; lists the
    /// marginals it cannot reach (the nearest reachable value is used).
    pub fn calibrate(baseline: &Baseline) -> (JointModel, Vec<Unreachable>) {
        Self::calibrate_with(baseline, CONFIG_SAMPLE)
    }

    /// The model of `baseline` with a given calibration (no solving).
    pub fn with_calibration(baseline: &Baseline, calibration: Calibration) -> JointModel {
        let weights = rake(&baseline.structure.seed_counts, baseline);
        JointModel {
            population: Population::new(
                &baseline.structure,
                &weights,
                &calibration.shifts,
                baseline.add_ons_need_internet,
            ),
            structure: baseline.structure.clone(),
            calibration,
            tenure_bounds: baseline.tenure_months.bounds(),
            charges_bounds: baseline.monthly_charges.bounds(),
            score_ceiling: baseline.churn_score_ceiling,
        }
    }

    /// Installs `model` as the shared model of `baseline` (see
    /// [`Self::for_baseline`]).
    pub fn install(baseline: &Baseline, model: JointModel) {
        cache_insert(baseline, Arc::new(model), None);
    }

    /// [`Self::calibrate`] with `sample` customers in the calibration sample.
    pub fn calibrate_with(baseline: &Baseline, sample: u64) -> (JointModel, Vec<Unreachable>) {
        let structure = baseline.structure.clone();
        let mut unreachable = Vec::new();
        let weights = rake(&structure.seed_counts, baseline);
        let need_internet = baseline.add_ons_need_internet;
        let plain = Population::new(&structure, &weights, &Shifts::default(), need_internet);
        let shifts = solve_shifts(&structure, &plain, baseline, &mut unreachable);
        let population = Population::new(&structure, &weights, &shifts, need_internet);

        // Natural tenure: a mixture of months with a uniform position inside.
        let mut natural = vec![(0.0, 0.0)];
        let mut cumulative = 0.0;
        for m in 0..MONTHS {
            cumulative += (0..SEGMENTS)
                .map(|s| population.weights[s] * population.tenure_pmf[s][m])
                .sum::<f64>();
            natural.push(((m + 1) as f64, cumulative.min(1.0)));
        }
        let tenure_map = ValueMap::new(&natural, &baseline.tenure_months, true);

        let sample = config_sample(&structure, &population, sample);
        let mut charges: Vec<(f64, f64)> = sample.iter().map(|d| (d.charges, d.weight)).collect();
        charges.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut natural = Vec::with_capacity(charges.len() + 1);
        let mut cumulative = 0.0;
        natural.push((charges[0].0, 0.0));
        for (x, w) in &charges {
            cumulative += w;
            natural.push((*x, cumulative.min(1.0)));
        }
        let charges_map = ValueMap::new(&natural, &baseline.monthly_charges, false);

        let ceiling = baseline.churn_score_ceiling;
        let target = baseline.churn_base_rate.clamp(CHURN_MIN, ceiling);
        let mean = |shift: f64| -> (f64, f64) {
            let (mut m, mut dm) = (0.0, 0.0);
            for d in &sample {
                let p = churn_score(d.churn_logit + shift, ceiling);
                m += d.weight * p;
                dm += d.weight * p * (1.0 - p);
            }
            (m, dm)
        };
        let churn_shift = solve_newton(mean, target, (-30.0, 30.0), 1e-9).unwrap_or(0.0);
        let model = JointModel {
            structure,
            population,
            calibration: Calibration {
                shifts,
                churn_shift,
                tenure_map,
                charges_map,
            },
            tenure_bounds: baseline.tenure_months.bounds(),
            charges_bounds: baseline.monthly_charges.bounds(),
            score_ceiling: ceiling,
        };
        (model, unreachable)
    }

    /// The configured population's tables.
    pub fn population(&self) -> &Population {
        &self.population
    }

    /// The solved source structure.
    pub fn structure(&self) -> &SourceStructure {
        &self.structure
    }

    /// The configuration's shifts and maps.
    pub fn calibration(&self) -> &Calibration {
        &self.calibration
    }

    /// The churn intercept shift that meets `churn_base_rate`.
    pub fn churn_shift(&self) -> f64 {
        self.calibration.churn_shift
    }

    /// The shape draws of one customer (two uniforms).
    pub fn draw_shape<R: Rng + ?Sized>(&self, rng: &mut R) -> ShapeDraw {
        self.population.draw_shape(rng)
    }

    /// Tenure in whole months on the configured bins; `fraction` in [0, 1)
    /// is the position inside the natural month.
    pub fn tenure_months(&self, shape: &ShapeDraw, fraction: f64) -> u32 {
        let (min, max) = self.tenure_bounds;
        let natural = f64::from(shape.month) + fraction;
        let t = self.calibration.tenure_map.apply(natural);
        t.clamp(min, max).floor().max(0.0) as u32
    }

    /// Monthly charges on the configured bins, rounded to cents.
    pub fn monthly_charges(&self, natural: f64) -> f64 {
        let (min, max) = self.charges_bounds;
        // Whole cents inside [min, max] (the config loader checks one exists).
        let (low, high) = ((min * 100.0).ceil() / 100.0, (max * 100.0).floor() / 100.0);
        round_to(self.calibration.charges_map.apply(natural), 2).clamp(low, high.max(low))
    }

    /// The churn logit of a customer without noise and shift.
    pub fn churn_logit(&self, shape: &ShapeDraw, services: &ServiceDraw) -> f64 {
        self.structure.churn_logit(
            shape.segment,
            shape.month,
            services.paperless,
            &services.add_ons,
            shape.multiple_lines,
        )
    }

    /// The draws of one customer after the shape: the position inside the
    /// tenure month (one uniform), services (nine draws), then the churn
    /// noise (one normal).
    pub fn draw_customer<R: Rng + ?Sized>(&self, rng: &mut R, shape: &ShapeDraw) -> CustomerDraw {
        let fraction: f64 = rng.random();
        let services = self.population.draw_services(rng, shape);
        let noise = bounded_normal(rng, self.structure.churn_noise_sd, NOISE_LIMIT_SD);
        let logit = self.churn_logit(shape, &services) + self.calibration.churn_shift + noise;
        CustomerDraw {
            services,
            tenure_months: self.tenure_months(shape, fraction),
            monthly_charges: self.monthly_charges(services.natural_charges),
            churn_risk_score: round_to(churn_score(logit, self.score_ceiling), 6),
        }
    }
}

type CacheEntry = (Baseline, Arc<JointModel>, Option<Unreachable>);

fn cache() -> &'static Mutex<Vec<CacheEntry>> {
    static CACHE: OnceLock<Mutex<Vec<CacheEntry>>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(Vec::new()))
}

fn cache_find(baseline: &Baseline) -> Option<(Arc<JointModel>, Option<Unreachable>)> {
    let entries = cache().lock().ok()?;
    entries
        .iter()
        .find(|(b, _, _)| b == baseline)
        .map(|(_, m, u)| (m.clone(), u.clone()))
}

fn cache_insert(baseline: &Baseline, model: Arc<JointModel>, unreachable: Option<Unreachable>) {
    if let Ok(mut entries) = cache().lock() {
        if entries.iter().any(|(b, _, _)| b == baseline) {
            return;
        }
        if entries.len() >= 16 {
            entries.remove(0);
        }
        entries.push((baseline.clone(), model, unreachable));
    }
}

/// Iterative proportional fitting of the 36-cell seed table to the
/// configured Contract, InternetService and PaymentMethod shares. Raking
/// scales whole rows and columns, so every odds ratio of the seed survives.
pub fn rake(seed: &[f64], baseline: &Baseline) -> Vec<f64> {
    let contract: Vec<(Contract, f64)> = baseline.contract.probabilities().collect();
    let internet: Vec<(InternetService, f64)> = baseline.internet_service.probabilities().collect();
    let payment: Vec<(PaymentMethod, f64)> = baseline.payment_method.probabilities().collect();
    let total: f64 = seed.iter().sum();
    let mut w: Vec<f64> = seed.iter().map(|x| x / total).collect();
    for _ in 0..1000 {
        let mut change: f64 = 0.0;
        for dim in 0..3 {
            let mut sums = [0.0; 4];
            for (s, x) in w.iter().enumerate() {
                sums[dim_value(s, dim)] += x;
            }
            for (s, x) in w.iter_mut().enumerate() {
                let v = dim_value(s, dim);
                let target = match dim {
                    0 => contract[v].1,
                    1 => internet[v].1,
                    _ => payment[v].1,
                };
                if sums[v] > 0.0 {
                    change = change.max((sums[v] - target).abs());
                    *x *= target / sums[v];
                }
            }
        }
        if change < 1e-15 {
            break;
        }
    }
    w
}

fn dim_value(s: usize, dim: usize) -> usize {
    let (c, i, p) = segment_parts(s);
    match dim {
        0 => c as usize,
        1 => i as usize,
        _ => p as usize,
    }
}

/// The shifts that carry the source structure to the configured service
/// shares; a share the structure cannot reach is listed in `unreachable`.
fn solve_shifts(
    st: &SourceStructure,
    plain: &Population,
    baseline: &Baseline,
    unreachable: &mut Vec<Unreachable>,
) -> Shifts {
    let mut solver = ShiftSolver {
        st,
        plain,
        unreachable,
    };
    let lines = &baseline.multiple_lines;
    let phone = solver.phone(1.0 - share(lines, MultipleLines::NoPhoneService));
    let multi = solver.multi(phone, share(lines, MultipleLines::Yes));
    let paperless = solver.paperless(yes_share(&baseline.paperless_billing));
    let add_ons = solver.add_ons([
        yes_share(&baseline.online_security),
        yes_share(&baseline.online_backup),
        yes_share(&baseline.device_protection),
        yes_share(&baseline.streaming_tv),
        yes_share(&baseline.streaming_movies),
    ]);
    Shifts {
        phone,
        multi,
        paperless,
        add_ons,
    }
}

/// The share of `v` in a MultipleLines distribution.
fn share(d: &crate::dist::Categorical<MultipleLines>, v: MultipleLines) -> f64 {
    d.probabilities()
        .find(|(x, _)| *x == v)
        .map_or(0.0, |x| x.1)
}

/// The share of Yes in a Yes/No distribution.
fn yes_share(d: &crate::dist::Categorical<novawireless_model::YesNo>) -> f64 {
    d.probabilities()
        .find(|(x, _)| x.is_yes())
        .map_or(0.0, |x| x.1)
}

/// Probability `p` with its logit moved by `shift` (0 and 1 stay put).
fn shifted(p: f64, shift: f64) -> f64 {
    if p >= 1.0 || p <= 0.0 {
        p
    } else {
        sigmoid(logit(p) + shift)
    }
}

/// A probability with its sigmoid slope p(1 − p) (none at 0 and 1).
fn with_slope(p: f64) -> (f64, f64) {
    (
        p,
        if p >= 1.0 || p <= 0.0 {
            0.0
        } else {
            p * (1.0 - p)
        },
    )
}

/// Sum of two (share, slope) pairs.
fn add(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0 + b.0, a.1 + b.1)
}

/// The logit shifts of the services, one share at a time. Every share is a
/// weighted sum of sigmoids of (x + shift): its derivative is the same sum
/// of p(1 − p), returned beside it.
struct ShiftSolver<'a> {
    st: &'a SourceStructure,
    plain: &'a Population,
    unreachable: &'a mut Vec<Unreachable>,
}

impl ShiftSolver<'_> {
    /// The shift in [-40, 40] at which `f` meets `target`; out of reach,
    /// the nearer end, with `field` listed as unreachable.
    fn solve(&mut self, field: &str, f: &dyn Fn(f64) -> (f64, f64), target: f64) -> f64 {
        match solve_newton(f, target, (-40.0, 40.0), 1e-11) {
            Some(x) => x,
            None => {
                let range = (f(-40.0).0, f(40.0).0);
                self.unreachable.push(Unreachable {
                    field: field.to_string(),
                    message: format!(
                        "a share of {target} cannot be reached with the joint structure \
                         (reachable: {:.4} to {:.4})",
                        range.0, range.1
                    ),
                });
                if target < range.0 {
                    -40.0
                } else {
                    40.0
                }
            }
        }
    }

    /// Phone service: the share of customers with phone service.
    fn phone(&mut self, target: f64) -> f64 {
        let (st, w) = (self.st, &self.plain.weights);
        let phone_share = |shift: f64| -> (f64, f64) {
            (0..SEGMENTS)
                .map(|s| {
                    let (p, dp) = with_slope(shifted(st.phone_share[s], shift));
                    (w[s] * p, w[s] * dp)
                })
                .fold((0.0, 0.0), add)
        };
        self.solve("MultipleLines.No phone service", &phone_share, target)
    }

    /// Multiple lines among the phone customers (at shift `phone`), over
    /// each segment's tenure.
    fn multi(&mut self, phone: f64, target: f64) -> f64 {
        let (st, plain) = (self.st, self.plain);
        let w = &plain.weights;
        let multi_share = |shift: f64| -> (f64, f64) {
            (0..SEGMENTS)
                .map(|s| {
                    let given = plain.tenure_pmf[s]
                        .iter()
                        .enumerate()
                        .map(|(m, p)| {
                            let q =
                                sigmoid(st.multi_logit[s] + st.multi_per_month * m as f64 + shift);
                            (p * q, p * q * (1.0 - q))
                        })
                        .fold((0.0, 0.0), add);
                    let phone = w[s] * shifted(st.phone_share[s], phone);
                    (phone * given.0, phone * given.1)
                })
                .fold((0.0, 0.0), add)
        };
        self.solve("MultipleLines.Yes", &multi_share, target)
    }

    /// Paperless billing.
    fn paperless(&mut self, target: f64) -> f64 {
        let (st, w) = (self.st, &self.plain.weights);
        let paperless_share = |shift: f64| -> (f64, f64) {
            (0..SEGMENTS)
                .map(|s| {
                    let (p, dp) = with_slope(shifted(st.paperless_share[s], shift));
                    (w[s] * p, w[s] * dp)
                })
                .fold((0.0, 0.0), add)
        };
        self.solve("PaperlessBilling.Yes", &paperless_share, target)
    }

    /// The five add-ons: expectation over tenure groups and the factor's
    /// nodes.
    fn add_ons(&mut self, targets: [f64; 5]) -> [f64; 5] {
        let (st, plain) = (self.st, self.plain);
        let w = &plain.weights;
        let nodes = normal_nodes(NOISE_LIMIT_SD);
        let groups: Vec<Vec<(f64, f64)>> = plain
            .tenure_pmf
            .iter()
            .map(|pmf| tenure_groups(pmf))
            .collect();
        let mut add_ons = [0.0; 5];
        for k in 0..5 {
            let held = |shift: f64| -> (f64, f64) {
                let (mut total, mut slope) = (0.0, 0.0);
                for s in 0..SEGMENTS {
                    let base = plain.add_on_logit[s][k];
                    if base == f64::NEG_INFINITY || w[s] == 0.0 {
                        continue;
                    }
                    for &(gw, t) in &groups[s] {
                        for &(z, wz) in &nodes {
                            let p = sigmoid(
                                base + shift + st.add_on_per_month * t + st.add_on_factor * z,
                            );
                            total += w[s] * gw * wz * p;
                            slope += w[s] * gw * wz * p * (1.0 - p);
                        }
                    }
                }
                (total, slope)
            };
            add_ons[k] = self.solve(&format!("{}.Yes", ADD_ONS[k]), &held, targets[k]);
        }
        add_ons
    }
}

/// One customer of a configuration's calibration sample.
struct SampleDraw {
    charges: f64,
    churn_logit: f64,
    weight: f64,
}

/// Customers in a configuration's calibration sample.
pub const CONFIG_SAMPLE: u64 = 1 << 16;

/// A sample of the configured population (its natural charges and churn
/// logits), drawn from fixed streams: its quantiles place the charges map's
/// knots and its mean score fixes the churn shift.
fn config_sample(st: &SourceStructure, population: &Population, n: u64) -> Vec<SampleDraw> {
    let weight = 1.0 / n as f64;
    (0..n)
        .map(|j| {
            let mut rng = stream(CALIBRATION_SEED, Stage::Calibration, (1 << 40) + j);
            let shape = population.draw_shape(&mut rng);
            let services = population.draw_services(&mut rng, &shape);
            let noise = bounded_normal(&mut rng, st.churn_noise_sd, NOISE_LIMIT_SD);
            let churn_logit = st.churn_logit(
                shape.segment,
                shape.month,
                services.paperless,
                &services.add_ons,
                shape.multiple_lines,
            ) + noise;
            SampleDraw {
                charges: services.natural_charges,
                churn_logit,
                weight,
            }
        })
        .collect()
}
