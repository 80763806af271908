#![allow(clippy::unwrap_used, clippy::expect_used)]
//! `write_profile` on a folder of Parquet tables: the same profile and page
//! as the folder of their CSV twins (whole floats, booleans, dates and nulls
//! included), a folder holding both formats read in the one its receipt names, and a
//! Parquet file that is not one, or has a column the profile cannot read,
//! refused in one line naming it, with the folder left as it was.

#[path = "common/mod.rs"]
mod common;

use arrow_array::{
    ArrayRef, BinaryArray, BooleanArray, Date32Array, Float64Array, Int32Array, RecordBatch,
    StringArray,
};
use novawireless_report::{
    write_profile, ReportError, PROFILE_FILE, REPORT_FILE, TABLE_PROFILE_FILE,
};
use parquet::arrow::ArrowWriter;
use std::fs::{self, File};
use std::path::Path;
use std::sync::Arc;

/// Writes `columns` as the Parquet table `dir/name`.
fn write_parquet(dir: &Path, name: &str, columns: Vec<(&str, ArrayRef)>) {
    let batch = RecordBatch::try_from_iter(columns).unwrap();
    let file = File::create(dir.join(name)).unwrap();
    let mut writer = ArrowWriter::try_new(file, batch.schema(), None).unwrap();
    writer.write(&batch).unwrap();
    writer.close().unwrap();
}

fn strings(values: &[Option<&str>]) -> ArrayRef {
    Arc::new(StringArray::from(values.to_vec()))
}

/// A customers table in both formats: the CSV as the `run_all` writer
/// spells it (whole floats as `45.0`, flags as `0`/`1`).
const CUSTOMERS_CSV: &str = "\
customer_id,tenure_months,monthly_charges,device_monthly_payment,paperless_billing,has_5g_home_internet,churn_risk_score,snapshot_date
C0000001,0,20.5,0.0,Yes,1,0.25,2026-02-22
C0000002,3,,10.0,No,0,0.000001,2025-12-31
C0000003,12,45.0,0.0,Yes,0,0.5,
C0000004,71,99.99,25.0,,1,1.0,2000-02-29
";

fn customers_parquet(dir: &Path) {
    write_parquet(
        dir,
        "customers.parquet",
        vec![
            (
                "customer_id",
                strings(&[
                    Some("C0000001"),
                    Some("C0000002"),
                    Some("C0000003"),
                    Some("C0000004"),
                ]),
            ),
            (
                "tenure_months",
                Arc::new(Int32Array::from(vec![0, 3, 12, 71])),
            ),
            (
                "monthly_charges",
                Arc::new(Float64Array::from(vec![
                    Some(20.5),
                    None,
                    Some(45.0),
                    Some(99.99),
                ])),
            ),
            (
                // Every value whole: `integer` unless spelled `0.0` as in the CSV.
                "device_monthly_payment",
                Arc::new(Float64Array::from(vec![0.0, 10.0, -0.0, 25.0])),
            ),
            (
                "paperless_billing",
                strings(&[Some("Yes"), Some("No"), Some("Yes"), None]),
            ),
            (
                "has_5g_home_internet",
                Arc::new(BooleanArray::from(vec![true, false, false, true])),
            ),
            (
                "churn_risk_score",
                Arc::new(Float64Array::from(vec![0.25, 0.000001, 0.5, 1.0])),
            ),
            (
                // 2026-02-22, 2025-12-31, null, 2000-02-29 in days since 1970-01-01.
                "snapshot_date",
                Arc::new(Date32Array::from(vec![
                    Some(20_506),
                    Some(20_453),
                    None,
                    Some(11_016),
                ])),
            ),
        ],
    );
}

const DEVICES_CSV: &str = "device_id,make\nD1,Apple\nD2,Samsung\nD3,Apple\nD4,\n";

fn devices_parquet(dir: &Path) {
    write_parquet(
        dir,
        "devices.parquet",
        vec![
            (
                "device_id",
                strings(&[Some("D1"), Some("D2"), Some("D3"), Some("D4")]),
            ),
            (
                "make",
                strings(&[Some("Apple"), Some("Samsung"), Some("Apple"), None]),
            ),
        ],
    );
}

const MANIFEST_CSV: &str = "defect_id,defect_type\n1,imei_mismatch_swap\n2,imei_mismatch_swap\n";

fn manifest_parquet(dir: &Path) {
    write_parquet(
        dir,
        "anomaly_manifest.parquet",
        vec![
            ("defect_id", Arc::new(Int32Array::from(vec![1, 2]))),
            (
                "defect_type",
                strings(&[Some("imei_mismatch_swap"), Some("imei_mismatch_swap")]),
            ),
        ],
    );
}

/// The receipt of a run in `format`: its folder and format stay off the page.
fn receipt(dir: &Path, format: &str) {
    fs::write(
        dir.join("imei_anomaly_injection_receipt.json"),
        format!(
            "{{\"parameters\": {{\"seed\": 1337, \"in_dir\": \"{}\", \"format\": \"{format}\"}}, \
             \"realised\": {{\"manifest_rows\": 2}}}}",
            dir.display()
        ),
    )
    .unwrap();
}

fn csv_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("customers.csv"), CUSTOMERS_CSV).unwrap();
    fs::write(dir.path().join("devices.csv"), DEVICES_CSV).unwrap();
    fs::write(dir.path().join("anomaly_manifest.csv"), MANIFEST_CSV).unwrap();
    receipt(dir.path(), "csv");
    dir
}

