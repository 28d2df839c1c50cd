//! The simulated gateway's media end for Web SDK 4.3.0 (a TEST DOUBLE): answers the SDK's SDP offers
//! with str0m (ICE-lite, DTLS, SRTP) on a loopback UDP port each, and forwards audio like a small SFU.
//!
//! A `publish` offer gets a receiving end: it counts the audio that arrives and hands every decrypted
//! frame to a broadcast channel of the publisher's. A `subscribe` offer gets a sending end fed from
//! that channel: each frame is written again under the subscriber's own negotiated payload type
//! (`Writer::match_params`) and str0m's own SSRC for that m-line, then SRTP-encrypted for the
//! subscriber. So what the subscribing browser plays is exactly what the publishing browser sent,
//! carried through the double.
//!
//! Why a real WebRTC stack: 4.3.0's `publish()` and `subscribe()` resolve only once their
//! RTCPeerConnection reports ICE `connected` (bundle: `await this.icePromise` after `setAnswerSDP`),
//! and a failed DTLS handshake closes the connection again, so anything less than ICE + DTLS would
//! be a fake.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

use str0m::change::SdpOffer;
use str0m::format::PayloadParams;
use str0m::media::{MediaKind, MediaTime, Mid};
use str0m::net::{Protocol, Receive};
use str0m::{Candidate, Event, IceConnectionState, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::{broadcast, watch};
use tokio::task::JoinHandle;

/// Largest datagram we accept (WebRTC keeps packets under the path MTU, ~1200 bytes).
const DATAGRAM_MAX: usize = 2000;
/// Frames a slow subscriber may lag behind before it skips ahead (Opus: 20 ms each, so ~1 s).
const FORWARD_QUEUE: usize = 50;

/// One audio frame as the publisher's media end received it, ready to be forwarded.
#[derive(Debug, Clone)]
pub(crate) struct Frame {
    /// The publisher's codec parameters (matched to each subscriber's payload type).
    params: PayloadParams,
    /// RTP media time.
    time: MediaTime,
    /// When it arrived (the wallclock str0m's writer wants; see `MediaData::network_time`).
    arrived: Instant,
    pub(crate) data: Arc<[u8]>,
}

impl Frame {
    pub(crate) fn new(
        params: PayloadParams,
        time: MediaTime,
        arrived: Instant,
        data: Arc<[u8]>,
    ) -> Frame {
        Frame {
            params,
            time,
            arrived,
            data,
        }
    }
}

/// Where a publisher's frames go: every subscriber holds a receiver.
pub(crate) type Forward = broadcast::Sender<Arc<Frame>>;

/// A fresh forwarding channel for one publication.
pub(crate) fn forward_channel() -> Forward {
    broadcast::channel(FORWARD_QUEUE).0
}

/// What one media end has seen so far.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    connected: AtomicBool,
    audio_packets: AtomicU64,
    audio_bytes: AtomicU64,
}

/// A snapshot of what the simulated edge received from one published track, or sent to one
/// subscriber.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MediaReceived {
    /// ICE and DTLS completed with the browser.
    pub connected: bool,
    /// Audio frames decrypted (SRTP) and depacketized; for a subscriber, frames forwarded to it.
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

    pub(crate) fn set_connected(&self) {
        self.connected.store(true, Ordering::Relaxed);
    }

    pub(crate) fn count(&self, bytes: usize) {
        self.audio_packets.fetch_add(1, Ordering::Relaxed);
        self.audio_bytes.fetch_add(bytes as u64, Ordering::Relaxed);
    }
}

/// Which way media flows through one answered offer.
pub(crate) enum Role {
    /// The browser publishes: received frames go to this channel.
    Publish(Forward),
    /// The browser subscribes: frames from this channel are sent to it.
    Subscribe(broadcast::Receiver<Arc<Frame>>),
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

pub(crate) fn crypto() -> Arc<str0m::crypto::CryptoProvider> {
    static PROVIDER: OnceLock<Arc<str0m::crypto::CryptoProvider>> = OnceLock::new();
    PROVIDER
        .get_or_init(|| Arc::new(str0m::crypto::from_feature_flags()))
        .clone()
}

/// Answer `offer` (the SDP text the SDK sent) from a fresh loopback UDP port; returns the answer SDP
/// and the running media end. Stops when `shutdown` flips or the returned value is dropped.
pub(crate) async fn answer(
    offer: &str,
    role: Role,
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
            _ = drive(rtc, socket, local, role, &seen) => {}
            _ = shutdown.changed() => {}
        }
    });
    Ok((answer.to_sdp_string(), Publication { task, counters }))
}

/// The sans-IO loop: feed datagrams, timeouts and frames to forward to str0m, send what it asks,
/// count audio.
async fn drive(mut rtc: Rtc, socket: UdpSocket, local: SocketAddr, role: Role, seen: &Counters) {
    let mut buf = vec![0u8; DATAGRAM_MAX];
    let (forward, mut source) = match role {
        Role::Publish(forward) => (Some(forward), None),
        Role::Subscribe(receiver) => (None, Some(receiver)),
    };
    // The subscriber's audio m-line, once str0m has applied the offer.
    let mut audio_mid: Option<Mid> = None;
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
                    Event::MediaAdded(added) if added.kind == MediaKind::Audio => {
                        audio_mid = Some(added.mid);
                    }
                    Event::MediaData(data) => {
                        let audio = rtc
                            .media(data.mid)
                            .is_some_and(|m| m.kind() == MediaKind::Audio);
                        if audio {
                            seen.count(data.data.len());
                            if let Some(forward) = &forward {
                                // No subscriber yet is fine: the frame is simply not wanted.
                                let _ = forward.send(Arc::new(Frame {
                                    params: data.params,
                                    time: data.time,
                                    arrived: data.network_time,
                                    data: data.data,
                                }));
                            }
                        }
                    }
                    _ => {}
                },
                // str0m gave up on this session (e.g. DTLS failed): nothing more to drive.
                Err(_) => return,
            }
        };
        let wait = deadline.saturating_duration_since(Instant::now());
        let frame = async {
            match source.as_mut() {
                Some(receiver) => receiver.recv().await,
                None => std::future::pending().await,
            }
        };
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
            frame = frame => {
                match frame {
                    Ok(frame) => {
                        if let Some(mid) = audio_mid {
                            if write(&mut rtc, mid, &frame) {
                                seen.count(frame.data.len());
                            }
                        }
                    }
                    // Lagged: skip ahead. Closed: the publisher stopped; keep the connection for
                    // the SDK to unsubscribe.
                    Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => source = None,
                }
                continue;
            },
            _ = tokio::time::sleep(wait) => Input::Timeout(Instant::now()),
        };
        if rtc.handle_input(input).is_err() {
            return;
        }
    }
}

/// Write one forwarded frame on the subscriber's audio m-line under its own payload type; whether
/// it was accepted (before ICE connects str0m drops media, and an unmatched codec is skipped).
pub(crate) fn write(rtc: &mut Rtc, mid: Mid, frame: &Frame) -> bool {
    if !rtc.is_connected() {
        return false;
    }
    let Some(writer) = rtc.writer(mid) else {
        return false;
    };
    let Some(pt) = writer.match_params(frame.params) else {
        return false;
    };
    writer
        .write(pt, frame.arrived, frame.time, frame.data.clone())
        .is_ok()
}
