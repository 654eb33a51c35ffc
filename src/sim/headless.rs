//! Headless runs: fold a script into an exercise with no one at the keyboard, letting the
//! clock run between the script's lines and to the end. The loop is the session's
//! ([`Session::run`]); this module gives it scripts, transcripts and the by-the-book run.

use std::sync::Arc;

use serde::Serialize;

use crate::engine::command::Issued;
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::model::{BotSpec, RoleIx, Scenario};
use crate::report::ReportInput;
use crate::session::{Seating, Session};
use crate::words::named::Named;

use super::script::Step;

pub use crate::session::{Observer, Unobserved};

impl crate::session::Timed for Step {
    fn at(&self) -> crate::engine::GameTime {
        self.at
    }
    fn issued(&self) -> &Issued {
        &self.issued
    }
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

/// [`run_with_bots`] with an observer around every command applied: a [`Session`] driven
/// to the end ([`Session::run`]).
pub fn run_observed<O: Observer>(
    scenario: Arc<Scenario>,
    seed: u64,
    steps: &[Step],
    seats: &[(RoleIx, BotSpec)],
    obs: &mut O,
) -> Result<Exercise, O::Error> {
    let mut session = Session::start(scenario, seed, seats);
    session.run(steps, obs)?;
    Ok(session.ex)
}

/// The seating of a headless run: bots where they sit, the roles the script plays (those
/// that give at least one command that is not the clock's), nobody elsewhere.
pub fn seating(sc: &Scenario, steps: &[Step], bots: &[(RoleIx, BotSpec)]) -> Seating {
    Seating::headless(sc, bots, |seat| {
        steps
            .iter()
            .any(|s| s.issued.by == *seat && !s.issued.command.is_time())
    })
}

/// Who played the seats of a headless run, for its report (see [`seating`]); without the
/// by-the-book comparison, which [`crate::session::debrief::report_input`] adds.
pub fn report_input(
    ex: &Exercise,
    steps: &[Step],
    bots: &[(RoleIx, BotSpec)],
    date: Option<String>,
) -> ReportInput {
    let sc = ex.scenario();
    seating(sc, steps, bots).report_input(sc, date)
}

pub use crate::session::debrief::by_the_book;

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
