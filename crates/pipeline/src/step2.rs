//! Step 2: `build_master_account_ledger`.

use crate::error::first_row;
use crate::files::{Place, LEDGER_FILE, LEDGER_RECEIPT, STEP1_FILES};
use crate::folders::CreatedDirs;
use crate::sinks::{input_path, put_ledger, size_of, Part, Sink};
use crate::{Format, Layout, PipelineError, TOOL};
use novawireless::ledger::{join, JoinError, Table};
use novawireless::{Customer, CustomerId, EipAgreement, FlagCounts, Line, LineId, UsageSnapshot};
use novawireless_io::read::{agreement_row, customer_row, line_row, usage_row};
use novawireless_io::read::{RowReader, Step1Readers};
use novawireless_io::tables::{Agreements, Customers, Lines, Usage};
use novawireless_io::{FileRecord, InputError, LedgerSchema, OutputSet};
use serde::Serialize;
use std::fmt::Display;
use std::path::{Path, PathBuf};

#[derive(Serialize)]
struct LedgerReceipt<'a> {
    dataset: &'a str,
    step: &'a str,
    tool: &'a str,
    parameters: LedgerParameters<'a>,
    /// SHA-256 of `parameters` (README, *Parquet*).
    parameters_sha256: String,
    row_counts: FlagCounts,
    /// In a `run_all` output the listed ledger is the final one: its flags
    /// after steps 3 and 4, beside the step-2 counts above.
    #[serde(skip_serializing_if = "Option::is_none")]
    final_ledger_counts: Option<FlagCounts>,
    files: &'a [FileRecord],
}

#[derive(Serialize)]
pub(crate) struct LedgerParameters<'a> {
    in_dir: String,
    format: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    layout: Option<&'a str>,
}

/// The step-2 receipt's `parameters`, for output into `out` at `place`.
pub(crate) fn ledger_parameters<'a>(
    out: &OutputSet,
    in_dir: &Path,
    format: crate::Format,
    place: Place,
) -> LedgerParameters<'a> {
    LedgerParameters {
        in_dir: crate::input_folder(in_dir, out.dir()),
        format: format.as_str(),
        layout: place.recorded_layout(),
    }
}

/// Writes the step-2 receipt listing `files`, at `place`.
pub(crate) fn write_ledger_receipt(
    out: &mut OutputSet,
    in_dir: &Path,
    counts: FlagCounts,
    final_ledger_counts: Option<FlagCounts>,
    files: &[FileRecord],
    format: crate::Format,
    place: Place,
) -> Result<(), PipelineError> {
    let parameters = ledger_parameters(out, in_dir, format, place);
    let receipt = LedgerReceipt {
        dataset: "novawireless_master_account_ledger",
        step: "build_master_account_ledger",
        tool: TOOL,
        parameters_sha256: crate::provenance::parameters_sha256(&parameters),
        parameters,
        row_counts: counts,
        final_ledger_counts,
        files,
    };
    Ok(out.json(&place.receipt(LEDGER_RECEIPT), &receipt)?)
}

/// Customers per group of the merge-join (about 2.4 lines each, so a group
/// holds a few MB of rows).
const GROUP_CUSTOMERS: usize = 8192;

/// What an error about a row out of customer order ends with.
const ORDER_HINT: &str = "not in customer order (the step-1 tables must be sorted by customer_id)";

fn input(e: InputError) -> PipelineError {
    PipelineError::Input(e)
}

fn error_at<T>(table: &RowReader<T>, line: u64, message: impl Display) -> PipelineError {
    input(table.error_at(line, message))
}

/// The rows a group holds of one table, with the file line of each.
struct Rows<T> {
    rows: Vec<T>,
    lines: Vec<u64>,
}

impl<T> Default for Rows<T> {
    fn default() -> Self {
        Rows {
            rows: Vec::new(),
            lines: Vec::new(),
        }
    }
}

impl<T> Rows<T> {
    fn push(&mut self, row: T, line: u64) {
        self.rows.push(row);
        self.lines.push(line);
    }

    fn clear(&mut self) {
        self.rows.clear();
        self.lines.clear();
    }
}

/// The rows of a group of consecutive customers in all four tables.
#[derive(Default)]
struct Group {
    customers: Rows<Customer>,
    lines: Rows<Line>,
    agreements: Rows<EipAgreement>,
    usage: Rows<UsageSnapshot>,
}

