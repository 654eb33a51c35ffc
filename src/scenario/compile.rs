//! Checks a deserialised scenario and builds the engine's model: resolves every name to an
//! index, reads every time, and collects *all* problems, each pointing at the value it
//! concerns.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::engine::ids::{
    ActionId, CriterionId, EndingId, FACILITATOR, InjectId, ObjectiveId, OptionId, RoleId,
    ScenarioId, SlaId, StageId, VarId,
};
use crate::engine::model::{
    Action, Audience, BotPersona, BotSpec, Branch, Cond, Criterion, Delay, Draw, DrawKind, Effect,
    Ending, Inject, Mark, Milestone, NameIndex, Objective, Policy, Prompt, PromptOption, Rating,
    Role, RoleIx, Scenario, Sla, Stage, Threat, Trigger, ValueRef, Variable, WithoutAuthority,
};
use crate::engine::rng::FnvBuild;
use crate::engine::time::{self, GameTime, StartTime};

use super::diagnostic::{Diagnostic, Severity, excerpt, suggest};
use super::fanout::FindingKind as FanOutKind;
use super::locate::{Doc, LineIndex, Node, NodeKind, Seg};
use super::raw::{
    RawAction, RawChoice, RawCond, RawDelay, RawEffect, RawInject, RawMark, RawRating, RawScenario,
    RawWithoutAuthority, Text,
};

/// The scenario format this version of ttx reads.
pub const FORMAT: u32 = 1;

/// Limits on what one scenario may hold: past these the loader refuses, instead of
/// running out of memory or time.
pub mod limits {
    pub const ROLES: usize = 32;
    // Audiences are a bit per role.
    const _: () = assert!(ROLES <= crate::engine::model::Audience::MAX_ROLES);
    pub const VARIABLES: usize = 10_000;
    pub const DRAWS: usize = 10_000;
    pub const INJECTS: usize = 100_000;
    pub const ACTIONS: usize = 10_000;
    pub const STAGES: usize = 1_000;
    pub const SLAS: usize = 1_000;
    pub const ENDINGS: usize = 1_000;
    pub const OBJECTIVES: usize = 1_000;
    pub const RUBRIC: usize = 1_000;
    pub const OPTIONS: usize = 32;
    /// Two weeks of game time.
    pub const DURATION_MINUTES: u32 = 14 * 24 * 60;
}

/// A path into the document, kept inline (no allocation per step) and materialised only to
/// report. Paths deeper than [`PATH_DEPTH`] are cut there: the report then points at the
/// deepest ancestor, which is still the right item.
const PATH_DEPTH: usize = 12;

#[derive(Clone, Copy)]
struct Path {
    segs: [Seg; PATH_DEPTH],
    len: usize,
}

impl Path {
    const ROOT: Path = Path {
        segs: [Seg::Index(0); PATH_DEPTH],
        len: 0,
    };

    fn push(&self, seg: Seg) -> Path {
        let mut p = *self;
        if p.len < PATH_DEPTH {
            p.segs[p.len] = seg;
            p.len += 1;
        }
        p
    }

    fn f(&self, name: &'static str) -> Path {
        self.push(Seg::Field(name))
    }

    fn i(&self, i: usize) -> Path {
        self.push(Seg::Index(i))
    }

    fn segs(&self) -> &[Seg] {
        &self.segs[..self.len]
    }
}

fn path_string(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}

/// What a name refers to, for messages.
#[derive(Clone, Copy)]
enum Kind {
    Role,
    Value,
    Inject,
    Action,
    Stage,
    Ending,
    Objective,
    Sla,
}

impl Kind {
    fn noun(self) -> &'static str {
        match self {
            Kind::Role => "role",
            Kind::Value => "variable or draw",
            Kind::Inject => "inject",
            Kind::Action => "action",
            Kind::Stage => "threat stage",
            Kind::Ending => "ending",
            Kind::Objective => "objective",
            Kind::Sla => "SLA",
        }
    }
}

/// Ids of one list → their index.
type NameTable<'r> = HashMap<&'r str, u32, FnvBuild>;

pub(crate) struct Compiler<'a, 'r> {
    file: &'a str,
    text: &'a str,
    /// Where things are in the text: parsed only when a diagnostic needs a position, so a
    /// valid file is read once.
    doc: std::cell::OnceCell<Option<Doc>>,
    /// Where the lines start: built with the first diagnostic.
    lines: std::cell::OnceCell<LineIndex>,
    pub diags: Vec<Diagnostic>,
    start: StartTime,
    end: GameTime,
    names: BTreeMap<&'static str, NameTable<'r>>,
    /// Short texts that repeat (labels, questions, senders, option ids), shared rather than
    /// copied per item.
    shared: HashSet<Arc<str>, FnvBuild>,
    values: BTreeMap<String, ValueRef>,
    draw_kinds: Vec<DrawKind>,
    role_authority: Vec<u8>,
    /// Per inject: its option ids, if it has a prompt.
    options: Vec<Option<&'r [RawChoice<'r>]>>,
    /// Injects some effect schedules.
    scheduled: Vec<bool>,
    clock_marks: BTreeSet<GameTime>,
    daily_marks: BTreeSet<u32>,
    /// Compiling a role's `reachable` condition, where `Reachable` would loop.
    in_reachable: bool,
}

