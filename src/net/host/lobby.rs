//! What the host shows around the game: the lobby before play starts, and the
//! facilitator's roster of seats, codes and who is connected.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph, Wrap};

use super::{Host, LOCAL, Phase, Plan};
use crate::engine::ids::Seat;
use crate::net::codes::Access;
use crate::tui::config::Command;
use crate::tui::widgets::{Look, block, centered, footer};
use crate::words::names::role_name;

/// One code in force, and who holds it now.
#[derive(Clone, Debug)]
pub struct Row {
    pub pass: usize,
    pub seat: Seat,
    /// The seat's name.
    pub label: String,
    pub access: Access,
    pub code: String,
    /// Connections in with this code now.
    pub here: usize,
    /// The host's own terminal is one of them.
    pub local: bool,
    /// The names of those connected with it.
    pub names: Vec<String>,
    /// What the seat is waiting on, in words (play only).
    pub waiting: Option<String>,
}

/// Every code in force and who is here.
#[derive(Clone, Debug, Default)]
pub struct Roster {
    pub rows: Vec<Row>,
    pub join: Option<String>,
}

impl Roster {
    pub fn of(h: &Host) -> Roster {
        let Ok(passes) = h.passes.lock() else {
            return Roster::default();
        };
        let session = match &h.phase {
            Phase::Play(s) => Some(s),
            Phase::Lobby => None,
        };
        let rows = passes
            .live()
            .map(|(i, p)| {
                let here = h.clients.values().filter(|c| c.pass == i).count();
                let local = h.clients.get(&LOCAL).is_some_and(|c| c.pass == i);
                let names = h
                    .clients
                    .values()
                    .filter(|c| c.pass == i)
                    .filter_map(|c| c.console.person.clone())
                    .collect();
                let waiting = session.and_then(|s| {
                    (p.access == Access::Play).then(|| {
                        let screen = s.screen(&p.seat);
                        if screen.over {
                            "the exercise is over".to_owned()
                        } else if let Some(q) = &screen.prompt {
                            format!("to decide: {}", q.question)
                        } else if screen.requests.iter().any(|r| r.can_decide) {
                            "an approval to give".to_owned()
                        } else {
                            String::new()
                        }
                    })
                });
                Row {
                    pass: i,
                    seat: p.seat.clone(),
                    label: seat_name(&h.plan, &p.seat),
                    access: p.access,
                    code: p.code.clone(),
                    here,
                    local,
                    names,
                    waiting: waiting.filter(|w| !w.is_empty()),
                }
            })
            .collect();
        Roster {
            rows,
            join: h.plan.join.clone(),
        }
    }
}

fn seat_name(plan: &Plan, seat: &Seat) -> String {
    match seat {
        Seat::Facilitator => "Facilitator".into(),
        Seat::Role(id) => role_name(&plan.entry.scenario, id),
    }
}

fn how(access: Access) -> &'static str {
    match access {
        Access::Play => "plays",
        Access::Watch => "watches",
    }
}

/// The command that joins with `code`.
pub fn join_command(join: Option<&str>, code: &str) -> String {
    join.map_or_else(|| code.to_owned(), |j| j.replace("{code}", code))
}

