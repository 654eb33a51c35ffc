//! The pure, deterministic exercise engine: a validated scenario, a seed and the commands
//! folded in so far give the state and the events. Nothing here reads a terminal, a file, a
//! socket, the wall clock, the environment or OS entropy (`tests/layering.rs` checks).

pub mod command;
pub mod event;
pub mod exercise;
mod flow;
pub mod hash;
pub mod ids;
pub mod model;
pub mod rng;
pub mod state;
pub mod time;
pub mod view;

pub use command::{Command, Issued};
pub use event::{Actor, Event, EventKind, Rejected, Rejection, Runaway};
pub use exercise::{Exercise, RestoreError};
pub use flow::{AGENDA_LIMIT, CASCADE_LIMIT, CHECK_LIMIT};
pub use ids::{RoleId, Seat};
pub use model::Scenario;
pub use state::State;
pub use time::GameTime;
pub use view::View;

/// Whether a condition holds in a state, read only. The report uses it on the end state
/// (was a containment pre-approved by a playbook when the exercise ended?).
pub fn holds(scenario: &Scenario, state: &State, cond: &model::Cond) -> bool {
    flow::Look::new(scenario, state).eval(cond)
}
