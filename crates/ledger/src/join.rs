//! The step-2 join: lines ⋈ customers, left-joined to agreements and usage.

use crate::flags::step2_flags;
use crate::index::IdIndex;
use novawireless_model::{
    AccountId, Customer, CustomerId, EipAgreement, LedgerRow, Line, LineId, Msisdn, UsageSnapshot,
};
use std::fmt;

/// A step-1 table, as named in a [`JoinError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// `customers.csv`
    Customers,
    /// `lines.csv`
    Lines,
    /// `eip_agreements.csv`
    EipAgreements,
    /// `line_device_usage.csv`
    Usage,
}

impl Table {
    /// The table's file name without extension, e.g. `eip_agreements`.
    pub const fn stem(self) -> &'static str {
        match self {
            Table::Customers => "customers",
            Table::Lines => "lines",
            Table::EipAgreements => "eip_agreements",
            Table::Usage => "line_device_usage",
        }
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.stem())
    }
}

/// Why step-1 tables cannot be joined into a ledger.
///
/// Every error names its table and the 0-based `row` in the slice passed to
/// [`join`] (see [`JoinError::table`] and [`JoinError::row`]), so a caller
/// that knows where the slice started can report `file:line`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    /// Two customers share an id.
    #[error("customers row {row}: duplicate customer_id {customer_id} (first at row {first_row})")]
    DuplicateCustomerId {
        /// The later row.
        row: usize,
        /// The repeated id.
        customer_id: CustomerId,
        /// The row that holds it first.
        first_row: usize,
    },
    /// Two lines share an id.
    #[error("lines row {row}: duplicate line_id {line_id} (first at row {first_row})")]
    DuplicateLineId {
        /// The later row.
        row: usize,
        /// The repeated id.
        line_id: LineId,
        /// The row that holds it first.
        first_row: usize,
    },
    /// A line whose (customer_id, account_id) pair is not a customer.
    #[error("lines row {row}: line {line_id} belongs to unknown customer {customer_id} / account {account_id}")]
    UnknownCustomer {
        /// The line's row.
        row: usize,
        /// The line.
        line_id: LineId,
        /// Its customer id.
        customer_id: CustomerId,
        /// Its account id.
        account_id: AccountId,
    },
    /// A second agreement, or a second usage row, for the same line.
    #[error("{table} row {row}: second row for line {line_id} (first at row {first_row})")]
    DuplicateLineRow {
        /// [`Table::EipAgreements`] or [`Table::Usage`].
        table: Table,
        /// The later row.
        row: usize,
        /// The line both rows belong to.
        line_id: LineId,
        /// The first row for the line.
        first_row: usize,
    },
    /// An agreement or usage row that matches no line on (customer_id,
    /// account_id, line_id, msisdn).
    #[error(
        "{table} row {row}: no line matches {line_id} / {customer_id} / {account_id} / {msisdn}"
    )]
    UnknownLine {
        /// [`Table::EipAgreements`] or [`Table::Usage`].
        table: Table,
        /// The row.
        row: usize,
        /// Its line id.
        line_id: LineId,
        /// Its customer id.
        customer_id: CustomerId,
        /// Its account id.
        account_id: AccountId,
        /// Its MSISDN.
        msisdn: Msisdn,
    },
}

impl JoinError {
    /// The table holding the offending row.
    pub const fn table(&self) -> Table {
        match self {
            JoinError::DuplicateCustomerId { .. } => Table::Customers,
            JoinError::DuplicateLineId { .. } | JoinError::UnknownCustomer { .. } => Table::Lines,
            JoinError::DuplicateLineRow { table, .. } | JoinError::UnknownLine { table, .. } => {
                *table
            }
        }
    }

    /// The 0-based index of the offending row in the slice passed to [`join`].
    pub const fn row(&self) -> usize {
        match self {
            JoinError::DuplicateCustomerId { row, .. }
            | JoinError::DuplicateLineId { row, .. }
            | JoinError::UnknownCustomer { row, .. }
            | JoinError::DuplicateLineRow { row, .. }
            | JoinError::UnknownLine { row, .. } => *row,
        }
    }
}

/// The join keys an agreement and a usage row share with their line.
trait LineKeyed {
    const TABLE: Table;
    fn keys(&self) -> (CustomerId, AccountId, LineId, Msisdn);
}

impl LineKeyed for EipAgreement {
    const TABLE: Table = Table::EipAgreements;
    fn keys(&self) -> (CustomerId, AccountId, LineId, Msisdn) {
        (self.customer_id, self.account_id, self.line_id, self.msisdn)
    }
}

