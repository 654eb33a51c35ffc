//! Authoring diagnostics: where (`file:line:col`), how bad, what, and a hint; rendered like a
//! compiler's so a facilitator can jump to the line.
//!
//! The first line is the `file:line:col: error: …` form that editors and terminals
//! recognise; the rendering is a few lines written out here because the rustc-style
//! crates put the location on a second line.

use std::fmt::{self, Write as _};

use crate::untrusted::{one_line, terminal};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: String,
    pub line: usize,
    pub col: usize,
    /// How many characters the caret underlines (at least 1).
    pub len: usize,
    pub severity: Severity,
    pub message: String,
    /// Where in the scenario, as a field path (`injects[2].to[0]`); may be empty.
    pub path: String,
    pub help: Option<String>,
    /// The text of the line around the column, for the caret display: at most a window of
    /// [`EXCERPT_BEFORE`] + [`EXCERPT_AFTER`] characters, with control characters written
    /// as visible escapes (see [`excerpt`]).
    pub source_line: String,
    /// How many characters of `source_line` stand before the caret.
    pub caret: usize,
}

/// A source line up to this many characters is shown whole.
pub const EXCERPT_WHOLE: usize = 160;
/// Of a longer line, the characters shown before the column…
pub const EXCERPT_BEFORE: usize = 60;
/// …and from the column on.
pub const EXCERPT_AFTER: usize = 100;

/// How many diagnostics `render_all` shows before it counts the rest.
pub const RENDERED_AT_MOST: usize = 100;

/// The part of `line` a diagnostic shows: the whole line when it is short, else a window
/// around 1-based column `col` cut with `…` where the line goes on (a one-line file of a
/// megabyte is not copied into every diagnostic); every unsafe character escaped (a
/// scenario's text never reaches the terminal raw). Returns the shown text, the characters
/// before the caret and the caret's length, both counted in the shown text.
pub fn excerpt(line: &str, col: usize, len: usize) -> (String, usize, usize) {
    let at = col.saturating_sub(1);
    let short = line.len() <= EXCERPT_WHOLE || line.chars().nth(EXCERPT_WHOLE).is_none();
    let (first, after) = if short {
        (0, usize::MAX / 2)
    } else {
        (at.saturating_sub(EXCERPT_BEFORE), EXCERPT_AFTER)
    };
    let mut shown = String::new();
    let mut caret = 0;
    let mut caret_len = 0;
    if first > 0 {
        shown.push('…');
    }
    let mut reached = false;
    for (i, c) in line.chars().enumerate().skip(first) {
        if i >= at.saturating_add(after) {
            shown.push('…');
            break;
        }
        if i == at {
            caret = shown.chars().count();
            reached = true;
        }
        let piece = match c {
            '\t' => std::borrow::Cow::Borrowed(" "),
            c if crate::untrusted::is_unsafe(c) => {
                std::borrow::Cow::Owned(crate::untrusted::one_line(&c.to_string()).into_owned())
            }
            _ => std::borrow::Cow::Owned(c.to_string()),
        };
        if i >= at && i < at + len.max(1) {
            caret_len += piece.chars().count();
        }
        shown.push_str(&piece);
    }
    if !reached {
        caret = shown.chars().count();
    }
    (shown, caret, caret_len.max(1))
}

impl Diagnostic {
    /// An error at a line and column, with the text of that line for the caret.
    pub fn error(
        file: &str,
        (line, col): (usize, usize),
        message: String,
        help: Option<String>,
        source_line: &str,
    ) -> Diagnostic {
        let (shown, caret, len) = excerpt(source_line, col, 1);
        Diagnostic {
            file: file.to_owned(),
            line,
            col,
            len,
            severity: Severity::Error,
            message,
            path: String::new(),
            help,
            source_line: shown,
            caret,
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(
            f,
            "{}:{}:{}: {sev}: {}",
            one_line(&self.file),
            self.line,
            self.col,
            one_line(&self.message)
        )?;
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        if !self.source_line.is_empty() {
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {}", one_line(&self.source_line))?;
            let mut caret = String::new();
            let _ = write!(
                caret,
                "{}{}",
                " ".repeat(self.caret),
                "^".repeat(self.len.max(1))
            );
            writeln!(f, "{pad} | {caret}")?;
        }
        if !self.path.is_empty() {
            writeln!(f, "{pad} = in: {}", one_line(&self.path))?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {}", terminal(help))?;
        }
        Ok(())
    }
}

/// Renders many diagnostics, with a closing count line: the first
/// [`RENDERED_AT_MOST`], then how many more there are.
pub fn render_all(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags.iter().take(RENDERED_AT_MOST) {
        let _ = writeln!(out, "{d}");
    }
    if diags.len() > RENDERED_AT_MOST {
        let _ = writeln!(
            out,
            "… and {} more (fix these first; `ttx check` shows the first {RENDERED_AT_MOST})\n",
            diags.len() - RENDERED_AT_MOST
        );
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    if errors > 0 || warnings > 0 {
        let _ = writeln!(
            out,
            "{} error{}, {} warning{}",
            errors,
            if errors == 1 { "" } else { "s" },
            warnings,
            if warnings == 1 { "" } else { "s" }
        );
    }
    out
}

/// The closest candidate to a misspelt name, if it is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for c in candidates {
        let score = strsim::jaro_winkler(name, c);
        if score > best.map_or(0.0, |b| b.0) {
            best = Some((score, c));
        }
    }
    best.filter(|(s, _)| *s >= 0.8).map(|(_, c)| c.to_owned())
}
