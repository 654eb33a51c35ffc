//! An event as one line of a seat's feed: its tag, its text, and whether it is urgent.

use std::fmt::Write as _;

use crate::engine::event::{Event, EventKind};
use crate::engine::model::Scenario;

use super::text;

/// A one-line summary of an event for a feed: tag, text, and whether it is alarming.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per kind of event; each arm is short"
)]
pub fn summary(sc: &Scenario, e: &Event) -> (String, String, bool) {
    let role_name = |a| crate::report::words::actor_name(sc, a);
    let action_name = |a: u32| sc.action(a).name.clone();
    let option_label = |inject: u32, option: u16| {
        sc.inject(inject)
            .prompt
            .as_ref()
            .and_then(|p| p.options.get(usize::from(option)))
            .map_or_else(String::new, |o| o.label.to_string())
    };
    match &e.kind {
        EventKind::ExerciseStarted { .. } => ("START".into(), sc.title.clone(), false),
        EventKind::InjectDelivered { inject, .. } => {
            let inj = sc.inject(*inject);
            let head = if inj.subject.is_empty() {
                inj.text.lines().next().unwrap_or("").to_owned()
            } else {
                inj.subject.to_string()
            };
            let from = if inj.from.is_empty() {
                String::new()
            } else {
                format!("{} — ", inj.from)
            };
            let tag = inj.channel.label().to_uppercase();
            (
                tag,
                format!(
                    "{from}{head}{}",
                    if inj.prompt.is_some() {
                        "  [decision]"
                    } else {
                        ""
                    }
                ),
                matches!(inj.channel, crate::engine::model::Channel::Alert),
            )
        }
        EventKind::AdHocInjectDelivered(a) => {
            ("NOTE".into(), format!("{}: {}", a.from, a.text), false)
        }
        EventKind::InjectCancelled { inject } => (
            "CANCEL".into(),
            format!(
                "\"{}\" will not come",
                crate::report::words::inject_name(sc, sc.inject(*inject).id.as_str())
            ),
            false,
        ),
        EventKind::DecisionMade { inject, option, by } => (
            "DECIDED".into(),
            format!("{}: {}", role_name(*by), option_label(*inject, *option)),
            false,
        ),
        EventKind::PromptExpired { inject, default } => (
            "EXPIRED".into(),
            format!(
                "No decision in time: {}",
                default.map_or_else(
                    || "nothing happens".to_owned(),
                    |d| option_label(*inject, d)
                )
            ),
            true,
        ),
        EventKind::ActionTaken {
            action,
            by,
            approved_by,
            preapproved,
            completes_at,
        } => {
            let mut s = format!("{}: {}", role_name(*by), action_name(*action));
            if *preapproved {
                s.push_str(" (pre-approved)");
            }
            if let Some(a) = approved_by {
                let _ = write!(s, " (approved by {})", role_name(*a));
            }
            if *completes_at > e.at {
                let _ = write!(s, " — until {}", sc.start.clock(*completes_at));
            }
            ("ACTION".into(), s, false)
        }
        EventKind::ActionCompleted { action, .. } => ("DONE".into(), action_name(*action), false),
        EventKind::ApprovalRequested {
            action, by, needed, ..
        } => (
            "APPROVAL".into(),
            format!(
                "{} asks to: {} (needs authority {needed})",
                role_name(*by),
                action_name(*action)
            ),
            true,
        ),
        EventKind::ApprovalGranted { action, by, .. } => (
            "APPROVED".into(),
            format!("{}: {}", role_name(*by), action_name(*action)),
            false,
        ),
        EventKind::ApprovalDenied { action, by, .. } => (
            "DENIED".into(),
            format!("{}: {}", role_name(*by), action_name(*action)),
            true,
        ),
        EventKind::VariableChanged { variable, from, to } => {
            let var = &sc.variables[*variable as usize];
            let name = &var.name;
            if var.min == 0 && var.max == 1 {
                let yes = if *to == 1 { "yes" } else { "no" };
                ("STATE".into(), format!("{name}: {yes}"), false)
            } else {
                ("STATE".into(), format!("{name}: {from} → {to}"), false)
            }
        }
        EventKind::ValueDrawn { draw, value, .. } => (
            "DRAW".into(),
            crate::report::words::draw_value(sc, sc.draws[*draw as usize].id.as_str(), *value, 200),
            false,
        ),
        EventKind::ThreatAdvanced { stage } => (
            "THREAT".into(),
            crate::report::words::stage_name(sc, usize::from(*stage)),
            true,
        ),
        EventKind::ThreatHalted { stage } => (
            "THREAT".into(),
            format!(
                "halted at {}",
                crate::report::words::stage_name(sc, usize::from(*stage))
            ),
            false,
        ),
        EventKind::ThreatResumed { stage } => (
            "THREAT".into(),
            format!(
                "moving again from {}",
                crate::report::words::stage_name(sc, usize::from(*stage))
            ),
            true,
        ),
        EventKind::SlaStarted {
            sla,
            severity,
            due_at,
        } => (
            "SLA".into(),
            format!(
                "{} started at severity {severity}{}",
                sc.slas[*sla as usize].name,
                due_at
                    .map(|d| format!(", due {}", sc.start.clock(d)))
                    .unwrap_or_default()
            ),
            false,
        ),
        EventKind::SlaMet { sla, minutes, .. } => {
            let sla = &sc.slas[*sla as usize].name;
            ("SLA".into(), format!("{sla} met in {minutes} min"), false)
        }
        EventKind::SlaBreached { sla, severity, .. } => {
            let sla = &sc.slas[*sla as usize].name;
            (
                "SLA".into(),
                format!("{sla} BREACHED at severity {severity}"),
                true,
            )
        }
        EventKind::MilestoneReached { milestone } => (
            "MARK".into(),
            format!("milestone: {}", milestone.label()),
            false,
        ),
        EventKind::Paused => ("CLOCK".into(), "clock paused".into(), false),
        EventKind::Resumed => ("CLOCK".into(), "running again".into(), false),
        EventKind::CommandRejected(r) => {
            ("REFUSED".into(), text::rejection(sc, &r.rejection), true)
        }
        EventKind::ObjectiveRated { objective, rating } => (
            "RATED".into(),
            format!("{}: {rating:?}", sc.objectives[*objective as usize].id),
            false,
        ),
        EventKind::CriterionMet { criterion, points } => (
            "SCORE".into(),
            format!("{}: +{points}", sc.rubric[*criterion as usize].id),
            false,
        ),
        EventKind::RunawayStopped { inject, limit } => (
            "STOPPED".into(),
            limit.describe(&sc.inject(*inject).subject),
            true,
        ),
        EventKind::ExerciseEnded { .. } => (
            "END".into(),
            e.kind.ended_title(sc).unwrap_or_default().to_owned(),
            true,
        ),
    }
}
