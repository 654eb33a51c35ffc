//! The launcher and the set-up screen.

use super::{
    App, Command, Constraint, Frame, Layout, Line, List, ListItem, ListState, Paragraph, Rect,
    Scenario, Setup, Sitter, Span, Wrap, block, footer, text,
};
use crate::tui::plain::Wrapped;

pub(super) fn length(sc: &Scenario) -> String {
    let m = sc.end.minutes();
    format!("{}h{:02}", m / 60, m % 60)
}

pub(super) fn launcher(f: &mut Frame, app: &App, sel: usize, area: Rect) {
    let t = &app.theme;
    let [main, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(main);
    let items: Vec<ListItem> = app
        .entries
        .iter()
        .map(|e| {
            ListItem::new(vec![
                Line::from(Span::styled(e.scenario.title.clone(), t.text)),
                Line::from(Span::styled(
                    format!(
                        "  {} · {} · {}",
                        e.scenario.start.clock(crate::engine::GameTime::ZERO),
                        length(&e.scenario),
                        e.source
                    ),
                    t.dim,
                )),
            ])
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(sel));
    f.render_stateful_widget(
        List::new(items)
            .block(block(text::LAUNCHER_TITLE, t, true))
            .highlight_style(t.selected)
            .highlight_symbol("▸ "),
        left,
        &mut state,
    );
    let mut lines: Vec<Line> = Vec::new();
    if let Some(e) = app.entries.get(sel) {
        let sc = &e.scenario;
        lines.push(Line::from(Span::styled(sc.title.clone(), t.focus)));
        lines.push(Line::from(Span::styled(
            format!(
                "{} → {} ({}) · {}",
                sc.start.clock(crate::engine::GameTime::ZERO),
                sc.start.clock(sc.end),
                length(sc),
                e.source
            ),
            t.dim,
        )));
        lines.push(Line::default());
        lines.push(Line::from(sc.summary.clone()));
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Roles", t.focus)));
        for r in &sc.roles {
            let side = format!("{:?}", r.side).to_lowercase();
            lines.push(Line::from(vec![
                Span::raw(format!("• {} ", r.name)),
                Span::styled(format!("({side}, {})", sc.levels_words(r)), t.dim),
            ]));
        }
        if !sc.objectives.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled("Objectives", t.focus)));
            for o in &sc.objectives {
                lines.push(Line::from(format!("• {}", o.text)));
            }
        }
        if !sc.tags.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("Themes: {}", sc.tags.join(", ")),
                t.dim,
            )));
        }
    } else {
        lines.push(Line::from("No scenarios found."));
    }
    if !app.problems.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Files in ./scenarios that did not load (ttx check FILE explains):",
            t.alert,
        )));
        for p in &app.problems {
            let first = p.lines().next().unwrap_or_default();
            lines.push(Line::from(Span::styled(format!("• {first}"), t.dim)));
        }
    }
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .block(block(" About ", t, false))
                .wrap(Wrap { trim: false }),
        ),
        right,
    );
    footer(
        f,
        app,
        foot,
        &[
            (Command::Select, "set up"),
            (Command::Down, "next"),
            (Command::Up, "previous"),
            (Command::Help, "help"),
            (Command::Quit, "quit"),
        ],
        None,
    );
}

