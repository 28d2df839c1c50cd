//! Values and calls across files: which files import which (relative JS/TS and Dart imports), the
//! arguments of the calls that join a channel or log in to Signaling, and the rules that need them:
//! the app's login token or a Chat token passed to the RTC join, the RTC join's token reused for the
//! RTM login, a lifetime passed where a 006 builder expects an absolute expiry, `publish` after a
//! join failure was caught and ignored, remote audio subscribed but never played. Works on text
//! whose comments are already blanked ([`super::comments`]).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use regex::Regex;

use super::config::line_of;
use super::model::Generation;
use super::walk::SourceFile;
use super::{Place, ScanFinding};
use crate::vocabulary::{Finding, Status};

/// Largest argument list read after a call's `(`.
const MAX_ARGS_BYTES: usize = 2000;
/// A 006 privilege expiry below this is a duration (as a date it lies before 1980); the token
/// core's threshold for the same mistake in a built token.
pub const DURATION_LIKE_MAX: u64 = agora_token_core::validate::DURATION_LIKE_MAX as u64;

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

fn is_script(path: &str) -> bool {
    [
        ".js", ".jsx", ".mjs", ".cjs", ".ts", ".tsx", ".vue", ".svelte", ".html", ".htm",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `a/b/../c` → `a/c`.
fn normalize(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

/// For each file, the project files it imports (relative JS/TS imports, `@/` for `src/`, Dart
/// relative and `package:` imports).
pub fn imports(files: &[SourceFile]) -> BTreeMap<String, Vec<String>> {
    static JS: OnceLock<Regex> = OnceLock::new();
    static DART: OnceLock<Regex> = OnceLock::new();
    let js = re(
        &JS,
        r#"(?:\bfrom\s*|\brequire\s*\(\s*|\bimport\s*\(?\s*)["'](\.{1,2}/[^"'\n]+|@/[^"'\n]+)["']"#,
    );
    let dart = re(&DART, r#"(?m)^\s*import\s+["']([^"'\n]+\.dart)["']"#);
    let paths: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let mut out = BTreeMap::new();
    for f in files {
        let mut found = Vec::new();
        if is_script(&f.path) && (f.text.contains("./") || f.text.contains("@/")) {
            for c in js.captures_iter(&f.text) {
                let spec = &c[1];
                let base = if let Some(rest) = spec.strip_prefix("@/") {
                    normalize(&format!("src/{rest}"))
                } else {
                    normalize(&format!("{}/{spec}", dir_of(&f.path)))
                };
                let candidates = [
                    "",
                    ".js",
                    ".ts",
                    ".jsx",
                    ".tsx",
                    ".mjs",
                    ".cjs",
                    ".vue",
                    "/index.js",
                    "/index.ts",
                    "/index.jsx",
                    "/index.tsx",
                ];
                if let Some(hit) = candidates
                    .iter()
                    .map(|e| format!("{base}{e}"))
                    .find(|p| paths.contains(p.as_str()))
                {
                    found.push(hit);
                }
            }
        } else if f.path.ends_with(".dart") {
            for c in dart.captures_iter(&f.text) {
                let spec = &c[1];
                if spec.starts_with("dart:") {
                    continue;
                }
                let hit = if let Some(rest) = spec.strip_prefix("package:") {
                    let tail = rest.split_once('/').map_or(rest, |(_, t)| t);
                    let want = format!("lib/{tail}");
                    paths
                        .iter()
                        .find(|p| **p == want || p.ends_with(&format!("/{want}")))
                        .map(|p| p.to_string())
                } else {
                    let p = normalize(&format!("{}/{spec}", dir_of(&f.path)));
                    paths.contains(p.as_str()).then_some(p)
                };
                found.extend(hit);
            }
        }
        if !found.is_empty() {
            found.sort();
            found.dedup();
            out.insert(f.path.clone(), found);
        }
    }
    out
}

/// Files related to each file: those it imports and those that import it.
pub fn related(imports: &BTreeMap<String, Vec<String>>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in imports {
        for to in tos {
            out.entry(from.clone()).or_default().insert(to.clone());
            out.entry(to.clone()).or_default().insert(from.clone());
        }
    }
    out
}

/// One call: where it is and its top-level arguments as written.
#[derive(Debug, Clone)]
pub struct Call {
    /// `join`, `joinChannel`, `login`.
    pub method: String,
    /// Byte offset of the method name.
    pub offset: usize,
    /// Top-level arguments, trimmed.
    pub args: Vec<String>,
    /// Byte offset just past the closing parenthesis.
    pub end: usize,
}

/// The offsets and bytes of `bytes[from..limit]` outside string literals (`"`, `'` or `` ` ``, with
/// backslash escapes): the quotes and what they enclose are passed over.
fn unquoted(bytes: &[u8], from: usize, limit: usize) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut quote: Option<u8> = None;
    let mut i = from;
    std::iter::from_fn(move || {
        while i < limit {
            let b = bytes[i];
            if let Some(q) = quote {
                if b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            i += 1;
            if matches!(b, b'"' | b'\'' | b'`') {
                quote = Some(b);
                continue;
            }
            return Some((i - 1, b));
        }
        None
    })
}

/// The top-level arguments after the `(` at `open`, and the offset past the `)`.
fn arguments(text: &str, open: usize) -> Option<(Vec<String>, usize)> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    let mut args = Vec::new();
    let mut start = open + 1;
    let limit = (open + MAX_ARGS_BYTES).min(bytes.len());
    for (i, b) in unquoted(bytes, open, limit) {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    let last = text[start..i].trim();
                    if !last.is_empty() {
                        args.push(last.to_string());
                    }
                    return Some((args, i + 1));
                }
            }
            b',' if depth == 1 => {
                args.push(text[start..i].trim().to_string());
                start = i + 1;
            }
            _ => {}
        }
    }
    None
}

