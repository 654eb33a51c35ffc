//! The scenario file as written: serde types that mirror the RON a facilitator edits.
//! References are still names here; [`super::compile`] resolves and checks them.
//!
//! Every struct denies unknown fields, so a misspelt field name is an error with a
//! position, not a silently ignored line.

use serde::Deserialize;

use crate::engine::model::{ActionKind, Channel, Outcome, Policy, Side, Stance};
use crate::engine::time::Weekday;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct RawScenario {
    pub format: u32,
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub tags: Vec<String>,
    /// `"Sat 03:30"`.
    pub start: String,
    /// `"Sat 09:00"` or `"+5:30"`.
    pub end: String,
    #[serde(default)]
    pub objectives: Vec<RawObjective>,
    pub roles: Vec<RawRole>,
    #[serde(default)]
    pub variables: Vec<RawVariable>,
    #[serde(default)]
    pub draws: Vec<RawDraw>,
    #[serde(default)]
    pub threat: Option<RawThreat>,
    #[serde(default)]
    pub injects: Vec<RawInject>,
    #[serde(default)]
    pub actions: Vec<RawAction>,
    #[serde(default)]
    pub slas: Vec<RawSla>,
    pub endings: Vec<RawEnding>,
    #[serde(default)]
    pub rubric: Vec<RawCriterion>,
    #[serde(default)]
    pub milestones: Option<RawMilestones>,
    #[serde(default)]
    pub bots: Vec<RawBot>,
}

/// When each measured moment of the incident is reached.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Milestones")]
pub struct RawMilestones {
    #[serde(default)]
    pub triaged: Option<RawCond>,
    #[serde(default)]
    pub escalated: Option<RawCond>,
    #[serde(default)]
    pub decision_needed: Option<RawCond>,
    #[serde(default)]
    pub authorised: Option<RawCond>,
    #[serde(default)]
    pub contained: Option<RawCond>,
}

/// The default bot persona of a role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Bot")]
pub struct RawBot {
    pub role: String,
    pub policy: Policy,
    #[serde(default)]
    pub reaction: Option<(u32, u32)>,
    #[serde(default)]
    pub retry: Option<u32>,
    #[serde(default)]
    pub patience: Option<u32>,
    /// `"07:30"`: the deferrer acts anyway from this time of day.
    #[serde(default)]
    pub gives_in_at: Option<String>,
    #[serde(default)]
    pub acts_alone_after: Option<u32>,
}

/// A list read without spare room: serde grows a `Vec` four items at a time, and a large
/// scenario has tens of thousands of one-item lists (effects, recipients) alive during
/// compilation.
fn exact<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let mut v = Vec::<T>::deserialize(d)?;
    v.shrink_to_fit();
    Ok(v)
}