fn parquet_folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    customers_parquet(dir.path());
    devices_parquet(dir.path());
    manifest_parquet(dir.path());
    receipt(dir.path(), "parquet");
    dir
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    fs::read(dir.join(name)).unwrap()
}

#[test]
fn a_parquet_folder_gives_the_profile_of_its_csv_twin() {
    let (csv, parquet) = (csv_folder(), parquet_folder());
    let from_csv = write_profile(csv.path()).unwrap();
    let from_parquet = write_profile(parquet.path()).unwrap();
    for name in [PROFILE_FILE, TABLE_PROFILE_FILE, REPORT_FILE] {
        assert_eq!(
            String::from_utf8(read(parquet.path(), name)).unwrap(),
            String::from_utf8(read(csv.path(), name)).unwrap(),
            "{name}"
        );
    }
    let profile = String::from_utf8(read(parquet.path(), PROFILE_FILE)).unwrap();
    for row in [
        "device_monthly_payment,float,4,0,3,0,25,8.75,",
        "has_5g_home_internet,integer,4,0,2,",
        "snapshot_date,text,3,1,3,",
    ] {
        assert!(profile.contains(row), "{row:?} not in\n{profile}");
    }
    assert!(profile.contains(",0.0=2; 10.0=1; 25.0=1\n"), "{profile}");

    assert_eq!(from_parquet.customers, 4);
    assert_eq!(from_parquet.devices, Some(4));
    assert_eq!(from_parquet.lines, None);
    assert_eq!(from_parquet.columns, from_csv.columns);
    // The summary names the file it read.
    assert_eq!(
        from_csv.anomalies.as_ref().unwrap().source,
        "anomaly_manifest.csv"
    );
    let anomalies = from_parquet.anomalies.unwrap();
    assert_eq!(anomalies.source, "anomaly_manifest.parquet");
    assert_eq!(anomalies.counts.values().sum::<u64>(), 2);
    let html = String::from_utf8(read(parquet.path(), REPORT_FILE)).unwrap();
    assert!(!html.contains("<td>format</td>"));
    assert!(!html.contains(&parquet.path().display().to_string()));
}

#[test]
fn a_folder_holding_both_formats_is_read_in_the_one_its_receipt_names() {
    let dir = parquet_folder();
    // An older CSV run's customers and devices left in the folder.
    fs::write(
        dir.path().join("customers.csv"),
        "customer_id,tenure_months\nC1,5\nC2,6\n",
    )
    .unwrap();
    fs::write(dir.path().join("devices.csv"), "device_id\nD1\n").unwrap();
    let summary = write_profile(dir.path()).unwrap();
    assert_eq!(summary.customers, 4);
    assert_eq!(summary.devices, Some(4));
    assert_eq!(
        summary.anomalies.unwrap().source,
        "anomaly_manifest.parquet"
    );

    // The receipt of a CSV run: only CSV files are read, and a table absent
    // in CSV is absent even though its Parquet file is there.
    receipt(dir.path(), "csv");
    fs::write(dir.path().join("devices.parquet"), "not parquet").unwrap();
    let summary = write_profile(dir.path()).unwrap();
    assert_eq!(summary.customers, 2);
    assert_eq!(summary.columns.len(), 2);
    assert_eq!(summary.devices, Some(1));
    assert!(summary.anomalies.is_none());
}

/// Runs `write_profile` on a fresh folder spoiled by `spoil` (see
/// [`common::refused_in`]).
fn refused(spoil: impl FnOnce(&Path), needles: &[&str]) -> ReportError {
    let dir = parquet_folder();
    common::refused_in(dir.path(), spoil, needles)
}

#[test]
fn a_customers_parquet_that_is_not_parquet_is_named() {
    let err = refused(
        |d| fs::write(d.join("customers.parquet"), "customer_id\nC1\n").unwrap(),
        &["customers.parquet: not a readable Parquet file"],
    );
    assert!(matches!(err, ReportError::Input(_)));
}

#[test]
fn a_truncated_optional_parquet_table_is_named() {
    refused(
        |d| {
            let path = d.join("devices.parquet");
            let bytes = fs::read(&path).unwrap();
            fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        },
        &["devices.parquet: not a readable Parquet file"],
    );
}

#[test]
fn an_empty_parquet_file_is_named() {
    refused(
        |d| fs::write(d.join("anomaly_manifest.parquet"), "").unwrap(),
        &["anomaly_manifest.parquet:"],
    );
}

#[test]
fn a_column_without_a_text_spelling_is_named() {
    let err = refused(
        |d| {
            write_parquet(
                d,
                "devices.parquet",
                vec![
                    ("device_id", strings(&[Some("D1")])),
                    (
                        "photo",
                        Arc::new(BinaryArray::from(vec![b"\x89PNG".as_slice()])),
                    ),
                ],
            );
        },
        &[
            "devices.parquet: column \"photo\" has type Binary",
            "which has no text form here",
        ],
    );
    assert!(matches!(err, ReportError::Input(_)));
}

#[test]
fn a_folder_without_either_customers_file_names_both() {
    let err = refused(
        |d| fs::remove_file(d.join("customers.parquet")).unwrap(),
        &["customers.csv: not found, nor customers.parquet"],
    );
    assert!(matches!(err, ReportError::MissingCustomers { .. }));
}
