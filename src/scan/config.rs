//! Configuration in code and env files: App IDs, App Certificates, tokens, channels and uids found in
//! source (`.env*`, JSON/YAML, JS/TS, Dart, Kotlin/Java, Swift/Objective-C, Android and Apple XML),
//! and the findings they lead to. Each token is checked by the token core against the App ID, channel
//! and uid found beside it; a certificate in client-side code is a failure and its value is never
//! copied into anything this module returns.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use agora_token_core::{self as core, Expectation, User};
use regex::Regex;

use super::walk::SourceFile;
use super::ScanFinding;
use crate::vocabulary::{Finding, Status};

/// Env-variable prefixes that bundlers copy into the client bundle (Vite, Create React App,
/// Next.js, Expo, Vue CLI, SvelteKit): a certificate under one of them ships to every browser.
pub const PUBLIC_ENV_PREFIXES: &[&str] = &[
    "VITE_",
    "REACT_APP_",
    "NEXT_PUBLIC_",
    "EXPO_PUBLIC_",
    "VUE_APP_",
    "PUBLIC_",
];

/// Folder names whose code runs on a server, where a certificate belongs.
pub const SERVER_DIRS: &[&str] = &[
    "server",
    "servers",
    "backend",
    "api",
    "functions",
    "lambda",
    "token-server",
    "token_server",
    "tokenserver",
    "cloud-functions",
];

/// What a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An App ID (or something assigned to an App ID name).
    AppId,
    /// An App Certificate (32 hex characters under a certificate-like name).
    Certificate,
    /// An access token (006/007 shape, or a token-like value under a token name).
    Token,
    /// A channel name.
    Channel,
    /// A uid or user account.
    Uid,
}

/// One configuration value found in a file.
#[derive(Debug, Clone)]
pub struct Value {
    /// What it is.
    pub kind: Kind,
    /// The name it is assigned to (may be empty for a bare token).
    pub name: String,
    /// The value as written (never rendered for certificates and tokens).
    pub value: String,
    /// File, relative to the scanned root.
    pub file: String,
    /// 1-based line.
    pub line: usize,
}

impl Value {
    fn at(&self) -> String {
        format!("{}:{}", self.file, self.line)
    }
}

fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(pattern).expect("valid built-in regex"))
}

/// A token by its shape: `006` + 32-hex App ID + base64, or `007` + base64 of a zlib stream (`eJ`).
fn token_shape() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"(?:006[0-9a-fA-F]{32}|007eJ)[A-Za-z0-9+/]{16,}={0,2}")
}

/// The longest quoted value read as a setting (a longer string is data, not an App ID or token).
const MAX_QUOTED_VALUE: usize = 2048;

