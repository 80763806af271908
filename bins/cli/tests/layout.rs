//! `--layout tables` (README, *Scale and sharding*): a folder per table
//! holding one part per shard, receipts under `_receipts/part-K-of-N/`,
//! shards of one run sharing one output folder, and the parts adding up
//! to the flat run's tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use arrow_array::RecordBatch;
use common::{a, assert_refused, read, run, run_ok, snapshot, step_binary};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::collections::BTreeMap;
use std::fs::{self, File};
use std::path::Path;

/// The stems of every table of a `--clean_twin` run, in file order.
const TABLES: &[&str] = &[
    "customers",
    "customers_v1",
    "lines",
    "devices",
    "eip_agreements",
    "line_device_usage",
    "master_account_ledger",
    "master_account_ledger__anomalies",
    "imei_anomaly_examples",
    "anomaly_manifest",
    "master_account_ledger__clean",
];

/// Customers of every run here: three swap blocks, so both shards of two
/// hold customers.
const CUSTOMERS: &str = "3000";

/// Runs `run_all` for `CUSTOMERS` customers with the clean twin into `out`.
fn run_all(out: &Path, extra: &[&str]) {
    let mut args = vec![
        a("--out_dir"),
        a(out),
        a("--n_customers"),
        a(CUSTOMERS),
        a("--no_params_mirror"),
        a("--clean_twin"),
        a("--quiet"),
    ];
    args.extend(extra.iter().map(a));
    run_ok(step_binary("run_all"), &args);
}

/// The paths of `dir`, relative to it, sorted.
fn paths(dir: &Path) -> Vec<String> {
    snapshot(dir).into_keys().collect()
}

#[test]
fn one_unsharded_run_writes_exactly_these_paths() {
    let dir = tempfile::tempdir().unwrap();
    run_all(dir.path(), &["--layout", "tables"]);
    let expected = [
        "_receipts/part-1-of-1/customer_generation_receipt.json",
        "_receipts/part-1-of-1/imei_anomaly_injection_receipt.json",
        "_receipts/part-1-of-1/master_account_ledger_receipt.json",
        "anomaly_manifest/part-1-of-1.csv",
        "customers/part-1-of-1.csv",
        "customers_v1/part-1-of-1.csv",
        "datapackage.json",
        "devices/part-1-of-1.csv",
        "eip_agreements/part-1-of-1.csv",
        "imei_anomaly_examples/part-1-of-1.csv",
        "line_device_usage/part-1-of-1.csv",
        "lines/part-1-of-1.csv",
        "master_account_ledger/part-1-of-1.csv",
        "master_account_ledger__anomalies/part-1-of-1.csv",
        "master_account_ledger__clean/part-1-of-1.csv",
    ];
    assert_eq!(paths(dir.path()), expected);
    // The unsharded part is the flat run's table, byte for byte.
    let flat = tempfile::tempdir().unwrap();
    run_all(flat.path(), &[]);
    for table in TABLES {
        let part = dir.path().join(format!("{table}/part-1-of-1.csv"));
        let whole = flat.path().join(format!("{table}.csv"));
        assert!(
            fs::read(&part).unwrap() == fs::read(&whole).unwrap(),
            "{table}"
        );
    }
}

#[test]
fn two_shards_into_one_folder_write_every_part_and_both_receipts() {
    let dir = tempfile::tempdir().unwrap();
    for shard in ["1/2", "2/2"] {
        run_all(dir.path(), &["--layout", "tables", "--shard", shard]);
    }
    let mut expected = Vec::new();
    for part in ["part-1-of-2", "part-2-of-2"] {
        for receipt in [
            "customer_generation_receipt.json",
            "imei_anomaly_injection_receipt.json",
            "master_account_ledger_receipt.json",
        ] {
            expected.push(format!("_receipts/{part}/{receipt}"));
        }
        for table in TABLES {
            expected.push(format!("{table}/{part}.csv"));
        }
    }
    expected.push("datapackage.json".into());
    expected.sort();
    assert_eq!(paths(dir.path()), expected);
    // The data dictionary lists each table's parts, in shard order.
    let package: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("datapackage.json")).unwrap()).unwrap();
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), TABLES.len());
    for (resource, table) in resources.iter().zip(TABLES) {
        assert_eq!(resource["name"], *table);
        assert_eq!(
            resource["path"],
            serde_json::json!([
                format!("{table}/part-1-of-2.csv"),
                format!("{table}/part-2-of-2.csv")
            ])
        );
    }
    // Each shard's receipts list its own parts, relative to the folder,
    // with their sizes and hashes.
    for part in ["part-1-of-2", "part-2-of-2"] {
        let receipt = dir
            .path()
            .join(format!("_receipts/{part}/customer_generation_receipt.json"));
        let receipt: serde_json::Value = serde_json::from_str(&read(&receipt)).unwrap();
        assert_eq!(receipt["parameters"]["layout"], "tables");
        let files = receipt["files"].as_array().unwrap();
        let listed: Vec<&str> = files.iter().map(|f| f["path"].as_str().unwrap()).collect();
        let want: Vec<String> = TABLES[..6]
            .iter()
            .map(|t| format!("{t}/{part}.csv"))
            .collect();
        assert_eq!(listed, want);
        for file in files {
            let bytes = fs::read(dir.path().join(file["path"].as_str().unwrap())).unwrap();
            assert_eq!(file["bytes"], bytes.len());
            assert_eq!(file["sha256"], novawireless_io::sha256_hex(&bytes));
        }
    }
}