impl Group {
    fn clear(&mut self) {
        self.customers.clear();
        self.lines.clear();
        self.agreements.clear();
        self.usage.clear();
    }

    fn is_empty(&self) -> bool {
        self.customers.rows.is_empty()
            && self.lines.rows.is_empty()
            && self.agreements.rows.is_empty()
            && self.usage.rows.is_empty()
    }
}

/// A merge over the four step-1 tables, all sorted by customer: each group
/// is up to [`GROUP_CUSTOMERS`] consecutive rows of `customers.csv` and the
/// rows of the other tables up to the group's last customer.
struct Step1Merge {
    tables: Step1Readers,
    /// Customers per group.
    group_customers: usize,
    /// The last customer read, and its file line.
    last_customer: Option<(CustomerId, u64)>,
    /// The last line read: its id, its customer and its file line.
    last_line: Option<(LineId, CustomerId, u64)>,
    /// The last customer of the groups already read.
    joined_through: Option<CustomerId>,
    /// The greatest customer of the agreement rows read so far, and its line.
    agreements_max: Option<(CustomerId, u64)>,
    /// The greatest customer of the usage rows read so far, and its line.
    usage_max: Option<(CustomerId, u64)>,
}

/// Checks that an agreement or usage row of customer `customer` on line
/// `line` does not belong to a group already joined.
fn check_not_joined<T>(
    table: &RowReader<T>,
    customer: CustomerId,
    line: u64,
    joined_through: Option<CustomerId>,
    max: &mut Option<(CustomerId, u64)>,
) -> Result<(), PipelineError> {
    if joined_through.is_some_and(|j| customer <= j) {
        let (after, after_line) = max.unwrap_or((customer, line));
        return Err(error_at(
            table,
            line,
            format_args!("customer {customer} after {after} (on line {after_line}): {ORDER_HINT}"),
        ));
    }
    if max.is_none_or(|(m, _)| customer > m) {
        *max = Some((customer, line));
    }
    Ok(())
}

impl Step1Merge {
    fn new(tables: Step1Readers, group_customers: usize) -> Self {
        Step1Merge {
            tables,
            group_customers: group_customers.max(1),
            last_customer: None,
            last_line: None,
            joined_through: None,
            agreements_max: None,
            usage_max: None,
        }
    }

    /// Reads the next group into `group`; `false` when every table is done.
    fn next_group(&mut self, group: &mut Group) -> Result<bool, PipelineError> {
        group.clear();
        self.read_customers(group)?;
        // Rows up to the group's last customer belong to it. In the last
        // group a row beyond that belongs to no customer: the first such row
        // of each table is taken too (`extra`), for its error, rather than
        // every row left.
        let last_group = self.tables.customers.peek().map_err(input)?.is_none();
        self.read_lines(group, last_group)?;
        self.read_agreements_and_usage(group, last_group)?;
        if let Some(last) = group.customers.rows.last() {
            self.joined_through = Some(last.customer_id);
        }
        Ok(!group.is_empty())
    }

    /// Reads up to a group of customers, in order and unique.
    fn read_customers(&mut self, group: &mut Group) -> Result<(), PipelineError> {
        let t = &mut self.tables;
        while group.customers.rows.len() < self.group_customers {
            let Some((customer, line)) = t.customers.next_row().map_err(input)? else {
                break;
            };
            let id = customer.customer_id;
            if let Some((previous, previous_line)) = self.last_customer {
                if id == previous {
                    return Err(error_at(
                        &t.customers,
                        line,
                        format_args!("duplicate customer_id {id} (first on line {previous_line})"),
                    ));
                }
                if id < previous {
                    return Err(error_at(
                        &t.customers,
                        line,
                        format_args!(
                            "customer {id} after {previous} (on line {previous_line}): {ORDER_HINT}"
                        ),
                    ));
                }
            }
            self.last_customer = Some((id, line));
            group.customers.push(customer, line);
        }
        Ok(())
    }

    /// The group's last customer, if any: rows up to it belong to the group.
    fn bound(group: &Group) -> impl Fn(CustomerId) -> bool {
        let bound = group.customers.rows.last().map(|c| c.customer_id);
        move |customer: CustomerId| bound.is_some_and(|b| customer <= b)
    }

