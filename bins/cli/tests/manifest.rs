//! The defect manifest is the exact ground truth of every injected defect:
//! undoing it on the final ledger gives the clean twin byte for byte, and
//! its counts agree with the receipts and the ledger's labels.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use common::*;
use std::collections::BTreeMap;
use std::path::Path;

/// A CSV table as its header and rows of fields.
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }

    fn to_csv(&self) -> String {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::Any(b'\n'))
            .from_writer(Vec::new());
        writer.write_record(&self.header).unwrap();
        for r in &self.rows {
            writer.write_record(r).unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }
}

/// Undoes every manifest row on a ledger (stage 3 before stage 1, the
/// reverse of their injection), then recomputes the step-3 flags and clears
/// the labels.
fn undo(ledger: &mut Table, manifest: &Table) {
    let line = ledger.col("line_id");
    let row_of: BTreeMap<String, usize> = ledger
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| (r[line].clone(), i))
        .collect();
    let (m_line, m_stage, m_clean, m_injected) = (
        manifest.col("line_id"),
        manifest.col("stage"),
        manifest.col("clean_value"),
        manifest.col("injected_value"),
    );
    let usage = ledger.col("usage_imei");
    let mismatch_flag = ledger.col("imei_line_mismatch_flag");
    for stage in ["3", "1"] {
        for d in manifest.rows.iter().filter(|d| d[m_stage] == stage) {
            let r = &mut ledger.rows[row_of[&d[m_line]]];
            assert_eq!(
                r[usage], d[m_injected],
                "{}: the ledger does not hold the injected value",
                d[m_line]
            );
            r[usage] = d[m_clean].clone();
            if stage == "1" {
                r[mismatch_flag] = "0".into();
            }
        }
    }
    let (agreement, eip_imei) = (ledger.col("agreement_number"), ledger.col("eip_imei"));
    let (imei_mismatch, missing, eip_mismatch, upstream) = (
        ledger.col("imei_mismatch_flag"),
        ledger.col("missing_usage_imei_flag"),
        ledger.col("eip_mismatch_flag"),
        ledger.col("upstream_friction_risk_flag"),
    );
    let label = ledger.col("imei_anomaly_type");
    let flag = |b: bool| if b { "1".to_string() } else { "0".to_string() };
    for r in &mut ledger.rows {
        let mismatch = !r[agreement].is_empty()
            && !r[eip_imei].is_empty()
            && !r[usage].is_empty()
            && r[eip_imei] != r[usage];
        let blank = r[usage].is_empty();
        r[upstream] = flag(mismatch || blank || r[eip_mismatch] == "1");
        r[imei_mismatch] = flag(mismatch);
        r[missing] = flag(blank);
        r[label] = String::new();
    }
}

fn count_by(table: &Table, column: &str) -> BTreeMap<String, u64> {
    let c = table.col(column);
    let mut counts = BTreeMap::new();
    for r in &table.rows {
        *counts.entry(r[c].clone()).or_default() += 1;
    }
    counts
}

fn receipt(path: &Path) -> serde_json::Value {
    serde_json::from_str(&read(path)).unwrap()
}

fn check_run(flags: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let mut args = vec![
        "--out_dir",
        d.to_str().unwrap(),
        "--no_params_mirror",
        "--clean_twin",
    ];
    args.extend_from_slice(flags);
    run_ok(env!("CARGO_BIN_EXE_run_all"), &args);

    let manifest = Table::read(&d.join("anomaly_manifest.csv"));
    let mut ledger = Table::read(&d.join("master_account_ledger.csv"));
    undo(&mut ledger, &manifest);
    assert!(
        ledger.to_csv() == read(&d.join("master_account_ledger__clean.csv")),
        "{flags:?}: undoing the manifest does not give the clean twin"
    );

    // Counts: manifest = receipts = labels.
    let by_type = count_by(&manifest, "defect_type");
    let labels = count_by(
        &Table::read(&d.join("master_account_ledger.csv")),
        "imei_anomaly_type",
    );
    let step3 = receipt(&d.join("imei_anomaly_injection_receipt.json"));
    let step1 = receipt(&d.join("customer_generation_receipt.json"));
    let n = |m: &BTreeMap<String, u64>, k: &str| m.get(k).copied().unwrap_or(0);
    assert_eq!(
        n(&by_type, "generation_usage_mismatch"),
        step1["row_counts"]["generation_usage_mismatches"]
            .as_u64()
            .unwrap()
    );
    for label in [
        "imei_mismatch_swap",
        "missing_usage_imei_capture_failure",
        "missing_usage_imei_ghost_line",
    ] {
        assert_eq!(
            n(&by_type, label),
            step3["realised"][label].as_u64().unwrap(),
            "{label}"
        );
        assert_eq!(n(&by_type, label), n(&labels, label), "{label}");
    }
    assert_eq!(
        manifest.rows.len() as u64,
        step3["realised"]["manifest_rows"].as_u64().unwrap()
    );
    assert!(n(&by_type, "imei_mismatch_swap") > 0 && n(&by_type, "generation_usage_mismatch") > 0);

    // Ids are unique and in line order; every row names a real change.
    let ids: Vec<&String> = manifest
        .rows
        .iter()
        .map(|r| &r[manifest.col("defect_id")])
        .collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "defect ids not increasing"
    );
    let (clean, injected) = (manifest.col("clean_value"), manifest.col("injected_value"));
    assert!(manifest.rows.iter().all(|r| r[clean] != r[injected]));
}