/// Every `.join(`, `.joinChannel(` (and `joinChannelByToken`, `joinChannel(byToken:`) and
/// `.login(` call in a file.
pub fn calls(text: &str) -> Vec<Call> {
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"\.(join|joinChannel|joinChannelByToken|joinChannelEx|login)\s*\(",
    );
    r.captures_iter(text)
        .filter_map(|c| {
            let m = c.get(0)?;
            let (args, end) = arguments(text, m.end() - 1)?;
            Some(Call {
                method: c[1].to_string(),
                offset: m.start() + 1,
                args,
                end,
            })
        })
        .collect()
}

/// A labelled argument (`token: x`, `byToken: x`) or the positional one.
fn arg<'a>(call: &'a Call, labels: &[&str], position: usize) -> Option<&'a str> {
    for a in &call.args {
        for l in labels {
            if let Some(rest) = a.strip_prefix(l) {
                if let Some(v) = rest.trim_start().strip_prefix(':') {
                    return Some(v.trim());
                }
            }
        }
    }
    call.args.get(position).map(String::as_str)
}

/// The token an RTC join passes: Web 4.x `join(appId, channel, token, uid)`, Web 3.x
/// `join(token, channel, uid, cb)`, native `joinChannel(token, channel, …)` with or without labels.
pub fn rtc_join_token(call: &Call, web: Option<Generation>) -> Option<&str> {
    match call.method.as_str() {
        "join" if call.args.len() >= 3 => match web {
            Some(Generation::Web2 | Generation::Web3) => call.args.first().map(String::as_str),
            _ if call.args.len() >= 4 || web == Some(Generation::Web4) => {
                call.args.get(2).map(String::as_str)
            }
            _ => None,
        },
        "joinChannel" | "joinChannelByToken" | "joinChannelEx" => {
            arg(call, &["token", "byToken"], 0)
        }
        _ => None,
    }
}

/// The token an RTM login passes: `login({ uid, token })`, `login({ token: t })`, native
/// `login(token, user)` / `login(byToken: t, …)`.
pub fn rtm_login_token(call: &Call) -> Option<String> {
    if call.method != "login" {
        return None;
    }
    let first = call.args.first()?;
    if let Some(obj) = first.strip_prefix('{') {
        static R: OnceLock<Regex> = OnceLock::new();
        let r = re(&R, r"(?:^|[,{\s])token\s*(?::\s*([^,}]+))?\s*(?:[,}]|$)");
        let c = r.captures(obj)?;
        return Some(c.get(1).map_or("token", |m| m.as_str()).trim().to_string());
    }
    arg(call, &["byToken", "token"], 0).map(str::to_string)
}

