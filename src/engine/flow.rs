//! How time and consequences flow: evaluating conditions, applying effects, delivering
//! injects, running the agenda and the threat, checking SLAs and endings. Everything here is
//! a deterministic function of the scenario and the state. Conditions are read in `look.rs`;
//! the loop of time (start, settle, advance) is in `moments.rs`.

use super::event::{Actor, EventKind, Runaway};
use super::model::{
    ActionIx, Audience, Cond, CriterionIx, Delay, DrawIx, Effect, EndingIx, InjectIx, Mark,
    ObjectiveIx, Rating, RoleIx, Scenario, SlaIx, StageIx, ValueRef, VarIx, WithoutAuthority,
};
use super::rng;
use super::state::{Due, Ended, OpenPrompt, RequestStatus, State, Timer};
use super::time::GameTime;

/// How many timed items (deliveries, completions) may fall due at one moment (one settling
/// of the state after a command or a step of the clock) before the engine stops the
/// exercise instead of running on. The loader refuses zero-delay loops and zero-delay
/// fan-out past this (a warning when it depends on conditions), so reaching it at run time
/// means a scenario that multiplies its own deliveries; the limit keeps it from hanging a
/// room.
pub const CASCADE_LIMIT: u32 = 10_000;

/// How many timed items may wait at once before the engine stops the exercise: a scenario
/// whose deliveries each schedule two more doubles its agenda every cycle.
pub const AGENDA_LIMIT: usize = 100_000;

/// How many `when` conditions one moment may evaluate before the engine stops the
/// exercise (about half a second of work): a long chain of `when` injects, each set off by
/// the one before at the same moment, is checked again after every link, the square of its
/// length (a chain of 10,000 costs 50 million).
pub const CHECK_LIMIT: u64 = 100_000_000;

/// A scenario and a state, borrowed together for the length of one command.
pub(crate) struct Run<'a> {
    pub sc: &'a Scenario,
    pub st: &'a mut State,
    /// The inputs of the last of `settle`'s checks that found nothing to do.
    pub quiet: &'a mut Option<Quiet>,
}

/// What the conditions `settle` checks can read, as far as it can change: every change to a
/// value a condition reads is logged as an event, so the length of the (append-only) log,
/// the clock and the time-up flag tell whether anything they read may have changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Quiet {
    events: usize,
    now: GameTime,
    time_up: bool,
}

impl Quiet {
    /// The inputs of the checks now. The clock counts only when one of them reads it.
    fn of(sc: &Scenario, st: &State) -> Quiet {
        Quiet {
            events: st.log.len(),
            now: if sc.checks_read_clock {
                st.now
            } else {
                GameTime::ZERO
            },
            time_up: st.time_up,
        }
    }
}

mod look;
mod moments;
pub use look::Avail;
pub(crate) use look::{Gate, Look};

