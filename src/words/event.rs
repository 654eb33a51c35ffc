//! An event in words: the one place that says what each kind of event means to a person.
//! [`said`] gives the feed's tag and line (the terminal's feed, the replay list) and the
//! report timeline's row (lanes, who, marker, sentence) from one arm per kind, so the feed
//! and the report cannot drift apart.

use std::fmt::Write as _;

use serde::Serialize;

use crate::engine::event::{Actor, AdHoc, Event, EventKind, Rejected, Runaway};
use crate::engine::ids::{RoleId, Seat};
use crate::engine::model::{
    ActionIx, Audience, Channel, InjectIx, Milestone, ObjectiveIx, Outcome, Rating, Scenario,
};
use crate::engine::time::GameTime;

use super::names::{
    actor_name, draw_value, dur, headline, inject_name, names, option_label, seat_name, short,
    stage_name,
};
use super::refusal;

/// The lane of the exercise itself (state, SLAs, milestones) in charts.
pub const LANE_EXERCISE: &str = "exercise";
/// The lane of the attacker.
pub const LANE_THREAT: &str = "threat";

/// What kind of line of the timeline, and so which marker the charts draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mark {
    Start,
    Inject,
    Note,
    Decision,
    Expired,
    Action,
    Done,
    Request,
    Approved,
    Denied,
    Refused,
    State,
    Threat,
    Sla,
    SlaBreach,
    Milestone,
    Clock,
    End,
}

impl Mark {
    /// The word for it in the timeline table and the CSV.
    pub fn word(self) -> &'static str {
        match self {
            Mark::Start => "start",
            Mark::Inject => "inject",
            Mark::Note => "facilitator note",
            Mark::Decision => "decision",
            Mark::Expired => "prompt expired",
            Mark::Action => "action",
            Mark::Done => "action done",
            Mark::Request => "approval request",
            Mark::Approved => "approved",
            Mark::Denied => "denied",
            Mark::Refused => "refused",
            Mark::State => "state",
            Mark::Threat => "threat",
            Mark::Sla => "sla",
            Mark::SlaBreach => "sla breach",
            Mark::Milestone => "milestone",
            Mark::Clock => "clock",
            Mark::End => "end",
        }
    }
}

/// An event in words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    /// The feed's tag: the channel of an inject (`ALERT`, `EMAIL`), else the kind (`ACTION`).
    pub tag: String,
    /// One line, for a feed or a list.
    pub line: String,
    /// Alarming: a player should look now (shown in the alert colour).
    pub urgent: bool,
    /// The report timeline's row; `None` for what the timeline leaves out (draws, ratings
    /// and scored criteria, which the report shows in their own sections).
    pub row: Option<Row>,
}

/// An event as a row of the report's timeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Role ids, or [`LANE_THREAT`] / [`LANE_EXERCISE`]: where the charts draw it.
    pub lanes: Vec<String>,
    /// Who, by name.
    pub who: String,
    pub mark: Mark,
    /// A whole sentence.
    pub text: String,
    /// When what it started ends (an action's completion).
    pub until: Option<GameTime>,
}

fn exercise() -> Vec<String> {
    vec![LANE_EXERCISE.to_owned()]
}

fn lane_of(s: &Seat) -> Vec<String> {
    match s {
        Seat::Role(r) => vec![r.to_string()],
        Seat::Facilitator | Seat::Evaluator => exercise(),
    }
}

fn row(lanes: Vec<String>, who: impl Into<String>, mark: Mark, text: String) -> Row {
    Row {
        lanes,
        who: who.into(),
        mark,
        text,
        until: None,
    }
}

/// Said in the feed and in the report's timeline.
fn line(tag: &str, line: impl Into<String>, urgent: bool, row: Row) -> Said {
    Said {
        tag: tag.to_owned(),
        line: line.into(),
        urgent,
        row: Some(row),
    }
}

/// Said in the feed only.
fn feed_only(tag: &str, line: impl Into<String>) -> Said {
    Said {
        tag: tag.to_owned(),
        line: line.into(),
        urgent: false,
        row: None,
    }
}

/// A row in the lane of the exercise, said by the exercise.
fn of_exercise(mark: Mark, text: String) -> Row {
    row(exercise(), "Exercise", mark, text)
}

