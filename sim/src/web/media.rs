//! The simulated gateway's media end for Web SDK 4.3.0's `publish` (a TEST DOUBLE): answers the SDK's
//! SDP offer with str0m (ICE-lite, DTLS, SRTP) on a loopback UDP port and counts the audio that
//! arrives. It receives and drops media; it forwards nothing to other users.
//!
//! Why a real WebRTC stack: 4.3.0's `publish()` resolves only once its RTCPeerConnection reports ICE
//! `connected` (bundle: `await this.icePromise` after `setAnswerSDP`), and a failed DTLS handshake
//! closes the connection again, so anything less than ICE + DTLS would be a fake.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use str0m::change::SdpOffer;
use str0m::media::MediaKind;
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// Largest datagram we accept (WebRTC keeps packets under the path MTU, ~1200 bytes).
const DATAGRAM_MAX: usize = 2000;

/// What one publication's media end has seen so far.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    connected: AtomicBool,
    audio_packets: AtomicU64,
    audio_bytes: AtomicU64,
}

/// A snapshot of what the simulated edge received from one published track.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MediaReceived {
    /// ICE and DTLS completed with the browser.
    pub connected: bool,
    /// Audio frames decrypted (SRTP) and depacketized.
    pub audio_packets: u64,
    /// Their payload bytes.
    pub audio_bytes: u64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> MediaReceived {
        MediaReceived {
            connected: self.connected.load(Ordering::Relaxed),
            audio_packets: self.audio_packets.load(Ordering::Relaxed),
            audio_bytes: self.audio_bytes.load(Ordering::Relaxed),
        }
    }
}

/// One answered offer: a task driving str0m on its own UDP port. Dropping it stops the task.
pub(crate) struct Publication {
    task: JoinHandle<()>,
    pub(crate) counters: Arc<Counters>,
}

impl Drop for Publication {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn crypto() -> Arc<str0m::crypto::CryptoProvider> {
    static PROVIDER: OnceLock<Arc<str0m::crypto::CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(str0m::crypto::from_feature_flags()))
        .clone()
}

/// Answer `offer` (the SDP text the SDK sent) from a fresh loopback UDP port; returns the answer SDP
/// and the running publication. Stops when `shutdown` flips or the publication is dropped.
pub(crate) async fn answer(
    offer: &str,
    mut shutdown: watch::Receiver<bool>,
) -> Result<(String, Publication), String> {
    let offer = SdpOffer::from_sdp_string(offer).map_err(|e| format!("bad SDP offer: {e}"))?;
    let socket = UdpSocket::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("no loopback UDP port: {e}"))?;
    let local = socket.local_addr().map_err(|e| e.to_string())?;
    // ICE-lite: the browser (controlling) checks the one host candidate; we only answer its checks.
    let mut rtc = RtcConfig::new()
        .set_crypto_provider(crypto())
        .set_ice_lite(true)
        .build(Instant::now());
    let candidate = Candidate::host(local, "udp").map_err(|e| e.to_string())?;
    rtc.add_local_candidate(candidate);
    let answer = rtc
        .sdp_api()
        .accept_offer(offer)
        .map_err(|e| format!("offer refused: {e}"))?;
    let counters = Arc::new(Counters::default());
    let seen = counters.clone();
    let task = tokio::spawn(async move {
        tokio::select! {
            _ = drive(rtc, socket, local, &seen) => {}
            _ = shutdown.changed() => {}
        }
    });
    Ok((answer.to_sdp_string(), Publication { task, counters }))
}

/// The sans-IO loop: feed datagrams and timeouts to str0m, send what it asks, count audio.
async fn drive(mut rtc: Rtc, socket: UdpSocket, local: SocketAddr, seen: &Counters) {
    let mut buf = vec![0u8; DATAGRAM_MAX];
    loop {
        let deadline = loop {
            match rtc.poll_output() {
                Ok(Output::Timeout(at)) => break at,
                Ok(Output::Transmit(t)) => {
                    let _ = socket.send_to(&t.contents, t.destination).await;
                }
                Ok(Output::Event(event)) => match event {
                    Event::Connected => seen.connected.store(true, Ordering::Relaxed),
                    Event::IceConnectionStateChange(IceConnectionState::Disconnected) => return,
                    Event::MediaData(data) => {
                        let audio = rtc
                            .media(data.mid)
                            .is_some_and(|m| m.kind() == MediaKind::Audio);
                        if audio {
                            seen.audio_packets.fetch_add(1, Ordering::Relaxed);
                            seen.audio_bytes
                                .fetch_add(data.data.len() as u64, Ordering::Relaxed);
                        }
                    }
                    _ => {}
                },
                // str0m gave up on this session (e.g. DTLS failed): nothing more to drive.
                Err(_) => return,
            }
        };
        let wait = deadline.saturating_duration_since(Instant::now());
        let input = tokio::select! {
            received = socket.recv_from(&mut buf) => match received {
                Ok((n, source)) => match buf[..n].try_into() {
                    Ok(contents) => Input::Receive(
                        Instant::now(),
                        Receive { proto: Protocol::Udp, source, destination: local, contents },
                    ),
                    // Not STUN/DTLS/RTP: ignore the datagram.
                    Err(_) => continue,
                },
                Err(_) => return,
            },
            _ = tokio::time::sleep(wait) => Input::Timeout(Instant::now()),
        };
        if rtc.handle_input(input).is_err() {
            return;
        }
    }
}