/// `name = "value"`, `name: "value"`, `"name": "value"`, `let name: String = "value"`, `@"value"`.
fn quoted_assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"["']?([A-Za-z_$][\w$.-]*)["']?[ \t]*(?::[ \t]*[A-Za-z_][\w<>?\[\]]*[ \t]*)?(?:=|:|=>|:=)[ \t]*@?["'`]([^"'`\r\n]*)["'`]"#,
    )
}

/// The name a value on the same line is assigned to (`token: "`, `TOKEN=`, `let token = '`).
fn name_before() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"([A-Za-z_$][\w$.-]*)["']?\s*(?::\s*[A-Za-z_][\w<>?]*\s*)?(?:=|:|=>)\s*@?["'`]?$"#,
    )
}

/// `name = 12345` / `uid: 42` (numbers, for uids).
fn numeric_assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"["']?([A-Za-z_$][\w$]*)["']?[ \t]*(?::[ \t]*[A-Za-z_][\w?]*[ \t]*)?(?:=|:)[ \t]*(\d{1,12})\b"#,
    )
}

/// `NAME=value` / `name: value` lines of env, YAML and properties files (unquoted values).
fn bare_assignment() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"(?m)^[ \t]*(?:export[ \t]+)?([A-Za-z_][\w.-]*)[ \t]*[:=][ \t]*([^\s"'#,;]+)[ \t]*(?:#.*)?$"#,
    )
}

/// Android `res/values/*.xml`: `<string name="agora_app_id">…</string>`.
fn env_default() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"\b(?:getenv|Getenv|environ\.get|fromEnvironment|env|ENV\.fetch|GetEnvironmentVariable|get_env)\s*\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*,\s*(?:defaultValue\s*:\s*)?["']([^"'\n]{0,200})["']|process\.env\.([A-Za-z_][A-Za-z0-9_]*)\s*(?:\|\||\?\?)\s*["']([^"'\n]{0,200})["']"#,
    )
}

fn android_string() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r#"<string\s+name="([^"]+)"[^>]*>([^<]*)</string>"#)
}

/// Apple property lists: `<key>AgoraAppId</key> <string>…</string>`.
fn plist_string() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(&R, r"<key>([^<]+)</key>\s*<string>([^<]*)</string>")
}

fn is_hex32(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn normalized(name: &str) -> String {
    let mut n = name.to_string();
    for p in PUBLIC_ENV_PREFIXES {
        if let Some(rest) = n.strip_prefix(p) {
            n = rest.to_string();
            break;
        }
    }
    n.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// A name in lower-case letters and digits, prefixes kept (`REACT_APP_ID` → `reactappid`).
fn raw_normalized(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// What a name says its value is (`None`: not configuration scan cares about).
pub fn classify(name: &str) -> Option<Kind> {
    let n = normalized(name);
    // `customerSecret` is the RESTful API's secret, not the certificate; other services' secrets do
    // not name the app or Agora.
    let secret = n.contains("secret")
        && !n.contains("customer")
        && (n.contains("app") || n.contains("agora"));
    if n.contains("cert") || secret {
        Some(Kind::Certificate)
    } else if n.contains("appid") {
        Some(Kind::AppId)
    } else if n.contains("token") {
        Some(Kind::Token)
    } else if n.ends_with("channel")
        || n.ends_with("channelname")
        || n == "channelid"
        || n == "roomid"
    {
        Some(Kind::Channel)
    } else if n == "uid"
        || n.ends_with("rtcuid")
        || n == "userid"
        || n == "useraccount"
        || n == "agorauid"
    {
        Some(Kind::Uid)
    } else {
        None
    }
}

fn is_env_like(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == ".env"
        || name.starts_with(".env.")
        || name.ends_with(".yaml")
        || name.ends_with(".yml")
        || name.ends_with(".properties")
        || name.ends_with(".env")
}

/// Files of translations and UI strings: a value there is a label ("App ID"), not configuration.
fn is_translation_file(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let parts: Vec<&str> = lower.split('/').collect();
    lower.ends_with(".arb")
        || parts.iter().any(|p| {
            [
                "locales",
                "locale",
                "i18n",
                "lang",
                "langs",
                "translations",
                "l10n",
                "messages",
            ]
            .contains(p)
                || p.starts_with("values-")
        })
}

/// A value that is UI text about an App ID (a label, a prompt), not an App ID: "App ID",
/// "Enter your App ID", "Please input the App ID:".
fn is_ui_text(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if ["app id", "appid", "app-id", "app_id", "agora app id"].contains(&lower.as_str())
        && v != lower.to_ascii_uppercase()
    {
        return true;
    }
    let words = v.split_whitespace().count();
    let has_lower = v.chars().any(|c| c.is_ascii_lowercase());
    (words >= 3 && has_lower)
        || v.ends_with(':')
        || v.ends_with('?')
        || (v.ends_with('.') && words >= 2)
}

/// Names of UI strings about a value (`appIdLabel`, `appIdPlaceholder`, `app_id_hint`).
fn is_ui_name(name: &str) -> bool {
    let n = normalized(name);
    [
        "label",
        "placeholder",
        "title",
        "hint",
        "text",
        "desc",
        "description",
        "message",
        "tip",
        "tooltip",
        "caption",
        "prompt",
        "error",
        "required",
        "invalid",
        "empty",
        "missing",
        "helper",
        "help",
    ]
    .iter()
    .any(|s| n.ends_with(s))
}

/// Every configuration value in one file, in order of appearance; `agora_context` when the file
/// mentions Agora or a file that does imports it (a config module), so that a name such as
/// `appId` is taken as Agora's.
pub fn extract(file: &SourceFile) -> Vec<Value> {
    extract_in(file, false)
}

/// [`extract`] with the file's Agora context decided by the caller.
pub fn extract_in(file: &SourceFile, agora_context: bool) -> Vec<Value> {
    let text = &file.text;
    // Cheap gate: files mentioning none of the words skip every regex.
    static GATE: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let gate = GATE.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build([
                "app", "cert", "token", "channel", "uid", "secret", "006", "007", "user", "room",
            ])
            .expect("gate words")
    });
    // Unity's serialised files are read by `unity::serialized_values` alone.
    if !gate.is_match(text) || super::serialized::is_serialized(&file.path) {
        return Vec::new();
    }
    // Other services have App IDs and certificates too (Firebase, Facebook, TLS pins): a name that
    // does not say Agora counts only in a file that does, or when the value has the App ID's shape.
    static AGORA: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    let agora = AGORA.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(["agora"])
            .expect("agora")
    });
    let mentions_agora = agora_context || agora.is_match(text);
    let translations = is_translation_file(&file.path);
    let mut found: Vec<(usize, Kind, String, String)> = Vec::new();
    let mut token_spans: Vec<(usize, usize)> = Vec::new();
    // 32-hex values under a bare secret name (`REACT_APP_SECRET`, `SECRET_KEY`): the App
    // Certificate when the same file gives an App ID beside them.
    let mut secrets: Vec<(usize, String, String)> = Vec::new();
    let mut app_id_beside = false;
    let mut push = |offset: usize, name: &str, value: &str, numeric: bool| {
        let raw = raw_normalized(name);
        if raw.contains("appid") && is_hex32(value.trim()) {
            app_id_beside = true;
        }
        let Some(kind) = classify(name) else {
            if raw.ends_with("secret") && !raw.contains("customer") && is_hex32(value.trim()) {
                secrets.push((offset, name.to_string(), value.trim().to_string()));
            }
            return;
        };
        let value = value.trim();
        let says_agora = mentions_agora || normalized(name).contains("agora");
        let keep = match kind {
            Kind::Certificate => {
                is_hex32(value) && (says_agora || normalized(name).contains("appcert"))
            }
            Kind::AppId => {
                // A Unity field the Inspector serialises takes the scene's value, judged there.
                let inspector =
                    file.path.ends_with(".cs") && super::serialized::serialized_field(text, offset);
                !inspector
                    && !value.contains("${")
                    && !value.starts_with("process.env")
                    && !value.starts_with("<#") // an Xcode placeholder: scan.code.xcode_placeholder
                    && !translations
                    && !is_ui_name(name)
                    && !is_ui_text(value)
                    && (says_agora || is_hex32(value))
                    && if value.is_empty() || placeholder(value) {
                        is_kept_setting(text, offset, name)
                    } else {
                        is_hex32(value)
                            || normalized(name).contains("agora")
                            || looks_like_app_id_attempt(value)
                    }
            }
            // Tokens are taken by shape below; under a token name, a JWT or a Chat token is
            // judged too (the token core names what it is).
            Kind::Token => {
                says_agora
                    && !translations
                    && (value.starts_with("YWMt")
                        || (value.starts_with("eyJ") && value.matches('.').count() == 2))
            }
            Kind::Channel => !numeric && !value.is_empty() && !value.contains("${"),
            Kind::Uid => !value.is_empty() && !value.contains("${"),
        };
        if keep {
            found.push((offset, kind, name.to_string(), value.to_string()));
        }
    };
    for c in quoted_assignment().captures_iter(text) {
        // The length is checked here, not by a counted repetition in the pattern: `{0,2048}`
        // makes an automaton of thousands of states that the regex crate runs with its slowest
        // engine on every match (the 50k-file bench in benches/bounds.sh spent an eighth of its
        // time there).
        if c[2].len() > MAX_QUOTED_VALUE {
            continue;
        }
        push(c.get(0).map_or(0, |m| m.start()), &c[1], &c[2], false);
    }
    for c in numeric_assignment().captures_iter(text) {
        if classify(&c[1]) == Some(Kind::Uid) {
            push(c.get(0).map_or(0, |m| m.start()), &c[1], &c[2], true);
        }
    }
    if is_env_like(&file.path) {
        for c in bare_assignment().captures_iter(text) {
            push(c.get(0).map_or(0, |m| m.start()), &c[1], &c[2], false);
        }
    }
    if file.path.ends_with(".xml") {
        for c in android_string().captures_iter(text) {
            push(c.get(0).map_or(0, |m| m.start()), &c[1], &c[2], false);
        }
    }
    if file.path.ends_with(".plist") {
        for c in plist_string().captures_iter(text) {
            push(c.get(0).map_or(0, |m| m.start()), &c[1], &c[2], false);
        }
    }
    // A value the code falls back to when the environment has none (`os.getenv("X", "…")`,
    // `process.env.X || "…"`, `String.fromEnvironment('X', defaultValue: '…')`, `env('X', '…')`)
    // is committed like a literal. An empty or placeholder fallback is not judged: the real value
    // comes from the environment.
    let fallbacks = [
        "getenv",
        "Getenv",
        "environ.get",
        "fromEnvironment",
        "env(",
        "ENV.fetch",
        "GetEnvironmentVariable",
        "get_env",
        "process.env",
    ]
    .iter()
    .any(|w| text.contains(w));
    for c in env_default().captures_iter(if fallbacks { text } else { "" }) {
        let (Some(name), Some(value)) = (c.get(1).or(c.get(3)), c.get(2).or(c.get(4))) else {
            continue;
        };
        if value.as_str().trim().is_empty() || placeholder(value.as_str()) {
            continue;
        }
        push(
            c.get(0).map_or(0, |m| m.start()),
            name.as_str(),
            value.as_str(),
            false,
        );
    }
    if app_id_beside {
        for (offset, name, value) in secrets {
            found.push((offset, Kind::Certificate, name, value));
        }
    }
    // Tokens by shape, with the name they are assigned to when there is one on the same line.
    for m in token_shape().find_iter(text) {
        token_spans.push((m.start(), m.end()));
        let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
        let before = &text[line_start..m.start()];
        let name = name_before()
            .captures(before)
            .map(|c| c[1].to_string())
            .unwrap_or_default();
        found.push((m.start(), Kind::Token, name, m.as_str().to_string()));
    }
    // A certificate-named value that is also inside a token is part of that token, not a value.
    found.retain(|(off, kind, _, _)| {
        *kind == Kind::Token || !token_spans.iter().any(|(s, e)| off >= s && off < e)
    });
    found.sort_by_key(|f| f.0);
    found.dedup_by(|a, b| a.1 == b.1 && a.3 == b.3 && line_of(text, a.0) == line_of(text, b.0));
    found
        .into_iter()
        .map(|(off, kind, name, value)| Value {
            kind,
            name,
            value,
            file: file.path.clone(),
            line: line_of(text, off),
        })
        .collect()
}

/// Whether a value that is not 32 hexadecimal characters still reads as a mistyped Agora App ID
/// (letters and digits only, near the length): other services' identifiers under an app-id name
/// (Firebase's `1:7183…:android:…`, an electron-builder `com.example.app`) do not.
fn looks_like_app_id_attempt(value: &str) -> bool {
    (16..=48).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// Whether an empty or placeholder value at `offset`, assigned to `name`, is the setting the app
/// keeps: not a field of an object being built (`this.appId = ""`, `self.app_id = ''`), not a
/// parameter's default (`init(app_id='')`), and not a starting value the file assigns again
/// (`let appId = ""` then `appId = require(…)`, React state set from an input).
fn is_kept_setting(text: &str, offset: usize, name: &str) -> bool {
    let bare = name.trim_start_matches('@');
    if bare.starts_with("this.") || bare.starts_with("self.") || bare.starts_with("@") {
        return false;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..offset];
    if before.matches('(').count() > before.matches(')').count() {
        return false;
    }
    // An Angular `@Input()` (or Vue/Lit property) default: the parent component binds the value.
    if before.contains("@Input(") || before.contains("@Prop(") || before.contains("@property(") {
        return false;
    }
    let last = bare.rsplit('.').next().unwrap_or(bare);
    if last.is_empty() {
        return true;
    }
    // Every place the name is given a value: `name =` (not `==`), `name := …`, and `name: value`
    // (an object key or named argument) unless the value is the name itself passed along
    // (`appId: appId`, `appId: config.appId`). `name: Type = value` is one assignment.
    let mut assignments = 0;
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b == b'$';
    let mut from = 0;
    while let Some(i) = text[from..].find(last) {
        let at = from + i;
        from = at + last.len();
        if at > 0 && ident(bytes[at - 1]) || from < bytes.len() && ident(bytes[from]) {
            continue;
        }
        let rest = text[from..].trim_start_matches([' ', '\t', '"', '\'']);
        if rest.starts_with(":=")
            || rest.starts_with('=') && !rest.starts_with("==") && !rest.starts_with("=>")
        {
            assignments += 1;
        } else if let Some(r) = rest.strip_prefix(':').filter(|r| !r.starts_with(':')) {
            let r = r.trim_start();
            let end = r
                .find(|c: char| !(c.is_alphanumeric() || "<>?[]_$.".contains(c)))
                .unwrap_or(r.len());
            let word = &r[..end];
            let after = r[end..].trim_start();
            let typed = !word.is_empty() && after.starts_with('=') && !after.starts_with("==");
            let passed_along = word.rsplit('.').next() == Some(last);
            if !typed && !passed_along {
                assignments += 1;
            }
            if typed {
                assignments += 1;
            }
        }
    }
    assignments <= 1
}

/// 1-based line of a byte offset.
pub fn line_of(text: &str, offset: usize) -> usize {
    bytecount::count(&text.as_bytes()[..offset.min(text.len())], b'\n') + 1
}

/// Where a file's code runs, as far as its path and project say.
pub fn is_server_side(path: &str, server_roots: &BTreeSet<String>) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts: Vec<&str> = lower.split('/').collect();
    let name = parts.pop().unwrap_or("");
    if parts.iter().any(|p| SERVER_DIRS.contains(p)) {
        return true;
    }
    // Python, Go, Ruby and PHP run on servers (a Blade template's scripts run in the browser).
    if [".py", ".go", ".rb"].iter().any(|e| name.ends_with(e))
        || (name.ends_with(".php") && !name.ends_with(".blade.php"))
    {
        return true;
    }
    // Agora's token library (AgoraIO/Tools DynamicKey: Java packages io.agora.media and
    // io.agora.sample), copied into a project, is server code whatever sits beside it.
    if lower.contains("io/agora/media/") || lower.contains("io/agora/sample/") {
        return true;
    }
    let stem = name.split('.').next().unwrap_or("");
    if ["server", "token-server", "tokenserver", "token_server"].contains(&stem) {
        return true;
    }
    // A package that builds tokens and has no client SDK is a server, and so is every file in it
    // (native sources excepted: they are an app whatever sits beside them).
    !is_native(path)
        && server_roots
            .iter()
            .any(|root| root.is_empty() || path.starts_with(&format!("{root}/")))
}

fn is_native(path: &str) -> bool {
    [
        ".dart", ".kt", ".java", ".swift", ".m", ".mm", ".plist", ".xml", ".gradle",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

fn public_env(name: &str) -> bool {
    PUBLIC_ENV_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Files related by imports (each file → the files it imports and those importing it).
pub type Related = std::collections::BTreeMap<String, BTreeSet<String>>;

/// The values a token is compared with, indexed once: by file and kind, and the project's only
/// distinct value of each kind. Looking them up per token over every value made a scan of many
/// files holding tokens quadratic (50k files: 431 s).
struct Neighbours<'a> {
    by_file: BTreeMap<(&'a str, Kind), Vec<&'a Value>>,
    only: BTreeMap<Kind, &'a Value>,
    related: &'a Related,
}

impl<'a> Neighbours<'a> {
    fn of(values: &'a [Value], related: &'a Related) -> Self {
        let mut by_file: BTreeMap<(&str, Kind), Vec<&Value>> = BTreeMap::new();
        let mut by_kind: BTreeMap<Kind, (BTreeSet<&str>, &Value)> = BTreeMap::new();
        for v in values {
            by_file
                .entry((v.file.as_str(), v.kind))
                .or_default()
                .push(v);
            by_kind
                .entry(v.kind)
                .or_insert_with(|| (BTreeSet::new(), v))
                .0
                .insert(v.value.as_str());
        }
        let only = by_kind
            .into_iter()
            .filter(|(_, (distinct, _))| distinct.len() == 1)
            .map(|(kind, (_, first))| (kind, first))
            .collect();
        Neighbours {
            by_file,
            only,
            related,
        }
    }

    /// The value of `kind` to compare a token at `token` with: one from the same file (nearest
    /// line first), else from a file it imports or that imports it (a config module), else the
    /// project's only distinct one. `None` when there is none or it is ambiguous.
    fn beside(&self, kind: Kind, token: &Value) -> Option<&'a Value> {
        let same_file = self
            .by_file
            .get(&(token.file.as_str(), kind))
            .and_then(|vs| {
                vs.iter()
                    .copied()
                    .min_by_key(|v| v.line.abs_diff(token.line))
            });
        if same_file.is_some() {
            return same_file;
        }
        if let Some(rel) = self.related.get(&token.file) {
            // In the order of `values`: files in path order, as the walk reads them.
            let mut near: Vec<&Value> = rel
                .iter()
                .filter_map(|file| self.by_file.get(&(file.as_str(), kind)))
                .flatten()
                .copied()
                .collect();
            near.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            let distinct: BTreeSet<&str> = near.iter().map(|v| v.value.as_str()).collect();
            if distinct.len() == 1 {
                return near.first().copied();
            }
        }
        self.only.get(&kind).copied()
    }
}

fn placeholder(value: &str) -> bool {
    let l = value.to_ascii_lowercase();
    [
        "your", "xxx", "<", "here", "insert", "replace", "app_id", "app-id", "appid", "todo",
        "changeme",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// The findings on the configuration values of a whole project, at `now` (unix seconds).
pub fn findings(
    values: &[Value],
    server_roots: &BTreeSet<String>,
    related: &Related,
    now: u64,
) -> Vec<ScanFinding> {
    let mut out = Vec::new();
    let neighbours = Neighbours::of(values, related);
    let certificates: Vec<&Value> = values
        .iter()
        .filter(|v| v.kind == Kind::Certificate)
        .collect();
    for cert in &certificates {
        if is_server_side(&cert.file, server_roots) && !public_env(&cert.name) {
            if written_in_code(cert) {
                out.push(located(committed_finding(cert), cert).about(&cert.value));
            } else if let Some(f) = sample_certificate_finding(cert, &neighbours) {
                out.push(located(f, cert));
            }
            continue;
        }
        let mut f = Finding::new(
            "scan.config.certificate_in_client",
            Status::Fail,
            format!("an App Certificate is in client-side code (`{}`)", cert.name),
        )
        .with_evidence("the value is not shown: 32 hexadecimal characters under a certificate name")
        .with_evidence("anyone who has the app (or opens the page's sources) can read it and build tokens for any channel and uid of this project");
        if public_env(&cert.name) {
            f = f.with_evidence(format!(
                "the `{}` prefix makes the bundler copy this variable into the client bundle",
                PUBLIC_ENV_PREFIXES
                    .iter()
                    .find(|p| cert.name.starts_with(*p))
                    .copied()
                    .unwrap_or("")
            ));
        }
        f = f.with_fix("move token building to a server (Agora's token builders: npm agora-token, github.com/AgoraIO/Tools) and have the app fetch a token from it; then create a new certificate in the Console, because this one is published");
        out.push(located(f, cert).about(&cert.value));
    }
    let cert_values: BTreeSet<&str> = certificates.iter().map(|c| c.value.as_str()).collect();
    for app_id in values.iter().filter(|v| v.kind == Kind::AppId) {
        if cert_values.contains(app_id.value.as_str()) || is_hex32(&app_id.value) {
            continue;
        }
        let f = if app_id.value.is_empty() {
            Finding::new(
                "scan.config.app_id_invalid",
                Status::Fail,
                format!("`{}` is an empty App ID", app_id.name),
            )
            .with_evidence(if super::serialized::is_serialized(&app_id.file) {
                "this is the value the Inspector gives the script's field in this scene (it overrides the script's default); the engine is created with an empty App ID and refuses it"
            } else {
                "Web SDK 4.24.8 rejects it with `INVALID_PARAMS: Invalid appid`; 4.3.0 has no check and the page's tab crashed in tests"
            })
            .with_fix("set the App ID of your project from the Agora Console (32 hexadecimal characters)")
        } else if placeholder(&app_id.value) {
            Finding::new(
                "scan.config.app_id_placeholder",
                Status::Warn,
                format!("`{}` is still the tutorial's placeholder ({:?})", app_id.name, app_id.value),
            )
            .with_fix("put the App ID of your project from the Agora Console here (32 hexadecimal characters), or read it from configuration")
        } else {
            Finding::new(
                "scan.config.app_id_invalid",
                Status::Fail,
                format!(
                    "`{}` = {:?} is not an App ID: an App ID is 32 hexadecimal characters",
                    app_id.name, app_id.value
                ),
            )
            .with_fix(
                "copy the App ID again from the Agora Console (Project Management → your project)",
            )
        };
        out.push(located(f, app_id));
    }
    let the_certificate = {
        let distinct: BTreeSet<&str> = cert_values.iter().copied().collect();
        (distinct.len() == 1).then(|| distinct.into_iter().next().unwrap_or("").to_string())
    };
    // A token written into a token library's samples or tests is a test vector: the app never
    // joins with it. One written into a server's own code is what the server hands out.
    for token in values.iter().filter(|v| {
        v.kind == Kind::Token
            && !(is_server_side(&v.file, server_roots) && is_library_sample(&v.file))
    }) {
        out.extend(token_findings(
            token,
            &neighbours,
            the_certificate.as_deref(),
            now,
        ));
    }
    out
}

/// A token builder's sample, test or inspector (Agora's token library or a copy of it): the
/// values in it are inputs made up to show the builder, not the app's.
fn is_library_sample(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        "sample",
        "example",
        "test",
        "dynamickey",
        "inspect",
        "demo",
        "spec",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

/// App Certificates Agora publishes with its token library's samples and tests
/// (github.com/AgoraIO/Tools, DynamicKey/AgoraDynamicKey/*/sample): known to everyone, no secret.
const PUBLISHED_SAMPLE_CERTIFICATES: &[&str] = &["5cfd2fd1755d40ecb72977518be15d3b"];

