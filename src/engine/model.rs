//! The validated, immutable scenario the engine runs: every reference already resolved to
//! an index, every time already a [`GameTime`]. The `scenario` layer builds it from RON;
//! tests and benchmarks may build it directly.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::ids::{
    ActionId, CriterionId, EndingId, InjectId, ObjectiveId, OptionId, RoleId, ScenarioId, SlaId,
    StageId, VarId,
};
use super::time::{GameTime, StartTime};

mod ix;
pub use ix::{
    ActionIx, CriterionIx, DrawIx, EndingIx, InjectIx, ObjectiveIx, RoleIx, SlaIx, StageIx, VarIx,
};

/// A whole, validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    pub id: ScenarioId,
    pub title: String,
    /// What the scenario is about, for everyone (shown on shared screens).
    pub summary: String,
    /// For the facilitator only: never on a shared screen; in the report, after the play.
    pub notes: String,
    pub tags: Vec<String>,
    pub start: StartTime,
    /// Game time at which the exercise runs out of time.
    pub end: GameTime,
    pub roles: Vec<Role>,
    /// The scales of authority the file names besides business risk (see [`Domain`]).
    pub domains: Vec<String>,
    /// Played in turns with a budget of actions per role, or not.
    pub turns: Option<Turns>,
    pub variables: Vec<Variable>,
    pub draws: Vec<Draw>,
    pub threat: Option<Threat>,
    pub injects: Vec<Inject>,
    pub actions: Vec<Action>,
    pub slas: Vec<Sla>,
    pub endings: Vec<Ending>,
    pub objectives: Vec<Objective>,
    /// The exercise's parts, in order, each with questions for the room.
    pub modules: Vec<Module>,
    pub rubric: Vec<Criterion>,
    /// The moments the report and the simulator measure (triaged, escalated, ...).
    pub milestones: Vec<(Milestone, Cond)>,
    /// The bot persona each role gets when nobody plays it (roles not listed: by the book).
    pub bots: Vec<BotPersona>,
    /// What the report measures, as the scenario declares it.
    pub measures: Measures,
    /// A hash of the source text, so a journal can tell the scenario changed under it.
    pub content_hash: u64,
    /// Injects triggered by a condition, in declaration order (a cached subset).
    pub conditional_injects: Vec<InjectIx>,
    /// Injects at a fixed time, in declaration order (a cached subset).
    pub timed_injects: Vec<(GameTime, InjectIx)>,
    /// Sorted game times at which a `Before`/`After` condition changes value.
    pub clock_marks: Vec<GameTime>,
    /// Minutes of the day at which a `TimeOfDay`/`OnDays` condition may change value.
    pub daily_marks: Vec<u32>,
    /// Whether a condition the engine checks after every moment (the threat's halt, SLAs,
    /// conditional injects, milestones, endings) reads the clock (see
    /// [`Scenario::checks_read_clock`]).
    pub checks_read_clock: bool,
    /// Names to indices, for commands that arrive with names.
    pub index: NameIndex,
}

mod measures;
pub use measures::Measures;

mod names;
pub use names::NameIndex;

impl Scenario {
    pub fn role_index(&self, id: &str) -> Option<RoleIx> {
        // At most a few dozen roles: a scan beats hashing.
        self.roles
            .iter()
            .position(|r| r.id.as_str() == id)
            .and_then(RoleIx::at)
    }

    pub fn inject_index(&self, id: &str) -> Option<InjectIx> {
        self.index
            .injects
            .find(id, |i| self.injects[i as usize].id.as_str() == id)
            .map(InjectIx)
    }

    pub fn action_index(&self, id: &str) -> Option<ActionIx> {
        self.index
            .actions
            .find(id, |i| self.actions[i as usize].id.as_str() == id)
            .map(ActionIx)
    }

    pub fn ending_index(&self, id: &str) -> Option<EndingIx> {
        self.index
            .endings
            .find(id, |i| self.endings[i as usize].id.as_str() == id)
            .and_then(|i| u16::try_from(i).ok())
            .map(EndingIx)
    }

