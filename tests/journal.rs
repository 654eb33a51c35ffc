//! The session journal through the real binary and the library: SIGKILL at random points
//! of a scripted headless run loses no acknowledged command (the folded state is exactly
//! the uninterrupted run's after the same commands); resumed, replayed and forked sessions
//! give reports byte-identical to an uninterrupted run; damaged journals (truncated at
//! every byte, bit-flipped, reordered, oversized, of another version, of a changed
//! scenario) give errors, never panics, and only a torn last line is recovered.
//! Kill points come from a seeded generator; nothing here waits on the wall clock to
//! decide an outcome.

// `r` (the reference run), `j` (a journal), `k` (records kept) read best short here.
#![allow(clippy::many_single_char_names)]

mod common;

use common::SplitMix as Rng;

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Read as _};
use std::path::{Path, PathBuf};
use std::process::{Command as Process, Output, Stdio};
use std::sync::Arc;

use ttx::engine::command::Issued;
use ttx::engine::event::Event;
use ttx::engine::exercise::Exercise;
use ttx::engine::ids::Seat;
use ttx::engine::model::{BotSpec, RoleIx, Scenario};
use ttx::engine::time::GameTime;
use ttx::journal::record::{Header, Record, encode_line};
use ttx::journal::store::{self, Writer};
use ttx::journal::{self, JournalError, Replay, decode};
use ttx::sim::headless::{self, Observer};
use ttx::sim::{script, simulate};
use ttx::tui::app::{Game, Recording};
use ttx::tui::replay::ReplayView;

/// A scratch folder under the build's temporary directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("journal-{name}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch folder");
    dir
}

fn ttx(args: &[&str]) -> Output {
    Process::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TTX_DATA_DIR")
        .output()
        .expect("ttx runs")
}

/// `ttx run dropper-0330 --seed 1 --script SCRIPT --data-dir DATA`.
fn run_dropper_script(script: &Path, data: &str) -> Output {
    ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        "1",
        "--script",
        script.to_str().expect("utf-8"),
        "--data-dir",
        data,
    ])
}

fn ok_stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "ttx failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// A long script for the dropper: the analyst and the facilitator give a command every
/// game minute for two and a half hours (many are refused: busy, already done), and bots
/// play the customer's seats.
fn long_script() -> String {
    let acts = [
        "soc_analyst call_oncall",
        "facilitator inject soc_analyst \"Still there? (check {m})\"",
        "soc_analyst open_ticket",
        "soc_analyst triage",
        "soc_analyst collect_triage_package",
    ];
    let mut s = String::new();
    for m in 1..=150 {
        let act = acts[m % acts.len()].replace("{m}", &m.to_string());
        let _ = writeln!(s, "at +{m} {act}");
    }
    s
}

const SEED: u64 = 5;

/// Collects what a headless run applies, independently of the journal's code.
#[derive(Default)]
struct Collect {
    applied: Vec<(GameTime, Issued)>,
}

impl Observer for Collect {
    type Error = std::convert::Infallible;
    fn before(&mut self, ex: &Exercise, issued: &Issued) -> Result<(), Self::Error> {
        self.applied.push((ex.now(), issued.clone()));
        Ok(())
    }
    fn after(&mut self, _: &Exercise, _: &[Event]) {}
}

/// The reference: the long script's run in-process, as `ttx run --bots` seats it.
struct Reference {
    sc: Arc<Scenario>,
    applied: Vec<(GameTime, Issued)>,
    ex: Exercise,
}

fn reference(script_text: &str) -> Reference {
    let sc = common::scenario("dropper-0330.ron");
    let steps = script::parse("long", script_text, sc.start).expect("script parses");
    let bots: Vec<(RoleIx, BotSpec)> = simulate::crew_spec(&sc, &[])
        .expect("crew")
        .into_iter()
        .filter(|(r, _)| sc.role(*r).id.as_str() != "soc_analyst")
        .collect();
    let mut c = Collect::default();
    let Ok(ex) = headless::run_observed(Arc::clone(&sc), SEED, &steps, &bots, &mut c);
    Reference {
        sc,
        applied: c.applied,
        ex,
    }
}

impl Reference {
    /// The uninterrupted run's exercise after its first `k` commands, applied directly.
    fn after(&self, k: usize) -> Exercise {
        let mut ex = Exercise::start(Arc::clone(&self.sc), SEED);
        for (_, issued) in &self.applied[..k] {
            ex.apply(issued);
        }
        ex
    }

    fn records_match(&self, records: &[Record]) {
        assert!(records.len() <= self.applied.len());
        for (i, r) in records.iter().enumerate() {
            let (at, issued) = &self.applied[i];
            assert_eq!(r.n, i as u64 + 1);
            assert_eq!((&r.at, &r.issued()), (at, issued), "record {}", r.n);
        }
    }
}

fn state_json(ex: &Exercise) -> String {
    serde_json::to_string(ex.state()).expect("state serialises")
}

fn only_journal(data: &Path) -> Option<PathBuf> {
    let files = store::files(&store::sessions_dir(data));
    assert!(files.len() <= 1, "one journal per run: {files:?}");
    files.into_iter().next()
}

