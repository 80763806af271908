//! The sampling side of the joint model: given every table and shift, the
//! draws of one customer. Both the calibration (on the source population)
//! and the generator (on the configured one) draw through this code.

use super::math::{logit, sigmoid};
use super::structure::{Prices, SourceStructure, MONTHS};
use crate::dist::{bernoulli, bounded_normal};
use crate::NOISE_LIMIT_SD;
use novawireless_model::{Contract, InternetService, MultipleLines, PaymentMethod};
use rand::Rng;

/// Number of Contract × InternetService × PaymentMethod segments.
pub const SEGMENTS: usize = 36;

/// The segment index of a cell: contract-major, then internet, then payment.
pub const fn segment_index(c: Contract, i: InternetService, p: PaymentMethod) -> usize {
    c as usize * 12 + i as usize * 4 + p as usize
}

/// The cell of a segment index.
pub fn segment_parts(s: usize) -> (Contract, InternetService, PaymentMethod) {
    (
        Contract::ALL[s / 12],
        InternetService::ALL[(s / 4) % 3],
        PaymentMethod::ALL[s % 4],
    )
}

/// The draws of the shape stage: segment, tenure and phone lines.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ShapeDraw {
    /// Segment index (see [`segment_index`]).
    pub segment: usize,
    /// Contract.
    pub contract: Contract,
    /// Raw internet service.
    pub internet: InternetService,
    /// Payment method.
    pub payment: PaymentMethod,
    /// Natural tenure in whole months (0–72), on the source data's scale.
    pub month: u32,
    /// Phone service and multiple lines.
    pub multiple_lines: MultipleLines,
}

/// The services of one customer and the list price they add up to.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceDraw {
    /// Paperless billing.
    pub paperless: bool,
    /// The five add-ons, in column order.
    pub add_ons: [bool; 5],
    /// Natural monthly charges: the services' prices with individual noise.
    pub natural_charges: f64,
}

/// A fully specified population: segment weights, per-segment tables and
/// prices. Built from a [`SourceStructure`] and the configured shifts.
#[derive(Debug, Clone, PartialEq)]
pub struct Population {
    /// Segment probabilities (sum to one).
    pub weights: Vec<f64>,
    /// The draw of a (segment, month) cell: segment-major, 73 months each.
    cell_table: AliasTable,
    /// Per segment, the probability of each natural tenure month.
    pub tenure_pmf: Vec<Vec<f64>>,
    tenure_tables: Vec<AliasTable>,
    /// Per segment, the probability of paperless billing.
    pub paperless: Vec<f64>,
    /// Per segment, the base logit of each add-on (the five, then the
    /// unobserved tech-support add-on that only moves charges);
    /// `-inf` where it cannot be held.
    pub add_on_logit: Vec<[f64; 6]>,
    /// Change of an add-on's logit per month of tenure.
    pub add_on_per_month: f64,
    /// Loading of the shared add-on propensity factor.
    pub add_on_factor: f64,
    /// List prices.
    pub prices: Prices,
    /// Relative standard deviation of the charges noise.
    pub charges_noise: f64,
    /// Per segment and MultipleLines answer (in declaration order), the
    /// price of the lines and the internet tier plus the adjustment.
    base_price: Vec<[f64; 3]>,
    /// Per segment, whether any add-on can be held.
    holds_add_ons: Vec<bool>,
    /// Per segment, e^−logit of each add-on (infinite where none is held).
    add_on_inverse_odds: Vec<[f64; 6]>,
    /// Per (segment, month) cell: 1 − phone and 1 − phone + phone·multi.
    line_thresholds: Vec<(f64, f64)>,
    /// Per segment, its contract, internet service and payment method.
    parts: Vec<(Contract, InternetService, PaymentMethod)>,
}

/// Walker's alias table: a draw over n outcomes from one uniform in O(1)
/// (no search, so no branch to mispredict): the uniform picks a column and
/// its fraction decides between the column's outcome and its alias.
#[derive(Debug, Clone, PartialEq)]
pub struct AliasTable {
    threshold: Vec<f64>,
    alias: Vec<u32>,
}

