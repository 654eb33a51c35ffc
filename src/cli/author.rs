//! The authoring commands that read a scenario the way its author edits it: `ttx lint`.

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
        let mut warnings: Vec<Diagnostic> = loaded.warnings;
        let (found, allowed) = lint::diagnostics(&file, &text, &linted);
        warnings.extend(found);
        let coverage = lint::coverage(&loaded.scenario, &linted.explored);
        dirty |= !warnings.is_empty();
        if json {
            let kinds: Vec<&'static str> = warnings
                .iter()
                .map(|w| {
                    lint::Kind::ALL
                        .iter()
                        .find(|k| w.message.ends_with(&format!("[{}]", k.code())))
                        .map_or("check", |k| k.code())
                })
                .collect();
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
