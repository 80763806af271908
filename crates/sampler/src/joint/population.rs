//! The sampling side of the joint model: given every table and shift, the
//! draws of one customer. Both the calibration (on the source population)
//! and the generator (on the configured one) draw through this code.

use super::math::{logit, sigmoid};
use super::structure::{Prices, SourceStructure, MONTHS};
use crate::dist::{bernoulli, bounded_normal, Categorical};
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
    /// Position inside the month, in [0, 1): natural tenure is month + fraction.
    pub fraction: f64,
    /// Phone service and multiple lines.
    pub multiple_lines: MultipleLines,
}

impl ShapeDraw {
    /// Natural tenure as a continuous value in [0, 73).
    pub fn natural_tenure(&self) -> f64 {
        f64::from(self.month) + self.fraction
    }
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
    segment: Categorical<usize>,
    /// Per segment, the probability of each natural tenure month.
    pub tenure_pmf: Vec<Vec<f64>>,
    tenure_cumulative: Vec<Vec<f64>>,
    /// Per segment, the probability of phone service.
    pub phone: Vec<f64>,
    /// Per segment and month, the probability of multiple lines given phone.
    pub multi: Vec<Vec<f64>>,
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
    /// Per segment, a price adjustment added to the list price.
    pub price_adjustment: Vec<f64>,
    /// Relative standard deviation of the charges noise.
    pub charges_noise: f64,
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
        #[allow(clippy::unwrap_used)] // raked weights are finite, non-negative, positive sum
        let segment = Categorical::new((0..SEGMENTS).collect(), &weights).unwrap();
        let tenure_pmf = structure.tenure_pmfs();
        let tenure_cumulative = tenure_pmf
            .iter()
            .map(|pmf| {
                let mut acc = 0.0;
                pmf.iter()
                    .map(|p| {
                        acc += p;
                        acc
                    })
                    .collect()
            })
            .collect();
        let shifted = |p: f64, shift: f64| {
            if p >= 1.0 {
                1.0
            } else if p <= 0.0 {
                0.0
            } else {
                sigmoid(logit(p) + shift)
            }
        };
        let phone: Vec<f64> = (0..SEGMENTS)
            .map(|s| shifted(structure.phone_share[s], shifts.phone))
            .collect();
        let multi = (0..SEGMENTS)
            .map(|s| {
                (0..MONTHS)
                    .map(|m| {
                        sigmoid(
                            structure.multi_logit[s]
                                + structure.multi_per_month * m as f64
                                + shifts.multi,
                        )
                    })
                    .collect()
            })
            .collect();
        let paperless = (0..SEGMENTS)
            .map(|s| shifted(structure.paperless_share[s], shifts.paperless))
            .collect();
        let add_on_logit = (0..SEGMENTS)
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
            .collect();
        Population {
            weights,
            segment,
            tenure_pmf,
            tenure_cumulative,
            phone,
            multi,
            paperless,
            add_on_logit,
            add_on_per_month: structure.add_on_per_month,
            add_on_factor: structure.add_on_factor,
            prices: structure.prices.clone(),
            price_adjustment: structure.price_adjustment.clone(),
            charges_noise: structure.charges_noise,
        }
    }

    /// The shape draws (five uniforms).
    pub fn draw_shape<R: Rng + ?Sized>(&self, rng: &mut R) -> ShapeDraw {
        let segment = self.segment.sample(rng);
        self.draw_shape_in(rng, segment)
    }

    /// The shape draws of a customer of a given segment (four uniforms).
    pub fn draw_shape_in<R: Rng + ?Sized>(&self, rng: &mut R, segment: usize) -> ShapeDraw {
        let (contract, internet, payment) = segment_parts(segment);
        let u: f64 = rng.random();
        let cumulative = &self.tenure_cumulative[segment];
        let month = cumulative.partition_point(|&c| c <= u).min(MONTHS - 1);
        // A month of zero probability is reached only through rounding.
        let month = (month..MONTHS)
            .chain((0..month).rev())
            .find(|&m| self.tenure_pmf[segment][m] > 0.0)
            .unwrap_or(month);
        let fraction: f64 = rng.random();
        let phone = bernoulli(rng, self.phone[segment]);
        let multi = bernoulli(rng, self.multi[segment][month]);
        let multiple_lines = match (phone, multi) {
            (false, _) => MultipleLines::NoPhoneService,
            (true, false) => MultipleLines::No,
            (true, true) => MultipleLines::Yes,
        };
        ShapeDraw {
            segment,
            contract,
            internet,
            payment,
            month: month as u32,
            fraction,
            multiple_lines,
        }
    }

    /// The probability of each add-on (the hidden sixth included) for a
    /// customer of `segment` at natural tenure `month` with factor value `f`.
    pub fn add_on_probabilities(&self, segment: usize, month: f64, f: f64) -> [f64; 6] {
        let base = &self.add_on_logit[segment];
        let shared = self.add_on_per_month * month + self.add_on_factor * f;
        let mut p = [0.0; 6];
        for k in 0..6 {
            p[k] = if base[k] == f64::NEG_INFINITY {
                0.0
            } else {
                sigmoid(base[k] + shared)
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
        let p = self.add_on_probabilities(shape.segment, f64::from(shape.month), f);
        let mut held = [false; 6];
        for (h, p) in held.iter_mut().zip(p) {
            *h = bernoulli(rng, p);
        }
        let noise = bounded_normal(rng, self.charges_noise, NOISE_LIMIT_SD);
        let list = self.list_price(shape, &held) + self.price_adjustment[shape.segment];
        ServiceDraw {
            paperless,
            add_ons: [held[0], held[1], held[2], held[3], held[4]],
            natural_charges: list * (1.0 + noise),
        }
    }
}
