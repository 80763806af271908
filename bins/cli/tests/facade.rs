//! `run_all`'s summary lines on stdout are the facade's counts of the same
//! run (`novawireless::Counts::summary_lines`, which
//! `crates/novawireless/examples/pipeline.rs` prints).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless::{Baseline, Options, Pipeline};
use std::process::Command;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

/// The summary lines `run_all` prints with `args`.
fn run_all_summary(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let output = Command::new(RUN_ALL)
        .args(args)
        .args(["--no_params_mirror", "--quiet", "--out_dir"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    stdout
        .lines()
        .filter(|l| {
            l.starts_with("customers ")
                || l.starts_with("anomaly_manifest rows ")
                || l.starts_with("anomalies: ")
        })
        .map(|l| format!("{l}\n"))
        .collect()
}

fn facade_summary(options: Options) -> String {
    let pipeline = Pipeline::new(&Baseline::embedded(), options).unwrap();
    pipeline.counts().unwrap().summary_lines()
}

#[test]
fn run_alls_summary_is_the_facades_counts() {
    let summary = run_all_summary(&["--n_customers", "2500"]);
    assert_eq!(summary.lines().count(), 3);
    assert_eq!(summary, facade_summary(Options::new(2500)));
}

#[test]
fn with_other_seeds_and_the_clean_twin_too() {
    let summary = run_all_summary(&[
        "--n_customers",
        "3100",
        "--seed",
        "7",
        "--anomaly_seed",
        "9",
        "--p_mismatch",
        "0.2",
        "--clean_twin",
    ]);
    let mut options = Options::new(3100);
    options.seed = 7;
    options.anomalies.seed = 9;
    options.anomalies.p_mismatch = 0.2;
    options.clean_twin = true;
    assert_eq!(summary, facade_summary(options));
    assert_ne!(summary, facade_summary(Options::new(3100)));
}
