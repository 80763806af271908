//! Swap blocks: the fixed groups of customers whose rows may swap usage
//! IMEIs with each other (README, *Scale and sharding*).

use crate::params::AnomalyError;
use novawireless_model::CustomerId;
use std::ops::Range;

/// Customers per swap block: without `within_customer_only`, swap partners
/// come from the block of [`SWAP_BLOCK`] consecutive customer indices the
/// customer belongs to, so every way of cutting a population into whole
/// blocks gives the same swaps.
pub const SWAP_BLOCK: u64 = 1024;

/// The swap block of a customer: its 0-based index divided by [`SWAP_BLOCK`].
pub const fn swap_block(customer: CustomerId) -> u64 {
    customer.index() / SWAP_BLOCK
}

/// The customers of whole swap blocks of a population: what step 3 is run
/// on ([`crate::inject`], [`crate::missing_pools`]). The range starts on a
/// block boundary and ends on one or at the end of the population (whose
/// last block may be short); [`SwapBlocks::new`] refuses any other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SwapBlocks {
    customers: Range<u64>,
}

impl SwapBlocks {
    /// Customers `customers` (0-based indices) of a population of
    /// `population` customers.
    ///
    /// # Errors
    /// [`AnomalyError::NotWholeBlocks`] when the range does not start on a
    /// block boundary, or ends neither on one nor at `population`, or
    /// reaches past `population`.
    pub fn new(customers: Range<u64>, population: u64) -> Result<Self, AnomalyError> {
        let Range { start, end } = customers;
        let whole = start <= end
            && end <= population
            && start % SWAP_BLOCK == 0
            && (end % SWAP_BLOCK == 0 || end == population);
        if whole {
            Ok(SwapBlocks { customers })
        } else {
            Err(AnomalyError::NotWholeBlocks {
                start,
                end,
                population,
            })
        }
    }

    /// Every customer of a population of `population` customers.
    pub const fn population(population: u64) -> Self {
        SwapBlocks {
            customers: 0..population,
        }
    }

    /// Blocks `blocks` (block numbers) in full: customers from
    /// `blocks.start · SWAP_BLOCK` to `blocks.end · SWAP_BLOCK`, for rows
    /// read from a ledger whose population is not known, every row of those
    /// blocks included.
    pub fn blocks(blocks: Range<u64>) -> Self {
        SwapBlocks {
            customers: blocks.start.saturating_mul(SWAP_BLOCK)
                ..blocks.end.saturating_mul(SWAP_BLOCK),
        }
    }

    /// The customers (0-based indices).
    pub fn customers(&self) -> Range<u64> {
        self.customers.clone()
    }

    /// Whether `customer` is one of them.
    pub fn contains(&self, customer: CustomerId) -> bool {
        self.customers.contains(&customer.index())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_blocks_are_accepted() {
        assert!(SwapBlocks::new(0..2048, 5_000).is_ok());
        assert!(SwapBlocks::new(4096..5_000, 5_000).is_ok());
        assert!(SwapBlocks::new(1024..1024, 5_000).is_ok());
        for (range, population) in [(1..1024, 5_000), (0..1000, 5_000), (0..6_144, 5_000)] {
            assert_eq!(
                SwapBlocks::new(range.clone(), population),
                Err(AnomalyError::NotWholeBlocks {
                    start: range.start,
                    end: range.end,
                    population
                })
            );
        }
        assert_eq!(
            SwapBlocks::new(0..1000, 5_000).unwrap_err().to_string(),
            "customers 0..1000 of 5000 are not whole swap blocks of 1024 customers"
        );
        assert_eq!(SwapBlocks::blocks(1..3).customers(), 1024..3072);
        assert!(SwapBlocks::population(10).contains(CustomerId::from_index(9)));
        assert!(!SwapBlocks::population(10).contains(CustomerId::from_index(10)));
        assert_eq!(swap_block(CustomerId::from_index(2047)), 1);
    }
}