    /// Reads the group's lines, in order, each of a customer of the group.
    fn read_lines(&mut self, group: &mut Group, last_group: bool) -> Result<(), PipelineError> {
        let within = Self::bound(group);
        let t = &mut self.tables;
        let mut extra = last_group;
        while let Some((line, at)) = t
            .lines
            .next_if(|l| within(l.customer_id) || std::mem::take(&mut extra))
            .map_err(input)?
        {
            if let Some((previous, previous_customer, previous_at)) = self.last_line {
                if line.customer_id < previous_customer {
                    return Err(error_at(
                        &t.lines,
                        at,
                        format_args!(
                            "customer {} after {previous_customer} (on line {previous_at}): {ORDER_HINT}",
                            line.customer_id
                        ),
                    ));
                }
                if line.line_id == previous {
                    return Err(error_at(
                        &t.lines,
                        at,
                        format_args!("duplicate line_id {previous} (first on line {previous_at})"),
                    ));
                }
                if line.line_id < previous {
                    return Err(error_at(
                        &t.lines,
                        at,
                        format_args!(
                            "line {} after {previous} (on line {previous_at}): duplicate or out-of-order line_id (line ids must increase down the file)",
                            line.line_id
                        ),
                    ));
                }
            }
            let customers = &group.customers.rows;
            let known = customers
                .binary_search_by_key(&line.customer_id, |c| c.customer_id)
                .is_ok_and(|i| customers[i].account_id == line.account_id);
            if !known {
                // The line's customer may come later in an unsorted customers.csv.
                if let Some(error) =
                    first_out_of_order(&mut t.customers, self.last_customer, |c| c.customer_id)
                {
                    return Err(error);
                }
                let e = JoinError::UnknownCustomer {
                    row: group.lines.rows.len(),
                    line_id: line.line_id,
                    customer_id: line.customer_id,
                    account_id: line.account_id,
                };
                return Err(PipelineError::join(t.lines.path(), at, None, e));
            }
            self.last_line = Some((line.line_id, line.customer_id, at));
            group.lines.push(line, at);
        }
        Ok(())
    }

    /// Reads the group's agreement and usage rows.
    fn read_agreements_and_usage(
        &mut self,
        group: &mut Group,
        last_group: bool,
    ) -> Result<(), PipelineError> {
        let within = Self::bound(group);
        let t = &mut self.tables;
        let mut extra = last_group;
        while let Some((agreement, at)) = t
            .agreements
            .next_if(|a| within(a.customer_id) || std::mem::take(&mut extra))
            .map_err(input)?
        {
            check_not_joined(
                &t.agreements,
                agreement.customer_id,
                at,
                self.joined_through,
                &mut self.agreements_max,
            )?;
            group.agreements.push(agreement, at);
        }
        let mut extra = last_group;
        while let Some((usage, at)) = t
            .usage
            .next_if(|u| within(u.customer_id) || std::mem::take(&mut extra))
            .map_err(input)?
        {
            check_not_joined(
                &t.usage,
                usage.customer_id,
                at,
                self.joined_through,
                &mut self.usage_max,
            )?;
            group.usage.push(usage, at);
        }
        Ok(())
    }

    /// Turns a join error on `group` into `file:line: message`.
    ///
    /// An agreement or usage row can match no line of its group because
    /// `lines.csv` is out of customer order: the group's lines stopped at a
    /// line of a later customer, and the row's line comes after it. The
    /// rest of `lines.csv` is then scanned (this run fails anyway) and the
    /// first line out of order reported instead.
    fn join_error(&mut self, group: &Group, e: JoinError) -> PipelineError {
        if matches!(e, JoinError::UnknownLine { .. }) {
            if let Some(error) = self.lines_out_of_order() {
                return error;
            }
        }
        let t = &self.tables;
        let (path, lines) = match e.table() {
            Table::Customers => (t.customers.path(), &group.customers.lines),
            Table::Lines => (t.lines.path(), &group.lines.lines),
            Table::EipAgreements => (t.agreements.path(), &group.agreements.lines),
            Table::Usage => (t.usage.path(), &group.usage.lines),
        };
        let line = lines.get(e.row()).copied().unwrap_or(0);
        let first_line = first_row(&e).map(|row| lines.get(row).copied().unwrap_or(0));
        PipelineError::join(path, line, first_line, e)
    }

