//! Conditions, delays and effects in words, for the facilitator's eyes (the situation
//! manual): `"Alert triaged" is set and "Ticket priority" is at most 2`, `19 min (drawn:
//! Minutes until the dropper calls home)`, `schedules "Runbook"`. Every name comes from the
//! scenario; an index the scenario does not have is said as such, never as an id.

use crate::engine::model::{Cond, Delay, Effect, Mark, Scenario, ValueRef};
use crate::engine::time::{GameTime, Weekday};

use super::names::{dur, list, quoted, short};

/// A value a condition reads, by name.
fn value(sc: &Scenario, v: ValueRef) -> String {
    match v {
        ValueRef::Var(v) => sc
            .variables
            .get(v.ix())
            .map_or_else(|| "a variable".to_owned(), |x| quoted(&x.name)),
        ValueRef::Draw(d) => sc.draws.get(d.ix()).map_or_else(
            || "a draw".to_owned(),
            |x| format!("the draw {}", quoted(&short(&x.note, 90))),
        ),
    }
}

fn inject(sc: &Scenario, i: crate::engine::model::InjectIx) -> String {
    sc.injects.get(i.ix()).map_or_else(
        || "a message".to_owned(),
        |x| {
            if x.subject.is_empty() {
                quoted(&short(&x.text, 50))
            } else {
                quoted(&x.subject)
            }
        },
    )
}

fn action(sc: &Scenario, a: crate::engine::model::ActionIx) -> String {
    sc.actions
        .get(a.ix())
        .map_or_else(|| "an action".to_owned(), |x| quoted(&x.name))
}

/// A moment as what happened to what: (`“Triage the alert”`, `done`); the threat's
/// stages as (`the threat`, `reached “Lateral movement”`).
fn moment(sc: &Scenario, m: Mark) -> (String, String) {
    match m {
        Mark::Start => ("the exercise".to_owned(), "started".to_owned()),
        Mark::Delivered(i) => (inject(sc, i), "sent".to_owned()),
        Mark::Taken(a) => (action(sc, a), "started".to_owned()),
        Mark::Completed(a) => (action(sc, a), "done".to_owned()),
        Mark::Chose(i, o) => {
            let label = sc
                .injects
                .get(i.ix())
                .and_then(|x| x.prompt.as_ref())
                .and_then(|p| p.options.get(usize::from(o)))
                .map_or_else(|| "an answer".to_owned(), |o| quoted(&o.label));
            (label, "chosen".to_owned())
        }
        Mark::Stage(s) => {
            let name = sc
                .threat
                .as_ref()
                .and_then(|t| t.stages.get(s.ix()))
                .map_or_else(|| "a stage".to_owned(), |x| quoted(&x.name));
            ("the threat".to_owned(), format!("reached {name}"))
        }
    }
}

/// A moment, as a phrase: `“Triage the alert” was done`, `the threat reached “…”`.
pub fn mark(sc: &Scenario, m: Mark) -> String {
    let (what, done) = moment(sc, m);
    match m {
        Mark::Stage(_) => format!("{what} {done}"),
        _ => format!("{what} was {done}"),
    }
}

/// `has happened`, or `has not` when `yes` is false.
fn happened(sc: &Scenario, m: Mark, yes: bool) -> String {
    let (what, done) = moment(sc, m);
    let not = if yes { "" } else { " not" };
    match m {
        Mark::Stage(_) => format!("{what} has{not} {done}"),
        _ => format!("{what} has{not} been {done}"),
    }
}

fn clock(sc: &Scenario, t: GameTime) -> String {
    sc.start.clock(t).to_string()
}

fn hhmm(minute_of_day: u32) -> String {
    format!("{:02}:{:02}", minute_of_day / 60 % 24, minute_of_day % 60)
}

