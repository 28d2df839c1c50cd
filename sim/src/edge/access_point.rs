//! The simulated access point ("choose server"): judges the App ID, channel, uid and token of a
//! join the way Agora's AP does — the token with the real algorithm (`agora-token-core`) against
//! the sim's own App Certificate — and answers with Agora's gateway reason and code
//! (`docs/web-sdk-access-point.md#codes`). Wire format of this double: `GET /ap/v1/choose?appid=…&cname=…
//! &uid=…&key=…` (or the same as a form body) → JSON `{code, reason, simulated, edges}`; the real
//! AP's format is undocumented and belongs to the `web` module.

use std::net::SocketAddr;

use agora_token_core::{check, Expectation, Status, User};

use super::SimProject;

/// Agora's AP answers a join can get from this double (code = service × 10000 + subcode).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayReason {
    /// 0: accepted.
    Ok,
    /// 2010005 `invalid vendor key, can not find appid`.
    InvalidVendorKey,
    /// 2010007 `invalid channel name`.
    InvalidChannelName,
    /// 2010009 `invalid token, authorized failed`.
    InvalidToken,
    /// 2010013 `dynamic key expired`.
    DynamicKeyExpired,
    /// 2010014 `static use dynamic key`: a token for a project without certificate.
    StaticUseDynamicKey,
    /// 2010015 `dynamic use static key`: no token for a project with a certificate.
    DynamicUseStaticKey,
}

impl GatewayReason {
    /// The AP code.
    pub fn code(self) -> u32 {
        match self {
            GatewayReason::Ok => 0,
            GatewayReason::InvalidVendorKey => 2_010_005,
            GatewayReason::InvalidChannelName => 2_010_007,
            GatewayReason::InvalidToken => 2_010_009,
            GatewayReason::DynamicKeyExpired => 2_010_013,
            GatewayReason::StaticUseDynamicKey => 2_010_014,
            GatewayReason::DynamicUseStaticKey => 2_010_015,
        }
    }

    /// The exact `desc` text the Web SDK shows after `CAN_NOT_GET_GATEWAY_SERVER:`.
    pub fn desc(self) -> &'static str {
        match self {
            GatewayReason::Ok => "ok",
            GatewayReason::InvalidVendorKey => "invalid vendor key, can not find appid",
            GatewayReason::InvalidChannelName => "invalid channel name",
            GatewayReason::InvalidToken => "invalid token, authorized failed",
            GatewayReason::DynamicKeyExpired => "dynamic key expired",
            GatewayReason::StaticUseDynamicKey => "static use dynamic key",
            GatewayReason::DynamicUseStaticKey => "dynamic use static key",
        }
    }
}

/// One access-point request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApRequest {
    /// `appid`.
    pub app_id: String,
    /// `cname`: the channel.
    pub channel: String,
    /// `uid`: a number or a user account (empty = 0).
    pub uid: String,
    /// `key`: the token, or the App ID when the app passed no token (as the Web SDK does).
    pub key: String,
}

/// The access point's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApAnswer {
    /// The verdict.
    pub reason: GatewayReason,
    /// Why, in the double's words (which token finding decided it).
    pub detail: String,
    /// Where the media edge is (the UDP echo) when accepted.
    pub edge: Option<SocketAddr>,
}

impl ApRequest {
    /// Parse a query string (or a form body when the query is empty). `Err` names what is missing.
    pub fn parse(query: &str, body: &[u8]) -> Result<ApRequest, String> {
        let source = if query.is_empty() {
            body
        } else {
            query.as_bytes()
        };
        let mut request = ApRequest::default();
        let mut has_app_id = false;
        for (name, value) in url::form_urlencoded::parse(source) {
            match name.as_ref() {
                "appid" => {
                    request.app_id = value.into_owned();
                    has_app_id = true;
                }
                "cname" => request.channel = value.into_owned(),
                "uid" => request.uid = value.into_owned(),
                "key" => request.key = value.into_owned(),
                _ => {}
            }
        }
        if !has_app_id {
            return Err("appid".to_string());
        }
        Ok(request)
    }

