//! A data profile of an output folder of `run_all`, for researchers who look
//! at distributions before they trust the data.
//!
//! [`write_profile`] reads the tables of a finished run, CSV or Parquet
//! (`run_all --format parquet`), and writes three files beside them,
//! atomically (all or none):
//!
//! - `customers_v1_profile.csv` — one row per column of the customers table:
//!   type (`integer`, `float`, `text`), count, missing, distinct, and for a
//!   numeric column min, max, mean, sample standard deviation (n − 1) and
//!   the 5/25/50/75/95th percentiles (linear interpolation between closest
//!   ranks, the numpy and pandas default), plus the five most frequent values
//!   of every column with at most 50 distinct values. See [`ColumnProfile`].
//! - `table_profile.csv` — one row per column of every table of the folder
//!   ([`PROFILED_TABLES`]): table, column, type, rows, missing,
//!   missing share, distinct (exact up to [`TABLE_DISTINCT_LIMIT`], else
//!   `>1000`), min, max, mean. See [`TableColumn`].
//! - `report.html` — one self-contained page (inline CSS and hand-written
//!   SVG; no script, no font or URL from the network) with the row counts of
//!   every table, alerts (constant, empty, mostly missing and duplicated
//!   columns), histograms of tenure, charges, churn risk, trust and
//!   patience, observed churn by segment with Wilson 95% intervals beside
//!   the mean churn risk, the association heatmap of the customer columns
//!   (Cramér's V, correlation ratio, |Pearson r|), fidelity to the joint
//!   model's targets per segment, lines per account, EIP terms, device
//!   makes, the injected anomalies by label and as rates among eligible
//!   lines, and missing values per table ([`CHART_TITLES`], [`SECTION_IDS`]).
//!
//! A folder's tables are read in one format: CSV (`customers.csv`) or
//! Parquet (`customers.parquet`), whichever the customers table exists in;
//! when it exists in both, the format the receipt names (so a
//! Parquet run into a folder left with an older CSV run profiles the new
//! run). A table missing in that format is absent. A
//! Parquet table is read as the text cells its CSV twin holds (whole floats
//! as `45.0`, booleans as `0`/`1`, dates as `YYYY-MM-DD`), and the page
//! names tables without an extension and leaves out the receipt's `format`,
//! so the CSV and the Parquet folder of one run give byte-identical
//! profiles. The `*_FILE` constants name the CSV files; the Parquet twin of
//! `X.csv` is `X.parquet`.
//!
//! Only the customers table is required; every other table is optional and
//! its charts say so when it is absent. Tables are streamed row by row with
//! columns looked up by header name, in bounded memory: exact value counts
//! while a column has at most [`COUNTED_LIMIT`] distinct values, else the
//! values themselves up to [`SAMPLE_SIZE`] rows and a deterministic
//! reservoir sample past that (see [`SAMPLE_SIZE`] and [`DISTINCT_LIMIT`]).
//! The customers table is read twice (the second pass, for the heatmap,
//! needs the first pass's column types and means); every other table once,
//! on up to four threads ([`ProfileOptions::threads`]). The same files
//! always give the same bytes.
//!
//! ```
//! use std::fs;
//!
//! let dir = tempfile::tempdir()?;
//! fs::write(
//!     dir.path().join("customers.csv"),
//!     "customer_id,tenure_months,payment_method\n\
//!      C0000001,2,Mailed check\n\
//!      C0000002,10,Electronic check\n\
//!      C0000003,,Mailed check\n",
//! )?;
//!
//! let summary = novawireless_report::write_profile(dir.path())?;
//! assert_eq!(summary.customers, 3);
//! assert_eq!(summary.lines, None); // no lines.csv
//! let profile = fs::read_to_string(dir.path().join("customers_v1_profile.csv"))?;
//! assert_eq!(
//!     profile.lines().nth(2),
//!     // 2 and 10: mean 6, std √32, p05 = 2 + 0.05·8
//!     Some("tenure_months,integer,2,1,2,2,10,6,5.656854,2.4,4,6,8,9.6,2=1; 10=1")
//! );
//! assert!(fs::read_to_string(dir.path().join("report.html"))?.contains("<svg"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]

