//! What changed between two frames of a terminal: the cells to send, in the order and with
//! the rules of ratatui's `BufferDiff` (wide characters, their trailing columns, cells marked
//! to skip or to redraw always), which the tests below hold it to, cell for cell. The host
//! compares each frame with its own record of the screen instead of through ratatui's
//! terminal, which lets it skip redrawing a frame it only copied (see `Pane::follow`). It
//! costs what ratatui's costs (an unchanged cell of one plain character is passed over
//! without measuring its width, but comparing two cells is most of the work either way), and
//! it stops at the end of the frame where ratatui 0.30.2 reads past it and panics (a wide
//! character replaced in the frame's last cell, upstream issue 2695).

use std::ops::Range;

use ratatui::buffer::{Buffer, Cell, CellDiffOption, CellWidth};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

/// Styles that show on a blank cell: a wide character's trailing column in one of these
/// must be drawn again when the character goes.
const VISIBLE_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::CROSSED_OUT);

#[allow(deprecated)]
const fn is_skip(cell: &Cell) -> bool {
    matches!(cell.diff_option, CellDiffOption::Skip)
        || (cell.skip && matches!(cell.diff_option, CellDiffOption::None))
}

/// Ratatui's equality of cells (a blank is a blank with or without its symbol) for cells
/// whose symbols are `a_text` and `b_text`, with text of one byte, nearly every cell's,
/// compared as a byte.
#[allow(deprecated)]
fn same(a: &Cell, a_text: &str, b: &Cell, b_text: &str) -> bool {
    let text = match (a_text.as_bytes(), b_text.as_bytes()) {
        ([one], [other]) => one == other,
        (one, other) => one == other,
    };
    text && a.fg == b.fg
        && a.bg == b.bg
        && a.modifier == b.modifier
        && a.underline_color == b.underline_color
        && a.diff_option == b.diff_option
        && a.skip == b.skip
}

/// True when a cell's text `s` is one column wide at most without measuring it: a byte, or
/// one plain character (see [`crate::tui::plain::plain`]).
fn narrow(s: &str) -> bool {
    let mut chars = s.chars();
    s.len() <= 1 || (chars.next().is_some_and(crate::tui::plain::plain) && chars.next().is_none())
}

/// The cells of `next` to draw over a screen showing `prev` (the same width; the rows both
/// have), with their columns and rows.
pub fn changes<'a>(prev: &Buffer, next: &'a Buffer) -> Vec<(u16, u16, &'a Cell)> {
    changes_on(prev, next, None)
}

/// The cells of `next` to draw over a screen showing `prev`, looking only in `areas` when
/// given (areas apart, within the frame): the same cells as [`changes`] when the frames are
/// the same everywhere else, and no cell there is marked to redraw always or is wider than
/// one column.
pub fn changes_on<'a>(
    prev: &Buffer,
    next: &'a Buffer,
    areas: Option<&[Rect]>,
) -> Vec<(u16, u16, &'a Cell)> {
    changes_told(prev, next, areas).0
}

/// [`changes_on`], and whether every cell looked at was plain (one column wide at most,
/// marked neither to skip nor to redraw always, nor with a width of its own) in both
/// frames: then `prev` with the changed cells set is `next` in the cells looked at (as
/// ratatui compares cells). False tells nothing (the changes are right either way).
pub fn changes_told<'a>(
    prev: &Buffer,
    next: &'a Buffer,
    areas: Option<&[Rect]>,
) -> (Vec<(u16, u16, &'a Cell)>, bool) {
    let mut out = Vec::new();
    let plain = match areas {
        None => scan(prev, next, std::slice::from_ref(&(0..usize::MAX)), &mut out),
        Some(areas) => {
            let mut spans = runs(next, areas);
            spans.sort_unstable_by_key(|s| s.start);
            // Room for every cell looked at to have changed: one allocation, not a dozen.
            out.reserve(spans.iter().map(ExactSizeIterator::len).sum());
            scan(prev, next, &spans, &mut out)
        }
    };
    (out, plain)
}

/// Each row of `areas` (within `buf`) as the run of `buf`'s cells it is.
pub fn runs(buf: &Buffer, areas: &[Rect]) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    for r in areas {
        let r = r.intersection(buf.area);
        if r.is_empty() {
            continue;
        }
        for y in r.top()..r.bottom() {
            let at = buf.index_of(r.x, y);
            spans.push(at..at + usize::from(r.width));
        }
    }
    spans
}

