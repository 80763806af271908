//! Chunked, parallel, ordered processing of a customer range.
//!
//! Customers are processed in chunks on rayon's threads, a window of chunks
//! at a time, while the calling thread writes the previous window's results
//! in chunk order. Each chunk's result depends only on its customers, so the
//! output is the same whatever the thread count or chunk size.

use novawireless_accounts::{AccountGenerator, CustomerRange};
use rayon::prelude::*;

/// Customers per swap block (see `SWAP_BLOCK`): the grain of the chunk plan.
/// Chunk and shard boundaries fall on multiples of it.
pub const BLOCK_CUSTOMERS: u64 = crate::SWAP_BLOCK;

/// Default customers per chunk (a multiple of [`BLOCK_CUSTOMERS`]); about
/// 5 MB of output per chunk, so a window stays small.
pub const DEFAULT_CHUNK_CUSTOMERS: u64 = 2048;

/// A chunk of customers and the global index of its first line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk {
    /// The customers.
    pub range: CustomerRange,
    /// Global 0-based index of the chunk's first line.
    pub first_line: u64,
}

/// Splits `range` (whose start is a multiple of [`BLOCK_CUSTOMERS`]) into
/// chunks of `chunk_customers` (a multiple of it), with first-line indices
/// from prefix sums of the cheap shape draws of every earlier block.
pub fn plan(
    generator: &AccountGenerator,
    range: CustomerRange,
    chunk_customers: u64,
) -> Vec<Chunk> {
    debug_assert_eq!(range.start % BLOCK_CUSTOMERS, 0);
    debug_assert_eq!(chunk_customers % BLOCK_CUSTOMERS, 0);
    let blocks: Vec<CustomerRange> = CustomerRange::new(0, range.end)
        .chunks(BLOCK_CUSTOMERS)
        .collect();
    let lines: Vec<u64> = blocks
        .par_iter()
        .map(|b| {
            (b.start..b.end)
                .map(|i| u64::from(generator.shape(i).total_lines()))
                .sum()
        })
        .collect();
    let mut first_line_of_block = Vec::with_capacity(blocks.len() + 1);
    let mut total = 0;
    for l in &lines {
        first_line_of_block.push(total);
        total += l;
    }
    first_line_of_block.push(total);
    range
        .chunks(chunk_customers)
        .map(|r| Chunk {
            range: r,
            first_line: first_line_of_block[(r.start / BLOCK_CUSTOMERS) as usize],
        })
        .collect()
}

/// Runs `process` on every chunk in parallel and `write` on the results in
/// chunk order, overlapping the two.
pub fn process_in_order<T: Send, E: Send>(
    chunks: &[Chunk],
    process: impl Fn(Chunk) -> Result<T, E> + Sync,
    mut write: impl FnMut(T) -> Result<(), E>,
) -> Result<(), E> {
    let window = (2 * rayon::current_num_threads()).max(2);
    let (sender, receiver) = std::sync::mpsc::sync_channel::<Result<Vec<T>, E>>(1);
    std::thread::scope(|scope| {
        let process = &process;
        scope.spawn(move || {
            for group in chunks.chunks(window) {
                let results: Result<Vec<T>, E> = group.par_iter().map(|c| process(*c)).collect();
                let failed = results.is_err();
                if sender.send(results).is_err() || failed {
                    return;
                }
            }
        });
        for results in receiver {
            for result in results? {
                write(result)?;
            }
        }
        Ok(())
    })
}

/// Output buffers handed back by the writer for the next chunks to reuse, so
/// chunk after chunk runs without fresh allocations (and the page faults of
/// touching new memory).
#[derive(Debug, Default)]
pub struct Recycler<T>(std::sync::Mutex<Vec<T>>);

impl<T: Default> Recycler<T> {
    /// A recycled value, or a new one.
    pub fn take(&self) -> T {
        self.0
            .lock()
            .map(|mut v| v.pop())
            .ok()
            .flatten()
            .unwrap_or_default()
    }

    /// Returns a value for reuse.
    pub fn give(&self, value: T) {
        if let Ok(mut v) = self.0.lock() {
            v.push(value);
        }
    }
}
