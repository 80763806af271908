//! `write_profile` on the hand-made folder `fixtures/profile`: the profile
//! CSV compared byte for byte with values computed by hand, the report's
//! charts counted and named, its bar values checked, no URL anywhere, the
//! same bytes from any folder, optional tables absent, and every refused
//! input leaving the folder as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use novawireless_report::{
    write_profile, AnomalyCounts, ColumnType, Distinct, ReportError, CHART_TITLES, PROFILE_FILE,
    REPORT_FILE, SECTION_IDS, TABLE_PROFILE_FILE,
};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/profile")
}

/// A temporary copy of the fixture folder, without the files in `skip`.
fn copy(skip: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for entry in fs::read_dir(fixture()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if name != "README.md" && !skip.contains(&name.as_str()) {
            fs::copy(&path, dir.path().join(&name)).unwrap();
        }
    }
    dir
}

fn read(dir: &Path, name: &str) -> String {
    fs::read_to_string(dir.join(name)).unwrap()
}

// Worked by hand from fixtures/profile/customers.csv. Quantiles: linear
// interpolation, h = (n − 1)·p, so for n = 10 the ranks are h = 0.45,
// 2.25, 4.5, 6.75, 8.55 and for n = 9 they are 0.4, 2, 4, 6, 7.6. SS is the
// sum of squared deviations, std = √(SS / (n − 1)).
//
// tenure_months 0 3 7 12 12 24 30 45 60 71: sum 264, mean 26.4;
//   Σx² 12488, SS = 12488 − 10·26.4² = 5518.4, std √613.1556 = 24.761978;
//   p05 0 + .45·3 = 1.35, p25 7 + .25·5 = 8.25, p50 (12 + 24)/2 = 18,
//   p75 30 + .75·15 = 41.25, p95 60 + .55·11 = 66.05; 12 twice.
// monthly_charges (C0000003 missing) 20.5 30.25 40 55.75 60 70.5 80.25
//   99.99 115: sum 572.24, mean 63.582222; Σx² 44276.6876,
//   SS = 44276.6876 − 572.24²/9 = 7892.396756, std √986.549594 = 31.409387;
//   p05 20.5 + .4·9.75 = 24.4, p25 40, p50 60, p75 80.25,
//   p95 99.99 + .6·15.01 = 108.996.
// has_5g_home_internet four 1s: mean .4, SS 4 − 1.6 = 2.4, std √(2.4/9)
//   = 0.516398; sorted 0×6 1×4: p75 = x6 = 1.
// lines_on_account 0 1 1 1 2 2 2 2 3 5: mean 1.9, Σx² 53, SS 16.9,
//   std 1.37032; p05 .45, p25 1, p50 2, p75 2, p95 3 + .55·2 = 4.1.
// device_term_months 0 0 0 24 24 24 30 30 36 36: mean 20.4, Σx² 6120,
//   SS 1958.4, std √217.6 = 14.751271; p25 0 + .25·24 = 6, p50 24, p75 30.
// device_months_remaining 0 0 0 2 6 12 20 24 25 30: mean 11.9, Σx² 2685,
//   SS 1268.9, std 11.873874; p25 .25·2 = .5, p50 (6 + 12)/2 = 9,
//   p75 20 + .75·4 = 23, p95 25 + .55·5 = 27.75.
// device_monthly_payment 0 0 0 10 12.5 15.25 18.5 20 22 25.5: sum 123.75,
//   mean 12.375, Σx² 2365.3125, SS 833.90625, std √92.65625 = 9.625812;
//   p25 2.5, p50 13.875, p75 18.5 + .75·1.5 = 19.625, p95 22 + .55·3.5 = 23.925.
// churn_risk_score .05 .1 … .45 .65: sum 2.9, mean .29, Σx² 1.135,
//   SS .294, std 0.180739; p05 .0725, p25 .1625, p50 .275, p75 .3875,
//   p95 .45 + .55·.2 = .56.
// trust_baseline (C0000003 missing) 50.5 60 68.5 72.25 75 80 85.75 90 95.5:
//   sum 677.5, mean 75.277778; Σx² 52660.875, SS 1660.180556,
//   std √207.522569 = 14.405644; p05 50.5 + .4·9.5 = 54.3, p25 68.5,
//   p50 75, p75 85.75, p95 90 + .6·5.5 = 93.3.
// patience .2 .35 .4 .45 .5 .55 .6 .65 .7 .8: sum 5.2, mean .52, Σx² 2.99,
//   SS .286, std 0.178263; p05 .2 + .45·.15 = .2675, p25 .4125, p50 .525,
//   p75 .6375, p95 .7 + .55·.1 = .755.
// is_churned three 1s: mean .3, SS 2.1, std √(2.1/9) = 0.483046;
//   p75 = x6 + .75·(x7 − x6) = .75.
// Top values: counts down, ties by value (numerically in numeric columns).
const EXPECTED_PROFILE: &str = "\
column,type,count,missing,distinct,min,max,mean,std,p05,p25,p50,p75,p95,top_values
customer_id,text,10,0,10,,,,,,,,,,C0000001=1; C0000002=1; C0000003=1; C0000004=1; C0000005=1
account_id,text,10,0,10,,,,,,,,,,A0000001=1; A0000002=1; A0000003=1; A0000004=1; A0000005=1
tenure_months,integer,10,0,9,0,71,26.4,24.761978,1.35,8.25,18,41.25,66.05,12=2; 0=1; 3=1; 7=1; 24=1
monthly_charges,float,9,1,9,20.5,115,63.582222,31.409387,24.4,40,60,80.25,108.996,20.5=1; 30.25=1; 40=1; 55.75=1; 60=1
paperless_billing,text,10,0,2,,,,,,,,,,Yes=6; No=4
payment_method,text,10,0,4,,,,,,,,,,Bank transfer (automatic)=3; Electronic check=3; Credit card (automatic)=2; Mailed check=2
contract_proxy,text,10,0,3,,,,,,,,,,Month-to-month=6; Two year=3; One year=1
internet_service,text,10,0,2,,,,,,,,,,No=6; 5G Home Internet=4
has_5g_home_internet,integer,10,0,2,0,1,0.4,0.516398,0,0,0,1,1,0=6; 1=4
lines_on_account,integer,10,0,5,0,5,1.9,1.37032,0.45,1,2,2,4.1,2=4; 1=3; 0=1; 3=1; 5=1
device_payment_plan,text,10,0,2,,,,,,,,,,Yes=7; No=3
device_term_months,integer,10,0,4,0,36,20.4,14.751271,0,6,24,30,36,0=3; 24=3; 30=2; 36=2
device_months_remaining,integer,10,0,8,0,30,11.9,11.873874,0,0.5,9,23,27.75,0=3; 2=1; 6=1; 12=1; 20=1
device_monthly_payment,float,10,0,8,0,25.5,12.375,9.625812,0,2.5,13.875,19.625,23.925,0=3; 10=1; 12.5=1; 15.25=1; 18.5=1
OnlineSecurity,text,10,0,2,,,,,,,,,,No=6; Yes=4
OnlineBackup,text,10,0,2,,,,,,,,,,No=6; Yes=4
DeviceProtection,text,10,0,2,,,,,,,,,,No=5; Yes=5
StreamingTV,text,10,0,2,,,,,,,,,,No=6; Yes=4
StreamingMovies,text,10,0,2,,,,,,,,,,No=7; Yes=3
churn_risk_score,float,10,0,10,0.05,0.65,0.29,0.180739,0.0725,0.1625,0.275,0.3875,0.56,0.05=1; 0.1=1; 0.15=1; 0.2=1; 0.25=1
trust_baseline,float,9,1,9,50.5,95.5,75.277778,14.405644,54.3,68.5,75,85.75,93.3,50.5=1; 60=1; 68.5=1; 72.25=1; 75=1
patience,float,10,0,10,0.2,0.8,0.52,0.178263,0.2675,0.4125,0.525,0.6375,0.755,0.2=1; 0.35=1; 0.4=1; 0.45=1; 0.5=1
is_churned,integer,10,0,2,0,1,0.3,0.483046,0,0,0,0.75,1,0=7; 1=3
repeat_contacts_30d,integer,10,0,1,0,0,0,0,0,0,0,0,0,0=10
last_call_day_index,integer,10,0,1,-1,-1,-1,0,-1,-1,-1,-1,-1,-1=10
";

