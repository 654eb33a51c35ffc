//! Evidence, the escalation path used, and objectives met or missed when the gap detectors
//! have nothing to measure.

use std::fmt::Write as _;

use super::{
    ActionKind, Actor, BTreeSet, Capability, Cond, CondMark, Ctx, Draft, EventKind, Priority,
    Rating, Remedy, RoleIx, Side, Stance, Topic, ValueRef, action_quote, clock, delivered, finding,
    first_of_side, inject_quote, list, option_label, option_quote, stage_name, taken, touches,
};
use crate::engine::model::{InjectIx, VarIx};

pub(super) fn evidence(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m, st) = (c.sc, c.m, c.st);
    let ev = m.evidence.as_ref()?;
    let var = VarIx::at(sc.variables.iter().position(|v| v.id == ev.variable)?)?;
    let who = sc.variables[var]
        .audience
        .roles()
        .find(|r| sc.role(*r).side == Side::Response)
        .or_else(|| first_of_side(sc, Side::Response));
    let mut quotes = Vec::new();
    for (i, a) in sc.actions.iter().enumerate() {
        if touches(&a.effects, var) && taken(st, i) {
            quotes.extend(action_quote(sc, a.id.as_str()));
        }
    }
    for (i, inj) in sc.injects.iter().enumerate() {
        let Some(i) = InjectIx::at(i) else { continue };
        if touches(&inj.effects, var) && delivered(st, i) {
            quotes.extend(inject_quote(sc, i));
        }
    }
    if ev.value >= ev.initial {
        let f = finding(
            sc,
            Topic::Evidence,
            format!("Evidence kept ({} of {})", ev.value, ev.max),
            format!(
                "Evidence preserved went from {} to {} (of {}).",
                ev.initial, ev.value, ev.max
            ),
            "An investigation after the exercise would still have what it needs.".into(),
            "Keep it: make the preservation steps that worked part of the containment playbook."
                .into(),
            String::new(),
            None,
            Remedy::Keep,
            Capability::Equipment,
            who,
            Priority::Low,
        );
        return Some((false, Draft { f, quotes }));
    }
    // What lowered it: the cause logged just before each drop, at the same minute.
    let mut drops = Vec::new();
    for (k, e) in st.log.iter().enumerate() {
        let EventKind::VariableChanged { variable, from, to } = &e.kind else {
            continue;
        };
        if *variable != var || to >= from {
            continue;
        }
        let cause = st.log[..k]
            .iter()
            .rev()
            .take_while(|p| p.at == e.at)
            .find_map(|p| match &p.kind {
                EventKind::ThreatAdvanced { stage } => Some(format!(
                    "the attacker reaching {}",
                    stage_name(sc, usize::from(*stage))
                )),
                EventKind::ActionCompleted { action, .. } => Some(sc.action(*action).name.clone()),
                EventKind::InjectDelivered { inject, .. } => {
                    let inj = sc.inject(*inject);
                    Some(if inj.subject.is_empty() {
                        inj.id.to_string()
                    } else {
                        inj.subject.to_string()
                    })
                }
                _ => None,
            });
        drops.push(format!(
            "\u{2212}{} at {}{}",
            from - to,
            clock(sc, e.at),
            cause.map(|c| format!(" ({c})")).unwrap_or_default()
        ));
    }
    let low = ev.value * 100 < (ev.max - ev.min).max(1) * 40;
    let wname = who.map_or_else(|| "the responders".into(), |r| sc.role(r).name.clone());
    let f = finding(
        sc,
        Topic::Evidence,
        format!("Evidence lost: {} \u{2192} {} (of {})", ev.initial, ev.value, ev.max),
        format!("Evidence preserved fell from {} to {} (of {}): {}.", ev.initial, ev.value, ev.max, list(&drops)),
        "What is lost here is what an investigation, an insurer or a regulator will ask for later: how the attacker got in and what they touched.".into(),
        "Onboard the log sources an investigation needs (forwarding to the SIEM, retention long enough to reach back to the initial access), and put evidence preservation (memory, a triage package, log export) into the containment playbook before any disruptive step.".into(),
        format!("Onboard log sources and retention; preservation steps in the playbook ({wname})"),
        None,
        Remedy::Onboarding,
        Capability::Equipment,
        who,
        if low { Priority::High } else { Priority::Medium },
    );
    Some((true, Draft { f, quotes }))
}

