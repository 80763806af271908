//! The tables of a run by name ([`Table`]), a chunk's formatted parts held
//! by table ([`ByTable`]), the [`StageSink`] that formats each stage's rows
//! on a worker thread ([`ChunkOutput`]), and the sinks that write them.

use crate::files::Place;
use crate::files::{
    AGREEMENTS_FILE, ANOMALY_LEDGER_FILE, CLEAN_LEDGER_FILE, CUSTOMER_FILES, DEVICES_FILE,
    EXAMPLES_FILE, LEDGER_FILE, LINES_FILE, MANIFEST_FILE, USAGE_FILE,
};
use crate::sinks::{fill, fill_step1, refs, Part, Sink};
use crate::{Format, PipelineError};
use novawireless::parallel::Recycler;
use novawireless::{AccountChunk, Counts, Defect, LedgerRow, Pipeline, Progress, StageSink};
use novawireless_io::parquet::{self, SchemaRef};
use novawireless_io::tables::{self as declared, Agreements, Customers, Devices, Examples, Lines};
use novawireless_io::tables::{Manifest, Usage};
use novawireless_io::{LedgerSchema, OutputSet, TableDef};

/// A table a run writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Table {
    /// `customers.csv` (and `customers_v1.csv`).
    Customers,
    /// `lines.csv`.
    Lines,
    /// `devices.csv`.
    Devices,
    /// `eip_agreements.csv`.
    EipAgreements,
    /// `line_device_usage.csv`.
    Usage,
    /// The final ledger, `master_account_ledger.csv`.
    Ledger,
    /// The ledger after step 3.
    AnomalyLedger,
    /// The examples.
    Examples,
    /// The defect manifest.
    Manifest,
    /// The clean twin.
    CleanLedger,
}

/// The ledger with the final columns: anomalies and billing type.
pub(crate) const FINAL_SCHEMA: LedgerSchema = LedgerSchema {
    anomaly_type: true,
    billing_agreement_type: true,
};

/// The ledger after step 3: anomalies, no billing type yet.
pub(crate) const ANOMALY_SCHEMA: LedgerSchema = LedgerSchema {
    anomaly_type: true,
    billing_agreement_type: false,
};

impl Table {
    /// Every table, in the order of the files.
    pub(crate) const ALL: [Table; 10] = [
        Table::Customers,
        Table::Lines,
        Table::Devices,
        Table::EipAgreements,
        Table::Usage,
        Table::Ledger,
        Table::AnomalyLedger,
        Table::Examples,
        Table::Manifest,
        Table::CleanLedger,
    ];

    /// The step-1 tables, first of [`Table::ALL`].
    pub(crate) const STEP1: [Table; 5] = [
        Table::Customers,
        Table::Lines,
        Table::Devices,
        Table::EipAgreements,
        Table::Usage,
    ];

