#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The table readers on Parquet input: the crate's own Parquet files read
//! back as the rows their CSV twins hold, with the same line numbers; the
//! column types other tools write are accepted; and bad files are refused
//! with one-line messages worded as the CSV reader words the same defect.

use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Date64Array, Decimal128Array, DictionaryArray,
    Float32Array, Float64Array, Int32Array, Int64Array, Int8Array, LargeStringArray, RecordBatch,
    StringArray, TimestampMicrosecondArray, TimestampSecondArray, UInt64Array, UInt8Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_io::parquet::ParquetTableWriter;
use novawireless_io::read::{
    agreement_row, customer_row, ledger_reader, line_row, open_step1, usage_row, RowParser,
    RowReader,
};
use novawireless_io::tables::{ledger, Agreements, Customers, Ledger, Lines, Usage};
use novawireless_io::{InputError, LedgerSchema, TableDef};
use novawireless_model::{Customer, EipAgreement, LedgerRow, Line, UsageSnapshot};
use novawireless_sampler::Baseline;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::properties::WriterProperties;
use proptest::prelude::*;
use std::fmt::Debug;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::Arc;

// ---------------------------------------------------------------------------
// Helpers.

/// A file of `fixtures/small`.
fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/small")
        .join(name)
}

/// How errors print `path`.
fn name(path: &Path) -> String {
    path.display().to_string()
}

/// The message of an error that must happen.
fn message<T>(result: Result<T, InputError>) -> String {
    match result {
        Ok(_) => panic!("expected an error, got a value"),
        Err(e) => e.to_string(),
    }
}

/// The step-1 tables the readers under test read.
#[derive(Debug, Clone, Copy)]
enum Columns {
    Customers,
    Lines,
    Agreements,
    Usage,
}

const CUSTOMER_COLUMNS: Columns = Columns::Customers;
const LINE_COLUMNS: Columns = Columns::Lines;
const AGREEMENT_COLUMNS: Columns = Columns::Agreements;
const USAGE_COLUMNS: Columns = Columns::Usage;

fn open<T>(path: &Path, columns: Columns, parse: RowParser<T>) -> Result<RowReader<T>, InputError> {
    match columns {
        Columns::Customers => RowReader::open::<Customers>(path, parse),
        Columns::Lines => RowReader::open::<Lines>(path, parse),
        Columns::Agreements => RowReader::open::<Agreements>(path, parse),
        Columns::Usage => RowReader::open::<Usage>(path, parse),
    }
}

fn customer_schema() -> SchemaRef {
    Customers::schema(())
}

fn line_schema() -> SchemaRef {
    Lines::schema(())
}

fn agreement_schema() -> SchemaRef {
    Agreements::schema(())
}

fn usage_schema() -> SchemaRef {
    Usage::schema(())
}

fn ledger_schema(schema: LedgerSchema) -> SchemaRef {
    Ledger::schema(schema)
}

fn customer_batch(rows: &[Customer]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    Customers::batch(&rows.iter().collect::<Vec<_>>(), ())
}

fn line_batch(rows: &[Line]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    Lines::batch(&rows.iter().collect::<Vec<_>>(), ())
}

fn agreement_batch(rows: &[EipAgreement]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    Agreements::batch(&rows.iter().collect::<Vec<_>>(), ())
}

fn usage_batch(rows: &[UsageSnapshot]) -> Result<RecordBatch, arrow_schema::ArrowError> {
    Usage::batch(&rows.iter().collect::<Vec<_>>(), ())
}

fn ledger_batch(
    rows: &[LedgerRow],
    schema: LedgerSchema,
) -> Result<RecordBatch, arrow_schema::ArrowError> {
    Ledger::batch(&rows.iter().collect::<Vec<_>>(), schema)
}

/// Every row of `reader` and its line number; the first error otherwise.
fn drain<T>(mut reader: RowReader<T>) -> Result<Vec<(T, u64)>, InputError> {
    let mut rows = Vec::new();
    while let Some(row) = reader.next_row()? {
        rows.push(row);
    }
    Ok(rows)
}

/// Every row of the table at `path`, which must read cleanly.
fn read_all<T>(path: &Path, columns: Columns, parse: RowParser<T>) -> Vec<(T, u64)> {
    open(path, columns, parse)
        .and_then(drain)
        .unwrap_or_else(|e| panic!("{e}"))
}

/// The first error reading the table at `path` (header or row).
fn first_error<T>(path: &Path, columns: Columns, parse: RowParser<T>) -> String {
    message(open(path, columns, parse).and_then(drain))
}

fn values<T: Clone>(rows: &[(T, u64)]) -> Vec<T> {
    rows.iter().map(|(v, _)| v.clone()).collect()
}

/// Writes `batch` with the crate's writer (the pipeline's files).
fn write_canonical(path: &Path, schema: SchemaRef, batch: &RecordBatch) {
    let mut writer = ParquetTableWriter::new(File::create(path).unwrap(), schema).unwrap();
    writer.write(batch).unwrap();
    assert_eq!(writer.finish().unwrap(), batch.num_rows() as u64);
}

/// Writes `batch` as another tool would: a plain `ArrowWriter`, optionally
/// with other properties (small row groups, say).
fn write_foreign(path: &Path, batch: &RecordBatch, properties: Option<WriterProperties>) {
    let mut writer =
        ArrowWriter::try_new(File::create(path).unwrap(), batch.schema(), properties).unwrap();
    writer.write(batch).unwrap();
    writer.close().unwrap();
    // The file holds the types written (so a reader sees them, not others).
    let stored = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .schema()
        .clone();
    let types = |s: &Schema| -> Vec<DataType> {
        s.fields().iter().map(|f| f.data_type().clone()).collect()
    };
    assert_eq!(types(&stored), types(&batch.schema()));
}

