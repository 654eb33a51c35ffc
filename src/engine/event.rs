//! Events: what happened, in the past tense, each with its game time and its audience.
//! Events are the only thing the UI, the journal, the network and the report consume.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::ids::{
    ActionId, CriterionId, EndingId, InjectId, ObjectiveId, OptionId, RoleId, ScenarioId, Seat,
    SlaId, StageId, VarId,
};
use super::model::{Audience, Channel, Milestone, Outcome, Rating};
use super::time::GameTime;

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the exercise's event log, from 0.
    pub seq: u64,
    pub at: GameTime,
    /// Roles that may see it; the facilitator sees every event.
    pub audience: Audience,
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    pub fn visible_to(&self, seat: &Seat) -> bool {
        match seat {
            Seat::Facilitator => true,
            Seat::Role(r) => self.audience.includes(r),
        }
    }
}

/// A prompt as delivered: the question, its options, who may answer, and when it expires.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromptShown {
    /// What every delivery of this prompt shows (shared with the scenario, not copied).
    #[serde(flatten)]
    pub text: Arc<PromptText>,
    pub expires_at: Option<GameTime>,
}

/// The unchanging part of a delivered prompt.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PromptText {
    pub question: Arc<str>,
    pub options: Vec<OptionShown>,
    pub by: Vec<RoleId>,
    pub default: Option<OptionId>,
}

impl std::ops::Deref for PromptShown {
    type Target = PromptText;

    fn deref(&self) -> &PromptText {
        &self.text
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptionShown {
    pub id: OptionId,
    pub label: Arc<str>,
}

/// Why a command was refused. A player's mistake is an event, never a panic.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason")]
pub enum Rejection {
    ExerciseOver,
    Paused,
    UnknownRole,
    UnknownAction,
    UnknownInject,
    UnknownOption,
    UnknownEnding,
    UnknownRequest,
    /// Only the facilitator may do this.
    FacilitatorOnly,
    /// This role may not take this action / answer this prompt.
    WrongRole,
    /// The action's condition does not hold now.
    NotAvailable,
    /// A one-off action already taken (or under way).
    AlreadyTaken,
    /// The role is busy with another action until then.
    Busy {
        action: ActionId,
        until: GameTime,
    },
    /// The role cannot be reached now (asleep, off shift).
    Unreachable {
        note: Arc<str>,
    },
    NotAuthorised {
        needed: u8,
        has: u8,
    },
    /// No such prompt is open (never delivered, answered, or expired).
    NoOpenPrompt,
    /// Time cannot go backwards.
    TimeInPast,
    /// An approval request is pending for this already.
    AlreadyRequested {
        request: u32,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum EventKind {
    ExerciseStarted {
        scenario: ScenarioId,
        title: Arc<str>,
        seed: u64,
        /// Wall-clock face of the start (`Sat 03:30`).
        start: Arc<str>,
    },
    InjectDelivered {
        inject: InjectId,
        channel: Channel,
        from: Arc<str>,
        subject: Arc<str>,
        text: Arc<str>,
        prompt: Option<PromptShown>,
        /// True when the facilitator fired it by hand.
        fired_by_facilitator: bool,
    },
    AdHocInjectDelivered {
        channel: Channel,
        from: Arc<str>,
        text: Arc<str>,
    },
    InjectCancelled {
        inject: InjectId,
    },
    DecisionMade {
        inject: InjectId,
        option: OptionId,
        by: Seat,
    },
    PromptExpired {
        inject: InjectId,
        default: Option<OptionId>,
    },
    ActionTaken {
        action: ActionId,
        by: Seat,
        channel: Option<Channel>,
        to: Audience,
        completes_at: GameTime,
        /// Who approved it, when it needed approval.
        approved_by: Option<Seat>,
        /// True when a pre-approved playbook waived the authority check.
        preapproved: bool,
    },
    ActionCompleted {
        action: ActionId,
        by: Seat,
    },
    ApprovalRequested {
        request: u32,
        action: ActionId,
        by: Seat,
        approvers: Vec<RoleId>,
        needed: u8,
    },
    ApprovalGranted {
        request: u32,
        action: ActionId,
        by: Seat,
    },
    ApprovalDenied {
        request: u32,
        action: ActionId,
        by: Seat,
    },
    VariableChanged {
        variable: VarId,
        from: i32,
        to: i32,
    },
    ValueDrawn {
        draw: VarId,
        value: i32,
        /// How many times this draw was made before (0 for the first).
        nth: u32,
    },
    ThreatAdvanced {
        stage: StageId,
        name: Arc<str>,
        index: u16,
    },
    ThreatHalted {
        stage: StageId,
    },
    ThreatResumed {
        stage: StageId,
    },
    SlaStarted {
        sla: SlaId,
        severity: i32,
        due_at: Option<GameTime>,
    },
    SlaMet {
        sla: SlaId,
        severity: i32,
        minutes: u32,
    },
    SlaBreached {
        sla: SlaId,
        severity: i32,
        due_at: GameTime,
    },
    /// A moment the report measures was reached (the facilitator sees it).
    MilestoneReached {
        milestone: Milestone,
    },
    Paused,
    Resumed,
    CommandRejected {
        by: Seat,
        command: Box<Command>,
        #[serde(flatten)]
        rejection: Rejection,
    },
    ObjectiveRated {
        objective: ObjectiveId,
        rating: Rating,
    },
    CriterionMet {
        criterion: CriterionId,
        points: i32,
    },
    ExerciseEnded {
        ending: Option<EndingId>,
        title: Arc<str>,
        outcome: Option<Outcome>,
        score: i32,
        /// True when the facilitator ended it.
        by_facilitator: bool,
    },
}
