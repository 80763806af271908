//! Hand-written inline SVG charts: histograms, vertical bars for short
//! labels, horizontal bars for long ones. Each chart is one `<svg>` whose
//! first child is a `<title>` naming it; every bar carries its own
//! `<title>` (shown on hover) with its exact value.

use crate::number::{decimal, grouped};
use std::fmt::Write;

/// The width of every chart (it scales with the page through CSS).
const WIDTH: f64 = 560.0;

/// One bar: its category label, its length, the text printed at its end
/// and its hover text.
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: f64,
    pub(crate) text: String,
    pub(crate) tip: String,
}

/// Escapes text for HTML and SVG.
pub(crate) fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate with one decimal.
fn px(x: f64) -> String {
    decimal((x * 10.0).round() / 10.0)
}

/// An axis from 0 to `top` in steps of 1, 2 or 5 × 10^k, about `ticks`
/// steps; whole steps when `whole`. Powers of ten are found by repeated
/// multiplication, so the result is the same on every platform.
fn scale(max: f64, whole: bool, ticks: f64) -> (f64, f64) {
    if max.is_nan() || max <= 0.0 {
        return (1.0, 1.0);
    }
    let raw = max / ticks;
    let mut magnitude = 1.0;
    while magnitude * 10.0 <= raw {
        magnitude *= 10.0;
    }
    while magnitude > raw {
        magnitude /= 10.0;
    }
    let norm = raw / magnitude;
    let factor = if norm <= 1.0 {
        1.0
    } else if norm <= 2.0 {
        2.0
    } else if norm <= 5.0 {
        5.0
    } else {
        10.0
    };
    let mut step = factor * magnitude;
    if whole {
        step = step.max(1.0).round();
    }
    let top = (max / step).ceil() * step;
    (step, top)
}

fn tick_label(value: f64, whole: bool) -> String {
    if whole {
        grouped(value.round() as u64)
    } else {
        decimal(value)
    }
}

fn open(out: &mut String, title: &str, height: f64) {
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-label="{t}"><title>{t}</title>"#,
        w = px(WIDTH),
        h = px(height),
        t = esc(title),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, content: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" class="{class}">{}</text>"#,
        px(x),
        px(y),
        esc(content)
    );
}

fn line(out: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str) {
    let _ = write!(
        out,
        r#"<line x1="{}" y1="{}" x2="{}" y2="{}" class="{class}"/>"#,
        px(x1),
        px(y1),
        px(x2),
        px(y2)
    );
}

/// Ends a horizontal bar chart: the value axis's base line from `top` to
/// `plot_bottom` at `left`, the axis label centred under the plot of
/// width `w`, and the closing tag.
fn close_bar_chart(
    mut out: String,
    (left, top, plot_bottom): (f64, f64, f64),
    w: f64,
    height: f64,
    x_axis: &str,
) -> String {
    line(&mut out, (left, top), (left, plot_bottom), "axis");
    text(
        &mut out,
        left + w / 2.0,
        height - 10.0,
        "middle",
        "label",
        x_axis,
    );
    out.push_str("</svg>");
    out
}

fn rect(out: &mut String, (x, y): (f64, f64), (w, h): (f64, f64), class: &str, tip: &str) {
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" class="{class}"><title>{}</title></rect>"#,
        px(x),
        px(y),
        px(w.max(0.0)),
        px(h.max(0.0)),
        esc(tip)
    );
}

/// The frame of a chart with vertical bars: gridlines and labels of the
/// y axis, the x-axis line and both axis titles. Returns the plot area
/// (left, top, width, height) and the y-axis top value.
fn vertical_frame(
    out: &mut String,
    max: f64,
    whole: bool,
    x_axis: &str,
    y_axis: &str,
) -> ((f64, f64, f64, f64), f64) {
    const HEIGHT: f64 = 300.0;
    let (step, y_top) = scale(max, whole, 5.0);
    let ticks: Vec<(f64, String)> = (0..=(y_top / step).round() as u64)
        .map(|i| step * i as f64)
        .map(|value| (value, tick_label(value, whole)))
        .collect();
    // Room for the widest tick label and the rotated axis title left of it.
    let widest = ticks
        .iter()
        .map(|(_, t)| t.chars().count())
        .max()
        .unwrap_or(1);
    let left = (widest as f64 * 6.6 + 36.0).max(56.0);
    let (top, right, bottom) = (22.0, 16.0, 58.0);
    let (w, h) = (WIDTH - left - right, HEIGHT - top - bottom);
    for (value, label) in &ticks {
        let y = top + h - value / y_top * h;
        line(out, (left, y), (left + w, y), "rule");
        text(out, left - 6.0, y + 4.0, "end", "tick", label);
    }
    line(out, (left, top + h), (left + w, top + h), "axis");
    text(
        out,
        left + w / 2.0,
        HEIGHT - 10.0,
        "middle",
        "label",
        x_axis,
    );
    let _ = write!(
        out,
        r#"<text transform="translate(16 {}) rotate(-90)" text-anchor="middle" class="label">{}</text>"#,
        px(top + h / 2.0),
        esc(y_axis)
    );
    ((left, top, w, h), y_top)
}

