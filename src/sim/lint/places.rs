//! Where each condition and effect of a compiled scenario was written: the compiled model
//! keeps the shape of the file (a condition's parts and an effect's branches in the same
//! places), so a path into the model is a path into the text.

use crate::engine::model::{Cond, Effect, Milestone, Scenario, Trigger};
use crate::scenario::locate::Seg;

/// A path into the scenario's text.
pub type At = Vec<Seg>;

pub fn at(parts: &[Seg]) -> At {
    parts.to_vec()
}

fn with(base: &[Seg], more: &[Seg]) -> At {
    let mut v = base.to_vec();
    v.extend_from_slice(more);
    v
}

/// The field a milestone is written under.
pub fn milestone_field(m: Milestone) -> &'static str {
    match m {
        Milestone::Triaged => "triaged",
        Milestone::Escalated => "escalated",
        Milestone::DecisionNeeded => "decision_needed",
        Milestone::Authorised => "authorised",
        Milestone::Contained => "contained",
    }
}

/// The answers of inject `i`'s question, each with the place of its `field`.
fn options<'s>(
    sc: &'s Scenario,
    i: usize,
    field: &'static str,
) -> impl Iterator<Item = (At, &'s crate::engine::model::PromptOption)> + 's {
    sc.injects[i]
        .prompt
        .iter()
        .flat_map(|p| p.options.iter().enumerate())
        .map(move |(o, opt)| {
            use Seg::{Field as F, Index as I};
            (
                at(&[
                    F("injects"),
                    I(i),
                    F("prompt"),
                    F("options"),
                    I(o),
                    F(field),
                ]),
                opt,
            )
        })
}

/// Every top-level list of effects, with where it is written.
pub fn effect_lists(sc: &Scenario) -> Vec<(At, &[Effect])> {
    use Seg::{Field as F, Index as I};
    let mut out: Vec<(At, &[Effect])> = Vec::new();
    for (i, inj) in sc.injects.iter().enumerate() {
        out.push((at(&[F("injects"), I(i), F("effects")]), &inj.effects));
        for (place, opt) in options(sc, i, "effects") {
            out.push((place, &opt.effects));
        }
    }
    for (i, a) in sc.actions.iter().enumerate() {
        out.push((at(&[F("actions"), I(i), F("effects")]), &a.effects));
    }
    if let Some(t) = &sc.threat {
        for (s, st) in t.stages.iter().enumerate() {
            out.push((
                at(&[F("threat"), F("stages"), I(s), F("effects")]),
                &st.effects,
            ));
        }
    }
    out
}

/// Calls `f` on every effect of a list and of the branches inside it, with its place.
pub fn walk_effects<'s>(base: &[Seg], list: &'s [Effect], f: &mut impl FnMut(&[Seg], &'s Effect)) {
    for (k, e) in list.iter().enumerate() {
        let here = with(base, &[Seg::Index(k)]);
        f(&here, e);
        if let Effect::If(b) = e {
            walk_effects(&with(&here, &[Seg::Field("then")]), &b.then, f);
            walk_effects(&with(&here, &[Seg::Field("else")]), &b.otherwise, f);
        }
    }
}

/// Every condition the scenario states at the top (not the parts inside one), with where
/// it is written: what triggers, gates, halts, rates, scores and ends, and the conditions
/// of effects' branches.
pub fn conditions(sc: &Scenario) -> Vec<(At, &Cond)> {
    use Seg::{Field as F, Index as I};
    let mut out: Vec<(At, &Cond)> = Vec::new();
    for (i, r) in sc.roles.iter().enumerate() {
        out.push((at(&[F("roles"), I(i), F("reachable")]), &r.reachable));
    }
    for (i, inj) in sc.injects.iter().enumerate() {
        if let Trigger::When(c, _) = &inj.trigger {
            out.push((at(&[F("injects"), I(i), F("when")]), c));
        }
    }
    for i in 0..sc.injects.len() {
        for (place, opt) in options(sc, i, "available") {
            out.push((place, &opt.available));
        }
    }
    for (i, a) in sc.actions.iter().enumerate() {
        out.push((at(&[F("actions"), I(i), F("available")]), &a.available));
        out.push((at(&[F("actions"), I(i), F("preapproved")]), &a.preapproved));
    }
    if let Some(t) = &sc.threat {
        out.push((at(&[F("threat"), F("halted_when")]), &t.halted_when));
        for (i, s) in t.stages.iter().enumerate() {
            out.push((at(&[F("threat"), F("stages"), I(i), F("when")]), &s.when));
        }
    }
    for (i, s) in sc.slas.iter().enumerate() {
        out.push((at(&[F("slas"), I(i), F("starts")]), &s.starts));
        out.push((at(&[F("slas"), I(i), F("met")]), &s.met));
    }
    for (i, e) in sc.endings.iter().enumerate() {
        out.push((at(&[F("endings"), I(i), F("when")]), &e.when));
    }
    for (i, o) in sc.objectives.iter().enumerate() {
        for (k, (_, c)) in o.ratings.iter().enumerate() {
            out.push((at(&[F("objectives"), I(i), F("ratings"), I(k), I(0)]), c));
        }
    }
    for (i, c) in sc.rubric.iter().enumerate() {
        out.push((at(&[F("rubric"), I(i), F("when")]), &c.when));
    }
    for (m, c) in &sc.milestones {
        out.push((at(&[F("milestones"), F(milestone_field(*m))]), c));
    }
    for (base, list) in effect_lists(sc) {
        walk_effects(&base, list, &mut |here, e| {
            if let Effect::If(b) = e {
                out.push((with(here, &[Seg::Field("when")]), &b.cond));
            }
        });
    }
    out
}

/// Calls `f` on a condition and every part inside it, with its place (`All([a, b])`'s
/// parts sit in its one list; `Not(a)`'s in its first slot).
pub fn walk_cond<'s>(base: &[Seg], c: &'s Cond, f: &mut impl FnMut(&[Seg], &'s Cond)) {
    f(base, c);
    match c {
        Cond::All(cs) | Cond::Any(cs) => {
            for (k, part) in cs.iter().enumerate() {
                walk_cond(&with(base, &[Seg::Index(0), Seg::Index(k)]), part, f);
            }
        }
        Cond::Not(part) => walk_cond(&with(base, &[Seg::Index(0)]), part, f),
        _ => {}
    }
}
