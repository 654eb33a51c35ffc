//! A ratatui backend that turns a frame's changed cells straight into the escape sequences a
//! remote terminal reads, in a byte buffer: no terminal of the host's is asked anything (a
//! remote terminal's size is what its client said), nothing is formatted through `fmt`, and
//! nothing is locked. It writes what ratatui's crossterm backend writes for the same cells,
//! to the byte (the test below compares them), for about a tenth of a frame's instructions
//! less. One difference: crossterm leaves every colour out when the host's own environment
//! says `NO_COLOR`, writing `ESC[;m`, which also resets bold and reverse in mid-row; here
//! each participant's colour or none is their own terminal's choice (the theme drawn with).

use std::io;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};

/// A remote terminal's screen as bytes: everything drawn since the bytes were last taken.
#[derive(Debug)]
pub struct Ansi {
    out: Vec<u8>,
    size: Size,
}

impl Ansi {
    /// A terminal of `size` (columns, rows).
    pub fn new(size: (u16, u16)) -> Ansi {
        Ansi {
            out: Vec::new(),
            size: Size::new(size.0, size.1),
        }
    }

    /// The terminal changed size.
    pub fn resize(&mut self, size: (u16, u16)) {
        self.size = Size::new(size.0, size.1);
    }

    /// The terminal's size, in columns and rows.
    pub fn columns_rows(&self) -> (u16, u16) {
        (self.size.width, self.size.height)
    }

    /// The bytes drawn since the last call.
    pub fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }
}

