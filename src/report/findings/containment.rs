//! Containment, decisions left to expire, and actions outside the rules.

use std::fmt::Write as _;

use super::{
    ActionKind, Capability, Cond, CondMark, Ctx, Draft, Milestone, Outcome, PlayedBy, Priority,
    Remedy, Side, Topic, action_name, action_quote, at_of, clock, delivered, ending_debrief,
    finding, first_of_side, inject_quote, judged, list, lower_first, names, option_label_of,
    option_quote, question, role_ix, role_name, senior, stage_at, stage_depth, stage_name, taken,
    taker, unused_playbooks, when,
};
use crate::engine::model::InjectIx;

pub(super) fn containment(c: &Ctx<'_>, authority_gap: bool) -> Option<(bool, Draft)> {
    let (sc, m) = (c.sc, c.m);
    if !judged(
        sc,
        Milestone::Contained,
        &[ActionKind::Contain, ActionKind::Disrupt],
    ) {
        return None;
    }
    let at = at_of(m, Milestone::Contained);
    let who = taker(sc, &[ActionKind::Contain]).or_else(|| first_of_side(sc, Side::Response));
    let (used, quotes) = measures(c);
    let stage = at.and_then(|t| stage_at(m, t));
    match (at, stage) {
        // Early: before the attacker got past its first stage, or in a scenario without a
        // threat, where containment is not measured against one.
        (Some(t), Some(_) | None) if stage.is_none_or(|s| stage_depth(sc, s) <= 1) => {
            let title = match stage {
                Some(s) => format!(
                    "Contained at {}, at the stage \u{201c}{}\u{201d}",
                    clock(sc, t),
                    stage_name(sc, s)
                ),
                None => format!("Contained at {}", clock(sc, t)),
            };
            let f = finding(
                sc,
                Topic::Containment,
                title,
                if used.is_empty() {
                    format!("The intrusion was contained at {}.", when(sc, t))
                } else {
                    format!(
                        "The intrusion was contained at {}. Measures taken against it: {}.",
                        when(sc, t),
                        list(&used)
                    )
                },
                if stage.is_some() {
                    "The attacker was stopped before getting far: the damage stayed small.".into()
                } else {
                    "The scenario has no attacker's timeline to measure it against: how early it was is for the hot wash.".into()
                },
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
        _ => Some((true, late(c, authority_gap, at, who, &used, quotes))),
    }
}

pub(super) fn expired(c: &Ctx<'_>) -> Option<(bool, Draft)> {
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

pub(super) fn rogue(c: &Ctx<'_>) -> Option<(bool, Draft)> {
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

/// The containment measures taken, with when (`Isolate the host (03:41)`), and the
/// scenario's texts for them and for the injects the attacker's progress set off.
fn measures(c: &Ctx<'_>) -> (Vec<String>, Vec<String>) {
    let (sc, st) = (c.sc, c.st);
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
        let Some(i) = InjectIx::at(i) else { continue };
        if let crate::engine::model::Trigger::When(cond, _) = &inj.trigger
            && delivered(st, i)
            && cond.any(|c| matches!(c, Cond::Happened(CondMark::Stage(s)) if s.0 > 0))
        {
            quotes.extend(inject_quote(sc, i));
        }
    }
    (used, quotes)
}

/// Containment that came late or never: what the attacker reached, what was taken, what
/// stood in the way.
fn late(
    c: &Ctx<'_>,
    authority_gap: bool,
    at: Option<crate::engine::time::GameTime>,
    who: Option<crate::engine::model::RoleIx>,
    used: &[String],
    mut quotes: Vec<String>,
) -> Draft {
    let (sc, m, st) = (c.sc, c.m, c.st);
    let playbooks = unused_playbooks(sc, st);
    quotes.extend(ending_debrief(c));
    let end = at.unwrap_or(m.ended_at);
    // A scenario without a threat has no stage to name.
    let reached = stage_at(m, end).map(|s| stage_name(sc, s));
    let mut obs = match (at, &reached) {
        (Some(t), Some(reached)) => format!(
            "The intrusion was contained at {}, when the attacker had already reached \u{201c}{reached}\u{201d}.",
            when(sc, t)
        ),
        (Some(t), None) => format!("The intrusion was contained at {}.", when(sc, t)),
        (None, Some(reached)) => format!(
            "The intrusion was never contained: by the end at {} the attacker had reached \u{201c}{reached}\u{201d}.",
            when(sc, m.ended_at)
        ),
        (None, None) => format!(
            "The intrusion was never contained: the exercise ended at {} without it.",
            when(sc, m.ended_at)
        ),
    };
    if used.is_empty() {
        obs.push_str(" No containment action was taken.");
    } else {
        let _ = write!(obs, " Containment actions taken: {}.", list(used));
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
            "Containment waited on the authorised decision (see the wait for authority).".into(),
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
    let (rec, action, remedy, cap) = remedy(sc, who, &playbooks);
    let f = finding(
        sc,
        Topic::Containment,
        match (at, &reached) {
            (Some(_), Some(reached)) => format!("Contained late, at \u{201c}{reached}\u{201d}"),
            (Some(t), None) => format!("Contained at {}", clock(sc, t)),
            (None, Some(reached)) => {
                format!("Never contained: the attacker reached \u{201c}{reached}\u{201d}")
            }
            (None, None) => "Never contained".to_owned(),
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
    Draft { f, quotes }
}

/// What to do about it: onboarding to a playbook that existed, else a joint exercise on
/// the containment options.
fn remedy(
    sc: &crate::engine::model::Scenario,
    who: Option<crate::engine::model::RoleIx>,
    playbooks: &[crate::engine::ids::ActionId],
) -> (String, String, Remedy, Capability) {
    let wname = who.map_or_else(|| "responders".into(), |r| sc.role(r).name.clone());
    let least = sc
        .actions
        .iter()
        .find(|a| a.kind == ActionKind::Contain)
        .map_or_else(|| "containment".to_owned(), |a| a.name.clone());
    if playbooks.is_empty() {
        (
            format!(
                "Agree in advance which containment each side may order on its own authority, what each option does and what it costs the business, and rehearse it in a joint tabletop exercise with the {wname} and the management side, so that nobody has to learn in the middle of an incident what {} means.",
                lower_first(&least)
            ),
            "Joint tabletop exercise on containment options, their effects and costs".to_owned(),
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
    }
}
