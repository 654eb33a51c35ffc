//! Scripts: a small text list of timed commands for headless runs and tests.
//!
//! ```text
//! # comments start with # or //
//! at 03:38 soc_analyst triage                  # take an action
//! at +12   soc_analyst act call_oncall           # `act` is optional
//! at 03:45 oncall_manager choose oncall_call wake_exec
//! at 04:10 duty_exec approve 0                   # approve (or deny) request 0
//! at 04:15 facilitator fire exec_checks_in       # also: pause, resume, end [ENDING]
//! at 04:20 facilitator inject oncall_manager,duty_exec "Free text from the facilitator"
//! ```
//!
//! Times read as in scenario files: `03:45` is the first 03:45 at or after the start,
//! `Sat 03:45` names the day, `+15` counts minutes from the start. Lines must not go back in
//! time.

use crate::engine::command::{Command, Issued};
use crate::engine::ids::{ActionId, EndingId, InjectId, OptionId, RoleId, Seat};
use crate::engine::model::Channel;
use crate::engine::time::{GameTime, StartTime, parse_time};
use crate::scenario::Diagnostic;

/// One line of a script: when, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub line: usize,
    pub at: GameTime,
    pub issued: Issued,
}

/// Reads a script. `file` names it in diagnostics; `start` is the scenario's start.
pub fn parse(file: &str, text: &str, start: StartTime) -> Result<Vec<Step>, Vec<Diagnostic>> {
    let mut steps = Vec::new();
    let mut diags = Vec::new();
    let mut last = GameTime::ZERO;
    for (n, raw_line) in text.lines().enumerate() {
        let line_no = n + 1;
        let content = strip_comment(raw_line);
        if content.trim().is_empty() {
            continue;
        }
        let mut err = |col: usize, message: String, help: Option<String>| {
            diags.push(Diagnostic::error(
                file,
                (line_no, col),
                message,
                help,
                raw_line,
            ));
        };
        let words = split_words(content);
        let Some((first, col0)) = words.first() else {
            continue;
        };
        if first != "at" {
            err(
                *col0,
                format!("expected `at`, found `{first}`"),
                Some("every line reads `at TIME ROLE COMMAND ...`".into()),
            );
            continue;
        }
        let mut i = 1;
        // A time may be one word (`03:45`, `+15`) or two (`Sat 03:45`).
        let Some((w1, c1)) = words.get(i) else {
            err(
                raw_line.len() + 1,
                "expected a time after `at`".into(),
                None,
            );
            continue;
        };
        let mut time_text = w1.clone();
        i += 1;
        if crate::engine::time::Weekday::parse(w1).is_some()
            && w1.len() == 3
            && let Some((w2, _)) = words.get(i)
        {
            time_text = format!("{w1} {w2}");
            i += 1;
        }
        let Ok(at) = parse_time(start, &time_text) else {
            err(
                *c1,
                format!("`{time_text}` is not a time"),
                Some("write `03:45`, `Sat 03:45` or `+15`".into()),
            );
            continue;
        };
        if at < last {
            err(
                *c1,
                format!("`{time_text}` is earlier than the line before"),
                Some("script lines run in order; sort them by time".into()),
            );
            continue;
        }
        let Some((who, cw)) = words.get(i) else {
            err(
                raw_line.len() + 1,
                "expected a role after the time".into(),
                None,
            );
            continue;
        };
        i += 1;
        let by = Seat::role(who);
        let rest: Vec<&(String, usize)> = words[i..].iter().collect();
        match command(&by, &rest) {
            Ok(command) => {
                last = at;
                steps.push(Step {
                    line: line_no,
                    at,
                    issued: Issued::new(by, command),
                });
            }
            Err((col, message, help)) => err(col.unwrap_or(*cw), message, help),
        }
    }
    if diags.is_empty() {
        Ok(steps)
    } else {
        Err(diags)
    }
}

type CmdError = (Option<usize>, String, Option<String>);

