//! Anomaly rates relative to the lines that could receive each defect
//! (README, *Step 3*), counted from the labelled ledger in one pass.
//!
//! The ledger after injection still tells which lines were eligible
//! before it: a line whose usage IMEI was blanked had one, and a swap
//! keeps both IMEIs present.
//!
//! - Swaps: voice lines with an agreement, an `eip_imei` and a usage IMEI
//!   (present, or blanked by the missing phase).
//! - Missing: voice or 5G lines that had a usage IMEI and no swap label,
//!   split by whether they have an agreement (capture failure) or not
//!   (ghost line).
//! - The generation-time mismatch (step 1): lines with an agreement; the
//!   defect is the usage row's `imei_line_mismatch_flag`.

use crate::stats::{wilson, Z95};

/// The swap label.
pub const SWAP: &str = "imei_mismatch_swap";
/// The missing label of a line with an agreement.
pub const CAPTURE_FAILURE: &str = "missing_usage_imei_capture_failure";
/// The missing label of a line without one.
pub const GHOST_LINE: &str = "missing_usage_imei_ghost_line";
/// The manifest's label of the generation-time mismatch.
pub const GENERATION: &str = "generation_usage_mismatch";

/// The plain-language description of a defect label (the label itself
/// when unknown).
pub fn plain_label(label: &str) -> &str {
    match label {
        SWAP => "Usage IMEI swapped with another line of the same customer",
        CAPTURE_FAILURE => "Usage IMEI not captured on a line with an EIP agreement",
        GHOST_LINE => "Usage IMEI missing on a line without an agreement (ghost line)",
        GENERATION => "Usage recorded another line's IMEI at generation (step 1)",
        other => other,
    }
}

/// One defect's rate among its eligible lines.
#[derive(Debug, Clone, PartialEq)]
pub struct EligibleRate {
    /// The defect's label.
    pub label: &'static str,
    /// Who is eligible, in words.
    pub eligible_means: &'static str,
    /// Eligible lines.
    pub eligible: u64,
    /// Of them, lines with the defect.
    pub affected: u64,
}

impl EligibleRate {
    /// The rate; `None` without eligible lines.
    pub fn rate(&self) -> Option<f64> {
        (self.eligible > 0).then(|| self.affected as f64 / self.eligible as f64)
    }

    /// The Wilson score 95% interval of the rate.
    pub fn interval(&self) -> Option<(f64, f64)> {
        wilson(self.affected, self.eligible, Z95)
    }
}

/// The ledger's columns the counts need.
struct At {
    product: usize,
    agreement: usize,
    eip_imei: usize,
    usage_imei: usize,
    label: usize,
    generation: Option<usize>,
}

/// Counts eligible and affected lines of a labelled ledger.
pub(crate) struct EligibleCounts {
    at: At,
    /// swap, capture failure, ghost line, generation: (eligible, affected).
    counts: [(u64, u64); 4],
}

impl EligibleCounts {
    /// The counter for a ledger with this header; `None` without the
    /// columns (a ledger before step 3 has no `imei_anomaly_type`).
    pub(crate) fn new(header: &[String]) -> Option<Self> {
        let at = |name: &str| header.iter().position(|h| h == name);
        Some(EligibleCounts {
            at: At {
                product: at("product_type")?,
                agreement: at("agreement_number")?,
                eip_imei: at("eip_imei")?,
                usage_imei: at("usage_imei")?,
                label: at("imei_anomaly_type")?,
                generation: at("imei_line_mismatch_flag"),
            },
            counts: [(0, 0); 4],
        })
    }

    /// Adds one ledger row.
    pub(crate) fn add(&mut self, record: &csv::StringRecord) {
        let field = |i: usize| record.get(i).unwrap_or("");
        let a = &self.at;
        let product = field(a.product);
        let has_agreement = !field(a.agreement).is_empty();
        let label = field(a.label);
        let blanked = label == CAPTURE_FAILURE || label == GHOST_LINE;
        let had_usage = !field(a.usage_imei).is_empty() || blanked;
        let voice = product == "voice";
        if voice && has_agreement && !field(a.eip_imei).is_empty() && had_usage {
            self.counts[0].0 += 1;
            self.counts[0].1 += u64::from(label == SWAP);
        }
        if (voice || product == "5g_home_internet") && had_usage && label != SWAP {
            let k = if has_agreement { 1 } else { 2 };
            let target = if has_agreement {
                CAPTURE_FAILURE
            } else {
                GHOST_LINE
            };
            self.counts[k].0 += 1;
            self.counts[k].1 += u64::from(label == target);
        }
        if has_agreement {
            if let Some(g) = a.generation {
                self.counts[3].0 += 1;
                self.counts[3].1 += u64::from(field(g) == "1");
            }
        }
    }

    /// The four rates (the generation-time one only when the ledger has
    /// `imei_line_mismatch_flag`).
    pub(crate) fn finish(self) -> Vec<EligibleRate> {
        let means = [
            "voice lines with an agreement and both IMEIs present",
            "lines with an agreement that had a usage IMEI and no swap",
            "lines without an agreement that had a usage IMEI",
            "lines with an agreement",
        ];
        [SWAP, CAPTURE_FAILURE, GHOST_LINE, GENERATION]
            .into_iter()
            .zip(means)
            .zip(self.counts)
            .enumerate()
            .filter(|(k, _)| *k < 3 || self.at.generation.is_some())
            .map(
                |(_, ((label, eligible_means), (eligible, affected)))| EligibleRate {
                    label,
                    eligible_means,
                    eligible,
                    affected,
                },
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanked_and_swapped_lines_stay_eligible() {
        let header = [
            "product_type",
            "agreement_number",
            "eip_imei",
            "usage_imei",
            "imei_line_mismatch_flag",
            "imei_anomaly_type",
        ]
        .map(String::from);
        let mut c = EligibleCounts::new(&header).unwrap();
        for row in [
            ["voice", "E1", "111", "222", "0", SWAP],
            ["voice", "E2", "222", "111", "0", SWAP],
            ["voice", "E3", "333", "", "0", CAPTURE_FAILURE],
            ["voice", "E4", "444", "444", "1", ""],
            ["voice", "", "", "", "", GHOST_LINE],
            ["5g_home_internet", "", "", "555", "", ""],
            ["voice", "", "", "", "", ""],
        ] {
            c.add(&csv::StringRecord::from(row.to_vec()));
        }
        let rates = c.finish();
        let pairs: Vec<(u64, u64)> = rates.iter().map(|r| (r.eligible, r.affected)).collect();
        // Swaps: E1–E4 eligible (E3 had its IMEI before it was blanked).
        // Capture failure: E3, E4 (swapped lines are not). Ghost: the
        // blanked voice line and the 5G line. Generation: E1–E4, one flag.
        assert_eq!(pairs, [(4, 2), (2, 1), (2, 1), (4, 1)]);
        assert_eq!(rates[0].rate(), Some(0.5));
    }
}
