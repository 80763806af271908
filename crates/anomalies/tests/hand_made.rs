//! Step 3 on small hand-made ledgers, with the expected rows written out.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use novawireless_anomalies::{
    clean_twin, inject, is_example, missing_pools, undo_generation_mismatch, AnomalyCounts,
    AnomalyError, AnomalyParams, InjectedDefect, Injection, MissingPools, SwapBlocks,
};
use novawireless_model::{CustomerId, DefectCounts, DefectType, LedgerRow, LineId};
use novawireless_sampler::{stream, Stage};
use rand::Rng;

const SWAP: Option<DefectType> = Some(DefectType::ImeiMismatchSwap);
const CAPTURE: Option<DefectType> = Some(DefectType::MissingUsageImeiCaptureFailure);
const GHOST: Option<DefectType> = Some(DefectType::MissingUsageImeiGhostLine);

/// Every customer up to the last one of `rows`: a whole population.
fn everyone(rows: &[LedgerRow]) -> SwapBlocks {
    let last = rows.iter().map(|r| r.line.customer_id.number()).max();
    SwapBlocks::population(last.unwrap_or(0))
}

/// [`inject`] on a whole population.
fn inject_all(
    rows: &mut [LedgerRow],
    p: &AnomalyParams,
    pools: MissingPools,
) -> Result<Injection, AnomalyError> {
    let customers = everyone(rows);
    inject(rows, &customers, p, pools)
}

/// [`missing_pools`] of a whole population.
fn pools_all(rows: &[LedgerRow], p: &AnomalyParams) -> Result<MissingPools, AnomalyError> {
    missing_pools(rows, &everyone(rows), p)
}

fn params(p_mismatch: f64, p_missing: f64) -> AnomalyParams {
    AnomalyParams {
        p_mismatch,
        p_missing,
        ..AnomalyParams::default()
    }
}

/// C1: a financed and an unfinanced voice line; C2: no lines; C3: 5G only;
/// C4: one financed line whose usage records another agreement number;
/// C5: a financed line whose IMEI was never captured, a line without usage,
/// an unfinanced line using a foreign IMEI.
fn mixed() -> Vec<LedgerRow> {
    ledger(&[
        (1, vec![financed(1), unfinanced(2)]),
        (2, vec![]),
        (3, vec![home_internet(3)]),
        (
            4,
            vec![Spec {
                other_agreement_in_usage: true,
                ..financed(4)
            }],
        ),
        (
            5,
            vec![
                Spec {
                    usage_imei: Some(None),
                    ..financed(5)
                },
                Spec {
                    usage_imei: None,
                    ..unfinanced(6)
                },
                Spec {
                    usage_imei: Some(Some(imei(999))),
                    ..unfinanced(7)
                },
            ],
        ),
    ])
}

#[test]
fn step2_flags_of_the_fixture() {
    assert_eq!(
        all_flags(&mixed()),
        vec![
            flags([1, 0, 0, 0, 0]),
            flags([0, 0, 0, 0, 0]),
            flags([1, 0, 0, 0, 1]), // 5G on company-owned equipment
            flags([1, 0, 0, 1, 0]), // eip mismatch is not a step-2 risk
            flags([1, 0, 1, 0, 1]),
            flags([0, 0, 1, 0, 1]),
            flags([0, 0, 0, 0, 0]),
        ]
    );
}

#[test]
fn zero_probabilities_change_no_imei_and_recompute_the_flags() {
    let clean = mixed();
    let mut rows = clean.clone();
    let p = params(0.0, 0.0);
    let pools = pools_all(&rows, &p).unwrap();
    assert_eq!(
        pools,
        MissingPools {
            with_agreement: 3,
            without_agreement: 2
        }
    );
    let injection = inject_all(&mut rows, &p, pools).unwrap();
    assert_eq!(usage_imeis(&rows), usage_imeis(&clean));
    assert!(rows.iter().all(|r| r.imei_anomaly_type.is_none()));
    assert!(injection.defects.is_empty());
    assert_eq!(
        injection.counts,
        AnomalyCounts {
            rows: 7,
            swap_eligible: 2,
            missing_eligible_with_agreement: 3,
            missing_eligible_without_agreement: 2,
            ..AnomalyCounts::default()
        }
    );
    assert_eq!(
        all_flags(&rows),
        vec![
            flags([1, 0, 0, 0, 0]),
            flags([0, 0, 0, 0, 0]),
            flags([1, 0, 0, 0, 0]), // the 5G line is no longer upstream-risky
            flags([1, 0, 0, 1, 1]), // eip mismatch now is
            flags([1, 0, 1, 0, 1]),
            flags([0, 0, 1, 0, 1]),
            flags([0, 0, 0, 0, 0]),
        ]
    );
    let examples: Vec<bool> = rows.iter().map(is_example).collect();
    assert_eq!(examples, [false, false, false, true, true, true, false]);
}

