//! All four steps in one process.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    novawireless_pipeline::cli::main_with(run_all::run)
}