fn transcript_lines(ex: &Exercise, n: usize) -> Vec<String> {
    let sc = ex.scenario();
    ex.events()[..n]
        .iter()
        .map(|e| headless::transcript_line(sc, e).trim_end().to_owned())
        .collect()
}

/// The report `ttx report` gives for a folded journal.
fn report_of(ex: &Exercise, header: &Header, format: ttx::report::Format) -> String {
    let mut input =
        ttx::session::Seating::from_header(ex.scenario(), header).report_input(ex.scenario(), None);
    input.comparison = Some(headless::by_the_book(ex.scenario(), header.seed));
    ttx::report::render(
        &ttx::report::build(ex.scenario(), ex.state(), &input),
        format,
    )
}

#[test]
fn sigkill_at_random_points_loses_no_acknowledged_command() {
    let dir = scratch("sigkill");
    let script_path = dir.join("long.txt");
    let text = long_script();
    std::fs::write(&script_path, &text).expect("script");
    let r = reference(&text);
    let total = r.applied.len();
    let all_events = r.ex.events().len();
    assert!(total > 200, "a long session: {total} commands");
    let uninterrupted_md = ok_stdout(&ttx(&[
        "run",
        "dropper-0330",
        "--seed",
        &SEED.to_string(),
        "--script",
        script_path.to_str().expect("utf-8"),
        "--bots",
        "--no-journal",
        "--report",
        "md",
    ]));
    let mut rng = Rng(0x7A11_5EED);
    let trials = 60;
    let (mut cut_short, mut with_records) = (0, 0);
    for trial in 0..trials {
        let data = dir.join(format!("trial-{trial}"));
        // Kill after a random number of transcript lines and a random number of bytes more
        // (so the kill can land in the middle of a line): a point in the output, not a time.
        let kill_after = rng.below(all_events + 1);
        let extra_bytes = rng.below(3000) as u64;
        let mut child = Process::new(env!("CARGO_BIN_EXE_ttx"))
            .args([
                "run",
                "dropper-0330",
                "--seed",
                &SEED.to_string(),
                "--script",
                script_path.to_str().expect("utf-8"),
                "--bots",
                "--pace-ms",
                "0",
                "--data-dir",
                data.to_str().expect("utf-8"),
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("ttx starts");
        let mut out = BufReader::new(child.stdout.take().expect("stdout"));
        let mut printed: Vec<String> = Vec::new();
        let mut line = String::new();
        while printed.len() < kill_after {
            line.clear();
            if out.read_line(&mut line).expect("reads") == 0 {
                break;
            }
            printed.push(line.trim_end().to_owned());
        }
        let mut rest = Vec::new();
        let _ = out.by_ref().take(extra_bytes).read_to_end(&mut rest);
        let _ = child.kill();
        child.wait().expect("ttx is reaped");
        // Whatever it had printed completely before it died was shown to someone.
        let _ = out.read_to_end(&mut rest);
        let rest = String::from_utf8_lossy(&rest);
        let complete = rest.rfind('\n').map_or("", |i| &rest[..i]);
        printed.extend(complete.lines().map(str::to_owned));

        let Some(path) = only_journal(&data) else {
            assert!(
                printed.is_empty(),
                "trial {trial}: events shown, no journal"
            );
            continue;
        };
        let j = match store::read(&path) {
            Ok(j) => j,
            Err(e) => {
                assert!(
                    printed.is_empty() && format!("{e:#}").contains("header"),
                    "trial {trial}: {e:#}"
                );
                continue;
            }
        };
        r.records_match(&j.records);
        let k = j.records.len();
        if k < total {
            cut_short += 1;
        }
        if k > 0 {
            with_records += 1;
        }
        let folded = journal::fold(Arc::clone(&r.sc), &j, false).expect("folds");
        let expected = r.after(k);
        assert_eq!(
            state_json(&folded.ex),
            state_json(&expected),
            "trial {trial}: the folded state is the run's after {k} commands"
        );
        assert!(
            printed.len() <= folded.ex.events().len(),
            "trial {trial}: {} events shown, {} recorded",
            printed.len(),
            folded.ex.events().len()
        );
        assert_eq!(
            printed,
            transcript_lines(&folded.ex, printed.len()),
            "trial {trial}: every event shown is in the journal"
        );
        // Every tenth trial: the binary's own fold agrees, and resuming with the rest of
        // the commands ends in the uninterrupted run's report, byte for byte.
        if trial % 10 == 0 {
            let json = ok_stdout(&ttx(&[
                "report",
                path.to_str().expect("utf-8"),
                "--format",
                "json",
            ]));
            assert_eq!(
                json,
                report_of(&expected, &j.header, ttx::report::Format::Json)
            );
            let lock = store::lock_session(&path)
                .expect("lock file")
                .expect("free");
            let w = Writer::continue_at(&path, &j, lock).expect("continues");
            let mut g = Game::resumed(
                folded.ex,
                j.header.clone(),
                Recording::On(Box::new(w)),
                "resumed".into(),
                journal::fold::reads(&j.records),
            );
            for (_, issued) in &r.applied[k..] {
                g.apply(issued).expect("recorded and applied");
            }
            let md = ok_stdout(&ttx(&[
                "report",
                path.to_str().expect("utf-8"),
                "--format",
                "md",
            ]));
            assert_eq!(md, uninterrupted_md, "trial {trial}: resumed report");
        }
    }
    assert!(
        cut_short >= trials / 2 && with_records >= trials / 2,
        "the kill points spread over the session: {cut_short} cut short, {with_records} with records"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A script run journaled through the binary: its journal and its reports.
struct Recorded {
    data: PathBuf,
    path: PathBuf,
    md: String,
    json: String,
}

fn recorded(name: &str) -> Recorded {
    let data = scratch(name);
    let args = [
        "run",
        "dropper-0330",
        "--seed",
        "12",
        "--script",
        "tests/scripts/dropper-0330/by-the-book.txt",
    ];
    let with = |extra: &[&str]| {
        let mut a: Vec<&str> = args.to_vec();
        a.extend_from_slice(extra);
        a.extend_from_slice(&["--data-dir", data.to_str().expect("utf-8")]);
        ttx(&a)
    };
    let run = with(&[]);
    ok_stdout(&run);
    let stderr = String::from_utf8_lossy(&run.stderr);
    let path = only_journal(&data).expect("the run is journaled");
    let id = store::id_of(&path);
    assert!(
        stderr.contains(&format!("session {id}")),
        "the run names its session: {stderr}"
    );
    let md = ok_stdout(&with(&["--report", "md", "--no-journal"]));
    let json = ok_stdout(&with(&["--report", "json", "--no-journal"]));
    Recorded {
        data,
        path,
        md,
        json,
    }
}

#[test]
fn resumed_replayed_and_forked_sessions_report_like_the_uninterrupted_run() {
    let rec = recorded("reports");
    let data = rec.data.to_str().expect("utf-8");
    let id = store::id_of(&rec.path);
    // The journal of the run itself, by id and by prefix.
    assert_eq!(
        ok_stdout(&ttx(&["report", &id, "--format", "md", "--data-dir", data])),
        rec.md
    );
    assert_eq!(
        ok_stdout(&ttx(&[
            "report",
            &id[..16],
            "--format",
            "json",
            "--data-dir",
            data
        ])),
        rec.json
    );
    let j = store::read(&rec.path).expect("reads");
    let sc = store::load_scenario(&j.header).expect("scenario");
    let all = j.records.clone();
    let sessions = store::sessions_dir(&rec.data);
    for k in [0, 1, all.len() / 2, all.len() - 1, all.len()] {
        // Resume: the first k records on disk, folded, then the rest through the game.
        let cut = rec.data.join(format!("cut-{k}.jsonl"));
        let mut text = encode_line(&j.header);
        for r in &all[..k] {
            text.push_str(&encode_line(r));
        }
        std::fs::write(&cut, text).expect("write");
        let jk = store::read(&cut).expect("reads");
        let folded = journal::fold(Arc::clone(&sc), &jk, false).expect("folds");
        let lock = store::lock_session(&cut).expect("lock file").expect("free");
        let w = Writer::continue_at(&cut, &jk, lock).expect("continues");
        let mut g = Game::resumed(
            folded.ex,
            jk.header.clone(),
            Recording::On(Box::new(w)),
            "resumed".into(),
            journal::fold::reads(&jk.records),
        );
        assert!(
            g.session.held.is_some() == (k < all.len()),
            "held until started"
        );
        for r in &all[k..] {
            g.apply(&r.issued()).expect("recorded and applied");
        }
        let cut_s = cut.to_str().expect("utf-8");
        assert_eq!(
            ok_stdout(&ttx(&["report", cut_s, "--format", "md"])),
            rec.md,
            "resumed after {k}"
        );
        assert_eq!(
            ok_stdout(&ttx(&["report", cut_s, "--format", "json"])),
            rec.json,
            "resumed after {k}"
        );
        g.open_report();
        let shown = g.console.report.as_ref().expect("report");
        assert_eq!(
            ttx::report::render(&shown.report, ttx::report::Format::Markdown),
            rec.md
        );

        // Replay: step to the event of record k and fork there into a new session, then
        // give the rest of the commands in it.
        let replay = Replay::new(Arc::clone(&sc), &j, false).expect("replays");
        assert_eq!(
            state_json(&replay.full),
            state_json(&replay.after(all.len()))
        );
        let mut rv = ReplayView::new(replay, Vec::new());
        let ev = (0..rv.len())
            .find(|i| rv.replay.record_of_event(*i) == k)
            .unwrap_or(0);
        rv.select(ev);
        let f = rv.fork(Some(&sessions)).expect("forks");
        let mut g = Game::resumed(f.ex, f.header, f.journal, f.note, f.reads);
        let forked_id = g.session.recording.session().expect("recorded").to_owned();
        let kept = rv.records;
        for r in &all[kept..] {
            g.apply(&r.issued()).expect("recorded and applied");
        }
        let fj = store::read(&store::find(&sessions, &forked_id).expect("found")).expect("reads");
        let parent = fj.header.parent.as_ref().expect("names its parent");
        assert_eq!(
            (parent.session.as_str(), parent.at_record),
            (id.as_str(), kept as u64)
        );
        assert_eq!(
            ok_stdout(&ttx(&[
                "report",
                &forked_id,
                "--format",
                "md",
                "--data-dir",
                data
            ])),
            rec.md,
            "forked after {kept}"
        );
    }
    // The list shows the run and the forks, ended, the forks with their parent.
    let list = ok_stdout(&ttx(&["sessions", "--json", "--data-dir", data]));
    let rows: serde_json::Value = serde_json::from_str(&list).expect("json");
    let rows = rows.as_array().expect("array");
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r["ended"] == true));
    assert_eq!(rows.iter().filter(|r| r["parent"].is_string()).count(), 5);
    let table = ok_stdout(&ttx(&["sessions", "--data-dir", data]));
    assert!(
        table.contains(&id) && table.contains("ended: Contained"),
        "{table}"
    );
    let _ = std::fs::remove_dir_all(&rec.data);
}

#[test]
fn resume_needs_a_terminal_and_a_missing_session_is_named() {
    let data = scratch("latest");
    let d = data.to_str().expect("utf-8");
    let none = ttx(&["resume", "--data-dir", d]);
    assert_eq!(none.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("no unfinished session to resume"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
    let report = ttx(&["report", "nothing", "--data-dir", d]);
    assert_eq!(report.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&report.stderr).contains("no session `nothing`"));
    // An unfinished session (the facilitator paused it) with nobody holding it: resuming
    // it needs a terminal, which this test has not got.
    let script = data.join("pause.txt");
    std::fs::write(&script, "at 03:40 facilitator pause\n").expect("script");
    let run = run_dropper_script(&script, d);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let resume = ttx(&["resume", "--data-dir", d]);
    assert_eq!(resume.status.code(), Some(2), "no terminal: usage");
    assert!(String::from_utf8_lossy(&resume.stderr).contains("needs a terminal"));
    let _ = std::fs::remove_dir_all(&data);
}

/// One writer per journal: while one process plays a session, a second `resume` of it is
/// refused with a message naming the process, `resume` without a session skips it, and
/// once the first process is gone (killed, here) the session is free again and its journal
/// intact. Two real processes.
#[test]
fn a_session_played_elsewhere_is_never_resumed_twice() {
    use std::sync::mpsc;
    let data = scratch("locked");
    let d = data.to_str().expect("utf-8");
    let mut child = Process::new(env!("CARGO_BIN_EXE_ttx"))
        .args([
            "run",
            "dropper-0330",
            "--seed",
            "3",
            "--bots",
            "--pace-ms",
            "300",
            "--data-dir",
            d,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ttx starts");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    // Its first line names the session (a bounded wait for a process to start).
    let first = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("the run names its session");
    let id = first
        .strip_prefix("ttx: session ")
        .and_then(|r| r.split_whitespace().next())
        .expect("a session id")
        .to_owned();
    let pid = child.id();

    let again = ttx(&["resume", &id, "--data-dir", d]);
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "session {id} cannot be resumed here: it is open in another ttx (process {pid} since "
        )),
        "{err}"
    );
    let latest = ttx(&["resume", "--data-dir", d]);
    let err = String::from_utf8_lossy(&latest.stderr);
    assert_eq!(latest.status.code(), Some(1), "{err}");
    assert!(err.contains("1 is open in another ttx"), "{err}");

    let _ = child.kill();
    child.wait().expect("reaped");
    // The system dropped the lock with the process: the session can be resumed (this test
    // has no terminal, so it stops there) and its journal reads.
    let free = ttx(&["resume", &id, "--data-dir", d]);
    assert_eq!(
        free.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&free.stderr)
    );
    let report = ttx(&["report", &id, "--data-dir", d]);
    assert!(
        report.status.success(),
        "{}",
        String::from_utf8_lossy(&report.stderr)
    );
    let _ = std::fs::remove_dir_all(&data);
}

/// A small journal (the by-the-book script, about fifteen records) for the fuzz tests.
fn small(name: &str) -> (Vec<u8>, journal::Journal, Arc<Scenario>) {
    let rec = recorded(name);
    let bytes = std::fs::read(&rec.path).expect("read");
    let j = decode(&bytes).expect("decodes");
    let sc = store::load_scenario(&j.header).expect("scenario");
    let _ = std::fs::remove_dir_all(&rec.data);
    (bytes, j, sc)
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut v = vec![0];
    v.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i + 1),
    );
    v
}

