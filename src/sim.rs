//! Headless play: scripts of timed commands, and runs that fold them into an exercise.
//! Depends on the engine, the scenario model and the report (for a headless run's report).

pub mod bench;
pub mod coverage;
pub mod crew;
pub mod explain;
pub mod generate;
pub mod headless;
pub mod lint;
pub mod paths;
pub mod script;
pub mod simulate;
