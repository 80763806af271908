//! `examples/pipeline.rs` prints the summary lines of `run_all` for the
//! same number of customers: the lines below are those of
//! `run_all --n_customers 3000 --no_params_mirror` (`bins/cli/tests/facade.rs`
//! also compares `run_all`'s stdout with the facade's counts directly).
#![allow(clippy::unwrap_used)]

#[allow(dead_code)]
#[path = "../examples/pipeline.rs"]
mod example;

#[test]
fn the_example_prints_run_alls_summary_lines() {
    assert_eq!(
        example::summary(3000).unwrap(),
        "customers 3000 lines 7084 devices 8146 eip_agreements 4866 ledger rows 7084\n\
         anomaly_manifest rows 920\n\
         anomalies: generation_usage_mismatch 260 imei_mismatch_swap 372 \
         missing_usage_imei_capture_failure 200 missing_usage_imei_ghost_line 88\n"
    );
}
