//! The simulated gateway's media end for Web SDK 4.24 (a TEST DOUBLE): one ICE-lite + DTLS + SRTP
//! transport per joined client, set up from the ORTC parameters of `join_v3` with str0m's direct API
//! (no SDP on our side), all on one loopback UDP port of the edge's ([`Hub`]).
//!
//! 4.24 keeps one RTCPeerConnection per client for the whole session and builds the remote
//! description itself from the parameters we answer `join_v3` with (bundle: the `s=AgoraGateway`
//! template, filled by the remote-SDP class from `ortc.iceParameters`, `candidates`,
//! `dtlsParameters`, `rtpCapabilities`). So the edge only has to:
//! - take the browser's ICE credentials and DTLS fingerprint, and hand back its own, with the role
//!   `server` (the SDK turns it into `a=setup:passive`: the browser starts DTLS);
//! - receive each published track by the SSRC `publish` names (`expect_stream_rx`);
//! - send each subscription under the SSRC it announced in `on_add_audio_stream` (`ssrcId`, which
//!   the SDK writes into the receiving m-line's `a=ssrc`), with a payload type from the codecs it
//!   advertised (we mirror the browser's own Opus, so the numbers agree).
//!
//! No header extension is advertised, so the browser routes what we send by SSRC alone and str0m
//! never has to agree with the SDK's mid numbering.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use serde_json::{json, Value};
use str0m::config::Fingerprint;
use str0m::format::{Codec, FormatParams};
use str0m::media::{Frequency, MediaKind, Mid};
use str0m::net::{Protocol, Receive};
use str0m::rtp::Ssrc;
use str0m::{Candidate, Event, IceConnectionState, IceCreds, Input, Output, Rtc, RtcConfig};
use tokio::net::UdpSocket;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;

use super::media::{self, Counters, Forward, Frame};

/// Largest datagram we accept (WebRTC keeps packets under the path MTU, ~1200 bytes).
const DATAGRAM_MAX: usize = 2000;
/// Datagrams queued for one client before the hub drops more (a stalled client loses packets,
/// as on a real network, instead of stalling everyone).
const INBOX: usize = 256;
/// Frames queued from all of one client's subscriptions before more are dropped (~1 s of Opus).
const FRAMES: usize = 50;
/// Opus payload type when the browser's capabilities name none (Chromium's own number).
const OPUS_PT_DEFAULT: u8 = 111;

/// One datagram for one client: when it arrived, from where, its bytes.
type Datagram = (Instant, SocketAddr, Vec<u8>);

/// Who gets which datagram: by our ICE username fragment (STUN checks), then by source address
/// once a check has come from it.
#[derive(Default)]
struct Routes {
    by_ufrag: HashMap<String, (u64, mpsc::Sender<Datagram>)>,
    by_addr: HashMap<SocketAddr, (u64, mpsc::Sender<Datagram>)>,
}

impl Routes {
    fn forget(&mut self, id: u64) {
        self.by_ufrag.retain(|_, (owner, _)| *owner != id);
        self.by_addr.retain(|_, (owner, _)| *owner != id);
    }
}

/// The edge's media UDP port, shared by every 4.24 client (like an SFU's single port).
pub(crate) struct Hub {
    socket: Arc<UdpSocket>,
    local: SocketAddr,
    routes: Arc<Mutex<Routes>>,
    next_id: AtomicU64,
}

impl Hub {
    /// Bind a loopback UDP port; the returned task reads it until aborted.
    pub(crate) async fn start() -> std::io::Result<(Hub, JoinHandle<()>)> {
        let socket = Arc::new(UdpSocket::bind("127.0.0.1:0").await?);
        let local = socket.local_addr()?;
        let routes = Arc::new(Mutex::new(Routes::default()));
        let task = tokio::spawn(demultiplex(socket.clone(), routes.clone()));
        let hub = Hub {
            socket,
            local,
            routes,
            next_id: AtomicU64::new(1),
        };
        Ok((hub, task))
    }