/// Appends `n` in decimal.
fn number(out: &mut Vec<u8>, n: u16) {
    let mut digits = [0u8; 5];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + u8::try_from(n % 10).unwrap_or(0);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

/// Appends a colour's parameters after its layer's lead (`38` foreground, `48` background,
/// `58` underline; their reset is that number plus one), as crossterm writes them: the 16
/// named colours as indexes of the 256-colour palette.
fn colour(out: &mut Vec<u8>, lead: u16, c: Color) {
    let index = |out: &mut Vec<u8>, i: u8| {
        number(out, lead);
        out.extend_from_slice(b";5;");
        number(out, u16::from(i));
    };
    match c {
        Color::Reset => number(out, lead + 1),
        Color::Black => index(out, 0),
        Color::Red => index(out, 1),
        Color::Green => index(out, 2),
        Color::Yellow => index(out, 3),
        Color::Blue => index(out, 4),
        Color::Magenta => index(out, 5),
        Color::Cyan => index(out, 6),
        Color::Gray => index(out, 7),
        Color::DarkGray => index(out, 8),
        Color::LightRed => index(out, 9),
        Color::LightGreen => index(out, 10),
        Color::LightYellow => index(out, 11),
        Color::LightBlue => index(out, 12),
        Color::LightMagenta => index(out, 13),
        Color::LightCyan => index(out, 14),
        Color::White => index(out, 15),
        Color::Indexed(i) => index(out, i),
        Color::Rgb(r, g, b) => {
            number(out, lead);
            out.extend_from_slice(b";2;");
            number(out, u16::from(r));
            out.push(b';');
            number(out, u16::from(g));
            out.push(b';');
            number(out, u16::from(b));
        }
    }
}

/// Appends one "select graphic rendition" with a single parameter.
fn sgr(out: &mut Vec<u8>, n: u16) {
    out.extend_from_slice(b"\x1b[");
    number(out, n);
    out.push(b'm');
}

/// Appends what changes the attributes `from` into `to`, in crossterm's order: what was
/// removed first (bold and dim share one reset, after which the one kept is set again),
/// then what was added.
fn attributes(out: &mut Vec<u8>, from: Modifier, to: Modifier) {
    let removed = from - to;
    if removed.contains(Modifier::REVERSED) {
        sgr(out, 27);
    }
    let intensity = removed.intersects(Modifier::BOLD | Modifier::DIM);
    if intensity {
        sgr(out, 22);
        if to.contains(Modifier::DIM) {
            sgr(out, 2);
        }
        if to.contains(Modifier::BOLD) {
            sgr(out, 1);
        }
    }
    for (m, off) in [
        (Modifier::ITALIC, 23),
        (Modifier::UNDERLINED, 24),
        (Modifier::CROSSED_OUT, 29),
        (Modifier::HIDDEN, 28),
    ] {
        if removed.contains(m) {
            sgr(out, off);
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        sgr(out, 25);
    }
    let added = to - from;
    for (m, on) in [
        (Modifier::REVERSED, 7),
        (Modifier::BOLD, 1),
        (Modifier::ITALIC, 3),
        (Modifier::UNDERLINED, 4),
        (Modifier::DIM, 2),
        (Modifier::CROSSED_OUT, 9),
        (Modifier::HIDDEN, 8),
        (Modifier::SLOW_BLINK, 5),
        (Modifier::RAPID_BLINK, 6),
    ] {
        let restored = intensity && (m == Modifier::BOLD || m == Modifier::DIM);
        if added.contains(m) && !restored {
            sgr(out, on);
        }
    }
}

/// Appends a move of the cursor to column `x`, row `y` (from 0).
fn move_to(out: &mut Vec<u8>, x: u16, y: u16) {
    out.extend_from_slice(b"\x1b[");
    number(out, y.saturating_add(1));
    out.push(b';');
    number(out, x.saturating_add(1));
    out.push(b'H');
}

impl Backend for Ansi {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let out = &mut self.out;
        // Room for about two bytes a cell (a plain character, and its share of moves and
        // colours), grown once rather than doubling from nothing.
        out.reserve(content.size_hint().0.saturating_mul(2).saturating_add(32));
        let (mut fg, mut bg, mut ul) = (Color::Reset, Color::Reset, Color::Reset);
        let mut modifier = Modifier::empty();
        let mut last: Option<(u16, u16)> = None;
        for (x, y, cell) in content {
            // The cursor is moved unless the last cell written was just to the left.
            if !matches!(last, Some((lx, ly)) if x == lx.wrapping_add(1) && y == ly) {
                move_to(out, x, y);
            }
            last = Some((x, y));
            if cell.modifier != modifier {
                attributes(out, modifier, cell.modifier);
                modifier = cell.modifier;
            }
            if cell.fg != fg || cell.bg != bg {
                out.extend_from_slice(b"\x1b[");
                colour(out, 38, cell.fg);
                out.push(b';');
                colour(out, 48, cell.bg);
                out.push(b'm');
                (fg, bg) = (cell.fg, cell.bg);
            }
            if cell.underline_color != ul {
                out.extend_from_slice(b"\x1b[");
                colour(out, 58, cell.underline_color);
                out.push(b'm');
                ul = cell.underline_color;
            }
            // Nearly every cell is one byte: pushed, not copied as a slice.
            match cell.symbol().as_bytes() {
                [one] => out.push(*one),
                text => out.extend_from_slice(text),
            }
        }
        out.extend_from_slice(b"\x1b[39m\x1b[49m\x1b[59m\x1b[0m");
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        self.out.extend_from_slice(b"\x1b[?25l");
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        self.out.extend_from_slice(b"\x1b[?25h");
        Ok(())
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        // A remote terminal's cursor starts at the top left.
        Ok(Position::ORIGIN)
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, p: P) -> io::Result<()> {
        let p = p.into();
        move_to(&mut self.out, p.x, p.y);
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, t: ClearType) -> io::Result<()> {
        self.out.extend_from_slice(match t {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        });
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        Ok(self.size)
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        Ok(WindowSize {
            columns_rows: self.size,
            pixels: Size::default(),
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use ratatui::Terminal;
    use ratatui::backend::CrosstermBackend;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    fn any_colour() -> impl Strategy<Value = Color> {
        prop_oneof![
            (0u8..17).prop_map(|i| [
                Color::Reset,
                Color::Black,
                Color::Red,
                Color::Green,
                Color::Yellow,
                Color::Blue,
                Color::Magenta,
                Color::Cyan,
                Color::Gray,
                Color::DarkGray,
                Color::LightRed,
                Color::LightGreen,
                Color::LightYellow,
                Color::LightBlue,
                Color::LightMagenta,
                Color::LightCyan,
                Color::White,
            ][usize::from(i)]),
            any::<u8>().prop_map(Color::Indexed),
            any::<(u8, u8, u8)>().prop_map(|(r, g, b)| Color::Rgb(r, g, b)),
        ]
    }

    /// A cell's text, colours and attributes (some wide, some of several characters).
    fn any_cell() -> impl Strategy<Value = (&'static str, Color, Color, Color, u16)> {
        (
            prop::sample::select(vec!["a", " ", "─", "é", "漢", "▲", "e\u{301}", "│"]),
            any_colour(),
            any_colour(),
            any_colour(),
            0u16..0x200,
        )
    }

    fn frame(cells: &[(&'static str, Color, Color, Color, u16)], w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(0, 0, w, h));
        let mut x = 0;
        let mut y = 0;
        for (sym, fg, bg, ul, m) in cells {
            if y >= h {
                break;
            }
            let style = Style::default()
                .fg(*fg)
                .bg(*bg)
                .underline_color(*ul)
                .add_modifier(Modifier::from_bits_truncate(*m));
            let (nx, _) = buf.set_stringn(x, y, sym, usize::from(w - x), style);
            x = if nx >= w || nx == x { 0 } else { nx };
            if x == 0 {
                y += 1;
            }
        }
        buf
    }

    /// Bytes written, readable while the writer is held elsewhere.
    #[derive(Clone, Default)]
    struct Shared(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl io::Write for Shared {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Draws `before` then `after` on a terminal of this backend, then hands it to `then`.
    fn two_frames<B: Backend, R>(
        backend: B,
        before: &Buffer,
        after: &Buffer,
        then: impl FnOnce(&mut B) -> R,
    ) -> R {
        let mut term = Terminal::with_options(
            backend,
            ratatui::TerminalOptions {
                viewport: ratatui::Viewport::Fixed(before.area),
            },
        )
        .expect("a terminal");
        for frame in [before, after] {
            term.draw(|f| f.buffer_mut().content.clone_from(&frame.content))
                .expect("draws");
        }
        then(term.backend_mut())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The bytes are crossterm's for the same two frames, to the byte.
        #[test]
        fn writes_what_crossterms_backend_writes(
            a in prop::collection::vec(any_cell(), 0..60),
            b in prop::collection::vec(any_cell(), 0..60),
            w in 3u16..12,
            h in 1u16..6,
        ) {
            // crossterm leaves colours out when the environment says NO_COLOR: not here.
            crossterm::style::Colored::set_ansi_color_disabled(false);
            let (before, after) = (frame(&a, w, h), frame(&b, w, h));
            let ours = two_frames(Ansi::new((w, h)), &before, &after, Ansi::take);
            let out = Shared::default();
            let theirs = two_frames(CrosstermBackend::new(out.clone()), &before, &after, |_| {
                out.0.borrow().clone()
            });
            prop_assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&theirs)
            );
        }
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        for n in [0u16, 7, 10, 99, 100, 65535] {
            let mut out = Vec::new();
            number(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }
}
