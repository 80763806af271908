//! Step 3 on generated ledgers: chunk independence, invariants, and the
//! realised rates on more than 100k lines.

#![allow(clippy::unwrap_used)] // test helpers panic on bad fixtures

use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_anomalies::{
    inject, is_example, missing_pools, swap_block, AnomalyParams, Injection, MissingPools,
    SwapBlocks, SWAP_BLOCK,
};
use novawireless_ledger::{imei_mismatch, join};
use novawireless_model::{DefectType, LedgerRow, ProductType};
use novawireless_sampler::Baseline;

fn generated_ledger(n: u64, seed: u64) -> Vec<LedgerRow> {
    let generator =
        AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), seed, n).unwrap();
    let c = generator.generate_range(CustomerRange::new(0, n));
    join(&c.customers, &c.lines, &c.agreements, &c.usage).unwrap()
}

/// The index of the first row of a customer at or after customer `index`.
fn first_row_from(rows: &[LedgerRow], index: u64) -> usize {
    rows.iter()
        .position(|r| r.line.customer_id.index() >= index)
        .unwrap_or(rows.len())
}

/// The swap blocks of the rows of `rows`, of a population of `n`.
fn blocks_of(rows: &[LedgerRow], n: u64) -> SwapBlocks {
    let first = rows.first().map_or(0, |r| swap_block(r.line.customer_id));
    let last = rows
        .last()
        .map_or(0, |r| swap_block(r.line.customer_id) + 1);
    SwapBlocks::new(first * SWAP_BLOCK..(last * SWAP_BLOCK).min(n), n).unwrap()
}

/// Checks every row against its step-2 original and the defect records.
fn check_invariants(
    clean: &[LedgerRow],
    rows: &[LedgerRow],
    injection: &Injection,
    within_customer_only: bool,
) {
    assert_eq!(clean.len(), rows.len());
    let mut defect_of = vec![None; rows.len()];
    for d in &injection.defects {
        assert!(defect_of[d.row].is_none(), "one defect per row");
        defect_of[d.row] = Some(d);
    }
    for (i, (before, after)) in clean.iter().zip(rows).enumerate() {
        // Only usage IMEIs, flags and the label change.
        assert_eq!(before.line, after.line);
        assert_eq!(before.agreement, after.agreement);
        let f = after.flags;
        assert_eq!(f.eip_exists, before.flags.eip_exists);
        assert_eq!(f.eip_mismatch, before.flags.eip_mismatch);
        assert!(
            !f.imei_mismatch || f.eip_exists,
            "mismatch without agreement"
        );
        assert_eq!(
            f.imei_mismatch,
            imei_mismatch(after.agreement.as_ref(), after.usage_imei())
        );
        assert_eq!(f.missing_usage_imei, after.usage_imei().is_none());
        assert_eq!(
            f.upstream_friction_risk,
            f.imei_mismatch || f.missing_usage_imei || f.eip_mismatch
        );
        assert_eq!(
            is_example(after),
            after.imei_anomaly_type.is_some() || f.upstream_friction_risk
        );

        // Labels match what changed.
        match (after.imei_anomaly_type, defect_of[i]) {
            (None, None) => assert_eq!(before.usage, after.usage),
            (Some(label), Some(d)) => {
                assert_eq!(d.defect_type, label);
                assert_eq!(d.line_id, after.line.line_id);
                assert_eq!(d.clean_usage_imei, before.usage_imei());
                assert_eq!(d.injected_usage_imei, after.usage_imei());
                assert!(d.clean_usage_imei.is_some());
                match label {
                    DefectType::ImeiMismatchSwap => {
                        let j = d.partner_row.unwrap();
                        let (partner, own) = (rows[j].line.customer_id, after.line.customer_id);
                        if within_customer_only {
                            assert_eq!(partner, own);
                        } else {
                            assert_eq!(swap_block(partner), swap_block(own));
                        }
                        assert_eq!(after.usage_imei(), clean[j].usage_imei());
                        assert_eq!(rows[j].usage_imei(), before.usage_imei());
                        assert_ne!(after.usage_imei(), before.usage_imei());
                        assert_eq!(after.line.product_type, ProductType::Voice);
                        assert!(f.eip_exists);
                    }
                    DefectType::MissingUsageImeiCaptureFailure => {
                        assert!(after.usage_imei().is_none() && f.eip_exists);
                    }
                    DefectType::MissingUsageImeiGhostLine => {
                        assert!(after.usage_imei().is_none() && !f.eip_exists);
                    }
                    DefectType::GenerationUsageMismatch => {
                        panic!("row {i}: step 3 gave a stage-1 label")
                    }
                }
            }
            other => panic!("row {i}: label and defect record disagree: {other:?}"),
        }
    }
}