    /// A transport for one client from the `ortc` object of its `join_v3`; returns it with the
    /// `ortc` object the join answer carries. Stops when `shutdown` flips or it is dropped.
    pub(crate) fn open(
        &self,
        browser: &Value,
        mut shutdown: watch::Receiver<bool>,
    ) -> Result<(Transport, Value), String> {
        let remote_ice = IceCreds {
            ufrag: text(&browser["iceParameters"]["iceUfrag"])
                .ok_or("join_v3 without ortc.iceParameters.iceUfrag")?,
            pass: text(&browser["iceParameters"]["icePwd"])
                .ok_or("join_v3 without ortc.iceParameters.icePwd")?,
        };
        let remote_fingerprint = browser_fingerprint(browser)?;
        let capabilities = capabilities(&browser["rtpCapabilities"]);
        let opus_pt = capabilities["send"]["audioCodecs"][0]["payloadType"]
            .as_u64()
            .and_then(|pt| u8::try_from(pt).ok())
            .unwrap_or(OPUS_PT_DEFAULT);

        let mut config = RtcConfig::new()
            .set_crypto_provider(media::crypto())
            .set_ice_lite(true)
            .clear_codecs()
            // No header extensions: see the module comment.
            .clear_extension_map();
        config.codec_config().add_config(
            opus_pt.into(),
            None,
            Codec::Opus,
            Frequency::FORTY_EIGHT_KHZ,
            Some(2),
            FormatParams {
                min_p_time: Some(10),
                use_inband_fec: Some(true),
                ..Default::default()
            },
        );
        let mut rtc = config.build(Instant::now());
        let candidate = Candidate::host(self.local, "udp").map_err(|e| e.to_string())?;
        rtc.add_local_candidate(candidate);
        let mut api = rtc.direct_api();
        api.set_ice_controlling(false);
        api.set_remote_ice_credentials(remote_ice);
        api.set_remote_fingerprint(remote_fingerprint);
        // DTLS server: the answer says `role: server`, the SDK writes `a=setup:passive`.
        api.start_dtls(false).map_err(|e| e.to_string())?;
        let local_ice = api.local_ice_credentials();
        let local_fingerprint = api.local_dtls_fingerprint().clone();

        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (inbox_tx, inbox) = mpsc::channel(INBOX);
        lock(&self.routes)
            .by_ufrag
            .insert(local_ice.ufrag.clone(), (id, inbox_tx));
        let (commands, command_rx) = mpsc::unbounded_channel();
        let client = Client {
            rtc,
            socket: self.socket.clone(),
            local: self.local,
            connected: false,
            published: HashMap::new(),
            subscribed: HashMap::new(),
        };
        let task = tokio::spawn(async move {
            tokio::select! {
                _ = client.drive(inbox, command_rx) => {}
                _ = shutdown.changed() => {}
            }
        });
        let answer = json!({
            "iceParameters": {
                "iceUfrag": local_ice.ufrag,
                "icePwd": local_ice.pass,
                "candidates": [{
                    "foundation": "udpcandidate",
                    "protocol": "udp",
                    "priority": 2_103_266_323u32,
                    "ip": self.local.ip().to_string(),
                    "port": self.local.port(),
                    "type": "host",
                }],
            },
            "dtlsParameters": {
                "fingerprints": [{
                    "algorithm": local_fingerprint.hash_func,
                    "fingerprint": hex_colons(&local_fingerprint.bytes),
                }],
                "role": "server",
            },
            "rtpCapabilities": capabilities,
            "cname": format!("edge{id}"),
        });
        let transport = Transport {
            commands,
            task,
            id,
            routes: self.routes.clone(),
        };
        Ok((transport, answer))
    }
}

fn lock(routes: &Mutex<Routes>) -> std::sync::MutexGuard<'_, Routes> {
    routes.lock().unwrap_or_else(|e| e.into_inner())
}

/// Read the shared port and hand each datagram to its client.
async fn demultiplex(socket: Arc<UdpSocket>, routes: Arc<Mutex<Routes>>) {
    let mut buf = vec![0u8; DATAGRAM_MAX];
    while let Ok((n, source)) = socket.recv_from(&mut buf).await {
        let data = &buf[..n];
        let target = {
            let mut routes = lock(&routes);
            match our_ufrag(data).and_then(|u| routes.by_ufrag.get(&u).cloned()) {
                Some(route) => {
                    routes.by_addr.insert(source, route.clone());
                    Some(route)
                }
                None => routes.by_addr.get(&source).cloned(),
            }
        };
        if let Some((_, inbox)) = target {
            // Full: the client is behind; drop the datagram as a congested link would.
            let _ = inbox.try_send((Instant::now(), source, data.to_vec()));
        }
    }
}

