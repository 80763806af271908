//! The join on generated step-1 data.

#![allow(clippy::unwrap_used)] // fixtures are built from known-valid constants

use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_ledger::join;
use novawireless_model::ProductType;
use novawireless_sampler::Baseline;

#[test]
fn chunks_join_to_the_rows_of_the_whole() {
    let n = 2_000;
    let generator =
        AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, n).unwrap();
    let all = generator.generate_range(CustomerRange::new(0, n));
    let whole = join(&all.customers, &all.lines, &all.agreements, &all.usage).unwrap();
    assert_eq!(whole.len(), all.lines.len());
    assert!(whole.iter().zip(&all.lines).all(|(r, l)| r.line == *l));

    let mut pieces = Vec::new();
    for partition in generator.partitions(CustomerRange::new(0, n), 333) {
        let chunk = generator.generate(partition);
        pieces.extend(
            join(
                &chunk.customers,
                &chunk.lines,
                &chunk.agreements,
                &chunk.usage,
            )
            .unwrap(),
        );
    }
    assert_eq!(pieces, whole);
}

#[test]
fn flags_are_consistent_on_generated_data() {
    let n = 5_000;
    let generator =
        AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 7, n).unwrap();
    let all = generator.generate_range(CustomerRange::new(0, n));
    let ledger = join(&all.customers, &all.lines, &all.agreements, &all.usage).unwrap();
    let mut mismatches = 0;
    for row in &ledger {
        let f = row.flags;
        assert_eq!(f.eip_exists, row.agreement.is_some());
        assert!(!f.imei_mismatch || f.eip_exists);
        assert!(!f.missing_usage_imei, "step 1 captures every usage IMEI");
        // Step 1's only IMEI defect is the generation-time mismatch.
        let injected = row
            .usage
            .as_ref()
            .is_some_and(|u| u.imei_line_mismatch_flag);
        assert_eq!(f.imei_mismatch, injected);
        assert!(!f.eip_mismatch, "usage records the line's own agreement");
        let is_5g = row.line.product_type == ProductType::HomeInternet5g;
        assert_eq!(f.upstream_friction_risk, f.imei_mismatch || is_5g);
        mismatches += u32::from(f.imei_mismatch);
    }
    assert!(mismatches > 0);
}
