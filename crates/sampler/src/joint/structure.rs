//! The source structure: every table of the joint model, solved from the
//! IBM Telco aggregates. Nothing here is tuned by hand; each quantity is the
//! solution of an equation stated next to it (README, *Fidelity*).

use super::aggregates::{Aggregates, SegmentStats, ServiceChurn};
use super::math::{
    least_squares, logit, normal_nodes, sigmoid, solve_increasing, within_group_slope,
};
use super::population::{segment_parts, Population, Shifts, SEGMENTS};
use crate::dist::bounded_normal;
use crate::streams::{stream, Stage};
use crate::{CHURN_MAX, CHURN_MIN, NOISE_LIMIT_SD};
use novawireless_model::{Contract, InternetService, MultipleLines};
use serde::{Deserialize, Serialize};

/// Natural tenure months 0..=72.
pub const MONTHS: usize = 73;
/// Tenure bins of the aggregates: 6 months each, the last one closed.
pub const TENURE_BINS: usize = 12;
/// Customers drawn per segment for the churn calibration.
pub const CALIBRATION_DRAWS: u64 = 1024;
/// The seed of the calibration draws (the model does not depend on `--seed`).
pub const CALIBRATION_SEED: u64 = 0x4A4F_494E_545F_4D44;
/// Pseudo-count that pulls a small cell's churn rate toward its parent's.
const SHRINKAGE: f64 = 10.0;

/// The tenure bin of a month.
pub const fn tenure_bin(month: usize) -> usize {
    if month / 6 < TENURE_BINS {
        month / 6
    } else {
        TENURE_BINS - 1
    }
}

/// Monthly list prices, in dollars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prices {
    /// One voice line (phone service).
    pub phone: f64,
    /// Multiple lines, on top of phone service.
    pub multiple_lines: f64,
    /// 5G Home Internet of the DSL-like tier.
    #[serde(rename = "DSL")]
    pub dsl: f64,
    /// 5G Home Internet of the fibre-like tier.
    #[serde(rename = "Fiber optic")]
    pub fiber_optic: f64,
    /// Each of OnlineSecurity, OnlineBackup, DeviceProtection (and the
    /// unobserved tech-support add-on).
    pub add_on: f64,
    /// Each of StreamingTV and StreamingMovies.
    pub streaming: f64,
}

/// Conditional churn effects on the logit scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChurnEffects {
    /// Paperless billing.
    #[serde(rename = "PaperlessBilling")]
    pub paperless_billing: f64,
    /// Holding each add-on, in column order.
    pub add_ons: [f64; 5],
    /// Multiple lines.
    #[serde(rename = "MultipleLines")]
    pub multiple_lines: f64,
    /// No phone service.
    pub no_phone_service: f64,
}

/// What the solve takes besides the aggregates.
#[derive(Debug, Clone, PartialEq)]
pub struct SolveSettings {
    /// Standard deviation of the individual churn noise on the logit scale.
    pub churn_noise_sd: f64,
    /// Fixed list prices instead of solved ones.
    pub prices: Option<Prices>,
    /// Fixed churn effects instead of solved ones.
    pub churn_effects: Option<ChurnEffects>,
    /// A segment table replacing the embedded one (36 cells).
    pub segments: Option<Vec<SegmentStats>>,
}

/// Every solved table of the joint model (config-independent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceStructure {
    /// Source customers per segment (the seed table of the raking).
    pub seed_counts: Vec<f64>,
    /// Per contract, the base tenure shape over months 0..=72.
    pub tenure_shape: Vec<Vec<f64>>,
    /// Per segment, the exponential tilt of its contract's shape.
    pub tenure_tilt: Vec<f64>,
    /// Per segment, the share with phone service.
    pub phone_share: Vec<f64>,
    /// Per segment, the share with paperless billing.
    pub paperless_share: Vec<f64>,
    /// Per segment, the logit of multiple lines given phone at month 0.
    pub multi_logit: Vec<f64>,
    /// Change of that logit per month.
    pub multi_per_month: f64,
    /// Per Contract × InternetService cell (contract-major), the add-on
    /// logits (the five, then tech support).
    pub add_on_cell_logit: Vec<[f64; 6]>,
    /// Per segment, the shift of its add-on logits.
    pub add_on_segment_logit: Vec<f64>,
    /// Change of an add-on's logit per month.
    pub add_on_per_month: f64,
    /// Loading of the shared add-on factor.
    pub add_on_factor: f64,
    /// List prices.
    pub prices: Prices,
    /// Per segment, the price adjustment that meets its mean charges.
    pub price_adjustment: Vec<f64>,
    /// Relative standard deviation of the charges noise.
    pub charges_noise: f64,
    /// Per segment, the churn logit offset.
    pub churn_segment: Vec<f64>,
    /// Per contract, the churn logit at the centre of each tenure bin.
    pub churn_tenure_knots: Vec<Vec<f64>>,
    /// Conditional churn effects.
    pub churn_effects: ChurnEffects,
    /// Churn noise standard deviation.
    pub churn_noise_sd: f64,
}

