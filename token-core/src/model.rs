//! What a decoded token holds: the 006 and 007 field sets, services, privileges and their names.

use serde::Serialize;

/// A decoded token of either format. Decoding is not validating: every field is kept as found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "version")]
pub enum Token {
    /// `006` AccessToken.
    #[serde(rename = "006")]
    V006(Token006),
    /// `007` AccessToken2.
    #[serde(rename = "007")]
    V007(Token007),
}

impl Token {
    /// `"006"` or `"007"`.
    pub fn version(&self) -> &'static str {
        match self {
            Token::V006(_) => "006",
            Token::V007(_) => "007",
        }
    }

    /// The App ID inside the token.
    pub fn app_id(&self) -> &str {
        match self {
            Token::V006(t) => &t.app_id,
            Token::V007(t) => &t.app_id,
        }
    }

    /// The 32-byte (normally) signature.
    pub fn signature(&self) -> &[u8] {
        match self {
            Token::V006(t) => &t.signature,
            Token::V007(t) => &t.signature,
        }
    }

    /// The salt (random, meaningless).
    pub fn salt(&self) -> u32 {
        match self {
            Token::V006(t) => t.salt,
            Token::V007(t) => t.salt,
        }
    }

    /// Absolute unix time after which the whole token is void (006 `ts`; 007 `issue_ts + expire`).
    pub fn expires_at(&self) -> u64 {
        match self {
            Token::V006(t) => u64::from(t.ts),
            Token::V007(t) => t.expires_at(),
        }
    }

    /// Whether the token as a whole is expired at `now` (strictly past, as Agora's `parse.py`).
    pub fn is_expired(&self, now: u64) -> bool {
        self.expires_at() < now
    }

    /// Bytes left over after the zlib stream or the last field (official parsers ignore them).
    pub fn trailing_bytes(&self) -> usize {
        match self {
            Token::V006(t) => t.trailing_bytes,
            Token::V007(t) => t.trailing_bytes_after_zlib + t.trailing_bytes_after_payload,
        }
    }
}

/// One privilege: an id, its known name (if any) and its raw value.
///
/// 006 values are absolute unix times, 007 values are seconds after `issue_ts`; 0 means "no limit of
/// its own" in both formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Privilege {
    /// Privilege id as packed.
    pub id: u16,
    /// Agora's name for it, or `None` for an id nobody documents (shown raw).
    pub name: Option<&'static str>,
    /// Raw value as packed.
    pub value: u32,
}

/// Fields of a `006` AccessToken.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token006 {
    /// The 32 characters after `006`, as given (letter case matters for signing).
    pub app_id: String,
    /// The signature bytes (32 in every sound token).
    #[serde(serialize_with = "ser_hex")]
    pub signature: Vec<u8>,
    /// CRC-32 of the channel name (the name itself is not in the token).
    pub crc_channel_name: u32,
    /// CRC-32 of the uid text (`""` for uid 0, so 0 means "any uid").
    pub crc_uid: u32,
    /// Random salt.
    pub salt: u32,
    /// The token's own expiry, an absolute unix time.
    pub ts: u32,
    /// Privileges in wire order; values are absolute unix times, 0 = no deadline of its own.
    pub privileges: Vec<Privilege>,
    /// Bytes after the last field.
    pub trailing_bytes: usize,
    /// The signed message (salt, ts, privileges) exactly as packed.
    #[serde(skip)]
    pub message: Vec<u8>,
}

impl Token006 {
    /// When a privilege ends (absolute), or `None` for 0 ("no deadline of its own").
    pub fn privilege_ends_at(&self, p: &Privilege) -> Option<u64> {
        (p.value != 0).then_some(u64::from(p.value))
    }

    /// Whether a privilege has ended at `now` (0 never ends by itself).
    pub fn privilege_expired(&self, p: &Privilege, now: u64) -> bool {
        self.privilege_ends_at(p).is_some_and(|end| end < now)
    }

    /// Whether this is an RTM token (privilege 1000, the RTM user id in the channel slot).
    pub fn is_rtm(&self) -> bool {
        self.privileges
            .iter()
            .any(|p| p.id == PRIVILEGE_006_RTM_LOGIN)
            && !self.privileges.iter().any(|p| p.id == 1)
    }
}

/// 006 privilege id of RTM login.
pub const PRIVILEGE_006_RTM_LOGIN: u16 = 1000;

