//! The after-action report as a document, HSEEP-shaped: overview, executive summary, key
//! times, objectives, strengths, areas for improvement, improvement plan, per-role figures
//! and the timeline. Every renderer (Markdown, HTML, JSON, CSV, the terminal) reads this
//! and nothing else, so all formats say the same thing.

use serde::Serialize;

use crate::engine::ids::{ActionId, InjectId, ObjectiveId, OptionId, RoleId, ScenarioId, StageId};
use crate::engine::model::{Outcome, Policy, Rating, Side};
use crate::engine::time::{GameTime, StartTime};

use super::metrics::Metrics;

/// The version of the JSON document; raised on any change that is not a pure addition.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub overview: Overview,
    pub summary: Summary,
    pub key_times: Vec<KeyTime>,
    /// Headline figures, one line each.
    pub figures: Vec<String>,
    pub objectives: Vec<ObjectiveRow>,
    pub strengths: Vec<Finding>,
    /// Ranked: the first is the principal area for improvement.
    pub improvements: Vec<Finding>,
    pub plan: Vec<PlanRow>,
    pub timeline: Vec<TimelineRow>,
    pub threat_bands: Vec<ThreatBand>,
    pub metrics: Metrics,
    /// What the people in the room noted: the discussion by module, the observations, the
    /// hot wash.
    pub room: Room,
    /// Section 9: the turning points, the attack path, advice to each role.
    pub debrief: Debrief,
}

/// What the people in the room noted, as they wrote it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Room {
    /// The facilitator's notes of the discussion, under the module they were taken in.
    pub discussion: Vec<ModuleNotes>,
    /// Observations, each tied to its moment and maybe an objective and a rating.
    pub observations: Vec<NoteRow>,
    /// Hot wash: what went well, by whom.
    pub strengths: Vec<NoteRow>,
    /// Hot wash: what to improve, by whom.
    pub improvements: Vec<NoteRow>,
}

impl Room {
    pub fn is_empty(&self) -> bool {
        self.discussion.is_empty()
            && self.observations.is_empty()
            && self.strengths.is_empty()
            && self.improvements.is_empty()
    }
}

/// The discussion notes of one module (or of the exercise, when it has no modules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ModuleNotes {
    pub module: String,
    pub questions: Vec<String>,
    pub notes: Vec<NoteRow>,
}

/// One note: when, by whom, what, and for an observation its objective and rating.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoteRow {
    /// `Sat 03:52 (+0:22)`.
    pub at: String,
    pub by: String,
    pub text: String,
    pub objective: Option<String>,
    pub rating: Option<Rating>,
}

/// Who or what played a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum PlayedBy {
    /// A person at the keyboard.
    Person,
    /// A script of timed commands (a headless run).
    Script,
    /// A bot with this policy.
    Bot { policy: Policy },
    /// Nobody: the seat never acted.
    Nobody,
}

impl PlayedBy {
    pub fn label(self) -> String {
        match self {
            PlayedBy::Person => "a person".into(),
            PlayedBy::Script => "a script".into(),
            PlayedBy::Bot { policy } => format!("bot: {}", policy.name()),
            PlayedBy::Nobody => "nobody".into(),
        }
    }
}

/// The best outcome the by-the-book bots reached from the same seed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub ending_title: String,
    pub outcome: Option<Outcome>,
    pub score: i32,
    /// Where the by-the-book run went: its moves, containment, the stage, the end.
    pub path: Path,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Overview {
    pub scenario: ScenarioId,
    pub title: String,
    pub summary: String,
    /// The scenario's facilitator notes (the report comes after the play).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub notes: String,
    pub seed: u64,
    /// The weekday and time of day of minute 0, to turn game times into clock faces.
    pub start: StartTime,
    /// Only when given as input: the report itself never reads a clock.
    pub date: Option<String>,
    pub started: String,
    pub ended: String,
    pub played_minutes: u32,
    pub scheduled_end: String,
    pub threat: Option<String>,
    pub roles: Vec<RoleRow>,
    pub facilitator: PlayedBy,
    /// When the exercise was still under way: the game time the report was made at
    /// (`+1:23`). Every format says "interim, at +1:23".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interim: Option<String>,
    /// The session's name, when it was given one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub session_name: Option<String>,
    /// The people who gave commands, by the names they joined with (networked seats).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Participant>,
}

/// A person who played, the seat they played in and how many commands they gave.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub name: String,
    pub seat: String,
    pub commands: u32,
}