#[test]
fn csv_parts_of_two_shards_concatenate_to_the_flat_run() {
    let sharded = tempfile::tempdir().unwrap();
    for shard in ["2/2", "1/2"] {
        run_all(sharded.path(), &["--layout", "tables", "--shard", shard]);
    }
    let flat = tempfile::tempdir().unwrap();
    run_all(flat.path(), &[]);
    for table in TABLES {
        let first = read(&sharded.path().join(format!("{table}/part-1-of-2.csv")));
        let second = read(&sharded.path().join(format!("{table}/part-2-of-2.csv")));
        let whole = read(&flat.path().join(format!("{table}.csv")));
        // Every part carries the header; the second's is dropped.
        let (header, rows) = second.split_once('\n').unwrap();
        assert!(whole.starts_with(&format!("{header}\n")), "{table}");
        assert!(
            first.lines().count() > 1 && rows.lines().count() > 0,
            "{table}"
        );
        assert!(
            first + rows == whole,
            "{table}: the parts differ from the flat table"
        );
    }
}

/// Every row of a Parquet file, as one batch.
fn rows(path: &Path) -> RecordBatch {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let schema = reader.schema().clone();
    let batches: Vec<RecordBatch> = reader.build().unwrap().map(Result::unwrap).collect();
    arrow_select::concat::concat_batches(&schema, &batches).unwrap()
}

#[test]
fn parquet_parts_of_two_shards_hold_the_flat_run_row_for_row() {
    let sharded = tempfile::tempdir().unwrap();
    for shard in ["1/2", "2/2"] {
        let flags = [
            "--layout", "tables", "--format", "parquet", "--shard", shard,
        ];
        run_all(sharded.path(), &flags);
    }
    let flat = tempfile::tempdir().unwrap();
    run_all(flat.path(), &["--format", "parquet"]);
    for table in TABLES {
        let first = rows(&sharded.path().join(format!("{table}/part-1-of-2.parquet")));
        let second = rows(&sharded.path().join(format!("{table}/part-2-of-2.parquet")));
        let whole = rows(&flat.path().join(format!("{table}.parquet")));
        assert!(first.num_rows() > 0 && second.num_rows() > 0, "{table}");
        let joined = arrow_select::concat::concat_batches(&whole.schema(), &[first, second]);
        assert!(
            joined.unwrap() == whole,
            "{table}: the parts differ from the flat table"
        );
    }
}

#[test]
fn concurrent_shards_share_the_folder_and_give_the_sequential_bytes() {
    let sequential = tempfile::tempdir().unwrap();
    for shard in ["1/2", "2/2"] {
        run_all(sequential.path(), &["--layout", "tables", "--shard", shard]);
    }
    let concurrent = tempfile::tempdir().unwrap();
    let children: Vec<_> = ["1/2", "2/2"]
        .iter()
        .map(|shard| {
            std::process::Command::new(step_binary("run_all"))
                .arg("--out_dir")
                .arg(concurrent.path())
                .args(["--n_customers", CUSTOMERS, "--no_params_mirror"])
                .args(["--clean_twin", "--quiet", "--layout", "tables"])
                .args(["--shard", shard])
                .output()
                .unwrap()
        })
        .collect();
    for child in children {
        assert!(
            child.status.success(),
            "{}",
            String::from_utf8_lossy(&child.stderr)
        );
    }
    // Same flags, same bytes: the sequential and concurrent folders agree.
    assert!(snapshot(concurrent.path()) == snapshot(sequential.path()));
}

