//! The joint model's calibration: the embedded solutions agree with fresh
//! solves, raking keeps the seed table's odds ratios, and the config file's
//! new fields are validated with errors that name them.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use novawireless_model::{Contract, InternetService, PaymentMethod};
use novawireless_sampler::joint::{
    default_settings, embedded_structure, rake, segment_index, Aggregates, Calibration,
    SourceStructure, DEFAULT_CALIBRATION, DEFAULT_SAMPLE, SEGMENTS,
};
use novawireless_sampler::{Baseline, JointModel};

fn close(a: &serde_json::Value, b: &serde_json::Value, path: &str) -> Result<(), String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            if (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs())) {
                Ok(())
            } else {
                Err(format!("{path}: {x} against {y}"))
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .try_for_each(|(i, (x, y))| close(x, y, &format!("{path}[{i}]"))),
        (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
            x.iter().try_for_each(|(k, v)| {
                close(
                    v,
                    y.get(k).ok_or(format!("{path}.{k} missing"))?,
                    &format!("{path}.{k}"),
                )
            })
        }
        _ if a == b => Ok(()),
        _ => Err(format!("{path}: {a} against {b}")),
    }
}

/// `solved.json` is what the solver gives today (to 1e-9, relative): the
/// embedded structure is reproducible from the embedded aggregates.
#[test]
fn embedded_structure_is_a_fresh_solve() {
    let fresh = SourceStructure::solve(&Aggregates::embedded(), &default_settings());
    let fresh = serde_json::to_value(&fresh).unwrap();
    let embedded = serde_json::to_value(&*embedded_structure()).unwrap();
    close(&fresh, &embedded, "solved.json").unwrap();
}

/// `default_calibration.json` is the embedded baseline's calibration on the
/// offline sample.
#[test]
fn embedded_default_calibration_is_a_fresh_one() {
    let (model, unreachable) = JointModel::calibrate_with(&Baseline::embedded(), DEFAULT_SAMPLE);
    assert!(unreachable.is_empty(), "{unreachable:?}");
    let fresh = serde_json::to_value(model.calibration()).unwrap();
    let embedded: Calibration = serde_json::from_str(DEFAULT_CALIBRATION).unwrap();
    close(
        &fresh,
        &serde_json::to_value(&embedded).unwrap(),
        "default_calibration.json",
    )
    .unwrap();
    assert_eq!(Baseline::embedded().joint_model().calibration(), &embedded);
}

/// Raking meets the configured Contract, InternetService and
/// PaymentMethod shares and keeps every odds ratio of the seed table: the
/// log ratio of raked to seed cells is additive in the three factors
/// (every interaction contrast vanishes, to 1e-9).
#[test]
fn raking_keeps_the_seed_odds_ratios() {
    let baseline = Baseline::embedded();
    let seed = &embedded_structure().seed_counts;
    let raked = rake(seed, &baseline);
    let seed_total: f64 = seed.iter().sum();
    let r = |c: usize, i: usize, p: usize| {
        let s = segment_index(
            Contract::ALL[c],
            InternetService::ALL[i],
            PaymentMethod::ALL[p],
        );
        (raked[s] / (seed[s] / seed_total)).ln()
    };
    for c in 0..3 {
        for i in 0..3 {
            for p in 0..4 {
                let contrast = r(c, i, p) - r(0, i, p) - r(c, 0, p) - r(c, i, 0)
                    + r(0, 0, p)
                    + r(0, i, 0)
                    + r(c, 0, 0)
                    - r(0, 0, 0);
                assert!(contrast.abs() < 1e-9, "cell {c} {i} {p}: {contrast:e}");
            }
        }
    }
    let share = |keep: &dyn Fn(usize) -> bool| {
        (0..SEGMENTS)
            .filter(|&s| keep(s))
            .map(|s| raked[s])
            .sum::<f64>()
    };
    assert!((share(&|s| s / 12 == 0) - 0.62).abs() < 1e-12);
    assert!((share(&|s| (s / 4) % 3 == 0) - 0.55).abs() < 1e-12);
    assert!((share(&|s| s % 4 == 0) - 0.30).abs() < 1e-12);
}

fn refused(text: &str) -> String {
    Baseline::from_json_str(text, "test.json")
        .unwrap_err()
        .to_string()
}

