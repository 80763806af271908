//! Parquet output of every table (README, *Files* and *Parquet*, `--format parquet`).
//!
//! Each table's Arrow schema and batch builder come from its declaration in
//! [`crate::tables`] ([`TableDef::schema`], [`TableDef::batch`]): column
//! names and order are exactly the CSV ones, and values are those the CSV
//! files hold, typed:
//!
//! - ids, IMEIs, MSISDNs, agreement numbers, enums and Yes/No: `Utf8`,
//!   spelled as in the CSV (digit strings, never numbers);
//! - counts, months, 0/1 flags, `stage` and `tac`: `Int32` (flags stay
//!   integers, as in the CSV, so that they can be summed);
//! - money and scores: `Float64`, rounded as the CSV prints them (cents,
//!   millionths), so that the Parquet value equals the parsed CSV field;
//! - `usage_snapshot_date`: `Date32`;
//! - a column is nullable exactly where its CSV field can be empty, and a
//!   value is null exactly where the CSV field is empty.
//!
//! [`ParquetTableWriter`] writes batches to any [`std::io::Write`] (an
//! [`crate::OutputSet::writer`], say) with Zstandard compression. Its output
//! depends only on the rows, not on how they were split into batches nor on
//! the clock, and its footer names no crate version (`created_by` is
//! [`CREATED_BY`]). Float columns record the type-defined column order, so
//! that every reader uses their statistics (see `footer.rs`).
//!
//! ```
//! use novawireless_io::parquet::ParquetTableWriter;
//! use novawireless_io::schema::TableDef;
//! use novawireless_io::tables::Manifest;
//!
//! let batch = Manifest::batch(&[], ()).unwrap();
//! let mut file = Vec::new();
//! let mut writer = ParquetTableWriter::new(&mut file, Manifest::schema(())).unwrap();
//! writer.write(&batch).unwrap();
//! assert_eq!(writer.finish().unwrap(), 0);
//! assert!(file.starts_with(b"PAR1"));
//! ```

use crate::footer::FooterTail;
use crate::kinds;
use crate::schema::{Column, TableDef, Values};
use crate::tables::{
    Agreements, Customers, Devices, Examples, Ledger, LedgerSchema, Lines, Manifest, Usage,
};
use arrow_schema::Schema;
use novawireless_model::LedgerRow;
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;
use std::io::Write;

pub use crate::output::StagedWriter;
pub use arrow_array::RecordBatch;
pub use arrow_schema::{ArrowError, SchemaRef};
pub use parquet::errors::ParquetError;

/// The `created_by` string of every file: fixed, so that the bytes do not
/// change with the version of the `parquet` crate.
pub const CREATED_BY: &str = "novawireless";

/// Zstandard level of every column: level 1 leaves these tables about as
/// small as level 3 does (464 MB against 479 MB for a million customers)
/// and spends less CPU.
pub const ZSTD_LEVEL: i32 = 1;

/// Rows per row group (the last one may hold fewer).
pub const ROW_GROUP_ROWS: usize = 1 << 16;

/// Rows the encoder takes at a time; [`ParquetTableWriter`] hands it only
/// whole blocks, so that page boundaries do not depend on batch boundaries.
pub const BLOCK_ROWS: usize = 1024;

/// The batch [`Ledger::batch`] makes of `rows` with `billing_agreement_type`,
/// from the batch `unbilled` it made of the same rows without it (step 4
/// changes nothing else): every column is shared but the one that replaces
/// `contract_proxy`, which is built from `rows`.
pub fn billed_ledger_batch(
    unbilled: &RecordBatch,
    rows: &[&LedgerRow],
    ledger: LedgerSchema,
) -> Result<RecordBatch, ArrowError> {
    let unbilled_schema = LedgerSchema {
        billing_agreement_type: false,
        ..ledger
    };
    if unbilled.schema() != Ledger::schema(unbilled_schema) || !ledger.billing_agreement_type {
        return Err(ArrowError::InvalidArgumentError(
            "billed_ledger_batch needs a batch without billing_agreement_type and a schema with it"
                .to_string(),
        ));
    }
    let mut billing = kinds::OptCategory::builder(rows.len());
    for r in rows {
        kinds::OptCategory::push(&mut billing, r.billing_agreement_type);
    }
    // The one column the two variants spell differently.
    let billed = Ledger::schema(ledger);
    let at = (unbilled.schema().fields().iter())
        .zip(billed.fields())
        .position(|(a, b)| a.name() != b.name())
        .ok_or_else(|| ArrowError::SchemaError("no column holds the billing type".into()))?;
    let mut columns = unbilled.columns().to_vec();
    columns[at] = billing.finish()?;
    RecordBatch::try_new(billed, columns)
}