#[test]
fn truncated_at_every_byte_recovers_exactly_the_complete_records() {
    let (bytes, whole, sc) = small("small-1");
    let starts = line_starts(&bytes);
    let header_end = starts[1];
    // The state after each prefix of the records, applied directly.
    let mut ex = Exercise::start(Arc::clone(&sc), whole.header.seed);
    let mut after = vec![state_json(&ex)];
    for r in &whole.records {
        ex.apply(&r.issued());
        after.push(state_json(&ex));
    }
    for cut in 0..=bytes.len() {
        let got = decode(&bytes[..cut]);
        if cut == 0 {
            assert_eq!(got, Err(JournalError::Empty));
            continue;
        }
        if cut < header_end {
            assert_eq!(got, Err(JournalError::TornHeader), "cut at {cut}");
            continue;
        }
        let j = got.unwrap_or_else(|e| panic!("cut at {cut}: {e}"));
        let complete = starts.iter().filter(|s| **s <= cut).count() - 2;
        assert_eq!(j.records, whole.records[..complete], "cut at {cut}");
        assert_eq!(j.torn.is_some(), !starts.contains(&cut), "cut at {cut}");
        assert_eq!(j.valid_len, starts[complete + 1] as u64);
        let f = journal::fold(Arc::clone(&sc), &j, false).expect("folds");
        assert_eq!(state_json(&f.ex), after[complete], "cut at {cut}");
    }
}

