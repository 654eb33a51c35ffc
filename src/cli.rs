//! The command line: argument parsing and dispatch to the library. Files and the terminal
//! are touched here, at the edge; the engine below never sees them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::Parser;

mod args;
mod author;
mod bench;
mod handout;
mod host;
mod runs;
mod sessions;

use crate::scenario::{self, Loaded, bundled, render_all};
use crate::sim::{headless, script, simulate};
use crate::tui::config::{KeyMap, Theme};
use crate::tui::{App, Entry};
use crate::untrusted;

pub use args::{Cli, Cmd, DataOpts, GraphFormat, MselCmd, ReportFormat, Template, TermOpts};

/// What `ttx run` does besides playing the scenario.
pub(crate) struct RunOpts<'a> {
    /// Bots in every role the script does not play.
    bots: bool,
    overrides: &'a [String],
    report: Option<(ReportFormat, Option<String>)>,
    out: Option<&'a Path>,
    /// The sessions folder to journal into (`None`: `--no-journal`).
    journal: Option<PathBuf>,
    pace_ms: Option<u64>,
}

/// Runs the command line; the exit code follows `ttx check`'s contract (0 valid, 1
/// diagnostics, 2 usage).
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match dispatch(cli) {
        Ok(code) => code,
        // A reader that stopped reading (`ttx sessions | head`) is not an error of ours.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", untrusted::terminal(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// A JSON value, pretty, for standard output: no raw control or bidirectional characters.
fn json_out(value: &impl serde::Serialize) -> Result<()> {
    let text = untrusted::json(serde_json::to_string_pretty(value)?);
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    writeln!(out)?;
    Ok(())
}

/// The sessions folder of this invocation.
fn sessions_dir(data: &DataOpts) -> Result<PathBuf> {
    Ok(crate::journal::store::sessions_dir(
        &crate::journal::store::data_dir(data.data_dir.as_deref())?,
    ))
}

/// Options written before the command (`ttx --data-dir D sessions`) count as the
/// command's own, where the command has them; elsewhere they are refused.
fn top_options(cli: &mut Cli) -> Result<()> {
    let (top_term, top_data) = (cli.term.clone(), cli.data.clone());
    let sub = cli.command.is_some();
    let (term, data) = cli.command.as_mut().map_or((None, None), Cmd::shared_opts);
    if sub && (top_term.theme.is_some() || top_term.keys.is_some()) {
        let Some(term) = term else {
            bail!(
                "--theme and --keys are for the commands that draw the game: play, resume, replay"
            )
        };
        term.theme = term.theme.take().or(top_term.theme);
        term.keys = term.keys.take().or(top_term.keys);
    }
    if let Some(dir) = top_data.data_dir.filter(|_| sub) {
        let Some(data) = data else {
            bail!(
                "--data-dir is for the commands that keep or read sessions: play, host, run, sessions, resume, replay, report"
            )
        };
        data.data_dir = data.data_dir.take().or(Some(dir));
    }
    Ok(())
}

fn dispatch(mut cli: Cli) -> Result<ExitCode> {
    top_options(&mut cli)?;
    match cli.command {
        None => play(
            (None, None, None),
            &Look::of(&cli.term),
            Some(sessions_dir(&cli.data)?),
            false,
        ),
        Some(Cmd::Play {
            scenario,
            seed,
            no_journal,
            session_name,
            watch,
            term,
            data,
        }) => {
            let dir = if no_journal || watch {
                None
            } else {
                Some(sessions_dir(&data)?)
            };
            play(
                (scenario.as_deref(), seed, session_name),
                &Look::of(&term),
                dir,
                watch,
            )
        }
        Some(Cmd::Handout(opts)) => handout::run(&opts),
        Some(Cmd::Host(opts)) => host::host(
            &opts,
            &crate::journal::store::data_dir(opts.data.data_dir.as_deref())?,
            if opts.no_journal {
                None
            } else {
                Some(sessions_dir(&opts.data)?)
            },
        ),
        Some(Cmd::Msel(cmd)) => msel(&cmd),
        Some(Cmd::Graph {
            scenario,
            format,
            out,
        }) => graph(&scenario, format, out.as_deref()),
        Some(Cmd::New {
            name,
            template,
            out,
        }) => new_scenario(&name, template, out),
        Some(Cmd::Check { files, watch }) => Ok(if watch {
            author::check_watch(&files)
        } else {
            check(&files)
        }),
        Some(cmd @ Cmd::Explain { .. }) => author::explain(cmd),
        Some(Cmd::Lint {
            scenarios,
            plays,
            seed,
            json,
        }) => Ok(author::lint(&scenarios, plays, seed, json)),
        Some(Cmd::List) => match list() {
            // `ttx list | head` closing the pipe early is not an error.
            Err(e)
                if e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) =>
            {
                Ok(ExitCode::SUCCESS)
            }
            other => other.map(|()| ExitCode::SUCCESS),
        },
        Some(Cmd::Run {
            scenario,
            seed,
            script,
            bots,
            bot,
            report,
            out,
            date,
            no_journal,
            pace_ms,
            data,
        }) => runs::run(
            &scenario,
            seed,
            script.as_deref(),
            &RunOpts {
                bots: bots || !bot.is_empty(),
                overrides: &bot,
                report: report.map(|f| (f, date)),
                out: out.as_deref(),
                journal: if no_journal {
                    None
                } else {
                    Some(sessions_dir(&data)?)
                },
                pace_ms,
            },
        ),
        Some(Cmd::Sessions { json, data }) => sessions::list(&sessions_dir(&data)?, json),
        Some(Cmd::Resume {
            session,
            force,
            term,
            data,
        }) => sessions::resume(
            &sessions_dir(&data)?,
            session.as_deref(),
            force,
            &Look::of(&term),
        ),
        Some(Cmd::Replay {
            session,
            force,
            term,
            data,
        }) => sessions::replay(&sessions_dir(&data)?, &session, force, &Look::of(&term)),
        Some(Cmd::Report {
            session,
            format,
            out,
            date,
            force,
            data,
        }) => sessions::report(
            &sessions_dir(&data)?,
            &session,
            format,
            out.as_deref(),
            date,
            force,
        ),
        Some(Cmd::Simulate {
            scenario,
            runs,
            seed,
            bot,
            coverage,
            threads,
            json,
        }) => runs::simulate(&scenario, (runs, seed), &bot, threads, (json, coverage)),
        Some(Cmd::Bench {
            nodes,
            steps,
            threads,
            dir,
            json,
        }) => bench::run(nodes, steps, threads, dir.as_deref(), json),
    }
}

