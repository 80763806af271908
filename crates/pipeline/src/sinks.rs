//! Format-neutral table output shared by `generate_customers` and
//! `run_all`: a chunk's rows become a [`Part`] (CSV text or an Arrow batch)
//! on a worker thread, and a [`Sink`] writes parts in chunk order.

use crate::{Format, PipelineError};
use novawireless::AccountChunk;
use novawireless::LedgerRow;
use novawireless_io::parquet::{
    self, ArrowError, ParquetError, ParquetTableWriter, RecordBatch, SchemaRef, StagedWriter,
};
use novawireless_io::{tables, InputError, LedgerSchema, OutputSet, TableWriter};
use std::path::{Path, PathBuf};

pub(crate) fn internal(e: impl std::fmt::Display) -> PipelineError {
    PipelineError::Internal(e.to_string())
}

/// References to every row of a slice.
pub(crate) fn refs<T>(rows: &[T]) -> Vec<&T> {
    rows.iter().collect()
}

/// One table's rows of one chunk: CSV text or an Arrow batch.
#[derive(Default)]
pub(crate) struct Part {
    pub(crate) csv: Vec<u8>,
    pub(crate) batch: Option<RecordBatch>,
    pub(crate) rows: u64,
}

impl Part {
    /// Formats `rows` in `format`, reusing this part's buffer.
    pub(crate) fn fill<'a, T: 'a>(
        &mut self,
        format: Format,
        rows: &[&'a T],
        csv: impl Fn(&mut Vec<u8>, &T),
        batch: impl FnOnce(&mut dyn Iterator<Item = &'a T>) -> Result<RecordBatch, ArrowError>,
    ) -> Result<(), PipelineError> {
        self.csv.clear();
        self.batch = None;
        self.rows = rows.len() as u64;
        match format {
            Format::Csv => {
                for r in rows {
                    csv(&mut self.csv, r);
                }
            }
            Format::Parquet => {
                self.batch = Some(batch(&mut rows.iter().copied())?);
            }
        }
        Ok(())
    }
}

/// Where one table goes: a CSV table, or a Parquet encoder thread (encoding
/// is the costly part of Parquet output, so tables are encoded in parallel;
/// each thread encodes its batches in chunk order, once, and writes the
/// bytes to every file name of the table).
pub(crate) enum Sink {
    Csv(TableWriter),
    Parquet(ParquetThread),
}

/// The staged files of one table, all written with the same bytes.
struct Tee(Vec<StagedWriter>);

impl std::io::Write for Tee {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        for w in &mut self.0 {
            w.write_all(buf)?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.iter_mut().try_for_each(std::io::Write::flush)
    }
}

type Encoded = Result<(Tee, u64), ParquetError>;

pub(crate) struct ParquetThread {
    batches: std::sync::mpsc::SyncSender<RecordBatch>,
    done: std::thread::JoinHandle<Encoded>,
}

impl ParquetThread {
    fn start(name: &str, mut writer: ParquetTableWriter<Tee>) -> Result<Self, PipelineError> {
        let (batches, received) = std::sync::mpsc::sync_channel::<RecordBatch>(4);
        let done = std::thread::Builder::new()
            .name(format!("parquet {name}"))
            .spawn(move || -> Encoded {
                for batch in received {
                    writer.write(&batch)?;
                }
                writer.into_inner()
            })
            .map_err(|e| internal(format_args!("cannot start a Parquet encoder: {e}")))?;
        Ok(ParquetThread { batches, done })
    }
}

impl Sink {
    pub(crate) fn open(
        out: &mut OutputSet,
        format: Format,
        csv_names: &[&str],
        columns: &[&str],
        schema: SchemaRef,
    ) -> Result<Self, PipelineError> {
        Ok(match format {
            Format::Csv => Sink::Csv(out.table(csv_names, columns)?),
            Format::Parquet => {
                let mut files = Vec::with_capacity(csv_names.len());
                for name in csv_names {
                    files.push(out.writer(&format.file_name(name))?);
                }
                let writer = ParquetTableWriter::new(Tee(files), schema)?;
                let name = csv_names.first().map_or("", |n| n.trim_end_matches(".csv"));
                Sink::Parquet(ParquetThread::start(name, writer)?)
            }
        })
    }

    /// Opens a ledger table of `schema` under each of `csv_names`.
    pub(crate) fn ledger(
        out: &mut OutputSet,
        format: Format,
        csv_names: &[&str],
        schema: LedgerSchema,
    ) -> Result<Self, PipelineError> {
        let columns = schema.columns();
        Sink::open(
            out,
            format,
            csv_names,
            &columns,
            parquet::ledger_schema(schema),
        )
    }

    pub(crate) fn put(&mut self, part: &Part) -> Result<(), PipelineError> {
        match self {
            Sink::Csv(table) => table.append(&part.csv, part.rows)?,
            Sink::Parquet(thread) => {
                if let Some(batch) = &part.batch {
                    // A closed channel means the thread stopped on an
                    // error, which `finish` reports.
                    let _ = thread.batches.send(batch.clone());
                }
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self, out: &mut OutputSet) -> Result<(), PipelineError> {
        match self {
            Sink::Csv(table) => {
                out.finish(table)?;
            }
            Sink::Parquet(thread) => {
                drop(thread.batches);
                let encoded = thread
                    .done
                    .join()
                    .map_err(|_| internal("a Parquet encoder thread panicked"))?;
                let (tee, _) = encoded?;
                for staged in tee.0 {
                    out.finish_writer(staged)?;
                }
            }
        }
        Ok(())
    }
}

/// Formats ledger rows of `schema` into `part` and writes them to `sink`.
pub(crate) fn put_ledger(
    sink: &mut Sink,
    part: &mut Part,
    format: Format,
    rows: &[LedgerRow],
    schema: LedgerSchema,
) -> Result<(), PipelineError> {
    part.fill(
        format,
        &refs(rows),
        |out, r| tables::ledger_row(out, r, schema),
        |r| parquet::ledger_batch(r, schema),
    )?;
    sink.put(part)
}

/// The path of input table `csv_name` of `dir` in `format`. When it does
/// not exist but the other format's does, the error says which `--format`
/// reads it.
pub(crate) fn input_path(
    dir: &Path,
    csv_name: &str,
    format: Format,
) -> Result<PathBuf, PipelineError> {
    let path = dir.join(format.file_name(csv_name));
    if !path.exists() {
        let other = match format {
            Format::Csv => Format::Parquet,
            Format::Parquet => Format::Csv,
        };
        let found = other.file_name(csv_name);
        if dir.join(&found).exists() {
            return Err(PipelineError::Input(InputError(format!(
                "{}: no such file; {found} is there: pass --format {} to read it",
                path.display(),
                other.as_str()
            ))));
        }
    }
    Ok(path)
}

/// The total size of the files at `paths` (0 for any that cannot be read):
/// the scale of a step's output, for [`crate::direct_io_pays`].
pub(crate) fn size_of(paths: &[&Path]) -> u64 {
    paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Formats a chunk's five step-1 tables into `parts`.
pub(crate) fn fill_step1(
    parts: &mut [Part],
    chunk: &AccountChunk,
    format: Format,
) -> Result<(), PipelineError> {
    parts[0].fill(format, &refs(&chunk.customers), tables::customer_row, |r| {
        parquet::customer_batch(r)
    })?;
    parts[1].fill(format, &refs(&chunk.lines), tables::line_row, |r| {
        parquet::line_batch(r)
    })?;
    parts[2].fill(format, &refs(&chunk.devices), tables::device_row, |r| {
        parquet::device_batch(r)
    })?;
    parts[3].fill(
        format,
        &refs(&chunk.agreements),
        tables::agreement_row,
        |r| parquet::agreement_batch(r),
    )?;
    parts[4].fill(format, &refs(&chunk.usage), tables::usage_row, |r| {
        parquet::usage_batch(r)
    })
}