/// Fields of a `007` AccessToken2.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Token007 {
    /// The App ID string inside the payload.
    pub app_id: String,
    /// The signature bytes (32 in every sound token).
    #[serde(serialize_with = "ser_hex")]
    pub signature: Vec<u8>,
    /// Absolute unix time the token was built.
    pub issue_ts: u32,
    /// Seconds after `issue_ts` the whole token lasts.
    pub expire: u32,
    /// Random salt.
    pub salt: u32,
    /// The service count as packed.
    pub service_count: u16,
    /// The services decoded, in wire order (sorted by type by every builder).
    pub services: Vec<Service>,
    /// Where decoding stopped at a service type this decoder does not know.
    pub unknown_service: Option<UnknownService>,
    /// The 2-byte zlib header (`78 9c` from default-level encoders).
    #[serde(serialize_with = "ser_hex")]
    pub zlib_header: Vec<u8>,
    /// Bytes after the end of the zlib stream.
    pub trailing_bytes_after_zlib: usize,
    /// Bytes after the last service inside the inflated payload.
    pub trailing_bytes_after_payload: usize,
    /// Everything after the signature in the inflated payload: what the signature covers.
    #[serde(skip)]
    pub signing_info: Vec<u8>,
}

impl Token007 {
    /// Absolute expiry: `issue_ts + expire`.
    pub fn expires_at(&self) -> u64 {
        u64::from(self.issue_ts) + u64::from(self.expire)
    }

    /// When a privilege ends (absolute), or `None` for 0 ("no limit of its own").
    pub fn privilege_ends_at(&self, p: &Privilege) -> Option<u64> {
        (p.value != 0).then_some(u64::from(self.issue_ts) + u64::from(p.value))
    }

    /// Whether a privilege has ended at `now` (0 never ends by itself).
    pub fn privilege_expired(&self, p: &Privilege, now: u64) -> bool {
        self.privilege_ends_at(p).is_some_and(|end| end < now)
    }

    /// The RTC services (there may be several, one per channel).
    pub fn rtc_services(&self) -> impl Iterator<Item = (&str, &str, &Service)> {
        self.services.iter().filter_map(|s| match &s.fields {
            ServiceFields::Rtc { channel, uid } => Some((channel.as_str(), uid.as_str(), s)),
            _ => None,
        })
    }
}

/// A service type the decoder does not know: decoding stopped there (its length cannot be known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownService {
    /// The service type number.
    pub service_type: u16,
    /// Bytes from the start of that service to the end of the payload, not decoded.
    pub undecoded_bytes: usize,
    /// Those bytes, kept so the token can be rebuilt byte for byte.
    #[serde(skip)]
    pub raw: Vec<u8>,
}

/// One 007 service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    /// Service type number.
    pub service_type: u16,
    /// Its name (`rtc`, `rtm`, …).
    pub name: &'static str,
    /// Privileges in wire order; values are seconds after `issue_ts`, 0 = no limit of its own.
    pub privileges: Vec<Privilege>,
    /// The type-specific fields after the privilege map.
    pub fields: ServiceFields,
}

impl Service {
    /// The privilege with this id, if present.
    pub fn privilege(&self, id: u16) -> Option<&Privilege> {
        self.privileges.iter().find(|p| p.id == id)
    }
}

/// RTM2 permissions: resource type → permission type → names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rtm2Resource {
    /// 0 messageChannels, 1 streamChannels, 2 groupChannels, 3 serverGroups, 4 users.
    pub resource_type: u16,
    /// Its name, if known.
    pub resource_name: Option<&'static str>,
    /// Permissions on this resource type.
    pub permissions: Vec<Rtm2Permission>,
}

/// One RTM2 permission type with the resource names it applies to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rtm2Permission {
    /// 0 read, 1 write.
    pub permission_type: u16,
    /// Its name, if known.
    pub permission_name: Option<&'static str>,
    /// Resource names (`*` for all).
    pub names: Vec<String>,
}

/// The type-specific fields of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServiceFields {
    /// Type 1: channel and uid text (`""` = uid 0, any uid).
    Rtc {
        /// Channel name.
        channel: String,
        /// Uid text or user account.
        uid: String,
    },
    /// Type 2: RTM user id.
    Rtm {
        /// RTM user id.
        user_id: String,
    },
    /// Type 3: channel and account.
    Streaming {
        /// Channel name.
        channel: String,
        /// Account.
        account: String,
    },
    /// Type 4: nothing after the privileges.
    Fpa,
    /// Type 5: user id (empty for app tokens).
    Chat {
        /// Chat user id.
        user_id: String,
    },
    /// Type 6: channel and account.
    Fcdn {
        /// Channel name.
        channel: String,
        /// Account.
        account: String,
    },
    /// Type 7: room, user and an `i16` role (−1 = none).
    Apaas {
        /// Room UUID.
        room_uuid: String,
        /// User UUID.
        user_uuid: String,
        /// Role (−1 = none).
        role: i16,
    },
    /// Type 8: RTM user id and resource permissions.
    Rtm2 {
        /// RTM user id.
        user_id: String,
        /// Permissions by resource type, in wire order.
        permissions: Vec<Rtm2Resource>,
    },
    /// Type 9: nothing after the privileges.
    ConvoAi,
    /// Type 10: nothing after the privileges.
    Stt,
}

