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
        "table_profile.csv",
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
        "table_profile.csv",
    ] {
        assert!(!out.join(name).exists(), "{name} of the earlier run stayed");
    }
    assert!(out.join("master_account_ledger.csv").is_file());
}

/// The params mirror is staged before the commit and renamed by it: a mirror
/// that cannot take one of its files (a folder under a final name there)
/// leaves both folders as the earlier run left them, with no temporary.
#[test]
fn a_mirror_that_cannot_take_a_file_changes_neither_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out").display().to_string();
    let params = d.join("params").display().to_string();
    let args = |seed: &'static str| {
        vec![
            "--quiet".to_string(),
            "--n_customers".into(),
            "200".into(),
            "--seed".into(),
            seed.into(),
            "--out_dir".into(),
            out.clone(),
            "--params_dir".into(),
            params.clone(),
        ]
    };
    run_ok(RUN_ALL, &args("1"));
    let blocked = d.join("params/anomaly_manifest.csv");
    fs::remove_file(&blocked).unwrap();
    fs::create_dir(&blocked).unwrap();
    fs::write(blocked.join("keep"), "x").unwrap();
    let before = snapshot(d);
    let output = run(RUN_ALL, &args("2"));
    assert_refused(
        &output,
        d,
        &before,
        &["params/anomaly_manifest.csv", "is a folder"],
    );
    assert_eq!(output.status.code(), Some(1));

    // Without the obstacle the same run changes both folders.
    fs::remove_dir_all(&blocked).unwrap();
    run_ok(RUN_ALL, &args("2"));
    for name in ["master_account_ledger.csv", "anomaly_manifest.csv"] {
        assert_eq!(
            fs::read(d.join("out").join(name)).unwrap(),
            fs::read(d.join("params").join(name)).unwrap(),
            "{name} differs between the folders"
        );
    }
}

/// The names in `dir` that are not temporaries or locks, sorted.
fn final_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    names
}

/// A run in one format removes the same tables of an earlier run in the
/// other format, in both folders: every table beside the receipts is one
/// they list.
#[test]
fn tables_of_the_other_format_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = d.join("out").display().to_string();
    let params = d.join("params").display().to_string();
    let args = |format: &'static str| {
        vec![
            "--quiet".to_string(),
            "--n_customers".into(),
            "150".into(),
            "--format".into(),
            format.into(),
            "--out_dir".into(),
            out.clone(),
            "--params_dir".into(),
            params.clone(),
        ]
    };
    run_ok(RUN_ALL, &args("csv"));
    run_ok(RUN_ALL, &args("parquet"));
    for folder in ["out", "params"] {
        let names = final_names(&d.join(folder));
        assert!(
            names.iter().all(|n| !n.ends_with(".csv")),
            "{folder} kept CSV tables: {names:?}"
        );
        assert!(names.iter().any(|n| n.ends_with(".parquet")), "{names:?}");
    }
    // Every table in the folder is listed by a receipt.
    let mut listed = std::collections::BTreeSet::new();
    for receipt in final_names(&d.join("out"))
        .iter()
        .filter(|n| n.ends_with("_receipt.json"))
    {
        let text = fs::read_to_string(d.join("out").join(receipt)).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        for f in json["files"].as_array().unwrap() {
            listed.insert(f["path"].as_str().unwrap().to_string());
        }
    }
    for name in final_names(&d.join("out")) {
        assert!(
            name.ends_with(".json") || listed.contains(&name),
            "{name} is listed by no receipt"
        );
    }

    // And back: the step binaries do the same.
    run_ok(
        step_binary("generate_customers"),
        &["--quiet", "--n_customers", "150", "--out_dir", &out],
    );
    let names = final_names(&d.join("out"));
    for stem in [
        "customers",
        "lines",
        "devices",
        "eip_agreements",
        "line_device_usage",
    ] {
        assert!(names.contains(&format!("{stem}.csv")), "{names:?}");
        assert!(!names.contains(&format!("{stem}.parquet")), "{names:?}");
    }
}

/// A path flag takes any bytes the system allows, and a value that is not
/// UTF-8 where text is needed is refused naming its flag.
#[cfg(unix)]
#[test]
fn values_that_are_not_utf8_name_their_flag() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let odd = d.join(std::ffi::OsStr::from_bytes(b"out\xff"));
    let output = run(
        RUN_ALL,
        &[
            a("--quiet"),
            a("--n_customers"),
            a("100"),
            a("--no_params_mirror"),
            a("--out_dir"),
            a(&odd),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    assert!(odd.join("master_account_ledger.csv").is_file());

    for (flag, exe) in [
        ("--seed", RUN_ALL),
        ("--n_customers", step_binary("generate_customers")),
        ("--p_mismatch", step_binary("inject_imei_anomalies")),
    ] {
        let before = snapshot(d);
        let output = run(
            exe,
            &[
                a("--out_dir"),
                a(d.join("x")),
                a(flag),
                a(std::ffi::OsStr::from_bytes(b"4\xfe2")),
            ],
        );
        assert_refused(&output, d, &before, &[flag, "not valid UTF-8"]);
        assert_eq!(output.status.code(), Some(2));
    }
}

/// A receipt names the config file without its folder, with the SHA-256 of
/// its bytes: the same config in two folders gives the same receipt.
#[test]
fn receipts_name_the_config_without_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let config =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/ibm_telco.json");
    let receipts: Vec<String> = ["one", "two/deeper"]
        .iter()
        .map(|place| {
            let folder = d.join(place);
            fs::create_dir_all(&folder).unwrap();
            fs::copy(&config, folder.join("ibm_telco.json")).unwrap();
            let out = d.join(format!("out-{}", place.len()));
            run_ok(
                RUN_ALL,
                &[
                    a("--quiet"),
                    a("--n_customers"),
                    a("60"),
                    a("--no_params_mirror"),
                    a("--config"),
                    a(folder.join("ibm_telco.json")),
                    a("--out_dir"),
                    a(&out),
                ],
            );
            fs::read_to_string(out.join("customer_generation_receipt.json")).unwrap()
        })
        .collect();
    assert_eq!(receipts[0], receipts[1]);
    let json: serde_json::Value = serde_json::from_str(&receipts[0]).unwrap();
    assert_eq!(json["parameters"]["config"], "ibm_telco.json");
    assert_eq!(
        json["parameters"]["config_sha256"].as_str().unwrap().len(),
        64
    );
    assert!(!receipts[0].contains(&d.display().to_string()));
}
