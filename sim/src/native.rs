//! The simulated relay the SDK double talks to: a TEST DOUBLE of Agora's edge for native connections.
//!
//! It listens on loopback TCP, admits a join the way Agora does (App ID, channel name, then the token
//! checked with `agora-token-core` against this relay's app certificate when secure mode is on) and
//! answers with Agora's `CONNECTION_CHANGED_REASON_TYPE` values (6 invalid App ID, 7 invalid channel
//! name, 8 invalid token, 9 token expired). Audio frames from one connection are relayed to every other
//! connection in the same channel. Nothing it starts outlives the [`NativeRelay`] value.

use std::collections::HashMap;
use std::io;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::native_wire::{is_timeout, Message};

/// How often blocked threads look at the stop flag (accept polling and read timeouts).
const POLL: Duration = Duration::from_millis(50);
/// A client that has not sent its join within this long is dropped.
const JOIN_WAIT: Duration = Duration::from_secs(10);
/// Writes to a slow client give up after this long (the client is then dropped).
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// First uid handed out when a client joins as `0` (server-assigned uid).
const FIRST_ASSIGNED_UID: u32 = 10_000;

/// Agora `CONNECTION_CHANGED_REASON_TYPE` values the relay answers with (`docs/native-c-api.md#connection-reasons`).
pub mod reason {
    /// App ID not valid.
    pub const INVALID_APP_ID: i32 = 6;
    /// Channel name not valid.
    pub const INVALID_CHANNEL_NAME: i32 = 7;
    /// Token not valid (certificate on but no token, or uid/channel/app mismatch, bad signature).
    pub const INVALID_TOKEN: i32 = 8;
    /// Token expired.
    pub const TOKEN_EXPIRED: i32 = 9;
}

/// A fault the relay injects, for tests of the failure paths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RelayFault {
    /// Behave.
    #[default]
    None,
    /// Accept TCP connections but never answer (an edge that hangs).
    Stall,
}

/// What the relay admits.
#[derive(Clone)]
pub struct RelayConfig {
    /// The one App ID this simulated project has (32 hex characters).
    pub app_id: String,
    /// The project's app certificate; `Some` = secure mode (a valid token is required).
    pub certificate: Option<String>,
    /// Fault to inject.
    pub fault: RelayFault,
}

impl std::fmt::Debug for RelayConfig {
    // The certificate is a secret: never printed, not even in debug output.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RelayConfig")
            .field("app_id", &self.app_id)
            .field("secure", &self.certificate.is_some())
            .field("fault", &self.fault)
            .finish()
    }
}

struct Member {
    id: u64,
    uid: String,
    out: Arc<Mutex<TcpStream>>,
}

struct Shared {
    cfg: RelayConfig,
    stop: AtomicBool,
    channels: Mutex<HashMap<String, Vec<Member>>>,
    /// Every accepted stream, so shutdown can unblock its reader.
    streams: Mutex<Vec<TcpStream>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    next_uid: AtomicU32,
    next_id: AtomicU64,
    joins: AtomicU64,
    refusals: AtomicU64,
    frames: AtomicU64,
}

/// A running relay on `127.0.0.1`; stops and joins all its threads on drop.
pub struct NativeRelay {
    addr: SocketAddr,
    shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl NativeRelay {
    /// Start a relay on an ephemeral loopback port.
    pub fn start(cfg: RelayConfig) -> io::Result<NativeRelay> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            cfg,
            stop: AtomicBool::new(false),
            channels: Mutex::new(HashMap::new()),
            streams: Mutex::new(Vec::new()),
            workers: Mutex::new(Vec::new()),
            next_uid: AtomicU32::new(FIRST_ASSIGNED_UID),
            next_id: AtomicU64::new(1),
            joins: AtomicU64::new(0),
            refusals: AtomicU64::new(0),
            frames: AtomicU64::new(0),
        });
        let accept_shared = Arc::clone(&shared);
        let accept = std::thread::Builder::new()
            .name("sim-native-accept".into())
            .spawn(move || accept_loop(listener, accept_shared))?;
        Ok(NativeRelay {
            addr,
            shared,
            accept: Some(accept),
        })
    }

    /// Where the relay listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// How many joins were admitted so far.
    pub fn joins(&self) -> u64 {
        self.shared.joins.load(Ordering::Relaxed)
    }

    /// How many joins were refused so far.
    pub fn refusals(&self) -> u64 {
        self.shared.refusals.load(Ordering::Relaxed)
    }

    /// How many audio frames were forwarded to another connection so far.
    pub fn frames_relayed(&self) -> u64 {
        self.shared.frames.load(Ordering::Relaxed)
    }
}

