//! Reading any paste for what it says about itself, whether or not a catalog entry fits it exactly:
//! the Agora products it names, the platform and wrapper, the SDK and its version, the codes (labelled
//! numbers, a JSON body's `code`, an HTTP status), the identifiers (enum names, `Agora…` constants,
//! exception classes), a JSON body's message, the first stack frame in Agora code, and whether it is
//! written in Chinese or Japanese. When nothing fits exactly, [`nearest`] ranks the entries closest to
//! what was recognised and says why each was chosen. Pure: text in, values out.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use regex::{Regex, RegexSet};
use serde::Serialize;

use super::catalog;
use super::entry::{Entry, Kind, Product};

/// What a paste says about itself. Every field is empty when the paste says nothing of it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Recognised {
    /// Agora products the paste names, most specific first.
    pub products: Vec<Product>,
    /// The platform or wrapper that printed it (`Android`, `iOS`, `Web`, `Flutter`, `Unity` …).
    pub platform: Option<String>,
    /// The Agora SDK or package it names (`agora-rtc-sdk-ng`, `io.agora.rtc:full-sdk`).
    pub sdk: Option<String>,
    /// That SDK's version, when the paste shows it.
    pub version: Option<String>,
    /// Numbers the paste labels as codes or statuses (`-17`, `110`, `401`), in order, no repeats.
    pub codes: Vec<String>,
    /// Identifiers that look like error names (`ERR_INVALID_TOKEN`, `AgoraChatErrorUserNotFound`,
    /// `NotAllowedError`), in order, no repeats.
    pub names: Vec<String>,
    /// The `message`/`reason`/`error` of a JSON body in the paste.
    pub message: Option<String>,
    /// The first stack frame in Agora code (`at io.agora.rtc2.RtcEngine.create(...)`).
    pub frame: Option<String>,
    /// Words of an Agora app's vocabulary the paste uses (`token`, `channel`, `microphone`), read in
    /// English, Chinese or Japanese; answered in English.
    pub terms: Vec<String>,
    /// `Chinese` or `Japanese` when the paste is written (partly) in that script.
    pub language: Option<String>,
}

impl Recognised {
    /// Whether the paste said nothing this reader understands.
    pub fn is_empty(&self) -> bool {
        self.products.is_empty()
            && self.platform.is_none()
            && self.sdk.is_none()
            && self.codes.is_empty()
            && self.names.is_empty()
            && self.message.is_none()
            && self.frame.is_none()
            && self.terms.is_empty()
    }

    /// One line per recognised fact (`product: Chat`), for the human answer.
    pub fn lines(&self) -> Vec<String> {
        let mut out = Vec::new();
        if !self.products.is_empty() {
            let p: Vec<&str> = self.products.iter().map(|p| p.label()).collect();
            out.push(format!("product: {}", p.join(", ")));
        }
        if let Some(p) = &self.platform {
            out.push(format!("platform: {p}"));
        }
        match (&self.sdk, &self.version) {
            (Some(s), Some(v)) => out.push(format!("SDK: {s} {v}")),
            (Some(s), None) => out.push(format!("SDK: {s}")),
            (None, Some(v)) => out.push(format!("SDK version: {v}")),
            (None, None) => {}
        }
        if !self.codes.is_empty() {
            out.push(format!("codes: {}", self.codes.join(", ")));
        }
        if !self.names.is_empty() {
            out.push(format!("names: {}", self.names.join(", ")));
        }
        if let Some(m) = &self.message {
            out.push(format!("message: {m}"));
        }
        if let Some(f) = &self.frame {
            out.push(format!("first Agora stack frame: {f}"));
        }
        if !self.terms.is_empty() {
            out.push(format!("terms: {}", self.terms.join(", ")));
        }
        if let Some(l) = &self.language {
            out.push(format!("written in: {l}"));
        }
        out
    }
}

