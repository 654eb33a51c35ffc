//! A scenario as a graph, for its author: what sends each inject, what each inject, answer,
//! action and threat stage changes, what each condition reads, and how each ending is
//! reached. As Graphviz `dot`, as a Mermaid flowchart, or as one SVG drawn in columns
//! (threat and draws, injects, actions, variables, endings). Nodes are named, never by id;
//! injects and actions take the colour of their role.

use std::fmt::Write as _;

use crate::engine::model::{Cond, Effect, Mark, Outcome, Scenario, Trigger, ValueRef};
use crate::words::names::short;

use super::svg::esc;

/// A node: its kind (the column it is drawn in), its label and its colour.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Node {
    key: String,
    column: usize,
    label: String,
    colour: &'static str,
}

/// An edge: from, to, and whether it is a reading (dashed) rather than an effect.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Edge {
    from: String,
    to: String,
    reads: bool,
}

const ROLE_COLOURS: [&str; 8] = [
    "#2b6cb0", "#b7791f", "#2f855a", "#9b2c2c", "#6b46c1", "#2c7a7b", "#c05621", "#4a5568",
];
const THREAT: &str = "#742a2a";
const PLAIN: &str = "#4a5568";

fn outcome_colour(o: Outcome) -> &'static str {
    match o {
        Outcome::Good => "#276749",
        Outcome::Mixed => "#975a16",
        Outcome::Bad => "#9b2c2c",
    }
}

