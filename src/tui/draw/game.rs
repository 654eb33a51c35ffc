//! The game screen: the header, the hand-over, the feed and the detail of what is picked.
//! Everything here is drawn from the seat's [`SeatScreen`] and the terminal's own state in
//! [`Game`]; nothing reads the exercise.

use ratatui::buffer::CellWidth as _;
use std::borrow::Cow;

use super::{
    ActionItem, ActionsOf, Alignment, Availability, Canvas, Command, Console, Constraint, Detail,
    Dialog, Focus, Frame, Layout, Line, Lines, Look, Marks, Over, Paragraph, Rect, Rows,
    SeatScreen, Seen, Span, StateOf, Wrap, actions, block, boxed, centered, dialog, ending,
    facilitator_panel, footer, footer_line, prompt, prompt_panel_height, state_panel, text,
};
use crate::tui::app::ReportView;
use crate::tui::plain::Wrapped;

/// The header: the exercise, its clock, how it moves, the seed and whose screen it is, in
/// `width` columns (see [`header_line`]).
pub(super) fn header(app: &Look<'_>, s: &SeatScreen, held: bool, width: u16) -> Lines<'static> {
    let t = app.theme;
    let clock = if s.over {
        "ended".to_owned()
    } else if held {
        "⏸ briefing".to_owned()
    } else if s.paused || s.status.held.is_some() || s.status.recording_failed {
        "⏸ paused".to_owned()
    } else if s.status.turn_mode {
        "turn mode".to_owned()
    } else {
        format!("▶ {} min/s", s.status.pace)
    };
    let who = if s.persona.is_empty() {
        s.name.clone()
    } else {
        format!("{} — {}", s.name, s.persona)
    };
    let clock = match &s.epilogue_until {
        Some(until) => format!("epilogue to {until} · {clock}"),
        None => clock,
    };
    let clock = match &s.turn {
        Some(turn) => format!("{turn} │ {clock}"),
        None => clock,
    };
    let line = header_line(
        &s.title,
        &format!("{} ({})", s.clock, s.elapsed),
        &clock,
        &format!("seed {}", s.seed),
        &who,
        usize::from(width),
    );
    Lines::new(line).style(t.header)
}

/// The header's fields joined for `width` columns (as the terminal measures them): all
/// of them when they fit; otherwise the seed gives way first (the setup, the facilitator's
/// panel and the report show it), then whose screen it is and the title are cut short with
/// an ellipsis, the title to no more than half the room while the seat needs it; where
/// even that leaves too little room, the clock and how it moves stand alone, cut with an
/// ellipsis if they must be.
fn header_line(
    title: &str,
    time: &str,
    moves: &str,
    seed: &str,
    who: &str,
    width: usize,
) -> String {
    let line = |parts: &[&str]| format!(" {}", parts.join(" │ "));
    let all = line(&[title, time, moves, seed, who]);
    if columns(&all) <= width {
        return all;
    }
    let without_seed = line(&[title, time, moves, who]);
    if columns(&without_seed) <= width {
        return without_seed;
    }
    let clock = line(&[time, moves]);
    // What is left for the title and the seat beside the clock and two more separators.
    let room = width.saturating_sub(columns(&clock) + 2 * columns(" │ "));
    if room < 8 {
        return cut(&clock, width);
    }
    let title_room = columns(title)
        .min(room / 2)
        .max(room.saturating_sub(columns(who)));
    let who_room = room.saturating_sub(title_room);
    line(&[&cut(title, title_room), time, moves, &cut(who, who_room)])
}

/// The columns `s` takes on a terminal.
fn columns(s: &str) -> usize {
    usize::from(s.cell_width())
}

/// `s` in at most `n` columns: whole when it fits, else cut with an ellipsis, and not left
/// hanging on a dash, a comma or a separator.
fn cut(s: &str, n: usize) -> String {
    if columns(s) <= n {
        return s.to_owned();
    }
    let mut kept = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = columns(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > n {
            break;
        }
        used += w;
        kept.push(c);
    }
    let body = kept.trim_end_matches(|c: char| c.is_whitespace() || "—–-,;:·│".contains(c));
    format!("{body}…")
}

/// What the game screen is, one screen at a time.
enum Kind<'a> {
    /// The hand-over between seats at one keyboard.
    Handover,
    /// The after-action report.
    Report(&'a ReportView),
    /// The ending, until the seat has seen it.
    Ending,
    /// The panels (and any dialog over them).
    Panels,
}

fn kind<'a>(g: &'a Seen<'_>, s: &SeatScreen) -> Kind<'a> {
    if g.handover {
        Kind::Handover
    } else if let Some(rv) = &g.console.report {
        Kind::Report(rv)
    } else if s.over && !g.console.ending_seen {
        Kind::Ending
    } else {
        Kind::Panels
    }
}

pub(super) fn game(f: &mut Frame, app: &Look<'_>, g: &Seen<'_>, area: Rect) {
    let s = &g.screen();
    let [head, main, foot] = rows(area);
    let hints: &[(Command, &str)] = match kind(g, s) {
        Kind::Panels => {
            panels(app, g, s, area).render(f);
            if let Some(d) = &g.console.dialog {
                dialog(f, app, g, s, d, area);
            }
            return;
        }
        Kind::Handover => {
            header_only(f, app, s, head);
            handover(f, app, s, &g.seats, main);
            &[
                (Command::Select, "ready"),
                (Command::Down, "another seat"),
                (Command::Quit, "quit"),
            ]
        }
        Kind::Report(rv) => {
            f.render_widget(header(app, s, g.holds_clock, head.width), head);
            crate::tui::report::draw(f, app, rv, main);
            &[
                (Command::Down, "scroll"),
                (Command::ScrollDown, "page"),
                (Command::Back, "back"),
                (Command::Quit, "quit"),
            ]
        }
        Kind::Ending => {
            f.render_widget(header(app, s, g.holds_clock, head.width), head);
            ending(f, app, s, main);
            &[
                (Command::Select, "review the exercise"),
                (Command::Report, "after-action report"),
                (Command::HotWash, "hot wash"),
                (Command::Quit, "quit"),
            ]
        }
    };
    footer(f, app, foot, hints, None);
}

/// True when the game screen is its panels and nothing else: not the hand-over, the
/// report or the ending, and no dialog over them. Such a screen can be drawn in parts.
pub(super) fn only_panels(g: &Seen<'_>) -> bool {
    matches!(kind(g, &g.screen()), Kind::Panels) && g.console.dialog.is_none()
}

/// The game's panels, each a part of the screen: the header, the feed, the detail (or the
/// open decision), what the seat can see and its actions (or the facilitator's panel),
/// and the footer.
pub(super) fn panels<'a>(
    app: &Look<'a>,
    g: &Seen<'_>,
    s: &'a SeatScreen,
    area: Rect,
) -> Canvas<'a> {
    let mut c = Canvas::default();
    let [head, main, foot] = rows(area);
    c.put(head, header(app, s, g.holds_clock, head.width));
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)]).areas(main);
    let prompt_lines = prompt_panel_height(s, left.width);
    // The detail pane takes what the text needs, up to half the column (more for a decision).
    let wanted = if prompt_lines > 0 {
        prompt_lines
    } else {
        detail_height(g, s, left.width)
    };
    let detail_rows = wanted
        .clamp(7, (left.height / 2).max(7))
        .max(prompt_lines.min(left.height.saturating_sub(5)));
    let [feed_area, detail_area] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_rows)]).areas(left);
    c.put(feed_area, feed(app, g, s, feed_area));
    match (prompt_lines > 0).then(|| prompt(app, s)).flatten() {
        Some(p) => c.put(detail_area, p),
        None => c.put(detail_area, detail(app, g, s)),
    }
    if let Some(board) = &s.board {
        facilitator_panel(&mut c, app, s, board, right);
    } else {
        let vars = u16::try_from(s.variables.len()).unwrap_or(10) + u16::from(s.threat.is_some());
        let [state_area, actions_area] =
            Layout::vertical([Constraint::Length((vars + 2).min(12)), Constraint::Min(4)])
                .areas(right);
        c.made(
            state_area,
            StateOf {
                theme: app.theme,
                threat: s.threat.as_ref(),
                variables: &s.variables,
            },
            state_panel,
        );
        c.made(
            actions_area,
            ActionsOf {
                theme: app.theme,
                requests: &s.requests,
                actions: &s.actions,
                selected: (g.console.focus == Focus::Actions).then_some(g.console.action_sel),
            },
            actions,
        );
    }
    if let Some(Dialog::Briefing { first, name, .. }) = &g.console.dialog {
        let mut hints = vec![
            (Command::Down, "scroll"),
            (Command::ScrollDown, "page"),
            (Command::Select, if *first { "play" } else { "close" }),
        ];
        // While a name is typed, letters are the name's.
        if name.is_none() {
            hints.push((Command::Quit, "quit"));
        }
        c.put(foot, footer_line(app, &hints, None));
        return c;
    }
    let mut hints = vec![
        (Command::Focus, "feed/actions"),
        (Command::Select, "take"),
        (Command::Help, "help"),
    ];
    if g.shared {
        hints.push((Command::SwitchSeat, "switch seat"));
    }
    if s.over {
        hints.push((Command::HotWash, "hot wash"));
    } else if s.status.turn_mode {
        hints.push((Command::NextEvent, "next event"));
    }
    if g.may_control() {
        hints.push((
            Command::Pause,
            if s.paused || s.status.held.is_some() {
                "resume"
            } else {
                "pause"
            },
        ));
    }
    hints.push((Command::Quit, "quit"));
    let waiting = &s.waiting;
    let status = g
        .console
        .status
        .clone()
        .or_else(|| g.journal_error())
        .or_else(|| s.status.held.clone())
        .or_else(|| {
            (!waiting.is_empty()).then(|| format!("Decision waiting for: {}", waiting.join(", ")))
        });
    c.put(foot, footer_line(app, &hints, status.as_deref()));
    c
}

