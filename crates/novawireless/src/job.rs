//! The chunk job: the named stages over one chunk of customers, a
//! [`StageSink`] receiving each stage's rows, and the run of every chunk
//! on rayon's threads with the results handed over in chunk order.

use crate::counts::{AnomalySummary, FlagCounts, Step1Counts};
use crate::parallel::{process_in_order, Recycler};
use crate::SWAP_BLOCK;
use crate::{stages, Error};
use novawireless_accounts::{
    AccountChunk, AccountGenerator, CustomerRange, GraphParams, Partition,
};
use novawireless_anomalies::SwapBlocks;
use novawireless_anomalies::{is_example, AnomalyCounts, AnomalyParams, MissingPools};
use novawireless_billing::BillingCounts;
use novawireless_model::{Defect, DefectType, LedgerRow};
use novawireless_sampler::Baseline;
use rayon::prelude::*;

/// What a run generates: the population, its draws and the chunking.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// Number of customers of the population.
    pub n_customers: u64,
    /// Seed of every step-1 draw.
    pub seed: u64,
    /// Plan, attach, mismatch and date parameters of step 1.
    pub params: GraphParams,
    /// Step 3's seed and probabilities.
    pub anomalies: AnomalyParams,
    /// Customers per chunk, a positive multiple of [`crate::SWAP_BLOCK`];
    /// the rows do not depend on it.
    pub chunk_customers: u64,
    /// Only these customers (whole swap blocks of the population), with the
    /// rows and defects they have in the full run; `None`: all.
    pub range: Option<CustomerRange>,
    /// Also run the clean-twin stage.
    pub clean_twin: bool,
}

impl Options {
    /// The defaults of the programs (README, *Flags*) for `n_customers`.
    pub fn new(n_customers: u64) -> Self {
        Options {
            n_customers,
            seed: 42,
            params: GraphParams::default(),
            anomalies: AnomalyParams::default(),
            chunk_customers: crate::parallel::DEFAULT_CHUNK_CUSTOMERS,
            range: None,
            clean_twin: false,
        }
    }
}

/// Progress of a run, counted in customers; the programs draw bars with
/// it. Every method does nothing by default.
pub trait Progress: Sync {
    /// A stage (`pools`, `tables` or `customers`) starts over `customers`.
    fn start(&self, _stage: &'static str, _customers: u64) {}
    /// `customers` more are done (called from any thread).
    fn advance(&self, _customers: u64) {}
    /// The stage is done.
    fn finish(&self) {}
}

/// No progress shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {}

/// Receives the rows of each stage of one chunk, by reference, as the
/// chunk job produces them (as ripgrep's `Sink` receives a searcher's
/// matches). Every method does nothing by default; an error stops the job.
pub trait StageSink {
    /// The error of the sink; the job's own errors convert into it.
    type Error: From<Error>;

    /// Generate: the step-1 tables of the chunk.
    fn generated(&mut self, _chunk: &AccountChunk) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Join: the step-2 ledger, before any defect is injected.
    fn joined(&mut self, _rows: &[LedgerRow]) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Clean twin (only with [`Options::clean_twin`]): the ledger with no
    /// defect, billed.
    fn clean_twin(&mut self, _rows: &[LedgerRow]) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Inject: the anomaly ledger and the manifest of every defect (stage-1
    /// rows included).
    fn injected(&mut self, _rows: &[LedgerRow], _defects: &[Defect]) -> Result<(), Self::Error> {
        Ok(())
    }
    /// The examples: the injected rows with a label or a friction flag.
    fn examples(&mut self, _rows: &[&LedgerRow]) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Bill: the final ledger.
    fn billed(&mut self, _rows: &[LedgerRow]) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// The counts of a chunk, or of a run (summed over its chunks in order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Counts {
    /// Step-1 row counts.
    pub step1: Step1Counts,
    /// Step-2 flag counts, before step 3.
    pub flags: FlagCounts,
    /// Flag counts of the final ledger.
    pub final_flags: FlagCounts,
    /// Step-3 counts.
    pub anomalies: AnomalyCounts,
    /// Step-4 value counts.
    pub billing: BillingCounts,
    /// Rows of the examples.
    pub example_rows: u64,
    /// Rows of the manifest.
    pub manifest_rows: u64,
}

impl Counts {
    /// Step 3's summary, as its receipt lists it.
    pub fn summary(&self) -> AnomalySummary {
        AnomalySummary::new(&self.anomalies, self.example_rows, self.manifest_rows)
    }