/// The last name of an expression (`session.user.authToken` → `authToken`).
fn last_name(expr: &str) -> &str {
    let e = expr.trim_end_matches(['!', '?', ')', ' ']);
    e.rsplit(['.', '[', '(', ' ', '?', '!'])
        .find(|p| !p.is_empty())
        .unwrap_or(e)
        .trim_matches(['"', '\'', ']'])
}

/// Whether an expression names the app's own login/session token rather than an Agora token.
pub fn is_login_token_expr(expr: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    let lower = expr.to_ascii_lowercase();
    if lower.contains("rtc") || lower.contains("agora") || lower.contains("rtm") {
        return false;
    }
    let r = re(
        &R,
        r"(?i)jwt|bearer|authtoken|auth_token|sessiontoken|session_token|idtoken|id_token|logintoken|login_token|\b(?:auth|session|firebase|supabase|cognito|localstorage)\b[\w.?\[\]'()]*token",
    );
    r.is_match(expr)
}

/// Whether an expression names an Agora Chat token.
pub fn is_chat_token_expr(expr: &str) -> bool {
    let lower = expr.to_ascii_lowercase();
    !lower.contains("rtc")
        && (lower.contains("chattoken")
            || lower.contains("chat_token")
            || lower.contains("chat.token")
            || lower.contains("easemob")
            || lower.contains("ywmt"))
}

/// The call-argument findings of one file: login/Chat tokens passed to an RTC join, the RTC token
/// reused for the RTM login.
pub fn call_findings(file: &SourceFile, web: Option<Generation>) -> Vec<ScanFinding> {
    let text = &file.text;
    if !(text.contains(".join") || text.contains(".login")) {
        return Vec::new();
    }
    let calls = calls(text);
    let mut out = Vec::new();
    let mut join_tokens: Vec<String> = Vec::new();
    for c in &calls {
        let Some(token) = rtc_join_token(c, web) else {
            continue;
        };
        let token = token.trim();
        if token.is_empty()
            || token == "null"
            || token == "nil"
            || token.starts_with(['"', '\'', '`'])
        {
            continue;
        }
        join_tokens.push(token.to_string());
        let line = line_of(text, c.offset);
        if is_chat_token_expr(token) {
            let f = Finding::new(
                "scan.code.chat_token_for_rtc",
                Status::Fail,
                format!("an Agora Chat token (`{token}`) is passed to the RTC {}", c.method),
            )
            .with_evidence("Chat user tokens log in to Chat only; the RTC join needs an RTC token built for the channel and uid")
            .with_fix("fetch an RTC token for the channel and uid from your token server and pass that to join");
            out.push(ScanFinding::at(f, &file.path, Some(line)));
        } else if is_login_token_expr(token) {
            let f = Finding::new(
                "scan.code.login_token_as_rtc_token",
                Status::Fail,
                format!("the app's login token (`{token}`) is passed to {} as the Agora token", c.method),
            )
            .with_evidence(format!("`{}` names the app's own login/session token (a JWT or session token), not an Agora token (006…/007…, built with the App ID and App Certificate)", last_name(token)))
            .with_evidence("the SDK rejects it: `CAN_NOT_GET_GATEWAY_SERVER: invalid token` on the Web, error 110 on native")
            .with_fix("ask your token server for an Agora RTC token (RtcTokenBuilder) for this channel and uid, and pass that to join");
            out.push(ScanFinding::at(f, &file.path, Some(line)));
        }
    }
    let rtm_file = text.contains("rtm") || text.contains("RTM") || text.contains("Rtm");
    if rtm_file {
        for c in &calls {
            let Some(token) = rtm_login_token(c) else {
                continue;
            };
            let lower = token.to_ascii_lowercase();
            if lower.contains("rtm") || token.starts_with(['"', '\'', '`']) || token == "null" {
                continue;
            }
            let reused = join_tokens.contains(&token);
            if reused || lower.contains("rtc") {
                let mut f = Finding::new(
                    "scan.code.rtc_token_for_rtm",
                    Status::Fail,
                    format!("the RTC token (`{token}`) is used to log in to Signaling (RTM)"),
                );
                if reused {
                    f = f.with_evidence(format!(
                        "`{token}` is also the token of the RTC join in this file"
                    ));
                }
                let f = f
                    .with_evidence("an RTC token has no RTM service: RTM rejects the login (invalid token) unless the token was built with both services (buildTokenWithRtm)")
                    .with_fix("fetch an RTM token for the RTM user id (RtmTokenBuilder) and pass that to the RTM login, or build one 007 token with both services");
                out.push(ScanFinding::at(
                    f,
                    &file.path,
                    Some(line_of(text, c.offset)),
                ));
            }
        }
    }
    out
}

