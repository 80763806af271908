//! IMEIs: 15 digits whose last digit is the Luhn check digit.

use std::fmt;
use std::str::FromStr;

/// Why a text is not a valid IMEI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImeiError {
    /// Not exactly 15 ASCII digits.
    #[error("IMEI {0:?} is not 15 digits")]
    NotFifteenDigits(String),
    /// 15 digits, but the last one is not the Luhn check digit of the first 14.
    #[error("IMEI {0:?} fails the Luhn check")]
    BadCheckDigit(String),
}

/// The Luhn check digit of a 14-digit IMEI body.
///
/// Counting from the right of the body, every digit in an odd position
/// (the rightmost first) is doubled, as the check digit will sit to its right.
pub const fn luhn_check_digit(body: u64) -> u8 {
    let mut rest = body;
    let mut sum = 0;
    let mut double = true;
    let mut i = 0;
    while i < 14 {
        let mut d = rest % 10;
        rest /= 10;
        if double {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
        double = !double;
        i += 1;
    }
    ((10 - sum % 10) % 10) as u8
}

/// A 15-digit IMEI with a valid Luhn check digit. No other value can exist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Imei(u64);

impl Imei {
    /// The IMEI whose first 14 digits are `body` (`body < 10^14`), with its
    /// check digit appended.
    pub const fn from_body(body: u64) -> Option<Self> {
        if body >= 100_000_000_000_000 {
            return None;
        }
        Some(Imei(body * 10 + luhn_check_digit(body) as u64))
    }

    /// The first 14 digits (TAC and serial number).
    pub const fn body(self) -> u64 {
        self.0 / 10
    }

    /// The IMEI as a 15-digit integer.
    pub const fn value(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Imei {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:015}", self.0)
    }
}

impl FromStr for Imei {
    type Err = ImeiError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.len() != 15 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ImeiError::NotFifteenDigits(s.to_string()));
        }
        let value: u64 = s
            .parse()
            .map_err(|_| ImeiError::NotFifteenDigits(s.to_string()))?;
        match Imei::from_body(value / 10) {
            Some(imei) if imei.0 == value => Ok(imei),
            _ => Err(ImeiError::BadCheckDigit(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_valid_imei() {
        assert_eq!(luhn_check_digit(49_015_420_323_751), 8);
        let imei: Imei = "490154203237518".parse().unwrap();
        assert_eq!(imei.body(), 49_015_420_323_751);
        assert_eq!(Imei::from_body(49_015_420_323_751), Some(imei));
    }

    #[test]
    fn refuses_bad_text() {
        assert!(matches!(
            "49015420323751".parse::<Imei>(),
            Err(ImeiError::NotFifteenDigits(_))
        ));
        assert!(matches!(
            "49015420323751x".parse::<Imei>(),
            Err(ImeiError::NotFifteenDigits(_))
        ));
        assert!(matches!(
            "+49015420323751".parse::<Imei>(),
            Err(ImeiError::NotFifteenDigits(_))
        ));
        assert!(matches!(
            "490154203237517".parse::<Imei>(),
            Err(ImeiError::BadCheckDigit(_))
        ));
        assert!(matches!(
            "4.0012275721353e14".parse::<Imei>(),
            Err(ImeiError::NotFifteenDigits(_))
        ));
    }

    /// The textbook Luhn validation over all 15 digits, written independently.
    fn luhn_valid(digits: &str) -> bool {
        let sum: u32 = digits
            .bytes()
            .rev()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0');
                if i % 2 == 1 {
                    let x = d * 2;
                    if x > 9 {
                        x - 9
                    } else {
                        x
                    }
                } else {
                    d
                }
            })
            .sum();
        sum.is_multiple_of(10)
    }

    proptest! {
        #[test]
        fn every_imei_is_fifteen_luhn_valid_digits(body in 0u64..100_000_000_000_000) {
            let imei = Imei::from_body(body).unwrap();
            let text = imei.to_string();
            prop_assert_eq!(text.len(), 15);
            prop_assert!(luhn_valid(&text));
            prop_assert_eq!(text.parse::<Imei>(), Ok(imei));
        }

        #[test]
        fn a_changed_digit_fails_the_check(body in 0u64..100_000_000_000_000, delta in 1u64..10) {
            let imei = Imei::from_body(body).unwrap();
            let wrong = imei.body() * 10 + (imei.value() % 10 + delta) % 10;
            let text = format!("{:015}", wrong);
            prop_assert!(text.parse::<Imei>().is_err());
        }
    }
}
