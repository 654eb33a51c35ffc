//! Themes and key maps: RON files in `assets/`, embedded in the binary, and overridable by
//! the user's own files, which are checked like scenarios (`file:line:col` diagnostics).

use std::collections::BTreeMap;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::{Color, Modifier, Style};
use serde::Deserialize;

use crate::scenario::{Diagnostic, error_at, parse_ron};

pub const DEFAULT_THEME: &str = include_str!("../../assets/themes/default.ron");
pub const HIGH_CONTRAST_THEME: &str = include_str!("../../assets/themes/high-contrast.ron");
pub const DEFAULT_KEYS: &str = include_str!("../../assets/keys.ron");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStyle {
    fg: Option<String>,
    bg: Option<String>,
    #[serde(default)]
    bold: bool,
    #[serde(default)]
    underline: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "Theme")]
struct RawTheme {
    name: String,
    text: RawStyle,
    dim: RawStyle,
    header: RawStyle,
    border: RawStyle,
    focus: RawStyle,
    selected: RawStyle,
    unread: RawStyle,
    alert: RawStyle,
    prompt: RawStyle,
    good: RawStyle,
    mixed: RawStyle,
    bad: RawStyle,
    hidden: RawStyle,
}

/// The styles every screen draws with.
#[derive(Clone, Debug, PartialEq, Hash)]
pub struct Theme {
    pub name: String,
    pub text: Style,
    pub dim: Style,
    pub header: Style,
    pub border: Style,
    pub focus: Style,
    pub selected: Style,
    pub unread: Style,
    pub alert: Style,
    pub prompt: Style,
    pub good: Style,
    pub mixed: Style,
    pub bad: Style,
    pub hidden: Style,
}

impl Theme {
    /// Reads and checks a theme file's text.
    pub fn parse(file: &str, text: &str) -> Result<Theme, Vec<Diagnostic>> {
        let raw: RawTheme = parse_ron(file, text)?;
        let mut errors = Vec::new();
        let mut style = |s: &RawStyle| {
            let mut st = Style::default();
            for (c, is_fg) in [(&s.fg, true), (&s.bg, false)] {
                let Some(c) = c else { continue };
                match Color::from_str(c) {
                    Ok(color) if is_fg => st = st.fg(color),
                    Ok(color) => st = st.bg(color),
                    Err(_) => errors.push(error_at(
                        file,
                        text,
                        &format!("\"{c}\""),
                        format!("`{c}` is not a colour"),
                        Some(
                            "use a name like `lightred`, an index like `\"42\"`, or `\"#rrggbb\"`"
                                .into(),
                        ),
                    )),
                }
            }
            if s.bold {
                st = st.add_modifier(Modifier::BOLD);
            }
            if s.underline {
                st = st.add_modifier(Modifier::UNDERLINED);
            }
            st
        };
        let theme = Theme {
            name: raw.name.clone(),
            text: style(&raw.text),
            dim: style(&raw.dim),
            header: style(&raw.header),
            border: style(&raw.border),
            focus: style(&raw.focus),
            selected: style(&raw.selected),
            unread: style(&raw.unread),
            alert: style(&raw.alert),
            prompt: style(&raw.prompt),
            good: style(&raw.good),
            mixed: style(&raw.mixed),
            bad: style(&raw.bad),
            hidden: style(&raw.hidden),
        };
        if errors.is_empty() {
            Ok(theme)
        } else {
            Err(errors)
        }
    }

    /// The built-in theme of that name (`default`, `high-contrast`).
    pub fn builtin(name: &str) -> Option<Theme> {
        let text = match name {
            "default" => DEFAULT_THEME,
            "high-contrast" => HIGH_CONTRAST_THEME,
            _ => return None,
        };
        Theme::parse(name, text).ok()
    }

    /// No colour at all (for `NO_COLOR`): meaning is carried by bold, reverse and underline.
    pub fn monochrome() -> Theme {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let rev = plain.add_modifier(Modifier::REVERSED);
        Theme {
            name: "monochrome".into(),
            text: plain,
            dim: plain,
            header: rev.add_modifier(Modifier::BOLD),
            border: plain,
            focus: bold,
            selected: rev,
            unread: bold,
            alert: bold,
            prompt: bold.add_modifier(Modifier::UNDERLINED),
            good: bold,
            mixed: bold,
            bad: bold.add_modifier(Modifier::UNDERLINED),
            hidden: plain.add_modifier(Modifier::ITALIC),
        }
    }
}

/// What a key does: every key press becomes one of these before anything changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Command {
    Quit,
    Help,
    Up,
    Down,
    Select,
    Back,
    Focus,
    SwitchSeat,
    NextEvent,
    Pause,
    Faster,
    Slower,
    FireInject,
    FreeInject,
    EndExercise,
    Option(u8),
    ScrollDown,
    ScrollUp,
    Report,
    Briefing,
    Discuss,
    HotWash,
    Observe,
}

