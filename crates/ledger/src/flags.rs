//! The ledger's 0/1 flags, as step 2 computes them.
//!
//! The two comparisons are separate functions because step 3 recomputes
//! them after changing usage IMEIs and must use exactly the same rule.

use novawireless_model::{EipAgreement, Imei, LedgerFlags, Line, ProductType, UsageSnapshot};

/// `imei_mismatch_flag`: an agreement exists, both IMEIs are present, and
/// they differ.
///
/// IMEIs are compared as typed values, never as text, so `400012275721353`
/// can never differ from `400012275721353.0` (defect 1 of the original).
pub fn imei_mismatch(agreement: Option<&EipAgreement>, usage_imei: Option<Imei>) -> bool {
    match (agreement, usage_imei) {
        (Some(agreement), Some(usage_imei)) => agreement.eip_imei != usage_imei,
        _ => false,
    }
}

/// `eip_mismatch_flag`: an agreement exists, usage records an agreement
/// number, and the two differ.
pub fn eip_mismatch(agreement: Option<&EipAgreement>, usage: Option<&UsageSnapshot>) -> bool {
    let recorded = usage.and_then(|u| u.usage_eip_agreement_number);
    match (agreement, recorded) {
        (Some(agreement), Some(recorded)) => agreement.agreement_number != recorded,
        _ => false,
    }
}

/// The five flags of a step-2 ledger row (README, *`master_account_ledger.csv`*).
///
/// A line without a usage row counts as missing its usage IMEI.
/// `upstream_friction_risk` is imei mismatch, or missing usage IMEI, or a 5G
/// line on company-owned equipment (step 3 replaces the last term with eip
/// mismatch).
pub fn step2_flags(
    line: &Line,
    agreement: Option<&EipAgreement>,
    usage: Option<&UsageSnapshot>,
) -> LedgerFlags {
    let usage_imei = usage.and_then(|u| u.usage_imei);
    let imei_mismatch = imei_mismatch(agreement, usage_imei);
    let missing_usage_imei = usage_imei.is_none();
    let company_owned_5g =
        line.product_type == ProductType::HomeInternet5g && line.company_owned_equipment_flag;
    LedgerFlags {
        eip_exists: agreement.is_some(),
        imei_mismatch,
        missing_usage_imei,
        eip_mismatch: eip_mismatch(agreement, usage),
        upstream_friction_risk: imei_mismatch || missing_usage_imei || company_owned_5g,
    }
}
