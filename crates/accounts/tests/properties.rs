//! Property tests of step 1 (README, *Files* and *Scale and sharding* (determinism)) over small generated
//! populations: arbitrary size, seed and graph parameters.
//!
//! Every property generates a whole population and checks an invariant that
//! must hold for every customer, line, device, agreement and usage row. The
//! checks are written against the spec, not against the generator's code
//! (IMEIs, for instance, are validated with an independent Luhn check on the
//! printed digits).

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_accounts::{
    devices_through, AccountChunk, AccountGenerator, CustomerRange, GraphParams, MAX_VOICE_LINES,
};
use novawireless_model::{
    AgreementNumber, Contract, Customer, DeviceCategory, DeviceId, EipAgreement, Imei, Line,
    LineId, LineStatus, ProductType, SnapshotDate, UsageSnapshot,
};
use novawireless_sampler::Baseline;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use std::collections::{HashMap, HashSet};

// ---------------------------------------------------------------------------
// Strategies and generation helpers
// ---------------------------------------------------------------------------

/// A probability in [0, 1], with the two boundaries drawn often: they are the
/// values where "never" and "always" rules become exactly checkable.
fn probability() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        1 => Just(1.0),
        4 => 0.0..=1.0f64,
    ]
}

fn snapshot_date() -> impl Strategy<Value = SnapshotDate> {
    (1u16..=9999, 1u8..=12, 1u8..=28)
        .prop_map(|(y, m, d)| SnapshotDate::new(y, m, d).expect("day <= 28 is always valid"))
}

fn graph_params() -> impl Strategy<Value = GraphParams> {
    (probability(), probability(), probability(), snapshot_date()).prop_map(
        |(plan, mismatch, attach, date)| GraphParams {
            month_to_month_plan_rate: plan,
            p_inject_eip_usage_mismatch: mismatch,
            p_voice_eip_attach_if_plan: attach,
            usage_snapshot_date: date,
        },
    )
}

/// A small population: (customers, seed, parameters). Tiny populations are
/// drawn often: they hold the edge cases (no line at all, a single piece).
fn population() -> impl Strategy<Value = (u64, u64, GraphParams)> {
    let size = prop_oneof![1 => 1u64..4, 3 => 1u64..300];
    (size, any::<u64>(), graph_params())
}

fn generator(n: u64, seed: u64, params: &GraphParams) -> AccountGenerator {
    AccountGenerator::new(&Baseline::embedded(), params.clone(), seed, n).unwrap()
}

fn generate_all(n: u64, seed: u64, params: &GraphParams) -> AccountChunk {
    generator(n, seed, params).generate_range(CustomerRange::new(0, n))
}

/// The lines of each customer, in customer order. Fails unless the lines are
/// exactly the customers' lines, contiguous and in customer order.
fn lines_by_customer(chunk: &AccountChunk) -> Result<Vec<(&Customer, &[Line])>, TestCaseError> {
    let mut out = Vec::with_capacity(chunk.customers.len());
    let mut cursor = 0usize;
    for customer in &chunk.customers {
        let count = customer.lines_on_account as usize + usize::from(customer.has_5g_home_internet);
        prop_assert!(
            cursor + count <= chunk.lines.len(),
            "{} needs {} lines but only {} remain",
            customer.customer_id,
            count,
            chunk.lines.len() - cursor
        );
        let lines = &chunk.lines[cursor..cursor + count];
        for line in lines {
            prop_assert_eq!(line.customer_id, customer.customer_id);
            prop_assert_eq!(line.account_id, customer.account_id);
        }
        out.push((customer, lines));
        cursor += count;
    }
    prop_assert_eq!(
        cursor,
        chunk.lines.len(),
        "lines left over after the last customer"
    );
    Ok(out)
}