/// The lobby: the exercise's title, the seat this terminal joined, who else is here; the
/// facilitator also sees every code and starts play.
pub fn draw(
    f: &mut Frame,
    look: &Look<'_>,
    plan: &Plan,
    roster: &Roster,
    seat: &Seat,
    access: Access,
) {
    let t = look.theme;
    let area = f.area();
    if !crate::tui::draw::room(f, t) {
        return;
    }
    let [head, main, foot] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let sc = &plan.entry.scenario;
    let title = if plan.name == sc.title {
        format!(" {} │ waiting to start", sc.title)
    } else {
        format!(" {} │ {} │ waiting to start", plan.name, sc.title)
    };
    f.render_widget(Paragraph::new(title).style(t.header), head);
    let fac = *seat == Seat::Facilitator && access == Access::Play;
    let mut lines = vec![
        Line::from(Span::styled(
            format!(
                "You have joined as {} ({}).",
                seat_name(plan, seat),
                match access {
                    Access::Play => "playing",
                    Access::Watch => "watching",
                }
            ),
            t.focus,
        )),
        Line::raw(""),
    ];
    if fac {
        lines.push(Line::raw(
            "Give each person the command for their seat. Press Enter to start: roles nobody has joined are then played as set up.",
        ));
        lines.push(Line::raw(""));
    } else {
        lines.push(Line::raw(
            "Waiting for the facilitator to start the exercise.",
        ));
        lines.push(Line::raw(""));
    }
    lines.push(Line::from(Span::styled("Who is here", t.focus)));
    for r in &roster.rows {
        let here = match r.here {
            0 => "nobody yet".to_owned(),
            _ if !r.names.is_empty() => r.names.join(", "),
            1 => "1 joining".to_owned(),
            n => format!("{n} joining"),
        };
        let mut spans = vec![Span::raw(format!(
            "  {:<34} {:<8} {:<12}",
            seat_name(plan, &r.seat),
            how(r.access),
            here
        ))];
        if fac {
            spans.push(Span::styled(
                join_command(roster.join.as_deref(), &r.code),
                t.dim,
            ));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" Lobby ", t, true)),
        main,
    );
    let hints: &[(Command, &str)] = if fac {
        &[
            (Command::Select, "start"),
            (Command::Help, "help"),
            (Command::Quit, "quit"),
        ]
    } else {
        &[(Command::Help, "help"), (Command::Quit, "leave")]
    };
    footer(f, look, foot, hints, None);
}

/// The facilitator's roster over the game: every code, who holds it, what each seat is
/// waiting on; keys to re-issue or revoke a code.
pub fn roster(f: &mut Frame, look: &Look<'_>, roster: &Roster, row: usize) {
    let t = look.theme;
    let r = centered(f.area(), 110, 24);
    f.render_widget(Clear, r);
    let mut lines = Vec::new();
    for (i, x) in roster.rows.iter().enumerate() {
        let who = match (x.here, x.local) {
            (0, _) => "—".to_owned(),
            (_, true) => "this terminal".to_owned(),
            (n, false) if x.names.is_empty() => format!("{n} joining"),
            (_, false) => x.names.join(", "),
        };
        let line = format!(
            "{:<26} {:<8} {:<18} {:<15} {}",
            x.label,
            how(x.access),
            x.code,
            who,
            x.waiting.as_deref().unwrap_or("")
        );
        lines.push(Line::from(Span::styled(
            line,
            if i == row { t.selected } else { t.text },
        )));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(
        "↑/↓ pick · g give the seat a new code (the old one stops working) · x revoke · Esc close",
        t.dim,
    )));
    f.render_widget(
        Paragraph::new(lines).block(block(" Seats, codes and who is here ", t, true)),
        r,
    );
}

/// Asks a participant who joins for their name, for the journal and the report.
pub fn name_box(f: &mut Frame, look: &Look<'_>, typed: &str) {
    let t = look.theme;
    let area = f.area();
    if area.width < crate::tui::text::MIN_WIDTH || area.height < crate::tui::text::MIN_HEIGHT {
        return;
    }
    let r = centered(area, 64, 8);
    f.render_widget(Clear, r);
    let lines = vec![
        Line::raw("Your name, as the journal and the report should give it:"),
        Line::raw(""),
        Line::from(vec![
            Span::styled(format!(" {typed}"), t.focus),
            Span::styled("▏", t.focus),
        ]),
        Line::raw(""),
        Line::from(Span::styled(
            "Enter to go on (without a name you are a guest)",
            t.dim,
        )),
    ];
    f.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block(" Who are you? ", t, true)),
        r,
    );
}