/// A row in the actor's lane, said by the actor.
fn of_actor(sc: &Scenario, by: Actor, mark: Mark, text: String) -> Row {
    row(lane_of(&sc.seat(by)), actor_name(sc, by), mark, text)
}

/// A row in the attacker's lane.
fn of_threat(text: String) -> Row {
    row(vec![LANE_THREAT.to_owned()], "Attacker", Mark::Threat, text)
}

/// `e` in words, for the scenario it belongs to.
#[expect(
    clippy::too_many_lines,
    reason = "one arm per kind of event; each arm is short"
)]
pub fn said(sc: &Scenario, e: &Event) -> Said {
    match &e.kind {
        EventKind::ExerciseStarted { seed } => line(
            "START",
            sc.title.clone(),
            false,
            of_exercise(Mark::Start, format!("{} starts (seed {seed})", sc.title)),
        ),
        EventKind::TurnStarted { turn } => {
            let text = super::turns::turn_begins(sc, *turn, e.at);
            line("TURN", text.clone(), false, of_exercise(Mark::Start, text))
        }
        EventKind::InjectDelivered {
            inject,
            fired_by_facilitator,
            values,
            ..
        } => delivered(sc, e.audience, *inject, *fired_by_facilitator, values),
        EventKind::InjectPassedOn { inject, values } => passed_on(sc, e.audience, *inject, values),
        EventKind::AdHocInjectDelivered(a) => ad_hoc(sc, e.audience, a),
        EventKind::Noted(n) => noted(sc, n),
        EventKind::AdHocAnswered(a) => line(
            "ANSWER",
            format!("{}: {}", actor_name(sc, a.by), a.answer),
            false,
            of_actor(
                sc,
                a.by,
                Mark::Decision,
                format!(
                    "{} answered the free-text inject: {}",
                    actor_name(sc, a.by),
                    a.answer
                ),
            ),
        ),
        EventKind::InjectCancelled { inject } => {
            let name = inject_name(sc, sc.inject(*inject).id.as_str());
            line(
                "CANCEL",
                format!("\"{name}\" will not come"),
                false,
                of_exercise(
                    Mark::State,
                    format!("\"{name}\" will not come: its pending delivery was cancelled"),
                ),
            )
        }
        EventKind::DecisionMade { inject, option, by } => line(
            "DECIDED",
            format!("{}: {}", actor_name(sc, *by), label(sc, *inject, *option)),
            false,
            of_actor(
                sc,
                *by,
                Mark::Decision,
                format!("Decided: {}", option_label(sc, *inject, *option)),
            ),
        ),
        EventKind::PromptExpired { inject, default } => expired(sc, *inject, *default),
        EventKind::ActionTaken {
            action,
            by,
            approved_by,
            preapproved,
            completes_at,
        } => taken(
            sc,
            e.at,
            *action,
            *by,
            *approved_by,
            *preapproved,
            *completes_at,
        ),
        EventKind::ActionCompleted { action, by } => {
            let name = &sc.action(*action).name;
            line(
                "DONE",
                name.clone(),
                false,
                of_actor(sc, *by, Mark::Done, format!("Done: {name}")),
            )
        }
        EventKind::ApprovalRequested {
            action,
            by,
            approvers,
            needed,
            ..
        } => {
            let name = &sc.action(*action).name;
            let needs = sc.authority_words(sc.action(*action).domain, *needed);
            line(
                "APPROVAL",
                format!(
                    "{} asks {} to approve: {name} (needs {needs})",
                    actor_name(sc, *by),
                    names(sc, &sc.role_ids(*approvers))
                ),
                true,
                of_actor(
                    sc,
                    *by,
                    Mark::Request,
                    format!(
                        "Asks {} to approve: {name} (needs {needs})",
                        names(sc, &sc.role_ids(*approvers))
                    ),
                ),
            )
        }
        EventKind::ApprovalGranted { action, by, .. } => {
            answered(sc, *action, *by, "APPROVED", "Approved", Mark::Approved)
        }
        EventKind::ApprovalDenied { action, by, .. } => {
            answered(sc, *action, *by, "DENIED", "Denied", Mark::Denied)
        }
        EventKind::ApprovalWithdrawn { action, by, .. } => {
            let name = &sc.action(*action).name;
            line(
                "APPROVAL",
                format!(
                    "{}'s request needs no answer now: {name} was done another way",
                    actor_name(sc, *by)
                ),
                false,
                of_actor(
                    sc,
                    *by,
                    Mark::Request,
                    format!("Request withdrawn, done another way: {name}"),
                ),
            )
        }
        EventKind::VariableChanged { variable, from, to } => {
            let var = &sc.variables[*variable];
            let name = &var.name;
            let text = if var.min == 0 && var.max == 1 {
                format!("{name}: {}", if *to == 0 { "no" } else { "yes" })
            } else {
                format!("{name}: {from} \u{2192} {to}")
            };
            line("STATE", text.clone(), false, of_exercise(Mark::State, text))
        }
        EventKind::ValueDrawn { draw, value, .. } => feed_only(
            "DRAW",
            draw_value(sc, sc.draws[*draw].id.as_str(), *value, 200),
        ),
        EventKind::ThreatAdvanced { stage } => {
            let name = stage_name(sc, usize::from(*stage));
            line(
                "THREAT",
                name.clone(),
                true,
                of_threat(format!("Stage {}: {name}", stage.0 + 1)),
            )
        }
        EventKind::ThreatHalted { stage } => {
            let name = stage_name(sc, usize::from(*stage));
            line(
                "THREAT",
                format!("halted at {name}"),
                false,
                of_threat(format!("Halted at {name}")),
            )
        }
        EventKind::ThreatResumed { stage } => {
            let name = stage_name(sc, usize::from(*stage));
            line(
                "THREAT",
                format!("moving again from {name}"),
                true,
                of_threat(format!("Moving again from {name}")),
            )
        }
        EventKind::SlaStarted {
            sla,
            severity,
            due_at,
        } => {
            let name = &sc.slas[*sla].name;
            let due = due_at
                .map(|d| format!(", due {}", sc.start.clock(d)))
                .unwrap_or_default();
            let rest = format!("{name} started at severity {severity}{due}");
            let text = format!("SLA started: {name} at severity {severity}{due}");
            line("SLA", rest, false, of_exercise(Mark::Sla, text))
        }
        EventKind::SlaMet { sla, minutes, .. } => {
            let name = &sc.slas[*sla].name;
            line(
                "SLA",
                format!("{name} met in {minutes} min"),
                false,
                of_exercise(Mark::Sla, format!("SLA met: {name} in {}", dur(*minutes))),
            )
        }
        EventKind::SlaBreached {
            sla,
            severity,
            due_at,
        } => {
            let name = &sc.slas[*sla].name;
            line(
                "SLA",
                format!("{name} BREACHED at severity {severity}"),
                true,
                of_exercise(
                    Mark::SlaBreach,
                    format!(
                        "SLA breached: {name} at severity {severity} (due {})",
                        sc.start.clock(*due_at)
                    ),
                ),
            )
        }
        EventKind::MilestoneReached { milestone } => milestone_reached(*milestone),
        EventKind::Paused => clock("clock paused", "Clock paused"),
        EventKind::Resumed => clock("running again", "Clock running again"),
        EventKind::CommandRejected(r) => refused(sc, r),
        EventKind::ObjectiveRated { objective, rating } => rated(sc, *objective, *rating),
        EventKind::CriterionMet { criterion, points } => feed_only(
            "SCORE",
            format!("{}: +{points}", short(&sc.rubric[*criterion].text, 80)),
        ),
        EventKind::RunawayStopped { inject, limit } => stopped(sc, *inject, *limit),
        EventKind::EpilogueStarted { ending, until } => {
            let title = &sc.endings[usize::from(*ending)].title;
            let until = sc.start.clock(*until);
            line(
                "EPILOGUE",
                format!("The story runs on to {until}, then ends: {title}"),
                true,
                of_exercise(
                    Mark::Milestone,
                    format!("{title}: the story runs on until {until} (epilogue)"),
                ),
            )
        }
        EventKind::ExerciseEnded { outcome, score, .. } => {
            let title = e.kind.ended_title(sc).unwrap_or_default();
            line(
                "END",
                title,
                true,
                of_exercise(Mark::End, ended(title, *outcome, *score)),
            )
        }
    }
}

