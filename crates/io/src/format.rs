//! Field formatting for CSV rows, into a reused byte buffer.
//!
//! Numbers are printed from integers: money as cents, scores as millionths,
//! so no float is ever printed with an exponent or a stray digit.

use novawireless_model as model;

/// Appends an integer.
pub fn int(out: &mut Vec<u8>, value: impl itoa::Integer) {
    let mut buffer = itoa::Buffer::new();
    out.extend_from_slice(buffer.format(value).as_bytes());
}

/// Appends a 0/1 flag.
pub fn flag(out: &mut Vec<u8>, value: bool) {
    out.push(if value { b'1' } else { b'0' });
}

/// Appends `value` rounded to `decimals` (≤ 9) places, trailing zeros
/// trimmed but one decimal kept (`45.0`, `45.2`, `45.23`), as pandas writes
/// floats.
pub fn decimal(out: &mut Vec<u8>, value: f64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    let scaled = (value * scale as f64).round();
    if !scaled.is_finite() {
        out.extend_from_slice(b"nan");
        return;
    }
    let negative = scaled < 0.0;
    let magnitude = scaled.abs() as u64;
    if negative && magnitude != 0 {
        out.push(b'-');
    }
    int(out, magnitude / scale);
    out.push(b'.');
    let mut fraction = magnitude % scale;
    let mut width = decimals;
    while width > 1 && fraction.is_multiple_of(10) {
        fraction /= 10;
        width -= 1;
    }
    let mut digits = [b'0'; 9];
    for slot in digits[..width as usize].iter_mut().rev() {
        *slot = b'0' + (fraction % 10) as u8;
        fraction /= 10;
    }
    out.extend_from_slice(&digits[..width as usize]);
}

/// Appends money: two decimals at most.
pub fn money(out: &mut Vec<u8>, value: f64) {
    decimal(out, value, 2);
}

/// Appends a score: six decimals at most.
pub fn score(out: &mut Vec<u8>, value: f64) {
    decimal(out, value, 6);
}

/// Appends text, quoted per RFC 4180 when it holds a comma, quote or line end.
pub fn text(out: &mut Vec<u8>, value: &str) {
    if value
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push(b'"');
        for b in value.bytes() {
            if b == b'"' {
                out.push(b'"');
            }
            out.push(b);
        }
        out.push(b'"');
    } else {
        out.extend_from_slice(value.as_bytes());
    }
}

/// A value spelled as text: ids, IMEIs, MSISDNs, dates and enums, whose
/// spelling never needs quoting, and free text (`&str`), quoted in CSV
/// where it must be. Written without `core::fmt`, which is the slowest part
/// of row formatting otherwise.
pub trait Field {
    /// Appends the value's text.
    fn put(&self, out: &mut Vec<u8>);

    /// Appends the value as a CSV cell: its text, quoted where RFC 4180
    /// needs it (only free text can need it).
    fn csv(&self, out: &mut Vec<u8>) {
        self.put(out);
    }
}

impl Field for &str {
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.as_bytes());
    }

    fn csv(&self, out: &mut Vec<u8>) {
        text(out, self);
    }
}

/// Appends `prefix` and `value` zero-padded to at least `width` digits.
pub fn padded(out: &mut Vec<u8>, prefix: &[u8], value: u64, width: usize) {
    out.extend_from_slice(prefix);
    let mut buffer = itoa::Buffer::new();
    let digits = buffer.format(value).as_bytes();
    out.extend(std::iter::repeat_n(
        b'0',
        width.saturating_sub(digits.len()),
    ));
    out.extend_from_slice(digits);
}

macro_rules! numbered_field {
    ($($t:ty => $prefix:literal, $width:literal, $get:ident;)+) => {
        $(impl Field for $t {
            fn put(&self, out: &mut Vec<u8>) {
                padded(out, $prefix, self.$get(), $width);
            }
        })+
    };
}

numbered_field! {
    model::CustomerId => b"C", 7, number;
    model::AccountId => b"A", 7, number;
    model::LineId => b"LINE-", 9, number;
    model::DeviceId => b"DEV-", 9, number;
    model::AgreementNumber => b"EIP-", 10, value;
    model::Msisdn => b"", 10, value;
    model::Imei => b"", 15, value;
    model::DefectId => b"DEF-", 10, number;
}

macro_rules! spelled_field {
    ($($t:ty),+) => {
        $(impl Field for $t {
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(self.as_str().as_bytes());
            }
        })+
    };
}

spelled_field!(
    model::YesNo,
    model::PaymentMethod,
    model::Contract,
    model::ProductType,
    model::LineStatus,
    model::EipStatus,
    model::DeviceCategory,
    model::DefectType
);

