//! The published IBM Telco aggregates the joint model is calibrated to,
//! embedded from `crates/sampler/calibration/ibm_telco/` (its README names
//! the source), parsed into typed tables.

use novawireless_model::{Contract, InternetService, MultipleLines, PaymentMethod};
use std::str::FromStr;

/// The five add-ons the customer tables carry, in column order.
pub const ADD_ONS: [&str; 5] = [
    "OnlineSecurity",
    "OnlineBackup",
    "DeviceProtection",
    "StreamingTV",
    "StreamingMovies",
];

/// One Contract × InternetService × PaymentMethod cell of the source data.
#[derive(Debug, Clone, PartialEq)]
pub struct SegmentStats {
    /// Contract.
    pub contract: Contract,
    /// Raw internet service.
    pub internet: InternetService,
    /// Payment method.
    pub payment: PaymentMethod,
    /// Customers in the cell.
    pub customer_count: f64,
    /// Share with Churn = Yes.
    pub churn_rate: f64,
    /// Mean tenure in months.
    pub tenure_mean: f64,
    /// Mean monthly charges in dollars.
    pub charges_mean: f64,
    /// Share with paperless billing.
    pub paperless_share: f64,
    /// Share with phone service.
    pub phone_share: f64,
    /// Share with multiple lines (of all the cell's customers).
    pub multiple_lines_share: f64,
    /// Mean number of the five add-ons held.
    pub addon_count_mean: f64,
}

/// One 6-month tenure bin of one contract.
#[derive(Debug, Clone, PartialEq)]
pub struct TenureBin {
    /// Contract.
    pub contract: Contract,
    /// First month of the bin.
    pub low: u32,
    /// One past the last month, except the last bin, which holds `high`.
    pub high: u32,
    /// Customers in the bin.
    pub customer_count: f64,
    /// Share with Churn = Yes.
    pub churn_rate: f64,
}

/// The add-on shares of one InternetService × Contract cell.
#[derive(Debug, Clone, PartialEq)]
pub struct AddOnCell {
    /// Raw internet service.
    pub internet: InternetService,
    /// Contract.
    pub contract: Contract,
    /// Customers in the cell.
    pub customer_count: f64,
    /// Share holding each add-on, in [`ADD_ONS`] order.
    pub shares: [f64; 5],
}

/// Monthly charges of one InternetService × MultipleLines cell.
#[derive(Debug, Clone, PartialEq)]
pub struct ChargesCell {
    /// Raw internet service.
    pub internet: InternetService,
    /// MultipleLines answer.
    pub multiple_lines: MultipleLines,
    /// Customers in the cell.
    pub customer_count: f64,
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// 10th, 50th and 90th percentiles.
    pub quantiles: [f64; 3],
}

/// Churn rates by service held, over the whole source population.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceChurn {
    /// Churn of customers with paperless billing.
    pub paperless: f64,
    /// Churn of the holders of each add-on, in [`ADD_ONS`] order.
    pub add_ons: [f64; 5],
    /// Churn of customers with multiple lines.
    pub multiple_lines: f64,
    /// Churn of customers without phone service.
    pub no_phone: f64,
}

/// Every aggregate table the joint model uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregates {
    /// The 36 Contract × InternetService × PaymentMethod cells.
    pub segments: Vec<SegmentStats>,
    /// Per contract, 12 tenure bins of 6 months.
    pub tenure: Vec<TenureBin>,
    /// The 9 InternetService × Contract add-on cells.
    pub add_ons: Vec<AddOnCell>,
    /// The 7 InternetService × MultipleLines charges cells.
    pub charges: Vec<ChargesCell>,
    /// Churn by service.
    pub service_churn: ServiceChurn,
}

const SEGMENTS: &str = include_str!("../../calibration/ibm_telco/segments.csv");
const TENURE: &str = include_str!("../../calibration/ibm_telco/tenure_by_contract.csv");
const ADD_ON_CELLS: &str =
    include_str!("../../calibration/ibm_telco/addons_by_internet_contract.csv");
const CHARGES: &str = include_str!("../../calibration/ibm_telco/charges_by_services.csv");
const SERVICE_CHURN: &str = include_str!("../../calibration/ibm_telco/churn_by_service.csv");

