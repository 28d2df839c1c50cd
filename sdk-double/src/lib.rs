//! TEST DOUBLE of Agora's native Linux server SDK (`libagora_rtc_sdk.so`, 4.4.32 C API). NOT Agora's
//! SDK: it exports the same C symbols with the same ABI so that agora-doctor's binding is exercised
//! through its real `dlopen` path, and it talks over real loopback TCP to the simulated relay in
//! `agora-sim` (`sim/src/native.rs`), which validates tokens with `agora-token-core`.
//!
//! Behaviour follows `docs/native-c-api.md`: `connect` only starts a join; the outcome arrives
//! on the double's own worker thread as `on_connecting(0)` then `on_connected(1)` or
//! `on_connection_failure(reason)`; remote users arrive as `on_user_joined`; `disconnect` ends with
//! `on_disconnected(5)`. PCM pushed into a sender whose track is published goes to the relay, and audio
//! the relay forwards is handed to the audio-frame observer's `on_playback_audio_frame_before_mixing`.
//! With no relay configured or reachable the double keeps retrying, like the real SDK with no network.
//!
//! The relay address comes from the private parameter `{"agora_doctor.sim_relay":"127.0.0.1:PORT"}`
//! set with `agora_parameter_set_parameters` on the service's parameter handle.

#![deny(unsafe_op_in_unsafe_fn)]
#![deny(clippy::undocumented_unsafe_blocks)]

#[path = "../../src/native/ffi.rs"]
#[allow(dead_code)]
mod ffi;

// The wire format is shared by file with the relay (`agora-sim`), so the double needs no dependency:
// it builds in seconds and loads nothing but std.
#[path = "../../sim/src/native_wire.rs"]
#[allow(dead_code)]
mod native_wire;

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use ffi::*;
use native_wire::{is_timeout, Message};

/// The private parameter key carrying the relay address.
const RELAY_PARAM: &str = "agora_doctor.sim_relay";
/// Pause between connection attempts while the relay is unreachable.
const RETRY: Duration = Duration::from_millis(200);
/// Timeout of one TCP connection attempt.
const CONNECT_TIMEOUT: Duration = Duration::from_millis(500);
/// Read timeout, i.e. how often the worker looks at its stop flag.
const POLL: Duration = Duration::from_millis(20);
/// Largest PCM chunk accepted by `send` (60 ms of 48 kHz stereo).
const MAX_SAMPLES: u32 = 48 * 60 * 2;

// Agora values the double reports (`docs/native-c-api.md#connection-reasons`).
const STATE_DISCONNECTED: c_int = 1;
const STATE_CONNECTING: c_int = 2;
const STATE_CONNECTED: c_int = 3;
const STATE_FAILED: c_int = 5;
const REASON_CONNECTING: c_int = 0;
const REASON_JOIN_SUCCESS: c_int = 1;
const REASON_LEAVE_CHANNEL: c_int = 5;
const ERR_INVALID_ARGUMENT: c_int = -2;
const ERR_INVALID_STATE: c_int = -8;
const ERR_PCMSEND_FORMAT: c_int = -200;

/// Whether a channel name is one Agora accepts: 1–64 bytes from the documented character set
/// (`NGIAgoraRtcConnection.h`); `connect` returns -2 otherwise.
fn channel_name_ok(channel: &str) -> bool {
    const EXTRA: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";
    !channel.is_empty()
        && channel.len() <= 64
        && channel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || EXTRA.contains(c))
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Run an exported function's body; a panic becomes `fallback` instead of unwinding into C.
fn guard<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// Copy a C string argument; `None` for NULL or non-UTF-8.
///
/// # Safety
/// `p` is NULL or points to a NUL-terminated string valid for this call.
unsafe fn c_str(p: *const c_char) -> Option<String> {
    if p.is_null() {
        return None;
    }
    // SAFETY: non-NULL, and the caller guarantees NUL termination and validity for this call.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().ok().map(str::to_owned)
}

// ---------------------------------------------------------------------------------------------
// Service, parameters, media node factory

/// Release-order violations seen so far (process-wide): a service released while objects created
/// from it live, a track destroyed while published, a sender destroyed while its track lives. The
/// documented order (`docs/native-c-api.md#functions-and-their-order`) never produces one; tests read this through
/// `agora_sdk_double_order_violations`.
static ORDER_VIOLATIONS: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

