//! The report's views on a hand-made folder whose figures are known
//! exactly: observed churn and its Wilson interval, Cramér's V of identical
//! and independent columns, the ledger's missing counts, the alerts, the
//! anomaly rates among eligible lines, fidelity cells, and the page's
//! sections.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_report::{
    write_profile, write_profile_with, AlertKind, Measure, ProfileOptions, ProfileSummary,
    REPORT_FILE, SECTION_IDS, TABLE_PROFILE_FILE,
};
use std::fs;
use std::path::{Path, PathBuf};

const CUSTOMERS: &str = "\
customer_id,contract_proxy,internet_service,has_5g_home_internet,payment_method,paperless_billing,coin,tenure_months,monthly_charges,churn_risk_score,is_churned,repeat_contacts_30d
C1,Month-to-month,5G Home Internet,1,Electronic check,Yes,H,1,70.5,0.6,1,0
C2,Month-to-month,5G Home Internet,1,Electronic check,Yes,T,2,71.5,0.5,1,0
C3,Month-to-month,No,0,Mailed check,No,H,3,20.25,0.4,0,0
C4,Month-to-month,No,0,Mailed check,No,T,4,21.25,0.3,0,0
C5,Two year,5G Home Internet,1,Credit card (automatic),No,H,60,90.5,0.05,0,0
C6,Two year,5G Home Internet,1,Credit card (automatic),Yes,T,61,91.5,0.04,0,0
C7,Two year,No,0,Bank transfer (automatic),Yes,H,70,25.0,0.03,0,0
C8,Two year,No,0,Bank transfer (automatic),No,T,72,26.0,0.02,0,0
";

const LEDGER: &str = "\
customer_id,line_id,product_type,agreement_number,eip_imei,usage_imei,imei_line_mismatch_flag,imei_anomaly_type
C1,L1,voice,E1,111,222,0,imei_mismatch_swap
C1,L2,voice,E2,222,111,0,imei_mismatch_swap
C2,L3,voice,E3,333,,0,missing_usage_imei_capture_failure
C2,L4,voice,E4,444,444,1,
C3,L5,voice,,,,,missing_usage_imei_ghost_line
C4,L6,5g_home_internet,,,555,,
";

fn folder() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("customers.csv"), CUSTOMERS).unwrap();
    fs::write(
        dir.path().join("master_account_ledger__anomalies.csv"),
        LEDGER,
    )
    .unwrap();
    dir
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-6, "{a} != {b}");
}

fn profiled() -> (tempfile::TempDir, ProfileSummary) {
    let dir = folder();
    let summary = write_profile(dir.path()).unwrap();
    (dir, summary)
}

#[test]
fn observed_churn_and_its_wilson_interval_per_contract() {
    let (_dir, s) = profiled();
    let contract = s
        .churn_by_segment
        .iter()
        .find(|t| t.column == "contract_proxy")
        .unwrap();
    let (label, m2m) = &contract.segments[0];
    assert_eq!(label, "Month-to-month");
    assert_eq!((m2m.customers, m2m.churned), (4, 2));
    assert_eq!(m2m.rate(), Some(0.5));
    // Wilson, z = 1.959964, k = 2, n = 4: (0.150039, 0.849961).
    let (lo, hi) = m2m.interval().unwrap();
    close(lo, 0.150_039);
    close(hi, 0.849_961);
    close(m2m.mean_score().unwrap(), 0.45);
    let (_, two) = &contract.segments[1];
    assert_eq!((two.customers, two.churned), (4, 0));
    // k = 0: (0, z²/(n + z²)) = (0, 0.489891).
    let (lo, hi) = two.interval().unwrap();
    close(lo, 0.0);
    close(hi, 0.489_891);
    close(two.mean_score().unwrap(), 0.035);
}

#[test]
fn cramers_v_is_one_for_identical_columns_and_zero_for_independent_ones() {
    let (_dir, s) = profiled();
    let a = &s.associations;
    assert_eq!(
        a.get("internet_service", "has_5g_home_internet"),
        Some((Measure::CramersV, 1.0))
    );
    // paperless_billing × coin: 2 of each pair, a flat table.
    let (m, v) = a.get("paperless_billing", "coin").unwrap();
    assert_eq!(m, Measure::CramersV);
    close(v, 0.0);
    // Two numeric columns: |Pearson r|.
    assert_eq!(
        a.get("monthly_charges", "churn_risk_score").map(|(m, _)| m),
        Some(Measure::Pearson)
    );
    // customer_id (eight text values, categorical) is kept; the constant
    // column is left out.
    assert_eq!(a.left_out, ["repeat_contacts_30d"]);
}

