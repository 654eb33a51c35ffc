//! Drawing: a pure function of the model. Every screen renders from the engine's
//! `view_for(seat)` of the seat at the keyboard, never from the state itself.

// `f` (frame), `t` (theme), `g` (game), `a` (action) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, List, ListItem, ListState, Paragraph, Wrap};

use crate::engine::event::{Event, EventKind};
use crate::engine::ids::Seat;
use crate::engine::model::{Outcome, Rating, Scenario};
use crate::engine::view::{Availability, View};

use super::app::{ActionItem, App, Dialog, Focus, Game, Screen, Setup, Sitter};
use super::config::{Command, Theme};
use super::text;

pub(super) fn panel<'a>(title: &'a str, t: &Theme) -> Block<'a> {
    block(title, t, true)
}

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    let t = &app.theme;
    // Paint the background only when the theme has one: styling every cell of a large
    // screen is a large share of a frame's cost.
    if t.text.bg.is_some_and(|c| c != ratatui::style::Color::Reset) {
        f.render_widget(Block::default().style(t.text), area);
    }
    if area.width < text::MIN_WIDTH || area.height < text::MIN_HEIGHT {
        let p = Paragraph::new(text::too_small(area.width, area.height))
            .alignment(Alignment::Center)
            .style(t.alert)
            .wrap(Wrap { trim: true });
        let h = 6.min(area.height);
        let y = area.y + area.height.saturating_sub(h) / 2;
        f.render_widget(p, Rect::new(area.x, y, area.width, h));
        return;
    }
    match &app.screen {
        Screen::Launcher { sel } => launcher(f, app, *sel, area),
        Screen::Setup(s) => setup(f, app, s, area),
        Screen::Game(g) => game(f, app, g, area),
        Screen::Replay(rv) => super::replay::draw(f, app, rv, area),
    }
    if app.help {
        help(f, app, area);
    }
}

pub(super) fn block<'a>(title: &'a str, t: &Theme, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(
            title,
            if focused { t.focus } else { t.border },
        ))
        .border_style(if focused { t.focus } else { t.border })
}

pub(super) fn footer(
    f: &mut Frame,
    app: &App,
    area: Rect,
    hints: &[(Command, &str)],
    status: Option<&str>,
) {
    let t = &app.theme;
    let mut spans = Vec::new();
    if let Some(s) = status {
        spans.push(Span::styled(format!(" {s} "), t.alert));
        spans.push(Span::raw(" "));
    }
    for (cmd, what) in hints {
        spans.push(Span::styled(app.keys.first(*cmd), t.focus));
        spans.push(Span::styled(format!(" {what}  "), t.dim));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn length(sc: &Scenario) -> String {
    let m = sc.end.minutes();
    format!("{}h{:02}", m / 60, m % 60)
}

fn launcher(f: &mut Frame, app: &App, sel: usize, area: Rect) {
    let t = &app.theme;
    let [main, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(40), Constraint::Percentage(60)]).areas(main);
    let items: Vec<ListItem> = app
        .entries
        .iter()
        .map(|e| {
            ListItem::new(vec![
                Line::from(Span::styled(e.scenario.title.clone(), t.text)),
                Line::from(Span::styled(
                    format!(
                        "  {} · {} · {}",
                        e.scenario.start.clock(crate::engine::GameTime::ZERO),
                        length(&e.scenario),
                        e.source
                    ),
                    t.dim,
                )),
            ])
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(sel));
    f.render_stateful_widget(
        List::new(items)
            .block(block(text::LAUNCHER_TITLE, t, true))
            .highlight_style(t.selected)
            .highlight_symbol("▸ "),
        left,
        &mut state,
    );
    let mut lines: Vec<Line> = Vec::new();
    if let Some(e) = app.entries.get(sel) {
        let sc = &e.scenario;
        lines.push(Line::from(Span::styled(sc.title.clone(), t.focus)));
        lines.push(Line::from(Span::styled(
            format!(
                "{} → {} ({}) · {}",
                sc.start.clock(crate::engine::GameTime::ZERO),
                sc.start.clock(sc.end),
                length(sc),
                e.source
            ),
            t.dim,
        )));
        lines.push(Line::default());
        lines.push(Line::from(sc.summary.clone()));
        lines.push(Line::default());
        lines.push(Line::from(Span::styled("Roles", t.focus)));
        for r in &sc.roles {
            let side = format!("{:?}", r.side).to_lowercase();
            lines.push(Line::from(vec![
                Span::raw(format!("• {} ", r.name)),
                Span::styled(format!("({side}, authority {})", r.authority), t.dim),
            ]));
        }
        if !sc.objectives.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled("Objectives", t.focus)));
            for o in &sc.objectives {
                lines.push(Line::from(format!("• {}", o.text)));
            }
        }
        if !sc.tags.is_empty() {
            lines.push(Line::default());
            lines.push(Line::from(Span::styled(
                format!("Themes: {}", sc.tags.join(", ")),
                t.dim,
            )));
        }
    } else {
        lines.push(Line::from("No scenarios found."));
    }
    if !app.problems.is_empty() {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            "Files in ./scenarios that did not load (ttx check FILE explains):",
            t.alert,
        )));
        for p in &app.problems {
            let first = p.lines().next().unwrap_or_default();
            lines.push(Line::from(Span::styled(format!("• {first}"), t.dim)));
        }
    }
    f.render_widget(
        Paragraph::new(lines)
            .block(block(" About ", t, false))
            .wrap(Wrap { trim: false }),
        right,
    );
    footer(
        f,
        app,
        foot,
        &[
            (Command::Select, "set up"),
            (Command::Down, "next"),
            (Command::Up, "previous"),
            (Command::Help, "help"),
            (Command::Quit, "quit"),
        ],
        None,
    );
}

