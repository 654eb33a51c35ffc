//! Scenario files: RON text → validated [`crate::engine::Scenario`], with every problem
//! reported at once as a `file:line:col` diagnostic. Also the scenarios bundled into the
//! binary. Depends on the engine's model only.

pub mod bundled;
mod compile;
pub mod diagnostic;
mod fanout;
pub mod fast;
pub mod locate;
pub mod locator;
pub mod msel;
pub mod raw;
mod visibility;

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::engine::Scenario;
use crate::engine::hash::fnv1a64;

pub use compile::{FORMAT, limits};
pub use diagnostic::{Diagnostic, Severity, render_all};

use locate::{Doc, LineIndex, NodeKind};
use raw::RawScenario;

/// The largest scenario file the loader reads.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Files at least this large have their content hash computed beside the parse.
const PARALLEL_HASH_BYTES: usize = 256 * 1024;

/// A scenario that loaded, with any warnings about it.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub scenario: Arc<Scenario>,
    pub warnings: Vec<Diagnostic>,
}

/// Loading failed: every diagnostic found (errors, and warnings beside them).
#[derive(Debug, Clone)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Display for Failed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&render_all(&self.diagnostics))
    }
}

impl std::error::Error for Failed {}

fn ron_options() -> ron::Options {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .with_recursion_limit(128)
}

fn whole_file(file: &str, message: String, help: Option<String>) -> Diagnostic {
    Diagnostic::error(file, (1, 1), message, help, "")
}

fn at_offset(
    file: &str,
    text: &str,
    offset: usize,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let lines = LineIndex::new(text);
    let (line, col) = lines.line_col(text, offset);
    Diagnostic::error(file, (line, col), message, help, lines.line(text, line))
}

/// Turns ron's error into a diagnostic; `base` is the byte offset of the parsed slice.
fn from_ron(
    file: &str,
    text: &str,
    lines: &LineIndex,
    base: usize,
    err: &ron::error::SpannedError,
) -> Diagnostic {
    let (base_line, base_col) = lines.line_col(text, base);
    let p = err.span.start;
    let line = base_line + p.line.saturating_sub(1);
    let col = if p.line <= 1 {
        base_col + p.col.saturating_sub(1)
    } else {
        p.col
    };
    let (message, help) = ron_message(&err.code);
    let source_line = lines.line(text, line);
    // ron may point at the white space before a bad value; the caret belongs on the value.
    let col = source_line
        .chars()
        .enumerate()
        .skip(col.saturating_sub(1))
        .find(|(_, c)| !c.is_whitespace())
        .map_or(col, |(i, _)| i + 1);
    if matches!(err.code, ron::Error::ExpectedComma)
        && let Some(d) = comma_cause(file, text, lines, (line, col))
    {
        return d;
    }
    Diagnostic::error(file, (line, col), message, help, source_line)
}

/// What a missing comma usually is: a decimal number where a whole one belongs (the caret
/// on its point), or a text not closed on its line (the parser read on to the next quote).
fn comma_cause(
    file: &str,
    text: &str,
    lines: &LineIndex,
    (line, col): (usize, usize),
) -> Option<Diagnostic> {
    let at = lines.offset(text, (line, col));
    let bytes = text.as_bytes();
    let digit = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_digit);
    if bytes.get(at) == Some(&b'.') && at > 0 && digit(at - 1) && digit(at + 1) {
        let start = (0..at).rev().take_while(|i| digit(*i)).last().unwrap_or(at);
        let end = (at + 1..bytes.len())
            .take_while(|i| digit(*i))
            .last()
            .unwrap_or(at)
            + 1;
        let number = &text[start..end];
        let (l, c) = lines.line_col(text, start);
        return Some(Diagnostic::error(
            file,
            (l, c),
            format!("`{number}` is a decimal number: this field takes a whole number"),
            Some(format!(
                "write it without a decimal point, e.g. `{}`",
                &text[start..at]
            )),
            lines.line(text, l),
        ));
    }
    // The text before the error: a closing quote whose text spans a line end.
    let before = text.get(..at)?.trim_end();
    let close = before.len().checked_sub(1).filter(|i| bytes[*i] == b'"')?;
    let open = text[..close].rfind('"')?;
    if !text[open..close].contains('\n') {
        return None;
    }
    let (l, c) = lines.line_col(text, open);
    Some(Diagnostic::error(
        file,
        (l, c),
        "this text is not closed on its line".to_owned(),
        Some("add the closing `\"` at the end of the text (the next line's text was read as part of it)".to_owned()),
        lines.line(text, l),
    ))
}

