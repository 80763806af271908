//! The data dictionary of an output folder as a Frictionless Data Package
//! (`datapackage.json`, README *Data dictionary*): one tabular resource
//! per table, each with a Table Schema giving every field's type,
//! constraints (required, enum, minimum and maximum, pattern), description
//! and missing values, with primary and foreign keys.
//!
//! The fields come from the table declarations ([`crate::tables`]), so the
//! package names exactly the columns a file holds, in order; what a column
//! means and may hold comes from [`field_doc`], by column name (a name
//! means the same in every table). A test checks that every declared
//! column has its entry.
//!
//! ```
//! use novawireless_io::datapackage::{field_doc, Constraint};
//!
//! let doc = field_doc("msisdn").unwrap();
//! assert!(matches!(doc.constraint, Constraint::Pattern(_)));
//! ```

use crate::encode::Format;
use crate::schema::{Column, Kind};
use novawireless_model::{
    Contract, DefectType, DeviceCategory, EipStatus, LineStatus, PaymentMethod, ProductType, YesNo,
    DEVICE_MODELS,
};
use serde_json::{json, Map, Value};

/// What a column may hold beyond its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Constraint {
    /// Nothing more.
    None,
    /// One of these spellings.
    Text(Vec<&'static str>),
    /// One of these numbers.
    Whole(&'static [i64]),
    /// A regular expression the whole value matches.
    Pattern(&'static str),
    /// A number in this range (either end open when `None`).
    Range(Option<f64>, Option<f64>),
}

/// What a column means and may hold.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldDoc {
    /// One sentence for the data dictionary.
    pub description: &'static str,
    /// Its constraint.
    pub constraint: Constraint,
}

const FLAG: &[i64] = &[0, 1];
const TERMS: &[i64] = &[0, 24, 30, 36];
const CUSTOMER_ID: &str = "^C[0-9]{7,19}$";
const ACCOUNT_ID: &str = "^A[0-9]{7,19}$";
const LINE_ID: &str = "^LINE-[0-9]{9,19}$";
const DEVICE_ID: &str = "^DEV-[0-9]{9,19}$";
const AGREEMENT: &str = "^EIP-[0-9]{10}$";
const DEFECT_ID: &str = "^DEF-[0-9]{9,19}$";
const IMEI: &str = "^[0-9]{15}$";
/// Ten digits, NPA and NXX in 200–998.
const MSISDN: &str = "^[2-9][0-9]{2}[2-9][0-9]{6}$";
const TAC: &str = "^[0-9]{8}$";
const BILLING: &str = "^(Month-to-month|EIP-[1-9][0-9]*mo)$";

fn spellings<T: Copy>(all: &[T], spell: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|&v| spell(v)).collect()
}

fn yes_no() -> Constraint {
    Constraint::Text(spellings(YesNo::ALL, YesNo::as_str))
}

fn product_types() -> Constraint {
    Constraint::Text(spellings(ProductType::ALL, ProductType::as_str))
}

fn labels() -> Constraint {
    let labels = DefectType::ALL.into_iter().filter(|t| t.is_label());
    Constraint::Text(labels.map(DefectType::as_str).collect())
}

/// Each distinct value of `values`, in first-seen order.
fn distinct(values: impl Iterator<Item = &'static str>) -> Constraint {
    let mut seen: Vec<&'static str> = Vec::new();
    for v in values {
        if !seen.contains(&v) {
            seen.push(v);
        }
    }
    Constraint::Text(seen)
}

fn doc(description: &'static str, constraint: Constraint) -> Option<FieldDoc> {
    Some(FieldDoc {
        description,
        constraint,
    })
}

