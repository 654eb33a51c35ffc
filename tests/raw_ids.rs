//! No raw scenario id on any screen a person reads. Every bundled scenario is played at the
//! terminal with a person in every seat and the facilitator's seat, in turn mode: each seat
//! in turn takes an action and answers what it is asked, the facilitator moves time on, and
//! every screen on the way (hand-over, briefing, game, action list, help, the facilitator's
//! dialogs, the ending, the review, the report scrolled to its end) is drawn at 80×24 and
//! 120×40 and read for ids. The ids looked for are those written as no English word is
//! (`mi_route`, `md-steps-out`, `sla2`) and that the scenario's own text does not use.

mod common;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ttx::engine::model::Scenario;
use ttx::scenario::bundled;
use ttx::tui::app::{App, Dialog, Screen, Sitter};
use ttx::tui::draw::draw;

use KeyCode::{Char, Enter, Esc, PageDown, Tab};

use common::app;

fn press(a: &mut App, keys: &[KeyCode]) {
    for k in keys {
        a.key(KeyEvent::new(*k, KeyModifiers::NONE), &mut || 11);
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// Whether `word` occurs in `text` with no word character on either side.
fn has_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        !text[..i].chars().next_back().is_some_and(is_word)
            && !text[i + word.len()..].chars().next().is_some_and(is_word)
    })
}

/// Every text of the scenario a person may read.
fn prose(sc: &Scenario) -> String {
    let mut t: Vec<String> = vec![sc.title.clone(), sc.summary.clone(), sc.notes.clone()];
    for r in &sc.roles {
        t.extend([r.name.clone(), r.persona.clone(), r.briefing.clone()]);
        t.push(r.unreachable_note.clone());
    }
    for i in &sc.injects {
        t.extend([
            i.from.to_string(),
            i.subject.to_string(),
            i.text.to_string(),
        ]);
        t.push(i.debrief.clone());
        if let Some(p) = &i.prompt {
            t.push(p.question.to_string());
            t.extend(p.options.iter().map(|o| o.label.to_string()));
            t.extend(p.options.iter().map(|o| o.debrief.clone()));
        }
    }
    for a in &sc.actions {
        t.extend([a.name.clone(), a.description.clone(), a.debrief.clone()]);
    }
    t.extend(sc.variables.iter().map(|v| v.name.clone()));
    t.extend(sc.draws.iter().map(|d| d.note.clone()));
    for e in &sc.endings {
        t.extend([e.title.clone(), e.text.clone(), e.debrief.clone()]);
    }
    t.extend(sc.objectives.iter().map(|o| o.text.clone()));
    t.extend(sc.rubric.iter().map(|c| c.text.clone()));
    t.extend(sc.slas.iter().map(|s| s.name.clone()));
    if let Some(th) = &sc.threat {
        t.push(th.name.clone());
        for s in &th.stages {
            t.extend([s.name.clone(), s.description.clone()]);
        }
    }
    t.join("\n")
}

/// The ids to look for: every id of the scenario that its prose does not use as a word.
fn ids(sc: &Scenario) -> Vec<String> {
    let mut ids: Vec<String> = vec![sc.id.to_string()];
    ids.extend(sc.roles.iter().map(|x| x.id.to_string()));
    ids.extend(sc.injects.iter().map(|x| x.id.to_string()));
    for i in &sc.injects {
        if let Some(p) = &i.prompt {
            ids.extend(p.options.iter().map(|o| o.id.to_string()));
        }
    }
    ids.extend(sc.actions.iter().map(|x| x.id.to_string()));
    ids.extend(sc.variables.iter().map(|x| x.id.to_string()));
    ids.extend(sc.draws.iter().map(|x| x.id.to_string()));
    ids.extend(sc.endings.iter().map(|x| x.id.to_string()));
    ids.extend(sc.objectives.iter().map(|x| x.id.to_string()));
    ids.extend(sc.slas.iter().map(|x| x.id.to_string()));
    if let Some(th) = &sc.threat {
        ids.extend(th.stages.iter().map(|s| s.id.to_string()));
    }
    let text = prose(sc);
    // A one-word id (`escalate`, `evidence`) is also English, in ttx's own words too.
    ids.retain(|id| id.contains(['_', '-']) || id.chars().any(|c| c.is_ascii_digit()));
    ids.retain(|id| !has_word(&text, id));
    ids.sort();
    ids.dedup();
    ids
}