/// Our username fragment from a STUN binding request (`USERNAME` = `ours:theirs`, RFC 8445 §7.2.2).
fn our_ufrag(data: &[u8]) -> Option<String> {
    // STUN messages start with two zero bits (RFC 7983 §7); DTLS and RTP never do.
    if data.len() < 20 || data[0] > 3 {
        return None;
    }
    let message = str0m::ice::StunMessage::parse(data).ok()?;
    let (ours, _) = message.split_username()?;
    Some(ours.to_string())
}

fn text(v: &Value) -> Option<String> {
    v.as_str().filter(|s| !s.is_empty()).map(str::to_string)
}

/// The browser's DTLS fingerprint from `ortc.dtlsParameters.fingerprints[0]` (`hashFunction` from
/// the browser; `algorithm` is the spelling of the edge's side, accepted too).
fn browser_fingerprint(browser: &Value) -> Result<Fingerprint, String> {
    let first = &browser["dtlsParameters"]["fingerprints"][0];
    let hash = text(&first["hashFunction"])
        .or_else(|| text(&first["algorithm"]))
        .unwrap_or_else(|| "sha-256".into());
    let value = text(&first["fingerprint"]).ok_or("join_v3 without a DTLS fingerprint")?;
    format!("{} {}", hash.to_ascii_lowercase(), value)
        .parse()
        .map_err(|e| format!("bad DTLS fingerprint {value}: {e}"))
}