#[test]
fn the_profile_matches_the_values_worked_by_hand() {
    let dir = copy(&[]);
    let summary = write_profile(dir.path()).unwrap();
    assert_eq!(read(dir.path(), PROFILE_FILE), EXPECTED_PROFILE);

    assert_eq!(summary.customers, 10);
    assert_eq!(summary.lines, Some(4));
    assert_eq!(summary.devices, Some(5));
    assert_eq!(summary.agreements, Some(4));
    assert_eq!(summary.ledger_rows, Some(4));
    assert_eq!(
        summary.anomalies,
        Some(AnomalyCounts {
            source: "anomaly_manifest.csv".into(),
            counts: BTreeMap::from([
                ("generation_usage_mismatch".into(), 1),
                ("imei_mismatch_swap".into(), 2),
            ]),
        })
    );
    assert_eq!(
        summary.to_string(),
        "customers 10 lines 4 devices 5 eip_agreements 4 ledger rows 4"
    );

    // The typed profile agrees with the file.
    assert_eq!(summary.columns.len(), 25);
    let tenure = &summary.columns[2];
    assert_eq!(tenure.column, "tenure_months");
    assert_eq!(tenure.column_type, ColumnType::Integer);
    assert_eq!(tenure.distinct, Distinct::Exact(9));
    let stats = tenure.numeric.unwrap();
    assert_eq!((stats.min, stats.max, stats.mean), (0.0, 71.0, 26.4));
    assert_eq!(stats.percentiles[2], 18.0);
    assert!(!stats.sampled);

    // The records describe the files as written.
    let names: Vec<&str> = summary.files.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(names, [PROFILE_FILE, TABLE_PROFILE_FILE, REPORT_FILE]);
    for f in &summary.files {
        assert_eq!(
            f.bytes,
            fs::metadata(dir.path().join(&f.path)).unwrap().len()
        );
        assert_eq!(f.sha256.len(), 64);
    }
}

