//! The report's views beyond the distributions: observed churn by
//! segment, the association heatmap, alerts, anomaly rates among eligible
//! lines, fidelity to the model's targets and missing values per table.
//! Each is a `<section>` with a stable id ([`crate::SECTION_IDS`]).

use crate::alerts::{Alert, HIGH_MISSING_SHARE};
use crate::assoc::{Associations, Kind};
use crate::churn::SegmentTable;
use crate::eligible::{plain_label, EligibleRate};
use crate::fidelity::{Fidelity, FidelityCell, MEASURES, TOLERANCES};
use crate::number::{decimal, grouped};
use crate::svg::{self, esc, IntervalRow};
use crate::tables::TableColumn;
use std::fmt::Write;

/// Opens a section: its id, heading and lede.
fn section(out: &mut String, id: &str, heading: &str, lede: &str) {
    let _ = writeln!(
        out,
        "<section id=\"{id}\">\n<h2>{}</h2>\n<p class=\"lede\">{lede}</p>",
        esc(heading)
    );
}

fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Observed churn by segment, one chart per segment column.
pub(crate) fn churn_by_segment(out: &mut String, tables: &[SegmentTable]) {
    section(
        out,
        "churn-by-segment",
        "Observed churn by segment",
        "Share of customers with <code>is_churned</code> = 1 per value (dot and pale bar), \
         with its 95% Wilson score interval (whiskers) and, as a diamond, the mean \
         <code>churn_risk_score</code> of the same customers: where the diamond sits inside \
         the whiskers, the observed churn agrees with the scores.",
    );
    if tables.is_empty() {
        out.push_str("<p>customers has no is_churned column, or none of the segment columns.</p>\n</section>\n");
        return;
    }
    out.push_str("<div class=\"charts\">\n");
    for t in tables {
        let rows: Vec<IntervalRow> = t
            .segments
            .iter()
            .filter_map(|(label, s)| {
                let rate = s.rate()?;
                let interval = s.interval()?;
                let score = s.mean_score();
                let score_text = score.map_or("no scores".into(), |m| format!("score {m:.3}"));
                Some(IntervalRow {
                    label: label.clone(),
                    rate,
                    interval,
                    marker: score,
                    text: (
                        format!(
                            "{} [{}, {}]",
                            percent(rate),
                            percent(interval.0),
                            percent(interval.1)
                        ),
                        format!("n {} · {score_text}", grouped(s.customers)),
                    ),
                    tip: format!(
                        "{label}: {} of {} churned ({}; 95% interval {}–{}); mean churn_risk_score {}",
                        grouped(s.churned),
                        grouped(s.customers),
                        percent(rate),
                        percent(interval.0),
                        percent(interval.1),
                        score.map_or("–".into(), decimal)
                    ),
                })
            })
            .collect();
        let title = format!("Churn by {}", t.heading);
        let chart = svg::intervals(&title, "customers churned (is_churned = 1)", &rows, false);
        let _ = writeln!(
            out,
            "<figure>\n<h3>{}</h3>\n<p>{} of customers · ● observed rate with 95% interval · ◆ mean churn_risk_score</p>\n{chart}\n</figure>",
            esc(&title),
            esc(t.column)
        );
    }
    out.push_str("</div>\n</section>\n");
}

/// The association heatmap of the customer columns.
pub(crate) fn associations(out: &mut String, a: &Associations) {
    section(
        out,
        "associations",
        "Associations between customer columns",
        "Strength of association of every pair of columns of <code>customers</code>, from 0 \
         (none) to 1 (one column fixes the other). <b>V</b>: Cramér's V, for two categorical \
         columns; <b>η</b>: the correlation ratio of the numeric column given the categorical \
         one; <b>|r|</b>: absolute Pearson correlation, for two numeric columns. Categorical: \
         text columns with at most 50 values and integer columns with at most 12; numeric: \
         the rest, used unbinned.",
    );
    let labels: Vec<String> = a
        .columns
        .iter()
        .map(|(c, k)| match k {
            Kind::Numeric => format!("{c} #"),
            Kind::Categorical => c.clone(),
        })
        .collect();
    let cells: Vec<Vec<Option<svg::HeatCell>>> = a
        .cells
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, cell)| {
                    cell.map(|(m, v)| {
                        let shown = format!("{v:.2}");
                        let shown = shown.strip_prefix('0').unwrap_or(&shown).to_string();
                        let tip = format!(
                            "{} ~ {}: {} = {v:.3}",
                            a.columns[i].0,
                            a.columns[j].0,
                            m.symbol()
                        );
                        (v, shown, tip)
                    })
                })
                .collect()
        })
        .collect();
    let title = "Association heatmap of customer columns";
    let chart = svg::heatmap(title, &labels, &cells);
    let mut note = "# marks a numeric column · hover a cell for its measure".to_string();
    if !a.left_out.is_empty() {
        let _ = write!(
            note,
            " · left out (constant, empty or identifiers): {}",
            a.left_out.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "<figure class=\"wide\">\n<h3>{title}</h3>\n<p>{}</p>\n<div class=\"fit\">{chart}</div>\n{}\n</figure>\n</section>",
        esc(&note),
        legend()
    );
}

