//! Table readers: typed rows, header checked against the expected columns,
//! and every malformed row reported as `file:line: what is wrong`. A file
//! whose name ends in `.parquet` is read as Parquet, any other as CSV.
//!
//! A UTF-8 byte-order mark and CRLF line ends are accepted.

use crate::cells::ParquetCells;
use crate::schema::{Column, ColumnId, Presence, TableDef};
use crate::tables::{agreements, customers, lines, usage};
use crate::tables::{Agreements, Customers, Ledger, Lines, Usage};
use novawireless_model::{
    AgreementNumber, BillingAgreementType, Customer, DefectType, EipAgreement, Imei, LedgerFlags,
    LedgerRow, Line, SnapshotDate, UsageSnapshot,
};
use std::fmt::Display;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::str::FromStr;

/// A bad input table: one line naming the file, and the line and column
/// where there is one (`file:line: column c: problem`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// The file, as errors print it.
    pub file: String,
    /// The 1-based line at fault (the header is line 1), when one is.
    pub line: Option<u64>,
    /// The column at fault, when one is.
    pub column: Option<String>,
    /// What is wrong.
    pub problem: String,
}

impl InputError {
    /// A problem with the whole of `file`.
    pub fn file(file: impl Into<String>, problem: impl Display) -> Self {
        InputError {
            file: file.into(),
            line: None,
            column: None,
            problem: problem.to_string(),
        }
    }

    /// A problem on line `line` of `file`.
    pub fn at(file: impl Into<String>, line: u64, problem: impl Display) -> Self {
        InputError {
            line: Some(line),
            ..InputError::file(file, problem)
        }
    }

    /// The same problem, in column `column`.
    pub fn in_column(self, column: impl Into<String>) -> Self {
        InputError {
            column: Some(column.into()),
            ..self
        }
    }
}

impl Display for InputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(column) = &self.column {
            write!(f, ": column {column}")?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// Where a table's rows come from.
enum Source {
    Csv(csv::Reader<BufReader<File>>),
    Parquet(Box<ParquetCells>),
}

/// Whether `path` names a Parquet file (by its extension).
pub fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Any table, CSV or Parquet (by the file's extension), read as its header
/// and then one record of text cells at a time: the one reader under the
/// typed [`Table`], the data profile and the scoring of a detector.
/// Parquet cells are read as the text their CSV twin holds, and rows are
/// numbered as its lines (header = line 1), so both formats give the same
/// records and errors at the same locations.
pub struct TextTable {
    path: String,
    source: Source,
    header: Vec<String>,
}

impl TextTable {
    /// Opens `path` and reads its header (a UTF-8 byte-order mark dropped).
    pub fn open(path: &Path) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let (source, header) = if is_parquet(path) {
            let cells = ParquetCells::open(path, &name)?;
            let header = cells.header().to_vec();
            (Source::Parquet(Box::new(cells)), header)
        } else {
            let (reader, header) = open_csv(path, &name)?;
            (Source::Csv(reader), header)
        };
        Ok(TextTable {
            path: name,
            source,
            header,
        })
    }

    /// The column names, in file order.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The file as errors print it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The name of the file in its folder (`customers.parquet`).
    pub fn file_name(&self) -> String {
        Path::new(&self.path)
            .file_name()
            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
    }

    /// Reads the next row into `record`, a cell per column in file order;
    /// returns its line number, or `None` at the end.
    pub fn next_record(
        &mut self,
        record: &mut csv::StringRecord,
    ) -> Result<Option<u64>, InputError> {
        match &mut self.source {
            Source::Parquet(cells) => cells.next_record(record),
            Source::Csv(reader) => match reader.read_record(record) {
                Ok(false) => Ok(None),
                Ok(true) => Ok(Some(record.position().map_or(0, |p| p.line()))),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    Err(InputError::at(&self.path, line, csv_message(&e)))
                }
            },
        }
    }

