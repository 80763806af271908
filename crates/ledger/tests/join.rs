//! The step-2 join and flags on hand-made rows, with the expected ledger
//! written out by hand.

#![allow(clippy::unwrap_used)] // fixtures are built from known-valid constants

use novawireless_ledger::{join, step2_flags, JoinError, Table};
use novawireless_model::{
    AgreementNumber, Contract, Customer, CustomerId, EipAgreement, EipStatus, Imei, LedgerFlags,
    Line, LineId, LineStatus, Msisdn, PaymentMethod, ProductType, SnapshotDate, UsageSnapshot,
    YesNo,
};

fn imei(body: u64) -> Imei {
    Imei::from_body(body).unwrap()
}

fn customer(number: u64, voice_lines: u32, has_5g: bool) -> Customer {
    let customer_id = CustomerId::from_index(number - 1);
    Customer {
        customer_id,
        account_id: customer_id.account(),
        tenure_months: 12,
        monthly_charges: 50.0,
        paperless_billing: YesNo::Yes,
        payment_method: PaymentMethod::CreditCard,
        contract_proxy: Contract::MonthToMonth,
        has_5g_home_internet: has_5g,
        lines_on_account: voice_lines,
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

/// Line `number` of customer `customer`; its device's IMEI body is `1000 + number`.
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
        current_imei: imei(1000 + number),
    }
}

