//! The equivalent-work benchmark on bladeink 2.1.0.
//!
//! The graph is written as compiled ink JSON (the runtime format inklecate produces,
//! inkVersion 21). Node i is the knot `n{i}`; in ink source it would read:
//!
//! ```ink
//! VAR score = 0
//! -> n0
//! === n0 ===
//! ~ score += 0
//! Inject 0: the situation develops.
//! + [A] -> n1
//! + [B] -> n3
//! + [C] -> n5
//! ```
//!
//! Sticky choices (`+`, flag 0x4 "choice-only content" and no 0x10 "once only") because
//! nodes are revisited. The output is byte for byte what bladeink-compiler 2.1.0 makes of
//! that source without count-all-visits (inklecate's default), checked at N = 100 and
//! N = 10,000 when this was written.

use std::fmt::Write as _;
use std::path::Path;
use std::sync::Barrier;
use std::time::{Duration, Instant};

use bladeink::story::Story;
use bladeink::value_type::ValueType;

use crate::{Result, median_and_min, megabytes, peak_rss_mb, verdict};

const WALK_NODES: usize = 10_000;
const WALK_STEPS: u32 = 100_000;
const ORACLE_WALK_100: (usize, i32) = (56, 33_334);
const ORACLE_WALK_10000: (usize, i32) = (8_656, 33_334);
const MC_NODES: usize = 1_000;
const MC_RUNS: u32 = 10_000;
const MC_CHOICES: u32 = 20;
const ORACLE_MC_SUM: i64 = 394_903;
const LOAD_REPEATS: usize = 5;

/// The graph of N nodes as compiled ink JSON.
pub fn graph_json(n: usize) -> String {
    let mut s = String::with_capacity(n * 360);
    s.push_str(r##"{"inkVersion":21,"root":[[{"->":"n0"},["done",{"#n":"g-0"}],null],"done",{"##);
    for i in 0..n {
        // ~ score += i % 5, then the text line.
        write!(
            s,
            r#""n{i}":["ev",{{"VAR?":"score"}},{},"+",{{"VAR=":"score","re":true}},"/ev","^Inject {i}: the situation develops.","\n","#,
            i % 5
        )
        .expect("writing to a String");
        // + [A] / [B] / [C]: the label is pushed as a string, the choice point pops it. Its
        // target is written as the compiler does, absolute unless relative is shorter.
        for (k, label) in ["A", "B", "C"].iter().enumerate() {
            let (absolute, relative) = (format!("n{i}.c-{k}"), format!(".^.c-{k}"));
            let target = if absolute.len() <= relative.len() {
                absolute
            } else {
                relative
            };
            write!(
                s,
                r#""ev","str","^{label}","/str","/ev",{{"*":"{target}","flg":4}},"#
            )
            .expect("writing to a String");
        }
        // The choices' bodies: each diverts to its target knot (the " " is the space before
        // `->` in the source; the "\n" after the divert is never reached).
        let targets = [(i + 1) % n, (7 * i + 3) % n, (13 * i + 5) % n];
        s.push('{');
        for (k, t) in targets.iter().enumerate() {
            let sep = if k + 1 < targets.len() { "," } else { "" };
            write!(s, r#""c-{k}":["^ ",{{"->":"n{t}"}},"\n",null]{sep}"#)
                .expect("writing to a String");
        }
        s.push_str("}],");
    }
    s.push_str(r#""global decl":["ev",0,{"VAR=":"score"},"/ev","end",null]}],"listDefs":{}}"#);
    s
}

/// Delivers the current node: runs its content (score update, text) up to its choices and
/// builds the choice list. Returns the text produced.
fn deliver(story: &mut Story) -> Result<String> {
    let text = story.continue_maximally()?;
    let choices = story.get_current_choices();
    if choices.len() != 3 {
        return Err(format!("expected 3 choices after {text:?}, got {}", choices.len()).into());
    }
    Ok(text)
}

/// The node whose text is `Inject i: the situation develops.`
fn node_of(text: &str) -> Result<usize> {
    text.trim()
        .strip_prefix("Inject ")
        .and_then(|rest| rest.split(':').next())
        .and_then(|i| i.parse().ok())
        .ok_or_else(|| format!("not a node's text: {text:?}").into())
}

fn score(story: &Story) -> Result<i32> {
    match story.get_variable("score") {
        Some(ValueType::Int(v)) => Ok(v),
        Some(_) => Err("score is not an int".into()),
        None => Err("no variable score".into()),
    }
}

/// Load: read the file, build the story (bladeink parses and resolves every divert target),
/// continue until node 0 is delivered and its choices are available.
fn load(path: &Path) -> Result<(Story, String)> {
    let json = std::fs::read_to_string(path)?;
    let mut story = Story::new(&json)?;
    let text = deliver(&mut story)?;
    Ok((story, text))
}

/// The single walk: at step s take choice s % 3. `text` is that of the node delivered last.
fn walk(story: &mut Story, steps: u32, mut text: String) -> Result<(usize, i32)> {
    for s in 0..steps {
        story.choose_choice_index((s % 3) as usize)?;
        text = deliver(story)?;
    }
    Ok((node_of(&text)?, score(story)?))
}

/// Monte Carlo runs `runs`, state reset between runs; returns the sum of the final scores.
fn monte_carlo(story: &mut Story, runs: std::ops::Range<u32>) -> Result<i64> {
    let mut sum = 0;
    for r in runs {
        story.reset_state()?;
        deliver(story)?;
        let mut x = r;
        for _ in 0..MC_CHOICES {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345) & 0x7fff_ffff;
            story.choose_choice_index((x % 3) as usize)?;
            deliver(story)?;
        }
        sum += i64::from(score(story)?);
    }
    Ok(sum)
}

/// The Monte Carlo on `threads` threads. `Story` holds `Rc`s and is not `Send`, so each
/// thread builds its own from the shared JSON text; the clock starts once all are built.
fn monte_carlo_threads(json: &str, threads: u32) -> Result<(Duration, i64)> {
    let ready = Barrier::new(threads as usize + 1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let ready = &ready;
                scope.spawn(move || -> std::result::Result<i64, String> {
                    let story = Story::new(json);
                    ready.wait();
                    let mut story = story.map_err(|e| e.to_string())?;
                    let runs = MC_RUNS * t / threads..MC_RUNS * (t + 1) / threads;
                    monte_carlo(&mut story, runs).map_err(|e| e.to_string())
                })
            })
            .collect();
        ready.wait();
        let start = Instant::now();
        let mut sum = 0;
        for h in handles {
            sum += h.join().map_err(|_| "a Monte Carlo thread panicked")??;
        }
        Ok((start.elapsed(), sum))
    })
}

