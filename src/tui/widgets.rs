//! Widgets every screen shares: panels and their borders, the footer of keys, a centred
//! box.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::app::App;
use super::config::{Command, Theme};

pub fn panel<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    block(title, t, true)
}

pub fn block<'a>(title: &'a str, t: &Theme, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            title,
            if focused { t.focus } else { t.border },
        ))
        .border_style(if focused { t.focus } else { t.border })
}

pub fn footer(
    f: &mut Frame,
    app: &App,
    area: Rect,
    hints: &[(Command, &str)],
    status: Option<&str>,
) {
    let t = &app.theme;
    let mut spans = Vec::new();
    if let Some(s) = status {
        spans.push(Span::styled(format!(" {s} "), t.alert));
        spans.push(Span::raw(" "));
    }
    for (cmd, what) in hints {
        spans.push(Span::styled(app.keys.first(*cmd), t.focus));
        spans.push(Span::styled(format!(" {what}  "), t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
