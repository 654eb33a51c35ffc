//! One participant's terminal at the host: its console (whose screen, selection, dialogs,
//! read marks), a ratatui terminal whose frames become bytes, and where those bytes go:
//! down the participant's SSH channel, or to the host's own terminal.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ratatui::Terminal;
use ratatui::backend::Backend as _;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};

use super::ansi::Ansi;
use super::codes::Access;
use crate::engine::ids::Seat;
use crate::tui::app::{Console, Leaving};
use crate::tui::parts::{Drawn, Easel, Parts};

thread_local! {
    /// Where frames drawn in parts are drawn, one for each drawing thread: it stays in the
    /// processor's cache from one terminal to the next, where each terminal's own buffers
    /// would not.
    static SHEET: std::cell::RefCell<Buffer> = std::cell::RefCell::new(Buffer::empty(Rect::ZERO));
}

/// A connection's number at the host.
pub type ConnId = u64;

/// What the host sends a connection.
#[derive(Debug)]
pub enum Out {
    Bytes(Vec<u8>),
    /// Say goodbye and close the channel.
    Close,
}

/// What a session's screens depend on: when none of it changed, a terminal whose own
/// state did not change either needs no new frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Version {
    pub events: usize,
    pub now: crate::engine::time::GameTime,
    pub paused: bool,
    pub status: crate::session::screen::Status,
    pub roster: u64,
}

/// Where a terminal's bytes go.
#[derive(Debug)]
pub enum Sink {
    /// A participant's SSH channel, through a bounded queue: a client that does not keep
    /// up misses frames and is sent a whole screen when it catches up.
    Remote(tokio::sync::mpsc::Sender<Out>),
    /// The host's own terminal.
    Local,
    /// Nowhere (tests, benchmarks).
    Nowhere,
}

/// The largest terminal drawn for (anything larger is drawn at this size).
pub const MAX_COLS: u16 = 400;
pub const MAX_ROWS: u16 = 200;

/// A window size as a client gives it, within bounds.
pub fn bounded(cols: u32, rows: u32) -> (u16, u16) {
    let c = u16::try_from(cols.clamp(1, u32::from(MAX_COLS))).unwrap_or(MAX_COLS);
    let r = u16::try_from(rows.clamp(1, u32::from(MAX_ROWS))).unwrap_or(MAX_ROWS);
    (c, r)
}

/// Entering the game screen: the alternate screen, no cursor.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[2J";
/// Leaving it: the cursor back, the alternate screen gone.
pub const LEAVE: &[u8] = b"\x1b[0m\x1b[?25h\x1b[?1049l";

/// A terminal the host draws on: frames become bytes, and the bytes go to their sink.
pub struct Pane {
    /// Where frames drawn whole are drawn (ratatui's frame over its buffer), and the
    /// escape sequences written.
    term: Terminal<Ansi>,
    /// What the screen shows, by this terminal's record.
    shown: Buffer,
    pub sink: Sink,
    /// The next frame is drawn whole (first frame, new size, missed frames).
    pub whole: bool,
    /// The connection is gone or asked to leave.
    pub gone: bool,
    /// The frame the screen shows, by its number (every frame drawn has its own).
    shows: u64,
    /// The frame the screen shows when it was drawn for another terminal: this terminal's
    /// own record of its screen is behind until it draws again.
    behind: Option<Arc<ratatui::buffer::Buffer>>,
    /// What the screen shows, part by part (parts it shows need not be drawn again).
    parts: Parts,
}

/// A frame drawn on one terminal, for others that show the same: the frame, the bytes
/// that were sent, and the frame they were sent over.
#[derive(Debug)]
pub struct Shown {
    over: u64,
    stamp: u64,
    frame: Arc<ratatui::buffer::Buffer>,
    bytes: Vec<u8>,
}

/// The number of the next frame drawn (0 is no frame yet).
static FRAMES: AtomicU64 = AtomicU64::new(1);

/// Fills the frame with `frame`, drawn for a terminal of the same size (terminals are
/// grouped by size; another size would leave the frame blank rather than panic).
fn fill(f: &mut ratatui::Frame, frame: &ratatui::buffer::Buffer) {
    let buf = f.buffer_mut();
    debug_assert_eq!(buf.area, frame.area, "a frame shared between sizes");
    if buf.area == frame.area {
        buf.content.clone_from_slice(&frame.content);
    }
}

