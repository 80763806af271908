//! Hot path of step 2: the join of one chunk of customers.

#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_ledger::join;
use novawireless_sampler::Baseline;
use std::hint::black_box;

fn bench_join(c: &mut Criterion) {
    let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 2048)
        .expect("the population can be generated");
    let chunk = generator.generate(CustomerRange::new(0, 2048), 0);
    let mut group = c.benchmark_group("ledger");
    group.throughput(Throughput::Elements(chunk.lines.len() as u64));
    group.bench_function("join 2048 customers", |b| {
        b.iter(|| {
            black_box(join(
                &chunk.customers,
                &chunk.lines,
                &chunk.agreements,
                &chunk.usage,
            ))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_join);
criterion_main!(benches);
