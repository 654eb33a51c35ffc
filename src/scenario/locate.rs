//! A small structural reader of RON text that records where every value sits, so that a
//! problem found after deserialising (a dangling reference, a duplicate id) can point at
//! the line and column of the value it concerns. It checks structure only (brackets,
//! strings, commas), bounded in depth, and never evaluates anything.

/// Deepest nesting the loader accepts, in brackets of any kind.
pub const MAX_DEPTH: usize = 64;

/// One step of a path into the document: a struct field or a list / tuple position.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Seg {
    Field(&'static str),
    Index(usize),
}

/// Where a value sits in the text (byte offsets, end exclusive).
#[derive(Clone, Debug)]
pub struct Node {
    pub start: usize,
    pub end: usize,
    pub kind: NodeKind,
}

#[derive(Clone, Debug)]
pub enum NodeKind {
    /// A string, number, identifier or other single token.
    Atom,
    /// `[a, b]` or `Name(a, b)`.
    Seq(Vec<usize>),
    /// `Name(field: value, …)`.
    Struct(Vec<(String, usize)>),
    /// `{k: v, …}`.
    Map(Vec<(usize, usize)>),
}

/// The located document.
#[derive(Debug)]
pub struct Doc {
    pub nodes: Vec<Node>,
    pub root: usize,
}

/// A structural error: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

impl Doc {
    pub fn parse(text: &str) -> Result<Doc, SyntaxError> {
        let mut p = Parser {
            s: text.as_bytes(),
            pos: 0,
            nodes: Vec::new(),
            depth: 0,
        };
        p.skip_trivia()?;
        p.skip_attributes()?;
        let root = p.value()?;
        p.skip_trivia()?;
        if p.pos < p.s.len() {
            return Err(p.err("unexpected text after the end of the scenario"));
        }
        Ok(Doc {
            nodes: p.nodes,
            root,
        })
    }

    /// The node a path leads to, as far as it can be followed, and whether it was followed
    /// to the end.
    pub fn find(&self, path: &[Seg]) -> (&Node, bool) {
        let mut cur = self.root;
        for seg in path {
            let node = &self.nodes[cur];
            let next = match (seg, &node.kind) {
                (Seg::Field(f), NodeKind::Struct(fields)) => {
                    fields.iter().find(|(k, _)| k == f).map(|(_, v)| *v)
                }
                (Seg::Index(i), NodeKind::Seq(items)) => items.get(*i).copied(),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => return (&self.nodes[cur], false),
            }
        }
        (&self.nodes[cur], true)
    }

    /// The top-level fields and their value nodes.
    pub fn top_fields(&self) -> &[(String, usize)] {
        match &self.nodes[self.root].kind {
            NodeKind::Struct(f) => f,
            _ => &[],
        }
    }
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    nodes: Vec<Node>,
    depth: usize,
}

