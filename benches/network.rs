//! The host under a full room, on loopback: `ttx host` (the real binary, headless) with 64
//! seats and 64 observers joined over SSH by clients in this process. Measures, from a
//! keypress to the first bytes of the updated screen, the latency at the client that pressed
//! and at every other seat; the host's CPU while it idles and while the clock runs; its peak
//! memory; the bytes each screen receives per second. Twice: with every terminal the same
//! size (terminals in the same state show one frame, drawn once), and with every terminal a
//! different width (every frame drawn on its own: the worst case).
//!
//! `cargo bench --bench network` (a benchmark, not a test: it prints figures and asserts no
//! timing); `-- same` or `-- sizes` runs one of the two rooms. Every connection goes to
//! 127.0.0.1; every loop is bounded in count and time.
// A benchmark reads the wall clock.
#![allow(clippy::disallowed_methods)]

use std::io::BufRead as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;

const SEATS: usize = 64;
const OBSERVERS: usize = 64;

struct Trust;

impl client::Handler for Trust {
    type Error = russh::Error;
    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// What one client has received: bytes, and when each message arrived.
#[derive(Default)]
struct Received {
    bytes: u64,
    arrivals: Vec<Instant>,
}

struct Seat {
    _handle: Handle<Trust>,
    writer: russh::ChannelWriteHalf<client::Msg>,
    got: Arc<Mutex<Received>>,
}

impl Seat {
    /// Joins with `code` on a terminal of `size` (columns, rows), within 20 s.
    async fn join(addr: SocketAddr, code: &str, size: (u32, u32)) -> Seat {
        tokio::time::timeout(
            Duration::from_secs(20),
            Seat::join_unbounded(addr, code, size),
        )
        .await
        .expect("joined within 20 s")
    }

    async fn join_unbounded(addr: SocketAddr, code: &str, size: (u32, u32)) -> Seat {
        let config = Arc::new(client::Config {
            inactivity_timeout: Some(Duration::from_secs(600)),
            ..Default::default()
        });
        let mut h = client::connect(config, addr, Trust)
            .await
            .expect("connects");
        assert!(
            h.authenticate_none(code).await.expect("auth").success(),
            "code accepted"
        );
        let ch = h.channel_open_session().await.expect("session");
        ch.request_pty(true, "xterm-256color", size.0, size.1, 0, 0, &[])
            .await
            .expect("pty");
        ch.request_shell(true).await.expect("shell");
        let (mut reader, writer) = ch.split();
        let got = Arc::new(Mutex::new(Received::default()));
        let g = Arc::clone(&got);
        tokio::spawn(async move {
            while let Some(msg) = reader.wait().await {
                if let ChannelMsg::Data { data } = msg {
                    let mut r = g.lock().expect("lock");
                    r.bytes += data.len() as u64;
                    r.arrivals.push(Instant::now());
                }
            }
        });
        Seat {
            _handle: h,
            writer,
            got,
        }
    }

    async fn send(&self, b: &[u8]) {
        let _ = self.writer.data_bytes(b.to_vec()).await;
    }

    fn count(&self) -> usize {
        self.got.lock().expect("lock").arrivals.len()
    }

    fn bytes(&self) -> u64 {
        self.got.lock().expect("lock").bytes
    }

    /// The first arrival after message `n`, waiting at most 1 s.
    async fn next_after(&self, n: usize) -> Option<Instant> {
        let deadline = Instant::now() + Duration::from_secs(1);
        loop {
            if let Some(t) = self.got.lock().expect("lock").arrivals.get(n) {
                return Some(*t);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_micros(200)).await;
        }
    }
}

/// A process's CPU time so far (user + system, in clock ticks of 10 ms) and peak memory.
fn usage(pid: u32) -> (u64, u64) {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = f.get(11).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0)
        + f.get(12).and_then(|x| x.parse::<u64>().ok()).unwrap_or(0);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let hwm = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|k| k.parse::<u64>().ok())
        .unwrap_or(0);
    (ticks, hwm)
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    if v.is_empty() {
        return Duration::ZERO;
    }
    v.sort();
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((v.len() - 1) as f64 * p).round() as usize;
    v[i]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

/// `ticks` clock ticks (10 ms) over `secs` seconds, as a percentage of one core.
fn share(ticks: u64, secs: f64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let t = ticks as f64;
    t / 100.0 / secs * 100.0
}

