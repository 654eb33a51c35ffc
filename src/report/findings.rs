//! Strengths and areas for improvement, derived from the metrics and the log, never canned:
//! each gap (the wait for authority, late or missing escalation, triage or containment,
//! decisions left to expire, actions outside the rules, SLA breaches, evidence lost) is
//! measured, ranked by priority and by the minutes it lasted, explained with what happened
//! and with the scenario's own debrief notes, and mapped to one of the remedies the field
//! knows (pre-authorised playbooks, escalation paths, onboarding, joint exercises,
//! embedding) and to an HSEEP capability element.

// `c` (context), `m` (metrics), `f` (finding), `t` (time) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use std::collections::BTreeSet;

use crate::engine::event::{Actor, EventKind};
use crate::engine::ids::RoleId;
use crate::engine::model::{
    ActionKind, Cond, Effect, Mark as CondMark, Milestone, Outcome, Rating, RoleIx, Scenario, Side,
    Stance, ValueRef, WithoutAuthority,
};
use crate::engine::model::{InjectIx, VarIx};
use crate::engine::state::State;
use crate::engine::time::GameTime;

use super::document::{Capability, Finding, PlayedBy, Priority, Remedy, Topic};
use super::facts::Fact;
use super::metrics::{CrossingKind, Metrics, Source, unused_playbooks};
use super::words::{
    action_name, clock, count, dur, list, names, option_label, option_label_of, outcome_word,
    question, quoted, role_name, short, sla_name, stage_name, when,
};
use crate::engine::model::StageIx;

mod authority;
mod containment;
mod escalation;
mod objectives;
mod slas;

use authority::authority;
use containment::{containment, expired, rogue};
use escalation::{escalation, triage};
use objectives::{escalation_used, evidence, objectives_met, objectives_unmet};
use slas::slas;

/// Minutes within which triage and escalation count as quick.
pub const QUICK: u32 = 15;
/// Minutes of waiting for authority that count as a problem even if the attacker did not
/// move on meanwhile.
pub const LONG_WAIT: u32 = 30;

pub(super) struct Ctx<'a> {
    pub sc: &'a Scenario,
    pub st: &'a State,
    pub m: &'a Metrics,
    pub played_by: &'a dyn Fn(&RoleId) -> PlayedBy,
}

struct Draft {
    f: Finding,
    quotes: Vec<String>,
}

fn at_of(m: &Metrics, ms: Milestone) -> Option<GameTime> {
    m.milestones[ms.index()].at
}

fn judged(sc: &Scenario, ms: Milestone, kinds: &[ActionKind]) -> bool {
    sc.milestones.iter().any(|(x, _)| *x == ms)
        || sc.actions.iter().any(|a| kinds.contains(&a.kind))
}

fn role_ix(sc: &Scenario, r: &RoleId) -> Option<RoleIx> {
    sc.role_index(r.as_str())
}

/// The stages first reached in `(from, to]`: their indices and times.
fn stages_in(m: &Metrics, from: GameTime, to: GameTime) -> Vec<(usize, GameTime)> {
    m.threat.as_ref().map_or_else(Vec::new, |t| {
        t.entered
            .iter()
            .enumerate()
            .filter_map(|(i, (_, at))| at.filter(|a| *a > from && *a <= to).map(|a| (i, a)))
            .collect()
    })
}

/// Stages first reached in `(from, to]`, with their times.
fn stages_between(sc: &Scenario, m: &Metrics, from: GameTime, to: GameTime) -> Vec<String> {
    stages_in(m, from, to)
        .into_iter()
        .map(|(i, a)| format!("{} at {}", stage_name(sc, i), clock(sc, a)))
        .collect()
}

/// The same stages as facts to check.
fn stage_facts(m: &Metrics, from: GameTime, to: GameTime) -> Vec<Fact> {
    stages_in(m, from, to)
        .into_iter()
        .filter_map(|(i, a)| Some(Fact::Stage(StageIx::try_from(i).ok()?, Some(a))))
        .collect()
}

