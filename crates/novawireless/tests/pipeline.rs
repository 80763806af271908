//! The facade's pipeline: owned chunks, stage order, ranges and errors.
#![allow(clippy::unwrap_used)]

use novawireless::{
    AccountChunk, Baseline, CustomerRange, Defect, Error, LedgerRow, Options, Pipeline, StageSink,
    SWAP_BLOCK,
};

fn pipeline(options: Options) -> Pipeline {
    Pipeline::new(&Baseline::embedded(), options).unwrap()
}

/// The names of the stages a sink saw, in order.
#[derive(Default)]
struct Order(Vec<&'static str>);

impl StageSink for Order {
    type Error = Error;
    fn generated(&mut self, _: &AccountChunk) -> Result<(), Error> {
        self.0.push("generate");
        Ok(())
    }
    fn joined(&mut self, _: &[LedgerRow]) -> Result<(), Error> {
        self.0.push("join");
        Ok(())
    }
    fn clean_twin(&mut self, _: &[LedgerRow]) -> Result<(), Error> {
        self.0.push("clean twin");
        Ok(())
    }
    fn injected(&mut self, _: &[LedgerRow], _: &[Defect]) -> Result<(), Error> {
        self.0.push("inject");
        Ok(())
    }
    fn examples(&mut self, _: &[&LedgerRow]) -> Result<(), Error> {
        self.0.push("examples");
        Ok(())
    }
    fn billed(&mut self, _: &[LedgerRow]) -> Result<(), Error> {
        self.0.push("bill");
        Ok(())
    }
}

#[test]
fn stages_run_in_their_named_order() {
    let mut options = Options::new(1500);
    options.clean_twin = true;
    let p = pipeline(options);
    let mut order = Order::default();
    p.run_chunk(p.chunks()[0], &mut order).unwrap();
    assert_eq!(
        order.0,
        [
            "generate",
            "join",
            "clean twin",
            "inject",
            "examples",
            "bill"
        ]
    );
    let only = Pipeline::generate_only(&Baseline::embedded(), Options::new(1500)).unwrap();
    let mut order = Order::default();
    let counts = only.run_chunk(only.chunks()[0], &mut order).unwrap();
    assert_eq!(order.0, ["generate"]);
    assert_eq!(counts.step1.customers, 1500);
    assert_eq!(counts.flags.rows, 0);
}

#[test]
fn owned_chunks_hold_every_table_and_sum_to_the_counts() {
    let mut options = Options::new(5000);
    options.clean_twin = true;
    let p = pipeline(options);
    let chunks: Vec<_> = p.tables().collect::<Result<_, _>>().unwrap();
    assert_eq!(chunks.len(), 3);
    let counts = p.counts().unwrap();
    let sum = |f: fn(&novawireless::ChunkTables) -> usize| -> u64 {
        chunks.iter().map(|c| f(c) as u64).sum()
    };
    assert_eq!(sum(|c| c.step1.customers.len()), 5000);
    assert_eq!(sum(|c| c.step1.lines.len()), counts.step1.lines);
    assert_eq!(sum(|c| c.ledger.len()), counts.flags.rows);
    assert_eq!(sum(|c| c.final_ledger.len()), counts.flags.rows);
    assert_eq!(sum(|c| c.anomaly_ledger.len()), counts.flags.rows);
    assert_eq!(sum(|c| c.examples.len()), counts.example_rows);
    assert_eq!(sum(|c| c.manifest.len()), counts.manifest_rows);
    assert_eq!(
        sum(|c| c.clean_ledger.as_ref().unwrap().len()),
        counts.flags.rows
    );
    let summary = counts.summary();
    assert_eq!(summary.counts.rows, counts.flags.rows);
    assert!(summary.counts.labelled[novawireless::DefectType::ImeiMismatchSwap] > 0);
    for c in &chunks {
        // The clean twin carries no defect and no generation-time mismatch.
        let clean = c.clean_ledger.as_ref().unwrap();
        assert!(clean.iter().all(|r| r.imei_anomaly_type.is_none()));
        assert!(clean
            .iter()
            .all(|r| r.usage.as_ref().is_none_or(|u| !u.imei_line_mismatch_flag)));
        // The final ledger is billed; the anomaly ledger is not yet.
        assert!(c
            .final_ledger
            .iter()
            .all(|r| r.billing_agreement_type.is_some()));
        assert!(c
            .anomaly_ledger
            .iter()
            .all(|r| r.billing_agreement_type.is_none()));
        assert!(c.examples.iter().all(novawireless::anomalies::is_example));
    }
}

#[test]
fn a_range_holds_the_full_runs_rows_and_chunk_size_changes_nothing() {
    let full = pipeline(Options::new(4000));
    let rows: Vec<LedgerRow> = full
        .tables()
        .flat_map(|c| c.unwrap().final_ledger)
        .collect();
    let mut options = Options::new(4000);
    options.chunk_customers = 3 * SWAP_BLOCK;
    options.range = Some(CustomerRange::new(SWAP_BLOCK, 3 * SWAP_BLOCK));
    let part = pipeline(options);
    assert_eq!(part.customers(), 2 * SWAP_BLOCK);
    let part_rows: Vec<LedgerRow> = part
        .tables()
        .flat_map(|c| c.unwrap().final_ledger)
        .collect();
    let inside: Vec<&LedgerRow> = rows
        .iter()
        .filter(|r| (SWAP_BLOCK..3 * SWAP_BLOCK).contains(&r.line.customer_id.index()))
        .collect();
    assert_eq!(part_rows.len(), inside.len());
    assert!(part_rows.iter().zip(&inside).all(|(a, b)| a == *b));
}

#[test]
fn bad_options_are_errors_not_panics() {
    let mut options = Options::new(100);
    options.chunk_customers = 1000;
    let e = Pipeline::new(&Baseline::embedded(), options).err().unwrap();
    assert!(matches!(
        e,
        Error::ChunkSize {
            chunk_customers: 1000
        }
    ));
    assert_eq!(
        e.to_string(),
        "chunks of 1000 customers: not a positive multiple of 1024"
    );
    let mut options = Options::new(5000);
    options.range = Some(CustomerRange::new(10, 2000));
    let e = Pipeline::new(&Baseline::embedded(), options).err().unwrap();
    assert!(matches!(
        e,
        Error::Range {
            start: 10,
            end: 2000,
            population: 5000
        }
    ));
    let e = Pipeline::new(&Baseline::embedded(), Options::new(u64::MAX))
        .err()
        .unwrap();
    assert!(matches!(e, Error::Population(_)));
}