/// `batch` with column `column` replaced by `array` (a nullable field of
/// the array's type, under the same name and at the same position).
fn replace(batch: &RecordBatch, column: &str, array: ArrayRef) -> RecordBatch {
    let schema = batch.schema();
    let index = schema.index_of(column).unwrap();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields[index] = Field::new(column, array.data_type().clone(), true);
    let mut columns = batch.columns().to_vec();
    columns[index] = array;
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

/// `batch` without column `column`.
fn without(batch: &RecordBatch, column: &str) -> RecordBatch {
    let index = batch.schema().index_of(column).unwrap();
    let keep: Vec<usize> = (0..batch.num_columns()).filter(|&i| i != index).collect();
    batch.project(&keep).unwrap()
}

/// `batch` with `array` appended as column `column`.
fn with_extra(batch: &RecordBatch, column: &str, array: ArrayRef) -> RecordBatch {
    let schema = batch.schema();
    let mut fields: Vec<Field> = schema.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.push(Field::new(column, array.data_type().clone(), true));
    let mut columns = batch.columns().to_vec();
    columns.push(array);
    RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
}

/// `batch` with its columns in reverse order.
fn reversed(batch: &RecordBatch) -> RecordBatch {
    let order: Vec<usize> = (0..batch.num_columns()).rev().collect();
    batch.project(&order).unwrap()
}

/// Days from 1970-01-01 to `YYYY-MM-DD` (proleptic Gregorian), computed
/// here independently of the crate.
fn days(date: &str) -> i32 {
    let y: i32 = date[0..4].parse().unwrap();
    let m: i32 = date[5..7].parse().unwrap();
    let d: i32 = date[8..10].parse().unwrap();
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

// ---------------------------------------------------------------------------
// A table as the text of its CSV file, written both as CSV and as Parquet.

/// The cells of a CSV file, to be altered and written as twin CSV and
/// Parquet files.
#[derive(Clone)]
struct TextTable {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl TextTable {
    fn load(path: &Path) -> TextTable {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        TextTable { header, rows }
    }

    /// Sets the cell of data row `row` (0-based) in `column`.
    fn set(&mut self, row: usize, column: &str, value: &str) {
        let index = self.header.iter().position(|h| h == column).unwrap();
        self.rows[row][index] = value.to_string();
    }

    fn write_csv(&self, path: &Path) {
        let mut writer = csv::Writer::from_path(path).unwrap();
        writer.write_record(&self.header).unwrap();
        for row in &self.rows {
            writer.write_record(row).unwrap();
        }
        writer.flush().unwrap();
    }

    /// The cells as a batch whose columns have the types of `schema` (the
    /// crate's schema of the table), every column nullable and null where
    /// the cell is empty.
    fn batch(&self, schema: &SchemaRef) -> RecordBatch {
        let mut fields = Vec::new();
        let mut columns: Vec<ArrayRef> = Vec::new();
        for (i, column) in self.header.iter().enumerate() {
            let data_type = schema.field_with_name(column).unwrap().data_type().clone();
            let cells: Vec<Option<&str>> = self
                .rows
                .iter()
                .map(|r| Some(r[i].as_str()).filter(|s| !s.is_empty()))
                .collect();
            let array: ArrayRef = match data_type {
                DataType::Utf8 => Arc::new(StringArray::from(cells)),
                DataType::Int32 => Arc::new(Int32Array::from(
                    cells
                        .iter()
                        .map(|c| c.map(|s| s.parse::<i32>().unwrap()))
                        .collect::<Vec<_>>(),
                )),
                DataType::Float64 => Arc::new(Float64Array::from(
                    cells
                        .iter()
                        .map(|c| c.map(|s| s.parse::<f64>().unwrap()))
                        .collect::<Vec<_>>(),
                )),
                DataType::Date32 => Arc::new(Date32Array::from(
                    cells.iter().map(|c| c.map(days)).collect::<Vec<_>>(),
                )),
                DataType::Dictionary(..) => Arc::new(
                    cells
                        .iter()
                        .copied()
                        .collect::<arrow_array::DictionaryArray<Int32Type>>(),
                ),
                other => panic!("no column of type {other} in the crate's schemas"),
            };
            fields.push(Field::new(column, data_type, true));
            columns.push(array);
        }
        RecordBatch::try_new(Arc::new(Schema::new(fields)), columns).unwrap()
    }

    /// Writes the table as `{stem}.csv` and `{stem}.parquet` in `dir`.
    fn write_twins(&self, dir: &Path, stem: &str, schema: &SchemaRef) -> (PathBuf, PathBuf) {
        let csv = dir.join(format!("{stem}.csv"));
        let parquet = dir.join(format!("{stem}.parquet"));
        self.write_csv(&csv);
        write_foreign(&parquet, &self.batch(schema), None);
        (csv, parquet)
    }
}

// ---------------------------------------------------------------------------
// 1. The crate's own files read back as their CSV twins.

/// Reads the fixture `csv` with `parse`, writes its rows as Parquet with
/// `batch` and the crate's writer into `dir`, reads them back, and checks
/// that both readings agree (values and line numbers). Returns the rows.
fn round_trip<T: PartialEq + Debug + Clone>(
    dir: &Path,
    csv: &str,
    stem: &str,
    columns: Columns,
    parse: RowParser<T>,
    schema: SchemaRef,
    batch: impl Fn(&[T]) -> RecordBatch,
) -> Vec<(T, u64)> {
    let from_csv = read_all(&fixture(csv), columns, parse);
    let path = dir.join(format!("{stem}.parquet"));
    write_canonical(&path, schema, &batch(&values(&from_csv)));
    let from_parquet = read_all(&path, columns, parse);
    assert_eq!(from_parquet, from_csv, "{stem}");
    let lines: Vec<u64> = from_csv.iter().map(|(_, line)| *line).collect();
    let expected: Vec<u64> = (2..2 + from_csv.len() as u64).collect();
    assert_eq!(lines, expected, "{stem}: rows are lines 2, 3, …");
    from_csv
}

#[test]
fn step1_fixtures_round_trip_through_parquet() {
    let dir = tempfile::tempdir().unwrap();
    let customers = round_trip(
        dir.path(),
        "customers.csv",
        "customers",
        CUSTOMER_COLUMNS,
        customer_row,
        customer_schema(),
        |rows: &[Customer]| customer_batch(rows).unwrap(),
    );
    let lines = round_trip(
        dir.path(),
        "lines.csv",
        "lines",
        LINE_COLUMNS,
        line_row,
        line_schema(),
        |rows: &[Line]| line_batch(rows).unwrap(),
    );
    let agreements = round_trip(
        dir.path(),
        "eip_agreements.csv",
        "eip_agreements",
        AGREEMENT_COLUMNS,
        agreement_row,
        agreement_schema(),
        |rows: &[EipAgreement]| agreement_batch(rows).unwrap(),
    );
    let usage = round_trip(
        dir.path(),
        "line_device_usage.csv",
        "line_device_usage",
        USAGE_COLUMNS,
        usage_row,
        usage_schema(),
        |rows: &[UsageSnapshot]| usage_batch(rows).unwrap(),
    );
    assert_eq!(
        (customers.len(), lines.len(), agreements.len(), usage.len()),
        (7, 11, 8, 10)
    );
    // A few values, spelled as in the fixture.
    let c2 = &customers[1].0;
    assert_eq!(c2.customer_id.to_string(), "C0000002");
    assert_eq!(c2.monthly_charges, 60.0);
    assert_eq!(c2.churn_risk_score, 0.412345);
    assert!(c2.has_5g_home_internet && c2.is_churned);
    assert_eq!(c2.last_call_day_index, -1);
    assert_eq!(lines[4].0.current_imei.to_string(), "013263002500337");
    assert_eq!(usage[4].0.usage_eip_agreement_number, None);
    assert_eq!(usage[0].0.usage_snapshot_date.to_string(), "2026-02-22");
    assert_eq!(agreements[1].0.installment_months, 24);

    // The four tables through `open_step1`, from both directories.
    for file in ["lines", "eip_agreements", "line_device_usage", "customers"] {
        assert!(dir.path().join(format!("{file}.parquet")).is_file());
    }
    let mut csv = open_step1(&fixture(""), "csv").unwrap();
    let mut parquet = open_step1(dir.path(), "parquet").unwrap();
    assert!(parquet.customers.path().ends_with("customers.parquet"));
    assert!(parquet.usage.path().ends_with("line_device_usage.parquet"));
    fn same<T: PartialEq + Debug>(a: &mut RowReader<T>, b: &mut RowReader<T>) -> usize {
        let mut n = 0;
        loop {
            let (x, y) = (a.next_row().unwrap(), b.next_row().unwrap());
            assert_eq!(x, y);
            if x.is_none() {
                return n;
            }
            n += 1;
        }
    }
    assert_eq!(same(&mut csv.customers, &mut parquet.customers), 7);
    assert_eq!(same(&mut csv.lines, &mut parquet.lines), 11);
    assert_eq!(same(&mut csv.agreements, &mut parquet.agreements), 8);
    assert_eq!(same(&mut csv.usage, &mut parquet.usage), 10);
}

#[test]
fn expected_ledgers_round_trip_through_parquet() {
    let dir = tempfile::tempdir().unwrap();
    for (file, anomaly_type) in [
        ("expected/master_account_ledger.csv", false),
        ("expected/master_account_ledger__anomalies__swap.csv", true),
        (
            "expected/master_account_ledger__anomalies__missing.csv",
            true,
        ),
    ] {
        let reader = ledger_reader(&fixture(file)).unwrap();
        assert_eq!(
            reader.has(ledger::imei_anomaly_type),
            anomaly_type,
            "{file}"
        );
        assert!(!reader.has(ledger::billing_agreement_type), "{file}");
        let from_csv = drain(reader).unwrap();
        assert_eq!(from_csv.len(), 11, "{file}");
        let schema = LedgerSchema {
            anomaly_type,
            billing_agreement_type: false,
        };
        let path = dir.path().join("ledger.parquet");
        let rows: Vec<LedgerRow> = values(&from_csv);
        write_canonical(
            &path,
            ledger_schema(schema),
            &ledger_batch(&rows, schema).unwrap(),
        );
        let reader = ledger_reader(&path).unwrap();
        assert_eq!(
            reader.has(ledger::imei_anomaly_type),
            anomaly_type,
            "{file}"
        );
        let from_parquet = drain(reader).unwrap();
        assert_eq!(from_parquet, from_csv, "{file}");
        assert_eq!(from_parquet[0].1, 2);
        assert_eq!(from_parquet[10].1, 12);
        // LINE-11 has no usage row; LINE-5 no agreement.
        assert_eq!(from_parquet[10].0.usage, None);
        assert_eq!(from_parquet[4].0.agreement, None);
        let labels = from_parquet
            .iter()
            .filter(|(r, _)| r.imei_anomaly_type.is_some())
            .count();
        assert_eq!(labels > 0, anomaly_type, "{file}");
    }
}

// ---------------------------------------------------------------------------
// 2. Column types other tools write.

/// The fixture's rows as the crate writes them, and as they read back
/// from `batch` written by a plain `ArrowWriter`.
fn foreign_rows<T: Clone>(
    dir: &Path,
    stem: &str,
    batch: &RecordBatch,
    columns: Columns,
    parse: RowParser<T>,
) -> Vec<(T, u64)> {
    let path = dir.join(format!("{stem}.parquet"));
    write_foreign(&path, batch, None);
    read_all(&path, columns, parse)
}

fn fixture_rows<T>(csv: &str, columns: Columns, parse: RowParser<T>) -> Vec<(T, u64)> {
    read_all(&fixture(csv), columns, parse)
}

#[test]
fn customers_in_other_column_types_read_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_rows("customers.csv", CUSTOMER_COLUMNS, customer_row);
    let c: Vec<Customer> = values(&expected);
    let canonical = customer_batch(&c).unwrap();
    let mut batch = canonical.clone();
    for (column, array) in [
        (
            "tenure_months",
            Arc::new(Int64Array::from_iter_values(
                c.iter().map(|c| i64::from(c.tenure_months)),
            )) as ArrayRef,
        ),
        (
            "lines_on_account",
            Arc::new(UInt8Array::from_iter_values(
                c.iter().map(|c| u8::try_from(c.lines_on_account).unwrap()),
            )),
        ),
        (
            "last_call_day_index",
            Arc::new(Int8Array::from_iter_values(
                c.iter()
                    .map(|c| i8::try_from(c.last_call_day_index).unwrap()),
            )),
        ),
        (
            "has_5g_home_internet",
            Arc::new(BooleanArray::from_iter(
                c.iter().map(|c| Some(c.has_5g_home_internet)),
            )),
        ),
        (
            "is_churned",
            Arc::new(BooleanArray::from_iter(
                c.iter().map(|c| Some(c.is_churned)),
            )),
        ),
        (
            "customer_id",
            Arc::new(LargeStringArray::from_iter_values(
                c.iter().map(|c| c.customer_id.to_string()),
            )),
        ),
        (
            "payment_method",
            Arc::new(LargeStringArray::from_iter_values(
                c.iter().map(|c| c.payment_method.to_string()),
            )),
        ),
        (
            "monthly_charges",
            Arc::new(Float32Array::from_iter_values(
                c.iter().map(|c| c.monthly_charges as f32),
            )),
        ),
        (
            "churn_risk_score",
            Arc::new(Float32Array::from_iter_values(
                c.iter().map(|c| c.churn_risk_score as f32),
            )),
        ),
        (
            "patience",
            Arc::new(Float32Array::from_iter_values(
                c.iter().map(|c| c.patience as f32),
            )),
        ),
        (
            "repeat_contacts_30d",
            Arc::new(UInt64Array::from_iter_values(
                c.iter().map(|c| u64::from(c.repeat_contacts_30d)),
            )),
        ),
    ] {
        batch = replace(&batch, column, array);
    }
    let types: Vec<String> = [
        "tenure_months",
        "lines_on_account",
        "has_5g_home_internet",
        "customer_id",
        "monthly_charges",
    ]
    .iter()
    .map(|c| {
        batch
            .schema()
            .field_with_name(c)
            .unwrap()
            .data_type()
            .to_string()
    })
    .collect();
    assert_eq!(types, ["Int64", "UInt8", "Boolean", "LargeUtf8", "Float32"]);
    let got = foreign_rows(
        dir.path(),
        "customers",
        &batch,
        CUSTOMER_COLUMNS,
        customer_row,
    );
    assert_eq!(got, expected);
    // Money held as whole numbers in an integer column: 60 reads as 60.0.
    let whole_batch = replace(
        &canonical.slice(1, 1),
        "monthly_charges",
        Arc::new(Int64Array::from(vec![60_i64])),
    );
    let got = foreign_rows(
        dir.path(),
        "customers_whole",
        &whole_batch,
        CUSTOMER_COLUMNS,
        customer_row,
    );
    assert_eq!(got, vec![(c[1].clone(), 2)]);
    // A Float32 reads as the shortest decimal of the f32 (80.12346), not as
    // its f64 widening (80.12345886230469): a score needing more digits than
    // an f32 holds comes back rounded to what the f32 holds.
    let narrow_batch = replace(
        &canonical.slice(2, 1),
        "trust_baseline",
        Arc::new(Float32Array::from(vec![c[2].trust_baseline as f32])),
    );
    let got = foreign_rows(
        dir.path(),
        "customers_narrow",
        &narrow_batch,
        CUSTOMER_COLUMNS,
        customer_row,
    );
    assert_eq!(c[2].trust_baseline, 80.123456);
    assert_eq!(got[0].0.trust_baseline, 80.12346);
    // Columns in another order are found by name.
    let got = foreign_rows(
        dir.path(),
        "customers_reversed",
        &reversed(&batch),
        CUSTOMER_COLUMNS,
        customer_row,
    );
    assert_eq!(got, expected);
}

#[test]
fn lines_and_agreements_with_integer_numbers_read_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_rows("lines.csv", LINE_COLUMNS, line_row);
    let l: Vec<Line> = values(&expected);
    let mut batch = line_batch(&l).unwrap();
    batch = replace(
        &batch,
        "msisdn",
        Arc::new(Int64Array::from_iter_values(
            l.iter().map(|l| i64::try_from(l.msisdn.value()).unwrap()),
        )),
    );
    batch = replace(
        &batch,
        "company_owned_equipment_flag",
        Arc::new(BooleanArray::from_iter(
            l.iter().map(|l| Some(l.company_owned_equipment_flag)),
        )),
    );
    batch = replace(
        &batch,
        "status",
        Arc::new(LargeStringArray::from_iter_values(
            l.iter().map(|l| l.status.to_string()),
        )),
    );
    assert_eq!(
        foreign_rows(dir.path(), "lines", &batch, LINE_COLUMNS, line_row),
        expected
    );

    let expected = fixture_rows("eip_agreements.csv", AGREEMENT_COLUMNS, agreement_row);
    let a: Vec<EipAgreement> = values(&expected);
    let mut batch = agreement_batch(&a).unwrap();
    batch = replace(
        &batch,
        "msisdn",
        Arc::new(UInt64Array::from_iter_values(
            a.iter().map(|a| a.msisdn.value()),
        )),
    );
    batch = replace(
        &batch,
        "installment_months",
        Arc::new(UInt8Array::from_iter_values(
            a.iter()
                .map(|a| u8::try_from(a.installment_months).unwrap()),
        )),
    );
    assert_eq!(
        foreign_rows(
            dir.path(),
            "eip_agreements",
            &batch,
            AGREEMENT_COLUMNS,
            agreement_row
        ),
        expected
    );
}

#[test]
fn usage_dates_as_date64_or_text_read_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_rows("line_device_usage.csv", USAGE_COLUMNS, usage_row);
    let u: Vec<UsageSnapshot> = values(&expected);
    let canonical = usage_batch(&u).unwrap();
    let dates: Vec<String> = u
        .iter()
        .map(|u| u.usage_snapshot_date.to_string())
        .collect();
    assert_eq!(days("2026-02-22"), 20_506);
    let flags = Arc::new(BooleanArray::from_iter(
        u.iter().map(|u| Some(u.imei_line_mismatch_flag)),
    ));
    let msisdns = Arc::new(Int64Array::from_iter_values(
        u.iter().map(|u| i64::try_from(u.msisdn.value()).unwrap()),
    ));
    for (stem, date_column) in [
        (
            "date64",
            Arc::new(Date64Array::from_iter_values(
                dates.iter().map(|d| i64::from(days(d)) * 86_400_000),
            )) as ArrayRef,
        ),
        // Milliseconds inside the day still name that day.
        (
            "date64_noon",
            Arc::new(Date64Array::from_iter_values(
                dates
                    .iter()
                    .map(|d| i64::from(days(d)) * 86_400_000 + 43_200_000),
            )),
        ),
        (
            "utf8",
            Arc::new(StringArray::from_iter_values(dates.iter())),
        ),
        (
            "large_utf8",
            Arc::new(LargeStringArray::from_iter_values(dates.iter())),
        ),
        // A pandas datetime64: the day of the timestamp.
        (
            "timestamp_us",
            Arc::new(TimestampMicrosecondArray::from_iter_values(
                dates
                    .iter()
                    .map(|d| i64::from(days(d)) * 86_400_000_000 + 3_600_000_000),
            )),
        ),
        (
            "timestamp_s_utc",
            Arc::new(
                TimestampSecondArray::from_iter_values(
                    dates.iter().map(|d| i64::from(days(d)) * 86_400 + 86_399),
                )
                .with_timezone("UTC"),
            ),
        ),
    ] {
        let mut batch = replace(&canonical, "usage_snapshot_date", date_column);
        batch = replace(&batch, "imei_line_mismatch_flag", flags.clone());
        batch = replace(&batch, "msisdn", msisdns.clone());
        let got = foreign_rows(dir.path(), stem, &batch, USAGE_COLUMNS, usage_row);
        assert_eq!(got, expected, "{stem}");
    }
}

