//! Table output shared by `generate_customers`, `inject_imei_anomalies` and
//! `run_all`: a chunk's rows of a declared table become a [`Part`] on a
//! worker thread (the format's [`Encoder`]), and a [`Sink`] writes parts in
//! chunk order.

use crate::files::Place;
use crate::{Format, Layout, PipelineError};
use novawireless::AccountChunk;
use novawireless::LedgerRow;
use novawireless_io::tables::{Agreements, Customers, Devices, Ledger, Lines, Usage};
use novawireless_io::{Encoder, InputError, LedgerSchema, OutputSet, TableDef, TableSink};
use std::path::{Path, PathBuf};

pub(crate) use novawireless_io::Part;

/// References to every row of a slice.
pub(crate) fn refs<T>(rows: &[T]) -> Vec<&T> {
    rows.iter().collect()
}

/// Encodes `rows` of table `D` with the columns of `variant` into `part`.
pub(crate) fn fill<D: TableDef>(
    part: &mut Part,
    format: Format,
    rows: &[&D::Row],
    variant: D::Variant,
) -> Result<(), PipelineError> {
    Ok(format.encode::<D>(rows, variant, part)?)
}

/// Where one table goes, whatever the format.
pub(crate) struct Sink(Box<dyn TableSink>);

impl Sink {
    /// Opens table `D` under each of `csv_names` (in `format`).
    pub(crate) fn open<D: TableDef>(
        out: &mut OutputSet,
        format: Format,
        csv_names: &[&str],
        variant: D::Variant,
    ) -> Result<Self, PipelineError> {
        let stems: Vec<&str> = csv_names
            .iter()
            .map(|n| Format::stem(n).map_or(*n, |(stem, _)| stem))
            .collect();
        Ok(Sink(format.open::<D>(out, &stems, variant)?))
    }

    /// Opens a ledger table of `schema` under each of `csv_names`.
    pub(crate) fn ledger(
        out: &mut OutputSet,
        format: Format,
        csv_names: &[&str],
        schema: LedgerSchema,
    ) -> Result<Self, PipelineError> {
        Sink::open::<Ledger>(out, format, csv_names, schema)
    }

    pub(crate) fn put(&mut self, part: &Part) -> Result<(), PipelineError> {
        Ok(self.0.put(part)?)
    }

    pub(crate) fn finish(self, out: &mut OutputSet) -> Result<(), PipelineError> {
        Ok(self.0.finish(out)?)
    }
}

/// Formats ledger rows of `schema` into `part` and writes them to `sink`.
pub(crate) fn put_ledger(
    sink: &mut Sink,
    part: &mut Part,
    format: Format,
    rows: &[LedgerRow],
    schema: LedgerSchema,
) -> Result<(), PipelineError> {
    fill::<Ledger>(part, format, &refs(rows), schema)?;
    sink.put(part)
}

/// The path of input table `csv_name` of `dir` in `format` at `place`.
/// When it does not exist but the table is there in another format or
/// layout, the error names what is there and the flags that read it.
pub(crate) fn input_path(
    dir: &Path,
    csv_name: &str,
    format: Format,
    place: Place,
) -> Result<PathBuf, PipelineError> {
    let path = dir.join(place.table(csv_name, format));
    if path.exists() {
        return Ok(path);
    }
    match found_instead(dir, csv_name, format, place) {
        Some(found) => Err(PipelineError::Input(InputError::file(
            path.display().to_string(),
            format_args!("no such file; {found}"),
        ))),
        None => Ok(path),
    }
}

/// What `dir` holds of table `csv_name` instead of its file in `format` at
/// `place`: the table in another format or layout (`customers.csv is
/// there: pass --format csv to read it`), or a part of a sharded run.
fn found_instead(dir: &Path, csv_name: &str, format: Format, place: Place) -> Option<String> {
    let other_layout = Layout::ALL.into_iter().filter(|l| *l != place.layout);
    for layout in std::iter::once(place.layout).chain(other_layout) {
        for other in Format::ALL {
            let at = Place { layout, ..place };
            let found = at.table(csv_name, other);
            if (layout, other) == (place.layout, format) || !dir.join(&found).exists() {
                continue;
            }
            let mut flags = Vec::new();
            if layout != place.layout {
                flags.push(format!("--layout {layout}"));
            }
            if other != format {
                flags.push(format!("--format {other}"));
            }
            return Some(format!(
                "{found} is there: pass {} to read it",
                flags.join(" ")
            ));
        }
    }
    let stem = Place::unsharded(Layout::Flat).stem(csv_name);
    let mut parts: Vec<String> = std::fs::read_dir(dir.join(&stem))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("part-"))
        .collect();
    parts.sort();
    parts.first().map(|part| {
        format!(
            "{stem}/{part} is there, a part of a sharded run with --layout tables: \
             steps 2–4 read an unsharded run's {} (--layout tables)",
            Place::unsharded(Layout::Tables).table(csv_name, format)
        )
    })
}

/// The total size of the files at `paths` (0 for any that cannot be read):
/// the scale of a step's output, for [`crate::direct_io_pays`].
pub(crate) fn size_of(paths: &[&Path]) -> u64 {
    paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum()
}

/// Formats a chunk's five step-1 tables into `parts`.
pub(crate) fn fill_step1(
    parts: &mut [Part],
    chunk: &AccountChunk,
    format: Format,
) -> Result<(), PipelineError> {
    fill::<Customers>(&mut parts[0], format, &refs(&chunk.customers), ())?;
    fill::<Lines>(&mut parts[1], format, &refs(&chunk.lines), ())?;
    fill::<Devices>(&mut parts[2], format, &refs(&chunk.devices), ())?;
    fill::<Agreements>(&mut parts[3], format, &refs(&chunk.agreements), ())?;
    fill::<Usage>(&mut parts[4], format, &refs(&chunk.usage), ())
}
