//! The session commands: `ttx run` journaled, `ttx sessions`, `ttx resume`, `ttx replay`
//! and `ttx report SESSION`. Files and the terminal are touched here; the journal's rules
//! (format, recovery, folding) live in the journal layer.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result, anyhow, bail};
use serde::Serialize;

use crate::engine::command::Issued;
use crate::engine::event::Event;
use crate::engine::exercise::Exercise;
use crate::engine::model::{BotSpec, RoleIx, Scenario};
use crate::journal::record::{FORMAT_VERSION, Header};
use crate::journal::store::{self, Writer};
use crate::journal::{self, Journal, Replay};
use crate::sim::headless::{self, Observer};
use crate::sim::script::Step;
use crate::tui::App;
use crate::tui::app::{Game, Recording, Screen};
use crate::tui::config::Command as Key;
use crate::tui::replay::ReplayView;

use super::{Look, ReportFormat, RunOpts, farewell, have_terminal};

/// Records each command of a headless run before it is applied, and with `--pace-ms`
/// shows its events as they happen, then waits. A run that shows nothing until it is over
/// keeps its records and flushes them all once, before anything is printed: durable before
/// shown, without a disk flush per command (≈ 10 ms each on a real disk).
struct RunObserver {
    writer: Option<Writer>,
    streaming: bool,
    pace: Option<std::time::Duration>,
    /// Records not yet written (only when nothing is shown before the end).
    pending: Vec<crate::journal::record::Record>,
}

impl RunObserver {
    /// True when each record must reach the disk before its command is applied.
    fn per_command(&self) -> bool {
        self.streaming || self.pace.is_some()
    }

    /// Writes the records kept back, with one flush.
    fn flush(&mut self) -> Result<()> {
        if let Some(w) = &mut self.writer
            && !self.pending.is_empty()
        {
            w.append_all(&self.pending)
                .with_context(|| format!("cannot write the journal {}", w.path().display()))?;
            self.pending.clear();
        }
        Ok(())
    }
}

impl Observer for RunObserver {
    type Error = anyhow::Error;

    fn before(&mut self, ex: &Exercise, issued: &Issued) -> Result<()> {
        let per_command = self.per_command();
        if let Some(w) = &mut self.writer {
            if !per_command {
                // Numbered when written.
                self.pending
                    .push(crate::journal::record::Record::new(0, ex.now(), issued));
                return Ok(());
            }
            w.append(ex.now(), issued).with_context(|| {
                format!(
                    "cannot write the journal {}; the run stops before the command it could not record",
                    w.path().display()
                )
            })?;
        }
        Ok(())
    }

    fn after(&mut self, ex: &Exercise, new_events: &[Event]) {
        if self.streaming {
            let sc = ex.scenario();
            let mut out = std::io::stdout().lock();
            for e in new_events {
                let _ = out.write_all(headless::transcript_line(sc, e).as_bytes());
            }
            let _ = out.flush();
        }
        if let Some(p) = self.pace {
            std::thread::sleep(p);
        }
    }
}

/// `ttx run`: the headless run, journaled unless `--no-journal`.
pub(super) fn run_journaled(
    sc: &Arc<Scenario>,
    file: Option<&Path>,
    seed: u64,
    steps: &[Step],
    bots: &[(RoleIx, BotSpec)],
    opts: &RunOpts<'_>,
    streaming: bool,
) -> Result<Exercise> {
    let mut obs = RunObserver {
        writer: None,
        streaming,
        pace: opts.pace_ms.map(std::time::Duration::from_millis),
        pending: Vec::new(),
    };
    if let Some(dir) = &opts.journal {
        let header = Header {
            ttx_journal: FORMAT_VERSION,
            engine: env!("CARGO_PKG_VERSION").to_owned(),
            session: store::new_session_id(sc.id.as_str()),
            scenario: sc.id.to_string(),
            content_hash: sc.content_hash,
            scenario_source: store::source_of(sc, file),
            seed,
            seats: headless::seating(sc, steps, bots).records(sc),
            parent: None,
            started: store::now_rfc3339(),
            pacing: None,
            name: None,
        };
        let w = Writer::create(dir, &header).with_context(|| {
            format!(
                "cannot create a journal in {} (--no-journal runs without one)",
                dir.display()
            )
        })?;
        eprintln!("ttx: session {} ({})", header.session, w.path().display());
        obs.writer = Some(w);
    }
    let ex = headless::run_observed(Arc::clone(sc), seed, steps, bots, &mut obs)?;
    obs.flush()?;
    Ok(ex)
}

