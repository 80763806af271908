//! The defect vocabulary: [`DefectType`] with its stage, [`DefectId`],
//! [`DefectCounts`] keyed by the type, and the ground truth of the injected
//! defects, one [`Defect`] per changed value (README, *Output files*).

use crate::{CustomerId, IdError, Imei, LineId, UnknownVariant};
use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Index, IndexMut};
use std::str::FromStr;

/// The kind of an injected defect, the one vocabulary of the manifest's
/// `defect_type`, the ledger's `imei_anomaly_type` (stage-3 types only) and
/// every count of defects.
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
    /// How many defect types there are.
    pub const COUNT: usize = 4;

    /// Every defect type, in the order of [`Self::index`].
    pub const ALL: [DefectType; DefectType::COUNT] = [
        DefectType::GenerationUsageMismatch,
        DefectType::ImeiMismatchSwap,
        DefectType::MissingUsageImeiCaptureFailure,
        DefectType::MissingUsageImeiGhostLine,
    ];

    /// The position of the type in [`Self::ALL`].
    pub const fn index(self) -> usize {
        match self {
            DefectType::GenerationUsageMismatch => 0,
            DefectType::ImeiMismatchSwap => 1,
            DefectType::MissingUsageImeiCaptureFailure => 2,
            DefectType::MissingUsageImeiGhostLine => 3,
        }
    }

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
            DefectType::ImeiMismatchSwap
            | DefectType::MissingUsageImeiCaptureFailure
            | DefectType::MissingUsageImeiGhostLine => 3,
        }
    }

    /// Whether step 3 injects it, so that it may label a ledger row
    /// (`imei_anomaly_type`).
    pub const fn is_label(self) -> bool {
        self.stage() == 3
    }

    /// Parses the spelling of a type that may label a ledger row (stage 3):
    /// a stage-1 or unknown spelling is refused as an unknown anomaly label.
    ///
    /// # Errors
    /// [`UnknownVariant`] of kind `anomaly label`.
    pub fn parse_label(s: &str) -> Result<DefectType, UnknownVariant> {
        s.parse::<DefectType>()
            .ok()
            .filter(|t| t.is_label())
            .ok_or_else(|| UnknownVariant {
                kind: "anomaly label",
                value: s.to_string(),
            })
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

/// A count per [`DefectType`]: an array indexed by the type, so a new type
/// gets its own count with no code to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DefectCounts([u64; DefectType::COUNT]);

impl DefectCounts {
    /// The count of `defect_type`.
    pub const fn get(&self, defect_type: DefectType) -> u64 {
        self.0[defect_type.index()]
    }

    /// Every type with its count, in the order of [`DefectType::ALL`].
    pub fn iter(&self) -> impl Iterator<Item = (DefectType, u64)> + '_ {
        DefectType::ALL.into_iter().map(|t| (t, self.get(t)))
    }

    /// The sum over every type.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }
}

impl Index<DefectType> for DefectCounts {
    type Output = u64;

    fn index(&self, defect_type: DefectType) -> &u64 {
        &self.0[defect_type.index()]
    }
}

impl IndexMut<DefectType> for DefectCounts {
    fn index_mut(&mut self, defect_type: DefectType) -> &mut u64 {
        &mut self.0[defect_type.index()]
    }
}

impl Add for DefectCounts {
    type Output = DefectCounts;

    fn add(mut self, other: DefectCounts) -> DefectCounts {
        self += other;
        self
    }
}

impl AddAssign for DefectCounts {
    fn add_assign(&mut self, other: DefectCounts) {
        for (a, b) in self.0.iter_mut().zip(other.0) {
            *a += b;
        }
    }
}

impl Sum for DefectCounts {
    fn sum<I: Iterator<Item = DefectCounts>>(iter: I) -> DefectCounts {
        iter.fold(DefectCounts::default(), Add::add)
    }
}

impl FromIterator<DefectType> for DefectCounts {
    /// Counts each type's occurrences.
    fn from_iter<I: IntoIterator<Item = DefectType>>(iter: I) -> DefectCounts {
        let mut counts = DefectCounts::default();
        for t in iter {
            counts[t] += 1;
        }
        counts
    }
}

/// `DEF-0000000021`: the id of one injected defect, `DEF-` and its number
/// in at least ten digits (README, *Output files*).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DefectId(u64);