/// Whether a file builds 006 tokens (the builders whose expiry is absolute).
fn builds_006(text: &str) -> bool {
    let builder = text.contains("agora-access-token")
        || text.contains("agora_token_builder")
        || text.contains("RtcTokenBuilder")
        || text.contains("rtctokenbuilder");
    // AccessToken2 (007) builders take lifetimes in seconds, whatever their language calls them.
    let v2 = text.contains("RtcTokenBuilder2")
        || text.contains("rtctokenbuilder2")
        || text.contains("AccessToken2")
        || text.contains("DynamicKey2")
        || text.contains("dynamic_key2")
        || text.contains("accesstoken2")
        || text.contains("\"agora-token\"")
        || text.contains("'agora-token'");
    builder && !v2
}

/// A constant expression of numbers, `*` and `+` (`3600`, `24 * 3600`, `60*60`), evaluated.
fn constant(expr: &str) -> Option<u64> {
    let e = expr.trim().trim_end_matches(';').replace('_', "");
    if e.is_empty()
        || !e
            .bytes()
            .all(|b| b.is_ascii_digit() || b" *+()".contains(&b))
    {
        return None;
    }
    let e = e.replace(['(', ')'], "");
    let mut sum = 0u64;
    for term in e.split('+') {
        let mut product = 1u64;
        for f in term.split('*') {
            product = product.checked_mul(f.trim().parse::<u64>().ok()?)?;
        }
        sum = sum.checked_add(product)?;
    }
    Some(sum)
}

/// Where a name is given its value in a file: `const X = …`, `X = …`, `X := …`, `$X = …`.
fn definition<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let name = name.trim_start_matches('$');
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let r = Regex::new(&format!(
        r"(?m)(?:^|[\s(,{{])\$?{}\s*(?::\s*[\w<>]+\s*)?(?::=|=)(?:[^=])\s*([^;\n]+)",
        regex::escape(name)
    ))
    .ok()?;
    r.captures(text).and_then(|c| c.get(1)).map(|m| m.as_str())
}

/// A lifetime passed as the last argument of a 006 builder's `buildTokenWith…` call.
pub fn lifetime_findings(file: &SourceFile) -> Vec<ScanFinding> {
    let text = &file.text;
    if !text.contains("uildTokenWith") && !text.contains("uild_token_with") || !builds_006(text) {
        return Vec::new();
    }
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?i)\bbuild_?token_?with_?(?:uid|user_?account|account)\s*\(",
    );
    let mut out = Vec::new();
    for m in r.find_iter(text) {
        let Some((args, _)) = arguments(text, m.end() - 1) else {
            continue;
        };
        // The 006 builders take six arguments; seven (token and privilege lifetimes) is 007's shape.
        if args.len() != 6 {
            continue;
        }
        let last = args[args.len() - 1].as_str();
        let (value, via) = match constant(last) {
            Some(v) => (Some(v), None),
            None => {
                let def = definition(text, last);
                (def.and_then(constant), def.map(|d| (last, d.trim())))
            }
        };
        let Some(v) = value else { continue };
        if v == 0 || v >= DURATION_LIKE_MAX {
            continue;
        }
        let mut f = Finding::new(
            "scan.code.lifetime_as_expiry",
            Status::Fail,
            format!("a lifetime of {v} s is passed where the 006 token builder expects an absolute expiry: the privileges end in 1970"),
        )
        .with_evidence("the 006 builders (agora-access-token, AgoraIO/Tools AccessToken, agora-token-builder) take privilegeExpiredTs as a Unix time; every token is expired when it is built (`agora-doctor token` shows the privilege ending in 1970)");
        if let Some((name, def)) = via {
            f = f.with_evidence(format!("`{name}` = {def}"));
        }
        let f = f.with_fix("pass the current Unix time plus the lifetime (JS: `Math.floor(Date.now() / 1000) + lifetime`), or use the 007 builders (npm agora-token), which take relative seconds");
        out.push(ScanFinding::at(
            f,
            &file.path,
            Some(line_of(text, m.start())),
        ));
    }
    out
}