/// `ttx new`: a skeleton scenario from a template, checked before it is written.
fn new_scenario(name: &str, template: Template, out: Option<PathBuf>) -> Result<ExitCode> {
    let title = untrusted::one_line(name.trim()).into_owned();
    let mut id = String::new();
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.is_empty() && !id.ends_with('-') {
            id.push('-');
        }
    }
    let id = id
        .trim_end_matches('-')
        .chars()
        .take(60)
        .collect::<String>();
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        bail!(
            "give the scenario a name that starts with a letter (it makes the id and the file name)"
        );
    }
    let skeleton = match template {
        Template::Seam => include_str!("../assets/templates/seam.ron"),
        Template::Minimal => include_str!("../assets/templates/minimal.ron"),
    };
    let text = skeleton
        .replace("{{ID}}", &id)
        .replace("{{TITLE}}", &title.replace(['"', '\\'], ""));
    let path = out.unwrap_or_else(|| PathBuf::from(format!("{id}.ron")));
    if path.exists() {
        bail!(
            "{} exists already: ttx new never overwrites a file",
            path.display()
        );
    }
    compile(&path.display().to_string(), &text)?;
    std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "{}: a new scenario \"{title}\" (check it with `ttx check {0}`, play it with `ttx play {0}`)",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `ttx graph`.