#[test]
fn money_as_sql_decimals_reads_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_rows("customers.csv", CUSTOMER_COLUMNS, customer_row);
    let c: Vec<Customer> = values(&expected);
    let cents = |v: f64| (v * 100.0).round() as i128;
    let mut batch = customer_batch(&c).unwrap();
    for (column, value) in [
        (
            "monthly_charges",
            c.iter()
                .map(|c| cents(c.monthly_charges))
                .collect::<Vec<_>>(),
        ),
        (
            "device_monthly_payment",
            c.iter().map(|c| cents(c.device_monthly_payment)).collect(),
        ),
    ] {
        let decimals = Decimal128Array::from_iter_values(value)
            .with_precision_and_scale(10, 2)
            .unwrap();
        batch = replace(&batch, column, Arc::new(decimals));
    }
    let got = foreign_rows(
        dir.path(),
        "decimal",
        &batch,
        CUSTOMER_COLUMNS,
        customer_row,
    );
    assert_eq!(got, expected);
}

#[test]
fn dictionary_encoded_text_reads_as_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_rows("lines.csv", LINE_COLUMNS, line_row);
    let l: Vec<Line> = values(&expected);
    let statuses: Vec<String> = l.iter().map(|l| l.status.to_string()).collect();
    let dictionary: DictionaryArray<Int32Type> = statuses.iter().map(String::as_str).collect();
    let batch = replace(&line_batch(&l).unwrap(), "status", Arc::new(dictionary));
    let path = dir.path().join("lines.parquet");
    write_foreign(&path, &batch, None);
    assert_eq!(
        open(&path, LINE_COLUMNS, line_row).and_then(drain),
        Ok(expected)
    );
}

