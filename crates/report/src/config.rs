//! The config the run used, for the fidelity view's targets: a file given
//! by the caller, else what the step-1 receipt says.

use crate::{ReportError, GENERATION_RECEIPT_FILE};
use novawireless_sampler::Baseline;
use std::path::Path;

/// What the step-1 receipt says of the config: its `config` entry (a file
/// name, or `embedded baseline`) and `config_sha256`.
fn receipt_config(dir: &Path) -> Result<Option<(String, Option<String>)>, ReportError> {
    let path = dir.join(GENERATION_RECEIPT_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(ReportError::Read {
                path: path.display().to_string(),
                message: e.to_string(),
            })
        }
    };
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| ReportError::Json {
        path: path.display().to_string(),
        message: e.to_string(),
    })?;
    let text_at = |p: &str| json.pointer(p).and_then(|v| v.as_str()).map(str::to_string);
    Ok(text_at("/parameters/config").map(|name| (name, text_at("/parameters/config_sha256"))))
}

/// The baseline whose targets the fidelity view shows, and a note saying
/// which it is and how it was found.
///
/// # Errors
/// `explicit` cannot be read or is not a valid config; the receipt cannot
/// be read or is not JSON.
pub(crate) fn baseline(
    dir: &Path,
    explicit: Option<&Path>,
) -> Result<(Baseline, String), ReportError> {
    let recorded = receipt_config(dir)?;
    if let Some(path) = explicit {
        let config_error = |message: String| ReportError::Config {
            path: path.display().to_string(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| config_error(e.to_string()))?;
        let baseline = Baseline::from_file(path).map_err(|e| config_error(e.to_string()))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let sha = novawireless_io::sha256_hex(&bytes);
        let note = match recorded {
            Some((_, Some(recorded_sha))) if recorded_sha != sha => format!(
                "Targets of config {name}, as given; its SHA-256 differs from the one \
                 customer_generation_receipt.json records, so the run used another file."
            ),
            Some((_, Some(_))) => format!(
                "Targets of config {name}, the file the run used (its SHA-256 matches \
                 customer_generation_receipt.json)."
            ),
            _ => format!("Targets of config {name}, as given."),
        };
        return Ok((baseline, note));
    }
    let note = match recorded {
        None => "No customer_generation_receipt.json: targets of the embedded default \
                 config, assumed."
            .to_string(),
        Some((name, None)) if name == "embedded baseline" => {
            "Targets of the embedded default config, which customer_generation_receipt.json \
             names."
                .to_string()
        }
        Some((name, _)) => format!(
            "The run used config {name}, which was not given to the profile (profile \
             --config FILE): targets of the embedded default config are shown instead, so \
             flags may reflect the difference of configs."
        ),
    };
    Ok((Baseline::embedded(), note))
}