/// What a list of calls across the boundary claims: that nothing crossed, or when each
/// did, and that the unanswered ones were never answered.
fn crossing_facts(
    sc: &Scenario,
    calls: &[&super::metrics::Crossing],
    unanswered: &[&&super::metrics::Crossing],
) -> Vec<Fact> {
    if calls.is_empty() {
        return vec![Fact::NothingCrossed];
    }
    let mut v: Vec<Fact> = calls.iter().map(|x| Fact::Crossed(x.at)).collect();
    for x in unanswered {
        let to = x.to.iter().filter_map(|r| role_ix(sc, r)).collect();
        // Until the same sender called them again: a call that rang out, then another.
        let next = calls
            .iter()
            .filter(|d| d.at > x.at && d.from == x.from && d.to.iter().any(|r| x.to.contains(r)))
            .map(|d| d.at)
            .min();
        v.push(Fact::Unanswered(x.at, next, to));
    }
    v
}

/// The index of the last stage reached at or before `t`.
/// The stage the attacker reached last by `t` (on parallel paths, the latest; at the same
/// minute, the one listed later).
fn stage_at(m: &Metrics, t: GameTime) -> Option<usize> {
    m.threat.as_ref().and_then(|th| {
        th.entered
            .iter()
            .enumerate()
            .filter_map(|(i, (_, at))| at.filter(|a| *a <= t).map(|a| (a, i)))
            .max()
            .map(|(_, i)| i)
    })
}

/// How many stages stage `s` is from the start along its path (the first stage: 0).
fn stage_depth(sc: &Scenario, s: usize) -> usize {
    let Some(th) = &sc.threat else { return 0 };
    let mut depth = 0;
    let mut at = th.stages.get(s).and_then(|x| x.from);
    // `from` always names an earlier stage, so this ends.
    while let Some(f) = at {
        depth += 1;
        at = th.stages.get(usize::from(f)).and_then(|x| x.from);
    }
    depth
}

fn ending_debrief(c: &Ctx<'_>) -> Option<String> {
    let id = c.m.ending.as_ref()?;
    let e = c.sc.endings.iter().find(|e| e.id == *id)?;
    quote(&format!("Ending \u{201c}{}\u{201d}", e.title), &e.debrief)
}

fn quote(source: &str, note: &str) -> Option<String> {
    (!note.trim().is_empty()).then(|| format!("{source}: {}", note.trim()))
}

fn inject_quote(sc: &Scenario, i: InjectIx) -> Option<String> {
    let inj = sc.inject(i);
    let name = if inj.subject.is_empty() {
        inj.id.to_string()
    } else {
        inj.subject.to_string()
    };
    quote(&format!("Inject \u{201c}{name}\u{201d}"), &inj.debrief)
}

fn action_quote(sc: &Scenario, a: &str) -> Option<String> {
    let i = sc.action_index(a)?;
    let act = sc.action(i);
    quote(
        &format!("Action \u{201c}{}\u{201d}", act.name),
        &act.debrief,
    )
}

fn option_quote(sc: &Scenario, inject: &str, option: &str) -> Option<String> {
    let p = sc.inject(sc.inject_index(inject)?).prompt.as_ref()?;
    let o = p.options.iter().find(|o| o.id.as_str() == option)?;
    quote(
        &format!("Answer {}", quoted(&short(&o.label, 70))),
        &o.debrief,
    )
}

fn delivered(st: &State, i: InjectIx) -> bool {
    st.injects[i].deliveries > 0
}

fn taken(st: &State, a: usize) -> bool {
    st.actions[a].first_taken.is_some()
}

fn schedules(effects: &[Effect], out: &mut Vec<InjectIx>) {
    Effect::walk(effects, &mut |e| {
        if let Effect::Schedule(i, _) = e {
            out.push(*i);
        }
    });
}

/// Whether the effects change a variable.
fn touches(effects: &[Effect], var: VarIx) -> bool {
    let mut found = false;
    Effect::walk(effects, &mut |e| {
        found |= matches!(e, Effect::Set(v, _) | Effect::Add(v, _) | Effect::Copy(v, _)
            | Effect::AddFrom(v, _) if *v == var);
    });
    found
}

/// The role that can authorise an action: its approvers, else the most senior management role.
fn authoriser(sc: &Scenario, action: Option<usize>) -> Option<RoleIx> {
    if let Some(a) = action.map(|a| &sc.actions[a]) {
        if let WithoutAuthority::Approval(v) = &a.without_authority
            && let Some(r) = v.first()
        {
            return Some(*r);
        }
        if let Some(r) = sc
            .roles
            .iter()
            .enumerate()
            .filter(|(_, r)| r.level(a.domain) >= a.authority && r.side != Side::Response)
            .max_by_key(|(i, r)| (r.level(a.domain), usize::MAX - i))
        {
            return RoleIx::try_from(r.0).ok();
        }
    }
    senior(sc, Side::Management)
}

