//! Many seeded runs of one scenario with bots in every role, and what they add up to:
//! which endings happen how often, how scores spread, how long escalation, an authorised
//! decision and containment take. Run `i` uses a seed derived from the base seed and `i`
//! alone, and results are folded into a tally whose merge does not depend on order, so the
//! summary does not depend on the number of threads.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use serde::Serialize;

use crate::engine::model::{BotSpec, EndingIx, Milestone, Outcome, RoleIx, Scenario};
use crate::engine::{EventKind, GameTime};
use crate::report::words::short;

/// The seed of run `i` under base seed `base` (`SplitMix64` of both): every run gets an
/// unrelated seed, which `ttx run --seed` replays on its own.
pub fn run_seed(base: u64, i: u64) -> u64 {
    let mut z = base
        .wrapping_add(i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
        .wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

pub use super::crew::crew_spec;

/// What one run came to.
#[derive(Clone, Debug, Serialize)]
pub struct RunResult {
    pub run: u64,
    pub seed: u64,
    /// The ending's id (`None`: ended without a named ending).
    pub ending: Option<String>,
    /// The ending, by its index in the scenario.
    pub ending_ix: Option<EndingIx>,
    pub outcome: Option<Outcome>,
    pub score: i32,
    pub ended_at: GameTime,
    /// Minutes from the start to each milestone (in [`Milestone::ALL`] order).
    pub milestones: [Option<GameTime>; 5],
    /// Breached SLAs, by index in the scenario.
    pub sla_breaches: Vec<bool>,
    /// What happened at all in the run, for coverage.
    #[serde(skip)]
    pub seen: super::coverage::Seen,
}

/// Plays one run with bots in every role.
pub fn run_one(sc: &Arc<Scenario>, seats: &[(RoleIx, BotSpec)], run: u64, seed: u64) -> RunResult {
    let ex = super::headless::run_with_bots(Arc::clone(sc), seed, &[], seats);
    let st = ex.state();
    let (ending_ix, outcome, score) = st
        .log
        .iter()
        .rev()
        .find_map(|e| match &e.kind {
            EventKind::ExerciseEnded {
                ending,
                outcome,
                score,
                ..
            } => Some((*ending, *outcome, *score)),
            _ => None,
        })
        .unwrap_or((None, None, 0));
    RunResult {
        run,
        seed,
        ending: ending_ix.map(|x| sc.endings[usize::from(x)].id.to_string()),
        ending_ix,
        outcome,
        score,
        ended_at: st.now,
        milestones: st.milestones,
        sla_breaches: st.slas.iter().map(|s| s.breached).collect(),
        seen: super::coverage::Seen::of(st),
    }
}

/// What many runs add up to, folded run by run: counts and exact histograms, never the
/// runs themselves, so its memory does not grow with the number of runs (a million runs
/// of a scenario cost what a hundred do). Folding is commutative (ties broken by run
/// number), so the threads' tallies merge into the same total in any order.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub runs: u64,
    /// Runs per ending, in the scenario's order.
    endings: Vec<u64>,
    no_ending: u64,
    scores: Histogram,
    milestones: [Histogram; 5],
    waits: Histogram,
    sla_breaches: Vec<u64>,
    best: Option<RunKey>,
    worst: Option<RunKey>,
    /// Each ending's rank by its outcome: good 3, mixed 2, bad 1 (a run with no ending: 0).
    ranks: Vec<u8>,
    /// What happened in how many runs, and a seed per ending.
    pub cover: super::coverage::Cover,
}

/// A run as the best and worst are chosen and named: (its ending's rank by outcome, score,
/// run, seed, ending). The best is the best outcome, then the highest score, then the
/// earliest run; the worst the worst outcome, then the lowest score, then the earliest.
type RunKey = (u8, i32, u64, u64, Option<EndingIx>);

/// How often each value occurred: exact percentiles in the memory of the distinct values.
#[derive(Clone, Debug, Default)]
struct Histogram {
    counts: std::collections::BTreeMap<i64, u64>,
    total: u64,
}

impl Histogram {
    fn add(&mut self, v: i64) {
        *self.counts.entry(v).or_insert(0) += 1;
        self.total += 1;
    }

    fn merge(&mut self, other: Histogram) {
        for (v, n) in other.counts {
            *self.counts.entry(v).or_insert(0) += n;
        }
        self.total += other.total;
    }

    /// The value at 1-based rank `rank` in sorted order.
    fn at_rank(&self, rank: u64) -> i64 {
        let mut seen = 0;
        for (v, n) in &self.counts {
            seen += n;
            if seen >= rank {
                return *v;
            }
        }
        self.counts.keys().next_back().copied().unwrap_or(0)
    }

    fn spread(&self) -> Option<Spread> {
        let n = self.total;
        if n == 0 {
            return None;
        }
        // Nearest rank, as [`Spread::of`].
        let at = |q: u64| self.at_rank((q * n).div_ceil(100).max(1));
        Some(Spread {
            min: *self.counts.keys().next()?,
            p10: at(10),
            median: at(50),
            p90: at(90),
            max: *self.counts.keys().next_back()?,
        })
    }
}

impl Tally {
    fn new(sc: &Scenario) -> Tally {
        Tally {
            endings: vec![0; sc.endings.len()],
            sla_breaches: vec![0; sc.slas.len()],
            ranks: sc
                .endings
                .iter()
                .map(|e| match e.outcome {
                    Outcome::Good => 3,
                    Outcome::Mixed => 2,
                    Outcome::Bad => 1,
                })
                .collect(),
            cover: super::coverage::Cover::new(sc),
            ..Tally::default()
        }
    }

    fn add(&mut self, r: &RunResult) {
        self.runs += 1;
        match r.ending_ix {
            Some(e) => self.endings[usize::from(e)] += 1,
            None => self.no_ending += 1,
        }
        self.scores.add(i64::from(r.score));
        for (h, m) in self.milestones.iter_mut().zip(r.milestones) {
            if let Some(t) = m {
                h.add(i64::from(t.0));
            }
        }
        if let Some(from) = r.milestones[Milestone::DecisionNeeded.index()] {
            let to = r.milestones[Milestone::Authorised.index()]
                .unwrap_or(r.ended_at)
                .max(from);
            self.waits.add(i64::from(to.since(from)));
        }
        for (n, b) in self.sla_breaches.iter_mut().zip(&r.sla_breaches) {
            *n += u64::from(*b);
        }
        self.cover.add(&r.seen, r.ending_ix, (r.run, r.seed));
        let rank = r.ending_ix.map_or(0, |e| self.ranks[usize::from(e)]);
        self.consider(Some((rank, r.score, r.run, r.seed, r.ending_ix)), None);
    }

    /// Keeps the best and the worst run: the best outcome, then the highest score, then
    /// the earliest run; the worst outcome, then the lowest score, then the earliest.
    fn consider(&mut self, best: Option<RunKey>, worst: Option<RunKey>) {
        let worst = worst.or(best);
        let up = |k: &RunKey| (k.0, k.1, std::cmp::Reverse(k.2));
        if let Some(b) = best
            && self.best.is_none_or(|x| up(&b) > up(&x))
        {
            self.best = Some(b);
        }
        if let Some(w) = worst
            && self.worst.is_none_or(|x| (w.0, w.1, w.2) < (x.0, x.1, x.2))
        {
            self.worst = Some(w);
        }
    }

    fn merge(&mut self, other: Tally) {
        self.runs += other.runs;
        for (a, b) in self.endings.iter_mut().zip(other.endings) {
            *a += b;
        }
        self.no_ending += other.no_ending;
        self.scores.merge(other.scores);
        for (a, b) in self.milestones.iter_mut().zip(other.milestones) {
            a.merge(b);
        }
        self.waits.merge(other.waits);
        for (a, b) in self.sla_breaches.iter_mut().zip(other.sla_breaches) {
            *a += b;
        }
        self.cover.merge(other.cover);
        self.consider(other.best, other.worst);
    }
}

/// Runs `runs` seeded runs on `threads` threads; `progress` is told how many are done
/// (from any thread, now and then). `copy` gives each thread a private copy of the scenario
/// (compiled from the same text; `None`: share `sc`): the bots name what they do with the
/// scenario's ids, and threads sharing one scenario would contend for those ids' reference
/// counts.
pub fn simulate(
    sc: &Arc<Scenario>,
    copy: &(dyn Fn() -> Option<Arc<Scenario>> + Sync),
    seats: &[(RoleIx, BotSpec)],
    runs: u64,
    base_seed: u64,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
) -> Tally {
    let threads = threads.max(1);
    let next = AtomicU64::new(0);
    let done = AtomicUsize::new(0);
    let chunk = 64u64;
    let mut total = Tally::new(sc);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let own = if threads > 1 { copy() } else { None };
                    let sc = own.as_ref().unwrap_or(sc);
                    let mut mine = Tally::new(sc);
                    loop {
                        let from = next.fetch_add(chunk, Ordering::Relaxed);
                        if from >= runs {
                            break;
                        }
                        for i in from..(from + chunk).min(runs) {
                            mine.add(&run_one(sc, seats, i, run_seed(base_seed, i)));
                        }
                        let n = (from + chunk).min(runs) - from;
                        let total = done
                            .fetch_add(usize::try_from(n).unwrap_or(0), Ordering::Relaxed)
                            + usize::try_from(n).unwrap_or(0);
                        progress(total as u64);
                    }
                    mine
                })
            })
            .collect();
        for h in handles {
            if let Ok(t) = h.join() {
                total.merge(t);
            }
        }
    });
    total
}

