//! Step 4 of the pipeline: `contract_proxy` → `billing_agreement_type`.
//!
//! NovaWireless sells no service contracts, so the IBM source data's
//! `contract_proxy` gives way, in the same column position, to how the line
//! is actually billed: `EIP-{n}mo` for a line with an agreement of `n > 0`
//! installment months, else `Month-to-month`. [`apply`] sets the column on a
//! chunk of ledger rows, checks it against `eip_exists_flag`, and returns
//! the before/after value counts, which add up across chunks. The crate does
//! no I/O.
//!
//! ```
//! use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
//! use novawireless_billing::apply;
//! use novawireless_model::BillingAgreementType;
//! use novawireless_sampler::Baseline;
//!
//! let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 100).unwrap();
//! let c = generator.generate_range(CustomerRange::new(0, 100));
//! let mut ledger = novawireless_ledger::join(&c.customers, &c.lines, &c.agreements, &c.usage).unwrap();
//!
//! let counts = apply(&mut ledger).unwrap();
//! assert_eq!(counts.rows(), ledger.len() as u64);
//! assert!(ledger.iter().all(|row| match row.billing_agreement_type {
//!     Some(BillingAgreementType::Eip(months)) => [24, 30, 36].contains(&months),
//!     Some(BillingAgreementType::MonthToMonth) => true,
//!     None => false,
//! }));
//! println!("{counts}"); // "Before:\ncontract_proxy\nMonth-to-month    …"
//! ```
#![forbid(unsafe_code)]

mod counts;

pub use counts::BillingCounts;

use novawireless_model::{BillingAgreementType, LedgerRow, LineId};

/// A row typed `EIP-{n}mo` whose `eip_exists_flag` is 0.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ledger row {row}: line {line_id} is billed {billing_agreement_type} but its eip_exists_flag is 0")]
pub struct BillingError {
    /// 0-based index of the row in the slice passed to [`apply`].
    pub row: usize,
    /// The row's line.
    pub line_id: LineId,
    /// The type the row would get.
    pub billing_agreement_type: BillingAgreementType,
}

/// `EIP-{n}mo` when the row has an agreement with `installment_months`
/// n > 0, else `Month-to-month` (a 5G gateway's 0-month agreement included).
pub fn billing_agreement_type(row: &LedgerRow) -> BillingAgreementType {
    match &row.agreement {
        Some(agreement) if agreement.installment_months > 0 => {
            BillingAgreementType::Eip(agreement.installment_months)
        }
        _ => BillingAgreementType::MonthToMonth,
    }
}

/// Sets `billing_agreement_type` on every row and counts `contract_proxy`
/// before and `billing_agreement_type` after.
///
/// # Errors
/// The first row typed `EIP-{n}mo` whose `flags.eip_exists` is false; then
/// no row is changed.
pub fn apply(rows: &mut [LedgerRow]) -> Result<BillingCounts, BillingError> {
    if let Some((row, r)) = rows.iter().enumerate().find(|(_, r)| {
        matches!(billing_agreement_type(r), BillingAgreementType::Eip(_)) && !r.flags.eip_exists
    }) {
        return Err(BillingError {
            row,
            line_id: r.line.line_id,
            billing_agreement_type: billing_agreement_type(r),
        });
    }
    let mut counts = BillingCounts::default();
    for row in rows.iter_mut() {
        let billing = billing_agreement_type(row);
        counts.record(row.customer.contract_proxy, billing);
        row.billing_agreement_type = Some(billing);
    }
    Ok(counts)
}
