//! Flag definitions shared by the binaries. Every flag keeps the original
//! snake_case spelling and also answers to kebab-case.

use novawireless::SnapshotDate;
use novawireless::{GraphParams, MAX_CUSTOMERS};
use novawireless_pipeline::{Format, GenerateOptions, Layout, PipelineError};
use std::path::PathBuf;

/// Writes `text` to stdout. A closed pipe (`run_all … | head -1`) ends the
/// program quietly with exit 0, as `head` expects of a writer; the outputs
/// are committed before anything is printed. Any other failure (stdout on a
/// full disk, `> /dev/full`) is one line on stderr and exit 1. Never panics.
pub fn print_out(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        let _ = writeln!(std::io::stderr(), "error: cannot write to stdout: {e}");
        std::process::exit(1);
    }
}

/// `println!` through [`print_out`]: a line on stdout that a closed or full
/// stdout cannot turn into a panic.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::cli::print_out(&format!("{}\n", format_args!($($arg)*)))
    };
}

/// A file size as people read it, in decimal units with one decimal:
/// `512 B`, `1.5 kB`, `24.3 MB`, `4.6 GB`.
pub fn size(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if bytes < 1000 {
        return format!("{bytes} B");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    // 999.95 kB would print as 1000.0 kB: it is 1.0 MB.
    while value >= 999.95 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

/// The run time on stderr, unless `--quiet` (then only errors reach it).
pub fn report_time(quiet: bool, program: &str, started: std::time::Instant) {
    if !quiet {
        eprintln!(
            "{program}: done in {:.2} s",
            started.elapsed().as_secs_f64()
        );
    }
}

/// Parses `--n_customers`: a whole number from 1 to [`MAX_CUSTOMERS`].
pub fn parse_n_customers(s: &str) -> Result<u64, String> {
    let text = s.trim();
    let too_many = |n: f64| {
        // About 2.4 KB of CSV per customer.
        let terabytes = n * 2.4e3 / 1e12;
        format!(
            "{text} customers would write about {} TB; the limit is {MAX_CUSTOMERS}",
            format_estimate(terabytes)
        )
    };
    let n: u64 = match text.parse() {
        Ok(n) => n,
        // All digits, yet no u64: absurdly large, not malformed.
        Err(_) if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(too_many(text.parse::<f64>().unwrap_or(f64::INFINITY)));
        }
        Err(_) => {
            return Err(format!(
                "{s:?} is not a whole number of customers (1 to {MAX_CUSTOMERS})"
            ))
        }
    };
    if n == 0 {
        return Err("must be at least 1".into());
    }
    if n > MAX_CUSTOMERS {
        return Err(too_many(n as f64));
    }
    Ok(n)
}

/// A size estimate in TB: whole terabytes, or a power of ten past a million.
fn format_estimate(terabytes: f64) -> String {
    if terabytes < 1e6 {
        format!("{terabytes:.0}")
    } else {
        format!("{terabytes:.1e}")
    }
}

/// Parses a probability: a finite number in [0, 1].
pub fn parse_probability(s: &str) -> Result<f64, String> {
    let p: f64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a number"))?;
    if !p.is_finite() || !(0.0..=1.0).contains(&p) {
        return Err(format!("{s} is not a probability in [0, 1]"));
    }
    Ok(p)
}

/// Parses a seed: a whole number from 0 to 2^64 − 1.
pub fn parse_seed(s: &str) -> Result<u64, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("{s:?} is not a whole number from 0 to 18446744073709551615"))
}

/// Parses a `YYYY-MM-DD` date that exists.
pub fn parse_date(s: &str) -> Result<SnapshotDate, String> {
    s.parse()
        .map_err(|e: novawireless::model::DateError| e.to_string())
}

