//! The public face of the engine: an [`Exercise`] is a scenario plus a seed plus the
//! commands folded in so far. `apply` takes one command and returns the events it caused.

use std::sync::Arc;

use super::command::{Command, Issued};
use super::event::{Actor, Event, EventKind, Rejected, Rejection};
use super::flow::{Avail, Gate, Look, Quiet, Run};
use super::ids::Seat;
use super::model::{Audience, RoleIx, Scenario, StageIx, WithoutAuthority};
use super::state::{
    ActionState, Agenda, DrawState, InjectState, Request, RequestStatus, SlaState, State,
    ThreatState,
};
use super::time::GameTime;

mod room;
use room::{answer_ad_hoc, note};

/// A running exercise: immutable content, mutable state.
#[derive(Clone, Debug)]
pub struct Exercise {
    scenario: Arc<Scenario>,
    state: State,
    /// Where the engine last found nothing to do (see `Run::settle`): derived, never saved.
    quiet: Option<Quiet>,
}

/// `v` as `n` copies of `x`, in the memory it already has.
fn refill<T: Copy>(v: &mut Vec<T>, n: usize, x: T) {
    v.clear();
    v.resize(n, x);
}

/// Why a saved state cannot be continued with a scenario.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RestoreError {
    #[error("the state belongs to scenario `{state}`, not `{scenario}`")]
    OtherScenario { state: String, scenario: String },
    #[error("the scenario changed since the state was saved (content hash differs)")]
    ScenarioChanged,
    #[error("the state does not fit the scenario: {0}")]
    Shape(&'static str),
}

impl Exercise {
    /// Starts an exercise: draws the seeded values, enters the threat's first stage and
    /// delivers whatever is due at minute 0.
    pub fn start(scenario: Arc<Scenario>, seed: u64) -> Exercise {
        let mut ex = Exercise {
            state: State {
                scenario: scenario.id.clone(),
                content_hash: scenario.content_hash,
                seed,
                now: GameTime::ZERO,
                paused: false,
                time_up: false,
                ended: None,
                vars: Vec::with_capacity(scenario.variables.len()),
                draws: Vec::with_capacity(scenario.draws.len()),
                injects: Vec::with_capacity(scenario.injects.len()),
                // Room for a short run without regrowing (a simulation starts thousands).
                prompts: Vec::with_capacity(4),
                choices: Vec::with_capacity(32),
                actions: Vec::with_capacity(scenario.actions.len()),
                busy: Vec::with_capacity(scenario.roles.len()),
                spent: Vec::new(),
                requests: Vec::new(),
                agenda: Agenda::with_capacity(16),
                timer_seq: 0,
                threat: ThreatState::default(),
                slas: Vec::with_capacity(scenario.slas.len()),
                pending_end: None,
                epilogue: None,
                milestones: [None; 5],
                log: Vec::with_capacity(64),
            },
            scenario,
            quiet: None,
        };
        ex.restart(seed);
        ex
    }

    /// Starts the same scenario again from the beginning with `seed`, exactly as
    /// [`Exercise::start`] would, reusing this exercise's memory: a simulation of many runs
    /// resets one exercise instead of building a new one per run.
    pub fn restart(&mut self, seed: u64) {
        let Exercise {
            scenario,
            state,
            quiet,
        } = self;
        *quiet = None;
        let sc: &Scenario = scenario;
        // Every field by name: a field added to the state must be reset here too.
        let State {
            scenario: _,
            content_hash: _,
            seed: st_seed,
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
            log,
        } = state;
        *st_seed = seed;
        *now = GameTime::ZERO;
        *paused = false;
        *time_up = false;
        *ended = None;
        vars.clear();
        vars.extend(sc.variables.iter().map(|v| v.initial));
        refill(draws, sc.draws.len(), DrawState::default());
        refill(injects, sc.injects.len(), InjectState::default());
        prompts.clear();
        choices.clear();
        refill(actions, sc.actions.len(), ActionState::default());
        refill(busy, sc.roles.len(), None);
        refill(spent, sc.roles.len(), (0, 0));
        requests.clear();
        agenda.clear();
        *timer_seq = 0;
        let stages = sc.threat.as_ref().map_or(0, |t| t.stages.len());
        let ThreatState {
            stage,
            entered_at,
            pending,
            halted,
            forced_halt,
        } = threat;
        *stage = StageIx(0);
        refill(entered_at, stages, None);
        pending.clear();
        *halted = false;
        *forced_halt = false;
        refill(slas, sc.slas.len(), SlaState::default());
        *pending_end = None;
        *epilogue = None;
        *milestones = [None; 5];
        log.clear();
        let st = state;
        Run { sc, st, quiet }.start();
    }

