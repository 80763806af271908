//! `report.html`: one self-contained page (inline CSS and SVG, no script,
//! no external URL) with the summary counts, the charts and the column
//! profile.
//!
//! Tables are named without an extension (`customers`, `devices`): the page
//! is the same whether they were read from CSV or from Parquet.

use crate::charts::{CustomerCharts, GroupMeans, Histogram, TENURE_SEGMENTS};
use crate::columns;
use crate::eligible::plain_label;
use crate::number::{decimal, grouped};
use crate::profile::ColumnProfile;
use crate::read::{Categories, Tally, OTHER};
use crate::svg::{self, esc, Bar};
use crate::views;
use crate::{
    Alert, AnomalyCounts, Associations, EligibleRate, Fidelity, Receipt, SegmentTable, TableColumn,
};
use std::fmt::Write;

/// The page title and main heading.
pub const TITLE: &str = "NovaWireless data profile";

/// The names of the report's charts, in page order; each is the `<title>`
/// of one `<svg>`.
pub const CHART_TITLES: [&str; 12] = [
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
];

/// The ids of the page's sections beyond the distributions, in page
/// order: alerts, observed churn by segment (Wilson intervals), the
/// association heatmap, fidelity to the model's targets, anomaly rates
/// among eligible lines, missing values per table.
pub const SECTION_IDS: [&str; 6] = [
    "alerts",
    "churn-by-segment",
    "associations",
    "fidelity",
    "anomaly-rates",
    "missing-values",
];

/// Device makes drawn one by one; the rest are summed under `(other)`.
const MAKES_SHOWN: usize = 12;

/// What the page shows.
pub(crate) struct Page<'a> {
    pub(crate) customers: u64,
    pub(crate) lines: Option<u64>,
    pub(crate) devices: Option<&'a Tally>,
    pub(crate) agreements: Option<&'a Tally>,
    pub(crate) ledger_rows: Option<u64>,
    pub(crate) anomalies: Option<&'a AnomalyCounts>,
    /// Whether `anomalies` come from the manifest (else from the ledger).
    pub(crate) anomalies_from_manifest: bool,
    pub(crate) anomalies_missing: &'a str,
    pub(crate) receipt: Option<&'a Receipt>,
    pub(crate) charts: &'a CustomerCharts,
    pub(crate) profiles: &'a [ColumnProfile],
    pub(crate) tables: &'a [TableColumn],
    pub(crate) table_rows: &'a [(String, u64)],
    pub(crate) churn: &'a [SegmentTable],
    pub(crate) associations: &'a Associations,
    pub(crate) alerts: &'a [Alert],
    pub(crate) eligible: Option<&'a [EligibleRate]>,
    pub(crate) eligible_source: &'a str,
    pub(crate) fidelity: Option<&'a Fidelity>,
}

