//! The terminal loop: reads keys, drives the real-time clock, draws, and always gives the
//! terminal back (normal exit, error, panic via ratatui's hook, Ctrl-C as a key, SIGTERM,
//! SIGHUP). It sleeps in `poll` between events: an idle screen costs next to nothing.
// The shell may read the wall clock: it paces the game (the engine never sees it).
#![allow(clippy::disallowed_methods)]

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use crossterm::event::{self, Event, KeyEventKind};

use super::app::App;
use super::draw::draw;

/// Restores the terminal when dropped, whatever path leaves the loop.
struct Restore;

impl Drop for Restore {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

/// A seed for a new exercise when the player did not give one: from the wall clock, in the
/// shell, and always shown on the set-up screen so the run can be replayed.
pub fn fresh_seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    #[allow(clippy::cast_possible_truncation)]
    let mixed = (nanos as u64) ^ ((nanos >> 64) as u64);
    // Keep seeds short enough to read out and type in again.
    crate::engine::hash::fnv1a64(&mixed.to_le_bytes()) % 1_000_000
}

/// How long the loop may sleep when nothing is due: long enough to cost nothing, short
/// enough to notice a termination signal promptly.
const IDLE_WAIT: Duration = Duration::from_millis(250);

/// When the terminal itself has gone (the window closed: SIGHUP on a hung-up terminal),
/// crossterm's `poll` can spin inside its own read loop and never come back to look at the
/// stop flag. The watchdog gives the loop a grace period after a stop signal, then
/// restores what it can and exits: a closed window never leaves a process burning a core.
/// (Everything the players decided is already in the exercise's journal.)
/// After a hang-up the grace is short: there is no terminal left to restore or to print a
/// farewell on, and the session's lock should be free for a `resume` in a new window.
struct Watchdog {
    done: Arc<AtomicBool>,
}

impl Watchdog {
    fn start(stop: Arc<AtomicBool>, hung_up: Arc<AtomicBool>) -> Watchdog {
        let done = Arc::new(AtomicBool::new(false));
        let finished = Arc::clone(&done);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if finished.load(Ordering::Relaxed) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let grace = if hung_up.load(Ordering::Relaxed) {
                HANGUP_GRACE
            } else {
                GRACE
            };
            std::thread::sleep(grace);
            if !finished.load(Ordering::Relaxed) {
                ratatui::restore();
                std::process::exit(129);
            }
        });
        Watchdog { done }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Relaxed);
    }
}

/// How long the loop has to notice a stop signal by itself.
const GRACE: Duration = Duration::from_secs(2);

/// How long it has after a hang-up.
const HANGUP_GRACE: Duration = Duration::from_millis(300);

/// Runs the game until the player quits (or a signal ends it) and hands the app back.
pub fn run(mut app: App) -> io::Result<App> {
    let stop = Arc::new(AtomicBool::new(false));
    let hung_up = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    signal_hook::flag::register(signal_hook::consts::SIGHUP, Arc::clone(&hung_up))?;
    let mut terminal = ratatui::try_init()?;
    let _restore = Restore;
    let _watchdog = Watchdog::start(Arc::clone(&stop), Arc::clone(&hung_up));
    let mut last_tick = Instant::now();
    let mut dirty = true;
    let mut stamp = app
        .watch
        .as_ref()
        .and_then(|(_, p)| crate::scenario::file_stamp(p));
    let second = Duration::from_secs(1);
    while !app.quit && !stop.load(Ordering::Relaxed) {
        if dirty {
            terminal.draw(|f| draw(f, &app))?;
            dirty = false;
        }
        let running = app.clock_running();
        let wait = if running {
            second.saturating_sub(last_tick.elapsed()).min(IDLE_WAIT)
        } else {
            IDLE_WAIT
        };
        if event::poll(wait)? {
            match event::read()? {
                Event::Key(k) if k.kind == KeyEventKind::Press => {
                    app.key(k, &mut fresh_seed);
                    dirty = true;
                }
                Event::Resize(..) => dirty = true,
                _ => {}
            }
        }
        if let Some((entry, path)) = app.watch.clone() {
            let now = crate::scenario::file_stamp(&path);
            if now.is_some() && now != stamp {
                stamp = now;
                if let Ok(text) = crate::scenario::read_file(&path) {
                    app.reload(entry, &path.display().to_string(), &text);
                    dirty = true;
                }
            }
        }
        if running {
            if last_tick.elapsed() >= second {
                last_tick += second;
                app.tick();
                dirty = true;
            }
        } else {
            last_tick = Instant::now();
        }
    }
    Ok(app)
}