/// The game screen's rows: the header, the main area, the footer.
fn rows(area: Rect) -> [Rect; 3] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

pub(super) fn header_only(f: &mut Frame, app: &Look<'_>, s: &SeatScreen, area: Rect) {
    let line = format!(" {} │ {} ({})", s.title, s.clock, s.elapsed);
    f.render_widget(Lines::new(line).style(app.theme.header), area);
}

pub(super) fn handover(
    f: &mut Frame,
    app: &Look<'_>,
    s: &SeatScreen,
    seats: &[(String, bool)],
    area: Rect,
) {
    let t = app.theme;
    let mut lines: Vec<Line> = text::handover(&s.name, &s.persona)
        .lines()
        .map(|l| Line::from(l.to_owned()))
        .collect();
    if seats.len() > 1 {
        // The seat the keyboard goes to can be picked here.
        lines.push(Line::raw(""));
        lines.push(Line::from(Span::styled(
            format!(
                "Another seat: {} {}",
                app.keys.first(Command::Up),
                app.keys.first(Command::Down)
            ),
            t.dim,
        )));
        for (name, here) in seats {
            lines.push(if *here {
                Line::from(Span::styled(format!("▸ {name}"), t.selected))
            } else {
                Line::from(Span::styled(name.clone(), t.dim))
            });
        }
    }
    let h = u16::try_from(lines.len() + 3).unwrap_or(u16::MAX).max(10);
    let box_area = centered(area, 64, h);
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .block(block(" Hand-over ", t, true)),
        ),
        box_area,
    );
}

