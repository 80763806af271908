//! Solves the joint model offline and prints it as JSON.
//!
//! `structure` (the default) prints the source structure solved from the
//! embedded IBM Telco aggregates, `src/joint/solved.json`; `calibration`
//! prints the embedded baseline's calibration on the offline sample,
//! `src/joint/default_calibration.json` (run it after the structure):
//!
//! ```sh
//! cargo run --release -p novawireless-sampler --example solve_structure structure \
//!   > crates/sampler/src/joint/solved.json
//! cargo run --release -p novawireless-sampler --example solve_structure calibration \
//!   > crates/sampler/src/joint/default_calibration.json
//! ```

use novawireless_sampler::joint::{default_settings, Aggregates, SourceStructure, DEFAULT_SAMPLE};
use novawireless_sampler::{Baseline, JointModel};

fn main() {
    let what = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "structure".into());
    let json = match what.as_str() {
        "structure" => serde_json::to_string_pretty(&SourceStructure::solve(
            &Aggregates::embedded(),
            &default_settings(),
        )),
        "calibration" => {
            let (model, _) = JointModel::calibrate_with(&Baseline::embedded(), DEFAULT_SAMPLE);
            serde_json::to_string_pretty(model.calibration())
        }
        other => {
            eprintln!("solve_structure: unknown output {other:?} (structure or calibration)");
            std::process::exit(2);
        }
    };
    match json {
        Ok(json) => println!("{json}"),
        Err(e) => {
            eprintln!("solve_structure: {e}");
            std::process::exit(1);
        }
    }
}
