//! The journal's edge: files. Where sessions live, creating and appending to a journal
//! (each record written and flushed to disk before the caller applies it), reading one
//! back within a size limit, finding a session by id, prefix or path, listing them, and
//! loading the scenario a journal names. Session ids and start times read the wall clock
//! here, never in the engine.
// The wall clock names sessions and dates them (informational only; nothing is derived from it).
#![allow(clippy::disallowed_methods)]

use std::ffi::OsString;
use std::fs::{File, OpenOptions};
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Result, anyhow, bail};

use crate::engine::command::Issued;
use crate::engine::ids::Seat;
use crate::engine::model::Scenario;
use crate::engine::time::GameTime;
use crate::scenario::{self, bundled, render_all};

use super::decode::{self, Journal, MAX_BYTES, MAX_LINE};
use super::record::{Header, Pacing, Record, encode_line};

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "TTX_DATA_DIR";

/// The data directory: the flag, else `TTX_DATA_DIR`, else `$XDG_DATA_HOME/ttx`, else
/// `$HOME/.local/share/ttx`. Empty values count as unset.
pub fn data_dir_from(
    flag: Option<&Path>,
    ttx_env: Option<OsString>,
    xdg_data_home: Option<OsString>,
    home: Option<OsString>,
) -> Option<PathBuf> {
    let set = |v: Option<OsString>| v.filter(|s| !s.is_empty()).map(PathBuf::from);
    if let Some(p) = flag {
        return Some(p.to_path_buf());
    }
    if let Some(p) = set(ttx_env) {
        return Some(p);
    }
    // The XDG spec asks for an absolute path; a relative one is ignored.
    if let Some(p) = set(xdg_data_home).filter(|p| p.is_absolute()) {
        return Some(p.join("ttx"));
    }
    set(home).map(|h| h.join(".local").join("share").join("ttx"))
}

/// The data directory of this process (see [`data_dir_from`]).
pub fn data_dir(flag: Option<&Path>) -> Result<PathBuf> {
    data_dir_from(
        flag,
        std::env::var_os(DATA_DIR_ENV),
        std::env::var_os("XDG_DATA_HOME"),
        std::env::var_os("HOME"),
    )
    .ok_or_else(|| {
        anyhow!("no data directory: give --data-dir DIR or set {DATA_DIR_ENV} (HOME is not set)")
    })
}

/// Where the session journals of a data directory are.
pub fn sessions_dir(data: &Path) -> PathBuf {
    data.join("sessions")
}

/// A time as RFC 3339 in UTC, to the second (`2026-11-28T19:04:05Z`).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (y, m, d, hh, mm, ss) = civil(secs);
    format!("{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}Z")
}

/// Now, as RFC 3339.
pub fn now_rfc3339() -> String {
    rfc3339(SystemTime::now())
}

/// Seconds since 1970 to (year, month, day, hour, minute, second) in UTC (Howard Hinnant's
/// days-to-civil algorithm).
fn civil(secs: u64) -> (u64, u64, u64, u64, u64, u64) {
    let days = secs / 86_400;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + u64::from(m <= 2);
    (y, m, d, rem / 3600, rem % 3600 / 60, rem % 60)
}

/// A new session id: `<scenario>-<yyyymmdd-hhmmss>-<4 hex>`, sortable by start within a
/// scenario; the suffix (from the clock's nanoseconds and the process id) keeps two
/// sessions started in the same second apart.
pub fn new_session_id(scenario: &str) -> String {
    let now = SystemTime::now();
    let since = now.duration_since(UNIX_EPOCH).unwrap_or_default();
    let (y, m, d, hh, mm, ss) = civil(since.as_secs());
    let mut seed = since.as_nanos().to_le_bytes().to_vec();
    seed.extend_from_slice(&std::process::id().to_le_bytes());
    let suffix = crate::engine::hash::fnv1a64(&seed) & 0xFFFF;
    format!("{scenario}-{y:04}{m:02}{d:02}-{hh:02}{mm:02}{ss:02}-{suffix:04x}")
}

/// The advisory lock of a session: the one process that may append to its journal holds
/// it (an exclusive `flock` on `<session>.lock` beside the journal, which also names the
/// process). The system releases it when the process ends, however it ends, so a crashed
/// game never leaves a session locked. The lock file itself is never removed: removing it
/// while another process has it open would let two processes lock two different files.
#[derive(Debug)]
pub struct SessionLock {
    _file: File,
}

