//! `run_all` on bad flags and bad `--config` files (README, *Errors and guarantees*), one
//! test per case: exit code 2 for a flag and 1 for a config file, one line
//! on stderr naming the flag (or the file and the field), and every file of
//! an earlier run — in the output folder and in the params mirror — byte
//! for byte as it was. Flags are refused before any work: a folder that did
//! not exist is not even created.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::fs;
use std::path::Path;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

/// A folder holding the outputs (`out/`) and the mirror (`params/`) of a
/// small good run, then a run with `args` into both, which must be refused
/// with `code` and a line holding every needle. Returns the stderr.
fn refused_with(code: i32, args: &[&str], needles: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (out, params) = (d.join("out"), d.join("params"));
    run_ok(
        RUN_ALL,
        &[
            a("--n_customers"),
            a("20"),
            a("--out_dir"),
            a(&out),
            a("--params_dir"),
            a(&params),
        ],
    );
    assert!(params.join("master_account_ledger.csv").exists());
    let before = snapshot(d);
    let mut full = vec![a("--out_dir"), a(&out), a("--params_dir"), a(&params)];
    full.extend(args.iter().map(a));
    let output = run(RUN_ALL, &full);
    assert_refused(&output, d, &before, needles);
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert_eq!(output.status.code(), Some(code), "{args:?}: {stderr}");

    // The same run into folders that do not exist creates neither.
    let (fresh_out, fresh_params) = (d.join("fresh_out"), d.join("fresh_params"));
    let mut fresh = vec![
        a("--out_dir"),
        a(&fresh_out),
        a("--params_dir"),
        a(&fresh_params),
    ];
    fresh.extend(args.iter().map(a));
    let output = run(RUN_ALL, &fresh);
    assert_eq!(output.status.code(), Some(code), "{args:?}");
    assert!(!fresh_out.exists() && !fresh_params.exists(), "{args:?}");
    stderr
}

/// A refused flag: exit code 2, the flag named.
fn refused(args: &[&str], needles: &[&str]) {
    refused_with(2, args, needles);
}

/// A refused config file holding `content` (none: the file does not exist):
/// exit code 1, the file and every needle named.
fn refused_config(content: Option<&str>, needles: &[&str]) {
    let cfg = tempfile::tempdir().unwrap();
    let path = cfg.path().join("baseline.json");
    if let Some(content) = content {
        fs::write(&path, content).unwrap();
    }
    let path_text = path.display().to_string();
    let mut all = vec![path_text.as_str()];
    all.extend_from_slice(needles);
    refused_with(1, &["--config", &path_text], &all);
}

// --n_customers

#[test]
fn n_customers_zero() {
    refused(&["--n_customers", "0"], &["--n_customers", "at least 1"]);
}

#[test]
fn n_customers_negative() {
    refused(&["--n_customers", "-5"], &["--n_customers", "-5"]);
}

#[test]
fn n_customers_not_a_number() {
    refused(&["--n_customers", "ten"], &["--n_customers", "ten"]);
}

#[test]
fn n_customers_in_exponent_notation() {
    refused(&["--n_customers", "1e4"], &["--n_customers", "1e4"]);
}

#[test]
fn n_customers_empty() {
    refused(&["--n_customers", ""], &["--n_customers"]);
}

#[test]
fn n_customers_absurdly_large_names_the_output_size() {
    let stderr = refused_with(2, &["--n_customers", "99999999999"], &["--n_customers"]);
    assert!(stderr.contains("about 240 TB"), "{stderr}");
}

#[test]
fn n_customers_beyond_64_bits_names_the_output_size() {
    let stderr = refused_with(
        2,
        &["--n_customers", "100000000000000000000000"],
        &["--n_customers"],
    );
    assert!(stderr.contains("TB"), "{stderr}");
}

// Every probability flag: below 0, above 1, NaN, infinite, not a number.

macro_rules! bad_probability {
    ($($name:ident: $flag:literal $value:literal,)*) => {$(
        #[test]
        fn $name() {
            refused(&[$flag, $value], &[$flag, $value]);
        }
    )*};
}

