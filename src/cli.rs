//! The command line: argument parsing and dispatch to the library. Files and the terminal
//! are touched here, at the edge; the engine below never sees them.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context as _, Result, bail};
use clap::{Parser, Subcommand};

use crate::engine::Scenario;
use crate::scenario::{self, Loaded, bundled, render_all};
use crate::sim::{headless, script};

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
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Check scenario files and report every problem with `file:line:col`.
    Check {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the bundled scenarios and any in ./scenarios.
    List,
    /// Run a scenario headless and print the event transcript as JSON lines.
    Run {
        /// A bundled scenario id (e.g. dropper-0330) or a path to a .ron file.
        scenario: String,
        /// The seed: the same seed and commands give the same exercise.
        #[arg(long)]
        seed: u64,
        /// A script of timed commands (`at 03:41 soc_analyst isolate_host`); without one
        /// nobody acts and the clock runs to the end.
        #[arg(long)]
        script: Option<PathBuf>,
    },
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
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        None => {
            use clap::CommandFactory as _;
            Cli::command().print_help()?;
            println!();
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Check { files }) => Ok(check(&files)),
        Some(Cmd::List) => list().map(|()| ExitCode::SUCCESS),
        Some(Cmd::Run {
            scenario,
            seed,
            script,
        }) => run(&scenario, seed, script.as_deref()),
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
                println!("ok: {} ({})", f.display(), scenario.title);
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

/// A scenario found by `ttx list`: where it comes from and what it is.
struct Listed {
    source: String,
    scenario: Arc<Scenario>,
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

fn list() -> Result<()> {
    let mut rows: Vec<Listed> = Vec::new();
    let mut problems = Vec::new();
    for b in bundled::ALL {
        match scenario::load_str(b.file, b.text) {
            Ok(l) => rows.push(Listed {
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
                    rows.push(Listed {
                        source: p.display().to_string(),
                        scenario: l.scenario,
                    });
                }
            }
            Err(e) => problems.push(render_all(&e.diagnostics)),
        }
    }
    let mut out = std::io::stdout().lock();
    for r in &rows {
        let s = &r.scenario;
        let minutes = s.end.minutes();
        let roles: Vec<&str> = s.roles.iter().map(|r| r.id.as_str()).collect();
        writeln!(
            out,
            "{:<22} {}  [{}, {} to {}, {}h{:02}]",
            s.id.as_str(),
            s.title,
            r.source,
            s.start.clock(crate::engine::GameTime::ZERO),
            s.start.clock(s.end),
            minutes / 60,
            minutes % 60
        )?;
        writeln!(out, "{:<22} {}", "", s.summary)?;
        writeln!(out, "{:<22} roles: {}", "", roles.join(", "))?;
    }
    for p in problems {
        eprint!("{p}");
    }
    Ok(())
}

/// Finds a scenario by path, or by the id of a bundled one.
pub fn resolve(name: &str) -> Result<Loaded> {
    let path = Path::new(name);
    let loaded = if path.exists() {
        scenario::load_file(path)
    } else if let Some(b) = bundled::find(name) {
        scenario::load_str(b.file, b.text)
    } else {
        let known: Vec<&str> = bundled::ALL
            .iter()
            .map(|b| b.file.strip_suffix(".ron").unwrap_or(b.file))
            .collect();
        bail!(
            "no scenario file or bundled scenario named `{name}` (bundled: {})",
            known.join(", ")
        );
    };
    loaded.map_err(|e| anyhow::anyhow!("{}", render_all(&e.diagnostics).trim_end()))
}

fn run(name: &str, seed: u64, script_path: Option<&Path>) -> Result<ExitCode> {
    let loaded = resolve(name)?;
    let steps = match script_path {
        None => Vec::new(),
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("cannot read the script {}", p.display()))?;
            match script::parse(&p.display().to_string(), &text, loaded.scenario.start) {
                Ok(s) => s,
                Err(diags) => {
                    eprint!("{}", render_all(&diags));
                    return Ok(ExitCode::from(1));
                }
            }
        }
    };
    let ex = headless::run(loaded.scenario, seed, &steps);
    let mut out = std::io::stdout().lock();
    out.write_all(headless::transcript(&ex).as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
