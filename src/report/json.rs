//! The report as JSON (pretty-printed, documented in docs/report.md): the whole document,
//! metrics included, in declaration order, so the same report gives the same bytes.

use super::document::Report;

pub fn render(report: &Report) -> String {
    // Plain data with string keys: serialising cannot fail.
    let mut s = serde_json::to_string_pretty(report).unwrap_or_default();
    s.push('\n');
    s
}
