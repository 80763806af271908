//! The last step of every Parquet file: the column orders of its footer.
//!
//! The `parquet` crate records an `IEEE_754_TOTAL_ORDER` column order for
//! every float column. Readers that predate that order (pyarrow among
//! them) then ignore the column's statistics altogether, as the format
//! tells them to for an order they do not know: `has_min_max` is false on
//! the money and score columns. This module rewrites those entries as
//! `TYPE_ORDER`, the order every reader knows. For these columns the two
//! orders agree: their values are never NaN and never negative zero (money
//! and scores are finite and at least 0), so the recorded minimum and
//! maximum are the same under either.
//!
//! The footer is Thrift's compact encoding of `FileMetaData`; its seventh
//! field lists one `ColumnOrder` union per leaf column, three bytes each:
//! the field header (`0x1C` for `TYPE_ORDER`, field 1; `0x2C` for
//! `IEEE_754_TOTAL_ORDER`, field 2; both an empty struct), the empty
//! struct's stop byte and the union's. The rewrite changes one byte per
//! float column and never the footer's length, so the offsets the file
//! records elsewhere stay right.
//!
//! [`FooterTail`] holds back what the writer writes after the last row
//! group (page indexes and footer) so that the footer can be rewritten
//! before it reaches the file.

use parquet::errors::ParquetError;
use std::io::Write;

/// Field id of `column_orders` in `FileMetaData`.
const COLUMN_ORDERS: i16 = 7;
/// A `ColumnOrder` holding `TYPE_ORDER` (field 1, an empty struct).
const TYPE_ORDER: u8 = 0x1C;
/// A `ColumnOrder` holding `IEEE_754_TOTAL_ORDER` (field 2, an empty struct).
const IEEE_754_TOTAL_ORDER: u8 = 0x2C;

/// Compact-protocol type codes.
mod code {
    pub const STOP: u8 = 0;
    pub const TRUE: u8 = 1;
    pub const FALSE: u8 = 2;
    pub const BYTE: u8 = 3;
    pub const I16: u8 = 4;
    pub const I32: u8 = 5;
    pub const I64: u8 = 6;
    pub const DOUBLE: u8 = 7;
    pub const BINARY: u8 = 8;
    pub const LIST: u8 = 9;
    pub const SET: u8 = 10;
    pub const MAP: u8 = 11;
    pub const STRUCT: u8 = 12;
}

fn malformed(what: &str) -> ParquetError {
    ParquetError::General(format!("cannot rewrite the Parquet footer: {what}"))
}

/// A cursor over compact-encoded bytes that can skip any value.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn byte(&mut self) -> Result<u8, ParquetError> {
        let b = *self
            .bytes
            .get(self.at)
            .ok_or_else(|| malformed("it ends early"))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, ParquetError> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            value |= u64::from(b & 0x7F) << shift;
            if b & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(malformed("a varint is too long"))
    }

    fn advance(&mut self, n: u64) -> Result<(), ParquetError> {
        let end = usize::try_from(n)
            .ok()
            .and_then(|n| self.at.checked_add(n))
            .filter(|&end| end <= self.bytes.len())
            .ok_or_else(|| malformed("a value runs past its end"))?;
        self.at = end;
        Ok(())
    }

    /// The next field header of a struct: `None` at its stop byte, else
    /// the field's id and type code.
    fn field(&mut self, last: i16) -> Result<Option<(i16, u8)>, ParquetError> {
        let header = self.byte()?;
        let kind = header & 0x0F;
        if kind == code::STOP {
            return Ok(None);
        }
        let delta = i16::from(header >> 4);
        let id = if delta == 0 {
            let raw = self.varint()?;
            // Zigzag-decoded i16.
            i16::try_from((raw >> 1) as i64 ^ -((raw & 1) as i64))
                .map_err(|_| malformed("a field id is out of range"))?
        } else {
            last + delta
        };
        Ok(Some((id, kind)))
    }

    /// A list or set header: element count and type code.
    fn list(&mut self) -> Result<(u64, u8), ParquetError> {
        let header = self.byte()?;
        let size = match header >> 4 {
            15 => self.varint()?,
            n => u64::from(n),
        };
        Ok((size, header & 0x0F))
    }

    /// Skips a value of type `kind`; `in_list` tells a list's boolean
    /// element (a byte) from a struct's (held in the field header).
    fn skip(&mut self, kind: u8, in_list: bool) -> Result<(), ParquetError> {
        match kind {
            code::TRUE | code::FALSE => self.advance(u64::from(in_list)),
            code::BYTE => self.advance(1),
            code::I16 | code::I32 | code::I64 => self.varint().map(drop),
            code::DOUBLE => self.advance(8),
            code::BINARY => {
                let len = self.varint()?;
                self.advance(len)
            }
            code::LIST | code::SET => {
                let (size, element) = self.list()?;
                (0..size).try_for_each(|_| self.skip(element, true))
            }
            code::MAP => {
                let size = self.varint()?;
                if size == 0 {
                    return Ok(());
                }
                let types = self.byte()?;
                (0..size).try_for_each(|_| {
                    self.skip(types >> 4, true)?;
                    self.skip(types & 0x0F, true)
                })
            }
            code::STRUCT => {
                let mut last = 0;
                while let Some((id, kind)) = self.field(last)? {
                    self.skip(kind, false)?;
                    last = id;
                }
                Ok(())
            }
            _ => Err(malformed("an unknown type code")),
        }
    }
}