impl Parser<'_> {
    fn err(&self, message: &str) -> SyntaxError {
        SyntaxError {
            offset: self.pos.min(self.s.len()),
            message: message.to_owned(),
        }
    }

    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_trivia(&mut self) -> Result<(), SyntaxError> {
        loop {
            match self.peek() {
                Some(b' ' | b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'*') => {
                    let start = self.pos;
                    self.pos += 2;
                    let mut level = 1usize;
                    while level > 0 {
                        match (self.peek(), self.s.get(self.pos + 1)) {
                            (None, _) => {
                                self.pos = start;
                                return Err(self.err("unterminated block comment"));
                            }
                            (Some(b'*'), Some(b'/')) => {
                                level -= 1;
                                self.pos += 2;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                level += 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return Ok(()),
            }
        }
    }

    /// `#![enable(implicit_some)]` and the like, before the value.
    fn skip_attributes(&mut self) -> Result<(), SyntaxError> {
        while self.peek() == Some(b'#') {
            while let Some(c) = self.peek() {
                self.pos += 1;
                if c == b']' {
                    break;
                }
            }
            self.skip_trivia()?;
        }
        Ok(())
    }

    fn push(&mut self, start: usize, kind: NodeKind) -> usize {
        self.nodes.push(Node {
            start,
            end: self.pos,
            kind,
        });
        self.nodes.len() - 1
    }

    fn is_ident_start(c: u8) -> bool {
        c.is_ascii_alphabetic() || c == b'_'
    }

    fn is_ident_char(c: u8) -> bool {
        c.is_ascii_alphanumeric() || c == b'_'
    }

    fn ident(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(Self::is_ident_char) {
            self.pos += 1;
        }
        start
    }

    fn value(&mut self) -> Result<usize, SyntaxError> {
        self.skip_trivia()?;
        let start = self.pos;
        let Some(c) = self.peek() else {
            return Err(self.err("expected a value, found the end of the file"));
        };
        match c {
            b'"' => {
                self.string()?;
                Ok(self.push(start, NodeKind::Atom))
            }
            b'r' if matches!(self.s.get(self.pos + 1), Some(b'"' | b'#')) => {
                self.raw_string()?;
                Ok(self.push(start, NodeKind::Atom))
            }
            b'\'' => {
                self.pos += 1;
                if self.peek() == Some(b'\\') {
                    self.pos += 1;
                }
                // One character, possibly several bytes.
                self.pos += 1;
                while self.peek().is_some_and(|c| c & 0xC0 == 0x80) {
                    self.pos += 1;
                }
                if self.peek() != Some(b'\'') {
                    return Err(self.err("unterminated character literal"));
                }
                self.pos += 1;
                Ok(self.push(start, NodeKind::Atom))
            }
            b'[' => self.group(start, b']'),
            b'(' => self.group(start, b')'),
            b'{' => self.map(start),
            c if c.is_ascii_digit() || matches!(c, b'-' | b'+' | b'.') => {
                self.pos += 1;
                while self.peek().is_some_and(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'+' | b'-')
                }) {
                    self.pos += 1;
                }
                Ok(self.push(start, NodeKind::Atom))
            }
            c if Self::is_ident_start(c) => {
                self.ident();
                let after_ident = self.pos;
                self.skip_trivia()?;
                if self.peek() == Some(b'(') {
                    self.group(start, b')')
                } else {
                    self.pos = after_ident;
                    Ok(self.push(start, NodeKind::Atom))
                }
            }
            _ => Err(self.err("expected a value")),
        }
    }

    fn string(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    return Err(self.err("unterminated string"));
                }
                Some(b'\\') => self.pos += 2,
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Result<(), SyntaxError> {
        let start = self.pos;
        self.pos += 1;
        let mut hashes = 0;
        while self.peek() == Some(b'#') {
            hashes += 1;
            self.pos += 1;
        }
        if self.peek() != Some(b'"') {
            return Err(self.err("expected `\"` to open a raw string"));
        }
        self.pos += 1;
        loop {
            match self.peek() {
                None => {
                    self.pos = start;
                    return Err(self.err("unterminated raw string"));
                }
                Some(b'"') => {
                    self.pos += 1;
                    let mut n = 0;
                    while n < hashes && self.peek() == Some(b'#') {
                        n += 1;
                        self.pos += 1;
                    }
                    if n == hashes {
                        return Ok(());
                    }
                }
                Some(_) => self.pos += 1,
            }
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(&format!(
                "nested more than {MAX_DEPTH} levels deep; the loader stops here"
            )));
        }
        Ok(())
    }

    /// `(…)` or `[…]`, the opening bracket at `self.pos`; `start` may be earlier (a name).
    fn group(&mut self, start: usize, close: u8) -> Result<usize, SyntaxError> {
        self.enter()?;
        let open_at = self.pos;
        self.pos += 1;
        self.skip_trivia()?;
        let is_struct = close == b')' && self.looks_like_field();
        let mut items = Vec::new();
        let mut fields = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                None => {
                    self.pos = open_at;
                    return Err(self.err(&format!(
                        "this `{}` is never closed",
                        if close == b')' { '(' } else { '[' }
                    )));
                }
                Some(c) if c == close => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {}
            }
            if is_struct {
                if !self.peek().is_some_and(Self::is_ident_start) {
                    return Err(self.err("expected a field name"));
                }
                let key_start = self.ident();
                let key = String::from_utf8_lossy(&self.s[key_start..self.pos]).into_owned();
                self.skip_trivia()?;
                if self.peek() != Some(b':') {
                    return Err(self.err("expected `:` after the field name"));
                }
                self.pos += 1;
                let v = self.value()?;
                fields.push((key, v));
            } else {
                items.push(self.value()?);
            }
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                None => {}
                Some(_) => {
                    return Err(self.err(&format!("expected `,` or `{}`", char::from(close))));
                }
            }
        }
        self.depth -= 1;
        Ok(self.push(
            start,
            if is_struct {
                NodeKind::Struct(fields)
            } else {
                NodeKind::Seq(items)
            },
        ))
    }

    fn looks_like_field(&self) -> bool {
        let mut i = self.pos;
        if !self.s.get(i).copied().is_some_and(Self::is_ident_start) {
            return false;
        }
        while self.s.get(i).copied().is_some_and(Self::is_ident_char) {
            i += 1;
        }
        while matches!(self.s.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        self.s.get(i) == Some(&b':') && self.s.get(i + 1) != Some(&b':')
    }

    fn map(&mut self, start: usize) -> Result<usize, SyntaxError> {
        self.enter()?;
        let open_at = self.pos;
        self.pos += 1;
        let mut entries = Vec::new();
        loop {
            self.skip_trivia()?;
            match self.peek() {
                None => {
                    self.pos = open_at;
                    return Err(self.err("this `{` is never closed"));
                }
                Some(b'}') => {
                    self.pos += 1;
                    break;
                }
                Some(_) => {}
            }
            let k = self.value()?;
            self.skip_trivia()?;
            if self.peek() != Some(b':') {
                return Err(self.err("expected `:` after the map key"));
            }
            self.pos += 1;
            let v = self.value()?;
            entries.push((k, v));
            self.skip_trivia()?;
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') | None => {}
                Some(_) => return Err(self.err("expected `,` or `}`")),
            }
        }
        self.depth -= 1;
        Ok(self.push(start, NodeKind::Map(entries)))
    }
}