/// The facilitator's name for a type behind the RON (`RawCond` → condition).
fn plain(name: &str) -> String {
    match name.strip_prefix("Raw").unwrap_or(name) {
        "Cond" => "condition".to_owned(),
        "Effect" => "effect".to_owned(),
        "Delay" => "delay".to_owned(),
        "Mark" => "moment".to_owned(),
        "Draw" => "draw".to_owned(),
        "Rating" => "rating".to_owned(),
        "WithoutAuthority" => "without_authority".to_owned(),
        other => other.to_owned(),
    }
}

fn within(outer: Option<&String>, word: &str) -> String {
    outer
        .map(|o| format!(" {word} `{}`", plain(o)))
        .unwrap_or_default()
}

fn near_miss(found: &str, expected: &[&str]) -> Option<String> {
    diagnostic::suggest(found, expected.iter().copied())
        .map(|s| format!("did you mean `{s}`?"))
        .or_else(|| Some(format!("expected one of: {}", expected.join(", "))))
}

fn ron_message(code: &ron::Error) -> (String, Option<String>) {
    use ron::Error as E;
    let pair = |m: &str, h: Option<&str>| (m.to_owned(), h.map(str::to_owned));
    match code {
        E::NoSuchStructField {
            expected,
            found,
            outer,
        } => (
            format!("unknown field `{found}`{}", within(outer.as_ref(), "in")),
            near_miss(found, expected),
        ),
        E::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => (
            format!(
                "unknown variant `{found}`{}",
                within(outer.as_ref(), "for a")
            ),
            near_miss(found, expected),
        ),
        E::MissingStructField { field, outer } => (
            format!("missing field `{field}`{}", within(outer.as_ref(), "in")),
            Some(format!("add `{field}: …` to this item")),
        ),
        E::DuplicateStructField { field, outer } => (
            format!(
                "field `{field}` given twice{}",
                within(outer.as_ref(), "in")
            ),
            Some("keep one of them".to_owned()),
        ),
        E::ExpectedDifferentStructName { expected, found } => (
            format!("expected `{}(…)`, found `{found}(…)`", plain(expected)),
            Some(format!("write `{}(` here", plain(expected))),
        ),
        E::ExceededRecursionLimit => pair(
            "nested too deeply",
            Some("conditions and effects may nest at most a few dozen levels"),
        ),
        E::ExpectedComma => pair(
            "expected `,` (or a closing bracket)",
            Some(
                "items and fields are separated by commas; check the end of the previous item, and that every `(`, `[` and `\"` before it is closed",
            ),
        ),
        E::IntegerOutOfBounds => pair(
            "number out of range for this field",
            Some(
                "minutes and counts are whole numbers of 0 or more; percentages 0 to 100; authority 0 to 255",
            ),
        ),
        E::ExpectedInteger => pair(
            "expected a whole number",
            Some("write digits without quotes or decimals, e.g. `10`"),
        ),
        E::ExpectedString => pair(
            "expected a text in double quotes",
            Some("e.g. `\"soc_analyst\"`"),
        ),
        E::ExpectedStringEnd => pair("this text is never closed", Some("add the closing `\"`")),
        E::Eof => pair(
            "the file ends too early",
            Some("something opened is never closed: a `(`, `[` or `\"`"),
        ),
        E::UnclosedBlockComment => pair("this `/*` comment is never closed", Some("add `*/`")),
        E::TrailingCharacters => pair(
            "text after the end of the scenario",
            Some("the file holds one `Scenario(...)`; remove what follows its closing `)`"),
        ),
        E::ExpectedMapColon => pair("expected `:` after the field name", None),
        E::ExpectedArray => pair("expected a list in `[` `]`", None),
        E::ExpectedArrayEnd => pair("expected `]` to close the list", None),
        E::ExpectedStructLike | E::ExpectedNamedStructLike(_) => pair(
            "expected `(`",
            Some("items are written `Name(field: value, …)`"),
        ),
        E::ExpectedStructLikeEnd => pair("expected `)` to close this item", None),
        other => (other.to_string(), None),
    }
}

