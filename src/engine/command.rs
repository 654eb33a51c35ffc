//! Commands: everything that can change an exercise, named by intent. Each is issued by a
//! seat; ids are names (as a script, a journal or a network peer carries them), resolved by
//! the engine, which answers an unknown name with a rejection event.

use serde::{Deserialize, Serialize};

use super::ids::{ActionId, EndingId, InjectId, ObjectiveId, OptionId, RoleId, Seat};
use super::model::{Channel, NoteKind, Rating};
use super::time::GameTime;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum Command {
    /// Let `minutes` of game time pass.
    Tick { minutes: u32 },
    /// Let game time pass up to `at` (minutes since the start).
    AdvanceTo { at: GameTime },
    /// Let game time pass until something happens (or the time runs out).
    AdvanceToNextEvent,
    /// Take an action.
    Act { action: ActionId },
    /// Answer a decision prompt.
    Choose { inject: InjectId, option: OptionId },
    /// Approve a queued request for an action that needed more authority.
    Approve { request: u32 },
    /// Deny such a request.
    Deny { request: u32 },
    /// Facilitator: freeze the clock.
    Pause,
    /// Facilitator: let the clock run again.
    Resume,
    /// Facilitator: deliver an inject now (a contingency inject, say).
    FireInject { inject: InjectId },
    /// Facilitator: a free-text inject to some roles.
    /// A free-text inject. Its text is at most [`MAX_ADHOC_TEXT`] characters where it is
    /// typed or scripted (the journal's line limit holds far more).
    AdHocInject {
        to: Vec<RoleId>,
        channel: Channel,
        from: String,
        text: String,
        /// Answers the recipients may give (none: a message to read).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        options: Vec<String>,
    },
    /// A recipient's answer to a free-text inject that offered answers (the event's `seq`,
    /// and the answer's index).
    AnswerAdHoc { seq: u32, option: u16 },
    /// Facilitator: end the exercise, optionally with a named ending.
    EndExercise { ending: Option<EndingId> },
    /// A note: the room's discussion or an observation (the facilitator's), or the hot
    /// wash (anyone's, also after the end). At most [`MAX_ADHOC_TEXT`] characters; an
    /// observation may name an objective and rate it.
    Note {
        kind: NoteKind,
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        objective: Option<ObjectiveId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        rating: Option<Rating>,
    },
}

impl Command {
    /// True for commands that only let time pass.
    pub fn is_time(&self) -> bool {
        matches!(
            self,
            Command::Tick { .. } | Command::AdvanceTo { .. } | Command::AdvanceToNextEvent
        )
    }

    /// True for commands only the facilitator may issue.
    pub fn is_facilitator_only(&self) -> bool {
        matches!(
            self,
            Command::Pause
                | Command::Resume
                | Command::FireInject { .. }
                | Command::AdHocInject { .. }
                | Command::EndExercise { .. }
        )
    }
}

/// A command stamped with the seat that issued it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issued {
    pub by: Seat,
    #[serde(flatten)]
    pub command: Command,
}

impl Issued {
    pub fn new(by: Seat, command: Command) -> Self {
        Issued { by, command }
    }

    pub fn facilitator(command: Command) -> Self {
        Issued::new(Seat::Facilitator, command)
    }
}

/// The longest text of a free-text inject, in characters, that the script reader and the
/// game accept.
pub const MAX_ADHOC_TEXT: usize = 2_000;
