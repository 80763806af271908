//! Step 2 on the hand-made tables of `fixtures/small`: the ledger must equal
//! `fixtures/small/expected/master_account_ledger.csv` (written by hand
//! from README, *`master_account_ledger.csv`*) byte for byte.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::fs;
use std::path::Path;

const STEP2: &str = env!("CARGO_BIN_EXE_build_master_account_ledger");
const LEDGER: &str = "master_account_ledger.csv";
const RECEIPT: &str = "master_account_ledger_receipt.json";

fn step2(dir: &Path) {
    run_ok(STEP2, &[a("--out_dir"), a(dir), a("--no_params_mirror")]);
}

#[test]
fn the_ledger_of_the_fixture_is_the_hand_written_one() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    let inputs = snapshot(dir.path());
    step2(dir.path());
    assert_eq!(read(&dir.path().join(LEDGER)), expected(LEDGER));
    // Exactly the ledger and its receipt were added; the inputs are untouched.
    let after = snapshot(dir.path());
    let added: Vec<&str> = after
        .keys()
        .filter(|k| !inputs.contains_key(*k))
        .map(String::as_str)
        .collect();
    assert_eq!(added, vec![PACKAGE, LEDGER, RECEIPT]);
    for (name, bytes) in &inputs {
        assert!(after[name] == *bytes, "step 2 changed its input {name}");
    }
}

#[test]
fn the_receipt_counts_the_flags_and_hashes_the_ledger() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    step2(dir.path());
    let receipt: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join(RECEIPT))).unwrap();
    let counts = &receipt["row_counts"];
    // 11 lines; 8 agreements; LINE-7 (generation-time mismatch) the only IMEI
    // mismatch; LINE-11 (no usage row) the only missing usage IMEI; LINE-2 the
    // only eip mismatch; friction on LINE-1 (company-owned 5G), LINE-7, LINE-11.
    assert_eq!(counts["rows"], 11);
    assert_eq!(counts["eip_exists_flag"], 8);
    assert_eq!(counts["imei_mismatch_flag"], 1);
    assert_eq!(counts["missing_usage_imei_flag"], 1);
    assert_eq!(counts["eip_mismatch_flag"], 1);
    assert_eq!(counts["upstream_friction_risk_flag"], 3);
    let files = receipt["files"].as_array().unwrap();
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["path"], LEDGER);
    let bytes = fs::metadata(dir.path().join(LEDGER)).unwrap().len();
    assert_eq!(files[0]["bytes"].as_u64(), Some(bytes));
    assert_eq!(files[0]["sha256"].as_str().unwrap().len(), 64);
    assert!(!read(&dir.path().join(RECEIPT)).contains("time"));
}

#[test]
fn in_dir_and_out_dir_may_differ_and_the_mirror_gets_the_same_bytes() {
    let input = tempfile::tempdir().unwrap();
    let out = tempfile::tempdir().unwrap();
    let params = out.path().join("params/sources");
    copy_step1(input.path());
    let before = snapshot(input.path());
    run_ok(
        STEP2,
        &[
            a("--in-dir"),
            a(input.path()),
            a("--out-dir"),
            a(out.path().join("o")),
            a("--params-dir"),
            a(&params),
        ],
    );
    assert_eq!(snapshot(input.path()), before, "the input folder changed");
    let mut written = snapshot(&out.path().join("o"));
    assert_eq!(
        written.keys().map(String::as_str).collect::<Vec<_>>(),
        vec![PACKAGE, LEDGER, RECEIPT]
    );
    // The data dictionary describes the output folder; the mirror gets
    // the ledger files only.
    written.remove(PACKAGE);
    assert_eq!(String::from_utf8_lossy(&written[LEDGER]), expected(LEDGER));
    assert_eq!(snapshot(&params), written, "the mirror differs");
}

#[test]
fn no_params_mirror_writes_no_mirror() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    let params = dir.path().join("params");
    run_ok(
        STEP2,
        &[
            a("--out_dir"),
            a(dir.path()),
            a("--params_dir"),
            a(&params),
            a("--no_params_mirror"),
        ],
    );
    assert!(!params.exists());
}

#[test]
fn a_byte_order_mark_and_crlf_line_ends_are_accepted() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    for name in STEP1_INPUTS {
        to_crlf(&dir.path().join(name));
    }
    add_bom(&dir.path().join("customers.csv"));
    assert!(fs::read(dir.path().join("customers.csv"))
        .unwrap()
        .starts_with(b"\xef\xbb\xbfcustomer_id,"));
    step2(dir.path());
    assert_eq!(read(&dir.path().join(LEDGER)), expected(LEDGER));
}

#[test]
fn a_byte_order_mark_on_every_table_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    for name in STEP1_INPUTS {
        add_bom(&dir.path().join(name));
    }
    step2(dir.path());
    assert_eq!(read(&dir.path().join(LEDGER)), expected(LEDGER));
}

#[test]
fn header_only_tables_give_a_header_only_ledger() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    for name in STEP1_INPUTS {
        header_only(&dir.path().join(name));
    }
    step2(dir.path());
    let header = expected(LEDGER).lines().next().unwrap().to_owned() + "\n";
    assert_eq!(read(&dir.path().join(LEDGER)), header);
    let receipt: serde_json::Value =
        serde_json::from_str(&read(&dir.path().join(RECEIPT))).unwrap();
    assert_eq!(receipt["row_counts"]["rows"], 0);
}

#[test]
fn header_only_agreements_and_usage_leave_those_columns_empty() {
    let dir = tempfile::tempdir().unwrap();
    copy_step1(dir.path());
    header_only(&dir.path().join("eip_agreements.csv"));
    header_only(&dir.path().join("line_device_usage.csv"));
    step2(dir.path());
    let ledger = read(&dir.path().join(LEDGER));
    let mut lines = ledger.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|c| *c == name).unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 11);
    for row in &rows {
        for empty in [
            "agreement_number",
            "eip_imei",
            "usage_imei",
            "product_type_eip",
            "eip_status",
            "installment_months",
            "product_type_usage",
            "usage_snapshot_date",
            "imei_line_mismatch_flag",
            "usage_eip_agreement_number",
        ] {
            assert_eq!(row[col(empty)], "", "{empty} in {row:?}");
        }
        assert_eq!(row[col("eip_exists_flag")], "0");
        assert_eq!(row[col("imei_mismatch_flag")], "0");
        assert_eq!(row[col("missing_usage_imei_flag")], "1");
        assert_eq!(row[col("eip_mismatch_flag")], "0");
        assert_eq!(row[col("upstream_friction_risk_flag")], "1");
    }
}
