//! One catalog entry: its front matter (TOML between `+++` lines) and its four prose sections, parsed
//! from the markdown file embedded by the registry.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// What family of Agora identifier an entry documents; decides priority when one spelling (a number,
/// a name such as `TOKEN_EXPIRE`) means different things in different families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A finding key emitted by agora-doctor itself (`token.expired`, `probe.clock.skew`).
    Finding,
    /// A verbatim console message shape (seed article and issue threads).
    Message,
    /// A Web SDK `AgoraRTCErrorCode` string (`CAN_NOT_GET_GATEWAY_SERVER`).
    WebCode,
    /// An access-point reason text (`dynamic key expired`), Web SDK.
    GatewayReason,
    /// A gateway (websocket) error code (`ERR_NO_AUTHORIZED`, 110), Web SDK.
    GatewayJoinCode,
    /// A native `ERROR_CODE_TYPE` value (`ERR_INVALID_TOKEN`, 110).
    NativeError,
    /// A Web SDK `ConnectionDisconnectedReason`.
    WebDisconnectReason,
    /// A native `CONNECTION_CHANGED_REASON_TYPE` value.
    ConnectionReason,
    /// A Web SDK `ConnectionState`.
    WebConnectionState,
    /// A native `CONNECTION_STATE_TYPE` value.
    ConnectionState,
    /// A Signaling (RTM) 1.x login error code (`LOGIN_ERR_INVALID_TOKEN`, 5); the same small numbers
    /// mean other things in RTC, so a paste needs RTM context to land here.
    RtmLoginError,
    /// A Signaling (RTM) 2.x `RTM_ERROR_CODE` (`RTM_ERROR_LOGIN_REJECTED`, -10012).
    RtmError,
    /// A native `WARN_CODE_TYPE` value (`WARN_LOOKUP_CHANNEL_TIMEOUT`, 104).
    NativeWarning,
    /// Any other native reason or error enum: local/remote audio and video reasons, Media Push, relay,
    /// encryption, media player (`LOCAL_AUDIO_STREAM_REASON_DEVICE_BUSY`, 3).
    NativeReason,
    /// A Signaling connection state or change reason, 1.x or 2.x.
    RtmReason,
    /// A Signaling (RTM) 1.x per-API error code other than login (`JOIN_CHANNEL_ERR_FAILURE`, 1).
    Rtm1Error,
    /// An Agora Chat SDK error code (Android, iOS, Flutter, React Native, Unity), with the Easemob names.
    ChatError,
    /// An Agora Chat Web SDK error code (`WEBIM_CONNCTION_AUTH_ERROR`, 2).
    ChatWebError,
    /// An Interactive Whiteboard error code (`2010201`).
    WhiteboardError,
    /// A Flexible Classroom response code (`20404100`).
    ClassroomError,
    /// An HTTP status of one of Agora's RESTful APIs (Cloud Recording, Chat, Conversational AI …).
    RestStatus,
    /// A Notification Center Service (webhook) `eventType` number (`103`, broadcaster join channel).
    NcsEvent,
    /// A platform family: what the browser, the OS, a build tool or a wrapper says around Agora.
    Platform,
}

impl Kind {
    /// Every kind, in lookup priority order (first wins when a spelling is shared).
    pub const ALL: [Kind; 23] = [
        Kind::Finding,
        Kind::Message,
        Kind::WebCode,
        Kind::GatewayReason,
        Kind::GatewayJoinCode,
        Kind::NativeError,
        Kind::WebDisconnectReason,
        Kind::ConnectionReason,
        Kind::WebConnectionState,
        Kind::ConnectionState,
        Kind::RtmLoginError,
        Kind::RtmError,
        Kind::NativeWarning,
        Kind::NativeReason,
        Kind::RtmReason,
        Kind::Rtm1Error,
        Kind::ChatError,
        Kind::ChatWebError,
        Kind::WhiteboardError,
        Kind::ClassroomError,
        Kind::RestStatus,
        Kind::NcsEvent,
        Kind::Platform,
    ];

