//! The baseline distribution set: the embedded default and `--config FILE`.

use crate::dist::{BinnedUniform, Categorical};
use crate::joint::{
    default_settings, structure_for, ChurnEffects, JointModel, Prices, SegmentStats, SolveSettings,
    SourceStructure,
};
use novawireless_model::{Contract, InternetService, MultipleLines, PaymentMethod, YesNo};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

/// Largest config file read: a distribution set is a few KiB.
pub const MAX_CONFIG_BYTES: u64 = 4 << 20;

/// Refuses a JSON text in which an object repeats a key (serde would keep
/// the last one silently), naming the key, its path and the line.
fn reject_duplicate_keys(text: &str) -> Result<(), serde_json::Error> {
    use serde::de::{DeserializeSeed, Error, MapAccess, SeqAccess, Visitor};
    struct Check(String);
    impl<'de> DeserializeSeed<'de> for Check {
        type Value = ();
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
            d.deserialize_any(self)
        }
    }
    impl<'de> Visitor<'de> for Check {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            let mut seen = std::collections::BTreeSet::new();
            while let Some(key) = map.next_key::<String>()? {
                let path = if self.0.is_empty() {
                    key.clone()
                } else {
                    format!("{}.{key}", self.0)
                };
                if !seen.insert(key.clone()) {
                    return Err(A::Error::custom(format!("duplicate key {path:?}")));
                }
                map.next_value_seed(Check(path))?;
            }
            Ok(())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut i = 0;
            while seq
                .next_element_seed(Check(format!("{}[{i}]", self.0)))?
                .is_some()
            {
                i += 1;
            }
            Ok(())
        }
        fn visit_bool<E>(self, _: bool) -> Result<(), E> {
            Ok(())
        }
        fn visit_i64<E>(self, _: i64) -> Result<(), E> {
            Ok(())
        }
        fn visit_u64<E>(self, _: u64) -> Result<(), E> {
            Ok(())
        }
        fn visit_f64<E>(self, _: f64) -> Result<(), E> {
            Ok(())
        }
        fn visit_str<E>(self, _: &str) -> Result<(), E> {
            Ok(())
        }
        fn visit_unit<E>(self) -> Result<(), E> {
            Ok(())
        }
    }
    let mut de = serde_json::Deserializer::from_str(text);
    Check(String::new()).deserialize(&mut de)?;
    de.end()
}

/// The embedded default baseline, in the same JSON form `--config` accepts.
pub const EMBEDDED_BASELINE: &str = include_str!("baseline.json");

/// Largest tenure a config may allow, in months (a century): tenures are
/// whole months, and the churn calibration visits every month of the range.
const MAX_TENURE_MONTHS: f64 = 1200.0;

/// Largest monthly charge a config may allow, in dollars: money is printed
/// from whole cents, which must fit in 64 bits with room to spare.
const MAX_MONTHLY_CHARGES: f64 = 1e6;

/// Largest magnitude of a model coefficient or spread. The logit saturates
/// long before it; the bound keeps sums of terms finite (no inf − inf = NaN).
const MAX_COEFFICIENT: f64 = 1e6;

