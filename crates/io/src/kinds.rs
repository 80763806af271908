//! The cell kinds a table declaration uses (`name: Kind = value`), one module
//! each: the value it takes, how CSV spells it (`csv`), and the Arrow column
//! it goes to (`builder`, `push`). CSV and Arrow hold the same values: money
//! and scores are rounded as the CSV prints them, a value is null exactly
//! where the CSV cell is empty.
#![allow(non_snake_case)]

use crate::format::{flag, int, money, padded, score, Field};
use arrow_array::builder::StringDictionaryBuilder;
use arrow_array::types::{ArrowPrimitiveType, Date32Type, Float64Type, Int32Type};
use arrow_array::{ArrayRef, PrimitiveArray, StringArray};
use arrow_buffer::{Buffer, NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::ArrowError;
use novawireless_model::SnapshotDate;
use std::sync::Arc;

/// A whole number a cell can hold.
pub trait Integer: Copy + Into<i64> + itoa::Integer {}

impl<T: Copy + Into<i64> + itoa::Integer> Integer for T {}

/// A `Utf8` column: values are formatted straight into one byte buffer.
pub struct TextColumn {
    offsets: Vec<i32>,
    values: Vec<u8>,
    nulls: NullBufferBuilder,
}

impl TextColumn {
    fn new(rows: usize) -> Self {
        let mut offsets = Vec::with_capacity(rows + 1);
        offsets.push(0);
        TextColumn {
            offsets,
            values: Vec::with_capacity(rows * 12),
            nulls: NullBufferBuilder::new(rows),
        }
    }

    /// Offsets are cast without a check here; the total is checked once in
    /// `finish`, and offsets only grow.
    fn put(&mut self, value: impl Field) {
        value.put(&mut self.values);
        self.offsets.push(self.values.len() as i32);
        self.nulls.append_non_null();
    }

    fn null(&mut self) {
        self.offsets.push(self.values.len() as i32);
        self.nulls.append_null();
    }

    /// The finished array.
    pub fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        if i32::try_from(self.values.len()).is_err() {
            return Err(ArrowError::InvalidArgumentError(format!(
                "{} bytes of text in one column of one batch: write smaller batches",
                self.values.len()
            )));
        }
        let array = StringArray::try_new(
            OffsetBuffer::new(ScalarBuffer::from(self.offsets)),
            Buffer::from_vec(self.values),
            self.nulls.finish(),
        )?;
        Ok(Arc::new(array))
    }
}

/// A dictionary column of `Utf8` values keyed by `Int32`: each value is
/// spelled into a scratch buffer, then looked up in the dictionary.
pub struct CategoryColumn {
    builder: StringDictionaryBuilder<Int32Type>,
    scratch: Vec<u8>,
}

impl CategoryColumn {
    fn new(rows: usize) -> Self {
        CategoryColumn {
            builder: StringDictionaryBuilder::with_capacity(rows, 16, 256),
            scratch: Vec::with_capacity(32),
        }
    }

    fn put(&mut self, value: impl Field) {
        self.scratch.clear();
        value.put(&mut self.scratch);
        match std::str::from_utf8(&self.scratch) {
            Ok(text) => self.builder.append_value(text),
            // Every spelling is ASCII; a value that is not stays visible.
            Err(_) => self
                .builder
                .append_value(String::from_utf8_lossy(&self.scratch)),
        }
    }

    fn null(&mut self) {
        self.builder.append_null();
    }

    /// The finished array.
    pub fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        Ok(Arc::new(self.builder.finish()))
    }
}

/// A primitive column.
pub struct PrimitiveColumn<T: ArrowPrimitiveType> {
    values: Vec<T::Native>,
    nulls: NullBufferBuilder,
    /// A value too large for an `Int32` column (none the generator makes),
    /// refused when the column is finished.
    overflow: Option<i64>,
}

impl<T: ArrowPrimitiveType> PrimitiveColumn<T> {
    fn new(rows: usize) -> Self {
        PrimitiveColumn {
            values: Vec::with_capacity(rows),
            nulls: NullBufferBuilder::new(rows),
            overflow: None,
        }
    }