#[test]
fn flipped_bits_are_caught_and_only_a_torn_last_line_is_recovered() {
    let (bytes, whole, sc) = small("small-2");
    let starts = line_starts(&bytes);
    let last_line = starts[starts.len() - 2];
    let n = whole.records.len();
    let mut rng = Rng(0xF11B);
    let (mut errors, mut recovered) = (0, 0);
    // `TTX_FUZZ_CASES=100000` for a longer run.
    let cases: usize = std::env::var("TTX_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    for _ in 0..cases {
        let mut b = bytes.clone();
        let flips = 1 + rng.below(3);
        for _ in 0..flips {
            let at = rng.below(b.len());
            b[at] ^= 1 << rng.below(8);
        }
        // Two flips of the same bit cancel: the damage starts at the first changed byte.
        let Some(lowest) = b.iter().zip(&bytes).position(|(x, y)| x != y) else {
            continue;
        };
        match decode(&b) {
            Err(e) => {
                errors += 1;
                assert!(!e.to_string().is_empty());
            }
            Ok(j) => {
                // Never a silently different journal: the records kept are the original's,
                // and only damage in the last line may drop (only) that line; a damaged line
                // break before it is corruption, not a torn write.
                assert!(
                    lowest >= last_line,
                    "damage at {lowest} was not caught: {:?} became {:?}",
                    String::from_utf8_lossy(
                        &bytes[lowest.saturating_sub(30)..(lowest + 30).min(bytes.len())]
                    ),
                    String::from_utf8_lossy(
                        &b[lowest.saturating_sub(30)..(lowest + 30).min(b.len())]
                    )
                );
                assert_eq!(j.records, whole.records[..n - 1]);
                assert!(j.torn.is_some());
                journal::fold(Arc::clone(&sc), &j, false).expect("folds");
                recovered += 1;
            }
        }
    }
    eprintln!("{cases} mutants: {errors} errors, {recovered} torn tails recovered");
    assert!(
        errors > cases * 2 / 3 && recovered > 0,
        "{errors} errors, {recovered} recovered"
    );
}