/// Service type numbers and names.
pub const SERVICE_RTC: u16 = 1;
/// RTM (Signaling).
pub const SERVICE_RTM: u16 = 2;
/// Streaming.
pub const SERVICE_STREAMING: u16 = 3;
/// FPA.
pub const SERVICE_FPA: u16 = 4;
/// Chat.
pub const SERVICE_CHAT: u16 = 5;
/// FCDN.
pub const SERVICE_FCDN: u16 = 6;
/// APaaS (Flexible Classroom / Education).
pub const SERVICE_APAAS: u16 = 7;
/// RTM2 (RTM with resource permissions).
pub const SERVICE_RTM2: u16 = 8;
/// ConvoAI.
pub const SERVICE_CONVOAI: u16 = 9;
/// STT.
pub const SERVICE_STT: u16 = 10;

/// The name of a known 007 service type.
pub fn service_name(service_type: u16) -> Option<&'static str> {
    Some(match service_type {
        SERVICE_RTC => "rtc",
        SERVICE_RTM => "rtm",
        SERVICE_STREAMING => "streaming",
        SERVICE_FPA => "fpa",
        SERVICE_CHAT => "chat",
        SERVICE_FCDN => "fcdn",
        SERVICE_APAAS => "apaas",
        SERVICE_RTM2 => "rtm2",
        SERVICE_CONVOAI => "convoai",
        SERVICE_STT => "stt",
        _ => return None,
    })
}

/// RTC privilege ids (007 service type 1; the same numbers in 006).
pub const PRIVILEGE_JOIN_CHANNEL: u16 = 1;
/// Publish audio.
pub const PRIVILEGE_PUBLISH_AUDIO: u16 = 2;
/// Publish video.
pub const PRIVILEGE_PUBLISH_VIDEO: u16 = 3;
/// Publish data streams.
pub const PRIVILEGE_PUBLISH_DATA: u16 = 4;

/// The name of a 007 privilege id within a service type.
pub fn privilege_name_007(service_type: u16, id: u16) -> Option<&'static str> {
    Some(match (service_type, id) {
        (SERVICE_RTC, 1) => "joinChannel",
        (SERVICE_RTC, 2) => "publishAudioStream",
        (SERVICE_RTC, 3) => "publishVideoStream",
        (SERVICE_RTC, 4) => "publishDataStream",
        (SERVICE_RTM, 1) | (SERVICE_FPA, 1) | (SERVICE_RTM2, 1) => "login",
        (SERVICE_STREAMING, 1) => "publishMixStream",
        (SERVICE_STREAMING, 2) => "publishRawStream",
        (SERVICE_CHAT, 1) => "user",
        (SERVICE_CHAT, 2) => "app",
        (SERVICE_FCDN, 1) => "publish",
        (SERVICE_FCDN, 2) => "play",
        (SERVICE_APAAS, 1) => "roomUser",
        (SERVICE_APAAS, 2) => "user",
        (SERVICE_APAAS, 3) => "app",
        _ => return None,
    })
}

/// The name of a 006 privilege id.
pub fn privilege_name_006(id: u16) -> Option<&'static str> {
    Some(match id {
        1 => "joinChannel",
        2 => "publishAudioStream",
        3 => "publishVideoStream",
        4 => "publishDataStream",
        5 => "publishAudioCdn",
        6 => "publishVideoCdn",
        7 => "requestPublishAudioStream",
        8 => "requestPublishVideoStream",
        9 => "requestPublishDataStream",
        10 => "invitePublishAudioStream",
        11 => "invitePublishVideoStream",
        12 => "invitePublishDataStream",
        101 => "administrateChannel",
        1000 => "rtmLogin",
        _ => return None,
    })
}

/// The name of an RTM2 resource type.
pub fn rtm2_resource_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0 => "messageChannels",
        1 => "streamChannels",
        2 => "groupChannels",
        3 => "serverGroups",
        4 => "users",
        _ => return None,
    })
}

/// The name of an RTM2 permission type.
pub fn rtm2_permission_name(t: u16) -> Option<&'static str> {
    Some(match t {
        0 => "read",
        1 => "write",
        _ => return None,
    })
}

fn ser_hex<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode(bytes))
}
