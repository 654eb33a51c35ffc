//! The one pass over the event log: each kind of event handed to the handler of its
//! concern (actions and crossings, prompts, approvals, refusals, the end), which adds to
//! the figures, the per-role counts, the commands each role gave and the milestones the
//! log implies.

use crate::engine::command::Command;
use crate::engine::event::{Actor, Event, EventKind, Rejected, Rejection};
use crate::engine::ids::RoleId;
use crate::engine::model::{
    ActionIx, ActionKind, Audience, InjectIx, Milestone, RoleIx, Scenario, Stance,
};
use crate::engine::time::GameTime;

use super::{
    ApprovalWait, Counts, Crossing, CrossingKind, Deferral, ExpiredPrompt, Metrics,
    ObjectiveResult, Refusal, TimedAction, crossing_kind, is_containment, option_of, rix, role_of,
    side_of,
};

/// The figures as the log is read, and what the later passes need of it.
pub(super) struct Fold<'a> {
    pub sc: &'a Scenario,
    pub m: Metrics,
    pub counts: Vec<Counts>,
    /// Each role's first command (accepted or refused).
    pub first_cmd: Vec<Option<GameTime>>,
    /// Every minute at which each role gave a command, for crossing latencies.
    pub responses: Vec<Vec<GameTime>>,
    /// The first time the log implies each milestone, by [`Milestone::index`].
    pub inferred: [Option<GameTime>; 5],
}

impl<'a> Fold<'a> {
    pub fn new(sc: &'a Scenario, m: Metrics) -> Self {
        let n = sc.roles.len();
        Fold {
            sc,
            m,
            counts: vec![Counts::default(); n],
            first_cmd: vec![None; n],
            responses: vec![Vec::new(); n],
            inferred: [None; 5],
        }
    }

    fn infer(&mut self, ms: Milestone, at: GameTime) {
        self.inferred[ms.index()].get_or_insert(at);
    }

    /// `who` gave a command at `at`.
    fn responded(&mut self, who: Option<&RoleId>, at: GameTime) {
        if let Some(i) = who.and_then(|r| rix(self.sc, r)) {
            self.responses[i].push(at);
            self.first_cmd[i].get_or_insert(at);
        }
    }

    pub fn count(&mut self, who: Option<&RoleId>, f: impl FnOnce(&mut Counts)) {
        if let Some(i) = who.and_then(|r| rix(self.sc, r)) {
            f(&mut self.counts[i]);
        }
    }

    /// The roles of `to` on another side of the boundary than `from`.
    fn across(&self, from: &RoleId, to: &[RoleId]) -> Vec<RoleId> {
        let side = side_of(self.sc, from);
        to.iter()
            .filter(|t| side_of(self.sc, t) != side)
            .cloned()
            .collect()
    }

    /// Reads one event of the log.
    pub fn event(&mut self, e: &Event) {
        let at = e.at;
        match &e.kind {
            EventKind::ActionTaken {
                action,
                by,
                approved_by,
                preapproved,
                ..
            } => self.action_taken(at, *action, *by, approved_by.is_some(), *preapproved),
            EventKind::ActionCompleted { action, .. } => {
                let kind = self.sc.action(*action).kind;
                if kind == ActionKind::Triage {
                    self.infer(Milestone::Triaged, at);
                }
                if is_containment(kind) {
                    self.infer(Milestone::Contained, at);
                }
            }
            EventKind::InjectDelivered { inject, .. } => self.delivered(at, *inject),
            EventKind::DecisionMade { inject, option, by } => {
                self.decided(at, *inject, *option, *by);
            }
            EventKind::PromptExpired { inject, default } => self.expired(at, *inject, *default),
            EventKind::ApprovalRequested {
                request,
                action,
                by,
                approvers,
                ..
            } => self.approval_requested(at, *request, *action, *by, *approvers),
            EventKind::ApprovalGranted { request, by, .. } => {
                self.approval_answered(at, *request, *by, true);
            }
            EventKind::ApprovalDenied { request, by, .. } => {
                self.approval_answered(at, *request, *by, false);
            }
            EventKind::ApprovalWithdrawn { request, .. } => self.withdrawn(at, *request),
            EventKind::CommandRejected(r) => self.refused(at, r),
            EventKind::SlaBreached { severity, .. } => {
                *self.m.sla_breaches.entry(*severity).or_insert(0) += 1;
            }
            EventKind::ObjectiveRated { objective, rating } => {
                self.m.objectives.push(ObjectiveResult {
                    objective: self.sc.objectives[*objective].id.clone(),
                    rating: *rating,
                });
            }
            EventKind::CriterionMet { criterion, .. } => {
                self.m
                    .criteria_met
                    .push(self.sc.rubric[*criterion].id.clone());
            }
            EventKind::ExerciseEnded {
                ending,
                outcome,
                score,
                by_facilitator,
                ..
            } => {
                let sc = self.sc;
                self.m.ending = ending.map(|x| sc.endings[x].id.clone());
                self.m.ending_title = e.kind.ended_title(sc).map(str::to_owned);
                self.m.outcome = *outcome;
                self.m.score = *score;
                self.m.by_facilitator = *by_facilitator;
            }
            EventKind::ExerciseStarted { .. }
            | EventKind::TurnStarted { .. }
            | EventKind::InjectPassedOn { .. }
            | EventKind::AdHocInjectDelivered(_)
            | EventKind::Noted(_)
            | EventKind::AdHocAnswered(_)
            | EventKind::InjectCancelled { .. }
            | EventKind::VariableChanged { .. }
            | EventKind::ValueDrawn { .. }
            | EventKind::ThreatAdvanced { .. }
            | EventKind::ThreatHalted { .. }
            | EventKind::ThreatResumed { .. }
            | EventKind::SlaStarted { .. }
            | EventKind::SlaMet { .. }
            | EventKind::MilestoneReached { .. }
            | EventKind::EpilogueStarted { .. }
            | EventKind::Paused
            | EventKind::Resumed
            | EventKind::RunawayStopped { .. } => {}
        }
    }