mod alerts;
mod assoc;
mod charts;
mod churn;
mod columns;
mod config;
mod eligible;
mod fidelity;
mod gather;
mod html;
mod number;
mod profile;
mod read;
mod stats;
mod svg;
mod tables;
mod views;

pub use alerts::{Alert, AlertKind, DUPLICATE_THRESHOLD, HIGH_MISSING_SHARE};
pub use assoc::{Associations, Kind, Measure, CATEGORICAL_MAX_INTEGERS};
pub use churn::{SegmentChurn, SegmentTable};
pub use eligible::{plain_label, EligibleRate};
pub use fidelity::{Fidelity, FidelityCell, MIN_FLAGGED, TARGET_DRAWS, TOLERANCES};
pub use html::{CHART_TITLES, SECTION_IDS, TITLE};
pub use novawireless_io::{FileRecord, InputError};
pub use profile::{
    ColumnProfile, ColumnType, Distinct, NumericStats, COUNTED_LIMIT, DISTINCT_LIMIT,
    PROFILE_COLUMNS, SAMPLE_SEED, SAMPLE_SIZE, TOP_VALUES, TOP_VALUES_MAX_DISTINCT,
};
pub use stats::{correlation_ratio, cramers_v, pearson, wilson};
pub use tables::{TableColumn, PROFILED_TABLES, TABLE_DISTINCT_LIMIT, TABLE_PROFILE_COLUMNS};

use novawireless_io::{OutputError, OutputSet};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The profile of the customers table, written into the folder.
pub const PROFILE_FILE: &str = "customers_v1_profile.csv";
/// The light profile of every column of every table, written into the
/// folder.
pub const TABLE_PROFILE_FILE: &str = "table_profile.csv";
/// The step-1 receipt: the config the run used (for the fidelity view).
pub const GENERATION_RECEIPT_FILE: &str = "customer_generation_receipt.json";
/// The HTML report, written into the folder.
pub const REPORT_FILE: &str = "report.html";
/// Every file the profile writes (a run without `--report` removes those
/// of an earlier run).
pub const OUTPUT_FILES: [&str; 3] = [REPORT_FILE, PROFILE_FILE, TABLE_PROFILE_FILE];
/// The one required input (or its Parquet twin, `customers.parquet`, as
/// for every table).
pub const CUSTOMERS_FILE: &str = "customers.csv";
/// Counted for the summary.
pub const LINES_FILE: &str = "lines.csv";
/// Counted; its `make` column is charted.
pub const DEVICES_FILE: &str = "devices.csv";
/// Counted; its `installment_months` column is charted.
pub const AGREEMENTS_FILE: &str = "eip_agreements.csv";
/// Counted; its `imei_anomaly_type` is charted when there is no manifest.
pub const LEDGER_FILE: &str = "master_account_ledger.csv";
/// The labelled ledger of step 3: anomaly rates among eligible lines.
pub const ANOMALY_LEDGER_FILE: &str = "master_account_ledger__anomalies.csv";
/// Its `defect_type` column is charted.
pub const MANIFEST_FILE: &str = "anomaly_manifest.csv";
/// Its parameters and realised counts are listed.
pub const RECEIPT_FILE: &str = "imei_anomaly_injection_receipt.json";

