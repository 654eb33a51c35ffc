//! The after-action report: a pure function of the scenario, the end state of a run (its
//! event log) and a little the engine does not know (who played each seat, a date given as
//! input, the bots' best run for comparison). The same input always gives the same bytes in
//! every format. Depends on the engine only: no files, clock, environment or terminal
//! (`tests/layering.rs` checks).

pub mod csv;
pub mod debrief;
pub mod document;
pub mod facts;
mod findings;
pub mod graph;
pub mod handout;
pub mod html;
pub mod json;
pub mod markdown;
pub mod metrics;
mod room;
mod svg;
pub mod timeline;
pub mod words;

use std::fmt::Write as _;

use crate::engine::ids::{RoleId, Seat};
use crate::engine::model::{Milestone, Rating, Scenario};
use crate::engine::state::State;
use crate::engine::time::GameTime;

pub use document::{Comparison, PlayedBy, Report};
pub use metrics::Metrics;

use document::{
    KeyTime, ObjectiveRow, Overview, Participant, PlanRow, RoleRow, SCHEMA_VERSION, Summary,
};
use metrics::Source;
use words::{clock, dur, list, outcome_word, rating_text, stage_name, when};

/// What the report needs besides the scenario and the state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportInput {
    /// Who played each role; a role not listed was played by nobody.
    pub seats: Vec<(RoleId, PlayedBy)>,
    /// Who sat in the facilitator's seat (`None`: nobody).
    pub facilitator: Option<PlayedBy>,
    /// A date line, only when given: the report never reads a clock.
    pub date: Option<String>,
    /// The by-the-book bots' best outcome from the same seed, when computed.
    pub comparison: Option<Comparison>,
    /// Who gave commands, by name, in which seat, and how many (networked seats).
    pub participants: Vec<(Seat, String, u32)>,
    /// The session's name, when it was given one.
    pub session_name: Option<String>,
}

impl ReportInput {
    pub fn played_by(&self, role: &RoleId) -> PlayedBy {
        self.seats
            .iter()
            .find(|(r, _)| r == role)
            .map_or(PlayedBy::Nobody, |(_, p)| *p)
    }
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Html,
    Json,
    Csv,
}

/// Renders a report in a format.
///
/// Scenario and journal text in it cannot carry terminal escapes, bidirectional overrides
/// or (in CSV) spreadsheet formulas: see [`crate::untrusted`].
pub fn render(report: &Report, format: Format) -> String {
    let safe = |s: String| crate::untrusted::terminal(&s).into_owned();
    match format {
        Format::Markdown => safe(markdown::render(report)),
        Format::Html => safe(html::render(report)),
        Format::Json => crate::untrusted::json(json::render(report)),
        // Its line ends are CRLF: the cells are made safe one by one instead.
        Format::Csv => csv::render(report),
    }
}

/// Builds the report of a run.
pub fn build(sc: &Scenario, st: &State, input: &ReportInput) -> Report {
    let m = metrics::compute(sc, st);
    let played = |r: &RoleId| input.played_by(r);
    let ctx = findings::Ctx {
        sc,
        st,
        m: &m,
        played_by: &played,
    };
    let (strengths, improvements) = findings::derive(&ctx);
    let plan = improvements
        .iter()
        .map(|f| PlanRow {
            issue: f.title.clone(),
            corrective_action: f.corrective_action.clone(),
            capability: f.capability,
            owner: f.owner_name.clone(),
            priority: f.priority,
        })
        .collect();
    let overview = overview(sc, &m, input);
    let key_times = key_times(sc, &m);
    let mut objectives = objectives(sc, &m);
    room::rate_objectives(sc, st, &mut objectives);
    let summary = summary(sc, &m, input, &objectives, &strengths, &improvements);
    let threat_bands = timeline::bands(sc, st, m.ended_at);
    let improvements_for_debrief = improvements.clone();
    Report {
        figures: figures(&m, &threat_bands, sc.has_boundary()),
        schema_version: SCHEMA_VERSION,
        overview,
        summary,
        key_times,
        objectives,
        strengths,
        improvements,
        plan,
        timeline: timeline::rows(sc, st),
        threat_bands,
        debrief: debrief::build(sc, st, &m, input, &improvements_for_debrief),
        metrics: m,
        room: room::build(sc, st),
    }
}