#[test]
fn certain_missing_blanks_every_eligible_row_with_the_right_label() {
    let mut rows = mixed();
    // Pools in the 70/30 proportion make both probabilities exactly 1.
    let pools = MissingPools {
        with_agreement: 7,
        without_agreement: 3,
    };
    let probabilities = pools.probabilities(1.0);
    assert_eq!(probabilities.with_agreement, 1.0);
    assert_eq!(probabilities.without_agreement, 1.0);
    let injection = inject_all(&mut rows, &params(0.0, 1.0), pools).unwrap();
    let labels: Vec<_> = rows.iter().map(|r| r.imei_anomaly_type).collect();
    assert_eq!(
        labels,
        [CAPTURE, GHOST, CAPTURE, CAPTURE, None, None, GHOST]
    );
    assert_eq!(usage_imeis(&rows), vec![None; 7]);
    assert_eq!(
        all_flags(&rows),
        vec![
            flags([1, 0, 1, 0, 1]),
            flags([0, 0, 1, 0, 1]),
            flags([1, 0, 1, 0, 1]), // the 5G line is risky again: IMEI missing
            flags([1, 0, 1, 1, 1]),
            flags([1, 0, 1, 0, 1]),
            flags([0, 0, 1, 0, 1]),
            flags([0, 0, 1, 0, 1]),
        ]
    );
    assert_eq!(
        (
            injection.counts.labelled[DefectType::MissingUsageImeiCaptureFailure],
            injection.counts.labelled[DefectType::MissingUsageImeiGhostLine]
        ),
        (3, 2)
    );
    let blanked: Vec<(usize, Option<DefectType>)> = injection
        .defects
        .iter()
        .map(|d| (d.row, Some(d.defect_type)))
        .collect();
    assert_eq!(
        blanked,
        [
            (0, CAPTURE),
            (1, GHOST),
            (2, CAPTURE),
            (3, CAPTURE),
            (6, GHOST)
        ]
    );
    assert_eq!(
        injection.defects[4],
        InjectedDefect {
            row: 6,
            line_id: LineId::from_index(6),
            customer_id: CustomerId::from_index(4),
            defect_type: DefectType::MissingUsageImeiGhostLine,
            partner_row: None,
            partner_line_id: None,
            clean_usage_imei: Some(imei(999)),
            injected_usage_imei: None,
        }
    );
}

#[test]
fn certain_swap_exchanges_two_eligible_lines() {
    let mut rows = ledger(&[(1, vec![financed(1), financed(2), unfinanced(3)])]);
    let p = params(1.0, 0.0);
    let pools = pools_all(&rows, &p).unwrap();
    // The swapped rows are not candidates for a missing IMEI.
    assert_eq!(
        pools,
        MissingPools {
            with_agreement: 0,
            without_agreement: 1
        }
    );
    let injection = inject_all(&mut rows, &p, pools).unwrap();
    assert_eq!(
        usage_imeis(&rows),
        vec![
            Some(device_imei(2)),
            Some(device_imei(1)),
            Some(device_imei(3))
        ]
    );
    let labels: Vec<_> = rows.iter().map(|r| r.imei_anomaly_type).collect();
    assert_eq!(labels, [SWAP, SWAP, None]);
    assert_eq!(
        all_flags(&rows),
        vec![
            flags([1, 1, 0, 0, 1]),
            flags([1, 1, 0, 0, 1]),
            flags([0, 0, 0, 0, 0])
        ]
    );
    assert_eq!(
        injection.defects,
        vec![
            InjectedDefect {
                row: 0,
                line_id: LineId::from_index(0),
                customer_id: CustomerId::from_index(0),
                defect_type: DefectType::ImeiMismatchSwap,
                partner_row: Some(1),
                partner_line_id: Some(LineId::from_index(1)),
                clean_usage_imei: Some(device_imei(1)),
                injected_usage_imei: Some(device_imei(2)),
            },
            InjectedDefect {
                row: 1,
                line_id: LineId::from_index(1),
                customer_id: CustomerId::from_index(0),
                defect_type: DefectType::ImeiMismatchSwap,
                partner_row: Some(0),
                partner_line_id: Some(LineId::from_index(0)),
                clean_usage_imei: Some(device_imei(2)),
                injected_usage_imei: Some(device_imei(1)),
            },
        ]
    );
    let c = injection.counts;
    assert_eq!(
        (
            c.swap_eligible,
            c.swaps_chosen,
            c.swaps_without_partner,
            c.labelled[DefectType::ImeiMismatchSwap]
        ),
        (2, 1, 0, 2)
    );
}