/// Line and column (both from 1; the column counts characters) of a byte offset.
#[allow(clippy::naive_bytecount)] // once per diagnostic; not worth a dependency
/// Where each line of a text starts: line and column of any offset, and the text of any
/// line, in O(log n) each, so a file with many diagnostics costs no more per diagnostic
/// than one with a few.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let col = String::from_utf8_lossy(&text.as_bytes()[start..offset])
            .chars()
            .count()
            + 1;
        (line, col)
    }

    /// The byte offset of a 1-based line and column (in characters).
    pub fn offset(&self, text: &str, (line, col): (usize, usize)) -> usize {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return text.len();
        };
        text.get(start..)
            .unwrap_or("")
            .char_indices()
            .nth(col.saturating_sub(1))
            .map_or(text.len(), |(i, _)| start + i)
    }

    /// The text of 1-based line `line`, without its line end ("" past the end).
    pub fn line<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let Some(&start) = self.starts.get(line.wrapping_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).map_or(text.len(), |e| e - 1);
        let l = text.get(start..end.max(start)).unwrap_or("");
        l.strip_suffix('\r').unwrap_or(l)
    }
}

/// The 1-based line and column of a byte offset (one look-up; for many, keep a
/// [`LineIndex`]).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    LineIndex::new(text).line_col(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_a_plain_count() {
        let text = "ab\nc\u{e9}d\r\n\nlast";
        let index = LineIndex::new(text);
        for offset in 0..=text.len() {
            if text.is_char_boundary(offset) {
                assert_eq!(
                    index.line_col(text, offset),
                    line_col(text, offset),
                    "{offset}"
                );
            }
        }
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            assert_eq!(index.line(text, i + 1), *l);
        }
        assert_eq!(index.line(text, 99), "");
    }

    #[test]
    fn finds_nested_values() {
        let text =
            "Scenario(\n  roles: [Role(id: \"a\"), Role(id: \"b\")],\n  x: Not(Is(\"v\")),\n)";
        let doc = Doc::parse(text).expect("parses");
        let (n, full) = doc.find(&[Seg::Field("roles"), Seg::Index(1), Seg::Field("id")]);
        assert!(full);
        assert_eq!(&text[n.start..n.end], "\"b\"");
        let (n, full) = doc.find(&[Seg::Field("x"), Seg::Index(0), Seg::Index(0)]);
        assert!(full);
        assert_eq!(&text[n.start..n.end], "\"v\"");
        assert_eq!(line_col(text, n.start), (3, 13));
    }

    #[test]
    fn reports_structure_errors_with_offsets() {
        let e = Doc::parse("Scenario(\n  a: [1, 2,\n").expect_err("unclosed");
        assert_eq!(line_col("Scenario(\n  a: [1, 2,\n", e.offset), (2, 6));
        assert!(Doc::parse("X(a: \"unterminated)").is_err());
        let deep = format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000));
        assert!(
            Doc::parse(&deep)
                .expect_err("too deep")
                .message
                .contains("nested")
        );
    }

    #[test]
    fn skips_comments_and_attributes() {
        let text = "#![enable(implicit_some)]\n// c\n/* a /* nested */ b */ X(a: r#\"raw \"q\"\"#, b: 'c')";
        assert!(Doc::parse(text).is_ok());
    }
}