    /// The summary lines `run_all` prints on stdout after its files.
    pub fn summary_lines(&self) -> String {
        let (c, a) = (self.step1, self.summary());
        // Every defect type in order: step 1's from its counts, step 3's
        // from the labelled rows.
        let mut defects = a.counts.labelled;
        defects[DefectType::GenerationUsageMismatch] = c.generation_usage_mismatches;
        let defects: Vec<String> = defects.iter().map(|(t, n)| format!("{t} {n}")).collect();
        format!(
            "customers {} lines {} devices {} eip_agreements {} ledger rows {}\n\
             anomaly_manifest rows {}\n\
             anomalies: {}\n",
            c.customers,
            c.lines,
            c.devices,
            c.eip_agreements,
            self.flags.rows,
            a.manifest_rows,
            defects.join(" ")
        )
    }
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, o: Counts) {
        self.step1 += o.step1;
        self.flags += o.flags;
        self.final_flags += o.final_flags;
        self.anomalies += o.anomalies;
        self.billing += o.billing;
        self.example_rows += o.example_rows;
        self.manifest_rows += o.manifest_rows;
    }
}

/// The vectors a chunk is built in, recycled from chunk to chunk.
#[derive(Default)]
struct Work {
    chunk: AccountChunk,
    rows: Vec<LedgerRow>,
    clean: Vec<LedgerRow>,
    defects: Vec<Defect>,
}

/// The chunk job of a run and what it needs, built once: the generator,
/// step 3's pools counted over the whole population (pass 1), the chunks
/// of the run's customers, and the recycled vectors.
pub struct Pipeline {
    options: Options,
    generator: AccountGenerator,
    /// `None` for a pipeline that only generates.
    pools: Option<MissingPools>,
    chunks: Vec<Partition>,
    work: Recycler<Work>,
}

impl Pipeline {
    /// Every stage, with no progress shown (see [`Pipeline::with_progress`]).
    pub fn new(baseline: &Baseline, options: Options) -> Result<Self, Error> {
        Self::with_progress(baseline, options, &Silent)
    }

    /// Every stage: loads the model and runs pass 1, the pools of step 3's
    /// missing-IMEI draws over the whole population (a range needs them
    /// too), reporting it to `progress` as stage `pools`.
    pub fn with_progress(
        baseline: &Baseline,
        options: Options,
        progress: &dyn Progress,
    ) -> Result<Self, Error> {
        let mut pipeline = Self::generate_only(baseline, options)?;
        let all = match pipeline.options.range {
            Some(_) => pipeline.plan(None)?,
            None => std::mem::take(&mut pipeline.chunks),
        };
        progress.start("pools", pipeline.options.n_customers);
        let pools = all
            .par_iter()
            .map(|c| {
                let mut w = pipeline.work.take();
                stages::generate(&pipeline.generator, *c, &mut w.chunk);
                stages::join(&w.chunk, &mut w.rows)?;
                let blocks = pipeline.blocks(*c)?;
                let pools = stages::pools(&w.rows, &blocks, &pipeline.options.anomalies);
                pipeline.work.give(w);
                progress.advance(c.range().len());
                pools
            })
            .try_reduce(MissingPools::default, |a, b| Ok(a + b))?;
        progress.finish();
        pipeline.pools = Some(pools);
        if pipeline.options.range.is_none() {
            pipeline.chunks = all;
        }
        Ok(pipeline)
    }

