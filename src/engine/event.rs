//! Events: what happened, in the past tense, each with its game time and its audience.
//! Events are the only thing the UI, the journal, the network and the report consume.
//!
//! An event names scenario content by its index (inject 42, option 1, role 0), not by its
//! text: the scenario is immutable and always beside the log, so an event is a few bytes
//! that cost nothing to make, and the words are looked up where they are shown
//! ([`Scenario`] has the lookups). A state's log is only valid with the scenario it was
//! made from, which its content hash checks.

use serde::{Deserialize, Serialize};

use super::command::Command;
use super::ids::{ActionId, RoleId, Seat};
use super::model::{
    ActionIx, Audience, Channel, CriterionIx, Domain, DrawIx, EndingIx, InjectIx, Milestone,
    ObjectiveIx, Outcome, Rating, RoleIx, Scenario, SlaIx, StageIx, VarIx,
};
use super::time::GameTime;

/// One thing that happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Position in the exercise's event log, from 0.
    pub seq: u32,
    pub at: GameTime,
    /// Roles that may see it; the facilitator sees every event.
    pub audience: Audience,
    #[serde(flatten)]
    pub kind: EventKind,
}

impl Event {
    /// Whether `who` may see this event.
    pub fn visible_to(&self, who: Actor) -> bool {
        match who {
            Actor::Facilitator | Actor::Evaluator => true,
            Actor::Role(r) => self.audience.includes(r),
        }
    }
}

/// Who did something, as an event records it: the facilitator or a role of the scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Actor {
    Facilitator,
    /// The evaluator: sees everything, notes observations.
    Evaluator,
    Role(RoleIx),
}

/// A note someone wrote: the room's discussion, an observation, the hot wash.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Noted {
    pub by: Actor,
    pub kind: super::model::NoteKind,
    /// The module under way when it was written, if the scenario has modules.
    pub module: Option<u16>,
    pub objective: Option<super::model::ObjectiveIx>,
    pub rating: Option<super::model::Rating>,
    pub text: String,
}

/// A recipient's answer to a free-text inject (the event `seq`): its index and its words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdHocAnswer {
    pub seq: u32,
    pub option: u16,
    pub by: Actor,
    pub answer: String,
}

/// A message the facilitator wrote during the session (not part of the scenario).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdHoc {
    pub channel: Channel,
    pub from: String,
    pub text: String,
    /// Answers the recipients may give, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
}

/// A command the engine refused, and why (rare, so kept out of line).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rejected {
    /// As issued: the seat may not even be one of the scenario's roles.
    pub by: Seat,
    pub command: Command,
    #[serde(flatten)]
    pub rejection: Rejection,
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
    /// A repeatable action taken too recently: it may be taken again from then.
    CoolingDown {
        until: GameTime,
    },
    /// The role has spent its actions for this turn; the next turn begins then (`None`:
    /// this was the last).
    NoActionsLeft {
        until: Option<GameTime>,
    },
    /// The role is busy with another action until then.
    Busy {
        action: ActionId,
        until: GameTime,
    },
    /// The role cannot be reached now (asleep, off shift).
    Unreachable {
        note: String,
    },
    NotAuthorised {
        needed: u8,
        has: u8,
        /// The scale both are on (business risk when absent).
        #[serde(default, skip_serializing_if = "Domain::is_main")]
        domain: Domain,
    },
    /// No such prompt is open (never delivered, answered, or expired).
    NoOpenPrompt,
    /// Time cannot go backwards.
    TimeInPast,
    /// A note with no text, or too long, or naming an objective the scenario does not
    /// have, or a rating without an objective.
    BadNote,
    /// An approval request is pending for this already.
    AlreadyRequested {
        request: u32,
    },
}

