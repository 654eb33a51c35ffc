//! Play in turns: the turn's length, each role's budget of actions, and what each action
//! costs, checked together.

use super::{Compiler, Path, RawScenario};
use crate::engine::model::Turns;

impl Compiler<'_, '_> {
    /// The scenario's `turns`, checked against the roles' budgets and the actions' costs.
    pub(super) fn turns_model(&mut self, raw: &RawScenario, root: &Path) -> Option<Turns> {
        let p = root.f("turns");
        let turns = raw.turns.as_ref().map(|t| Turns {
            minutes: t.minutes,
            actions: t.actions,
        });
        if let Some(t) = turns {
            let length = self.end.minutes();
            if t.minutes == 0 || t.minutes > length {
                self.error(
                    &p.f("minutes"),
                    format!(
                        "a turn of {} minutes does not fit an exercise of {length}",
                        t.minutes
                    ),
                    Some("a turn is at least 1 minute and at most the whole exercise".into()),
                );
            }
            if t.actions == 0 {
                self.error(
                    &p.f("actions"),
                    "a turn with no actions lets nobody act".into(),
                    Some("give each role at least 1 action a turn; a role may set its own `actions_per_turn`".into()),
                );
            }
        }
        let mut budgets = Vec::with_capacity(raw.roles.len());
        for (i, r) in raw.roles.iter().enumerate() {
            if r.actions_per_turn.is_some() && turns.is_none() {
                self.error(
                    &root.f("roles").i(i).f("actions_per_turn"),
                    format!(
                        "role `{}` has a budget of actions per turn, but the scenario is not played in turns",
                        r.id
                    ),
                    Some("add `turns: Turns(minutes: 60, actions: 2)` to the scenario, or remove it".into()),
                );
            }
            if r.actions_per_turn == Some(0) && turns.is_some() {
                self.error(
                    &root.f("roles").i(i).f("actions_per_turn"),
                    format!("role `{}` may take no action in any turn", r.id),
                    Some("give it at least 1, or leave it out of the actions' `by`".into()),
                );
            }
            budgets.push(r.actions_per_turn.or(turns.map(|t| t.actions)));
        }
        for (i, a) in raw.actions.iter().enumerate() {
            let Some(cost) = a.cost else { continue };
            let at = root.f("actions").i(i).f("cost");
            if turns.is_none() {
                self.error(
                    &at,
                    format!(
                        "action `{}` has a cost, but the scenario is not played in turns",
                        a.id
                    ),
                    Some(
                        "add `turns: Turns(minutes: 60, actions: 2)` to the scenario, or remove it"
                            .into(),
                    ),
                );
                continue;
            }
            let of_by: Vec<(&str, u16)> =
                a.by.iter()
                    .filter_map(|name| {
                        let r = self.names.get("roles")?.get(name.as_str())?;
                        Some((name.as_str(), budgets.get(*r as usize).copied().flatten()?))
                    })
                    .collect();
            let best = of_by.iter().map(|(_, b)| *b).max();
            let short: Vec<String> = of_by
                .iter()
                .filter(|(_, b)| cost > *b)
                .map(|(n, b)| format!("`{n}` ({b})"))
                .collect();
            if best.is_some_and(|b| cost <= b) && !short.is_empty() {
                self.warn(
                    &at,
                    format!(
                        "action `{}` costs {cost}, more than {} may spend in a turn: that role can never take it, and its screen says only that no actions are left",
                        a.id,
                        short.join(" and ")
                    ),
                    Some("take the role out of `by`, or raise its `actions_per_turn`".into()),
                );
            }
            if let Some(best) = best
                && cost > best
            {
                self.error(
                    &at,
                    format!(
                        "action `{}` costs {cost}, more than any role in `by` may spend in a turn ({best}), so it can never be taken",
                        a.id
                    ),
                    Some("lower its `cost`, or raise the role's `actions_per_turn`".into()),
                );
            }
        }
        turns
    }
}
