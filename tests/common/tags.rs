//! Audience tags: every audience-bound text of a scenario carries a tag of its own, and
//! the event log says which tags have reached a role. Used by the seat-screen property test
//! and by the networked seats' test, which reads the tags off each client's terminal.

use std::collections::BTreeSet;
use std::sync::Arc;

use ttx::engine::event::{Event, EventKind};
use ttx::engine::model::{RoleIx, Scenario};

/// `qzx` + kind + number + `zq`: a tag no scenario text contains.
pub fn tag(kind: &str, n: impl std::fmt::Display) -> String {
    format!("qzx{kind}{n}zq")
}

pub fn tagged(text: &str, t: &str) -> String {
    // At the start, so a text cut short keeps its tag.
    format!("{t} {text}")
}

pub fn tag_arc(text: &Arc<str>, t: &str) -> Arc<str> {
    Arc::from(tagged(text, t))
}

/// The scenario with every audience-bound text tagged.
pub fn tag_scenario(sc: &Scenario) -> Scenario {
    let mut sc = sc.clone();
    for (i, inj) in sc.injects.iter_mut().enumerate() {
        let t = tag("i", i);
        inj.from = tag_arc(&inj.from, &t);
        inj.subject = tag_arc(&inj.subject, &t);
        inj.text = tag_arc(&inj.text, &t);
        if let Some(p) = &mut inj.prompt {
            p.question = tag_arc(&p.question, &t);
            for (k, o) in p.options.iter_mut().enumerate() {
                o.label = tag_arc(&o.label, &tag("o", format!("{i}x{k}")));
            }
        }
    }
    for (v, var) in sc.variables.iter_mut().enumerate() {
        var.name = tagged(&var.name, &tag("v", v));
    }
    for (d, draw) in sc.draws.iter_mut().enumerate() {
        draw.note = tagged(&draw.note, &tag("d", d));
    }
    for (a, action) in sc.actions.iter_mut().enumerate() {
        action.description = tagged(&action.description, &tag("a", a));
    }
    if let Some(th) = &mut sc.threat {
        for s in &mut th.stages {
            s.name = tagged(&s.name, &tag("s", 0));
        }
    }
    for (r, role) in sc.roles.iter_mut().enumerate() {
        role.briefing = tagged(&role.briefing, &tag("b", r));
    }
    // The facilitator's notes reach no role.
    sc.notes = tagged(&sc.notes, &tag("n", 0));
    for (e, ending) in sc.endings.iter_mut().enumerate() {
        ending.text = tagged(&ending.text, &tag("e", e));
    }
    for (j, o) in sc.objectives.iter_mut().enumerate() {
        o.text = tagged(&o.text, &tag("j", j));
    }
    sc
}

/// The tags whose text has reached role `r`, by the event log and the scenario's audiences.
pub fn allowed(sc: &Scenario, log: &[Event], r: RoleIx) -> BTreeSet<String> {
    let mut ok = BTreeSet::new();
    for e in log.iter().filter(|e| e.audience.includes(r)) {
        match &e.kind {
            EventKind::InjectDelivered { inject, .. } => {
                ok.insert(tag("i", inject));
                let n = sc
                    .inject(*inject)
                    .prompt
                    .as_ref()
                    .map_or(0, |p| p.options.len());
                for k in 0..n {
                    ok.insert(tag("o", format!("{inject}x{k}")));
                }
            }
            // A message passed on (`Tell`) carries the inject's words, not its question.
            EventKind::InjectPassedOn { inject, .. } => {
                ok.insert(tag("i", inject));
            }
            EventKind::DecisionMade { inject, option, .. } => {
                ok.insert(tag("o", format!("{inject}x{option}")));
            }
            EventKind::PromptExpired {
                inject,
                default: Some(k),
            } => {
                ok.insert(tag("o", format!("{inject}x{k}")));
            }
            EventKind::ExerciseEnded { ending, .. } => {
                if let Some(k) = ending {
                    ok.insert(tag("e", k));
                }
                // The debrief at the end is everyone's: the objectives and their ratings.
                for j in 0..sc.objectives.len() {
                    ok.insert(tag("j", j));
                }
            }
            _ => {}
        }
    }
    for (v, var) in sc.variables.iter().enumerate() {
        if var.audience.includes(r) {
            ok.insert(tag("v", v));
        }
    }
    for (a, action) in sc.actions.iter().enumerate() {
        if action.by.contains(&r) {
            ok.insert(tag("a", a));
        }
    }
    if sc.threat.as_ref().is_some_and(|t| t.audience.includes(r)) {
        ok.insert(tag("s", 0));
    }
    ok.insert(tag("b", r));
    ok
}

/// Every tag in `text`.
pub fn tags_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("qzx") {
        let after = &rest[i..];
        match after.find("zq") {
            Some(j) => {
                out.push(after[..j + 2].to_owned());
                rest = &after[j + 2..];
            }
            None => break,
        }
    }
    out
}