/// A condition, in words.
pub fn cond(sc: &Scenario, c: &Cond) -> String {
    match c {
        Cond::Always => "always".to_owned(),
        Cond::Never => "never".to_owned(),
        Cond::All(cs) => joined(sc, cs, "and"),
        Cond::Any(cs) => joined(sc, cs, "or"),
        Cond::Not(c) => match &**c {
            Cond::Happened(m) => happened(sc, *m, false),
            Cond::Is(ValueRef::Draw(d)) => format!("{} came up no", value(sc, ValueRef::Draw(*d))),
            Cond::Is(v) => format!("{} is not set", value(sc, *v)),
            c => format!("not ({})", cond(sc, c)),
        },
        Cond::Is(ValueRef::Draw(d)) => format!("{} came up yes", value(sc, ValueRef::Draw(*d))),
        Cond::Is(v) => format!("{} is set", value(sc, *v)),
        Cond::AtLeast(v, n) => format!("{} is at least {n}", value(sc, *v)),
        Cond::AtMost(v, n) => format!("{} is at most {n}", value(sc, *v)),
        Cond::Equals(v, n) => format!("{} is {n}", value(sc, *v)),
        Cond::Compare(a, op, b) => {
            format!("{} {} {}", value(sc, *a), op.words(), value(sc, *b))
        }
        Cond::Happened(m) => happened(sc, *m, true),
        Cond::Within { from, to, minutes } => {
            let since = match from {
                Mark::Start => "the start".to_owned(),
                m => mark(sc, *m),
            };
            format!("{} at most {} after {since}", mark(sc, *to), dur(*minutes))
        }
        Cond::ThreatHalted => "the threat is halted".to_owned(),
        Cond::Before(t) => format!("before {}", clock(sc, *t)),
        Cond::NotBefore(t) => format!("from {} on", clock(sc, *t)),
        Cond::TimeOfDay { from, to } => format!("between {} and {}", hhmm(*from), hhmm(*to)),
        Cond::Weekdays(bits) => {
            let days: Vec<String> = Weekday::ALL
                .into_iter()
                .filter(|d| bits & (1 << d.index()) != 0)
                .map(|d| d.short().to_owned())
                .collect();
            format!("on {}", list(&days))
        }
        Cond::TimeUp => "time has run out".to_owned(),
        Cond::SlaMet(s) => format!("{} is met", sla(sc, *s)),
        Cond::SlaBreached(s) => format!("{} is breached", sla(sc, *s)),
        Cond::Reachable(r) => sc.roles.get(r.ix()).map_or_else(
            || "a role can be reached".to_owned(),
            |x| format!("the {} can be reached", x.name),
        ),
        Cond::Expired(i) => format!("{} went unanswered", inject(sc, *i)),
        Cond::Open(i) => format!("{} is still waiting for an answer", inject(sc, *i)),
        Cond::Knows(None, i) => format!("whoever acts has been told of {}", inject(sc, *i)),
        Cond::Knows(Some(r), i) => {
            format!(
                "the {} has been told of {}",
                sc.role(*r).name,
                inject(sc, *i)
            )
        }
        Cond::Requested(a) => format!("a request to approve {} is waiting", action(sc, *a)),
    }
}

fn sla(sc: &Scenario, s: crate::engine::model::SlaIx) -> String {
    sc.slas.get(s.ix()).map_or_else(
        || "an SLA".to_owned(),
        |x| format!("the SLA {}", quoted(&x.name)),
    )
}

fn joined(sc: &Scenario, cs: &[Cond], word: &str) -> String {
    let parts: Vec<String> = cs
        .iter()
        .map(|c| match c {
            Cond::All(_) | Cond::Any(_) => format!("({})", cond(sc, c)),
            _ => cond(sc, c),
        })
        .collect();
    match parts.as_slice() {
        [] if word == "and" => "always".to_owned(),
        [] => "never".to_owned(),
        _ => parts.join(&format!(" {word} ")),
    }
}

