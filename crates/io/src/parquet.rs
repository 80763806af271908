//! Parquet encoders of every table (README, *Files* and *Parquet*, `--format parquet`).
//!
//! Each table has an Arrow schema whose column names and order are exactly
//! the CSV ones of [`crate::tables`], and a function that turns typed rows
//! into a [`RecordBatch`] of that schema. Values are those the CSV files
//! hold, typed:
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
//! [`CREATED_BY`]).
//!
//! ```
//! use novawireless_io::parquet::{manifest_batch, manifest_schema, ParquetTableWriter};
//!
//! let batch = manifest_batch(&[]).unwrap();
//! let mut file = Vec::new();
//! let mut writer = ParquetTableWriter::new(&mut file, manifest_schema()).unwrap();
//! writer.write(&batch).unwrap();
//! assert_eq!(writer.finish().unwrap(), 0);
//! assert!(file.starts_with(b"PAR1"));
//! ```

use crate::format::Field;
use crate::tables::{
    LedgerSchema, AGREEMENT_COLUMNS, CUSTOMER_COLUMNS, DEVICE_COLUMNS, EXAMPLE_COLUMNS,
    LEDGER_ANOMALY, LEDGER_BILLING, LEDGER_COLUMNS, LEDGER_REQUIRED, LINE_COLUMNS,
    MANIFEST_COLUMNS, USAGE_COLUMNS,
};
use arrow_array::types::{ArrowPrimitiveType, Date32Type, Float64Type, Int32Type};
use arrow_array::{ArrayRef, PrimitiveArray, StringArray};
use arrow_buffer::{Buffer, NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field as ArrowField, Schema};
use novawireless_model::{
    Customer, Defect, Device, EipAgreement, LedgerRow, Line, SnapshotDate, UsageSnapshot,
};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::{EnabledStatistics, WriterProperties, WriterVersion};
use parquet::schema::types::ColumnPath;
use std::io::Write;
use std::sync::Arc;

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

// ---------------------------------------------------------------------------
// Column kinds and schemas.

/// What a column holds, and so which Arrow types it is written as
/// (`Utf8`, `Int32`, `Float64`, `Date32`) and read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Int,
    Float,
    Date,
}

/// A column's kind and whether it is nullable.
type Col = (Kind, bool);

const TEXT: Col = (Kind::Text, false);
const TEXT_OR_NULL: Col = (Kind::Text, true);
const INT: Col = (Kind::Int, false);
const INT_OR_NULL: Col = (Kind::Int, true);
const FLOAT: Col = (Kind::Float, false);
const DATE: Col = (Kind::Date, false);
const DATE_OR_NULL: Col = (Kind::Date, true);

/// Kinds of [`CUSTOMER_COLUMNS`].
const CUSTOMER_KINDS: [Col; 25] = [
    TEXT,  // customer_id
    TEXT,  // account_id
    INT,   // tenure_months
    FLOAT, // monthly_charges
    TEXT,  // paperless_billing
    TEXT,  // payment_method
    TEXT,  // contract_proxy
    TEXT,  // internet_service
    INT,   // has_5g_home_internet
    INT,   // lines_on_account
    TEXT,  // device_payment_plan
    INT,   // device_term_months
    INT,   // device_months_remaining
    FLOAT, // device_monthly_payment
    TEXT,  // OnlineSecurity
    TEXT,  // OnlineBackup
    TEXT,  // DeviceProtection
    TEXT,  // StreamingTV
    TEXT,  // StreamingMovies
    FLOAT, // churn_risk_score
    FLOAT, // trust_baseline
    FLOAT, // patience
    INT,   // is_churned
    INT,   // repeat_contacts_30d
    INT,   // last_call_day_index
];

/// Kinds of [`LINE_COLUMNS`].
const LINE_KINDS: [Col; 8] = [TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, INT, TEXT];

/// Kinds of [`DEVICE_COLUMNS`]: make and model are empty outside the catalogue.
const DEVICE_KINDS: [Col; 6] = [TEXT, TEXT, TEXT, INT, TEXT_OR_NULL, TEXT_OR_NULL];

/// Kinds of [`AGREEMENT_COLUMNS`].
const AGREEMENT_KINDS: [Col; 9] = [TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, INT];

/// Kinds of [`USAGE_COLUMNS`].
const USAGE_KINDS: [Col; 9] = [
    TEXT,         // customer_id
    TEXT,         // account_id
    TEXT,         // line_id
    TEXT,         // msisdn
    TEXT,         // product_type
    TEXT_OR_NULL, // usage_imei
    DATE,         // usage_snapshot_date
    INT,          // imei_line_mismatch_flag
    TEXT_OR_NULL, // usage_eip_agreement_number
];

