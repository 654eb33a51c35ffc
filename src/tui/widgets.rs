//! Widgets every screen shares: panels and their borders, the footer of keys, a centred
//! box.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use super::config::{Command, KeyMap, Theme};
use super::plain::{Lines, Panel};
use crate::words::briefing::Briefing;

/// How the terminal looks and which keys its hints name: a theme and a key map. The local
/// terminal has the player's; a seat joined over the network has its own (colour or not).
#[derive(Clone, Copy, Debug)]
pub struct Look<'a> {
    pub theme: &'a Theme,
    pub keys: &'a KeyMap,
}

/// Anything a screen can be drawn with: the application, or a look of its own.
pub trait Looks {
    fn look(&self) -> Look<'_>;
}

impl Looks for Look<'_> {
    fn look(&self) -> Look<'_> {
        *self
    }
}

pub fn panel<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    block(title, t, true)
}

pub fn block<'a>(title: &'a str, t: &Theme, focused: bool) -> Block<'a> {
    boxed(title, t, focused).block()
}

/// A panel with borders all round and a title, in the focus colour when `focused`.
pub fn boxed<'a>(title: impl Into<Cow<'a, str>>, t: &Theme, focused: bool) -> Panel<'a> {
    let style = if focused { t.focus } else { t.border };
    Panel {
        title: Span::styled(title, style),
        border: style,
    }
}

pub fn footer<L: Looks + ?Sized>(
    f: &mut Frame,
    app: &L,
    area: Rect,
    hints: &[(Command, &str)],
    status: Option<&str>,
) {
    f.render_widget(footer_line(&app.look(), hints, status), area);
}

/// The footer: what went wrong or is awaited (`status`), then each hint's key and what it
/// does.
pub fn footer_line(
    app: &Look<'_>,
    hints: &[(Command, &str)],
    status: Option<&str>,
) -> Lines<'static> {
    let t = app.theme;
    let mut spans = Vec::new();
    if let Some(s) = status {
        spans.push(Span::styled(format!(" {s} "), t.alert));
        spans.push(Span::raw(" "));
    }
    for (cmd, what) in hints {
        spans.push(Span::styled(app.keys.first(*cmd), t.focus));
        spans.push(Span::styled(format!(" {what}  "), t.dim));
    }
    Lines::new(Line::from(spans))
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

/// Marks on the borders of a list drawn in `area` saying how many of its items are out of
/// sight: "▲ N more" on the top border, "▼ N more" on the bottom one; a widget to draw in
/// the same area, over the list.
#[derive(Clone, Copy, Debug, Hash)]
pub struct Marks {
    above: usize,
    below: usize,
    style: Style,
}

impl Marks {
    /// The marks for a list of one-row items, `rows` of them, from `offset` on.
    pub fn rows(area: Rect, rows: usize, offset: usize, t: &Theme) -> Marks {
        let room = usize::from(area.height.saturating_sub(2));
        Marks {
            above: offset,
            below: rows.saturating_sub(offset + room),
            style: t.focus,
        }
    }

    /// The marks in `style` for items of `heights` rows, from `offset` on (as the list's
    /// state has it after drawing).
    pub fn new(area: Rect, heights: &[usize], offset: usize, style: Style) -> Marks {
        let room = usize::from(area.height.saturating_sub(2));
        let mut used = 0;
        let mut shown = 0;
        for h in heights.iter().skip(offset) {
            if used + h > room {
                break;
            }
            used += h;
            shown += 1;
        }
        Marks {
            above: offset,
            below: heights.len().saturating_sub(offset + shown),
            style,
        }
    }
}

impl Widget for Marks {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height < 3 || area.width < 14 {
            return;
        }
        for (n, y, arrow) in [
            (self.above, area.y, "▲"),
            (self.below, area.y + area.height - 1, "▼"),
        ] {
            if n == 0 {
                continue;
            }
            let mark = format!(" {arrow} {n} more ");
            let w = u16::try_from(mark.chars().count()).unwrap_or(u16::MAX);
            if w + 4 > area.width {
                continue;
            }
            let at = Rect::new(area.x + area.width - w - 2, y, w, 1);
            Lines::new(Line::from(Span::styled(mark, self.style))).render(at, buf);
        }
    }
}

/// Two widgets drawn in the same area, the second over the first.
#[derive(Clone, Debug, Hash)]
pub struct Over<A, B>(pub A, pub B);

impl<A: Widget, B: Widget> Widget for Over<A, B> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.0.render(area, buf);
        self.1.render(area, buf);
    }
}

/// Splits text into at most `max_lines` lines of at most `width` characters at spaces; the
/// last line is cut with an ellipsis if the text is longer still.
pub fn wrap_words(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let fits = cur.is_empty() || cur.chars().count() + 1 + word.chars().count() <= width;
        if !fits {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    for l in &mut lines {
        if l.chars().count() > width {
            *l = l
                .chars()
                .take(width.saturating_sub(1))
                .chain(['…'])
                .collect();
        }
    }
    lines
}

/// What a line of a briefing card is, for its style.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CardLine {
    Name,
    Persona,
    Heading,
    Text,
}

/// A briefing card as text lines `width` characters wide at most: the name, the persona,
/// then each section's heading, paragraphs and items.
fn card_text(b: &Briefing, width: usize) -> Vec<(String, CardLine)> {
    let width = width.max(10);
    let mut lines = Vec::new();
    let para = |lines: &mut Vec<(String, CardLine)>, text: &str, lead: &str, kind| {
        let rest = " ".repeat(lead.chars().count());
        for (i, l) in wrap_words(text, width - lead.chars().count(), usize::MAX)
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 { lead } else { rest.as_str() };
            lines.push((format!("{lead}{l}"), kind));
        }
    };
    para(&mut lines, &b.name, "", CardLine::Name);
    if !b.persona.is_empty() {
        para(&mut lines, &b.persona, "", CardLine::Persona);
    }
    for s in &b.sections {
        lines.push((String::new(), CardLine::Text));
        para(&mut lines, &s.heading, "", CardLine::Heading);
        for p in &s.paragraphs {
            para(&mut lines, p, "", CardLine::Text);
        }
        for i in &s.items {
            para(&mut lines, i, "· ", CardLine::Text);
        }
    }
    lines
}

/// A briefing card as styled lines `width` characters wide at most.
pub fn briefing_lines(b: &Briefing, width: usize, t: &Theme) -> Vec<Line<'static>> {
    card_text(b, width)
        .into_iter()
        .map(|(l, kind)| {
            let style = match kind {
                CardLine::Name => t.focus,
                CardLine::Persona => t.dim,
                CardLine::Heading => t.header,
                CardLine::Text => t.text,
            };
            Line::from(Span::styled(l, style))
        })
        .collect()
}

/// The most a briefing card can be scrolled on the smallest screen (80×24): its lines at
/// that width, less the rows the card shows there.
pub fn briefing_scroll_max(b: &Briefing) -> u16 {
    let lines = card_text(b, usize::from(super::text::MIN_WIDTH) - 4).len();
    let rows = usize::from(super::text::MIN_HEIGHT).saturating_sub(4);
    u16::try_from(lines.saturating_sub(rows)).unwrap_or(u16::MAX)
}