    /// The generate stage alone (no pass 1): [`Pipeline::run_chunk`] stops
    /// after [`StageSink::generated`].
    pub fn generate_only(baseline: &Baseline, options: Options) -> Result<Self, Error> {
        let c = options.chunk_customers;
        if c == 0 || !c.is_multiple_of(SWAP_BLOCK) {
            return Err(Error::ChunkSize { chunk_customers: c });
        }
        let generator = AccountGenerator::new(
            baseline,
            options.params.clone(),
            options.seed,
            options.n_customers,
        )?;
        let mut pipeline = Pipeline {
            options,
            generator,
            pools: None,
            chunks: Vec::new(),
            // Each chunk's rows are built in recycled vectors: a long run
            // then allocates (and the kernel zeroes) no fresh memory chunk
            // after chunk.
            work: Recycler::default(),
        };
        pipeline.chunks = pipeline.plan(pipeline.options.range)?;
        Ok(pipeline)
    }

    /// The chunks of `range` (all customers for `None`), checked.
    fn plan(&self, range: Option<CustomerRange>) -> Result<Vec<Partition>, Error> {
        let population = self.options.n_customers;
        let range = range.unwrap_or(CustomerRange::new(0, population));
        if range.start >= range.end && range.start <= population {
            return Ok(Vec::new());
        }
        if !range.start.is_multiple_of(SWAP_BLOCK)
            || range.end > population
            || range.start > range.end
        {
            return Err(Error::Range {
                start: range.start,
                end: range.end,
                population,
            });
        }
        Ok(self
            .generator
            .partitions(range, self.options.chunk_customers))
    }

    /// The swap blocks of a chunk's customers (whole blocks, as planned).
    fn blocks(&self, chunk: Partition) -> Result<SwapBlocks, Error> {
        let range = chunk.range();
        Ok(SwapBlocks::new(
            range.start..range.end,
            self.generator.population(),
        )?)
    }

    /// The options.
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// The step-1 generator.
    pub fn generator(&self) -> &AccountGenerator {
        &self.generator
    }

    /// The chunks of the run, in order.
    pub fn chunks(&self) -> &[Partition] {
        &self.chunks
    }

    /// The customers of the run: all, or the range's.
    pub fn customers(&self) -> u64 {
        self.chunks.iter().map(|c| c.range().len()).sum()
    }

    /// Runs the stages on one chunk, handing each stage's rows to `sink`:
    /// generate → join → clean twin → inject → examples → bill.
    pub fn run_chunk<S: StageSink>(
        &self,
        chunk: Partition,
        sink: &mut S,
    ) -> Result<Counts, S::Error> {
        let mut w = self.work.take();
        let counts = self.stages(chunk, &mut w, sink);
        self.work.give(w);
        counts
    }

    fn stages<S: StageSink>(
        &self,
        chunk: Partition,
        w: &mut Work,
        sink: &mut S,
    ) -> Result<Counts, S::Error> {
        let mut counts = Counts::default();
        stages::generate(&self.generator, chunk, &mut w.chunk);
        counts.step1 = Step1Counts::of(&w.chunk);
        sink.generated(&w.chunk)?;
        let Some(pools) = self.pools else {
            return Ok(counts);
        };
        let Work {
            chunk: generated,
            rows,
            clean,
            defects,
        } = w;
        stages::join(generated, rows)?;
        counts.flags = FlagCounts::of(rows);
        sink.joined(rows)?;
        if self.options.clean_twin {
            stages::clean_twin(clean, rows)?;
            sink.clean_twin(clean)?;
        }
        defects.clear();
        let blocks = self.blocks(chunk)?;
        counts.anomalies =
            stages::inject_chunk(rows, &blocks, &self.options.anomalies, pools, defects)?;
        counts.manifest_rows = defects.len() as u64;
        sink.injected(rows, defects)?;
        let examples: Vec<&LedgerRow> = rows.iter().filter(|r| is_example(r)).collect();
        counts.example_rows = examples.len() as u64;
        sink.examples(&examples)?;
        drop(examples);
        counts.billing = stages::bill(rows)?;
        counts.final_flags = FlagCounts::of(rows);
        sink.billed(rows)?;
        Ok(counts)
    }