/// Why no profile was written (one line, naming the folder or file).
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The folder does not exist.
    #[error("{path}: no such folder (run run_all first)")]
    MissingFolder {
        /// The folder.
        path: String,
    },
    /// The path is not a folder.
    #[error("{path}: is not a folder")]
    NotAFolder {
        /// The path.
        path: String,
    },
    /// The folder has neither `customers.csv` nor `customers.parquet`.
    #[error("{path}: not found, nor customers.parquet (the folder holds no run_all output)")]
    MissingCustomers {
        /// The missing CSV file.
        path: String,
    },
    /// A file that exists could not be read.
    #[error("{path}: cannot read: {message}")]
    Read {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// A table that cannot be read, in either format: not readable, no
    /// header, a malformed CSV row, not a Parquet file, a Parquet column of
    /// a type without a text spelling (list, struct, binary, …), a row that
    /// cannot be decoded. One line naming the file, and for a row its line
    /// (the header counts as line 1, as in the table's CSV twin).
    #[error(transparent)]
    Input(InputError),
    /// A receipt that is not JSON.
    #[error("{path}: not valid JSON: {message}")]
    Json {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
    },
    /// The config file given for the fidelity view cannot be loaded.
    #[error("{path}: {message}")]
    Config {
        /// The file.
        path: String,
        /// Why.
        message: String,
    },
    /// The profile could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// The folder is locked by another run (exit code 2).
    #[error(transparent)]
    Folder(OutputError),
}

impl ReportError {
    /// The exit code of a binary failing with this error: 2 for a folder
    /// locked by another run, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            ReportError::Folder(_) => 2,
            _ => 1,
        }
    }
}

/// Anomaly counts by label, and where they come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnomalyCounts {
    /// The file read: [`MANIFEST_FILE`] or its Parquet twin (`defect_type`,
    /// one row per injected defect) or, without a manifest,
    /// [`LEDGER_FILE`] or its Parquet twin (`imei_anomaly_type`, rows with
    /// a label).
    pub source: String,
    /// Count per label, by label.
    pub counts: BTreeMap<String, u64>,
}

/// What [`write_profile`] read and wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct ProfileSummary {
    /// Rows of the customers table.
    pub customers: u64,
    /// Rows of the lines table; `None` when absent.
    pub lines: Option<u64>,
    /// Rows of the devices table; `None` when absent.
    pub devices: Option<u64>,
    /// Rows of the EIP agreements table; `None` when absent.
    pub agreements: Option<u64>,
    /// Rows of the ledger (`master_account_ledger`); `None` when absent.
    pub ledger_rows: Option<u64>,
    /// Anomalies by label; `None` when neither source has them.
    pub anomalies: Option<AnomalyCounts>,
    /// The profile of every column of the customers table, in file order.
    pub columns: Vec<ColumnProfile>,
    /// The rows of [`TABLE_PROFILE_FILE`]: every column of every table
    /// found, in [`PROFILED_TABLES`] order.
    pub table_columns: Vec<TableColumn>,
    /// Observed churn by segment of the customers table.
    pub churn_by_segment: Vec<SegmentTable>,
    /// The customers' association heatmap.
    pub associations: Associations,
    /// The alerts.
    pub alerts: Vec<Alert>,
    /// Anomaly rates among eligible lines; `None` without a labelled ledger.
    pub eligible: Option<Vec<EligibleRate>>,
    /// Observed against target per segment; `None` when the customers
    /// table lacks the columns.
    pub fidelity: Option<Fidelity>,
    /// The files written ([`PROFILE_FILE`], [`TABLE_PROFILE_FILE`],
    /// [`REPORT_FILE`]), paths relative to the folder.
    pub files: Vec<FileRecord>,
}

/// How [`write_profile_with`] finds what the folder does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileOptions {
    /// The config file the run used (`run_all --config`): the fidelity
    /// view's targets are that config's. Without it, the step-1 receipt
    /// decides: the embedded default when it names the embedded baseline,
    /// else the embedded default with a note that the run's config was
    /// not given.
    pub config: Option<std::path::PathBuf>,
    /// Threads for the passes after the first (0: the machine's cores, at
    /// most 4).
    pub threads: usize,
}

impl fmt::Display for ProfileSummary {
    /// One line of row counts, in the style of `run_all`:
    /// `customers 20000 lines 47114 devices 54181 eip_agreements 32061 ledger rows 47114`,
    /// with `-` for an absent table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |v| v.to_string());
        write!(
            f,
            "customers {} lines {} devices {} eip_agreements {} ledger rows {}",
            self.customers,
            n(self.lines),
            n(self.devices),
            n(self.agreements),
            n(self.ledger_rows)
        )
    }
}

