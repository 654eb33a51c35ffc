//! The report as one self-contained HTML file: inline CSS (with a print style), the
//! timeline chart as inline SVG, no script, no font, image or anything else fetched. All
//! text is escaped.

// `r` (report), `o` (overview), `s` (summary), `m` (metrics), `c` (counts) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use crate::engine::model::{Outcome, Rating};

use super::document::{Finding, Mark, PlayedBy, Report};
use super::svg::{self, esc};
use super::words::{
    PER_ROLE_HEADERS, PLAN_HEADERS, dur, elapsed, per_role_rows, plan_rows, priority, side,
};

const STYLE: &str = r#"
:root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --band: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1140px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 20px 0 6px; }
p.sub { color: var(--muted); margin: 0 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); }
table.kv th { width: 180px; }
td.num { text-align: right; white-space: nowrap; }
td.nowrap { white-space: nowrap; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; font-weight: 700; }
.good { background: #c6f6d5; color: #22543d; }
.mixed { background: #fefcbf; color: #744210; }
.bad { background: #fed7d7; color: #742a2a; }
.rating { display: inline-block; min-width: 26px; text-align: center; font-weight: 700; border-radius: 4px; padding: 1px 6px; }
.r-P { background: #c6f6d5; color: #22543d; }
.r-S { background: #e2f0cb; color: #3c5a14; }
.r-M { background: #fefcbf; color: #744210; }
.r-U { background: #fed7d7; color: #742a2a; }
.r-N { background: #e2e8f0; color: #4a5568; }
.finding { border: 1px solid var(--line); border-left: 6px solid #2b6cb0; border-radius: 4px; padding: 8px 14px; margin: 10px 0; break-inside: avoid; }
.finding.area { border-left-color: #c53030; }
.finding.area.principal { border-left-width: 10px; background: #fffafa; }
.finding h3 { margin: 4px 0 6px; }
.finding dl { margin: 0; display: grid; grid-template-columns: 150px 1fr; gap: 4px 10px; }
.finding dt { font-weight: 700; }
.finding dd { margin: 0; }
.finding .meta { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
blockquote { margin: 6px 0; padding: 4px 12px; border-left: 3px solid var(--line); color: var(--muted); font-size: 14px; }
.chart { overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; }
.chart svg { display: block; max-width: 100%; height: auto; }
.legend { color: var(--muted); font-size: 13px; }
.legend span.key { display: inline-block; margin-right: 14px; }
ol.stages { columns: 2; font-size: 14px; }
.cmp { font-style: italic; color: var(--muted); }
@media print {
  body { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  table, .finding, .chart { break-inside: avoid; }
  #appendix table { break-inside: auto; }
  tr { break-inside: avoid; }
  .chart { overflow: visible; border: none; }
  .finding.area.principal { background: none; }
  a { color: inherit; text-decoration: none; }
  @page { size: A4; margin: 14mm; }
}
"#;

fn rating_badge(r: Rating) -> String {
    format!("<span class=\"rating r-{r:?}\">{r:?}</span>")
}

fn finding(out: &mut String, n: &str, f: &Finding, area: bool, principal: bool) {
    let class = match (area, principal) {
        (true, true) => "finding area principal",
        (true, false) => "finding area",
        _ => "finding",
    };
    let _ = write!(
        out,
        "<div class=\"{class}\"><h3>{n}. {}{}</h3><dl>",
        esc(&f.title),
        if principal { " (principal area)" } else { "" },
    );
    // A part a finding has nothing for is left out, never printed empty.
    for (label, text) in [
        ("Observation", &f.observation),
        ("Analysis", &f.analysis),
        ("Recommendation", &f.recommendation),
    ] {
        if !text.trim().is_empty() {
            let _ = write!(out, "<dt>{label}</dt><dd>{}</dd>", esc(text));
        }
    }
    out.push_str("</dl>");
    if area {
        let _ = write!(
            out,
            "<p class=\"meta\">Capability element: {:?} · Owner: {} · Priority: {}{}</p>",
            f.capability,
            esc(&f.owner_name),
            priority(f.priority),
            f.minutes
                .map(|m| format!(" · Cost: {}", dur(m)))
                .unwrap_or_default()
        );
    }
    for q in &f.debrief {
        let _ = write!(out, "<blockquote>{}</blockquote>", esc(q));
    }
    out.push_str("</div>");
}

pub fn render(r: &Report) -> String {
    let o = &r.overview;
    let s = &r.summary;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{}: {}</title><style>{STYLE}</style></head><body><main>",
        esc(&o.kind()),
        esc(&o.title)
    );
    let verdict = match s.outcome {
        Some(Outcome::Good) => "good",
        Some(Outcome::Mixed) | None => "mixed",
        Some(Outcome::Bad) => "bad",
    };
    let _ = write!(
        out,
        "<header><h1>{}: {}</h1><p class=\"sub\">Exercise <code>{}</code>, seed {}, game time {} to {} ({}).{}</p><p><span class=\"verdict {verdict}\">{}</span> Score {} of {}</p></header>",
        esc(&o.kind()),
        esc(&o.title),
        esc(o.scenario.as_str()),
        o.seed,
        esc(&o.started),
        esc(&o.ended),
        dur(o.played_minutes),
        o.date
            .as_ref()
            .map(|d| format!(" Date: {}.", esc(d)))
            .unwrap_or_default(),
        esc(&s.ending_title),
        s.score,
        s.max_score
    );
    if let Some(at) = &o.interim {
        let _ = write!(
            out,
            "<p class=\"interim\"><strong>Interim, at {}: the exercise was still under way.</strong> What follows describes it so far; ratings and findings may change by its end.</p>",
            esc(at)
        );
    }

    overview(&mut out, r);
    summary_and_chart(&mut out, r);
    objectives_findings_and_plan(&mut out, r);
    per_role(&mut out, r);
    room(&mut out, r);
    debrief(&mut out, r);
    timeline(&mut out, r);
    out
}

fn overview(out: &mut String, r: &Report) {
    let o = &r.overview;
    out.push_str("<section id=\"overview\"><h2>1. Exercise overview</h2><table class=\"kv\">");
    let _ = write!(
        out,
        "<tr><th>Scenario</th><td>{} (<code>{}</code>)</td></tr><tr><th>What it is about</th><td>{}</td></tr><tr><th>Seed</th><td>{}</td></tr>",
        esc(&o.title),
        esc(o.scenario.as_str()),
        esc(&o.summary),
        o.seed
    );
    if !o.notes.is_empty() {
        let _ = write!(
            out,
            "<tr><th>Facilitator's notes</th><td>{}</td></tr>",
            esc(&o.notes)
        );
    }
    if let Some(d) = &o.date {
        let _ = write!(out, "<tr><th>Date</th><td>{}</td></tr>", esc(d));
    }
    if let Some(name) = &o.session_name {
        let _ = write!(out, "<tr><th>Session</th><td>{}</td></tr>", esc(name));
    }
    let _ = write!(
        out,
        "<tr><th>Game time</th><td>{} to {} ({}; the scenario runs until {})</td></tr>",
        esc(&o.started),
        esc(&o.ended),
        dur(o.played_minutes),
        esc(&o.scheduled_end)
    );
    if let Some(t) = &o.threat {
        let _ = write!(out, "<tr><th>Threat</th><td>{}</td></tr>", esc(t));
    }
    let _ = write!(
        out,
        "<tr><th>Facilitator</th><td>{}</td></tr></table><h3>Roles</h3><table id=\"roles-table\"><tr><th>Role</th><th>Side</th><th>Authority</th><th>Persona</th><th>Played by</th></tr>",
        esc(&o.facilitator.label())
    );
    for role in &o.roles {
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            esc(&role.name),
            side(role.side),
            esc(&role.authority_words()),
            esc(&role.persona),
            esc(&role.played_by.label())
        );
    }
    out.push_str("</table>");
    if !o.participants.is_empty() {
        out.push_str("<h3>Participants</h3><table id=\"participants-table\"><tr><th>Name</th><th>Seat</th><th>Commands given</th></tr>");
        for p in &o.participants {
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&p.name),
                esc(&p.seat),
                p.commands
            );
        }
        out.push_str("</table>");
    }
    out.push_str("</section>");
}

fn summary_and_chart(out: &mut String, r: &Report) {
    let o = &r.overview;
    let s = &r.summary;
    out.push_str("<section id=\"summary\"><h2>2. Executive summary</h2>");
    for p in &s.paragraphs {
        let _ = write!(out, "<p>{}</p>", esc(p));
    }
    let _ = write!(out, "<p class=\"cmp\">{}</p>", esc(&s.what_could_have_been));
    out.push_str("<h3>Key times</h3><table id=\"key-times\"><tr><th>Measure</th><th>When</th><th>Minutes</th><th>Note</th></tr>");
    for k in &r.key_times {
        let _ = write!(
            out,
            "<tr><td>{}</td><td class=\"nowrap\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
            esc(&k.label),
            esc(k.clock.as_deref().unwrap_or("\u{2014}")),
            k.minutes
                .map_or_else(|| "\u{2014}".to_owned(), |v| v.to_string()),
            esc(&k.note)
        );
    }
    out.push_str("</table><h3>Figures</h3><ul>");
    for f in &r.figures {
        let _ = write!(out, "<li>{}</li>", esc(f));
    }
    out.push_str("</ul></section>");

    out.push_str("<section id=\"chart\"><h2>Timeline by role</h2><div class=\"chart\">");
    out.push_str(&svg::render(r));
    out.push_str("</div><p class=\"legend\"><span class=\"key\">\u{25cf} inject received</span><span class=\"key\">\u{25ac} action (bar: its duration)</span><span class=\"key\">\u{25c6} decision</span><span class=\"key\">\u{25b2} approval request / answer / SLA breach</span><span class=\"key\">\u{2716} refused or expired</span><span class=\"key\">dashed line: milestone</span><span class=\"key\">solid line: end</span></p>");
    if !r.threat_bands.is_empty() {
        out.push_str("<ol class=\"stages\">");
        for b in &r.threat_bands {
            let _ = write!(
                out,
                "<li value=\"{}\">{}, from {}</li>",
                b.number,
                esc(&b.name),
                esc(&o.start.clock(b.from).to_string())
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</section>");
}

fn objectives_findings_and_plan(out: &mut String, r: &Report) {
    out.push_str("<section id=\"objectives\"><h2>3. Objectives</h2><table id=\"objectives-table\"><tr><th>Objective</th><th>Rating</th><th>Criteria met</th><th>Criteria missed</th></tr>");
    for ob in &r.objectives {
        let rating = ob.rating.map_or_else(
            || esc(&ob.rating_text),
            |x| format!("{} {}", rating_badge(x), esc(&ob.rating_text)),
        );
        let rating = match ob.observed {
            Some(o) => format!(
                "{rating} <span class=\"cmp\">(observer: {})</span>",
                rating_badge(o)
            ),
            None => rating,
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{rating}</td><td>{}</td><td>{}</td></tr>",
            esc(&ob.text),
            esc(&ob.criteria_met.join("; ")),
            esc(&ob.criteria_missed.join("; "))
        );
    }
    out.push_str("</table><p class=\"legend\">HSEEP ratings: P performed without challenges, S with some challenges, M with major challenges, U unable to be performed.");
    if r.objectives.iter().any(|o| o.rating == Some(Rating::N)) {
        out.push_str(if r.metrics.by_facilitator {
            " N not evaluated: the facilitator ended the exercise before the play got to it."
        } else {
            " N not evaluated: the situation the objective is about did not arise in this run."
        });
    }
    out.push_str("</p></section>");

    out.push_str("<section id=\"strengths\"><h2>4. Strengths</h2>");
    if r.strengths.is_empty() {
        out.push_str("<p>None observed in the figures.</p>");
    }
    for (i, f) in r.strengths.iter().enumerate() {
        finding(out, &format!("S{}", i + 1), f, false, false);
    }
    out.push_str("</section><section id=\"improvements\"><h2>5. Areas for improvement</h2>");
    if r.improvements.is_empty() {
        out.push_str("<p>None found in the figures.</p>");
    } else {
        out.push_str("<p>Ranked by priority, then by how long the gap lasted; the first is the principal area.</p>");
    }
    for (i, f) in r.improvements.iter().enumerate() {
        finding(out, &format!("A{}", i + 1), f, true, i == 0);
    }
    out.push_str("</section><section id=\"plan\"><h2>6. Improvement plan</h2>");
    if r.plan.is_empty() {
        out.push_str("<p>Nothing to plan.</p>");
    } else {
        out.push_str("<table id=\"plan-table\"><tr>");
        for head in PLAN_HEADERS {
            let _ = write!(out, "<th>{}</th>", esc(head));
        }
        out.push_str("</tr>");
        for cells in plan_rows(r) {
            out.push_str("<tr>");
            for cell in &cells {
                let _ = write!(out, "<td>{}</td>", esc(cell));
            }
            out.push_str("</tr>");
        }
        out.push_str("</table>");
    }
}

fn per_role(out: &mut String, r: &Report) {
    let o = &r.overview;
    out.push_str(
        "</section><section id=\"roles\"><h2>7. Per-role breakdown</h2><table id=\"per-role\"><tr>",
    );
    for head in PER_ROLE_HEADERS {
        let _ = write!(out, "<th>{}</th>", esc(head));
    }
    out.push_str("</tr>");
    for cells in per_role_rows(r) {
        out.push_str("<tr>");
        for (k, cell) in cells.iter().enumerate() {
            // Names and sides are text; the counts are numbers.
            let class = if k < 2 { "" } else { " class=\"num\"" };
            let _ = write!(out, "<td{class}>{}</td>", esc(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    if o.roles.iter().any(|x| x.played_by == PlayedBy::Nobody) {
        out.push_str("<p class=\"legend\">A role played by nobody never acts: its figures are zero by construction.</p>");
    }
}

/// What the people in the room noted: the discussion by module, the observations, the
/// hot wash.
fn room(out: &mut String, r: &Report) {
    let room = &r.room;
    out.push_str("</section><section id=\"room\"><h2>8. The room: discussion, observations and hot wash</h2>");
    if room.is_empty() {
        out.push_str("<p>Nothing was noted: no discussion notes, observations or hot wash were written during this session.</p>");
        return;
    }
    if !room.discussion.is_empty() {
        out.push_str("<h3>Discussion</h3>");
        for g in &room.discussion {
            let _ = write!(out, "<h4>{}</h4>", esc(&g.module));
            if !g.questions.is_empty() {
                out.push_str("<p class=\"legend\">Questions: ");
                let qs: Vec<String> = g.questions.iter().map(|q| esc(q)).collect();
                out.push_str(&qs.join(" · "));
                out.push_str("</p>");
            }
            out.push_str("<ul>");
            for n in &g.notes {
                let _ = write!(
                    out,
                    "<li>{}, {}: {}</li>",
                    esc(&n.at),
                    esc(&n.by),
                    esc(&n.text)
                );
            }
            out.push_str("</ul>");
        }
    }
    if !room.observations.is_empty() {
        out.push_str("<h3>Observations</h3><table id=\"observations\"><tr><th>When</th><th>By</th><th>Objective</th><th>Rating</th><th>Observation</th></tr>");
        for n in &room.observations {
            let _ = write!(
                out,
                "<tr><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&n.at),
                esc(&n.by),
                esc(n.objective.as_deref().unwrap_or("—")),
                n.rating.map_or_else(|| "—".to_owned(), rating_badge),
                esc(&n.text)
            );
        }
        out.push_str("</table>");
    }
    for (title, notes) in [
        ("Hot wash: strengths", &room.strengths),
        ("Hot wash: areas for improvement", &room.improvements),
    ] {
        if notes.is_empty() {
            continue;
        }
        let _ = write!(out, "<h3>{title}</h3><ul>");
        for n in notes {
            let _ = write!(out, "<li>{}: {}</li>", esc(&n.by), esc(&n.text));
        }
        out.push_str("</ul>");
    }
}

fn timeline(out: &mut String, r: &Report) {
    out.push_str("</section><section id=\"appendix\"><h2>Appendix A. Timeline</h2><p>Every inject, decision, action and change of state, in game time. Draws of chance and the final ratings are left out.</p><table id=\"timeline-table\"><tr><th>Time</th><th>Clock</th><th>Who</th><th>Kind</th><th>What happened</th></tr>");
    for t in &r.timeline {
        let strong = matches!(
            t.mark,
            Mark::Decision | Mark::Expired | Mark::Threat | Mark::SlaBreach | Mark::End
        );
        let text = if strong {
            format!("<strong>{}</strong>", esc(&t.text))
        } else {
            esc(&t.text)
        };
        let _ = write!(
            out,
            "<tr><td class=\"nowrap\">{}</td><td class=\"nowrap\">{}</td><td>{}</td><td>{}</td><td>{text}</td></tr>",
            elapsed(t.at),
            esc(&t.clock),
            esc(&t.who),
            t.mark.word()
        );
    }
    out.push_str("</table></section></main></body></html>\n");
}

fn debrief(out: &mut String, r: &Report) {
    out.push_str("</section><section id=\"debrief\"><h2>9. Debrief: turning points, the attack path, advice</h2>");
    for b in super::debrief::blocks(&r.debrief) {
        let _ = write!(out, "<h3>{}</h3>", esc(b.heading));
        for p in &b.paragraphs {
            let _ = write!(out, "<p>{}</p>", esc(p));
        }
        if !b.items.is_empty() {
            out.push_str("<ul>");
            for i in &b.items {
                let _ = write!(out, "<li>{}</li>", esc(i));
            }
            out.push_str("</ul>");
        }
    }
}