/// Agreements keyed by line id; fails when a line has two agreements.
fn agreements_by_line(
    chunk: &AccountChunk,
) -> Result<HashMap<LineId, &EipAgreement>, TestCaseError> {
    let mut map = HashMap::new();
    for agreement in &chunk.agreements {
        let previous = map.insert(agreement.line_id, agreement);
        prop_assert!(
            previous.is_none(),
            "{} has two agreements",
            agreement.line_id
        );
    }
    Ok(map)
}

// ---------------------------------------------------------------------------
// Independent checks of formats
// ---------------------------------------------------------------------------

/// The textbook Luhn validation of a digit string: from the right, every
/// second digit (starting with the one left of the check digit) is doubled.
fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let doubled = 2 * d;
                if doubled > 9 {
                    doubled - 9
                } else {
                    doubled
                }
            } else {
                d
            }
        })
        .sum();
    // (`u32::is_multiple_of` is newer than the workspace's rust-version.)
    let remainder = sum % 10;
    remainder == 0
}

fn check_imei(imei: &Imei, what: &str) -> Result<(), TestCaseError> {
    let text = imei.to_string();
    prop_assert!(
        text.len() == 15 && text.bytes().all(|b| b.is_ascii_digit()),
        "{} IMEI {:?} is not 15 digits",
        what,
        text
    );
    prop_assert!(luhn_valid(&text), "{} IMEI {} fails Luhn", what, text);
    Ok(())
}

/// Whether `x` has at most `decimals` decimal places (up to float noise).
fn has_at_most_decimals(x: f64, decimals: i32) -> bool {
    let scaled = x * 10f64.powi(decimals);
    (scaled - scaled.round()).abs() < 1e-6
}

/// floor(1.15 × lines) in exact integer arithmetic (1.15 × 20 in floating
/// point is 22.999…, which would floor to the wrong count).
fn expected_devices(lines: usize) -> usize {
    (lines * 115 / 100).max(1)
}

