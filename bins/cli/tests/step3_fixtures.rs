//! Step 3 on the hand-made step-2 ledger of `fixtures/small/expected`, with
//! probabilities that make the result deterministic (README, *Step 3* and the
//! per-row rule of `crates/anomalies`):
//!
//! * `--p_mismatch 1 --p_missing 0`: every eligible row is chosen; a
//!   customer with exactly two eligible rows swaps them (C0000004), a single
//!   line has no partner (C0000003), and C0000005's three eligible rows give
//!   one forced pair because LINE-7 already uses LINE-6's IMEI.
//! * `--p_mismatch 0 --p_missing 1`: the pools are E_a = 7 and E_n = 3, so
//!   both blanking probabilities are 1 and every row with a usage IMEI loses it.
//!
//! Expected files were written by hand (see `fixtures/small/README.md`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::ffi::OsString;
use std::fs;
use std::path::Path;

const STEP3: &str = env!("CARGO_BIN_EXE_inject_imei_anomalies");
const LEDGER: &str = "master_account_ledger.csv";
const ANOMALIES: &str = "master_account_ledger__anomalies.csv";
const EXAMPLES: &str = "imei_anomaly_examples.csv";
const MANIFEST: &str = "anomaly_manifest.csv";
const RECEIPT: &str = "imei_anomaly_injection_receipt.json";

/// Runs step 3 in `dir` (input and output) without the params mirror.
fn step3(dir: &Path, extra: &[&str]) {
    let mut args: Vec<OsString> = vec![a("--out_dir"), a(dir), a("--no_params_mirror")];
    args.extend(extra.iter().map(a));
    run_ok(STEP3, &args);
}

/// A folder holding the hand-written step-2 ledger.
fn with_ledger() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_ledger(LEDGER, dir.path());
    dir
}

fn receipt(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join(RECEIPT))).unwrap()
}

/// Checks the receipt's realised counts, in the order of `AnomalySummary`.
fn assert_realised(dir: &Path, expected: [u64; 10]) {
    let r = receipt(dir);
    let names = [
        "rows",
        "swap_eligible",
        "swaps_chosen",
        "swaps_without_partner",
        "missing_eligible_with_agreement",
        "missing_eligible_without_agreement",
        "imei_mismatch_swap",
        "missing_usage_imei_capture_failure",
        "missing_usage_imei_ghost_line",
        "example_rows",
    ];
    for (name, value) in names.iter().zip(expected) {
        assert_eq!(r["realised"][name].as_u64(), Some(value), "realised.{name}");
    }
}

#[test]
fn p_mismatch_1_swaps_exactly_the_expected_pairs() {
    let dir = with_ledger();
    let d = dir.path();
    step3(d, &["--p_mismatch", "1", "--p_missing", "0"]);
    assert_eq!(
        read(&d.join(ANOMALIES)),
        expected("master_account_ledger__anomalies__swap.csv")
    );
    assert_eq!(
        read(&d.join(EXAMPLES)),
        expected("imei_anomaly_examples__swap.csv")
    );
    // Without --overwrite_base the base ledger stays the step-2 ledger.
    assert_eq!(read(&d.join(LEDGER)), expected(LEDGER));
    // 6 eligible (LINE-2,3,4,6,7,8); chosen LINE-2 (no partner), LINE-3,
    // LINE-6, LINE-7 (no partner left); B's pools after A: LINE-1,2,7 with an
    // agreement, LINE-5,9,10 without.
    assert_realised(d, [11, 6, 4, 2, 3, 3, 4, 0, 0, 7]);
    let r = receipt(d);
    assert_eq!(r["parameters"]["p_mismatch"], 1.0);
    assert_eq!(r["parameters"]["p_missing"], 0.0);
    assert_eq!(r["parameters"]["seed"], 1337);
    assert_eq!(r["parameters"]["overwrite_base"], false);
    let files: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(files, vec![ANOMALIES, EXAMPLES, MANIFEST]);
    for f in r["files"].as_array().unwrap() {
        let len = fs::metadata(d.join(f["path"].as_str().unwrap()))
            .unwrap()
            .len();
        assert_eq!(f["bytes"].as_u64(), Some(len));
    }
}

#[test]
fn the_forced_swaps_do_not_depend_on_the_seed() {
    for seed in ["0", "7", "18446744073709551615"] {
        let dir = with_ledger();
        step3(
            dir.path(),
            &["--seed", seed, "--p_mismatch", "1", "--p_missing", "0"],
        );
        assert_eq!(
            read(&dir.path().join(ANOMALIES)),
            expected("master_account_ledger__anomalies__swap.csv"),
            "seed {seed}"
        );
        assert_eq!(receipt(dir.path())["parameters"]["seed"].to_string(), seed);
    }
}

#[test]
fn p_missing_1_blanks_every_usage_imei() {
    let dir = with_ledger();
    let d = dir.path();
    step3(d, &["--p_mismatch", "0", "--p_missing", "1"]);
    assert_eq!(
        read(&d.join(ANOMALIES)),
        expected("master_account_ledger__anomalies__missing.csv")
    );
    assert_eq!(
        read(&d.join(EXAMPLES)),
        expected("imei_anomaly_examples__missing.csv")
    );
    assert_realised(d, [11, 6, 0, 0, 7, 3, 0, 7, 3, 11]);
}