impl std::fmt::Debug for Pane {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pane")
            .field("sink", &self.sink)
            .field("whole", &self.whole)
            .field("gone", &self.gone)
            .finish_non_exhaustive()
    }
}

/// One participant's terminal.
#[derive(Debug)]
pub struct Client {
    /// The pass (by its index among the session's codes) this connection came in with.
    pub pass: usize,
    pub seat: Seat,
    pub access: Access,
    pub console: Console,
    pub pane: Pane,
    /// Colour, or none (`NO_COLOR`-style: meaning carried by bold and reverse).
    pub colour: bool,
    pub help: bool,
    /// The facilitator's list of seats and codes, open at this row.
    pub roster: Option<usize>,
    /// The name being typed when the participant joins (before anything else).
    pub naming: Option<String>,
    /// Something this terminal shows changed since its last frame.
    pub dirty: bool,
    /// What the session looked like at the last frame.
    pub drawn_at: Option<Version>,
}

impl Client {
    pub fn new(
        pass: usize,
        seat: Seat,
        access: Access,
        size: (u16, u16),
        colour: bool,
        sink: Sink,
    ) -> Client {
        let mut console = Console::new(seat.clone());
        // Shown once play starts (a reconnection by the same person skips it).
        console.brief(false);
        console.observer = access == Access::Watch;
        console.leaving = match sink {
            Sink::Local => Leaving::Host,
            Sink::Remote(_) | Sink::Nowhere => Leaving::Seat,
        };
        Client {
            pass,
            seat,
            access,
            console,
            pane: Pane::new(size, sink),
            colour,
            help: false,
            roster: None,
            naming: Some(String::new()),
            dirty: true,
            drawn_at: None,
        }
    }
}

impl Pane {
    /// A pane of `size`, on the game's screen from the start.
    pub fn new(size: (u16, u16), sink: Sink) -> Pane {
        let backend = Ansi::new(size);
        let area = Rect::new(0, 0, size.0, size.1);
        let term = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .expect("a terminal over a byte buffer cannot fail to start");
        let mut p = Pane {
            shown: Buffer::empty(area),
            term,
            sink,
            whole: true,
            gone: false,
            shows: 0,
            behind: None,
            parts: Parts::default(),
        };
        p.send(ENTER.to_vec());
        p
    }

    /// The terminal's size changed.
    pub fn resize(&mut self, size: (u16, u16)) {
        let area = Rect::new(0, 0, size.0, size.1);
        self.term.backend_mut().resize(size);
        let _ = self.term.resize(area);
        self.shown = Buffer::empty(area);
        self.whole = true;
        self.parts.forget();
    }

    /// Draws a frame with `f` and sends the bytes that change the screen.
    pub fn frame(&mut self, f: impl FnOnce(&mut ratatui::Frame)) {
        self.frame_kept(f, false);
    }

    /// Draws a frame with `f`, sends the bytes that change the screen, and when `keep`,
    /// hands back the frame and those bytes for terminals that show the same.
    pub fn frame_kept(&mut self, f: impl FnOnce(&mut ratatui::Frame), keep: bool) -> Option<Shown> {
        self.frame_on(|e| f(e.whole()), keep)
    }

