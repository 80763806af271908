//! The NovaWireless domain model.
//!
//! Plain row structs for every table the pipeline writes, typed identifiers
//! that format exactly as the CSV files spell them, a Luhn-checked [`Imei`],
//! and the categorical enums with their CSV spellings. This crate does no
//! I/O and depends on nothing heavier than `thiserror`, so anyone can embed it.
//!
//! ```
//! use novawireless_model::{CustomerId, Imei, LineId};
//!
//! assert_eq!(CustomerId::from_index(0).to_string(), "C0000001");
//! assert_eq!(LineId::from_index(41).to_string(), "LINE-000000042");
//! let imei: Imei = "490154203237518".parse().unwrap();
//! assert_eq!(imei.to_string(), "490154203237518");
//! assert!("490154203237519".parse::<Imei>().is_err());
//! ```
#![forbid(unsafe_code)]

mod defect;
mod devices;
mod enums;
mod ids;
mod imei;
mod ledger;
mod rows;

pub use defect::{Defect, DefectCounts, DefectId, DefectType};
pub use devices::{
    model_of_tac, models_of, DeviceModel, DEVICE_MODELS, SERIALS_PER_TAC, TACS_PER_MODEL,
};
pub use enums::{
    Contract, DeviceCategory, EipStatus, InternetService, LineStatus, MultipleLines, PaymentMethod,
    ProductType, YesNo,
};
pub use ids::{AccountId, AgreementNumber, CustomerId, DeviceId, IdError, LineId, Msisdn};
pub use imei::{luhn_check_digit, Imei, ImeiError};
pub use ledger::{BillingAgreementType, LedgerFlags, LedgerRow};
pub use rows::{Customer, DateError, Device, EipAgreement, Line, SnapshotDate, UsageSnapshot};

/// An error for a text that is not one of an enum's CSV spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {value:?}")]
pub struct UnknownVariant {
    /// What was being parsed, e.g. `payment method`.
    pub kind: &'static str,
    /// The text that matched no spelling.
    pub value: String,
}
