//! The scenario file as written: serde types that mirror the RON a facilitator edits.
//! References are still names here; [`super::compile`] resolves and checks them.
//!
//! Every struct denies unknown fields, so a misspelt field name is an error with a
//! position, not a silently ignored line.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;

use crate::engine::model::{ActionKind, Channel, Outcome, Policy, Side, Stance};
use crate::engine::time::Weekday;

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Scenario")]
pub struct RawScenario<'a> {
    pub format: u32,
    pub id: Text<'a>,
    pub title: Text<'a>,
    #[serde(default)]
    pub summary: Text<'a>,
    /// For the facilitator only: what the players must not read before they play.
    #[serde(default)]
    pub notes: Text<'a>,
    #[serde(default)]
    pub tags: Vec<Text<'a>>,
    /// `"Sat 03:30"`.
    pub start: Text<'a>,
    /// `"Sat 09:00"` or `"+5:30"`.
    pub end: Text<'a>,
    #[serde(default)]
    pub objectives: Vec<RawObjective<'a>>,
    /// The exercise's parts, each from a time on, with questions for the room.
    #[serde(default)]
    pub modules: Vec<RawModule<'a>>,
    pub roles: Vec<RawRole<'a>>,
    #[serde(default)]
    pub variables: Vec<RawVariable<'a>>,
    #[serde(default)]
    pub draws: Vec<RawDraw<'a>>,
    #[serde(default)]
    pub threat: Option<RawThreat<'a>>,
    #[serde(default)]
    pub injects: Vec<RawInject<'a>>,
    #[serde(default)]
    pub actions: Vec<RawAction<'a>>,
    #[serde(default)]
    pub slas: Vec<RawSla<'a>>,
    pub endings: Vec<RawEnding<'a>>,
    #[serde(default)]
    pub rubric: Vec<RawCriterion<'a>>,
    #[serde(default)]
    pub milestones: Option<RawMilestones<'a>>,
    #[serde(default)]
    pub bots: Vec<RawBot<'a>>,
    #[serde(default)]
    pub measures: Option<RawMeasures<'a>>,
    /// Played in turns: `Turns(minutes: 60, actions: 2)`.
    #[serde(default)]
    pub turns: Option<RawTurns>,
}

/// A turn's length and each role's budget of actions in it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Turns")]
pub struct RawTurns {
    pub minutes: u32,
    pub actions: u16,
}

/// What the report measures, declared rather than guessed.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Measures")]
pub struct RawMeasures<'a> {
    /// The variable that measures the evidence kept.
    #[serde(default)]
    pub evidence: Option<Text<'a>>,
    /// The variable that measures the harm to the business.
    #[serde(default)]
    pub impact: Option<Text<'a>>,
    /// The inject that is the first alert, from which triage is timed.
    #[serde(default)]
    pub first_alert: Option<Text<'a>>,
    /// Whether a commercial boundary runs between the sides (false: no boundary findings).
    #[serde(default)]
    pub boundary: Option<bool>,
}

/// A text of the file: borrowed from it when it has no escapes, so reading a large scenario
/// does not copy every id and sentence.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Text<'a>(pub Cow<'a, str>);

impl Text<'_> {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Text<'de>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V)
    }
}

/// When each measured moment of the incident is reached.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Milestones")]
pub struct RawMilestones<'a> {
    #[serde(default)]
    pub triaged: Option<RawCond<'a>>,
    #[serde(default)]
    pub escalated: Option<RawCond<'a>>,
    #[serde(default)]
    pub decision_needed: Option<RawCond<'a>>,
    #[serde(default)]
    pub authorised: Option<RawCond<'a>>,
    #[serde(default)]
    pub contained: Option<RawCond<'a>>,
}

/// The default bot persona of a role.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Bot")]
pub struct RawBot<'a> {
    pub role: Text<'a>,
    pub policy: Policy,
    #[serde(default)]
    pub reaction: Option<(u32, u32)>,
    #[serde(default)]
    pub retry: Option<u32>,
    #[serde(default)]
    pub patience: Option<u32>,
    /// `"07:30"`: the deferrer acts anyway from this time of day.
    #[serde(default)]
    pub gives_in_at: Option<Text<'a>>,
    #[serde(default)]
    pub acts_alone_after: Option<u32>,
    /// Actions and answers the persona takes first.
    #[serde(default)]
    pub prefer: Vec<RawPick<'a>>,
    /// Actions and answers the persona never takes.
    #[serde(default)]
    pub avoid: Vec<RawPick<'a>>,
}