fn command(by: &Seat, rest: &[&(String, usize)]) -> Result<Command, CmdError> {
    let word = |k: usize| rest.get(k).map(|(w, _)| w.as_str());
    let col = |k: usize| rest.get(k).map(|(_, c)| *c);
    let need = |k: usize, what: &str| -> Result<String, CmdError> {
        word(k)
            .map(str::to_owned)
            .ok_or((None, format!("expected {what}"), None))
    };
    let Some(verb) = word(0) else {
        return Err((None, "expected a command after the role".into(), None));
    };
    let cmd = match (by, verb) {
        (Seat::Facilitator, "pause") => Command::Pause,
        (Seat::Facilitator, "resume") => Command::Resume,
        (Seat::Facilitator, "fire") => Command::FireInject {
            inject: InjectId::new(&need(1, "an inject id after `fire`")?),
        },
        (Seat::Facilitator, "end") => Command::EndExercise {
            ending: word(1).map(EndingId::new),
        },
        (Seat::Facilitator, "inject") => {
            let roles = need(1, "roles after `inject` (comma-separated)")?;
            let text = need(2, "a quoted text after the roles")?;
            let length = text.chars().count();
            if length > crate::engine::command::MAX_ADHOC_TEXT {
                return Err((
                    col(2),
                    format!(
                        "the text is {length} characters long; an inject's text may be at most {}",
                        crate::engine::command::MAX_ADHOC_TEXT
                    ),
                    None,
                ));
            }
            Command::AdHocInject {
                to: roles
                    .split(',')
                    .filter(|r| !r.is_empty())
                    .map(RoleId::new)
                    .collect(),
                channel: Channel::InPerson,
                from: "Facilitator".into(),
                text,
                options: Vec::new(),
            }
        }
        (_, "tick") => {
            let m = need(1, "minutes after `tick`")?;
            Command::Tick {
                minutes: m
                    .parse()
                    .map_err(|_| (col(1), format!("`{m}` is not a number of minutes"), None))?,
            }
        }
        (_, "choose") => Command::Choose {
            inject: InjectId::new(&need(1, "an inject id after `choose`")?),
            option: OptionId::new(&need(2, "an option id after the inject")?),
        },
        (_, "approve" | "deny") => {
            let r = need(1, "a request number")?;
            let request = r
                .parse()
                .map_err(|_| (col(1), format!("`{r}` is not a request number"), None))?;
            if verb == "approve" {
                Command::Approve { request }
            } else {
                Command::Deny { request }
            }
        }
        (_, "act") => Command::Act {
            action: ActionId::new(&need(1, "an action id after `act`")?),
        },
        (Seat::Evaluator, other) => {
            return Err((
                col(0),
                format!("the evaluator gives no commands (`{other}`)"),
                Some("an evaluator's observations are noted at the terminal".into()),
            ));
        }
        (Seat::Role(_), action) => Command::Act {
            action: ActionId::new(action),
        },
        (Seat::Facilitator, other) => {
            return Err((
                col(0),
                format!("unknown facilitator command `{other}`"),
                Some("the facilitator can: pause, resume, fire INJECT, end [ENDING], inject ROLES \"TEXT\", tick N".into()),
            ));
        }
    };
    let used = match &cmd {
        Command::Pause | Command::Resume | Command::AdvanceToNextEvent => 1,
        Command::EndExercise { ending } => 1 + usize::from(ending.is_some()),
        Command::Act { .. } => {
            if verb == "act" {
                2
            } else {
                1
            }
        }
        Command::Tick { .. }
        | Command::FireInject { .. }
        | Command::Approve { .. }
        | Command::Deny { .. }
        | Command::AdvanceTo { .. } => 2,
        Command::Choose { .. }
        | Command::AdHocInject { .. }
        | Command::Note { .. }
        | Command::AnswerAdHoc { .. } => 3,
    };
    if let Some((extra, c)) = rest.get(used) {
        return Err((
            Some(*c),
            format!("unexpected `{extra}` at the end of the line"),
            None,
        ));
    }
    Ok(cmd)
}