fn setup(f: &mut Frame, app: &App, s: &Setup, area: Rect) {
    let t = &app.theme;
    let Some(entry) = app.entries.get(s.entry) else {
        return;
    };
    let sc = &entry.scenario;
    let [main, foot] = Layout::vertical([Constraint::Min(1), Constraint::Length(1)]).areas(area);
    let pacing = if s.turn_mode {
        "turn mode: players advance to the next event".to_owned()
    } else {
        format!(
            "real time: 1 second = {} game minute{}",
            s.pace,
            if s.pace == 1 { "" } else { "s" }
        )
    };
    let seed = match &s.editing_seed {
        Some(text) => format!("{text}▏  (type digits, Enter to keep)"),
        None => format!("{}  (Enter to type one, r for a new random seed)", s.seed),
    };
    let mut rows: Vec<(String, String)> = vec![
        ("Seed".into(), seed),
        ("Pacing".into(), pacing),
        (
            "Facilitator seat".into(),
            if s.facilitator {
                "yes: a facilitator plays here too (sees everything)".into()
            } else {
                "no".into()
            },
        ),
    ];
    for (r, k) in sc.roles.iter().zip(&s.seats) {
        rows.push((
            r.name.clone(),
            match k {
                Sitter::Person | Sitter::Script => "played by a person here".into(),
                Sitter::Bot(b) => format!("bot: {}", b.policy.name()),
                Sitter::Nobody => "not played: nobody acts, answers or approves for it".into(),
            },
        ));
    }
    rows.push(("▶ Start the exercise".into(), String::new()));
    let label_width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(20)
        .min(40);
    let items: Vec<ListItem> = rows
        .iter()
        .map(|(k, v)| {
            ListItem::new(Line::from(vec![
                Span::styled(format!("{k:<label_width$}  "), t.focus),
                Span::raw(v.clone()),
            ]))
        })
        .collect();
    let mut state = ListState::default().with_selected(Some(s.row));
    let [top, bottom] = Layout::vertical([
        Constraint::Length(u16::try_from(rows.len()).unwrap_or(20) + 2),
        Constraint::Min(1),
    ])
    .areas(main);
    f.render_stateful_widget(
        List::new(items)
            .block(block(text::SETUP_TITLE, t, true))
            .highlight_style(t.selected)
            .highlight_symbol("▸ "),
        top,
        &mut state,
    );
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{} — {}", sc.title, sc.summary),
            t.text,
        )),
        Line::default(),
        Line::from(Span::styled(
            "The seed is always shown: the same seed and the same decisions replay the same exercise.",
            t.dim,
        )),
    ];
    let people = s.seats.iter().filter(|k| **k == Sitter::Person).count();
    if let Some(Sitter::Bot(b)) = s.row.checked_sub(3).and_then(|r| s.seats.get(r)) {
        let role = &sc.roles[s.row - 3].name;
        lines.push(Line::from(Span::styled(
            format!(
                "{role}: {} bot ({}), reacting in {}–{} game minutes.",
                b.policy.name(),
                b.policy.describe(),
                b.reaction.0,
                b.reaction.1
            ),
            t.text,
        )));
    }
    if s.seats.iter().any(|k| matches!(k, Sitter::Bot(_))) {
        lines.push(Line::from(Span::styled(
            "Bots play through the same commands as a person and see only their role's screen. Enter on a role cycles: person, its usual bot, the other bots, nobody.",
            t.dim,
        )));
    }
    if people > 1 {
        lines.push(Line::from(Span::styled(
            format!("Hot seat: {people} roles share this keyboard; switching roles passes through a hand-over screen."),
            t.dim,
        )));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .block(block(" Notes ", t, false)),
        bottom,
    );
    footer(
        f,
        app,
        foot,
        &[
            (Command::Select, "change / start"),
            (Command::Back, "back"),
            (Command::Help, "help"),
            (Command::Quit, "quit"),
        ],
        None,
    );
}

