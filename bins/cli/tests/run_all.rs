//! End-to-end checks of `run_all`: reproducibility (README, *Scale and sharding* (determinism)), equality with
//! the four step binaries run in sequence (README, *The pipeline*), the params mirror, the
//! compatibility columns (README, *Files* and *Parquet*), and properties of a generated output
//! parsed back from its CSV files (README, *Files*, *`master_account_ledger.csv`* and *Step 3*).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use std::collections::{BTreeMap, HashMap};
use std::ffi::OsString;
use std::path::Path;
use std::process::Command;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");
const LEDGER: &str = "master_account_ledger.csv";
const ANOMALIES: &str = "master_account_ledger__anomalies.csv";
const EXAMPLES: &str = "imei_anomaly_examples.csv";
const ANOMALY_RECEIPT: &str = "imei_anomaly_injection_receipt.json";
const BACKUP: &str = "master_account_ledger__pre_contract_fix.csv";

/// Step 1's files (the receipt last).
const STEP1: &[&str] = &[
    "customers.csv",
    "customers_v1.csv",
    "lines.csv",
    "devices.csv",
    "eip_agreements.csv",
    "line_device_usage.csv",
    "customer_generation_receipt.json",
];

/// Every file `run_all` writes, sorted.
const ALL: &[&str] = &[
    "anomaly_manifest.csv",
    "customer_generation_receipt.json",
    "customers.csv",
    "customers_v1.csv",
    "datapackage.json",
    "devices.csv",
    "eip_agreements.csv",
    "imei_anomaly_examples.csv",
    "imei_anomaly_injection_receipt.json",
    "line_device_usage.csv",
    "lines.csv",
    "master_account_ledger.csv",
    "master_account_ledger__anomalies.csv",
    "master_account_ledger_receipt.json",
];

/// The files mirrored to `--params_dir`, sorted.
const MIRRORED: &[&str] = &[
    "anomaly_manifest.csv",
    "imei_anomaly_examples.csv",
    "imei_anomaly_injection_receipt.json",
    "master_account_ledger.csv",
    "master_account_ledger__anomalies.csv",
    "master_account_ledger_receipt.json",
];

