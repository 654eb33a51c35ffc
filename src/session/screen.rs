//! A seat's screen: everything one seat's terminal shows, already in words, taken from the
//! seat's view of the exercise and nothing else. A terminal draws only from a
//! [`SeatScreen`]; it never reads the exercise, its state or its scenario, so a seat whose
//! screen is drawn elsewhere (over the network) needs nothing but this, and no seat's
//! snapshot holds text of another audience (`tests/audience.rs` plays every bundled
//! scenario with tagged texts to hold that).

use serde::Serialize;

use crate::engine::event::{Event, EventKind};
use crate::engine::exercise::Exercise;
use crate::engine::ids::{ActionId, InjectId, Seat};
use crate::engine::model::{Outcome, Rating, RoleIx, Scenario, WithoutAuthority};
use crate::engine::time::GameTime;
use crate::engine::view::{Availability, View};
use crate::words::names::elapsed;
use crate::words::said;

use super::{Seating, Sitter};

mod board;
use board::board;
pub use board::{Board, Fireable, ModulePanel, SeatState};

/// What one seat's screen shows now.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeatScreen {
    pub seat: Seat,
    /// The seat's name and persona (the facilitator has none).
    pub name: String,
    pub persona: String,
    /// The scenario's title.
    pub title: String,
    pub now: GameTime,
    /// `Sat 03:39`.
    pub clock: String,
    /// `+0:09`.
    pub elapsed: String,
    pub seed: u64,
    pub paused: bool,
    pub over: bool,
    /// In an epilogue: the game time it ends at (`Sat 04:10`).
    pub epilogue_until: Option<String>,
    /// In a scenario played in turns: `turn 2 of 6 · 1 of 2 actions left` (a role's seat) or
    /// `turn 2 of 6`.
    pub turn: Option<String>,
    /// How the session moves: its pacing, its hold, whether recording failed.
    pub status: Status,
    /// The exercise spans more than one day: feed lines carry the day.
    pub multi_day: bool,
    /// The seat's events in words, newest first (draws, ratings and scores left out).
    pub feed: Vec<FeedLine>,
    /// The open decision the seat may answer, else the first it can see.
    pub prompt: Option<PromptPanel>,
    /// The threat, for seats that watch it.
    pub threat: Option<ThreatLine>,
    pub variables: Vec<VarLine>,
    /// Requests this seat may approve or deny.
    pub requests: Vec<RequestLine>,
    pub actions: Vec<ActionLine>,
    /// Other seats played by people here with a decision waiting for them, by name.
    pub waiting: Vec<String>,
    /// The facilitator's board; only on the facilitator's screen.
    pub board: Option<Board>,
    /// How it ended, once it has.
    pub ending: Option<EndingPanel>,
    /// The seat's briefing card (the same for the whole exercise).
    pub briefing: std::sync::Arc<crate::words::briefing::Briefing>,
}

/// How a session moves, as every seat's screen shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Status {
    /// Turn by turn rather than in real time.
    pub turn_mode: bool,
    /// Game minutes per real second.
    pub pace: u32,
    /// A resumed or forked session waiting to be started: where it left off.
    pub held: Option<String>,
    /// The last command could not be recorded; the clock stands still until one is.
    pub recording_failed: bool,
}

/// One event of a feed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FeedLine {
    pub seq: u32,
    /// The clock face (`03:39`, or `Sat 03:39` when the exercise spans days).
    pub clock: String,
    pub tag: String,
    pub line: String,
    pub urgent: bool,
    /// On the facilitator's screen: who received it (`→ SOC analyst, Duty executive`).
    pub to: Option<String>,
    pub detail: Detail,
}

/// What the detail pane shows of a feed line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Detail {
    /// A message: its heading (`Sat 03:39 · alert · `), sender, subject and text.
    Message {
        head: String,
        from: String,
        subject: String,
        text: String,
    },
    /// A facilitator's note: sender and text.
    Note { from: String, text: String },
    /// Anything else: the feed's words with the full clock face.
    Line { head: String, text: String },
}

