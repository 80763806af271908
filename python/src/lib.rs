//! `novawireless._native`: the Python extension of the NovaWireless
//! generator. It runs the command-line programs from their arguments, and
//! `run_all` in memory, handing every table to Python through the Arrow C
//! stream interface (`__arrow_c_stream__`), with no copy of the data.
//!
//! The Python package (`novawireless/__init__.py`) turns keyword arguments
//! into the programs' flags, so every flag is parsed and checked by the same
//! code as on the command line, with the same messages.

use arrow_array::ffi_stream::FFI_ArrowArrayStream;
use arrow_array::RecordBatchIterator;
use novawireless_cli as programs;
use novawireless_cli_support::cli::{run_as_process, Failure, Outcome};
use novawireless_cli_support::progress::Bars;
use novawireless_pipeline::{empty_tables, run_all_tables_with, ArrowTable};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyCapsule;
use std::ffi::OsString;
use std::sync::Mutex;

/// A program's entry: its arguments (its name first) to its outcome.
type Program = fn(Vec<OsString>) -> Outcome;

/// The program of each command-line name.
fn program(name: &str) -> PyResult<Program> {
    Ok(match name {
        "run_all" => programs::run_all::run,
        "generate_customers" => programs::generate_customers::run,
        "build_master_account_ledger" => programs::build_master_account_ledger::run,
        "inject_imei_anomalies" => programs::inject_imei_anomalies::run,
        "fix_ledger_contract_proxy" => programs::fix_ledger_contract_proxy::run,
        "profile" => programs::profile::run,
        "score_detector" => programs::score_detector::run,
        _ => {
            return Err(PyValueError::new_err(format!(
                "no program is named {name:?}"
            )))
        }
    })
}

/// A failure as Python receives it: `(exit code, one-line message)`.
type Failed = Option<(u8, String)>;

fn failed(outcome: Outcome) -> Failed {
    outcome.err().map(|f| (f.code, f.message))
}

/// Runs program `name` on `argv` (its name first) as the binary would,
/// without the GIL and without exiting: `None` on success, else the exit
/// code and the one line the binary prints on stderr.
#[pyfunction]
fn run(py: Python<'_>, name: &str, argv: Vec<OsString>) -> PyResult<Failed> {
    let program = program(name)?;
    Ok(py.detach(move || failed(program(argv))))
}

/// Runs program `name` on `argv` as its own process would (the console
/// scripts): signals are caught as the binary catches them, a failure is
/// printed on stderr, and the exit code is returned.
#[pyfunction]
fn main(py: Python<'_>, name: &str, argv: Vec<OsString>) -> PyResult<u8> {
    let program = program(name)?;
    Ok(py.detach(move || run_as_process(program, argv)))
}

/// One table handed to Python: an object with `__arrow_c_stream__`, which
/// gives its batches once.
#[pyclass(frozen, module = "novawireless._native")]
struct ArrowStream {
    table: Mutex<Option<ArrowTable>>,
}

#[pymethods]
impl ArrowStream {
    /// The Arrow C stream of the table, in a capsule; the requested schema,
    /// if any, is not applied (the table has one schema).
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let table = self
            .table
            .lock()
            .map_err(|_| PyValueError::new_err("the stream's lock is poisoned"))?
            .take()
            .ok_or_else(|| PyValueError::new_err("the stream was read already"))?;
        let reader = RecordBatchIterator::new(table.batches.into_iter().map(Ok), table.schema);
        let stream = FFI_ArrowArrayStream::new(Box::new(reader));
        PyCapsule::new_with_value(py, stream, c"arrow_array_stream")
    }
}

fn streams(tables: Vec<ArrowTable>) -> Vec<(String, ArrowStream)> {
    tables
        .into_iter()
        .map(|t| {
            (
                t.name.to_string(),
                ArrowStream {
                    table: Mutex::new(Some(t)),
                },
            )
        })
        .collect()
}

/// The options `run_all` has with `argv` (its name first), or its failure.
fn options(argv: &[OsString]) -> Result<novawireless_pipeline::RunAllOptions, Failure> {
    programs::run_all::parse_options(argv)?.ok_or_else(|| Failure {
        code: 2,
        message: "error: --help and --version do not apply here".to_string(),
    })
}

/// Runs `run_all` in memory with the flags in `argv` (its name first):
/// `(tables, None)` with each table's name and stream, or `([], failure)`.
/// `tables`: only those, in that order of `run_all`'s tables.
#[pyfunction]
#[pyo3(signature = (argv, tables = None))]
fn generate(
    py: Python<'_>,
    argv: Vec<OsString>,
    tables: Option<Vec<String>>,
) -> (Vec<(String, ArrowStream)>, Failed) {
    let result = py.detach(move || {
        let options = options(&argv)?;
        let wanted: Option<Vec<&str>> = tables
            .as_ref()
            .map(|t| t.iter().map(String::as_str).collect());
        let progress = Bars::new(options.generate.progress);
        run_all_tables_with(&options, wanted.as_deref(), &progress).map_err(|e| Failure {
            code: e.exit_code(),
            message: format!("error: {e}"),
        })
    });
    match result {
        Ok(tables) => (streams(tables), None),
        Err(f) => (Vec::new(), Some((f.code, f.message))),
    }
}

/// The tables `generate` returns with the flags in `argv`, with no rows:
/// their names and schemas, or the failure.
#[pyfunction]
fn schemas(argv: Vec<OsString>) -> (Vec<(String, ArrowStream)>, Failed) {
    match options(&argv) {
        Ok(options) => (streams(empty_tables(&options)), None),
        Err(f) => (Vec::new(), Some((f.code, f.message))),
    }
}

/// The extension module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(main, m)?)?;
    m.add_function(wrap_pyfunction!(generate, m)?)?;
    m.add_function(wrap_pyfunction!(schemas, m)?)?;
    m.add_class::<ArrowStream>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
