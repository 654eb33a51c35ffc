//! The compiler's passes over the scenario's parts: roles, variables, draws, the threat,
//! SLAs, endings, objectives, the rubric, milestones and what the report measures.

use super::{
    BTreeSet, Compiler, Cond, Criterion, CriterionId, Delay, Draw, DrawKind, Ending, EndingId,
    Kind, Milestone, Objective, ObjectiveId, Path, Rating, RawRating, RawScenario, Role, RoleId,
    Sla, SlaId, Stage, StageId, Threat, ValueRef, VarId, Variable, check_id,
};
use crate::engine::model::{DrawIx, InjectIx, Measures, VarIx};

/// The most cards a deck draw may hold (each draw shuffles the whole deck).
const MAX_DECK: u32 = 1_000;

impl Compiler<'_, '_> {
    pub(super) fn declare_values(&mut self, raw: &RawScenario, root: &Path) {
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
                    ValueRef::Var(VarIx::at(i).unwrap_or_default()),
                );
            }
        }
        for (i, d) in raw.draws.iter().enumerate() {
            let (id, kind) = match d {
                crate::scenario::raw::RawDraw::Chance { id, percent, .. } => {
                    (id, DrawKind::Chance { percent: *percent })
                }
                crate::scenario::raw::RawDraw::Range { id, min, max, .. } => (
                    id,
                    DrawKind::Range {
                        min: *min,
                        max: *max,
                    },
                ),
                crate::scenario::raw::RawDraw::Deck { id, size, .. } => {
                    (id, DrawKind::Deck { size: *size })
                }
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
                    ValueRef::Draw(DrawIx::at(i).unwrap_or_default()),
                );
            }
            self.draw_kinds.push(kind);
        }
    }

    pub(super) fn roles_model(
        &mut self,
        raw: &RawScenario,
        root: &Path,
        _ids: &[RoleId],
    ) -> Vec<Role> {
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
                    authority_in: self.role_levels.get(i).cloned().unwrap_or_default(),
                    actions_per_turn: r.actions_per_turn,
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

    pub(super) fn variables_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Variable> {
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
                    labels: self.labels(&v.labels, i64::from(v.max) - i64::from(v.min) + 1, &p),
                }
            })
            .collect()
    }

    /// The labels of a variable or draw with `count` values (none, or one for each).
    fn labels(
        &mut self,
        labels: &[crate::scenario::raw::Text<'_>],
        count: i64,
        p: &Path,
    ) -> Vec<String> {
        let given = i64::try_from(labels.len()).unwrap_or(i64::MAX);
        if !labels.is_empty() && given != count {
            self.error(
                &p.f("labels"),
                format!("{given} labels for {count} values"),
                Some("give one label for each value, from the lowest up".into()),
            );
        }
        labels.iter().map(ToString::to_string).collect()
    }

    pub(super) fn draws_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Draw> {
        raw.draws
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let p = root.f("draws").i(i);
                match d {
                    crate::scenario::raw::RawDraw::Chance {
                        id,
                        percent,
                        note,
                        labels,
                    } => {
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
                            labels: self.labels(labels, 2, &p),
                        }
                    }
                    crate::scenario::raw::RawDraw::Range {
                        id,
                        min,
                        max,
                        note,
                        labels,
                    } => {
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
                            labels: self.labels(labels, i64::from(*max) - i64::from(*min) + 1, &p),
                        }
                    }
                    crate::scenario::raw::RawDraw::Deck {
                        id,
                        size,
                        note,
                        labels,
                    } => {
                        if !(1..=MAX_DECK).contains(size) {
                            self.error(
                                &p.f("size"),
                                format!("a deck needs 1 to {MAX_DECK} cards, not {size}"),
                                None,
                            );
                        }
                        Draw {
                            id: VarId::new(id),
                            kind: DrawKind::Deck { size: *size },
                            note: note.to_string(),
                            labels: self.labels(labels, i64::from(*size), &p),
                        }
                    }
                }
            })
            .collect()
    }

    pub(super) fn threat_model(&mut self, raw: &RawScenario, root: &Path) -> Option<Threat> {
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
                let from = self.stage_from(t, i, &sp);
                let when = match (&s.when, i) {
                    (Some(_), 0) => {
                        self.error(
                            &sp.f("when"),
                            format!("the first stage `{}` has a `when`: the threat always starts there", s.id),
                            Some("remove it, or put the stage later in the list".into()),
                        );
                        Cond::Always
                    }
                    (Some(c), _) => self.cond(c, &sp.f("when")),
                    (None, _) => Cond::Always,
                };
                Stage {
                    id: StageId::new(&s.id),
                    name: s.name.to_string(),
                    description: s.description.to_string(),
                    after,
                    from,
                    when,
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

    pub(super) fn slas_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Sla> {
        raw.slas
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let p = root.f("slas").i(i);
                let severity = self.variable(&s.severity, &p.f("severity")).unwrap_or_default();
                match (s.targets.is_empty(), s.target) {
                    (true, None) => self.error(
                        &p.f("targets"),
                        "an SLA needs a target: `targets: [(severity, minutes), …]` or `target: minutes`".into(),
                        None,
                    ),
                    (false, Some(_)) => self.error(
                        &p.f("target"),
                        "an SLA has `targets` by severity or one `target`, not both".into(),
                        Some("keep `targets` for a target that depends on the severity, or `target` for one that does not".into()),
                    ),
                    (_, Some(0)) => self.error(
                        &p.f("target"),
                        "a target of 0 minutes is breached the moment the clock starts".into(),
                        Some("give the minutes allowed".into()),
                    ),
                    _ => {}
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
                    target: s.target,
                    restart: s.restart,
                    audience: self.audience(&s.visible_to, &p.f("visible_to")),
                }
            })
            .collect()
    }

    /// The modules: each begins at a time within the exercise, after the one before.
    pub(super) fn modules_model(
        &mut self,
        raw: &RawScenario,
        root: &Path,
    ) -> Vec<crate::engine::model::Module> {
        let mut out: Vec<crate::engine::model::Module> = Vec::new();
        for (i, m) in raw.modules.iter().enumerate() {
            let p = root.f("modules").i(i);
            if m.title.trim().is_empty() {
                self.error(&p.f("title"), "a module needs a title".into(), None);
            }
            let Some(at) = self.time(&m.at, &p.f("at")) else {
                continue;
            };
            if let Some(before) = out.last()
                && at <= before.at
            {
                let before = self.start.clock(before.at);
                self.error(
                    &p.f("at"),
                    format!(
                        "this module begins at {}, not after the one before it ({before})",
                        self.start.clock(at)
                    ),
                    Some("list the modules in the order they begin".into()),
                );
            }
            out.push(crate::engine::model::Module {
                title: m.title.to_string(),
                at,
                questions: m.questions.iter().map(ToString::to_string).collect(),
            });
        }
        out
    }

    pub(super) fn endings_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Ending> {
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
                    epilogue: e.epilogue,
                }
            })
            .collect()
    }

    pub(super) fn objectives_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Objective> {
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
                    applies: o.applies.as_ref().map(|c| self.cond(c, &p.f("applies"))),
                }
            })
            .collect()
    }

    pub(super) fn rubric_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<Criterion> {
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

    pub(super) fn milestones_model(
        &mut self,
        raw: &RawScenario,
        root: &Path,
    ) -> Vec<(Milestone, Cond)> {
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

    /// What the report measures: declared names resolved, the rest by the documented ids.
    pub(super) fn measures_model(&mut self, raw: &RawScenario, root: &Path) -> Measures {
        let p = root.f("measures");
        let m = raw.measures.as_ref();
        let by_id = |id: &str| {
            raw.variables
                .iter()
                .position(|v| v.id.as_str() == id)
                .and_then(VarIx::at)
        };
        let declared =
            |this: &mut Self, field: &'static str, v: Option<&crate::scenario::raw::Text<'_>>| {
                v.map(|name| this.variable(name.as_str(), &p.f(field)))
            };
        let evidence = declared(self, "evidence", m.and_then(|m| m.evidence.as_ref()));
        let impact = declared(self, "impact", m.and_then(|m| m.impact.as_ref()));
        let first_alert = m.and_then(|m| m.first_alert.as_ref()).and_then(|name| {
            self.lookup::<InjectIx>(Kind::Inject, name.as_str(), &p.f("first_alert"))
        });
        Measures {
            evidence: evidence.unwrap_or_else(|| by_id("evidence")),
            impact: impact.unwrap_or_else(|| by_id("business_impact")),
            first_alert,
            boundary: m.and_then(|m| m.boundary),
        }
    }
}