    /// The spelling used in front matter, JSON and the TSV's `kind` column.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Finding => "finding",
            Kind::Message => "message",
            Kind::WebCode => "web-code",
            Kind::GatewayReason => "gateway-reason",
            Kind::GatewayJoinCode => "gateway-join-code",
            Kind::NativeError => "native-error",
            Kind::WebDisconnectReason => "web-disconnect-reason",
            Kind::ConnectionReason => "connection-reason",
            Kind::WebConnectionState => "web-connection-state",
            Kind::ConnectionState => "connection-state",
            Kind::RtmLoginError => "rtm-login-error",
            Kind::RtmError => "rtm-error",
            Kind::NativeWarning => "native-warning",
            Kind::NativeReason => "native-reason",
            Kind::RtmReason => "rtm-reason",
            Kind::Rtm1Error => "rtm1-error",
            Kind::ChatError => "chat-error",
            Kind::ChatWebError => "chat-web-error",
            Kind::WhiteboardError => "whiteboard-error",
            Kind::ClassroomError => "classroom-error",
            Kind::RestStatus => "rest-status",
            Kind::NcsEvent => "ncs-event",
            Kind::Platform => "platform",
        }
    }

    /// The kind a front-matter spelling names (`native-error`), if any.
    pub fn from_spelling(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A short human label ("native error") for rendering.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Finding => "agora-doctor finding",
            Kind::Message => "console message",
            Kind::WebCode => "Web SDK error code",
            Kind::GatewayReason => "Web SDK access-point reason",
            Kind::GatewayJoinCode => "Web SDK gateway code",
            Kind::NativeError => "native SDK error code",
            Kind::WebDisconnectReason => "Web SDK disconnect reason",
            Kind::ConnectionReason => "native connection-changed reason",
            Kind::WebConnectionState => "Web SDK connection state",
            Kind::ConnectionState => "native connection state",
            Kind::RtmLoginError => "Signaling (RTM) 1.x login error",
            Kind::RtmError => "Signaling (RTM) 2.x error code",
            Kind::NativeWarning => "native SDK warning code",
            Kind::NativeReason => "native SDK reason code",
            Kind::RtmReason => "Signaling (RTM) connection reason",
            Kind::Rtm1Error => "Signaling (RTM) 1.x error code",
            Kind::ChatError => "Chat SDK error code",
            Kind::ChatWebError => "Chat Web SDK error code",
            Kind::WhiteboardError => "Interactive Whiteboard error code",
            Kind::ClassroomError => "Flexible Classroom response code",
            Kind::RestStatus => "RESTful API status",
            Kind::NcsEvent => "NCS webhook event type",
            Kind::Platform => "platform error",
        }
    }
}

/// The Agora product an entry belongs to (front matter `product`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Product {
    /// Real-time voice and video (Web SDK, native SDKs and their wrappers).
    Rtc,
    /// Signaling, formerly Real-time Messaging (RTM) 1.x and 2.x.
    Rtm,
    /// Agora Chat (formerly Easemob / Hyphenate IM).
    Chat,
    /// Cloud Recording.
    CloudRecording,
    /// Interactive Whiteboard (Netless).
    Whiteboard,
    /// Flexible Classroom.
    Classroom,
    /// Conversational AI Engine.
    Convoai,
    /// Media Gateway (streaming keys) and Media Pull.
    MediaGateway,
    /// Media Push (CDN live streaming from a channel): its RESTful API and the SDKs' push reasons.
    MediaPush,
    /// Notification Center Service: the webhook events Agora posts to an app server.
    Ncs,
    /// Cloud Transcoding.
    CloudTranscoding,
    /// Real-Time Speech-to-Text.
    Stt,
    /// The RESTful API shared by the products (Customer ID/Secret authentication, channel management).
    Rest,
    /// Tokens and the token builders.
    Token,
    /// The layer around the SDKs: browsers, operating systems, build tools and wrappers.
    Platform,
    /// agora-doctor's own findings.
    Doctor,
}

impl Product {
    /// Every product, in the order answers list them.
    pub const ALL: [Product; 16] = [
        Product::Rtc,
        Product::Rtm,
        Product::Chat,
        Product::CloudRecording,
        Product::Whiteboard,
        Product::Classroom,
        Product::Convoai,
        Product::MediaGateway,
        Product::MediaPush,
        Product::Ncs,
        Product::CloudTranscoding,
        Product::Stt,
        Product::Rest,
        Product::Token,
        Product::Platform,
        Product::Doctor,
    ];

