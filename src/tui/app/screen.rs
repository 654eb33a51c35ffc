//! What the current seat's screen shows: its feed, its actions panel, read marks, who
//! else is waiting, and the facilitator's lists.

use super::{ActionItem, Availability, Console, Game, InjectId, RoleId, Session};
use std::sync::Arc;

use super::ScreenKey;
use crate::session::screen::{ActionLine, RequestLine, SeatScreen};

impl Console {
    /// What the current seat's screen shows now (built again only when the exercise has
    /// moved on or the seat changed).
    pub fn screen(&self, session: &Session) -> Arc<SeatScreen> {
        if let Some(s) = self.screen_held(session) {
            return s;
        }
        let s = Arc::new(session.screen(&self.at));
        *self.screen_cache.borrow_mut() = Some((self.cache_key(session), Arc::clone(&s)));
        s
    }

    /// The seat's screen of `session` as it is now, if this console holds it already.
    pub fn screen_held(&self, session: &Session) -> Option<Arc<SeatScreen>> {
        let key = self.cache_key(session);
        match self.screen_cache.borrow().as_ref() {
            Some((k, s)) if *k == key => Some(Arc::clone(s)),
            _ => None,
        }
    }

    /// Takes `screen`, built for the same seat from `session` as it is now by another
    /// console, instead of building it again (many terminals may show one seat).
    pub fn adopt_screen(&self, session: &Session, screen: &Arc<SeatScreen>) {
        *self.screen_cache.borrow_mut() = Some((self.cache_key(session), Arc::clone(screen)));
    }

    fn cache_key(&self, session: &Session) -> ScreenKey {
        let ex = &session.ex;
        ScreenKey {
            seat: self.at.clone(),
            events: ex.events().len(),
            now: ex.now(),
            paused: ex.state().paused,
            status: session.status(),
        }
    }

    /// True when this console draws exactly the frame `other` draws from the same session,
    /// so that a host with many terminals on one seat may draw it once for all of them.
    /// Every field is named, so a field added later must be weighed here; a console with a
    /// dialog or the report open is never taken for another. Who sits there (`person`,
    /// `names`) and which briefings it has shown are not drawn: they name commands in the
    /// journal and decide when a briefing opens (an open one is a dialog).
    pub fn draws_like(&self, other: &Console) -> bool {
        let Console {
            at,
            read,
            focus,
            feed_sel,
            feed_pick,
            skip_armed,
            keys_hint,
            detail_scroll,
            action_sel,
            status,
            dialog,
            ending_seen,
            report,
            briefed: _,
            names: _,
            person: _,
            observer,
            leaving,
            screen_cache: _,
        } = self;
        dialog.is_none()
            && other.dialog.is_none()
            && report.is_none()
            && other.report.is_none()
            && *at == other.at
            && *focus == other.focus
            && *feed_sel == other.feed_sel
            && *feed_pick == other.feed_pick
            && *skip_armed == other.skip_armed
            && *keys_hint == other.keys_hint
            && *detail_scroll == other.detail_scroll
            && *action_sel == other.action_sel
            && *status == other.status
            && *ending_seen == other.ending_seen
            && *observer == other.observer
            && *leaving == other.leaving
            && read.get(at) == other.read.get(at)
    }