/// A one-line summary of an event for a feed: tag, text, and whether it is alarming.
pub fn summary(sc: &Scenario, e: &Event) -> (String, String, bool) {
    let role_name = |a| crate::report::words::actor_name(sc, a);
    let action_name = |a: u32| sc.action(a).name.clone();
    let option_label = |inject: u32, option: u16| {
        sc.inject(inject)
            .prompt
            .as_ref()
            .and_then(|p| p.options.get(usize::from(option)))
            .map_or_else(String::new, |o| o.label.to_string())
    };
    let stage_id = |s: u16| {
        sc.threat
            .as_ref()
            .and_then(|t| t.stages.get(usize::from(s)))
            .map_or("", |x| x.id.as_str())
    };
    match &e.kind {
        EventKind::ExerciseStarted { .. } => ("START".into(), sc.title.clone(), false),
        EventKind::InjectDelivered { inject, .. } => {
            let inj = sc.inject(*inject);
            let head = if inj.subject.is_empty() {
                inj.text.lines().next().unwrap_or("").to_owned()
            } else {
                inj.subject.to_string()
            };
            let from = if inj.from.is_empty() {
                String::new()
            } else {
                format!("{} — ", inj.from)
            };
            let tag = inj.channel.label().to_uppercase();
            (
                tag,
                format!(
                    "{from}{head}{}",
                    if inj.prompt.is_some() {
                        "  [decision]"
                    } else {
                        ""
                    }
                ),
                matches!(inj.channel, crate::engine::model::Channel::Alert),
            )
        }
        EventKind::AdHocInjectDelivered(a) => {
            ("NOTE".into(), format!("{}: {}", a.from, a.text), false)
        }
        EventKind::InjectCancelled { inject } => (
            "CANCEL".into(),
            format!("inject `{}` cancelled", sc.inject(*inject).id),
            false,
        ),
        EventKind::DecisionMade { inject, option, by } => (
            "DECIDED".into(),
            format!("{}: {}", role_name(*by), option_label(*inject, *option)),
            false,
        ),
        EventKind::PromptExpired { inject, default } => (
            "EXPIRED".into(),
            format!(
                "No decision in time: {}",
                default.map_or_else(
                    || "nothing happens".to_owned(),
                    |d| option_label(*inject, d)
                )
            ),
            true,
        ),
        EventKind::ActionTaken {
            action,
            by,
            approved_by,
            preapproved,
            completes_at,
        } => {
            let mut s = format!("{}: {}", role_name(*by), action_name(*action));
            if *preapproved {
                s.push_str(" (pre-approved)");
            }
            if let Some(a) = approved_by {
                let _ = write!(s, " (approved by {})", role_name(*a));
            }
            if *completes_at > e.at {
                let _ = write!(s, " — until {}", sc.start.clock(*completes_at));
            }
            ("ACTION".into(), s, false)
        }
        EventKind::ActionCompleted { action, .. } => ("DONE".into(), action_name(*action), false),
        EventKind::ApprovalRequested {
            action, by, needed, ..
        } => (
            "APPROVAL".into(),
            format!(
                "{} asks to: {} (needs authority {needed})",
                role_name(*by),
                action_name(*action)
            ),
            true,
        ),
        EventKind::ApprovalGranted { action, by, .. } => (
            "APPROVED".into(),
            format!("{}: {}", role_name(*by), action_name(*action)),
            false,
        ),
        EventKind::ApprovalDenied { action, by, .. } => (
            "DENIED".into(),
            format!("{}: {}", role_name(*by), action_name(*action)),
            true,
        ),
        EventKind::VariableChanged { variable, from, to } => {
            let var = &sc.variables[*variable as usize];
            let name = &var.name;
            if var.min == 0 && var.max == 1 {
                let yes = if *to == 1 { "yes" } else { "no" };
                ("STATE".into(), format!("{name}: {yes}"), false)
            } else {
                ("STATE".into(), format!("{name}: {from} → {to}"), false)
            }
        }
        EventKind::ValueDrawn { draw, value, .. } => (
            "DRAW".into(),
            format!("{} = {value}", sc.draws[*draw as usize].id),
            false,
        ),
        EventKind::ThreatAdvanced { stage } => (
            "THREAT".into(),
            crate::report::words::stage_name(sc, usize::from(*stage)),
            true,
        ),
        EventKind::ThreatHalted { stage } => (
            "THREAT".into(),
            format!("halted at `{}`", stage_id(*stage)),
            false,
        ),
        EventKind::ThreatResumed { stage } => (
            "THREAT".into(),
            format!("moving again from `{}`", stage_id(*stage)),
            true,
        ),
        EventKind::SlaStarted {
            sla,
            severity,
            due_at,
        } => (
            "SLA".into(),
            format!(
                "{} started at severity {severity}{}",
                sc.slas[*sla as usize].name,
                due_at
                    .map(|d| format!(", due {}", sc.start.clock(d)))
                    .unwrap_or_default()
            ),
            false,
        ),
        EventKind::SlaMet { sla, minutes, .. } => {
            let sla = &sc.slas[*sla as usize].name;
            ("SLA".into(), format!("{sla} met in {minutes} min"), false)
        }
        EventKind::SlaBreached { sla, severity, .. } => {
            let sla = &sc.slas[*sla as usize].name;
            (
                "SLA".into(),
                format!("{sla} BREACHED at severity {severity}"),
                true,
            )
        }
        EventKind::MilestoneReached { milestone } => (
            "MARK".into(),
            format!("milestone: {}", milestone.label()),
            false,
        ),
        EventKind::Paused => ("CLOCK".into(), "clock paused".into(), false),
        EventKind::Resumed => ("CLOCK".into(), "running again".into(), false),
        EventKind::CommandRejected(r) => ("REFUSED".into(), text::rejection(&r.rejection), true),
        EventKind::ObjectiveRated { objective, rating } => (
            "RATED".into(),
            format!("{}: {rating:?}", sc.objectives[*objective as usize].id),
            false,
        ),
        EventKind::CriterionMet { criterion, points } => (
            "SCORE".into(),
            format!("{}: +{points}", sc.rubric[*criterion as usize].id),
            false,
        ),
        EventKind::RunawayStopped { inject, limit } => (
            "STOPPED".into(),
            limit.describe(&sc.inject(*inject).subject),
            true,
        ),
        EventKind::ExerciseEnded { .. } => (
            "END".into(),
            e.kind.ended_title(sc).unwrap_or_default().to_owned(),
            true,
        ),
    }
}

fn header(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    let now = g.session.ex.now();
    let clock = if g.session.ex.is_over() {
        "ended".to_owned()
    } else if g.session.ex.state().paused || g.held.is_some() || g.journal_error.is_some() {
        "⏸ paused".to_owned()
    } else if g.turn_mode {
        "turn mode".to_owned()
    } else {
        format!("▶ {} min/s", g.pace)
    };
    let who = match &g.at {
        Seat::Facilitator => "Facilitator".to_owned(),
        Seat::Role(r) => sc.role_index(r.as_str()).map_or_else(String::new, |i| {
            let role = sc.role(i);
            if role.persona.is_empty() {
                role.name.clone()
            } else {
                format!("{} — {}", role.name, role.persona)
            }
        }),
    };
    let line = format!(
        " {} │ {} ({}) │ {} │ seed {} │ {}",
        sc.title,
        sc.start.clock(now),
        text::elapsed(now.minutes()),
        clock,
        g.session.ex.state().seed,
        who
    );
    f.render_widget(Paragraph::new(line).style(t.header), area);
}