#[test]
fn the_ledger_missing_counts_are_in_table_profile_csv() {
    let (dir, s) = profiled();
    let usage = s
        .table_columns
        .iter()
        .find(|c| c.table == "master_account_ledger__anomalies" && c.column == "usage_imei")
        .unwrap();
    assert_eq!((usage.rows, usage.missing), (6, 2));
    let csv = fs::read_to_string(dir.path().join(TABLE_PROFILE_FILE)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "table,column,type,rows,missing,missing_share,distinct,min,max,mean"
    );
    // The customers table first, then the ledger.
    assert_eq!(lines[1], "customers,customer_id,text,8,0,0,8,,,");
    assert!(lines.contains(
        &"master_account_ledger__anomalies,usage_imei,integer,6,2,0.333333,4,111,555,333"
    ));
    assert!(lines.contains(
        &"master_account_ledger__anomalies,imei_line_mismatch_flag,integer,6,2,0.333333,2,0,1,0.25"
    ));
    assert_eq!(lines.len(), 1 + 12 + 8);
}

#[test]
fn alerts_name_the_constant_and_the_duplicated_columns() {
    let (_dir, s) = profiled();
    let find = |kind: AlertKind, column: &str| {
        s.alerts
            .iter()
            .find(|a| a.kind == kind && a.column == column)
            .cloned()
    };
    let constant = find(AlertKind::Constant, "repeat_contacts_30d").unwrap();
    assert_eq!(constant.detail, "always 0");
    assert_eq!(constant.tables, ["customers"]);
    let dup = find(
        AlertKind::Duplicated,
        "internet_service ~ has_5g_home_internet",
    )
    .unwrap();
    assert!(dup.detail.starts_with("V = 1.000"), "{}", dup.detail);
    // No alert for independent columns.
    assert!(find(AlertKind::Duplicated, "paperless_billing ~ coin").is_none());
    // Half the ledger's lines have no agreement: not flagged below 50%.
    assert!(find(AlertKind::HighMissing, "agreement_number").is_none());
}

#[test]
fn anomaly_rates_are_relative_to_eligible_lines() {
    let (_dir, s) = profiled();
    let rates = s.eligible.unwrap();
    let counts: Vec<(&str, u64, u64)> = rates
        .iter()
        .map(|r| (r.label, r.eligible, r.affected))
        .collect();
    assert_eq!(
        counts,
        [
            ("imei_mismatch_swap", 4, 2),
            ("missing_usage_imei_capture_failure", 2, 1),
            ("missing_usage_imei_ghost_line", 2, 1),
            ("generation_usage_mismatch", 4, 1),
        ]
    );
}

#[test]
fn fidelity_compares_every_segment_with_the_embedded_default() {
    let (_dir, s) = profiled();
    let f = s.fidelity.unwrap();
    assert_eq!(f.cells.len(), 24);
    assert!(f
        .config_note
        .contains("No customer_generation_receipt.json"));
    let cell = f
        .cells
        .iter()
        .find(|c| {
            (c.contract, c.internet, c.payment)
                == ("Month-to-month", "5G Home Internet", "Electronic check")
        })
        .unwrap();
    assert_eq!(cell.customers, 2);
    assert_eq!(cell.observed[0], Some(0.25));
    assert_eq!(cell.observed[1], Some(1.0));
    assert_eq!(cell.observed[2], Some(1.5));
    assert_eq!(cell.observed[3], Some(71.0));
    // Two customers: too few for any flag.
    assert_eq!(cell.flagged, [false; 4]);
}

fn repo_config() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../configs/ibm_telco.json")
}

