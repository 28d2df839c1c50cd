"""Every official table the catalog covers: where it is published, which SDK version it describes, how
extract.py reads it, and the words generate.py uses for its rows' entries.

Fields:
  id        the table's identifier (front matter `table`, docs/error-sources.md heading)
  product   front matter `product`
  kind      front matter `kind` of generated entries
  sdk       front matter `sdk` of generated entries
  prefix    key prefix of generated entries
  title     the table's name as Agora publishes it
  url       the public page (or file) that publishes it
  version   the SDK or API version the table describes
  reader    how extract.py reads it
  label     how an entry's title names the table ("native local audio stream reason")
  where     where a developer meets the value (one sentence fragment)
  causes    generic likely causes, appended after the row's own
  fix       generic fix, appended after the row's own
  check     `Check with` items
  existing  catalog kinds whose entries already cover rows of this table (matched by name, then value)
"""

import json

RN = "https://github.com/AgoraIO-Extensions/react-native-agora/blob/cea3490582c2caa329e6d432f00be11f547e205f/src/"
RTM1 = "https://github.com/AgoraIO-Community/Agora-Unity-RTM-SDK/blob/0454dece7e3577fb3ba0675ff942e86b49a05e9e/unity_rtm_sdk/Projects/Rtm-Scripts/RtmEnum.cs"
DOCS = "https://docs.agora.io/en/"

PROBE = "`agora-doctor probe --app-id <APP_ID> --token <TOKEN> --channel <CHANNEL>` checks the App ID, token, clock and network the SDK depends on."
TOKEN = "`agora-doctor token <TOKEN> --app-id <APP_ID> --channel <CHANNEL> --uid <UID>` decodes the token and says what it grants and for how long."
SCAN = "`agora-doctor scan <PROJECT_DIR>` lists the Agora SDKs and versions the project uses and known problems with them."
LOG = "`agora-doctor explain --log <LOG_FILE>` finds every Agora error in the app's log and explains each."
REST = "`agora-doctor explain <HTTP_STATUS_OR_CODE>` lists what each Agora RESTful API means by the status; pass the response body to narrow it."

NATIVE_CAUSES = [
    "The app called the API in a state the SDK does not allow (before initialising the engine, before joining, after leaving).",
    "An argument the SDK rejected; the SDK's log (agorasdk.log) names the call.",
]
NATIVE_FIX = "Read the call that returned the code (native APIs return it negated, e.g. `-{value}`) and the callback that reported it, then compare with the API reference of the SDK version in use."

TABLES = [
    # ------------------------------------------------------------------ RTC native (4.x)
    dict(id="rtc-native-error-code-type", product="rtc", kind="native-error", sdk="native", prefix="native.",
         title="ERROR_CODE_TYPE (native RTC error codes)", url=RN + "AgoraBase.ts", version="RTC native SDK 4.6 (react-native-agora 4.6.2 type declarations, mirroring AgoraBase.h)",
         reader="rn:src/AgoraBase.ts#ErrorCodeType", label="native error code",
         where="returned (negated) by a native API call or passed to `onError(err, msg)`",
         causes=NATIVE_CAUSES, fix=NATIVE_FIX, check=[PROBE, LOG], existing=["native-error"]),
    dict(id="rtc-native-error-codes-doc", product="rtc", kind="native-error", sdk="native", prefix="native.",
         title="Error codes (native platforms and wrappers)", url=DOCS + "video-calling/troubleshooting/error-codes?platform=android", version="RTC native SDK 4.x",
         reader="docs_native_errors", label="native error code",
         where="returned (negated) by a native API call or passed to `onError(err, msg)`",
         causes=NATIVE_CAUSES, fix=NATIVE_FIX, check=[PROBE, LOG], existing=["native-error"], by_value=True),
    dict(id="rtc-native-warn-code-type", product="rtc", kind="native-warning", sdk="native", prefix="native.",
         title="WARN_CODE_TYPE (native RTC warning codes)", url=RN + "AgoraBase.ts", version="RTC native SDK 4.6 declarations (warnings were reported through onWarning up to 3.x)",
         reader="rn:src/AgoraBase.ts#WarnCodeType", label="native warning code",
         where="passed to `onWarning(warn, msg)` (3.x) or written to the SDK log",
         causes=["A condition the SDK expects to recover from by itself (a slow network, a busy device, a retry in progress)."],
         fix="A warning alone needs no action; act when it repeats or comes with an error or a failed connection state.",
         check=[LOG, PROBE], existing=["native-warning"], supplement="rtc-native-warnings-3x"),
    dict(id="rtc-native-warnings-3x", product="rtc", kind="native-warning", sdk="native", prefix="native.",
         title="Warning codes (native SDK 3.x)", url=DOCS + "on-premise-recording/reference/error-codes", version="RTC native SDK 3.x",
         reader="docs_native_warnings_3x", label="native warning code",
         where="passed to `onWarning(warn, msg)` by native SDK 3.x",
         causes=["A condition the SDK expects to recover from by itself (a slow network, a busy device, a retry in progress)."],
         fix="A warning alone needs no action; act when it repeats or comes with an error or a failed connection state.",
         check=[LOG, PROBE], existing=["native-warning"], by_value=True),
    dict(id="rtc-connection-changed-reason-type", product="rtc", kind="connection-reason", sdk="native", prefix="native.",
         title="CONNECTION_CHANGED_REASON_TYPE", url=RN + "AgoraBase.ts", version="RTC native SDK 4.6",
         reader="rn:src/AgoraBase.ts#ConnectionChangedReasonType", label="native connection-changed reason",
         where="the `reason` argument of `onConnectionStateChanged(state, reason)`",
         causes=[], fix="", check=[PROBE], existing=["connection-reason"]),
    dict(id="rtc-connection-state-type", product="rtc", kind="connection-state", sdk="native", prefix="native.",
         title="CONNECTION_STATE_TYPE", url=RN + "AgoraBase.ts", version="RTC native SDK 4.6",
         reader="rn:src/AgoraBase.ts#ConnectionStateType", label="native connection state",
         where="the `state` argument of `onConnectionStateChanged(state, reason)`",
         causes=[], fix="", check=[PROBE], existing=["connection-state"]),
]