    /// The first row of the rest of `lines.csv` whose customer comes before
    /// the previous row's, as an error.
    fn lines_out_of_order(&mut self) -> Option<PipelineError> {
        let previous = self.last_line.map(|(_, customer, at)| (customer, at));
        first_out_of_order(&mut self.tables.lines, previous, |l| l.customer_id)
    }
}

/// Scans the rest of `table` for the first row whose customer comes before
/// the previous row's (`previous` before the first), and returns it as an
/// error; `None` when there is none or a row cannot be read.
///
/// A table out of customer order can make the merge fail on another table
/// first (a line whose customer is in a later group, an agreement whose line
/// is); this run fails anyway, so the error path reads on to name the cause.
fn first_out_of_order<T>(
    table: &mut RowReader<T>,
    mut previous: Option<(CustomerId, u64)>,
    customer_of: fn(&T) -> CustomerId,
) -> Option<PipelineError> {
    while let Ok(Some((row, at))) = table.next_row() {
        let customer = customer_of(&row);
        if let Some((previous_customer, previous_at)) = previous {
            if customer < previous_customer {
                return Some(error_at(
                    table,
                    at,
                    format_args!(
                        "customer {customer} after {previous_customer} (on line {previous_at}): {ORDER_HINT}"
                    ),
                ));
            }
        }
        previous = Some((customer, at));
    }
    None
}

/// Runs step 2: merge-joins the step-1 tables of `in_dir` (and nowhere
/// else), a group of customers at a time, and writes the ledger and its
/// receipt to `out_dir`, mirrored to `mirror_dir`. Tables are read and
/// written in `format` and `layout` (with the tables layout, the part
/// `part-1-of-1` of each table folder: [`crate::table_path`]).
///
/// The tables must be sorted by customer, as step 1 writes them: customers
/// by `customer_id`, lines by `line_id` and customer. Agreement and usage
/// rows may be in any order within a group of 8,192 customers, but never
/// after a row of a later group. Memory holds one group, whatever the size
/// of the tables.
pub fn build_master_account_ledger(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    format: Format,
    layout: Layout,
) -> Result<FlagCounts, PipelineError> {
    let place = Place::unsharded(layout);
    crate::locked(out_dir, mirror_dir, place, || {
        build_master_account_ledger_unlocked(in_dir, out_dir, mirror_dir, format, place)
    })
}

/// [`build_master_account_ledger`] once its folders are locked.
fn build_master_account_ledger_unlocked(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    format: Format,
    place: Place,
) -> Result<FlagCounts, PipelineError> {
    // Refuse an unusable mirror before anything changes.
    crate::check_mirror(mirror_dir)?;
    let created = CreatedDirs::before(out_dir);
    let result = build(
        in_dir,
        out_dir,
        mirror_dir,
        GROUP_CUSTOMERS,
        (format, place),
    );
    if result.is_err() {
        created.remove_if_empty();
    }
    result
}

/// Step 2 with groups of `group_customers` customers.
fn build(
    in_dir: &Path,
    out_dir: &Path,
    mirror_dir: Option<&Path>,
    group_customers: usize,
    (format, place): (Format, Place),
) -> Result<FlagCounts, PipelineError> {
    let path = |i: usize| input_path(in_dir, STEP1_FILES[i], format, place);
    let inputs = [path(0)?, path(2)?, path(4)?, path(5)?];
    let readers = open_step1(&inputs).map_err(input)?;
    let mut merge = Step1Merge::new(readers, group_customers);
    let mut out = OutputSet::create(out_dir)?;
    // The ledger is about as large as its four inputs.
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    out.set_direct_io(crate::direct_io_pays(size_of(&inputs)));
    let schema = LedgerSchema::default();
    out.set_provenance(crate::provenance::pairs(
        "build_master_account_ledger",
        &place.receipt(LEDGER_RECEIPT),
        &ledger_parameters(&out, in_dir, format, place),
        &[],
    ));
    let mut sink = Sink::ledger(&mut out, format, &[&place.stem(LEDGER_FILE)], schema)?;
    let mut part = Part::default();
    let mut counts = FlagCounts::default();
    let mut group = Group::default();
    while merge.next_group(&mut group)? {
        let rows = join(
            &group.customers.rows,
            &group.lines.rows,
            &group.agreements.rows,
            &group.usage.rows,
        )
        .map_err(|e| merge.join_error(&group, e))?;
        put_ledger(&mut sink, &mut part, format, &rows, schema)?;
        counts.add(&rows);
    }
    sink.finish(&mut out)?;
    let files = out.records().to_vec();
    write_ledger_receipt(&mut out, in_dir, counts, None, &files, format, place)?;
    let ledger = place.table(LEDGER_FILE, format);
    crate::commit(out, mirror_dir, &[ledger, place.receipt(LEDGER_RECEIPT)])?;
    Ok(counts)
}