/// What column `name` means and may hold; `None` for a name no table
/// declares.
pub fn field_doc(name: &str) -> Option<FieldDoc> {
    use Constraint::{Pattern, Range, Text, Whole};
    let add_on = "Add-on service held: Yes or No.";
    match name {
        "customer_id" => doc("Customer id: C and 7 digits (wider past 9,999,999).", Pattern(CUSTOMER_ID)),
        "account_id" => doc("Account id: A and 7 digits; one account per customer.", Pattern(ACCOUNT_ID)),
        "tenure_months" => doc("Months as a customer.", Range(Some(0.0), None)),
        "monthly_charges" => doc("Monthly price of the services held, in dollars and cents.", Range(Some(0.0), None)),
        "paperless_billing" => doc("Paperless billing: Yes or No.", yes_no()),
        "payment_method" => doc("How the customer pays.", Text(spellings(PaymentMethod::ALL, PaymentMethod::as_str))),
        "contract_proxy" => doc("Contract of the source data (NovaWireless sells no service contracts).", Text(spellings(Contract::ALL, Contract::as_str))),
        "internet_service" => doc("5G Home Internet, or No.", Text(vec!["5G Home Internet", "No"])),
        "has_5g_home_internet" => doc("1 when the customer has 5G Home Internet.", Whole(FLAG)),
        "lines_on_account" => doc("Voice lines on the account.", Range(Some(0.0), None)),
        "device_payment_plan" => doc("Whether the customer pays a device in instalments: Yes or No.", yes_no()),
        "device_term_months" => doc("Instalment term in months; 0 without a plan.", Whole(TERMS)),
        "device_months_remaining" => doc("Instalments left; 0 without a plan.", Range(Some(0.0), Some(36.0))),
        "device_monthly_payment" => doc("Monthly device instalment in dollars; 0 without a plan.", Range(Some(0.0), None)),
        "OnlineSecurity" | "OnlineBackup" | "DeviceProtection" | "StreamingTV" | "StreamingMovies" => doc(add_on, yes_no()),
        "churn_risk_score" => doc("The customer's churn probability.", Range(Some(0.0), Some(1.0))),
        "trust_baseline" => doc("Latent trust on a 0–100 scale.", Range(Some(0.0), Some(100.0))),
        "patience" => doc("Latent patience between 0 and 1.", Range(Some(0.0), Some(1.0))),
        "is_churned" => doc("1 when the customer churned: a Bernoulli draw of churn_risk_score.", Whole(FLAG)),
        "repeat_contacts_30d" => doc("Repeat contacts in 30 days; 0, filled by the call generator.", Range(Some(0.0), None)),
        "last_call_day_index" => doc("Day of the last call; -1, filled by the call generator.", Range(Some(-1.0), None)),
        "line_id" => doc("Line id: LINE- and 9 digits, numbered in customer order.", Pattern(LINE_ID)),
        "partner_line_id" => doc("The other line of a swap, or the line whose IMEI was copied; empty for a blanked IMEI.", Pattern(LINE_ID)),
        "msisdn" => doc("The line's phone number: 10 digits, NPA and NXX in 200–998.", Pattern(MSISDN)),
        "product_type" => doc("voice or 5g_home_internet.", product_types()),
        "product_type_eip" => doc("The agreement's product type; empty without an agreement.", product_types()),
        "product_type_usage" => doc("The usage row's product type; empty without one.", product_types()),
        "status" => doc("Line status.", Text(spellings(LineStatus::ALL, LineStatus::as_str))),
        "company_owned_equipment_flag" => doc("1 when the line's device belongs to the company (5G gateways).", Whole(FLAG)),
        "current_imei" => doc("IMEI of the device the line holds: 15 digits, Luhn-valid.", Pattern(IMEI)),
        "device_id" => doc("Device id: DEV- and 9 digits.", Pattern(DEVICE_ID)),
        "imei" => doc("The device's IMEI: 15 digits, Luhn-valid.", Pattern(IMEI)),
        "device_category" => doc("handset or gateway_5g_hsi.", Text(spellings(DeviceCategory::ALL, DeviceCategory::as_str))),
        "tac" => doc("Type Allocation Code: the IMEI's first 8 digits.", Pattern(TAC)),
        "make" => doc("Manufacturer of the TAC's model; empty outside the catalogue.", distinct(DEVICE_MODELS.iter().map(|m| m.make))),
        "model" => doc("Model of the TAC; empty outside the catalogue.", distinct(DEVICE_MODELS.iter().map(|m| m.model))),
        "agreement_number" => doc("Equipment Installment Plan agreement: EIP- and 10 digits; empty without one.", Pattern(AGREEMENT)),
        "eip_imei" => doc("IMEI the agreement finances; empty without an agreement.", Pattern(IMEI)),
        "eip_status" => doc("Agreement status; empty without an agreement.", Text(spellings(EipStatus::ALL, EipStatus::as_str))),
        "installment_months" => doc("Agreement term in months (0 for a company-owned gateway); empty without an agreement.", Whole(TERMS)),
        "usage_imei" => doc("IMEI usage recorded on the line; empty when missing.", Pattern(IMEI)),
        "usage_snapshot_date" => doc("Date of the usage snapshot.", Constraint::None),
        "imei_line_mismatch_flag" => doc("1 when usage recorded another line's IMEI at generation.", Whole(FLAG)),
        "usage_eip_agreement_number" => doc("Agreement number usage recorded; empty when none.", Pattern(AGREEMENT)),
        "eip_exists_flag" => doc("1 when the line has an agreement.", Whole(FLAG)),
        "imei_mismatch_flag" => doc("1 when an agreement exists, both IMEIs are present and differ.", Whole(FLAG)),
        "missing_usage_imei_flag" => doc("1 when the usage IMEI is empty.", Whole(FLAG)),
        "eip_mismatch_flag" => doc("1 when the agreement and the agreement number usage recorded differ.", Whole(FLAG)),
        "upstream_friction_risk_flag" => doc("1 when any of the IMEI flags is set (README, master_account_ledger.csv).", Whole(FLAG)),
        "billing_agreement_type" => doc("EIP-{n}mo for a line with an n-month agreement, else Month-to-month.", Pattern(BILLING)),
        "imei_anomaly_type" => doc("The injected defect's label; empty when the line is untouched.", labels()),
        "defect_id" => doc("Defect id: DEF- and the line's number followed by the stage.", Pattern(DEFECT_ID)),
        "defect_type" => doc("What was injected.", Text(DefectType::ALL.into_iter().map(DefectType::as_str).collect())),
        "stage" => doc("The stage that injected the defect.", Whole(&[1, 3])),
        "field" => doc("The ledger column the defect changed.", Text(vec!["usage_imei"])),
        "clean_value" => doc("The usage IMEI before the defect; empty when it was empty.", Pattern(IMEI)),
        "injected_value" => doc("The usage IMEI after the defect; empty when blanked.", Pattern(IMEI)),
        _ => None,
    }
}

