//! Column lists and CSV row formatters of every table.
//!
//! The row structs of `novawireless-model` know nothing about CSV; this
//! module is the one place where their columns are spelled and ordered.

use crate::format::{flag, int, money, put, put_optional, score, text};
use novawireless_model::{
    Customer, Defect, DefectType, Device, EipAgreement, LedgerRow, Line, UsageSnapshot,
};

/// `customers.csv` and `customers_v1.csv`.
pub const CUSTOMER_COLUMNS: &[&str] = &[
    "customer_id",
    "account_id",
    "tenure_months",
    "monthly_charges",
    "paperless_billing",
    "payment_method",
    "contract_proxy",
    "internet_service",
    "has_5g_home_internet",
    "lines_on_account",
    "device_payment_plan",
    "device_term_months",
    "device_months_remaining",
    "device_monthly_payment",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "StreamingTV",
    "StreamingMovies",
    "churn_risk_score",
    "trust_baseline",
    "patience",
    "is_churned",
    "repeat_contacts_30d",
    "last_call_day_index",
];

/// `lines.csv`.
pub const LINE_COLUMNS: &[&str] = &[
    "line_id",
    "customer_id",
    "account_id",
    "msisdn",
    "product_type",
    "status",
    "company_owned_equipment_flag",
    "current_imei",
];

/// `devices.csv`.
pub const DEVICE_COLUMNS: &[&str] = &[
    "device_id",
    "imei",
    "device_category",
    "tac",
    "make",
    "model",
];

/// `eip_agreements.csv`.
pub const AGREEMENT_COLUMNS: &[&str] = &[
    "agreement_number",
    "customer_id",
    "account_id",
    "line_id",
    "msisdn",
    "eip_imei",
    "product_type",
    "eip_status",
    "installment_months",
];

/// `line_device_usage.csv`.
pub const USAGE_COLUMNS: &[&str] = &[
    "customer_id",
    "account_id",
    "line_id",
    "msisdn",
    "product_type",
    "usage_imei",
    "usage_snapshot_date",
    "imei_line_mismatch_flag",
    "usage_eip_agreement_number",
];

/// Every column a ledger may have: the step-2 columns (required), then
/// `billing_agreement_type` and `imei_anomaly_type` (optional).
pub const LEDGER_COLUMNS: &[&str] = &[
    "customer_id",
    "account_id",
    "line_id",
    "msisdn",
    "product_type",
    "status",
    "agreement_number",
    "eip_imei",
    "usage_imei",
    "eip_exists_flag",
    "imei_mismatch_flag",
    "missing_usage_imei_flag",
    "eip_mismatch_flag",
    "upstream_friction_risk_flag",
    "company_owned_equipment_flag",
    "current_imei",
    "tenure_months",
    "monthly_charges",
    "paperless_billing",
    "payment_method",
    "contract_proxy",
    "internet_service",
    "has_5g_home_internet",
    "lines_on_account",
    "device_payment_plan",
    "device_term_months",
    "device_months_remaining",
    "device_monthly_payment",
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "StreamingTV",
    "StreamingMovies",
    "churn_risk_score",
    "trust_baseline",
    "patience",
    "is_churned",
    "repeat_contacts_30d",
    "last_call_day_index",
    "product_type_eip",
    "eip_status",
    "installment_months",
    "product_type_usage",
    "usage_snapshot_date",
    "imei_line_mismatch_flag",
    "usage_eip_agreement_number",
    "billing_agreement_type",
    "imei_anomaly_type",
];

/// Index of `billing_agreement_type` in [`LEDGER_COLUMNS`].
pub const LEDGER_BILLING: usize = 46;
/// Index of `imei_anomaly_type` in [`LEDGER_COLUMNS`].
pub const LEDGER_ANOMALY: usize = 47;
/// Number of required ledger columns.
pub const LEDGER_REQUIRED: usize = 46;