/// One customer of the churn calibration sample.
struct Draw {
    segment: usize,
    contract: usize,
    month: u32,
    paperless: bool,
    add_ons: [bool; 5],
    multiple_lines: MultipleLines,
    noise: f64,
    weight: f64,
}

impl SourceStructure {
    /// Solves every table from `aggregates`.
    pub fn solve(aggregates: &Aggregates, settings: &SolveSettings) -> Self {
        let segments: Vec<&SegmentStats> = (0..SEGMENTS)
            .map(|s| {
                let (c, i, p) = segment_parts(s);
                aggregates.segment(c, i, p)
            })
            .collect();
        let seed_counts: Vec<f64> = segments.iter().map(|s| s.customer_count).collect();
        let (tenure_shape, tenure_tilt) = solve_tenure(aggregates, &segments);
        let mut structure = SourceStructure {
            seed_counts,
            tenure_shape,
            tenure_tilt,
            phone_share: segments.iter().map(|s| s.phone_share).collect(),
            paperless_share: segments.iter().map(|s| s.paperless_share).collect(),
            multi_logit: vec![0.0; SEGMENTS],
            multi_per_month: 0.0,
            add_on_cell_logit: vec![[0.0; 6]; 9],
            add_on_segment_logit: vec![0.0; SEGMENTS],
            add_on_per_month: 0.0,
            add_on_factor: 0.0,
            prices: settings.prices.clone().unwrap_or(Prices {
                phone: 0.0,
                multiple_lines: 0.0,
                dsl: 0.0,
                fiber_optic: 0.0,
                add_on: 0.0,
                streaming: 0.0,
            }),
            price_adjustment: vec![0.0; SEGMENTS],
            charges_noise: charges_noise(aggregates),
            churn_segment: vec![0.0; SEGMENTS],
            churn_tenure_knots: vec![vec![0.0; TENURE_BINS]; 3],
            churn_effects: settings.churn_effects.clone().unwrap_or(ChurnEffects {
                paperless_billing: 0.0,
                add_ons: [0.0; 5],
                multiple_lines: 0.0,
                no_phone_service: 0.0,
            }),
            churn_noise_sd: settings.churn_noise_sd,
        };
        structure.solve_multiple_lines(&segments);
        structure.solve_add_ons_and_prices(aggregates, &segments, settings.prices.is_none());
        structure.solve_churn(aggregates, &segments, settings.churn_effects.is_none());
        structure
    }

    /// Per segment, the probability of each natural tenure month.
    pub fn tenure_pmfs(&self) -> Vec<Vec<f64>> {
        (0..SEGMENTS)
            .map(|s| {
                let (c, _, _) = segment_parts(s);
                tilted(&self.tenure_shape[c as usize], self.tenure_tilt[s])
            })
            .collect()
    }

    /// Multiple lines given phone: a logit linear in tenure. The slope is the
    /// pooled within-cell regression of the segments' logits on their mean
    /// tenure (segments of one Contract × InternetService cell differ by
    /// payment method, taken to act only through tenure); each segment's
    /// offset then meets its share exactly.
    fn solve_multiple_lines(&mut self, segments: &[&SegmentStats]) {
        let given_phone = |s: &SegmentStats| {
            if s.phone_share > 0.0 {
                (s.multiple_lines_share / s.phone_share).clamp(1e-4, 1.0 - 1e-4)
            } else {
                0.5
            }
        };
        let points: Vec<_> = segments
            .iter()
            .map(|s| {
                let group = s.contract as usize * 3 + s.internet as usize;
                let w = s.customer_count * s.phone_share;
                (group, s.tenure_mean, logit(given_phone(s)), w)
            })
            .collect();
        self.multi_per_month = within_group_slope(&points).max(0.0);
        let pmfs = self.tenure_pmfs();
        for (s, stats) in segments.iter().enumerate() {
            let slope = self.multi_per_month;
            let pmf = &pmfs[s];
            let share = |a: f64| -> f64 {
                pmf.iter()
                    .enumerate()
                    .map(|(m, p)| p * sigmoid(a + slope * m as f64))
                    .sum()
            };
            let target = given_phone(stats);
            self.multi_logit[s] =
                solve_increasing(share, target, (-40.0, 40.0), 1e-9).unwrap_or(logit(target));
        }
    }

