//! The journal's records: a header line, then one line per applied command. Each line is a
//! JSON object ending in a `crc` field, the CRC-32 of the line's bytes without that field
//! (the object closed right before it), so a torn or flipped line is told apart from a
//! good one without trusting the JSON parser to notice.

use serde::{Deserialize, Serialize};

use crate::engine::command::{Command, Issued};
use crate::engine::ids::Seat;
use crate::engine::model::{BotSpec, Policy};
use crate::engine::time::GameTime;

/// The journal format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// Line 1 of a journal: what is needed to rebuild the exercise, and who sat where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// The format version ([`FORMAT_VERSION`]); read before anything else.
    pub ttx_journal: u32,
    /// The ttx version that wrote the journal (informational).
    pub engine: String,
    /// The session id, also the file's name.
    pub session: String,
    pub scenario: String,
    /// The scenario's content hash when the session started: a changed scenario would fold
    /// the same commands into a different exercise.
    pub content_hash: u64,
    /// Where the scenario came from: `bundled:<id>` or a file path.
    pub scenario_source: String,
    pub seed: u64,
    pub seats: Vec<SeatRecord>,
    /// The session this one was forked from, and after how many of its records.
    pub parent: Option<Parent>,
    /// Wall-clock start, RFC 3339 (informational: nothing is derived from it).
    pub started: String,
    /// The terminal's pacing at the start (absent for headless runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pacing: Option<Pacing>,
    /// The session's name, when it was given one (`ttx host --session-name`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Where a forked session came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    pub session: String,
    /// How many of the parent's records the fork kept (its first `at_record` records).
    pub at_record: u64,
}

/// How the terminal paced the game when the session started.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pacing {
    pub turn_mode: bool,
    /// Game minutes per real second.
    pub pace: u32,
}

impl Pacing {
    /// Turn by turn: time moves only when asked to.
    pub const TURNS: Pacing = Pacing {
        turn_mode: true,
        pace: 1,
    };
}

/// Who played a seat, as the header stores it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeatRecord {
    /// A role id of the scenario, or `facilitator`.
    pub role: String,
    /// `person`, `script`, `nobody` or `bot:<policy>`.
    pub by: String,
    /// A bot's persona in full, so a resumed session seats the same bot.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bot: Option<BotSpec>,
}

/// Who played a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeatPlay {
    Person,
    Script,
    Bot(BotSpec),
    Nobody,
}

impl SeatRecord {
    pub fn new(role: &str, play: SeatPlay) -> SeatRecord {
        let (by, bot) = match play {
            SeatPlay::Person => ("person".to_owned(), None),
            SeatPlay::Script => ("script".to_owned(), None),
            SeatPlay::Nobody => ("nobody".to_owned(), None),
            SeatPlay::Bot(spec) => (format!("bot:{}", spec.policy.name()), Some(spec)),
        };
        SeatRecord {
            role: role.to_owned(),
            by,
            bot,
        }
    }

    /// Reads `by` back; an unknown value is an error naming it.
    pub fn play(&self) -> Result<SeatPlay, String> {
        match self.by.as_str() {
            "person" => Ok(SeatPlay::Person),
            "script" => Ok(SeatPlay::Script),
            "nobody" => Ok(SeatPlay::Nobody),
            other => {
                let policy = other
                    .strip_prefix("bot:")
                    .and_then(Policy::from_name)
                    .ok_or_else(|| {
                        format!(
                            "seat `{}` is played by `{other}`, which ttx does not know",
                            self.role
                        )
                    })?;
                let spec = self
                    .bot
                    .filter(|b| b.policy == policy)
                    .unwrap_or_else(|| BotSpec::new(policy));
                Ok(SeatPlay::Bot(spec))
            }
        }
    }
}

/// One applied command: its number (from 1), the game time before it was applied, the
/// seat that issued it and the command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Record {
    pub n: u64,
    pub at: GameTime,
    pub by: Seat,
    pub command: Command,
    /// The person who gave it, by the name they gave when they joined (networked seats,
    /// where several people may share a seat); absent for a seat played at one keyboard.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub who: Option<String>,
    /// The terminal's pacing from this command on, when it changed since the last record
    /// (a faster or slower clock, turn mode left): a resumed session continues at it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pacing: Option<Pacing>,
    /// Events (by their `seq`) each seat's screen marked read since the last record: a
    /// resumed session shows them read again.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub read: std::collections::BTreeMap<Seat, Vec<u32>>,
}

