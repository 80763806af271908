//! The ledger read a group of rows at a time, by steps 3 and 4.

use crate::PipelineError;
use novawireless::{CustomerId, LedgerRow, LineId, SWAP_BLOCK};
use novawireless_io::read::{ledger_reader, RowReader};
use std::path::Path;

/// Rows per group when steps 3 and 4 stream a ledger (a group of ledger
/// rows takes a few MB).
pub(crate) const GROUP_ROWS: usize = 8192;

/// A ledger file read a group of rows at a time. Rows must be in customer
/// order, line ids increasing.
pub(crate) struct LedgerReader {
    rows: RowReader<LedgerRow>,
    /// The customer and line of the last row read.
    last: Option<(CustomerId, LineId)>,
    /// Rows per group (at least).
    group_rows: usize,
    /// Whether groups end only between blocks of [`SWAP_BLOCK`] customer
    /// indices, so that step 3 injects into a group what it would inject
    /// into the whole ledger.
    whole_swap_blocks: bool,
}

fn swap_block(row: &LedgerRow) -> u64 {
    row.line.customer_id.index() / SWAP_BLOCK
}

impl LedgerReader {
    /// Opens a ledger and checks its header; groups of `group_rows` rows,
    /// extended to the end of their swap block with `whole_swap_blocks`.
    pub(crate) fn open(
        path: &Path,
        group_rows: usize,
        whole_swap_blocks: bool,
    ) -> Result<Self, PipelineError> {
        Ok(LedgerReader {
            rows: ledger_reader(path)?,
            last: None,
            group_rows: group_rows.max(1),
            whole_swap_blocks,
        })
    }

    /// Whether the ledger has `billing_agreement_type` (step 4 has run).
    pub(crate) fn billing(&self) -> bool {
        self.rows.ledger_schema().billing_agreement_type
    }

    /// Whether the ledger has `imei_anomaly_type` (step 3 has run).
    pub(crate) fn anomaly_type(&self) -> bool {
        self.rows.ledger_schema().anomaly_type
    }

    /// Reads the next group into `rows`, with the file line of each row in
    /// `lines`: `group_rows` rows (then up to the end of the swap block with
    /// `whole_swap_blocks`), or every row left. `false` at the end of the
    /// ledger.
    pub(crate) fn next_group(
        &mut self,
        rows: &mut Vec<LedgerRow>,
        lines: &mut Vec<u64>,
    ) -> Result<bool, PipelineError> {
        rows.clear();
        lines.clear();
        loop {
            let next = self.rows.next_if(|r| {
                rows.len() < self.group_rows
                    || (self.whole_swap_blocks
                        && rows.last().is_some_and(|l| swap_block(l) == swap_block(r)))
            })?;
            let Some((row, line)) = next else {
                break;
            };
            if let Some((customer, line_id)) = self.last {
                if row.line.customer_id < customer {
                    return Err(self
                        .rows
                        .error_at(
                            line,
                            format_args!(
                                "customer {} after {customer}: the ledger must be in customer order",
                                row.line.customer_id
                            ),
                        )
                        .into());
                }
                if row.line.line_id <= line_id {
                    return Err(self
                        .rows
                        .error_at(
                            line,
                            format_args!(
                                "line {} after {line_id}: duplicate or out-of-order line_id",
                                row.line.line_id
                            ),
                        )
                        .into());
                }
            }
            self.last = Some((row.line.customer_id, row.line.line_id));
            rows.push(row);
            lines.push(line);
        }
        Ok(!rows.is_empty())
    }
}
