//! Plain text, drawn cheaply: what ratatui's `Paragraph`, `List` and `Block` draw for the
//! game's panels, cell for cell and style for style (the tests below hold it against
//! ratatui's own widgets), without cutting the text into graphemes and measuring each one.
//!
//! That work is ratatui's biggest cost in a frame, and a networked host draws a frame for
//! every terminal after every change. It is needed only where a character may join its
//! neighbours or is not one column wide. Text made of *plain* characters (printable ASCII,
//! Latin letters with their accents, and the punctuation, arrows, box-drawing lines and
//! shapes the screens use, every one a character of its own and one column wide) is
//! written a character to a cell. Anything else is drawn by ratatui's widget, whole.

use ratatui::buffer::{Buffer, CellWidth as _};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, StatefulWidget};
use ratatui::widgets::{Widget, Wrap};

/// True for a character that is one column wide and a grapheme of its own next to any other
/// plain character. `tests::plain_characters_are_single_columns` checks every one beside
/// itself and beside ASCII: that rules out the joining kinds (marks, joiners, prefixes,
/// controls, regional indicators, Hangul), and the grapheme rules break between any two
/// characters of the kinds that remain.
pub const fn plain(c: char) -> bool {
    matches!(c as u32,
        0x20..=0x7E
        | 0xA1..=0xAC | 0xAE..=0x17F
        | 0x2010..=0x2027 | 0x2030..=0x205E
        | 0x2190..=0x21FF
        | 0x2300..=0x2319 | 0x231C..=0x2328 | 0x232B..=0x23E8 | 0x23ED..=0x23EF
        | 0x23F1..=0x23F2 | 0x23F4..=0x23FF
        | 0x2500..=0x25FC | 0x25FF
    )
}

/// True when every character of `s` is [`plain`].
fn plain_str(s: &str) -> bool {
    s.bytes().all(|b| (0x20..0x7F).contains(&b)) || s.chars().all(plain)
}

fn plain_line(l: &Line<'_>) -> bool {
    l.spans.iter().all(|s| plain_str(&s.content))
}

/// Sets `style` on every cell of `area` (what `Buffer::set_style` does), a row at a time;
/// an empty style changes nothing and is skipped.
pub fn restyle(buf: &mut Buffer, area: Rect, style: Style) {
    if style == Style::default() {
        return;
    }
    let area = buf.area.intersection(area);
    if area.is_empty() {
        return;
    }
    for y in area.top()..area.bottom() {
        let at = buf.index_of(area.x, y);
        for cell in &mut buf.content[at..at + usize::from(area.width)] {
            cell.set_style(style);
        }
    }
}

/// Writes plain `s` from column `x` of row `y`, up to (not including) column `end`, every
/// cell in `style`; returns the column after the last written.
fn put(buf: &mut Buffer, x: u16, y: u16, end: u16, s: &str, style: Style) -> u16 {
    if x >= end {
        return x;
    }
    let at = buf.index_of(x, y);
    let mut n = 0u16;
    for (cell, c) in buf.content[at..at + usize::from(end - x)]
        .iter_mut()
        .zip(s.chars())
    {
        cell.set_char(c).set_style(style);
        n += 1;
    }
    x + n
}

/// Draws plain `line` as `Line::render` does (left-aligned) in the first row of `area`.
fn line_as_line(buf: &mut Buffer, area: Rect, line: &Line<'_>) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let widths: usize = line.spans.iter().map(|s| s.content.chars().count()).sum();
    if widths == 0 {
        return;
    }
    let row = Rect { height: 1, ..area };
    restyle(buf, row, line.style);
    let mut x = row.x;
    for s in &line.spans {
        if x >= row.right() {
            break;
        }
        put(
            buf,
            x,
            row.y,
            row.right(),
            &s.content,
            Style::default().patch(s.style),
        );
        let w = u16::try_from(s.content.chars().count()).unwrap_or(u16::MAX);
        x = x.saturating_add(w);
    }
}

