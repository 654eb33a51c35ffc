//! The game's keys: what each command does on the game screen, in its dialogs and on the
//! report; only these change the game's screen state or issue commands for a player.

use super::{
    ActionItem, Availability, Command, Console, Dialog, EngineCommand, Focus, Game, KeyCode,
    KeyEvent, Outcome, Seat, Session,
};

impl Console {
    /// Handles a key while the report is open. Returns true when the player asked to quit.
    pub(super) fn report_key(&mut self, cmd: Option<Command>) -> bool {
        let Some(view) = &mut self.report else {
            return false;
        };
        match cmd {
            Some(Command::Quit) => return true,
            Some(Command::Down) => view.scroll = view.scroll.saturating_add(1),
            Some(Command::Up) => view.scroll = view.scroll.saturating_sub(1),
            Some(Command::ScrollDown) => view.scroll = view.scroll.saturating_add(10),
            Some(Command::ScrollUp) => view.scroll = view.scroll.saturating_sub(10),
            Some(Command::Back | Command::Select | Command::Report) => self.report = None,
            _ => {}
        }
        false
    }

    /// Handles a key while a dialog is open. Returns false when the key was not for it.
    pub(super) fn dialog_key(
        &mut self,
        session: &mut Session,
        key: KeyEvent,
        cmd: Option<Command>,
    ) -> bool {
        let Some(dialog) = self.dialog.clone() else {
            return false;
        };
        match dialog {
            Dialog::FreeText { mut text } => match key.code {
                KeyCode::Esc => self.dialog = None,
                KeyCode::Enter if !text.trim().is_empty() => {
                    let roles = self.recipients(session).len().saturating_sub(1);
                    self.dialog = Some(Dialog::FreeTo(super::FreeForm {
                        text,
                        sel: 3,
                        to: vec![false; roles],
                        from: "Facilitator".into(),
                        channel: 0,
                        answers: String::new(),
                    }));
                }
                KeyCode::Backspace => {
                    text.pop();
                    self.dialog = Some(Dialog::FreeText { text });
                }
                KeyCode::Char(c) if text.chars().count() < 500 => {
                    text.push(c);
                    self.dialog = Some(Dialog::FreeText { text });
                }
                _ => {}
            },
            Dialog::FreeTo(form) => self.free_to_key(session, key, cmd, form),
            Dialog::Fire { sel } => {
                let n = self.fireable(session).len();
                match cmd {
                    Some(Command::Up) => {
                        self.dialog = Some(Dialog::Fire {
                            sel: sel.saturating_sub(1),
                        });
                    }
                    Some(Command::Down) => {
                        self.dialog = Some(Dialog::Fire {
                            sel: (sel + 1).min(n.saturating_sub(1)),
                        });
                    }
                    Some(Command::Back) => self.dialog = None,
                    Some(Command::Select) => {
                        let inject = self.fireable(session)[sel].clone();
                        self.dialog = None;
                        self.status = Some(format!(
                            "Fired \"{}\".",
                            crate::report::words::inject_name(
                                session.ex.scenario(),
                                inject.as_str()
                            )
                        ));
                        self.issue(
                            session,
                            Seat::Facilitator,
                            EngineCommand::FireInject { inject },
                        );
                    }
                    _ => {}
                }
            }
            Dialog::Discussion { text, resume } => {
                self.note_key(session, key, text, resume, None);
            }
            Dialog::HotWash { text, improvement } => {
                self.note_key(session, key, text, false, Some(improvement));
            }
            Dialog::Observe {
                row,
                objective,
                rating,
                text,
            } => self.observe_key(session, key, cmd, (row, objective, rating, text)),
            Dialog::Briefing {
                scroll,
                first,
                mut name,
            } => {
                if let Some(typed) = name.as_mut() {
                    match key.code {
                        KeyCode::Char(c) => {
                            if typed.chars().count() < 80 {
                                typed.push(c);
                            }
                        }
                        KeyCode::Backspace => {
                            typed.pop();
                        }
                        KeyCode::Enter | KeyCode::Esc => {
                            let typed = typed.trim();
                            if !typed.is_empty() {
                                self.names.insert(self.at.clone(), typed.to_owned());
                            }
                            self.dialog = None;
                            return true;
                        }
                        _ => return self.briefing_scroll(session, cmd, scroll, first, name),
                    }
                    self.dialog = Some(Dialog::Briefing {
                        scroll,
                        first,
                        name,
                    });
                    return true;
                }
                return self.briefing_scroll(session, cmd, scroll, first, name);
            }
            Dialog::ConfirmEnd | Dialog::ConfirmQuit => match key.code {
                KeyCode::Char('y' | 'Y') => {
                    if dialog == Dialog::ConfirmEnd {
                        self.dialog = None;
                        self.issue(
                            session,
                            Seat::Facilitator,
                            EngineCommand::EndExercise { ending: None },
                        );
                    } else {
                        return false;
                    }
                }
                _ => self.dialog = None,
            },
        }
        true
    }