    /// Draws a frame with `f`, whole or in parts (see [`Easel`]), sends the bytes that
    /// change the screen, and when `keep`, hands back the frame and those bytes for
    /// terminals that show the same.
    pub fn frame_on(&mut self, f: impl FnOnce(Easel<'_, '_>), keep: bool) -> Option<Shown> {
        if self.whole {
            if self.term.clear().is_err() {
                self.gone = true;
                return None;
            }
            self.shown.reset();
            self.whole = false;
            self.behind = None;
            self.parts.forget();
        } else if let Some(frame) = self.behind.take() {
            // The screen shows a frame drawn for another terminal: this one's own record
            // of it is brought up to date first (the bytes were sent then).
            self.parts.forget();
            if frame.area == self.shown.area {
                self.shown.content.clone_from_slice(&frame.content);
            } else {
                self.whole = true;
                return self.frame_on(f, keep);
            }
        }
        // Drawn whole in ratatui's frame, or in parts on this thread's sheet; then
        // compared with what the screen shows where it was drawn, which becomes what was
        // drawn (the changed cells are copied over: few), and the changed cells written.
        let Pane {
            term, shown, parts, ..
        } = self;
        let written = SHEET.with_borrow_mut(|sheet| {
            f(Easel::new(&mut term.get_frame(), sheet, parts));
            match parts.drawn() {
                Drawn::Whole => {
                    // What was drawn becomes the record; the record, what is compared.
                    std::mem::swap(shown, term.current_buffer_mut());
                    let cells = super::diff::changes(term.current_buffer_mut(), shown);
                    term.backend_mut().draw(cells.into_iter())
                }
                Drawn::Parts(areas) => {
                    let (cells, plain) = super::diff::changes_told(shown, sheet, Some(areas));
                    if plain {
                        // Every other cell of the areas is as the screen shows it.
                        debug_assert_eq!(shown.area, sheet.area, "the record and the sheet");
                        let (area, width) = (shown.area, usize::from(shown.area.width));
                        for (x, y, c) in &cells {
                            let at = usize::from(y.saturating_sub(area.y)) * width
                                + usize::from(x.saturating_sub(area.x));
                            if let Some(cell) = shown.content.get_mut(at) {
                                cell.clone_from(c);
                            }
                        }
                    } else {
                        for run in super::diff::runs(sheet, areas) {
                            shown.content[run.clone()].clone_from_slice(&sheet.content[run]);
                        }
                    }
                    term.backend_mut().draw(cells.into_iter())
                }
            }
        });
        let backend = self.term.backend_mut();
        if written.is_err() || backend.hide_cursor().is_err() {
            self.gone = true;
            return None;
        }
        let bytes = backend.take();
        let frame = keep.then(|| Arc::new(self.shown.clone()));
        let over = std::mem::replace(&mut self.shows, FRAMES.fetch_add(1, Ordering::Relaxed));
        let shown = frame.map(|frame| Shown {
            over,
            frame,
            stamp: self.shows,
            bytes: bytes.clone(),
        });
        if !bytes.is_empty() {
            self.send(bytes);
        }
        shown
    }

    /// Shows `shown`, drawn for another terminal of the same size. When this screen shows
    /// what that terminal showed before, the same bytes are sent; otherwise the frame is
    /// compared with this screen's own.
    pub fn follow(&mut self, shown: &Shown) {
        if !self.whole && self.shows == shown.over {
            if !shown.bytes.is_empty() {
                self.send(shown.bytes.clone());
            }
            self.shows = shown.stamp;
            self.behind = Some(Arc::clone(&shown.frame));
            return;
        }
        self.frame(|f| fill(f, &shown.frame));
        self.shows = shown.stamp;
    }

    /// Where the last frame was drawn: a frame drawn in parts draws only the parts that
    /// changed.
    pub fn drawn(&self) -> &Drawn {
        self.parts.drawn()
    }

    /// The terminal's size, in columns and rows.
    pub fn size(&self) -> (u16, u16) {
        self.term.backend().columns_rows()
    }

    /// Sends bytes to the terminal.
    pub fn send(&mut self, bytes: Vec<u8>) {
        match &self.sink {
            Sink::Remote(tx) => match tx.try_send(Out::Bytes(bytes)) {
                Ok(()) => {}
                Err(tokio::sync::mpsc::error::TrySendError::Full(_)) => {
                    // Frames missed: the next one is drawn whole.
                    self.whole = true;
                }
                Err(tokio::sync::mpsc::error::TrySendError::Closed(_)) => self.gone = true,
            },
            Sink::Local => {
                let mut out = std::io::stdout().lock();
                if out.write_all(&bytes).and_then(|()| out.flush()).is_err() {
                    self.gone = true;
                }
            }
            Sink::Nowhere => {}
        }
    }

