//! The after-action report: golden Markdown and JSON for two scripted runs of every bundled
//! scenario, byte-identical output across runs in all four formats, the findings the issue
//! asks for (the wait for authority with its minutes when nobody acts on the dropper;
//! containment rated P after an early isolation under a playbook), the SVG as valid XML, the
//! CSV as RFC 4180, and the HTML opened in headless Chromium.

mod common;

use common::tools::{self, Tool};

use std::path::PathBuf;
use std::sync::Arc;

use ttx::engine::exercise::Exercise;
use ttx::engine::model::{Rating, Scenario};
use ttx::report::document::{Priority, Topic};
use ttx::report::{self, Format, Report};
use ttx::sim::{headless, script};

/// Two scripts per bundled scenario, each run on its `# seed:`.
const GOLDEN: [(&str, [&str; 2]); 4] = [
    ("dropper-0330", ["isolate-early", "nobody-decides"]),
    ("bob-saas-weekend", ["caught-friday", "sev5-all-weekend"]),
    ("dfir-wiped-logs", ["preserve-everything", "scorched-earth"]),
    ("franchise-crm", ["joint-containment", "still-open"]),
];

fn load(id: &str) -> Arc<Scenario> {
    common::scenario(&format!("{id}.ron"))
}

/// Runs a script from `tests/scripts/<id>/<name>.txt` on its own seed; returns the run and
/// the report built as `ttx run --report` builds it.
fn scripted(sc: &Arc<Scenario>, name: &str) -> (Exercise, Report) {
    let path = common::root()
        .join("tests/scripts")
        .join(sc.id.as_str())
        .join(format!("{name}.txt"));
    let text = std::fs::read_to_string(&path).expect("script exists");
    let seed: u64 = text
        .lines()
        .find_map(|l| l.strip_prefix("# seed:"))
        .expect("a seed header")
        .trim()
        .parse()
        .expect("a number");
    let steps = script::parse(name, &text, sc.start).expect("script parses");
    let ex = headless::run(Arc::clone(sc), seed, &steps);
    let input = headless::report_input(&ex, &steps, &[], None);
    let r = report::build(ex.scenario(), ex.state(), &input);
    (ex, r)
}

fn nobody(sc: &Arc<Scenario>, seed: u64) -> (Exercise, Report) {
    let ex = headless::run(Arc::clone(sc), seed, &[]);
    let input = headless::report_input(&ex, &[], &[], None);
    let r = report::build(ex.scenario(), ex.state(), &input);
    (ex, r)
}

const FORMATS: [Format; 4] = [Format::Markdown, Format::Html, Format::Json, Format::Csv];

#[test]
fn golden_reports_in_markdown_and_json() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(common::root().join("tests/snapshots/reports"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (id, scripts) in GOLDEN {
            let sc = load(id);
            for name in scripts {
                let (_, r) = scripted(&sc, name);
                insta::assert_snapshot!(
                    format!("{id}__{name}__md"),
                    report::render(&r, Format::Markdown)
                );
                insta::assert_snapshot!(
                    format!("{id}__{name}__json"),
                    report::render(&r, Format::Json)
                );
            }
        }
    });
}

#[test]
fn the_same_events_give_the_same_bytes_in_every_format() {
    for (id, scripts) in GOLDEN {
        let sc = load(id);
        for name in scripts {
            let (_, a) = scripted(&sc, name);
            let (_, b) = scripted(&sc, name);
            for f in FORMATS {
                assert_eq!(
                    report::render(&a, f),
                    report::render(&b, f),
                    "{id}/{name} {f:?}"
                );
            }
        }
        // A different run gives a different report (the golden files are not constant).
        let (_, x) = scripted(&sc, scripts[0]);
        let (_, y) = scripted(&sc, scripts[1]);
        assert_ne!(
            report::render(&x, Format::Json),
            report::render(&y, Format::Json)
        );
    }
}

#[test]
fn a_date_appears_only_when_given() {
    let sc = load("dropper-0330");
    let ex = headless::run(Arc::clone(&sc), 4, &[]);
    let plain = report::build(
        &sc,
        ex.state(),
        &headless::report_input(&ex, &[], &[], None),
    );
    let dated = report::build(
        &sc,
        ex.state(),
        &headless::report_input(&ex, &[], &[], Some("2026-03-14".into())),
    );
    for f in FORMATS {
        assert!(!report::render(&plain, f).contains("Date"), "{f:?}");
    }
    assert!(report::render(&dated, Format::Markdown).contains("| Date | 2026-03-14 |"));
    assert!(report::render(&dated, Format::Html).contains("2026-03-14"));
}