/// The colour scale of the heatmap.
fn legend() -> String {
    let mut out = String::from("<div class=\"legend\"><span>0</span>");
    for k in 0..=10 {
        let _ = write!(
            out,
            "<i style=\"background:{}\"></i>",
            svg::heat(f64::from(k) / 10.0)
        );
    }
    out.push_str("<span>1</span></div>");
    out
}

/// The alerts, as a table.
pub(crate) fn alerts(out: &mut String, alerts: &[Alert]) {
    section(
        out,
        "alerts",
        "Alerts",
        &format!(
            "Columns to look at before modelling: pairs of customer columns that carry the \
             same information (an association of 1 above), constant and empty columns, and \
             columns with at least {} of their fields empty (in the ledgers many are empty by \
             design: a line without an agreement has no agreement columns).",
            percent(HIGH_MISSING_SHARE)
        ),
    );
    if alerts.is_empty() {
        out.push_str("<p>No alerts.</p>\n</section>\n");
        return;
    }
    out.push_str(
        "<div class=\"scroll\"><table class=\"alerts\">\n<tr><th>alert</th><th>column</th>\
         <th>figure</th><th>tables</th></tr>\n",
    );
    for a in alerts {
        let _ = writeln!(
            out,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            esc(a.kind.as_str()),
            esc(&a.column),
            esc(&a.detail),
            esc(&a.tables.join(", "))
        );
    }
    out.push_str("</table></div>\n</section>\n");
}

/// Anomaly rates among eligible lines.
pub(crate) fn anomaly_rates(out: &mut String, rates: Option<&[EligibleRate]>, source: &str) {
    section(
        out,
        "anomaly-rates",
        "Anomaly rates among eligible lines",
        "Each injected defect as a share of the lines that could receive it (README, \
         <i>Step 3</i>), with its 95% Wilson score interval.",
    );
    let Some(rates) = rates else {
        out.push_str(
            "<p>No labelled ledger (master_account_ledger__anomalies or a ledger with \
             imei_anomaly_type) found.</p>\n</section>\n",
        );
        return;
    };
    let rows: Vec<IntervalRow> = rates
        .iter()
        .filter_map(|r| {
            let rate = r.rate()?;
            let interval = r.interval()?;
            Some(IntervalRow {
                label: plain_label(r.label).to_string(),
                rate,
                interval,
                marker: None,
                text: (
                    format!(
                        "{} [{}, {}]",
                        pct2(rate),
                        pct2(interval.0),
                        pct2(interval.1)
                    ),
                    format!("{} of {}", grouped(r.affected), grouped(r.eligible)),
                ),
                tip: format!(
                    "{}: {} of {} {} ({})",
                    r.label,
                    grouped(r.affected),
                    grouped(r.eligible),
                    r.eligible_means,
                    pct2(rate)
                ),
            })
        })
        .collect();
    let title = "Anomaly rates among eligible lines";
    let chart = if rows.is_empty() {
        svg::no_data(title, "no eligible lines")
    } else {
        svg::intervals(title, "share of eligible lines", &rows, true)
    };
    let _ = writeln!(
        out,
        "<div class=\"charts\">\n<figure>\n<h3>{title}</h3>\n<p>read from {}</p>\n{chart}\n</figure>",
        esc(source)
    );
    out.push_str(
        "<figure>\n<h3>Who is eligible</h3>\n<table class=\"keys wrap\">\n<tr><th>defect</th><th>eligible lines</th></tr>\n",
    );
    for r in rates {
        let _ = writeln!(
            out,
            "<tr><td>{}<br><code>{}</code></td><td>{}</td></tr>",
            esc(plain_label(r.label)),
            esc(r.label),
            esc(r.eligible_means)
        );
    }
    out.push_str("</table>\n</figure>\n</div>\n</section>\n");
}

