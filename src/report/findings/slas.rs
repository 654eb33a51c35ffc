//! SLA breaches, each owned by the role that could have met it.

use super::{
    Capability, Cond, CondMark, Ctx, Draft, EventKind, Priority, Remedy, RoleIx, Scenario, Topic,
    ValueRef, action_quote, clock, count, delivered, dur, finding, inject_quote, list, sla_name,
    taken, touches,
};
use crate::engine::model::InjectIx;

pub(super) fn slas(c: &Ctx<'_>) -> Vec<(bool, Draft)> {
    let (sc, m, st) = (c.sc, c.m, c.st);
    let mut out = Vec::new();
    let met: Vec<String> = m
        .slas
        .iter()
        .filter_map(|s| {
            Some(format!(
                "{} in {}",
                sla_name(sc, &s.sla),
                dur(s.met_at?.since(s.started_at?))
            ))
        })
        .collect();
    let breached: Vec<_> = m.slas.iter().filter(|s| s.breached.is_some()).collect();
    if breached.is_empty() {
        if !met.is_empty() {
            let f = finding(
                sc,
                Topic::Sla,
                format!("{} met", count(met.len(), "SLA", "SLAs")),
                format!("Met: {}.", list(&met)),
                "The contractual clocks did not become a source of friction.".into(),
                "Keep it.".into(),
                String::new(),
                None,
                Remedy::Keep,
                Capability::Planning,
                None,
                Priority::Low,
            );
            out.push((
                false,
                Draft {
                    f,
                    quotes: Vec::new(),
                },
            ));
        }
        return out;
    }
    let mut obs = Vec::new();
    let mut quotes = Vec::new();
    let mut who = None;
    let mut minutes = 0;
    for s in &breached {
        let Some((due, sev)) = s.breached else {
            continue;
        };
        let Some(ix) = sc.slas.iter().position(|x| x.id == s.sla) else {
            continue;
        };
        let sla = &sc.slas[ix];
        obs.push(format!(
            "{} breached at severity {sev} (due {}, started {}).",
            sla.name,
            clock(sc, due),
            s.started_at.map_or_else(String::new, |t| clock(sc, t))
        ));
        minutes += m.ended_at.since(due);
        let owner = sla_owner(sc, ix);
        who.get_or_insert(owner);
        // What moved the severity: actions that set it, injects that read it.
        for (i, a) in sc.actions.iter().enumerate() {
            if touches(&a.effects, sla.severity) && taken(st, i) {
                quotes.extend(action_quote(sc, a.id.as_str()));
            }
        }
        for (i, inj) in sc.injects.iter().enumerate() {
            let Some(i) = InjectIx::at(i) else { continue };
            if let crate::engine::model::Trigger::When(cond, _) = &inj.trigger
                && delivered(st, i)
                && cond.any(|c| matches!(c, Cond::Is(ValueRef::Var(v)) | Cond::AtLeast(ValueRef::Var(v), _) | Cond::AtMost(ValueRef::Var(v), _) | Cond::Equals(ValueRef::Var(v), _) if *v == sla.severity))
            {
                quotes.extend(inject_quote(sc, i));
            }
        }
    }
    let changes: Vec<String> = st
        .log
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::VariableChanged { variable, from, to }
                if breached.iter().any(|s| {
                    sc.slas
                        .iter()
                        .any(|x| x.id == s.sla && x.severity == *variable)
                }) =>
            {
                Some(format!("{from} \u{2192} {to} at {}", clock(sc, e.at)))
            }
            _ => None,
        })
        .collect();
    let ana = if changes.is_empty() {
        "The severity never changed: the scoring rule's first answer set the clock for the whole exercise, whatever the business impact became.".to_owned()
    } else {
        format!(
            "The severity changed ({}); a higher severity shortens the target, so a late re-score can breach at once.",
            list(&changes)
        )
    };
    let f = finding(
        sc,
        Topic::Sla,
        format!("{} breached", count(breached.len(), "SLA", "SLAs")),
        obs.join(" "),
        ana,
        "Review the severity scoring with the business side: give the responders a documented path to the top priority (who may raise it, on what evidence) and make sure someone on the customer side can acknowledge at every hour the contract covers. Test it in a joint exercise.".into(),
        "Review severity scoring and the path to top priority; staff acknowledgement for every contracted hour".into(),
        Some(minutes),
        Remedy::EscalationPath,
        Capability::Planning,
        who,
        Priority::Medium,
    );
    out.push((true, Draft { f, quotes }));
    out
}

/// The role that answers for an SLA: a taker of the actions its `met` reads, else the most
/// senior role among those who see it.
pub(super) fn sla_owner(sc: &Scenario, ix: usize) -> RoleIx {
    let sla = &sc.slas[ix];
    let mut found: Option<RoleIx> = None;
    walk_takers(sc, &sla.met, &mut found);
    found
        // The most senior; among equals, the first declared.
        .or_else(|| {
            sla.audience
                .roles()
                .min_by_key(|r| std::cmp::Reverse(sc.role(*r).authority))
        })
        .unwrap_or_default()
}

/// The first role able to take an action the condition reads (`Taken`, `Completed`).
pub(super) fn walk_takers(sc: &Scenario, c: &Cond, found: &mut Option<RoleIx>) {
    c.walk(&mut |c| {
        if let Cond::Happened(CondMark::Taken(a) | CondMark::Completed(a)) = c
            && found.is_none()
        {
            *found = sc.action(*a).by.first().copied();
        }
    });
}