/// Kinds of the first 16 ledger columns (line, agreement keys, flags).
const LEDGER_HEAD_KINDS: [Col; 16] = [
    TEXT,         // customer_id
    TEXT,         // account_id
    TEXT,         // line_id
    TEXT,         // msisdn
    TEXT,         // product_type
    TEXT,         // status
    TEXT_OR_NULL, // agreement_number
    TEXT_OR_NULL, // eip_imei
    TEXT_OR_NULL, // usage_imei
    INT,          // eip_exists_flag
    INT,          // imei_mismatch_flag
    INT,          // missing_usage_imei_flag
    INT,          // eip_mismatch_flag
    INT,          // upstream_friction_risk_flag
    INT,          // company_owned_equipment_flag
    TEXT,         // current_imei
];

/// Kinds of the ledger columns after the customer's (agreement and usage
/// details, then the two optional columns).
const LEDGER_TAIL_KINDS: [Col; 9] = [
    TEXT_OR_NULL, // product_type_eip
    TEXT_OR_NULL, // eip_status
    INT_OR_NULL,  // installment_months
    TEXT_OR_NULL, // product_type_usage
    DATE_OR_NULL, // usage_snapshot_date
    INT_OR_NULL,  // imei_line_mismatch_flag
    TEXT_OR_NULL, // usage_eip_agreement_number
    TEXT_OR_NULL, // billing_agreement_type
    TEXT_OR_NULL, // imei_anomaly_type
];

/// Kinds of [`EXAMPLE_COLUMNS`].
const EXAMPLE_KINDS: [Col; 11] = [
    TEXT,         // customer_id
    TEXT,         // line_id
    TEXT,         // product_type
    TEXT_OR_NULL, // agreement_number
    TEXT_OR_NULL, // eip_imei
    TEXT_OR_NULL, // usage_imei
    INT,          // imei_mismatch_flag
    INT,          // missing_usage_imei_flag
    INT,          // eip_mismatch_flag
    INT,          // upstream_friction_risk_flag
    TEXT_OR_NULL, // imei_anomaly_type
];

/// Kinds of [`MANIFEST_COLUMNS`].
const MANIFEST_KINDS: [Col; 9] = [
    TEXT,         // defect_id
    TEXT,         // defect_type
    INT,          // stage
    TEXT,         // customer_id
    TEXT,         // line_id
    TEXT_OR_NULL, // partner_line_id
    TEXT,         // column
    TEXT_OR_NULL, // clean_value
    TEXT_OR_NULL, // injected_value
];

fn field(name: &str, (kind, nullable): Col) -> ArrowField {
    let data_type = match kind {
        Kind::Text => DataType::Utf8,
        Kind::Int => DataType::Int32,
        Kind::Float => DataType::Float64,
        Kind::Date => DataType::Date32,
    };
    ArrowField::new(name, data_type, nullable)
}

fn schema(columns: &[&str], kinds: &[Col]) -> SchemaRef {
    debug_assert_eq!(columns.len(), kinds.len());
    Arc::new(Schema::new(
        columns
            .iter()
            .zip(kinds)
            .map(|(name, &kind)| field(name, kind))
            .collect::<Vec<_>>(),
    ))
}

/// The kind of every column of [`LEDGER_COLUMNS`].
fn ledger_kinds() -> Vec<Col> {
    let mut kinds = LEDGER_HEAD_KINDS.to_vec();
    kinds.extend_from_slice(&CUSTOMER_KINDS[2..]);
    kinds.extend_from_slice(&LEDGER_TAIL_KINDS);
    kinds
}

/// The kind of each column of a table the readers know (`columns` is one
/// of the column lists of [`crate::tables`]); `None` for another list.
pub(crate) fn column_kinds(columns: &[&str]) -> Option<Vec<Kind>> {
    let kinds: Vec<Col> = if columns == CUSTOMER_COLUMNS {
        CUSTOMER_KINDS.to_vec()
    } else if columns == LINE_COLUMNS {
        LINE_KINDS.to_vec()
    } else if columns == DEVICE_COLUMNS {
        DEVICE_KINDS.to_vec()
    } else if columns == AGREEMENT_COLUMNS {
        AGREEMENT_KINDS.to_vec()
    } else if columns == USAGE_COLUMNS {
        USAGE_KINDS.to_vec()
    } else if columns == LEDGER_COLUMNS {
        ledger_kinds()
    } else if columns == EXAMPLE_COLUMNS {
        EXAMPLE_KINDS.to_vec()
    } else if columns == MANIFEST_COLUMNS {
        MANIFEST_KINDS.to_vec()
    } else {
        return None;
    };
    Some(kinds.into_iter().map(|(kind, _)| kind).collect())
}

/// Schema of `customers` (columns of [`CUSTOMER_COLUMNS`]).
pub fn customer_schema() -> SchemaRef {
    schema(CUSTOMER_COLUMNS, &CUSTOMER_KINDS)
}

/// Schema of `lines` (columns of [`LINE_COLUMNS`]).
pub fn line_schema() -> SchemaRef {
    schema(LINE_COLUMNS, &LINE_KINDS)
}

