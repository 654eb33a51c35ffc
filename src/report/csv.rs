//! The timeline as CSV (RFC 4180): `time,clock,role,kind,text`, one line per timeline row,
//! CRLF line ends, fields quoted when they hold a comma, a quote or a line break.

use std::fmt::Write as _;

use super::document::Report;

/// Quotes a field when RFC 4180 requires it, after neutralising a formula and escaping
/// control characters.
pub fn field(s: &str) -> String {
    let s = crate::untrusted::terminal(s);
    let s = crate::untrusted::csv_cell(&s);
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}

pub fn render(report: &Report) -> String {
    let mut out = String::from("time,clock,role,kind,text\r\n");
    // An interim report says so in its first row, at the game time it was made.
    if let Some(at) = &report.overview.interim {
        let _ = write!(
            out,
            "{},{},Exercise,interim,{}\r\n",
            report.metrics.ended_at.minutes(),
            field(&report.overview.ended),
            field(&format!(
                "Interim, at {at}: the exercise was still under way"
            ))
        );
    }
    for r in &report.timeline {
        let _ = write!(
            out,
            "{},{},{},{},{}\r\n",
            r.at.minutes(),
            field(&r.clock),
            field(&r.who),
            field(r.mark.word()),
            field(&r.text)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_are_quoted_as_rfc_4180_says() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"yes\""), "\"say \"\"yes\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
        assert_eq!(field("=1+1"), "'=1+1");
        assert_eq!(field("@SUM(A1), x"), "\"'@SUM(A1), x\"");
    }
}