fn check_in_range(value: f64, low: f64, high: f64, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        (low..=high).contains(&value),
        "{} = {} outside [{}, {}]",
        what,
        value,
        low,
        high
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Per-table checks
// ---------------------------------------------------------------------------

fn check_customer(c: &Customer, params: &GraphParams) -> Result<(), TestCaseError> {
    let id = c.customer_id;
    check_in_range(
        c.churn_risk_score,
        0.01,
        0.95,
        &format!("{id} churn_risk_score"),
    )?;
    check_in_range(c.trust_baseline, 5.0, 98.0, &format!("{id} trust_baseline"))?;
    check_in_range(c.patience, 0.02, 0.98, &format!("{id} patience"))?;
    for (value, what) in [
        (c.churn_risk_score, "churn_risk_score"),
        (c.trust_baseline, "trust_baseline"),
        (c.patience, "patience"),
    ] {
        prop_assert!(
            has_at_most_decimals(value, 6),
            "{} {} = {} has more than 6 decimals",
            id,
            what,
            value
        );
    }
    prop_assert!(c.tenure_months <= 72, "{} tenure {}", id, c.tenure_months);
    check_in_range(
        c.monthly_charges,
        20.0,
        120.0,
        &format!("{id} monthly_charges"),
    )?;
    prop_assert!(
        has_at_most_decimals(c.monthly_charges, 2),
        "{} monthly_charges {} has more than 2 decimals",
        id,
        c.monthly_charges
    );
    prop_assert!(
        c.lines_on_account <= MAX_VOICE_LINES && MAX_VOICE_LINES == 5,
        "{} has {} voice lines",
        id,
        c.lines_on_account
    );
    prop_assert_eq!(c.repeat_contacts_30d, 0);
    prop_assert_eq!(c.last_call_day_index, -1);
    prop_assert_eq!(
        c.internet_service(),
        if c.has_5g_home_internet {
            "5G Home Internet"
        } else {
            "No"
        }
    );

    // Device payment plan rules.
    let plan = c.device_payment_plan.is_yes();
    match c.contract_proxy {
        Contract::OneYear | Contract::TwoYear => {
            prop_assert!(
                plan,
                "{} has a {} contract but no plan",
                id,
                c.contract_proxy
            );
        }
        Contract::MonthToMonth => {
            if params.month_to_month_plan_rate == 0.0 {
                prop_assert!(!plan, "{} has a plan at month_to_month_plan_rate 0", id);
            }
            if params.month_to_month_plan_rate == 1.0 {
                prop_assert!(plan, "{} has no plan at month_to_month_plan_rate 1", id);
            }
        }
    }
    if plan {
        let term = c.device_term_months;
        prop_assert!([24, 30, 36].contains(&term), "{} plan term {}", id, term);
        prop_assert!(
            (1..=term).contains(&c.device_months_remaining),
            "{} months remaining {} with term {}",
            id,
            c.device_months_remaining,
            term
        );
        check_in_range(
            c.device_monthly_payment,
            10.0,
            55.0,
            &format!("{id} device_monthly_payment"),
        )?;
        prop_assert!(
            has_at_most_decimals(c.device_monthly_payment, 2),
            "{} device_monthly_payment {} has more than 2 decimals",
            id,
            c.device_monthly_payment
        );
    } else {
        prop_assert_eq!(c.device_term_months, 0, "{} term without a plan", id);
        prop_assert_eq!(
            c.device_months_remaining,
            0,
            "{} remaining without a plan",
            id
        );
        prop_assert_eq!(
            c.device_monthly_payment,
            0.0,
            "{} payment without a plan",
            id
        );
    }
    Ok(())
}

/// Voice lines first, then the 5G line; kinds carry the right flags.
fn check_line_kinds(c: &Customer, lines: &[Line]) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        lines.len() as u32,
        c.lines_on_account + u32::from(c.has_5g_home_internet),
        "{} line count",
        c.customer_id
    );
    for (k, line) in lines.iter().enumerate() {
        let expected = if (k as u32) < c.lines_on_account {
            ProductType::Voice
        } else {
            ProductType::HomeInternet5g
        };
        prop_assert_eq!(line.product_type, expected, "{} line {}", c.customer_id, k);
        match line.product_type {
            ProductType::Voice => prop_assert!(!line.company_owned_equipment_flag),
            ProductType::HomeInternet5g => {
                prop_assert!(line.company_owned_equipment_flag);
                prop_assert_eq!(line.status, LineStatus::Active, "5G lines are active");
            }
        }
    }
    Ok(())
}

