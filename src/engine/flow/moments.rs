//! The loop of time: the first moment, settling everything due now (agenda items,
//! conditional injects, the threat, SLAs, milestones, endings) within the engine's bounds,
//! and letting time pass to the next moment something is due.

use crate::engine::event::{EventKind, Runaway};
use crate::engine::model::{Audience, DrawIx, InjectIx, SlaIx, StageIx, Trigger};
use crate::engine::state::{Due, OpenPrompt, Timer};
use crate::engine::time::GameTime;

use super::{CASCADE_LIMIT, CHECK_LIMIT, Quiet, Run};

impl Run<'_> {
    /// The first moment: announces the start, draws the seeded values, schedules the timed
    /// injects, enters the threat's first stage and delivers whatever is due at minute 0.
    pub fn start(&mut self) {
        let sc = self.sc;
        let everyone = self.everyone();
        self.emit(everyone, EventKind::ExerciseStarted { seed: self.st.seed });
        if let Some(count) = sc.turn_count() {
            self.begin_turn(1);
            // Every turn is on the agenda before any timed inject, so a turn begins before
            // whatever else is due at its first minute, in every turn alike.
            for n in 2..=count {
                if let Some(at) = sc.turn_start(n) {
                    self.push_timer(at, Due::Turn(n));
                }
            }
        }
        for d in DrawIx::all(sc.draws.len()) {
            self.roll(d);
        }
        for &(t, i) in &sc.timed_injects {
            self.push_timer(t, Due::Deliver(i));
        }
        if sc.threat.as_ref().is_some_and(|t| !t.stages.is_empty()) {
            self.enter_stage(StageIx(0));
        }
        self.settle();
    }

    /// Turn `n` begins: everyone is told. (Budgets are kept per turn, so nothing needs
    /// resetting.)
    fn begin_turn(&mut self, n: u32) {
        let everyone = self.everyone();
        self.emit(everyone, EventKind::TurnStarted { turn: n });
    }

    /// Runs everything due now until nothing more changes: agenda items, condition
    /// triggers, the threat's halt, SLAs, endings.
    pub fn settle(&mut self) {
        let mut budget = CASCADE_LIMIT;
        let mut checks: u64 = 0;
        let mut last_inject: Option<InjectIx> = None;
        loop {
            if self.st.ended.is_some() {
                return;
            }
            if let Some(timer) = self.pop_due() {
                if let Due::Deliver(i) = timer.due {
                    last_inject = Some(i);
                }
                if budget == 0 {
                    match last_inject {
                        Some(i) => self.stop_runaway(i, Runaway::Cascade),
                        None => self.finish(None, false),
                    }
                    return;
                }
                budget -= 1;
                match timer.due {
                    Due::Deliver(i) => self.deliver(i, false),
                    Due::Complete { action, by } => self.complete_action(action, by),
                    Due::Turn(n) => self.begin_turn(n),
                }
                continue;
            }
            // Checks that found nothing to do find nothing again while nothing they read has
            // changed (a simulation settles twice at most moments: when a command arrives and
            // after it).
            let inputs = Quiet::of(self.sc, self.st);
            if *self.quiet != Some(inputs) {
                // The threat's halt and the SLAs first: `when` conditions may read them.
                self.update_threat_halt();
                self.update_slas();
                let mut fired = None;
                for &i in &self.sc.conditional_injects {
                    if self.st.injects[i].triggered {
                        continue;
                    }
                    checks += 1;
                    if let Trigger::When(cond, delay) = &self.sc.inject(i).trigger
                        && self.eval(cond)
                    {
                        self.st.injects[i].triggered = true;
                        let at = self.st.now.plus(self.delay_minutes(*delay));
                        self.push_timer(at, Due::Deliver(i));
                        fired = Some(i);
                    }
                }
                if let Some(i) = fired {
                    if checks > CHECK_LIMIT {
                        self.stop_runaway(i, Runaway::Checks);
                        return;
                    }
                    continue;
                }
                self.update_milestones();
                if self.check_endings() {
                    return;
                }
                if Quiet::of(self.sc, self.st) == inputs {
                    *self.quiet = Some(inputs);
                }
            }
            if self.st.agenda.first().is_none_or(|t| t.at > self.st.now) {
                return;
            }
        }
    }

    fn update_milestones(&mut self) {
        let sc = self.sc;
        for (m, cond) in &sc.milestones {
            if self.st.milestones[m.index()].is_none() && self.eval(cond) {
                self.st.milestones[m.index()] = Some(self.st.now);
                self.emit(
                    Audience::facilitator_only(),
                    EventKind::MilestoneReached { milestone: *m },
                );
            }
        }
    }

    fn pop_due(&mut self) -> Option<Timer> {
        if self.st.agenda.first().is_some_and(|t| t.at <= self.st.now) {
            let timer = self.st.agenda.pop();
            // The agenda gives its timers in (at, seq) order, and none is ever overdue.
            debug_assert!(
                timer
                    .zip(self.st.agenda.first())
                    .is_none_or(|(t, next)| { (t.at, t.seq) < (next.at, next.seq) }),
                "the agenda is ordered"
            );
            timer
        } else {
            None
        }
    }

    pub fn next_due(&self) -> GameTime {
        self.look().next_due()
    }

    pub(super) fn sla_due(&self, i: usize) -> Option<GameTime> {
        self.look().sla_due(i)
    }

    /// Fires the timed things due at the current minute (other than the agenda, which
    /// `settle` runs): expired prompts, the threat's next stage, SLA breaches, time up.
    fn fire_timed(&mut self) {
        let now = self.st.now;
        let sc = self.sc;
        // Prompts in the order they were opened.
        let expired: Vec<OpenPrompt> = self
            .st
            .prompts
            .iter()
            .filter(|p| p.expires_at.is_some_and(|x| x <= now))
            .copied()
            .collect();
        for p in expired {
            if self.st.ended.is_some() {
                return;
            }
            let Some(prompt) = &sc.inject(p.inject).prompt else {
                continue;
            };
            let st = &mut self.st.injects[p.inject];
            st.expired = st.expired.saturating_add(1);
            self.emit(
                prompt.answer_audience,
                EventKind::PromptExpired {
                    inject: p.inject,
                    default: prompt.default,
                },
            );
            match prompt.default {
                Some(d) => self.take_option(p.inject, d),
                None => self.st.prompts.retain(|o| o.inject != p.inject),
            }
        }
        // A default option may have stopped a runaway scenario: nothing after the end.
        if self.st.ended.is_some() {
            return;
        }
        if self.st.threat.next_at().is_some_and(|x| x <= now) {
            self.update_threat_halt();
            if !self.st.threat.halted {
                self.advance_threat_to(Some(now));
            }
        }
        for i in 0..sc.slas.len() {
            if let Some(due_at) = self.sla_due(i)
                && due_at < now
            {
                self.st.slas[i].breached = true;
                let sla = &sc.slas[i];
                let severity = self.st.vars[sla.severity];
                self.emit(
                    sla.audience,
                    EventKind::SlaBreached {
                        sla: SlaIx::at(i).unwrap_or(SlaIx(u32::MAX)),
                        severity,
                        due_at,
                    },
                );
            }
        }
        // At an epilogue's end, what is due that minute still happens (settle runs it),
        // then the endings are checked again, which ends the exercise with the epilogue's.
        if self.st.epilogue.is_some_and(|(_, until)| now >= until) {
            *self.quiet = None;
        }
        if now >= sc.end {
            self.st.time_up = true;
        }
    }

    /// Lets game time pass up to `target` (never past the end), firing everything due on
    /// the way in order.
    pub fn advance_to(&mut self, target: GameTime) {
        let target = target.min(self.sc.end);
        loop {
            self.settle();
            if self.st.ended.is_some() {
                return;
            }
            let next = self.next_due();
            if next > target {
                if target > self.st.now {
                    self.st.now = target;
                    // Conditions on the clock are judged at the minute time stops at, too.
                    self.settle();
                }
                return;
            }
            self.st.now = next;
            self.fire_timed();
        }
    }
}
