//! The run state of an exercise: one serialisable struct holding everything that changes,
//! including the seed, the game time and the event log. The scenario is kept apart and never
//! changes.

use serde::{Deserialize, Serialize};

use super::event::Event;
use super::ids::ScenarioId;
use super::model::{ActionIx, EndingIx, InjectIx, RoleIx, StageIx};
use super::time::GameTime;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub scenario: ScenarioId,
    pub content_hash: u64,
    pub seed: u64,
    pub now: GameTime,
    pub paused: bool,
    pub time_up: bool,
    pub ended: Option<Ended>,
    pub vars: Vec<i32>,
    pub draws: Vec<DrawState>,
    pub injects: Vec<InjectState>,
    pub prompts: Vec<OpenPrompt>,
    pub choices: Vec<ChoiceMade>,
    pub actions: Vec<ActionState>,
    /// Per role: the action it is busy with, and until when.
    pub busy: Vec<Option<(ActionIx, GameTime)>>,
    pub requests: Vec<Request>,
    /// Timed deliveries and completions, kept sorted by (at, seq).
    pub agenda: Vec<Timer>,
    pub timer_seq: u64,
    pub threat: ThreatState,
    pub slas: Vec<SlaState>,
    pub pending_end: Option<EndingIx>,
    /// When each [`Milestone`](super::model::Milestone) was first reached (by its index).
    pub milestones: [Option<GameTime>; 5],
    pub log: Vec<Event>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ended {
    pub at: GameTime,
    pub ending: Option<EndingIx>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DrawState {
    pub value: i32,
    /// How many values were drawn so far.
    pub count: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct InjectState {
    pub first_delivered: Option<GameTime>,
    pub deliveries: u32,
    /// How often its prompt expired unanswered.
    pub expired: u32,
    /// A condition-triggered inject fires once.
    pub triggered: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenPrompt {
    pub inject: InjectIx,
    pub delivered_at: GameTime,
    pub expires_at: Option<GameTime>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChoiceMade {
    pub inject: InjectIx,
    pub option: u16,
    pub at: GameTime,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ActionState {
    pub first_taken: Option<GameTime>,
    pub first_completed: Option<GameTime>,
    pub times: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Pending,
    Granted,
    Denied,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Request {
    pub id: u32,
    pub action: ActionIx,
    pub by: RoleIx,
    pub at: GameTime,
    pub status: RequestStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Due {
    Deliver(InjectIx),
    Complete { action: ActionIx, by: RoleIx },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub at: GameTime,
    pub seq: u64,
    pub due: Due,
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ThreatState {
    pub stage: StageIx,
    /// When each stage was reached.
    pub entered_at: Vec<Option<GameTime>>,
    pub next_at: Option<GameTime>,
    pub halted: bool,
    /// Halted by an effect (`HaltThreat`) rather than by the scenario's condition.
    pub forced_halt: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SlaState {
    pub started_at: Option<GameTime>,
    pub met_at: Option<GameTime>,
    pub breached: bool,
}
