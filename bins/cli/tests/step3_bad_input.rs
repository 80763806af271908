//! Step 3 on bad ledgers (README, *Errors and guarantees*): each case exits non-zero with
//! one line on stderr naming the file (with `file:line:` where a row is at
//! fault, or the column), and leaves every file of the folder — the ledger,
//! and the outputs of an earlier good run — byte for byte as it was, even
//! with `--overwrite_base`, and mirrors nothing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::fs;
use std::path::{Path, PathBuf};

const STEP3: &str = env!("CARGO_BIN_EXE_inject_imei_anomalies");
const LEDGER: &str = "master_account_ledger.csv";

/// A folder with the hand-written step-2 ledger and the outputs of one good
/// step-3 run; `corrupt` spoils the ledger and returns the texts the error
/// must hold.
fn refused(corrupt: impl FnOnce(&Path, &Path) -> Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(LEDGER, d);
    run_ok(STEP3, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    assert!(d.join("master_account_ledger__anomalies.csv").exists());
    let ledger: PathBuf = d.join(LEDGER);
    let needles = corrupt(d, &ledger);
    let before = snapshot(d);
    let params = d.join("params");
    let output = run(
        STEP3,
        &[
            a("--out_dir"),
            a(d),
            a("--overwrite_base"),
            a("--params_dir"),
            a(&params),
        ],
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
    refused(|_, ledger| {
        fs::remove_file(ledger).unwrap();
        vec![name(ledger), "cannot read".into()]
    });
}

#[test]
fn empty_ledger() {
    refused(|_, ledger| {
        fs::write(ledger, "").unwrap();
        vec![name(ledger), "empty".into()]
    });
}

#[test]
fn missing_column() {
    refused(|_, ledger| {
        drop_column(ledger, "usage_imei");
        vec![at(ledger, 1), "usage_imei".into()]
    });
}

#[test]
fn missing_contract_proxy() {
    refused(|_, ledger| {
        drop_column(ledger, "contract_proxy");
        vec![at(ledger, 1), "contract_proxy".into()]
    });
}

#[test]
fn extra_column() {
    refused(|_, ledger| {
        edit_fields(ledger, |line, fields| {
            fields.push(if line == 1 { "note" } else { "" }.into());
        });
        vec![at(ledger, 1), "note".into()]
    });
}

#[test]
fn wrong_field_count() {
    refused(|_, ledger| {
        edit_line(ledger, 3, ",voice,active,", ",voice,active,x,");
        vec![at(ledger, 3), "field".into()]
    });
}

#[test]
fn text_where_tenure_months_belongs() {
    refused(|_, ledger| {
        edit_line(ledger, 3, ",40,55.75,", ",abc,55.75,");
        vec![at(ledger, 3), "tenure_months".into(), "abc".into()]
    });
}

#[test]
fn a_flag_that_is_not_0_or_1() {
    refused(|_, ledger| {
        edit_cells(ledger, |line, cells| {
            if line == 4 {
                assert_eq!(cells["imei_mismatch_flag"], "0");
                cells["imei_mismatch_flag"] = "2".into();
            }
        });
        vec![at(ledger, 4), "imei_mismatch_flag".into()]
    });
}

#[test]
fn an_imei_that_is_not_15_digits() {
    refused(|_, ledger| {
        edit_line(
            ledger,
            3,
            "352099001761481,352099001761481,1",
            "352099001761481,35209900176148,1",
        );
        vec![at(ledger, 3), "usage_imei".into(), "35209900176148".into()]
    });
}

#[test]
fn an_imei_written_as_a_float() {
    // The original's defect 1: an IMEI read back as `….0`.
    refused(|_, ledger| {
        edit_line(
            ledger,
            3,
            "EIP-0000000002,352099001761481,",
            "EIP-0000000002,352099001761481.0,",
        );
        vec![at(ledger, 3), "eip_imei".into()]
    });
}

#[test]
fn an_imei_failing_luhn() {
    refused(|_, ledger| {
        edit_line(
            ledger,
            3,
            "EIP-0000000002,352099001761481,",
            "EIP-0000000002,352099001761482,",
        );
        vec![at(ledger, 3), "eip_imei".into(), "Luhn".into()]
    });
}

#[test]
fn duplicate_line_id() {
    refused(|_, ledger| {
        edit_line(ledger, 5, "LINE-000000004", "LINE-000000003");
        vec![at(ledger, 5), "LINE-000000003".into()]
    });
}

#[test]
fn customers_out_of_order() {
    refused(|_, ledger| {
        edit_line(ledger, 2, "C0000002,A0000002", "C0000008,A0000008");
        vec![at(ledger, 3), "C0000008".into()]
    });
}

#[test]
fn agreement_columns_on_a_line_without_agreement() {
    refused(|_, ledger| {
        edit_cells(ledger, |line, cells| {
            if line == 6 {
                assert_eq!(cells["line_id"], "LINE-000000005");
                assert_eq!(cells["installment_months"], "");
                cells["installment_months"] = "24".into();
            }
        });
        vec![at(ledger, 6), "installment_months".into()]
    });
}

#[test]
fn an_unknown_anomaly_label() {
    refused(|_, ledger| {
        edit_fields(ledger, |line, fields| {
            fields.push(
                match line {
                    1 => "imei_anomaly_type",
                    3 => "sim_swap",
                    _ => "",
                }
                .into(),
            );
        });
        vec![at(ledger, 3), "sim_swap".into()]
    });
}

#[test]
fn an_output_folder_that_is_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(LEDGER, d);
    fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        STEP3,
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

#[test]
fn a_probability_outside_0_1() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger(LEDGER, d);
    for (flag, value) in [("--p_mismatch", "1.5"), ("--p_missing", "NaN")] {
        let before = snapshot(d);
        let output = run(
            STEP3,
            &[
                a("--out_dir"),
                a(d),
                a("--no_params_mirror"),
                a(flag),
                a(value),
            ],
        );
        assert_refused(&output, d, &before, &[flag]);
    }
}
