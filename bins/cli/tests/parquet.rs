//! `run_all --format parquet` writes the same tables with the same values as
//! a CSV run with the same flags: typed columns, nulls where the CSV is empty.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "common/mod.rs"]
mod common;

use arrow_array::cast::AsArray;
use arrow_array::{Array, Date32Array, Float64Array, Int32Array, RecordBatch, StringArray};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sha2::Digest;
use std::fs::{self, File};
use std::path::Path;
use std::process::Command;

const TABLES: &[&str] = &[
    "customers",
    "customers_v1",
    "lines",
    "devices",
    "eip_agreements",
    "line_device_usage",
    "master_account_ledger",
    "master_account_ledger__anomalies",
    "imei_anomaly_examples",
    "anomaly_manifest",
    "master_account_ledger__clean",
];

fn run_all(out: &Path, extra: &[&str]) {
    let output = Command::new(env!("CARGO_BIN_EXE_run_all"))
        .arg("--out_dir")
        .arg(out)
        .args([
            "--n_customers",
            "1500",
            "--no_params_mirror",
            "--clean_twin",
            "--quiet",
        ])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn batches(path: &Path) -> Vec<RecordBatch> {
    ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap())
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The bytes of a Parquet file before its footer: every page, dictionary
/// and page index.
fn body(path: &Path) -> Vec<u8> {
    let mut bytes = fs::read(path).unwrap();
    let n = bytes.len();
    assert_eq!(&bytes[n - 4..], b"PAR1", "{}", path.display());
    let footer = u32::from_le_bytes(bytes[n - 8..n - 4].try_into().unwrap()) as usize;
    bytes.truncate(n - 8 - footer);
    bytes
}

/// The footer's key-value pairs of a Parquet file.
fn footer_pairs(path: &Path) -> std::collections::BTreeMap<String, String> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(File::open(path).unwrap()).unwrap();
    let pairs = builder.metadata().file_metadata().key_value_metadata();
    pairs
        .into_iter()
        .flatten()
        .map(|kv| (kv.key.clone(), kv.value.clone().unwrap_or_default()))
        .collect()
}

