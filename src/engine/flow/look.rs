//! Reading a scenario and a state without changing them: conditions, the values they read,
//! moments, and when things fall due.

use super::{ActionIx, Cond, GameTime, Mark, RoleIx, Scenario, State, ValueRef};
use crate::engine::state::RequestStatus;

/// A scenario and a state, read only: conditions, due times.
#[derive(Clone, Copy)]
pub(crate) struct Look<'a> {
    pub sc: &'a Scenario,
    pub st: &'a State,
    /// The role acting, where a condition is read for one (an action's `available`).
    pub actor: Option<RoleIx>,
}

impl<'a> Look<'a> {
    /// A scenario and a state, with nobody acting.
    pub fn new(sc: &'a Scenario, st: &'a State) -> Look<'a> {
        Look {
            sc,
            st,
            actor: None,
        }
    }
}

impl Look<'_> {
    pub fn value(&self, v: ValueRef) -> i32 {
        match v {
            ValueRef::Var(i) => self.st.vars[i],
            ValueRef::Draw(i) => self.st.draws[i].value,
        }
    }

    pub fn mark_time(&self, m: Mark) -> Option<GameTime> {
        match m {
            Mark::Start => Some(GameTime::ZERO),
            Mark::Delivered(i) => self.st.injects[i].first_delivered,
            Mark::Taken(a) => self.st.actions[a].first_taken,
            Mark::Completed(a) => self.st.actions[a].first_completed,
            Mark::Chose(i, o) => self
                .st
                .choices
                .iter()
                .find(|c| c.inject == i && c.option == o)
                .map(|c| c.at),
            Mark::Stage(s) => self
                .st
                .threat
                .entered_at
                .get(usize::from(s))
                .copied()
                .flatten(),
        }
    }

    /// Whether `c` holds for `actor`, the role acting (what `Knows` without a role reads).
    pub fn eval_as(&self, c: &Cond, actor: Option<RoleIx>) -> bool {
        Look { actor, ..*self }.eval(c)
    }

    /// Whether `c` holds (a `Knows` without a role reads the role acting, if any).
    pub fn eval(&self, c: &Cond) -> bool {
        match c {
            Cond::Always => true,
            Cond::Never => false,
            Cond::All(cs) => cs.iter().all(|c| self.eval(c)),
            Cond::Any(cs) => cs.iter().any(|c| self.eval(c)),
            Cond::Not(c) => !self.eval(c),
            Cond::Is(v) => self.value(*v) != 0,
            Cond::AtLeast(v, n) => self.value(*v) >= *n,
            Cond::AtMost(v, n) => self.value(*v) <= *n,
            Cond::Equals(v, n) => self.value(*v) == *n,
            Cond::Compare(a, op, b) => op.holds(self.value(*a), self.value(*b)),
            Cond::Happened(m) => self.mark_time(*m).is_some(),
            Cond::Within { from, to, minutes } => {
                match (self.mark_time(*from), self.mark_time(*to)) {
                    (Some(a), Some(b)) => b >= a && b.since(a) <= *minutes,
                    _ => false,
                }
            }
            Cond::ThreatHalted => self.st.threat.halted,
            Cond::Before(t) => self.st.now < *t,
            Cond::NotBefore(t) => self.st.now >= *t,
            Cond::TimeOfDay { from, to } => {
                let m = self.sc.start.clock(self.st.now).minute_of_day();
                if from <= to {
                    (*from..*to).contains(&m)
                } else {
                    m >= *from || m < *to
                }
            }
            Cond::Weekdays(mask) => {
                let d = self.sc.start.clock(self.st.now).weekday.index();
                mask & (1 << d) != 0
            }
            Cond::TimeUp => self.st.time_up,
            Cond::SlaMet(i) => self.st.slas[*i].met_at.is_some(),
            Cond::SlaBreached(i) => self.st.slas[*i].breached,
            // The loader refuses `Reachable` inside a role's own `reachable`, so this ends.
            Cond::Reachable(r) => self.eval(&self.sc.role(*r).reachable),
            Cond::Expired(i) => self.st.injects[*i].expired > 0,
            Cond::Open(i) => self.st.prompts.iter().any(|p| p.inject == *i),
            Cond::Requested(a) => self.st.requests.iter().any(|q| {
                q.action == *a && q.status == crate::engine::state::RequestStatus::Pending
            }),
            Cond::Knows(who, i) => who
                .or(self.actor)
                .is_some_and(|r| self.st.injects[*i].known.includes(r)),
        }
    }

    /// What `role` may still spend on actions this turn; `None`: no turns, no limit.
    pub fn budget_left(&self, role: RoleIx) -> Option<u16> {
        let budget = self.sc.budget(role)?;
        let turn = self.sc.turn_of(self.st.now)?;
        let spent = match self.st.spent.get(usize::from(role)) {
            Some((t, n)) if *t == turn => *n,
            _ => 0,
        };
        Some(budget.saturating_sub(spent))
    }

    pub fn sla_due(&self, i: usize) -> Option<GameTime> {
        let sla = &self.sc.slas[i];
        let st = self.st.slas[i];
        let started = st.started_at?;
        if st.met_at.is_some() || st.breached {
            return None;
        }
        let severity = self.st.vars[sla.severity];
        sla.target_for(severity).map(|m| started.plus(m))
    }

    /// The next game time at which something is due, never later than the end.
    pub fn next_due(&self) -> GameTime {
        let now = self.st.now;
        let mut next = self.sc.end;
        if let Some(t) = self.st.agenda.first() {
            next = next.min(t.at);
        }
        for p in &self.st.prompts {
            if let Some(x) = p.expires_at {
                next = next.min(x);
            }
        }
        if let Some(x) = self.st.threat.next_at() {
            next = next.min(x);
        }
        if let Some((_, until)) = self.st.epilogue {
            next = next.min(until);
        }
        // Conditions on the clock can change only at these moments: wake up for them.
        let after_now = self.sc.clock_marks.partition_point(|t| *t <= now);
        if let Some(t) = self.sc.clock_marks.get(after_now) {
            next = next.min(*t);
        }
        if !self.sc.daily_marks.is_empty() {
            let day = crate::engine::time::DAY;
            let minute = self.sc.start.clock(now).minute_of_day();
            let wait = self
                .sc
                .daily_marks
                .iter()
                .map(|m| (m + day - minute - 1) % day + 1)
                .min()
                .unwrap_or(day);
            next = next.min(now.plus(wait));
        }
        for i in 0..self.sc.slas.len() {
            if let Some(x) = self.sla_due(i) {
                // Meeting it within the deadline minute still counts: the breach is the
                // minute after.
                next = next.min(x.plus(1));
            }
        }
        next.max(now)
    }
}