fn violation() {
    ORDER_VIOLATIONS.fetch_add(1, Ordering::SeqCst);
}

/// Counts one live object created from a service; dropping it uncounts it.
struct Child(Arc<std::sync::atomic::AtomicI64>);

impl Child {
    fn of(count: &Arc<std::sync::atomic::AtomicI64>) -> Child {
        count.fetch_add(1, Ordering::SeqCst);
        Child(Arc::clone(count))
    }
}

impl Drop for Child {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// TEST DOUBLE only (Agora's SDK has no such function): how many release-order violations happened.
#[no_mangle]
extern "C" fn agora_sdk_double_order_violations() -> c_int {
    ORDER_VIOLATIONS.load(Ordering::SeqCst)
}

struct Service {
    children: Arc<std::sync::atomic::AtomicI64>,
    app_id: Mutex<String>,
    audio_processor: AtomicBool,
    relay: Arc<Mutex<Option<SocketAddr>>>,
    param: Parameter,
}

struct Parameter {
    relay: Arc<Mutex<Option<SocketAddr>>>,
}

struct Factory {
    children: Arc<std::sync::atomic::AtomicI64>,
    _child: Child,
}

#[no_mangle]
extern "C" fn agora_service_create() -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        let relay = Arc::new(Mutex::new(None));
        let svc = Box::new(Service {
            children: Arc::new(std::sync::atomic::AtomicI64::new(0)),
            app_id: Mutex::new(String::new()),
            audio_processor: AtomicBool::new(false),
            relay: Arc::clone(&relay),
            param: Parameter { relay },
        });
        Box::into_raw(svc).cast()
    })
}

/// Borrow a handle as `&T`.
///
/// # Safety
/// `h` is NULL or a pointer this library returned as a `T` and has not freed.
unsafe fn borrow<'a, T>(h: AgoraHandle) -> Option<&'a T> {
    // SAFETY: per the contract, a non-NULL `h` points to a live `T` created by this library.
    unsafe { h.cast::<T>().as_ref() }
}

/// Take back ownership of a handle.
///
/// # Safety
/// `h` is NULL or a `Box<T>` pointer this library returned and has not freed; it is not used again.
unsafe fn take<T>(h: AgoraHandle) -> Option<Box<T>> {
    if h.is_null() {
        return None;
    }
    // SAFETY: per the contract, `h` came from `Box::into_raw` of a `T` and is freed exactly once here.
    Some(unsafe { Box::from_raw(h.cast::<T>()) })
}

