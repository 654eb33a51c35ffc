//! The Master Scenario Events List as a spreadsheet: `ttx msel export` writes a scenario's
//! injects as CSV with HSEEP's MSEL columns (and two of ttx's, the subject and the inject's
//! id, so a sheet comes back whole); `ttx msel import` turns such a sheet into a scenario
//! file that `ttx check` accepts, a bad row getting a `file.csv:row:column` diagnostic.

use std::fmt::Write as _;

use crate::engine::model::{Channel, Cond, Effect, Mark, Scenario, Trigger};
use crate::engine::time::{DAY, GameTime, StartTime, Weekday, parse_start, parse_time};
use crate::words::cond::cond;
use crate::words::names::elapsed;

use super::diagnostic::{Diagnostic, Severity};

/// HSEEP's MSEL columns, then ttx's own two.
pub const COLUMNS: [&str; 12] = [
    "MSEL #",
    "Time",
    "Scenario time",
    "From",
    "To",
    "Method",
    "Synopsis",
    "Expected action",
    "Objective",
    "Notes",
    "Subject",
    "Inject id",
];

/// A cell as a spreadsheet should take it: a formula-looking start is quoted away.
fn cell(s: &str) -> String {
    crate::untrusted::csv_cell(s).into_owned()
}

/// The objectives whose ratings read this inject (delivered, or an answer to it).
fn objectives_of(sc: &Scenario, inject: usize) -> Vec<String> {
    sc.objectives
        .iter()
        .filter(|o| {
            o.ratings.iter().any(|(_, c)| {
                c.any(|x| match x {
                    Cond::Happened(m) | Cond::Within { to: m, .. } => {
                        matches!(m, Mark::Delivered(i) | Mark::Chose(i, _) if i.ix() == inject)
                    }
                    _ => false,
                })
            })
        })
        .map(|o| o.text.clone())
        .collect()
}