impl Command {
    pub const ALL: [(&'static str, Command, &'static str); 28] = [
        (
            "quit",
            Command::Quit,
            "quit ttx (asks first during an exercise)",
        ),
        ("help", Command::Help, "show or hide this help"),
        ("up", Command::Up, "move up in a list"),
        ("down", Command::Down, "move down in a list"),
        ("select", Command::Select, "choose / take the selected item"),
        ("back", Command::Back, "go back, close a dialog"),
        (
            "focus",
            Command::Focus,
            "move between the feed and the actions",
        ),
        (
            "switch_seat",
            Command::SwitchSeat,
            "hand the keyboard to the next seat (hot seat)",
        ),
        (
            "next_event",
            Command::NextEvent,
            "turn mode: advance to the next event",
        ),
        (
            "pause",
            Command::Pause,
            "facilitator: pause or resume the clock",
        ),
        (
            "faster",
            Command::Faster,
            "facilitator: more game minutes per second",
        ),
        (
            "slower",
            Command::Slower,
            "facilitator: fewer game minutes per second",
        ),
        (
            "fire_inject",
            Command::FireInject,
            "facilitator: fire an inject now",
        ),
        (
            "free_inject",
            Command::FreeInject,
            "facilitator: write a free-text inject",
        ),
        (
            "end_exercise",
            Command::EndExercise,
            "facilitator: end the exercise",
        ),
        (
            "option_1",
            Command::Option(1),
            "answer a decision prompt with option 1",
        ),
        ("option_2", Command::Option(2), "… option 2"),
        ("option_3", Command::Option(3), "… option 3"),
        ("option_4", Command::Option(4), "… option 4"),
        ("option_5", Command::Option(5), "… option 5"),
        ("option_6", Command::Option(6), "… option 6"),
        (
            "scroll_down",
            Command::ScrollDown,
            "scroll the detail pane down",
        ),
        ("scroll_up", Command::ScrollUp, "scroll the detail pane up"),
        (
            "report",
            Command::Report,
            "after the ending: the after-action report",
        ),
        (
            "briefing",
            Command::Briefing,
            "your seat's briefing card: brief, authority, contacts",
        ),
        (
            "discuss",
            Command::Discuss,
            "facilitator: a discussion break (the clock waits; notes)",
        ),
        (
            "hot_wash",
            Command::HotWash,
            "after the ending: note a strength or an area to improve",
        ),
        (
            "observe",
            Command::Observe,
            "facilitator, evaluator: note an observation",
        ),
    ];
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename = "KeyMap")]
struct RawKeyMap {
    bindings: BTreeMap<String, Vec<String>>,
}

/// Keys to commands, and the key names to show in help.
#[derive(Clone, Debug)]
pub struct KeyMap {
    keys: Vec<(KeyCode, KeyModifiers, Command)>,
    names: BTreeMap<Command, Vec<String>>,
}

fn parse_key(s: &str) -> Option<(KeyCode, KeyModifiers)> {
    let (mods, key) = match s.strip_prefix("ctrl-") {
        Some(k) => (KeyModifiers::CONTROL, k),
        None => (KeyModifiers::NONE, s),
    };
    let code = match key {
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        "Home" => KeyCode::Home,
        "End" => KeyCode::End,
        "Backspace" => KeyCode::Backspace,
        "Space" => KeyCode::Char(' '),
        f if f.starts_with('F') && f.len() > 1 => {
            KeyCode::F(f[1..].parse().ok().filter(|n| (1..=12).contains(n))?)
        }
        c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
        _ => return None,
    };
    Some((code, mods))
}