    /// Continues from a saved state. The state must have come from this scenario.
    pub fn restore(scenario: Arc<Scenario>, state: State) -> Result<Exercise, RestoreError> {
        if state.scenario != scenario.id {
            return Err(RestoreError::OtherScenario {
                state: state.scenario.to_string(),
                scenario: scenario.id.to_string(),
            });
        }
        if state.content_hash != scenario.content_hash {
            return Err(RestoreError::ScenarioChanged);
        }
        let sc = &*scenario;
        let fits = state.vars.len() == sc.variables.len()
            && state.draws.len() == sc.draws.len()
            && state.injects.len() == sc.injects.len()
            && state.actions.len() == sc.actions.len()
            && state.busy.len() == sc.roles.len()
            && state.slas.len() == sc.slas.len();
        if !fits {
            return Err(RestoreError::Shape("item counts differ"));
        }
        Ok(Exercise {
            scenario,
            state,
            quiet: None,
        })
    }

    pub fn scenario(&self) -> &Arc<Scenario> {
        &self.scenario
    }

    pub fn state(&self) -> &State {
        &self.state
    }

    pub fn now(&self) -> GameTime {
        self.state.now
    }

    pub fn is_over(&self) -> bool {
        self.state.ended.is_some()
    }

    /// When the engine stopped a runaway scenario: what happened, in words, naming the
    /// inject by its subject.
    pub fn runaway(&self) -> Option<String> {
        self.state.log.iter().rev().find_map(|e| match e.kind {
            EventKind::RunawayStopped { inject, limit } => {
                let inj = self.scenario.inject(inject);
                let name = if inj.subject.is_empty() {
                    inj.id.as_str()
                } else {
                    &inj.subject
                };
                Some(format!(
                    "at {}: {}",
                    self.scenario.start.clock(e.at),
                    limit.describe(name)
                ))
            }
            _ => None,
        })
    }

    /// Whether a condition holds now (for explaining a run: its parts one by one).
    pub fn holds(&self, c: &crate::engine::model::Cond) -> bool {
        self.holds_for(c, None)
    }

    /// Whether a condition holds now for `actor`, the role acting (`Knows` reads it).
    pub fn holds_for(&self, c: &crate::engine::model::Cond, actor: Option<RoleIx>) -> bool {
        Look::new(&self.scenario, &self.state).eval_as(c, actor)
    }

    /// Every event so far, for every role.
    pub fn events(&self) -> &[Event] {
        &self.state.log
    }

    /// The next game time at which something is due (an inject, a deadline, the
    /// attacker's next move, the end).
    pub fn next_due(&self) -> GameTime {
        Look::new(&self.scenario, &self.state).next_due()
    }

    /// Applies one command and returns the events it caused (a rejected command causes one
    /// `CommandRejected` event).
    pub fn apply(&mut self, issued: &Issued) -> &[Event] {
        let first = self.state.log.len();
        // Borrowed, not cloned: threads simulating the same scenario would otherwise fight
        // over its reference count on every command.
        let Exercise {
            scenario,
            state,
            quiet,
        } = self;
        let scenario: &Scenario = scenario;
        let mut run = Run {
            sc: scenario,
            st: state,
            quiet,
        };
        if let Err(rejection) = execute(&mut run, issued) {
            let audience = match scenario.actor(&issued.by) {
                Some(Actor::Role(r)) => Audience::of(r),
                _ => Audience::facilitator_only(),
            };
            run.emit(
                audience,
                EventKind::CommandRejected(Box::new(Rejected {
                    by: issued.by.clone(),
                    command: issued.command.clone(),
                    rejection,
                })),
            );
        }
        &self.state.log[first..]
    }
}

fn role_of(run: &Run<'_>, by: &Seat) -> Result<RoleIx, Rejection> {
    match by {
        Seat::Facilitator | Seat::Evaluator => Err(Rejection::WrongRole),
        Seat::Role(r) => run.sc.role_index(r.as_str()).ok_or(Rejection::UnknownRole),
    }
}

fn check_reachable(run: &Run<'_>, role: RoleIx) -> Result<(), Rejection> {
    let r = run.sc.role(role);
    if run.eval(&r.reachable) {
        Ok(())
    } else {
        Err(Rejection::Unreachable {
            note: r.unreachable_note.clone(),
        })
    }
}

