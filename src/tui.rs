//! The terminal game (ratatui + crossterm): launcher, set-up, one screen per seat with hot
//! seat hand-over, the facilitator's console, help, and the ending. Sits on top of the
//! engine, scenario and sim layers; nothing below imports it.

pub mod app;
pub mod config;
pub mod draw;
pub mod run;
pub mod text;

pub use app::{App, Entry};
