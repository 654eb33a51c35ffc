//! Words: the one place where the exercise is put into words a person reads, above the
//! engine and below everything that shows it. [`event::said`] says what an event means (the
//! feed's line, the report timeline's row); [`named`] gives an event with its scenario names
//! for a JSON transcript; [`refusal`] says why a command was refused; [`names`] turns ids
//! and numbers into names, durations and clock faces. Pure: it reads the scenario and the
//! event, nothing else.

pub mod briefing;
pub mod cond;
pub mod event;
pub mod glossary;
pub mod named;
pub mod names;
pub mod refusal;
pub mod turns;

pub use event::{LANE_EXERCISE, LANE_THREAT, Mark, Row, Said, said};
