//! Folding a journal into an exercise: start the scenario with the recorded seed and apply
//! every record in order, checking on the way that each record finds the game time it was
//! recorded at (a different time means the engine or the scenario no longer plays these
//! commands the same way). [`Replay`] folds once and keeps snapshots, so any point of the
//! session is rebuilt quickly.

use std::sync::Arc;

use crate::engine::exercise::Exercise;
use crate::engine::model::Scenario;
use crate::engine::state::State;

use super::decode::Journal;
use super::record::{Header, Record};

/// Why a journal does not fold into a scenario.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FoldError {
    #[error("the journal records scenario `{journal}`, but the scenario found is `{found}`")]
    OtherScenario { journal: String, found: String },
    #[error(
        "scenario `{scenario}` changed since the session was recorded: the journal has content hash {journal:#018x}, the scenario found now has {now:#018x}; --force folds the commands into it anyway"
    )]
    ScenarioChanged {
        scenario: String,
        journal: u64,
        now: u64,
    },
    #[error(
        "record {record} was recorded at game minute {recorded}, but the rebuilt exercise is at minute {now}: the engine or the scenario no longer plays these commands the same way (journal written by ttx {engine}){hint}"
    )]
    Diverged {
        record: u64,
        recorded: u32,
        now: u32,
        engine: String,
        hint: &'static str,
    },
}

/// An exercise rebuilt from a journal, with any warnings a forced fold produced.
#[derive(Clone, Debug)]
pub struct Folded {
    pub ex: Exercise,
    pub warnings: Vec<String>,
}

/// Checks the scenario against the header: an error, or with `force` a warning.
fn check(scenario: &Scenario, header: &Header, force: bool) -> Result<Vec<String>, FoldError> {
    if scenario.id.as_str() != header.scenario {
        return Err(FoldError::OtherScenario {
            journal: header.scenario.clone(),
            found: scenario.id.to_string(),
        });
    }
    if scenario.content_hash != header.content_hash {
        let e = FoldError::ScenarioChanged {
            scenario: header.scenario.clone(),
            journal: header.content_hash,
            now: scenario.content_hash,
        };
        if !force {
            return Err(e);
        }
        return Ok(vec![format!(
            "scenario `{}` changed since the session was recorded (content hash {:#018x}, now {:#018x}); folding anyway as asked: the state may differ from the session's",
            header.scenario, header.content_hash, scenario.content_hash
        )]);
    }
    Ok(Vec::new())
}

/// Applies one record; a time mismatch is an error, or with `force` a warning (once).
fn step(
    ex: &mut Exercise,
    header: &Header,
    rec: &Record,
    force: bool,
    warnings: &mut Vec<String>,
) -> Result<(), FoldError> {
    if ex.now() != rec.at {
        let e = FoldError::Diverged {
            record: rec.n,
            recorded: rec.at.minutes(),
            now: ex.now().minutes(),
            engine: header.engine.clone(),
            hint: if force {
                ""
            } else {
                "; --force folds on anyway"
            },
        };
        if !force {
            return Err(e);
        }
        if !warnings.iter().any(|w| w.starts_with("record ")) {
            warnings.push(e.to_string());
        }
    }
    ex.apply(&rec.issued());
    Ok(())
}

/// Rebuilds the exercise from a journal. `force` folds a changed scenario (or one that
/// diverges) anyway, with warnings.
pub fn fold(scenario: Arc<Scenario>, journal: &Journal, force: bool) -> Result<Folded, FoldError> {
    fold_records(scenario, &journal.header, &journal.records, force)
}

/// [`fold`], calling `watch` after the start and after every record with the exercise and
/// the events that record caused (for `ttx explain`, which follows a session step by step).
pub fn fold_watched(
    scenario: Arc<Scenario>,
    journal: &Journal,
    force: bool,
    watch: &mut dyn FnMut(&Exercise, &[crate::engine::event::Event]),
) -> Result<Folded, FoldError> {
    let header = &journal.header;
    let mut warnings = check(&scenario, header, force)?;
    let mut ex = Exercise::start(scenario, header.seed);
    watch(&ex, ex.events());
    for rec in &journal.records {
        let first = ex.events().len();
        step(&mut ex, header, rec, force, &mut warnings)?;
        watch(&ex, &ex.events()[first..]);
    }
    Ok(Folded { ex, warnings })
}

