//! The Web SDK's access point ("choose server"): parse both generations' requests, judge the key the
//! way Agora's AP does (tokens through the token core), and write the answer the SDK expects.
//!
//! Wire formats and codes: `docs/web-sdk-access-point.md` (verified against 4.3.0 and 4.24.8).

use serde_json::{json, Value};

use super::WebEdgeConfig;

/// Which request format the SDK used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SdkGeneration {
    /// 4.0–4.6 (the seed's 4.3.0): `POST /api/v1?action=wrtc_gateway`, JSON body.
    V1,
    /// 4.7 and later (4.24.x): `POST /api/v2/transpond/webrtc?v=2`, multipart `request` field.
    V2,
}

/// An access-point code: `service × 10000 + subcode` (service 201 = UNILBS), 0 = accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ApCode(pub u32);

impl ApCode {
    /// Accepted: gateway addresses follow.
    pub const OK: ApCode = ApCode(0);
    /// `invalid vendor key, can not find appid`: the App ID is not a project here.
    pub const INVALID_VENDOR_KEY: ApCode = ApCode(2010005);
    /// `invalid channel name`.
    pub const INVALID_CHANNEL_NAME: ApCode = ApCode(2010007);
    /// `invalid token, authorized failed`: the token does not fit this join (channel, uid, app,
    /// signature, or it is not a token at all).
    pub const INVALID_TOKEN: ApCode = ApCode(2010009);
    /// `dynamic key expired`.
    pub const TOKEN_EXPIRED: ApCode = ApCode(2010013);
    /// `static use dynamic key`: a token for an App-ID-only project.
    pub const STATIC_USE_DYNAMIC: ApCode = ApCode(2010014);
    /// `dynamic use static key`: no token for a project with a certificate.
    pub const DYNAMIC_USE_STATIC: ApCode = ApCode(2010015);

    /// The SDK's text for this code (the `desc` the SDK prints after `CAN_NOT_GET_GATEWAY_SERVER: `).
    pub fn desc(self) -> &'static str {
        match self.0 {
            0 => "ok",
            2010005 => "invalid vendor key, can not find appid",
            2010007 => "invalid channel name",
            2010009 => "invalid token, authorized failed",
            2010013 => "dynamic key expired",
            2010014 => "static use dynamic key",
            2010015 => "dynamic use static key",
            _ => "unknown error",
        }
    }
}

/// The parts of an access-point request the edge looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApRequest {
    /// Which format it came in.
    pub generation: SdkGeneration,
    /// The `appid` field (V2 only; V1 carries no App ID besides the key).
    pub app_id: Option<String>,
    /// The `key`: the token, or the App ID when the page passed `null` as token.
    pub key: String,
    /// The channel name (`cname`).
    pub channel: String,
    /// The numeric uid asked for (0 = let the edge choose).
    pub uid: u32,
    /// A string user account (`detail["6"]`), when the page joined with one.
    pub account: Option<String>,
    /// The request's `opid`, echoed back.
    pub opid: Value,
    /// Service ids asked for (V2; V1 is always choose-server, 11).
    pub service_ids: Vec<u64>,
}

impl ApRequest {
    /// Parse a 4.3.0-style JSON body.
    pub fn parse_v1(body: &[u8]) -> Result<ApRequest, String> {
        let v: Value = serde_json::from_slice(body).map_err(|e| format!("bad JSON: {e}"))?;
        Ok(ApRequest {
            generation: SdkGeneration::V1,
            app_id: None,
            key: text(&v["key"]),
            channel: text(&v["cname"]),
            uid: v["uid"].as_u64().unwrap_or(0) as u32,
            account: account(&v["detail"]),
            opid: v["opid"].clone(),
            service_ids: vec![SERVICE_CHOOSE_SERVER],
        })
    }