    /// An action taken: counts, pre-approved and rogue actions, a crossing of the boundary,
    /// and the milestones its kind implies.
    fn action_taken(
        &mut self,
        at: GameTime,
        action: ActionIx,
        by: Actor,
        approved: bool,
        preapproved: bool,
    ) {
        let sc = self.sc;
        let ax = sc.action(action);
        let seat = sc.seat(by);
        let who = role_of(&seat);
        // An approved action is the approver's answer, logged separately.
        if !approved {
            self.responded(who, at);
        }
        self.count(who, |c| c.actions_taken += 1);
        let Some(r) = who else {
            return;
        };
        let kind = ax.kind;
        let timed = || TimedAction {
            at,
            action: ax.id.clone(),
            by: r.clone(),
        };
        if preapproved {
            self.m.preapproved.push(timed());
        }
        if kind == ActionKind::Rogue {
            self.m.rogue.push(timed());
        }
        // A notice or escalation sent by a channel to no role by name reaches whoever the
        // messages it sets off are for (a call to the MSSP's desk that the analyst receives as
        // an inject); if it sets off none, a responder's goes across to the business side ("a
        // ticket to the customer"), and the business side's goes to outsiders (an insurer).
        let notice = ax.to.is_empty()
            && ax.channel.is_some()
            && matches!(kind, ActionKind::Escalate | ActionKind::Notify);
        let to = if notice {
            let mut reached = Audience::default();
            crate::engine::model::Effect::walk(&ax.effects, &mut |e| {
                if let crate::engine::model::Effect::Schedule(i, _) = e {
                    reached = reached.union(sc.inject(*i).to);
                }
            });
            let responder =
                rix(sc, r).is_some_and(|i| sc.role(i).side == crate::engine::model::Side::Response);
            if reached != Audience::default() {
                sc.role_ids(reached)
            } else if responder {
                sc.roles.iter().map(|x| x.id.clone()).collect()
            } else {
                Vec::new()
            }
        } else {
            sc.role_ids(ax.to)
        };
        let across = self.across(r, &to);
        if !across.is_empty() {
            if matches!(kind, ActionKind::Escalate | ActionKind::Notify) {
                self.infer(Milestone::Escalated, at);
            }
            self.m.crossings.push(Crossing {
                at,
                from: r.clone(),
                to: across,
                kind: crossing_kind(ax.channel),
                action: ax.id.clone(),
                channel: ax.channel,
                escalation: kind == ActionKind::Escalate,
                answered_at: None,
                latency: None,
                withdrawn: false,
            });
        }
        let has = rix(sc, r).map_or(0, |i| sc.role(i).level(ax.domain));
        let own = ax.authority > 0 && has >= ax.authority;
        if kind == ActionKind::Decide || (is_containment(kind) && (preapproved || approved || own))
        {
            self.infer(Milestone::Authorised, at);
        }
    }

    /// A prompt offering a decision to act that some of its answerers may not take: a
    /// decision is needed.
    fn delivered(&mut self, at: GameTime, inject: InjectIx) {
        if let Some(pr) = &self.sc.inject(inject).prompt {
            let sc = self.sc;
            if pr.options.iter().any(|o| {
                o.stance == Stance::Act
                    && pr
                        .by
                        .iter()
                        .any(|r| sc.role(*r).level(o.domain) < o.authority)
            }) {
                self.infer(Milestone::DecisionNeeded, at);
            }
        }
    }

    fn decided(&mut self, at: GameTime, inject: InjectIx, option: u16, by: Actor) {
        let seat = self.sc.seat(by);
        let who = role_of(&seat);
        self.responded(who, at);
        self.count(who, |c| c.decisions += 1);
        let (stance, option) = option_of(self.sc, inject, option);
        match stance {
            Stance::Act => self.infer(Milestone::Authorised, at),
            Stance::Defer => {
                self.count(who, |c| c.deferrals += 1);
                self.m.deferrals.push(Deferral {
                    at,
                    inject: self.sc.inject(inject).id.clone(),
                    option,
                    by: who.cloned(),
                });
            }
            _ => {}
        }
    }

