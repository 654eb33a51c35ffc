//! The command line's arguments: the commands, their options, and the options some of
//! them share (the terminal's look, the data folder), each offered only where it does
//! something.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use super::{handout, host, parse_nodes, parse_threads};

/// The terminal's look: for the commands that draw the game.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct TermOpts {
    /// Colour theme for the game: `default`, `high-contrast`, or a theme file (.ron).
    /// `NO_COLOR` is honoured when no theme is given.
    #[arg(long)]
    pub theme: Option<String>,
    /// A key map file (.ron) to use instead of the built-in keys.
    #[arg(long)]
    pub keys: Option<PathBuf>,
}

/// Where session journals are kept: for the commands that read or write them.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct DataOpts {
    /// Where session journals are kept (default: `$TTX_DATA_DIR`, else
    /// `$XDG_DATA_HOME/ttx`, else `~/.local/share/ttx`); sessions go in its `sessions` folder.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

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
    #[command(flatten)]
    pub term: TermOpts,
    #[command(flatten)]
    pub data: DataOpts,
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
        /// A name for the session, kept in its journal and printed in its report.
        #[arg(long, value_name = "TEXT")]
        session_name: Option<String>,
        /// Follow the scenario file: a saved edit is played at once, the commands given so
        /// far replayed on it from the same seed (unrecorded: the file under the session
        /// changes).
        #[arg(long, requires = "scenario")]
        watch: bool,
        #[command(flatten)]
        term: TermOpts,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Host a session that participants join over SSH from their own terminals, with
    /// nothing to install: prints a join code and command per seat, then runs the
    /// facilitator's console here.
    Host(host::HostOpts),
    /// A participant's packet (`--role ROLE`) or the facilitator's situation manual
    /// (`--facilitator`), in Markdown or print-ready HTML, made from the scenario alone.
    Handout(handout::HandoutOpts),
    /// The Master Scenario Events List as a spreadsheet: export a scenario's injects as CSV
    /// with the HSEEP MSEL columns, or import such a sheet as a scenario file.
    #[command(subcommand)]
    Msel(MselCmd),
    /// A new scenario file to start from: a commented skeleton that passes `ttx check`,
    /// plays, and has a good, a mixed and a bad ending.
    New {
        /// The scenario's title; its id and file name are made from it.
        name: String,
        /// `seam` (an analyst who needs the customer's authority, the default) or
        /// `minimal` (one role, one alert, one action).
        #[arg(long, default_value = "seam")]
        template: Template,
        /// Write to this file (default: the id, `.ron`, in the current folder).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A scenario as a graph: what sends each inject, what each inject, answer, action and
    /// threat stage changes, what each condition reads, how each ending is reached.
    Graph {
        /// A bundled scenario id or a path to a .ron file.
        scenario: String,
        /// `dot` (Graphviz), `mermaid`, or `svg` (one drawing in columns).
        #[arg(long, default_value = "dot")]
        format: GraphFormat,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Check scenario files and report every problem with `file:line:col`.
    Check {
        /// Scenario files (.ron).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Check again whenever a file is saved, until interrupted (Ctrl-C).
        #[arg(long)]
        watch: bool,
    },
    /// Find what a scenario says that no play bears out: conditions that never hold,
    /// unused variables, shadowed endings, what no play reaches, questions asked again
    /// while open, actions offered before their role is told anything. Reads the file, then
    /// explores its decision space; exits 1 when it finds anything.
    Lint {
        /// Scenario files (.ron) or bundled scenario ids.
        #[arg(required = true)]
        scenarios: Vec<String>,
        /// How many plays to explore per scenario.
        #[arg(long, default_value_t = crate::sim::lint::DEFAULT_PLAYS)]
        plays: u64,
        /// The base seed of the explored plays.
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Print the findings and the coverage as JSON (one object per scenario).
        #[arg(long)]
        json: bool,
    },
    /// Why a run or a recorded session ended as it did: each ending's condition part by
    /// part, with the value or moment each part read; and, for every bot, each step it could
    /// have taken and did not, with the reason.
    Explain {
        /// A bundled scenario id or a path to a .ron file (a run: give --seed).
        #[arg(required_unless_present = "session", conflicts_with = "session")]
        scenario: Option<String>,
        /// The seed of the run.
        #[arg(long, required_unless_present = "session")]
        seed: Option<u64>,
        /// A script of timed commands for the run (as `ttx run --script`).
        #[arg(long)]
        script: Option<PathBuf>,
        /// Bots play every role the script does not use, each with the scenario's persona.
        #[arg(long)]
        bots: bool,
        /// A bot for a role (implies --bots): ROLE=POLICY[:key=value…]. Repeatable.
        #[arg(long = "bot", value_name = "ROLE=POLICY")]
        bot: Vec<String>,
        /// Explain a recorded session instead: its id, an unambiguous prefix, or a journal's
        /// path.
        #[arg(long, value_name = "SESSION")]
        session: Option<String>,
        /// Explain a session even if the scenario changed since it was recorded.
        #[arg(long, requires = "session")]
        force: bool,
        #[command(flatten)]
        data: DataOpts,
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
        #[command(flatten)]
        data: DataOpts,
    },
    /// List the recorded sessions: id, scenario, seed, when started, last activity, whether
    /// and how it ended.
    Sessions {
        /// Print the list as JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Continue a recorded session in the terminal, paused where it left off.
    Resume {
        /// A session id, an unambiguous prefix of one, or a journal's path (default: the
        /// most recent unfinished session).
        session: Option<String>,
        /// Continue even if the scenario changed since the session was recorded.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        term: TermOpts,
        #[command(flatten)]
        data: DataOpts,
    },
    /// Step through a recorded session in the terminal, and fork a new one from any point.
    Replay {
        /// A session id, an unambiguous prefix of one, or a journal's path.
        session: String,
        /// Replay even if the scenario changed since the session was recorded.
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        term: TermOpts,
        #[command(flatten)]
        data: DataOpts,
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
        #[command(flatten)]
        data: DataOpts,
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
        /// other roles get the scenario's personas. Parameters may follow the policy to
        /// sweep a persona: `ROLE=deferrer:patience=3:reaction=2-8` (reaction, retry,
        /// patience, `acts_alone_after`, `gives_in_at`). Repeatable.
        #[arg(long = "bot", value_name = "ROLE=POLICY[:KEY=VALUE…]")]
        bot: Vec<String>,
        /// Also say which injects, answers, actions and endings never happened in the runs,
        /// and give a seed that reaches each ending.
        #[arg(long)]
        coverage: bool,
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

/// The formats of `ttx graph`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    Dot,
    Mermaid,
    Svg,
}

/// The skeletons `ttx new` starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Template {
    Seam,
    Minimal,
}

/// `ttx msel`'s two directions.
#[derive(Subcommand, Debug)]
pub enum MselCmd {
    /// A scenario's injects as CSV: MSEL #, Time, Scenario time, From, To, Method, Synopsis,
    /// Expected action, Objective, Notes (and ttx's Subject and Inject id).
    Export {
        /// A bundled scenario id or a path to a .ron file.
        scenario: String,
        /// Write to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// A scenario file from an MSEL sheet (CSV): a role per name in To, an inject per row.
    Import {
        /// The sheet, saved as CSV.
        file: PathBuf,
        /// Write the scenario to this file instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
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

impl Cmd {
    /// The command's look and data-folder options, where it has them.
    pub fn shared_opts(&mut self) -> (Option<&mut TermOpts>, Option<&mut DataOpts>) {
        match self {
            Cmd::Play { term, data, .. }
            | Cmd::Resume { term, data, .. }
            | Cmd::Replay { term, data, .. } => (Some(term), Some(data)),
            Cmd::Host(opts) => (None, Some(&mut opts.data)),
            Cmd::Run { data, .. }
            | Cmd::Sessions { data, .. }
            | Cmd::Report { data, .. }
            | Cmd::Explain { data, .. } => (None, Some(data)),
            Cmd::Handout(_)
            | Cmd::Msel(_)
            | Cmd::New { .. }
            | Cmd::Graph { .. }
            | Cmd::Check { .. }
            | Cmd::Lint { .. }
            | Cmd::List
            | Cmd::Simulate { .. }
            | Cmd::Bench { .. } => (None, None),
        }
    }
}