/// Opens the four step-1 tables step 2 reads, at `paths`: customers,
/// lines, agreements and usage.
fn open_step1(
    [customers, lines, agreements, usage]: &[PathBuf; 4],
) -> Result<Step1Readers, InputError> {
    Ok(Step1Readers {
        customers: RowReader::open::<Customers>(customers, customer_row)?,
        lines: RowReader::open::<Lines>(lines, line_row)?,
        agreements: RowReader::open::<Agreements>(agreements, agreement_row)?,
        usage: RowReader::open::<Usage>(usage, usage_row)?,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::fs;

    fn fixtures() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/small")
    }

    fn expected_ledger() -> String {
        fs::read_to_string(fixtures().join("expected").join(LEDGER_FILE)).unwrap()
    }

    /// Applies `f` to the lines (header first) of a text file.
    fn edit(path: &Path, f: impl FnOnce(&mut Vec<String>)) {
        let text = fs::read_to_string(path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        f(&mut lines);
        fs::write(path, lines.join("\n") + "\n").unwrap();
    }

    /// The fixture's step-1 tables in `dir`, with the agreements sorted by
    /// customer: the fixture lists C0000007's before C0000005's on purpose,
    /// which only a group holding both customers accepts.
    fn sorted_step1(dir: &Path) {
        for name in [
            "customers.csv",
            "lines.csv",
            "eip_agreements.csv",
            "line_device_usage.csv",
        ] {
            fs::copy(fixtures().join(name), dir.join(name)).unwrap();
        }
        edit(&dir.join("eip_agreements.csv"), |lines| {
            lines[1..].sort_by_key(|l| l.split(',').nth(1).unwrap().to_owned());
        });
    }

    /// Step 2 with groups of `group` customers: the ledger, or the error.
    fn ledger(in_dir: &Path, group: usize) -> Result<String, String> {
        let out = tempfile::tempdir().unwrap();
        build(
            in_dir,
            out.path(),
            None,
            group,
            (Format::Csv, Place::default()),
        )
        .map_err(|e| e.to_string())?;
        Ok(fs::read_to_string(out.path().join(LEDGER_FILE)).unwrap())
    }

    /// Checks that step 2 refuses `dir` with groups of each size in
    /// `groups`, with an error starting `file:line: message`.
    fn refused(dir: &Path, groups: &[usize], file: &str, line: u64, message: &str) {
        let start = format!("{}:{line}: {message}", dir.join(file).display());
        for &group in groups {
            let error = ledger(dir, group).unwrap_err();
            assert!(
                error.starts_with(&start),
                "groups of {group}: {error}\nwanted: {start}"
            );
        }
    }

    #[test]
    fn every_group_size_gives_the_same_ledger() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        for group in 1..=8 {
            assert_eq!(
                ledger(dir.path(), group).unwrap(),
                expected_ledger(),
                "groups of {group}"
            );
        }
    }

    #[test]
    fn agreements_out_of_order_within_a_group_are_accepted_across_groups_refused() {
        assert_eq!(ledger(&fixtures(), 7).unwrap(), expected_ledger());
        refused(
            &fixtures(),
            &[1, 2, 3, 6],
            "eip_agreements.csv",
            7,
            &format!("customer C0000005 after C0000007 (on line 6): {ORDER_HINT}"),
        );
    }

    #[test]
    fn a_usage_row_after_a_later_customers_group_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("line_device_usage.csv"), |lines| {
            let row = lines.remove(1);
            lines.push(row);
        });
        refused(
            dir.path(),
            &[1, 2, 3],
            "line_device_usage.csv",
            11,
            &format!("customer C0000002 after C0000006 (on line 9): {ORDER_HINT}"),
        );
        // Within the group of its customer, the row is only out of order.
        for group in [6, 7] {
            assert_eq!(ledger(dir.path(), group).unwrap(), expected_ledger());
        }
    }

    #[test]
    fn lines_out_of_customer_order_are_named_even_when_a_join_fails_first() {
        // LINE-6 (C0000005) moved before LINE-2 (C0000003): with small
        // groups, C0000003's agreement meets no line in its group before the
        // merge reaches the line out of order.
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("lines.csv"), |lines| {
            let row = lines.remove(6);
            lines.insert(2, row);
        });
        refused(
            dir.path(),
            &[1, 2, 3, 8],
            "lines.csv",
            4,
            &format!("customer C0000003 after C0000005 (on line 3): {ORDER_HINT}"),
        );
    }

    #[test]
    fn customers_out_of_order_are_named_even_when_a_line_fails_first() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("customers.csv"), |lines| lines.swap(2, 3));
        refused(
            dir.path(),
            &[1, 2, 8],
            "customers.csv",
            4,
            &format!("customer C0000002 after C0000003 (on line 3): {ORDER_HINT}"),
        );
    }

    #[test]
    fn a_line_of_a_customer_between_two_groups_is_unknown() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("customers.csv"), |lines| {
            lines.remove(3);
        });
        refused(
            dir.path(),
            &[1, 2, 8],
            "lines.csv",
            3,
            "line LINE-000000002 belongs to unknown customer C0000003 / account A0000003",
        );
    }

    #[test]
    fn line_ids_must_increase_across_groups() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        let lines = dir.path().join("lines.csv");
        edit(&lines, |l| {
            l[3] = l[3].replace("LINE-000000003", "LINE-000000002")
        });
        refused(
            dir.path(),
            &[1, 8],
            "lines.csv",
            4,
            "duplicate line_id LINE-000000002 (first on line 3)",
        );
        edit(&lines, |l| {
            l[3] = l[3].replace("LINE-000000002", "LINE-000000001")
        });
        refused(
            dir.path(),
            &[1, 8],
            "lines.csv",
            4,
            "line LINE-000000001 after LINE-000000002 (on line 3): duplicate or out-of-order line_id",
        );
    }

    #[test]
    fn an_agreement_of_a_customer_after_the_last_matches_no_line() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("eip_agreements.csv"), |lines| {
            lines.push(
                "EIP-0000000009,C0000008,A0000008,LINE-000000012,9985550112,359230104430210,voice,active,36"
                    .into(),
            );
        });
        refused(
            dir.path(),
            &[1, 2, 8],
            "eip_agreements.csv",
            10,
            "no line matches LINE-000000012 / C0000008 / A0000008 / 9985550112",
        );
    }

    #[test]
    fn rows_beyond_the_last_customer_fail_at_the_first() {
        // Without customers and lines, the first agreement matches no line,
        // and the merge stops there instead of gathering every agreement.
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        for name in ["customers.csv", "lines.csv"] {
            edit(&dir.path().join(name), |lines| lines.truncate(1));
        }
        refused(
            dir.path(),
            &[1, 8],
            "eip_agreements.csv",
            2,
            "no line matches LINE-000000001 / C0000002 / A0000002 / 2002000000",
        );
    }

    #[test]
    fn a_second_agreement_in_the_same_group_names_both_lines() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("eip_agreements.csv"), |lines| {
            let row = lines[3].replace("EIP-0000000003", "EIP-0000000009");
            lines.insert(5, row);
        });
        refused(
            dir.path(),
            &[1, 2, 8],
            "eip_agreements.csv",
            6,
            "second row for line LINE-000000003 (first on line 4)",
        );
    }

    #[test]
    fn a_failed_run_removes_the_folders_it_created() {
        let dir = tempfile::tempdir().unwrap();
        sorted_step1(dir.path());
        edit(&dir.path().join("lines.csv"), |l| {
            l[3] = l[3].replace("LINE-000000003", "LINE-000000002")
        });
        let out = dir.path().join("new/out");
        assert!(
            build_master_account_ledger(dir.path(), &out, None, Format::Csv, Layout::Flat).is_err()
        );
        assert!(!dir.path().join("new").exists());
    }
}
