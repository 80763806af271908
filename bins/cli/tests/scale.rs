//! Parallel, chunked and sharded runs give the bytes of a plain run
//! (README, *Scale and sharding* (determinism)).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::Path;
use std::process::Command;

const TABLES: &[&str] = &[
    "customers.csv",
    "customers_v1.csv",
    "lines.csv",
    "devices.csv",
    "eip_agreements.csv",
    "line_device_usage.csv",
    "master_account_ledger.csv",
    "master_account_ledger__anomalies.csv",
    "imei_anomaly_examples.csv",
    "anomaly_manifest.csv",
    "master_account_ledger__clean.csv",
];

fn run_all(out: &Path, threads: &str, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_run_all"))
        .current_dir(out.parent().unwrap())
        .env("RAYON_NUM_THREADS", threads)
        .arg("--out_dir")
        .arg(out.file_name().unwrap())
        .arg("--no_params_mirror")
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

#[test]
fn thread_count_and_chunk_size_do_not_change_a_byte() {
    let root = tempfile::tempdir().unwrap();
    let base = root.path().join("base");
    run_all(
        &base,
        "1",
        &[
            "--n_customers",
            "5000",
            "--chunk_customers",
            "2048",
            "--clean_twin",
        ],
    );
    for (threads, chunk) in [("2", "2048"), ("2", "1024"), ("1", "4096"), ("3", "3072")] {
        let other = root.path().join(format!("t{threads}c{chunk}"));
        run_all(
            &other,
            threads,
            &[
                "--n_customers",
                "5000",
                "--chunk_customers",
                chunk,
                "--clean_twin",
            ],
        );
        for name in TABLES.iter().chain(&["customer_generation_receipt.json"]) {
            assert!(
                read(&base, name) == read(&other, name),
                "{name} differs with {threads} threads and chunks of {chunk}"
            );
        }
    }
}

/// The shards' tables, concatenated with the header once, are the full run's.
fn shards_concatenate(n_customers: &str, shards: u64, extra: &[&str]) {
    let root = tempfile::tempdir().unwrap();
    let full = root.path().join("full");
    let mut args = vec!["--n_customers", n_customers, "--clean_twin"];
    args.extend_from_slice(extra);
    run_all(&full, "2", &args);
    let mut joined: Vec<Vec<u8>> = vec![Vec::new(); TABLES.len()];
    for k in 1..=shards {
        let dir = root.path().join(format!("shard{k}"));
        let shard = format!("{k}/{shards}");
        let mut shard_args = args.clone();
        shard_args.extend(["--shard", &shard]);
        run_all(&dir, "2", &shard_args);
        for (i, name) in TABLES.iter().enumerate() {
            let bytes = read(&dir, name);
            let body_start = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
            if k == 1 {
                joined[i].extend_from_slice(&bytes);
            } else {
                joined[i].extend_from_slice(&bytes[body_start..]);
            }
        }
    }
    for (i, name) in TABLES.iter().enumerate() {
        assert!(
            joined[i] == read(&full, name),
            "{name}: {shards} shards do not concatenate to the full run"
        );
    }
}

#[test]
fn two_shards_concatenate_to_the_full_run() {
    shards_concatenate("5000", 2, &[]);
}

#[test]
fn three_shards_concatenate_to_the_full_run() {
    shards_concatenate("7000", 3, &["--p_mismatch", "0.3", "--p_missing", "0.2"]);
}

#[test]
fn shards_with_cross_customer_swaps_concatenate_to_the_full_run() {
    shards_concatenate(
        "4500",
        3,
        &["--within_customer_only", "false", "--p_mismatch", "0.3"],
    );
}

#[test]
fn more_shards_than_blocks_leave_some_shards_empty_but_still_concatenate() {
    shards_concatenate("1500", 3, &[]);
}

#[test]
fn a_shard_out_of_range_is_refused() {
    for shard in ["0/2", "3/2", "1/0", "a/b", "2"] {
        let root = tempfile::tempdir().unwrap();
        let output = Command::new(env!("CARGO_BIN_EXE_run_all"))
            .arg("--out_dir")
            .arg(root.path().join("out"))
            .args(["--n_customers", "10", "--shard", shard])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{shard}: {stderr}");
        assert!(
            stderr.contains("--shard") && stderr.trim_end().lines().count() == 1,
            "{shard}: {stderr}"
        );
        assert!(!root.path().join("out").exists(), "{shard}: output created");
    }
}

/// The README's merge command (`scripts/merge_shards.sh`), over shard
/// folders numbered from 0 as a Kubernetes indexed job writes them (and
/// past 9, so that the order is numeric), gives the full run's tables.
#[test]
fn the_readme_merge_script_gives_the_full_run() {
    let root = tempfile::tempdir().unwrap();
    let full = root.path().join("full");
    let args = ["--n_customers", "12000", "--clean_twin"];
    run_all(&full, "2", &args);
    let shards = root.path().join("shards");
    fs::create_dir(&shards).unwrap();
    for k in 0..12 {
        let shard = format!("{}/12", k + 1);
        let mut shard_args = args.to_vec();
        shard_args.extend(["--shard", &shard]);
        run_all(&shards.join(k.to_string()), "2", &shard_args);
    }
    let merged = root.path().join("merged");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/merge_shards.sh");
    let output = Command::new("bash")
        .arg(script)
        .arg(&shards)
        .arg(&merged)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    for name in TABLES {
        assert!(
            read(&merged, name) == read(&full, name),
            "{name}: the merged shards differ from the full run"
        );
    }
    assert_eq!(fs::read_dir(&merged).unwrap().count(), TABLES.len());
}
