//! The door: how many connections the host takes, and how often an address may guess.
//! Pure bookkeeping over the times it is told, so that every rule is tested without
//! waiting.

use std::collections::HashMap;
use std::net::IpAddr;
use std::time::{Duration, Instant};

/// The bounds on what clients may ask of the host.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Connections open at once, in all.
    pub connections: usize,
    /// Connections from one address that have not yet given a code.
    pub unproven_per_address: usize,
    /// Connections in one seat by one code at once.
    pub per_code: usize,
    /// Wrong codes from one address before it must wait.
    pub failures: u32,
    /// How long failures are remembered, and how long an address then waits.
    pub cool_off: Duration,
    /// Addresses remembered at once (the oldest are forgotten first).
    pub addresses: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            connections: 256,
            unproven_per_address: 16,
            per_code: 16,
            failures: 5,
            cool_off: Duration::from_secs(60),
            addresses: 4096,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Record {
    failures: u32,
    first: Instant,
    blocked_until: Option<Instant>,
    unproven: usize,
}

/// Open connections and each address's recent failures.
#[derive(Debug)]
pub struct Gate {
    pub limits: Limits,
    open: usize,
    by_address: HashMap<IpAddr, Record>,
}

/// Why a connection or a code was turned away.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The host has as many connections as it takes.
    Full,
    /// This address has too many connections still to give a code.
    Crowded,
    /// This address gave too many wrong codes; it may try again later.
    CoolingOff,
}

impl Gate {
    pub fn new(limits: Limits) -> Gate {
        Gate {
            limits,
            open: 0,
            by_address: HashMap::new(),
        }
    }

    /// A connection from `addr` arrives at `now`. On `Ok` it counts as open (and unproven)
    /// until [`Gate::closed`].
    pub fn arrive(&mut self, addr: IpAddr, now: Instant) -> Result<(), Refused> {
        if self.open >= self.limits.connections {
            return Err(Refused::Full);
        }
        self.forget_old(now);
        let limits = self.limits;
        let r = self.record(addr, now);
        if r.blocked_until.is_some_and(|t| now < t) {
            return Err(Refused::CoolingOff);
        }
        if r.unproven >= limits.unproven_per_address {
            return Err(Refused::Crowded);
        }
        r.unproven += 1;
        self.open += 1;
        Ok(())
    }

    /// May `addr` try a code at `now`?
    pub fn may_try(&mut self, addr: IpAddr, now: Instant) -> bool {
        self.by_address
            .get(&addr)
            .and_then(|r| r.blocked_until)
            .is_none_or(|t| now >= t)
    }

    /// `addr` gave a wrong code at `now`.
    pub fn failed(&mut self, addr: IpAddr, now: Instant) {
        let limits = self.limits;
        let r = self.record(addr, now);
        if now.duration_since(r.first) > limits.cool_off {
            r.failures = 0;
            r.first = now;
        }
        r.failures += 1;
        if r.failures >= limits.failures {
            r.blocked_until = Some(now + limits.cool_off);
            r.failures = 0;
            r.first = now;
        }
    }

    /// A connection from `addr` gave a right code: it no longer counts as unproven.
    pub fn proven(&mut self, addr: IpAddr) {
        if let Some(r) = self.by_address.get_mut(&addr) {
            r.unproven = r.unproven.saturating_sub(1);
        }
    }

    /// A connection from `addr` closed; `proven` says whether it had given a right code.
    pub fn closed(&mut self, addr: IpAddr, proven: bool) {
        self.open = self.open.saturating_sub(1);
        if !proven && let Some(r) = self.by_address.get_mut(&addr) {
            r.unproven = r.unproven.saturating_sub(1);
        }
    }

    /// Connections open now.
    pub fn open(&self) -> usize {
        self.open
    }

    fn record(&mut self, addr: IpAddr, now: Instant) -> &mut Record {
        if !self.by_address.contains_key(&addr) && self.by_address.len() >= self.limits.addresses {
            // Forget the address whose record is oldest and holds no open connection.
            if let Some(old) = self
                .by_address
                .iter()
                .filter(|(_, r)| r.unproven == 0)
                .min_by_key(|(_, r)| r.first)
                .map(|(a, _)| *a)
            {
                self.by_address.remove(&old);
            }
        }
        self.by_address.entry(addr).or_insert(Record {
            failures: 0,
            first: now,
            blocked_until: None,
            unproven: 0,
        })
    }

    fn forget_old(&mut self, now: Instant) {
        let keep = self.limits.cool_off;
        if self.by_address.len() < self.limits.addresses / 2 {
            return;
        }
        self.by_address.retain(|_, r| {
            r.unproven > 0
                || r.blocked_until.is_some_and(|t| now < t)
                || now.duration_since(r.first) <= keep
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(n: u8) -> IpAddr {
        IpAddr::from([127, 0, 0, n])
    }

    #[test]
    fn wrong_codes_make_an_address_wait_and_only_that_address() {
        let mut g = Gate::new(Limits::default());
        let t0 = Instant::now();
        for _ in 0..4 {
            g.failed(ip(1), t0);
            assert!(g.may_try(ip(1), t0));
        }
        g.failed(ip(1), t0);
        assert!(!g.may_try(ip(1), t0));
        assert_eq!(g.arrive(ip(1), t0), Err(Refused::CoolingOff));
        assert!(g.may_try(ip(2), t0));
        assert_eq!(g.arrive(ip(2), t0), Ok(()));
        let later = t0 + Duration::from_secs(61);
        assert!(g.may_try(ip(1), later));
        assert_eq!(g.arrive(ip(1), later), Ok(()));
    }

    #[test]
    fn failures_spread_out_are_forgiven() {
        let mut g = Gate::new(Limits::default());
        let t0 = Instant::now();
        for k in 0..20 {
            g.failed(ip(1), t0 + Duration::from_secs(61 * k));
        }
        assert!(g.may_try(ip(1), t0 + Duration::from_secs(61 * 20)));
    }

    #[test]
    fn connections_are_bounded_in_all_and_unproven_per_address() {
        let limits = Limits {
            connections: 10,
            unproven_per_address: 3,
            ..Limits::default()
        };
        let mut g = Gate::new(limits);
        let t = Instant::now();
        for _ in 0..3 {
            assert_eq!(g.arrive(ip(1), t), Ok(()));
        }
        assert_eq!(g.arrive(ip(1), t), Err(Refused::Crowded));
        g.proven(ip(1));
        assert_eq!(g.arrive(ip(1), t), Ok(()));
        for n in 2..8 {
            assert_eq!(g.arrive(ip(n), t), Ok(()));
        }
        assert_eq!(g.open(), 10);
        assert_eq!(g.arrive(ip(9), t), Err(Refused::Full));
        g.closed(ip(2), false);
        assert_eq!(g.arrive(ip(9), t), Ok(()));
    }

    #[test]
    fn the_addresses_remembered_are_bounded() {
        let limits = Limits {
            addresses: 8,
            ..Limits::default()
        };
        let mut g = Gate::new(limits);
        let t = Instant::now();
        for n in 0..=255u8 {
            g.failed(IpAddr::from([10, 0, 0, n]), t);
        }
        assert!(g.by_address.len() <= 8);
    }
}
