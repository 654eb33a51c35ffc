//! Game time: minutes since the scenario's start, and the wall-clock face of it (weekday
//! and time of day) that players see. Nothing here reads the OS clock.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Minutes since the scenario started. The engine's only notion of time.
#[derive(
    Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize, Debug,
)]
#[serde(transparent)]
pub struct GameTime(pub u32);

impl GameTime {
    pub const ZERO: GameTime = GameTime(0);

    pub fn minutes(self) -> u32 {
        self.0
    }

    #[must_use]
    pub fn plus(self, minutes: u32) -> GameTime {
        GameTime(self.0.saturating_add(minutes))
    }

    /// Minutes from `earlier` to `self`, zero if `earlier` is later.
    pub fn since(self, earlier: GameTime) -> u32 {
        self.0.saturating_sub(earlier.0)
    }
}

/// Day of the week. The start weekday matters: 03:30 on a Saturday is not 10:00 on a
/// Tuesday (who answers the phone, whether the weekend SLA applies).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Debug)]
pub enum Weekday {
    Mon,
    Tue,
    Wed,
    Thu,
    Fri,
    Sat,
    Sun,
}

impl Weekday {
    pub const ALL: [Weekday; 7] = [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ];

    pub fn index(self) -> u32 {
        self as u32
    }

    pub fn from_index(i: u32) -> Weekday {
        Weekday::ALL[(i % 7) as usize]
    }

    pub fn parse(s: &str) -> Option<Weekday> {
        const FULL: [&str; 7] = [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ];
        let lower = s.to_ascii_lowercase();
        Weekday::ALL
            .into_iter()
            .zip(FULL)
            .find(|(d, full)| lower == d.short().to_ascii_lowercase() || lower == *full)
            .map(|(d, _)| d)
    }

    pub fn short(self) -> &'static str {
        match self {
            Weekday::Mon => "Mon",
            Weekday::Tue => "Tue",
            Weekday::Wed => "Wed",
            Weekday::Thu => "Thu",
            Weekday::Fri => "Fri",
            Weekday::Sat => "Sat",
            Weekday::Sun => "Sun",
        }
    }

    pub fn is_weekend(self) -> bool {
        matches!(self, Weekday::Sat | Weekday::Sun)
    }
}

/// Minutes in a day.
pub const DAY: u32 = 24 * 60;

/// The moment the scenario starts: a weekday and a minute of that day.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Debug)]
pub struct StartTime {
    pub weekday: Weekday,
    /// Minute of the day, 0..1440.
    pub minute_of_day: u32,
}

impl StartTime {
    /// The wall-clock face of a game time.
    pub fn clock(self, t: GameTime) -> Clock {
        // In u64: a game time near u32::MAX must not overflow.
        let abs = u64::from(self.weekday.index() * DAY + self.minute_of_day) + u64::from(t.0);
        let day = u64::from(DAY);
        #[allow(clippy::cast_possible_truncation)] // all values below are < 7 * DAY
        Clock {
            weekday: Weekday::from_index((abs / day % 7) as u32),
            hour: (abs % day / 60) as u32,
            minute: (abs % 60) as u32,
        }
    }

    /// The first game time at or after the start whose time of day is `minute_of_day`.
    pub fn next_time_of_day(self, minute_of_day: u32) -> GameTime {
        GameTime((minute_of_day + DAY - self.minute_of_day) % DAY)
    }

    /// The first game time at or after the start that falls on `weekday` at `minute_of_day`.
    pub fn next_weekday_time(self, weekday: Weekday, minute_of_day: u32) -> GameTime {
        let start = self.weekday.index() * DAY + self.minute_of_day;
        let target = weekday.index() * DAY + minute_of_day;
        GameTime((target + 7 * DAY - start) % (7 * DAY))
    }
}

/// A weekday and time of day, as a player reads it: `Sat 03:41`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Clock {
    pub weekday: Weekday,
    pub hour: u32,
    pub minute: u32,
}

impl Clock {
    pub fn minute_of_day(self) -> u32 {
        self.hour * 60 + self.minute
    }
}

