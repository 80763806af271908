//! Line-level scoring: the confusion counts, precision, recall and F1, and
//! the same per defect type.

use crate::{DefectType, ManifestRow, Predictions};
use novawireless_model::LineId;
use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use std::collections::HashMap;
use std::fmt;

/// A detector's scores against the manifest, line by line.
///
/// A line is *positive* when it carries at least one manifest defect and
/// *flagged* when the detector flagged it; a line without a prediction
/// counts as not flagged. Every ratio whose denominator is 0 is reported as
/// 0 (precision of a detector that flags nothing, recall when no line
/// carries a defect).
///
/// Serialized (for `--json`) with its fields in declaration order and
/// `by_defect_type` as an object keyed by the [`DefectType`] spellings, in
/// [`DefectType::ALL`] order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Lines scored: the universe, plus any line of the manifest or of the
    /// predictions outside it.
    pub lines: u64,
    /// Lines with a prediction.
    pub predicted: u64,
    /// Lines without a prediction, counted as not flagged.
    pub absent: u64,
    /// Lines carrying at least one defect (TP + FN).
    pub positive: u64,
    /// Lines flagged by the detector (TP + FP).
    pub flagged: u64,
    /// Flagged lines carrying a defect.
    pub true_positive: u64,
    /// Flagged lines carrying no defect.
    pub false_positive: u64,
    /// Lines carrying a defect that were not flagged.
    pub false_negative: u64,
    /// Lines carrying no defect that were not flagged.
    pub true_negative: u64,
    /// TP / (TP + FP); 0 when nothing is flagged.
    pub precision: f64,
    /// TP / (TP + FN); 0 when no line carries a defect.
    pub recall: f64,
    /// 2TP / (2TP + FP + FN), the harmonic mean of precision and recall;
    /// 0 when TP is 0.
    pub f1: f64,
    /// One entry per [`DefectType`], in [`DefectType::ALL`] order (see
    /// [`Score::of`]).
    #[serde(rename = "by_defect_type", serialize_with = "by_type_map")]
    pub by_type: [TypeScore; 4],
}

/// The scores of one defect type.
///
/// Its precision is **TP_type / (TP_type + FP)** where FP is the overall
/// count of flagged lines that carry no defect at all: lines carrying only
/// *other* defect types count neither for nor against the type, so the
/// figure answers "if every false alarm were spent on this type, how clean
/// would its hits be". The per-type TPs can add up to more than the overall
/// TP, because a line with two types counts for both.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TypeScore {
    /// The type.
    #[serde(skip)]
    pub defect_type: DefectType,
    /// Lines carrying at least one defect of this type.
    pub support: u64,
    /// Of those, the lines flagged.
    pub true_positive: u64,
    /// Of those, the lines not flagged.
    pub false_negative: u64,
    /// TP_type / support; 0 when the support is 0.
    pub recall: f64,
    /// TP_type / (TP_type + FP), FP the flagged lines carrying no defect;
    /// 0 when both are 0.
    pub precision: f64,
}

impl Score {
    /// The scores of `defect_type`.
    pub fn of(&self, defect_type: DefectType) -> &TypeScore {
        &self.by_type[defect_type.index()]
    }
}

fn by_type_map<S: Serializer>(by_type: &[TypeScore; 4], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(by_type.len()))?;
    for t in by_type {
        map.serialize_entry(t.defect_type.as_str(), t)?;
    }
    map.end()
}

/// `num / den`, with 0/0 defined as 0.
fn ratio(num: u64, den: u64) -> f64 {
    if den == 0 {
        0.0
    } else {
        num as f64 / den as f64
    }
}

