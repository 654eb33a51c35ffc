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
use crate::tui::plain::Wrapped;
use crate::tui::widgets::{Look, block, centered, footer};

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
    /// Who plays the seat instead of people, once play has started (a bot, nobody).
    pub instead: Option<String>,
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
                let instead = session.and_then(|s| match &p.seat {
                    Seat::Role(id) if p.access == Access::Play => {
                        let ix = s.ex.scenario().role_index(id.as_str())?;
                        match s.seating.roles[usize::from(ix)] {
                            crate::session::Sitter::Bot(b) => {
                                Some(format!("bot ({})", b.policy.name()))
                            }
                            crate::session::Sitter::Nobody => Some("nobody".to_owned()),
                            _ => None,
                        }
                    }
                    _ => None,
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
                    instead,
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
    crate::words::names::seat_name(&plan.entry.scenario, seat)
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
    let width = roster
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(12)
        .min(30);
    if fac {
        lines.push(Line::raw(
            "Give each person the code of their seat. Press Enter to start: roles nobody has joined are then played as set up.",
        ));
        if let Some(j) = &roster.join {
            lines.push(Line::from(vec![
                Span::raw("They join with "),
                Span::styled(j.replace("{code}", "CODE"), t.focus),
            ]));
        }
    } else {
        lines.push(Line::raw(
            "Waiting for the facilitator to start the exercise.",
        ));
    }
    lines.push(Line::raw(""));
    let code_col = |code: &str| {
        if fac {
            format!("{code:<15}")
        } else {
            String::new()
        }
    };
    let head = format!(
        "  {:<width$} {:<8} {}Who is here",
        "Seat",
        "",
        code_col("Code")
    );
    lines.push(Line::from(Span::styled(head, t.focus)));
    for r in &roster.rows {
        let here = match r.here {
            0 => "nobody yet".to_owned(),
            _ if !r.names.is_empty() => r.names.join(", "),
            1 => "1 joining".to_owned(),
            n => format!("{n} joining"),
        };
        lines.push(Line::raw(format!(
            "  {:<width$} {:<8} {}{here}",
            r.label,
            how(r.access),
            code_col(&r.code)
        )));
    }
    f.render_widget(
        Wrapped(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(" Lobby ", t, true)),
        ),
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
    let r = centered(f.area(), 120, 24);
    f.render_widget(Clear, r);
    let width = roster
        .rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(12)
        .min(30);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<width$} {:<8} {:<15}{:<20} {}",
            "Seat", "", "Code", "Who is here", "Waiting on"
        ),
        t.focus,
    ))];
    for (i, x) in roster.rows.iter().enumerate() {
        let who = match (x.here, x.local) {
            (0, _) => x.instead.clone().unwrap_or_else(|| "—".to_owned()),
            (_, true) => "this terminal".to_owned(),
            (n, false) if x.names.is_empty() => format!("{n} joining"),
            (_, false) => x.names.join(", "),
        };
        let line = format!(
            "{:<width$} {:<8} {:<15}{:<20} {}",
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
        "↑/↓ pick · g new code (the old one stops working) · x revoke · Esc close",
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
    let r = centered(area, 64, 9);
    f.render_widget(Clear, r);
    let lines = vec![
        Line::raw("Your name and organisation, as the report should give them"),
        Line::from(Span::styled(
            "(for example: Priya Raman, NightWatch MDR):",
            t.dim,
        )),
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
        Wrapped(
            Paragraph::new(lines)
                .wrap(Wrap { trim: false })
                .block(block(" Who are you? ", t, true)),
        ),
        r,
    );
}
