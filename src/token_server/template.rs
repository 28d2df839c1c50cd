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
