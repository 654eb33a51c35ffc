//! The figures of an exercise, computed from the scenario and the end state (its event log
//! and counters): milestone times, the wait for authority, SLA breaches, expired prompts,
//! crossings of the commercial boundary, final values, the threat, ratings and a per-role
//! breakdown. Plain data, no text: `ttx simulate` computes it for every run it makes.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::engine::command::Command;
use crate::engine::event::{EventKind, Rejection};
use crate::engine::ids::{
    ActionId, CriterionId, EndingId, InjectId, ObjectiveId, OptionId, RoleId, Seat, SlaId, StageId,
    VarId,
};
use crate::engine::model::{
    ActionKind, Channel, InjectIx, Milestone, Outcome, Rating, RoleIx, Scenario, Side, Stance,
};
use crate::engine::state::State;
use crate::engine::time::GameTime;

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
        Seat::Facilitator => None,
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

/// Computes every figure of a run. Cheap: one pass over the log plus a few over small lists.
#[expect(
    clippy::too_many_lines,
    reason = "one fold over the event log with an arm per kind of event; to be split into per-concern handlers"
)]
pub fn compute(sc: &Scenario, st: &State) -> Metrics {
    let mut m = Metrics {
        seed: st.seed,
        ended_at: st.ended.map_or(st.now, |e| e.at),
        finished: st.ended.is_some(),
        ending: None,
        ending_title: None,
        outcome: None,
        by_facilitator: false,
        score: 0,
        max_score: sc.rubric.iter().map(|c| c.points.max(0)).sum(),
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
    };
    let mut counts: Vec<Counts> = vec![Counts::default(); sc.roles.len()];
    let mut first_cmd: Vec<Option<GameTime>> = vec![None; sc.roles.len()];
    // Every minute at which each role gave a command, for crossing latencies.
    let mut responses: Vec<Vec<GameTime>> = vec![Vec::new(); sc.roles.len()];
    let mut inferred: [Option<GameTime>; 5] = [None; 5];
    let mut infer = |m: Milestone, at: GameTime| {
        let slot = &mut inferred[m.index()];
        if slot.is_none() {
            *slot = Some(at);
        }
    };
    let mut responded = |r: Option<&RoleId>, at: GameTime, first_cmd: &mut Vec<Option<_>>| {
        if let Some(i) = r.and_then(|r| rix(sc, r)) {
            let i = usize::from(i);
            responses[i].push(at);
            if first_cmd[i].is_none() {
                first_cmd[i] = Some(at);
            }
        }
    };
    let count = |counts: &mut Vec<Counts>, r: Option<&RoleId>, f: &dyn Fn(&mut Counts)| {
        if let Some(i) = r.and_then(|r| rix(sc, r)) {
            f(&mut counts[usize::from(i)]);
        }
    };

    for e in &st.log {
        let at = e.at;
        match &e.kind {
            EventKind::ActionTaken {
                action,
                by,
                approved_by,
                preapproved,
                ..
            } => {
                let ax = sc.action(*action);
                let (channel, to) = (&ax.channel, sc.role_ids(ax.to));
                let action = &ax.id;
                let by = &sc.seat(*by);
                let who = role_of(by);
                // An approved action is the approver's answer, logged separately.
                if approved_by.is_none() {
                    responded(who, at, &mut first_cmd);
                }
                count(&mut counts, who, &|c| c.actions_taken += 1);
                let kind = ax.kind;
                if let Some(r) = who {
                    if *preapproved {
                        m.preapproved.push(TimedAction {
                            at,
                            action: action.clone(),
                            by: r.clone(),
                        });
                    }
                    if kind == ActionKind::Rogue {
                        m.rogue.push(TimedAction {
                            at,
                            action: action.clone(),
                            by: r.clone(),
                        });
                    }
                    let side = side_of(sc, r);
                    let across: Vec<RoleId> = to
                        .iter()
                        .filter(|t| side_of(sc, t) != side)
                        .cloned()
                        .collect();
                    if !across.is_empty() {
                        if matches!(kind, ActionKind::Escalate | ActionKind::Notify) {
                            infer(Milestone::Escalated, at);
                        }
                        m.crossings.push(Crossing {
                            at,
                            from: r.clone(),
                            to: across,
                            kind: crossing_kind(*channel),
                            action: action.clone(),
                            channel: *channel,
                            escalation: kind == ActionKind::Escalate,
                            answered_at: None,
                            latency: None,
                        });
                    }
                    let has = rix(sc, r).map_or(0, |i| sc.role(i).authority);
                    let own = ax.authority > 0 && has >= ax.authority;
                    if kind == ActionKind::Decide
                        || (is_containment(kind) && (*preapproved || approved_by.is_some() || own))
                    {
                        infer(Milestone::Authorised, at);
                    }
                }
            }
            EventKind::ActionCompleted { action, .. } => {
                let kind = sc.action(*action).kind;
                if kind == ActionKind::Triage {
                    infer(Milestone::Triaged, at);
                }
                if is_containment(kind) {
                    infer(Milestone::Contained, at);
                }
            }
            EventKind::InjectDelivered { inject, .. } => {
                // A prompt offering a decision to act that some of its answerers may not take.
                if let Some(pr) = &sc.inject(*inject).prompt {
                    let least = pr
                        .by
                        .iter()
                        .map(|r| sc.role(*r).authority)
                        .min()
                        .unwrap_or(0);
                    if pr
                        .options
                        .iter()
                        .any(|o| o.stance == Stance::Act && o.authority > least)
                    {
                        infer(Milestone::DecisionNeeded, at);
                    }
                }
            }
            EventKind::DecisionMade { inject, option, by } => {
                let by = &sc.seat(*by);
                let who = role_of(by);
                responded(who, at, &mut first_cmd);
                count(&mut counts, who, &|c| c.decisions += 1);
                let (stance, option) = option_of(sc, *inject, *option);
                let inject = &sc.inject(*inject).id;
                match stance {
                    Stance::Act => infer(Milestone::Authorised, at),
                    Stance::Defer => {
                        count(&mut counts, who, &|c| c.deferrals += 1);
                        m.deferrals.push(Deferral {
                            at,
                            inject: inject.clone(),
                            option: option.clone(),
                            by: who.cloned(),
                        });
                    }
                    _ => {}
                }
            }
            EventKind::PromptExpired { inject, default } => {
                let ix = *inject;
                let inject = &sc.inject(ix).id;
                let by: Vec<RoleId> = sc
                    .inject(ix)
                    .prompt
                    .as_ref()
                    .map(|p| p.by.iter().map(|r| sc.role(*r).id.clone()).collect())
                    .unwrap_or_default();
                for r in &by {
                    count(&mut counts, Some(r), &|c| c.expired_prompts += 1);
                }
                let default = default.map(|d| option_of(sc, ix, d));
                if let Some((Stance::Defer, d)) = &default {
                    m.deferrals.push(Deferral {
                        at,
                        inject: inject.clone(),
                        option: d.clone(),
                        by: None,
                    });
                }
                m.expired_prompts.push(ExpiredPrompt {
                    at,
                    inject: inject.clone(),
                    default: default.map(|(_, d)| d),
                    by,
                });
            }
            EventKind::ApprovalRequested {
                request,
                action,
                by,
                approvers,
                ..
            } => {
                let action = &sc.action(*action).id;
                let approvers = sc.role_ids(*approvers);
                let by = &sc.seat(*by);
                let who = role_of(by);
                responded(who, at, &mut first_cmd);
                count(&mut counts, who, &|c| c.approval_requests += 1);
                infer(Milestone::DecisionNeeded, at);
                if let Some(r) = who {
                    m.approvals.push(ApprovalWait {
                        request: *request,
                        at,
                        action: action.clone(),
                        by: r.clone(),
                        approvers: approvers.clone(),
                        answered_at: None,
                        granted: None,
                    });
                    let side = side_of(sc, r);
                    let across: Vec<RoleId> = approvers
                        .iter()
                        .filter(|t| side_of(sc, t) != side)
                        .cloned()
                        .collect();
                    if !across.is_empty() {
                        m.crossings.push(Crossing {
                            at,
                            from: r.clone(),
                            to: across,
                            kind: CrossingKind::ApprovalRequest,
                            action: action.clone(),
                            channel: None,
                            escalation: false,
                            answered_at: None,
                            latency: None,
                        });
                    }
                }
            }
            EventKind::ApprovalGranted { request, by, .. }
            | EventKind::ApprovalDenied { request, by, .. } => {
                let granted = matches!(e.kind, EventKind::ApprovalGranted { .. });
                let by = &sc.seat(*by);
                let who = role_of(by);
                responded(who, at, &mut first_cmd);
                if granted {
                    count(&mut counts, who, &|c| c.approvals_given += 1);
                    infer(Milestone::Authorised, at);
                } else {
                    count(&mut counts, who, &|c| c.approvals_denied += 1);
                }
                if let Some(w) = m.approvals.iter_mut().find(|w| w.request == *request) {
                    w.answered_at = Some(at);
                    w.granted = Some(granted);
                }
                for c in &mut m.crossings {
                    if c.kind == CrossingKind::ApprovalRequest
                        && c.answered_at.is_none()
                        && m.approvals
                            .iter()
                            .any(|w| w.request == *request && w.at == c.at && w.action == c.action)
                    {
                        c.answered_at = Some(at);
                        c.latency = Some(at.since(c.at));
                    }
                }
            }
            EventKind::CommandRejected(rejected) => {
                let (by, command, rejection) =
                    (&rejected.by, &rejected.command, &rejected.rejection);
                let who = role_of(by);
                responded(who, at, &mut first_cmd);
                count(&mut counts, who, &|c| c.refused += 1);
                if let (Rejection::NotAuthorised { needed, has }, Some(r)) = (rejection, who) {
                    infer(Milestone::DecisionNeeded, at);
                    let (action, choice) = match command {
                        Command::Act { action } => (Some(action.clone()), None),
                        Command::Choose { inject, option } => {
                            (None, Some((inject.clone(), option.clone())))
                        }
                        Command::Approve { request } => (
                            m.approvals
                                .iter()
                                .find(|w| w.request == *request)
                                .map(|w| w.action.clone()),
                            None,
                        ),
                        _ => (None, None),
                    };
                    m.refusals.push(Refusal {
                        at,
                        by: r.clone(),
                        action,
                        choice,
                        needed: *needed,
                        has: *has,
                    });
                }
            }
            EventKind::SlaBreached { severity, .. } => {
                *m.sla_breaches.entry(*severity).or_insert(0) += 1;
            }
            EventKind::ObjectiveRated { objective, rating } => {
                m.objectives.push(ObjectiveResult {
                    objective: sc.objectives[*objective].id.clone(),
                    rating: *rating,
                });
            }
            EventKind::CriterionMet { criterion, .. } => {
                m.criteria_met.push(sc.rubric[*criterion].id.clone());
            }
            EventKind::ExerciseEnded {
                ending,
                outcome,
                score,
                by_facilitator,
                ..
            } => {
                m.ending = ending.map(|x| sc.endings[usize::from(x)].id.clone());
                m.ending_title = e.kind.ended_title(sc).map(str::to_owned);
                m.outcome = *outcome;
                m.score = *score;
                m.by_facilitator = *by_facilitator;
            }
            _ => {}
        }
    }

    // Crossing latencies: the recipients' first command at or after the crossing, unless
    // the same sender crossed to them again first (a call that rang out, then another).
    let n = m.crossings.len();
    for i in 0..n {
        if m.crossings[i].kind == CrossingKind::ApprovalRequest {
            continue;
        }
        let c = &m.crossings[i];
        let first =
            c.to.iter()
                .filter_map(|r| rix(sc, r))
                .filter_map(|r| {
                    responses[usize::from(r)]
                        .iter()
                        .find(|t| **t >= c.at)
                        .copied()
                })
                .min();
        let next_same = m.crossings[i + 1..]
            .iter()
            .find(|d| {
                d.kind != CrossingKind::ApprovalRequest
                    && d.from == c.from
                    && d.to.iter().any(|r| c.to.contains(r))
            })
            .map(|d| d.at);
        let answered = match (first, next_same) {
            (Some(f), Some(nx)) if nx <= f => None,
            (f, _) => f,
        };
        let c = &mut m.crossings[i];
        c.answered_at = answered;
        c.latency = answered.map(|a| a.since(c.at));
    }
    for c in &m.crossings {
        count(&mut counts, Some(&c.from), &|k| {
            k.crossings_sent += 1;
            if c.answered_at.is_none() {
                k.crossings_unanswered += 1;
            }
        });
    }

    // The decision was needed even if nobody asked for it: when the scenario's containment
    // needs more authority than the responders have, no playbook covered it at the end and
    // nobody with the authority decided, the need dates from the first alert to a responder
    // who could have asked.
    let implicit_need = implicit_decision_needed(sc, st);

    let declared = |ms: Milestone| sc.milestones.iter().any(|(x, _)| *x == ms);
    for ms in Milestone::ALL {
        let (at, source) = if declared(ms) {
            match st.milestones[ms.index()] {
                Some(t) => (Some(t), Source::Scenario),
                None => (None, Source::NotReached),
            }
        } else {
            match inferred[ms.index()] {
                Some(t) => (Some(t), Source::Inferred),
                None => (None, Source::NotReached),
            }
        };
        m.milestones.push(MilestoneTime {
            milestone: ms,
            at,
            source,
        });
    }
    let authorised = m.milestones[Milestone::Authorised.index()].at;
    if m.milestones[Milestone::DecisionNeeded.index()].at.is_none()
        && authorised.is_none()
        && let Some(t) = implicit_need
    {
        m.milestones[Milestone::DecisionNeeded.index()] = MilestoneTime {
            milestone: Milestone::DecisionNeeded,
            at: Some(t),
            source: Source::Implied,
        };
    }
    if let Some(need) = m.milestones[Milestone::DecisionNeeded.index()].at {
        if let Some(a) = authorised {
            m.waiting_on_authority = Some(a.since(need));
        } else {
            m.waiting_on_authority = Some(m.ended_at.since(need));
            m.authority_never_came = true;
        }
    }

    for ((i, sla), ix) in sc
        .slas
        .iter()
        .enumerate()
        .zip(crate::engine::model::SlaIx::all(sc.slas.len()))
    {
        let s = st.slas[i];
        let breached = st.log.iter().find_map(|e| match &e.kind {
            EventKind::SlaBreached {
                sla: id,
                severity,
                due_at,
            } if *id == ix => Some((*due_at, *severity)),
            _ => None,
        });
        m.slas.push(SlaOutcome {
            sla: sla.id.clone(),
            started_at: s.started_at,
            met_at: s.met_at,
            breached: if s.breached { breached } else { None },
        });
    }

    for (i, v) in sc.variables.iter().enumerate() {
        let f = FinalValue {
            variable: v.id.clone(),
            initial: v.initial,
            value: st.vars[i],
            min: v.min,
            max: v.max,
        };
        match v.id.as_str() {
            "business_impact" => m.business_impact = Some(f.clone()),
            "evidence" => m.evidence = Some(f.clone()),
            _ => {}
        }
        m.variables.push(f);
    }

    if let Some(th) = &sc.threat
        && !th.stages.is_empty()
    {
        let entered: Vec<(StageId, Option<GameTime>)> = th
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| (s.id.clone(), st.threat.entered_at.get(i).copied().flatten()))
            .collect();
        let index = st.threat.stage.0;
        m.threat = Some(ThreatReached {
            index,
            of: u16::try_from(th.stages.len()).unwrap_or(u16::MAX),
            stage: th.stages[usize::from(index).min(th.stages.len() - 1)]
                .id
                .clone(),
            halted: st.threat.halted,
            entered,
        });
    }

    let mut sides: Vec<SideMetrics> = Vec::new();
    for (i, r) in sc.roles.iter().enumerate() {
        let c = counts[i].clone();
        match sides.iter_mut().find(|s| s.side == r.side) {
            Some(s) => {
                s.roles += 1;
                add(&mut s.counts, &c);
            }
            None => sides.push(SideMetrics {
                side: r.side,
                roles: 1,
                counts: c.clone(),
            }),
        }
        m.roles.push(RoleMetrics {
            role: r.id.clone(),
            side: r.side,
            first_command_at: first_cmd[i],
            counts: c,
        });
    }
    m.sides = sides;
    m
}

fn add(to: &mut Counts, c: &Counts) {
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
            if role.side != Side::Response || role.authority >= a.authority {
                continue;
            }
            let t = st.log.iter().find_map(|e| match &e.kind {
                EventKind::InjectDelivered { .. } if e.audience.includes(*r) => Some(e.at),
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
                && a.by.iter().any(|r| sc.role(*r).authority < a.authority)
                && crate::engine::holds(sc, st, &a.preapproved)
        })
        .map(|(_, a)| a.id.clone())
        .collect()
}