/// Runs `run_all` in the working directory `cwd` with `args`.
fn run_all_in(cwd: &Path, args: &[&str]) {
    let output = Command::new(RUN_ALL)
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "run_all {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Runs `run_all --out_dir dir --no_params_mirror` with `extra`.
fn run_all(dir: &Path, extra: &[&str]) {
    let mut args: Vec<OsString> = vec![a("--out_dir"), a(dir), a("--no_params_mirror")];
    args.extend(extra.iter().map(a));
    run_ok(RUN_ALL, &args);
}

fn names(snapshot: &BTreeMap<String, Vec<u8>>) -> Vec<&str> {
    snapshot.keys().map(String::as_str).collect()
}

#[test]
fn same_flags_give_the_same_bytes() {
    // A relative --out_dir from two working directories: receipts record
    // the folder as given, so with the same flags every byte must match.
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    let flags = [
        "--n_customers",
        "300",
        "--out_dir",
        "out",
        "--no_params_mirror",
    ];
    run_all_in(one.path(), &flags);
    run_all_in(two.path(), &flags);
    let first = snapshot(&one.path().join("out"));
    assert_eq!(names(&first), ALL);
    assert_eq!(first, snapshot(&two.path().join("out")));
    // A rerun into the same folder rewrites the same bytes.
    run_all_in(one.path(), &flags);
    assert_eq!(first, snapshot(&one.path().join("out")));
    assert_eq!(first["customers.csv"], first["customers_v1.csv"]);
    assert!(
        !one.path().join("data").exists(),
        "--no_params_mirror wrote a mirror"
    );
}

#[test]
fn direct_io_changes_no_byte() {
    // Relative --out_dir from two working directories, so that receipts
    // match too; 5,000 customers fill three 1 MiB direct blocks of the
    // ledger and leave a tail.
    let (one, two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let flags = [
        "--n_customers",
        "5000",
        "--out_dir",
        "out",
        "--no_params_mirror",
        "--clean_twin",
        "--direct_io",
    ];
    run_all_in(one.path(), &[&flags[..], &["false"]].concat());
    run_all_in(two.path(), &[&flags[..], &["true"]].concat());
    let (buffered, direct) = (
        snapshot(&one.path().join("out")),
        snapshot(&two.path().join("out")),
    );
    assert!(direct["master_account_ledger.csv"].len() > 3 << 20);
    assert_eq!(names(&buffered), names(&direct));
    for (name, bytes) in &buffered {
        assert!(*bytes == direct[name], "{name} differs with direct I/O");
    }
}

#[test]
fn the_anomaly_seed_changes_the_anomalies_only() {
    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    run_all(one.path(), &["--n_customers", "300", "--anomaly_seed", "1"]);
    run_all(two.path(), &["--n-customers", "300", "--anomaly-seed", "2"]);
    let (a1, a2) = (snapshot(one.path()), snapshot(two.path()));
    for name in STEP1 {
        assert!(a1[*name] == a2[*name], "{name} depends on --anomaly_seed");
    }
    for name in [ANOMALIES, LEDGER, ANOMALY_RECEIPT] {
        assert!(a1[name] != a2[name], "{name} ignores --anomaly_seed");
    }
}

#[test]
fn the_step_binaries_in_sequence_give_the_same_files() {
    for (n, p) in [
        ("400", &["--p_mismatch", "0.3", "--p_missing", "0.1"][..]),
        // Two swap blocks of 1,024 customers, partners from any customer.
        ("1500", &["--within_customer_only", "false"][..]),
    ] {
        let steps = tempfile::tempdir().unwrap();
        let s = steps.path();
        let gen_flags = ["--n_customers", n, "--seed", "7"];
        let mut args: Vec<OsString> = vec![a("--out_dir"), a(s)];
        args.extend(gen_flags.iter().map(a));
        run_ok(step_binary("generate_customers"), &args);
        let ledger_args = [a("--out_dir"), a(s), a("--no_params_mirror")];
        run_ok(step_binary("build_master_account_ledger"), &ledger_args);
        let mut args = ledger_args.to_vec();
        args.extend(["--seed", "99", "--overwrite_base"].iter().map(a));
        args.extend(p.iter().map(a));
        run_ok(step_binary("inject_imei_anomalies"), &args);
        run_ok(step_binary("fix_ledger_contract_proxy"), &ledger_args);

        let all = tempfile::tempdir().unwrap();
        let mut flags = gen_flags.to_vec();
        flags.extend(["--anomaly_seed", "99"]);
        flags.extend(p);
        run_all(all.path(), &flags);

        let (by_steps, by_run_all) = (snapshot(s), snapshot(all.path()));
        assert!(by_steps.contains_key(BACKUP) && !by_run_all.contains_key(BACKUP));
        for name in STEP1.iter().copied().chain([ANOMALIES, EXAMPLES, LEDGER]) {
            assert!(
                by_steps[name] == by_run_all[name],
                "{name} differs between the steps and run_all ({p:?})"
            );
        }
        // With --overwrite_base, step 4's backup is the anomaly ledger.
        assert!(by_steps[BACKUP] == by_steps[ANOMALIES]);
        let ledger = String::from_utf8_lossy(&by_run_all[LEDGER]);
        assert!(
            ledger.contains(",imei_mismatch_swap\n"),
            "no swap at all ({p:?})"
        );
        assert!(ledger.contains(",missing_usage_imei_capture_failure\n"));
        assert!(ledger.contains(",EIP-"));
    }
}

#[test]
fn the_ledger_files_are_mirrored_to_params_dir() {
    // The default --params_dir, relative to the working directory.
    let cwd = tempfile::tempdir().unwrap();
    run_all_in(cwd.path(), &["--n_customers", "60", "--out_dir", "out"]);
    let out = snapshot(&cwd.path().join("out"));
    let mirror = snapshot(&cwd.path().join("data/external/params_sources"));
    assert_eq!(names(&mirror), MIRRORED);
    for (name, bytes) in &mirror {
        assert!(
            *bytes == out[name],
            "mirrored {name} differs from out_dir's"
        );
    }
    assert_eq!(names(&out), ALL);

    // An explicit --params_dir (created when missing).
    let dir = tempfile::tempdir().unwrap();
    let params = dir.path().join("p/q");
    run_ok(
        RUN_ALL,
        &[
            a("--n_customers"),
            a("60"),
            a("--out_dir"),
            a(dir.path().join("out")),
            a("--params-dir"),
            a(&params),
        ],
    );
    let out = snapshot(&dir.path().join("out"));
    let mirror = snapshot(&params);
    assert_eq!(names(&mirror), MIRRORED);
    for (name, bytes) in &mirror {
        assert!(
            *bytes == out[name],
            "mirrored {name} differs from out_dir's"
        );
    }
}

/// A CSV file parsed back: its header and rows.
struct Table {
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let mut reader = csv::Reader::from_path(path).unwrap();
        let header = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        let rows = reader.records().map(Result::unwrap).collect();
        Table { header, rows }
    }

    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", self.header))
    }

    /// The rows keyed by column `key` (which must be unique).
    fn by(&self, key: &str) -> HashMap<String, &csv::StringRecord> {
        let k = self.col(key);
        let map: HashMap<String, &csv::StringRecord> =
            self.rows.iter().map(|r| (r[k].to_owned(), r)).collect();
        assert_eq!(map.len(), self.rows.len(), "{key} is not unique");
        map
    }
}

