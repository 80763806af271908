//! What the NovaWireless programs share and the libraries do without: the
//! flags ([`cli`], with clap), one-line errors and exit codes, and progress
//! bars ([`progress`], with indicatif) for the facade's
//! [`novawireless::Progress`].
#![forbid(unsafe_code)]

pub mod cli;
pub mod progress;
