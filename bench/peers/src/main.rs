//! The equivalent-work benchmark run on peers of ttx, to compare with `ttx bench`:
//!
//! - `bladeink`: the bladeink 2.1.0 ink runtime, on the graph written as compiled ink JSON;
//! - `floor PATH`: no engine, a bare ron + serde load of ttx's scenario file plus a check of
//!   every reference, i.e. the least any RON-reading engine has to do.

// Instant::now: ttx's clippy.toml forbids the OS clock in the engine; timing is all this does.
#![allow(clippy::disallowed_methods)]

mod floor;
mod ink;

use std::process::ExitCode;
use std::time::Duration;

pub type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["bladeink"] => ink::run(),
        ["floor", path] => floor::run(std::path::Path::new(path)),
        _ => {
            eprintln!("usage: ttx-peers bladeink | ttx-peers floor PATH_TO_RON");
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Peak resident memory of the whole process (`VmHWM`), in MB of 2^20 bytes as `ttx bench`.
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}

/// A size in MB (10^6 bytes), as `ttx bench` prints the file size.
#[allow(clippy::cast_precision_loss)] // files of a few MB
pub fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

/// Median and fastest of some timings, in ms.
pub fn median_and_min(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    (ms(times[times.len() / 2]), ms(times[0]))
}

pub fn verdict(ok: bool) -> &'static str {
    if ok {
        "matches the oracle"
    } else {
        "DOES NOT MATCH the oracle"
    }
}