#[test]
fn dropper_with_nobody_acting_names_the_wait_for_authority_with_its_minutes() {
    let sc = load("dropper-0330");
    let playbook = sc
        .draws
        .iter()
        .position(|d| d.id.as_str() == "playbook_on_file")
        .expect("the playbook draw");
    let mut without_playbook = 0;
    for seed in 1..=20 {
        let (ex, r) = nobody(&sc, seed);
        let principal = r.improvements.first().expect("areas for improvement");
        let end = ex.state().ended.expect("ended").at.minutes();
        if ex.state().draws[playbook].value == 0 {
            without_playbook += 1;
            assert_eq!(principal.topic, Topic::Authority, "seed {seed}");
            assert_eq!(principal.priority, Priority::High, "seed {seed}");
            // Needed from the first alert (minute 0), never authorised: the whole run.
            assert_eq!(principal.minutes, Some(end), "seed {seed}");
            assert_eq!(r.metrics.waiting_on_authority, Some(end), "seed {seed}");
            let minutes = ttx::report::words::dur(end);
            assert!(principal.title.contains(&minutes), "{}", principal.title);
            let md = report::render(&r, Format::Markdown);
            assert!(
                md.contains(&format!(
                    "Principal area for improvement: No authorised decision: containment waited {minutes}"
                )),
                "seed {seed}:\n{md}"
            );
            assert!(principal.recommendation.starts_with("Pre-authorise"));
        } else {
            // A signed playbook covered the isolation: nobody needed to wait for anyone,
            // and the report says so instead of blaming authority.
            assert_ne!(principal.topic, Topic::Authority, "seed {seed}");
            let contain = r
                .improvements
                .iter()
                .find(|f| f.topic == Topic::Containment)
                .expect("a containment finding");
            assert!(
                contain.analysis.contains("pre-approved playbook covered"),
                "{}",
                contain.analysis
            );
        }
    }
    assert!(without_playbook >= 5, "too few seeds without a playbook");
}

#[test]
fn early_isolation_under_a_playbook_rates_containment_p() {
    let sc = load("dropper-0330");
    let (_, r) = scripted(&sc, "isolate-early");
    let contain = r
        .objectives
        .iter()
        .find(|o| o.objective.as_str() == "contain_early")
        .expect("contain_early");
    assert_eq!(contain.rating, Some(Rating::P));
    assert!(
        r.metrics
            .preapproved
            .iter()
            .any(|p| p.action.as_str() == "isolate_host")
    );
    assert!(
        r.strengths.iter().any(|f| f.topic == Topic::Containment),
        "containment is a strength"
    );
    // And by the book (no playbook, the phones answered): authorised, then contained.
    let (_, b) = scripted(&sc, "by-the-book");
    assert!(b.metrics.waiting_on_authority.is_some_and(|w| w > 0));
    assert!(!b.metrics.authority_never_came);
}

#[test]
fn boundary_crossings_and_their_latency() {
    let sc = load("dropper-0330");
    let (_, r) = scripted(&sc, "nobody-decides");
    let m = &r.metrics;
    // The call to the on-call manager was answered; the isolation request to the duty
    // executive (the other side) never was.
    let call = m
        .crossings
        .iter()
        .find(|c| c.action.as_str() == "call_oncall")
        .expect("the call");
    assert_eq!(call.latency, Some(4));
    let request = m
        .crossings
        .iter()
        .find(|c| c.action.as_str() == "isolate_host")
        .expect("the approval request");
    assert_eq!(request.answered_at, None);
    assert_eq!(m.deferrals.len(), 1);
    assert_eq!(m.refusals.len(), 1);
}

fn svg_of(html: &str) -> &str {
    let start = html.find("<svg").expect("an svg");
    let end = html.find("</svg>").expect("svg closed") + "</svg>".len();
    &html[start..end]
}

#[test]
fn the_svg_timeline_is_valid_xml_with_a_lane_per_role() {
    for (id, scripts) in GOLDEN {
        let sc = load(id);
        for name in scripts {
            let (_, r) = scripted(&sc, name);
            let html = report::render(&r, Format::Html);
            let svg = svg_of(&html);
            let doc = roxmltree::Document::parse(svg)
                .unwrap_or_else(|e| panic!("{id}/{name}: {e}\n{svg}"));
            let texts: Vec<&str> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .collect();
            for role in &sc.roles {
                assert!(
                    texts
                        .iter()
                        .any(|t| role.name.starts_with(t.trim_end_matches('\u{2026}'))),
                    "{id}/{name}: no lane for {}",
                    role.name
                );
            }
            assert!(texts.contains(&"Attacker (threat stages)"));
        }
    }
}