impl AliasTable {
    /// The table of probabilities `p` (non-negative, summing to one).
    pub fn new(p: &[f64]) -> Self {
        let n = p.len();
        let total: f64 = p.iter().sum();
        let mut scaled: Vec<f64> = p.iter().map(|x| x / total * n as f64).collect();
        let mut threshold = vec![1.0; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| scaled[i] < 1.0);
        while let (Some(s), Some(&l)) = (small.pop(), large.last()) {
            threshold[s] = scaled[s];
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Leftovers hold probability one up to rounding; a zero-probability
        // outcome never keeps its own column.
        for i in small.into_iter().chain(large) {
            threshold[i] = if p[i] > 0.0 { 1.0 } else { 0.0 };
            if p[i] == 0.0 {
                alias[i] = p.iter().position(|x| *x > 0.0).unwrap_or(i) as u32;
            }
        }
        AliasTable { threshold, alias }
    }

    /// The outcome of uniform `u` in [0, 1).
    pub fn pick(&self, u: f64) -> usize {
        let n = self.threshold.len();
        let x = u * n as f64;
        let column = (x as usize).min(n - 1);
        if x - (column as f64) < self.threshold[column] {
            column
        } else {
            self.alias[column] as usize
        }
    }
}

/// The shifts that carry the source structure to configured marginals.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Shifts {
    /// Logit shift of phone service (segments with internet only).
    pub phone: f64,
    /// Logit shift of multiple lines given phone.
    pub multi: f64,
    /// Logit shift of paperless billing.
    pub paperless: f64,
    /// Logit shift of each add-on (the hidden one follows OnlineSecurity).
    pub add_ons: [f64; 5],
}

/// Log-odds of an add-on for a customer without home internet, relative to
/// a DSL customer of the same contract and payment method, when the
/// configuration lets such customers hold add-ons (see the README).
pub const NO_INTERNET_ADD_ON_OFFSET: f64 = -1.0;

impl Population {
    /// The population of `structure` with the segment `weights` and `shifts`.
    pub fn new(
        structure: &SourceStructure,
        weights: &[f64],
        shifts: &Shifts,
        add_ons_need_internet: bool,
    ) -> Self {
        let total: f64 = weights.iter().sum();
        let weights: Vec<f64> = weights.iter().map(|w| w / total).collect();
        let tenure_pmf = structure.tenure_pmfs();
        let cell_table = cell_table(&weights, &tenure_pmf);
        let tenure_tables = tenure_pmf.iter().map(|pmf| AliasTable::new(pmf)).collect();
        let phone: Vec<f64> = (0..SEGMENTS)
            .map(|s| shifted(structure.phone_share[s], shifts.phone))
            .collect();
        let multi = multi_line_shares(structure, shifts.multi);
        let paperless = (0..SEGMENTS)
            .map(|s| shifted(structure.paperless_share[s], shifts.paperless))
            .collect();
        let add_on_logit = add_on_logits(structure, shifts, add_ons_need_internet);
        let base_price = base_prices(structure);
        let line_thresholds = line_thresholds(&phone, &multi);
        let add_on_inverse_odds = add_on_logit
            .iter()
            .map(|l: &[f64; 6]| l.map(|x| (-x).exp()))
            .collect();
        let holds_add_ons = add_on_logit
            .iter()
            .map(|l: &[f64; 6]| l.iter().any(|x| *x > f64::NEG_INFINITY))
            .collect();
        Population {
            weights,
            cell_table,
            tenure_pmf,
            tenure_tables,
            paperless,
            add_on_logit,
            add_on_per_month: structure.add_on_per_month,
            add_on_factor: structure.add_on_factor,
            prices: structure.prices.clone(),
            charges_noise: structure.charges_noise,
            base_price,
            holds_add_ons,
            add_on_inverse_odds,
            line_thresholds,
            parts: (0..SEGMENTS).map(segment_parts).collect(),
        }
    }

    /// The shape draws (two uniforms): segment and month from one joint
    /// alias table, then phone service and multiple lines from one uniform.
    pub fn draw_shape<R: Rng + ?Sized>(&self, rng: &mut R) -> ShapeDraw {
        let cell = self.cell_table.pick(rng.random());
        self.shape(cell / MONTHS, cell % MONTHS, rng.random())
    }