// ---------------------------------------------------------------------------
// 3. Bad Parquet input.

#[test]
fn a_file_that_is_not_parquet_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("customers.parquet");
    fs::copy(fixture("customers.csv"), &path).unwrap();
    let e = first_error(&path, CUSTOMER_COLUMNS, customer_row);
    let prefix = format!("{}: not a readable Parquet file", name(&path));
    assert!(e.starts_with(&prefix), "{e}");
    assert!(!e.contains('\n'), "{e}");
    assert!(e.len() > prefix.len() + 2, "{e}: says why");
}

#[test]
fn an_empty_parquet_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lines.parquet");
    File::create(&path).unwrap();
    let e = first_error(&path, LINE_COLUMNS, line_row);
    assert!(
        e.starts_with(&format!("{}: not a readable Parquet file", name(&path))),
        "{e}"
    );
    assert!(!e.contains('\n'), "{e}");
    // The same through open_step1 and ledger_reader.
    File::create(dir.path().join("customers.parquet")).unwrap();
    let e = message(open_step1(dir.path(), "parquet"));
    let customers = dir.path().join("customers.parquet");
    assert!(
        e.starts_with(&format!(
            "{}: not a readable Parquet file",
            name(&customers)
        )),
        "{e}"
    );
    let e = message(ledger_reader(&path));
    assert!(
        e.starts_with(&format!("{}: not a readable Parquet file", name(&path))),
        "{e}"
    );
}