fn hex_colons(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// The edge's `rtpCapabilities`: the browser's own Opus (and VP8, which the SDK's video m-line
/// wants a codec for), with no header extensions, for both directions. Mirroring keeps the payload
/// type numbers the browser's offer already uses.
fn capabilities(browser: &Value) -> Value {
    let all = |kind: &str| -> Vec<Value> {
        ["send", "recv", "sendrecv"]
            .iter()
            .flat_map(|way| {
                browser[way][kind]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                    .into_iter()
            })
            .collect()
    };
    let named = |codecs: Vec<Value>, name: &str| -> Vec<Value> {
        let mut seen = Vec::new();
        codecs
            .into_iter()
            .filter(|c| {
                c["rtpMap"]["encodingName"]
                    .as_str()
                    .is_some_and(|n| n.eq_ignore_ascii_case(name))
            })
            .filter(|c| {
                let pt = c["payloadType"].clone();
                let fresh = !seen.contains(&pt);
                seen.push(pt);
                fresh
            })
            .take(1)
            .collect()
    };
    let mut audio = named(all("audioCodecs"), "opus");
    if audio.is_empty() {
        audio.push(json!({
            "payloadType": OPUS_PT_DEFAULT,
            "rtpMap": { "encodingName": "opus", "clockRate": 48000, "encodingParameters": 2 },
            "rtcpFeedbacks": [],
            "fmtp": { "parameters": { "minptime": "10", "useinbandfec": "1" } },
        }));
    }
    let video = named(all("videoCodecs"), "VP8");
    let one_way = json!({
        "audioCodecs": audio,
        "videoCodecs": video,
        "audioExtensions": [],
        "videoExtensions": [],
    });
    json!({ "send": one_way.clone(), "recv": one_way })
}

/// What the gateway asks of a client's transport.
enum Command {
    /// The browser publishes audio under `ssrc`: count it and hand each frame to `forward`.
    Publish {
        ssrc: u32,
        forward: Forward,
        counters: Arc<Counters>,
    },
    /// It stopped publishing.
    Unpublish,
    /// Send `publisher`'s frames from `source` to the browser under `ssrc`.
    Subscribe {
        publisher: u32,
        ssrc: u32,
        source: broadcast::Receiver<Arc<Frame>>,
        counters: Arc<Counters>,
    },
    /// Stop sending `publisher`'s audio.
    Unsubscribe { publisher: u32 },
}

/// One client's transport. Dropping it stops its task and frees its routes.
pub(crate) struct Transport {
    commands: mpsc::UnboundedSender<Command>,
    task: JoinHandle<()>,
    id: u64,
    routes: Arc<Mutex<Routes>>,
}

impl Transport {
    pub(crate) fn publish(&self, ssrc: u32, forward: Forward, counters: Arc<Counters>) {
        let _ = self.commands.send(Command::Publish {
            ssrc,
            forward,
            counters,
        });
    }

    pub(crate) fn unpublish(&self) {
        let _ = self.commands.send(Command::Unpublish);
    }

    pub(crate) fn subscribe(
        &self,
        publisher: u32,
        ssrc: u32,
        source: broadcast::Receiver<Arc<Frame>>,
        counters: Arc<Counters>,
    ) {
        let _ = self.commands.send(Command::Subscribe {
            publisher,
            ssrc,
            source,
            counters,
        });
    }

    pub(crate) fn unsubscribe(&self, publisher: u32) {
        let _ = self.commands.send(Command::Unsubscribe { publisher });
    }
}

impl Drop for Transport {
    fn drop(&mut self) {
        self.task.abort();
        lock(&self.routes).forget(self.id);
    }
}

/// A publication received on this transport.
struct Received {
    mid: Mid,
    ssrc: Ssrc,
    forward: Forward,
    counters: Arc<Counters>,
}

/// A subscription sent on this transport; the relay task copies frames into the client's queue.
struct Sent {
    mid: Mid,
    ssrc: Ssrc,
    counters: Arc<Counters>,
    relay: JoinHandle<()>,
}

impl Drop for Sent {
    fn drop(&mut self) {
        self.relay.abort();
    }
}

/// The state one client's task drives.
struct Client {
    rtc: Rtc,
    socket: Arc<UdpSocket>,
    local: SocketAddr,
    connected: bool,
    published: HashMap<Mid, Received>,
    subscribed: HashMap<u32, Sent>,
}

impl Client {
    /// The sans-IO loop: datagrams, commands, frames to forward and timeouts into str0m; what it
    /// transmits onto the shared socket.
    async fn drive(
        mut self,
        mut inbox: mpsc::Receiver<Datagram>,
        mut commands: mpsc::UnboundedReceiver<Command>,
    ) {
        let (frames_tx, mut frames) = mpsc::channel::<(u32, Arc<Frame>)>(FRAMES);
        loop {
            let deadline = loop {
                match self.rtc.poll_output() {
                    Ok(Output::Timeout(at)) => break at,
                    Ok(Output::Transmit(t)) => {
                        let _ = self.socket.send_to(&t.contents, t.destination).await;
                    }
                    Ok(Output::Event(event)) => {
                        if !self.event(event) {
                            return;
                        }
                    }
                    // str0m gave up on this session (e.g. DTLS failed): nothing more to drive.
                    Err(_) => return,
                }
            };
            let wait = deadline.saturating_duration_since(Instant::now());
            let input = tokio::select! {
                datagram = inbox.recv() => match datagram {
                    Some((at, source, data)) => match data.as_slice().try_into() {
                        Ok(contents) => {
                            let receive = Receive {
                                proto: Protocol::Udp,
                                source,
                                destination: self.local,
                                contents,
                            };
                            if self.rtc.handle_input(Input::Receive(at, receive)).is_err() {
                                return;
                            }
                            continue;
                        }
                        // Not STUN/DTLS/RTP: ignore the datagram.
                        Err(_) => continue,
                    },
                    None => return,
                },
                command = commands.recv() => match command {
                    Some(command) => {
                        self.command(command, &frames_tx);
                        continue;
                    }
                    None => return,
                },
                Some((publisher, frame)) = frames.recv() => {
                    if let Some(sent) = self.subscribed.get(&publisher) {
                        if media::write(&mut self.rtc, sent.mid, &frame) {
                            sent.counters.count(frame.data.len());
                        }
                    }
                    continue;
                },
                _ = tokio::time::sleep(wait) => Input::Timeout(Instant::now()),
            };
            if self.rtc.handle_input(input).is_err() {
                return;
            }
        }
    }

    /// Handle one str0m event; `false` ends the session.
    fn event(&mut self, event: Event) -> bool {
        match event {
            Event::Connected => {
                self.connected = true;
                for counters in self.counters() {
                    counters.set_connected();
                }
            }
            Event::IceConnectionStateChange(IceConnectionState::Disconnected) => return false,
            Event::MediaData(data) => {
                if let Some(received) = self.published.get(&data.mid) {
                    received.counters.count(data.data.len());
                    // No subscriber yet is fine: the frame is simply not wanted.
                    let _ = received.forward.send(Arc::new(Frame::new(
                        data.params,
                        data.time,
                        data.network_time,
                        data.data,
                    )));
                }
            }
            _ => {}
        }
        true
    }

    fn counters(&self) -> Vec<Arc<Counters>> {
        self.published
            .values()
            .map(|r| r.counters.clone())
            .chain(self.subscribed.values().map(|s| s.counters.clone()))
            .collect()
    }

    fn command(&mut self, command: Command, frames: &mpsc::Sender<(u32, Arc<Frame>)>) {
        match command {
            Command::Publish {
                ssrc,
                forward,
                counters,
            } => {
                self.unpublish();
                let mid = Mid::from(format!("p{ssrc}").as_str());
                let ssrc = Ssrc::from(ssrc);
                let mut api = self.rtc.direct_api();
                api.declare_media(mid, MediaKind::Audio);
                api.expect_stream_rx(ssrc, None, mid, None);
                if self.connected {
                    counters.set_connected();
                }
                self.published.insert(
                    mid,
                    Received {
                        mid,
                        ssrc,
                        forward,
                        counters,
                    },
                );
            }
            Command::Unpublish => self.unpublish(),
            Command::Subscribe {
                publisher,
                ssrc,
                mut source,
                counters,
            } => {
                self.unsubscribe(publisher);
                let mid = Mid::from(format!("s{publisher}").as_str());
                let ssrc = Ssrc::from(ssrc);
                let mut api = self.rtc.direct_api();
                api.declare_media(mid, MediaKind::Audio);
                api.declare_stream_tx(ssrc, None, mid, None);
                if self.connected {
                    counters.set_connected();
                }
                let frames = frames.clone();
                let relay = tokio::spawn(async move {
                    loop {
                        match source.recv().await {
                            Ok(frame) => {
                                // Full: this client is behind; skip the frame.
                                let _ = frames.try_send((publisher, frame));
                            }
                            Err(broadcast::error::RecvError::Lagged(_)) => {}
                            // The publisher stopped: nothing more to relay.
                            Err(broadcast::error::RecvError::Closed) => return,
                        }
                    }
                });
                self.subscribed.insert(
                    publisher,
                    Sent {
                        mid,
                        ssrc,
                        counters,
                        relay,
                    },
                );
            }
            Command::Unsubscribe { publisher } => self.unsubscribe(publisher),
        }
    }

    fn unpublish(&mut self) {
        for (_, received) in self.published.drain() {
            let mut api = self.rtc.direct_api();
            api.remove_stream_rx(received.ssrc);
            api.remove_media(received.mid);
        }
    }

    fn unsubscribe(&mut self, publisher: u32) {
        if let Some(sent) = self.subscribed.remove(&publisher) {
            let mut api = self.rtc.direct_api();
            api.remove_stream_tx(sent.ssrc);
            api.remove_media(sent.mid);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capabilities_mirror_the_browsers_opus_without_extensions() {
        let browser = json!({
            "send": { "audioCodecs": [
                { "payloadType": 63, "rtpMap": { "encodingName": "red" } },
                { "payloadType": 111, "rtpMap": { "encodingName": "opus" } }
            ], "videoCodecs": [], "audioExtensions": [{"entry": 1}], "videoExtensions": [] },
            "recv": { "audioCodecs": [], "videoCodecs": [
                { "payloadType": 96, "rtpMap": { "encodingName": "VP8" } }
            ], "audioExtensions": [], "videoExtensions": [] }
        });
        let caps = capabilities(&browser);
        assert_eq!(caps["send"]["audioCodecs"][0]["payloadType"], 111);
        assert_eq!(
            caps["send"]["audioCodecs"].as_array().map(Vec::len),
            Some(1)
        );
        assert_eq!(caps["recv"]["videoCodecs"][0]["payloadType"], 96);
        assert_eq!(caps["recv"]["audioExtensions"], json!([]));
    }

    #[test]
    fn only_stun_carries_a_ufrag() {
        assert_eq!(our_ufrag(&[0x80; 40]), None);
        assert_eq!(our_ufrag(&[22; 40]), None);
    }

    #[test]
    fn fingerprints_read_either_spelling() {
        let fp = "AB:".repeat(31) + "AB";
        let browser = json!({ "dtlsParameters": { "fingerprints": [
            { "hashFunction": "sha-256", "fingerprint": fp }
        ] } });
        let parsed = browser_fingerprint(&browser).expect("parses");
        assert_eq!(parsed.bytes.len(), 32);
        assert_eq!(hex_colons(&parsed.bytes), fp);
    }
}