struct Walk {
    ids: Vec<String>,
    screens: usize,
}

impl Walk {
    fn look(&mut self, a: &App, what: &str) {
        for (w, h) in [(80, 24), (120, 40)] {
            let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
            t.draw(|f| draw(f, a)).expect("draws");
            let shown = format!("{}", t.backend());
            for id in &self.ids {
                assert!(
                    !has_word(&shown, id),
                    "the id `{id}` is on the screen ({what}, {w}×{h}):\n{shown}"
                );
            }
            self.screens += 1;
        }
    }
}

fn game(a: &App) -> &ttx::tui::app::Game {
    match &a.screen {
        Screen::Game(g) => g,
        _ => panic!("a game"),
    }
}

/// Past the hand-over and the briefing, looking at both.
fn settle(a: &mut App, walk: &mut Walk) {
    if game(a).handover {
        walk.look(a, "hand-over");
        press(a, &[Enter]);
    }
    if matches!(game(a).console.dialog, Some(Dialog::Briefing { .. })) {
        walk.look(a, "briefing");
        press(a, &[PageDown, PageDown]);
        walk.look(a, "briefing, scrolled");
        press(a, &[Enter]);
    }
}

fn walk_scenario(entry: usize) -> Walk {
    let mut a = app();
    let sc = a.entries[entry].scenario.clone();
    let mut walk = Walk {
        ids: ids(&sc),
        screens: 0,
    };
    walk.look(&a, "launcher");
    for _ in 0..entry {
        press(&mut a, &[KeyCode::Down]);
    }
    press(&mut a, &[Enter]);
    let Screen::Setup(s) = &mut a.screen else {
        panic!("set-up")
    };
    s.turn_mode = true;
    s.facilitator = true;
    for k in &mut s.seats {
        *k = Sitter::Person;
    }
    walk.look(&a, "set-up");
    press(&mut a, &[Enter]);
    for round in 0..60 {
        if game(&a).session.ex.is_over() {
            break;
        }
        settle(&mut a, &mut walk);
        walk.look(&a, "game");
        if game(&a).console.at == ttx::engine::ids::Seat::Facilitator {
            press(&mut a, &[Char('f')]);
            walk.look(&a, "fire an inject");
            press(&mut a, &[Esc, Char('n'), Char('n')]);
        } else {
            // Answer what is asked, take the next action, look at the list.
            press(&mut a, &[Char('1'), Tab]);
            walk.look(&a, "actions");
            for _ in 0..round % 4 {
                press(&mut a, &[KeyCode::Down]);
            }
            press(&mut a, &[Enter, Tab]);
            walk.look(&a, "after an action");
            if round == 1 {
                press(&mut a, &[Char('?')]);
                walk.look(&a, "help");
                press(&mut a, &[Char('?')]);
            }
        }
        press(&mut a, &[Char('s')]);
    }
    let g = game(&a);
    if !g.session.ex.is_over() {
        // Bounded: the facilitator ends what sixty rounds did not.
        while game(&a).console.at != ttx::engine::ids::Seat::Facilitator {
            press(&mut a, &[Char('s')]);
            settle(&mut a, &mut walk);
        }
        press(&mut a, &[Char('e'), Char('y')]);
    }
    settle(&mut a, &mut walk);
    walk.look(&a, "ending");
    press(&mut a, &[Enter]);
    walk.look(&a, "review");
    press(&mut a, &[Char('r')]);
    for _ in 0..40 {
        walk.look(&a, "report");
        press(&mut a, &[PageDown]);
    }
    walk
}

#[test]
fn no_screen_shows_a_scenario_id() {
    let n = bundled::ALL.len();
    for entry in 0..n {
        let walk = walk_scenario(entry);
        assert!(walk.ids.len() > 10, "ids looked for: {:?}", walk.ids);
        assert!(walk.screens > 100, "{} screens", walk.screens);
        eprintln!(
            "scenario {entry}: {} screens, {} ids looked for",
            walk.screens,
            walk.ids.len()
        );
    }
}
