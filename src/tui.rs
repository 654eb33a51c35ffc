//! The terminal game (ratatui + crossterm): launcher, set-up, one screen per seat with hot
//! seat hand-over, the facilitator's console, help, the ending and the after-action report.
//! Sits on top of the engine, scenario, sim and report layers; nothing below imports it.

pub mod app;
pub mod config;
pub mod draw;
pub mod parts;
pub mod plain;
pub mod replay;
pub mod report;
pub mod run;
pub mod text;
pub mod widgets;

pub use app::{App, Entry};
