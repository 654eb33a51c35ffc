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
use super::words::{actor_name, dur, names, option_label, seat_name};

/// The timeline of a run, in log order.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per kind of event; each arm is short"
)]
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
                EventKind::ExerciseStarted { seed } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::Start,
                    format!("{} starts (seed {seed})", sc.title),
                    None,
                ),
                EventKind::InjectDelivered {
                    inject,
                    fired_by_facilitator,
                    ..
                } => {
                    let inj = sc.inject(*inject);
                    let (channel, from, subject, text) =
                        (inj.channel, &inj.from, &inj.subject, &inj.text);
                    let to: Vec<RoleId> = sc.role_ids(e.audience);
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
                    if let Some(p) = &inj.prompt {
                        let _ = write!(s, ". Decision asked: {}", p.question);
                    }
                    let lanes = if to.is_empty() {
                        exercise()
                    } else {
                        to.iter().map(ToString::to_string).collect()
                    };
                    (lanes, names(sc, &to), Mark::Inject, s, None)
                }
                EventKind::AdHocInjectDelivered(a) => {
                    let to: Vec<RoleId> = sc.role_ids(e.audience);
                    (
                        to.iter().map(ToString::to_string).collect(),
                        names(sc, &to),
                        Mark::Note,
                        format!("{} ({}): {}", a.from, a.channel.label(), a.text),
                        None,
                    )
                }
                EventKind::InjectCancelled { inject } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::State,
                    format!(
                        "\"{}\" will not come: its pending delivery was cancelled",
                        super::words::inject_name(sc, sc.inject(*inject).id.as_str())
                    ),
                    None,
                ),
                EventKind::DecisionMade { inject, option, by } => (
                    lane_of(&sc.seat(*by)),
                    actor_name(sc, *by),
                    Mark::Decision,
                    format!("Decided: {}", option_label(sc, *inject, *option)),
                    None,
                ),
                EventKind::PromptExpired { inject, default } => {
                    let p = sc.inject(*inject).prompt.as_ref();
                    let by: Vec<RoleId> = p
                        .map(|p| p.by.iter().map(|r| sc.role(*r).id.clone()).collect())
                        .unwrap_or_default();
                    let q = p.map_or_else(String::new, |p| p.question.to_string());
                    let d = default
                        .map_or_else(|| "nothing".to_owned(), |d| option_label(sc, *inject, d));
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
                    completes_at,
                    approved_by,
                    preapproved,
                } => {
                    let act = sc.action(*action);
                    let mut s = act.name.clone();
                    if !act.to.is_empty() {
                        let _ = write!(s, " (to {})", names(sc, &sc.role_ids(act.to)));
                    }
                    if *preapproved {
                        s.push_str(", pre-approved by playbook");
                    }
                    if let Some(a) = approved_by {
                        let _ = write!(s, ", approved by {}", actor_name(sc, *a));
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
                        lane_of(&sc.seat(*by)),
                        actor_name(sc, *by),
                        Mark::Action,
                        s,
                        Some(*completes_at),
                    )
                }
                EventKind::ActionCompleted { action, by } => (
                    lane_of(&sc.seat(*by)),
                    actor_name(sc, *by),
                    Mark::Done,
                    format!("Done: {}", sc.action(*action).name),
                    None,
                ),
                EventKind::ApprovalRequested {
                    action,
                    by,
                    approvers,
                    needed,
                    ..
                } => (
                    lane_of(&sc.seat(*by)),
                    actor_name(sc, *by),
                    Mark::Request,
                    format!(
                        "Asks {} to approve: {} (needs authority {needed})",
                        names(sc, &sc.role_ids(*approvers)),
                        sc.action(*action).name
                    ),
                    None,
                ),
                EventKind::ApprovalGranted { action, by, .. } => (
                    lane_of(&sc.seat(*by)),
                    actor_name(sc, *by),
                    Mark::Approved,
                    format!("Approved: {}", sc.action(*action).name),
                    None,
                ),
                EventKind::ApprovalDenied { action, by, .. } => (
                    lane_of(&sc.seat(*by)),
                    actor_name(sc, *by),
                    Mark::Denied,
                    format!("Denied: {}", sc.action(*action).name),
                    None,
                ),
                EventKind::VariableChanged { variable, from, to } => {
                    let var = &sc.variables[*variable as usize];
                    let name = &var.name;
                    let s = if var.min == 0 && var.max == 1 {
                        format!("{name}: {}", if *to == 0 { "no" } else { "yes" })
                    } else {
                        format!("{name}: {from} \u{2192} {to}")
                    };
                    (exercise(), "Exercise".into(), Mark::State, s, None)
                }
                EventKind::ValueDrawn { .. }
                | EventKind::ObjectiveRated { .. }
                | EventKind::CriterionMet { .. } => continue,
                EventKind::ThreatAdvanced { stage } => (
                    vec![LANE_THREAT.to_owned()],
                    "Attacker".into(),
                    Mark::Threat,
                    format!("Stage {}: {}", stage + 1, stage_name(sc, *stage)),
                    None,
                ),
                EventKind::ThreatHalted { stage } => (
                    vec![LANE_THREAT.to_owned()],
                    "Attacker".into(),
                    Mark::Threat,
                    format!("Halted at {}", stage_name(sc, *stage)),
                    None,
                ),
                EventKind::ThreatResumed { stage } => (
                    vec![LANE_THREAT.to_owned()],
                    "Attacker".into(),
                    Mark::Threat,
                    format!("Moving again from {}", stage_name(sc, *stage)),
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
                        sc.slas[*sla as usize].name,
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
                    format!(
                        "SLA met: {} in {}",
                        sc.slas[*sla as usize].name,
                        dur(*minutes)
                    ),
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
                        sc.slas[*sla as usize].name,
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
                EventKind::CommandRejected(r) => (
                    lane_of(&r.by),
                    seat_name(sc, &r.by),
                    Mark::Refused,
                    format!("Refused: {}", rejection_words(sc, &r.rejection)),
                    None,
                ),
                EventKind::RunawayStopped { inject, limit } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::End,
                    format!("Stopped: {}", limit.describe(&sc.inject(*inject).subject)),
                    None,
                ),
                EventKind::ExerciseEnded { outcome, score, .. } => (
                    exercise(),
                    "Exercise".into(),
                    Mark::End,
                    format!(
                        "Ended: {}{} (score {score})",
                        e.kind.ended_title(sc).unwrap_or_default(),
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

fn stage_name(sc: &Scenario, s: u16) -> &str {
    sc.threat
        .as_ref()
        .and_then(|t| t.stages.get(usize::from(s)))
        .map_or("", |s| s.name.as_str())
}

/// Why a command was refused, in words.
pub fn rejection_words(sc: &Scenario, r: &Rejection) -> String {
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
            format!(
                "busy with \"{}\" until {}",
                super::words::action_name(sc, action.as_str()),
                super::words::when(sc, *until)
            )
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