fn game(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let [head, main, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    if g.handover {
        header_only(f, app, g, head);
        handover(f, app, g, main);
        footer(
            f,
            app,
            foot,
            &[(Command::Select, "ready"), (Command::Quit, "quit")],
            None,
        );
        return;
    }
    header(f, app, g, head);
    if let Some(rv) = &g.report {
        super::report::draw(f, app, rv, main);
        footer(
            f,
            app,
            foot,
            &[
                (Command::Down, "scroll"),
                (Command::ScrollDown, "page"),
                (Command::Back, "back"),
                (Command::Quit, "quit"),
            ],
            None,
        );
        return;
    }
    if g.session.ex.is_over() && !g.ending_seen {
        ending(f, app, g, main);
        footer(
            f,
            app,
            foot,
            &[
                (Command::Select, "review the exercise"),
                (Command::Report, "after-action report"),
                (Command::Quit, "quit"),
            ],
            None,
        );
        return;
    }
    let view = g.session.ex.view_for(&g.at);
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(56), Constraint::Percentage(44)]).areas(main);
    let prompt_lines = prompt_panel_height(&view, left.width);
    // The detail pane takes what the text needs, up to half the column (more for a decision).
    let wanted = if prompt_lines > 0 {
        prompt_lines
    } else {
        detail_height(g, left.width)
    };
    let detail_rows = wanted
        .clamp(7, (left.height / 2).max(7))
        .max(prompt_lines.min(left.height.saturating_sub(5)));
    let [feed_area, detail_area] =
        Layout::vertical([Constraint::Min(4), Constraint::Length(detail_rows)]).areas(left);
    feed(f, app, g, feed_area);
    if prompt_lines > 0 {
        prompt(f, app, g, &view, detail_area);
    } else {
        detail(f, app, g, detail_area);
    }
    if matches!(g.at, Seat::Facilitator) {
        facilitator_panel(f, app, g, &view, right);
    } else {
        let vars =
            u16::try_from(view.variables.len()).unwrap_or(10) + u16::from(view.threat.is_some());
        let [state_area, actions_area] =
            Layout::vertical([Constraint::Length((vars + 2).min(12)), Constraint::Min(4)])
                .areas(right);
        state_panel(f, app, &view, state_area);
        actions(f, app, g, &view, actions_area);
    }
    let mut hints = vec![
        (Command::Focus, "feed/actions"),
        (Command::Select, "take"),
        (Command::Help, "help"),
    ];
    if g.human_seats().len() > 1 {
        hints.push((Command::SwitchSeat, "switch seat"));
    }
    if g.turn_mode {
        hints.push((Command::NextEvent, "next event"));
    }
    if g.may_control() {
        hints.push((
            Command::Pause,
            if g.session.ex.state().paused || g.held.is_some() {
                "resume"
            } else {
                "pause"
            },
        ));
    }
    hints.push((Command::Quit, "quit"));
    let waiting = g.waiting_elsewhere();
    let status = g
        .status
        .clone()
        .or_else(|| g.journal_error.clone())
        .or_else(|| g.held.clone())
        .or_else(|| {
            (!waiting.is_empty()).then(|| format!("Decision waiting for: {}", waiting.join(", ")))
        });
    footer(f, app, foot, &hints, status.as_deref());
    if let Some(d) = &g.dialog {
        dialog(f, app, g, d, area);
    }
}

fn header_only(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let sc = g.session.ex.scenario();
    let line = format!(
        " {} │ {} ({})",
        sc.title,
        sc.start.clock(g.session.ex.now()),
        text::elapsed(g.session.ex.now().minutes())
    );
    f.render_widget(Paragraph::new(line).style(app.theme.header), area);
}

fn handover(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let sc = g.session.ex.scenario();
    let (name, persona) = match &g.at {
        Seat::Facilitator => ("Facilitator".to_owned(), String::new()),
        Seat::Role(r) => sc.role_index(r.as_str()).map_or_else(
            || (r.to_string(), String::new()),
            |i| (sc.role(i).name.clone(), sc.role(i).persona.clone()),
        ),
    };
    let box_area = centered(area, 64, 10);
    f.render_widget(
        Paragraph::new(text::handover(&name, &persona))
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true })
            .block(block(" Hand-over ", &app.theme, true)),
        box_area,
    );
}

pub(super) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn feed(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    let fac = matches!(g.at, Seat::Facilitator);
    let width = usize::from(area.width.saturating_sub(4));
    let all = g.feed();
    let multi_day = sc.end.minutes() + sc.start.minute_of_day > 24 * 60;
    // Only the rows that fit are built: a long exercise must not slow every frame down.
    let rows = usize::from(area.height.saturating_sub(2)).max(1);
    let first = (g.feed_sel + 1).saturating_sub(rows);
    let items: Vec<ListItem> = all
        .iter()
        .skip(first)
        .take(rows)
        .map(|e| {
            let (tag, body, alarm) = summary(sc, e);
            let unread = g.is_unread(e.seq);
            let mut spans = vec![
                Span::styled(if unread { "● " } else { "  " }, t.unread),
                Span::styled(
                    if multi_day {
                        format!("{} ", sc.start.clock(e.at))
                    } else {
                        format!(
                            "{} ",
                            sc.start.clock(e.at).to_string().get(4..).unwrap_or("")
                        )
                    },
                    t.dim,
                ),
                Span::styled(format!("{tag:<8} "), if alarm { t.alert } else { t.focus }),
            ];
            let mut body = body;
            if fac
                && !matches!(
                    e.kind,
                    EventKind::ExerciseStarted { .. } | EventKind::ExerciseEnded { .. }
                )
            {
                let who: Vec<&str> = e.audience.roles().map(|r| sc.role(r).id.as_str()).collect();
                let _ = write!(
                    body,
                    "  → {}",
                    if who.is_empty() {
                        "facilitator".to_owned()
                    } else {
                        who.join(", ")
                    }
                );
            }
            let room = width.saturating_sub(if multi_day { 21 } else { 17 });
            let clipped: String = if body.chars().count() > room {
                body.chars()
                    .take(room.saturating_sub(1))
                    .chain(['…'])
                    .collect()
            } else {
                body
            };
            spans.push(Span::styled(
                clipped,
                if unread { t.unread } else { t.text },
            ));
            ListItem::new(Line::from(spans))
        })
        .collect();
    let unread = all.iter().filter(|e| g.is_unread(e.seq)).count();
    let title = if unread > 0 {
        format!("{}· {unread} unread ", text::FEED_TITLE)
    } else {
        text::FEED_TITLE.to_owned()
    };
    let mut state = ListState::default().with_selected(Some(g.feed_sel - first));
    f.render_stateful_widget(
        List::new(items)
            .block(block(&title, t, g.focus == Focus::Feed))
            .highlight_style(t.selected),
        area,
        &mut state,
    );
}

