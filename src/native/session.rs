//! The safe wrapper over the SDK's handles: [`Service`], [`Connection`] (with its local user),
//! [`PcmSender`] and [`AudioTrack`]. Borrowing makes the documented release order the only one that
//! compiles (connection, then track, then sender, then factory and service), and each `Drop` undoes
//! exactly what was done: unpublish, disconnect, unregister observers, destroy.

use std::ffi::{c_void, CString};
use std::marker::PhantomData;
use std::net::SocketAddr;
use std::ptr::NonNull;
use std::sync::Arc;

use tokio::sync::mpsc::{unbounded_channel, UnboundedReceiver};

use super::events::{self, ConnEvent, Route};
use super::ffi::*;
use super::loader::Sdk;

/// The private SDK parameter that points the SDK double at the simulated relay.
pub const SIM_RELAY_PARAMETER: &str = "agora_doctor.sim_relay";

/// A C API call that failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum SessionError {
    /// A create call returned NULL.
    #[error("`{call}` returned NULL")]
    Null {
        /// The C function.
        call: &'static str,
    },
    /// A call returned a negative `ERROR_CODE_TYPE`.
    #[error("`{call}` returned {code}")]
    Code {
        /// The C function.
        call: &'static str,
        /// Its return value (minus Agora's `ERROR_CODE_TYPE`).
        code: i32,
    },
    /// A string argument contains a NUL byte, which C cannot take.
    #[error("the {what} contains a NUL byte")]
    Nul {
        /// Which argument.
        what: &'static str,
    },
    /// The library has no `agora_parameter_set_parameters`.
    #[error("this library has no `agora_parameter_set_parameters`, so it cannot use the simulated relay")]
    NoParameters,
}

fn check(call: &'static str, code: i32) -> Result<(), SessionError> {
    if code < 0 {
        Err(SessionError::Code { call, code })
    } else {
        Ok(())
    }
}

fn non_null(call: &'static str, h: AgoraHandle) -> Result<NonNull<c_void>, SessionError> {
    NonNull::new(h).ok_or(SessionError::Null { call })
}

fn c_string(what: &'static str, s: &str) -> Result<CString, SessionError> {
    CString::new(s).map_err(|_| SessionError::Nul { what })
}

/// An initialised `agora_service` and its media node factory.
pub struct Service {
    sdk: Arc<Sdk>,
    handle: NonNull<c_void>,
    factory: Option<NonNull<c_void>>,
    // The SDK may keep the App ID pointer for the service's life (`docs/native-c-api.md#functions-and-their-order`).
    _app_id: CString,
}

// SAFETY: Agora's C API handles may be used from any thread (the Go and Python SDKs call them from
// arbitrary threads and callbacks arrive on SDK threads); the wrapper holds no Rust-side shared state.
unsafe impl Send for Service {}
// SAFETY: as above; `&Service` only allows calling thread-safe C functions.
unsafe impl Sync for Service {}

impl Service {
    /// `agora_service_create` + `agora_service_initialize` (audio processor on, no audio device, no
    /// video, live broadcasting), `agora_service_create_media_node_factory`, and when `sim_relay` is
    /// given, the private parameter that points the SDK double at the simulated relay.
    pub fn new(
        sdk: Arc<Sdk>,
        app_id: &str,
        sim_relay: Option<SocketAddr>,
    ) -> Result<Service, SessionError> {
        let app_id = c_string("App ID", app_id)?;
        let api = &sdk.api;
        // SAFETY: agora_service_create takes no arguments and returns an owned handle or NULL.
        let handle = non_null("agora_service_create", unsafe { (api.service_create)() })?;
        // Owned from here: an early return below releases it through Drop.
        let mut service = Service {
            sdk: Arc::clone(&sdk),
            handle,
            factory: None,
            _app_id: app_id,
        };
        let cfg = AgoraServiceConfig {
            enable_audio_processor: 1,
            enable_audio_device: 0,
            enable_video: 0,
            context: std::ptr::null_mut(),
            app_id: service._app_id.as_ptr(),
            area_code: 0xFFFF_FFFF,
            channel_profile: 1,
            audio_scenario: 0,
            use_string_uid: 0,
            domain_limit: 0,
            log_level: 0,
            log_file_path: std::ptr::null(),
            log_file_size_kb: 5120,
            data_dir: std::ptr::null(),
            config_dir: std::ptr::null(),
        };
        // SAFETY: live service handle; `cfg` is a valid config for the call and its App ID string
        // lives as long as the service.
        let rc = unsafe { (api.service_initialize)(handle.as_ptr(), &cfg) };
        check("agora_service_initialize", rc)?;
        if let Some(addr) = sim_relay {
            let (Some(get), Some(set)) = (api.get_parameter, api.set_parameters) else {
                return Err(SessionError::NoParameters);
            };
            // SAFETY: live, initialised service; the parameter handle is not owned by us.
            let param = non_null("agora_service_get_agora_parameter", unsafe {
                get(handle.as_ptr())
            })?;
            let json = c_string(
                "relay address",
                &format!("{{\"{SIM_RELAY_PARAMETER}\":\"{addr}\"}}"),
            )?;
            // SAFETY: valid parameter handle and a NUL-terminated JSON string for the call.
            let rc = unsafe { set(param.as_ptr(), json.as_ptr()) };
            check("agora_parameter_set_parameters", rc)?;
        }
        // SAFETY: live, initialised service handle.
        let factory = unsafe { (api.create_factory)(handle.as_ptr()) };
        service.factory = Some(non_null(
            "agora_service_create_media_node_factory",
            factory,
        )?);
        Ok(service)
    }

