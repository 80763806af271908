//! Every table, declared once (see [`crate::schema`]): its columns in file
//! order, what each holds, and how a row yields it. The CSV header and
//! writer, the Arrow schema and batch builder, and the column handles of
//! the readers all come from these declarations.
//!
//! The row structs of `novawireless-model` know nothing about files; this
//! module is the one place where their columns are spelled and ordered.
//!
//! ```
//! use novawireless_io::schema::TableDef;
//! use novawireless_io::tables::{lines, Lines};
//!
//! assert_eq!(lines::msisdn.name(), "msisdn");
//! assert_eq!(Lines::names(())[..3], ["line_id", "customer_id", "account_id"]);
//! ```

use crate::table;
use novawireless_model::{Customer, Defect, Device, EipAgreement, LedgerRow, Line, UsageSnapshot};

table! {
    /// `customers.csv` and `customers_v1.csv`.
    pub Customers, mod customers (c: Customer) {
        [sort_key] customer_id: Text = c.customer_id,
        [sort_key] account_id: Text = c.account_id,
        tenure_months: Int = c.tenure_months,
        monthly_charges: Money = c.monthly_charges,
        paperless_billing: Category = c.paperless_billing,
        payment_method: Category = c.payment_method,
        contract_proxy: Category = c.contract_proxy,
        internet_service: Category = c.internet_service(),
        has_5g_home_internet: Flag = c.has_5g_home_internet,
        lines_on_account: Int = c.lines_on_account,
        device_payment_plan: Category = c.device_payment_plan,
        device_term_months: Int = c.device_term_months,
        device_months_remaining: Int = c.device_months_remaining,
        device_monthly_payment: Money = c.device_monthly_payment,
        OnlineSecurity: Category = c.online_security,
        OnlineBackup: Category = c.online_backup,
        DeviceProtection: Category = c.device_protection,
        StreamingTV: Category = c.streaming_tv,
        StreamingMovies: Category = c.streaming_movies,
        churn_risk_score: Score = c.churn_risk_score,
        trust_baseline: Score = c.trust_baseline,
        patience: Score = c.patience,
        is_churned: Flag = c.is_churned,
        repeat_contacts_30d: Int = c.repeat_contacts_30d,
        last_call_day_index: Int = c.last_call_day_index,
    }
}

table! {
    /// `lines.csv`.
    pub Lines, mod lines (l: Line) {
        [sort_key] line_id: Text = l.line_id,
        [sort_key] customer_id: Text = l.customer_id,
        [sort_key] account_id: Text = l.account_id,
        [unique] msisdn: Text = l.msisdn,
        product_type: Category = l.product_type,
        status: Category = l.status,
        company_owned_equipment_flag: Flag = l.company_owned_equipment_flag,
        [unique] current_imei: Text = l.current_imei,
    }
}

table! {
    /// `devices.csv`: `tac`, `make` and `model` come from the IMEI's Type
    /// Allocation Code (make and model empty outside the catalogue).
    pub Devices, mod devices (d: Device) with {
        let catalogue = d.imei.device_model();
    } {
        [unique] device_id: Text = d.device_id,
        [unique] imei: Text = d.imei,
        device_category: Category = d.device_category,
        tac: Tac = d.imei.tac(),
        make: OptCategory = catalogue.map(|m| m.make),
        model: OptCategory = catalogue.map(|m| m.model),
    }
}

table! {
    /// `eip_agreements.csv`.
    pub Agreements, mod agreements (a: EipAgreement) {
        [unique] agreement_number: Text = a.agreement_number,
        [sort_key] customer_id: Text = a.customer_id,
        [sort_key] account_id: Text = a.account_id,
        [sort_key] line_id: Text = a.line_id,
        [unique] msisdn: Text = a.msisdn,
        [unique] eip_imei: Text = a.eip_imei,
        product_type: Category = a.product_type,
        eip_status: Category = a.eip_status,
        installment_months: Int = a.installment_months,
    }
}