#[test]
fn the_compatibility_columns_have_their_exact_names() {
    let dir = tempfile::tempdir().unwrap();
    run_all(dir.path(), &["--n_customers", "40"]);
    let customers = Table::read(&dir.path().join("customers.csv"));
    let spec5 = "customer_id, account_id, tenure_months, monthly_charges, paperless_billing, \
        payment_method, contract_proxy, internet_service, has_5g_home_internet, \
        lines_on_account, device_payment_plan, device_term_months, \
        device_months_remaining, device_monthly_payment, OnlineSecurity, OnlineBackup, \
        DeviceProtection, StreamingTV, StreamingMovies, churn_risk_score, \
        trust_baseline, patience, is_churned, repeat_contacts_30d, last_call_day_index";
    assert_eq!(customers.header, spec5.split(", ").collect::<Vec<_>>());
    for name in [
        "customer_id",
        "account_id",
        "tenure_months",
        "monthly_charges",
        "lines_on_account",
        "churn_risk_score",
        "trust_baseline",
        "patience",
        "is_churned",
    ] {
        customers.col(name);
    }
    let ledger = Table::read(&dir.path().join(LEDGER));
    for name in [
        "account_id",
        "product_type",
        "eip_exists_flag",
        "imei_mismatch_flag",
        "billing_agreement_type",
    ] {
        assert_eq!(
            ledger.header.iter().filter(|h| *h == name).count(),
            1,
            "{name}"
        );
    }
    // billing_agreement_type sits where contract_proxy was (README, *`master_account_ledger.csv`* (`billing_agreement_type`)), the
    // label is last (README, *Step 3*).
    let anomalies = Table::read(&dir.path().join(ANOMALIES));
    assert_eq!(
        anomalies.col("contract_proxy"),
        ledger.col("billing_agreement_type")
    );
    assert!(!ledger.header.iter().any(|h| h == "contract_proxy"));
    assert_eq!(ledger.header.last().unwrap(), "imei_anomaly_type");
    assert_eq!(ledger.header.len(), 47);
}

/// Whether the swap-labelled rows of one customer, as (step-1 usage IMEI,
/// final usage IMEI), split into pairs that exchanged their IMEIs.
fn pairs_up(rows: &mut Vec<(String, String)>) -> bool {
    let Some(first) = rows.pop() else {
        return true;
    };
    for k in 0..rows.len() {
        if rows[k].0 == first.1 && rows[k].1 == first.0 {
            let partner = rows.remove(k);
            if pairs_up(rows) {
                return true;
            }
            rows.insert(k, partner);
        }
    }
    rows.push(first);
    false
}