    /// Checks that column `position` can hold values of `kind` (Parquet
    /// columns have types; CSV cells are all text).
    fn check_kind(&self, position: usize, kind: crate::schema::Kind) -> Result<(), InputError> {
        match &self.source {
            Source::Parquet(cells) => cells.check_kind(position, kind),
            Source::Csv(_) => Ok(()),
        }
    }
}

/// An open table, CSV or Parquet (by the file's extension), whose header
/// has been checked. Parquet cells are read as the text their CSV twin
/// holds, and rows are numbered as its lines (header = line 1), so both
/// formats go through the same parsers and report the same locations.
pub struct Table {
    text: TextTable,
    positions: Vec<Option<usize>>,
    columns: &'static [Column],
    record: csv::StringRecord,
}

impl Table {
    /// Opens `path`, a file of table `D`, and checks its header: every
    /// required column of `D` must be present; optional columns may be; any
    /// other column is an error. Columns are looked up by name, and
    /// addressed in [`Row::text`] and the other accessors by their handles
    /// (`tables::ledger::usage_imei`). A Parquet column's type must suit
    /// what the column holds.
    pub fn open<D: TableDef>(path: &Path) -> Result<Self, InputError> {
        let columns = D::COLUMNS;
        let text = TextTable::open(path)?;
        let name = text.path();
        let header = text.header();
        if let Some((i, repeated)) = header
            .iter()
            .enumerate()
            .find(|(i, h)| header[..*i].contains(h))
        {
            return Err(InputError::at(
                name,
                1,
                format_args!("column {repeated:?} appears twice (field {})", i + 1),
            ));
        }
        if let Some(extra) = header
            .iter()
            .find(|h| !columns.iter().any(|c| c.name == h.as_str()))
        {
            return Err(InputError::at(
                name,
                1,
                format_args!("unexpected column {extra:?}"),
            ));
        }
        let positions: Vec<Option<usize>> = columns
            .iter()
            .map(|c| header.iter().position(|h| h == c.name))
            .collect();
        if let Some((missing, _)) = columns
            .iter()
            .zip(&positions)
            .find(|(c, p)| c.presence == Presence::Required && p.is_none())
        {
            if missing.name == "contract_proxy"
                && header.iter().any(|h| h == "billing_agreement_type")
            {
                return Err(InputError::at(
                    name,
                    1,
                    "this ledger already has billing_agreement_type in place of \
                 contract_proxy (step 4 has run on it); steps 3 and 4 read the ledger \
                 before step 4: the step-2 ledger, or step 4's backup \
                 master_account_ledger__pre_contract_fix",
                ));
            }
            return Err(InputError::at(
                name,
                1,
                format_args!("missing column {:?}", missing.name),
            ));
        }
        for (position, column) in positions.iter().zip(columns) {
            if let Some(position) = *position {
                text.check_kind(position, column.kind)?;
            }
        }
        Ok(Table {
            text,
            positions,
            columns,
            record: csv::StringRecord::new(),
        })
    }

    /// Whether optional column `column` is present.
    pub fn has<D: TableDef>(&self, column: ColumnId<D>) -> bool {
        self.positions[column.index()].is_some()
    }

    /// The file's name as errors print it.
    pub fn path(&self) -> &str {
        self.text.path()
    }

    /// Reads the next row; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, InputError> {
        let line = self.text.next_record(&mut self.record)?;
        Ok(line.map(|line| Row { table: self, line }))
    }
}

