//! Hot path of step 1: generating customers and their account graph.

#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_sampler::{Baseline, JointModel};
use std::hint::black_box;

fn generate(c: &mut Criterion) {
    let generator =
        AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 1_000_000)
            .expect("the population can be generated");
    let mut group = c.benchmark_group("accounts");
    group.throughput(Throughput::Elements(2048));
    group.bench_function("generate 2048 customers with their graph", |b| {
        b.iter(|| black_box(generator.generate(CustomerRange::new(4096, 6144), 9_000)))
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("shape of one customer", |b| {
        let mut i = 0;
        b.iter(|| {
            i += 1;
            black_box(generator.shape(i))
        })
    });
    group.bench_function(
        "new generator (embedded baseline, calibration embedded)",
        |b| {
            b.iter_batched(
                Baseline::embedded,
                |baseline| {
                    black_box(
                        AccountGenerator::new(&baseline, GraphParams::default(), 42, 10)
                            .expect("10 customers can be generated"),
                    )
                },
                BatchSize::SmallInput,
            )
        },
    );
    group.sample_size(10);
    group.bench_function("calibrate the joint model to a config (not cached)", |b| {
        let baseline = Baseline::embedded();
        b.iter(|| black_box(JointModel::calibrate(&baseline)))
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
