//! Tables declared once: each table is a list of column definitions (name,
//! kind, nullability, how a row yields the cell), and from that one list
//! come the CSV header and row writer, the Arrow schema and batch builder,
//! and the column handles the readers parse cells with (ARCHITECTURE.md,
//! *Tables, encoders and readers*).
//!
//! The declarations themselves are in [`crate::tables`]; this module holds
//! the vocabulary: [`Kind`], [`Column`], [`ColumnId`], the [`TableDef`]
//! trait every declared table implements, and the `table!` macro that
//! expands a declaration into straight-line code (no per-cell dispatch, so
//! a declared table writes as fast as a hand-written one).

use arrow_array::RecordBatch;
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};
use std::marker::PhantomData;
use std::sync::Arc;

/// What a column holds: its CSV spelling, its Arrow type, and what a reader
/// accepts in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Text: ids, IMEIs, MSISDNs (`Utf8`).
    Text,
    /// Text from a small vocabulary: enums, Yes/No, labels (an Arrow
    /// dictionary of `Utf8` keyed by `Int32`, so that pandas reads a
    /// `category` and polars a `Categorical`).
    Category,
    /// A whole number (`Int32`).
    Int,
    /// A 0/1 flag (`Int32`, so that flags can be summed).
    Flag,
    /// Money, printed with two decimals at most (`Float64`).
    Money,
    /// A score, printed with six decimals at most (`Float64`).
    Score,
    /// A date, `YYYY-MM-DD` (`Date32`).
    Date,
    /// A Type Allocation Code: eight digits in CSV, an `Int32` in Parquet.
    Tac,
}

impl Kind {
    /// Whether the column holds text (in either Arrow type).
    pub const fn is_text(self) -> bool {
        matches!(self, Kind::Text | Kind::Category)
    }

    /// The Arrow type of the column in Parquet.
    pub fn data_type(self) -> DataType {
        match self {
            Kind::Text => DataType::Utf8,
            Kind::Category => {
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
            }
            Kind::Int | Kind::Flag | Kind::Tac => DataType::Int32,
            Kind::Money | Kind::Score => DataType::Float64,
            Kind::Date => DataType::Date32,
        }
    }
}

/// Whether a reader needs a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Every file of the table has it.
    Required,
    /// Some files of the table have it (a ledger's `imei_anomaly_type`).
    Optional,
}

/// How a column's values repeat, which decides how Parquet stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// Few distinct values (categories, counts, flags): dictionary-encoded;
    /// page statistics for numbers and dates, none for text (a string
    /// comparison per value that prunes nothing).
    Repeated,
    /// Nearly unique values (IMEIs, MSISDNs, money, scores): written plain,
    /// since a dictionary would be large or abandoned.
    Unique,
    /// The ids a table is sorted by: plain, with statistics even as text,
    /// so that engines skip row groups when filtering on them.
    SortKey,
}

/// One column of a declared table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The header name, exactly as every format spells it.
    pub name: &'static str,
    /// What it holds.
    pub kind: Kind,
    /// Whether a cell may be empty (null in Parquet).
    pub nullable: bool,
    /// Whether a reader needs it.
    pub presence: Presence,
    /// How its values repeat.
    pub values: Values,
}

impl Column {
    /// The Arrow field of the column.
    pub fn field(&self) -> Field {
        Field::new(self.name, self.kind.data_type(), self.nullable)
    }
}

/// A column of table `T`, by its position in `T::COLUMNS`: how readers and
/// tests address a column (`tables::lines::msisdn`), never by number.
pub struct ColumnId<T> {
    index: usize,
    table: PhantomData<fn() -> T>,
}

impl<T> ColumnId<T> {
    /// The column at `index` of the declaration (used by `table!`).
    #[doc(hidden)]
    pub const fn at(index: usize) -> Self {
        ColumnId {
            index,
            table: PhantomData,
        }
    }

    /// Position of the column in the table's declaration.
    pub const fn index(self) -> usize {
        self.index
    }
}

impl<T: TableDef> ColumnId<T> {
    /// The column's definition.
    pub fn column(self) -> &'static Column {
        &T::COLUMNS[self.index]
    }

    /// The column's header name.
    pub fn name(self) -> &'static str {
        T::COLUMNS[self.index].name
    }
}

