//! Engine benchmarks: load + validate + first event of the bundled scenario and of a
//! generated 10,000-inject scenario, the cost of one step on that graph, and a whole
//! headless run of the dropper scenario. Figures go to docs/performance.md.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use ttx::engine::command::{Command, Issued};
use ttx::engine::event::EventKind;
use ttx::engine::exercise::Exercise;
use ttx::engine::ids::Seat;
use ttx::scenario::{bundled, load_str};
use ttx::sim::{generate, headless, simulate};

fn load_and_start(c: &mut Criterion) {
    let mut g = c.benchmark_group("load_validate_first_event");
    g.measurement_time(Duration::from_secs(5));
    let dropper = bundled::find("dropper-0330").expect("bundled");
    g.bench_function("dropper-0330", |b| {
        b.iter(|| {
            let l = load_str(dropper.file, black_box(dropper.text)).expect("valid");
            let ex = Exercise::start(l.scenario, 7);
            black_box(ex.events().len())
        });
    });
    let graph = generate::equivalent_work_graph(10_000);
    g.sample_size(20);
    g.bench_function("generated_10000_injects", |b| {
        b.iter(|| {
            let l = load_str("graph.ron", black_box(&graph)).expect("valid");
            let ex = Exercise::start(l.scenario, 7);
            black_box(ex.events().len())
        });
    });
    g.finish();
}

fn step(c: &mut Criterion) {
    let graph = generate::equivalent_work_graph(10_000);
    let scenario = load_str("graph.ron", &graph).expect("valid").scenario;
    let player = Seat::role("player");
    let mut g = c.benchmark_group("step");
    g.bench_function("graph_10000_choose_and_deliver", |b| {
        b.iter_batched_ref(
            || {
                (
                    Exercise::start(Arc::clone(&scenario), 0),
                    "n0".to_owned(),
                    0usize,
                )
            },
            |(ex, node, s)| {
                for _ in 0..1000 {
                    let option = ["a", "b", "c"][*s % 3];
                    *s += 1;
                    let events = ex.apply(&Issued::new(
                        player.clone(),
                        Command::Choose {
                            inject: node.as_str().into(),
                            option: option.into(),
                        },
                    ));
                    if let Some(next) = events.iter().find_map(|e| match e.kind {
                        EventKind::InjectDelivered { inject, .. } => Some(inject),
                        _ => None,
                    }) {
                        ex.scenario().inject(next).id.as_str().clone_into(node);
                    }
                }
            },
            criterion::BatchSize::LargeInput,
        );
    });
    g.finish();
}

fn whole_run(c: &mut Criterion) {
    let dropper = bundled::find("dropper-0330").expect("bundled");
    let scenario = load_str(dropper.file, dropper.text)
        .expect("valid")
        .scenario;
    c.bench_function("headless_run/dropper-0330_nobody_acts", |b| {
        b.iter(|| {
            let ex = headless::run(Arc::clone(&scenario), black_box(7), &[]);
            black_box(ex.events().len())
        });
    });
    // Bots in every role (the scenario's personas), as `ttx simulate` plays each run.
    for b in bundled::ALL {
        let sc = load_str(b.file, b.text).expect("valid").scenario;
        let seats = simulate::crew_spec(&sc, &[]).expect("personas");
        let name = format!("headless_run/{}_bots", sc.id);
        c.bench_function(&name, |bench| {
            bench.iter(|| {
                let ex = headless::run_with_bots(Arc::clone(&sc), black_box(7), &[], &seats);
                black_box(ex.events().len())
            });
        });
    }
}

criterion_group!(benches, load_and_start, step, whole_run);
criterion_main!(benches);