// ---------------------------------------------------------------------------
// Writer.

/// Every column of every declared table (a name may come more than once).
pub(crate) fn declared_columns() -> impl Iterator<Item = &'static Column> {
    [
        Customers::COLUMNS,
        Lines::COLUMNS,
        Devices::COLUMNS,
        Agreements::COLUMNS,
        Usage::COLUMNS,
        Ledger::COLUMNS,
        Examples::COLUMNS,
        Manifest::COLUMNS,
    ]
    .into_iter()
    .flatten()
}

/// The writer properties of every file: Zstandard level [`ZSTD_LEVEL`],
/// row groups of [`ROW_GROUP_ROWS`], Parquet 1.0 data pages (the most widely
/// readable), and `created_by` = [`CREATED_BY`]; each column's dictionary
/// and page statistics as its declaration's [`Values`] says (statistics
/// of numbers, dates and sort keys; dictionaries but for unique values and
/// sort keys: at a million customers, leaving the five float columns plain
/// took 8% off the CPU time and 6% off the bytes). Every setting that
/// shapes the bytes is set here rather than left to the crate's defaults.
pub fn writer_properties() -> Result<WriterProperties, ParquetError> {
    let mut builder = WriterProperties::builder()
        .set_created_by(CREATED_BY.to_string())
        .set_writer_version(WriterVersion::PARQUET_1_0)
        .set_compression(Compression::ZSTD(ZstdLevel::try_new(ZSTD_LEVEL)?))
        .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
        .set_max_row_group_bytes(None)
        .set_write_batch_size(BLOCK_ROWS)
        .set_data_page_size_limit(1 << 20)
        .set_data_page_row_count_limit(20_000)
        .set_dictionary_enabled(true)
        .set_dictionary_page_size_limit(1 << 20)
        .set_statistics_enabled(EnabledStatistics::Page);
    for column in declared_columns() {
        let path = || ColumnPath::from(column.name);
        if column.values != Values::Repeated {
            builder = builder.set_column_dictionary_enabled(path(), false);
        }
        if column.kind.is_text() && column.values != Values::SortKey {
            builder = builder.set_column_statistics_enabled(path(), EnabledStatistics::None);
        }
    }
    Ok(builder.build())
}

/// One Parquet table being written to `W`.
///
/// Batches are handed to the encoder in whole blocks of [`BLOCK_ROWS`] rows
/// (a short remainder waits for the next batch), so the file's bytes depend
/// only on its rows, never on how they were split into batches.
pub struct ParquetTableWriter<W: Write + Send> {
    writer: ArrowWriter<FooterTail<W>>,
    schema: SchemaRef,
    /// Slices of the rows after the last whole block, fewer than
    /// [`BLOCK_ROWS`] in all.
    pending: Vec<RecordBatch>,
    pending_rows: usize,
    rows: u64,
}

impl<W: Write + Send> ParquetTableWriter<W> {
    /// Starts a table of `schema` (one of this module's schemas) over `writer`.
    pub fn new(writer: W, schema: SchemaRef) -> Result<Self, ParquetError> {
        Self::with_metadata(writer, schema, &[])
    }

    /// [`ParquetTableWriter::new`], with `pairs` in the footer's key-value
    /// metadata (after the Arrow schema the writer puts there).
    pub fn with_metadata(
        writer: W,
        schema: SchemaRef,
        pairs: &[(String, String)],
    ) -> Result<Self, ParquetError> {
        let mut writer = ArrowWriter::try_new(
            FooterTail::new(writer),
            schema.clone(),
            Some(writer_properties()?),
        )?;
        for (key, value) in pairs {
            writer.append_key_value_metadata(KeyValue::new(key.clone(), value.clone()));
        }
        Ok(ParquetTableWriter {
            writer,
            schema,
            pending: Vec::new(),
            pending_rows: 0,
            rows: 0,
        })
    }