    /// Add-ons: logit = cell + segment + slope·month + loading·factor. The
    /// slope is the pooled within-cell regression of the segments' mean
    /// add-on counts on their mean tenure; cell and segment terms are raked
    /// to the cell shares and the segment count means; prices are the least
    /// squares fit to the segment and cell mean charges; the factor loading
    /// is the one whose charges spread best meets the cells' standard
    /// deviations.
    fn solve_add_ons_and_prices(
        &mut self,
        aggregates: &Aggregates,
        segments: &[&SegmentStats],
        solve_prices: bool,
    ) {
        let points: Vec<_> = segments
            .iter()
            .filter(|s| s.internet.is_5g_home_internet())
            .map(|s| {
                let group = s.contract as usize * 3 + s.internet as usize;
                let y = logit((s.addon_count_mean / 5.0).clamp(1e-4, 1.0 - 1e-4));
                (group, s.tenure_mean, y, s.customer_count)
            })
            .collect();
        self.add_on_per_month = within_group_slope(&points).max(0.0);
        let ctx = AddOnContext::new(self, aggregates, segments);
        let objective = |loading: f64| {
            let mut trial = self.clone();
            trial.fit_add_ons(&ctx, loading, solve_prices);
            ctx.spread_error(&trial)
        };
        // Golden-section search of the loading on [0, 4].
        let ratio = 0.5 * (5f64.sqrt() - 1.0);
        let (mut a, mut b) = (0.0, 4.0);
        let mut c = b - ratio * (b - a);
        let mut d = a + ratio * (b - a);
        let (mut fc, mut fd) = (objective(c), objective(d));
        for _ in 0..30 {
            if fc < fd {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = objective(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = objective(d);
            }
        }
        self.fit_add_ons(&ctx, 0.5 * (a + b), solve_prices);
    }

    fn fit_add_ons(&mut self, ctx: &AddOnContext, loading: f64, solve_prices: bool) {
        self.add_on_factor = loading;
        let slope = self.add_on_per_month;
        for (cell, target) in &ctx.cell_targets {
            for k in 0..5 {
                self.add_on_cell_logit[*cell][k] = logit(target[k]);
            }
        }
        self.add_on_segment_logit = vec![0.0; SEGMENTS];
        for _ in 0..500 {
            let before: Vec<f64> = self.add_on_parameters();
            let mut change: f64 = 0.0;
            for (cell, target) in &ctx.cell_targets {
                for k in 0..5 {
                    let (mut held, mut total) = (0.0, 0.0);
                    for &s in &ctx.cell_segments[*cell] {
                        let w = ctx.counts[s];
                        held += w * ctx.expected(self, s, k, loading, slope);
                        total += w;
                    }
                    let step = logit(target[k]) - logit(held / total);
                    self.add_on_cell_logit[*cell][k] += step;
                    change = change.max(step.abs());
                }
            }
            for &s in &ctx.internet_segments {
                let held: f64 = (0..5)
                    .map(|k| ctx.expected(self, s, k, loading, slope))
                    .sum();
                let step = logit(ctx.count_targets[s] / 5.0) - logit(held / 5.0);
                self.add_on_segment_logit[s] += step;
                change = change.max(step.abs());
            }
            // Only the sum of a cell's and a segment's terms is identified:
            // keep each cell's segment terms centred.
            for (cell, segments) in ctx.cell_segments.iter().enumerate() {
                if segments.is_empty() {
                    continue;
                }
                let mean = segments
                    .iter()
                    .map(|&s| self.add_on_segment_logit[s])
                    .sum::<f64>()
                    / segments.len() as f64;
                for &s in segments {
                    self.add_on_segment_logit[s] -= mean;
                }
                for k in 0..5 {
                    self.add_on_cell_logit[cell][k] += mean;
                }
            }
            // As for churn: the net change of a sweep must vanish.
            let after: Vec<f64> = self.add_on_parameters();
            let net = before
                .iter()
                .zip(&after)
                .map(|(a, b)| (a - b).abs())
                .fold(0.0, f64::max);
            if net < 1e-10 || change < 1e-10 {
                break;
            }
        }
        for cell in &mut self.add_on_cell_logit {
            cell[5] = cell[0];
        }
        if solve_prices {
            self.prices = ctx.fit_prices(self);
        }
        for (s, stats) in ctx.segments.iter().enumerate() {
            self.price_adjustment[s] = stats.charges_mean - ctx.segment_price(self, s);
        }
    }

    /// Churn: logit = segment + tenure curve of the contract + effects of
    /// paperless billing, add-ons, multiple lines and no phone service +
    /// noise. Fitted on a stratified sample of the source population so
    /// that every segment's churn, every contract's churn per tenure bin
    /// and the churn of each service's holders meet the aggregates: the
    /// moment equations of a logistic model, solved by cyclic updates.
    fn solve_churn(&mut self, aggregates: &Aggregates, segments: &[&SegmentStats], solve: bool) {
        let draws = self.calibration_draws();
        let segment_targets = segment_churn_targets(segments);
        let bin_targets = bin_churn_targets(aggregates);
        let service_targets = service_churn_targets(&aggregates.service_churn);
        for s in 0..SEGMENTS {
            self.churn_segment[s] = logit(segment_targets[s]);
        }
        for _ in 0..1000 {
            let before = self.churn_parameters();
            self.update_segment_churn(&draws, &segment_targets);
            self.update_tenure_churn(&draws, &bin_targets);
            if solve {
                self.update_service_churn(&draws, &service_targets);
            }
            self.centre_tenure_knots();
            // Targets rounded in the source tables cannot all be met at
            // once; the updates then settle into a fixed cycle within a
            // sweep, and a sweep's net change is what must vanish.
            if largest_change(&before, &self.churn_parameters()) < 1e-9 {
                break;
            }
        }
    }

    /// One update of the segments' churn offsets toward their targets.
    fn update_segment_churn(&mut self, draws: &[Draw], targets: &[f64]) {
        let mut sums = vec![(0.0, 0.0); SEGMENTS];
        for d in draws {
            let p = self.churn_score(d);
            sums[d.segment].0 += d.weight * p;
            sums[d.segment].1 += d.weight;
        }
        for s in 0..SEGMENTS {
            let step = logit(targets[s]) - logit(sums[s].0 / sums[s].1);
            self.churn_segment[s] += step;
        }
    }

    /// One update of each contract's tenure knots toward the churn of its
    /// tenure bins.
    fn update_tenure_churn(&mut self, draws: &[Draw], targets: &[Vec<f64>]) {
        let mut sums = vec![vec![(0.0, 0.0); TENURE_BINS]; 3];
        for d in draws {
            let p = self.churn_score(d);
            let cell = &mut sums[d.contract][tenure_bin(d.month as usize)];
            cell.0 += d.weight * p;
            cell.1 += d.weight;
        }
        for c in 0..3 {
            for k in 0..TENURE_BINS {
                let (churn, total) = sums[c][k];
                if total > 0.0 {
                    let step = logit(targets[c][k]) - logit(churn / total);
                    self.churn_tenure_knots[c][k] += step;
                }
            }
        }
    }

    /// One update of the service effects toward the churn of each service's
    /// holders: paperless, five add-ons, multiple lines, no phone.
    fn update_service_churn(&mut self, draws: &[Draw], targets: &[f64; 8]) {
        let mut sums = [(0.0, 0.0); 8];
        for d in draws {
            let p = self.churn_score(d);
            let mut add = |j: usize| {
                sums[j].0 += d.weight * p;
                sums[j].1 += d.weight;
            };
            if d.paperless {
                add(0);
            }
            for k in 0..5 {
                if d.add_ons[k] {
                    add(1 + k);
                }
            }
            match d.multiple_lines {
                MultipleLines::Yes => add(6),
                MultipleLines::NoPhoneService => add(7),
                MultipleLines::No => {}
            }
        }
        let e = &mut self.churn_effects;
        let mut effects: Vec<&mut f64> = vec![&mut e.paperless_billing];
        effects.extend(e.add_ons.iter_mut());
        effects.push(&mut e.multiple_lines);
        effects.push(&mut e.no_phone_service);
        for ((effect, (churn, total)), target) in effects.into_iter().zip(sums).zip(targets) {
            if total > 0.0 {
                let step = logit(*target) - logit(churn / total);
                *effect += step;
            }
        }
    }

    /// Only differences between a contract's knots and its segments'
    /// offsets are identified: keeps the knots centred.
    fn centre_tenure_knots(&mut self) {
        for c in 0..3 {
            let mean = self.churn_tenure_knots[c].iter().sum::<f64>() / TENURE_BINS as f64;
            for k in &mut self.churn_tenure_knots[c] {
                *k -= mean;
            }
            for s in 0..SEGMENTS {
                if s / 12 == c {
                    self.churn_segment[s] += mean;
                }
            }
        }
    }

    fn churn_parameters(&self) -> Vec<f64> {
        let e = &self.churn_effects;
        let mut v = self.churn_segment.clone();
        v.extend(self.churn_tenure_knots.iter().flatten());
        v.extend([e.paperless_billing, e.multiple_lines, e.no_phone_service]);
        v.extend(e.add_ons);
        v
    }

    fn add_on_parameters(&self) -> Vec<f64> {
        let mut v = self.add_on_segment_logit.clone();
        v.extend(self.add_on_cell_logit.iter().flatten());
        v
    }

    fn churn_score(&self, d: &Draw) -> f64 {
        let x = self.churn_logit(
            d.segment,
            d.month,
            d.paperless,
            &d.add_ons,
            d.multiple_lines,
        ) + self.churn_noise_sd * d.noise;
        sigmoid(x).clamp(CHURN_MIN, CHURN_MAX)
    }

    /// The churn logit of a customer before noise and the config's shift.
    pub fn churn_logit(
        &self,
        segment: usize,
        month: u32,
        paperless: bool,
        add_ons: &[bool; 5],
        ml: MultipleLines,
    ) -> f64 {
        self.churn_segment[segment]
            + self.tenure_term(segment / 12, month)
            + self.effects_term(paperless, add_ons, ml)
    }

    /// The churn logit's tenure term: linear between the bins' centres.
    pub fn tenure_term(&self, contract: usize, month: u32) -> f64 {
        let knots = &self.churn_tenure_knots[contract];
        let x = f64::from(month);
        let center = |k: usize| {
            if k + 1 == TENURE_BINS {
                69.0
            } else {
                6.0 * k as f64 + 2.5
            }
        };
        if x <= center(0) {
            return knots[0];
        }
        for k in 1..TENURE_BINS {
            if x <= center(k) {
                let t = (x - center(k - 1)) / (center(k) - center(k - 1));
                return knots[k - 1] + t * (knots[k] - knots[k - 1]);
            }
        }
        knots[TENURE_BINS - 1]
    }

    /// The churn logit's service terms.
    pub fn effects_term(&self, paperless: bool, add_ons: &[bool; 5], ml: MultipleLines) -> f64 {
        let e = &self.churn_effects;
        let mut x = if paperless { e.paperless_billing } else { 0.0 };
        for k in 0..5 {
            if add_ons[k] {
                x += e.add_ons[k];
            }
        }
        x + match ml {
            MultipleLines::Yes => e.multiple_lines,
            MultipleLines::NoPhoneService => e.no_phone_service,
            MultipleLines::No => 0.0,
        }
    }

    /// A stratified sample of the source population: the same number of
    /// customers in every segment, weighted by the segment's share.
    fn calibration_draws(&self) -> Vec<Draw> {
        let population = Population::new(self, &self.seed_counts, &Shifts::default(), true);
        let mut draws = Vec::with_capacity(SEGMENTS * CALIBRATION_DRAWS as usize);
        for s in 0..SEGMENTS {
            let weight = population.weights[s] / CALIBRATION_DRAWS as f64;
            for j in 0..CALIBRATION_DRAWS {
                let mut rng = stream(
                    CALIBRATION_SEED,
                    Stage::Calibration,
                    s as u64 * CALIBRATION_DRAWS + j,
                );
                let shape = population.draw_shape_in(&mut rng, s);
                let services = population.draw_services(&mut rng, &shape);
                draws.push(Draw {
                    segment: s,
                    contract: shape.contract as usize,
                    month: shape.month,
                    paperless: services.paperless,
                    add_ons: services.add_ons,
                    multiple_lines: shape.multiple_lines,
                    noise: bounded_normal(&mut rng, 1.0, NOISE_LIMIT_SD),
                    weight,
                });
            }
        }
        draws
    }
}

/// A month distribution grouped into the tenure bins: each non-empty bin's
/// probability and mean month, for expectations over tenure.
pub fn tenure_groups(pmf: &[f64]) -> Vec<(f64, f64)> {
    let mut g = vec![(0.0, 0.0); TENURE_BINS];
    for (m, p) in pmf.iter().enumerate() {
        g[tenure_bin(m)].0 += p;
        g[tenure_bin(m)].1 += p * m as f64;
    }
    g.into_iter()
        .filter(|(w, _)| *w > 0.0)
        .map(|(w, wm)| (w, wm / w))
        .collect()
}

/// The churn targets of the services' holders, in the order of the churn
/// effects: paperless, five add-ons, multiple lines, no phone.
fn service_churn_targets(sc: &ServiceChurn) -> [f64; 8] {
    [
        sc.paperless,
        sc.add_ons[0],
        sc.add_ons[1],
        sc.add_ons[2],
        sc.add_ons[3],
        sc.add_ons[4],
        sc.multiple_lines,
        sc.no_phone,
    ]
}

/// The largest change of any parameter between two sweeps.
fn largest_change(before: &[f64], after: &[f64]) -> f64 {
    before
        .iter()
        .zip(after)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max)
}