#[test]
fn reordered_duplicated_or_oversized_lines_are_errors() {
    let (bytes, whole, _) = small("small-3");
    let text = String::from_utf8(bytes).expect("utf-8");
    let lines: Vec<&str> = text.lines().collect();
    let n = lines.len();
    let join = |v: &[&str]| v.join("\n") + "\n";
    for a in 1..n {
        for b in a + 1..n {
            let mut v = lines.clone();
            v.swap(a, b);
            let err = decode(join(&v).as_bytes()).expect_err("swapped");
            assert!(
                matches!(err, JournalError::Corrupt { record, .. } if record == a as u64),
                "swap {a} {b}: {err}"
            );
            assert!(err.to_string().contains("byte offset"), "{err}");
        }
    }
    // A record repeated, the header swapped with a record.
    let mut v = lines.clone();
    v.insert(3, lines[2]);
    assert!(matches!(
        decode(join(&v).as_bytes()),
        Err(JournalError::Corrupt { record: 3, .. })
    ));
    let mut v = lines.clone();
    v.swap(0, 1);
    assert!(matches!(
        decode(join(&v).as_bytes()),
        Err(JournalError::NotAJournal(_) | JournalError::UnknownVersion { .. })
    ));
    // A 2 MB line in the middle is corruption; at the end it is a torn write.
    let big = "x".repeat(2 * 1024 * 1024);
    let mut v = lines.clone();
    v.insert(2, &big);
    assert!(matches!(
        decode(join(&v).as_bytes()),
        Err(JournalError::Corrupt { record: 2, .. })
    ));
    let mut v = lines.clone();
    v.push(&big);
    let j = decode(join(&v).as_bytes()).expect("recovered");
    assert_eq!(j.records, whole.records);
    assert!(j.torn.is_some());
}

