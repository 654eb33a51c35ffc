//! Reading a journal back, with its recovery rules:
//!
//! - a last line cut short (no `\n`) or whose checksum fails is a torn write (power lost
//!   mid-append): the journal is recovered up to the record before it, with a [`Torn`]
//!   notice for the caller to show;
//! - any other bad line (a damaged or out-of-order record in the middle, an unknown command)
//!   is corruption: an error naming the record, its line and its byte offset;
//! - an unknown format version, a header that is not a ttx journal's, an empty or oversized
//!   file: an error saying so.
//!
//! Nothing here panics on any input (`tests/journal.rs` fuzzes it).

use super::record::{FORMAT_VERSION, Header, LineDamage, Record, verify_line};

/// A journal larger than this is refused before it is read: a real session stays far
/// below it (about 90 bytes a record; see docs/journal.md).
pub const MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A line longer than this is damage, not a record.
pub const MAX_LINE: usize = 1024 * 1024;

/// A decoded journal: the header, the complete records, and what was dropped at the end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journal {
    pub header: Header,
    pub records: Vec<Record>,
    /// The torn last line that was dropped, if any.
    pub torn: Option<Torn>,
    /// Bytes up to the end of the last complete record: where appending continues.
    pub valid_len: u64,
}

impl Journal {
    /// The pacing in force at the journal's end: the last one a record changed to, else
    /// the header's.
    pub fn pacing(&self) -> Option<crate::journal::record::Pacing> {
        self.records
            .iter()
            .rev()
            .find_map(|r| r.pacing)
            .or(self.header.pacing)
    }
}

/// A last record cut short by an interrupted write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Torn {
    /// The number the torn record would have had.
    pub record: u64,
    /// Its byte offset in the file.
    pub offset: u64,
    /// How many bytes of it were there.
    pub len: u64,
    pub why: String,
}

impl std::fmt::Display for Torn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the last record (record {}, {} bytes at byte offset {}) was cut short by an interrupted write ({}); recovered the {} complete record{} before it",
            self.record,
            self.len,
            self.offset,
            self.why,
            self.record - 1,
            if self.record == 2 { "" } else { "s" }
        )
    }
}

/// Why a journal cannot be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum JournalError {
    #[error("the journal is empty")]
    Empty,
    #[error(
        "the journal is {size} bytes, over the limit of {limit} bytes: it is damaged or not a ttx journal"
    )]
    TooLarge { size: u64, limit: u64 },
    #[error(
        "the journal's header (line 1) was cut short before it was complete: the session never recorded a command"
    )]
    TornHeader,
    #[error("line 1 is not a ttx journal header: {0}")]
    NotAJournal(String),
    #[error(
        "the journal is in format version {found}, which this ttx (reading version {FORMAT_VERSION}) does not know; it was written by ttx {engine}"
    )]
    UnknownVersion { found: u64, engine: String },
    #[error("the journal's header (line 1) is corrupt: {0}")]
    CorruptHeader(String),
    #[error("record {record} (line {line}, byte offset {offset}) is corrupt: {why}")]
    Corrupt {
        record: u64,
        line: u64,
        offset: u64,
        why: String,
    },
}

/// A line that cannot be a record: damaged bytes (which at the end of the file mean a torn
/// write) or a well-formed line saying something wrong (always corruption).
enum Bad {
    Damaged(String),
    Invalid(String),
}

fn record_line(bytes: &[u8], expected: u64) -> Result<Record, Bad> {
    // ttx never writes such a line. One whose checksum holds was written whole by
    // something else: corruption, never dropped as a torn write.
    if bytes.len() > MAX_LINE {
        let why = format!(
            "the line is {} bytes long, over the limit of {MAX_LINE}",
            bytes.len()
        );
        let whole = std::str::from_utf8(bytes).is_ok_and(|t| verify_line(t).is_ok());
        return Err(if whole {
            Bad::Invalid(why)
        } else {
            Bad::Damaged(why)
        });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| Bad::Damaged("the line is not valid UTF-8".into()))?;
    if text.is_empty() {
        return Err(Bad::Damaged("the line is empty".into()));
    }
    let body = verify_line(text).map_err(|d: LineDamage| Bad::Damaged(d.to_string()))?;
    let rec: Record = serde_json::from_str(&body).map_err(|e| {
        Bad::Invalid(format!(
            "the checksum holds but the record does not read: {e}"
        ))
    })?;
    if rec.n != expected {
        return Err(Bad::Invalid(format!(
            "it is numbered {}, but record {expected} belongs here (records out of order, missing or repeated)",
            rec.n
        )));
    }
    Ok(rec)
}

