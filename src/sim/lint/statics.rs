//! What the linter finds by reading the scenario alone: conditions that can never hold,
//! variables read but never set or set but never read, `when` injects that can never fire,
//! endings shadowed by an earlier one, roles that receive nothing, objectives that cannot
//! reach P or cannot miss it.

use std::collections::BTreeSet;

use crate::engine::model::{Cond, Delay, DrawKind, Effect, Rating, Scenario, Trigger, ValueRef};
use crate::scenario::locate::Seg;

use super::places::{at, conditions, effect_lists, walk_cond, walk_effects};
use super::{Finding, Kind};

/// Which values a variable or draw can take in any play.
#[derive(Clone, Debug)]
enum Domain {
    /// Anything in this range (effects add to it, or a draw picks from it).
    Range(i32, i32),
    /// Only these values (nothing adds to it: it starts at one and is only set to others).
    Values(BTreeSet<i32>),
}

impl Domain {
    fn min(&self) -> i32 {
        match self {
            Domain::Range(lo, _) => *lo,
            Domain::Values(v) => v.first().copied().unwrap_or(0),
        }
    }

    fn max(&self) -> i32 {
        match self {
            Domain::Range(_, hi) => *hi,
            Domain::Values(v) => v.last().copied().unwrap_or(0),
        }
    }

    fn holds(&self, n: i32) -> bool {
        match self {
            Domain::Range(lo, hi) => (*lo..=*hi).contains(&n),
            Domain::Values(v) => v.contains(&n),
        }
    }
}

/// Whether a condition can hold: never, sometimes, or always.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tri {
    Never,
    Maybe,
    Always,
}

/// What the scenario's text says about its values: their domains and who reads and sets
/// them.
pub struct Facts<'s> {
    sc: &'s Scenario,
    vars: Vec<Domain>,
    draws: Vec<Domain>,
    /// Per variable: why its domain is what it is, in words.
    why: Vec<String>,
    /// Per variable: whether some effect sets or adds to it.
    set: Vec<bool>,
}

fn words_of(values: &BTreeSet<i32>) -> String {
    let v: Vec<String> = values.iter().map(i32::to_string).collect();
    match v.as_slice() {
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
        [] => String::new(),
    }
}

