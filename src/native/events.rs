//! Observer callbacks: the SDK calls them on its own threads with a connection (or local-user) handle;
//! each one turns its arguments into a [`ConnEvent`] and sends it to the channel registered for that
//! handle, which the async side awaits. A callback never panics across the FFI boundary.

use std::collections::HashMap;
use std::ffi::{c_char, c_int, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{LazyLock, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use super::ffi::*;

/// Agora `CONNECTION_CHANGED_REASON_TYPE` values the join cycle looks at (`docs/native-c-api.md#connection-reasons`).
pub mod reason {
    /// Establishing the connection.
    pub const CONNECTING: i32 = 0;
    /// Joined.
    pub const JOIN_SUCCESS: i32 = 1;
    /// Still not joined after 20 minutes; the SDK stops retrying.
    pub const JOIN_FAILED: i32 = 4;
    /// Left the channel.
    pub const LEAVE_CHANNEL: i32 = 5;
    /// App ID not valid.
    pub const INVALID_APP_ID: i32 = 6;
    /// Channel name not valid.
    pub const INVALID_CHANNEL_NAME: i32 = 7;
    /// Token not valid.
    pub const INVALID_TOKEN: i32 = 8;
    /// Token expired.
    pub const TOKEN_EXPIRED: i32 = 9;
    /// Rejected by the server.
    pub const REJECTED_BY_SERVER: i32 = 10;

    /// Agora's name for a reason value.
    pub fn name(reason: i32) -> &'static str {
        const NAMES: [&str; 25] = [
            "CONNECTING",
            "JOIN_SUCCESS",
            "INTERRUPTED",
            "BANNED_BY_SERVER",
            "JOIN_FAILED",
            "LEAVE_CHANNEL",
            "INVALID_APP_ID",
            "INVALID_CHANNEL_NAME",
            "INVALID_TOKEN",
            "TOKEN_EXPIRED",
            "REJECTED_BY_SERVER",
            "SETTING_PROXY_SERVER",
            "RENEW_TOKEN",
            "CLIENT_IP_ADDRESS_CHANGED",
            "KEEP_ALIVE_TIMEOUT",
            "REJOIN_SUCCESS",
            "LOST",
            "ECHO_TEST",
            "CLIENT_IP_ADDRESS_CHANGED_BY_USER",
            "SAME_UID_LOGIN",
            "TOO_MANY_BROADCASTERS",
            "LICENSE_VALIDATION_FAILURE",
            "CERTIFICATION_VERYFY_FAILURE",
            "STREAM_CHANNEL_NOT_AVAILABLE",
            "INCONSISTENT_APPID",
        ];
        usize::try_from(reason)
            .ok()
            .and_then(|i| NAMES.get(i).copied())
            .unwrap_or("UNKNOWN")
    }
}

/// Decoded PCM one remote user sent, as the audio-frame observer delivered it.
#[derive(Debug, Clone, PartialEq)]
pub struct AudioChunk {
    /// The sender's uid.
    pub uid: String,
    /// Sample rate in Hz.
    pub sample_rate: u32,
    /// Interleaved channel count.
    pub channels: u16,
    /// Interleaved samples.
    pub samples: Vec<i16>,
}

/// One thing the SDK reported about a connection.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnEvent {
    /// `on_connecting(reason)`.
    Connecting { reason: i32 },
    /// `on_connected(reason)`, with the uid the server assigned.
    Connected { reason: i32, uid: u32 },
    /// `on_reconnecting(reason)`.
    Reconnecting { reason: i32 },
    /// `on_reconnected(reason)`.
    Reconnected { reason: i32 },
    /// `on_disconnected(reason)`.
    Disconnected { reason: i32 },
    /// `on_connection_lost`.
    ConnectionLost,
    /// `on_connection_failure(reason)`: the join was refused.
    ConnectionFailure { reason: i32 },
    /// `on_token_privilege_will_expire`.
    TokenWillExpire,
    /// `on_token_privilege_did_expire`.
    TokenDidExpire,
    /// `on_user_joined(uid)`.
    UserJoined { uid: String },
    /// `on_user_left(uid, reason)`.
    UserLeft { uid: String, reason: i32 },
    /// `on_error(code, message)`.
    Error { code: i32, message: String },
    /// `on_playback_audio_frame_before_mixing`.
    Audio(AudioChunk),
}