impl<'a, 'r> Compiler<'a, 'r> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Compiler {
            file,
            text,
            doc: std::cell::OnceCell::new(),
            lines: std::cell::OnceCell::new(),
            diags: Vec::new(),
            start: StartTime {
                weekday: time::Weekday::Mon,
                minute_of_day: 0,
            },
            end: GameTime(limits::DURATION_MINUTES),
            names: BTreeMap::new(),
            shared: HashSet::default(),
            values: BTreeMap::new(),
            draw_kinds: Vec::new(),
            role_authority: Vec::new(),
            options: Vec::new(),
            scheduled: Vec::new(),
            clock_marks: BTreeSet::new(),
            daily_marks: BTreeSet::new(),
            in_reachable: false,
        }
    }

    /// The node a path leads to (as far as it exists).
    fn node(&self, segs: &[Seg]) -> Node {
        let doc = self.doc.get_or_init(|| Doc::parse(self.text).ok());
        doc.as_ref().map_or(
            Node {
                start: 0,
                end: 0,
                kind: NodeKind::Atom,
            },
            |d| d.find(segs).0.clone(),
        )
    }

    fn report(&mut self, severity: Severity, path: &Path, message: String, help: Option<String>) {
        let segs = path.segs();
        let node = self.node(segs);
        let node = &node;
        let lines = self.lines.get_or_init(|| LineIndex::new(self.text));
        let (line, col) = lines.line_col(self.text, node.start);
        let full_line = lines.line(self.text, line);
        let span = &self.text[node.start..node.end.min(self.text.len())];
        let len = match node.kind {
            NodeKind::Atom if !span.contains('\n') => span.chars().count(),
            _ => span
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .count()
                .max(1),
        };
        let (source_line, caret, len) = excerpt(full_line, col, len);
        self.diags.push(Diagnostic {
            file: self.file.to_owned(),
            line,
            col,
            len,
            severity,
            message,
            path: path_string(segs),
            help,
            source_line,
            caret,
        });
    }

    fn error(&mut self, path: &Path, message: String, help: Option<String>) {
        self.report(Severity::Error, path, message, help);
    }

    fn warn(&mut self, path: &Path, message: String, help: Option<String>) {
        self.report(Severity::Warning, path, message, help);
    }

    fn line_of(&self, path: &Path) -> (usize, usize) {
        let lines = self.lines.get_or_init(|| LineIndex::new(self.text));
        lines.line_col(self.text, self.node(path.segs()).start)
    }

    /// Declares the ids of one list, reporting duplicates and bad names.
    fn declare<I>(&mut self, table: &'static str, list: &Path, ids: I)
    where
        I: IntoIterator<Item = &'r str>,
    {
        let mut map = NameTable::default();
        for (i, id) in ids.into_iter().enumerate() {
            let item = list.i(i);
            let path = item.f("id");
            if let Err(why) = check_id(id) {
                self.error(
                    &path,
                    format!("`{id}` is not a valid id: {why}"),
                    Some(
                        "ids use lower-case letters, digits, `_` and `-`, starting with a letter"
                            .into(),
                    ),
                );
            }
            if let Some(first) = map.get(id) {
                let (l, c) = self.line_of(&list.i(*first as usize).f("id"));
                self.error(
                    &path,
                    format!("duplicate id `{id}`"),
                    Some(format!("first defined at {}:{l}:{c}", self.file)),
                );
            } else {
                map.insert(id, u32::try_from(i).unwrap_or(u32::MAX));
            }
        }
        self.names.insert(table, map);
    }

    fn lookup(&mut self, kind: Kind, name: &str, path: &Path) -> Option<u32> {
        let table = match kind {
            Kind::Role => "roles",
            Kind::Inject => "injects",
            Kind::Action => "actions",
            Kind::Stage => "stages",
            Kind::Ending => "endings",
            Kind::Objective => "objectives",
            Kind::Sla => "slas",
            Kind::Value => {
                if let Some(v) = self.values.get(name) {
                    return Some(match v {
                        ValueRef::Var(i) | ValueRef::Draw(i) => *i,
                    });
                }
                let help = suggest(name, self.values.keys().map(String::as_str))
                    .map(|s| format!("did you mean `{s}`?"))
                    .or_else(|| Some("declare it under `variables:` or `draws:`".into()));
                self.error(path, format!("unknown variable or draw `{name}`"), help);
                return None;
            }
        };
        let found = self.names.get(table).and_then(|m| m.get(name)).copied();
        if found.is_none() {
            // The names in order, so that messages do not depend on the table's layout.
            let mut keys: Vec<&str> = self
                .names
                .get(table)
                .map(|m| m.keys().copied().collect())
                .unwrap_or_default();
            keys.sort_unstable();
            let mut help =
                suggest(name, keys.iter().copied()).map(|s| format!("did you mean `{s}`?"));
            if help.is_none() && matches!(kind, Kind::Role) && name == FACILITATOR {
                help = Some(
                    "the facilitator sees everything already; list scenario roles only".into(),
                );
            }
            if help.is_none() {
                let known: Vec<&str> = keys.iter().copied().take(8).collect();
                if !known.is_empty() {
                    help = Some(format!("known {}s: {}", kind.noun(), known.join(", ")));
                } else if matches!(kind, Kind::Stage) {
                    help = Some("the scenario has no `threat:` with stages".into());
                }
            }
            self.error(path, format!("unknown {} `{name}`", kind.noun()), help);
        }
        found
    }

    fn value(&mut self, name: &str, path: &Path) -> Option<ValueRef> {
        self.lookup(Kind::Value, name, path)?;
        self.values.get(name).copied()
    }

    fn variable(&mut self, name: &str, path: &Path) -> Option<u32> {
        match self.value(name, path)? {
            ValueRef::Var(i) => Some(i),
            ValueRef::Draw(_) => {
                self.error(
                    path,
                    format!("`{name}` is a draw, not a variable"),
                    Some("use `Roll(\"…\")` to draw it again".into()),
                );
                None
            }
        }
    }

    fn roles(&mut self, names: &[Text<'_>], path: &Path) -> Vec<RoleIx> {
        let mut out = Vec::new();
        for (i, n) in names.iter().enumerate() {
            if let Some(r) = self.lookup(Kind::Role, n, &path.i(i)) {
                let r = RoleIx::try_from(r).unwrap_or(0);
                if !out.contains(&r) {
                    out.push(r);
                }
            }
        }
        out
    }

    fn audience(&mut self, names: &[Text<'_>], path: &Path) -> Audience {
        Audience::from_roles(self.roles(names, path))
    }

    /// A short text that repeats across items, shared.
    fn share(&mut self, s: &str) -> Arc<str> {
        if let Some(a) = self.shared.get(s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(s);
        self.shared.insert(Arc::clone(&a));
        a
    }

    fn time(&mut self, s: &str, path: &Path) -> Option<GameTime> {
        match time::parse_time(self.start, s) {
            Ok(t) if t > self.end => {
                let at = self.start.clock(t);
                let end = self.start.clock(self.end);
                self.error(
                    path,
                    format!(
                        "impossible time `{s}`: it falls at {at}, after the scenario ends ({end})"
                    ),
                    Some(format!(
                        "the scenario runs from {} to {end}",
                        self.start.clock(GameTime::ZERO)
                    )),
                );
                None
            }
            Ok(t) => Some(t),
            Err(_) => {
                self.error(
                    path,
                    format!("`{s}` is not a time"),
                    Some("write `03:45` (the first 03:45 after the start), `Sat 03:45`, or `+15` (minutes after the start)".into()),
                );
                None
            }
        }
    }

    fn delay(&mut self, d: &RawDelay, path: &Path) -> Option<Delay> {
        match d {
            RawDelay::Minutes(m) => Some(Delay::Minutes(*m)),
            RawDelay::Draw(name) => match self.value(name, &path.i(0))? {
                ValueRef::Draw(i) => {
                    if matches!(self.draw_kinds[i as usize], DrawKind::Chance { .. }) {
                        self.error(
                            &path.i(0),
                            format!("draw `{name}` is a chance (0 or 1), not a number of minutes"),
                            Some(
                                "declare a `Range(id: …, min: …, max: …)` draw for a delay".into(),
                            ),
                        );
                        return None;
                    }
                    Some(Delay::Draw(i))
                }
                ValueRef::Var(_) => {
                    self.error(
                        &path.i(0),
                        format!("`{name}` is a variable; a delay reads a draw"),
                        Some("use `Minutes(n)`, or a `Range` draw".into()),
                    );
                    None
                }
            },
        }
    }

    fn option_of(&mut self, inject: u32, option: &str, path: &Path) -> Option<u16> {
        let inject_name = |names: &BTreeMap<&'static str, NameTable<'r>>| {
            names["injects"]
                .iter()
                .find(|(_, v)| **v == inject)
                .map(|(k, _)| (*k).to_owned())
                .unwrap_or_default()
        };
        match self.options.get(inject as usize).copied().flatten() {
            None => {
                self.error(
                    path,
                    format!(
                        "inject `{}` has no prompt, so no option `{option}`",
                        inject_name(&self.names)
                    ),
                    None,
                );
                None
            }
            Some(opts) => {
                let found = opts.iter().position(|o| o.id == option);
                if found.is_none() {
                    let ids: Vec<&str> = opts.iter().map(|o| o.id.as_str()).collect();
                    let help = suggest(option, ids.iter().copied())
                        .map(|s| format!("did you mean `{s}`?"))
                        .or_else(|| Some(format!("its options: {}", ids.join(", "))));
                    self.error(
                        path,
                        format!(
                            "inject `{}` has no option `{option}`",
                            inject_name(&self.names)
                        ),
                        help,
                    );
                }
                found.and_then(|i| u16::try_from(i).ok())
            }
        }
    }

    fn mark(&mut self, m: &RawMark, path: &Path) -> Option<Mark> {
        Some(match m {
            RawMark::Start => Mark::Start,
            RawMark::Delivered(i) => Mark::Delivered(self.lookup(Kind::Inject, i, &path.i(0))?),
            RawMark::Taken(a) => Mark::Taken(self.lookup(Kind::Action, a, &path.i(0))?),
            RawMark::Completed(a) => Mark::Completed(self.lookup(Kind::Action, a, &path.i(0))?),
            RawMark::Chose(i, o) => {
                let inj = self.lookup(Kind::Inject, i, &path.i(0))?;
                Mark::Chose(inj, self.option_of(inj, o, &path.i(1))?)
            }
            RawMark::Stage(s) => {
                Mark::Stage(u16::try_from(self.lookup(Kind::Stage, s, &path.i(0))?).unwrap_or(0))
            }
        })
    }

    fn cond(&mut self, c: &RawCond, path: &Path) -> Cond {
        self.cond_opt(c, path).unwrap_or(Cond::Never)
    }

    fn cond_opt(&mut self, c: &RawCond, path: &Path) -> Option<Cond> {
        Some(match c {
            RawCond::Always => Cond::Always,
            RawCond::Never => Cond::Never,
            RawCond::All(cs) | RawCond::Any(cs) => {
                let list = path.i(0);
                let v: Vec<Cond> = cs
                    .iter()
                    .enumerate()
                    .map(|(i, c)| self.cond(c, &list.i(i)))
                    .collect();
                if matches!(c, RawCond::All(_)) {
                    Cond::All(v)
                } else {
                    Cond::Any(v)
                }
            }
            RawCond::Not(c) => Cond::Not(Box::new(self.cond(c, &path.i(0)))),
            RawCond::Is(v) => Cond::Is(self.value(v, &path.i(0))?),
            RawCond::AtLeast(v, n) => Cond::AtLeast(self.value(v, &path.i(0))?, *n),
            RawCond::AtMost(v, n) => Cond::AtMost(self.value(v, &path.i(0))?, *n),
            RawCond::Equals(v, n) => Cond::Equals(self.value(v, &path.i(0))?, *n),
            RawCond::Delivered(i) => {
                Cond::Happened(Mark::Delivered(self.lookup(Kind::Inject, i, &path.i(0))?))
            }
            RawCond::Taken(a) => {
                Cond::Happened(Mark::Taken(self.lookup(Kind::Action, a, &path.i(0))?))
            }
            RawCond::Completed(a) => {
                Cond::Happened(Mark::Completed(self.lookup(Kind::Action, a, &path.i(0))?))
            }
            RawCond::Chose(..) | RawCond::Stage(_) => {
                let m = match c {
                    RawCond::Chose(i, o) => RawMark::Chose(i.clone(), o.clone()),
                    RawCond::Stage(s) => RawMark::Stage(s.clone()),
                    _ => RawMark::Start,
                };
                Cond::Happened(self.mark(&m, path)?)
            }
            RawCond::Within { from, to, minutes } => Cond::Within {
                from: self.mark(from, &path.f("from"))?,
                to: self.mark(to, &path.f("to"))?,
                minutes: *minutes,
            },
            RawCond::ThreatHalted => Cond::ThreatHalted,
            RawCond::Before(t) => {
                let t = self.time(t, &path.i(0))?;
                self.clock_marks.insert(t);
                Cond::Before(t)
            }
            RawCond::After(t) => {
                let t = self.time(t, &path.i(0))?;
                self.clock_marks.insert(t);
                Cond::NotBefore(t)
            }
            RawCond::TimeOfDay(from, to) => {
                let mut read = |s: &str, p: &Path| {
                    let m = time::parse_hh_mm(s);
                    if m.is_none() {
                        self.error(
                            p,
                            format!("`{s}` is not a time of day"),
                            Some("write `HH:MM`, e.g. `22:00`".into()),
                        );
                    }
                    m
                };
                let f = read(from, &path.i(0));
                let t = read(to, &path.i(1));
                let (f, t) = (f?, t?);
                if f == t {
                    self.error(
                        &path.i(1),
                        format!("the window `{from}` to `{to}` is empty"),
                        Some("give two different times; `TimeOfDay(\"22:00\", \"07:00\")` wraps midnight".into()),
                    );
                }
                self.daily_marks.insert(f);
                self.daily_marks.insert(t);
                Cond::TimeOfDay { from: f, to: t }
            }
            RawCond::OnDays(days) => {
                self.daily_marks.insert(0);
                Cond::Weekdays(days.iter().fold(0u8, |m, d| m | (1 << d.index())))
            }
            RawCond::TimeUp => Cond::TimeUp,
            RawCond::SlaMet(s) => Cond::SlaMet(self.lookup(Kind::Sla, s, &path.i(0))?),
            RawCond::SlaBreached(s) => Cond::SlaBreached(self.lookup(Kind::Sla, s, &path.i(0))?),
            RawCond::Expired(i) => Cond::Expired(self.lookup(Kind::Inject, i, &path.i(0))?),
            RawCond::Reachable(r) => {
                if self.in_reachable {
                    self.error(
                        &path.i(0),
                        "`Reachable` cannot be used inside a role's `reachable` condition".into(),
                        Some("write the condition itself (a variable, a time of day…)".into()),
                    );
                    return None;
                }
                Cond::Reachable(
                    RoleIx::try_from(self.lookup(Kind::Role, r, &path.i(0))?).unwrap_or(0),
                )
            }
        })
    }

    fn effects(&mut self, list: &[RawEffect], path: &Path) -> Vec<Effect> {
        // Exactly as long as the list (a filtered collect would reserve four): a large
        // scenario has tens of thousands of one-effect lists.
        let mut v = Vec::with_capacity(list.len());
        for (i, e) in list.iter().enumerate() {
            v.extend(self.effect(e, &path.i(i)));
        }
        v
    }

    fn effect(&mut self, e: &RawEffect, path: &Path) -> Option<Effect> {
        Some(match e {
            RawEffect::Set(v, n) => Effect::Set(self.variable(v, &path.i(0))?, *n),
            RawEffect::Add(v, n) => Effect::Add(self.variable(v, &path.i(0))?, *n),
            RawEffect::Schedule(i, d) => {
                let inj = self.lookup(Kind::Inject, i, &path.i(0));
                let d = self.delay(d, &path.i(1));
                let inj = inj?;
                if let Some(s) = self.scheduled.get_mut(inj as usize) {
                    *s = true;
                }
                Effect::Schedule(inj, d?)
            }
            RawEffect::Cancel(i) => Effect::Cancel(self.lookup(Kind::Inject, i, &path.i(0))?),
            RawEffect::Roll(d) => match self.value(d, &path.i(0))? {
                ValueRef::Draw(i) => Effect::Roll(i),
                ValueRef::Var(_) => {
                    self.error(&path.i(0), format!("`{d}` is a variable, not a draw"), None);
                    return None;
                }
            },
            RawEffect::AdvanceThreat => Effect::AdvanceThreat,
            RawEffect::HaltThreat => Effect::HaltThreat,
            RawEffect::ResumeThreat => Effect::ResumeThreat,
            RawEffect::End(e) => {
                Effect::End(u16::try_from(self.lookup(Kind::Ending, e, &path.i(0))?).unwrap_or(0))
            }
            RawEffect::If {
                when,
                then,
                otherwise,
            } => Effect::If(Box::new(Branch {
                cond: self.cond(when, &path.f("when")),
                then: self.effects(then, &path.f("then")),
                otherwise: self.effects(otherwise, &path.f("else")),
            })),
        })
    }

    fn count(&mut self, n: usize, max: usize, path: &Path, what: &str) -> bool {
        if n > max {
            self.error(path, format!("too many {what}: {n} (at most {max})"), None);
            false
        } else {
            true
        }
    }

    /// Checks and builds. Returns `None` when any error was reported.
    pub fn compile(&mut self, raw: &'r RawScenario<'r>, content_hash: u64) -> Option<Scenario> {
        let root = Path::ROOT;
        if raw.format != FORMAT {
            self.error(
                &root.f("format"),
                format!(
                    "unsupported scenario format `{}`; this ttx reads format {FORMAT}",
                    raw.format
                ),
                Some("see docs/scenario-format.md for what changed".into()),
            );
            return None;
        }
        if let Err(why) = check_id(&raw.id) {
            self.error(
                &root.f("id"),
                format!("`{}` is not a valid scenario id: {why}", raw.id),
                None,
            );
        }
        match time::parse_start(&raw.start) {
            Some(s) => self.start = s,
            None => self.error(
                &root.f("start"),
                format!("`{}` is not a start time", raw.start),
                Some("write a weekday and a time, e.g. `Sat 03:30`".into()),
            ),
        }
        self.end = GameTime(limits::DURATION_MINUTES);
        match time::parse_time(self.start, &raw.end) {
            Ok(t) if t == GameTime::ZERO => self.error(
                &root.f("end"),
                format!("impossible end `{}`: it is the start itself", raw.end),
                Some(
                    "the end must come after the start; `+5:30` reads as five and a half hours"
                        .into(),
                ),
            ),
            Ok(t) if t.0 > limits::DURATION_MINUTES => self.error(
                &root.f("end"),
                format!(
                    "the scenario may run at most two weeks; `{}` is later",
                    raw.end
                ),
                None,
            ),
            Ok(t)
                if raw.end.trim().contains(' ')
                    && t.0 >= 6 * time::DAY
                    && self.start.clock(t).weekday == self.start.weekday =>
            {
                self.error(
                    &root.f("end"),
                    format!(
                        "the end `{}` comes before the start `{}` on the same day",
                        raw.end, raw.start
                    ),
                    Some("read literally it means a week later; write the real end, or `+H:MM` after the start".into()),
                );
            }
            Ok(t) => self.end = t,
            Err(_) => self.error(
                &root.f("end"),
                format!("`{}` is not a time", raw.end),
                Some("write `Sat 09:00`, `09:00` or `+5:30`".into()),
            ),
        }

        let ok = [
            self.count(raw.roles.len(), limits::ROLES, &root.f("roles"), "roles"),
            self.count(
                raw.variables.len(),
                limits::VARIABLES,
                &root.f("variables"),
                "variables",
            ),
            self.count(raw.draws.len(), limits::DRAWS, &root.f("draws"), "draws"),
            self.count(
                raw.injects.len(),
                limits::INJECTS,
                &root.f("injects"),
                "injects",
            ),
            self.count(
                raw.actions.len(),
                limits::ACTIONS,
                &root.f("actions"),
                "actions",
            ),
            self.count(raw.slas.len(), limits::SLAS, &root.f("slas"), "SLAs"),
            self.count(
                raw.endings.len(),
                limits::ENDINGS,
                &root.f("endings"),
                "endings",
            ),
            self.count(
                raw.objectives.len(),
                limits::OBJECTIVES,
                &root.f("objectives"),
                "objectives",
            ),
            self.count(
                raw.rubric.len(),
                limits::RUBRIC,
                &root.f("rubric"),
                "rubric criteria",
            ),
            self.count(
                raw.threat.as_ref().map_or(0, |t| t.stages.len()),
                limits::STAGES,
                &root.f("threat").f("stages"),
                "threat stages",
            ),
        ];
        if ok.contains(&false) {
            return None;
        }

        // Names first, so references can point forwards.
        self.declare(
            "roles",
            &root.f("roles"),
            raw.roles.iter().map(|r| r.id.as_str()),
        );
        for (i, r) in raw.roles.iter().enumerate() {
            if r.id == FACILITATOR {
                self.error(
                    &root.f("roles").i(i).f("id"),
                    format!("`{FACILITATOR}` is reserved for the facilitator seat"),
                    Some("give the role another id".into()),
                );
            }
        }
        self.role_authority = raw.roles.iter().map(|r| r.authority).collect();
        self.declare(
            "injects",
            &root.f("injects"),
            raw.injects.iter().map(|r| r.id.as_str()),
        );
        self.declare(
            "actions",
            &root.f("actions"),
            raw.actions.iter().map(|r| r.id.as_str()),
        );
        self.declare(
            "endings",
            &root.f("endings"),
            raw.endings.iter().map(|r| r.id.as_str()),
        );
        self.declare(
            "objectives",
            &root.f("objectives"),
            raw.objectives.iter().map(|r| r.id.as_str()),
        );
        self.declare(
            "slas",
            &root.f("slas"),
            raw.slas.iter().map(|r| r.id.as_str()),
        );
        self.declare(
            "rubric",
            &root.f("rubric"),
            raw.rubric.iter().map(|r| r.id.as_str()),
        );
        if let Some(t) = &raw.threat {
            self.declare(
                "stages",
                &root.f("threat").f("stages"),
                t.stages.iter().map(|s| s.id.as_str()),
            );
        }
        self.declare_values(raw, &root);
        self.scheduled = vec![false; raw.injects.len()];
        self.options = raw
            .injects
            .iter()
            .map(|i| i.prompt.as_ref().map(|p| p.options.as_slice()))
            .collect();

        let role_ids: Vec<RoleId> = raw.roles.iter().map(|r| RoleId::new(&r.id)).collect();
        let roles = self.roles_model(raw, &root, &role_ids);
        let variables = self.variables_model(raw, &root);
        let draws = self.draws_model(raw, &root);
        let threat = self.threat_model(raw, &root);
        let injects: Vec<Inject> = raw
            .injects
            .iter()
            .enumerate()
            .map(|(i, inj)| self.inject_model(inj, &root.f("injects").i(i)))
            .collect();
        let actions: Vec<Action> = raw
            .actions
            .iter()
            .enumerate()
            .map(|(i, a)| self.action_model(a, &root.f("actions").i(i)))
            .collect();
        let slas = self.slas_model(raw, &root);
        let endings = self.endings_model(raw, &root);
        let objectives = self.objectives_model(raw, &root);
        let rubric = self.rubric_model(raw, &root);
        let milestones = self.milestones_model(raw, &root);
        let bots = self.bots_model(raw, &root);

        self.check_reachability(raw, &root, &injects);

        if self.diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let conditional_injects = injects
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.trigger, Trigger::When(..)))
            .map(|(i, _)| u32::try_from(i).unwrap_or(0))
            .collect();
        let timed_injects = injects
            .iter()
            .enumerate()
            .filter_map(|(i, inj)| match inj.trigger {
                Trigger::At(t) => u32::try_from(i).ok().map(|i| (t, i)),
                _ => None,
            })
            .collect();
        let mut scenario = Scenario {
            timed_injects,
            id: ScenarioId::new(&raw.id),
            title: raw.title.to_string(),
            summary: raw.summary.to_string(),
            tags: raw.tags.iter().map(ToString::to_string).collect(),
            start: self.start,
            end: self.end,
            roles,
            variables,
            draws,
            threat,
            injects,
            actions,
            slas,
            endings,
            objectives,
            rubric,
            milestones,
            bots,
            content_hash,
            conditional_injects,
            clock_marks: self.clock_marks.iter().copied().collect(),
            daily_marks: self.daily_marks.iter().copied().collect(),
            index: NameIndex::default(),
            checks_read_clock: true,
        };
        scenario.index = NameIndex::build(&scenario);
        scenario.checks_read_clock = scenario.compute_checks_read_clock();
        self.check_hidden_availability(&root, &scenario);
        Some(scenario)
    }

    fn declare_values(&mut self, raw: &RawScenario, root: &Path) {
        self.values.clear();
        for (i, v) in raw.variables.iter().enumerate() {
            let path = root.f("variables").i(i).f("id");
            if let Err(why) = check_id(&v.id) {
                self.error(&path, format!("`{}` is not a valid id: {why}", v.id), None);
            }
            if self.values.contains_key(v.id.as_str()) {
                self.error(
                    &path,
                    format!("duplicate variable `{}`", v.id),
                    Some("each variable needs its own id".into()),
                );
            } else {
                self.values.insert(
                    v.id.to_string(),
                    ValueRef::Var(u32::try_from(i).unwrap_or(0)),
                );
            }
        }
        for (i, d) in raw.draws.iter().enumerate() {
            let (id, kind) = match d {
                super::raw::RawDraw::Chance { id, percent, .. } => {
                    (id, DrawKind::Chance { percent: *percent })
                }
                super::raw::RawDraw::Range { id, min, max, .. } => (
                    id,
                    DrawKind::Range {
                        min: *min,
                        max: *max,
                    },
                ),
            };
            let path = root.f("draws").i(i).f("id");
            if let Err(why) = check_id(id) {
                self.error(&path, format!("`{id}` is not a valid id: {why}"), None);
            }
            if self.values.contains_key(id.as_str()) {
                self.error(
                    &path,
                    format!("`{id}` is already declared"),
                    Some("variables and draws share one set of names".into()),
                );
            } else {
                self.values.insert(
                    id.to_string(),
                    ValueRef::Draw(u32::try_from(i).unwrap_or(0)),
                );
            }
            self.draw_kinds.push(kind);
        }
    }

    fn roles_model(&mut self, raw: &RawScenario, root: &Path, _ids: &[RoleId]) -> Vec<Role> {
        if raw.roles.is_empty() {
            self.error(
                &root.f("roles"),
                "a scenario needs at least one role".into(),
                None,
            );
        }
        raw.roles
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let p = root.f("roles").i(i);
                Role {
                    id: RoleId::new(&r.id),
                    name: r.name.to_string(),
                    persona: r.persona.to_string(),
                    side: r.side,
                    authority: r.authority,
                    briefing: r.briefing.to_string(),
                    reachable: {
                        self.in_reachable = true;
                        let c = r
                            .reachable
                            .as_ref()
                            .map_or(Cond::Always, |c| self.cond(c, &p.f("reachable")));
                        self.in_reachable = false;
                        c
                    },
                    unreachable_note: r.unreachable_note.to_string(),
                }
            })
            .collect()
    }

    fn variables_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Variable> {
        raw.variables
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let p = root.f("variables").i(i);
                if v.min > v.max {
                    self.error(
                        &p.f("min"),
                        format!("`min` {} is above `max` {}", v.min, v.max),
                        None,
                    );
                } else if !(v.min..=v.max).contains(&v.initial) {
                    self.error(
                        &p.f("initial"),
                        format!(
                            "initial value {} is outside {}..={}",
                            v.initial, v.min, v.max
                        ),
                        None,
                    );
                }
                Variable {
                    id: VarId::new(&v.id),
                    name: if v.name.is_empty() {
                        v.id.to_string()
                    } else {
                        v.name.to_string()
                    },
                    min: v.min,
                    max: v.max,
                    initial: v.initial,
                    audience: self.audience(&v.visible_to, &p.f("visible_to")),
                }
            })
            .collect()
    }

    fn draws_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Draw> {
        raw.draws
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let p = root.f("draws").i(i);
                match d {
                    super::raw::RawDraw::Chance { id, percent, note } => {
                        if *percent > 100 {
                            self.error(
                                &p.f("percent"),
                                format!("a chance of {percent}% is impossible"),
                                Some("use 0 to 100".into()),
                            );
                        }
                        Draw {
                            id: VarId::new(id),
                            kind: DrawKind::Chance { percent: *percent },
                            note: note.to_string(),
                        }
                    }
                    super::raw::RawDraw::Range { id, min, max, note } => {
                        if min > max {
                            self.error(
                                &p.f("min"),
                                format!("`min` {min} is above `max` {max}"),
                                None,
                            );
                        }
                        Draw {
                            id: VarId::new(id),
                            kind: DrawKind::Range {
                                min: *min,
                                max: *max,
                            },
                            note: note.to_string(),
                        }
                    }
                }
            })
            .collect()
    }

    fn threat_model(&mut self, raw: &RawScenario, root: &Path) -> Option<Threat> {
        let t = raw.threat.as_ref()?;
        let p = root.f("threat");
        if t.stages.is_empty() {
            self.error(
                &p.f("stages"),
                "a threat needs at least one stage".into(),
                None,
            );
        }
        let stages = t
            .stages
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let sp = p.f("stages").i(i);
                if i == 0 && s.after.is_some() {
                    self.warn(
                        &sp.f("after"),
                        format!("`after` on the first stage `{}` is ignored: the threat starts there", s.id),
                        Some("remove it".into()),
                    );
                }
                let after = match (&s.after, i) {
                    (Some(d), _) => self.delay(d, &sp.f("after")).unwrap_or(Delay::Minutes(0)),
                    (None, 0) => Delay::Minutes(0),
                    (None, _) => {
                        self.error(
                            &sp,
                            format!("stage `{}` needs `after:` (how long the attacker takes to get there)", s.id),
                            Some("e.g. `after: Minutes(40)` or `after: Draw(\"dwell\")`".into()),
                        );
                        Delay::Minutes(0)
                    }
                };
                Stage {
                    id: StageId::new(&s.id),
                    name: s.name.to_string(),
                    description: s.description.to_string(),
                    after,
                    effects: self.effects(&s.effects, &sp.f("effects")),
                }
            })
            .collect();
        Some(Threat {
            name: t.name.to_string(),
            stages,
            halted_when: t
                .halted_when
                .as_ref()
                .map_or(Cond::Never, |c| self.cond(c, &p.f("halted_when"))),
            audience: self.audience(&t.visible_to, &p.f("visible_to")),
        })
    }

    fn inject_model(&mut self, inj: &RawInject, p: &Path) -> Inject {
        let trigger = match (&inj.at, &inj.when) {
            (Some(_), Some(_)) => {
                self.error(
                    &p.f("when"),
                    format!("inject `{}` has both `at` and `when`", inj.id),
                    Some("give one: `at` for a fixed time, `when` for a condition".into()),
                );
                Trigger::Manual
            }
            (Some(t), None) => {
                if inj.delay.is_some() {
                    self.error(
                        &p.f("delay"),
                        "`delay` goes with `when`, not with `at`".into(),
                        None,
                    );
                }
                self.time(t, &p.f("at"))
                    .map_or(Trigger::Manual, Trigger::At)
            }
            (None, Some(c)) => {
                let cond = self.cond(c, &p.f("when"));
                let delay = inj
                    .delay
                    .as_ref()
                    .and_then(|d| self.delay(d, &p.f("delay")))
                    .unwrap_or(Delay::Minutes(0));
                Trigger::When(cond, delay)
            }
            (None, None) => {
                if inj.delay.is_some() {
                    self.error(&p.f("delay"), "`delay` goes with `when`".into(), None);
                }
                Trigger::Manual
            }
        };
        let to = self.roles(&inj.to, &p.f("to"));
        if inj.to.is_empty() {
            self.warn(
                &p.f("to"),
                format!(
                    "inject `{}` goes to no role: only the facilitator will see it",
                    inj.id
                ),
                Some("list the roles that receive it in `to:`".into()),
            );
        }
        let prompt = inj.prompt.as_ref().map(|pr| {
            let pp = p.f("prompt");
            let by = if pr.by.is_empty() {
                to.clone()
            } else {
                let by = self.roles(&pr.by, &pp.f("by"));
                for (k, name) in pr.by.iter().enumerate() {
                    let known = self.names.get("roles").and_then(|m| m.get(name.as_str())).copied();
                    if let Some(r) = known.and_then(|r| RoleIx::try_from(r).ok())
                        && !to.contains(&r) {
                            self.error(
                                &pp.f("by").i(k),
                                format!("role `{name}` may answer but is not among the inject's `to`, so never sees the question"),
                                Some("add the role to `to:`".into()),
                            );
                        }
                }
                by
            };
            if pr.options.is_empty() {
                self.error(&pp.f("options"), "a prompt needs at least one option".into(), None);
            }
            // Past the limit the file is refused anyway: no quadratic duplicate search then.
            let few = self.count(pr.options.len(), limits::OPTIONS, &pp.f("options"), "options");
            let options = pr
                .options
                .iter()
                .enumerate()
                .map(|(k, o)| {
                    let op = pp.f("options").i(k);
                    if let Err(why) = check_id(&o.id) {
                        self.error(&op.f("id"), format!("`{}` is not a valid id: {why}", o.id), None);
                    }
                    if few && pr.options[..k].iter().any(|p| p.id == o.id) {
                        self.error(&op.f("id"), format!("duplicate option `{}`", o.id), None);
                    }
                    // An option the answering role may not take is allowed on purpose (it shows
                    // the player what they are not authorised to do); one nobody could take is not.
                    if self.role_authority.iter().all(|a| *a < o.authority) {
                        self.error(
                            &op.f("authority"),
                            format!("no role in the scenario has authority {}, so option `{}` can never be chosen", o.authority, o.id),
                            None,
                        );
                    }
                    PromptOption {
                        id: OptionId::shared(self.share(&o.id)),
                        label: self.share(&o.label),
                        authority: o.authority,
                        stance: o.stance,
                        effects: self.effects(&o.effects, &op.f("effects")),
                        debrief: o.debrief.to_string(),
                    }
                })
                .collect::<Vec<_>>();
            let default = match (&pr.default, pr.deadline) {
                (Some(d), Some(_)) => {
                    let found = pr.options.iter().position(|o| &o.id == d);
                    if found.is_none() {
                        let help = suggest(d, pr.options.iter().map(|o| o.id.as_str()))
                            .map(|s| format!("did you mean `{s}`?"));
                        self.error(&pp.f("default"), format!("the default `{d}` is not one of the options"), help);
                    }
                    found.and_then(|x| u16::try_from(x).ok())
                }
                (Some(_), None) => {
                    self.error(&pp.f("default"), "a `default` needs a `deadline` (minutes after delivery)".into(), None);
                    None
                }
                (None, Some(_)) => {
                    self.error(
                        &pp.f("deadline"),
                        "a prompt with a `deadline` needs a `default`: what happens when nobody decides".into(),
                        None,
                    );
                    None
                }
                (None, None) => None,
            };
            if pr.deadline == Some(0) {
                self.error(&pp.f("deadline"), "a deadline of 0 minutes leaves no time to decide".into(), None);
            }
            let heard = self.audience(&pr.heard_by, &pp.f("heard_by"));
            let answer_audience = Audience::from_roles(to.iter().copied()).union(heard);
            Prompt {
                question: self.share(&pr.question),
                by,
                options,
                answer_audience,
                deadline: pr.deadline,
                default,
            }
        });
        Inject {
            id: InjectId::new(&inj.id),
            trigger,
            to: Audience::from_roles(to),
            channel: inj.channel,
            from: self.share(&inj.from),
            subject: self.share(&inj.subject),
            text: Arc::from(inj.text.as_str()),
            effects: self.effects(&inj.effects, &p.f("effects")),
            prompt,
            contingency: inj.contingency,
            debrief: inj.debrief.to_string(),
        }
    }

    fn action_model(&mut self, a: &RawAction, p: &Path) -> Action {
        let by = self.roles(&a.by, &p.f("by"));
        if a.by.is_empty() {
            self.error(
                &p.f("by"),
                format!("no role may take action `{}`", a.id),
                Some("list at least one role in `by:`".into()),
            );
        }
        let without_authority = match &a.without_authority {
            None | Some(RawWithoutAuthority::Refuse) => WithoutAuthority::Refuse,
            Some(RawWithoutAuthority::Approval(names)) => {
                let ap = p.f("without_authority").i(0);
                let approvers = self.roles(names, &ap);
                for (k, name) in names.iter().enumerate() {
                    let known = self
                        .names
                        .get("roles")
                        .and_then(|m| m.get(name.as_str()))
                        .copied();
                    if let Some(r) = known {
                        let has = self.role_authority[r as usize];
                        if has < a.authority {
                            self.error(
                                &ap.i(k),
                                format!("role `{name}` has authority {has} and cannot approve an action that needs {}", a.authority),
                                Some("list only roles with enough authority as approvers".into()),
                            );
                        }
                    }
                }
                if names.is_empty() {
                    self.error(&ap, "an approval needs at least one approver".into(), None);
                }
                WithoutAuthority::Approval(approvers)
            }
        };
        let preapproved = a
            .preapproved
            .as_ref()
            .map_or(Cond::Never, |c| self.cond(c, &p.f("preapproved")));
        let anyone_authorised = by
            .iter()
            .any(|r| self.role_authority[usize::from(*r)] >= a.authority);
        if !by.is_empty()
            && !anyone_authorised
            && without_authority == WithoutAuthority::Refuse
            && preapproved == Cond::Never
        {
            self.error(
                &p.f("authority"),
                format!("action `{}` can never be taken: it needs authority {} and no role in `by` has it", a.id, a.authority),
                Some("lower `authority`, add `without_authority: Approval([...])`, or a `preapproved:` condition".into()),
            );
        }
        Action {
            id: ActionId::new(&a.id),
            name: a.name.to_string(),
            description: a.description.to_string(),
            by,
            available: a
                .available
                .as_ref()
                .map_or(Cond::Always, |c| self.cond(c, &p.f("available"))),
            authority: a.authority,
            without_authority,
            preapproved,
            duration: a.duration,
            repeatable: a.repeatable,
            kind: a.kind,
            effects: self.effects(&a.effects, &p.f("effects")),
            channel: a.channel,
            to: self.audience(&a.to, &p.f("to")),
            visible_to: self.audience(&a.visible_to, &p.f("visible_to")),
            debrief: a.debrief.to_string(),
        }
    }

    fn slas_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Sla> {
        raw.slas
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = root.f("slas").i(i);
                let severity = self.variable(&s.severity, &p.f("severity")).unwrap_or(0);
                if s.targets.is_empty() {
                    self.error(
                        &p.f("targets"),
                        "an SLA needs at least one `(severity, minutes)` target".into(),
                        None,
                    );
                }
                let mut seen = BTreeSet::new();
                for (k, (sev, _)) in s.targets.iter().enumerate() {
                    if !seen.insert(*sev) {
                        self.error(
                            &p.f("targets").i(k),
                            format!("severity {sev} has two targets"),
                            Some("give each severity one target".into()),
                        );
                    }
                }
                // Every value the severity can take needs a target, or that SLA never breaches.
                if let Some(var) = raw.variables.iter().find(|v| v.id == s.severity)
                    && !s.targets.is_empty() && var.max.saturating_sub(var.min) <= 100 {
                        let missing: Vec<String> = (var.min..=var.max)
                            .filter(|v| !seen.contains(v))
                            .map(|v| v.to_string())
                            .collect();
                        if !missing.is_empty() {
                            self.error(
                                &p.f("targets"),
                                format!(
                                    "no target for severity {} (`{}` ranges {}..={})",
                                    missing.join(", "),
                                    s.severity,
                                    var.min,
                                    var.max
                                ),
                                Some("an SLA with no target for the current severity never breaches; add `(severity, minutes)` pairs".into()),
                            );
                        }
                    }
                Sla {
                    id: SlaId::new(&s.id),
                    name: s.name.to_string(),
                    starts: self.cond(&s.starts, &p.f("starts")),
                    met: self.cond(&s.met, &p.f("met")),
                    severity,
                    targets: s.targets.clone(),
                    audience: self.audience(&s.visible_to, &p.f("visible_to")),
                }
            })
            .collect()
    }

    fn endings_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Ending> {
        if raw.endings.is_empty() {
            self.error(
                &root.f("endings"),
                "a scenario needs at least one ending".into(),
                None,
            );
        }
        let mut always_at: Option<usize> = None;
        raw.endings
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let p = root.f("endings").i(i);
                if let Some(first) = always_at {
                    self.error(
                        &p,
                        format!("ending `{}` can never be reached: ending `{}` above it always matches first", e.id, raw.endings[first].id),
                        Some("endings are checked in order; remove or reorder them".into()),
                    );
                }
                let when = self.cond(&e.when, &p.f("when"));
                if when == Cond::Always && always_at.is_none() {
                    always_at = Some(i);
                    self.error(
                        &p.f("when"),
                        format!("ending `{}` is always true, so the exercise would end the moment it starts", e.id),
                        Some("endings are checked all the time, in order; for an ending when time runs out write `when: TimeUp`".into()),
                    );
                }
                Ending {
                    id: EndingId::new(&e.id),
                    title: e.title.to_string(),
                    outcome: e.outcome,
                    when,
                    text: e.text.to_string(),
                    debrief: e.debrief.to_string(),
                }
            })
            .collect()
    }

    fn objectives_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Objective> {
        raw.objectives
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let p = root.f("objectives").i(i);
                let ratings = o
                    .ratings
                    .iter()
                    .enumerate()
                    .map(|(k, r)| {
                        let rp = p.f("ratings").i(k);
                        let (rating, c) = match r {
                            RawRating::P(c) => (Rating::P, c),
                            RawRating::S(c) => (Rating::S, c),
                            RawRating::M(c) => (Rating::M, c),
                            RawRating::U(c) => (Rating::U, c),
                        };
                        (rating, self.cond(c, &rp.i(0)))
                    })
                    .collect();
                Objective {
                    id: ObjectiveId::new(&o.id),
                    text: o.text.to_string(),
                    ratings,
                }
            })
            .collect()
    }

    fn rubric_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Criterion> {
        raw.rubric
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let p = root.f("rubric").i(i);
                Criterion {
                    id: CriterionId::new(&c.id),
                    text: c.text.to_string(),
                    points: c.points,
                    when: self.cond(&c.when, &p.f("when")),
                    objective: c
                        .objective
                        .as_ref()
                        .and_then(|o| self.lookup(Kind::Objective, o, &p.f("objective"))),
                }
            })
            .collect()
    }

    fn milestones_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<(Milestone, Cond)> {
        let Some(m) = &raw.milestones else {
            return Vec::new();
        };
        let p = root.f("milestones");
        let fields = [
            (Milestone::Triaged, "triaged", &m.triaged),
            (Milestone::Escalated, "escalated", &m.escalated),
            (
                Milestone::DecisionNeeded,
                "decision_needed",
                &m.decision_needed,
            ),
            (Milestone::Authorised, "authorised", &m.authorised),
            (Milestone::Contained, "contained", &m.contained),
        ];
        fields
            .into_iter()
            .filter_map(|(ms, name, c)| c.as_ref().map(|c| (ms, self.cond(c, &p.f(name)))))
            .collect()
    }

    fn bots_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<BotPersona> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for (i, b) in raw.bots.iter().enumerate() {
            let p = root.f("bots").i(i);
            let role = self.lookup(Kind::Role, &b.role, &p.f("role"));
            let mut spec = BotSpec::new(b.policy);
            if let Some((lo, hi)) = b.reaction {
                if lo > hi {
                    self.error(
                        &p.f("reaction"),
                        format!("the reaction time ({lo}, {hi}) runs backwards"),
                        Some("write the shortest reaction first, in minutes".into()),
                    );
                }
                if hi > 24 * 60 {
                    self.error(
                        &p.f("reaction"),
                        format!("a reaction of up to {hi} minutes is more than a day"),
                        None,
                    );
                }
                spec.reaction = (lo, hi);
            }
            if let Some(r) = b.retry {
                if r == 0 {
                    self.error(
                        &p.f("retry"),
                        "a retry after 0 minutes would call again at once, for ever".into(),
                        Some("give the minutes before trying again".into()),
                    );
                }
                spec.retry = r;
            }
            let only = |field: &str, policy: Policy| -> Option<String> {
                (b.policy != policy)
                    .then(|| format!("`{field}` only applies to the {} policy", policy.name()))
            };
            if let Some(n) = b.patience {
                if let Some(msg) = only("patience", Policy::Deferrer) {
                    self.error(&p.f("patience"), msg, None);
                }
                spec.patience = n;
            }
            if let Some(t) = &b.gives_in_at {
                if let Some(msg) = only("gives_in_at", Policy::Deferrer) {
                    self.error(&p.f("gives_in_at"), msg, None);
                }
                match time::parse_time(self.start, t) {
                    Ok(at) => spec.gives_in_at = Some(at),
                    Err(_) => self.error(
                        &p.f("gives_in_at"),
                        format!("`{t}` is not a time"),
                        Some("write `07:30` (the first 07:30 after the start), `Mon 09:00` or `+4:00`".into()),
                    ),
                }
            }
            if let Some(n) = b.acts_alone_after {
                if let Some(msg) = only("acts_alone_after", Policy::Decisive) {
                    self.error(&p.f("acts_alone_after"), msg, None);
                }
                spec.acts_alone_after = Some(n);
            }
            if let Some(r) = role {
                if let Some(first) = seen.insert(r, i) {
                    self.error(
                        &p.f("role"),
                        format!("role `{}` already has a bot (bots[{first}])", b.role),
                        None,
                    );
                }
                if let Ok(role) = RoleIx::try_from(r) {
                    out.push(BotPersona { role, spec });
                }
            }
        }
        out
    }

    /// Items that nothing can ever bring into play, and zero-delay loops.
    fn check_reachability(&mut self, raw: &RawScenario, root: &Path, injects: &[Inject]) {
        for (i, inj) in injects.iter().enumerate() {
            let idx = u32::try_from(i).unwrap_or(0);
            if matches!(inj.trigger, Trigger::Manual)
                && raw.injects[i].at.is_none()
                && raw.injects[i].when.is_none()
                && !inj.contingency
                && !self.scheduled.get(idx as usize).copied().unwrap_or(false)
            {
                self.error(
                    &root.f("injects").i(i).f("id"),
                    format!("inject `{}` is never delivered: it has no `at` or `when` and no effect schedules it", inj.id),
                    Some("add `at:` or `when:`, schedule it from an effect, or mark it `contingency: true` for the facilitator to fire".into()),
                );
            }
        }
        // Zero-delay loops among delivery effects would never let time pass.
        let zero = |d: &Delay, kinds: &[DrawKind]| match d {
            Delay::Minutes(m) => *m == 0,
            Delay::Draw(k) => matches!(kinds[*k as usize], DrawKind::Range { min, .. } if min <= 0),
        };
        let mut edges: Vec<Vec<u32>> = vec![Vec::new(); injects.len()];
        let mut stack: Vec<&Effect> = Vec::new();
        for (i, inj) in injects.iter().enumerate() {
            stack.extend(inj.effects.iter());
            while let Some(e) = stack.pop() {
                match e {
                    Effect::Schedule(j, d) if zero(d, &self.draw_kinds) => edges[i].push(*j),
                    Effect::If(b) => {
                        stack.extend(b.then.iter());
                        stack.extend(b.otherwise.iter());
                    }
                    _ => {}
                }
            }
        }
        self.check_fan_out(root, injects);
        if let Some(cycle_at) = find_cycle(&edges) {
            self.error(
                &root.f("injects").i(cycle_at as usize).f("effects"),
                format!("inject `{}` schedules itself again with no delay (through a loop of injects), which would never let time pass", injects[cycle_at as usize].id),
                Some("give one `Schedule` in the loop a delay of at least `Minutes(1)`".into()),
            );
        }
    }
}