#[test]
fn undoing_the_manifest_gives_the_clean_twin() {
    check_run(&["--n_customers", "3000"]);
}

#[test]
fn undoing_the_manifest_gives_the_clean_twin_with_heavy_and_cross_customer_defects() {
    check_run(&[
        "--n_customers",
        "2500",
        "--p_mismatch",
        "0.5",
        "--p_missing",
        "0.3",
        "--p_inject_eip_usage_mismatch",
        "0.4",
        "--within_customer_only",
        "false",
    ]);
}

#[test]
fn the_clean_twin_changes_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    run_ok(
        env!("CARGO_BIN_EXE_run_all"),
        &[
            "--out_dir",
            d.to_str().unwrap(),
            "--no_params_mirror",
            "--n_customers",
            "500",
        ],
    );
    let without = snapshot(d);
    let twin = tempfile::tempdir().unwrap();
    let t = twin.path();
    run_ok(
        env!("CARGO_BIN_EXE_run_all"),
        &[
            "--out_dir",
            t.to_str().unwrap(),
            "--no_params_mirror",
            "--n_customers",
            "500",
            "--clean_twin",
        ],
    );
    let with = snapshot(t);
    for (name, bytes) in &without {
        if !name.ends_with(".json") {
            assert!(with[name] == *bytes, "{name} changed with --clean_twin");
        }
    }
    let clean = Table::read(&t.join("master_account_ledger__clean.csv"));
    for flag in [
        "imei_mismatch_flag",
        "missing_usage_imei_flag",
        "imei_line_mismatch_flag",
    ] {
        assert_eq!(
            count_by(&clean, flag).get("1"),
            None,
            "{flag} set in the clean twin"
        );
    }
}

/// On the hand-made fixture, step 3 run with any probabilities gives a
/// manifest that, undone, leads back to the same clean ledger.
#[test]
fn on_the_fixture_every_injection_undoes_to_the_same_clean_ledger() {
    let mut cleaned = Vec::new();
    let mut defects = Vec::new();
    for flags in [["0", "0"], ["1", "0"], ["0", "1"], ["0.5", "0.5"]] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        copy_ledger("master_account_ledger.csv", d);
        let dir_arg = d.to_str().unwrap();
        run_ok(
            step_binary("inject_imei_anomalies"),
            &[
                "--out_dir",
                dir_arg,
                "--no_params_mirror",
                "--p_mismatch",
                flags[0],
                "--p_missing",
                flags[1],
            ],
        );
        let manifest = Table::read(&d.join("anomaly_manifest.csv"));
        let mut ledger = Table::read(&d.join("master_account_ledger__anomalies.csv"));
        undo(&mut ledger, &manifest);
        cleaned.push(ledger.to_csv());
        defects.push(manifest.rows.len());
    }
    assert!(
        cleaned.windows(2).all(|w| w[0] == w[1]),
        "the fixture's runs do not undo to one clean ledger"
    );
    // The fixture's stage-1 mismatches are in every manifest; the runs with
    // p = 1 add stage-3 defects on top.
    assert!(
        defects[1] > defects[0] && defects[2] > defects[0],
        "{defects:?}"
    );
    assert!(
        defects[0] > 0,
        "the fixture's generation-time mismatch is missing"
    );
}