impl KeyMap {
    pub fn parse(file: &str, text: &str) -> Result<KeyMap, Vec<Diagnostic>> {
        let raw: RawKeyMap = parse_ron(file, text)?;
        let mut errors = Vec::new();
        let mut keys: Vec<(KeyCode, KeyModifiers, Command)> = Vec::new();
        let mut names: BTreeMap<Command, Vec<String>> = BTreeMap::new();
        for (name, list) in &raw.bindings {
            let Some((_, cmd, _)) = Command::ALL.iter().find(|(n, _, _)| n == name) else {
                let known: Vec<&str> = Command::ALL.iter().map(|(n, _, _)| *n).collect();
                let help = crate::scenario::diagnostic::suggest(name, known.iter().copied())
                    .map_or_else(
                        || format!("commands: {}", known.join(", ")),
                        |s| format!("did you mean `{s}`?"),
                    );
                errors.push(error_at(
                    file,
                    text,
                    &format!("\"{name}\""),
                    format!("unknown command `{name}`"),
                    Some(help),
                ));
                continue;
            };
            for k in list {
                match parse_key(k) {
                    None => errors.push(error_at(
                        file,
                        text,
                        &format!("\"{k}\""),
                        format!("`{k}` is not a key"),
                        Some("write a character (\"q\"), a name (Enter, Esc, Up, F1 …), optionally as \"ctrl-…\"".into()),
                    )),
                    Some((code, mods)) => {
                        if let Some((_, _, other)) = keys.iter().find(|(c, m, _)| *c == code && *m == mods) {
                            let other = Command::ALL.iter().find(|(_, c, _)| c == other).map_or("?", |x| x.0);
                            errors.push(error_at(
                                file,
                                text,
                                &format!("\"{k}\""),
                                format!("key `{k}` is bound to both `{other}` and `{name}`"),
                                None,
                            ));
                        }
                        keys.push((code, mods, *cmd));
                        names.entry(*cmd).or_default().push(k.clone());
                    }
                }
            }
        }
        for (name, cmd, _) in Command::ALL {
            // A command added since the file was written keeps its default keys where the
            // file did not give them to another command.
            if !names.contains_key(&cmd) && errors.is_empty() && text != DEFAULT_KEYS {
                let defaults = KeyMap::default_map();
                let free: Vec<String> = defaults
                    .names
                    .get(&cmd)
                    .into_iter()
                    .flatten()
                    .filter(|k| {
                        parse_key(k).is_some_and(|(c, m)| {
                            !keys.iter().any(|(c2, m2, _)| *c2 == c && *m2 == m)
                        })
                    })
                    .cloned()
                    .collect();
                for k in &free {
                    if let Some((c, m)) = parse_key(k) {
                        keys.push((c, m, cmd));
                    }
                }
                if !free.is_empty() {
                    names.insert(cmd, free);
                }
            }
            if !names.contains_key(&cmd) && errors.is_empty() {
                errors.push(error_at(
                    file,
                    text,
                    "bindings",
                    format!("command `{name}` has no key"),
                    Some(format!("add `\"{name}\": [\"…\"],`")),
                ));
            }
        }
        if errors.is_empty() {
            Ok(KeyMap { keys, names })
        } else {
            Err(errors)
        }
    }

    pub fn default_map() -> KeyMap {
        match KeyMap::parse("keys.ron", DEFAULT_KEYS) {
            Ok(k) => k,
            // The embedded map is checked by a test; an empty map would only lose keys.
            Err(_) => KeyMap {
                keys: Vec::new(),
                names: BTreeMap::new(),
            },
        }
    }

    /// The command a key press means, if any.
    pub fn command(&self, key: KeyEvent) -> Option<Command> {
        let mods = key.modifiers & KeyModifiers::CONTROL;
        self.keys
            .iter()
            .find(|(c, m, _)| *c == key.code && *m == mods)
            .map(|(_, _, cmd)| *cmd)
    }

    /// The keys bound to a command, as written in the key map (`"q", "ctrl-c"`).
    pub fn label(&self, cmd: Command) -> String {
        self.names
            .get(&cmd)
            .map_or_else(String::new, |v| v.join(", "))
    }

    /// The first key of a command, for short hints.
    pub fn first(&self, cmd: Command) -> String {
        self.names
            .get(&cmd)
            .and_then(|v| v.first())
            .cloned()
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_files_are_valid() {
        assert!(Theme::parse("default.ron", DEFAULT_THEME).is_ok());
        assert!(Theme::parse("high-contrast.ron", HIGH_CONTRAST_THEME).is_ok());
        let keys = KeyMap::parse("keys.ron", DEFAULT_KEYS).expect("valid key map");
        assert_eq!(
            keys.command(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::NONE)),
            Some(Command::Quit)
        );
        assert_eq!(
            keys.command(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
    }

    #[test]
    fn bad_user_files_get_located_diagnostics() {
        let text = "Theme(name: \"x\", text: (fg: \"blurple\"), dim: (), header: (), border: (), focus: (), selected: (), unread: (), alert: (), prompt: (), good: (), mixed: (), bad: (), hidden: ())";
        let e = Theme::parse("mine.ron", text).expect_err("bad colour");
        assert_eq!((e[0].line, e[0].col), (1, 29));
        assert!(e[0].message.contains("blurple"));
        let keys = "KeyMap(bindings: {\"quitt\": [\"q\"], \"help\": [\"q\"]})";
        let e = KeyMap::parse("keys.ron", keys).expect_err("bad map");
        assert!(e[0].message.contains("unknown command `quitt`"));
        assert_eq!(e[0].help.as_deref(), Some("did you mean `quit`?"));
        let e = KeyMap::parse("k.ron", "KeyMap(bindings: {\"quit\": [\"ctrl-\"]})")
            .expect_err("bad key");
        assert!(e[0].message.contains("not a key"));
        // A command left out keeps its default keys that are free...
        let k = KeyMap::parse("k.ron", "KeyMap(bindings: {\"quit\": [\"?\"]})").expect("defaults");
        assert_eq!(k.label(Command::Help), "F1");
        assert_eq!(k.label(Command::Briefing), "b");
        // ...and has no key when they are all taken.
        let e = KeyMap::parse("k.ron", "KeyMap(bindings: {\"quit\": [\"?\", \"F1\"]})")
            .expect_err("missing");
        assert!(
            e[0].message.contains("`help` has no key"),
            "{}",
            e[0].message
        );
    }
}
