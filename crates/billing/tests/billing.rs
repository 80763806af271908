//! Step 4 on hand-made ledger rows, with the expected types and value
//! counts written out.

#![allow(clippy::unwrap_used)] // fixtures are built from known-valid constants

use novawireless_billing::{apply, billing_agreement_type, BillingCounts, BillingError};
use novawireless_ledger::join;
use novawireless_model::{
    AgreementNumber, BillingAgreementType, Contract, Customer, CustomerId, EipAgreement, EipStatus,
    Imei, LedgerRow, Line, LineId, LineStatus, Msisdn, PaymentMethod, ProductType, YesNo,
};

fn customer(number: u64, contract_proxy: Contract) -> Customer {
    let customer_id = CustomerId::from_index(number - 1);
    Customer {
        customer_id,
        account_id: customer_id.account(),
        tenure_months: 30,
        monthly_charges: 80.5,
        paperless_billing: YesNo::No,
        payment_method: PaymentMethod::MailedCheck,
        contract_proxy,
        has_5g_home_internet: false,
        lines_on_account: 1,
        device_payment_plan: YesNo::Yes,
        device_term_months: 36,
        device_months_remaining: 3,
        device_monthly_payment: 25.0,
        online_security: YesNo::Yes,
        online_backup: YesNo::No,
        device_protection: YesNo::No,
        streaming_tv: YesNo::Yes,
        streaming_movies: YesNo::No,
        churn_risk_score: 0.1,
        trust_baseline: 75.0,
        patience: 0.6,
        is_churned: false,
        repeat_contacts_30d: 0,
        last_call_day_index: -1,
    }
}

fn line(number: u64, customer: u64, product_type: ProductType) -> Line {
    let customer_id = CustomerId::from_index(customer - 1);
    Line {
        line_id: LineId::from_index(number - 1),
        customer_id,
        account_id: customer_id.account(),
        msisdn: Msisdn::from_ordinal(number).unwrap(),
        product_type,
        status: LineStatus::Active,
        company_owned_equipment_flag: product_type == ProductType::HomeInternet5g,
        current_imei: Imei::from_body(2000 + number).unwrap(),
    }
}

fn agreement(line: &Line, installment_months: u32) -> EipAgreement {
    EipAgreement {
        agreement_number: AgreementNumber::new(7000 + line.line_id.number()).unwrap(),
        customer_id: line.customer_id,
        account_id: line.account_id,
        line_id: line.line_id,
        msisdn: line.msisdn,
        eip_imei: line.current_imei,
        product_type: line.product_type,
        eip_status: EipStatus::Active,
        installment_months,
    }
}

/// C1 (Two year): voice on a 24-month EIP, voice on a 36-month EIP, a 5G
/// gateway (0 months). C2 (Month-to-month): no lines. C3 (Month-to-month):
/// voice without agreement. C4 (One year): voice on a 24-month EIP, voice
/// without agreement.
fn fixture() -> Vec<LedgerRow> {
    let customers = vec![
        customer(1, Contract::TwoYear),
        customer(2, Contract::MonthToMonth),
        customer(3, Contract::MonthToMonth),
        customer(4, Contract::OneYear),
    ];
    let lines = vec![
        line(1, 1, ProductType::Voice),
        line(2, 1, ProductType::Voice),
        line(3, 1, ProductType::HomeInternet5g),
        line(4, 3, ProductType::Voice),
        line(5, 4, ProductType::Voice),
        line(6, 4, ProductType::Voice),
    ];
    let agreements = vec![
        agreement(&lines[0], 24),
        agreement(&lines[1], 36),
        agreement(&lines[2], 0),
        agreement(&lines[4], 24),
    ];
    join(&customers, &lines, &agreements, &[]).unwrap()
}

fn types(rows: &[LedgerRow]) -> Vec<String> {
    rows.iter()
        .map(|r| r.billing_agreement_type.unwrap().to_string())
        .collect()
}

#[test]
fn types_by_hand() {
    let mut rows = fixture();
    let counts = apply(&mut rows).unwrap();
    assert_eq!(
        types(&rows),
        [
            "EIP-24mo",
            "EIP-36mo",
            "Month-to-month",
            "Month-to-month",
            "EIP-24mo",
            "Month-to-month"
        ]
    );
    assert_eq!(
        counts.before.into_iter().collect::<Vec<_>>(),
        [
            (Contract::MonthToMonth, 1),
            (Contract::OneYear, 2),
            (Contract::TwoYear, 3)
        ]
    );
    assert_eq!(
        counts.after.into_iter().collect::<Vec<_>>(),
        [
            (BillingAgreementType::MonthToMonth, 3),
            (BillingAgreementType::Eip(24), 2),
            (BillingAgreementType::Eip(36), 1)
        ]
    );
}

#[test]
fn display_reads_like_pandas_value_counts() {
    let mut rows = fixture();
    let counts = apply(&mut rows).unwrap();
    let expected = "\
Before:
contract_proxy
Two year          3
One year          2
Month-to-month    1
Name: count, dtype: int64

After:
billing_agreement_type
Month-to-month    3
EIP-24mo          2
EIP-36mo          1
Name: count, dtype: int64
";
    assert_eq!(counts.to_string(), expected);
    let empty = "\
Before:
Series([], Name: count, dtype: int64)

After:
Series([], Name: count, dtype: int64)
";
    assert_eq!(BillingCounts::default().to_string(), empty);
}

#[test]
fn counts_add_across_chunks() {
    let mut whole = fixture();
    let all = apply(&mut whole).unwrap();
    let mut rows = fixture();
    let (a, b) = rows.split_at_mut(3);
    let sum = apply(a).unwrap() + apply(b).unwrap();
    assert_eq!(sum, all);
    assert_eq!(rows, whole);
    assert_eq!(sum.rows(), 6);
    let mut acc = BillingCounts::default();
    acc += all.clone();
    assert_eq!(
        [acc, BillingCounts::default()]
            .into_iter()
            .sum::<BillingCounts>(),
        all
    );
}

#[test]
fn an_eip_row_must_have_its_flag() {
    let mut rows = fixture();
    rows[4].flags.eip_exists = false;
    let clean = rows.clone();
    let err = apply(&mut rows).unwrap_err();
    assert_eq!(
        err,
        BillingError {
            row: 4,
            line_id: LineId::from_index(4),
            billing_agreement_type: BillingAgreementType::Eip(24)
        }
    );
    assert_eq!(
        err.to_string(),
        "ledger row 4: line LINE-000000005 is billed EIP-24mo but its eip_exists_flag is 0"
    );
    assert_eq!(rows, clean, "nothing changes on error");
}

#[test]
fn a_zero_month_agreement_is_month_to_month() {
    let rows = fixture();
    assert_eq!(
        billing_agreement_type(&rows[2]),
        BillingAgreementType::MonthToMonth
    );
    // A 5G row that lost its flag is still fine: it is not EIP-typed.
    let mut rows = fixture();
    rows[2].flags.eip_exists = false;
    assert!(apply(&mut rows).is_ok());
}