#[test]
fn a_missing_parquet_file_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("eip_agreements.parquet");
    let io = File::open(&path).unwrap_err();
    let e = first_error(&path, AGREEMENT_COLUMNS, agreement_row);
    assert_eq!(e, format!("{}: cannot read: {io}", name(&path)));
    // open_step1 names the first table missing.
    let e = message(open_step1(dir.path(), "parquet"));
    let customers = dir.path().join("customers.parquet");
    assert_eq!(e, format!("{}: cannot read: {io}", name(&customers)));
}

#[test]
fn a_column_of_the_wrong_type_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let c: Vec<Customer> = values(&fixture_rows(
        "customers.csv",
        CUSTOMER_COLUMNS,
        customer_row,
    ));
    let canonical = customer_batch(&c).unwrap();
    let texts = |f: fn(&Customer) -> String| -> ArrayRef {
        Arc::new(StringArray::from_iter_values(c.iter().map(f)))
    };
    let cases: Vec<(&str, ArrayRef, &str)> = vec![
        (
            "tenure_months",
            texts(|c| c.tenure_months.to_string()),
            "column \"tenure_months\" has type Utf8, which cannot hold whole numbers",
        ),
        (
            "customer_id",
            Arc::new(Float64Array::from_iter_values(c.iter().map(|_| 1.0))),
            "column \"customer_id\" has type Float64, which cannot hold text",
        ),
        (
            "monthly_charges",
            texts(|c| c.monthly_charges.to_string()),
            "column \"monthly_charges\" has type Utf8, which cannot hold numbers",
        ),
        (
            "is_churned",
            Arc::new(Float64Array::from_iter_values(c.iter().map(|_| 0.0))),
            "column \"is_churned\" has type Float64, which cannot hold whole numbers",
        ),
        (
            "OnlineSecurity",
            Arc::new(BooleanArray::from_iter(c.iter().map(|_| Some(true)))),
            "column \"OnlineSecurity\" has type Boolean, which cannot hold text",
        ),
    ];
    for (column, array, wanted) in cases {
        let path = dir.path().join(format!("customers_{column}.parquet"));
        write_foreign(&path, &replace(&canonical, column, array), None);
        let e = first_error(&path, CUSTOMER_COLUMNS, customer_row);
        assert_eq!(e, format!("{}: {wanted}", name(&path)));
    }

    // A date column of another type.
    let u: Vec<UsageSnapshot> = values(&fixture_rows(
        "line_device_usage.csv",
        USAGE_COLUMNS,
        usage_row,
    ));
    let batch = replace(
        &usage_batch(&u).unwrap(),
        "usage_snapshot_date",
        Arc::new(Int32Array::from_iter_values(u.iter().map(|_| 20_506))),
    );
    let path = dir.path().join("line_device_usage.parquet");
    write_foreign(&path, &batch, None);
    assert_eq!(
        first_error(&path, USAGE_COLUMNS, usage_row),
        format!(
            "{}: column \"usage_snapshot_date\" has type Int32, which cannot hold dates",
            name(&path)
        )
    );
}

