//! Step 3: `inject_imei_anomalies`.

use crate::files::{
    Place, ANOMALY_LEDGER_FILE, ANOMALY_RECEIPT, EXAMPLES_FILE, LEDGER_FILE, MANIFEST_FILE,
};
use crate::ledger_reader::{LedgerReader, GROUP_ROWS};
use crate::sinks::fill;
use crate::sinks::{input_path, put_ledger, refs, size_of, Part, Sink};
use crate::{Format, Layout, PipelineError, TOOL};
use novawireless::anomalies::{is_example, swap_block, SwapBlocks};
use novawireless::stages::{inject_chunk, pools as pools_of};
use novawireless::{AnomalyCounts, AnomalyParams, AnomalySummary, Defect, LedgerRow, MissingPools};
use novawireless_io::tables::{Examples, Manifest};
use novawireless_io::{FileRecord, InputError, LedgerSchema, OutputSet};
use serde::Serialize;
use std::path::Path;

/// The sinks of step 3's tables.
struct AnomalyWriters {
    format: Format,
    ledger: Sink,
    examples: Sink,
    manifest: Sink,
    schema: LedgerSchema,
    part: Part,
    example_rows: u64,
    manifest_rows: u64,
}

impl AnomalyWriters {
    /// Opens the anomaly ledger under each of `names`, the examples and the
    /// manifest, at `place`.
    fn start(
        out: &mut OutputSet,
        (format, place): (Format, Place),
        names: &[&str],
        billing: bool,
    ) -> Result<Self, PipelineError> {
        let names: Vec<String> = names.iter().map(|n| place.stem(n)).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let (examples, manifest) = (place.stem(EXAMPLES_FILE), place.stem(MANIFEST_FILE));
        let schema = LedgerSchema {
            anomaly_type: true,
            billing_agreement_type: billing,
        };
        Ok(AnomalyWriters {
            format,
            ledger: Sink::ledger(out, format, &names, schema)?,
            examples: Sink::open::<Examples>(out, format, &[&examples], ())?,
            manifest: Sink::open::<Manifest>(out, format, &[&manifest], ())?,
            schema,
            part: Part::default(),
            example_rows: 0,
            manifest_rows: 0,
        })
    }

    /// Writes a group's rows, its examples and its manifest rows.
    fn write(&mut self, rows: &[LedgerRow], defects: &[Defect]) -> Result<(), PipelineError> {
        let format = self.format;
        put_ledger(&mut self.ledger, &mut self.part, format, rows, self.schema)?;
        let examples: Vec<&LedgerRow> = rows.iter().filter(|r| is_example(r)).collect();
        fill::<Examples>(&mut self.part, format, &examples, ())?;
        self.example_rows += self.part.rows;
        self.examples.put(&self.part)?;
        fill::<Manifest>(&mut self.part, format, &refs(defects), ())?;
        self.manifest_rows += self.part.rows;
        self.manifest.put(&self.part)
    }

    fn finish(self, out: &mut OutputSet) -> Result<(), PipelineError> {
        self.ledger.finish(out)?;
        self.examples.finish(out)?;
        self.manifest.finish(out)
    }
}

#[derive(Serialize)]
pub(crate) struct AnomalyParameters<'a> {
    seed: u64,
    p_mismatch: f64,
    p_missing: f64,
    within_customer_only: bool,
    overwrite_base: bool,
    in_dir: String,
    format: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'a str>,
}

#[derive(Serialize)]
struct AnomalyReceipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: AnomalyParameters<'a>,
    /// SHA-256 of `parameters` (README, *Parquet*).
    parameters_sha256: String,
    realised: AnomalySummary,
    files: &'a [FileRecord],
}

/// The step-3 receipt's `parameters`, for output into `out` at `place`.
pub(crate) fn anomaly_parameters<'a>(
    out: &OutputSet,
    params: &AnomalyParams,
    overwrite_base: bool,
    in_dir: &Path,
    (format, place): (Format, Place),
) -> AnomalyParameters<'a> {
    AnomalyParameters {
        seed: params.seed,
        p_mismatch: params.p_mismatch,
        p_missing: params.p_missing,
        within_customer_only: params.within_customer_only,
        overwrite_base,
        in_dir: crate::input_folder(in_dir, out.dir()),
        format: format.as_str(),
        layout: place.recorded_layout(),
    }
}