    /// The product a front-matter spelling names (`cloud-recording`), if any.
    pub fn from_spelling(s: &str) -> Option<Product> {
        Product::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// The front-matter and JSON spelling (`cloud-recording`).
    pub fn as_str(self) -> &'static str {
        match self {
            Product::Rtc => "rtc",
            Product::Rtm => "rtm",
            Product::Chat => "chat",
            Product::CloudRecording => "cloud-recording",
            Product::Whiteboard => "whiteboard",
            Product::Classroom => "classroom",
            Product::Convoai => "convoai",
            Product::MediaGateway => "media-gateway",
            Product::MediaPush => "media-push",
            Product::Ncs => "ncs",
            Product::CloudTranscoding => "cloud-transcoding",
            Product::Stt => "stt",
            Product::Rest => "rest",
            Product::Token => "token",
            Product::Platform => "platform",
            Product::Doctor => "doctor",
        }
    }

    /// The product's name as a user reads it.
    pub fn label(self) -> &'static str {
        match self {
            Product::Rtc => "RTC (Video/Voice SDK)",
            Product::Rtm => "Signaling (RTM)",
            Product::Chat => "Chat",
            Product::CloudRecording => "Cloud Recording",
            Product::Whiteboard => "Interactive Whiteboard",
            Product::Classroom => "Flexible Classroom",
            Product::Convoai => "Conversational AI Engine",
            Product::MediaGateway => "Media Gateway",
            Product::MediaPush => "Media Push",
            Product::Ncs => "Notification Center Service (webhooks)",
            Product::CloudTranscoding => "Cloud Transcoding",
            Product::Stt => "Real-Time STT",
            Product::Rest => "RESTful API",
            Product::Token => "tokens",
            Product::Platform => "platform",
            Product::Doctor => "agora-doctor",
        }
    }
}

/// One documented error, code, message or finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable key (`ap.dynamic_key_expired`, `token.expired`); also the file name without `.md`.
    pub key: String,
    /// One-line heading.
    pub title: String,
    /// Which SDK says it (`web`, `native`, `flutter`, `web-app`, `agora-doctor`).
    pub sdk: String,
    /// The family of identifier.
    pub kind: Kind,
    /// The numeric value or string code users see (`110`, `2010013`, `TOKEN_EXPIRE`); empty if none.
    pub value: String,
    /// Official identifiers (`ERR_INVALID_TOKEN`), matched exactly in any case or spelling style.
    pub names: Vec<String>,
    /// Other spellings (`ErrInvalidToken`, a gateway reason text), matched exactly.
    pub aliases: Vec<String>,
    /// Identifiers recognised inside a pasted line or log as a generic match (`AgoraRTCError TIMEOUT`).
    pub codes: Vec<String>,
    /// Message texts recognised inside a pasted line or log; they beat `codes` (most specific wins).
    /// A trailing `*` makes a text a prefix (`Library not loaded: @rpath/Agora*`).
    pub patterns: Vec<String>,
    /// Since when, or why, the code is retired or legacy; `None` for current codes.
    pub retired: Option<String>,
    /// What it means.
    pub summary: String,
    /// Likely causes, most likely first.
    pub causes: Vec<String>,
    /// What to do.
    pub fix: String,
    /// The product the entry belongs to (front matter `product`, else derived from the kind).
    pub product: Product,
    /// The official table the entry is a row of (`rtc-native-error-code-type`), if any.
    pub table: Option<String>,
    /// The public page or file that publishes that table.
    pub source: Option<String>,
    /// The causes this entry explains, as families shared with every other layer
    /// (`media-permission-denied`, `native-library-not-loaded`; docs/error-sources.md lists them).
    pub families: Vec<String>,
    /// agora-doctor commands that check it, each with a few words on what they show.
    pub check_with: Vec<String>,
}