/// A histogram: `counts[i]` between `edges[i]` and `edges[i + 1]`, every
/// `label_every`-th edge labelled.
pub(crate) fn histogram(
    title: &str,
    x_axis: &str,
    y_axis: &str,
    edges: &[String],
    label_every: usize,
    counts: &[u64],
) -> String {
    let mut out = String::new();
    open(&mut out, title, 300.0);
    let max = counts.iter().copied().max().unwrap_or(0) as f64;
    let ((left, top, w, h), y_top) = vertical_frame(&mut out, max, true, x_axis, y_axis);
    let band = w / counts.len().max(1) as f64;
    for (i, &count) in counts.iter().enumerate() {
        let bar = count as f64 / y_top * h;
        let last = i + 1 == counts.len();
        let tip = format!(
            "{}–{}{}: {}",
            edges[i],
            edges[i + 1],
            if last { " (inclusive)" } else { "" },
            grouped(count)
        );
        rect(
            &mut out,
            (left + band * i as f64 + 0.5, top + h - bar),
            (band - 1.0, bar),
            "bar",
            &tip,
        );
    }
    for (i, edge) in edges.iter().enumerate().step_by(label_every.max(1)) {
        let x = left + band * i as f64;
        line(&mut out, (x, top + h), (x, top + h + 4.0), "axis");
        text(&mut out, x, top + h + 17.0, "middle", "tick", edge);
    }
    out.push_str("</svg>");
    out
}