impl Compiler<'_, '_> {
    /// Actions whose availability reads state a role that takes them cannot see.
    fn check_hidden_availability(&mut self, root: &Path, sc: &Scenario) {
        for (i, a) in sc.actions.iter().enumerate() {
            for &r in &a.by {
                if let Some(what) = super::visibility::hidden_read(sc, &a.available, r) {
                    self.warn(
                        &root.f("actions").i(i).f("available"),
                        format!(
                            "action `{}` becomes available to {} on {what}, which that role cannot see: the change tells it something it was never told, and while the action is greyed out it reads only \"not possible now\"",
                            a.id,
                            sc.role(r).name
                        ),
                        Some("gate the action on something the role sees (an inject sent to it, a variable visible to it)".into()),
                    );
                    break;
                }
            }
        }
    }

    /// Deliveries that multiply: an error when they always do, a warning when only some
    /// branches of `If` effects lead there.
    fn check_fan_out(&mut self, root: &Path, injects: &[Inject]) {
        let limit = u64::from(crate::engine::CASCADE_LIMIT);
        for f in super::fanout::check(injects, limit) {
            let i = f.inject as usize;
            let id = &injects[i].id;
            let (is, sets) = if f.sure {
                ("is", "sets")
            } else {
                ("can be", "can set")
            };
            let (message, help) = match f.kind {
                FanOutKind::Multiplies => (
                    format!(
                        "inject `{id}` {is} scheduled more than once for each of its deliveries (through its own effects or a loop of injects), so its deliveries multiply every cycle until the engine stops the exercise"
                    ),
                    "schedule it once per delivery, or end the loop with a condition that stops it",
                ),
                FanOutKind::FansOut { deliveries } => (
                    format!(
                        "one delivery of inject `{id}` {sets} off {deliveries} more deliveries; the engine stops an exercise at {limit} at one moment"
                    ),
                    "schedule fewer injects from each inject in this chain",
                ),
            };
            let path = root.f("injects").i(i).f("effects");
            if f.sure {
                self.error(&path, message, Some(help.into()));
            } else {
                self.warn(&path, message, Some(help.into()));
            }
        }
    }
}

/// The first node found on a cycle, by an iterative depth-first search.
fn find_cycle(edges: &[Vec<u32>]) -> Option<u32> {
    // 0 = unseen, 1 = on the stack, 2 = done.
    let mut color = vec![0u8; edges.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..edges.len() {
        if color[start] != 0 {
            continue;
        }
        stack.push((start, 0));
        color[start] = 1;
        while let Some((node, next)) = stack.last_mut() {
            if let Some(&to) = edges[*node].get(*next) {
                *next += 1;
                let to = to as usize;
                match color[to] {
                    0 => {
                        color[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => return u32::try_from(to).ok(),
                    _ => {}
                }
            } else {
                color[*node] = 2;
                stack.pop();
            }
        }
    }
    None
}

fn check_id(id: &str) -> Result<(), &'static str> {
    let mut chars = id.chars();
    match chars.next() {
        None => return Err("it is empty"),
        Some(c) if !c.is_ascii_lowercase() => return Err("it must start with a lower-case letter"),
        Some(_) => {}
    }
    if id.len() > 64 {
        return Err("it is longer than 64 characters");
    }
    if chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-') {
        Ok(())
    } else {
        Err("it may hold only a-z, 0-9, `_` and `-`")
    }
}
