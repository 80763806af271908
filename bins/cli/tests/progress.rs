//! Progress bars go to stderr, only on a terminal, and never with --quiet;
//! stdout carries results only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::process::Command;

const RUN_ALL: &str = env!("CARGO_BIN_EXE_run_all");
/// Text every drawn bar holds.
const BAR: &str = "customers (";

/// Runs run_all under `script`, which gives it a terminal for stderr while
/// stdout goes to a file; returns (what the terminal showed, stdout).
fn on_a_terminal(extra: &str) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let command = format!(
        "{RUN_ALL} --n_customers 200000 --out_dir out --no_params_mirror {extra} > stdout.txt"
    );
    let status = Command::new("script")
        .current_dir(d)
        .args(["-qec", &command, "terminal.txt"])
        .output()
        .expect("the `script` command (util-linux) runs");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    (
        String::from_utf8_lossy(&fs::read(d.join("terminal.txt")).unwrap()).into_owned(),
        fs::read_to_string(d.join("stdout.txt")).unwrap(),
    )
}

#[test]
fn a_terminal_shows_bars_on_stderr_and_stdout_stays_clean() {
    let (terminal, stdout) = on_a_terminal("");
    assert!(terminal.contains(BAR), "no progress bar on the terminal");
    assert!(terminal.contains("tables"));
    assert!(!stdout.contains(BAR) && !stdout.contains('\r') && !stdout.contains('\u{1b}'));
    assert!(stdout.contains("wrote out/master_account_ledger.csv"));
}

#[test]
fn quiet_silences_the_bars() {
    let (terminal, stdout) = on_a_terminal("--quiet");
    assert!(!terminal.contains(BAR), "a bar despite --quiet");
    assert!(stdout.contains("wrote out/master_account_ledger.csv"));
}

#[test]
fn no_bars_when_stderr_is_not_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(RUN_ALL)
        .current_dir(dir.path())
        .args([
            "--n_customers",
            "200000",
            "--out_dir",
            "out",
            "--no_params_mirror",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(!stderr.contains(BAR) && !stdout.contains(BAR), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
