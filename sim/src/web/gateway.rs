//! The simulated WSS gateway for Web SDK 4.3.0: completes `join_v2`, answers `leave` and `ping`, and
//! tells everyone in a channel who came and went (`on_user_online` / `on_user_offline`).
//!
//! Frames are JSON text: request `{"_id","_type","_message"}`, answer `{"_id","_result","_message"}`,
//! push `{"_type","_message"}` (`shared/research/web-sdk.md` §2). `publish` is answered by a real
//! WebRTC end ([`super::media`]: ICE-lite, DTLS, SRTP on loopback UDP) that receives and counts the
//! audio and forwards nothing; `subscribe` is not simulated, and 4.24's `join_v3` (which needs an
//! ORTC endpoint) is refused with `K_SERVICE_NOT_READY`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::ws::{Message, WebSocket};
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::sync::mpsc;

use super::Shared;

/// Why a user left, as the SDK's `user-left` handler receives it.
const REASON_QUIT: &str = "Quit";
/// A socket that closed without `leave`: what Agora reports after its keep-alive runs out.
const REASON_TIMEOUT: &str = "ServerTimeOut";
/// Gateway error code the SDK treats as "try again later": our answer to `join_v3`.
const K_SERVICE_NOT_READY: u64 = 9;
/// `ERR_PUBLISH_REQUEST_INVALID`: our answer to a `publish` whose offer cannot be answered.
const ERR_PUBLISH_REQUEST_INVALID: u64 = 2020;

type Outbox = mpsc::UnboundedSender<String>;

/// Who is in which channel, with a way to push frames to each.
#[derive(Default)]
pub(crate) struct Rooms {
    channels: Mutex<HashMap<String, HashMap<u32, Outbox>>>,
}

impl Rooms {
    pub(crate) fn members(&self, channel: &str) -> Vec<u32> {
        let channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let mut uids: Vec<u32> = channels
            .get(channel)
            .map(|m| m.keys().copied().collect())
            .unwrap_or_default();
        uids.sort_unstable();
        uids
    }

    /// Add `uid` to `channel`; tell the others; return the uids already there.
    fn enter(&self, channel: &str, uid: u32, outbox: Outbox) -> Vec<u32> {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        let room = channels.entry(channel.to_string()).or_default();
        let online = push("on_user_online", json!({ "uid": uid }));
        let mut peers = Vec::new();
        for (&peer, peer_outbox) in room.iter() {
            if peer != uid {
                peers.push(peer);
                let _ = peer_outbox.send(online.clone());
            }
        }
        room.insert(uid, outbox);
        peers
    }

    /// Remove `uid` from `channel` and tell the others why.
    fn exit(&self, channel: &str, uid: u32, reason: &str) {
        let mut channels = self.channels.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(room) = channels.get_mut(channel) {
            if room.remove(&uid).is_none() {
                return;
            }
            let offline = push("on_user_offline", json!({ "uid": uid, "reason": reason }));
            for peer_outbox in room.values() {
                let _ = peer_outbox.send(offline.clone());
            }
            if room.is_empty() {
                channels.remove(channel);
            }
        }
    }

    /// Forget everyone; their outboxes close, which ends their sessions.
    pub(crate) fn close_all(&self) {
        self.channels
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
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
    // (channel, uid) once joined.
    let mut joined: Option<(String, u32)> = None;
    // This connection's published tracks; dropping one stops its media end.
    let mut published: Vec<super::media::Publication> = Vec::new();
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
        match request["_type"].as_str().unwrap_or_default() {
            "join_v2" => {
                let channel = message["channel_name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let Some(uid) = uid_of_join(message) else {
                    let _ = outbox.send(refuse(&id, 7, "K_TICKET_INVALID"));
                    continue;
                };
                let peers = shared.rooms.enter(&channel, uid, outbox.clone());
                let _ = outbox.send(answer(
                    &id,
                    json!({
                        "uid": uid,
                        "cid": super::ap::channel_id(&channel),
                        "vid": "1",
                        "rejoin_token": super::ap::ticket(uid, &channel),
                    }),
                ));
                // 4.3.0 reads `peers` only from a rejoin answer; after a first join it learns who is
                // already there from one `on_user_online` push each.
                for peer in peers {
                    let _ = outbox.send(push("on_user_online", json!({ "uid": peer })));
                }
                joined = Some((channel, uid));
            }
            "join_v3" => {
                let _ = outbox.send(refuse(&id, K_SERVICE_NOT_READY, "K_SERVICE_NOT_READY"));
            }
            "publish" => match publish(&shared, message, joined.as_ref()).await {
                Ok((answer_sdp, publication)) => {
                    published.push(publication);
                    // The SDK parses `sdp` as JSON and reads the answer from its `sdp` field.
                    let sdp = json!({ "messageType": "ANSWER", "sdp": answer_sdp }).to_string();
                    let _ = outbox.send(answer(&id, json!({ "sdp": sdp })));
                }
                Err(why) => {
                    let _ = outbox.send(refuse(&id, ERR_PUBLISH_REQUEST_INVALID, &why));
                }
            },
            "unpublish" => {
                published.clear();
                let _ = outbox.send(answer(&id, json!({})));
            }
            "leave" => {
                published.clear();
                if let Some((channel, uid)) = joined.take() {
                    shared.rooms.exit(&channel, uid, REASON_QUIT);
                }
                let _ = outbox.send(answer(&id, json!({})));
            }
            _ if !id.is_null() => {
                let _ = outbox.send(answer(&id, json!({})));
            }
            _ => {}
        }
    }
    published.clear();
    if let Some((channel, uid)) = joined.take() {
        shared.rooms.exit(&channel, uid, REASON_TIMEOUT);
    }
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

/// Answer a `publish` request's SDP offer and remember its counters under the publisher's uid.
async fn publish(
    shared: &Shared,
    message: &Value,
    joined: Option<&(String, u32)>,
) -> Result<(String, super::media::Publication), String> {
    let Some((_, uid)) = joined else {
        return Err("publish before join_v2".into());
    };
    // `sdp` is itself JSON: {"messageType":"OFFER","sdp":"v=0…","offererSessionId":104,"retry":true}.
    let wrapped: Value = message["sdp"]
        .as_str()
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or("publish without an sdp offer")?;
    let offer = wrapped["sdp"].as_str().ok_or("publish offer without sdp")?;
    let (answer_sdp, publication) =
        super::media::answer(offer, shared.shutdown.subscribe()).await?;
    shared.media.record(*uid, publication.counters.clone());
    Ok((answer_sdp, publication))
}

/// The uid the access point granted, carried back in `join_v2`'s `ap_response`.
fn uid_of_join(message: &Value) -> Option<u32> {
    let ap = &message["ap_response"];
    ap["ticket"]
        .as_str()
        .and_then(super::ap::uid_from_ticket)
        .or_else(|| ap["uid"].as_u64().map(|u| u as u32))
        .filter(|&u| u != 0)
}