    /// Leaves the game screen and closes the connection.
    pub fn close(&mut self) {
        self.send(LEAVE.to_vec());
        if let Sink::Remote(tx) = &self.sink {
            let _ = tx.try_send(Out::Close);
        }
        self.gone = true;
    }
}

#[cfg(test)]
mod tests {
    use super::{Out, Pane, Shown, Sink};
    use ratatui::widgets::Paragraph;
    use tokio::sync::mpsc::{Receiver, channel};

    /// A pane on a queue, and a terminal emulator fed with what it sends.
    struct Screen {
        pane: Pane,
        rx: Receiver<Out>,
        vt: vt100::Parser,
        /// The bytes of the last frame sent.
        last: Vec<u8>,
    }

    impl Screen {
        fn new() -> Screen {
            let (tx, rx) = channel(64);
            let rows = std::num::NonZeroU16::new(6).expect("rows");
            let cols = std::num::NonZeroU16::new(30).expect("cols");
            Screen {
                pane: Pane::new((30, 6), Sink::Remote(tx)),
                rx,
                vt: vt100::Parser::new(rows, cols, 0),
                last: Vec::new(),
            }
        }

        /// Feeds the emulator what was sent since.
        fn take(&mut self) {
            self.last.clear();
            while let Ok(Out::Bytes(b)) = self.rx.try_recv() {
                self.vt.process(&b);
                self.last.extend_from_slice(&b);
            }
        }

        /// The screen's text, each line without the blanks at its end.
        fn text(&self) -> String {
            let s = self.vt.screen().contents();
            let lines: Vec<&str> = s.lines().map(str::trim_end).collect();
            lines.join("\n").trim_end().to_owned()
        }

        fn draw(&mut self, text: &str, keep: bool) -> Option<Shown> {
            let shown = self
                .pane
                .frame_kept(|f| f.render_widget(Paragraph::new(text), f.area()), keep);
            self.take();
            shown
        }

        fn follow(&mut self, shown: &Shown) {
            self.pane.follow(shown);
            self.take();
        }
    }

    /// A frame drawn once for several terminals shows on each exactly as if drawn there:
    /// the first time by comparing it with the terminal's own screen, then (the terminal
    /// showed what the drawn one showed) by the very same bytes; a terminal that draws on
    /// its own again starts from what it showed, not from what it drew itself last.
    #[test]
    fn a_frame_shared_shows_as_if_drawn_on_each() {
        let (mut a, mut b, mut c) = (Screen::new(), Screen::new(), Screen::new());
        b.draw("b's own\nscreen", false);
        c.draw("c's own", false);
        let one = a.draw("one\ntwo\nthree", true).expect("kept");
        b.follow(&one);
        c.follow(&one);
        for s in [&a, &b, &c] {
            assert_eq!(s.text(), "one\ntwo\nthree");
        }
        let two = a.draw("one\n2\nthree\nfour", true).expect("kept");
        b.follow(&two);
        c.follow(&two);
        assert_eq!(b.last, a.last, "the same bytes, not compared again");
        assert_eq!(c.last, a.last);
        // b leaves the group (its own key): it draws from the frame it shows.
        // (Its own record still holds "two", the frame before: it must not trust it.)
        b.draw("one\ntwo\nthree\nfour\nfive", false);
        assert_eq!(b.text(), "one\ntwo\nthree\nfour\nfive");
        let sent = String::from_utf8_lossy(&b.last);
        assert!(
            sent.contains("five") && sent.contains("two") && !sent.contains("three"),
            "only what changed: {sent:?}"
        );
        // a and c go on together; b is shown their frame again, by comparison.
        let three = a.draw("1\n2", true).expect("kept");
        c.follow(&three);
        b.follow(&three);
        assert_eq!(c.last, a.last);
        for s in [&a, &b, &c] {
            assert_eq!(s.text(), "1\n2");
        }
        // A terminal that missed frames is drawn whole, never sent the shared bytes.
        c.pane.whole = true;
        let four = a.draw("1\n2\n3", true).expect("kept");
        c.follow(&four);
        b.follow(&four);
        assert_ne!(c.last, a.last);
        assert_eq!(b.last, a.last);
        for s in [&a, &b, &c] {
            assert_eq!(s.text(), "1\n2\n3");
        }
    }
}