/// Churn targets per segment, small segments pulled toward their
/// Contract × InternetService cell, kept inside the score's range.
fn segment_churn_targets(segments: &[&SegmentStats]) -> Vec<f64> {
    let mut cells = [(0.0, 0.0); 9];
    for s in segments {
        let cell = &mut cells[s.contract as usize * 3 + s.internet as usize];
        cell.0 += s.customer_count * s.churn_rate;
        cell.1 += s.customer_count;
    }
    segments
        .iter()
        .map(|s| {
            let (churn, n) = cells[s.contract as usize * 3 + s.internet as usize];
            shrink(s.churn_rate, s.customer_count, churn / n)
        })
        .collect()
}

/// Churn targets per contract and tenure bin, pulled toward the contract's.
fn bin_churn_targets(aggregates: &Aggregates) -> Vec<Vec<f64>> {
    Contract::ALL
        .iter()
        .map(|c| {
            let bins: Vec<_> = aggregates
                .tenure
                .iter()
                .filter(|b| b.contract == *c)
                .collect();
            let n: f64 = bins.iter().map(|b| b.customer_count).sum();
            let churn: f64 = bins.iter().map(|b| b.customer_count * b.churn_rate).sum();
            bins.iter()
                .map(|b| shrink(b.churn_rate, b.customer_count, churn / n))
                .collect()
        })
        .collect()
}