/// [`changes`] over the cells in `spans` (indices into the frames' cells, in order); true
/// when every cell was plain where it changed (see [`changes_told`]).
#[allow(clippy::many_single_char_names)]
fn scan<'a>(
    prev: &Buffer,
    next: &'a Buffer,
    spans: &[Range<usize>],
    out: &mut Vec<(u16, u16, &'a Cell)>,
) -> bool {
    let mut all_plain = true;
    let area = next.area;
    let width = usize::from(area.width.max(1));
    let rows = usize::from(prev.area.height.min(area.height));
    let len = (rows * usize::from(area.width))
        .min(prev.content.len())
        .min(next.content.len());
    let at = |i: usize| {
        let x = u16::try_from(i % width).unwrap_or(u16::MAX);
        let y = u16::try_from(i / width).unwrap_or(u16::MAX);
        (area.x.saturating_add(x), area.y.saturating_add(y))
    };
    let (prev, next) = (&prev.content[..len], &next.content[..len]);
    let mut pos = 0;
    // Where a span starts after a wide character's columns, as in one scan of them all.
    for span in spans {
        pos = pos.max(span.start);
        while pos < len.min(span.end) {
            let i = pos;
            pos += 1;
            let (current, previous) = (&next[i], &prev[i]);
            // An unchanged cell one column wide at most: nothing to do.
            #[allow(deprecated)]
            let plain = matches!(current.diff_option, CellDiffOption::None) && !current.skip;
            let text = current.symbol();
            if plain && narrow(text) {
                let was = previous.symbol();
                if same(current, text, previous, was) {
                    continue;
                }
                // A changed cell one column wide over one no wider: the cell alone,
                // without measuring either.
                let forced = matches!(previous.diff_option, CellDiffOption::ForcedWidth(_));
                if !text.is_empty() && !forced && narrow(was) {
                    let (x, y) = at(i);
                    out.push((x, y, current));
                    continue;
                }
            }
            all_plain = false;
            match current.diff_option {
                CellDiffOption::Skip => {}
                _ if is_skip(current) => {}
                CellDiffOption::ForcedWidth(w) => {
                    pos = pos.saturating_add(usize::from(w.get()).saturating_sub(1));
                    if current != previous {
                        let (x, y) = at(i);
                        out.push((x, y, current));
                    }
                }
                CellDiffOption::None | CellDiffOption::AlwaysUpdate => {
                    let cell_width = usize::from(current.cell_width());
                    if plain && current == previous {
                        pos += cell_width.saturating_sub(1);
                        continue;
                    }
                    let previous_width = usize::from(previous.cell_width());
                    let (x, y) = at(i);
                    out.push((x, y, current));
                    let vs16 = cell_width > 1 && current.symbol().contains('\u{FE0F}');
                    let trailing = if vs16 {
                        Some(((i + cell_width).min(len), false))
                    } else if cell_width > 1 {
                        pos += cell_width - 1;
                        None
                    } else if previous_width > cell_width
                        && (previous.bg != Color::Reset
                            || previous.modifier.intersects(VISIBLE_ON_BLANK))
                    {
                        Some(((i + previous_width).min(len), true))
                    } else {
                        None
                    };
                    // The trailing columns of a wide character: drawn again where they changed
                    // (or always, `force`), passing over wide characters among them.
                    if let Some((mut end, force)) = trailing {
                        let mut j = i + 1;
                        while j < end {
                            let k = j;
                            j += usize::from(next[k].cell_width().max(1));
                            end = end.max(j).min(len);
                            if !is_skip(&next[k]) && (force || prev[k].symbol() != next[k].symbol())
                            {
                                let (x, y) = at(k);
                                out.push((x, y, &next[k]));
                            }
                        }
                        pos = end;
                    }
                }
            }
        }
    }
    all_plain
}