pub(super) fn feed<'a>(
    app: &Look<'_>,
    g: &Seen<'_>,
    s: &'a SeatScreen,
    area: Rect,
) -> Over<Rows<'a>, Marks> {
    let t = app.theme;
    let width = usize::from(area.width.saturating_sub(4));
    let all = &s.feed;
    // Only the rows that fit are built: a long exercise must not slow every frame down.
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let first = (g.console.feed_sel + 1).saturating_sub(rows);
    // Each row's text is borrowed from the screen where it can be (a frame is drawn for
    // every terminal after every change): the clock, the tag padded to eight columns, the
    // line cut to the room left with "…".
    let room = width.saturating_sub(if s.multi_day { 21 } else { 17 });
    let rows: Vec<Line<'a>> = all
        .iter()
        .skip(first)
        .take(rows)
        .map(|e| {
            let unread = g.console.is_unread(e.seq);
            let tag = if e.urgent { t.alert } else { t.focus };
            let pad = 8usize.saturating_sub(e.tag.chars().count()) + 1;
            let mut spans = vec![
                Span::styled(if unread { "● " } else { "  " }, t.unread),
                Span::styled(e.clock.as_str(), t.dim),
                Span::styled(" ", t.dim),
                Span::styled(e.tag.as_str(), tag),
                Span::styled(&SPACES[..pad.min(SPACES.len())], tag),
            ];
            let style = if unread { t.unread } else { t.text };
            let body: Cow<'a, str> = match &e.to {
                Some(to) => Cow::Owned(format!("{}  → {to}", e.line)),
                None => Cow::Borrowed(e.line.as_str()),
            };
            match body.char_indices().nth(room) {
                // Longer than the room: cut before the room's last column, for "…".
                Some(_) => {
                    let cut = body
                        .char_indices()
                        .nth(room.saturating_sub(1))
                        .map_or(body.len(), |(i, _)| i);
                    let kept: Cow<'a, str> = match body {
                        Cow::Borrowed(b) => Cow::Borrowed(&b[..cut]),
                        Cow::Owned(mut b) => {
                            b.truncate(cut);
                            Cow::Owned(b)
                        }
                    };
                    spans.push(Span::styled(kept, style));
                    spans.push(Span::styled("…", style));
                }
                None => spans.push(Span::styled(body, style)),
            }
            Line::from(spans)
        })
        .collect();
    let unread = all.iter().filter(|e| g.console.is_unread(e.seq)).count();
    let title = if unread > 0 {
        format!("{}· {unread} unread ", text::FEED_TITLE)
    } else {
        text::FEED_TITLE.to_owned()
    };
    Over(
        Rows {
            rows,
            panel: boxed(title, t, g.console.focus == Focus::Feed),
            selected: Some(g.console.feed_sel - first),
            highlight: t.selected,
        },
        Marks::rows(area, all.len(), first, t),
    )
}

