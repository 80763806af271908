//! A detector's verdict per line.

use novawireless_model::LineId;
use std::collections::HashMap;

/// Which lines a detector flagged, and which it judged clean. A line with
/// no entry is "absent": [`crate::score`] counts it as not flagged.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Predictions {
    by_line: HashMap<LineId, bool>,
}

impl Predictions {
    /// No predictions.
    pub fn new() -> Self {
        Predictions::default()
    }

    /// Records the verdict for `line` (`true`: flagged as defective) and
    /// returns the previous one, if any.
    pub fn insert(&mut self, line: LineId, flagged: bool) -> Option<bool> {
        self.by_line.insert(line, flagged)
    }

    /// The verdict for `line`, `None` when the detector said nothing.
    pub fn get(&self, line: LineId) -> Option<bool> {
        self.by_line.get(&line).copied()
    }

    /// Lines with a verdict.
    pub fn len(&self) -> usize {
        self.by_line.len()
    }

    /// Whether no line has a verdict.
    pub fn is_empty(&self) -> bool {
        self.by_line.is_empty()
    }

    /// Every line with a verdict, in no particular order.
    pub fn lines(&self) -> impl Iterator<Item = LineId> + '_ {
        self.by_line.keys().copied()
    }
}

/// Later verdicts for the same line replace earlier ones.
impl FromIterator<(LineId, bool)> for Predictions {
    fn from_iter<I: IntoIterator<Item = (LineId, bool)>>(iter: I) -> Self {
        Predictions {
            by_line: iter.into_iter().collect(),
        }
    }
}
