#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `profile` on the Parquet folder of a run writes the same bytes as on the
//! CSV folder of the same run, and so does `run_all --report --format
//! parquet`.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const PROFILE: &str = env!("CARGO_BIN_EXE_profile");

/// The files the profile writes.
const WRITTEN: [&str; 3] = [
    "customers_v1_profile.csv",
    "table_profile.csv",
    "report.html",
];

/// The `run_all` executable.
fn run_all_exe() -> &'static str {
    env!("CARGO_BIN_EXE_run_all")
}

fn succeeded(exe: &str, output: Output) -> Output {
    assert!(
        output.status.success(),
        "{exe} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// `run_all` on 1,500 customers into `out`, with `extra` flags.
fn run_all(out: &Path, extra: &[&str]) -> Output {
    let exe = run_all_exe();
    let output = Command::new(exe)
        .arg("--out_dir")
        .arg(out)
        .args(["--n_customers", "1500", "--no_params_mirror", "--quiet"])
        .args(extra)
        .output()
        .unwrap();
    succeeded(exe, output)
}

fn profile(out: &Path) -> Output {
    let output = Command::new(PROFILE)
        .arg("--out_dir")
        .arg(out)
        .output()
        .unwrap();
    succeeded(PROFILE, output)
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

/// `a` and `b` hold the same profile, byte for byte.
fn assert_same_profile(a: &Path, b: &Path) {
    for name in WRITTEN {
        let (x, y) = (read(a, name), read(b, name));
        assert!(
            x == y,
            "{name} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

#[test]
fn the_parquet_folder_of_a_run_gives_the_profile_of_its_csv_folder() {
    let root = tempfile::tempdir().unwrap();
    let (csv, parquet) = (root.path().join("csv"), root.path().join("parquet"));
    run_all(&csv, &[]);
    run_all(&parquet, &["--format", "parquet"]);
    // The Parquet folder holds no CSV table the report could fall back on.
    for table in [
        "customers",
        "lines",
        "devices",
        "eip_agreements",
        "master_account_ledger",
        "anomaly_manifest",
    ] {
        assert!(
            parquet.join(format!("{table}.parquet")).is_file(),
            "{table}"
        );
        assert!(!parquet.join(format!("{table}.csv")).exists(), "{table}");
    }

    let from_csv = profile(&csv);
    let from_parquet = profile(&parquet);
    assert_same_profile(&csv, &parquet);
    // The same counts too (the paths written differ).
    let counts = |o: &Output| {
        String::from_utf8(o.stdout.clone())
            .unwrap()
            .lines()
            .next()
            .map(str::to_owned)
    };
    assert_eq!(counts(&from_parquet), counts(&from_csv));
    assert!(counts(&from_csv)
        .unwrap()
        .starts_with("customers 1500 lines "));

    // `run_all --report --format parquet` writes the same profile.
    let reported = root.path().join("reported");
    run_all(&reported, &["--report", "--format", "parquet"]);
    assert!(!reported.join("customers.csv").exists());
    assert_same_profile(&csv, &reported);
}
