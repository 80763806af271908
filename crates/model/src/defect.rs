//! Ground truth of the injected defects: one [`Defect`] per changed value.

use crate::{AnomalyLabel, CustomerId, Imei, LineId, UnknownVariant};
use std::fmt;
use std::str::FromStr;

/// The kind of an injected defect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DefectType {
    /// Step 1: usage recorded another line's IMEI.
    GenerationUsageMismatch,
    /// Step 3: usage IMEIs exchanged with another line.
    ImeiMismatchSwap,
    /// Step 3: usage IMEI blanked on a line with an agreement.
    MissingUsageImeiCaptureFailure,
    /// Step 3: usage IMEI blanked on a line without an agreement.
    MissingUsageImeiGhostLine,
}

impl DefectType {
    /// Every defect type.
    pub const ALL: [DefectType; 4] = [
        DefectType::GenerationUsageMismatch,
        DefectType::ImeiMismatchSwap,
        DefectType::MissingUsageImeiCaptureFailure,
        DefectType::MissingUsageImeiGhostLine,
    ];

    /// The CSV spelling.
    pub const fn as_str(self) -> &'static str {
        match self {
            DefectType::GenerationUsageMismatch => "generation_usage_mismatch",
            DefectType::ImeiMismatchSwap => "imei_mismatch_swap",
            DefectType::MissingUsageImeiCaptureFailure => "missing_usage_imei_capture_failure",
            DefectType::MissingUsageImeiGhostLine => "missing_usage_imei_ghost_line",
        }
    }

    /// The pipeline step that injects it: 1 or 3.
    pub const fn stage(self) -> u8 {
        match self {
            DefectType::GenerationUsageMismatch => 1,
            _ => 3,
        }
    }
}

impl From<AnomalyLabel> for DefectType {
    fn from(label: AnomalyLabel) -> Self {
        match label {
            AnomalyLabel::ImeiMismatchSwap => DefectType::ImeiMismatchSwap,
            AnomalyLabel::MissingUsageImeiCaptureFailure => {
                DefectType::MissingUsageImeiCaptureFailure
            }
            AnomalyLabel::MissingUsageImeiGhostLine => DefectType::MissingUsageImeiGhostLine,
        }
    }
}

impl fmt::Display for DefectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DefectType {
    type Err = UnknownVariant;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DefectType::ALL
            .into_iter()
            .find(|t| t.as_str() == s)
            .ok_or_else(|| UnknownVariant {
                kind: "defect type",
                value: s.to_string(),
            })
    }
}

/// One row of `anomaly_manifest.csv`: a value of `usage_imei` the pipeline
/// changed on purpose, with its clean and injected values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Defect {
    /// What was injected.
    pub defect_type: DefectType,
    /// The customer.
    pub customer_id: CustomerId,
    /// The changed line.
    pub line_id: LineId,
    /// The donor (step 1) or swap partner (step 3); `None` for a blanked IMEI.
    pub partner_line_id: Option<LineId>,
    /// The usage IMEI before this defect.
    pub clean_value: Option<Imei>,
    /// The usage IMEI after it (`None`: blanked).
    pub injected_value: Option<Imei>,
}

impl Defect {
    /// The stable id: `DEF-` and ten digits, the line's number followed by
    /// the stage, so ids sort in line order and never depend on how the
    /// population was split (a line has at most one defect per stage).
    pub const fn defect_number(&self) -> u64 {
        self.line_id.number() * 10 + self.defect_type.stage() as u64
    }
}