#[cfg(test)]
mod tests {
    use std::num::NonZeroU16;

    use proptest::prelude::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    use super::*;

    /// A cell of any kind: narrow or wide text (with an emoji's variation selector among
    /// them), a style that shows on blank cells or not, marked to skip, to redraw always or
    /// with a width of its own.
    fn any_cell() -> impl Strategy<Value = Cell> {
        let symbol = prop::sample::select(vec![
            " ",
            "a",
            "b",
            "é",
            "─",
            "漢",
            "字",
            "❤\u{fe0f}",
            "e\u{301}",
            "",
        ]);
        let style = prop::sample::select(vec![
            Style::default(),
            Style::default().fg(Color::Red),
            Style::default().bg(Color::Blue),
            Style::default().add_modifier(Modifier::REVERSED),
            Style::default().add_modifier(Modifier::BOLD),
        ]);
        let option = prop_oneof![
            12 => Just(CellDiffOption::None),
            1 => Just(CellDiffOption::Skip),
            1 => Just(CellDiffOption::AlwaysUpdate),
            1 => (1u16..4).prop_map(|w| CellDiffOption::ForcedWidth(
                NonZeroU16::new(w).unwrap_or(NonZeroU16::MIN)
            )),
        ];
        (symbol, style, option, prop::bool::weighted(0.05)).prop_map(|(s, st, o, skip)| {
            let mut c = Cell::default();
            c.set_symbol(s).set_style(st);
            c.diff_option = o;
            #[allow(deprecated)]
            {
                c.skip = skip;
            }
            c
        })
    }

    /// A frame of `w`×`h` at (3, 2): mostly `base`'s cells (most of a frame is as it was),
    /// some changed.
    fn frame(base: &[Cell], changes: &[(usize, Cell)], w: u16, h: u16) -> Buffer {
        let mut buf = Buffer::empty(Rect::new(3, 2, w, h));
        for (cell, b) in buf.content.iter_mut().zip(base.iter().cycle()) {
            cell.clone_from(b);
        }
        let n = buf.content.len();
        for (k, c) in changes {
            if n > 0 {
                buf.content[k % n].clone_from(c);
            }
        }
        buf
    }

    /// A wide character in a colour replaced in the frame's last cell: ratatui 0.30.2 reads
    /// past the end of the frame here (upstream issue 2695); the change is the one cell.
    /// The last line asserts ratatui's panic: when an upgrade fixes it, this test says so,
    /// and ratatui's own comparison could be used again.
    #[test]
    fn a_wide_character_going_from_the_last_cell() {
        let area = Rect::new(0, 0, 4, 2);
        let mut prev = Buffer::empty(area);
        prev[(3, 1)]
            .set_symbol("漢")
            .set_style(Style::default().bg(Color::Blue));
        let mut next = Buffer::empty(area);
        next[(3, 1)].set_symbol("a");
        let got: Vec<(u16, u16, &str)> = changes(&prev, &next)
            .into_iter()
            .map(|(x, y, c)| (x, y, c.symbol()))
            .collect();
        assert_eq!(got, [(3, 1, "a")]);
        assert!(std::panic::catch_unwind(|| prev.diff(&next).len()).is_err());
    }

