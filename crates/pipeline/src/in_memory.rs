//! `run_all` in memory: every table of a run as Arrow record batches, with
//! no file written. The chunk job is `run_all`'s own, and the batches are
//! the ones its Parquet files are encoded from, so a table here holds the
//! same types and values as the Parquet file of the same name.

use crate::outputs::{run_formatted, ByTable, Table};
use crate::run_all::chunk_job;
use crate::{Format, PipelineError, RunAllOptions};
use novawireless::{Progress, Silent};
use novawireless_io::parquet::{RecordBatch, SchemaRef};

/// One table of a run: its file stem (`customers`, `anomaly_manifest`, …),
/// schema and record batches, one per chunk of customers in order.
#[derive(Debug, Clone)]
pub struct ArrowTable {
    /// The file name without its extension.
    pub name: &'static str,
    /// The Arrow schema of the Parquet file.
    pub schema: SchemaRef,
    /// The rows, chunk by chunk.
    pub batches: Vec<RecordBatch>,
}

impl ArrowTable {
    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.batches.iter().map(RecordBatch::num_rows).sum()
    }
}

/// The name `customers_v1`: a second name of [`Table::Customers`].
const CUSTOMERS_V1: &str = "customers_v1";

/// The tables [`run_all_tables`] returns with `options`, in order, with no
/// rows: those of the files `run_all` writes (`customers_v1` holds the same
/// rows as `customers`), with the clean twin when asked for.
pub fn empty_tables(options: &RunAllOptions) -> Vec<ArrowTable> {
    let mut tables = Vec::with_capacity(Table::ALL.len() + 1);
    for table in Table::ALL {
        if table == Table::CleanLedger && !options.clean_twin {
            continue;
        }
        let empty = |name| ArrowTable {
            name,
            schema: table.schema(),
            batches: Vec::new(),
        };
        tables.push(empty(table.stem()));
        if table == Table::Customers {
            tables.push(empty(CUSTOMERS_V1));
        }
    }
    tables
}

/// The names of [`empty_tables`].
pub fn table_names(options: &RunAllOptions) -> Vec<&'static str> {
    empty_tables(options).iter().map(|t| t.name).collect()
}

/// The table whose batches a returned table holds.
fn source(name: &str) -> Option<Table> {
    if name == CUSTOMERS_V1 {
        return Some(Table::Customers);
    }
    Table::ALL.into_iter().find(|t| t.stem() == name)
}

/// Runs `run_all`'s chunk job with `options` (the format, direct-I/O and
/// report settings do not apply) and returns its tables, those named in
/// `wanted` or all of [`table_names`]. The rows are those of the files
/// `run_all` writes with the same options.
pub fn run_all_tables(
    options: &RunAllOptions,
    wanted: Option<&[&str]>,
) -> Result<Vec<ArrowTable>, PipelineError> {
    run_all_tables_with(options, wanted, &Silent)
}

/// [`run_all_tables`], reporting its progress to `progress` (with
/// [`crate::GenerateOptions::progress`]).
pub fn run_all_tables_with(
    options: &RunAllOptions,
    wanted: Option<&[&str]>,
    progress: &dyn Progress,
) -> Result<Vec<ArrowTable>, PipelineError> {
    let progress = if options.generate.progress {
        progress
    } else {
        &Silent
    };
    let names = table_names(options);
    if let Some(unknown) = wanted.into_iter().flatten().find(|w| !names.contains(w)) {
        return Err(PipelineError::UnknownTable {
            name: unknown.to_string(),
            tables: names,
        });
    }
    let mut tables = empty_tables(options);
    tables.retain(|t| wanted.is_none_or(|w| w.contains(&t.name)));
    let mut kept = ByTable::<bool>::default();
    for table in tables.iter().filter_map(|t| source(t.name)) {
        kept[table] = true;
    }
    let mut batches = ByTable::<Vec<RecordBatch>>::default();
    let job = chunk_job(options, progress)?;
    run_formatted(&job, Format::Parquet, progress, |o| {
        for table in Table::ALL.into_iter().filter(|t| kept[*t]) {
            if let Some(batch) = &o.parts[table].batch {
                batches[table].push(batch.clone());
            }
        }
        Ok(())
    })?;
    for t in &mut tables {
        if let Some(table) = source(t.name) {
            t.batches.clone_from(&batches[table]);
        }
    }
    Ok(tables)
}
