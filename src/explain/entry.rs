//! One catalog entry: its front matter (TOML between `+++` lines) and its four prose sections, parsed
//! from the markdown file embedded by the registry (the binary carries them pre-parsed by build.rs,
//! see [`super::registry`]).

use std::borrow::Cow;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::source::{self, Value};

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

/// A text of an entry: borrowed from the binary for the pre-parsed catalog, owned when parsed.
pub type Text = Cow<'static, str>;

/// A list of texts, borrowed or owned like [`Text`].
pub type Texts = Cow<'static, [Text]>;

/// One documented error, code, message or finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// Stable key (`ap.dynamic_key_expired`, `token.expired`); also the file name without `.md`.
    pub key: Text,
    /// One-line heading.
    pub title: Text,
    /// Which SDK says it (`web`, `native`, `flutter`, `web-app`, `agora-doctor`).
    pub sdk: Text,
    /// The family of identifier.
    pub kind: Kind,
    /// The numeric value or string code users see (`110`, `2010013`, `TOKEN_EXPIRE`); empty if none.
    pub value: Text,
    /// Official identifiers (`ERR_INVALID_TOKEN`), matched exactly in any case or spelling style.
    pub names: Texts,
    /// Other spellings (`ErrInvalidToken`, a gateway reason text), matched exactly.
    pub aliases: Texts,
    /// Identifiers recognised inside a pasted line or log as a generic match (`AgoraRTCError TIMEOUT`).
    pub codes: Texts,
    /// Message texts recognised inside a pasted line or log; they beat `codes` (most specific wins).
    /// A trailing `*` makes a text a prefix (`Library not loaded: @rpath/Agora*`).
    pub patterns: Texts,
    /// Since when, or why, the code is retired or legacy; `None` for current codes.
    pub retired: Option<Text>,
    /// What it means.
    pub summary: Text,
    /// Likely causes, most likely first.
    pub causes: Texts,
    /// What to do.
    pub fix: Text,
    /// The product the entry belongs to (front matter `product`, else derived from the kind).
    pub product: Product,
    /// The official table the entry is a row of (`rtc-native-error-code-type`), if any.
    pub table: Option<Text>,
    /// The public page or file that publishes that table.
    pub source: Option<Text>,
    /// The causes this entry explains, as families shared with every other layer
    /// (`media-permission-denied`, `native-library-not-loaded`; docs/error-sources.md lists them).
    pub families: Texts,
    /// agora-doctor commands that check it, each with a few words on what they show.
    pub check_with: Texts,
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
        let web = matches!(self.sdk.as_ref(), "web" | "web-app" | "browser")
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

/// The product of an entry whose front matter names none: from its kind, SDK and key. A `const fn`
/// so that the pre-parsed catalog build.rs writes derives it the same way.
pub const fn derived_product(kind: Kind, sdk: &str, key: &str) -> Product {
    match kind {
        Kind::RtmLoginError | Kind::RtmError | Kind::RtmReason | Kind::Rtm1Error => Product::Rtm,
        Kind::ChatError | Kind::ChatWebError => Product::Chat,
        Kind::WhiteboardError => Product::Whiteboard,
        Kind::ClassroomError => Product::Classroom,
        Kind::NcsEvent => Product::Ncs,
        Kind::Platform => Product::Platform,
        _ if starts_with(sdk, "rtm") => Product::Rtm,
        Kind::Finding if starts_with(key, "token") => Product::Token,
        Kind::Finding => Product::Doctor,
        _ => Product::Rtc,
    }
}

/// `str::starts_with` for a `const fn`.
const fn starts_with(s: &str, prefix: &str) -> bool {
    let (s, p) = (s.as_bytes(), prefix.as_bytes());
    if s.len() < p.len() {
        return false;
    }
    let mut i = 0;
    while i < p.len() {
        if s[i] != p[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The front matter when it is in the catalog's subset ([`source::front_matter`]) and names a known
/// kind and product; `None` otherwise.
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
    for (name, value) in source::front_matter(text)? {
        match (name, value) {
            ("key", Value::Str(v)) => fm.key = v,
            ("sdk", Value::Str(v)) => fm.sdk = v,
            ("kind", Value::Str(v)) => fm.kind = Kind::from_spelling(&v)?,
            ("value", Value::Str(v)) => fm.value = v,
            ("retired", Value::Str(v)) => fm.retired = v,
            ("table", Value::Str(v)) => fm.table = v,
            ("source", Value::Str(v)) => fm.source = v,
            ("product", Value::Str(v)) => fm.product = Some(Product::from_spelling(&v)?),
            ("generated", Value::Bool(v)) => fm.generated = v,
            ("names", Value::List(v)) => fm.names = v,
            ("aliases", Value::List(v)) => fm.aliases = v,
            ("codes", Value::List(v)) => fm.codes = v,
            ("patterns", Value::List(v)) => fm.patterns = v,
            ("families", Value::List(v)) => fm.families = v,
            _ => return None,
        }
    }
    Some(fm)
}

pub use source::SECTIONS;

fn texts(v: Vec<String>) -> Texts {
    Cow::Owned(v.into_iter().map(Cow::Owned).collect())
}

/// Parse one catalog file; `file_key` is its file name without `.md`.
pub fn parse_entry(file_key: &str, text: &str) -> Result<Entry, CatalogError> {
    let file = format!("{file_key}.md");
    let (front, body) =
        source::split(text).ok_or_else(|| CatalogError::NoFrontMatter { file: file.clone() })?;
    // The catalog's front matter uses a small subset of TOML (strings, one-line lists of strings,
    // booleans), read directly; anything else goes to the TOML parser, which also words the errors.
    let fm: FrontMatter = match simple_front_matter(front) {
        Some(fm) => fm,
        None => toml::from_str(front).map_err(|e| CatalogError::BadFrontMatter {
            file: file.clone(),
            message: e.message().to_string(),
        })?,
    };
    if fm.key != file_key {
        return Err(CatalogError::KeyMismatch { file, key: fm.key });
    }
    let body = source::body(body).map_err(|message| CatalogError::BadSections { file, message })?;
    let product = fm
        .product
        .unwrap_or_else(|| derived_product(fm.kind, &fm.sdk, &fm.key));
    Ok(Entry {
        product,
        table: Some(fm.table).filter(|t| !t.is_empty()).map(Cow::Owned),
        source: Some(fm.source).filter(|t| !t.is_empty()).map(Cow::Owned),
        families: texts(fm.families),
        key: Cow::Owned(fm.key),
        title: Cow::Owned(body.title),
        sdk: Cow::Owned(fm.sdk),
        kind: fm.kind,
        value: Cow::Owned(fm.value),
        names: texts(fm.names),
        aliases: texts(fm.aliases),
        codes: texts(fm.codes),
        patterns: texts(fm.patterns),
        retired: Some(fm.retired).filter(|r| !r.is_empty()).map(Cow::Owned),
        summary: Cow::Owned(body.summary),
        causes: texts(body.causes),
        fix: Cow::Owned(body.fix),
        check_with: texts(body.check_with),
    })
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
