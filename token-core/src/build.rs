//! Building tokens byte-identical to Agora's official builders (given the same salt and times).
//!
//! 007 output depends on the deflate encoder: this crate uses flate2's C zlib backend at the default
//! level, which reproduces the strings of stock-zlib builders (C++, Python, PHP, Java…) exactly
//! (`docs/tokens.md#where-builders-disagree`).

use std::io::Write as _;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use flate2::write::ZlibEncoder;
use flate2::Compression;
use thiserror::Error;

use crate::model::*;
use crate::verify::{sign_006, sign_007};
use crate::wire::{TooLong, Writer};

/// Why a token could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BuildError {
    /// The App ID is not 32 hexadecimal characters.
    #[error("the App ID must be 32 hexadecimal characters (got {len} characters); copy it from the Agora Console")]
    BadAppId {
        /// Its length in characters.
        len: usize,
    },
    /// The certificate is not 32 hexadecimal characters (its value is never shown).
    #[error("the App Certificate must be 32 hexadecimal characters (got {len} characters); copy it from the Agora Console")]
    BadCertificate {
        /// Its length in characters.
        len: usize,
    },
    /// A field is longer than the 65 535 bytes a `u16` length can carry.
    #[error("a field is longer than 65 535 bytes; shorten the channel, uid or account")]
    FieldTooLong,
}

impl From<TooLong> for BuildError {
    fn from(_: TooLong) -> Self {
        BuildError::FieldTooLong
    }
}

fn check_ids(app_id: &str, certificate: &str) -> Result<(), BuildError> {
    let hex32 = |s: &str| s.len() == 32 && s.bytes().all(|c| c.is_ascii_hexdigit());
    if !hex32(app_id) {
        return Err(BuildError::BadAppId {
            len: app_id.chars().count(),
        });
    }
    if !hex32(certificate) {
        return Err(BuildError::BadCertificate {
            len: certificate.chars().count(),
        });
    }
    Ok(())
}

/// A client role, as the official RTC builders take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Publisher (1): join and publish.
    Publisher,
    /// Subscriber / audience (2): join only.
    Subscriber,
    /// 006 attendee (0): join and publish, like publisher.
    Attendee,
    /// 006 admin (101): join and publish, like publisher.
    Admin,
}

impl Role {
    /// Whether the builders grant the publish privileges (2, 3, 4) to this role.
    pub fn publishes(self) -> bool {
        !matches!(self, Role::Subscriber)
    }
}

/// Everything a 006 token is made of.
#[derive(Debug, Clone)]
pub struct Build006<'a> {
    /// App ID (32 hex characters, kept as given).
    pub app_id: &'a str,
    /// App Certificate text (the HMAC key).
    pub certificate: &'a str,
    /// Channel name (or the RTM user id for RTM tokens).
    pub channel: &'a str,
    /// Uid text (`""` for uid 0; see [`crate::uid_text`]) or user account.
    pub uid_text: &'a str,
    /// Salt.
    pub salt: u32,
    /// Token expiry, absolute unix time.
    pub ts: u32,
    /// Privileges (id, absolute expiry or 0); packed sorted by id.
    pub privileges: Vec<(u16, u32)>,
}

/// Build a 006 token.
pub fn build_006(b: &Build006<'_>) -> Result<String, BuildError> {
    check_ids(b.app_id, b.certificate)?;
    let mut m = Writer::default();
    m.u32(b.salt);
    m.u32(b.ts);
    m.privilege_map(&b.privileges)?;
    let message = m.buf;
    let signature = sign_006(b.certificate, b.app_id, b.channel, b.uid_text, &message);
    let mut c = Writer::default();
    c.bytes(&signature)?;
    c.u32(crc32fast::hash(b.channel.as_bytes()));
    c.u32(crc32fast::hash(b.uid_text.as_bytes()));
    c.bytes(&message)?;
    Ok(format!("006{}{}", b.app_id, STANDARD.encode(&c.buf)))
}