/// An option's label as a feed shows it (bare; the report quotes it).
fn label(sc: &Scenario, inject: InjectIx, option: u16) -> String {
    sc.inject(inject)
        .prompt
        .as_ref()
        .and_then(|p| p.options.get(usize::from(option)))
        .map_or_else(String::new, |o| o.label.to_string())
}

fn delivered(
    sc: &Scenario,
    audience: Audience,
    inject: InjectIx,
    by_facilitator: bool,
    values: &[i32],
) -> Said {
    let inj = sc.inject(inject);
    let (from, head) = sender_and_head(sc, inject, values);
    let feed = format!(
        "{from}{head}{}",
        if inj.prompt.is_some() {
            "  [decision]"
        } else {
            ""
        }
    );
    let to: Vec<RoleId> = sc.role_ids(audience);
    let mut s = String::new();
    if !inj.from.is_empty() {
        let _ = write!(s, "{}: ", inj.from);
    }
    let _ = write!(s, "{head} ({}", inj.channel.label());
    if by_facilitator {
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
    line(
        &inj.channel.label().to_uppercase(),
        feed,
        matches!(inj.channel, Channel::Alert),
        row(lanes, names(sc, &to), Mark::Inject, s),
    )
}

/// An inject's sender as a feed line starts (`NightWatch EDR — `, or nothing) and its
/// headline, with the values its text named.
fn sender_and_head(sc: &Scenario, inject: InjectIx, values: &[i32]) -> (String, String) {
    let inj = sc.inject(inject);
    let head = headline(&inj.subject, &sc.inject_text(inject, values));
    let from = if inj.from.is_empty() {
        String::new()
    } else {
        format!("{} — ", inj.from)
    };
    (from, head)
}

fn passed_on(sc: &Scenario, audience: Audience, inject: InjectIx, values: &[i32]) -> Said {
    let inj = sc.inject(inject);
    let (from, head) = sender_and_head(sc, inject, values);
    let to: Vec<RoleId> = sc.role_ids(audience);
    let s = format!(
        "{from}{head} ({}), passed on to the {}",
        inj.channel.label(),
        names(sc, &to)
    );
    line(
        &inj.channel.label().to_uppercase(),
        format!("passed on: {from}{head}"),
        false,
        row(
            to.iter().map(ToString::to_string).collect(),
            names(sc, &to),
            Mark::Inject,
            s,
        ),
    )
}

fn ad_hoc(sc: &Scenario, audience: Audience, a: &AdHoc) -> Said {
    let to: Vec<RoleId> = sc.role_ids(audience);
    line(
        "NOTE",
        format!("{}: {}", a.from, a.text),
        false,
        row(
            to.iter().map(ToString::to_string).collect(),
            names(sc, &to),
            Mark::Note,
            format!("{} ({}): {}", a.from, a.channel.label(), a.text),
        ),
    )
}

/// A note, with its module, objective and rating when it has them.
fn noted(sc: &Scenario, n: &crate::engine::event::Noted) -> Said {
    use crate::engine::model::NoteKind;
    let tag = match n.kind {
        NoteKind::Discussion => "NOTE",
        NoteKind::Observation => "OBSERVED",
        NoteKind::Strength => "STRENGTH",
        NoteKind::Improvement => "IMPROVE",
    };
    let mut about = Vec::new();
    if let Some(o) = n.objective.and_then(|o| sc.objectives.get(o.ix())) {
        about.push(format!("on \"{}\"", o.text));
    }
    if let Some(r) = n.rating {
        about.push(format!("rated {r:?}"));
    }
    let about = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join(", "))
    };
    let module = n
        .module
        .and_then(|m| sc.modules.get(usize::from(m)))
        .map(|m| format!(" [{}]", m.title))
        .unwrap_or_default();
    let who = actor_name(sc, n.by);
    line(
        tag,
        format!("{who}: {}{about}", n.text),
        false,
        of_actor(
            sc,
            n.by,
            Mark::Note,
            format!("{} {}{module}: {}{about}", who, n.kind.label(), n.text),
        ),
    )
}

