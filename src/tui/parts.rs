//! A frame drawn in parts, for a terminal that is drawn again and again with little changed
//! between frames: a seat joined over the network, whose screen the host draws after every
//! change (a pause changes the header and the footer of every screen, not its feed, its
//! detail or its actions).
//!
//! A part is a widget and the area it is drawn in; the game's panels are its parts, and
//! they tile the screen. A part is known by a fingerprint of its widget and area. The widget
//! is a plain value holding everything it draws (its text, styles, borders, title and
//! selection), so the same fingerprint means the same cells: a part whose fingerprint was
//! among the frame before's is not drawn again, and only the areas of the parts that were
//! drawn need comparing with what the screen shows. A fingerprint is a 64-bit hash
//! (foldhash's, made for quality, seeded at random for each process): that two different
//! parts share one is as unlikely as two random 64-bit numbers being the same.
//!
//! Whatever draws over the panels (a dialog, the help) makes a frame drawn whole, as does
//! a frame whose parts do not tile the screen (every cell in one part, and one only).

use std::hash::{BuildHasher as _, Hash, Hasher as _};

use foldhash::quality::RandomState;

use ratatui::Frame;
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use super::plain::restyle;

/// Draws a widget in an area.
type Draw<'a> = Box<dyn FnOnce(Rect, &mut Buffer) + 'a>;

/// Where a frame's parts lie and their fingerprints, on its background.
type Layout = (Option<Style>, Vec<(Rect, u64)>);

/// The fingerprints' hasher, seeded at random once for the process (fingerprints are
/// compared within it): text that gives two parts one fingerprint cannot be made ahead.
fn seeded() -> &'static RandomState {
    static STATE: std::sync::OnceLock<RandomState> = std::sync::OnceLock::new();
    STATE.get_or_init(RandomState::default)
}

/// A widget to draw in an area, with its fingerprint.
pub struct Part<'a> {
    area: Rect,
    print: u64,
    draw: Draw<'a>,
}

impl<'a> Part<'a> {
    pub fn new<W: Widget + Hash + 'a>(area: Rect, widget: W) -> Part<'a> {
        let mut h = seeded().build_hasher();
        std::any::type_name::<W>().hash(&mut h);
        area.hash(&mut h);
        widget.hash(&mut h);
        Part {
            area,
            print: h.finish(),
            draw: Box::new(move |area, buf| widget.render(area, buf)),
        }
    }
}

/// The parts of a screen in the order they are drawn; no two of their areas overlap.
#[derive(Default)]
pub struct Canvas<'a> {
    parts: Vec<Part<'a>>,
}

impl<'a> Canvas<'a> {
    /// Adds `widget`, to be drawn in `area`.
    pub fn put<W: Widget + Hash + 'a>(&mut self, area: Rect, widget: W) {
        debug_assert!(
            self.parts.iter().all(|p| !p.area.intersects(area)),
            "parts overlap"
        );
        self.parts.push(Part::new(area, widget));
    }

    /// Draws every part on `f`, as if drawn one by one.
    pub fn render(self, f: &mut Frame) {
        let buf = f.buffer_mut();
        for p in self.parts {
            (p.draw)(p.area, buf);
        }
    }
}

/// What a terminal's buffer holds, part by part, and the rows its last frame drew.
#[derive(Debug, Default)]
pub struct Parts {
    /// The background and the parts (area, fingerprint) of the frame the buffer holds, when
    /// they tile the buffer; none when it holds a frame drawn whole, or anything else.
    held: Option<Layout>,
    /// The areas the last frame drew in; none when it drew the whole buffer.
    drawn: Option<Vec<Rect>>,
}

impl Parts {
    /// The buffer no longer holds the last frame drawn (another was copied in, the screen
    /// was cleared): the next frame is drawn whole.
    pub fn forget(&mut self) {
        self.held = None;
    }

    /// True when the buffer holds a frame drawn in parts, which the next frame may keep.
    pub fn held(&self) -> bool {
        self.held.is_some()
    }

    /// The areas the last frame drew in, apart; none when it drew the whole buffer.
    pub fn drawn(&self) -> Option<&[Rect]> {
        self.drawn.as_deref()
    }
}

/// One frame to draw: the buffer, holding the frame before, and what that frame was. It is
/// drawn whole (`whole`: the buffer is cleared first) or in parts (`parts`); if neither is
/// called the frame is the one before, unchanged.
pub struct Easel<'f, 'b> {
    frame: &'f mut Frame<'b>,
    parts: &'f mut Parts,
}

impl<'f, 'b> Easel<'f, 'b> {
    pub fn new(frame: &'f mut Frame<'b>, parts: &'f mut Parts) -> Easel<'f, 'b> {
        parts.drawn = Some(Vec::new());
        Easel { frame, parts }
    }

    /// The whole frame's area.
    pub fn area(&self) -> Rect {
        self.frame.area()
    }

    /// The frame, cleared, to be drawn whole.
    pub fn whole(self) -> &'f mut Frame<'b> {
        self.frame.buffer_mut().reset();
        self.parts.held = None;
        self.parts.drawn = None;
        self.frame
    }

