//! The passes over the folder's tables after the first pass over the
//! customers table: the association pass over customers and one pass per
//! other table, run on a few threads (each pass streams its table in fixed
//! memory; the results are put together in a fixed order, so the bytes do
//! not depend on which thread ran what).

use crate::assoc::{AssociationPass, Associations};
use crate::eligible::{EligibleCounts, EligibleRate};
use crate::profile::ColumnProfile;
use crate::read::{Categories, Format, Table, Tally};
use crate::tables::{TableColumn, TableProfiler, PROFILED_TABLES};
use crate::ReportError;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// What the pass over one table found.
#[derive(Debug, Clone)]
pub(crate) struct TablePass {
    /// Rows and the value counts of the table's charted column.
    pub(crate) tally: Tally,
    /// One row per column.
    pub(crate) columns: Vec<TableColumn>,
    /// Anomaly rates among eligible lines (labelled ledgers only).
    pub(crate) eligible: Option<Vec<EligibleRate>>,
}

/// Everything the later passes found; tables absent from the folder are
/// `None`.
pub(crate) struct Gathered {
    /// By [`PROFILED_TABLES`] position (customers, at 0, is always `None`:
    /// its columns come from the full profile).
    pub(crate) tables: Vec<Option<TablePass>>,
    /// The customers' association heatmap.
    pub(crate) associations: Associations,
}

/// The column whose values a table's pass counts.
fn charted_column(file: &str) -> Option<&'static str> {
    match file {
        "devices.csv" => Some("make"),
        "eip_agreements.csv" => Some(crate::columns::INSTALLMENT_MONTHS),
        "master_account_ledger.csv" | "master_account_ledger__anomalies.csv" => {
            Some(crate::columns::IMEI_ANOMALY_TYPE)
        }
        "anomaly_manifest.csv" => Some("defect_type"),
        _ => None,
    }
}

/// Profiles table `file` of `dir`; `Ok(None)` when absent.
fn table_pass(dir: &Path, file: &str, format: Format) -> Result<Option<TablePass>, ReportError> {
    let Some(mut table) = Table::open_optional(dir, file, format)? else {
        return Ok(None);
    };
    let name = file.trim_end_matches(".csv");
    let mut profiler = TableProfiler::new(name, table.header());
    let at = charted_column(file).and_then(|c| table.column(c));
    let mut values = at.map(|_| Categories::default());
    let mut eligible = EligibleCounts::new(table.header());
    let mut rows = 0u64;
    while let Some(record) = table.next_record()? {
        rows += 1;
        profiler.add(record);
        if let (Some(i), Some(v)) = (at, values.as_mut()) {
            v.add(record.get(i).unwrap_or(""));
        }
        if let Some(e) = eligible.as_mut() {
            e.add(record);
        }
    }
    Ok(Some(TablePass {
        tally: Tally {
            file: table.file_name().to_string(),
            rows,
            values,
        },
        columns: profiler.finish(),
        eligible: eligible.map(EligibleCounts::finish),
    }))
}

/// The association pass: the customers table read a second time.
fn association_pass(
    dir: &Path,
    format: Format,
    profiles: &[ColumnProfile],
) -> Result<Associations, ReportError> {
    let Some(mut table) = Table::open_optional(dir, crate::CUSTOMERS_FILE, format)? else {
        return Err(ReportError::MissingCustomers {
            path: dir.join(crate::CUSTOMERS_FILE).display().to_string(),
        });
    };
    let mut pass = AssociationPass::new(table.header(), profiles);
    while let Some(record) = table.next_record()? {
        pass.add(record);
    }
    Ok(pass.finish())
}

enum Done {
    Table(usize, Option<TablePass>),
    Associations(Associations),
}

/// Runs the association pass and one pass per other table of
/// [`PROFILED_TABLES`] on up to `threads` threads; every job runs, and the
/// error of the first failing job (in job order) is returned.
pub(crate) fn gather(
    dir: &Path,
    format: Format,
    profiles: &[ColumnProfile],
    threads: usize,
) -> Result<Gathered, ReportError> {
    // Job 0 is the association pass; job k ≥ 1 is table k.
    let jobs = PROFILED_TABLES.len();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Result<Done, ReportError>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..threads.clamp(1, jobs) {
            scope.spawn(|| loop {
                let k = next.fetch_add(1, Ordering::Relaxed);
                if k >= jobs {
                    break;
                }
                let done = if k == 0 {
                    association_pass(dir, format, profiles).map(Done::Associations)
                } else {
                    table_pass(dir, PROFILED_TABLES[k], format).map(|t| Done::Table(k, t))
                };
                if let Ok(mut r) = results.lock() {
                    r.push((k, done));
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap_or_default();
    // In job order, so the error reported is the same every time.
    results.sort_by_key(|(k, _)| *k);
    let mut tables: Vec<Option<TablePass>> = vec![None; jobs];
    let mut associations = None;
    for (_, r) in results {
        match r? {
            Done::Table(k, t) => tables[k] = t,
            Done::Associations(a) => associations = Some(a),
        }
    }
    let associations = associations.ok_or_else(|| ReportError::MissingCustomers {
        path: dir.join(crate::CUSTOMERS_FILE).display().to_string(),
    })?;
    Ok(Gathered {
        tables,
        associations,
    })
}
