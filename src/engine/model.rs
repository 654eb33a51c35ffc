//! The validated, immutable scenario the engine runs: every reference already resolved to
//! an index, every time already a [`GameTime`]. The `scenario` layer builds it from RON;
//! tests and benchmarks may build it directly.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::ids::{
    ActionId, CriterionId, EndingId, InjectId, ObjectiveId, OptionId, RoleId, ScenarioId, SlaId,
    StageId, VarId,
};
use super::time::{GameTime, StartTime};

/// Index of a role in [`Scenario::roles`].
pub type RoleIx = u16;
/// Index of an inject in [`Scenario::injects`].
pub type InjectIx = u32;
/// Index of an action in [`Scenario::actions`].
pub type ActionIx = u32;
/// Index of a stage in [`Threat::stages`].
pub type StageIx = u16;
/// Index of an ending in [`Scenario::endings`].
pub type EndingIx = u16;

/// A whole, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: ScenarioId,
    pub title: String,
    pub summary: String,
    pub tags: Vec<String>,
    pub start: StartTime,
    /// Game time at which the exercise runs out of time.
    pub end: GameTime,
    pub roles: Vec<Role>,
    pub variables: Vec<Variable>,
    pub draws: Vec<Draw>,
    pub threat: Option<Threat>,
    pub injects: Vec<Inject>,
    pub actions: Vec<Action>,
    pub slas: Vec<Sla>,
    pub endings: Vec<Ending>,
    pub objectives: Vec<Objective>,
    pub rubric: Vec<Criterion>,
    /// A hash of the source text, so a journal can tell the scenario changed under it.
    pub content_hash: u64,
    /// Injects triggered by a condition, in declaration order (a cached subset).
    pub conditional_injects: Vec<InjectIx>,
    /// Sorted game times at which a `Before`/`After` condition changes value.
    pub clock_marks: Vec<GameTime>,
    /// Minutes of the day at which a `TimeOfDay`/`OnDays` condition may change value.
    pub daily_marks: Vec<u32>,
    /// Names to indices, for commands that arrive with names.
    pub index: NameIndex,
}

/// Name → index maps of a scenario (ordered maps: no hash-order randomness in the engine).
#[derive(Clone, Debug, Default)]
pub struct NameIndex {
    pub roles: BTreeMap<String, RoleIx>,
    pub injects: BTreeMap<String, InjectIx>,
    pub actions: BTreeMap<String, ActionIx>,
    pub endings: BTreeMap<String, EndingIx>,
}

impl NameIndex {
    /// Builds the maps from the scenario's lists (the first of duplicate names wins).
    pub fn build(sc: &Scenario) -> NameIndex {
        fn map<T, I: TryFrom<usize> + Copy>(
            items: &[T],
            id: impl Fn(&T) -> &str,
        ) -> BTreeMap<String, I> {
            let mut m = BTreeMap::new();
            for (i, item) in items.iter().enumerate() {
                if let Ok(ix) = I::try_from(i) {
                    m.entry(id(item).to_owned()).or_insert(ix);
                }
            }
            m
        }
        NameIndex {
            roles: map(&sc.roles, |r| r.id.as_str()),
            injects: map(&sc.injects, |r| r.id.as_str()),
            actions: map(&sc.actions, |r| r.id.as_str()),
            endings: map(&sc.endings, |r| r.id.as_str()),
        }
    }
}

impl Scenario {
    pub fn role_index(&self, id: &str) -> Option<RoleIx> {
        self.index.roles.get(id).copied()
    }

    pub fn inject_index(&self, id: &str) -> Option<InjectIx> {
        self.index.injects.get(id).copied()
    }

    pub fn action_index(&self, id: &str) -> Option<ActionIx> {
        self.index.actions.get(id).copied()
    }

    pub fn ending_index(&self, id: &str) -> Option<EndingIx> {
        self.index.endings.get(id).copied()
    }

    pub fn role(&self, ix: RoleIx) -> &Role {
        &self.roles[usize::from(ix)]
    }

    pub fn inject(&self, ix: InjectIx) -> &Inject {
        &self.injects[ix as usize]
    }

    pub fn action(&self, ix: ActionIx) -> &Action {
        &self.actions[ix as usize]
    }
}

/// Which side of the commercial boundary a role sits on.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub enum Side {
    /// The business: priorities, authority to accept risk (customer side).
    Management,
    /// The hands-on technical work (MSSP / MDR / SOC side).
    Response,
    /// Anyone else: an IT outsourcer, DFIR retainer, comms.
    Other,
}