    /// Judge this request for `project` at `now` (unix seconds of the sim's clock).
    pub fn answer(&self, project: &SimProject, now: u64, edge: SocketAddr) -> ApAnswer {
        let reject = |reason: GatewayReason, detail: String| ApAnswer {
            reason,
            detail,
            edge: None,
        };
        if self.app_id != project.app_id {
            return reject(
                GatewayReason::InvalidVendorKey,
                format!("App ID {} is not the simulated project's", self.app_id),
            );
        }
        if !channel_name_ok(&self.channel) {
            return reject(
                GatewayReason::InvalidChannelName,
                "channel names are 1-64 bytes of letters, digits and Agora's symbols".to_string(),
            );
        }
        let no_token = self.key.is_empty() || self.key == self.app_id;
        if project.app_certificate.is_empty() {
            return if no_token {
                accept(edge)
            } else {
                reject(
                    GatewayReason::StaticUseDynamicKey,
                    "a token was sent but the simulated project has no App Certificate".to_string(),
                )
            };
        }
        if no_token {
            return reject(
                GatewayReason::DynamicUseStaticKey,
                "the simulated project has an App Certificate, so joins need a token".to_string(),
            );
        }
        let user = match self.uid.parse::<u64>() {
            Ok(n) => User::Uid(n),
            Err(_) if self.uid.is_empty() => User::Uid(0),
            Err(_) => User::Account(self.uid.clone()),
        };
        let expectation = Expectation {
            channel: Some(self.channel.clone()),
            user: Some(user),
            app_id: Some(project.app_id.clone()),
            role: None,
            certificate: Some(project.app_certificate.clone()),
        };
        let checked = check(&self.key, &expectation, now);
        // The first failing finding decides; expiry is reported as such, everything else is an
        // authorization failure (what Agora's AP answers for a token it cannot accept).
        let failing = checked
            .findings
            .iter()
            .filter(|f| f.status == Status::Fail)
            .collect::<Vec<_>>();
        if let Some(expired) = failing
            .iter()
            .find(|f| matches!(f.key.as_str(), "token.expired" | "token.privilege_expired"))
        {
            return reject(GatewayReason::DynamicKeyExpired, expired.key.clone());
        }
        if let Some(first) = failing.first() {
            return reject(GatewayReason::InvalidToken, first.key.clone());
        }
        if checked.diagnosis.token.is_none() {
            return reject(GatewayReason::InvalidToken, "token.bad_base64".to_string());
        }
        accept(edge)
    }
}

fn accept(edge: SocketAddr) -> ApAnswer {
    ApAnswer {
        reason: GatewayReason::Ok,
        detail: "accepted".to_string(),
        edge: Some(edge),
    }
}

fn channel_name_ok(channel: &str) -> bool {
    const SYMBOLS: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";
    !channel.is_empty()
        && channel.len() <= 64
        && channel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || SYMBOLS.contains(c))
}

impl ApAnswer {
    /// A request without an App ID.
    pub fn bad_request(missing: String) -> ApAnswer {
        ApAnswer {
            reason: GatewayReason::InvalidVendorKey,
            detail: format!("the request has no {missing}"),
            edge: None,
        }
    }

    /// The JSON body the double sends.
    pub fn to_json(&self) -> String {
        let edges = match self.edge {
            Some(addr) => serde_json::json!([{ "ip": addr.ip().to_string(), "port": addr.port() }]),
            None => serde_json::json!([]),
        };
        let body = serde_json::json!({
            "code": self.reason.code(),
            "reason": self.reason.desc(),
            "detail": self.detail,
            "simulated": true,
            "server": crate::SIMULATED_LABEL,
            "edges": edges,
        });
        body.to_string()
    }
}
