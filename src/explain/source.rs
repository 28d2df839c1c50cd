//! The text of one catalog file read without any dependency, so that build.rs (which pre-parses the
//! catalog into the binary) and the library (the tidy test, [`super::entry::parse_entry`]) read it with
//! the same code: the `+++` front matter in the catalog's subset of TOML, the `# title` and the four
//! sections.

/// One front-matter value of the catalog's subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// `name = "text"`.
    Str(String),
    /// `name = ["text", …]` on one line.
    List(Vec<String>),
    /// `name = true` or `name = false`.
    Bool(bool),
}

/// The front-matter fields, each with whether it holds a list (`Some(true)`), a boolean (`None`) or a
/// string (`Some(false)`).
const FIELDS: [(&str, Option<bool>); 14] = [
    ("key", Some(false)),
    ("sdk", Some(false)),
    ("kind", Some(false)),
    ("value", Some(false)),
    ("names", Some(true)),
    ("aliases", Some(true)),
    ("codes", Some(true)),
    ("patterns", Some(true)),
    ("retired", Some(false)),
    ("product", Some(false)),
    ("table", Some(false)),
    ("source", Some(false)),
    ("families", Some(true)),
    ("generated", None),
];

/// The front matter and the body of a catalog file, or `None` when it has no `+++` block on top.
pub fn split(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("+++\n")?;
    let end = rest.find("\n+++\n")?;
    Some((&rest[..end], &rest[end + 5..]))
}

/// The front matter's fields when every line is `name = "string"`, `name = ["string", …]` or
/// `name = true|false` with a known name of the right type and no repeated one, and `key`, `sdk` and
/// `kind` are present; `None` otherwise (the library then asks a TOML parser, which words the error).
pub fn front_matter(text: &str) -> Option<Vec<(&str, Value)>> {
    let mut out: Vec<(&str, Value)> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (name, value) = line.split_once(" = ")?;
        let name = name.trim();
        if out.iter().any(|(n, _)| *n == name) {
            return None;
        }
        let value = value.trim();
        let value = match FIELDS.iter().find(|(n, _)| *n == name)?.1 {
            Some(false) => Value::Str(basic_string(value)?),
            Some(true) => Value::List(string_list(value)?),
            None => Value::Bool(match value {
                "true" => true,
                "false" => false,
                _ => return None,
            }),
        };
        out.push((name, value));
    }
    ["key", "sdk", "kind"]
        .iter()
        .all(|k| out.iter().any(|(n, _)| n == k))
        .then_some(out)
}

/// A TOML basic string (`"…"` with `\"` and `\\` escapes) that is the whole of `s`.
fn basic_string(s: &str) -> Option<String> {
    let (v, rest) = basic_string_prefix(s)?;
    rest.trim().is_empty().then_some(v)
}

/// A TOML basic string at the start of `s`, and what follows it.
fn basic_string_prefix(s: &str) -> Option<(String, &str)> {
    let inner = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &inner[i + 1..])),
            '\\' => match chars.next()?.1 {
                '"' => out.push('"'),
                '\\' => out.push('\\'),
                _ => return None,
            },
            c if c.is_control() => return None,
            c => out.push(c),
        }
    }
    None
}

/// A one-line TOML array of basic strings.
fn string_list(s: &str) -> Option<Vec<String>> {
    let mut rest = s.strip_prefix('[')?.trim_start();
    let mut out = Vec::new();
    loop {
        if let Some(after) = rest.strip_prefix(']') {
            return after.trim().is_empty().then_some(out);
        }
        let (v, after) = basic_string_prefix(rest)?;
        out.push(v);
        rest = after.trim_start();
        if let Some(after) = rest.strip_prefix(',') {
            rest = after.trim_start();
        } else if !rest.starts_with(']') {
            return None;
        }
    }
}

/// The four sections every entry has, in this order.
pub const SECTIONS: [&str; 4] = ["Summary", "Likely causes", "Fix", "Check with"];

/// The title and the four sections of an entry's body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The `# title` line's text.
    pub title: String,
    /// `Summary`, paragraphs unwrapped.
    pub summary: String,
    /// `Likely causes`, one item per `- ` line.
    pub causes: Vec<String>,
    /// `Fix`, paragraphs unwrapped.
    pub fix: String,
    /// `Check with`, one item per `- ` line.
    pub check_with: Vec<String>,
}

/// Read the body after the front matter; the error says what is wrong with it.
pub fn body(body: &str) -> Result<Body, String> {
    let mut lines = body.lines().skip_while(|l| l.trim().is_empty());
    let title = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "the body must start with a `# title` line".to_string())?;

    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in lines {
        if let Some(h) = line.strip_prefix("## ") {
            sections.push((h.trim().to_string(), Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line);
        } else if !line.trim().is_empty() {
            return Err(format!("text before the first section: {line:?}"));
        }
    }
    let names: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
    if names != SECTIONS {
        return Err(format!(
            "sections are {names:?}; they must be exactly {SECTIONS:?} in that order"
        ));
    }
    let text_of = |i: usize| -> Result<String, String> {
        let t = paragraphs(&sections[i].1);
        if t.is_empty() {
            Err(format!("section `{}` is empty", SECTIONS[i]))
        } else {
            Ok(t)
        }
    };
    let list_of = |i: usize| -> Result<Vec<String>, String> {
        let items = bullets(&sections[i].1);
        if items.is_empty() {
            Err(format!(
                "section `{}` needs at least one `- ` item",
                SECTIONS[i]
            ))
        } else {
            Ok(items)
        }
    };
    Ok(Body {
        title,
        summary: text_of(0)?,
        causes: list_of(1)?,
        fix: text_of(2)?,
        check_with: list_of(3)?,
    })
}

/// Hard-wrapped markdown paragraphs, each unwrapped to one line, separated by a blank line.
fn paragraphs(lines: &[&str]) -> String {
    lines
        .split(|l| l.trim().is_empty())
        .filter(|p| !p.is_empty())
        .map(|p| p.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// `- item` lines; indented lines continue the previous item.
fn bullets(lines: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        if let Some(item) = line.strip_prefix("- ") {
            out.push(item.trim().to_string());
        } else if !line.trim().is_empty() {
            if let Some(last) = out.last_mut() {
                last.push(' ');
                last.push_str(line.trim());
            }
        }
    }
    out
}
