//! Statistical tests of step 1 on 100,000 customers (seed 42, default
//! parameters): the baseline marginals of README, *The model*, the churn-model
//! targets and latent traits of section 5, and the rates of the account graph
//! of section 6.
//!
//! The population is generated once per test binary. Shares are compared with
//! their expected probability within `SIGMAS` binomial standard errors, and
//! never more loosely than the spec's stated tolerance (1 point for the
//! marginals): tight enough to catch a real bias, loose enough never to flake
//! when a change of draw order reshuffles the sample. Run with `--nocapture`
//! to see every measured value.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_accounts::{AccountChunk, AccountGenerator, CustomerRange, GraphParams};
use novawireless_model::{
    Contract, Customer, DeviceCategory, EipStatus, Imei, Line, LineStatus, PaymentMethod,
    ProductType, YesNo,
};
use novawireless_sampler::Baseline;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

/// Customers in the test population.
const N: u64 = 100_000;
/// Seed of the test population.
const SEED: u64 = 42;
/// Binomial standard errors a share may be off before a test fails.
const SIGMAS: f64 = 5.0;
/// The spec's tolerance on the baseline marginals: 1 percentage point.
const MARGINAL_TOLERANCE: f64 = 0.01;

// ---------------------------------------------------------------------------
// The population and per-customer views of it
// ---------------------------------------------------------------------------

struct Population {
    params: GraphParams,
    chunk: AccountChunk,
    /// For each customer, the range of its rows in `chunk.lines`.
    line_ranges: Vec<std::ops::Range<usize>>,
    /// Line ids that carry an EIP agreement, with the agreement's months.
    installments: HashMap<novawireless_model::LineId, u32>,
}

impl Population {
    fn customers(&self) -> &[Customer] {
        &self.chunk.customers
    }

    /// Each customer with its lines.
    fn accounts(&self) -> impl Iterator<Item = (&Customer, &[Line])> {
        self.chunk
            .customers
            .iter()
            .zip(&self.line_ranges)
            .map(|(c, r)| (c, &self.chunk.lines[r.clone()]))
    }

    fn churn_scores(&self) -> Vec<f64> {
        self.customers()
            .iter()
            .map(|c| c.churn_risk_score)
            .collect()
    }
}

fn population() -> &'static Population {
    static POPULATION: OnceLock<Population> = OnceLock::new();
    POPULATION.get_or_init(|| {
        let params = GraphParams::default();
        let generator =
            AccountGenerator::new(&Baseline::embedded(), params.clone(), SEED, N).unwrap();
        let chunk = generator.generate_range(CustomerRange::new(0, N));
        let mut line_ranges = Vec::with_capacity(chunk.customers.len());
        let mut start = 0;
        for c in &chunk.customers {
            let end = start + c.total_lines() as usize;
            line_ranges.push(start..end);
            start = end;
        }
        assert_eq!(start, chunk.lines.len(), "lines do not match the customers");
        let installments = chunk
            .agreements
            .iter()
            .map(|a| (a.line_id, a.installment_months))
            .collect();
        Population {
            params,
            chunk,
            line_ranges,
            installments,
        }
    })
}

// ---------------------------------------------------------------------------
// Statistics helpers
// ---------------------------------------------------------------------------

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

fn std_dev(xs: &[f64]) -> f64 {
    let m = mean(xs);
    let var = xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / (xs.len() - 1) as f64;
    var.sqrt()
}

/// Pearson correlation.
fn correlation(xs: &[f64], ys: &[f64]) -> f64 {
    assert_eq!(xs.len(), ys.len());
    let (mx, my) = (mean(xs), mean(ys));
    let mut sxy = 0.0;
    let mut sxx = 0.0;
    let mut syy = 0.0;
    for (x, y) in xs.iter().zip(ys) {
        sxy += (x - mx) * (y - my);
        sxx += (x - mx) * (x - mx);
        syy += (y - my) * (y - my);
    }
    sxy / (sxx * syy).sqrt()
}

