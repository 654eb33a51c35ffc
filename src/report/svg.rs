//! The timeline chart as inline SVG: one swimlane per role, a lane for the attacker with the
//! threat's stages as bands, and a lane for the exercise (milestones, SLA breaches). Every
//! marker carries a `<title>` with its time and text; labels are placed so they never
//! overlap (a label that does not fit is left to the title and the timeline table).

// Counts of characters and lanes are small: converting them to f64 loses nothing.
#![allow(clippy::cast_precision_loss)]
// `r` (report), `o` (overview), `s` (output), `x` (time to abscissa) are this module's idiom.
#![allow(clippy::many_single_char_names)]

use std::fmt::Write as _;

use crate::engine::time::GameTime;

use super::document::{LANE_EXERCISE, LANE_THREAT, Mark, Report};
use super::words::short;

/// Escapes text for XML content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

const WIDTH: u32 = 1100;
const LEFT: u32 = 190;
const RIGHT: u32 = 20;
const TOP: u32 = 28;
const LANE: u32 = 64;
const THREAT_LANE: u32 = 40;
const EXERCISE_LANE: u32 = 62;
/// Approximate width of one character of the 10px label font.
const CHAR_W: f64 = 5.6;

/// Tick spacing in minutes: the smallest that gives at most ten ticks.
pub fn tick_step(span: u32) -> u32 {
    const STEPS: [u32; 11] = [5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880];
    STEPS.into_iter().find(|s| span / s <= 10).unwrap_or(2880)
}

/// Game times of the ticks: on round clock times (a multiple of the step since midnight).
pub fn ticks(start_minute_of_day: u32, span: u32) -> Vec<u32> {
    let step = tick_step(span);
    let first = (step - start_minute_of_day % step) % step;
    (first..=span).step_by(step as usize).collect()
}

struct Rows {
    /// Per label row, the right end of the last label placed.
    ends: Vec<f64>,
}

impl Rows {
    fn place(&mut self, x: f64, w: f64) -> Option<usize> {
        for (i, end) in self.ends.iter_mut().enumerate() {
            if x >= *end + 4.0 {
                *end = x + w;
                return Some(i);
            }
        }
        None
    }
}

/// The label of a timeline line on the chart: the action's name, the decision's words.
fn label(mark: Mark, text: &str) -> Option<String> {
    match mark {
        Mark::Action => {
            let name = text.split([',', '(']).next().unwrap_or(text).trim();
            Some(short(name, 34))
        }
        Mark::Decision => Some(short(text.trim_start_matches("Decided: "), 34)),
        Mark::Request => Some("approval request".into()),
        Mark::Approved => Some("approved".into()),
        Mark::Denied => Some("denied".into()),
        Mark::Expired => Some("no answer: default".into()),
        _ => None,
    }
}

/// The swimlane chart of a report: a lane per role, the attacker's stages, milestones and
/// SLAs, and every timeline row as a marker with a label where there is room.
pub fn render(r: &Report) -> String {
    let chart = Chart::new(r);
    let mut s = String::new();
    chart.frame(&mut s);
    chart.axis(&mut s);
    chart.stages(&mut s);
    chart.marks(&mut s);
    let _ = write!(
        s,
        "<line x1=\"{LEFT}\" y1=\"{TOP}\" x2=\"{LEFT}\" y2=\"{}\" stroke=\"#718096\"/>",
        chart.bottom
    );
    s.push_str("</svg>");
    s
}

/// The chart's geometry: its time span and lanes.
struct Chart<'r> {
    r: &'r Report,
    /// The last minute of the exercise (at least 1).
    end: u32,
    /// The minutes the chart spans: a little past the end, so the stage the attacker ended
    /// in stays visible.
    span: u32,
    /// Each role's lane: its id and its name.
    lanes: Vec<(String, String)>,
    height: u32,
    /// The top of the threat's lane and of the exercise's.
    ty: u32,
    ey: u32,
    bottom: u32,
}

impl<'r> Chart<'r> {
    fn new(r: &'r Report) -> Self {
        let end = r.metrics.ended_at.minutes().max(1);
        let lanes: Vec<(String, String)> = r
            .overview
            .roles
            .iter()
            .map(|role| (role.role.to_string(), role.name.clone()))
            .collect();
        let roles = TOP + LANE * u32::try_from(lanes.len()).unwrap_or(0);
        Chart {
            r,
            end,
            span: end + (end / 25).max(3),
            height: roles + THREAT_LANE + EXERCISE_LANE + 24,
            ty: roles,
            ey: roles + THREAT_LANE,
            bottom: roles + THREAT_LANE + EXERCISE_LANE,
            lanes,
        }
    }

    /// The x of a moment.
    fn x(&self, t: GameTime) -> f64 {
        let plot = f64::from(WIDTH - LEFT - RIGHT);
        f64::from(LEFT) + f64::from(t.minutes().min(self.span)) * plot / f64::from(self.span)
    }