/// `imei_anomaly_examples.csv`.
pub const EXAMPLE_COLUMNS: &[&str] = &[
    "customer_id",
    "line_id",
    "product_type",
    "agreement_number",
    "eip_imei",
    "usage_imei",
    "imei_mismatch_flag",
    "missing_usage_imei_flag",
    "eip_mismatch_flag",
    "upstream_friction_risk_flag",
    "imei_anomaly_type",
];

/// Which optional columns a ledger carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LedgerSchema {
    /// Step 3's trailing `imei_anomaly_type` column.
    pub anomaly_type: bool,
    /// Step 4's `billing_agreement_type` in place of `contract_proxy`.
    pub billing_agreement_type: bool,
}

impl LedgerSchema {
    /// The ledger's columns, in order.
    pub fn columns(self) -> Vec<&'static str> {
        let mut columns: Vec<&'static str> = LEDGER_COLUMNS[..LEDGER_REQUIRED]
            .iter()
            .map(|&c| {
                if c == "contract_proxy" && self.billing_agreement_type {
                    LEDGER_COLUMNS[LEDGER_BILLING]
                } else {
                    c
                }
            })
            .collect();
        if self.anomaly_type {
            columns.push(LEDGER_COLUMNS[LEDGER_ANOMALY]);
        }
        columns
    }
}

/// Appends the header line of `columns`.
pub fn header(out: &mut Vec<u8>, columns: &[&str]) {
    for (i, c) in columns.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        text(out, c);
    }
    out.push(b'\n');
}

macro_rules! fields {
    ($out:ident; $first:expr $(, $rest:expr)* $(,)?) => {{
        $first;
        $( $out.push(b','); $rest; )*
        $out.push(b'\n');
    }};
}

/// The customer columns after the two ids, with `contract` in contract_proxy's place.
fn customer_tail(out: &mut Vec<u8>, c: &Customer, contract: &dyn Fn(&mut Vec<u8>)) {
    int(out, c.tenure_months);
    out.push(b',');
    money(out, c.monthly_charges);
    out.push(b',');
    put(out, c.paperless_billing);
    out.push(b',');
    put(out, c.payment_method);
    out.push(b',');
    contract(out);
    out.push(b',');
    out.extend_from_slice(c.internet_service().as_bytes());
    out.push(b',');
    flag(out, c.has_5g_home_internet);
    out.push(b',');
    int(out, c.lines_on_account);
    out.push(b',');
    put(out, c.device_payment_plan);
    out.push(b',');
    int(out, c.device_term_months);
    out.push(b',');
    int(out, c.device_months_remaining);
    out.push(b',');
    money(out, c.device_monthly_payment);
    for addon in [
        c.online_security,
        c.online_backup,
        c.device_protection,
        c.streaming_tv,
        c.streaming_movies,
    ] {
        out.push(b',');
        put(out, addon);
    }
    out.push(b',');
    score(out, c.churn_risk_score);
    out.push(b',');
    score(out, c.trust_baseline);
    out.push(b',');
    score(out, c.patience);
    out.push(b',');
    flag(out, c.is_churned);
    out.push(b',');
    int(out, c.repeat_contacts_30d);
    out.push(b',');
    int(out, c.last_call_day_index);
}

/// Appends one `customers.csv` row.
pub fn customer_row(out: &mut Vec<u8>, c: &Customer) {
    fields!(out;
        put(out, c.customer_id),
        put(out, c.account_id),
        customer_tail(out, c, &|o| put(o, c.contract_proxy)),
    );
}

/// Appends one `lines.csv` row.
pub fn line_row(out: &mut Vec<u8>, l: &Line) {
    fields!(out;
        put(out, l.line_id),
        put(out, l.customer_id),
        put(out, l.account_id),
        put(out, l.msisdn),
        put(out, l.product_type),
        put(out, l.status),
        flag(out, l.company_owned_equipment_flag),
        put(out, l.current_imei),
    );
}

