//! Step 4 on bad ledgers and folders that `bad_input.rs` does not cover
//! (README, *Errors and guarantees*): each case exits non-zero with one line on stderr
//! naming the file (and line or column), writes no backup and leaves every
//! file of the folder byte for byte as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::fs;
use std::path::Path;

const STEP4: &str = env!("CARGO_BIN_EXE_fix_ledger_contract_proxy");
const LEDGER: &str = "master_account_ledger.csv";
const BACKUP: &str = "master_account_ledger__pre_contract_fix.csv";
const INPUT: &str = "master_account_ledger__anomalies__swap.csv";

/// The hand-written anomaly ledger and the backup of an earlier run in a
/// folder; `corrupt` spoils the ledger and returns the texts the error must
/// hold.
fn refused(corrupt: impl FnOnce(&Path) -> Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(INPUT, d);
    fs::write(d.join(BACKUP), "backup of an earlier run\n").unwrap();
    let needles = corrupt(&d.join(LEDGER));
    let before = snapshot(d);
    let output = run(STEP4, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    assert_refused(&output, d, &before, &needles);
}

#[test]
fn extra_column() {
    refused(|ledger| {
        edit_fields(ledger, |line, fields| {
            fields.push(if line == 1 { "region" } else { "west" }.into());
        });
        vec![at(ledger, 1), "region".into()]
    });
}

#[test]
fn a_repeated_column() {
    refused(|ledger| {
        edit_cells(ledger, |line, cells| {
            let copy = cells["eip_exists_flag"].clone();
            cells.values.push(if line == 1 { copy } else { "1".into() });
        });
        vec![at(ledger, 1), "eip_exists_flag".into()]
    });
}

#[test]
fn text_where_tenure_months_belongs() {
    refused(|ledger| {
        edit_line(ledger, 3, ",40,55.75,", ",forty,55.75,");
        vec![at(ledger, 3), "tenure_months".into(), "forty".into()]
    });
}

#[test]
fn invalid_utf8() {
    refused(|ledger| {
        let mut bytes = fs::read(ledger).unwrap();
        let second_line = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
        bytes[second_line] = 0xff;
        fs::write(ledger, bytes).unwrap();
        vec![at(ledger, 2)]
    });
}

#[test]
fn a_ledger_that_is_a_folder() {
    refused(|ledger| {
        fs::remove_file(ledger).unwrap();
        fs::create_dir(ledger).unwrap();
        vec![ledger.display().to_string()]
    });
}

#[test]
fn an_output_folder_under_a_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(INPUT, d);
    fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        STEP4,
        &[
            a("--in_dir"),
            a(d),
            a("--out_dir"),
            a(d.join("taken").join("out")),
            a("--no_params_mirror"),
        ],
    );
    assert_refused(&output, d, &before, &["--out_dir", "taken", "is a file"]);
    assert_eq!(output.status.code(), Some(2));
}