    /// Whether a condition the engine checks after every moment can change with the clock
    /// alone (`Before`, `NotBefore`, `TimeOfDay`, `Weekdays`, directly or through a role's
    /// reachability). When none does, those checks need repeating only after an event.
    pub fn compute_checks_read_clock(&self) -> bool {
        fn reads(sc: &Scenario, c: &Cond) -> bool {
            c.any(|c| reads_itself(sc, c))
        }
        /// Whether this condition itself (not its parts) reads the clock.
        fn reads_itself(sc: &Scenario, c: &Cond) -> bool {
            match c {
                Cond::Before(_)
                | Cond::NotBefore(_)
                | Cond::TimeOfDay { .. }
                | Cond::Weekdays(_) => true,
                // The loader refuses `Reachable` inside a role's own `reachable`.
                Cond::Reachable(r) => reads(sc, &sc.role(*r).reachable),
                // Every other condition reads values, moments and flags that change only
                // with an event (or, for `TimeUp`, with the time-up flag); `All`, `Any` and
                // `Not` have their parts walked by `Cond::any`. Listed by name so that a new
                // kind of condition must be placed on one side or the other.
                Cond::All(_)
                | Cond::Any(_)
                | Cond::Not(_)
                | Cond::Always
                | Cond::Never
                | Cond::Is(_)
                | Cond::AtLeast(..)
                | Cond::AtMost(..)
                | Cond::Equals(..)
                | Cond::Happened(_)
                | Cond::Within { .. }
                | Cond::ThreatHalted
                | Cond::TimeUp
                | Cond::SlaMet(_)
                | Cond::SlaBreached(_)
                | Cond::Expired(_)
                | Cond::Open(_)
                | Cond::Requested(_)
                | Cond::Compare(..)
                | Cond::Knows(..) => false,
            }
        }
        let threat = self.threat.iter().map(|t| &t.halted_when);
        let slas = self.slas.iter().flat_map(|s| [&s.starts, &s.met]);
        let injects =
            self.conditional_injects
                .iter()
                .filter_map(|i| match &self.inject(*i).trigger {
                    Trigger::When(c, _) => Some(c),
                    _ => None,
                });
        let milestones = self.milestones.iter().map(|(_, c)| c);
        let endings = self.endings.iter().map(|e| &e.when);
        threat
            .chain(slas)
            .chain(injects)
            .chain(milestones)
            .chain(endings)
            .any(|c| reads(self, c))
    }

    pub fn role(&self, ix: RoleIx) -> &Role {
        &self.roles[ix]
    }

    pub fn inject(&self, ix: InjectIx) -> &Inject {
        &self.injects[ix]
    }

    pub fn action(&self, ix: ActionIx) -> &Action {
        &self.actions[ix]
    }
}

mod role;
pub use role::{Domain, Role, Side, authority_words, levels_words};

mod paths;
mod turns;
pub use turns::Turns;

mod audience;
pub use audience::Audience;

mod room;
pub use room::{Module, NoteKind};

#[derive(Clone, Debug)]
pub struct Variable {
    pub id: VarId,
    pub name: String,
    pub min: i32,
    pub max: i32,
    pub initial: i32,
    pub audience: Audience,
    /// What each value is called, from `min` up (empty: the numbers themselves).
    pub labels: Vec<String>,
}

/// A value drawn from the seed.
#[derive(Clone, Debug)]
pub struct Draw {
    pub id: VarId,
    pub kind: DrawKind,
    pub note: String,
    /// What each value is called, from the lowest up (empty: the numbers themselves).
    pub labels: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DrawKind {
    /// 1 with the given probability in percent, else 0.
    Chance { percent: u8 },
    /// A whole number between `min` and `max` inclusive, uniformly.
    Range { min: i32, max: i32 },
    /// A card from a deck of `size` numbered 1 to `size`, without replacement: every
    /// `size` draws deal the whole deck once, then it is shuffled again.
    Deck { size: u32 },
}

pub mod said;

mod judgement;
pub use judgement::{Judgement, Pick, Picked};

mod logic;
pub use logic::{Branch, Cmp, Cond, Delay, Effect, Mark, ValueRef};

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
    /// The text as written: `{site}` names a value, filled in on delivery.
    pub text: Arc<str>,
    /// The values the text names, in order.
    pub fills: Vec<ValueRef>,
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
    /// Who learns the answer: the inject's audience and the roles in `heard_by` (the
    /// caller hears what was said on the phone).
    pub answer_audience: Audience,
    /// Minutes after delivery at which the prompt expires into `default`.
    pub deadline: Option<u32>,
    pub default: Option<u16>,
}