/// The anomaly receipt's scalar entries, as text.
pub(crate) struct Receipt {
    pub(crate) parameters: Vec<(String, String)>,
    pub(crate) realised: Vec<(String, String)>,
    /// The format the receipt's run wrote its tables in.
    pub(crate) format: Option<String>,
}

/// Reads the output folder `out_dir` of a `run_all` run, CSV or Parquet
/// (see the crate docs), and writes [`PROFILE_FILE`] and [`REPORT_FILE`]
/// into it, atomically through [`OutputSet`]: both appear together, or
/// neither changes.
///
/// The tables are read in one format: the one the customers table exists
/// in, or, when it exists in both, the one the receipt ([`RECEIPT_FILE`]) names.
///
/// # Errors
/// The folder or the customers table is missing; a table that is present
/// has no header or a malformed row (the error names `file:line`), or is a
/// Parquet file that cannot be read or has a column type without a text
/// spelling; the receipt is not JSON; the files cannot be written.
///
/// The folder's lock ([`novawireless_io::FolderLock`]) is held throughout,
/// so a run writing there at the same time is waited for by neither: the
/// second to come is refused.
pub fn write_profile(out_dir: &Path) -> Result<ProfileSummary, ReportError> {
    write_profile_with(out_dir, &ProfileOptions::default())
}

/// [`write_profile`] with options (the run's config file).
///
/// # Errors
/// As [`write_profile`]; also a config file that cannot be read.
pub fn write_profile_with(
    out_dir: &Path,
    options: &ProfileOptions,
) -> Result<ProfileSummary, ReportError> {
    check_folder(out_dir)?;
    let _lock =
        novawireless_io::FolderLock::acquire(out_dir, "--out_dir").map_err(ReportError::Folder)?;
    write_profile_locked_with(out_dir, options)
}

/// The folder exists and is a folder.
fn check_folder(out_dir: &Path) -> Result<(), ReportError> {
    let folder = out_dir.display().to_string();
    if !out_dir.exists() {
        return Err(ReportError::MissingFolder { path: folder });
    }
    if !out_dir.is_dir() {
        return Err(ReportError::NotAFolder { path: folder });
    }
    Ok(())
}

/// [`write_profile`] for a caller that holds the folder's lock already
/// (`run_all --report`, which profiles the tables it has just committed).
///
/// # Errors
/// As [`write_profile`].
pub fn write_profile_locked(out_dir: &Path) -> Result<ProfileSummary, ReportError> {
    write_profile_locked_with(out_dir, &ProfileOptions::default())
}

