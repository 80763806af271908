//! Step 4 on the hand-written ledgers of `fixtures/small/expected`: the
//! output is the input with `billing_agreement_type` (README, *`master_account_ledger.csv`* (`billing_agreement_type`)) in
//! `contract_proxy`'s place, valued as `expected/billing_agreement_type.csv`
//! says per line; the backup is the input byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::fs;
use std::path::Path;

const STEP4: &str = env!("CARGO_BIN_EXE_fix_ledger_contract_proxy");
const LEDGER: &str = "master_account_ledger.csv";
const BACKUP: &str = "master_account_ledger__pre_contract_fix.csv";

fn step4(dir: &Path) -> String {
    let output = run_ok(STEP4, &[a("--out_dir"), a(dir), a("--no_params_mirror")]);
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_swap_ledger_gets_the_expected_billing_types() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = "master_account_ledger__anomalies__swap.csv";
    copy_ledger(input, d);
    let stdout = step4(d);
    assert_eq!(read(&d.join(LEDGER)), with_billing(input));
    assert_eq!(read(&d.join(BACKUP)), expected(input));
    assert_eq!(
        snapshot(d).keys().map(String::as_str).collect::<Vec<_>>(),
        vec![PACKAGE, LEDGER, BACKUP]
    );
    // The before/after value counts.
    let pairs: Vec<Vec<&str>> = stdout
        .lines()
        .map(|l| l.rsplitn(2, char::is_whitespace).collect())
        .collect();
    let count = |value: &str| -> Vec<&str> {
        pairs
            .iter()
            .filter(|p| p.len() == 2 && p[1].trim() == value)
            .map(|p| p[0])
            .collect()
    };
    assert!(
        stdout.contains("Before:") && stdout.contains("After:"),
        "{stdout}"
    );
    assert_eq!(count("Month-to-month"), vec!["6", "4"], "{stdout}");
    assert_eq!(count("One year"), vec!["3"], "{stdout}");
    assert_eq!(count("Two year"), vec!["2"], "{stdout}");
    assert_eq!(count("EIP-24mo"), vec!["3"], "{stdout}");
    assert_eq!(count("EIP-30mo"), vec!["2"], "{stdout}");
    assert_eq!(count("EIP-36mo"), vec!["2"], "{stdout}");
}

#[test]
fn the_step2_ledger_gets_the_same_billing_types() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(LEDGER, d);
    step4(d);
    assert_eq!(read(&d.join(LEDGER)), with_billing(LEDGER));
    assert_eq!(read(&d.join(BACKUP)), expected(LEDGER));
}

#[test]
fn the_missing_ledger_keeps_its_labels() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = "master_account_ledger__anomalies__missing.csv";
    copy_ledger(input, d);
    step4(d);
    assert_eq!(read(&d.join(LEDGER)), with_billing(input));
}

#[test]
fn an_earlier_backup_is_replaced_by_the_current_input() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(LEDGER, d);
    fs::write(d.join(BACKUP), "stale\n").unwrap();
    step4(d);
    assert_eq!(read(&d.join(BACKUP)), expected(LEDGER));
}

#[test]
fn in_dir_is_left_alone_and_only_the_ledger_is_mirrored() {
    let input = tempfile::tempdir().unwrap();
    copy_ledger("master_account_ledger__anomalies__swap.csv", input.path());
    let before = snapshot(input.path());
    let out = tempfile::tempdir().unwrap();
    let o = out.path().join("out");
    let params = out.path().join("params");
    run_ok(
        STEP4,
        &[
            a("--in-dir"),
            a(input.path()),
            a("--out-dir"),
            a(&o),
            a("--params-dir"),
            a(&params),
        ],
    );
    assert_eq!(snapshot(input.path()), before);
    let written = snapshot(&o);
    assert_eq!(
        written.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![PACKAGE, LEDGER, BACKUP]
    );
    let mirrored = snapshot(&params);
    assert_eq!(
        mirrored.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![LEDGER]
    );
    assert_eq!(mirrored[LEDGER], written[LEDGER]);
}

#[test]
fn crlf_line_ends_and_a_byte_order_mark_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let input = "master_account_ledger__anomalies__swap.csv";
    copy_ledger(input, d);
    to_crlf(&d.join(LEDGER));
    add_bom(&d.join(LEDGER));
    let original = fs::read(d.join(LEDGER)).unwrap();
    step4(d);
    assert_eq!(read(&d.join(LEDGER)), with_billing(input));
    assert_eq!(fs::read(d.join(BACKUP)).unwrap(), original);
}

#[test]
fn a_header_only_ledger_gives_a_header_only_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger("master_account_ledger__anomalies__swap.csv", d);
    header_only(&d.join(LEDGER));
    step4(d);
    let header = with_billing("master_account_ledger__anomalies__swap.csv")
        .lines()
        .next()
        .unwrap()
        .to_owned()
        + "\n";
    assert_eq!(read(&d.join(LEDGER)), header);
}