/// Product words, most specific first: a paste naming Chat's SDK is Chat even if it also says
/// "login" or "token". Each pattern is matched case-insensitively.
const PRODUCT_WORDS: [(Product, &str); 14] = [
    (
        Product::Chat,
        r"agora[-_ ]?chat|agorachat|chatclient|chatexception|chaterror\b|easemob|hyphenate|\bEMError|\bEMClient|im_flutter_sdk|webim_|\bwebim\b|环信|即时通讯|\bagora im\b",
    ),
    (
        Product::Whiteboard,
        r"netless|herewhite|white-web-sdk|whiteboard|\bwhitesdk|fastboard|\bwhite-react-native|白板",
    ),
    (
        Product::Classroom,
        r"flexible[ -]classroom|agoraedu|agora-classroom|fcr_|classroom-sdk|灵动课堂",
    ),
    (
        Product::CloudRecording,
        r"cloud[ _-]?recording|/cloud_recording/|\bresourceid\b|\bacquire\b.*\b(?:start|resource)|云端录制|云录制",
    ),
    (
        Product::Convoai,
        r"conversational[ -]ai|convo[ -]?ai|智能体|/agents?/|\bagent_id\b|ten[-_ ]agent|对话式",
    ),
    (
        Product::MediaGateway,
        r"media[ -]gateway|streaming[ _-]?key|媒体网关",
    ),
    (Product::MediaPush, r"media[ -]?push|rtmp|旁路推流|推流"),
    (
        Product::Ncs,
        r"\bncs\b|notification center|\bnoticeid\b|\beventtype\b|webhook|消息通知服务|回调事件",
    ),
    (
        Product::CloudTranscoding,
        r"cloud[ -]transcod|transcoder|云端转码",
    ),
    (
        Product::Stt,
        r"speech[ -]to[ -]text|real-time stt|\bstt\b|/speech-to-text/|实时转写|语音转文字",
    ),
    (
        Product::Rtm,
        // `rtmp` is Media Push, not Signaling.
        r"(?:\b|_|agora)rtm(?:[^p]|$)|\bsignaling\b|signalling|信令",
    ),
    (
        Product::Rtc,
        r"agorartc|agora-rtc|agora_rtc|rtcengine|joinchannel|agorasdk|agora-sdk|io\.agora\.rtc|agora_sdk|onconnectionstatechanged|\brtc\b|音视频|声网",
    ),
    (
        Product::Rest,
        r"customer ?(?:id|secret)|\brest ?api\b|api\.agora\.io|api\.sd-rtn\.com|basic auth|restful|authorization: basic",
    ),
    (
        Product::Token,
        r"accesstoken|rtctokenbuilder|rtmtokenbuilder|chattokenbuilder|agora-token|agora-access-token|token ?builder|app ?certificate",
    ),
];

/// The Agora products a paste names, most specific first.
pub fn products(text: &str) -> Vec<Product> {
    static SET: OnceLock<RegexSet> = OnceLock::new();
    let set = SET.get_or_init(|| {
        RegexSet::new(PRODUCT_WORDS.iter().map(|(_, re)| format!("(?i){re}"))).expect("regex")
    });
    set.matches(text)
        .into_iter()
        .map(|i| PRODUCT_WORDS[i].0)
        .collect()
}

/// Where each name of `product` in `text` ends (byte offsets), for a number written right after it
/// (`Cloud Recording 433`).
pub(crate) fn product_name_ends(text: &str, product: Product) -> Vec<usize> {
    // Compiled one product at a time, when first asked for: a paste names one or two products, and
    // compiling all of them cost more than the rest of an `explain`.
    static RES: [OnceLock<Regex>; PRODUCT_WORDS.len()] =
        [const { OnceLock::new() }; PRODUCT_WORDS.len()];
    PRODUCT_WORDS
        .iter()
        .zip(&RES)
        .filter(|((p, _), _)| *p == product)
        .flat_map(|((_, re), cell)| {
            cell.get_or_init(|| Regex::new(&format!("(?i){re}")).expect("regex"))
                .find_iter(text)
                .map(|m| m.end())
        })
        .collect()
}