/// The App ID Agora's token library's samples and tests use with the published certificate.
const PUBLISHED_SAMPLE_APP_ID: &str = "970ca35de60c44645bbae8a215061b33";

/// A server that signs tokens for its own App ID with Agora's published sample certificate: every
/// token it builds fails the signature check (outside the token library's own samples).
fn sample_certificate_finding(cert: &Value, neighbours: &Neighbours<'_>) -> Option<Finding> {
    let value = cert.value.to_ascii_lowercase();
    if !PUBLISHED_SAMPLE_CERTIFICATES.contains(&value.as_str()) || is_library_sample(&cert.file) {
        return None;
    }
    let app_id = neighbours
        .beside(Kind::AppId, cert)
        .filter(|a| is_hex32(&a.value) && !a.value.eq_ignore_ascii_case(PUBLISHED_SAMPLE_APP_ID))?;
    Some(
        Finding::new(
            "scan.config.certificate_sample",
            Status::Fail,
            format!(
                "`{}` is the App Certificate of Agora's token samples, used with this project's App ID {}: every token it builds is refused",
                cert.name, app_id.value
            ),
        )
        .with_evidence(format!(
            "App ID from {} (`{}`); the certificate is the one Agora publishes with its token builders' samples (github.com/AgoraIO/Tools), not this project's",
            app_id.at(),
            app_id.name
        ))
        .with_evidence("Agora checks a token's signature with the project's own certificate: a token signed with another one fails to join (invalid token, error 110 on native SDKs, `CAN_NOT_GET_GATEWAY_SERVER` / invalid token on the Web)")
        .with_fix("read the project's own App Certificate (Agora Console → your project → Security) from the server's environment"),
    )
}

