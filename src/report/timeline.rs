//! The timeline appendix: every inject, decision, action and state change of the log as a
//! line with its game time, clock face, lanes (roles, the threat, the exercise) and words;
//! and the threat's stages as bands for the charts.

use crate::engine::model::Scenario;
use crate::engine::state::State;
use crate::engine::time::GameTime;

use super::document::{ThreatBand, TimelineRow};
use crate::words::said;

/// The timeline of a run, in log order: each event's row as [`crate::words::said`] words it.
pub fn rows(sc: &Scenario, st: &State) -> Vec<TimelineRow> {
    st.log
        .iter()
        .filter_map(|e| {
            let row = said(sc, e).row?;
            Some(TimelineRow {
                at: e.at,
                clock: sc.start.clock(e.at).to_string(),
                lanes: row.lanes,
                who: row.who,
                mark: row.mark,
                text: row.text,
                until: row.until,
            })
        })
        .collect()
}

/// The threat's stages as bands: from when each was reached to the next stage or the end.
pub fn bands(sc: &Scenario, st: &State, end: GameTime) -> Vec<ThreatBand> {
    let Some(th) = &sc.threat else {
        return Vec::new();
    };
    let reached: Vec<(usize, GameTime)> = th
        .stages
        .iter()
        .enumerate()
        .filter_map(|(i, _)| {
            st.threat
                .entered_at
                .get(i)
                .copied()
                .flatten()
                .map(|t| (i, t))
        })
        .collect();
    let mut out = Vec::new();
    for (k, (i, from)) in reached.iter().enumerate() {
        let to = reached.get(k + 1).map_or(end, |(_, t)| *t).max(*from);
        let s = &th.stages[*i];
        out.push(ThreatBand {
            stage: s.id.clone(),
            name: s.name.clone(),
            number: u16::try_from(i + 1).unwrap_or(u16::MAX),
            from: *from,
            to,
        });
    }
    out
}