def native_enum(id, enum, label, where, causes, fix, check, path="AgoraBase.ts", kind="native-reason"):
    TABLES.append(dict(id=id, product="rtc", kind=kind, sdk="native", prefix="native.",
                       title=enum + " (" + label + ")", url=RN + path, version="RTC native SDK 4.6 (react-native-agora 4.6.2 type declarations)",
                       reader="rn:src/" + path + "#" + enum, label="native " + label, where=where,
                       causes=causes, fix=fix, check=check, existing=["native-reason"]))


DEVICE = [
    "Another app or another engine instance holds the device.",
    "The app lacks the OS permission (Android RECORD_AUDIO or CAMERA, iOS usage descriptions, macOS privacy settings).",
]
native_enum("rtc-local-audio-stream-reason", "LocalAudioStreamReason", "local audio stream reason",
            "the `reason` argument of `onLocalAudioStateChanged(connection, state, reason)`", DEVICE,
            "Check the microphone permission and that no other app holds the microphone, then restart capture (`enableLocalAudio(true)`) or rejoin.", [SCAN, LOG])
native_enum("rtc-local-video-stream-reason", "LocalVideoStreamReason", "local video stream reason",
            "the `reason` argument of `onLocalVideoStateChanged(source, state, reason)`", DEVICE,
            "Check the camera or screen-capture permission and that no other app holds the device, then restart capture or preview.", [SCAN, LOG])
native_enum("rtc-remote-audio-state-reason", "RemoteAudioStateReason", "remote audio state reason",
            "the `reason` argument of `onRemoteAudioStateChanged(connection, uid, state, reason, elapsed)`",
            ["The remote user muted, disabled or stopped publishing audio, or left.", "The network between the users degraded."],
            "Usually informational: it says why a remote user's audio started or stopped. Investigate the network only for the network reasons.", [PROBE])
native_enum("rtc-remote-video-state-reason", "RemoteVideoStateReason", "remote video state reason",
            "the `reason` argument of `onRemoteVideoStateChanged(connection, uid, state, reason, elapsed)`",
            ["The remote user muted, disabled or stopped publishing video, or left.", "The network between the users degraded, or the stream fell back to audio only."],
            "Usually informational: it says why a remote user's video started or stopped. Investigate the network only for the network reasons.", [PROBE])
native_enum("rtc-rtmp-stream-publish-reason", "RtmpStreamPublishReason", "RTMP stream publish reason",
            "the `reason` argument of `onRtmpStreamingStateChanged(url, state, reason)` (Media Push from the SDK)",
            ["The RTMP URL, stream key or transcoding settings are wrong.", "Media Push is not enabled for the project, or the CDN refused the stream."],
            "Check the RTMP URL and stream key, that Media Push is enabled for the App ID, and the transcoding settings; then stop and start the stream again.", [PROBE])
native_enum("rtc-channel-media-relay-error", "ChannelMediaRelayError", "channel media relay error",
            "the `code` argument of `onChannelMediaRelayStateChanged(state, code)`",
            ["A destination channel's token or channel name is wrong.", "The relay service is not enabled or cannot reach the destination."],
            "Check each destination channel's name, uid and token (a token for that channel and the relay uid), then restart the relay.", [TOKEN])
native_enum("rtc-encryption-error-type", "EncryptionErrorType", "encryption error",
            "the `errorType` argument of `onEncryptionError(errorType)`",
            ["The users in the channel do not use the same encryption mode, key and salt."],
            "Give every user the same encryption mode, key and (for GCM2 modes) salt before joining.", [LOG])
native_enum("rtc-upload-error-reason", "UploadErrorReason", "log upload error",
            "the `reason` argument of `onUploadLogResult(requestId, success, reason)`",
            ["The network blocked the upload, or the server was busy."],
            "Retry the upload later on a working network.", [PROBE])
native_enum("rtc-renew-token-error-code", "RenewTokenErrorCode", "renew token error",
            "the `code` argument of `onRenewTokenResult(connection, token, code)`",
            ["The new token was built for another App ID, channel or uid, or with an old certificate.", "The new token had already expired."],
            "Build the new token from exactly the session's App ID, channel and uid with the project's current certificate, then call `renewToken` again.", [TOKEN])
