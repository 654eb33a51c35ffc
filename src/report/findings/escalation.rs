//! Escalation and triage: how soon the first alert was looked at and passed on, and to
//! whom.

use std::fmt::Write as _;

use super::{
    ActionKind, Capability, CrossingKind, Ctx, Draft, EventKind, GameTime, Milestone, Priority,
    QUICK, Remedy, RoleIx, Side, Topic, action_name, action_quote, at_of, clock, count, delivered,
    dur, finding, first_of_side, inject_quote, judged, list, lower_first, role_ix, schedules,
    stages_between, taken, taker, when,
};
use super::{Fact, crossing_facts, milestone_fact, stage_facts};
use crate::engine::model::{Channel, InjectIx};

pub(super) fn escalation(c: &Ctx<'_>) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    if !judged(
        sc,
        Milestone::Escalated,
        &[ActionKind::Escalate, ActionKind::Notify],
    ) {
        return None;
    }
    if !sc.has_boundary() {
        return None;
    }
    let at = at_of(m, Milestone::Escalated);
    let calls: Vec<_> = m
        .crossings
        .iter()
        .filter(|x| x.kind != CrossingKind::ApprovalRequest)
        .collect();
    let unanswered: Vec<_> = calls.iter().filter(|x| x.answered_at.is_none()).collect();
    // The escalation path in question leads to the side that owns the business risk: the
    // first of its roles anything was sent to, else its first role.
    let recipient = calls
        .iter()
        .flat_map(|x| x.to.iter())
        .filter_map(|r| role_ix(sc, r))
        .find(|r| sc.role(*r).side == Side::Management)
        .or_else(|| first_of_side(sc, Side::Management));
    let quotes = crossing_quotes(c, &calls);
    let sent = sent_words(sc, &calls, &unanswered);
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
        let mut f = f;
        f.facts = crossing_facts(sc, &calls, &unanswered);
        f.facts.extend(milestone_fact(m, Milestone::Escalated));
        return Some((false, Draft { f, quotes }));
    }
    let minutes = at.unwrap_or(m.ended_at).minutes();
    let obs = match at {
        Some(t) => format!(
            "The other side of the boundary first heard of it at {}. {sent}",
            when(sc, t)
        ),
        None if calls.is_empty() => format!(
            "The other side of the boundary never heard of it before the end at {}. {sent}",
            when(sc, m.ended_at)
        ),
        // Something crossed, but the escalation the scenario counts never happened.
        None => format!(
            "Nothing that crossed the boundary before the end at {} got the other side to act on it. {sent}",
            when(sc, m.ended_at)
        ),
    };
    let moved = stages_between(sc, m, GameTime::ZERO, at.unwrap_or(m.ended_at));
    let mut ana = Vec::new();
    if !moved.is_empty() {
        ana.push(if calls.is_empty() {
            format!(
                "Before anyone across the boundary knew, the attacker reached {}.",
                list(&moved)
            )
        } else {
            format!(
                "Before anyone across the boundary acted on it, the attacker reached {}.",
                list(&moved)
            )
        });
    }
    if !unanswered.is_empty() && unanswered.len() == calls.len() {
        // Nothing sent was answered, and nothing else was tried: one route only.
        let by_phone = calls.iter().all(|x| x.channel == Some(Channel::Phone));
        ana.push(if by_phone {
            "When the first number did not answer there was no second route: the escalation path had a single point of failure.".into()
        } else {
            "Nothing sent across the boundary was answered, and no one followed it up another way: the escalation path had a single point of failure.".into()
        });
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
            None if calls.is_empty() => "The other side was never told".into(),
            None => "The escalation never got through".into(),
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
    let mut f = f;
    f.facts = crossing_facts(sc, &calls, &unanswered);
    f.facts.extend(milestone_fact(m, Milestone::Escalated));
    f.facts.push(Fact::Ended(m.ended_at));
    f.facts
        .extend(stage_facts(m, GameTime::ZERO, at.unwrap_or(m.ended_at)));
    Some((true, Draft { f, quotes }))
}

/// The first alert, as the scenario declares it (`measures: first_alert`), else the first
/// inject to reach role `r`; and when it arrived.
pub(super) fn first_alert_to(c: &Ctx<'_>, r: RoleIx) -> Option<(GameTime, InjectIx)> {
    let declared = c.sc.measures.first_alert;
    c.st.log.iter().find_map(|e| match e.kind {
        EventKind::InjectDelivered { inject, .. }
            if declared.map_or(e.audience.includes(r), |d| d == inject) =>
        {
            Some((e.at, inject))
        }
        _ => None,
    })
}

