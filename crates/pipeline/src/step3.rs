//! Step 3: `inject_imei_anomalies`.

use crate::sinks::{fill, input_path, put_ledger, refs, size_of, Part, Sink};
use crate::step2::LEDGER_FILE;
use crate::{Format, PipelineError, TOOL};
use novawireless_anomalies::{
    inject, is_example, missing_pools, swap_block, AnomalyCounts, AnomalyParams, InjectedDefect,
    MissingPools, SwapBlocks,
};
use novawireless_io::read::{ledger_reader, RowReader};
use novawireless_io::tables::{ledger, Examples, Manifest};
use novawireless_io::{FileRecord, LedgerSchema, OutputSet};
use novawireless_model::{CustomerId, Defect, DefectType, LedgerRow, LineId};
use serde::Serialize;
use std::path::Path;

/// The ledger with the injected anomalies and their labels.
pub const ANOMALY_LEDGER_FILE: &str = "master_account_ledger__anomalies.csv";
/// Rows with a label or a friction flag.
pub const EXAMPLES_FILE: &str = "imei_anomaly_examples.csv";
/// One row per injected defect (stages 1 and 3), with clean and injected values.
pub const MANIFEST_FILE: &str = "anomaly_manifest.csv";
/// Step 3's receipt.
pub const ANOMALY_RECEIPT: &str = "imei_anomaly_injection_receipt.json";
/// Sums the missing-IMEI pools of a chunk: the rows of `customers`.
pub(crate) fn chunk_pools(
    rows: &[LedgerRow],
    customers: &SwapBlocks,
    params: &AnomalyParams,
) -> Result<MissingPools, PipelineError> {
    missing_pools(rows, customers, params).map_err(|e| PipelineError::Input(e.to_string()))
}

/// Injects the anomalies of a chunk, the rows of `customers`, and appends
/// its manifest rows to `defects`.
pub(crate) fn chunk_inject(
    rows: &mut [LedgerRow],
    customers: &SwapBlocks,
    params: &AnomalyParams,
    pools: MissingPools,
    defects: &mut Vec<Defect>,
) -> Result<AnomalyCounts, PipelineError> {
    let injection =
        inject(rows, customers, params, pools).map_err(|e| PipelineError::Input(e.to_string()))?;
    manifest(rows, &injection.defects, defects);
    Ok(injection.counts)
}

