//! `ttx play FILE --watch`: a saved edit of the scenario file is played at once. In the
//! game, the session is played again on the changed file from the same seed, every command
//! given so far replayed, and the status line says where the change made them diverge; on
//! the set-up screen the set-up starts again with the same seed. A file that no longer
//! loads changes nothing: the status line points at its first error.

use std::sync::Arc;

use super::{App, Screen};

impl App {
    /// The watched file was saved with `text`: play it (see the module's note).
    pub fn reload(&mut self, entry: usize, file: &str, text: &str) {
        let loaded = match crate::scenario::load_str(file, text) {
            Ok(l) => l,
            Err(f) => {
                let first = f
                    .diagnostics
                    .iter()
                    .find(|d| d.is_error())
                    .map_or_else(String::new, |d| {
                        format!("{}:{}:{}: {}", d.file, d.line, d.col, d.message)
                    });
                self.say(&format!(
                    "The saved file does not load; still playing the last version that did. {first}"
                ));
                return;
            }
        };
        let Some(e) = self.entries.get_mut(entry) else {
            return;
        };
        e.scenario = Arc::clone(&loaded.scenario);
        match &mut self.screen {
            Screen::Game(g) => {
                let rerun = crate::session::rerun::rerun(Arc::clone(&loaded.scenario), &g.session);
                let said = crate::session::rerun::summary(&loaded.scenario, &rerun);
                g.session = rerun.session;
                let c = &mut g.console;
                *c.screen_cache.borrow_mut() = None;
                c.feed_pick = None;
                c.feed_sel = 0;
                c.action_sel = 0;
                c.detail_scroll = 0;
                c.dialog = None;
                c.report = None;
                c.ending_seen = false;
                c.status = Some(crate::untrusted::one_line(&said).into_owned());
                g.bots_now();
                g.sync();
            }
            Screen::Setup(s) if s.entry == entry => {
                let seed = s.seed;
                self.setup(entry, seed);
                self.problems.clear();
            }
            _ => {}
        }
    }

    /// A message about the watched file where the player looks: the game's status line, or
    /// the launcher's problems.
    fn say(&mut self, message: &str) {
        let message = crate::untrusted::one_line(message).into_owned();
        match &mut self.screen {
            Screen::Game(g) => g.console.status = Some(message),
            _ => self.problems = vec![message],
        }
    }
}