/// An action or an answer a persona prefers or avoids, always or while a condition holds.
#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields)]
pub enum RawPick<'a> {
    Act(Text<'a>),
    Answer(Text<'a>, Text<'a>),
    ActWhen(Text<'a>, RawCond<'a>),
    AnswerWhen(Text<'a>, Text<'a>, RawCond<'a>),
}

/// A list that starts with room for one item (serde's `Vec` starts with four): a large
/// scenario has tens of thousands of one-item lists (effects, recipients) alive during
/// compilation. A longer list grows as usual, with spare room.
fn exact<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    struct Exact<T>(std::marker::PhantomData<T>);
    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Exact<T> {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut v = Vec::new();
            while let Some(x) = seq.next_element()? {
                if v.capacity() == 0 {
                    v.reserve_exact(seq.size_hint().unwrap_or(0).clamp(1, 64));
                }
                v.push(x);
            }
            Ok(v)
        }
    }
    d.deserialize_seq(Exact(std::marker::PhantomData))
}

/// The list fields of [`RawScenario<'a>`], which the loader can check item by item.
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
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Module")]
pub struct RawModule<'a> {
    pub title: Text<'a>,
    /// When it begins: `"03:45"`, `"Sat 03:45"`, `"+15"`.
    pub at: Text<'a>,
    /// What the facilitator asks the room during this module's discussion.
    #[serde(default)]
    pub questions: Vec<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Objective")]
