//! Join codes: what a participant types as their SSH user name to take a seat. Each code is
//! 12 characters of Crockford's base 32 (60 bits from the operating system's random
//! source), shown as `K7QF-M2XD-9PWA`; what is typed is read forgivingly (case, dashes,
//! spaces, `O` for `0`, `I`/`L` for `1`) and compared with every code in constant time.
//! The codes are kept beside the session's journal, readable by its owner only, so that a
//! resumed host honours the same codes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::engine::ids::Seat;

/// Crockford's base 32: digits and capitals without I, L, O and U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Characters in a code: 12 × 5 = 60 bits.
pub const CODE_CHARS: usize = 12;

/// The most characters of a user name looked at (anything longer is no code).
const MAX_TYPED: usize = 64;

/// What a code lets its holder do in its seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Access {
    /// Sees the seat's screen and acts for it.
    Play,
    /// Sees the seat's screen and cannot act.
    Watch,
}

/// One code: the seat it opens and how.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    /// The code as shown, `XXXX-XXXX-XXXX`.
    pub code: String,
    pub seat: Seat,
    pub access: Access,
    /// Revoked codes open nothing (a re-issued seat gets a new code; the old one is revoked).
    #[serde(default)]
    pub revoked: bool,
}

/// Every code of a hosted session.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Passes {
    pub passes: Vec<Pass>,
}

/// Fills a buffer with random bytes (the operating system's source in the host; a fixed
/// one in tests).
pub type Fill<'a> = &'a mut dyn FnMut(&mut [u8]);

/// A new random code, formatted.
pub fn new_code(fill: Fill<'_>) -> String {
    let mut raw = [0u8; CODE_CHARS];
    fill(&mut raw);
    // 256 is a multiple of 32: the low five bits of a uniform byte are uniform.
    let chars: Vec<u8> = raw.iter().map(|b| ALPHABET[usize::from(b & 31)]).collect();
    let s = String::from_utf8_lossy(&chars).into_owned();
    format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
}

/// The operating system's random source.
pub fn os_fill(buf: &mut [u8]) {
    // Without randomness there must be no codes at all: a predictable code is an open door.
    getrandom::fill(buf).expect("the operating system's random source is unavailable");
}

/// What was typed, as the 12 characters of a code, or `None` when it cannot be one.
pub fn normalise(typed: &str) -> Option<[u8; CODE_CHARS]> {
    let mut out = [0u8; CODE_CHARS];
    let mut n = 0;
    for c in typed.chars().take(MAX_TYPED) {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '_' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || n == CODE_CHARS {
            return None;
        }
        out[n] = c as u8;
        n += 1;
    }
    (n == CODE_CHARS).then_some(out)
}

impl Passes {
    /// Codes for a session: one to play each seat in `play` (the roles open for people and
    /// the facilitator), and one to watch each seat in `watch`.
    pub fn issue(play: &[Seat], watch: &[Seat], fill: Fill<'_>) -> Passes {
        let mut passes = Vec::new();
        for (seats, access) in [(play, Access::Play), (watch, Access::Watch)] {
            for seat in seats {
                passes.push(Pass {
                    code: new_code(fill),
                    seat: seat.clone(),
                    access,
                    revoked: false,
                });
            }
        }
        Passes { passes }
    }

    /// The pass (by its index) a typed code opens. Every code is compared, each in constant
    /// time, whatever matched: how long this takes says nothing about how close a guess was.
    pub fn find(&self, typed: &str) -> Option<usize> {
        let typed = normalise(typed)?;
        let mut hit = None;
        for (i, p) in self.passes.iter().enumerate() {
            let Some(code) = normalise(&p.code) else {
                continue;
            };
            let same: bool = code.ct_eq(&typed).into();
            if same && !p.revoked {
                hit = Some(i);
            }
        }
        hit
    }

    /// Revokes pass `i` and gives its seat a new code with the same access. Returns the
    /// index of the new pass.
    pub fn reissue(&mut self, i: usize, fill: Fill<'_>) -> Option<usize> {
        let old = self.passes.get_mut(i)?;
        old.revoked = true;
        let new = Pass {
            code: new_code(fill),
            seat: old.seat.clone(),
            access: old.access,
            revoked: false,
        };
        self.passes.push(new);
        Some(self.passes.len() - 1)
    }