pub(super) fn escalation_used(c: &Ctx<'_>) -> Option<Draft> {
    let sc = c.sc;
    let mut facts = Vec::new();
    let mut quotes = Vec::new();
    let mut who = None;
    for e in &c.st.log {
        if let EventKind::DecisionMade {
            inject,
            option,
            by: Actor::Role(r),
        } = e.kind
        {
            let stance = sc
                .inject(inject)
                .prompt
                .as_ref()
                .and_then(|p| p.options.get(usize::from(option)))
                .map(|o| o.stance);
            if stance == Some(Stance::Escalate) {
                who.get_or_insert(Some(r));
                facts.push(format!(
                    "The {} answered {} at {}",
                    sc.role(r).name,
                    option_label(sc, inject, option),
                    clock(sc, e.at)
                ));
                quotes.extend(option_quote(
                    sc,
                    sc.inject(inject).id.as_str(),
                    sc.option_id(inject, option).unwrap_or_default(),
                ));
            }
        }
    }
    if facts.is_empty() {
        return None;
    }
    let f = finding(
        sc,
        Topic::Escalation,
        "The decision was passed to someone who could make it".into(),
        format!("{}.", list(&facts)),
        "Knowing what you may not decide, and who can, is the escalation path working.".into(),
        "Keep it: write the path down so the next person on call knows it too.".into(),
        String::new(),
        None,
        Remedy::Keep,
        Capability::Organization,
        who.flatten(),
        Priority::Low,
    );
    Some(Draft { f, quotes })
}

pub(super) fn objectives_met(c: &Ctx<'_>) -> Option<Draft> {
    let sc = c.sc;
    // An objective met while nobody did anything (a relationship never strained because
    // nobody talked) is no strength of the players.
    let anyone_acted = c.m.roles.iter().any(|r| {
        let n = &r.counts;
        n.actions_taken + n.decisions + n.approvals_given + n.approvals_denied > 0
    });
    if !anyone_acted {
        return None;
    }
    let p: Vec<String> =
        c.m.objectives
            .iter()
            .filter(|o| o.rating == Rating::P)
            .filter_map(|o| sc.objectives.iter().find(|x| x.id == o.objective))
            .map(|o| format!("\u{201c}{}\u{201d}", o.text.trim_end_matches('.')))
            .collect();
    if p.is_empty() {
        return None;
    }
    let f = finding(
        sc,
        Topic::Objectives,
        if p.len() == 1 {
            format!("Objective performed without challenges: {}", p[0])
        } else {
            format!("{} objectives performed without challenges", p.len())
        },
        format!("Rated P: {}.", list(&p)),
        "These parts of the plan held under pressure.".into(),
        "Keep them: note what made them work in the hot wash.".into(),
        String::new(),
        None,
        Remedy::Keep,
        Capability::Planning,
        None,
        Priority::Low,
    );
    Some(Draft {
        f,
        quotes: Vec::new(),
    })
}

pub(super) fn values(c: &Cond, out: &mut Vec<VarIx>) {
    c.walk(&mut |c| {
        if let Cond::Is(ValueRef::Var(v))
        | Cond::AtLeast(ValueRef::Var(v), _)
        | Cond::AtMost(ValueRef::Var(v), _)
        | Cond::Equals(ValueRef::Var(v), _) = c
        {
            out.push(*v);
        }
    });
}

pub(super) fn marks(c: &Cond, out: &mut Vec<CondMark>) {
    c.walk(&mut |c| match c {
        Cond::Happened(m) => out.push(*m),
        Cond::Within { from, to, .. } => {
            out.push(*from);
            out.push(*to);
        }
        _ => {}
    });
}