#[test]
fn a_single_line_customer_has_no_partner() {
    let clean = ledger(&[(4, vec![financed(4)])]);
    let mut rows = clean.clone();
    let injection = inject_all(&mut rows, &params(1.0, 0.0), MissingPools::default()).unwrap();
    assert_eq!(usage_imeis(&rows), usage_imeis(&clean));
    assert!(injection.defects.is_empty());
    assert_eq!(injection.counts.swaps_chosen, 1);
    assert_eq!(injection.counts.swaps_without_partner, 1);
}

#[test]
fn lines_sharing_a_usage_imei_are_not_partners() {
    // Step 1 already gave line 2 the usage IMEI of line 1.
    let shared = Spec {
        usage_imei: Some(Some(device_imei(1))),
        ..financed(2)
    };
    let clean = ledger(&[(1, vec![financed(1), shared])]);
    assert_eq!(
        all_flags(&clean),
        vec![flags([1, 0, 0, 0, 0]), flags([1, 1, 0, 0, 1])]
    );
    let mut rows = clean.clone();
    let injection = inject_all(&mut rows, &params(1.0, 0.0), MissingPools::default()).unwrap();
    assert_eq!(usage_imeis(&rows), usage_imeis(&clean));
    assert_eq!(injection.counts.swaps_chosen, 2);
    assert_eq!(injection.counts.swaps_without_partner, 2);
}

#[test]
fn draws_follow_the_documented_order() {
    // Three eligible lines, p_mismatch = 1: the first picks a partner with
    // its second uniform; the third one left over finds none.
    let mut rows = ledger(&[(
        9,
        vec![financed(1), financed(2), financed(3), unfinanced(4)],
    )]);
    let p = params(1.0, 0.0);
    let injection = inject_all(&mut rows, &p, MissingPools::default()).unwrap();

    let mut rng = stream(p.seed, Stage::Anomalies, 8);
    let _choose: f64 = rng.random();
    let v: f64 = rng.random();
    let partner = [1, 2][(v * 2.0) as usize];
    let left_over = 3 - partner;
    let mut expected = vec![
        Some(device_imei(1)),
        Some(device_imei(2)),
        Some(device_imei(3)),
    ];
    expected.swap(0, partner);
    expected.push(Some(device_imei(4)));
    assert_eq!(usage_imeis(&rows), expected);
    assert_eq!(rows[left_over].imei_anomaly_type, None);
    let c = injection.counts;
    assert_eq!(
        (
            c.swaps_chosen,
            c.swaps_without_partner,
            c.labelled[DefectType::ImeiMismatchSwap]
        ),
        (2, 1, 2)
    );
}

#[test]
fn partners_cross_customers_only_when_asked() {
    let clean = ledger(&[(1, vec![financed(1)]), (2, vec![financed(2)])]);
    let mut within = clean.clone();
    inject_all(&mut within, &params(1.0, 0.0), MissingPools::default()).unwrap();
    assert_eq!(usage_imeis(&within), usage_imeis(&clean));

    let mut across = clean.clone();
    let p = AnomalyParams {
        within_customer_only: false,
        ..params(1.0, 0.0)
    };
    let injection = inject_all(&mut across, &p, MissingPools::default()).unwrap();
    assert_eq!(
        usage_imeis(&across),
        vec![Some(device_imei(2)), Some(device_imei(1))]
    );
    assert_eq!(injection.defects[0].partner_row, Some(1));
    assert_eq!(injection.defects[1].partner_row, Some(0));
}

#[test]
fn old_labels_are_replaced() {
    let mut rows = mixed();
    rows[1].imei_anomaly_type = GHOST;
    inject_all(&mut rows, &params(0.0, 0.0), MissingPools::default()).unwrap();
    assert!(rows.iter().all(|r| r.imei_anomaly_type.is_none()));
}

#[test]
fn refuses_rows_out_of_customer_order_and_changes_nothing() {
    let clean = ledger(&[(2, vec![financed(1)]), (1, vec![financed(2)])]);
    let mut rows = clean.clone();
    let err = inject_all(&mut rows, &params(1.0, 1.0), MissingPools::default()).unwrap_err();
    assert_eq!(
        err,
        AnomalyError::CustomersOutOfOrder {
            row: 1,
            customer_id: CustomerId::from_index(0),
            previous: CustomerId::from_index(1)
        }
    );
    assert_eq!(rows, clean);
    assert!(pools_all(&rows, &params(1.0, 1.0)).is_err());

    // A customer whose rows are split is out of order too.
    let mut split = ledger(&[(1, vec![financed(1)]), (2, vec![financed(2)])]);
    split.push(split[0].clone());
    let err = inject_all(&mut split, &params(0.1, 0.1), MissingPools::default()).unwrap_err();
    assert!(matches!(
        err,
        AnomalyError::CustomersOutOfOrder { row: 2, .. }
    ));
}

