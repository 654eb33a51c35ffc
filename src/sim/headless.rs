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
use crate::engine::named::Named;
use crate::report::{Comparison, PlayedBy, ReportInput};

use super::script::Step;

/// What a caller does around each command a headless run applies: `before` may record
/// it (a journal) and stop the run with an error before it is applied; `after` sees the
/// events it caused (to show them), and once at the start the events of the start.
pub trait Observer {
    type Error;
    fn before(&mut self, ex: &Exercise, issued: &Issued) -> Result<(), Self::Error>;
    fn after(&mut self, ex: &Exercise, new_events: &[Event]);
}

/// Observes nothing.
pub struct Unobserved;

impl Observer for Unobserved {
    type Error = std::convert::Infallible;
    fn before(&mut self, _: &Exercise, _: &Issued) -> Result<(), Self::Error> {
        Ok(())
    }
    fn after(&mut self, _: &Exercise, _: &[Event]) {}
}

fn apply<O: Observer>(ex: &mut Exercise, obs: &mut O, issued: &Issued) -> Result<(), O::Error> {
    obs.before(ex, issued)?;
    let first = ex.events().len();
    ex.apply(issued);
    obs.after(ex, &ex.events()[first..]);
    Ok(())
}

fn unobserved(r: Result<Exercise, std::convert::Infallible>) -> Exercise {
    match r {
        Ok(ex) => ex,
        Err(never) => match never {},
    }
}

/// Plays `steps` in order on a new exercise: the clock advances to each step's time, the
/// step's command is applied, and after the last step the clock runs to the end. Stops
/// early when the exercise ends. A script that leaves the exercise paused stops there.
pub fn run(scenario: Arc<Scenario>, seed: u64, steps: &[Step]) -> Exercise {
    unobserved(run_observed(scenario, seed, steps, &[], &mut Unobserved))
}

/// Like [`run`], with bots in the given seats: the script's commands at their times, the
/// bots' whenever they are due, and the clock running from one thing to the next.
pub fn run_with_bots(
    scenario: Arc<Scenario>,
    seed: u64,
    steps: &[Step],
    seats: &[(RoleIx, BotSpec)],
) -> Exercise {
    unobserved(run_observed(scenario, seed, steps, seats, &mut Unobserved))
}

/// [`run_with_bots`] with an observer around every command applied.
pub fn run_observed<O: Observer>(
    scenario: Arc<Scenario>,
    seed: u64,
    steps: &[Step],
    seats: &[(RoleIx, BotSpec)],
    obs: &mut O,
) -> Result<Exercise, O::Error> {
    let mut ex = Exercise::start(scenario, seed);
    // What the start delivered comes before any command.
    obs.after(&ex, ex.events());
    if seats.is_empty() {
        for step in steps {
            if ex.is_over() {
                break;
            }
            if step.at > ex.now() {
                apply(
                    &mut ex,
                    obs,
                    &Issued::facilitator(Command::AdvanceTo { at: step.at }),
                )?;
                if ex.is_over() {
                    break;
                }
            }
            apply(&mut ex, obs, &step.issued)?;
        }
        if !ex.is_over() && !ex.state().paused {
            let end = ex.scenario().end;
            apply(
                &mut ex,
                obs,
                &Issued::facilitator(Command::AdvanceTo { at: end }),
            )?;
        }
        return Ok(ex);
    }
    let mut crew = Crew::new(&ex, seats);
    let mut next_step = 0;
    while !ex.is_over() && !ex.state().paused {
        crew.observe(&ex);
        if let Some(step) = steps.get(next_step).filter(|s| s.at <= ex.now()) {
            apply(&mut ex, obs, &step.issued)?;
            next_step += 1;
            continue;
        }
        if let Some(issued) = crew.poll(&ex) {
            apply(&mut ex, obs, &issued)?;
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
        apply(
            &mut ex,
            obs,
            &Issued::facilitator(Command::AdvanceTo {
                at: target.max(now.plus(1)),
            }),
        )?;
        if ex.now() == now && !ex.is_over() {
            break;
        }
    }
    Ok(ex)
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
        crate::engine::EventKind::ExerciseEnded { outcome, score, .. } => Some((
            e.kind.ended_title(scenario).unwrap_or_default().to_owned(),
            *outcome,
            *score,
        )),
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
    event: Named<'a>,
}

/// The transcript of events as JSON lines, each with its wall-clock face (`Sat 03:41`).
pub fn transcript(ex: &Exercise) -> String {
    let sc = ex.scenario();
    ex.events().iter().map(|e| transcript_line(sc, e)).collect()
}

/// One line of the transcript (the event with its names), with its `\n`. Scenario text in
/// it carries no raw control or bidirectional characters ([`crate::untrusted::json`]).
pub fn transcript_line(sc: &Scenario, e: &Event) -> String {
    let line = Line {
        clock: sc.start.clock(e.at).to_string(),
        event: e.named(sc),
    };
    // Serialising plain data into a String cannot fail.
    serde_json::to_string(&line)
        .map_or_else(|_| String::new(), |s| crate::untrusted::json(s) + "\n")
}

/// Writes the transcript line by line (a long run's transcript is never held whole).
pub fn write_transcript(ex: &Exercise, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let sc = ex.scenario();
    for e in ex.events() {
        out.write_all(transcript_line(sc, e).as_bytes())?;
    }
    Ok(())
}
