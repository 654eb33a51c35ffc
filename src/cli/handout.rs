//! `ttx handout`: a participant's packet or the facilitator's situation manual, made from
//! the scenario alone, in Markdown or print-ready HTML; `--all` writes every one into a
//! folder.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context as _, Result, bail};

use crate::engine::model::{RoleIx, Scenario};
use crate::report::handout::{self, Handout};
use crate::untrusted;

/// `ttx handout`'s options.
#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("whose").required(true).args(["role", "facilitator", "all"])))]
pub struct HandoutOpts {
    /// A bundled scenario id or a path to a .ron file.
    pub scenario: String,
    /// The packet of this role (its id, as `ttx handout SCENARIO --role ?` lists them).
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The facilitator's situation manual (every role's secrets: not for players).
    #[arg(long)]
    pub facilitator: bool,
    /// Every role's packet and the situation manual, as files in the folder `--out`.
    #[arg(long, requires = "out")]
    pub all: bool,
    /// The format: `md` (Markdown) or `html` (one print-ready page).
    #[arg(long, value_name = "FORMAT", default_value = "md")]
    pub format: HandoutFormat,
    /// Write to this file (with `--all`: this folder) instead of standard output.
    #[arg(long, value_name = "PATH")]
    pub out: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HandoutFormat {
    Md,
    Html,
}

impl HandoutFormat {
    fn render(self, h: &Handout) -> String {
        match self {
            HandoutFormat::Md => handout::markdown(h),
            HandoutFormat::Html => handout::html(h),
        }
    }

    fn ext(self) -> &'static str {
        match self {
            HandoutFormat::Md => "md",
            HandoutFormat::Html => "html",
        }
    }
}

pub fn run(opts: &HandoutOpts) -> Result<ExitCode> {
    let sc = super::resolve(&opts.scenario)?.scenario;
    if opts.all {
        let dir = opts.out.as_deref().unwrap_or(Path::new("."));
        return write_all(&sc, opts.format, dir);
    }
    let h = if opts.facilitator {
        manual(&sc)
    } else {
        let wanted = opts.role.as_deref().unwrap_or_default();
        handout::participant(&sc, role(&sc, wanted)?)
    };
    let text = opts.format.render(&h);
    match &opts.out {
        Some(path) => {
            std::fs::write(path, text)
                .with_context(|| format!("could not write {}", path.display()))?;
            eprintln!("{}: {}", untrusted::one_line(&h.kind), path.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

/// The facilitator's situation manual, with the paths bots take through the exercise.
fn manual(sc: &std::sync::Arc<Scenario>) -> Handout {
    let mut h = handout::facilitator(sc);
    h.parts.push(crate::sim::paths::part(sc));
    h
}

/// The role named `wanted` (its id, or its name in any case).
fn role(sc: &Scenario, wanted: &str) -> Result<RoleIx> {
    let found = sc
        .roles
        .iter()
        .position(|r| r.id.as_str() == wanted || r.name.eq_ignore_ascii_case(wanted));
    if let Some(r) = found.and_then(RoleIx::at) {
        return Ok(r);
    }
    let roles: Vec<String> = sc
        .roles
        .iter()
        .map(|r| format!("  {:<20} {}", r.id.as_str(), untrusted::one_line(&r.name)))
        .collect();
    bail!(
        "{} has no role `{}`; its roles:\n{}",
        untrusted::one_line(&sc.title),
        untrusted::one_line(wanted),
        roles.join("\n")
    )
}

/// Every packet and the situation manual into `dir`, one file each.
fn write_all(sc: &std::sync::Arc<Scenario>, format: HandoutFormat, dir: &Path) -> Result<ExitCode> {
    std::fs::create_dir_all(dir).with_context(|| format!("could not create {}", dir.display()))?;
    let ext = format.ext();
    let mut files: Vec<(PathBuf, Handout)> = sc
        .roles
        .iter()
        .zip(RoleIx::all(sc.roles.len()))
        .map(|(r, ix)| {
            (
                dir.join(format!("{}-{}.{ext}", sc.id.as_str(), r.id.as_str())),
                handout::participant(sc, ix),
            )
        })
        .collect();
    files.push((
        dir.join(format!("{}-facilitator.{ext}", sc.id.as_str())),
        manual(sc),
    ));
    for (path, h) in &files {
        std::fs::write(path, format.render(h))
            .with_context(|| format!("could not write {}", path.display()))?;
        println!("{}  {}", path.display(), untrusted::one_line(&h.kind));
    }
    Ok(ExitCode::SUCCESS)
}