impl Detail {
    /// The text whose length sets the detail pane's height.
    pub fn body(&self) -> &str {
        match self {
            Detail::Message { text, .. } | Detail::Note { text, .. } => text,
            Detail::Line { .. } => "",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PromptPanel {
    /// What the answer names: a scenario inject, or (`None`) a free-text inject.
    pub inject: Option<InjectId>,
    /// A free-text inject's answers: the event it came with.
    pub adhoc: Option<u32>,
    pub question: String,
    pub options: Vec<String>,
    pub can_answer: bool,
    pub expires_at: Option<GameTime>,
    /// The label of what happens when nobody answers in time.
    pub default: String,
    /// Who may answer it, by name.
    pub whose: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ThreatLine {
    pub stage_name: String,
    pub index: u16,
    pub of: u16,
    pub halted: bool,
    /// The facilitator's: when the next stage comes (`next stage at Sat 04:10`, `halted`,
    /// `final stage`).
    pub next: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct VarLine {
    pub name: String,
    /// `yes`, `no`, or `3 / 5`.
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct RequestLine {
    pub request: u32,
    /// `Isolate the host (asked by SOC analyst)`.
    pub what: String,
    pub can_decide: bool,
    /// This seat is an approver who cannot be reached now: why (greyed, not offered).
    pub why_not: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ActionLine {
    pub id: ActionId,
    pub name: String,
    pub description: String,
    pub duration: u32,
    pub authority: u8,
    /// In a scenario played in turns, what it spends of the turn's budget when that is not
    /// one action: `free`, `costs 2 actions`.
    pub cost: Option<String>,
    /// The authority it needs in words: "authority 3", "legal sign-off authority 2".
    pub needs: String,
    /// `phone → Duty executive`, for an action that sends something.
    pub channel: Option<String>,
    pub availability: Availability,
    /// When every approver of the action is a role nobody plays here: their names.
    pub unplayed_approvers: Option<String>,
    /// Whose approval it needs without the authority, by name.
    pub approvers: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EndingPanel {
    pub title: String,
    pub outcome: Option<Outcome>,
    /// The ending's own text, if it has one.
    pub text: Option<String>,
    pub score: i32,
    /// The most this scenario's rubric gives.
    pub max_score: i32,
    /// `Decisions 3 · expired into their default 1 · …`.
    pub tallies: String,
    pub objectives: Vec<(Rating, String)>,
    /// The facilitator ended it: an objective not evaluated was cut short, not inapplicable.
    pub by_facilitator: bool,
}

/// The events of `seat`'s feed, newest first: what reaches the seat, without the draws,
/// ratings and scores (the report has those).
pub fn feed_events<'a>(ex: &'a Exercise, seat: &Seat) -> Vec<&'a Event> {
    // A seat that is not one of the scenario's roles sees nothing.
    let who = ex.scenario().actor(seat);
    ex.events()
        .iter()
        .rev()
        .filter(|e| who.is_some_and(|w| e.visible_to(w)))
        .filter(|e| {
            !matches!(
                e.kind,
                EventKind::ValueDrawn { .. }
                    | EventKind::ObjectiveRated { .. }
                    | EventKind::CriterionMet { .. }
            )
        })
        .collect()
}

/// The people's seats of `seating`, in turn order: roles first, then the facilitator
/// (who is also the one seat when nobody else plays).
pub fn people(sc: &Scenario, seating: &Seating) -> Vec<Seat> {
    let mut v: Vec<Seat> = sc
        .roles
        .iter()
        .zip(&seating.roles)
        .filter(|(_, k)| **k == Sitter::Person)
        .map(|(r, _)| Seat::Role(r.id.clone()))
        .collect();
    if seating.facilitator == Sitter::Person
        || (v.is_empty() && seating.evaluator != Sitter::Person)
    {
        v.push(Seat::Facilitator);
    }
    if seating.evaluator == Sitter::Person {
        v.push(Seat::Evaluator);
    }
    v
}

impl super::Session {
    /// How this session moves.
    pub fn status(&self) -> Status {
        Status {
            turn_mode: self.pacing.turn_mode,
            pace: self.pacing.pace,
            held: self.held.clone(),
            recording_failed: self.not_recorded.is_some(),
        }
    }

    /// What `seat` sees now.
    pub fn screen(&self, seat: &Seat) -> SeatScreen {
        screen(&self.ex, &self.seating, self.status(), seat)
    }
}

/// Where a scenario played in turns stands, for `seat`: the turn, and what its role may
/// still spend in it.
fn turn_line(ex: &Exercise, seat: &Seat) -> Option<String> {
    let sc = &**ex.scenario();
    let now = ex.state().now;
    let turn = sc.turn_of(now)?;
    let of = sc
        .turn_count()
        .map(|n| format!(" of {n}"))
        .unwrap_or_default();
    let mut line = format!("turn {turn}{of}");
    if let Seat::Role(r) = seat
        && !ex.is_over()
        && let Some(r) = sc.role_index(r.as_str())
        && let (Some(budget), Some(left)) = (sc.budget(r), ex.lens(r).budget_left())
    {
        let unit = if budget == 1 { "action" } else { "actions" };
        line = format!("{line} · {left} of {budget} {unit} left");
    }
    Some(line)
}

/// What `seat` sees now of `ex`, with `seating` saying who plays the others and `status`
/// how the session moves.
pub fn screen(ex: &Exercise, seating: &Seating, status: Status, seat: &Seat) -> SeatScreen {
    let sc = &**ex.scenario();
    let st = ex.state();
    let view = ex.view_for(seat);
    // The evaluator sees what the facilitator sees.
    let facilitator = matches!(seat, Seat::Facilitator | Seat::Evaluator);
    let (name, persona) = match seat {
        Seat::Facilitator => ("Facilitator".to_owned(), String::new()),
        Seat::Evaluator => ("Evaluator".to_owned(), String::new()),
        Seat::Role(r) => sc.role_index(r.as_str()).map_or_else(
            || (r.to_string(), String::new()),
            |i| (sc.role(i).name.clone(), sc.role(i).persona.clone()),
        ),
    };
    let multi_day = sc.end.minutes() + sc.start.minute_of_day > 24 * 60;
    SeatScreen {
        seat: seat.clone(),
        name,
        persona,
        title: sc.title.clone(),
        now: st.now,
        clock: sc.start.clock(st.now).to_string(),
        elapsed: elapsed(st.now),
        seed: st.seed,
        paused: st.paused,
        over: ex.is_over(),
        epilogue_until: st
            .epilogue
            .filter(|_| !ex.is_over())
            .map(|(_, until)| sc.start.clock(until).to_string()),
        turn: turn_line(ex, seat),
        status,
        multi_day,
        feed: feed_events(ex, seat)
            .into_iter()
            .map(|e| feed_line(sc, e, seat, multi_day))
            .collect(),
        prompt: prompt(sc, &view)
            .filter(|p| p.can_answer)
            .or_else(|| ad_hoc_prompt(ex, seat))
            .or_else(|| prompt(sc, &view)),
        threat: view.threat.as_ref().map(|t| ThreatLine {
            stage_name: t.stage_name.clone(),
            index: t.index,
            of: t.of,
            halted: t.halted,
            next: facilitator.then(|| match (t.halted, t.next_at) {
                (true, _) => "halted".to_owned(),
                (false, Some(n)) => format!("next stage at {}", sc.start.clock(n)),
                (false, None) => "final stage".to_owned(),
            }),
        }),
        variables: view
            .variables
            .iter()
            .map(|v| VarLine {
                name: v.name.clone(),
                value: crate::words::names::var_shown(sc, v),
            })
            .collect(),
        requests: view
            .requests
            .iter()
            .filter(|q| q.can_decide || q.unreachable.is_some())
            .map(|q| RequestLine {
                request: q.request,
                what: format!(
                    "{} (asked by {})",
                    crate::words::names::action_name(sc, q.action.as_str()),
                    crate::words::names::role_name(sc, &q.by)
                ),
                can_decide: q.can_decide,
                why_not: q.unreachable.clone(),
            })
            .collect(),
        actions: actions(sc, seating, &view),
        waiting: waiting(ex, seating, seat),
        board: facilitator.then(|| board(ex, &view, seating)),
        ending: ending(ex),
        briefing: std::sync::Arc::new(crate::words::briefing::card(sc, seat)),
    }
}

fn feed_line(sc: &Scenario, e: &Event, seat: &Seat, multi_day: bool) -> FeedLine {
    // The evaluator sees what the facilitator sees.
    let facilitator = matches!(seat, Seat::Facilitator | Seat::Evaluator);
    let words = said(sc, e);
    let clock = sc.start.clock(e.at).to_string();
    let short_clock = if multi_day {
        clock.clone()
    } else {
        clock.get(4..).unwrap_or("").to_owned()
    };
    let to = (facilitator
        && !matches!(
            e.kind,
            EventKind::ExerciseStarted { .. } | EventKind::ExerciseEnded { .. }
        ))
    .then(|| {
        let who: Vec<&str> = e
            .audience
            .roles()
            .map(|r| sc.role(r).name.as_str())
            .collect();
        if who.is_empty() {
            "facilitator only".to_owned()
        } else {
            who.join(", ")
        }
    });
    let detail = match &e.kind {
        EventKind::InjectDelivered { inject, values, .. }
        | EventKind::InjectPassedOn { inject, values } => {
            let inj = sc.inject(*inject);
            let passed = matches!(e.kind, EventKind::InjectPassedOn { .. });
            Detail::Message {
                head: format!(
                    "{clock} · {}{} · ",
                    inj.channel.label(),
                    if passed { " · passed on" } else { "" }
                ),
                from: inj.from.to_string(),
                subject: inj.subject.to_string(),
                text: sc.inject_text(*inject, values).into_owned(),
            }
        }
        EventKind::AdHocInjectDelivered(a) => Detail::Note {
            from: a.from.clone(),
            text: a.text.clone(),
        },
        // The start shows the seat's own brief (the whole card is on the briefing key).
        EventKind::ExerciseStarted { .. } => {
            let (from, text) = match seat {
                Seat::Role(r) => sc.role_index(r.as_str()).map_or_else(
                    || (r.to_string(), String::new()),
                    |i| (sc.role(i).name.clone(), sc.role(i).briefing.clone()),
                ),
                Seat::Facilitator | Seat::Evaluator => {
                    (crate::words::names::seat_name(sc, seat), sc.summary.clone())
                }
            };
            Detail::Message {
                head: format!("{clock} · "),
                from,
                subject: if facilitator {
                    "The exercise"
                } else {
                    "Your brief"
                }
                .to_owned(),
                text,
            }
        }
        _ => Detail::Line {
            head: format!("{clock} {} ", words.tag),
            text: words.line.clone(),
        },
    };
    FeedLine {
        seq: e.seq,
        clock: short_clock,
        tag: words.tag,
        line: words.line,
        urgent: words.urgent,
        to,
        detail,
    }
}

fn prompt(sc: &Scenario, view: &View<'_>) -> Option<PromptPanel> {
    let p = view
        .prompts
        .iter()
        .find(|p| p.can_answer)
        .or_else(|| view.prompts.first())?;
    let def = sc
        .inject_index(p.inject.as_str())
        .and_then(|i| sc.inject(i).prompt.as_ref());
    Some(PromptPanel {
        inject: Some(p.inject.clone()),
        adhoc: None,
        question: p.question.clone(),
        options: p.options.iter().map(|(_, l)| l.clone()).collect(),
        can_answer: p.can_answer,
        expires_at: p.expires_at,
        default: def
            .and_then(|d| {
                d.default
                    .map(|o| d.options[usize::from(o)].label.to_string())
            })
            .unwrap_or_default(),
        whose: def.map_or_else(Vec::new, |d| {
            d.by.iter().map(|r| sc.role(*r).name.clone()).collect()
        }),
    })
}

/// The newest free-text inject with answers that this role received and has not answered.
fn ad_hoc_prompt(ex: &Exercise, seat: &Seat) -> Option<PromptPanel> {
    let sc = ex.scenario();
    let Seat::Role(id) = seat else {
        return None;
    };
    let r = sc.role_index(id.as_str())?;
    let answered = |seq: u32| {
        ex.events().iter().any(|e| {
            matches!(&e.kind, EventKind::AdHocAnswered(a)
                if a.seq == seq && a.by == crate::engine::event::Actor::Role(r))
        })
    };
    ex.events().iter().rev().find_map(|e| match &e.kind {
        EventKind::AdHocInjectDelivered(a)
            if !a.options.is_empty() && e.audience.includes(r) && !answered(e.seq) =>
        {
            Some(PromptPanel {
                inject: None,
                adhoc: Some(e.seq),
                question: format!("{}: {}", a.from, a.text),
                options: a.options.clone(),
                can_answer: true,
                expires_at: None,
                default: String::new(),
                whose: vec![sc.role(r).name.clone()],
            })
        }
        _ => None,
    })
}

fn actions(sc: &Scenario, seating: &Seating, view: &View<'_>) -> Vec<ActionLine> {
    view.actions
        .iter()
        .map(|a| {
            let channel = a.channel.map(|c| {
                let to: Vec<String> =
                    a.to.iter()
                        .map(|r| crate::words::names::role_name(sc, r))
                        .collect();
                if to.is_empty() {
                    c.label().to_owned()
                } else {
                    format!("{} → {}", c.label(), to.join(", "))
                }
            });
            ActionLine {
                id: a.id.clone(),
                name: a.name.clone(),
                description: a.description.clone(),
                duration: a.duration,
                authority: a.authority,
                cost: sc
                    .action_index(a.id.as_str())
                    .filter(|_| sc.turns.is_some())
                    .and_then(|i| match sc.action(i).cost {
                        0 => Some("free".to_owned()),
                        1 => None,
                        n => Some(format!("costs {n} actions")),
                    }),
                needs: crate::engine::model::authority_words(a.domain.as_deref(), a.authority),
                channel,
                availability: a.availability.clone(),
                unplayed_approvers: unplayed_approvers(sc, seating, a.id.as_str()),
                approvers: role_names(sc, approvers_of(sc, a.id.as_str())),
            }
        })
        .collect()
}

/// The roles whose approval an action needs without the authority (none: it is refused).
pub(super) fn approvers_of<'s>(sc: &'s Scenario, action: &str) -> &'s [RoleIx] {
    match sc
        .action_index(action)
        .map(|a| &sc.action(a).without_authority)
    {
        Some(WithoutAuthority::Approval(approvers)) => approvers,
        _ => &[],
    }
}

/// The roles' names, joined; none for no roles.
fn role_names(sc: &Scenario, roles: &[RoleIx]) -> Option<String> {
    (!roles.is_empty()).then(|| {
        roles
            .iter()
            .map(|r| sc.role(*r).name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    })
}

/// When an action's approvers are all roles nobody plays here, their names: such a request
/// would never be answered.
fn unplayed_approvers(sc: &Scenario, seating: &Seating, action: &str) -> Option<String> {
    let approvers = approvers_of(sc, action);
    let nobody = approvers
        .iter()
        .all(|r| seating.roles.get(usize::from(*r)) == Some(&Sitter::Nobody));
    role_names(sc, approvers).filter(|_| nobody)
}

/// People's seats other than `seat` with a decision waiting for them, by name.
fn waiting(ex: &Exercise, seating: &Seating, seat: &Seat) -> Vec<String> {
    let sc = ex.scenario();
    let seats = people(sc, seating);
    let mut names = Vec::new();
    for p in &ex.state().prompts {
        let Some(prompt) = &sc.inject(p.inject).prompt else {
            continue;
        };
        for r in &prompt.by {
            let other = Seat::Role(sc.role(*r).id.clone());
            let name = sc.role(*r).name.clone();
            if other != *seat && seats.contains(&other) && !names.contains(&name) {
                names.push(name);
            }
        }
    }
    names
}

fn ending(ex: &Exercise) -> Option<EndingPanel> {
    let sc = ex.scenario();
    let ev = ex.events();
    let (ending, title, outcome, score, by_facilitator) =
        ev.iter().rev().find_map(|e| match &e.kind {
            EventKind::ExerciseEnded {
                ending,
                outcome,
                score,
                by_facilitator,
                ..
            } => Some((
                *ending,
                e.kind.ended_title(sc),
                *outcome,
                *score,
                *by_facilitator,
            )),
            _ => None,
        })?;
    let count = |p: &dyn Fn(&EventKind) -> bool| ev.iter().filter(|e| p(&e.kind)).count();
    let decisions = count(&|k| matches!(k, EventKind::DecisionMade { .. }));
    let expired = count(&|k| matches!(k, EventKind::PromptExpired { .. }));
    let actions = count(&|k| matches!(k, EventKind::ActionTaken { .. }));
    let requests = count(&|k| matches!(k, EventKind::ApprovalRequested { .. }));
    let breaches = count(&|k| matches!(k, EventKind::SlaBreached { .. }));
    Some(EndingPanel {
        title: title.unwrap_or_default().to_owned(),
        outcome,
        text: ending.map(|e| sc.endings[usize::from(e)].text.clone()),
        score,
        max_score: sc.max_score(),
        tallies: format!(
            "Decisions {decisions} · expired into their default {expired} · actions {actions} · approval requests {requests} · SLA breaches {breaches}"
        ),
        objectives: ev
            .iter()
            .filter_map(|e| match &e.kind {
                EventKind::ObjectiveRated { objective, rating } => {
                    Some((*rating, sc.objectives[*objective].text.clone()))
                }
                _ => None,
            })
            .collect(),
        by_facilitator,
    })
}