#[allow(clippy::too_many_arguments)]
/// The 006 RTC token of `RtcTokenBuilder.buildTokenWithUid/Account`: `ts = issued_at + 24 h`,
/// privilege 1 (and 2–4 unless subscriber) = `privilege_expire_ts` (absolute; 0 = no deadline).
pub fn rtc_006(
    app_id: &str,
    certificate: &str,
    channel: &str,
    uid_text: &str,
    role: Role,
    issued_at: u32,
    privilege_expire_ts: u32,
    salt: u32,
) -> Result<String, BuildError> {
    let ids: &[u16] = if role.publishes() {
        &[1, 2, 3, 4]
    } else {
        &[1]
    };
    build_006(&Build006 {
        app_id,
        certificate,
        channel,
        uid_text,
        salt,
        ts: issued_at.wrapping_add(V006_LIFETIME),
        privileges: ids.iter().map(|&id| (id, privilege_expire_ts)).collect(),
    })
}

/// The 006 RTM token of `RtmTokenBuilder.buildToken`: the user id in the channel slot, uid `""`,
/// privilege 1000 = `privilege_expire_ts`, `ts = issued_at + 24 h`.
pub fn rtm_006(
    app_id: &str,
    certificate: &str,
    user_id: &str,
    issued_at: u32,
    privilege_expire_ts: u32,
    salt: u32,
) -> Result<String, BuildError> {
    build_006(&Build006 {
        app_id,
        certificate,
        channel: user_id,
        uid_text: "",
        salt,
        ts: issued_at.wrapping_add(V006_LIFETIME),
        privileges: vec![(PRIVILEGE_006_RTM_LOGIN, privilege_expire_ts)],
    })
}

/// The lifetime the 006 builders give every token (`ts = build time + 24 h`).
pub const V006_LIFETIME: u32 = 86_400;

/// Everything a 007 token is made of.
#[derive(Debug, Clone)]
pub struct Build007<'a> {
    /// App ID (32 hex characters).
    pub app_id: &'a str,
    /// App Certificate text.
    pub certificate: &'a str,
    /// Issue time, absolute unix seconds.
    pub issue_ts: u32,
    /// Token lifetime in seconds after `issue_ts`.
    pub expire: u32,
    /// Salt.
    pub salt: u32,
    /// Services (packed sorted by type, stably; privileges sorted by id).
    pub services: Vec<Service>,
}

/// Build a 007 token (C zlib, default level: the official stock-zlib string).
pub fn build_007(b: &Build007<'_>) -> Result<String, BuildError> {
    let mut services = b.services.clone();
    services.sort_by_key(|s| s.service_type);
    let count = u16::try_from(services.len()).map_err(|_| BuildError::FieldTooLong)?;
    pack_007(
        b.app_id,
        b.certificate,
        b.issue_ts,
        b.expire,
        b.salt,
        count,
        &services,
        None,
    )
}

/// Rebuild a decoded 007 token with a certificate: same fields, fresh signature, stock zlib.
/// Services the decoder did not understand are carried over byte for byte.
pub fn rebuild_007(t: &Token007, certificate: &str) -> Result<String, BuildError> {
    pack_007(
        &t.app_id,
        certificate,
        t.issue_ts,
        t.expire,
        t.salt,
        t.service_count,
        &t.services,
        t.unknown_service.as_ref().map(|u| u.raw.as_slice()),
    )
}

#[allow(clippy::too_many_arguments)]
fn pack_007(
    app_id: &str,
    certificate: &str,
    issue_ts: u32,
    expire: u32,
    salt: u32,
    service_count: u16,
    services: &[Service],
    unknown_tail: Option<&[u8]>,
) -> Result<String, BuildError> {
    check_ids(app_id, certificate)?;
    let mut w = Writer::default();
    w.bytes(app_id.as_bytes())?;
    w.u32(issue_ts);
    w.u32(expire);
    w.u32(salt);
    // The count as given: a rebuilt token with an unknown service keeps its original count.
    w.u16(service_count);
    for s in services {
        pack_service(&mut w, s)?;
    }
    if let Some(tail) = unknown_tail {
        w.raw(tail);
    }
    let signing_info = w.buf;
    let signature = sign_007(certificate, issue_ts, salt, &signing_info);
    let mut payload = Writer::default();
    payload.bytes(&signature)?;
    payload.raw(&signing_info);
    let mut z = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing to a Vec cannot fail.
    z.write_all(&payload.buf).expect("write to Vec");
    let compressed = z.finish().expect("finish to Vec");
    Ok(format!("007{}", STANDARD.encode(compressed)))
}