/// The host, started headless on a loopback port with every seat's code read from what it
/// prints: (the process, its address, the facilitator's code, the roles' codes, the
/// observers' codes).
fn start_host(
    data: &std::path::Path,
) -> (
    std::process::Child,
    SocketAddr,
    String,
    Vec<String>,
    Vec<String>,
) {
    let mut host = std::process::Command::new(env!("CARGO_BIN_EXE_ttx"))
        .args([
            "host",
            "dropper-0330",
            "--seed",
            "7",
            "--turns",
            "--listen",
            "127.0.0.1:0",
            "--headless",
            "--max-per-code",
            "64",
            "--no-journal",
        ])
        .env("TTX_DATA_DIR", data)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("ttx host starts");
    let mut lines = std::io::BufReader::new(host.stdout.take().expect("stdout")).lines();
    let mut play: Vec<(String, String)> = Vec::new();
    let mut watch: Vec<String> = Vec::new();
    let mut port = 0u16;
    for _ in 0..64 {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(i) = line.find("ssh -p ") {
            let rest = &line[i + 7..];
            let (p, user) = rest.split_once(' ').expect("port");
            port = p.parse().expect("port");
            let code = user.split('@').next().expect("code").to_owned();
            if line.contains(" plays ") {
                play.push((line[..i].trim().to_owned(), code));
            } else {
                watch.push(code);
            }
        } else if line.is_empty() && !play.is_empty() {
            break;
        }
    }
    let fac = play
        .iter()
        .find(|(s, _)| s.starts_with("Facilitator"))
        .map(|(_, c)| c.clone())
        .expect("facilitator");
    let roles = play
        .iter()
        .filter(|(s, _)| !s.starts_with("Facilitator"))
        .map(|(_, c)| c.clone())
        .collect();
    (
        host,
        SocketAddr::from(([127, 0, 0, 1], port)),
        fac,
        roles,
        watch,
    )
}

/// Latency from a key to the first bytes at its own screen: the selection moves, which
/// only that screen shows.
async fn own_key(seats: &[Seat]) -> Vec<Duration> {
    let mut own = Vec::new();
    for k in 0..200 {
        let s = &seats[k % seats.len()];
        let n = s.count();
        let t0 = Instant::now();
        s.send(if k % 2 == 0 { b"\x1b[B" } else { b"\x1b[A" }).await;
        if let Some(t) = s.next_after(n).await {
            own.push(t - t0);
        }
    }
    own
}