fn expired(sc: &Scenario, inject: InjectIx, default: Option<u16>) -> Said {
    let p = sc.inject(inject).prompt.as_ref();
    let by: Vec<RoleId> = p
        .map(|p| p.by.iter().map(|r| sc.role(*r).id.clone()).collect())
        .unwrap_or_default();
    let q = p.map_or_else(String::new, |p| p.question.to_string());
    let feed = default.map_or_else(|| "nothing happens".to_owned(), |d| label(sc, inject, d));
    let report = default.map_or_else(|| "nothing".to_owned(), |d| option_label(sc, inject, d));
    line(
        "EXPIRED",
        format!("No decision in time: {feed}"),
        true,
        row(
            by.iter().map(ToString::to_string).collect(),
            names(sc, &by),
            Mark::Expired,
            format!("No answer in time to \u{201c}{q}\u{201d}: defaulted to {report}"),
        ),
    )
}

fn taken(
    sc: &Scenario,
    at: GameTime,
    action: ActionIx,
    by: Actor,
    approved_by: Option<Actor>,
    preapproved: bool,
    completes_at: GameTime,
) -> Said {
    let act = sc.action(action);
    let mut feed = format!("{}: {}", actor_name(sc, by), act.name);
    let mut s = act.name.clone();
    if !act.to.is_empty() {
        let _ = write!(s, " (to {})", names(sc, &sc.role_ids(act.to)));
    }
    if preapproved {
        feed.push_str(" (pre-approved)");
        s.push_str(", pre-approved by playbook");
    }
    if let Some(a) = approved_by {
        let _ = write!(feed, " (approved by {})", actor_name(sc, a));
        let _ = write!(s, ", approved by {}", actor_name(sc, a));
    }
    if completes_at > at {
        let until = sc.start.clock(completes_at);
        let _ = write!(feed, " — until {until}");
        let _ = write!(s, ", takes {} (until {until})", dur(completes_at.since(at)));
    }
    let mut r = of_actor(sc, by, Mark::Action, s);
    r.until = Some(completes_at);
    line("ACTION", feed, false, r)
}

