//! A scenario played in turns, in words: a turn beginning, for the feed and the timeline.

use crate::engine::model::Scenario;
use crate::engine::time::GameTime;

/// "Turn 2 of 6 begins: 2 actions each until 10:00."
pub fn turn_begins(sc: &Scenario, turn: u32, at: GameTime) -> String {
    let count = sc.turn_count();
    let of = count.map(|n| format!(" of {n}")).unwrap_or_default();
    let until = sc
        .turn_start(turn.saturating_add(1))
        .map_or(sc.end, |t| t.min(sc.end))
        .max(at);
    let mut budgets: Vec<u16> = crate::engine::model::RoleIx::all(sc.roles.len())
        .filter_map(|r| sc.budget(r))
        .collect();
    budgets.sort_unstable();
    budgets.dedup();
    let each = match budgets.as_slice() {
        [1] => "1 action each".to_owned(),
        [n] => format!("{n} actions each"),
        _ => "each role its own budget of actions".to_owned(),
    };
    let last = if count == Some(turn) {
        ", the last turn"
    } else {
        ""
    };
    format!(
        "Turn {turn}{of} begins: {each} until {}{last}",
        sc.start.clock(until)
    )
}