#[test]
fn a_shard_is_locked_out_by_its_own_lock_only() {
    let dir = tempfile::tempdir().unwrap();
    let held = novawireless_io::FolderLock::acquire_named(
        dir.path(),
        "--out_dir",
        ".novawireless.part-1-of-2.lock",
    )
    .unwrap();
    let args = |shard: &str| {
        vec![
            a("--out_dir"),
            a(dir.path()),
            a("--n_customers"),
            a(CUSTOMERS),
            a("--no_params_mirror"),
            a("--quiet"),
            a("--layout"),
            a("tables"),
            a("--shard"),
            a(shard),
        ]
    };
    let refused = run(step_binary("run_all"), &args("1/2"));
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--out_dir is in use by another run"),
        "{stderr}"
    );
    assert!(
        stderr.contains(".novawireless.part-1-of-2.lock"),
        "{stderr}"
    );
    // The other shard runs meanwhile; the first left nothing behind.
    run_ok(step_binary("run_all"), &args("2/2"));
    assert!(!dir.path().join("customers/part-1-of-2.csv").exists());
    assert!(dir.path().join("customers/part-2-of-2.csv").exists());
    drop(held);
    run_ok(step_binary("run_all"), &args("1/2"));
    assert_eq!(
        fs::read_dir(dir.path().join("customers")).unwrap().count(),
        2
    );
}

#[test]
fn a_shard_replaces_only_its_own_parts_and_temporaries_of_dead_runs() {
    let dir = tempfile::tempdir().unwrap();
    for shard in ["1/2", "2/2"] {
        run_all(dir.path(), &["--layout", "tables", "--shard", shard]);
    }
    let customers = dir.path().join("customers");
    // A dead run's temporary, and one of a live process (pid 1).
    let dead = customers.join(".part-2-of-2.csv.4294967295.novawireless-partial");
    let live = customers.join(".part-2-of-2.csv.1.novawireless-partial");
    fs::write(&dead, "partial").unwrap();
    fs::write(&live, "being written").unwrap();
    let second = fs::read(customers.join("part-2-of-2.csv")).unwrap();
    let flags = [
        "--layout", "tables", "--shard", "1/2", "--format", "parquet",
    ];
    run_all(dir.path(), &flags);
    let mut names: Vec<String> = fs::read_dir(&customers)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".part-2-of-2.csv.1.novawireless-partial",
            "part-1-of-2.parquet",
            "part-2-of-2.csv"
        ]
    );
    assert!(fs::read(customers.join("part-2-of-2.csv")).unwrap() == second);
}

#[test]
fn the_steps_one_by_one_write_run_alls_tables_in_table_folders() {
    let steps = tempfile::tempdir().unwrap();
    let out = |extra: &[&str]| {
        let mut args = vec![a("--out_dir"), a(steps.path()), a("--quiet")];
        args.extend(["--layout", "tables", "--no_params_mirror"].map(a));
        args.extend(extra.iter().map(a));
        args
    };
    let generate = [a("--n_customers"), a(CUSTOMERS), a("--layout"), a("tables")];
    let mut args = vec![a("--out_dir"), a(steps.path()), a("--quiet")];
    args.extend(generate);
    run_ok(step_binary("generate_customers"), &args);
    run_ok(step_binary("build_master_account_ledger"), &out(&[]));
    run_ok(
        step_binary("inject_imei_anomalies"),
        &out(&["--overwrite_base"]),
    );
    let fixed = run_ok(step_binary("fix_ledger_contract_proxy"), &out(&[]));
    assert!(fixed.status.success());
    let all = tempfile::tempdir().unwrap();
    run_all(all.path(), &["--layout", "tables"]);
    let (steps_files, all_files) = (snapshot(steps.path()), snapshot(all.path()));
    let tables_of = |files: &BTreeMap<String, Vec<u8>>| -> Vec<String> {
        files
            .keys()
            .filter(|p| !p.starts_with('_'))
            .cloned()
            .collect()
    };
    let mut want = tables_of(&all_files);
    want.retain(|p| !p.starts_with("master_account_ledger__clean/"));
    want.push("master_account_ledger__pre_contract_fix/part-1-of-1.csv".into());
    want.sort();
    assert_eq!(tables_of(&steps_files), want);
    // The data dictionaries differ as the tables do (the clean twin, the
    // backup); every table is the same.
    for path in want
        .iter()
        .filter(|p| !p.contains("pre_contract_fix") && *p != "datapackage.json")
    {
        assert!(steps_files[path] == all_files[path], "{path}");
    }
}

