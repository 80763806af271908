//! `run_all` and its output folders (README, *Files* and *Parquet* and *Errors and guarantees*): a folder that
//! cannot be created is refused before any work, and the temporary files of
//! a killed run are removed by the next run into the folder. The faults that
//! need a kill, a file-size limit, a full disk or root (a killed run, `ulimit
//! -f`, a full tmpfs, an immutable folder) are checked by `scripts/faults.sh`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::fs;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

#[test]
fn an_output_folder_under_a_file_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        RUN_ALL,
        &[
            a("--out_dir"),
            a(d.join("taken").join("out")),
            a("--no_params_mirror"),
            // Large enough that doing the work first would be noticed.
            a("--n_customers"),
            a("100000000"),
        ],
    );
    assert_refused(&output, d, &before, &["--out_dir", "taken", "is a file"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_output_folder_that_is_a_file_is_refused_before_any_work() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("taken"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        RUN_ALL,
        &[
            a("--out_dir"),
            a(d.join("taken")),
            a("--no_params_mirror"),
            a("--n_customers"),
            a("100000000"),
        ],
    );
    assert_refused(&output, d, &before, &["--out_dir", "taken", "not a folder"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_empty_output_folder_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let before = snapshot(dir.path());
    let output = run(RUN_ALL, &[a("--out_dir="), a("--no_params_mirror")]);
    assert_refused(&output, dir.path(), &before, &["--out_dir"]);
}

/// The temporaries a killed run leaves are removed by the next run, which
/// then writes exactly what it wrote into the clean folder.
#[test]
fn the_next_run_removes_the_temporaries_of_a_killed_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        a("--out_dir"),
        a(&out),
        a("--no_params_mirror"),
        a("--n_customers"),
        a("30"),
    ];
    run_ok(RUN_ALL, &args);
    let clean = snapshot(&out);
    for name in [
        ".customers.csv.novawireless-partial",
        ".master_account_ledger.csv.novawireless-partial",
        ".customer_generation_receipt.json.novawireless-partial",
        ".write-check.novawireless-partial",
    ] {
        fs::write(out.join(name), "half a row,").unwrap();
    }
    run_ok(RUN_ALL, &args);
    let after = snapshot(&out);
    assert_eq!(
        clean.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (name, bytes) in &clean {
        assert!(after[name] == *bytes, "{name} differs");
    }
}