impl Field for model::SnapshotDate {
    fn put(&self, out: &mut Vec<u8>) {
        padded(out, b"", u64::from(self.year()), 4);
        padded(out, b"-", u64::from(self.month()), 2);
        padded(out, b"-", u64::from(self.day()), 2);
    }
}

impl Field for model::BillingAgreementType {
    fn put(&self, out: &mut Vec<u8>) {
        match self {
            model::BillingAgreementType::MonthToMonth => out.extend_from_slice(b"Month-to-month"),
            model::BillingAgreementType::Eip(months) => {
                out.extend_from_slice(b"EIP-");
                int(out, *months);
                out.extend_from_slice(b"mo");
            }
        }
    }
}

impl Field for u32 {
    fn put(&self, out: &mut Vec<u8>) {
        int(out, *self);
    }
}

/// Appends a field.
pub fn put(out: &mut Vec<u8>, value: impl Field) {
    value.put(out);
}

/// Appends an optional field; `None` is the empty string.
pub fn put_optional(out: &mut Vec<u8>, value: Option<impl Field>) {
    if let Some(v) = value {
        v.put(out);
    }
}

/// Appends anything `Display` whose text needs no quoting (ids, IMEIs, enums).
pub fn display(out: &mut Vec<u8>, value: impl std::fmt::Display) {
    use std::io::Write;
    // Writing into a Vec cannot fail.
    let _ = write!(out, "{value}");
}

/// Appends an optional `Display` value; `None` is the empty string.
pub fn optional(out: &mut Vec<u8>, value: Option<impl std::fmt::Display>) {
    if let Some(v) = value {
        display(out, v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(f: impl Fn(&mut Vec<u8>)) -> String {
        let mut out = Vec::new();
        f(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn decimals_print_like_pandas() {
        assert_eq!(show(|o| money(o, 45.0)), "45.0");
        assert_eq!(show(|o| money(o, 45.2)), "45.2");
        assert_eq!(show(|o| money(o, 45.23)), "45.23");
        assert_eq!(show(|o| money(o, 0.07)), "0.07");
        assert_eq!(show(|o| money(o, 119.999)), "120.0");
        assert_eq!(show(|o| score(o, 0.123456)), "0.123456");
        assert_eq!(show(|o| score(o, 0.27)), "0.27");
        assert_eq!(show(|o| score(o, 0.000001)), "0.000001");
        assert_eq!(show(|o| score(o, 71.5)), "71.5");
        assert_eq!(show(|o| score(o, -0.5)), "-0.5");
        assert_eq!(show(|o| score(o, 0.95)), "0.95");
    }

    #[test]
    fn text_is_quoted_only_when_needed() {
        assert_eq!(
            show(|o| text(o, "Bank transfer (automatic)")),
            "Bank transfer (automatic)"
        );
        assert_eq!(show(|o| text(o, "a,b")), "\"a,b\"");
        assert_eq!(show(|o| text(o, "say \"hi\"")), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn fields_print_as_their_display() {
        use novawireless_model::*;
        let imei = Imei::from_body(1_234_567_890).unwrap();
        assert_eq!(show(|o| put(o, imei)), imei.to_string());
        assert_eq!(show(|o| put(o, CustomerId::from_index(41))), "C0000042");
        assert_eq!(
            show(|o| put(o, CustomerId::from_index(12_345_677))),
            "C12345678"
        );
        assert_eq!(show(|o| put(o, LineId::from_index(0))), "LINE-000000001");
        assert_eq!(
            show(|o| put(o, AgreementNumber::new(7).unwrap())),
            "EIP-0000000007"
        );
        assert_eq!(
            show(|o| put(o, Msisdn::from_ordinal(0).unwrap())),
            "2002000000"
        );
        assert_eq!(show(|o| put(o, BillingAgreementType::Eip(24))), "EIP-24mo");
        let defect = DefectId::of(LineId::from_index(1), DefectType::ImeiMismatchSwap);
        assert_eq!(show(|o| put(o, defect)), "DEF-0000000023");
        assert_eq!(show(|o| put(o, defect)), defect.to_string());
        let date: SnapshotDate = "0987-03-04".parse().unwrap();
        assert_eq!(show(|o| put(o, date)), "0987-03-04");
        assert_eq!(
            show(|o| put(o, PaymentMethod::BankTransfer)),
            "Bank transfer (automatic)"
        );
    }

    proptest::proptest! {
        #[test]
        fn decimal_round_trips_through_parsing(cents in 0i64..100_000_000) {
            let value = cents as f64 / 100.0;
            let printed = show(|o| money(o, value));
            let parsed: f64 = printed.parse().unwrap();
            proptest::prop_assert_eq!(parsed, value);
            proptest::prop_assert!(!printed.contains('e'));
        }
    }
}