impl fmt::Display for Clock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {:02}:{:02}",
            self.weekday.short(),
            self.hour,
            self.minute
        )
    }
}

/// Parses `HH:MM` into a minute of the day.
pub fn parse_hh_mm(s: &str) -> Option<u32> {
    let (h, m) = s.split_once(':')?;
    let digits = |x: &str| x.bytes().all(|b| b.is_ascii_digit());
    // Digits only: `+1:30` is a span, not a time of day (`parse` would take the sign).
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !digits(h) || !digits(m) {
        return None;
    }
    let h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    (h < 24 && m < 60).then_some(h * 60 + m)
}

/// Why a time could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimeError {
    Malformed,
}

/// Reads a time written by a person, relative to a scenario start:
/// - `03:45`: the first 03:45 at or after the start;
/// - `Sat 03:45`: the first Saturday 03:45 at or after the start;
/// - `+45` or `+1:15`: minutes (or hours:minutes) after the start.
pub fn parse_time(start: StartTime, s: &str) -> Result<GameTime, TimeError> {
    let s = s.trim();
    if let Some(rel) = s.strip_prefix('+') {
        let rel = rel.trim();
        if let Some((h, m)) = rel.split_once(':') {
            let h: u32 = h.parse().map_err(|_| TimeError::Malformed)?;
            let m: u32 = m.parse().map_err(|_| TimeError::Malformed)?;
            if m >= 60 || rel.split_once(':').is_some_and(|(_, mm)| mm.len() != 2) {
                return Err(TimeError::Malformed);
            }
            return h
                .checked_mul(60)
                .and_then(|x| x.checked_add(m))
                .map(GameTime)
                .ok_or(TimeError::Malformed);
        }
        let rel = rel.strip_suffix('m').unwrap_or(rel);
        return rel.parse().map(GameTime).map_err(|_| TimeError::Malformed);
    }
    if let Some((day, hm)) = s.split_once(' ') {
        let day = Weekday::parse(day).ok_or(TimeError::Malformed)?;
        let m = parse_hh_mm(hm.trim()).ok_or(TimeError::Malformed)?;
        Ok(start.next_weekday_time(day, m))
    } else {
        let m = parse_hh_mm(s).ok_or(TimeError::Malformed)?;
        Ok(start.next_time_of_day(m))
    }
}

/// Reads a start time: `Sat 03:30`.
pub fn parse_start(s: &str) -> Option<StartTime> {
    let (day, hm) = s.trim().split_once(' ')?;
    Some(StartTime {
        weekday: Weekday::parse(day)?,
        minute_of_day: parse_hh_mm(hm.trim())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat_0330() -> StartTime {
        parse_start("Sat 03:30").expect("valid")
    }

    #[test]
    fn clock_crosses_midnight_and_week() {
        let s = StartTime {
            weekday: Weekday::Sun,
            minute_of_day: 23 * 60 + 50,
        };
        assert_eq!(s.clock(GameTime(15)).to_string(), "Mon 00:05");
        assert_eq!(sat_0330().clock(GameTime(11)).to_string(), "Sat 03:41");
    }

    #[test]
    fn times_parse_relative_to_start() {
        let s = sat_0330();
        assert_eq!(parse_time(s, "03:41"), Ok(GameTime(11)));
        assert_eq!(parse_time(s, "03:00"), Ok(GameTime(DAY - 30)));
        assert_eq!(
            parse_time(s, "Mon 09:00"),
            Ok(GameTime(2 * DAY - 30 + 6 * 60))
        );
        assert_eq!(parse_time(s, "Sat 03:30"), Ok(GameTime(0)));
        assert_eq!(parse_time(s, "+45"), Ok(GameTime(45)));
        assert_eq!(parse_time(s, "+1:15"), Ok(GameTime(75)));
        assert_eq!(parse_time(s, "+45m"), Ok(GameTime(45)));
        assert_eq!(parse_time(s, "25:00"), Err(TimeError::Malformed));
        assert_eq!(parse_time(s, "Xyz 03:00"), Err(TimeError::Malformed));
        assert_eq!(parse_time(s, "3:5"), Err(TimeError::Malformed));
    }
}
