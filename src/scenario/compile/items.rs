//! The compiler's passes over injects (with their prompts) and actions.

use super::{
    Action, ActionId, Arc, Audience, Compiler, Cond, Delay, Inject, InjectId, OptionId, Path,
    Prompt, PromptOption, RawAction, RawInject, RawWithoutAuthority, RoleIx, Trigger, ValueRef,
    WithoutAuthority, check_id, limits, suggest,
};
use crate::engine::model::said;
use crate::scenario::raw::{RawChoice, RawPrompt};

impl Compiler<'_, '_> {
    pub(super) fn inject_model(&mut self, inj: &RawInject, p: &Path) -> Inject {
        let trigger = match (&inj.at, &inj.when) {
            (Some(_), Some(_)) => {
                self.error(
                    &p.f("when"),
                    format!("inject `{}` has both `at` and `when`", inj.id),
                    Some("give one: `at` for a fixed time, `when` for a condition".into()),
                );
                Trigger::Manual
            }
            (Some(t), None) => {
                if inj.delay.is_some() {
                    self.error(
                        &p.f("delay"),
                        "`delay` goes with `when`, not with `at`".into(),
                        None,
                    );
                }
                self.time(t, &p.f("at"))
                    .map_or(Trigger::Manual, Trigger::At)
            }
            (None, Some(c)) => {
                let cond = self.cond(c, &p.f("when"));
                let delay = inj
                    .delay
                    .as_ref()
                    .and_then(|d| self.delay(d, &p.f("delay")))
                    .unwrap_or(Delay::Minutes(0));
                Trigger::When(cond, delay)
            }
            (None, None) => {
                if inj.delay.is_some() {
                    self.error(&p.f("delay"), "`delay` goes with `when`".into(), None);
                }
                Trigger::Manual
            }
        };
        let to = self.roles(&inj.to, &p.f("to"));
        if inj.to.is_empty() {
            self.warn(
                &p.f("to"),
                format!(
                    "inject `{}` goes to no role: only the facilitator will see it",
                    inj.id
                ),
                Some("list the roles that receive it in `to:`".into()),
            );
        }
        let prompt = inj.prompt.as_ref().map(|pr| {
            let pp = p.f("prompt");
            let by = if pr.by.is_empty() {
                to.clone()
            } else {
                let by = self.roles(&pr.by, &pp.f("by"));
                for (k, name) in pr.by.iter().enumerate() {
                    let known = self.names.get("roles").and_then(|m| m.get(name.as_str())).copied();
                    if let Some(r) = known.and_then(|r| RoleIx::try_from(r as usize).ok())
                        && !to.contains(&r) {
                            self.error(
                                &pp.f("by").i(k),
                                format!("role `{name}` may answer but is not among the inject's `to`, so never sees the question"),
                                Some("add the role to `to:`".into()),
                            );
                        }
                }
                by
            };
            if pr.options.is_empty() {
                self.error(&pp.f("options"), "a prompt needs at least one option".into(), None);
            }
            // Past the limit the file is refused anyway: no quadratic duplicate search then.
            let few = self.count(pr.options.len(), limits::OPTIONS, &pp.f("options"), "options");
            let options = pr
                .options
                .iter()
                .enumerate()
                .map(|(k, o)| self.option_model(pr, k, o, &pp, few))
                .collect::<Vec<_>>();
            let default = match (&pr.default, pr.deadline) {
                (Some(d), Some(_)) => {
                    let found = pr.options.iter().position(|o| &o.id == d);
                    if found.is_none() {
                        let help = suggest(d, pr.options.iter().map(|o| o.id.as_str()))
                            .map(|s| format!("did you mean `{s}`?"));
                        self.error(&pp.f("default"), format!("the default `{d}` is not one of the options"), help);
                    }
                    found.and_then(|x| u16::try_from(x).ok())
                }
                (Some(_), None) => {
                    self.error(&pp.f("default"), "a `default` needs a `deadline` (minutes after delivery)".into(), None);
                    None
                }
                (None, Some(_)) => {
                    self.error(
                        &pp.f("deadline"),
                        "a prompt with a `deadline` needs a `default`: what happens when nobody decides".into(),
                        None,
                    );
                    None
                }
                (None, None) => None,
            };
            if pr.deadline == Some(0) {
                self.error(&pp.f("deadline"), "a deadline of 0 minutes leaves no time to decide".into(), None);
            }
            let heard = self.audience(&pr.heard_by, &pp.f("heard_by"));
            let answer_audience = Audience::from_roles(to.iter().copied()).union(heard);
            Prompt {
                question: self.share(&pr.question),
                by,
                options,
                answer_audience,
                deadline: pr.deadline,
                default,
            }
        });
        Inject {
            id: InjectId::new(&inj.id),
            trigger,
            to: Audience::from_roles(to),
            channel: inj.channel,
            from: self.share(&inj.from),
            subject: self.share(&inj.subject),
            text: Arc::from(inj.text.as_str()),
            fills: self.fills(&inj.text, &p.f("text")),
            effects: self.effects(&inj.effects, &p.f("effects")),
            prompt,
            contingency: inj.contingency,
            debrief: inj.debrief.to_string(),
        }
    }