/// What happened. Content is named by index into the scenario (see the module docs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type")]
pub enum EventKind {
    /// The title and the start's clock face are the scenario's.
    ExerciseStarted {
        seed: u64,
    },
    /// A turn of a scenario played in turns begins (the first with the exercise): every
    /// role's budget of actions is whole again.
    TurnStarted {
        turn: u32,
    },
    /// The inject's channel, sender, text and prompt are the scenario's.
    InjectDelivered {
        inject: InjectIx,
        /// When its prompt expires, if it has one with a deadline.
        expires_at: Option<GameTime>,
        /// True when the facilitator fired it by hand.
        fired_by_facilitator: bool,
        /// The values its text names, in order, as they were when it was delivered.
        #[serde(default, skip_serializing_if = "Values::is_empty")]
        values: Values,
    },
    /// An inject's message passed on to more roles (the event's audience) by an effect,
    /// saying what it said when it was delivered.
    InjectPassedOn {
        inject: InjectIx,
        #[serde(default, skip_serializing_if = "Values::is_empty")]
        values: Values,
    },
    AdHocInjectDelivered(Box<AdHoc>),
    /// A recipient answered a free-text inject (the event `seq`) with option `option`.
    AdHocAnswered(Box<AdHocAnswer>),
    /// A note someone wrote (the facilitator's and an evaluator's are the facilitator's
    /// to see; a hot-wash note is its writer's too).
    Noted(Box<Noted>),
    InjectCancelled {
        inject: InjectIx,
    },
    DecisionMade {
        inject: InjectIx,
        /// Index into the inject's prompt options.
        option: u16,
        by: Actor,
    },
    PromptExpired {
        inject: InjectIx,
        default: Option<u16>,
    },
    /// The action's channel and the roles it reaches are the scenario's.
    ActionTaken {
        action: ActionIx,
        by: Actor,
        completes_at: GameTime,
        /// Who approved it, when it needed approval.
        approved_by: Option<Actor>,
        /// True when a pre-approved playbook waived the authority check.
        preapproved: bool,
    },
    ActionCompleted {
        action: ActionIx,
        by: Actor,
    },
    ApprovalRequested {
        request: u32,
        action: ActionIx,
        by: Actor,
        approvers: Audience,
        needed: u8,
    },
    ApprovalGranted {
        request: u32,
        action: ActionIx,
        by: Actor,
    },
    ApprovalDenied {
        request: u32,
        action: ActionIx,
        by: Actor,
    },
    /// An ending was reached and the story runs on until `until` (its epilogue), when the
    /// exercise ends with it.
    EpilogueStarted {
        ending: EndingIx,
        until: GameTime,
    },
    /// A pending request whose action was taken another way before anyone answered.
    ApprovalWithdrawn {
        request: u32,
        action: ActionIx,
        by: Actor,
    },
    VariableChanged {
        variable: VarIx,
        from: i32,
        to: i32,
    },
    ValueDrawn {
        draw: DrawIx,
        value: i32,
        /// How many times this draw was made before (0 for the first).
        nth: u32,
    },
    ThreatAdvanced {
        stage: StageIx,
    },
    ThreatHalted {
        stage: StageIx,
    },
    ThreatResumed {
        stage: StageIx,
    },
    SlaStarted {
        sla: SlaIx,
        severity: i32,
        due_at: Option<GameTime>,
    },
    SlaMet {
        sla: SlaIx,
        severity: i32,
        minutes: u32,
    },
    SlaBreached {
        sla: SlaIx,
        severity: i32,
        due_at: GameTime,
    },
    /// A moment the report measures was reached (the facilitator sees it).
    MilestoneReached {
        milestone: Milestone,
    },
    Paused,
    Resumed,
    CommandRejected(Box<Rejected>),
    ObjectiveRated {
        objective: ObjectiveIx,
        rating: Rating,
    },
    CriterionMet {
        criterion: CriterionIx,
        points: i32,
    },
    /// The engine stopped the exercise: its scenario set off more deliveries than the
    /// engine's limits allow (the ending that follows has no ending of the scenario's).
    RunawayStopped {
        inject: InjectIx,
        limit: Runaway,
    },
    ExerciseEnded {
        ending: Option<EndingIx>,
        outcome: Option<Outcome>,
        score: i32,
        /// True when the facilitator ended it.
        by_facilitator: bool,
        /// True when the scenario's time ran out.
        time_up: bool,
    },
}

