//! Step 4 on bad ledgers (README, *`master_account_ledger.csv`* (`billing_agreement_type`) and *Errors and guarantees*): each case exits non-zero
//! with one line on stderr naming the file (and `file:line:` where a row is
//! at fault, or the column), writes no backup and leaves every file of the
//! folder — including the backup of an earlier run — byte for byte as it was.

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

/// A folder with the hand-written anomaly ledger and the backup of an
/// earlier run; `corrupt` spoils the ledger and returns the texts the error
/// must hold.
fn refused(corrupt: impl FnOnce(&Path) -> Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(INPUT, d);
    fs::write(d.join(BACKUP), "backup of an earlier run\n").unwrap();
    let ledger = d.join(LEDGER);
    let needles = corrupt(&ledger);
    let before = snapshot(d);
    let params = d.join("params");
    let output = run(
        STEP4,
        &[a("--out_dir"), a(d), a("--params_dir"), a(&params)],
    );
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    assert_refused(&output, d, &before, &needles);
    assert!(!params.exists(), "a refused run mirrored files");
}

fn name(path: &Path) -> String {
    path.display().to_string()
}

#[test]
fn missing_ledger() {
    refused(|ledger| {
        fs::remove_file(ledger).unwrap();
        vec![name(ledger), "cannot read".into()]
    });
}

#[test]
fn empty_ledger() {
    refused(|ledger| {
        fs::write(ledger, "").unwrap();
        vec![name(ledger), "empty".into()]
    });
}

#[test]
fn a_ledger_without_contract_proxy() {
    refused(|ledger| {
        drop_column(ledger, "contract_proxy");
        vec![at(ledger, 1), "contract_proxy".into()]
    });
}

#[test]
fn running_twice_is_refused_and_keeps_the_first_backup() {
    // The second run reads a ledger whose contract_proxy is already gone.
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(INPUT, d);
    run_ok(STEP4, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    assert_eq!(read(&d.join(BACKUP)), expected(INPUT));
    let before = snapshot(d);
    let output = run(STEP4, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    assert_refused(
        &output,
        d,
        &before,
        &[&at(&d.join(LEDGER), 1), "contract_proxy"],
    );
}

#[test]
fn a_ledger_without_eip_exists_flag() {
    refused(|ledger| {
        drop_column(ledger, "eip_exists_flag");
        vec![at(ledger, 1), "eip_exists_flag".into()]
    });
}

#[test]
fn a_ledger_without_installment_months() {
    refused(|ledger| {
        drop_column(ledger, "installment_months");
        vec![at(ledger, 1), "installment_months".into()]
    });
}

/// Flips `eip_exists_flag` of LINE-2 (file line 3), which has a 24-month
/// agreement, to 0.
fn eip_row_without_flag(ledger: &Path) {
    edit_cells(ledger, |line, cells| {
        if line == 3 {
            assert_eq!(cells["line_id"], "LINE-000000002");
            assert_eq!(cells["eip_exists_flag"], "1");
            cells["eip_exists_flag"] = "0".into();
        }
    });
}

#[test]
fn an_eip_row_whose_eip_exists_flag_is_0() {
    refused(|ledger| {
        eip_row_without_flag(ledger);
        vec![
            name(ledger),
            "LINE-000000002".into(),
            "eip_exists_flag".into(),
        ]
    });
}

/// README, *Errors and guarantees* wants `file:line:` for a row at fault; step 4 prints
/// `file: ledger row 1: …` (a 0-based row index, not the file line 3).
#[test]
fn an_eip_row_whose_eip_exists_flag_is_0_names_its_line() {
    refused(|ledger| {
        eip_row_without_flag(ledger);
        vec![at(ledger, 3)]
    });
}

#[test]
fn text_where_installment_months_belong() {
    refused(|ledger| {
        edit_line(ledger, 3, ",voice,active,24,", ",voice,active,twelve,");
        vec![at(ledger, 3), "installment_months".into(), "twelve".into()]
    });
}

#[test]
fn a_zero_installment_agreement_that_is_not_a_number() {
    refused(|ledger| {
        edit_line(ledger, 2, ",active,0,5g", ",active,,5g");
        vec![at(ledger, 2), "installment_months".into()]
    });
}

#[test]
fn wrong_field_count() {
    refused(|ledger| {
        edit_line(ledger, 4, ",voice,active,", ",voice,active,x,");
        vec![at(ledger, 4), "field".into()]
    });
}

#[test]
fn an_imei_that_is_not_15_digits() {
    refused(|ledger| {
        edit_line(
            ledger,
            4,
            "867234020033186,358757051244716,",
            "867234020033186,3587570512447,",
        );
        vec![at(ledger, 4), "usage_imei".into()]
    });
}

#[test]
fn an_imei_failing_luhn() {
    refused(|ledger| {
        edit_line(
            ledger,
            4,
            "867234020033186,358757051244716,",
            "867234020033186,358757051244717,",
        );
        vec![at(ledger, 4), "usage_imei".into(), "Luhn".into()]
    });
}

#[test]
fn duplicate_line_id() {
    refused(|ledger| {
        edit_line(ledger, 4, "LINE-000000003", "LINE-000000002");
        vec![at(ledger, 4), "LINE-000000002".into()]
    });
}

#[test]
fn an_output_folder_that_is_a_file() {
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
            a(d.join("taken")),
            a("--no_params_mirror"),
        ],
    );
    assert_refused(&output, d, &before, &["taken"]);
}
