//! Golden checksums: the SHA-256 of every output file of a fixed matrix of
//! runs, compared with `tests/golden/checksums.txt`. Any change of any byte
//! of any output (tables, receipts, profile, mirror, stdout) fails here.
//!
//! The matrix: `run_all` in CSV and Parquet, with and without
//! `--clean_twin`; the two shards of a run; the four step binaries one by
//! one (CSV and Parquet); `profile` and `run_all --report`; a config file
//! (`configs/ibm_telco.json`); cross-customer swaps.
//!
//! When an output is meant to change, re-record the file and commit it with
//! the change that explains it:
//!
//! ```sh
//! NOVAWIRELESS_GOLDEN_RECORD=1 cargo test -p novawireless-cli --test golden
//! ```

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::{a, run_ok, snapshot, step_binary};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::Path;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");

/// Customers of every run: three swap blocks, the last one partial.
const N: &str = "3000";

/// The checked-in expectations.
fn golden_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/checksums.txt")
}

fn config_file() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../configs/ibm_telco.json")
        .display()
        .to_string()
}

/// Records `case/name sha256 bytes` of every file of `dir` under `case`.
fn record_folder(out: &mut BTreeMap<String, String>, case: &str, dir: &Path) {
    for (name, bytes) in snapshot(dir) {
        record(out, &format!("{case}/{name}"), &bytes);
    }
}

fn record(out: &mut BTreeMap<String, String>, key: &str, bytes: &[u8]) {
    let hash = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in hash {
        write!(hex, "{b:02x}").unwrap();
    }
    out.insert(key.to_string(), format!("{hex} {}", bytes.len()));
}

/// Runs `exe` with `flags` into a fresh output folder (and mirror folder),
/// recording every file and the stdout (folders spelled `OUT`, `MIRROR`).
fn case(
    out: &mut BTreeMap<String, String>,
    name: &str,
    exe: &str,
    flags: &[&str],
) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    let (dir, mirror) = (root.path().join("out"), root.path().join("mirror"));
    let mut args: Vec<OsString> = vec![a("--out_dir"), a(&dir), a("--params_dir"), a(&mirror)];
    args.extend(flags.iter().map(a));
    args.push(a("--quiet"));
    let output = run_ok(exe, &args);
    let stdout = String::from_utf8_lossy(&output.stdout)
        .replace(&dir.display().to_string(), "OUT")
        .replace(&mirror.display().to_string(), "MIRROR");
    record(out, &format!("{name}/(stdout)"), stdout.as_bytes());
    record_folder(out, &format!("{name}/out"), &dir);
    if mirror.exists() {
        record_folder(out, &format!("{name}/mirror"), &mirror);
    }
    root
}

/// The four step binaries one after the other in one folder, in `format`.
fn steps(out: &mut BTreeMap<String, String>, name: &str, format: &str) {
    let root = tempfile::tempdir().unwrap();
    let (dir, mirror) = (root.path().join("out"), root.path().join("mirror"));
    let common = [
        a("--out_dir"),
        a(&dir),
        a("--format"),
        a(format),
        a("--quiet"),
    ];
    let mut args = common.to_vec();
    args.extend(["--n_customers", N, "--seed", "7"].iter().map(a));
    run_ok(step_binary("generate_customers"), &args);
    let mut ledger = common.to_vec();
    ledger.extend([a("--params_dir"), a(&mirror)]);
    run_ok(step_binary("build_master_account_ledger"), &ledger);
    let mut inject = ledger.clone();
    inject.extend(["--seed", "99", "--overwrite_base"].iter().map(a));
    run_ok(step_binary("inject_imei_anomalies"), &inject);
    run_ok(step_binary("fix_ledger_contract_proxy"), &ledger);
    record_folder(out, &format!("{name}/out"), &dir);
    record_folder(out, &format!("{name}/mirror"), &mirror);
}

fn regenerate() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let n = ["--n_customers", N];
    let csv = case(&mut out, "run_all_csv", RUN_ALL, &n);
    case(
        &mut out,
        "run_all_parquet",
        RUN_ALL,
        &[&n[..], &["--format", "parquet"]].concat(),
    );
    case(
        &mut out,
        "run_all_csv_clean_twin",
        RUN_ALL,
        &[&n[..], &["--clean_twin"]].concat(),
    );
    let twin = ["--format", "parquet", "--clean_twin"];
    case(
        &mut out,
        "run_all_parquet_clean_twin",
        RUN_ALL,
        &[&n[..], &twin].concat(),
    );
    for shard in ["1/2", "2/2"] {
        let name = format!("run_all_shard_{}", shard.replace('/', "_of_"));
        case(
            &mut out,
            &name,
            RUN_ALL,
            &[&n[..], &["--shard", shard]].concat(),
        );
    }
    let cross = ["--within_customer_only", "false", "--p_mismatch", "0.2"];
    case(
        &mut out,
        "run_all_cross_customer",
        RUN_ALL,
        &[&n[..], &cross].concat(),
    );
    let config = config_file();
    let flags = [&n[..], &["--config", &config, "--seed", "5"]].concat();
    case(&mut out, "run_all_config", RUN_ALL, &flags);
    case(
        &mut out,
        "run_all_report",
        RUN_ALL,
        &[&n[..], &["--report"]].concat(),
    );
    let parquet_report = ["--report", "--format", "parquet"];
    case(
        &mut out,
        "run_all_report_parquet",
        RUN_ALL,
        &[&n[..], &parquet_report].concat(),
    );
    steps(&mut out, "steps_csv", "csv");
    steps(&mut out, "steps_parquet", "parquet");
    // `profile` over the CSV run's folder.
    let dir = csv.path().join("out");
    let output = run_ok(step_binary("profile"), &[a("--out_dir"), a(&dir)]);
    let stdout = String::from_utf8_lossy(&output.stdout).replace(&dir.display().to_string(), "OUT");
    record(&mut out, "profile/(stdout)", stdout.as_bytes());
    for name in [
        "customers_v1_profile.csv",
        "table_profile.csv",
        "report.html",
    ] {
        record(
            &mut out,
            &format!("profile/{name}"),
            &std::fs::read(dir.join(name)).unwrap(),
        );
    }
    out
}

fn render(map: &BTreeMap<String, String>) -> String {
    map.iter().map(|(k, v)| format!("{k} {v}\n")).collect()
}

#[test]
fn every_output_byte_is_as_recorded() {
    let actual = regenerate();
    let path = golden_path();
    if std::env::var_os("NOVAWIRELESS_GOLDEN_RECORD").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, render(&actual)).unwrap();
        return;
    }
    let expected: BTreeMap<String, String> = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (record it, see the doc comment)", path.display()))
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut differences = String::new();
    for key in expected
        .keys()
        .chain(actual.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let (e, g) = (expected.get(key), actual.get(key));
        if e != g {
            writeln!(differences, "{key}: expected {e:?}, got {g:?}").unwrap();
        }
    }
    assert!(differences.is_empty(), "outputs changed:\n{differences}");
}
