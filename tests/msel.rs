//! MSEL spreadsheets: every bundled scenario's timed injects go through `ttx msel export`
//! and `ttx msel import` and come back the same (time, method, sender, recipients, subject,
//! text, id), in a file `ttx check` accepts; a sheet with a bad row gets `file.csv:row:col`.

mod common;

use std::process::Command;

use ttx::engine::model::{Scenario, Trigger};

/// A timed inject as a sheet keeps it: minutes, channel, from, recipients' names (sorted),
/// subject, text, id.
type Timed = (u32, String, String, Vec<String>, String, String, String);

fn timed(sc: &Scenario) -> Vec<Timed> {
    let mut v: Vec<_> = sc
        .injects
        .iter()
        .filter_map(|i| match i.trigger {
            Trigger::At(t) => Some((
                t.minutes(),
                format!("{:?}", i.channel),
                i.from.to_string(),
                {
                    let mut to: Vec<String> =
                        i.to.roles().map(|r| sc.role(r).name.clone()).collect();
                    to.sort();
                    to
                },
                i.subject.to_string(),
                // A sheet has no variables: its import keeps a `{value}` as the words it
                // was (written `{{value}}`), so the text reads the same either way.
                i.text.replace("{{", "{").replace("}}", "}"),
                i.id.to_string(),
            )),
            _ => None,
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_bundled_scenarios_timed_injects_round_trip() {
    for file in common::BUNDLED {
        let sc = common::scenario(file);
        let csv = ttx::scenario::msel::export(&sc);
        let ron = ttx::scenario::msel::import(&format!("{}.csv", sc.id), &csv)
            .unwrap_or_else(|d| panic!("{}: {}", sc.id, ttx::scenario::render_all(&d)));
        let back = ttx::scenario::load_str("back.ron", &ron)
            .unwrap_or_else(|e| {
                panic!(
                    "{}: {}\n{ron}",
                    sc.id,
                    ttx::scenario::render_all(&e.diagnostics)
                )
            })
            .scenario;
        assert_eq!(timed(&back), timed(&sc), "{}", sc.id);
        assert_eq!(back.start, sc.start, "{}: the start", sc.id);
        assert_eq!(back.injects.len(), sc.injects.len(), "{}: every row", sc.id);
    }
}

#[test]
fn the_commands_write_and_read_sheets_and_locate_a_bad_row() {
    let ttx = env!("CARGO_BIN_EXE_ttx");
    let dir = std::env::temp_dir().join(format!("ttx-msel-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("dir");
    let csv = dir.join("weekend.csv");
    let out = Command::new(ttx)
        .args(["msel", "export", "bob-saas-weekend", "--out"])
        .arg(&csv)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let sheet = std::fs::read_to_string(&csv).expect("written");
    assert!(sheet.starts_with(
        "MSEL #,Time,Scenario time,From,To,Method,Synopsis,Expected action,Objective,Notes,Subject,Inject id\r\n"
    ));
    let ron = dir.join("weekend.ron");
    let out = Command::new(ttx)
        .args(["msel", "import"])
        .arg(&csv)
        .arg("--out")
        .arg(&ron)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = Command::new(ttx)
        .arg("check")
        .arg(&ron)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A sheet with a method ttx does not know, on its third row.
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "MSEL #,Time,Scenario time,From,To,Method,Synopsis\n\
         1,Mon 09:00,+0:00,SOC,Analyst,alert,First\n\
         2,Mon 09:10,+0:10,SOC,Analyst,carrier pigeon,Second\n",
    )
    .expect("written");
    let out = Command::new(ttx)
        .args(["msel", "import"])
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.csv:3:6: error: `carrier pigeon` is not a method ttx knows"),
        "{err}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
