//! Step 2 on bad inputs and folders that `bad_input.rs` does not cover
//! (README, *Errors and guarantees*): each case exits non-zero with one line on stderr
//! naming the file (and line), and leaves every file of the folder byte for
//! byte as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::fs;
use std::path::Path;

const STEP2: &str = env!("CARGO_BIN_EXE_build_master_account_ledger");

/// The fixture's step-1 tables and the outputs of one good run in a folder;
/// `corrupt` spoils the inputs and returns the texts the error must hold.
fn refused(corrupt: impl FnOnce(&Path) -> Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_step1(d);
    run_ok(STEP2, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    let needles = corrupt(d);
    let before = snapshot(d);
    let output = run(STEP2, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    let needles: Vec<&str> = needles.iter().map(String::as_str).collect();
    assert_refused(&output, d, &before, &needles);
}

#[test]
fn a_second_usage_row_for_one_line() {
    refused(|d| {
        let path = d.join("line_device_usage.csv");
        let mut text = read(&path);
        let third = text.lines().nth(2).unwrap().to_owned();
        text.push_str(&third);
        text.push('\n');
        let last = text.lines().count() as u64;
        fs::write(&path, text).unwrap();
        vec![at(&path, last), "LINE-000000002".into()]
    });
}

#[test]
fn an_unterminated_quote() {
    refused(|d| {
        edit_line(&d.join("lines.csv"), 3, ",voice,", ",\"voice,");
        vec![at(&d.join("lines.csv"), 3), "field".into()]
    });
}

#[test]
fn an_input_table_that_is_a_folder() {
    refused(|d| {
        fs::remove_file(d.join("customers.csv")).unwrap();
        fs::create_dir(d.join("customers.csv")).unwrap();
        vec![d.join("customers.csv").display().to_string()]
    });
}

#[test]
fn an_input_folder_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let before = snapshot(d);
    let output = run(
        STEP2,
        &[
            a("--in_dir"),
            a(d.join("nowhere")),
            a("--out_dir"),
            a(d.join("out")),
            a("--no_params_mirror"),
        ],
    );
    assert_refused(&output, d, &before, &["nowhere", "customers.csv"]);
}

#[test]
fn an_output_folder_under_a_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_step1(d);
    fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        STEP2,
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

/// README, *Errors and guarantees* wants no changed output file after a refusal; the mirror folder
/// is only created after the outputs are committed, so a `--params_dir`
/// under a file fails after `master_account_ledger.csv` was replaced.
#[test]
fn a_params_dir_under_a_file_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    copy_step1(d);
    run_ok(STEP2, &[a("--out_dir"), a(d), a("--no_params_mirror")]);
    edit_line(
        &d.join("customers.csv"),
        4,
        "C0000003,A0000003,40,",
        "C0000003,A0000003,41,",
    );
    fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        STEP2,
        &[
            a("--out_dir"),
            a(d),
            a("--params_dir"),
            a(d.join("taken").join("params")),
        ],
    );
    assert_refused(&output, d, &before, &["taken"]);
}
