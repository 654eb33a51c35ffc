//! The SSH server: the only place with an async runtime. It proves codes, grants a
//! pseudo-terminal and a shell and nothing else, bounds what each client may send, and
//! hands the host plain messages; everything a participant sees comes back from the host
//! as bytes for their channel.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::SyncSender;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use russh::keys::PrivateKey;
use russh::server::{Auth, Handler, Msg, Response, Session};
use russh::{Channel, ChannelId, MethodKind, MethodSet, Pty};
use tokio::net::TcpListener;

use super::client::{Out, Sink, bounded};
use super::codes::Passes;
use super::gate::{Gate, Limits};
use super::host::ToHost;

/// Frames queued for one client before it counts as behind.
const QUEUE: usize = 64;

/// How long a connection has to give a right code.
const PROVE_WITHIN: Duration = Duration::from_secs(30);

/// What every connection shares.
pub struct Shared {
    pub passes: Arc<Mutex<Passes>>,
    pub gate: Mutex<Gate>,
    pub to_host: SyncSender<ToHost>,
    next: AtomicU64,
    /// Connections in per pass.
    in_by_pass: Mutex<std::collections::HashMap<usize, usize>>,
}

impl Shared {
    pub fn new(
        passes: Arc<Mutex<Passes>>,
        limits: Limits,
        to_host: SyncSender<ToHost>,
    ) -> Arc<Shared> {
        Arc::new(Shared {
            passes,
            gate: Mutex::new(Gate::new(limits)),
            to_host,
            // Connection 0 is the host's own terminal.
            next: AtomicU64::new(1),
            in_by_pass: Mutex::new(std::collections::HashMap::new()),
        })
    }
}

/// The server's SSH settings: the host key, the "none" and "keyboard-interactive"
/// methods only (the code is the user name, or typed at a prompt), strict time limits.
pub fn config(key: PrivateKey) -> russh::server::Config {
    russh::server::Config {
        keys: vec![key],
        methods: MethodSet::from(&[MethodKind::None, MethodKind::KeyboardInteractive][..]),
        auth_rejection_time: Duration::from_millis(300),
        auth_rejection_time_initial: Some(Duration::ZERO),
        max_auth_attempts: 3,
        inactivity_timeout: Some(Duration::from_secs(3600)),
        keepalive_interval: Some(Duration::from_secs(30)),
        keepalive_max: 4,
        nodelay: true,
        channel_buffer_size: 32,
        maximum_packet_size: 32_768,
        window_size: 256 * 1024,
        ..Default::default()
    }
}

/// Serves connections on `listener` until the runtime stops.
pub async fn serve(listener: TcpListener, config: Arc<russh::server::Config>, shared: Arc<Shared>) {
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(20)).await;
            continue;
        };
        let ip = peer.ip();
        let admitted = shared
            .gate
            .lock()
            .is_ok_and(|mut g| g.arrive(ip, Instant::now()).is_ok());
        if !admitted {
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let id = shared.next.fetch_add(1, Ordering::Relaxed);
        let proven = Arc::new(AtomicBool::new(false));
        let conn = Conn {
            id,
            peer,
            shared: Arc::clone(&shared),
            pass: None,
            proven: Arc::clone(&proven),
            channel: None,
            pty: None,
            colour: true,
            joined: false,
        };
        let config = Arc::clone(&config);
        tokio::spawn(async move {
            let Ok(session) = russh::server::run_stream(config, stream, conn).await else {
                return;
            };
            let handle = session.handle();
            let watch = tokio::spawn(async move {
                tokio::time::sleep(PROVE_WITHIN).await;
                if !proven.load(Ordering::Relaxed) {
                    let _ = handle
                        .disconnect(
                            russh::Disconnect::ByApplication,
                            "no code given in time".into(),
                            String::new(),
                        )
                        .await;
                }
            });
            let _ = session.await;
            watch.abort();
        });
    }
}

/// One connection.
struct Conn {
    id: u64,
    peer: SocketAddr,
    shared: Arc<Shared>,
    /// The pass its code opened.
    pass: Option<usize>,
    proven: Arc<AtomicBool>,
    channel: Option<ChannelId>,
    pty: Option<(u16, u16)>,
    colour: bool,
    joined: bool,
}

impl Conn {
    fn ip(&self) -> IpAddr {
        self.peer.ip()
    }

    /// Tries a code; on a right one the connection holds its pass.
    fn prove(&mut self, typed: &str) -> Auth {
        let now = Instant::now();
        let Ok(mut gate) = self.shared.gate.lock() else {
            return Auth::reject();
        };
        if !gate.may_try(self.ip(), now) {
            return Auth::reject();
        }
        let found = self.shared.passes.lock().ok().and_then(|p| p.find(typed));
        let Some(i) = found else {
            gate.failed(self.ip(), now);
            return Auth::reject();
        };
        let per_code = gate.limits.per_code;
        let Ok(mut by_pass) = self.shared.in_by_pass.lock() else {
            return Auth::reject();
        };
        let n = by_pass.entry(i).or_insert(0);
        if *n >= per_code {
            return Auth::reject();
        }
        *n += 1;
        gate.proven(self.ip());
        self.pass = Some(i);
        self.proven.store(true, Ordering::Relaxed);
        Auth::Accept
    }

    fn tell(&self, m: ToHost) {
        // A host that cannot keep up drops what it cannot take rather than grow without
        // bound; a lost key is typed again, a lost join or leave is noticed at the next frame.
        let _ = self.shared.to_host.try_send(m);
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if self.joined {
            self.tell(ToHost::Left { conn: self.id });
        }
        let proven = self.proven.load(Ordering::Relaxed);
        if let Ok(mut g) = self.shared.gate.lock() {
            g.closed(self.ip(), proven);
        }
        if let (Some(i), Ok(mut by_pass)) = (self.pass, self.shared.in_by_pass.lock())
            && let Some(n) = by_pass.get_mut(&i)
        {
            *n = n.saturating_sub(1);
        }
    }
}