/// Percentiles of a sample (nearest rank); `None` when empty.
#[derive(Clone, Copy, Debug, Serialize, PartialEq, Eq)]
pub struct Spread {
    pub min: i64,
    pub p10: i64,
    pub median: i64,
    pub p90: i64,
    pub max: i64,
}

impl Spread {
    pub fn of(values: &mut [i64]) -> Option<Spread> {
        if values.is_empty() {
            return None;
        }
        values.sort_unstable();
        let at = |q: usize| {
            // Nearest rank: the smallest value with at least q% of the sample at or below it.
            let n = values.len();
            let rank = (q * n).div_ceil(100).max(1);
            values[rank - 1]
        };
        Some(Spread {
            min: values[0],
            p10: at(10),
            median: at(50),
            p90: at(90),
            max: values[values.len() - 1],
        })
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct EndingRow {
    pub ending: Option<String>,
    pub title: String,
    pub outcome: Option<Outcome>,
    pub runs: u64,
    pub share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MilestoneRow {
    pub milestone: Milestone,
    /// Runs in which it was reached.
    pub reached: u64,
    /// Minutes from the start, over the runs that reached it.
    pub minutes: Option<Spread>,
}

#[derive(Clone, Debug, Serialize)]
pub struct SlaRow {
    pub sla: String,
    pub name: String,
    pub breached_runs: u64,
    pub share: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RunRef {
    pub seed: u64,
    pub score: i32,
    pub ending: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct BotRow {
    pub role: String,
    pub policy: String,
    pub spec: BotSpec,
}

/// The summary `ttx simulate` prints (and `--json` writes).
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub scenario: String,
    pub title: String,
    pub runs: u64,
    pub base_seed: u64,
    pub bots: Vec<BotRow>,
    pub endings: Vec<EndingRow>,
    pub score: Option<Spread>,
    /// The most a run can score.
    pub max_score: i32,
    pub milestones: Vec<MilestoneRow>,
    /// Minutes from "decision needed" to "authorised" (or to the end when never authorised),
    /// over the runs where a decision was needed.
    pub waiting_on_authority: Option<Spread>,
    pub slas: Vec<SlaRow>,
    pub best: Option<RunRef>,
    pub worst: Option<RunRef>,
}

#[allow(clippy::cast_precision_loss)]
fn share(n: u64, of: u64) -> f64 {
    if of == 0 {
        0.0
    } else {
        // Rounded to 0.1 %: the same figure whatever the platform prints.
        (n as f64 * 1000.0 / of as f64).round() / 10.0
    }
}

pub fn summarise(
    sc: &Scenario,
    seats: &[(RoleIx, BotSpec)],
    base_seed: u64,
    tally: &Tally,
) -> Summary {
    let runs = tally.runs;
    // Endings in the scenario's order, then "no ending" if it happened.
    let mut endings: Vec<EndingRow> = sc
        .endings
        .iter()
        .zip(&tally.endings)
        .map(|(e, &n)| EndingRow {
            ending: Some(e.id.to_string()),
            title: e.title.clone(),
            outcome: Some(e.outcome),
            runs: n,
            share: share(n, runs),
        })
        .collect();
    if tally.no_ending > 0 {
        endings.push(EndingRow {
            ending: None,
            title: "Ended without a named ending".into(),
            outcome: None,
            runs: tally.no_ending,
            share: share(tally.no_ending, runs),
        });
    }
    endings.sort_by_key(|e| std::cmp::Reverse(e.runs));
    let declared: Vec<Milestone> = sc.milestones.iter().map(|(m, _)| *m).collect();
    let milestones = Milestone::ALL
        .iter()
        .filter(|m| declared.contains(m))
        .map(|m| {
            let h = &tally.milestones[m.index()];
            MilestoneRow {
                milestone: *m,
                reached: h.total,
                minutes: h.spread(),
            }
        })
        .collect();
    let slas = sc
        .slas
        .iter()
        .zip(&tally.sla_breaches)
        .map(|(s, &n)| SlaRow {
            sla: s.id.to_string(),
            name: s.name.clone(),
            breached_runs: n,
            share: share(n, runs),
        })
        .collect();
    let as_ref = |&(_, score, _, seed, ending): &RunKey| RunRef {
        seed,
        score,
        ending: ending.map(|e| sc.endings[usize::from(e)].id.to_string()),
    };
    Summary {
        scenario: sc.id.to_string(),
        title: sc.title.clone(),
        runs,
        base_seed,
        bots: seats
            .iter()
            .map(|(r, spec)| BotRow {
                role: sc.role(*r).id.to_string(),
                policy: spec.policy.name().to_owned(),
                spec: *spec,
            })
            .collect(),
        endings,
        score: tally.scores.spread(),
        max_score: sc.max_score(),
        milestones,
        waiting_on_authority: tally.waits.spread(),
        slas,
        best: tally.best.as_ref().map(as_ref),
        worst: tally.worst.as_ref().map(as_ref),
    }
}

/// The summary as the table `ttx simulate` prints.
pub fn table(s: &Summary, replay: &str) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let bots: Vec<String> = s
        .bots
        .iter()
        .map(|b| format!("{}={}", b.role, b.policy))
        .collect();
    let _ = writeln!(
        o,
        "{}: {} run{} from seed {} ({})",
        s.title,
        s.runs,
        if s.runs == 1 { "" } else { "s" },
        s.base_seed,
        bots.join(", ")
    );
    let _ = writeln!(o);
    // Titles as wide as the longest (within reason); longer ones are cut with an ellipsis.
    let width = s
        .endings
        .iter()
        .map(|e| label_of(e).chars().count())
        .chain(s.slas.iter().map(|x| x.name.chars().count()))
        .max()
        .unwrap_or(24)
        .clamp(28, 64);
    let _ = writeln!(o, "{:<w$}    runs   share", "Endings", w = width + 2);
    for e in &s.endings {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let bar = "█".repeat((e.share / 5.0).round() as usize);
        let _ = writeln!(
            o,
            "  {:<width$} {:>6} {:>6.1}%  {bar}",
            short(&label_of(e), width),
            e.runs,
            e.share
        );
    }
    let _ = writeln!(o);
    if let Some(sp) = s.score {
        let _ = writeln!(
            o,
            "{:<w$}     min    p10  median    p90    max",
            "Score",
            w = width + 2
        );
        let _ = writeln!(
            o,
            "{:<w$}  {:>6} {:>6}  {:>6} {:>6} {:>6}",
            "",
            sp.min,
            sp.p10,
            sp.median,
            sp.p90,
            sp.max,
            w = width + 2
        );
        let _ = writeln!(o);
    }
    if !s.milestones.is_empty() {
        let _ = writeln!(
            o,
            "{:<w$} reached    p10  median    p90",
            "Minutes from the start",
            w = width + 3
        );
        let row = |o: &mut String, label: &str, reached: String, sp: Option<Spread>| {
            let (p10, med, p90) = sp.map_or(("-".into(), "-".into(), "-".into()), |sp| {
                (
                    sp.p10.to_string(),
                    sp.median.to_string(),
                    sp.p90.to_string(),
                )
            });
            let _ = writeln!(
                o,
                "  {label:<width$} {reached:>7}  {p10:>5}  {med:>6}  {p90:>5}"
            );
        };
        for m in &s.milestones {
            let reached = format!("{:.1}%", share(m.reached, s.runs));
            row(&mut o, m.milestone.label(), reached, m.minutes);
        }
        if let Some(w) = s.waiting_on_authority {
            row(&mut o, "waiting on authority", String::new(), Some(w));
        }
        let _ = writeln!(o);
    }
    if !s.slas.is_empty() {
        let _ = writeln!(o, "{:<w$}    runs   share", "SLA breaches", w = width + 2);
        for sla in &s.slas {
            let _ = writeln!(
                o,
                "  {:<width$} {:>6} {:>6.1}%",
                short(&sla.name, width),
                sla.breached_runs,
                sla.share
            );
        }
        let _ = writeln!(o);
    }
    let describe = |r: &RunRef| {
        let ending = s
            .endings
            .iter()
            .find(|e| e.ending == r.ending)
            .map_or_else(|| "no ending".to_owned(), label_of);
        format!(
            "seed {} ({ending}, score {} of {}): {replay} --seed {}",
            r.seed, r.score, s.max_score, r.seed
        )
    };
    if let Some(b) = &s.best {
        let _ = writeln!(o, "Best run:  {}", describe(b));
    }
    if let Some(w) = &s.worst {
        let _ = writeln!(o, "Worst run: {}", describe(w));
    }
    o
}

fn label_of(e: &EndingRow) -> String {
    let outcome = e.outcome.map_or(String::new(), |o| format!(" ({o:?})"));
    format!("{}{outcome}", e.title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<i64> = (1..=10).collect();
        let s = Spread::of(&mut v).expect("non-empty");
        assert_eq!((s.min, s.p10, s.median, s.p90, s.max), (1, 1, 5, 9, 10));
        let mut one = vec![7];
        let s = Spread::of(&mut one).expect("non-empty");
        assert_eq!((s.min, s.p10, s.median, s.p90, s.max), (7, 7, 7, 7, 7));
        assert!(Spread::of(&mut []).is_none());
    }

    #[test]
    fn run_seeds_differ_and_are_stable() {
        assert_ne!(run_seed(1, 0), run_seed(1, 1));
        assert_ne!(run_seed(1, 0), run_seed(2, 0));
        assert_eq!(run_seed(1, 0), run_seed(1, 0));
    }
}