/// Blanks to pad a feed tag with.
const SPACES: &str = "         ";

/// Rows the detail pane needs for the selected event at this width.
pub(super) fn detail_height(g: &Seen<'_>, s: &SeatScreen, width: u16) -> u16 {
    let w = usize::from(width.saturating_sub(2)).max(10);
    let Some(e) = s.feed.get(g.console.feed_sel) else {
        return 3;
    };
    let rows: usize = e
        .detail
        .body()
        .lines()
        .map(|l| l.chars().count().div_ceil(w).max(1))
        .sum();
    u16::try_from(rows + 4).unwrap_or(u16::MAX)
}

pub(super) fn detail(app: &Look<'_>, g: &Seen<'_>, s: &SeatScreen) -> Lines<'static> {
    let t = app.theme;
    if g.console.focus == Focus::Actions {
        // With the actions in focus, the pane explains the selected one.
        if let Some(ActionItem::Act { action, .. }) =
            Console::action_items_of(s).get(g.console.action_sel)
            && let Some(a) = s.actions.iter().find(|a| a.id.as_str() == action)
        {
            let mut lines = vec![Line::from(Span::styled(a.name.clone(), t.focus))];
            if !a.description.is_empty() {
                lines.push(Line::from(a.description.clone()));
            }
            let state = match &a.availability {
                Availability::Ready => "You can do this now.".to_owned(),
                Availability::Preapproved => {
                    "Pre-approved: you can do this now without asking.".to_owned()
                }
                Availability::NeedsApproval => {
                    format!("Needs {}: taking it sends a request for approval.", a.needs)
                }
                Availability::Unavailable(why) => format!("Not now: {why}."),
            };
            lines.push(Line::from(Span::styled(state, t.dim)));
            return Lines::new(lines)
                .wrap(false)
                .panel(boxed(" Action ", t, false));
        }
    }
    let Some(e) = s.feed.get(g.console.feed_sel) else {
        return Lines::new("Nothing yet.").panel(boxed(" Detail ", t, false));
    };
    let mut lines = Vec::new();
    match &e.detail {
        Detail::Message {
            head,
            from,
            subject,
            text,
        } => {
            lines.push(Line::from(vec![
                Span::styled(head.clone(), t.dim),
                Span::styled(from.clone(), t.focus),
            ]));
            if !subject.is_empty() {
                lines.push(Line::from(Span::styled(subject.clone(), t.focus)));
            }
            for l in text.lines() {
                lines.push(Line::from(l.to_owned()));
            }
        }
        Detail::Note { from, text } => {
            lines.push(Line::from(Span::styled(from.clone(), t.focus)));
            lines.push(Line::from(text.clone()));
        }
        Detail::Line { head, text } => {
            lines.push(Line::from(vec![
                Span::styled(head.clone(), t.dim),
                Span::raw(text.clone()),
            ]));
        }
    }
    let title = if g.console.detail_scroll > 0 {
        format!(
            " Detail (scrolled; {} for the top) ",
            app.keys.first(Command::ScrollUp)
        )
    } else {
        " Detail ".to_owned()
    };
    Lines::new(lines)
        .wrap(false)
        .scroll(g.console.detail_scroll)
        .panel(boxed(title, t, false))
}

