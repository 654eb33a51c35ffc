//! What a condition reads that a role cannot see: the loader's warning about actions whose
//! availability depends on hidden state (the action turning available tells the role that
//! something it was never told has changed). A pure function of the compiled scenario.

use crate::engine::Scenario;
use crate::engine::model::{Cond, Mark, RoleIx, Trigger, ValueRef};
use crate::engine::time::GameTime;

/// The first thing `cond` reads that `role` cannot see, in words for a diagnostic: a draw,
/// a variable hidden from it, an inject never sent to it, a threat it does not watch. An
/// `Any` counts only when none of its alternatives is something the role sees.
pub fn hidden_read(sc: &Scenario, cond: &Cond, role: RoleIx) -> Option<String> {
    let value = |v: &ValueRef| match v {
        ValueRef::Draw(d) => Some(format!("the draw `{}`", sc.draws[*d].id)),
        ValueRef::Var(i) => {
            let var = &sc.variables[*i];
            (!var.audience.includes(role)).then(|| format!("the variable `{}`", var.id))
        }
    };
    let mark = |m: &Mark| match m {
        // What arrives at the very start is part of the opening situation, not news.
        Mark::Delivered(i) if matches!(sc.inject(*i).trigger, Trigger::At(t) if t == GameTime::ZERO) => {
            None
        }
        Mark::Delivered(i) => {
            let inj = sc.inject(*i);
            (!inj.to.includes(role)).then(|| format!("the inject `{}`", inj.id))
        }
        // An answer is heard by those asked and by `heard_by` (the caller on the line).
        Mark::Chose(i, _) => {
            let inj = sc.inject(*i);
            let hears = inj.to.includes(role)
                || inj
                    .prompt
                    .as_ref()
                    .is_some_and(|p| p.answer_audience.includes(role));
            (!hears).then(|| format!("the answer to the inject `{}`", inj.id))
        }
        Mark::Stage(_) => sc
            .threat
            .as_ref()
            .filter(|t| !t.audience.includes(role))
            .map(|_| "the threat's stage".to_owned()),
        Mark::Start | Mark::Taken(_) | Mark::Completed(_) => None,
    };
    match cond {
        // Whether another role was told, it may not know (whether it was itself, it does).
        Cond::Knows(Some(r), i) => (*r != role).then(|| {
            format!(
                "whether the role `{}` was told of the inject `{}`",
                sc.role(*r).id,
                sc.inject(*i).id
            )
        }),
        Cond::All(cs) => cs.iter().find_map(|c| hidden_read(sc, c, role)),
        // One alternative the role sees is enough: it may then learn only that one of
        // several things happened. (Availability per role would say it exactly.)
        Cond::Any(cs) => {
            let hidden: Vec<String> = cs.iter().map_while(|c| hidden_read(sc, c, role)).collect();
            (hidden.len() == cs.len())
                .then(|| hidden.into_iter().next())
                .flatten()
        }
        Cond::Not(c) => hidden_read(sc, c, role),
        Cond::Is(v) | Cond::AtLeast(v, _) | Cond::AtMost(v, _) | Cond::Equals(v, _) => value(v),
        Cond::Compare(a, _, b) => value(a).or_else(|| value(b)),
        Cond::Happened(m) => mark(m),
        Cond::Within { from, to, .. } => mark(from).or_else(|| mark(to)),
        Cond::ThreatHalted => sc
            .threat
            .as_ref()
            .filter(|t| !t.audience.includes(role))
            .map(|_| "whether the threat is halted".to_owned()),
        Cond::Always
        | Cond::Never
        | Cond::Before(_)
        | Cond::NotBefore(_)
        | Cond::TimeOfDay { .. }
        | Cond::Weekdays(_)
        | Cond::TimeUp
        | Cond::SlaMet(_)
        | Cond::SlaBreached(_)
        | Cond::Reachable(_)
        | Cond::Expired(_)
        | Cond::Knows(None, _) => None,
        // Who asked and who may approve know a request is waiting.
        Cond::Requested(a) => {
            let act = sc.action(*a);
            let approver = matches!(&act.without_authority,
                crate::engine::model::WithoutAuthority::Approval(v) if v.contains(&role));
            (!act.by.contains(&role) && !approver)
                .then(|| format!("a request for the action `{}`", act.id))
        }
        // Whoever is asked, or hears the answer (the caller on the line), knows the
        // question is waiting.
        Cond::Open(i) => {
            let inj = sc.inject(*i);
            let hears = inj.to.includes(role)
                || inj
                    .prompt
                    .as_ref()
                    .is_some_and(|p| p.answer_audience.includes(role) || p.by.contains(&role));
            (!hears).then(|| format!("the inject `{}`", inj.id))
        }
    }
}