/// When something delayed happens, as a phrase after the thing: `after 19 min`, `after 10
/// to 30 min, drawn (…)`, `at Sat 07:30`, `at the next 07:30`.
pub fn later(sc: &Scenario, d: Delay) -> String {
    match d {
        Delay::Until(t) => format!("at {}", clock(sc, t)),
        Delay::NextTimeOfDay(m) => format!("at the next {}", hhmm(m)),
        d => format!("after {}", delay(sc, d)),
    }
}

/// A delay, in words: `19 min`, the draw it is read from, or up to a time on the clock.
pub fn delay(sc: &Scenario, d: Delay) -> String {
    match d {
        Delay::Minutes(m) => dur(m),
        Delay::Until(t) => format!("until {}", clock(sc, t)),
        Delay::NextTimeOfDay(m) => format!("until the next {}", hhmm(m)),
        Delay::Draw(i) => sc.draws.get(i.ix()).map_or_else(
            || "a drawn number of minutes".to_owned(),
            |x| match x.kind {
                crate::engine::model::DrawKind::Range { min, max } => {
                    format!("{min} to {max} min, drawn ({})", short(&x.note, 60))
                }
                crate::engine::model::DrawKind::Chance { .. } => {
                    format!("a drawn delay ({})", short(&x.note, 60))
                }
                crate::engine::model::DrawKind::Deck { size } => {
                    format!("1 to {size} min, dealt ({})", short(&x.note, 60))
                }
            },
        ),
    }
}

/// Effects, in words, each on its own: `sets "Alert triaged" to 1`, `schedules "Runbook"
/// after 5 min`.
pub fn effects(sc: &Scenario, effects: &[Effect]) -> Vec<String> {
    effects.iter().map(|e| effect(sc, e)).collect()
}

fn effect(sc: &Scenario, e: &Effect) -> String {
    match e {
        Effect::Set(v, n) => format!("sets {} to {n}", value(sc, ValueRef::Var(*v))),
        Effect::Add(v, n) if *n < 0 => {
            format!("lowers {} by {}", value(sc, ValueRef::Var(*v)), -n)
        }
        Effect::Add(v, n) => format!("raises {} by {n}", value(sc, ValueRef::Var(*v))),
        Effect::Copy(v, from) => format!(
            "sets {} to {}",
            value(sc, ValueRef::Var(*v)),
            value(sc, *from)
        ),
        Effect::AddFrom(v, from) => format!(
            "adds {} to {}",
            value(sc, *from),
            value(sc, ValueRef::Var(*v))
        ),
        Effect::Schedule(i, Delay::Minutes(0)) => format!("sends {}", inject(sc, *i)),
        Effect::Schedule(i, d) => format!("sends {} {}", inject(sc, *i), later(sc, *d)),
        Effect::Cancel(i) => format!("cancels {}", inject(sc, *i)),
        Effect::Tell(r, i) => format!("passes {} on to the {}", inject(sc, *i), sc.role(*r).name),
        Effect::Roll(d) => sc.draws.get(d.ix()).map_or_else(
            || "draws again".to_owned(),
            |x| format!("draws {} again", quoted(&short(&x.note, 90))),
        ),
        Effect::AdvanceThreat => "moves the threat to its next stage".to_owned(),
        Effect::HaltThreat => "halts the threat".to_owned(),
        Effect::ResumeThreat => "lets the threat go on".to_owned(),
        Effect::End(e) => sc.endings.get(e.ix()).map_or_else(
            || "ends the exercise".to_owned(),
            |x| format!("ends the exercise: {}", quoted(&x.title)),
        ),
        Effect::If(b) => {
            let then = effects(sc, &b.then).join(", ");
            let otherwise = effects(sc, &b.otherwise).join(", ");
            let then = if then.is_empty() {
                "nothing".to_owned()
            } else {
                then
            };
            if otherwise.is_empty() {
                format!("if {}: {then}", cond(sc, &b.cond))
            } else {
                format!("if {}: {then}; otherwise {otherwise}", cond(sc, &b.cond))
            }
        }
    }
}