/// [`write_profile_with`] for a caller that holds the folder's lock.
///
/// # Errors
/// As [`write_profile_with`].
pub fn write_profile_locked_with(
    out_dir: &Path,
    options: &ProfileOptions,
) -> Result<ProfileSummary, ReportError> {
    check_folder(out_dir)?;
    let receipt = read_receipt(&out_dir.join(RECEIPT_FILE))?;
    let format = read::folder_format(
        out_dir,
        CUSTOMERS_FILE,
        receipt.as_ref().and_then(|r| r.format.as_deref()),
    )?;
    let Some(mut customers) = format
        .map(|f| read::Table::open_optional(out_dir, CUSTOMERS_FILE, f))
        .transpose()?
        .flatten()
    else {
        return Err(ReportError::MissingCustomers {
            path: out_dir.join(CUSTOMERS_FILE).display().to_string(),
        });
    };
    let format = format.unwrap_or(read::Format::Csv);
    let (baseline, config_note) = config::baseline(out_dir, options.config.as_deref())?;
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(2, |n| n.get().min(4)),
        n => n,
    };
    let (gathered, columns, (first, targets)) = gather::gather(out_dir, format, threads, || {
        let (columns, first) = first_pass(&mut customers)?;
        let targets = first
            .observed
            .active()
            .then(|| fidelity::targets(&baseline));
        Ok((columns, (first, targets)))
    })?;
    let FirstPass {
        rows,
        charts,
        segments,
        observed,
    } = first;
    let fidelity = targets.map(|t| observed.compare(&t, config_note));
    let found = Found::new(rows, &columns, &gathered);
    let alerts = alerts::alerts(&found.table_columns, &gathered.associations);
    let churn_by_segment = segments.finish();
    let page = html::render(&html::Page {
        customers: rows,
        lines: found.rows("lines.csv"),
        devices: found.tally("devices.csv"),
        agreements: found.tally("eip_agreements.csv"),
        ledger_rows: found.rows(LEDGER_FILE),
        anomalies: found.anomalies.as_ref(),
        anomalies_from_manifest: found.anomalies_from_manifest,
        anomalies_missing: found.anomalies_missing,
        receipt: receipt.as_ref(),
        charts: &charts,
        profiles: &columns,
        tables: &found.table_columns,
        table_rows: &found.table_rows,
        churn: &churn_by_segment,
        associations: &gathered.associations,
        alerts: &alerts,
        eligible: found.eligible.as_deref(),
        eligible_source: found.eligible_source,
        fidelity: fidelity.as_ref(),
    });
    let mut out = OutputSet::create(out_dir)?;
    out.bytes(PROFILE_FILE, &profile::to_csv(&columns))?;
    out.bytes(TABLE_PROFILE_FILE, &tables::to_csv(&found.table_columns))?;
    out.bytes(REPORT_FILE, page.as_bytes())?;
    let files = out.commit()?;
    let (lines, devices) = (found.rows("lines.csv"), found.rows("devices.csv"));
    let agreements = found.rows("eip_agreements.csv");
    let ledger_rows = found.rows(LEDGER_FILE);
    let Found {
        anomalies,
        table_columns,
        eligible,
        ..
    } = found;
    Ok(ProfileSummary {
        customers: rows,
        lines,
        devices,
        agreements,
        ledger_rows,
        anomalies,
        columns,
        table_columns,
        churn_by_segment,
        associations: gathered.associations,
        alerts,
        eligible,
        fidelity,
        files,
    })
}

/// What the first pass over the customers table found besides the column
/// profiles.
struct FirstPass {
    rows: u64,
    charts: charts::CustomerCharts,
    segments: churn::ChurnBySegment,
    observed: fidelity::Observed,
}

/// The first pass over the customers table: the column profiles, the
/// charts, churn by segment and the fidelity counts.
fn first_pass(customers: &mut read::Table) -> Result<(Vec<ColumnProfile>, FirstPass), ReportError> {
    let mut profiler = profile::Profiler::new(customers.header());
    let mut first = FirstPass {
        rows: 0,
        charts: charts::CustomerCharts::new(customers.header()),
        segments: churn::ChurnBySegment::new(customers.header()),
        observed: fidelity::Observed::new(customers.header()),
    };
    while let Some(record) = customers.next_record()? {
        profiler.add(record);
        first.charts.add(record);
        first.segments.add(record);
        first.observed.add(record);
        first.rows += 1;
    }
    Ok((profiler.finish(), first))
}

/// The later passes' results, put together.
struct Found<'a> {
    gathered: &'a gather::Gathered,
    table_columns: Vec<TableColumn>,
    /// Per table found: its name (no extension) and rows.
    table_rows: Vec<(String, u64)>,
    anomalies: Option<AnomalyCounts>,
    anomalies_from_manifest: bool,
    anomalies_missing: &'static str,
    eligible: Option<Vec<EligibleRate>>,
    eligible_source: &'static str,
}