/// Rows the detail pane needs for the selected event at this width.
fn detail_height(g: &Game, width: u16) -> u16 {
    let w = usize::from(width.saturating_sub(2)).max(10);
    let feed = g.feed();
    let Some(e) = feed.get(g.feed_sel) else {
        return 3;
    };
    let text: &str = match &e.kind {
        EventKind::InjectDelivered { inject, .. } => &g.session.ex.scenario().inject(*inject).text,
        EventKind::AdHocInjectDelivered(a) => &a.text,
        _ => "",
    };
    let rows: usize = text
        .lines()
        .map(|l| l.chars().count().div_ceil(w).max(1))
        .sum();
    u16::try_from(rows + 4).unwrap_or(u16::MAX)
}

fn detail(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    if g.focus == Focus::Actions {
        // With the actions in focus, the pane explains the selected one.
        let view = g.session.ex.view_for(&g.at);
        if let Some(ActionItem::Act { action, .. }) = Game::action_items_of(&view).get(g.action_sel)
            && let Some(a) = view.actions.iter().find(|a| a.id.as_str() == action)
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
                Availability::NeedsApproval => format!(
                    "Needs authority {}: taking it sends a request for approval.",
                    a.authority
                ),
                Availability::Unavailable(why) => format!("Not now: {why}."),
            };
            lines.push(Line::from(Span::styled(state, t.dim)));
            f.render_widget(
                Paragraph::new(lines)
                    .wrap(Wrap { trim: false })
                    .block(block(" Action ", t, false)),
                area,
            );
            return;
        }
    }
    let feed = g.feed();
    let Some(e) = feed.get(g.feed_sel) else {
        f.render_widget(
            Paragraph::new("Nothing yet.").block(block(" Detail ", t, false)),
            area,
        );
        return;
    };
    let mut lines = Vec::new();
    match &e.kind {
        EventKind::InjectDelivered { inject, .. } => {
            let inj = sc.inject(*inject);
            let (channel, from, subject, text) = (inj.channel, &inj.from, &inj.subject, &inj.text);
            lines.push(Line::from(vec![
                Span::styled(
                    format!("{} · {} · ", sc.start.clock(e.at), channel.label()),
                    t.dim,
                ),
                Span::styled(from.to_string(), t.focus),
            ]));
            if !subject.is_empty() {
                lines.push(Line::from(Span::styled(subject.to_string(), t.focus)));
            }
            for l in text.lines() {
                lines.push(Line::from(l.to_owned()));
            }
        }
        EventKind::AdHocInjectDelivered(a) => {
            lines.push(Line::from(Span::styled(a.from.clone(), t.focus)));
            lines.push(Line::from(a.text.clone()));
        }
        _ => {
            let (tag, body, _) = summary(sc, e);
            lines.push(Line::from(vec![
                Span::styled(format!("{} {tag} ", sc.start.clock(e.at)), t.dim),
                Span::raw(body),
            ]));
        }
    }
    let title = if g.detail_scroll > 0 {
        format!(
            " Detail (scrolled; {} for the top) ",
            app.keys.first(Command::ScrollUp)
        )
    } else {
        " Detail ".to_owned()
    };
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((g.detail_scroll, 0))
            .block(block(&title, t, false)),
        area,
    );
}

/// Rows the decision panel needs at this width (question and options wrap).
fn prompt_panel_height(view: &View<'_>, width: u16) -> u16 {
    let w = usize::from(width.saturating_sub(2)).max(10);
    let rows = |s: &str| u16::try_from(s.chars().count().div_ceil(w).max(1)).unwrap_or(4);
    view.prompts
        .iter()
        .find(|p| p.can_answer)
        .or_else(|| view.prompts.first())
        .map_or(0, |p| {
            let options: u16 = p
                .options
                .iter()
                .map(|(_, l)| rows(&format!(" [9] {l}")))
                .sum();
            rows(&p.question) + options + 2 + 2
        })
}

