//! What a binary does when its stdout cannot take the summary lines: a
//! closed pipe (`run_all | head -1`, `| true`) ends it quietly with exit 0,
//! a full stdout (`> /dev/full`) is one error line and exit 1, and in both
//! cases the outputs are committed, since nothing is printed before the
//! commit. With `--quiet` nothing but errors reaches stderr.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::fs::OpenOptions;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

/// Runs `exe` with its stdout a pipe whose reading end is already closed.
fn into_closed_pipe(exe: &str, args: &[&str]) -> Output {
    let mut child = Command::new(exe)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

/// Runs `exe` with its stdout on `/dev/full`.
fn into_full_device(exe: &str, args: &[&str]) -> Output {
    let full = OpenOptions::new().write(true).open("/dev/full").unwrap();
    Command::new(exe)
        .args(args)
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap()
}

fn assert_quiet_success(what: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what}: {:?} {stderr}", out.status);
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

fn assert_one_line_failure(what: &str, out: &Output) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{what}: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{what}: {stderr}");
    assert!(
        stderr.contains("cannot write to stdout"),
        "{what}: {stderr}"
    );
}

fn run_all_args(dir: &Path) -> Vec<String> {
    let out = dir.join("out").display().to_string();
    [
        "--n_customers",
        "300",
        "--no_params_mirror",
        "--quiet",
        "--out_dir",
        &out,
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn run_all_into_a_closed_pipe_ends_quietly_with_its_outputs_committed() {
    let dir = tempfile::tempdir().unwrap();
    let args = run_all_args(dir.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = into_closed_pipe(RUN_ALL, &args);
    assert_quiet_success("run_all | (closed)", &out);
    let reference = tempfile::tempdir().unwrap();
    let ref_args = run_all_args(reference.path());
    run_ok(RUN_ALL, &ref_args);
    // Every file, the receipts too: they hold no path of the machine.
    assert!(
        snapshot(&dir.path().join("out")) == snapshot(&reference.path().join("out")),
        "the outputs of the run into a closed pipe differ from a normal run's"
    );
}

#[test]
fn run_all_into_a_full_stdout_is_one_error_line() {
    let dir = tempfile::tempdir().unwrap();
    let args = run_all_args(dir.path());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = into_full_device(RUN_ALL, &args);
    assert_one_line_failure("run_all > /dev/full", &out);
    assert!(dir.path().join("out/master_account_ledger.csv").is_file());
    assert!(dir
        .path()
        .join("out/customer_generation_receipt.json")
        .is_file());
}

#[test]
fn quiet_leaves_stderr_empty() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_ok(RUN_ALL, &run_all_args(dir.path()));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
    let out_dir = dir.path().join("out").display().to_string();
    for (step, extra) in [
        ("generate_customers", &["--n_customers", "300"][..]),
        ("build_master_account_ledger", &["--no_params_mirror"][..]),
        (
            "inject_imei_anomalies",
            &["--overwrite_base", "--no_params_mirror"][..],
        ),
        ("fix_ledger_contract_proxy", &["--no_params_mirror"][..]),
    ] {
        let mut args = vec!["--quiet", "--out_dir", &out_dir];
        args.extend_from_slice(extra);
        let out = run_ok(step_binary(step), &args);
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{step}");
    }
}

/// Every step binary, run in sequence into a closed pipe and then with a
/// full stdout, never panics.
#[test]
fn step_binaries_into_a_closed_pipe_or_a_full_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("out").display().to_string();
    let steps: [(&str, &[&str]); 4] = [
        ("generate_customers", &["--n_customers", "300"]),
        ("build_master_account_ledger", &["--no_params_mirror"]),
        (
            "inject_imei_anomalies",
            &["--overwrite_base", "--no_params_mirror"],
        ),
        ("fix_ledger_contract_proxy", &["--no_params_mirror"]),
    ];
    for (step, extra) in steps {
        let mut args = vec!["--quiet", "--out_dir", &out_dir];
        args.extend_from_slice(extra);
        let out = into_closed_pipe(step_binary(step), &args);
        assert_quiet_success(&format!("{step} | (closed)"), &out);
    }
    let full = tempfile::tempdir().unwrap();
    let full_dir = full.path().join("out").display().to_string();
    let args = ["--quiet", "--n_customers", "300", "--out_dir", &full_dir];
    let out = into_full_device(step_binary("generate_customers"), &args);
    assert_one_line_failure("generate_customers > /dev/full", &out);
    assert!(full.path().join("out/customers.csv").is_file());
}

#[test]
fn version_names_the_program_and_the_package_version() {
    for name in [
        "run_all",
        "generate_customers",
        "build_master_account_ledger",
        "inject_imei_anomalies",
        "fix_ledger_contract_proxy",
        "profile",
        "score_detector",
    ] {
        let output = run_ok(step_binary(name), &["--version"]);
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            format!("{name} {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}