    /// The CSV names the table is written under.
    pub(crate) fn files(self) -> &'static [&'static str] {
        use std::slice::from_ref;
        match self {
            Table::Customers => CUSTOMER_FILES,
            Table::Lines => from_ref(&LINES_FILE),
            Table::Devices => from_ref(&DEVICES_FILE),
            Table::EipAgreements => from_ref(&AGREEMENTS_FILE),
            Table::Usage => from_ref(&USAGE_FILE),
            Table::Ledger => from_ref(&LEDGER_FILE),
            Table::AnomalyLedger => from_ref(&ANOMALY_LEDGER_FILE),
            Table::Examples => from_ref(&EXAMPLES_FILE),
            Table::Manifest => from_ref(&MANIFEST_FILE),
            Table::CleanLedger => from_ref(&CLEAN_LEDGER_FILE),
        }
    }

    /// The file stem of the table's first name (`customers`, …).
    pub(crate) fn stem(self) -> &'static str {
        let file = self.files().first().copied().unwrap_or_default();
        file.strip_suffix(".csv").unwrap_or(file)
    }

    /// The ledger columns of a ledger table.
    fn ledger_schema(self) -> Option<LedgerSchema> {
        match self {
            Table::Ledger | Table::CleanLedger => Some(FINAL_SCHEMA),
            Table::AnomalyLedger => Some(ANOMALY_SCHEMA),
            _ => None,
        }
    }

    /// The Arrow schema of the table's Parquet file.
    pub(crate) fn schema(self) -> SchemaRef {
        match self {
            Table::Customers => Customers::schema(()),
            Table::Lines => Lines::schema(()),
            Table::Devices => Devices::schema(()),
            Table::EipAgreements => Agreements::schema(()),
            Table::Usage => Usage::schema(()),
            Table::Examples => Examples::schema(()),
            Table::Manifest => Manifest::schema(()),
            Table::Ledger | Table::AnomalyLedger | Table::CleanLedger => {
                declared::Ledger::schema(self.ledger_schema().unwrap_or(FINAL_SCHEMA))
            }
        }
    }

    /// Opens the table's sink in `out`, under each of its names at `place`.
    fn open(
        self,
        out: &mut OutputSet,
        format: Format,
        place: Place,
    ) -> Result<Sink, PipelineError> {
        let stems: Vec<String> = self.files().iter().map(|f| place.stem(f)).collect();
        let files: Vec<&str> = stems.iter().map(String::as_str).collect();
        let files = files.as_slice();
        match self {
            Table::Customers => Sink::open::<Customers>(out, format, files, ()),
            Table::Lines => Sink::open::<Lines>(out, format, files, ()),
            Table::Devices => Sink::open::<Devices>(out, format, files, ()),
            Table::EipAgreements => Sink::open::<Agreements>(out, format, files, ()),
            Table::Usage => Sink::open::<Usage>(out, format, files, ()),
            Table::Examples => Sink::open::<Examples>(out, format, files, ()),
            Table::Manifest => Sink::open::<Manifest>(out, format, files, ()),
            Table::Ledger | Table::AnomalyLedger | Table::CleanLedger => {
                let schema = self.ledger_schema().unwrap_or(FINAL_SCHEMA);
                Sink::ledger(out, format, files, schema)
            }
        }
    }
}

/// One value per [`Table`].
#[derive(Default)]
pub(crate) struct ByTable<T>([T; 10]);

impl<T> std::ops::Index<Table> for ByTable<T> {
    type Output = T;
    fn index(&self, table: Table) -> &T {
        &self.0[table as usize]
    }
}

impl<T> std::ops::IndexMut<Table> for ByTable<T> {
    fn index_mut(&mut self, table: Table) -> &mut T {
        &mut self.0[table as usize]
    }
}

impl<T> ByTable<T> {
    /// The values of the step-1 tables, in the order of [`Table::STEP1`].
    fn step1_mut(&mut self) -> &mut [T] {
        &mut self.0[..Table::STEP1.len()]
    }
}

/// One chunk's tables, formatted in `format` on a worker thread as the
/// chunk job hands over each stage's rows.
pub(crate) struct ChunkOutput {
    format: Format,
    /// The formatted rows of each table (empty for a stage not run).
    pub(crate) parts: ByTable<Part>,
}

impl Default for ChunkOutput {
    fn default() -> Self {
        ChunkOutput {
            format: Format::Csv,
            parts: ByTable::default(),
        }
    }
}

impl ChunkOutput {
    fn fill_ledger(&mut self, table: Table, rows: &[LedgerRow]) -> Result<(), PipelineError> {
        let schema = table.ledger_schema().unwrap_or(FINAL_SCHEMA);
        fill::<declared::Ledger>(&mut self.parts[table], self.format, &refs(rows), schema)
    }
}

impl StageSink for ChunkOutput {
    type Error = PipelineError;

    fn generated(&mut self, chunk: &AccountChunk) -> Result<(), PipelineError> {
        fill_step1(self.parts.step1_mut(), chunk, self.format)
    }