/// Schema of `devices` (columns of [`DEVICE_COLUMNS`]); `tac` is an `Int32`
/// (catalogue TACs have 8 digits and no leading zero; print it `{:08}`).
pub fn device_schema() -> SchemaRef {
    schema(DEVICE_COLUMNS, &DEVICE_KINDS)
}

/// Schema of `eip_agreements` (columns of [`AGREEMENT_COLUMNS`]).
pub fn agreement_schema() -> SchemaRef {
    schema(AGREEMENT_COLUMNS, &AGREEMENT_KINDS)
}

/// Schema of `line_device_usage` (columns of [`USAGE_COLUMNS`]).
pub fn usage_schema() -> SchemaRef {
    schema(USAGE_COLUMNS, &USAGE_KINDS)
}

/// Schema of a ledger with the columns of `ledger` ([`LedgerSchema::columns`]).
pub fn ledger_schema(ledger: LedgerSchema) -> SchemaRef {
    let kinds = ledger_kinds();
    let mut fields = Vec::with_capacity(LEDGER_COLUMNS.len());
    for (i, &name) in LEDGER_COLUMNS[..LEDGER_REQUIRED].iter().enumerate() {
        fields.push(
            if name == "contract_proxy" && ledger.billing_agreement_type {
                field(LEDGER_COLUMNS[LEDGER_BILLING], kinds[LEDGER_BILLING])
            } else {
                field(name, kinds[i])
            },
        );
    }
    if ledger.anomaly_type {
        fields.push(field(LEDGER_COLUMNS[LEDGER_ANOMALY], kinds[LEDGER_ANOMALY]));
    }
    Arc::new(Schema::new(fields))
}

/// Schema of `imei_anomaly_examples` (columns of [`EXAMPLE_COLUMNS`]).
pub fn example_schema() -> SchemaRef {
    schema(EXAMPLE_COLUMNS, &EXAMPLE_KINDS)
}

/// Schema of `anomaly_manifest` (columns of [`MANIFEST_COLUMNS`]).
pub fn manifest_schema() -> SchemaRef {
    schema(MANIFEST_COLUMNS, &MANIFEST_KINDS)
}

// ---------------------------------------------------------------------------
// Column builders.

/// A `Utf8` column: values are formatted straight into one byte buffer.
struct Text {
    offsets: Vec<i32>,
    values: Vec<u8>,
    nulls: NullBufferBuilder,
}

impl Text {
    fn new(rows: usize, bytes_per_row: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        Text {
            offsets,
            values: Vec::with_capacity(rows * bytes_per_row),
            nulls: NullBufferBuilder::new(rows),
        }
    }

    /// Ends the current value. Offsets are cast without a check here; the
    /// total is checked once in `finish`, and offsets only grow.
    fn end(&mut self) {
        self.offsets.push(self.values.len() as i32);
        self.nulls.append_non_null();
    }

    fn put(&mut self, value: impl Field) {
        value.put(&mut self.values);
        self.end();
    }

    fn str(&mut self, value: &str) {
        self.values.extend_from_slice(value.as_bytes());
        self.end();
    }

    fn null(&mut self) {
        self.offsets.push(self.values.len() as i32);
        self.nulls.append_null();
    }

    fn optional(&mut self, value: Option<impl Field>) {
        match value {
            Some(v) => self.put(v),
            None => self.null(),
        }
    }

    fn optional_str(&mut self, value: Option<&str>) {
        match value {
            Some(v) => self.str(v),
            None => self.null(),
        }
    }

    fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        if i32::try_from(self.values.len()).is_err() {
            return Err(ArrowError::InvalidArgumentError(format!(
                "{} bytes of text in one column of one batch: write smaller batches",
                self.values.len()
            )));
        }
        let array = StringArray::try_new(
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            Buffer::from_vec(self.values),
            self.nulls.finish(),
        )?;
        Ok(Arc::new(array))
    }
}

/// A primitive column.
struct Prim<T: ArrowPrimitiveType> {
    values: Vec<T::Native>,
    nulls: NullBufferBuilder,
}

impl<T: ArrowPrimitiveType> Prim<T> {
    fn new(rows: usize) -> Self {
        Prim {
            values: Vec::with_capacity(rows),
            nulls: NullBufferBuilder::new(rows),
        }
    }

    fn push(&mut self, value: T::Native) {
        self.values.push(value);
        self.nulls.append_non_null();
    }

    fn null(&mut self) {
        self.values.push(T::Native::default());
        self.nulls.append_null();
    }

    fn finish(mut self) -> ArrayRef {
        Arc::new(PrimitiveArray::<T>::new(
            ScalarBuffer::from(self.values),
            self.nulls.finish(),
        ))
    }
}

/// An `Int32` column. Values too large for it (none the generator makes)
/// are refused when the column is finished.
struct Ints {
    column: Prim<Int32Type>,
    overflow: Option<i64>,
}

impl Ints {
    fn new(rows: usize) -> Self {
        Ints {
            column: Prim::new(rows),
            overflow: None,
        }
    }

