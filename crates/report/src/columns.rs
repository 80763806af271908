//! The columns the profile reads by name, in one place: the customer
//! columns it summarises and charts, and the columns of the other tables
//! whose values it counts (their declarations are in the io crate's
//! `tables`).

/// `churn_risk_score`.
pub(crate) const CHURN_RISK_SCORE: &str = "churn_risk_score";
/// `has_5g_home_internet`.
pub(crate) const HAS_5G_HOME_INTERNET: &str = "has_5g_home_internet";
/// `internet_service`.
pub(crate) const INTERNET_SERVICE: &str = "internet_service";
/// `lines_on_account`.
pub(crate) const LINES_ON_ACCOUNT: &str = "lines_on_account";
/// `monthly_charges`.
pub(crate) const MONTHLY_CHARGES: &str = "monthly_charges";
/// `patience`.
pub(crate) const PATIENCE: &str = "patience";
/// `payment_method`.
pub(crate) const PAYMENT_METHOD: &str = "payment_method";
/// `tenure_months`.
pub(crate) const TENURE_MONTHS: &str = "tenure_months";
/// `trust_baseline`.
pub(crate) const TRUST_BASELINE: &str = "trust_baseline";
/// `device_payment_plan`.
pub(crate) const DEVICE_PAYMENT_PLAN: &str = "device_payment_plan";
/// `installment_months`.
pub(crate) const INSTALLMENT_MONTHS: &str = "installment_months";
/// `is_churned`.
pub(crate) const IS_CHURNED: &str = "is_churned";
/// `imei_anomaly_type`.
pub(crate) const IMEI_ANOMALY_TYPE: &str = "imei_anomaly_type";
/// `contract_proxy`.
pub(crate) const CONTRACT_PROXY: &str = "contract_proxy";
/// `paperless_billing`.
pub(crate) const PAPERLESS_BILLING: &str = "paperless_billing";