#[test]
fn missing_and_unexpected_columns_are_refused_on_line_1() {
    let dir = tempfile::tempdir().unwrap();
    let l: Vec<Line> = values(&fixture_rows("lines.csv", LINE_COLUMNS, line_row));
    let canonical = line_batch(&l).unwrap();

    let path = dir.path().join("lines_missing.parquet");
    write_foreign(&path, &without(&canonical, "current_imei"), None);
    assert_eq!(
        first_error(&path, LINE_COLUMNS, line_row),
        format!("{}:1: missing column \"current_imei\"", name(&path))
    );

    let path = dir.path().join("lines_extra.parquet");
    let extra = Arc::new(Int32Array::from_iter_values(l.iter().map(|_| 7)));
    write_foreign(
        &path,
        &with_extra(&canonical, "favourite_colour", extra),
        None,
    );
    assert_eq!(
        first_error(&path, LINE_COLUMNS, line_row),
        format!("{}:1: unexpected column \"favourite_colour\"", name(&path))
    );

    let path = dir.path().join("lines_twice.parquet");
    let again = Arc::new(StringArray::from_iter_values(
        l.iter().map(|l| l.line_id.to_string()),
    ));
    write_foreign(&path, &with_extra(&canonical, "line_id", again), None);
    assert_eq!(
        first_error(&path, LINE_COLUMNS, line_row),
        format!(
            "{}:1: column \"line_id\" appears twice (field 9)",
            name(&path)
        )
    );

    // A ledger without one of its required columns.
    let rows: Vec<LedgerRow> = values(
        &drain(ledger_reader(&fixture("expected/master_account_ledger.csv")).unwrap()).unwrap(),
    );
    let path = dir.path().join("ledger_missing.parquet");
    let batch = ledger_batch(&rows, LedgerSchema::default()).unwrap();
    write_foreign(&path, &without(&batch, "patience"), None);
    assert_eq!(
        message(ledger_reader(&path)),
        format!("{}:1: missing column \"patience\"", name(&path))
    );
}

/// Writes `table` as twin CSV and Parquet files under `stem`, reads both,
/// and checks that both are refused with `expected` (after `{path}:`),
/// naming their own file: the same message apart from the file name.
fn twin_error(
    dir: &Path,
    stem: &str,
    table: &TextTable,
    schema: &SchemaRef,
    read: impl Fn(&Path) -> String,
    expected: &str,
) {
    let (csv, parquet) = table.write_twins(dir, stem, schema);
    let from_parquet = read(&parquet);
    let from_csv = read(&csv);
    assert_eq!(
        from_parquet,
        format!("{}:{expected}", name(&parquet)),
        "{stem}"
    );
    assert_eq!(from_csv, format!("{}:{expected}", name(&csv)), "{stem}");
}

#[test]
fn twin_files_without_defects_read_alike() {
    // The twin writer itself: unaltered, both files give the fixture's rows.
    let dir = tempfile::tempdir().unwrap();
    let table = TextTable::load(&fixture("line_device_usage.csv"));
    let (csv, parquet) = table.write_twins(dir.path(), "usage", &usage_schema());
    let expected = fixture_rows("line_device_usage.csv", USAGE_COLUMNS, usage_row);
    assert_eq!(read_all(&csv, USAGE_COLUMNS, usage_row), expected);
    assert_eq!(read_all(&parquet, USAGE_COLUMNS, usage_row), expected);
    let table = TextTable::load(&fixture(
        "expected/master_account_ledger__anomalies__swap.csv",
    ));
    let schema = ledger_schema(LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: false,
    });
    let (csv, parquet) = table.write_twins(dir.path(), "ledger", &schema);
    let a = drain(ledger_reader(&csv).unwrap()).unwrap();
    let b = drain(ledger_reader(&parquet).unwrap()).unwrap();
    assert_eq!(a.len(), 11);
    assert_eq!(a, b);
}

#[test]
fn nulls_in_required_columns_are_reported_as_empty_fields() {
    let dir = tempfile::tempdir().unwrap();
    let customers = TextTable::load(&fixture("customers.csv"));
    let read_customers = |p: &Path| first_error(p, CUSTOMER_COLUMNS, customer_row);

    // Data row 3 is line 5.
    let mut t = customers.clone();
    t.set(3, "customer_id", "");
    twin_error(
        dir.path(),
        "null_customer_id",
        &t,
        &customer_schema(),
        read_customers,
        "5: column customer_id: \"\" is not a valid customer id (expected C and at least 7 digits)",
    );
    let mut t = customers.clone();
    t.set(0, "tenure_months", "");
    twin_error(
        dir.path(),
        "null_tenure",
        &t,
        &customer_schema(),
        read_customers,
        "2: column tenure_months: \"\" is not a whole number",
    );
    let mut t = customers.clone();
    t.set(6, "patience", "");
    twin_error(
        dir.path(),
        "null_patience",
        &t,
        &customer_schema(),
        read_customers,
        "8: column patience: \"\" is not a number",
    );
    let mut t = customers.clone();
    t.set(2, "is_churned", "");
    twin_error(
        dir.path(),
        "null_churned",
        &t,
        &customer_schema(),
        read_customers,
        "4: column is_churned: \"\" is not 0 or 1",
    );

    let mut t = TextTable::load(&fixture("line_device_usage.csv"));
    t.set(9, "usage_snapshot_date", "");
    twin_error(
        dir.path(),
        "null_date",
        &t,
        &usage_schema(),
        |p| first_error(p, USAGE_COLUMNS, usage_row),
        "11: column usage_snapshot_date: \"\" is not a valid YYYY-MM-DD date",
    );

    let mut t = TextTable::load(&fixture("lines.csv"));
    t.set(1, "msisdn", "");
    twin_error(
        dir.path(),
        "null_msisdn",
        &t,
        &line_schema(),
        |p| first_error(p, LINE_COLUMNS, line_row),
        "3: column msisdn: \"\" is not a valid MSISDN (expected 10 digits NPA-NXX-XXXX with NPA and NXX in 200-998)",
    );
}