fn check_msisdn_format(line: &Line) -> Result<(), TestCaseError> {
    let text = line.msisdn.to_string();
    prop_assert!(
        text.len() == 10 && text.bytes().all(|b| b.is_ascii_digit()),
        "MSISDN {:?} is not 10 digits",
        text
    );
    let npa: u32 = text[0..3].parse().expect("digits");
    let nxx: u32 = text[3..6].parse().expect("digits");
    prop_assert!(
        (200..=998).contains(&npa) && (200..=998).contains(&nxx),
        "MSISDN {} has NPA {} / NXX {} outside 200-998",
        text,
        npa,
        nxx
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Whole-population checks
// ---------------------------------------------------------------------------

/// Customer columns: bounds, rounding and the device-plan rules.
fn check_customers(
    chunk: &AccountChunk,
    n: u64,
    params: &GraphParams,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(chunk.customers.len() as u64, n);
    for c in &chunk.customers {
        check_customer(c, params)?;
    }
    Ok(())
}

/// Ids are sequential: C/A by customer, LINE- in customer order, DEV- by
/// inventory position, with the spec's widths.
fn check_ids_are_sequential(chunk: &AccountChunk) -> Result<(), TestCaseError> {
    for (i, c) in chunk.customers.iter().enumerate() {
        prop_assert_eq!(c.customer_id.to_string(), format!("C{:07}", i + 1));
        prop_assert_eq!(c.account_id.to_string(), format!("A{:07}", i + 1));
    }
    for (j, line) in chunk.lines.iter().enumerate() {
        prop_assert_eq!(line.line_id.to_string(), format!("LINE-{:09}", j + 1));
    }
    for (k, device) in chunk.devices.iter().enumerate() {
        prop_assert_eq!(device.device_id, DeviceId::from_index(k as u64));
        prop_assert_eq!(device.device_id.to_string(), format!("DEV-{:09}", k + 1));
    }
    Ok(())
}

/// Per customer: lines_on_account voice lines, then the 5G line if any.
fn check_lines_follow_the_customer_shape(chunk: &AccountChunk) -> Result<(), TestCaseError> {
    for (c, lines) in lines_by_customer(chunk)? {
        check_line_kinds(c, lines)?;
    }
    Ok(())
}

/// Every IMEI anywhere is 15 Luhn-valid digits; MSISDNs and agreement
/// numbers are well formed; MSISDNs, device IMEIs and agreement numbers are
/// unique.
fn check_identifiers_are_valid_and_unique(chunk: &AccountChunk) -> Result<(), TestCaseError> {
    for d in &chunk.devices {
        check_imei(&d.imei, "device")?;
    }
    for line in &chunk.lines {
        check_imei(&line.current_imei, "line")?;
        check_msisdn_format(line)?;
    }
    for a in &chunk.agreements {
        check_imei(&a.eip_imei, "agreement")?;
        let text = a.agreement_number.to_string();
        prop_assert!(
            text.len() == 14
                && text.starts_with("EIP-")
                && text[4..].bytes().all(|b| b.is_ascii_digit()),
            "agreement number {:?}",
            text
        );
    }
    for u in &chunk.usage {
        if let Some(imei) = &u.usage_imei {
            check_imei(imei, "usage")?;
        }
    }
    let msisdns: HashSet<_> = chunk.lines.iter().map(|l| l.msisdn).collect();
    prop_assert_eq!(msisdns.len(), chunk.lines.len(), "duplicate MSISDN");
    let imeis: HashSet<_> = chunk.devices.iter().map(|d| d.imei).collect();
    prop_assert_eq!(imeis.len(), chunk.devices.len(), "duplicate device IMEI");
    let numbers: HashSet<_> = chunk
        .agreements
        .iter()
        .map(|a| a.agreement_number)
        .collect();
    prop_assert_eq!(
        numbers.len(),
        chunk.agreements.len(),
        "duplicate agreement number"
    );
    Ok(())
}

/// The inventory holds max(1, floor(1.15 × lines)) devices; every line holds
/// its own device of the matching category.
fn check_every_line_holds_its_own_device(chunk: &AccountChunk) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        chunk.devices.len(),
        expected_devices(chunk.lines.len()),
        "devices for {} lines",
        chunk.lines.len()
    );
    let by_imei: HashMap<Imei, DeviceCategory> = chunk
        .devices
        .iter()
        .map(|d| (d.imei, d.device_category))
        .collect();
    let mut held = HashSet::new();
    for line in &chunk.lines {
        let category = by_imei.get(&line.current_imei);
        prop_assert!(
            category.is_some(),
            "{} holds IMEI {} that is not in the inventory",
            line.line_id,
            line.current_imei
        );
        prop_assert_eq!(
            category.copied(),
            Some(line.product_type.device_category()),
            "{} ({}) holds a device of the wrong category",
            line.line_id,
            line.product_type
        );
        prop_assert!(
            held.insert(line.current_imei),
            "{} shares IMEI {} with another line",
            line.line_id,
            line.current_imei
        );
    }
    Ok(())
}

