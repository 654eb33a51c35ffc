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
use std::fmt::Write as _;

use crate::engine::event::{Actor, EventKind};
use crate::engine::ids::RoleId;
use crate::engine::model::{
    ActionKind, Cond, Effect, Mark as CondMark, Milestone, Outcome, Rating, RoleIx, Scenario, Side,
    Stance, ValueRef, WithoutAuthority,
};
use crate::engine::state::State;
use crate::engine::time::GameTime;

use super::document::{Capability, Finding, PlayedBy, Priority, Remedy, Topic};
use super::metrics::{CrossingKind, Metrics, Source, unused_playbooks};
use super::words::{
    action_name, clock, count, dur, list, names, option_label, option_label_of, outcome_word,
    question, quoted, role_name, short, sla_name, stage_name, when,
};

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

/// Stages first reached in `(from, to]`, with their times.
fn stages_between(sc: &Scenario, m: &Metrics, from: GameTime, to: GameTime) -> Vec<String> {
    let Some(t) = &m.threat else {
        return Vec::new();
    };
    t.entered
        .iter()
        .enumerate()
        .filter_map(|(i, (_, at))| {
            at.filter(|a| *a > from && *a <= to)
                .map(|a| format!("{} at {}", stage_name(sc, i), clock(sc, a)))
        })
        .collect()
}

/// The index of the last stage reached at or before `t`.
fn stage_at(m: &Metrics, t: GameTime) -> Option<usize> {
    m.threat.as_ref().and_then(|th| {
        th.entered
            .iter()
            .enumerate()
            .filter(|(_, (_, at))| at.is_some_and(|a| a <= t))
            .map(|(i, _)| i)
            .next_back()
    })
}

fn ending_debrief(c: &Ctx<'_>) -> Option<String> {
    let id = c.m.ending.as_ref()?;
    let e = c.sc.endings.iter().find(|e| e.id == *id)?;
    quote(&format!("Ending \u{201c}{}\u{201d}", e.title), &e.debrief)
}

fn quote(source: &str, note: &str) -> Option<String> {
    (!note.trim().is_empty()).then(|| format!("{source}: {}", note.trim()))
}

fn inject_quote(sc: &Scenario, i: u32) -> Option<String> {
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

fn delivered(st: &State, i: u32) -> bool {
    st.injects[i as usize].deliveries > 0
}

fn taken(st: &State, a: usize) -> bool {
    st.actions[a].first_taken.is_some()
}

fn schedules(effects: &[Effect], out: &mut Vec<u32>) {
    for e in effects {
        match e {
            Effect::Schedule(i, _) => out.push(*i),
            Effect::If(b) => {
                schedules(&b.then, out);
                schedules(&b.otherwise, out);
            }
            _ => {}
        }
    }
}

/// Whether the effects change a variable.
fn touches(effects: &[Effect], var: u32) -> bool {
    effects.iter().any(|e| match e {
        Effect::Set(v, _) | Effect::Add(v, _) => *v == var,
        Effect::If(b) => touches(&b.then, var) || touches(&b.otherwise, var),
        _ => false,
    })
}

fn cond_reads(c: &Cond, f: &dyn Fn(&Cond) -> bool) -> bool {
    if f(c) {
        return true;
    }
    match c {
        Cond::All(cs) | Cond::Any(cs) => cs.iter().any(|c| cond_reads(c, f)),
        Cond::Not(c) => cond_reads(c, f),
        _ => false,
    }
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
            .filter(|(_, r)| r.authority >= a.authority && r.side != Side::Response)
            .max_by_key(|(i, r)| (r.authority, usize::MAX - i))
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
    }
}