fn shrink(rate: f64, n: f64, parent: f64) -> f64 {
    ((n * rate + SHRINKAGE * parent) / (n + SHRINKAGE)).clamp(CHURN_MIN + 0.002, CHURN_MAX - 0.01)
}

/// The relative noise of charges: where no add-on or internet tier varies
/// (customers without internet), the cells' spread is the noise alone.
fn charges_noise(aggregates: &Aggregates) -> f64 {
    let cells: Vec<_> = aggregates
        .charges
        .iter()
        .filter(|c| c.internet == InternetService::No)
        .collect();
    let n: f64 = cells.iter().map(|c| c.customer_count).sum();
    cells
        .iter()
        .map(|c| c.customer_count * c.sd / c.mean)
        .sum::<f64>()
        / n
}

/// Per contract, the base tenure shape and per segment its tilt, solved
/// jointly: each segment's distribution is its contract's shape tilted by
/// exp(λ·(month − 36)/36) to meet the segment's mean tenure, and the shape
/// is raked until the segments' mixture meets the contract's 6-month bins.
fn solve_tenure(aggregates: &Aggregates, segments: &[&SegmentStats]) -> (Vec<Vec<f64>>, Vec<f64>) {
    let targets: Vec<Vec<f64>> = Contract::ALL
        .iter()
        .map(|c| {
            let counts: Vec<f64> = aggregates
                .tenure
                .iter()
                .filter(|b| b.contract == *c)
                .map(|b| b.customer_count)
                .collect();
            let n: f64 = counts.iter().sum();
            counts.iter().map(|x| x / n).collect()
        })
        .collect();
    let mut shapes: Vec<Vec<f64>> = targets.iter().map(|t| interpolated_shape(t)).collect();
    let mut tilts = vec![0.0; SEGMENTS];
    for round in 0..=40 {
        for (s, stats) in segments.iter().enumerate() {
            let shape = &shapes[stats.contract as usize];
            let mean = |lambda: f64| -> f64 {
                tilted(shape, lambda)
                    .iter()
                    .enumerate()
                    .map(|(m, p)| m as f64 * p)
                    .sum()
            };
            tilts[s] =
                solve_increasing(mean, stats.tenure_mean, (-40.0, 40.0), 1e-9).unwrap_or(tilts[s]);
        }
        if round == 40 {
            break;
        }
        for (c, shape) in shapes.iter_mut().enumerate() {
            let mut mixture = vec![0.0; MONTHS];
            for (s, stats) in segments.iter().enumerate() {
                if stats.contract as usize == c {
                    for (m, p) in tilted(shape, tilts[s]).iter().enumerate() {
                        mixture[m] += stats.customer_count * p;
                    }
                }
            }
            let total: f64 = mixture.iter().sum();
            let mut have = [0.0; TENURE_BINS];
            for (m, x) in mixture.iter().enumerate() {
                have[tenure_bin(m)] += x / total;
            }
            for (m, h) in shape.iter_mut().enumerate() {
                let k = tenure_bin(m);
                if have[k] > 0.0 {
                    *h *= targets[c][k] / have[k];
                }
            }
            normalise(shape);
        }
    }
    (shapes, tilts)
}