/// Latency from the facilitator's pause key (every header changes) to the first bytes at
/// the facilitator's screen and at every other screen; and how many screens showed nothing.
async fn broadcast(everyone: &[&Seat]) -> (Vec<Duration>, Vec<Duration>, usize) {
    let (mut at_issuer, mut at_others, mut missed) = (Vec::new(), Vec::new(), 0);
    for _ in 0..40 {
        let before: Vec<usize> = everyone.iter().map(|s| s.count()).collect();
        let t0 = Instant::now();
        everyone[0].send(b"p").await;
        if let Some(t) = everyone[0].next_after(before[0]).await {
            at_issuer.push(t - t0);
        }
        for (s, n) in everyone.iter().zip(&before).skip(1) {
            match s.next_after(*n).await {
                Some(t) => at_others.push(t - t0),
                None => missed += 1,
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (at_issuer, at_others, missed)
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    // `cargo bench --bench network -- sizes` measures only the room of many sizes (the worst
    // case), `-- same` only the room of one size.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |room: &str| only.is_empty() || only.iter().any(|o| o == room);
    if wanted("same") {
        room(false).await;
    }
    if wanted("sizes") {
        room(true).await;
    }
}

/// The room: every terminal 120×40, or (`distinct`) every terminal of its own size, 112 to
/// 127 columns by 36 to 43 rows (on average about 120×40), so that no two show the same
/// frame and the host draws every one of them.
async fn room(distinct: bool) {
    let data = std::env::temp_dir().join(format!("ttx-bench-net-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let (mut host, addr, fac_code, roles, watch) = start_host(&data);
    let pid = host.id();
    let mut joined = 0u32..;
    let mut size = || {
        let i = joined.next().expect("fewer than 2^32 terminals");
        if distinct {
            (112 + i % 16, 36 + i / 16)
        } else {
            (120, 40)
        }
    };
    let t_join = Instant::now();
    let fac = Seat::join(addr, &fac_code, size()).await;
    let mut seats = Vec::new();
    for i in 0..SEATS - 1 {
        seats.push(Seat::join(addr, &roles[i % roles.len()], size()).await);
    }
    let mut observers = Vec::new();
    for i in 0..OBSERVERS {
        observers.push(Seat::join(addr, &watch[i % watch.len()], size()).await);
    }
    let joined = t_join.elapsed();
    let everyone: Vec<&Seat> = std::iter::once(&fac)
        .chain(&seats)
        .chain(&observers)
        .collect();
    for (i, s) in everyone.iter().enumerate() {
        s.send(format!("P{i}\r").as_bytes()).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    fac.send(b"\r").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    // Each screen opens on its seat's briefing: everyone reads it and presses Enter.
    for s in &everyone {
        s.send(b"\r").await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut own = own_key(&seats).await;
    let me = std::process::id();
    let ((b0, _), (m0, _)) = (usage(pid), usage(me));
    let (mut at_issuer, mut at_others, missed) = broadcast(&everyone).await;
    let ((b1, _), (m1, _)) = (usage(pid), usage(me));
    #[allow(clippy::cast_precision_loss)]
    let clients_per_change = Duration::from_secs_f64((m1 - m0) as f64 / 100.0 / 40.0);
    // Each of the 40 keys drew every screen once: the host's CPU for one change all see.
    #[allow(clippy::cast_precision_loss)]
    let per_change = Duration::from_secs_f64((b1 - b0) as f64 / 100.0 / 40.0);

    // Idle: nothing typed, turn mode.
    let (c0, _) = usage(pid);
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(5)).await;
    let (c1, _) = usage(pid);
    let idle = share(c1 - c0, t0.elapsed().as_secs_f64());

    // The clock at the fastest pace: `+` six times leaves turn mode and goes 1, 2, 5, 10,
    // 15, 30, 60 game minutes a second; every screen's clock moves, injects arrive. Two
    // seconds (two game hours: the dropper's encryption is more than three hours in).
    for _ in 0..6 {
        fac.send(b"+").await;
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let bytes0: Vec<u64> = everyone.iter().map(|s| s.bytes()).collect();
    let (c0, _) = usage(pid);
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (c1, hwm) = usage(pid);
    let secs = t0.elapsed().as_secs_f64();
    let busy = share(c1 - c0, secs);
    #[allow(clippy::cast_precision_loss)]
    let per_seat: Vec<f64> = everyone
        .iter()
        .zip(&bytes0)
        .map(|(s, b)| (s.bytes() - b) as f64 / secs)
        .collect();
    #[allow(clippy::cast_precision_loss)]
    let mean_bps = per_seat.iter().sum::<f64>() / per_seat.len() as f64;
    let max_bps = per_seat.iter().copied().fold(0.0, f64::max);

    println!(
        "ttx host on loopback: {SEATS} seats + {OBSERVERS} observers ({} connections), dropper-0330, {}",
        everyone.len(),
        if distinct {
            "every terminal of its own size, 112-127 × 36-43 (no two frames alike)"
        } else {
            "every terminal 120×40"
        }
    );
    println!(
        "  joined all in                      {:.2} s",
        joined.as_secs_f64()
    );
    println!(
        "  own key → own screen               p50 {}  p99 {}  ({} keys)",
        ms(percentile(&mut own, 0.5)),
        ms(percentile(&mut own, 0.99)),
        own.len()
    );
    println!(
        "  pause key → facilitator's screen   p50 {}  p99 {}  ({} keys)",
        ms(percentile(&mut at_issuer, 0.5)),
        ms(percentile(&mut at_issuer, 0.99)),
        at_issuer.len()
    );
    println!(
        "  pause key → every other screen     p50 {}  p99 {}  ({} screens, {missed} missed)",
        ms(percentile(&mut at_others, 0.5)),
        ms(percentile(&mut at_others, 0.99)),
        at_others.len()
    );
    println!(
        "  host CPU for one change all {} screens show: {} ({:.0} µs a screen)",
        everyone.len(),
        ms(per_change),
        per_change.as_secs_f64() * 1e6 / f64::from(u32::try_from(everyone.len()).unwrap_or(1))
    );
    println!(
        "  the clients' CPU for the same change (this process, same cores): {}",
        ms(clients_per_change)
    );
    println!("  host CPU, idle (turn mode)         {idle:.1} % of one core");
    println!("  host CPU, clock at 60 min/s        {busy:.1} % of one core");
    #[allow(clippy::cast_precision_loss)]
    let mb = hwm as f64 / 1024.0;
    println!("  host peak memory (VmHWM)           {mb:.1} MB");
    println!(
        "  bytes per screen per second, clock at 60 min/s: mean {mean_bps:.0}, max {max_bps:.0}"
    );
    let _ = host.kill();
    let _ = host.wait();
    let _ = std::fs::remove_dir_all(&data);
}