    /// A key on the free-text inject's form: the sender typed on its row, the channel
    /// changed, roles ticked, and Send.
    fn free_to_key(
        &mut self,
        session: &mut Session,
        key: KeyEvent,
        cmd: Option<Command>,
        mut f: super::FreeForm,
    ) {
        let send = 4 + f.to.len();
        match (key.code, cmd) {
            (KeyCode::Char(c), _) if f.sel == 0 && f.from.chars().count() < 60 => f.from.push(c),
            (KeyCode::Char(_), _) if f.sel == 0 => {}
            (KeyCode::Backspace, _) if f.sel == 0 => {
                f.from.pop();
            }
            (KeyCode::Char(c), _) if f.sel == 2 && f.answers.chars().count() < 200 => {
                f.answers.push(c);
            }
            (KeyCode::Char(_), _) if f.sel == 2 => {}
            (KeyCode::Backspace, _) if f.sel == 2 => {
                f.answers.pop();
            }
            (KeyCode::Up, _) | (_, Some(Command::Up)) => f.sel = f.sel.saturating_sub(1),
            (KeyCode::Down, _) | (_, Some(Command::Down)) => f.sel = (f.sel + 1).min(send),
            (_, Some(Command::Back)) => {
                self.dialog = Some(Dialog::FreeText { text: f.text });
                return;
            }
            (KeyCode::Char(' '), _) | (_, Some(Command::Select)) => match f.sel {
                0 => f.sel = 1,
                1 => f.channel = (f.channel + 1) % super::FREE_CHANNELS.len(),
                2 => f.sel = 3,
                3 => {
                    let all = f.to.iter().all(|t| *t);
                    f.to.fill(!all);
                }
                n if n < send => f.to[n - 4] = !f.to[n - 4],
                _ => {
                    let roles = self.recipients(session);
                    let chosen: Vec<(String, Vec<super::RoleId>)> = roles
                        .into_iter()
                        .skip(1)
                        .zip(&f.to)
                        .filter(|(_, t)| **t)
                        .map(|(r, _)| r)
                        .collect();
                    if chosen.is_empty() {
                        self.status = Some("Tick who receives it first.".into());
                    } else {
                        let names: Vec<String> = chosen.iter().map(|(n, _)| n.clone()).collect();
                        self.dialog = None;
                        self.status =
                            Some(format!("Sent to {}.", crate::words::names::list(&names)));
                        let from = match f.from.trim() {
                            "" => "Facilitator".to_owned(),
                            given => given.to_owned(),
                        };
                        let channel = super::FREE_CHANNELS[f.channel];
                        let options = f
                            .answers
                            .split('/')
                            .map(str::trim)
                            .filter(|a| !a.is_empty())
                            .map(str::to_owned)
                            .collect();
                        self.issue(
                            session,
                            Seat::Facilitator,
                            EngineCommand::AdHocInject {
                                to: chosen.into_iter().flat_map(|(_, ids)| ids).collect(),
                                channel,
                                from,
                                text: f.text,
                                options,
                            },
                        );
                        return;
                    }
                }
            },
            _ => {}
        }
        self.dialog = Some(Dialog::FreeTo(f));
    }