    /// A condition read for the role acting (an action's or an answer's `available`).
    pub(super) fn actor_cond(&mut self, c: &crate::scenario::raw::RawCond, p: &Path) -> Cond {
        self.actor_context = true;
        let c = self.cond(c, p);
        self.actor_context = false;
        c
    }

    /// The values a text names (`{site}`), each a variable or a draw.
    fn fills(&mut self, text: &str, p: &Path) -> Vec<ValueRef> {
        if said::plain(text) {
            return Vec::new();
        }
        match said::pieces(text) {
            Ok(pieces) => pieces
                .into_iter()
                .filter_map(|piece| match piece {
                    said::Piece::Value(name) => self.value(name, p),
                    said::Piece::Words(_) => None,
                })
                .collect(),
            Err((_, message)) => {
                self.error(
                    p,
                    format!("the text's braces: {message}"),
                    Some("`{site}` is the value of the variable or draw `site`; write `{{` and `}}` for a brace".into()),
                );
                Vec::new()
            }
        }
    }

    pub(super) fn action_model(&mut self, a: &RawAction, p: &Path) -> Action {
        let by = self.roles(&a.by, &p.f("by"));
        if a.by.is_empty() {
            self.error(
                &p.f("by"),
                format!("no role may take action `{}`", a.id),
                Some("list at least one role in `by:`".into()),
            );
        }
        let known_domain = self.domain(a.domain.as_ref(), &p.f("domain"));
        let domain = known_domain.unwrap_or_default();
        if a.domain.is_some() && a.authority == 0 {
            self.warn(
                &p.f("domain"),
                format!(
                    "action `{}` names a scale of authority but needs none on it (authority 0)",
                    a.id
                ),
                Some("give it the `authority` it needs on that scale, or remove `domain`".into()),
            );
        }
        let over = |c: &Self, n: u8| match c.domain_word(domain) {
            None => format!("authority {n}"),
            Some(d) => format!("authority {n} over `{d}`"),
        };
        let needs = |c: &Self| over(c, a.authority);
        let without_authority = match &a.without_authority {
            None | Some(RawWithoutAuthority::Refuse) => WithoutAuthority::Refuse,
            Some(RawWithoutAuthority::Approval(names)) => {
                let ap = p.f("without_authority").i(0);
                let approvers = self.roles(names, &ap);
                for (k, name) in names.iter().enumerate() {
                    let known = self
                        .names
                        .get("roles")
                        .and_then(|m| m.get(name.as_str()))
                        .copied();
                    if let (Some(r), Some(_)) = (known, known_domain) {
                        let has = self.level(r as usize, domain);
                        if has < a.authority {
                            let (has, needs) = (over(self, has), needs(self));
                            self.error(
                                &ap.i(k),
                                format!("role `{name}` has {has} and cannot approve an action that needs {needs}"),
                                Some("list only roles with enough authority as approvers".into()),
                            );
                        }
                    }
                }
                if names.is_empty() {
                    self.error(&ap, "an approval needs at least one approver".into(), None);
                }
                WithoutAuthority::Approval(approvers)
            }
        };
        let preapproved = a
            .preapproved
            .as_ref()
            .map_or(Cond::Never, |c| self.cond(c, &p.f("preapproved")));
        let anyone_authorised = by
            .iter()
            .any(|r| self.level(usize::from(*r), domain) >= a.authority);
        if !by.is_empty()
            && known_domain.is_some()
            && !anyone_authorised
            && without_authority == WithoutAuthority::Refuse
            && preapproved == Cond::Never
        {
            self.error(
                &p.f("authority"),
                format!("action `{}` can never be taken: it needs {} and no role in `by` has it", a.id, needs(self)),
                Some("lower `authority`, add `without_authority: Approval([...])`, or a `preapproved:` condition".into()),
            );
        }
        if a.cooldown > 0 && !a.repeatable {
            self.error(
                &p.f("cooldown"),
                format!(
                    "action `{}` has a cooldown but is not repeatable, so it is never taken again",
                    a.id
                ),
                Some("add `repeatable: true`, or remove the cooldown".into()),
            );
        }
        Action {
            id: ActionId::new(&a.id),
            name: a.name.to_string(),
            description: a.description.to_string(),
            by,
            available: a
                .available
                .as_ref()
                .map_or(Cond::Always, |c| self.actor_cond(c, &p.f("available"))),
            authority: a.authority,
            domain,
            without_authority,
            preapproved,
            duration: a.duration,
            repeatable: a.repeatable,
            cooldown: a.cooldown,
            cost: a.cost.unwrap_or(1),
            kind: a.kind,
            effects: self.effects(&a.effects, &p.f("effects")),
            channel: a.channel,
            to: self.audience(&a.to, &p.f("to")),
            visible_to: self.audience(&a.visible_to, &p.f("visible_to")),
            debrief: a.debrief.to_string(),
        }
    }
}

