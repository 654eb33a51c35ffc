//! The compiler's pass over the bot personas: each role's default bot, its parameters and
//! its judgement.

use super::{
    BTreeMap, BotPersona, BotSpec, Compiler, Cond, Kind, Path, Policy, RawScenario, RoleIx, time,
};
use crate::engine::model::{ActionIx, InjectIx, Judgement, Pick, Picked};
use crate::scenario::raw::{RawBot, RawPick};

impl Compiler<'_, '_> {
    pub(super) fn bots_model(&mut self, raw: &RawScenario, root: &Path) -> Vec<BotPersona> {
        let mut seen = BTreeMap::new();
        let mut out = Vec::new();
        for (i, b) in raw.bots.iter().enumerate() {
            let p = root.f("bots").i(i);
            let role: Option<RoleIx> = self.lookup(Kind::Role, &b.role, &p.f("role"));
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
                let judgement = self.judgement(raw, b, &p);
                out.push(BotPersona {
                    role: r,
                    spec,
                    judgement,
                });
            }
        }
        out
    }

    /// What the persona prefers and avoids: each an action its role may take or an answer
    /// it may give, by name.
    fn judgement(&mut self, raw: &RawScenario, bot: &RawBot, path: &Path) -> Judgement {
        let mut judged = Judgement::default();
        for (field, list) in [("prefer", &bot.prefer), ("avoid", &bot.avoid)] {
            for (k, pick) in list.iter().enumerate() {
                let at = path.f(field).i(k);
                let what = match pick {
                    RawPick::Act(a) | RawPick::ActWhen(a, _) => {
                        let Some(ix) = self.lookup::<ActionIx>(Kind::Action, a, &at.i(0)) else {
                            continue;
                        };
                        let by = &raw.actions[ix.ix()].by;
                        if !by.iter().any(|r| r.as_str() == bot.role.as_str()) {
                            self.error(
                                &at.i(0),
                                format!("role `{}` cannot take action `{a}`", bot.role),
                                Some("a persona prefers or avoids only what its role may do (the action's `by`)".into()),
                            );
                        }
                        Picked::Act(ix)
                    }
                    RawPick::Answer(i, o) | RawPick::AnswerWhen(i, o, _) => {
                        let Some(inj) = self.lookup::<InjectIx>(Kind::Inject, i, &at.i(0)) else {
                            continue;
                        };
                        let Some(opt) = self.option_of(inj, o, &at.i(1)) else {
                            continue;
                        };
                        let ri = &raw.injects[inj.ix()];
                        let by = ri
                            .prompt
                            .as_ref()
                            .filter(|q| !q.by.is_empty())
                            .map_or(&ri.to, |q| &q.by);
                        if !by.iter().any(|r| r.as_str() == bot.role.as_str()) {
                            self.error(
                                &at.i(0),
                                format!("role `{}` is not asked the question of inject `{i}`", bot.role),
                                Some("a persona prefers or avoids only answers its role may give (the prompt's `by`, else the inject's `to`)".into()),
                            );
                        }
                        Picked::Answer(inj, opt)
                    }
                };
                let when = match pick {
                    RawPick::ActWhen(_, c) => self.actor_cond(c, &at.i(1)),
                    RawPick::AnswerWhen(_, _, c) => self.actor_cond(c, &at.i(2)),
                    RawPick::Act(_) | RawPick::Answer(..) => Cond::Always,
                };
                let list = if field == "prefer" {
                    &mut judged.prefer
                } else {
                    &mut judged.avoid
                };
                list.push(Pick { what, when });
            }
        }
        for (k, a) in judged.avoid.iter().enumerate() {
            let both = judged
                .prefer
                .iter()
                .position(|x| x.what == a.what && x.when == Cond::Always);
            if a.when == Cond::Always
                && let Some(pos) = both
            {
                self.error(
                    &path.f("avoid").i(k),
                    format!("the persona both prefers (prefer[{pos}]) and avoids this, always"),
                    Some("keep it in one list, or give one of them a condition (`ActWhen`, `AnswerWhen`)".into()),
                );
            }
        }
        judged
    }
}