/// One table of the package.
#[derive(Debug, Clone)]
pub struct Resource {
    /// The table's name: its file stem (`customers`).
    pub name: String,
    /// Its files, relative to the folder (several for a table in parts).
    pub paths: Vec<String>,
    /// Its columns, in file order.
    pub columns: Vec<&'static Column>,
}

/// The Table Schema type of `kind` in `format`.
fn field_type(kind: Kind, format: Format) -> &'static str {
    match kind {
        Kind::Text | Kind::Category => "string",
        // Eight digits with their leading zeros in CSV; a number in Parquet.
        Kind::Tac if format == Format::Csv => "string",
        Kind::Int | Kind::Flag | Kind::Tac => "integer",
        Kind::Money | Kind::Score => "number",
        Kind::Date => "date",
    }
}

/// The field descriptor of `column`.
fn field(column: &Column, format: Format) -> Value {
    let kind = field_type(column.kind, format);
    let mut constraints = Map::new();
    if !column.nullable {
        constraints.insert("required".into(), json!(true));
    }
    let doc = field_doc(column.name);
    let constraint = doc
        .as_ref()
        .map_or(Constraint::None, |d| d.constraint.clone());
    match constraint {
        Constraint::None => {}
        Constraint::Text(values) => {
            constraints.insert("enum".into(), json!(values));
        }
        Constraint::Whole(values) => {
            constraints.insert("enum".into(), json!(values));
        }
        // A pattern holds for text; a Parquet TAC is a number.
        Constraint::Pattern(p) if kind == "string" => {
            constraints.insert("pattern".into(), json!(p));
        }
        Constraint::Pattern(_) => {}
        Constraint::Range(low, high) => {
            if let Some(low) = low {
                constraints.insert("minimum".into(), number(low, kind));
            }
            if let Some(high) = high {
                constraints.insert("maximum".into(), number(high, kind));
            }
        }
    }
    let mut f = Map::new();
    f.insert("name".into(), json!(column.name));
    f.insert("type".into(), json!(kind));
    if kind == "date" {
        f.insert("format".into(), json!("default"));
    }
    if let Some(doc) = doc {
        f.insert("description".into(), json!(doc.description));
    }
    if !constraints.is_empty() {
        f.insert("constraints".into(), Value::Object(constraints));
    }
    Value::Object(f)
}

