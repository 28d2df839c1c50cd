//! C types of Agora's native SDK C API (4.4.32 family), written from the header facts in
//! `docs/native-c-api.md` (`agora_service.h`, `agora_rtc_conn.h`, `agora_media_base.h`,
//! `agora_local_user.h`) and checked by layout tests. Shared verbatim with the SDK double.
//!
//! Only plain data and function-pointer types live here: no code runs.

use std::ffi::{c_char, c_int, c_uint, c_void};

/// `AGORA_HANDLE`: every object the C API hands out is an opaque pointer.
pub type AgoraHandle = *mut c_void;
/// `user_id_t`: a user id as a NUL-terminated decimal string.
pub type UserId = *const c_char;

/// `agora_service_config`, 4.4.3x field order (15 fields).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AgoraServiceConfig {
    /// 1 to allow custom audio tracks.
    pub enable_audio_processor: c_int,
    /// 0 on a server: no microphone or speaker.
    pub enable_audio_device: c_int,
    /// 0: audio only.
    pub enable_video: c_int,
    /// Platform context (NULL on Linux).
    pub context: *mut c_void,
    /// The App ID; the SDK may keep the pointer, so the string lives as long as the service.
    pub app_id: *const c_char,
    /// Area code bit set (`0xFFFF_FFFF` = global).
    pub area_code: c_uint,
    /// 0 communication, 1 live broadcasting.
    pub channel_profile: c_int,
    /// `AUDIO_SCENARIO_TYPE` (0 default, 9 AI server).
    pub audio_scenario: c_int,
    /// 1 = string user accounts instead of numeric uids.
    pub use_string_uid: c_int,
    /// 1 = restrict to the domain list.
    pub domain_limit: c_int,
    /// Log level (0 = info).
    pub log_level: c_int,
    /// Log file path, NULL for the default `~/.agora/`.
    pub log_file_path: *const c_char,
    /// Log file size in KiB.
    pub log_file_size_kb: u32,
    /// Data directory, NULL for the default.
    pub data_dir: *const c_char,
    /// Configuration directory, NULL for the default.
    pub config_dir: *const c_char,
}

/// `audio_subscription_options`, nested in [`RtcConnConfig`].
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct AudioSubscriptionOptions {
    /// 1 = encoded packets only.
    pub packet_only: c_int,
    /// 1 = PCM data only.
    pub pcm_data_only: c_int,
    /// Bytes per sample of the PCM the observer receives.
    pub bytes_per_sample: u32,
    /// Channels of the PCM the observer receives.
    pub number_of_channels: u32,
    /// Sample rate of the PCM the observer receives.
    pub sample_rate_hz: u32,
}

/// `rtc_conn_config`, 4.4.3x order (ends with the three `*_recv_*` flags).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct RtcConnConfig {
    /// 1 = subscribe to every remote audio track automatically.
    pub auto_subscribe_audio: c_int,
    /// 1 = subscribe to every remote video track automatically.
    pub auto_subscribe_video: c_int,
    /// 1 = record from / play to the audio device.
    pub enable_audio_recording_or_playout: c_int,
    /// Maximum send bitrate (0 = default).
    pub max_send_bitrate: c_int,
    /// Lowest local UDP port (0 = any).
    pub min_port: c_int,
    /// Highest local UDP port (0 = any).
    pub max_port: c_int,
    /// What subscribed audio looks like.
    pub audio_subs_options: AudioSubscriptionOptions,
    /// 1 broadcaster, 2 audience.
    pub client_role_type: c_int,
    /// 0 communication, 1 live broadcasting.
    pub channel_profile: c_int,
    /// 1 = receive audio media packets.
    pub audio_recv_media_packet: c_int,
    /// 1 = receive encoded audio frames.
    pub audio_recv_encoded_frame: c_int,
    /// 1 = receive video media packets.
    pub video_recv_media_packet: c_int,
}