impl Entry {
    /// Which product printed it. One number means different things in each, so an ambiguous paste is
    /// answered per product.
    pub fn product(&self) -> Product {
        self.product
    }

    /// Where the error comes from, in the vocabulary shared by the catalog's tables and the measured
    /// sets: `rtc-web`, `rtc-native`, `rtm-1.x`, `rtm-2.x`, `chat`, `whiteboard`, `classroom`,
    /// `cloud-recording`, `rest`, `ncs`, `media-push`, `conversational-ai`, `token-builder`, `browser`
    /// (a browser API's own error), `platform` (OS, wrapper or build tool), and the rest by product.
    pub fn area(&self) -> &'static str {
        let web = matches!(self.sdk.as_str(), "web" | "web-app" | "browser")
            || matches!(
                self.kind,
                Kind::WebCode
                    | Kind::GatewayReason
                    | Kind::GatewayJoinCode
                    | Kind::WebDisconnectReason
                    | Kind::WebConnectionState
            );
        match self.product {
            Product::Rtc if web => "rtc-web",
            Product::Rtc => "rtc-native",
            Product::Rtm if self.key.starts_with("rtm_rest") => "rest",
            Product::Rtm => match self.kind {
                Kind::RtmLoginError | Kind::Rtm1Error => "rtm-1.x",
                Kind::RtmError => "rtm-2.x",
                _ if self.key.starts_with("rtm1")
                    || self.sdk == "rtm-1.x"
                    || self.sdk == "rtm1" =>
                {
                    "rtm-1.x"
                }
                _ => "rtm-2.x",
            },
            Product::Convoai => "conversational-ai",
            Product::Token => "token-builder",
            Product::Doctor => "agora-doctor",
            Product::Platform if web => "browser",
            p => p.as_str(),
        }
    }

    /// Whether the code is retired or legacy (kept so old logs still explain).
    pub fn is_legacy(&self) -> bool {
        self.retired.is_some()
    }

    /// The first sentence of the summary, for one-line listings.
    pub fn headline(&self) -> &str {
        first_sentence(&self.summary)
    }
}

fn first_sentence(text: &str) -> &str {
    // Stop at ". " followed by an upper-case letter or a backtick, so "e.g. x" and "4.3.0" stay whole.
    let bytes = text.as_bytes();
    for (i, w) in bytes.windows(3).enumerate() {
        if w[0] == b'.' && w[1] == b' ' && (w[2].is_ascii_uppercase() || w[2] == b'`') {
            return &text[..=i];
        }
    }
    text
}

/// Why a catalog file could not be parsed.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CatalogError {
    /// The file does not start with a `+++` front-matter block.
    #[error(
        "catalog file {file}: no `+++` front matter at the top; copy the layout of any other entry"
    )]
    NoFrontMatter {
        /// The file.
        file: String,
    },
    /// The front matter is not valid TOML or has unknown or missing fields.
    #[error("catalog file {file}: bad front matter: {message}")]
    BadFrontMatter {
        /// The file.
        file: String,
        /// The TOML parser's message.
        message: String,
    },
    /// The front-matter key differs from the file name.
    #[error("catalog file {file}: front matter says key `{key}`; rename the file or fix the key")]
    KeyMismatch {
        /// The file.
        file: String,
        /// The key inside.
        key: String,
    },
    /// A heading or section is missing, empty, duplicated or out of order.
    #[error("catalog file {file}: {message}")]
    BadSections {
        /// The file.
        file: String,
        /// What is wrong.
        message: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    key: String,
    sdk: String,
    kind: Kind,
    #[serde(default)]
    value: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    codes: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    retired: String,
    #[serde(default)]
    product: Option<Product>,
    #[serde(default)]
    table: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    families: Vec<String>,
    /// Written by scripts/catalog/generate.py (regenerating rewrites only these files).
    #[serde(default)]
    #[allow(dead_code)]
    generated: bool,
}