impl DefectId {
    /// The text before the digits.
    pub const PREFIX: &'static str = "DEF-";
    /// The digits an id is written with, at least (zero-padded).
    pub const WIDTH: usize = 10;

    /// The id with number `number`; `None` for 0.
    pub const fn new(number: u64) -> Option<Self> {
        if number == 0 {
            None
        } else {
            Some(DefectId(number))
        }
    }

    /// The id of a defect of `defect_type` on `line`: the line's number
    /// followed by the type's stage, so ids sort in line order and never depend on
    /// how the population was split (a line has at most one defect per
    /// stage).
    pub const fn of(line: LineId, defect_type: DefectType) -> Self {
        DefectId(line.number() * 10 + defect_type.stage() as u64)
    }

    /// The number printed in the id.
    pub const fn number(self) -> u64 {
        self.0
    }
}

impl fmt::Display for DefectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:010}", Self::PREFIX, self.0)
    }
}

impl FromStr for DefectId {
    type Err = IdError;

    /// `DEF-` and 9 to 19 digits, not all zero: the ten digits the pipeline
    /// writes, and the nine of hand-made manifests.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix(Self::PREFIX)
            .filter(|d| (9..=19).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|d| d.parse().ok())
            .and_then(DefectId::new)
            .ok_or_else(|| IdError {
                kind: "defect id",
                expected: "DEF- and at least 9 digits",
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
    /// The stable id, [`DefectId::of`] the line and the type's stage.
    pub const fn id(&self) -> DefectId {
        DefectId::of(self.line_id, self.defect_type)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_round_trip_and_only_stage_3_types_are_labels() {
        for (i, t) in DefectType::ALL.into_iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(t.as_str().parse::<DefectType>(), Ok(t));
            assert_eq!(DefectType::parse_label(t.as_str()).is_ok(), t.stage() == 3);
        }
        assert_eq!(
            DefectType::parse_label("generation_usage_mismatch")
                .unwrap_err()
                .to_string(),
            "unknown anomaly label \"generation_usage_mismatch\""
        );
        assert_eq!(
            DefectType::parse_label("imei_swap")
                .unwrap_err()
                .to_string(),
            "unknown anomaly label \"imei_swap\""
        );
        assert_eq!(
            DefectType::parse_label("missing_usage_imei_ghost_line"),
            Ok(DefectType::MissingUsageImeiGhostLine)
        );
    }

    #[test]
    fn counts_are_keyed_by_type() {
        let counts: DefectCounts = [
            DefectType::ImeiMismatchSwap,
            DefectType::ImeiMismatchSwap,
            DefectType::MissingUsageImeiGhostLine,
        ]
        .into_iter()
        .collect();
        assert_eq!(counts[DefectType::ImeiMismatchSwap], 2);
        assert_eq!(counts.get(DefectType::MissingUsageImeiGhostLine), 1);
        assert_eq!(counts[DefectType::GenerationUsageMismatch], 0);
        let doubled: DefectCounts = [counts, counts].into_iter().sum();
        assert_eq!(doubled.total(), 6);
        assert_eq!(
            doubled.iter().map(|(_, n)| n).collect::<Vec<_>>(),
            [0, 4, 0, 2]
        );
    }

    #[test]
    fn ids_are_the_line_number_and_the_stage_in_ten_digits() {
        let line = LineId::from_index(1);
        assert_eq!(
            DefectId::of(line, DefectType::GenerationUsageMismatch).to_string(),
            "DEF-0000000021"
        );
        assert_eq!(
            DefectId::of(line, DefectType::ImeiMismatchSwap).number(),
            23
        );
        assert_eq!(
            DefectId::of(
                LineId::from_index(12_345_678_999),
                DefectType::ImeiMismatchSwap
            )
            .to_string(),
            "DEF-123456790003"
        );
        assert_eq!("DEF-0000000021".parse::<DefectId>().unwrap().number(), 21);
        // Hand-made manifests may have nine digits; the id prints with ten.
        let short: DefectId = "DEF-000000007".parse().unwrap();
        assert_eq!(short.to_string(), "DEF-0000000007");
        for bad in ["DEF-7", "DEF-000000000", "def-000000007", "DEF-00000000x"] {
            let err = bad.parse::<DefectId>().unwrap_err();
            assert_eq!(
                err.to_string(),
                format!("{bad:?} is not a valid defect id (expected DEF- and at least 9 digits)")
            );
        }
    }
}
