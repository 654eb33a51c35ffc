//! `ttx host`: the one authoritative session that participants join over SSH. Loads the
//! scenario, makes (or reads) the host key, issues the join codes, listens, prints what to
//! hand out, and runs the host with the facilitator's console on this terminal (or none,
//! with `--headless`).

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use anyhow::{Context as _, Result, bail};

use crate::engine::ids::Seat;
use crate::engine::model::{BotSpec, Policy};
use crate::journal::record::Pacing;
use crate::net::codes::{Access, Passes, os_fill};
use crate::net::gate::Limits;
use crate::net::host::{Host, LOCAL, Plan, RolePlan, ToHost};
use crate::net::{client::Sink, hostkey, listen};
use crate::session::{Recording, Session, Sitter};
use crate::tui::Entry;
use crate::tui::config::KeyMap;
use crate::untrusted;

/// `ttx host`'s options.
#[derive(clap::Args, Debug)]
pub struct HostOpts {
    #[command(flatten)]
    pub data: super::DataOpts,
    /// A bundled scenario id or a path to a .ron file.
    #[arg(required_unless_present = "resume")]
    pub scenario: Option<String>,
    /// Continue a hosted session from its journal (after a crash or a quit), with the
    /// same join codes: a session id, an unambiguous prefix of one, or a journal's path.
    #[arg(long, value_name = "SESSION", conflicts_with_all = ["scenario", "seed", "bot", "nobody", "turns", "no_journal"])]
    pub resume: Option<String>,
    /// The seed (random by default, and always shown).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Where to listen. Loopback by default; `0.0.0.0:2222` listens on every interface.
    #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:2222")]
    pub listen: std::net::SocketAddr,
    /// A name for the session, shown in the lobby.
    #[arg(long, value_name = "TEXT")]
    pub session_name: Option<String>,
    /// A role not open to people, played by its bot (`ROLE`) or another (`ROLE=POLICY`).
    #[arg(long, value_name = "ROLE[=POLICY]")]
    pub bot: Vec<String>,
    /// A role not open to people, played by nobody.
    #[arg(long, value_name = "ROLE")]
    pub nobody: Vec<String>,
    /// Roles open to people that nobody joined by the start are played by nobody
    /// (by default their bots play them).
    #[arg(long)]
    pub empty_seats_nobody: bool,
    /// Turn by turn: time moves only when the facilitator moves it.
    #[arg(long)]
    pub turns: bool,
    /// Game minutes per real second in real-time play.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=60))]
    pub pace: u32,
    /// No console on this terminal: print the codes and serve until stopped (Ctrl-C,
    /// SIGTERM); the facilitator joins with their code.
    #[arg(long)]
    pub headless: bool,
    /// How many people may be in at once with one code (one role's players, or its
    /// observers).
    #[arg(long, value_name = "N", default_value_t = 16, value_parser = clap::value_parser!(u16).range(1..=200))]
    pub max_per_code: u16,
    /// Do not keep a journal of the session.
    #[arg(long)]
    pub no_journal: bool,
}

