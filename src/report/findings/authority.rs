//! The wait for authority: who was asked, who could decide, how long the decision took
//! and what the attacker did meanwhile.

use super::{
    Capability, Ctx, Draft, GameTime, LONG_WAIT, Milestone, Outcome, Priority, Remedy, Source,
    Topic, action_name, action_quote, at_of, authoriser, clock, dur, ending_debrief, finding,
    focus_action, inject_quote, list, lower_first, names, never_acted, option_label_of,
    option_quote, outcome_word, played, question, quoted, role_name, stages_between, tidy, when,
};

pub(super) fn authority(c: &Ctx<'_>) -> Option<(bool, Draft)> {
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
    let problem = m.authority_never_came || !moved.is_empty() || wait > LONG_WAIT;
    if !problem {
        return Some((false, quick(c, need_t, end, wait, auth)));
    }
    let mut quotes = Vec::new();

    let mut obs = vec![why_needed(c, need_t, focus)];
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
    obs.extend(what_people_did(c, &mut quotes));
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

/// A decision that was needed and came quickly, with nothing lost meanwhile: a strength.
fn quick(
    c: &Ctx<'_>,
    need_t: GameTime,
    end: GameTime,
    wait: u32,
    auth: Option<crate::engine::model::RoleIx>,
) -> Draft {
    let (sc, m) = (c.sc, c.m);
    let mut quotes = Vec::new();
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
        if sc.threat.is_some() {
            "The attacker reached no new stage while the decision was pending, so authority was not the bottleneck.".into()
        } else {
            "The decision came without a long wait, so authority was not the bottleneck.".into()
        },
        "Keep it: write down what made it quick (a signed playbook, a phone that was answered, a deputy) so it does not depend on who is on call.".into(),
        String::new(),
        Some(wait),
        Remedy::Keep,
        Capability::Planning,
        auth,
        Priority::Low,
    );
    Draft { f, quotes }
}

/// Why a decision was needed, and from when.
fn why_needed(c: &Ctx<'_>, need_t: GameTime, focus: Option<usize>) -> String {
    let (sc, m) = (c.sc, c.m);
    let source = m.milestones[Milestone::DecisionNeeded.index()].source;
    match (source, focus) {
        (Source::Implied, Some(a)) => {
            let act = &sc.actions[a];
            let resp: Vec<String> = act
                .by
                .iter()
                .filter(|r| sc.role(**r).level(act.domain) < act.authority)
                .map(|r| {
                    format!(
                        "the {} has {}",
                        sc.role(*r).name,
                        sc.role(*r).level(act.domain)
                    )
                })
                .collect();
            format!(
                "From {}, the first alert, a decision was needed that the responders were not authorised to make: {} needs {} ({}) and no playbook covered it.",
                when(sc, need_t),
                act.name,
                sc.authority_words(act.domain, act.authority),
                list(&resp)
            )
        }
        _ => format!(
            "From {}, a decision was needed that the people handling the incident were not authorised to make.",
            when(sc, need_t)
        ),
    }
}

/// What people did about the decision (deferrals, refusals, requests for approval), in the
/// order it happened; the scenario texts they answered go to `quotes`.
fn what_people_did(c: &Ctx<'_>, quotes: &mut Vec<String>) -> Vec<String> {
    let (sc, m) = (c.sc, c.m);
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
                "At {} the {} tried to {} and was refused: it needs {}, the role has {}.",
                clock(sc, r.at),
                role_name(sc, &r.by),
                lower_first(&what),
                crate::engine::model::authority_words(r.domain.as_deref(), r.needed),
                r.has
            ),
        ));
        if let Some((i, o)) = &r.choice {
            quotes.extend(option_quote(sc, i.as_str(), o.as_str()));
        }
    }
    for w in &m.approvals {
        let answer = match (w.answered_at, w.granted) {
            (None, _) if w.withdrawn_at.is_some() => {
                let t = w.withdrawn_at.unwrap_or(w.at);
                format!(
                    "withdrawn at {} after {}, when the action was taken another way",
                    clock(sc, t),
                    dur(t.since(w.at))
                )
            }
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
    facts.into_iter().map(|(_, f)| tidy(&f)).collect()
}
