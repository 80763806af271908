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

/// What one table's pass gives: `None` for a table the folder lacks.
type TableResult = Result<Option<TablePass>, ReportError>;

/// The table jobs, largest tables first, so the threads finish together
/// (positions in [`PROFILED_TABLES`]; the customers table, at 0, is read
/// by the caller's first pass).
const JOB_ORDER: [usize; 10] = [5, 6, 9, 10, 4, 1, 2, 3, 7, 8];

/// Runs `first_pass` (the caller's pass over the customers table) and then
/// the association pass on this thread, while up to `threads − 1` other
/// threads read the other tables of [`PROFILED_TABLES`]; this thread joins
/// them when its passes are done. Every job runs; the error reported is
/// that of the first failing job in a fixed order (first pass, association
/// pass, then the tables in file order).
pub(crate) fn gather<T>(
    dir: &Path,
    format: Format,
    threads: usize,
    first_pass: impl FnOnce() -> Result<(Vec<ColumnProfile>, T), ReportError>,
) -> Result<(Gathered, Vec<ColumnProfile>, T), ReportError> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, TableResult)>> = Mutex::new(Vec::new());
    let work = || {
        while let Some(&k) = JOB_ORDER.get(next.fetch_add(1, Ordering::Relaxed)) {
            let done = table_pass(dir, PROFILED_TABLES[k], format);
            if let Ok(mut r) = results.lock() {
                r.push((k, done));
            }
        }
    };
    let mine = std::thread::scope(|scope| {
        for _ in 1..threads.clamp(1, JOB_ORDER.len() + 1) {
            scope.spawn(work);
        }
        let mine = first_pass().and_then(|(profiles, extra)| {
            let associations = association_pass(dir, format, &profiles)?;
            Ok((associations, profiles, extra))
        });
        work();
        mine
    });
    let (associations, profiles, extra) = mine?;
    let mut results = results.into_inner().unwrap_or_default();
    // In file order, so the error reported is the same every time.
    results.sort_by_key(|(k, _)| *k);
    let mut tables: Vec<Option<TablePass>> = vec![None; PROFILED_TABLES.len()];
    for (k, r) in results {
        tables[k] = r?;
    }
    Ok((
        Gathered {
            tables,
            associations,
        },
        profiles,
        extra,
    ))
}