impl Drop for NativeRelay {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        for s in lock(&self.shared.streams).iter() {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
        if let Some(h) = self.accept.take() {
            let _ = h.join();
        }
        let workers: Vec<_> = lock(&self.shared.workers).drain(..).collect();
        for h in workers {
            let _ = h.join();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A worker that panicked must not take the relay down with it.
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Ok(clone) = stream.try_clone() {
                    lock(&shared.streams).push(clone);
                }
                let worker_shared = Arc::clone(&shared);
                let spawned = std::thread::Builder::new()
                    .name("sim-native-conn".into())
                    .spawn(move || serve(stream, worker_shared));
                if let Ok(h) = spawned {
                    lock(&shared.workers).push(h);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => std::thread::sleep(POLL),
            Err(_) => std::thread::sleep(POLL),
        }
    }
}

/// Read one message, polling the stop flag; `Ok(None)` = stopped or waited past `limit`.
fn read_polling(
    stream: &mut TcpStream,
    shared: &Shared,
    limit: Option<Duration>,
) -> io::Result<Option<Message>> {
    let started = std::time::Instant::now();
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return Ok(None);
        }
        match Message::read_from(stream) {
            Ok(m) => return Ok(Some(m)),
            Err(e) if is_timeout(&e) => {
                if limit.is_some_and(|l| started.elapsed() > l) {
                    return Ok(None);
                }
            }
            Err(e) => return Err(e),
        }
    }
}

fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(POLL));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    if shared.cfg.fault == RelayFault::Stall {
        // Hold the connection open and say nothing until the relay stops.
        while !shared.stop.load(Ordering::SeqCst) {
            std::thread::sleep(POLL);
        }
        return;
    }
    let Ok(Some(Message::Join {
        app_id,
        token,
        channel,
        uid,
    })) = read_polling(&mut stream, &shared, Some(JOIN_WAIT))
    else {
        return;
    };
    let now = agora_clock::unix();
    if let Err(reason) = admit(&shared.cfg, &app_id, &token, &channel, &uid, now) {
        shared.refusals.fetch_add(1, Ordering::Relaxed);
        let _ = Message::Refused { reason }.write_to(&mut stream);
        return;
    }
    let uid = if uid == "0" {
        shared.next_uid.fetch_add(1, Ordering::Relaxed).to_string()
    } else {
        uid
    };
    let Ok(out) = stream.try_clone() else { return };
    let out = Arc::new(Mutex::new(out));
    if (Message::Joined { uid: uid.clone() })
        .write_to(&mut *lock(&out))
        .is_err()
    {
        return;
    }
    shared.joins.fetch_add(1, Ordering::Relaxed);
    let id = shared.next_id.fetch_add(1, Ordering::Relaxed);
    {
        let mut channels = lock(&shared.channels);
        let members = channels.entry(channel.clone()).or_default();
        for m in members.iter() {
            let _ = Message::UserJoined { uid: uid.clone() }.write_to(&mut *lock(&m.out));
            let _ = Message::UserJoined { uid: m.uid.clone() }.write_to(&mut *lock(&out));
        }
        members.push(Member {
            id,
            uid: uid.clone(),
            out: Arc::clone(&out),
        });
    }
    let mut left_reason = 1; // dropped, unless the client says goodbye
    loop {
        match read_polling(&mut stream, &shared, None) {
            Ok(Some(Message::Audio {
                sample_rate,
                channels: n,
                pcm,
                ..
            })) => {
                let fwd = Message::Audio {
                    uid: uid.clone(),
                    sample_rate,
                    channels: n,
                    pcm,
                }
                .encode();
                let channels = lock(&shared.channels);
                for m in channels.get(&channel).into_iter().flatten() {
                    if m.id != id {
                        use std::io::Write;
                        let mut w = lock(&m.out);
                        if w.write_all(&fwd).is_ok() {
                            shared.frames.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
            }
            Ok(Some(Message::Leave)) => {
                left_reason = 0;
                break;
            }
            Ok(Some(_)) => {}
            Ok(None) | Err(_) => break,
        }
    }
    let mut channels = lock(&shared.channels);
    if let Some(members) = channels.get_mut(&channel) {
        members.retain(|m| m.id != id);
        for m in members.iter() {
            let _ = Message::UserLeft {
                uid: uid.clone(),
                reason: left_reason,
            }
            .write_to(&mut *lock(&m.out));
        }
        if members.is_empty() {
            channels.remove(&channel);
        }
    }
}

/// Whether a channel name is one Agora accepts: 1–64 bytes from the documented character set.
pub fn channel_name_ok(channel: &str) -> bool {
    const EXTRA: &str = " !#$%&()+-:;<=.>?@[]^_{}|~,";
    !channel.is_empty()
        && channel.len() <= 64
        && channel
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || EXTRA.contains(c))
}

/// Admit or refuse one join, returning the Agora reason on refusal. Pure: `now` is passed in.
pub fn admit(
    cfg: &RelayConfig,
    app_id: &str,
    token: &str,
    channel: &str,
    uid: &str,
    now: u64,
) -> Result<(), i32> {
    let app_id_ok = app_id.len() == 32 && app_id.chars().all(|c| c.is_ascii_hexdigit());
    if !app_id_ok || !app_id.eq_ignore_ascii_case(&cfg.app_id) {
        return Err(reason::INVALID_APP_ID);
    }
    if !channel_name_ok(channel) {
        return Err(reason::INVALID_CHANNEL_NAME);
    }
    let Some(cert) = cfg.certificate.as_deref() else {
        // Testing mode (no certificate): Agora takes the App ID as a static key.
        return Ok(());
    };
    if token.is_empty() || token == app_id {
        // Secure mode with no token (or the App ID as a static key): "dynamic use static key".
        return Err(reason::INVALID_TOKEN);
    }
    check_token(token, cert, app_id, channel, uid, now)
}

/// The token check Agora's edge makes, done with the real algorithm (`agora-token-core`): every
/// failing finding refuses the join; an expired token or privilege is reason 9, anything else 8.
fn check_token(
    token: &str,
    cert: &str,
    app_id: &str,
    channel: &str,
    uid: &str,
    now: u64,
) -> Result<(), i32> {
    use agora_token_core::{check, keys, Expectation, User};
    let Ok(uid) = uid.parse::<u64>() else {
        return Err(reason::INVALID_TOKEN);
    };
    let expectation = Expectation {
        channel: Some(channel.to_string()),
        user: Some(User::Uid(uid)),
        app_id: Some(app_id.to_string()),
        role: None,
        certificate: Some(cert.to_string()),
    };
    let failing: Vec<_> = check(token, &expectation, now)
        .findings
        .into_iter()
        .filter(|f| f.status.fails(false))
        .collect();
    if failing.is_empty() {
        Ok(())
    } else if failing
        .iter()
        .all(|f| f.key == keys::EXPIRED || f.key == keys::PRIVILEGE_EXPIRED)
    {
        Err(reason::TOKEN_EXPIRED)
    } else {
        Err(reason::INVALID_TOKEN)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use agora_token_core::{rtc_007, uid_text, Role};

    const APP: &str = "970CA35de60c44645bbae8a215061b33";
    const CERT: &str = "5CFd2fd1755d40ecb72977518be15d3b";
    const NOW: u64 = 1_800_000_000;

    fn cfg(secure: bool) -> RelayConfig {
        RelayConfig {
            app_id: APP.into(),
            certificate: secure.then(|| CERT.into()),
            fault: RelayFault::None,
        }
    }

    fn token(channel: &str, uid: u32, issued: u64, expire: u32) -> String {
        rtc_007(
            APP,
            CERT,
            channel,
            &uid_text(uid),
            Role::Publisher,
            issued as u32,
            expire,
            expire,
            1,
        )
        .unwrap()
    }

    #[test]
    fn admission_gives_agoras_reasons() {
        let good = token("demo", 42, NOW - 10, 3600);
        assert_eq!(admit(&cfg(true), APP, &good, "demo", "42", NOW), Ok(()));
        assert_eq!(admit(&cfg(true), APP, &good, "other", "42", NOW), Err(8));
        assert_eq!(admit(&cfg(true), APP, &good, "demo", "43", NOW), Err(8));
        let expired = token("demo", 42, NOW - 7200, 3600);
        assert_eq!(admit(&cfg(true), APP, &expired, "demo", "42", NOW), Err(9));
        assert_eq!(admit(&cfg(true), APP, "", "demo", "42", NOW), Err(8));
        assert_eq!(admit(&cfg(true), APP, APP, "demo", "42", NOW), Err(8));
        let other_app = "0123456789abcdef0123456789abcdef";
        assert_eq!(
            admit(&cfg(true), other_app, &good, "demo", "42", NOW),
            Err(6)
        );
        assert_eq!(
            admit(&cfg(true), "not-an-app-id", &good, "demo", "42", NOW),
            Err(6)
        );
        assert_eq!(admit(&cfg(true), APP, &good, "bad/name", "42", NOW), Err(7));
        // Testing mode (no certificate): NULL token and the App ID as a static key are fine.
        assert_eq!(admit(&cfg(false), APP, "", "demo", "42", NOW), Ok(()));
        // A wildcard-uid token admits any uid.
        let wildcard = token("demo", 0, NOW - 10, 3600);
        assert_eq!(admit(&cfg(true), APP, &wildcard, "demo", "7", NOW), Ok(()));
    }

    #[test]
    fn the_certificate_never_shows_in_debug_output() {
        let shown = format!("{:?}", cfg(true));
        assert!(!shown.contains(CERT));
        assert!(shown.contains("secure: true"));
    }
}