/// The list fields of [`RawScenario`], which the loader can check item by item.
pub const LIST_FIELDS: &[&str] = &[
    "objectives",
    "roles",
    "variables",
    "draws",
    "injects",
    "actions",
    "slas",
    "endings",
    "rubric",
    "bots",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Objective")]
pub struct RawObjective {
    pub id: String,
    pub text: String,
    /// The first rating whose condition holds at the end applies; none: `U`.
    #[serde(default)]
    pub ratings: Vec<RawRating>,
}

#[derive(Debug, Deserialize)]
pub enum RawRating {
    P(RawCond),
    S(RawCond),
    M(RawCond),
    U(RawCond),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Role")]
pub struct RawRole {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub persona: String,
    pub side: Side,
    #[serde(default)]
    pub authority: u8,
    #[serde(default)]
    pub briefing: String,
    #[serde(default)]
    pub reachable: Option<RawCond>,
    #[serde(default)]
    pub unreachable_note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Variable")]
pub struct RawVariable {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub min: i32,
    #[serde(default = "default_max")]
    pub max: i32,
    #[serde(default)]
    pub initial: i32,
    #[serde(default)]
    pub visible_to: Vec<String>,
}

fn default_max() -> i32 {
    100
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawDraw {
    Chance {
        id: String,
        percent: u8,
        #[serde(default)]
        note: String,
    },
    Range {
        id: String,
        min: i32,
        max: i32,
        #[serde(default)]
        note: String,
    },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Threat")]
pub struct RawThreat {
    pub name: String,
    pub stages: Vec<RawStage>,
    #[serde(default)]
    pub halted_when: Option<RawCond>,
    #[serde(default)]
    pub visible_to: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Stage")]
pub struct RawStage {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub after: Option<RawDelay>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Inject")]
pub struct RawInject {
    pub id: String,
    /// A time: `"03:45"`, `"Sat 03:45"`, `"+15"`.
    #[serde(default)]
    pub at: Option<String>,
    /// A condition; the inject fires (once) when it first holds.
    #[serde(default)]
    pub when: Option<RawCond>,
    /// With `when`: how long after the condition holds.
    #[serde(default)]
    pub delay: Option<RawDelay>,
    #[serde(deserialize_with = "exact")]
    pub to: Vec<String>,
    pub channel: Channel,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub subject: String,
    pub text: String,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect>,
    #[serde(default)]
    pub prompt: Option<RawPrompt>,
    /// Only the facilitator fires it (or an effect schedules it).
    #[serde(default)]
    pub contingency: bool,
    #[serde(default)]
    pub debrief: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Prompt")]
pub struct RawPrompt {
    pub question: String,
    /// Who may answer; by default everyone the inject is sent to.
    #[serde(default)]
    pub by: Vec<String>,
    /// Further roles that learn the answer (the caller on the other end of the phone).
    #[serde(default)]
    pub heard_by: Vec<String>,
    pub options: Vec<RawChoice>,
    /// Minutes after delivery.
    #[serde(default)]
    pub deadline: Option<u32>,
    #[serde(default)]
    pub default: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Choice")]
pub struct RawChoice {
    pub id: String,
    pub label: String,
    #[serde(default)]
    pub authority: u8,
    #[serde(default)]
    pub stance: Stance,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect>,
    #[serde(default)]
    pub debrief: String,
}

#[derive(Debug, Deserialize)]
pub enum RawWithoutAuthority {
    Refuse,
    Approval(Vec<String>),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Action")]
pub struct RawAction {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub description: String,
    pub by: Vec<String>,
    #[serde(default)]
    pub available: Option<RawCond>,
    #[serde(default)]
    pub authority: u8,
    #[serde(default)]
    pub without_authority: Option<RawWithoutAuthority>,
    #[serde(default)]
    pub preapproved: Option<RawCond>,
    #[serde(default)]
    pub duration: u32,
    #[serde(default)]
    pub repeatable: bool,
    #[serde(default)]
    pub kind: ActionKind,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub to: Vec<String>,
    #[serde(default)]
    pub visible_to: Vec<String>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect>,
    #[serde(default)]
    pub debrief: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Sla")]
pub struct RawSla {
    pub id: String,
    pub name: String,
    pub severity: String,
    pub starts: RawCond,
    pub met: RawCond,
    pub targets: Vec<(i32, u32)>,
    #[serde(default)]
    pub visible_to: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Ending")]
pub struct RawEnding {
    pub id: String,
    pub title: String,
    pub outcome: Outcome,
    pub when: RawCond,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub debrief: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Criterion")]
pub struct RawCriterion {
    pub id: String,
    pub text: String,
    pub points: i32,
    pub when: RawCond,
    #[serde(default)]
    pub objective: Option<String>,
}

#[derive(Debug, Deserialize)]
pub enum RawDelay {
    Minutes(u32),
    Draw(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawMark {
    Start,
    Delivered(String),
    Taken(String),
    Completed(String),
    Chose(String, String),
    Stage(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawCond {
    Always,
    Never,
    All(Vec<RawCond>),
    Any(Vec<RawCond>),
    Not(Box<RawCond>),
    Is(String),
    AtLeast(String, i32),
    AtMost(String, i32),
    Equals(String, i32),
    Delivered(String),
    Taken(String),
    Completed(String),
    Chose(String, String),
    Stage(String),
    Within {
        from: RawMark,
        to: RawMark,
        minutes: u32,
    },
    ThreatHalted,
    Before(String),
    After(String),
    TimeOfDay(String, String),
    OnDays(Vec<Weekday>),
    TimeUp,
    SlaMet(String),
    SlaBreached(String),
    Reachable(String),
    Expired(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum RawEffect {
    Set(String, i32),
    Add(String, i32),
    Schedule(String, RawDelay),
    Cancel(String),
    Roll(String),
    AdvanceThreat,
    HaltThreat,
    ResumeThreat,
    End(String),
    If {
        when: RawCond,
        #[serde(default)]
        then: Vec<RawEffect>,
        #[serde(default, rename = "else")]
        otherwise: Vec<RawEffect>,
    },
}