/// A string (`"host"`, `'publisher'`) passed where a token builder's `buildTokenWith…` call takes
/// its role (the fifth argument), directly or through a name given a string in the same file
/// (a parameter's default, an assignment, a keyword argument). Agora's builders compare the role
/// with their numeric constants (1 publisher, 2 subscriber): a string matches none of them.
pub fn role_findings(file: &SourceFile) -> Vec<ScanFinding> {
    let text = &file.text;
    if !text.contains("uildTokenWith") && !text.contains("uild_token_with") {
        return Vec::new();
    }
    static R: OnceLock<Regex> = OnceLock::new();
    let r = re(
        &R,
        r"(?i)\bbuild_?token_?with_?(?:uid|user_?account|account)\s*\(",
    );
    static LIT: OnceLock<Regex> = OnceLock::new();
    let literal = re(&LIT, r#"^["']([A-Za-z_ ]{1,20})["']$"#);
    let mut out = Vec::new();
    for m in r.find_iter(text) {
        // A definition of the builder (`def buildTokenWithUid(`, `function …(`) is not a call.
        let before = &text[text[..m.start()].rfind('\n').map_or(0, |i| i + 1)..m.start()];
        if ["def ", "function ", "func ", "fun "]
            .iter()
            .any(|k| before.contains(k))
            || before.trim_end().ends_with("static")
        {
            continue;
        }
        let Some((args, _)) = arguments(text, m.end() - 1) else {
            continue;
        };
        if args.len() < 6 {
            continue;
        }
        let role = args[4].trim();
        let (word, via) = if let Some(c) = literal.captures(role) {
            (c[1].to_string(), None)
        } else {
            let name = role.trim_start_matches('$');
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                continue;
            }
            let given = Regex::new(&format!(
                r#"\b\$?{}\s*(?::\s*\w+\s*)?=\s*["']([A-Za-z_ ]{{1,20}})["']"#,
                regex::escape(name)
            ))
            .ok();
            match given.and_then(|g| g.captures(text).map(|c| c[1].to_string())) {
                Some(w) => (w, Some(name.to_string())),
                None => continue,
            }
        };
        let shown = match &via {
            Some(name) => format!("`{name}` = {word:?}"),
            None => format!("{word:?}"),
        };
        let f = Finding::new(
            "scan.code.token_role_invalid",
            Status::Fail,
            format!("the token builder is given the role {shown}, a string: the builder expects 1 (publisher) or 2 (subscriber)"),
        )
        .with_evidence("Agora's builders add the publish privileges only when the role equals their publisher (or attendee/admin) constant; a string equals none of them, so the token lets its user join but not publish when the project checks publish privileges")
        .with_fix("map your role to the builder's constant (RtcRole.PUBLISHER / Role_Publisher = 1 for hosts, SUBSCRIBER = 2 for the audience) before calling the builder");
        out.push(ScanFinding::at(
            f,
            &file.path,
            Some(line_of(text, m.start())),
        ));
    }
    out
}

/// The block that starts at the `{` at `open`: offset past its `}` (strings skipped).
fn block_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    for (i, b) in unquoted(bytes, open, bytes.len()) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The rest of the enclosing block after `from` (up to the `}` that closes it).
fn rest_of_block(text: &str, from: usize) -> &str {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    for (i, b) in bytes.iter().enumerate().skip(from) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth < 0 {
                    return &text[from..i];
                }
            }
            _ => {}
        }
    }
    &text[from..]
}

fn handler_gives_up(body: &str) -> bool {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r"\b(?:return|throw|break|continue|reject)\b|process\.exit",
    )
    .is_match(body)
}