/// Appends the manifest rows of a chunk after step 3 (rows grouped by
/// customer), in line order: the generation-time mismatch (stage 1) of a
/// line, then its step-3 defect.
///
/// A stage-1 row's injected value is the usage IMEI before step 3; its
/// donor is the customer's line whose current IMEI that is.
pub(crate) fn manifest(rows: &[LedgerRow], injected: &[InjectedDefect], out: &mut Vec<Defect>) {
    let mut step3 = injected.iter().peekable();
    for (i, row) in rows.iter().enumerate() {
        let here = step3.next_if(|d| d.row == i);
        let usage = row.usage.as_ref();
        if usage.is_some_and(|u| u.imei_line_mismatch_flag) {
            let before_step3 = here.map_or(row.usage_imei(), |d| d.clean_usage_imei);
            let customer = row.line.customer_id;
            // The customer's rows, around row i.
            let start = rows[..i]
                .iter()
                .rposition(|r| r.line.customer_id != customer)
                .map_or(0, |p| p + 1);
            let end = rows[i..]
                .iter()
                .position(|r| r.line.customer_id != customer)
                .map_or(rows.len(), |p| i + p);
            let donor = rows[start..end]
                .iter()
                .filter(|r| r.line.line_id != row.line.line_id)
                .find(|r| Some(r.line.current_imei) == before_step3)
                .map(|r| r.line.line_id);
            out.push(Defect {
                defect_type: DefectType::GenerationUsageMismatch,
                customer_id: customer,
                line_id: row.line.line_id,
                partner_line_id: donor,
                clean_value: Some(row.line.current_imei),
                injected_value: before_step3,
            });
        }
        if let Some(d) = here {
            out.push(Defect {
                defect_type: d.defect_type,
                customer_id: d.customer_id,
                line_id: d.line_id,
                partner_line_id: d.partner_line_id,
                clean_value: d.clean_usage_imei,
                injected_value: d.injected_usage_imei,
            });
        }
    }
}

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
    /// manifest.
    fn start(
        out: &mut OutputSet,
        format: Format,
        names: &[&str],
        billing: bool,
    ) -> Result<Self, PipelineError> {
        let schema = LedgerSchema {
            anomaly_type: true,
            billing_agreement_type: billing,
        };
        Ok(AnomalyWriters {
            format,
            ledger: Sink::ledger(out, format, names, schema)?,
            examples: Sink::open::<Examples>(out, format, &[EXAMPLES_FILE], ())?,
            manifest: Sink::open::<Manifest>(out, format, &[MANIFEST_FILE], ())?,
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
struct AnomalyParameters<'a> {
    seed: u64,
    p_mismatch: f64,
    p_missing: f64,
    within_customer_only: bool,
    overwrite_base: bool,
    in_dir: String,
    format: &'a str,
}

/// Realised counts, as the receipt lists them: step 3's counts, then the
/// rows of the examples and of the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnomalySummary {
    /// Step 3's eligible and realised counts, summed over the ledger.
    pub counts: AnomalyCounts,
    /// Rows in `imei_anomaly_examples.csv`.
    pub example_rows: u64,
    /// Rows in `anomaly_manifest.csv` (stage-1 and stage-3 defects).
    pub manifest_rows: u64,
}

impl AnomalySummary {
    pub(crate) fn new(counts: &AnomalyCounts, example_rows: u64, manifest_rows: u64) -> Self {
        AnomalySummary {
            counts: *counts,
            example_rows,
            manifest_rows,
        }
    }
}

/// The receipt's `realised` object: the eligible counts, the rows labelled
/// with each stage-3 type under the type's spelling, then the rows of the
/// examples and of the manifest.
impl Serialize for AnomalySummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = &self.counts;
        let labels = || DefectType::ALL.into_iter().filter(|t| t.is_label());
        let mut s = serializer.serialize_struct("AnomalySummary", 8 + labels().count())?;
        s.serialize_field("rows", &c.rows)?;
        s.serialize_field("swap_eligible", &c.swap_eligible)?;
        s.serialize_field("swaps_chosen", &c.swaps_chosen)?;
        s.serialize_field("swaps_without_partner", &c.swaps_without_partner)?;
        s.serialize_field(
            "missing_eligible_with_agreement",
            &c.missing_eligible_with_agreement,
        )?;
        s.serialize_field(
            "missing_eligible_without_agreement",
            &c.missing_eligible_without_agreement,
        )?;
        for t in labels() {
            s.serialize_field(t.as_str(), &c.labelled[t])?;
        }
        s.serialize_field("example_rows", &self.example_rows)?;
        s.serialize_field("manifest_rows", &self.manifest_rows)?;
        s.end()
    }
}

#[derive(Serialize)]
struct AnomalyReceipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: AnomalyParameters<'a>,
    realised: AnomalySummary,
    files: &'a [FileRecord],
}

/// Writes the step-3 receipt listing the files recorded so far.
pub(crate) fn write_anomaly_receipt(
    out: &mut OutputSet,
    params: &AnomalyParams,
    overwrite_base: bool,
    in_dir: &Path,
    summary: AnomalySummary,
    files: &[FileRecord],
    format: crate::Format,
) -> Result<(), PipelineError> {
    let receipt = AnomalyReceipt {
        dataset: "novawireless_master_account_ledger",
        step: "inject_imei_anomalies",
        tool: TOOL,
        parameters: AnomalyParameters {
            seed: params.seed,
            p_mismatch: params.p_mismatch,
            p_missing: params.p_missing,
            within_customer_only: params.within_customer_only,
            overwrite_base,
            in_dir: crate::input_folder(in_dir, out.dir()),
            format: format.as_str(),
        },
        realised: summary,
        files,
    };
    Ok(out.json(ANOMALY_RECEIPT, &receipt)?)
}

/// Rows per group when steps 3 and 4 stream a ledger (a group of ledger
/// rows takes a few MB).
pub(crate) const GROUP_ROWS: usize = 8192;

/// A ledger file read a group of rows at a time. Rows must be in customer
/// order, line ids increasing.
pub(crate) struct LedgerReader {
    rows: RowReader<LedgerRow>,
    /// The customer and line of the last row read.
    last: Option<(CustomerId, LineId)>,
    /// Rows per group (at least).
    group_rows: usize,
    /// Whether groups end only between swap blocks
    /// ([`novawireless_anomalies::SWAP_BLOCK`] customer indices), so that
    /// step 3 injects into a group what it would inject into the whole
    /// ledger.
    whole_swap_blocks: bool,
}