struct Graph {
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

fn value_key(v: ValueRef) -> String {
    match v {
        ValueRef::Var(v) => format!("v{}", v.ix()),
        ValueRef::Draw(d) => format!("d{}", d.ix()),
    }
}

fn mark_key(m: Mark) -> Option<String> {
    match m {
        Mark::Start => None,
        Mark::Delivered(i) | Mark::Chose(i, _) => Some(format!("i{}", i.ix())),
        Mark::Taken(a) | Mark::Completed(a) => Some(format!("a{}", a.ix())),
        Mark::Stage(s) => Some(format!("s{}", s.ix())),
    }
}

/// What a condition reads, as node keys.
fn reads(c: &Cond) -> Vec<String> {
    let mut out = Vec::new();
    c.walk(&mut |x| match x {
        Cond::Is(v) | Cond::AtLeast(v, _) | Cond::AtMost(v, _) | Cond::Equals(v, _) => {
            out.push(value_key(*v));
        }
        Cond::Compare(a, _, b) => {
            out.push(value_key(*a));
            out.push(value_key(*b));
        }
        Cond::Happened(m) => out.extend(mark_key(*m)),
        Cond::Within { from, to, .. } => {
            out.extend(mark_key(*from).into_iter().chain(mark_key(*to)));
        }
        _ => {}
    });
    out
}

/// What effects change, as node keys.
fn writes(effects: &[Effect]) -> Vec<String> {
    let mut out = Vec::new();
    Effect::walk(effects, &mut |e| match e {
        Effect::Set(v, _) | Effect::Add(v, _) | Effect::Copy(v, _) | Effect::AddFrom(v, _) => {
            out.push(format!("v{}", v.ix()));
        }
        Effect::Schedule(i, _) | Effect::Cancel(i) | Effect::Tell(_, i) => {
            out.push(format!("i{}", i.ix()));
        }
        Effect::Roll(d) => out.push(format!("d{}", d.ix())),
        Effect::End(e) => out.push(format!("e{}", e.ix())),
        Effect::AdvanceThreat | Effect::HaltThreat | Effect::ResumeThreat => {
            out.push("s0".to_owned());
        }
        Effect::If(_) => {}
    });
    out
}

fn build(sc: &Scenario) -> Graph {
    let role_colour = |r: Option<crate::engine::model::RoleIx>| {
        r.map_or(PLAIN, |r| ROLE_COLOURS[r.ix() % ROLE_COLOURS.len()])
    };
    let mut nodes = Vec::new();
    let mut edges = Vec::new();
    let link = |from: &str, to: Vec<String>, reads: bool, edges: &mut Vec<Edge>| {
        for t in to {
            let e = Edge {
                from: if reads { t.clone() } else { from.to_owned() },
                to: if reads { from.to_owned() } else { t },
                reads,
            };
            if !edges.contains(&e) {
                edges.push(e);
            }
        }
    };
    if let Some(t) = &sc.threat {
        for (k, s) in t.stages.iter().enumerate() {
            let key = format!("s{k}");
            nodes.push(Node {
                key: key.clone(),
                column: 0,
                label: s.name.clone(),
                colour: THREAT,
            });
            if k > 0 {
                edges.push(Edge {
                    from: format!("s{}", k - 1),
                    to: key.clone(),
                    reads: false,
                });
            }
            link(&key, writes(&s.effects), false, &mut edges);
        }
        link("s0", reads(&t.halted_when), true, &mut edges);
    }
    for (k, d) in sc.draws.iter().enumerate() {
        let label = if d.note.is_empty() {
            d.id.to_string()
        } else {
            short(&d.note, 40)
        };
        nodes.push(Node {
            key: format!("d{k}"),
            column: 0,
            label,
            colour: PLAIN,
        });
    }
    for (k, i) in sc.injects.iter().enumerate() {
        let key = format!("i{k}");
        let label = short(&crate::words::names::inject_name(sc, i.id.as_str()), 40);
        nodes.push(Node {
            key: key.clone(),
            column: 1,
            label,
            colour: role_colour(i.to.roles().next()),
        });
        if let Trigger::When(c, _) = &i.trigger {
            link(&key, reads(c), true, &mut edges);
        }
        link(&key, writes(&i.effects), false, &mut edges);
        for o in i.prompt.iter().flat_map(|p| &p.options) {
            link(&key, writes(&o.effects), false, &mut edges);
        }
    }
    for (k, a) in sc.actions.iter().enumerate() {
        let key = format!("a{k}");
        nodes.push(Node {
            key: key.clone(),
            column: 2,
            label: short(&a.name, 40),
            colour: role_colour(a.by.first().copied()),
        });
        link(&key, reads(&a.available), true, &mut edges);
        link(&key, writes(&a.effects), false, &mut edges);
    }
    for (k, v) in sc.variables.iter().enumerate() {
        let label = if v.name.is_empty() {
            v.id.to_string()
        } else {
            short(&v.name, 40)
        };
        nodes.push(Node {
            key: format!("v{k}"),
            column: 3,
            label,
            colour: PLAIN,
        });
    }
    for (k, e) in sc.endings.iter().enumerate() {
        let key = format!("e{k}");
        nodes.push(Node {
            key: key.clone(),
            column: 4,
            label: short(&e.title, 40),
            colour: outcome_colour(e.outcome),
        });
        link(&key, reads(&e.when), true, &mut edges);
    }
    // An edge to a node that does not exist (a stage of no threat) is dropped.
    edges.retain(|e| nodes.iter().any(|n| n.key == e.from) && nodes.iter().any(|n| n.key == e.to));
    Graph { nodes, edges }
}

const COLUMNS: [&str; 5] = [
    "Threat and draws",
    "Injects",
    "Actions",
    "Variables",
    "Endings",
];

/// Graphviz `dot`.
pub fn dot(sc: &Scenario) -> String {
    let g = build(sc);
    let mut o = String::new();
    let _ = writeln!(
        o,
        "digraph scenario {{\n  rankdir=LR;\n  label={:?};\n  node [fontname=\"Helvetica\", fontsize=10];",
        sc.title
    );
    let shapes = ["hexagon", "box", "ellipse", "diamond", "doubleoctagon"];
    for n in &g.nodes {
        let _ = writeln!(
            o,
            "  {} [label={:?}, shape={}, color={:?}, fontcolor={:?}];",
            n.key, n.label, shapes[n.column], n.colour, n.colour
        );
    }
    for e in &g.edges {
        let style = if e.reads {
            " [style=dashed, color=\"#a0aec0\"]"
        } else {
            ""
        };
        let _ = writeln!(o, "  {} -> {}{style};", e.from, e.to);
    }
    o.push_str("}\n");
    o
}

/// A Mermaid flowchart.
pub fn mermaid(sc: &Scenario) -> String {
    let g = build(sc);
    let mut o = String::from("flowchart LR\n");
    let clean = |s: &str| s.replace(['"', '[', ']', '{', '}', '(', ')', '<', '>', '|'], " ");
    for n in &g.nodes {
        let l = clean(&n.label);
        let shape = match n.column {
            0 => format!("{{{{\"{l}\"}}}}"),
            1 => format!("[\"{l}\"]"),
            2 => format!("([\"{l}\"])"),
            3 => format!("{{\"{l}\"}}"),
            _ => format!("[[\"{l}\"]]"),
        };
        let _ = writeln!(o, "  {}{shape}", n.key);
        let _ = writeln!(
            o,
            "  style {} stroke:{},color:{}",
            n.key, n.colour, n.colour
        );
    }
    for e in &g.edges {
        let arrow = if e.reads { "-.->" } else { "-->" };
        let _ = writeln!(o, "  {} {arrow} {}", e.from, e.to);
    }
    o
}

/// One SVG: the nodes in five columns, effects as solid lines, readings dashed.
pub fn svg(sc: &Scenario) -> String {
    let g = build(sc);
    let (col_w, box_w, row_h, top) = (300.0_f64, 250.0_f64, 30.0_f64, 60.0_f64);
    let mut rows = [0usize; 5];
    let mut at: Vec<(f64, f64)> = Vec::new();
    for n in &g.nodes {
        let x = 20.0 + col_w * f64::from(u32::try_from(n.column).unwrap_or(0));
        let y = top + row_h * f64::from(u32::try_from(rows[n.column]).unwrap_or(0));
        rows[n.column] += 1;
        at.push((x, y));
    }
    let height = top
        + row_h * f64::from(u32::try_from(rows.iter().copied().max().unwrap_or(1)).unwrap_or(1))
        + 50.0;
    let width = 20.0 + col_w * 5.0;
    let mut o = String::new();
    let _ = write!(
        o,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">"
    );
    let _ = write!(
        o,
        "<title>{}</title><defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#718096\"/></marker></defs>",
        esc(&sc.title)
    );
    for (c, name) in COLUMNS.iter().enumerate() {
        let x = 20.0 + col_w * f64::from(u32::try_from(c).unwrap_or(0));
        let _ = write!(
            o,
            "<text x=\"{x}\" y=\"30\" font-weight=\"bold\" font-size=\"13\">{}</text>",
            esc(name)
        );
    }
    let pos = |key: &str| g.nodes.iter().position(|n| n.key == key).map(|i| at[i]);
    for e in &g.edges {
        let (Some((x1, y1)), Some((x2, y2))) = (pos(&e.from), pos(&e.to)) else {
            continue;
        };
        let (sx, ex) = if x2 > x1 {
            (x1 + box_w, x2)
        } else if x2 < x1 {
            (x1, x2 + box_w)
        } else {
            (x1 + box_w, x2 + box_w)
        };
        let (sy, ey) = (y1 + 10.0, y2 + 10.0);
        let bend = if (x1 - x2).abs() < 1.0 { 40.0 } else { 0.0 };
        let dash = if e.reads {
            " stroke-dasharray=\"4 3\" stroke=\"#a0aec0\""
        } else {
            " stroke=\"#718096\""
        };
        let _ = write!(
            o,
            "<path d=\"M{sx:.0},{sy:.0} C{:.0},{sy:.0} {:.0},{ey:.0} {ex:.0},{ey:.0}\" fill=\"none\"{dash} marker-end=\"url(#arrow)\"/>",
            sx.midpoint(ex) + bend,
            sx.midpoint(ex) + bend
        );
    }
    for (n, (x, y)) in g.nodes.iter().zip(&at) {
        let _ = write!(
            o,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{box_w}\" height=\"20\" rx=\"4\" fill=\"#ffffff\" stroke=\"{}\"/><text x=\"{}\" y=\"{}\" fill=\"{}\">{}</text>",
            n.colour,
            x + 6.0,
            y + 14.0,
            n.colour,
            esc(&n.label)
        );
    }
    // The legend: each role's colour; solid lines change, dashed lines read.
    let mut x = 20.0;
    let y = height - 16.0;
    for (k, r) in sc.roles.iter().enumerate() {
        let colour = ROLE_COLOURS[k % ROLE_COLOURS.len()];
        let _ = write!(
            o,
            "<text x=\"{x:.0}\" y=\"{y:.0}\" fill=\"{colour}\">■ {}</text>",
            esc(&r.name)
        );
        x += 16.0 + 6.5 * f64::from(u32::try_from(r.name.chars().count()).unwrap_or(20));
    }
    let _ = write!(
        o,
        "<text x=\"{x:.0}\" y=\"{y:.0}\" fill=\"#718096\">— changes   - - reads</text>"
    );
    o.push_str("</svg>\n");
    o
}