    /// Parse the JSON of a 4.24-style multipart `request` field.
    pub fn parse_v2(field: &[u8]) -> Result<ApRequest, String> {
        let v: Value = serde_json::from_slice(field).map_err(|e| format!("bad JSON: {e}"))?;
        let buffer = &v["request_bodies"][0]["buffer"];
        if buffer.is_null() {
            return Err("no request_bodies[0].buffer".into());
        }
        Ok(ApRequest {
            generation: SdkGeneration::V2,
            app_id: Some(text(&v["appid"])),
            key: text(&buffer["key"]),
            channel: text(&buffer["cname"]),
            uid: buffer["uid"].as_u64().unwrap_or(0) as u32,
            account: account(&buffer["detail"]),
            opid: v["opid"].clone(),
            service_ids: buffer["service_ids"]
                .as_array()
                .map(|ids| ids.iter().filter_map(Value::as_u64).collect())
                .unwrap_or_else(|| vec![SERVICE_CHOOSE_SERVER]),
        })
    }
}

/// Service id of "choose server" (answered with flag 4096 and the gateway list).
const SERVICE_CHOOSE_SERVER: u64 = 11;

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn account(detail: &Value) -> Option<String> {
    detail["6"]
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Whether `s` has an App ID's shape (32 hex digits). The SDK puts the App ID in `key` when the page
/// passes a null token, which is how the AP tells "no token" apart.
fn looks_like_app_id(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Agora's channel-name rule (length 1–64, the SDK's allowed characters); the SDK checks it first,
/// so the AP only sees bad names from other clients.
fn channel_ok(name: &str) -> bool {
    const EXTRA: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || EXTRA.contains(c))
}

/// Judge one request like Agora's AP: App ID, then channel, then the key against the project's
/// security mode. `now` is Unix seconds.
pub fn judge(config: &WebEdgeConfig, request: &ApRequest, now: u64) -> ApCode {
    let key = request.key.as_str();
    // The App ID the request is for: V2 names it; V1 only has the key, which is either the App ID
    // (no token) or a token carrying its App ID.
    let app_id = match (&request.app_id, looks_like_app_id(key)) {
        (Some(id), _) => id.clone(),
        (None, true) => key.to_string(),
        (None, false) => match super::token::app_id_of(key) {
            Some(id) => id,
            None => return ApCode::INVALID_TOKEN,
        },
    };
    if app_id != config.app_id {
        return ApCode::INVALID_VENDOR_KEY;
    }
    if !channel_ok(&request.channel) {
        return ApCode::INVALID_CHANNEL_NAME;
    }
    let no_token = key == app_id;
    match (&config.app_certificate, no_token) {
        (None, true) => ApCode::OK,
        (None, false) => ApCode::STATIC_USE_DYNAMIC,
        (Some(_), true) => ApCode::DYNAMIC_USE_STATIC,
        (Some(certificate), false) => super::token::judge(
            certificate,
            &config.app_id,
            key,
            &request.channel,
            request.uid,
            request.account.as_deref(),
            now,
        ),
    }
}

/// Flag the SDK expects back for each service id (`docs/web-sdk-access-point.md#request-and-answer`).
fn flag_of(service: u64) -> u64 {
    match service {
        11 => 4096,
        18 => 1048576,
        20 => 4194304,
        26 => 4194310,
        _ => 0,
    }
}

/// The channel id the edge reports: a stable number per channel name (FNV-1a, 31 bits).
pub(crate) fn channel_id(channel: &str) -> u64 {
    let mut h: u32 = 0x811c9dc5;
    for b in channel.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x01000193);
    }
    u64::from(h & 0x7fff_ffff)
}

/// The ticket handed to the SDK, which it gives back to the gateway in `join_v2`'s `ap_response`.
pub(crate) fn ticket(uid: u32, channel: &str) -> String {
    format!("sim-{uid}-{}", channel_id(channel))
}

/// Read the uid back out of a [`ticket`].
pub(crate) fn uid_from_ticket(ticket: &str) -> Option<u32> {
    ticket.strip_prefix("sim-")?.split('-').next()?.parse().ok()
}

/// The gateway's host name below the page's `setLocalAccessPointsV2` domain (4.24).
pub const GATEWAY_PREFIX: &str = "edge";

