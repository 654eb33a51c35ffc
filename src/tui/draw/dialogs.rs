//! Dialogs over the game (firing an inject, a free-text inject, confirmations) and the
//! ending screen.

use super::{
    Alignment, Clear, Dialog, Frame, Line, List, ListItem, ListState, Look, Outcome, Paragraph,
    Rating, Rect, SeatScreen, Seen, Span, Wrap, block, centered, outcome_style, text,
};

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
            let items: Vec<ListItem> = s
                .board
                .iter()
                .flat_map(|b| &b.recipients)
                .map(|(n, _)| ListItem::new(n.clone()))
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
            let r = centered(area, 60, 6);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(text::quit_question(
                    g.console.leaving,
                    g.journal_handle().as_deref(),
                ))
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .block(block(" Quit ", t, true)),
                r,
            );
        }
    }
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
        legend.push_str(" · N not evaluated: the exercise was ended first");
    }
    lines.push(Line::from(Span::styled(legend, t.dim)));
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" The exercise has ended ", t, true)),
        area,
    );
}