table! {
    /// `line_device_usage.csv`.
    pub Usage, mod usage (u: UsageSnapshot) {
        [sort_key] customer_id: Text = u.customer_id,
        [sort_key] account_id: Text = u.account_id,
        [sort_key] line_id: Text = u.line_id,
        [unique] msisdn: Text = u.msisdn,
        product_type: Category = u.product_type,
        [unique] usage_imei: OptText = u.usage_imei,
        usage_snapshot_date: Date = u.usage_snapshot_date,
        imei_line_mismatch_flag: Flag = u.imei_line_mismatch_flag,
        [unique] usage_eip_agreement_number: OptText = u.usage_eip_agreement_number,
    }
}

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
        use crate::schema::TableDef;
        Ledger::names(self)
    }
}

table! {
    /// `master_account_ledger.csv` and its variants: one row per line, the
    /// line's columns with the join's keys and flags first, then the
    /// customer's, the agreement's (a clashing name suffixed `_eip`) and the
    /// usage's (suffixed `_usage`) (README, *`master_account_ledger.csv`*).
    /// Step 4 writes `billing_agreement_type` in `contract_proxy`'s place;
    /// step 3 appends `imei_anomaly_type`.
    pub Ledger, mod ledger (r: LedgerRow, s: LedgerSchema) with {
        let a = r.agreement.as_ref();
        let u = r.usage.as_ref();
        let f = r.flags;
        let c = &r.customer;
    } {
        [sort_key] customer_id: Text = r.line.customer_id,
        [sort_key] account_id: Text = r.line.account_id,
        [sort_key] line_id: Text = r.line.line_id,
        [unique] msisdn: Text = r.line.msisdn,
        product_type: Category = r.line.product_type,
        status: Category = r.line.status,
        [unique] agreement_number: OptText = a.map(|a| a.agreement_number),
        [unique] eip_imei: OptText = a.map(|a| a.eip_imei),
        [unique] usage_imei: OptText = r.usage_imei(),
        eip_exists_flag: Flag = f.eip_exists,
        imei_mismatch_flag: Flag = f.imei_mismatch,
        missing_usage_imei_flag: Flag = f.missing_usage_imei,
        eip_mismatch_flag: Flag = f.eip_mismatch,
        upstream_friction_risk_flag: Flag = f.upstream_friction_risk,
        company_owned_equipment_flag: Flag = r.line.company_owned_equipment_flag,
        [unique] current_imei: Text = r.line.current_imei,
        tenure_months: Int = c.tenure_months,
        monthly_charges: Money = c.monthly_charges,
        paperless_billing: Category = c.paperless_billing,
        payment_method: Category = c.payment_method,
        [if !s.billing_agreement_type]
        contract_proxy: Category = c.contract_proxy,
        [if s.billing_agreement_type] [optional]
        billing_agreement_type: OptCategory = r.billing_agreement_type,
        internet_service: Category = c.internet_service(),
        has_5g_home_internet: Flag = c.has_5g_home_internet,
        lines_on_account: Int = c.lines_on_account,
        device_payment_plan: Category = c.device_payment_plan,
        device_term_months: Int = c.device_term_months,
        device_months_remaining: Int = c.device_months_remaining,
        device_monthly_payment: Money = c.device_monthly_payment,
        OnlineSecurity: Category = c.online_security,
        OnlineBackup: Category = c.online_backup,
        DeviceProtection: Category = c.device_protection,
        StreamingTV: Category = c.streaming_tv,
        StreamingMovies: Category = c.streaming_movies,
        churn_risk_score: Score = c.churn_risk_score,
        trust_baseline: Score = c.trust_baseline,
        patience: Score = c.patience,
        is_churned: Flag = c.is_churned,
        repeat_contacts_30d: Int = c.repeat_contacts_30d,
        last_call_day_index: Int = c.last_call_day_index,
        product_type_eip: OptCategory = a.map(|a| a.product_type),
        eip_status: OptCategory = a.map(|a| a.eip_status),
        installment_months: OptInt = a.map(|a| a.installment_months),
        product_type_usage: OptCategory = u.map(|u| u.product_type),
        usage_snapshot_date: OptDate = u.map(|u| u.usage_snapshot_date),
        imei_line_mismatch_flag: OptFlag = u.map(|u| u.imei_line_mismatch_flag),
        [unique] usage_eip_agreement_number: OptText = u.and_then(|u| u.usage_eip_agreement_number),
        [if s.anomaly_type] [optional]
        imei_anomaly_type: OptCategory = r.imei_anomaly_type,
    }
}

