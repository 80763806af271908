//! Table readers: typed rows, header checked against the expected columns,
//! and every malformed row reported as `file:line: what is wrong`. A file
//! whose name ends in `.parquet` is read as Parquet, any other as CSV.
//!
//! A UTF-8 byte-order mark and CRLF line ends are accepted.

use crate::cells::ParquetCells;
use crate::parquet::column_kinds;
use crate::tables::{
    AGREEMENT_COLUMNS, CUSTOMER_COLUMNS, LEDGER_ANOMALY, LEDGER_BILLING, LEDGER_COLUMNS,
    LEDGER_REQUIRED, LINE_COLUMNS, USAGE_COLUMNS,
};
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
/// where there is one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InputError(pub String);

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

/// An open table, CSV or Parquet (by the file's extension), whose header
/// has been checked. Parquet cells are read as the text their CSV twin
/// holds, and rows are numbered as its lines (header = line 1), so both
/// formats go through the same parsers and report the same locations.
pub struct Table {
    path: String,
    source: Source,
    positions: Vec<Option<usize>>,
    columns: &'static [&'static str],
    record: csv::StringRecord,
}

impl Table {
    /// Opens `path` and checks its header: every column of `required` must
    /// be present; `optional` columns may be; any other column is an error.
    /// Columns are looked up by name, in [`Row::text`] and the other
    /// accessors by their index in `columns = required ++ optional`.
    /// A Parquet column's type must suit what the column holds.
    pub fn open(
        path: &Path,
        columns: &'static [&'static str],
        required: usize,
    ) -> Result<Self, InputError> {
        let name = path.display().to_string();
        let (source, header) = if is_parquet(path) {
            let cells = ParquetCells::open(path, &name)?;
            let header = cells.header().to_vec();
            (Source::Parquet(Box::new(cells)), header)
        } else {
            let (reader, header) = open_csv(path, &name)?;
            (Source::Csv(reader), header)
        };
        if let Some((i, repeated)) = header
            .iter()
            .enumerate()
            .find(|(i, h)| header[..*i].contains(h))
        {
            return Err(InputError(format!(
                "{name}:1: column {repeated:?} appears twice (field {})",
                i + 1
            )));
        }
        if let Some(extra) = header.iter().find(|h| !columns.contains(&h.as_str())) {
            return Err(InputError(format!("{name}:1: unexpected column {extra:?}")));
        }
        let positions: Vec<Option<usize>> = columns
            .iter()
            .map(|c| header.iter().position(|h| h == c))
            .collect();
        if let Some(missing) = columns[..required]
            .iter()
            .zip(&positions)
            .find(|(_, p)| p.is_none())
        {
            if *missing.0 == "contract_proxy"
                && header.iter().any(|h| h == "billing_agreement_type")
            {
                return Err(InputError(format!(
                    "{name}:1: this ledger already has billing_agreement_type in place of \
                     contract_proxy (step 4 has run on it); steps 3 and 4 read the ledger \
                     before step 4: the step-2 ledger, or step 4's backup \
                     master_account_ledger__pre_contract_fix"
                )));
            }
            return Err(InputError(format!(
                "{name}:1: missing column {:?}",
                missing.0
            )));
        }
        if let (Source::Parquet(cells), Some(kinds)) = (&source, column_kinds(columns)) {
            for (position, kind) in positions.iter().zip(kinds) {
                if let Some(position) = *position {
                    cells.check_kind(position, kind)?;
                }
            }
        }
        Ok(Table {
            path: name,
            source,
            positions,
            columns,
            record: csv::StringRecord::new(),
        })
    }

    /// Whether optional column `index` is present.
    pub fn has(&self, index: usize) -> bool {
        self.positions[index].is_some()
    }

    /// The file's name as errors print it.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Reads the next row; `None` at the end of the file.
    pub fn next_row(&mut self) -> Result<Option<Row<'_>>, InputError> {
        let line = match &mut self.source {
            Source::Parquet(cells) => cells.next_record(&mut self.record)?,
            Source::Csv(reader) => match reader.read_record(&mut self.record) {
                Ok(false) => None,
                Ok(true) => Some(self.record.position().map_or(0, |p| p.line())),
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(InputError(format!(
                        "{}:{line}: {}",
                        self.path,
                        csv_message(&e)
                    )));
                }
            },
        };
        Ok(line.map(|line| Row { table: self, line }))
    }
}