    /// Pass 2: runs the stages of every chunk on rayon's threads, each into
    /// a sink from `new_sink`, and `each` on the sinks and counts in chunk
    /// order; returns the run's counts. Progress is stage `tables` (or
    /// `customers` when the pipeline only generates).
    pub fn run<S, F>(
        &self,
        progress: &dyn Progress,
        new_sink: F,
        mut each: impl FnMut(S, &Counts) -> Result<(), S::Error>,
    ) -> Result<Counts, S::Error>
    where
        S: StageSink + Send,
        S::Error: Send,
        F: Fn() -> S + Sync,
    {
        let mut totals = Counts::default();
        let stage = if self.pools.is_some() {
            "tables"
        } else {
            "customers"
        };
        progress.start(stage, self.customers());
        process_in_order::<_, S::Error>(
            &self.chunks,
            |c| {
                let mut sink = new_sink();
                let counts = self.run_chunk(c, &mut sink)?;
                Ok((sink, counts))
            },
            |(sink, counts)| {
                progress.advance(counts.step1.customers);
                each(sink, &counts)?;
                totals += counts;
                Ok(())
            },
        )?;
        progress.finish();
        Ok(totals)
    }

    /// The run's counts, every stage run on every chunk with no rows kept.
    pub fn counts(&self) -> Result<Counts, Error> {
        self.run(&Silent, || Discard, |_, _| Ok(()))
    }

    /// Every chunk's tables, owned, one chunk after another on the calling
    /// thread.
    pub fn tables(&self) -> Tables<'_> {
        Tables {
            pipeline: self,
            next: 0,
        }
    }
}

/// A sink that keeps nothing.
struct Discard;

impl StageSink for Discard {
    type Error = Error;
}

/// One chunk's finished tables, owned.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChunkTables {
    /// The step-1 tables: customers, lines, devices, agreements, usage.
    pub step1: AccountChunk,
    /// The step-2 ledger.
    pub ledger: Vec<LedgerRow>,
    /// The clean twin, with [`Options::clean_twin`].
    pub clean_ledger: Option<Vec<LedgerRow>>,
    /// The ledger after step 3, with its labels.
    pub anomaly_ledger: Vec<LedgerRow>,
    /// The examples: rows of the anomaly ledger with a label or a friction
    /// flag.
    pub examples: Vec<LedgerRow>,
    /// Every defect, stage-1 rows included.
    pub manifest: Vec<Defect>,
    /// The final ledger, billed.
    pub final_ledger: Vec<LedgerRow>,
    /// The chunk's counts.
    pub counts: Counts,
}

impl StageSink for ChunkTables {
    type Error = Error;

    fn generated(&mut self, chunk: &AccountChunk) -> Result<(), Error> {
        self.step1.clone_from(chunk);
        Ok(())
    }
    fn joined(&mut self, rows: &[LedgerRow]) -> Result<(), Error> {
        self.ledger = rows.to_vec();
        Ok(())
    }
    fn clean_twin(&mut self, rows: &[LedgerRow]) -> Result<(), Error> {
        self.clean_ledger = Some(rows.to_vec());
        Ok(())
    }
    fn injected(&mut self, rows: &[LedgerRow], defects: &[Defect]) -> Result<(), Error> {
        self.anomaly_ledger = rows.to_vec();
        self.manifest = defects.to_vec();
        Ok(())
    }
    fn examples(&mut self, rows: &[&LedgerRow]) -> Result<(), Error> {
        self.examples = rows.iter().map(|r| (*r).clone()).collect();
        Ok(())
    }
    fn billed(&mut self, rows: &[LedgerRow]) -> Result<(), Error> {
        self.final_ledger = rows.to_vec();
        Ok(())
    }
}

/// The iterator of [`Pipeline::tables`].
pub struct Tables<'a> {
    pipeline: &'a Pipeline,
    next: usize,
}

impl Iterator for Tables<'_> {
    type Item = Result<ChunkTables, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let chunk = *self.pipeline.chunks.get(self.next)?;
        self.next += 1;
        let mut tables = ChunkTables::default();
        Some(
            self.pipeline
                .run_chunk(chunk, &mut tables)
                .map(|counts| ChunkTables { counts, ..tables }),
        )
    }
}
