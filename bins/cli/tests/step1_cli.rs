//! End-to-end checks of the `generate_customers` binary: determinism and
//! bad input (README, *Scale and sharding* (determinism) and *Errors and guarantees*).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const FILES: &[&str] = &[
    "customers.csv",
    "customers_v1.csv",
    "lines.csv",
    "devices.csv",
    "eip_agreements.csv",
    "line_device_usage.csv",
    "customer_generation_receipt.json",
];

fn run(out_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generate_customers"))
        .arg("--out_dir")
        .arg(out_dir)
        .args(args)
        .output()
        .expect("the binary runs")
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap())
        .map(|e| {
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn same_flags_give_the_same_bytes_and_another_seed_does_not() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    assert!(run(a.path(), &["--n_customers", "500"]).status.success());
    assert!(run(b.path(), &["--n-customers", "500"]).status.success());
    assert!(run(c.path(), &["--n_customers", "500", "--seed", "7"])
        .status
        .success());
    let (sa, sb, sc) = (snapshot(a.path()), snapshot(b.path()), snapshot(c.path()));
    // The tables, the receipt and the data dictionary, which describes
    // the columns and so is the same for any seed.
    assert_eq!(sa.len(), FILES.len() + 1);
    assert_eq!(sa["datapackage.json"], sc["datapackage.json"]);
    assert_eq!(sa["datapackage.json"], sb["datapackage.json"]);
    for name in FILES {
        assert_eq!(
            sa[*name], sb[*name],
            "{name} differs between identical runs"
        );
        assert_ne!(sa[*name], sc[*name], "{name} does not depend on the seed");
    }
    assert_eq!(sa["customers.csv"], sa["customers_v1.csv"]);
}

#[test]
fn receipt_lists_every_file_with_size_and_hash() {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["--n_customers", "50", "--seed", "3"])
        .status
        .success());
    let receipt: serde_json::Value = serde_json::from_slice(
        &fs::read(dir.path().join("customer_generation_receipt.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(receipt["parameters"]["seed"], 3);
    assert_eq!(receipt["parameters"]["n_customers"], 50);
    assert_eq!(receipt["row_counts"]["customers"], 50);
    let files = receipt["files"].as_array().unwrap();
    assert_eq!(files.len(), FILES.len() - 1);
    for f in files {
        let path = dir.path().join(f["path"].as_str().unwrap());
        assert_eq!(
            f["bytes"].as_u64().unwrap(),
            fs::metadata(&path).unwrap().len()
        );
        assert_eq!(f["sha256"].as_str().unwrap().len(), 64);
    }
    let lines = fs::read_to_string(dir.path().join("lines.csv"))
        .unwrap()
        .lines()
        .count() as u64
        - 1;
    assert_eq!(receipt["row_counts"]["lines"].as_u64().unwrap(), lines);
}

/// Runs with bad flags into a folder holding a previous run, and checks the
/// exit code, the one-line error naming `needle`, and that nothing changed.
fn refused(args: &[&str], needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    assert!(run(dir.path(), &["--n_customers", "20"]).status.success());
    let before = snapshot(dir.path());
    let output = run(dir.path(), args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} was accepted");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{args:?}: not one line: {stderr}"
    );
    assert!(
        stderr.contains(needle),
        "{args:?}: {stderr:?} does not name {needle:?}"
    );
    assert_eq!(
        before,
        snapshot(dir.path()),
        "{args:?} changed the output folder"
    );
}

#[test]
fn bad_customer_counts_are_refused() {
    refused(&["--n_customers", "0"], "--n_customers");
    refused(&["--n_customers", "-5"], "--n_customers");
    refused(&["--n_customers", "ten"], "--n_customers");
    refused(&["--n_customers", "99999999999"], "TB");
}

#[test]
fn bad_probabilities_are_refused() {
    for flag in [
        "--month_to_month_plan_rate",
        "--p_inject_eip_usage_mismatch",
        "--p_voice_eip_attach_if_plan",
    ] {
        for value in ["-0.1", "1.5", "NaN", "abc", "inf"] {
            refused(&[flag, value], flag);
        }
    }
}

#[test]
fn bad_dates_seeds_and_formats_are_refused() {
    refused(
        &["--usage_snapshot_date", "2026-02-30"],
        "--usage_snapshot_date",
    );
    refused(
        &["--usage_snapshot_date", "26-2-22"],
        "--usage_snapshot_date",
    );
    refused(&["--seed", "-1"], "--seed");
    refused(&["--format", "xlsx"], "--format");
    refused(&["--no_such_flag"], "--no_such_flag");
}

fn refused_config(content: Option<&str>, needle: &str) {
    let cfg_dir = tempfile::tempdir().unwrap();
    let path = cfg_dir.path().join("baseline.json");
    if let Some(content) = content {
        fs::write(&path, content).unwrap();
    }
    let path_text = path.display().to_string();
    refused(&["--config", &path_text], needle);
    refused(&["--config", &path_text], "baseline.json");
}

#[test]
fn bad_config_files_are_refused() {
    refused_config(None, "No such file");
    refused_config(Some("{not json"), "baseline.json");
    refused_config(Some(r#"{"tenure_monthz": {}}"#), "tenure_monthz");
    refused_config(
        Some(r#"{"tenure_months": {"min": 0, "max": 72, "bins": [[12, 0]], "probs": [1]}}"#),
        "tenure_months.bins[0]",
    );
    refused_config(
        Some(r#"{"tenure_months": {"min": 0, "max": 72, "bins": [[0, 12, 24]], "probs": [1]}}"#),
        "tenure_months.bins[0]",
    );
    refused_config(
        Some(r#"{"PaymentMethod": {"Electronic check": -1, "Mailed check": 2}}"#),
        "PaymentMethod",
    );
    refused_config(
        Some(r#"{"Contract": {"Month-to-month": 0, "One year": 0}}"#),
        "sum to zero",
    );
    refused_config(Some(r#"{"PaymentMethod": {"Bitcoin": 1}}"#), "Bitcoin");
    refused_config(
        Some(r#"{"registry": {"customer_params": "x"}, "sources": {}}"#),
        "customer_params",
    );
}

#[test]
fn config_files_in_both_forms_are_accepted() {
    let cfg = tempfile::tempdir().unwrap();
    let bare = cfg.path().join("bare.json");
    let wrapped = cfg.path().join("wrapped.json");
    let payload = r#"{"PaymentMethod": {"Electronic check": 1}}"#;
    fs::write(&bare, payload).unwrap();
    fs::write(&wrapped, format!(r#"{{"registry": {{"customer_params": "p"}}, "sources": {{"p": {{"payload": {payload}}}}}}}"#)).unwrap();
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    assert!(run(
        a.path(),
        &["--n_customers", "30", "--config", bare.to_str().unwrap()]
    )
    .status
    .success());
    assert!(run(
        b.path(),
        &["--n_customers", "30", "--config", wrapped.to_str().unwrap()]
    )
    .status
    .success());
    let customers = fs::read(a.path().join("customers.csv")).unwrap();
    assert_eq!(customers, fs::read(b.path().join("customers.csv")).unwrap());
    let text = String::from_utf8(customers).unwrap();
    assert!(text
        .lines()
        .skip(1)
        .all(|l| l.contains(",Electronic check,")));
}

#[test]
fn an_output_folder_that_is_a_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    fs::write(&file, "x").unwrap();
    let output = run(&file, &["--n_customers", "5"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("taken") && stderr.contains("not a folder"),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "x");
}
