//! Headless runs: fold a script into an exercise with no one at the keyboard, letting the
//! clock run between the script's lines and to the end.

use std::sync::Arc;

use serde::Serialize;

use crate::bots::Crew;
use crate::engine::command::{Command, Issued};
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::ids::Seat;
use crate::engine::model::{BotSpec, Policy, RoleIx, Scenario};
use crate::report::{Comparison, PlayedBy, ReportInput};

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

/// Who played the seats of a headless run, for its report: a bot where one sat, a role that
/// gave at least one command in the script played by the script, the others by nobody.
pub fn report_input(
    ex: &Exercise,
    steps: &[Step],
    bots: &[(RoleIx, BotSpec)],
    date: Option<String>,
) -> ReportInput {
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
            .enumerate()
            .map(|(i, r)| {
                let seat = Seat::Role(r.id.clone());
                let bot = bots
                    .iter()
                    .find(|(b, _)| usize::from(*b) == i)
                    .map(|(_, spec)| spec.policy);
                let by = if let Some(policy) = bot {
                    PlayedBy::Bot { policy }
                } else if gave(&seat) {
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

/// What could have been: the run of the same seed with by-the-book bots in every role.
pub fn by_the_book(scenario: &Arc<Scenario>, seed: u64) -> Comparison {
    let seats: Vec<(RoleIx, BotSpec)> = (0..scenario.roles.len())
        .filter_map(|r| RoleIx::try_from(r).ok())
        .map(|r| (r, BotSpec::new(Policy::ByTheBook)))
        .collect();
    let ex = run_with_bots(Arc::clone(scenario), seed, &[], &seats);
    let ended = ex.state().log.iter().rev().find_map(|e| match &e.kind {
        crate::engine::EventKind::ExerciseEnded {
            title,
            outcome,
            score,
            ..
        } => Some((title.to_string(), *outcome, *score)),
        _ => None,
    });
    let (ending_title, outcome, score) = ended.unwrap_or_else(|| ("no ending".into(), None, 0));
    Comparison {
        ending_title,
        outcome,
        score,
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
