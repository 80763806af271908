//! Fuzzing without nightly: every table reader is fed arbitrary bytes, a
//! valid header followed by arbitrary bytes, and mutated copies of valid
//! tables, through a file. A reader may refuse its input — with a message
//! naming the file — but must never panic. A bounded number of cases keeps
//! the suite fast.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use novawireless_io::read::{
    agreement_row, customer_row, ledger_reader, line_row, usage_row, RowParser, RowReader,
};
use novawireless_io::tables::{Agreements, Customers, Ledger, LedgerSchema, Lines, Usage};
use novawireless_io::InputError;
use novawireless_io::TableDef;
use proptest::prelude::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The tables under test: a name, the file of `fixtures/small` holding a
/// valid example, and the reader.
#[derive(Debug, Clone, Copy)]
enum Table {
    Customers,
    Lines,
    Agreements,
    Usage,
    Ledger,
}

const TABLES: [Table; 5] = [
    Table::Customers,
    Table::Lines,
    Table::Agreements,
    Table::Usage,
    Table::Ledger,
];

impl Table {
    fn fixture(self) -> PathBuf {
        let small = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/small");
        match self {
            Table::Customers => small.join("customers.csv"),
            Table::Lines => small.join("lines.csv"),
            Table::Agreements => small.join("eip_agreements.csv"),
            Table::Usage => small.join("line_device_usage.csv"),
            Table::Ledger => small.join("expected/master_account_ledger__anomalies__swap.csv"),
        }
    }

    fn columns(self) -> Vec<&'static str> {
        match self {
            Table::Customers => Customers::names(()),
            Table::Lines => Lines::names(()),
            Table::Agreements => Agreements::names(()),
            Table::Usage => Usage::names(()),
            Table::Ledger => Ledger::names(LedgerSchema {
                anomaly_type: true,
                billing_agreement_type: false,
            }),
        }
    }

    /// Reads every row of `path`: the number of rows, or the first error.
    fn read_all(self, path: &Path) -> Result<u64, InputError> {
        fn all<D: TableDef, T>(path: &Path, parse: RowParser<T>) -> Result<u64, InputError> {
            drain(RowReader::open::<D>(path, parse)?)
        }
        match self {
            Table::Customers => all::<Customers, _>(path, customer_row),
            Table::Lines => all::<Lines, _>(path, line_row),
            Table::Agreements => all::<Agreements, _>(path, agreement_row),
            Table::Usage => all::<Usage, _>(path, usage_row),
            Table::Ledger => drain(ledger_reader(path)?),
        }
    }
}

fn drain<T>(mut reader: RowReader<T>) -> Result<u64, InputError> {
    let mut rows = 0;
    // Peek, then take: both paths of the lookahead are exercised.
    while reader.peek()?.is_some() {
        reader.next_row()?;
        rows += 1;
    }
    Ok(rows)
}

/// Writes `bytes` to `dir/input.csv`, reads it as `table`, and checks that
/// an error is one line naming the file.
fn check(dir: &Path, table: Table, bytes: &[u8]) -> Result<(), TestCaseError> {
    let path = dir.join("input.csv");
    fs::write(&path, bytes).unwrap();
    if let Err(message) = table.read_all(&path).map_err(|e| e.to_string()) {
        let name = path.display().to_string();
        prop_assert!(message.starts_with(&name), "{table:?}: {message}");
        prop_assert!(!message.contains('\n'), "{table:?}: {message:?}");
    }
    Ok(())
}

