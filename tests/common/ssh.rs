//! A participant's terminal for the network tests: an SSH client (the same library the
//! host uses, as the client end) that joins with a code, asks for a terminal and a shell,
//! and reads every byte the host sends through a terminal emulator, so the test sees the
//! screen as a person would and can read every state it passed through.
// Waiting for a screen needs the wall clock, for deadlines only.
#![allow(clippy::disallowed_methods)]

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::ChannelMsg;
use russh::client::{self, Handle};
use russh::keys::PublicKeyOrCertificate;

/// How long a write may wait for the host's window.
const SEND_WITHIN: Duration = Duration::from_secs(10);

/// How long joining (connect, prove, terminal, shell) may take.
const JOIN_WITHIN: Duration = Duration::from_secs(20);

/// Trusts any host key (the tests make a fresh one).
pub struct Trust;

impl client::Handler for Trust {
    type Error = russh::Error;
    async fn check_server_key(&mut self, _: &PublicKeyOrCertificate) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

pub fn config() -> Arc<client::Config> {
    Arc::new(client::Config {
        inactivity_timeout: Some(Duration::from_secs(60)),
        ..Default::default()
    })
}

/// What one terminal has seen.
#[derive(Default)]
pub struct Seen {
    pub parser: Option<vt100::Parser>,
    /// Every screen's text, one after each chunk of bytes (for audience checks).
    pub every: Vec<String>,
    pub bytes: usize,
    pub closed: bool,
}

/// A joined participant.
pub struct Terminal {
    pub handle: Handle<Trust>,
    pub writer: russh::ChannelWriteHalf<client::Msg>,
    pub seen: Arc<Mutex<Seen>>,
}

/// Connects and proves `code` as the user name. `Err` when the host refused.
pub async fn connect(addr: SocketAddr, code: &str) -> Result<Handle<Trust>, String> {
    connect_from([127, 0, 0, 1], addr, code).await
}

/// Connects from the loopback address `local` and proves `code` as the user name.
pub async fn connect_from(
    local: [u8; 4],
    addr: SocketAddr,
    code: &str,
) -> Result<Handle<Trust>, String> {
    tokio::time::timeout(JOIN_WITHIN, connect_unbounded(local, addr, code))
        .await
        .unwrap_or_else(|_| Err("timed out connecting".into()))
}

async fn connect_unbounded(
    local: [u8; 4],
    addr: SocketAddr,
    code: &str,
) -> Result<Handle<Trust>, String> {
    let sock = tokio::net::TcpSocket::new_v4().map_err(|e| format!("socket: {e}"))?;
    sock.bind(SocketAddr::from((local, 0)))
        .map_err(|e| format!("bind: {e}"))?;
    let stream = sock
        .connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let mut h = client::connect_stream(config(), stream, Trust)
        .await
        .map_err(|e| format!("handshake: {e}"))?;
    let r = h
        .authenticate_none(code)
        .await
        .map_err(|e| format!("auth: {e}"))?;
    if r.success() {
        Ok(h)
    } else {
        Err("the code was refused".into())
    }
}

impl Terminal {
    /// Joins with `code` on a `cols`×`rows` terminal.
    pub async fn join(
        addr: SocketAddr,
        code: &str,
        cols: u16,
        rows: u16,
    ) -> Result<Terminal, String> {
        tokio::time::timeout(
            JOIN_WITHIN,
            Terminal::join_unbounded(addr, code, cols, rows),
        )
        .await
        .unwrap_or_else(|_| Err("timed out joining".into()))
    }