pub(super) fn setup(f: &mut Frame, app: &App, s: &Setup, area: Rect) {
    const START: &str = "▶ Start the exercise";
    let t = &app.theme;
    let Some(entry) = app.entries.get(s.entry) else {
        return;
    };
    let sc = &entry.scenario;
    let [main, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let pacing = if s.turn_mode {
        "turn mode: players advance to the next event".to_owned()
    } else {
        format!(
            "real time: 1 second = {} game minute{}",
            s.pace,
            if s.pace == 1 { "" } else { "s" }
        )
    };
    let label_width = ["Seed", "Pacing", "Facilitator seat", START]
        .into_iter()
        .chain(sc.roles.iter().map(|r| r.name.as_str()))
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(20)
        // The labels take at most two fifths of the row: the values are what is set.
        .min(40)
        .min(usize::from(area.width) * 2 / 5);
    // Room for a row's value: the panel's borders, the selection mark, the label, a gap.
    let room = usize::from(area.width).saturating_sub(label_width + 6);
    // The seed's keys in as many words as fit.
    let seed = match &s.editing_seed {
        Some(text) => format!("{text}▏  (type digits, Enter to keep)"),
        None => [
            "  (Enter to type one, r for a new random seed)",
            "  (Enter: type one · r: random)",
            "",
        ]
        .into_iter()
        .map(|hint| format!("{}{hint}", s.seed))
        .find(|v| v.chars().count() <= room)
        .unwrap_or_else(|| s.seed.to_string()),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("Seed".into(), seed),
        ("Pacing".into(), pacing),
        (
            "Facilitator seat".into(),
            match (s.facilitator, s.evaluator) {
                (true, false) => "yes: a facilitator plays here too (sees everything)".into(),
                (true, true) => "yes, and an evaluator who watches and notes".into(),
                (false, true) => "no; an evaluator watches and notes".into(),
                (false, false) => "no".into(),
            },
        ),
    ];
    for (r, k) in sc.roles.iter().zip(&s.seats) {
        rows.push((
            r.name.clone(),
            match k {
                Sitter::Person | Sitter::Script => "played by a person here".into(),
                Sitter::Bot(b) => format!("bot: {}", b.policy.name()),
                Sitter::Nobody => "not played: nobody acts, answers or approves for it".into(),
            },
        ));
    }
    rows.push((START.into(), String::new()));
    // A value too long for the row is cut with an ellipsis, not at the border.
    let items: Vec<ListItem> = rows
        .iter()
        .map(|(k, v)| {
            ListItem::new(Line::from(vec![
                Span::styled(
                    format!(
                        "{:<label_width$}  ",
                        crate::words::names::short(k, label_width)
                    ),
                    t.focus,
                ),
                Span::raw(crate::words::names::short(v, room.max(1))),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.row));
    let [top, bottom] = Layout::vertical([
        Constraint::Length(u16::try_from(rows.len()).unwrap_or(20) + 2),
        Constraint::Min(1),
    ])
    .areas(main);
    f.render_stateful_widget(
        List::new(items)
            .block(block(text::SETUP_TITLE, t, true))
            .highlight_style(t.selected)
            .highlight_symbol("▸ "),
        top,
        &mut state,
    );
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{} — {}", sc.title, sc.summary),
            t.text,
        )),
        Line::default(),
        Line::from(Span::styled(
            "The seed is kept in the journal and printed in the report: the same seed and the same decisions replay the same exercise.",
            t.dim,
        )),
    ];
    let people = s.seats.iter().filter(|k| **k == Sitter::Person).count();
    if let Some(Sitter::Bot(b)) = s.row.checked_sub(3).and_then(|r| s.seats.get(r)) {
        let role = &sc.roles[s.row - 3].name;
        lines.push(Line::from(Span::styled(
            format!(
                "{role}: {} bot ({}), reacting in {}–{} game minutes.",
                b.policy.name(),
                b.policy.describe(),
                b.reaction.0,
                b.reaction.1
            ),
            t.text,
        )));
    }
    if s.seats.iter().any(|k| matches!(k, Sitter::Bot(_))) {
        lines.push(Line::from(Span::styled(
            "Bots play through the same commands as a person and see only their role's screen. Enter on a role cycles: person, its usual bot, the other bots, nobody.",
            t.dim,
        )));
    }
    if people > 1 {
        lines.push(Line::from(Span::styled(
            format!("Hot seat: {people} roles share this keyboard; switching roles passes through a hand-over screen."),
            t.dim,
        )));
    }
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .block(block(" Notes ", t, false)),
        ),
        bottom,
    );
    footer(
        f,
        app,
        foot,
        &[
            (Command::Select, "change / start"),
            (Command::Back, "back"),
            (Command::Help, "help"),
            (Command::Quit, "quit"),
        ],
        None,
    );
}