native_enum("rtc-permission-type", "PermissionType", "permission type",
            "the `permissionType` argument of `onPermissionError(permissionType)`",
            ["The user refused the permission, or the app never asked for it.", "The manifest or Info.plist lacks the permission entry."],
            "Declare the permission (Android manifest, iOS usage description) and request it at run time before the SDK starts capture.", [SCAN])
native_enum("rtc-client-role-change-failed-reason", "ClientRoleChangeFailedReason", "client role change failed reason",
            "the `reason` argument of `onClientRoleChangeFailed(connection, reason, currentRole)`",
            ["The channel reached its host limit, or the request timed out or was refused by the server."],
            "Retry `setClientRole` after the connection is stable; check the host limit of the channel profile.", [PROBE])
native_enum("rtc-license-error-type", "LicenseErrorType", "license error",
            "the `reason` argument of `onLicenseValidationFailure(connection, reason)`",
            ["The licence is invalid, expired, or bound to another device or App ID."],
            "Check the licence with Agora's sales or support and that it matches this App ID and device.", [PROBE])
native_enum("rtc-video-transcoder-error", "VideoTranscoderError", "local video transcoder error",
            "the `error` argument of `onLocalVideoTranscoderError(stream, error)`",
            ["A source stream of the local transcoder is not capturing, or its format is not supported."],
            "Check that every source of the local compositing is started and supported.", [LOG])
native_enum("rtc-user-offline-reason", "UserOfflineReasonType", "user offline reason",
            "the `reason` argument of `onUserOffline(connection, remoteUid, reason)`",
            ["The remote user left, lost its connection, or became an audience member."],
            "Informational: it says why a remote user left.", [PROBE])
native_enum("rtc-media-player-reason", "MediaPlayerReason", "media player reason",
            "the `reason` argument of `onPlayerSourceStateChanged(state, reason)` of the media player",
            ["The media URL or file is wrong, unreachable or in an unsupported format."],
            "Check the media URL or path and its format; open it again.", [LOG], path="AgoraMediaPlayerTypes.ts")
native_enum("rtc-audio-mixing-reason", "AudioMixingReasonType", "audio mixing reason",
            "the `reason` argument of `onAudioMixingStateChanged(state, reason)`",
            ["The music file path is wrong or the file cannot be opened."],
            "Check the file path or URL passed to `startAudioMixing` and its format.", [LOG], path="IAgoraRtcEngine.ts")
native_enum("rtc-direct-cdn-streaming-reason", "DirectCdnStreamingReason", "direct CDN streaming reason",
            "the `reason` argument of `onDirectCdnStreamingStateChanged(state, reason, message)`",
            ["The CDN URL is wrong, or capture failed."], "Check the CDN URL and capture, then start again.", [LOG], path="IAgoraRtcEngine.ts")
native_enum("rtc-recorder-reason", "RecorderReasonCode", "media recorder reason",
            "the `reason` argument of the media recorder's `onRecorderStateChanged(channelId, uid, state, reason)`",
            ["The file cannot be written, or no stream arrived."], "Check the storage path and that the stream is being received.", [LOG], path="AgoraMediaBase.ts")

NPM = "https://www.npmjs.com/package/agora-rtc-sdk-ng/v/4.24.8"
for kind, title, label in [
    ("web-code", "AgoraRTCErrorCode (rtc-sdk_en.d.ts)", "Web SDK error code"),
    ("gateway-reason", "access-point reasons (the bundle's AP reason table)", "Web SDK access-point reason"),
    ("gateway-join-code", "gateway (websocket) error codes (the bundle's gateway error enum)", "Web SDK gateway code"),
    ("web-disconnect-reason", "ConnectionDisconnectedReason (rtc-sdk_en.d.ts)", "Web SDK disconnect reason"),
    ("web-connection-state", "ConnectionState (rtc-sdk_en.d.ts)", "Web SDK connection state"),
]:
    TABLES.append(dict(id="rtc-web-" + kind, product="rtc", kind=kind, sdk="web", prefix="web.",
                       title=title, url=NPM, version="Web SDK 4.24.8 (npm agora-rtc-sdk-ng)",
                       reader="research:" + kind, label=label, where="", causes=[], fix="", check=[PROBE],
                       existing=[kind], by_value=kind == "gateway-reason"))

TABLES += [
    # ------------------------------------------------------------------ RTC Web
    dict(id="rtc-web-error-codes-doc", product="rtc", kind="web-code", sdk="web", prefix="web.",
         title="Web SDK error codes (AgoraRTCError codes)", url=DOCS + "video-calling/troubleshooting/error-codes?platform=web", version="Web SDK 4.x",
         reader="docs_web_errors", label="Web SDK error code", where="the `code` of an `AgoraRTCError` the Web SDK throws or rejects with",
         causes=[], fix="", check=[PROBE], existing=["web-code"]),
    # ------------------------------------------------------------------ Signaling 2.x
    dict(id="rtm2-error-codes", product="rtm", kind="rtm-error", sdk="rtm2", prefix="rtm2.",
         title="Signaling (RTM) 2.x error codes (RTM_ERROR_CODE)", url=DOCS + "signaling/reference/error-codes", version="Signaling SDK 2.x",
         reader="rtm2_errors", label="Signaling (RTM) 2.x error code",
         where="the `errorCode` of an `ErrorInfo` a Signaling 2.x call completes with (or the `code` of an `RtmError` in JavaScript)",
         causes=["Signaling is not enabled for the App ID, or the call came before `login` finished."],
         fix="Read the `operation` and `reason` that come with the code; they name the call that failed.",
         check=[TOKEN, LOG], existing=["rtm-error"]),
    dict(id="rtm2-connection-change-reason", product="rtm", kind="rtm-reason", sdk="rtm2", prefix="rtm2.",
         title="RTM_CONNECTION_CHANGE_REASON (Signaling 2.x)", url=DOCS + "signaling/reference/api?platform=linux-cpp", version="Signaling SDK 2.x",
         reader="rtm2_connection_reasons", label="Signaling (RTM) 2.x connection change reason",
         where="the `reason` of a Signaling 2.x `onConnectionStateChanged` / link-state event",
         causes=[], fix="", check=[TOKEN], existing=["rtm-reason"]),
]