/// Two Parquet files hold the same pages and footer but for the provenance
/// pairs, whose `novawireless.step` says which program wrote each.
fn same_but_provenance(a: &Path, b: &Path, step_a: &str, step_b: &str) {
    assert!(body(a) == body(b), "{} differs", a.display());
    let (pa, pb) = (footer_pairs(a), footer_pairs(b));
    assert_eq!(pa["novawireless.step"], step_a, "{}", a.display());
    assert_eq!(pb["novawireless.step"], step_b, "{}", b.display());
    let rest = |p: &std::collections::BTreeMap<String, String>| {
        p.iter()
            .filter(|(k, _)| !k.starts_with("novawireless."))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(rest(&pa), rest(&pb), "{}", a.display());
    assert_eq!(batches(a), batches(b), "{}", a.display());
}

/// The value of a cell as the CSV writes it; floats are compared as numbers.
fn same(array: &dyn Array, row: usize, csv: &str, what: &str) {
    if array.is_null(row) {
        assert_eq!(csv, "", "{what}: null in Parquet, {csv:?} in CSV");
        return;
    }
    let any = array.as_any();
    if let Some(a) = array.as_dictionary_opt::<arrow_array::types::Int32Type>() {
        let key = a.keys().value(row) as usize;
        same(a.values().as_ref(), key, csv, what);
    } else if let Some(a) = any.downcast_ref::<StringArray>() {
        assert_eq!(a.value(row), csv, "{what}");
    } else if let Some(a) = any.downcast_ref::<Int32Array>() {
        assert_eq!(a.value(row).to_string(), csv, "{what}");
    } else if let Some(a) = any.downcast_ref::<Float64Array>() {
        assert_eq!(a.value(row), csv.parse::<f64>().unwrap(), "{what}");
    } else if let Some(a) = any.downcast_ref::<Date32Array>() {
        assert_eq!(civil_date(a.value(row)), csv, "{what}");
    } else {
        panic!("{what}: unexpected column type {:?}", array.data_type());
    }
}

/// `YYYY-MM-DD` of a day count since 1970-01-01 (Howard Hinnant's
/// civil-from-days algorithm).
fn civil_date(days: i32) -> String {
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[test]
fn a_parquet_run_holds_the_values_of_the_csv_run() {
    let root = tempfile::tempdir().unwrap();
    let (csv_dir, parquet_dir) = (root.path().join("csv"), root.path().join("parquet"));
    run_all(&csv_dir, &[]);
    run_all(&parquet_dir, &["--format", "parquet"]);
    for table in TABLES {
        let mut reader = csv::Reader::from_path(csv_dir.join(format!("{table}.csv"))).unwrap();
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let batches = batches(&parquet_dir.join(format!("{table}.parquet")));
        let schema = batches[0].schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(names, header, "{table}: columns");
        let mut row = 0;
        for batch in &batches {
            for i in 0..batch.num_rows() {
                for (c, name) in header.iter().enumerate() {
                    let what = format!("{table} row {} {name}", row + 1);
                    same(batch.column(c).as_ref(), i, &rows[row][c], &what);
                }
                row += 1;
            }
        }
        assert_eq!(row, rows.len(), "{table}: row count");
    }
    // Receipts say which format they describe.
    let receipt =
        fs::read_to_string(parquet_dir.join("imei_anomaly_injection_receipt.json")).unwrap();
    assert!(
        receipt.contains("\"format\": \"parquet\"") && receipt.contains("anomaly_manifest.parquet")
    );
}

#[test]
fn generate_customers_writes_the_step1_tables_of_run_all_in_parquet() {
    let root = tempfile::tempdir().unwrap();
    let (all, step1) = (root.path().join("all"), root.path().join("step1"));
    run_all(&all, &["--format", "parquet"]);
    let output = Command::new(common::step_binary("generate_customers"))
        .arg("--out_dir")
        .arg(&step1)
        .args(["--n_customers", "1500", "--format", "parquet", "--quiet"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for table in &TABLES[..6] {
        let name = format!("{table}.parquet");
        same_but_provenance(
            &all.join(&name),
            &step1.join(&name),
            "run_all",
            "generate_customers",
        );
    }
    let receipt = fs::read_to_string(step1.join("customer_generation_receipt.json")).unwrap();
    assert!(receipt.contains("\"format\": \"parquet\"") && receipt.contains("lines.parquet"));
}

/// `json` without white space outside its strings.
fn compact(json: &str) -> String {
    let (mut out, mut in_string, mut escaped) = (String::new(), false, false);
    for c in json.chars() {
        if in_string {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if c.is_whitespace() {
            continue;
        } else {
            in_string = c == '"';
        }
        out.push(c);
    }
    out
}

/// Each file names its provenance: the tool, the step, the seeds, the
/// receipt and the SHA-256 of the receipt's parameters, which the receipt
/// records too.
#[test]
fn parquet_footers_carry_the_run_provenance() {
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("out");
    run_all(
        &out,
        &[
            "--format",
            "parquet",
            "--seed",
            "11",
            "--anomaly_seed",
            "12",
        ],
    );
    let text = fs::read_to_string(out.join("customer_generation_receipt.json")).unwrap();
    let receipt: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The parameters object as the receipt spells it, in its key order,
    // without the pretty-printing's white space.
    let start = text.find("\"parameters\": {").unwrap() + "\"parameters\": ".len();
    let end = start + text[start..].find("\n  }").unwrap() + "\n  }".len();
    let parameters = compact(&text[start..end]);
    assert!(
        parameters.starts_with("{\"n_customers\":1500,\"seed\":11,"),
        "{parameters}"
    );
    let digest: String = sha2::Sha256::digest(parameters.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(receipt["parameters_sha256"], digest.as_str());
    for table in TABLES {
        let pairs = footer_pairs(&out.join(format!("{table}.parquet")));
        let ours: Vec<(&str, &str)> = pairs
            .iter()
            .filter(|(k, _)| k.starts_with("novawireless."))
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(
            ours,
            [
                ("novawireless.anomaly_seed", "12"),
                ("novawireless.parameters_sha256", digest.as_str()),
                ("novawireless.receipt", "customer_generation_receipt.json"),
                ("novawireless.seed", "11"),
                ("novawireless.step", "run_all"),
                (
                    "novawireless.tool",
                    concat!("novawireless ", env!("CARGO_PKG_VERSION"))
                ),
            ],
            "{table}"
        );
    }
}

#[test]
fn a_parquet_run_is_deterministic() {
    let root = tempfile::tempdir().unwrap();
    let (a, b) = (root.path().join("a"), root.path().join("b"));
    run_all(&a, &["--format", "parquet", "--chunk_customers", "1024"]);
    run_all(&b, &["--format", "parquet", "--chunk_customers", "2048"]);
    // Direct I/O writes the same bytes.
    let c = root.path().join("c");
    run_all(&c, &["--format", "parquet", "--direct_io", "true"]);
    for table in TABLES {
        let name = format!("{table}.parquet");
        let bytes = fs::read(a.join(&name)).unwrap();
        assert!(bytes == fs::read(b.join(&name)).unwrap(), "{name} differs");
        assert!(
            bytes == fs::read(c.join(&name)).unwrap(),
            "{name} differs with direct I/O"
        );
    }
}

/// Runs a step binary with `args`; its stderr on failure.
fn step(name: &str, args: &[&std::ffi::OsStr]) -> Result<(), String> {
    let output = Command::new(common::step_binary(name))
        .args(args)
        .output()
        .unwrap();
    if output.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).into_owned())
    }
}

#[test]
fn the_step_binaries_in_parquet_write_the_files_of_run_all() {
    let root = tempfile::tempdir().unwrap();
    let (all, steps) = (root.path().join("all"), root.path().join("steps"));
    // 1,500 customers: two swap blocks, partners from any customer.
    run_all(
        &all,
        &[
            "--format",
            "parquet",
            "--seed",
            "5",
            "--anomaly_seed",
            "9",
            "--p_mismatch",
            "0.2",
            "--within_customer_only",
            "false",
        ],
    );
    let o = |s: &'static str| std::ffi::OsStr::new(s);
    let dir = steps.as_os_str();
    let common = [
        o("--out_dir"),
        dir,
        o("--format"),
        o("parquet"),
        o("--quiet"),
    ];
    let ledger = [&common[..], &[o("--no_params_mirror")]].concat();
    step(
        "generate_customers",
        &[
            &common[..],
            &[o("--n_customers"), o("1500"), o("--seed"), o("5")],
        ]
        .concat(),
    )
    .unwrap();
    step("build_master_account_ledger", &ledger).unwrap();
    let inject = [
        o("--seed"),
        o("9"),
        o("--p_mismatch"),
        o("0.2"),
        o("--within_customer_only"),
        o("false"),
        o("--overwrite_base"),
    ];
    step(
        "inject_imei_anomalies",
        &[&ledger[..], &inject[..]].concat(),
    )
    .unwrap();
    step("fix_ledger_contract_proxy", &ledger).unwrap();
    let writers = [
        "generate_customers",
        "generate_customers",
        "generate_customers",
        "generate_customers",
        "generate_customers",
        "generate_customers",
        "fix_ledger_contract_proxy",
        "inject_imei_anomalies",
        "inject_imei_anomalies",
        "inject_imei_anomalies",
    ];
    for (table, writer) in TABLES[..10].iter().zip(writers) {
        let name = format!("{table}.parquet");
        same_but_provenance(&all.join(&name), &steps.join(&name), "run_all", writer);
    }
    // Step 4's backup is the ledger step 3 wrote as the base: the
    // anomaly ledger's pages.
    assert!(
        body(&steps.join("master_account_ledger__pre_contract_fix.parquet"))
            == body(&steps.join("master_account_ledger__anomalies.parquet"))
    );
    for receipt in [
        "master_account_ledger_receipt.json",
        "imei_anomaly_injection_receipt.json",
    ] {
        let text = fs::read_to_string(steps.join(receipt)).unwrap();
        assert!(text.contains("\"format\": \"parquet\""), "{receipt}");
    }
    assert!(!steps.join("master_account_ledger.csv").exists());

    // The mirror gets the Parquet ledger and the receipt.
    let (again, params) = (root.path().join("again"), root.path().join("params"));
    step(
        "build_master_account_ledger",
        &[
            o("--in_dir"),
            dir,
            o("--out_dir"),
            again.as_os_str(),
            o("--format"),
            o("parquet"),
            o("--params_dir"),
            params.as_os_str(),
        ],
    )
    .unwrap();
    let mut mirrored: Vec<String> = fs::read_dir(&params)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    mirrored.sort();
    assert_eq!(
        mirrored,
        [
            "master_account_ledger.parquet",
            "master_account_ledger_receipt.json"
        ]
    );
    assert!(
        fs::read(params.join("master_account_ledger.parquet")).unwrap()
            == fs::read(again.join("master_account_ledger.parquet")).unwrap()
    );
}

#[test]
fn a_step_pointed_at_the_other_format_says_which_flag_reads_it() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("csv");
    run_all(&dir, &[]);
    let o = std::ffi::OsStr::new;
    for name in [
        "build_master_account_ledger",
        "inject_imei_anomalies",
        "fix_ledger_contract_proxy",
    ] {
        let out = root.path().join(name);
        let error = step(
            name,
            &[
                o("--in_dir"),
                dir.as_os_str(),
                o("--out_dir"),
                out.as_os_str(),
                o("--format"),
                o("parquet"),
                o("--no_params_mirror"),
            ],
        )
        .unwrap_err();
        let table = if name == "build_master_account_ledger" {
            "customers"
        } else {
            "master_account_ledger"
        };
        assert_eq!(
            error.trim_end(),
            format!(
                "error: {}: no such file; {table}.csv is there: pass --format csv to read it",
                dir.join(format!("{table}.parquet")).display()
            ),
            "{name}"
        );
        assert!(!out.exists(), "{name} created its output folder");
    }
}

#[test]
fn unknown_formats_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_run_all"))
        .arg("--out_dir")
        .arg(root.path().join("x"))
        .args(["--format", "feather"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("[possible values: csv, parquet]"));
}