fn prompt(f: &mut Frame, app: &App, g: &Game, view: &View<'_>, area: Rect) {
    let t = &app.theme;
    let Some(p) = view
        .prompts
        .iter()
        .find(|p| p.can_answer)
        .or_else(|| view.prompts.first())
    else {
        return;
    };
    let sc = g.session.ex.scenario();
    let prompt_def = sc
        .inject_index(p.inject.as_str())
        .and_then(|i| sc.inject(i).prompt.as_ref());
    let mut lines = vec![Line::from(Span::styled(p.question.clone(), t.prompt))];
    for (i, (_, label)) in p.options.iter().enumerate() {
        let style = if p.can_answer { t.text } else { t.dim };
        lines.push(Line::from(vec![
            Span::styled(format!(" [{}] ", i + 1), t.focus),
            Span::styled(label.clone(), style),
        ]));
    }
    if let Some(x) = p.expires_at {
        let left = x.since(g.session.ex.now());
        let real = if g.turn_mode || g.pace == 0 {
            String::new()
        } else {
            format!(" (≈ {} s)", left.div_ceil(g.pace))
        };
        let default = prompt_def
            .and_then(|d| {
                d.default
                    .map(|o| d.options[usize::from(o)].label.to_string())
            })
            .unwrap_or_default();
        let real = if g.session.ex.state().paused {
            " (paused)".to_owned()
        } else {
            real
        };
        lines.push(Line::from(Span::styled(
            format!("⏱ {left} game min left{real}; then: {default}"),
            t.alert,
        )));
    }
    if !p.can_answer {
        let whose: Vec<String> = prompt_def.map_or_else(Vec::new, |d| {
            d.by.iter().map(|r| sc.role(*r).name.clone()).collect()
        });
        lines.push(Line::from(Span::styled(
            format!("(for {} to answer)", whose.join(", ")),
            t.dim,
        )));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" Decision ", t, true)),
        area,
    );
}

fn state_panel(f: &mut Frame, app: &App, view: &View<'_>, area: Rect) {
    let t = &app.theme;
    let mut lines = Vec::new();
    if let Some(th) = &view.threat {
        lines.push(Line::from(vec![
            Span::styled("Threat: ", t.alert),
            Span::raw(format!(
                "{} ({}/{}){}",
                th.stage_name,
                th.index + 1,
                th.of,
                if th.halted { " — halted" } else { "" }
            )),
        ]));
    }
    let width = usize::from(area.width.saturating_sub(2));
    for v in &view.variables {
        let value = if v.min == 0 && v.max == 1 {
            (if v.value == 1 { "yes" } else { "no" }).to_owned()
        } else if v.min == 0 {
            format!("{}/{}", v.value, v.max)
        } else {
            format!("{} ({}–{})", v.value, v.min, v.max)
        };
        // The value is what matters: it stays whole, the name gives way.
        let room = width.saturating_sub(value.chars().count() + 1);
        let name: String = if v.name.chars().count() > room {
            v.name
                .chars()
                .take(room.saturating_sub(1))
                .chain(['…'])
                .collect()
        } else {
            v.name.clone()
        };
        let pad = width.saturating_sub(name.chars().count() + value.chars().count());
        lines.push(Line::from(vec![
            Span::styled(name, t.dim),
            Span::raw(" ".repeat(pad)),
            Span::raw(value),
        ]));
    }
    if lines.is_empty() {
        lines.push(Line::from(Span::styled(
            "Nothing is shown to this role.",
            t.dim,
        )));
    }
    f.render_widget(
        Paragraph::new(lines).block(block(text::STATE_TITLE, t, false)),
        area,
    );
}

fn actions(f: &mut Frame, app: &App, g: &Game, view: &View<'_>, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    let items: Vec<ListItem> = Game::action_items_of(view)
        .iter()
        .map(|item| match item {
            ActionItem::Approve(r) | ActionItem::Deny(r) => {
                let req = view.requests.iter().find(|q| q.request == *r);
                let what = req.map_or_else(String::new, |q| {
                    let name = sc
                        .action_index(q.action.as_str())
                        .map_or_else(|| q.action.to_string(), |i| sc.action(i).name.clone());
                    format!("{name} (asked by {})", q.by)
                });
                let verb = if matches!(item, ActionItem::Approve(_)) {
                    "Approve"
                } else {
                    "Deny"
                };
                ListItem::new(vec![Line::from(Span::styled(
                    format!("{verb}: {what}"),
                    t.prompt,
                ))])
            }
            ActionItem::Act { action, .. } => {
                let Some(a) = view.actions.iter().find(|a| a.id.as_str() == action) else {
                    return ListItem::new("");
                };
                let mut meta = vec![format!("{} min", a.duration)];
                if let Some(c) = a.channel {
                    let to: Vec<String> =
                        a.to.iter()
                            .map(|r| {
                                sc.role_index(r.as_str())
                                    .map_or_else(|| r.to_string(), |i| sc.role(i).name.clone())
                            })
                            .collect();
                    meta.push(if to.is_empty() {
                        c.label().to_owned()
                    } else {
                        format!("{} → {}", c.label(), to.join(", "))
                    });
                }
                if a.authority > 0 {
                    meta.push(format!("authority {}", a.authority));
                }
                let (style, note) = match &a.availability {
                    Availability::Ready => (t.text, None),
                    Availability::Preapproved => (t.text, Some("pre-approved".to_owned())),
                    Availability::NeedsApproval => match unplayed_approvers(g, action) {
                        Some(who) => (
                            t.dim,
                            Some(format!("needs approval from {who}, whom nobody plays here")),
                        ),
                        None => (t.text, Some("needs approval (sends a request)".to_owned())),
                    },
                    Availability::Unavailable(why) => {
                        let why = match unplayed_approvers(g, action) {
                            Some(who) if why.starts_with("approval already requested") => {
                                format!("{why}; nobody plays {who}")
                            }
                            _ => why.clone(),
                        };
                        (t.dim, Some(why))
                    }
                };
                // A long name wraps onto a second line rather than losing its end.
                let room = usize::from(area.width.saturating_sub(4)).max(10);
                let mut lines: Vec<Line> = wrap_words(&a.name, room, 2)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, style)))
                    .collect();
                // Why it is (not) possible comes first: it is what the player needs.
                let second = match note {
                    Some(n) => format!("{n} · {}", meta.join(" · ")),
                    None => meta.join(" · "),
                };
                lines.push(Line::from(Span::styled(format!("  {second}"), t.dim)));
                ListItem::new(lines)
            }
        })
        .collect();
    let mut state = ListState::default().with_selected(if g.focus == Focus::Actions {
        Some(g.action_sel)
    } else {
        None
    });
    f.render_stateful_widget(
        List::new(items)
            .block(block(text::ACTIONS_TITLE, t, g.focus == Focus::Actions))
            .highlight_style(t.selected)
            .highlight_symbol("▸ "),
        area,
        &mut state,
    );
}

