//! The discussion break and the hot wash over the game: what the room is asked, what has
//! been noted, and the note being typed.

use super::{
    Clear, Command, Frame, Line, Look, Paragraph, Rect, SeatScreen, Span, Wrap, block, centered,
};

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
            "This scenario has no modules: note what the room says.",
            t.dim,
        ))),
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("Note: ", t.focus),
        Span::raw(format!("{text}▏")),
    ]));
    let title = format!(
        " Discussion break: the clock waits ({} notes, {} ends the break) ",
        app.keys.first(Command::Select),
        app.keys.first(Command::Back)
    );
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(&title, t, true)),
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
    let title = format!(
        " Hot wash: {} notes it for the report, {} closes ",
        app.keys.first(Command::Select),
        app.keys.first(Command::Back)
    );
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(&title, t, true)),
        r,
    );
}