/// The `<title>` that opens each `<svg>` of the page, in order.
fn svg_titles(html: &str) -> Vec<String> {
    html.match_indices("<svg")
        .map(|(at, _)| {
            let rest = &html[at..];
            let open = rest.find('>').unwrap();
            let after = &rest[open + 1..];
            assert!(
                after.starts_with("<title>"),
                "an <svg> without a leading <title>: {}",
                &rest[..open.min(120)]
            );
            let end = after.find("</title>").unwrap();
            after["<title>".len()..end].to_string()
        })
        .collect()
}

/// The titles of the charts of [`CHART_TITLES`] on the page, in order
/// (the views of [`SECTION_IDS`] add charts of their own).
fn classic_titles(html: &str) -> Vec<String> {
    svg_titles(html)
        .into_iter()
        .filter(|t| CHART_TITLES.contains(&t.as_str()))
        .collect()
}

#[test]
fn the_report_has_one_svg_per_chart_and_no_url() {
    let dir = copy(&[]);
    write_profile(dir.path()).unwrap();
    let html = read(dir.path(), REPORT_FILE);
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    assert!(html.contains("<title>NovaWireless data profile</title>"));
    assert!(html.contains("<h1>NovaWireless data profile</h1>"));

    assert_eq!(html.matches("<svg").count(), html.matches("</svg>").count());
    assert_eq!(
        classic_titles(&html),
        [
            "Tenure (tenure_months)",
            "Monthly charges (monthly_charges)",
            "Churn risk score (churn_risk_score)",
            "Trust baseline (trust_baseline)",
            "Patience (patience)",
            "Mean churn risk by tenure",
            "Mean churn risk by payment method",
            "Mean churn risk by internet service",
            "Lines per account",
            "EIP terms",
            "Device makes",
            "Anomaly counts by label",
        ]
    );
    assert_eq!(classic_titles(&html), CHART_TITLES);
    // Every view of the page beyond them has its section and its charts.
    for id in SECTION_IDS {
        assert!(html.contains(&format!("<section id=\"{id}\">")), "no {id}");
    }
    assert!(svg_titles(&html).contains(&"Association heatmap of customer columns".to_string()));
    assert!(svg_titles(&html).contains(&"Churn by Contract (contract_proxy)".to_string()));

    // Self-contained: no URL, no namespace, no script, no web font.
    for absent in [
        "http://", "https://", "xmlns", "<script", "@import", "url(", "<link",
    ] {
        assert!(!html.contains(absent), "the report contains {absent:?}");
    }
    // The receipt's folder path is left out.
    assert!(!html.contains("/somewhere/output"));
}

