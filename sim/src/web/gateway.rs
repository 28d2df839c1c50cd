//! The simulated WSS gateway for both Web SDK generations: completes 4.3.0's `join_v2` and 4.24's
//! `join_v3`; answers `publish` and `subscribe` with a real WebRTC media end (ICE-lite, DTLS, SRTP on
//! loopback UDP) that forwards a publisher's audio to its subscribers: per SDP offer for 4.3.0
//! ([`super::media`]), on the client's one transport set up from `join_v3`'s ORTC parameters for
//! 4.24 ([`super::ortc`]); answers `unpublish`, `unsubscribe`, `leave` and `ping`; and tells everyone
//! in a channel what the others do, with the pushes the real edge sends: `on_user_online`,
//! `on_add_audio_stream`, `on_remove_stream`, `on_user_offline`.
//!
//! Frames are JSON text: request `{"_id","_type","_message"}`, answer `{"_id","_result","_message"}`,
//! push `{"_type","_message"}`. What each message carries, for each generation, is in the
//! repository's `docs/web-sdk-wire.md`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::media::{self, Forward};
use super::ortc;
use super::Shared;

/// Why a user left, as the SDK's `user-left` handler receives it.
const REASON_QUIT: &str = "Quit";
/// A socket that closed without `leave`: what Agora reports after its keep-alive runs out.
const REASON_TIMEOUT: &str = "ServerTimeOut";
/// `K_TICKET_INVALID`: our answer to a join whose access-point ticket names no uid.
const K_TICKET_INVALID: u64 = 7;
/// `K_SERVICE_NOT_READY` (the SDK retries): our answer to a `join_v3` whose ORTC parameters we
/// cannot use.
const K_SERVICE_NOT_READY: u64 = 9;
/// `ERR_PUBLISH_REQUEST_INVALID`: our answer to a `publish` whose offer cannot be answered.
const ERR_PUBLISH_REQUEST_INVALID: u64 = 2020;
/// `ERR_SUBSCRIBE_REQUEST_INVALID`: our answer to a `subscribe` we cannot serve (nobody publishes
/// under that uid, or the offer cannot be answered).
const ERR_SUBSCRIBE_REQUEST_INVALID: u64 = 2021;

type Outbox = mpsc::UnboundedSender<String>;

/// One user in a channel: where to push frames, and their audio while they publish.
struct Member {
    outbox: Outbox,
    audio: Option<Audio>,
}

/// A user's published audio: the channel its frames go to and, for 4.24, the SSRC it is sent under
/// (the SDK subscribes by it).
#[derive(Clone)]
struct Audio {
    forward: Forward,
    ssrc: Option<u32>,
}

/// The `cname` the edge announces for `uid`'s streams.
fn cname(uid: u32) -> String {
    format!("uid{uid}")
}

/// `on_add_audio_stream` for `uid`: 4.3.0 reads `uid`, `uint_id`, `audio`; 4.24 also `ssrcId` (which
/// it subscribes by) and `cname`.
fn audio_added(uid: u32, ssrc: Option<u32>) -> String {
    let mut message = json!({ "uid": uid, "uint_id": uid, "audio": true });
    if let Some(ssrc) = ssrc {
        message["ssrcId"] = json!(ssrc);
        message["cname"] = json!(cname(uid));
    }
    push("on_add_audio_stream", message)
}

/// Who is in which channel, with a way to push frames to each.
#[derive(Default)]
pub(crate) struct Rooms {
    channels: Mutex<HashMap<String, HashMap<u32, Member>>>,
}

impl Rooms {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, HashMap<u32, Member>>> {
        self.channels.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn members(&self, channel: &str) -> Vec<u32> {
        let channels = self.lock();
        let mut uids: Vec<u32> = channels
            .get(channel)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        uids.sort_unstable();
        uids
    }