/// Whether a server-side certificate is written into the code itself (not an `.env` file, which
/// is kept out of version control by convention, nor Agora's own published sample values or its
/// token library's sources).
fn written_in_code(cert: &Value) -> bool {
    let name = cert.file.rsplit('/').next().unwrap_or(&cert.file);
    let env_file = name == ".env" || name.starts_with(".env.") || name.ends_with(".env");
    let library = cert.file.contains("AgoraDynamicKey") || cert.file.contains("DynamicKey/");
    !env_file
        && !library
        && !PUBLISHED_SAMPLE_CERTIFICATES.contains(&cert.value.to_ascii_lowercase().as_str())
}

fn committed_finding(cert: &Value) -> Finding {
    Finding::new(
        "scan.config.certificate_committed",
        Status::Fail,
        format!(
            "an App Certificate is written into server code (`{}`): whoever can read the repository can build tokens",
            cert.name
        ),
    )
    .with_evidence("the value is not shown: 32 hexadecimal characters under a certificate name, in a source file rather than the server's environment")
    .with_evidence("with the App ID beside it, the certificate lets anyone build tokens for any channel and uid of this project; a published repository publishes it")
    .with_fix("read the certificate from the server's environment or secret store (process.env.AGORA_APP_CERTIFICATE, os.environ[\"AGORA_APP_CERTIFICATE\"], os.Getenv) and keep it out of version control; then create a new certificate in the Console, because this one is published")
}