    /// The briefing card's keys besides its name field: scrolling, closing, quitting.
    fn briefing_scroll(
        &mut self,
        session: &Session,
        cmd: Option<Command>,
        scroll: u16,
        first: bool,
        name: Option<String>,
    ) -> bool {
        // The name field takes three rows of the card.
        let max = crate::tui::widgets::briefing_scroll_max(&self.screen(session).briefing)
            + if name.is_some() { 3 } else { 0 };
        let scroll = match cmd {
            Some(Command::Down) => scroll.saturating_add(1).min(max),
            Some(Command::Up) => scroll.saturating_sub(1),
            Some(Command::ScrollDown) => scroll.saturating_add(10).min(max),
            Some(Command::ScrollUp) => scroll.saturating_sub(10),
            Some(Command::Back | Command::Select | Command::Briefing) => {
                self.dialog = None;
                return true;
            }
            Some(Command::Quit) => {
                self.dialog = Some(Dialog::ConfirmQuit);
                return true;
            }
            _ => return true,
        };
        self.dialog = Some(Dialog::Briefing {
            scroll,
            first,
            name,
        });
        true
    }

    /// True when `cmd` would give a command or move the clock (what an observer may not).
    fn would_act(&self, cmd: Command) -> bool {
        match cmd {
            Command::Select => self.focus == Focus::Actions,
            Command::NextEvent
            | Command::Pause
            | Command::Faster
            | Command::Slower
            | Command::FireInject
            | Command::FreeInject
            | Command::EndExercise
            | Command::Option(_)
            | Command::SwitchSeat
            | Command::Discuss
            | Command::HotWash
            | Command::Observe => true,
            Command::Quit
            | Command::Help
            | Command::Up
            | Command::Down
            | Command::Back
            | Command::Focus
            | Command::ScrollDown
            | Command::ScrollUp
            | Command::Report
            | Command::Briefing => false,
        }
    }

    /// Applies one key on the game screen: the report when it is open, the ending, then the
    /// game itself; the picked event stays picked and what is shown is marked read (not
    /// behind the hand-over screen).
    pub fn screen_key(
        &mut self,
        session: &mut Session,
        handover: &mut bool,
        key: KeyEvent,
        cmd: Option<Command>,
    ) -> Outcome {
        if self.report.is_some() {
            return if self.report_key(cmd) {
                Outcome::Quit
            } else {
                Outcome::Stay
            };
        }
        let typing = self.dialog.as_ref().is_some_and(Dialog::typing);
        if session.ex.is_over() && cmd == Some(Command::Report) && !typing {
            self.open_report(session);
            return Outcome::Stay;
        }
        if session.ex.is_over() && !self.ending_seen {
            match cmd {
                Some(Command::Select | Command::Back) => self.ending_seen = true,
                Some(Command::HotWash) if !self.observer => {
                    self.ending_seen = true;
                    self.hot_wash();
                }
                Some(Command::Quit) => return Outcome::Quit,
                _ => {}
            }
            return Outcome::Stay;
        }
        let out = self.key(session, handover, key, cmd);
        if !*handover {
            self.sync(session);
        }
        out
    }

    /// A key on the hand-over screen: ready, quit, or another seat to hand over to.
    fn handover_key(&mut self, session: &Session, handover: &mut bool, cmd: Option<Command>) {
        match cmd {
            Some(Command::Select) => {
                *handover = false;
                if !session.ex.is_over() {
                    self.brief(true);
                }
            }
            Some(Command::Quit) => self.dialog = Some(Dialog::ConfirmQuit),
            // The seat the keyboard goes to can be picked here directly.
            Some(Command::Up | Command::Down) => {
                let seats = crate::session::screen::people(session.ex.scenario(), &session.seating);
                let i = seats.iter().position(|s| *s == self.at).unwrap_or(0);
                let n = seats.len();
                let next = if cmd == Some(Command::Down) {
                    (i + 1) % n
                } else {
                    (i + n - 1) % n
                };
                self.at = seats[next].clone();
            }
            _ => {}
        }
    }

