//! The terminal's own words in one place (scenario text stays in scenario files).

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

pub const LAUNCHER_TITLE: &str = " ttx — choose an exercise ";
pub const SETUP_TITLE: &str = " Set up the exercise ";
pub const HELP_TITLE: &str = " Keys ";
pub const FEED_TITLE: &str = " Feed ";
pub const STATE_TITLE: &str = " What you can see ";
pub const ACTIONS_TITLE: &str = " Actions ";
pub const HIDDEN_TITLE: &str = " Hidden state (facilitator only) ";
pub const CONTROLS_TITLE: &str = " Facilitator controls ";
pub const OBSERVING: &str = "You are observing: you see what this seat sees, but cannot act.";

pub fn too_small(w: u16, h: u16) -> String {
    format!(
        "The terminal is {w}×{h}.\nttx needs at least {MIN_WIDTH}×{MIN_HEIGHT}.\n\nEnlarge the window (or make the font smaller);\nthe exercise carries on meanwhile."
    )
}

pub fn handover(role: &str, persona: &str) -> String {
    let who = if persona.is_empty() {
        String::new()
    } else {
        format!("\n{persona}")
    };
    format!(
        "Pass the keyboard to the\n{role}{who}\n\nThe screen stays hidden until they are ready.\nPress Enter when {role} has the keyboard."
    )
}

/// Where the full report of the game on screen comes from.
pub fn full_report_hint(session: Option<&str>) -> String {
    match session {
        Some(id) => format!(
            "The full report, with the timeline: ttx report {id} --format md (or html, json, csv)"
        ),
        None => {
            "This game was not recorded, so its full report cannot be made again later.".to_owned()
        }
    }
}

/// What leaving a console does, so that the quit question says it truly.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaving {
    /// The game at this terminal stops; `ttx resume` carries it on.
    Game,
    /// The host stops, and every seat joined to it; `ttx host --resume` carries it on.
    Host,
    /// This participant leaves; the session goes on and their code joins the seat again.
    Seat,
}

/// The quit dialog's question: what leaving does, and whether what was played so far is
/// kept.
pub fn quit_question(leaving: Leaving, session: Option<&str>) -> String {
    match (leaving, session) {
        (Leaving::Game, Some(id)) => {
            format!("Leave the exercise? It is saved; ttx resume {id} carries on. y / n")
        }
        (Leaving::Game, None) => {
            "Leave the exercise? This game is not recorded, so it cannot be resumed. y / n"
                .to_owned()
        }
        (Leaving::Host, Some(id)) => format!(
            "Stop hosting? Every seat is disconnected. The session is saved; ttx host --resume {id} carries on. y / n"
        ),
        (Leaving::Host, None) => "Stop hosting? Every seat is disconnected, and this session is not recorded, so it cannot be resumed. y / n".to_owned(),
        (Leaving::Seat, _) => {
            "Leave the session? It goes on without you; your code joins this seat again. y / n"
                .to_owned()
        }
    }
}

/// The status line when a command could not be written to the journal.
pub fn journal_failed(err: &str) -> String {
    format!(
        "Not recorded: the journal could not be written ({err}). The clock is stopped and nothing is applied until it can be."
    )
}

/// The status line when no journal could be created for a new session.
pub fn journal_unavailable(dir: &std::path::Path, err: &str) -> String {
    format!(
        "Not recorded: no journal could be created in {} ({err}). Nothing is applied; quit and start ttx with --data-dir DIR or --no-journal.",
        dir.display()
    )
}

/// The note a resumed session shows until its clock is started.
pub fn resumed_note(clock: &str, records: u64, last: &str, pause_key: &str) -> String {
    format!(
        "Resumed, paused: {pause_key} carries on. Left off at {clock} after {records} command{}{last}.",
        if records == 1 { "" } else { "s" }
    )
}

/// The note a forked session shows until its clock is started.
pub fn forked_note(parent: &str, clock: &str, records: usize, pause_key: &str) -> String {
    format!(
        "Forked, paused: {pause_key} carries on. From {parent} at {clock}, after its first {records} command{}.",
        if records == 1 { "" } else { "s" }
    )
}

pub const REPLAY_TIMELINE: &str = " Timeline, all roles ";
pub const REPLAY_STATE: &str = " Facilitator's view here ";
pub const FORK_TITLE: &str = " Fork a new session ";

/// What the fork dialog says.
pub fn fork_question(clock: &str, records: usize, total: usize, parent: &str) -> String {
    format!(
        "Start a new live session from {clock}, keeping the first {records} of {total} recorded commands of {parent}?\n\nEverything after that point is left out: you play on from there (\"what if?\"). The new session gets its own journal, which names {parent} as its parent; the original stays as it is.\n\ny fork and play   n / Esc cancel"
    )
}
