//! A step refuses an input that is already its own output: step 3 a ledger
//! whose `imei_anomaly_type` holds a label (injecting again with the same
//! seed swaps pairs back and drops labels), step 4 a ledger that already
//! has `billing_agreement_type`. Each refusal is one line naming the file,
//! line and column and what to run instead, with every output unchanged.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::path::Path;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

fn steps_1_and_2(dir: &Path) -> String {
    let out = dir.display().to_string();
    run_ok(
        step_binary("generate_customers"),
        &["--quiet", "--n_customers", "400", "--out_dir", &out],
    );
    run_ok(
        step_binary("build_master_account_ledger"),
        &["--quiet", "--no_params_mirror", "--out_dir", &out],
    );
    out
}

fn refused_unchanged(exe: &str, args: &[&str], dir: &Path, needles: &[&str]) {
    let before = snapshot(dir);
    let output = run(exe, args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{stderr:?} does not name {needle:?}"
        );
    }
    assert!(before == snapshot(dir), "a refused run changed the folder");
}

#[test]
fn step_3_twice_on_the_base_ledger_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = steps_1_and_2(dir.path());
    let inject = step_binary("inject_imei_anomalies");
    let args = [
        "--quiet",
        "--no_params_mirror",
        "--overwrite_base",
        "--out_dir",
        &out,
    ];
    run_ok(inject, &args);
    refused_unchanged(
        inject,
        &args,
        dir.path(),
        &[
            "master_account_ledger.csv:",
            "imei_anomaly_type",
            "already carries injected defects",
            "--overwrite_base",
        ],
    );
}

#[test]
fn step_4_twice_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = steps_1_and_2(dir.path());
    let fix = step_binary("fix_ledger_contract_proxy");
    let args = ["--quiet", "--no_params_mirror", "--out_dir", &out];
    run_ok(fix, &args);
    refused_unchanged(
        fix,
        &args,
        dir.path(),
        &[
            "master_account_ledger.csv:1",
            "billing_agreement_type",
            "step 4 has run",
            "pre_contract_fix",
        ],
    );
}

#[test]
fn step_3_on_the_final_ledger_of_run_all_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().display().to_string();
    run_ok(
        RUN_ALL,
        &[
            "--quiet",
            "--n_customers",
            "400",
            "--no_params_mirror",
            "--out_dir",
            &out,
        ],
    );
    refused_unchanged(
        step_binary("inject_imei_anomalies"),
        &["--quiet", "--no_params_mirror", "--out_dir", &out],
        dir.path(),
        &["master_account_ledger.csv:1", "billing_agreement_type"],
    );
}

/// Step 3 without --overwrite_base leaves the base ledger clean, so running
/// it again on that ledger is allowed and gives the same files.
#[test]
fn step_3_without_overwrite_base_can_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = steps_1_and_2(dir.path());
    let inject = step_binary("inject_imei_anomalies");
    let args = ["--quiet", "--no_params_mirror", "--out_dir", &out];
    run_ok(inject, &args);
    let first = snapshot(dir.path());
    run_ok(inject, &args);
    assert!(
        first == snapshot(dir.path()),
        "a second clean run changed the files"
    );
}