/// Checks each item of the scenario's lists on its own, so that one run reports the type
/// errors of every item rather than only the first.
fn item_errors(file: &str, text: &str, doc: &Doc) -> Vec<Diagnostic> {
    fn check<'t, T: serde::Deserialize<'t>>(
        (file, text, lines): (&str, &'t str, &LineIndex),
        start: usize,
        end: usize,
        out: &mut Vec<Diagnostic>,
    ) {
        if let Err(e) = ron_options().from_str::<T>(&text[start..end]) {
            out.push(from_ron(file, text, lines, start, &e));
        }
    }
    let index = LineIndex::new(text);
    let src = (file, text, &index);
    let mut out = Vec::new();
    for (name, value) in doc.top_fields() {
        let node = &doc.nodes[*value];
        let NodeKind::Seq(items) = &node.kind else {
            if name == "threat" {
                check::<raw::RawThreat>(src, node.start, node.end, &mut out);
            }
            if name == "milestones" {
                check::<raw::RawMilestones>(src, node.start, node.end, &mut out);
            }
            continue;
        };
        for item in items {
            let n = &doc.nodes[*item];
            let (s, e) = (n.start, n.end);
            match name.as_str() {
                "objectives" => check::<raw::RawObjective>(src, s, e, &mut out),
                "roles" => check::<raw::RawRole>(src, s, e, &mut out),
                "variables" => check::<raw::RawVariable>(src, s, e, &mut out),
                "draws" => check::<raw::RawDraw>(src, s, e, &mut out),
                "injects" => check::<raw::RawInject>(src, s, e, &mut out),
                "actions" => check::<raw::RawAction>(src, s, e, &mut out),
                "slas" => check::<raw::RawSla>(src, s, e, &mut out),
                "endings" => check::<raw::RawEnding>(src, s, e, &mut out),
                "rubric" => check::<raw::RawCriterion>(src, s, e, &mut out),
                "bots" => check::<raw::RawBot>(src, s, e, &mut out),
                _ => {}
            }
        }
    }
    out
}

/// Reads any RON document (a theme, a key map) into `T`, with the loader's diagnostics on
/// failure: the same `file:line:col` form and wording as for scenarios.
pub fn parse_ron<T: DeserializeOwned>(file: &str, text: &str) -> Result<T, Vec<Diagnostic>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![whole_file(file, "the file is too large".into(), None)]);
    }
    ron_options()
        .from_str(text)
        .map_err(|e| vec![from_ron(file, text, &LineIndex::new(text), 0, &e)])
}

/// Reads `text` with ron and the loader's options, without diagnostics: the reference the
/// fast reader is tested against.
pub fn parse_with_ron<'t, T: serde::Deserialize<'t>>(
    text: &'t str,
) -> Result<T, ron::error::SpannedError> {
    ron_options().from_str(text)
}

/// A located error about a value found in `text` (for checks after parsing).
pub fn error_at(
    file: &str,
    text: &str,
    needle: &str,
    message: String,
    help: Option<String>,
) -> Diagnostic {
    let offset = text.find(needle).unwrap_or(0);
    at_offset(file, text, offset, message, help)
}

/// Loads a scenario from its text. `file` names it in diagnostics.
pub fn load_str(file: &str, text: &str) -> Result<Loaded, Failed> {
    let fail = |d: Vec<Diagnostic>| Err(Failed { diagnostics: d });
    // A byte-order mark some editors write is not part of the scenario.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.len() as u64 > MAX_FILE_BYTES {
        return fail(vec![whole_file(
            file,
            format!(
                "the file is {} bytes; a scenario may be at most {MAX_FILE_BYTES}",
                text.len()
            ),
            None,
        )]);
    }
    // The fast path: a valid file in plain RON is read once, by the fast reader. Anything it
    // does not take is read by ron, and only when ron fails too is the text read again
    // structurally, for positions and for the reports item by item.
    // The content hash (which a journal checks the scenario against) is a serial byte loop:
    // on a large file it runs on the other core while the text is parsed.
    let (parsed, content_hash) = std::thread::scope(|s| {
        let hash =
            (text.len() >= PARALLEL_HASH_BYTES).then(|| s.spawn(|| fnv1a64(text.as_bytes())));
        let parsed = match fast::from_str::<RawScenario>(text) {
            Some(r) => Ok(r),
            None => ron_options().from_str::<RawScenario>(text),
        };
        let h = hash
            .and_then(|h| h.join().ok())
            .unwrap_or_else(|| fnv1a64(text.as_bytes()));
        (parsed, h)
    });
    let raw = match parsed {
        Ok(r) => r,
        Err(e) => return fail(parse_failure(file, text, &e)),
    };
    let mut c = compile::Compiler::new(file, text);
    let built = c.compile(&raw, content_hash);
    let mut diags = c.diags;
    diags.sort_by_key(|d| (d.line, d.col));
    match built {
        Some(s) => Ok(Loaded {
            scenario: Arc::new(s),
            warnings: diags,
        }),
        None => fail(diags),
    }
}

