//! Why a command was refused, in two voices: to the player who gave it, now ("You are still
//! busy with …"), and in the record afterwards ("busy with … until …").

use crate::engine::event::Rejection;
use crate::engine::model::Scenario;

use super::names::{action_name, when};

/// A refusal as the player who gave the command reads it.
pub fn to_player(sc: &Scenario, r: &Rejection) -> String {
    match r {
        Rejection::ExerciseOver => "The exercise is over.".into(),
        Rejection::Paused => "The clock is paused.".into(),
        Rejection::UnknownRole
        | Rejection::UnknownAction
        | Rejection::UnknownInject
        | Rejection::UnknownOption
        | Rejection::UnknownEnding
        | Rejection::UnknownRequest => "That is not part of this scenario.".into(),
        Rejection::FacilitatorOnly => "Only the facilitator can do that.".into(),
        Rejection::WrongRole => "That is not yours to do.".into(),
        Rejection::NotAvailable => "That is not possible right now.".into(),
        Rejection::AlreadyTaken => "That has already been done.".into(),
        Rejection::NoActionsLeft { until: Some(until) } => format!(
            "No actions left this turn: the next turn begins at {}.",
            when(sc, *until)
        ),
        Rejection::NoActionsLeft { until: None } => {
            "No actions left, and this is the last turn.".into()
        }
        Rejection::CoolingDown { until } => {
            format!("Not again yet: from {}.", when(sc, *until))
        }
        Rejection::Busy { action, .. } => format!(
            "You are still busy with \"{}\".",
            action_name(sc, action.as_str())
        ),
        Rejection::Unreachable { note } => {
            if note.is_empty() {
                "You cannot be reached right now.".into()
            } else {
                note.clone()
            }
        }
        Rejection::NotAuthorised {
            needed,
            has,
            domain,
        } => {
            format!(
                "Not authorised: this needs {}, you have {has}.",
                sc.authority_words(*domain, *needed)
            )
        }
        Rejection::NoOpenPrompt => "That decision is no longer open.".into(),
        Rejection::TimeInPast => "Time cannot go backwards.".into(),
        Rejection::AlreadyRequested { request } => {
            format!("Approval already requested (request {request}).")
        }
        Rejection::BadNote => "A note needs its text (and a rating needs an objective).".into(),
    }
}

/// A refusal as the record of the exercise says it, after "Refused: ".
pub fn in_record(sc: &Scenario, r: &Rejection) -> String {
    match r {
        Rejection::ExerciseOver => "the exercise was over".into(),
        Rejection::Paused => "the clock was paused".into(),
        Rejection::UnknownRole
        | Rejection::UnknownAction
        | Rejection::UnknownInject
        | Rejection::UnknownOption
        | Rejection::UnknownEnding
        | Rejection::UnknownRequest => "not part of this scenario".into(),
        Rejection::FacilitatorOnly => "only the facilitator may do that".into(),
        Rejection::WrongRole => "not this role's to do".into(),
        Rejection::NotAvailable => "not possible at that moment".into(),
        Rejection::AlreadyTaken => "already done".into(),
        Rejection::CoolingDown { until } => format!("not again before {}", when(sc, *until)),
        Rejection::NoActionsLeft { until: Some(until) } => {
            format!(
                "no actions left this turn (the next from {})",
                when(sc, *until)
            )
        }
        Rejection::NoActionsLeft { until: None } => "no actions left in the last turn".into(),
        Rejection::Busy { action, until } => {
            format!(
                "busy with \"{}\" until {}",
                action_name(sc, action.as_str()),
                when(sc, *until)
            )
        }
        Rejection::Unreachable { note } if note.is_empty() => "could not be reached".into(),
        Rejection::Unreachable { note } => format!("could not be reached ({note})"),
        Rejection::NotAuthorised {
            needed,
            has,
            domain,
        } => {
            format!(
                "not authorised (needs {}, has {has})",
                sc.authority_words(*domain, *needed)
            )
        }
        Rejection::NoOpenPrompt => "that decision was no longer open".into(),
        Rejection::TimeInPast => "time cannot go backwards".into(),
        Rejection::AlreadyRequested { request } => {
            format!("approval already requested (request {request})")
        }
        Rejection::BadNote => "a note without text, or rated without an objective".into(),
    }
}