/// The containment action the wait was about: the first one someone asked approval for or
/// was refused, else the first containment its responders cannot take on their own.
fn focus_action(c: &Ctx<'_>) -> Option<usize> {
    let sc = c.sc;
    let by_id = |a: &str| sc.action_index(a).map(|i| i as usize);
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
                    && a.by.iter().any(|r| sc.role(*r).authority < a.authority)
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

fn authority(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    let need_t = at_of(m, Milestone::DecisionNeeded)?;
    let wait = m.waiting_on_authority?;
    let end = if m.authority_never_came {
        m.ended_at
    } else {
        at_of(m, Milestone::Authorised).unwrap_or(m.ended_at)
    };
    let moved = stages_between(sc, m, need_t, end);
    let focus = focus_action(c);
    let auth = authoriser(sc, focus);
    let auth_the = auth.map_or_else(
        || "someone with the authority".into(),
        |r| format!("the {}", sc.role(r).name),
    );
    let mut quotes = Vec::new();
    let problem = m.authority_never_came || !moved.is_empty() || wait > LONG_WAIT;
    if !problem {
        let how = if let Some(p) = m.preapproved.first() {
            format!(
                "the {} took \u{201c}{}\u{201d} under a pre-approved playbook at {}",
                role_name(sc, &p.by),
                action_name(sc, p.action.as_str()),
                clock(sc, p.at)
            )
        } else {
            format!("an authorised decision followed at {}", clock(sc, end))
        };
        quotes.extend(
            m.preapproved
                .iter()
                .filter_map(|p| action_quote(sc, p.action.as_str())),
        );
        let f = finding(
            sc,
            Topic::Authority,
            format!("Authorised decision in {}", dur(wait)),
            format!(
                "From {}, a decision was needed that the people handling the incident were not authorised to make; {how}: a wait of {}.",
                when(sc, need_t),
                dur(wait)
            ),
            "The attacker reached no new stage while the decision was pending, so authority was not the bottleneck.".into(),
            "Keep it: write down what made it quick (a signed playbook, a phone that was answered, a deputy) so it does not depend on who is on call.".into(),
            String::new(),
            Some(wait),
            Remedy::Keep,
            Capability::Planning,
            auth,
            Priority::Low,
        );
        return Some((false, Draft { f, quotes }));
    }

    let mut obs = Vec::new();
    let source = m.milestones[Milestone::DecisionNeeded.index()].source;
    let need_why = match (source, focus) {
        (Source::Implied, Some(a)) => {
            let act = &sc.actions[a];
            let resp: Vec<String> = act
                .by
                .iter()
                .filter(|r| sc.role(**r).authority < act.authority)
                .map(|r| format!("the {} has {}", sc.role(*r).name, sc.role(*r).authority))
                .collect();
            format!(
                "From {}, the first alert, a decision was needed that the responders were not authorised to make: {} needs authority {} ({}) and no playbook covered it.",
                when(sc, need_t),
                act.name,
                act.authority,
                list(&resp)
            )
        }
        _ => format!(
            "From {}, a decision was needed that the people handling the incident were not authorised to make.",
            when(sc, need_t)
        ),
    };
    obs.push(need_why);
    if m.authority_never_came {
        obs.push(format!(
            "Nobody with the authority decided before the exercise ended at {}: {} of waiting.",
            when(sc, m.ended_at),
            dur(wait)
        ));
    } else {
        obs.push(format!(
            "The authorised decision came at {}, {} later.",
            when(sc, end),
            dur(wait)
        ));
    }
    // What people did about it, in the order it happened.
    let mut facts: Vec<(GameTime, String)> = Vec::new();
    for d in &m.deferrals {
        let label = option_label_of(sc, d.inject.as_str(), d.option.as_str());
        let fact = match &d.by {
            Some(r) => format!(
                "At {} the {} answered {}.",
                clock(sc, d.at),
                role_name(sc, r),
                label
            ),
            None => format!(
                "At {} nobody answered \u{201c}{}\u{201d} and it defaulted to {}.",
                clock(sc, d.at),
                question(sc, d.inject.as_str()),
                label
            ),
        };
        facts.push((d.at, fact));
        quotes.extend(option_quote(sc, d.inject.as_str(), d.option.as_str()));
        if let Some(i) = sc.inject_index(d.inject.as_str()) {
            quotes.extend(inject_quote(sc, i));
        }
    }
    for r in &m.refusals {
        let what = match (&r.action, &r.choice) {
            (Some(a), _) => action_name(sc, a.as_str()),
            (None, Some((i, o))) => {
                format!("answer {}", option_label_of(sc, i.as_str(), o.as_str()))
            }
            _ => "act".into(),
        };
        facts.push((
            r.at,
            format!(
                "At {} the {} tried to {} and was refused: it needs authority {}, the role has {}.",
                clock(sc, r.at),
                role_name(sc, &r.by),
                lower_first(&what),
                r.needed,
                r.has
            ),
        ));
        if let Some((i, o)) = &r.choice {
            quotes.extend(option_quote(sc, i.as_str(), o.as_str()));
        }
    }
    for w in &m.approvals {
        let answer = match (w.answered_at, w.granted) {
            (Some(t), Some(true)) => {
                format!("approved at {} after {}", clock(sc, t), dur(t.since(w.at)))
            }
            (Some(t), _) => format!("denied at {}", clock(sc, t)),
            _ => format!("never answered ({} open)", dur(m.ended_at.since(w.at))),
        };
        facts.push((
            w.at,
            format!(
                "At {} the {} asked the {} to approve {}: {answer}.",
                clock(sc, w.at),
                role_name(sc, &w.by),
                names(sc, &w.approvers),
                quoted(&action_name(sc, w.action.as_str())),
            ),
        ));
        quotes.extend(action_quote(sc, w.action.as_str()));
    }
    facts.sort_by_key(|(t, _)| *t);
    obs.extend(facts.into_iter().map(|(_, f)| tidy(&f)));
    let mut ana = Vec::new();
    if moved.is_empty() {
        ana.push(format!("The wait lasted {}.", dur(wait)));
    } else {
        ana.push(format!(
            "While the decision waited, the attacker moved on: {}.",
            list(&moved)
        ));
    }
    if let Some(a) = auth {
        if never_acted(c, a) {
            ana.push(format!(
                "The {} was the one role that could authorise it, and never took part ({}).",
                sc.role(a).name,
                played(c, a)
            ));
        } else {
            ana.push(format!("Only the {} could authorise it.", sc.role(a).name));
        }
    }
    if m.authority_never_came {
        ana.push(format!(
            "The exercise ended with \u{201c}{}\u{201d}, {}.",
            m.ending_title.clone().unwrap_or_default(),
            outcome_word(m.outcome)
        ));
        quotes.extend(ending_debrief(c));
    }
    let responders = list(
        &focus
            .map(|a| {
                sc.actions[a]
                    .by
                    .iter()
                    .map(|r| sc.role(*r).name.clone())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default(),
    );
    let act_name = focus.map_or_else(
        || "the least disruptive containment".into(),
        |a| sc.actions[a].name.clone(),
    );
    let rec = format!(
        "Pre-authorise \u{201c}{act_name}\u{201d} in a signed playbook so that {} can act on a confirmed detection without waiting, and document the escalation path to {auth_the} with a named deputy and a second number that both sides hold. Rehearse this decision in a joint tabletop exercise between the management and response sides.",
        if responders.is_empty() {
            "the responders".into()
        } else {
            format!("the {responders}")
        },
    );
    let priority = if !moved.is_empty() || m.outcome == Some(Outcome::Bad) {
        Priority::High
    } else {
        Priority::Medium
    };
    let title = if m.authority_never_came {
        format!(
            "No authorised decision: containment waited {} for someone with authority",
            dur(wait)
        )
    } else {
        format!(
            "Waiting on authority: {} from decision needed to authorised",
            dur(wait)
        )
    };
    let f = finding(
        sc,
        Topic::Authority,
        title,
        obs.join(" "),
        ana.join(" "),
        rec,
        format!(
            "Sign a pre-authorised playbook for \u{201c}{act_name}\u{201d}; name a deputy for {auth_the} on the escalation path"
        ),
        Some(wait),
        Remedy::PreAuthorisedPlaybook,
        Capability::Planning,
        auth,
        priority,
    );
    Some((true, Draft { f, quotes }))
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

fn escalation(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    if !judged(
        sc,
        Milestone::Escalated,
        &[ActionKind::Escalate, ActionKind::Notify],
    ) {
        return None;
    }
    let sides: BTreeSet<u8> = sc.roles.iter().map(|r| r.side as u8).collect();
    if sides.len() < 2 {
        return None;
    }
    let at = at_of(m, Milestone::Escalated);
    let calls: Vec<_> = m
        .crossings
        .iter()
        .filter(|x| x.kind != CrossingKind::ApprovalRequest)
        .collect();
    let unanswered: Vec<_> = calls.iter().filter(|x| x.answered_at.is_none()).collect();
    let recipient = calls
        .first()
        .and_then(|x| x.to.first())
        .and_then(|r| role_ix(sc, r))
        .or_else(|| first_of_side(sc, Side::Management));
    let mut quotes = Vec::new();
    for x in &calls {
        quotes.extend(action_quote(sc, x.action.as_str()));
        if let Some(a) = sc.action_index(x.action.as_str()) {
            let mut v = Vec::new();
            schedules(&sc.action(a).effects, &mut v);
            for i in v {
                if delivered(c.st, i) {
                    quotes.extend(inject_quote(sc, i));
                }
            }
        }
    }
    let sent = if calls.is_empty() {
        "No call, ticket or message crossed the commercial boundary.".to_owned()
    } else {
        let answered: Vec<u32> = calls.iter().filter_map(|x| x.latency).collect();
        let mut s = format!(
            "{} crossed the commercial boundary",
            count(
                calls.len(),
                "call, ticket or message",
                "calls, tickets or messages"
            )
        );
        if !answered.is_empty() {
            let _ = write!(
                s,
                "; {} answered, the first after {}",
                answered.len(),
                dur(answered[0])
            );
        }
        if !unanswered.is_empty() {
            let which: Vec<String> = unanswered
                .iter()
                .take(3)
                .map(|x| {
                    format!(
                        "{} at {}",
                        lower_first(&action_name(sc, x.action.as_str())),
                        clock(sc, x.at)
                    )
                })
                .collect();
            let _ = write!(
                s,
                "; {} went unanswered ({})",
                unanswered.len(),
                list(&which)
            );
        }
        s.push('.');
        s
    };
    let quick = at.is_some_and(|t| t.minutes() <= QUICK);
    if quick {
        let t = at.unwrap_or_default();
        let f = finding(
            sc,
            Topic::Escalation,
            format!("The other side heard of it within {}", dur(t.minutes())),
            format!("The escalation across the boundary was made at {}. {sent}", when(sc, t)),
            "The people who own the business risk knew early enough to decide.".into(),
            "Keep it: make sure the contact list and the on-call rota that made this work are kept current on both sides.".into(),
            String::new(),
            Some(t.minutes()),
            Remedy::Keep,
            Capability::Organization,
            recipient,
            Priority::Low,
        );
        return Some((false, Draft { f, quotes }));
    }
    let minutes = at.unwrap_or(m.ended_at).minutes();
    let obs = match at {
        Some(t) => format!(
            "The other side of the boundary first heard of it at {}. {sent}",
            when(sc, t)
        ),
        None => format!(
            "The other side of the boundary never heard of it before the end at {}. {sent}",
            when(sc, m.ended_at)
        ),
    };
    let moved = stages_between(sc, m, GameTime::ZERO, at.unwrap_or(m.ended_at));
    let mut ana = Vec::new();
    if !moved.is_empty() {
        ana.push(format!(
            "Before anyone across the boundary knew, the attacker reached {}.",
            list(&moved)
        ));
    }
    if !unanswered.is_empty() {
        ana.push("When the first number did not answer there was no second route: the escalation path had a single point of failure.".into());
    }
    let contained = at_of(m, Milestone::Contained).is_some();
    if calls.is_empty() && contained {
        ana.push("The containment did not need them, but the side that owns the business risk did not know an intrusion had happened.".into());
    } else if calls.is_empty() {
        ana.push(
            "Without a call or ticket nobody who owns the business risk could decide anything."
                .into(),
        );
    }
    if ana.is_empty() {
        ana.push("Every minute before the other side hears of it is a minute in which nobody who owns the business risk can decide.".into());
    }
    let rname = recipient.map_or_else(|| "customer's contact".into(), |r| sc.role(r).name.clone());
    let rec = format!(
        "Document the escalation path across the commercial boundary: who is on call as the {rname}, a second number and a deputy, and what each may decide. Onboard those contacts on both sides (the provider holds the list, the customer keeps it current) and test the path at low severity."
    );
    let priority = if !moved.is_empty() {
        Priority::High
    } else if contained {
        Priority::Low
    } else {
        Priority::Medium
    };
    let f = finding(
        sc,
        Topic::Escalation,
        match at {
            Some(_) => format!("Escalation across the boundary took {}", dur(minutes)),
            None => "The other side was never told".into(),
        },
        obs,
        ana.join(" "),
        rec,
        format!(
            "Escalation path with a second number and a deputy for the {rname}; onboard the contacts on both sides"
        ),
        Some(minutes),
        Remedy::EscalationPath,
        if unanswered.is_empty() {
            Capability::Organization
        } else {
            Capability::Planning
        },
        recipient,
        priority,
    );
    Some((true, Draft { f, quotes }))
}

fn first_alert_to(c: &Ctx<'_>, r: RoleIx) -> Option<(GameTime, u32)> {
    c.st.log.iter().find_map(|e| match e.kind {
        EventKind::InjectDelivered { inject, .. } if e.audience.includes(r) => Some((e.at, inject)),
        _ => None,
    })
}

fn triage(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    if !judged(sc, Milestone::Triaged, &[ActionKind::Triage]) {
        return None;
    }
    let who = taker(sc, &[ActionKind::Triage]).or_else(|| first_of_side(sc, Side::Response));
    let at = at_of(m, Milestone::Triaged);
    let alert = who.and_then(|r| first_alert_to(c, r));
    let from = alert.map_or(GameTime::ZERO, |(t, _)| t);
    let mut quotes = Vec::new();
    if let Some((_, i)) = alert {
        quotes.extend(inject_quote(sc, i));
    }
    for (i, a) in sc.actions.iter().enumerate() {
        if a.kind == ActionKind::Triage && taken(c.st, i) {
            quotes.extend(action_quote(sc, a.id.as_str()));
        }
    }
    let alert_words = alert.map_or_else(String::new, |(t, i)| {
        let inj = sc.inject(i);
        format!(
            " (\u{201c}{}\u{201d} at {})",
            if inj.subject.is_empty() {
                inj.id.as_str()
            } else {
                &inj.subject
            },
            clock(sc, t)
        )
    });
    let wname = who.map_or_else(|| "responders".into(), |r| sc.role(r).name.clone());
    match at {
        Some(t) if t.since(from) <= QUICK => {
            let f = finding(
                sc,
                Topic::Triage,
                format!("First alert triaged in {}", dur(t.since(from))),
                format!("The {wname} finished triaging the first alert{alert_words} at {}.", when(sc, t)),
                "The technical picture was clear early; everything after depended on what the organisation did with it.".into(),
                "Keep it: the detection-to-triage path works; record the triage steps in the runbook.".into(),
                String::new(),
                Some(t.since(from)),
                Remedy::Keep,
                Capability::Training,
                who,
                Priority::Low,
            );
            Some((false, Draft { f, quotes }))
        }
        _ => {
            let minutes = at.unwrap_or(m.ended_at).since(from);
            let obs = match at {
                Some(t) => format!(
                    "{wname} finished triaging the first alert{alert_words} at {}, {} after it arrived.",
                    when(sc, t),
                    dur(minutes)
                ),
                None => format!(
                    "Nobody triaged the first alert{alert_words}; it was still untouched when the exercise ended at {}.",
                    when(sc, m.ended_at)
                ),
            };
            let moved = stages_between(sc, m, from, at.unwrap_or(m.ended_at));
            let ana = if moved.is_empty() {
                "Until triage, nobody could tell the other side what was happening or ask for a decision.".to_owned()
            } else {
                format!(
                    "Meanwhile the attacker reached {}; until triage nobody could tell the other side or ask for a decision.",
                    list(&moved)
                )
            };
            let f = finding(
                sc,
                Topic::Triage,
                match at {
                    Some(_) => format!("Triage took {}", dur(minutes)),
                    None => "The first alert was never triaged".into(),
                },
                obs,
                ana,
                format!(
                    "Make sure an alert reaches someone who looks at it at once: cover for the {wname} on the rota, and practise triage and hand-off at low severity so it is routine when it matters."
                ),
                format!("Rota cover for the {wname}; practise triage and hand-off at low severity"),
                Some(minutes),
                Remedy::JointExercise,
                Capability::Organization,
                who,
                if moved.is_empty() {
                    Priority::Medium
                } else {
                    Priority::High
                },
            );
            Some((true, Draft { f, quotes }))
        }
    }
}

fn containment(c: &Ctx<'_>, authority_gap: bool) -> Option<(bool, Draft)> {
    let (sc, m, st) = (c.sc, c.m, c.st);
    if !judged(
        sc,
        Milestone::Contained,
        &[ActionKind::Contain, ActionKind::Disrupt],
    ) {
        return None;
    }
    let at = at_of(m, Milestone::Contained);
    let who = taker(sc, &[ActionKind::Contain]).or_else(|| first_of_side(sc, Side::Response));
    let mut quotes = Vec::new();
    let mut used = Vec::new();
    for (i, a) in sc.actions.iter().enumerate() {
        if matches!(
            a.kind,
            ActionKind::Contain | ActionKind::Disrupt | ActionKind::Mitigate
        ) && taken(st, i)
        {
            quotes.extend(action_quote(sc, a.id.as_str()));
            used.push(format!(
                "{} ({})",
                a.name,
                clock(sc, st.actions[i].first_taken.unwrap_or_default())
            ));
        }
    }
    for (i, inj) in sc.injects.iter().enumerate() {
        let Ok(i) = u32::try_from(i) else { continue };
        if let crate::engine::model::Trigger::When(cond, _) = &inj.trigger
            && delivered(st, i)
            && cond_reads(
                cond,
                &|c| matches!(c, Cond::Happened(CondMark::Stage(s)) if *s > 0),
            )
        {
            quotes.extend(inject_quote(sc, i));
        }
    }
    let stage = at.and_then(|t| stage_at(m, t));
    let playbooks = unused_playbooks(sc, st);
    match (at, stage) {
        (Some(t), Some(s)) if s <= 1 => {
            let f = finding(
                sc,
                Topic::Containment,
                format!("Contained at {}, at the stage \u{201c}{}\u{201d}", clock(sc, t), stage_name(sc, s)),
                format!("The intrusion was contained at {} using {}.", when(sc, t), list(&used)),
                "The attacker was stopped before getting far: the damage stayed small.".into(),
                "Keep it: record how the containment was authorised and carried out, and make sure it does not depend on luck (who answered the phone, a seed).".into(),
                String::new(),
                Some(t.minutes()),
                Remedy::Keep,
                Capability::Planning,
                who,
                Priority::Low,
            );
            Some((false, Draft { f, quotes }))
        }
        _ => {
            quotes.extend(ending_debrief(c));
            let end = at.unwrap_or(m.ended_at);
            let reached = stage_at(m, end).map_or_else(String::new, |s| stage_name(sc, s));
            let mut obs = match at {
                Some(t) => format!(
                    "The intrusion was contained at {}, when the attacker had already reached \u{201c}{reached}\u{201d}.",
                    when(sc, t)
                ),
                None => format!(
                    "The intrusion was never contained: by the end at {} the attacker had reached \u{201c}{reached}\u{201d}.",
                    when(sc, m.ended_at)
                ),
            };
            if used.is_empty() {
                obs.push_str(" No containment action was taken.");
            } else {
                let _ = write!(obs, " Containment actions taken: {}.", list(&used));
            }
            let mut ana = Vec::new();
            if !playbooks.is_empty() {
                let p: Vec<String> = playbooks
                    .iter()
                    .map(|a| format!("\u{201c}{}\u{201d}", action_name(sc, a.as_str())))
                    .collect();
                ana.push(format!("A pre-approved playbook covered {} all along: the responders could have acted without asking anyone.", list(&p)));
            } else if authority_gap {
                ana.push(
                    "Containment waited on the authorised decision (see the wait for authority)."
                        .into(),
                );
            }
            if let Some(bi) = &m.business_impact
                && bi.value > bi.initial
            {
                ana.push(format!(
                    "Business impact rose from {} to {} (of {}).",
                    bi.initial, bi.value, bi.max
                ));
            }
            let wname = who.map_or_else(|| "responders".into(), |r| sc.role(r).name.clone());
            let least = sc
                .actions
                .iter()
                .find(|a| a.kind == ActionKind::Contain)
                .map_or_else(|| "containment".to_owned(), |a| a.name.clone());
            let (rec, action, remedy, cap) = if playbooks.is_empty() {
                (
                    format!(
                        "Agree in advance which containment each side may order on its own authority, what each option does and what it costs the business, and rehearse it in a joint tabletop exercise with the {wname} and the management side, so that nobody has to learn in the middle of an incident what {} means.",
                        lower_first(&least)
                    ),
                    "Joint tabletop exercise on containment options, their effects and costs"
                        .to_owned(),
                    Remedy::JointExercise,
                    Capability::Exercises,
                )
            } else {
                (
                    format!(
                        "Make sure the {wname} knows the signed playbook exists and what it covers (onboarding of new staff, the runbook at hand), and practise using it."
                    ),
                    format!("Onboard the {wname} to the signed playbook; practise using it"),
                    Remedy::Onboarding,
                    Capability::Training,
                )
            };
            let f = finding(
                sc,
                Topic::Containment,
                match at {
                    Some(_) => format!("Contained late, at \u{201c}{reached}\u{201d}"),
                    None => {
                        format!("Never contained: the attacker reached \u{201c}{reached}\u{201d}")
                    }
                },
                obs,
                ana.join(" "),
                rec,
                action,
                // A containment that waited on authority costs what the wait does; count only
                // what came after the decision, so the wait is ranked as the cause.
                if authority_gap {
                    at_of(m, Milestone::Authorised).map(|a| end.since(a))
                } else {
                    Some(end.minutes())
                },
                remedy,
                cap,
                who,
                if m.outcome == Some(Outcome::Bad) || at.is_none() {
                    Priority::High
                } else {
                    Priority::Medium
                },
            );
            Some((true, Draft { f, quotes }))
        }
    }
}

fn expired(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    if m.expired_prompts.is_empty() {
        return None;
    }
    let mut obs = Vec::new();
    let mut quotes = Vec::new();
    let mut minutes = 0;
    let mut who = None;
    let mut nobody = Vec::new();
    for e in &m.expired_prompts {
        let d = e.default.as_ref().map_or_else(
            || "nothing".into(),
            |d| option_label_of(sc, e.inject.as_str(), d.as_str()),
        );
        obs.push(format!(
            "\u{201c}{}\u{201d} ({}) expired at {} into {d}.",
            question(sc, e.inject.as_str()),
            names(sc, &e.by),
            clock(sc, e.at)
        ));
        if let Some(i) = sc.inject_index(e.inject.as_str()) {
            minutes += sc
                .inject(i)
                .prompt
                .as_ref()
                .and_then(|p| p.deadline)
                .unwrap_or(0);
            quotes.extend(inject_quote(sc, i));
        }
        if let Some(d) = &e.default {
            quotes.extend(option_quote(sc, e.inject.as_str(), d.as_str()));
        }
        for r in &e.by {
            if let Some(ix) = role_ix(sc, r) {
                who.get_or_insert(ix);
                if (c.played_by)(r) == PlayedBy::Nobody && !nobody.contains(&sc.role(ix).name) {
                    nobody.push(sc.role(ix).name.clone());
                }
            }
        }
    }
    let mut ana = "Nobody answered within the deadline, so the scenario's default decided instead of a person.".to_owned();
    if !nobody.is_empty() {
        let _ = write!(ana, " Nobody played {}.", list(&nobody));
    }
    let deferred = m.deferrals.iter().any(|d| d.by.is_none());
    if deferred {
        ana.push_str(" The default was to put the decision off.");
    }
    let wname = who.map_or_else(
        || "each role".into(),
        |r| format!("the {}", sc.role(r).name),
    );
    let f = finding(
        sc,
        Topic::Decisions,
        if m.expired_prompts.len() == 1 {
            "A decision expired into its default".to_owned()
        } else {
            format!(
                "{} decisions expired into their default",
                m.expired_prompts.len()
            )
        },
        obs.join(" "),
        ana,
        format!(
            "Give {wname} clear decision rights (what they may decide alone, and whom to pass it to when they may not) and practise these decisions in a joint exercise, so that silence is never the answer."
        ),
        format!("Decision rights for {wname}; practise the decision in a joint exercise"),
        Some(minutes),
        Remedy::JointExercise,
        Capability::Organization,
        who,
        if deferred {
            Priority::High
        } else {
            Priority::Medium
        },
    );
    Some((true, Draft { f, quotes }))
}

fn rogue(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    let first = m.rogue.first()?;
    let mut quotes = Vec::new();
    let acts: Vec<String> = m
        .rogue
        .iter()
        .map(|r| {
            quotes.extend(action_quote(sc, r.action.as_str()));
            format!(
                "{} took \u{201c}{}\u{201d} at {}",
                role_name(sc, &r.by),
                action_name(sc, r.action.as_str()),
                clock(sc, r.at)
            )
        })
        .collect();
    quotes.extend(ending_debrief(c));
    let auth = senior(sc, Side::Management);
    let f = finding(
        sc,
        Topic::OutsideTheRules,
        "Action taken outside the rules or the contract".into(),
        format!("{}.", list(&acts)),
        "It may have worked technically, but the organisation learnt that the way to get things done is to break the agreement; the relationship between the sides pays for it.".into(),
        "Fix the authority, not the person: give the responders a pre-authorised playbook for what they had to do on their own, and agree how an emergency exception is declared and reviewed.".into(),
        "Pre-authorised playbook for the action taken outside the rules; an agreed emergency-exception route".into(),
        Some(m.ended_at.since(first.at)),
        Remedy::PreAuthorisedPlaybook,
        Capability::Planning,
        auth,
        Priority::High,
    );
    Some((true, Draft { f, quotes }))
}

fn slas(c: &Ctx<'_>) -> Vec<(bool, Draft)> {
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
            let Ok(i) = u32::try_from(i) else { continue };
            if let crate::engine::model::Trigger::When(cond, _) = &inj.trigger
                && delivered(st, i)
                && cond_reads(
                    cond,
                    &|c| matches!(c, Cond::Is(ValueRef::Var(v)) | Cond::AtLeast(ValueRef::Var(v), _) | Cond::AtMost(ValueRef::Var(v), _) | Cond::Equals(ValueRef::Var(v), _) if *v == sla.severity),
                )
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
fn sla_owner(sc: &Scenario, ix: usize) -> RoleIx {
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
        .unwrap_or(0)
}

/// The first role able to take an action the condition reads (`Taken`, `Completed`).
fn walk_takers(sc: &Scenario, c: &Cond, found: &mut Option<RoleIx>) {
    match c {
        Cond::Happened(CondMark::Taken(a) | CondMark::Completed(a)) if found.is_none() => {
            *found = sc.action(*a).by.first().copied();
        }
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| walk_takers(sc, c, found)),
        Cond::Not(c) => walk_takers(sc, c, found),
        _ => {}
    }
}

fn evidence(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m, st) = (c.sc, c.m, c.st);
    let ev = m.evidence.as_ref()?;
    let var = u32::try_from(sc.variables.iter().position(|v| v.id == ev.variable)?).ok()?;
    let who = sc.variables[var as usize]
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
        let Ok(i) = u32::try_from(i) else { continue };
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

fn escalation_used(c: &Ctx<'_>) -> Option<Draft> {
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

fn objectives_met(c: &Ctx<'_>) -> Option<Draft> {
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

fn values(c: &Cond, out: &mut Vec<u32>) {
    match c {
        Cond::Is(ValueRef::Var(v))
        | Cond::AtLeast(ValueRef::Var(v), _)
        | Cond::AtMost(ValueRef::Var(v), _)
        | Cond::Equals(ValueRef::Var(v), _) => out.push(*v),
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| values(c, out)),
        Cond::Not(c) => values(c, out),
        _ => {}
    }
}

fn marks(c: &Cond, out: &mut Vec<CondMark>) {
    match c {
        Cond::Happened(m) => out.push(*m),
        Cond::Within { from, to, .. } => {
            out.push(*from);
            out.push(*to);
        }
        Cond::All(cs) | Cond::Any(cs) => cs.iter().for_each(|c| marks(c, out)),
        Cond::Not(c) => marks(c, out),
        _ => {}
    }
}

/// A moment a rating rule waits for, in words, with its owner, whether it happened, and
/// its debrief note.
fn moment(c: &Ctx<'_>, mk: CondMark) -> Option<(String, Option<RoleIx>, bool, Option<String>)> {
    let (sc, st) = (c.sc, c.st);
    Some(match mk {
        CondMark::Start | CondMark::Stage(_) => return None,
        CondMark::Delivered(i) => {
            let inj = sc.inject(i);
            let name = if inj.subject.is_empty() {
                inj.id.to_string()
            } else {
                inj.subject.to_string()
            };
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
                st.actions[a as usize].first_taken.is_some()
            } else {
                st.actions[a as usize].first_completed.is_some()
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
fn objectives_unmet(c: &Ctx<'_>) -> Vec<Draft> {
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
            super::words::rating_text(r.rating).to_lowercase(),
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
            .map(|v| {
                format!(
                    "{} ended at {}",
                    sc.variables[*v as usize].name, c.st.vars[*v as usize]
                )
            })
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
    let areas = attach(areas);
    let strengths = attach(strengths);
    (strengths, areas)
}