    /// The loaded SDK.
    pub fn sdk(&self) -> &Arc<Sdk> {
        &self.sdk
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let api = &self.sdk.api;
        if let Some(factory) = self.factory.take() {
            // SAFETY: the factory was created by this service and is destroyed once; every sender
            // created from it borrowed this service and is gone.
            unsafe { (api.factory_destroy)(factory.as_ptr()) };
        }
        // SAFETY: every connection, track and sender borrowed this service, so all are released.
        unsafe { (api.service_release)(self.handle.as_ptr()) };
    }
}

/// `agora_audio_pcm_data_sender`: pushes 16-bit PCM into a custom audio track.
pub struct PcmSender<'s> {
    service: &'s Service,
    handle: NonNull<c_void>,
}

// SAFETY: see `Service`: the C handles are thread-safe and the wrapper has no shared Rust state.
unsafe impl Send for PcmSender<'_> {}
// SAFETY: as above.
unsafe impl Sync for PcmSender<'_> {}

impl<'s> PcmSender<'s> {
    /// `agora_media_node_factory_create_audio_pcm_data_sender`.
    pub fn new(service: &'s Service) -> Result<PcmSender<'s>, SessionError> {
        let factory = service.factory.ok_or(SessionError::Null {
            call: "agora_service_create_media_node_factory",
        })?;
        // SAFETY: live factory handle of a live service.
        let h = unsafe { (service.sdk.api.create_pcm_sender)(factory.as_ptr()) };
        Ok(PcmSender {
            service,
            handle: non_null("agora_media_node_factory_create_audio_pcm_data_sender", h)?,
        })
    }

    /// `agora_audio_pcm_data_sender_send` of interleaved 16-bit samples.
    pub fn send(
        &self,
        samples: &[i16],
        sample_rate: u32,
        channels: u32,
    ) -> Result<(), SessionError> {
        let channels = channels.max(1);
        let per_channel = u32::try_from(samples.len() / channels as usize).unwrap_or(u32::MAX);
        // SAFETY: live sender; `samples` holds per_channel * channels 16-bit samples, readable for the
        // call (the SDK copies them).
        let rc = unsafe {
            (self.service.sdk.api.pcm_send)(
                self.handle.as_ptr(),
                samples.as_ptr().cast(),
                0,
                0,
                per_channel,
                2,
                channels,
                sample_rate,
            )
        };
        check("agora_audio_pcm_data_sender_send", rc)
    }
}

impl Drop for PcmSender<'_> {
    fn drop(&mut self) {
        // SAFETY: the sender is destroyed once; its track borrowed it and is already destroyed.
        unsafe { (self.service.sdk.api.pcm_sender_destroy)(self.handle.as_ptr()) };
    }
}

/// A custom PCM audio track fed by a [`PcmSender`].
pub struct AudioTrack<'s> {
    service: &'s Service,
    handle: NonNull<c_void>,
    _sender: PhantomData<&'s PcmSender<'s>>,
}

// SAFETY: see `Service`.
unsafe impl Send for AudioTrack<'_> {}
// SAFETY: see `Service`.
unsafe impl Sync for AudioTrack<'_> {}