# ------------------------------------------------------------------ Signaling 1.x (legacy RTM)
for enum, label, where in [
    ("INIT_ERR_CODE", "initialisation error", "returned by `createInstance` / `initialize`"),
    ("LOGIN_ERR_CODE", "login error", "the `errorCode` of `onLoginFailure`"),
    ("LOGOUT_ERR_CODE", "logout error", "the `errorCode` of `onLogout`"),
    ("RENEW_TOKEN_ERR_CODE", "renew token error", "the `errorCode` of `onRenewTokenResult`"),
    ("CONNECTION_STATE", "connection state", "the `state` of `onConnectionStateChanged(state, reason)`"),
    ("CONNECTION_CHANGE_REASON", "connection change reason", "the `reason` of `onConnectionStateChanged(state, reason)`"),
    ("PEER_MESSAGE_ERR_CODE", "peer message error", "the `errorCode` of `onSendMessageResult` for `sendMessageToPeer`"),
    ("JOIN_CHANNEL_ERR", "channel join error", "the `errorCode` of `onJoinFailure` for `channel.join`"),
    ("LEAVE_CHANNEL_ERR", "channel leave error", "the `errorCode` of `onLeave` for `channel.leave`"),
    ("LEAVE_CHANNEL_REASON", "channel leave reason", "why the SDK left a channel"),
    ("CHANNEL_MESSAGE_ERR_CODE", "channel message error", "the `errorCode` of `onSendMessageResult` for `channel.sendMessage`"),
    ("GET_MEMBERS_ERR", "get members error", "the `errorCode` of `onGetMembers`"),
    ("QUERY_PEERS_ONLINE_STATUS_ERR", "query peers online status error", "the `errorCode` of `onQueryPeersOnlineStatusResult`"),
    ("PEER_SUBSCRIPTION_STATUS_ERR", "peer subscription error", "the `errorCode` of `onSubscriptionRequestResult`"),
    ("QUERY_PEERS_BY_SUBSCRIPTION_OPTION_ERR", "query subscribed peers error", "the `errorCode` of `onQueryPeersBySubscriptionOptionResult`"),
    ("ATTRIBUTE_OPERATION_ERR", "attribute operation error", "the `errorCode` of user or channel attribute calls"),
    ("GET_CHANNEL_MEMBER_COUNT_ERR_CODE", "channel member count error", "the `errorCode` of `onGetChannelMemberCountResult`"),
    ("DOWNLOAD_MEDIA_ERR_CODE", "media download error", "the `errorCode` of `onMediaDownloadResult`"),
    ("UPLOAD_MEDIA_ERR_CODE", "media upload error", "the `errorCode` of `onMediaUploadResult`"),
    ("CANCEL_MEDIA_ERR_CODE", "media cancel error", "returned by `cancelMediaDownload` / `cancelMediaUpload`"),
    ("LOCAL_INVITATION_ERR_CODE", "local invitation error", "the `errorCode` of `onLocalInvitationFailure`"),
    ("REMOTE_INVITATION_ERR_CODE", "remote invitation error", "the `errorCode` of `onRemoteInvitationFailure`"),
    ("INVITATION_API_CALL_ERR_CODE", "invitation API call error", "returned by the call-invitation methods"),
]:
    TABLES.append(dict(id="rtm1-" + enum.lower().replace("_", "-"), product="rtm",
                       kind="rtm-login-error" if enum == "LOGIN_ERR_CODE" else ("rtm-reason" if enum in ("CONNECTION_CHANGE_REASON", "CONNECTION_STATE", "LEAVE_CHANNEL_REASON") else "rtm1-error"),
                       sdk="rtm1", prefix="rtm1.", title=enum + " (Signaling 1.x)", url=RTM1, version="RTM SDK 1.x (1.4)",
                       reader="rtm1:" + enum, label="Signaling (RTM) 1.x " + label, where=where,
                       causes=["The call came before `login` succeeded or after the connection was aborted."] if enum not in ("CONNECTION_STATE", "CONNECTION_CHANGE_REASON", "LEAVE_CHANNEL_REASON") else [],
                       fix="RTM 1.x is legacy; Signaling 2.x replaces it (see Agora's migration guide)." ,
                       check=[TOKEN], existing=["rtm-login-error", "rtm1-error", "rtm-reason"], qualify=enum))

