//! Decoding: token text → [`Token`], strictly (standard padded base64, a complete zlib stream, every
//! field inside its bounds). Leniency lives in [`crate::diagnose`], which says what is damaged.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use flate2::{Decompress, FlushDecompress};
use thiserror::Error;

use crate::keys;
use crate::model::*;
use crate::wire::{ReadError, Reader};

/// Inflated 007 payloads larger than this are refused: real tokens are a few hundred bytes, and the
/// official C++ unpacker cannot even address more than 65 535 (`docs/tokens.md#where-builders-disagree`). The margin keeps a
/// zlib bomb from eating memory.
pub const MAX_PAYLOAD_BYTES: usize = 1 << 20;

/// Length of a 006 prefix plus App ID (`006` + 32 characters).
const V006_HEADER_LEN: usize = 35;

/// Why a token string could not be decoded. Each variant maps to a diagnosis code (`docs/tokens.md#diagnosis-codes`) via
/// [`DecodeError::key`].
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DecodeError {
    /// Shorter than any token can be (fewer than 3 characters, or a 006 without its App ID).
    #[error("the token is too short to hold a version and an App ID ({len} characters)")]
    TooShort {
        /// Length in characters.
        len: usize,
    },
    /// A pre-006 Dynamic Key (`001`–`005`, or a `1:` signaling token).
    #[error("`{prefix}` is a legacy Dynamic Key, not an AccessToken (006) or AccessToken2 (007)")]
    LegacyDynamicKey {
        /// The prefix seen.
        prefix: String,
    },
    /// A prefix other than 006/007.
    #[error("unknown version prefix `{prefix}` (expected 006 or 007)")]
    UnknownVersion {
        /// The first three characters.
        prefix: String,
    },
    /// A character outside the standard base64 alphabet.
    #[error("character {ch:?} at position {position} is not standard base64")]
    BadBase64Char {
        /// Character position in the whole token.
        position: usize,
        /// The character.
        ch: char,
    },
    /// `=` before the end, or more than two of them.
    #[error("`=` padding at position {position} is not at the end of the base64 body")]
    MisplacedPadding {
        /// Character position in the whole token.
        position: usize,
    },
    /// The base64 body is not a multiple of 4 characters: cut short or padding stripped.
    #[error("the base64 body is {len} characters long, not a multiple of 4")]
    BodyLength {
        /// Body length in characters.
        len: usize,
    },
    /// The base64 decoder refused the body (e.g. non-zero bits in the last character).
    #[error("the base64 body does not decode: {0}")]
    Base64(String),
    /// 006 App ID characters are not hexadecimal.
    #[error("the App ID part `{app_id}` is not 32 hexadecimal characters")]
    BadAppId {
        /// The App ID part (printable ASCII only; other bytes replaced).
        app_id: String,
    },
    /// The 007 body is not a valid zlib stream.
    #[error("the 007 body is not a valid zlib stream: {0}")]
    BadZlib(String),
    /// The data ends before a field is complete (or the zlib stream is unfinished).
    #[error("the token ends early: {0}")]
    Truncated(String),
    /// The signature field is not 32 bytes.
    #[error("the signature field is {len} bytes long, not 32")]
    BadSignatureLength {
        /// The length as packed.
        len: u16,
    },
    /// A text field is not valid UTF-8.
    #[error("the {field} field is not valid UTF-8")]
    BadUtf8 {
        /// Which field.
        field: &'static str,
    },
}

impl DecodeError {
    /// The finding key this error most directly means (diagnose refines `BodyLength` and
    /// `BadBase64Char` into `missing_padding` / `base64url_alphabet` when a repair works).
    pub fn key(&self) -> &'static str {
        match self {
            DecodeError::TooShort { .. }
            | DecodeError::Truncated(_)
            | DecodeError::BodyLength { .. } => keys::TRUNCATED,
            DecodeError::LegacyDynamicKey { .. } => keys::LEGACY_DYNAMIC_KEY,
            DecodeError::UnknownVersion { .. } => keys::UNKNOWN_VERSION,
            DecodeError::BadBase64Char { .. }
            | DecodeError::MisplacedPadding { .. }
            | DecodeError::Base64(_) => keys::BAD_BASE64,
            DecodeError::BadAppId { .. } => keys::BAD_APP_ID,
            DecodeError::BadZlib(_) => keys::BAD_ZLIB,
            DecodeError::BadSignatureLength { .. } => keys::BAD_SIGNATURE_LENGTH,
            DecodeError::BadUtf8 { .. } => keys::BAD_UTF8,
        }
    }
}