/// Opens a CSV file and reads its header (a UTF-8 byte-order mark dropped).
fn open_csv(
    path: &Path,
    name: &str,
) -> Result<(csv::Reader<BufReader<File>>, Vec<String>), InputError> {
    let file =
        File::open(path).map_err(|e| InputError::file(name, format_args!("cannot read: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(BufReader::new(file));
    let header = reader
        .headers()
        .map_err(|e| InputError::at(name, 1, csv_message(&e)))?
        .clone();
    if header.is_empty() || (header.len() == 1 && header.get(0) == Some("")) {
        return Err(InputError::file(name, "empty file (no header)"));
    }
    let header = header
        .iter()
        .enumerate()
        .map(|(i, h)| {
            if i == 0 {
                h.trim_start_matches('\u{feff}').to_string()
            } else {
                h.to_string()
            }
        })
        .collect();
    Ok((reader, header))
}

fn csv_message(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("wrong field count: {len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

/// One row of an open table.
pub struct Row<'a> {
    table: &'a Table,
    line: u64,
}

impl Row<'_> {
    /// The 1-based line number of the row in its file.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// An error about this row.
    pub fn error(&self, message: impl Display) -> InputError {
        InputError::at(self.table.path(), self.line, message)
    }

    /// An error about `column` of this row.
    pub fn error_in<D: TableDef>(&self, column: ColumnId<D>, message: impl Display) -> InputError {
        self.error(message).in_column(self.name(column))
    }

    /// The name of `column`, checked (in debug builds) to be the column of
    /// this table that the handle names.
    fn name<D: TableDef>(&self, column: ColumnId<D>) -> &'static str {
        let name = self.table.columns[column.index()].name;
        debug_assert_eq!(name, column.name(), "a handle of another table");
        name
    }

    /// The raw text of `column` (empty when an optional column is absent).
    pub fn text<D: TableDef>(&self, column: ColumnId<D>) -> &str {
        self.table.positions[column.index()]
            .and_then(|p| self.table.record.get(p))
            .unwrap_or("")
    }

    /// `column` parsed as `T`.
    pub fn parse<T: FromStr, D: TableDef>(&self, column: ColumnId<D>) -> Result<T, InputError>
    where
        T::Err: Display,
    {
        let text = self.text(column);
        text.parse().map_err(|e| self.error_in(column, e))
    }

    /// `column` parsed as `T`, `None` when empty.
    pub fn optional<T: FromStr, D: TableDef>(
        &self,
        column: ColumnId<D>,
    ) -> Result<Option<T>, InputError>
    where
        T::Err: Display,
    {
        self.optional_with(column, str::parse)
    }

    /// `column` parsed by `parse`, `None` when empty.
    pub fn optional_with<T, E: Display, D: TableDef>(
        &self,
        column: ColumnId<D>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, InputError> {
        let text = self.text(column);
        if text.is_empty() {
            return Ok(None);
        }
        parse(text).map(Some).map_err(|e| self.error_in(column, e))
    }

    /// A whole number column.
    pub fn number<T: FromStr, D: TableDef>(&self, column: ColumnId<D>) -> Result<T, InputError> {
        let text = self.text(column);
        text.parse()
            .map_err(|_| self.error_in(column, format_args!("{text:?} is not a whole number")))
    }

    /// A decimal number column.
    pub fn decimal<D: TableDef>(&self, column: ColumnId<D>) -> Result<f64, InputError> {
        let text = self.text(column);
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| self.error_in(column, format_args!("{text:?} is not a number")))
    }

    /// A decimal number column whose values lie in `[low, high]` (money is
    /// written from whole cents, scores from millionths: a value past the
    /// range could not be written back as it was read).
    pub fn decimal_in<D: TableDef>(
        &self,
        column: ColumnId<D>,
        low: f64,
        high: f64,
    ) -> Result<f64, InputError> {
        let value = self.decimal(column)?;
        if (low..=high).contains(&value) {
            Ok(value)
        } else {
            // The parsed value, so that a CSV cell and its Parquet twin
            // (`2000000` and `2000000.0`) give the same message.
            Err(self.error_in(column, format_args!("{value} is outside [{low}, {high}]")))
        }
    }

    /// A 0/1 flag column.
    pub fn flag<D: TableDef>(&self, column: ColumnId<D>) -> Result<bool, InputError> {
        match self.text(column) {
            "0" => Ok(false),
            "1" => Ok(true),
            other => Err(self.error_in(column, format_args!("{other:?} is not 0 or 1"))),
        }
    }
}

/// Largest amount of money a table may hold, in dollars (as a config's
/// charges): far inside what whole cents in 64 bits can write.
pub const MAX_MONEY: f64 = 1e6;

/// The customer of a row of table `$table` (`customers` or `ledger`, the
/// two tables that hold the customer columns), its columns addressed by
/// that table's handles.
macro_rules! customer {
    ($row:expr, $t:ident) => {{
        let row: &Row<'_> = $row;
        let internet = row.text($t::internet_service);
        if internet != "5G Home Internet" && internet != "No" {
            return Err(row.error_in(
                $t::internet_service,
                format_args!("{internet:?} is not \"5G Home Internet\" or \"No\""),
            ));
        }
        let has_5g = row.flag($t::has_5g_home_internet)?;
        if (internet == "5G Home Internet") != has_5g {
            return Err(row.error_in(
                $t::internet_service,
                format_args!(
                    "{internet:?} contradicts has_5g_home_internet {}",
                    u8::from(has_5g)
                ),
            ));
        }
        Customer {
            customer_id: row.parse($t::customer_id)?,
            account_id: row.parse($t::account_id)?,
            tenure_months: row.number($t::tenure_months)?,
            monthly_charges: row.decimal_in($t::monthly_charges, 0.0, MAX_MONEY)?,
            paperless_billing: row.parse($t::paperless_billing)?,
            payment_method: row.parse($t::payment_method)?,
            contract_proxy: row.parse($t::contract_proxy)?,
            has_5g_home_internet: has_5g,
            lines_on_account: row.number($t::lines_on_account)?,
            device_payment_plan: row.parse($t::device_payment_plan)?,
            device_term_months: row.number($t::device_term_months)?,
            device_months_remaining: row.number($t::device_months_remaining)?,
            device_monthly_payment: row.decimal_in($t::device_monthly_payment, 0.0, MAX_MONEY)?,
            online_security: row.parse($t::OnlineSecurity)?,
            online_backup: row.parse($t::OnlineBackup)?,
            device_protection: row.parse($t::DeviceProtection)?,
            streaming_tv: row.parse($t::StreamingTV)?,
            streaming_movies: row.parse($t::StreamingMovies)?,
            churn_risk_score: row.decimal_in($t::churn_risk_score, 0.0, 1.0)?,
            trust_baseline: row.decimal_in($t::trust_baseline, 0.0, 100.0)?,
            patience: row.decimal_in($t::patience, 0.0, 1.0)?,
            is_churned: row.flag($t::is_churned)?,
            repeat_contacts_30d: row.number($t::repeat_contacts_30d)?,
            last_call_day_index: row.number($t::last_call_day_index)?,
        }
    }};
}

/// A row parser: one typed value from one row of a table.
pub type RowParser<T> = fn(&Row<'_>) -> Result<T, InputError>;

/// A table read one typed row at a time, with one row of lookahead, so a
/// caller can stop at the first row that belongs to the next group without
/// holding more than a group in memory.
pub struct RowReader<T> {
    table: Table,
    parse: RowParser<T>,
    peeked: Option<(T, u64)>,
}

impl<T> RowReader<T> {
    /// Opens `path`, a file of table `D`, to read with `parse`.
    pub fn open<D: TableDef>(path: &Path, parse: RowParser<T>) -> Result<Self, InputError> {
        Ok(Self::new(Table::open::<D>(path)?, parse))
    }

    /// Reads the rows of an open table with `parse`.
    pub fn new(table: Table, parse: RowParser<T>) -> Self {
        RowReader {
            table,
            parse,
            peeked: None,
        }
    }

    /// Whether optional column `column` is present.
    pub fn has<D: TableDef>(&self, column: ColumnId<D>) -> bool {
        self.table.has(column)
    }

    /// The file's name as errors print it.
    pub fn path(&self) -> &str {
        self.table.path()
    }

    /// An error about line `line` of the file.
    pub fn error_at(&self, line: u64, message: impl Display) -> InputError {
        InputError::at(self.table.path(), line, message)
    }

    /// The next row and its 1-based line number, without consuming it;
    /// `None` at the end of the file.
    pub fn peek(&mut self) -> Result<Option<(&T, u64)>, InputError> {
        if self.peeked.is_none() {
            if let Some(row) = self.table.next_row()? {
                let line = row.line();
                let value = (self.parse)(&row)?;
                self.peeked = Some((value, line));
            }
        }
        Ok(self.peeked.as_ref().map(|(value, line)| (value, *line)))
    }

    /// The next row and its 1-based line number; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<(T, u64)>, InputError> {
        self.peek()?;
        Ok(self.peeked.take())
    }

    /// The next row when `take` accepts it; a rejected row stays next.
    pub fn next_if(
        &mut self,
        take: impl FnOnce(&T) -> bool,
    ) -> Result<Option<(T, u64)>, InputError> {
        match self.peek()? {
            Some((value, _)) if take(value) => Ok(self.peeked.take()),
            _ => Ok(None),
        }
    }
}

/// Parses a `customers.csv` row.
pub fn customer_row(row: &Row<'_>) -> Result<Customer, InputError> {
    Ok(customer!(row, customers))
}

/// Parses a `lines.csv` row.
pub fn line_row(row: &Row<'_>) -> Result<Line, InputError> {
    use lines::*;
    Ok(Line {
        line_id: row.parse(line_id)?,
        customer_id: row.parse(customer_id)?,
        account_id: row.parse(account_id)?,
        msisdn: row.parse(msisdn)?,
        product_type: row.parse(product_type)?,
        status: row.parse(status)?,
        company_owned_equipment_flag: row.flag(company_owned_equipment_flag)?,
        current_imei: row.parse(current_imei)?,
    })
}

/// Parses an `eip_agreements.csv` row.
pub fn agreement_row(row: &Row<'_>) -> Result<EipAgreement, InputError> {
    use agreements::*;
    Ok(EipAgreement {
        agreement_number: row.parse(agreement_number)?,
        customer_id: row.parse(customer_id)?,
        account_id: row.parse(account_id)?,
        line_id: row.parse(line_id)?,
        msisdn: row.parse(msisdn)?,
        eip_imei: row.parse(eip_imei)?,
        product_type: row.parse(product_type)?,
        eip_status: row.parse(eip_status)?,
        installment_months: row.number(installment_months)?,
    })
}

/// Parses a `line_device_usage.csv` row.
pub fn usage_row(row: &Row<'_>) -> Result<UsageSnapshot, InputError> {
    use usage::*;
    Ok(UsageSnapshot {
        customer_id: row.parse(customer_id)?,
        account_id: row.parse(account_id)?,
        line_id: row.parse(line_id)?,
        msisdn: row.parse(msisdn)?,
        product_type: row.parse(product_type)?,
        usage_imei: row.optional(usage_imei)?,
        usage_snapshot_date: row.parse(usage_snapshot_date)?,
        imei_line_mismatch_flag: row.flag(imei_line_mismatch_flag)?,
        usage_eip_agreement_number: row.optional(usage_eip_agreement_number)?,
    })
}

/// The four step-1 tables a ledger is built from, open for reading row by
/// row (their headers already checked).
pub struct Step1Readers {
    /// `customers.csv`.
    pub customers: RowReader<Customer>,
    /// `lines.csv`.
    pub lines: RowReader<Line>,
    /// `eip_agreements.csv`.
    pub agreements: RowReader<EipAgreement>,
    /// `line_device_usage.csv`.
    pub usage: RowReader<UsageSnapshot>,
}

/// Opens the four step-1 tables the ledger joins from `dir`, in this order:
/// customers, lines, agreements, usage; `extension` is `csv` or `parquet`.
pub fn open_step1(dir: &Path, extension: &str) -> Result<Step1Readers, InputError> {
    let path = |stem: &str| dir.join(format!("{stem}.{extension}"));
    Ok(Step1Readers {
        customers: RowReader::open::<Customers>(&path("customers"), customer_row)?,
        lines: RowReader::open::<Lines>(&path("lines"), line_row)?,
        agreements: RowReader::open::<Agreements>(&path("eip_agreements"), agreement_row)?,
        usage: RowReader::open::<Usage>(&path("line_device_usage"), usage_row)?,
    })
}

/// Opens a ledger for reading.
pub fn open_ledger(path: &Path) -> Result<Table, InputError> {
    Table::open::<Ledger>(path)
}

/// Opens a ledger for reading row by row with [`ledger_row`].
pub fn ledger_reader(path: &Path) -> Result<RowReader<LedgerRow>, InputError> {
    Ok(RowReader::new(open_ledger(path)?, ledger_row))
}

impl RowReader<LedgerRow> {
    /// Which optional columns the ledger file carries: `imei_anomaly_type`
    /// (step 3 has run) and `billing_agreement_type` (step 4 has run).
    pub fn ledger_schema(&self) -> crate::LedgerSchema {
        crate::LedgerSchema {
            anomaly_type: self.has(crate::tables::ledger::imei_anomaly_type),
            billing_agreement_type: self.has(crate::tables::ledger::billing_agreement_type),
        }
    }
}

/// Parses a ledger row.
pub fn ledger_row(row: &Row<'_>) -> Result<LedgerRow, InputError> {
    use crate::tables::ledger as l;
    let line = Line {
        line_id: row.parse(l::line_id)?,
        customer_id: row.parse(l::customer_id)?,
        account_id: row.parse(l::account_id)?,
        msisdn: row.parse(l::msisdn)?,
        product_type: row.parse(l::product_type)?,
        status: row.parse(l::status)?,
        company_owned_equipment_flag: row.flag(l::company_owned_equipment_flag)?,
        current_imei: row.parse(l::current_imei)?,
    };
    let customer = customer!(row, l);
    let number: Option<AgreementNumber> = row.optional(l::agreement_number)?;
    let agreement = match number {
        Some(agreement_number) => Some(EipAgreement {
            agreement_number,
            customer_id: line.customer_id,
            account_id: line.account_id,
            line_id: line.line_id,
            msisdn: line.msisdn,
            eip_imei: row.parse(l::eip_imei)?,
            product_type: row.parse(l::product_type_eip)?,
            eip_status: row.parse(l::eip_status)?,
            installment_months: row.number(l::installment_months)?,
        }),
        None => {
            for column in [
                l::eip_imei,
                l::product_type_eip,
                l::eip_status,
                l::installment_months,
            ] {
                if !row.text(column).is_empty() {
                    return Err(row.error_in(column, "set on a line without agreement_number"));
                }
            }
            None
        }
    };
    let usage_date: Option<SnapshotDate> = row.optional(l::usage_snapshot_date)?;
    let imei: Option<Imei> = row.optional(l::usage_imei)?;
    let usage = match usage_date {
        Some(usage_snapshot_date) => Some(UsageSnapshot {
            customer_id: line.customer_id,
            account_id: line.account_id,
            line_id: line.line_id,
            msisdn: line.msisdn,
            product_type: row.parse(l::product_type_usage)?,
            usage_imei: imei,
            usage_snapshot_date,
            imei_line_mismatch_flag: row.flag(l::imei_line_mismatch_flag)?,
            usage_eip_agreement_number: row.optional(l::usage_eip_agreement_number)?,
        }),
        None => None,
    };
    let flags = LedgerFlags {
        eip_exists: row.flag(l::eip_exists_flag)?,
        imei_mismatch: row.flag(l::imei_mismatch_flag)?,
        missing_usage_imei: row.flag(l::missing_usage_imei_flag)?,
        eip_mismatch: row.flag(l::eip_mismatch_flag)?,
        upstream_friction_risk: row.flag(l::upstream_friction_risk_flag)?,
    };
    // Only a stage-3 type labels a ledger row.
    let label = row.optional_with(l::imei_anomaly_type, DefectType::parse_label)?;
    let billing: Option<BillingAgreementType> = row.optional(l::billing_agreement_type)?;
    Ok(LedgerRow {
        line,
        customer,
        agreement,
        usage,
        flags,
        imei_anomaly_type: label,
        billing_agreement_type: billing,
    })
}
