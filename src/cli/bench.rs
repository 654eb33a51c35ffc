//! `ttx bench`: the equivalent-work benchmark, timed. The graph is written as a real
//! scenario file and loaded from disk through the normal loader; the walk and the Monte
//! Carlo run on the engine as any exercise does. Wall-clock time and /proc are read here,
//! at the edge.
#![allow(clippy::disallowed_methods)] // Instant::now: this is the timing edge

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result};
use serde::Serialize;

use crate::engine::exercise::Exercise;
use crate::scenario;
use crate::sim::bench::{self, MC_CHOICES, MC_NODES, MC_RUNS, ORACLE_MC_SUM, ORACLE_WALK_10000};
use crate::sim::generate::equivalent_work_graph;

#[derive(Serialize)]
struct Figures {
    nodes: usize,
    file_bytes: u64,
    load_ms_median: f64,
    load_ms_min: f64,
    load_repeats: usize,
    walk_steps: u64,
    walk_us_per_step: f64,
    walk_final_node: String,
    walk_score: i32,
    walk_oracle_ok: Option<bool>,
    mc_nodes: usize,
    mc_runs: u64,
    mc_threads: usize,
    mc_runs_per_s: f64,
    mc_score_sum: i64,
    mc_oracle_ok: bool,
    peak_rss_mb: Option<f64>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Peak resident memory of this process (Linux: `VmHWM`), in MB.
fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

fn write_graph(dir: &Path, nodes: usize) -> Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let path = dir.join(format!("equivalent-work-{nodes}.ron"));
    std::fs::write(&path, equivalent_work_graph(nodes))
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(path)
}

pub fn run(
    nodes: usize,
    steps: u64,
    threads: Option<usize>,
    dir: Option<&Path>,
    json: bool,
) -> Result<ExitCode> {
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let tmp = std::env::temp_dir().join(format!("ttx-bench-{}", std::process::id()));
    let dir_used = dir.map_or(tmp.clone(), Path::to_path_buf);
    let path = write_graph(&dir_used, nodes)?;
    let mc_path = write_graph(&dir_used, MC_NODES)?;
    let file_bytes = std::fs::metadata(&path).map_or(0, |m| m.len());

    // Load: read the file, parse, validate every reference, ready to deliver node 0.
    let repeats = 5;
    let mut loads = Vec::with_capacity(repeats);
    let mut scenario = None;
    for _ in 0..repeats {
        // One scenario in memory at a time: the peak is that of one load.
        drop(scenario.take());
        let t = Instant::now();
        let loaded = scenario::load_file(&path)
            .map_err(|e| anyhow::anyhow!("{}", scenario::render_all(&e.diagnostics)))?;
        let ex = Exercise::start(Arc::clone(&loaded.scenario), 0);
        loads.push(t.elapsed());
        std::hint::black_box(ex);
        scenario = Some(loaded.scenario);
    }
    loads.sort();
    let scenario = scenario.context("no load")?;

    let t = Instant::now();
    let (node, score) = bench::walk(&scenario, steps);
    let walk_time = t.elapsed();

    let mc = scenario::load_file(&mc_path)
        .map_err(|e| anyhow::anyhow!("{}", scenario::render_all(&e.diagnostics)))?
        .scenario;
    let t = Instant::now();
    let sum = bench::monte_carlo_parallel(&mc, MC_RUNS, MC_CHOICES, threads);
    let mc_time = t.elapsed();
    if dir.is_none() {
        let _ = std::fs::remove_dir_all(&tmp);
    }

    #[allow(clippy::cast_precision_loss)]
    let figures = Figures {
        nodes,
        file_bytes,
        load_ms_median: ms(loads[repeats / 2]),
        load_ms_min: ms(loads[0]),
        load_repeats: repeats,
        walk_steps: steps,
        walk_us_per_step: walk_time.as_secs_f64() * 1e6 / steps.max(1) as f64,
        walk_final_node: node.clone(),
        walk_score: score,
        walk_oracle_ok: (nodes == 10_000 && steps == 100_000)
            .then(|| node == ORACLE_WALK_10000.0 && score == ORACLE_WALK_10000.1),
        mc_nodes: MC_NODES,
        mc_runs: MC_RUNS,
        mc_threads: threads,
        mc_runs_per_s: MC_RUNS as f64 / mc_time.as_secs_f64(),
        mc_score_sum: sum,
        mc_oracle_ok: sum == ORACLE_MC_SUM,
        peak_rss_mb: peak_rss_mb(),
    };
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &figures)?;
        writeln!(out)?;
    } else {
        print_table(&mut out, &figures, &path, dir.is_some())?;
    }
    let ok = figures.walk_oracle_ok.unwrap_or(true) && figures.mc_oracle_ok;
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_table(out: &mut impl std::io::Write, f: &Figures, path: &Path, kept: bool) -> Result<()> {
    let verdict = |ok: bool| {
        if ok {
            "matches the oracle"
        } else {
            "DOES NOT MATCH the oracle"
        }
    };
    #[allow(clippy::cast_precision_loss)]
    let mb = f.file_bytes as f64 / 1e6;
    writeln!(out, "ttx equivalent-work benchmark")?;
    writeln!(
        out,
        "  graph            {} nodes, {mb:.1} MB of RON{}",
        f.nodes,
        if kept {
            format!(" ({})", path.display())
        } else {
            String::new()
        }
    )?;
    writeln!(
        out,
        "  load             {:.1} ms median of {} (fastest {:.1} ms): read, parse, validate, ready for node 0",
        f.load_ms_median, f.load_repeats, f.load_ms_min
    )?;
    writeln!(
        out,
        "  single walk      {} steps, {:.3} µs per step; final node {}, score {}{}",
        f.walk_steps,
        f.walk_us_per_step,
        f.walk_final_node,
        f.walk_score,
        f.walk_oracle_ok
            .map_or(String::new(), |ok| format!(" ({})", verdict(ok)))
    )?;
    writeln!(
        out,
        "  Monte Carlo      N={}, {} runs x {} choices on {} thread(s): {:.0} runs/s; score sum {} ({})",
        f.mc_nodes,
        f.mc_runs,
        MC_CHOICES,
        f.mc_threads,
        f.mc_runs_per_s,
        f.mc_score_sum,
        verdict(f.mc_oracle_ok)
    )?;
    if let Some(m) = f.peak_rss_mb {
        writeln!(
            out,
            "  peak memory      {m:.1} MB (resident, whole process)"
        )?;
    }
    Ok(())
}