/// A moment a rating rule waits for, in words, with its owner, whether it happened, and
/// its debrief note.
pub(super) fn moment(
    c: &Ctx<'_>,
    mk: CondMark,
) -> Option<(String, Option<RoleIx>, bool, Option<String>)> {
    let (sc, st) = (c.sc, c.st);
    Some(match mk {
        CondMark::Start | CondMark::Stage(_) => return None,
        CondMark::Delivered(i) => {
            let inj = sc.inject(i);
            let name = crate::report::words::inject_name(sc, inj.id.as_str());
            let to = inj.to.roles().next();
            (
                format!("\u{201c}{name}\u{201d} delivered"),
                to,
                delivered(st, i),
                inject_quote(sc, i),
            )
        }
        CondMark::Taken(a) | CondMark::Completed(a) => {
            let act = sc.action(a);
            let done = if matches!(mk, CondMark::Taken(_)) {
                st.actions[a].first_taken.is_some()
            } else {
                st.actions[a].first_completed.is_some()
            };
            (
                format!(
                    "\u{201c}{}\u{201d} {}",
                    act.name,
                    if matches!(mk, CondMark::Taken(_)) {
                        "taken"
                    } else {
                        "completed"
                    }
                ),
                act.by.first().copied(),
                done,
                action_quote(sc, act.id.as_str()),
            )
        }
        CondMark::Chose(i, o) => {
            let p = sc.inject(i).prompt.as_ref()?;
            let opt = p.options.get(usize::from(o))?;
            let done = st.choices.iter().any(|x| x.inject == i && x.option == o);
            (
                format!("{} chosen", option_label(sc, i, o)),
                p.by.first().copied(),
                done,
                option_quote(sc, sc.inject(i).id.as_str(), opt.id.as_str()),
            )
        }
    })
}

/// For a scenario with neither milestones nor action kinds, the gap detectors are blind:
/// each objective rated M or U becomes an area, explained by the moments its rating rules
/// wait for that never came.
pub(super) fn objectives_unmet(c: &Ctx<'_>) -> Vec<Draft> {
    let sc = c.sc;
    if !sc.milestones.is_empty() || sc.actions.iter().any(|a| a.kind != ActionKind::Other) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for r in &c.m.objectives {
        if !matches!(r.rating, Rating::M | Rating::U) {
            continue;
        }
        let Some(o) = sc.objectives.iter().find(|o| o.id == r.objective) else {
            continue;
        };
        let better: Vec<&Cond> = o
            .ratings
            .iter()
            .filter(|(x, _)| *x < r.rating)
            .map(|(_, c)| c)
            .collect();
        let mut mks = Vec::new();
        for cond in &better {
            marks(cond, &mut mks);
        }
        let mut missed = Vec::new();
        let mut came = Vec::new();
        let mut quotes = Vec::new();
        let mut who = None;
        let mut seen = BTreeSet::new();
        for mk in mks {
            let Some((words, owner, done, quote)) = moment(c, mk) else {
                continue;
            };
            if !seen.insert(words.clone()) {
                continue;
            }
            if done {
                came.push(words);
            } else {
                who = who.or(owner);
                missed.push(words);
                quotes.extend(quote);
            }
        }
        let mut obs = format!(
            "Rated {:?} ({}): \u{201c}{}\u{201d}.",
            r.rating,
            crate::report::words::rating_text(r.rating).to_lowercase(),
            o.text.trim_end_matches('.')
        );
        if !missed.is_empty() {
            let _ = write!(
                obs,
                " A better rating needed: {}; none of these happened.",
                list(&missed)
            );
        }
        let mut vars = Vec::new();
        for cond in &better {
            values(cond, &mut vars);
        }
        vars.sort_unstable();
        vars.dedup();
        let state: Vec<String> = vars
            .iter()
            .map(|v| format!("{} ended at {}", sc.variables[*v].name, c.st.vars[*v]))
            .collect();
        let ana = if !state.is_empty() && missed.is_empty() {
            format!(
                "Its rules read the state at the end, which did not reach the level needed: {}.",
                list(&state)
            )
        } else if came.is_empty() {
            "The moments the scenario's rules look for never came, so the objective could not be shown.".to_owned()
        } else {
            format!(
                "Some of what the rules look for did happen ({}), but not all of it, or not in time.",
                list(&came)
            )
        };
        let owner_words =
            who.map_or_else(String::new, |r| format!(" (the {} first)", sc.role(r).name));
        let f = finding(
            sc,
            Topic::Objectives,
            format!("Objective not met: {}", o.text.trim_end_matches('.')),
            obs,
            ana,
            format!(
                "In the hot wash, walk through what would have made this objective achievable and who owns each step{owner_words}; then rehearse that path in a joint tabletop exercise between the management and response sides."
            ),
            format!(
                "Joint exercise on the path to: {}",
                o.text.trim_end_matches('.')
            ),
            None,
            Remedy::JointExercise,
            Capability::Exercises,
            who,
            if r.rating == Rating::U {
                Priority::Medium
            } else {
                Priority::Low
            },
        );
        out.push(Draft { f, quotes });
    }
    out
}
