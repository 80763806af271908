//! Scores a detector of injected IMEI defects against the ground truth.
//!
//! The pipeline records every defect it injects in `anomaly_manifest.csv`
//! (one row per defect: stage-1 generation mismatches, stage-3 swaps and
//! blanked usage IMEIs). A detector answers per line — a 0/1 `flag`, or a
//! `score` cut at a threshold — and [`score`] compares the two **line by
//! line**: a line is positive when it carries at least one manifest defect,
//! and the ledger's lines make up the universe, so that the clean lines
//! (the negatives) are known. It reports the confusion counts, precision,
//! recall and F1, and per [`DefectType`] the support, hits and recall, with
//! a per-type precision of TP_type / (TP_type + FP), FP being the flagged
//! lines that carry no defect at all (see [`TypeScore`]). A ratio 0/0 is
//! reported as 0.
//!
//! [`score`] is pure; [`read_ledger_lines`], [`read_manifest`] and
//! [`read_predictions`] read the files with typed errors, [`evaluate`] runs
//! all three, and [`write_json`] writes a [`Score`] atomically.
//!
//! ```
//! use novawireless_model::LineId;
//! use novawireless_scoring::{score, DefectId, DefectType, ManifestRow, Predictions};
//!
//! let line = |n: u64| LineId::from_index(n - 1);
//! let defect = |n| DefectId::new(n).unwrap();
//! let manifest = [
//!     ManifestRow::new(line(2), DefectType::ImeiMismatchSwap, defect(1)),
//!     ManifestRow::new(line(3), DefectType::ImeiMismatchSwap, defect(2)),
//! ];
//! // Line 4 is flagged but clean; line 1 is judged clean; line 3 is absent.
//! let predictions: Predictions = [(line(1), false), (line(2), true), (line(4), true)]
//!     .into_iter()
//!     .collect();
//! let s = score((1..=4).map(line), &manifest, &predictions);
//! assert_eq!((s.true_positive, s.false_positive, s.false_negative, s.true_negative), (1, 1, 1, 1));
//! assert_eq!(s.absent, 1);
//! assert_eq!(s.precision, 0.5);
//! assert_eq!(s.of(DefectType::ImeiMismatchSwap).recall, 0.5);
//! assert_eq!(s.of(DefectType::MissingUsageImeiGhostLine).support, 0);
//! ```
#![forbid(unsafe_code)]

mod defect;
mod predictions;
mod read;
mod score;

pub use defect::{DefectId, DefectType, ManifestRow};
pub use predictions::Predictions;
pub use read::{
    read_ledger_lines, read_manifest, read_predictions, InputError, LineUniverse, Problem,
    MANIFEST_COLUMNS,
};
pub use score::{score, Score, TypeScore};

use novawireless_io::{OutputError, OutputSet};
use std::path::Path;

/// Why a scoring run failed.
#[derive(Debug, thiserror::Error)]
pub enum ScoringError {
    /// A refused input file.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The JSON report could not be written.
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Reads the ledger's lines, the manifest and the predictions (in that
/// order, so the first bad file is the one reported) and scores them.
///
/// # Errors
/// The first refused file; see the readers.
pub fn evaluate(
    ledger: &Path,
    manifest: &Path,
    predictions: &Path,
    threshold: Option<f64>,
) -> Result<Score, InputError> {
    let universe = read_ledger_lines(ledger)?;
    let manifest = read_manifest(manifest, &universe)?;
    let predictions = read_predictions(predictions, &universe, threshold)?;
    Ok(score(&universe, &manifest, &predictions))
}

/// Writes `score` to `path` as pretty JSON with a trailing newline, under a
/// temporary name in the same folder first, renamed into place when
/// complete (the folder is created if needed).
///
/// # Errors
/// `path` has no file name, or the folder or file cannot be written.
pub fn write_json(path: &Path, score: &Score) -> Result<(), OutputError> {
    write_json_at(path, score, 0)
}

/// [`write_json`] through at most 40 symbolic links.
fn write_json_at(path: &Path, score: &Score, links: u32) -> Result<(), OutputError> {
    let error = |message: String| OutputError {
        path: path.display().to_string(),
        message,
    };
    match std::fs::symlink_metadata(path) {
        // A link is written through: its target gets the scores.
        Ok(m) if m.file_type().is_symlink() => {
            if links >= 40 {
                return Err(error("too many levels of symbolic links".into()));
            }
            let target = std::fs::read_link(path).map_err(|e| error(e.to_string()))?;
            let target = match path.parent() {
                Some(dir) if target.is_relative() => dir.join(target),
                _ => target,
            };
            return write_json_at(&target, score, links + 1);
        }
        Ok(m) if m.is_dir() => return Err(error("is a folder".into())),
        // A device or a FIFO is written to as it is, never replaced.
        Ok(m) if !m.is_file() => {
            use std::io::Write;
            let mut text = serde_json::to_vec_pretty(score).map_err(|e| error(e.to_string()))?;
            text.push(b'\n');
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .open(path)
                .map_err(|e| error(format!("cannot write: {e}")))?;
            return file
                .write_all(&text)
                .and_then(|()| file.flush())
                .map_err(|e| error(format!("cannot write: {e}")));
        }
        _ => {}
    }
    // A regular file, or none: replaced atomically.
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| error("is not a file name".into()))?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut out = OutputSet::create(dir)?;
    out.json(name, score)?;
    out.commit()?;
    Ok(())
}