    async fn join_unbounded(
        addr: SocketAddr,
        code: &str,
        cols: u16,
        rows: u16,
    ) -> Result<Terminal, String> {
        let handle = connect(addr, code).await?;
        let ch = handle
            .channel_open_session()
            .await
            .map_err(|e| format!("session: {e}"))?;
        ch.request_pty(
            true,
            "xterm-256color",
            u32::from(cols),
            u32::from(rows),
            0,
            0,
            &[],
        )
        .await
        .map_err(|e| format!("pty: {e}"))?;
        ch.request_shell(true)
            .await
            .map_err(|e| format!("shell: {e}"))?;
        let (mut reader, writer) = ch.split();
        let seen = Arc::new(Mutex::new(Seen {
            parser: Some(vt100::Parser::new(
                std::num::NonZeroU16::new(rows.max(1)).expect("rows"),
                std::num::NonZeroU16::new(cols.max(1)).expect("cols"),
                0,
            )),
            ..Seen::default()
        }));
        let s = Arc::clone(&seen);
        tokio::spawn(async move {
            while let Some(msg) = reader.wait().await {
                let mut s = s.lock().expect("lock");
                match msg {
                    ChannelMsg::Data { data } => {
                        s.bytes += data.len();
                        let text = match s.parser.as_mut() {
                            Some(p) => {
                                p.process(&data);
                                p.screen().contents()
                            }
                            None => String::new(),
                        };
                        s.every.push(text);
                    }
                    ChannelMsg::Eof | ChannelMsg::Close => s.closed = true,
                    _ => {}
                }
            }
            s.lock().expect("lock").closed = true;
        });
        Ok(Terminal {
            handle,
            writer,
            seen,
        })
    }

    /// Types bytes; false if they were not taken within 10 s (a channel the host closed
    /// never opens its window again, so an unbounded write would wait for ever).
    pub async fn send(&self, bytes: &[u8]) -> bool {
        let gone = async {
            while !self.closed() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::select! {
            r = self.writer.data_bytes(bytes.to_vec()) => r.is_ok(),
            () = gone => false,
            () = tokio::time::sleep(SEND_WITHIN) => false,
        }
    }

    /// The screen now.
    pub fn screen(&self) -> String {
        let s = self.seen.lock().expect("lock");
        s.parser
            .as_ref()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// The screen's cells now with their colours and attributes, row by row (a blank cell is
    /// a space, whether it was written or never was).
    pub fn formatted(&self) -> Vec<String> {
        let s = self.seen.lock().expect("lock");
        let Some(p) = s.parser.as_ref() else {
            return Vec::new();
        };
        super::cells(p.screen())
    }

    /// The bytes received so far.
    pub fn bytes(&self) -> usize {
        self.seen.lock().expect("lock").bytes
    }

    /// Waits (bounded: 20 s, in steps of 20 ms) until more than `since` bytes have arrived
    /// and then nothing more for 200 ms: a screen drawn and finished.
    pub async fn drawn_after(&self, since: usize) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        let mut last = (self.bytes(), Instant::now());
        loop {
            tokio::time::sleep(Duration::from_millis(20)).await;
            let n = self.bytes();
            if n != last.0 {
                last = (n, Instant::now());
            } else if n > since && last.1.elapsed() >= Duration::from_millis(200) {
                return Ok(());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "timed out waiting for a screen after byte {since}; the screen:\n{}",
                    self.screen()
                ));
            }
        }
    }

    /// Waits (bounded) until the screen holds `text`; the screen, or `Err` with it.
    pub async fn wait_for(&self, text: &str) -> Result<String, String> {
        self.wait_until(|s| s.contains(text), text).await
    }

    /// Waits (bounded: 20 s, in steps of 20 ms) until `ok` holds for the screen.
    pub async fn wait_until(
        &self,
        ok: impl Fn(&str) -> bool,
        what: &str,
    ) -> Result<String, String> {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.screen();
            if ok(&s) {
                return Ok(s);
            }
            if Instant::now() > deadline {
                return Err(format!("timed out waiting for {what:?}; the screen:\n{s}"));
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Closes the briefing card a seat is shown when it first comes into play.
    pub async fn past_briefing(&self) -> Result<String, String> {
        self.wait_for("Your briefing").await?;
        self.send(b"\r").await;
        self.wait_until(|s| !s.contains("Your briefing"), "the briefing closed")
            .await
    }

    /// Presses `key` (at most twelve times, 200 ms apart) until the screen shows `text`.
    pub async fn press_until(&self, key: &[u8], text: &str) {
        for _ in 0..12 {
            if self.screen().contains(text) {
                return;
            }
            self.send(key).await;
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    /// True once the host closed the channel.
    pub fn closed(&self) -> bool {
        self.seen.lock().expect("lock").closed
    }
}