/// A journal read, its scenario loaded and its commands folded.
pub(super) struct Opened {
    pub path: PathBuf,
    pub journal: Journal,
    pub scenario: Arc<Scenario>,
}

fn open(dir: &Path, session: &str) -> Result<Opened> {
    let path = store::find(dir, session)?;
    let journal = store::read(&path)?;
    if let Some(t) = &journal.torn {
        eprintln!(
            "ttx: notice: {}: {}",
            crate::untrusted::one_line(&path.display().to_string()),
            crate::untrusted::terminal(&t.to_string())
        );
    }
    let scenario = store::load_scenario(&journal.header)?;
    Ok(Opened {
        path,
        journal,
        scenario,
    })
}

fn fold(o: &Opened, force: bool) -> Result<Exercise> {
    let folded = journal::fold(Arc::clone(&o.scenario), &o.journal, force)
        .map_err(|e| anyhow!("{}: {e}", o.path.display()))?;
    for w in &folded.warnings {
        eprintln!("ttx: warning: {}", crate::untrusted::terminal(w));
    }
    Ok(folded.ex)
}

/// One row of `ttx sessions`.
#[derive(Serialize)]
struct Row {
    id: String,
    path: String,
    scenario: Option<String>,
    seed: Option<u64>,
    started: Option<String>,
    /// When the journal was last written (wall clock, RFC 3339).
    last_activity: Option<String>,
    /// The game time after the last record (`Sat 04:12`).
    game_time: Option<String>,
    records: Option<usize>,
    ended: Option<bool>,
    ending: Option<String>,
    parent: Option<String>,
    /// Why the session cannot be folded, or what was recovered.
    note: Option<String>,
    #[serde(skip)]
    modified: Option<std::time::SystemTime>,
}

fn ending_of(ex: &Exercise) -> Option<String> {
    let sc = ex.scenario();
    ex.events()
        .iter()
        .rev()
        .find_map(|e| e.kind.ended_title(sc).map(str::to_owned))
}

fn row(path: &Path) -> Row {
    let modified = store::modified(path);
    let mut r = Row {
        id: store::id_of(path),
        path: path.display().to_string(),
        scenario: None,
        seed: None,
        started: None,
        last_activity: modified.map(store::rfc3339),
        game_time: None,
        records: None,
        ended: None,
        ending: None,
        parent: None,
        note: None,
        modified,
    };
    let j = match store::read(path) {
        Ok(j) => j,
        Err(e) => {
            r.note = Some(format!("{e:#}"));
            return r;
        }
    };
    r.scenario = Some(j.header.scenario.clone());
    r.seed = Some(j.header.seed);
    r.started = Some(j.header.started.clone());
    r.records = Some(j.records.len());
    r.parent = j
        .header
        .parent
        .as_ref()
        .map(|p| format!("{} after record {}", p.session, p.at_record));
    if let Some(held) = store::held(path) {
        r.note = Some(held.to_string());
    } else if j.torn.is_some() {
        r.note = Some("last record torn by an interrupted write (recoverable)".into());
    }
    let folded = store::load_scenario(&j.header)
        .and_then(|sc| journal::fold(sc, &j, false).map_err(anyhow::Error::from));
    match folded {
        Ok(f) => {
            let sc = f.ex.scenario();
            r.game_time = Some(sc.start.clock(f.ex.now()).to_string());
            r.ended = Some(f.ex.is_over());
            r.ending = ending_of(&f.ex);
        }
        Err(e) => r.note = Some(format!("{e:#}")),
    }
    r
}

fn rows(dir: &Path) -> Vec<Row> {
    let mut v: Vec<Row> = store::files(dir).iter().map(|p| row(p)).collect();
    // Most recent activity first.
    v.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| b.id.cmp(&a.id)));
    v
}

