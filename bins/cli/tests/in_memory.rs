//! `run_all_tables` (the run in memory, as the Python package's `generate`
//! returns it) holds the Parquet files of `run_all --format parquet` with the
//! same flags: the same schema and the same values, table by table; its
//! shards concatenate to the full tables.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use arrow_array::RecordBatch;
use arrow_select::concat::concat_batches;
use novawireless_pipeline::{run_all_tables, table_names, ArrowTable, RunAllOptions};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use std::ffi::OsString;
use std::fs::File;
use std::path::Path;
use std::process::Command;

const FLAGS: &[&str] = &[
    "--n_customers",
    "5000",
    "--seed",
    "7",
    "--p_mismatch",
    "0.2",
    "--clean_twin",
    "--quiet",
];

fn options(extra: &[&str]) -> RunAllOptions {
    let argv: Vec<OsString> = std::iter::once("run_all")
        .chain(FLAGS.iter().copied())
        .chain(extra.iter().copied())
        .map(OsString::from)
        .collect();
    novawireless_cli::run_all::parse_options(&argv)
        .unwrap()
        .unwrap()
}

fn whole(table: &ArrowTable) -> RecordBatch {
    concat_batches(&table.schema, &table.batches).unwrap()
}

fn parquet_file(path: &Path) -> RecordBatch {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(Result::unwrap).collect();
    concat_batches(&schema, &batches).unwrap()
}

#[test]
fn every_table_equals_the_parquet_file_of_run_all() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_run_all"))
        .args(FLAGS)
        .args(["--format", "parquet", "--no_params_mirror", "--out_dir"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let options = options(&[]);
    let tables = run_all_tables(&options, None).unwrap();
    let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
    assert_eq!(names, table_names(&options));
    assert_eq!(names.len(), 11);
    for table in &tables {
        let file = parquet_file(&dir.path().join(format!("{}.parquet", table.name)));
        let memory = whole(table);
        assert!(memory.num_rows() > 0, "{}", table.name);
        assert_eq!(
            memory.schema().fields(),
            file.schema().fields(),
            "{}",
            table.name
        );
        assert_eq!(memory.columns(), file.columns(), "{}", table.name);
    }
}

#[test]
fn shards_concatenate_to_the_full_tables_and_a_choice_is_kept() {
    let full = run_all_tables(&options(&[]), Some(&["lines", "anomaly_manifest"])).unwrap();
    assert_eq!(
        full.iter().map(|t| t.name).collect::<Vec<_>>(),
        ["lines", "anomaly_manifest"]
    );
    let shards: Vec<Vec<ArrowTable>> = (1..=3)
        .map(|k| {
            let shard = format!("{k}/3");
            run_all_tables(
                &options(&["--shard", &shard]),
                Some(&["lines", "anomaly_manifest"]),
            )
            .unwrap()
        })
        .collect();
    for (i, table) in full.iter().enumerate() {
        let batches: Vec<RecordBatch> = shards
            .iter()
            .flat_map(|s| s[i].batches.iter().cloned())
            .collect();
        assert!(shards.iter().all(|s| s[i].rows() < table.rows()));
        let joined = concat_batches(&table.schema, &batches).unwrap();
        assert_eq!(joined, whole(table), "{}", table.name);
    }
}

#[test]
fn customers_v1_alone_holds_the_customers() {
    let options = options(&[]);
    let alone = run_all_tables(&options, Some(&["customers_v1"])).unwrap();
    let both = run_all_tables(&options, Some(&["customers", "customers_v1"])).unwrap();
    assert_eq!(alone.len(), 1);
    assert_eq!(alone[0].rows(), 5000);
    assert_eq!(whole(&alone[0]), whole(&both[0]));
    assert_eq!(whole(&alone[0]), whole(&both[1]));
}

#[test]
fn an_unknown_table_is_refused_with_the_names() {
    let e = run_all_tables(&options(&[]), Some(&["customer"])).unwrap_err();
    let message = e.to_string();
    assert!(
        message.starts_with(
            "no table is named \"customer\"; the tables are customers, customers_v1, lines,"
        ),
        "{message}"
    );
}