    /// A cell one column wide, not marked to redraw always: what lies outside the areas a
    /// frame drawn in parts drew in.
    fn narrow_cell() -> impl Strategy<Value = Cell> {
        let symbol = prop::sample::select(vec![" ", "a", "b", "é", "─", ""]);
        let style = prop::sample::select(vec![
            Style::default(),
            Style::default().bg(Color::Blue),
            Style::default().add_modifier(Modifier::REVERSED),
        ]);
        let option = prop_oneof![
            12 => Just(CellDiffOption::None),
            1 => Just(CellDiffOption::Skip),
            1 => Just(CellDiffOption::ForcedWidth(NonZeroU16::MIN)),
        ];
        (symbol, style, option).prop_map(|(s, st, o)| {
            let mut c = Cell::default();
            c.set_symbol(s).set_style(st);
            c.diff_option = o;
            c
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]

        /// Comparing only where a frame was drawn finds what comparing all of it finds,
        /// when the rest is as it was.
        #[test]
        fn changes_in_areas_are_all_the_changes(
            base in prop::collection::vec(narrow_cell(), 1..20),
            a in prop::collection::vec((0usize..200, narrow_cell()), 0..12),
            b in prop::collection::vec((0usize..200, any_cell()), 0..40),
            c in prop::collection::vec((0usize..200, any_cell()), 0..40),
            rects in prop::collection::vec((0u16..12, 0u16..6, 1u16..8, 1u16..4), 0..5),
            (w, h) in (1u16..12, 1u16..6),
        ) {
            let whole = Rect::new(3, 2, w, h);
            // Areas apart, within the frame.
            let mut areas: Vec<Rect> = Vec::new();
            for (x, y, rw, rh) in rects {
                let r = Rect::new(3 + x, 2 + y, rw, rh).intersection(whole);
                if !r.is_empty() && areas.iter().all(|o| !o.intersects(r)) {
                    areas.push(r);
                }
            }
            let prev0 = frame(&base, &a, w, h);
            let (mut prev, mut next) = (prev0.clone(), prev0.clone());
            let (pb, nb) = (frame(&base, &b, w, h), frame(&base, &c, w, h));
            for r in &areas {
                for y in r.top()..r.bottom() {
                    for x in r.left()..r.right() {
                        prev[(x, y)].clone_from(&pb[(x, y)]);
                        next[(x, y)].clone_from(&nb[(x, y)]);
                    }
                }
            }
            let owned = |v: Vec<(u16, u16, &Cell)>| {
                v.into_iter().map(|(x, y, c)| (x, y, c.clone())).collect::<Vec<_>>()
            };
            prop_assert_eq!(
                owned(changes_on(&prev, &next, Some(&areas))),
                owned(changes(&prev, &next))
            );
            // Where every cell was plain, the changes make the one frame the other.
            let (found, plain) = changes_told(&prev, &next, Some(&areas));
            if plain {
                let mut patched = prev.clone();
                for (x, y, c) in found {
                    patched[(x, y)].clone_from(c);
                }
                prop_assert_eq!(patched, next);
            }
        }

        #[test]
        fn changes_are_ratatuis_diff(
            base in prop::collection::vec(any_cell(), 1..20),
            a in prop::collection::vec((0usize..200, any_cell()), 0..12),
            b in prop::collection::vec((0usize..200, any_cell()), 0..12),
            (w, h) in (1u16..12, 1u16..6),
        ) {
            // Two frames of one terminal: the same size.
            let (prev, next) = (frame(&base, &a, w, h), frame(&base, &b, w, h));
            let ours = changes(&prev, &next);
            // Where ratatui reads past the end of the frame (upstream issue 2695), there is
            // nothing to compare with: it is enough not to.
            let theirs = std::panic::catch_unwind(|| {
                prev.diff(&next)
                    .into_iter()
                    .map(|(x, y, c)| (x, y, c.clone()))
                    .collect::<Vec<_>>()
            });
            if let Ok(theirs) = theirs {
                let ours: Vec<_> = ours.into_iter().map(|(x, y, c)| (x, y, c.clone())).collect();
                prop_assert_eq!(ours, theirs);
            }
        }
    }
}