/// A session another process is playing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Held {
    /// What the lock file says of its holder (`process 1234 since 2026-12-04T15:59:22Z`).
    pub by: String,
}

impl std::fmt::Display for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "it is open in another ttx ({})", self.by)
    }
}

/// The lock file of a journal, beside the file a link to it leads to (so that two names
/// of one journal share one lock).
pub fn lock_path(journal: &Path) -> PathBuf {
    std::fs::canonicalize(journal)
        .unwrap_or_else(|_| journal.to_path_buf())
        .with_extension("lock")
}

fn open_lock_file(journal: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt as _;
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .open(lock_path(journal))
}

/// What a held lock file says of its holder, cut to a line of printable text.
fn holder_text(file: &mut File) -> String {
    use std::io::{Read as _, Seek as _};
    let mut text = String::new();
    let _ = file.rewind();
    let _ = file.take(200).read_to_string(&mut text);
    let line: String = text
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if line.is_empty() {
        "another process".to_owned()
    } else {
        line
    }
}

/// Takes the lock of the session whose journal is `journal`, or says who holds it.
pub fn lock_session(journal: &Path) -> io::Result<Result<SessionLock, Held>> {
    let mut file = open_lock_file(journal)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            return Ok(Err(Held {
                by: holder_text(&mut file),
            }));
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    file.set_len(0)?;
    let line = format!("process {} since {}\n", std::process::id(), now_rfc3339());
    file.write_all(line.as_bytes())?;
    Ok(Ok(SessionLock { _file: file }))
}