fn strip_comment(line: &str) -> &str {
    let mut in_quote = false;
    let bytes = line.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'"' => in_quote = !in_quote,
            b'#' if !in_quote => return &line[..i],
            b'/' if !in_quote && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// Splits on white space, keeping "quoted text" as one word; each word with its column.
fn split_words(line: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some(&(i, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let col = line[..i].chars().count() + 1;
        let mut w = String::new();
        if c == '"' {
            chars.next();
            while let Some((_, c)) = chars.next() {
                match c {
                    '"' => break,
                    '\\' => {
                        if let Some((_, n)) = chars.next() {
                            w.push(n);
                        }
                    }
                    c => w.push(c),
                }
            }
        } else {
            while let Some(&(_, c)) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                w.push(c);
                chars.next();
            }
        }
        out.push((w, col));
    }
    out
}

/// Checks a parsed script against its scenario: every role, action, inject, option and
/// ending it names must exist. A typo is reported before the run, with a suggestion,
/// instead of surfacing as a refused command in the transcript.
pub fn check(
    file: &str,
    text: &str,
    steps: &[Step],
    sc: &crate::engine::model::Scenario,
) -> Vec<Diagnostic> {
    use crate::scenario::diagnostic::suggest;
    let mut out = Vec::new();
    let lines = crate::scenario::locate::LineIndex::new(text);
    for step in steps {
        let source_line = lines.line(text, step.line);
        let mut bad = |what: &str, name: &str, known: Vec<&str>| {
            let col = source_line
                .find(name)
                .map_or(1, |i| source_line[..i].chars().count() + 1);
            let help = suggest(name, known.iter().copied())
                .map(|s| format!("did you mean `{s}`?"))
                .or_else(|| Some(format!("the scenario's {what}s: {}", known.join(", "))));
            out.push(Diagnostic::error(
                file,
                (step.line, col),
                format!("unknown {what} `{name}`"),
                help,
                source_line,
            ));
        };
        let roles: Vec<&str> = sc.roles.iter().map(|r| r.id.as_str()).collect();
        if let Seat::Role(r) = &step.issued.by
            && sc.role_index(r.as_str()).is_none()
        {
            let mut known = roles.clone();
            known.push(crate::engine::ids::FACILITATOR);
            bad("role", r.as_str(), known);
        }
        let injects = || sc.injects.iter().map(|i| i.id.as_str()).collect::<Vec<_>>();
        match &step.issued.command {
            Command::Act { action } if sc.action_index(action.as_str()).is_none() => {
                bad(
                    "action",
                    action.as_str(),
                    sc.actions.iter().map(|a| a.id.as_str()).collect(),
                );
            }
            Command::Choose { inject, option } => match sc.inject_index(inject.as_str()) {
                None => bad("inject", inject.as_str(), injects()),
                Some(i) => {
                    let options: Vec<&str> =
                        sc.inject(i).prompt.as_ref().map_or_else(Vec::new, |p| {
                            p.options.iter().map(|o| o.id.as_str()).collect()
                        });
                    if !options.contains(&option.as_str()) {
                        bad("option", option.as_str(), options);
                    }
                }
            },
            Command::FireInject { inject } if sc.inject_index(inject.as_str()).is_none() => {
                bad("inject", inject.as_str(), injects());
            }
            Command::EndExercise { ending: Some(e) } if sc.ending_index(e.as_str()).is_none() => {
                bad(
                    "ending",
                    e.as_str(),
                    sc.endings.iter().map(|e| e.id.as_str()).collect(),
                );
            }
            Command::AdHocInject { to, .. } => {
                for r in to {
                    if sc.role_index(r.as_str()).is_none() {
                        bad("role", r.as_str(), roles.clone());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::time::parse_start;

    fn start() -> StartTime {
        parse_start("Sat 03:30").expect("valid")
    }

    #[test]
    fn reads_every_kind_of_line() {
        let text = "# a comment\nat 03:38 soc_analyst triage\nat +12 soc_analyst act call_oncall // trailing\nat Sat 03:45 oncall_manager choose oncall_call wake_exec\nat 04:10 duty_exec approve 0\nat 04:15 facilitator fire exec_checks_in\nat 04:20 facilitator inject a,b \"Hello # not a comment\"\nat 04:30 facilitator end\n";
        let steps = parse("s.txt", text, start()).expect("parses");
        assert_eq!(steps.len(), 7);
        assert_eq!(steps[0].at, GameTime(8));
        assert_eq!(steps[1].at, GameTime(12));
        assert_eq!(
            steps[2].issued.command,
            Command::Choose {
                inject: "oncall_call".into(),
                option: "wake_exec".into()
            }
        );
        assert_eq!(steps[3].issued.command, Command::Approve { request: 0 });
        match &steps[5].issued.command {
            Command::AdHocInject { to, text, .. } => {
                assert_eq!(to.len(), 2);
                assert_eq!(text, "Hello # not a comment");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reports_bad_lines_with_positions() {
        let text = "at 03:38 soc_analyst triage\nat 03:30x soc_analyst triage\nsoon soc_analyst triage\nat 03:20 soc_analyst triage extra\n";
        let diags = parse("s.txt", text, start()).expect_err("bad");
        assert_eq!(diags.len(), 3);
        assert_eq!((diags[0].line, diags[0].col), (2, 4));
        assert_eq!((diags[1].line, diags[1].col), (3, 1));
        assert_eq!(diags[2].line, 4);
    }

    #[test]
    fn refuses_lines_that_go_back_in_time() {
        let text = "at 04:00 soc_analyst triage\nat 03:45 soc_analyst triage\n";
        let diags = parse("s.txt", text, start()).expect_err("bad");
        assert!(diags[0].message.contains("earlier"));
    }
}
