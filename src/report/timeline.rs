//! The timeline appendix: every inject, decision, action and state change of the log as a
//! line with its game time, clock face, lanes (roles, the threat, the exercise) and words;
//! and the threat's stages as bands for the charts.

use std::fmt::Write as _;

use crate::engine::event::{EventKind, Rejection};
use crate::engine::ids::{RoleId, Seat};
use crate::engine::model::Scenario;
use crate::engine::state::State;
use crate::engine::time::GameTime;

use super::document::{LANE_EXERCISE, LANE_THREAT, Mark, ThreatBand, TimelineRow};
use super::words::{action_name, dur, names, option_label, seat_name, sla_name};

/// The timeline of a run, in log order.
pub fn rows(sc: &Scenario, st: &State) -> Vec<TimelineRow> {
    let mut out = Vec::new();
    for e in &st.log {
        let exercise = || vec![LANE_EXERCISE.to_owned()];
        let lane_of = |s: &Seat| match s {
            Seat::Role(r) => vec![r.to_string()],
            Seat::Facilitator => vec![LANE_EXERCISE.to_owned()],
        };
        let (lanes, who, mark, text, until): (Vec<String>, String, Mark, String, Option<GameTime>) =
            match &e.kind {
                EventKind::ExerciseStarted { title, seed, .. } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::Start,
                    format!("{title} starts (seed {seed})"),
                    None,
                ),
                EventKind::InjectDelivered {
                    inject,
                    channel,
                    from,
                    subject,
                    text,
                    prompt,
                    fired_by_facilitator,
                } => {
                    let to: Vec<RoleId> = e.audience.roles().to_vec();
                    let head = if subject.is_empty() {
                        text.lines().next().unwrap_or("").to_owned()
                    } else {
                        subject.to_string()
                    };
                    let mut s = String::new();
                    if !from.is_empty() {
                        let _ = write!(s, "{from}: ");
                    }
                    let _ = write!(s, "{head} ({}", channel.label());
                    if *fired_by_facilitator {
                        s.push_str(", fired by the facilitator");
                    }
                    s.push(')');
                    if let Some(p) = prompt {
                        let _ = write!(s, ". Decision asked: {}", p.question);
                    }
                    let _ = inject;
                    let lanes = if to.is_empty() {
                        exercise()
                    } else {
                        to.iter().map(ToString::to_string).collect()
                    };
                    (lanes, names(sc, &to), Mark::Inject, s, None)
                }
                EventKind::AdHocInjectDelivered {
                    channel,
                    from,
                    text,
                } => {
                    let to: Vec<RoleId> = e.audience.roles().to_vec();
                    (
                        to.iter().map(ToString::to_string).collect(),
                        names(sc, &to),
                        Mark::Note,
                        format!("{from} ({}): {text}", channel.label()),
                        None,
                    )
                }
                EventKind::InjectCancelled { inject } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::State,
                    format!("Pending delivery of `{inject}` cancelled"),
                    None,
                ),
                EventKind::DecisionMade { inject, option, by } => (
                    lane_of(by),
                    seat_name(sc, by),
                    Mark::Decision,
                    format!(
                        "Decided: {}",
                        option_label(sc, inject.as_str(), option.as_str())
                    ),
                    None,
                ),
                EventKind::PromptExpired { inject, default } => {
                    let ix = sc.inject_index(inject.as_str());
                    let p = ix.and_then(|i| sc.inject(i).prompt.as_ref());
                    let by: Vec<RoleId> = p
                        .map(|p| p.by.iter().map(|r| sc.role(*r).id.clone()).collect())
                        .unwrap_or_default();
                    let q = p.map_or_else(String::new, |p| p.question.to_string());
                    let d = default.as_ref().map_or_else(
                        || "nothing".to_owned(),
                        |d| option_label(sc, inject.as_str(), d.as_str()),
                    );
                    (
                        by.iter().map(ToString::to_string).collect(),
                        names(sc, &by),
                        Mark::Expired,
                        format!("No answer in time to \u{201c}{q}\u{201d}: defaulted to {d}"),
                        None,
                    )
                }
                EventKind::ActionTaken {
                    action,
                    by,
                    to,
                    completes_at,
                    approved_by,
                    preapproved,
                    ..
                } => {
                    let mut s = action_name(sc, action.as_str());
                    if !to.roles().is_empty() {
                        let _ = write!(s, " (to {})", names(sc, to.roles()));
                    }
                    if *preapproved {
                        s.push_str(", pre-approved by playbook");
                    }
                    if let Some(a) = approved_by {
                        let _ = write!(s, ", approved by {}", seat_name(sc, a));
                    }
                    if *completes_at > e.at {
                        let _ = write!(
                            s,
                            ", takes {} (until {})",
                            dur(completes_at.since(e.at)),
                            sc.start.clock(*completes_at)
                        );
                    }
                    (
                        lane_of(by),
                        seat_name(sc, by),
                        Mark::Action,
                        s,
                        Some(*completes_at),
                    )
                }
                EventKind::ActionCompleted { action, by } => (
                    lane_of(by),
                    seat_name(sc, by),
                    Mark::Done,
                    format!("Done: {}", action_name(sc, action.as_str())),
                    None,
                ),
                EventKind::ApprovalRequested {
                    action,
                    by,
                    approvers,
                    needed,
                    ..
                } => (
                    lane_of(by),
                    seat_name(sc, by),
                    Mark::Request,
                    format!(
                        "Asks {} to approve: {} (needs authority {needed})",
                        names(sc, approvers),
                        action_name(sc, action.as_str())
                    ),
                    None,
                ),
                EventKind::ApprovalGranted { action, by, .. } => (
                    lane_of(by),
                    seat_name(sc, by),
                    Mark::Approved,
                    format!("Approved: {}", action_name(sc, action.as_str())),
                    None,
                ),
                EventKind::ApprovalDenied { action, by, .. } => (
                    lane_of(by),
                    seat_name(sc, by),
                    Mark::Denied,
                    format!("Denied: {}", action_name(sc, action.as_str())),
                    None,
                ),
                EventKind::VariableChanged { variable, from, to } => {
                    let var = sc.variables.iter().find(|v| v.id == *variable);
                    let name = var.map_or_else(|| variable.to_string(), |v| v.name.clone());
                    let s = if var.is_some_and(|v| v.min == 0 && v.max == 1) {
                        format!("{name}: {}", if *to == 0 { "no" } else { "yes" })
                    } else {
                        format!("{name}: {from} \u{2192} {to}")
                    };
                    (exercise(), "Exercise".into(), Mark::State, s, None)
                }
                EventKind::ValueDrawn { .. }
                | EventKind::ObjectiveRated { .. }
                | EventKind::CriterionMet { .. } => continue,
                EventKind::ThreatAdvanced { name, index, .. } => (
                    vec![LANE_THREAT.to_owned()],
                    "Attacker".into(),
                    Mark::Threat,
                    format!("Stage {}: {name}", index + 1),
                    None,
                ),
                EventKind::ThreatHalted { stage } => (
                    vec![LANE_THREAT.to_owned()],
                    "Attacker".into(),
                    Mark::Threat,
                    format!("Halted at {}", stage_name(sc, stage.as_str())),
                    None,
                ),
                EventKind::ThreatResumed { stage } => (
                    vec![LANE_THREAT.to_owned()],
                    "Attacker".into(),
                    Mark::Threat,
                    format!("Moving again from {}", stage_name(sc, stage.as_str())),
                    None,
                ),
                EventKind::SlaStarted {
                    sla,
                    severity,
                    due_at,
                } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::Sla,
                    format!(
                        "SLA started: {} at severity {severity}{}",
                        sla_name(sc, sla),
                        due_at
                            .map(|d| format!(", due {}", sc.start.clock(d)))
                            .unwrap_or_default()
                    ),
                    None,
                ),
                EventKind::SlaMet { sla, minutes, .. } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::Sla,
                    format!("SLA met: {} in {}", sla_name(sc, sla), dur(*minutes)),
                    None,
                ),
                EventKind::SlaBreached {
                    sla,
                    severity,
                    due_at,
                } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::SlaBreach,
                    format!(
                        "SLA breached: {} at severity {severity} (due {})",
                        sla_name(sc, sla),
                        sc.start.clock(*due_at)
                    ),
                    None,
                ),
                EventKind::MilestoneReached { milestone } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::Milestone,
                    format!("Milestone: {}", milestone.label()),
                    None,
                ),
                EventKind::Paused => (
                    exercise(),
                    "Facilitator".into(),
                    Mark::Clock,
                    "Clock paused".into(),
                    None,
                ),
                EventKind::Resumed => (
                    exercise(),
                    "Facilitator".into(),
                    Mark::Clock,
                    "Clock running again".into(),
                    None,
                ),
                EventKind::CommandRejected { by, rejection, .. } => (
                    lane_of(by),
                    seat_name(sc, by),
                    Mark::Refused,
                    format!("Refused: {}", rejection_words(rejection)),
                    None,
                ),
                EventKind::ExerciseEnded {
                    title,
                    outcome,
                    score,
                    ..
                } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::End,
                    format!(
                        "Ended: {title}{} (score {score})",
                        outcome
                            .map(|o| format!(", {o:?} outcome"))
                            .unwrap_or_default()
                    ),
                    None,
                ),
            };
        out.push(TimelineRow {
            at: e.at,
            clock: sc.start.clock(e.at).to_string(),
            lanes,
            who,
            mark,
            text,
            until,
        });
    }
    out
}