/// Vertical bars with short category labels, each bar's value printed
/// above it; `whole` for counts.
pub(crate) fn columns(
    title: &str,
    x_axis: &str,
    y_axis: &str,
    bars: &[Bar],
    whole: bool,
    class: &str,
) -> String {
    let mut out = String::new();
    open(&mut out, title, 300.0);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    let ((left, top, w, h), y_top) = vertical_frame(&mut out, max, whole, x_axis, y_axis);
    let band = w / bars.len().max(1) as f64;
    let width = (band * 0.62).min(56.0);
    for (i, b) in bars.iter().enumerate() {
        let center = left + band * (i as f64 + 0.5);
        let bar = b.value / y_top * h;
        rect(
            &mut out,
            (center - width / 2.0, top + h - bar),
            (width, bar),
            class,
            &b.tip,
        );
        text(
            &mut out,
            center,
            top + h - bar - 5.0,
            "middle",
            "value",
            &b.text,
        );
        text(&mut out, center, top + h + 17.0, "middle", "tick", &b.label);
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars with (possibly long) category labels on the left, each
/// bar's value printed at its end; `whole` for counts.
pub(crate) fn rows(title: &str, x_axis: &str, bars: &[Bar], whole: bool, class: &str) -> String {
    let (top, bottom, right) = (8.0, 46.0, 72.0);
    let longest = bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0);
    // Labels longer than the left margin holds go on a line above their bar.
    let above = longest > LONG_LABEL;
    let row = if above { 44.0 } else { 28.0 };
    let left = if above {
        12.0
    } else {
        (longest as f64 * 6.7 + 16.0).clamp(72.0, 260.0)
    };
    let height = top + row * bars.len().max(1) as f64 + bottom;
    let w = WIDTH - left - right;
    let plot_bottom = height - bottom;
    let mut out = String::new();
    open(&mut out, title, height);
    let max = bars.iter().map(|b| b.value).fold(0.0, f64::max);
    // As many steps as there is room for labels as wide as the largest.
    let label_width = tick_label(max, whole).chars().count() as f64 * 6.6 + 18.0;
    let (step, x_top) = scale(max, whole, (w / label_width).floor().clamp(2.0, 5.0));
    let ticks = (x_top / step).round() as u64;
    for i in 0..=ticks {
        let value = step * i as f64;
        let x = left + value / x_top * w;
        line(&mut out, (x, top), (x, plot_bottom), "rule");
        let label = tick_label(value, whole);
        text(&mut out, x, plot_bottom + 16.0, "middle", "tick", &label);
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as f64;
        let bar_top = if above { y + 20.0 } else { y + 5.0 };
        let length = b.value / x_top * w;
        rect(&mut out, (left, bar_top), (length, 18.0), class, &b.tip);
        if above {
            text(&mut out, left, y + 14.0, "start", "label", &b.label);
        } else {
            text(
                &mut out,
                left - 8.0,
                y + row / 2.0 + 4.0,
                "end",
                "tick",
                &b.label,
            );
        }
        let value_y = bar_top + 13.0;
        text(
            &mut out,
            left + length + 5.0,
            value_y,
            "start",
            "value",
            &b.text,
        );
    }
    close_bar_chart(out, (left, top, plot_bottom), w, height, x_axis)
}

/// Labels longer than this many characters are drawn above their bar.
const LONG_LABEL: usize = 36;

/// A chart that cannot be drawn: its title and why.
pub(crate) fn no_data(title: &str, reason: &str) -> String {
    let mut out = String::new();
    open(&mut out, title, 120.0);
    let _ = write!(
        out,
        r#"<rect x="8" y="8" width="{}" height="104" rx="6" class="empty"/>"#,
        px(WIDTH - 16.0)
    );
    text(&mut out, WIDTH / 2.0, 64.0, "middle", "label", reason);
    out.push_str("</svg>");
    out
}

/// One row of an interval chart: a rate with its interval and, when
/// given, a second value drawn as a diamond (the mean score).
pub(crate) struct IntervalRow {
    pub(crate) label: String,
    pub(crate) rate: f64,
    pub(crate) interval: (f64, f64),
    pub(crate) marker: Option<f64>,
    /// Two lines printed right of the plot.
    pub(crate) text: (String, String),
    pub(crate) tip: String,
}

/// Rates as dots with interval whiskers on a bar, one row each, with an
/// optional diamond per row; labels left of the plot, or on a line of
/// their own above each row when `labels_above` (for long labels).
pub(crate) fn intervals(
    title: &str,
    x_axis: &str,
    rows: &[IntervalRow],
    labels_above: bool,
) -> String {
    let row_height = if labels_above { 50.0 } else { 36.0 };
    let (top, bottom, right) = (8.0, 46.0, 150.0);
    let longest = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let left = if labels_above {
        12.0
    } else {
        (longest as f64 * 6.6 + 14.0).clamp(60.0, 200.0)
    };
    let height = top + row_height * rows.len().max(1) as f64 + bottom;
    let w = WIDTH - left - right;
    let plot_bottom = height - bottom;
    let mut out = String::new();
    open(&mut out, title, height);
    let max = rows
        .iter()
        .map(|r| r.interval.1.max(r.marker.unwrap_or(0.0)))
        .fold(0.0, f64::max);
    let (step, x_top) = scale(max, false, 4.0);
    let ticks = (x_top / step).round() as u64;
    for i in 0..=ticks {
        let value = step * i as f64;
        let x = left + value / x_top * w;
        line(&mut out, (x, top), (x, plot_bottom), "rule");
        let label = format!("{}%", decimal(value * 100.0));
        text(&mut out, x, plot_bottom + 16.0, "middle", "tick", &label);
    }
    let at = |v: f64| left + v.clamp(0.0, x_top) / x_top * w;
    for (i, r) in rows.iter().enumerate() {
        let y0 = top + row_height * i as f64;
        if labels_above {
            text(&mut out, left, y0 + 14.0, "start", "label", &r.label);
        } else {
            text(
                &mut out,
                left - 8.0,
                y0 + row_height / 2.0 + 4.0,
                "end",
                "tick",
                &r.label,
            );
        }
        let mid = y0 + row_height - 18.0 + if labels_above { 0.0 } else { 2.0 };
        rect(
            &mut out,
            (left, mid - 7.0),
            (at(r.rate) - left, 14.0),
            "pale",
            &r.tip,
        );
        let (lo, hi) = (at(r.interval.0), at(r.interval.1));
        line(&mut out, (lo, mid), (hi, mid), "ci");
        line(&mut out, (lo, mid - 5.0), (lo, mid + 5.0), "ci");
        line(&mut out, (hi, mid - 5.0), (hi, mid + 5.0), "ci");
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="4" class="dot"><title>{}</title></circle>"#,
            px(at(r.rate)),
            px(mid),
            esc(&r.tip)
        );
        if let Some(m) = r.marker {
            let (x, y) = (at(m), mid);
            let _ = write!(
                out,
                r#"<path d="M{} {}l5 5l-5 5l-5 -5z" class="score"/>"#,
                px(x),
                px(y - 5.0)
            );
        }
        text(
            &mut out,
            WIDTH - right + 10.0,
            mid - 2.0,
            "start",
            "value",
            &r.text.0,
        );
        text(
            &mut out,
            WIDTH - right + 10.0,
            mid + 11.0,
            "start",
            "note",
            &r.text.1,
        );
    }
    close_bar_chart(out, (left, top, plot_bottom), w, height, x_axis)
}