/// The diagnostics of a file that ron could not read: a structural error first, then a
/// format version from elsewhere, then every item's type errors.
fn parse_failure(file: &str, text: &str, e: &ron::error::SpannedError) -> Vec<Diagnostic> {
    let doc = match Doc::parse(text) {
        Ok(d) => d,
        Err(se) => {
            // ron's own message, where it has one, is the reference for syntax.
            let d = match ron_options().from_str::<ron::Value>(text) {
                Err(re) if !matches!(re.code, ron::Error::ExceededRecursionLimit) => {
                    from_ron(file, text, &LineIndex::new(text), 0, &re)
                }
                _ => at_offset(file, text, se.offset, se.message, None),
            };
            return vec![d];
        }
    };
    // The format version first: a file written for another format gets that one message.
    if let Some((_, v)) = doc.top_fields().iter().find(|(k, _)| k == "format") {
        let n = &doc.nodes[*v];
        let raw = text[n.start..n.end].trim();
        if raw != compile::FORMAT.to_string() {
            return vec![at_offset(
                file,
                text,
                n.start,
                format!(
                    "unsupported scenario format `{raw}`; this ttx reads format {}",
                    compile::FORMAT
                ),
                Some("see docs/scenario-format.md for what changed".into()),
            )];
        }
    }
    let whole = from_ron(file, text, &LineIndex::new(text), 0, e);
    let mut diags = item_errors(file, text, &doc);
    if !diags
        .iter()
        .any(|d| d.line == whole.line && d.col == whole.col)
    {
        diags.push(whole);
    }
    diags.sort_by_key(|d| (d.line, d.col));
    diags.dedup();
    diags
}

/// Loads a scenario file from disk (refusing oversized files before reading them).
pub fn load_file(path: &Path) -> Result<Loaded, Failed> {
    let text = read_file(path)?;
    load_str(&path.display().to_string(), &text)
}

/// What says a file changed: its modification time and length (`None`: it cannot be read
/// now, say while an editor replaces it). `--watch` polls it.
pub fn file_stamp(path: &Path) -> Option<(std::time::SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// Reads a scenario file's text, with the loader's diagnostics for a file that is missing,
/// too large or not UTF-8.
pub fn read_file(path: &Path) -> Result<String, Failed> {
    let name = path.display().to_string();
    let fail = |message: String| Failed {
        diagnostics: vec![whole_file(&name, message, None)],
    };
    let bytes = read_capped(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::TooLarge { size } => fail(format!(
            "the file is {size} bytes; a scenario may be at most {MAX_FILE_BYTES}"
        )),
        other => fail(format!("cannot read the file: {other}")),
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "the file is not UTF-8 text (bad byte at offset {})",
            e.utf8_error().valid_up_to()
        ))
    })?;
    Ok(text)
}

/// Why a file ttx was given could not be read.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    /// A device, a pipe, a folder: ttx reads only regular files, so a name like
    /// `/dev/zero` or a FIFO in a journal can neither feed it without end nor block it.
    NotAFile,
    TooLarge {
        size: u64,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "{e}"),
            ReadError::NotAFile => write!(f, "it is not a regular file"),
            ReadError::TooLarge { size } => write!(f, "it is {size} bytes, over the limit"),
        }
    }
}

impl std::error::Error for ReadError {}

/// Reads a regular file of at most `limit` bytes, whatever its size claims: the one way
/// ttx reads a file it was given or a journal names (scenarios, journals, scripts, themes,
/// key maps).
pub fn read_capped(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    use std::io::Read as _;
    // Looked at before opening: opening a FIFO would wait for a writer.
    let meta = std::fs::metadata(path).map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { size: meta.len() });
    }
    let file = std::fs::File::open(path).map_err(ReadError::Io)?;
    if !file.metadata().map_err(ReadError::Io)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge {
            size: bytes.len() as u64,
        });
    }
    Ok(bytes)
}

/// [`read_capped`] for a text file (UTF-8).
pub fn read_text_capped(path: &Path, limit: u64) -> Result<String, ReadError> {
    let bytes = read_capped(path, limit)?;
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "it is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        ))
    })
}
