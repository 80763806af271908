//! Rows of the master account ledger and the values steps 3 and 4 add.

use crate::{Customer, DefectType, EipAgreement, Line, UnknownVariant, UsageSnapshot};
use std::fmt;
use std::str::FromStr;

/// One row of `master_account_ledger.csv`: a line joined with its customer,
/// its EIP agreement (if any) and its usage snapshot (if any).
///
/// The ledger's key columns (`usage_imei`, `agreement_number`, …) are read
/// from the joined structs; the five flags are stored because step 3 changes
/// usage and recomputes them.
#[derive(Debug, Clone, PartialEq)]
pub struct LedgerRow {
    /// The line (its columns come first in the ledger).
    pub line: Line,
    /// The line's customer.
    pub customer: Customer,
    /// The line's agreement, when one matches on customer, account, line and MSISDN.
    pub agreement: Option<EipAgreement>,
    /// The line's usage snapshot, when one matches on the same keys.
    pub usage: Option<UsageSnapshot>,
    /// The five ledger flags.
    pub flags: LedgerFlags,
    /// Step 3's label of the injected defect, when the ledger has that
    /// column: a stage-3 [`DefectType`] ([`DefectType::is_label`]).
    pub imei_anomaly_type: Option<DefectType>,
    /// Step 4's replacement of `contract_proxy`, once computed.
    pub billing_agreement_type: Option<BillingAgreementType>,
}

impl LedgerRow {
    /// The usage IMEI, `None` when missing or when the line has no usage row.
    pub fn usage_imei(&self) -> Option<crate::Imei> {
        self.usage.as_ref().and_then(|u| u.usage_imei)
    }
}

/// The ledger's 0/1 flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerFlags {
    /// The line has an agreement.
    pub eip_exists: bool,
    /// An agreement exists, both IMEIs are present, and they differ.
    pub imei_mismatch: bool,
    /// The usage IMEI is empty.
    pub missing_usage_imei: bool,
    /// An agreement exists, usage records an agreement number, and they differ.
    pub eip_mismatch: bool,
    /// Step 2: imei mismatch, or missing usage IMEI, or a 5G line on
    /// company-owned equipment. Step 3: imei mismatch, or missing usage IMEI,
    /// or eip mismatch.
    pub upstream_friction_risk: bool,
}

/// `billing_agreement_type`: how the line is billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BillingAgreementType {
    /// No installment plan: `Month-to-month`.
    MonthToMonth,
    /// An EIP over this many months (> 0): `EIP-{n}mo`.
    Eip(u32),
}

impl fmt::Display for BillingAgreementType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BillingAgreementType::MonthToMonth => f.write_str("Month-to-month"),
            BillingAgreementType::Eip(months) => write!(f, "EIP-{months}mo"),
        }
    }
}

impl FromStr for BillingAgreementType {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "Month-to-month" {
            return Ok(BillingAgreementType::MonthToMonth);
        }
        s.strip_prefix("EIP-")
            .and_then(|rest| rest.strip_suffix("mo"))
            .and_then(|n| n.parse::<u32>().ok())
            .filter(|&n| n > 0)
            .map(BillingAgreementType::Eip)
            .ok_or_else(|| UnknownVariant {
                kind: "billing agreement type",
                value: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn billing_types_round_trip() {
        assert_eq!(BillingAgreementType::Eip(24).to_string(), "EIP-24mo");
        assert_eq!("EIP-36mo".parse(), Ok(BillingAgreementType::Eip(36)));
        assert_eq!(
            "Month-to-month".parse(),
            Ok(BillingAgreementType::MonthToMonth)
        );
        assert!("EIP-0mo".parse::<BillingAgreementType>().is_err());
    }
}