#[test]
fn the_charts_show_the_values_worked_by_hand() {
    let dir = copy(&[]);
    write_profile(dir.path()).unwrap();
    let html = read(dir.path(), REPORT_FILE);
    let tips = [
        // Tenure in 6-month bins: 0 3 | 7 | 12 12 | – | 24 | 30 | – | 45 | … | 60 | 71.
        "0–6: 2",
        "6–12: 1",
        "12–18: 2",
        "18–24: 0",
        "66–72 (inclusive): 1",
        // Churn by tenure segment: (.65 + .4 + .45)/3, (.3 + .2)/2, (.35 + .25)/2,
        // .15, none, (.1 + .05)/2.
        "0–12: mean 0.5 over 3 customers",
        "12–24: mean 0.25 over 2 customers",
        "24–36: mean 0.3 over 2 customers",
        "36–48: mean 0.15 over 1 customer",
        "48–60: no customers",
        "60–72: mean 0.075 over 2 customers",
        // By payment method: (.3 + .35 + .1)/3, (.2 + .05)/2, (.65 + .4 + .25)/3, (.45 + .15)/2.
        "Bank transfer (automatic): mean 0.25 over 3 customers",
        "Credit card (automatic): mean 0.125 over 2 customers",
        "Electronic check: mean 0.433333 over 3 customers",
        "Mailed check: mean 0.3 over 2 customers",
        // By internet service: (.65 + .45 + .35 + .1)/4 and the other six.
        "5G Home Internet: mean 0.3875 over 4 customers",
        "No: mean 0.225 over 6 customers",
        // Lines per account = lines_on_account + has_5g_home_internet:
        // 2 0 3 1 2 3 3 1 6 2.
        "0: 1 customer",
        "1: 2 customers",
        "2: 3 customers",
        "3: 3 customers",
        "6: 1 customer",
        // EIP terms, makes, manifest labels.
        "0: 1 agreement",
        "24: 1 agreement",
        "36: 2 agreements",
        "Apple: 2 devices",
        "Samsung: 2 devices",
        "Nokia: 1 device",
        "generation_usage_mismatch: 1 defect",
        "imei_mismatch_swap: 2 defects",
    ];
    for tip in tips {
        assert!(
            html.contains(&format!("<title>{tip}</title>")),
            "missing bar {tip:?}"
        );
    }
    // The bars of lines per account: 0, 1, 2, 3, 6 (no empty 4 or 5).
    assert!(!html.contains("<title>4: "));
    // Axis labels.
    for label in [
        "tenure_months (6-month bins)",
        "mean churn_risk_score",
        "installment_months",
        ">customers<",
        ">devices<",
    ] {
        assert!(html.contains(label), "missing axis label {label:?}");
    }
}

#[test]
fn the_same_files_give_the_same_bytes_in_any_folder() {
    let a = copy(&[]);
    let b = copy(&[]);
    write_profile(a.path()).unwrap();
    write_profile(b.path()).unwrap();
    for name in [PROFILE_FILE, TABLE_PROFILE_FILE, REPORT_FILE] {
        assert_eq!(read(a.path(), name), read(b.path(), name), "{name}");
    }
    // A second run over its own output changes nothing either.
    let first = read(a.path(), REPORT_FILE);
    write_profile(a.path()).unwrap();
    assert_eq!(read(a.path(), REPORT_FILE), first);
    assert_eq!(read(a.path(), PROFILE_FILE), EXPECTED_PROFILE);
}