/// Appends one `devices.csv` row; `tac, make, model` come from the IMEI's
/// Type Allocation Code (empty make and model outside the catalogue).
pub fn device_row(out: &mut Vec<u8>, d: &Device) {
    put(out, d.device_id);
    out.push(b',');
    put(out, d.imei);
    out.push(b',');
    put(out, d.device_category);
    out.push(b',');
    crate::format::padded(out, b"", u64::from(d.imei.tac()), 8);
    out.push(b',');
    if let Some(m) = d.imei.device_model() {
        text(out, m.make);
        out.push(b',');
        text(out, m.model);
    } else {
        out.push(b',');
    }
    out.push(b'\n');
}

/// Appends one `eip_agreements.csv` row.
pub fn agreement_row(out: &mut Vec<u8>, a: &EipAgreement) {
    fields!(out;
        put(out, a.agreement_number),
        put(out, a.customer_id),
        put(out, a.account_id),
        put(out, a.line_id),
        put(out, a.msisdn),
        put(out, a.eip_imei),
        put(out, a.product_type),
        put(out, a.eip_status),
        int(out, a.installment_months),
    );
}

/// Appends one `line_device_usage.csv` row.
pub fn usage_row(out: &mut Vec<u8>, u: &UsageSnapshot) {
    fields!(out;
        put(out, u.customer_id),
        put(out, u.account_id),
        put(out, u.line_id),
        put(out, u.msisdn),
        put(out, u.product_type),
        put_optional(out, u.usage_imei),
        put(out, u.usage_snapshot_date),
        flag(out, u.imei_line_mismatch_flag),
        put_optional(out, u.usage_eip_agreement_number),
    );
}

fn label(out: &mut Vec<u8>, l: Option<DefectType>) {
    if let Some(l) = l {
        put(out, l);
    }
}

/// Appends one ledger row with the columns of `schema`.
pub fn ledger_row(out: &mut Vec<u8>, r: &LedgerRow, schema: LedgerSchema) {
    let a = r.agreement.as_ref();
    let u = r.usage.as_ref();
    let f = r.flags;
    put(out, r.line.customer_id);
    out.push(b',');
    put(out, r.line.account_id);
    out.push(b',');
    put(out, r.line.line_id);
    out.push(b',');
    put(out, r.line.msisdn);
    out.push(b',');
    put(out, r.line.product_type);
    out.push(b',');
    put(out, r.line.status);
    out.push(b',');
    put_optional(out, a.map(|a| a.agreement_number));
    out.push(b',');
    put_optional(out, a.map(|a| a.eip_imei));
    out.push(b',');
    put_optional(out, r.usage_imei());
    for value in [
        f.eip_exists,
        f.imei_mismatch,
        f.missing_usage_imei,
        f.eip_mismatch,
        f.upstream_friction_risk,
    ] {
        out.push(b',');
        flag(out, value);
    }
    out.push(b',');
    flag(out, r.line.company_owned_equipment_flag);
    out.push(b',');
    put(out, r.line.current_imei);
    out.push(b',');
    let contract = |o: &mut Vec<u8>| {
        if schema.billing_agreement_type {
            put_optional(o, r.billing_agreement_type);
        } else {
            put(o, r.customer.contract_proxy);
        }
    };
    customer_tail(out, &r.customer, &contract);
    out.push(b',');
    put_optional(out, a.map(|a| a.product_type));
    out.push(b',');
    put_optional(out, a.map(|a| a.eip_status));
    out.push(b',');
    put_optional(out, a.map(|a| a.installment_months));
    out.push(b',');
    put_optional(out, u.map(|u| u.product_type));
    out.push(b',');
    put_optional(out, u.map(|u| u.usage_snapshot_date));
    out.push(b',');
    if let Some(u) = u {
        flag(out, u.imei_line_mismatch_flag);
    }
    out.push(b',');
    put_optional(out, u.and_then(|u| u.usage_eip_agreement_number));
    if schema.anomaly_type {
        out.push(b',');
        label(out, r.imei_anomaly_type);
    }
    out.push(b'\n');
}