fn located(finding: Finding, at: &Value) -> ScanFinding {
    ScanFinding::at(finding, &at.file, Some(at.line))
}

fn token_findings(
    token: &Value,
    neighbours: &Neighbours<'_>,
    certificate: Option<&str>,
    now: u64,
) -> Vec<ScanFinding> {
    let app_id = neighbours
        .beside(Kind::AppId, token)
        .filter(|v| is_hex32(&v.value));
    let channel = neighbours.beside(Kind::Channel, token);
    let uid = neighbours.beside(Kind::Uid, token);
    let user = uid.map(|u| match u.value.parse::<u64>() {
        Ok(n) => User::Uid(n),
        Err(_) => User::Account(u.value.clone()),
    });
    let exp = Expectation {
        channel: channel.map(|c| c.value.clone()),
        user,
        app_id: app_id.map(|a| a.value.clone()),
        role: None,
        certificate: certificate.map(str::to_string),
    };
    let check = core::check(&token.value, &exp, now);
    let version = token.value.get(..3).unwrap_or("");
    let named = if token.name.is_empty() {
        String::new()
    } else {
        format!(" `{}`", token.name)
    };
    let mut context = vec![format!(
        "token{named} at {} ({version}…, {} characters; not shown)",
        token.at(),
        token.value.len()
    )];
    for (what, v) in [("App ID", app_id), ("channel", channel), ("uid", uid)] {
        if let Some(v) = v {
            let shown = if what == "App ID" {
                v.value.clone()
            } else {
                format!("{:?}", v.value)
            };
            context.push(format!(
                "compared with {what} {shown} from {} (`{}`)",
                v.at(),
                v.name
            ));
        }
    }
    check
        .findings
        .into_iter()
        .filter(|f| matches!(f.status, Status::Warn | Status::Fail | Status::Error))
        .map(|mut f| {
            f.summary = format!("hard-coded token{named}: {}", f.summary);
            let mut evidence = context.clone();
            evidence.append(&mut f.evidence);
            f.evidence = evidence;
            ScanFinding::at(f, &token.file, Some(token.line)).about(&token.value)
        })
        .collect()
}