/// Writes the step-3 receipt listing `files`, at `place`.
pub(crate) fn write_anomaly_receipt(
    out: &mut OutputSet,
    parameters: AnomalyParameters<'_>,
    summary: AnomalySummary,
    files: &[FileRecord],
    place: Place,
) -> Result<(), PipelineError> {
    let receipt = AnomalyReceipt {
        dataset: "novawireless_master_account_ledger",
        step: "inject_imei_anomalies",
        tool: TOOL,
        parameters_sha256: crate::provenance::parameters_sha256(&parameters),
        parameters,
        realised: summary,
        files,
    };
    Ok(out.json(&place.receipt(ANOMALY_RECEIPT), &receipt)?)
}

/// Runs step 3 on `in_dir/master_account_ledger.csv` (`.parquet` in
/// `format` Parquet), in two passes over the file, a group of rows at a
/// time: the first sums the missing-IMEI pools (and checks every row), the
/// second injects and writes the tables in `format`. With the tables
/// layout it reads and writes the part `part-1-of-1` of each table folder
/// ([`crate::table_path`]).
pub fn inject_imei_anomalies(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
    format: Format,
    layout: Layout,
) -> Result<AnomalySummary, PipelineError> {
    let place = Place::unsharded(layout);
    crate::locked(out_dir, mirror_dir, place, || {
        inject_imei_anomalies_unlocked(
            in_dir,
            out_dir,
            params,
            overwrite_base,
            mirror_dir,
            (format, place),
        )
    })
}

/// [`inject_imei_anomalies`] once its folders are locked.
fn inject_imei_anomalies_unlocked(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
    at: (Format, Place),
) -> Result<AnomalySummary, PipelineError> {
    inject_in_groups(
        in_dir,
        out_dir,
        params,
        overwrite_base,
        mirror_dir,
        GROUP_ROWS,
        at,
    )
}

/// Refuses a ledger that already carries injected defects: injecting again
/// with the same seed would swap pairs back and drop their labels, so the
/// manifest would no longer reconcile with the ledger.
fn refuse_injected(rows: &[LedgerRow], lines: &[u64], path: &Path) -> Result<(), PipelineError> {
    match rows
        .iter()
        .zip(lines)
        .find(|(r, _)| r.imei_anomaly_type.is_some())
    {
        None => Ok(()),
        Some((row, line)) => Err(PipelineError::Input(InputError::at(
            path.display().to_string(),
            *line,
            format_args!(
                "imei_anomaly_type is {:?}: this ledger already carries injected \
                 defects, and injecting again would undo some of them; run step 3 on the \
                 step-2 ledger (build_master_account_ledger), and leave out --overwrite_base \
                 to keep master_account_ledger.csv free of defects",
                row.imei_anomaly_type.map_or("", |l| l.as_str()),
            ),
        ))),
    }
}

/// The swap blocks of a group of ledger rows (read as whole blocks).
fn group_blocks(rows: &[LedgerRow]) -> SwapBlocks {
    let block = |r: &LedgerRow| swap_block(r.line.customer_id);
    let first = rows.first().map_or(0, block);
    let last = rows.last().map_or(0, |r| block(r) + 1);
    SwapBlocks::blocks(first..last)
}