pub struct RawObjective<'a> {
    pub id: Text<'a>,
    pub text: Text<'a>,
    /// The first rating whose condition holds at the end applies; none: `U`.
    #[serde(default)]
    pub ratings: Vec<RawRating<'a>>,
    /// When the objective applies: if this does not hold at the end, it is not evaluated.
    #[serde(default)]
    pub applies: Option<RawCond<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub enum RawRating<'a> {
    P(RawCond<'a>),
    S(RawCond<'a>),
    M(RawCond<'a>),
    U(RawCond<'a>),
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Role")]
pub struct RawRole<'a> {
    pub id: Text<'a>,
    pub name: Text<'a>,
    #[serde(default)]
    pub persona: Text<'a>,
    pub side: Side,
    #[serde(default)]
    pub authority: u8,
    /// Authority on other scales: `[("legal sign-off", 2)]`.
    #[serde(default)]
    pub authority_in: Vec<(Text<'a>, u8)>,
    /// Its own budget of actions per turn, in a scenario played in turns.
    #[serde(default)]
    pub actions_per_turn: Option<u16>,
    #[serde(default)]
    pub briefing: Text<'a>,
    #[serde(default)]
    pub reachable: Option<RawCond<'a>>,
    #[serde(default)]
    pub unreachable_note: Text<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Variable")]
pub struct RawVariable<'a> {
    pub id: Text<'a>,
    #[serde(default)]
    pub name: Text<'a>,
    #[serde(default)]
    pub min: i32,
    #[serde(default = "default_max")]
    pub max: i32,
    #[serde(default)]
    pub initial: i32,
    #[serde(default)]
    pub visible_to: Vec<Text<'a>>,
    #[serde(default)]
    pub labels: Vec<Text<'a>>,
}

fn default_max() -> i32 {
    100
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields)]
pub enum RawDraw<'a> {
    Chance {
        id: Text<'a>,
        percent: u8,
        #[serde(default)]
        note: Text<'a>,
        #[serde(default)]
        labels: Vec<Text<'a>>,
    },
    Range {
        id: Text<'a>,
        min: i32,
        max: i32,
        #[serde(default)]
        note: Text<'a>,
        #[serde(default)]
        labels: Vec<Text<'a>>,
    },
    /// Cards numbered 1 to `size`, dealt without replacement.
    Deck {
        id: Text<'a>,
        size: u32,
        #[serde(default)]
        note: Text<'a>,
        #[serde(default)]
        labels: Vec<Text<'a>>,
    },
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Threat")]
pub struct RawThreat<'a> {
    pub name: Text<'a>,
    pub stages: Vec<RawStage<'a>>,
    #[serde(default)]
    pub halted_when: Option<RawCond<'a>>,
    #[serde(default)]
    pub visible_to: Vec<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Stage")]
pub struct RawStage<'a> {
    pub id: Text<'a>,
    pub name: Text<'a>,
    #[serde(default)]
    pub description: Text<'a>,
    #[serde(default)]
    pub after: Option<RawDelay<'a>>,
    /// The stage it follows, when not the one listed before it.
    #[serde(default)]
    pub from: Option<Text<'a>>,
    /// Reached only if this holds when its time comes.
    #[serde(default)]
    pub when: Option<RawCond<'a>>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Inject")]
pub struct RawInject<'a> {
    pub id: Text<'a>,
    /// A time: `"03:45"`, `"Sat 03:45"`, `"+15"`.
    #[serde(default)]
    pub at: Option<Text<'a>>,
    /// A condition; the inject fires (once) when it first holds.
    #[serde(default)]
    pub when: Option<Box<RawCond<'a>>>,
    /// With `when`: how long after the condition holds.
    #[serde(default)]
    pub delay: Option<RawDelay<'a>>,
    #[serde(deserialize_with = "exact")]
    pub to: Vec<Text<'a>>,
    pub channel: Channel,
    #[serde(default)]
    pub from: Text<'a>,
    #[serde(default)]
    pub subject: Text<'a>,
    pub text: Text<'a>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect<'a>>,
    #[serde(default)]
    pub prompt: Option<Box<RawPrompt<'a>>>,
    /// Only the facilitator fires it (or an effect schedules it).
    #[serde(default)]
    pub contingency: bool,
    #[serde(default)]
    pub debrief: Text<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Prompt")]
pub struct RawPrompt<'a> {
    pub question: Text<'a>,
    /// Who may answer; by default everyone the inject is sent to.
    #[serde(default)]
    pub by: Vec<Text<'a>>,
    /// Further roles that learn the answer (the caller on the other end of the phone).
    #[serde(default)]
    pub heard_by: Vec<Text<'a>>,
    pub options: Vec<RawChoice<'a>>,
    /// Minutes after delivery.
    #[serde(default)]
    pub deadline: Option<u32>,
    #[serde(default)]
    pub default: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Choice")]
pub struct RawChoice<'a> {
    pub id: Text<'a>,
    pub label: Text<'a>,
    /// Offered only while this holds.
    #[serde(default)]
    pub available: Option<RawCond<'a>>,
    #[serde(default)]
    pub authority: u8,
    /// The scale `authority` is on (a name from a role's `authority_in`).
    #[serde(default)]
    pub domain: Option<Text<'a>>,
    #[serde(default)]
    pub stance: Stance,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect<'a>>,
    #[serde(default)]
    pub debrief: Text<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub enum RawWithoutAuthority<'a> {
    Refuse,
    Approval(Vec<Text<'a>>),
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Action")]
pub struct RawAction<'a> {
    pub id: Text<'a>,
    pub name: Text<'a>,
    #[serde(default)]
    pub description: Text<'a>,
    pub by: Vec<Text<'a>>,
    #[serde(default)]
    pub available: Option<RawCond<'a>>,
    #[serde(default)]
    pub authority: u8,
    /// The scale `authority` is on (a name from a role's `authority_in`).
    #[serde(default)]
    pub domain: Option<Text<'a>>,
    #[serde(default)]
    pub without_authority: Option<RawWithoutAuthority<'a>>,
    #[serde(default)]
    pub preapproved: Option<RawCond<'a>>,
    #[serde(default)]
    pub duration: u32,
    #[serde(default)]
    pub repeatable: bool,
    /// Minutes before a repeatable action may be taken again.
    #[serde(default)]
    pub cooldown: u32,
    /// What it spends of its role's budget in a turn (1 by default).
    #[serde(default)]
    pub cost: Option<u16>,
    #[serde(default)]
    pub kind: ActionKind,
    #[serde(default)]
    pub channel: Option<Channel>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub to: Vec<Text<'a>>,
    #[serde(default)]
    pub visible_to: Vec<Text<'a>>,
    #[serde(default)]
    #[serde(deserialize_with = "exact")]
    pub effects: Vec<RawEffect<'a>>,
    #[serde(default)]
    pub debrief: Text<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Sla")]
pub struct RawSla<'a> {
    pub id: Text<'a>,
    pub name: Text<'a>,
    pub severity: Text<'a>,
    pub starts: RawCond<'a>,
    pub met: RawCond<'a>,
    /// Minutes per severity level: `[(1, 15), (2, 60)]`.
    #[serde(default)]
    pub targets: Vec<(i32, u32)>,
    /// Minutes whatever the severity, instead of `targets`.
    #[serde(default)]
    pub target: Option<u32>,
    /// Start the clock again when the severity changes (a re-scored ticket).
    #[serde(default)]
    pub restart: bool,
    #[serde(default)]
    pub visible_to: Vec<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Ending")]
pub struct RawEnding<'a> {
    pub id: Text<'a>,
    pub title: Text<'a>,
    pub outcome: Outcome,
    pub when: RawCond<'a>,
    #[serde(default)]
    pub text: Text<'a>,
    #[serde(default)]
    pub debrief: Text<'a>,
    /// Minutes the story runs on after this ending is reached.
    #[serde(default)]
    pub epilogue: u32,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields, rename = "Criterion")]
pub struct RawCriterion<'a> {
    pub id: Text<'a>,
    pub text: Text<'a>,
    pub points: i32,
    pub when: RawCond<'a>,
    #[serde(default)]
    pub objective: Option<Text<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
pub enum RawDelay<'a> {
    Minutes(u32),
    Draw(Text<'a>),
    /// A time on the clock: `"07:30"` (the next 07:30 when the delay starts), `"Sat 07:30"`
    /// or `"+4:00"` (that moment of the exercise).
    At(Text<'a>),
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields)]
pub enum RawMark<'a> {
    Start,
    Delivered(Text<'a>),
    Taken(Text<'a>),
    Completed(Text<'a>),
    Chose(Text<'a>, Text<'a>),
    Stage(Text<'a>),
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields)]
pub enum RawCond<'a> {
    Always,
    Never,
    All(Vec<RawCond<'a>>),
    Any(Vec<RawCond<'a>>),
    Not(Box<RawCond<'a>>),
    Is(Text<'a>),
    AtLeast(Text<'a>, i32),
    AtMost(Text<'a>, i32),
    Equals(Text<'a>, i32),
    Delivered(Text<'a>),
    Taken(Text<'a>),
    Completed(Text<'a>),
    Chose(Text<'a>, Text<'a>),
    Stage(Text<'a>),
    Within {
        from: Box<RawMark<'a>>,
        to: Box<RawMark<'a>>,
        minutes: u32,
    },
    ThreatHalted,
    Before(Text<'a>),
    After(Text<'a>),
    TimeOfDay(Text<'a>, Text<'a>),
    OnDays(Vec<Weekday>),
    TimeUp,
    SlaMet(Text<'a>),
    SlaBreached(Text<'a>),
    Reachable(Text<'a>),
    Expired(Text<'a>),
    Open(Text<'a>),
    Requested(Text<'a>),
    /// Two values compared: `Compare("attacker", ">=", "defender")`.
    Compare(Text<'a>, Text<'a>, Text<'a>),
    /// The role acting has been told of the inject.
    Knows(Text<'a>),
    /// The role has been told of the inject.
    RoleKnows(Text<'a>, Text<'a>),
}

#[derive(Debug, Deserialize)]
#[serde(bound(deserialize = "'de: 'a"))]
#[serde(deny_unknown_fields)]
pub enum RawEffect<'a> {
    Set(Text<'a>, i32),
    Add(Text<'a>, i32),
    /// Set a variable to another value: `Copy("roll_shown", "d20")`.
    Copy(Text<'a>, Text<'a>),
    /// Add another value to a variable: `AddFrom("total", "d20")`.
    AddFrom(Text<'a>, Text<'a>),
    Schedule(Text<'a>, RawDelay<'a>),
    Cancel(Text<'a>),
    /// Pass an inject's message on to a role: `Tell("manager", "site_alert")`.
    Tell(Text<'a>, Text<'a>),
    Roll(Text<'a>),
    AdvanceThreat,
    HaltThreat,
    ResumeThreat,
    End(Text<'a>),
    If {
        when: Box<RawCond<'a>>,
        #[serde(default)]
        then: Vec<RawEffect<'a>>,
        #[serde(default, rename = "else")]
        otherwise: Vec<RawEffect<'a>>,
    },
}