/// Opens a CSV file and reads its header (a UTF-8 byte-order mark dropped).
fn open_csv(
    path: &Path,
    name: &str,
) -> Result<(csv::Reader<BufReader<File>>, Vec<String>), InputError> {
    let file = File::open(path).map_err(|e| InputError(format!("{name}: cannot read: {e}")))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(BufReader::new(file));
    let header = reader
        .headers()
        .map_err(|e| InputError(format!("{name}:1: {}", csv_message(&e))))?
        .clone();
    if header.is_empty() || (header.len() == 1 && header.get(0) == Some("")) {
        return Err(InputError(format!("{name}: empty file (no header)")));
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
        InputError(format!("{}:{}: {message}", self.table.path, self.line))
    }

    /// The raw text of column `index` (empty when an optional column is absent).
    pub fn text(&self, index: usize) -> &str {
        self.table.positions[index]
            .and_then(|p| self.table.record.get(p))
            .unwrap_or("")
    }

    /// Column `index` parsed as `T`.
    pub fn parse<T: FromStr>(&self, index: usize) -> Result<T, InputError>
    where
        T::Err: Display,
    {
        let text = self.text(index);
        text.parse()
            .map_err(|e| self.error(format_args!("column {}: {e}", self.table.columns[index])))
    }

    /// Column `index` parsed as `T`, `None` when empty.
    pub fn optional<T: FromStr>(&self, index: usize) -> Result<Option<T>, InputError>
    where
        T::Err: Display,
    {
        self.optional_with(index, str::parse)
    }

    /// Column `index` parsed by `parse`, `None` when empty.
    pub fn optional_with<T, E: Display>(
        &self,
        index: usize,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Result<Option<T>, InputError> {
        let text = self.text(index);
        if text.is_empty() {
            return Ok(None);
        }
        parse(text)
            .map(Some)
            .map_err(|e| self.error(format_args!("column {}: {e}", self.table.columns[index])))
    }

    /// A whole number column.
    pub fn number<T: FromStr>(&self, index: usize) -> Result<T, InputError> {
        let text = self.text(index);
        text.parse().map_err(|_| {
            self.error(format_args!(
                "column {}: {text:?} is not a whole number",
                self.table.columns[index]
            ))
        })
    }

    /// A decimal number column.
    pub fn decimal(&self, index: usize) -> Result<f64, InputError> {
        let text = self.text(index);
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                self.error(format_args!(
                    "column {}: {text:?} is not a number",
                    self.table.columns[index]
                ))
            })
    }

    /// A decimal number column whose values lie in `[low, high]` (money is
    /// written from whole cents, scores from millionths: a value past the
    /// range could not be written back as it was read).
    pub fn decimal_in(&self, index: usize, low: f64, high: f64) -> Result<f64, InputError> {
        let value = self.decimal(index)?;
        if (low..=high).contains(&value) {
            Ok(value)
        } else {
            // The parsed value, so that a CSV cell and its Parquet twin
            // (`2000000` and `2000000.0`) give the same message.
            Err(self.error(format_args!(
                "column {}: {value} is outside [{low}, {high}]",
                self.table.columns[index]
            )))
        }
    }

    /// A 0/1 flag column.
    pub fn flag(&self, index: usize) -> Result<bool, InputError> {
        match self.text(index) {
            "0" => Ok(false),
            "1" => Ok(true),
            other => Err(self.error(format_args!(
                "column {}: {other:?} is not 0 or 1",
                self.table.columns[index]
            ))),
        }
    }
}

/// Largest amount of money a table may hold, in dollars (as a config's
/// charges): far inside what whole cents in 64 bits can write.
pub const MAX_MONEY: f64 = 1e6;