/// Checks the properties of a `run_all` output folder.
fn check_properties(dir: &Path) {
    let customers = Table::read(&dir.join("customers.csv"));
    let lines = Table::read(&dir.join("lines.csv"));
    let agreements = Table::read(&dir.join("eip_agreements.csv"));
    let usage = Table::read(&dir.join("line_device_usage.csv"));
    let ledger = Table::read(&dir.join(LEDGER));
    let anomalies = Table::read(&dir.join(ANOMALIES));
    let examples = Table::read(&dir.join(EXAMPLES));
    let receipt: serde_json::Value =
        serde_json::from_str(&read(&dir.join(ANOMALY_RECEIPT))).unwrap();
    let l = |name: &str| ledger.col(name);

    // One ledger row per line, in lines.csv order, with the line's columns.
    assert_eq!(ledger.rows.len(), lines.rows.len());
    for (row, line) in ledger.rows.iter().zip(&lines.rows) {
        for name in [
            "line_id",
            "customer_id",
            "account_id",
            "msisdn",
            "product_type",
            "status",
            "company_owned_equipment_flag",
            "current_imei",
        ] {
            assert_eq!(row[l(name)], line[lines.col(name)], "{name}");
        }
    }

    // The joined columns come from the customer, agreement and usage rows.
    let customer_of = customers.by("customer_id");
    let agreement_of = agreements.by("line_id");
    let usage_of = usage.by("line_id");
    for row in &ledger.rows {
        let c = customer_of[&row[l("customer_id")]];
        for name in &customers.header[1..] {
            if name != "contract_proxy" {
                assert_eq!(row[l(name)], c[customers.col(name)], "{name}");
            }
        }
        let line_id = &row[l("line_id")];
        let agreement = agreement_of.get(line_id);
        for (column, source) in [
            ("agreement_number", "agreement_number"),
            ("eip_imei", "eip_imei"),
            ("product_type_eip", "product_type"),
            ("eip_status", "eip_status"),
            ("installment_months", "installment_months"),
        ] {
            let want = agreement.map_or("", |a| &a[agreements.col(source)]);
            assert_eq!(&row[l(column)], want, "{column} of {line_id}");
        }
        let u = usage_of[line_id];
        for (column, source) in [
            ("product_type_usage", "product_type"),
            ("usage_snapshot_date", "usage_snapshot_date"),
            ("imei_line_mismatch_flag", "imei_line_mismatch_flag"),
            ("usage_eip_agreement_number", "usage_eip_agreement_number"),
        ] {
            assert_eq!(
                &row[l(column)],
                &u[usage.col(source)],
                "{column} of {line_id}"
            );
        }
    }

    let flag = |row: &csv::StringRecord, name: &str| -> bool {
        match &row[l(name)] {
            "0" => false,
            "1" => true,
            other => panic!("{name} = {other:?}"),
        }
    };
    let mut labels: BTreeMap<&str, u64> = BTreeMap::new();
    let mut swapped: BTreeMap<&str, Vec<(String, String)>> = BTreeMap::new();
    let mut mismatches = 0;
    for row in &ledger.rows {
        let line_id = &row[l("line_id")];
        let agreement = &row[l("agreement_number")];
        let eip_imei = &row[l("eip_imei")];
        let usage_imei = &row[l("usage_imei")];
        let recorded = &row[l("usage_eip_agreement_number")];
        let has_agreement = !agreement.is_empty();

        // The flags, recomputed from the columns (README, *`master_account_ledger.csv`*, step 3's rule).
        let imei_mismatch = has_agreement && !usage_imei.is_empty() && eip_imei != usage_imei;
        let missing = usage_imei.is_empty();
        let eip_mismatch = has_agreement && !recorded.is_empty() && recorded != agreement;
        assert_eq!(flag(row, "eip_exists_flag"), has_agreement, "{line_id}");
        assert_eq!(flag(row, "imei_mismatch_flag"), imei_mismatch, "{line_id}");
        assert_eq!(flag(row, "missing_usage_imei_flag"), missing, "{line_id}");
        assert_eq!(flag(row, "eip_mismatch_flag"), eip_mismatch, "{line_id}");
        assert_eq!(
            flag(row, "upstream_friction_risk_flag"),
            imei_mismatch || missing || eip_mismatch,
            "{line_id}"
        );
        // A mismatch needs an agreement.
        if flag(row, "imei_mismatch_flag") {
            assert!(has_agreement, "{line_id}");
            mismatches += 1;
        }

        // Labels against the step-1 usage table.
        let clean = &usage_of[line_id][usage.col("usage_imei")];
        let label = &row[l("imei_anomaly_type")];
        *labels.entry(label).or_default() += 1;
        match label {
            "" => assert_eq!(usage_imei, clean, "{line_id} changed without a label"),
            "imei_mismatch_swap" => {
                assert_eq!(&row[l("product_type")], "voice", "{line_id}");
                assert!(has_agreement, "{line_id}");
                assert_ne!(usage_imei, clean, "{line_id}");
                swapped
                    .entry(&row[l("customer_id")])
                    .or_default()
                    .push((clean.to_owned(), usage_imei.to_owned()));
            }
            "missing_usage_imei_capture_failure" | "missing_usage_imei_ghost_line" => {
                assert_eq!(usage_imei, "", "{line_id}");
                assert_ne!(clean, "", "{line_id} had no usage IMEI to lose");
                assert_eq!(
                    has_agreement,
                    label == "missing_usage_imei_capture_failure",
                    "{line_id}"
                );
            }
            other => panic!("unknown label {other:?}"),
        }

        // billing_agreement_type is EIP-{n}mo exactly where n > 0.
        let months: u32 = row[l("installment_months")].parse().unwrap_or(0);
        let billing = &row[l("billing_agreement_type")];
        if months > 0 {
            assert_eq!(billing, format!("EIP-{months}mo"), "{line_id}");
        } else {
            assert_eq!(billing, "Month-to-month", "{line_id}");
        }
    }

    // Swapped rows come in pairs within one customer that exchanged their
    // step-1 usage IMEIs.
    for (customer, rows) in &mut swapped {
        assert!(
            rows.len() % 2 == 0,
            "{customer}: odd number of swapped rows"
        );
        assert!(pairs_up(rows), "{customer}: swapped rows do not pair up");
    }

    // Every mismatch is a generation-time mismatch or a swap.
    let generation = usage
        .rows
        .iter()
        .filter(|r| &r[usage.col("imei_line_mismatch_flag")] == "1")
        .count() as u64;
    let swaps = labels.get("imei_mismatch_swap").copied().unwrap_or(0);
    assert!(mismatches <= generation + swaps);

    // The receipt counts what the ledger carries.
    let realised = &receipt["realised"];
    assert_eq!(realised["rows"].as_u64(), Some(ledger.rows.len() as u64));
    for label in [
        "imei_mismatch_swap",
        "missing_usage_imei_capture_failure",
        "missing_usage_imei_ghost_line",
    ] {
        assert_eq!(
            realised[label].as_u64(),
            Some(labels.get(label).copied().unwrap_or(0)),
            "{label}"
        );
    }
    assert_eq!(
        realised["example_rows"].as_u64(),
        Some(examples.rows.len() as u64)
    );

    // The anomaly ledger is the final ledger with contract_proxy in place of
    // billing_agreement_type.
    assert_eq!(anomalies.rows.len(), ledger.rows.len());
    let contract = anomalies.col("contract_proxy");
    for (before, after) in anomalies.rows.iter().zip(&ledger.rows) {
        for i in 0..before.len() {
            if i != contract {
                assert_eq!(&before[i], &after[i], "{}", anomalies.header[i]);
            }
        }
        let c = customer_of[&before[0]];
        assert_eq!(&before[contract], &c[customers.col("contract_proxy")]);
    }

    // The examples are the rows with a label or a friction flag.
    let wanted: Vec<Vec<&str>> = ledger
        .rows
        .iter()
        .filter(|r| {
            !r[l("imei_anomaly_type")].is_empty()
                || [
                    "imei_mismatch_flag",
                    "missing_usage_imei_flag",
                    "eip_mismatch_flag",
                    "upstream_friction_risk_flag",
                ]
                .iter()
                .any(|f| flag(r, f))
        })
        .map(|r| examples.header.iter().map(|h| &r[l(h)]).collect())
        .collect();
    let got: Vec<Vec<&str>> = examples.rows.iter().map(|r| r.iter().collect()).collect();
    assert_eq!(got, wanted);
}

#[test]
fn properties_of_a_generated_output() {
    for flags in [
        &["--n_customers", "2000"][..],
        &[
            "--n_customers",
            "2000",
            "--seed",
            "5",
            "--p_mismatch",
            "0.4",
            "--p_missing",
            "0.15",
        ][..],
    ] {
        let dir = tempfile::tempdir().unwrap();
        run_all(dir.path(), flags);
        check_properties(dir.path());
    }
}