    /// The top of a lane: a role's id, [`LANE_THREAT`] or [`LANE_EXERCISE`].
    fn lane_y(&self, id: &str) -> Option<u32> {
        if id == LANE_THREAT {
            return Some(self.ty);
        }
        if id == LANE_EXERCISE {
            return Some(self.ey);
        }
        self.lanes
            .iter()
            .position(|(l, _)| l == id)
            .map(|i| TOP + LANE * u32::try_from(i).unwrap_or(0))
    }

    /// The document, its title, and the lanes with their names.
    fn frame(&self, s: &mut String) {
        let (o, height, ty, ey) = (&self.r.overview, self.height, self.ty, self.ey);
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" viewBox=\"0 0 {WIDTH} {height}\" width=\"{WIDTH}\" height=\"{height}\" role=\"img\" aria-labelledby=\"chart-title\" font-family=\"system-ui, sans-serif\" font-size=\"10\">"
        );
        let _ = write!(
            s,
            "<title id=\"chart-title\">Timeline of {} by role, {} to {}</title>",
            esc(&o.title),
            esc(&o.started),
            esc(&o.ended)
        );
        // Lanes and their names.
        for (i, (_, name)) in self.lanes.iter().enumerate() {
            let y = TOP + LANE * u32::try_from(i).unwrap_or(0);
            let fill = if i % 2 == 0 { "#f4f6f8" } else { "#ffffff" };
            let _ = write!(
                s,
                "<rect x=\"0\" y=\"{y}\" width=\"{WIDTH}\" height=\"{LANE}\" fill=\"{fill}\"/><text x=\"8\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"#1a202c\">{}</text>",
                y + 20,
                esc(&short(name, 28))
            );
        }
        let _ = write!(
            s,
            "<rect x=\"0\" y=\"{ty}\" width=\"{WIDTH}\" height=\"{THREAT_LANE}\" fill=\"#fff5f5\"/><text x=\"8\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"#742a2a\">Attacker (threat stages)</text>",
            ty + 24
        );
        let _ = write!(
            s,
            "<rect x=\"0\" y=\"{ey}\" width=\"{WIDTH}\" height=\"{EXERCISE_LANE}\" fill=\"#f7fafc\"/><text x=\"8\" y=\"{}\" font-size=\"12\" font-weight=\"600\" fill=\"#1a202c\">Milestones and SLAs</text>",
            ey + 20
        );
    }

    /// The time axis: round clock times.
    fn axis(&self, s: &mut String) {
        let (o, bottom) = (&self.r.overview, self.bottom);
        for t in ticks(o.start.minute_of_day, self.end) {
            let xt = self.x(GameTime(t));
            let anchor = if xt > f64::from(WIDTH - RIGHT) - 30.0 {
                "end"
            } else {
                "middle"
            };
            let face = o.start.clock(GameTime(t));
            let _ = write!(
                s,
                "<line x1=\"{xt:.1}\" y1=\"{}\" x2=\"{xt:.1}\" y2=\"{bottom}\" stroke=\"#cbd5e0\" stroke-width=\"1\"/><text x=\"{xt:.1}\" y=\"{}\" text-anchor=\"{anchor}\" fill=\"#4a5568\">{}</text>",
                TOP - 4,
                TOP - 8,
                esc(&face.to_string())
            );
        }
    }

    /// The threat's stages as bands, darker as the attacker gets further.
    fn stages(&self, s: &mut String) {
        let (r, o, ty) = (self.r, &self.r.overview, self.ty);
        let n = r
            .metrics
            .threat
            .as_ref()
            .map(|t| usize::from(t.of))
            .filter(|n| *n > 0)
            .unwrap_or(r.threat_bands.len())
            .max(1);
        let last = r.threat_bands.len();
        for (i, b) in r.threat_bands.iter().enumerate() {
            // The stage the attacker ended in runs to the edge of the chart.
            let to = if i + 1 == last {
                GameTime(self.span)
            } else {
                b.to
            };
            let (x0, x1) = (self.x(b.from), self.x(to).max(self.x(b.from) + 2.0));
            let k = f64::from(b.number) / n as f64;
            let (red, green, blue) = (255.0 - 80.0 * k, 230.0 - 200.0 * k, 230.0 - 200.0 * k);
            let text_fill = if k > 0.55 { "#ffffff" } else { "#1a202c" };
            let _ = write!(
                s,
                "<g><title>{}. {} from {}</title><rect x=\"{x0:.1}\" y=\"{}\" width=\"{:.1}\" height=\"{}\" fill=\"rgb({red:.0},{green:.0},{blue:.0})\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
                b.number,
                esc(&b.name),
                esc(&o.start.clock(b.from).to_string()),
                ty + 8,
                x1 - x0,
                THREAT_LANE - 16
            );
            let full = format!("{}. {}", b.number, b.name);
            let room = x1 - x0 - 6.0;
            // Non-negative and at most the chart's width in characters.
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let fits = (room / CHAR_W).floor().max(0.0) as usize;
            let text = if full.chars().count() <= fits {
                Some(full)
            } else if fits >= 8 {
                Some(short(&full, fits))
            } else if b.number.to_string().len() <= fits {
                Some(b.number.to_string())
            } else {
                None
            };
            if let Some(t) = text {
                let _ = write!(
                    s,
                    "<text x=\"{:.1}\" y=\"{}\" fill=\"{text_fill}\">{}</text>",
                    x0 + 3.0,
                    ty + 24,
                    esc(&t)
                );
            }
            s.push_str("</g>");
        }
    }

    /// Every timeline row as a marker in its lanes, with a label in the first free row.
    fn marks(&self, s: &mut String) {
        let bottom = self.bottom;
        let mut rows: Vec<(String, Rows)> = Vec::new();
        for row in &self.r.timeline {
            for lane in &row.lanes {
                if lane == LANE_THREAT {
                    continue;
                }
                let Some(y0) = self.lane_y(lane) else {
                    continue;
                };
                let cx = self.x(row.at);
                let cy = f64::from(y0) + 14.0;
                let tip = format!("{} \u{2014} {}: {}", row.clock, row.who, row.text);
                let shape = match row.mark {
                    Mark::Inject | Mark::Note => format!(
                        "<circle cx=\"{cx:.1}\" cy=\"{cy:.1}\" r=\"4\" fill=\"{}\"/>",
                        if row.mark == Mark::Inject {
                            "#2b6cb0"
                        } else {
                            "#6b46c1"
                        }
                    ),
                    Mark::Decision => format!(
                        "<path d=\"M{cx:.1} {:.1} l6 6 l-6 6 l-6 -6 z\" fill=\"#2f855a\"/>",
                        cy - 6.0
                    ),
                    Mark::Expired | Mark::Refused => format!(
                        "<path d=\"M{:.1} {:.1} l10 10 m0 -10 l-10 10\" stroke=\"#c53030\" stroke-width=\"2.5\"/>",
                        cx - 5.0,
                        cy - 5.0
                    ),
                    Mark::Action => {
                        let w = row.until.map_or(0.0, |u| self.x(u) - cx).max(5.0);
                        format!(
                            "<rect x=\"{cx:.1}\" y=\"{:.1}\" width=\"{w:.1}\" height=\"9\" rx=\"2\" fill=\"#285e61\"/>",
                            cy - 4.5
                        )
                    }
                    Mark::Request | Mark::Approved | Mark::Denied => format!(
                        "<path d=\"M{cx:.1} {:.1} l6 11 l-12 0 z\" fill=\"{}\"/>",
                        cy - 6.0,
                        match row.mark {
                            Mark::Request => "#c05621",
                            Mark::Approved => "#2f855a",
                            _ => "#c53030",
                        }
                    ),
                    Mark::SlaBreach => format!(
                        "<path d=\"M{cx:.1} {:.1} l6 11 l-12 0 z\" fill=\"#c53030\"/>",
                        cy - 6.0
                    ),
                    Mark::Milestone => format!(
                        "<line x1=\"{cx:.1}\" y1=\"{TOP}\" x2=\"{cx:.1}\" y2=\"{bottom}\" stroke=\"#2c5282\" stroke-width=\"1.2\" stroke-dasharray=\"4 3\"/>"
                    ),
                    Mark::End => format!(
                        "<line x1=\"{cx:.1}\" y1=\"{TOP}\" x2=\"{cx:.1}\" y2=\"{bottom}\" stroke=\"#1a202c\" stroke-width=\"2\"/>"
                    ),
                    _ => continue,
                };
                let _ = write!(s, "<g><title>{}</title>{shape}</g>", esc(&tip));
                // Labels below the markers, in the first free row of the lane.
                let text = match row.mark {
                    Mark::Milestone => Some(row.text.trim_start_matches("Milestone: ").to_owned()),
                    Mark::SlaBreach => Some("SLA breach".to_owned()),
                    Mark::End => Some("end".to_owned()),
                    m => label(m, &row.text),
                };
                let Some(text) = text else { continue };
                let w = text.chars().count() as f64 * CHAR_W;
                let lx = (cx - 2.0)
                    .min(f64::from(WIDTH - RIGHT) - w)
                    .max(f64::from(LEFT));
                let idx = if let Some(i) = rows.iter().position(|(l, _)| l == lane) {
                    i
                } else {
                    let n = 3;
                    rows.push((
                        lane.clone(),
                        Rows {
                            ends: vec![f64::MIN; n],
                        },
                    ));
                    rows.len() - 1
                };
                if let Some(k) = rows[idx].1.place(lx, w) {
                    let ly = cy + 17.0 + 12.0 * k as f64;
                    let _ = write!(
                        s,
                        "<text x=\"{lx:.1}\" y=\"{ly:.1}\" fill=\"#2d3748\">{}</text>",
                        esc(&text)
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_fall_on_round_clock_times() {
        // Start 03:30, five and a half hours: every 30 minutes from 03:30.
        assert_eq!(tick_step(330), 60);
        assert_eq!(ticks(210, 330), vec![30, 90, 150, 210, 270, 330]);
        assert_eq!(ticks(0, 50), vec![0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    }

    #[test]
    fn xml_special_characters_are_escaped() {
        assert_eq!(esc("a<b & \"c\"'"), "a&lt;b &amp; &quot;c&quot;&#39;");
    }
}