    fn clean_twin(&mut self, rows: &[LedgerRow]) -> Result<(), PipelineError> {
        self.fill_ledger(Table::CleanLedger, rows)
    }

    fn injected(&mut self, rows: &[LedgerRow], defects: &[Defect]) -> Result<(), PipelineError> {
        fill::<Manifest>(
            &mut self.parts[Table::Manifest],
            self.format,
            &refs(defects),
            (),
        )?;
        self.fill_ledger(Table::AnomalyLedger, rows)
    }

    fn examples(&mut self, rows: &[&LedgerRow]) -> Result<(), PipelineError> {
        fill::<Examples>(&mut self.parts[Table::Examples], self.format, rows, ())
    }

    fn billed(&mut self, rows: &[LedgerRow]) -> Result<(), PipelineError> {
        let billed = refs(rows);
        match &self.parts[Table::AnomalyLedger].batch {
            // The anomaly ledger's columns, but for the billing one.
            Some(unbilled) => {
                let batch = parquet::billed_ledger_batch(unbilled, &billed, FINAL_SCHEMA)?;
                let part = &mut self.parts[Table::Ledger];
                part.bytes.clear();
                part.rows = billed.len() as u64;
                part.batch = Some(batch);
                Ok(())
            }
            None => fill::<declared::Ledger>(
                &mut self.parts[Table::Ledger],
                self.format,
                &billed,
                FINAL_SCHEMA,
            ),
        }
    }
}

/// Pass 2 of `job`: every chunk's tables formatted in `format` on rayon's
/// threads, `each` on them in chunk order; returns the run's counts. The
/// outputs are recycled.
pub(crate) fn run_formatted(
    job: &Pipeline,
    format: Format,
    progress: &dyn Progress,
    mut each: impl FnMut(&ChunkOutput) -> Result<(), PipelineError>,
) -> Result<Counts, PipelineError> {
    let outputs = Recycler::<ChunkOutput>::default();
    job.run(
        progress,
        || ChunkOutput {
            format,
            ..outputs.take()
        },
        |o, _| {
            each(&o)?;
            outputs.give(o);
            Ok(())
        },
    )
}

/// The sinks of the tables a run writes.
pub(crate) struct TableSinks(Vec<(Table, Sink)>);

impl TableSinks {
    /// Opens the sinks of `tables` in `out`, at `place`.
    pub(crate) fn open(
        out: &mut OutputSet,
        format: Format,
        place: Place,
        tables: &[Table],
    ) -> Result<Self, PipelineError> {
        let mut sinks = Vec::with_capacity(tables.len());
        for &table in tables {
            sinks.push((table, table.open(out, format, place)?));
        }
        Ok(TableSinks(sinks))
    }

    /// Writes a chunk's parts of every table.
    pub(crate) fn put(&mut self, o: &ChunkOutput) -> Result<(), PipelineError> {
        for (table, sink) in &mut self.0 {
            sink.put(&o.parts[*table])?;
        }
        Ok(())
    }

    /// Finishes every table's file.
    pub(crate) fn finish(self, out: &mut OutputSet) -> Result<(), PipelineError> {
        for (_, sink) in self.0 {
            sink.finish(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_is_listed_once_at_its_index() {
        for (i, table) in Table::ALL.iter().enumerate() {
            assert_eq!(*table as usize, i);
        }
        assert_eq!(Table::STEP1[..], Table::ALL[..5]);
        let stems: Vec<&str> = Table::ALL.iter().map(|t| t.stem()).collect();
        assert_eq!(
            stems,
            [
                "customers",
                "lines",
                "devices",
                "eip_agreements",
                "line_device_usage",
                "master_account_ledger",
                "master_account_ledger__anomalies",
                "imei_anomaly_examples",
                "anomaly_manifest",
                "master_account_ledger__clean",
            ]
        );
    }
}