/// A bordered panel as [`crate::tui::widgets::block`] makes it: every border a plain line
/// in `border`, and a title in its own style on the top border.
#[derive(Clone, Debug, Hash)]
pub struct Panel<'a> {
    pub title: Span<'a>,
    pub border: Style,
}

impl<'a> Panel<'a> {
    /// The same panel as a ratatui block.
    pub fn block(&self) -> Block<'a> {
        Block::default()
            .borders(Borders::ALL)
            .title(self.title.clone())
            .border_style(self.border)
    }

    /// The area inside the borders.
    pub fn inner(area: Rect) -> Rect {
        let x = area.x.saturating_add(1).min(area.right());
        let y = area.y.saturating_add(1).min(area.bottom());
        Rect {
            x,
            y,
            width: area.width.saturating_sub(2),
            height: area.height.saturating_sub(2),
        }
    }

    fn draw(&self, area: Rect, buf: &mut Buffer) {
        if !plain_str(&self.title.content) {
            self.block().render(area, buf);
            return;
        }
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let (left, top) = (area.left(), area.top());
        let (right, bottom) = (area.right() - 1, area.bottom() - 1);
        let border = self.border;
        let set = |buf: &mut Buffer, x: u16, y: u16, symbol: char| {
            buf[(x, y)].set_char(symbol).set_style(border);
        };
        // As ratatui draws them: the sides whole (the rows walked by index, the columns as
        // runs of cells), then the corners over them.
        let stride = usize::from(buf.area.width);
        for x in [left, right] {
            let first = buf.index_of(x, top);
            for cell in buf.content[first..]
                .iter_mut()
                .step_by(stride)
                .take(usize::from(area.height))
            {
                cell.set_char('│').set_style(border);
            }
        }
        for y in [top, bottom] {
            let first = buf.index_of(left, y);
            for cell in &mut buf.content[first..first + usize::from(area.width)] {
                cell.set_char('─').set_style(border);
            }
        }
        set(buf, right, bottom, '┘');
        set(buf, right, top, '┐');
        set(buf, left, bottom, '└');
        set(buf, left, top, '┌');
        let titles = Rect::new(left.saturating_add(1), top, area.width.saturating_sub(2), 1);
        if !titles.is_empty() {
            let width = u16::try_from(self.title.content.chars().count()).unwrap_or(u16::MAX);
            let title = Rect {
                width: width.min(titles.width),
                ..titles
            };
            line_as_line(buf, title, &Line::from(self.title.clone()));
        }
    }
}

/// Draws `widget` in `area` as on `buf`, but on a copy of the area with as much room again
/// to its right, which is then copied back: ratatui 0.30.2's word wrapping can write past
/// the right edge of its area (ratatui#2679, with a wide character or a leading combining
/// mark), which would draw over the panel beside it or, at the screen's edge, panic. A
/// wide character left in the area's last column (it would cover the column beside it on
/// the terminal) is blanked, as ratatui does where a span does not fit. A scenario's text
/// must not be able to draw outside its area.
pub fn contained(widget: impl Widget, area: Rect, buf: &mut Buffer) {
    let area = area.intersection(buf.area);
    if area.is_empty() {
        return;
    }
    let room = area.width.saturating_mul(2).saturating_add(2);
    let width = room.min(u16::MAX - area.x);
    let mut scratch = Buffer::empty(Rect { width, ..area });
    for y in area.top()..area.bottom() {
        let (from, to) = (buf.index_of(area.x, y), scratch.index_of(area.x, y));
        let n = usize::from(area.width);
        scratch.content[to..to + n].clone_from_slice(&buf.content[from..from + n]);
    }
    widget.render(area, &mut scratch);
    for y in area.top()..area.bottom() {
        let (from, to) = (scratch.index_of(area.x, y), buf.index_of(area.x, y));
        let n = usize::from(area.width);
        let row = &mut buf.content[to..to + n];
        row.clone_from_slice(&scratch.content[from..from + n]);
        for (k, cell) in row.iter_mut().enumerate() {
            if k + usize::from(cell.symbol().cell_width()) > n {
                cell.set_symbol(" ");
            }
        }
    }
}