impl Run<'_> {
    pub fn emit(&mut self, audience: Audience, kind: EventKind) {
        // The engine's invariants, checked in every debug build (the property tests run
        // thousands of seeded runs through here).
        debug_assert!(
            matches!(
                kind,
                EventKind::CommandRejected(_)
                    | EventKind::Noted(_)
                    | EventKind::ExerciseEnded { .. }
            ) || self.st.ended.is_none(),
            "nothing but a refusal or a note comes after the ending: {kind:?}"
        );
        debug_assert!(
            self.st.now <= self.sc.end,
            "time never passes the end: {} > {}",
            self.st.now.minutes(),
            self.sc.end.minutes()
        );
        debug_assert!(
            audience
                .roles()
                .all(|r| usize::from(r) < self.sc.roles.len()),
            "an audience names only the scenario's roles"
        );
        let seq = u32::try_from(self.st.log.len()).unwrap_or(u32::MAX);
        self.st.log.push(super::event::Event {
            seq,
            at: self.st.now,
            audience,
            kind,
        });
    }

    /// Everyone in the scenario.
    pub fn everyone(&self) -> Audience {
        Audience::from_roles(RoleIx::all(self.sc.roles.len()))
    }

    pub fn look(&self) -> Look<'_> {
        Look::new(self.sc, self.st)
    }

    pub fn eval(&self, c: &Cond) -> bool {
        self.look().eval(c)
    }

    // ----- effects -----

    pub fn delay_minutes(&self, d: Delay) -> u32 {
        match d {
            Delay::Minutes(m) => m,
            Delay::Draw(i) => u32::try_from(self.st.draws[i].value.max(0)).unwrap_or(0),
            Delay::Until(t) => t.minutes().saturating_sub(self.st.now.minutes()),
            Delay::NextTimeOfDay(m) => {
                let day = 24 * 60;
                let now = self.sc.start.clock(self.st.now).minute_of_day();
                (m % day + day - now) % day
            }
        }
    }

    pub fn set_var(&mut self, i: VarIx, value: i32) {
        let var = &self.sc.variables[i];
        let to = value.clamp(var.min, var.max);
        let from = self.st.vars[i];
        if from != to {
            self.st.vars[i] = to;
            self.emit(
                var.audience,
                EventKind::VariableChanged {
                    variable: i,
                    from,
                    to,
                },
            );
        }
    }

    pub fn roll(&mut self, i: DrawIx) {
        let draw = &self.sc.draws[i];
        let nth = self.st.draws[i].count;
        let value = rng::sample(self.st.seed, draw.id.as_str(), nth, draw.kind);
        self.st.draws[i].value = value;
        self.st.draws[i].count = nth.saturating_add(1);
        self.emit(
            Audience::facilitator_only(),
            EventKind::ValueDrawn {
                draw: i,
                value,
                nth,
            },
        );
    }

    pub fn apply_effects(&mut self, effects: &[Effect]) {
        for e in effects {
            // A runaway stop can end the exercise halfway through a list of effects.
            if self.st.ended.is_some() {
                return;
            }
            self.apply_effect(e);
        }
    }

    fn apply_effect(&mut self, e: &Effect) {
        match e {
            Effect::Set(v, n) => self.set_var(*v, *n),
            Effect::Add(v, n) => {
                let cur = self.st.vars[*v];
                self.set_var(*v, cur.saturating_add(*n));
            }
            Effect::Copy(v, from) => {
                let x = self.look().value(*from);
                self.set_var(*v, x);
            }
            Effect::AddFrom(v, from) => {
                let (cur, x) = (self.st.vars[*v], self.look().value(*from));
                self.set_var(*v, cur.saturating_add(x));
            }
            Effect::Schedule(i, d) => {
                if self.st.agenda.len() >= AGENDA_LIMIT {
                    self.stop_runaway(*i, Runaway::Agenda);
                    return;
                }
                let at = self.st.now.plus(self.delay_minutes(*d));
                self.push_timer(at, Due::Deliver(*i));
            }
            Effect::Cancel(i) => {
                let before = self.st.agenda.len();
                self.st
                    .agenda
                    .retain(|t| !matches!(t.due, Due::Deliver(x) if x == *i));
                if self.st.agenda.len() != before {
                    self.emit(
                        Audience::facilitator_only(),
                        EventKind::InjectCancelled { inject: *i },
                    );
                }
            }
            Effect::Tell(r, i) => self.tell(*r, *i),
            Effect::Roll(d) => self.roll(*d),
            Effect::AdvanceThreat => self.advance_threat(),
            Effect::HaltThreat => self.st.threat.forced_halt = true,
            Effect::ResumeThreat => self.st.threat.forced_halt = false,
            Effect::End(e) => {
                self.st.pending_end.get_or_insert(*e);
            }
            Effect::If(b) => {
                if self.eval(&b.cond) {
                    self.apply_effects(&b.then);
                } else {
                    self.apply_effects(&b.otherwise);
                }
            }
        }
    }

    pub fn push_timer(&mut self, at: GameTime, due: Due) {
        let seq = self.st.timer_seq;
        self.st.timer_seq += 1;
        debug_assert!(at >= self.st.now, "a timer is never set in the past");
        self.st.agenda.push(Timer { at, seq, due });
    }

    /// Stops an exercise whose scenario set off more deliveries than the engine's limits
    /// allow, naming the inject (for the facilitator and the transcript).
    fn stop_runaway(&mut self, inject: InjectIx, limit: Runaway) {
        self.emit(
            Audience::facilitator_only(),
            EventKind::RunawayStopped { inject, limit },
        );
        self.finish(None, false);
    }

    // ----- injects -----

    pub fn deliver(&mut self, i: InjectIx, by_facilitator: bool) {
        let sc = self.sc;
        let inject = sc.inject(i);
        let now = self.st.now;
        let state = &mut self.st.injects[i];
        state.deliveries = state.deliveries.saturating_add(1);
        state.known = state.known.union(inject.to);
        state.first_delivered.get_or_insert(now);
        let mut expires_at = None;
        if let Some(p) = &inject.prompt {
            expires_at = p.deadline.map(|d| now.plus(d));
            self.st.prompts.retain(|o| o.inject != i);
            self.st.prompts.push(OpenPrompt {
                inject: i,
                delivered_at: now,
                expires_at,
            });
        }
        let values = if inject.fills.is_empty() {
            super::event::Values::default()
        } else {
            super::event::Values::new(inject.fills.iter().map(|v| self.look().value(*v)).collect())
        };
        self.emit(
            inject.to,
            EventKind::InjectDelivered {
                inject: i,
                expires_at,
                fired_by_facilitator: by_facilitator,
                values,
            },
        );
        self.apply_effects(&inject.effects);
    }

    /// Passes inject `i`'s message on to role `r`, as it said when it was last delivered
    /// (as it would say now, if it never was).
    fn tell(&mut self, r: RoleIx, i: InjectIx) {
        let inject = self.sc.inject(i);
        let said = self.st.log.iter().rev().find_map(|e| match &e.kind {
            EventKind::InjectDelivered { inject, values, .. } if *inject == i => {
                Some(values.clone())
            }
            _ => None,
        });
        let values = said.unwrap_or_else(|| {
            super::event::Values::new(inject.fills.iter().map(|v| self.look().value(*v)).collect())
        });
        let to = Audience::from_roles([r]);
        self.st.injects[i].known = self.st.injects[i].known.union(to);
        self.emit(to, EventKind::InjectPassedOn { inject: i, values });
    }

    /// Records that an option of a prompt was taken (by a person or by expiry) and applies
    /// its effects.
    pub fn take_option(&mut self, i: InjectIx, option: u16) {
        let now = self.st.now;
        self.st.prompts.retain(|o| o.inject != i);
        self.st.choices.push(super::state::ChoiceMade {
            inject: i,
            option,
            at: now,
        });
        if let Some(p) = &self.sc.inject(i).prompt {
            let effects = &p.options[usize::from(option)].effects;
            self.apply_effects(effects);
        }
    }

    // ----- actions -----

    /// Starts an action for a role (its authority already settled).
    pub fn start_action(
        &mut self,
        a: ActionIx,
        role: RoleIx,
        approved_by: Option<Actor>,
        preapproved: bool,
    ) {
        let sc = self.sc;
        let action = sc.action(a);
        let now = self.st.now;
        let st = &mut self.st.actions[a];
        st.first_taken.get_or_insert(now);
        st.last_taken = Some(now);
        st.times = st.times.saturating_add(1);
        let completes_at = now.plus(action.duration);
        if let Some(turn) = sc.turn_of(now)
            && let Some(spent) = self.st.spent.get_mut(usize::from(role))
        {
            // What this turn has cost the role so far, a new turn starting from nothing.
            let before = if spent.0 == turn { spent.1 } else { 0 };
            *spent = (turn, before.saturating_add(action.cost));
        }
        self.withdraw_requests(a, role);
        let audience = Audience::of(role).union(action.to).union(action.visible_to);
        self.emit(
            audience,
            EventKind::ActionTaken {
                action: a,
                by: Actor::Role(role),
                completes_at,
                approved_by,
                preapproved,
            },
        );
        if action.duration == 0 {
            self.complete_action(a, role);
        } else {
            self.st.busy[usize::from(role)] = Some((a, completes_at));
            self.push_timer(
                completes_at,
                Due::Complete {
                    action: a,
                    by: role,
                },
            );
        }
    }

    /// Requests for action `a` that its start makes moot are withdrawn: every pending one
    /// when it cannot be taken again, else the starter's own.
    fn withdraw_requests(&mut self, a: ActionIx, role: RoleIx) {
        let sc = self.sc;
        let action = sc.action(a);
        let approvers = match &action.without_authority {
            WithoutAuthority::Approval(x) => Audience::from_roles(x.iter().copied()),
            WithoutAuthority::Refuse => Audience::default(),
        };
        for i in 0..self.st.requests.len() {
            let q = self.st.requests[i];
            if q.status != RequestStatus::Pending
                || q.action != a
                || (action.repeatable && q.by != role)
            {
                continue;
            }
            self.st.requests[i].status = RequestStatus::Withdrawn;
            self.emit(
                Audience::of(q.by).union(approvers),
                EventKind::ApprovalWithdrawn {
                    request: q.id,
                    action: a,
                    by: Actor::Role(q.by),
                },
            );
        }
    }

    fn complete_action(&mut self, a: ActionIx, role: RoleIx) {
        let sc = self.sc;
        let action = sc.action(a);
        let now = self.st.now;
        self.st.actions[a].first_completed.get_or_insert(now);
        if matches!(self.st.busy[usize::from(role)], Some((x, _)) if x == a) {
            self.st.busy[usize::from(role)] = None;
        }
        let audience = Audience::of(role).union(action.to).union(action.visible_to);
        self.emit(
            audience,
            EventKind::ActionCompleted {
                action: a,
                by: Actor::Role(role),
            },
        );
        self.apply_effects(&action.effects);
    }

    // ----- threat -----

    pub fn enter_stage(&mut self, s: StageIx) {
        let Some(threat) = &self.sc.threat else {
            return;
        };
        let now = self.st.now;
        self.st.threat.stage = s;
        if let Some(slot) = self.st.threat.entered_at.get_mut(s.ix()) {
            slot.get_or_insert(now);
        }
        self.emit(threat.audience, EventKind::ThreatAdvanced { stage: s });
        // The stages that follow this one set off now, in the order they are listed.
        for (k, next) in threat.stages.iter().enumerate() {
            if next.from == Some(s)
                && let Some(k) = StageIx::at(k)
            {
                let at = (!self.st.threat.halted)
                    .then(|| self.st.now.plus(self.delay_minutes(next.after)));
                self.st.threat.pending.push((k, at));
            }
        }
        self.apply_effects(&threat.stages[s].effects);
    }

    /// The attacker's clocks for the pending stages start again from now (after a halt).
    fn restart_pending_stages(&mut self) {
        let Some(threat) = &self.sc.threat else {
            return;
        };
        for k in 0..self.st.threat.pending.len() {
            let s = self.st.threat.pending[k].0;
            let at = self.st.now.plus(self.delay_minutes(threat.stages[s].after));
            self.st.threat.pending[k].1 = Some(at);
        }
    }

    /// Enters the pending stages due by `by` (all of them: `None`), each whose `when` holds
    /// then; a path whose `when` does not hold ends there.
    pub(super) fn advance_threat_to(&mut self, by: Option<GameTime>) {
        let Some(threat) = &self.sc.threat else {
            return;
        };
        let pending = std::mem::take(&mut self.st.threat.pending);
        let (due, wait): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|(_, at)| by.is_none_or(|t| at.is_some_and(|a| a <= t)));
        self.st.threat.pending = wait;
        for (k, &(s, _)) in due.iter().enumerate() {
            // On its own clock, a stage that halted the attacker stops the others due at the
            // same minute, as the halt stops every path (`AdvanceThreat` moves on regardless).
            if k > 0 && by.is_some() {
                self.update_threat_halt();
                if self.st.threat.halted {
                    self.st
                        .threat
                        .pending
                        .extend(due[k..].iter().map(|(s, _)| (*s, None)));
                    return;
                }
            }
            if self.eval(&threat.stages[s].when) {
                self.enter_stage(s);
            }
        }
    }

    fn advance_threat(&mut self) {
        self.advance_threat_to(None);
    }

    /// Brings the threat's halted flag in line with the scenario's condition and effects.
    fn update_threat_halt(&mut self) {
        let Some(threat) = &self.sc.threat else {
            return;
        };
        let halted = self.st.threat.forced_halt || self.eval(&threat.halted_when);
        if halted == self.st.threat.halted {
            return;
        }
        self.st.threat.halted = halted;
        let stage = self.st.threat.stage;
        if halted {
            for p in &mut self.st.threat.pending {
                p.1 = None;
            }
            self.emit(threat.audience, EventKind::ThreatHalted { stage });
        } else {
            self.emit(threat.audience, EventKind::ThreatResumed { stage });
            // The attacker's clocks start again from now.
            self.restart_pending_stages();
        }
    }

    // ----- SLAs -----

    fn update_slas(&mut self) {
        for (i, ix) in (0..self.sc.slas.len()).zip(SlaIx::all(self.sc.slas.len())) {
            let sla = &self.sc.slas[i];
            let severity = self.st.vars[sla.severity];
            let running = self.st.slas[i];
            let rescored = sla.restart
                && running.started_at.is_some()
                && running.met_at.is_none()
                && !running.breached
                && running.severity_at != Some(severity);
            if (running.started_at.is_none() && self.eval(&sla.starts)) || rescored {
                {
                    self.st.slas[i].started_at = Some(self.st.now);
                    self.st.slas[i].severity_at = Some(severity);
                    let due_at = self.sla_due(i);
                    self.emit(
                        sla.audience,
                        EventKind::SlaStarted {
                            sla: ix,
                            severity,
                            due_at,
                        },
                    );
                }
            }
            let st = self.st.slas[i];
            if st.started_at.is_some() && st.met_at.is_none() && !st.breached && self.eval(&sla.met)
            {
                let started = st.started_at.unwrap_or(self.st.now);
                self.st.slas[i].met_at = Some(self.st.now);
                self.emit(
                    sla.audience,
                    EventKind::SlaMet {
                        sla: ix,
                        severity,
                        minutes: self.st.now.since(started),
                    },
                );
            }
        }
    }

    // ----- endings -----

    fn check_endings(&mut self) -> bool {
        if let (None, Some((e, until))) = (self.st.pending_end, self.st.epilogue) {
            // The story has its ending: it runs on to the epilogue's end.
            if self.st.now >= until || self.st.time_up {
                self.finish(Some(e), false);
                return true;
            }
            return false;
        }
        let by_effect = self.st.pending_end.is_some();
        let chosen = self.st.pending_end.or_else(|| {
            self.sc
                .endings
                .iter()
                .position(|e| self.eval(&e.when))
                .and_then(EndingIx::at)
        });
        match chosen {
            Some(e) if !by_effect && self.sc.endings[e].epilogue > 0 => {
                let until = self
                    .st
                    .now
                    .plus(self.sc.endings[e].epilogue)
                    .min(self.sc.end);
                self.st.epilogue = Some((e, until));
                let everyone = self.everyone();
                self.emit(everyone, EventKind::EpilogueStarted { ending: e, until });
                false
            }
            Some(e) => {
                self.finish(Some(e), false);
                true
            }
            None if self.st.time_up => {
                self.finish(None, false);
                true
            }
            None => false,
        }
    }

    /// Rates the objectives, scores the rubric and ends the exercise.
    pub fn finish(&mut self, ending: Option<EndingIx>, by_facilitator: bool) {
        let sc = self.sc;
        let everyone = self.everyone();
        for (o, ix) in sc
            .objectives
            .iter()
            .zip(ObjectiveIx::all(sc.objectives.len()))
        {
            // None holds: unable, or not evaluated when the facilitator ended it first.
            let none = if by_facilitator { Rating::N } else { Rating::U };
            // The situation it is about never arose: not evaluated rather than unable.
            let applies = o.applies.as_ref().is_none_or(|c| self.eval(c));
            let rating = if applies {
                o.ratings
                    .iter()
                    .find(|(_, c)| self.eval(c))
                    .map_or(none, |(r, _)| *r)
            } else {
                Rating::N
            };
            self.emit(
                everyone,
                EventKind::ObjectiveRated {
                    objective: ix,
                    rating,
                },
            );
        }
        let mut score = 0i32;
        for (c, ix) in sc.rubric.iter().zip(CriterionIx::all(sc.rubric.len())) {
            if self.eval(&c.when) {
                score = score.saturating_add(c.points);
                self.emit(
                    everyone,
                    EventKind::CriterionMet {
                        criterion: ix,
                        points: c.points,
                    },
                );
            }
        }
        let outcome = ending.map(|e| sc.endings[e].outcome);
        self.st.ended = Some(Ended {
            at: self.st.now,
            ending,
        });
        self.st.prompts.clear();
        self.emit(
            everyone,
            EventKind::ExerciseEnded {
                ending,
                outcome,
                score,
                by_facilitator,
                time_up: self.st.time_up,
            },
        );
    }
}
