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
    /// Per role, in a scenario played in turns: the turn it last acted in and what it spent
    /// there.
    #[serde(default)]
    pub spent: Vec<(u32, u16)>,
    pub requests: Vec<Request>,
    /// Timed deliveries and completions, taken in (at, seq) order.
    pub agenda: Agenda,
    pub timer_seq: u64,
    pub threat: ThreatState,
    pub slas: Vec<SlaState>,
    pub pending_end: Option<EndingIx>,
    /// The ending reached, and until when the story runs on after it (its epilogue) before
    /// the exercise ends with it.
    #[serde(default)]
    pub epilogue: Option<(EndingIx, GameTime)>,
    /// When each [`Milestone`](super::model::Milestone) was first reached (by its index).
    pub milestones: [Option<GameTime>; 5],
    pub log: Vec<Event>,
}

impl State {
    /// A copy of everything but the event log (which a caller keeps once, elsewhere): a
    /// replay's snapshots cost the state's size, not the whole log's, each.
    #[must_use]
    pub fn without_log(&self) -> State {
        // Every field by name: a field added to the state must be copied here too.
        let State {
            scenario,
            content_hash,
            seed,
            now,
            paused,
            time_up,
            ended,
            vars,
            draws,
            injects,
            prompts,
            choices,
            actions,
            busy,
            spent,
            requests,
            agenda,
            timer_seq,
            threat,
            slas,
            pending_end,
            epilogue,
            milestones,
            log: _,
        } = self;
        State {
            scenario: scenario.clone(),
            content_hash: *content_hash,
            seed: *seed,
            now: *now,
            paused: *paused,
            time_up: *time_up,
            ended: *ended,
            vars: vars.clone(),
            draws: draws.clone(),
            injects: injects.clone(),
            prompts: prompts.clone(),
            choices: choices.clone(),
            actions: actions.clone(),
            busy: busy.clone(),
            spent: spent.clone(),
            requests: requests.clone(),
            agenda: agenda.clone(),
            timer_seq: *timer_seq,
            threat: threat.clone(),
            slas: slas.clone(),
            pending_end: *pending_end,
            epilogue: *epilogue,
            milestones: *milestones,
            log: Vec::new(),
        }
    }
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
    /// The roles it has been delivered to.
    #[serde(default)]
    pub known: crate::engine::model::Audience,
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
    /// When it was last taken (a cooldown runs from then).
    #[serde(default)]
    pub last_taken: Option<GameTime>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RequestStatus {
    Pending,
    Granted,
    Denied,
    /// The action was taken another way (a playbook, the requester's own authority) before
    /// anyone answered: there is nothing left to decide.
    Withdrawn,
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
    Complete {
        action: ActionIx,
        by: RoleIx,
    },
    /// A turn begins (from 2; the first begins with the exercise).
    Turn(u32),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timer {
    pub at: GameTime,
    pub seq: u64,
    pub due: Due,
}

impl Timer {
    /// The order timers are taken in: by time, then in the order they were scheduled (`seq`
    /// is unique, so no two timers are equal in this order).
    fn key(&self) -> (GameTime, u64) {
        (self.at, self.seq)
    }
}

/// A timer in a min-heap: the earliest (at, seq) comes out first.
#[derive(Clone, Copy, Debug)]
struct Earliest(Timer);

impl PartialEq for Earliest {
    fn eq(&self, other: &Self) -> bool {
        self.0.key() == other.0.key()
    }
}

impl Eq for Earliest {}

impl PartialOrd for Earliest {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Earliest {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        other.0.key().cmp(&self.0.key())
    }
}

/// The timed items waiting to happen: a binary heap, so scheduling and taking the next item
/// cost O(log n) however many are waiting (a sorted list cost O(n) for each, which a
/// scenario that schedules thousands of deliveries at once turned into minutes of work).
///
/// It serialises as the list of timers in the order they will be taken, and two agendas are
/// equal when they hold the same timers, whatever the heap's inner layout.
#[derive(Clone, Debug, Default)]
pub struct Agenda(std::collections::BinaryHeap<Earliest>);

impl Agenda {
    pub fn with_capacity(n: usize) -> Agenda {
        Agenda(std::collections::BinaryHeap::with_capacity(n))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    pub fn push(&mut self, timer: Timer) {
        self.0.push(Earliest(timer));
    }

    /// The next timer to be taken.
    pub fn first(&self) -> Option<&Timer> {
        self.0.peek().map(|e| &e.0)
    }

    /// Takes the next timer.
    pub fn pop(&mut self) -> Option<Timer> {
        self.0.pop().map(|e| e.0)
    }

    /// Keeps only the timers `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&Timer) -> bool) {
        self.0.retain(|e| keep(&e.0));
    }

    /// Every timer, in the order they will be taken.
    pub fn sorted(&self) -> Vec<Timer> {
        let mut v: Vec<Timer> = self.0.iter().map(|e| e.0).collect();
        v.sort_unstable_by_key(Timer::key);
        v
    }
}

impl PartialEq for Agenda {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.sorted() == other.sorted()
    }
}

impl Serialize for Agenda {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.sorted().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Agenda {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let timers = Vec::<Timer>::deserialize(d)?;
        Ok(Agenda(timers.into_iter().map(Earliest).collect()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ThreatState {
    /// The stage most recently reached.
    pub stage: StageIx,
    /// When each stage was reached.
    pub entered_at: Vec<Option<GameTime>>,
    /// The stages the attacker is on its way to, in the order they were set off, each with
    /// when it gets there (`None` while the threat is halted: its clock restarts on resume).
    #[serde(default)]
    pub pending: Vec<(StageIx, Option<GameTime>)>,
    pub halted: bool,
    /// Halted by an effect (`HaltThreat`) rather than by the scenario's condition.
    pub forced_halt: bool,
}

impl ThreatState {
    /// When the attacker next moves on: the earliest of the pending stages' times.
    pub fn next_at(&self) -> Option<GameTime> {
        self.pending.iter().filter_map(|p| p.1).min()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SlaState {
    pub started_at: Option<GameTime>,
    pub met_at: Option<GameTime>,
    pub breached: bool,
    /// The severity when the clock (last) started: a restarting SLA starts again when it
    /// changes.
    #[serde(default)]
    pub severity_at: Option<i32>,
}
