//! Coverage of many runs: which injects, answers, actions and endings never happened, and a
//! seed that reaches each ending, so an author sees the parts of a scenario no play reaches
//! and can replay each ending.

use serde::Serialize;

use crate::engine::model::{EndingIx, Scenario};
use crate::engine::state::State;

/// What happened at all in one run.
#[derive(Clone, Debug, Default)]
pub struct Seen {
    injects: Vec<bool>,
    /// (inject, option) answered.
    options: Vec<(usize, usize)>,
    actions: Vec<bool>,
}

impl Seen {
    pub fn of(st: &State) -> Seen {
        Seen {
            injects: st
                .injects
                .iter()
                .map(|i| i.first_delivered.is_some())
                .collect(),
            options: st
                .choices
                .iter()
                .map(|c| (c.inject.ix(), usize::from(c.option)))
                .collect(),
            actions: st.actions.iter().map(|a| a.first_taken.is_some()).collect(),
        }
    }
}

/// In how many runs each thing happened, and the first run (and its seed) per ending.
#[derive(Clone, Debug, Default)]
pub struct Cover {
    injects: Vec<u64>,
    options: Vec<Vec<u64>>,
    actions: Vec<u64>,
    /// Per ending: the earliest run that reached it, and its seed.
    examples: Vec<Option<(u64, u64)>>,
}

impl Cover {
    pub fn new(sc: &Scenario) -> Cover {
        Cover {
            injects: vec![0; sc.injects.len()],
            options: sc
                .injects
                .iter()
                .map(|i| vec![0; i.prompt.as_ref().map_or(0, |p| p.options.len())])
                .collect(),
            actions: vec![0; sc.actions.len()],
            examples: vec![None; sc.endings.len()],
        }
    }

    /// Adds run number `run` (of seed `seed`), which saw `saw` and ended with `ending`.
    pub fn add(&mut self, saw: &Seen, ending: Option<EndingIx>, (run, seed): (u64, u64)) {
        for (n, s) in self.injects.iter_mut().zip(&saw.injects) {
            *n += u64::from(*s);
        }
        for (n, s) in self.actions.iter_mut().zip(&saw.actions) {
            *n += u64::from(*s);
        }
        let mut answered = saw.options.clone();
        answered.sort_unstable();
        answered.dedup();
        for (i, o) in answered {
            if let Some(n) = self.options.get_mut(i).and_then(|v| v.get_mut(o)) {
                *n += 1;
            }
        }
        if let Some(e) = ending.map(usize::from)
            && let Some(slot) = self.examples.get_mut(e)
            && slot.is_none_or(|(first, _)| run < first)
        {
            *slot = Some((run, seed));
        }
    }

    /// In how many runs each inject was delivered.
    pub fn injects(&self) -> &[u64] {
        &self.injects
    }

    /// Per inject, in how many runs each answer to its question was given.
    pub fn options(&self) -> &[Vec<u64>] {
        &self.options
    }

    /// In how many runs each action was taken.
    pub fn actions(&self) -> &[u64] {
        &self.actions
    }

    /// Whether some run reached the ending.
    pub fn reached(&self, ending: usize) -> bool {
        self.examples.get(ending).is_some_and(Option::is_some)
    }

    pub fn merge(&mut self, other: Cover) {
        let add = |a: &mut Vec<u64>, b: Vec<u64>| {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        };
        add(&mut self.injects, other.injects);
        add(&mut self.actions, other.actions);
        for (a, b) in self.options.iter_mut().zip(other.options) {
            add(a, b);
        }
        for (a, b) in self.examples.iter_mut().zip(other.examples) {
            if let Some(b) = b
                && a.is_none_or(|x| b.0 < x.0)
            {
                *a = Some(b);
            }
        }
    }
}

/// Coverage as `ttx simulate --coverage` reports it: names, never ids.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub runs: u64,
    pub never_injects: Vec<String>,
    /// `question → answer`.
    pub never_answers: Vec<String>,
    pub never_actions: Vec<String>,
    pub never_endings: Vec<String>,
    /// Each ending reached, with a seed that reaches it.
    pub example_seeds: Vec<(String, u64)>,
}

/// What `c`, over `runs` runs, says in names.
pub fn summary(sc: &Scenario, c: &Cover, runs: u64) -> Coverage {
    let inject = |i: usize| crate::words::names::inject_name(sc, sc.injects[i].id.as_str());
    let mut never_answers = Vec::new();
    for (i, counts) in c.options.iter().enumerate() {
        if let Some(p) = &sc.injects[i].prompt {
            for (o, n) in counts.iter().enumerate() {
                if *n == 0 {
                    never_answers.push(format!("{} → {}", p.question, p.options[o].label));
                }
            }
        }
    }
    Coverage {
        runs,
        never_injects: (0..sc.injects.len())
            .filter(|i| c.injects[*i] == 0)
            .map(inject)
            .collect(),
        never_answers,
        never_actions: (0..sc.actions.len())
            .filter(|a| c.actions[*a] == 0)
            .map(|a| sc.actions[a].name.clone())
            .collect(),
        never_endings: sc
            .endings
            .iter()
            .zip(&c.examples)
            .filter(|(_, x)| x.is_none())
            .map(|(e, _)| e.title.clone())
            .collect(),
        example_seeds: c
            .examples
            .iter()
            .enumerate()
            .filter_map(|(e, x)| {
                let e = EndingIx::at(e)?;
                x.map(|(_, seed)| (sc.endings[usize::from(e)].title.clone(), seed))
            })
            .collect(),
    }
}

/// The coverage as `ttx simulate --coverage` prints it after the summary.
pub fn table(c: &Coverage, replay: &str) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(o, "\nCoverage: what never happened in {} runs", c.runs);
    for (what, items) in [
        ("Injects never sent", &c.never_injects),
        ("Answers never given", &c.never_answers),
        ("Actions never taken", &c.never_actions),
        ("Endings never reached", &c.never_endings),
    ] {
        if items.is_empty() {
            let _ = writeln!(o, "  {what}: none");
        } else {
            let _ = writeln!(o, "  {what} ({}):", items.len());
            for i in items {
                let _ = writeln!(o, "    {i}");
            }
        }
    }
    let _ = writeln!(o, "\nAn example seed for each ending reached:");
    for (title, seed) in &c.example_seeds {
        let _ = writeln!(o, "  {title:<40} {replay} --seed {seed}");
    }
    o
}
