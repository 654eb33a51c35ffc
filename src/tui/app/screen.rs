//! What the current seat's screen shows: its feed, its actions panel, read marks, who
//! else is waiting, and the facilitator's lists.

use super::{ActionItem, Availability, EventKind, Game, InjectId, RoleId, Seat};

impl Game {
    /// The feed of the current seat: its events, newest first, without the noise.
    pub fn feed(&self) -> Vec<&crate::engine::event::Event> {
        // A seat that is not one of the scenario's roles sees nothing.
        let who = self.session.ex.scenario().actor(&self.at);
        let mut v: Vec<_> = self
            .session
            .ex
            .events()
            .iter()
            .filter(|e| who.is_some_and(|w| e.visible_to(w)))
            .filter(|e| {
                !matches!(
                    e.kind,
                    EventKind::ValueDrawn { .. }
                        | EventKind::ObjectiveRated { .. }
                        | EventKind::CriterionMet { .. }
                )
            })
            .collect();
        v.reverse();
        v
    }

    pub fn action_items(&self) -> Vec<ActionItem> {
        Self::action_items_of(&self.session.ex.view_for(&self.at))
    }

    /// The actions panel's lines for a view already taken.
    pub fn action_items_of(view: &crate::engine::view::View<'_>) -> Vec<ActionItem> {
        let mut items = Vec::new();
        for r in view.requests.iter().filter(|r| r.can_decide) {
            items.push(ActionItem::Approve(r.request));
            items.push(ActionItem::Deny(r.request));
        }
        for a in &view.actions {
            items.push(ActionItem::Act {
                action: a.id.to_string(),
                ready: !matches!(a.availability, Availability::Unavailable(_)),
            });
        }
        items
    }

    pub(super) fn mark_selected_read(&mut self) {
        let seq = self.feed().get(self.feed_sel).map(|e| e.seq);
        if let Some(seq) = seq {
            self.read.entry(self.at.clone()).or_default().insert(seq);
        }
        self.feed_pick = if self.feed_sel == 0 { None } else { seq };
    }

    /// Keeps the picked event picked when new ones arrive above it, and marks what is
    /// shown in the detail pane as read. Call after anything that may add events.
    pub fn sync(&mut self) {
        if self.handover {
            return;
        }
        if let Some(seq) = self.feed_pick
            && let Some(i) = self.feed().iter().position(|e| e.seq == seq)
        {
            self.feed_sel = i;
        }
        let seq = self.feed().get(self.feed_sel).map(|e| e.seq);
        if let Some(seq) = seq {
            self.read.entry(self.at.clone()).or_default().insert(seq);
        }
    }

    /// Human seats other than the current one with a decision waiting for them.
    pub fn waiting_elsewhere(&self) -> Vec<String> {
        let sc = self.session.ex.scenario();
        let seats = self.human_seats();
        let mut names = Vec::new();
        for p in &self.session.ex.state().prompts {
            let Some(prompt) = &sc.inject(p.inject).prompt else {
                continue;
            };
            for r in &prompt.by {
                let seat = Seat::Role(sc.role(*r).id.clone());
                let name = sc.role(*r).name.clone();
                if seat != self.at && seats.contains(&seat) && !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        names
    }

    pub fn is_unread(&self, seq: u32) -> bool {
        !self.read.get(&self.at).is_some_and(|s| s.contains(&seq))
    }

    /// Injects the facilitator may fire: contingencies first, then the rest.
    pub fn fireable(&self) -> Vec<InjectId> {
        let sc = self.session.ex.scenario();
        let mut v: Vec<&crate::engine::model::Inject> = sc.injects.iter().collect();
        v.sort_by_key(|i| !i.contingency);
        v.into_iter().map(|i| i.id.clone()).collect()
    }

    /// Recipients offered for a free-text inject: everyone, then each role.
    pub fn recipients(&self) -> Vec<(String, Vec<RoleId>)> {
        let sc = self.session.ex.scenario();
        let mut v = vec![(
            "Everyone".to_owned(),
            sc.roles.iter().map(|r| r.id.clone()).collect(),
        )];
        for r in &sc.roles {
            v.push((r.name.clone(), vec![r.id.clone()]));
        }
        v
    }
}