/// `ttx sessions`.
pub(super) fn list(dir: &Path, json: bool) -> Result<ExitCode> {
    let rows = rows(dir);
    if json {
        super::json_out(&rows)?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    if rows.is_empty() {
        writeln!(out, "No sessions in {}.", dir.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    // Dates come from the journal: made safe before they are cut.
    let short = |s: &Option<String>| {
        s.as_deref().map_or("?".to_owned(), |t| {
            crate::untrusted::one_line(t)
                .replace('T', " ")
                .trim_end_matches('Z')
                .chars()
                .take(16)
                .collect()
        })
    };
    let id_w = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let sc_w = rows
        .iter()
        .map(|r| r.scenario.as_deref().map_or(1, str::len))
        .max()
        .unwrap_or(8)
        .max(8);
    writeln!(
        out,
        "{:<id_w$}  {:<sc_w$}  {:>6}  {:<16}  {:<16}  {:<9}  {:>7}  STATUS",
        "ID", "SCENARIO", "SEED", "STARTED (UTC)", "LAST ACTIVITY", "GAME TIME", "RECORDS"
    )?;
    for r in &rows {
        let status = match (r.ended, &r.ending) {
            (Some(true), Some(e)) => format!("ended: {e}"),
            (Some(true), None) => "ended".to_owned(),
            (Some(false), _) => "unfinished".to_owned(),
            (None, _) => "cannot be read".to_owned(),
        };
        let status = match &r.note {
            Some(n) => format!("{status} ({n})"),
            None => status,
        };
        let status = match &r.parent {
            Some(p) => format!("{status}; forked from {p}"),
            None => status,
        };
        let status = crate::untrusted::one_line(&status);
        writeln!(
            out,
            "{:<id_w$}  {:<sc_w$}  {:>6}  {:<16}  {:<16}  {:<9}  {:>7}  {status}",
            crate::untrusted::one_line(&r.id),
            crate::untrusted::one_line(r.scenario.as_deref().unwrap_or("?")),
            r.seed.map_or("?".into(), |s| s.to_string()),
            short(&r.started),
            short(&r.last_activity),
            r.game_time.as_deref().unwrap_or("?"),
            r.records.map_or("?".into(), |n| n.to_string()),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The most recently active session that has not ended and that no other process is
/// playing.
fn latest_unfinished(dir: &Path) -> Result<String> {
    let mut busy = 0;
    for (i, r) in rows(dir)
        .into_iter()
        .filter(|r| r.ended == Some(false))
        .enumerate()
    {
        // The most recent one may be a game whose terminal was closed a moment ago.
        let grace = if i == 0 {
            store::LOCK_GRACE
        } else {
            std::time::Duration::ZERO
        };
        if store::held_within(Path::new(&r.path), grace).is_some() {
            busy += 1;
            continue;
        }
        return Ok(r.path);
    }
    let others = match busy {
        0 => String::new(),
        1 => "; 1 is open in another ttx".to_owned(),
        n => format!("; {n} are open in other ttx processes"),
    };
    bail!(
        "no unfinished session to resume in {}{others} (`ttx sessions` lists them all)",
        dir.display()
    )
}

/// Takes the lock of a session before anything reads its journal to continue it.
pub(super) fn lock(dir: &Path, session: &str) -> Result<(PathBuf, store::SessionLock)> {
    let path = store::find(dir, session)?;
    let lock = store::lock_session_within(&path, store::LOCK_GRACE)
        .with_context(|| format!("cannot lock the session {}", path.display()))?;
    match lock {
        Ok(l) => Ok((path, l)),
        Err(held) => bail!(
            "session {} cannot be resumed here: {held}; quit it there first (`ttx replay {0}` steps through it meanwhile)",
            store::id_of(&path)
        ),
    }
}

fn app_for(look: &Look<'_>, dir: &Path) -> Result<App> {
    let (theme, keys) = look.load()?;
    let mut app = App::new(Vec::new(), theme, keys);
    app.journal_dir = Some(dir.to_path_buf());
    Ok(app)
}

/// `ttx resume`.
/// A recorded session opened to go on: its exercise as folded from the journal, the
/// journal, a writer that continues it, and the note a held session shows.
pub(super) struct Reopened {
    pub ex: Exercise,
    pub opened: Opened,
    pub writer: Writer,
    pub note: String,
}

/// Opens the session whose journal is `path` (its lock held) to go on where it left off.
pub(super) fn reopen(
    dir: &Path,
    path: &Path,
    held_lock: store::SessionLock,
    force: bool,
    pause_key: &str,
) -> Result<Reopened> {
    let mut o = open(dir, &path.display().to_string())?;
    let ex = fold(&o, force)?;
    // Continue at the pacing it was left at, not the one it started with.
    o.journal.header.pacing = o.journal.pacing();
    if ex.is_over() {
        bail!(
            "session {} has ended ({}); `ttx replay {0}` steps through it and forks a new one from any point",
            o.journal.header.session,
            ending_of(&ex).unwrap_or_else(|| "no ending".into())
        );
    }
    // When it was last written, before a torn tail is cut off (which touches the file).
    let last = store::modified(&o.path)
        .map(|t| {
            let at: String = store::rfc3339(t)
                .replace('T', " ")
                .chars()
                .take(16)
                .collect();
            format!(" (saved {at} UTC)")
        })
        .unwrap_or_default();
    let writer = Writer::continue_at(&o.path, &o.journal, held_lock)
        .with_context(|| format!("cannot continue the journal {}", o.path.display()))?;
    let clock = ex.scenario().start.clock(ex.now()).to_string();
    let mut note =
        crate::tui::text::resumed_note(&clock, o.journal.records.len() as u64, &last, pause_key);
    if o.journal.torn.is_some() {
        note.push_str(" Its last command was cut short by an interrupted write and dropped.");
    }
    Ok(Reopened {
        ex,
        opened: o,
        writer,
        note,
    })
}

pub(super) fn resume(
    dir: &Path,
    session: Option<&str>,
    force: bool,
    look: &Look<'_>,
) -> Result<ExitCode> {
    let mut app = app_for(look, dir)?;
    let session = match session {
        Some(s) => s.to_owned(),
        None => latest_unfinished(dir)?,
    };
    // The lock first: a session played in another terminal is refused before anything
    // reads (or would cut) its journal.
    let (path, held_lock) = lock(dir, &session)?;
    if !have_terminal() {
        return Ok(ExitCode::from(2));
    }
    let r = reopen(dir, &path, held_lock, force, &app.keys.first(Key::Pause))?;
    let mut g = Game::resumed(
        r.ex,
        r.opened.journal.header.clone(),
        Recording::On(Box::new(r.writer)),
        r.note,
        crate::journal::fold::reads(&r.opened.journal.records),
    );
    g.console.keys_hint = app.keys.first(Key::NextEvent);
    g.sync();
    app.screen = Screen::Game(Box::new(g));
    let app = crate::tui::run::run(app).context("the terminal failed")?;
    farewell(&app);
    Ok(ExitCode::SUCCESS)
}

/// `ttx replay`.
pub(super) fn replay(dir: &Path, session: &str, force: bool, look: &Look<'_>) -> Result<ExitCode> {
    let mut app = app_for(look, dir)?;
    if !have_terminal() {
        return Ok(ExitCode::from(2));
    }
    let o = open(dir, session)?;
    let replay = Replay::new(Arc::clone(&o.scenario), &o.journal, force)
        .map_err(|e| anyhow!("{}: {e}", o.path.display()))?;
    let mut notices = replay.warnings.clone();
    if let Some(t) = &o.journal.torn {
        notices.push(format!("Recovered: {t}."));
    }
    let mut rv = ReplayView::new(replay, notices);
    rv.pause_key = app.keys.first(Key::Pause);
    app.screen = Screen::Replay(Box::new(rv));
    let app = crate::tui::run::run(app).context("the terminal failed")?;
    farewell(&app);
    Ok(ExitCode::SUCCESS)
}

/// `ttx report SESSION`.
pub(super) fn report(
    dir: &Path,
    session: &str,
    format: ReportFormat,
    out: Option<&Path>,
    date: Option<String>,
    force: bool,
) -> Result<ExitCode> {
    let o = open(dir, session)?;
    let ex = fold(&o, force)?;
    let mut input = crate::session::debrief::report_input(
        &o.scenario,
        &crate::session::Seating::from_header(&o.scenario, &o.journal.header),
        o.journal.header.seed,
        date,
    );
    input.participants = crate::journal::fold::participants(&o.journal.records);
    input.session_name.clone_from(&o.journal.header.name);
    let r = crate::report::build(ex.scenario(), ex.state(), &input);
    let text = crate::report::render(&r, format.into());
    match out {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `ttx explain --session`: the session folded record by record, watched, then explained
/// like a run (its bots as its header seated them).
pub(super) fn explain(dir: &Path, session: &str, force: bool) -> Result<ExitCode> {
    let o = open(dir, session)?;
    let mut watch = crate::sim::explain::Watch::new(&o.scenario);
    let folded = journal::fold::fold_watched(
        Arc::clone(&o.scenario),
        &o.journal,
        force,
        &mut |ex, events| watch.look(ex, events),
    )
    .map_err(|e| anyhow!("{}: {e}", o.path.display()))?;
    for w in &folded.warnings {
        eprintln!("ttx: warning: {}", crate::untrusted::terminal(w));
    }
    let seats = crate::session::Seating::from_header(&o.scenario, &o.journal.header).bots();
    print!(
        "{}",
        crate::untrusted::terminal(&crate::sim::explain::explain(&folded.ex, &watch, &seats))
    );
    Ok(ExitCode::SUCCESS)
}
