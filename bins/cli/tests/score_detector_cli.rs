//! `score_detector` end to end on `fixtures/scoring`: the printed report
//! and the JSON file of the hand-counted fixture, a perfect predictor built
//! from the manifest, and every bad predictions file refused with one line
//! on stderr naming the file and line, a non-zero exit, and no JSON file.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const EXE: &str = env!("CARGO_BIN_EXE_score_detector");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures/scoring")
        .join(name)
}

/// Runs the binary on the fixture's ledger and manifest with `predictions`
/// and the `extra` flags.
fn run(predictions: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<OsString> = vec![
        "--ledger".into(),
        fixture("master_account_ledger.csv").into(),
        "--manifest".into(),
        fixture("anomaly_manifest.csv").into(),
        "--predictions".into(),
        predictions.into(),
    ];
    args.extend(extra.iter().map(OsString::from));
    Command::new(EXE).args(&args).output().unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

const FLAGS_REPORT: &str = "\
Detector scores by line: 12 lines, 10 with a prediction, 2 absent (counted as not flagged)
A line is positive when it carries at least one manifest defect; a ratio 0/0 is reported as 0.

                      flagged  not flagged
  with a defect   TP        4  FN        3
  without defect  FP        1  TN        4

  precision  0.800000  TP / (TP + FP)        = 4/5
  recall     0.571429  TP / (TP + FN)        = 4/7
  F1         0.666667  2TP / (2TP + FP + FN) = 8/12

By defect type: support = lines carrying the type (a line with two types counts for both),
TP = those flagged, FN = those not flagged, recall = TP / support,
precision = TP / (TP + FP) with FP = 1, the flagged lines carrying no defect at all.
  defect_type                         support       TP       FN    recall  precision
  generation_usage_mismatch                 2        2        0  1.000000   0.666667
  imei_mismatch_swap                        2        1        1  0.500000   0.500000
  missing_usage_imei_capture_failure        2        2        0  1.000000   0.666667
  missing_usage_imei_ghost_line             2        0        2  0.000000   0.000000
";

#[test]
fn flags_report_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("scores.json");
    let output = run(
        &fixture("predictions_flags.csv"),
        &["--json", json.to_str().unwrap()],
    );
    assert_eq!(stdout(&output), FLAGS_REPORT);
    let text = fs::read_to_string(&json).unwrap();
    assert!(text.ends_with("}\n"));
    let j: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (
            &j["true_positive"],
            &j["false_positive"],
            &j["false_negative"],
            &j["true_negative"]
        ),
        (&4.into(), &1.into(), &3.into(), &4.into())
    );
    assert_eq!((&j["lines"], &j["absent"]), (&12.into(), &2.into()));
    assert_eq!(j["precision"], 4.0 / 5.0);
    assert_eq!(j["recall"], 4.0 / 7.0);
    assert_eq!(j["f1"], 8.0 / 12.0);
    let by_type = &j["by_defect_type"];
    assert_eq!(by_type["generation_usage_mismatch"]["precision"], 2.0 / 3.0);
    assert_eq!(by_type["missing_usage_imei_ghost_line"]["recall"], 0.0);
    assert_eq!(by_type.as_object().unwrap().len(), 4);
    // Only the JSON file in the folder: no temporary left behind.
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn a_relative_json_path_lands_in_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(EXE)
        .current_dir(dir.path())
        .args(["--ledger"])
        .arg(fixture("master_account_ledger.csv"))
        .arg("--manifest")
        .arg(fixture("anomaly_manifest.csv"))
        .arg("--predictions")
        .arg(fixture("predictions_flags.csv"))
        .args(["--json", "s.json"])
        .output()
        .unwrap();
    assert_eq!(stdout(&output), FLAGS_REPORT);
    assert!(dir.path().join("s.json").is_file());
}

#[test]
fn scores_with_a_threshold() {
    let report = stdout(&run(
        &fixture("predictions_scores.csv"),
        &["--threshold", "0.5"],
    ));
    assert!(report.starts_with("Detector scores by line: 12 lines, 12 with a prediction, 0 absent"));
    for expected in [
        "  with a defect   TP        4  FN        3\n",
        "  without defect  FP        2  TN        3\n",
        "  precision  0.666667  TP / (TP + FP)        = 4/6\n",
        "  recall     0.571429  TP / (TP + FN)        = 4/7\n",
        "  F1         0.615385  2TP / (2TP + FP + FN) = 8/13\n",
        "precision = TP / (TP + FP) with FP = 2,",
        "  generation_usage_mismatch                 2        2        0  1.000000   0.500000\n",
        "  imei_mismatch_swap                        2        1        1  0.500000   0.333333\n",
    ] {
        assert!(report.contains(expected), "{expected:?} not in\n{report}");
    }
    // Just above LINE-3's 0.50 it is no longer flagged; a negative threshold
    // flags every line.
    let above = stdout(&run(
        &fixture("predictions_scores.csv"),
        &["--threshold", "0.50000001"],
    ));
    assert!(
        above.contains("  without defect  FP        1  TN        4\n"),
        "{above}"
    );
    let all = stdout(&run(
        &fixture("predictions_scores.csv"),
        &["--threshold", "-10"],
    ));
    assert!(
        all.contains("  with a defect   TP        7  FN        0\n"),
        "{all}"
    );
    assert!(
        all.contains("  without defect  FP        5  TN        0\n"),
        "{all}"
    );
}

