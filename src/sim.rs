//! Headless play: scripts of timed commands, and runs that fold them into an exercise.
//! Depends on the engine and the scenario model only.

pub mod bench;
pub mod generate;
pub mod headless;
pub mod script;
pub mod simulate;