/// Whether a terminal type shows colour.
fn colour_for(term: &str) -> bool {
    let t = term.to_ascii_lowercase();
    !(t.is_empty() || t == "dumb" || t.contains("mono") || t == "vt100" || t == "vt220")
}

impl Handler for Conn {
    type Error = russh::Error;

    async fn auth_none(&mut self, user: &str) -> Result<Auth, Self::Error> {
        Ok(self.prove(user))
    }

    async fn auth_keyboard_interactive<'a>(
        &'a mut self,
        user: &str,
        _submethods: &str,
        response: Option<Response<'a>>,
    ) -> Result<Auth, Self::Error> {
        if let Some(mut r) = response {
            let typed = r
                .next()
                .map(|b| String::from_utf8_lossy(&b[..b.len().min(64)]).into_owned());
            return Ok(self.prove(typed.as_deref().unwrap_or("")));
        }
        // A user name that is a code needs no prompt.
        if self
            .shared
            .passes
            .lock()
            .ok()
            .and_then(|p| p.find(user))
            .is_some()
        {
            return Ok(self.prove(user));
        }
        Ok(Auth::Partial {
            name: "ttx".into(),
            instructions: "Type the join code the facilitator gave you.".into(),
            prompts: vec![("Join code: ".into(), true)].into(),
        })
    }

    async fn channel_open_session(
        &mut self,
        channel: Channel<Msg>,
        reply: russh::server::ChannelOpenHandle,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // One terminal per connection.
        if self.pass.is_some() && self.channel.is_none() {
            self.channel = Some(channel.id());
            reply.accept().await;
        } else {
            reply
                .reject(russh::ChannelOpenFailure::AdministrativelyProhibited)
                .await;
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    async fn pty_request(
        &mut self,
        channel: ChannelId,
        term: &str,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _modes: &[(Pty, u32)],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        if Some(channel) != self.channel || self.joined {
            session.channel_failure(channel)?;
            return Ok(());
        }
        self.pty = Some(bounded(col_width, row_height));
        self.colour = colour_for(&term[..term.len().min(64)]);
        session.channel_success(channel)?;
        Ok(())
    }

    async fn shell_request(
        &mut self,
        channel: ChannelId,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        let (Some(pass), Some(size)) = (self.pass, self.pty) else {
            session.channel_failure(channel)?;
            if self.pty.is_none() {
                let _ = session.data(
                    channel,
                    b"ttx needs a terminal: connect with ssh -t, from a terminal window.\r\n"
                        .to_vec(),
                );
                session.close(channel)?;
            }
            return Ok(());
        };
        if Some(channel) != self.channel || self.joined {
            session.channel_failure(channel)?;
            return Ok(());
        }
        session.channel_success(channel)?;
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Out>(QUEUE);
        let handle = session.handle();
        tokio::spawn(async move {
            while let Some(out) = rx.recv().await {
                match out {
                    Out::Bytes(b) => {
                        if handle.data(channel, b).await.is_err() {
                            break;
                        }
                    }
                    Out::Close => {
                        let _ = handle.eof(channel).await;
                        let _ = handle.close(channel).await;
                        break;
                    }
                }
            }
        });
        self.joined = true;
        self.tell(ToHost::Joined {
            conn: self.id,
            pass,
            size,
            colour: self.colour,
            sink: Sink::Remote(tx),
        });
        Ok(())
    }

    async fn exec_request(
        &mut self,
        channel: ChannelId,
        _data: &[u8],
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn subsystem_request(
        &mut self,
        channel: ChannelId,
        _name: &str,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn x11_request(
        &mut self,
        channel: ChannelId,
        _single: bool,
        _protocol: &str,
        _cookie: &str,
        _screen: u32,
        session: &mut Session,
    ) -> Result<(), Self::Error> {
        session.channel_failure(channel)?;
        Ok(())
    }

    async fn env_request(
        &mut self,
        _channel: ChannelId,
        _name: &str,
        _value: &str,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        // Nothing of the client's environment is taken.
        Ok(())
    }

    async fn agent_request(
        &mut self,
        _channel: ChannelId,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn tcpip_forward(
        &mut self,
        _address: &str,
        _port: &mut u32,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn streamlocal_forward(
        &mut self,
        _path: &str,
        _session: &mut Session,
    ) -> Result<bool, Self::Error> {
        Ok(false)
    }

    async fn data(
        &mut self,
        channel: ChannelId,
        data: &[u8],
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.joined && Some(channel) == self.channel {
            let bytes = data[..data.len().min(super::input::MAX_BYTES)].to_vec();
            self.tell(ToHost::Typed {
                conn: self.id,
                bytes,
            });
        }
        Ok(())
    }

    async fn window_change_request(
        &mut self,
        channel: ChannelId,
        col_width: u32,
        row_height: u32,
        _pix_width: u32,
        _pix_height: u32,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.joined && Some(channel) == self.channel {
            self.tell(ToHost::Resized {
                conn: self.id,
                size: bounded(col_width, row_height),
            });
        }
        Ok(())
    }

    async fn channel_close(
        &mut self,
        channel: ChannelId,
        _session: &mut Session,
    ) -> Result<(), Self::Error> {
        if self.joined && Some(channel) == self.channel {
            self.joined = false;
            self.tell(ToHost::Left { conn: self.id });
        }
        Ok(())
    }
}