    fn push(&mut self, value: impl Into<i64>) {
        let value = value.into();
        match i32::try_from(value) {
            Ok(v) => self.column.push(v),
            Err(_) => {
                self.overflow.get_or_insert(value);
                self.column.null();
            }
        }
    }

    fn flag(&mut self, value: bool) {
        self.column.push(i32::from(value));
    }

    fn optional(&mut self, value: Option<impl Into<i64>>) {
        match value {
            Some(v) => self.push(v),
            None => self.column.null(),
        }
    }

    fn finish(self) -> Result<ArrayRef, ArrowError> {
        match self.overflow {
            Some(v) => Err(ArrowError::InvalidArgumentError(format!(
                "{v} does not fit an Int32 column"
            ))),
            None => Ok(self.column.finish()),
        }
    }
}

/// A `Float64` column rounded to `decimals` places, as the CSV prints it:
/// `round(v × 10^d) / 10^d` is the double nearest the printed decimal, so
/// it equals the parsed CSV field.
struct Decimals {
    column: Prim<Float64Type>,
    scale: f64,
}

impl Decimals {
    fn money(rows: usize) -> Self {
        Decimals {
            column: Prim::new(rows),
            scale: 100.0,
        }
    }

    fn score(rows: usize) -> Self {
        Decimals {
            column: Prim::new(rows),
            scale: 1_000_000.0,
        }
    }

    fn push(&mut self, value: f64) {
        let rounded = (value * self.scale).round() / self.scale;
        // -0.0 prints as 0.0 in the CSV.
        self.column.push(if rounded == 0.0 { 0.0 } else { rounded });
    }

    fn finish(self) -> ArrayRef {
        self.column.finish()
    }
}

