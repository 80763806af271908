//! Alerts: constant or empty columns, columns with a high share of missing
//! values, and customer columns that carry the same information (an
//! association of 1 in the heatmap).

use crate::assoc::{Associations, Measure};
use crate::number::decimal;
use crate::profile::{ColumnType, Distinct};
use crate::tables::TableColumn;

/// A column with at least this share of empty fields is flagged.
pub const HIGH_MISSING_SHARE: f64 = 0.5;

/// A pair of customer columns with an association at least this high
/// carries the same information (one is a function of the other).
pub const DUPLICATE_THRESHOLD: f64 = 0.999;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AlertKind {
    /// Two columns carry the same information.
    Duplicated,
    /// One value in every row.
    Constant,
    /// No value in any row.
    Empty,
    /// A high share of empty fields.
    HighMissing,
}

impl AlertKind {
    /// Its name on the page.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Duplicated => "duplicated information",
            AlertKind::Constant => "constant column",
            AlertKind::Empty => "empty column",
            AlertKind::HighMissing => "high missing share",
        }
    }
}

/// One alert: a column (or pair) and the tables it holds in.
#[derive(Debug, Clone, PartialEq)]
pub struct Alert {
    /// What.
    pub kind: AlertKind,
    /// The column, or the pair as `a ~ b`.
    pub column: String,
    /// The tables it holds in (no extension), in table order.
    pub tables: Vec<String>,
    /// The figure behind it (`value 0`, `V = 1.000`, `62.3% missing`).
    pub detail: String,
}

/// The alerts of the table profiles and the customers' heatmap: the
/// duplicated pairs first, then per kind and column (grouping the tables
/// that share the column with the same figure).
pub(crate) fn alerts(columns: &[TableColumn], associations: &Associations) -> Vec<Alert> {
    let mut out: Vec<Alert> = associations
        .strong_pairs(DUPLICATE_THRESHOLD)
        .into_iter()
        .map(|(a, b, m, v)| Alert {
            kind: AlertKind::Duplicated,
            column: format!("{a} ~ {b}"),
            tables: vec!["customers".to_string()],
            detail: format!("{} = {v:.3}{}", m.symbol(), duplicate_note(m)),
        })
        .collect();
    let mut single: Vec<Alert> = Vec::new();
    for c in columns {
        let Some((kind, detail)) = column_alert(c) else {
            continue;
        };
        match single
            .iter_mut()
            .find(|a| a.kind == kind && a.column == c.column && a.detail == detail)
        {
            Some(a) => a.tables.push(c.table.clone()),
            None => single.push(Alert {
                kind,
                column: c.column.clone(),
                tables: vec![c.table.clone()],
                detail,
            }),
        }
    }
    single.sort_by_key(|a| a.kind);
    out.extend(single);
    out
}

fn duplicate_note(m: Measure) -> &'static str {
    match m {
        Measure::CramersV => " (each value of one fixes the other's)",
        Measure::Eta => " (the category fixes the number)",
        Measure::Pearson => " (a linear function of the other)",
    }
}

/// The alert of one column, if any, with its figure.
fn column_alert(c: &TableColumn) -> Option<(AlertKind, String)> {
    if c.rows == 0 {
        return None;
    }
    if c.missing == c.rows {
        return Some((AlertKind::Empty, "every field empty".to_string()));
    }
    if c.distinct == Distinct::Exact(1) {
        let value = match (c.column_type, c.range) {
            (ColumnType::Text, _) | (_, None) => "one value".to_string(),
            (_, Some((min, _, _))) => format!("always {}", decimal(min)),
        };
        let detail = if c.missing > 0 {
            format!("{value} where not empty")
        } else {
            value
        };
        return Some((AlertKind::Constant, detail));
    }
    let share = c.missing_share();
    (share >= HIGH_MISSING_SHARE).then(|| {
        (
            AlertKind::HighMissing,
            format!("{:.1}% missing", share * 100.0),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(table: &str, name: &str, missing: u64, distinct: u64) -> TableColumn {
        TableColumn {
            table: table.into(),
            column: name.into(),
            column_type: ColumnType::Integer,
            rows: 10,
            missing,
            distinct: Distinct::Exact(distinct),
            range: Some((0.0, 0.0, 0.0)),
        }
    }

    #[test]
    fn constant_columns_group_across_tables_and_missing_shares_are_flagged() {
        let cols = [
            column("customers", "k", 0, 1),
            column("ledger", "k", 0, 1),
            column("ledger", "usage_imei", 6, 4),
            column("ledger", "fine", 4, 6),
            column("ledger", "gone", 10, 0),
        ];
        let none = Associations {
            columns: Vec::new(),
            cells: Vec::new(),
            left_out: Vec::new(),
        };
        let a = alerts(&cols, &none);
        assert_eq!(a.len(), 3);
        assert_eq!(a[0].kind, AlertKind::Constant);
        assert_eq!(a[0].tables, ["customers", "ledger"]);
        assert_eq!(a[0].detail, "always 0");
        assert_eq!(a[1].kind, AlertKind::Empty);
        assert_eq!(a[2].kind, AlertKind::HighMissing);
        assert_eq!(a[2].detail, "60.0% missing");
    }
}