impl Overview {
    /// The report's kind, as its title says it: "After-action report" or "After-action
    /// report (interim, at +1:23)".
    pub fn kind(&self) -> String {
        match &self.interim {
            Some(at) => format!("After-action report (interim, at {at})"),
            None => "After-action report".to_owned(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RoleRow {
    pub role: RoleId,
    pub name: String,
    pub side: Side,
    pub authority: u8,
    /// Its authority on the scenario's other scales, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub authority_in: Vec<(String, u8)>,
    pub persona: String,
    pub played_by: PlayedBy,
}

impl RoleRow {
    /// "3", or "1; legal sign-off 2" with other scales.
    pub fn authority_words(&self) -> String {
        crate::engine::model::levels_words(
            self.authority,
            self.authority_in
                .iter()
                .map(|(name, n)| (name.as_str(), *n)),
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub ending_title: String,
    pub outcome: Option<Outcome>,
    pub ending_text: String,
    pub score: i32,
    pub max_score: i32,
    /// The executive summary, one paragraph per entry.
    pub paragraphs: Vec<String>,
    pub comparison: Option<Comparison>,
    /// The "what could have been" line, ready to print.
    pub what_could_have_been: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyTime {
    pub label: String,
    /// Game minutes since the start (for a wait: its length).
    pub minutes: Option<u32>,
    /// The clock face (`Sat 03:39`), for moments.
    pub clock: Option<String>,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ObjectiveRow {
    pub objective: ObjectiveId,
    pub text: String,
    /// `None` when the exercise has not ended (objectives are rated at the end).
    pub rating: Option<Rating>,
    pub rating_text: String,
    pub criteria_met: Vec<String>,
    pub criteria_missed: Vec<String>,
    /// The rating an observer gave it, the last one if several, beside the computed one.
    pub observed: Option<Rating>,
}

/// HSEEP's capability elements: Planning, Organization, Equipment, Training, Exercises.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Capability {
    Planning,
    Organization,
    Equipment,
    Training,
    Exercises,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Priority {
    High,
    Medium,
    Low,
}

/// The remedy of the talk a recommendation draws on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Remedy {
    PreAuthorisedPlaybook,
    EscalationPath,
    Onboarding,
    JointExercise,
    Embedding,
    Keep,
}

/// What a finding is about (also its id in the JSON).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    Authority,
    Containment,
    Escalation,
    Triage,
    OutsideTheRules,
    Decisions,
    Sla,
    Evidence,
    Objectives,
}

/// A strength or an area for improvement: observation → analysis → recommendation.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Finding {
    pub topic: Topic,
    pub title: String,
    pub observation: String,
    pub analysis: String,
    pub recommendation: String,
    /// Facilitator's debrief notes of the injects, options, actions and ending involved.
    pub debrief: Vec<String>,
    /// The game minutes the gap lasted (what it cost), when it has a length.
    pub minutes: Option<u32>,
    pub remedy: Remedy,
    pub capability: Capability,
    pub owner: Option<RoleId>,
    pub owner_name: String,
    pub priority: Priority,
    /// The corrective action in a few words, for the improvement plan.
    pub corrective_action: String,
    /// What the finding claims happened, each checked against the log by the tests.
    #[serde(skip)]
    pub facts: Vec<super::facts::Fact>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanRow {
    pub issue: String,
    pub corrective_action: String,
    pub capability: Capability,
    pub owner: String,
    pub priority: Priority,
}

pub use crate::words::{LANE_EXERCISE, LANE_THREAT, Mark};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TimelineRow {
    pub at: GameTime,
    pub clock: String,
    /// Role ids, or `threat` / `exercise`.
    pub lanes: Vec<String>,
    /// Who, in words (role names).
    pub who: String,
    pub mark: Mark,
    pub text: String,
    /// For actions: when they complete.
    pub until: Option<GameTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThreatBand {
    pub stage: StageId,
    pub name: String,
    /// From 1.
    pub number: u16,
    pub from: GameTime,
    pub to: GameTime,
}

// ----- the debrief (section 9), built by `super::debrief` -----

/// A move a role made: an answer or an action it took itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Move {
    Answer { inject: InjectId, option: OptionId },
    Action { action: ActionId },
}

/// A move, when, and by whom.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Moved {
    pub at: GameTime,
    pub role: RoleId,
    #[serde(flatten)]
    pub what: Move,
}

/// Where a run went: its moves, when it was contained, how far the attacker got, how it
/// ended.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Path {
    pub moves: Vec<Moved>,
    pub contained_at: Option<GameTime>,
    /// The last stage the threat reached, by name.
    pub stage: Option<String>,
    pub ended_at: GameTime,
}

/// One point where the people and the by-the-book bots parted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TurningPoint {
    pub at: GameTime,
    pub clock: String,
    pub role: String,
    /// What the people did, in words.
    pub played: String,
    /// What the by-the-book bots did instead, in words.
    pub by_the_book: String,
}

/// A stage of the attack, as the run revealed it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageRow {
    pub stage: String,
    /// When it was reached (`None`: never).
    pub reached: Option<String>,
    pub description: String,
}

/// A word of advice to one role the people played.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub role: String,
    pub text: String,
}

/// Report section 9.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Debrief {
    /// Where this run led, in one sentence; and the by-the-book run of the same seed.
    pub this_run: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub by_the_book_run: String,
    pub turning_points: Vec<TurningPoint>,
    pub attack_path: Vec<StageRow>,
    /// What halts the threat, in words.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub halted_by: String,
    pub advice: Vec<Advice>,
    /// What the turning points claim about this run, each checked against its log by the
    /// tests.
    #[serde(skip)]
    pub facts: Vec<super::facts::Fact>,
}