/// Step 3 with groups of at least `group_rows` rows (whole swap blocks).
fn inject_in_groups(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
    group_rows: usize,
    (format, place): (Format, Place),
) -> Result<AnomalySummary, PipelineError> {
    // Refuse an unusable mirror before anything changes.
    crate::check_mirror(mirror_dir)?;
    let path = input_path(in_dir, LEDGER_FILE, format, place)?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut ledger = LedgerReader::open(&path, group_rows, true)?;
    let mut pools = MissingPools::default();
    while ledger.next_group(&mut rows, &mut lines)? {
        refuse_injected(&rows, &lines, &path)?;
        pools += pools_of(&rows, &group_blocks(&rows), params)?;
    }
    let mut ledger = LedgerReader::open(&path, group_rows, true)?;
    let billing = ledger.billing();
    let mut out = OutputSet::create(out_dir)?;
    // One or two ledgers of the input's size, and smaller tables.
    out.set_direct_io(crate::direct_io_pays(2 * size_of(&[&path])));
    let names: &[&str] = if overwrite_base {
        &[ANOMALY_LEDGER_FILE, LEDGER_FILE]
    } else {
        &[ANOMALY_LEDGER_FILE]
    };
    let parameters = anomaly_parameters(&out, params, overwrite_base, in_dir, (format, place));
    out.set_provenance(crate::provenance::pairs(
        "inject_imei_anomalies",
        &place.receipt(ANOMALY_RECEIPT),
        &parameters,
        &[("anomaly_seed", params.seed)],
    ));
    let mut writers = AnomalyWriters::start(&mut out, (format, place), names, billing)?;
    let mut counts = AnomalyCounts::default();
    let mut defects = Vec::new();
    while ledger.next_group(&mut rows, &mut lines)? {
        defects.clear();
        let customers = group_blocks(&rows);
        counts += inject_chunk(&mut rows, &customers, params, pools, &mut defects)?;
        writers.write(&rows, &defects)?;
    }
    let (examples, manifest_rows) = (writers.example_rows, writers.manifest_rows);
    writers.finish(&mut out)?;
    let summary = AnomalySummary::new(&counts, examples, manifest_rows);
    let files = out.records().to_vec();
    write_anomaly_receipt(&mut out, parameters, summary, &files, place)?;
    let mut tables = vec![ANOMALY_LEDGER_FILE, EXAMPLES_FILE, MANIFEST_FILE];
    if overwrite_base {
        tables.push(LEDGER_FILE);
    }
    let mut mirrored: Vec<String> = tables.iter().map(|n| place.table(n, format)).collect();
    mirrored.push(place.receipt(ANOMALY_RECEIPT));
    let mirrored: Vec<&str> = mirrored.iter().map(String::as_str).collect();
    crate::commit(out, mirror_dir, &mirrored)?;
    Ok(summary)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;
    use std::fs;

    /// Every file of `dir` by name, with its bytes.
    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn groups_of_whole_swap_blocks_inject_what_the_whole_ledger_gets() {
        // The fixture's step-2 ledger with customer n renumbered 700·(n−1)+1,
        // so its customers fall in swap blocks 0, 0, 1, 2, 2, 3, 4: C0002101
        // and C0002801 share block 2 and may swap with each other.
        let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../fixtures/small/expected")
            .join(LEDGER_FILE);
        let text = fs::read_to_string(fixture).unwrap();
        let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
        let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
        let mut ledger = String::new();
        for (i, line) in text.lines().enumerate() {
            let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
            if i > 0 {
                for (column, prefix) in [(at("customer_id"), 'C'), (at("account_id"), 'A')] {
                    let n: u64 = fields[column][1..].parse().unwrap();
                    fields[column] = format!("{prefix}{:07}", 700 * (n - 1) + 1);
                }
            }
            ledger.push_str(&fields.join(","));
            ledger.push('\n');
        }
        let input = tempfile::tempdir().unwrap();
        fs::write(input.path().join(LEDGER_FILE), ledger).unwrap();
        let params = AnomalyParams {
            seed: 3,
            p_mismatch: 1.0,
            p_missing: 0.5,
            within_customer_only: false,
        };
        let run = |group_rows: usize| {
            let out = tempfile::tempdir().unwrap();
            let summary = inject_in_groups(
                input.path(),
                out.path(),
                &params,
                true,
                None,
                group_rows,
                (Format::Csv, Place::default()),
            )
            .unwrap();
            (summary, files(out.path()))
        };
        let (whole, whole_files) = run(GROUP_ROWS);
        assert!(whole.counts.labelled[novawireless::DefectType::ImeiMismatchSwap] > 0);
        for group_rows in 1..=11 {
            let (summary, files) = run(group_rows);
            assert_eq!(summary, whole, "groups of {group_rows}");
            assert!(files == whole_files, "groups of {group_rows}");
        }
    }
}