#[test]
fn only_customers_csv_is_required() {
    let dir = tempfile::tempdir().unwrap();
    fs::copy(
        fixture().join("customers.csv"),
        dir.path().join("customers.csv"),
    )
    .unwrap();
    let summary = write_profile(dir.path()).unwrap();
    assert_eq!(read(dir.path(), PROFILE_FILE), EXPECTED_PROFILE);
    assert_eq!(
        (
            summary.lines,
            summary.devices,
            summary.agreements,
            summary.ledger_rows
        ),
        (None, None, None, None)
    );
    assert_eq!(summary.anomalies, None);
    assert_eq!(
        summary.to_string(),
        "customers 10 lines - devices - eip_agreements - ledger rows -"
    );
    let html = read(dir.path(), REPORT_FILE);
    assert_eq!(classic_titles(&html), CHART_TITLES);
    for text in [
        "eip_agreements not found",
        "devices not found",
        "neither anomaly_manifest nor master_account_ledger found",
        "imei_anomaly_injection_receipt.json not found",
    ] {
        assert!(html.contains(text), "missing {text:?}");
    }
}

#[test]
fn without_a_manifest_the_ledger_labels_are_counted() {
    let dir = copy(&["anomaly_manifest.csv"]);
    let summary = write_profile(dir.path()).unwrap();
    assert_eq!(
        summary.anomalies,
        Some(AnomalyCounts {
            source: "master_account_ledger.csv".into(),
            counts: BTreeMap::from([
                ("imei_mismatch_swap".into(), 2),
                ("missing_usage_imei_ghost_line".into(), 1),
            ]),
        })
    );
    let html = read(dir.path(), REPORT_FILE);
    assert!(html.contains("<title>imei_mismatch_swap: 2 ledger rows</title>"));
    assert!(html.contains("imei_anomaly_type of master_account_ledger (no anomaly_manifest)"));
}

#[test]
fn a_devices_table_without_make_is_charted_as_such() {
    let dir = copy(&[]);
    fs::write(
        dir.path().join("devices.csv"),
        "device_id,imei,device_category\nDEV-000000001,490154203237518,handset\n",
    )
    .unwrap();
    let summary = write_profile(dir.path()).unwrap();
    assert_eq!(summary.devices, Some(1));
    let html = read(dir.path(), REPORT_FILE);
    assert!(html.contains("devices has no make column"));
    assert_eq!(classic_titles(&html), CHART_TITLES);
}

/// Runs `write_profile` on a fresh folder spoiled by `spoil` (see
/// [`common::refused_in`]).
fn refused(spoil: impl FnOnce(&Path), needles: &[&str]) -> ReportError {
    let dir = copy(&[]);
    common::refused_in(dir.path(), spoil, needles)
}

#[test]
fn a_missing_customers_csv_is_named() {
    let err = refused(
        |d| fs::remove_file(d.join("customers.csv")).unwrap(),
        &["customers.csv", "not found, nor customers.parquet"],
    );
    assert!(matches!(err, ReportError::MissingCustomers { .. }));
}

#[test]
fn an_empty_customers_csv_is_refused() {
    refused(
        |d| fs::write(d.join("customers.csv"), "").unwrap(),
        &["customers.csv", "empty file"],
    );
}

#[test]
fn a_short_row_is_named_by_file_and_line() {
    refused(
        |d| {
            let path = d.join("customers.csv");
            let mut text = fs::read_to_string(&path).unwrap();
            text.push_str("C0000011,A0000011,5\n");
            fs::write(&path, text).unwrap();
        },
        &[
            "customers.csv:12:",
            "wrong field count: 3 fields where the header has 25",
        ],
    );
}

#[test]
fn a_bad_optional_table_is_named_too() {
    refused(
        |d| fs::write(d.join("eip_agreements.csv"), "a,b\n1\n").unwrap(),
        &["eip_agreements.csv:2:", "wrong field count"],
    );
}

#[test]
fn a_receipt_that_is_not_json_is_named() {
    refused(
        |d| fs::write(d.join("imei_anomaly_injection_receipt.json"), "{").unwrap(),
        &["imei_anomaly_injection_receipt.json", "not valid JSON"],
    );
}

#[test]
fn a_missing_folder_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-run");
    let err = write_profile(&missing).unwrap_err();
    assert!(matches!(err, ReportError::MissingFolder { .. }));
    assert_eq!(
        err.to_string(),
        format!("{}: no such folder (run run_all first)", missing.display())
    );
    assert!(!missing.exists(), "the folder was created");
}
