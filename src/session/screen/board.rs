//! The facilitator's board on the facilitator's screen: the hidden state (what is coming
//! up, the draws), what the facilitator may fire with a preview of what it does, the
//! recipients of a free-text inject, and each seat's state (who plays it, what it is doing
//! or waiting on).

use serde::Serialize;

use crate::engine::exercise::Exercise;
use crate::engine::ids::{InjectId, RoleId};
use crate::engine::model::RoleIx;
use crate::engine::time::GameTime;
use crate::engine::view::View;
use crate::words::names::{draw_value, headline, inject_name};

use super::super::{Seating, Sitter};
use super::approvers_of;

/// The facilitator's board: the hidden state and what the facilitator may send.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Board {
    /// Deliveries waiting, soonest first: clock face and the inject's name.
    pub coming_up: Vec<(String, String)>,
    /// Each seeded draw, value first, in words.
    pub drawn: Vec<String>,
    /// Injects the facilitator may fire now: contingencies first.
    pub fireable: Vec<Fireable>,
    /// Recipients for a free-text inject: everyone, then each role.
    pub recipients: Vec<(String, Vec<RoleId>)>,
    /// Each role: who plays it and what it is doing or waiting on.
    pub seats: Vec<SeatState>,
    /// The module under way, if the scenario has modules.
    pub module: Option<ModulePanel>,
    /// The objectives, for an observation about one of them.
    pub objectives: Vec<(crate::engine::ids::ObjectiveId, String)>,
}

/// The module under way, as the facilitator's board and a discussion break show it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ModulePanel {
    /// `Module 2 of 4: Across the boundary`.
    pub heading: String,
    pub questions: Vec<String>,
    /// The discussion noted in this module so far, oldest first.
    pub noted: Vec<String>,
}

/// A role as the facilitator's board shows it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct SeatState {
    pub name: String,
    /// `person`, `bot: deferrer`, `nobody`.
    pub played_by: String,
    /// What it is doing or waiting on, one line each; `free` when nothing.
    pub lines: Vec<String>,
    /// A person here has a decision or an approval waiting.
    pub waiting: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fireable {
    pub inject: InjectId,
    /// `From: subject`.
    pub label: String,
    pub contingency: bool,
    /// When it was first sent, if it has been.
    pub sent: Option<String>,
    /// Who receives it, by name.
    pub to: String,
    /// Its subject and text.
    pub text: String,
    /// The question it asks, with its options, if any.
    pub asks: Option<String>,
    /// What firing it does, in words.
    pub effects: Vec<String>,
}

/// Each role as the facilitator's board shows it: who plays it, and what it is doing or
/// waiting on (busy, asked, asked to approve, waiting for approval, out of reach).
fn seat_states(ex: &Exercise, seating: &Seating) -> Vec<SeatState> {
    let sc = &**ex.scenario();
    let st = ex.state();
    let clock = |t: GameTime| sc.start.clock(t).to_string();
    RoleIx::all(sc.roles.len())
        .map(|r| {
            let role = sc.role(r);
            let mut lines = Vec::new();
            let mut waiting = false;
            if !ex.lens(r).reachable(r) {
                lines.push("cannot be reached yet".to_owned());
            }
            if let Some((a, until)) = st.busy[usize::from(r)] {
                lines.push(format!(
                    "busy: {} until {}",
                    sc.action(a).name,
                    clock(until)
                ));
            }
            for p in &st.prompts {
                let Some(prompt) = &sc.inject(p.inject).prompt else {
                    continue;
                };
                if prompt.by.contains(&r) {
                    waiting = true;
                    let until = p
                        .expires_at
                        .map(|t| format!(" (until {})", clock(t)))
                        .unwrap_or_default();
                    lines.push(format!("asked: {}{until}", prompt.question));
                }
            }
            for q in st
                .requests
                .iter()
                .filter(|q| q.status == crate::engine::state::RequestStatus::Pending)
            {
                let action = sc.action(q.action);
                if q.by == r {
                    lines.push(format!("awaits approval: {}", action.name));
                }
                if approvers_of(sc, action.id.as_str()).contains(&r) {
                    waiting = true;
                    lines.push(format!(
                        "to approve: {} ({})",
                        action.name,
                        sc.role(q.by).name
                    ));
                }
            }
            if lines.is_empty() {
                lines.push("free".to_owned());
            }
            let played_by = match seating.roles.get(usize::from(r)) {
                Some(Sitter::Person) => "person".to_owned(),
                Some(Sitter::Bot(b)) => format!("bot: {}", b.policy.name()),
                Some(Sitter::Script) => "script".to_owned(),
                Some(Sitter::Nobody) | None => "nobody".to_owned(),
            };
            SeatState {
                waiting: waiting && seating.roles.get(usize::from(r)) == Some(&Sitter::Person),
                name: role.name.clone(),
                played_by,
                lines,
            }
        })
        .collect()
}