fn senior(sc: &Scenario, side: Side) -> Option<RoleIx> {
    sc.roles
        .iter()
        .enumerate()
        .filter(|(_, r)| r.side == side)
        .max_by_key(|(i, r)| (r.authority, usize::MAX - i))
        .and_then(|(i, _)| RoleIx::try_from(i).ok())
}

fn first_of_side(sc: &Scenario, side: Side) -> Option<RoleIx> {
    sc.roles
        .iter()
        .position(|r| r.side == side)
        .and_then(|i| RoleIx::try_from(i).ok())
}

/// The first role able to take an action of one of these kinds.
fn taker(sc: &Scenario, kinds: &[ActionKind]) -> Option<RoleIx> {
    sc.actions
        .iter()
        .find(|a| kinds.contains(&a.kind))
        .and_then(|a| a.by.first().copied())
}

fn owner(sc: &Scenario, r: Option<RoleIx>) -> (Option<RoleId>, String) {
    match r {
        Some(r) => (Some(sc.role(r).id.clone()), sc.role(r).name.clone()),
        None => (None, "the exercise's sponsor".into()),
    }
}

#[allow(clippy::too_many_arguments)]
fn finding(
    sc: &Scenario,
    topic: Topic,
    title: String,
    observation: String,
    analysis: String,
    recommendation: String,
    corrective_action: String,
    minutes: Option<u32>,
    remedy: Remedy,
    capability: Capability,
    who: Option<RoleIx>,
    priority: Priority,
) -> Finding {
    let (owner, owner_name) = owner(sc, who);
    Finding {
        topic,
        title,
        observation,
        analysis,
        recommendation,
        debrief: Vec::new(),
        minutes,
        remedy,
        capability,
        owner,
        owner_name,
        priority,
        corrective_action,
        facts: Vec::new(),
    }
}

/// The containment action the wait was about: the first one someone asked approval for or
/// was refused, else the first containment its responders cannot take on their own.
fn focus_action(c: &Ctx<'_>) -> Option<usize> {
    let sc = c.sc;
    let by_id = |a: &str| sc.action_index(a).map(crate::engine::model::ActionIx::ix);
    c.m.approvals
        .iter()
        .find_map(|w| by_id(w.action.as_str()))
        .or_else(|| {
            c.m.refusals
                .iter()
                .find_map(|r| r.action.as_ref().and_then(|a| by_id(a.as_str())))
        })
        .or_else(|| {
            sc.actions.iter().position(|a| {
                a.kind == ActionKind::Contain
                    && a.by
                        .iter()
                        .any(|r| sc.role(*r).level(a.domain) < a.authority)
            })
        })
}

fn played(c: &Ctx<'_>, r: RoleIx) -> String {
    let id = &c.sc.role(r).id;
    match (c.played_by)(id) {
        PlayedBy::Nobody => "nobody played it".into(),
        p => format!("played by {}", p.label()),
    }
}

fn never_acted(c: &Ctx<'_>, r: RoleIx) -> bool {
    c.m.roles[usize::from(r)].first_command_at.is_none()
}

/// Drops the full stop after a quotation that already ends its sentence (`"... stand-up.".`).
fn tidy(s: &str) -> String {
    for end in [
        ".\".",
        "?\".",
        "!\".",
        ".\u{201d}.",
        "?\u{201d}.",
        "!\u{201d}.",
    ] {
        if let Some(t) = s.strip_suffix('.')
            && s.ends_with(end)
        {
            return t.to_owned();
        }
    }
    s.to_owned()
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().collect::<String>() + c.as_str()
        }
        _ => s.to_owned(),
    }
}

