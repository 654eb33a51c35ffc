//! Dialogs over the game (firing an inject, a free-text inject, confirmations) and the
//! ending screen.

use super::{
    Alignment, App, Clear, Dialog, EventKind, Frame, Game, Line, List, ListItem, ListState,
    Outcome, Paragraph, Rating, Rect, Span, Wrap, block, centered, outcome_style, text,
};

pub(super) fn dialog(f: &mut Frame, app: &App, g: &Game, d: &Dialog, area: Rect) {
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
            let r = centered(area, 60, 6);
            f.render_widget(Clear, r);
            f.render_widget(
                Paragraph::new(text::quit_question(g.session.recording.handle().as_deref()))
                    .alignment(Alignment::Center)
                    .wrap(Wrap { trim: true })
                    .block(block(" Quit ", t, true)),
                r,
            );
        }
    }
}

pub(super) fn ending(f: &mut Frame, app: &App, g: &Game, area: Rect) {
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
