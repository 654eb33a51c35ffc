//! The figures of an exercise, computed from the scenario and the end state (its event log
//! and counters): milestone times, the wait for authority, SLA breaches, expired prompts,
//! crossings of the commercial boundary, final values, the threat, ratings and a per-role
//! breakdown. Plain data, no text: `ttx simulate` computes it for every run it makes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::event::EventKind;
use crate::engine::ids::{
    ActionId, CriterionId, EndingId, InjectId, ObjectiveId, OptionId, RoleId, Seat, SlaId, StageId,
    VarId,
};
use crate::engine::model::{
    ActionKind, Channel, InjectIx, Milestone, Outcome, Rating, RoleIx, Scenario, Side, Stance,
};
use crate::engine::state::State;
use crate::engine::time::GameTime;

mod after;
mod fold;
use fold::Fold;

/// Every figure of one run. Times are game minutes since the start.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Metrics {
    pub seed: u64,
    /// When the exercise ended (or the state's time, if it has not).
    pub ended_at: GameTime,
    pub finished: bool,
    pub ending: Option<EndingId>,
    pub ending_title: Option<String>,
    pub outcome: Option<Outcome>,
    pub by_facilitator: bool,
    pub score: i32,
    /// The sum of the rubric's positive points.
    pub max_score: i32,
    /// One entry per [`Milestone`], in [`Milestone::ALL`] order.
    pub milestones: Vec<MilestoneTime>,
    /// Minutes from "decision needed" to "authorised" (to the end when never authorised).
    pub waiting_on_authority: Option<u32>,
    /// True when a decision was needed and nobody with the authority ever made it.
    pub authority_never_came: bool,
    pub slas: Vec<SlaOutcome>,
    /// Breached SLAs counted by the severity at which they breached.
    pub sla_breaches: BTreeMap<i32, u32>,
    pub expired_prompts: Vec<ExpiredPrompt>,
    /// Options with stance `Defer` chosen or taken by default.
    pub deferrals: Vec<Deferral>,
    /// Commands refused because the role lacked the authority.
    pub refusals: Vec<Refusal>,
    pub approvals: Vec<ApprovalWait>,
    /// Actions started under a pre-approved playbook.
    pub preapproved: Vec<TimedAction>,
    /// Actions of kind `Rogue` (outside the rules or the contract).
    pub rogue: Vec<TimedAction>,
    pub crossings: Vec<Crossing>,
    pub variables: Vec<FinalValue>,
    /// The `business_impact` variable at the end, if the scenario has one.
    pub business_impact: Option<FinalValue>,
    /// The `evidence` variable at the end, if the scenario has one.
    pub evidence: Option<FinalValue>,
    pub threat: Option<ThreatReached>,
    pub objectives: Vec<ObjectiveResult>,
    pub criteria_met: Vec<CriterionId>,
    pub roles: Vec<RoleMetrics>,
    pub sides: Vec<SideMetrics>,
}