/// One heatmap cell: its value in [0, 1], the text in it and its hover
/// text.
pub(crate) type HeatCell = (f64, String, String);

/// A symmetric heatmap of values in [0, 1]: `cells[i][j]` with its text
/// and hover text, row labels left and column labels (rotated) on top.
/// Drawn at its natural size (`fixed`), so its text never shrinks below
/// the stylesheet's sizes unless the page is narrower than the chart.
pub(crate) fn heatmap(title: &str, labels: &[String], cells: &[Vec<Option<HeatCell>>]) -> String {
    const CELL: f64 = 23.0;
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let margin = longest * 6.0 + 12.0;
    let n = labels.len() as f64;
    let width = margin + CELL * n + 8.0;
    let height = margin + CELL * n + 8.0;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg viewBox="0 0 {w} {h}" width="{w}" height="{h}" class="fixed" role="img" aria-label="{t}"><title>{t}</title>"#,
        w = px(width),
        h = px(height),
        t = esc(title),
    );
    for (i, label) in labels.iter().enumerate() {
        let c = margin + CELL * i as f64 + CELL / 2.0;
        text(&mut out, margin - 6.0, c + 4.0, "end", "hlabel", label);
        let _ = write!(
            out,
            r#"<text transform="translate({} {}) rotate(-90)" text-anchor="start" class="hlabel">{}</text>"#,
            px(c + 4.0),
            px(margin - 6.0),
            esc(label)
        );
    }
    for (i, row) in cells.iter().enumerate() {
        for (j, cell) in row.iter().enumerate() {
            let (x, y) = (margin + CELL * j as f64, margin + CELL * i as f64);
            let Some((value, shown, tip)) = cell else {
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{CELL}" height="{CELL}" class="nocell"/>"#,
                    px(x),
                    px(y)
                );
                continue;
            };
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="{CELL}" height="{CELL}" fill="{}" class="cell"><title>{}</title></rect>"#,
                px(x),
                px(y),
                heat(*value),
                esc(tip)
            );
            let class = if *value > 0.55 { "cellv dark" } else { "cellv" };
            text(
                &mut out,
                x + CELL / 2.0,
                y + CELL / 2.0 + 3.5,
                "middle",
                class,
                shown,
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// The colour of a value in [0, 1]: from near-white to deep blue.
pub(crate) fn heat(value: f64) -> String {
    let t = value.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    format!(
        "#{:02x}{:02x}{:02x}",
        mix(247.0, 23.0),
        mix(249.0, 70.0),
        mix(251.0, 135.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_step_by_one_two_or_five() {
        assert_eq!(scale(0.0, true, 5.0), (1.0, 1.0));
        assert_eq!(scale(3.0, true, 5.0), (1.0, 3.0));
        assert_eq!(scale(2.0, true, 5.0), (1.0, 2.0));
        assert_eq!(scale(1234.0, true, 5.0), (500.0, 1500.0));
        assert_eq!(scale(20_000.0, true, 5.0), (5000.0, 20_000.0));
        assert_eq!(scale(245_316.0, true, 3.0), (100_000.0, 300_000.0));
        let (step, top) = scale(0.47, false, 5.0);
        assert_eq!((decimal(step), decimal(top)), ("0.1".into(), "0.5".into()));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc(r#"<a & "b">'"#), "&lt;a &amp; &quot;b&quot;&gt;&#39;");
    }
}