#[derive(Clone, Debug)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub persona: String,
    pub side: Side,
    /// Higher means more authority to accept business risk.
    pub authority: u8,
    pub briefing: String,
    /// While false, the role cannot be reached: its commands are refused (asleep, off shift).
    pub reachable: Cond,
    /// Explains `reachable` to the player when it is false.
    pub unreachable_note: String,
}

/// A set of roles that may see something. The facilitator sees everything and is never
/// listed.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Audience(pub Arc<[RoleId]>);

impl Audience {
    pub fn new(roles: Vec<RoleId>) -> Self {
        Audience(Arc::from(roles))
    }

    pub fn facilitator_only() -> Self {
        Audience(Arc::from(Vec::new()))
    }

    pub fn includes(&self, role: &RoleId) -> bool {
        self.0.iter().any(|r| r == role)
    }

    /// The union of two audiences, in first-seen order.
    #[must_use]
    pub fn union(&self, other: &Audience) -> Audience {
        if other.0.iter().all(|r| self.includes(r)) {
            return self.clone();
        }
        let mut v: Vec<RoleId> = self.0.to_vec();
        for r in other.0.iter() {
            if !v.contains(r) {
                v.push(r.clone());
            }
        }
        Audience::new(v)
    }

    pub fn roles(&self) -> &[RoleId] {
        &self.0
    }
}

#[derive(Clone, Debug)]
pub struct Variable {
    pub id: VarId,
    pub name: String,
    pub min: i32,
    pub max: i32,
    pub initial: i32,
    pub audience: Audience,
}

/// A value drawn from the seed.
#[derive(Clone, Debug)]
pub struct Draw {
    pub id: VarId,
    pub kind: DrawKind,
    pub note: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawKind {
    /// 1 with the given probability in percent, else 0.
    Chance { percent: u8 },
    /// A whole number between `min` and `max` inclusive, uniformly.
    Range { min: i32, max: i32 },
}

/// Something a condition or effect reads: a variable or a draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueRef {
    Var(u32),
    Draw(u32),
}

/// A moment a condition can measure from or to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    Start,
    Delivered(InjectIx),
    Taken(ActionIx),
    Completed(ActionIx),
    Chose(InjectIx, u16),
    Stage(StageIx),
}

/// A condition: data, total, bounded. Evaluated against the state; never runs code.
#[derive(Clone, Debug, PartialEq)]
pub enum Cond {
    Always,
    Never,
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Not(Box<Cond>),
    /// The value is not zero.
    Is(ValueRef),
    AtLeast(ValueRef, i32),
    AtMost(ValueRef, i32),
    Equals(ValueRef, i32),
    /// The moment has happened.
    Happened(Mark),
    /// Both moments happened, the second at most `minutes` after the first.
    Within {
        from: Mark,
        to: Mark,
        minutes: u32,
    },
    ThreatHalted,
    /// Game time is before this moment.
    Before(GameTime),
    /// Game time is at or after this moment.
    NotBefore(GameTime),
    /// Time of day in `[from, to)` minutes, wrapping midnight when `from > to`.
    TimeOfDay {
        from: u32,
        to: u32,
    },
    /// The current weekday is one of these (bit i = weekday i, Mon = 0).
    Weekdays(u8),
    /// The scenario's time has run out (only true while endings are chosen at the end).
    TimeUp,
    /// The SLA was met / breached.
    SlaMet(u32),
    SlaBreached(u32),
    /// The role can be reached now (its `reachable` condition holds).
    Reachable(RoleIx),
    /// The inject's prompt expired without an answer at least once.
    Expired(InjectIx),
}

/// A delay: fixed, or read from a draw (its current value, in minutes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Delay {
    Minutes(u32),
    Draw(u32),
}

/// An effect: data, applied in order.
#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    Set(u32, i32),
    Add(u32, i32),
    Schedule(InjectIx, Delay),
    Cancel(InjectIx),
    /// Draw the value again (the next phone call may be answered).
    Roll(u32),
    AdvanceThreat,
    HaltThreat,
    ResumeThreat,
    End(EndingIx),
    If {
        cond: Cond,
        then: Vec<Effect>,
        otherwise: Vec<Effect>,
    },
}