    /// Applies one key to the game. Returns true when the player asked to quit and confirmed.
    pub fn key(
        &mut self,
        session: &mut Session,
        handover: &mut bool,
        key: KeyEvent,
        cmd: Option<Command>,
    ) -> Outcome {
        if self.dialog == Some(Dialog::ConfirmQuit) && matches!(key.code, KeyCode::Char('y' | 'Y'))
        {
            return Outcome::Quit;
        }
        // The next seat's briefing waits behind the hand-over screen.
        let behind = *handover && matches!(self.dialog, Some(Dialog::Briefing { .. }));
        if !behind && self.dialog_key(session, key, cmd) {
            return Outcome::Stay;
        }
        if *handover {
            self.handover_key(session, handover, cmd);
            return Outcome::Stay;
        }
        if session.ex.is_over() && !self.ending_seen {
            return Outcome::Stay;
        }
        let Some(cmd) = cmd else {
            return Outcome::Stay;
        };
        self.status = None;
        if self.observer && self.would_act(cmd) {
            self.status = Some(super::super::text::OBSERVING.into());
            return Outcome::Stay;
        }
        if cmd != Command::NextEvent {
            self.skip_armed = false;
        }
        let control = self.may_control(session);
        let fac = matches!(self.at, Seat::Facilitator);
        match cmd {
            Command::Quit => {
                if session.ex.is_over() {
                    return Outcome::Quit;
                }
                self.dialog = Some(Dialog::ConfirmQuit);
            }
            Command::Up => match self.focus {
                Focus::Feed => {
                    self.detail_scroll = 0;
                    self.feed_sel = self.feed_sel.saturating_sub(1);
                    self.mark_selected_read(session);
                }
                Focus::Actions => self.action_sel = self.action_sel.saturating_sub(1),
            },
            Command::Down => match self.focus {
                Focus::Feed => {
                    self.detail_scroll = 0;
                    let n = self.feed(session).len();
                    self.feed_sel = (self.feed_sel + 1).min(n.saturating_sub(1));
                    self.mark_selected_read(session);
                }
                Focus::Actions => {
                    let n = self.action_items(session).len();
                    self.action_sel = (self.action_sel + 1).min(n.saturating_sub(1));
                }
            },
            Command::Focus => {
                self.focus = if self.focus == Focus::Feed && !fac {
                    Focus::Actions
                } else {
                    Focus::Feed
                };
            }
            Command::Select => match self.focus {
                Focus::Actions if !fac => self.take_selected_action(session),
                _ => self.mark_selected_read(session),
            },
            Command::SwitchSeat => return Outcome::SwitchSeat,
            Command::NextEvent => {
                let own_open = session
                    .ex
                    .view_for(&self.at)
                    .prompts
                    .iter()
                    .any(|p| p.can_answer);
                // Another person's open decision here counts as much as one's own.
                let others = self.screen(session).waiting.clone();
                if !(session.pacing.turn_mode || control) {
                    self.status = Some("Time moves on by itself in real-time play.".into());
                } else if (own_open || !others.is_empty()) && !self.skip_armed {
                    self.skip_armed = true;
                    let n = self.keys_hint.clone();
                    let whom = if own_open {
                        "you".to_owned()
                    } else {
                        format!("the {}", crate::words::names::list(&others))
                    };
                    self.status = Some(format!(
                        "A decision is waiting for {whom}: answer it, or press {n} again to let time run on."
                    ));
                    return Outcome::Stay;
                } else {
                    self.next_event(session);
                }
            }
            Command::Pause if control && session.held.is_some() => {
                session.held = None;
                self.status = Some(if session.ex.state().paused {
                    "The exercise itself is paused: press the pause key again to resume it.".into()
                } else if session.pacing.turn_mode {
                    "Carrying on in turn mode.".into()
                } else {
                    "The clock is running again.".into()
                });
            }
            Command::Pause if control => {
                let cmd = if session.ex.state().paused {
                    EngineCommand::Resume
                } else {
                    EngineCommand::Pause
                };
                self.issue(session, Seat::Facilitator, cmd);
            }
            Command::Faster | Command::Slower if control => {
                let pace = session.change_pace(cmd == Command::Faster);
                self.status = Some(format!("Pace: 1 second = {pace} game minutes."));
            }
            Command::FireInject if fac => self.dialog = Some(Dialog::Fire { sel: 0 }),
            Command::FreeInject if fac => {
                self.dialog = Some(Dialog::FreeText {
                    text: String::new(),
                });
            }
            Command::EndExercise if fac => self.dialog = Some(Dialog::ConfirmEnd),
            Command::Discuss if fac => self.discussion_break(session),
            Command::Observe => self.observe(),
            Command::Pause | Command::Faster | Command::Slower => {
                self.status = Some("Only the facilitator controls the clock.".into());
            }
            Command::FireInject | Command::FreeInject | Command::EndExercise | Command::Discuss => {
                self.status = Some("That is for the facilitator's seat.".into());
            }
            Command::Option(n) => self.answer(session, n),
            Command::ScrollDown => self.detail_scroll = self.detail_scroll.saturating_add(3),
            Command::ScrollUp => self.detail_scroll = self.detail_scroll.saturating_sub(3),
            Command::Report => {
                self.status =
                    Some("The after-action report opens when the exercise has ended.".into());
            }
            Command::Briefing => {
                self.dialog = Some(Dialog::Briefing {
                    scroll: 0,
                    first: false,
                    name: None,
                });
            }
            Command::HotWash => self.hot_wash_if_over(session),
            Command::Help | Command::Back => {}
        }
        Outcome::Stay
    }