CHAT_CHECK = ["`agora-doctor explain --log <LOG_FILE>` finds every Agora error in the app's log and explains each."]
TABLES += [
    # ------------------------------------------------------------------ Chat
    dict(id="chat-sdk-error-codes", product="chat", kind="chat-error", sdk="chat", prefix="chat.",
         title="Chat SDK error codes (Android, iOS, Flutter, React Native, Unity, Windows)", url=DOCS + "agora-chat/reference/error-codes?platform=android", version="Chat SDK 1.x",
         reader="chat_native", label="Chat SDK error code",
         where="the `errorCode` of a `ChatException` / `AgoraChatError` a Chat SDK call fails with, or of `onError`",
         causes=["The Chat App Key, user ID or user token does not match the project; Chat must be enabled for the project."],
         fix="", check=CHAT_CHECK, existing=["chat-error"]),
    dict(id="chat-web-error-codes", product="chat", kind="chat-web-error", sdk="chat-web", prefix="chat_web.",
         title="Chat Web SDK error codes", url=DOCS + "agora-chat/reference/error-codes?platform=web", version="Chat Web SDK 1.x",
         reader="chat_web", label="Chat Web SDK error code",
         where="the `type` of the error object a Chat Web SDK call rejects with, or of the `onError` event",
         causes=["The Chat App Key, user ID or user token does not match the project; Chat must be enabled for the project."],
         fix="", check=CHAT_CHECK, existing=["chat-web-error"]),
    dict(id="chat-rest-status-codes", product="chat", kind="rest-status", sdk="chat-rest", prefix="chat_rest.",
         title="Chat RESTful API HTTP status codes", url=DOCS + "agora-chat/reference/http-status-codes", version="Chat RESTful API",
         reader="chat_rest", label="Chat RESTful API status", where="the HTTP status and `error` field of a Chat RESTful API response",
         causes=["The app token in the `Authorization` header is missing, expired or for another App Key."], fix="", check=[REST], existing=[]),
    # ------------------------------------------------------------------ Cloud Recording
    dict(id="cloud-recording-status-codes", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.",
         title="Cloud Recording RESTful API response status codes", url=DOCS + "cloud-recording/rest-api/status-codes", version="Cloud Recording RESTful API v1",
         reader="cloud_recording", label="Cloud Recording response code", where="the HTTP status and `code`/`reason` of a Cloud Recording RESTful API response (acquire, start, query, update, stop)",
         causes=["The Customer ID and Customer Secret (HTTP basic auth) are wrong or belong to another account.", "Cloud Recording is not enabled for the App ID."],
         fix="", check=[REST], existing=[]),
    dict(id="cloud-recording-common-errors", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.",
         title="Cloud Recording common errors (numbered error codes)", url=DOCS + "cloud-recording/reference/common-errors",
         version="Cloud Recording RESTful API v1, the Common errors page as published until 2026-06 (Docs-Source b1cf5a9^)",
         reader="cloud_recording_common_errors", label="Cloud Recording error code",
         where="the `code` of a Cloud Recording RESTful API response body (acquire, start, query, updateLayout, stop)",
         causes=["The request's resource ID, sid, channel name or uid do not belong together, or the session already ended."],
         fix="", check=[REST], existing=[]),
    dict(id="cloud-recording-ncs-error-codes", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.ncs_",
         title="Cloud Recording error codes (upload and service errors of the cloud_recording_error event)", url=DOCS + "cloud-recording/develop/receive-notifications", version="Cloud Recording RESTful API v1 (Notification Center Service events)",
         reader="cloud_recording_ncs_errors", label="Cloud Recording callback error", where="the `errorCode` in the `details` of a `cloud_recording_error` (eventType 1) notification",
         causes=["The third-party storage settings (vendor, region, bucket, access key, secret key) are wrong, or the storage refused the upload.", "The recording could not start or upload in time."], fix="Check the `storageConfig` of the `start` request against the storage vendor's console; the recorded files wait in Agora Cloud Backup and are uploaded again once the storage accepts them.", check=[REST], existing=[]),
    dict(id="cloud-recording-ncs-warning-codes", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.ncs_",
         title="Cloud Recording warning codes (uploader warnings of the cloud_recording_warning event)", url=DOCS + "cloud-recording/develop/receive-notifications", version="Cloud Recording RESTful API v1 (Notification Center Service events)",
         reader="cloud_recording_ncs_warnings", label="Cloud Recording callback warning", where="the `warnCode` in the `details` of a `cloud_recording_warning` (eventType 2) notification",
         causes=["An upload to the third-party storage failed once and is being retried."], fix="A warning alone needs no action; if uploads keep falling back to Agora Cloud Backup, check the storage settings.", check=[REST], existing=[]),
    dict(id="cloud-recording-ncs-status-codes", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.ncs_",
         title="Cloud Recording service status codes (cloud_recording_status_update event and query)", url=DOCS + "cloud-recording/develop/receive-notifications", version="Cloud Recording RESTful API v1 (Notification Center Service events)",
         reader="cloud_recording_ncs_status", label="Cloud Recording service status", where="the `status` of a `cloud_recording_status_update` (eventType 3) notification or of a `query` response",
         causes=[], fix="", check=[REST], existing=[]),
    dict(id="cloud-recording-ncs-leave-codes", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.ncs_",
         title="Cloud Recording leave codes (leaveCode of the recorder_leave event)", url=DOCS + "cloud-recording/develop/receive-notifications", version="Cloud Recording RESTful API v1 (Notification Center Service events)",
         reader="cloud_recording_ncs_leave", label="Cloud Recording recorder leave code", where="a bit of the `leaveCode` in the `details` of a `recorder_leave` (eventType 41) notification",
         causes=[], fix="A `leaveCode` is a bit mask: AND it with each value to find every reason (6 = LEAVE_CODE_SIG and LEAVE_CODE_NO_USERS).", check=[REST], existing=[]),
    dict(id="cloud-recording-ncs-web-recorder-stop-codes", product="cloud-recording", kind="rest-status", sdk="cloud-recording", prefix="cloud_recording.ncs_",
         title="Web page recording stop codes (web_recorder_stopped event)", url=DOCS + "cloud-recording/develop/receive-notifications", version="Cloud Recording RESTful API v1 (Notification Center Service events)",
         reader="cloud_recording_ncs_web_stop", label="web page recording stop code", where="the `code` and `message` in the `details` of a `web_recorder_stopped` (eventType 71) notification",
         causes=["The recorded page or its settings stopped the web page recording (length limit, unsupported feature, load timeout, unreachable URL)."], fix="Read the notification's `details` text; for a page load timeout or an unreachable URL, open the page from a clean browser at the same URL and fix what it needs before starting the recording.", check=[REST], existing=[]),
    # ------------------------------------------------------------------ Other RESTful APIs
    dict(id="rest-channel-management-status", product="rest", kind="rest-status", sdk="rest", prefix="rest.channel_management.",
         title="Channel Management RESTful API response status codes", url=DOCS + "video-calling/channel-management-api/response-status-code", version="RESTful API v1",
         reader='http:{"path": "shared/common/channel-management-api/response-status-code.mdx", "desc_col": 1, "fix_col": 2}',
         label="RESTful API (Customer ID/Secret) status", where="the HTTP status of an Agora RESTful API request authenticated with Customer ID and Customer Secret",
         causes=["The `Authorization: Basic` header is built from a wrong Customer ID/Secret pair, or not base64 of `id:secret`."], fix="", check=[REST], existing=[]),
    dict(id="signaling-rest-error-codes", product="rtm", kind="rest-status", sdk="rtm-rest", prefix="rtm_rest.",
         title="Signaling RESTful API error codes", url=DOCS + "signaling/reference/error-codes", version="Signaling RESTful API",
         reader='http:{"path": "signaling/reference/error-codes.mdx", "desc_col": 2, "fix_col": 3, "msg_col": 1}',
         label="Signaling RESTful API error", where="the `errorCode` and `reason` of a Signaling RESTful API response",
         causes=[], fix="", check=[REST], existing=[]),
    dict(id="convoai-rest-status-codes", product="convoai", kind="rest-status", sdk="convoai", prefix="convoai.",
         title="Conversational AI Engine RESTful API status codes", url=DOCS + "conversational-ai/rest-api/reference", version="Conversational AI Engine RESTful API v2",
         reader='http:{"path": "conversational-ai/rest-api/reference.mdx", "desc_col": 2, "msg_col": 1}',
         label="Conversational AI agent API status", where="the HTTP status of a Conversational AI agent request (join, leave, update, query, speak, interrupt)",
         causes=["The request's credentials, App ID or agent name are wrong, or the service is not enabled."], fix="", check=[REST], existing=[]),
    dict(id="whiteboard-rest-status-codes", product="whiteboard", kind="rest-status", sdk="whiteboard", prefix="whiteboard.",
         title="Interactive Whiteboard RESTful API status codes", url=DOCS + "interactive-whiteboard/reference/whiteboard-api/overview", version="Interactive Whiteboard RESTful API v5",
         reader='http:{"path": "interactive-whiteboard/reference/whiteboard-api/overview.md", "desc_col": 2, "msg_col": 1}',
         label="Interactive Whiteboard API status", where="the HTTP status of an Interactive Whiteboard (Netless) RESTful API request",
         causes=["The SDK token, room token or task token in the `token` header is wrong or lacks the role the call needs."], fix="", check=[REST], existing=[]),
    dict(id="whiteboard-file-conversion-errors", product="whiteboard", kind="whiteboard-error", sdk="whiteboard", prefix="whiteboard.",
         title="Interactive Whiteboard file-conversion error codes", url=DOCS + "interactive-whiteboard/reference/whiteboard-api/file-conversion", version="Interactive Whiteboard file conversion (projector) API",
         reader="whiteboard_conversion", label="Interactive Whiteboard file-conversion error", where="the `errorCode` of a file-conversion task the Whiteboard service reports failed",
         causes=["The uploaded document is damaged, edited by other software, too large, or in an unsupported format."], fix="", check=[REST], existing=[]),
    dict(id="classroom-rest-error-codes", product="classroom", kind="classroom-error", sdk="classroom", prefix="classroom.",
         title="Flexible Classroom RESTful API response codes", url=DOCS + "flexible-classroom/restful-api/classroom-api", version="Flexible Classroom RESTful API v2/v3",
         reader="classroom_rest", label="Flexible Classroom response code", where="the HTTP status and `code` of a Flexible Classroom RESTful API response",
         causes=["The `x-agora-token` / `x-agora-uid` headers do not match, or the classroom is in another state than the call expects."], fix="", check=[REST, TOKEN], existing=[]),
    dict(id="media-gateway-status-codes", product="media-gateway", kind="rest-status", sdk="media-gateway", prefix="media_gateway.",
         title="Media Gateway RESTful API response status codes", url=DOCS + "media-gateway/reference/rest-api/response-status-codes", version="Media Gateway RESTful API v1",
         reader='http:{"path": "shared/media-gateway/reference/rest-api/response-status-codes.mdx", "msg_col": 1, "desc_col": 2, "fix_col": 3}',
         label="Media Gateway API status", where="the HTTP status and `message` of a Media Gateway (streaming key) RESTful API response",
         causes=["The Customer ID/Secret are wrong, or Media Gateway is not enabled for the App ID."], fix="", check=[REST], existing=[]),
    dict(id="media-push-status-codes", product="media-push", kind="rest-status", sdk="media-push", prefix="media_push.",
         title="Media Push RESTful API response status codes (Converter)", url=DOCS + "media-push/develop/integration-best-practices",
         version="Media Push RESTful API v1 (Converter: create, delete, update, get)",
         reader='http:{"path": "media-push/develop/integration-best-practices.mdx", "msg_col": 1, "desc_col": 2, "fix_col": 3, "header": "Status code"}',
         label="Media Push (Converter) API status", where="the HTTP status and `message` of a Media Push RESTful API response (a Converter create, update, delete or get)",
         causes=["The Customer ID/Secret are wrong, Media Push is not enabled for the App ID, or the Converter was already destroyed."], fix="", check=[REST], existing=[]),
    dict(id="cloud-transcoding-status-codes", product="cloud-transcoding", kind="rest-status", sdk="cloud-transcoding", prefix="cloud_transcoding.",
         title="Cloud Transcoding status codes", url=DOCS + "cloud-transcoding/reference/status-codes", version="Cloud Transcoding RESTful API v1",
         reader='http:{"path": "cloud-transcoding/reference/status-codes.mdx", "desc_col": 1, "fix_col": 2}',
         label="Cloud Transcoding status", where="the HTTP status of a Cloud Transcoding (or multi-bitrate) RESTful API response",
         causes=["The Customer ID/Secret are wrong, the builder token expired, or the service is not enabled."], fix="", check=[REST], existing=[]),
    dict(id="stt-status-codes", product="stt", kind="rest-status", sdk="stt", prefix="stt.",
         title="Real-Time STT response codes", url=DOCS + "real-time-stt/reference/common-errors", version="Real-Time STT RESTful API v7",
         reader='http:{"path": "shared/real-time-stt/reference/common-errors.mdx", "desc_col": 1}',
         label="Real-Time STT status", where="the HTTP status of a Real-Time Speech-to-Text RESTful API response",
         causes=["The Customer ID/Secret are wrong, the builder token expired, or the service is not enabled."], fix="", check=[REST], existing=[]),
]