/// `rtc_conn_info`: valid only during the callback that receives it.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct RtcConnInfo {
    /// `conn_id_t` (32-bit, then padding).
    pub id: c_uint,
    /// Channel name.
    pub channel_id: *const c_char,
    /// `CONNECTION_STATE_TYPE` (1 disconnected … 5 failed).
    pub state: c_int,
    /// Local user id string.
    pub local_user_id: *const c_char,
    /// Numeric uid the server assigned.
    pub internal_uid: c_uint,
}

/// `audio_frame` as the SDK hands it to an audio-frame observer. Newer builds append fields after
/// `avsync_type`; the binding only reads this prefix, through a pointer, so they do not matter.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct AudioFrame {
    /// Frame type (0 = PCM16).
    pub frame_type: c_int,
    /// Samples per channel in `buffer`.
    pub samples_per_channel: c_int,
    /// 2 for 16-bit PCM.
    pub bytes_per_sample: c_int,
    /// Interleaved channel count.
    pub channels: c_int,
    /// Sample rate in Hz.
    pub samples_per_sec: c_int,
    /// `samples_per_channel * channels` samples of `bytes_per_sample` bytes.
    pub buffer: *mut c_void,
    /// Render timestamp (ms).
    pub render_time_ms: i64,
    /// A/V sync type.
    pub avsync_type: c_int,
}

/// `audio_params`, returned by value from the `on_get_*_param` callbacks.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct AudioParams {
    /// Sample rate in Hz.
    pub sample_rate: c_int,
    /// Channels.
    pub channels: c_int,
    /// `RAW_AUDIO_FRAME_OP_MODE_TYPE` (0 read only).
    pub mode: c_int,
    /// Samples per call.
    pub samples_per_call: c_int,
}

/// A callback taking the connection handle and a `rtc_conn_info` plus a reason.
pub type ConnInfoReasonFn = unsafe extern "C" fn(AgoraHandle, *const RtcConnInfo, c_int);

/// `rtc_conn_observer`: 30 nullable function pointers in 4.4.3x order. Structs the binding never
/// reads (`lastmile_probe_result`, `rtc_stats`, `client_role_options`) are `*const c_void`.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct RtcConnObserver {
    /// 1
    pub on_connected: Option<ConnInfoReasonFn>,
    /// 2
    pub on_disconnected: Option<ConnInfoReasonFn>,
    /// 3
    pub on_connecting: Option<ConnInfoReasonFn>,
    /// 4
    pub on_reconnecting: Option<ConnInfoReasonFn>,
    /// 5
    pub on_reconnected: Option<ConnInfoReasonFn>,
    /// 6
    pub on_connection_lost: Option<unsafe extern "C" fn(AgoraHandle, *const RtcConnInfo)>,
    /// 7
    pub on_lastmile_quality: Option<unsafe extern "C" fn(AgoraHandle, c_int)>,
    /// 8
    pub on_lastmile_probe_result: Option<unsafe extern "C" fn(AgoraHandle, *const c_void)>,
    /// 9
    pub on_token_privilege_will_expire: Option<unsafe extern "C" fn(AgoraHandle, *const c_char)>,
    /// 10
    pub on_token_privilege_did_expire: Option<unsafe extern "C" fn(AgoraHandle)>,
    /// 11
    pub on_connection_license_validation_failure: Option<unsafe extern "C" fn(AgoraHandle, c_int)>,
    /// 12
    pub on_connection_failure: Option<ConnInfoReasonFn>,
    /// 13
    pub on_user_joined: Option<unsafe extern "C" fn(AgoraHandle, UserId)>,
    /// 14
    pub on_user_left: Option<unsafe extern "C" fn(AgoraHandle, UserId, c_int)>,
    /// 15
    pub on_transport_stats: Option<unsafe extern "C" fn(AgoraHandle, *const c_void)>,
    /// 16
    pub on_change_role_success:
        Option<unsafe extern "C" fn(AgoraHandle, c_int, c_int, *const c_void)>,
    /// 17
    pub on_change_role_failure: Option<unsafe extern "C" fn(AgoraHandle, c_int, c_int)>,
    /// 18
    pub on_user_network_quality: Option<unsafe extern "C" fn(AgoraHandle, UserId, c_int, c_int)>,
    /// 19
    pub on_network_type_changed: Option<unsafe extern "C" fn(AgoraHandle, c_int)>,
    /// 20
    pub on_api_call_executed:
        Option<unsafe extern "C" fn(AgoraHandle, c_int, *const c_char, *const c_char)>,
    /// 21
    pub on_content_inspect_result: Option<unsafe extern "C" fn(AgoraHandle, c_int)>,
    /// 22
    pub on_snapshot_taken: Option<
        unsafe extern "C" fn(
            AgoraHandle,
            *const c_char,
            c_uint,
            *const c_char,
            c_int,
            c_int,
            c_int,
        ),
    >,
    /// 23
    pub on_error: Option<unsafe extern "C" fn(AgoraHandle, c_int, *const c_char)>,
    /// 24
    pub on_warning: Option<unsafe extern "C" fn(AgoraHandle, c_int, *const c_char)>,
    /// 25
    pub on_channel_media_relay_state_changed:
        Option<unsafe extern "C" fn(AgoraHandle, c_int, c_int)>,
    /// 26
    pub on_local_user_registered: Option<unsafe extern "C" fn(AgoraHandle, c_uint, *const c_char)>,
    /// 27
    pub on_user_account_updated: Option<unsafe extern "C" fn(AgoraHandle, c_uint, *const c_char)>,
    /// 28
    pub on_stream_message_error:
        Option<unsafe extern "C" fn(AgoraHandle, UserId, c_int, c_int, c_int, c_int)>,
    /// 29
    pub on_encryption_error: Option<unsafe extern "C" fn(AgoraHandle, c_int)>,
    /// 30
    pub on_upload_log_result:
        Option<unsafe extern "C" fn(AgoraHandle, *const c_char, c_int, c_int)>,
}

