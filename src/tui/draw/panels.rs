//! The game screen's side panels: the open decision, what the seat can see, its actions,
//! and the facilitator's panel.

use ratatui::buffer::Buffer;
use ratatui::style::Style;
use ratatui::widgets::{StatefulWidget, Widget};

use super::{
    ActionItem, ActionLine, Availability, Board, Canvas, Command, Console, Constraint, Layout,
    Line, Lines, List, ListItem, ListState, Look, Marks, Over, Rect, RequestLine, SeatScreen,
    SeatState, Span, Theme, ThreatLine, VarLine, block, boxed, text, wrap_words,
};

/// Rows the decision panel needs at this width (question and options wrap).
pub(super) fn prompt_panel_height(s: &SeatScreen, width: u16) -> u16 {
    let w = usize::from(width.saturating_sub(2)).max(10);
    let rows = |s: &str| u16::try_from(s.chars().count().div_ceil(w).max(1)).unwrap_or(4);
    s.prompt.as_ref().map_or(0, |p| {
        let options: u16 = p.options.iter().map(|l| rows(&format!(" [9] {l}"))).sum();
        rows(&p.question) + options + 2 + 2
    })
}

/// The open decision, if any.
pub(super) fn prompt(app: &Look<'_>, s: &SeatScreen) -> Option<Lines<'static>> {
    let t = app.theme;
    let p = s.prompt.as_ref()?;
    let mut lines = vec![Line::from(Span::styled(p.question.clone(), t.prompt))];
    for (i, label) in p.options.iter().enumerate() {
        let style = if p.can_answer { t.text } else { t.dim };
        lines.push(Line::from(vec![
            Span::styled(format!(" [{}] ", i + 1), t.focus),
            Span::styled(label.clone(), style),
        ]));
    }
    if let Some(x) = p.expires_at {
        let left = x.since(s.now);
        let real = if s.status.turn_mode || s.status.pace == 0 {
            String::new()
        } else {
            format!(" (≈ {} s)", left.div_ceil(s.status.pace))
        };
        let default = &p.default;
        let real = if s.paused {
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
        lines.push(Line::from(Span::styled(
            format!("(for {} to answer)", p.whose.join(", ")),
            t.dim,
        )));
    }
    Some(
        Lines::new(lines)
            .wrap(false)
            .panel(boxed(" Decision ", t, true)),
    )
}

/// What the panel of what a seat can see is made of.
#[derive(Clone, Copy, Hash)]
pub(super) struct StateOf<'a> {
    pub theme: &'a Theme,
    pub threat: Option<&'a ThreatLine>,
    pub variables: &'a [VarLine],
}

pub(super) fn state_panel(of: StateOf<'_>, area: Rect) -> Over<Lines<'static>, Marks> {
    let t = of.theme;
    let mut lines = Vec::new();
    if let Some(th) = of.threat {
        lines.push(Line::from(vec![
            Span::styled("Threat: ", t.alert),
            Span::raw(format!(
                "{}{}{}",
                th.stage_name,
                progress(th.index, th.of),
                if th.halted { " — halted" } else { "" }
            )),
        ]));
    }
    let width = usize::from(area.width.saturating_sub(2));
    for v in of.variables {
        let value = v.value.clone();
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
    let marks = Marks::rows(area, lines.len(), 0, t);
    Over(
        Lines::new(lines).panel(boxed(text::STATE_TITLE, t, false)),
        marks,
    )
}

/// What the actions panel is made of: the seat's requests and actions, and which of them
/// is selected when the panel has the focus.
#[derive(Clone, Copy, Hash)]
pub(super) struct ActionsOf<'a> {
    pub theme: &'a Theme,
    pub requests: &'a [RequestLine],
    pub actions: &'a [ActionLine],
    pub selected: Option<usize>,
}

/// The seat's actions, and the requests it may approve or deny, in a list.
pub(super) fn actions(of: ActionsOf<'_>, area: Rect) -> ActionList {
    let t = of.theme;
    let items: Vec<ListItem<'static>> = Console::action_items_from(of.requests, of.actions)
        .iter()
        .map(|item| match item {
            ActionItem::Approve(r) | ActionItem::Deny(r) => {
                let what = of
                    .requests
                    .iter()
                    .find(|q| q.request == *r)
                    .map_or("", |q| q.what.as_str());
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
            ActionItem::CannotDecide(r, approve) => {
                let q = of.requests.iter().find(|q| q.request == *r);
                let what = q.map_or("", |q| q.what.as_str());
                let verb = if *approve { "Approve" } else { "Deny" };
                let room = usize::from(area.width.saturating_sub(4)).max(10);
                let mut lines: Vec<Line> = wrap_words(&format!("{verb}: {what}"), room, 2)
                    .into_iter()
                    .map(|l| Line::from(Span::styled(l, t.dim)))
                    .collect();
                if !*approve {
                    let why = q.and_then(|q| q.why_not.as_deref()).unwrap_or("");
                    lines.extend(
                        wrap_words(&format!("not now: {why}"), room.saturating_sub(2), 2)
                            .into_iter()
                            .map(|l| Line::from(Span::styled(format!("  {l}"), t.dim))),
                    );
                }
                ListItem::new(lines)
            }
            ActionItem::Act { action, .. } => {
                let Some(a) = of.actions.iter().find(|a| a.id.as_str() == action) else {
                    return ListItem::new("");
                };
                let mut meta = vec![format!("{} min", a.duration)];
                if let Some(c) = &a.channel {
                    meta.push(c.clone());
                }
                if let Some(c) = &a.cost {
                    meta.push(c.clone());
                }
                if a.authority > 0 {
                    meta.push(a.needs.clone());
                }
                let (style, note) = match &a.availability {
                    Availability::Ready => (t.text, None),
                    Availability::Preapproved => (t.text, Some("pre-approved".to_owned())),
                    Availability::NeedsApproval => match &a.unplayed_approvers {
                        Some(who) => (
                            t.dim,
                            Some(format!("needs approval from {who}, whom nobody plays here")),
                        ),
                        None => (
                            t.text,
                            Some(match &a.approvers {
                                Some(who) => format!("needs approval from {who} (sends a request)"),
                                None => "needs approval (sends a request)".to_owned(),
                            }),
                        ),
                    },
                    Availability::Unavailable(why) => {
                        let requested = why.starts_with("approval already requested");
                        let why = match (&a.unplayed_approvers, &a.approvers) {
                            (Some(who), _) if requested => {
                                format!("approval asked of {who}; nobody plays {who}")
                            }
                            (None, Some(who)) if requested => {
                                format!("approval asked of {who}, waiting for the answer")
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
                // So is its second line: who must approve, how long, by which channel.
                lines.extend(
                    wrap_words(&second, room.saturating_sub(2).max(8), 2)
                        .into_iter()
                        .map(|l| Line::from(Span::styled(format!("  {l}"), t.dim))),
                );
                ListItem::new(lines)
            }
        })
        .collect();
    let heights: Vec<usize> = items.iter().map(ListItem::height).collect();
    ActionList {
        list: List::new(items)
            .block(block(text::ACTIONS_TITLE, t, of.selected.is_some()))
            .highlight_style(t.selected)
            .highlight_symbol("▸ "),
        selected: of.selected,
        heights,
        marks: t.focus,
    }
}

/// The actions list as drawn: ratatui's list, scrolled to show the selected item, with
/// marks on its borders for the items out of sight.
#[derive(Hash)]
pub(super) struct ActionList {
    list: List<'static>,
    selected: Option<usize>,
    heights: Vec<usize>,
    marks: Style,
}

impl Widget for ActionList {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let mut state = ListState::default().with_selected(self.selected);
        StatefulWidget::render(self.list, area, buf, &mut state);
        Marks::new(area, &self.heights, state.offset(), self.marks).render(area, buf);
    }
}

/// The facilitator's panel, in three parts: the hidden state, the seats, the controls.
pub(super) fn facilitator_panel<'a>(
    c: &mut Canvas<'a>,
    app: &Look<'a>,
    s: &'a SeatScreen,
    board: &'a Board,
    area: Rect,
) {
    let t = app.theme;
    // A line for each seat, and one for each thing it is doing or waiting on.
    let seat_lines: usize = board.seats.iter().map(|seat| 1 + seat.lines.len()).sum();
    let seats_rows = u16::try_from(seat_lines + 2)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(10) / 2 + 4);
    let [hidden_area, seats_area, controls_area] = Layout::vertical([
        Constraint::Min(6),
        Constraint::Length(seats_rows),
        Constraint::Length(4 + u16::from(board.module.is_some())),
    ])
    .areas(area);
    c.made(
        seats_area,
        SeatsOf {
            theme: t,
            seats: &board.seats,
        },
        seats_panel,
    );
    c.made(
        hidden_area,
        HiddenOf {
            theme: t,
            threat: s.threat.as_ref(),
            seed: s.seed,
            coming_up: &board.coming_up,
            drawn: &board.drawn,
            variables: &s.variables,
        },
        hidden_panel,
    );
    let k = |c: Command| app.keys.first(c);
    let keys = format!(
        "{} pause  {} {} pace ({} min/s)  {} fire  {} write  {} discuss  {} end  {} next event",
        k(Command::Pause),
        k(Command::Faster),
        k(Command::Slower),
        s.status.pace,
        k(Command::FireInject),
        k(Command::FreeInject),
        k(Command::Discuss),
        k(Command::EndExercise),
        k(Command::NextEvent),
    );
    // The evaluator watches: its one key is the observation.
    let evaluator = s.seat == crate::engine::ids::Seat::Evaluator;
    let keys = if evaluator {
        format!("{} note an observation", k(Command::Observe))
    } else {
        format!("{keys}  {} observe", k(Command::Observe))
    };
    c.made(
        controls_area,
        ControlsOf {
            theme: t,
            module: board.module.as_ref().map(|m| m.heading.as_str()),
            keys,
            evaluator,
        },
        controls_panel,
    );
}

/// What the facilitator's panel of seats is made of.
#[derive(Clone, Copy, Hash)]
struct SeatsOf<'a> {
    theme: &'a Theme,
    seats: &'a [SeatState],
}

fn seats_panel(of: SeatsOf<'_>, area: Rect) -> Over<Lines<'static>, Marks> {
    let t = of.theme;
    let room = usize::from(area.width.saturating_sub(2)).max(10);
    let lines = seat_board(of.seats, room, t);
    let marks = Marks::rows(area, lines.len(), 0, t);
    Over(Lines::new(lines).panel(boxed(" Seats ", t, false)), marks)
}

/// What the facilitator's panel of the hidden state is made of.
#[derive(Clone, Copy, Hash)]
struct HiddenOf<'a> {
    theme: &'a Theme,
    threat: Option<&'a ThreatLine>,
    seed: u64,
    coming_up: &'a [(String, String)],
    drawn: &'a [String],
    variables: &'a [VarLine],
}

fn hidden_panel(of: HiddenOf<'_>, area: Rect) -> Lines<'static> {
    let t = of.theme;
    let mut lines = Vec::new();
    if let Some(th) = of.threat {
        lines.push(Line::from(vec![
            Span::styled("Threat: ", t.alert),
            Span::raw(format!("{}{}", th.stage_name, progress(th.index, th.of))),
        ]));
        if let Some(next) = &th.next {
            lines.push(Line::from(Span::styled(format!("  {next}"), t.dim)));
        }
    }
    lines.push(Line::from(vec![
        Span::styled("Seed: ", t.dim),
        Span::raw(of.seed.to_string()),
    ]));
    lines.push(Line::from(Span::styled("Coming up:", t.hidden)));
    for (at, name) in of.coming_up.iter().take(4) {
        lines.push(Line::from(format!("  {at} {name}")));
    }
    if of.coming_up.is_empty() {
        lines.push(Line::from(Span::styled("  nothing scheduled", t.dim)));
    }
    lines.push(Line::from(Span::styled("Drawn:", t.hidden)));
    let room = usize::from(area.width.saturating_sub(4)).max(10);
    for d in of.drawn {
        lines.push(Line::from(format!(
            "  {}",
            crate::words::names::short(d, room)
        )));
    }
    for v in of.variables {
        lines.push(Line::from(vec![
            Span::styled(format!("{}: ", v.name), t.dim),
            Span::raw(v.value.clone()),
        ]));
    }
    Lines::new(lines)
        .wrap(false)
        .panel(boxed(text::HIDDEN_TITLE, t, false))
}

/// What the facilitator's controls are made of: the module under way, the keys.
#[derive(Hash)]
struct ControlsOf<'a> {
    theme: &'a Theme,
    module: Option<&'a str>,
    keys: String,
    evaluator: bool,
}

fn controls_panel(of: ControlsOf<'_>, _: Rect) -> Lines<'static> {
    let t = of.theme;
    let mut controls = Vec::new();
    if let Some(m) = of.module {
        controls.push(Line::from(Span::styled(m.to_owned(), t.focus)));
    }
    controls.push(Line::from(of.keys));
    Lines::new(controls).wrap(true).panel(boxed(
        if of.evaluator {
            " Evaluator "
        } else {
            text::CONTROLS_TITLE
        },
        t,
        false,
    ))
}

/// Each role on the facilitator's board: its name and who plays it, then what it is doing
/// or waiting on, each cut to `room` characters; a person's open decision stands out.
fn seat_board(seats: &[SeatState], room: usize, t: &Theme) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for seat in seats {
        lines.push(Line::from(vec![
            Span::styled(
                crate::words::names::short(&seat.name, room.saturating_sub(12)),
                if seat.waiting { t.alert } else { t.focus },
            ),
            Span::styled(format!(" · {}", seat.played_by), t.dim),
        ]));
        for l in &seat.lines {
            lines.push(Line::from(crate::words::names::short(
                &format!("  {l}"),
                room,
            )));
        }
    }
    lines
}

/// " (3/5)": how far along a single path the attacker is; nothing when its stages branch.
fn progress(index: u16, of: u16) -> String {
    if of == 0 {
        String::new()
    } else {
        format!(" ({}/{of})", index + 1)
    }
}
