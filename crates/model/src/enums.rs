//! Categorical values with their exact CSV spellings.

use crate::UnknownVariant;
use std::fmt;
use std::str::FromStr;

macro_rules! spelled_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $kind:literal { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("Spelled `", $text, "`.")] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order (the order used for sampling).
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The exact spelling used in the CSV files.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownVariant;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownVariant { kind: $kind, value: s.to_string() }),
                }
            }
        }
    };
}

spelled_enum! {
    /// A Yes/No answer as the customer tables spell it.
    YesNo, "yes/no value" { Yes => "Yes", No => "No" }
}

impl YesNo {
    /// `Yes` for `true`.
    pub const fn from_bool(value: bool) -> Self {
        if value {
            YesNo::Yes
        } else {
            YesNo::No
        }
    }

    /// `true` for `Yes`.
    pub const fn is_yes(self) -> bool {
        matches!(self, YesNo::Yes)
    }
}

spelled_enum! {
    /// How a customer pays the monthly bill.
    PaymentMethod, "payment method" {
        /// The highest-risk method in the churn model.
        ElectronicCheck => "Electronic check",
        MailedCheck => "Mailed check",
        BankTransfer => "Bank transfer (automatic)",
        CreditCard => "Credit card (automatic)",
    }
}

spelled_enum! {
    /// The contract of the IBM Telco source data, kept only as the internal
    /// `contract_proxy` column (NovaWireless sells no service contracts).
    Contract, "contract" {
        MonthToMonth => "Month-to-month",
        OneYear => "One year",
        TwoYear => "Two year",
    }
}

spelled_enum! {
    /// The raw internet service drawn from the baseline. Anything but `No`
    /// becomes 5G Home Internet; the raw value still drives the churn model.
    InternetService, "internet service" {
        No => "No",
        Dsl => "DSL",
        FiberOptic => "Fiber optic",
    }
}

impl InternetService {
    /// Whether this raw service becomes a 5G Home Internet line.
    pub const fn is_5g_home_internet(self) -> bool {
        !matches!(self, InternetService::No)
    }

    /// The `internet_service` column: `5G Home Internet` or `No`.
    pub const fn customer_spelling(self) -> &'static str {
        if self.is_5g_home_internet() {
            "5G Home Internet"
        } else {
            "No"
        }
    }
}

spelled_enum! {
    /// The raw MultipleLines answer that decides the number of voice lines.
    MultipleLines, "multiple lines value" {
        No => "No",
        Yes => "Yes",
        NoPhoneService => "No phone service",
    }
}

spelled_enum! {
    /// The kind of a line.
    ProductType, "product type" {
        /// A voice line, holding a handset.
        Voice => "voice",
        /// A 5G Home Internet line, holding a company-owned gateway.
        HomeInternet5g => "5g_home_internet",
    }
}

impl ProductType {
    /// The device category a line of this kind holds.
    pub const fn device_category(self) -> DeviceCategory {
        match self {
            ProductType::Voice => DeviceCategory::Handset,
            ProductType::HomeInternet5g => DeviceCategory::Gateway5gHsi,
        }
    }
}

spelled_enum! {
    /// The status of a line.
    LineStatus, "line status" { Active => "active", Suspended => "suspended" }
}

spelled_enum! {
    /// The status of an EIP agreement.
    EipStatus, "EIP status" { Active => "active", Closed => "closed" }
}

spelled_enum! {
    /// The category of a device in the inventory.
    DeviceCategory, "device category" {
        Handset => "handset",
        Gateway5gHsi => "gateway_5g_hsi",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_round_trip() {
        for p in PaymentMethod::ALL {
            assert_eq!(p.as_str().parse::<PaymentMethod>(), Ok(*p));
        }
        assert_eq!(ProductType::HomeInternet5g.to_string(), "5g_home_internet");
        assert_eq!(DeviceCategory::Gateway5gHsi.to_string(), "gateway_5g_hsi");
        assert_eq!(InternetService::Dsl.customer_spelling(), "5G Home Internet");
        assert_eq!(InternetService::No.customer_spelling(), "No");
        let err = "Bitcoin".parse::<PaymentMethod>().unwrap_err();
        assert_eq!(err.to_string(), "unknown payment method \"Bitcoin\"");
    }
}