/// Days from 1970-01-01 to `date` (proleptic Gregorian).
pub(crate) fn days_since_epoch(date: SnapshotDate) -> i32 {
    let (y, m, d) = (
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A `Date32` column.
struct Dates(Prim<Date32Type>);

impl Dates {
    fn new(rows: usize) -> Self {
        Dates(Prim::new(rows))
    }

    fn optional(&mut self, value: Option<SnapshotDate>) {
        match value {
            Some(d) => self.0.push(days_since_epoch(d)),
            None => self.0.null(),
        }
    }

    fn finish(self) -> ArrayRef {
        self.0.finish()
    }
}

/// The customer columns after the two ids, with the contract column (which
/// the ledger may replace) filled by the caller.
struct CustomerTail {
    tenure_months: Ints,
    monthly_charges: Decimals,
    paperless_billing: Text,
    payment_method: Text,
    contract: Text,
    internet_service: Text,
    has_5g_home_internet: Ints,
    lines_on_account: Ints,
    device_payment_plan: Text,
    device_term_months: Ints,
    device_months_remaining: Ints,
    device_monthly_payment: Decimals,
    addons: [Text; 5],
    churn_risk_score: Decimals,
    trust_baseline: Decimals,
    patience: Decimals,
    is_churned: Ints,
    repeat_contacts_30d: Ints,
    last_call_day_index: Ints,
}

impl CustomerTail {
    fn new(rows: usize) -> Self {
        CustomerTail {
            tenure_months: Ints::new(rows),
            monthly_charges: Decimals::money(rows),
            paperless_billing: Text::new(rows, 3),
            payment_method: Text::new(rows, 24),
            contract: Text::new(rows, 14),
            internet_service: Text::new(rows, 16),
            has_5g_home_internet: Ints::new(rows),
            lines_on_account: Ints::new(rows),
            device_payment_plan: Text::new(rows, 3),
            device_term_months: Ints::new(rows),
            device_months_remaining: Ints::new(rows),
            device_monthly_payment: Decimals::money(rows),
            addons: std::array::from_fn(|_| Text::new(rows, 3)),
            churn_risk_score: Decimals::score(rows),
            trust_baseline: Decimals::score(rows),
            patience: Decimals::score(rows),
            is_churned: Ints::new(rows),
            repeat_contacts_30d: Ints::new(rows),
            last_call_day_index: Ints::new(rows),
        }
    }

    /// Every column but the contract.
    fn push(&mut self, c: &Customer) {
        self.tenure_months.push(c.tenure_months);
        self.monthly_charges.push(c.monthly_charges);
        self.paperless_billing.put(c.paperless_billing);
        self.payment_method.put(c.payment_method);
        self.internet_service.str(c.internet_service());
        self.has_5g_home_internet.flag(c.has_5g_home_internet);
        self.lines_on_account.push(c.lines_on_account);
        self.device_payment_plan.put(c.device_payment_plan);
        self.device_term_months.push(c.device_term_months);
        self.device_months_remaining.push(c.device_months_remaining);
        self.device_monthly_payment.push(c.device_monthly_payment);
        let addons = [
            c.online_security,
            c.online_backup,
            c.device_protection,
            c.streaming_tv,
            c.streaming_movies,
        ];
        for (column, value) in self.addons.iter_mut().zip(addons) {
            column.put(value);
        }
        self.churn_risk_score.push(c.churn_risk_score);
        self.trust_baseline.push(c.trust_baseline);
        self.patience.push(c.patience);
        self.is_churned.flag(c.is_churned);
        self.repeat_contacts_30d.push(c.repeat_contacts_30d);
        self.last_call_day_index.push(c.last_call_day_index);
    }

    fn finish(self, out: &mut Vec<ArrayRef>) -> Result<(), ArrowError> {
        out.push(self.tenure_months.finish()?);
        out.push(self.monthly_charges.finish());
        out.push(self.paperless_billing.finish()?);
        out.push(self.payment_method.finish()?);
        out.push(self.contract.finish()?);
        out.push(self.internet_service.finish()?);
        out.push(self.has_5g_home_internet.finish()?);
        out.push(self.lines_on_account.finish()?);
        out.push(self.device_payment_plan.finish()?);
        out.push(self.device_term_months.finish()?);
        out.push(self.device_months_remaining.finish()?);
        out.push(self.device_monthly_payment.finish());
        for addon in self.addons {
            out.push(addon.finish()?);
        }
        out.push(self.churn_risk_score.finish());
        out.push(self.trust_baseline.finish());
        out.push(self.patience.finish());
        out.push(self.is_churned.finish()?);
        out.push(self.repeat_contacts_30d.finish()?);
        out.push(self.last_call_day_index.finish()?);
        Ok(())
    }
}

fn texts<const N: usize>(rows: usize, bytes_per_row: usize) -> [Text; N] {
    std::array::from_fn(|_| Text::new(rows, bytes_per_row))
}

fn rows_hint<I: Iterator>(rows: &I) -> usize {
    rows.size_hint().0
}

// ---------------------------------------------------------------------------
// Batches.

/// The `customers` rows as a batch of [`customer_schema`].
pub fn customer_batch<'a>(
    rows: impl IntoIterator<Item = &'a Customer>,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut customer_id, mut account_id] = texts(n, 8);
    let mut tail = CustomerTail::new(n);
    for c in rows {
        customer_id.put(c.customer_id);
        account_id.put(c.account_id);
        tail.contract.put(c.contract_proxy);
        tail.push(c);
    }
    let mut columns = vec![customer_id.finish()?, account_id.finish()?];
    tail.finish(&mut columns)?;
    RecordBatch::try_new(customer_schema(), columns)
}

/// The `lines` rows as a batch of [`line_schema`].
pub fn line_batch<'a>(rows: impl IntoIterator<Item = &'a Line>) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut line_id, mut customer_id, mut account_id, mut msisdn, mut product_type, mut status, mut current_imei] =
        texts(n, 15);
    let mut company_owned = Ints::new(n);
    for l in rows {
        line_id.put(l.line_id);
        customer_id.put(l.customer_id);
        account_id.put(l.account_id);
        msisdn.put(l.msisdn);
        product_type.put(l.product_type);
        status.put(l.status);
        company_owned.flag(l.company_owned_equipment_flag);
        current_imei.put(l.current_imei);
    }
    let columns = vec![
        line_id.finish()?,
        customer_id.finish()?,
        account_id.finish()?,
        msisdn.finish()?,
        product_type.finish()?,
        status.finish()?,
        company_owned.finish()?,
        current_imei.finish()?,
    ];
    RecordBatch::try_new(line_schema(), columns)
}

/// The `devices` rows as a batch of [`device_schema`]: `tac` from the IMEI,
/// `make` and `model` from the catalogue (null outside it).
pub fn device_batch<'a>(
    rows: impl IntoIterator<Item = &'a Device>,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut device_id, mut imei, mut category, mut make, mut model] = texts(n, 15);
    let mut tac = Ints::new(n);
    for d in rows {
        device_id.put(d.device_id);
        imei.put(d.imei);
        category.put(d.device_category);
        tac.push(d.imei.tac());
        let m = d.imei.device_model();
        make.optional_str(m.map(|m| m.make));
        model.optional_str(m.map(|m| m.model));
    }
    let columns = vec![
        device_id.finish()?,
        imei.finish()?,
        category.finish()?,
        tac.finish()?,
        make.finish()?,
        model.finish()?,
    ];
    RecordBatch::try_new(device_schema(), columns)
}

/// The `eip_agreements` rows as a batch of [`agreement_schema`].
pub fn agreement_batch<'a>(
    rows: impl IntoIterator<Item = &'a EipAgreement>,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut number, mut customer_id, mut account_id, mut line_id, mut msisdn, mut eip_imei, mut product_type, mut status] =
        texts(n, 15);
    let mut months = Ints::new(n);
    for a in rows {
        number.put(a.agreement_number);
        customer_id.put(a.customer_id);
        account_id.put(a.account_id);
        line_id.put(a.line_id);
        msisdn.put(a.msisdn);
        eip_imei.put(a.eip_imei);
        product_type.put(a.product_type);
        status.put(a.eip_status);
        months.push(a.installment_months);
    }
    let columns = vec![
        number.finish()?,
        customer_id.finish()?,
        account_id.finish()?,
        line_id.finish()?,
        msisdn.finish()?,
        eip_imei.finish()?,
        product_type.finish()?,
        status.finish()?,
        months.finish()?,
    ];
    RecordBatch::try_new(agreement_schema(), columns)
}

