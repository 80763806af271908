//! Row structs, one per table. Field order is the CSV column order.

use crate::{
    AccountId, AgreementNumber, Contract, CustomerId, DeviceCategory, DeviceId, EipStatus, Imei,
    LineId, LineStatus, Msisdn, PaymentMethod, ProductType, YesNo,
};

/// One row of `customers.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Customer {
    /// `C0000001…`
    pub customer_id: CustomerId,
    /// `A0000001…`, one account per customer.
    pub account_id: AccountId,
    /// Whole months with the carrier, 0–72.
    pub tenure_months: u32,
    /// Monthly bill in dollars, 20–120, rounded to cents.
    pub monthly_charges: f64,
    /// Paperless billing.
    pub paperless_billing: YesNo,
    /// How the bill is paid.
    pub payment_method: PaymentMethod,
    /// The IBM source data's contract; replaced by `billing_agreement_type` in the ledger.
    pub contract_proxy: Contract,
    /// Whether the customer has 5G Home Internet (`internet_service` is then
    /// `5G Home Internet`, else `No`).
    pub has_5g_home_internet: bool,
    /// Number of voice lines, 0–5.
    pub lines_on_account: u32,
    /// Whether the customer finances a device.
    pub device_payment_plan: YesNo,
    /// 0 without a plan, else 24, 30 or 36.
    pub device_term_months: u32,
    /// 0 without a plan, else 1…term.
    pub device_months_remaining: u32,
    /// 0 without a plan, else 10–55 dollars, rounded to cents.
    pub device_monthly_payment: f64,
    /// Add-on: online security.
    pub online_security: YesNo,
    /// Add-on: online backup.
    pub online_backup: YesNo,
    /// Add-on: device protection.
    pub device_protection: YesNo,
    /// Add-on: streaming TV.
    pub streaming_tv: YesNo,
    /// Add-on: streaming movies.
    pub streaming_movies: YesNo,
    /// Per-customer churn probability in [0.01, 0.95], 6 decimals.
    pub churn_risk_score: f64,
    /// Latent trust on a 0–100 scale, in [5, 98], 6 decimals.
    pub trust_baseline: f64,
    /// Latent patience in [0.02, 0.98], 6 decimals.
    pub patience: f64,
    /// Bernoulli(churn_risk_score).
    pub is_churned: bool,
    /// Placeholder the call generator updates: 0.
    pub repeat_contacts_30d: u32,
    /// Placeholder the call generator updates: −1.
    pub last_call_day_index: i32,
}

impl Customer {
    /// The `internet_service` column.
    pub const fn internet_service(&self) -> &'static str {
        if self.has_5g_home_internet {
            "5G Home Internet"
        } else {
            "No"
        }
    }

    /// Voice lines plus the 5G Home Internet line, if any.
    pub const fn total_lines(&self) -> u32 {
        self.lines_on_account + self.has_5g_home_internet as u32
    }
}

/// One row of `lines.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// `LINE-000000001…` in customer order.
    pub line_id: LineId,
    /// The owning customer.
    pub customer_id: CustomerId,
    /// The owning account.
    pub account_id: AccountId,
    /// The line's phone number, unique across the base.
    pub msisdn: Msisdn,
    /// Voice or 5G Home Internet.
    pub product_type: ProductType,
    /// Active or suspended.
    pub status: LineStatus,
    /// 1 for 5G lines (company-owned gateway), else 0.
    pub company_owned_equipment_flag: bool,
    /// IMEI of the device the line holds.
    pub current_imei: Imei,
}

/// One row of `devices.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Device {
    /// `DEV-000000001…`
    pub device_id: DeviceId,
    /// Unique across the base.
    pub imei: Imei,
    /// Handset or 5G gateway.
    pub device_category: DeviceCategory,
}

/// One row of `eip_agreements.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EipAgreement {
    /// `EIP-` and 10 digits, unique.
    pub agreement_number: AgreementNumber,
    /// The customer.
    pub customer_id: CustomerId,
    /// The account.
    pub account_id: AccountId,
    /// The financed line.
    pub line_id: LineId,
    /// The line's number.
    pub msisdn: Msisdn,
    /// IMEI of the financed device (the line's current IMEI).
    pub eip_imei: Imei,
    /// The line's kind.
    pub product_type: ProductType,
    /// Active or closed.
    pub eip_status: EipStatus,
    /// 24, 30 or 36 for handsets; 0 for company-owned gateways.
    pub installment_months: u32,
}

/// One row of `line_device_usage.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageSnapshot {
    /// The customer.
    pub customer_id: CustomerId,
    /// The account.
    pub account_id: AccountId,
    /// The line.
    pub line_id: LineId,
    /// The line's number.
    pub msisdn: Msisdn,
    /// The line's kind.
    pub product_type: ProductType,
    /// IMEI seen on the network; `None` when never captured.
    pub usage_imei: Option<Imei>,
    /// Date of the snapshot, `YYYY-MM-DD`.
    pub usage_snapshot_date: SnapshotDate,
    /// 1 when the usage IMEI was injected from another line at generation time.
    pub imei_line_mismatch_flag: bool,
    /// The agreement number usage records for the line, if any.
    pub usage_eip_agreement_number: Option<AgreementNumber>,
}

/// A calendar date, printed `YYYY-MM-DD`. Only valid dates can exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SnapshotDate {
    year: u16,
    month: u8,
    day: u8,
}

/// A text that is not a valid `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a valid YYYY-MM-DD date")]
pub struct DateError(pub String);

impl SnapshotDate {
    /// The year.
    pub const fn year(self) -> u16 {
        self.year
    }

    /// The month, 1–12.
    pub const fn month(self) -> u8 {
        self.month
    }

    /// The day of the month.
    pub const fn day(self) -> u8 {
        self.day
    }

    /// The date, if it exists in the Gregorian calendar (years 1–9999).
    pub const fn new(year: u16, month: u8, day: u8) -> Option<Self> {
        if year == 0 || year > 9999 || month == 0 || month > 12 || day == 0 {
            return None;
        }
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            2 if leap => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day > days {
            return None;
        }
        Some(SnapshotDate { year, month, day })
    }
}

impl std::fmt::Display for SnapshotDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for SnapshotDate {
    type Err = DateError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b[4] == b'-'
            && b[7] == b'-'
            && b.iter()
                .enumerate()
                .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
        let parsed = shaped
            .then(|| {
                let year = s[0..4].parse().ok()?;
                let month = s[5..7].parse().ok()?;
                let day = s[8..10].parse().ok()?;
                SnapshotDate::new(year, month, day)
            })
            .flatten();
        parsed.ok_or_else(|| DateError(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_only_when_real() {
        assert_eq!(
            "2026-02-22".parse::<SnapshotDate>().unwrap().to_string(),
            "2026-02-22"
        );
        assert!("2024-02-29".parse::<SnapshotDate>().is_ok());
        for bad in [
            "2026-02-30",
            "2025-02-29",
            "26-2-22",
            "2026-13-01",
            "2026-00-10",
            "2026/02/22",
            "",
        ] {
            assert!(bad.parse::<SnapshotDate>().is_err(), "{bad}");
        }
    }
}