fn stage_name(sc: &Scenario, id: &str) -> String {
    sc.threat
        .as_ref()
        .and_then(|t| t.stages.iter().find(|s| s.id.as_str() == id))
        .map_or_else(|| id.to_owned(), |s| s.name.clone())
}

/// Why a command was refused, in words.
pub fn rejection_words(r: &Rejection) -> String {
    match r {
        Rejection::ExerciseOver => "the exercise was over".into(),
        Rejection::Paused => "the clock was paused".into(),
        Rejection::UnknownRole
        | Rejection::UnknownAction
        | Rejection::UnknownInject
        | Rejection::UnknownOption
        | Rejection::UnknownEnding
        | Rejection::UnknownRequest => "not part of this scenario".into(),
        Rejection::FacilitatorOnly => "only the facilitator may do that".into(),
        Rejection::WrongRole => "not this role's to do".into(),
        Rejection::NotAvailable => "not possible at that moment".into(),
        Rejection::AlreadyTaken => "already done".into(),
        Rejection::Busy { action, until } => {
            format!("busy with `{action}` until minute {}", until.minutes())
        }
        Rejection::Unreachable { note } if note.is_empty() => "could not be reached".into(),
        Rejection::Unreachable { note } => format!("could not be reached ({note})"),
        Rejection::NotAuthorised { needed, has } => {
            format!("not authorised (needs authority {needed}, has {has})")
        }
        Rejection::NoOpenPrompt => "that decision was no longer open".into(),
        Rejection::TimeInPast => "time cannot go backwards".into(),
        Rejection::AlreadyRequested { request } => {
            format!("approval already requested (request {request})")
        }
    }
}

/// The threat's stages as bands: from when each was reached to the next stage or the end.
pub fn bands(sc: &Scenario, st: &State, end: GameTime) -> Vec<ThreatBand> {
    let Some(th) = &sc.threat else {
        return Vec::new();
    };
    let reached: Vec<(usize, GameTime)> = th
        .stages
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            st.threat
                .entered_at
                .get(i)
                .copied()
                .flatten()
                .map(|t| (i, t))
        })
        .collect();
    let mut out = Vec::new();
    for (k, (i, from)) in reached.iter().enumerate() {
        let to = reached.get(k + 1).map_or(end, |(_, t)| *t).max(*from);
        let s = &th.stages[*i];
        out.push(ThreatBand {
            stage: s.id.clone(),
            name: s.name.clone(),
            number: u16::try_from(i + 1).unwrap_or(u16::MAX),
            from: *from,
            to,
        });
    }
    out
}
