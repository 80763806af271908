//! Hot path of every writer: formatting rows as CSV.

#![allow(missing_docs)]

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
use novawireless_io::tables;
use novawireless_sampler::Baseline;
use std::hint::black_box;

fn format(c: &mut Criterion) {
    let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 42, 2048)
        .expect("the population can be generated");
    let chunk = generator.generate(CustomerRange::new(0, 2048), 0);
    let mut out = Vec::with_capacity(1 << 20);
    let mut group = c.benchmark_group("csv");
    group.throughput(Throughput::Elements(chunk.customers.len() as u64));
    group.bench_function("customer rows", |b| {
        b.iter(|| {
            out.clear();
            for r in &chunk.customers {
                tables::customer_row(&mut out, r);
            }
            black_box(out.len())
        })
    });
    group.throughput(Throughput::Elements(chunk.lines.len() as u64));
    group.bench_function("line rows", |b| {
        b.iter(|| {
            out.clear();
            for r in &chunk.lines {
                tables::line_row(&mut out, r);
            }
            black_box(out.len())
        })
    });
    group.throughput(Throughput::Elements(chunk.usage.len() as u64));
    group.bench_function("usage rows", |b| {
        b.iter(|| {
            out.clear();
            for r in &chunk.usage {
                tables::usage_row(&mut out, r);
            }
            black_box(out.len())
        })
    });
    group.finish();
}

criterion_group!(benches, format);
criterion_main!(benches);
