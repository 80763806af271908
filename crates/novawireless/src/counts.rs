//! The counts of a run: rows of the step-1 tables, ledger flags, realised
//! anomalies. Step runners, receipts and library users share them.

use novawireless_accounts::AccountChunk;
use novawireless_anomalies::AnomalyCounts;
use novawireless_model::LedgerRow;
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

/// Realised step-3 counts, as the receipt lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct AnomalySummary {
    /// Ledger rows.
    pub rows: u64,
    /// Rows eligible for a swap.
    pub swap_eligible: u64,
    /// Eligible rows chosen to start a swap.
    pub swaps_chosen: u64,
    /// Chosen rows that found no partner.
    pub swaps_without_partner: u64,
    /// Rows eligible for a blanked IMEI, with an agreement.
    pub missing_eligible_with_agreement: u64,
    /// Rows eligible for a blanked IMEI, without an agreement.
    pub missing_eligible_without_agreement: u64,
    /// Rows labelled `imei_mismatch_swap`.
    pub imei_mismatch_swap: u64,
    /// Rows labelled `missing_usage_imei_capture_failure`.
    pub missing_usage_imei_capture_failure: u64,
    /// Rows labelled `missing_usage_imei_ghost_line`.
    pub missing_usage_imei_ghost_line: u64,
    /// Rows in `imei_anomaly_examples.csv`.
    pub example_rows: u64,
    /// Rows in `anomaly_manifest.csv` (stage-1 and stage-3 defects).
    pub manifest_rows: u64,
}

impl AnomalySummary {
    /// The summary of step 3's counts and the rows of its two other tables.
    pub fn new(c: &AnomalyCounts, example_rows: u64, manifest_rows: u64) -> Self {
        AnomalySummary {
            rows: c.rows,
            swap_eligible: c.swap_eligible,
            swaps_chosen: c.swaps_chosen,
            swaps_without_partner: c.swaps_without_partner,
            missing_eligible_with_agreement: c.missing_eligible_with_agreement,
            missing_eligible_without_agreement: c.missing_eligible_without_agreement,
            imei_mismatch_swap: c.swapped_rows,
            missing_usage_imei_capture_failure: c.capture_failures,
            missing_usage_imei_ghost_line: c.ghost_lines,
            example_rows,
            manifest_rows,
        }
    }
}