/// The scenario's injects as an MSEL: timed ones in time order, then the others (their
/// "Scenario time" says what sends them), as CSV with CRLF line ends.
pub fn export(sc: &Scenario) -> String {
    let mut order: Vec<usize> = (0..sc.injects.len()).collect();
    order.sort_by_key(|i| match sc.injects[*i].trigger {
        Trigger::At(t) => (0, t.minutes(), *i),
        Trigger::When(..) => (1, 0, *i),
        Trigger::Manual => (2, 0, *i),
    });
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(COLUMNS);
    for (n, i) in order.into_iter().enumerate() {
        let inj = &sc.injects[i];
        let (time, scenario_time) = match &inj.trigger {
            Trigger::At(t) => (sc.start.clock(*t).to_string(), elapsed(*t)),
            Trigger::When(c, _) => (String::new(), format!("when {}", cond(sc, c))),
            Trigger::Manual if inj.contingency => (String::new(), "contingency".to_owned()),
            Trigger::Manual => (String::new(), "when something sets it off".to_owned()),
        };
        let to: Vec<String> = inj.to.roles().map(|r| sc.role(r).name.clone()).collect();
        let expected = inj.prompt.as_ref().map_or_else(String::new, |p| {
            let options: Vec<String> = p.options.iter().map(|o| o.label.to_string()).collect();
            format!("{} Options: {}", p.question, options.join(" / "))
        });
        let mut notes = inj.debrief.clone();
        let mut fx = Vec::new();
        Effect::walk(&inj.effects, &mut |e| {
            if let Effect::Schedule(j, _) = e {
                fx.push(sc.inject(*j).id.to_string());
            }
        });
        if !fx.is_empty() {
            let _ = write!(
                notes,
                "{}Sets off: {}.",
                if notes.is_empty() { "" } else { " " },
                fx.join(", ")
            );
        }
        let _ = w.write_record([
            (n + 1).to_string(),
            time,
            scenario_time,
            cell(&inj.from),
            to.join("; "),
            inj.channel.label().to_owned(),
            cell(&inj.text),
            cell(&expected),
            cell(&objectives_of(sc, i).join("; ")),
            cell(&notes),
            cell(&inj.subject),
            inj.id.to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// A channel from its label (`in person`) or its name in the format (`InPerson`).
fn channel(s: &str) -> Option<Channel> {
    const ALL: [Channel; 11] = [
        Channel::Phone,
        Channel::Ticket,
        Channel::Email,
        Channel::Alert,
        Channel::Chat,
        Channel::Portal,
        Channel::Sms,
        Channel::Pager,
        Channel::News,
        Channel::InPerson,
        Channel::System,
    ];
    let norm = |x: &str| x.to_lowercase().replace([' ', '-', '_'], "");
    let want = norm(s);
    ALL.into_iter()
        .find(|c| norm(c.label()) == want || norm(&format!("{c:?}")) == want)
}

/// A name as an id: lower case, letters, digits and `_`.
fn slug(s: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in s.trim().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('_') && !out.is_empty() {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_owned();
    match out.chars().next() {
        Some(c) if c.is_ascii_lowercase() => out.chars().take(60).collect(),
        Some(_) => format!("{fallback}_{}", out.chars().take(50).collect::<String>()),
        None => fallback.to_owned(),
    }
}

/// A cell as written, with a spreadsheet's formula guard taken off.
fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => s,
    }
}

/// One row's inject, as the import reads it.
struct Row {
    id: String,
    at: Option<GameTime>,
    from: String,
    to: Vec<String>,
    channel: Channel,
    text: String,
    subject: String,
    expected: String,
    notes: String,
}

/// A diagnostic at a row and column of the sheet (both from 1, the header being row 1).
fn at_cell(
    file: &str,
    row: usize,
    col: usize,
    text: &str,
    message: String,
    help: &str,
) -> Diagnostic {
    Diagnostic {
        file: file.to_owned(),
        line: row,
        col,
        len: text.chars().count().clamp(1, 60),
        severity: Severity::Error,
        message,
        path: String::new(),
        help: Some(help.to_owned()),
        source_line: text.chars().take(120).collect(),
        caret: 0,
    }
}

/// Where in the sheet: the file and the row (from 1, the header being row 1).
struct Cell<'f> {
    file: &'f str,
    row: usize,
}

impl Cell<'_> {
    fn error(&self, col: usize, text: &str, message: String, help: &str) -> Box<Diagnostic> {
        Box::new(at_cell(self.file, self.row, col, text, message, help))
    }
}

/// One row of the sheet: its inject, and its clock time when it gives one.
fn read_row(
    at: &Cell<'_>,
    rec: &csv::StringRecord,
    col: &dyn Fn(&str) -> Option<usize>,
    before: usize,
) -> Result<(Row, Option<StartTime>), Box<Diagnostic>> {
    let get = |name: &str| {
        col(name)
            .and_then(|c| rec.get(c))
            .map(|s| unguard(s.trim()))
    };
    let at_col = |name: &str| col(name).map_or(1, |c| c + 1);
    let synopsis = get("Synopsis").unwrap_or("");
    if synopsis.is_empty() {
        return Err(at.error(
            at_col("Synopsis"),
            synopsis,
            "the row has no synopsis".into(),
            "write the message the recipients read",
        ));
    }
    let method = get("Method").unwrap_or("");
    let ch = channel(method).ok_or_else(|| {
        at.error(
            at_col("Method"),
            method,
            format!("`{method}` is not a method ttx knows"),
            "one of: phone, ticket, email, alert, chat, portal, sms, pager, news, in person, system",
        )
    })?;
    let to: Vec<String> = get("To")
        .unwrap_or("")
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    if to.is_empty() {
        return Err(at.error(
            at_col("To"),
            "",
            "the row names nobody in `To`".into(),
            "name the roles it reaches, separated by `;`",
        ));
    }
    let offset = get("Scenario time").filter(|s| s.starts_with('+'));
    let when = offset
        .map(|s| {
            parse_time(MONDAY_0900, s).map_err(|_| {
                at.error(
                    at_col("Scenario time"),
                    s,
                    format!("`{s}` is not a time after the start"),
                    "write `+0:15` (hours and minutes after the start)",
                )
            })
        })
        .transpose()?;
    let clock = match get("Time").filter(|s| !s.is_empty() && when.is_some()) {
        Some(c) => Some(parse_start(c).ok_or_else(|| {
            at.error(
                at_col("Time"),
                c,
                format!("`{c}` is not a weekday and time"),
                "write `Sat 03:30`",
            )
        })?),
        None => None,
    };
    let id = get("Inject id")
        .filter(|s| super::compile::check_id(s).is_ok())
        .map_or_else(|| format!("msel_{}", before + 1), str::to_owned);
    Ok((
        Row {
            id,
            at: when,
            from: get("From").unwrap_or("").to_owned(),
            to,
            channel: ch,
            text: synopsis.to_owned(),
            subject: get("Subject").unwrap_or("").to_owned(),
            expected: get("Expected action").unwrap_or("").to_owned(),
            notes: get("Notes").unwrap_or("").to_owned(),
        },
        clock,
    ))
}

/// A scenario file from an MSEL sheet: a role for every name in "To", an inject for every
/// row (a row with no time is a contingency inject the facilitator fires), and an ending
/// when time runs out. The file passes `ttx check`; a row it cannot read is an error.
pub fn import(file: &str, text: &str) -> Result<String, Vec<Diagnostic>> {
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = match r.headers() {
        Ok(h) => h.iter().map(|x| x.trim().to_lowercase()).collect(),
        Err(e) => {
            return Err(vec![at_cell(
                file,
                1,
                1,
                "",
                format!("not a CSV file: {e}"),
                "save the sheet as CSV",
            )]);
        }
    };
    let col = |name: &str| header.iter().position(|h| h == &name.to_lowercase());
    let mut diags = Vec::new();
    for need in ["To", "Method", "Synopsis"] {
        if col(need).is_none() {
            diags.push(at_cell(
                file,
                1,
                1,
                &header.join(","),
                format!("the sheet has no `{need}` column"),
                "the first row names the columns: MSEL #, Time, Scenario time, From, To, Method, Synopsis, …",
            ));
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let mut rows: Vec<Row> = Vec::new();
    let mut start: Option<StartTime> = None;
    for (k, rec) in r.records().enumerate() {
        let at = Cell { file, row: k + 2 };
        let read = rec
            .map_err(|e| {
                at.error(
                    1,
                    "",
                    format!("this row cannot be read: {e}"),
                    "check its quotes",
                )
            })
            .and_then(|rec| read_row(&at, &rec, &col, rows.len()));
        match read {
            Ok((row, clock)) => {
                // The first row with a clock time and an offset fixes the start.
                if let (None, Some(c), Some(t)) = (start, clock, row.at) {
                    start = Some(before(c, t));
                }
                rows.push(row);
            }
            Err(d) => diags.push(*d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    if rows.is_empty() {
        return Err(vec![at_cell(
            file,
            2,
            1,
            "",
            "the sheet has no rows".into(),
            "one row per inject",
        )]);
    }
    Ok(scenario_text(file, &rows, start.unwrap_or(MONDAY_0900)))
}

/// The start of a sheet that gives no clock time.
const MONDAY_0900: StartTime = StartTime {
    weekday: Weekday::Mon,
    minute_of_day: 9 * 60,
};

/// The start of an exercise at which `clock` is `t` into it.
fn before(clock: StartTime, t: GameTime) -> StartTime {
    let week = 7 * DAY;
    let abs = clock.weekday.index() * DAY + clock.minute_of_day;
    let back = (abs + week - t.minutes() % week) % week;
    StartTime {
        weekday: Weekday::from_index(back / DAY),
        minute_of_day: back % DAY,
    }
}

/// RON for a string.
fn lit(s: &str) -> String {
    ron::to_string(s).unwrap_or_else(|_| "\"\"".to_owned())
}

fn scenario_text(file: &str, rows: &[Row], start: StartTime) -> String {
    let stem = std::path::Path::new(file)
        .file_stem()
        .map_or_else(|| "msel".to_owned(), |s| s.to_string_lossy().into_owned());
    // Roles in the order they first appear, each with an id of its own.
    let mut roles: Vec<(String, String)> = Vec::new();
    for r in rows {
        for name in &r.to {
            if !roles.iter().any(|(_, n)| n == name) {
                let mut id = slug(name, "role");
                while roles.iter().any(|(i, _)| *i == id)
                    || id == "facilitator"
                    || id == "evaluator"
                {
                    id.push('_');
                }
                roles.push((id, name.clone()));
            }
        }
    }
    let last = rows
        .iter()
        .filter_map(|r| r.at)
        .max()
        .unwrap_or(GameTime::ZERO);
    let end = last.minutes() + 60;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "// Made by `ttx msel import` from {}: check it, then give roles their sides,",
        crate::untrusted::one_line(file)
    );
    let _ = writeln!(
        out,
        "// authority and briefings, add actions, endings and objectives."
    );
    let _ = writeln!(
        out,
        "Scenario(\n    format: 1,\n    id: {},\n    title: {},",
        lit(&slug(&stem, "msel").replace('_', "-")),
        lit(&stem)
    );
    let _ = writeln!(
        out,
        "    start: {},\n    end: {},",
        lit(&start.clock(GameTime::ZERO).to_string()),
        lit(&format!("+{}:{:02}", end / 60, end % 60))
    );
    out.push_str("    roles: [\n");
    for (id, name) in &roles {
        let _ = writeln!(
            out,
            "        Role(id: {}, name: {}, side: Other),",
            lit(id),
            lit(name)
        );
    }
    out.push_str("    ],\n    injects: [\n");
    for r in rows {
        if !r.expected.is_empty() {
            let _ = writeln!(
                out,
                "        // Expected action: {}",
                crate::untrusted::one_line(&r.expected)
            );
        }
        let to: Vec<String> =
            r.to.iter()
                .filter_map(|n| roles.iter().find(|(_, x)| x == n).map(|(i, _)| lit(i)))
                .collect();
        let when = match r.at {
            Some(t) => format!(
                "at: {}, ",
                lit(&format!("+{}:{:02}", t.minutes() / 60, t.minutes() % 60))
            ),
            None => "contingency: true, ".to_owned(),
        };
        let _ = writeln!(
            out,
            "        Inject(id: {}, {when}to: [{}], channel: {:?},\n            from: {}, subject: {},\n            text: {},\n            debrief: {}),",
            lit(&r.id),
            to.join(", "),
            r.channel,
            lit(&r.from),
            lit(&r.subject),
            // The sheet declares no variables or draws: a `{value}` the text names stays as
            // written, a brace and not a value.
            lit(&r.text.replace('{', "{{").replace('}', "}}")),
            lit(&r.notes),
        );
    }
    out.push_str("    ],\n    endings: [\n        Ending(id: \"time_up\", title: \"Time is up\", outcome: Mixed, when: TimeUp),\n    ],\n)\n");
    out
}