/// `publish` that still runs after a failed join was caught and ignored.
pub fn ignored_join_failure_findings(file: &SourceFile) -> Vec<ScanFinding> {
    let text = &file.text;
    if !text.contains(".publish(") || !text.contains(".join(") || !text.contains("catch") {
        return Vec::new();
    }
    static TRY: OnceLock<Regex> = OnceLock::new();
    static CATCH: OnceLock<Regex> = OnceLock::new();
    static PROMISE: OnceLock<Regex> = OnceLock::new();
    let try_re = re(&TRY, r"\btry\s*\{");
    let catch_re = re(&CATCH, r"^\s*catch\s*(?:\([^)]*\))?\s*\{");
    let promise_re = re(&PROMISE, r"^\s*\.catch\s*\(");
    let mut out = Vec::new();
    let mut publish_after = |after: usize, join_at: usize| {
        let rest = rest_of_block(text, after);
        if let Some(p) = rest.find(".publish(") {
            let at = after + p;
            let f = Finding::new(
                "scan.code.publish_after_ignored_join_failure",
                Status::Warn,
                "publish() still runs after a failed join was caught and ignored",
            )
            .with_evidence(format!("the join at line {} is caught without return or rethrow; when it fails, publish fails with `INVALID_OPERATION: Can't publish stream, haven't joined yet!` and hides the first error", line_of(text, join_at)))
            .with_fix("return (or rethrow) from the join's catch, show the join error, and publish only after join succeeded");
            out.push(ScanFinding::at(f, &file.path, Some(line_of(text, at + 1))));
        }
    };
    for m in try_re.find_iter(text) {
        let open = m.end() - 1;
        let Some(end) = block_end(text, open) else {
            continue;
        };
        let body = &text[open..end];
        let Some(j) = body.find(".join(") else {
            continue;
        };
        if body.contains(".publish(") {
            continue;
        }
        let Some(c) = catch_re.find(&text[end..]) else {
            continue;
        };
        let copen = end + c.end() - 1;
        let Some(cend) = block_end(text, copen) else {
            continue;
        };
        if handler_gives_up(&text[copen..cend]) {
            continue;
        }
        // A `finally` or code after the catch in the same block.
        publish_after(cend, open + j);
    }
    for c in calls(text)
        .iter()
        .filter(|c| c.method == "join" && c.args.len() >= 3)
    {
        let Some(m) = promise_re.find(&text[c.end..]) else {
            continue;
        };
        let open = c.end + m.end() - 1;
        let Some((args, end)) = arguments(text, open) else {
            continue;
        };
        if args.iter().any(|a| handler_gives_up(a)) {
            continue;
        }
        publish_after(end, c.offset);
    }
    out
}