/// Splits text into at most `max_lines` lines of at most `width` characters at spaces; the
/// last line is cut with an ellipsis if the text is longer still.
fn wrap_words(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        let fits = cur.is_empty() || cur.chars().count() + 1 + word.chars().count() <= width;
        if !fits {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    lines.push(cur);
    if lines.len() > max_lines {
        let rest = lines.split_off(max_lines - 1).join(" ");
        lines.push(rest);
    }
    for l in &mut lines {
        if l.chars().count() > width {
            *l = l
                .chars()
                .take(width.saturating_sub(1))
                .chain(['…'])
                .collect();
        }
    }
    lines
}

/// When an action's approvers are all roles nobody plays here, their names: such a request
/// would never be answered.
fn unplayed_approvers(g: &Game, action: &str) -> Option<String> {
    let sc = g.session.ex.scenario();
    let a = sc.action(sc.action_index(action)?);
    let crate::engine::model::WithoutAuthority::Approval(approvers) = &a.without_authority else {
        return None;
    };
    let nobody = approvers
        .iter()
        .all(|r| g.seating.roles.get(usize::from(*r)) == Some(&Sitter::Nobody));
    nobody.then(|| {
        approvers
            .iter()
            .map(|r| sc.role(*r).name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    })
}

fn facilitator_panel(f: &mut Frame, app: &App, g: &Game, view: &View<'_>, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    let [hidden_area, controls_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(8)]).areas(area);
    let mut lines = Vec::new();
    if let Some(th) = &view.threat {
        lines.push(Line::from(vec![
            Span::styled("Threat: ", t.alert),
            Span::raw(format!("{} ({}/{})", th.stage_name, th.index + 1, th.of)),
        ]));
        let next = match (th.halted, th.next_at) {
            (true, _) => "halted".to_owned(),
            (false, Some(n)) => format!("next stage at {}", sc.start.clock(n)),
            (false, None) => "final stage".to_owned(),
        };
        lines.push(Line::from(Span::styled(format!("  {next}"), t.dim)));
    }
    if let Some(h) = &view.hidden {
        lines.push(Line::from(vec![
            Span::styled("Seed: ", t.dim),
            Span::raw(h.seed.to_string()),
        ]));
        let draws: Vec<String> = h.draws.iter().map(|(d, v)| format!("{d}={v}")).collect();
        lines.push(Line::from(vec![
            Span::styled("Draws: ", t.hidden),
            Span::raw(draws.join(" ")),
        ]));
        lines.push(Line::from(Span::styled("Coming up:", t.hidden)));
        for (at, i) in h.pending_injects.iter().take(4) {
            lines.push(Line::from(format!("  {} {i}", sc.start.clock(*at))));
        }
        if h.pending_injects.is_empty() {
            lines.push(Line::from(Span::styled("  nothing scheduled", t.dim)));
        }
    }
    for v in &view.variables {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", v.name), t.dim),
            Span::raw(v.value.to_string()),
        ]));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(text::HIDDEN_TITLE, t, false)),
        hidden_area,
    );
    let k = |c: Command| app.keys.first(c);
    let controls = vec![
        Line::from(format!(
            "{} pause / resume   {} {} pace ({} min/s)",
            k(Command::Pause),
            k(Command::Faster),
            k(Command::Slower),
            g.pace
        )),
        Line::from(format!("{} fire an inject now", k(Command::FireInject))),
        Line::from(format!(
            "{} write a free-text inject",
            k(Command::FreeInject)
        )),
        Line::from(format!("{} end the exercise", k(Command::EndExercise))),
        Line::from(format!("{} next event (turn mode)", k(Command::NextEvent))),
    ];
    f.render_widget(
        Paragraph::new(controls).block(block(text::CONTROLS_TITLE, t, false)),
        controls_area,
    );
}

fn dialog(f: &mut Frame, app: &App, g: &Game, d: &Dialog, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    let r = centered(area, 70, 16);
    if matches!(
        d,
        Dialog::Fire { .. } | Dialog::FreeText { .. } | Dialog::FreeTo { .. }
    ) {
        f.render_widget(Clear, r);
    }
    match d {
        Dialog::Fire { sel } => {
            let items: Vec<ListItem> = g
                .fireable()
                .iter()
                .map(|id| {
                    let ix = sc.inject_index(id.as_str());
                    let inj = ix.map(|i| sc.inject(i));
                    let label = inj.map_or_else(String::new, |i| {
                        let what = if i.subject.is_empty() {
                            i.text.lines().next().unwrap_or("").to_owned()
                        } else {
                            i.subject.to_string()
                        };
                        let from = if i.from.is_empty() {
                            String::new()
                        } else {
                            format!("{}: ", i.from)
                        };
                        format!("{from}{what}")
                    });
                    let tag = if inj.is_some_and(|i| i.contingency) {
                        "contingency · "
                    } else {
                        ""
                    };
                    let fired = ix
                        .and_then(|i| g.session.ex.state().injects[i as usize].first_delivered)
                        .map(|at| format!("  (sent {})", sc.start.clock(at)))
                        .unwrap_or_default();
                    ListItem::new(Line::from(vec![
                        Span::styled(tag, t.hidden),
                        Span::raw(label),
                        Span::styled(fired, t.dim),
                    ]))
                })
                .collect();
            let mut state = ListState::default().with_selected(Some(*sel));
            f.render_stateful_widget(
                List::new(items)
                    .block(block(
                        " Fire an inject now (Enter fires, Esc cancels) ",
                        t,
                        true,
                    ))
                    .highlight_style(t.selected),
                r,
                &mut state,
            );
        }
        Dialog::FreeText { text } => {
            f.render_widget(
                Paragraph::new(format!("{text}▏"))
                    .wrap(Wrap { trim: false })
                    .block(block(
                        " Free-text inject: type, Enter to choose who gets it, Esc cancels ",
                        t,
                        true,
                    )),
                r,
            );
        }
        Dialog::FreeTo { sel, .. } => {
            let items: Vec<ListItem> = g
                .recipients()
                .into_iter()
                .map(|(n, _)| ListItem::new(n))
                .collect();
            let mut state = ListState::default().with_selected(Some(*sel));
            f.render_stateful_widget(
                List::new(items)
                    .block(block(" Send it to (Enter sends) ", t, true))
                    .highlight_style(t.selected),
                r,
                &mut state,
            );
        }
        Dialog::ConfirmEnd => {
            let r = centered(area, 50, 5);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new("End the exercise now? y / n")
                    .alignment(Alignment::Center)
                    .block(block(" End ", t, true)),
                r,
            );
        }
        Dialog::ConfirmQuit => {
            let r = centered(area, 56, 5);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new("Leave the exercise? Progress is not saved yet. y / n")
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true })
                    .block(block(" Quit ", t, true)),
                r,
            );
        }
    }
}