/// Splits RFC 4180 text into records of fields.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut field = String::new();
    let mut record = Vec::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') if chars.peek() == Some(&'\n') => {
                chars.next();
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (_, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last line ends with CRLF"
    );
    records
}

#[test]
fn the_csv_is_the_timeline() {
    let sc = load("dropper-0330");
    let (_, r) = scripted(&sc, "nobody-decides");
    let csv = report::render(&r, Format::Csv);
    let rows = parse_csv(&csv);
    assert_eq!(rows[0], ["time", "clock", "role", "kind", "text"]);
    assert_eq!(rows.len(), r.timeline.len() + 1);
    for (row, t) in rows[1..].iter().zip(&r.timeline) {
        assert_eq!(row.len(), 5);
        assert_eq!(row[0], t.at.minutes().to_string());
        assert_eq!(row[4], t.text);
    }
    assert!(
        rows.iter().any(|r| r[4].contains(',')),
        "some text needed quoting"
    );
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ttx-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

#[test]
fn the_html_report_opens_in_headless_chromium() {
    let Some(chromium) =
        tools::require(Tool::Chromium, "the_html_report_opens_in_headless_chromium")
    else {
        return;
    };
    let sc = load("dropper-0330");
    let (_, r) = scripted(&sc, "nobody-decides");
    let html = report::render(&r, Format::Html);
    assert!(
        !html.contains("http://") || html.matches("http://").count() == 1,
        "only the SVG namespace"
    );
    assert!(!html.contains("https://") && !html.contains("<script") && !html.contains("<link"));
    let dir = temp_dir("html");
    let file = dir.join("report.html");
    std::fs::write(&file, &html).expect("written");
    let url = format!("file://{}", file.display());
    let out = tools::headless_chromium(&chromium, &dir, &["--dump-dom".into(), url.clone()]);
    let dom = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dom.contains("id=\"objectives-table\""), "{dom}");
    assert!(dom.contains("<svg"), "{dom}");
    assert!(dom.contains("id=\"plan-table\""), "{dom}");
    assert!(dom.contains("Ransomware: game over"));
    let png = dir.join("report.png");
    let out = tools::headless_chromium(
        &chromium,
        &dir,
        &[
            format!("--screenshot={}", png.display()),
            "--window-size=1200,1600".into(),
            "--hide-scrollbars".into(),
            url,
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bytes = std::fs::read(&png).expect("a screenshot");
    assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    assert!(
        bytes.len() > 20_000,
        "a screenshot with content ({} bytes)",
        bytes.len()
    );
    if let Ok(keep) = std::env::var("TTX_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).expect("copied");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Without Chromium the test above skips with a line saying so; under CI it fails.
#[test]
fn a_missing_chromium_skips_here_and_fails_under_ci() {
    tools::check_missing_tool_paths(Tool::Chromium, "the_html_report_opens_in_headless_chromium");
}

/// `text` with every role list after `to:` and `visible_to:` written in reverse order.
fn role_lists_reversed(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("to: [") {
        let (head, tail) = rest.split_at(at + "to: [".len());
        out.push_str(head);
        let end = tail.find(']').expect("a closed list");
        let mut items: Vec<&str> = tail[..end].split(", ").collect();
        items.reverse();
        out.push_str(&items.join(", "));
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// Displays and the report list roles, and pick the owner of a finding among them, in the
/// order of the scenario's `roles`: the order a `to:` or `visible_to:` list is written in
/// changes nothing.
#[test]
fn the_order_roles_are_listed_in_changes_no_report() {
    let path = common::root().join("scenarios/dfir-wiped-logs.ron");
    let text = std::fs::read_to_string(&path).expect("bundled scenario");
    let reversed = role_lists_reversed(&text);
    assert_ne!(text, reversed, "the scenario has role lists to reverse");
    assert!(reversed.contains(r#"visible_to: ["soc_analyst", "dfir_lead"]"#));
    for name in ["scorched-earth", "preserve-everything"] {
        let report_of = |text: &str| {
            let sc = ttx::scenario::load_str("dfir-wiped-logs.ron", text)
                .unwrap_or_else(|e| panic!("{e}"))
                .scenario;
            let (_, r) = scripted(&sc, name);
            report::render(&r, Format::Json)
        };
        assert_eq!(report_of(&text), report_of(&reversed), "{name}");
    }
}

/// A report on a session still under way says it is interim, and at what game time, in
/// every format; a finished one does not.
#[test]
fn an_interim_report_says_so_in_every_format() {
    let sc = load("dropper-0330");
    let steps = ttx::sim::script::parse("pause.txt", "at 03:52 facilitator pause\n", sc.start)
        .expect("parses");
    let ex = headless::run(Arc::clone(&sc), 3, &steps);
    assert!(!ex.is_over() && ex.state().paused);
    let input = headless::report_input(&ex, &steps, &[], None);
    let r = report::build(ex.scenario(), ex.state(), &input);
    assert_eq!(r.overview.interim.as_deref(), Some("+0:22"));
    for (format, words) in [
        (
            Format::Markdown,
            "# After-action report (interim, at +0:22): Dropper at 03:30",
        ),
        (
            Format::Html,
            "<h1>After-action report (interim, at +0:22): Dropper at 03:30</h1>",
        ),
        (Format::Json, "\"interim\": \"+0:22\""),
        (
            Format::Csv,
            "22,Sat 03:52,Exercise,interim,\"Interim, at +0:22: the exercise was still under way\"",
        ),
    ] {
        let text = report::render(&r, format);
        assert!(
            text.contains(words),
            "{format:?}:\n{}",
            &text[..text.len().min(600)]
        );
    }
    let (_, finished) = scripted(&sc, "nobody-decides");
    assert!(finished.overview.interim.is_none());
    for format in [Format::Markdown, Format::Html, Format::Json, Format::Csv] {
        assert!(
            !report::render(&finished, format)
                .to_lowercase()
                .contains("interim")
        );
    }
}

/// A facilitator who ends the exercise early leaves the objectives the play never got to
/// "not evaluated" (N), with the reason, in every format and on the ending screen's data;
/// never U. An objective already met keeps its rating.
#[test]
fn an_early_end_leaves_objectives_not_evaluated() {
    use ttx::engine::command::{Command, Issued};
    use ttx::engine::event::EventKind;
    use ttx::engine::model::Rating;
    let sc = load("dropper-0330");
    let mut ex = Exercise::start(Arc::clone(&sc), 7);
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 5 }));
    ex.apply(&Issued::facilitator(Command::EndExercise { ending: None }));
    let ratings: Vec<Rating> = ex
        .events()
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::ObjectiveRated { rating, .. } => Some(*rating),
            _ => None,
        })
        .collect();
    assert_eq!(ratings.len(), sc.objectives.len());
    assert!(!ratings.contains(&Rating::U), "{ratings:?}");
    assert!(ratings.contains(&Rating::N), "{ratings:?}");
    // The relationship is still fine at +0:05: that objective is met, and rated.
    assert!(ratings.iter().any(|r| *r != Rating::N), "{ratings:?}");
    let input = headless::report_input(&ex, &[], &[], None);
    let r = report::build(ex.scenario(), ex.state(), &input);
    let md = report::render(&r, Format::Markdown);
    assert!(md.contains("not evaluated"), "{md}");
    assert!(md.contains("0 U"), "{md}");
    let html = report::render(&r, Format::Html);
    assert!(html.contains("N not evaluated"), "{html}");
    // Run to its natural end, the same objectives are rated U.
    let (done, _) = nobody(&sc, 7);
    assert!(done.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::ObjectiveRated {
            rating: Rating::U,
            ..
        }
    )));
    assert!(!done.events().iter().any(|e| matches!(
        &e.kind,
        EventKind::ObjectiveRated {
            rating: Rating::N,
            ..
        }
    )));
}

/// A ticket raised "to the customer" with no named recipient still crosses the boundary:
/// the report never says nothing crossed, nor that the other side never heard of it, when
/// its own timeline lists the ticket.
#[test]
fn a_ticket_to_the_other_side_is_counted_as_crossing() {
    let sc = load("dropper-0330");
    let text = "at 03:31 soc_analyst triage\nat 03:40 soc_analyst open_ticket\n";
    let steps = script::parse("ticket", text, sc.start).expect("script parses");
    let ex = headless::run(Arc::clone(&sc), 7, &steps);
    let input = headless::report_input(&ex, &steps, &[], None);
    let r = report::build(ex.scenario(), ex.state(), &input);
    let md = report::render(&r, Format::Markdown);
    assert!(
        md.contains("Raise an incident ticket to the customer"),
        "{md}"
    );
    assert!(!md.contains("No call, ticket or message crossed"), "{md}");
    assert!(!md.contains("never heard of it"), "{md}");
    assert!(
        md.contains("1 went unanswered (raise an incident ticket"),
        "{md}"
    );
    // A ticket is not a phone: no "first number" in what the report concludes.
    assert!(!md.contains("first number"), "{md}");
}

/// A delay is blamed only for time spent waiting, never for an action's own duration:
/// triage begun a minute after the alert and lasting 20 minutes by design is a prompt
/// pick-up, not "triage took 21 min … cover for the analyst on the rota".
#[test]
fn triage_is_judged_by_the_wait_not_by_its_own_duration() {
    let sc = load("bob-saas-weekend");
    let (_, r) = scripted(&sc, "caught-friday");
    let md = report::render(&r, Format::Markdown);
    assert!(md.contains("First alert picked up in 1 min"), "{md}");
    assert!(!md.contains("Triage took"), "{md}");
    assert!(
        !md.contains("cover for the MSSP SOC analyst on the rota"),
        "{md}"
    );
}

/// What the report measures is the scenario's to declare (`measures:`): the evidence scale,
/// the first alert, whether a commercial boundary runs between the sides; an unknown name
/// there is a located error.
#[test]
fn the_scenario_declares_what_the_report_measures() {
    let path = common::root().join("scenarios/dropper-0330.ron");
    let text = std::fs::read_to_string(&path).expect("the dropper");
    assert!(
        text.contains("boundary: true,"),
        "the dropper declares its measures"
    );
    let report_of = |text: &str| {
        let sc = ttx::scenario::load_str("dropper-0330.ron", text)
            .expect("loads")
            .scenario;
        let steps = script::parse(
            "s",
            "at 03:31 soc_analyst triage\nat 03:40 soc_analyst isolate_host\n",
            sc.start,
        )
        .expect("script");
        let ex = headless::run(Arc::clone(&sc), 7, &steps);
        let input = headless::report_input(&ex, &steps, &[], None);
        let r = report::build(ex.scenario(), ex.state(), &input);
        report::render(&r, Format::Markdown)
    };
    let declared = report_of(&text);
    assert!(declared.contains("commercial boundary"), "{declared}");
    // No boundary: no crossing figures, no escalation finding, in any words.
    let none = report_of(&text.replace("boundary: true,", "boundary: false,"));
    // (The scenario's own objective still says "commercial boundary": its words, not ours.)
    for ours in [
        "Crossings of the commercial boundary",
        "across the boundary",
        "other side",
        "crossed the commercial boundary",
    ] {
        assert!(!none.contains(ours), "{ours}: {none}");
    }
    // Another variable as the evidence scale: the figure follows it.
    let strain = report_of(&text.replace(
        "evidence: \"evidence\",\n        impact",
        "evidence: \"strain\",\n        impact",
    ));
    assert!(
        strain.contains("Evidence kept: 10 (from 10, on a scale of 0 to 100)"),
        "{strain}"
    );
    // An unknown name is an error with its place.
    let bad = text.replace(
        "first_alert: \"edr_dropper\"",
        "first_alert: \"edr_droper\"",
    );
    let err = match ttx::scenario::load_str("dropper-0330.ron", &bad) {
        Ok(_) => panic!("an unknown first alert is refused"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("unknown inject `edr_droper`"), "{err}");
    assert!(err.contains("dropper-0330.ron:"), "{err}");
    assert!(err.contains("did you mean `edr_dropper`"), "{err}");
}

/// No report, in any format, has an empty placeholder or a sentence with a missing name:
/// every bundled scenario, seeded runs with by-the-book, random and absent players.
#[test]
fn no_report_has_an_empty_slot() {
    use ttx::engine::model::{BotSpec, Policy, RoleIx};
    let empty = common::EMPTY_SLOTS;
    for file in common::BUNDLED {
        let id = file.trim_end_matches(".ron");
        let sc = load(id);
        for seed in 1..=24u64 {
            let seats: Vec<(RoleIx, BotSpec)> = match seed % 3 {
                0 => Vec::new(),
                k => RoleIx::all(sc.roles.len())
                    .map(|r| {
                        let p = if k == 1 {
                            Policy::ByTheBook
                        } else {
                            Policy::Random
                        };
                        (r, BotSpec::new(p))
                    })
                    .collect(),
            };
            let ex = headless::run_with_bots(Arc::clone(&sc), seed, &[], &seats);
            let input = headless::report_input(&ex, &[], &seats, None);
            let r = report::build(ex.scenario(), ex.state(), &input);
            for f in [Format::Markdown, Format::Html] {
                let whole = report::render(&r, f);
                // The HTML's style sheet is not prose.
                let text = whole.find("<body").map_or(whole.as_str(), |i| &whole[i..]);
                for e in empty {
                    if let Some(i) = text.find(e) {
                        let from = text[..i].rfind('\n').unwrap_or(0);
                        let to = text[i..].find('\n').map_or(text.len(), |j| i + j);
                        panic!("{id} seed {seed} {f:?}: {e:?} in {:?}", &text[from..to]);
                    }
                }
            }
        }
    }
}

/// The room's notes are in every format: the discussion under its module with its
/// questions, an observation with its objective and rating (and that rating beside the
/// computed one), the hot wash by who wrote it; with no notes the section says so.
#[test]
fn the_rooms_notes_are_in_the_report() {
    use ttx::engine::ids::Seat;
    use ttx::engine::model::{NoteKind, Rating};
    use ttx::engine::{Command, Issued};
    let sc = load("dropper-0330");
    let (_, plain) = nobody(&sc, 4);
    let md = report::render(&plain, Format::Markdown);
    assert!(
        md.contains("## 8. The room: discussion, observations and hot wash"),
        "{md}"
    );
    assert!(md.contains("Nothing was noted"), "{md}");
    let mut ex = Exercise::start(Arc::clone(&sc), 4);
    let note = |kind, text: &str, objective: Option<&str>, rating| Command::Note {
        kind,
        text: text.into(),
        objective: objective.map(Into::into),
        rating,
    };
    ex.apply(&Issued::facilitator(Command::Tick { minutes: 20 }));
    ex.apply(&Issued::facilitator(note(
        NoteKind::Discussion,
        "Nobody knew Dave's deputy",
        None,
        None,
    )));
    ex.apply(&Issued::facilitator(note(
        NoteKind::Observation,
        "Escalated by phone within minutes",
        Some("escalate"),
        Some(Rating::S),
    )));
    ex.apply(&Issued::facilitator(Command::EndExercise { ending: None }));
    ex.apply(&Issued::new(
        Seat::role("soc_analyst"),
        note(
            NoteKind::Improvement,
            "A second number for the on-call",
            None,
            None,
        ),
    ));
    let input = headless::report_input(&ex, &[], &[], None);
    let r = report::build(ex.scenario(), ex.state(), &input);
    assert_eq!(r.room.discussion.len(), 1);
    assert_eq!(r.room.discussion[0].module, "Across the boundary");
    let esc_obj = r
        .objectives
        .iter()
        .find(|o| o.objective.as_str() == "escalate")
        .expect("the objective");
    assert_eq!(esc_obj.observed, Some(Rating::S));
    for f in [Format::Markdown, Format::Html, Format::Json] {
        let text = report::render(&r, f);
        for want in [
            "Across the boundary",
            "Nobody knew Dave",
            "Escalated by phone within minutes",
            "A second number for the on-call",
            "Who at Harbour &",
        ] {
            assert!(text.contains(want), "{f:?} lacks {want}:\n{text}");
        }
    }
    let md = report::render(&r, Format::Markdown);
    assert!(md.contains("(observer: **S**)"), "{md}");
    assert!(
        md.contains("- MSSP SOC analyst: A second number for the on-call"),
        "{md}"
    );
}

/// A session's name is in the report's overview.
#[test]
fn the_sessions_name_is_in_the_overview() {
    let sc = load("dropper-0330");
    let ex = headless::run(Arc::clone(&sc), 4, &[]);
    let mut input = headless::report_input(&ex, &[], &[], None);
    input.session_name = Some("Harbour & Finch / NightWatch, spring".into());
    let r = report::build(ex.scenario(), ex.state(), &input);
    let md = report::render(&r, Format::Markdown);
    assert!(
        md.contains("| Session | Harbour & Finch / NightWatch, spring |"),
        "{md}"
    );
    let html = report::render(&r, Format::Html);
    assert!(html.contains("<th>Session</th><td>Harbour &amp; Finch / NightWatch, spring</td>"));
}