/// A wrapped paragraph, drawn [`contained`] in its area.
pub struct Wrapped<'a>(pub Paragraph<'a>);

impl Widget for Wrapped<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        contained(self.0, area, buf);
    }
}

/// One plain character and its style: a grapheme of width 1.
type Glyph = (char, Style);

/// Ratatui's `WordWrapper::process_input` for plain text: the rows one line of `glyphs`
/// wraps into at `max` columns, appended to `rows`, with the same choices ratatui makes
/// (where a word breaks, which spaces are kept, `trim` or not). Every glyph is one column
/// wide, which is all that tells this from ratatui's.
fn wrap_into(glyphs: &[Glyph], max: usize, trim: bool, rows: &mut Vec<Vec<Glyph>>) {
    let before = rows.len();
    let mut line: Vec<Glyph> = Vec::new();
    let mut word: Vec<Glyph> = Vec::new();
    let mut space: std::collections::VecDeque<Glyph> = std::collections::VecDeque::new();
    let mut after_word = false;
    for &g in glyphs {
        let blank = g.0.is_whitespace();
        let word_found = after_word && blank;
        let first = line.is_empty();
        let trimmed_overflow = first && trim && word.len() + 1 > max;
        let space_overflow = first && trim && space.len() + 1 > max;
        let untrimmed_overflow = first && !trim && word.len() + space.len() + 1 > max;
        if word_found || trimmed_overflow || space_overflow || untrimmed_overflow {
            if !line.is_empty() || !trim {
                line.extend(space.drain(..));
            }
            line.append(&mut word);
            space.clear();
        }
        if line.len() >= max || line.len() + space.len() + word.len() >= max {
            let mut room = max.saturating_sub(line.len());
            rows.push(std::mem::take(&mut line));
            while room > 0 && space.pop_front().is_some() {
                room -= 1;
            }
            if blank && space.is_empty() {
                continue;
            }
        }
        if blank {
            space.push_back(g);
        } else {
            word.push(g);
        }
        after_word = !blank;
    }
    if line.is_empty() && word.is_empty() && !space.is_empty() && trim {
        rows.push(Vec::new());
    }
    if !line.is_empty() || !trim {
        line.extend(space.drain(..));
    }
    line.append(&mut word);
    if !line.is_empty() {
        rows.push(line);
    }
    if rows.len() == before {
        rows.push(Vec::new());
    }
}

/// Lines of text in a panel or without one: ratatui's `Paragraph`, not aligned; scrolled
/// and wrapped when asked (plain text is wrapped here, by ratatui's rules; other text is
/// drawn by the paragraph itself, [`contained`]).
#[derive(Clone, Debug, Hash)]
pub struct Lines<'a> {
    text: Text<'a>,
    panel: Option<Panel<'a>>,
    style: Style,
    /// Wrapped at words, trimming or keeping the spaces that start a row (`Wrap { trim }`).
    wrap: Option<bool>,
    /// Rows skipped at the top.
    scroll: u16,
}

impl<'a> Lines<'a> {
    pub fn new(text: impl Into<Text<'a>>) -> Lines<'a> {
        Lines {
            text: text.into(),
            panel: None,
            style: Style::default(),
            wrap: None,
            scroll: 0,
        }
    }

    #[must_use]
    pub fn panel(mut self, panel: Panel<'a>) -> Lines<'a> {
        self.panel = Some(panel);
        self
    }

    #[must_use]
    pub fn style(mut self, style: Style) -> Lines<'a> {
        self.style = style;
        self
    }

    /// Wraps long lines at words (`Wrap { trim }`).
    #[must_use]
    pub fn wrap(mut self, trim: bool) -> Lines<'a> {
        self.wrap = Some(trim);
        self
    }