const STYLE: &str = r#"
:root{--ink:#1f2933;--muted:#616e7c;--line:#d9dee3;--bg:#f5f6f8;--card:#fff}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:28px 24px 48px}
code{font-size:12.5px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:18px;margin:32px 0 12px;padding-bottom:6px;border-bottom:1px solid var(--line)}
h3{font-size:15px;margin:0}
p.lede{color:var(--muted);margin:0 0 20px;max-width:900px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 14px}
.card .n{font-size:22px;font-weight:600;font-variant-numeric:tabular-nums}
.card .what{color:var(--muted);font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,520px),1fr));gap:16px;align-items:start}
figure.wide{grid-column:1/-1;margin-top:4px}
.fit{overflow-x:auto}
figure{margin:0;background:var(--card);border:1px solid var(--line);border-radius:8px;padding:14px 16px 10px}
figure p{color:var(--muted);font-size:12px;margin:2px 0 8px}
svg{display:block;width:100%;height:auto}
svg.fixed{width:auto;max-width:none;margin:0 auto}
svg text{font-family:inherit}
svg .tick{font-size:11px;fill:#52606d}
svg .label{font-size:12px;fill:#323f4b}
svg .value{font-size:11px;fill:#323f4b;font-variant-numeric:tabular-nums}
svg .rule{stroke:#e4e7eb;stroke-width:1}
svg .axis{stroke:#9aa5b1;stroke-width:1}
svg .bar{fill:#3d6fa6}
svg .risk{fill:#c8553d}
svg .count{fill:#2a9d8f}
svg .anomaly{fill:#d08c2e}
svg .empty{fill:#fafbfc;stroke:var(--line);stroke-dasharray:4 3}
svg .pale{fill:#c9d8ea}
svg .ci{stroke:#1f2933;stroke-width:1.5}
svg .dot{fill:#1d4e89}
svg .score{fill:#c8553d}
svg .note{font-size:10.5px;fill:#616e7c}
svg .cellv{font-size:9px;fill:#1f2933;pointer-events:none}
svg .cellv.dark{fill:#fff}
svg .nocell{fill:#eef1f4}
svg .hlabel{font-size:10.5px;fill:#323f4b}
.legend{display:flex;align-items:center;justify-content:center;gap:2px;font-size:12px;color:var(--muted);margin:8px 0 2px}
.legend i{display:inline-block;width:18px;height:10px}
.legend span{margin:0 6px}
td.flag{background:#fde8e4;color:#9b2c1f;font-weight:600}
table.alerts td,table.fidelity td:first-child,table.missing th{white-space:normal;text-align:left}
table.fidelity small{font-weight:400;color:var(--muted)}
table.keys.wrap td,table.keys.wrap td:last-child{white-space:normal;text-align:left;vertical-align:top}
.scroll.narrow{max-width:820px}
.meter{display:inline-block;width:80px;height:8px;background:#eef1f4;margin-right:8px;vertical-align:middle}
.meter i{display:block;height:100%;background:#d08c2e}
svg rect:hover{opacity:.8}
.stack{display:flex;flex-direction:column;gap:16px}
table.keys{font-size:13px}
table.keys td,table.keys th{text-align:left;padding:5px 8px}
table.keys td:last-child{text-align:right}
.scroll{overflow-x:auto;background:var(--card);border:1px solid var(--line);border-radius:8px}
table{border-collapse:collapse;font-size:12px;width:100%}
caption{text-align:left;font-weight:600;padding:8px 8px 4px}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
th{background:#eef1f4;font-weight:600}
th:first-child,td:first-child,table.profile td:nth-child(2),table.profile th:nth-child(2){text-align:left}
table.top td{text-align:left;white-space:normal}
table.top td:first-child{width:220px}
.chip{display:inline-block;margin:2px 8px 2px 0;padding:1px 8px;border-radius:10px;background:#eef1f4}
.chip b{font-weight:600;color:#3d6fa6}
h3.sub{margin:24px 0 4px}
tr:last-child td{border-bottom:none}
footer{color:var(--muted);font-size:12px;margin-top:28px}
@media (max-width:760px){main{padding:16px 10px 32px}figure{padding:10px 8px 6px}h1{font-size:22px}}
"#;

/// The whole page.
pub(crate) fn render(page: &Page<'_>) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{TITLE}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n<h1>{TITLE}</h1>\n\
         <p class=\"lede\">Distributions of one output folder of <code>run_all</code>, read from its \
         tables (CSV or Parquet files; both give this same page). Hover over a bar for its exact \
         count. The statistics of every column of the <code>customers</code> table are at the \
         end of the page and in <code>customers_v1_profile.csv</code>.</p>\n"
    );
    summary(&mut out, page);
    views::alerts(&mut out, page.alerts);

    out.push_str("<h2 id=\"customers\">Customers</h2>\n<div class=\"charts\">\n");
    for (h, title) in page.charts.histograms.iter().zip(CHART_TITLES) {
        histogram(&mut out, h, title);
    }
    at_a_glance(&mut out, page.customers, page.profiles);
    out.push_str("</div>\n");
    views::churn_by_segment(&mut out, page.churn);
    out.push_str("<h2 id=\"churn\">Churn risk score by segment</h2>\n<div class=\"charts\">\n");
    by_tenure(&mut out, page.charts.by_tenure.as_ref());
    out.push_str("<div class=\"stack\">\n");
    by_group(
        &mut out,
        CHART_TITLES[6],
        "mean churn_risk_score per payment_method of customers",
        columns::PAYMENT_METHOD,
        page.charts.by_payment.as_ref(),
    );
    by_group(
        &mut out,
        CHART_TITLES[7],
        "mean churn_risk_score per internet_service of customers",
        columns::INTERNET_SERVICE,
        page.charts.by_internet.as_ref(),
    );
    out.push_str("</div>\n</div>\n");
    views::associations(&mut out, page.associations);
    views::fidelity(&mut out, page.fidelity);
    out.push_str("<h2 id=\"accounts\">Accounts and agreements</h2>\n<div class=\"charts\">\n");
    lines_per_account(&mut out, page.charts.lines_per_account.as_ref());
    eip_terms(&mut out, page.agreements);
    out.push_str("</div>\n<h2 id=\"devices\">Devices and anomalies</h2>\n<div class=\"charts\">\n");
    device_makes(&mut out, page.devices);
    out.push_str("<div class=\"stack\">\n");
    anomalies(
        &mut out,
        page.anomalies,
        page.anomalies_from_manifest,
        page.anomalies_missing,
    );
    receipt(&mut out, page.receipt);
    out.push_str("</div>\n</div>\n");
    views::anomaly_rates(&mut out, page.eligible, page.eligible_source);
    views::missing_values(&mut out, page.tables, page.table_rows);
    profile_table(&mut out, page.profiles);
    let _ = write!(
        out,
        "<footer>Written by novawireless-report {} from the files of this folder alone (no \
         clock time, so the same files give the same page). Quantiles by linear interpolation \
         between closest ranks (numpy's and pandas' default); std is the sample standard \
         deviation (n − 1).</footer>\n</main>\n</body>\n</html>\n",
        env!("CARGO_PKG_VERSION")
    );
    out
}

fn summary(out: &mut String, page: &Page<'_>) {
    let cards: [(&str, &str, Option<u64>); 6] = [
        ("customers", "customers", Some(page.customers)),
        ("lines", "lines", page.lines),
        ("devices", "devices", page.devices.map(|t| t.rows)),
        (
            "EIP agreements",
            "eip_agreements",
            page.agreements.map(|t| t.rows),
        ),
        ("ledger rows", "master_account_ledger", page.ledger_rows),
        (
            "injected defects",
            "anomaly_manifest",
            page.anomalies
                .filter(|_| page.anomalies_from_manifest)
                .map(|a| a.counts.values().sum()),
        ),
    ];
    out.push_str("<div class=\"cards\">\n");
    for (what, table, n) in cards {
        let (number, note) = match n {
            Some(n) if what == table => (grouped(n), what.to_string()),
            Some(n) => (grouped(n), format!("{what} · {table}")),
            None => ("–".to_string(), format!("{table} not found")),
        };
        let _ = writeln!(
            out,
            "<div class=\"card\"><div class=\"n\">{}</div><div class=\"what\">{}</div></div>",
            esc(&number),
            esc(&note)
        );
    }
    out.push_str("</div>\n");
}

fn figure(out: &mut String, title: &str, note: &str, svg: &str) {
    let _ = writeln!(
        out,
        "<figure>\n<h3>{}</h3>\n<p>{}</p>\n{svg}\n</figure>",
        esc(title),
        esc(note)
    );
}

fn histogram(out: &mut String, h: &Histogram, title: &str) {
    let spec = h.spec;
    if !h.present() {
        let reason = format!("customers has no {} column", spec.column);
        figure(out, title, "", &svg::no_data(title, &reason));
        return;
    }
    let n: u64 = h.counts.iter().sum();
    let mut note = format!("customers · {} values", grouped(n));
    if h.outside > 0 {
        let _ = write!(
            note,
            " · {} outside {}–{} counted in the edge bins",
            grouped(h.outside),
            decimal(spec.edge(0)),
            decimal(spec.edge(spec.bins))
        );
    }
    if h.skipped > 0 {
        let _ = write!(note, " · {} missing or not numbers", grouped(h.skipped));
    }
    let edges: Vec<String> = (0..=spec.bins).map(|i| decimal(spec.edge(i))).collect();
    let chart = svg::histogram(
        title,
        spec.axis,
        "customers",
        &edges,
        spec.label_every,
        &h.counts,
    );
    figure(out, title, &note, &chart);
}

fn mean_bar(label: &str, (sum, n): (f64, u64)) -> Bar {
    if n == 0 {
        return Bar {
            label: label.to_string(),
            value: 0.0,
            text: "no customers".into(),
            tip: format!("{label}: no customers"),
        };
    }
    let mean = sum / n as f64;
    Bar {
        label: label.to_string(),
        value: mean,
        text: format!("{mean:.3}"),
        tip: format!(
            "{label}: mean {} over {}",
            decimal(mean),
            counted(n, "customers")
        ),
    }
}

fn by_tenure(out: &mut String, segments: Option<&[(f64, u64); 6]>) {
    let title = CHART_TITLES[5];
    let Some(segments) = segments else {
        let reason = "customers lacks tenure_months or churn_risk_score";
        figure(out, title, "", &svg::no_data(title, reason));
        return;
    };
    let bars: Vec<Bar> = TENURE_SEGMENTS
        .iter()
        .zip(segments)
        .map(|(label, &s)| mean_bar(label, s))
        .collect();
    let chart = svg::columns(
        title,
        "tenure_months segment (lower edge included)",
        "mean churn_risk_score",
        &bars,
        false,
        "risk",
    );
    figure(
        out,
        title,
        "mean churn_risk_score per 12-month tenure segment of customers",
        &chart,
    );
}

fn by_group(out: &mut String, title: &str, note: &str, column: &str, g: Option<&GroupMeans>) {
    let Some(g) = g else {
        let reason = format!("customers lacks {column} or churn_risk_score");
        figure(out, title, "", &svg::no_data(title, &reason));
        return;
    };
    let bars: Vec<Bar> = g.groups.iter().map(|(k, &s)| mean_bar(k, s)).collect();
    if bars.is_empty() {
        figure(out, title, note, &svg::no_data(title, "no customers"));
        return;
    }
    let chart = svg::rows(title, "mean churn_risk_score", &bars, false, "risk");
    figure(out, title, note, &chart);
}

/// Count bars in the order of the values: numerically when they are whole
/// numbers, then by text.
fn count_bars(counts: &Categories, unit: &str) -> Vec<Bar> {
    let mut entries: Vec<(&String, &u64)> = counts.counts.iter().collect();
    let key = |k: &str| (k.parse::<i64>().is_err(), k.parse::<i64>().ok());
    entries.sort_by(|(a, _), (b, _)| key(a).cmp(&key(b)).then_with(|| a.cmp(b)));
    entries
        .into_iter()
        .map(|(k, &n)| count_bar(k, n, unit))
        .collect()
}

/// `n` and the unit, singular for one (`1 customer`, `2,000 customers`).
fn counted(n: u64, plural: &str) -> String {
    if n == 1 {
        format!("1 {}", plural.strip_suffix('s').unwrap_or(plural))
    } else {
        format!("{} {plural}", grouped(n))
    }
}

fn count_bar(label: &str, n: u64, unit: &str) -> Bar {
    Bar {
        label: label.to_string(),
        value: n as f64,
        text: grouped(n),
        tip: format!("{label}: {}", counted(n, unit)),
    }
}

fn lines_per_account(out: &mut String, counts: Option<&Categories>) {
    let title = CHART_TITLES[8];
    let Some(counts) = counts.filter(|c| !c.counts.is_empty()) else {
        let reason = "customers lacks lines_on_account or has_5g_home_internet";
        figure(out, title, "", &svg::no_data(title, reason));
        return;
    };
    let chart = svg::columns(
        title,
        "lines on the account (voice lines + 5G Home Internet line)",
        "customers",
        &count_bars(counts, "customers"),
        true,
        "count",
    );
    figure(
        out,
        title,
        "lines_on_account + has_5g_home_internet of customers",
        &chart,
    );
}

fn eip_terms(out: &mut String, agreements: Option<&Tally>) {
    let title = CHART_TITLES[9];
    let counts = match agreements {
        None => {
            let chart = svg::no_data(title, "eip_agreements not found");
            return figure(out, title, "", &chart);
        }
        Some(Tally { values: None, .. }) => {
            let chart = svg::no_data(title, "eip_agreements has no installment_months");
            return figure(out, title, "", &chart);
        }
        Some(Tally {
            values: Some(v), ..
        }) => v,
    };
    if counts.counts.is_empty() {
        let chart = svg::no_data(title, "eip_agreements has no agreements");
        return figure(out, title, "", &chart);
    }
    let chart = svg::columns(
        title,
        columns::INSTALLMENT_MONTHS,
        "agreements",
        &count_bars(counts, "agreements"),
        true,
        "count",
    );
    let mut note =
        "installment_months of eip_agreements (0: a 5G gateway, company-owned)".to_string();
    if counts.empty > 0 {
        let _ = write!(note, " · {} empty", grouped(counts.empty));
    }
    figure(out, title, &note, &chart);
}

fn device_makes(out: &mut String, devices: Option<&Tally>) {
    let title = CHART_TITLES[10];
    let counts = match devices {
        None => {
            let chart = svg::no_data(title, "devices not found");
            return figure(out, title, "", &chart);
        }
        Some(Tally { values: None, .. }) => {
            let chart = svg::no_data(title, "devices has no make column");
            return figure(out, title, "", &chart);
        }
        Some(Tally {
            values: Some(v), ..
        }) => v,
    };
    if counts.counts.is_empty() {
        let chart = svg::no_data(title, "devices has no makes");
        return figure(out, title, "", &chart);
    }
    let mut entries: Vec<(&String, u64)> = counts
        .counts
        .iter()
        .filter(|(k, _)| k.as_str() != OTHER)
        .map(|(k, &n)| (k, n))
        .collect();
    entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let rest: u64 = entries
        .iter()
        .skip(MAKES_SHOWN)
        .map(|&(_, n)| n)
        .sum::<u64>()
        + counts.counts.get(OTHER).copied().unwrap_or(0);
    let mut bars: Vec<Bar> = entries
        .iter()
        .take(MAKES_SHOWN)
        .map(|&(k, n)| count_bar(k, n, "devices"))
        .collect();
    if rest > 0 {
        bars.push(count_bar(OTHER, rest, "devices"));
    }
    let chart = svg::rows(title, "devices", &bars, true, "count");
    let mut note = "make of devices (every device, spare stock included)".to_string();
    if counts.empty > 0 {
        let _ = write!(note, " · {} without a make", grouped(counts.empty));
    }
    figure(out, title, &note, &chart);
}

fn anomalies(out: &mut String, counts: Option<&AnomalyCounts>, from_manifest: bool, missing: &str) {
    let title = CHART_TITLES[11];
    let Some(counts) = counts else {
        return figure(out, title, "", &svg::no_data(title, missing));
    };
    let (note, unit) = if from_manifest {
        (
            "defect_type of anomaly_manifest (one row per injected defect)",
            "defects",
        )
    } else {
        (
            "imei_anomaly_type of master_account_ledger (no anomaly_manifest)",
            "ledger rows",
        )
    };
    if counts.counts.is_empty() {
        return figure(out, title, note, &svg::no_data(title, "no anomalies"));
    }
    let bars: Vec<Bar> = counts
        .counts
        .iter()
        .map(|(k, &n)| {
            let mut bar = count_bar(plain_label(k), n, unit);
            bar.tip = format!("{k}: {}", counted(n, unit));
            bar
        })
        .collect();
    let chart = svg::rows(title, unit, &bars, true, "anomaly");
    figure(out, title, note, &chart);
}

fn receipt(out: &mut String, receipt: Option<&Receipt>) {
    out.push_str("<figure>\n<h3>Anomaly injection</h3>\n");
    let Some(r) = receipt else {
        out.push_str("<p>imei_anomaly_injection_receipt.json not found</p>\n</figure>\n");
        return;
    };
    out.push_str("<p>parameters and realised counts of imei_anomaly_injection_receipt.json</p>\n<table class=\"keys\">\n");
    for (section, entries) in [("parameters", &r.parameters), ("realised", &r.realised)] {
        let _ = writeln!(out, "<tr><th colspan=\"2\">{section}</th></tr>");
        for (k, v) in entries {
            let _ = writeln!(out, "<tr><td>{}</td><td>{}</td></tr>", esc(k), esc(v));
        }
    }
    out.push_str("</table>\n</figure>\n");
}

/// Headline figures of the customer base, from the column profile.
fn at_a_glance(out: &mut String, customers: u64, profiles: &[ColumnProfile]) {
    let column = |name: &str| profiles.iter().find(|p| p.column == name);
    let stats = |name: &str| column(name).and_then(|p| p.numeric);
    let percent = |x: f64| format!("{:.1}%", x * 100.0);
    let mut rows: Vec<(&str, String)> = vec![("customers", grouped(customers))];
    if let Some(s) = stats(columns::IS_CHURNED) {
        rows.push(("churned (mean of is_churned)", percent(s.mean)));
    }
    if let Some(s) = stats(columns::CHURN_RISK_SCORE) {
        rows.push(("mean churn_risk_score", format!("{:.3}", s.mean)));
    }
    if let Some(s) = stats(columns::HAS_5G_HOME_INTERNET) {
        rows.push(("with 5G Home Internet", percent(s.mean)));
    }
    if let Some(p) = column(columns::DEVICE_PAYMENT_PLAN) {
        if let Some((_, yes)) = p.top_values.iter().find(|(v, _)| v == "Yes") {
            if p.count > 0 {
                rows.push((
                    "with a device payment plan",
                    percent(*yes as f64 / p.count as f64),
                ));
            }
        }
    }
    if let Some(s) = stats(columns::LINES_ON_ACCOUNT) {
        rows.push(("mean voice lines per account", format!("{:.2}", s.mean)));
    }
    if let Some(s) = stats(columns::TENURE_MONTHS) {
        rows.push(("median tenure_months", decimal(s.percentiles[2])));
    }
    if let Some(s) = stats(columns::MONTHLY_CHARGES) {
        rows.push(("median monthly_charges", decimal(s.percentiles[2])));
    }
    if let Some(s) = stats(columns::TRUST_BASELINE) {
        rows.push(("mean trust_baseline", format!("{:.1}", s.mean)));
    }
    if let Some(s) = stats(columns::PATIENCE) {
        rows.push(("mean patience", format!("{:.3}", s.mean)));
    }
    out.push_str(
        "<figure>\n<h3>At a glance</h3>\n<p>from the column profile of customers</p>\n\
         <table class=\"keys\">\n",
    );
    for (what, value) in rows {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td></tr>",
            esc(what),
            esc(&value)
        );
    }
    out.push_str("</table>\n</figure>\n");
}

fn profile_table(out: &mut String, profiles: &[ColumnProfile]) {
    out.push_str(
        "<h2 id=\"columns\">Columns of customers</h2>\n<p class=\"lede\">count = \
         non-missing values; missing = empty fields; distinct = distinct non-missing values; \
         std = sample standard deviation; p05…p95 = percentiles. The same figures are in \
         customers_v1_profile.csv.</p>\n<div class=\"scroll\"><table class=\"profile\">\n<tr>",
    );
    // Every field but top_values, which gets a table of its own.
    let shown = crate::PROFILE_COLUMNS.len() - 1;
    for c in &crate::PROFILE_COLUMNS[..shown] {
        let _ = write!(out, "<th>{}</th>", esc(c));
    }
    out.push_str("</tr>\n");
    for p in profiles {
        out.push_str("<tr>");
        for f in &p.fields()[..shown] {
            let _ = write!(out, "<td>{}</td>", esc(f));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</table></div>\n");
    let sampled: Vec<&str> = profiles
        .iter()
        .filter(|p| p.numeric.is_some_and(|s| s.sampled))
        .map(|p| p.column.as_str())
        .collect();
    if !sampled.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"lede\">The percentiles of {} come from a uniform reservoir sample of {} \
             values per column (seeded, so every run over the same file agrees); min, max, mean \
             and std use every value.</p>",
            esc(&sampled.join(", ")),
            grouped(crate::SAMPLE_SIZE as u64)
        );
    }
    if profiles
        .iter()
        .any(|p| matches!(p.distinct, crate::Distinct::MoreThan(_)))
    {
        let _ = writeln!(
            out,
            "<p class=\"lede\">distinct &gt;{}: the column has more distinct values than the \
             profile tracks per column.</p>",
            crate::DISTINCT_LIMIT
        );
    }
    let _ = write!(
        out,
        "<h3 class=\"sub\">Most frequent values</h3>\n<p class=\"lede\">Columns with at most {} \
         distinct values: their {} most frequent values with counts.</p>\n\
         <div class=\"scroll\"><table class=\"top\">\n",
        crate::TOP_VALUES_MAX_DISTINCT,
        crate::TOP_VALUES
    );
    for p in profiles.iter().filter(|p| !p.top_values.is_empty()) {
        let _ = write!(out, "<tr><td>{}</td><td>", esc(&p.column));
        for (value, count) in &p.top_values {
            let _ = write!(
                out,
                "<span class=\"chip\">{} = <b>{}</b></span>",
                esc(value),
                grouped(*count)
            );
        }
        out.push_str("</td></tr>\n");
    }
    out.push_str("</table></div>\n");
}