#[test]
fn refuses_probabilities_outside_the_unit_interval() {
    let mut rows = mixed();
    let err = inject_all(&mut rows, &params(0.1, f64::NAN), MissingPools::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "p_missing must be a probability in [0, 1], got NaN"
    );
    let err = pools_all(&rows, &params(1.5, 0.0)).unwrap_err();
    assert_eq!(
        err.to_string(),
        "p_mismatch must be a probability in [0, 1], got 1.5"
    );
    assert!(params(0.0, 1.0).validate().is_ok());
}

#[test]
fn empty_ledger() {
    let mut rows: Vec<LedgerRow> = vec![];
    let p = AnomalyParams::default();
    assert_eq!(pools_all(&rows, &p), Ok(MissingPools::default()));
    let injection = inject_all(&mut rows, &p, MissingPools::default()).unwrap();
    assert_eq!(injection.counts, AnomalyCounts::default());
}

#[test]
fn pools_and_counts_add_up() {
    let a = MissingPools {
        with_agreement: 1,
        without_agreement: 2,
    };
    let b = MissingPools {
        with_agreement: 10,
        without_agreement: 20,
    };
    let mut c = a;
    c += b;
    assert_eq!(c, a + b);
    assert_eq!([a, b].into_iter().sum::<MissingPools>().total(), 33);
    assert_eq!(
        MissingPools::default().probabilities(0.5).with_agreement,
        0.0
    );

    let x = AnomalyCounts {
        labelled: [
            DefectType::ImeiMismatchSwap,
            DefectType::ImeiMismatchSwap,
            DefectType::MissingUsageImeiGhostLine,
        ]
        .into_iter()
        .collect::<DefectCounts>(),
        ..AnomalyCounts::default()
    };
    let total: AnomalyCounts = [x, x].into_iter().sum();
    assert_eq!(total.labelled[DefectType::ImeiMismatchSwap], 4);
    assert_eq!(total.missing(), 2);
}

#[test]
fn refuses_rows_outside_their_swap_blocks_and_changes_nothing() {
    // Customers 1 and 2 (indices 0 and 1), passed as the customers of the
    // second swap block.
    let clean = ledger(&[(1, vec![financed(1)]), (2, vec![financed(2)])]);
    let mut rows = clean.clone();
    let second = SwapBlocks::new(1024..2048, 4096).unwrap();
    let err = inject(
        &mut rows,
        &second,
        &params(1.0, 1.0),
        MissingPools::default(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        AnomalyError::OutsideBlocks {
            row: 0,
            customer_id: CustomerId::from_index(0),
            start: 1024,
            end: 2048
        }
    );
    assert_eq!(rows, clean);
    assert_eq!(
        missing_pools(&rows, &second, &params(1.0, 1.0)).unwrap_err(),
        err
    );
    assert_eq!(
        SwapBlocks::new(0..1, 4096).unwrap_err(),
        AnomalyError::NotWholeBlocks {
            start: 0,
            end: 1,
            population: 4096
        }
    );
    // The first block, short at the end of a population of 2, is whole.
    let first = SwapBlocks::new(0..2, 2).unwrap();
    assert!(inject(
        &mut rows,
        &first,
        &params(0.0, 0.0),
        MissingPools::default()
    )
    .is_ok());
}

#[test]
fn the_clean_twin_undoes_the_generation_mismatch() {
    // LINE-2's usage recorded LINE-1's IMEI at generation (stage 1).
    let mut rows = ledger(&[(1, vec![financed(1), financed(2), unfinanced(3)])]);
    let usage = rows[1].usage.as_mut().unwrap();
    usage.usage_imei = Some(device_imei(1));
    usage.imei_line_mismatch_flag = true;
    rows[1].flags = flags([1, 1, 0, 0, 1]);

    let mut row = rows[1].clone();
    undo_generation_mismatch(&mut row);
    let usage = row.usage.as_ref().unwrap();
    assert_eq!(usage.usage_imei, Some(device_imei(2)));
    assert!(!usage.imei_line_mismatch_flag);
    assert_eq!(row.flags, flags([1, 0, 0, 0, 0]));
    assert_eq!(row.line, rows[1].line);
    assert_eq!(row.agreement, rows[1].agreement);

    // Every row, into a recycled vector that held more rows.
    let mut clean = vec![rows[0].clone(); 5];
    clean_twin(&rows, &mut clean);
    assert_eq!(clean, [rows[0].clone(), row, rows[2].clone()]);
    // A step-2 row without a mismatch keeps its usage; its flags follow
    // step 3's rule.
    let mut plain = rows[2].clone();
    undo_generation_mismatch(&mut plain);
    assert_eq!(plain.usage, rows[2].usage);
    assert_eq!(plain.flags, flags([0, 0, 0, 0, 0]));
}
