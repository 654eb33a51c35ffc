//! Networked seats: `ttx host` runs the one session and every participant joins it from
//! their own terminal over SSH, with nothing to install. The SSH server ([`server`]) is
//! the only async code in ttx (tokio lives here and nowhere else); it proves join codes
//! ([`codes`]) behind a gate of rate limits ([`gate`]) and hands plain messages to the
//! host ([`host`]), one thread that owns the session and draws each terminal ([`client`])
//! from its seat's screen. Keys arrive as bytes ([`input`]); the host key is kept under
//! the data folder ([`hostkey`]). The threat model is in `docs/network.md`.
//!
//! Sits above the terminal game (it draws with it) and below the command line.

// The network shell reads the wall clock: it paces the game, times out handshakes and
// rate-limits guesses (the engine never sees it).
#![allow(clippy::disallowed_methods)]

pub mod ansi;
pub mod client;
pub mod codes;
pub mod diff;
pub mod gate;
pub mod host;
pub mod hostkey;
pub mod input;
pub mod server;

use std::net::SocketAddr;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use codes::Passes;
use gate::Limits;
use host::ToHost;

/// Messages queued for the host before new ones are dropped.
const INBOX: usize = 4096;

/// A listening server: where it listens and how to reach its host.
#[derive(Debug)]
pub struct Listening {
    pub addr: SocketAddr,
    pub to_host: SyncSender<ToHost>,
    pub inbox: Receiver<ToHost>,
}

/// Binds `addr` and serves SSH on a thread of its own; the host reads `inbox`.
pub fn listen(
    addr: SocketAddr,
    key: russh::keys::PrivateKey,
    passes: Arc<Mutex<Passes>>,
    limits: Limits,
) -> std::io::Result<Listening> {
    let std_listener = std::net::TcpListener::bind(addr)?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let (to_host, inbox) = sync_channel(INBOX);
    let shared = server::Shared::new(passes, limits, to_host.clone());
    let config = Arc::new(server::config(key));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    std::thread::Builder::new()
        .name("ttx-ssh".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(std_listener) {
                    Ok(l) => server::serve(l, config, shared).await,
                    Err(e) => eprintln!("ttx: cannot listen: {e}"),
                }
            });
        })?;
    Ok(Listening {
        addr,
        to_host,
        inbox,
    })
}