/// One edit of a valid table.
#[derive(Debug, Clone)]
enum Mutation {
    /// Overwrite the byte at a position.
    Byte(prop::sample::Index, u8),
    /// Remove a range of bytes.
    Delete(prop::sample::Index, usize),
    /// Insert bytes at a position.
    Insert(prop::sample::Index, Vec<u8>),
    /// Replace one field of one line with text from a hostile alphabet.
    Field(prop::sample::Index, prop::sample::Index, String),
    /// Repeat one line.
    Duplicate(prop::sample::Index),
    /// Cut the file at a position.
    Truncate(prop::sample::Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Byte(i, b)),
        (any::<prop::sample::Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Delete(i, n)),
        (
            any::<prop::sample::Index>(),
            prop::collection::vec(any::<u8>(), 1..8)
        )
            .prop_map(|(i, b)| Mutation::Insert(i, b)),
        (
            any::<prop::sample::Index>(),
            any::<prop::sample::Index>(),
            field_text()
        )
            .prop_map(|(l, f, t)| Mutation::Field(l, f, t)),
        any::<prop::sample::Index>().prop_map(Mutation::Duplicate),
        any::<prop::sample::Index>().prop_map(Mutation::Truncate),
    ]
}

/// Field values that stress the parsers: numbers at and past their limits,
/// IMEI-like digit strings, quotes, separators, line ends, non-ASCII.
fn field_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9]{0,20}",
        "-?[0-9]{1,3}(\\.[0-9]{0,8})?(e[+-]?[0-9]{1,4})?",
        Just("18446744073709551616".to_string()),
        Just("-1".to_string()),
        Just("NaN".to_string()),
        Just("inf".to_string()),
        Just(String::new()),
        Just("\"".to_string()),
        Just("\"a,b\"".to_string()),
        Just("a\r\nb".to_string()),
        Just("\u{feff}".to_string()),
        "(C|A|LINE-|EIP-)[0-9]{0,12}",
        "[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}",
        "\\PC{0,6}",
    ]
}

fn apply(mut bytes: Vec<u8>, m: &Mutation) -> Vec<u8> {
    let at = |i: &prop::sample::Index, len: usize| if len == 0 { 0 } else { i.index(len) };
    match m {
        Mutation::Byte(i, b) => {
            if !bytes.is_empty() {
                let p = at(i, bytes.len());
                bytes[p] = *b;
            }
        }
        Mutation::Delete(i, n) => {
            let p = at(i, bytes.len());
            let end = (p + n).min(bytes.len());
            bytes.drain(p..end);
        }
        Mutation::Insert(i, b) => {
            let p = at(i, bytes.len() + 1);
            bytes.splice(p..p, b.iter().copied());
        }
        Mutation::Field(l, f, t) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
            let li = at(l, lines.len());
            let mut fields: Vec<String> = lines[li].split(',').map(str::to_owned).collect();
            let fi = at(f, fields.len());
            fields[fi] = t.clone();
            lines[li] = fields.join(",");
            bytes = lines.join("\n").into_bytes();
        }
        Mutation::Duplicate(l) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
            let li = at(l, lines.len());
            let line = lines[li].clone();
            lines.insert(li, line);
            bytes = lines.join("\n").into_bytes();
        }
        Mutation::Truncate(i) => {
            let p = at(i, bytes.len() + 1);
            bytes.truncate(p);
        }
    }
    bytes
}

fn table() -> impl Strategy<Value = Table> {
    prop::sample::select(TABLES.to_vec())
}

#[test]
fn the_fixtures_read_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for t in TABLES {
        let path = dir.path().join("input.csv");
        fs::copy(t.fixture(), &path).unwrap();
        let rows = t.read_all(&path).unwrap();
        assert!(rows > 0, "{t:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(t in table(), bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = tempfile::tempdir().unwrap();
        check(dir.path(), t, &bytes)?;
    }

    #[test]
    fn a_valid_header_then_arbitrary_bytes_never_panic(
        t in table(),
        crlf in any::<bool>(),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut input = t.columns().join(",").into_bytes();
        input.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
        input.extend_from_slice(&bytes);
        check(dir.path(), t, &input)?;
    }

    #[test]
    fn mutated_valid_tables_never_panic(
        t in table(),
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let mut bytes = fs::read(t.fixture()).unwrap();
        for m in &mutations {
            bytes = apply(bytes, m);
        }
        check(dir.path(), t, &bytes)?;
    }
}