/// Remote audio subscribed somewhere in the project's Web 4.x code but never played anywhere.
pub fn audio_never_played(files: &[&SourceFile], web4: &dyn Fn(&str) -> bool) -> Vec<ScanFinding> {
    static SUB: OnceLock<Regex> = OnceLock::new();
    static PLAY: OnceLock<Regex> = OnceLock::new();
    let sub = re(
        &SUB,
        r#"\.subscribe\(\s*[\w.\[\]]+\s*,\s*(["']audio["']|[A-Za-z_$][\w$.]*)\s*\)"#,
    );
    let play = re(
        &PLAY,
        r"(?i)audio\w*\??\.play\s*\(|\.play\s*\(\s*\)|\bplayAudio\b|RemoteUser|useRemoteAudioTracks|\.setPlaybackDevice",
    );
    let plays = |t: &str| {
        (t.contains("play") || t.contains("RemoteUser") || t.contains("Playback"))
            && play.is_match(t)
    };
    let mut places = Vec::new();
    for f in files.iter().filter(|f| is_script(&f.path) && web4(&f.path)) {
        if plays(&f.text) || f.text.contains("agora-rtc-react") {
            return Vec::new();
        }
        if !f.text.contains(".subscribe(") {
            continue;
        }
        for c in sub.captures_iter(&f.text) {
            let second = &c[1];
            if second.starts_with(['"', '\'']) || !second.to_ascii_lowercase().contains("video") {
                places.push(Place {
                    file: f.path.clone(),
                    line: Some(line_of(&f.text, c.get(0).map_or(0, |m| m.start()))),
                });
            }
        }
    }
    if places.is_empty()
        || files
            .iter()
            .any(|f| is_script(&f.path) && play.is_match(&f.text))
    {
        return Vec::new();
    }
    let f = Finding::new(
        "scan.code.remote_audio_never_played",
        Status::Fail,
        "remote audio is subscribed but never played: no code in the project calls play() on a remote audio track",
    )
    .with_evidence("in Web SDK 4.x a subscribed remote audio track is silent until `audioTrack.play()` is called: everyone joins and nobody hears anybody")
    .with_evidence("a Web SDK 4.x rule: applied to code written for agora-rtc-sdk-ng 4.x")
    .with_fix("in the user-published handler, after `await client.subscribe(user, mediaType)`, call `user.audioTrack.play()` when mediaType is \"audio\"");
    vec![ScanFinding::at_places(f, places)]
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scan::walk::test_file as file;

    #[test]
    fn imports_resolve_to_project_files() {
        let files = [
            file(
                "src/main.js",
                "import { APP_ID } from './config';\nimport x from '@/lib/a';",
            ),
            file("src/config.js", "export const APP_ID = '';"),
            file("src/lib/a.ts", ""),
            file("lib/main.dart", "import 'package:app/config.dart';"),
            file("lib/config.dart", ""),
        ];
        let i = imports(&files);
        assert_eq!(i["src/main.js"], vec!["src/config.js", "src/lib/a.ts"]);
        assert_eq!(i["lib/main.dart"], vec!["lib/config.dart"]);
    }

    #[test]
    fn join_and_login_arguments() {
        let c = &calls("await client.join(APP_ID, channel, session.authToken, uid);")[0];
        assert_eq!(
            rtc_join_token(c, Some(Generation::Web4)),
            Some("session.authToken")
        );
        assert!(is_login_token_expr("session.authToken"));
        assert!(!is_login_token_expr("rtcToken"));
        let c =
            &calls("engine.joinChannel(token: chatToken, channelId: ch, uid: 0, options: o)")[0];
        assert_eq!(rtc_join_token(c, None), Some("chatToken"));
        let c = &calls("await rtm.login({ uid: String(uid), token })")[0];
        assert_eq!(rtm_login_token(c).as_deref(), Some("token"));
    }

    #[test]
    fn rtc_token_reused_for_rtm_login() {
        let f = file("a.js", "await client.join(appId, ch, token, uid);\nconst rtm = AgoraRTM.createInstance(appId);\nawait rtm.login({ uid: String(uid), token });\n");
        let got = call_findings(&f, Some(Generation::Web4));
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].finding.key, "scan.code.rtc_token_for_rtm");
    }

    #[test]
    fn lifetime_passed_to_a_006_builder() {
        let bad = file("server.js", "const { RtcTokenBuilder, RtcRole } = require('agora-access-token');\nconst expirationTimeInSeconds = 3600;\nconst t = RtcTokenBuilder.buildTokenWithUid(appID, cert, ch, uid, RtcRole.PUBLISHER, expirationTimeInSeconds);\n");
        assert_eq!(lifetime_findings(&bad).len(), 1);
        let good = file("server.js", "const { RtcTokenBuilder, RtcRole } = require('agora-access-token');\nconst expirationTimeInSeconds = 3600;\nconst privilegeExpiredTs = Math.floor(Date.now() / 1000) + expirationTimeInSeconds;\nconst t = RtcTokenBuilder.buildTokenWithUid(appID, cert, ch, uid, RtcRole.PUBLISHER, privilegeExpiredTs);\n");
        assert!(lifetime_findings(&good).is_empty());
        let v2 = file("server.js", "const { RtcTokenBuilder, RtcRole } = require('agora-token');\nconst t = RtcTokenBuilder.buildTokenWithUid(appID, cert, ch, uid, RtcRole.PUBLISHER, 3600, 3600);\n");
        assert!(lifetime_findings(&v2).is_empty());
    }

    #[test]
    fn publish_after_a_swallowed_join_error() {
        let bad = file("a.js", "async function start() {\n  try {\n    await client.join(appId, ch, token, uid);\n  } catch (e) {\n    console.log(e);\n  }\n  await client.publish([mic]);\n}\n");
        assert_eq!(ignored_join_failure_findings(&bad).len(), 1);
        let good = bad
            .text
            .replace("console.log(e);", "console.log(e);\n    return;");
        assert!(ignored_join_failure_findings(&file("a.js", &good)).is_empty());
    }

    #[test]
    fn audio_subscribed_and_never_played() {
        let bad = file("a.js", "client.on('user-published', async (user, mediaType) => {\n  await client.subscribe(user, mediaType);\n  if (mediaType === 'video') user.videoTrack.play('v');\n});\n");
        let yes = |_: &str| true;
        assert_eq!(audio_never_played(&[&bad], &yes).len(), 1);
        let good = file(
            "a.js",
            &bad.text.replace(
                "});",
                "  if (mediaType === 'audio') user.audioTrack.play();\n});",
            ),
        );
        assert!(audio_never_played(&[&good], &yes).is_empty());
    }
}
