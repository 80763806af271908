//! The joint model against the IBM Telco aggregates it is calibrated to
//! (README, *Fidelity*): 200,000 customers with `configs/ibm_telco.json`,
//! every tolerance stated beside its check.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_model::{Contract, Customer, InternetService, MultipleLines};
use novawireless_sampler::joint::{segment_index, Aggregates, TENURE_BINS};
use novawireless_sampler::Baseline;
use std::path::Path;
use std::sync::OnceLock;

const N: u64 = 200_000;

struct Row {
    segment: usize,
    internet: InternetService,
    multiple_lines: MultipleLines,
    c: Customer,
}

fn ibm_config() -> Baseline {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/ibm_telco.json");
    Baseline::from_file(&path).expect("configs/ibm_telco.json loads")
}

fn population() -> &'static [Row] {
    static ROWS: OnceLock<Vec<Row>> = OnceLock::new();
    ROWS.get_or_init(|| {
        let generator =
            AccountGenerator::new(&ibm_config(), GraphParams::default(), 42, N).unwrap();
        let chunk = generator.generate_range(CustomerRange::new(0, N));
        chunk
            .customers
            .into_iter()
            .enumerate()
            .map(|(i, c)| {
                let shape = generator.shape(i as u64);
                Row {
                    segment: shape.joint.segment,
                    internet: shape.joint.internet,
                    multiple_lines: shape.joint.multiple_lines,
                    c,
                }
            })
            .collect()
    })
}

fn mean<'a>(rows: impl Iterator<Item = &'a Row>, f: impl Fn(&Row) -> f64) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for r in rows {
        sum += f(r);
        n += 1;
    }
    assert!(n > 0, "empty group");
    sum / n as f64
}

fn flag(b: bool) -> f64 {
    f64::from(u8::from(b))
}

