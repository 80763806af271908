//! Fuzzing the `--config` loader without nightly: arbitrary text and
//! mutated copies of the embedded baseline go through
//! [`Baseline::from_json_str`]. It may refuse them — with a one-line message
//! naming the origin — but must never panic; and a baseline it accepts must
//! calibrate promptly and draw finite values inside its own bounds (what it
//! accepts is what the generator will run on).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_sampler::{
    latent_traits, stream, Baseline, Stage, CHURN_MAX, CHURN_MIN, EMBEDDED_BASELINE,
};
use proptest::prelude::*;
use std::time::{Duration, Instant};

const ORIGIN: &str = "fuzz.json";

/// Loads `text`; an error must be one line naming the origin. An accepted
/// baseline is calibrated and sampled.
fn check(text: &str) -> Result<(), TestCaseError> {
    match Baseline::from_json_str(text, ORIGIN) {
        Err(e) => {
            let message = e.to_string();
            prop_assert!(message.contains(ORIGIN), "{message}");
            prop_assert!(!message.contains('\n'), "{message:?}");
        }
        Ok(baseline) => exercise(&baseline)?,
    }
    Ok(())
}

/// Calibrates the joint model (bounded time) and draws a few customers'
/// values, which must be finite and inside the configured bounds.
fn exercise(b: &Baseline) -> Result<(), TestCaseError> {
    let started = Instant::now();
    let model = b.joint_model();
    prop_assert!(
        started.elapsed() < Duration::from_secs(20),
        "calibration took {:?}",
        started.elapsed()
    );
    prop_assert!(model.churn_shift().is_finite());
    // Every accepted distribution normalises.
    let sums = [
        (
            "tenure_months",
            b.tenure_months.bins().map(|(_, p)| p).sum::<f64>(),
        ),
        (
            "monthly_charges",
            b.monthly_charges.bins().map(|(_, p)| p).sum(),
        ),
        (
            "InternetService",
            b.internet_service.probabilities().map(|(_, p)| p).sum(),
        ),
        (
            "PaymentMethod",
            b.payment_method.probabilities().map(|(_, p)| p).sum(),
        ),
        (
            "MultipleLines",
            b.multiple_lines.probabilities().map(|(_, p)| p).sum(),
        ),
        ("Contract", b.contract.probabilities().map(|(_, p)| p).sum()),
        (
            "PaperlessBilling",
            b.paperless_billing.probabilities().map(|(_, p)| p).sum(),
        ),
    ];
    for (name, sum) in sums {
        prop_assert!((sum - 1.0).abs() < 1e-9, "{name} sums to {sum}");
    }
    let (tmin, tmax) = b.tenure_months.bounds();
    let (mmin, mmax) = b.monthly_charges.bounds();
    for i in 0..16 {
        let shape = model.draw_shape(&mut stream(7, Stage::Shape, i));
        let mut rng = stream(7, Stage::Customer, i);
        let d = model.draw_customer(&mut rng, &shape);
        let tenure = f64::from(d.tenure_months);
        prop_assert!((tmin.floor()..=tmax).contains(&tenure), "tenure {tenure}");
        let charges = d.monthly_charges;
        prop_assert!((mmin..=mmax).contains(&charges), "charges {charges}");
        let risk = d.churn_risk_score;
        prop_assert!((CHURN_MIN..=CHURN_MAX).contains(&risk), "risk {risk}");
        let (trust, patience) = latent_traits(&mut rng, b, risk);
        prop_assert!(trust.is_finite() && patience.is_finite());
    }
    Ok(())
}

/// The byte offsets of every number in `text` (start, end).
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'-' || bytes[i].is_ascii_digit() {
            let start = i;
            i += 1;
            while i < bytes.len()
                && matches!(bytes[i], b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-')
            {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

/// Replacement numbers: limits, specials and ordinary values.
fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("0".to_string()),
        Just("-0".to_string()),
        Just("-1".to_string()),
        Just("1e999".to_string()),
        Just("-1e999".to_string()),
        Just("1e308".to_string()),
        Just("-1e308".to_string()),
        Just("5e-324".to_string()),
        Just("1e15".to_string()),
        Just("18446744073709551616".to_string()),
        Just("NaN".to_string()),
        Just("\"1\"".to_string()),
        Just("null".to_string()),
        Just("[]".to_string()),
        any::<f64>().prop_map(|f| format!("{f:e}")),
        (-200i32..200).prop_map(|n| n.to_string()),
        (0.0f64..1.0).prop_map(|f| f.to_string()),
    ]
}

/// One edit of the embedded baseline.
#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the n-th number.
    Number(prop::sample::Index, String),
    /// Replace a run of consecutive numbers (a bin and its neighbours, a
    /// whole category) with one value.
    Run(prop::sample::Index, usize, String),
    /// Remove a range of characters.
    Delete(prop::sample::Index, usize),
    /// Insert text.
    Insert(prop::sample::Index, String),
    /// Rename the n-th quoted key or string.
    Rename(prop::sample::Index, String),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<prop::sample::Index>(), number_text()).prop_map(|(i, t)| Mutation::Number(i, t)),
        2 => (any::<prop::sample::Index>(), 2usize..16, number_text()).prop_map(|(i, n, t)| Mutation::Run(i, n, t)),
        1 => (any::<prop::sample::Index>(), 1usize..30).prop_map(|(i, n)| Mutation::Delete(i, n)),
        1 => (any::<prop::sample::Index>(), "[\\[\\]{},:\" 0-9a-z.-]{1,6}").prop_map(|(i, t)| Mutation::Insert(i, t)),
        1 => (any::<prop::sample::Index>(), "[A-Za-z_ ]{0,12}").prop_map(|(i, t)| Mutation::Rename(i, t)),
    ]
}