/// The step-1 flags (also accepted by `run_all`).
#[derive(Debug, Clone, clap::Args)]
pub struct GenerateArgs {
    /// Number of customers to generate.
    #[arg(long = "n_customers", visible_alias = "n-customers", default_value = "10000", value_parser = parse_n_customers, allow_hyphen_values = true)]
    pub n_customers: u64,
    /// Seed of every step-1 random draw.
    #[arg(long = "seed", default_value = "42", value_parser = parse_seed, allow_hyphen_values = true)]
    pub seed: u64,
    /// Probability of a device payment plan for a month-to-month customer.
    #[arg(long = "month_to_month_plan_rate", visible_alias = "month-to-month-plan-rate", default_value = "0.55", value_parser = parse_probability, allow_hyphen_values = true)]
    pub month_to_month_plan_rate: f64,
    /// Probability that a line with an EIP records another line's IMEI in usage.
    #[arg(long = "p_inject_eip_usage_mismatch", visible_alias = "p-inject-eip-usage-mismatch", default_value = "0.06", value_parser = parse_probability, allow_hyphen_values = true)]
    pub p_inject_eip_usage_mismatch: f64,
    /// Probability that a voice line gets an EIP when its customer has a device plan.
    #[arg(long = "p_voice_eip_attach_if_plan", visible_alias = "p-voice-eip-attach-if-plan", default_value = "0.85", value_parser = parse_probability, allow_hyphen_values = true)]
    pub p_voice_eip_attach_if_plan: f64,
    /// Date written in every usage row (YYYY-MM-DD).
    #[arg(long = "usage_snapshot_date", visible_alias = "usage-snapshot-date", default_value = "2026-02-22", value_parser = parse_date)]
    pub usage_snapshot_date: SnapshotDate,
    /// Baseline distributions (JSON); the embedded baseline when absent.
    #[arg(long = "config")]
    pub config: Option<PathBuf>,
    /// Customers per chunk of work (a multiple of 1024); the output does not
    /// depend on it, only memory and speed do.
    #[arg(long = "chunk_customers", visible_alias = "chunk-customers", default_value = "2048", value_parser = parse_chunk_customers, hide = true)]
    pub chunk_customers: u64,
}

impl From<&GenerateArgs> for GenerateOptions {
    fn from(a: &GenerateArgs) -> Self {
        GenerateOptions {
            n_customers: a.n_customers,
            seed: a.seed,
            params: GraphParams {
                month_to_month_plan_rate: a.month_to_month_plan_rate,
                p_inject_eip_usage_mismatch: a.p_inject_eip_usage_mismatch,
                p_voice_eip_attach_if_plan: a.p_voice_eip_attach_if_plan,
                usage_snapshot_date: a.usage_snapshot_date,
            },
            config: a.config.clone(),
            chunk_customers: a.chunk_customers,
            progress: false,
            format: Format::Csv,
            layout: Layout::Flat,
        }
    }
}

/// `--format`: the pipeline's [`Format`] as a clap value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormatArg(pub Format);

impl clap::ValueEnum for FormatArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[FormatArg(Format::Csv), FormatArg(Format::Parquet)]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        Some(match self.0 {
            Format::Csv => PossibleValue::new("csv").help("Comma-separated values"),
            Format::Parquet => PossibleValue::new("parquet")
                .help("Apache Parquet with typed, nullable columns, Zstd-compressed"),
        })
    }
}

/// The parser of `--format`: `csv` or `parquet`, listed in `--help` with
/// what each is.
pub fn format_parser() -> impl clap::builder::TypedValueParser<Value = Format> {
    use clap::builder::TypedValueParser;
    clap::builder::EnumValueParser::<FormatArg>::new().map(|f| f.0)
}

/// `--layout`: the pipeline's [`Layout`] as a clap value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LayoutArg(pub Layout);

impl clap::ValueEnum for LayoutArg {
    fn value_variants<'a>() -> &'a [Self] {
        &[LayoutArg(Layout::Flat), LayoutArg(Layout::Tables)]
    }

    fn to_possible_value(&self) -> Option<clap::builder::PossibleValue> {
        use clap::builder::PossibleValue;
        Some(match self.0 {
            Layout::Flat => {
                PossibleValue::new("flat").help("One file per table beside the receipts")
            }
            Layout::Tables => PossibleValue::new("tables").help(
                "A folder per table holding one part per shard (customers/part-K-of-N.csv), \
                 receipts under _receipts/",
            ),
        })
    }
}

/// The parser of `--layout`: `flat` or `tables`, listed in `--help` with
/// what each is.
pub fn layout_parser() -> impl clap::builder::TypedValueParser<Value = Layout> {
    use clap::builder::TypedValueParser;
    clap::builder::EnumValueParser::<LayoutArg>::new().map(|l| l.0)
}

