//! The compiler's references and expressions: times, delays, options, moments,
//! conditions and effects, each name resolved to an index with a located diagnostic.

use super::{
    BTreeMap, Branch, Compiler, Cond, Delay, DrawKind, Effect, GameTime, InjectIx, Kind, Mark,
    NameTable, Path, RawCond, RawDelay, RawEffect, RawMark, ValueRef, suggest, time,
};

impl<'r> Compiler<'_, 'r> {
    pub(super) fn time(&mut self, s: &str, path: &Path) -> Option<GameTime> {
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

    pub(super) fn delay(&mut self, d: &RawDelay, path: &Path) -> Option<Delay> {
        match d {
            RawDelay::Minutes(m) => Some(Delay::Minutes(*m)),
            // A bare time of day: the next time the clock shows it; else a moment.
            RawDelay::At(s) => match time::parse_hh_mm(s.trim()) {
                Some(m) if s.trim().starts_with(|c: char| c.is_ascii_digit()) => {
                    Some(Delay::NextTimeOfDay(m))
                }
                _ if time::parse_time(self.start, s).is_err() => {
                    self.error(
                        &path.i(0),
                        format!("`{s}` is not a time"),
                        Some("write `07:30` (the next 07:30 when the delay starts), `Sat 07:30` (that moment of the exercise) or `+4:00` (after the start)".into()),
                    );
                    None
                }
                _ => self.time(s, &path.i(0)).map(Delay::Until),
            },
            RawDelay::Draw(name) => match self.value(name, &path.i(0))? {
                ValueRef::Draw(i) => {
                    if matches!(self.draw_kinds[i], DrawKind::Chance { .. }) {
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

    pub(super) fn option_of(&mut self, inject: InjectIx, option: &str, path: &Path) -> Option<u16> {
        let inject_name = |names: &BTreeMap<&'static str, NameTable<'r>>| {
            names["injects"]
                .iter()
                .find(|(_, v)| **v == inject.0)
                .map(|(k, _)| (*k).to_owned())
                .unwrap_or_default()
        };
        match self.options.get(inject.ix()).copied().flatten() {
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

    pub(super) fn mark(&mut self, m: &RawMark, path: &Path) -> Option<Mark> {
        Some(match m {
            RawMark::Start => Mark::Start,
            RawMark::Delivered(i) => Mark::Delivered(self.lookup(Kind::Inject, i, &path.i(0))?),
            RawMark::Taken(a) => Mark::Taken(self.lookup(Kind::Action, a, &path.i(0))?),
            RawMark::Completed(a) => Mark::Completed(self.lookup(Kind::Action, a, &path.i(0))?),
            RawMark::Chose(i, o) => {
                let inj = self.lookup(Kind::Inject, i, &path.i(0))?;
                Mark::Chose(inj, self.option_of(inj, o, &path.i(1))?)
            }
            RawMark::Stage(s) => Mark::Stage(self.lookup(Kind::Stage, s, &path.i(0))?),
        })
    }

    pub(super) fn cond(&mut self, c: &RawCond, path: &Path) -> Cond {
        self.cond_opt(c, path).unwrap_or(Cond::Never)
    }

    pub(super) fn cond_opt(&mut self, c: &RawCond, path: &Path) -> Option<Cond> {
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
            RawCond::Open(i) => Cond::Open(self.lookup(Kind::Inject, i, &path.i(0))?),
            RawCond::Knows(i) => {
                if !self.actor_context {
                    self.error(
                        path,
                        "`Knows` says what the role acting has been told: it belongs in an action's or an answer's `available`".into(),
                        Some("name the role: `RoleKnows(\"role\", \"inject\")`".into()),
                    );
                }
                Cond::Knows(None, self.lookup(Kind::Inject, i, &path.i(0))?)
            }
            RawCond::RoleKnows(r, i) => {
                let role = self.lookup(Kind::Role, r, &path.i(0));
                let inject = self.lookup(Kind::Inject, i, &path.i(1));
                Cond::Knows(Some(role?), inject?)
            }
            RawCond::Compare(left, op, right) => {
                let x = self.value(left, &path.i(0));
                let y = self.value(right, &path.i(2));
                let Some((_, cmp)) = crate::engine::model::Cmp::ALL
                    .iter()
                    .find(|(s, _)| *s == op.trim())
                else {
                    self.error(
                        &path.i(1),
                        format!("`{op}` is not a comparison"),
                        Some("write one of `>=`, `<=`, `==`, `>`, `<`, `!=`".into()),
                    );
                    return None;
                };
                Cond::Compare(x?, *cmp, y?)
            }
            RawCond::Requested(a) => Cond::Requested(self.lookup(Kind::Action, a, &path.i(0))?),
            RawCond::Reachable(r) => {
                if self.in_reachable {
                    self.error(
                        &path.i(0),
                        "`Reachable` cannot be used inside a role's `reachable` condition".into(),
                        Some("write the condition itself (a variable, a time of day…)".into()),
                    );
                    return None;
                }
                Cond::Reachable(self.lookup(Kind::Role, r, &path.i(0))?)
            }
        })
    }

    pub(super) fn effects(&mut self, list: &[RawEffect], path: &Path) -> Vec<Effect> {
        // Exactly as long as the list (a filtered collect would reserve four): a large
        // scenario has tens of thousands of one-effect lists.
        let mut v = Vec::with_capacity(list.len());
        for (i, e) in list.iter().enumerate() {
            v.extend(self.effect(e, &path.i(i)));
        }
        v
    }

    pub(super) fn effect(&mut self, e: &RawEffect, path: &Path) -> Option<Effect> {
        Some(match e {
            RawEffect::Set(v, n) => Effect::Set(self.variable(v, &path.i(0))?, *n),
            RawEffect::Add(v, n) => Effect::Add(self.variable(v, &path.i(0))?, *n),
            RawEffect::Copy(v, from) | RawEffect::AddFrom(v, from) => {
                let var = self.variable(v, &path.i(0));
                let from = self.value(from, &path.i(1))?;
                if matches!(e, RawEffect::Copy(..)) {
                    Effect::Copy(var?, from)
                } else {
                    Effect::AddFrom(var?, from)
                }
            }
            RawEffect::Schedule(i, d) => {
                let inj: Option<InjectIx> = self.lookup(Kind::Inject, i, &path.i(0));
                let d = self.delay(d, &path.i(1));
                let inj = inj?;
                if let Some(s) = self.scheduled.get_mut(inj.ix()) {
                    *s = true;
                }
                Effect::Schedule(inj, d?)
            }
            RawEffect::Tell(r, i) => {
                let role = self.lookup(Kind::Role, r, &path.i(0));
                let inject = self.lookup(Kind::Inject, i, &path.i(1));
                Effect::Tell(role?, inject?)
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
            RawEffect::End(e) => Effect::End(self.lookup(Kind::Ending, e, &path.i(0))?),
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

    pub(super) fn count(&mut self, n: usize, max: usize, path: &Path, what: &str) -> bool {
        if n > max {
            self.error(path, format!("too many {what}: {n} (at most {max})"), None);
            false
        } else {
            true
        }
    }
}
