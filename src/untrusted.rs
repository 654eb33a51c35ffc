//! Text that strangers wrote (scenario files, journals, scripts, what players type) made
//! safe for where it is shown: a terminal, a spreadsheet, a Markdown page, a JSON reader.
//!
//! A scenario title with an escape sequence could move the cursor, rewrite the line above
//! or put a command on the clipboard (OSC 52) when `ttx check` prints it; a carriage return
//! could overwrite an error with a fake `ok:`; bidirectional overrides make text read
//! differently from what it says. Every text output of ttx passes through here. Depends on
//! nothing.

use std::borrow::Cow;

/// Whether `c` must not reach a terminal as it is: C0 controls other than newline and tab,
/// DEL, C1 controls, and the bidirectional and line-breaking controls of Unicode.
pub fn is_unsafe(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}'
        | '\u{b}'..='\u{1f}'
        | '\u{7f}'..='\u{9f}'
        | '\u{61c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{2028}'
        | '\u{2029}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}'
    )
}

fn escape_into(out: &mut String, c: char) {
    use std::fmt::Write as _;
    let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
}

/// `s` with every unsafe character written as a visible escape (`\u{1b}`); newlines and
/// tabs kept. For multi-line text ttx prints (reports, tables, diagnostics).
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            escape_into(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` for a place that holds one line (a title after `ok:`, a table cell): unsafe
/// characters, newlines and tabs all escaped, so nothing can start a line of its own.
pub fn one_line(s: &str) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe(c) || c == '\n' || c == '\t';
    if !s.chars().any(bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe(c) => escape_into(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A JSON document with the unsafe characters JSON allows raw (C1 controls, bidirectional
/// controls, DEL) written as `\uXXXX` escapes. They can occur only inside strings, where the
/// escape means the same character, so the document reads back the same.
pub fn json(s: String) -> String {
    use std::fmt::Write as _;
    if !s.chars().any(is_unsafe) {
        return s;
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            // Every unsafe character is in the Basic Multilingual Plane: one escape.
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A spreadsheet cell that no spreadsheet will run as a formula: a cell starting with `=`,
/// `+`, `-`, `@`, a tab or a carriage return gets a leading apostrophe (OWASP's advice).
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        Cow::Owned(format!("'{s}"))
    } else {
        Cow::Borrowed(s)
    }
}

/// Text for a Markdown line that must stay a plain paragraph or table cell: a line that
/// would start a heading, quote, list or rule (`#`, `>`, `-`, `+`, `*`, `1.`, `1)`) gets its
/// first mark escaped with a backslash, on every line of `s`.
pub fn markdown_text(s: &str) -> Cow<'_, str> {
    fn risky(line: &str) -> Option<usize> {
        let t = line.trim_start_matches(' ');
        let lead = line.len() - t.len();
        let first = t.chars().next()?;
        if matches!(first, '#' | '>' | '-' | '+' | '*' | '=' | '|' | '~' | '`') {
            return Some(lead);
        }
        let digits = t.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && matches!(t[digits..].chars().next(), Some('.' | ')')) {
            return Some(lead + digits);
        }
        None
    }
    if !s.lines().any(|l| risky(l).is_some()) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match risky(line) {
            Some(at) => {
                out.push_str(&line[..at]);
                out.push('\\');
                out.push_str(&line[at..]);
            }
            None => out.push_str(line),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_escapes() {
        assert_eq!(terminal("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(terminal("a\u{1b}]52;c;x\u{7}b"), "a\\u{1b}]52;c;x\\u{7}b");
        assert_eq!(terminal("fake\rok:"), "fake\\u{d}ok:");
        assert_eq!(terminal("\u{9b}2J\u{202e}txt"), "\\u{9b}2J\\u{202e}txt");
        assert_eq!(one_line("two\nlines\there"), "two\\nlines\\there");
    }

    #[test]
    fn json_keeps_its_meaning() {
        let raw = serde_json::to_string(&"x\u{85}\u{202e}y\u{1b}").expect("json");
        let safe = json(raw);
        assert!(!safe.chars().any(is_unsafe), "{safe}");
        let back: String = serde_json::from_str(&safe).expect("reads");
        assert_eq!(back, "x\u{85}\u{202e}y\u{1b}");
    }

    #[test]
    fn spreadsheets_and_markdown_get_plain_text() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("Call the manager"), "Call the manager");
        assert_eq!(markdown_text("# Title"), "\\# Title");
        assert_eq!(markdown_text("1. one\n> two"), "1\\. one\n\\> two");
        assert_eq!(markdown_text("Plain - text"), "Plain - text");
    }
}