fn read_err(e: ReadError, what: &str) -> DecodeError {
    match e {
        ReadError::Short => {
            DecodeError::Truncated(format!("the packed fields run past the end ({what})"))
        }
        ReadError::Utf8(field) => DecodeError::BadUtf8 { field },
    }
}

/// Decode a token exactly as given (no trimming, no repairs).
///
/// ```
/// let t = agora_token_core::decode("006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW").unwrap();
/// assert_eq!(t.version(), "006");
/// assert_eq!(t.expires_at(), 1111111);
/// ```
pub fn decode(token: &str) -> Result<Token, DecodeError> {
    let bytes = token.as_bytes();
    if bytes.len() < 3 {
        return Err(DecodeError::TooShort {
            len: token.chars().count(),
        });
    }
    let prefix = &bytes[..3];
    match prefix {
        b"006" => decode_006(token).map(Token::V006),
        b"007" => decode_007(token).map(Token::V007),
        b"001" | b"002" | b"003" | b"004" | b"005" => Err(DecodeError::LegacyDynamicKey {
            prefix: String::from_utf8_lossy(prefix).into_owned(),
        }),
        _ if bytes.starts_with(b"1:") => Err(DecodeError::LegacyDynamicKey {
            prefix: "1:".into(),
        }),
        _ => Err(DecodeError::UnknownVersion {
            prefix: token.chars().take(3).collect(),
        }),
    }
}

fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'+' || c == b'/'
}

/// Strict standard base64 with padding; `offset` is the body's position in the token (for messages).
fn base64_body(token: &str, offset: usize) -> Result<Vec<u8>, DecodeError> {
    let body = &token[offset..];
    let b = body.as_bytes();
    let data_end = b.iter().position(|&c| c == b'=').unwrap_or(b.len());
    for (i, ch) in body.char_indices() {
        let c = ch as u32;
        if i < data_end {
            if c > 0x7f || !is_b64(c as u8) {
                return Err(DecodeError::BadBase64Char {
                    position: offset + i,
                    ch,
                });
            }
        } else if ch != '=' {
            // Something after padding: report the first `=` as misplaced, unless it is a foreign char.
            if c > 0x7f || !is_b64(c as u8) {
                return Err(DecodeError::BadBase64Char {
                    position: offset + i,
                    ch,
                });
            }
            return Err(DecodeError::MisplacedPadding {
                position: offset + data_end,
            });
        }
    }
    if b.len() - data_end > 2 {
        return Err(DecodeError::MisplacedPadding {
            position: offset + data_end,
        });
    }
    if b.len() % 4 != 0 {
        return Err(DecodeError::BodyLength { len: b.len() });
    }
    STANDARD
        .decode(b)
        .map_err(|e| DecodeError::Base64(e.to_string()))
}