/// Platforms and wrappers by the shape of their output; the first match wins, wrappers before the
/// platform they run on.
const PLATFORM_WORDS: [(&str, &str); 16] = [
    (
        "Flutter",
        r"e/flutter|\.dart\b|package:agora|platformexception|pubspec|flutter",
    ),
    (
        "React Native",
        r"react-native|\bRCT[A-Z]|metro bundler|\bexpo\b",
    ),
    ("Electron", r"electron|agora-electron-sdk|agora_node_ext"),
    ("Unity", r"unityengine|\.cs:\d|\bcs\d{4}\b|unity|il2cpp"),
    (
        "Unreal",
        r"unreal|\bue[45]\b|ue4editor|unrealeditor|blueprint|agoraplugin",
    ),
    ("uni-app", r"uni-app|uniapp|uni\.\w+\(|hbuilder|dcloud"),
    ("Xamarin/.NET MAUI", r"xamarin|\bmaui\b|mono-rt"),
    ("Cordova/Capacitor", r"cordova|capacitor"),
    (
        "Android",
        r"\b[ewidv]/\w+\s*\(\s*\d+\)|java\.lang\.|androidruntime|\.kt:\d|\.java:\d|gradle|logcat|android",
    ),
    (
        "iOS/macOS",
        r"\bdyld\b|\.swift:\d|xcode|cocoapods|podfile|nserror|domain=|\bios\b|macos|objective-c|\.framework",
    ),
    (
        "Windows",
        r"\.dll\b|\blnk\d{4}\b|\bmsb\d{4}\b|\bc\d{4}\b:|visual studio|c:\\|windows",
    ),
    ("Linux", r"\.so(?:\.\d+)*\b|\bldd\b|ubuntu|centos|linux"),
    (
        "Node.js",
        r"node:internal|node_modules|\bnpm\b|at object\.<anonymous>|next\.js|nuxt",
    ),
    (
        "Web",
        r"uncaught|\bchrome\b|firefox|safari|webpack|\.js:\d|\.tsx?:\d|domexception|getusermedia|browser",
    ),
    ("Web", r"agora-rtc-sdk|agorartc_n|agora-sdk \["),
    ("server", r"\bcurl\b|http/1\.[01]|http/2"),
];

fn platform(text: &str) -> Option<String> {
    static SET: OnceLock<Vec<Regex>> = OnceLock::new();
    let res = SET.get_or_init(|| {
        PLATFORM_WORDS
            .iter()
            .map(|(_, re)| Regex::new(&format!("(?i){re}")).expect("regex"))
            .collect()
    });
    res.iter()
        .position(|re| re.is_match(text))
        .map(|i| PLATFORM_WORDS[i].0.to_string())
}

