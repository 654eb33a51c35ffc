//! The session journal: an append-only log of everything an exercise applied (a header
//! naming the scenario, its content hash, the seed and the seats, then one record per
//! command with its game time and issuing seat), from which the exact state is rebuilt by
//! folding the records into a new exercise. Resume, replay, fork and `ttx report SESSION`
//! are all folds of a journal.
//!
//! The pure parts (the record format, decoding with its recovery rules, folding) use the
//! engine and nothing above it; the file I/O lives at the edge, in [`store`].

pub mod decode;
pub mod fold;
pub mod record;
pub mod store;

pub use decode::{Journal, JournalError, Torn, decode};
pub use fold::{FoldError, Folded, Replay, fold};
pub use record::{FORMAT_VERSION, Header, Parent, Record, SeatPlay, SeatRecord};