/// Why a distribution set was refused. Every message names the field.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The config file could not be read.
    #[error("config file {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not JSON, or does not have the expected shape.
    #[error("config {origin}: {message}")]
    Json {
        /// The file, or `embedded baseline`.
        origin: String,
        /// serde's description, which names unknown or mistyped keys.
        message: String,
    },
    /// A value is out of range.
    #[error("config {origin}: {field}: {message}")]
    Invalid {
        /// The file, or `embedded baseline`.
        origin: String,
        /// The field, e.g. `tenure_months.bins[2]`.
        field: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBinned {
    min: f64,
    max: f64,
    bins: Vec<Vec<f64>>,
    probs: Vec<f64>,
}

type RawCategorical = BTreeMap<String, f64>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChurnModel {
    noise_sd: Option<f64>,
    score_ceiling: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJointModel {
    add_ons_need_internet: Option<bool>,
    prices: Option<Prices>,
    churn_effects: Option<ChurnEffects>,
    segments: Option<Vec<RawSegment>>,
}

/// One row of a segment table, with the columns of `segments.csv`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSegment {
    #[serde(rename = "Contract")]
    contract: String,
    #[serde(rename = "InternetService")]
    internet: String,
    #[serde(rename = "PaymentMethod")]
    payment: String,
    customer_count: f64,
    churn_rate: f64,
    tenure_mean: f64,
    monthly_charges_mean: f64,
    paperless_share: f64,
    phone_service_share: f64,
    multiple_lines_share: f64,
    addon_count_mean: f64,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLatentTraits {
    trust_mean: Option<f64>,
    trust_per_churn: Option<f64>,
    trust_noise_sd: Option<f64>,
    patience_mean: Option<f64>,
    patience_per_churn: Option<f64>,
    patience_noise_sd: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBaseline {
    churn_base_rate: Option<f64>,
    tenure_months: Option<RawBinned>,
    monthly_charges: Option<RawBinned>,
    #[serde(rename = "InternetService")]
    internet_service: Option<RawCategorical>,
    #[serde(rename = "PaymentMethod")]
    payment_method: Option<RawCategorical>,
    #[serde(rename = "MultipleLines")]
    multiple_lines: Option<RawCategorical>,
    #[serde(rename = "Contract")]
    contract: Option<RawCategorical>,
    #[serde(rename = "PaperlessBilling")]
    paperless_billing: Option<RawCategorical>,
    #[serde(rename = "OnlineSecurity")]
    online_security: Option<RawCategorical>,
    #[serde(rename = "OnlineBackup")]
    online_backup: Option<RawCategorical>,
    #[serde(rename = "DeviceProtection")]
    device_protection: Option<RawCategorical>,
    #[serde(rename = "StreamingTV")]
    streaming_tv: Option<RawCategorical>,
    #[serde(rename = "StreamingMovies")]
    streaming_movies: Option<RawCategorical>,
    churn_model: Option<RawChurnModel>,
    joint_model: Option<RawJointModel>,
    latent_traits: Option<RawLatentTraits>,
}

/// The original pipeline's wrapper: `registry.customer_params` names a key of
/// `sources`, whose `payload` is the distribution set.
#[derive(Debug, Deserialize)]
struct RawWrapper {
    registry: RawRegistry,
    sources: BTreeMap<String, RawSource>,
}

#[derive(Debug, Deserialize)]
struct RawRegistry {
    customer_params: String,
}

#[derive(Debug, Deserialize)]
struct RawSource {
    payload: serde_json::Value,
}

/// How the latent traits follow churn risk.
#[derive(Debug, Clone, PartialEq)]
pub struct LatentTraitParams {
    /// Mean trust (0–100 scale) at the base churn rate.
    pub trust_mean: f64,
    /// Change of trust per unit of churn risk above the base rate.
    pub trust_per_churn: f64,
    /// Standard deviation of the individual trust noise (bounded at ±2.5 sd).
    pub trust_noise_sd: f64,
    /// Mean patience (0–1) at the base churn rate.
    pub patience_mean: f64,
    /// Change of patience per unit of churn risk above the base rate.
    pub patience_per_churn: f64,
    /// Standard deviation of the individual patience noise (bounded at ±2.5 sd).
    pub patience_noise_sd: f64,
}

/// A validated distribution set.
#[derive(Debug, Clone, PartialEq)]
pub struct Baseline {
    /// Target mean churn risk; the churn model's intercept is solved for it.
    pub churn_base_rate: f64,
    /// Tenure in months (floored to an integer).
    pub tenure_months: BinnedUniform,
    /// Monthly charges in dollars (rounded to cents).
    pub monthly_charges: BinnedUniform,
    /// Raw internet service.
    pub internet_service: Categorical<InternetService>,
    /// Payment method.
    pub payment_method: Categorical<PaymentMethod>,
    /// Raw MultipleLines answer.
    pub multiple_lines: Categorical<MultipleLines>,
    /// Contract, kept as `contract_proxy`.
    pub contract: Categorical<Contract>,
    /// Paperless billing.
    pub paperless_billing: Categorical<YesNo>,
    /// Add-on: online security.
    pub online_security: Categorical<YesNo>,
    /// Add-on: online backup.
    pub online_backup: Categorical<YesNo>,
    /// Add-on: device protection.
    pub device_protection: Categorical<YesNo>,
    /// Add-on: streaming TV.
    pub streaming_tv: Categorical<YesNo>,
    /// Add-on: streaming movies.
    pub streaming_movies: Categorical<YesNo>,
    /// Standard deviation of the individual churn noise on the logit scale
    /// (bounded at ±2.5 sd).
    pub churn_noise_sd: f64,
    /// Soft ceiling of the churn score: scores above `ceiling − 0.15` are
    /// compressed smoothly below it; 0.95 (the hard clamp) turns it off.
    pub churn_score_ceiling: f64,
    /// Whether add-ons need home internet (as in the source data), or may
    /// be held by voice-only customers too.
    pub add_ons_need_internet: bool,
    /// The solved joint structure (README, *Fidelity*).
    pub structure: Arc<SourceStructure>,
    /// The latent traits.
    pub traits: LatentTraitParams,
}

impl Default for Baseline {
    fn default() -> Self {
        Self::embedded()
    }
}

impl Baseline {
    /// The embedded default baseline (README, *The model*).
    #[allow(clippy::missing_panics_doc)]
    pub fn embedded() -> Self {
        static EMBEDDED: OnceLock<Baseline> = OnceLock::new();
        EMBEDDED
            .get_or_init(|| {
                #[allow(clippy::expect_used)]
                Self::from_json_str(EMBEDDED_BASELINE, "embedded baseline")
                    .expect("the embedded baseline is valid")
            })
            .clone()
    }

    /// The joint model of this baseline (shared between equal baselines).
    pub fn joint_model(&self) -> Arc<JointModel> {
        JointModel::nearest(self)
    }

    /// Loads `--config FILE`: a bare payload or the original's wrapper.
    /// A file larger than [`MAX_CONFIG_BYTES`] is refused without reading
    /// the rest (`--config /dev/zero` ends at once).
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        use std::io::Read;
        let name = path.display().to_string();
        let read_error = |source| ConfigError::Read {
            path: name.clone(),
            source,
        };
        let file = std::fs::File::open(path).map_err(read_error)?;
        let mut bytes = Vec::new();
        file.take(MAX_CONFIG_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(read_error)?;
        if bytes.len() as u64 > MAX_CONFIG_BYTES {
            return Err(ConfigError::Json {
                origin: name,
                message: format!(
                    "larger than {} MiB: not a distribution set",
                    MAX_CONFIG_BYTES >> 20
                ),
            });
        }
        let text = String::from_utf8(bytes).map_err(|e| ConfigError::Json {
            origin: name.clone(),
            message: format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to()),
        })?;
        Self::from_json_str(&text, &name)
    }

    /// Parses a distribution set from JSON text; `origin` names it in errors.
    /// Missing keys fall back to the embedded default; unknown keys are errors.
    pub fn from_json_str(text: &str, origin: &str) -> Result<Self, ConfigError> {
        let json_err = |e: serde_json::Error| ConfigError::Json {
            origin: origin.to_string(),
            message: e.to_string(),
        };
        // A UTF-8 byte-order mark, as some editors write, is not JSON.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        reject_duplicate_keys(text).map_err(json_err)?;
        let value: serde_json::Value = serde_json::from_str(text).map_err(json_err)?;
        let wrapped = value.get("registry").is_some() && value.get("sources").is_some();
        let payload = if wrapped {
            let wrapper: RawWrapper = serde_json::from_value(value).map_err(json_err)?;
            let key = wrapper.registry.customer_params;
            let mut sources = wrapper.sources;
            match sources.remove(&key) {
                Some(source) => source.payload,
                None => {
                    return Err(ConfigError::Invalid {
                        origin: origin.to_string(),
                        field: "registry.customer_params".into(),
                        message: format!("names {key:?}, which is not a key of sources"),
                    })
                }
            }
        } else {
            value
        };
        // serde would also take a struct from an array of its fields.
        if !payload.is_object() {
            return Err(ConfigError::Json {
                origin: origin.to_string(),
                message: "expected a JSON object with the fields of the baseline".into(),
            });
        }
        // Deserialised with the path of every field, so a type error names
        // it (`PaperlessBilling.Yes: invalid type …`); a bare payload from the
        // text itself, so the error also has its line and column.
        let path_err = |e: serde_path_to_error::Error<serde_json::Error>| {
            let path = e.path().to_string();
            let inner = e.into_inner();
            ConfigError::Json {
                origin: origin.to_string(),
                message: if path == "." {
                    inner.to_string()
                } else {
                    format!("{path}: {inner}")
                },
            }
        };
        let raw: RawBaseline = if wrapped {
            serde_path_to_error::deserialize(payload).map_err(path_err)?
        } else {
            serde_path_to_error::deserialize(&mut serde_json::Deserializer::from_str(text))
                .map_err(path_err)?
        };
        let defaults = if origin == "embedded baseline" {
            None
        } else {
            Some(Self::embedded())
        };
        Validator { origin }.build(raw, defaults)
    }
}

struct Validator<'a> {
    origin: &'a str,
}

impl Validator<'_> {
    fn invalid(&self, field: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            origin: self.origin.to_string(),
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// The validated baseline of `raw`; a field it leaves out comes from
    /// `defaults` (the embedded baseline), or is missing when there are none.
    fn build(&self, raw: RawBaseline, defaults: Option<Baseline>) -> Result<Baseline, ConfigError> {
        // The field of `raw` converted by `$convert`, else the default's.
        macro_rules! pick {
            ($field:ident, $name:literal, $convert:ident) => {
                match raw.$field {
                    Some(value) => self.$convert($name, &value)?,
                    None => match &defaults {
                        Some(d) => d.$field.clone(),
                        None => return Err(self.invalid($name, "missing")),
                    },
                }
            };
        }
        let churn_base_rate = self.churn_base_rate(raw.churn_base_rate, defaults.as_ref())?;
        let raw_churn = raw.churn_model.unwrap_or_default();
        let churn_noise_sd = self.churn_noise_sd(&raw_churn, defaults.as_ref())?;
        let churn_score_ceiling = self.churn_score_ceiling(&raw_churn, defaults.as_ref())?;
        let raw_joint = raw.joint_model.unwrap_or_default();
        let add_ons_need_internet = raw_joint
            .add_ons_need_internet
            .or(defaults.as_ref().map(|d| d.add_ons_need_internet))
            .unwrap_or(false);
        let structure = self.structure(raw_joint, churn_noise_sd)?;
        let raw_traits = raw.latent_traits.unwrap_or_default();
        let traits = self.latent_traits(&raw_traits, defaults.as_ref().map(|d| &d.traits))?;
        let baseline = Baseline {
            churn_base_rate,
            tenure_months: pick!(tenure_months, "tenure_months", binned),
            monthly_charges: pick!(monthly_charges, "monthly_charges", binned),
            internet_service: pick!(internet_service, "InternetService", categorical),
            payment_method: pick!(payment_method, "PaymentMethod", categorical),
            multiple_lines: pick!(multiple_lines, "MultipleLines", categorical),
            contract: pick!(contract, "Contract", categorical),
            paperless_billing: pick!(paperless_billing, "PaperlessBilling", categorical),
            online_security: pick!(online_security, "OnlineSecurity", categorical),
            online_backup: pick!(online_backup, "OnlineBackup", categorical),
            device_protection: pick!(device_protection, "DeviceProtection", categorical),
            streaming_tv: pick!(streaming_tv, "StreamingTV", categorical),
            streaming_movies: pick!(streaming_movies, "StreamingMovies", categorical),
            churn_noise_sd,
            churn_score_ceiling,
            add_ons_need_internet,
            structure,
            traits,
        };
        self.prepare_joint_model(&baseline, defaults.is_none())?;
        Ok(baseline)
    }

    /// `churn_base_rate`: a probability; 0.27 when neither it nor a
    /// default is given.
    fn churn_base_rate(
        &self,
        raw: Option<f64>,
        defaults: Option<&Baseline>,
    ) -> Result<f64, ConfigError> {
        match raw {
            Some(rate) => self.probability("churn_base_rate", rate),
            None => Ok(defaults.map_or(0.27, |d| d.churn_base_rate)),
        }
    }

    /// `churn_model.noise_sd`: a non-negative spread.
    fn churn_noise_sd(
        &self,
        raw: &RawChurnModel,
        defaults: Option<&Baseline>,
    ) -> Result<f64, ConfigError> {
        self.spread(
            "churn_model.noise_sd",
            raw.noise_sd,
            defaults.map(|d| d.churn_noise_sd),
        )
    }

    /// `churn_model.score_ceiling`: a coefficient in [0.2, `CHURN_MAX`].
    fn churn_score_ceiling(
        &self,
        raw: &RawChurnModel,
        defaults: Option<&Baseline>,
    ) -> Result<f64, ConfigError> {
        let ceiling = self.coefficient(
            "churn_model.score_ceiling",
            raw.score_ceiling,
            defaults.map(|d| d.churn_score_ceiling),
        )?;
        if !(0.2..=crate::CHURN_MAX).contains(&ceiling) {
            return Err(self.invalid(
                "churn_model.score_ceiling",
                format!("{ceiling} is not in [0.2, {}]", crate::CHURN_MAX),
            ));
        }
        Ok(ceiling)
    }

    /// The joint structure of the `joint_model` settings, once its prices,
    /// churn effects and segments are checked: the embedded one for the
    /// default settings, else solved (README, *Fidelity*).
    fn structure(
        &self,
        raw: RawJointModel,
        churn_noise_sd: f64,
    ) -> Result<Arc<SourceStructure>, ConfigError> {
        if let Some(prices) = &raw.prices {
            self.prices(prices)?;
        }
        if let Some(effects) = &raw.churn_effects {
            self.churn_effects(effects)?;
        }
        let segments = match &raw.segments {
            Some(rows) => Some(self.segments(rows)?),
            None => None,
        };
        let settings = SolveSettings {
            churn_noise_sd,
            prices: raw.prices,
            churn_effects: raw.churn_effects,
            segments,
        };
        Ok(if settings == default_settings() {
            crate::joint::embedded_structure()
        } else {
            structure_for(&settings)
        })
    }

    /// `latent_traits`: means and slopes are coefficients, noises spreads.
    fn latent_traits(
        &self,
        raw: &RawLatentTraits,
        dt: Option<&LatentTraitParams>,
    ) -> Result<LatentTraitParams, ConfigError> {
        Ok(LatentTraitParams {
            trust_mean: self.coefficient(
                "latent_traits.trust_mean",
                raw.trust_mean,
                dt.map(|t| t.trust_mean),
            )?,
            trust_per_churn: self.coefficient(
                "latent_traits.trust_per_churn",
                raw.trust_per_churn,
                dt.map(|t| t.trust_per_churn),
            )?,
            trust_noise_sd: self.spread(
                "latent_traits.trust_noise_sd",
                raw.trust_noise_sd,
                dt.map(|t| t.trust_noise_sd),
            )?,
            patience_mean: self.coefficient(
                "latent_traits.patience_mean",
                raw.patience_mean,
                dt.map(|t| t.patience_mean),
            )?,
            patience_per_churn: self.coefficient(
                "latent_traits.patience_per_churn",
                raw.patience_per_churn,
                dt.map(|t| t.patience_per_churn),
            )?,
            patience_noise_sd: self.spread(
                "latent_traits.patience_noise_sd",
                raw.patience_noise_sd,
                dt.map(|t| t.patience_noise_sd),
            )?,
        })
    }

    /// The joint model of `baseline`: the embedded baseline installs the
    /// calibration computed offline; any other is calibrated, and refused
    /// when its marginals cannot be reached.
    fn prepare_joint_model(&self, baseline: &Baseline, embedded: bool) -> Result<(), ConfigError> {
        if embedded {
            let calibration = serde_json::from_str(crate::joint::DEFAULT_CALIBRATION)
                .map_err(|e| self.invalid("default_calibration.json", e.to_string()))?;
            JointModel::install(
                baseline,
                JointModel::with_calibration(baseline, calibration),
            );
        } else if let Err(u) = JointModel::for_baseline(baseline) {
            return Err(self.invalid(&u.field, u.message));
        }
        Ok(())
    }

    fn prices(&self, prices: &Prices) -> Result<(), ConfigError> {
        let fields = [
            ("phone", prices.phone),
            ("multiple_lines", prices.multiple_lines),
            ("DSL", prices.dsl),
            ("Fiber optic", prices.fiber_optic),
            ("add_on", prices.add_on),
            ("streaming", prices.streaming),
        ];
        for (name, value) in fields {
            if !(value.is_finite() && (0.0..=MAX_MONTHLY_CHARGES).contains(&value)) {
                return Err(self.invalid(
                    &format!("joint_model.prices.{name}"),
                    format!("{value} is not a price in [0, {MAX_MONTHLY_CHARGES}]"),
                ));
            }
        }
        Ok(())
    }

    /// A replacement segment table: every Contract × InternetService ×
    /// PaymentMethod cell once, with counts, rates and means in range.
    fn segments(&self, rows: &[RawSegment]) -> Result<Vec<SegmentStats>, ConfigError> {
        let mut out: Vec<SegmentStats> = Vec::with_capacity(rows.len());
        for (k, r) in rows.iter().enumerate() {
            let field = |name: &str| format!("joint_model.segments[{k}].{name}");
            let category = |name: &str, value: &str, err: String| {
                self.invalid(&field(name), format!("unknown category {value:?} ({err})"))
            };
            let contract: Contract =
                r.contract
                    .parse()
                    .map_err(|e: novawireless_model::UnknownVariant| {
                        category("Contract", &r.contract, e.to_string())
                    })?;
            let internet: InternetService =
                r.internet
                    .parse()
                    .map_err(|e: novawireless_model::UnknownVariant| {
                        category("InternetService", &r.internet, e.to_string())
                    })?;
            let payment: PaymentMethod =
                r.payment
                    .parse()
                    .map_err(|e: novawireless_model::UnknownVariant| {
                        category("PaymentMethod", &r.payment, e.to_string())
                    })?;
            let ranges = [
                ("customer_count", r.customer_count, 1e-9, 1e12),
                ("churn_rate", r.churn_rate, 0.0, 1.0),
                ("tenure_mean", r.tenure_mean, 0.0, 72.0),
                (
                    "monthly_charges_mean",
                    r.monthly_charges_mean,
                    0.0,
                    MAX_MONTHLY_CHARGES,
                ),
                ("paperless_share", r.paperless_share, 0.0, 1.0),
                ("phone_service_share", r.phone_service_share, 0.0, 1.0),
                (
                    "multiple_lines_share",
                    r.multiple_lines_share,
                    0.0,
                    r.phone_service_share,
                ),
                ("addon_count_mean", r.addon_count_mean, 0.0, 5.0),
            ];
            for (name, value, low, high) in ranges {
                if !(value.is_finite() && (low..=high).contains(&value)) {
                    return Err(
                        self.invalid(&field(name), format!("{value} is outside [{low}, {high}]"))
                    );
                }
            }
            if out
                .iter()
                .any(|s| s.contract == contract && s.internet == internet && s.payment == payment)
            {
                return Err(self.invalid(
                    &format!("joint_model.segments[{k}]"),
                    format!("{contract} / {internet} / {payment} appears twice"),
                ));
            }
            out.push(SegmentStats {
                contract,
                internet,
                payment,
                customer_count: r.customer_count,
                churn_rate: r.churn_rate,
                tenure_mean: r.tenure_mean,
                charges_mean: r.monthly_charges_mean,
                paperless_share: r.paperless_share,
                phone_share: r.phone_service_share,
                multiple_lines_share: r.multiple_lines_share,
                addon_count_mean: r.addon_count_mean,
            });
        }
        if out.len() != 36 {
            return Err(self.invalid(
                "joint_model.segments",
                format!(
                    "{} segments: every one of the 36 cells is needed",
                    out.len()
                ),
            ));
        }
        Ok(out)
    }

    fn churn_effects(&self, e: &ChurnEffects) -> Result<(), ConfigError> {
        let mut fields = vec![
            ("PaperlessBilling".to_string(), e.paperless_billing),
            ("MultipleLines".to_string(), e.multiple_lines),
            ("no_phone_service".to_string(), e.no_phone_service),
        ];
        for (k, v) in e.add_ons.iter().enumerate() {
            fields.push((format!("add_ons[{k}]"), *v));
        }
        for (name, value) in fields {
            if !(value.is_finite() && value.abs() <= 20.0) {
                return Err(self.invalid(
                    &format!("joint_model.churn_effects.{name}"),
                    format!("{value} is not a log-odds effect in [-20, 20]"),
                ));
            }
        }
        Ok(())
    }

    fn probability(&self, field: &str, value: f64) -> Result<f64, ConfigError> {
        if value.is_finite() && (0.0..=1.0).contains(&value) {
            Ok(value)
        } else {
            Err(self.invalid(field, format!("{value} is not a probability in [0, 1]")))
        }
    }

    fn coefficient(
        &self,
        field: &str,
        value: Option<f64>,
        default: Option<f64>,
    ) -> Result<f64, ConfigError> {
        match value.or(default) {
            Some(v) => self.bounded(field, v),
            None => Err(self.invalid(field, "missing")),
        }
    }

    fn bounded(&self, field: &str, v: f64) -> Result<f64, ConfigError> {
        if v.is_finite() && v.abs() <= MAX_COEFFICIENT {
            Ok(v)
        } else {
            Err(self.invalid(
                field,
                format!(
                    "{v} is not a finite number in [-{MAX_COEFFICIENT:e}, {MAX_COEFFICIENT:e}]"
                ),
            ))
        }
    }

    /// Weights must also have a finite sum, or normalising them divides
    /// every weight by infinity.
    fn finite_sum(&self, field: &str, weights: &[f64]) -> Result<(), ConfigError> {
        let total: f64 = weights.iter().sum();
        if weights.iter().all(|w| w.is_finite()) && !total.is_finite() {
            return Err(self.invalid(
                field,
                format!("the weights sum to {total}: they must have a finite sum"),
            ));
        }
        Ok(())
    }

    fn spread(
        &self,
        field: &str,
        value: Option<f64>,
        default: Option<f64>,
    ) -> Result<f64, ConfigError> {
        let v = self.coefficient(field, value, default)?;
        if v < 0.0 {
            return Err(self.invalid(field, format!("{v} is negative")));
        }
        Ok(v)
    }

    fn categorical<T: Keyed>(
        &self,
        field: &str,
        raw: &RawCategorical,
    ) -> Result<Categorical<T>, ConfigError> {
        let mut weights = vec![0.0; T::KEYS.len()];
        for (key, &weight) in raw {
            let position = T::position(key).ok_or_else(|| {
                self.invalid(
                    field,
                    format!(
                        "unknown category {key:?} (expected one of {})",
                        T::KEYS.join(", ")
                    ),
                )
            })?;
            weights[position] = weight;
        }
        self.finite_sum(field, &weights)?;
        Categorical::new(T::VALUES.to_vec(), &weights)
            .map_err(|message| self.invalid(field, message))
    }

    fn binned(&self, field: &str, raw: &RawBinned) -> Result<BinnedUniform, ConfigError> {
        if raw.bins.len() != raw.probs.len() {
            return Err(self.invalid(
                field,
                format!("{} bins but {} probs", raw.bins.len(), raw.probs.len()),
            ));
        }
        let mut bins = Vec::with_capacity(raw.bins.len());
        for (i, bin) in raw.bins.iter().enumerate() {
            match bin.as_slice() {
                // A finite width too: a value is drawn as low + width · u.
                [low, high] if low <= high && (high - low).is_finite() => bins.push((*low, *high)),
                _ => {
                    return Err(self.invalid(
                        &format!("{field}.bins[{i}]"),
                        format!("{bin:?} is not [low, high] with low <= high (and finite)"),
                    ))
                }
            }
        }
        let (floor, ceiling) = match field {
            "tenure_months" => (0.0, MAX_TENURE_MONTHS),
            _ => (0.0, MAX_MONTHLY_CHARGES),
        };
        for (name, value) in [("min", raw.min), ("max", raw.max)] {
            if !(floor..=ceiling).contains(&value) {
                return Err(self.invalid(
                    &format!("{field}.{name}"),
                    format!("{value} is outside [{floor}, {ceiling}]"),
                ));
            }
        }
        let (unit, name) = match field {
            "tenure_months" => (1.0, "whole month"),
            _ => (100.0, "whole cent"),
        };
        if raw.min <= raw.max && (raw.min * unit).ceil() > (raw.max * unit).floor() {
            return Err(self.invalid(
                field,
                format!("no {name} lies in [{}, {}]", raw.min, raw.max),
            ));
        }
        self.finite_sum(field, &raw.probs)?;
        BinnedUniform::new(raw.min, raw.max, bins, &raw.probs)
            .map_err(|message| self.invalid(field, message))
    }
}

/// Enums whose CSV spellings are the keys of a categorical in the config.
trait Keyed: Copy + FromStr + 'static {
    const VALUES: &'static [Self];
    const KEYS: &'static [&'static str];

    fn position(key: &str) -> Option<usize> {
        Self::KEYS.iter().position(|k| *k == key)
    }
}

macro_rules! keyed {
    ($t:ty, [$($v:expr),+]) => {
        impl Keyed for $t {
            const VALUES: &'static [Self] = &[$($v),+];
            const KEYS: &'static [&'static str] = &[$($v.as_str()),+];
        }
    };
}

keyed!(
    InternetService,
    [
        InternetService::No,
        InternetService::Dsl,
        InternetService::FiberOptic
    ]
);
keyed!(
    PaymentMethod,
    [
        PaymentMethod::ElectronicCheck,
        PaymentMethod::MailedCheck,
        PaymentMethod::BankTransfer,
        PaymentMethod::CreditCard
    ]
);
keyed!(
    MultipleLines,
    [
        MultipleLines::No,
        MultipleLines::Yes,
        MultipleLines::NoPhoneService
    ]
);
keyed!(
    Contract,
    [Contract::MonthToMonth, Contract::OneYear, Contract::TwoYear]
);
keyed!(YesNo, [YesNo::Yes, YesNo::No]);