#[test]
fn p_missing_1_is_deterministic_for_any_seed() {
    for seed in ["1", "99"] {
        let dir = with_ledger();
        step3(
            dir.path(),
            &["--seed", seed, "--p_mismatch", "0", "--p_missing", "1"],
        );
        assert_eq!(
            read(&dir.path().join(ANOMALIES)),
            expected("master_account_ledger__anomalies__missing.csv"),
            "seed {seed}"
        );
    }
}

#[test]
fn no_injection_still_recomputes_the_flags_with_the_step3_rule() {
    // With both probabilities 0 nothing changes but the friction flag:
    // step 3's rule drops "5G on company-owned equipment" (LINE-1 → 0) and
    // adds "eip mismatch" (LINE-2 → 1); every label is empty.
    let dir = with_ledger();
    let d = dir.path();
    step3(d, &["--p_mismatch", "0", "--p_missing", "0"]);
    let step2 = expected(LEDGER);
    let mut want = String::new();
    let header = step2.lines().next().unwrap();
    let (line_id, friction) = (
        position(header, "line_id"),
        position(header, "upstream_friction_risk_flag"),
    );
    for (i, line) in step2.lines().enumerate() {
        let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
        match fields[line_id].as_str() {
            "LINE-000000001" => fields[friction] = "0".into(),
            "LINE-000000002" => fields[friction] = "1".into(),
            _ => {}
        }
        fields.push(if i == 0 { "imei_anomaly_type" } else { "" }.into());
        want.push_str(&fields.join(","));
        want.push('\n');
    }
    assert_eq!(read(&d.join(ANOMALIES)), want);
    assert_realised(d, [11, 6, 0, 0, 7, 3, 0, 0, 0, 3]);
}

#[test]
fn overwrite_base_replaces_the_ledger_with_the_anomaly_ledger() {
    let dir = with_ledger();
    let d = dir.path();
    step3(
        d,
        &["--p_mismatch", "1", "--p_missing", "0", "--overwrite_base"],
    );
    let want = expected("master_account_ledger__anomalies__swap.csv");
    assert_eq!(read(&d.join(ANOMALIES)), want);
    assert_eq!(read(&d.join(LEDGER)), want);
    let r = receipt(d);
    assert_eq!(r["parameters"]["overwrite_base"], true);
    let mut files: Vec<&str> = r["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    files.sort_unstable();
    assert_eq!(files, vec![MANIFEST, EXAMPLES, LEDGER, ANOMALIES]);
}

#[test]
fn in_dir_is_left_alone_and_the_mirror_matches_out_dir() {
    let input = with_ledger();
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("out");
    let params = out.path().join("params");
    let before = snapshot(input.path());
    run_ok(
        STEP3,
        &[
            a("--in_dir"),
            a(input.path()),
            a("--out_dir"),
            a(&o),
            a("--params_dir"),
            a(&params),
            a("--p_mismatch"),
            a("1"),
            a("--p_missing"),
            a("0"),
            a("--overwrite_base"),
        ],
    );
    assert_eq!(snapshot(input.path()), before);
    let mut written = snapshot(&o);
    assert_eq!(
        written.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![MANIFEST, PACKAGE, EXAMPLES, RECEIPT, LEDGER, ANOMALIES]
    );
    written.remove(PACKAGE);
    assert_eq!(snapshot(&params), written);
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_are_accepted() {
    let dir = with_ledger();
    let d = dir.path();
    to_crlf(&d.join(LEDGER));
    add_bom(&d.join(LEDGER));
    step3(d, &["--p_mismatch", "1", "--p_missing", "0"]);
    assert_eq!(
        read(&d.join(ANOMALIES)),
        expected("master_account_ledger__anomalies__swap.csv")
    );
}

#[test]
fn a_header_only_ledger_gives_header_only_outputs() {
    let dir = with_ledger();
    let d = dir.path();
    header_only(&d.join(LEDGER));
    step3(d, &[]);
    let anomalies = expected("master_account_ledger__anomalies__swap.csv");
    assert_eq!(
        read(&d.join(ANOMALIES)),
        anomalies.lines().next().unwrap().to_owned() + "\n"
    );
    let examples = expected("imei_anomaly_examples__swap.csv");
    assert_eq!(
        read(&d.join(EXAMPLES)),
        examples.lines().next().unwrap().to_owned() + "\n"
    );
    assert_realised(d, [0; 10]);
}

#[test]
fn a_labelled_ledger_is_refused() {
    // Step 3 on its own output: a ledger whose imei_anomaly_type holds a
    // label already carries defects; injecting again would undo some and
    // the manifest would no longer reconcile. Refused, nothing written.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger("master_account_ledger__anomalies__swap.csv", d);
    let before = fs::read(d.join(LEDGER)).unwrap();
    let output = std::process::Command::new(STEP3)
        .args([
            "--quiet",
            "--no_params_mirror",
            "--p_mismatch",
            "0",
            "--p_missing",
            "0",
        ])
        .arg("--out_dir")
        .arg(d)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("imei_anomaly_type is \"imei_mismatch_swap\"")
            && stderr.contains(".csv:4:"),
        "{stderr}"
    );
    assert_eq!(fs::read(d.join(LEDGER)).unwrap(), before);
    assert!(!d.join(ANOMALIES).exists() && !d.join(MANIFEST).exists());
}