impl LineKeyed for UsageSnapshot {
    const TABLE: Table = Table::Usage;
    fn keys(&self) -> (CustomerId, AccountId, LineId, Msisdn) {
        (self.customer_id, self.account_id, self.line_id, self.msisdn)
    }
}

const NONE: usize = usize::MAX;

/// For each line, the row of `table` that matches it (or [`NONE`]).
fn match_to_lines<T: LineKeyed>(
    table: &[T],
    lines: &[Line],
    line_index: &IdIndex,
) -> Result<Vec<usize>, JoinError> {
    let mut matched = vec![NONE; lines.len()];
    for (row, item) in table.iter().enumerate() {
        let (customer_id, account_id, line_id, msisdn) = item.keys();
        let position = line_index.get(line_id.index()).filter(|&p| {
            let line = &lines[p];
            (line.customer_id, line.account_id, line.msisdn) == (customer_id, account_id, msisdn)
        });
        let Some(position) = position else {
            return Err(JoinError::UnknownLine {
                table: T::TABLE,
                row,
                line_id,
                customer_id,
                account_id,
                msisdn,
            });
        };
        if matched[position] != NONE {
            return Err(JoinError::DuplicateLineRow {
                table: T::TABLE,
                row,
                line_id,
                first_row: matched[position],
            });
        }
        matched[position] = row;
    }
    Ok(matched)
}

/// Builds the step-2 ledger of a chunk: one row per line, in `lines` order.
///
/// Lines are inner-joined to `customers` on (customer_id, account_id);
/// `agreements` and `usage` are left-joined on (customer_id, account_id,
/// line_id, msisdn). The flags come from [`step2_flags`];
/// `imei_anomaly_type` and `billing_agreement_type` are left `None`.
///
/// The caller passes every row of a set of customers (a chunk), so a line's
/// customer, agreement and usage are all in the same call. Lookups go through
/// id-indexed tables, so the cost is linear in the number of rows, whatever
/// their order.
///
/// # Errors
/// The first bad row, checking customers, then lines, then agreements, then
/// usage, each in slice order: a duplicate customer or line id, a line of an
/// unknown customer/account pair, an agreement or usage row that matches no
/// line, or a second agreement or usage row for the same line.
pub fn join(
    customers: &[Customer],
    lines: &[Line],
    agreements: &[EipAgreement],
    usage: &[UsageSnapshot],
) -> Result<Vec<LedgerRow>, JoinError> {
    let mut rows = Vec::with_capacity(lines.len());
    join_into(customers, lines, agreements, usage, &mut rows)?;
    Ok(rows)
}

/// [`join`] into `rows`, whose rows are replaced (left empty on an error);
/// reusing one vector spares a long run an allocation per chunk.
///
/// # Errors
/// As [`join`].
pub fn join_into(
    customers: &[Customer],
    lines: &[Line],
    agreements: &[EipAgreement],
    usage: &[UsageSnapshot],
    rows: &mut Vec<LedgerRow>,
) -> Result<(), JoinError> {
    rows.clear();
    let mut customer_index = IdIndex::for_keys(customers.iter().map(|c| c.customer_id.index()));
    for (row, customer) in customers.iter().enumerate() {
        if let Some(first_row) = customer_index.insert(customer.customer_id.index(), row) {
            return Err(JoinError::DuplicateCustomerId {
                row,
                customer_id: customer.customer_id,
                first_row,
            });
        }
    }

    let mut line_index = IdIndex::for_keys(lines.iter().map(|l| l.line_id.index()));
    let mut line_customer = Vec::with_capacity(lines.len());
    for (row, line) in lines.iter().enumerate() {
        if let Some(first_row) = line_index.insert(line.line_id.index(), row) {
            return Err(JoinError::DuplicateLineId {
                row,
                line_id: line.line_id,
                first_row,
            });
        }
        let customer = customer_index
            .get(line.customer_id.index())
            .filter(|&c| customers[c].account_id == line.account_id)
            .ok_or(JoinError::UnknownCustomer {
                row,
                line_id: line.line_id,
                customer_id: line.customer_id,
                account_id: line.account_id,
            })?;
        line_customer.push(customer);
    }

    let agreement_of = match_to_lines(agreements, lines, &line_index)?;
    let usage_of = match_to_lines(usage, lines, &line_index)?;

    rows.extend(lines.iter().enumerate().map(|(position, line)| {
        let agreement = agreements.get(agreement_of[position]);
        let usage = usage.get(usage_of[position]);
        LedgerRow {
            line: line.clone(),
            customer: customers[line_customer[position]].clone(),
            agreement: agreement.cloned(),
            usage: usage.cloned(),
            flags: step2_flags(line, agreement, usage),
            imei_anomaly_type: None,
            billing_agreement_type: None,
        }
    }));
    Ok(())
}
