//! Steps 2, 3 and 4 chained on the hand-made step-1 tables of
//! `fixtures/small`, in one folder as a user runs them, compared after each
//! step with the files written by hand in `fixtures/small/expected` (see its
//! README for why every result is deterministic).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::ffi::OsString;
use std::path::Path;

const LEDGER: &str = "master_account_ledger.csv";
const ANOMALIES: &str = "master_account_ledger__anomalies.csv";
const EXAMPLES: &str = "imei_anomaly_examples.csv";
const BACKUP: &str = "master_account_ledger__pre_contract_fix.csv";

fn step(name: &str, dir: &Path, extra: &[&str]) {
    let mut args: Vec<OsString> = vec![a("--out_dir"), a(dir), a("--no_params_mirror")];
    args.extend(extra.iter().map(a));
    run_ok(step_binary(name), &args);
}

/// Runs the chain with the step-3 flags `p`, checking each step's output.
fn chain(p: &[&str], anomalies: &str, examples: &str) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_step1(d);
    let inputs = snapshot(d);

    step("build_master_account_ledger", d, &[]);
    assert_eq!(read(&d.join(LEDGER)), expected(LEDGER), "step 2");

    let mut flags = p.to_vec();
    flags.push("--overwrite_base");
    step("inject_imei_anomalies", d, &flags);
    assert_eq!(read(&d.join(ANOMALIES)), expected(anomalies), "step 3");
    assert_eq!(
        read(&d.join(EXAMPLES)),
        expected(examples),
        "step 3 examples"
    );
    assert_eq!(
        read(&d.join(LEDGER)),
        expected(anomalies),
        "--overwrite_base"
    );

    step("fix_ledger_contract_proxy", d, &[]);
    assert_eq!(read(&d.join(LEDGER)), with_billing(anomalies), "step 4");
    assert_eq!(read(&d.join(BACKUP)), expected(anomalies), "step-4 backup");
    assert_eq!(
        read(&d.join(ANOMALIES)),
        expected(anomalies),
        "step 4 touched the anomaly ledger"
    );

    let after = snapshot(d);
    for (name, bytes) in &inputs {
        assert!(after[name] == *bytes, "the chain changed its input {name}");
    }
}

#[test]
fn chain_with_every_eligible_row_swapped() {
    chain(
        &["--p_mismatch", "1", "--p_missing", "0"],
        "master_account_ledger__anomalies__swap.csv",
        "imei_anomaly_examples__swap.csv",
    );
}

#[test]
fn chain_with_every_usage_imei_blanked() {
    chain(
        &["--p_mismatch", "0", "--p_missing", "1"],
        "master_account_ledger__anomalies__missing.csv",
        "imei_anomaly_examples__missing.csv",
    );
}
