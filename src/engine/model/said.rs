//! Text that names values of the run. In an inject's text, `{site}` stands for the value of
//! the variable or draw `site` when the inject is delivered (its label, when it has labels);
//! `{{` and `}}` are a brace.

use std::borrow::Cow;

use super::{InjectIx, Scenario, ValueRef};

impl Scenario {
    /// Value `n` of `v` in words: its label, or the number.
    pub fn value_words(&self, v: ValueRef, n: i32) -> String {
        let (labels, lowest) = match v {
            ValueRef::Var(i) => {
                let var = &self.variables[i];
                (&var.labels, var.min)
            }
            ValueRef::Draw(i) => {
                let d = &self.draws[i];
                let lowest = match d.kind {
                    super::DrawKind::Chance { .. } => 0,
                    super::DrawKind::Range { min, .. } => min,
                    super::DrawKind::Deck { .. } => 1,
                };
                (&d.labels, lowest)
            }
        };
        usize::try_from(i64::from(n) - i64::from(lowest))
            .ok()
            .and_then(|k| labels.get(k))
            .cloned()
            .unwrap_or_else(|| n.to_string())
    }

    /// What `v` stands for, before it has a value: the variable's name, or the draw's note.
    pub fn value_name(&self, v: ValueRef) -> String {
        match v {
            ValueRef::Var(i) => self.variables[i].name.clone(),
            ValueRef::Draw(i) if !self.draws[i].note.is_empty() => {
                self.draws[i].note.trim_end_matches('.').to_owned()
            }
            ValueRef::Draw(_) => "a value drawn".into(),
        }
    }

    /// Inject `i`'s text as delivered with `values` (the values it names, in order, as the
    /// delivery recorded them); a value not recorded is given by what it stands for.
    pub fn inject_text(&self, i: InjectIx, values: &[i32]) -> Cow<'_, str> {
        let inj = self.inject(i);
        fill(&inj.text, |n| match (inj.fills.get(n), values.get(n)) {
            (Some(v), Some(x)) => self.value_words(*v, *x),
            (Some(v), None) => format!("[{}]", self.value_name(*v)),
            (None, _) => String::new(),
        })
    }

    /// Inject `i`'s text before it is delivered: each value by what it stands for.
    pub fn inject_text_unsent(&self, i: InjectIx) -> Cow<'_, str> {
        self.inject_text(i, &[])
    }
}

/// A piece of a text: words as written, or the name of a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Words(&'a str),
    Value(&'a str),
}

/// Whether `text` has no brace at all, so names no value (most texts: found without
/// scanning them piece by piece).
pub fn plain(text: &str) -> bool {
    memchr::memchr2(b'{', b'}', text.as_bytes()).is_none()
}

/// The pieces of `text`, or what is wrong with its braces (with the byte where it is).
pub fn pieces(text: &str) -> Result<Vec<Piece<'_>>, (usize, String)> {
    let mut out = Vec::new();
    let mut rest = 0;
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'{' if b.get(i + 1) == Some(&b'{') => {
                out.push(Piece::Words(&text[rest..=i]));
                i += 2;
                rest = i;
            }
            b'}' if b.get(i + 1) == Some(&b'}') => {
                out.push(Piece::Words(&text[rest..=i]));
                i += 2;
                rest = i;
            }
            b'{' => {
                let Some(len) = text[i + 1..].find('}') else {
                    return Err((i, "a `{` with no `}` after it".into()));
                };
                let name = text[i + 1..i + 1 + len].trim();
                if name.is_empty() || name.contains(['{', ' ']) {
                    return Err((
                        i,
                        format!("`{}` does not name a value", &text[i..=i + len + 1]),
                    ));
                }
                out.push(Piece::Words(&text[rest..i]));
                out.push(Piece::Value(name));
                i += len + 2;
                rest = i;
            }
            b'}' => return Err((i, "a `}` with no `{` before it".into())),
            _ => i += 1,
        }
    }
    out.push(Piece::Words(&text[rest..]));
    out.retain(|p| *p != Piece::Words(""));
    Ok(out)
}

/// `text` with its `n`th value written by `value(n)`; the text itself when it names none.
/// A text that does not scan (the loader refuses those) is given as written.
pub fn fill(text: &str, mut value: impl FnMut(usize) -> String) -> Cow<'_, str> {
    if plain(text) {
        return Cow::Borrowed(text);
    }
    let Ok(pieces) = pieces(text) else {
        return Cow::Borrowed(text);
    };
    let mut out = String::with_capacity(text.len());
    let mut n = 0;
    for p in pieces {
        match p {
            Piece::Words(w) => out.push_str(w),
            Piece::Value(_) => {
                out.push_str(&value(n));
                n += 1;
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{Piece, fill, pieces};

    #[test]
    fn values_and_braces() {
        assert_eq!(
            pieces("Site {site} rolled {{{ die }}}.").expect("scans"),
            vec![
                Piece::Words("Site "),
                Piece::Value("site"),
                Piece::Words(" rolled {"),
                Piece::Value("die"),
                Piece::Words("}"),
                Piece::Words("."),
            ]
        );
        let v = ["York", "17"];
        assert_eq!(
            fill("Site {site}: {d} {{x}}", |n| v[n].into()),
            "Site York: 17 {x}"
        );
        assert_eq!(fill("no values", |_| unreachable!()), "no values");
        assert!(pieces("open { here").is_err());
        assert!(pieces("a } alone").is_err());
        assert!(pieces("empty {}").is_err());
        assert!(pieces("two words {a b}").is_err());
    }
}
