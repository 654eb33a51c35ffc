//! One participant's terminal at the host: its console (whose screen, selection, dialogs,
//! read marks), a ratatui terminal whose frames become bytes, and where those bytes go:
//! down the participant's SSH channel, or to the host's own terminal.

use std::io::Write as _;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::layout::Rect;
use ratatui::{TerminalOptions, Viewport};

use super::codes::Access;
use crate::engine::ids::Seat;
use crate::tui::app::{Console, Leaving};

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

/// The bytes of frames drawn and not yet sent.
#[derive(Clone, Debug, Default)]
struct Buf(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl Buf {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut b| std::mem::take(&mut *b))
            .unwrap_or_default()
    }
}

impl std::io::Write for Buf {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buf) = self.0.lock() {
            buf.extend_from_slice(b);
        }
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The crossterm backend over a byte buffer, with the two questions it would otherwise ask
/// the host's own terminal (where its cursor is, how large it is) answered from the pane:
/// a remote terminal's cursor starts at the top left and its size is what its client said.
struct Remote {
    inner: CrosstermBackend<Buf>,
    size: ratatui::layout::Size,
}

impl ratatui::backend::Backend for Remote {
    type Error = std::io::Error;

    fn draw<'a, I>(&mut self, content: I) -> std::io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> std::io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> std::io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> std::io::Result<ratatui::layout::Position> {
        Ok(ratatui::layout::Position::ORIGIN)
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        p: P,
    ) -> std::io::Result<()> {
        self.inner.set_cursor_position(p)
    }
    fn clear(&mut self) -> std::io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, t: ratatui::backend::ClearType) -> std::io::Result<()> {
        self.inner.clear_region(t)
    }
    fn size(&self) -> std::io::Result<ratatui::layout::Size> {
        Ok(self.size)
    }
    fn window_size(&mut self) -> std::io::Result<ratatui::backend::WindowSize> {
        Ok(ratatui::backend::WindowSize {
            columns_rows: self.size,
            pixels: ratatui::layout::Size::default(),
        })
    }
    fn flush(&mut self) -> std::io::Result<()> {
        ratatui::backend::Backend::flush(&mut self.inner)
    }
}

/// A terminal the host draws on: frames become bytes, and the bytes go to their sink.
pub struct Pane {
    term: Terminal<Remote>,
    buf: Buf,
    pub sink: Sink,
    /// The next frame is drawn whole (first frame, new size, missed frames).
    pub whole: bool,
    /// The connection is gone or asked to leave.
    pub gone: bool,
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
        let buf = Buf::default();
        let backend = Remote {
            inner: CrosstermBackend::new(buf.clone()),
            size: ratatui::layout::Size::new(size.0, size.1),
        };
        let area = Rect::new(0, 0, size.0, size.1);
        let term = Terminal::with_options(
            backend,
            TerminalOptions {
                viewport: Viewport::Fixed(area),
            },
        )
        .expect("a terminal over a byte buffer cannot fail to start");
        let mut p = Pane {
            term,
            buf,
            sink,
            whole: true,
            gone: false,
        };
        p.send(ENTER.to_vec());
        p
    }

    /// The terminal's size changed.
    pub fn resize(&mut self, size: (u16, u16)) {
        self.term.backend_mut().size = ratatui::layout::Size::new(size.0, size.1);
        let _ = self.term.resize(Rect::new(0, 0, size.0, size.1));
        self.whole = true;
    }

    /// Draws a frame with `f` and sends the bytes that change the screen.
    pub fn frame(&mut self, f: impl FnOnce(&mut ratatui::Frame)) {
        if self.whole {
            let _ = self.term.clear();
            self.whole = false;
        }
        if self.term.draw(f).is_err() {
            self.gone = true;
            return;
        }
        let _ = self.term.hide_cursor();
        let bytes = self.buf.take();
        if !bytes.is_empty() {
            self.send(bytes);
        }
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