impl<'s> Facts<'s> {
    pub fn of(sc: &'s Scenario) -> Facts<'s> {
        let mut added = vec![false; sc.variables.len()];
        let mut set = vec![false; sc.variables.len()];
        let mut values: Vec<BTreeSet<i32>> = sc
            .variables
            .iter()
            .map(|v| BTreeSet::from([v.initial]))
            .collect();
        for (base, list) in effect_lists(sc) {
            walk_effects(&base, list, &mut |_, e| match e {
                Effect::Add(v, n) => {
                    set[v.ix()] = true;
                    added[v.ix()] |= *n != 0;
                }
                // Whatever another value holds: any value in the range.
                Effect::Copy(v, _) | Effect::AddFrom(v, _) => {
                    set[v.ix()] = true;
                    added[v.ix()] = true;
                }
                Effect::Set(v, n) => {
                    set[v.ix()] = true;
                    let var = &sc.variables[v.ix()];
                    values[v.ix()].insert((*n).clamp(var.min, var.max));
                }
                _ => {}
            });
        }
        let mut vars = Vec::new();
        let mut why = Vec::new();
        for (i, var) in sc.variables.iter().enumerate() {
            if added[i] {
                vars.push(Domain::Range(var.min, var.max));
                why.push(format!("it runs from {} to {}", var.min, var.max));
            } else if values[i].len() == 1 {
                why.push(format!(
                    "no effect changes it, so it is always {}",
                    var.initial
                ));
                vars.push(Domain::Values(std::mem::take(&mut values[i])));
            } else {
                why.push(format!(
                    "nothing adds to it: it starts at {} and effects only set it to {}",
                    var.initial,
                    words_of(&values[i])
                ));
                vars.push(Domain::Values(std::mem::take(&mut values[i])));
            }
        }
        let draws = sc
            .draws
            .iter()
            .map(|d| match d.kind {
                DrawKind::Chance { percent: 0 } => Domain::Values(BTreeSet::from([0])),
                DrawKind::Chance { percent: 100.. } => Domain::Values(BTreeSet::from([1])),
                DrawKind::Chance { .. } => Domain::Range(0, 1),
                DrawKind::Range { min, max } => Domain::Range(min, max),
                DrawKind::Deck { size } => {
                    Domain::Range(1, i32::try_from(size).unwrap_or(i32::MAX))
                }
            })
            .collect();
        Facts {
            sc,
            vars,
            draws,
            why,
            set,
        }
    }

    fn domain(&self, v: ValueRef) -> (&Domain, String, String) {
        match v {
            ValueRef::Var(x) => (
                &self.vars[x.ix()],
                self.sc.variables[x.ix()].id.to_string(),
                self.why[x.ix()].clone(),
            ),
            ValueRef::Draw(d) => {
                let dom = &self.draws[d.ix()];
                (
                    dom,
                    self.sc.draws[d.ix()].id.to_string(),
                    format!("the draw gives {} to {}", dom.min(), dom.max()),
                )
            }
        }
    }

    /// Whether one part of a condition that reads a value or the clock can hold, and if it
    /// never can, why (in words).
    fn leaf(&self, c: &Cond) -> (Tri, Option<String>) {
        let sc = self.sc;
        let never = |why: String| (Tri::Never, Some(why));
        let tri = |never: bool, always: bool| {
            if never {
                Tri::Never
            } else if always {
                Tri::Always
            } else {
                Tri::Maybe
            }
        };
        match c {
            Cond::AtLeast(v, n) => {
                let (d, id, why) = self.domain(*v);
                if d.max() < *n {
                    return never(format!("`AtLeast(\"{id}\", {n})` can never hold: {why}"));
                }
                (tri(false, d.min() >= *n), None)
            }
            Cond::AtMost(v, n) => {
                let (d, id, why) = self.domain(*v);
                if d.min() > *n {
                    return never(format!("`AtMost(\"{id}\", {n})` can never hold: {why}"));
                }
                (tri(false, d.max() <= *n), None)
            }
            Cond::Equals(v, n) => {
                let (d, id, why) = self.domain(*v);
                if !d.holds(*n) {
                    return never(format!("`Equals(\"{id}\", {n})` can never hold: {why}"));
                }
                (tri(false, d.min() == *n && d.max() == *n), None)
            }
            Cond::Is(v) => {
                let (d, id, why) = self.domain(*v);
                if d.min() == 0 && d.max() == 0 {
                    return never(format!("`Is(\"{id}\")` can never hold: {why}"));
                }
                (tri(false, !d.holds(0)), None)
            }
            Cond::Before(t) if t.minutes() == 0 => never(format!(
                "`Before(\"{}\")` can never hold: the exercise starts then",
                sc.start.clock(*t)
            )),
            Cond::NotBefore(t) if *t > sc.end => never(format!(
                "`After(\"{}\")` can never hold: the exercise ends at {}",
                sc.start.clock(*t),
                sc.start.clock(sc.end)
            )),
            Cond::Always => (Tri::Always, None),
            Cond::Never => (Tri::Never, None),
            _ => (Tri::Maybe, None),
        }
    }

    /// Whether a whole condition can hold, from its parts (a time window that closes before
    /// it opens never holds).
    pub fn possible(&self, c: &Cond) -> Tri {
        match c {
            Cond::All(cs) => {
                let parts: Vec<Tri> = cs.iter().map(|c| self.possible(c)).collect();
                let opens = cs.iter().filter_map(|c| match c {
                    Cond::NotBefore(t) => Some(*t),
                    _ => None,
                });
                let closes = cs.iter().filter_map(|c| match c {
                    Cond::Before(t) => Some(*t),
                    _ => None,
                });
                let shut = opens.max().zip(closes.min()).is_some_and(|(o, c)| o >= c);
                if shut || parts.contains(&Tri::Never) {
                    Tri::Never
                } else if parts.iter().all(|t| *t == Tri::Always) {
                    Tri::Always
                } else {
                    Tri::Maybe
                }
            }
            Cond::Any(cs) => {
                let parts: Vec<Tri> = cs.iter().map(|c| self.possible(c)).collect();
                if parts.contains(&Tri::Always) {
                    Tri::Always
                } else if parts.iter().all(|t| *t == Tri::Never) {
                    Tri::Never
                } else {
                    Tri::Maybe
                }
            }
            Cond::Not(c) => match self.possible(c) {
                Tri::Never => Tri::Always,
                Tri::Always => Tri::Never,
                Tri::Maybe => Tri::Maybe,
            },
            leaf => self.leaf(leaf).0,
        }
    }
}

/// Everything the scenario's text alone shows.
pub fn check(sc: &Scenario, facts: &Facts<'_>, out: &mut Vec<Finding>) {
    never_holds(sc, facts, out);
    values(sc, out);
    when_injects(sc, facts, out);
    stage_whens(sc, facts, out);
    shadowed_endings(sc, facts, out);
    silent_roles(sc, out);
    objectives(sc, facts, out);
}

fn never_holds(sc: &Scenario, facts: &Facts<'_>, out: &mut Vec<Finding>) {
    // A variable nothing changes is reported once, where it is declared (`never-set`).
    let unset = |c: &Cond| match c {
        Cond::Is(ValueRef::Var(v))
        | Cond::AtLeast(ValueRef::Var(v), _)
        | Cond::AtMost(ValueRef::Var(v), _)
        | Cond::Equals(ValueRef::Var(v), _) => !facts.set[v.ix()],
        _ => false,
    };
    for (base, c) in conditions(sc) {
        walk_cond(&base, c, &mut |here, part| {
            if unset(part) {
                return;
            }
            if let (Tri::Never, Some(why)) = facts.leaf(part) {
                out.push(Finding::new(
                    Kind::NeverHolds,
                    here.to_vec(),
                    why,
                    "check the number against the variable's range and the effects that change it",
                ));
            }
        });
    }
}

/// Variables read but never set, set but never read; draws never read.
fn values(sc: &Scenario, out: &mut Vec<Finding>) {
    use Seg::{Field as F, Index as I};
    let mut read = vec![false; sc.variables.len()];
    let mut set = vec![false; sc.variables.len()];
    let mut drawn = vec![false; sc.draws.len()];
    let note = |v: &ValueRef, read: &mut Vec<bool>, drawn: &mut Vec<bool>| match v {
        ValueRef::Var(x) => read[x.ix()] = true,
        ValueRef::Draw(d) => drawn[d.ix()] = true,
    };
    for (base, c) in conditions(sc) {
        walk_cond(&base, c, &mut |_, part| match part {
            Cond::Is(v) | Cond::AtLeast(v, _) | Cond::AtMost(v, _) | Cond::Equals(v, _) => {
                note(v, &mut read, &mut drawn);
            }
            Cond::Compare(a, _, b) => {
                note(a, &mut read, &mut drawn);
                note(b, &mut read, &mut drawn);
            }
            _ => {}
        });
    }
    for (base, list) in effect_lists(sc) {
        walk_effects(&base, list, &mut |_, e| match e {
            Effect::Set(v, _) | Effect::Add(v, _) => set[v.ix()] = true,
            Effect::Copy(v, from) | Effect::AddFrom(v, from) => {
                set[v.ix()] = true;
                note(from, &mut read, &mut drawn);
            }
            Effect::Schedule(_, Delay::Draw(d)) => drawn[d.ix()] = true,
            _ => {}
        });
    }
    if let Some(t) = &sc.threat {
        for s in &t.stages {
            if let Delay::Draw(d) = s.after {
                drawn[d.ix()] = true;
            }
        }
    }
    // A value an inject's text names (`{site}`) is shown to the players when it arrives.
    let mut told = vec![false; sc.variables.len()];
    for i in &sc.injects {
        if let Trigger::When(_, Delay::Draw(d)) = i.trigger {
            drawn[d.ix()] = true;
        }
        for v in &i.fills {
            match v {
                crate::engine::model::ValueRef::Var(x) => told[x.ix()] = true,
                crate::engine::model::ValueRef::Draw(d) => drawn[d.ix()] = true,
            }
        }
    }
    // An SLA's severity read from a variable nobody changes is a fixed target: fine.
    let mut severity = vec![false; sc.variables.len()];
    for s in &sc.slas {
        severity[s.severity.ix()] = true;
    }
    for (i, v) in sc.variables.iter().enumerate() {
        let measured = sc.measures.evidence.map(crate::engine::model::VarIx::ix) == Some(i)
            || sc.measures.impact.map(crate::engine::model::VarIx::ix) == Some(i)
            || (sc.measures.evidence.is_none() && v.id.as_str() == "evidence")
            || (sc.measures.impact.is_none() && v.id.as_str() == "business_impact");
        let shown = !v.audience.is_empty() || told[i];
        let place = at(&[F("variables"), I(i), F("id")]);
        // A constant shown to players or measured is a fact they are given: fine.
        if read[i] && !set[i] {
            out.push(Finding::new(
                Kind::ReadNeverSet,
                place,
                format!(
                    "variable `{}`: conditions read it, but no effect sets or adds to it, so it is always {}",
                    v.id, v.initial
                ),
                "change it with `Set` or `Add` in an inject's, answer's or action's effects, or remove it",
            ));
        } else if set[i] && !read[i] && !shown && !measured && !severity[i] {
            out.push(Finding::new(
                Kind::SetNeverRead,
                place,
                format!(
                    "variable `{}` is changed by effects, but no condition reads it, no role sees it and the report does not measure it",
                    v.id
                ),
                "read it in a condition, make it `visible_to` a role, or remove it and the effects on it",
            ));
        }
    }
    for (i, d) in sc.draws.iter().enumerate() {
        if !drawn[i] {
            out.push(Finding::new(
                Kind::SetNeverRead,
                at(&[F("draws"), I(i)]),
                format!(
                    "draw `{}` is never read: no condition, delay or text uses its value",
                    d.id
                ),
                "read it in a condition (`Is`, `AtLeast`, …) or a delay (`Draw(…)`), or remove it",
            ));
        }
    }
}

/// A threat stage whose `when` the file alone decides: whatever the players do, it always
/// holds or never does, so the path it opens is not a branch their choices can turn.
fn stage_whens(sc: &Scenario, facts: &Facts<'_>, out: &mut Vec<Finding>) {
    let Some(t) = &sc.threat else { return };
    for (i, s) in t.stages.iter().enumerate() {
        // A stage without a `when` is always reached when its time comes: no branch.
        if s.when == Cond::Always {
            continue;
        }
        let (message, help) = match facts.possible(&s.when) {
            Tri::Maybe => continue,
            Tri::Never => (
                format!(
                    "stage `{}` is never reached: whatever the players do, its `when` cannot hold when its time comes",
                    s.id
                ),
                "check its parts against the variables' ranges, the values effects set them to and the times (a warning on a part, or on a variable nothing sets, says which), or remove the stage",
            ),
            Tri::Always => (
                format!(
                    "stage `{}`'s `when` holds whatever the players do, so the attacker always takes this path: it is no branch",
                    s.id
                ),
                "read something the players' actions or answers can turn either way, or remove the `when`",
            ),
        };
        out.push(Finding::new(
            Kind::FixedBranch,
            at(&[
                Seg::Field("threat"),
                Seg::Field("stages"),
                Seg::Index(i),
                Seg::Field("when"),
            ]),
            message,
            help,
        ));
    }
}

fn when_injects(sc: &Scenario, facts: &Facts<'_>, out: &mut Vec<Finding>) {
    for (i, inj) in sc.injects.iter().enumerate() {
        if let Trigger::When(c, _) = &inj.trigger
            && facts.possible(c) == Tri::Never
        {
            out.push(Finding::new(
                Kind::NeverFires,
                at(&[Seg::Field("injects"), Seg::Index(i), Seg::Field("when")]),
                format!(
                    "inject `{}` can never fire: its `when` can never hold",
                    inj.id
                ),
                "see the warnings on its parts; a time window must open before it closes",
            ));
        }
    }
}

/// The parts a condition requires all of (`Always` requires nothing).
fn conjuncts(c: &Cond) -> Vec<&Cond> {
    match c {
        Cond::Always => Vec::new(),
        Cond::All(cs) => cs.iter().flat_map(conjuncts).collect(),
        other => vec![other],
    }
}

fn shadowed_endings(sc: &Scenario, facts: &Facts<'_>, out: &mut Vec<Finding>) {
    for (j, later) in sc.endings.iter().enumerate() {
        let needs = conjuncts(&later.when);
        let by = sc.endings[..j].iter().find(|earlier| {
            facts.possible(&earlier.when) == Tri::Always
                || conjuncts(&earlier.when).iter().all(|c| needs.contains(c))
        });
        if let Some(earlier) = by {
            out.push(Finding::new(
                Kind::Shadowed,
                at(&[Seg::Field("endings"), Seg::Index(j), Seg::Field("when")]),
                format!(
                    "ending `{}` can never be chosen: whenever its condition holds, so does that of `{}` above it, and endings are chosen in order",
                    later.id, earlier.id
                ),
                "move the narrower ending above the wider one, or narrow the earlier one's condition",
            ));
        }
    }
}

fn silent_roles(sc: &Scenario, out: &mut Vec<Finding>) {
    for (i, r) in sc.roles.iter().enumerate() {
        let Some(ix) = crate::engine::model::RoleIx::at(i) else {
            continue;
        };
        let mut told = false;
        for (_, list) in effect_lists(sc) {
            crate::engine::model::Effect::walk(list, &mut |e| {
                told |= matches!(e, crate::engine::model::Effect::Tell(r, _) if *r == ix);
            });
        }
        let hears = told
            || sc.injects.iter().any(|j| j.to.includes(ix))
            || sc.actions.iter().any(|a| a.to.includes(ix));
        if !hears {
            out.push(Finding::new(
                Kind::HearsNothing,
                at(&[Seg::Field("roles"), Seg::Index(i), Seg::Field("id")]),
                format!(
                    "role `{}` receives nothing: no inject is sent to it and no action messages it, so its player sees only the briefing",
                    r.id
                ),
                "send it an inject (`to: [\"…\"]`) or a message from another role's action",
            ));
        }
    }
}

fn objectives(sc: &Scenario, facts: &Facts<'_>, out: &mut Vec<Finding>) {
    use Seg::{Field as F, Index as I};
    for (i, o) in sc.objectives.iter().enumerate() {
        let p = o.ratings.iter().position(|(r, _)| *r == Rating::P);
        let before_always = o.ratings[..p.unwrap_or(o.ratings.len())]
            .iter()
            .position(|(_, c)| facts.possible(c) == Tri::Always);
        let never = match (p, before_always) {
            (None, _) => Some("it has no `P(…)` rating".to_owned()),
            (Some(_), Some(k)) => Some(format!(
                "its rating {:?} above the P always holds, and the first rating that holds applies",
                o.ratings[k].0
            )),
            (Some(k), None) if facts.possible(&o.ratings[k].1) == Tri::Never => {
                Some("its P condition can never hold".to_owned())
            }
            _ => None,
        };
        if let Some(why) = never {
            out.push(Finding::new(
                Kind::NeverP,
                at(&[F("objectives"), I(i), F("id")]),
                format!("objective `{}` can never be rated P: {why}", o.id),
                "give it a `P(…)` rating that some play can meet, listed first",
            ));
        } else if let Some(k) = p
            && k == 0
            && facts.possible(&o.ratings[0].1) == Tri::Always
        {
            out.push(Finding::new(
                Kind::AlwaysP,
                at(&[F("objectives"), I(i), F("ratings"), I(0)]),
                format!(
                    "objective `{}` cannot be missed: its P condition always holds",
                    o.id
                ),
                "rate it on what the players did, so that some play misses it",
            ));
        }
    }
}