#[derive(Clone, Debug)]
pub struct PromptOption {
    pub id: OptionId,
    pub label: Arc<str>,
    /// Offered only while this holds (`Always` by default); the default still applies
    /// when the question runs out of time.
    pub available: Cond,
    pub authority: u8,
    /// The scale `authority` is on.
    pub domain: Domain,
    pub stance: Stance,
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
    /// The scale `authority` is on.
    pub domain: Domain,
    pub without_authority: WithoutAuthority,
    /// When true, the authority check is skipped (a pre-approved playbook).
    pub preapproved: Cond,
    pub duration: u32,
    pub repeatable: bool,
    /// Minutes after it is taken before a repeatable action may be taken again.
    pub cooldown: u32,
    /// What it spends of its role's budget in a turn (when the scenario has turns).
    pub cost: u16,
    pub kind: ActionKind,
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
    /// Time in the stage it follows before this one is reached (the first stage: none).
    pub after: Delay,
    /// The stage it follows (`from`; by default the one listed before it; the first: none).
    /// Several stages following one run in parallel, or branch by their `when`.
    pub from: Option<StageIx>,
    /// Reached only if this holds when its time comes (else that path ends there).
    pub when: Cond,
    pub effects: Vec<Effect>,
}

#[derive(Clone, Debug)]
pub struct Sla {
    pub id: SlaId,
    pub name: String,
    pub starts: Cond,
    pub met: Cond,
    /// The variable holding the severity the target depends on.
    pub severity: VarIx,
    /// Minutes allowed per severity level.
    pub targets: Vec<(i32, u32)>,
    /// Minutes allowed whatever the severity (instead of `targets`).
    pub target: Option<u32>,
    /// The clock starts again, with the new severity's target, when the severity changes
    /// while it runs (a ticket re-scored).
    pub restart: bool,
    pub audience: Audience,
}

impl Sla {
    pub fn target_for(&self, severity: i32) -> Option<u32> {
        self.target.or_else(|| {
            self.targets
                .iter()
                .find(|(s, _)| *s == severity)
                .map(|(_, m)| *m)
        })
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
    /// Minutes the story runs on once this ending is reached, so that what follows
    /// (notifying, preserving, reporting) can still be done and rated; 0: it ends at once.
    pub epilogue: u32,
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
    /// Not evaluated: the facilitator ended the exercise before any of the objective's
    /// rating rules held, so the play never got to it (not HSEEP's; never written in a
    /// scenario).
    N,
}

#[derive(Clone, Debug)]
pub struct Objective {
    pub id: ObjectiveId,
    pub text: String,
    /// The first rule whose condition holds at the end gives the rating; none: `U`.
    pub ratings: Vec<(Rating, Cond)>,
    /// When it applies at all: if this does not hold at the end, the situation the
    /// objective is about never arose and it is rated `N` (not evaluated).
    pub applies: Option<Cond>,
}

#[derive(Clone, Debug)]
pub struct Criterion {
    pub id: CriterionId,
    pub text: String,
    pub points: i32,
    pub when: Cond,
    pub objective: Option<ObjectiveIx>,
}

/// What an action is for, in the terms of incident handling. Bots choose by it and the
/// report measures by it; the engine itself treats every kind alike.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ActionKind {
    /// Anything else.
    #[default]
    Other,
    /// Confirm what an alert is (the first technical look).
    Triage,
    /// Dig deeper, collect evidence.
    Investigate,
    /// Tell the other side: a ticket, an email, a status update.
    Notify,
    /// Go up the escalation path: call someone with more authority.
    Escalate,
    /// Least-disruptive containment (isolate a host, disable an account).
    Contain,
    /// Containment with a business cost (power off, cut a network).
    Disrupt,
    /// Slow the threat without containing it (a firewall block).
    Mitigate,
    /// Authorise, accept a risk, decide for the business.
    Decide,
    /// Outside the rules or the contract.
    Rogue,
}

/// What answering a prompt with an option means: act on it, pass it up, put it off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Stance {
    #[default]
    Neutral,
    /// Decide and act (approve, go ahead).
    Act,
    /// Pass the decision to someone with more authority.
    Escalate,
    /// Put it off (wait for the morning, the stand-up).
    Defer,
    /// Gather information first: ask for the evidence, a call back with the facts (a
    /// cautious answer, not a decision put off).
    Inquire,
    /// Act outside the rules.
    Rogue,
}

/// The moments of an incident the report and the simulator time, each declared by the
/// scenario as a condition; the engine notes when each first holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Milestone {
    /// The first technical look is done.
    Triaged,
    /// The other side (or someone with authority) has been told.
    Escalated,
    /// A decision above the responders' authority is needed.
    DecisionNeeded,
    /// Someone with the authority has decided.
    Authorised,
    /// The threat is contained.
    Contained,
}