# ------------------------------------------------------------------ Notification Center Service (webhooks)
NCS_CHECK = ["`agora-doctor explain ncs <EVENT_TYPE>` says what an `eventType` of a webhook notification means."]


def ncs_events(id, prefix, title, page, version, reader, label, where, causes, fix):
    """A table of webhook event types the Notification Center Service posts (`reader` is its Docs-Source file)."""
    TABLES.append(dict(id=id, product="ncs", kind="ncs-event", sdk="ncs", prefix=prefix, title=title, url=DOCS + page,
                       version=version, reader="ncs:" + reader, label=label, where=where, causes=[causes], fix=fix,
                       check=NCS_CHECK, existing=[]))


ncs_events("ncs-channel-event-types", "ncs.", "Channel event types (NCS webhooks for RTC channels)",
           "video-calling/channel-management-api/webhook/channel-event-type",
           "Notification Center Service, channel events (productId 1)",
           "shared/common/channel-management-api/webhooks/channel-event-type.mdx", "NCS channel event",
           "the `eventType` of a channel event notification Agora posts to your webhook",
           "Normal channel activity reported by Agora's servers; it describes what happened, not a fault.",
           "Nothing to fix: handle the event in your webhook; when events arrive late, twice or out of order, order them by `ts` and de-duplicate by `noticeId`.")
