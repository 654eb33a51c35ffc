//! The report as Markdown (GitHub-flavoured tables), to paste into a wiki: headings,
//! paragraphs and pipe tables, every piece of scenario text escaped so it cannot break the
//! layout.

// `r` (report), `o` (overview), `s` (summary), `m` (metrics), `c` (counts) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use crate::engine::model::Rating;

use super::document::{Finding, PlayedBy, Report};
use super::words::{
    PER_ROLE_HEADERS, PLAN_HEADERS, dur, elapsed, per_role_rows, plan_rows, priority, side,
};

/// Escapes text for a paragraph: backslashes, emphasis and code marks, HTML, line breaks,
/// and a mark at its start that would make a heading, quote or list of it.
pub fn esc(s: &str) -> String {
    let out = inline(s);
    match crate::untrusted::markdown_text(&out) {
        std::borrow::Cow::Borrowed(_) => out,
        std::borrow::Cow::Owned(o) => o,
    }
}

fn inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '*' | '`' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '\n' | '\r' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes text for a table cell: as inline text (a cell starts no block), and the column
/// bar too.
pub fn cell(s: &str) -> String {
    inline(s).replace('|', "\\|")
}

fn finding(out: &mut String, n: &str, f: &Finding) {
    let _ = writeln!(out, "### {n}. {}\n", esc(&f.title));
    // A part a finding has nothing for is left out, never printed empty.
    for (label, text) in [
        ("Observation", &f.observation),
        ("Analysis", &f.analysis),
        ("Recommendation", &f.recommendation),
    ] {
        if !text.trim().is_empty() {
            let _ = writeln!(out, "- **{label}.** {}", esc(text));
        }
    }
    if f.corrective_action.is_empty() {
        let _ = writeln!(out);
    } else {
        let _ = writeln!(
            out,
            "- **Capability element:** {:?} · **Owner:** {} · **Priority:** {}{}\n",
            f.capability,
            esc(&f.owner_name),
            priority(f.priority),
            f.minutes
                .map(|m| format!(" · **Cost:** {}", dur(m)))
                .unwrap_or_default()
        );
    }
    if !f.debrief.is_empty() {
        let _ = writeln!(out, "Facilitator's debrief notes:\n");
        for q in &f.debrief {
            let _ = writeln!(out, "> {}\n", esc(q));
        }
    }
}

pub fn render(r: &Report) -> String {
    let o = &r.overview;
    let mut out = String::new();
    let _ = writeln!(out, "# {}: {}\n", o.kind(), esc(&o.title));
    if let Some(at) = &o.interim {
        let _ = writeln!(
            out,
            "**Interim, at {at}: the exercise was still under way.** What follows describes it so far; ratings and findings may change by its end.\n"
        );
    }
    let _ = writeln!(
        out,
        "*Exercise `{}`, seed {}, game time {} to {} ({}).{}*\n",
        o.scenario,
        o.seed,
        o.started,
        o.ended,
        dur(o.played_minutes),
        o.date
            .as_ref()
            .map(|d| format!(" Date: {}.", esc(d)))
            .unwrap_or_default()
    );

    overview(&mut out, r);
    executive_summary(&mut out, r);
    objectives(&mut out, r);
    findings_and_plan(&mut out, r);
    per_role(&mut out, r);
    room(&mut out, r);
    debrief(&mut out, r);
    timeline(&mut out, r);
    out
}

fn debrief(out: &mut String, r: &Report) {
    let _ = writeln!(
        out,
        "\n## 9. Debrief: turning points, the attack path, advice\n"
    );
    for b in super::debrief::blocks(&r.debrief) {
        let _ = writeln!(out, "### {}\n", b.heading);
        for p in &b.paragraphs {
            let _ = writeln!(out, "{}\n", esc(p));
        }
        for i in &b.items {
            let _ = writeln!(out, "- {}", esc(i));
        }
        if !b.items.is_empty() {
            out.push('\n');
        }
    }
}