#[test]
fn a_step_refuses_a_folder_of_the_other_layout_naming_what_is_there() {
    let flat = tempfile::tempdir().unwrap();
    let args = |dir: &Path, layout: &str| {
        vec![
            a("--out_dir"),
            a(dir),
            a("--layout"),
            a(layout),
            a("--no_params_mirror"),
        ]
    };
    let generate = |dir: &Path, layout: &str| {
        let mut g = args(dir, layout);
        g.truncate(4);
        g.extend(["--n_customers", "50"].map(a));
        run_ok(step_binary("generate_customers"), &g);
    };
    generate(flat.path(), "flat");
    let before = snapshot(flat.path());
    let step2 = step_binary("build_master_account_ledger");
    let output = run(step2, &args(flat.path(), "tables"));
    let missing = flat.path().join("customers/part-1-of-1.csv");
    let message = format!(
        "{}: no such file; customers.csv is there: pass --layout flat to read it",
        missing.display()
    );
    assert_refused(&output, flat.path(), &before, &[&message]);

    let tables = tempfile::tempdir().unwrap();
    run_all(tables.path(), &["--layout", "tables"]);
    let before = snapshot(tables.path());
    for (step, input) in [
        (step2, "customers"),
        (
            step_binary("inject_imei_anomalies"),
            "master_account_ledger",
        ),
        (
            step_binary("fix_ledger_contract_proxy"),
            "master_account_ledger",
        ),
    ] {
        let output = run(step, &args(tables.path(), "flat"));
        let message = format!(
            "{}: no such file; {input}/part-1-of-1.csv is there: pass --layout tables to read it",
            tables.path().join(format!("{input}.csv")).display()
        );
        assert_refused(&output, tables.path(), &before, &[&message]);
    }
    // Parquet tables in table folders: both flags are named.
    let parquet = tempfile::tempdir().unwrap();
    let mut g = args(parquet.path(), "tables");
    g.truncate(4);
    g.extend(["--n_customers", "50", "--format", "parquet"].map(a));
    run_ok(step_binary("generate_customers"), &g);
    let before = snapshot(parquet.path());
    let output = run(step2, &args(parquet.path(), "flat"));
    let needle = "customers/part-1-of-1.parquet is there: pass --layout tables --format parquet";
    assert_refused(&output, parquet.path(), &before, &[needle]);
}

#[test]
fn a_step_names_the_parts_of_a_sharded_run() {
    let dir = tempfile::tempdir().unwrap();
    run_all(dir.path(), &["--layout", "tables", "--shard", "2/2"]);
    let before = snapshot(dir.path());
    let args = [
        a("--out_dir"),
        a(dir.path()),
        a("--layout"),
        a("tables"),
        a("--no_params_mirror"),
    ];
    let output = run(step_binary("fix_ledger_contract_proxy"), &args);
    let needle = "master_account_ledger/part-2-of-2.csv is there, a part of a sharded run";
    assert_refused(&output, dir.path(), &before, &[needle, "part-1-of-1.csv"]);
}

#[test]
fn a_bad_layout_is_refused_by_clap_with_the_possible_values() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    for program in [
        "run_all",
        "generate_customers",
        "build_master_account_ledger",
    ] {
        let output = run(
            step_binary(program),
            &[a("--out_dir"), a(&out), a("--layout"), a("nested")],
        );
        assert_eq!(output.status.code(), Some(2), "{program}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            stderr,
            "error: invalid value 'nested' for '--layout <LAYOUT>' [possible values: flat, tables]\n",
            "{program}"
        );
        assert!(!out.exists(), "{program}");
    }
}

#[test]
fn the_report_needs_the_flat_layout() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let args = [
        a("--out_dir"),
        a(&out),
        a("--layout"),
        a("tables"),
        a("--report"),
        a("--no_params_mirror"),
    ];
    let output = run(step_binary("run_all"), &args);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: --report needs the flat layout"),
        "{stderr}"
    );
    assert!(!out.exists(), "the refused run created its folder");

    run_all(&out, &["--layout", "tables"]);
    let before = snapshot(&out);
    let output = run(step_binary("profile"), &[a("--out_dir"), a(&out)]);
    let needle =
        "holds the tables layout (customers/part-…); the profile reads the flat layout only";
    assert_refused(&output, &out, &before, &[needle]);
}