/// A month-by-month shape with the given bin shares: within a bin, the
/// density follows the line between the neighbouring bins' densities.
fn interpolated_shape(shares: &[f64]) -> Vec<f64> {
    let width = |k: usize| if k + 1 == TENURE_BINS { 7.0 } else { 6.0 };
    let center = |k: usize| {
        if k + 1 == TENURE_BINS {
            69.5
        } else {
            6.0 * k as f64 + 3.0
        }
    };
    let density: Vec<f64> = (0..TENURE_BINS).map(|k| shares[k] / width(k)).collect();
    let at = |x: f64| -> f64 {
        if x <= center(0) {
            return density[0];
        }
        for k in 1..TENURE_BINS {
            if x <= center(k) {
                let t = (x - center(k - 1)) / (center(k) - center(k - 1));
                return density[k - 1] + t * (density[k] - density[k - 1]);
            }
        }
        density[TENURE_BINS - 1]
    };
    let mut shape: Vec<f64> = (0..MONTHS).map(|m| at(m as f64 + 0.5)).collect();
    let mut have = [0.0; TENURE_BINS];
    for (m, x) in shape.iter().enumerate() {
        have[tenure_bin(m)] += x;
    }
    for (m, x) in shape.iter_mut().enumerate() {
        let k = tenure_bin(m);
        *x = if have[k] > 0.0 {
            *x * shares[k] / have[k]
        } else {
            0.0
        };
    }
    normalise(&mut shape);
    shape
}

fn tilted(shape: &[f64], lambda: f64) -> Vec<f64> {
    let mut out: Vec<f64> = shape
        .iter()
        .enumerate()
        .map(|(m, p)| p * (lambda * (m as f64 - 36.0) / 36.0).exp())
        .collect();
    normalise(&mut out);
    out
}

fn normalise(xs: &mut [f64]) {
    let total: f64 = xs.iter().sum();
    if total > 0.0 {
        for x in xs {
            *x /= total;
        }
    }
}