/// The product of an entry whose front matter names none: from its kind, SDK and key.
fn derived_product(kind: Kind, sdk: &str, key: &str) -> Product {
    match kind {
        Kind::RtmLoginError | Kind::RtmError | Kind::RtmReason | Kind::Rtm1Error => Product::Rtm,
        Kind::ChatError | Kind::ChatWebError => Product::Chat,
        Kind::WhiteboardError => Product::Whiteboard,
        Kind::ClassroomError => Product::Classroom,
        Kind::NcsEvent => Product::Ncs,
        Kind::Platform => Product::Platform,
        _ if sdk.starts_with("rtm") => Product::Rtm,
        Kind::Finding if key.starts_with("token") => Product::Token,
        Kind::Finding => Product::Doctor,
        _ => Product::Rtc,
    }
}

/// The front matter when every line is `name = "string"`, `name = ["string", …]` or `name = true|false`
/// with a known name and no repeated one, and `key`, `sdk` and `kind` are present; `None` otherwise.
fn simple_front_matter(text: &str) -> Option<FrontMatter> {
    let mut fm = FrontMatter {
        key: String::new(),
        sdk: String::new(),
        kind: Kind::Finding,
        value: String::new(),
        names: Vec::new(),
        aliases: Vec::new(),
        codes: Vec::new(),
        patterns: Vec::new(),
        retired: String::new(),
        product: None,
        table: String::new(),
        source: String::new(),
        families: Vec::new(),
        generated: false,
    };
    let mut seen: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() {
            continue;
        }
        let (name, value) = line.split_once(" = ")?;
        let name = name.trim();
        if seen.contains(&name) {
            return None;
        }
        seen.push(name);
        let value = value.trim();
        match name {
            "key" => fm.key = basic_string(value)?,
            "sdk" => fm.sdk = basic_string(value)?,
            "kind" => fm.kind = Kind::from_spelling(&basic_string(value)?)?,
            "value" => fm.value = basic_string(value)?,
            "retired" => fm.retired = basic_string(value)?,
            "table" => fm.table = basic_string(value)?,
            "source" => fm.source = basic_string(value)?,
            "product" => fm.product = Some(Product::from_spelling(&basic_string(value)?)?),
            "generated" => {
                fm.generated = match value {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                }
            }
            "names" => fm.names = string_list(value)?,
            "aliases" => fm.aliases = string_list(value)?,
            "codes" => fm.codes = string_list(value)?,
            "patterns" => fm.patterns = string_list(value)?,
            "families" => fm.families = string_list(value)?,
            _ => return None,
        }
    }
    ["key", "sdk", "kind"]
        .iter()
        .all(|k| seen.contains(k))
        .then_some(fm)
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

