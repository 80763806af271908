//! The manifest's vocabulary: defect types with their CSV spellings, and
//! defect ids.

use novawireless_model::{CustomerId, Imei, LineId};
use std::fmt;
use std::str::FromStr;

pub use novawireless_model::DefectType;

/// Position of a defect type in [`DefectType::ALL`].
pub(crate) const fn type_index(defect_type: DefectType) -> usize {
    defect_type as usize
}

/// `DEF-000000001`: one injected defect (9 digits, wider when needed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefectId(u64);

impl DefectId {
    /// The id with 1-based number `number`; `None` for 0.
    pub const fn new(number: u64) -> Option<Self> {
        if number == 0 {
            None
        } else {
            Some(DefectId(number))
        }
    }

    /// The 1-based number printed in the id.
    pub const fn number(self) -> u64 {
        self.0
    }
}

impl fmt::Display for DefectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DEF-{:09}", self.0)
    }
}

/// A text that is not `DEF-` and at least 9 digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a valid defect id (expected DEF- and at least 9 digits)")]
pub struct BadDefectId(pub String);

impl FromStr for DefectId {
    type Err = BadDefectId;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix("DEF-")
            .filter(|d| (9..=19).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok())
            .and_then(DefectId::new)
            .ok_or_else(|| BadDefectId(s.to_string()))
    }
}

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
    /// The ledger column the defect changed (`usage_imei` for every type so far).
    pub column: String,
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
            column: "usage_imei".to_string(),
            clean_value: None,
            injected_value: None,
        }
    }
}