/// Rewrites the `IEEE_754_TOTAL_ORDER` column orders of the compact-encoded
/// `FileMetaData` in `metadata` as `TYPE_ORDER`, in place; returns how many
/// it rewrote. Other bytes are left as they are.
///
/// # Errors
/// `metadata` is not a well-formed `FileMetaData`.
pub fn type_defined_float_order(metadata: &mut [u8]) -> Result<usize, ParquetError> {
    let mut cursor = Cursor {
        bytes: metadata,
        at: 0,
    };
    let mut last = 0;
    let mut orders = Vec::new();
    while let Some((id, kind)) = cursor.field(last)? {
        if id == COLUMN_ORDERS && kind == code::LIST {
            let (size, element) = cursor.list()?;
            for _ in 0..size {
                orders.push(cursor.at);
                cursor.skip(element, true)?;
            }
        } else {
            cursor.skip(kind, false)?;
        }
        last = id;
    }
    let ieee: Vec<usize> = orders
        .into_iter()
        .filter(|&at| metadata[at..].starts_with(&[IEEE_754_TOTAL_ORDER, 0, 0]))
        .collect();
    for &at in &ieee {
        metadata[at] = TYPE_ORDER;
    }
    Ok(ieee.len())
}

/// A writer that passes bytes through until [`FooterTail::hold`], then
/// keeps them until [`FooterTail::release`] rewrites the footer among
/// them and writes them on.
pub struct FooterTail<W> {
    inner: W,
    held: Option<Vec<u8>>,
}

impl<W: Write> FooterTail<W> {
    /// Passes everything through to `inner` for now.
    pub fn new(inner: W) -> Self {
        FooterTail { inner, held: None }
    }

    /// Holds back what is written from now on.
    pub fn hold(&mut self) {
        self.held.get_or_insert_with(Vec::new);
    }

    /// Rewrites the footer at the end of the held bytes (the metadata, its
    /// 4-byte little-endian length and `PAR1`), writes them to the inner
    /// writer and returns it.
    ///
    /// # Errors
    /// The held bytes do not end with a footer, or writing fails.
    pub fn release(mut self) -> Result<W, ParquetError> {
        let mut tail = self.held.take().unwrap_or_default();
        let n = tail.len();
        if n < 8 || &tail[n - 4..] != b"PAR1" {
            return Err(malformed("the file does not end with PAR1"));
        }
        let mut length = [0u8; 4];
        length.copy_from_slice(&tail[n - 8..n - 4]);
        let length = u32::from_le_bytes(length) as usize;
        let start = (n - 8)
            .checked_sub(length)
            .ok_or_else(|| malformed("the footer is longer than the held bytes"))?;
        type_defined_float_order(&mut tail[start..n - 8])?;
        self.inner.write_all(&tail)?;
        Ok(self.inner)
    }
}

impl<W: Write> Write for FooterTail<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.held {
            Some(held) => {
                held.extend_from_slice(buf);
                Ok(buf.len())
            }
            None => self.inner.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A hand-encoded `FileMetaData`: version 1 (field 1, i32), a
    /// `created_by` string (field 6), and `column_orders` (field 7) with a
    /// `TYPE_ORDER`, an `IEEE_754_TOTAL_ORDER` and an unknown union member
    /// (field 9, an empty struct).
    fn metadata() -> Vec<u8> {
        let mut m = vec![0x15, 0x02]; // field 1, i32, zigzag(1)
        m.extend([0x58, 0x03, b'a', b'b', b'c']); // field 6 (delta 5), binary "abc"
        m.extend([0x19, 0x3C]); // field 7 (delta 1), list of 3 structs
        m.extend([0x1C, 0x00, 0x00]);
        m.extend([0x2C, 0x00, 0x00]);
        m.extend([0x9C, 0x00, 0x00]);
        m.push(0x00); // stop
        m
    }

    #[test]
    fn only_the_total_orders_become_type_orders() {
        let mut m = metadata();
        assert_eq!(type_defined_float_order(&mut m).unwrap(), 1);
        let mut expected = metadata();
        expected[12] = TYPE_ORDER;
        assert_eq!(m, expected);
        // A second pass finds nothing left to change.
        assert_eq!(type_defined_float_order(&mut m).unwrap(), 0);
    }

    #[test]
    fn a_truncated_footer_is_an_error_not_a_panic() {
        let full = metadata();
        for end in 0..full.len() - 1 {
            let mut cut = full[..end].to_vec();
            assert!(type_defined_float_order(&mut cut).is_err(), "{end}");
        }
    }

    #[test]
    fn release_needs_a_footer_at_the_end() {
        let mut tail = FooterTail::new(Vec::new());
        tail.write_all(b"data").unwrap();
        tail.hold();
        tail.write_all(b"no footer").unwrap();
        assert!(tail.release().is_err());

        let mut tail = FooterTail::new(Vec::new());
        tail.write_all(b"PAR1").unwrap();
        tail.hold();
        let m = metadata();
        tail.write_all(&m).unwrap();
        tail.write_all(&(m.len() as u32).to_le_bytes()).unwrap();
        tail.write_all(b"PAR1").unwrap();
        let out = tail.release().unwrap();
        assert_eq!(&out[..4], b"PAR1");
        assert_eq!(out[4 + 12], TYPE_ORDER);
        assert_eq!(out.len(), 4 + m.len() + 8);
    }
}
