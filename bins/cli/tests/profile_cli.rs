//! `profile` end to end: it profiles a copy of `fixtures/profile` and prints
//! the counts and the files written; a missing folder or a missing
//! `customers.csv` is one line on stderr naming it, exit 1, nothing written;
//! a bad flag exits 2.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_cli_support::cli::size;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const EXE: &str = env!("CARGO_BIN_EXE_profile");

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/profile")
}

fn run(args: &[&str], cwd: &Path) -> Output {
    Command::new(EXE)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A copy of the fixture's customers.csv in `dir`.
fn customers_in(dir: &Path) {
    fs::create_dir_all(dir).unwrap();
    fs::copy(fixture().join("customers.csv"), dir.join("customers.csv")).unwrap();
}

#[test]
fn profiles_a_folder_and_prints_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    customers_in(&out);
    for name in ["devices.csv", "anomaly_manifest.csv"] {
        fs::copy(fixture().join(name), out.join(name)).unwrap();
    }
    let output = run(&["--out_dir", out.to_str().unwrap()], tmp.path());
    assert!(output.status.success(), "{}", stderr(&output));
    let profile = size(
        fs::metadata(out.join("customers_v1_profile.csv"))
            .unwrap()
            .len(),
    );
    let tables = size(fs::metadata(out.join("table_profile.csv")).unwrap().len());
    let report = size(fs::metadata(out.join("report.html")).unwrap().len());
    assert_eq!(
        String::from_utf8(output.stdout).unwrap(),
        format!(
            "customers 10 lines - devices 5 eip_agreements - ledger rows -\n\
             wrote {p} ({profile})\nwrote {t} ({tables})\nwrote {r} ({report})\n",
            p = out.join("customers_v1_profile.csv").display(),
            t = out.join("table_profile.csv").display(),
            r = out.join("report.html").display(),
        )
    );
}

#[test]
fn the_default_folder_is_output_and_kebab_case_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    customers_in(&tmp.path().join("output"));
    let output = run(&[], tmp.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(tmp.path().join("output/report.html").exists());

    customers_in(&tmp.path().join("other"));
    let output = run(&["--out-dir", "other"], tmp.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(tmp.path().join("other/customers_v1_profile.csv").exists());
}

#[test]
fn a_missing_folder_is_one_line_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let output = run(&["--out_dir", "nowhere"], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: nowhere: no such folder (run run_all first)\n"
    );
    assert!(output.stdout.is_empty());
    assert!(!tmp.path().join("nowhere").exists());
}

#[test]
fn the_default_folder_missing_is_named_too() {
    let tmp = tempfile::tempdir().unwrap();
    let output = run(&[], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        "error: output: no such folder (run run_all first)\n"
    );
}

#[test]
fn a_folder_without_customers_csv_is_one_line_naming_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    fs::create_dir(&out).unwrap();
    fs::copy(fixture().join("devices.csv"), out.join("devices.csv")).unwrap();
    let output = run(&["--out_dir", out.to_str().unwrap()], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output),
        format!(
            "error: {}: not found, nor customers.parquet (the folder holds no run_all output)\n",
            out.join("customers.csv").display()
        )
    );
    let names: Vec<_> = fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["devices.csv"], "a refused run wrote files");
}

#[test]
fn a_file_given_as_folder_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("plain"), "").unwrap();
    let output = run(&["--out_dir", "plain"], tmp.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "error: plain: is not a folder\n");
}

#[test]
fn an_unknown_flag_exits_2_with_one_line() {
    let tmp = tempfile::tempdir().unwrap();
    let output = run(&["--n_customers", "5"], tmp.path());
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--n_customers"), "{err}");
}

/// `profile | head` and `profile > /dev/full`: a closed pipe ends quietly
/// (exit 0) with the profile written; a full stdout is one error line.
#[test]
fn a_closed_or_full_stdout_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    customers_in(&out);
    let dir = out.display().to_string();
    let mut child = Command::new(EXE)
        .args(["--out_dir", &dir])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let done = child.wait_with_output().unwrap();
    assert!(done.status.success(), "{}", stderr(&done));
    assert!(!stderr(&done).contains("panicked"));
    assert!(out.join("report.html").is_file());

    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let done = Command::new(EXE)
        .args(["--out_dir", &dir])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(done.status.code(), Some(1), "{}", stderr(&done));
    assert_eq!(stderr(&done).lines().count(), 1, "{}", stderr(&done));
    assert!(stderr(&done).contains("cannot write to stdout"));
}

/// `profile` writes into the folder, so it takes the folder's lock like
/// every step: while a run holds it, `profile` is refused at once, exit 2,
/// naming the folder and the holder, and writes nothing.
#[test]
fn a_locked_folder_is_refused_and_left_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("run");
    customers_in(&out);
    let lock = novawireless_io::FolderLock::acquire(&out, "--out_dir").unwrap();
    let output = run(&["--out_dir", "run"], tmp.path());
    let e = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{e}");
    assert_eq!(e.lines().count(), 1, "{e}");
    assert!(
        e.contains("run: --out_dir is in use by another run (process "),
        "{e}"
    );
    assert!(!out.join("report.html").exists());
    drop(lock);
    let output = run(&["--out_dir", "run"], tmp.path());
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(out.join("report.html").is_file());
    assert!(!out.join(novawireless_io::LOCK_FILE).exists());
}
