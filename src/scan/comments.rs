//! Commented-out code is not code that runs: each file's comments are blanked (spaces, line breaks
//! kept, so offsets and line numbers stay those of the file) before any value or pattern is looked
//! for. C-family languages (JS/TS, Dart, Kotlin/Java, Swift, Objective-C, Go, PHP) lose `//` and
//! `/* */` comments outside strings; markup loses `<!-- -->`; YAML, env, properties, Python, Ruby
//! and Podfiles lose whole lines starting with `#`.

use std::borrow::Cow;

enum Style {
    CFamily,
    Markup,
    /// Markup with scripts in it (Vue, Svelte, HTML pages): both.
    Both,
    Hash,
    None,
}

fn style(path: &str) -> Style {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "js" | "jsx" | "mjs" | "cjs" | "ts" | "tsx" | "dart" | "kt" | "kts" | "java" | "swift"
        | "m" | "mm" | "h" | "go" | "gradle" | "cs" => Style::CFamily,
        "php" => Style::Both,
        "vue" | "svelte" | "html" | "htm" => Style::Both,
        "xml" | "plist" => Style::Markup,
        "yaml" | "yml" | "properties" | "env" | "py" | "rb" | "toml" => Style::Hash,
        _ if name == "Podfile" || name == "Gemfile" || name.starts_with(".env") => Style::Hash,
        _ => Style::None,
    }
}

/// `text` with its comments blanked (same length, same line breaks).
pub fn strip<'a>(path: &str, text: &'a str) -> Cow<'a, str> {
    let s = style(path);
    let quick = match s {
        Style::CFamily => text.contains("//") || text.contains("/*"),
        Style::Markup => text.contains("<!--"),
        Style::Both => text.contains("//") || text.contains("/*") || text.contains("<!--"),
        Style::Hash => text.contains('#'),
        Style::None => false,
    };
    if !quick {
        return Cow::Borrowed(text);
    }
    let mut out = text.as_bytes().to_vec();
    match s {
        Style::CFamily => c_family(text.as_bytes(), &mut out, false),
        Style::Markup => markup(text.as_bytes(), &mut out),
        Style::Both => {
            markup(text.as_bytes(), &mut out);
            let copy = out.clone();
            c_family(&copy, &mut out, true);
        }
        Style::Hash => hash_lines(text.as_bytes(), &mut out),
        Style::None => {}
    }
    // Only ASCII comment bytes are replaced by ASCII spaces, and a multi-byte character inside a
    // comment is blanked whole, so the result is UTF-8; the fallback never runs.
    Cow::Owned(
        String::from_utf8(out)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
    )
}

fn blank(out: &mut [u8], from: usize, to: usize) {
    for b in &mut out[from..to] {
        if *b != b'\n' && *b != b'\r' {
            *b = b' ';
        }
    }
}

/// `//` and `/* */` outside string literals. Single and double quotes end at the line's end (an
/// apostrophe in JSX text or markup then costs one line at most); template literals span lines.
/// In markup (`markup_text`), an apostrophe outside a tag does not open a string.
fn c_family(src: &[u8], out: &mut [u8], markup_text: bool) {
    let mut i = 0;
    let mut quote: Option<u8> = None;
    while i < src.len() {
        let b = src[i];
        if let Some(q) = quote {
            if b == b'\\' {
                i += 2;
                continue;
            }
            if b == q || (b == b'\n' && q != b'`') {
                quote = None;
            }
            i += 1;
            continue;
        }
        match b {
            b'"' | b'`' => quote = Some(b),
            b'\'' if !markup_text => quote = Some(b),
            b'/' if src.get(i + 1) == Some(&b'/') => {
                // `http://` in markup text or an unquoted URL is not a comment.
                if i > 0 && src[i - 1] == b':' {
                    i += 2;
                    continue;
                }
                let end = memchr::memchr(b'\n', &src[i..]).map_or(src.len(), |n| i + n);
                blank(out, i, end);
                i = end;
                continue;
            }
            b'/' if src.get(i + 1) == Some(&b'*') => {
                let end =
                    memchr::memmem::find(&src[i + 2..], b"*/").map_or(src.len(), |n| i + 2 + n + 2);
                blank(out, i, end);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
}

fn markup(src: &[u8], out: &mut [u8]) {
    let mut from = 0;
    while let Some(n) = memchr::memmem::find(&src[from..], b"<!--") {
        let start = from + n;
        let end = memchr::memmem::find(&src[start + 4..], b"-->")
            .map_or(src.len(), |m| start + 4 + m + 3);
        blank(out, start, end);
        from = end;
    }
}

fn hash_lines(src: &[u8], out: &mut [u8]) {
    let mut start = 0;
    while start < src.len() {
        let end = memchr::memchr(b'\n', &src[start..]).map_or(src.len(), |n| start + n);
        let line = &src[start..end];
        if let Some(p) = line.iter().position(|b| !b.is_ascii_whitespace()) {
            if line[p] == b'#' {
                blank(out, start + p, end);
            }
        }
        start = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_blanked_and_offsets_kept() {
        let js = "const a = \"http://x\"; // gone\n/* also\ngone */ const b = 'it''s';\n";
        let s = strip("a.js", js);
        assert_eq!(s.len(), js.len());
        assert!(s.contains("http://x") && !s.contains("gone") && s.contains("const b"));
        assert_eq!(s.lines().count(), js.lines().count());
        let html = "<!-- <script src=\"AgoraRTCSDK-3.0.0.js\"></script> -->\n<p>Don't</p>\n<script>// x\nlet y = 1;</script>";
        let s = strip("index.html", html);
        assert!(!s.contains("AgoraRTCSDK") && !s.contains("// x") && s.contains("let y = 1"));
        let env = "# APP_ID=abc\nAPP_ID=def # note\n";
        assert_eq!(strip(".env", env), "            \nAPP_ID=def # note\n");
        let swift = "// static let AppId = \"x\"\nstatic let AppId = \"y\" // é\n";
        assert!(!strip("K.swift", swift).contains("\"x\""));
    }
}
