//! The config file's form: duplicate keys, mistyped fields, a byte-order
//! mark and oversized files, each reproduced first.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use novawireless_sampler::Baseline;
use std::io::Write;
use std::time::{Duration, Instant};

fn refused(text: &str) -> String {
    Baseline::from_json_str(text, "c.json")
        .unwrap_err()
        .to_string()
}

/// serde keeps the last of two equal keys; a config must not silently lose one.
#[test]
fn duplicate_keys_are_refused_with_their_path_and_line() {
    let e = refused("{\n  \"PaperlessBilling\": {\"Yes\": 0.6, \"Yes\": 0.4, \"No\": 0.4}\n}");
    assert!(e.contains("duplicate key \"PaperlessBilling.Yes\""), "{e}");
    assert!(e.contains("line 2"), "{e}");
    let e = refused(r#"{"churn_base_rate": 0.2, "churn_base_rate": 0.3}"#);
    assert!(e.contains("duplicate key \"churn_base_rate\""), "{e}");
    let e = refused(
        r#"{"registry": {"customer_params": "a"}, "sources": {"a": {"payload": {"Contract": {"One year": 1, "One year": 2}}}}}"#,
    );
    assert!(e.contains("sources.a.payload.Contract.One year"), "{e}");
}

/// A type error names the field path (and, in a bare payload, the line).
#[test]
fn type_errors_name_the_field() {
    let e = refused("{\n\"PaperlessBilling\": {\"Yes\": \"0.4\", \"No\": 0.6}}");
    assert!(
        e.contains("PaperlessBilling.Yes") && e.contains("invalid type"),
        "{e}"
    );
    assert!(e.contains("line 2"), "{e}");
    let e =
        refused(r#"{"tenure_months": {"min": 0, "max": "72", "bins": [[0, 72]], "probs": [1]}}"#);
    assert!(e.contains("tenure_months.max"), "{e}");
    let e = refused(r#"{"joint_model": {"add_ons_need_internet": "yes"}}"#);
    assert!(e.contains("joint_model.add_ons_need_internet"), "{e}");
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let b = Baseline::from_json_str("\u{feff}{\"churn_base_rate\": 0.3}", "c.json").unwrap();
    assert_eq!(b.churn_base_rate, 0.3);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bom.json");
    std::fs::write(&path, b"\xEF\xBB\xBF{\"churn_base_rate\": 0.3}").unwrap();
    assert_eq!(Baseline::from_file(&path).unwrap().churn_base_rate, 0.3);
}

/// A file past the cap is refused without reading it all: `/dev/zero` too.
#[test]
fn oversized_files_are_refused_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let mut f = std::fs::File::create(&path).unwrap();
    f.write_all(b"{\"churn_base_rate\": 0.3}").unwrap();
    f.write_all(&vec![b' '; 5 << 20]).unwrap();
    drop(f);
    let e = Baseline::from_file(&path).unwrap_err().to_string();
    assert!(
        e.contains("big.json") && e.contains("larger than 4 MiB"),
        "{e}"
    );
    let started = Instant::now();
    let e = Baseline::from_file(std::path::Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("/dev/zero") && e.contains("larger than 4 MiB"),
        "{e}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