fn decode_006(token: &str) -> Result<Token006, DecodeError> {
    let bytes = token.as_bytes();
    if bytes.len() < V006_HEADER_LEN {
        return Err(DecodeError::TooShort {
            len: token.chars().count(),
        });
    }
    if !token.is_char_boundary(V006_HEADER_LEN) {
        return Err(DecodeError::BadAppId {
            app_id: printable(&bytes[3..V006_HEADER_LEN]),
        });
    }
    let content = base64_body(token, V006_HEADER_LEN)?;
    let app_id_bytes = &bytes[3..V006_HEADER_LEN];
    if !app_id_bytes.iter().all(u8::is_ascii_hexdigit) {
        return Err(DecodeError::BadAppId {
            app_id: printable(app_id_bytes),
        });
    }
    let app_id = token[3..V006_HEADER_LEN].to_string();

    let mut r = Reader::new(&content);
    let sig_len = r.u16().map_err(|e| read_err(e, "signature length"))?;
    if sig_len != 32 {
        return Err(DecodeError::BadSignatureLength { len: sig_len });
    }
    let signature = r.bytes(32).map_err(|e| read_err(e, "signature"))?.to_vec();
    let crc_channel_name = r.u32().map_err(|e| read_err(e, "channel CRC"))?;
    let crc_uid = r.u32().map_err(|e| read_err(e, "uid CRC"))?;
    let message = r
        .byte_string()
        .map_err(|e| read_err(e, "message"))?
        .to_vec();
    let trailing_bytes = r.remaining();

    let mut m = Reader::new(&message);
    let salt = m.u32().map_err(|e| read_err(e, "salt"))?;
    let ts = m.u32().map_err(|e| read_err(e, "ts"))?;
    let privileges = m
        .privilege_map()
        .map_err(|e| read_err(e, "privileges"))?
        .into_iter()
        .map(|(id, value)| Privilege {
            id,
            name: privilege_name_006(id),
            value,
        })
        .collect();
    // Bytes left inside the signed message are covered by the HMAC but mean nothing: count them too.
    let trailing_bytes = trailing_bytes + m.remaining();
    Ok(Token006 {
        app_id,
        signature,
        crc_channel_name,
        crc_uid,
        salt,
        ts,
        privileges,
        trailing_bytes,
        message,
    })
}

/// Inflate a complete zlib stream; returns the payload and how many input bytes follow the stream.
fn inflate(data: &[u8]) -> Result<(Vec<u8>, usize), DecodeError> {
    let mut d = Decompress::new(true);
    let mut out: Vec<u8> =
        Vec::with_capacity(data.len().saturating_mul(4).clamp(256, MAX_PAYLOAD_BYTES));
    loop {
        let consumed = d.total_in() as usize;
        if out.len() == out.capacity() {
            if out.len() >= MAX_PAYLOAD_BYTES {
                return Err(DecodeError::BadZlib(format!(
                    "inflates to more than {MAX_PAYLOAD_BYTES} bytes"
                )));
            }
            out.reserve(out.len().max(256));
        }
        let before_out = out.len();
        let status = d
            .decompress_vec(&data[consumed..], &mut out, FlushDecompress::None)
            .map_err(|e| {
                DecodeError::BadZlib(e.message().unwrap_or("invalid stream").to_string())
            })?;
        match status {
            flate2::Status::StreamEnd => {
                let used = d.total_in() as usize;
                return Ok((out, data.len() - used));
            }
            flate2::Status::Ok | flate2::Status::BufError => {
                let progressed = d.total_in() as usize != consumed || out.len() != before_out;
                let input_done = d.total_in() as usize == data.len();
                if input_done && out.len() < out.capacity() {
                    return Err(DecodeError::Truncated(
                        "the zlib stream is unfinished".into(),
                    ));
                }
                if !progressed && out.len() < out.capacity() {
                    return Err(DecodeError::Truncated(
                        "the zlib stream is unfinished".into(),
                    ));
                }
            }
        }
    }
}

fn decode_007(token: &str) -> Result<Token007, DecodeError> {
    let compressed = base64_body(token, 3)?;
    let (payload, trailing_bytes_after_zlib) = inflate(&compressed)?;
    let zlib_header = compressed[..2.min(compressed.len())].to_vec();

    let mut r = Reader::new(&payload);
    let sig_len = r.u16().map_err(|e| read_err(e, "signature length"))?;
    if sig_len != 32 {
        return Err(DecodeError::BadSignatureLength { len: sig_len });
    }
    let signature = r.bytes(32).map_err(|e| read_err(e, "signature"))?.to_vec();
    let signing_info = r.rest().to_vec();
    let app_id = r.string("App ID").map_err(|e| read_err(e, "App ID"))?;
    let issue_ts = r.u32().map_err(|e| read_err(e, "issue_ts"))?;
    let expire = r.u32().map_err(|e| read_err(e, "expire"))?;
    let salt = r.u32().map_err(|e| read_err(e, "salt"))?;
    let service_count = r.u16().map_err(|e| read_err(e, "service count"))?;
    let mut services = Vec::new();
    let mut unknown_service = None;
    for _ in 0..service_count {
        let start = r.pos();
        let service_type = r.u16().map_err(|e| read_err(e, "service type"))?;
        let Some(name) = service_name(service_type) else {
            // Like every official parser, stop here: the length of an unknown service is unknowable.
            let raw = payload[start..].to_vec();
            unknown_service = Some(UnknownService {
                service_type,
                undecoded_bytes: r.remaining(),
                raw,
            });
            break;
        };
        services.push(read_service(&mut r, service_type, name)?);
    }
    let trailing_bytes_after_payload = if unknown_service.is_some() {
        0
    } else {
        r.remaining()
    };
    if app_id.len() != 32 || !app_id.bytes().all(|c| c.is_ascii_hexdigit()) {
        return Err(DecodeError::BadAppId {
            app_id: printable(app_id.as_bytes()),
        });
    }
    Ok(Token007 {
        app_id,
        signature,
        issue_ts,
        expire,
        salt,
        service_count,
        services,
        unknown_service,
        zlib_header,
        trailing_bytes_after_zlib,
        trailing_bytes_after_payload,
        signing_info,
    })
}