pub(super) fn board(ex: &Exercise, view: &View<'_>, seating: &Seating) -> Board {
    let sc = &**ex.scenario();
    let st = ex.state();
    let hidden = view.hidden.as_ref();
    let mut fire: Vec<(
        crate::engine::model::InjectIx,
        &crate::engine::model::Inject,
    )> = crate::engine::model::InjectIx::all(sc.injects.len())
        .zip(&sc.injects)
        .collect();
    fire.sort_by_key(|(_, i)| !i.contingency);
    Board {
        coming_up: hidden.map_or_else(Vec::new, |h| {
            h.pending_injects
                .iter()
                .map(|(at, i)| (sc.start.clock(*at).to_string(), inject_name(sc, i.as_str())))
                .collect()
        }),
        drawn: hidden.map_or_else(Vec::new, |h| {
            h.draws
                .iter()
                .map(|(d, v)| draw_value(sc, d.as_str(), *v, usize::MAX))
                .collect()
        }),
        fireable: fire
            .into_iter()
            .map(|(ix, i)| {
                let what = headline(&i.subject, &sc.inject_text_unsent(ix));
                let from = if i.from.is_empty() {
                    String::new()
                } else {
                    format!("{}: ", i.from)
                };
                Fireable {
                    inject: i.id.clone(),
                    label: format!("{from}{what}"),
                    contingency: i.contingency,
                    sent: st.injects[ix]
                        .first_delivered
                        .map(|at| sc.start.clock(at).to_string()),
                    to: {
                        let to: Vec<String> =
                            i.to.roles().map(|r| sc.role(r).name.clone()).collect();
                        if to.is_empty() {
                            "the facilitator only".to_owned()
                        } else {
                            crate::words::names::list(&to)
                        }
                    },
                    text: [
                        i.subject.to_string(),
                        sc.inject_text_unsent(ix).into_owned(),
                    ]
                    .into_iter()
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(": "),
                    asks: i.prompt.as_ref().map(|p| {
                        let options: Vec<String> = p
                            .options
                            .iter()
                            .enumerate()
                            .map(|(k, o)| format!("[{}] {}", k + 1, o.label))
                            .collect();
                        format!("{} {}", p.question, options.join(" "))
                    }),
                    effects: crate::words::cond::effects(sc, &i.effects),
                }
            })
            .collect(),
        recipients: std::iter::once((
            "Everyone".to_owned(),
            sc.roles.iter().map(|r| r.id.clone()).collect(),
        ))
        .chain(
            sc.roles
                .iter()
                .map(|r| (r.name.clone(), vec![r.id.clone()])),
        )
        .collect(),
        seats: seat_states(ex, seating),
        module: module_panel(ex),
        objectives: sc
            .objectives
            .iter()
            .map(|o| (o.id.clone(), o.text.clone()))
            .collect(),
    }
}

/// The module under way, its questions, and what was noted in it.
fn module_panel(ex: &Exercise) -> Option<ModulePanel> {
    let sc = ex.scenario();
    let ix = sc.module_at(ex.now())?;
    let m = &sc.modules[ix];
    let noted = ex
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            crate::engine::event::EventKind::Noted(n)
                if n.kind == crate::engine::model::NoteKind::Discussion
                    && n.module.is_some_and(|k| usize::from(k) == ix) =>
            {
                Some(n.text.clone())
            }
            _ => None,
        })
        .collect();
    Some(ModulePanel {
        heading: format!("Module {} of {}: {}", ix + 1, sc.modules.len(), m.title),
        questions: m.questions.clone(),
        noted,
    })
}