#[test]
fn the_config_the_receipt_names_is_used_when_given() {
    let dir = folder();
    let config = repo_config();
    let sha = novawireless_io::sha256_hex(&fs::read(&config).unwrap());
    let receipt =
        format!("{{\"parameters\":{{\"config\":\"ibm_telco.json\",\"config_sha256\":\"{sha}\"}}}}");
    fs::write(dir.path().join("customer_generation_receipt.json"), receipt).unwrap();
    let s = write_profile(dir.path()).unwrap();
    let note = s.fidelity.unwrap().config_note;
    assert!(
        note.contains("ibm_telco.json, which was not given"),
        "{note}"
    );
    let options = ProfileOptions {
        config: Some(config),
        threads: 1,
    };
    let s = write_profile_with(dir.path(), &options).unwrap();
    let f = s.fidelity.unwrap();
    assert!(
        f.config_note.contains("SHA-256 matches"),
        "{}",
        f.config_note
    );
    // The IBM config keeps the source's month-to-month share of 55%.
    let m2m: f64 = f
        .cells
        .iter()
        .filter(|c| c.contract == "Month-to-month")
        .map(|c| c.target[0])
        .sum();
    assert!((m2m - 0.5502).abs() < 0.01, "{m2m}");
}

#[test]
fn the_page_has_every_view_and_no_url() {
    let (dir, _) = profiled();
    let html = fs::read_to_string(dir.path().join(REPORT_FILE)).unwrap();
    let mut last = 0;
    for id in SECTION_IDS {
        let at = html
            .find(&format!("<section id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no section {id}"));
        assert!(at > last, "{id} out of order");
        last = at;
    }
    let section = |id: &str| {
        let start = html.find(&format!("<section id=\"{id}\">")).unwrap();
        let end = start + html[start..].find("</section>").unwrap();
        &html[start..end]
    };
    assert!(
        section("churn-by-segment").contains("<title>Churn by Contract (contract_proxy)</title>")
    );
    assert!(
        section("churn-by-segment").contains("2 of 4 churned (50.0%; 95% interval 15.0%–85.0%)")
    );
    assert!(
        section("associations").contains("<title>Association heatmap of customer columns</title>")
    );
    assert!(section("associations").contains("internet_service ~ has_5g_home_internet: V = 1.000"));
    assert!(section("alerts").contains("repeat_contacts_30d"));
    assert!(section("anomaly-rates")
        .contains("Usage IMEI swapped with another line of the same customer"));
    assert!(section("fidelity").contains("Month-to-month · 5G Home Internet · Electronic check"));
    assert!(section("missing-values").contains("master_account_ledger__anomalies · 6 rows"));
    for absent in ["http://", "https://", "<script", "url(", "@import", "<link"] {
        assert!(!html.contains(absent), "the report contains {absent:?}");
    }
}

#[test]
fn the_same_folder_gives_the_same_bytes_on_any_thread_count() {
    let a = folder();
    let b = folder();
    write_profile(a.path()).unwrap();
    let one = ProfileOptions {
        config: None,
        threads: 1,
    };
    write_profile_with(b.path(), &one).unwrap();
    for name in [TABLE_PROFILE_FILE, REPORT_FILE, "customers_v1_profile.csv"] {
        let x = fs::read(a.path().join(name)).unwrap();
        let y = fs::read(b.path().join(name)).unwrap();
        assert!(x == y, "{name} differs");
    }
}

#[test]
fn the_layout_wraps_and_no_text_is_set_below_nine_pixels() {
    let (dir, _) = profiled();
    let html = fs::read_to_string(dir.path().join(REPORT_FILE)).unwrap();
    // Chart grids wrap to one column on a narrow page; cards too.
    assert!(html.contains("grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr))"));
    assert!(html.contains("grid-template-columns:repeat(auto-fit,minmax(140px,1fr))"));
    assert!(html.contains("@media (max-width:760px)"));
    // The heatmap is drawn at its natural size, never scaled down.
    assert!(html.contains("class=\"fixed\" role=\"img\" aria-label=\"Association heatmap"));
    // Every font size of the stylesheet is at least 9 px.
    let sizes: Vec<f64> = html
        .match_indices("font-size:")
        .map(|(at, _)| {
            let rest = &html[at + "font-size:".len()..];
            let end = rest.find("px").unwrap();
            rest[..end].parse::<f64>().unwrap()
        })
        .collect();
    assert!(sizes.len() > 10, "{sizes:?}");
    assert!(sizes.iter().all(|&s| s >= 9.0), "{sizes:?}");
}