    /// Skips `rows` rows at the top (wrapped rows, when wrapped).
    #[must_use]
    pub fn scroll(mut self, rows: u16) -> Lines<'a> {
        self.scroll = rows;
        self
    }

    fn paragraph(self) -> Paragraph<'a> {
        let mut p = Paragraph::new(self.text).style(self.style);
        if let Some(panel) = &self.panel {
            p = p.block(panel.block());
        }
        if let Some(trim) = self.wrap {
            p = p.wrap(Wrap { trim });
        }
        p.scroll((self.scroll, 0))
    }
}

impl Widget for Lines<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let inner = if self.panel.is_some() {
            Panel::inner(area)
        } else {
            area
        };
        let aligned =
            self.text.alignment.is_some() || self.text.iter().any(|l| l.alignment.is_some());
        let plain = self
            .panel
            .as_ref()
            .is_none_or(|p| plain_str(&p.title.content))
            && self.text.iter().all(plain_line);
        if aligned || !plain {
            if self.wrap.is_some() {
                contained(self.paragraph(), area, buf);
            } else {
                self.paragraph().render(area, buf);
            }
            return;
        }
        restyle(buf, area, self.style);
        if let Some(panel) = &self.panel {
            panel.draw(area, buf);
        }
        if inner.is_empty() {
            return;
        }
        restyle(buf, inner, self.style);
        let width = usize::from(inner.width);
        let mut rows = (inner.top()..inner.bottom()).peekable();
        let mut skip = usize::from(self.scroll);
        let mut wrapped: Vec<Vec<Glyph>> = Vec::new();
        for l in self.text.iter() {
            if rows.peek().is_none() {
                break;
            }
            let base = self.text.style.patch(l.style);
            let chars: usize = l.spans.iter().map(|s| s.content.chars().count()).sum();
            // A line that needs no wrapping (or may not be wrapped) is one row, as it is.
            if self.wrap.is_none() || (self.wrap == Some(false) && chars <= width) {
                if skip > 0 {
                    skip -= 1;
                } else if let Some(y) = rows.next() {
                    let mut x = inner.x;
                    for s in &l.spans {
                        x = put(buf, x, y, inner.right(), &s.content, base.patch(s.style));
                    }
                }
                continue;
            }
            let glyphs: Vec<Glyph> = l
                .spans
                .iter()
                .flat_map(|s| {
                    let style = base.patch(s.style);
                    s.content.chars().map(move |c| (c, style))
                })
                .collect();
            wrapped.clear();
            wrap_into(&glyphs, width, self.wrap == Some(true), &mut wrapped);
            for row in &wrapped {
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                let Some(y) = rows.next() else { break };
                let at = buf.index_of(inner.x, y);
                for (cell, (c, style)) in buf.content[at..at + width].iter_mut().zip(row) {
                    cell.set_char(*c).set_style(*style);
                }
            }
        }
    }
}

/// A list of one-line rows with one highlighted, in a panel: ratatui's `List` with a
/// highlight style and no symbol, every row visible (the caller picks the rows that fit).
#[derive(Clone, Debug, Hash)]
pub struct Rows<'a> {
    pub rows: Vec<Line<'a>>,
    pub panel: Panel<'a>,
    pub selected: Option<usize>,
    pub highlight: Style,
}