/// Which of the engine's limits a runaway scenario passed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Runaway {
    /// More than [`CASCADE_LIMIT`](super::CASCADE_LIMIT) items fell due at one moment.
    Cascade,
    /// More than [`AGENDA_LIMIT`](super::AGENDA_LIMIT) items were waiting at once.
    Agenda,
    /// More than [`CHECK_LIMIT`](super::CHECK_LIMIT) `when` conditions were checked at one
    /// moment.
    Checks,
}

impl Runaway {
    /// What happened, in words, for the inject named `inject`.
    pub fn describe(self, inject: &str) -> String {
        match self {
            Runaway::Cascade => format!(
                "the scenario set off more than {} deliveries at one moment (the last was \"{inject}\"); the exercise was stopped",
                super::CASCADE_LIMIT
            ),
            Runaway::Agenda => format!(
                "the scenario scheduled more than {} deliveries at once (the last was \"{inject}\"); the exercise was stopped",
                super::AGENDA_LIMIT
            ),
            Runaway::Checks => format!(
                "the scenario's `when` injects set each other off so often that more than {} conditions were checked at one moment (the last was \"{inject}\"); the exercise was stopped",
                super::CHECK_LIMIT
            ),
        }
    }
}

impl EventKind {
    /// The headline of an `ExerciseEnded`: the ending's title, or how it stopped.
    pub fn ended_title<'s>(&self, sc: &'s Scenario) -> Option<&'s str> {
        match self {
            EventKind::ExerciseEnded {
                ending,
                by_facilitator,
                time_up,
                ..
            } => Some(match ending {
                Some(e) => &sc.endings[usize::from(*e)].title,
                None if *by_facilitator => "Ended by the facilitator",
                None if *time_up => "Time ran out",
                None => "Stopped",
            }),
            _ => None,
        }
    }
}

impl Scenario {
    /// The seat an actor stands for, by name.
    pub fn seat(&self, who: Actor) -> Seat {
        match who {
            Actor::Facilitator => Seat::Facilitator,
            Actor::Evaluator => Seat::Evaluator,
            Actor::Role(r) => Seat::Role(self.role(r).id.clone()),
        }
    }

    /// The actor a seat is, when it is the facilitator or one of this scenario's roles.
    pub fn actor(&self, seat: &Seat) -> Option<Actor> {
        match seat {
            Seat::Facilitator => Some(Actor::Facilitator),
            Seat::Evaluator => Some(Actor::Evaluator),
            Seat::Role(r) => self.role_index(r.as_str()).map(Actor::Role),
        }
    }

    /// The ids of an audience's roles, in the scenario's order.
    pub fn role_ids(&self, audience: Audience) -> Vec<RoleId> {
        audience.roles().map(|r| self.role(r).id.clone()).collect()
    }

    /// The id of option `o` of an inject's prompt.
    pub fn option_id(&self, inject: InjectIx, o: u16) -> Option<&str> {
        let p = self.inject(inject).prompt.as_ref()?;
        p.options.get(usize::from(o)).map(|x| x.id.as_str())
    }
}

/// The values an inject's text named when it was delivered, in order (most texts name none,
/// and then nothing is allocated).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
// A box of a vector, not a boxed slice: one pointer wide, so that the event stays small.
#[allow(clippy::box_collection)]
pub struct Values(Option<Box<Vec<i32>>>);

impl Values {
    pub fn new(v: Vec<i32>) -> Values {
        Values((!v.is_empty()).then(|| Box::new(v)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }
}

impl std::ops::Deref for Values {
    type Target = [i32];
    fn deref(&self) -> &[i32] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long run keeps hundreds of thousands of events: keep them small. A new kind of
    /// event with a large payload should box it, as `CommandRejected` does.
    #[test]
    fn events_stay_small() {
        assert!(size_of::<EventKind>() <= 24, "{}", size_of::<EventKind>());
        assert!(size_of::<Event>() <= 40, "{}", size_of::<Event>());
    }
}