/// The roles' plan from the command line.
fn role_plan(entry: &Entry, a: &HostOpts) -> Result<Vec<RolePlan>> {
    let sc = &entry.scenario;
    let mut plan: Vec<RolePlan> = (0..sc.roles.len())
        .map(|r| {
            let ix = crate::engine::model::RoleIx::try_from(r).unwrap_or_default();
            RolePlan::Open(if a.empty_seats_nobody {
                Sitter::Nobody
            } else {
                Sitter::Bot(sc.default_bot(ix))
            })
        })
        .collect();
    let find = |id: &str| {
        sc.role_index(id).ok_or_else(|| {
            anyhow::anyhow!(
                "no role `{}` in this scenario (roles: {})",
                untrusted::one_line(id),
                sc.roles
                    .iter()
                    .map(|r| r.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
    };
    for b in &a.bot {
        let (role, policy) = b
            .split_once('=')
            .map_or((b.as_str(), None), |(r, p)| (r, Some(p)));
        let ix = find(role)?;
        let spec = match policy {
            None => sc.default_bot(ix),
            Some(p) => BotSpec::new(Policy::from_name(p).ok_or_else(|| {
                anyhow::anyhow!(
                    "no bot policy `{}` (policies: {})",
                    untrusted::one_line(p),
                    Policy::ALL
                        .iter()
                        .map(|p| p.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })?),
        };
        plan[usize::from(ix)] = RolePlan::Closed(Sitter::Bot(spec));
    }
    for n in &a.nobody {
        plan[usize::from(find(n)?)] = RolePlan::Closed(Sitter::Nobody);
    }
    Ok(plan)
}

/// The host as the user reaches it: the address they gave, or this machine's name when
/// listening on every interface.
fn reach(addr: SocketAddr) -> String {
    if addr.ip().is_unspecified() {
        "HOST".to_owned()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    }
}

pub(super) fn host(
    a: &HostOpts,
    data_dir: &Path,
    journal: Option<std::path::PathBuf>,
) -> Result<ExitCode> {
    let key = hostkey::load_or_make(data_dir, &mut os_fill).map_err(anyhow::Error::msg)?;
    let fingerprint = hostkey::fingerprint(&key);
    let (mut plan, passes, session) = match (&a.resume, &a.scenario) {
        (Some(id), _) => {
            let dir = journal.context("a resumed session needs its journal")?;
            resumed(&dir, id, a)?
        }
        (None, Some(scenario)) => {
            let (plan, passes) = fresh(scenario, a, journal)?;
            (plan, passes, None)
        }
        (None, None) => bail!("name a scenario to host, or a session to resume with --resume"),
    };
    let passes = Arc::new(Mutex::new(passes));
    let limits = Limits {
        per_code: usize::from(a.max_per_code),
        ..Limits::default()
    };
    let listening = listen(a.listen, key, Arc::clone(&passes), limits)
        .with_context(|| format!("cannot listen on {}", a.listen))?;
    let port = listening.addr.port();
    let port_flag = if port == 22 {
        String::new()
    } else {
        format!("-p {port} ")
    };
    plan.join = Some(format!("ssh {port_flag}{{code}}@{}", reach(listening.addr)));
    print_codes(&plan, &passes, listening.addr, &fingerprint)?;
    let keys = KeyMap::default_map();
    let mut host = match session {
        Some((session, codes)) => {
            Host::resumed(plan, Arc::clone(&passes), keys, session, Some(codes))
        }
        None => Host::new(plan, Arc::clone(&passes), keys),
    };
    stop_on_signals(&listening.to_host)?;
    if a.headless {
        host.run(&listening.inbox);
    } else {
        run_with_console(&mut host, &listening, &passes)?;
    }
    if let Some(f) = &host.farewell {
        println!("{f}");
    } else if let Some(h) = host.session().and_then(|s| s.recording.handle()) {
        println!("ttx: session {h}; `ttx report {h}` writes its after-action report.");
    }
    Ok(ExitCode::SUCCESS)
}

/// A new session's plan and codes.
fn fresh(
    scenario: &str,
    a: &HostOpts,
    journal: Option<std::path::PathBuf>,
) -> Result<(Plan, Passes)> {
    let loaded = super::resolve(scenario)?;
    let entry = Entry {
        source: if !Path::new(scenario).exists()
            && crate::scenario::bundled::find(scenario).is_some()
        {
            "bundled".into()
        } else {
            scenario.to_owned()
        },
        scenario: loaded.scenario,
    };
    let roles = role_plan(&entry, a)?;
    let plan = Plan {
        name: a.session_name.as_deref().map_or_else(
            || entry.scenario.title.clone(),
            |n| untrusted::one_line(n).into_owned(),
        ),
        entry,
        seed: a.seed.unwrap_or_else(crate::tui::run::fresh_seed),
        pacing: Pacing {
            turn_mode: a.turns,
            pace: a.pace,
        },
        roles,
        journal_dir: journal,
        join: None,
    };
    let passes = Passes::issue(&plan.play_seats(), &plan.watch_seats(), &mut os_fill);
    Ok((plan, passes))
}

/// A hosted session continued from its journal, with the codes kept beside it.
type Resumed = (Plan, Passes, Option<(Session, std::path::PathBuf)>);

fn resumed(dir: &Path, id: &str, a: &HostOpts) -> Result<Resumed> {
    let (path, held) = super::sessions::lock(dir, id)?;
    let r = super::sessions::reopen(dir, &path, held, false, "p")?;
    let codes = Passes::path_for(&r.opened.path);
    let passes = Passes::load(&codes).map_err(|e| {
        anyhow::anyhow!("{e}; only a session started with `ttx host` can be resumed by it (`ttx resume` plays one at this terminal)")
    })?;
    let header = r.opened.journal.header.clone();
    let sc = Arc::clone(&r.opened.scenario);
    let mut session = Session::resumed(
        r.ex,
        header.clone(),
        Recording::On(Box::new(r.writer)),
        r.note,
    );
    session.acted = crate::journal::fold::participants(&r.opened.journal.records);
    let roles = session
        .seating
        .roles
        .iter()
        .map(|s| match s {
            Sitter::Person => RolePlan::Open(Sitter::Nobody),
            other => RolePlan::Closed(*other),
        })
        .collect();
    let plan = Plan {
        name: a
            .session_name
            .as_deref()
            .map_or_else(|| sc.title.clone(), |n| untrusted::one_line(n).into_owned()),
        entry: Entry {
            source: header.scenario_source.clone(),
            scenario: sc,
        },
        seed: header.seed,
        pacing: session.pacing,
        roles,
        journal_dir: Some(dir.to_owned()),
        join: None,
    };
    Ok((plan, passes, Some((session, codes))))
}

/// Prints every code and the command that joins with it, and the host key's fingerprint.
fn print_codes(
    plan: &Plan,
    passes: &Mutex<Passes>,
    addr: SocketAddr,
    fingerprint: &str,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    let sc = &plan.entry.scenario;
    writeln!(
        out,
        "ttx host: {} — seed {}",
        untrusted::one_line(&plan.name),
        plan.seed
    )?;
    if addr.ip().is_unspecified() {
        writeln!(
            out,
            "Listening on every interface, port {}: anyone who can reach this machine can try a code.",
            addr.port()
        )?;
    } else if addr.ip().is_loopback() {
        writeln!(out, "Listening on {addr}: this machine only.")?;
        writeln!(
            out,
            "(`--listen 0.0.0.0:{}` listens on every interface.)",
            addr.port()
        )?;
    } else {
        writeln!(out, "Listening on {addr}.")?;
    }
    writeln!(out, "Host key fingerprint: {fingerprint}")?;
    writeln!(
        out,
        "(each participant's ssh shows it on first connecting: it should match.)"
    )?;
    writeln!(out)?;
    let Ok(p) = passes.lock() else {
        bail!("the join codes are unavailable");
    };
    let width = p
        .live()
        .map(|(_, x)| crate::words::names::seat_name(sc, &x.seat).chars().count())
        .max()
        .unwrap_or(12)
        .min(34);
    for (_, pass) in p.live() {
        let seat = crate::words::names::seat_name(sc, &pass.seat);
        let how = match pass.access {
            Access::Play => "plays",
            Access::Watch => "watches",
        };
        let cmd = crate::net::host::join_command(plan.join.as_deref(), &pass.code);
        writeln!(
            out,
            "  {:<width$} {:<8} {}",
            untrusted::one_line(&seat),
            how,
            cmd
        )?;
    }
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// SIGTERM, SIGINT and SIGHUP stop the host (everything played is already journaled).
fn stop_on_signals(to_host: &std::sync::mpsc::SyncSender<ToHost>) -> Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    let tx = to_host.clone();
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(ToHost::Stop);
        }
    });
    Ok(())
}

/// Runs the host with the facilitator's console on this terminal.
fn run_with_console(
    host: &mut Host,
    l: &crate::net::Listening,
    passes: &Mutex<Passes>,
) -> Result<()> {
    use crossterm::event::{self, Event, KeyEventKind};
    use std::io::IsTerminal as _;
    if !std::io::stdout().is_terminal() {
        bail!("the facilitator's console needs a terminal; `--headless` hosts without one");
    }
    let fac = passes
        .lock()
        .ok()
        .and_then(|p| {
            p.live()
                .find(|(_, x)| x.seat == Seat::Facilitator && x.access == Access::Play)
                .map(|(i, _)| i)
        })
        .context("no facilitator's code")?;
    println!("Press Enter to open the facilitator's console (the codes stay on its `w` list).");
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
    crossterm::terminal::enable_raw_mode()?;
    let (w, h) = crossterm::terminal::size().unwrap_or((80, 24));
    let colour = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    host.handle(ToHost::Joined {
        conn: LOCAL,
        pass: fac,
        size: (w, h),
        colour,
        sink: Sink::Local,
    });
    let tx = l.to_host.clone();
    std::thread::spawn(move || {
        while let Ok(e) = event::read() {
            let m = match e {
                Event::Key(k) if k.kind == KeyEventKind::Press => ToHost::Key {
                    conn: LOCAL,
                    key: k,
                },
                Event::Resize(w, h) => ToHost::Resized {
                    conn: LOCAL,
                    size: (w.max(1), h.max(1)),
                },
                _ => continue,
            };
            if tx.send(m).is_err() {
                return;
            }
        }
    });
    host.run(&l.inbox);
    let _ = std::io::stdout().write_all(crate::net::client::LEAVE);
    let _ = std::io::stdout().flush();
    crossterm::terminal::disable_raw_mode()?;
    Ok(())
}
