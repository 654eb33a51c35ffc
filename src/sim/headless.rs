//! Headless runs: fold a script into an exercise with no one at the keyboard, letting the
//! clock run between the script's lines and to the end.

use std::sync::Arc;

use serde::Serialize;

use crate::engine::command::{Command, Issued};
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::engine::model::Scenario;
use crate::report::{PlayedBy, ReportInput};

use super::script::Step;

/// Plays `steps` in order on a new exercise: the clock advances to each step's time, the
/// step's command is applied, and after the last step the clock runs to the end. Stops
/// early when the exercise ends. A script that leaves the exercise paused stops there.
pub fn run(scenario: Arc<Scenario>, seed: u64, steps: &[Step]) -> Exercise {
    let mut ex = Exercise::start(scenario, seed);
    for step in steps {
        if ex.is_over() {
            break;
        }
        if step.at > ex.now() {
            ex.apply(&Issued::facilitator(Command::AdvanceTo { at: step.at }));
            if ex.is_over() {
                break;
            }
        }
        ex.apply(&step.issued);
    }
    if !ex.is_over() && !ex.state().paused {
        let end = ex.scenario().end;
        ex.apply(&Issued::facilitator(Command::AdvanceTo { at: end }));
    }
    ex
}

/// Who played the seats of a headless run, for its report: a role that gave at least one
/// command in the script played by the script, the others by nobody.
pub fn report_input(ex: &Exercise, steps: &[Step], date: Option<String>) -> ReportInput {
    let gave = |seat: &Seat| {
        steps
            .iter()
            .any(|s| s.issued.by == *seat && !s.issued.command.is_time())
    };
    ReportInput {
        seats: ex
            .scenario()
            .roles
            .iter()
            .map(|r| {
                let seat = Seat::Role(r.id.clone());
                let by = if gave(&seat) {
                    PlayedBy::Script
                } else {
                    PlayedBy::Nobody
                };
                (r.id.clone(), by)
            })
            .collect(),
        facilitator: gave(&Seat::Facilitator).then_some(PlayedBy::Script),
        date,
        comparison: None,
    }
}

#[derive(Serialize)]
struct Line<'a> {
    clock: String,
    #[serde(flatten)]
    event: &'a Event,
}

/// The transcript of events as JSON lines, each with its wall-clock face (`Sat 03:41`).
pub fn transcript(ex: &Exercise) -> String {
    let start = ex.scenario().start;
    let mut out = String::new();
    for e in ex.events() {
        let line = Line {
            clock: start.clock(e.at).to_string(),
            event: e,
        };
        // Serialising plain data into a String cannot fail.
        if let Ok(s) = serde_json::to_string(&line) {
            out.push_str(&s);
            out.push('\n');
        }
    }
    out
}
