//! Unusable folders are refused before any work with exit code 2, naming
//! the flag: a `--params_dir` that is a regular file, an `--out_dir` that is
//! a symbolic link to nothing, for `run_all` and the step binaries.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::fs;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

#[test]
fn a_params_dir_that_is_a_file_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    fs::write(d.join("file"), "x").unwrap();
    let before = snapshot(d);
    let out = d.join("out").display().to_string();
    let params = d.join("file").display().to_string();
    let output = run(
        RUN_ALL,
        &[
            "--quiet",
            "--n_customers",
            "100",
            "--out_dir",
            &out,
            "--params_dir",
            &params,
        ],
    );
    assert_refused(
        &output,
        d,
        &before,
        &["--params_dir", "file", "is not a folder"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(!d.join("out").exists(), "the output folder was created");

    // The ledger steps too, on a step-1 folder.
    run_ok(
        step_binary("generate_customers"),
        &["--quiet", "--n_customers", "100", "--out_dir", &out],
    );
    let before = snapshot(d);
    let output = run(
        step_binary("build_master_account_ledger"),
        &["--quiet", "--out_dir", &out, "--params_dir", &params],
    );
    assert_refused(&output, d, &before, &["--params_dir", "is not a folder"]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn an_out_dir_that_is_a_dangling_symlink_is_refused_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::os::unix::fs::symlink(d.join("nothing"), d.join("dangling")).unwrap();
    let out = d.join("dangling").display().to_string();
    let output = run(
        RUN_ALL,
        &["--quiet", "--no_params_mirror", "--out_dir", &out],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("--out_dir") && stderr.contains("symbolic link to nothing"),
        "{stderr}"
    );
    assert!(!d.join("nothing").exists());
}

/// A non-empty folder under a final name (`anomaly_manifest.csv/`) once
/// left 9–12 tables replaced beside the old receipts. Every final name is
/// checked before the first rename: the run fails and the earlier run's
/// files are all as they were.
#[test]
fn a_folder_under_a_final_name_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out").display().to_string();
    run_ok(
        RUN_ALL,
        &[
            "--quiet",
            "--n_customers",
            "200",
            "--no_params_mirror",
            "--out_dir",
            &out,
        ],
    );
    fs::remove_file(d.join("out/anomaly_manifest.csv")).unwrap();
    fs::create_dir(d.join("out/anomaly_manifest.csv")).unwrap();
    fs::write(d.join("out/anomaly_manifest.csv/keep"), "x").unwrap();
    let before = snapshot(d);
    let output = run(
        RUN_ALL,
        &[
            "--quiet",
            "--n_customers",
            "200",
            "--seed",
            "7",
            "--no_params_mirror",
            "--out_dir",
            &out,
        ],
    );
    assert_refused(
        &output,
        d,
        &before,
        &["anomaly_manifest.csv", "is a folder"],
    );
}

/// Receipts hold no path of the machine: the step binaries run in two
/// different folders give the same bytes, receipts included.
#[test]
fn the_same_steps_in_two_folders_give_the_same_bytes() {
    let runs: Vec<_> = (0..2)
        .map(|_| {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("deep").join("out").display().to_string();
            run_ok(
                step_binary("generate_customers"),
                &["--quiet", "--n_customers", "150", "--out_dir", &out],
            );
            for step in [
                "build_master_account_ledger",
                "inject_imei_anomalies",
                "fix_ledger_contract_proxy",
            ] {
                run_ok(
                    step_binary(step),
                    &["--quiet", "--no_params_mirror", "--out_dir", &out],
                );
            }
            (snapshot(&dir.path().join("deep/out")), dir)
        })
        .collect();
    assert!(runs[0].0 == runs[1].0, "two folders gave different bytes");
    let receipt =
        String::from_utf8(runs[0].0["master_account_ledger_receipt.json"].clone()).unwrap();
    assert!(receipt.contains("\"in_dir\": \".\""), "{receipt}");
}

/// SIGTERM (or SIGINT) in the middle of a run removes its temporaries and
/// its lock file, prints one line and exits 143 (130): the folder is as it
/// was before the run, not gigabytes of partial files.
#[test]
fn an_interrupted_run_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out").display().to_string();
    let generate = step_binary("generate_customers");
    run_ok(
        generate,
        &["--quiet", "--n_customers", "100", "--out_dir", &out],
    );
    let before = snapshot(d);
    for (signal, code) in [("TERM", 143), ("INT", 130)] {
        let child = std::process::Command::new(generate)
            .args(["--quiet", "--n_customers", "50000000", "--out_dir", &out])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let started = std::time::Instant::now();
        while !fs::read_dir(d.join("out")).unwrap().flatten().any(|e| {
            e.file_name()
                .to_string_lossy()
                .ends_with(".novawireless-partial")
                && e.metadata().is_ok_and(|m| m.len() > 0)
        }) {
            assert!(started.elapsed().as_secs() < 120, "no temporary appeared");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let killed = std::process::Command::new("kill")
            .args([format!("-{signal}"), child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{stderr}");
        assert!(
            stderr.contains(&format!("interrupted by SIG{signal}")),
            "{stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            before == snapshot(d),
            "SIG{signal} left files behind or changed some"
        );
    }
}

/// Optional outputs of an earlier run that a new run does not write (the
/// clean twin, the profile) are removed in its commit, so every table in
/// the folder belongs to the run its receipts describe.
#[test]
fn optional_outputs_of_an_earlier_run_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = out.display().to_string();
    let base = [
        "--quiet",
        "--n_customers",
        "150",
        "--no_params_mirror",
        "--out_dir",
        &o,
    ];
    let mut with = base.to_vec();
    with.extend(["--clean_twin", "--report"]);
    run_ok(RUN_ALL, &with);
    for name in [
        "master_account_ledger__clean.csv",
        "report.html",
        "customers_v1_profile.csv",
    ] {
        assert!(out.join(name).is_file(), "{name} not written");
    }
    let mut other_seed = base.to_vec();
    other_seed.extend(["--seed", "9"]);
    run_ok(RUN_ALL, &other_seed);
    for name in [
        "master_account_ledger__clean.csv",
        "report.html",
        "customers_v1_profile.csv",
    ] {
        assert!(!out.join(name).exists(), "{name} of the earlier run stayed");
    }
    assert!(out.join("master_account_ledger.csv").is_file());
}