    /// Appends the rows of `batch`, whose schema must be the table's.
    pub fn write(&mut self, batch: &RecordBatch) -> Result<(), ParquetError> {
        if batch.schema() != self.schema {
            return Err(ParquetError::ArrowError(format!(
                "a batch with columns {} written to a table with columns {}",
                describe(&batch.schema()),
                describe(&self.schema)
            )));
        }
        let total = batch.num_rows();
        if total == 0 {
            return Ok(());
        }
        self.rows += total as u64;
        let mut start = 0;
        if self.pending_rows > 0 {
            start = total.min(BLOCK_ROWS - self.pending_rows);
            self.pending.push(batch.slice(0, start));
            self.pending_rows += start;
            if self.pending_rows < BLOCK_ROWS {
                return Ok(());
            }
            self.write_pending()?;
        }
        let whole = (total - start) / BLOCK_ROWS * BLOCK_ROWS;
        if whole > 0 {
            self.writer.write(&batch.slice(start, whole))?;
        }
        let rest = total - start - whole;
        if rest > 0 {
            self.pending.push(batch.slice(start + whole, rest));
            self.pending_rows = rest;
        }
        Ok(())
    }

    /// Rows appended so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Writes the last rows and the footer; returns the number of rows.
    pub fn finish(self) -> Result<u64, ParquetError> {
        self.into_inner().map(|(_, rows)| rows)
    }

    /// Like [`ParquetTableWriter::finish`], and hands back the writer (a
    /// [`StagedWriter`] goes on to [`crate::OutputSet::finish_writer`]).
    pub fn into_inner(mut self) -> Result<(W, u64), ParquetError> {
        self.write_pending()?;
        // The last row group goes to the file; what follows it (page
        // indexes and footer) is held until its column orders are set.
        self.writer.flush()?;
        self.writer.inner_mut().hold();
        let mut inner = self.writer.into_inner()?.release()?;
        inner.flush()?;
        Ok((inner, self.rows))
    }

    fn write_pending(&mut self) -> Result<(), ParquetError> {
        if self.pending_rows > 0 {
            let block = arrow_select::concat::concat_batches(&self.schema, &self.pending)?;
            self.writer.write(&block)?;
        }
        self.pending.clear();
        self.pending_rows = 0;
        Ok(())
    }
}

/// `name: type` of every column, for error messages.
fn describe(schema: &Schema) -> String {
    let columns: Vec<String> = schema
        .fields()
        .iter()
        .map(|f| format!("{}: {}", f.name(), f.data_type()))
        .collect();
    format!("({})", columns.join(", "))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn schemas_spell_the_csv_columns() {
        for ledger in [
            LedgerSchema::default(),
            LedgerSchema {
                anomaly_type: true,
                billing_agreement_type: false,
            },
            LedgerSchema {
                anomaly_type: true,
                billing_agreement_type: true,
            },
        ] {
            let schema = Ledger::schema(ledger);
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            assert_eq!(names, ledger.columns());
        }
    }

    /// Writer properties are set by column name, for every table: a name
    /// must be stored alike wherever it is declared.
    #[test]
    fn a_column_name_is_stored_alike_in_every_table() {
        let mut seen: std::collections::BTreeMap<&str, (crate::schema::Kind, Values)> =
            Default::default();
        for c in declared_columns() {
            let first = *seen.entry(c.name).or_insert((c.kind, c.values));
            assert_eq!(first, (c.kind, c.values), "{}", c.name);
        }
        assert_eq!(seen["line_id"].1, Values::SortKey);
        assert_eq!(seen["usage_imei"].1, Values::Unique);
        assert_eq!(seen["monthly_charges"].1, Values::Unique);
        assert_eq!(seen["payment_method"].1, Values::Repeated);
    }
}