/// The `line_device_usage` rows as a batch of [`usage_schema`].
pub fn usage_batch<'a>(
    rows: impl IntoIterator<Item = &'a UsageSnapshot>,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut customer_id, mut account_id, mut line_id, mut msisdn, mut product_type, mut usage_imei, mut agreement] =
        texts(n, 15);
    let mut date = Dates::new(n);
    let mut mismatch = Ints::new(n);
    for u in rows {
        customer_id.put(u.customer_id);
        account_id.put(u.account_id);
        line_id.put(u.line_id);
        msisdn.put(u.msisdn);
        product_type.put(u.product_type);
        usage_imei.optional(u.usage_imei);
        date.optional(Some(u.usage_snapshot_date));
        mismatch.flag(u.imei_line_mismatch_flag);
        agreement.optional(u.usage_eip_agreement_number);
    }
    let columns = vec![
        customer_id.finish()?,
        account_id.finish()?,
        line_id.finish()?,
        msisdn.finish()?,
        product_type.finish()?,
        usage_imei.finish()?,
        date.finish(),
        mismatch.finish()?,
        agreement.finish()?,
    ];
    RecordBatch::try_new(usage_schema(), columns)
}

/// Ledger rows as a batch of [`ledger_schema`]`(ledger)`: the CSV columns of
/// [`crate::tables::ledger_row`], nulls where its fields are empty.
pub fn ledger_batch<'a>(
    rows: impl IntoIterator<Item = &'a LedgerRow>,
    ledger: LedgerSchema,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut customer_id, mut account_id, mut line_id, mut msisdn, mut product_type, mut status, mut agreement_number, mut eip_imei, mut usage_imei, mut current_imei] =
        texts(n, 15);
    let [mut eip_exists, mut imei_mismatch, mut missing_usage_imei, mut eip_mismatch, mut friction, mut company_owned] =
        std::array::from_fn(|_| Ints::new(n));
    let mut tail = CustomerTail::new(n);
    let [mut product_type_eip, mut eip_status, mut product_type_usage, mut usage_agreement, mut anomaly_type] =
        texts(n, 10);
    let mut installment_months = Ints::new(n);
    let mut usage_date = Dates::new(n);
    let mut usage_mismatch = Ints::new(n);
    for r in rows {
        let a = r.agreement.as_ref();
        let u = r.usage.as_ref();
        let f = r.flags;
        customer_id.put(r.line.customer_id);
        account_id.put(r.line.account_id);
        line_id.put(r.line.line_id);
        msisdn.put(r.line.msisdn);
        product_type.put(r.line.product_type);
        status.put(r.line.status);
        agreement_number.optional(a.map(|a| a.agreement_number));
        eip_imei.optional(a.map(|a| a.eip_imei));
        usage_imei.optional(r.usage_imei());
        eip_exists.flag(f.eip_exists);
        imei_mismatch.flag(f.imei_mismatch);
        missing_usage_imei.flag(f.missing_usage_imei);
        eip_mismatch.flag(f.eip_mismatch);
        friction.flag(f.upstream_friction_risk);
        company_owned.flag(r.line.company_owned_equipment_flag);
        current_imei.put(r.line.current_imei);
        if ledger.billing_agreement_type {
            tail.contract.optional(r.billing_agreement_type);
        } else {
            tail.contract.put(r.customer.contract_proxy);
        }
        tail.push(&r.customer);
        product_type_eip.optional(a.map(|a| a.product_type));
        eip_status.optional(a.map(|a| a.eip_status));
        installment_months.optional(a.map(|a| a.installment_months));
        product_type_usage.optional(u.map(|u| u.product_type));
        usage_date.optional(u.map(|u| u.usage_snapshot_date));
        match u {
            Some(u) => usage_mismatch.flag(u.imei_line_mismatch_flag),
            None => usage_mismatch.optional(None::<i32>),
        }
        usage_agreement.optional(u.and_then(|u| u.usage_eip_agreement_number));
        if ledger.anomaly_type {
            anomaly_type.optional(r.imei_anomaly_type);
        }
    }
    let mut columns = Vec::with_capacity(LEDGER_COLUMNS.len());
    for text in [
        customer_id,
        account_id,
        line_id,
        msisdn,
        product_type,
        status,
        agreement_number,
        eip_imei,
        usage_imei,
    ] {
        columns.push(text.finish()?);
    }
    for flag in [
        eip_exists,
        imei_mismatch,
        missing_usage_imei,
        eip_mismatch,
        friction,
        company_owned,
    ] {
        columns.push(flag.finish()?);
    }
    columns.push(current_imei.finish()?);
    tail.finish(&mut columns)?;
    columns.push(product_type_eip.finish()?);
    columns.push(eip_status.finish()?);
    columns.push(installment_months.finish()?);
    columns.push(product_type_usage.finish()?);
    columns.push(usage_date.finish());
    columns.push(usage_mismatch.finish()?);
    columns.push(usage_agreement.finish()?);
    if ledger.anomaly_type {
        columns.push(anomaly_type.finish()?);
    }
    RecordBatch::try_new(ledger_schema(ledger), columns)
}