TABLES.append(dict(id="ncs-cloud-recording-event-types", product="ncs", kind="ncs-event", sdk="ncs", prefix="ncs.cloud_recording_",
     title="Cloud Recording NCS event types", url=DOCS + "cloud-recording/develop/receive-notifications",
     version="Cloud Recording RESTful API v1",
     reader="ncs_cloud_recording_events", label="NCS Cloud Recording event",
     where="the `eventType` of a Cloud Recording notification Agora posts to your webhook",
     causes=["The recording reports a step of its life (recorder, uploader, web page recorder) or an error or warning, which the payload details."],
     fix="Handle the event in your webhook; for `cloud_recording_error` (1) and `cloud_recording_warning` (2) read the payload's `module`, `errorCode`/`warnCode` and `errorMsg`.",
     check=NCS_CHECK, existing=[]))
ncs_events("ncs-cloud-transcoding-event-types", "ncs.transcoding_", "Cloud Transcoding NCS event types",
           "cloud-transcoding/reference/webhooks/ncs-events", "Cloud Transcoding RESTful API v1",
           "cloud-transcoding/reference/webhooks/ncs-events.mdx", "NCS Cloud Transcoding event",
           "the `eventType` of a Cloud Transcoding notification Agora posts to your webhook",
           "Cloud Transcoding reports a change of its task (started, stopped, state or configuration changed).",
           "Nothing to fix by itself: read the payload's status fields; a stop you did not request comes with its reason there.")