fn graph(scenario: &str, format: GraphFormat, out: Option<&Path>) -> Result<ExitCode> {
    let sc = resolve(scenario)?.scenario;
    let text = match format {
        GraphFormat::Dot => crate::report::graph::dot(&sc),
        GraphFormat::Mermaid => crate::report::graph::mermaid(&sc),
        GraphFormat::Svg => crate::report::graph::svg(&sc),
    };
    match out {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

/// `ttx msel export` and `ttx msel import`.
fn msel(cmd: &MselCmd) -> Result<ExitCode> {
    let (text, out) = match cmd {
        MselCmd::Export { scenario, out } => {
            (scenario::msel::export(&resolve(scenario)?.scenario), out)
        }
        MselCmd::Import { file, out } => {
            let text = scenario::read_text_capped(file, 16 * 1024 * 1024)
                .with_context(|| format!("cannot read {}", file.display()))?;
            match scenario::msel::import(&file.display().to_string(), &text) {
                Ok(ron) => (ron, out),
                Err(d) => {
                    eprint!("{}", render_all(&d));
                    return Ok(ExitCode::from(1));
                }
            }
        }
    };
    match out {
        Some(p) => {
            std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => std::io::stdout().lock().write_all(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn check(files: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for f in files {
        match scenario::load_file(f) {
            Ok(Loaded { scenario, warnings }) => {
                if !warnings.is_empty() {
                    eprint!("{}", render_all(&warnings));
                }
                println!(
                    "ok: {} ({})",
                    untrusted::one_line(&f.display().to_string()),
                    untrusted::one_line(&scenario.title)
                );
            }
            Err(e) => {
                failed = true;
                eprint!("{}", render_all(&e.diagnostics));
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn local_scenarios(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    v.sort();
    v
}

/// Every scenario on offer: the bundled ones, then those in `./scenarios` that differ
/// from them, with the diagnostics of any file that did not load.
pub fn catalog() -> (Vec<Entry>, Vec<String>) {
    let mut rows: Vec<Entry> = Vec::new();
    let mut problems = Vec::new();
    for b in bundled::ALL {
        match scenario::load_str(b.file, b.text) {
            Ok(l) => rows.push(Entry {
                source: "bundled".into(),
                scenario: l.scenario,
            }),
            Err(e) => problems.push(render_all(&e.diagnostics)),
        }
    }
    for p in local_scenarios(Path::new("scenarios")) {
        match scenario::load_file(&p) {
            Ok(l) => {
                // A copy of a bundled scenario in ./scenarios is the same one.
                let dup = rows.iter().any(|r| {
                    r.scenario.id == l.scenario.id
                        && r.scenario.content_hash == l.scenario.content_hash
                });
                if !dup {
                    rows.push(Entry {
                        source: p.display().to_string(),
                        scenario: l.scenario,
                    });
                }
            }
            Err(e) => problems.push(render_all(&e.diagnostics)),
        }
    }
    (rows, problems)
}

fn list() -> Result<()> {
    let (rows, problems) = catalog();
    let mut out = std::io::stdout().lock();
    for r in &rows {
        let s = &r.scenario;
        let minutes = s.end.minutes();
        let roles: Vec<&str> = s.roles.iter().map(|r| r.id.as_str()).collect();
        writeln!(
            out,
            "{:<22} {}  [{}, {} to {}, {}h{:02}]",
            s.id.as_str(),
            untrusted::one_line(&s.title),
            untrusted::one_line(&r.source),
            s.start.clock(crate::engine::GameTime::ZERO),
            s.start.clock(s.end),
            minutes / 60,
            minutes % 60
        )?;
        writeln!(out, "{:<22} {}", "", untrusted::one_line(&s.summary))?;
        writeln!(out, "{:<22} roles: {}", "", roles.join(", "))?;
    }
    for p in problems {
        eprint!("{p}");
    }
    Ok(())
}

/// A thread count: 1 to 256 (a larger one is refused here rather than failing to spawn).
fn parse_threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=256) => Ok(n),
        Ok(_) => Err("give 1 to 256 threads".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// A benchmark graph's size: 1 to 1,000,000 nodes (about 420 bytes of scenario each).
fn parse_nodes(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n @ 1..=1_000_000) => Ok(n),
        Ok(_) => Err("give 1 to 1,000,000 nodes".into()),
        Err(e) => Err(e.to_string()),
    }
}

/// The largest theme or key map file ttx reads.
const SMALL_FILE_BYTES: u64 = 1024 * 1024;

fn load_theme(theme: Option<&str>) -> Result<Theme> {
    if let Some(name) = theme {
        if let Some(t) = Theme::builtin(name) {
            return Ok(t);
        }
        let text = scenario::read_text_capped(Path::new(name), SMALL_FILE_BYTES).with_context(|| {
            format!(
                "`{name}` is neither a built-in theme (default, high-contrast) nor a readable file"
            )
        })?;
        return Theme::parse(name, &text)
            .map_err(|d| anyhow::anyhow!("{}", render_all(&d).trim_end()));
    }
    if std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()) {
        return Ok(Theme::monochrome());
    }
    Ok(Theme::builtin("default").unwrap_or_else(Theme::monochrome))
}

fn load_keys(keys: Option<&Path>) -> Result<KeyMap> {
    let Some(p) = keys else {
        return Ok(KeyMap::default_map());
    };
    let text = scenario::read_text_capped(p, SMALL_FILE_BYTES)
        .with_context(|| format!("cannot read the key map {}", p.display()))?;
    KeyMap::parse(&p.display().to_string(), &text)
        .map_err(|d| anyhow::anyhow!("{}", render_all(&d).trim_end()))
}

/// The terminal's look: theme and key map options.
pub(crate) struct Look<'a> {
    theme: Option<&'a str>,
    keys: Option<&'a Path>,
}

impl Look<'_> {
    fn of(t: &TermOpts) -> Look<'_> {
        Look {
            theme: t.theme.as_deref(),
            keys: t.keys.as_deref(),
        }
    }

    fn load(&self) -> Result<(Theme, KeyMap)> {
        Ok((load_theme(self.theme)?, load_keys(self.keys)?))
    }
}

/// False (after saying why) when standard output is not a terminal.
fn have_terminal() -> bool {
    use std::io::IsTerminal as _;
    if std::io::stdout().is_terminal() {
        return true;
    }
    eprintln!(
        "ttx: the game needs a terminal. For a headless run use `ttx run SCENARIO --seed N`; `ttx --help` lists every command."
    );
    false
}

/// After the terminal is restored: how to come back to the session that was on screen.
fn farewell(app: &App) {
    let crate::tui::app::Screen::Game(g) = &app.screen else {
        return;
    };
    let sc = g.session.ex.scenario();
    let seed = g.session.ex.state().seed;
    let at = sc.start.clock(g.session.ex.now());
    let handle = g
        .session
        .recording
        .handle()
        .map(|h| untrusted::one_line(&h).into_owned());
    match handle.as_deref() {
        Some(id) if !g.session.ex.is_over() => println!(
            "ttx: {} at {at}, seed {seed}. Session {id} is saved; carry on with: ttx resume {id}",
            untrusted::one_line(&sc.title)
        ),
        Some(id) => println!(
            "ttx: {} ended at {at}, seed {seed}. Session {id}; its report: ttx report {id}",
            untrusted::one_line(&sc.title)
        ),
        None => println!(
            "ttx: {} at {at}, seed {seed}. Play it again with: ttx play {} --seed {seed}",
            untrusted::one_line(&sc.title),
            sc.id
        ),
    }
}

fn play(
    (scenario, seed, session_name): (Option<&str>, Option<u64>, Option<String>),
    look: &Look<'_>,
    journal: Option<PathBuf>,
    watch: bool,
) -> Result<ExitCode> {
    let (theme, keys) = look.load()?;
    if !have_terminal() {
        return Ok(ExitCode::from(2));
    }
    let (mut entries, problems) = catalog();
    let mut app_entry = None;
    if let Some(name) = scenario {
        let loaded = resolve(name)?;
        let pos = entries.iter().position(|e| {
            e.scenario.id == loaded.scenario.id
                && e.scenario.content_hash == loaded.scenario.content_hash
        });
        app_entry = Some(pos.unwrap_or_else(|| {
            entries.push(Entry {
                source: name.to_owned(),
                scenario: loaded.scenario,
            });
            entries.len() - 1
        }));
    }
    let mut app = App::new(entries, theme, keys);
    app.problems = problems;
    app.journal_dir = journal;
    app.session_name = session_name.map(|n| untrusted::one_line(&n).into_owned());
    if let Some(i) = app_entry {
        app.setup(i, seed.unwrap_or_else(crate::tui::run::fresh_seed));
        if watch {
            let Some(path) = scenario.map(Path::new).filter(|p| p.exists()) else {
                bail!("--watch follows a scenario file: give the path of a .ron file");
            };
            app.watch = Some((i, path.to_path_buf()));
        }
    }
    let app = crate::tui::run::run(app).context("the terminal failed")?;
    farewell(&app);
    Ok(ExitCode::SUCCESS)
}

/// Finds a scenario by path, or by the id of a bundled one.
pub fn resolve(name: &str) -> Result<Loaded> {
    let (file, text) = resolve_text(name)?;
    compile(&file, &text)
}

fn compile(file: &str, text: &str) -> Result<Loaded> {
    scenario::load_str(file, text)
        .map_err(|e| anyhow::anyhow!("{}", render_all(&e.diagnostics).trim_end()))
}

/// The file name and text a scenario name stands for: a file, else a bundled scenario.
pub(crate) fn resolve_text(name: &str) -> Result<(String, std::borrow::Cow<'static, str>)> {
    let path = Path::new(name);
    if path.exists() {
        let text = scenario::read_file(path)
            .map_err(|e| anyhow::anyhow!("{}", render_all(&e.diagnostics).trim_end()))?;
        Ok((path.display().to_string(), text.into()))
    } else if let Some(b) = bundled::find(name) {
        Ok((b.file.to_owned(), b.text.into()))
    } else {
        let known: Vec<&str> = bundled::ALL
            .iter()
            .map(|b| b.file.strip_suffix(".ron").unwrap_or(b.file))
            .collect();
        bail!(
            "no scenario file or bundled scenario named `{name}` (bundled: {})",
            known.join(", ")
        )
    }
}