/// Appends one `imei_anomaly_examples.csv` row.
pub fn example_row(out: &mut Vec<u8>, r: &LedgerRow) {
    let a = r.agreement.as_ref();
    let f = r.flags;
    fields!(out;
        put(out, r.line.customer_id),
        put(out, r.line.line_id),
        put(out, r.line.product_type),
        put_optional(out, a.map(|a| a.agreement_number)),
        put_optional(out, a.map(|a| a.eip_imei)),
        put_optional(out, r.usage_imei()),
        flag(out, f.imei_mismatch),
        flag(out, f.missing_usage_imei),
        flag(out, f.eip_mismatch),
        flag(out, f.upstream_friction_risk),
        label(out, r.imei_anomaly_type),
    );
}

/// `anomaly_manifest.csv`.
pub const MANIFEST_COLUMNS: &[&str] = &[
    "defect_id",
    "defect_type",
    "stage",
    "customer_id",
    "line_id",
    "partner_line_id",
    "column",
    "clean_value",
    "injected_value",
];

/// Appends one `anomaly_manifest.csv` row.
pub fn manifest_row(out: &mut Vec<u8>, d: &Defect) {
    put(out, d.id());
    out.push(b',');
    put(out, d.defect_type);
    out.push(b',');
    int(out, d.defect_type.stage());
    out.push(b',');
    put(out, d.customer_id);
    out.push(b',');
    put(out, d.line_id);
    out.push(b',');
    put_optional(out, d.partner_line_id);
    out.extend_from_slice(b",usage_imei,");
    put_optional(out, d.clean_value);
    out.push(b',');
    put_optional(out, d.injected_value);
    out.push(b'\n');
}

#[cfg(test)]
mod tests {
    use super::*;
    use novawireless_model::{DeviceCategory, DeviceId, Imei, DEVICE_MODELS, SERIALS_PER_TAC};

    /// The ledger's column list spells out the joined tables' columns; it
    /// must stay the exact concatenation the join defines (README, *`master_account_ledger.csv`*).
    #[test]
    fn ledger_columns_are_the_joined_tables_columns() {
        let mut joined: Vec<&str> = LEDGER_COLUMNS[..14].to_vec();
        joined.extend(&LINE_COLUMNS[6..]);
        joined.extend(&CUSTOMER_COLUMNS[2..]);
        joined.extend(["product_type_eip", "eip_status", "installment_months"]);
        joined.extend(["product_type_usage"]);
        joined.extend(&USAGE_COLUMNS[6..]);
        assert_eq!(&LEDGER_COLUMNS[..LEDGER_REQUIRED], &joined[..]);
        assert_eq!(
            &LEDGER_COLUMNS[..9],
            &[
                "customer_id",
                "account_id",
                "line_id",
                "msisdn",
                "product_type",
                "status",
                "agreement_number",
                "eip_imei",
                "usage_imei"
            ]
        );
        assert_eq!(AGREEMENT_COLUMNS[8], LEDGER_COLUMNS[41]);
        assert_eq!(LEDGER_COLUMNS[LEDGER_BILLING], "billing_agreement_type");
        assert_eq!(LEDGER_COLUMNS[LEDGER_ANOMALY], "imei_anomaly_type");
    }

    #[test]
    fn device_rows_keep_their_first_columns_and_add_the_tac_model() {
        let m = &DEVICE_MODELS[0];
        let imei = Imei::from_body(u64::from(m.tac_base + 3) * SERIALS_PER_TAC + 42).unwrap();
        let d = Device {
            device_id: DeviceId::from_index(6),
            imei,
            device_category: DeviceCategory::Handset,
        };
        let mut out = Vec::new();
        device_row(&mut out, &d);
        let expected = format!(
            "DEV-000000007,{imei},handset,{},{},{}\n",
            m.tac_base + 3,
            m.make,
            m.model
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
        assert!(expected.starts_with(&format!("{},{},{}", d.device_id, d.imei, d.device_category)));
    }
}