impl<'s> AudioTrack<'s> {
    /// `agora_service_create_custom_audio_track_pcm` + `agora_local_audio_track_set_enabled(1)`.
    pub fn new(
        service: &'s Service,
        sender: &'s PcmSender<'s>,
    ) -> Result<AudioTrack<'s>, SessionError> {
        let api = &service.sdk.api;
        // SAFETY: live service and sender handles.
        let h =
            unsafe { (api.create_custom_track)(service.handle.as_ptr(), sender.handle.as_ptr()) };
        let handle = non_null("agora_service_create_custom_audio_track_pcm", h)?;
        // SAFETY: live track handle.
        unsafe { (api.track_set_enabled)(handle.as_ptr(), 1) };
        Ok(AudioTrack {
            service,
            handle,
            _sender: PhantomData,
        })
    }
}

impl Drop for AudioTrack<'_> {
    fn drop(&mut self) {
        let api = &self.service.sdk.api;
        // SAFETY: live track handle; every connection it was published on borrowed it and is gone.
        unsafe {
            (api.track_set_enabled)(self.handle.as_ptr(), 0);
            (api.track_destroy)(self.handle.as_ptr());
        }
    }
}

/// What a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConnectionRole {
    /// A broadcaster that subscribes to nothing.
    Publisher,
    /// A broadcaster that subscribes to all audio and receives it as 16 kHz mono PCM.
    Listener,
}

/// Sample rate the listening connection asks the SDK for.
pub const LISTEN_SAMPLE_RATE: u32 = 16_000;

/// `agora_rtc_conn` with its local user and observers; events arrive through [`Connection::next_event`].
pub struct Connection<'a> {
    service: &'a Service,
    handle: NonNull<c_void>,
    local_user: NonNull<c_void>,
    events: UnboundedReceiver<ConnEvent>,
    routes: Vec<Route>,
    observer: Box<RtcConnObserver>,
    audio_observer: Option<Box<AudioFrameObserver>>,
    observer_registered: bool,
    /// token, channel, uid: the SDK may keep these pointers while connected.
    strings: Vec<CString>,
    connect_started: bool,
    published: Vec<NonNull<c_void>>,
    _tracks: PhantomData<&'a AudioTrack<'a>>,
}

// SAFETY: see `Service`; the observer boxes are only read by the SDK, and the receiver is Send.
unsafe impl Send for Connection<'_> {}