/// A frame callback: `(local_user, channel_id, frame) -> bool-as-int`.
pub type FrameFn = unsafe extern "C" fn(AgoraHandle, *const c_char, *const AudioFrame) -> c_int;
/// A parameter callback: `(local_user) -> audio_params`.
pub type ParamFn = unsafe extern "C" fn(AgoraHandle) -> AudioParams;

/// `audio_frame_observer`: 10 nullable function pointers (the SDK copies the struct).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct AudioFrameObserver {
    /// Recorded (local) audio.
    pub on_record_audio_frame: Option<FrameFn>,
    /// Mixed remote audio for playback.
    pub on_playback_audio_frame: Option<FrameFn>,
    /// Local + remote mix.
    pub on_mixed_audio_frame: Option<FrameFn>,
    /// Ear monitoring.
    pub on_ear_monitoring_audio_frame:
        Option<unsafe extern "C" fn(AgoraHandle, *const AudioFrame) -> c_int>,
    /// One remote user's audio before mixing: `(local_user, channel, uid, frame)`.
    pub on_playback_audio_frame_before_mixing: Option<
        unsafe extern "C" fn(AgoraHandle, *const c_char, UserId, *const AudioFrame) -> c_int,
    >,
    /// Which positions to observe.
    pub on_get_audio_frame_position: Option<unsafe extern "C" fn(AgoraHandle) -> c_int>,
    /// Playback frame format.
    pub on_get_playback_audio_frame_param: Option<ParamFn>,
    /// Record frame format.
    pub on_get_record_audio_frame_param: Option<ParamFn>,
    /// Mixed frame format.
    pub on_get_mixed_audio_frame_param: Option<ParamFn>,
    /// Ear-monitoring frame format.
    pub on_get_ear_monitoring_audio_frame_param: Option<ParamFn>,
}

// The C API's function types, one per symbol the binding resolves (signatures from `docs/native-c-api.md#functions-and-their-order`).
// Counts are `uint32_t` as in the 4.4.32 headers (the Go SDK passes `C.uint`); older builds declared
// some as `size_t` and are not targeted.