#[cfg(test)]
mod tests {
    use super::header_line;

    const WHO: &str = "MSSP SOC analyst — Priya Raman, L2 analyst on the night shift";

    fn line(width: usize) -> String {
        header_line(
            "Dropper at 03:30",
            "Sat 03:59 (+0:29)",
            "⏸ paused",
            "seed 7",
            WHO,
            width,
        )
    }

    #[test]
    fn the_header_shows_everything_when_it_fits() {
        assert_eq!(
            line(200),
            format!(" Dropper at 03:30 │ Sat 03:59 (+0:29) │ ⏸ paused │ seed 7 │ {WHO}")
        );
    }

    #[test]
    fn the_seed_gives_way_first_then_the_seat_and_title_are_cut_with_a_mark() {
        let without_seed = format!(" Dropper at 03:30 │ Sat 03:59 (+0:29) │ ⏸ paused │ {WHO}");
        let n = without_seed.chars().count();
        assert_eq!(line(n), without_seed, "the seed goes first");
        for width in 50..n {
            let l = line(width);
            assert!(l.chars().count() <= width, "{width}: {l}");
            assert!(
                l.contains("│ Sat 03:59 (+0:29) │ ⏸ paused │"),
                "{width}: {l}"
            );
            assert!(l.ends_with('…') && !l.contains("seed"), "{width}: {l}");
            assert!(!l.contains(" —…") && !l.contains(",…"), "hangs: {l}");
        }
        // At 80 columns the title stays whole and the seat keeps its role's name.
        assert!(line(80).starts_with(" Dropper at 03:30 │"), "{}", line(80));
        assert!(line(80).contains("│ MSSP SOC analyst"), "{}", line(80));
    }

    #[test]
    fn a_long_clock_stands_alone_and_wide_text_is_measured_in_columns() {
        // A turn's budget and an epilogue leave no room for the title or the seat.
        let moves = "turn 3 of 8 · 1 of 2 actions left │ epilogue to Sat 05:00 · ▶ 10 min/s";
        let at = |width| {
            header_line(
                "Dropper at 03:30",
                "Sat 03:59 (+0:29)",
                moves,
                "seed 7",
                WHO,
                width,
            )
        };
        for width in 20..100 {
            let l = at(width);
            assert!(super::columns(&l) <= width, "{width}: {l}");
        }
        let l = at(80);
        assert!(l.starts_with(" Sat 03:59 (+0:29) │ turn 3 of 8"), "{l}");
        // Two columns a character: the line is cut by columns, not characters.
        let title = "夜間のドロッパー事件の机上演習";
        for width in 30..90 {
            let l = header_line(title, "Sat 03:59 (+0:29)", "⏸ paused", "seed 7", WHO, width);
            assert!(super::columns(&l) <= width, "{width}: {l}");
        }
    }
}