/// The swap blocks of a group read with whole swap blocks: every block from
/// the first row's to the last row's, each with all its rows in the file.
pub(crate) fn group_blocks(rows: &[LedgerRow]) -> SwapBlocks {
    let block = |r: &LedgerRow| swap_block(r.line.customer_id);
    let first = rows.first().map_or(0, block);
    let last = rows.last().map_or(0, |r| block(r) + 1);
    SwapBlocks::blocks(first..last)
}

impl LedgerReader {
    /// Opens a ledger and checks its header; groups of `group_rows` rows,
    /// extended to the end of their swap block with `whole_swap_blocks`.
    pub(crate) fn open(
        path: &Path,
        group_rows: usize,
        whole_swap_blocks: bool,
    ) -> Result<Self, PipelineError> {
        Ok(LedgerReader {
            rows: ledger_reader(path).map_err(|e| PipelineError::Input(e.to_string()))?,
            last: None,
            group_rows: group_rows.max(1),
            whole_swap_blocks,
        })
    }

    /// Whether the ledger has `billing_agreement_type` (step 4 has run).
    pub(crate) fn billing(&self) -> bool {
        self.rows.has(ledger::billing_agreement_type)
    }

    /// Whether the ledger has `imei_anomaly_type` (step 3 has run).
    pub(crate) fn anomaly_type(&self) -> bool {
        self.rows.has(ledger::imei_anomaly_type)
    }

    /// Reads the next group into `rows`, with the file line of each row in
    /// `lines`: `group_rows` rows (then up to the end of the swap block with
    /// `whole_swap_blocks`), or every row left. `false` at the end of the
    /// ledger.
    pub(crate) fn next_group(
        &mut self,
        rows: &mut Vec<LedgerRow>,
        lines: &mut Vec<u64>,
    ) -> Result<bool, PipelineError> {
        rows.clear();
        lines.clear();
        loop {
            let next = self
                .rows
                .next_if(|r| {
                    rows.len() < self.group_rows
                        || (self.whole_swap_blocks
                            && rows.last().is_some_and(|l| {
                                swap_block(l.line.customer_id) == swap_block(r.line.customer_id)
                            }))
                })
                .map_err(|e| PipelineError::Input(e.to_string()))?;
            let Some((row, line)) = next else {
                break;
            };
            if let Some((customer, line_id)) = self.last {
                if row.line.customer_id < customer {
                    return Err(PipelineError::Input(
                        self.rows
                            .error_at(
                                line,
                                format_args!(
                                    "customer {} after {customer}: the ledger must be in customer order",
                                    row.line.customer_id
                                ),
                            )
                            .to_string(),
                    ));
                }
                if row.line.line_id <= line_id {
                    return Err(PipelineError::Input(
                        self.rows
                            .error_at(
                                line,
                                format_args!(
                                    "line {} after {line_id}: duplicate or out-of-order line_id",
                                    row.line.line_id
                                ),
                            )
                            .to_string(),
                    ));
                }
            }
            self.last = Some((row.line.customer_id, row.line.line_id));
            rows.push(row);
            lines.push(line);
        }
        Ok(!rows.is_empty())
    }
}

/// Runs step 3 on `in_dir/master_account_ledger.csv` (`.parquet` in
/// `format` Parquet), in two passes over the file, a group of rows at a
/// time: the first sums the missing-IMEI pools (and checks every row), the
/// second injects and writes the tables in `format`.
pub fn inject_imei_anomalies(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
    format: Format,
) -> Result<AnomalySummary, PipelineError> {
    crate::locked(out_dir, mirror_dir, || {
        inject_imei_anomalies_unlocked(in_dir, out_dir, params, overwrite_base, mirror_dir, format)
    })
}

/// [`inject_imei_anomalies`] once its folders are locked.
fn inject_imei_anomalies_unlocked(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
    format: Format,
) -> Result<AnomalySummary, PipelineError> {
    inject_in_groups(
        in_dir,
        out_dir,
        params,
        overwrite_base,
        mirror_dir,
        GROUP_ROWS,
        format,
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
        Some((row, line)) => Err(PipelineError::Input(format!(
            "{}:{line}: imei_anomaly_type is {:?}: this ledger already carries injected \
             defects, and injecting again would undo some of them; run step 3 on the \
             step-2 ledger (build_master_account_ledger), and leave out --overwrite_base \
             to keep master_account_ledger.csv free of defects",
            path.display(),
            row.imei_anomaly_type.map_or("", |l| l.as_str()),
        ))),
    }
}

