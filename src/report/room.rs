//! The room's notes for the report: the facilitator's discussion notes under their modules,
//! the observations, and the hot wash, each with its moment and writer, in the order they
//! were written.

use crate::engine::event::EventKind;
use crate::engine::model::{NoteKind, Scenario};
use crate::engine::state::State;

use super::document::{ModuleNotes, NoteRow, ObjectiveRow, Room};
use super::words::{actor_name, when};

/// Everything noted during and after the exercise.
pub fn build(sc: &Scenario, st: &State) -> Room {
    let mut room = Room::default();
    for e in &st.log {
        let EventKind::Noted(n) = &e.kind else {
            continue;
        };
        let row = NoteRow {
            at: when(sc, e.at),
            by: actor_name(sc, n.by),
            text: n.text.clone(),
            objective: n
                .objective
                .and_then(|o| sc.objectives.get(o.ix()))
                .map(|o| o.text.clone()),
            rating: n.rating,
        };
        match n.kind {
            NoteKind::Discussion => {
                let module = n.module.and_then(|m| sc.modules.get(usize::from(m)));
                let title = module.map_or_else(
                    || {
                        if sc.modules.is_empty() {
                            "The exercise".to_owned()
                        } else {
                            "Before the first module".to_owned()
                        }
                    },
                    |m| m.title.clone(),
                );
                match room.discussion.iter_mut().find(|g| g.module == title) {
                    Some(g) => g.notes.push(row),
                    None => room.discussion.push(ModuleNotes {
                        module: title,
                        questions: module.map(|m| m.questions.clone()).unwrap_or_default(),
                        notes: vec![row],
                    }),
                }
            }
            NoteKind::Observation => room.observations.push(row),
            NoteKind::Strength => room.strengths.push(row),
            NoteKind::Improvement => room.improvements.push(row),
        }
    }
    room
}

/// Puts the last rating an observer gave each objective beside its computed one.
pub fn rate_objectives(sc: &Scenario, st: &State, rows: &mut [ObjectiveRow]) {
    for e in &st.log {
        if let EventKind::Noted(n) = &e.kind
            && n.kind == NoteKind::Observation
            && let (Some(o), Some(r)) = (n.objective, n.rating)
            && let Some(obj) = sc.objectives.get(o.ix())
            && let Some(row) = rows.iter_mut().find(|row| row.objective == obj.id)
        {
            row.observed = Some(r);
        }
    }
}