/// The config file's joint-model fields: unknown keys, bad prices and
/// effects, and marginals the structure cannot reach are refused, naming
/// the field; fixed prices are used as given.
#[test]
fn joint_model_fields_are_validated() {
    let e = refused(r#"{"joint_model": {"add_ons": true}}"#);
    assert!(e.contains("test.json") && e.contains("add_ons"), "{e}");
    let e = refused(
        r#"{"joint_model": {"prices": {"phone": -1, "multiple_lines": 5, "DSL": 25,
            "Fiber optic": 50, "add_on": 5, "streaming": 10}}}"#,
    );
    assert!(e.contains("joint_model.prices.phone"), "{e}");
    let e = refused(r#"{"churn_model": {"score_ceiling": 0.99}}"#);
    assert!(e.contains("churn_model.score_ceiling"), "{e}");
    // Add-ons that need internet cannot reach 60% when 45% have internet.
    let e = refused(
        r#"{"joint_model": {"add_ons_need_internet": true},
            "OnlineSecurity": {"Yes": 0.6, "No": 0.4}}"#,
    );
    assert!(
        e.contains("OnlineSecurity.Yes") && e.contains("cannot be reached"),
        "{e}"
    );
    // Without home internet a customer always has phone service.
    let e = refused(r#"{"MultipleLines": {"No": 0.2, "Yes": 0.2, "No phone service": 0.6}}"#);
    assert!(e.contains("MultipleLines.No phone service"), "{e}");
}

/// Fixed prices replace the solved ones.
#[test]
fn fixed_prices_are_used() {
    let b = Baseline::from_json_str(
        r#"{"joint_model": {"prices": {"phone": 20, "multiple_lines": 5, "DSL": 25,
            "Fiber optic": 50, "add_on": 5, "streaming": 10}}}"#,
        "test.json",
    )
    .unwrap();
    let model = b.joint_model();
    let prices = &model.population().prices;
    assert_eq!(
        (prices.phone, prices.fiber_optic, prices.streaming),
        (20.0, 50.0, 10.0)
    );
}

/// The solved list prices are those of a price list a telco would publish:
/// about $20 a voice line, $5 more for multiple lines, $25 and $50 for the
/// two internet tiers, $5 a small add-on and $10 a streaming add-on (each
/// within $1.50; nothing here is fixed by hand).
#[test]
fn solved_prices_look_like_a_price_list() {
    let p = &embedded_structure().prices;
    for (got, want) in [
        (p.phone, 20.0),
        (p.multiple_lines, 5.0),
        (p.dsl, 25.0),
        (p.fiber_optic, 50.0),
        (p.add_on, 5.0),
        (p.streaming, 10.0),
    ] {
        assert!((got - want).abs() <= 1.5, "{p:?}");
    }
}

fn segments_json(rows: &[novawireless_sampler::joint::SegmentStats]) -> String {
    let rows: Vec<String> = rows
        .iter()
        .map(|s| {
            format!(
                r#"{{"Contract": "{}", "InternetService": "{}", "PaymentMethod": "{}",
                "customer_count": {}, "churn_rate": {}, "tenure_mean": {},
                "monthly_charges_mean": {}, "paperless_share": {}, "phone_service_share": {},
                "multiple_lines_share": {}, "addon_count_mean": {}}}"#,
                s.contract,
                s.internet,
                s.payment,
                s.customer_count,
                s.churn_rate,
                s.tenure_mean,
                s.charges_mean,
                s.paperless_share,
                s.phone_share,
                s.multiple_lines_share,
                s.addon_count_mean
            )
        })
        .collect();
    format!(r#"{{"joint_model": {{"segments": [{}]}}}}"#, rows.join(","))
}

/// A replacement segment table: refused when a cell is missing, repeated
/// or out of range (naming the row and field); accepted and solved when
/// whole, so its churn rates move the churn model.
#[test]
fn a_segment_table_replaces_the_embedded_one() {
    let segments = Aggregates::embedded().segments;
    let e = refused(&segments_json(&segments[..35]));
    assert!(
        e.contains("joint_model.segments") && e.contains("36"),
        "{e}"
    );
    let mut twice = segments.clone();
    twice[35] = twice[0].clone();
    let e = refused(&segments_json(&twice));
    assert!(
        e.contains("joint_model.segments[35]") && e.contains("twice"),
        "{e}"
    );
    let mut bad = segments.clone();
    bad[3].churn_rate = 1.5;
    let e = refused(&segments_json(&bad));
    assert!(e.contains("joint_model.segments[3].churn_rate"), "{e}");

    let mut halved = segments.clone();
    for s in &mut halved {
        s.churn_rate /= 2.0;
    }
    let b = Baseline::from_json_str(&segments_json(&halved), "halved.json").unwrap();
    let embedded = embedded_structure();
    for (a, b) in b.structure.tenure_tilt.iter().zip(&embedded.tenure_tilt) {
        assert!((a - b).abs() < 1e-12, "{a} against {b}");
    }
    let lower = (0..SEGMENTS)
        .filter(|&s| b.structure.churn_segment[s] < embedded.churn_segment[s])
        .count();
    assert!(
        lower >= 30,
        "only {lower} segments got a lower churn offset"
    );
}