impl Record {
    pub fn new(n: u64, at: GameTime, issued: &Issued) -> Record {
        Record {
            n,
            at,
            by: issued.by.clone(),
            command: issued.command.clone(),
            who: None,
            pacing: None,
            read: std::collections::BTreeMap::new(),
        }
    }

    pub fn issued(&self) -> Issued {
        Issued::new(self.by.clone(), self.command.clone())
    }
}

const CRC_FIELD: &str = ",\"crc\":";

/// One line of the journal: `value` as JSON with its checksum as a last field, and `\n`.
pub fn encode_line<T: Serialize>(value: &T) -> String {
    // Plain data with string keys always serialises.
    let body = serde_json::to_string(value).unwrap_or_else(|_| "{}".to_owned());
    let crc = crc32fast::hash(body.as_bytes());
    let open = body.strip_suffix('}').unwrap_or(&body);
    format!("{open}{CRC_FIELD}{crc}}}\n")
}

/// Why a line's checksum does not hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LineDamage {
    NoChecksum,
    Mismatch { stored: u32, computed: u32 },
}

impl std::fmt::Display for LineDamage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LineDamage::NoChecksum => f.write_str("it has no checksum field at its end"),
            LineDamage::Mismatch { stored, computed } => write!(
                f,
                "its checksum does not match its content (stored {stored}, computed {computed})"
            ),
        }
    }
}

/// Checks a line's checksum (the line without its `\n`) and gives back the JSON it guards.
pub fn verify_line(line: &str) -> Result<String, LineDamage> {
    let at = line.rfind(CRC_FIELD).ok_or(LineDamage::NoChecksum)?;
    let digits = line[at + CRC_FIELD.len()..]
        .strip_suffix('}')
        .ok_or(LineDamage::NoChecksum)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(LineDamage::NoChecksum);
    }
    let stored: u32 = digits.parse().map_err(|_| LineDamage::NoChecksum)?;
    let body = format!("{}}}", &line[..at]);
    let computed = crc32fast::hash(body.as_bytes());
    if stored == computed {
        Ok(body)
    } else {
        Err(LineDamage::Mismatch { stored, computed })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The checksum is the IEEE CRC-32 of zlib and PNG, as docs/journal.md says: a journal
    /// written by an earlier ttx (its own table) reads with this one.
    #[test]
    fn the_checksum_is_zlibs_crc32() {
        assert_eq!(crc32fast::hash(b""), 0);
        assert_eq!(crc32fast::hash(b"123456789"), 0xCBF4_3926);
        assert_eq!(
            crc32fast::hash(b"The quick brown fox jumps over the lazy dog"),
            0x414F_A339
        );
    }

    #[test]
    fn a_line_round_trips_and_a_flipped_one_does_not() {
        let rec = Record::new(
            3,
            GameTime(11),
            &Issued::new(
                Seat::role("soc_analyst"),
                Command::Act {
                    action: "triage".into(),
                },
            ),
        );
        let line = encode_line(&rec);
        assert!(line.ends_with("}\n"));
        let body = verify_line(line.trim_end_matches('\n')).expect("verifies");
        let back: Record = serde_json::from_str(&body).expect("parses");
        assert_eq!(back, rec);
        let flipped = line.replace("triage", "triagf");
        assert!(matches!(
            verify_line(flipped.trim_end_matches('\n')),
            Err(LineDamage::Mismatch { .. })
        ));
        assert_eq!(verify_line("{\"n\":1}"), Err(LineDamage::NoChecksum));
    }

    #[test]
    fn seats_read_back() {
        let spec = BotSpec {
            patience: 9,
            ..BotSpec::new(Policy::Deferrer)
        };
        let s = SeatRecord::new("oncall_manager", SeatPlay::Bot(spec));
        assert_eq!(s.by, "bot:deferrer");
        assert_eq!(s.play(), Ok(SeatPlay::Bot(spec)));
        let unknown = SeatRecord {
            role: "x".into(),
            by: "robot".into(),
            bot: None,
        };
        assert!(unknown.play().expect_err("unknown").contains("robot"));
    }
}
