//! Chunked, parallel, ordered processing of a customer range.
//!
//! Customers are processed in chunks on rayon's threads, a window of chunks
//! at a time, while the calling thread writes the previous window's results
//! in chunk order. Each chunk's result depends only on its customers, so the
//! output is the same whatever the thread count or chunk size.

use novawireless_accounts::Partition;
use rayon::prelude::*;

/// Default customers per chunk (a multiple of the anomalies crate's
/// `SWAP_BLOCK`, so chunks hold whole swap blocks); about 5 MB of output
/// per chunk, so a window stays small.
pub const DEFAULT_CHUNK_CUSTOMERS: u64 = 2048;

/// Runs `process` on every chunk in parallel and `write` on the results in
/// chunk order, overlapping the two.
pub fn process_in_order<T: Send, E: Send>(
    chunks: &[Partition],
    process: impl Fn(Partition) -> Result<T, E> + Sync,
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