/// `(SDK name, version)` pairs as packages and logs print them.
fn sdk_and_version(text: &str) -> (Option<String>, Option<String>) {
    static RES: OnceLock<Vec<(Regex, &'static str)>> = OnceLock::new();
    let res = RES.get_or_init(|| {
        [
            (r"(?i)(agora-rtc-sdk-ng|agora-rtc-sdk|agora-rtm-sdk|agora-rtm|agora-chat|agora-electron-sdk|react-native-agora|agora-react-native-rtm|agora_rtc_engine|agora_rtm|agora_chat_sdk|agora-token|agora-access-token|white-web-sdk|fastboard)[@: \^~=v\x22']*(\d+\.\d+(?:\.\d+)?)?", ""),
            (r"(io\.agora\.[\w.]+:[\w-]+)(?::(\d+\.\d+(?:\.\d+)?))?", ""),
            (r"(Agora(?:RtcEngine|Rtm|Audio|_Chat)_(?:iOS|macOS)\w*)[\x22' ,~>=]*(\d+\.\d+(?:\.\d+)?)?", ""),
            (r"(AgoraRTC_N)-(\d+\.\d+\.\d+)", ""),
            (r"(?i)(agora (?:rtc |rtm )?sdk)(?: ver(?:sion)?\.?:?| v)\s*(\d+\.\d+(?:\.\d+)?)", ""),
            (r"(?i)\b(sdk) ?version[\x22']?\s*[:=]\s*[\x22']?(\d+\.\d+(?:\.\d+)?)", ""),
        ]
        .into_iter()
        .map(|(re, l)| (Regex::new(re).expect("regex"), l))
        .collect()
    });
    for (re, _) in res {
        if let Some(c) = re.captures(text) {
            let name = c.get(1).map(|m| m.as_str().to_string());
            let version = c.get(2).map(|m| m.as_str().to_string());
            let name = name.filter(|n| !n.eq_ignore_ascii_case("sdk"));
            return (name, version);
        }
    }
    (None, None)
}

/// Labelled numbers: `code: 110`, `errorCode=-17`, `onError(17`, `"code":2`, `HTTP/1.1 401`,
/// `status code 403`, `401 Unauthorized`, `错误码 -8`, `エラーコード 110`.
fn codes(text: &str) -> Vec<String> {
    static RE: OnceLock<[Regex; 3]> = OnceLock::new();
    let [labelled, http, status] = RE.get_or_init(|| {
        [
            Regex::new(r#"(?i)(?:\b(?:on_?error|error[\s_]?code|errcode|err(?:or)?|code|reason|state|status|result|ret|returns?)\b|错误码|错误代码|エラーコード|エラー|状态码)['"]?\s*(?:[:=：(]\s*|\s+)?['"`*]*\s*(-?\d{1,9})\b"#).expect("regex"),
            Regex::new(r"(?i)\bHTTP/\d(?:\.\d)?\s+([1-5]\d\d)\b|\bstatus(?: code)?:?\s+([1-5]\d\d)\b|\b([45]\d\d) (?:Bad Request|Unauthorized|Forbidden|Not Found|Conflict|Too Many Requests|Internal Server Error|Service Unavailable|Gateway Timeout)").expect("regex"),
            Regex::new(r"(?:PlatformException|AgoraRtcException|Exception)\(\s*(-?\d{1,9})").expect("regex"),
        ]
    });
    let mut out: Vec<(usize, String)> = Vec::new();
    // A paste that is one number is a code (`433`, `-17`), whatever it names.
    let whole = text.trim();
    let digits = whole.strip_prefix(['-', '+']).unwrap_or(whole);
    if !digits.is_empty() && digits.len() <= 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
        out.push((0, whole.to_string()));
    }
    // A number right after a product's name is that product's code (`Cloud Recording 433`).
    for p in products(text) {
        for end in product_name_ends(text, p) {
            let rest = &text[end..];
            let gap = rest.len() - rest.trim_start_matches([' ', ':', '\t']).len();
            let n: String = rest[gap..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            let next = rest[gap + n.len()..].chars().next();
            if !n.is_empty()
                && gap <= 3
                && n.len() <= 9
                && !next.is_some_and(|c| c.is_alphanumeric() || c == '.')
            {
                out.push((end + gap, n));
            }
        }
    }
    for re in [labelled, http, status] {
        for c in re.captures_iter(text) {
            if let Some(m) = c.iter().skip(1).flatten().next() {
                out.push((m.start(), m.as_str().to_string()));
            }
        }
    }
    out.sort();
    let mut seen = BTreeSet::new();
    out.into_iter()
        .map(|(_, s)| s)
        .filter(|s| seen.insert(s.clone()))
        .take(8)
        .collect()
}

/// Identifiers that look like error names.
fn names(text: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"\b(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){1,}|Agora[A-Z][A-Za-z0-9]+|EMError[A-Za-z]+|[A-Z][A-Za-z]+(?:Error|Exception))\b")
            .expect("regex")
    });
    let mut seen = BTreeSet::new();
    re.find_iter(text)
        .map(|m| m.as_str().to_string())
        .filter(|s| s.len() >= 5 && seen.insert(s.clone()))
        .take(8)
        .collect()
}

/// A JSON body's message (`"message": "…"`, `"reason"`, `"error"`, `"errMsg"`, `"msg"`, `"detail"`).
fn message(text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r#""(?:message|reason|error|errMsg|error_description|msg|detail|error_str|desc)"\s*:\s*"([^"]{2,200})""#)
            .expect("regex")
    });
    re.captures(text).map(|c| c[1].to_string())
}

/// The first stack frame (or log location) in Agora code.
fn frame(text: &str) -> Option<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?im)^\s*(?:at\s+.*(?:io\.agora|agora|Agora)[^\n]*|#\d+\s+[^\n]*(?:agora|Agora)[^\n]*|\d+\s+Agora\w*\s+0x[0-9a-f]+[^\n]*)$")
            .expect("regex")
    });
    re.find(text).map(|m| {
        let s = m.as_str().trim();
        s.chars().take(160).collect()
    })
}

/// `Chinese` or `Japanese` when the paste holds that script (kana decide Japanese).
fn language(text: &str) -> Option<String> {
    let mut han = false;
    for c in text.chars() {
        match c as u32 {
            0x3040..=0x30ff => return Some("Japanese".into()),
            0x4e00..=0x9fff | 0x3400..=0x4dbf => han = true,
            _ => {}
        }
    }
    han.then(|| "Chinese".into())
}

/// Longest stretch of a paste the reader looks at: a pasted message is a few lines; anything longer is
/// a log, which `explain --log` reads line by line (a 10 MB paste must not cost seconds here).
pub const MAX_READ_BYTES: usize = 64 * 1024;

