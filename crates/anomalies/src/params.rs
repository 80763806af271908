//! Step-3 parameters and errors.

use novawireless_model::CustomerId;

/// Share of the expected missing-IMEI defects drawn from lines with an
/// agreement (`missing_usage_imei_capture_failure`); the rest come from
/// lines without one (`missing_usage_imei_ghost_line`).
pub const CAPTURE_FAILURE_SHARE: f64 = 0.7;

/// The step-3 knobs (`--seed`, `--p_mismatch`, `--p_missing`,
/// `--within_customer_only`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnomalyParams {
    /// Seed of the anomaly streams (`--seed` of step 3, `--anomaly_seed` of `run_all`).
    pub seed: u64,
    /// Probability that an eligible line starts an IMEI swap.
    pub p_mismatch: f64,
    /// Expected share of lines with a usage IMEI that lose it.
    pub p_missing: f64,
    /// Swap partners come from the same customer (`true`) or from any
    /// customer of the same swap block ([`crate::SWAP_BLOCK`]) (`false`).
    pub within_customer_only: bool,
}

impl Default for AnomalyParams {
    fn default() -> Self {
        AnomalyParams {
            seed: 1337,
            p_mismatch: 0.07,
            p_missing: 0.04,
            within_customer_only: true,
        }
    }
}

impl AnomalyParams {
    /// Checks that both probabilities lie in [0, 1].
    ///
    /// # Errors
    /// [`AnomalyError::InvalidProbability`] naming the first bad parameter.
    pub fn validate(&self) -> Result<(), AnomalyError> {
        for (name, value) in [
            ("p_mismatch", self.p_mismatch),
            ("p_missing", self.p_missing),
        ] {
            if !(0.0..=1.0).contains(&value) {
                return Err(AnomalyError::InvalidProbability { name, value });
            }
        }
        Ok(())
    }
}

/// Why step 3 refuses its input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnomalyError {
    /// A probability outside [0, 1], or NaN.
    #[error("{name} must be a probability in [0, 1], got {value}")]
    InvalidProbability {
        /// The parameter, spelled as its flag (`p_mismatch` or `p_missing`).
        name: &'static str,
        /// The refused value.
        value: f64,
    },
    /// Rows not grouped by customer in ascending customer order, so a
    /// customer's rows might be split between calls.
    #[error("ledger row {row}: customer {customer_id} follows customer {previous}; rows must be grouped by customer in ascending order")]
    CustomersOutOfOrder {
        /// 0-based index of the row in the slice passed in.
        row: usize,
        /// The row's customer.
        customer_id: CustomerId,
        /// The customer of the row before it.
        previous: CustomerId,
    },
    /// A range of customers that is not made of whole swap blocks.
    #[error("customers {start}..{end} of {population} are not whole swap blocks of {block} customers", block = crate::SWAP_BLOCK)]
    NotWholeBlocks {
        /// First customer index of the range.
        start: u64,
        /// One past its last customer index.
        end: u64,
        /// Customers in the population.
        population: u64,
    },
    /// A row whose customer lies outside the swap blocks passed with it.
    #[error("ledger row {row}: customer {customer_id} is not one of customers {start}..{end} (0-based) passed with the rows")]
    OutsideBlocks {
        /// 0-based index of the row in the slice passed in.
        row: usize,
        /// The row's customer.
        customer_id: CustomerId,
        /// First customer index of the blocks.
        start: u64,
        /// One past their last customer index.
        end: u64,
    },
}