    pub(super) fn answer(&mut self, session: &mut Session, n: u8) {
        // A free-text inject asking for an answer, when it is what the screen shows.
        let shown = self.screen(session);
        if let Some(p) = &shown.prompt
            && let Some(seq) = p.adhoc
        {
            if n == 0 || usize::from(n) > p.options.len() {
                self.status = Some(format!("There is no option {n}."));
            } else {
                let at = self.at.clone();
                let option = u16::from(n - 1);
                self.issue(session, at, EngineCommand::AnswerAdHoc { seq, option });
            }
            return;
        }
        let view = session.ex.view_for(&self.at);
        let Some(p) = view.prompts.iter().find(|p| p.can_answer) else {
            self.status = Some("No decision is waiting for you.".into());
            return;
        };
        let Some((option, _)) = p.options.get(usize::from(n).saturating_sub(1)) else {
            self.status = Some(format!("There is no option {n}."));
            return;
        };
        let cmd = EngineCommand::Choose {
            inject: p.inject.clone(),
            option: option.as_str().into(),
        };
        let at = self.at.clone();
        self.issue(session, at, cmd);
    }

    pub(super) fn take_selected_action(&mut self, session: &mut Session) {
        let items = self.action_items(session);
        let Some(item) = items.get(self.action_sel).cloned() else {
            return;
        };
        let at = self.at.clone();
        match item {
            ActionItem::Act { action, .. } => {
                let view = session.ex.view_for(&self.at);
                if let Some(a) = view.actions.iter().find(|a| a.id.as_str() == action)
                    && let Availability::Unavailable(why) = &a.availability
                {
                    self.status = Some(format!("{}: {}.", a.name, why.trim_end_matches('.')));
                    return;
                }
                self.issue(
                    session,
                    at,
                    EngineCommand::Act {
                        action: action.as_str().into(),
                    },
                );
            }
            ActionItem::Approve(request) => {
                self.issue(session, at, EngineCommand::Approve { request });
            }
            ActionItem::Deny(request) => self.issue(session, at, EngineCommand::Deny { request }),
            ActionItem::CannotDecide(request, _) => {
                let screen = self.screen(session);
                if let Some(r) = screen.requests.iter().find(|r| r.request == request) {
                    self.status = Some(format!(
                        "You cannot decide on {} now: {}.",
                        r.what,
                        r.why_not.as_deref().unwrap_or("").trim_end_matches('.')
                    ));
                }
            }
        }
    }
}

impl Game {
    pub(super) fn switch_seat(&mut self) {
        let seats = self.human_seats();
        if seats.len() < 2 {
            self.console.status = Some("Only one seat is played here.".into());
            return;
        }
        let i = seats
            .iter()
            .position(|s| *s == self.console.at)
            .unwrap_or(0);
        self.console.at = seats[(i + 1) % seats.len()].clone();
        self.handover = true;
        self.console.detail_scroll = 0;
        self.console.feed_sel = 0;
        self.console.feed_pick = None;
        self.console.action_sel = 0;
        self.console.focus = Focus::Feed;
        self.console.dialog = None;
        self.console.status = None;
    }
}