fn header_line(bytes: &[u8]) -> Result<Header, JournalError> {
    if bytes.len() > MAX_LINE {
        return Err(JournalError::NotAJournal(format!(
            "the line is {} bytes long",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|_| JournalError::NotAJournal("it is not valid UTF-8".into()))?;
    // The version first: a journal of another format gets one clear message.
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| JournalError::NotAJournal(format!("it is not JSON ({e})")))?;
    let Some(version) = value.get("ttx_journal") else {
        return Err(JournalError::NotAJournal(
            "it has no `ttx_journal` version field".into(),
        ));
    };
    let Some(found) = version.as_u64() else {
        return Err(JournalError::NotAJournal(format!(
            "its `ttx_journal` version is {version}, not a number"
        )));
    };
    if found != u64::from(FORMAT_VERSION) {
        let engine = value
            .get("engine")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("of unknown version")
            .chars()
            .take(40)
            .collect();
        return Err(JournalError::UnknownVersion { found, engine });
    }
    let body = verify_line(text).map_err(|d| JournalError::CorruptHeader(d.to_string()))?;
    serde_json::from_str(&body).map_err(|e| JournalError::CorruptHeader(e.to_string()))
}

/// True when a damaged last line holds more than one record's structure: not a write cut
/// short (which leaves a prefix of one line) but a damaged line break that merged a record
/// with the next. Neither `{"n":` nor `,"crc":` can occur inside a JSON string (its quotes
/// would be escaped), so each marks a record's start or checksum; and in a prefix of one
/// line, the `}` closing the checksum can only be the last byte.
fn runs_on(line: &[u8]) -> bool {
    const START: &[u8] = b"{\"n\":";
    const CRC: &[u8] = b",\"crc\":";
    let count = |pat: &[u8]| line.windows(pat.len()).filter(|w| *w == pat).count();
    if count(START) > 1 || count(CRC) > 1 {
        return true;
    }
    line.windows(CRC.len())
        .position(|w| w == CRC)
        .is_some_and(|i| {
            let digits_at = i + CRC.len();
            let digits = line[digits_at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            let close = digits_at + digits;
            digits > 0 && line.get(close) == Some(&b'}') && close + 1 < line.len()
        })
}

/// Reads a journal's bytes.
pub fn decode(bytes: &[u8]) -> Result<Journal, JournalError> {
    let size = bytes.len() as u64;
    if size > MAX_BYTES {
        return Err(JournalError::TooLarge {
            size,
            limit: MAX_BYTES,
        });
    }
    if bytes.is_empty() {
        return Err(JournalError::Empty);
    }
    // (offset, line without its `\n`, whether the `\n` was there)
    let mut lines: Vec<(usize, &[u8], bool)> = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        if let Some(i) = bytes[start..].iter().position(|b| *b == b'\n') {
            lines.push((start, &bytes[start..start + i], true));
            start += i + 1;
        } else {
            lines.push((start, &bytes[start..], false));
            start = bytes.len();
        }
    }
    let Some(&(_, first, complete)) = lines.first() else {
        return Err(JournalError::Empty);
    };
    if !complete {
        return Err(JournalError::TornHeader);
    }
    let header = header_line(first)?;
    let mut records = Vec::with_capacity(lines.len().saturating_sub(1));
    let mut torn = None;
    let mut valid_len = lines.get(1).map_or(bytes.len(), |l| l.0) as u64;
    let last = lines.len() - 1;
    for (i, &(offset, line, complete)) in lines.iter().enumerate().skip(1) {
        let expected = i as u64;
        let got = if complete {
            record_line(line, expected)
        } else {
            Err(Bad::Damaged("the line has no end".into()))
        };
        match got {
            Ok(rec) => {
                records.push(rec);
                valid_len = (offset + line.len() + 1) as u64;
            }
            Err(Bad::Damaged(why)) if i == last && !runs_on(line) => {
                torn = Some(Torn {
                    record: expected,
                    offset: offset as u64,
                    len: line.len() as u64,
                    why,
                });
            }
            Err(Bad::Damaged(_)) if i == last => {
                return Err(JournalError::Corrupt {
                    record: expected,
                    line: expected + 1,
                    offset: offset as u64,
                    why: "its line break is damaged: the record runs on into the next one".into(),
                });
            }
            Err(Bad::Damaged(why) | Bad::Invalid(why)) => {
                return Err(JournalError::Corrupt {
                    record: expected,
                    line: expected + 1,
                    offset: offset as u64,
                    why,
                });
            }
        }
    }
    Ok(Journal {
        header,
        records,
        torn,
        valid_len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::command::{Command, Issued};
    use crate::engine::time::GameTime;
    use crate::journal::record::encode_line;

    fn header() -> Header {
        Header {
            ttx_journal: FORMAT_VERSION,
            engine: "0.1.0".into(),
            session: "s".into(),
            scenario: "dropper-0330".into(),
            content_hash: 42,
            scenario_source: "bundled:dropper-0330".into(),
            seed: 7,
            seats: Vec::new(),
            parent: None,
            started: "2026-11-28T19:00:00Z".into(),
            pacing: None,
            name: None,
        }
    }

    fn journal(n: u64) -> String {
        let mut s = encode_line(&header());
        for i in 1..=n {
            let rec = Record::new(
                i,
                GameTime(u32::try_from(i).unwrap_or(0)),
                &Issued::facilitator(Command::Tick { minutes: 1 }),
            );
            s.push_str(&encode_line(&rec));
        }
        s
    }

    #[test]
    fn a_whole_journal_reads_back() {
        let text = journal(3);
        let j = decode(text.as_bytes()).expect("reads");
        assert_eq!(j.records.len(), 3);
        assert_eq!(j.torn, None);
        assert_eq!(j.valid_len, text.len() as u64);
    }

    #[test]
    fn a_cut_last_line_is_recovered_with_a_notice() {
        let text = journal(3);
        let cut = &text.as_bytes()[..text.len() - 10];
        let j = decode(cut).expect("recovers");
        assert_eq!(j.records.len(), 2);
        let torn = j.torn.expect("notice");
        assert_eq!(torn.record, 3);
        assert!(
            torn.to_string()
                .contains("recovered the 2 complete records")
        );
        assert_eq!(
            &text.as_bytes()[..usize::try_from(j.valid_len).unwrap_or(0)],
            &cut[..usize::try_from(torn.offset).unwrap_or(0)]
        );
    }

    #[test]
    fn a_bad_middle_line_is_an_error_naming_it() {
        let text = journal(3);
        let second = text.lines().nth(2).expect("record 2").to_owned();
        let bad = text.replacen(&second, &second.replace("\"at\":2", "\"at\":5"), 1);
        let err = decode(bad.as_bytes()).expect_err("corrupt");
        let JournalError::Corrupt { record, line, .. } = &err else {
            panic!("{err}")
        };
        assert_eq!((*record, *line), (2, 3));
        assert!(err.to_string().contains("byte offset"));
    }

    #[test]
    fn swapped_records_are_corrupt_even_at_the_end() {
        let text = journal(3);
        let mut lines: Vec<&str> = text.lines().collect();
        lines.swap(2, 3);
        let swapped = lines.join("\n") + "\n";
        assert!(matches!(
            decode(swapped.as_bytes()),
            Err(JournalError::Corrupt { record: 2, .. })
        ));
    }

    #[test]
    fn a_damaged_line_break_is_not_a_torn_write() {
        let text = journal(3);
        let at = text.len() - 1 - text.lines().last().map_or(0, str::len) - 1;
        let mut bytes = text.into_bytes();
        bytes[at] = b'x';
        assert!(matches!(
            decode(&bytes),
            Err(JournalError::Corrupt { record: 2, .. })
        ));
    }

    #[test]
    fn another_version_is_named() {
        let text = journal(1).replacen("\"ttx_journal\":1", "\"ttx_journal\":9", 1);
        let err = decode(text.as_bytes()).expect_err("unknown");
        assert!(matches!(err, JournalError::UnknownVersion { found: 9, .. }));
        assert!(err.to_string().contains("version 9"));
        assert_eq!(decode(b""), Err(JournalError::Empty));
        assert_eq!(decode(b"{\"ttx_jour"), Err(JournalError::TornHeader));
        assert!(matches!(
            decode(b"hello\n"),
            Err(JournalError::NotAJournal(_))
        ));
    }
}