/// Agreements: one per 5G line (0 months); voice agreements only for
/// customers with a plan (24/30/36 months); fields copied from the line.
fn check_agreements(chunk: &AccountChunk, params: &GraphParams) -> Result<(), TestCaseError> {
    let by_line = agreements_by_line(chunk)?;
    for pair in chunk.agreements.windows(2) {
        prop_assert!(
            pair[0].line_id < pair[1].line_id,
            "agreements out of line order"
        );
    }
    let line_ids: HashSet<LineId> = chunk.lines.iter().map(|l| l.line_id).collect();
    for a in &chunk.agreements {
        prop_assert!(
            line_ids.contains(&a.line_id),
            "agreement on unknown {}",
            a.line_id
        );
    }
    for (c, lines) in lines_by_customer(chunk)? {
        let plan = c.device_payment_plan.is_yes();
        for line in lines {
            let agreement = by_line.get(&line.line_id);
            match line.product_type {
                ProductType::HomeInternet5g => {
                    prop_assert!(agreement.is_some(), "5G {} has no agreement", line.line_id);
                    prop_assert_eq!(agreement.map(|a| a.installment_months), Some(0));
                }
                ProductType::Voice => {
                    if !plan {
                        prop_assert!(
                            agreement.is_none(),
                            "voice {} of {} without a plan has an agreement",
                            line.line_id,
                            c.customer_id
                        );
                    }
                    if plan && params.p_voice_eip_attach_if_plan == 1.0 {
                        prop_assert!(agreement.is_some(), "attach rate 1 but no agreement");
                    }
                    if params.p_voice_eip_attach_if_plan == 0.0 {
                        prop_assert!(agreement.is_none(), "attach rate 0 but an agreement");
                    }
                    if let Some(a) = agreement {
                        prop_assert!(
                            [24, 30, 36].contains(&a.installment_months),
                            "voice agreement of {} months",
                            a.installment_months
                        );
                    }
                }
            }
            if let Some(a) = agreement {
                prop_assert_eq!(a.customer_id, line.customer_id);
                prop_assert_eq!(a.account_id, line.account_id);
                prop_assert_eq!(a.msisdn, line.msisdn);
                prop_assert_eq!(a.eip_imei, line.current_imei);
                prop_assert_eq!(a.product_type, line.product_type);
            }
        }
    }
    Ok(())
}

/// Usage: one row per line copying its keys; the usage IMEI is the line's own
/// unless flagged, and a flagged row carries another line's IMEI of the same
/// customer and belongs to a line with an agreement.
fn check_usage(chunk: &AccountChunk, params: &GraphParams) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        chunk.usage.len(),
        chunk.lines.len(),
        "one usage row per line"
    );
    let by_line = agreements_by_line(chunk)?;
    let mut usage_rows = chunk.usage.iter();
    for (c, lines) in lines_by_customer(chunk)? {
        for line in lines {
            let u: &UsageSnapshot = usage_rows.next().expect("as many usage rows as lines");
            prop_assert_eq!(u.line_id, line.line_id, "usage out of line order");
            prop_assert_eq!(u.customer_id, line.customer_id);
            prop_assert_eq!(u.account_id, line.account_id);
            prop_assert_eq!(u.msisdn, line.msisdn);
            prop_assert_eq!(u.product_type, line.product_type);
            prop_assert_eq!(u.usage_snapshot_date, params.usage_snapshot_date);
            let agreement = by_line.get(&line.line_id);
            prop_assert_eq!(
                u.usage_eip_agreement_number,
                agreement.map(|a| a.agreement_number),
                "{} usage agreement number",
                line.line_id
            );
            if u.imei_line_mismatch_flag {
                prop_assert!(
                    agreement.is_some(),
                    "{} is flagged without an agreement",
                    line.line_id
                );
                prop_assert!(params.p_inject_eip_usage_mismatch > 0.0, "flag at p = 0");
                let donor = lines
                    .iter()
                    .find(|other| Some(other.current_imei) == u.usage_imei);
                prop_assert!(
                    donor.is_some_and(|d| d.line_id != line.line_id),
                    "{} of {} is flagged but its usage IMEI is not another line's of the customer",
                    line.line_id,
                    c.customer_id
                );
            } else {
                prop_assert_eq!(
                    u.usage_imei,
                    Some(line.current_imei),
                    "{} usage IMEI",
                    line.line_id
                );
            }
            if params.p_inject_eip_usage_mismatch == 1.0 && agreement.is_some() && lines.len() > 1 {
                prop_assert!(
                    u.imei_line_mismatch_flag,
                    "p = 1 but {} not flagged",
                    line.line_id
                );
            }
        }
    }
    Ok(())
}

