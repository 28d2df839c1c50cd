//! One spelling for every way the SDKs write a constant: `ErrInvalidToken`, `err-invalid-token` and
//! `ERR_INVALID_TOKEN` all become `ERR_INVALID_TOKEN`, and the family prefixes the SDKs put in front of
//! the same constant. No dependencies: build.rs indexes the catalog's names with this same code.

/// Spelling prefixes the SDKs put in front of the same constant
/// (`docs/error-messages.md#spellings-of-one-constant`): stripping them gives `invalid_token` →
/// `ERR_INVALID_TOKEN`.
pub const PREFIXES: [&str; 8] = [
    "AGORA_ERROR_CODE_",
    "LOGIN_ERR_",
    "RTM_ERROR_",
    "AGORA_RTC_ERROR_CODE_",
    "ERR_",
    "CONNECTION_CHANGED_",
    "CONNECTION_STATE_",
    "CONNECTION_DISCONNECTED_REASON_",
];

/// Normalise a spelling: camelCase and kebab/space/dot become `UPPER_SNAKE`, punctuation collapses.
/// `ErrInvalidToken`, `err-invalid-token` and `ERR_INVALID_TOKEN` all become `ERR_INVALID_TOKEN`.
pub fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let chars: Vec<char> = s.trim().chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_alphanumeric() {
            if c.is_uppercase() && i > 0 {
                let prev = chars[i - 1];
                let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
                if prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next_lower)
                {
                    out.push('_');
                }
            }
            out.extend(c.to_uppercase());
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_matches('_').to_string()
}

/// `n` without the first family prefix it starts with, if something is left.
pub fn strip_prefixes(n: &str) -> Option<&str> {
    PREFIXES
        .iter()
        .find_map(|p| n.strip_prefix(p))
        .filter(|rest| !rest.is_empty())
}