fn read_service(
    r: &mut Reader<'_>,
    service_type: u16,
    name: &'static str,
) -> Result<Service, DecodeError> {
    let what = name;
    let privileges = r
        .privilege_map()
        .map_err(|e| read_err(e, what))?
        .into_iter()
        .map(|(id, value)| Privilege {
            id,
            name: privilege_name_007(service_type, id),
            value,
        })
        .collect();
    let s =
        |r: &mut Reader<'_>, field: &'static str| r.string(field).map_err(|e| read_err(e, what));
    let fields = match service_type {
        SERVICE_RTC => ServiceFields::Rtc {
            channel: s(r, "RTC channel")?,
            uid: s(r, "RTC uid")?,
        },
        SERVICE_RTM => ServiceFields::Rtm {
            user_id: s(r, "RTM user id")?,
        },
        SERVICE_STREAMING => ServiceFields::Streaming {
            channel: s(r, "streaming channel")?,
            account: s(r, "streaming account")?,
        },
        SERVICE_FPA => ServiceFields::Fpa,
        SERVICE_CHAT => ServiceFields::Chat {
            user_id: s(r, "chat user id")?,
        },
        SERVICE_FCDN => ServiceFields::Fcdn {
            channel: s(r, "FCDN channel")?,
            account: s(r, "FCDN account")?,
        },
        SERVICE_APAAS => ServiceFields::Apaas {
            room_uuid: s(r, "APaaS room uuid")?,
            user_uuid: s(r, "APaaS user uuid")?,
            role: r.i16().map_err(|e| read_err(e, what))?,
        },
        SERVICE_RTM2 => {
            let user_id = s(r, "RTM2 user id")?;
            let n = r.u16().map_err(|e| read_err(e, what))?;
            let mut permissions = Vec::new();
            for _ in 0..n {
                let resource_type = r.u16().map_err(|e| read_err(e, what))?;
                let m = r.u16().map_err(|e| read_err(e, what))?;
                let mut perms = Vec::new();
                for _ in 0..m {
                    let permission_type = r.u16().map_err(|e| read_err(e, what))?;
                    let k = r.u16().map_err(|e| read_err(e, what))?;
                    let mut names = Vec::new();
                    for _ in 0..k {
                        names.push(s(r, "RTM2 permission name")?);
                    }
                    perms.push(Rtm2Permission {
                        permission_type,
                        permission_name: rtm2_permission_name(permission_type),
                        names,
                    });
                }
                permissions.push(Rtm2Resource {
                    resource_type,
                    resource_name: rtm2_resource_name(resource_type),
                    permissions: perms,
                });
            }
            ServiceFields::Rtm2 {
                user_id,
                permissions,
            }
        }
        SERVICE_CONVOAI => ServiceFields::ConvoAi,
        SERVICE_STT => ServiceFields::Stt,
        _ => unreachable!("read_service is only called for known types"),
    };
    Ok(Service {
        service_type,
        name,
        privileges,
        fields,
    })
}

/// Printable ASCII as is, anything else as `?` (error messages must stay one clean line).
fn printable(b: &[u8]) -> String {
    b.iter()
        .map(|&c| if c.is_ascii_graphic() { c as char } else { '?' })
        .collect()
}
