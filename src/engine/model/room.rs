//! The room around the game: the exercise's modules (its parts, each from a game time on,
//! with questions for the room's discussion) and the notes people write (the room's
//! discussion, an evaluator's observations, the hot wash).

use serde::{Deserialize, Serialize};

use super::{GameTime, Scenario};

/// A part of the exercise, from `at` on, with questions for the room to discuss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    pub title: String,
    pub at: GameTime,
    pub questions: Vec<String>,
}

impl Scenario {
    /// The module under way at `t`: the last one that has begun.
    pub fn module_at(&self, t: GameTime) -> Option<usize> {
        self.modules.iter().rposition(|m| m.at <= t)
    }
}

/// What a note is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NoteKind {
    /// The room's discussion, noted by the facilitator (a discussion break).
    Discussion,
    /// An evaluator's observation, tied to the moment and maybe an objective and a rating.
    Observation,
    /// Hot wash: something that went well.
    Strength,
    /// Hot wash: something to improve.
    Improvement,
}

impl NoteKind {
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Discussion => "discussion",
            NoteKind::Observation => "observation",
            NoteKind::Strength => "strength",
            NoteKind::Improvement => "area for improvement",
        }
    }
}