/// The batch [`ledger_batch`] makes of `rows` with `billing_agreement_type`,
/// from the batch `unbilled` it made of the same rows without it (step 4
/// changes nothing else): every column is shared but the one that replaces
/// `contract_proxy`, which is built from `rows`.
pub fn billed_ledger_batch<'a>(
    unbilled: &RecordBatch,
    rows: impl IntoIterator<Item = &'a LedgerRow>,
    ledger: LedgerSchema,
) -> Result<RecordBatch, ArrowError> {
    let unbilled_schema = LedgerSchema {
        billing_agreement_type: false,
        ..ledger
    };
    if unbilled.schema() != ledger_schema(unbilled_schema) || !ledger.billing_agreement_type {
        return Err(ArrowError::InvalidArgumentError(
            "billed_ledger_batch needs a batch without billing_agreement_type and a schema with it"
                .to_string(),
        ));
    }
    let rows = rows.into_iter();
    let mut billing = Text::new(rows_hint(&rows), 14);
    for r in rows {
        billing.optional(r.billing_agreement_type);
    }
    let at = unbilled.schema().index_of("contract_proxy")?;
    let mut columns = unbilled.columns().to_vec();
    columns[at] = billing.finish()?;
    RecordBatch::try_new(ledger_schema(ledger), columns)
}

/// Ledger rows as a batch of [`example_schema`] (the caller picks the
/// example rows, as for [`crate::tables::example_row`]).
pub fn example_batch<'a>(
    rows: impl IntoIterator<Item = &'a LedgerRow>,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut customer_id, mut line_id, mut product_type, mut agreement_number, mut eip_imei, mut usage_imei, mut anomaly_type] =
        texts(n, 15);
    let [mut imei_mismatch, mut missing_usage_imei, mut eip_mismatch, mut friction] =
        std::array::from_fn(|_| Ints::new(n));
    for r in rows {
        let a = r.agreement.as_ref();
        let f = r.flags;
        customer_id.put(r.line.customer_id);
        line_id.put(r.line.line_id);
        product_type.put(r.line.product_type);
        agreement_number.optional(a.map(|a| a.agreement_number));
        eip_imei.optional(a.map(|a| a.eip_imei));
        usage_imei.optional(r.usage_imei());
        imei_mismatch.flag(f.imei_mismatch);
        missing_usage_imei.flag(f.missing_usage_imei);
        eip_mismatch.flag(f.eip_mismatch);
        friction.flag(f.upstream_friction_risk);
        anomaly_type.optional(r.imei_anomaly_type);
    }
    let mut columns = Vec::with_capacity(EXAMPLE_COLUMNS.len());
    for text in [
        customer_id,
        line_id,
        product_type,
        agreement_number,
        eip_imei,
        usage_imei,
    ] {
        columns.push(text.finish()?);
    }
    for flag in [imei_mismatch, missing_usage_imei, eip_mismatch, friction] {
        columns.push(flag.finish()?);
    }
    columns.push(anomaly_type.finish()?);
    RecordBatch::try_new(example_schema(), columns)
}

/// The `anomaly_manifest` rows as a batch of [`manifest_schema`].
pub fn manifest_batch<'a>(
    rows: impl IntoIterator<Item = &'a Defect>,
) -> Result<RecordBatch, ArrowError> {
    let rows = rows.into_iter();
    let n = rows_hint(&rows);
    let [mut defect_id, mut defect_type, mut customer_id, mut line_id, mut partner, mut column, mut clean, mut injected] =
        texts(n, 15);
    let mut stage = Ints::new(n);
    for d in rows {
        defect_id.put(d.id());
        defect_type.put(d.defect_type);
        stage.push(d.defect_type.stage());
        customer_id.put(d.customer_id);
        line_id.put(d.line_id);
        partner.optional(d.partner_line_id);
        column.str("usage_imei");
        clean.optional(d.clean_value);
        injected.optional(d.injected_value);
    }
    let columns = vec![
        defect_id.finish()?,
        defect_type.finish()?,
        stage.finish()?,
        customer_id.finish()?,
        line_id.finish()?,
        partner.finish()?,
        column.finish()?,
        clean.finish()?,
        injected.finish()?,
    ];
    RecordBatch::try_new(manifest_schema(), columns)
}

// ---------------------------------------------------------------------------
// Writer.

