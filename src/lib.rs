//! ttx: a terminal tabletop-exercise simulator for incident management and incident
//! response teams.
//!
//! Layers, lowest first (a layer never imports one above it): [`engine`] (pure,
//! deterministic core), [`scenario`] (RON → validated model, diagnostics), [`journal`]
//! (session journals: record, recover, fold), [`sim`] (headless runs and scripts), [`report`]
//! (after-action report), [`tui`] (the terminal game). The binary in `main.rs` only parses
//! arguments and dispatches to [`cli`]. Beside them, [`untrusted`] makes text from
//! strangers safe to print; every layer may use it, and it uses none.

pub mod bots;
pub mod cli;
pub mod engine;
pub mod journal;
pub mod report;
pub mod scenario;
pub mod sim;
pub mod tui;
pub mod untrusted;