bad_probability! {
    month_to_month_plan_rate_negative: "--month_to_month_plan_rate" "-0.1",
    month_to_month_plan_rate_above_one: "--month_to_month_plan_rate" "1.5",
    month_to_month_plan_rate_nan: "--month_to_month_plan_rate" "NaN",
    month_to_month_plan_rate_not_a_number: "--month_to_month_plan_rate" "half",
    p_inject_eip_usage_mismatch_negative: "--p_inject_eip_usage_mismatch" "-0.1",
    p_inject_eip_usage_mismatch_above_one: "--p_inject_eip_usage_mismatch" "1.5",
    p_inject_eip_usage_mismatch_nan: "--p_inject_eip_usage_mismatch" "NaN",
    p_inject_eip_usage_mismatch_not_a_number: "--p_inject_eip_usage_mismatch" "6%",
    p_voice_eip_attach_if_plan_negative: "--p_voice_eip_attach_if_plan" "-0.1",
    p_voice_eip_attach_if_plan_above_one: "--p_voice_eip_attach_if_plan" "1.5",
    p_voice_eip_attach_if_plan_nan: "--p_voice_eip_attach_if_plan" "NaN",
    p_voice_eip_attach_if_plan_not_a_number: "--p_voice_eip_attach_if_plan" "abc",
    p_mismatch_negative: "--p_mismatch" "-0.1",
    p_mismatch_above_one: "--p_mismatch" "1.0000001",
    p_mismatch_nan: "--p_mismatch" "nan",
    p_mismatch_infinite: "--p_mismatch" "inf",
    p_mismatch_not_a_number: "--p_mismatch" "0,07",
    p_missing_negative: "--p_missing" "-0.04",
    p_missing_above_one: "--p_missing" "4",
    p_missing_nan: "--p_missing" "NaN",
    p_missing_infinite: "--p_missing" "-inf",
    p_missing_not_a_number: "--p_missing" "",
}

#[test]
fn kebab_case_spelling_of_a_probability_is_checked_too() {
    refused(&["--p-mismatch", "2"], &["--p_mismatch", "2"]);
}

// Dates, seeds, format, booleans.

#[test]
fn usage_snapshot_date_that_does_not_exist() {
    refused(
        &["--usage_snapshot_date", "2026-02-30"],
        &["--usage_snapshot_date", "2026-02-30"],
    );
}

#[test]
fn usage_snapshot_date_not_yyyy_mm_dd() {
    refused(
        &["--usage_snapshot_date", "26-2-22"],
        &["--usage_snapshot_date", "26-2-22"],
    );
}

#[test]
fn usage_snapshot_date_with_a_time() {
    refused(
        &["--usage_snapshot_date", "2026-02-22T00:00:00"],
        &["--usage_snapshot_date"],
    );
}

#[test]
fn unknown_format_lists_the_known_ones() {
    refused(&["--format", "xlsx"], &["--format", "xlsx", "csv, parquet"]);
}

#[test]
fn within_customer_only_not_a_boolean() {
    refused(
        &["--within_customer_only", "maybe"],
        &["--within_customer_only", "maybe"],
    );
}

#[test]
fn seed_negative() {
    refused(&["--seed", "-1"], &["--seed"]);
}

#[test]
fn anomaly_seed_beyond_64_bits() {
    refused(
        &["--anomaly_seed", "18446744073709551616"],
        &["--anomaly_seed"],
    );
}

#[test]
fn unknown_flag() {
    refused(&["--n_customer", "5"], &["--n_customer"]);
}

#[test]
fn an_unknown_flag_keeps_the_tip_of_a_similar_one() {
    let stderr = refused_with(2, &["--n_customer", "5"], &[]);
    assert_eq!(
        stderr,
        "error: unexpected argument '--n_customer' found; a similar argument exists: '--n_customers'\n"
    );
}

#[test]
fn a_flag_without_its_value() {
    refused(&["--p_missing"], &["--p_missing"]);
}

// --config

#[test]
fn config_file_missing() {
    refused_config(None, &["No such file"]);
}

#[test]
fn config_file_is_a_folder() {
    let cfg = tempfile::tempdir().unwrap();
    let path = cfg.path().display().to_string();
    refused_with(1, &["--config", &path], &[&path]);
}

#[test]
fn config_file_empty() {
    refused_config(Some(""), &["EOF"]);
}

#[test]
fn config_file_not_json() {
    refused_config(Some("{not json"), &["line 1 column 2"]);
}

#[test]
fn config_file_not_utf8() {
    let cfg = tempfile::tempdir().unwrap();
    let path = cfg.path().join("baseline.json");
    fs::write(&path, b"{\"churn_base_rate\": 0.2\xff}").unwrap();
    let path_text = path.display().to_string();
    refused_with(1, &["--config", &path_text], &[&path_text]);
}

#[test]
fn config_json_that_is_not_an_object() {
    refused_config(Some("[1, 2, 3]"), &["expected a JSON object"]);
}

/// serde reads a struct from an array of its fields too; a config must be
/// an object.
#[test]
fn config_json_array_of_every_field() {
    let nulls = vec!["null"; 15].join(", ");
    refused_config(Some(&format!("[{nulls}]")), &["expected a JSON object"]);
}