/// Scores `predictions` against `manifest` over the lines of `universe`.
///
/// The universe (the ledger's lines) is what makes negatives known: a line
/// of it with no manifest row is clean, and a line with no prediction is
/// counted as not flagged. Lines that appear only in the manifest or only
/// in the predictions are scored too (the file readers refuse such files,
/// so this only matters to callers that build the inputs themselves).
/// Repeated lines in `universe` and several manifest rows on one line are
/// counted once.
pub fn score(
    universe: impl IntoIterator<Item = LineId>,
    manifest: &[ManifestRow],
    predictions: &Predictions,
) -> Score {
    // Bit t set: the line carries a defect of DefectType::ALL[t].
    let mut defects: HashMap<LineId, u8> = HashMap::new();
    for row in manifest {
        *defects.entry(row.line_id).or_default() |= 1 << row.defect_type.index();
    }
    let mut lines: Vec<LineId> = universe.into_iter().collect();
    lines.extend(defects.keys().copied());
    lines.extend(predictions.lines());
    lines.sort_unstable();
    lines.dedup();

    let (mut predicted, mut tp, mut fp, mut fn_, mut tn) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut support = [0u64; 4];
    let mut type_tp = [0u64; 4];
    for &line in &lines {
        let types = defects.get(&line).copied().unwrap_or(0);
        let verdict = predictions.get(line);
        predicted += u64::from(verdict.is_some());
        let flagged = verdict == Some(true);
        match (types != 0, flagged) {
            (true, true) => tp += 1,
            (false, true) => fp += 1,
            (true, false) => fn_ += 1,
            (false, false) => tn += 1,
        }
        for t in 0..4 {
            if types & (1 << t) != 0 {
                support[t] += 1;
                type_tp[t] += u64::from(flagged);
            }
        }
    }
    let by_type = DefectType::ALL.map(|defect_type| {
        let t = defect_type.index();
        TypeScore {
            defect_type,
            support: support[t],
            true_positive: type_tp[t],
            false_negative: support[t] - type_tp[t],
            recall: ratio(type_tp[t], support[t]),
            precision: ratio(type_tp[t], type_tp[t] + fp),
        }
    });
    let lines = lines.len() as u64;
    Score {
        lines,
        predicted,
        absent: lines - predicted,
        positive: tp + fn_,
        flagged: tp + fp,
        true_positive: tp,
        false_positive: fp,
        false_negative: fn_,
        true_negative: tn,
        precision: ratio(tp, tp + fp),
        recall: ratio(tp, tp + fn_),
        f1: ratio(2 * tp, 2 * tp + fp + fn_),
        by_type,
    }
}

/// The report `score_detector` prints: a header with the definitions, the
/// confusion counts, the overall ratios with their fractions, and the
/// per-type table.
impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.lines.to_string().len().max(2);
        let (tp, fp, fn_, tn) = (
            self.true_positive,
            self.false_positive,
            self.false_negative,
            self.true_negative,
        );
        writeln!(
            f,
            "Detector scores by line: {} lines, {} with a prediction, {} absent (counted as not flagged)",
            self.lines, self.predicted, self.absent
        )?;
        writeln!(
            f,
            "A line is positive when it carries at least one manifest defect; a ratio 0/0 is reported as 0."
        )?;
        writeln!(f)?;
        // Each cell: a two-letter label and the count, right-aligned under its heading.
        let c = (w + 3).max(11);
        let n = c - 3;
        writeln!(f, "{:18}{:>c$}  {:>c$}", "", "flagged", "not flagged")?;
        writeln!(f, "  with a defect   TP {tp:>n$}  FN {fn_:>n$}")?;
        writeln!(f, "  without defect  FP {fp:>n$}  TN {tn:>n$}")?;
        writeln!(f)?;
        writeln!(
            f,
            "  precision  {:.6}  TP / (TP + FP)        = {tp}/{}",
            self.precision,
            tp + fp
        )?;
        writeln!(
            f,
            "  recall     {:.6}  TP / (TP + FN)        = {tp}/{}",
            self.recall,
            tp + fn_
        )?;
        writeln!(
            f,
            "  F1         {:.6}  2TP / (2TP + FP + FN) = {}/{}",
            self.f1,
            2 * tp,
            2 * tp + fp + fn_
        )?;
        writeln!(f)?;
        writeln!(
            f,
            "By defect type: support = lines carrying the type (a line with two types counts for both),"
        )?;
        writeln!(
            f,
            "TP = those flagged, FN = those not flagged, recall = TP / support,"
        )?;
        writeln!(
            f,
            "precision = TP / (TP + FP) with FP = {fp}, the flagged lines carrying no defect at all."
        )?;
        writeln!(
            f,
            "  {:<34}  {:>w$}  {:>w$}  {:>w$}    recall  precision",
            "defect_type",
            "support",
            "TP",
            "FN",
            w = w.max(7)
        )?;
        for t in &self.by_type {
            writeln!(
                f,
                "  {:<34}  {:>w$}  {:>w$}  {:>w$}  {:.6}   {:.6}",
                t.defect_type.as_str(),
                t.support,
                t.true_positive,
                t.false_negative,
                t.recall,
                t.precision,
                w = w.max(7)
            )?;
        }
        Ok(())
    }
}