    /// Draws the frame as `canvas` on the background `bg` (a style every cell has before
    /// anything is drawn, if any): when its parts tile the buffer, and so did the frame
    /// before's on the same background, only the parts that were not among that frame's;
    /// otherwise the whole frame.
    pub fn parts(self, bg: Option<Style>, canvas: Canvas<'_>) {
        let Easel { frame, parts } = self;
        let buf = frame.buffer_mut();
        let prints: Vec<(Rect, u64)> = canvas.parts.iter().map(|p| (p.area, p.print)).collect();
        let areas: Vec<Rect> = prints.iter().map(|p| p.0).collect();
        let tiled = tile(buf.area, &areas);
        let held = match &parts.held {
            Some((was_bg, was)) if tiled && *was_bg == bg => Some(was),
            _ => None,
        };
        if let Some(was) = held {
            let mut drawn = Vec::new();
            for p in canvas.parts {
                if was.contains(&(p.area, p.print)) {
                    continue;
                }
                clear(buf, p.area, bg);
                (p.draw)(p.area, buf);
                drawn.push(p.area);
            }
            parts.drawn = Some(drawn);
        } else {
            let all = buf.area;
            clear(buf, all, bg);
            for p in canvas.parts {
                (p.draw)(p.area, buf);
            }
            parts.drawn = None;
        }
        parts.held = tiled.then_some((bg, prints));
    }
}

/// True when `areas` tile `whole`: every cell in one of them, and one only.
fn tile(whole: Rect, areas: &[Rect]) -> bool {
    let inside = areas.iter().all(|a| whole.intersection(*a) == *a);
    let cells: u32 = areas
        .iter()
        .map(|a| u32::from(a.width) * u32::from(a.height))
        .sum();
    let apart = areas
        .iter()
        .enumerate()
        .all(|(i, a)| areas[i + 1..].iter().all(|b| !a.intersects(*b)));
    inside && apart && cells == u32::from(whole.width) * u32::from(whole.height)
}

/// Resets every cell of `area` (within the buffer) and gives it the style `bg`, if any.
fn clear(buf: &mut Buffer, area: Rect, bg: Option<Style>) {
    let area = area.intersection(buf.area);
    for y in area.top()..area.bottom() {
        let at = buf.index_of(area.x, y);
        buf.content[at..at + usize::from(area.width)]
            .iter_mut()
            .for_each(Cell::reset);
    }
    if let Some(bg) = bg {
        restyle(buf, area, bg);
    }
}

#[cfg(test)]
mod tests {
    use super::{Canvas, Easel, Parts, tile};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::layout::Rect;
    use ratatui::widgets::Paragraph;

    #[test]
    fn areas_tile_when_they_cover_every_cell_once() {
        let whole = Rect::new(0, 0, 10, 4);
        let rows = |n: u16| (0..n).map(|y| Rect::new(0, y, 10, 1)).collect::<Vec<_>>();
        assert!(tile(whole, &rows(4)));
        assert!(!tile(whole, &rows(3)), "a row left");
        let mut over = rows(4);
        over[3] = Rect::new(0, 2, 10, 1);
        over.push(Rect::new(0, 3, 10, 1));
        assert!(!tile(whole, &over), "a row twice, as many cells");
        assert!(!tile(whole, &[Rect::new(0, 0, 10, 5)]), "outside");
    }

    /// Draws `texts` as parts, one a row (the last row taking what is left), and returns
    /// the rows drawn on.
    fn draw(
        term: &mut Terminal<TestBackend>,
        parts: &mut Parts,
        texts: &[&str],
    ) -> Option<Vec<u16>> {
        let mut f = term.get_frame();
        let area = f.area();
        let mut c = Canvas::default();
        let n = u16::try_from(texts.len()).expect("few");
        for (y, t) in (0u16..).zip(texts) {
            let h = if y + 1 == n { area.height - y } else { 1 };
            c.put(
                Rect::new(0, y, area.width, h),
                Paragraph::new(t.to_string()),
            );
        }
        Easel::new(&mut f, parts).parts(None, c);
        parts.drawn().map(|d| d.iter().map(|r| r.y).collect())
    }

    #[test]
    fn only_changed_parts_are_drawn_again() {
        let mut term = Terminal::new(TestBackend::new(10, 4)).expect("terminal");
        let mut parts = Parts::default();
        assert_eq!(
            draw(&mut term, &mut parts, &["a", "b", "c"]),
            None,
            "first: whole"
        );
        assert_eq!(draw(&mut term, &mut parts, &["a", "B", "c"]), Some(vec![1]));
        assert_eq!(draw(&mut term, &mut parts, &["a", "B", "c"]), Some(vec![]));
        assert_eq!(
            draw(&mut term, &mut parts, &["x", "B", "y"]),
            Some(vec![0, 2])
        );
        let b = term.current_buffer_mut().clone();
        let row = |y: u16| (0..10).map(|x| b[(x, y)].symbol()).collect::<String>();
        assert_eq!(row(0).trim_end(), "x");
        assert_eq!(row(1).trim_end(), "B");
        // The parts lie otherwise: those where they were are kept.
        assert_eq!(
            draw(&mut term, &mut parts, &["x", "B", "y", "z"]),
            Some(vec![2, 3])
        );
        parts.forget();
        assert_eq!(
            draw(&mut term, &mut parts, &["x", "B"]),
            None,
            "forgotten: whole"
        );
    }
}