#[test]
fn bad_journals_through_the_binary_give_clear_errors() {
    let (bytes, whole, _) = small("small-4");
    let dir = scratch("bad");
    let write = |name: &str, b: &[u8]| {
        let p = dir.join(name);
        std::fs::write(&p, b).expect("write");
        p.to_str().expect("utf-8").to_owned()
    };
    let fails = |args: &[&str], needle: &str| {
        let o = ttx(args);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        assert_eq!(o.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains(needle), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    };
    // Oversized: a 100 MB file is refused without being read.
    let huge = dir.join("huge.jsonl");
    {
        let f = std::fs::File::create(&huge).expect("create");
        f.set_len(100 * 1024 * 1024).expect("sparse");
    }
    fails(&["report", huge.to_str().expect("utf-8")], "over the limit");
    // Another format version.
    let text = String::from_utf8(bytes.clone()).expect("utf-8");
    let v2 = write(
        "v2.jsonl",
        text.replacen("\"ttx_journal\":1", "\"ttx_journal\":2", 1)
            .as_bytes(),
    );
    fails(&["report", &v2], "format version 2");
    // A corrupt middle names the record and its offset.
    let starts = line_starts(&bytes);
    let mut b = bytes.clone();
    b[starts[3] + 5] ^= 0x10;
    let mid = write("mid.jsonl", &b);
    fails(
        &["report", &mid],
        &format!("record 3 (line 4, byte offset {})", starts[3]),
    );
    // A torn last line: a notice, and the report of the records before it.
    let torn = write("torn.jsonl", &bytes[..bytes.len() - 7]);
    let o = ttx(&["report", &torn, "--format", "json"]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(&format!(
            "notice: {torn}: the last record (record {}",
            whole.records.len()
        )),
        "{err}"
    );
    // A scenario changed since: both hashes named, --force folds with a warning.
    let mut header = whole.header.clone();
    header.content_hash ^= 0xFF;
    let mut t = encode_line(&header);
    for r in &whole.records {
        t.push_str(&encode_line(r));
    }
    let changed = write("changed.jsonl", t.as_bytes());
    let o = ttx(&["report", &changed]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        err.contains(&format!("{:#018x}", header.content_hash))
            && err.contains(&format!("{:#018x}", whole.header.content_hash))
            && err.contains("--force"),
        "{err}"
    );
    let o = ttx(&["report", &changed, "--force"]);
    assert!(o.status.success());
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("warning: scenario `dropper-0330` changed")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `/dev/full` refuses every write (ENOSPC): a journal on it fails as a full disk does.
#[cfg(target_os = "linux")]
#[test]
fn a_failed_write_applies_nothing_and_stops_the_clock() {
    use ttx::tui::app::{Setup, Sitter};
    let sc = common::scenario("dropper-0330.ron");
    let setup = Setup {
        entry: 0,
        seed: 7,
        editing_seed: None,
        turn_mode: false,
        pace: 1,
        facilitator: true,
        evaluator: false,
        name: None,
        seats: vec![Sitter::Person; sc.roles.len()],
        row: 0,
    };
    let header = Game::header_for(
        "full".into(),
        &sc,
        "bundled:dropper-0330".into(),
        7,
        &setup,
        "2026-11-28T00:00:00Z".into(),
    );
    let on_full_disk = journal::Journal {
        header: header.clone(),
        records: Vec::new(),
        torn: None,
        valid_len: 0,
    };
    // The lock of a journal beside the others; the records go to the full device.
    let lock_dir = std::env::temp_dir().join(format!("ttx-full-{}", std::process::id()));
    std::fs::create_dir_all(&lock_dir).expect("temp dir");
    let lock = store::lock_session(&lock_dir.join("full.jsonl"))
        .expect("lock file")
        .expect("free");
    let w = Writer::continue_at(Path::new("/dev/full"), &on_full_disk, lock).expect("opens");
    let ex = Exercise::start(Arc::clone(&sc), 7);
    let mut g = Game::resumed(
        ex,
        header,
        Recording::On(Box::new(w)),
        "held".into(),
        std::collections::BTreeMap::default(),
    );
    g.session.held = None;
    g.handover = false;
    assert!(g.clock_runs());
    let before = state_json(&g.session.ex);
    g.tick();
    assert_eq!(
        state_json(&g.session.ex),
        before,
        "nothing applied unrecorded"
    );
    let why = g.journal_error().expect("the failure is kept");
    assert!(why.starts_with("Not recorded"), "{why}");
    assert_eq!(
        g.console.status.as_deref(),
        Some(why.as_str()),
        "on the status line"
    );
    assert!(!g.clock_runs(), "the clock stops");
    let act = Issued::new(
        Seat::role("soc_analyst"),
        ttx::engine::Command::Act {
            action: "triage".into(),
        },
    );
    assert!(g.apply(&act).is_none());
    assert_eq!(state_json(&g.session.ex), before);
}

/// Real-time play writes a record a second (each clock tick) plus the players' and bots'
/// commands: ten minutes of the longest bundled scenario at one game minute a second, bots
/// in every seat, projected to two hours, stays well under the limit a journal is read to.
#[test]
fn real_time_play_keeps_the_journal_small() {
    use ttx::tui::app::{Setup, Sitter};
    let sc = common::scenario("bob-saas-weekend.ron");
    let dir = scratch("real-time");
    let setup = Setup {
        entry: 0,
        seed: 3,
        editing_seed: None,
        turn_mode: false,
        pace: 1,
        facilitator: false,
        evaluator: false,
        name: None,
        seats: (0..sc.roles.len())
            .map(|r| Sitter::Bot(sc.default_bot(RoleIx::try_from(r).unwrap_or_default())))
            .collect(),
        row: 0,
    };
    let header = Game::header_for(
        "real-time".into(),
        &sc,
        "bundled:bob-saas-weekend".into(),
        3,
        &setup,
        "2026-11-28T00:00:00Z".into(),
    );
    let w = Writer::create(&dir, &header).expect("created");
    let path = w.path().to_path_buf();
    let mut g = Game::recorded(
        Arc::clone(&sc),
        3,
        &setup,
        Recording::On(Box::new(w)),
        Some(header),
    );
    // The clock waits while the first briefing is open.
    assert!(!g.clock_runs());
    g.console.dialog = None;
    assert!(g.clock_runs());
    let ticks = 600;
    for _ in 0..ticks {
        g.tick();
    }
    assert!(!g.session.ex.is_over(), "still playing after {ticks} ticks");
    let header_len = std::fs::read_to_string(&path)
        .expect("read")
        .lines()
        .next()
        .map_or(0, str::len) as u64;
    let body = std::fs::metadata(&path).expect("size").len() - header_len;
    let records = store::read(&path).expect("reads").records.len();
    let two_hours = body * 7200 / ticks;
    eprintln!(
        "{ticks} ticks: {records} records, {body} bytes ({} bytes a record); projected: {} KB an hour, {} KB for two hours",
        body / records as u64,
        two_hours / 2 / 1024,
        two_hours / 1024
    );
    assert!(
        two_hours < 2 * 1024 * 1024,
        "{two_hours} bytes for two hours"
    );
    let folded = journal::fold(sc, &store::read(&path).expect("reads"), false).expect("folds");
    assert_eq!(state_json(&folded.ex), state_json(&g.session.ex));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The writer and the reader agree on every limit: a free-text inject too long for a
/// script is refused where it is written; a record too long for a journal line is never
/// written (nor applied), and the journal still reads; a complete, checksummed line over
/// the limit (written by something else) is corruption, never dropped as a torn write.
#[test]
fn writer_and_reader_agree_on_the_limits() {
    let data = scratch("limits");
    let d = data.to_str().expect("utf-8");
    let script = data.join("long.txt");
    let long = "x".repeat(ttx::engine::command::MAX_ADHOC_TEXT + 1);
    std::fs::write(
        &script,
        format!("at 03:35 facilitator inject soc_analyst \"{long}\"\n"),
    )
    .expect("script");
    let run = run_dropper_script(&script, d);
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("the text is 2001 characters long; an inject's text may be at most 2000"),
        "{err}"
    );
    assert!(only_journal(&data).is_none(), "nothing journaled");

    // Straight to the writer: a 2 MiB text.
    let sc = common::scenario("dropper-0330.ron");
    let header = Header {
        ttx_journal: journal::record::FORMAT_VERSION,
        engine: "test".into(),
        session: "limits".into(),
        scenario: sc.id.to_string(),
        content_hash: sc.content_hash,
        scenario_source: "bundled:dropper-0330".into(),
        seed: 1,
        seats: Vec::new(),
        parent: None,
        started: "2026-12-04T00:00:00Z".into(),
        pacing: None,
        name: None,
    };
    let dir = store::sessions_dir(&data);
    let mut w = Writer::create(&dir, &header).expect("created");
    let ok = Issued::facilitator(ttx::engine::Command::Pause);
    w.append(GameTime::ZERO, &ok).expect("a short record");
    let huge = Issued::facilitator(ttx::engine::Command::AdHocInject {
        to: vec![ttx::engine::RoleId::new("soc_analyst")],
        channel: ttx::engine::model::Channel::InPerson,
        from: "Facilitator".into(),
        text: "y".repeat(2 * 1024 * 1024),
        options: Vec::new(),
    });
    let e = w.append(GameTime::ZERO, &huge).expect_err("refused");
    assert!(e.to_string().contains("over the journal's limit"), "{e}");
    w.append(GameTime::ZERO, &ok)
        .expect("the next record still goes in");
    let path = w.path().to_path_buf();
    drop(w);
    let j = store::read(&path).expect("the journal reads");
    assert_eq!(j.records.len(), 2);
    assert!(j.torn.is_none());

    // A complete line over the limit, checksummed, as the last line: an error, not a tear.
    let mut bytes = std::fs::read(&path).expect("bytes");
    let fake = Record::new(3, GameTime::ZERO, &huge);
    bytes.extend_from_slice(encode_line(&fake).as_bytes());
    match decode::decode(&bytes) {
        Err(JournalError::Corrupt { record: 3, why, .. }) => {
            assert!(why.contains("over the limit"), "{why}");
        }
        other => panic!("expected corruption at record 3, got {other:?}"),
    }
    let _ = std::fs::remove_dir_all(&data);
}

/// `ttx` with a deadline: a process that does not finish within it is killed and the
/// test fails (a read that blocks on a pipe must not hang the suite).
fn ttx_within(args: &[&str], secs: u64) -> Output {
    let mut child = Process::new(env!("CARGO_BIN_EXE_ttx"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TTX_DATA_DIR")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("ttx starts");
    for _ in 0..secs * 20 {
        if child.try_wait().expect("waits").is_some() {
            return child.wait_with_output().expect("output");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("`ttx {}` was still running after {secs} s", args.join(" "));
}

/// A doctored journal names its scenario as a device, a pipe or any file: only a regular
/// `.ron` file is ever read, so `sessions`, `report` and `resume` neither read without end
/// nor block, and no diagnostic echoes another file's first line.
#[test]
fn a_journal_naming_a_device_pipe_or_other_file_is_refused() {
    let data = scratch("hostile-source");
    let d = data.to_str().expect("utf-8");
    let run = ttx(&["run", "dropper-0330", "--seed", "1", "--data-dir", d]);
    assert!(run.status.success());
    let path = only_journal(&data).expect("a journal");
    let j = store::read(&path).expect("reads");
    let fifo = data.join("evil.ron");
    let made = Process::new("mkfifo").arg(&fifo).status();
    let mut sources = vec![
        "/dev/zero".to_owned(),
        "/etc/passwd".to_owned(),
        data.join("folder.ron").display().to_string(),
    ];
    std::fs::create_dir_all(data.join("folder.ron")).expect("a folder");
    if made.is_ok_and(|s| s.success()) {
        sources.push(fifo.display().to_string());
    }
    for source in sources {
        let mut header = j.header.clone();
        header.scenario_source.clone_from(&source);
        let mut text = encode_line(&header);
        for r in &j.records {
            text.push_str(&encode_line(r));
        }
        std::fs::write(&path, text).expect("doctored");
        let id = store::id_of(&path);
        for args in [
            vec!["report", id.as_str(), "--data-dir", d],
            vec!["sessions", "--data-dir", d],
            vec!["resume", id.as_str(), "--data-dir", d],
        ] {
            let out = ttx_within(&args, 20);
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(!all.contains("root:"), "{source}: {all}");
            if args[0] == "report" {
                assert_eq!(out.status.code(), Some(1), "{source}: {all}");
                assert!(
                    all.contains("not a .ron scenario file") || all.contains("not a regular file"),
                    "{source}: {all}"
                );
            }
        }
    }
    let _ = std::fs::remove_dir_all(&data);
}

/// A pace change is journaled with the next command, so a resumed session continues at the
/// pace it was left at, not the one it started with.
#[test]
fn a_pace_change_is_journaled_with_the_next_command() {
    use ttx::tui::app::{PACES, Sitter};
    let sc = common::scenario("dropper-0330.ron");
    let (mut g, path) = recorded_game(&sc, "pace", vec![Sitter::Nobody; sc.roles.len()], true);
    g.console.dialog = None;
    g.tick();
    g.session.change_pace(true);
    g.session.change_pace(true);
    g.tick();
    g.tick();
    let j = store::read(&path).expect("reads");
    let paced: Vec<u64> = j
        .records
        .iter()
        .filter(|r| r.pacing.is_some())
        .map(|r| r.n)
        .collect();
    assert_eq!(
        paced.len(),
        1,
        "only the first record after the change: {paced:?}"
    );
    let p = j.pacing().expect("a pacing");
    assert_eq!((p.turn_mode, p.pace), (false, PACES[2]));
    assert_eq!(
        j.header.pacing.map(|p| p.pace),
        Some(1),
        "the header keeps the start"
    );
}

/// What a seat has read is journaled with the next record, and a resumed game shows it
/// read again (it came back with everything unread).
#[test]
fn read_marks_are_journaled_and_come_back_on_resume() {
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use ttx::tui::app::Sitter;
    use ttx::tui::config::Command as Key;
    let sc = common::scenario("dropper-0330.ron");
    let seats = vec![Sitter::Person, Sitter::Nobody, Sitter::Nobody];
    let (mut g, path) = recorded_game(&sc, "reads", seats, false);
    g.console.dialog = None;
    g.sync();
    g.key(
        KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
        Some(Key::Down),
    );
    let analyst = Seat::role("soc_analyst");
    let read: Vec<u32> = g.console.read[&analyst].iter().copied().collect();
    assert!(read.len() >= 2, "{read:?}");
    g.tick();
    let j = store::read(&path).expect("reads");
    let folded = journal::fold::reads(&j.records);
    assert_eq!(
        folded[&analyst].iter().copied().collect::<Vec<_>>(),
        read,
        "journaled with the tick"
    );
    let ex = Exercise::start(Arc::clone(&sc), 5);
    let g2 = Game::resumed(ex, j.header.clone(), Recording::Off, "held".into(), folded);
    for seq in &read {
        assert!(!g2.console.is_unread(*seq), "event {seq} read again");
    }
    assert!(g2.console.is_unread(9999));
}

/// A real-time game of `sc` on seed 5 with these seats, journaled into a fresh folder named
/// `name`: the game and its journal's path.
fn recorded_game(
    sc: &Arc<Scenario>,
    name: &str,
    seats: Vec<ttx::tui::app::Sitter>,
    facilitator: bool,
) -> (Game, PathBuf) {
    let dir = scratch(name);
    let setup = ttx::tui::app::Setup {
        entry: 0,
        seed: 5,
        editing_seed: None,
        turn_mode: false,
        pace: 1,
        facilitator,
        evaluator: false,
        name: None,
        seats,
        row: 0,
    };
    let header = Game::header_for(
        name.into(),
        sc,
        "bundled:dropper-0330".into(),
        5,
        &setup,
        "2026-12-07T00:00:00Z".into(),
    );
    let w = Writer::create(&dir, &header).expect("created");
    let path = w.path().to_path_buf();
    let g = Game::recorded(
        Arc::clone(sc),
        5,
        &setup,
        Recording::On(Box::new(w)),
        Some(header),
    );
    (g, path)
}