/// Parses `--chunk_customers`: a positive multiple of 1,024.
pub fn parse_chunk_customers(s: &str) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(n) if n > 0 && n % 1024 == 0 && n <= 1 << 24 => Ok(n),
        _ => Err(format!(
            "{s:?} is not a positive multiple of 1024 (at most 16777216)"
        )),
    }
}

/// Checks a folder the step will write (`--out_dir`): refused before any
/// work when part of its path is a file or it does not accept new files.
/// Any path is accepted, UTF-8 or not.
pub fn check_out_dir(dir: PathBuf) -> Result<PathBuf, String> {
    novawireless_io::OutputSet::check_folder(&dir).map_err(|e| e.to_string())?;
    Ok(dir)
}

/// The parser of `--out_dir`: a path of any bytes, then [`check_out_dir`].
pub fn out_dir_parser() -> impl clap::builder::TypedValueParser<Value = PathBuf> {
    use clap::builder::TypedValueParser;
    clap::builder::PathBufValueParser::new().try_map(check_out_dir)
}

/// Flags every step has.
#[derive(Debug, Clone, clap::Args)]
pub struct OutputArgs {
    /// Folder the outputs are written to.
    #[arg(long = "out_dir", visible_alias = "out-dir", default_value = "output", value_parser = out_dir_parser())]
    pub out_dir: PathBuf,
    /// Table format; steps 2–4 also read their input tables in it.
    #[arg(long = "format", value_parser = format_parser(), default_value = "csv")]
    pub format: Format,
    /// Where the tables go in the folder: flat files, or a folder per table
    /// holding parts (steps 2–4 also read their inputs in it).
    #[arg(long = "layout", value_parser = layout_parser(), default_value = "flat")]
    pub layout: Layout,
    /// No progress bars (they appear only on a terminal, on stderr).
    #[arg(long = "quiet", short = 'q')]
    pub quiet: bool,
}

/// How a program failed: its exit code (2 for a bad flag or an unusable
/// folder, 1 for a failed run) and the one line it prints on stderr.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// The one-line message, starting with `error: `.
    pub message: String,
}

/// The outcome of a program run from its arguments.
pub type Outcome = Result<(), Failure>;

/// Runs a binary's main as its process: catches the signals (see
/// [`run_as_process`]), runs `program` on the process's arguments, prints
/// its failure on stderr and exits with its code.
pub fn main_with(
    program: impl FnOnce(Vec<std::ffi::OsString>) -> Outcome,
) -> std::process::ExitCode {
    std::process::ExitCode::from(run_as_process(program, std::env::args_os().collect()))
}

/// Runs `program` on `argv` (the program's name first) as a whole process
/// would: SIGXFSZ and, on SIGINT or SIGTERM, a clean-up are caught first,
/// and a failure is printed on stderr. Returns the exit code.
///
/// SIGXFSZ by default kills a process that writes past `ulimit -f`, leaving
/// no message; caught, the write fails with EFBIG ("File too large") and
/// the run ends with a one-line error like any other write failure.
pub fn run_as_process(
    program: impl FnOnce(Vec<std::ffi::OsString>) -> Outcome,
    argv: Vec<std::ffi::OsString>,
) -> u8 {
    catch_file_size_signal();
    match program(argv) {
        Ok(()) => 0,
        Err(failure) => {
            eprintln!("{}", failure.message);
            failure.code
        }
    }
}

/// Parses `argv` (the program's name first) as `A`, with a one-line error
/// (exit code 2) on bad input. `--help` and `--version` print on stdout and
/// give `None`.
pub fn parse_args<A: clap::Parser>(argv: &[std::ffi::OsString]) -> Result<Option<A>, Failure> {
    match A::try_parse_from(argv) {
        Ok(args) => Ok(Some(args)),
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                print_out(&e.render().to_string());
                return Ok(None);
            }
            let message = match e.kind() {
                ErrorKind::InvalidUtf8 => not_utf8(argv.iter().skip(1).cloned()),
                _ => one_line(&e.render().to_string()),
            };
            Err(Failure { code: 2, message })
        }
    }
}