type Routes = HashMap<usize, UnboundedSender<ConnEvent>>;

static ROUTES: LazyLock<Mutex<Routes>> = LazyLock::new(|| Mutex::new(HashMap::new()));

fn routes() -> std::sync::MutexGuard<'static, Routes> {
    ROUTES.lock().unwrap_or_else(|p| p.into_inner())
}

/// Events for `handle` go to `tx` until the returned guard is dropped.
pub(crate) struct Route {
    key: usize,
}

impl Route {
    pub(crate) fn new(handle: AgoraHandle, tx: UnboundedSender<ConnEvent>) -> Route {
        let key = handle as usize;
        routes().insert(key, tx);
        Route { key }
    }
}

impl Drop for Route {
    fn drop(&mut self) {
        routes().remove(&self.key);
    }
}

/// Send `make()`'s event to the channel of `handle`; runs under `catch_unwind` so nothing unwinds
/// into the SDK, and drops events for handles nobody listens to any more.
fn deliver(handle: AgoraHandle, make: impl FnOnce() -> Option<ConnEvent>) {
    let _ = catch_unwind(AssertUnwindSafe(|| {
        let Some(event) = make() else { return };
        if let Some(tx) = routes().get(&(handle as usize)) {
            let _ = tx.send(event);
        }
    }));
}

