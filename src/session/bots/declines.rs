//! Why a bot does not take a kind of action, in words, for `ttx explain`: the same rules as
//! the bots' order of preference, said rather than ranked.

use crate::engine::model::{ActionKind, BotSpec, Policy};

/// Why a policy does not take a kind of action, in words: `None` when it may (its order of
/// preference then decides). Mirrors [`Bot::rank`]: a deferrer before it gives in, a
/// decision only once someone has pushed for it, a rogue step only after a decisive bot's
/// patience (`acts_alone_after`).
pub fn declines(
    spec: &BotSpec,
    kind: ActionKind,
    asked: bool,
    given_in: bool,
    preapproved: bool,
) -> Option<String> {
    let kind_words = kind_words(kind);
    match spec.policy {
        Policy::Random => None,
        Policy::Deferrer if !given_in => match kind {
            ActionKind::Triage
            | ActionKind::Notify
            | ActionKind::Investigate
            | ActionKind::Other => None,
            _ => Some(format!(
                "a deferrer bot takes no {kind_words} until it gives in (pushed {} times, or at its `gives_in_at` time)",
                spec.patience
            )),
        },
        Policy::ByTheBook | Policy::Deferrer => match kind {
            ActionKind::Decide if !asked => Some(format!(
                "a {} bot takes a {kind_words} only once someone has pushed for it",
                spec.policy.name()
            )),
            ActionKind::Disrupt if !preapproved => Some(format!(
                "a {} bot takes a {kind_words} only when it is pre-approved (an order from the authority, a playbook)",
                spec.policy.name()
            )),
            ActionKind::Rogue => Some(format!(
                "a {} bot never takes a {kind_words}",
                spec.policy.name()
            )),
            _ => None,
        },
        Policy::Decisive => match kind {
            ActionKind::Decide if !asked => Some(format!(
                "a decisive bot takes a {kind_words} only once someone has pushed for it"
            )),
            ActionKind::Rogue if spec.acts_alone_after.is_none() => Some(format!(
                "a decisive bot takes a {kind_words} only with `acts_alone_after` set, and this one has none"
            )),
            _ => None,
        },
    }
}

/// A kind of action in words.
fn kind_words(kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Triage => "triage step",
        ActionKind::Investigate => "investigation",
        ActionKind::Escalate => "escalation",
        ActionKind::Notify => "notification",
        ActionKind::Contain => "containment step",
        ActionKind::Mitigate => "mitigation",
        ActionKind::Decide => "decision",
        ActionKind::Disrupt => "disruptive step",
        ActionKind::Rogue => "step outside its authority (rogue)",
        ActionKind::Other => "step of this kind",
    }
}

#[cfg(test)]
mod tests {
    use super::super::Bot;
    use super::*;
    use crate::engine::GameTime;
    use crate::engine::model::RoleIx;
    use crate::engine::view::Avail;

    /// `declines` says in words exactly what `rank` does: a kind a policy declines has no
    /// rank, and a kind it may take has one.
    #[test]
    fn declines_agrees_with_the_order_of_preference() {
        let b = crate::scenario::bundled::find("dropper-0330").expect("bundled");
        let sc = crate::scenario::load_str(b.file, b.text)
            .expect("loads")
            .scenario;
        let kinds = [
            ActionKind::Other,
            ActionKind::Triage,
            ActionKind::Investigate,
            ActionKind::Notify,
            ActionKind::Escalate,
            ActionKind::Contain,
            ActionKind::Disrupt,
            ActionKind::Mitigate,
            ActionKind::Decide,
            ActionKind::Rogue,
        ];
        for policy in Policy::ALL {
            for alone in [None, Some(0)] {
                let spec = BotSpec {
                    policy,
                    acts_alone_after: alone,
                    ..sc.default_bot(RoleIx(0))
                };
                for asked in [false, true] {
                    for given_in in [false, true] {
                        let mut bot = Bot::new(&sc, 1, RoleIx(0), spec);
                        bot.pushes = u32::from(asked);
                        bot.first_aware = Some(GameTime::ZERO);
                        // Pre-approved as the gate says (no authority), or by the condition
                        // alone (a role that has the authority too).
                        for (kind, avail, pre) in kinds.iter().flat_map(|k| {
                            [
                                (*k, Avail::Ready, false),
                                (*k, Avail::Ready, true),
                                (*k, Avail::Preapproved, true),
                            ]
                        }) {
                            let ranked = bot.rank(kind, avail, pre, given_in, GameTime(60));
                            let declined = declines(&spec, kind, asked, given_in, pre);
                            assert_eq!(
                                ranked.is_none(),
                                declined.is_some(),
                                "{policy:?} {kind:?} {avail:?} asked {asked} given in {given_in}: {declined:?}"
                            );
                        }
                    }
                }
            }
        }
    }
}
