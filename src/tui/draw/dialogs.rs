//! Dialogs over the game (firing an inject, a free-text inject, confirmations) and the
//! ending screen.

use super::{
    Alignment, Clear, Command, Constraint, Dialog, Fireable, Frame, Layout, Line, List, ListItem,
    ListState, Look, Marks, Outcome, Paragraph, Rating, Rect, SeatScreen, Seen, Span, Wrap, block,
    centered, outcome_style, text,
};
use crate::tui::app::FREE_CHANNELS;
use crate::tui::plain::Wrapped;
use crate::tui::widgets::briefing_lines;
use crate::words::briefing::Briefing;

pub(super) fn dialog(
    f: &mut Frame,
    app: &Look<'_>,
    g: &Seen<'_>,
    s: &SeatScreen,
    d: &Dialog,
    area: Rect,
) {
    let t = app.theme;
    let no_board = Vec::new();
    let fireable = s.board.as_ref().map_or(&no_board, |b| &b.fireable);
    let r = centered(area, 70, 16);
    if matches!(
        d,
        Dialog::Fire { .. } | Dialog::FreeText { .. } | Dialog::FreeTo { .. }
    ) {
        f.render_widget(Clear, r);
    }
    match d {
        Dialog::Briefing {
            scroll,
            first,
            name,
        } => briefing(
            f,
            app,
            &s.briefing,
            (*scroll, *first, name.as_deref()),
            area,
        ),
        Dialog::Discussion { .. } | Dialog::HotWash { .. } | Dialog::Observe { .. } => {
            super::notes::draw(f, app, s, d, area);
        }
        Dialog::Fire { sel } => {
            let items: Vec<ListItem> = fireable
                .iter()
                .map(|i| {
                    let tag = if i.contingency { "contingency · " } else { "" };
                    let fired = i
                        .sent
                        .as_ref()
                        .map(|at| format!("  (sent {at})"))
                        .unwrap_or_default();
                    ListItem::new(Line::from(vec![
                        Span::styled(tag, t.hidden),
                        Span::raw(i.label.clone()),
                        Span::styled(fired, t.dim),
                    ]))
                })
                .collect();
            let r = centered(area, 100, area.height.saturating_sub(2));
            f.render_widget(Clear, r);
            let [list_area, preview_area] =
                Layout::vertical([Constraint::Percentage(45), Constraint::Min(6)]).areas(r);
            let mut state = ListState::default().with_selected(Some(*sel));
            f.render_stateful_widget(
                List::new(items)
                    .block(block(
                        " Fire an inject now (Enter fires, Esc cancels) ",
                        t,
                        true,
                    ))
                    .highlight_style(t.selected),
                list_area,
                &mut state,
            );
            if let Some(i) = fireable.get(*sel) {
                fire_preview(f, app, i, preview_area);
            }
        }
        Dialog::FreeText { text } => {
            f.render_widget(
                Wrapped(
                    Paragraph::new(format!("{text}▏"))
                        .wrap(Wrap { trim: false })
                        .block(block(
                            " Free-text inject: type, Enter to choose who gets it, Esc cancels ",
                            t,
                            true,
                        )),
                ),
                r,
            );
        }
        Dialog::FreeTo(_) => free_to(f, app, s, d, r),
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
            let r = centered(area, 60, 6);
            f.render_widget(Clear, r);
            f.render_widget(
                Wrapped(
                    Paragraph::new(text::quit_question(
                        g.console.leaving,
                        g.journal_handle().as_deref(),
                    ))
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true })
                    .block(block(" Quit ", t, true)),
                ),
                r,
            );
        }
    }
}

/// The free-text inject's form: sender, channel, answers, who gets it, and its text.
fn free_to(f: &mut Frame, app: &Look<'_>, s: &SeatScreen, d: &Dialog, r: Rect) {
    let t = app.theme;
    let Dialog::FreeTo(crate::tui::app::FreeForm {
        text,
        sel,
        to,
        from,
        channel,
        answers,
    }) = d
    else {
        return;
    };
    let names: Vec<&str> = s
        .board
        .iter()
        .flat_map(|b| b.recipients.iter().skip(1))
        .map(|(n, _)| n.as_str())
        .collect();
    let tick = |on: bool| if on { "[x]" } else { "[ ]" };
    let cursor = if *sel == 0 { "▏" } else { "" };
    let mut rows = vec![
        format!("From:    {from}{cursor}"),
        format!(
            "Channel: {}  ({} changes)",
            FREE_CHANNELS
                .get(*channel)
                .map_or("in person", |c| c.label()),
            app.keys.first(Command::Select)
        ),
        format!(
            "Answers: {answers}{}",
            if *sel == 2 {
                "▏  (optional: the answers they may give, split by /)"
            } else if answers.is_empty() {
                "none: a message to read"
            } else {
                ""
            }
        ),
        format!("{} Everyone", tick(to.iter().all(|t| *t))),
    ];
    rows.extend(
        names
            .iter()
            .zip(to)
            .map(|(n, on)| format!("{} {n}", tick(*on))),
    );
    rows.push("▶ Send".to_owned());
    let items: Vec<ListItem> = rows.into_iter().map(ListItem::new).collect();
    let [list_area, text_area] =
        Layout::vertical([Constraint::Min(6), Constraint::Length(4)]).areas(r);
    let mut state = ListState::default().with_selected(Some(*sel));
    f.render_stateful_widget(
        List::new(items)
            .block(block(
                " Free-text inject: who gets it, from whom (Space ticks) ",
                t,
                true,
            ))
            .highlight_style(t.selected),
        list_area,
        &mut state,
    );
    f.render_widget(
        Wrapped(
            Paragraph::new(text.clone())
                .wrap(Wrap { trim: true })
                .block(block(" The message ", t, false)),
        ),
        text_area,
    );
}