/// The headline figures, one line each.
fn figures(m: &Metrics, bands: &[document::ThreatBand], boundary: bool) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(t) = &m.threat {
        let name = bands
            .iter()
            .find(|b| b.stage == t.stage)
            .map_or_else(|| t.stage.to_string(), |b| b.name.clone());
        let of = if t.of == 0 {
            String::new()
        } else {
            format!("{} of {}, ", t.index + 1, t.of)
        };
        out.push(format!(
            "Threat stage reached: {of}{name}{}",
            if t.halted { " (halted)" } else { "" }
        ));
    }
    if let Some(b) = &m.business_impact {
        out.push(format!(
            "Business impact: {} (from {}, on a scale of {} to {})",
            b.value, b.initial, b.min, b.max
        ));
    }
    if let Some(e) = &m.evidence {
        out.push(format!(
            "Evidence kept: {} (from {}, on a scale of {} to {})",
            e.value, e.initial, e.min, e.max
        ));
    }
    let breaches: Vec<String> = m
        .sla_breaches
        .iter()
        .map(|(sev, n)| format!("{n} at severity {sev}"))
        .collect();
    out.push(format!(
        "SLA breaches: {}",
        if breaches.is_empty() {
            "none".to_owned()
        } else {
            breaches.join(", ")
        }
    ));
    out.push(format!(
        "Prompts that expired into their default: {}",
        m.expired_prompts.len()
    ));
    let lat: Vec<u32> = m.crossings.iter().filter_map(|c| c.latency).collect();
    let unanswered = m
        .crossings
        .iter()
        .filter(|c| c.answered_at.is_none() && !c.withdrawn)
        .count();
    let range = match (lat.iter().min(), lat.iter().max()) {
        (Some(a), Some(b)) if a == b => format!(", answered after {}", dur(*a)),
        (Some(a), Some(b)) => format!(", answered after {} to {}", dur(*a), dur(*b)),
        _ => String::new(),
    };
    if boundary {
        out.push(format!(
            "Crossings of the commercial boundary (calls, tickets, approval requests): {}, {} answered{range}, {unanswered} unanswered",
            m.crossings.len(),
            lat.len(),
        ));
    }
    out.push(format!("Score: {} of {}", m.score, m.max_score));
    out
}

fn overview(sc: &Scenario, m: &Metrics, input: &ReportInput) -> Overview {
    Overview {
        session_name: input.session_name.clone(),
        scenario: sc.id.clone(),
        title: sc.title.clone(),
        summary: sc.summary.clone(),
        notes: sc.notes.clone(),
        seed: m.seed,
        start: sc.start,
        date: input.date.clone(),
        started: clock(sc, GameTime::ZERO),
        ended: clock(sc, m.ended_at),
        played_minutes: m.ended_at.minutes(),
        scheduled_end: clock(sc, sc.end),
        threat: sc.threat.as_ref().map(|t| t.name.clone()),
        roles: sc
            .roles
            .iter()
            .map(|r| RoleRow {
                role: r.id.clone(),
                name: r.name.clone(),
                side: r.side,
                authority: r.authority,
                authority_in: r
                    .authority_in
                    .iter()
                    .filter_map(|(d, n)| sc.domain_name(*d).map(|name| (name.to_owned(), *n)))
                    .collect(),
                persona: r.persona.clone(),
                played_by: input.played_by(&r.id),
            })
            .collect(),
        facilitator: input.facilitator.unwrap_or(PlayedBy::Nobody),
        interim: (!m.finished).then(|| words::elapsed(m.ended_at)),
        participants: input
            .participants
            .iter()
            .map(|(seat, name, n)| Participant {
                name: name.clone(),
                seat: words::seat_name(sc, seat),
                commands: *n,
            })
            .collect(),
    }
}