impl Milestone {
    pub const ALL: [Milestone; 5] = [
        Milestone::Triaged,
        Milestone::Escalated,
        Milestone::DecisionNeeded,
        Milestone::Authorised,
        Milestone::Contained,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Milestone::Triaged => "triaged",
            Milestone::Escalated => "escalated",
            Milestone::DecisionNeeded => "decision needed",
            Milestone::Authorised => "authorised decision",
            Milestone::Contained => "contained",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// How a bot plays a role.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Policy {
    /// Follows the playbook and the escalation path; never acts outside its authority.
    ByTheBook,
    /// Not authorised and wants to wait for the morning, unless pushed hard.
    Deferrer,
    /// Acts fast and accepts disruption.
    Decisive,
    /// Picks among what it may do at random (seeded).
    Random,
}

impl Policy {
    pub const ALL: [Policy; 4] = [
        Policy::ByTheBook,
        Policy::Deferrer,
        Policy::Decisive,
        Policy::Random,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Policy::ByTheBook => "by-the-book",
            Policy::Deferrer => "deferrer",
            Policy::Decisive => "decisive",
            Policy::Random => "random",
        }
    }

    pub fn from_name(s: &str) -> Option<Policy> {
        let norm: String = s
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        Policy::ALL.into_iter().find(|p| {
            p.name().replace('-', "") == norm || format!("{p:?}").to_ascii_lowercase() == norm
        })
    }

    pub fn describe(self) -> &'static str {
        match self {
            Policy::ByTheBook => "follows the playbook and the escalation path",
            Policy::Deferrer => "not authorised; waits for the morning unless pushed hard",
            Policy::Decisive => "acts fast and accepts disruption",
            Policy::Random => "picks at random (seeded)",
        }
    }
}

/// A bot persona: a policy and its parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotSpec {
    pub policy: Policy,
    /// Minutes the bot takes to react to something new, drawn between the two (inclusive).
    pub reaction: (u32, u32),
    /// Minutes before a repeatable action (a call that was not answered) is tried again.
    pub retry: u32,
    /// Deferrer: how many times it must be asked before it gives in.
    pub patience: u32,
    /// Deferrer: the moment from which it acts anyway (the morning, Monday).
    pub gives_in_at: Option<GameTime>,
    /// Decisive: minutes of waiting for approval before it acts outside the rules.
    pub acts_alone_after: Option<u32>,
}

impl BotSpec {
    /// The policy with its usual parameters.
    pub fn new(policy: Policy) -> BotSpec {
        let (reaction, retry, patience, acts_alone_after) = match policy {
            Policy::ByTheBook => ((1, 4), 10, 0, None),
            Policy::Deferrer => ((4, 12), 30, 3, None),
            Policy::Decisive => ((0, 2), 5, 0, Some(20)),
            Policy::Random => ((0, 10), 10, 0, None),
        };
        BotSpec {
            policy,
            reaction,
            retry,
            patience,
            gives_in_at: None,
            acts_alone_after,
        }
    }
}

/// The scenario's default bot for a role.
#[derive(Clone, Debug, PartialEq)]
pub struct BotPersona {
    pub role: RoleIx,
    pub spec: BotSpec,
    pub judgement: Judgement,
}

impl Scenario {
    /// The bot a role gets by default: the scenario's persona, else by the book.
    pub fn default_bot(&self, role: RoleIx) -> BotSpec {
        self.bots
            .iter()
            .find(|b| b.role == role)
            .map_or(BotSpec::new(Policy::ByTheBook), |b| b.spec)
    }
}

#[cfg(test)]
mod tests {
    use super::names::NameTable;

    #[test]
    fn name_tables_find_every_name_and_the_first_of_duplicates() {
        let names: Vec<String> = (0..1000).map(|i| format!("n{i}")).collect();
        let mut with_dups: Vec<&str> = names.iter().map(String::as_str).collect();
        with_dups.extend(["n5", "n999"]); // later duplicates lose
        let t = NameTable::build(with_dups.iter().copied());
        assert_eq!(t.slots.len(), 2048);
        for (i, n) in names.iter().enumerate() {
            let found = t.find(n, |j| with_dups[j as usize] == n);
            assert_eq!(found, u32::try_from(i).ok(), "{n}");
        }
        for missing in ["n1000", "", "N5", "n5 "] {
            assert_eq!(t.find(missing, |j| with_dups[j as usize] == missing), None);
        }
        // A small table: probe runs wrap around its end.
        let few = ["a", "b", "c", "d"];
        let t = NameTable::build(few.iter().copied());
        assert_eq!(t.slots.len(), 8);
        for (i, n) in few.iter().enumerate() {
            assert_eq!(t.find(n, |j| few[j as usize] == *n), u32::try_from(i).ok());
        }
        assert_eq!(
            NameTable::build(std::iter::empty()).find("a", |_| true),
            None
        );
    }
}