#[test]
fn config_unknown_top_level_key() {
    refused_config(Some(r#"{"tenure_monthz": {}}"#), &["tenure_monthz"]);
}

#[test]
fn config_unknown_nested_key() {
    refused_config(
        Some(r#"{"churn_model": {"tenure_per_month": -0.03, "noise": 1}}"#),
        &["noise"],
    );
}

#[test]
fn config_unknown_category() {
    refused_config(
        Some(r#"{"PaymentMethod": {"Bitcoin": 1}}"#),
        &["PaymentMethod", "Bitcoin"],
    );
}

#[test]
fn config_bin_with_low_above_high() {
    refused_config(
        Some(r#"{"tenure_months": {"min": 0, "max": 72, "bins": [[12, 0]], "probs": [1]}}"#),
        &["tenure_months.bins[0]", "low <= high"],
    );
}

#[test]
fn config_bin_that_is_not_a_pair() {
    refused_config(
        Some(
            r#"{"monthly_charges": {"min": 20, "max": 120, "bins": [[20, 40], [40]], "probs": [1, 1]}}"#,
        ),
        &["monthly_charges.bins[1]"],
    );
}

#[test]
fn config_bins_and_probs_of_different_lengths() {
    refused_config(
        Some(
            r#"{"tenure_months": {"min": 0, "max": 72, "bins": [[0, 36], [36, 72]], "probs": [1]}}"#,
        ),
        &["tenure_months", "2 bins but 1 probs"],
    );
}

#[test]
fn config_min_above_max() {
    refused_config(
        Some(r#"{"monthly_charges": {"min": 120, "max": 20, "bins": [[20, 120]], "probs": [1]}}"#),
        &["monthly_charges", "min <= max"],
    );
}

#[test]
fn config_negative_weight() {
    refused_config(
        Some(r#"{"PaymentMethod": {"Electronic check": -1, "Mailed check": 2}}"#),
        &["PaymentMethod", "-1"],
    );
}

#[test]
fn config_negative_bin_probability() {
    refused_config(
        Some(
            r#"{"tenure_months": {"min": 0, "max": 72, "bins": [[0, 36], [36, 72]], "probs": [1.5, -0.5]}}"#,
        ),
        &["tenure_months", "-0.5"],
    );
}

/// JSON has no NaN or infinity literal; serde_json reads `1e999` as out of
/// range rather than as infinity, and says where.
#[test]
fn config_infinite_weight() {
    refused_config(
        Some("{\"Contract\": {\"Month-to-month\": 1e999, \"One year\": 1}}"),
        &["out of range", "line 1"],
    );
}

#[test]
fn config_nan_literal() {
    refused_config(
        Some(r#"{"Contract": {"Month-to-month": NaN, "One year": 1}}"#),
        &["line 1"],
    );
}

#[test]
fn config_weights_summing_to_zero() {
    refused_config(
        Some(r#"{"Contract": {"Month-to-month": 0, "One year": 0}}"#),
        &["Contract", "sum to zero"],
    );
}

#[test]
fn config_weights_whose_sum_overflows() {
    refused_config(
        Some(r#"{"Contract": {"Month-to-month": 1e308, "One year": 1e308}}"#),
        &["Contract"],
    );
}

#[test]
fn config_bin_probabilities_summing_to_zero() {
    refused_config(
        Some(r#"{"tenure_months": {"min": 0, "max": 72, "bins": [[0, 72]], "probs": [0]}}"#),
        &["tenure_months", "sum to zero"],
    );
}

#[test]
fn config_churn_base_rate_outside_0_1() {
    refused_config(
        Some(r#"{"churn_base_rate": 1.2}"#),
        &["churn_base_rate", "1.2"],
    );
}

#[test]
fn config_negative_noise() {
    refused_config(
        Some(r#"{"latent_traits": {"trust_noise_sd": -9}}"#),
        &["latent_traits.trust_noise_sd", "negative"],
    );
}

#[test]
fn config_text_where_a_number_belongs() {
    refused_config(Some(r#"{"churn_base_rate": "0.27"}"#), &["invalid type"]);
}

#[test]
fn config_tenure_beyond_any_lifetime() {
    // Would write tenures past u32 and make the churn calibration walk every
    // month of the range.
    refused_config(
        Some(r#"{"tenure_months": {"min": 0, "max": 1e15, "bins": [[0, 1e15]], "probs": [1]}}"#),
        &["tenure_months"],
    );
}

#[test]
fn config_wrapper_naming_a_missing_source() {
    refused_config(
        Some(r#"{"registry": {"customer_params": "x"}, "sources": {}}"#),
        &["registry.customer_params", "\"x\""],
    );
}

#[test]
fn config_wrapper_without_payload() {
    refused_config(
        Some(r#"{"registry": {"customer_params": "x"}, "sources": {"x": {}}}"#),
        &["payload"],
    );
}

/// The config file is read before the output folder is touched: stray
/// temporaries of a killed run stay until a run is accepted.
#[test]
fn a_refused_config_leaves_stray_temporaries_alone() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::create_dir(&out).unwrap();
    let stray = out.join(".customers.csv.novawireless-partial");
    fs::write(&stray, "partial").unwrap();
    let output = run(
        RUN_ALL,
        &[
            a("--out_dir"),
            a(&out),
            a("--no_params_mirror"),
            a("--config"),
            a(Path::new("/nonexistent/baseline.json")),
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(fs::read_to_string(&stray).unwrap(), "partial");
}
