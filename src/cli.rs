//! The command line: argument parsing and dispatch to the library. Files and the terminal
//! are touched here, at the edge; the engine below never sees them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

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

#[derive(Parser, Debug)]
#[command(
    name = "ttx",
    version,
    about = "Tabletop exercises for incident management and incident response teams",
    long_about = "ttx plays scripted, seeded incident scenarios in which the business side (incident \
management) and the SOC/MSSP side (incident response) must work together across the \
commercial boundary."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// Colour theme for the game: `default`, `high-contrast`, or a theme file (.ron).
    /// `NO_COLOR` is honoured when no theme is given.
    #[arg(long, global = true)]
    pub theme: Option<String>,
    /// A key map file (.ron) to use instead of the built-in keys.
    #[arg(long, global = true)]
    pub keys: Option<PathBuf>,
    /// Where session journals are kept (default: `$TTX_DATA_DIR`, else
    /// `$XDG_DATA_HOME/ttx`, else `~/.local/share/ttx`); sessions go in its `sessions` folder.
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Play an exercise in the terminal (the default when ttx is run without a command).
    Play {
        /// A bundled scenario id or a path to a .ron file; without one, the launcher opens.
        scenario: Option<String>,
        /// The seed (random by default, and always shown).
        #[arg(long)]
        seed: Option<u64>,
        /// Do not keep a journal of the session (it cannot be resumed or replayed).
        #[arg(long)]
        no_journal: bool,
    },
    /// Host a session that participants join over SSH from their own terminals, with
    /// nothing to install: prints a join code and command per seat, then runs the
    /// facilitator's console here.
    Host(host::HostOpts),
    /// A participant's packet (`--role ROLE`) or the facilitator's situation manual
    /// (`--facilitator`), in Markdown or print-ready HTML, made from the scenario alone.
    Handout(handout::HandoutOpts),
    /// Check scenario files and report every problem with `file:line:col`.
    Check {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the bundled scenarios and any in ./scenarios.
    List,
    /// Run a scenario headless and print the event transcript as JSON lines: every event
    /// with its audience, the facilitator's full view (not a handout for players).
    Run {
        /// A bundled scenario id (e.g. dropper-0330) or a path to a .ron file.
        scenario: String,
        /// The seed: the same seed and commands give the same exercise.
        #[arg(long)]
        seed: u64,
        /// A script of timed commands (`at 03:41 soc_analyst isolate_host`); without one
        /// (and without bots) nobody acts and the clock runs to the end.
        #[arg(long)]
        script: Option<PathBuf>,
        /// Print the after-action report in this format instead of the transcript.
        #[arg(long, value_name = "FORMAT")]
        report: Option<ReportFormat>,
        /// Write the output to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// A date line for the report (the report never reads the clock itself).
        #[arg(long, requires = "report")]
        date: Option<String>,
        /// Bots play every role the script does not use, each with the scenario's persona.
        #[arg(long)]
        bots: bool,
        /// A bot for a role (implies --bots): ROLE=POLICY, the policy one of by-the-book,
        /// deferrer, decisive, random. Repeatable.
        #[arg(long = "bot", value_name = "ROLE=POLICY")]
        bot: Vec<String>,
        /// Do not keep a journal of the run (by default it is journaled like a played
        /// session, and its id printed on standard error).
        #[arg(long)]
        no_journal: bool,
        /// Wait this many milliseconds of real time after each command, printing the
        /// transcript as it goes: a way to watch a headless run unfold.
        #[arg(long, value_name = "MS")]
        pace_ms: Option<u64>,
    },
    /// List the recorded sessions: id, scenario, seed, when started, last activity, whether
    /// and how it ended.
    Sessions {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Continue a recorded session in the terminal, paused where it left off.
    Resume {
        /// A session id, an unambiguous prefix of one, or a journal's path (default: the
        /// most recent unfinished session).
        session: Option<String>,
        /// Continue even if the scenario changed since the session was recorded.
        #[arg(long)]
        force: bool,
    },
    /// Step through a recorded session in the terminal, and fork a new one from any point.
    Replay {
        /// A session id, an unambiguous prefix of one, or a journal's path.
        session: String,
        /// Replay even if the scenario changed since the session was recorded.
        #[arg(long)]
        force: bool,
    },
    /// The after-action report of a recorded session, finished or not.
    Report {
        /// A session id, an unambiguous prefix of one, or a journal's path.
        session: String,
        /// The format.
        #[arg(long, value_name = "FORMAT", default_value = "md")]
        format: ReportFormat,
        /// Write the report to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// A date line for the report.
        #[arg(long)]
        date: Option<String>,
        /// Report even if the scenario changed since the session was recorded.
        #[arg(long)]
        force: bool,
    },
    /// Run many seeded runs with bots in every role and summarise them: endings, scores,
    /// time to escalate, decide and contain, SLA breaches, best and worst seeds.
    Simulate {
        /// A bundled scenario id or a path to a .ron file.
        scenario: String,
        /// How many runs (at least 1).
        #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
        runs: u64,
        /// The base seed; run i plays the seed derived from it and i (printed for the best
        /// and worst runs).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// A bot for a role: ROLE=POLICY (by-the-book, deferrer, decisive, random); the
        /// other roles get the scenario's personas. Repeatable.
        #[arg(long = "bot", value_name = "ROLE=POLICY")]
        bot: Vec<String>,
        /// Worker threads, 1 to 256 (default: every core). The results do not depend on it.
        #[arg(long, value_parser = parse_threads)]
        threads: Option<usize>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The equivalent-work benchmark: generate the graph as a scenario file, load it from
    /// disk, run the single walk and the Monte Carlo, and print load time, time per step,
    /// runs per second, peak memory and the results to check against the oracle.
    /// (A developer's command: hidden from `--help`, described in docs/performance.md.)
    #[command(hide = true)]
    Bench {
        /// Nodes of the graph for the load and the walk (1 to 1,000,000).
        #[arg(long, default_value_t = 10_000, value_parser = parse_nodes)]
        nodes: usize,
        /// Choices in the single walk (1 to 100,000,000).
        #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..=100_000_000))]
        steps: u64,
        /// Threads for the Monte Carlo, 1 to 256 (default: every core).
        #[arg(long, value_parser = parse_threads)]
        threads: Option<usize>,
        /// Keep the generated scenario files in this folder (default: a temporary one,
        /// removed afterwards).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Print the figures as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The formats of the after-action report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// Markdown, to paste into a wiki.
    Md,
    /// One self-contained HTML file (inline CSS and SVG) that prints well.
    Html,
    /// The whole report as JSON (schema in docs/report.md).
    Json,
    /// The timeline as CSV.
    Csv,
}

impl From<ReportFormat> for crate::report::Format {
    fn from(f: ReportFormat) -> Self {
        match f {
            ReportFormat::Md => crate::report::Format::Markdown,
            ReportFormat::Html => crate::report::Format::Html,
            ReportFormat::Json => crate::report::Format::Json,
            ReportFormat::Csv => crate::report::Format::Csv,
        }
    }
}

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
fn sessions_dir(cli_data_dir: Option<&Path>) -> Result<PathBuf> {
    Ok(crate::journal::store::sessions_dir(
        &crate::journal::store::data_dir(cli_data_dir)?,
    ))
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    let data = cli.data_dir.as_deref();
    let look = Look {
        theme: cli.theme.as_deref(),
        keys: cli.keys.as_deref(),
    };
    match cli.command {
        None => play(None, None, &look, Some(sessions_dir(data)?)),
        Some(Cmd::Play {
            scenario,
            seed,
            no_journal,
        }) => {
            let dir = if no_journal {
                None
            } else {
                Some(sessions_dir(data)?)
            };
            play(scenario.as_deref(), seed, &look, dir)
        }
        Some(Cmd::Handout(opts)) => handout::run(&opts),
        Some(Cmd::Host(opts)) => host::host(
            &opts,
            &crate::journal::store::data_dir(data)?,
            if opts.no_journal {
                None
            } else {
                Some(sessions_dir(data)?)
            },
        ),
        Some(Cmd::Check { files }) => Ok(check(&files)),
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
                    Some(sessions_dir(data)?)
                },
                pace_ms,
            },
        ),
        Some(Cmd::Sessions { json }) => sessions::list(&sessions_dir(data)?, json),
        Some(Cmd::Resume { session, force }) => {
            sessions::resume(&sessions_dir(data)?, session.as_deref(), force, &look)
        }
        Some(Cmd::Replay { session, force }) => {
            sessions::replay(&sessions_dir(data)?, &session, force, &look)
        }
        Some(Cmd::Report {
            session,
            format,
            out,
            date,
            force,
        }) => sessions::report(
            &sessions_dir(data)?,
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
            threads,
            json,
        }) => runs::simulate(&scenario, runs, seed, &bot, threads, json),
        Some(Cmd::Bench {
            nodes,
            steps,
            threads,
            dir,
            json,
        }) => bench::run(nodes, steps, threads, dir.as_deref(), json),
    }
}

fn check(files: &[PathBuf]) -> ExitCode {
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
    scenario: Option<&str>,
    seed: Option<u64>,
    look: &Look<'_>,
    journal: Option<PathBuf>,
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
    if let Some(i) = app_entry {
        app.setup(i, seed.unwrap_or_else(crate::tui::run::fresh_seed));
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
fn resolve_text(name: &str) -> Result<(String, std::borrow::Cow<'static, str>)> {
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
