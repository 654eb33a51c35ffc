//! What a remote terminal types, as keys: the bytes an SSH client sends for its pseudo
//! terminal (UTF-8 text, control characters, and the escape sequences of the common
//! terminals for arrows, pages, home/end, delete and back-tab). Unknown sequences are
//! skipped, never guessed; the bytes read from one message and the keys made of them are
//! bounded.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Bytes of one message looked at (the rest is dropped: nobody types this fast).
pub const MAX_BYTES: usize = 4096;

/// Keys made from one message.
pub const MAX_KEYS: usize = 256;

/// The keys in `bytes`.
pub fn keys(bytes: &[u8]) -> Vec<KeyEvent> {
    let b = &bytes[..bytes.len().min(MAX_BYTES)];
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() && out.len() < MAX_KEYS {
        let (key, used) = one(&b[i..]);
        i += used.max(1);
        if let Some(k) = key {
            out.push(k);
        }
    }
    out
}

#[allow(clippy::unnecessary_wraps)] // Every arm of the readers below gives an Option.
fn plain(code: KeyCode) -> Option<KeyEvent> {
    Some(KeyEvent::new(code, KeyModifiers::NONE))
}

/// The key at the start of `b`, and how many bytes it took.
fn one(b: &[u8]) -> (Option<KeyEvent>, usize) {
    match b[0] {
        0x1b => escape(b),
        b'\r' | b'\n' => (plain(KeyCode::Enter), 1),
        b'\t' => (plain(KeyCode::Tab), 1),
        0x7f | 0x08 => (plain(KeyCode::Backspace), 1),
        c @ 0x01..=0x1a => (
            Some(KeyEvent::new(
                KeyCode::Char(char::from(b'a' + c - 1)),
                KeyModifiers::CONTROL,
            )),
            1,
        ),
        0x00 | 0x1c..=0x1f => (None, 1),
        _ => text(b),
    }
}

/// One UTF-8 character, or one byte skipped when it is not the start of one.
fn text(b: &[u8]) -> (Option<KeyEvent>, usize) {
    let len = match b[0] {
        0x00..=0x7f => 1,
        0xc2..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf4 => 4,
        _ => return (None, 1),
    };
    let Some(bytes) = b.get(..len) else {
        return (None, b.len());
    };
    match std::str::from_utf8(bytes)
        .ok()
        .and_then(|s| s.chars().next())
    {
        Some(c) if !c.is_control() => (plain(KeyCode::Char(c)), len),
        _ => (None, 1),
    }
}

/// An escape sequence: `ESC [ …` (CSI) or `ESC O x` (SS3); a lone escape is the Esc key,
/// and escape before a character is Alt with it (read as the character).
fn escape(b: &[u8]) -> (Option<KeyEvent>, usize) {
    match b.get(1) {
        Some(b'[') => csi(b),
        Some(b'O') if b.len() > 2 => (ss3(b[2]), 3),
        _ => (plain(KeyCode::Esc), 1),
    }
}

fn ss3(c: u8) -> Option<KeyEvent> {
    match c {
        b'A' => plain(KeyCode::Up),
        b'B' => plain(KeyCode::Down),
        b'C' => plain(KeyCode::Right),
        b'D' => plain(KeyCode::Left),
        b'H' => plain(KeyCode::Home),
        b'F' => plain(KeyCode::End),
        b'P' => plain(KeyCode::F(1)),
        b'Q' => plain(KeyCode::F(2)),
        b'R' => plain(KeyCode::F(3)),
        b'S' => plain(KeyCode::F(4)),
        _ => None,
    }
}

/// `ESC [`, parameters (at most 16 bytes for a key) and a final byte.
fn csi(b: &[u8]) -> (Option<KeyEvent>, usize) {
    let mut end = 2;
    // Parameter and intermediate bytes, then a final byte; a sequence longer than any key's
    // is skipped whole.
    while end < b.len() && (0x20..=0x3f).contains(&b[end]) {
        end += 1;
    }
    let Some(&last) = b.get(end) else {
        // Cut short: skip what there is.
        return (None, b.len());
    };
    if !(0x40..=0x7e).contains(&last) {
        return (None, end + 1);
    }
    if end > 18 {
        return (None, end + 1);
    }
    let params = std::str::from_utf8(&b[2..end]).unwrap_or("");
    let first: u32 = params
        .split(';')
        .next()
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let key = match last {
        b'A' => plain(KeyCode::Up),
        b'B' => plain(KeyCode::Down),
        b'C' => plain(KeyCode::Right),
        b'D' => plain(KeyCode::Left),
        b'H' => plain(KeyCode::Home),
        b'F' => plain(KeyCode::End),
        b'Z' => Some(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)),
        b'~' => match first {
            1 | 7 => plain(KeyCode::Home),
            2 => plain(KeyCode::Insert),
            3 => plain(KeyCode::Delete),
            4 | 8 => plain(KeyCode::End),
            5 => plain(KeyCode::PageUp),
            6 => plain(KeyCode::PageDown),
            _ => None,
        },
        _ => None,
    };
    (key, end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(b: &[u8]) -> Vec<KeyCode> {
        keys(b).into_iter().map(|k| k.code).collect()
    }

    #[test]
    fn text_controls_and_sequences() {
        assert_eq!(
            codes(b"a1\r\t\x7f"),
            [
                KeyCode::Char('a'),
                KeyCode::Char('1'),
                KeyCode::Enter,
                KeyCode::Tab,
                KeyCode::Backspace
            ]
        );
        assert_eq!(
            codes(b"\x1b[A\x1b[B\x1bOC\x1b[5~\x1b[6~\x1b[3~\x1b[Z"),
            [
                KeyCode::Up,
                KeyCode::Down,
                KeyCode::Right,
                KeyCode::PageUp,
                KeyCode::PageDown,
                KeyCode::Delete,
                KeyCode::BackTab
            ]
        );
        assert_eq!(codes(b"\x1b"), [KeyCode::Esc]);
        assert_eq!(
            codes("é€".as_bytes()),
            [KeyCode::Char('é'), KeyCode::Char('€')]
        );
        let c = keys(b"\x03");
        assert_eq!(c[0].code, KeyCode::Char('c'));
        assert_eq!(c[0].modifiers, KeyModifiers::CONTROL);
    }

    #[test]
    fn garbage_makes_no_key_it_does_not_mean_and_is_bounded() {
        assert!(codes(b"\x1b[99999999999999999999999999x").is_empty());
        assert!(codes(b"\xff\xfe\xc0\x80\x00").is_empty());
        assert!(codes(b"\x1b[").is_empty());
        assert!(codes(&[0xe2, 0x82]).is_empty());
        assert_eq!(keys(&vec![b'x'; 100_000]).len(), MAX_KEYS);
        // Every byte string is read without a panic.
        for a in 0..=255u8 {
            for b in [0u8, 0x1b, b'[', b'O', b'~', 0xe2, 0xff] {
                let _ = keys(&[a, b, a]);
                let _ = keys(&[0x1b, a, b]);
                let _ = keys(&[0x1b, b'[', a, b]);
            }
        }
    }
}