/// The rows of a small comma-separated table (no quoting), as a header
/// check and a list of records; errors name the file and line.
struct Table<'a> {
    name: &'static str,
    rows: Vec<(usize, Vec<&'a str>)>,
}

impl<'a> Table<'a> {
    fn parse(name: &'static str, text: &'a str, header: &str) -> Result<Self, String> {
        let mut lines = text.lines().enumerate();
        match lines.next() {
            Some((_, h)) if h.trim_end() == header => {}
            _ => return Err(format!("{name}: header is not {header:?}")),
        }
        let width = header.split(',').count();
        let mut rows = Vec::new();
        for (i, line) in lines {
            if line.trim().is_empty() {
                continue;
            }
            let fields: Vec<&str> = line.trim_end().split(',').collect();
            if fields.len() != width {
                return Err(format!(
                    "{name}:{}: {} fields, expected {width}",
                    i + 1,
                    fields.len()
                ));
            }
            rows.push((i + 1, fields));
        }
        Ok(Table { name, rows })
    }

    fn value<T: FromStr>(&self, line: usize, text: &str) -> Result<T, String> {
        text.parse()
            .map_err(|_| format!("{}:{line}: cannot read {text:?}", self.name))
    }
}

impl Aggregates {
    /// The embedded IBM Telco aggregates.
    #[allow(clippy::missing_panics_doc)]
    pub fn embedded() -> Self {
        #[allow(clippy::expect_used)]
        Self::parse().expect("the embedded aggregates are well formed")
    }

    /// Every table, checked for completeness.
    fn parse() -> Result<Self, String> {
        let aggregates = Aggregates {
            segments: parse_segments()?,
            tenure: parse_tenure()?,
            add_ons: parse_add_ons()?,
            charges: parse_charges()?,
            service_churn: parse_service_churn()?,
        };
        aggregates.check()?;
        Ok(aggregates)
    }

    /// Every cell present exactly once, with the counts adding up.
    fn check(&self) -> Result<(), String> {
        if self.segments.len() != 36 {
            return Err(format!("{} segments, expected 36", self.segments.len()));
        }
        for c in Contract::ALL {
            for i in InternetService::ALL {
                for p in PaymentMethod::ALL {
                    let n = self
                        .segments
                        .iter()
                        .filter(|s| s.contract == *c && s.internet == *i && s.payment == *p)
                        .count();
                    if n != 1 {
                        return Err(format!("segment {c} / {i} / {p} appears {n} times"));
                    }
                }
            }
            let bins: Vec<_> = self.tenure.iter().filter(|b| b.contract == *c).collect();
            if bins.len() != 12 || bins.iter().enumerate().any(|(k, b)| b.low != 6 * k as u32) {
                return Err(format!("tenure bins of {c} are not 12 bins of 6 months"));
            }
        }
        if self.add_ons.len() != 9 || self.charges.len() != 7 {
            return Err("add-on or charges cells missing".into());
        }
        Ok(())
    }

    /// The segment of a cell.
    pub fn segment(&self, c: Contract, i: InternetService, p: PaymentMethod) -> &SegmentStats {
        #[allow(clippy::expect_used)] // checked at parse time
        self.segments
            .iter()
            .find(|s| s.contract == c && s.internet == i && s.payment == p)
            .expect("every segment is present")
    }
}

/// `segments.csv`: the Contract × InternetService × PaymentMethod cells.
fn parse_segments() -> Result<Vec<SegmentStats>, String> {
    let t = Table::parse(
        "segments.csv",
        SEGMENTS,
        "Contract,InternetService,PaymentMethod,customer_count,churn_rate,tenure_mean,\
         tenure_sd,monthly_charges_mean,paperless_share,phone_service_share,\
         multiple_lines_share,addon_count_mean",
    )?;
    let mut segments = Vec::new();
    for (line, f) in &t.rows {
        let v = |i: usize| t.value::<f64>(*line, f[i]);
        segments.push(SegmentStats {
            contract: t.value(*line, f[0])?,
            internet: t.value(*line, f[1])?,
            payment: t.value(*line, f[2])?,
            customer_count: v(3)?,
            churn_rate: v(4)?,
            tenure_mean: v(5)?,
            charges_mean: v(7)?,
            paperless_share: v(8)?,
            phone_share: v(9)?,
            multiple_lines_share: v(10)?,
            addon_count_mean: v(11)?,
        });
    }
    Ok(segments)
}