fn agreement(line: &Line, installment_months: u32) -> EipAgreement {
    EipAgreement {
        agreement_number: AgreementNumber::new(5000 + line.line_id.number()).unwrap(),
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

fn usage(
    line: &Line,
    usage_imei: Option<Imei>,
    agreement: Option<AgreementNumber>,
) -> UsageSnapshot {
    UsageSnapshot {
        customer_id: line.customer_id,
        account_id: line.account_id,
        line_id: line.line_id,
        msisdn: line.msisdn,
        product_type: line.product_type,
        usage_imei,
        usage_snapshot_date: SnapshotDate::new(2026, 2, 22).unwrap(),
        imei_line_mismatch_flag: false,
        usage_eip_agreement_number: agreement,
    }
}

/// The flags in ledger column order: eip_exists, imei_mismatch,
/// missing_usage_imei, eip_mismatch, upstream_friction_risk.
fn flags(bits: [u8; 5]) -> LedgerFlags {
    LedgerFlags {
        eip_exists: bits[0] == 1,
        imei_mismatch: bits[1] == 1,
        missing_usage_imei: bits[2] == 1,
        eip_mismatch: bits[3] == 1,
        upstream_friction_risk: bits[4] == 1,
    }
}

struct Fixture {
    customers: Vec<Customer>,
    lines: Vec<Line>,
    agreements: Vec<EipAgreement>,
    usage: Vec<UsageSnapshot>,
}

/// C1: two voice lines, one financed; C2: no lines; C3: 5G only;
/// C4: one financed voice line whose usage shows another IMEI and another
/// agreement number; C5: a voice line without agreement using another IMEI,
/// a financed voice line whose IMEI was never captured, a line without usage.
fn fixture() -> Fixture {
    let customers = vec![
        customer(1, 2, false),
        customer(2, 0, false),
        customer(3, 0, true),
        customer(4, 1, false),
        customer(5, 3, false),
    ];
    let l1 = line(1, 1, ProductType::Voice);
    let l2 = line(2, 1, ProductType::Voice);
    let l3 = line(3, 3, ProductType::HomeInternet5g);
    let l4 = line(4, 4, ProductType::Voice);
    let l5 = line(5, 5, ProductType::Voice);
    let l6 = line(6, 5, ProductType::Voice);
    let l7 = line(7, 5, ProductType::Voice);
    let a1 = agreement(&l1, 24);
    let a3 = agreement(&l3, 0);
    let a4 = agreement(&l4, 36);
    let a6 = agreement(&l6, 30);
    let usage = vec![
        usage(&l1, Some(l1.current_imei), Some(a1.agreement_number)),
        usage(&l2, Some(l2.current_imei), None),
        usage(&l3, Some(l3.current_imei), Some(a3.agreement_number)),
        usage(&l4, Some(imei(999)), AgreementNumber::new(1)),
        usage(&l5, Some(imei(998)), None),
        usage(&l6, None, Some(a6.agreement_number)),
    ];
    Fixture {
        customers,
        lines: vec![l1, l2, l3, l4, l5, l6, l7],
        // Agreements in another order than lines: the join must not care.
        agreements: vec![a6, a4, a3, a1],
        usage,
    }
}

fn run(f: &Fixture) -> Result<Vec<novawireless_model::LedgerRow>, JoinError> {
    join(&f.customers, &f.lines, &f.agreements, &f.usage)
}

#[test]
fn one_row_per_line_with_its_customer_agreement_and_usage() {
    let f = fixture();
    let ledger = run(&f).unwrap();
    let summary: Vec<(String, String, Option<String>, Option<String>)> = ledger
        .iter()
        .map(|r| {
            (
                r.line.line_id.to_string(),
                r.customer.customer_id.to_string(),
                r.agreement.as_ref().map(|a| a.agreement_number.to_string()),
                r.usage_imei().map(|i| i.to_string()),
            )
        })
        .collect();
    let s = |x: &str| x.to_string();
    let expected = vec![
        (
            s("LINE-000000001"),
            s("C0000001"),
            Some(s("EIP-0000005001")),
            Some(imei(1001).to_string()),
        ),
        (
            s("LINE-000000002"),
            s("C0000001"),
            None,
            Some(imei(1002).to_string()),
        ),
        (
            s("LINE-000000003"),
            s("C0000003"),
            Some(s("EIP-0000005003")),
            Some(imei(1003).to_string()),
        ),
        (
            s("LINE-000000004"),
            s("C0000004"),
            Some(s("EIP-0000005004")),
            Some(imei(999).to_string()),
        ),
        (
            s("LINE-000000005"),
            s("C0000005"),
            None,
            Some(imei(998).to_string()),
        ),
        (
            s("LINE-000000006"),
            s("C0000005"),
            Some(s("EIP-0000005006")),
            None,
        ),
        (s("LINE-000000007"), s("C0000005"), None, None),
    ];
    assert_eq!(summary, expected);
    assert!(ledger
        .iter()
        .all(|r| r.line.customer_id == r.customer.customer_id));
    assert!(ledger.iter().all(|r| r.imei_anomaly_type.is_none()));
    assert!(ledger.iter().all(|r| r.billing_agreement_type.is_none()));
    assert!(ledger[6].usage.is_none());
}

#[test]
fn step2_flags_by_hand() {
    let ledger = run(&fixture()).unwrap();
    let got: Vec<LedgerFlags> = ledger.iter().map(|r| r.flags).collect();
    let expected = vec![
        flags([1, 0, 0, 0, 0]), // financed, usage matches
        flags([0, 0, 0, 0, 0]), // no agreement
        flags([1, 0, 0, 0, 1]), // 5G on company-owned equipment: upstream risk
        flags([1, 1, 0, 1, 1]), // other IMEI and other agreement number in usage
        flags([0, 0, 0, 0, 0]), // other IMEI, but nothing to compare it with
        flags([1, 0, 1, 0, 1]), // usage IMEI never captured
        flags([0, 0, 1, 0, 1]), // no usage row at all
    ];
    assert_eq!(got, expected);
    for row in &ledger {
        let again = step2_flags(&row.line, row.agreement.as_ref(), row.usage.as_ref());
        assert_eq!(again, row.flags);
    }
}

#[test]
fn a_5g_line_without_company_equipment_is_not_upstream_risky() {
    let mut l = line(1, 1, ProductType::HomeInternet5g);
    let u = usage(&l, Some(l.current_imei), None);
    assert!(step2_flags(&l, None, Some(&u)).upstream_friction_risk);
    l.company_owned_equipment_flag = false;
    assert_eq!(step2_flags(&l, None, Some(&u)), flags([0, 0, 0, 0, 0]));
}

#[test]
fn empty_input_gives_an_empty_ledger() {
    assert_eq!(join(&[], &[], &[], &[]), Ok(vec![]));
    let customers = vec![customer(1, 0, false)];
    assert_eq!(join(&customers, &[], &[], &[]), Ok(vec![]));
}

#[test]
fn duplicate_customer_id() {
    let mut f = fixture();
    f.customers.push(customer(3, 0, false));
    let err = run(&f).unwrap_err();
    assert_eq!(
        err,
        JoinError::DuplicateCustomerId {
            row: 5,
            customer_id: CustomerId::from_index(2),
            first_row: 2
        }
    );
    assert_eq!((err.table(), err.row()), (Table::Customers, 5));
    assert_eq!(
        err.to_string(),
        "customers row 5: duplicate customer_id C0000003 (first at row 2)"
    );
}

#[test]
fn duplicate_line_id() {
    let mut f = fixture();
    let mut again = line(2, 5, ProductType::Voice);
    again.msisdn = Msisdn::from_ordinal(77).unwrap();
    f.lines.insert(3, again);
    let err = run(&f).unwrap_err();
    assert_eq!(
        err,
        JoinError::DuplicateLineId {
            row: 3,
            line_id: LineId::from_index(1),
            first_row: 1
        }
    );
    assert_eq!((err.table(), err.row()), (Table::Lines, 3));
}

#[test]
fn line_of_unknown_customer() {
    let mut f = fixture();
    f.lines.push(line(8, 9, ProductType::Voice));
    let err = run(&f).unwrap_err();
    assert_eq!((err.table(), err.row()), (Table::Lines, 7));
    assert_eq!(
        err.to_string(),
        "lines row 7: line LINE-000000008 belongs to unknown customer C0000009 / account A0000009"
    );
}

#[test]
fn line_whose_account_is_not_its_customers() {
    let mut f = fixture();
    f.lines[1].account_id = CustomerId::from_index(3).account();
    let err = run(&f).unwrap_err();
    assert!(
        matches!(err, JoinError::UnknownCustomer { row: 1, .. }),
        "{err}"
    );
}

#[test]
fn second_agreement_for_a_line() {
    let mut f = fixture();
    let mut second = f.agreements[3].clone();
    second.agreement_number = AgreementNumber::new(42).unwrap();
    f.agreements.push(second);
    let err = run(&f).unwrap_err();
    assert_eq!(
        err,
        JoinError::DuplicateLineRow {
            table: Table::EipAgreements,
            row: 4,
            line_id: LineId::from_index(0),
            first_row: 3
        }
    );
}

#[test]
fn second_usage_row_for_a_line() {
    let mut f = fixture();
    let second = f.usage[0].clone();
    f.usage.push(second);
    let err = run(&f).unwrap_err();
    assert_eq!((err.table(), err.row()), (Table::Usage, 6));
    assert!(matches!(
        err,
        JoinError::DuplicateLineRow { first_row: 0, .. }
    ));
    assert_eq!(
        err.to_string(),
        "line_device_usage row 6: second row for line LINE-000000001 (first at row 0)"
    );
}

#[test]
fn agreement_of_an_unknown_line() {
    let mut f = fixture();
    f.agreements
        .push(agreement(&line(9, 1, ProductType::Voice), 24));
    let err = run(&f).unwrap_err();
    assert_eq!((err.table(), err.row()), (Table::EipAgreements, 4));
    assert!(matches!(err, JoinError::UnknownLine { .. }));
}

#[test]
fn usage_whose_keys_do_not_match_its_line() {
    let mut f = fixture();
    f.usage[2].msisdn = Msisdn::from_ordinal(12_345).unwrap();
    let err = run(&f).unwrap_err();
    assert_eq!((err.table(), err.row()), (Table::Usage, 2));
    assert!(matches!(err, JoinError::UnknownLine { .. }));

    let mut f = fixture();
    f.usage[0].customer_id = CustomerId::from_index(1);
    let err = run(&f).unwrap_err();
    assert_eq!((err.table(), err.row()), (Table::Usage, 0));
}

#[test]
fn sparse_ids_join_like_dense_ones() {
    let mut f = fixture();
    // A line far away from the others forces the hash-map index.
    let mut far = line(7, 5, ProductType::Voice);
    far.line_id = LineId::from_index(10_000_000_000);
    f.lines[6] = far;
    let ledger = run(&f).unwrap();
    assert_eq!(ledger[6].line.line_id.to_string(), "LINE-10000000001");
    assert_eq!(ledger[5].flags, flags([1, 0, 1, 0, 1]));
}