ncs_events("ncs-media-push-event-types", "ncs.media_push_", "Media Push NCS event types",
           "media-push/develop/receive-notifications", "Media Push RESTful API v1",
           "shared/notification-center-service/event-types/media-push.mdx", "NCS Media Push event",
           "the `eventType` of a Media Push (Converter) notification Agora posts to your webhook",
           "A Converter was created, reconfigured, changed its running state or was destroyed.",
           "Nothing to fix by itself: for a state change read the payload's `state`; a Converter destroyed that you did not delete went idle past `idleTimeOut` or failed, which the payload says.")
ncs_events("ncs-conversational-ai-event-types", "ncs.convoai_", "Conversational AI Engine NCS event types",
           "conversational-ai/develop/event-types", "Conversational AI Engine RESTful API v2",
           "conversational-ai/develop/event-types.mdx", "NCS Conversational AI event",
           "the `eventType` of a Conversational AI notification Agora posts to your webhook",
           "The agent reports a step of its life (joined, left, history, token expiry, error, metrics) or of a call.",
           "Handle the event in your webhook; for `agent error` and `agent left` read the payload's reason and fix what it names (credentials of the LLM/TTS vendor, an expired token).")

# ------------------------------------------------------------------ Statuses every Agora RESTful API shares
# Agora's RESTful APIs answer with the statuses of the shared RESTful table (response-status-code) as well as
# their own; a product whose own table lacks one of them gets that row, read in the product's terms.
SHARED_STATUS = "shared/common/channel-management-api/response-status-code.mdx"
for product, prefix, name, only, where, causes in [
    ("cloud-recording", "cloud_recording.", "Cloud Recording", ["403", "415"],
     "the HTTP status of a Cloud Recording RESTful API response (acquire, start, query, update, stop)",
     ["The Customer ID and Customer Secret (HTTP basic auth) are wrong or belong to another account.", "Cloud Recording is not enabled for the App ID."]),
    ("whiteboard", "whiteboard.", "Interactive Whiteboard", ["415", "429"],
     "the HTTP status of an Interactive Whiteboard (Netless) RESTful API request",
     ["The SDK token, room token or task token in the `token` header is wrong or lacks the role the call needs."]),
    ("classroom", "classroom.", "Flexible Classroom", ["403", "415", "429"],
     "the HTTP status of a Flexible Classroom RESTful API response",
     ["The `x-agora-token` / `x-agora-uid` headers do not match, or the classroom is in another state than the call expects."]),
]:
    TABLES.append(dict(id=product + "-rest-shared-status", product=product, kind="rest-status", sdk=product, prefix=prefix + "rest_",
                       title=f"Response status codes shared by Agora's RESTful APIs, as {name} returns them",
                       url=DOCS + "video-calling/channel-management-api/response-status-code",
                       version=f"Agora RESTful API v1 (the shared table's rows that {name}'s own table does not list)",
                       reader='http:{"path": "%s", "desc_col": 1, "fix_col": 2, "only": %s}' % (SHARED_STATUS, json.dumps(only)),
                       label=f"{name} API status (shared RESTful status)", where=where, causes=causes, fix="", check=[REST], existing=[]))

# ------------------------------------------------------------------ Tables written from source files
# Their rows (scripts/catalog/rows/<id>.tsv) are read by hand from the files named in each row's `section`;
# extract.py leaves them as they are. A row's `entry` names the hand-written entry that explains it.
TABLES += [
    dict(id="classroom-rest-error-codes-cn", product="classroom", kind="classroom-error", sdk="classroom", prefix="classroom.",
         title="Flexible Classroom RESTful API response codes (Chinese reference, rows the English page lacks)",
         url="https://docs.agora.io/cn/agora-class/agora_class_restful_api?platform=RESTful",
         version="Flexible Classroom RESTful API (Chinese reference in github.com/AgoraIO/agora_doc_source at 6f81e44)",
         reader="hand", hand=True, label="Flexible Classroom response code", where="the HTTP status and `code` of a Flexible Classroom RESTful API response",
         causes=["The `x-agora-token` / `x-agora-uid` headers do not match, or the classroom is in another state than the call expects."], fix="", check=[REST, TOKEN], existing=[]),
    dict(id="token-builder-messages", product="token", kind="message", sdk="token-builder", prefix="token_builder.",
         title="Messages the token builders and token-server samples print or throw",
         url="https://github.com/AgoraIO/Tools/tree/da06bfb/DynamicKey/AgoraDynamicKey",
         version="AgoraIO/Tools DynamicKey builders at da06bfb (C++, Go, Python, PHP, C#, Java, Dart, Node: npm agora-token 2.0.5); AgoraIO-Community/agora-token-service at b1fa0fc",
         reader="hand", hand=True, label="token builder message", where="printed or thrown by a token builder or token server",
         causes=[], fix="", check=[TOKEN], existing=["message", "platform"]),
]