/// A customer ID or secret of Agora's RESTful API (32 hexadecimal characters) written into a file
/// that calls the API (`api.agora.io`, `api.sd-rtn.com`).
fn rest_credential() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    re(
        &R,
        r#"(?:\$|\b)([A-Za-z_]\w*)["']?\s*(?:=>|:=|=|:)\s*["']([0-9a-fA-F]{32})["']"#,
    )
}

/// Where a file calls Agora's RESTful API with credentials written into it: the secret values
/// (for redaction) and one finding per value.
pub fn rest_secret_findings(file: &SourceFile) -> (Vec<String>, Vec<ScanFinding>) {
    let text = &file.text;
    if !(text.contains("api.agora.io") || text.contains("api.sd-rtn.com"))
        || is_library_sample(&file.path)
    {
        return (Vec::new(), Vec::new());
    }
    let mut secrets: Vec<String> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut first: Option<usize> = None;
    for c in rest_credential().captures_iter(text) {
        let (Some(name), Some(value)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let lower = name.as_str().to_ascii_lowercase();
        let credential = ["customer", "secret", "user", "pass", "credential", "auth"]
            .iter()
            .any(|w| lower.contains(w));
        if !credential || lower.contains("app") {
            continue;
        }
        first.get_or_insert(value.start());
        if !names.contains(&name.as_str().to_string()) {
            names.push(name.as_str().to_string());
        }
        secrets.push(value.as_str().to_string());
    }
    let Some(at) = first else {
        return (Vec::new(), Vec::new());
    };
    // The customer ID and secret are one credential: one fact, wherever the pair is copied.
    let mut pair = secrets.clone();
    pair.sort();
    pair.dedup();
    let f = Finding::new(
        "scan.config.rest_secret_committed",
        Status::Fail,
        format!(
            "the credentials of Agora's RESTful API are written into the code (`{}`)",
            names.join("`, `")
        ),
    )
    .with_evidence("the values are not shown: 32 hexadecimal characters in a file that calls Agora's RESTful API (api.agora.io)")
    .with_evidence("the customer ID and secret authorise every RESTful call of the account (cloud recording, kicking users, usage): whoever reads the repository can make them")
    .with_fix("read the customer ID and secret from the server's environment or secret store, keep them out of version control, and reset the secret in the Agora Console (RESTful API), because this one is published");
    let out = vec![ScanFinding::at(f, &file.path, Some(line_of(text, at))).about(&pair.join(":"))];
    (secrets, out)
}

/// Every certificate value among `values` (for the renderer's last-line redaction).
pub fn certificate_values(values: &[Value]) -> Vec<String> {
    values
        .iter()
        .filter(|v| v.kind == Kind::Certificate)
        .map(|v| v.value.clone())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::scan::walk::test_file as file;

    #[test]
    fn finds_values_in_each_language() {
        let cases = [
            ("a.js", "const options = { appId: \"970CA35de60c44645bbae8a215061b33\", channel: \"demo\", uid: 42 };", vec![Kind::AppId, Kind::Channel, Kind::Uid]),
            (".env", "VITE_AGORA_APP_ID=970CA35de60c44645bbae8a215061b33\nVITE_AGORA_APP_CERTIFICATE=5CFd2fd1755d40ecb72977518be15d3b\n", vec![Kind::AppId, Kind::Certificate]),
            ("lib/config.dart", "const String appId = '970CA35de60c44645bbae8a215061b33';\nconst channelName = 'test';", vec![Kind::AppId, Kind::Channel]),
            ("Config.kt", "const val APP_CERTIFICATE = \"5CFd2fd1755d40ecb72977518be15d3b\"", vec![Kind::Certificate]),
            ("Config.swift", "static let appId: String = \"970CA35de60c44645bbae8a215061b33\"", vec![Kind::AppId]),
            ("res/values/strings.xml", "<string name=\"agora_app_id\">970CA35de60c44645bbae8a215061b33</string>", vec![Kind::AppId]),
            ("Info.plist", "<key>AgoraAppId</key>\n<string>970CA35de60c44645bbae8a215061b33</string>", vec![Kind::AppId]),
        ];
        for (path, text, kinds) in cases {
            let got: Vec<Kind> = extract(&file(path, text)).iter().map(|v| v.kind).collect();
            assert_eq!(got, kinds, "{path}");
        }
    }

    #[test]
    fn other_services_app_ids_and_secrets_are_not_agoras() {
        let text = "const firebaseConfig = { appId: \"1:123:web:abc\", clientSecret: \"0123456789abcdef0123456789abcdef\" };";
        assert!(extract(&file("src/firebase.js", text)).is_empty());
        let agora = "import AgoraRTC from 'agora-rtc-sdk-ng';\nconst appId = \"YOUR APP ID\";";
        assert_eq!(extract(&file("src/a.js", agora)).len(), 1);
    }

    #[test]
    fn a_certificate_name_with_a_non_hex_value_is_not_a_certificate() {
        assert!(extract(&file("a.js", "certFile: \"cert.pem\"")).is_empty());
    }

    #[test]
    fn server_side_paths() {
        let none = BTreeSet::new();
        assert!(is_server_side("server/index.js", &none));
        assert!(is_server_side("token-server.js", &none));
        assert!(!is_server_side("src/main.js", &none));
        let roots: BTreeSet<String> = ["tokens".to_string()].into();
        assert!(is_server_side("tokens/index.js", &roots));
        assert!(!is_server_side("app/lib/main.dart", &roots));
    }
}
