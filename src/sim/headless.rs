//! Headless runs: fold a script into an exercise with no one at the keyboard, letting the
//! clock run between the script's lines and to the end.

use std::sync::Arc;

use serde::Serialize;

use crate::bots::Crew;
use crate::engine::command::{Command, Issued};
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::model::{BotSpec, RoleIx, Scenario};

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

/// Like [`run`], with bots in the given seats: the script's commands at their times, the
/// bots' whenever they are due, and the clock running from one thing to the next.
pub fn run_with_bots(
    scenario: Arc<Scenario>,
    seed: u64,
    steps: &[Step],
    seats: &[(RoleIx, BotSpec)],
) -> Exercise {
    if seats.is_empty() {
        return run(scenario, seed, steps);
    }
    let mut ex = Exercise::start(scenario, seed);
    let mut crew = Crew::new(&ex, seats);
    let mut next_step = 0;
    while !ex.is_over() && !ex.state().paused {
        crew.observe(&ex);
        if let Some(step) = steps.get(next_step).filter(|s| s.at <= ex.now()) {
            ex.apply(&step.issued);
            next_step += 1;
            continue;
        }
        if let Some(issued) = crew.poll(&ex) {
            ex.apply(&issued);
            continue;
        }
        let now = ex.now();
        let mut target = ex.next_due();
        if let Some(w) = crew.next_wake() {
            target = target.min(w);
        }
        if let Some(s) = steps.get(next_step) {
            target = target.min(s.at);
        }
        ex.apply(&Issued::facilitator(Command::AdvanceTo {
            at: target.max(now.plus(1)),
        }));
        if ex.now() == now && !ex.is_over() {
            break;
        }
    }
    ex
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