fn apply(text: &str, m: &Mutation) -> String {
    // Work on chars so that every cut lies on a char boundary.
    let chars: Vec<char> = text.chars().collect();
    let at = |i: &prop::sample::Index, len: usize| if len == 0 { 0 } else { i.index(len) };
    match m {
        Mutation::Number(i, t) => {
            let spans = numbers(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let (s, e) = spans[at(i, spans.len())];
            format!("{}{t}{}", &text[..s], &text[e..])
        }
        Mutation::Run(i, n, t) => {
            let spans = numbers(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let first = at(i, spans.len());
            let mut out = text.to_string();
            // Back to front, so earlier offsets stay valid.
            for &(s, e) in spans[first..(first + n).min(spans.len())].iter().rev() {
                out.replace_range(s..e, t);
            }
            out
        }
        Mutation::Delete(i, n) => {
            let p = at(i, chars.len());
            let end = (p + n).min(chars.len());
            chars[..p].iter().chain(&chars[end..]).collect()
        }
        Mutation::Insert(i, t) => {
            let p = at(i, chars.len() + 1);
            let mut s: String = chars[..p].iter().collect();
            s.push_str(t);
            s.extend(&chars[p..]);
            s
        }
        Mutation::Rename(i, t) => {
            let quotes: Vec<usize> = text.match_indices('"').map(|(p, _)| p).collect();
            let pairs = quotes.len() / 2;
            if pairs == 0 {
                return text.to_string();
            }
            let k = at(i, pairs);
            let (s, e) = (quotes[2 * k], quotes[2 * k + 1]);
            format!("{}\"{t}\"{}", &text[..s], &text[e + 1..])
        }
    }
}

#[test]
fn the_embedded_baseline_passes_the_checks() {
    check(EMBEDDED_BASELINE).unwrap();
    assert!(Baseline::from_json_str(EMBEDDED_BASELINE, ORIGIN).is_ok());
}

/// A former bug, found while writing these properties: a tenure range of
/// 10^15 months made the calibration walk every month (practically
/// forever).
#[test]
fn a_tenure_range_beyond_a_century_is_refused() {
    let text = r#"{"tenure_months": {"min": 0, "max": 1e15, "bins": [[0, 1e15]], "probs": [1]}}"#;
    let e = Baseline::from_json_str(text, ORIGIN)
        .unwrap_err()
        .to_string();
    assert!(e.contains("tenure_months.max"), "{e}");
}

/// A former bug, which the normalisation check of the mutation property
/// finds: weights of 1e308 sum to infinity, so every normalised weight was 0
/// and the last category always drawn, even with weight 0.
#[test]
fn weights_whose_sum_overflows_are_refused() {
    let text = r#"{"Contract": {"Month-to-month": 1e308, "One year": 1e308, "Two year": 0}}"#;
    let e = Baseline::from_json_str(text, ORIGIN)
        .unwrap_err()
        .to_string();
    assert!(e.contains("Contract") && e.contains("finite sum"), "{e}");
}

/// A former bug, found while writing these properties: coefficients near the
/// largest float made the logit inf − inf, so churn risk scores were NaN.
#[test]
fn huge_coefficients_are_refused() {
    let text = r#"{"churn_model": {"noise_sd": 1e308}}"#;
    let e = Baseline::from_json_str(text, ORIGIN)
        .unwrap_err()
        .to_string();
    assert!(e.contains("churn_model.noise_sd"), "{e}");
    let text = r#"{"joint_model": {"churn_effects": {"PaperlessBilling": 1e308,
        "add_ons": [0, 0, 0, 0, 0], "MultipleLines": 0, "no_phone_service": 0}}}"#;
    let e = Baseline::from_json_str(text, ORIGIN)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("joint_model.churn_effects.PaperlessBilling"),
        "{e}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        check(&text)?;
    }

    #[test]
    fn json_shaped_text_never_panics(text in "[\\[\\]{},:\" 0-9a-zA-Z_.eE+-]{0,200}") {
        check(&text)?;
    }

    #[test]
    fn wrapped_arbitrary_payloads_never_panic(key in "[a-z]{0,3}", payload in "[\\[\\]{},:\" 0-9a-z.-]{0,60}") {
        check(&format!(r#"{{"registry": {{"customer_params": "a"}}, "sources": {{"{key}": {{"payload": {payload}}}}}}}"#))?;
    }
}

proptest! {
    // Each accepted case calibrates a churn model, so fewer cases.
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_baselines_never_panic(mutations in prop::collection::vec(mutation(), 1..4)) {
        let mut text = EMBEDDED_BASELINE.to_string();
        for m in &mutations {
            text = apply(&text, m);
        }
        check(&text)?;
    }
}
