//! Diagnostics at a place in a scenario's text, named by a path of fields and positions
//! (`injects[2].when`): the compiler's checks and the linter's warnings point the same way.
//! The text is read for positions only when the first diagnostic needs one.

use std::cell::OnceCell;

use super::diagnostic::{Diagnostic, Severity, excerpt};
use super::locate::{Doc, LineIndex, Node, NodeKind, Seg};

/// Places in one file's text.
pub struct Locator<'t> {
    file: &'t str,
    text: &'t str,
    doc: OnceCell<Option<Doc>>,
    lines: OnceCell<LineIndex>,
}

impl<'t> Locator<'t> {
    pub fn new(file: &'t str, text: &'t str) -> Self {
        Locator {
            file,
            text,
            doc: OnceCell::new(),
            lines: OnceCell::new(),
        }
    }

    /// The node a path leads to (as far as it exists; the file's start when the text cannot
    /// be read structurally).
    pub fn node(&self, segs: &[Seg]) -> Node {
        let doc = self.doc.get_or_init(|| Doc::parse(self.text).ok());
        doc.as_ref().map_or(
            Node {
                start: 0,
                end: 0,
                kind: NodeKind::Atom,
            },
            |d| d.find(segs).0.clone(),
        )
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(self.text))
    }

    /// The line and column where the value at `segs` begins.
    pub fn line_col(&self, segs: &[Seg]) -> (usize, usize) {
        self.lines().line_col(self.text, self.node(segs).start)
    }

    /// A diagnostic at the value `segs` leads to, its caret under the value (a single token
    /// whole, a longer item by its name).
    pub fn diagnostic(
        &self,
        severity: Severity,
        segs: &[Seg],
        message: String,
        help: Option<String>,
    ) -> Diagnostic {
        let node = self.node(segs);
        let lines = self.lines();
        let (line, col) = lines.line_col(self.text, node.start);
        let full_line = lines.line(self.text, line);
        let span = &self.text[node.start..node.end.min(self.text.len())];
        let len = match node.kind {
            NodeKind::Atom if !span.contains('\n') => span.chars().count(),
            _ => span
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .count()
                .max(1),
        };
        let (source_line, caret, len) = excerpt(full_line, col, len);
        Diagnostic {
            file: self.file.to_owned(),
            line,
            col,
            len,
            severity,
            message,
            path: path_string(segs),
            help,
            source_line,
            caret,
        }
    }
}

/// A path as a facilitator reads it: `injects[2].to[0]`.
pub fn path_string(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Field(f) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(f);
            }
            Seg::Index(i) => {
                s.push('[');
                s.push_str(&i.to_string());
                s.push(']');
            }
        }
    }
    s
}
