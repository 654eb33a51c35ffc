//! Checks a deserialised scenario and builds the engine's model: resolves every name to an
//! index, reads every time, and collects *all* problems, each pointing at the value it
//! concerns.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use crate::engine::hash::FnvBuild;
use crate::engine::ids::{
    ActionId, CriterionId, EVALUATOR, EndingId, FACILITATOR, InjectId, ObjectiveId, OptionId,
    RoleId, ScenarioId, SlaId, StageId, VarId,
};
use crate::engine::model::{
    Action, Audience, BotPersona, BotSpec, Branch, Cond, Criterion, Delay, Draw, DrawKind, Effect,
    Ending, Inject, Mark, Milestone, NameIndex, Objective, Policy, Prompt, PromptOption, Rating,
    Role, RoleIx, Scenario, Sla, Stage, Threat, Trigger, ValueRef, Variable, WithoutAuthority,
};
use crate::engine::model::{Domain, InjectIx, VarIx};
use crate::engine::time::{self, GameTime, StartTime};

use super::diagnostic::{Diagnostic, Severity, suggest};
use super::fanout::FindingKind as FanOutKind;
use super::locate::Seg;
use super::locator::Locator;
use super::raw::{
    RawAction, RawChoice, RawCond, RawDelay, RawEffect, RawInject, RawMark, RawRating, RawScenario,
    RawWithoutAuthority, Text,
};

mod authority;
mod bots;
mod checks;
mod items;
mod parts;
mod refs;
mod stages;
mod turns;

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
    /// Where things are in the text: read only when a diagnostic needs a position, so a
    /// valid file is read once.
    at: Locator<'a>,
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
    /// The scales of authority `authority_in` names (domain `k` is `domains[k - 1]`).
    domains: Vec<String>,
    /// Each role's `authority_in`, as domains.
    role_levels: Vec<Vec<(Domain, u8)>>,
    /// Per inject: its option ids, if it has a prompt.
    options: Vec<Option<&'r [RawChoice<'r>]>>,
    /// Injects some effect schedules.
    scheduled: Vec<bool>,
    clock_marks: BTreeSet<GameTime>,
    daily_marks: BTreeSet<u32>,
    /// Compiling a role's `reachable` condition, where `Reachable` would loop.
    in_reachable: bool,
    /// Compiling an action's or an answer's `available`, where there is a role acting.
    actor_context: bool,
}

impl<'a, 'r> Compiler<'a, 'r> {
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Compiler {
            file,
            at: Locator::new(file, text),
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
            domains: Vec::new(),
            role_levels: Vec::new(),
            options: Vec::new(),
            scheduled: Vec::new(),
            clock_marks: BTreeSet::new(),
            daily_marks: BTreeSet::new(),
            in_reachable: false,
            actor_context: false,
        }
    }

    fn report(&mut self, severity: Severity, path: &Path, message: String, help: Option<String>) {
        let d = self.at.diagnostic(severity, path.segs(), message, help);
        self.diags.push(d);
    }

    fn error(&mut self, path: &Path, message: String, help: Option<String>) {
        self.report(Severity::Error, path, message, help);
    }

    fn warn(&mut self, path: &Path, message: String, help: Option<String>) {
        self.report(Severity::Warning, path, message, help);
    }

    fn line_of(&self, path: &Path) -> (usize, usize) {
        self.at.line_col(path.segs())
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

    /// The index of the `kind` named `name`, typed by where it goes (`InjectIx`, `RoleIx`…);
    /// an unknown name is reported at `path`.
    fn lookup<T: TryFrom<usize>>(&mut self, kind: Kind, name: &str, path: &Path) -> Option<T> {
        self.position(kind, name, path)
            .and_then(|i| T::try_from(i as usize).ok())
    }

    fn position(&mut self, kind: Kind, name: &str, path: &Path) -> Option<u32> {
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
                        ValueRef::Var(i) => i.0,
                        ValueRef::Draw(i) => i.0,
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
        self.position(Kind::Value, name, path)?;
        self.values.get(name).copied()
    }

    fn variable(&mut self, name: &str, path: &Path) -> Option<VarIx> {
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
            if let Some(r) = self.lookup(Kind::Role, n, &path.i(i))
                && !out.contains(&r)
            {
                out.push(r);
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

    /// Checks and builds. Returns `None` when any error was reported.
    /// The scenario's id, start and end.
    fn read_header(&mut self, raw: &RawScenario, root: &Path) {
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
    }

    /// Whether every list is within the limits (each one over is an error).
    fn within_limits(&mut self, raw: &RawScenario, root: &Path) -> bool {
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
        !ok.contains(&false)
    }

    /// Names first, so references can point forwards.
    fn declare_names(&mut self, raw: &'r RawScenario<'r>, root: &Path) {
        self.declare(
            "roles",
            &root.f("roles"),
            raw.roles.iter().map(|r| r.id.as_str()),
        );
        for (i, r) in raw.roles.iter().enumerate() {
            if r.id == FACILITATOR || r.id == EVALUATOR {
                self.error(
                    &root.f("roles").i(i).f("id"),
                    format!("`{}` is reserved for the {} seat", r.id, r.id),
                    Some("give the role another id".into()),
                );
            }
        }
        self.role_authority = raw.roles.iter().map(|r| r.authority).collect();
        self.declare_domains(raw, root);
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
    }

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
        self.read_header(raw, &root);
        if !self.within_limits(raw, &root) {
            return None;
        }
        self.declare_names(raw, &root);
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
        let modules = self.modules_model(raw, &root);
        let rubric = self.rubric_model(raw, &root);
        let milestones = self.milestones_model(raw, &root);
        let bots = self.bots_model(raw, &root);
        let measures = self.measures_model(raw, &root);
        let turns = self.turns_model(raw, &root);

        self.check_reachability(raw, &root, &injects);

        if self.diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let conditional_injects = injects
            .iter()
            .enumerate()
            .filter(|(_, i)| matches!(i.trigger, Trigger::When(..)))
            .filter_map(|(i, _)| InjectIx::at(i))
            .collect();
        let timed_injects = injects
            .iter()
            .enumerate()
            .filter_map(|(i, inj)| match inj.trigger {
                Trigger::At(t) => InjectIx::at(i).map(|i| (t, i)),
                _ => None,
            })
            .collect();
        let mut scenario = Scenario {
            timed_injects,
            id: ScenarioId::new(&raw.id),
            title: raw.title.to_string(),
            summary: raw.summary.to_string(),
            notes: raw.notes.to_string(),
            tags: raw.tags.iter().map(ToString::to_string).collect(),
            start: self.start,
            end: self.end,
            roles,
            domains: std::mem::take(&mut self.domains),
            turns,
            variables,
            draws,
            threat,
            injects,
            actions,
            slas,
            endings,
            objectives,
            modules,
            rubric,
            milestones,
            bots,
            measures,
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
        self.check_hidden_judgement(&root, raw, &scenario);
        Some(scenario)
    }
}

pub(crate) fn check_id(id: &str) -> Result<(), &'static str> {
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