fn pct2(x: f64) -> String {
    format!("{:.2}%", x * 100.0)
}

/// Observed against target per segment.
pub(crate) fn fidelity(out: &mut String, fidelity: Option<&Fidelity>) {
    section(
        out,
        "fidelity",
        "Fidelity to the model's targets",
        &format!(
            "Per segment (contract × internet × payment method), the joint model's target \
             (README, <i>The model</i>) against the customers of this folder: target / \
             observed. A value is flagged when it is further from its target than README \
             <i>Fidelity</i> allows (share ±{}% relative, churn ±{}, mean tenure ±{} months, \
             mean charges ±${}) plus two standard errors of the observed value, so the noise \
             of a small segment is not flagged (nor is a segment of fewer than {} customers). Churn targets are mean churn scores; tenure, \
             charges and churn targets come from {} customers drawn per model segment with \
             a fixed seed.",
            decimal(TOLERANCES[0] * 100.0),
            decimal(TOLERANCES[1]),
            decimal(TOLERANCES[2]),
            decimal(TOLERANCES[3]),
            crate::fidelity::MIN_FLAGGED,
            grouped(crate::fidelity::TARGET_DRAWS)
        ),
    );
    let Some(f) = fidelity else {
        out.push_str(
            "<p>customers lacks contract_proxy, internet_service, payment_method, is_churned, \
             tenure_months or monthly_charges.</p>\n</section>\n",
        );
        return;
    };
    let flagged: usize = f
        .cells
        .iter()
        .map(|c| c.flagged.iter().filter(|&&x| x).count())
        .sum();
    let _ = writeln!(
        out,
        "<p class=\"lede\">{} <b>{} of {} comparisons flagged.</b></p>",
        esc(&f.config_note),
        flagged,
        f.cells.len() * MEASURES.len()
    );
    out.push_str(
        "<div class=\"scroll\"><table class=\"fidelity\">\n<tr><th>segment</th><th>customers</th>",
    );
    for m in MEASURES {
        let _ = write!(out, "<th>{m}<br><small>target / observed</small></th>");
    }
    out.push_str("</tr>\n");
    for c in &f.cells {
        fidelity_row(out, c);
    }
    out.push_str("</table></div>\n</section>\n");
}

fn fidelity_row(out: &mut String, c: &FidelityCell) {
    let internet = if c.internet == "No" {
        "no internet"
    } else {
        c.internet
    };
    let _ = write!(
        out,
        "<tr><td>{} · {} · {}</td><td>{}</td>",
        esc(c.contract),
        esc(internet),
        esc(c.payment),
        grouped(c.customers)
    );
    for k in 0..MEASURES.len() {
        let show = |x: f64| match k {
            0 => percent(x),
            1 => format!("{x:.3}"),
            2 => format!("{x:.1}"),
            _ => format!("${x:.2}"),
        };
        let observed = c.observed[k].map_or("–".to_string(), show);
        let class = if c.flagged[k] { " class=\"flag\"" } else { "" };
        let mark = if c.flagged[k] { " ⚑" } else { "" };
        let _ = write!(
            out,
            "<td{class}>{} / {}{mark}</td>",
            show(c.target[k]),
            observed
        );
    }
    out.push_str("</tr>\n");
}

/// Missing values per table: every column with an empty field.
pub(crate) fn missing_values(out: &mut String, columns: &[TableColumn], tables: &[(String, u64)]) {
    section(
        out,
        "missing-values",
        "Missing values per table",
        "Every table of the folder, read in full: per column with empty fields, how many \
         and their share (the bar). Every column of every table, with type, distinct values \
         and range, is in <code>table_profile.csv</code>.",
    );
    out.push_str("<div class=\"scroll narrow\"><table class=\"missing\">\n");
    for (table, rows) in tables {
        let of: Vec<&TableColumn> = columns.iter().filter(|c| &c.table == table).collect();
        let with: Vec<&&TableColumn> = of.iter().filter(|c| c.missing > 0).collect();
        let _ = writeln!(
            out,
            "<tr><th colspan=\"3\">{} · {} rows · {} columns, {} with missing values</th></tr>",
            esc(table),
            grouped(*rows),
            of.len(),
            with.len()
        );
        for c in with {
            let share = c.missing_share();
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td><span class=\"meter\"><i style=\"width:{}%\"></i></span>{}</td></tr>",
                esc(&c.column),
                grouped(c.missing),
                decimal((share * 1000.0).round() / 10.0),
                percent(share)
            );
        }
    }
    out.push_str("</table></div>\n</section>\n");
}
