//! The scales of authority: business risk (a role's `authority`) and the ones a file names in
//! a role's `authority_in` (legal sign-off, a registry's takedown), which actions and answers
//! pick with `domain`.

use super::{Compiler, Domain, Path, RawScenario, Text, suggest};

/// Longer than this, a scale's name is a sentence, not a name.
const DOMAIN_NAME_MAX: usize = 40;

impl Compiler<'_, '_> {
    /// The scales the roles' `authority_in` name, in the order they first appear, and each
    /// role's level on them.
    pub(super) fn declare_domains(&mut self, raw: &RawScenario, root: &Path) {
        self.domains.clear();
        self.role_levels = Vec::with_capacity(raw.roles.len());
        for (i, r) in raw.roles.iter().enumerate() {
            let p = root.f("roles").i(i).f("authority_in");
            let mut levels: Vec<(Domain, u8)> = Vec::with_capacity(r.authority_in.len());
            for (k, (name, level)) in r.authority_in.iter().enumerate() {
                let name = name.trim();
                if name.is_empty() || name.chars().count() > DOMAIN_NAME_MAX {
                    self.error(
                        &p.i(k).i(0),
                        format!(
                            "a scale of authority needs a short name (1 to {DOMAIN_NAME_MAX} characters)"
                        ),
                        Some("name what the authority is over: `(\"legal sign-off\", 2)`".into()),
                    );
                    continue;
                }
                let d = match self.domains.iter().position(|x| x == name) {
                    Some(at) => Domain(u8::try_from(at + 1).unwrap_or(u8::MAX)),
                    None if self.domains.len() < usize::from(u8::MAX) => {
                        self.domains.push(name.to_owned());
                        Domain(u8::try_from(self.domains.len()).unwrap_or(u8::MAX))
                    }
                    None => {
                        self.error(
                            &p.i(k).i(0),
                            "too many scales of authority (at most 254)".into(),
                            None,
                        );
                        continue;
                    }
                };
                if levels.iter().any(|(x, _)| *x == d) {
                    self.error(
                        &p.i(k).i(0),
                        format!("`{name}` is listed twice for role `{}`", r.id),
                        Some("give each scale one level".into()),
                    );
                    continue;
                }
                levels.push((d, *level));
            }
            self.role_levels.push(levels);
        }
    }

    /// Role `r`'s level on scale `d` (0 on one it does not list).
    pub(super) fn level(&self, r: usize, d: Domain) -> u8 {
        let main = self.role_authority.get(r).copied().unwrap_or(0);
        d.level_in(main, self.role_levels.get(r).map_or(&[], Vec::as_slice))
    }

    /// The name of scale `d`; `None` for business risk.
    pub(super) fn domain_word(&self, d: Domain) -> Option<String> {
        d.name_in(&self.domains).map(str::to_owned)
    }

    /// The scale an action's or an answer's `domain` names; business risk without one;
    /// `None` (reported) when no role holds it, so the checks that weigh authority on it
    /// are skipped rather than repeated on the wrong scale.
    pub(super) fn domain(&mut self, name: Option<&Text>, p: &Path) -> Option<Domain> {
        let Some(name) = name else {
            return Some(Domain::MAIN);
        };
        let name = name.trim();
        if let Some(at) = self.domains.iter().position(|x| x == name) {
            return Some(Domain(u8::try_from(at + 1).unwrap_or(u8::MAX)));
        }
        let help = suggest(name, self.domains.iter().map(String::as_str))
            .map(|s| format!("did you mean `{s}`?"))
            .or_else(|| {
                Some(if self.domains.is_empty() {
                    "no role has an `authority_in`: give the roles that hold this authority \
                     `authority_in: [(\"NAME\", LEVEL)]`"
                        .into()
                } else {
                    format!(
                        "the scales the roles hold: {}",
                        self.domains
                            .iter()
                            .map(|d| format!("`{d}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                })
            });
        self.error(
            p,
            format!("no role holds authority over `{name}` (`authority_in`)"),
            help,
        );
        None
    }
}