fn answered(sc: &Scenario, action: ActionIx, by: Actor, tag: &str, verb: &str, mark: Mark) -> Said {
    let name = &sc.action(action).name;
    line(
        tag,
        format!("{}: {name}", actor_name(sc, by)),
        mark == Mark::Denied,
        of_actor(sc, by, mark, format!("{verb}: {name}")),
    )
}

fn milestone_reached(m: Milestone) -> Said {
    line(
        "MARK",
        format!("milestone: {}", m.label()),
        false,
        of_exercise(Mark::Milestone, format!("Milestone: {}", m.label())),
    )
}

fn clock(feed: &str, report: &str) -> Said {
    line(
        "CLOCK",
        feed,
        false,
        row(exercise(), "Facilitator", Mark::Clock, report.to_owned()),
    )
}

fn refused(sc: &Scenario, r: &Rejected) -> Said {
    line(
        "REFUSED",
        refusal::to_player(sc, &r.rejection),
        true,
        row(
            lane_of(&r.by),
            seat_name(sc, &r.by),
            Mark::Refused,
            format!("Refused: {}", refusal::in_record(sc, &r.rejection)),
        ),
    )
}

fn rated(sc: &Scenario, objective: ObjectiveIx, rating: Rating) -> Said {
    feed_only(
        "RATED",
        format!("{}: {rating:?}", short(&sc.objectives[objective].text, 80)),
    )
}

fn stopped(sc: &Scenario, inject: InjectIx, limit: Runaway) -> Said {
    let what = limit.describe(&inject_name(sc, sc.inject(inject).id.as_str()));
    line(
        "STOPPED",
        what.clone(),
        true,
        of_exercise(Mark::End, format!("Stopped: {what}")),
    )
}

fn ended(title: &str, outcome: Option<Outcome>, score: i32) -> String {
    format!(
        "Ended: {title}{} (score {score})",
        outcome
            .map(|o| format!(", {o:?} outcome"))
            .unwrap_or_default()
    )
}
