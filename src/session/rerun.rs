//! A session played again on a changed scenario (`ttx play --watch`): the same seed, the
//! same seats (by role id), every command given so far applied again in order, and where
//! the change made them diverge: the first command the changed scenario refuses that the
//! old one took, or takes that the old one refused.

use std::sync::Arc;

use crate::engine::command::{Command, Issued};
use crate::engine::event::{Event, EventKind, Rejection};
use crate::engine::exercise::Exercise;
use crate::engine::model::Scenario;
use crate::engine::{GameTime, Seat};

use super::{Recording, Seating, Session, Sitter};

/// One command a session applied.
#[derive(Clone, Debug)]
pub struct Given {
    pub at: GameTime,
    pub issued: Issued,
    /// The engine refused it.
    pub refused: bool,
}

/// Whether the events of one command say the engine refused it.
pub fn refused(events: &[Event]) -> bool {
    events
        .iter()
        .any(|e| matches!(e.kind, EventKind::CommandRejected(_)))
}

/// Where a replay first went otherwise than the play it replays.
#[derive(Clone, Debug)]
pub struct Divergence {
    /// The command's place among those given (0 is the first).
    pub index: usize,
    pub at: GameTime,
    pub issued: Issued,
    /// Why the changed scenario refuses it (`None`: it now takes a command the old one
    /// refused).
    pub refusal: Option<Rejection>,
    /// How many commands after it go otherwise too.
    pub later: usize,
}

/// The session again on the changed scenario, and what the replay found.
pub struct Rerun {
    pub session: Session,
    pub replayed: usize,
    pub diverged: Option<Divergence>,
}

/// The old seating on the new scenario's roles, matched by id; a role the old scenario did
/// not have is nobody's.
fn seating(old: &Scenario, new: &Scenario, seating: &Seating) -> Seating {
    let mut s = Seating::empty(new);
    for (i, r) in new.roles.iter().enumerate() {
        if let Some(o) = old.role_index(r.id.as_str()) {
            s.roles[i] = seating.roles.get(o.ix()).copied().unwrap_or(Sitter::Nobody);
        }
    }
    s.facilitator = seating.facilitator;
    s.evaluator = seating.evaluator;
    s
}

/// Plays `old`'s commands again on `scenario` from the same seed, unrecorded (the file
/// under the journal has changed), with the same seats and pacing.
pub fn rerun(scenario: Arc<Scenario>, old: &Session) -> Rerun {
    let seed = old.ex.state().seed;
    let seats = seating(old.ex.scenario(), &scenario, &old.seating);
    let mut ex = Exercise::start(scenario, seed);
    let mut diverged: Option<Divergence> = None;
    let mut given = Vec::with_capacity(old.given.len());
    for (i, g) in old.given.iter().enumerate() {
        if ex.is_over() {
            break;
        }
        let first = ex.events().len();
        ex.apply(&g.issued);
        let events = &ex.events()[first..];
        let now_refused = refused(events);
        if now_refused != g.refused {
            if let Some(d) = &mut diverged {
                d.later += 1;
            } else {
                let refusal = events.iter().find_map(|e| match &e.kind {
                    EventKind::CommandRejected(r) => Some(r.rejection.clone()),
                    _ => None,
                });
                diverged = Some(Divergence {
                    index: i,
                    at: g.at,
                    issued: g.issued.clone(),
                    refusal,
                    later: 0,
                });
            }
        }
        given.push(Given {
            at: g.at,
            issued: g.issued.clone(),
            refused: now_refused,
        });
    }
    let replayed = given.len();
    let mut session = Session::new(ex, seats, old.pacing, Recording::Off);
    session.given = given;
    session.keep_given = true;
    session.acted.clone_from(&old.acted);
    // The bots read the whole story so far before they act again.
    session.crew.observe(&session.ex);
    Rerun {
        session,
        replayed,
        diverged,
    }
}

/// A command as the facilitator reads it: who did what, by name.
pub fn command_words(sc: &Scenario, issued: &Issued) -> String {
    let who = match &issued.by {
        Seat::Facilitator => "the facilitator".to_owned(),
        Seat::Evaluator => "the evaluator".to_owned(),
        Seat::Role(r) => sc.role_index(r.as_str()).map_or_else(
            || "a role no longer in the file".to_owned(),
            |i| sc.role(i).name.clone(),
        ),
    };
    let what = match &issued.command {
        Command::Act { action } => sc.action_index(action.as_str()).map_or_else(
            || "an action no longer in the file".to_owned(),
            |a| format!("“{}”", sc.action(a).name),
        ),
        Command::Choose { inject, option } => sc
            .inject_index(inject.as_str())
            .and_then(|i| sc.inject(i).prompt.as_ref())
            .and_then(|p| p.options.iter().find(|o| o.id == *option).map(|o| (p, o)))
            .map_or_else(
                || "an answer no longer in the file".to_owned(),
                |(p, o)| format!("the answer “{}” to “{}”", o.label, p.question),
            ),
        Command::Approve { .. } => "an approval".to_owned(),
        Command::Deny { .. } => "a refusal of a request".to_owned(),
        Command::FireInject { inject } => sc.inject_index(inject.as_str()).map_or_else(
            || "an inject no longer in the file".to_owned(),
            |i| format!("the inject “{}”", sc.inject(i).subject),
        ),
        Command::EndExercise { .. } => "the end of the exercise".to_owned(),
        _ => "a command".to_owned(),
    };
    format!("{what} ({who})")
}

/// What a replay found, in one sentence for the status line.
pub fn summary(sc: &Scenario, r: &Rerun) -> String {
    match &r.diverged {
        None => format!(
            "Reloaded; the {} commands so far replay as before.",
            r.replayed
        ),
        Some(d) => {
            let what = command_words(sc, &d.issued);
            let how = match &d.refusal {
                Some(x) => format!(
                    "is refused now: {}",
                    crate::words::refusal::in_record(sc, x)
                ),
                None => "is taken now (it was refused before)".to_owned(),
            };
            let later = match d.later {
                0 => String::new(),
                1 => "; 1 later command too".to_owned(),
                n => format!("; {n} later commands too"),
            };
            format!(
                "Reloaded; diverges at {}: {what} {how}{later}.",
                sc.start.clock(d.at)
            )
        }
    }
}