impl<T> Clone for ColumnId<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ColumnId<T> {}

impl<T> std::fmt::Debug for ColumnId<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ColumnId({})", self.index)
    }
}

impl<T> PartialEq for ColumnId<T> {
    fn eq(&self, other: &Self) -> bool {
        self.index == other.index
    }
}

impl<T> Eq for ColumnId<T> {}

/// A declared table: its columns, and the writers its declaration expands to.
pub trait TableDef: 'static {
    /// The row struct a row is made from.
    type Row;
    /// Which of the optional columns a file carries (`()` for a table that
    /// has none; [`crate::LedgerSchema`] for the ledger).
    type Variant: Copy + Default + Send + Sync + 'static;
    /// Every column the table may have, in declaration order.
    const COLUMNS: &'static [Column];

    /// Whether column `index` of [`Self::COLUMNS`] is written in `variant`.
    fn written(index: usize, variant: Self::Variant) -> bool;

    /// Appends one CSV row (with its `\n`) of the columns of `variant`.
    fn csv_row(out: &mut Vec<u8>, row: &Self::Row, variant: Self::Variant);

    /// The Arrow batch of `rows` with the columns of `variant`.
    fn batch(rows: &[&Self::Row], variant: Self::Variant) -> Result<RecordBatch, ArrowError>;

    /// The columns of `variant`, in file order.
    fn columns(variant: Self::Variant) -> Vec<&'static Column> {
        Self::COLUMNS
            .iter()
            .enumerate()
            .filter(|(i, _)| Self::written(*i, variant))
            .map(|(_, c)| c)
            .collect()
    }

    /// The header names of `variant`, in file order.
    fn names(variant: Self::Variant) -> Vec<&'static str> {
        Self::columns(variant).iter().map(|c| c.name).collect()
    }

    /// The Arrow schema of `variant`.
    fn schema(variant: Self::Variant) -> SchemaRef {
        let fields: Vec<Field> = Self::columns(variant).iter().map(|c| c.field()).collect();
        Arc::new(Schema::new(fields))
    }

    /// Appends the CSV header line of `variant`.
    fn csv_header(out: &mut Vec<u8>, variant: Self::Variant) {
        for (i, c) in Self::columns(variant).iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            crate::format::text(out, c.name);
        }
        out.push(b'\n');
    }
}