    /// The passes in force.
    pub fn live(&self) -> impl Iterator<Item = (usize, &Pass)> {
        self.passes.iter().enumerate().filter(|(_, p)| !p.revoked)
    }

    /// Where the codes of the session whose journal is `journal` are kept.
    pub fn path_for(journal: &Path) -> PathBuf {
        let mut p = journal.as_os_str().to_owned();
        p.push(".codes");
        PathBuf::from(p)
    }

    /// Writes the codes, readable and writable by their owner only, replacing any earlier
    /// copy in one step (written beside it, then renamed over it).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("codes.new");
        {
            let mut o = std::fs::OpenOptions::new();
            o.write(true).create(true).truncate(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
            let mut f = o.open(&tmp)?;
            std::io::Write::write_all(&mut f, text.as_bytes())?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, path)
    }

    /// Reads codes written by [`Passes::save`].
    pub fn load(path: &Path) -> Result<Passes, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the join codes {}: {e}", path.display()))?;
        serde_json::from_str(&text)
            .map_err(|e| format!("the join codes {} are damaged: {e}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counting() -> impl FnMut(&mut [u8]) {
        let mut n = 0u8;
        move |b: &mut [u8]| {
            for x in b {
                *x = n;
                n = n.wrapping_add(7);
            }
        }
    }

    #[test]
    fn a_code_is_twelve_characters_of_the_alphabet_in_three_groups() {
        let c = new_code(&mut counting());
        assert_eq!(c.len(), 14);
        assert_eq!(c.matches('-').count(), 2);
        assert!(normalise(&c).is_some());
    }

    #[test]
    fn typing_is_read_forgivingly_and_nothing_else_opens_a_seat() {
        let mut f = counting();
        let p = Passes::issue(&[Seat::Facilitator], &[Seat::role("analyst")], &mut f);
        let code = p.passes[0].code.clone();
        assert_eq!(p.find(&code), Some(0));
        assert_eq!(p.find(&code.to_lowercase()), Some(0));
        assert_eq!(p.find(&code.replace('-', " ")), Some(0));
        assert_eq!(p.find(&code.replace('0', "o")), Some(0));
        assert_eq!(p.find(&p.passes[1].code), Some(1));
        let mut wrong = code.clone().into_bytes();
        wrong[13] = if wrong[13] == b'2' { b'3' } else { b'2' };
        assert_eq!(p.find(&String::from_utf8(wrong).expect("ascii")), None);
        for bad in [
            "",
            "root",
            &code[..13],
            &format!("{code}7"),
            "ÄÄÄÄ-ÄÄÄÄ-ÄÄÄÄ",
        ] {
            assert_eq!(p.find(bad), None, "{bad:?}");
        }
        assert_eq!(p.find(&"A".repeat(10_000)), None);
    }

    #[test]
    fn a_reissued_code_replaces_the_old_one() {
        let mut f = counting();
        let mut p = Passes::issue(&[Seat::role("analyst")], &[], &mut f);
        let old = p.passes[0].code.clone();
        let i = p.reissue(0, &mut f).expect("pass 0 exists");
        assert_eq!(p.find(&old), None);
        assert_eq!(p.find(&p.passes[i].code.clone()), Some(i));
        assert_eq!(p.passes[i].seat, Seat::role("analyst"));
    }

    #[test]
    fn the_os_source_gives_different_codes() {
        let a = new_code(&mut os_fill);
        let b = new_code(&mut os_fill);
        assert_ne!(a, b);
    }

    #[cfg(unix)]
    #[test]
    fn saved_codes_are_for_their_owner_only_and_load_again() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("ttx-codes-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = Passes::path_for(&dir.join("s.journal"));
        let p = Passes::issue(&[Seat::Facilitator], &[], &mut counting());
        p.save(&path).expect("saved");
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777);
        assert_eq!(mode.ok(), Some(0o600));
        assert_eq!(Passes::load(&path), Ok(p));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
