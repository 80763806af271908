//! Runs the whole pipeline in memory for N customers (the first argument,
//! 10,000 by default) and prints the summary lines `run_all` prints for the
//! same run:
//!
//! ```text
//! cargo run -p novawireless --example pipeline -- 100000
//! ```

use novawireless::{Baseline, Options, Pipeline};

/// The summary lines of a run of `n_customers` with the programs' defaults.
pub fn summary(n_customers: u64) -> Result<String, novawireless::Error> {
    let pipeline = Pipeline::new(&Baseline::embedded(), Options::new(n_customers))?;
    Ok(pipeline.counts()?.summary_lines())
}

fn main() {
    let arg = std::env::args().nth(1);
    let n_customers = match arg.as_deref().map(str::parse::<u64>) {
        None => 10_000,
        Some(Ok(n)) if n > 0 => n,
        Some(_) => {
            eprintln!("usage: pipeline [N_CUSTOMERS]: a whole number of customers, at least 1");
            std::process::exit(2);
        }
    };
    match summary(n_customers) {
        Ok(lines) => print!("{lines}"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