#[test]
fn a_bad_imei_is_reported_as_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = TextTable::load(&fixture("lines.csv"));
    t.set(4, "current_imei", "01326300250033");
    twin_error(
        dir.path(),
        "short_imei",
        &t,
        &line_schema(),
        |p| first_error(p, LINE_COLUMNS, line_row),
        "6: column current_imei: IMEI \"01326300250033\" is not 15 digits",
    );

    let mut t = TextTable::load(&fixture("line_device_usage.csv"));
    t.set(7, "usage_imei", "8615250345921250");
    twin_error(
        dir.path(),
        "long_usage_imei",
        &t,
        &usage_schema(),
        |p| first_error(p, USAGE_COLUMNS, usage_row),
        "9: column usage_imei: IMEI \"8615250345921250\" is not 15 digits",
    );

    let mut t = TextTable::load(&fixture("eip_agreements.csv"));
    t.set(0, "eip_imei", "353322110000017");
    twin_error(
        dir.path(),
        "luhn",
        &t,
        &agreement_schema(),
        |p| first_error(p, AGREEMENT_COLUMNS, agreement_row),
        "2: column eip_imei: IMEI \"353322110000017\" fails the Luhn check",
    );
}

#[test]
fn a_flag_of_2_is_reported_as_in_the_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = TextTable::load(&fixture("lines.csv"));
    t.set(10, "company_owned_equipment_flag", "2");
    twin_error(
        dir.path(),
        "flag_lines",
        &t,
        &line_schema(),
        |p| first_error(p, LINE_COLUMNS, line_row),
        "12: column company_owned_equipment_flag: \"2\" is not 0 or 1",
    );

    let mut t = TextTable::load(&fixture("line_device_usage.csv"));
    t.set(0, "imei_line_mismatch_flag", "2");
    twin_error(
        dir.path(),
        "flag_usage",
        &t,
        &usage_schema(),
        |p| first_error(p, USAGE_COLUMNS, usage_row),
        "2: column imei_line_mismatch_flag: \"2\" is not 0 or 1",
    );

    let mut t = TextTable::load(&fixture("customers.csv"));
    t.set(1, "has_5g_home_internet", "2");
    twin_error(
        dir.path(),
        "flag_customers",
        &t,
        &customer_schema(),
        |p| first_error(p, CUSTOMER_COLUMNS, customer_row),
        "3: column has_5g_home_internet: \"2\" is not 0 or 1",
    );

    let schema = ledger_schema(LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: false,
    });
    let read_ledger = |p: &Path| message(ledger_reader(p).and_then(drain));
    let mut t = TextTable::load(&fixture(
        "expected/master_account_ledger__anomalies__swap.csv",
    ));
    t.set(5, "eip_exists_flag", "2");
    twin_error(
        dir.path(),
        "flag_ledger",
        &t,
        &schema,
        read_ledger,
        "7: column eip_exists_flag: \"2\" is not 0 or 1",
    );
    // A negative number where a count belongs.
    let mut t = TextTable::load(&fixture(
        "expected/master_account_ledger__anomalies__swap.csv",
    ));
    t.set(2, "installment_months", "-30");
    twin_error(
        dir.path(),
        "negative_months",
        &t,
        &schema,
        read_ledger,
        "4: column installment_months: \"-30\" is not a whole number",
    );
}

#[test]
fn only_stage_3_types_label_a_ledger_row() {
    // imei_anomaly_type holds DefectType spellings, but only those step 3
    // injects: a stage-1 type or an unknown word is refused, naming the
    // file, the line and the column.
    let dir = tempfile::tempdir().unwrap();
    let schema = ledger_schema(LedgerSchema {
        anomaly_type: true,
        billing_agreement_type: false,
    });
    let read_ledger = |p: &Path| message(ledger_reader(p).and_then(drain));
    let swap = TextTable::load(&fixture(
        "expected/master_account_ledger__anomalies__swap.csv",
    ));
    for (stem, value) in [
        ("stage_1_label", "generation_usage_mismatch"),
        ("unknown_label", "imei_swap"),
    ] {
        let mut t = swap.clone();
        t.set(4, "imei_anomaly_type", value);
        twin_error(
            dir.path(),
            stem,
            &t,
            &schema,
            read_ledger,
            &format!("6: column imei_anomaly_type: unknown anomaly label \"{value}\""),
        );
    }
    let mut t = swap.clone();
    t.set(4, "imei_anomaly_type", "missing_usage_imei_ghost_line");
    let (csv, _) = t.write_twins(dir.path(), "stage_3_label", &schema);
    let rows = drain(ledger_reader(&csv).unwrap()).unwrap();
    assert_eq!(
        rows[4].0.imei_anomaly_type,
        Some(novawireless_model::DefectType::MissingUsageImeiGhostLine)
    );
}