/// Where a milestone time comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The scenario's own milestone condition held.
    Scenario,
    /// Inferred from action kinds, option stances, approvals (see docs/report.md).
    Inferred,
    /// Never asked for, but needed: containment required authority the responders lacked.
    Implied,
    NotReached,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct MilestoneTime {
    pub milestone: Milestone,
    pub at: Option<GameTime>,
    pub source: Source,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SlaOutcome {
    pub sla: SlaId,
    pub started_at: Option<GameTime>,
    pub met_at: Option<GameTime>,
    /// The target minute it missed, and the severity then.
    pub breached: Option<(GameTime, i32)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExpiredPrompt {
    pub at: GameTime,
    pub inject: InjectId,
    pub default: Option<OptionId>,
    /// The roles that could have answered.
    pub by: Vec<RoleId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deferral {
    pub at: GameTime,
    pub inject: InjectId,
    pub option: OptionId,
    /// Who chose it; `None` when the prompt expired into it.
    pub by: Option<RoleId>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub at: GameTime,
    pub by: RoleId,
    /// The action the role tried to take (or to approve).
    pub action: Option<ActionId>,
    /// The prompt option the role tried to choose.
    pub choice: Option<(InjectId, OptionId)>,
    pub needed: u8,
    pub has: u8,
    /// The scale of authority both are on, by name (business risk when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApprovalWait {
    pub request: u32,
    pub at: GameTime,
    pub action: ActionId,
    pub by: RoleId,
    pub approvers: Vec<RoleId>,
    pub answered_at: Option<GameTime>,
    pub granted: Option<bool>,
    /// When the action was taken another way before anyone answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub withdrawn_at: Option<GameTime>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimedAction {
    pub at: GameTime,
    pub action: ActionId,
    pub by: RoleId,
}

/// How a crossing of the commercial boundary travelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrossingKind {
    /// Phone, pager, SMS or in person.
    Call,
    /// A ticket or the portal.
    Ticket,
    /// Email, chat or anything else.
    Message,
    /// A request for approval sent to the other side.
    ApprovalRequest,
}

/// An action (or an approval request) from a role on one side to roles on another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Crossing {
    pub at: GameTime,
    pub from: RoleId,
    pub to: Vec<RoleId>,
    pub kind: CrossingKind,
    pub action: ActionId,
    pub channel: Option<Channel>,
    /// The action is an escalation (kind `Escalate`).
    pub escalation: bool,
    /// The recipients' first response (a command of theirs, or the answer to the request).
    pub answered_at: Option<GameTime>,
    /// An approval request withdrawn because its action was taken another way: nothing was
    /// left to answer, so it is not counted as unanswered.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
    pub latency: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FinalValue {
    pub variable: VarId,
    pub initial: i32,
    pub value: i32,
    pub min: i32,
    pub max: i32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ThreatReached {
    /// Index of the last stage reached, from 0.
    pub index: u16,
    pub of: u16,
    pub stage: StageId,
    pub halted: bool,
    /// When each stage was reached (`None`: never).
    pub entered: Vec<(StageId, Option<GameTime>)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ObjectiveResult {
    pub objective: ObjectiveId,
    pub rating: Rating,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub actions_taken: u32,
    pub decisions: u32,
    pub deferrals: u32,
    pub expired_prompts: u32,
    pub approval_requests: u32,
    pub approvals_given: u32,
    pub approvals_denied: u32,
    pub refused: u32,
    pub crossings_sent: u32,
    pub crossings_unanswered: u32,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleMetrics {
    pub role: RoleId,
    pub side: Side,
    /// The role's first accepted or refused command.
    pub first_command_at: Option<GameTime>,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SideMetrics {
    pub side: Side,
    pub roles: u32,
    #[serde(flatten)]
    pub counts: Counts,
}

fn role_of(seat: &Seat) -> Option<&RoleId> {
    match seat {
        Seat::Role(r) => Some(r),
        Seat::Facilitator | Seat::Evaluator => None,
    }
}

/// A role's index, from its id.
fn rix(sc: &Scenario, r: &RoleId) -> Option<RoleIx> {
    sc.role_index(r.as_str())
}

fn side_of(sc: &Scenario, r: &RoleId) -> Option<Side> {
    rix(sc, r).map(|i| sc.role(i).side)
}

fn crossing_kind(channel: Option<Channel>) -> CrossingKind {
    match channel {
        Some(Channel::Phone | Channel::Pager | Channel::Sms | Channel::InPerson) => {
            CrossingKind::Call
        }
        Some(Channel::Ticket | Channel::Portal) => CrossingKind::Ticket,
        _ => CrossingKind::Message,
    }
}

/// Option `o` of an inject's prompt: its stance and its id.
fn option_of(sc: &Scenario, inject: InjectIx, o: u16) -> (Stance, OptionId) {
    let p = sc.inject(inject).prompt.as_ref();
    p.and_then(|p| p.options.get(usize::from(o)))
        .map_or((Stance::Neutral, OptionId::new("")), |x| {
            (x.stance, x.id.clone())
        })
}

fn is_containment(k: ActionKind) -> bool {
    matches!(k, ActionKind::Contain | ActionKind::Disrupt)
}

/// Computes every figure of a run. Cheap: one pass over the log (see `fold.rs`), then a
/// few over small lists (see `after.rs`).
pub fn compute(sc: &Scenario, st: &State) -> Metrics {
    let mut fold = Fold::new(sc, Metrics::empty(sc, st));
    for e in &st.log {
        fold.event(e);
    }
    fold.crossing_latencies();
    fold.milestones(st);
    fold.slas(st);
    fold.final_values(st);
    fold.threat(st);
    fold.per_role();
    fold.m
}

impl Metrics {
    /// The figures before the log is read.
    fn empty(sc: &Scenario, st: &State) -> Metrics {
        Metrics {
            seed: st.seed,
            ended_at: st.ended.map_or(st.now, |e| e.at),
            finished: st.ended.is_some(),
            ending: None,
            ending_title: None,
            outcome: None,
            by_facilitator: false,
            score: 0,
            max_score: sc.max_score(),
            milestones: Vec::new(),
            waiting_on_authority: None,
            authority_never_came: false,
            slas: Vec::new(),
            sla_breaches: BTreeMap::new(),
            expired_prompts: Vec::new(),
            deferrals: Vec::new(),
            refusals: Vec::new(),
            approvals: Vec::new(),
            preapproved: Vec::new(),
            rogue: Vec::new(),
            crossings: Vec::new(),
            variables: Vec::new(),
            business_impact: None,
            evidence: None,
            threat: None,
            objectives: Vec::new(),
            criteria_met: Vec::new(),
            roles: Vec::new(),
            sides: Vec::new(),
        }
    }
}

pub(super) fn add(to: &mut Counts, c: &Counts) {
    to.actions_taken += c.actions_taken;
    to.decisions += c.decisions;
    to.deferrals += c.deferrals;
    to.expired_prompts += c.expired_prompts;
    to.approval_requests += c.approval_requests;
    to.approvals_given += c.approvals_given;
    to.approvals_denied += c.approvals_denied;
    to.refused += c.refused;
    to.crossings_sent += c.crossings_sent;
    to.crossings_unanswered += c.crossings_unanswered;
}

/// A containment action the responders cannot take on their own authority and that no
/// playbook covered at the end: the first alert to one of its takers is when a decision
/// was needed.
pub fn implicit_decision_needed(sc: &Scenario, st: &State) -> Option<GameTime> {
    let mut first: Option<GameTime> = None;
    for a in &sc.actions {
        if !is_containment(a.kind) || crate::engine::holds(sc, st, &a.preapproved) {
            continue;
        }
        for r in &a.by {
            let role = sc.role(*r);
            if role.side != Side::Response || role.level(a.domain) >= a.authority {
                continue;
            }
            let t = st.log.iter().find_map(|e| match &e.kind {
                EventKind::InjectDelivered { .. } | EventKind::InjectPassedOn { .. }
                    if e.audience.includes(*r) =>
                {
                    Some(e.at)
                }
                _ => None,
            });
            if let Some(t) = t {
                first = Some(first.map_or(t, |f| f.min(t)));
            }
        }
    }
    first
}

/// Containment actions a playbook covered at the end and that were never taken: the
/// responders could have acted without waiting for anyone.
pub fn unused_playbooks(sc: &Scenario, st: &State) -> Vec<ActionId> {
    sc.actions
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            a.kind == ActionKind::Contain
                && st.actions[*i].first_taken.is_none()
                && a.by
                    .iter()
                    .any(|r| sc.role(*r).level(a.domain) < a.authority)
                && crate::engine::holds(sc, st, &a.preapproved)
        })
        .map(|(_, a)| a.id.clone())
        .collect()
}
