//! The floor: no engine, a bare `ron::from_str` of ttx's scenario file into minimal serde
//! structs covering what the equivalent-work graph uses, then a check of every reference
//! (each `Schedule` target is an inject, each `Add` names a declared variable, no inject id
//! twice). Fields the graph has but this does not read are skipped by serde.

use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

use serde::Deserialize;

use crate::{Result, median_and_min, megabytes, peak_rss_mb};

const LOAD_REPEATS: usize = 5;

#[derive(Deserialize)]
struct Scenario {
    variables: Vec<Variable>,
    injects: Vec<Inject>,
}

#[derive(Deserialize)]
struct Variable {
    id: String,
}

#[derive(Deserialize)]
struct Inject {
    id: String,
    #[serde(default)]
    effects: Vec<Effect>,
    #[serde(default)]
    prompt: Prompt,
}

#[derive(Deserialize, Default)]
struct Prompt {
    options: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    #[serde(default)]
    effects: Vec<Effect>,
}

// Amounts and delays are parsed as an engine would, but the check does not need them.
#[allow(dead_code)]
#[derive(Deserialize)]
enum Effect {
    Add(String, i64),
    Schedule(String, Delay),
}

#[allow(dead_code)]
#[derive(Deserialize)]
enum Delay {
    Minutes(u64),
}

/// Read, parse and check; returns the scenario and the number of references checked.
fn load(path: &Path) -> Result<(Scenario, usize)> {
    let text = std::fs::read_to_string(path)?;
    let scenario: Scenario = ron::from_str(&text)?;
    let checked = check(&scenario)?;
    Ok((scenario, checked))
}

fn check(s: &Scenario) -> Result<usize> {
    let mut injects = HashMap::with_capacity(s.injects.len());
    for (i, inject) in s.injects.iter().enumerate() {
        if injects.insert(inject.id.as_str(), i).is_some() {
            return Err(format!("inject {:?} defined twice", inject.id).into());
        }
    }
    let variables: HashMap<&str, usize> = s
        .variables
        .iter()
        .enumerate()
        .map(|(i, v)| (v.id.as_str(), i))
        .collect();
    let mut checked = 0;
    for inject in &s.injects {
        let options = inject.prompt.options.iter().flat_map(|c| &c.effects);
        for effect in inject.effects.iter().chain(options) {
            let (known, name) = match effect {
                Effect::Add(var, _) => (variables.contains_key(var.as_str()), var),
                Effect::Schedule(target, Delay::Minutes(_)) => {
                    (injects.contains_key(target.as_str()), target)
                }
            };
            if !known {
                return Err(format!("inject {:?} names unknown {name:?}", inject.id).into());
            }
            checked += 1;
        }
    }
    Ok(checked)
}

/// Times the load and prints it; Ok(true) as there is no oracle to miss.
pub fn run(path: &Path) -> Result<bool> {
    println!("bare ron+serde floor (ron 0.12, serde 1) equivalent-work benchmark");
    let mb = megabytes(std::fs::metadata(path)?.len());
    let mut times = Vec::with_capacity(LOAD_REPEATS);
    let mut loaded = None;
    for _ in 0..LOAD_REPEATS {
        // One scenario in memory at a time: the peak is that of one load.
        drop(loaded.take());
        let start = Instant::now();
        let scenario = load(path)?;
        times.push(start.elapsed());
        loaded = Some(scenario);
    }
    let (scenario, checked) = loaded.ok_or("no load")?;
    println!(
        "  graph            {} injects, {mb:.1} MB of RON ({})",
        scenario.injects.len(),
        path.display()
    );
    let (median, fastest) = median_and_min(times);
    println!(
        "  load             {median:.1} ms median of {LOAD_REPEATS} (fastest {fastest:.1} ms): read, parse, check {checked} references"
    );
    if let Some(m) = peak_rss_mb() {
        println!("  peak memory      {m:.1} MB (resident, whole process)");
    }
    Ok(true)
}
