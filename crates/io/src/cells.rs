//! Parquet tables read as rows of text cells, each spelled as the table's
//! CSV twin spells it, so that one set of row parsers (with their checks and
//! messages) serves both formats.
//!
//! Rows are numbered as the CSV twin's lines are: the header is line 1, the
//! first row line 2.
//!
//! ```
//! use novawireless_io::cells::ParquetCells;
//! use novawireless_io::parquet::ParquetTableWriter;
//! use novawireless_io::schema::TableDef;
//! use novawireless_io::tables::Manifest;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("anomaly_manifest.parquet");
//! let file = std::fs::File::create(&path).unwrap();
//! let mut writer = ParquetTableWriter::new(file, Manifest::schema(())).unwrap();
//! writer.write(&Manifest::batch(&[], ()).unwrap()).unwrap();
//! writer.finish().unwrap();
//!
//! let mut cells = ParquetCells::open(&path, "anomaly_manifest.parquet").unwrap();
//! assert_eq!(cells.header()[0], "defect_id");
//! let mut record = csv::StringRecord::new();
//! assert_eq!(cells.next_record(&mut record).unwrap(), None);
//! ```

use crate::read::InputError;
use crate::schema::Kind;
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Date64Type, Decimal128Type, Float32Type, Float64Type, Int16Type, Int32Type,
    Int64Type, Int8Type, TimestampMicrosecondType, TimestampMillisecondType,
    TimestampNanosecondType, TimestampSecondType, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{Array, RecordBatch};
use arrow_schema::{ArrowError, DataType, Field, Schema, TimeUnit};
use arrow_select::take::take;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};
use std::fmt::Write as _;
use std::fs::File;
use std::path::Path;
use std::sync::Arc;

/// Rows decoded at a time.
const BATCH_ROWS: usize = 8192;

/// An open Parquet table, read a row at a time as text cells.
pub struct ParquetCells {
    path: String,
    reader: ParquetRecordBatchReader,
    header: Vec<String>,
    types: Vec<DataType>,
    batch: Option<RecordBatch>,
    /// The next row of `batch`.
    next: usize,
    /// Rows read so far.
    rows: u64,
    /// Scratch space for formatting a number.
    text: String,
}

impl ParquetCells {
    /// Opens the Parquet file at `path` (`name` is how errors print it).
    pub fn open(path: &Path, name: &str) -> Result<Self, InputError> {
        let file = File::open(path)
            .map_err(|e| InputError::file(name, format_args!("cannot read: {e}")))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| {
            InputError::file(name, format_args!("not a readable Parquet file: {e}"))
        })?;
        let schema = builder.schema().clone();
        if let Some(field) = schema.fields().iter().find(|f| !spelled(f.data_type())) {
            return Err(InputError::file(
                name,
                format_args!(
                    "column {:?} has type {}, which has no text form here \
                     (text, integers, booleans, floats, decimals, dates and timestamps do)",
                    field.name(),
                    field.data_type()
                ),
            ));
        }
        let reader = builder.with_batch_size(BATCH_ROWS).build().map_err(|e| {
            InputError::file(name, format_args!("not a readable Parquet file: {e}"))
        })?;
        Ok(ParquetCells {
            path: name.to_string(),
            reader,
            header: schema.fields().iter().map(|f| f.name().clone()).collect(),
            types: schema
                .fields()
                .iter()
                .map(|f| f.data_type().clone())
                .collect(),
            batch: None,
            next: 0,
            rows: 0,
            text: String::new(),
        })
    }

    /// The column names, in file order.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Checks that column `position` can hold values of `kind`: text from
    /// any string or integer type, whole numbers from any integer type or
    /// booleans, decimals from any float, decimal or integer type, dates
    /// from date, timestamp (the day of it, time zone ignored) or string
    /// types; dictionary columns by their value type.
    pub(crate) fn check_kind(&self, position: usize, kind: Kind) -> Result<(), InputError> {
        let declared = &self.types[position];
        // A dictionary column (pandas `category`) holds its value type.
        let found = match declared {
            DataType::Dictionary(_, values) => values.as_ref(),
            other => other,
        };
        let integer = found.is_integer();
        let string = matches!(
            found,
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
        );
        let (accepted, wanted) = match kind {
            Kind::Text | Kind::Category => (string || integer, "text"),
            Kind::Int | Kind::Flag | Kind::Tac => {
                (integer || *found == DataType::Boolean, "whole numbers")
            }
            Kind::Money | Kind::Score => (
                integer
                    || matches!(
                        found,
                        DataType::Float32 | DataType::Float64 | DataType::Decimal128(..)
                    ),
                "numbers",
            ),
            Kind::Date => (
                string
                    || matches!(
                        found,
                        DataType::Date32 | DataType::Date64 | DataType::Timestamp(..)
                    ),
                "dates",
            ),
        };
        if accepted {
            Ok(())
        } else {
            Err(InputError::file(
                &self.path,
                format_args!(
                    "column {:?} has type {declared}, which cannot hold {wanted}",
                    self.header[position]
                ),
            ))
        }
    }

    /// Reads the next row into `record`, a cell per column in file order;
    /// returns its line number (as in the CSV twin), or `None` at the end.
    pub fn next_record(
        &mut self,
        record: &mut csv::StringRecord,
    ) -> Result<Option<u64>, InputError> {
        while self
            .batch
            .as_ref()
            .is_none_or(|b| self.next >= b.num_rows())
        {
            match self.reader.next() {
                None => return Ok(None),
                Some(Ok(batch)) => {
                    self.batch = Some(decode_dictionaries(batch).map_err(|e| {
                        InputError::at(&self.path, self.rows + 2, format_args!("cannot read: {e}"))
                    })?);
                    self.next = 0;
                }
                Some(Err(e)) => {
                    return Err(InputError::at(
                        &self.path,
                        self.rows + 2,
                        format_args!("cannot read: {e}"),
                    ))
                }
            }
        }
        let Some(batch) = &self.batch else {
            return Ok(None);
        };
        record.clear();
        for column in batch.columns() {
            push_cell(record, column.as_ref(), self.next, &mut self.text);
        }
        self.next += 1;
        self.rows += 1;
        Ok(Some(self.rows + 1))
    }
}

