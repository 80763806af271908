//! The manifest's rows, in the model's vocabulary: [`DefectType`] and
//! [`DefectId`].

use novawireless_model::{CustomerId, Imei, LineId};

pub use novawireless_model::{DefectId, DefectType};

/// One row of `anomaly_manifest.csv`: one injected defect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManifestRow {
    /// Unique id of the defect.
    pub defect_id: DefectId,
    /// What was injected.
    pub defect_type: DefectType,
    /// The stage that injected it (always `defect_type.stage()`).
    pub stage: u8,
    /// The customer of the line.
    pub customer_id: CustomerId,
    /// The line that carries the defect.
    pub line_id: LineId,
    /// The other line of a swap (or whose IMEI was copied), when there is one.
    pub partner_line_id: Option<LineId>,
    /// The ledger field the defect changed (`usage_imei` for every type so
    /// far); the manifest's `field` column (formerly `column`).
    pub field: String,
    /// The value before the defect, `None` when it was empty.
    pub clean_value: Option<Imei>,
    /// The value after the defect, `None` when blanked.
    pub injected_value: Option<Imei>,
}

impl ManifestRow {
    /// A row with only the fields scoring looks at; the others are
    /// placeholders (handy for tests and synthetic manifests).
    pub fn new(line_id: LineId, defect_type: DefectType, defect_id: DefectId) -> Self {
        ManifestRow {
            defect_id,
            defect_type,
            stage: defect_type.stage(),
            customer_id: CustomerId::from_index(0),
            line_id,
            partner_line_id: None,
            field: "usage_imei".to_string(),
            clean_value: None,
            injected_value: None,
        }
    }
}