    /// The shape draws of a customer of a given segment (two uniforms).
    pub fn draw_shape_in<R: Rng + ?Sized>(&self, rng: &mut R, segment: usize) -> ShapeDraw {
        let month = self.tenure_tables[segment].pick(rng.random());
        self.shape(segment, month, rng.random())
    }

    /// No phone service below 1 − phone, then multiple lines below
    /// 1 − phone + phone·multi, else one line.
    fn shape(&self, segment: usize, month: usize, u: f64) -> ShapeDraw {
        let (contract, internet, payment) = self.parts[segment];
        let (no_phone, multiple) = self.line_thresholds[segment * MONTHS + month];
        let multiple_lines = if u < no_phone {
            MultipleLines::NoPhoneService
        } else if u < multiple {
            MultipleLines::Yes
        } else {
            MultipleLines::No
        };
        ShapeDraw {
            segment,
            contract,
            internet,
            payment,
            month: month as u32,
            multiple_lines,
        }
    }

    /// The probability of each add-on (the hidden sixth included) for a
    /// customer of `segment` at natural tenure `month` with factor value `f`:
    /// σ(base + shared) = 1 / (1 + e^−base · e^−shared), so one exponential
    /// serves all six.
    pub fn add_on_probabilities(&self, segment: usize, month: f64, f: f64) -> [f64; 6] {
        let odds = &self.add_on_inverse_odds[segment];
        let shared = (-(self.add_on_per_month * month + self.add_on_factor * f)).exp();
        let mut p = [0.0; 6];
        for k in 0..6 {
            p[k] = if odds[k].is_finite() {
                1.0 / (1.0 + odds[k] * shared)
            } else {
                0.0
            };
        }
        p
    }

    /// The list price of a bundle before noise and adjustment.
    pub fn list_price(&self, shape: &ShapeDraw, add_ons: &[bool; 6]) -> f64 {
        let p = &self.prices;
        let mut price = match shape.internet {
            InternetService::No => 0.0,
            InternetService::Dsl => p.dsl,
            InternetService::FiberOptic => p.fiber_optic,
        };
        match shape.multiple_lines {
            MultipleLines::NoPhoneService => {}
            MultipleLines::No => price += p.phone,
            MultipleLines::Yes => price += p.phone + p.multiple_lines,
        }
        for (k, held) in add_ons.iter().enumerate() {
            if *held {
                price += if k == 3 || k == 4 {
                    p.streaming
                } else {
                    p.add_on
                };
            }
        }
        price
    }

    /// The service draws (paperless, a normal factor, six add-on uniforms,
    /// a normal charges noise: nine draws).
    pub fn draw_services<R: Rng + ?Sized>(&self, rng: &mut R, shape: &ShapeDraw) -> ServiceDraw {
        let paperless = bernoulli(rng, self.paperless[shape.segment]);
        let f = bounded_normal(rng, 1.0, NOISE_LIMIT_SD);
        let mut held = [false; 6];
        if self.holds_add_ons[shape.segment] {
            let p = self.add_on_probabilities(shape.segment, f64::from(shape.month), f);
            for (h, p) in held.iter_mut().zip(p) {
                *h = bernoulli(rng, p);
            }
        } else {
            // The same six draws, so the later draws keep their place.
            for _ in 0..6 {
                let _: f64 = rng.random();
            }
        }
        let noise = bounded_normal(rng, self.charges_noise, NOISE_LIMIT_SD);
        let list = self.list_price(shape, &held);
        ServiceDraw {
            paperless,
            add_ons: [held[0], held[1], held[2], held[3], held[4]],
            natural_charges: list * (1.0 + noise),
        }
    }
}

/// The alias table of the (segment, month) cells: segment-major, each
/// segment's weight spread over its tenure months.
fn cell_table(weights: &[f64], tenure_pmf: &[Vec<f64>]) -> AliasTable {
    let cells: Vec<f64> = (0..SEGMENTS)
        .flat_map(|s| {
            let w = weights[s];
            tenure_pmf[s].iter().map(move |p| p * w)
        })
        .collect();
    AliasTable::new(&cells)
}