/// Column positions of the customer columns inside a table whose column list
/// embeds them starting at `offset` (`customer_id` and `account_id` first).
fn customer(row: &Row<'_>, ids: (usize, usize), offset: usize) -> Result<Customer, InputError> {
    let c = |i: usize| offset + i - 2;
    let internet = row.text(c(7));
    if internet != "5G Home Internet" && internet != "No" {
        return Err(row.error(format_args!(
            "column internet_service: {internet:?} is not \"5G Home Internet\" or \"No\""
        )));
    }
    let has_5g_home_internet = row.flag(c(8))?;
    if (internet == "5G Home Internet") != has_5g_home_internet {
        return Err(row.error(format_args!(
            "column internet_service: {internet:?} contradicts has_5g_home_internet {}",
            u8::from(has_5g_home_internet)
        )));
    }
    Ok(Customer {
        customer_id: row.parse(ids.0)?,
        account_id: row.parse(ids.1)?,
        tenure_months: row.number(c(2))?,
        monthly_charges: row.decimal_in(c(3), 0.0, MAX_MONEY)?,
        paperless_billing: row.parse(c(4))?,
        payment_method: row.parse(c(5))?,
        contract_proxy: row.parse(c(6))?,
        has_5g_home_internet,
        lines_on_account: row.number(c(9))?,
        device_payment_plan: row.parse(c(10))?,
        device_term_months: row.number(c(11))?,
        device_months_remaining: row.number(c(12))?,
        device_monthly_payment: row.decimal_in(c(13), 0.0, MAX_MONEY)?,
        online_security: row.parse(c(14))?,
        online_backup: row.parse(c(15))?,
        device_protection: row.parse(c(16))?,
        streaming_tv: row.parse(c(17))?,
        streaming_movies: row.parse(c(18))?,
        churn_risk_score: row.decimal_in(c(19), 0.0, 1.0)?,
        trust_baseline: row.decimal_in(c(20), 0.0, 100.0)?,
        patience: row.decimal_in(c(21), 0.0, 1.0)?,
        is_churned: row.flag(c(22))?,
        repeat_contacts_30d: row.number(c(23))?,
        last_call_day_index: row.number(c(24))?,
    })
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
    /// Opens `path`, whose header must hold every column of `columns`.
    pub fn open(
        path: &Path,
        columns: &'static [&'static str],
        parse: RowParser<T>,
    ) -> Result<Self, InputError> {
        let table = Table::open(path, columns, columns.len())?;
        Ok(Self::new(table, parse))
    }

    /// Reads the rows of an open table with `parse`.
    pub fn new(table: Table, parse: RowParser<T>) -> Self {
        RowReader {
            table,
            parse,
            peeked: None,
        }
    }

    /// Whether optional column `index` is present.
    pub fn has(&self, index: usize) -> bool {
        self.table.has(index)
    }

    /// The file's name as errors print it.
    pub fn path(&self) -> &str {
        self.table.path()
    }

    /// An error about line `line` of the file.
    pub fn error_at(&self, line: u64, message: impl Display) -> InputError {
        InputError(format!("{}:{line}: {message}", self.table.path()))
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
    customer(row, (0, 1), 2)
}

/// Parses a `lines.csv` row.
pub fn line_row(row: &Row<'_>) -> Result<Line, InputError> {
    Ok(Line {
        line_id: row.parse(0)?,
        customer_id: row.parse(1)?,
        account_id: row.parse(2)?,
        msisdn: row.parse(3)?,
        product_type: row.parse(4)?,
        status: row.parse(5)?,
        company_owned_equipment_flag: row.flag(6)?,
        current_imei: row.parse(7)?,
    })
}

/// Parses an `eip_agreements.csv` row.
pub fn agreement_row(row: &Row<'_>) -> Result<EipAgreement, InputError> {
    Ok(EipAgreement {
        agreement_number: row.parse(0)?,
        customer_id: row.parse(1)?,
        account_id: row.parse(2)?,
        line_id: row.parse(3)?,
        msisdn: row.parse(4)?,
        eip_imei: row.parse(5)?,
        product_type: row.parse(6)?,
        eip_status: row.parse(7)?,
        installment_months: row.number(8)?,
    })
}

