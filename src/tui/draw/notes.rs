//! The discussion break and the hot wash over the game: what the room is asked, what has
//! been noted, and the note being typed.

use super::{
    Clear, Command, Dialog, Frame, Line, Look, Paragraph, Rect, SeatScreen, Span, Wrap, block,
    centered,
};
use crate::tui::plain::Wrapped;

/// The note being written, over the game.
pub(super) fn draw(f: &mut Frame, app: &Look<'_>, s: &SeatScreen, d: &Dialog, area: Rect) {
    match d {
        Dialog::Discussion { text, .. } => discussion(f, app, s, text, area),
        Dialog::HotWash { text, improvement } => hot_wash(f, app, text, *improvement, area),
        Dialog::Observe {
            row,
            objective,
            rating,
            text,
        } => observe(f, app, s, (*row, *objective, *rating, text), area),
        _ => {}
    }
}

/// A discussion break: the module's questions, what was noted, the note being typed.
pub(super) fn discussion(f: &mut Frame, app: &Look<'_>, s: &SeatScreen, text: &str, area: Rect) {
    let t = app.theme;
    let r = centered(area, 90, area.height.saturating_sub(2));
    f.render_widget(Clear, r);
    let mut lines = Vec::new();
    match s.board.as_ref().and_then(|b| b.module.as_ref()) {
        Some(m) => {
            lines.push(Line::from(Span::styled(m.heading.clone(), t.focus)));
            for (i, q) in m.questions.iter().enumerate() {
                lines.push(Line::from(format!("{}. {q}", i + 1)));
            }
            if !m.noted.is_empty() {
                lines.push(Line::raw(""));
                lines.push(Line::from(Span::styled("Noted so far:", t.dim)));
                for n in &m.noted {
                    lines.push(Line::from(format!("· {n}")));
                }
            }
        }
        None => lines.push(Line::from(Span::styled(
            "This exercise has no modules: note what the room says.",
            t.dim,
        ))),
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Note: ", t.focus),
        Span::raw(format!("{text}▏")),
    ]));
    overlay(
        f,
        app,
        lines,
        (
            "Discussion break: the clock waits (",
            "notes, ",
            "ends the break)",
        ),
        r,
    );
}

/// The hot wash: a strength or an area to improve, typed by this seat.
pub(super) fn hot_wash(f: &mut Frame, app: &Look<'_>, text: &str, improvement: bool, area: Rect) {
    let t = app.theme;
    let r = centered(area, 80, 10);
    f.render_widget(Clear, r);
    let (on, off) = (t.selected, t.dim);
    let lines = vec![
        Line::from(vec![
            Span::styled(" What went well ", if improvement { off } else { on }),
            Span::raw("  "),
            Span::styled(" What to improve ", if improvement { on } else { off }),
            Span::styled("   (Tab switches)", t.dim),
        ]),
        Line::raw(""),
        Line::from(format!("{text}▏")),
    ];
    overlay(
        f,
        app,
        lines,
        ("Hot wash: ", "notes it for the report, ", "closes"),
        r,
    );
}

/// An observation: the objective it is about, a rating, the text.
pub(super) fn observe(
    f: &mut Frame,
    app: &Look<'_>,
    s: &SeatScreen,
    form: (usize, usize, usize, &str),
    area: Rect,
) {
    let (row, objective, rating, text) = form;
    let t = app.theme;
    let r = centered(area, 90, 12);
    f.render_widget(Clear, r);
    let objectives = s
        .board
        .as_ref()
        .map(|b| b.objectives.as_slice())
        .unwrap_or_default();
    let about = objective
        .checked_sub(1)
        .and_then(|i| objectives.get(i))
        .map_or("none (a general observation)", |(_, text)| text.as_str());
    let rated = [
        "none",
        "P performed",
        "S some challenges",
        "M major challenges",
        "U unable",
    ]
    .get(rating)
    .copied()
    .unwrap_or("none");
    let field = |n: usize, label: &str, value: String| {
        let style = if n == row { t.selected } else { t.text };
        Line::from(vec![
            Span::styled(format!("{label:<11}"), t.dim),
            Span::styled(value, style),
        ])
    };
    let lines = vec![
        field(0, "Objective", about.to_owned()),
        field(1, "Rating", rated.to_owned()),
        field(
            2,
            "Note",
            format!("{text}{}", if row == 2 { "▏" } else { "" }),
        ),
        Line::raw(""),
        Line::from(Span::styled(
            "Up/Down between the fields; Enter or Space changes the objective and the rating.",
            t.dim,
        )),
    ];
    overlay(
        f,
        app,
        lines,
        ("Observation: ", "on the note records it, ", "closes"),
        r,
    );
}

/// A note's box: its lines, and a title that names the keys (`before` Enter `between` Esc
/// `after`).
fn overlay(
    f: &mut Frame,
    app: &Look<'_>,
    lines: Vec<Line<'_>>,
    (before, between, after): (&str, &str, &str),
    r: Rect,
) {
    let title = format!(
        " {before}{} {between}{} {after} ",
        app.keys.first(Command::Select),
        app.keys.first(Command::Back)
    );
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(&title, app.theme, true)),
        ),
        r,
    );
}