    /// Add `uid` to `channel`; tell the others; return the uids already there and whether each
    /// publishes audio (and under which SSRC, for 4.24).
    fn enter(&self, channel: &str, uid: u32, outbox: Outbox) -> Vec<(u32, Option<Option<u32>>)> {
        let mut channels = self.lock();
        let room = channels.entry(channel.to_string()).or_default();
        let online = push("on_user_online", json!({ "uid": uid }));
        let mut peers = Vec::new();
        for (&peer, member) in room.iter() {
            if peer != uid {
                peers.push((peer, member.audio.as_ref().map(|a| a.ssrc)));
                let _ = member.outbox.send(online.clone());
            }
        }
        peers.sort_unstable();
        room.insert(
            uid,
            Member {
                outbox,
                audio: None,
            },
        );
        peers
    }

    /// Send `frame` to everyone in `channel` but `uid`.
    fn tell_others(&self, channel: &str, uid: u32, frame: &str) {
        let channels = self.lock();
        if let Some(room) = channels.get(channel) {
            for (_, member) in room.iter().filter(|(&peer, _)| peer != uid) {
                let _ = member.outbox.send(frame.to_string());
            }
        }
    }

    /// `uid` publishes `audio` (`None`: stopped); tell the others as the real edge does
    /// (`on_add_audio_stream` / `on_remove_stream`).
    fn set_audio(&self, channel: &str, uid: u32, audio: Option<Audio>) {
        let announce = {
            let mut channels = self.lock();
            let Some(member) = channels.get_mut(channel).and_then(|r| r.get_mut(&uid)) else {
                return;
            };
            let was = member.audio.is_some();
            let ssrc = audio.as_ref().map(|a| a.ssrc);
            member.audio = audio;
            match (was, ssrc) {
                (false, Some(ssrc)) => Some(audio_added(uid, ssrc)),
                (true, None) => Some(push(
                    "on_remove_stream",
                    json!({ "uid": uid, "uint_id": uid }),
                )),
                _ => None,
            }
        };
        if let Some(frame) = announce {
            self.tell_others(channel, uid, &frame);
        }
    }

    /// A receiver of `publisher`'s audio in `channel`, while it publishes, with its SSRC (4.24).
    fn listen(
        &self,
        channel: &str,
        publisher: u32,
    ) -> Option<(
        tokio::sync::broadcast::Receiver<Arc<media::Frame>>,
        Option<u32>,
    )> {
        let channels = self.lock();
        channels
            .get(channel)?
            .get(&publisher)?
            .audio
            .as_ref()
            .map(|a| (a.forward.subscribe(), a.ssrc))
    }

    /// Remove `uid` from `channel` and tell the others why.
    fn exit(&self, channel: &str, uid: u32, reason: &str) {
        let mut channels = self.lock();
        if let Some(room) = channels.get_mut(channel) {
            if room.remove(&uid).is_none() {
                return;
            }
            let offline = push("on_user_offline", json!({ "uid": uid, "reason": reason }));
            for member in room.values() {
                let _ = member.outbox.send(offline.clone());
            }
            if room.is_empty() {
                channels.remove(channel);
            }
        }
    }

    /// Forget everyone; their outboxes close, which ends their sessions.
    pub(crate) fn close_all(&self) {
        self.lock().clear();
    }
}

fn push(kind: &str, message: Value) -> String {
    json!({ "_type": kind, "_message": message }).to_string()
}

fn answer(id: &Value, message: Value) -> String {
    json!({ "_id": id, "_result": "success", "_message": message }).to_string()
}

fn refuse(id: &Value, code: u64, text: &str) -> String {
    json!({ "_id": id, "_result": "failed", "_message": { "error_code": code, "error_str": text } })
        .to_string()
}

/// What one connection holds besides its socket.
#[derive(Default)]
struct Connection {
    /// (channel, uid) once joined.
    joined: Option<(String, u32)>,
    /// This connection's published audio; dropping it stops its media end.
    published: Vec<media::Publication>,
    /// Its subscriptions by publisher uid; dropping one stops its media end.
    subscribed: HashMap<u32, media::Publication>,
    /// 4.24: the client's one transport, from `join_v3`; dropping it stops its media end.
    transport: Option<ortc::Transport>,
}

impl Connection {
    fn unpublish(&mut self, shared: &Shared) {
        self.published.clear();
        if let Some(transport) = &self.transport {
            transport.unpublish();
        }
        if let Some((channel, uid)) = &self.joined {
            shared.rooms.set_audio(channel, *uid, None);
        }
    }