/// Every segment with at least 100 source customers: share within 10%
/// (relative), observed churn and mean score within ±0.03, mean tenure
/// within ±3 months, mean charges within ±$3, and the paperless, phone and
/// multiple-lines shares within ±0.04.
#[test]
fn segments_meet_their_aggregates() {
    let rows = population();
    let a = Aggregates::embedded();
    let mut failures = Vec::new();
    for s in a.segments.iter().filter(|s| s.customer_count >= 100.0) {
        let idx = segment_index(s.contract, s.internet, s.payment);
        let seg: Vec<&Row> = rows.iter().filter(|r| r.segment == idx).collect();
        let name = format!("{} / {} / {}", s.contract, s.internet, s.payment);
        let share = seg.len() as f64 / rows.len() as f64;
        let target = s.customer_count / 7043.0;
        let checks = [
            ("share (relative)", share / target - 1.0, 0.10),
            (
                "churn",
                mean(seg.iter().copied(), |r| flag(r.c.is_churned)) - s.churn_rate,
                0.03,
            ),
            (
                "score",
                mean(seg.iter().copied(), |r| r.c.churn_risk_score) - s.churn_rate,
                0.03,
            ),
            (
                "tenure",
                mean(seg.iter().copied(), |r| f64::from(r.c.tenure_months)) - s.tenure_mean,
                3.0,
            ),
            (
                "charges",
                mean(seg.iter().copied(), |r| r.c.monthly_charges) - s.charges_mean,
                3.0,
            ),
            (
                "paperless",
                mean(seg.iter().copied(), |r| {
                    flag(r.c.paperless_billing.is_yes())
                }) - s.paperless_share,
                0.04,
            ),
            (
                "phone",
                mean(seg.iter().copied(), |r| flag(r.c.lines_on_account > 0)) - s.phone_share,
                0.04,
            ),
            (
                "multiple lines",
                mean(seg.iter().copied(), |r| flag(r.c.lines_on_account > 1))
                    - s.multiple_lines_share,
                0.04,
            ),
        ];
        for (what, diff, tolerance) in checks {
            if diff.abs() > tolerance {
                failures.push(format!(
                    "{name}: {what} off by {diff:.4} (tolerance {tolerance})"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Per contract, the tenure histogram in 6-month bins has a total
/// variation distance of at most 0.05 from the source's, and churn per bin
/// (bins with at least 50 source customers) is within ±0.05.
#[test]
fn tenure_follows_contract() {
    let rows = population();
    let a = Aggregates::embedded();
    for c in Contract::ALL {
        let bins: Vec<_> = a.tenure.iter().filter(|b| b.contract == *c).collect();
        let total: f64 = bins.iter().map(|b| b.customer_count).sum();
        let of: Vec<&Row> = rows.iter().filter(|r| r.c.contract_proxy == *c).collect();
        let mut tvd = 0.0;
        for (k, b) in bins.iter().enumerate() {
            let in_bin: Vec<&Row> = of
                .iter()
                .copied()
                .filter(|r| (r.c.tenure_months as usize / 6).min(TENURE_BINS - 1) == k)
                .collect();
            tvd += 0.5 * (in_bin.len() as f64 / of.len() as f64 - b.customer_count / total).abs();
            if b.customer_count >= 50.0 {
                let churn = mean(in_bin.iter().copied(), |r| flag(r.c.is_churned));
                assert!(
                    (churn - b.churn_rate).abs() <= 0.05,
                    "{c} tenure [{}, {}): churn {churn:.3}, source {:.3}",
                    b.low,
                    b.high,
                    b.churn_rate
                );
            }
        }
        assert!(tvd <= 0.05, "{c}: tenure TVD {tvd:.4}");
    }
}

/// Charges per InternetService × MultipleLines cell: mean within ±$3,
/// median within ±$4.
#[test]
fn charges_follow_services() {
    let rows = population();
    for cell in &Aggregates::embedded().charges {
        let mut xs: Vec<f64> = rows
            .iter()
            .filter(|r| r.internet == cell.internet && r.multiple_lines == cell.multiple_lines)
            .map(|r| r.c.monthly_charges)
            .collect();
        xs.sort_by(f64::total_cmp);
        let m = xs.iter().sum::<f64>() / xs.len() as f64;
        let median = xs[xs.len() / 2];
        let what = format!("{} / {}", cell.internet, cell.multiple_lines);
        assert!(
            (m - cell.mean).abs() <= 3.0,
            "{what}: mean {m:.2}, source {}",
            cell.mean
        );
        assert!(
            (median - cell.quantiles[1]).abs() <= 4.0,
            "{what}: median {median:.2}, source {}",
            cell.quantiles[1]
        );
    }
}

/// The headline associations of the IBM data set: churn by contract
/// (0.43 / 0.11 / 0.03 ± 0.02), mean tenure by contract (18.0 / 56.7 ± 2),
/// charges with and without internet ($76.8 / $21.1 ± 2), the correlation of
/// tenure and charges (0.25 ± 0.05) and churn by paperless billing
/// (0.34 / 0.16 ± 0.02).
#[test]
fn headline_associations() {
    let rows = population();
    let churn = |c: Contract| {
        mean(rows.iter().filter(|r| r.c.contract_proxy == c), |r| {
            flag(r.c.is_churned)
        })
    };
    let tenure = |c: Contract| {
        mean(rows.iter().filter(|r| r.c.contract_proxy == c), |r| {
            f64::from(r.c.tenure_months)
        })
    };
    for (got, want, tol, what) in [
        (
            churn(Contract::MonthToMonth),
            0.427,
            0.02,
            "churn month-to-month",
        ),
        (churn(Contract::OneYear), 0.113, 0.02, "churn one year"),
        (churn(Contract::TwoYear), 0.028, 0.02, "churn two year"),
        (
            tenure(Contract::MonthToMonth),
            18.0,
            2.0,
            "tenure month-to-month",
        ),
        (tenure(Contract::TwoYear), 56.7, 2.0, "tenure two year"),
        (
            mean(rows.iter().filter(|r| r.c.has_5g_home_internet), |r| {
                r.c.monthly_charges
            }),
            76.8,
            2.0,
            "charges with internet",
        ),
        (
            mean(rows.iter().filter(|r| !r.c.has_5g_home_internet), |r| {
                r.c.monthly_charges
            }),
            21.1,
            2.0,
            "charges without internet",
        ),
        (
            mean(
                rows.iter().filter(|r| r.c.paperless_billing.is_yes()),
                |r| flag(r.c.is_churned),
            ),
            0.336,
            0.02,
            "churn with paperless billing",
        ),
        (
            mean(
                rows.iter().filter(|r| !r.c.paperless_billing.is_yes()),
                |r| flag(r.c.is_churned),
            ),
            0.163,
            0.02,
            "churn without paperless billing",
        ),
    ] {
        assert!(
            (got - want).abs() <= tol,
            "{what}: {got:.3}, want {want} ± {tol}"
        );
    }
    let t: Vec<f64> = rows.iter().map(|r| f64::from(r.c.tenure_months)).collect();
    let m: Vec<f64> = rows.iter().map(|r| r.c.monthly_charges).collect();
    let (mt, mm) = (
        t.iter().sum::<f64>() / t.len() as f64,
        m.iter().sum::<f64>() / m.len() as f64,
    );
    let cov: f64 = t.iter().zip(&m).map(|(a, b)| (a - mt) * (b - mm)).sum();
    let vt: f64 = t.iter().map(|a| (a - mt) * (a - mt)).sum();
    let vm: f64 = m.iter().map(|b| (b - mm) * (b - mm)).sum();
    let r = cov / (vt * vm).sqrt();
    assert!((r - 0.25).abs() <= 0.05, "corr(tenure, charges) {r:.3}");
}

/// With `configs/ibm_telco.json` a customer without internet holds no
/// add-on (as in the source data), and every value stays in its bounds.
#[test]
fn no_add_on_without_internet_and_values_in_bounds() {
    let rows = population();
    for r in rows {
        let c = &r.c;
        let add_ons = [
            c.online_security,
            c.online_backup,
            c.device_protection,
            c.streaming_tv,
            c.streaming_movies,
        ];
        if !c.has_5g_home_internet {
            assert!(
                add_ons.iter().all(|a| !a.is_yes()),
                "{}: add-on without internet",
                c.customer_id
            );
        }
        assert!(c.tenure_months <= 72);
        assert!(
            (18.0..=120.0).contains(&c.monthly_charges),
            "{}",
            c.monthly_charges
        );
        assert!((0.01..=0.95).contains(&c.churn_risk_score));
        assert!(
            c.lines_on_account > 0 || c.has_5g_home_internet,
            "a customer without a line"
        );
    }
    // Month 72 exists: the last tenure bin [66, 72] is closed.
    assert!(rows.iter().any(|r| r.c.tenure_months == 72));
}
