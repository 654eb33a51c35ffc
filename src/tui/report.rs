//! The after-action report in the terminal, shown after the ending screen: the outcome, key
//! times, objectives with their ratings, the areas for improvement, and a timeline chart
//! with one row per role, the threat's stages and the milestones, all in one scrollable
//! page. Drawn from the report document alone, like every other format.

// `f` (frame), `t` (theme), `r` (report), `s` (summary), `k` (key time) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use crate::engine::model::Rating;
use crate::engine::time::GameTime;
use crate::report::Report;
use crate::report::document::{LANE_EXERCISE, Mark};
use crate::report::words::{dur, elapsed};

use super::app::ReportView;
use super::config::Theme;
use crate::tui::plain::Wrapped;

const LABEL: usize = 18;

fn rating_style(t: &Theme, r: Rating) -> Style {
    match r {
        Rating::P => t.good,
        Rating::S | Rating::M => t.mixed,
        Rating::U => t.bad,
        Rating::N => t.dim,
    }
}

fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        format!("{s:<n$}")
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}\u{2026}")
    }
}

/// The chart's rows: an axis, one row per role, the threat, the milestones.
pub fn chart(r: &Report, width: usize) -> Vec<(String, String)> {
    let cols = width.saturating_sub(LABEL + 1).max(10);
    let end = r.metrics.ended_at.minutes().max(1);
    let col = |t: GameTime| -> usize {
        let c = u64::from(t.minutes().min(end)) * (cols as u64 - 1) / u64::from(end);
        usize::try_from(c).unwrap_or(0)
    };
    let mut rows = Vec::new();
    // The axis: the start, the middle and the end as clock faces.
    let mut axis = vec![' '; cols];
    for t in [0, end / 2, end] {
        let face = r.overview.start.clock(GameTime(t)).to_string();
        let c = col(GameTime(t)).min(cols.saturating_sub(face.len()));
        for (i, ch) in face.chars().enumerate() {
            if let Some(cell) = axis.get_mut(c + i) {
                *cell = ch;
            }
        }
    }
    rows.push((String::new(), axis.into_iter().collect()));
    for role in &r.overview.roles {
        let mut line = vec!['\u{b7}'; cols];
        for t in r
            .timeline
            .iter()
            .filter(|t| t.lanes.iter().any(|l| *l == role.role.as_str()))
        {
            let c = col(t.at);
            let mark = match t.mark {
                Mark::Inject | Mark::Note => '\u{25cf}',
                Mark::Action => {
                    let until = t.until.map_or(c, col);
                    for cell in line.iter_mut().take(until + 1).skip(c + 1) {
                        *cell = '\u{2501}';
                    }
                    '\u{25a0}'
                }
                Mark::Decision => '\u{25c6}',
                Mark::Expired | Mark::Refused => '\u{2715}',
                Mark::Request => '\u{25b2}',
                Mark::Approved => '\u{2713}',
                Mark::Denied => '\u{2717}',
                _ => continue,
            };
            // An alert that arrives while an action runs does not hide the action.
            if !(matches!(t.mark, Mark::Inject | Mark::Note) && line[c] != '\u{b7}') {
                line[c] = mark;
            }
        }
        rows.push((role.name.clone(), line.into_iter().collect()));
    }
    let mut threat = vec![' '; cols];
    for b in &r.threat_bands {
        let digit = char::from_digit(u32::from(b.number % 10), 10).unwrap_or('?');
        for cell in threat.iter_mut().take(col(b.to) + 1).skip(col(b.from)) {
            *cell = digit;
        }
    }
    if !r.threat_bands.is_empty() {
        rows.push(("Attacker stage".into(), threat.into_iter().collect()));
    }
    let mut marks = vec![' '; cols];
    for t in r
        .timeline
        .iter()
        .filter(|t| t.lanes.iter().any(|l| l == LANE_EXERCISE))
    {
        let c = col(t.at);
        let m = match t.mark {
            Mark::Milestone => t
                .text
                .trim_start_matches("Milestone: ")
                .chars()
                .next()
                .map_or('|', |ch| ch.to_ascii_uppercase()),
            Mark::SlaBreach => '!',
            Mark::End => '\u{2503}',
            _ => continue,
        };
        if marks[c] == ' ' || m == '\u{2503}' {
            marks[c] = m;
        }
    }
    rows.push(("Milestones".into(), marks.into_iter().collect()));
    rows
}

