//! A frame drawn in parts, for a terminal that is drawn again and again with little changed
//! between frames: a seat joined over the network, whose screen the host draws after every
//! change (a pause changes every screen's header, footer and feed, not what the seat can
//! see or its actions).
//!
//! A part is a widget and the area it is drawn in; the game's panels are its parts, and
//! they tile the screen. A part is known by a fingerprint of its widget and area. The widget
//! is a plain value holding everything it draws (its text, styles, borders, title and
//! selection), so the same fingerprint means the same cells: a part whose fingerprint was
//! among the frame before's is not drawn again, and only the areas of the parts that were
//! drawn need comparing with what the screen shows. A *made* part is known instead by a
//! fingerprint of what its widget is made of, and built only when drawn (see
//! [`Part::made`]). A fingerprint is a 64-bit hash
//! (foldhash's, made for quality, seeded at random for each process): that two different
//! parts share one is as unlikely as two random 64-bit numbers being the same.
//!
//! Whatever draws over the panels (a dialog, the help) makes a frame drawn whole on the
//! frame. Every part is drawn (the whole sheet taken) when the parts do not tile the
//! screen (every cell in one part, and one only) or the screen shows no parts.

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
        Part {
            area,
            print: fingerprint(area, &widget),
            draw: Box::new(move |area, buf| widget.render(area, buf)),
        }
    }

    /// The widget `build` makes of `inputs` for an area, known by a fingerprint of the
    /// inputs, of `build` and of the area rather than of the widget, and built only when
    /// drawn. `build` is a plain function: it captures nothing, so what it draws is what it
    /// makes of its inputs and its area, as long as it reads no static, no clock and no
    /// other state (none of the game's builders does). A debug build holds it to that: it
    /// fingerprints every made widget whole as well, and panics when one made fingerprint
    /// stands for two different widgets.
    pub fn made<I: Hash + 'a, W: Widget + Hash + 'a>(
        area: Rect,
        inputs: I,
        build: fn(I, Rect) -> W,
    ) -> Part<'a> {
        let mut h = seeded().build_hasher();
        std::any::type_name::<I>().hash(&mut h);
        std::any::type_name::<W>().hash(&mut h);
        // The function's address: two builders of the same types differ (one function
        // found at two addresses would only be drawn again).
        (build as usize).hash(&mut h);
        area.hash(&mut h);
        inputs.hash(&mut h);
        let print = h.finish();
        Part {
            area,
            print,
            draw: Box::new(move |area, buf| {
                let widget = build(inputs, area);
                #[cfg(debug_assertions)]
                made_alike(print, fingerprint(area, &widget));
                widget.render(area, buf);
            }),
        }
    }
}

/// The fingerprint of `widget` drawn in `area`.
fn fingerprint<W: Hash>(area: Rect, widget: &W) -> u64 {
    let mut h = seeded().build_hasher();
    std::any::type_name::<W>().hash(&mut h);
    area.hash(&mut h);
    widget.hash(&mut h);
    h.finish()
}

/// In a debug build, checks that the made part known by `made` is the widget known by
/// `built` every time it is built on this thread: a builder that read anything its inputs
/// leave out would show a stale panel wherever its inputs did not change.
#[cfg(debug_assertions)]
fn made_alike(made: u64, built: u64) {
    thread_local! {
        static SEEN: std::cell::RefCell<std::collections::HashMap<u64, u64>> =
            std::cell::RefCell::new(std::collections::HashMap::new());
    }
    SEEN.with_borrow_mut(|seen| {
        let first = *seen.entry(made).or_insert(built);
        assert_eq!(
            first, built,
            "a made part's fingerprint stands for two different widgets: its builder reads something its inputs leave out"
        );
    });
}

/// The parts of a screen in the order they are drawn; no two of their areas overlap.
#[derive(Default)]
pub struct Canvas<'a> {
    parts: Vec<Part<'a>>,
}

impl<'a> Canvas<'a> {
    /// Adds `widget`, to be drawn in `area`.
    pub fn put<W: Widget + Hash + 'a>(&mut self, area: Rect, widget: W) {
        self.push(Part::new(area, widget));
    }

    /// Adds the widget `build` makes of `inputs` for `area` (see [`Part::made`]).
    pub fn made<I: Hash + 'a, W: Widget + Hash + 'a>(
        &mut self,
        area: Rect,
        inputs: I,
        build: fn(I, Rect) -> W,
    ) {
        self.push(Part::made(area, inputs, build));
    }

    fn push(&mut self, part: Part<'a>) {
        debug_assert!(
            self.parts.iter().all(|p| !p.area.intersects(part.area)),
            "parts overlap"
        );
        self.parts.push(part);
    }

    /// Draws every part on `f`, as if drawn one by one.
    pub fn render(self, f: &mut Frame) {
        let buf = f.buffer_mut();
        for p in self.parts {
            (p.draw)(p.area, buf);
        }
    }
}

/// What a terminal's screen shows, part by part, and where its last frame was drawn.
#[derive(Debug, Default)]
pub struct Parts {
    /// The background and the parts (area, fingerprint) of what the screen shows, when they
    /// tile it; none when it shows a frame drawn whole, or anything else.
    held: Option<Layout>,
    drawn: Drawn,
}

/// Where a frame was drawn.
#[derive(Debug, PartialEq, Eq)]
pub enum Drawn {
    /// On the frame, whole.
    Whole,
    /// On the sheet, in these areas (apart) only: the screen shows what it showed elsewhere.
    Parts(Vec<Rect>),
}

impl Default for Drawn {
    fn default() -> Drawn {
        Drawn::Parts(Vec::new())
    }
}

