//! Helpers shared by the binaries' integration tests (included with
//! `#[path]` by every test file of `bins/cli/tests`): the hand-made fixtures of
//! `fixtures/small`, running a binary, folder snapshots, and the checks of a
//! refused run (README, *Errors and guarantees*).

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The step-1 tables of the small fixture.
pub const STEP1_INPUTS: &[&str] = &[
    "customers.csv",
    "lines.csv",
    "eip_agreements.csv",
    "line_device_usage.csv",
];

/// `fixtures/small` of the workspace.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/small")
}

/// A file of `fixtures/small/expected`, as text.
pub fn expected(name: &str) -> String {
    read(&fixtures().join("expected").join(name))
}

/// A file as text (it must exist and be UTF-8).
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Copies the four step-1 tables of the fixture into `dir`.
pub fn copy_step1(dir: &Path) {
    for name in STEP1_INPUTS {
        fs::copy(fixtures().join(name), dir.join(name)).unwrap();
    }
}

/// Copies `fixtures/small/expected/{name}` to `dir/master_account_ledger.csv`.
pub fn copy_ledger(name: &str, dir: &Path) {
    fs::copy(
        fixtures().join("expected").join(name),
        dir.join("master_account_ledger.csv"),
    )
    .unwrap();
}

/// One command-line argument (a flag, a path, …).
pub fn a(x: impl AsRef<OsStr>) -> OsString {
    x.as_ref().to_owned()
}

/// Runs `exe` with `args`.
pub fn run<S: AsRef<OsStr>>(exe: &str, args: &[S]) -> Output {
    Command::new(exe)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{exe}: {e}"))
}