#[test]
fn lines_are_counted_across_batches_and_row_groups() {
    // 20,000 usage rows in row groups of 3,000 (and the reader's batches of
    // 8,192): a defect on data row 12,345 is on line 12,347 in both files.
    let dir = tempfile::tempdir().unwrap();
    let fixture_table = TextTable::load(&fixture("line_device_usage.csv"));
    let mut t = TextTable {
        header: fixture_table.header.clone(),
        rows: (0..20_000)
            .map(|i| fixture_table.rows[i % fixture_table.rows.len()].clone())
            .collect(),
    };
    t.set(12_345, "imei_line_mismatch_flag", "7");
    let csv = dir.path().join("usage.csv");
    let parquet = dir.path().join("usage.parquet");
    t.write_csv(&csv);
    let properties = WriterProperties::builder()
        .set_max_row_group_row_count(Some(3_000))
        .build();
    write_foreign(&parquet, &t.batch(&usage_schema()), Some(properties));
    let groups = parquet::file::reader::FileReader::metadata(
        &parquet::file::reader::SerializedFileReader::new(File::open(&parquet).unwrap()).unwrap(),
    )
    .num_row_groups();
    assert_eq!(groups, 7);
    let wanted = "12347: column imei_line_mismatch_flag: \"7\" is not 0 or 1";
    assert_eq!(
        first_error(&parquet, USAGE_COLUMNS, usage_row),
        format!("{}:{wanted}", name(&parquet))
    );
    assert_eq!(
        first_error(&csv, USAGE_COLUMNS, usage_row),
        format!("{}:{wanted}", name(&csv))
    );
    // Without the defect, the last row is line 20,001 in both.
    t.set(12_345, "imei_line_mismatch_flag", "0");
    t.write_csv(&csv);
    let properties = WriterProperties::builder()
        .set_max_row_group_row_count(Some(3_000))
        .build();
    write_foreign(&parquet, &t.batch(&usage_schema()), Some(properties));
    let a = read_all(&csv, USAGE_COLUMNS, usage_row);
    let b = read_all(&parquet, USAGE_COLUMNS, usage_row);
    assert_eq!(a.len(), 20_000);
    assert_eq!(a.last().unwrap().1, 20_001);
    assert!(a == b);
}

// ---------------------------------------------------------------------------
// 4. Generated populations.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_tables_read_back_from_parquet(seed in any::<u64>(), customers in 1u64..=50) {
        let generator =
            AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), seed, customers).unwrap();
        let chunk = generator.generate_range(CustomerRange::new(0, customers));
        prop_assert_eq!(chunk.customers.len() as u64, customers);
        let dir = tempfile::tempdir().unwrap();
        let path = |stem: &str| dir.path().join(format!("{stem}.parquet"));
        write_canonical(&path("customers"), customer_schema(), &customer_batch(&chunk.customers).unwrap());
        write_canonical(&path("lines"), line_schema(), &line_batch(&chunk.lines).unwrap());
        write_canonical(&path("eip_agreements"), agreement_schema(), &agreement_batch(&chunk.agreements).unwrap());
        write_canonical(&path("line_device_usage"), usage_schema(), &usage_batch(&chunk.usage).unwrap());

        fn numbered<T: Clone>(rows: &[T]) -> Vec<(T, u64)> {
            rows.iter().cloned().zip(2..).collect()
        }
        let readers = open_step1(dir.path(), "parquet").unwrap();
        prop_assert_eq!(drain(readers.customers).unwrap(), numbered(&chunk.customers));
        prop_assert_eq!(drain(readers.lines).unwrap(), numbered(&chunk.lines));
        prop_assert_eq!(drain(readers.agreements).unwrap(), numbered(&chunk.agreements));
        prop_assert_eq!(drain(readers.usage).unwrap(), numbered(&chunk.usage));

        // And the ledger joined from them.
        let ledger = novawireless_ledger::join(
            &chunk.customers,
            &chunk.lines,
            &chunk.agreements,
            &chunk.usage,
        )
        .unwrap();
        let schema = LedgerSchema::default();
        write_canonical(&path("ledger"), ledger_schema(schema), &ledger_batch(&ledger, schema).unwrap());
        prop_assert_eq!(drain(ledger_reader(&path("ledger")).unwrap()).unwrap(), numbered(&ledger));
    }
}

/// Parquet as pandas and pyarrow write it by default (Snappy), and with
/// every other codec pyarrow offers (gzip, brotli, LZ4, Zstd, none), reads
/// back as the CSV.
#[test]
fn every_codec_pyarrow_writes_is_read() {
    use parquet::basic::{BrotliLevel, Compression, GzipLevel, ZstdLevel};
    let dir = tempfile::tempdir().unwrap();
    let expected = fixture_rows("customers.csv", CUSTOMER_COLUMNS, customer_row);
    let batch = customer_batch(&values(&expected)).unwrap();
    for codec in [
        Compression::UNCOMPRESSED,
        Compression::SNAPPY,
        Compression::GZIP(GzipLevel::default()),
        Compression::BROTLI(BrotliLevel::default()),
        Compression::LZ4,
        Compression::LZ4_RAW,
        Compression::ZSTD(ZstdLevel::default()),
    ] {
        let path = dir.path().join("customers.parquet");
        let properties = WriterProperties::builder().set_compression(codec).build();
        write_foreign(&path, &batch, Some(properties));
        let got = read_all(&path, CUSTOMER_COLUMNS, customer_row);
        assert!(
            values(&got) == values(&expected),
            "{codec:?} reads differently"
        );
    }
}

/// Money past what whole cents can write, and scores past one, are refused
/// alike in both formats (the Parquet file once kept `1e20` while the CSV
/// path turned it into `184467440737095516.15`).
#[test]
fn numbers_outside_their_range_are_refused_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let customers = TextTable::load(&fixture("customers.csv"));
    let read_customers = |p: &Path| first_error(p, CUSTOMER_COLUMNS, customer_row);
    for (column, value) in [
        ("monthly_charges", "2000000"),
        ("device_monthly_payment", "-1"),
        ("churn_risk_score", "1.5"),
    ] {
        let mut t = customers.clone();
        t.set(0, column, value);
        let range = match column {
            "churn_risk_score" => "[0, 1]",
            _ => "[0, 1000000]",
        };
        twin_error(
            dir.path(),
            column,
            &t,
            &customer_schema(),
            read_customers,
            &format!("2: column {column}: {value} is outside {range}"),
        );
    }
}

/// An infinity in a Parquet float column is named as such, as its CSV twin
/// names it (it was once reported as `"nan" is not a number`).
#[test]
fn an_infinity_is_named_alike_in_both_formats() {
    let dir = tempfile::tempdir().unwrap();
    let mut t = TextTable::load(&fixture("customers.csv"));
    t.set(0, "churn_risk_score", "inf");
    twin_error(
        dir.path(),
        "infinite_score",
        &t,
        &customer_schema(),
        |p: &Path| first_error(p, CUSTOMER_COLUMNS, customer_row),
        "2: column churn_risk_score: \"inf\" is not a number",
    );
}