#[test]
fn chunking_does_not_change_the_result() {
    let n = 3_000;
    let clean = generated_ledger(n, 42);
    let everyone = SwapBlocks::population(n);
    for within_customer_only in [true, false] {
        let params = AnomalyParams {
            p_mismatch: 0.3,
            p_missing: 0.2,
            within_customer_only,
            ..AnomalyParams::default()
        };
        // Cut between swap blocks 1 and 2.
        let split = first_row_from(&clean, 2 * SWAP_BLOCK);
        let (head, tail) = (blocks_of(&clean[..split], n), blocks_of(&clean[split..], n));
        assert_eq!((head.customers(), tail.customers()), (0..2048, 2048..n));
        let pools_whole = missing_pools(&clean, &everyone, &params).unwrap();
        let pools_halves = missing_pools(&clean[..split], &head, &params).unwrap()
            + missing_pools(&clean[split..], &tail, &params).unwrap();
        assert_eq!(pools_whole, pools_halves);

        let mut whole = clean.clone();
        let all = inject(&mut whole, &everyone, &params, pools_whole).unwrap();
        let mut halves = clean.clone();
        let (first, second) = halves.split_at_mut(split);
        let a = inject(first, &head, &params, pools_whole).unwrap();
        let b = inject(second, &tail, &params, pools_whole).unwrap();

        assert_eq!(halves, whole);
        assert_eq!(a.counts + b.counts, all.counts);
        let mut defects = a.defects;
        defects.extend(b.defects.into_iter().map(|mut d| {
            d.row += split;
            d.partner_row = d.partner_row.map(|p| p + split);
            d
        }));
        assert_eq!(defects, all.defects);
        assert!(all.counts.labelled[DefectType::ImeiMismatchSwap] > 0 && all.counts.missing() > 0);
        check_invariants(&clean, &whole, &all, within_customer_only);

        // Same seed, same bytes; another seed, other defects.
        let mut again = clean.clone();
        inject(&mut again, &everyone, &params, pools_whole).unwrap();
        assert_eq!(again, whole);
        let mut other = clean.clone();
        let reseeded = AnomalyParams { seed: 1, ..params };
        inject(
            &mut other,
            &everyone,
            &reseeded,
            missing_pools(&clean, &everyone, &reseeded).unwrap(),
        )
        .unwrap();
        assert_ne!(other, whole);
    }
}

#[test]
fn rates_on_more_than_100k_lines() {
    let n = 50_000;
    let clean = generated_ledger(n, 42);
    assert!(clean.len() >= 100_000, "{} lines", clean.len());
    let params = AnomalyParams::default();
    let everyone = SwapBlocks::population(n);
    // Summed over chunks of whole swap blocks, as a chunked caller does.
    let mut pools = MissingPools::default();
    for chunk in
        clean.chunk_by(|a, b| swap_block(a.line.customer_id) == swap_block(b.line.customer_id))
    {
        pools += missing_pools(chunk, &blocks_of(chunk, n), &params).unwrap();
    }
    assert_eq!(pools, missing_pools(&clean, &everyone, &params).unwrap());

    let mut rows = clean.clone();
    let injection = inject(&mut rows, &everyone, &params, pools).unwrap();
    let c = injection.counts;
    check_invariants(&clean, &rows, &injection, params.within_customer_only);
    assert_eq!(c.missing_eligible_with_agreement, pools.with_agreement);
    assert_eq!(
        c.missing_eligible_without_agreement,
        pools.without_agreement
    );

    let swap_rate = c.swaps_chosen as f64 / c.swap_eligible as f64;
    let missing_rate = c.missing() as f64 / pools.total() as f64;
    let capture_share =
        c.labelled[DefectType::MissingUsageImeiCaptureFailure] as f64 / c.missing() as f64;
    eprintln!("{c:?}\nswap rate {swap_rate:.4}, missing rate {missing_rate:.4}, capture share {capture_share:.4}");
    // Rows swapped as a partner before their turn do not draw, so the rate
    // of chosen rows sits a little below p_mismatch.
    assert!(
        (0.060..=0.074).contains(&swap_rate),
        "swap rate {swap_rate}"
    );
    let swapped_rows = c.labelled[DefectType::ImeiMismatchSwap];
    assert!(swapped_rows <= 2 * c.swaps_chosen);
    assert!(
        swapped_rows >= c.swaps_chosen,
        "most chosen rows find a partner"
    );
    assert!(
        (0.036..=0.044).contains(&missing_rate),
        "missing rate {missing_rate}"
    );
    assert!(
        (0.67..=0.73).contains(&capture_share),
        "capture share {capture_share}"
    );
}

#[test]
fn partners_from_any_customer_of_a_block() {
    let n = 2_000;
    let clean = generated_ledger(n, 9);
    let everyone = SwapBlocks::population(n);
    let params = AnomalyParams {
        within_customer_only: false,
        p_mismatch: 0.2,
        ..AnomalyParams::default()
    };
    let mut rows = clean.clone();
    let pools = missing_pools(&clean, &everyone, &params).unwrap();
    let injection = inject(&mut rows, &everyone, &params, pools).unwrap();
    let crossing = injection
        .defects
        .iter()
        .filter(|d| {
            d.partner_row
                .is_some_and(|p| rows[p].line.customer_id != d.customer_id)
        })
        .count();
    assert!(crossing > 0);
    for d in &injection.defects {
        if let Some(p) = d.partner_row {
            // Partners share a swap block.
            assert_eq!(
                swap_block(rows[p].line.customer_id),
                swap_block(d.customer_id)
            );
            assert_eq!(rows[p].usage_imei(), d.clean_usage_imei);
            assert_eq!(clean[p].usage_imei(), d.injected_usage_imei);
        }
        assert!(
            rows[d.row].flags.eip_exists || d.defect_type == DefectType::MissingUsageImeiGhostLine
        );
    }
    let mut again = clean.clone();
    inject(&mut again, &everyone, &params, pools).unwrap();
    assert_eq!(again, rows);
}