/// Parses `argv` (the program's name first) as `A` (see [`parse_args`]) and
/// runs `body`, mapping its error to a one-line message and its exit code.
/// Installs no signal handler and never exits the process.
pub fn run_args<A: clap::Parser, E: std::fmt::Display + 'static>(
    argv: Vec<std::ffi::OsString>,
    body: impl FnOnce(A) -> Result<(), E>,
) -> Outcome {
    let Some(args) = parse_args::<A>(&argv)? else {
        return Ok(());
    };
    body(args).map_err(|e| {
        // A pipeline or report error knows its code (2: an unusable or
        // locked folder).
        let any: &dyn std::any::Any = &e;
        let code = match (
            any.downcast_ref::<PipelineError>(),
            any.downcast_ref::<novawireless_report::ReportError>(),
        ) {
            (Some(e), _) => e.exit_code(),
            (_, Some(e)) => e.exit_code(),
            _ => 1,
        };
        Failure {
            code,
            message: format!("error: {e}"),
        }
    })
}

/// The error for a value that is not UTF-8, naming its flag (clap names
/// none): the first argument that is not UTF-8, and the flag it belongs to,
/// either its own `--flag=` prefix or the argument before it.
fn not_utf8(args: impl Iterator<Item = std::ffi::OsString>) -> String {
    let mut previous: Option<String> = None;
    for arg in args {
        match arg.to_str() {
            Some(text) => previous = Some(text.to_string()),
            None => {
                let shown = arg.to_string_lossy();
                let flag = match shown.split_once('=') {
                    Some((flag, _)) if flag.starts_with('-') => Some(flag.to_string()),
                    _ => previous.filter(|p| p.starts_with('-')),
                };
                return match flag {
                    Some(flag) => {
                        format!("error: the value of {flag} is not valid UTF-8: {shown:?}")
                    }
                    None => format!("error: an argument is not valid UTF-8: {shown:?}"),
                };
            }
        }
    }
    "error: an argument is not valid UTF-8".to_string()
}

/// The first line of a clap error, with the possible values of the flag
/// when clap lists them on a line of their own, and the list that follows a
/// line ending in `:` (e.g. the required arguments that were not given).
fn one_line(rendered: &str) -> String {
    let mut lines = rendered.lines();
    let mut line = lines
        .next()
        .unwrap_or("error: invalid arguments")
        .to_string();
    if line.ends_with(':') {
        let listed: Vec<&str> = lines
            .clone()
            .map(str::trim)
            .take_while(|l| !l.is_empty())
            .collect();
        line.push(' ');
        line.push_str(&listed.join(", "));
    }
    for extra in lines.map(str::trim) {
        if extra.starts_with("[possible values:") {
            line.push(' ');
            line.push_str(extra);
        } else if let Some(tip) = extra.strip_prefix("tip: ") {
            // "a similar argument exists: '--n_customers'", and the like.
            line.push_str("; ");
            line.push_str(tip);
        }
    }
    line
}

#[cfg(unix)]
fn catch_file_size_signal() {
    use std::sync::atomic::AtomicBool;
    static EXCEEDED: AtomicBool = AtomicBool::new(false);
    // Without a handler the signal ends the process silently; a failed
    // registration leaves that default, so there is nothing better to do.
    let _ = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, &EXCEEDED);
    clean_up_on_interrupt();
}

/// On SIGINT or SIGTERM: remove this run's temporaries (they can be
/// gigabytes) and lock files, print one line, and exit 130 or 143. The
/// earlier outputs are untouched: nothing is renamed into place.
#[cfg(unix)]
fn clean_up_on_interrupt() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Twice: a writer may have opened one more file meanwhile.
            let removed = novawireless_io::remove_own_temporaries()
                + novawireless_io::remove_own_temporaries();
            let name = if signal == SIGINT {
                "SIGINT"
            } else {
                "SIGTERM"
            };
            eprintln!(
                "interrupted by {name}: removed {removed} temporary files; the earlier outputs are as they were"
            );
            std::process::exit(128 + signal);
        }
    });
}

#[cfg(not(unix))]
fn catch_file_size_signal() {}

/// Where the ledger steps read and mirror.
#[derive(Debug, Clone, clap::Args)]
pub struct LedgerArgs {
    /// Folder the inputs are read from (default: the output folder).
    #[arg(long = "in_dir", visible_alias = "in-dir")]
    pub in_dir: Option<PathBuf>,
    /// Folder the ledger files are mirrored to, for the call generator.
    #[arg(
        long = "params_dir",
        visible_alias = "params-dir",
        default_value = "data/external/params_sources"
    )]
    pub params_dir: PathBuf,
    /// Do not mirror the ledger files to --params_dir.
    #[arg(long = "no_params_mirror", visible_alias = "no-params-mirror")]
    pub no_params_mirror: bool,
}

