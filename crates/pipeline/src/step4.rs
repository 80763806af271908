//! Step 4: `fix_ledger_contract_proxy`.

use crate::files::{Place, BACKUP_FILE, LEDGER_FILE};
use crate::folders::CreatedDirs;
use crate::ledger_reader::{LedgerReader, GROUP_ROWS};
use crate::sinks::{input_path, put_ledger, size_of, Part, Sink};
use crate::{Format, Layout, PipelineError};
use novawireless::billing::apply;
use novawireless::BillingCounts;
use novawireless_io::{LedgerSchema, OutputSet};
use std::path::Path;

/// Runs step 4: writes the backup of `in_dir/master_account_ledger.csv`
/// (`.parquet` in `format` Parquet), then the ledger with
/// `billing_agreement_type` in place of `contract_proxy`, streaming the
/// ledger a group of rows at a time. With the tables layout it reads and
/// writes the part `part-1-of-1` of each table folder
/// ([`crate::table_path`]).
pub fn fix_ledger_contract_proxy(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    format: Format,
    layout: Layout,
) -> Result<BillingCounts, PipelineError> {
    let place = Place::unsharded(layout);
    crate::locked(out_dir, mirror_dir, place, || {
        fix_ledger_contract_proxy_unlocked(in_dir, out_dir, mirror_dir, (format, place))
    })
}

/// [`fix_ledger_contract_proxy`] once its folders are locked.
fn fix_ledger_contract_proxy_unlocked(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    at: (Format, Place),
) -> Result<BillingCounts, PipelineError> {
    // Refuse an unusable mirror before anything changes.
    crate::check_mirror(mirror_dir)?;
    let created = CreatedDirs::before(out_dir);
    let result = fix(in_dir, out_dir, mirror_dir, GROUP_ROWS, at);
    if result.is_err() {
        created.remove_if_empty();
    }
    result
}

/// Step 4 with groups of `group_rows` rows.
fn fix(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    group_rows: usize,
    (format, place): (Format, Place),
) -> Result<BillingCounts, PipelineError> {
    let input = input_path(in_dir, LEDGER_FILE, format, place)?;
    let mut ledger = LedgerReader::open(&input, group_rows, false)?;
    let schema = LedgerSchema {
        anomaly_type: ledger.anomaly_type(),
        billing_agreement_type: true,
    };
    let mut out = OutputSet::create(out_dir)?;
    // Step 4 writes no receipt: its files name the tool and the step.
    out.set_provenance(vec![
        ("novawireless.tool".into(), crate::TOOL.into()),
        (
            "novawireless.step".into(),
            "fix_ledger_contract_proxy".into(),
        ),
    ]);
    // The backup and the new ledger, each of the input's size.
    out.set_direct_io(crate::direct_io_pays(2 * size_of(&[&input])));
    out.copy_file(&place.table(BACKUP_FILE, format), &input)?;
    let mut sink = Sink::ledger(&mut out, format, &[&place.stem(LEDGER_FILE)], schema)?;
    let mut part = Part::default();
    let mut counts = BillingCounts::default();
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    while ledger.next_group(&mut rows, &mut lines)? {
        counts += apply(&mut rows).map_err(|source| PipelineError::Billing {
            path: input.display().to_string(),
            line: lines.get(source.row).copied().unwrap_or(0),
            source,
        })?;
        put_ledger(&mut sink, &mut part, format, &rows, schema)?;
    }
    sink.finish(&mut out)?;
    crate::commit(out, mirror_dir, &[place.table(LEDGER_FILE, format)])?;
    Ok(counts)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::fs;

    fn input() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        fs::copy(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../fixtures/small/expected/master_account_ledger__anomalies__swap.csv"),
            dir.path().join(LEDGER_FILE),
        )
        .unwrap();
        dir
    }

    #[test]
    fn every_group_size_gives_the_same_files() {
        let input = input();
        let run = |group_rows: usize| {
            let out = tempfile::tempdir().unwrap();
            let counts = fix(
                input.path(),
                out.path(),
                None,
                group_rows,
                (Format::Csv, Place::default()),
            )
            .unwrap();
            let ledger = fs::read(out.path().join(LEDGER_FILE)).unwrap();
            let backup = fs::read(out.path().join(BACKUP_FILE)).unwrap();
            (counts, ledger, backup)
        };
        let whole = run(GROUP_ROWS);
        assert_eq!(whole.2, fs::read(input.path().join(LEDGER_FILE)).unwrap());
        for group_rows in 1..=12 {
            assert!(run(group_rows) == whole, "groups of {group_rows}");
        }
    }

    #[test]
    fn a_billing_error_in_a_later_group_names_its_file_line() {
        let input = input();
        let path = input.path().join(LEDGER_FILE);
        // LINE-6 (file line 7) has a 24-month agreement; drop its flag.
        let text = fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let at = |name: &str| lines[0].split(',').position(|h| h == name).unwrap();
        let (line_id, eip_exists) = (at("line_id"), at("eip_exists_flag"));
        let mut fields: Vec<&str> = lines[6].split(',').collect();
        assert_eq!(
            (fields[line_id], fields[eip_exists]),
            ("LINE-000000006", "1")
        );
        fields[eip_exists] = "0";
        lines[6] = fields.join(",");
        fs::write(&path, lines.join("\n") + "\n").unwrap();
        for group_rows in [1, 2, 4, GROUP_ROWS] {
            let error = fix(
                input.path(),
                input.path(),
                None,
                group_rows,
                (Format::Csv, Place::default()),
            )
            .err()
            .unwrap()
            .to_string();
            assert_eq!(
                error,
                format!(
                    "{}:7: line LINE-000000006 is billed EIP-24mo but its eip_exists_flag is 0",
                    path.display()
                )
            );
        }
        let out = input.path().join("new/out");
        assert!(
            fix_ledger_contract_proxy(input.path(), &out, None, Format::Csv, Layout::Flat).is_err()
        );
        assert!(!input.path().join("new").exists());
    }
}