/// Runs the benchmark and prints it; Ok(false) if an oracle did not match.
pub fn run() -> Result<bool> {
    let dir = std::env::temp_dir().join(format!("ttx-peers-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let result = run_in(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn run_in(dir: &Path) -> Result<bool> {
    println!("bladeink 2.1.0 equivalent-work benchmark");

    // The hand-made JSON is checked first on the small graph.
    let mut small = Story::new(&graph_json(100))?;
    let text = deliver(&mut small)?;
    let (node, sc) = walk(&mut small, WALK_STEPS, text)?;
    drop(small);
    let small_ok = (node, sc) == ORACLE_WALK_100;
    println!(
        "  check            N=100, {WALK_STEPS} steps: final node {node}, score {sc} ({})",
        verdict(small_ok)
    );

    let path = dir.join(format!("equivalent-work-{WALK_NODES}.ink.json"));
    let mc_path = dir.join(format!("equivalent-work-{MC_NODES}.ink.json"));
    std::fs::write(&path, graph_json(WALK_NODES))?;
    std::fs::write(&mc_path, graph_json(MC_NODES))?;
    let mb = megabytes(std::fs::metadata(&path)?.len());
    println!("  graph            {WALK_NODES} nodes, {mb:.1} MB of ink JSON");

    let mut times = Vec::with_capacity(LOAD_REPEATS);
    let mut loaded = None;
    for _ in 0..LOAD_REPEATS {
        // One story in memory at a time: the peak is that of one load.
        drop(loaded.take());
        let start = Instant::now();
        let story = load(&path)?;
        times.push(start.elapsed());
        loaded = Some(story);
    }
    let (median, fastest) = median_and_min(times);
    println!(
        "  load             {median:.1} ms median of {LOAD_REPEATS} (fastest {fastest:.1} ms): read, parse, resolve, node 0 delivered"
    );

    let (mut story, text) = loaded.ok_or("no load")?;
    let start = Instant::now();
    let (node, sc) = walk(&mut story, WALK_STEPS, text)?;
    let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(WALK_STEPS);
    let walk_ok = (node, sc) == ORACLE_WALK_10000;
    println!(
        "  single walk      {WALK_STEPS} steps, {us:.3} µs per step; final node {node}, score {sc} ({})",
        verdict(walk_ok)
    );
    drop(story);

    let json = std::fs::read_to_string(&mc_path)?;
    let mut mc_ok = true;
    for threads in [1, 2] {
        let (time, sum) = monte_carlo_threads(&json, threads)?;
        let ok = sum == ORACLE_MC_SUM;
        mc_ok &= ok;
        println!(
            "  Monte Carlo      N={MC_NODES}, {MC_RUNS} runs x {MC_CHOICES} choices on {threads} thread(s): {:.0} runs/s; score sum {sum} ({})",
            f64::from(MC_RUNS) / time.as_secs_f64(),
            verdict(ok)
        );
    }

    if let Some(m) = peak_rss_mb() {
        println!("  peak memory      {m:.1} MB (resident, whole process)");
    }
    Ok(small_ok && walk_ok && mc_ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_graph_walk_matches_the_oracle() {
        let mut story = Story::new(&graph_json(100)).expect("story loads");
        let text = deliver(&mut story).expect("node 0 delivered");
        assert_eq!(node_of(&text).expect("node 0 text"), 0);
        let got = walk(&mut story, WALK_STEPS, text).expect("walk");
        assert_eq!(got, ORACLE_WALK_100);
    }
}
