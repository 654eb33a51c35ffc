//! The compiler's pass over the bot personas: each role's default bot, its parameters and
//! its judgement.

use super::{
    BTreeMap, BotPersona, BotSpec, Compiler, Kind, Path, Policy, RawScenario, RoleIx, time,
};

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
                out.push(BotPersona { role: r, spec });
            }
        }
        out
    }
}