impl<'a> Found<'a> {
    fn new(customers: u64, profiles: &[ColumnProfile], gathered: &'a gather::Gathered) -> Self {
        let mut table_columns: Vec<TableColumn> = profiles
            .iter()
            .map(|p| TableColumn::from_profile("customers", customers, p))
            .collect();
        let mut table_rows = vec![("customers".to_string(), customers)];
        for (file, pass) in PROFILED_TABLES.iter().zip(&gathered.tables) {
            if let Some(pass) = pass {
                table_columns.extend(pass.columns.iter().cloned());
                table_rows.push((file.trim_end_matches(".csv").to_string(), pass.tally.rows));
            }
        }
        let mut found = Found {
            gathered,
            table_columns,
            table_rows,
            anomalies: None,
            anomalies_from_manifest: false,
            anomalies_missing: "",
            eligible: None,
            eligible_source: "",
        };
        found.pick_anomalies();
        found
    }

    fn pass(&self, file: &str) -> Option<&'a gather::TablePass> {
        let k = PROFILED_TABLES.iter().position(|f| *f == file)?;
        self.gathered.tables.get(k)?.as_ref()
    }

    fn rows(&self, file: &str) -> Option<u64> {
        self.pass(file).map(|p| p.tally.rows)
    }

    fn tally(&self, file: &str) -> Option<&'a read::Tally> {
        self.pass(file).map(|p| &p.tally)
    }

    /// Anomaly counts from the manifest, else from the ledger's labels;
    /// eligible rates from the labelled ledger, else the ledger.
    fn pick_anomalies(&mut self) {
        let manifest = self.tally(MANIFEST_FILE);
        let ledger = self.tally(LEDGER_FILE);
        let with_values = |t: Option<&'a read::Tally>| t.filter(|t| t.values.is_some());
        let source = with_values(manifest)
            .map(|t| (true, t))
            .or_else(|| with_values(ledger).map(|t| (false, t)));
        self.anomalies_from_manifest = source.is_some_and(|(m, _)| m);
        self.anomalies = source.and_then(|(_, t)| {
            t.values.as_ref().map(|v| AnomalyCounts {
                source: t.file.clone(),
                counts: v.counts.clone(),
            })
        });
        self.anomalies_missing = match (manifest, ledger) {
            (Some(_), _) => "anomaly_manifest has no defect_type column",
            (None, Some(_)) => "no anomaly_manifest, and the ledger has no imei_anomaly_type",
            (None, None) => "neither anomaly_manifest nor master_account_ledger found",
        };
        for file in [ANOMALY_LEDGER_FILE, LEDGER_FILE] {
            if let Some(rates) = self.pass(file).and_then(|p| p.eligible.clone()) {
                self.eligible = Some(rates);
                self.eligible_source = if file == LEDGER_FILE {
                    "master_account_ledger"
                } else {
                    "master_account_ledger__anomalies"
                };
                break;
            }
        }
    }
}

/// The receipt's `parameters` and `realised` entries (folder paths and the
/// output `format` left out, so the page does not depend on where the run
/// was made or in which format its tables are); `None` when the file does
/// not exist.
fn read_receipt(path: &Path) -> Result<Option<Receipt>, ReportError> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ReportError::Read {
                path: name,
                message: e.to_string(),
            })
        }
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| ReportError::Json {
        path: name,
        message: e.to_string(),
    })?;
    let entries = |key: &str| -> Vec<(String, String)> {
        let Some(map) = json.get(key).and_then(serde_json::Value::as_object) else {
            return Vec::new();
        };
        map.iter()
            .filter(|(k, _)| !k.ends_with("_dir") && k.as_str() != "format")
            .map(|(k, v)| {
                let text = match v {
                    serde_json::Value::String(s) => s.clone(),
                    serde_json::Value::Null => String::new(),
                    other => other.to_string(),
                };
                (k.clone(), text)
            })
            .collect()
    };
    let format = json
        .pointer("/parameters/format")
        .and_then(serde_json::Value::as_str)
        .map(str::to_string);
    Ok(Some(Receipt {
        parameters: entries("parameters"),
        realised: entries("realised"),
        format,
    }))
}