fn key_times(sc: &Scenario, m: &Metrics) -> Vec<KeyTime> {
    let labels = [
        (Milestone::Triaged, "Time to first triage"),
        (
            Milestone::Escalated,
            if sc.has_boundary() {
                "Time to escalate across the boundary"
            } else {
                "Time to escalate"
            },
        ),
        (Milestone::DecisionNeeded, "Decision needed"),
        (Milestone::Authorised, "Time to an authorised decision"),
        (Milestone::Contained, "Time to contain"),
    ];
    let mut out = Vec::new();
    for (ms, label) in labels {
        let t = m.milestones[ms.index()];
        let note = match t.source {
            Source::Scenario => "as the scenario defines it".to_owned(),
            Source::Inferred => "inferred from the kinds of actions and answers (the scenario declares no condition for it)".to_owned(),
            Source::Implied => "implied: containment needed more authority than the responders had, and no playbook covered it, from their first alert".to_owned(),
            Source::NotReached => "not reached".to_owned(),
        };
        out.push(KeyTime {
            label: label.into(),
            minutes: t.at.map(GameTime::minutes),
            clock: t.at.map(|a| clock(sc, a)),
            note,
        });
        if ms == Milestone::Authorised {
            out.push(KeyTime {
                label: "Time waiting on authority".into(),
                minutes: m.waiting_on_authority,
                clock: None,
                note: if m.authority_never_came {
                    "from decision needed to the end: no authorised decision".into()
                } else if m.waiting_on_authority.is_some() {
                    "from decision needed to the authorised decision".into()
                } else {
                    "no decision above the responders' authority was needed".into()
                },
            });
        }
    }
    out
}

fn objectives(sc: &Scenario, m: &Metrics) -> Vec<ObjectiveRow> {
    sc.objectives
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let rating = m
                .objectives
                .iter()
                .find(|r| r.objective == o.id)
                .map(|r| r.rating);
            let mut met = Vec::new();
            let mut missed = Vec::new();
            for c in sc
                .rubric
                .iter()
                .filter(|c| c.objective.is_some_and(|x| x.ix() == i))
            {
                if m.criteria_met.contains(&c.id) {
                    met.push(c.text.clone());
                } else {
                    missed.push(c.text.clone());
                }
            }
            ObjectiveRow {
                objective: o.id.clone(),
                text: o.text.clone(),
                rating,
                rating_text: match rating {
                    // Not evaluated, and not because the facilitator ended it first: the
                    // situation it is about never arose (its `applies` did not hold).
                    Some(Rating::N) if !m.by_facilitator => {
                        "Not evaluated: the situation it is about did not arise in this run"
                    }
                    r => r.map_or("Not rated: the exercise has not ended", rating_text),
                }
                .into(),
                criteria_met: met,
                criteria_missed: missed,
                observed: None,
            }
        })
        .collect()
}