table! {
    /// `imei_anomaly_examples.csv`: the ledger rows that carry a label or a
    /// friction flag (the caller picks them), a few columns of each.
    pub Examples, mod examples (r: LedgerRow) with {
        let a = r.agreement.as_ref();
        let f = r.flags;
    } {
        [sort_key] customer_id: Text = r.line.customer_id,
        [sort_key] line_id: Text = r.line.line_id,
        product_type: Category = r.line.product_type,
        [unique] agreement_number: OptText = a.map(|a| a.agreement_number),
        [unique] eip_imei: OptText = a.map(|a| a.eip_imei),
        [unique] usage_imei: OptText = r.usage_imei(),
        imei_mismatch_flag: Flag = f.imei_mismatch,
        missing_usage_imei_flag: Flag = f.missing_usage_imei,
        eip_mismatch_flag: Flag = f.eip_mismatch,
        upstream_friction_risk_flag: Flag = f.upstream_friction_risk,
        imei_anomaly_type: OptCategory = r.imei_anomaly_type,
    }
}

table! {
    /// `anomaly_manifest.csv`: one row per injected defect, with the clean
    /// and injected values of the changed ledger field (`field`, not the
    /// SQL keyword `column`).
    pub Manifest, mod manifest (d: Defect) {
        [sort_key] defect_id: Text = d.id(),
        defect_type: Category = d.defect_type,
        stage: Int = d.defect_type.stage(),
        [sort_key] customer_id: Text = d.customer_id,
        [sort_key] line_id: Text = d.line_id,
        [unique] partner_line_id: OptText = d.partner_line_id,
        field: Category = "usage_imei",
        [unique] clean_value: OptText = d.clean_value,
        [unique] injected_value: OptText = d.injected_value,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schema::TableDef;
    use novawireless_model::{DeviceCategory, DeviceId, Imei, DEVICE_MODELS, SERIALS_PER_TAC};

    /// The ledger's columns are the joined tables' columns, in join order
    /// (README, *`master_account_ledger.csv`*): the keys and flags, the
    /// other line columns, the other customer columns, the agreement's and
    /// the usage's.
    #[test]
    fn ledger_columns_are_the_joined_tables_columns() {
        let lines = Lines::names(());
        let customers = Customers::names(());
        let usage = Usage::names(());
        let mut joined = vec![
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
        ];
        joined.extend(&lines[6..]);
        joined.extend(&customers[2..]);
        joined.extend(["product_type_eip", "eip_status", "installment_months"]);
        joined.extend(["product_type_usage"]);
        joined.extend(&usage[6..]);
        assert_eq!(Ledger::names(LedgerSchema::default()), joined);
        let last = |s: LedgerSchema| *Ledger::names(s).last().unwrap();
        let both = LedgerSchema {
            anomaly_type: true,
            billing_agreement_type: true,
        };
        assert_eq!(last(both), "imei_anomaly_type");
        let names = Ledger::names(both);
        let at = names.iter().position(|&c| c == "billing_agreement_type");
        assert_eq!(at, joined.iter().position(|&c| c == "contract_proxy"));
        assert_eq!(names.len(), joined.len() + 1);
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
        Devices::csv_row(&mut out, &d, ());
        let expected = format!(
            "DEV-000000007,{imei},handset,{},{},{}\n",
            m.tac_base + 3,
            m.make,
            m.model
        );
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }

    #[test]
    fn column_handles_name_their_columns() {
        assert_eq!(ledger::imei_anomaly_type.name(), "imei_anomaly_type");
        assert_eq!(
            ledger::billing_agreement_type.name(),
            "billing_agreement_type"
        );
        assert_eq!(customers::StreamingTV.name(), "StreamingTV");
        assert_eq!(manifest::field.name(), "field");
        let optional: Vec<&str> = Ledger::COLUMNS
            .iter()
            .filter(|c| c.presence == crate::schema::Presence::Optional)
            .map(|c| c.name)
            .collect();
        assert_eq!(optional, ["billing_agreement_type", "imei_anomaly_type"]);
    }
}