impl<'a> Connection<'a> {
    /// `agora_rtc_conn_create`, `agora_rtc_conn_get_local_user`, `agora_rtc_conn_register_observer`
    /// (and for a listener the playback parameters and the audio-frame observer), all before connect.
    pub fn new(service: &'a Service, role: ConnectionRole) -> Result<Connection<'a>, SessionError> {
        let api = &service.sdk.api;
        let listener = role == ConnectionRole::Listener;
        let cfg = RtcConnConfig {
            auto_subscribe_audio: i32::from(listener),
            auto_subscribe_video: 0,
            enable_audio_recording_or_playout: 0,
            audio_subs_options: AudioSubscriptionOptions {
                packet_only: 0,
                pcm_data_only: i32::from(listener),
                bytes_per_sample: 2,
                number_of_channels: 1,
                sample_rate_hz: LISTEN_SAMPLE_RATE,
            },
            client_role_type: 1,
            channel_profile: 1,
            ..RtcConnConfig::default()
        };
        // SAFETY: live service; `cfg` is a valid rtc_conn_config for the call.
        let h = unsafe { (api.conn_create)(service.handle.as_ptr(), &cfg) };
        let handle = non_null("agora_rtc_conn_create", h)?;
        // SAFETY: live connection handle; the local user is owned by the connection.
        let lu = unsafe { (api.conn_get_local_user)(handle.as_ptr()) };
        let (tx, events) = unbounded_channel();
        let mut conn = Connection {
            service,
            handle,
            local_user: NonNull::dangling(),
            events,
            routes: vec![Route::new(handle.as_ptr(), tx.clone())],
            observer: Box::new(events::conn_observer()),
            audio_observer: None,
            observer_registered: false,
            strings: Vec::new(),
            connect_started: false,
            published: Vec::new(),
            _tracks: PhantomData,
        };
        conn.local_user = non_null("agora_rtc_conn_get_local_user", lu)?;
        // SAFETY: live connection; the observer box lives as long as the connection (the SDK may keep
        // the pointer) and holds only `extern "C"` functions of this crate.
        let rc = unsafe { (api.conn_register_observer)(handle.as_ptr(), &mut *conn.observer) };
        check("agora_rtc_conn_register_observer", rc)?;
        conn.observer_registered = true;
        if listener {
            conn.routes.push(Route::new(conn.local_user.as_ptr(), tx));
            // SAFETY: live local user of a live connection.
            let rc = unsafe {
                (api.set_playback_params)(conn.local_user.as_ptr(), 1, LISTEN_SAMPLE_RATE)
            };
            check(
                "agora_local_user_set_playback_audio_frame_before_mixing_parameters",
                rc,
            )?;
            let mut obs = Box::new(events::audio_observer());
            // SAFETY: live local user; the observer box lives until it is unregistered in Drop.
            let rc = unsafe { (api.register_audio_observer)(conn.local_user.as_ptr(), &mut *obs) };
            conn.audio_observer = Some(obs);
            check("agora_local_user_register_audio_frame_observer", rc)?;
        }
        Ok(conn)
    }

    /// `agora_rtc_conn_connect`: starts joining; the outcome arrives as events. `token` `None` passes
    /// NULL (the SDK then uses the App ID as a static key).
    pub fn connect(
        &mut self,
        token: Option<&str>,
        channel: &str,
        uid: &str,
    ) -> Result<(), SessionError> {
        let token = token.map(|t| c_string("token", t)).transpose()?;
        let channel = c_string("channel name", channel)?;
        let uid = c_string("uid", uid)?;
        let token_ptr = token.as_ref().map_or(std::ptr::null(), |t| t.as_ptr());
        // SAFETY: live connection; the strings are NUL-terminated and kept in `self.strings` for the
        // connection's life, since the SDK may keep the pointers.
        let rc = unsafe {
            (self.service.sdk.api.conn_connect)(
                self.handle.as_ptr(),
                token_ptr,
                channel.as_ptr(),
                uid.as_ptr(),
            )
        };
        self.strings.extend(token);
        self.strings.push(channel);
        self.strings.push(uid);
        check("agora_rtc_conn_connect", rc)?;
        self.connect_started = true;
        Ok(())
    }

    /// The next event, waiting for it; `None` only if the channel closed.
    pub async fn next_event(&mut self) -> Option<ConnEvent> {
        self.events.recv().await
    }

    /// An event already queued, without waiting.
    pub fn try_event(&mut self) -> Option<ConnEvent> {
        self.events.try_recv().ok()
    }

    /// `agora_local_user_publish_audio`.
    pub fn publish(&mut self, track: &'a AudioTrack<'a>) -> Result<(), SessionError> {
        // SAFETY: live local user and track; the track outlives this connection (borrow).
        let rc = unsafe {
            (self.service.sdk.api.publish_audio)(self.local_user.as_ptr(), track.handle.as_ptr())
        };
        check("agora_local_user_publish_audio", rc)?;
        self.published.push(track.handle);
        Ok(())
    }

    /// `agora_local_user_unpublish_audio`.
    pub fn unpublish(&mut self, track: &AudioTrack<'_>) -> Result<(), SessionError> {
        self.published.retain(|h| *h != track.handle);
        // SAFETY: live local user and track.
        let rc = unsafe {
            (self.service.sdk.api.unpublish_audio)(self.local_user.as_ptr(), track.handle.as_ptr())
        };
        check("agora_local_user_unpublish_audio", rc)
    }

    /// `agora_rtc_conn_disconnect`; `on_disconnected` follows as an event.
    pub fn disconnect(&mut self) -> Result<(), SessionError> {
        self.connect_started = false;
        // SAFETY: live connection handle.
        let rc = unsafe { (self.service.sdk.api.conn_disconnect)(self.handle.as_ptr()) };
        check("agora_rtc_conn_disconnect", rc)
    }
}

impl Drop for Connection<'_> {
    fn drop(&mut self) {
        let api = &self.service.sdk.api;
        for track in std::mem::take(&mut self.published) {
            // SAFETY: live local user; the track outlives this connection (borrow).
            unsafe { (api.unpublish_audio)(self.local_user.as_ptr(), track.as_ptr()) };
        }
        if self.connect_started {
            // SAFETY: live connection handle.
            unsafe { (api.conn_disconnect)(self.handle.as_ptr()) };
        }
        if self.audio_observer.is_some() {
            // SAFETY: live local user with a registered audio observer.
            unsafe { (api.unregister_audio_observer)(self.local_user.as_ptr()) };
        }
        if self.observer_registered {
            // SAFETY: live connection with a registered observer.
            unsafe { (api.conn_unregister_observer)(self.handle.as_ptr()) };
        }
        // SAFETY: the connection is destroyed once, after everything registered on it is undone;
        // the observer boxes and strings are freed only after this call.
        unsafe { (api.conn_destroy)(self.handle.as_ptr()) };
        self.routes.clear();
    }
}
