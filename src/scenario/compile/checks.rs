//! The compiler's whole-scenario checks: what nothing can bring into play, zero-delay
//! loops, deliveries that multiply, and actions gated on what their role cannot see.

use super::{
    Compiler, Delay, DrawKind, Effect, FanOutKind, Inject, Path, RawScenario, Scenario, Trigger,
};

impl Compiler<'_, '_> {
    /// Items that nothing can ever bring into play, and zero-delay loops.
    pub(super) fn check_reachability(
        &mut self,
        raw: &RawScenario,
        root: &Path,
        injects: &[Inject],
    ) {
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
            Delay::Draw(k) => matches!(kinds[*k], DrawKind::Range { min, .. } if min <= 0),
            // A time on the clock may be now.
            Delay::Until(_) | Delay::NextTimeOfDay(_) => true,
        };
        let mut edges: Vec<Vec<u32>> = vec![Vec::new(); injects.len()];
        for (i, inj) in injects.iter().enumerate() {
            Effect::walk(&inj.effects, &mut |e| {
                if let Effect::Schedule(j, d) = e
                    && zero(d, &self.draw_kinds)
                {
                    edges[i].push(j.0);
                }
            });
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
    pub(super) fn check_hidden_availability(&mut self, root: &Path, sc: &Scenario) {
        for (i, a) in sc.actions.iter().enumerate() {
            for &r in &a.by {
                if let Some(what) = crate::scenario::visibility::hidden_read(sc, &a.available, r) {
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

    /// A persona's judgement that waits on state its role cannot see: its bot would act on
    /// what it was never told.
    pub(super) fn check_hidden_judgement(&mut self, root: &Path, raw: &RawScenario, sc: &Scenario) {
        for (i, b) in raw.bots.iter().enumerate() {
            let Some(persona) = sc
                .bots
                .iter()
                .find(|p| sc.role(p.role).id.as_str() == b.role.as_str())
            else {
                continue;
            };
            let j = &persona.judgement;
            for (field, list) in [("prefer", &j.prefer), ("avoid", &j.avoid)] {
                for (k, pick) in list.iter().enumerate() {
                    if let Some(what) =
                        crate::scenario::visibility::hidden_read(sc, &pick.when, persona.role)
                    {
                        self.warn(
                            &root.f("bots").i(i).f(field).i(k),
                            format!(
                                "the {}'s bot waits on {what}, which that role cannot see: it would act on something it was never told",
                                sc.role(persona.role).name
                            ),
                            Some("wait on something the role sees: an answer it hears (`heard_by`), an inject sent to it, a variable visible to it".into()),
                        );
                    }
                }
            }
        }
    }

    /// Deliveries that multiply: an error when they always do, a warning when only some
    /// branches of `If` effects lead there.
    pub(super) fn check_fan_out(&mut self, root: &Path, injects: &[Inject]) {
        let limit = u64::from(crate::engine::CASCADE_LIMIT);
        let kinds = self.draw_kinds.clone();
        let delay_of = move |d: &Delay| match d {
            Delay::Minutes(m) => *m,
            Delay::Draw(k) => match kinds.get(k.ix()) {
                Some(DrawKind::Range { min, .. }) => u32::try_from(*min).unwrap_or(0),
                Some(DrawKind::Deck { .. }) => 1,
                _ => 0,
            },
            Delay::Until(_) | Delay::NextTimeOfDay(_) => 0,
        };
        for f in crate::scenario::fanout::check(injects, limit, self.end.minutes(), &delay_of) {
            let i = f.inject.ix();
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
                FanOutKind::FansOut {
                    deliveries,
                    at_once: true,
                } => (
                    format!(
                        "one delivery of inject `{id}` {sets} off {deliveries} more deliveries at the same moment; the engine stops an exercise past {limit} at one moment"
                    ),
                    "schedule fewer injects from each inject in this chain",
                ),
                FanOutKind::FansOut {
                    deliveries,
                    at_once: false,
                } => (
                    format!(
                        "one delivery of inject `{id}` can set off {deliveries} more deliveries over time; the engine stops an exercise past {limit} at one moment or {} waiting",
                        crate::engine::AGENDA_LIMIT
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