/// Runs `exe` with `args` and panics with its stderr unless it succeeds.
pub fn run_ok<S: AsRef<OsStr>>(exe: &str, args: &[S]) -> Output {
    let output = run(exe, args);
    assert!(
        output.status.success(),
        "{exe} {:?} failed: {}",
        args.iter()
            .map(|a| a.as_ref().to_owned())
            .collect::<Vec<_>>(),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// The data dictionary every step writes beside its tables.
pub const PACKAGE: &str = "datapackage.json";

/// Every file of `dir` (recursively), by path relative to `dir`, with its bytes.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let name = path.strip_prefix(root).unwrap().display().to_string();
                out.insert(name, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Replaces `from` by `to` on 1-based line `line` of `path` (which must hold
/// `from` there), keeping the other lines byte for byte.
pub fn edit_line(path: &Path, line: usize, from: &str, to: &str) {
    let text = read(path);
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
    let target = &mut lines[line - 1];
    assert!(
        target.contains(from),
        "{}:{line} does not hold {from:?}: {target:?}",
        path.display()
    );
    *target = target.replacen(from, to, 1);
    fs::write(path, lines.concat()).unwrap();
}

/// Applies `f` to the fields of every line of a CSV file without quoted
/// fields (the fixtures have none), e.g. to drop or add a column.
pub fn edit_fields(path: &Path, f: impl Fn(usize, &mut Vec<String>)) {
    let text = read(path);
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
        f(i + 1, &mut fields);
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

/// The cells of one line of a CSV file, addressed by column name.
pub struct Cells {
    header: Vec<String>,
    /// The cells, in file order.
    pub values: Vec<String>,
}

impl Cells {
    fn at(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    }
}

impl std::ops::Index<&str> for Cells {
    type Output = String;

    fn index(&self, name: &str) -> &String {
        &self.values[self.at(name)]
    }
}

impl std::ops::IndexMut<&str> for Cells {
    fn index_mut(&mut self, name: &str) -> &mut String {
        let at = self.at(name);
        &mut self.values[at]
    }
}

/// Rewrites the CSV file at `path` (no quoted fields) with `f` applied to
/// each line's cells, addressed by name (`cells["line_id"]`); lines are
/// numbered from 1, the header.
pub fn edit_cells(path: &Path, f: impl Fn(usize, &mut Cells)) {
    let header: Vec<String> = read(path)
        .lines()
        .next()
        .unwrap_or("")
        .split(',')
        .map(str::to_owned)
        .collect();
    edit_fields(path, |line, fields| {
        let mut cells = Cells {
            header: header.clone(),
            values: std::mem::take(fields),
        };
        f(line, &mut cells);
        *fields = cells.values;
    });
}

/// The position of column `name` in `header_line`, a CSV header.
pub fn position(header_line: &str, name: &str) -> usize {
    header_line
        .split(',')
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// Removes the column named `name` from a CSV file without quoted fields.
pub fn drop_column(path: &Path, name: &str) {
    let header = read(path);
    let index = header
        .lines()
        .next()
        .unwrap()
        .split(',')
        .position(|c| c == name)
        .unwrap_or_else(|| panic!("{} has no column {name}", path.display()));
    edit_fields(path, |_, fields| {
        fields.remove(index);
    });
}

/// Keeps only the header line of a file.
pub fn header_only(path: &Path) {
    let text = read(path);
    let header = text.split_inclusive('\n').next().unwrap().to_owned();
    fs::write(path, header).unwrap();
}

/// Converts every `\n` of a file to `\r\n`.
pub fn to_crlf(path: &Path) {
    let text = read(path);
    fs::write(path, text.replace('\n', "\r\n")).unwrap();
}

/// Puts a UTF-8 byte-order mark in front of a file.
pub fn add_bom(path: &Path) {
    let mut bytes = vec![0xef, 0xbb, 0xbf];
    bytes.extend(fs::read(path).unwrap());
    fs::write(path, bytes).unwrap();
}

/// Checks a refused run: non-zero exit, stderr exactly one line holding
/// every needle, and the folder byte for byte as `before`.
pub fn assert_refused(
    output: &Output,
    dir: &Path,
    before: &BTreeMap<String, Vec<u8>>,
    needles: &[&str],
) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "accepted; stderr: {stderr}");
    assert_ne!(output.status.code(), Some(0));
    assert_eq!(
        stderr.trim_end_matches('\n').lines().count(),
        1,
        "stderr is not one line: {stderr:?}"
    );
    assert!(stderr.ends_with('\n'), "{stderr:?}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{stderr:?} does not name {needle:?}"
        );
    }
    let after = snapshot(dir);
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>(),
        "the refused run added or removed files"
    );
    for (name, bytes) in before {
        assert!(after[name] == *bytes, "the refused run changed {name}");
    }
}

/// `path:line:` as the error messages print it.
pub fn at(path: &Path, line: u64) -> String {
    format!("{}:{line}:", path.display())
}

/// The executable of program `name` of this package (every program is a
/// binary of `novawireless-cli`).
pub fn step_binary(name: &str) -> &'static str {
    match name {
        "run_all" => env!("CARGO_BIN_EXE_run_all"),
        "generate_customers" => env!("CARGO_BIN_EXE_generate_customers"),
        "build_master_account_ledger" => env!("CARGO_BIN_EXE_build_master_account_ledger"),
        "inject_imei_anomalies" => env!("CARGO_BIN_EXE_inject_imei_anomalies"),
        "fix_ledger_contract_proxy" => env!("CARGO_BIN_EXE_fix_ledger_contract_proxy"),
        "profile" => env!("CARGO_BIN_EXE_profile"),
        "score_detector" => env!("CARGO_BIN_EXE_score_detector"),
        _ => panic!("no program is named {name}"),
    }
}

/// The hand-written ledger `name` with `contract_proxy` replaced by the
/// hand-written `billing_agreement_type` of each line.
pub fn with_billing(name: &str) -> String {
    let types = expected("billing_agreement_type.csv");
    let types: std::collections::HashMap<&str, &str> = types
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap())
        .collect();
    let mut out = String::new();
    let ledger = expected(name);
    let header = ledger.lines().next().unwrap();
    let (line_id, contract) = (
        position(header, "line_id"),
        position(header, "contract_proxy"),
    );
    for (i, line) in ledger.lines().enumerate() {
        let mut fields: Vec<&str> = line.split(',').collect();
        fields[contract] = if i == 0 {
            "billing_agreement_type"
        } else {
            types[fields[line_id]]
        };
        out.push_str(&fields.join(","));
        out.push('\n');
    }
    out
}