/// The batch with every dictionary column replaced by its plain values.
fn decode_dictionaries(batch: RecordBatch) -> Result<RecordBatch, ArrowError> {
    if !batch
        .columns()
        .iter()
        .any(|c| matches!(c.data_type(), DataType::Dictionary(..)))
    {
        return Ok(batch);
    }
    let mut columns = Vec::with_capacity(batch.num_columns());
    let mut fields = Vec::with_capacity(batch.num_columns());
    for (column, field) in batch.columns().iter().zip(batch.schema().fields()) {
        match column.as_any_dictionary_opt() {
            Some(dictionary) => {
                let values = take(dictionary.values().as_ref(), dictionary.keys(), None)?;
                fields.push(Field::new(
                    field.name(),
                    values.data_type().clone(),
                    field.is_nullable(),
                ));
                columns.push(values);
            }
            None => {
                fields.push(field.as_ref().clone());
                columns.push(column.clone());
            }
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns)
}

/// Appends the text of `array[row]` to `record`: empty for null, digits for
/// integers, `0`/`1` for booleans, floats as the CSV writer spells them
/// (see [`write_float`]; a decimal as its nearest double), `YYYY-MM-DD` for
/// dates and the day of timestamps.
fn push_cell(record: &mut csv::StringRecord, array: &dyn Array, row: usize, text: &mut String) {
    if array.is_null(row) {
        record.push_field("");
        return;
    }
    text.clear();
    // Writing to a String cannot fail.
    let _ = match array.data_type() {
        DataType::Utf8 => {
            record.push_field(array.as_string::<i32>().value(row));
            return;
        }
        DataType::LargeUtf8 => {
            record.push_field(array.as_string::<i64>().value(row));
            return;
        }
        DataType::Utf8View => {
            record.push_field(array.as_string_view().value(row));
            return;
        }
        DataType::Boolean => {
            record.push_field(if array.as_boolean().value(row) {
                "1"
            } else {
                "0"
            });
            return;
        }
        DataType::Int8 => write!(text, "{}", array.as_primitive::<Int8Type>().value(row)),
        DataType::Int16 => write!(text, "{}", array.as_primitive::<Int16Type>().value(row)),
        DataType::Int32 => write!(text, "{}", array.as_primitive::<Int32Type>().value(row)),
        DataType::Int64 => write!(text, "{}", array.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => write!(text, "{}", array.as_primitive::<UInt8Type>().value(row)),
        DataType::UInt16 => write!(text, "{}", array.as_primitive::<UInt16Type>().value(row)),
        DataType::UInt32 => write!(text, "{}", array.as_primitive::<UInt32Type>().value(row)),
        DataType::UInt64 => write!(text, "{}", array.as_primitive::<UInt64Type>().value(row)),
        DataType::Float32 => write_float(text, array.as_primitive::<Float32Type>().value(row)),
        DataType::Float64 => write_float(text, array.as_primitive::<Float64Type>().value(row)),
        DataType::Date32 => {
            let days = array.as_primitive::<Date32Type>().value(row);
            write_date(text, i64::from(days))
        }
        DataType::Date64 => {
            let millis = array.as_primitive::<Date64Type>().value(row);
            write_date(text, millis.div_euclid(86_400_000))
        }
        DataType::Timestamp(unit, _) => {
            let per_day = match unit {
                TimeUnit::Second => 86_400,
                TimeUnit::Millisecond => 86_400_000,
                TimeUnit::Microsecond => 86_400_000_000,
                TimeUnit::Nanosecond => 86_400_000_000_000,
            };
            let value = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => {
                    array.as_primitive::<TimestampMillisecondType>().value(row)
                }
                TimeUnit::Microsecond => {
                    array.as_primitive::<TimestampMicrosecondType>().value(row)
                }
                TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().value(row),
            };
            write_date(text, value.div_euclid(per_day))
        }
        DataType::Decimal128(_, scale) => {
            let value = array.as_primitive::<Decimal128Type>().value(row);
            write_float(text, value as f64 / 10f64.powi(i32::from(*scale)))
        }
        // `open` lets no other type through.
        other => write!(text, "<{other}>"),
    };
    record.push_field(text);
}

/// Whether [`push_cell`] spells values of type `t`.
fn spelled(t: &DataType) -> bool {
    match t {
        DataType::Dictionary(_, values) => {
            !matches!(values.as_ref(), DataType::Dictionary(..)) && spelled(values)
        }
        t => {
            t.is_integer()
                || matches!(
                    t,
                    DataType::Utf8
                        | DataType::LargeUtf8
                        | DataType::Utf8View
                        | DataType::Boolean
                        | DataType::Float32
                        | DataType::Float64
                        | DataType::Decimal128(..)
                        | DataType::Date32
                        | DataType::Date64
                        | DataType::Timestamp(..)
                )
        }
    }
}

/// Writes a float as the CSV writer does (and pandas): the shortest decimal
/// that reads back as the same number, with `.0` on whole numbers, `0.0`
/// for either zero, `inf` and `-inf` for the infinities, `nan` for NaN.
fn write_float<F: std::fmt::Display + Into<f64> + Copy>(
    text: &mut String,
    value: F,
) -> std::fmt::Result {
    let wide: f64 = value.into();
    if wide.is_nan() {
        text.push_str("nan");
    } else if wide.is_infinite() {
        text.push_str(if wide > 0.0 { "inf" } else { "-inf" });
    } else if wide == 0.0 {
        text.push_str("0.0");
    } else {
        write!(text, "{value}")?;
        if !text.contains('.') {
            text.push_str(".0");
        }
    }
    Ok(())
}

/// Writes the date `days` after 1970-01-01 as `YYYY-MM-DD` (proleptic
/// Gregorian; a year outside 1–9999 comes out in a shape the date parser
/// refuses).
fn write_date(text: &mut String, days: i64) -> std::fmt::Result {
    let (year, month, day) = civil_from_days(days);
    write!(text, "{year:04}-{month:02}-{day:02}")
}

/// The (year, month, day) of the date `days` after 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::kinds::days_since_epoch;

    #[test]
    fn civil_from_days_inverts_days_since_epoch() {
        for date in [
            "1970-01-01",
            "1969-12-31",
            "2000-02-29",
            "2000-03-01",
            "2026-02-22",
            "0001-01-01",
            "9999-12-31",
            "1900-02-28",
        ] {
            let days = days_since_epoch(date.parse().unwrap());
            let mut text = String::new();
            write_date(&mut text, i64::from(days)).unwrap();
            assert_eq!(text, date);
        }
    }

    #[test]
    fn floats_are_spelled_as_the_csv_writer_spells_them() {
        let spell = |v: f64| {
            let mut text = String::new();
            write_float(&mut text, v).unwrap();
            text
        };
        assert_eq!(spell(45.0), "45.0");
        assert_eq!(spell(45.2), "45.2");
        assert_eq!(spell(0.000001), "0.000001");
        assert_eq!(spell(-0.5), "-0.5");
        assert_eq!(spell(-0.0), "0.0");
        assert_eq!(spell(f64::NAN), "nan");
        // An infinity is named as such, not as NaN (as pandas spells it).
        assert_eq!(spell(f64::INFINITY), "inf");
        assert_eq!(spell(f64::NEG_INFINITY), "-inf");
        assert_eq!(spell(1e21), "1000000000000000000000.0");
        let mut text = String::new();
        write_float(&mut text, 80.12346f32).unwrap();
        assert_eq!(text, "80.12346");
    }

    #[test]
    fn every_day_of_four_centuries_round_trips() {
        let start = days_since_epoch("1900-01-01".parse().unwrap());
        let mut text = String::new();
        for days in start..start + 146_097 {
            text.clear();
            write_date(&mut text, i64::from(days)).unwrap();
            let date = text.parse().unwrap();
            assert_eq!(days_since_epoch(date), days, "{text}");
        }
    }
}