/// The first [`MAX_READ_BYTES`] of `text`, cut at a character boundary.
fn head(text: &str) -> &str {
    if text.len() <= MAX_READ_BYTES {
        return text;
    }
    let mut end = MAX_READ_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Read a paste (its first [`MAX_READ_BYTES`]).
pub fn read(text: &str) -> Recognised {
    let text = head(text);
    let (sdk, version) = sdk_and_version(text);
    Recognised {
        products: products(text),
        platform: platform(text),
        sdk,
        version,
        codes: codes(text),
        names: names(text),
        message: message(text),
        frame: frame(text),
        terms: terms(text),
        language: language(text),
    }
}

/// The vocabulary of an Agora app: words that say a paste is about calls, channels, devices or
/// credentials even when no code or name is in it.
const TERMS: [&str; 24] = [
    "token",
    "channel",
    "microphone",
    "camera",
    "permission",
    "join",
    "publish",
    "subscribe",
    "certificate",
    "appid",
    "login",
    "expired",
    "speaker",
    "bluetooth",
    "recording",
    "whiteboard",
    "classroom",
    "agent",
    "webrtc",
    "getusermedia",
    "autoplay",
    "echo",
    "screenshare",
    "rtmp",
];

fn terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in words_of(text) {
        if TERMS.contains(&w.as_str()) && !out.contains(&w) {
            out.push(w);
        }
    }
    out
}

/// Chinese and Japanese words developers and the SDKs' localised builds print, with the English
/// words the catalog's entries use for the same thing.
const GLOSSARY: [(&str, &str); 58] = [
    ("权限", "permission"),
    ("麦克风", "microphone"),
    ("摄像头", "camera"),
    ("相机", "camera"),
    ("令牌", "token"),
    ("过期", "expired"),
    ("失效", "expired"),
    ("频道", "channel"),
    ("加入", "join"),
    ("失败", "failed"),
    ("网络", "network"),
    ("超时", "timeout"),
    ("找不到", "not found"),
    ("未找到", "not found"),
    ("无效", "invalid"),
    ("非法", "invalid"),
    ("设备", "device"),
    ("占用", "busy in use"),
    ("登录", "login"),
    ("证书", "certificate"),
    ("鉴权", "authentication"),
    ("认证", "authentication"),
    ("拒绝", "denied rejected"),
    ("无法加载", "not loaded library"),
    ("模块", "module"),
    ("断开", "disconnected"),
    ("音频", "audio"),
    ("视频", "video"),
    ("录制", "recording"),
    ("推流", "rtmp push streaming"),
    ("用户", "user"),
    ("重复", "repeat twice"),
    ("未初始化", "not initialized"),
    ("初始化", "initialize"),
    ("后台", "background foreground service"),
    ("蓝牙", "bluetooth"),
    ("自动播放", "autoplay play"),
    ("跨域", "cors"),
    ("安全", "secure"),
    ("被踢", "kicked banned"),
    ("封禁", "banned"),
    ("权限不足", "permission no_permission"),
    ("権限", "permission"),
    ("マイク", "microphone"),
    ("カメラ", "camera"),
    ("トークン", "token"),
    ("期限切れ", "expired"),
    ("有効期限", "expired"),
    ("チャンネル", "channel"),
    ("接続", "connection"),
    ("失敗", "failed"),
    ("タイムアウト", "timeout"),
    ("見つかりません", "not found"),
    ("無効", "invalid"),
    ("拒否", "denied"),
    ("参加", "join"),
    ("ログイン", "login"),
    ("デバイス", "device"),
];

/// Words too common in entries to say anything about which one fits.
const STOPWORDS: [&str; 40] = [
    "the", "and", "for", "with", "that", "this", "from", "when", "what", "your", "have", "been",
    "not", "are", "was", "its", "into", "than", "then", "there", "which", "call", "calls", "error",
    "errors", "code", "codes", "agora", "sdk", "app", "use", "used", "does", "will", "can", "all",
    "one", "get", "set", "also",
];

fn words_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            cur.push(c.to_ascii_lowercase());
        } else {
            push_word(&mut out, &mut cur);
        }
    }
    push_word(&mut out, &mut cur);
    for (zh, en) in GLOSSARY {
        if text.contains(zh) {
            out.extend(en.split(' ').map(str::to_string));
        }
    }
    out
}