fn overview(out: &mut String, r: &Report) {
    let o = &r.overview;
    let _ = writeln!(out, "## 1. Exercise overview\n");
    let _ = writeln!(out, "| | |\n|---|---|");
    if let Some(name) = &o.session_name {
        let _ = writeln!(out, "| Session | {} |", cell(name));
    }
    let _ = writeln!(out, "| Scenario | {} (`{}`) |", cell(&o.title), o.scenario);
    let _ = writeln!(out, "| What it is about | {} |", cell(&o.summary));
    if !o.notes.is_empty() {
        let _ = writeln!(out, "| Facilitator's notes | {} |", cell(&o.notes));
    }
    let _ = writeln!(out, "| Seed | {} |", o.seed);
    if let Some(d) = &o.date {
        let _ = writeln!(out, "| Date | {} |", cell(d));
    }
    let _ = writeln!(
        out,
        "| Game time | {} to {} ({}; the scenario runs until {}) |",
        o.started,
        o.ended,
        dur(o.played_minutes),
        o.scheduled_end
    );
    if let Some(t) = &o.threat {
        let _ = writeln!(out, "| Threat | {} |", cell(t));
    }
    let _ = writeln!(out, "| Facilitator | {} |", o.facilitator.label());
    let _ = writeln!(out, "\n### Roles\n");
    let _ = writeln!(out, "| Role | Side | Authority | Persona | Played by |");
    let _ = writeln!(out, "|---|---|---|---|---|");
    for role in &o.roles {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            cell(&role.name),
            side(role.side),
            cell(&role.authority_words()),
            cell(&role.persona),
            role.played_by.label()
        );
    }
    if !o.participants.is_empty() {
        let _ = writeln!(out, "\n### Participants\n");
        let _ = writeln!(out, "| Name | Seat | Commands given |");
        let _ = writeln!(out, "|---|---|---|");
        for p in &o.participants {
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                cell(&p.name),
                cell(&p.seat),
                p.commands
            );
        }
    }
}

fn executive_summary(out: &mut String, r: &Report) {
    let s = &r.summary;
    let _ = writeln!(out, "\n## 2. Executive summary\n");
    for p in &s.paragraphs {
        let _ = writeln!(out, "{}\n", esc(p));
    }
    let _ = writeln!(out, "*{}*\n", esc(&s.what_could_have_been));

    let _ = writeln!(out, "### Key times\n");
    let _ = writeln!(
        out,
        "| Measure | When | Minutes | Note |\n|---|---|---|---|"
    );
    for k in &r.key_times {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&k.label),
            k.clock.as_deref().unwrap_or("—"),
            k.minutes.map_or_else(|| "—".to_owned(), |v| v.to_string()),
            cell(&k.note)
        );
    }

    let _ = writeln!(out, "\n### Figures\n");
    for f in &r.figures {
        let _ = writeln!(out, "- {}", esc(f));
    }
}

fn objectives(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n## 3. Objectives\n");
    let _ = writeln!(
        out,
        "| Objective | Rating | Criteria met | Criteria missed |\n|---|---|---|---|"
    );
    for ob in &r.objectives {
        let rating = ob.rating.map_or_else(
            || "—".to_owned(),
            |x| format!("**{x:?}** {}", ob.rating_text),
        );
        let rating = match ob.observed {
            Some(o) => format!("{rating} (observer: **{o:?}**)"),
            None => rating,
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&ob.text),
            rating,
            cell(&ob.criteria_met.join("; ")),
            cell(&ob.criteria_missed.join("; "))
        );
    }
    let _ = writeln!(
        out,
        "\nHSEEP ratings: **P** performed without challenges, **S** with some challenges, **M** with major challenges, **U** unable to be performed. {}\n",
        rating_counts(r)
    );
}