impl LedgerArgs {
    /// The mirror folder, unless `--no_params_mirror`.
    pub fn mirror(&self) -> Option<&std::path::Path> {
        (!self.no_params_mirror).then_some(self.params_dir.as_path())
    }
}

/// Parses `true`/`false` (also `1`/`0`, `yes`/`no`).
pub fn parse_bool(s: &str) -> Result<bool, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(format!("{s:?} is not true or false")),
    }
}

/// The step-3 probabilities (also accepted by `run_all`).
#[derive(Debug, Clone, clap::Args)]
pub struct AnomalyArgs {
    /// Probability that an eligible voice line swaps usage IMEIs with another.
    #[arg(long = "p_mismatch", visible_alias = "p-mismatch", default_value = "0.07", value_parser = parse_probability, allow_hyphen_values = true)]
    pub p_mismatch: f64,
    /// Probability that a line's usage IMEI is blanked (split 70/30 between
    /// lines with and without an agreement).
    #[arg(long = "p_missing", visible_alias = "p-missing", default_value = "0.04", value_parser = parse_probability, allow_hyphen_values = true)]
    pub p_missing: f64,
    /// Swap partners come from the same customer (true) or from any customer
    /// of the same block of 1,024 customers (false).
    #[arg(long = "within_customer_only", visible_alias = "within-customer-only", default_value = "true", value_parser = parse_bool, num_args = 0..=1, default_missing_value = "true")]
    pub within_customer_only: bool,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn customer_counts_past_64_bits_are_too_many_not_malformed() {
        let e = parse_n_customers("100000000000000000000000").unwrap_err();
        assert!(e.contains("would write about 2.4e14 TB"), "{e}");
        let e = parse_n_customers("1e4").unwrap_err();
        assert!(e.contains("not a whole number"), "{e}");
        assert_eq!(parse_n_customers(" 25 ").unwrap(), 25);
    }

    #[test]
    fn sizes_read_in_decimal_units() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.0 kB"),
            (1549, "1.5 kB"),
            (999_949, "999.9 kB"),
            (999_950, "1.0 MB"),
            (24_300_000, "24.3 MB"),
            (4_600_000_000, "4.6 GB"),
            (u64::MAX, "18446.7 PB"),
        ];
        for (bytes, shown) in cases {
            assert_eq!(size(bytes), shown, "{bytes}");
        }
    }

    #[test]
    fn clap_errors_keep_the_possible_values_on_their_one_line() {
        let rendered = "error: invalid value 'x' for '--format <FORMAT>'\n  [possible values: csv]\n\nFor more information, try '--help'.\n";
        assert_eq!(
            one_line(rendered),
            "error: invalid value 'x' for '--format <FORMAT>' [possible values: csv]"
        );
        assert_eq!(one_line(""), "error: invalid arguments");
    }

    #[cfg(unix)]
    #[test]
    fn a_value_that_is_not_utf8_is_named_by_its_flag() {
        use std::os::unix::ffi::OsStringExt;
        let bad = || std::ffi::OsString::from_vec(b"a\xffb".to_vec());
        let args = vec!["--seed".into(), "7".into(), "--out_dir".into(), bad()];
        assert_eq!(
            not_utf8(args.into_iter()),
            "error: the value of --out_dir is not valid UTF-8: \"a\u{fffd}b\""
        );
        let mut joined = b"--config=".to_vec();
        joined.extend(b"\xfe");
        let args = vec![std::ffi::OsString::from_vec(joined)];
        assert!(not_utf8(args.into_iter()).starts_with("error: the value of --config is"));
        assert!(not_utf8(vec![bad()].into_iter()).starts_with("error: an argument is not"));
    }

    #[test]
    fn clap_errors_keep_the_missing_arguments_on_their_one_line() {
        let rendered = "error: the following required arguments were not provided:\n  --predictions <FILE>\n  --ledger <FILE>\n\nUsage: x --predictions <FILE>\n";
        assert_eq!(
            one_line(rendered),
            "error: the following required arguments were not provided: --predictions <FILE>, --ledger <FILE>"
        );
    }
}