/// Rebuilds the exercise from a header and the first records of a journal.
pub fn fold_records(
    scenario: Arc<Scenario>,
    header: &Header,
    records: &[Record],
    force: bool,
) -> Result<Folded, FoldError> {
    let mut warnings = check(&scenario, header, force)?;
    let mut ex = Exercise::start(scenario, header.seed);
    for rec in records {
        step(&mut ex, header, rec, force, &mut warnings)?;
    }
    Ok(Folded { ex, warnings })
}

/// How many records apart the replay's snapshots are.
const SNAPSHOT_EVERY: usize = 32;

/// A journal folded once for stepping through: every event, which record produced it,
/// and the exercise after any record, rebuilt from the nearest snapshot.
#[derive(Clone, Debug)]
pub struct Replay {
    pub header: Header,
    pub records: Vec<Record>,
    /// The exercise after every record.
    pub full: Exercise,
    /// Per record (0 = the start, before any record): the event log's length after it.
    log_after: Vec<usize>,
    /// The state after 0, `SNAPSHOT_EVERY`, 2 × `SNAPSHOT_EVERY` … records, without its
    /// event log (the log is a prefix of `full`'s; keeping it in every snapshot made a
    /// replay's memory grow with the square of the journal).
    snapshots: Vec<State>,
    pub warnings: Vec<String>,
}

impl Replay {
    pub fn new(
        scenario: Arc<Scenario>,
        journal: &Journal,
        force: bool,
    ) -> Result<Replay, FoldError> {
        let header = &journal.header;
        let mut warnings = check(&scenario, header, force)?;
        let mut ex = Exercise::start(scenario, header.seed);
        let mut log_after = vec![ex.events().len()];
        let mut snapshots = vec![ex.state().without_log()];
        for (i, rec) in journal.records.iter().enumerate() {
            step(&mut ex, header, rec, force, &mut warnings)?;
            log_after.push(ex.events().len());
            if (i + 1) % SNAPSHOT_EVERY == 0 {
                snapshots.push(ex.state().without_log());
            }
        }
        Ok(Replay {
            header: header.clone(),
            records: journal.records.clone(),
            full: ex,
            log_after,
            snapshots,
            warnings,
        })
    }

    /// How many records the journal holds.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The number of records applied when the event at log position `index` happened
    /// (0: at the start).
    pub fn record_of_event(&self, index: usize) -> usize {
        self.log_after.partition_point(|len| *len <= index)
    }

    /// The exercise after the first `records` records.
    pub fn after(&self, records: usize) -> Exercise {
        let records = records.min(self.records.len());
        let k = (records / SNAPSHOT_EVERY).min(self.snapshots.len() - 1);
        let mut state = self.snapshots[k].clone();
        state.log = self.full.events()[..self.log_after[k * SNAPSHOT_EVERY]].to_vec();
        // The snapshot was taken of this scenario's own exercise: it fits.
        let Ok(mut ex) = Exercise::restore(Arc::clone(self.full.scenario()), state) else {
            return self.full.clone();
        };
        let mut ignored = Vec::new();
        for rec in &self.records[k * SNAPSHOT_EVERY..records] {
            // Every record already folded once in `new` with the same outcome.
            let _ = step(&mut ex, &self.header, rec, true, &mut ignored);
        }
        ex
    }
}

/// Who gave commands, by the names recorded with them: each person in each seat, with how
/// many commands they gave, in the order they first acted.
pub fn participants(records: &[Record]) -> Vec<(crate::engine::ids::Seat, String, u32)> {
    let mut out = Vec::new();
    for r in records {
        if let Some(who) = &r.who {
            count_participant(&mut out, &r.by, who);
        }
    }
    out
}

/// What each seat's screen had marked read, by the records' read marks.
pub fn reads(
    records: &[Record],
) -> std::collections::BTreeMap<crate::engine::ids::Seat, std::collections::BTreeSet<u32>> {
    let mut out: std::collections::BTreeMap<_, std::collections::BTreeSet<u32>> =
        std::collections::BTreeMap::new();
    for r in records {
        for (seat, seqs) in &r.read {
            out.entry(seat.clone()).or_default().extend(seqs);
        }
    }
    out
}

/// Counts one more command by `who` in `seat`.
pub fn count_participant(
    out: &mut Vec<(crate::engine::ids::Seat, String, u32)>,
    seat: &crate::engine::ids::Seat,
    who: &str,
) {
    match out.iter_mut().find(|(s, w, _)| s == seat && w == who) {
        Some(x) => x.2 += 1,
        None => out.push((seat.clone(), who.to_owned(), 1)),
    }
}