/// The fixed inputs of the add-on and price fits: per segment its tenure
/// bins as (weight, mean month), the targets, and the factor's nodes.
struct AddOnContext<'a> {
    segments: &'a [&'a SegmentStats],
    aggregates: &'a Aggregates,
    counts: Vec<f64>,
    groups: Vec<Vec<(f64, f64)>>,
    nodes: Vec<(f64, f64)>,
    cell_targets: Vec<(usize, [f64; 5])>,
    cell_segments: Vec<Vec<usize>>,
    internet_segments: Vec<usize>,
    count_targets: Vec<f64>,
    multi: Vec<Vec<f64>>,
}

impl<'a> AddOnContext<'a> {
    fn new(
        structure: &SourceStructure,
        aggregates: &'a Aggregates,
        segments: &'a [&'a SegmentStats],
    ) -> Self {
        let pmfs = structure.tenure_pmfs();
        let groups: Vec<Vec<(f64, f64)>> = pmfs.iter().map(|pmf| tenure_groups(pmf)).collect();
        let multi = (0..SEGMENTS)
            .map(|s| {
                groups[s]
                    .iter()
                    .map(|(_, t)| sigmoid(structure.multi_logit[s] + structure.multi_per_month * t))
                    .collect()
            })
            .collect();
        let mut cell_segments = vec![Vec::new(); 9];
        for (s, stats) in segments.iter().enumerate() {
            if stats.internet.is_5g_home_internet() {
                cell_segments[stats.contract as usize * 3 + stats.internet as usize].push(s);
            }
        }
        let cell_targets = aggregates
            .add_ons
            .iter()
            .filter(|c| c.internet.is_5g_home_internet())
            .map(|c| {
                let mut t = c.shares;
                for x in &mut t {
                    *x = x.clamp(1e-4, 1.0 - 1e-4);
                }
                (c.contract as usize * 3 + c.internet as usize, t)
            })
            .collect();
        AddOnContext {
            segments,
            aggregates,
            counts: segments.iter().map(|s| s.customer_count).collect(),
            groups,
            nodes: normal_nodes(NOISE_LIMIT_SD),
            cell_targets,
            cell_segments,
            internet_segments: (0..SEGMENTS)
                .filter(|&s| segments[s].internet.is_5g_home_internet())
                .collect(),
            count_targets: segments
                .iter()
                .map(|s| s.addon_count_mean.clamp(5e-4, 5.0 - 5e-4))
                .collect(),
            multi,
        }
    }

    fn logit_base(&self, st: &SourceStructure, s: usize, k: usize) -> f64 {
        let (c, i, _) = segment_parts(s);
        st.add_on_cell_logit[c as usize * 3 + i as usize][k] + st.add_on_segment_logit[s]
    }

    /// The share of segment `s` holding add-on `k`.
    fn expected(&self, st: &SourceStructure, s: usize, k: usize, loading: f64, slope: f64) -> f64 {
        let base = self.logit_base(st, s, k);
        let mut total = 0.0;
        for &(w, t) in &self.groups[s] {
            for &(z, wz) in &self.nodes {
                total += w * wz * sigmoid(base + slope * t + loading * z);
            }
        }
        total
    }

    /// For segment `s`, tenure group `g` and factor node `j`: the expected
    /// number of small add-ons and of streaming add-ons, and their variances.
    fn add_on_moments(&self, st: &SourceStructure, s: usize, t: f64, z: f64) -> [f64; 4] {
        if !self.segments[s].internet.is_5g_home_internet() {
            return [0.0; 4];
        }
        let mut m = [0.0; 4];
        for k in 0..6 {
            let p =
                sigmoid(self.logit_base(st, s, k) + st.add_on_per_month * t + st.add_on_factor * z);
            let j = if k == 3 || k == 4 { 1 } else { 0 };
            m[j] += p;
            m[2 + j] += p * (1.0 - p);
        }
        m
    }

    /// A segment's mean add-on counts (small, streaming).
    fn segment_counts(&self, st: &SourceStructure, s: usize) -> (f64, f64) {
        let (mut small, mut streaming) = (0.0, 0.0);
        for &(w, t) in &self.groups[s] {
            for &(z, wz) in &self.nodes {
                let m = self.add_on_moments(st, s, t, z);
                small += w * wz * m[0];
                streaming += w * wz * m[1];
            }
        }
        (small, streaming)
    }

    fn segment_row(&self, st: &SourceStructure, s: usize) -> Vec<f64> {
        let stats = self.segments[s];
        let (small, streaming) = self.segment_counts(st, s);
        vec![
            stats.phone_share,
            stats.multiple_lines_share,
            f64::from(u8::from(stats.internet == InternetService::Dsl)),
            f64::from(u8::from(stats.internet == InternetService::FiberOptic)),
            small,
            streaming,
        ]
    }

    fn segment_price(&self, st: &SourceStructure, s: usize) -> f64 {
        let p = &st.prices;
        let coef = [
            p.phone,
            p.multiple_lines,
            p.dsl,
            p.fiber_optic,
            p.add_on,
            p.streaming,
        ];
        self.segment_row(st, s)
            .iter()
            .zip(coef)
            .map(|(x, b)| x * b)
            .sum()
    }

    /// Visits every (segment, tenure group, factor node) of a charges cell
    /// with its weight and add-on moments.
    fn visit_cell(
        &self,
        st: &SourceStructure,
        internet: InternetService,
        ml: MultipleLines,
        mut f: impl FnMut(usize, f64, [f64; 4]),
    ) {
        for s in 0..SEGMENTS {
            let stats = self.segments[s];
            if stats.internet != internet {
                continue;
            }
            for (g, &(w, t)) in self.groups[s].iter().enumerate() {
                let q = self.multi[s][g];
                let p_ml = match ml {
                    MultipleLines::NoPhoneService => 1.0 - stats.phone_share,
                    MultipleLines::No => stats.phone_share * (1.0 - q),
                    MultipleLines::Yes => stats.phone_share * q,
                };
                let weight = self.counts[s] * w * p_ml;
                if weight <= 0.0 {
                    continue;
                }
                for &(z, wz) in &self.nodes {
                    f(s, weight * wz, self.add_on_moments(st, s, t, z));
                }
            }
        }
    }

    fn fit_prices(&self, st: &SourceStructure) -> Prices {
        let mut rows: Vec<(Vec<f64>, f64, f64)> = (0..SEGMENTS)
            .map(|s| {
                let stats = self.segments[s];
                (
                    self.segment_row(st, s),
                    stats.charges_mean,
                    stats.customer_count,
                )
            })
            .collect();
        for cell in &self.aggregates.charges {
            let (mut w, mut small, mut streaming) = (0.0, 0.0, 0.0);
            self.visit_cell(st, cell.internet, cell.multiple_lines, |_, weight, m| {
                w += weight;
                small += weight * m[0];
                streaming += weight * m[1];
            });
            if w <= 0.0 {
                continue;
            }
            let x = vec![
                f64::from(u8::from(
                    cell.multiple_lines != MultipleLines::NoPhoneService,
                )),
                f64::from(u8::from(cell.multiple_lines == MultipleLines::Yes)),
                f64::from(u8::from(cell.internet == InternetService::Dsl)),
                f64::from(u8::from(cell.internet == InternetService::FiberOptic)),
                small / w,
                streaming / w,
            ];
            rows.push((x, cell.mean, cell.customer_count));
        }
        match least_squares(&rows) {
            Some(b) => Prices {
                phone: b[0],
                multiple_lines: b[1],
                dsl: b[2],
                fiber_optic: b[3],
                add_on: b[4],
                streaming: b[5],
            },
            None => st.prices.clone(),
        }
    }

    /// The model's mean and standard deviation of charges in one cell.
    fn cell_moments(
        &self,
        st: &SourceStructure,
        internet: InternetService,
        ml: MultipleLines,
    ) -> (f64, f64) {
        let p = &st.prices;
        let mut base = match internet {
            InternetService::No => 0.0,
            InternetService::Dsl => p.dsl,
            InternetService::FiberOptic => p.fiber_optic,
        };
        match ml {
            MultipleLines::NoPhoneService => {}
            MultipleLines::No => base += p.phone,
            MultipleLines::Yes => base += p.phone + p.multiple_lines,
        }
        let kappa2 = st.charges_noise * st.charges_noise;
        let (mut w, mut sum, mut sum2) = (0.0, 0.0, 0.0);
        self.visit_cell(st, internet, ml, |s, weight, m| {
            let mean = base + st.price_adjustment[s] + p.add_on * m[0] + p.streaming * m[1];
            let var = p.add_on * p.add_on * m[2] + p.streaming * p.streaming * m[3];
            let second = mean * mean + var;
            w += weight;
            sum += weight * mean;
            sum2 += weight * (second * (1.0 + kappa2));
        });
        let mean = sum / w;
        (mean, (sum2 / w - mean * mean).max(0.0).sqrt())
    }

    /// Squared error of the charges spread over the cells with internet.
    fn spread_error(&self, st: &SourceStructure) -> f64 {
        self.aggregates
            .charges
            .iter()
            .filter(|c| c.internet.is_5g_home_internet())
            .map(|c| {
                let (_, sd) = self.cell_moments(st, c.internet, c.multiple_lines);
                c.customer_count * (sd - c.sd).powi(2)
            })
            .sum()
    }
}

/// The model's charges mean and standard deviation per InternetService ×
/// MultipleLines cell, for the calibration report and tests.
pub fn charges_cell_moments(
    structure: &SourceStructure,
    aggregates: &Aggregates,
    internet: InternetService,
    ml: MultipleLines,
) -> (f64, f64) {
    let segments: Vec<&SegmentStats> = (0..SEGMENTS)
        .map(|s| {
            let (c, i, p) = segment_parts(s);
            aggregates.segment(c, i, p)
        })
        .collect();
    AddOnContext::new(structure, aggregates, &segments).cell_moments(structure, internet, ml)
}