#[test]
fn a_perfect_predictor_built_from_the_manifest_scores_one() {
    let manifest = fs::read_to_string(fixture("anomaly_manifest.csv")).unwrap();
    let defective: Vec<&str> = manifest
        .lines()
        .skip(1)
        .map(|row| row.split(',').nth(4).unwrap())
        .collect();
    let mut csv = String::from("line_id,flag\n");
    for n in 1..=12 {
        let id = format!("LINE-{n:09}");
        let flag = u8::from(defective.contains(&id.as_str()));
        csv.push_str(&format!("{id},{flag}\n"));
    }
    let dir = tempfile::tempdir().unwrap();
    let predictions = dir.path().join("perfect.csv");
    fs::write(&predictions, csv).unwrap();
    let json = dir.path().join("perfect.json");
    let report = stdout(&run(&predictions, &["--json", json.to_str().unwrap()]));
    assert!(report.contains("  F1         1.000000"), "{report}");
    let j: serde_json::Value = serde_json::from_str(&fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(
        (&j["precision"], &j["recall"], &j["f1"]),
        (&1.0.into(), &1.0.into(), &1.0.into())
    );
    assert_eq!(
        (&j["false_positive"], &j["false_negative"]),
        (&0.into(), &0.into())
    );
    for (name, t) in j["by_defect_type"].as_object().unwrap() {
        assert_eq!(t["recall"], 1.0, "{name}");
        assert_eq!(t["precision"], 1.0, "{name}");
    }
}

/// Runs with a predictions file holding `text` (or none when `None`) and
/// checks the refusal: non-zero exit, nothing on stdout, one line on stderr
/// holding `path:line:` (or `path:` when `line` is `None`) and `needle`,
/// and no JSON file.
fn refused(text: Option<&str>, extra: &[&str], line: Option<u64>, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let predictions = dir.path().join("predictions.csv");
    if let Some(text) = text {
        fs::write(&predictions, text).unwrap();
    }
    let json = dir.path().join("out/scores.json");
    let mut args = vec!["--json", json.to_str().unwrap()];
    args.extend_from_slice(extra);
    let output = run(&predictions, &args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{text:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{text:?}");
    assert_eq!(
        stderr.lines().count(),
        1,
        "{text:?}: stderr is not one line: {stderr:?}"
    );
    let at = match line {
        Some(line) => format!("error: {}:{line}: ", predictions.display()),
        None => format!("error: {}: ", predictions.display()),
    };
    assert!(
        stderr.starts_with(&at),
        "{stderr:?} does not start with {at:?}"
    );
    assert!(
        stderr.contains(needle),
        "{stderr:?} does not hold {needle:?}"
    );
    assert!(
        !json.exists(),
        "{text:?}: a refused run wrote the JSON file"
    );
    assert!(
        !dir.path().join("out").exists(),
        "{text:?}: created the JSON folder"
    );
}

#[test]
fn a_missing_predictions_file() {
    refused(None, &[], None, "cannot read");
}

#[test]
fn an_empty_predictions_file() {
    refused(Some(""), &[], None, "empty file");
}

#[test]
fn no_line_id_column() {
    refused(
        Some("line,flag\nLINE-000000001,1\n"),
        &[],
        Some(1),
        "missing column \"line_id\"",
    );
}

#[test]
fn neither_flag_nor_score() {
    refused(
        Some("line_id,prob\nLINE-000000001,1\n"),
        &[],
        Some(1),
        "neither a flag nor a score column",
    );
}

#[test]
fn both_flag_and_score() {
    refused(
        Some("line_id,flag,score\nLINE-000000001,1,0.9\n"),
        &["--threshold", "0.5"],
        Some(1),
        "both a flag and a score column",
    );
}

#[test]
fn a_score_without_threshold() {
    refused(
        Some("line_id,score\nLINE-000000001,0.9\n"),
        &[],
        Some(1),
        "needs --threshold",
    );
}

#[test]
fn a_flag_with_threshold() {
    refused(
        Some("line_id,flag\nLINE-000000001,1\n"),
        &["--threshold", "0.5"],
        Some(1),
        "--threshold applies to a score column",
    );
}

#[test]
fn a_flag_that_is_not_zero_or_one() {
    refused(
        Some("line_id,flag\nLINE-000000001,1\nLINE-000000002,0\nLINE-000000003,yes\n"),
        &[],
        Some(4),
        "column flag: \"yes\" is not 0 or 1",
    );
}

#[test]
fn a_score_that_is_not_a_number() {
    refused(
        Some("line_id,score\nLINE-000000001,0.3\nLINE-000000002,high\n"),
        &["--threshold", "0.5"],
        Some(3),
        "column score: \"high\" is not a finite number",
    );
}

#[test]
fn a_score_that_is_not_finite() {
    refused(
        Some("line_id,score\nLINE-000000001,NaN\n"),
        &["--threshold", "0.5"],
        Some(2),
        "not a finite number",
    );
    refused(
        Some("line_id,score\nLINE-000000001,-inf\n"),
        &["--threshold", "0.5"],
        Some(2),
        "not a finite number",
    );
}

#[test]
fn an_unknown_line() {
    refused(
        Some("line_id,flag\nLINE-000000001,1\nLINE-000000013,0\n"),
        &[],
        Some(3),
        "line LINE-000000013 is not in the ledger",
    );
}

#[test]
fn a_malformed_line_id() {
    refused(
        Some("line_id,flag\nLINE-13,0\n"),
        &[],
        Some(2),
        "column line_id: \"LINE-13\" is not a valid line id",
    );
}

#[test]
fn a_duplicate_prediction() {
    refused(
        Some("line_id,flag\nLINE-000000001,1\nLINE-000000002,0\nLINE-000000001,0\n"),
        &[],
        Some(4),
        "second prediction for LINE-000000001 (the first is on line 2)",
    );
}

#[test]
fn a_bad_manifest_or_ledger_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("scores.json");
    let missing = dir.path().join("no_manifest.csv");
    let output = Command::new(EXE)
        .arg("--ledger")
        .arg(fixture("master_account_ledger.csv"))
        .arg("--manifest")
        .arg(&missing)
        .arg("--predictions")
        .arg(fixture("predictions_flags.csv"))
        .arg("--json")
        .arg(&json)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.starts_with(&format!("error: {}: cannot read", missing.display())),
        "{stderr}"
    );
    assert!(!json.exists());

    // The default ledger and manifest are under output/ of the working folder.
    let output = Command::new(EXE)
        .current_dir(dir.path())
        .arg("--predictions")
        .arg(fixture("predictions_flags.csv"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr.starts_with("error: output/master_account_ledger.csv: cannot read"),
        "{stderr}"
    );
}

#[test]
fn bad_flags_exit_with_two() {
    for args in [
        &["--threshold", "abc"][..],
        &["--threshold", "NaN"][..],
        &["--bogus"][..],
    ] {
        let output = run(&fixture("predictions_scores.csv"), args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let output = Command::new(EXE).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--predictions"));
}

/// A closed stdout pipe ends the program quietly (exit 0); a full stdout
/// is one error line (exit 1); neither panics.
#[test]
fn a_closed_or_full_stdout_never_panics() {
    let args = [
        OsString::from("--ledger"),
        fixture("master_account_ledger.csv").into(),
        "--manifest".into(),
        fixture("anomaly_manifest.csv").into(),
        "--predictions".into(),
        fixture("predictions_flags.csv").into(),
    ];
    let mut child = Command::new(EXE)
        .args(&args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("panicked"),
        "{stderr}"
    );

    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = Command::new(EXE).args(&args).stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
}

/// `--json PATH`: a symlink is written through to its target (the link
/// stays), a FIFO is written to directly (never replaced by a file), a
/// folder is refused, and a regular file is replaced.
#[test]
fn json_paths_that_are_links_fifos_or_folders() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let predictions = fixture("predictions_flags.csv");
    // A symlink to a file in another folder.
    fs::create_dir(d.join("real")).unwrap();
    fs::write(d.join("real/scores.json"), "old").unwrap();
    std::os::unix::fs::symlink("real/scores.json", d.join("link.json")).unwrap();
    let link = d.join("link.json").display().to_string();
    stdout(&run(&predictions, &["--json", &link]));
    assert!(fs::symlink_metadata(d.join("link.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    let written = fs::read_to_string(d.join("real/scores.json")).unwrap();
    assert!(
        written.starts_with('{') && written.contains("\"precision\""),
        "{written}"
    );

    // A FIFO, read by another thread.
    let fifo = d.join("pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || fs::read_to_string(fifo).unwrap())
    };
    stdout(&run(&predictions, &["--json", &fifo.display().to_string()]));
    assert_eq!(reader.join().unwrap(), written);
    assert!(
        !fs::symlink_metadata(&fifo).unwrap().file_type().is_file(),
        "the FIFO was replaced"
    );

    // A folder is refused, with the path named.
    fs::create_dir(d.join("folder.json")).unwrap();
    let out = run(
        &predictions,
        &["--json", &d.join("folder.json").display().to_string()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("folder.json: is a folder"), "{stderr}");

    // /dev/full: the write error is reported.
    let out = run(&predictions, &["--json", "/dev/full"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("/dev/full: cannot write"), "{stderr}");
}
