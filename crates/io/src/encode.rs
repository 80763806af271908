//! Output formats as encoders behind one trait (ARCHITECTURE.md, *Tables,
//! encoders and readers*).
//!
//! A chunk's rows of a declared table are encoded into a [`Part`] on a
//! worker thread ([`Encoder::encode`]); the [`TableSink`] of the table,
//! opened once per table whatever the format ([`Encoder::open`]), takes the
//! parts in chunk order and writes them under each of the table's names,
//! `stem.extension`. [`Format`] names the formats the tool writes and
//! dispatches to their encoders, [`Csv`] and [`Parquet`].

use crate::parquet::{ParquetError, ParquetTableWriter, StagedWriter};
use crate::schema::TableDef;
use crate::{OutputError, OutputSet, TableWriter};
use arrow_array::RecordBatch;
use arrow_schema::ArrowError;
use std::str::FromStr;

/// A failure to encode or write a table.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    /// Rows that do not make a valid Arrow batch.
    #[error(transparent)]
    Arrow(#[from] ArrowError),
    /// The Parquet encoder failed.
    #[error(transparent)]
    Parquet(#[from] ParquetError),
    /// A file could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// An encoder thread could not start or stopped unexpectedly.
    #[error("{0}")]
    Thread(String),
}

/// One table's rows of one chunk, encoded: bytes (CSV) or an Arrow batch
/// (Parquet). Reused from chunk to chunk.
#[derive(Debug, Default)]
pub struct Part {
    /// Encoded bytes, for byte formats.
    pub bytes: Vec<u8>,
    /// The rows as a batch, for Arrow formats.
    pub batch: Option<RecordBatch>,
    /// Rows in the part.
    pub rows: u64,
}

impl Part {
    fn clear(&mut self, rows: usize) {
        self.bytes.clear();
        self.batch = None;
        self.rows = rows as u64;
    }
}

/// An output format.
pub trait Encoder: Copy + Send + Sync {
    /// The file extension, without its dot.
    fn extension(self) -> &'static str;

    /// Encodes `rows` of table `D` with the columns of `variant` into
    /// `part`, replacing what it held.
    fn encode<D: TableDef>(
        self,
        rows: &[&D::Row],
        variant: D::Variant,
        part: &mut Part,
    ) -> Result<(), EncodeError>;

    /// Opens the sink of a table of `D` with the columns of `variant`,
    /// written to `stem.extension` for each of `stems` (identical copies).
    fn open<D: TableDef>(
        self,
        out: &mut OutputSet,
        stems: &[&str],
        variant: D::Variant,
    ) -> Result<Box<dyn TableSink>, EncodeError>;
}

/// Where one table's parts go, in chunk order.
pub trait TableSink: Send {
    /// Appends a part.
    fn put(&mut self, part: &Part) -> Result<(), EncodeError>;

    /// Ends the table's files and hands them to `out` for the commit.
    fn finish(self: Box<Self>, out: &mut OutputSet) -> Result<(), EncodeError>;
}

/// CSV (README, *Files*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Csv;

impl Encoder for Csv {
    fn extension(self) -> &'static str {
        "csv"
    }

    fn encode<D: TableDef>(
        self,
        rows: &[&D::Row],
        variant: D::Variant,
        part: &mut Part,
    ) -> Result<(), EncodeError> {
        part.clear(rows.len());
        for &row in rows {
            D::csv_row(&mut part.bytes, row, variant);
        }
        Ok(())
    }

    fn open<D: TableDef>(
        self,
        out: &mut OutputSet,
        stems: &[&str],
        variant: D::Variant,
    ) -> Result<Box<dyn TableSink>, EncodeError> {
        let names = file_names(stems, self.extension());
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let mut table = out.table(&names)?;
        let mut header = Vec::new();
        D::csv_header(&mut header, variant);
        table.append(&header, 0)?;
        Ok(Box::new(CsvSink(table)))
    }
}

struct CsvSink(TableWriter);

impl TableSink for CsvSink {
    fn put(&mut self, part: &Part) -> Result<(), EncodeError> {
        Ok(self.0.append(&part.bytes, part.rows)?)
    }