/// The medium an inject or a communication travels by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    Phone,
    Ticket,
    Email,
    Alert,
    Chat,
    Portal,
    Sms,
    Pager,
    News,
    InPerson,
    System,
}

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Phone => "phone",
            Channel::Ticket => "ticket",
            Channel::Email => "email",
            Channel::Alert => "alert",
            Channel::Chat => "chat",
            Channel::Portal => "portal",
            Channel::Sms => "sms",
            Channel::Pager => "pager",
            Channel::News => "news",
            Channel::InPerson => "in person",
            Channel::System => "system",
        }
    }
}

#[derive(Clone, Debug)]
pub enum Trigger {
    At(GameTime),
    When(Cond, Delay),
    /// Only when an effect schedules it or the facilitator fires it.
    Manual,
}

#[derive(Clone, Debug)]
pub struct Inject {
    pub id: InjectId,
    pub trigger: Trigger,
    pub to: Audience,
    pub channel: Channel,
    pub from: Arc<str>,
    pub subject: Arc<str>,
    pub text: Arc<str>,
    pub effects: Vec<Effect>,
    pub prompt: Option<Prompt>,
    pub contingency: bool,
    pub debrief: String,
}

#[derive(Clone, Debug)]
pub struct Prompt {
    pub question: Arc<str>,
    /// Who may answer (by default the inject's audience).
    pub by: Vec<RoleIx>,
    pub options: Vec<PromptOption>,
    /// Minutes after delivery at which the prompt expires into `default`.
    pub deadline: Option<u32>,
    pub default: Option<u16>,
}

#[derive(Clone, Debug)]
pub struct PromptOption {
    pub id: OptionId,
    pub label: Arc<str>,
    pub authority: u8,
    pub effects: Vec<Effect>,
    pub debrief: String,
}

/// What happens when a role without the authority takes an action.
#[derive(Clone, Debug, PartialEq)]
pub enum WithoutAuthority {
    Refuse,
    /// Queue a request that one of these roles must approve.
    Approval(Vec<RoleIx>),
}

#[derive(Clone, Debug)]
pub struct Action {
    pub id: ActionId,
    pub name: String,
    pub description: String,
    pub by: Vec<RoleIx>,
    pub available: Cond,
    pub authority: u8,
    pub without_authority: WithoutAuthority,
    /// When true, the authority check is skipped (a pre-approved playbook).
    pub preapproved: Cond,
    pub duration: u32,
    pub repeatable: bool,
    pub effects: Vec<Effect>,
    pub channel: Option<Channel>,
    /// Roles the action reaches (a call, a ticket): they see it.
    pub to: Audience,
    /// Further roles that see the action being taken.
    pub visible_to: Audience,
    pub debrief: String,
}

#[derive(Clone, Debug)]
pub struct Threat {
    pub name: String,
    pub stages: Vec<Stage>,
    pub halted_when: Cond,
    pub audience: Audience,
}

#[derive(Clone, Debug)]
pub struct Stage {
    pub id: StageId,
    pub name: String,
    pub description: String,
    /// Time in the previous stage before this one is reached (the first stage: none).
    pub after: Delay,
    pub effects: Vec<Effect>,
}

#[derive(Clone, Debug)]
pub struct Sla {
    pub id: SlaId,
    pub name: String,
    pub starts: Cond,
    pub met: Cond,
    /// The variable holding the severity the target depends on.
    pub severity: u32,
    /// Minutes allowed per severity level.
    pub targets: Vec<(i32, u32)>,
    pub audience: Audience,
}

impl Sla {
    pub fn target_for(&self, severity: i32) -> Option<u32> {
        self.targets
            .iter()
            .find(|(s, _)| *s == severity)
            .map(|(_, m)| *m)
    }
}

/// How an ending is judged by the room.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    Good,
    Mixed,
    Bad,
}

#[derive(Clone, Debug)]
pub struct Ending {
    pub id: EndingId,
    pub title: String,
    pub outcome: Outcome,
    pub when: Cond,
    pub text: String,
    pub debrief: String,
}

/// The HSEEP rating scale for an objective.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Rating {
    /// Performed without challenges.
    P,
    /// Performed with some challenges.
    S,
    /// Performed with major challenges.
    M,
    /// Unable to be performed.
    U,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub id: ObjectiveId,
    pub text: String,
    /// The first rule whose condition holds at the end gives the rating; none: `U`.
    pub ratings: Vec<(Rating, Cond)>,
}

#[derive(Clone, Debug)]
pub struct Criterion {
    pub id: CriterionId,
    pub text: String,
    pub points: i32,
    pub when: Cond,
    pub objective: Option<u32>,
}
