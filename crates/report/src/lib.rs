//! A data profile of an output folder of `run_all`, for researchers who look
//! at distributions before they trust the data.
//!
//! [`write_profile`] reads the tables of a finished run, CSV or Parquet
//! (`run_all --format parquet`), and writes two files beside them,
//! atomically (both or neither):
//!
//! - `customers_v1_profile.csv` — one row per column of the customers table:
//!   type (`integer`, `float`, `text`), count, missing, distinct, and for a
//!   numeric column min, max, mean, sample standard deviation (n − 1) and
//!   the 5/25/50/75/95th percentiles (linear interpolation between closest
//!   ranks, the numpy and pandas default), plus the five most frequent values
//!   of every column with at most 50 distinct values. See [`ColumnProfile`].
//! - `report.html` — one self-contained page (inline CSS and hand-written
//!   SVG; no script, no font or URL from the network) with the row counts of
//!   every table, histograms of tenure, charges, churn risk, trust and
//!   patience, mean churn risk by tenure segment, payment method and
//!   internet service, lines per account, EIP terms, device makes and the
//!   injected anomalies by label ([`CHART_TITLES`]).
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
//! The same files always give the same bytes.
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

mod charts;
mod columns;
mod html;
mod number;
mod profile;
mod read;
mod svg;

pub use html::{CHART_TITLES, TITLE};
pub use novawireless_io::{FileRecord, InputError};
pub use profile::{
    ColumnProfile, ColumnType, Distinct, NumericStats, COUNTED_LIMIT, DISTINCT_LIMIT,
    PROFILE_COLUMNS, SAMPLE_SEED, SAMPLE_SIZE, TOP_VALUES, TOP_VALUES_MAX_DISTINCT,
};

use novawireless_io::{OutputError, OutputSet};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// The profile of the customers table, written into the folder.
pub const PROFILE_FILE: &str = "customers_v1_profile.csv";
/// The HTML report, written into the folder.
pub const REPORT_FILE: &str = "report.html";
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
    /// The files written ([`PROFILE_FILE`], [`REPORT_FILE`]), paths
    /// relative to the folder.
    pub files: Vec<FileRecord>,
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
    check_folder(out_dir)?;
    let _lock =
        novawireless_io::FolderLock::acquire(out_dir, "--out_dir").map_err(ReportError::Folder)?;
    write_profile_locked(out_dir)
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
    let mut profiler = profile::Profiler::new(customers.header());
    let mut charts = charts::CustomerCharts::new(customers.header());
    let mut rows = 0u64;
    while let Some(record) = customers.next_record()? {
        profiler.add(record);
        charts.add(record);
        rows += 1;
    }
    let columns = profiler.finish();

    let lines = read::tally(out_dir, LINES_FILE, format, None)?;
    let devices = read::tally(out_dir, DEVICES_FILE, format, Some("make"))?;
    let agreements = read::tally(
        out_dir,
        AGREEMENTS_FILE,
        format,
        Some(columns::INSTALLMENT_MONTHS),
    )?;
    let ledger = read::tally(
        out_dir,
        LEDGER_FILE,
        format,
        Some(columns::IMEI_ANOMALY_TYPE),
    )?;
    let manifest = read::tally(out_dir, MANIFEST_FILE, format, Some("defect_type"))?;

    let anomaly_source = match (&manifest, &ledger) {
        (
            Some(
                t @ read::Tally {
                    values: Some(v), ..
                },
            ),
            _,
        ) => Some((true, t, v)),
        (
            _,
            Some(
                t @ read::Tally {
                    values: Some(v), ..
                },
            ),
        ) => Some((false, t, v)),
        _ => None,
    };
    let anomalies_from_manifest = anomaly_source.is_some_and(|(from_manifest, ..)| from_manifest);
    let anomalies = anomaly_source.map(|(_, t, v)| AnomalyCounts {
        source: t.file.clone(),
        counts: v.counts.clone(),
    });
    let anomalies_missing = match (&manifest, &ledger) {
        (Some(_), _) => "anomaly_manifest has no defect_type column",
        (None, Some(_)) => "no anomaly_manifest, and the ledger has no imei_anomaly_type",
        (None, None) => "neither anomaly_manifest nor master_account_ledger found",
    };

    let page = html::render(&html::Page {
        customers: rows,
        lines: lines.as_ref().map(|t| t.rows),
        devices: devices.as_ref(),
        agreements: agreements.as_ref(),
        ledger_rows: ledger.as_ref().map(|t| t.rows),
        anomalies: anomalies.as_ref(),
        anomalies_from_manifest,
        anomalies_missing,
        receipt: receipt.as_ref(),
        charts: &charts,
        profiles: &columns,
    });
    let mut out = OutputSet::create(out_dir)?;
    out.bytes(PROFILE_FILE, &profile::to_csv(&columns))?;
    out.bytes(REPORT_FILE, page.as_bytes())?;
    let files = out.commit()?;
    Ok(ProfileSummary {
        customers: rows,
        lines: lines.map(|t| t.rows),
        devices: devices.map(|t| t.rows),
        agreements: agreements.map(|t| t.rows),
        ledger_rows: ledger.map(|t| t.rows),
        anomalies,
        columns,
        files,
    })
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