/// Why an action is unavailable to a role, or how it is available: the one answer to "may
/// this role take this action now", used by the command check and by the view alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Gate {
    Open(Avail),
    Over,
    Unreachable,
    Busy(ActionIx, GameTime),
    Done,
    /// A repeatable action cooling down until then.
    Cooling(GameTime),
    /// The role's budget of actions for this turn is spent; the next turn begins then
    /// (`None`: this is the last).
    Spent(Option<GameTime>),
    NotYet,
    NoAuthority,
    Requested,
}

impl Gate {
    /// How the action can be taken, or `Unavailable` (the reason is dropped).
    pub(crate) fn avail(self) -> Avail {
        match self {
            Gate::Open(x) => x,
            _ => Avail::Unavailable,
        }
    }
}

impl Look<'_> {
    /// May `role` take action `i` now, and how; the checks in the order a refusal names
    /// them.
    pub(crate) fn gate(&self, role: RoleIx, i: usize) -> Gate {
        match self.role_gate(role) {
            Some(g) => g,
            None => self.action_gate(role, i),
        }
    }

    /// What keeps `role` from taking any action now (the exercise over, the role out of
    /// reach or busy), the first checks of [`Look::gate`]; `None`: each action decides.
    pub(crate) fn role_gate(&self, role: RoleIx) -> Option<Gate> {
        let st = self.st;
        if st.ended.is_some() {
            return Some(Gate::Over);
        }
        if !self.eval(&self.sc.role(role).reachable) {
            return Some(Gate::Unreachable);
        }
        st.busy[usize::from(role)].map(|(busy, until)| Gate::Busy(busy, until))
    }

    /// The rest of [`Look::gate`], for a role that [`Look::role_gate`] let through.
    pub(crate) fn action_gate(&self, role: RoleIx, i: usize) -> Gate {
        let run = self;
        let sc = run.sc;
        let st = run.st;
        let a = &sc.actions[i];
        let r = sc.role(role);
        if let Some(last) = st.actions[i].last_taken
            && a.repeatable
            && a.cooldown > 0
            && st.now < last.plus(a.cooldown)
        {
            return Gate::Cooling(last.plus(a.cooldown));
        }
        if !a.repeatable && st.actions[i].times > 0 {
            return Gate::Done;
        }
        if !run.eval_as(&a.available, Some(role)) {
            return Gate::NotYet;
        }
        if let Some(left) = run.budget_left(role)
            && a.cost > left
        {
            return Gate::Spent(sc.next_turn_at(st.now));
        }
        if r.level(a.domain) >= a.authority {
            Gate::Open(Avail::Ready)
        } else if run.eval(&a.preapproved) {
            Gate::Open(Avail::Preapproved)
        } else {
            match &a.without_authority {
                crate::engine::model::WithoutAuthority::Refuse => Gate::NoAuthority,
                crate::engine::model::WithoutAuthority::Approval(_) => {
                    if st.requests.iter().any(|q| {
                        q.action.ix() == i && q.by == role && q.status == RequestStatus::Pending
                    }) {
                        Gate::Requested
                    } else {
                        Gate::Open(Avail::NeedsApproval)
                    }
                }
            }
        }
    }
}

/// Whether an action can be taken, without the explanation (cheap: no strings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Avail {
    Ready,
    NeedsApproval,
    Preapproved,
    /// Not now; [`View`] says why.
    Unavailable,
}