    fn push(&mut self, value: T::Native) {
        self.values.push(value);
        self.nulls.append_non_null();
    }

    fn null(&mut self) {
        self.values.push(T::Native::default());
        self.nulls.append_null();
    }

    /// The finished array.
    pub fn finish(mut self) -> Result<ArrayRef, ArrowError> {
        if let Some(v) = self.overflow {
            return Err(ArrowError::InvalidArgumentError(format!(
                "{v} does not fit an Int32 column"
            )));
        }
        Ok(Arc::new(PrimitiveArray::<T>::new(
            ScalarBuffer::from(self.values),
            self.nulls.finish(),
        )))
    }
}

/// An `Int32` column.
pub type IntColumn = PrimitiveColumn<Int32Type>;

impl IntColumn {
    fn int(&mut self, value: impl Into<i64>) {
        let value = value.into();
        match i32::try_from(value) {
            Ok(v) => self.push(v),
            Err(_) => {
                self.overflow.get_or_insert(value);
                self.null();
            }
        }
    }
}

/// A `Float64` column.
pub type FloatColumn = PrimitiveColumn<Float64Type>;

impl FloatColumn {
    /// `value` rounded to `scale` (100 for cents) as the CSV prints it:
    /// `round(v × scale) / scale` is the double nearest the printed decimal,
    /// so it equals the parsed CSV cell.
    fn rounded(&mut self, value: f64, scale: f64) {
        let rounded = (value * scale).round() / scale;
        // -0.0 prints as 0.0 in the CSV.
        self.push(if rounded == 0.0 { 0.0 } else { rounded });
    }
}

/// A `Date32` column.
pub type DateColumn = PrimitiveColumn<Date32Type>;