/// Copy a C string the SDK passed into a callback.
///
/// # Safety
/// `p` is NULL or a NUL-terminated string valid for the duration of the callback.
unsafe fn text(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: non-NULL and, per the callback contract, NUL-terminated and valid during the callback.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

unsafe extern "C" fn on_connected(conn: AgoraHandle, info: *const RtcConnInfo, reason: c_int) {
    deliver(conn, || {
        // SAFETY: `info` is NULL or a rtc_conn_info valid during this callback (header contract).
        let uid = unsafe { info.as_ref() }.map_or(0, |i| i.internal_uid);
        Some(ConnEvent::Connected { reason, uid })
    });
}

unsafe extern "C" fn on_disconnected(conn: AgoraHandle, _info: *const RtcConnInfo, reason: c_int) {
    deliver(conn, || Some(ConnEvent::Disconnected { reason }));
}

unsafe extern "C" fn on_connecting(conn: AgoraHandle, _info: *const RtcConnInfo, reason: c_int) {
    deliver(conn, || Some(ConnEvent::Connecting { reason }));
}

unsafe extern "C" fn on_reconnecting(conn: AgoraHandle, _info: *const RtcConnInfo, reason: c_int) {
    deliver(conn, || Some(ConnEvent::Reconnecting { reason }));
}

unsafe extern "C" fn on_reconnected(conn: AgoraHandle, _info: *const RtcConnInfo, reason: c_int) {
    deliver(conn, || Some(ConnEvent::Reconnected { reason }));
}

unsafe extern "C" fn on_connection_lost(conn: AgoraHandle, _info: *const RtcConnInfo) {
    deliver(conn, || Some(ConnEvent::ConnectionLost));
}

unsafe extern "C" fn on_connection_failure(
    conn: AgoraHandle,
    _info: *const RtcConnInfo,
    reason: c_int,
) {
    deliver(conn, || Some(ConnEvent::ConnectionFailure { reason }));
}

unsafe extern "C" fn on_token_will_expire(conn: AgoraHandle, _token: *const c_char) {
    deliver(conn, || Some(ConnEvent::TokenWillExpire));
}

unsafe extern "C" fn on_token_did_expire(conn: AgoraHandle) {
    deliver(conn, || Some(ConnEvent::TokenDidExpire));
}

unsafe extern "C" fn on_user_joined(conn: AgoraHandle, uid: UserId) {
    deliver(conn, || {
        Some(ConnEvent::UserJoined {
            // SAFETY: `uid` is a user-id string valid during this callback.
            uid: unsafe { text(uid) },
        })
    });
}

unsafe extern "C" fn on_user_left(conn: AgoraHandle, uid: UserId, reason: c_int) {
    deliver(conn, || {
        Some(ConnEvent::UserLeft {
            // SAFETY: `uid` is a user-id string valid during this callback.
            uid: unsafe { text(uid) },
            reason,
        })
    });
}

unsafe extern "C" fn on_error(conn: AgoraHandle, code: c_int, message: *const c_char) {
    deliver(conn, || {
        Some(ConnEvent::Error {
            code,
            // SAFETY: `message` is NULL or a string valid during this callback.
            message: unsafe { text(message) },
        })
    });
}

unsafe extern "C" fn on_playback_before_mixing(
    local_user: AgoraHandle,
    _channel: *const c_char,
    uid: UserId,
    frame: *const AudioFrame,
) -> c_int {
    deliver(local_user, || {
        // SAFETY: `frame` is NULL or an audio_frame valid during this callback (header contract).
        let f = unsafe { frame.as_ref() }?;
        if f.bytes_per_sample != 2 || f.buffer.is_null() {
            return None;
        }
        let channels = u16::try_from(f.channels).ok().filter(|c| *c > 0)?;
        let per_channel = usize::try_from(f.samples_per_channel).ok()?;
        let n = per_channel.checked_mul(usize::from(channels))?;
        // SAFETY: the frame's buffer holds samples_per_channel * channels 16-bit samples
        // (bytes_per_sample checked to be 2 above) for the duration of the callback.
        let samples = unsafe { std::slice::from_raw_parts(f.buffer.cast::<i16>(), n) }.to_vec();
        Some(ConnEvent::Audio(AudioChunk {
            // SAFETY: `uid` is a user-id string valid during this callback.
            uid: unsafe { text(uid) },
            sample_rate: u32::try_from(f.samples_per_sec).unwrap_or(0),
            channels,
            samples,
        }))
    });
    1
}

/// The connection observer the binding registers: every slot it understands, NULL for the rest.
pub(crate) fn conn_observer() -> RtcConnObserver {
    RtcConnObserver {
        on_connected: Some(on_connected),
        on_disconnected: Some(on_disconnected),
        on_connecting: Some(on_connecting),
        on_reconnecting: Some(on_reconnecting),
        on_reconnected: Some(on_reconnected),
        on_connection_lost: Some(on_connection_lost),
        on_token_privilege_will_expire: Some(on_token_will_expire),
        on_token_privilege_did_expire: Some(on_token_did_expire),
        on_connection_failure: Some(on_connection_failure),
        on_user_joined: Some(on_user_joined),
        on_user_left: Some(on_user_left),
        on_error: Some(on_error),
        ..RtcConnObserver::default()
    }
}

/// The audio-frame observer the listening connection registers (before-mixing PCM only).
pub(crate) fn audio_observer() -> AudioFrameObserver {
    AudioFrameObserver {
        on_playback_audio_frame_before_mixing: Some(on_playback_before_mixing),
        ..AudioFrameObserver::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_callback_for_an_unknown_handle_is_dropped_quietly() {
        // SAFETY: a NULL info pointer is allowed by the callback (it reads it with as_ref).
        unsafe { on_connected(0xdead_0000 as AgoraHandle, std::ptr::null(), 1) };
    }

    #[test]
    fn callbacks_reach_the_registered_channel() {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let handle = 0x1000_0010 as AgoraHandle;
        let route = Route::new(handle, tx);
        // SAFETY: NULL info is allowed; the handle is only used as a routing key.
        unsafe { on_connection_failure(handle, std::ptr::null(), 8) };
        assert_eq!(
            rx.try_recv().unwrap(),
            ConnEvent::ConnectionFailure { reason: 8 }
        );
        drop(route);
        // SAFETY: as above.
        unsafe { on_connection_failure(handle, std::ptr::null(), 9) };
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn reason_names_follow_agora() {
        assert_eq!(reason::name(8), "INVALID_TOKEN");
        assert_eq!(reason::name(24), "INCONSISTENT_APPID");
        assert_eq!(reason::name(99), "UNKNOWN");
    }
}