/// `tenure_by_contract.csv`: the tenure bins of each contract.
fn parse_tenure() -> Result<Vec<TenureBin>, String> {
    let t = Table::parse(
        "tenure_by_contract.csv",
        TENURE,
        "Contract,tenure_low,tenure_high,customer_count,churn_rate",
    )?;
    let mut tenure = Vec::new();
    for (line, f) in &t.rows {
        tenure.push(TenureBin {
            contract: t.value(*line, f[0])?,
            low: t.value(*line, f[1])?,
            high: t.value(*line, f[2])?,
            customer_count: t.value(*line, f[3])?,
            churn_rate: t.value(*line, f[4])?,
        });
    }
    Ok(tenure)
}

/// `addons_by_internet_contract.csv`: the add-on shares per
/// InternetService × Contract cell.
fn parse_add_ons() -> Result<Vec<AddOnCell>, String> {
    let t = Table::parse(
        "addons_by_internet_contract.csv",
        ADD_ON_CELLS,
        "InternetService,Contract,customer_count,OnlineSecurity_yes_share,\
         OnlineBackup_yes_share,DeviceProtection_yes_share,StreamingTV_yes_share,\
         StreamingMovies_yes_share",
    )?;
    let mut add_ons = Vec::new();
    for (line, f) in &t.rows {
        let mut shares = [0.0; 5];
        for (k, share) in shares.iter_mut().enumerate() {
            *share = t.value(*line, f[3 + k])?;
        }
        add_ons.push(AddOnCell {
            internet: t.value(*line, f[0])?,
            contract: t.value(*line, f[1])?,
            customer_count: t.value(*line, f[2])?,
            shares,
        });
    }
    Ok(add_ons)
}

/// `charges_by_services.csv`: the charges per InternetService ×
/// MultipleLines cell.
fn parse_charges() -> Result<Vec<ChargesCell>, String> {
    let t = Table::parse(
        "charges_by_services.csv",
        CHARGES,
        "InternetService,MultipleLines,customer_count,charges_mean,charges_sd,p10,p50,p90",
    )?;
    let mut charges = Vec::new();
    for (line, f) in &t.rows {
        let v = |i: usize| t.value::<f64>(*line, f[i]);
        charges.push(ChargesCell {
            internet: t.value(*line, f[0])?,
            multiple_lines: t.value(*line, f[1])?,
            customer_count: v(2)?,
            mean: v(3)?,
            sd: v(4)?,
            quantiles: [v(5)?, v(6)?, v(7)?],
        });
    }
    Ok(charges)
}

/// `churn_by_service.csv`: the churn of each service's holders.
fn parse_service_churn() -> Result<ServiceChurn, String> {
    let t = Table::parse(
        "churn_by_service.csv",
        SERVICE_CHURN,
        "service,value,customer_count,churn_rate",
    )?;
    let rate = |service: &str, value: &str| -> Result<f64, String> {
        let (line, f) = t
            .rows
            .iter()
            .find(|(_, f)| f[0] == service && f[1] == value)
            .ok_or_else(|| format!("churn_by_service.csv: no row {service},{value}"))?;
        t.value(*line, f[3])
    };
    let mut add_on_churn = [0.0; 5];
    for (k, name) in ADD_ONS.iter().enumerate() {
        add_on_churn[k] = rate(name, "Yes")?;
    }
    Ok(ServiceChurn {
        paperless: rate("PaperlessBilling", "Yes")?,
        add_ons: add_on_churn,
        multiple_lines: rate("MultipleLines", "Yes")?,
        no_phone: rate("MultipleLines", "No phone service")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_tables_add_up() {
        let a = Aggregates::embedded();
        let total: f64 = a.segments.iter().map(|s| s.customer_count).sum();
        assert_eq!(total, 7043.0);
        let tenure_total: f64 = a.tenure.iter().map(|b| b.customer_count).sum();
        assert_eq!(tenure_total, 7043.0);
        let churners: f64 = a
            .segments
            .iter()
            .map(|s| s.customer_count * s.churn_rate)
            .sum();
        assert!((churners / total - 0.26537).abs() < 1e-4);
        assert_eq!(a.service_churn.add_ons[0], 0.146112);
    }
}