/// `AGORA_HANDLE agora_service_create(void)`
pub type ServiceCreateFn = unsafe extern "C" fn() -> AgoraHandle;
/// `int agora_service_initialize(AGORA_HANDLE, const agora_service_config*)`
pub type ServiceInitializeFn =
    unsafe extern "C" fn(AgoraHandle, *const AgoraServiceConfig) -> c_int;
/// `int agora_service_release(AGORA_HANDLE)`
pub type ServiceReleaseFn = unsafe extern "C" fn(AgoraHandle) -> c_int;
/// `AGORA_HANDLE agora_service_create_media_node_factory(AGORA_HANDLE)`
pub type CreateFactoryFn = unsafe extern "C" fn(AgoraHandle) -> AgoraHandle;
/// `void agora_media_node_factory_destroy(AGORA_HANDLE)` and the other `void f(handle)` destructors.
pub type DestroyFn = unsafe extern "C" fn(AgoraHandle);
/// `AGORA_HANDLE agora_service_get_agora_parameter(AGORA_HANDLE)` (not owned by the caller).
pub type GetParameterFn = unsafe extern "C" fn(AgoraHandle) -> AgoraHandle;
/// `int agora_parameter_set_parameters(AGORA_HANDLE, const char *json)`
pub type SetParametersFn = unsafe extern "C" fn(AgoraHandle, *const c_char) -> c_int;
/// `AGORA_HANDLE agora_rtc_conn_create(AGORA_HANDLE svc, const rtc_conn_config*)`
pub type ConnCreateFn = unsafe extern "C" fn(AgoraHandle, *const RtcConnConfig) -> AgoraHandle;
/// `int agora_rtc_conn_register_observer(AGORA_HANDLE, rtc_conn_observer*)`
pub type ConnRegisterObserverFn = unsafe extern "C" fn(AgoraHandle, *mut RtcConnObserver) -> c_int;
/// `int f(AGORA_HANDLE)` (unregister, disconnect).
pub type HandleIntFn = unsafe extern "C" fn(AgoraHandle) -> c_int;
/// `int agora_rtc_conn_connect(AGORA_HANDLE, const char *token, const char *chan, user_id_t)`
pub type ConnConnectFn =
    unsafe extern "C" fn(AgoraHandle, *const c_char, *const c_char, UserId) -> c_int;
/// `AGORA_HANDLE agora_rtc_conn_get_local_user(AGORA_HANDLE)` (not owned by the caller).
pub type GetLocalUserFn = unsafe extern "C" fn(AgoraHandle) -> AgoraHandle;
/// `AGORA_HANDLE agora_media_node_factory_create_audio_pcm_data_sender(AGORA_HANDLE)`
pub type CreatePcmSenderFn = unsafe extern "C" fn(AgoraHandle) -> AgoraHandle;
/// `AGORA_HANDLE agora_service_create_custom_audio_track_pcm(AGORA_HANDLE svc, AGORA_HANDLE sender)`
pub type CreateCustomTrackFn = unsafe extern "C" fn(AgoraHandle, AgoraHandle) -> AgoraHandle;
/// `void agora_local_audio_track_set_enabled(AGORA_HANDLE, int)`
pub type TrackSetEnabledFn = unsafe extern "C" fn(AgoraHandle, c_int);
/// `int agora_local_user_publish_audio(AGORA_HANDLE lu, AGORA_HANDLE track)` (and unpublish).
pub type PublishAudioFn = unsafe extern "C" fn(AgoraHandle, AgoraHandle) -> c_int;
/// `int agora_audio_pcm_data_sender_send(sender, data, capture_ts, present_time_ms,
/// samples_per_channel, bytes_per_sample, number_of_channels, sample_rate)` — the 8-argument form of
/// current 4.4.32 builds.
pub type PcmSendFn =
    unsafe extern "C" fn(AgoraHandle, *const c_void, u32, i64, u32, u32, u32, u32) -> c_int;