fn push_word(out: &mut Vec<String>, cur: &mut String) {
    if cur.len() >= 4
        && !cur.bytes().all(|b| b.is_ascii_digit())
        && !STOPWORDS.contains(&cur.as_str())
    {
        out.push(std::mem::take(cur));
    } else {
        cur.clear();
    }
}

/// Per entry, the words of its title, names and summary; and how many entries hold each word.
struct WordIndex {
    words: Vec<BTreeSet<String>>,
    df: HashMap<String, usize>,
}

fn word_index() -> &'static WordIndex {
    static IDX: OnceLock<WordIndex> = OnceLock::new();
    IDX.get_or_init(|| {
        let mut df: HashMap<String, usize> = HashMap::new();
        let words: Vec<BTreeSet<String>> = catalog()
            .iter()
            .map(|e| {
                let text = format!("{} {} {}", e.title, e.names.join(" "), e.headline());
                let set: BTreeSet<String> = words_of(&text).into_iter().collect();
                for w in &set {
                    *df.entry(w.clone()).or_default() += 1;
                }
                set
            })
            .collect();
        WordIndex { words, df }
    })
}

/// One entry near a paste, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Nearest {
    /// The entry.
    #[serde(skip)]
    pub entry: &'static Entry,
    /// Why it was chosen, in one sentence.
    pub why: String,
}

/// How many nearest entries an answer lists.
pub const NEAREST: usize = 5;

/// The entries nearest to what `r` recognised in `text`, best first, each with why: the recognised
/// codes in the recognised products, then identifiers close to an entry's name, then the entries
/// sharing the most distinctive words (Chinese and Japanese words read through a glossary).
pub fn nearest(text: &str, r: &Recognised) -> Vec<Nearest> {
    let text = head(text);
    let cat = catalog();
    let mut out: Vec<Nearest> = Vec::new();
    let push = |out: &mut Vec<Nearest>, e: &'static Entry, why: String| {
        if out.len() < NEAREST && !out.iter().any(|n| std::ptr::eq(n.entry, e)) {
            out.push(Nearest { entry: e, why });
        }
    };
    let in_products = |e: &Entry| r.products.is_empty() || r.products.contains(&e.product());
    for code in &r.codes {
        let Ok(n) = code.parse::<i64>() else { continue };
        for e in cat.iter().filter(|e| {
            e.value
                .parse::<i64>()
                .is_ok_and(|v| v.unsigned_abs() == n.unsigned_abs())
                && in_products(e)
                && e.kind != Kind::Finding
        }) {
            push(
                &mut out,
                e,
                format!(
                    "{} {code} is {} in the {} table",
                    e.kind.label(),
                    e.names.first().map(|n| n.as_ref()).unwrap_or(&e.title),
                    e.product().label()
                ),
            );
        }
    }
    near_codes(r, &mut out);
    for name in &r.names {
        if let Some(i) = super::query::resolve_name(name) {
            push(&mut out, &cat[i], format!("`{name}` names it"));
            continue;
        }
        // A class name (`ChatException`) says which layer threw, not which error: only constants
        // are compared by spelling.
        let constant =
            name.contains('_') || name.starts_with("Agora") || name.starts_with("EMError");
        if !constant {
            continue;
        }
        for s in super::query::suggest(name) {
            if let Some(e) = super::lookup(&s).filter(|e| !is_success(e)) {
                push(
                    &mut out,
                    e,
                    format!("`{name}` is spelt like its name `{s}`"),
                );
            }
        }
    }
    if out.len() < NEAREST {
        let idx = word_index();
        let mine: BTreeSet<String> = words_of(text).into_iter().collect();
        let n = cat.len() as f64;
        let mut scored: Vec<(f64, usize, Vec<&str>)> = idx
            .words
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                in_products(&cat[*i]) && cat[*i].kind != Kind::Finding && !is_success(&cat[*i])
            })
            .filter_map(|(i, words)| {
                let shared: Vec<&str> = mine
                    .iter()
                    .filter(|w| words.contains(*w))
                    .map(String::as_str)
                    .collect();
                if shared.len() < 2 {
                    return None;
                }
                let score: f64 = shared
                    .iter()
                    .map(|w| (n / (1.0 + idx.df.get(*w).copied().unwrap_or(0) as f64)).ln())
                    .sum();
                Some((score, i, shared))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, i, shared) in scored.into_iter().take(NEAREST) {
            let shown: Vec<String> = shared.iter().take(4).map(|w| format!("`{w}`")).collect();
            push(
                &mut out,
                &cat[i],
                format!("it shares the words {}", shown.join(", ")),
            );
        }
    }
    if out.is_empty() && !r.products.is_empty() {
        // Only a product was recognised (`my whiteboard does not load`): that product's entries
        // sharing one word, else its first error entries, said to be a guess.
        let mine: BTreeSet<String> = words_of(text).into_iter().collect();
        let idx = word_index();
        let of_product = |i: usize| {
            r.products.contains(&cat[i].product())
                && cat[i].kind != Kind::Finding
                && !is_success(&cat[i])
        };
        for (i, words) in idx.words.iter().enumerate() {
            if !of_product(i) {
                continue;
            }
            if let Some(w) = mine.iter().find(|w| words.contains(*w) && w.len() > 3) {
                push(
                    &mut out,
                    &cat[i],
                    format!("the paste names {} and the word `{w}`; nothing more specific, so this is a guess", cat[i].product().label()),
                );
            }
        }
        for i in (0..cat.len()).filter(|&i| of_product(i)) {
            push(
                &mut out,
                &cat[i],
                format!(
                    "the paste names {} but no code or message of it; one of its documented errors, not a match",
                    cat[i].product().label()
                ),
            );
        }
    }
    out
}