/// Derives the strengths and the ranked areas for improvement, debrief notes attached (each
/// note quoted once, in the first finding that claims it).
pub(super) fn derive(c: &Ctx<'_>) -> (Vec<Finding>, Vec<Finding>) {
    let mut strengths: Vec<Draft> = Vec::new();
    let mut areas: Vec<Draft> = Vec::new();
    let auth = authority(c);
    let authority_gap = auth.as_ref().is_some_and(|(a, _)| *a);
    let mut all = vec![
        auth,
        containment(c, authority_gap),
        escalation(c),
        triage(c),
        rogue(c),
        expired(c),
    ];
    all.extend(slas(c).into_iter().map(Some));
    all.push(evidence(c));
    for (is_area, d) in all.into_iter().flatten() {
        if is_area {
            areas.push(d);
        } else {
            strengths.push(d);
        }
    }
    areas.extend(objectives_unmet(c));
    strengths.extend(escalation_used(c));
    strengths.extend(objectives_met(c));
    // Rank: priority, then the minutes the gap lasted, then the order above (stable sort).
    areas.sort_by_key(|d| (d.f.priority, std::cmp::Reverse(d.f.minutes.unwrap_or(0))));
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut attach = |v: Vec<Draft>| -> Vec<Finding> {
        v.into_iter()
            .map(|mut d| {
                for q in d.quotes {
                    if d.f.debrief.len() < 3 && used.insert(q.clone()) {
                        d.f.debrief.push(q);
                    }
                }
                d.f
            })
            .collect()
    };
    let mut areas = attach(areas);
    let mut strengths = attach(strengths);
    for f in areas.iter_mut().chain(&mut strengths) {
        f.facts.extend(topic_facts(c, f.topic));
    }
    (strengths, areas)
}

/// The facts every finding of a topic rests on, from the metrics its builder reads: the
/// moments it times, the stages, the expiries, the actions outside the rules, the SLAs and
/// the ratings. Each is checked against the log by the tests ([`Fact`]).
fn topic_facts(c: &Ctx<'_>, topic: Topic) -> Vec<Fact> {
    let (sc, m) = (c.sc, c.m);
    let moment = |ms: Milestone| milestone_fact(m, ms);
    let stages = || stage_facts(m, GameTime::ZERO, m.ended_at);
    let mut v = vec![Fact::Ended(m.ended_at)];
    match topic {
        Topic::Authority => {
            v.extend(moment(Milestone::DecisionNeeded));
            v.extend(moment(Milestone::Authorised));
            v.extend(stages());
            for p in &m.preapproved {
                if let Some(a) = sc.action_index(p.action.as_str()) {
                    v.push(Fact::Taken(
                        a,
                        Some(first_taken(m, &p.action).unwrap_or(p.at)),
                    ));
                }
            }
        }
        Topic::Containment => {
            v.extend(moment(Milestone::Contained));
            v.extend(stages());
        }
        Topic::Escalation | Topic::Triage => v.extend(stages()),
        Topic::Decisions => {
            for e in &m.expired_prompts {
                if let Some(i) = sc.inject_index(e.inject.as_str()) {
                    v.push(Fact::Expired(i, e.at));
                }
            }
        }
        Topic::OutsideTheRules => {
            for r in &m.rogue {
                if let Some(a) = sc.action_index(r.action.as_str()) {
                    v.push(Fact::Taken(
                        a,
                        Some(first_taken(m, &r.action).unwrap_or(r.at)),
                    ));
                }
            }
        }
        Topic::Sla => {
            for o in &m.slas {
                if let Some(i) = sc.slas.iter().position(|x| x.id == o.sla)
                    && let Ok(i) = crate::engine::model::SlaIx::try_from(i)
                {
                    v.push(Fact::SlaBreached(i, o.breached.is_some()));
                }
            }
        }
        Topic::Objectives | Topic::Evidence => {
            for o in &m.objectives {
                if let Some(i) = sc.objectives.iter().position(|x| x.id == o.objective)
                    && let Ok(i) = crate::engine::model::ObjectiveIx::try_from(i)
                {
                    v.push(Fact::Rated(i, o.rating));
                }
            }
        }
    }
    v
}

/// When a milestone was reached, as a fact to check, when the report read it from the
/// scenario's own condition (the log's `MilestoneReached`), not inferred or implied.
fn milestone_fact(m: &Metrics, ms: Milestone) -> Option<Fact> {
    let t = &m.milestones[ms.index()];
    matches!(t.source, Source::Scenario | Source::NotReached).then(|| Fact::Milestone(ms, t.at))
}

/// The first time an action was taken, by anyone, as the metrics saw it.
fn first_taken(m: &Metrics, action: &crate::engine::ids::ActionId) -> Option<GameTime> {
    m.preapproved
        .iter()
        .chain(&m.rogue)
        .filter(|t| t.action == *action)
        .map(|t| t.at)
        .min()
}
