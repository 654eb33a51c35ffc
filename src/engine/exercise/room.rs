//! Commands of the room around the game: notes on the play, and answers to a question the
//! facilitator put to the room.

use crate::engine::event::{Actor, EventKind, Rejection};
use crate::engine::flow::Run;
use crate::engine::ids::Seat;
use crate::engine::model::Audience;

use super::{check_reachable, role_of};

/// A note: checked, tied to the module under way, and logged for whoever may read it.
pub(super) fn note(
    run: &mut Run<'_>,
    by: &Seat,
    kind: crate::engine::model::NoteKind,
    text: &str,
    objective: Option<&crate::engine::ids::ObjectiveId>,
    rating: Option<crate::engine::model::Rating>,
) -> Result<(), Rejection> {
    let sc = run.sc;
    let actor = sc.actor(by).ok_or(Rejection::UnknownRole)?;
    let allowed = match kind {
        crate::engine::model::NoteKind::Discussion => actor == Actor::Facilitator,
        crate::engine::model::NoteKind::Observation => {
            matches!(actor, Actor::Facilitator | Actor::Evaluator)
        }
        _ => true,
    };
    if !allowed {
        return Err(Rejection::FacilitatorOnly);
    }
    let text = text.trim();
    if text.is_empty() || text.chars().count() > crate::engine::command::MAX_ADHOC_TEXT {
        return Err(Rejection::BadNote);
    }
    let objective = match objective {
        Some(id) => Some(
            sc.objectives
                .iter()
                .position(|o| o.id == *id)
                .and_then(crate::engine::model::ObjectiveIx::at)
                .ok_or(Rejection::BadNote)?,
        ),
        None if rating.is_some() => return Err(Rejection::BadNote),
        None => None,
    };
    let audience = match actor {
        Actor::Role(r) => Audience::of(r),
        Actor::Facilitator | Actor::Evaluator => Audience::facilitator_only(),
    };
    let module = sc.module_at(run.st.now).and_then(|m| u16::try_from(m).ok());
    run.emit(
        audience,
        EventKind::Noted(Box::new(crate::engine::event::Noted {
            by: actor,
            kind,
            module,
            objective,
            rating,
            text: text.to_owned(),
        })),
    );
    Ok(())
}

/// A recipient's answer to a free-text inject with answers: once per recipient, while it
/// can be reached; logged for the inject's audience.
pub(super) fn answer_ad_hoc(
    run: &mut Run<'_>,
    by: &Seat,
    seq: u32,
    option: u16,
) -> Result<(), Rejection> {
    let role = role_of(run, by)?;
    let asked = run
        .st
        .log
        .iter()
        .find(|e| e.seq == seq)
        .and_then(|e| match &e.kind {
            EventKind::AdHocInjectDelivered(a) if !a.options.is_empty() => {
                Some((e.audience, a.options.clone()))
            }
            _ => None,
        });
    let (audience, options) = asked.ok_or(Rejection::NoOpenPrompt)?;
    if !audience.includes(role) {
        return Err(Rejection::WrongRole);
    }
    let answer = options
        .get(usize::from(option))
        .cloned()
        .ok_or(Rejection::UnknownOption)?;
    let answered = run.st.log.iter().any(|e| {
        matches!(&e.kind, EventKind::AdHocAnswered(a) if a.seq == seq && a.by == Actor::Role(role))
    });
    if answered {
        return Err(Rejection::NoOpenPrompt);
    }
    check_reachable(run, role)?;
    run.emit(
        audience,
        EventKind::AdHocAnswered(Box::new(crate::engine::event::AdHocAnswer {
            seq,
            option,
            by: Actor::Role(role),
            answer,
        })),
    );
    Ok(())
}