fn findings_and_plan(out: &mut String, r: &Report) {
    let _ = writeln!(out, "## 4. Strengths\n");
    if r.strengths.is_empty() {
        let _ = writeln!(out, "None observed in the figures.\n");
    }
    for (i, f) in r.strengths.iter().enumerate() {
        finding(out, &format!("S{}", i + 1), f);
    }

    let _ = writeln!(out, "## 5. Areas for improvement\n");
    if r.improvements.is_empty() {
        let _ = writeln!(out, "None found in the figures.\n");
    } else {
        let _ = writeln!(
            out,
            "Ranked by priority, then by how long the gap lasted; the first is the principal area.\n"
        );
    }
    for (i, f) in r.improvements.iter().enumerate() {
        finding(out, &format!("A{}", i + 1), f);
    }

    let _ = writeln!(out, "## 6. Improvement plan\n");
    if r.plan.is_empty() {
        let _ = writeln!(out, "Nothing to plan.\n");
    } else {
        let _ = writeln!(
            out,
            "| {} |\n|{}",
            PLAN_HEADERS.join(" | "),
            "---|".repeat(PLAN_HEADERS.len())
        );
        for cells in plan_rows(r) {
            let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        let _ = writeln!(out);
    }
}

fn per_role(out: &mut String, r: &Report) {
    let o = &r.overview;
    let m = &r.metrics;
    let _ = writeln!(out, "## 7. Per-role breakdown\n");
    let _ = writeln!(
        out,
        "| {} |\n|{}",
        PER_ROLE_HEADERS.join(" | "),
        "---|".repeat(PER_ROLE_HEADERS.len())
    );
    for cells in per_role_rows(r) {
        let cells: Vec<String> = cells.iter().map(|c| cell(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    for sm in &m.sides {
        let c = &sm.counts;
        let _ = writeln!(
            out,
            "| *All {}* | | | {} | {} | {} | {} | {} | {} / {} | {} | {} ({}) |",
            side(sm.side).to_lowercase(),
            c.actions_taken,
            c.decisions,
            c.deferrals,
            c.expired_prompts,
            c.approval_requests,
            c.approvals_given,
            c.approvals_denied,
            c.refused,
            c.crossings_sent,
            c.crossings_unanswered
        );
    }
    if o.roles.iter().any(|x| x.played_by == PlayedBy::Nobody) {
        let _ = writeln!(
            out,
            "\nA role played by nobody never acts: its figures are zero by construction."
        );
    }
}

/// What the people in the room noted: the discussion by module, the observations, the
/// hot wash.
fn room(out: &mut String, r: &Report) {
    let room = &r.room;
    let _ = writeln!(
        out,
        "\n## 8. The room: discussion, observations and hot wash\n"
    );
    if room.is_empty() {
        let _ = writeln!(
            out,
            "Nothing was noted: no discussion notes, observations or hot wash were written during this session."
        );
        return;
    }
    if !room.discussion.is_empty() {
        let _ = writeln!(out, "### Discussion\n");
        for g in &room.discussion {
            let _ = writeln!(out, "**{}**\n", esc(&g.module));
            if !g.questions.is_empty() {
                let qs: Vec<String> = g.questions.iter().map(|q| inline(q)).collect();
                let _ = writeln!(out, "*Questions: {}*\n", qs.join(" · "));
            }
            for n in &g.notes {
                let _ = writeln!(out, "- {}, {}: {}", n.at, cell(&n.by), cell(&n.text));
            }
            out.push('\n');
        }
    }
    if !room.observations.is_empty() {
        let _ = writeln!(
            out,
            "### Observations\n\n| When | By | Objective | Rating | Observation |\n|---|---|---|---|---|"
        );
        for n in &room.observations {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                n.at,
                cell(&n.by),
                cell(n.objective.as_deref().unwrap_or("—")),
                n.rating
                    .map_or_else(|| "—".to_owned(), |x| format!("{x:?}")),
                cell(&n.text)
            );
        }
        out.push('\n');
    }
    for (title, notes) in [
        ("Hot wash: strengths", &room.strengths),
        ("Hot wash: areas for improvement", &room.improvements),
    ] {
        if notes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "### {title}\n");
        for n in notes {
            let _ = writeln!(out, "- {}: {}", cell(&n.by), cell(&n.text));
        }
        out.push('\n');
    }
}

fn timeline(out: &mut String, r: &Report) {
    let _ = writeln!(out, "\n## Appendix A. Timeline\n");
    let _ = writeln!(
        out,
        "Every inject, decision, action and change of state, in game time. Draws of chance and the final ratings are left out.\n"
    );
    let _ = writeln!(
        out,
        "| Time | Clock | Who | Kind | What happened |\n|---|---|---|---|---|"
    );
    for t in &r.timeline {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            elapsed(t.at),
            t.clock,
            cell(&t.who),
            t.mark.word(),
            cell(&t.text)
        );
    }
}

fn rating_counts(r: &Report) -> String {
    let rated: Vec<Rating> = r.objectives.iter().filter_map(|o| o.rating).collect();
    if rated.is_empty() {
        return String::new();
    }
    let n = |x: Rating| rated.iter().filter(|y| **y == x).count();
    let not = match n(Rating::N) {
        0 => String::new(),
        k if r.metrics.by_facilitator => {
            format!(", {k} not evaluated (the facilitator ended the exercise first)")
        }
        k => format!(", {k} not evaluated (the situation did not arise)"),
    };
    format!(
        "This run: {} P, {} S, {} M, {} U{not}.",
        n(Rating::P),
        n(Rating::S),
        n(Rating::M),
        n(Rating::U)
    )
}
