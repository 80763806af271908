//! Typed identifiers that print exactly as the CSV files spell them.
//!
//! Sequential ids hold their 1-based number; `from_index` takes the 0-based
//! position (customer index, global line index, …) the generator works with.

use std::fmt;
use std::str::FromStr;

/// A text that is not a well-formed identifier of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{value:?} is not a valid {kind} (expected {expected})")]
pub struct IdError {
    /// The kind of identifier, e.g. `customer id`.
    pub kind: &'static str,
    /// What a valid one looks like.
    pub expected: &'static str,
    /// The text that was refused.
    pub value: String,
}

fn parse_digits(s: &str, min_width: usize, max_width: usize) -> Option<u64> {
    if s.len() < min_width || s.len() > max_width || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

macro_rules! sequential_id {
    ($(#[$meta:meta])* $name:ident, $prefix:literal, $width:literal, $kind:literal, $expected:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(u64);

        impl $name {
            /// The id of the item at 0-based position `index`.
            pub const fn from_index(index: u64) -> Self {
                $name(index + 1)
            }

            /// The 0-based position of this item.
            pub const fn index(self) -> u64 {
                self.0 - 1
            }

            /// The 1-based number printed in the id.
            pub const fn number(self) -> u64 {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!($prefix, "{:0", $width, "}"), self.0)
            }
        }

        impl FromStr for $name {
            type Err = IdError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.strip_prefix($prefix)
                    .and_then(|digits| parse_digits(digits, $width, 19))
                    .filter(|&n| n > 0)
                    .map($name)
                    .ok_or_else(|| IdError { kind: $kind, expected: $expected, value: s.to_string() })
            }
        }
    };
}

sequential_id!(
    /// `C0000001`: a customer (7 digits, wider when the base needs it).
    CustomerId, "C", 7, "customer id", "C and at least 7 digits"
);
sequential_id!(
    /// `A0000001`: the account of the customer with the same number.
    AccountId, "A", 7, "account id", "A and at least 7 digits"
);
sequential_id!(
    /// `LINE-000000001`: a line, numbered in customer order.
    LineId, "LINE-", 9, "line id", "LINE- and at least 9 digits"
);
sequential_id!(
    /// `DEV-000000001`: a device of the inventory.
    DeviceId, "DEV-", 9, "device id", "DEV- and at least 9 digits"
);

impl CustomerId {
    /// The account that belongs to this customer (one account per customer).
    pub const fn account(self) -> AccountId {
        AccountId(self.0)
    }
}

/// `EIP-` and 10 digits: an Equipment Installment Plan agreement number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgreementNumber(u64);

impl AgreementNumber {
    /// The largest 10-digit number.
    pub const MAX: u64 = 9_999_999_999;

    /// An agreement number from its 10-digit value; `None` above [`Self::MAX`].
    pub const fn new(value: u64) -> Option<Self> {
        if value <= Self::MAX {
            Some(AgreementNumber(value))
        } else {
            None
        }
    }

    /// The 10-digit value.
    pub const fn value(self) -> u64 {
        self.0
    }
}

impl fmt::Display for AgreementNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EIP-{:010}", self.0)
    }
}

impl FromStr for AgreementNumber {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.strip_prefix("EIP-")
            .and_then(|digits| parse_digits(digits, 10, 10))
            .map(AgreementNumber)
            .ok_or_else(|| IdError {
                kind: "agreement number",
                expected: "EIP- and 10 digits",
                value: s.to_string(),
            })
    }
}

/// A 10-digit North American number NPA-NXX-XXXX, printed without separators.
///
/// NPA and NXX both lie in 200–998, so the number never starts with 0 or 1
/// and survives being read as an integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Msisdn(u64);

impl Msisdn {
    /// How many valid numbers there are: 799 × 799 × 10,000.
    pub const SPACE: u64 = 799 * 799 * 10_000;

    /// The `k`-th valid number (0-based, `k < SPACE`), in NPA, NXX, XXXX order.
    pub const fn from_ordinal(k: u64) -> Option<Self> {
        if k >= Self::SPACE {
            return None;
        }
        let subscriber = k % 10_000;
        let nxx = 200 + (k / 10_000) % 799;
        let npa = 200 + k / (10_000 * 799);
        Some(Msisdn(npa * 10_000_000 + nxx * 10_000 + subscriber))
    }

    /// The number as a 10-digit integer.
    pub const fn value(self) -> u64 {
        self.0
    }

    const fn is_valid(value: u64) -> bool {
        let npa = value / 10_000_000;
        let nxx = (value / 10_000) % 1000;
        npa >= 200 && npa <= 998 && nxx >= 200 && nxx <= 998
    }
}

impl fmt::Display for Msisdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

impl FromStr for Msisdn {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_digits(s, 10, 10)
            .filter(|&v| Msisdn::is_valid(v))
            .map(Msisdn)
            .ok_or_else(|| IdError {
                kind: "MSISDN",
                expected: "10 digits NPA-NXX-XXXX with NPA and NXX in 200-998",
                value: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_print_with_their_widths() {
        assert_eq!(CustomerId::from_index(0).to_string(), "C0000001");
        assert_eq!(CustomerId::from_index(0).account().to_string(), "A0000001");
        assert_eq!(CustomerId::from_index(12_345_677).to_string(), "C12345678");
        assert_eq!(LineId::from_index(0).to_string(), "LINE-000000001");
        assert_eq!(DeviceId::from_index(99).to_string(), "DEV-000000100");
        assert_eq!(
            AgreementNumber::new(42).unwrap().to_string(),
            "EIP-0000000042"
        );
        assert!(AgreementNumber::new(10_000_000_000).is_none());
    }

    #[test]
    fn ids_parse_back() {
        let c: CustomerId = "C0000123".parse().unwrap();
        assert_eq!(c.index(), 122);
        assert!("C123".parse::<CustomerId>().is_err());
        assert!("C0000000".parse::<CustomerId>().is_err());
        assert!("X0000001".parse::<CustomerId>().is_err());
        let l: LineId = "LINE-000000007".parse().unwrap();
        assert_eq!(l.index(), 6);
        let a: AgreementNumber = "EIP-0123456789".parse().unwrap();
        assert_eq!(a.value(), 123_456_789);
        assert!("EIP-123".parse::<AgreementNumber>().is_err());
    }

    #[test]
    fn msisdn_ordinals_cover_valid_numbers_only() {
        assert_eq!(Msisdn::from_ordinal(0).unwrap().to_string(), "2002000000");
        let last = Msisdn::from_ordinal(Msisdn::SPACE - 1).unwrap();
        assert_eq!(last.to_string(), "9989989999");
        assert!(Msisdn::from_ordinal(Msisdn::SPACE).is_none());
        assert!("2002000000".parse::<Msisdn>().is_ok());
        assert!("1992000000".parse::<Msisdn>().is_err());
        assert!("2009990000".parse::<Msisdn>().is_err());
        assert!("200200000".parse::<Msisdn>().is_err());
    }
}