    fn expired(&mut self, at: GameTime, ix: InjectIx, default: Option<u16>) {
        let sc = self.sc;
        let inject = &sc.inject(ix).id;
        let by: Vec<RoleId> = sc
            .inject(ix)
            .prompt
            .as_ref()
            .map(|p| p.by.iter().map(|r| sc.role(*r).id.clone()).collect())
            .unwrap_or_default();
        for r in &by {
            self.count(Some(r), |c| c.expired_prompts += 1);
        }
        let default = default.map(|d| option_of(sc, ix, d));
        if let Some((Stance::Defer, d)) = &default {
            self.m.deferrals.push(Deferral {
                at,
                inject: inject.clone(),
                option: d.clone(),
                by: None,
            });
        }
        self.m.expired_prompts.push(ExpiredPrompt {
            at,
            inject: inject.clone(),
            default: default.map(|(_, d)| d),
            by,
        });
    }

    fn approval_requested(
        &mut self,
        at: GameTime,
        request: u32,
        action: ActionIx,
        by: Actor,
        approvers: Audience,
    ) {
        let sc = self.sc;
        let action = &sc.action(action).id;
        let approvers = sc.role_ids(approvers);
        let seat = sc.seat(by);
        let who = role_of(&seat);
        self.responded(who, at);
        self.count(who, |c| c.approval_requests += 1);
        self.infer(Milestone::DecisionNeeded, at);
        let Some(r) = who else {
            return;
        };
        let across = self.across(r, &approvers);
        self.m.approvals.push(ApprovalWait {
            request,
            at,
            action: action.clone(),
            by: r.clone(),
            approvers,
            answered_at: None,
            granted: None,
            withdrawn_at: None,
        });
        if !across.is_empty() {
            self.m.crossings.push(Crossing {
                at,
                from: r.clone(),
                to: across,
                kind: CrossingKind::ApprovalRequest,
                action: action.clone(),
                channel: None,
                escalation: false,
                answered_at: None,
                latency: None,
                withdrawn: false,
            });
        }
    }

    fn approval_answered(&mut self, at: GameTime, request: u32, by: Actor, granted: bool) {
        let seat = self.sc.seat(by);
        let who = role_of(&seat);
        self.responded(who, at);
        if granted {
            self.count(who, |c| c.approvals_given += 1);
            self.infer(Milestone::Authorised, at);
        } else {
            self.count(who, |c| c.approvals_denied += 1);
        }
        let m = &mut self.m;
        if let Some(w) = m.approvals.iter_mut().find(|w| w.request == request) {
            w.answered_at = Some(at);
            w.granted = Some(granted);
        }
        for c in &mut m.crossings {
            if c.kind == CrossingKind::ApprovalRequest
                && c.answered_at.is_none()
                && m.approvals
                    .iter()
                    .any(|w| w.request == request && w.at == c.at && w.action == c.action)
            {
                c.answered_at = Some(at);
                c.latency = Some(at.since(c.at));
            }
        }
    }

    /// A request withdrawn: its wait ends, and its crossing is no longer waiting for an answer.
    fn withdrawn(&mut self, at: GameTime, request: u32) {
        let m = &mut self.m;
        let Some(w) = m.approvals.iter_mut().find(|w| w.request == request) else {
            return;
        };
        w.withdrawn_at = Some(at);
        let (asked, action) = (w.at, w.action.clone());
        for c in &mut m.crossings {
            if c.kind == CrossingKind::ApprovalRequest
                && c.answered_at.is_none()
                && c.at == asked
                && c.action == action
            {
                c.withdrawn = true;
            }
        }
    }

    /// A refused command: counted, and a refusal for want of authority kept with what was
    /// attempted (a decision was needed then).
    fn refused(&mut self, at: GameTime, rejected: &Rejected) {
        let who = role_of(&rejected.by);
        self.responded(who, at);
        self.count(who, |c| c.refused += 1);
        let (
            Rejection::NotAuthorised {
                needed,
                has,
                domain,
            },
            Some(r),
        ) = (&rejected.rejection, who)
        else {
            return;
        };
        self.infer(Milestone::DecisionNeeded, at);
        let (action, choice) = match &rejected.command {
            Command::Act { action } => (Some(action.clone()), None),
            Command::Choose { inject, option } => (None, Some((inject.clone(), option.clone()))),
            Command::Approve { request } => (
                self.m
                    .approvals
                    .iter()
                    .find(|w| w.request == *request)
                    .map(|w| w.action.clone()),
                None,
            ),
            _ => (None, None),
        };
        self.m.refusals.push(Refusal {
            at,
            by: r.clone(),
            action,
            choice,
            needed: *needed,
            has: *has,
            domain: self.sc.domain_name(*domain).map(str::to_owned),
        });
    }

    /// The index of role `r`, for the per-role lists.
    pub fn role(&self, r: &RoleId) -> Option<RoleIx> {
        rix(self.sc, r)
    }
}