/// The answer body for `request` judged `code`; `uid` is the uid granted (when accepted), the gateway
/// is `localhost:gateway_port` (4.3.0) or `edge.<the page's domain>:gateway_port` (4.24); `now` is
/// Unix seconds.
pub fn response_body(
    request: &ApRequest,
    code: ApCode,
    uid: u32,
    gateway_port: u16,
    now: u64,
) -> Value {
    let ok = code == ApCode::OK;
    let cid = if ok { channel_id(&request.channel) } else { 0 };
    let uid = if ok { uid } else { 0 };
    let ticket = if ok {
        ticket(uid, &request.channel)
    } else {
        String::new()
    };
    let ms = now * 1000;
    match request.generation {
        SdkGeneration::V1 => json!({
            "code": code.0,
            "addresses": if ok { json!([{ "ip": "localhost", "port": gateway_port, "ticket": ticket }]) } else { json!([]) },
            "uid": uid,
            "cid": cid,
            "detail": {},
            "server_ts": ms,
            "opid": request.opid,
            "flag": 4096,
        }),
        SdkGeneration::V2 => json!({
            "code": 0,
            "opid": request.opid,
            "enter_ts": ms,
            "leave_ts": ms,
            "detail": { "502": "127.0.0.1" },
            "response_body": request.service_ids.iter().map(|&id| {
                let main = id == SERVICE_CHOOSE_SERVER;
                json!({
                    "uri": 23,
                    "buffer": {
                        // Only choose-server carries the verdict; the proxy-fallback service the
                        // SDK asks for alongside is answered as available.
                        "code": if main { code.0 } else { 0 },
                        "flag": flag_of(id),
                        // A `domain_prefix` instead of an `ip`: the SDK then connects to
                        // `wss://edge.<domain>:port` (the page's domain is `localhost`, which
                        // Chromium resolves to loopback) and, finding no IP to use as the media
                        // candidate, takes the candidates of `join_v3`'s answer (bundle: "Using
                        // candidates from gateway."), so media can have its own UDP port.
                        "edges_services": if main && ok { json!([{ "domain_prefix": GATEWAY_PREFIX, "port": gateway_port }]) } else { json!([]) },
                        "uid": uid,
                        "cid": cid,
                        "cname": request.channel,
                        "detail": {},
                        "cert": ticket,
                    }
                })
            }).collect::<Vec<_>>(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "0123456789abcdef0123456789abcdef";

    fn config(certificate: Option<&str>) -> WebEdgeConfig {
        WebEdgeConfig {
            app_id: APP.into(),
            app_certificate: certificate.map(str::to_string),
            page_root: None,
        }
    }

    fn v1(key: &str, channel: &str) -> ApRequest {
        let body = json!({"opid":133,"flag":4096,"ts":1,"key":key,"cname":channel,"sid":"x","detail":{"11":"CN,GLOBAL"},"uid":0});
        ApRequest::parse_v1(body.to_string().as_bytes()).unwrap()
    }

    #[test]
    fn null_token_is_fine_only_without_a_certificate() {
        assert_eq!(judge(&config(None), &v1(APP, "demo"), 0), ApCode::OK);
        assert_eq!(
            judge(&config(Some("c")), &v1(APP, "demo"), 0),
            ApCode::DYNAMIC_USE_STATIC
        );
    }

    #[test]
    fn another_app_id_is_an_invalid_vendor_key() {
        let other = "ffffffffffffffffffffffffffffffff";
        assert_eq!(
            judge(&config(None), &v1(other, "demo"), 0),
            ApCode::INVALID_VENDOR_KEY
        );
    }

    #[test]
    fn v2_request_field_parses_service_ids_and_account() {
        let field = json!({"appid":APP,"client_ts":1,"opid":7,"sid":"s","request_bodies":[{"uri":22,"buffer":{"cname":"demo","detail":{"6":"alice"},"key":APP,"service_ids":[11,26],"uid":0}}]});
        let r = ApRequest::parse_v2(field.to_string().as_bytes()).unwrap();
        assert_eq!(r.service_ids, vec![11, 26]);
        assert_eq!(r.account.as_deref(), Some("alice"));
        let body = response_body(&r, ApCode::DYNAMIC_USE_STATIC, 5, 4443, 1);
        assert_eq!(body["response_body"][0]["buffer"]["code"], 2010015);
        assert_eq!(body["response_body"][1]["buffer"]["flag"], 4194310);
    }

    #[test]
    fn ticket_carries_the_uid() {
        assert_eq!(uid_from_ticket(&ticket(4242, "demo")), Some(4242));
        assert_eq!(uid_from_ticket("other"), None);
    }
}
