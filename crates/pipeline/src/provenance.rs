//! What every Parquet file says of where it comes from (README,
//! *Parquet*): key-value pairs in its footer naming the tool, the step,
//! the seeds, the receipt that lists the run's parameters, and the SHA-256
//! of those parameters, which the receipt records too.

use crate::TOOL;
use serde::Serialize;

/// The prefix of every key.
pub const PREFIX: &str = "novawireless.";

/// SHA-256 of `parameters` as compact JSON: the receipt's
/// `parameters_sha256`.
pub(crate) fn parameters_sha256(parameters: &impl Serialize) -> String {
    // Serializing a struct of plain fields cannot fail.
    let bytes = serde_json::to_vec(parameters).unwrap_or_default();
    novawireless_io::sha256_hex(&bytes)
}

/// The footer pairs of a step's Parquet files: `tool`, `step`, each of
/// `seeds`, `receipt` and `parameters_sha256`.
pub(crate) fn pairs(
    step: &str,
    receipt: &str,
    parameters: &impl Serialize,
    seeds: &[(&str, u64)],
) -> Vec<(String, String)> {
    let key = |name: &str| format!("{PREFIX}{name}");
    let mut pairs = vec![
        (key("tool"), TOOL.to_string()),
        (key("step"), step.to_string()),
    ];
    pairs.extend(
        seeds
            .iter()
            .map(|(name, seed)| (key(name), seed.to_string())),
    );
    pairs.push((key("receipt"), receipt.to_string()));
    pairs.push((key("parameters_sha256"), parameters_sha256(parameters)));
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct P {
        seed: u64,
    }

    #[test]
    fn pairs_name_the_tool_the_seed_and_the_parameters_hash() {
        let p = pairs("run_all", "r.json", &P { seed: 7 }, &[("seed", 7)]);
        let keys: Vec<&str> = p.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "novawireless.tool",
                "novawireless.step",
                "novawireless.seed",
                "novawireless.receipt",
                "novawireless.parameters_sha256"
            ]
        );
        assert_eq!(p[2].1, "7");
        // SHA-256 of the bytes {"seed":7}.
        assert_eq!(p[4].1, novawireless_io::sha256_hex(br#"{"seed":7}"#));
        assert_eq!(p[0].1, TOOL);
    }
}