impl Widget for Rows<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let inner = Panel::inner(area.intersection(buf.area));
        let fits = self.rows.len() <= usize::from(inner.height)
            && self.selected.is_none_or(|s| s < self.rows.len());
        if !fits || !plain_str(&self.panel.title.content) || !self.rows.iter().all(plain_line) {
            let list = List::new(self.rows.into_iter().map(ListItem::new))
                .block(self.panel.block())
                .highlight_style(self.highlight);
            let mut state = ListState::default().with_selected(self.selected);
            StatefulWidget::render(list, area, buf, &mut state);
            return;
        }
        self.panel.draw(area, buf);
        if inner.is_empty() {
            return;
        }
        for (i, (l, y)) in self.rows.iter().zip(inner.top()..).enumerate() {
            let row = Rect::new(inner.x, y, inner.width, 1);
            line_as_line(buf, row, l);
            if self.selected == Some(i) {
                restyle(buf, row, self.highlight);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier};

    use super::*;

    /// Every plain character is one column wide and a grapheme of its own, beside itself
    /// and beside ASCII: drawn by ratatui, "a" + c + c + "b" fills four cells.
    #[test]
    fn plain_characters_are_single_columns() {
        let mut n = 0;
        for c in (0..=0x0010_FFFF_u32)
            .filter_map(char::from_u32)
            .filter(|c| plain(*c))
        {
            n += 1;
            let mut buf = Buffer::empty(Rect::new(0, 0, 6, 1));
            let text = format!("a{c}{c}b");
            Line::from(text.as_str()).render(buf.area, &mut buf);
            let cells: Vec<&str> = buf
                .content
                .iter()
                .map(ratatui::buffer::Cell::symbol)
                .collect();
            let c = c.to_string();
            assert_eq!(cells, ["a", &c, &c, "b", " ", " "], "{c:?}");
        }
        assert!(n > 700, "{n} plain characters");
    }

    /// Text mostly plain, now and then not (wide, joined, a control, an emoji).
    fn any_text() -> impl Strategy<Value = String> {
        let plain = prop::sample::select(vec![
            "a", "Bob", " ", "  ", "12:30", "é", "→", "…", "●", "│", "—", "·", "▲",
        ]);
        let other = prop::sample::select(vec!["漢", "e\u{301}", "\t", "🙂"]);
        let piece = prop_oneof![40 => plain, 1 => other];
        prop::collection::vec(piece, 0..8).prop_map(|v| v.concat())
    }

    fn any_style() -> impl Strategy<Value = Style> {
        prop::sample::select(vec![
            Style::default(),
            Style::default().fg(Color::Red),
            Style::default()
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            Style::default().add_modifier(Modifier::REVERSED),
            Style::default()
                .remove_modifier(Modifier::BOLD)
                .fg(Color::Indexed(7)),
        ])
    }

    fn any_line() -> impl Strategy<Value = Line<'static>> {
        (
            prop::collection::vec((any_text(), any_style()), 0..4),
            any_style(),
        )
            .prop_map(|(spans, style)| {
                Line::from(
                    spans
                        .into_iter()
                        .map(|(t, s)| Span::styled(t, s))
                        .collect::<Vec<_>>(),
                )
                .style(style)
            })
    }

    fn any_area() -> impl Strategy<Value = Rect> {
        (0u16..36, 0u16..12, 0u16..40, 0u16..14).prop_map(|(x, y, w, h)| Rect::new(x, y, w, h))
    }

    /// An area inside [`canvas`] (where a screen's layout puts every widget).
    fn inside() -> impl Strategy<Value = Rect> {
        (2u16..32, 1u16..10).prop_flat_map(|(x, y)| {
            (0..=32 - x, 0..=10 - y).prop_map(move |(w, h)| Rect::new(x, y, w, h))
        })
    }

    /// A buffer not at the origin, already drawn on (styles and text), as a widget finds it.
    fn canvas(under: Style) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(2, 1, 30, 9));
        let area = buf.area;
        buf.set_style(area, under);
        for y in area.top()..area.bottom() {
            buf.set_string(
                area.x,
                y,
                "xy".repeat(15),
                Style::default().fg(Color::Green),
            );
        }
        buf
    }

    /// `drawn` (on `before`) as if kept inside `area`: the cells outside as they were
    /// before, a wide character in the area's last column blanked.
    fn kept_inside(before: &Buffer, drawn: &Buffer, area: Rect) -> Buffer {
        let area = area.intersection(before.area);
        let mut kept = before.clone();
        for y in area.top()..area.bottom() {
            for x in area.left()..area.right() {
                let cell = &mut kept[(x, y)];
                cell.clone_from(&drawn[(x, y)]);
                if x + cell.symbol().cell_width() > area.right() {
                    cell.set_symbol(" ");
                }
            }
        }
        kept
    }

    fn panel(title: String, border: Style) -> Panel<'static> {
        Panel {
            title: Span::styled(title, border.fg(Color::Yellow)),
            border,
        }
    }

    /// Text that makes ratatui 0.30.2's wrapping write past its area is drawn inside it,
    /// and at the screen's right edge does not panic.
    #[test]
    fn wrapped_text_stays_inside_its_area() {
        for (text, width) in [
            ("a🙂a", 2u16),
            ("\u{301}ab cd\u{301}e fg", 3),
            ("x🙂🙂 y", 3),
            ("aa🙂", 3),
            ("—漢●", 2),
        ] {
            for trim in [false, true] {
                // The area at the right edge of the screen, then beside another panel.
                for right in [0u16, 4] {
                    let mut buf = Buffer::empty(Rect::new(0, 0, width + right, 6));
                    for y in 0..6 {
                        buf.set_string(width, y, "####", Style::default());
                    }
                    let area = Rect::new(0, 0, width, 6);
                    Lines::new(text).wrap(trim).render(area, &mut buf);
                    for y in 0..6 {
                        let beside: String = (width..width + right)
                            .map(|x| buf[(x, y)].symbol().to_owned())
                            .collect();
                        assert_eq!(beside, "#".repeat(usize::from(right)), "{text:?} {trim}");
                        // Nor does a wide character in the last column cover the next one.
                        let last = buf[(width - 1, y)].symbol().cell_width();
                        assert!(last <= 1, "{text:?} {trim} row {y}");
                    }
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(400))]

        #[test]
        fn lines_draw_what_a_paragraph_draws(
            lines in prop::collection::vec(any_line(), 0..12),
            title in any_text(),
            (under, style, border) in (any_style(), any_style(), any_style()),
            (boxed, wrap, scroll) in (any::<bool>(), prop::option::of(any::<bool>()), 0u16..4),
            area in any_area(),
        ) {
            let mut ours = Lines::new(lines.clone()).style(style);
            if boxed {
                ours = ours.panel(panel(title.clone(), border));
            }
            if let Some(trim) = wrap {
                ours = ours.wrap(trim);
            }
            ours = ours.scroll(scroll);
            let mut theirs = Paragraph::new(lines).style(style).scroll((scroll, 0));
            if boxed {
                theirs = theirs.block(panel(title, border).block());
            }
            if let Some(trim) = wrap {
                theirs = theirs.wrap(Wrap { trim });
            }
            let (mut a, mut b) = (canvas(under), canvas(under));
            ours.render(area, &mut a);
            // ratatui 0.30.2's wrapping can overrun its area (ratatui#2679): where it
            // panics, drawing the same text here must not; where it draws outside the
            // area, or leaves a wide character hanging over its edge, what it drew inside
            // is what is drawn here, and nothing outside.
            let drawn = std::panic::catch_unwind(move || {
                theirs.render(area, &mut b);
                b
            });
            if let Ok(b) = drawn {
                prop_assert_eq!(a, kept_inside(&canvas(under), &b, area));
            }
        }

        #[test]
        fn rows_draw_what_a_list_draws(
            rows in prop::collection::vec(any_line(), 0..10),
            title in any_text(),
            (under, border, highlight) in (any_style(), any_style(), any_style()),
            selected in prop::option::of(0usize..12),
            area in inside(),
        ) {
            let ours = Rows {
                rows: rows.clone(),
                panel: panel(title.clone(), border),
                selected,
                highlight,
            };
            let theirs = List::new(rows.into_iter().map(ListItem::new))
                .block(panel(title, border).block())
                .highlight_style(highlight);
            let (mut a, mut b) = (canvas(under), canvas(under));
            ours.render(area, &mut a);
            StatefulWidget::render(
                theirs,
                area,
                &mut b,
                &mut ListState::default().with_selected(selected),
            );
            prop_assert_eq!(a, b);
        }
    }
}