/// Text columns whose minimum and maximum are kept (per page and per row
/// group): the ids every table is sorted by, with which DuckDB, Spark or
/// pyarrow skip row groups when filtering on them.
pub const STATISTICS_TEXT_COLUMNS: &[&str] = &["customer_id", "account_id", "line_id", "defect_id"];

/// The text columns of every table but [`STATISTICS_TEXT_COLUMNS`]: their
/// statistics would cost a string comparison per value and prune nothing
/// (IMEIs, MSISDNs and categories are in no order).
fn unsorted_text_columns() -> Vec<&'static str> {
    let tables: [(&[&'static str], Vec<Col>); 8] = [
        (CUSTOMER_COLUMNS, CUSTOMER_KINDS.to_vec()),
        (LINE_COLUMNS, LINE_KINDS.to_vec()),
        (DEVICE_COLUMNS, DEVICE_KINDS.to_vec()),
        (AGREEMENT_COLUMNS, AGREEMENT_KINDS.to_vec()),
        (USAGE_COLUMNS, USAGE_KINDS.to_vec()),
        (LEDGER_COLUMNS, ledger_kinds()),
        (EXAMPLE_COLUMNS, EXAMPLE_KINDS.to_vec()),
        (MANIFEST_COLUMNS, MANIFEST_KINDS.to_vec()),
    ];
    let mut names: Vec<&'static str> = tables
        .iter()
        .flat_map(|(columns, kinds)| columns.iter().zip(kinds))
        .filter(|(name, (kind, _))| *kind == Kind::Text && !STATISTICS_TEXT_COLUMNS.contains(name))
        .map(|(name, _)| *name)
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

/// Columns of (nearly) unique values: ids, numbers, IMEIs, and the money
/// and scores of a customer. They are written without a dictionary, which
/// would be large or abandoned: smaller files and faster writes (at a
/// million customers, leaving the five float columns plain took 8% off the
/// CPU time and 6% off the bytes).
pub const PLAIN_COLUMNS: &[&str] = &[
    "customer_id",
    "account_id",
    "line_id",
    "device_id",
    "msisdn",
    "agreement_number",
    "usage_eip_agreement_number",
    "imei",
    "eip_imei",
    "usage_imei",
    "current_imei",
    "defect_id",
    "partner_line_id",
    "clean_value",
    "injected_value",
    "monthly_charges",
    "device_monthly_payment",
    "churn_risk_score",
    "trust_baseline",
    "patience",
];

/// The writer properties of every file: Zstandard level [`ZSTD_LEVEL`],
/// row groups of [`ROW_GROUP_ROWS`], Parquet 1.0 data pages (the most widely
/// readable), page statistics of numbers, dates and
/// [`STATISTICS_TEXT_COLUMNS`], dictionaries except for [`PLAIN_COLUMNS`],
/// and `created_by` = [`CREATED_BY`]. Every setting that shapes the bytes
/// is set here rather than left to the crate's defaults.
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
    for &column in PLAIN_COLUMNS {
        builder = builder.set_column_dictionary_enabled(ColumnPath::from(column), false);
    }
    for column in unsorted_text_columns() {
        builder = builder
            .set_column_statistics_enabled(ColumnPath::from(column), EnabledStatistics::None);
    }
    Ok(builder.build())
}

/// One Parquet table being written to `W`.
///
/// Batches are handed to the encoder in whole blocks of [`BLOCK_ROWS`] rows
/// (a short remainder waits for the next batch), so the file's bytes depend
/// only on its rows, never on how they were split into batches.
pub struct ParquetTableWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
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
        let writer = ArrowWriter::try_new(writer, schema.clone(), Some(writer_properties()?))?;
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
        let mut inner = self.writer.into_inner()?;
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
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_matches_known_dates() {
        let day = |s: &str| days_since_epoch(s.parse().unwrap());
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(day("1970-01-02"), 1);
        assert_eq!(day("1969-12-31"), -1);
        assert_eq!(day("2000-03-01"), 11_017);
        assert_eq!(day("2026-02-22"), 20_506);
        assert_eq!(day("0001-01-01"), -719_162);
    }

    #[test]
    fn schemas_spell_the_csv_columns() {
        for (schema, columns) in [
            (customer_schema(), CUSTOMER_COLUMNS),
            (line_schema(), LINE_COLUMNS),
            (device_schema(), DEVICE_COLUMNS),
            (agreement_schema(), AGREEMENT_COLUMNS),
            (usage_schema(), USAGE_COLUMNS),
            (example_schema(), EXAMPLE_COLUMNS),
            (manifest_schema(), MANIFEST_COLUMNS),
        ] {
            let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
            assert_eq!(names, columns);
        }
        assert_eq!(ledger_kinds().len(), LEDGER_COLUMNS.len());
        for anomaly_type in [false, true] {
            for billing_agreement_type in [false, true] {
                let ledger = LedgerSchema {
                    anomaly_type,
                    billing_agreement_type,
                };
                let schema = ledger_schema(ledger);
                let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
                assert_eq!(names, ledger.columns());
            }
        }
    }
}