    fn finish(self: Box<Self>, out: &mut OutputSet) -> Result<(), EncodeError> {
        out.finish(self.0)?;
        Ok(())
    }
}

/// Apache Parquet (README, *Parquet*): Zstandard, typed nullable columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Parquet;

impl Encoder for Parquet {
    fn extension(self) -> &'static str {
        "parquet"
    }

    fn encode<D: TableDef>(
        self,
        rows: &[&D::Row],
        variant: D::Variant,
        part: &mut Part,
    ) -> Result<(), EncodeError> {
        part.clear(rows.len());
        part.batch = Some(D::batch(rows, variant)?);
        Ok(())
    }

    fn open<D: TableDef>(
        self,
        out: &mut OutputSet,
        stems: &[&str],
        variant: D::Variant,
    ) -> Result<Box<dyn TableSink>, EncodeError> {
        let mut files = Vec::with_capacity(stems.len());
        for name in file_names(stems, self.extension()) {
            files.push(out.writer(&name)?);
        }
        let stem = stems.first().copied().unwrap_or("");
        let writer =
            ParquetTableWriter::with_metadata(Tee(files), D::schema(variant), out.provenance())?;
        Ok(Box::new(ParquetSink::start(stem, writer)?))
    }
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

/// A Parquet table encoded on a thread of its own (encoding is the costly
/// part of Parquet output, so tables are encoded in parallel; the thread
/// encodes its batches in chunk order, once, and writes the bytes to every
/// file name of the table).
struct ParquetSink {
    batches: std::sync::mpsc::SyncSender<RecordBatch>,
    done: std::thread::JoinHandle<Encoded>,
}

impl ParquetSink {
    fn start(name: &str, mut writer: ParquetTableWriter<Tee>) -> Result<Self, EncodeError> {
        let (batches, received) = std::sync::mpsc::sync_channel::<RecordBatch>(4);
        let done = std::thread::Builder::new()
            .name(format!("parquet {name}"))
            .spawn(move || -> Encoded {
                for batch in received {
                    writer.write(&batch)?;
                }
                writer.into_inner()
            })
            .map_err(|e| EncodeError::Thread(format!("cannot start a Parquet encoder: {e}")))?;
        Ok(ParquetSink { batches, done })
    }
}

impl TableSink for ParquetSink {
    fn put(&mut self, part: &Part) -> Result<(), EncodeError> {
        if let Some(batch) = &part.batch {
            // A closed channel means the thread stopped on an error, which
            // `finish` reports.
            let _ = self.batches.send(batch.clone());
        }
        Ok(())
    }

    fn finish(self: Box<Self>, out: &mut OutputSet) -> Result<(), EncodeError> {
        let ParquetSink { batches, done } = *self;
        drop(batches);
        let encoded = done
            .join()
            .map_err(|_| EncodeError::Thread("a Parquet encoder thread panicked".into()))?;
        let (tee, _) = encoded?;
        for staged in tee.0 {
            out.finish_writer(staged)?;
        }
        Ok(())
    }
}

fn file_names(stems: &[&str], extension: &str) -> Vec<String> {
    stems.iter().map(|s| format!("{s}.{extension}")).collect()
}

/// The formats tables are written in (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Comma-separated values ([`Csv`]).
    Csv,
    /// Apache Parquet with typed, nullable columns, Zstd-compressed ([`Parquet`]).
    Parquet,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 2] = [Format::Csv, Format::Parquet];

    /// The spelling of the flag and of the receipts.
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }

    /// The file name in this format of table `name`: a stem (`lines`), or
    /// the table's file name in any format (`lines.csv`).
    pub fn file_name(self, name: &str) -> String {
        let stem = Format::stem(name).map_or(name, |(stem, _)| stem);
        format!("{stem}.{}", self.extension())
    }

    /// The names of the same table in the other formats, for a table's file
    /// name (none for a receipt or a report).
    pub fn other_names(file: &str) -> Vec<String> {
        match Format::stem(file) {
            Some((stem, format)) => Format::ALL
                .into_iter()
                .filter(|f| *f != format)
                .map(|f| f.file_name(stem))
                .collect(),
            None => Vec::new(),
        }
    }

    /// The stem of `file` when it names a table in some format (`None` for a
    /// receipt or a report).
    pub fn stem(file: &str) -> Option<(&str, Format)> {
        Format::ALL.into_iter().find_map(|f| {
            file.strip_suffix(f.extension())
                .and_then(|s| s.strip_suffix('.'))
                .map(|stem| (stem, f))
        })
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a format.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a format (csv, parquet)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}

