//! Drawing the replay screen: the timeline on the left, the facilitator's view of the
//! exercise at the selected point on the right, the fork dialog over both.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::engine::ids::Seat;

use super::super::app::App;
use super::super::config::Command;
use super::super::text;
use super::{ReplayView, describe};
use crate::tui::plain::Wrapped;
use crate::tui::widgets::{block, centered};
use crate::words::said;

pub fn draw(f: &mut Frame, app: &App, rv: &ReplayView, area: Rect) {
    let [head, main, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    header(f, app, rv, head);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(60), Constraint::Percentage(40)]).areas(main);
    timeline(f, app, rv, left);
    state(f, app, rv, right);
    footer_line(f, app, rv, foot);
    if rv.confirm {
        fork_dialog(f, app, rv, area);
    }
}

fn footer_line(f: &mut Frame, app: &App, rv: &ReplayView, area: Rect) {
    let t = &app.theme;
    let k = |c: Command| app.keys.first(c);
    let mut spans = Vec::new();
    if let Some(s) = &rv.status {
        spans.push(Span::styled(format!(" {s} "), t.alert));
        spans.push(Span::raw(" "));
    }
    // Home, End and f have no entry in the key map: the replay screen names them itself.
    for (keys, what) in [
        (format!("{}/{}", k(Command::Up), k(Command::Down)), "step"),
        (
            format!("{}/{}", k(Command::ScrollUp), k(Command::ScrollDown)),
            "scrub",
        ),
        ("Home/End".to_owned(), "first/last"),
        ("f".to_owned(), "fork here"),
        (k(Command::Quit), "quit"),
    ] {
        spans.push(Span::styled(keys, t.focus));
        spans.push(Span::styled(format!(" {what}  "), t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn header(f: &mut Frame, app: &App, rv: &ReplayView, area: Rect) {
    let sc = rv.at.scenario();
    let now = rv.at.now();
    let line = format!(
        " Replay │ {} │ {} ({}) │ seed {} │ record {} of {} │ {}",
        sc.title,
        sc.start.clock(now),
        crate::words::names::elapsed(now),
        rv.replay.header.seed,
        rv.records,
        rv.replay.len(),
        rv.replay.header.session
    );
    f.render_widget(Paragraph::new(line).style(app.theme.header), area);
}

fn source(rv: &ReplayView, index: usize) -> String {
    let r = rv.replay.record_of_event(index);
    match r.checked_sub(1).and_then(|i| rv.replay.records.get(i)) {
        None => "start".into(),
        Some(rec) if rec.command.is_time() => "clock".into(),
        // Who gave the command that caused it, by name.
        Some(rec) => crate::words::names::seat_name(rv.at.scenario(), &rec.by),
    }
}

fn cut(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_owned();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn timeline(f: &mut Frame, app: &App, rv: &ReplayView, area: Rect) {
    let t = &app.theme;
    let full = &rv.replay.full;
    let sc = full.scenario();
    let events = full.events();
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    // Keep the selection in the middle of the window where the timeline allows.
    let first = rv
        .sel
        .saturating_sub(rows / 2)
        .min(events.len().saturating_sub(rows));
    let width = usize::from(area.width.saturating_sub(4));
    // Who gave the command: shown where there is room (the right pane always says it).
    let who_w = if width >= 60 { 14 } else { 0 };
    let multi_day = sc.end.minutes() + sc.start.minute_of_day > 24 * 60;
    let items: Vec<ListItem> = events
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, e)| {
            let crate::words::Said {
                tag,
                line: what,
                urgent: alert,
                ..
            } = said(sc, e);
            let c = sc.start.clock(e.at);
            let clock = if multi_day {
                c.to_string()
            } else {
                format!("{:02}:{:02}", c.hour, c.minute)
            };
            let head = if who_w > 0 {
                let who = cut(&source(rv, i), who_w);
                format!("{clock} {who:<who_w$} {tag:<7} ")
            } else {
                format!("{clock} {tag:<7} ")
            };
            let room = width.saturating_sub(head.chars().count());
            let style = if alert { t.alert } else { t.text };
            ListItem::new(Line::from(vec![
                Span::styled(head, t.dim),
                Span::styled(cut(&what, room), style),
            ]))
        })
        .collect();
    let mut state = ListState::default();
    state.select(Some(rv.sel - first));
    let title = format!(
        "{}· {}/{} ",
        text::REPLAY_TIMELINE,
        rv.sel + 1,
        events.len()
    );
    let list = List::new(items)
        .block(block(&title, t, true))
        .highlight_style(t.selected)
        .highlight_symbol("▸ ");
    f.render_stateful_widget(list, area, &mut state);
}

fn state(f: &mut Frame, app: &App, rv: &ReplayView, area: Rect) {
    let t = &app.theme;
    let ex = &rv.at;
    let sc = ex.scenario();
    let view = ex.view_for(&Seat::Facilitator);
    let mut lines: Vec<Line> = Vec::new();
    for n in &rv.notices {
        lines.push(Line::from(Span::styled(n.clone(), t.alert)));
    }
    let by = rv.record().map_or_else(
        || "the exercise starts".to_owned(),
        |r| describe(sc, &r.by, &r.command),
    );
    lines.push(Line::from(vec![
        Span::styled(format!("Record {}: ", rv.records), t.dim),
        Span::raw(by),
    ]));
    if let Some(e) = rv.replay.full.events().get(rv.sel) {
        let crate::words::Said {
            tag,
            line: what,
            urgent: alert,
            ..
        } = said(sc, e);
        lines.push(Line::from(vec![
            Span::styled(format!("{tag} "), if alert { t.alert } else { t.focus }),
            Span::raw(what),
        ]));
    }
    lines.push(Line::from(""));
    if let Some(end) = &view.ended {
        lines.push(Line::from(vec![
            Span::styled("Ended: ", t.alert),
            Span::raw(end.title.clone()),
        ]));
    } else if view.paused {
        lines.push(Line::from(Span::styled("Clock paused", t.alert)));
    }
    if let Some(th) = &view.threat {
        let next = match (th.halted, th.next_at) {
            (true, _) => "halted".to_owned(),
            (false, Some(n)) => format!("next at {}", sc.start.clock(n)),
            (false, None) => "final stage".to_owned(),
        };
        lines.push(Line::from(vec![
            Span::styled("Threat: ", t.alert),
            Span::raw(if th.of == 0 {
                format!("{}, {next}", th.stage_name)
            } else {
                format!("{} ({}/{}), {next}", th.stage_name, th.index + 1, th.of)
            }),
        ]));
    }
    for v in &view.variables {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", v.name), t.dim),
            Span::raw(crate::words::names::var_shown(sc, v)),
        ]));
    }
    for p in &view.prompts {
        lines.push(Line::from(vec![
            Span::styled("Open decision: ", t.alert),
            Span::raw(p.question.clone()),
        ]));
    }
    for r in &view.requests {
        lines.push(Line::from(vec![
            Span::styled("Waiting for approval: ", t.alert),
            Span::raw(format!(
                "{} (by {})",
                crate::report::words::action_name(sc, r.action.as_str()),
                crate::report::words::role_name(sc, &r.by)
            )),
        ]));
    }
    if let Some(h) = &view.hidden {
        if !h.pending_injects.is_empty() {
            lines.push(Line::from(Span::styled("Coming up:", t.hidden)));
        }
        for (at, i) in h.pending_injects.iter().take(4) {
            lines.push(Line::from(format!(
                "  {} {}",
                sc.start.clock(*at),
                crate::report::words::inject_name(sc, i.as_str())
            )));
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        format!(
            "f forks a new live session from here, keeping the first {} recorded command{}.",
            rv.records,
            if rv.records == 1 { "" } else { "s" }
        ),
        t.dim,
    )));
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(text::REPLAY_STATE, t, false)),
        ),
        area,
    );
}

fn fork_dialog(f: &mut Frame, app: &App, rv: &ReplayView, area: Rect) {
    let sc = rv.at.scenario();
    let r = centered(area, 66, 12);
    f.render_widget(Clear, r);
    let q = text::fork_question(
        &sc.start.clock(rv.at.now()).to_string(),
        rv.records,
        rv.replay.len(),
        &rv.replay.header.session,
    );
    f.render_widget(
        Wrapped(
            Paragraph::new(q)
                .alignment(Alignment::Left)
                .wrap(Wrap { trim: true })
                .block(block(text::FORK_TITLE, &app.theme, true)),
        ),
        r,
    );
}