/// How long `resume` gives a session's holder to let go: a game whose terminal was just
/// closed exits within about half a second of the hang-up (more on a loaded machine).
pub const LOCK_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// [`lock_session`], trying again for up to `grace` while another process holds it.
pub fn lock_session_within(
    journal: &Path,
    grace: std::time::Duration,
) -> io::Result<Result<SessionLock, Held>> {
    let deadline = std::time::Instant::now() + grace;
    loop {
        match lock_session(journal)? {
            Err(held) if std::time::Instant::now() < deadline => {
                let _ = held;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            done => return Ok(done),
        }
    }
}

/// [`held`], waiting up to `grace` for the holder to let go.
pub fn held_within(journal: &Path, grace: std::time::Duration) -> Option<Held> {
    let deadline = std::time::Instant::now() + grace;
    loop {
        match held(journal) {
            Some(_) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            done => return done,
        }
    }
}

/// Whether another process holds the session's lock (a shared probe, so two probes never
/// disturb each other).
pub fn held(journal: &Path) -> Option<Held> {
    let lock = lock_path(journal);
    if !lock.exists() {
        return None;
    }
    let mut file = File::open(&lock).ok()?;
    match file.try_lock_shared() {
        Ok(()) => None,
        Err(_) => Some(Held {
            by: holder_text(&mut file),
        }),
    }
}

/// An open journal, appended to one record at a time, under its session's lock.
#[derive(Debug)]
pub struct Writer {
    _lock: SessionLock,
    file: File,
    path: PathBuf,
    session: String,
    /// The number the next record gets.
    next: u64,
    /// The file's length after the last complete record.
    len: u64,
    /// A failed write could not be undone: the file must not be appended to again.
    broken: bool,
}

fn sync_dir(dir: &Path) {
    // Makes the new file's name durable too; not every platform can open a directory.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

impl Writer {
    /// Creates `<dir>/<session>.jsonl` (never overwriting one) with its header, on disk,
    /// and takes the session's lock.
    pub fn create(dir: &Path, header: &Header) -> io::Result<Writer> {
        std::fs::create_dir_all(dir)?;
        let path = dir.join(format!("{}.jsonl", header.session));
        let lock = lock_session(&path)?.map_err(|h| io::Error::other(h.to_string()))?;
        let mut file = OpenOptions::new()
            .append(true)
            .create_new(true)
            .open(&path)?;
        let line = encode_line(header);
        file.write_all(line.as_bytes())?;
        file.sync_all()?;
        sync_dir(dir);
        Ok(Writer {
            _lock: lock,
            file,
            path,
            session: header.session.clone(),
            next: 1,
            len: line.len() as u64,
            broken: false,
        })
    }

    /// Opens a decoded journal to continue it, under the session's lock (taken before the
    /// journal was read, so nobody appended since). A torn last line is cut off first, so
    /// the next record follows the last complete one.
    pub fn continue_at(path: &Path, journal: &Journal, lock: SessionLock) -> io::Result<Writer> {
        let file = OpenOptions::new().append(true).open(path)?;
        if file.metadata()?.len() != journal.valid_len {
            file.set_len(journal.valid_len)?;
            file.sync_all()?;
        }
        Ok(Writer {
            _lock: lock,
            file,
            path: path.to_path_buf(),
            session: journal.header.session.clone(),
            next: journal.records.len() as u64 + 1,
            len: journal.valid_len,
            broken: false,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn session(&self) -> &str {
        &self.session
    }

    /// How many records the journal holds.
    pub fn records(&self) -> u64 {
        self.next - 1
    }

    /// Appends the record of `issued`, applied at game time `at`, and flushes it to disk.
    /// Returns its number. On failure the partial line is cut off again where possible.
    pub fn append(&mut self, at: GameTime, issued: &Issued) -> io::Result<u64> {
        self.append_by(at, issued, None, None, std::collections::BTreeMap::new())
    }

    /// Appends the record of `issued`, given by the person named `who`.
    pub fn append_by(
        &mut self,
        at: GameTime,
        issued: &Issued,
        who: Option<&str>,
        pacing: Option<Pacing>,
        read: std::collections::BTreeMap<Seat, Vec<u32>>,
    ) -> io::Result<u64> {
        let n = self.next;
        let mut record = Record::new(n, at, issued);
        record.who = who.map(str::to_owned);
        record.pacing = pacing;
        record.read = read;
        let line = encode_line(&record);
        self.write(line.as_bytes())?;
        self.next += 1;
        Ok(n)
    }

    /// Appends records copied from another journal (a fork), renumbered from here, and
    /// flushes them once.
    pub fn append_all(&mut self, records: &[Record]) -> io::Result<()> {
        let mut text = String::new();
        let mut n = self.next;
        for r in records {
            text.push_str(&encode_line(&Record { n, ..r.clone() }));
            n += 1;
        }
        self.write(text.as_bytes())?;
        self.next = n;
        Ok(())
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        // What the reader would refuse is never written (each line's end included).
        if let Some(long) = bytes.split(|b| *b == b'\n').find(|l| l.len() > MAX_LINE) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the record is {} bytes long, over the journal's limit of {MAX_LINE}; it was not recorded and not applied",
                    long.len()
                ),
            ));
        }
        if self.len + bytes.len() as u64 > MAX_BYTES {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "the journal has reached its limit of {MAX_BYTES} bytes; the command was not recorded and not applied"
                ),
            ));
        }
        if self.broken {
            return Err(io::Error::other(
                "an earlier write failed and could not be undone; the journal takes no more records",
            ));
        }
        let done = self
            .file
            .write_all(bytes)
            .and_then(|()| self.file.sync_data());
        match done {
            Ok(()) => {
                self.len += bytes.len() as u64;
                Ok(())
            }
            Err(e) => {
                // Leave no partial line behind: the next record must follow a complete one.
                let undone = self
                    .file
                    .set_len(self.len)
                    .and_then(|()| self.file.sync_data());
                if undone.is_err() {
                    self.broken = true;
                }
                Err(e)
            }
        }
    }
}

/// Reads and decodes a journal file; a file over the size limit is refused unread.
pub fn read(path: &Path) -> Result<Journal> {
    let bytes = scenario::read_capped(path, MAX_BYTES).map_err(|e| match e {
        scenario::ReadError::TooLarge { size } => anyhow!(
            "{}: {}",
            path.display(),
            decode::JournalError::TooLarge {
                size,
                limit: MAX_BYTES
            }
        ),
        other => anyhow!("cannot read {}: {other}", path.display()),
    })?;
    decode::decode(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))
}
/// The journals in a sessions directory, oldest file name first.
pub fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    v.sort();
    v
}

/// The session id of a journal file (its name without `.jsonl`).
pub fn id_of(path: &Path) -> String {
    path.file_stem()
        .map_or_else(String::new, |s| s.to_string_lossy().into_owned())
}

/// Finds a session: a path to a journal, an id, or an unambiguous prefix of one.
pub fn find(dir: &Path, session: &str) -> Result<PathBuf> {
    let as_path = Path::new(session);
    if as_path.is_file() {
        return Ok(as_path.to_path_buf());
    }
    let all = files(dir);
    if let Some(p) = all.iter().find(|p| id_of(p) == session) {
        return Ok(p.clone());
    }
    let matches: Vec<&PathBuf> = all
        .iter()
        .filter(|p| id_of(p).starts_with(session))
        .collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => bail!(
            "no session `{session}` in {} (`ttx sessions` lists them)",
            dir.display()
        ),
        many => {
            let ids: Vec<String> = many.iter().take(5).map(|p| id_of(p)).collect();
            bail!(
                "`{session}` matches {} sessions ({}{}); give more of the id",
                many.len(),
                ids.join(", "),
                if many.len() > 5 { ", …" } else { "" }
            )
        }
    }
}

