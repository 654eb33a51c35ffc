//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::Path;
use std::sync::Arc;

use ttx::engine::Scenario;
use ttx::engine::event::EventKind;
use ttx::engine::exercise::Exercise;
use ttx::sim::{headless, script};

/// The bundled scenarios' files.
pub const BUNDLED: [&str; 6] = [
    "dropper-0330.ron",
    "bob-saas-weekend.ron",
    "franchise-crm.ron",
    "dfir-wiped-logs.ron",
    "hunt-table-game.ron",
    "supplier-update.ron",
];

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn scenario(name: &str) -> Arc<Scenario> {
    let path = root().join("scenarios").join(name);
    match ttx::scenario::load_file(&path) {
        Ok(l) => l.scenario,
        Err(e) => panic!("{e}"),
    }
}

/// A scenario of `tests/fixtures/valid/` with each `(from, to)` made once, loaded. Every
/// `from` must be in the file, so an edit that no longer applies fails the test instead of
/// testing the unedited scenario.
pub fn edited_fixture(name: &str, edits: &[(&str, &str)]) -> Arc<Scenario> {
    let path = root().join(format!("tests/fixtures/valid/{name}.ron"));
    let mut text = std::fs::read_to_string(&path).expect("fixture");
    for (from, to) in edits {
        assert!(text.contains(from), "{name}.ron has no `{from}` to edit");
        text = text.replacen(from, to, 1);
    }
    ttx::scenario::load_str(&format!("{name}.ron"), &text)
        .expect("loads")
        .scenario
}

pub fn run_script(sc: &Arc<Scenario>, seed: u64, script_name: Option<&str>) -> Exercise {
    let steps = match script_name {
        None => Vec::new(),
        Some(s) => {
            let path = root().join("tests/scripts").join(s);
            let text = std::fs::read_to_string(&path).expect("script exists");
            script::parse(s, &text, sc.start).expect("script parses")
        }
    };
    headless::run(Arc::clone(sc), seed, &steps)
}

pub fn ending(ex: &Exercise) -> Option<String> {
    ex.events().iter().rev().find_map(|e| match &e.kind {
        EventKind::ExerciseEnded { ending, .. } => Some(ending.map_or("<none>".to_owned(), |x| {
            ex.scenario().endings[usize::from(x)].id.to_string()
        })),
        _ => None,
    })
}

pub fn draw(ex: &Exercise, id: &str) -> i32 {
    let sc = ex.scenario();
    let i = sc
        .draws
        .iter()
        .position(|d| d.id.as_str() == id)
        .expect("draw exists");
    ex.state().draws[i].value
}

/// `SplitMix64`: a tiny seeded generator for test cases that must be the same on every
/// machine (kill points, mutations).
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % (n.max(1) as u64)).unwrap_or(0)
    }
}
pub mod ssh;
pub mod tags;
pub mod tools;

/// The terminal application with every bundled scenario, monochrome, default keys.
pub fn app() -> ttx::tui::app::App {
    let entries = ttx::scenario::bundled::ALL
        .iter()
        .map(|b| ttx::tui::app::Entry {
            source: "bundled".into(),
            scenario: ttx::scenario::load_str(b.file, b.text)
                .expect("valid")
                .scenario,
        })
        .collect();
    ttx::tui::app::App::new(
        entries,
        ttx::tui::config::Theme::monochrome(),
        ttx::tui::config::KeyMap::default_map(),
    )
}

/// What an empty placeholder or a missing name leaves in a rendered report.
#[allow(dead_code)] // not every test binary checks reports
pub const EMPTY_SLOTS: [&str; 11] = [
    " using .",
    "**Analysis.** \n",
    "**Observation.** \n",
    "**Recommendation.** \n",
    "<dd></dd>",
    "\u{201c}\u{201d}",
    "()",
    " .",
    " ,",
    ": .",
    "the  ",
];

/// A terminal emulator's screen, row by row: every cell's text, colours and attributes (a
/// blank cell is a space, whether it was written or never was; the cursor is left out).
pub fn cells(screen: &vt100::Screen) -> Vec<String> {
    use std::fmt::Write as _;
    let (rows, cols) = screen.size();
    (0..rows.get())
        .map(|r| {
            let mut row = String::new();
            for cell in (0..cols.get()).filter_map(|c| screen.cell(r, c)) {
                let text = if cell.has_contents() {
                    cell.contents()
                } else {
                    " "
                };
                let _ = write!(
                    row,
                    "{text}{:?}{:?}{}{}{}{}{}",
                    cell.fgcolor(),
                    cell.bgcolor(),
                    u8::from(cell.bold()),
                    u8::from(cell.dim()),
                    u8::from(cell.italic()),
                    u8::from(cell.underline()),
                    u8::from(cell.inverse())
                );
            }
            row
        })
        .collect()
}