/// What firing the picked inject does: to whom, its text, its question, its effects.
fn fire_preview(f: &mut Frame, app: &Look<'_>, i: &Fireable, area: Rect) {
    let t = app.theme;
    let mut lines = vec![Line::from(vec![
        Span::styled("To: ", t.dim),
        Span::raw(i.to.clone()),
    ])];
    lines.push(Line::from(i.text.clone()));
    if let Some(q) = &i.asks {
        lines.push(Line::from(vec![
            Span::styled("Asks: ", t.dim),
            Span::raw(q.clone()),
        ]));
    }
    let effects = if i.effects.is_empty() {
        "nothing besides the message".to_owned()
    } else {
        i.effects.join("; ")
    };
    lines.push(Line::from(vec![
        Span::styled("Then: ", t.dim),
        Span::raw(effects),
    ]));
    f.render_widget(
        Wrapped(Paragraph::new(lines).wrap(Wrap { trim: true }).block(block(
            " What it does ",
            t,
            false,
        ))),
        area,
    );
}

/// The seat's briefing card over the game, scrolled by `scroll` lines.
fn briefing(
    f: &mut Frame,
    app: &Look<'_>,
    b: &Briefing,
    (scroll, first, name): (u16, bool, Option<&str>),
    area: Rect,
) {
    let t = app.theme;
    let whole = centered(area, 90, area.height.saturating_sub(2));
    f.render_widget(Clear, whole);
    // The name field, when the person who takes the seat is asked for it, under the card.
    let r = match name {
        Some(typed) => {
            let [card, field] =
                Layout::vertical([Constraint::Min(4), Constraint::Length(3)]).areas(whole);
            f.render_widget(
                Paragraph::new(Line::from(vec![
                    Span::raw(format!("{typed}▏")),
                    Span::styled(
                        if typed.is_empty() {
                            "  optional; Enter without one plays on"
                        } else {
                            ""
                        },
                        t.dim,
                    ),
                ]))
                .block(block(
                    " Your name and organisation, for the report ",
                    t,
                    true,
                )),
                field,
            );
            card
        }
        None => whole,
    };
    let mut lines = briefing_lines(b, usize::from(r.width.saturating_sub(4)), t);
    let rows = usize::from(r.height.saturating_sub(2));
    let total = lines.len();
    let max = total.saturating_sub(rows);
    let scroll = usize::from(scroll).min(max);
    let close = app.keys.first(Command::Select);
    let title = if first {
        format!(" Your briefing: read it, then {close} to play ")
    } else {
        format!(" Briefing ({close} closes) ")
    };
    f.render_widget(
        Paragraph::new(lines.split_off(scroll))
            .style(t.text)
            .block(block(&title, t, true)),
        r,
    );
    f.render_widget(Marks::rows(r, total, scroll, t), r);
}

pub(super) fn ending(f: &mut Frame, app: &Look<'_>, s: &SeatScreen, area: Rect) {
    let t = app.theme;
    let Some(end) = &s.ending else {
        return;
    };
    let verdict = match end.outcome {
        Some(Outcome::Good) => "GOOD OUTCOME",
        Some(Outcome::Mixed) => "MIXED OUTCOME",
        Some(Outcome::Bad) => "BAD OUTCOME",
        None => "ENDED",
    };
    let mut lines = vec![
        Line::from(Span::styled(
            format!("{verdict}: {}", end.title),
            outcome_style(t, end.outcome),
        )),
        Line::from(Span::styled(
            format!("at {} ({} into the exercise)", s.clock, s.elapsed),
            t.dim,
        )),
        Line::default(),
    ];
    if let Some(text) = &end.text {
        lines.push(Line::from(text.clone()));
        lines.push(Line::default());
    }
    lines.push(Line::from(vec![
        Span::styled("Score: ", t.focus),
        Span::raw(format!("{} of {}", end.score, end.max_score)),
    ]));
    lines.push(Line::from(end.tallies.clone()));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Objectives", t.focus)));
    for (rating, text) in &end.objectives {
        let style = match rating {
            Rating::P => t.good,
            Rating::S | Rating::M => t.mixed,
            Rating::U => t.bad,
            Rating::N => t.dim,
        };
        lines.push(Line::from(vec![
            Span::styled(format!(" {rating:?} "), style),
            Span::raw(text.clone()),
        ]));
    }
    lines.push(Line::default());
    let mut legend = "P performed without challenges · S some challenges · M major challenges · U unable to be performed".to_owned();
    if end.objectives.iter().any(|(r, _)| *r == Rating::N) {
        legend.push_str(if end.by_facilitator {
            " · N not evaluated: the exercise was ended first"
        } else {
            " · N not evaluated: the situation did not arise"
        });
    }
    lines.push(Line::from(Span::styled(legend, t.dim)));
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(" The exercise has ended ", t, true)),
        ),
        area,
    );
}