/// Probability `p` with its logit moved by `shift` (0 and 1 stay put).
fn shifted(p: f64, shift: f64) -> f64 {
    if p >= 1.0 {
        1.0
    } else if p <= 0.0 {
        0.0
    } else {
        sigmoid(logit(p) + shift)
    }
}

/// Per segment and tenure month, the probability of multiple lines given
/// phone service.
fn multi_line_shares(structure: &SourceStructure, shift: f64) -> Vec<Vec<f64>> {
    (0..SEGMENTS)
        .map(|s| {
            (0..MONTHS)
                .map(|m| {
                    sigmoid(structure.multi_logit[s] + structure.multi_per_month * m as f64 + shift)
                })
                .collect()
        })
        .collect()
}

/// Per segment, the shifted base logit of each add-on (the hidden sixth
/// follows OnlineSecurity's shift). A segment without home internet
/// takes its DSL twin's logits with [`NO_INTERNET_ADD_ON_OFFSET`], or
/// holds none when add-ons need internet.
fn add_on_logits(
    structure: &SourceStructure,
    shifts: &Shifts,
    add_ons_need_internet: bool,
) -> Vec<[f64; 6]> {
    (0..SEGMENTS)
        .map(|s| {
            let (c, i, p) = segment_parts(s);
            let (source, offset) = match i {
                InternetService::No if add_ons_need_internet => return [f64::NEG_INFINITY; 6],
                InternetService::No => (
                    segment_index(c, InternetService::Dsl, p),
                    NO_INTERNET_ADD_ON_OFFSET,
                ),
                _ => (s, 0.0),
            };
            let (_, si, _) = segment_parts(source);
            let cell = &structure.add_on_cell_logit[c as usize * 3 + si as usize];
            let mut out = [0.0; 6];
            for k in 0..6 {
                let shift = shifts.add_ons[if k == 5 { 0 } else { k }];
                out[k] = cell[k] + structure.add_on_segment_logit[source] + offset + shift;
            }
            out
        })
        .collect()
}

/// Per segment and MultipleLines answer (No, Yes, No phone service): the
/// price of the lines and the internet tier plus the segment's adjustment.
fn base_prices(structure: &SourceStructure) -> Vec<[f64; 3]> {
    let prices = &structure.prices;
    (0..SEGMENTS)
        .map(|s| {
            let tier = match segment_parts(s).1 {
                InternetService::No => 0.0,
                InternetService::Dsl => prices.dsl,
                InternetService::FiberOptic => prices.fiber_optic,
            } + structure.price_adjustment[s];
            // MultipleLines in declaration order: No, Yes, No phone service.
            [
                tier + prices.phone,
                tier + prices.phone + prices.multiple_lines,
                tier,
            ]
        })
        .collect()
}

/// Per (segment, month) cell: 1 − phone and 1 − phone + phone·multi.
fn line_thresholds(phone: &[f64], multi: &[Vec<f64>]) -> Vec<(f64, f64)> {
    (0..SEGMENTS)
        .flat_map(|s| {
            let phone: f64 = phone[s];
            let multi: &Vec<f64> = &multi[s];
            (0..MONTHS).map(move |m| (1.0 - phone, 1.0 - phone + phone * multi[m]))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::AliasTable;

    /// Every outcome's share of a fine grid of uniforms is its probability.
    #[test]
    fn alias_table_draws_its_probabilities() {
        let p = [0.5, 0.0, 0.125, 0.25, 0.125];
        let table = AliasTable::new(&p);
        let n = 80_000;
        let mut counts = [0u32; 5];
        for k in 0..n {
            counts[table.pick((f64::from(k) + 0.5) / f64::from(n))] += 1;
        }
        for (c, p) in counts.iter().zip(p) {
            assert!(
                (f64::from(*c) / f64::from(n) - p).abs() < 1e-4,
                "{counts:?}"
            );
        }
        assert_eq!(AliasTable::new(&[0.0, 1.0]).pick(0.1), 1);
    }
}