impl Parts {
    /// The screen no longer shows the last frame drawn here (it was shown a frame drawn
    /// elsewhere, or cleared): the next frame draws every part.
    pub fn forget(&mut self) {
        self.held = None;
    }

    /// Where the last frame was drawn.
    pub fn drawn(&self) -> &Drawn {
        &self.drawn
    }
}

/// One frame to draw, whole on the frame (`whole`: cleared first), or in parts on the
/// sheet (`parts`), a buffer of the frame's area whose cells are taken, in the areas
/// drawn, for what the screen shows. If neither is called the screen stays as it is.
pub struct Easel<'f, 'b> {
    frame: &'f mut Frame<'b>,
    sheet: &'f mut Buffer,
    parts: &'f mut Parts,
}

impl<'f, 'b> Easel<'f, 'b> {
    /// An easel for `frame`, with `sheet` (any buffer: it is given the frame's area) and
    /// what the screen shows (`parts`).
    pub fn new(frame: &'f mut Frame<'b>, sheet: &'f mut Buffer, parts: &'f mut Parts) -> Self {
        fit(sheet, frame.area());
        parts.drawn = Drawn::default();
        Easel {
            frame,
            sheet,
            parts,
        }
    }

    /// The whole frame's area.
    pub fn area(&self) -> Rect {
        self.frame.area()
    }

    /// The frame, cleared, to be drawn whole.
    pub fn whole(self) -> &'f mut Frame<'b> {
        self.frame.buffer_mut().reset();
        self.parts.held = None;
        self.parts.drawn = Drawn::Whole;
        self.frame
    }

    /// Draws `canvas` on the sheet, on the background `bg` (a style every cell has before
    /// anything is drawn, if any): when its parts tile the frame, and so did those the
    /// screen shows on the same background, only the parts the screen does not show;
    /// otherwise every part, and the whole sheet is taken.
    pub fn parts(self, bg: Option<Style>, canvas: Canvas<'_>) {
        let Easel { sheet, parts, .. } = self;
        let prints: Vec<(Rect, u64)> = canvas.parts.iter().map(|p| (p.area, p.print)).collect();
        let areas: Vec<Rect> = prints.iter().map(|p| p.0).collect();
        let tiled = tile(sheet.area, &areas);
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
                clear(sheet, p.area, bg);
                (p.draw)(p.area, sheet);
                drawn.push(p.area);
            }
            parts.drawn = Drawn::Parts(drawn);
        } else {
            let all = sheet.area;
            clear(sheet, all, bg);
            for p in canvas.parts {
                (p.draw)(p.area, sheet);
            }
            parts.drawn = Drawn::Parts(vec![all]);
        }
        parts.held = tiled.then_some((bg, prints));
    }
}

/// Gives `sheet` the area `area`, keeping its cells: a sheet drawn on for terminals of many
/// sizes, one after another, would otherwise drop cells and make new ones at every change
/// of size. Cells past the area are kept as they are, and never read (every cell read is
/// in an area drawn, and every area drawn is cleared first).
fn fit(sheet: &mut Buffer, area: Rect) {
    let cells = usize::from(area.width) * usize::from(area.height);
    if sheet.content.len() < cells {
        sheet.content.resize(cells, Cell::EMPTY);
    }
    sheet.area = area;
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
    if area.is_empty() {
        return;
    }
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
    use super::{Canvas, Drawn, Easel, Parts, tile};
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;
    use ratatui::widgets::Paragraph;

    #[test]
    fn areas_tile_when_they_cover_every_cell_once() {
        let whole = Rect::new(0, 0, 10, 4);
        let rows = |n: u16| (0..n).map(|y| Rect::new(0, y, 10, 1)).collect::<Vec<_>>();
        assert!(tile(whole, &rows(4)));
        assert!(!tile(whole, &rows(3)), "a row left");
        let mut over = rows(4);
        over[2] = over[1];
        assert!(!tile(whole, &over), "a row twice, one left: as many cells");
        assert!(
            !tile(whole, &[Rect::new(0, 1, 10, 4)]),
            "outside, as many cells"
        );
    }

    /// Draws `texts` as parts, one a row (the last row taking what is left), and returns
    /// the rows drawn on (from the sheet, which then stands for the screen).
    fn draw(
        term: &mut Terminal<TestBackend>,
        sheet: &mut Buffer,
        parts: &mut Parts,
        texts: &[&str],
    ) -> Vec<u16> {
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
        Easel::new(&mut f, sheet, parts).parts(None, c);
        match parts.drawn() {
            Drawn::Parts(d) => d.iter().map(|r| r.y).collect(),
            Drawn::Whole => panic!("drawn in parts"),
        }
    }

    #[test]
    fn only_changed_parts_are_drawn_again() {
        let mut term = Terminal::new(TestBackend::new(10, 4)).expect("terminal");
        let (mut parts, mut sheet) = (Parts::default(), Buffer::empty(Rect::ZERO));
        let mut draw =
            |texts: &[&str], parts: &mut Parts| draw(&mut term, &mut sheet, parts, texts);
        assert_eq!(draw(&["a", "b", "c"], &mut parts), vec![0], "first: all");
        assert_eq!(draw(&["a", "B", "c"], &mut parts), vec![1]);
        assert_eq!(draw(&["a", "B", "c"], &mut parts), Vec::<u16>::new());
        assert_eq!(draw(&["x", "B", "y"], &mut parts), vec![0, 2]);
        // The parts lie otherwise: those where they were are kept.
        assert_eq!(draw(&["x", "B", "y", "z"], &mut parts), vec![2, 3]);
        parts.forget();
        assert_eq!(draw(&["x", "B"], &mut parts), vec![0], "forgotten: all");
    }
}