/// Parse one catalog file; `file_key` is its file name without `.md`.
pub fn parse_entry(file_key: &str, text: &str) -> Result<Entry, CatalogError> {
    let file = format!("{file_key}.md");
    let rest = text
        .strip_prefix("+++\n")
        .ok_or_else(|| CatalogError::NoFrontMatter { file: file.clone() })?;
    let end = rest
        .find("\n+++\n")
        .ok_or_else(|| CatalogError::NoFrontMatter { file: file.clone() })?;
    // The catalog's front matter uses a small subset of TOML (strings, one-line lists of strings,
    // booleans); reading that subset directly is ten times faster than a TOML parser, and parsing the
    // 1,400 entries is what every `explain` process pays first. Anything else goes to the TOML
    // parser, which also words the errors.
    let fm: FrontMatter = match simple_front_matter(&rest[..end]) {
        Some(fm) => fm,
        None => toml::from_str(&rest[..end]).map_err(|e| CatalogError::BadFrontMatter {
            file: file.clone(),
            message: e.message().to_string(),
        })?,
    };
    if fm.key != file_key {
        return Err(CatalogError::KeyMismatch { file, key: fm.key });
    }
    let body = &rest[end + 5..];
    let bad = |message: String| CatalogError::BadSections {
        file: file.clone(),
        message,
    };

    let mut lines = body.lines().skip_while(|l| l.trim().is_empty());
    let title = lines
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| bad("the body must start with a `# title` line".into()))?;

    let mut sections: Vec<(String, Vec<&str>)> = Vec::new();
    for line in lines {
        if let Some(h) = line.strip_prefix("## ") {
            sections.push((h.trim().to_string(), Vec::new()));
        } else if let Some((_, body)) = sections.last_mut() {
            body.push(line);
        } else if !line.trim().is_empty() {
            return Err(bad(format!("text before the first section: {line:?}")));
        }
    }
    let names: Vec<&str> = sections.iter().map(|(h, _)| h.as_str()).collect();
    if names != SECTIONS {
        return Err(bad(format!(
            "sections are {names:?}; they must be exactly {SECTIONS:?} in that order"
        )));
    }
    let text_of = |i: usize| -> Result<String, CatalogError> {
        let t = paragraphs(&sections[i].1);
        if t.is_empty() {
            Err(bad(format!("section `{}` is empty", SECTIONS[i])))
        } else {
            Ok(t)
        }
    };
    let list_of = |i: usize| -> Result<Vec<String>, CatalogError> {
        let items = bullets(&sections[i].1);
        if items.is_empty() {
            Err(bad(format!(
                "section `{}` needs at least one `- ` item",
                SECTIONS[i]
            )))
        } else {
            Ok(items)
        }
    };

    let product = fm
        .product
        .unwrap_or_else(|| derived_product(fm.kind, &fm.sdk, &fm.key));
    Ok(Entry {
        product,
        table: Some(fm.table).filter(|t| !t.is_empty()),
        source: Some(fm.source).filter(|t| !t.is_empty()),
        families: fm.families,
        key: fm.key,
        title,
        sdk: fm.sdk,
        kind: fm.kind,
        value: fm.value,
        names: fm.names,
        aliases: fm.aliases,
        codes: fm.codes,
        patterns: fm.patterns,
        retired: Some(fm.retired).filter(|r| !r.is_empty()),
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

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "+++\nkey = \"x.y\"\nsdk = \"web\"\nkind = \"web-code\"\n+++\n\n# Title\n\n## Summary\n\nS. More.\n\n## Likely causes\n\n- one\n  continued\n- two\n\n## Fix\n\nF\n\n## Check with\n\n- `agora-doctor probe`\n";

    #[test]
    fn parses_a_well_formed_entry() {
        let e = parse_entry("x.y", GOOD).unwrap();
        assert_eq!(e.title, "Title");
        assert_eq!(e.causes, vec!["one continued", "two"]);
        assert_eq!(e.headline(), "S.");
        assert_eq!(e.summary, "S. More.");
        assert_eq!(e.retired, None);
    }

    #[test]
    fn the_fast_reader_and_toml_agree_on_the_catalog_subset() {
        let text = "key = \"a.b\"\nsdk = \"web\"\nkind = \"chat-error\"\nproduct = \"cloud-recording\"\ngenerated = true\nnames = [\"X_Y\", \"say \\\"hi\\\" \\\\ ok\"]\npatterns = []\n";
        let fast = simple_front_matter(text).expect("the subset");
        let slow: FrontMatter = toml::from_str(text).expect("toml");
        assert_eq!(fast.names, slow.names);
        assert_eq!(fast.kind, slow.kind);
        assert_eq!(fast.product, slow.product);
        assert_eq!(fast.generated, slow.generated);
        assert_eq!(fast.names[1], "say \"hi\" \\ ok");
        // Outside the subset (an unknown field, a table, a multi-line list): the TOML parser decides.
        assert!(simple_front_matter(
            "key = \"a\"\nsdk = \"w\"\nkind = \"finding\"\nother = \"x\"\n"
        )
        .is_none());
        assert!(simple_front_matter(
            "key = \"a\"\nsdk = \"w\"\nkind = \"finding\"\nnames = [\n\"x\"]\n"
        )
        .is_none());
        assert!(simple_front_matter("key = \"a\"\nsdk = \"w\"\nkind = \"nope\"\n").is_none());
    }

    #[test]
    fn rejects_a_key_that_differs_from_the_file_name() {
        assert!(matches!(
            parse_entry("x.z", GOOD),
            Err(CatalogError::KeyMismatch { .. })
        ));
    }

    #[test]
    fn rejects_a_missing_section() {
        let text = GOOD.replace("## Fix\n\nF\n\n", "");
        assert!(matches!(
            parse_entry("x.y", &text),
            Err(CatalogError::BadSections { .. })
        ));
    }
}