    /// The events of the current seat's feed, newest first (as its screen lists them).
    pub fn feed<'s>(&self, session: &'s Session) -> Vec<&'s crate::engine::event::Event> {
        crate::session::screen::feed_events(&session.ex, &self.at)
    }

    pub fn action_items(&self, session: &Session) -> Vec<ActionItem> {
        Self::action_items_of(&self.screen(session))
    }

    /// The actions panel's lines for a seat's screen.
    pub fn action_items_of(s: &SeatScreen) -> Vec<ActionItem> {
        Self::action_items_from(&s.requests, &s.actions)
    }

    /// The items of the actions list, made of a seat's `requests` and `actions`.
    pub fn action_items_from(requests: &[RequestLine], actions: &[ActionLine]) -> Vec<ActionItem> {
        let mut items = Vec::new();
        for r in requests {
            if r.can_decide {
                items.push(ActionItem::Approve(r.request));
                items.push(ActionItem::Deny(r.request));
            } else if r.why_not.is_some() {
                items.push(ActionItem::CannotDecide(r.request, true));
                items.push(ActionItem::CannotDecide(r.request, false));
            }
        }
        for a in actions {
            items.push(ActionItem::Act {
                action: a.id.to_string(),
                ready: !matches!(a.availability, Availability::Unavailable(_)),
            });
        }
        items
    }

    pub(super) fn mark_selected_read(&mut self, session: &Session) {
        let seq = self.feed(session).get(self.feed_sel).map(|e| e.seq);
        if let Some(seq) = seq {
            self.read.entry(self.at.clone()).or_default().insert(seq);
        }
        self.feed_pick = if self.feed_sel == 0 { None } else { seq };
    }

    /// Keeps the picked event picked when new ones arrive above it, and marks what is
    /// shown in the detail pane as read. Call after anything that may add events.
    pub fn sync(&mut self, session: &Session) {
        let feed = self.feed(session);
        if let Some(seq) = self.feed_pick
            && let Some(i) = feed.iter().position(|e| e.seq == seq)
        {
            self.feed_sel = i;
        }
        let seq = feed.get(self.feed_sel).map(|e| e.seq);
        if let Some(seq) = seq {
            self.read.entry(self.at.clone()).or_default().insert(seq);
        }
    }

    pub fn is_unread(&self, seq: u32) -> bool {
        !self.read.get(&self.at).is_some_and(|s| s.contains(&seq))
    }

    /// Injects the facilitator may fire: contingencies first, then the rest.
    pub fn fireable(&self, session: &Session) -> Vec<InjectId> {
        self.screen(session)
            .board
            .as_ref()
            .map(|b| b.fireable.iter().map(|f| f.inject.clone()).collect())
            .unwrap_or_default()
    }

    /// Recipients offered for a free-text inject: everyone, then each role.
    pub fn recipients(&self, session: &Session) -> Vec<(String, Vec<RoleId>)> {
        self.screen(session)
            .board
            .as_ref()
            .map(|b| b.recipients.clone())
            .unwrap_or_default()
    }
}

impl Game {
    /// What names this session's journal to `ttx resume` or `ttx report`, when recording.
    pub fn journal_handle(&self) -> Option<String> {
        self.session.recording.handle()
    }
}

/// Everything the game screen is drawn from: one console, the screen of its seat, and what
/// the terminal around it says (the hand-over, whether seats share this keyboard, whether
/// this console holds the clock, the journal). A seat at the host's keyboard and a seat
/// joined over the network are drawn alike from one of these.
#[derive(Debug)]
pub struct Seen<'a> {
    pub console: &'a Console,
    screen: Arc<SeatScreen>,
    /// The hand-over screen is up.
    pub handover: bool,
    /// More than one seat is played at this keyboard (the switch-seat key means something).
    pub shared: bool,
    /// The seats played at this keyboard, by name, and which of them is this console's
    /// (for the hand-over, where the next one is picked).
    pub seats: Vec<(String, bool)>,
    control: bool,
    /// The clock here waits for this console (its seat's first briefing is open).
    pub holds_clock: bool,
    journal_error: Option<String>,
    journal_handle: Option<String>,
}

impl<'a> Seen<'a> {
    /// What `console` shows of `session`.
    pub fn of(console: &'a Console, session: &Session, handover: bool, shared: bool) -> Seen<'a> {
        Seen {
            console,
            screen: console.screen(session),
            handover,
            shared,
            seats: Vec::new(),
            control: console.may_control(session),
            holds_clock: false,
            journal_error: session.not_recorded.as_ref().map(super::not_recorded_words),
            journal_handle: session.recording.handle(),
        }
    }

    /// The seat's screen.
    pub fn screen(&self) -> Arc<SeatScreen> {
        Arc::clone(&self.screen)
    }

    /// True when this console may pause and pace.
    pub fn may_control(&self) -> bool {
        self.control
    }

    /// Why the last command could not be recorded, in words.
    pub fn journal_error(&self) -> Option<String> {
        self.journal_error.clone()
    }

    /// What names the session's journal to `ttx resume` or `ttx report`.
    pub fn journal_handle(&self) -> Option<String> {
        self.journal_handle.clone()
    }
}

impl Game {
    /// What the game screen at this keyboard is drawn from.
    pub fn seen(&self) -> Seen<'_> {
        let mut seen = Seen::of(
            &self.console,
            &self.session,
            self.handover,
            self.human_seats().len() > 1,
        );
        let sc = self.session.ex.scenario();
        seen.seats = self
            .human_seats()
            .iter()
            .map(|s| (crate::words::names::seat_name(sc, s), *s == self.console.at))
            .collect();
        // Local play's clock waits while a seat reads its first briefing.
        seen.holds_clock = self.console.reading_first_briefing() && self.session.clock_runs();
        seen
    }
}