/// A bound as the field's type writes it (`0`, not `0.0`, for integers).
fn number(value: f64, kind: &str) -> Value {
    if kind == "integer" {
        json!(value as i64)
    } else {
        json!(value)
    }
}

/// Primary key of table `name`.
fn primary_key(name: &str) -> Option<&'static str> {
    match name {
        "customers" | "customers_v1" => Some("customer_id"),
        "lines" | "line_device_usage" | "imei_anomaly_examples" => Some("line_id"),
        n if n.starts_with("master_account_ledger") => Some("line_id"),
        "devices" => Some("device_id"),
        "eip_agreements" => Some("agreement_number"),
        "anomaly_manifest" => Some("defect_id"),
        _ => None,
    }
}

/// Foreign keys of table `name`, as (field, resource, field), to tables
/// among `present`.
fn foreign_keys(name: &str, present: &[&str]) -> Vec<Value> {
    let refs: &[(&str, &str, &str)] = match name {
        "lines" => &[("customer_id", "customers", "customer_id")],
        "eip_agreements" | "line_device_usage" | "anomaly_manifest" | "imei_anomaly_examples" => {
            &[("line_id", "lines", "line_id")]
        }
        n if n.starts_with("master_account_ledger") => &[("line_id", "lines", "line_id")],
        _ => &[],
    };
    refs.iter()
        .filter(|(_, resource, _)| present.contains(resource))
        .map(|(fields, resource, reference)| {
            json!({"fields": fields, "reference": {"resource": resource, "fields": reference}})
        })
        .collect()
}

/// The data package of `resources`, all in `format`.
pub fn data_package(resources: &[Resource], format: Format) -> Value {
    let present: Vec<&str> = resources.iter().map(|r| r.name.as_str()).collect();
    let tables: Vec<Value> = resources
        .iter()
        .map(|r| resource(r, format, &present))
        .collect();
    json!({
        "name": "novawireless",
        "title": "NovaWireless synthetic customer base and account graph",
        "description": "Tables written by the NovaWireless generator; column meanings and ranges as in its README.",
        "profile": "tabular-data-package",
        "licenses": [{"name": "MIT", "title": "MIT License"}],
        "resources": tables,
    })
}

fn resource(r: &Resource, format: Format, present: &[&str]) -> Value {
    let fields: Vec<Value> = r.columns.iter().map(|c| field(c, format)).collect();
    let mut schema = Map::new();
    schema.insert("fields".into(), json!(fields));
    schema.insert("missingValues".into(), json!([""]));
    let names: Vec<&str> = r.columns.iter().map(|c| c.name).collect();
    if let Some(key) = primary_key(&r.name).filter(|k| names.contains(k)) {
        schema.insert("primaryKey".into(), json!([key]));
    }
    let foreign = foreign_keys(&r.name, present);
    if !foreign.is_empty() {
        schema.insert("foreignKeys".into(), json!(foreign));
    }
    let path = match r.paths.as_slice() {
        [one] => json!(one),
        many => json!(many),
    };
    let mut out = Map::new();
    out.insert("name".into(), json!(r.name));
    out.insert("path".into(), path);
    out.insert("profile".into(), json!("tabular-data-resource"));
    out.insert("format".into(), json!(format.as_str()));
    match format {
        Format::Csv => {
            out.insert("mediatype".into(), json!("text/csv"));
            out.insert("encoding".into(), json!("utf-8"));
            out.insert(
                "dialect".into(),
                json!({"delimiter": ",", "header": true, "quoteChar": "\"", "doubleQuote": true, "lineTerminator": "\n"}),
            );
        }
        Format::Parquet => {
            out.insert("mediatype".into(), json!("application/vnd.apache.parquet"));
        }
    }
    out.insert("schema".into(), Value::Object(schema));
    Value::Object(out)
}

