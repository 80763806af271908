//! The counts of a run: rows of the step-1 tables, ledger flags, realised
//! anomalies. Step runners, receipts and library users share them.

use novawireless_accounts::AccountChunk;
use novawireless_anomalies::AnomalyCounts;
use novawireless_model::{DefectType, LedgerRow};
use serde::Serialize;

/// Row counts of step 1.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Step1Counts {
    /// Customers.
    pub customers: u64,
    /// Lines.
    pub lines: u64,
    /// Devices in the inventory.
    pub devices: u64,
    /// EIP agreements.
    pub eip_agreements: u64,
    /// Usage rows.
    pub usage_rows: u64,
    /// Usage rows given another line's IMEI at generation time.
    pub generation_usage_mismatches: u64,
}

impl Step1Counts {
    /// The row counts of one chunk.
    pub fn of(chunk: &AccountChunk) -> Self {
        Step1Counts {
            customers: chunk.customers.len() as u64,
            lines: chunk.lines.len() as u64,
            devices: chunk.devices.len() as u64,
            eip_agreements: chunk.agreements.len() as u64,
            usage_rows: chunk.usage.len() as u64,
            generation_usage_mismatches: chunk
                .usage
                .iter()
                .filter(|u| u.imei_line_mismatch_flag)
                .count() as u64,
        }
    }
}

impl std::ops::AddAssign for Step1Counts {
    fn add_assign(&mut self, o: Step1Counts) {
        self.customers += o.customers;
        self.lines += o.lines;
        self.devices += o.devices;
        self.eip_agreements += o.eip_agreements;
        self.usage_rows += o.usage_rows;
        self.generation_usage_mismatches += o.generation_usage_mismatches;
    }
}

/// Rows of a ledger and how many carry each flag.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FlagCounts {
    /// Ledger rows (one per line).
    pub rows: u64,
    /// Rows with `eip_exists_flag` 1.
    pub eip_exists_flag: u64,
    /// Rows with `imei_mismatch_flag` 1.
    pub imei_mismatch_flag: u64,
    /// Rows with `missing_usage_imei_flag` 1.
    pub missing_usage_imei_flag: u64,
    /// Rows with `eip_mismatch_flag` 1.
    pub eip_mismatch_flag: u64,
    /// Rows with `upstream_friction_risk_flag` 1.
    pub upstream_friction_risk_flag: u64,
}

impl FlagCounts {
    /// Adds the rows of a chunk.
    pub fn add(&mut self, rows: &[LedgerRow]) {
        for r in rows {
            let f = r.flags;
            self.rows += 1;
            self.eip_exists_flag += u64::from(f.eip_exists);
            self.imei_mismatch_flag += u64::from(f.imei_mismatch);
            self.missing_usage_imei_flag += u64::from(f.missing_usage_imei);
            self.eip_mismatch_flag += u64::from(f.eip_mismatch);
            self.upstream_friction_risk_flag += u64::from(f.upstream_friction_risk);
        }
    }

    /// The counts of `rows`.
    pub fn of(rows: &[LedgerRow]) -> Self {
        let mut counts = FlagCounts::default();
        counts.add(rows);
        counts
    }
}

impl std::ops::AddAssign for FlagCounts {
    fn add_assign(&mut self, o: FlagCounts) {
        self.rows += o.rows;
        self.eip_exists_flag += o.eip_exists_flag;
        self.imei_mismatch_flag += o.imei_mismatch_flag;
        self.missing_usage_imei_flag += o.missing_usage_imei_flag;
        self.eip_mismatch_flag += o.eip_mismatch_flag;
        self.upstream_friction_risk_flag += o.upstream_friction_risk_flag;
    }
}

/// Realised counts, as the receipt lists them: step 3's counts, then the
/// rows of the examples and of the manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnomalySummary {
    /// Step 3's eligible and realised counts, summed over the ledger.
    pub counts: AnomalyCounts,
    /// Rows in `imei_anomaly_examples.csv`.
    pub example_rows: u64,
    /// Rows in `anomaly_manifest.csv` (stage-1 and stage-3 defects).
    pub manifest_rows: u64,
}

impl AnomalySummary {
    /// The summary of step 3's counts and the rows of its two other tables.
    pub fn new(counts: &AnomalyCounts, example_rows: u64, manifest_rows: u64) -> Self {
        AnomalySummary {
            counts: *counts,
            example_rows,
            manifest_rows,
        }
    }
}

/// The receipt's `realised` object: the eligible counts, the rows labelled
/// with each stage-3 type under the type's spelling, then the rows of the
/// examples and of the manifest.
impl Serialize for AnomalySummary {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let c = &self.counts;
        let labels = || DefectType::ALL.into_iter().filter(|t| t.is_label());
        let mut s = serializer.serialize_struct("AnomalySummary", 8 + labels().count())?;
        s.serialize_field("rows", &c.rows)?;
        s.serialize_field("swap_eligible", &c.swap_eligible)?;
        s.serialize_field("swaps_chosen", &c.swaps_chosen)?;
        s.serialize_field("swaps_without_partner", &c.swaps_without_partner)?;
        s.serialize_field(
            "missing_eligible_with_agreement",
            &c.missing_eligible_with_agreement,
        )?;
        s.serialize_field(
            "missing_eligible_without_agreement",
            &c.missing_eligible_without_agreement,
        )?;
        for t in labels() {
            s.serialize_field(t.as_str(), &c.labelled[t])?;
        }
        s.serialize_field("example_rows", &self.example_rows)?;
        s.serialize_field("manifest_rows", &self.manifest_rows)?;
        s.end()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_lists_the_receipt_keys_in_order() {
        let mut counts = AnomalyCounts {
            rows: 1,
            swap_eligible: 2,
            swaps_chosen: 3,
            swaps_without_partner: 4,
            missing_eligible_with_agreement: 5,
            missing_eligible_without_agreement: 6,
            ..AnomalyCounts::default()
        };
        counts.labelled[DefectType::ImeiMismatchSwap] = 7;
        counts.labelled[DefectType::MissingUsageImeiCaptureFailure] = 8;
        counts.labelled[DefectType::MissingUsageImeiGhostLine] = 9;
        let summary = AnomalySummary::new(&counts, 10, 11);
        assert_eq!(
            serde_json::to_string(&summary).unwrap(),
            "{\"rows\":1,\"swap_eligible\":2,\"swaps_chosen\":3,\"swaps_without_partner\":4,\
             \"missing_eligible_with_agreement\":5,\"missing_eligible_without_agreement\":6,\
             \"imei_mismatch_swap\":7,\"missing_usage_imei_capture_failure\":8,\
             \"missing_usage_imei_ghost_line\":9,\"example_rows\":10,\"manifest_rows\":11}"
        );
    }
}