impl Compiler<'_, '_> {
    /// One answer of a prompt: checked (its id, duplicates, an authority nobody has) and
    /// built.
    fn option_model(
        &mut self,
        pr: &RawPrompt<'_>,
        k: usize,
        o: &RawChoice<'_>,
        pp: &Path,
        few: bool,
    ) -> PromptOption {
        let op = pp.f("options").i(k);
        if let Err(why) = check_id(&o.id) {
            self.error(
                &op.f("id"),
                format!("`{}` is not a valid id: {why}", o.id),
                None,
            );
        }
        if few && pr.options[..k].iter().any(|p| p.id == o.id) {
            self.error(&op.f("id"), format!("duplicate option `{}`", o.id), None);
        }
        // An option the answering role may not take is allowed on purpose (it shows
        // the player what they are not authorised to do); one nobody could take is not.
        let known_domain = self.domain(o.domain.as_ref(), &op.f("domain"));
        let domain = known_domain.unwrap_or_default();
        if known_domain.is_some()
            && (0..self.role_authority.len()).all(|r| self.level(r, domain) < o.authority)
        {
            let over = self
                .domain_word(domain)
                .map(|d| format!(" over `{d}`"))
                .unwrap_or_default();
            self.error(
                &op.f("authority"),
                format!(
                    "no role in the scenario has authority {}{over}, so option `{}` can never be chosen",
                    o.authority, o.id
                ),
                None,
            );
        }
        PromptOption {
            id: OptionId::shared(self.share(&o.id)),
            label: self.share(&o.label),
            available: o
                .available
                .as_ref()
                .map_or(Cond::Always, |c| self.actor_cond(c, &op.f("available"))),
            authority: o.authority,
            domain,
            stance: o.stance,
            effects: self.effects(&o.effects, &op.f("effects")),
            debrief: o.debrief.to_string(),
        }
    }
}