fn pack_service(w: &mut Writer, s: &Service) -> Result<(), BuildError> {
    w.u16(s.service_type);
    let privileges: Vec<(u16, u32)> = s.privileges.iter().map(|p| (p.id, p.value)).collect();
    w.privilege_map(&privileges)?;
    match &s.fields {
        ServiceFields::Rtc { channel, uid } => {
            w.bytes(channel.as_bytes())?;
            w.bytes(uid.as_bytes())?;
        }
        ServiceFields::Rtm { user_id } | ServiceFields::Chat { user_id } => {
            w.bytes(user_id.as_bytes())?
        }
        ServiceFields::Streaming { channel, account }
        | ServiceFields::Fcdn { channel, account } => {
            w.bytes(channel.as_bytes())?;
            w.bytes(account.as_bytes())?;
        }
        ServiceFields::Fpa | ServiceFields::ConvoAi | ServiceFields::Stt => {}
        ServiceFields::Apaas {
            room_uuid,
            user_uuid,
            role,
        } => {
            w.bytes(room_uuid.as_bytes())?;
            w.bytes(user_uuid.as_bytes())?;
            w.i16(*role);
        }
        ServiceFields::Rtm2 {
            user_id,
            permissions,
        } => {
            w.bytes(user_id.as_bytes())?;
            let mut resources = permissions.clone();
            resources.sort_by_key(|r| r.resource_type);
            w.len_u16(resources.len())?;
            for r in &resources {
                w.u16(r.resource_type);
                let mut perms = r.permissions.clone();
                perms.sort_by_key(|p| p.permission_type);
                w.len_u16(perms.len())?;
                for p in &perms {
                    w.u16(p.permission_type);
                    w.len_u16(p.names.len())?;
                    for n in &p.names {
                        w.bytes(n.as_bytes())?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// An RTC service: privilege 1 (and 2–4 unless subscriber) = `privilege_expire` seconds.
pub fn rtc_service(channel: &str, uid_text: &str, role: Role, privilege_expire: u32) -> Service {
    let ids: &[u16] = if role.publishes() {
        &[1, 2, 3, 4]
    } else {
        &[1]
    };
    Service {
        service_type: SERVICE_RTC,
        name: "rtc",
        privileges: ids
            .iter()
            .map(|&id| Privilege {
                id,
                name: privilege_name_007(SERVICE_RTC, id),
                value: privilege_expire,
            })
            .collect(),
        fields: ServiceFields::Rtc {
            channel: channel.into(),
            uid: uid_text.into(),
        },
    }
}

/// An RTM service: login = `expire` seconds.
pub fn rtm_service(user_id: &str, expire: u32) -> Service {
    Service {
        service_type: SERVICE_RTM,
        name: "rtm",
        privileges: vec![Privilege {
            id: 1,
            name: Some("login"),
            value: expire,
        }],
        fields: ServiceFields::Rtm {
            user_id: user_id.into(),
        },
    }
}

/// The 007 token of `RtcTokenBuilder.buildTokenWithUid/UserAccount` (privileges as [`rtc_service`]).
#[allow(clippy::too_many_arguments)]
pub fn rtc_007(
    app_id: &str,
    certificate: &str,
    channel: &str,
    uid_text: &str,
    role: Role,
    issue_ts: u32,
    token_expire: u32,
    privilege_expire: u32,
    salt: u32,
) -> Result<String, BuildError> {
    build_007(&Build007 {
        app_id,
        certificate,
        issue_ts,
        expire: token_expire,
        salt,
        services: vec![rtc_service(channel, uid_text, role, privilege_expire)],
    })
}

/// The 007 token of `RtmTokenBuilder.buildToken`: one RTM service, login = expire.
pub fn rtm_007(
    app_id: &str,
    certificate: &str,
    user_id: &str,
    issue_ts: u32,
    expire: u32,
    salt: u32,
) -> Result<String, BuildError> {
    build_007(&Build007 {
        app_id,
        certificate,
        issue_ts,
        expire,
        salt,
        services: vec![rtm_service(user_id, expire)],
    })
}