/// `int agora_local_user_set_playback_audio_frame_before_mixing_parameters(lu, channels, rate)`
pub type SetPlaybackParamsFn = unsafe extern "C" fn(AgoraHandle, u32, u32) -> c_int;
/// `int agora_local_user_register_audio_frame_observer(AGORA_HANDLE, audio_frame_observer*)`
pub type RegisterAudioObserverFn =
    unsafe extern "C" fn(AgoraHandle, *mut AudioFrameObserver) -> c_int;

#[cfg(all(test, target_pointer_width = "64"))]
mod layout {
    use super::*;
    use std::mem::{align_of, offset_of, size_of};

    // Sizes and offsets a C compiler gives these structs on LP64 Linux (x86-64, aarch64).
    static_assertions::const_assert_eq!(size_of::<AgoraServiceConfig>(), 88);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, context), 16);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, app_id), 24);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, area_code), 32);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, audio_scenario), 40);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, log_file_path), 56);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, log_file_size_kb), 64);
    static_assertions::const_assert_eq!(offset_of!(AgoraServiceConfig, config_dir), 80);
    static_assertions::const_assert_eq!(size_of::<AudioSubscriptionOptions>(), 20);
    static_assertions::const_assert_eq!(size_of::<RtcConnConfig>(), 64);
    static_assertions::const_assert_eq!(offset_of!(RtcConnConfig, audio_subs_options), 24);
    static_assertions::const_assert_eq!(offset_of!(RtcConnConfig, client_role_type), 44);
    static_assertions::const_assert_eq!(offset_of!(RtcConnConfig, video_recv_media_packet), 60);
    static_assertions::const_assert_eq!(align_of::<RtcConnConfig>(), 4);
    static_assertions::const_assert_eq!(size_of::<RtcConnInfo>(), 40);
    static_assertions::const_assert_eq!(offset_of!(RtcConnInfo, channel_id), 8);
    static_assertions::const_assert_eq!(offset_of!(RtcConnInfo, state), 16);
    static_assertions::const_assert_eq!(offset_of!(RtcConnInfo, local_user_id), 24);
    static_assertions::const_assert_eq!(offset_of!(RtcConnInfo, internal_uid), 32);
    static_assertions::const_assert_eq!(size_of::<AudioFrame>(), 48);
    static_assertions::const_assert_eq!(offset_of!(AudioFrame, buffer), 24);
    static_assertions::const_assert_eq!(offset_of!(AudioFrame, render_time_ms), 32);
    static_assertions::const_assert_eq!(size_of::<AudioParams>(), 16);
    // 30 and 10 nullable function pointers, in order.
    static_assertions::const_assert_eq!(size_of::<RtcConnObserver>(), 30 * 8);
    static_assertions::const_assert_eq!(offset_of!(RtcConnObserver, on_connecting), 2 * 8);
    static_assertions::const_assert_eq!(offset_of!(RtcConnObserver, on_connection_failure), 11 * 8);
    static_assertions::const_assert_eq!(offset_of!(RtcConnObserver, on_user_joined), 12 * 8);
    static_assertions::const_assert_eq!(offset_of!(RtcConnObserver, on_error), 22 * 8);
    static_assertions::const_assert_eq!(offset_of!(RtcConnObserver, on_upload_log_result), 29 * 8);
    static_assertions::const_assert_eq!(size_of::<AudioFrameObserver>(), 10 * 8);
    static_assertions::const_assert_eq!(
        offset_of!(AudioFrameObserver, on_playback_audio_frame_before_mixing),
        4 * 8
    );

    #[test]
    fn an_empty_observer_is_all_null() {
        // Default must mean "no callback" (NULL) in every slot, which the C side checks before calling.
        let obs = RtcConnObserver::default();
        // SAFETY: RtcConnObserver is repr(C) made only of pointer-sized Option<fn> fields, so viewing
        // it as 30 usizes reads initialised memory of exactly its size.
        let words: [usize; 30] = unsafe { std::mem::transmute(obs) };
        assert!(words.iter().all(|&w| w == 0));
    }
}
