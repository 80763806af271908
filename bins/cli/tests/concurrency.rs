//! Two runs into one folder: each run holds an exclusive lock on its output
//! folder (and on the mirror) for its whole life, so the second one either
//! runs after the first or is refused at once (exit 2, naming the folder and
//! the holder). Afterwards every receipt matches the files beside it, and
//! the folder holds the tables of a run that exited 0.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::Duration;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

fn start(seed: &str, out: &Path, mirror: Option<&Path>) -> Child {
    let mut c = Command::new(RUN_ALL);
    c.args([
        "--quiet",
        "--n_customers",
        "20000",
        "--seed",
        seed,
        "--out_dir",
    ])
    .arg(out);
    match mirror {
        Some(m) => c.arg("--params_dir").arg(m),
        None => c.arg("--no_params_mirror"),
    };
    c.stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

/// Every file every receipt in `dir` lists has the size and SHA-256 it says.
fn receipts_match(dir: &Path) {
    for receipt in [
        "customer_generation_receipt.json",
        "master_account_ledger_receipt.json",
        "imei_anomaly_injection_receipt.json",
    ] {
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(receipt)).unwrap()).unwrap();
        for f in json["files"].as_array().unwrap() {
            let bytes = std::fs::read(dir.join(f["path"].as_str().unwrap())).unwrap();
            let hash: String = Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(
                f["bytes"].as_u64().unwrap(),
                bytes.len() as u64,
                "{receipt}: {f}"
            );
            assert_eq!(f["sha256"].as_str().unwrap(), hash, "{receipt}: {f}");
        }
    }
}

fn seed_of(dir: &Path) -> u64 {
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("customer_generation_receipt.json")).unwrap(),
    )
    .unwrap();
    json["parameters"]["seed"].as_u64().unwrap()
}

fn refused_as_busy(out: &Output, flag: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{flag} is in use by another run (process ")),
        "{stderr}"
    );
}

#[test]
fn two_runs_into_one_folder_never_mix() {
    for stagger in [0, 30, 150, 600] {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let first = start("1", &out, None);
        std::thread::sleep(Duration::from_millis(stagger));
        let second = start("2", &out, None);
        let results = [
            (1, first.wait_with_output().unwrap()),
            (2, second.wait_with_output().unwrap()),
        ];
        let succeeded: Vec<u64> = results
            .iter()
            .filter(|(_, o)| o.status.success())
            .map(|(seed, _)| *seed)
            .collect();
        assert!(
            !succeeded.is_empty(),
            "stagger {stagger} ms: both runs failed"
        );
        for (_, o) in results.iter().filter(|(_, o)| !o.status.success()) {
            refused_as_busy(o, "--out_dir");
        }
        receipts_match(&out);
        assert!(succeeded.contains(&seed_of(&out)), "stagger {stagger} ms");
        let leftovers: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "stagger {stagger} ms: {leftovers:?}");
    }
}

/// The mirror folder is locked too: a run into another output folder but
/// the same --params_dir waits its turn or is refused naming --params_dir.
#[test]
fn two_runs_sharing_a_mirror_never_mix() {
    let dir = tempfile::tempdir().unwrap();
    let mirror = dir.path().join("params");
    let first = start("1", &dir.path().join("a"), Some(&mirror));
    std::thread::sleep(Duration::from_millis(30));
    let second = start("2", &dir.path().join("b"), Some(&mirror));
    let (a, b) = (
        first.wait_with_output().unwrap(),
        second.wait_with_output().unwrap(),
    );
    assert!(a.status.success() || b.status.success());
    for o in [&a, &b] {
        if !o.status.success() {
            let stderr = String::from_utf8_lossy(&o.stderr);
            assert!(
                stderr.contains("--params_dir is in use") || stderr.contains("--out_dir is in use"),
                "{stderr}"
            );
            assert_eq!(o.status.code(), Some(2));
        }
    }
    let ledger = std::fs::read(mirror.join("master_account_ledger.csv")).unwrap();
    let from = if a.status.success() && !b.status.success() {
        "a"
    } else if b.status.success() && !a.status.success() {
        "b"
    } else {
        ""
    };
    if !from.is_empty() {
        assert_eq!(
            ledger,
            std::fs::read(dir.path().join(from).join("master_account_ledger.csv")).unwrap()
        );
    }
    let _ = snapshot(&mirror);
}