/// Generates `range` alone, as a shard would.
fn generate_piece(generator: &AccountGenerator, range: CustomerRange) -> AccountChunk {
    generator.generate(generator.partition(range))
}

/// Concatenates the pieces generated for consecutive `ranges`.
fn generate_pieces(
    generator: &AccountGenerator,
    ranges: impl IntoIterator<Item = CustomerRange>,
) -> AccountChunk {
    let mut joined = AccountChunk::default();
    for range in ranges {
        joined.append(generate_piece(generator, range));
    }
    joined
}

fn check_same_chunk(
    joined: &AccountChunk,
    whole: &AccountChunk,
    how: &str,
) -> Result<(), TestCaseError> {
    prop_assert_eq!(
        &joined.customers,
        &whole.customers,
        "customers differ ({})",
        how
    );
    prop_assert_eq!(&joined.lines, &whole.lines, "lines differ ({})", how);
    prop_assert_eq!(&joined.devices, &whole.devices, "devices differ ({})", how);
    prop_assert_eq!(
        &joined.agreements,
        &whole.agreements,
        "agreements differ ({})",
        how
    );
    prop_assert_eq!(&joined.usage, &whole.usage, "usage differs ({})", how);
    Ok(())
}

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

// Building a generator solves the churn intercept (about 0.1 s), so each
// property generates one population per case and runs every check on it.
proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Every table of every generated population satisfies the spec.
    #[test]
    fn every_population_satisfies_the_spec((n, seed, params) in population()) {
        let chunk = generate_all(n, seed, &params);
        check_customers(&chunk, n, &params)?;
        check_ids_are_sequential(&chunk)?;
        check_lines_follow_the_customer_shape(&chunk)?;
        check_identifiers_are_valid_and_unique(&chunk)?;
        check_every_line_holds_its_own_device(&chunk)?;
        check_agreements(&chunk, &params)?;
        check_usage(&chunk, &params)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Generating the population in two or three pieces (any split points,
    /// empty pieces included), or in `CustomerRange::shard` parts, and
    /// concatenating gives exactly the one-call chunk: the invariant behind
    /// sharding.
    #[test]
    fn pieces_concatenate_to_the_whole(
        (n, seed, params) in population(),
        cut_a in 0.0..=1.0f64,
        cut_b in 0.0..=1.0f64,
        three in any::<bool>(),
        parts in 1u64..8,
    ) {
        let generator = generator(n, seed, &params);
        let whole = generator.generate_range(CustomerRange::new(0, n));
        prop_assert_eq!(&whole, &generator.generate_range(CustomerRange::new(0, n)), "rerun differs");

        let a = ((n as f64 * cut_a) as u64).min(n);
        let b = ((n as f64 * cut_b) as u64).min(n);
        let mut cuts = if three { vec![a.min(b), a.max(b)] } else { vec![a] };
        cuts.insert(0, 0);
        cuts.push(n);
        let pieces = cuts.windows(2).map(|w| CustomerRange::new(w[0], w[1]));
        let joined = generate_pieces(&generator, pieces);
        check_same_chunk(&joined, &whole, &format!("cuts {cuts:?}"))?;

        let shards = (0..parts).map(|k| CustomerRange::shard(n, k, parts));
        let joined = generate_pieces(&generator, shards);
        check_same_chunk(&joined, &whole, &format!("{parts} shards"))?;

        let chunks = CustomerRange::new(0, n).chunks(1 + n / 3);
        let joined = generate_pieces(&generator, chunks);
        check_same_chunk(&joined, &whole, "chunks")?;
    }
}

proptest! {
    /// `devices_through` is floor(1.15 × lines) and adds one or two devices
    /// per line (the second one a spare).
    #[test]
    fn devices_through_is_the_exact_floor(lines in 0u64..10_000_000_000) {
        prop_assert_eq!(devices_through(lines), lines * 115 / 100);
        let step = devices_through(lines + 1) - devices_through(lines);
        prop_assert!(step == 1 || step == 2, "step {}", step);
    }
}

/// Two generators built from the same inputs give the same population.
#[test]
fn generation_is_deterministic() {
    for seed in [0, 42, u64::MAX] {
        let params = GraphParams::default();
        assert_eq!(
            generate_all(500, seed, &params),
            generate_all(500, seed, &params),
            "seed {seed}"
        );
    }
    assert_ne!(
        generate_all(50, 1, &GraphParams::default()).customers,
        generate_all(50, 2, &GraphParams::default()).customers,
        "the seed changes the population"
    );
}

/// Agreement numbers, MSISDNs and IMEIs stay unique across a population large
/// enough that a careless random draw would collide (birthday bound).
#[test]
fn identifiers_unique_in_a_larger_population() {
    let n = 20_000;
    let chunk = generate_all(n, 7, &GraphParams::default());
    let msisdns: HashSet<_> = chunk.lines.iter().map(|l| l.msisdn).collect();
    assert_eq!(msisdns.len(), chunk.lines.len(), "duplicate MSISDN");
    let imeis: HashSet<_> = chunk.devices.iter().map(|d| d.imei).collect();
    assert_eq!(imeis.len(), chunk.devices.len(), "duplicate device IMEI");
    let numbers: HashSet<AgreementNumber> = chunk
        .agreements
        .iter()
        .map(|a| a.agreement_number)
        .collect();
    assert_eq!(
        numbers.len(),
        chunk.agreements.len(),
        "duplicate agreement number"
    );
    assert_eq!(chunk.devices.len(), expected_devices(chunk.lines.len()));
}

/// In the joint model every customer holds a line: customers without home
/// internet always have phone service (as in the source data). So the one
/// stock device of a population without lines belongs to the empty
/// population; the spec's worked IMEI example passes the independent Luhn
/// check.
#[test]
fn a_population_without_lines_has_one_device_and_luhn_is_textbook() {
    assert!(luhn_valid("490154203237518"));
    assert!(!luhn_valid("490154203237519"));
    let params = GraphParams::default();
    let lineless = (0..2_000u64).filter(|&s| generate_all(1, s, &params).lines.is_empty());
    assert_eq!(lineless.count(), 0, "a customer without any line");
    let chunk = generate_all(0, 7, &params);
    assert_eq!(chunk.devices.len(), 1);
    assert!(chunk.customers.is_empty() && chunk.agreements.is_empty() && chunk.usage.is_empty());
}

/// Empty leading or trailing pieces add no device: the pieces of a small
/// population, cut with empty ones, give the whole population's rows.
#[test]
fn the_stock_device_of_a_lineless_population_is_not_duplicated() {
    let params = GraphParams::default();
    assert_eq!(
        generator(0, 7, &params)
            .generate_range(CustomerRange::new(0, 0))
            .devices
            .len(),
        1
    );
    let generator = generator(5, 7, &params);
    let whole = generator.generate_range(CustomerRange::new(0, 5));
    for cuts in [[0, 0, 5], [0, 5, 5]] {
        let pieces = cuts.windows(2).map(|w| CustomerRange::new(w[0], w[1]));
        let joined = generate_pieces(&generator, pieces);
        assert_eq!(joined, whole, "cuts {cuts:?}");
    }
}