#[expect(
    clippy::too_many_lines,
    reason = "one arm per kind of command; each arm is short"
)]
fn execute(run: &mut Run<'_>, issued: &Issued) -> Result<(), Rejection> {
    let sc = run.sc;
    // Notes are taken after the end too (the hot wash).
    if let Command::Note {
        kind,
        text,
        objective,
        rating,
    } = &issued.command
    {
        return note(run, &issued.by, *kind, text, objective.as_ref(), *rating);
    }
    if run.st.ended.is_some() {
        return Err(Rejection::ExerciseOver);
    }
    // The evaluator watches and notes; it moves nothing.
    if issued.by == Seat::Evaluator {
        return Err(Rejection::WrongRole);
    }
    if let Seat::Role(r) = &issued.by
        && sc.role_index(r.as_str()).is_none()
    {
        return Err(Rejection::UnknownRole);
    }
    if issued.command.is_facilitator_only() && issued.by != Seat::Facilitator {
        return Err(Rejection::FacilitatorOnly);
    }
    if issued.command.is_time() && run.st.paused {
        return Err(Rejection::Paused);
    }
    match &issued.command {
        Command::Tick { minutes } => {
            let target = run.st.now.plus(*minutes);
            run.advance_to(target);
        }
        Command::AdvanceTo { at } => {
            if *at < run.st.now {
                return Err(Rejection::TimeInPast);
            }
            run.advance_to(*at);
        }
        Command::AdvanceToNextEvent => {
            run.settle();
            let next = run.next_due();
            let next = if next == run.st.now {
                next.plus(1)
            } else {
                next
            };
            run.advance_to(next);
        }
        Command::Act { action } => {
            let role = role_of(run, &issued.by)?;
            let a = sc
                .action_index(action.as_str())
                .ok_or(Rejection::UnknownAction)?;
            let act = sc.action(a);
            if !act.by.contains(&role) {
                return Err(Rejection::WrongRole);
            }
            let has = sc.role(role).level(act.domain);
            // The same gate the view shows, so a refusal and a greyed-out action agree.
            match run.look().gate(role, a.ix()) {
                Gate::Over => return Err(Rejection::ExerciseOver),
                Gate::Unreachable => check_reachable(run, role)?,
                Gate::Busy(busy, until) => {
                    return Err(Rejection::Busy {
                        action: sc.action(busy).id.clone(),
                        until,
                    });
                }
                Gate::Done => return Err(Rejection::AlreadyTaken),
                Gate::Cooling(until) => return Err(Rejection::CoolingDown { until }),
                Gate::Spent(until) => return Err(Rejection::NoActionsLeft { until }),
                Gate::NotYet => return Err(Rejection::NotAvailable),
                Gate::Open(Avail::Ready | Avail::Unavailable) => {
                    run.start_action(a, role, None, false);
                }
                Gate::Open(Avail::Preapproved) => run.start_action(a, role, None, true),
                Gate::NoAuthority => {
                    return Err(Rejection::NotAuthorised {
                        needed: act.authority,
                        has,
                        domain: act.domain,
                    });
                }
                Gate::Requested | Gate::Open(Avail::NeedsApproval) => {
                    match &act.without_authority {
                        WithoutAuthority::Refuse => {
                            return Err(Rejection::NotAuthorised {
                                needed: act.authority,
                                has,
                                domain: act.domain,
                            });
                        }
                        WithoutAuthority::Approval(approvers) => {
                            if let Some(r) = run.st.requests.iter().find(|r| {
                                r.action == a && r.by == role && r.status == RequestStatus::Pending
                            }) {
                                return Err(Rejection::AlreadyRequested { request: r.id });
                            }
                            let id = u32::try_from(run.st.requests.len()).unwrap_or(u32::MAX);
                            run.st.requests.push(Request {
                                id,
                                action: a,
                                by: role,
                                at: run.st.now,
                                status: RequestStatus::Pending,
                            });
                            let approvers = Audience::from_roles(approvers.iter().copied());
                            run.emit(
                                Audience::of(role).union(approvers),
                                EventKind::ApprovalRequested {
                                    request: id,
                                    action: a,
                                    by: Actor::Role(role),
                                    approvers,
                                    needed: act.authority,
                                },
                            );
                        }
                    }
                }
            }
            run.settle();
        }
        Command::Choose { inject, option } => {
            let role = role_of(run, &issued.by)?;
            let i = sc
                .inject_index(inject.as_str())
                .ok_or(Rejection::UnknownInject)?;
            let prompt = sc
                .inject(i)
                .prompt
                .as_ref()
                .ok_or(Rejection::NoOpenPrompt)?;
            let o = prompt
                .options
                .iter()
                .position(|o| o.id == *option)
                .ok_or(Rejection::UnknownOption)?;
            if !prompt.by.contains(&role) {
                return Err(Rejection::WrongRole);
            }
            if !run.st.prompts.iter().any(|p| p.inject == i) {
                return Err(Rejection::NoOpenPrompt);
            }
            check_reachable(run, role)?;
            if !run.look().eval_as(&prompt.options[o].available, Some(role)) {
                return Err(Rejection::NotAvailable);
            }
            let needed = prompt.options[o].authority;
            let domain = prompt.options[o].domain;
            let has = sc.role(role).level(domain);
            if has < needed {
                return Err(Rejection::NotAuthorised {
                    needed,
                    has,
                    domain,
                });
            }
            let o = u16::try_from(o).unwrap_or(0);
            run.emit(
                prompt.answer_audience,
                EventKind::DecisionMade {
                    inject: i,
                    option: o,
                    by: Actor::Role(role),
                },
            );
            run.take_option(i, o);
            run.settle();
        }
        Command::Approve { request } | Command::Deny { request } => {
            let approve = matches!(issued.command, Command::Approve { .. });
            let role = role_of(run, &issued.by)?;
            let req = run
                .st
                .requests
                .iter()
                .find(|r| r.id == *request && r.status == RequestStatus::Pending)
                .copied()
                .ok_or(Rejection::UnknownRequest)?;
            let act = sc.action(req.action);
            let WithoutAuthority::Approval(approvers) = &act.without_authority else {
                return Err(Rejection::UnknownRequest);
            };
            if !approvers.contains(&role) {
                return Err(Rejection::WrongRole);
            }
            check_reachable(run, role)?;
            let has = sc.role(role).level(act.domain);
            if approve && has < act.authority {
                return Err(Rejection::NotAuthorised {
                    needed: act.authority,
                    has,
                    domain: act.domain,
                });
            }
            if approve {
                if !act.repeatable && run.st.actions[req.action].times > 0 {
                    return Err(Rejection::AlreadyTaken);
                }
                // The action is the requester's: what it was told counts.
                if !run.look().eval_as(&act.available, Some(req.by)) {
                    return Err(Rejection::NotAvailable);
                }
                if let Some((busy, until)) = run.st.busy[usize::from(req.by)] {
                    return Err(Rejection::Busy {
                        action: sc.action(busy).id.clone(),
                        until,
                    });
                }
            }
            let slot = usize::try_from(req.id).unwrap_or(usize::MAX);
            run.st.requests[slot].status = if approve {
                RequestStatus::Granted
            } else {
                RequestStatus::Denied
            };
            let audience =
                Audience::of(req.by).union(Audience::from_roles(approvers.iter().copied()));
            let by = Actor::Role(role);
            let kind = if approve {
                EventKind::ApprovalGranted {
                    request: req.id,
                    action: req.action,
                    by,
                }
            } else {
                EventKind::ApprovalDenied {
                    request: req.id,
                    action: req.action,
                    by,
                }
            };
            run.emit(audience, kind);
            if approve {
                run.start_action(req.action, req.by, Some(by), false);
            }
            run.settle();
        }
        Command::Pause => {
            if !run.st.paused {
                run.st.paused = true;
                let everyone = run.everyone();
                run.emit(everyone, EventKind::Paused);
            }
        }
        Command::Resume => {
            if run.st.paused {
                run.st.paused = false;
                let everyone = run.everyone();
                run.emit(everyone, EventKind::Resumed);
            }
        }
        Command::FireInject { inject } => {
            let i = sc
                .inject_index(inject.as_str())
                .ok_or(Rejection::UnknownInject)?;
            // A `when` inject fired by hand is not delivered again by its condition.
            run.st.injects[i].triggered = true;
            run.deliver(i, true);
            run.settle();
        }
        Command::AnswerAdHoc { seq, option } => answer_ad_hoc(run, &issued.by, *seq, *option)?,
        Command::AdHocInject {
            to,
            channel,
            from,
            text,
            options,
        } => {
            let mut audience = Audience::facilitator_only();
            for r in to {
                let r = sc.role_index(r.as_str()).ok_or(Rejection::UnknownRole)?;
                audience = audience.union(Audience::of(r));
            }
            run.emit(
                audience,
                EventKind::AdHocInjectDelivered(Box::new(super::event::AdHoc {
                    channel: *channel,
                    from: from.clone(),
                    text: text.clone(),
                    options: options.clone(),
                })),
            );
        }
        Command::EndExercise { ending } => {
            let e = match ending {
                Some(id) => Some(
                    sc.ending_index(id.as_str())
                        .ok_or(Rejection::UnknownEnding)?,
                ),
                // In an epilogue the story has its ending already.
                None => run.st.epilogue.map(|(e, _)| e),
            };
            run.finish(e, true);
        }
        // Handled before the end is checked.
        Command::Note { .. } => {}
    }
    Ok(())
}
