//! `ttx run` and `ttx simulate`: headless runs, their transcripts and reports, and many
//! seeded runs summarised.

use std::io::Write;

use super::*;

/// The script's steps (none without a script), or the exit code after its diagnostics.
pub(super) fn script_steps(
    loaded: &Loaded,
    script_path: Option<&Path>,
) -> Result<std::result::Result<Vec<script::Step>, ExitCode>> {
    let Some(p) = script_path else {
        return Ok(Ok(Vec::new()));
    };
    let text = scenario::read_text_capped(p, scenario::MAX_FILE_BYTES)
        .with_context(|| format!("cannot read the script {}", p.display()))?;
    let name = p.display().to_string();
    let steps = match script::parse(&name, &text, loaded.scenario.start) {
        Ok(s) => s,
        Err(diags) => {
            eprint!("{}", render_all(&diags));
            return Ok(Err(ExitCode::from(1)));
        }
    };
    let diags = script::check(&name, &text, &steps, &loaded.scenario);
    if !diags.is_empty() {
        eprint!("{}", render_all(&diags));
        return Ok(Err(ExitCode::from(1)));
    }
    Ok(Ok(steps))
}

/// The bots of a headless run: with `bots`, every role the script does not play, each the
/// scenario's persona or as `overrides` say.
pub(super) fn bot_seats(
    loaded: &Loaded,
    steps: &[script::Step],
    bots: bool,
    overrides: &[String],
) -> Result<Vec<(crate::engine::model::RoleIx, crate::engine::model::BotSpec)>> {
    if !bots {
        return Ok(Vec::new());
    }
    let all = simulate::crew_spec(&loaded.scenario, overrides).map_err(anyhow::Error::msg)?;
    // Roles the script plays are not bots.
    Ok(all
        .into_iter()
        .filter(|(r, _)| {
            let id = &loaded.scenario.role(*r).id;
            !steps
                .iter()
                .any(|s| matches!(&s.issued.by, crate::engine::Seat::Role(x) if x == id))
        })
        .collect())
}

pub(super) fn run(
    name: &str,
    seed: u64,
    script_path: Option<&Path>,
    opts: &RunOpts<'_>,
) -> Result<ExitCode> {
    let loaded = resolve(name)?;
    let steps = match script_steps(&loaded, script_path)? {
        Ok(s) => s,
        Err(code) => return Ok(code),
    };
    let seats = bot_seats(&loaded, &steps, opts.bots, opts.overrides)?;
    let file = Path::new(name).exists().then(|| Path::new(name));
    let streaming = opts.pace_ms.is_some() && opts.report.is_none() && opts.out.is_none();
    let ex = sessions::run_journaled(
        &loaded.scenario,
        file,
        seed,
        &steps,
        &seats,
        opts,
        streaming,
    )?;
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        match &opts.report {
            None if streaming => {}
            None => headless::write_transcript(&ex, &mut out)?,
            Some((format, date)) => {
                let input = crate::session::debrief::report_input(
                    ex.scenario(),
                    &headless::seating(ex.scenario(), &steps, &seats),
                    seed,
                    date.clone(),
                );
                let r = crate::report::build(ex.scenario(), ex.state(), &input);
                out.write_all(crate::report::render(&r, (*format).into()).as_bytes())?;
            }
        }
        out.flush()
    };
    match opts.out {
        Some(p) => {
            let mut file = std::fs::File::create(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            write(&mut file).with_context(|| format!("cannot write {}", p.display()))?;
        }
        None => write(&mut std::io::stdout().lock())?,
    }
    if let Some(why) = ex.runaway() {
        eprintln!("error: {}", untrusted::terminal(&why));
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) fn simulate(
    name: &str,
    (runs, seed): (u64, u64),
    overrides: &[String],
    threads: Option<usize>,
    (json, coverage): (bool, bool),
) -> Result<ExitCode> {
    let (file, text) = resolve_text(name)?;
    let sc = compile(&file, &text)?.scenario;
    // Each thread compiles its own copy from the same text (see `simulate::simulate`).
    let copy = || scenario::load_str(&file, &text).ok().map(|l| l.scenario);
    let seats = simulate::crew_spec(&sc, overrides).map_err(anyhow::Error::msg)?;
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let bar = progress_bar(runs);
    let results = simulate::simulate(&sc, &copy, &seats, runs, seed, threads, &|done| {
        bar.set_position(done);
    });
    bar.finish_and_clear();
    let summary = simulate::summarise(&sc, &seats, seed, &results);
    let cover = coverage.then(|| crate::sim::coverage::summary(&sc, &results.cover, results.runs));
    if json {
        match &cover {
            Some(c) => json_out(&serde_json::json!({ "summary": summary, "coverage": c }))?,
            None => json_out(&summary)?,
        }
    } else {
        let mut out = std::io::stdout().lock();
        let mut replay = format!("ttx run {name} --bots");
        for o in overrides {
            replay.push_str(" --bot ");
            replay.push_str(o);
        }
        out.write_all(untrusted::terminal(&simulate::table(&summary, &replay)).as_bytes())?;
        if let Some(c) = &cover {
            let table = crate::sim::coverage::table(c, &replay);
            out.write_all(untrusted::terminal(&table).as_bytes())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The progress of a long simulation on stderr (indicatif), drawn only on a terminal.
pub(super) fn progress_bar(total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal as _;
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::with_draw_target(
        Some(total),
        indicatif::ProgressDrawTarget::stderr_with_hz(10),
    );
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} runs  {elapsed}")
    {
        bar.set_style(style.progress_chars("█░"));
    }
    bar
}
