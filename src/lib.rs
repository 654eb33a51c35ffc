//! ttx: a terminal tabletop-exercise simulator for incident management and incident
//! response teams.
//!
//! Layers, lowest first (a layer never imports one above it; `tests/layering.rs` holds the
//! table): [`untrusted`] (text from strangers made safe to print; it uses nothing),
//! [`engine`] (pure, deterministic core), [`words`] (events, refusals and names in words: the
//! feed, the report's timeline and JSON transcripts all say them from here), [`scenario`] (RON → validated model,
//! diagnostics), [`journal`] (session journals: record, recover, fold), [`report`] (after-action
//! report), [`session`] (a live exercise: seating, bots, recorder, the one driver), [`sim`] (headless runs, scripts,
//! simulate), [`tui`] (the terminal game), [`net`] (networked seats: the SSH host), [`cli`]. The binary in `main.rs` only parses
//! arguments and dispatches to [`cli`].

pub mod cli;
pub mod engine;
pub mod journal;
pub mod net;
pub mod report;
pub mod scenario;
pub mod session;
pub mod sim;
pub mod tui;
pub mod untrusted;
pub mod words;