fn lines(r: &Report, t: &Theme, width: usize, session: Option<&str>) -> Vec<Line<'static>> {
    let s = &r.summary;
    let mut out = vec![
        Line::from(Span::styled(
            format!("AFTER-ACTION REPORT: {}", r.overview.title),
            t.focus,
        )),
        Line::from(Span::styled(
            format!(
                "Seed {} · {} to {} ({}) · {} · score {} of {}",
                r.overview.seed,
                r.overview.started,
                r.overview.ended,
                dur(r.overview.played_minutes),
                s.ending_title,
                s.score,
                s.max_score
            ),
            t.dim,
        )),
        Line::default(),
    ];
    for p in &s.paragraphs {
        out.push(Line::from(p.clone()));
        out.push(Line::default());
    }
    out.push(Line::from(Span::styled(
        s.what_could_have_been.clone(),
        t.dim,
    )));
    out.push(Line::default());
    out.push(Line::from(Span::styled("Key times", t.focus)));
    for k in &r.key_times {
        let when = match (&k.clock, k.minutes) {
            (Some(c), Some(m)) => format!("{c} ({})", elapsed(GameTime(m))),
            (None, Some(m)) => dur(m),
            _ => "\u{2014}".into(),
        };
        out.push(Line::from(vec![
            Span::raw(format!(" {:<38}", k.label)),
            Span::styled(when, t.focus),
        ]));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "Timeline (\u{25cf} inject \u{25a0}\u{2501} action \u{25c6} decision \u{2715} refused/expired \u{25b2} approval request \u{2713} approved; attacker: stage number; T E D A C milestones, ! SLA breach)",
        t.dim,
    )));
    for (label, row) in chart(r, width) {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", clip(&label, LABEL)), t.focus),
            Span::raw(row),
        ]));
    }
    for b in &r.threat_bands {
        out.push(Line::from(Span::styled(
            format!(
                "  {} {} from {}",
                b.number,
                b.name,
                r.overview.start.clock(b.from)
            ),
            t.dim,
        )));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Objectives", t.focus)));
    for o in &r.objectives {
        let (badge, style) = o.rating.map_or(("\u{2014}".to_owned(), t.dim), |x| {
            (format!("{x:?}"), rating_style(t, x))
        });
        let mut spans = vec![
            Span::styled(format!(" {badge} "), style),
            Span::raw(o.text.clone()),
        ];
        if let Some(x) = o.observed {
            spans.push(Span::styled(format!("  (observer: {x:?})"), t.dim));
        }
        out.push(Line::from(spans));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "Areas for improvement (most important first)",
        t.focus,
    )));
    if r.improvements.is_empty() {
        out.push(Line::from(" None found in the figures."));
    }
    for (i, f) in r.improvements.iter().enumerate() {
        out.push(Line::from(Span::styled(
            format!(" A{}. {}", i + 1, f.title),
            if i == 0 { t.bad } else { t.alert },
        )));
        out.push(Line::from(format!("    {}", f.observation)));
        out.push(Line::from(Span::styled(
            format!("    \u{2192} {}", f.recommendation),
            t.good,
        )));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Strengths", t.focus)));
    if r.strengths.is_empty() {
        out.push(Line::from(" None observed in the figures."));
    }
    for (i, f) in r.strengths.iter().enumerate() {
        out.push(Line::from(format!(" S{}. {}", i + 1, f.title)));
    }
    room(&mut out, r, t);
    debrief(&mut out, r, t);
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        super::text::full_report_hint(session),
        t.dim,
    )));
    out
}

/// The debrief: where the people's path and the by-the-book one parted, the attack path
/// revealed, advice to each role.
fn debrief(out: &mut Vec<Line<'static>>, r: &Report, t: &Theme) {
    // The facilitator's notes and the scenario's debrief notes of what happened: shown
    // once the game is over, as every other format prints them.
    let quotes: Vec<&String> = r
        .improvements
        .iter()
        .chain(&r.strengths)
        .flat_map(|f| &f.debrief)
        .collect();
    if !r.overview.notes.trim().is_empty() || !quotes.is_empty() {
        out.push(Line::default());
        out.push(Line::from(Span::styled("Debrief notes", t.focus)));
        if !r.overview.notes.trim().is_empty() {
            out.push(Line::from(format!(" {}", r.overview.notes.trim())));
        }
        for q in quotes {
            out.push(Line::from(Span::styled(format!("  \u{2022} {q}"), t.dim)));
        }
    }
    for b in crate::report::debrief::blocks(&r.debrief) {
        out.push(Line::default());
        out.push(Line::from(Span::styled(b.heading, t.focus)));
        for p in b.paragraphs {
            out.push(Line::from(format!(" {p}")));
        }
        for i in b.items {
            out.push(Line::from(format!("  \u{2022} {i}")));
        }
    }
}

/// The room's notes: the discussion by module, the observations, the hot wash.
fn room(out: &mut Vec<Line<'static>>, r: &Report, t: &Theme) {
    let room = &r.room;
    if room.is_empty() {
        return;
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled(
        "The room: discussion, observations and hot wash",
        t.focus,
    )));
    for g in &room.discussion {
        out.push(Line::from(Span::styled(format!(" {}", g.module), t.dim)));
        for n in &g.notes {
            out.push(Line::from(format!("  {} {}: {}", n.at, n.by, n.text)));
        }
    }
    for n in &room.observations {
        let rating = n.rating.map(|x| format!(" {x:?}")).unwrap_or_default();
        let on = n
            .objective
            .as_ref()
            .map(|o| format!(" on \"{o}\""))
            .unwrap_or_default();
        out.push(Line::from(format!(
            " Observed{rating}{on}, {} {}: {}",
            n.at, n.by, n.text
        )));
    }
    for (what, notes, style) in [
        ("Strength", &room.strengths, t.good),
        ("To improve", &room.improvements, t.alert),
    ] {
        for n in notes {
            out.push(Line::from(vec![
                Span::styled(format!(" {what} "), style),
                Span::raw(format!("{}: {}", n.by, n.text)),
            ]));
        }
    }
}

pub fn draw<L: super::widgets::Looks + ?Sized>(
    f: &mut Frame,
    app: &L,
    rv: &ReportView,
    area: Rect,
) {
    let look = app.look();
    let t = look.theme;
    let inner = usize::from(area.width.saturating_sub(2));
    let text = lines(&rv.report, t, inner, rv.session.as_deref());
    // Scrolled no further than the last page: rows after wrapping, roughly (a line of
    // width w takes w / inner rows, rounded up).
    let rows: usize = text
        .iter()
        .map(|l| l.width().div_ceil(inner.max(1)).max(1))
        .sum();
    let page = usize::from(area.height.saturating_sub(2));
    let last = u16::try_from(rows.saturating_sub(page)).unwrap_or(u16::MAX);
    f.render_widget(
        Wrapped(
            Paragraph::new(text)
                .wrap(Wrap { trim: false })
                .scroll((rv.scroll.min(last), 0))
                .block(super::widgets::panel(" After-action report ", t)),
        ),
        area,
    );
}