    fn leave(&mut self, shared: &Shared, reason: &str) {
        self.published.clear();
        self.subscribed.clear();
        self.transport = None;
        if let Some((channel, uid)) = self.joined.take() {
            shared.rooms.exit(&channel, uid, reason);
        }
    }
}

/// One SDK connection, from upgrade to close.
pub(crate) async fn session(shared: Arc<Shared>, socket: WebSocket) {
    let (mut sink, mut stream) = socket.split();
    let (outbox, mut inbox) = mpsc::unbounded_channel::<String>();
    let writer = tokio::spawn(async move {
        while let Some(frame) = inbox.recv().await {
            if sink.send(Message::Text(frame.into())).await.is_err() {
                break;
            }
        }
        let _ = sink.close().await;
    });
    let mut shutdown = shared.shutdown.subscribe();
    let mut conn = Connection::default();
    loop {
        let frame = tokio::select! {
            frame = stream.next() => frame,
            _ = shutdown.changed() => break,
        };
        let Some(Ok(frame)) = frame else { break };
        let Message::Text(text) = frame else { continue };
        let Ok(request) = serde_json::from_str::<Value>(text.as_str()) else {
            continue;
        };
        let id = request["_id"].clone();
        let message = &request["_message"];
        let kind = request["_type"].as_str().unwrap_or_default();
        if kind != "ping" {
            if let Ok(mut log) = shared.gateway_log.lock() {
                log.push(super::GatewayRequest {
                    kind: kind.to_string(),
                    message: message.clone(),
                });
            }
        }
        match kind {
            kind @ ("join_v2" | "join_v3") => {
                let channel = message["channel_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let Some(uid) = uid_of_join(message) else {
                    let _ = outbox.send(refuse(&id, K_TICKET_INVALID, "K_TICKET_INVALID"));
                    continue;
                };
                let mut joined = json!({
                    "uid": uid,
                    "cid": super::ap::channel_id(&channel),
                    "vid": "1",
                    "rejoin_token": super::ap::ticket(uid, &channel),
                });
                if kind == "join_v3" {
                    // 4.24 builds its remote description from our half of the ORTC exchange (it
                    // reads `ortc` as soon as the answer arrives) and connects to it in the
                    // background; publishing waits for that connection.
                    match shared
                        .hub
                        .open(&message["ortc"], shared.shutdown.subscribe())
                    {
                        Ok((transport, ortc)) => {
                            conn.transport = Some(transport);
                            joined["ortc"] = ortc;
                        }
                        Err(why) => {
                            let _ = outbox.send(refuse(&id, K_SERVICE_NOT_READY, &why));
                            continue;
                        }
                    }
                }
                let peers = shared.rooms.enter(&channel, uid, outbox.clone());
                let _ = outbox.send(answer(&id, joined));
                // Both generations read `peers` only from a rejoin answer; after a first join they
                // learn who is already there, and who of them speaks, from pushes.
                for (peer, speaks) in peers {
                    let _ = outbox.send(push("on_user_online", json!({ "uid": peer })));
                    if let Some(ssrc) = speaks {
                        let _ = outbox.send(audio_added(peer, ssrc));
                    }
                }
                conn.joined = Some((channel, uid));
            }
            "publish" if conn.transport.is_some() => {
                match publish_ortc(&shared, message, &conn) {
                    Ok((audio, ortc)) => {
                        // The SDK reads `_message._message.ortc` (bundle: `gateway.publish`).
                        let _ = outbox.send(answer(&id, json!({ "_message": { "ortc": ortc } })));
                        if let Some((channel, uid)) = &conn.joined {
                            shared.rooms.set_audio(channel, *uid, Some(audio));
                        }
                    }
                    Err(why) => {
                        let _ = outbox.send(refuse(&id, ERR_PUBLISH_REQUEST_INVALID, &why));
                    }
                }
            }
            "publish" => match publish(&shared, message, conn.joined.as_ref()).await {
                Ok((answer_sdp, publication, forward)) => {
                    conn.published.push(publication);
                    // The SDK parses `sdp` as JSON and reads the answer from its `sdp` field.
                    let sdp = json!({ "messageType": "ANSWER", "sdp": answer_sdp }).to_string();
                    let _ = outbox.send(answer(&id, json!({ "sdp": sdp })));
                    if let Some((channel, uid)) = &conn.joined {
                        let audio = Audio {
                            forward,
                            ssrc: None,
                        };
                        shared.rooms.set_audio(channel, *uid, Some(audio));
                    }
                }
                Err(why) => {
                    let _ = outbox.send(refuse(&id, ERR_PUBLISH_REQUEST_INVALID, &why));
                }
            },
            "subscribe" if conn.transport.is_some() => {
                match subscribe_ortc(&shared, message, &conn) {
                    Ok(subscribed) => {
                        // Read back as `_message._message` (bundle: `gateway.subscribe`).
                        let _ = outbox.send(answer(&id, json!({ "_message": subscribed })));
                    }
                    Err(why) => {
                        let _ = outbox.send(refuse(&id, ERR_SUBSCRIBE_REQUEST_INVALID, &why));
                    }
                }
            }
            "subscribe" => match subscribe(&shared, message, conn.joined.as_ref()).await {
                Ok((answer_sdp, publication, publisher)) => {
                    conn.subscribed.insert(publisher, publication);
                    let sdp = json!({ "messageType": "ANSWER", "sdp": answer_sdp }).to_string();
                    let _ = outbox.send(answer(&id, json!({ "sdp": sdp })));
                }
                Err(why) => {
                    let _ = outbox.send(refuse(&id, ERR_SUBSCRIBE_REQUEST_INVALID, &why));
                }
            },
            "unsubscribe" => {
                if let Some(publisher) = stream_id(message) {
                    conn.subscribed.remove(&publisher);
                    if let Some(transport) = &conn.transport {
                        transport.unsubscribe(publisher);
                    }
                }
                let _ = outbox.send(answer(&id, json!({})));
            }
            "unpublish" => {
                conn.unpublish(&shared);
                let _ = outbox.send(answer(&id, json!({})));
            }
            "leave" => {
                conn.leave(&shared, REASON_QUIT);
                let _ = outbox.send(answer(&id, json!({})));
            }
            _ if !id.is_null() => {
                let _ = outbox.send(answer(&id, json!({})));
            }
            _ => {}
        }
    }
    conn.leave(&shared, REASON_TIMEOUT);
    // Let the writer flush the last answers (e.g. to `leave`), then stop it.
    drop(outbox);
    let mut writer = writer;
    if tokio::time::timeout(std::time::Duration::from_secs(1), &mut writer)
        .await
        .is_err()
    {
        writer.abort();
    }
}

/// The offer SDP inside a `publish`/`subscribe` request: `sdp` is itself JSON,
/// `{"messageType":"OFFER","sdp":"v=0…","offererSessionId":104,"retry":true}`.
fn offer_of(message: &Value) -> Result<String, String> {
    let wrapped: Value = message["sdp"]
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or("request without an sdp offer")?;
    wrapped["sdp"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| "offer without sdp".to_string())
}

/// Answer a `publish` request's SDP offer and remember its counters under the publisher's uid.
async fn publish(
    shared: &Shared,
    message: &Value,
    joined: Option<&(String, u32)>,
) -> Result<(String, media::Publication, Forward), String> {
    let Some((_, uid)) = joined else {
        return Err("publish before join_v2".into());
    };
    let offer = offer_of(message)?;
    let forward = media::forward_channel();
    let (answer_sdp, publication) = media::answer(
        &offer,
        media::Role::Publish(forward.clone()),
        shared.shutdown.subscribe(),
    )
    .await?;
    shared.media.record(*uid, publication.counters.clone());
    Ok((answer_sdp, publication, forward))
}

/// Answer a `subscribe` request's SDP offer with a media end fed from the publisher's audio.
async fn subscribe(
    shared: &Shared,
    message: &Value,
    joined: Option<&(String, u32)>,
) -> Result<(String, media::Publication, u32), String> {
    let Some((channel, uid)) = joined else {
        return Err("subscribe before join_v2".into());
    };
    let publisher = stream_id(message).ok_or("subscribe without stream_id")?;
    let (source, _) = shared
        .rooms
        .listen(channel, publisher)
        .ok_or_else(|| format!("uid {publisher} publishes no audio here"))?;
    let offer = offer_of(message)?;
    let (answer_sdp, publication) = media::answer(
        &offer,
        media::Role::Subscribe(source),
        shared.shutdown.subscribe(),
    )
    .await?;
    shared
        .media
        .record_delivery(*uid, publisher, publication.counters.clone());
    Ok((answer_sdp, publication, publisher))
}

/// 4.24's `publish`: `ortc` lists each track as `{stream_type, attributes, ssrcs: [{ssrcId}]}`;
/// the audio one is received on the client's transport by its SSRC. Returns the audio as the room
/// announces it and the `ortc` list the SDK reads back (`stream_type` and `attributes`).
fn publish_ortc(
    shared: &Shared,
    message: &Value,
    conn: &Connection,
) -> Result<(Audio, Value), String> {
    let (Some((_, uid)), Some(transport)) = (&conn.joined, &conn.transport) else {
        return Err("publish before join_v3".into());
    };
    let tracks = message["ortc"]
        .as_array()
        .ok_or("publish without an ortc list")?;
    let audio = tracks
        .iter()
        .find(|t| t["stream_type"] == "audio")
        .ok_or("publish without an audio track (the double carries audio only)")?;
    let ssrc = audio["ssrcs"][0]["ssrcId"]
        .as_u64()
        .and_then(|s| u32::try_from(s).ok())
        .ok_or("published audio without ssrcs[0].ssrcId")?;
    let forward = media::forward_channel();
    let counters = Arc::new(media::Counters::default());
    shared.media.record(*uid, counters.clone());
    transport.publish(ssrc, forward.clone(), counters);
    let echoed: Vec<Value> = tracks
        .iter()
        .map(|t| json!({ "stream_type": t["stream_type"], "attributes": t["attributes"] }))
        .collect();
    Ok((
        Audio {
            forward,
            ssrc: Some(ssrc),
        },
        Value::from(echoed),
    ))
}

/// 4.24's `subscribe`: `{stream_id, stream_type, ssrcId}`; the publisher's frames are sent on the
/// subscriber's transport under the SSRC `on_add_audio_stream` announced (the SDK has already put
/// it in its remote description). Returns what the answer carries.
fn subscribe_ortc(shared: &Shared, message: &Value, conn: &Connection) -> Result<Value, String> {
    let (Some((channel, uid)), Some(transport)) = (&conn.joined, &conn.transport) else {
        return Err("subscribe before join_v3".into());
    };
    let publisher = stream_id(message).ok_or("subscribe without stream_id")?;
    let (source, ssrc) = shared
        .rooms
        .listen(channel, publisher)
        .ok_or_else(|| format!("uid {publisher} publishes no audio here"))?;
    let ssrc = ssrc.ok_or_else(|| format!("uid {publisher} publishes through 4.3.0"))?;
    let counters = Arc::new(media::Counters::default());
    shared
        .media
        .record_delivery(*uid, publisher, counters.clone());
    transport.subscribe(publisher, ssrc, source, counters);
    Ok(json!({
        "ssrcId": ssrc,
        "cname": cname(publisher),
        "uint_id": publisher,
        "ortc": [{ "stream_type": "audio", "ssrcs": [{ "ssrcId": ssrc }], "attributes": {} }],
    }))
}

/// The publisher a `subscribe`/`unsubscribe` names (`stream_id`: its uid, a number or a string).
fn stream_id(message: &Value) -> Option<u32> {
    match &message["stream_id"] {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The uid the access point granted, carried back in `join_v2`/`join_v3`'s `ap_response`.
fn uid_of_join(message: &Value) -> Option<u32> {
    let ap = &message["ap_response"];
    ap["ticket"]
        .as_str()
        .and_then(super::ap::uid_from_ticket)
        .or_else(|| ap["uid"].as_u64().map(|u| u as u32))
        .filter(|&u| u != 0)
}