/// The columns of `declared` named by `header`, in its order; `None` when a
/// name is not declared.
pub fn columns_of(declared: &'static [Column], header: &[String]) -> Option<Vec<&'static Column>> {
    header
        .iter()
        .map(|h| declared.iter().find(|c| c.name == h))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::schema::TableDef;
    use crate::tables::{Customers, Devices, Lines};

    #[test]
    fn every_declared_column_is_documented() {
        for column in crate::parquet::declared_columns() {
            let doc = field_doc(column.name);
            assert!(doc.is_some(), "{} has no entry", column.name);
        }
        assert_eq!(field_doc("no_such_column"), None);
    }

    #[test]
    fn fields_carry_type_constraints_and_keys() {
        let resource = Resource {
            name: "lines".into(),
            paths: vec!["lines.csv".into()],
            columns: Lines::columns(()),
        };
        let customers = Resource {
            name: "customers".into(),
            paths: vec!["customers.csv".into()],
            columns: Customers::columns(()),
        };
        let package = data_package(&[customers, resource], Format::Csv);
        let lines = &package["resources"][1];
        assert_eq!(lines["path"], "lines.csv");
        let fields = lines["schema"]["fields"].as_array().unwrap();
        assert_eq!(fields.len(), 8);
        assert_eq!(fields[3]["name"], "msisdn");
        assert_eq!(fields[3]["type"], "string");
        assert_eq!(fields[3]["constraints"]["pattern"], MSISDN);
        assert_eq!(fields[3]["constraints"]["required"], true);
        assert_eq!(
            fields[5]["constraints"]["enum"],
            json!(["active", "suspended"])
        );
        assert_eq!(fields[6]["type"], "integer");
        assert_eq!(fields[6]["constraints"]["enum"], json!([0, 1]));
        assert_eq!(lines["schema"]["primaryKey"], json!(["line_id"]));
        assert_eq!(
            lines["schema"]["foreignKeys"][0]["reference"],
            json!({"resource": "customers", "fields": "customer_id"})
        );
        let customers = &package["resources"][0]["schema"]["fields"];
        assert_eq!(customers[2]["constraints"]["minimum"], json!(0));
        assert_eq!(customers[3]["type"], "number");
        assert_eq!(customers[19]["constraints"]["maximum"], json!(1.0));
    }

    #[test]
    fn a_tac_is_text_in_csv_and_a_number_in_parquet_and_parts_are_listed() {
        let devices = |format| {
            let r = Resource {
                name: "devices".into(),
                paths: vec![
                    "devices/part-1-of-2.csv".into(),
                    "devices/part-2-of-2.csv".into(),
                ],
                columns: Devices::columns(()),
            };
            data_package(&[r], format)
        };
        let csv = devices(Format::Csv);
        assert_eq!(csv["resources"][0]["schema"]["fields"][3]["type"], "string");
        assert_eq!(csv["resources"][0]["path"][1], "devices/part-2-of-2.csv");
        let parquet = devices(Format::Parquet);
        let tac = &parquet["resources"][0]["schema"]["fields"][3];
        assert_eq!(tac["type"], "integer");
        assert!(tac["constraints"].get("pattern").is_none());
        assert_eq!(parquet["resources"][0].get("dialect"), None);
    }

    #[test]
    fn columns_follow_the_header() {
        let header: Vec<String> = ["line_id", "msisdn"].map(String::from).to_vec();
        let columns = columns_of(Lines::COLUMNS, &header).unwrap();
        assert_eq!(columns[1].name, "msisdn");
        let unknown: Vec<String> = vec!["what".into()];
        assert!(columns_of(Lines::COLUMNS, &unknown).is_none());
    }
}