impl Encoder for Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Csv => Csv.extension(),
            Format::Parquet => Parquet.extension(),
        }
    }

    fn encode<D: TableDef>(
        self,
        rows: &[&D::Row],
        variant: D::Variant,
        part: &mut Part,
    ) -> Result<(), EncodeError> {
        match self {
            Format::Csv => Csv.encode::<D>(rows, variant, part),
            Format::Parquet => Parquet.encode::<D>(rows, variant, part),
        }
    }

    fn open<D: TableDef>(
        self,
        out: &mut OutputSet,
        stems: &[&str],
        variant: D::Variant,
    ) -> Result<Box<dyn TableSink>, EncodeError> {
        match self {
            Format::Csv => Csv.open::<D>(out, stems, variant),
            Format::Parquet => Parquet.open::<D>(out, stems, variant),
        }
    }
}

/// How a run lays its tables out in the output folder (`--layout`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// One file per table beside the receipts: `customers.csv`.
    #[default]
    Flat,
    /// One folder per table holding its parts, one per shard:
    /// `customers/part-1-of-1.csv` (README, *Scale and sharding*).
    Tables,
}

impl Layout {
    /// Every layout, in the order `--help` lists them.
    pub const ALL: [Layout; 2] = [Layout::Flat, Layout::Tables];

    /// The spelling of the flag and of the receipts.
    pub const fn as_str(self) -> &'static str {
        match self {
            Layout::Flat => "flat",
            Layout::Tables => "tables",
        }
    }
}

impl std::fmt::Display for Layout {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a layout.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a layout (flat, tables)")]
pub struct UnknownLayout(pub String);

impl FromStr for Layout {
    type Err = UnknownLayout;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Layout::ALL
            .into_iter()
            .find(|l| l.as_str() == s)
            .ok_or_else(|| UnknownLayout(s.to_string()))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::tables::Manifest;

    #[test]
    fn formats_round_trip_their_names() {
        for f in Format::ALL {
            assert_eq!(f.as_str().parse::<Format>().unwrap(), f);
            assert_eq!(Format::stem(&f.file_name("lines")), Some(("lines", f)));
            assert_eq!(f.file_name("lines.csv"), f.file_name("lines"));
        }
        assert_eq!(Format::other_names("lines.csv"), ["lines.parquet"]);
        assert!(Format::other_names("report.html").is_empty());
        assert_eq!(Format::stem("customer_generation_receipt.json"), None);
        assert_eq!(
            "json".parse::<Format>().unwrap_err().to_string(),
            "\"json\" is not a format (csv, parquet)"
        );
    }

    #[test]
    fn layouts_round_trip_their_names() {
        for l in Layout::ALL {
            assert_eq!(l.as_str().parse::<Layout>().unwrap(), l);
        }
        assert_eq!(Layout::default(), Layout::Flat);
        assert_eq!(
            "nested".parse::<Layout>().unwrap_err().to_string(),
            "\"nested\" is not a layout (flat, tables)"
        );
    }

    #[test]
    fn a_csv_table_has_its_header_and_rows() {
        let dir = tempfile::tempdir().unwrap();
        let mut out = OutputSet::create(dir.path()).unwrap();
        let sink = Csv
            .open::<Manifest>(&mut out, &["anomaly_manifest"], ())
            .unwrap();
        let mut part = Part::default();
        Csv.encode::<Manifest>(&[], (), &mut part).unwrap();
        assert_eq!(part.rows, 0);
        sink.finish(&mut out).unwrap();
        out.commit().unwrap();
        let text = std::fs::read_to_string(dir.path().join("anomaly_manifest.csv")).unwrap();
        assert_eq!(
            text,
            "defect_id,defect_type,stage,customer_id,line_id,partner_line_id,field,\
             clean_value,injected_value\n"
        );
    }
}