/// The nearest-rank percentile (`q` in [0, 1]).
fn percentile(xs: &[f64], q: f64) -> f64 {
    let mut sorted = xs.to_vec();
    sorted.sort_by(f64::total_cmp);
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Mean churn score of the customers that satisfy `keep`.
fn mean_churn(keep: impl Fn(&Customer) -> bool) -> f64 {
    let scores: Vec<f64> = population()
        .customers()
        .iter()
        .filter(|c| keep(c))
        .map(|c| c.churn_risk_score)
        .collect();
    assert!(!scores.is_empty(), "empty segment");
    mean(&scores)
}

/// Prints a measured value (visible with `--nocapture`).
fn report(what: &str, value: impl std::fmt::Display) {
    println!("{what}: {value}");
}

/// Asserts that `hits` out of `trials` is within `SIGMAS` binomial standard
/// errors of `expected`, and within `max_tolerance` in any case.
fn assert_share(what: &str, hits: usize, trials: usize, expected: f64, max_tolerance: f64) {
    assert!(trials > 0, "{what}: no trials");
    let share = hits as f64 / trials as f64;
    let standard_error = (expected * (1.0 - expected) / trials as f64).sqrt();
    let tolerance = (SIGMAS * standard_error).min(max_tolerance);
    report(
        what,
        format!("{share:.4} (expected {expected:.4} ± {tolerance:.4}, {hits}/{trials})"),
    );
    assert!(
        (share - expected).abs() <= tolerance,
        "{what}: measured {share:.4} ({hits}/{trials}), expected {expected:.4} ± {tolerance:.4}"
    );
}

/// A baseline marginal: the share of customers for which `is` holds.
fn assert_marginal(what: &str, expected: f64, is: impl Fn(&Customer) -> bool) {
    let customers = population().customers();
    let hits = customers.iter().filter(|c| is(c)).count();
    assert_share(what, hits, customers.len(), expected, MARGINAL_TOLERANCE);
}

/// The spec's six tenure bins, 0–12 … 60–72 (72 itself in the last).
fn tenure_bin(tenure_months: u32) -> u32 {
    (tenure_months / 12).min(5)
}

fn yes(value: YesNo) -> bool {
    value == YesNo::Yes
}

// ---------------------------------------------------------------------------
// Section 4: baseline marginals
// ---------------------------------------------------------------------------

#[test]
fn payment_method_marginal() {
    for (method, p) in [
        (PaymentMethod::ElectronicCheck, 0.30),
        (PaymentMethod::MailedCheck, 0.10),
        (PaymentMethod::BankTransfer, 0.35),
        (PaymentMethod::CreditCard, 0.25),
    ] {
        assert_marginal(&format!("PaymentMethod {method}"), p, |c| {
            c.payment_method == method
        });
    }
}

#[test]
fn contract_marginal() {
    for (contract, p) in [
        (Contract::MonthToMonth, 0.62),
        (Contract::OneYear, 0.10),
        (Contract::TwoYear, 0.28),
    ] {
        assert_marginal(&format!("contract_proxy {contract}"), p, |c| {
            c.contract_proxy == contract
        });
    }
}

#[test]
fn paperless_and_add_on_marginals() {
    assert_marginal("PaperlessBilling Yes", 0.60, |c| yes(c.paperless_billing));
    assert_marginal("OnlineSecurity Yes", 0.35, |c| yes(c.online_security));
    assert_marginal("OnlineBackup Yes", 0.30, |c| yes(c.online_backup));
    assert_marginal("DeviceProtection Yes", 0.42, |c| yes(c.device_protection));
    assert_marginal("StreamingTV Yes", 0.33, |c| yes(c.streaming_tv));
    assert_marginal("StreamingMovies Yes", 0.28, |c| yes(c.streaming_movies));
}

#[test]
fn internet_share_is_dsl_plus_fiber() {
    assert_marginal("5G Home Internet (DSL + Fiber)", 0.10 + 0.35, |c| {
        c.has_5g_home_internet
    });
}

#[test]
fn multiple_lines_marginal_via_lines_on_account() {
    assert_marginal("lines_on_account 0 (No phone service)", 0.05, |c| {
        c.lines_on_account == 0
    });
    assert_marginal("lines_on_account 1 (MultipleLines No)", 0.40, |c| {
        c.lines_on_account == 1
    });
    assert_marginal("lines_on_account >= 2 (MultipleLines Yes)", 0.55, |c| {
        c.lines_on_account >= 2
    });
}

#[test]
fn extra_voice_lines_are_geometric_and_capped() {
    // Given MultipleLines Yes: 2 + (k − 1), k ~ Geometric(0.55), capped at 5.
    let multi: Vec<u32> = population()
        .customers()
        .iter()
        .map(|c| c.lines_on_account)
        .filter(|&l| l >= 2)
        .collect();
    let p: f64 = 0.55;
    for (lines, expected) in [
        (2, p),
        (3, p * (1.0 - p)),
        (4, p * (1.0 - p).powi(2)),
        (5, (1.0 - p).powi(3)),
    ] {
        let hits = multi.iter().filter(|&&l| l == lines).count();
        assert_share(
            &format!("{lines} voice lines given MultipleLines Yes"),
            hits,
            multi.len(),
            expected,
            MARGINAL_TOLERANCE,
        );
    }
    assert!(multi.iter().all(|&l| l <= 5));
}

#[test]
fn tenure_bins() {
    let expected = [0.34, 0.20, 0.16, 0.14, 0.10, 0.06];
    for (bin, p) in expected.into_iter().enumerate() {
        let (low, high) = (12 * bin, 12 * (bin + 1));
        assert_marginal(&format!("tenure [{low}, {high})"), p, |c| {
            tenure_bin(c.tenure_months) == bin as u32
        });
    }
}

#[test]
fn monthly_charge_bins() {
    let expected = [0.18, 0.28, 0.26, 0.18, 0.10];
    for (bin, p) in expected.into_iter().enumerate() {
        let low = 20.0 + 20.0 * bin as f64;
        let high = low + 20.0;
        // The last bin is closed: 120.00 belongs to it.
        let last = bin == expected.len() - 1;
        assert_marginal(&format!("monthly_charges [{low}, {high})"), p, |c| {
            c.monthly_charges >= low && (c.monthly_charges < high || last)
        });
    }
}

// ---------------------------------------------------------------------------
// Section 5: the device plan
// ---------------------------------------------------------------------------

#[test]
fn device_plan_share() {
    let p = population();
    // Yes for every One/Two year contract, else with the month-to-month rate.
    let expected = 0.38 + 0.62 * p.params.month_to_month_plan_rate;
    assert_marginal("device_payment_plan Yes", expected, |c| {
        yes(c.device_payment_plan)
    });
}

#[test]
fn device_term_shares() {
    let with_plan: Vec<&Customer> = population()
        .customers()
        .iter()
        .filter(|c| yes(c.device_payment_plan))
        .collect();
    for (term, p) in [(24, 0.35), (30, 0.25), (36, 0.40)] {
        let hits = with_plan
            .iter()
            .filter(|c| c.device_term_months == term)
            .count();
        assert_share(
            &format!("device_term_months {term}"),
            hits,
            with_plan.len(),
            p,
            MARGINAL_TOLERANCE,
        );
    }
}

// ---------------------------------------------------------------------------
// Section 5: churn risk
// ---------------------------------------------------------------------------

#[test]
fn churn_mean_minimum_and_tail() {
    let scores = population().churn_scores();
    let mean = mean(&scores);
    let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let p99 = percentile(&scores, 0.99);
    report("churn mean", format!("{mean:.4}"));
    report("churn min", format!("{min:.6}"));
    report("churn p99", format!("{p99:.4}"));
    assert!(
        (0.25..=0.29).contains(&mean),
        "mean churn {mean:.4} outside [0.25, 0.29]"
    );
    assert!(min <= 0.03, "minimum churn {min:.6} above 0.03");
    assert!(p99 <= 0.70, "99th percentile churn {p99:.4} above 0.70");
}

#[test]
fn churn_falls_across_tenure_bins() {
    let means: Vec<f64> = (0..6u32)
        .map(|bin| mean_churn(|c| tenure_bin(c.tenure_months) == bin))
        .collect();
    report("churn by tenure bin", format!("{means:.4?}"));
    for (bin, pair) in means.windows(2).enumerate() {
        assert!(
            pair[1] < pair[0],
            "churn does not fall from tenure bin {bin} ({:.4}) to bin {} ({:.4}): {means:.4?}",
            pair[0],
            bin + 1,
            pair[1]
        );
    }
    let ratio = means[0] / means[5];
    report("churn tenure 0-12 / 60-72", format!("{ratio:.3}"));
    assert!(
        ratio >= 1.8,
        "churn of tenure 0-12 ({:.4}) is only {ratio:.3}× that of 60-72 ({:.4}), want >= 1.8",
        means[0],
        means[5]
    );
}

#[test]
fn electronic_check_is_the_riskiest_payment_method() {
    let by_method: Vec<(PaymentMethod, f64)> = PaymentMethod::ALL
        .iter()
        .map(|&m| (m, mean_churn(|c| c.payment_method == m)))
        .collect();
    report("churn by payment method", format!("{by_method:.4?}"));
    let echeck = mean_churn(|c| c.payment_method == PaymentMethod::ElectronicCheck);
    for &(method, m) in &by_method {
        if method != PaymentMethod::ElectronicCheck {
            assert!(
                echeck > m,
                "Electronic check churn {echeck:.4} not above {method} {m:.4}"
            );
        }
    }
    let card = mean_churn(|c| c.payment_method == PaymentMethod::CreditCard);
    let ratio = echeck / card;
    report(
        "churn Electronic check / Credit card",
        format!("{ratio:.3}"),
    );
    assert!(
        ratio >= 1.3,
        "Electronic check churn {echeck:.4} is only {ratio:.3}× Credit card {card:.4}, want >= 1.3"
    );
}

#[test]
fn home_internet_customers_churn_more() {
    let with = mean_churn(|c| c.has_5g_home_internet);
    let without = mean_churn(|c| !c.has_5g_home_internet);
    let ratio = with / without;
    report(
        "churn 5G / no 5G",
        format!("{with:.4} / {without:.4} = {ratio:.3}"),
    );
    assert!(
        ratio >= 1.5,
        "5G customers churn {with:.4}, only {ratio:.3}× those without ({without:.4}), want >= 1.5"
    );
}

#[test]
fn is_churned_follows_the_score() {
    let customers = population().customers();
    let churned = customers.iter().filter(|c| c.is_churned).count();
    let mean_score = mean(&population().churn_scores());
    // Bernoulli(p_i) draws: the variance of the count is at most that of a
    // binomial with the mean score, so the same tolerance applies.
    assert_share(
        "is_churned rate vs mean churn score",
        churned,
        customers.len(),
        mean_score,
        0.01,
    );
}

// ---------------------------------------------------------------------------
// Section 5: latent traits
// ---------------------------------------------------------------------------

#[test]
fn trust_follows_churn() {
    let trust: Vec<f64> = population()
        .customers()
        .iter()
        .map(|c| c.trust_baseline)
        .collect();
    let (m, sd) = (mean(&trust), std_dev(&trust));
    let corr = correlation(&trust, &population().churn_scores());
    report(
        "trust",
        format!("mean {m:.3}, sd {sd:.3}, corr with churn {corr:.3}"),
    );
    assert!((m - 72.0).abs() <= 2.0, "trust mean {m:.3} not 72 ± 2");
    assert!(
        (9.0..=13.0).contains(&sd),
        "trust sd {sd:.3} outside [9, 13]"
    );
    assert!(corr <= -0.3, "corr(trust, churn) = {corr:.3}, want <= -0.3");
}

#[test]
fn patience_follows_churn() {
    let patience: Vec<f64> = population()
        .customers()
        .iter()
        .map(|c| c.patience)
        .collect();
    let m = mean(&patience);
    let sd = std_dev(&patience);
    let corr = correlation(&patience, &population().churn_scores());
    report(
        "patience",
        format!("mean {m:.4}, sd {sd:.4}, corr with churn {corr:.3}"),
    );
    assert!(
        (m - 0.52).abs() <= 0.03,
        "patience mean {m:.4} not 0.52 ± 0.03"
    );
    assert!(
        corr <= -0.15,
        "corr(patience, churn) = {corr:.3}, want <= -0.15"
    );
}

// ---------------------------------------------------------------------------
// Section 6: the account graph
// ---------------------------------------------------------------------------

#[test]
fn suspended_share_of_voice_lines() {
    let voice: Vec<&Line> = population()
        .chunk
        .lines
        .iter()
        .filter(|l| l.product_type == ProductType::Voice)
        .collect();
    let suspended = voice
        .iter()
        .filter(|l| l.status == LineStatus::Suspended)
        .count();
    assert_share("suspended voice lines", suspended, voice.len(), 0.07, 0.01);
}

#[test]
fn voice_eip_attach_rate_among_plan_customers() {
    let p = population();
    let mut voice_lines = 0;
    let mut attached = 0;
    for (c, lines) in p.accounts() {
        if !yes(c.device_payment_plan) {
            continue;
        }
        for line in lines
            .iter()
            .filter(|l| l.product_type == ProductType::Voice)
        {
            voice_lines += 1;
            attached += usize::from(p.installments.contains_key(&line.line_id));
        }
    }
    assert_share(
        "voice lines with an EIP given a plan",
        attached,
        voice_lines,
        p.params.p_voice_eip_attach_if_plan,
        0.01,
    );
}

#[test]
fn voice_installment_months_and_closed_share() {
    let p = population();
    let voice_terms: Vec<u32> = p
        .chunk
        .agreements
        .iter()
        .filter(|a| a.product_type == ProductType::Voice)
        .map(|a| a.installment_months)
        .collect();
    for (term, share) in [(24, 0.35), (30, 0.25), (36, 0.40)] {
        let hits = voice_terms.iter().filter(|&&t| t == term).count();
        assert_share(
            &format!("voice installment_months {term}"),
            hits,
            voice_terms.len(),
            share,
            0.01,
        );
    }
    let closed = p
        .chunk
        .agreements
        .iter()
        .filter(|a| a.eip_status == EipStatus::Closed)
        .count();
    assert_share(
        "closed agreements",
        closed,
        p.chunk.agreements.len(),
        0.02,
        0.01,
    );
}

#[test]
fn generation_time_mismatch_rate() {
    // Every line with an EIP whose customer has another line is eligible.
    let p = population();
    let flagged: HashSet<_> = p
        .chunk
        .usage
        .iter()
        .filter(|u| u.imei_line_mismatch_flag)
        .map(|u| u.line_id)
        .collect();
    let mut eligible = 0;
    let mut hits = 0;
    for (_, lines) in p.accounts() {
        if lines.len() < 2 {
            continue;
        }
        for line in lines {
            if p.installments.contains_key(&line.line_id) {
                eligible += 1;
                hits += usize::from(flagged.contains(&line.line_id));
            }
        }
    }
    let flagged_total = flagged.len();
    assert_eq!(hits, flagged_total, "a flagged line is not eligible");
    assert_share(
        "usage mismatch among EIP lines with another line",
        hits,
        eligible,
        p.params.p_inject_eip_usage_mismatch,
        0.01,
    );
}

#[test]
fn spare_devices_are_mostly_handsets() {
    let p = population();
    let held: HashSet<Imei> = p.chunk.lines.iter().map(|l| l.current_imei).collect();
    let spares: Vec<DeviceCategory> = p
        .chunk
        .devices
        .iter()
        .filter(|d| !held.contains(&d.imei))
        .map(|d| d.device_category)
        .collect();
    let expected_spares = p.chunk.lines.len() * 115 / 100 - p.chunk.lines.len();
    assert_eq!(spares.len(), expected_spares, "spare stock size");
    let gateways = spares
        .iter()
        .filter(|&&c| c == DeviceCategory::Gateway5gHsi)
        .count();
    assert_share(
        "gateway share of spares",
        gateways,
        spares.len(),
        0.18,
        0.02,
    );
    let all_gateways = p
        .chunk
        .devices
        .iter()
        .filter(|d| d.device_category == DeviceCategory::Gateway5gHsi)
        .count();
    report(
        "gateway share of the whole inventory",
        format!("{:.4}", all_gateways as f64 / p.chunk.devices.len() as f64),
    );
}
