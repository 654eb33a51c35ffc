//! A handout in Markdown and as one print-ready HTML file (inline CSS with an A4 print
//! style, nothing fetched, all text escaped).

use std::fmt::Write as _;

use super::{Handout, Part};
use crate::report::markdown::{cell, esc as md};
use crate::report::svg::esc;

/// The handout in Markdown.
pub fn markdown(h: &Handout) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n", md(&h.title));
    let _ = writeln!(out, "**{}**\n", md(&h.kind));
    let _ = writeln!(out, "*{}*\n", md(&h.marking));
    for p in &h.parts {
        part_md(&mut out, p);
    }
    out
}

fn part_md(out: &mut String, p: &Part) {
    let _ = writeln!(out, "## {}\n", md(&p.heading));
    for para in &p.paragraphs {
        let _ = writeln!(out, "{}\n", md(para));
    }
    for item in &p.items {
        let _ = writeln!(out, "- {}", cell(item));
    }
    if !p.items.is_empty() {
        out.push('\n');
    }
    if let Some(t) = &p.table {
        let headers: Vec<String> = t.headers.iter().map(|h| cell(h)).collect();
        let _ = writeln!(out, "| {} |", headers.join(" | "));
        let _ = writeln!(out, "|{}", " --- |".repeat(t.headers.len()));
        for row in &t.rows {
            let cells: Vec<String> = row.iter().map(|c| cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        out.push('\n');
    }
}

const STYLE: &str = r"
:root { --ink: #1a202c; --muted: #4a5568; --line: #cbd5e0; --band: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; }
main { max-width: 1000px; margin: 0 auto; padding: 24px 20px 48px; }
h1 { font-size: 26px; margin: 0 0 4px; }
p.kind { font-size: 18px; font-weight: 700; margin: 0 0 4px; }
p.marking { display: inline-block; border: 2px solid #c53030; color: #742a2a; padding: 2px 10px; border-radius: 4px; font-weight: 700; margin: 4px 0 12px; }
h2 { font-size: 19px; margin: 26px 0 8px; padding-bottom: 3px; border-bottom: 2px solid var(--ink); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13.5px; }
th, td { border: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
th { background: var(--band); }
ul { margin: 4px 0 10px; padding-left: 22px; }
footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  tr, li { break-inside: avoid; }
  @page { size: A4; margin: 14mm; }
}
";

/// The handout as one self-contained HTML page, ready to print.
pub fn html(h: &Handout) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} — {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&h.title),
        esc(&h.kind)
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(&h.title));
    let _ = writeln!(out, "<p class=\"kind\">{}</p>", esc(&h.kind));
    let _ = writeln!(out, "<p class=\"marking\">{}</p>", esc(&h.marking));
    for p in &h.parts {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", esc(&p.heading));
        for para in &p.paragraphs {
            let _ = writeln!(out, "<p>{}</p>", esc(para));
        }
        if !p.items.is_empty() {
            out.push_str("<ul>\n");
            for item in &p.items {
                let _ = writeln!(out, "<li>{}</li>", esc(item));
            }
            out.push_str("</ul>\n");
        }
        if let Some(t) = &p.table {
            out.push_str("<table>\n");
            // A table of names and values has no header row.
            if t.headers.iter().any(|h| !h.is_empty()) {
                out.push_str("<thead><tr>");
                for hd in &t.headers {
                    let _ = write!(out, "<th>{}</th>", esc(hd));
                }
                out.push_str("</tr></thead>\n");
            }
            out.push_str("<tbody>\n");
            for row in &t.rows {
                out.push_str("<tr>");
                for c in row {
                    let _ = write!(out, "<td>{}</td>", esc(c));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody>\n</table>\n");
        }
        out.push_str("</section>\n");
    }
    let _ = writeln!(out, "<footer>{}</footer>", esc(&h.marking));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}
