//! Partitions of a population: ranges of customers with the global index of
//! their first line, planned by the generator from the customers' shapes.

use crate::generator::AccountGenerator;
use crate::params::CustomerRange;
use rayon::prelude::*;

/// Customers per block of the partition plan: line counts are summed per
/// block (in parallel), and the first line of a partition is the sum over
/// the blocks before it plus the customers of its own block before it.
pub const PLAN_BLOCK: u64 = 1024;

/// A range of customers and the global 0-based index of its first line,
/// planned by [`AccountGenerator::partition`] or
/// [`AccountGenerator::partitions`]: the only input of
/// [`AccountGenerator::generate`]. Its fields cannot be set from outside,
/// so the first line is always the one the customers before the range
/// give (for the generator that planned it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    range: CustomerRange,
    first_line: u64,
}

impl Partition {
    /// A partition whose first line the generator has counted.
    pub(crate) const fn planned(range: CustomerRange, first_line: u64) -> Self {
        Partition { range, first_line }
    }

    /// The customers.
    pub const fn range(&self) -> CustomerRange {
        self.range
    }

    /// Global 0-based index of the first line of the range's first customer.
    pub const fn first_line(&self) -> u64 {
        self.first_line
    }
}

impl AccountGenerator {
    /// Lines of the customers of `range`, from their shape draws alone.
    fn lines_in(&self, range: CustomerRange) -> u64 {
        (range.start..range.end)
            .map(|i| u64::from(self.shape(i).total_lines()))
            .sum()
    }

    /// `range` as one partition. Its first line replays the shape draws of
    /// every customer before it, on this thread: for a large range start,
    /// prefer [`Self::partitions`].
    pub fn partition(&self, range: CustomerRange) -> Partition {
        Partition::planned(range, self.lines_before(range.start))
    }

    /// Splits `range` into consecutive partitions of at most
    /// `customers_per_partition` customers (at least 1), in order. The first
    /// lines come from prefix sums of the shape draws of every customer
    /// before each partition, summed in blocks of [`PLAN_BLOCK`] customers
    /// on rayon's threads. An empty range has no partition.
    ///
    /// ```
    /// use novawireless_accounts::{AccountGenerator, CustomerRange, GraphParams};
    /// use novawireless_sampler::Baseline;
    ///
    /// let generator = AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 7, 3_000).unwrap();
    /// let whole = generator.generate_range(CustomerRange::new(0, 3_000));
    /// let parts = generator.partitions(CustomerRange::new(1_000, 3_000), 1_024);
    /// assert_eq!(parts.len(), 2);
    /// assert_eq!(parts[1].range(), CustomerRange::new(2_024, 3_000));
    /// let lines_before = whole.customers[..2_024].iter().map(|c| u64::from(c.total_lines())).sum::<u64>();
    /// assert_eq!(parts[1].first_line(), lines_before);
    /// assert_eq!(generator.generate(parts[1]).customers[..], whole.customers[2_024..]);
    /// ```
    pub fn partitions(&self, range: CustomerRange, customers_per_partition: u64) -> Vec<Partition> {
        if range.is_empty() {
            return Vec::new();
        }
        let blocks: Vec<CustomerRange> = CustomerRange::new(0, range.end)
            .chunks(PLAN_BLOCK)
            .collect();
        let lines: Vec<u64> = blocks.par_iter().map(|b| self.lines_in(*b)).collect();
        let mut first_line_of_block = Vec::with_capacity(lines.len());
        let mut total = 0;
        for l in lines {
            first_line_of_block.push(total);
            total += l;
        }
        range
            .chunks(customers_per_partition)
            .map(|r| {
                let block = r.start / PLAN_BLOCK;
                let block_start = block * PLAN_BLOCK;
                let first_line = first_line_of_block[block as usize]
                    + self.lines_in(CustomerRange::new(block_start, r.start));
                Partition::planned(r, first_line)
            })
            .collect()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::GraphParams;
    use novawireless_sampler::Baseline;

    #[test]
    fn partitions_of_any_size_give_the_rows_of_the_whole_range() {
        let n = 2_600;
        let generator =
            AccountGenerator::new(&Baseline::embedded(), GraphParams::default(), 11, n).unwrap();
        let whole = generator.generate_range(CustomerRange::new(0, n));
        for (start, size) in [(0, 1_024), (700, 333), (1_024, 2_048), (2_599, 5)] {
            let parts = generator.partitions(CustomerRange::new(start, n), size);
            assert_eq!(parts.len() as u64, (n - start).div_ceil(size));
            let mut lines = Vec::new();
            for (k, p) in parts.iter().enumerate() {
                assert_eq!(p.range().start, start + k as u64 * size);
                assert_eq!(p.first_line(), generator.lines_before(p.range().start));
                lines.extend(generator.generate(*p).lines);
            }
            let skipped = generator.lines_before(start) as usize;
            assert_eq!(lines[..], whole.lines[skipped..], "from {start} by {size}");
        }
        assert!(generator
            .partitions(CustomerRange::new(5, 5), 10)
            .is_empty());
        assert_eq!(
            generator.partition(CustomerRange::new(5, 5)).first_line(),
            generator.lines_before(5)
        );
    }
}