/// For a recognised code that no entry of the named products holds, that product's entries for the
/// codes nearest to it: a Flexible Classroom code carries its HTTP status in its third to fifth digits
/// (`30403200` is a 403, as every row of its table shows), so the entries of that status come first;
/// then codes of the same length sharing the most leading digits (`432` for `433`, `2010203` for
/// `2010299`), said to be neighbours, not matches.
fn near_codes(r: &Recognised, out: &mut Vec<Nearest>) {
    if r.products.is_empty() {
        return;
    }
    let cat = catalog();
    for code in &r.codes {
        let digits = code.trim_start_matches(['-', '+']);
        let Ok(n) = digits.parse::<u64>() else {
            continue;
        };
        let known = |e: &Entry| e.value.trim_start_matches('-').parse::<u64>().ok();
        if cat
            .iter()
            .any(|e| r.products.contains(&e.product()) && known(e) == Some(n))
        {
            continue;
        }
        let candidates = || {
            cat.iter().filter(|e| {
                r.products.contains(&e.product()) && e.kind != Kind::Finding && !is_success(e)
            })
        };
        if r.products.contains(&Product::Classroom) && digits.len() == 8 {
            let status = &digits[2..5];
            for e in candidates().filter(|e| {
                e.product() == Product::Classroom
                    && (e.value == status
                        || (e.value.len() == 8 && e.value.get(2..5) == Some(status)))
            }) {
                push_near(
                    out,
                    e,
                    format!("Flexible Classroom code {code} carries HTTP status {status} (its third to fifth digits); this entry is a documented {status} of that table, not the code itself"),
                );
            }
        }
        let mut scored: Vec<(usize, &'static Entry)> = candidates()
            .filter_map(|e| {
                let v = known(e)?.to_string();
                let shared = v
                    .bytes()
                    .zip(digits.bytes())
                    .take_while(|(a, b)| a == b)
                    .count();
                (v.len() == digits.len() && shared * 2 >= digits.len()).then_some((shared, e))
            })
            .collect();
        scored.sort_by_key(|(shared, _)| std::cmp::Reverse(*shared));
        for (_, e) in scored.into_iter().take(3) {
            push_near(
                out,
                e,
                format!(
                    "{code} is not in the {} table; {} is the nearest code there (same leading digits), a neighbour, not a match",
                    e.product().label(),
                    e.value
                ),
            );
        }
    }
}

fn push_near(out: &mut Vec<Nearest>, e: &'static Entry, why: String) {
    if out.len() < NEAREST && !out.iter().any(|n| std::ptr::eq(n.entry, e)) {
        out.push(Nearest { entry: e, why });
    }
}

/// Whether an entry documents success or a normal state (`200`, `…_OK`, `…_SUCCESS`), which is never
/// a near answer to a problem.
fn is_success(e: &Entry) -> bool {
    e.value == "0"
        || e.value == "200"
        || e.names.iter().any(|n| {
            let n = n.to_ascii_uppercase();
            n.ends_with("_OK") || n.ends_with("SUCCESS") || n == "OK"
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paste_that_only_names_a_product_still_gets_that_products_entries() {
        let text = "my whiteboard does not load";
        let r = read(text);
        assert_eq!(r.products.first(), Some(&Product::Whiteboard));
        let near = nearest(text, &r);
        assert!(!near.is_empty(), "{r:?}");
        assert!(near
            .iter()
            .all(|n| n.entry.product() == Product::Whiteboard && n.why.contains("guess")));
    }

    #[test]
    fn a_chat_exception_is_read_for_product_platform_and_code() {
        let r = read("E/AndroidRuntime: io.agora.chat.ChatException: errorCode: 208, description: push token not bound");
        assert_eq!(r.products.first(), Some(&Product::Chat));
        assert_eq!(r.platform.as_deref(), Some("Android"));
        assert!(r.codes.contains(&"208".to_string()), "{r:?}");
    }

    #[test]
    fn a_rest_response_is_read_for_status_and_message() {
        let r = read("HTTP/1.1 401 Unauthorized {\"message\":\"Invalid authentication credentials\"} cloud recording acquire start");
        assert!(r.codes.contains(&"401".to_string()), "{r:?}");
        assert_eq!(
            r.message.as_deref(),
            Some("Invalid authentication credentials")
        );
        assert!(r.products.contains(&Product::CloudRecording));
    }

    #[test]
    fn versions_and_frames_are_read() {
        let r = read(
            "agora-rtc-sdk-ng@4.20.2\n    at AgoraRTCClient.join (AgoraRTC_N-production.js:1:2)",
        );
        assert_eq!(r.sdk.as_deref(), Some("agora-rtc-sdk-ng"));
        assert_eq!(r.version.as_deref(), Some("4.20.2"));
        assert!(r
            .frame
            .as_deref()
            .unwrap_or("")
            .contains("AgoraRTCClient.join"));
    }

    #[test]
    fn chinese_and_japanese_are_told_apart_and_read_through_the_glossary() {
        assert_eq!(read("加入频道失败").language.as_deref(), Some("Chinese"));
        assert_eq!(
            read("トークンの期限切れ").language.as_deref(),
            Some("Japanese")
        );
        let words = words_of("麦克风权限被拒绝");
        assert!(words.contains(&"microphone".to_string()));
        assert!(words.contains(&"permission".to_string()));
    }

    #[test]
    fn a_lone_number_and_a_number_after_a_product_are_recognised_codes() {
        assert_eq!(read("433").codes, ["433"]);
        assert_eq!(read(" -17 ").codes, ["-17"]);
        let r = read("Flexible Classroom 30403100");
        assert_eq!(r.products, [Product::Classroom]);
        assert_eq!(r.codes, ["30403100"]);
        assert!(read("Cloud Recording 3.7.2").codes.is_empty());
    }

    /// A Flexible Classroom code carries its HTTP status in its third to fifth digits (every row of
    /// Agora's table does: `20404100` is a 404, `30409100` a 409); an undocumented code is answered
    /// with that status's entries, and a code of another product with its nearest neighbours.
    #[test]
    fn a_code_no_entry_holds_gets_the_entries_of_its_status_or_its_neighbours() {
        let text = "Flexible Classroom 30403100";
        let near = nearest(text, &read(text));
        assert!(!near.is_empty());
        assert!(
            near.iter()
                .take(2)
                .all(|n| n.entry.product() == Product::Classroom && n.why.contains("403")),
            "{:?}",
            near.iter()
                .map(|n| (&n.entry.key, &n.why))
                .collect::<Vec<_>>()
        );
        let text = "Interactive Whiteboard 2010299";
        let near = nearest(text, &read(text));
        assert!(
            near.first()
                .is_some_and(|n| n.entry.value.starts_with("20102") && n.why.contains("neighbour")),
            "{:?}",
            near.iter()
                .map(|n| (&n.entry.key, &n.why))
                .collect::<Vec<_>>()
        );
        assert!(near.iter().all(|n| !is_success(n.entry)));
    }

    #[test]
    fn plain_words_recognise_nothing() {
        assert!(read("hello there, how are you").is_empty());
    }
}