/// Parses a `line_device_usage.csv` row.
pub fn usage_row(row: &Row<'_>) -> Result<UsageSnapshot, InputError> {
    Ok(UsageSnapshot {
        customer_id: row.parse(0)?,
        account_id: row.parse(1)?,
        line_id: row.parse(2)?,
        msisdn: row.parse(3)?,
        product_type: row.parse(4)?,
        usage_imei: row.optional(5)?,
        usage_snapshot_date: row.parse(6)?,
        imei_line_mismatch_flag: row.flag(7)?,
        usage_eip_agreement_number: row.optional(8)?,
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
        customers: RowReader::open(&path("customers"), CUSTOMER_COLUMNS, customer_row)?,
        lines: RowReader::open(&path("lines"), LINE_COLUMNS, line_row)?,
        agreements: RowReader::open(&path("eip_agreements"), AGREEMENT_COLUMNS, agreement_row)?,
        usage: RowReader::open(&path("line_device_usage"), USAGE_COLUMNS, usage_row)?,
    })
}

/// Opens a ledger for reading.
pub fn open_ledger(path: &Path) -> Result<Table, InputError> {
    Table::open(path, LEDGER_COLUMNS, LEDGER_REQUIRED)
}

/// Opens a ledger for reading row by row with [`ledger_row`].
pub fn ledger_reader(path: &Path) -> Result<RowReader<LedgerRow>, InputError> {
    Ok(RowReader::new(open_ledger(path)?, ledger_row))
}

/// Parses a ledger row.
pub fn ledger_row(row: &Row<'_>) -> Result<LedgerRow, InputError> {
    let line = Line {
        line_id: row.parse(2)?,
        customer_id: row.parse(0)?,
        account_id: row.parse(1)?,
        msisdn: row.parse(3)?,
        product_type: row.parse(4)?,
        status: row.parse(5)?,
        company_owned_equipment_flag: row.flag(14)?,
        current_imei: row.parse(15)?,
    };
    let customer = customer(row, (0, 1), 16)?;
    let agreement_number: Option<AgreementNumber> = row.optional(6)?;
    let agreement = match agreement_number {
        Some(agreement_number) => Some(EipAgreement {
            agreement_number,
            customer_id: line.customer_id,
            account_id: line.account_id,
            line_id: line.line_id,
            msisdn: line.msisdn,
            eip_imei: row.parse(7)?,
            product_type: row.parse(39)?,
            eip_status: row.parse(40)?,
            installment_months: row.number(41)?,
        }),
        None => {
            for i in [7, 39, 40, 41] {
                if !row.text(i).is_empty() {
                    return Err(row.error(format_args!(
                        "column {}: set on a line without agreement_number",
                        LEDGER_COLUMNS[i]
                    )));
                }
            }
            None
        }
    };
    let usage_date: Option<SnapshotDate> = row.optional(43)?;
    let usage_imei: Option<Imei> = row.optional(8)?;
    let usage = match usage_date {
        Some(usage_snapshot_date) => Some(UsageSnapshot {
            customer_id: line.customer_id,
            account_id: line.account_id,
            line_id: line.line_id,
            msisdn: line.msisdn,
            product_type: row.parse(42)?,
            usage_imei,
            usage_snapshot_date,
            imei_line_mismatch_flag: row.flag(44)?,
            usage_eip_agreement_number: row.optional(45)?,
        }),
        None => None,
    };
    let flags = LedgerFlags {
        eip_exists: row.flag(9)?,
        imei_mismatch: row.flag(10)?,
        missing_usage_imei: row.flag(11)?,
        eip_mismatch: row.flag(12)?,
        upstream_friction_risk: row.flag(13)?,
    };
    // Only a stage-3 type labels a ledger row.
    let imei_anomaly_type = row.optional_with(LEDGER_ANOMALY, DefectType::parse_label)?;
    let billing_agreement_type: Option<BillingAgreementType> = row.optional(LEDGER_BILLING)?;
    Ok(LedgerRow {
        line,
        customer,
        agreement,
        usage,
        flags,
        imei_anomaly_type,
        billing_agreement_type,
    })
}