/// Step 3 with groups of at least `group_rows` rows (whole swap blocks).
fn inject_in_groups(
    in_dir: &Path,
    out_dir: &Path,
    params: &AnomalyParams,
    overwrite_base: bool,
    mirror_dir: Option<&Path>,
    group_rows: usize,
    format: Format,
) -> Result<AnomalySummary, PipelineError> {
    // Refuse an unusable mirror before anything changes.
    crate::check_mirror(mirror_dir)?;
    let path = input_path(in_dir, LEDGER_FILE, format)?;
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut ledger = LedgerReader::open(&path, group_rows, true)?;
    let mut pools = MissingPools::default();
    while ledger.next_group(&mut rows, &mut lines)? {
        refuse_injected(&rows, &lines, &path)?;
        pools += chunk_pools(&rows, &group_blocks(&rows), params)?;
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
    let mut writers = AnomalyWriters::start(&mut out, format, names, billing)?;
    let mut counts = AnomalyCounts::default();
    let mut defects = Vec::new();
    while ledger.next_group(&mut rows, &mut lines)? {
        defects.clear();
        let customers = group_blocks(&rows);
        counts += chunk_inject(&mut rows, &customers, params, pools, &mut defects)?;
        writers.write(&rows, &defects)?;
    }
    let (examples, manifest_rows) = (writers.example_rows, writers.manifest_rows);
    writers.finish(&mut out)?;
    let summary = AnomalySummary::new(&counts, examples, manifest_rows);
    let files = out.records().to_vec();
    write_anomaly_receipt(
        &mut out,
        params,
        overwrite_base,
        in_dir,
        summary,
        &files,
        format,
    )?;
    let mut tables = vec![ANOMALY_LEDGER_FILE, EXAMPLES_FILE, MANIFEST_FILE];
    if overwrite_base {
        tables.push(LEDGER_FILE);
    }
    let mut mirrored: Vec<String> = tables.iter().map(|n| format.file_name(n)).collect();
    mirrored.push(ANOMALY_RECEIPT.to_string());
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
    fn the_summary_lists_the_receipt_keys_in_order() {
        let mut counts = AnomalyCounts {
            rows: 1,
            swap_eligible: 2,
            swaps_chosen: 3,
            swaps_without_partner: 4,
            missing_eligible_with_agreement: 5,
            missing_eligible_without_agreement: 6,
            ..AnomalyCounts::default()
        };
        counts.labelled[DefectType::ImeiMismatchSwap] = 7;
        counts.labelled[DefectType::MissingUsageImeiCaptureFailure] = 8;
        counts.labelled[DefectType::MissingUsageImeiGhostLine] = 9;
        let summary = AnomalySummary::new(&counts, 10, 11);
        assert_eq!(
            serde_json::to_string(&summary).unwrap(),
            "{\"rows\":1,\"swap_eligible\":2,\"swaps_chosen\":3,\"swaps_without_partner\":4,\
             \"missing_eligible_with_agreement\":5,\"missing_eligible_without_agreement\":6,\
             \"imei_mismatch_swap\":7,\"missing_usage_imei_capture_failure\":8,\
             \"missing_usage_imei_ghost_line\":9,\"example_rows\":10,\"manifest_rows\":11}"
        );
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
        let mut ledger = String::new();
        for (i, line) in text.lines().enumerate() {
            let mut fields: Vec<String> = line.split(',').map(str::to_owned).collect();
            if i > 0 {
                for (column, prefix) in [(0, 'C'), (1, 'A')] {
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
                Format::Csv,
            )
            .unwrap();
            (summary, files(out.path()))
        };
        let (whole, whole_files) = run(GROUP_ROWS);
        assert!(whole.counts.labelled[DefectType::ImeiMismatchSwap] > 0);
        for group_rows in 1..=11 {
            let (summary, files) = run(group_rows);
            assert_eq!(summary, whole, "groups of {group_rows}");
            assert!(files == whole_files, "groups of {group_rows}");
        }
    }
}
