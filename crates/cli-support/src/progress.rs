//! Progress bars on stderr, for runs long enough to notice.
//!
//! A bar appears only when stderr is a terminal, `--quiet` was not given,
//! and the stage has run for half a second; stdout never carries progress.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

const SHOW_AFTER: Duration = Duration::from_millis(500);

/// The progress of one stage, counted in customers.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    wanted: bool,
    shown: bool,
}

impl Progress {
    /// A bar for `label` over `total` customers; `enabled` is false for
    /// `--quiet` and for library callers that want silence.
    pub fn new(label: &'static str, total: u64, enabled: bool) -> Self {
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
        let style = ProgressStyle::with_template(
            "{prefix:>8} [{bar:40}] {human_pos}/{human_len} customers ({elapsed}, ETA {eta})",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_prefix(label);
        Progress {
            bar,
            started: Instant::now(),
            wanted: enabled && std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Counts `customers` more as done.
    pub fn add(&mut self, customers: u64) {
        self.bar.inc(customers);
        if self.wanted && !self.shown && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
    }

    /// Counts `customers` more as done, from any thread (shown only if the
    /// bar was already showing or the stage is long: checked on each call).
    pub fn tick(&self, customers: u64) {
        self.bar.inc(customers);
        if self.wanted && self.bar.is_hidden() && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
        }
    }

    /// Ends the bar and clears it from the screen.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// The bars of a run's stages, one after another: the facade's
/// [`novawireless::Progress`] drawn with [`Progress`].
pub struct Bars {
    enabled: bool,
    bar: std::sync::Mutex<Option<Progress>>,
}

impl Bars {
    /// Bars shown when `enabled` (see [`Progress::new`]).
    pub fn new(enabled: bool) -> Self {
        Bars {
            enabled,
            bar: std::sync::Mutex::new(None),
        }
    }
}

impl novawireless::Progress for Bars {
    fn start(&self, stage: &'static str, customers: u64) {
        if let Ok(mut bar) = self.bar.lock() {
            *bar = Some(Progress::new(stage, customers, self.enabled));
        }
    }

    fn advance(&self, customers: u64) {
        if let Ok(bar) = self.bar.lock() {
            if let Some(bar) = bar.as_ref() {
                bar.tick(customers);
            }
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.lock().ok().and_then(|mut b| b.take()) {
            bar.finish();
        }
    }
}