#[no_mangle]
unsafe extern "C" fn agora_service_initialize(
    svc: AgoraHandle,
    cfg: *const AgoraServiceConfig,
) -> c_int {
    guard(-1, || {
        // SAFETY: `svc` is a service handle from agora_service_create (C API contract).
        let Some(svc) = (unsafe { borrow::<Service>(svc) }) else {
            return -1;
        };
        // SAFETY: the caller passes NULL or a valid agora_service_config for the call's duration.
        let Some(cfg) = (unsafe { cfg.as_ref() }) else {
            return ERR_INVALID_ARGUMENT;
        };
        // SAFETY: `app_id` is NULL or a NUL-terminated string (agora_service_config contract).
        let app_id = unsafe { c_str(cfg.app_id) }.unwrap_or_default();
        *lock(&svc.app_id) = app_id;
        svc.audio_processor
            .store(cfg.enable_audio_processor != 0, Ordering::SeqCst);
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_service_release(svc: AgoraHandle) -> c_int {
    guard(-1, || {
        // SAFETY: `svc` is a service handle from agora_service_create, released once by the caller.
        match unsafe { take::<Service>(svc) } {
            Some(svc) => {
                if svc.children.load(Ordering::SeqCst) != 0 {
                    violation();
                }
                0
            }
            None => -1,
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_service_get_agora_parameter(svc: AgoraHandle) -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        // SAFETY: `svc` is a live service handle (C API contract).
        match unsafe { borrow::<Service>(svc) } {
            Some(s) => (&s.param as *const Parameter).cast_mut().cast(),
            None => std::ptr::null_mut(),
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_parameter_set_parameters(
    param: AgoraHandle,
    json: *const c_char,
) -> c_int {
    guard(-1, || {
        // SAFETY: `param` is a parameter handle from agora_service_get_agora_parameter whose service
        // is still alive (C API contract).
        let Some(param) = (unsafe { borrow::<Parameter>(param) }) else {
            return ERR_INVALID_ARGUMENT;
        };
        // SAFETY: `json` is NULL or a NUL-terminated string valid for this call.
        let Some(json) = (unsafe { c_str(json) }) else {
            return ERR_INVALID_ARGUMENT;
        };
        // Only the one private key is understood; a tiny scan is enough for `{"key":"value"}`.
        let Some(at) = json.find(RELAY_PARAM) else {
            return 0;
        };
        let rest = &json[at + RELAY_PARAM.len()..];
        let value: String = rest
            .trim_start_matches(['"', ':', ' '])
            .chars()
            .take_while(|c| *c != '"')
            .collect();
        match value.parse::<SocketAddr>() {
            Ok(addr) if addr.ip().is_loopback() => {
                *lock(&param.relay) = Some(addr);
                0
            }
            _ => ERR_INVALID_ARGUMENT,
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_service_create_media_node_factory(svc: AgoraHandle) -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        // SAFETY: `svc` is NULL or a live service handle.
        let Some(svc) = (unsafe { borrow::<Service>(svc) }) else {
            return std::ptr::null_mut();
        };
        let factory = Factory {
            children: Arc::clone(&svc.children),
            _child: Child::of(&svc.children),
        };
        Box::into_raw(Box::new(factory)).cast()
    })
}

#[no_mangle]
unsafe extern "C" fn agora_media_node_factory_destroy(factory: AgoraHandle) {
    guard((), || {
        // SAFETY: `factory` came from agora_service_create_media_node_factory, destroyed once.
        drop(unsafe { take::<Factory>(factory) });
    })
}

// ---------------------------------------------------------------------------------------------
// Connection and its worker thread

struct ConnShared {
    handle: AtomicUsize,
    local_user: AtomicUsize,
    cfg: RtcConnConfig,
    app_id: String,
    relay: Arc<Mutex<Option<SocketAddr>>>,
    observer: Mutex<Option<RtcConnObserver>>,
    audio_observer: Mutex<Option<AudioFrameObserver>>,
    /// (channels, sample rate) the audio observer wants.
    playback: Mutex<(u32, u32)>,
    state: Mutex<c_int>,
    stop: AtomicBool,
    stream: Mutex<Option<TcpStream>>,
    channel: Mutex<CString>,
    local_uid: Mutex<CString>,
}

struct Conn {
    _child: Child,
    shared: Arc<ConnShared>,
    local_user: Box<LocalUser>,
    worker: Mutex<Option<JoinHandle<()>>>,
}

struct LocalUser {
    conn: Arc<ConnShared>,
}

impl ConnShared {
    fn handle(&self) -> AgoraHandle {
        self.handle.load(Ordering::SeqCst) as AgoraHandle
    }

    fn set_state(&self, state: c_int) {
        *lock(&self.state) = state;
    }

    /// Call one observer slot with a `rtc_conn_info` that lives for the call.
    fn fire_info(&self, pick: fn(&RtcConnObserver) -> Option<ConnInfoReasonFn>, reason: c_int) {
        let Some(obs) = *lock(&self.observer) else {
            return;
        };
        let Some(cb) = pick(&obs) else { return };
        let channel = lock(&self.channel).clone();
        let uid = lock(&self.local_uid).clone();
        let info = RtcConnInfo {
            id: 1,
            channel_id: channel.as_ptr(),
            state: *lock(&self.state),
            local_user_id: uid.as_ptr(),
            internal_uid: uid.to_str().ok().and_then(|u| u.parse().ok()).unwrap_or(0),
        };
        // SAFETY: `cb` is the observer's function for this slot with this exact signature; `info` and
        // its strings outlive the call.
        unsafe { cb(self.handle(), &info, reason) };
    }

    fn fire_user(&self, uid: &str, left: Option<c_int>) {
        let Some(obs) = *lock(&self.observer) else {
            return;
        };
        let Ok(uid) = CString::new(uid) else { return };
        match left {
            None => {
                if let Some(cb) = obs.on_user_joined {
                    // SAFETY: slot 13's signature; `uid` lives for the call.
                    unsafe { cb(self.handle(), uid.as_ptr()) };
                }
            }
            Some(reason) => {
                if let Some(cb) = obs.on_user_left {
                    // SAFETY: slot 14's signature; `uid` lives for the call.
                    unsafe { cb(self.handle(), uid.as_ptr(), reason) };
                }
            }
        }
    }

    fn fire_connection_lost(&self) {
        let Some(obs) = *lock(&self.observer) else {
            return;
        };
        let Some(cb) = obs.on_connection_lost else {
            return;
        };
        let channel = lock(&self.channel).clone();
        let uid = lock(&self.local_uid).clone();
        let info = RtcConnInfo {
            id: 1,
            channel_id: channel.as_ptr(),
            state: *lock(&self.state),
            local_user_id: uid.as_ptr(),
            internal_uid: 0,
        };
        // SAFETY: slot 6's signature; `info` and its strings outlive the call.
        unsafe { cb(self.handle(), &info) };
    }

    fn deliver_audio(&self, uid: &str, sample_rate: u32, channels: u16, pcm: &[u8]) {
        if self.cfg.auto_subscribe_audio == 0 {
            return;
        }
        let Some(obs) = *lock(&self.audio_observer) else {
            return;
        };
        let Some(cb) = obs.on_playback_audio_frame_before_mixing else {
            return;
        };
        let (want_ch, want_rate) = *lock(&self.playback);
        let input: Vec<i16> = pcm
            .chunks_exact(2)
            .map(|b| i16::from_le_bytes([b[0], b[1]]))
            .collect();
        let mut samples = convert(
            &input,
            u32::from(channels.max(1)),
            sample_rate,
            want_ch,
            want_rate,
        );
        let want_ch = want_ch.max(1);
        let per_channel = samples.len() / want_ch as usize;
        let frame = AudioFrame {
            frame_type: 0,
            samples_per_channel: per_channel as c_int,
            bytes_per_sample: 2,
            channels: want_ch as c_int,
            samples_per_sec: want_rate as c_int,
            buffer: samples.as_mut_ptr().cast(),
            render_time_ms: 0,
            avsync_type: 0,
        };
        let channel = lock(&self.channel).clone();
        let Ok(uid) = CString::new(uid) else { return };
        let local_user = self.local_user.load(Ordering::SeqCst) as AgoraHandle;
        // SAFETY: the audio observer's before-mixing slot with its exact signature; the frame, its
        // buffer and both strings live for the call.
        unsafe { cb(local_user, channel.as_ptr(), uid.as_ptr(), &frame) };
    }
}

/// Convert interleaved PCM to the observer's channel count and rate (nearest-sample resampling; the
/// double only needs to keep a tone's frequency, not studio quality).
fn convert(input: &[i16], in_ch: u32, in_rate: u32, out_ch: u32, out_rate: u32) -> Vec<i16> {
    let in_ch = in_ch.max(1) as usize;
    let out_ch = out_ch.max(1) as usize;
    let frames_in = input.len() / in_ch;
    let mono: Vec<i16> = (0..frames_in)
        .map(|i| {
            let sum: i32 = input[i * in_ch..(i + 1) * in_ch]
                .iter()
                .map(|&s| i32::from(s))
                .sum();
            (sum / in_ch as i32) as i16
        })
        .collect();
    let frames_out = if in_rate == 0 || out_rate == 0 {
        frames_in
    } else {
        (frames_in as u64 * u64::from(out_rate) / u64::from(in_rate)) as usize
    };
    let mut out = Vec::with_capacity(frames_out * out_ch);
    for j in 0..frames_out {
        let src = if frames_out == frames_in {
            j
        } else {
            (j as u64 * u64::from(in_rate) / u64::from(out_rate.max(1))) as usize
        };
        let s = mono.get(src).copied().unwrap_or(0);
        out.extend(std::iter::repeat_n(s, out_ch));
    }
    out
}

fn sleep_unless_stopped(shared: &ConnShared, total: Duration) -> bool {
    let mut waited = Duration::ZERO;
    while waited < total {
        if shared.stop.load(Ordering::SeqCst) {
            return false;
        }
        std::thread::sleep(POLL);
        waited += POLL;
    }
    !shared.stop.load(Ordering::SeqCst)
}

/// The worker: connect (retrying), join, then relay events until stopped.
fn run_connection(shared: Arc<ConnShared>, token: String, channel: String, uid: String) {
    shared.set_state(STATE_CONNECTING);
    shared.fire_info(|o| o.on_connecting, REASON_CONNECTING);
    let mut stream = loop {
        if shared.stop.load(Ordering::SeqCst) {
            return finish_left(&shared, None);
        }
        let addr = *lock(&shared.relay);
        if let Some(addr) = addr {
            if let Ok(s) = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
                break s;
            }
        }
        if !sleep_unless_stopped(&shared, RETRY) {
            return finish_left(&shared, None);
        }
    };
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_nodelay(true);
    if let Ok(clone) = stream.try_clone() {
        *lock(&shared.stream) = Some(clone);
    }
    let join = Message::Join {
        app_id: shared.app_id.clone(),
        token,
        channel,
        uid,
    };
    if join.write_to(&mut stream).is_err() {
        shared.fire_connection_lost();
        return finish_left(&shared, None);
    }
    let mut joined = false;
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return finish_left(&shared, Some(&mut stream));
        }
        let msg = match Message::read_from(&mut stream) {
            Ok(m) => m,
            Err(e) if is_timeout(&e) => continue,
            Err(_) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return finish_left(&shared, None);
                }
                shared.fire_connection_lost();
                // The double does not reconnect: it stays lost until the app disconnects.
                while sleep_unless_stopped(&shared, RETRY) {}
                return finish_left(&shared, None);
            }
        };
        match msg {
            Message::Refused { reason } if !joined => {
                shared.set_state(STATE_FAILED);
                shared.fire_info(|o| o.on_connection_failure, reason);
                *lock(&shared.stream) = None;
                return;
            }
            Message::Joined { uid } if !joined => {
                joined = true;
                if let Ok(uid) = CString::new(uid) {
                    *lock(&shared.local_uid) = uid;
                }
                shared.set_state(STATE_CONNECTED);
                shared.fire_info(|o| o.on_connected, REASON_JOIN_SUCCESS);
            }
            Message::UserJoined { uid } => shared.fire_user(&uid, None),
            Message::UserLeft { uid, reason } => shared.fire_user(&uid, Some(reason)),
            Message::Audio {
                uid,
                sample_rate,
                channels,
                pcm,
            } => shared.deliver_audio(&uid, sample_rate, channels, &pcm),
            _ => {}
        }
    }
}

/// Leave: say goodbye to the relay if connected, then report DISCONNECTED with LEAVE_CHANNEL.
fn finish_left(shared: &ConnShared, stream: Option<&mut TcpStream>) {
    if let Some(stream) = stream {
        let _ = Message::Leave.write_to(stream);
        let _ = stream.shutdown(Shutdown::Both);
    }
    *lock(&shared.stream) = None;
    shared.set_state(STATE_DISCONNECTED);
    shared.fire_info(|o| o.on_disconnected, REASON_LEAVE_CHANNEL);
}

impl Conn {
    /// Stop the worker (if any) and wait for it, so no callback runs after this returns.
    fn stop_worker(&self) {
        let worker = lock(&self.worker).take();
        if let Some(worker) = worker {
            self.shared.stop.store(true, Ordering::SeqCst);
            let _ = worker.join();
            self.shared.stop.store(false, Ordering::SeqCst);
        }
    }
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_create(
    svc: AgoraHandle,
    cfg: *const RtcConnConfig,
) -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        // SAFETY: `svc` is NULL or a live service handle.
        let Some(svc) = (unsafe { borrow::<Service>(svc) }) else {
            return std::ptr::null_mut();
        };
        // SAFETY: `cfg` is NULL or a valid rtc_conn_config for this call; it is copied.
        let cfg = unsafe { cfg.as_ref() }.copied().unwrap_or_default();
        let shared = Arc::new(ConnShared {
            handle: AtomicUsize::new(0),
            local_user: AtomicUsize::new(0),
            cfg,
            app_id: lock(&svc.app_id).clone(),
            relay: Arc::clone(&svc.relay),
            observer: Mutex::new(None),
            audio_observer: Mutex::new(None),
            playback: Mutex::new((1, 16_000)),
            state: Mutex::new(STATE_DISCONNECTED),
            stop: AtomicBool::new(false),
            stream: Mutex::new(None),
            channel: Mutex::new(CString::default()),
            local_uid: Mutex::new(CString::default()),
        });
        let local_user = Box::new(LocalUser {
            conn: Arc::clone(&shared),
        });
        let lu_ptr = &*local_user as *const LocalUser as usize;
        let conn = Box::into_raw(Box::new(Conn {
            shared: Arc::clone(&shared),
            local_user,
            worker: Mutex::new(None),
            _child: Child::of(&svc.children),
        }));
        shared.handle.store(conn as usize, Ordering::SeqCst);
        shared.local_user.store(lu_ptr, Ordering::SeqCst);
        conn.cast()
    })
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_destroy(conn: AgoraHandle) {
    guard((), || {
        // SAFETY: `conn` came from agora_rtc_conn_create and is destroyed once by the caller.
        if let Some(conn) = unsafe { take::<Conn>(conn) } {
            conn.stop_worker();
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_register_observer(
    conn: AgoraHandle,
    obs: *mut RtcConnObserver,
) -> c_int {
    guard(-1, || {
        // SAFETY: `conn` is NULL or a live connection handle.
        let Some(conn) = (unsafe { borrow::<Conn>(conn) }) else {
            return -1;
        };
        // SAFETY: `obs` is NULL or a valid rtc_conn_observer for this call; it is copied by value.
        let Some(obs) = (unsafe { obs.as_ref() }).copied() else {
            return -1;
        };
        *lock(&conn.shared.observer) = Some(obs);
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_unregister_observer(conn: AgoraHandle) -> c_int {
    guard(-1, || {
        // SAFETY: `conn` is NULL or a live connection handle.
        let Some(conn) = (unsafe { borrow::<Conn>(conn) }) else {
            return -1;
        };
        *lock(&conn.shared.observer) = None;
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_connect(
    conn: AgoraHandle,
    token: *const c_char,
    channel: *const c_char,
    uid: UserId,
) -> c_int {
    guard(-1, || {
        // SAFETY: `conn` is NULL or a live connection handle.
        let Some(conn) = (unsafe { borrow::<Conn>(conn) }) else {
            return -1;
        };
        // SAFETY: each string argument is NULL or NUL-terminated and valid for this call.
        let (token, channel, uid) = unsafe { (c_str(token), c_str(channel), c_str(uid)) };
        let Some(channel) = channel.filter(|c| channel_name_ok(c)) else {
            return ERR_INVALID_ARGUMENT;
        };
        let Some(uid) = uid.filter(|u| u.parse::<u32>().is_ok()) else {
            return ERR_INVALID_ARGUMENT;
        };
        if *lock(&conn.shared.state) != STATE_DISCONNECTED {
            return ERR_INVALID_STATE;
        }
        conn.stop_worker();
        let (Ok(c_channel), Ok(c_uid)) = (CString::new(channel.clone()), CString::new(uid.clone()))
        else {
            return ERR_INVALID_ARGUMENT;
        };
        *lock(&conn.shared.channel) = c_channel;
        *lock(&conn.shared.local_uid) = c_uid;
        conn.shared.set_state(STATE_CONNECTING);
        let shared = Arc::clone(&conn.shared);
        let token = token.unwrap_or_default();
        let spawned = std::thread::Builder::new()
            .name("sdk-double-conn".into())
            .spawn(move || run_connection(shared, token, channel, uid));
        match spawned {
            Ok(h) => {
                *lock(&conn.worker) = Some(h);
                0
            }
            Err(_) => {
                conn.shared.set_state(STATE_DISCONNECTED);
                -1
            }
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_disconnect(conn: AgoraHandle) -> c_int {
    guard(-1, || {
        // SAFETY: `conn` is NULL or a live connection handle.
        let Some(conn) = (unsafe { borrow::<Conn>(conn) }) else {
            return -1;
        };
        if let Some(s) = lock(&conn.shared.stream).as_ref() {
            // Say goodbye before tearing down, then unblock the worker's read.
            let _ = s.try_clone().and_then(|mut w| {
                w.write_all(&Message::Leave.encode())?;
                w.flush()
            });
        }
        conn.stop_worker();
        conn.shared.set_state(STATE_DISCONNECTED);
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_rtc_conn_get_local_user(conn: AgoraHandle) -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        // SAFETY: `conn` is NULL or a live connection handle.
        match unsafe { borrow::<Conn>(conn) } {
            Some(c) => (&*c.local_user as *const LocalUser).cast_mut().cast(),
            None => std::ptr::null_mut(),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Local user: audio frame observer, publish

#[no_mangle]
unsafe extern "C" fn agora_local_user_set_playback_audio_frame_before_mixing_parameters(
    lu: AgoraHandle,
    channels: u32,
    sample_rate: u32,
) -> c_int {
    guard(-1, || {
        // SAFETY: `lu` is NULL or a local-user handle of a live connection.
        let Some(lu) = (unsafe { borrow::<LocalUser>(lu) }) else {
            return -1;
        };
        if !(1..=2).contains(&channels) || !(8_000..=48_000).contains(&sample_rate) {
            return ERR_INVALID_ARGUMENT;
        }
        *lock(&lu.conn.playback) = (channels, sample_rate);
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_local_user_register_audio_frame_observer(
    lu: AgoraHandle,
    obs: *mut AudioFrameObserver,
) -> c_int {
    guard(-1, || {
        // SAFETY: `lu` is NULL or a local-user handle of a live connection.
        let Some(lu) = (unsafe { borrow::<LocalUser>(lu) }) else {
            return -1;
        };
        // SAFETY: `obs` is NULL or a valid audio_frame_observer for this call; copied by value.
        let Some(obs) = (unsafe { obs.as_ref() }).copied() else {
            return -1;
        };
        *lock(&lu.conn.audio_observer) = Some(obs);
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_local_user_unregister_audio_frame_observer(lu: AgoraHandle) -> c_int {
    guard(-1, || {
        // SAFETY: `lu` is NULL or a local-user handle of a live connection.
        let Some(lu) = (unsafe { borrow::<LocalUser>(lu) }) else {
            return -1;
        };
        *lock(&lu.conn.audio_observer) = None;
        0
    })
}

type Route = Arc<Mutex<Option<Arc<ConnShared>>>>;

struct Sender {
    _child: Child,
    route: Route,
    enabled: Arc<AtomicBool>,
}

struct Track {
    _child: Child,
    route: Route,
    enabled: Arc<AtomicBool>,
}

#[no_mangle]
unsafe extern "C" fn agora_local_user_publish_audio(lu: AgoraHandle, track: AgoraHandle) -> c_int {
    guard(-1, || {
        // SAFETY: both are NULL or live handles of this library (C API contract).
        let (Some(lu), Some(track)) =
            (unsafe { (borrow::<LocalUser>(lu), borrow::<Track>(track)) })
        else {
            return -1;
        };
        *lock(&track.route) = Some(Arc::clone(&lu.conn));
        0
    })
}

#[no_mangle]
unsafe extern "C" fn agora_local_user_unpublish_audio(
    lu: AgoraHandle,
    track: AgoraHandle,
) -> c_int {
    guard(-1, || {
        // SAFETY: both are NULL or live handles of this library (C API contract).
        let (Some(_), Some(track)) = (unsafe { (borrow::<LocalUser>(lu), borrow::<Track>(track)) })
        else {
            return -1;
        };
        *lock(&track.route) = None;
        0
    })
}

// ---------------------------------------------------------------------------------------------
// PCM sender and custom audio track

#[no_mangle]
unsafe extern "C" fn agora_media_node_factory_create_audio_pcm_data_sender(
    factory: AgoraHandle,
) -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        // SAFETY: `factory` is NULL or a live factory handle.
        let Some(factory) = (unsafe { borrow::<Factory>(factory) }) else {
            return std::ptr::null_mut();
        };
        let sender = Sender {
            _child: Child::of(&factory.children),
            route: Arc::new(Mutex::new(None)),
            enabled: Arc::new(AtomicBool::new(false)),
        };
        Box::into_raw(Box::new(sender)).cast()
    })
}

#[no_mangle]
unsafe extern "C" fn agora_audio_pcm_data_sender_destroy(sender: AgoraHandle) {
    guard((), || {
        // SAFETY: `sender` came from ..._create_audio_pcm_data_sender and is destroyed once.
        if let Some(sender) = unsafe { take::<Sender>(sender) } {
            // A track still holding this sender's route means the track outlives its sender.
            if Arc::strong_count(&sender.route) > 1 {
                violation();
            }
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_service_create_custom_audio_track_pcm(
    svc: AgoraHandle,
    sender: AgoraHandle,
) -> AgoraHandle {
    guard(std::ptr::null_mut(), || {
        // SAFETY: both are NULL or live handles of this library.
        let (Some(svc), Some(sender)) =
            (unsafe { (borrow::<Service>(svc), borrow::<Sender>(sender)) })
        else {
            return std::ptr::null_mut();
        };
        // Like the real SDK: custom audio tracks need the audio processor.
        if !svc.audio_processor.load(Ordering::SeqCst) {
            return std::ptr::null_mut();
        }
        let track = Track {
            _child: Child::of(&svc.children),
            route: Arc::clone(&sender.route),
            enabled: Arc::clone(&sender.enabled),
        };
        Box::into_raw(Box::new(track)).cast()
    })
}

#[no_mangle]
unsafe extern "C" fn agora_local_audio_track_set_enabled(track: AgoraHandle, enable: c_int) {
    guard((), || {
        // SAFETY: `track` is NULL or a live track handle.
        if let Some(track) = unsafe { borrow::<Track>(track) } {
            track.enabled.store(enable != 0, Ordering::SeqCst);
        }
    })
}

#[no_mangle]
unsafe extern "C" fn agora_local_audio_track_destroy(track: AgoraHandle) {
    guard((), || {
        // SAFETY: `track` came from agora_service_create_custom_audio_track_pcm, destroyed once.
        if let Some(track) = unsafe { take::<Track>(track) } {
            // Destroying a published track skips the documented unpublish.
            if lock(&track.route).take().is_some() {
                violation();
            }
        }
    })
}

#[no_mangle]
#[allow(clippy::too_many_arguments)]
unsafe extern "C" fn agora_audio_pcm_data_sender_send(
    sender: AgoraHandle,
    data: *const c_void,
    _capture_timestamp: u32,
    _present_time_ms: i64,
    samples_per_channel: u32,
    bytes_per_sample: u32,
    number_of_channels: u32,
    sample_rate: u32,
) -> c_int {
    guard(-1, || {
        // SAFETY: `sender` is NULL or a live sender handle.
        let Some(sender) = (unsafe { borrow::<Sender>(sender) }) else {
            return -1;
        };
        if data.is_null() {
            return ERR_INVALID_ARGUMENT;
        }
        if bytes_per_sample != 2 || !(1..=2).contains(&number_of_channels) {
            return ERR_PCMSEND_FORMAT;
        }
        let samples = samples_per_channel.saturating_mul(number_of_channels);
        if samples == 0 || samples > MAX_SAMPLES || !(8_000..=48_000).contains(&sample_rate) {
            return ERR_PCMSEND_FORMAT;
        }
        let len = samples as usize * 2;
        // SAFETY: the caller passes `samples_per_channel * number_of_channels` 16-bit samples at
        // `data` (the C API contract), i.e. `len` readable bytes.
        let pcm = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), len) }.to_vec();
        if !sender.enabled.load(Ordering::SeqCst) {
            return 0;
        }
        let route = lock(&sender.route).clone();
        let Some(conn) = route else { return 0 };
        if *lock(&conn.state) != STATE_CONNECTED {
            return 0;
        }
        let frame = Message::Audio {
            uid: String::new(),
            sample_rate,
            channels: number_of_channels as u16,
            pcm,
        }
        .encode();
        if let Some(s) = lock(&conn.stream).as_mut() {
            let _ = s.write_all(&frame);
        }
        0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releasing_out_of_the_documented_order_is_counted() {
        let before = agora_sdk_double_order_violations();
        let svc = agora_service_create();
        let cfg = RtcConnConfig::default();
        // SAFETY: handles come from this library and are used in a single thread.
        unsafe {
            let conn = agora_rtc_conn_create(svc, &cfg);
            assert!(!conn.is_null());
            // The service goes first while its connection lives: a violation.
            agora_service_release(svc);
            assert_eq!(agora_sdk_double_order_violations(), before + 1);
            agora_rtc_conn_destroy(conn);
        }
        // In order: no new violation.
        let svc = agora_service_create();
        // SAFETY: as above.
        unsafe {
            let conn = agora_rtc_conn_create(svc, &cfg);
            agora_rtc_conn_destroy(conn);
            agora_service_release(svc);
        }
        assert_eq!(agora_sdk_double_order_violations(), before + 1);
    }

    #[test]
    fn conversion_keeps_length_and_downmixes() {
        let stereo = [100i16, 300, -100, -300];
        assert_eq!(convert(&stereo, 2, 16_000, 1, 16_000), vec![200, -200]);
        let mono: Vec<i16> = (0..160).collect();
        assert_eq!(convert(&mono, 1, 16_000, 1, 48_000).len(), 480);
        assert_eq!(convert(&mono, 1, 16_000, 2, 8_000).len(), 160);
    }
}