/// Declares a table (see [`crate::tables`] for every use):
///
/// ```text
/// table! {
///     /// docs
///     pub Lines, mod lines (l: Line) {
///         line_id: Text = l.line_id,
///         company_owned_equipment_flag: Flag = l.company_owned_equipment_flag,
///         ...
///     }
/// }
/// ```
///
/// Each column is `name: Kind = value`, with the value computed from the
/// row binding. Kinds are those of [`crate::kinds`]: `Text`, `OptText`,
/// `Int`, `OptInt`, `Flag`, `OptFlag`, `Money`, `Score`, `Date`, `OptDate`,
/// `Tac`. A table with variants names its variant binding and type
/// (`(r: LedgerRow, s: LedgerSchema)`), and a column prefixed
/// `[if condition]` is written only where the condition holds, `[optional]`
/// marks a column readers do not require (the first column takes neither:
/// every variant has it), and `[unique]` or `[sort_key]`
/// say how its values repeat ([`Values`]; the default is the kind's). `let` bindings in a
/// `with { ... }` block are computed once per row before the cells.
#[macro_export]
#[doc(hidden)]
macro_rules! table {
    (
        $(#[$meta:meta])*
        $vis:vis $name:ident, mod $module:ident ($row:ident : $T:ty $(, $v:ident : $V:ty)?)
        $(with { $($prelude:tt)* })?
        {
            $([$($first_flag:tt)*])* $first:ident : $first_kind:ident = $first_value:expr,
            $( $([$($flag:tt)*])* $col:ident : $kind:ident = $value:expr ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        $vis struct $name;

        /// Handles of the table's columns, by name.
        #[allow(non_upper_case_globals, missing_docs)]
        $vis mod $module {
            #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
            enum Index { $first, $($col),* }
            pub const $first: $crate::schema::ColumnId<super::$name> =
                $crate::schema::ColumnId::at(Index::$first as usize);
            $(pub const $col: $crate::schema::ColumnId<super::$name> =
                $crate::schema::ColumnId::at(Index::$col as usize);)*
        }

        impl $crate::schema::TableDef for $name {
            type Row = $T;
            type Variant = $crate::table!(@variant $($V)?);
            const COLUMNS: &'static [$crate::schema::Column] = &[
                $crate::table!(@column $first $first_kind $([$($first_flag)*])*),
                $($crate::table!(@column $col $kind $([$($flag)*])*),)*
            ];

            #[allow(unused_variables)]
            fn written(index: usize, variant: Self::Variant) -> bool {
                $(let $v: $V = variant;)?
                #[allow(non_camel_case_types, dead_code, clippy::upper_case_acronyms)]
                enum Index { $first, $($col),* }
                $(if index == Index::$col as usize {
                    return $crate::table!(@when $([$($flag)*])*);
                })*
                true
            }

            #[inline]
            #[allow(unused_variables, clippy::redundant_locals)]
            fn csv_row(out: &mut Vec<u8>, $row: &$T, variant: Self::Variant) {
                $(let $v: $V = variant;)?
                $($($prelude)*)?
                $crate::kinds::$first_kind::csv(out, $first_value);
                $(if $crate::table!(@when $([$($flag)*])*) {
                    out.push(b',');
                    $crate::kinds::$kind::csv(out, $value);
                })*
                out.push(b'\n');
            }

            #[allow(unused_variables, non_snake_case, clippy::redundant_locals)]
            fn batch(
                rows: &[&$T],
                variant: Self::Variant,
            ) -> Result<$crate::parquet::RecordBatch, $crate::parquet::ArrowError> {
                $(let $v: $V = variant;)?
                let n = rows.len();
                let mut $first = $crate::kinds::$first_kind::builder(n);
                $(let mut $col = $crate::kinds::$kind::builder(
                    if $crate::table!(@when $([$($flag)*])*) { n } else { 0 },
                );)*
                for &$row in rows {
                    $($($prelude)*)?
                    $crate::kinds::$first_kind::push(&mut $first, $first_value);
                    $(if $crate::table!(@when $([$($flag)*])*) {
                        $crate::kinds::$kind::push(&mut $col, $value);
                    })*
                }
                let mut columns = Vec::with_capacity(Self::COLUMNS.len());
                columns.push($first.finish()?);
                $(if $crate::table!(@when $([$($flag)*])*) {
                    columns.push($col.finish()?);
                })*
                $crate::parquet::RecordBatch::try_new(
                    <Self as $crate::schema::TableDef>::schema(variant),
                    columns,
                )
            }
        }
    };
    (@variant) => { () };
    (@variant $V:ty) => { $V };
    (@when) => { true };
    (@when [if $cond:expr] $($rest:tt)*) => { ($cond) && $crate::table!(@when $($rest)*) };
    (@when [$($other:tt)*] $($rest:tt)*) => { $crate::table!(@when $($rest)*) };
    (@presence) => { $crate::schema::Presence::Required };
    (@presence [optional] $($rest:tt)*) => { $crate::schema::Presence::Optional };
    (@presence [$($other:tt)*] $($rest:tt)*) => { $crate::table!(@presence $($rest)*) };
    (@values $default:expr $(,)?) => { $default };
    (@values $default:expr, [unique] $($rest:tt)*) => { $crate::schema::Values::Unique };
    (@values $default:expr, [sort_key] $($rest:tt)*) => { $crate::schema::Values::SortKey };
    (@values $default:expr, [$($other:tt)*] $($rest:tt)*) => {
        $crate::table!(@values $default, $($rest)*)
    };
    (@column $col:ident $kind:ident $($flags:tt)*) => {
        $crate::schema::Column {
            name: stringify!($col),
            kind: $crate::kinds::$kind::KIND,
            nullable: $crate::kinds::$kind::NULLABLE,
            presence: $crate::table!(@presence $($flags)*),
            values: $crate::table!(@values $crate::kinds::$kind::VALUES, $($flags)*),
        }
    };
}