fn outcome_style(t: &Theme, o: Option<Outcome>) -> Style {
    match o {
        Some(Outcome::Good) => t.good,
        Some(Outcome::Mixed) | None => t.mixed,
        Some(Outcome::Bad) => t.bad,
    }
}

fn ending(f: &mut Frame, app: &App, g: &Game, area: Rect) {
    let t = &app.theme;
    let sc = g.session.ex.scenario();
    let ev = g.session.ex.events();
    let Some((ending, title, outcome, score)) = ev.iter().rev().find_map(|e| match &e.kind {
        EventKind::ExerciseEnded {
            ending,
            outcome,
            score,
            ..
        } => Some((*ending, e.kind.ended_title(sc), *outcome, *score)),
        _ => None,
    }) else {
        return;
    };
    let title = title.unwrap_or_default();
    let end = ending.map(|e| &sc.endings[usize::from(e)]);
    let verdict = match outcome {
        Some(Outcome::Good) => "GOOD OUTCOME",
        Some(Outcome::Mixed) => "MIXED OUTCOME",
        Some(Outcome::Bad) => "BAD OUTCOME",
        None => "ENDED",
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{verdict}: {title}"),
            outcome_style(t, outcome),
        )),
        Line::from(Span::styled(
            format!(
                "at {} ({} into the exercise)",
                sc.start.clock(g.session.ex.now()),
                text::elapsed(g.session.ex.now().minutes())
            ),
            t.dim,
        )),
        Line::default(),
    ];
    if let Some(e) = end {
        lines.push(Line::from(e.text.clone()));
        lines.push(Line::default());
    }
    lines.push(Line::from(vec![
        Span::styled("Score: ", t.focus),
        Span::raw(score.to_string()),
    ]));
    let count = |p: &dyn Fn(&EventKind) -> bool| ev.iter().filter(|e| p(&e.kind)).count();
    let decisions = count(&|k| matches!(k, EventKind::DecisionMade { .. }));
    let expired = count(&|k| matches!(k, EventKind::PromptExpired { .. }));
    let actions = count(&|k| matches!(k, EventKind::ActionTaken { .. }));
    let requests = count(&|k| matches!(k, EventKind::ApprovalRequested { .. }));
    let breaches = count(&|k| matches!(k, EventKind::SlaBreached { .. }));
    lines.push(Line::from(format!(
        "Decisions {decisions} · expired into their default {expired} · actions {actions} · approval requests {requests} · SLA breaches {breaches}"
    )));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Objectives", t.focus)));
    for e in ev {
        if let EventKind::ObjectiveRated { objective, rating } = &e.kind {
            let text = sc.objectives[*objective as usize].text.clone();
            let style = match rating {
                Rating::P => t.good,
                Rating::S | Rating::M => t.mixed,
                Rating::U => t.bad,
            };
            lines.push(Line::from(vec![
                Span::styled(format!(" {rating:?} "), style),
                Span::raw(text),
            ]));
        }
    }
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        "P performed without challenges · S some challenges · M major challenges · U unable to be performed",
        t.dim,
    )));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" The exercise has ended ", t, true)),
        area,
    );
}

fn help(f: &mut Frame, app: &App, area: Rect) {
    let t = &app.theme;
    let r = centered(area, 76, 26);
    f.render_widget(Clear, r);
    let mut lines = Vec::new();
    for (_, cmd, what) in Command::ALL {
        // Pairs and series share a line, so the whole list fits at 80×24.
        let (keys, what) = match cmd {
            Command::Option(1) => (
                (1..=6)
                    .map(|n| app.keys.first(Command::Option(n)))
                    .collect::<Vec<_>>()
                    .join(" "),
                "answer a decision prompt with that option",
            ),
            Command::ScrollDown => (
                format!(
                    "{} {}",
                    app.keys.first(Command::ScrollUp),
                    app.keys.first(Command::ScrollDown)
                ),
                "scroll the detail pane",
            ),
            Command::Option(_) | Command::ScrollUp => continue,
            _ => (app.keys.label(cmd), what),
        };
        lines.push(Line::from(vec![
            Span::styled(format!("{keys:<16}"), t.focus),
            Span::raw(what),
        ]));
    }
    lines.push(Line::from(Span::styled(
        "Keys come from assets/keys.ron; load your own with --keys FILE.",
        t.dim,
    )));
    f.render_widget(
        Paragraph::new(lines).block(block(text::HELP_TITLE, t, true)),
        r,
    );
}
