//! Filling a URL template with what the app sends (pure).

/// The values a request carries.
#[derive(Debug, Clone)]
pub struct Fill<'a> {
    /// Channel name.
    pub channel: &'a str,
    /// The uid as text, or the account.
    pub user: &'a str,
    /// Whether `user` is a string account.
    pub is_account: bool,
    /// `publisher` or `subscriber`.
    pub role: &'a str,
    /// Lifetime, seconds.
    pub expire: u32,
}

/// Percent-encode everything but RFC 3986 unreserved characters (safe in a path and a query).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The placeholders [`fill`] replaces.
pub const PLACEHOLDERS: &[&str] = &[
    "{channel}",
    "{uid}",
    "{account}",
    "{role}",
    "{role_number}",
    "{tokentype}",
    "{expire}",
];

/// Check a URL template's placeholders (a clap value parser: `token-server URL_TEMPLATE`, `probe
/// --token-server`): an unknown one (`{nope}`, `{channelName}`) would be sent to the server as it
/// is, so it is refused naming the known ones.
///
/// ```
/// use agora_doctor::token_server::template::check;
/// assert!(check("http://h/rtc/{channel}/{uid}").is_ok());
/// assert!(check("http://h/rtc/{nope}").unwrap_err().contains("{channel}"));
/// ```
pub fn check(template: &str) -> Result<String, String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open..];
        let Some(close) = after.find('}') else { break };
        let placeholder = &after[..=close];
        if !PLACEHOLDERS.contains(&placeholder) {
            return Err(format!(
                "{placeholder} is no placeholder; the known ones are {}",
                PLACEHOLDERS.join(", ")
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(template.to_string())
}

/// Replace the placeholders of `template` (`{channel}`, `{uid}`, `{account}`, `{role}`,
/// `{role_number}`, `{tokentype}`, `{expire}`) with encoded values.
///
/// ```
/// use agora_doctor::token_server::template::{fill, Fill};
/// let f = Fill { channel: "my room", user: "42", is_account: false, role: "publisher", expire: 600 };
/// assert_eq!(fill("http://h/rtc/{channel}/{role}/{tokentype}/{uid}?expiry={expire}", &f),
///            "http://h/rtc/my%20room/publisher/uid/42?expiry=600");
/// ```
pub fn fill(template: &str, f: &Fill<'_>) -> String {
    template
        .replace("{channel}", &encode(f.channel))
        .replace("{uid}", &encode(f.user))
        .replace("{account}", &encode(f.user))
        .replace(
            "{role_number}",
            if f.role == "publisher" { "1" } else { "2" },
        )
        .replace("{role}", f.role)
        .replace(
            "{tokentype}",
            if f.is_account { "userAccount" } else { "uid" },
        )
        .replace("{expire}", &f.expire.to_string())
}
