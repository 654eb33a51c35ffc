//! Authoring diagnostics: where (`file:line:col`), how bad, what, and a hint; rendered like a
//! compiler's so a facilitator can jump to the line.
//!
//! The first line is the `file:line:col: error: …` form that editors and terminals
//! recognise; the rendering is a few lines written out here because the rustc-style
//! crates put the location on a second line.

use std::fmt::{self, Write as _};

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
    /// The text of the line, for the caret display.
    pub source_line: String,
}

impl Diagnostic {
    /// An error at a line and column, with the text of that line for the caret.
    pub fn error(
        file: &str,
        (line, col): (usize, usize),
        message: String,
        help: Option<String>,
        source_line: String,
    ) -> Diagnostic {
        Diagnostic {
            file: file.to_owned(),
            line,
            col,
            len: 1,
            severity: Severity::Error,
            message,
            path: String::new(),
            help,
            source_line,
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
            self.file, self.line, self.col, self.message
        )?;
        let num = self.line.to_string();
        let pad = " ".repeat(num.len());
        if !self.source_line.is_empty() {
            let shown: String = self.source_line.replace('\t', " ");
            writeln!(f, "{pad} |")?;
            writeln!(f, "{num} | {shown}")?;
            let mut caret = String::new();
            let _ = write!(
                caret,
                "{}{}",
                " ".repeat(self.col.saturating_sub(1)),
                "^".repeat(self.len.max(1))
            );
            writeln!(f, "{pad} | {caret}")?;
        }
        if !self.path.is_empty() {
            writeln!(f, "{pad} = in: {}", self.path)?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// Renders many diagnostics, with a closing count line.
pub fn render_all(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diags {
        let _ = writeln!(out, "{d}");
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