fn summary(
    sc: &Scenario,
    m: &Metrics,
    input: &ReportInput,
    objectives: &[ObjectiveRow],
    strengths: &[document::Finding],
    improvements: &[document::Finding],
) -> Summary {
    let ending = m
        .ending
        .as_ref()
        .and_then(|e| sc.endings.iter().find(|x| x.id == *e));
    let ending_title = m
        .ending_title
        .clone()
        .unwrap_or_else(|| "Not ended".to_owned());
    let mut paragraphs = Vec::new();
    let end_words = if m.finished {
        format!(
            "It ended at {} ({} into the exercise) with \u{201c}{ending_title}\u{201d}, {}.",
            clock(sc, m.ended_at),
            dur(m.ended_at.minutes()),
            outcome_word(m.outcome)
        )
    } else {
        format!(
            "It had not ended at {} ({} in).",
            clock(sc, m.ended_at),
            dur(m.ended_at.minutes())
        )
    };
    paragraphs.push(format!(
        "{} was played from {} with seed {}. {end_words}{}",
        sc.title,
        clock(sc, GameTime::ZERO),
        m.seed,
        ending.map_or_else(String::new, |e| format!(" {}", e.text))
    ));
    if let (Some(t), Some(th)) = (&m.threat, &sc.threat) {
        let at = t
            .entered
            .get(usize::from(t.index))
            .and_then(|(_, a)| *a)
            .map_or_else(String::new, |a| format!(" at {}", clock(sc, a)));
        paragraphs.push(format!(
            "The attacker ({}) reached {}\u{201c}{}\u{201d}{at}{}.",
            th.name,
            if t.of == 0 {
                String::new()
            } else {
                format!("stage {} of {}, ", t.index + 1, t.of)
            },
            stage_name(sc, usize::from(t.index)),
            if t.halted {
                ", and was halted there"
            } else {
                ""
            }
        ));
    }
    let mut times = Vec::new();
    for (ms, what, none) in [
        (Milestone::Triaged, "triage", "no triage"),
        if sc.has_boundary() {
            (
                Milestone::Escalated,
                "escalation across the boundary",
                "no escalation across the boundary",
            )
        } else {
            (Milestone::Escalated, "escalation", "no escalation")
        },
        (
            Milestone::Authorised,
            "an authorised decision",
            "no authorised decision",
        ),
        (Milestone::Contained, "containment", "no containment"),
    ] {
        let t = m.milestones[ms.index()];
        times.push(match t.at {
            Some(a) => format!("{what} at {}", when(sc, a)),
            None => none.to_owned(),
        });
    }
    let mut p = format!("Key moments: {}.", list(&times));
    if let Some(w) = m.waiting_on_authority {
        let _ = write!(
            p,
            " Time waiting on authority: {}{}.",
            dur(w),
            if m.authority_never_came {
                ", never resolved"
            } else {
                ""
            }
        );
    }
    paragraphs.push(p);
    let rated: Vec<Rating> = objectives.iter().filter_map(|o| o.rating).collect();
    if !rated.is_empty() {
        let n = |r: Rating| rated.iter().filter(|x| **x == r).count();
        let not = match n(Rating::N) {
            0 => String::new(),
            k => format!(", {k} not evaluated"),
        };
        paragraphs.push(format!(
            "Score {} of {}. Objectives: {} P, {} S, {} M, {} U{not} (of {}).",
            m.score,
            m.max_score,
            n(Rating::P),
            n(Rating::S),
            n(Rating::M),
            n(Rating::U),
            rated.len()
        ));
    }
    match improvements.first() {
        Some(f) => paragraphs.push(
            format!(
                "Principal area for improvement: {}. {}",
                f.title, f.corrective_action
            ) + ".",
        ),
        None => paragraphs.push("No area for improvement was found in the figures.".into()),
    }
    if let Some(f) = strengths.first() {
        paragraphs.push(format!("Principal strength: {}.", f.title));
    }
    let what_could_have_been = match &input.comparison {
        Some(c) => format!(
            "What could have been: from the same seed, the by-the-book bots reached \u{201c}{}\u{201d} ({}) with a score of {}.",
            c.ending_title,
            outcome_word(c.outcome),
            c.score
        ),
        None => "What could have been: not computed for this report (the by-the-book bots' run from the same seed is not part of it).".into(),
    };
    Summary {
        ending_title,
        outcome: m.outcome,
        ending_text: ending.map_or_else(String::new, |e| e.text.clone()),
        score: m.score,
        max_score: m.max_score,
        paragraphs,
        comparison: input.comparison.clone(),
        what_could_have_been,
    }
}