/// Days from 1970-01-01 to `date` (proleptic Gregorian).
pub(crate) fn days_since_epoch(date: SnapshotDate) -> i32 {
    let (y, m, d) = (
        i32::from(date.year()),
        i32::from(date.month()),
        i32::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (m + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

macro_rules! kind {
    (
        $(#[$meta:meta])*
        $name:ident: $kind:ident, nullable $nullable:literal, $column:ty, $value:ty,
        csv($out:ident, $v:ident) $csv:block
        push($b:ident, $pv:ident) $push:block
    ) => {
        $(#[$meta])*
        pub mod $name {
            use super::*;

            /// What the column holds.
            pub const KIND: $crate::schema::Kind = $crate::schema::Kind::$kind;
            /// Whether a cell may be empty.
            pub const NULLABLE: bool = $nullable;
            /// How its values repeat, unless the column says otherwise.
            pub const VALUES: $crate::schema::Values = match KIND {
                $crate::schema::Kind::Money | $crate::schema::Kind::Score => {
                    $crate::schema::Values::Unique
                }
                _ => $crate::schema::Values::Repeated,
            };

            /// Appends the CSV cell of `value`.
            #[inline]
            pub fn csv($out: &mut Vec<u8>, $v: $value) $csv

            /// An Arrow column for `rows` rows.
            pub fn builder(rows: usize) -> $column {
                <$column>::new(rows)
            }

            /// Appends `value` to the Arrow column.
            #[inline]
            pub fn push($b: &mut $column, $pv: $value) $push
        }
    };
}

kind! {
    /// Text written as [`Field`] spells it.
    Text: Text, nullable false, TextColumn, impl Field,
    csv(out, v) { v.csv(out) }
    push(b, v) { b.put(v) }
}

kind! {
    /// Text or nothing (an empty cell, a null).
    OptText: Text, nullable true, TextColumn, Option<impl Field>,
    csv(out, v) { if let Some(v) = v { v.csv(out) } }
    push(b, v) { match v { Some(v) => b.put(v), None => b.null() } }
}

kind! {
    /// A value of a small vocabulary, as [`Field`] spells it.
    Category: Category, nullable false, CategoryColumn, impl Field,
    csv(out, v) { v.csv(out) }
    push(b, v) { b.put(v) }
}

kind! {
    /// A value of a small vocabulary, or nothing.
    OptCategory: Category, nullable true, CategoryColumn, Option<impl Field>,
    csv(out, v) { if let Some(v) = v { v.csv(out) } }
    push(b, v) { match v { Some(v) => b.put(v), None => b.null() } }
}

kind! {
    /// A whole number.
    Int: Int, nullable false, IntColumn, impl Integer,
    csv(out, v) { int(out, v) }
    push(b, v) { b.int(v) }
}

kind! {
    /// A whole number or nothing.
    OptInt: Int, nullable true, IntColumn, Option<impl Integer>,
    csv(out, v) { if let Some(v) = v { int(out, v) } }
    push(b, v) { match v { Some(v) => b.int(v), None => b.null() } }
}

kind! {
    /// A 0/1 flag.
    Flag: Flag, nullable false, IntColumn, bool,
    csv(out, v) { flag(out, v) }
    push(b, v) { b.push(i32::from(v)) }
}

kind! {
    /// A 0/1 flag or nothing.
    OptFlag: Flag, nullable true, IntColumn, Option<bool>,
    csv(out, v) { if let Some(v) = v { flag(out, v) } }
    push(b, v) { match v { Some(v) => b.push(i32::from(v)), None => b.null() } }
}

kind! {
    /// Money: cents.
    Money: Money, nullable false, FloatColumn, f64,
    csv(out, v) { money(out, v) }
    push(b, v) { b.rounded(v, 100.0) }
}

kind! {
    /// A score: millionths.
    Score: Score, nullable false, FloatColumn, f64,
    csv(out, v) { score(out, v) }
    push(b, v) { b.rounded(v, 1_000_000.0) }
}

kind! {
    /// A date.
    Date: Date, nullable false, DateColumn, SnapshotDate,
    csv(out, v) { v.put(out) }
    push(b, v) { b.push(days_since_epoch(v)) }
}

kind! {
    /// A date or nothing.
    OptDate: Date, nullable true, DateColumn, Option<SnapshotDate>,
    csv(out, v) { if let Some(v) = v { v.put(out) } }
    push(b, v) { match v { Some(v) => b.push(days_since_epoch(v)), None => b.null() } }
}

kind! {
    /// A Type Allocation Code: eight digits in CSV (with leading zeros), a
    /// number in Parquet.
    Tac: Tac, nullable false, IntColumn, u32,
    csv(out, v) { padded(out, b"", u64::from(v), 8) }
    push(b, v) { b.int(v) }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn days_since_epoch_matches_known_dates() {
        let day = |s: &str| days_since_epoch(s.parse().unwrap());
        assert_eq!(day("1970-01-01"), 0);
        assert_eq!(day("1970-01-02"), 1);
        assert_eq!(day("1969-12-31"), -1);
        assert_eq!(day("2000-03-01"), 11_017);
        assert_eq!(day("2026-02-22"), 20_506);
        assert_eq!(day("0001-01-01"), -719_162);
    }

    #[test]
    fn an_int_too_wide_for_int32_is_refused_when_finished() {
        let mut b = Int::builder(2);
        Int::push(&mut b, 7u32);
        Int::push(&mut b, u32::MAX);
        let e = b.finish().unwrap_err().to_string();
        assert!(e.contains("4294967295 does not fit an Int32 column"), "{e}");
    }

    #[test]
    fn money_and_scores_are_rounded_as_the_csv_prints_them() {
        let mut b = Money::builder(1);
        Money::push(&mut b, 45.004_999);
        let mut out = Vec::new();
        Money::csv(&mut out, 45.004_999);
        let array = b.finish().unwrap();
        let values = array
            .as_any()
            .downcast_ref::<arrow_array::Float64Array>()
            .unwrap();
        assert_eq!(values.value(0), 45.0);
        assert_eq!(out, b"45.0");
    }
}
