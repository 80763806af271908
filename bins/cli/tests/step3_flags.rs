//! Step 3 on bad flags (README, *Errors and guarantees*), one test per case: exit code 2,
//! one line on stderr naming the flag, and the ledger, the outputs of an
//! earlier good run and the params mirror byte for byte as they were, even
//! with `--overwrite_base`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;

const STEP3: &str = env!("CARGO_BIN_EXE_inject_imei_anomalies");

fn refused(args: &[&str], needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let params = d.join("params");
    copy_ledger("master_account_ledger.csv", d);
    run_ok(
        STEP3,
        &[a("--out_dir"), a(d), a("--params_dir"), a(&params)],
    );
    assert!(params.join("master_account_ledger__anomalies.csv").exists());
    let before = snapshot(d);
    let mut full = vec![
        a("--out_dir"),
        a(d),
        a("--overwrite_base"),
        a("--params_dir"),
        a(&params),
    ];
    full.extend(args.iter().map(a));
    let output = run(STEP3, &full);
    assert_refused(&output, d, &before, needles);
    assert_eq!(output.status.code(), Some(2), "{args:?}");
}

macro_rules! bad_flag {
    ($($name:ident: $flag:literal $value:literal,)*) => {$(
        #[test]
        fn $name() {
            refused(&[$flag, $value], &[$flag]);
        }
    )*};
}

bad_flag! {
    p_mismatch_negative: "--p_mismatch" "-0.1",
    p_mismatch_above_one: "--p_mismatch" "1.01",
    p_mismatch_nan: "--p_mismatch" "NaN",
    p_mismatch_infinite: "--p_mismatch" "inf",
    p_mismatch_not_a_number: "--p_mismatch" "seven",
    p_mismatch_empty: "--p_mismatch" "",
    p_missing_negative: "--p_missing" "-1",
    p_missing_above_one: "--p_missing" "1.5",
    p_missing_nan: "--p_missing" "nan",
    p_missing_not_a_number: "--p_missing" "4%",
    seed_negative: "--seed" "-1",
    seed_not_a_number: "--seed" "abc",
    seed_fractional: "--seed" "1.5",
    seed_beyond_64_bits: "--seed" "18446744073709551616",
    within_customer_only_not_a_boolean: "--within_customer_only" "sometimes",
    format_unknown: "--format" "xlsx",
}

#[test]
fn a_value_missing_after_the_last_flag() {
    refused(&["--seed"], &["--seed"]);
}

#[test]
fn an_output_folder_under_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_ledger("master_account_ledger.csv", d);
    std::fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        STEP3,
        &[
            a("--in_dir"),
            a(d),
            a("--out_dir"),
            a(d.join("taken").join("out")),
            a("--no_params_mirror"),
        ],
    );
    assert_refused(&output, d, &before, &["--out_dir", "taken", "is a file"]);
}
