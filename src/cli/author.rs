//! The authoring commands that read a scenario the way its author edits it: `ttx lint`,
//! and `ttx explain` for a run.

use std::fmt::Write as _;
use std::process::ExitCode;

use serde::Serialize;

use crate::scenario::{self, Diagnostic, render_all};
use crate::sim::lint;
use crate::untrusted;

#[derive(Serialize)]
struct LintJson<'a> {
    file: &'a str,
    coverage: String,
    allowed: usize,
    warnings: Vec<WarningJson<'a>>,
}

#[derive(Serialize)]
struct WarningJson<'a> {
    line: usize,
    col: usize,
    kind: &'static str,
    path: &'a str,
    message: &'a str,
    help: Option<&'a str>,
}

/// `ttx lint`: each scenario's findings as warnings with their places, then how much of
/// its decision space was explored. Exits 1 when anything was found or did not load.
pub fn lint(names: &[String], plays: u64, seed: u64, json: bool) -> ExitCode {
    let mut dirty = false;
    for name in names {
        let (file, text) = match super::resolve_text(name) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{e:#}");
                dirty = true;
                continue;
            }
        };
        let loaded = match scenario::load_str(&file, &text) {
            Ok(l) => l,
            Err(e) => {
                eprint!("{}", render_all(&e.diagnostics));
                dirty = true;
                continue;
            }
        };
        let linted = lint::lint(&loaded.scenario, plays, seed);
        let (found, allowed) = lint::diagnostics(&file, &text, &linted);
        // The loader's own warnings first, then the linter's, each with its kind.
        let kinds: Vec<&'static str> = std::iter::repeat_n("check", loaded.warnings.len())
            .chain(found.iter().map(|(k, _)| k.code()))
            .collect();
        let mut warnings: Vec<Diagnostic> = loaded.warnings;
        warnings.extend(found.into_iter().map(|(_, d)| d));
        let coverage = lint::coverage(&loaded.scenario, &linted.explored);
        dirty |= !warnings.is_empty();
        if json {
            let out = LintJson {
                file: &file,
                coverage,
                allowed,
                warnings: warnings
                    .iter()
                    .zip(kinds)
                    .map(|(w, kind)| WarningJson {
                        line: w.line,
                        col: w.col,
                        kind,
                        path: &w.path,
                        message: &w.message,
                        help: w.help.as_deref(),
                    })
                    .collect(),
            };
            if let Ok(s) = serde_json::to_string(&out) {
                println!("{}", untrusted::json(s));
            }
        } else {
            if !warnings.is_empty() {
                eprint!("{}", render_all(&warnings));
            }
            let mut verdict = match warnings.len() {
                0 => "clean".to_owned(),
                1 => "1 warning".to_owned(),
                n => format!("{n} warnings"),
            };
            if allowed > 0 {
                let _ = write!(verdict, " ({allowed} allowed in the file)");
            }
            println!("{}: {verdict}; {coverage}", untrusted::one_line(&file));
        }
    }
    if dirty {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// `ttx explain SCENARIO --seed N`: plays the run (with its script and bots) watching it,
/// then says why it ended as it did and why each bot left what it left.
pub fn explain_run(
    name: &str,
    seed: u64,
    script: Option<&std::path::Path>,
    (bots, overrides): (bool, &[String]),
) -> anyhow::Result<ExitCode> {
    let loaded = super::resolve(name)?;
    let steps = match super::runs::script_steps(&loaded, script)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let seats = super::runs::bot_seats(&loaded, &steps, bots, overrides)?;
    let sc = &loaded.scenario;
    let mut watch = crate::sim::explain::Watch::new(sc);
    let ex = match crate::sim::headless::run_observed(
        std::sync::Arc::clone(sc),
        seed,
        &steps,
        &seats,
        &mut watch,
    ) {
        Ok(ex) => ex,
        Err(never) => match never {},
    };
    print!(
        "{}",
        untrusted::terminal(&crate::sim::explain::explain(&ex, &watch, &seats))
    );
    Ok(ExitCode::SUCCESS)
}

/// `ttx explain`: a run (a scenario and a seed) or a recorded session.
pub fn explain(cmd: super::args::Cmd) -> anyhow::Result<ExitCode> {
    let super::args::Cmd::Explain {
        scenario,
        seed,
        script,
        bots,
        bot,
        session,
        force,
        data,
    } = cmd
    else {
        anyhow::bail!("not an explain command");
    };
    match (session, scenario, seed) {
        (Some(id), _, _) => super::sessions::explain(&super::sessions_dir(&data)?, &id, force),
        (None, Some(name), Some(seed)) => explain_run(
            &name,
            seed,
            script.as_deref(),
            (bots || !bot.is_empty(), &bot),
        ),
        _ => anyhow::bail!("give a scenario and --seed, or --session"),
    }
}

/// `ttx check --watch`: checks the files, then again each time one is saved, until
/// interrupted. Polls each file's modification time and length four times a second (an
/// editor that saves by replacing the file is seen like one that writes it in place).
pub fn check_watch(files: &[std::path::PathBuf]) -> ExitCode {
    let stamps = || -> Vec<_> { files.iter().map(|f| scenario::file_stamp(f)).collect() };
    let mut last = stamps();
    super::check(files);
    println!("watching {} file(s); Ctrl-C stops", files.len());
    loop {
        std::thread::sleep(std::time::Duration::from_millis(250));
        let now = stamps();
        if now == last {
            continue;
        }
        for (f, (a, b)) in files.iter().zip(now.iter().zip(&last)) {
            if a != b {
                println!(
                    "-- {} changed: checking again",
                    untrusted::one_line(&f.display().to_string())
                );
            }
        }
        last = now;
        super::check(files);
    }
}