pub(super) fn triage(c: &Ctx<'_>) -> Option<(bool, Draft)> {
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
    // When triage began: the wait is what is judged, not the triage's own duration.
    // Only the triaging role's own triage action, begun after the alert and before the
    // moment triage counts as done: never another role's, never a later one.
    let began = c.st.log.iter().find_map(|e| match e.kind {
        EventKind::ActionTaken { action, by, .. }
            if e.at >= from
                && at.is_none_or(|t| e.at <= t)
                && sc.action(action).kind == ActionKind::Triage
                && matches!(by, crate::engine::event::Actor::Role(r) if Some(r) == who) =>
        {
            Some(e.at)
        }
        _ => None,
    });
    let waited = |end: GameTime| began.filter(|b| *b <= end).unwrap_or(end).since(from);
    match at {
        Some(t) if waited(t) <= QUICK => {
            let (title, obs) = match began.filter(|b| *b < t) {
                Some(b) => (
                    format!("First alert picked up in {}", dur(b.since(from))),
                    format!(
                        "The {wname} began triaging the first alert{alert_words} at {} and finished at {} (the triage itself takes {}).",
                        when(sc, b),
                        when(sc, t),
                        dur(t.since(b))
                    ),
                ),
                None => (
                    format!("First alert triaged in {}", dur(t.since(from))),
                    format!(
                        "The {wname} finished triaging the first alert{alert_words} at {}.",
                        when(sc, t)
                    ),
                ),
            };
            let f = finding(
                sc,
                Topic::Triage,
                title,
                obs,
                "The technical picture was clear early; everything after depended on what the organisation did with it.".into(),
                "Keep it: the detection-to-triage path works; record the triage steps in the runbook.".into(),
                String::new(),
                Some(t.since(from)),
                Remedy::Keep,
                Capability::Training,
                who,
                Priority::Low,
            );
            let mut f = f;
            f.facts = triage_facts(alert, began, who);
            f.facts.extend(milestone_fact(m, Milestone::Triaged));
            Some((false, Draft { f, quotes }))
        }
        _ => {
            let minutes = at.unwrap_or(m.ended_at).since(from);
            let obs = match (at, began) {
                (Some(t), Some(b)) if b < t => format!(
                    "{wname} finished triaging the first alert{alert_words} at {}, {} after it arrived: it waited {} before triage began at {}, and the triage itself took {}.",
                    when(sc, t),
                    dur(minutes),
                    dur(b.since(from)),
                    when(sc, b),
                    dur(t.since(b))
                ),
                (Some(t), _) => format!(
                    "{wname} finished triaging the first alert{alert_words} at {}, {} after it arrived.",
                    when(sc, t),
                    dur(minutes)
                ),
                (None, _) => format!(
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
                match (at, began) {
                    (Some(t), Some(b)) if b < t => {
                        format!(
                            "The first alert waited {} before triage began",
                            dur(b.since(from))
                        )
                    }
                    (Some(_), _) => format!("Triage took {}", dur(minutes)),
                    (None, _) => "The first alert was never triaged".into(),
                },
                obs,
                ana,
                format!(
                    "Make sure an alert reaches someone who looks at it at once: cover for the {wname} on the rota, and practise triage and hand-off at low severity so it is routine when it matters."
                ),
                format!("Rota cover for the {wname}; practise triage and hand-off at low severity"),
                // What the wait cost, not the triage's own duration.
                Some(at.map_or(minutes, waited)),
                Remedy::JointExercise,
                Capability::Organization,
                who,
                if moved.is_empty() {
                    Priority::Medium
                } else {
                    Priority::High
                },
            );
            let mut f = f;
            f.facts = triage_facts(alert, began, who);
            f.facts.extend(milestone_fact(m, Milestone::Triaged));
            f.facts.push(Fact::Ended(m.ended_at));
            f.facts
                .extend(stage_facts(m, from, at.unwrap_or(m.ended_at)));
            Some((true, Draft { f, quotes }))
        }
    }
}

/// The scenario's texts for the calls that crossed the boundary and what they set off.
fn crossing_quotes(c: &Ctx<'_>, calls: &[&crate::report::metrics::Crossing]) -> Vec<String> {
    let sc = c.sc;
    let mut quotes = Vec::new();
    for x in calls {
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
    quotes
}

/// What crossed the boundary and what was answered, in one sentence.
fn sent_words(
    sc: &crate::engine::model::Scenario,
    calls: &[&crate::report::metrics::Crossing],
    unanswered: &[&&crate::report::metrics::Crossing],
) -> String {
    if calls.is_empty() {
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
    }
}

/// What a triage finding claims: when the alert came, and that the wait before triage
/// began was a wait (not the role busy with its own action).
fn triage_facts(
    alert: Option<(GameTime, InjectIx)>,
    began: Option<GameTime>,
    who: Option<RoleIx>,
) -> Vec<Fact> {
    let mut v = Vec::new();
    if let Some((t, i)) = alert {
        v.push(Fact::Delivered(i, t));
        if let (Some(r), Some(b)) = (who, began) {
            v.push(Fact::Waited(r, t, b));
        }
    }
    v
}
