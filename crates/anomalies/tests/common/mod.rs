//! Hand-made step-1 rows and their step-2 ledger.

#![allow(dead_code, clippy::unwrap_used)] // each test file uses part of the fixtures

use novawireless_model::{
    AgreementNumber, Contract, Customer, CustomerId, EipAgreement, EipStatus, Imei, LedgerFlags,
    LedgerRow, Line, LineId, LineStatus, Msisdn, PaymentMethod, ProductType, SnapshotDate,
    UsageSnapshot, YesNo,
};

pub fn imei(body: u64) -> Imei {
    Imei::from_body(body).unwrap()
}

/// The IMEI of line `number`'s device.
pub fn device_imei(number: u64) -> Imei {
    imei(1000 + number)
}

/// One line of a hand-made account.
#[derive(Clone, Copy)]
pub struct Spec {
    /// Line number (its id is `LINE-{number}`).
    pub number: u64,
    pub product_type: ProductType,
    /// Installment months when the line has an agreement.
    pub agreement: Option<u32>,
    /// `None`: no usage row. `Some(None)`: usage without IMEI.
    pub usage_imei: Option<Option<Imei>>,
    /// Usage records another agreement number than the line's.
    pub other_agreement_in_usage: bool,
}

/// A voice line with an agreement and its own IMEI in usage.
pub fn financed(number: u64) -> Spec {
    Spec {
        number,
        product_type: ProductType::Voice,
        agreement: Some(24),
        usage_imei: Some(Some(device_imei(number))),
        other_agreement_in_usage: false,
    }
}

/// A voice line without agreement and its own IMEI in usage.
pub fn unfinanced(number: u64) -> Spec {
    Spec {
        agreement: None,
        ..financed(number)
    }
}

/// A 5G line: company-owned gateway, agreement of 0 months.
pub fn home_internet(number: u64) -> Spec {
    Spec {
        product_type: ProductType::HomeInternet5g,
        agreement: Some(0),
        ..financed(number)
    }
}

pub fn customer(number: u64) -> Customer {
    let customer_id = CustomerId::from_index(number - 1);
    Customer {
        customer_id,
        account_id: customer_id.account(),
        tenure_months: 12,
        monthly_charges: 50.0,
        paperless_billing: YesNo::Yes,
        payment_method: PaymentMethod::CreditCard,
        contract_proxy: Contract::MonthToMonth,
        has_5g_home_internet: false,
        lines_on_account: 0,
        device_payment_plan: YesNo::Yes,
        device_term_months: 24,
        device_months_remaining: 10,
        device_monthly_payment: 20.0,
        online_security: YesNo::No,
        online_backup: YesNo::No,
        device_protection: YesNo::No,
        streaming_tv: YesNo::No,
        streaming_movies: YesNo::No,
        churn_risk_score: 0.2,
        trust_baseline: 70.0,
        patience: 0.5,
        is_churned: false,
        repeat_contacts_30d: 0,
        last_call_day_index: -1,
    }
}

/// The step-2 ledger of `accounts`: (customer number, its lines).
pub fn ledger(accounts: &[(u64, Vec<Spec>)]) -> Vec<LedgerRow> {
    let (mut customers, mut lines, mut agreements, mut usage) = (vec![], vec![], vec![], vec![]);
    for (number, specs) in accounts {
        let mut c = customer(*number);
        for spec in specs {
            let voice = spec.product_type == ProductType::Voice;
            c.lines_on_account += u32::from(voice);
            c.has_5g_home_internet |= !voice;
            let line = Line {
                line_id: LineId::from_index(spec.number - 1),
                customer_id: c.customer_id,
                account_id: c.account_id,
                msisdn: Msisdn::from_ordinal(spec.number).unwrap(),
                product_type: spec.product_type,
                status: LineStatus::Active,
                company_owned_equipment_flag: !voice,
                current_imei: device_imei(spec.number),
            };
            let agreement = spec.agreement.map(|months| EipAgreement {
                agreement_number: AgreementNumber::new(5000 + spec.number).unwrap(),
                customer_id: line.customer_id,
                account_id: line.account_id,
                line_id: line.line_id,
                msisdn: line.msisdn,
                eip_imei: line.current_imei,
                product_type: line.product_type,
                eip_status: EipStatus::Active,
                installment_months: months,
            });
            if let Some(usage_imei) = spec.usage_imei {
                let recorded = if spec.other_agreement_in_usage {
                    AgreementNumber::new(1)
                } else {
                    agreement.as_ref().map(|a| a.agreement_number)
                };
                usage.push(UsageSnapshot {
                    customer_id: line.customer_id,
                    account_id: line.account_id,
                    line_id: line.line_id,
                    msisdn: line.msisdn,
                    product_type: line.product_type,
                    usage_imei,
                    usage_snapshot_date: SnapshotDate::new(2026, 2, 22).unwrap(),
                    imei_line_mismatch_flag: false,
                    usage_eip_agreement_number: recorded,
                });
            }
            agreements.extend(agreement);
            lines.push(line);
        }
        customers.push(c);
    }
    novawireless_ledger::join(&customers, &lines, &agreements, &usage).unwrap()
}

/// The flags in ledger column order: eip_exists, imei_mismatch,
/// missing_usage_imei, eip_mismatch, upstream_friction_risk.
pub fn flags(bits: [u8; 5]) -> LedgerFlags {
    LedgerFlags {
        eip_exists: bits[0] == 1,
        imei_mismatch: bits[1] == 1,
        missing_usage_imei: bits[2] == 1,
        eip_mismatch: bits[3] == 1,
        upstream_friction_risk: bits[4] == 1,
    }
}

pub fn usage_imeis(rows: &[LedgerRow]) -> Vec<Option<Imei>> {
    rows.iter().map(LedgerRow::usage_imei).collect()
}

pub fn all_flags(rows: &[LedgerRow]) -> Vec<LedgerFlags> {
    rows.iter().map(|r| r.flags).collect()
}