/// The last modification of a file (the last record written), if the platform knows it.
pub fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The `scenario_source` of a scenario: `bundled:<id>` for a bundled one (same id, same
/// content), else the file's absolute path.
pub fn source_of(scenario: &Scenario, file: Option<&Path>) -> String {
    let bundled_same = bundled::find(scenario.id.as_str()).is_some_and(|b| {
        scenario::load_str(b.file, b.text)
            .is_ok_and(|l| l.scenario.content_hash == scenario.content_hash)
    });
    match file {
        Some(p) if !bundled_same => std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string(),
        _ => format!("bundled:{}", scenario.id),
    }
}

/// Loads the scenario a journal names. A file that has gone falls back to the bundled
/// scenario of the same id (the content hash check then says whether it is the same).
pub fn load_scenario(header: &Header) -> Result<Arc<Scenario>> {
    let from_bundle = |id: &str| -> Result<Arc<Scenario>> {
        let b = bundled::find(id).ok_or_else(|| {
            anyhow!(
                "the session's scenario `{}` ({}) is neither a bundled scenario nor a file that exists",
                header.scenario,
                header.scenario_source
            )
        })?;
        scenario::load_str(b.file, b.text)
            .map(|l| l.scenario)
            .map_err(|e| anyhow!("{}", render_all(&e.diagnostics).trim_end()))
    };
    if let Some(id) = header.scenario_source.strip_prefix("bundled:") {
        return from_bundle(id);
    }
    let path = Path::new(&header.scenario_source);
    // A journal is data from anywhere: the file it names is read only if it is a scenario
    // file, so that a doctored journal cannot have a diagnostic echo the first line of any
    // file this user can read.
    if path.extension().is_none_or(|x| x != "ron") {
        bail!(
            "the session names `{}` as its scenario, which is not a .ron scenario file",
            header.scenario_source
        );
    }
    if path.exists() {
        return scenario::load_file(path)
            .map(|l| l.scenario)
            .map_err(|e| anyhow!("{}", render_all(&e.diagnostics).trim_end()));
    }
    from_bundle(&header.scenario)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_directory_follows_its_order() {
        let os = |s: &str| Some(OsString::from(s));
        let flag = Path::new("/flag");
        assert_eq!(
            data_dir_from(Some(flag), os("/env"), os("/xdg"), os("/home/a")),
            Some(PathBuf::from("/flag"))
        );
        assert_eq!(
            data_dir_from(None, os("/env"), os("/xdg"), os("/home/a")),
            Some(PathBuf::from("/env"))
        );
        assert_eq!(
            data_dir_from(None, os(""), os("/xdg"), os("/home/a")),
            Some(PathBuf::from("/xdg/ttx"))
        );
        assert_eq!(
            data_dir_from(None, None, os("relative"), os("/home/a")),
            Some(PathBuf::from("/home/a/.local/share/ttx"))
        );
        assert_eq!(data_dir_from(None, None, None, None), None);
    }

    /// Two names of one journal (a symbolic link) share one lock.
    #[test]
    fn a_link_to_a_journal_shares_its_lock() {
        let dir = std::env::temp_dir().join(format!("ttx-lock-link-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        let journal = dir.join("s.jsonl");
        std::fs::write(&journal, b"{}\n").expect("written");
        let link = dir.join("latest.jsonl");
        std::os::unix::fs::symlink(&journal, &link).expect("linked");
        let held_lock = lock_session(&journal).expect("lock file").expect("free");
        let other = lock_session(&link).expect("lock file");
        assert!(other.is_err(), "the link's lock is the journal's");
        assert!(held(&link).is_some());
        drop(held_lock);
        assert!(held(&link).is_none());
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn dates_are_rfc3339() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_795_892_645);
        assert_eq!(rfc3339(t), "2026-11-28T19:04:05Z");
        let leap = UNIX_EPOCH + std::time::Duration::from_secs(951_782_400);
        assert_eq!(rfc3339(leap), "2000-02-29T00:00:00Z");
    }
}
