//! Noise: warning and error lines that are harmless for a voice app, in documented families, each
//! with one line saying why. A family is recognised by the component that writes it (a logcat tag,
//! a Chromium source file, an Apple subsystem) or by the shape of its message, never by one literal
//! line, so that the next member of the family is recognised too.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Serialize;

/// One family of harmless lines.
#[derive(Debug, Clone, Serialize)]
pub struct Family {
    /// Stable identifier (`android.system`, …).
    pub key: &'static str,
    /// What the lines are.
    pub name: &'static str,
    /// Why they do not matter.
    pub why: &'static str,
    /// Writers (logcat tags, modules, processes) whose warnings all belong here.
    #[serde(skip)]
    pub tags: &'static [&'static str],
    /// Message shapes (substrings) that belong here whoever wrote them.
    #[serde(skip)]
    pub texts: &'static [&'static str],
}

/// Every family, in the order the report lists them.
pub const FAMILIES: &[Family] = &[
    Family {
        key: "android.system",
        name: "Android system services",
        why: "the OS's own services (activity and window managers, the runtime, SELinux, the property service, the input method) report on themselves; an app cannot change them and a voice call does not depend on them",
        tags: &[
            "ActivityManager", "ActivityTaskManager", "WindowManager", "PackageManager", "ActivityThread",
            "art", "zygote", "zygote64", "libc", "linker", "nativeloader", "ViewRootImpl",
            "InputMethodManager", "IInputConnectionWrapper", "InputTransport", "InputEventReceiver",
            "SurfaceFlinger", "BufferQueueProducer", "BLASTBufferQueue", "chatty", "StrictMode",
            "NetworkSecurityConfig", "ProfileInstaller", "TetheringManager", "Choreographer",
            "OpenGLRenderer", "Adreno-EGL", "libEGL", "mali_winsys", "Gralloc3", "Gralloc4", "GraphicsEnvironment",
            "DecorView", "PhoneWindow", "Looper", "System", "ActivityManagerWrapper", "MultiDex",
            "FirebaseInstanceId", "FirebaseApp", "DynamiteModule", "ProviderInstaller", "GooglePlayServicesUtil",
            "OplusScrollToTopManager", "HwApiCacheMangerEx", "HiTouch_PressGestureDetector", "MIUIInput",
            "ScrollerOptimizationManager", "Perf", "VRI", "ResourcesManager", "AppCompatDelegate",
            "ConnectivityManager", "cr_AwContents", "ContentCapture", "AutofillManager", "TextView",
            "Typeface", "FontsContract", "chromium", "cr_media", "ApkAssets", "ziparchive", "installd",
            "SELinux", "auditd", "audit", "ConfigStore", "CompatibilityChangeReporter", "Parcel",
            "ServiceManager", "HidlServiceManagement", "vndksupport", "Binder", "JavaBinder",
        ],
        texts: &[
            "Access denied finding property",
            "avc: denied",
            "avc:  denied",
            "A resource failed to call close",
            "Accessing hidden method",
            "Accessing hidden field",
            "hiddenapi:",
            "Skipped ",
            "Davey! duration=",
            "Unable to open libpenguin.so",
            "Failed to retrieve rebootescrow service",
            "ClassLoader referenced unknown path",
            "Failed to find provider info for",
            "Reducing the number of considered missed Gc histogram windows",
            "Verification of ",
            "Rejecting re-init on previously-failed class",
            "Long monitor contention",
            "Unsafe operation",
            "Attempt to remove non-JNI local reference",
            "Unknown dataspace",
            "Failed to choose config with EGL_SWAP_BEHAVIOR_PRESERVED",
            "Unable to match the desired swap behavior",
        ],
    },
    Family {
        key: "emulator.graphics_radio",
        name: "Android emulator graphics and radios",
        why: "the emulator's virtual GPU, camera, modem, Wi-Fi and GPS drivers warn about what they emulate partly; they do not exist on a phone and do not touch the app's audio path",
        tags: &[
            "EGL_emulation", "eglCodecCommon", "HostConnection", "gralloc_ranchu", "goldfish-address-space",
            "goldfish_address_space", "emuglGLESv2_enc", "RenderThread", "ranchu", "RIL", "RILJ", "RILC",
            "GnssHAL", "GnssHAL_GnssInterface", "WifiHAL", "wifi_hal", "cutils-trace", "EmulatedCamera",
            "qemu_pipe", "qemud", "goldfish-hwcomposer", "AEMU", "EmulatorGnss", "android.hardware.gnss",
            "QemuPipeStream", "GoldfishAVCDec", "Gnss", "GnssLocationProvider",
        ],
        texts: &["glUtilsParamSize: unknow param", "eglMakeCurrent", "goldfish", "emulator"],
    },
    Family {
        key: "os.audio_stack",
        name: "the OS audio stack's own retries",
        why: "the platform's audio services (Android AudioFlinger/AudioTrack/AudioRecord, Apple Core Audio and AVAudioSession, ALSA/PulseAudio) log routing changes and retries they recover from; the SDK reports a device it cannot use through its own error or warning",
        tags: &[
            "AudioTrack", "AudioRecord", "AudioFlinger", "AudioSystem", "AudioManager", "AudioPolicyManager",
            "AudioPolicyIntefaceImpl", "APM_AudioPolicyManager", "AudioHwDevice", "audio_hw_primary", "AudioALSADeviceParser",
            "TinyAlsaPlayback", "AudioStreamOut", "AudioFocus", "MediaFocusControl", "AudioService", "AudioTrackShared",
            "audio_hw_generic", "AudioEffect", "soundtrigger", "AudioCapabilities", "MediaCodecList",
            "CCodec", "Codec2Client", "MediaCodec", "ACodec", "OMXClient",
        ],
        texts: &[
            "AURemoteIO",
            "[aurioc]",
            "[aqme]",
            "AQMEIO",
            "HALC_Proxy",
            "HALC_",
            "AudioObjectGetPropertyData",
            "AudioObjectSetPropertyData",
            "throwing -10877",
            "vpio",
            "AudioSession",
            "AVAudioSession_iOS",
            "[avas]",
            "ALSA lib ",
            "jack server is not running",
            "Cannot connect to server socket",
            "pulseaudio",
            "IPCAUClient",
            "AddInstanceForFactory",
            "AudioConverter",
        ],
    },
    Family {
        key: "browser.devtools",
        name: "browser extensions, source maps and DevTools notices",
        why: "extensions, missing source maps and DevTools' performance or deprecation notices belong to this browser and its add-ons, not to the page's call; the SDK's own failures carry an `Agora-SDK` or `AgoraRTCError` prefix",
        tags: &[],
        texts: &[
            "chrome-extension://",
            "moz-extension://",
            "safari-web-extension://",
            "DevTools failed to load source map",
            "DevTools failed to load SourceMap",
            "Could not load content for",
            "Source map error",
            "source map",
            "Unchecked runtime.lastError",
            "[Violation]",
            "[Deprecation]",
            "Download the React DevTools",
            "[HMR]",
            "[vite]",
            "[webpack-dev-server]",
            "[WDS]",
            "favicon.ico",
            "Third-party cookie",
            "third-party cookies",
            "A cookie associated with a cross-site resource",
            "Permissions-Policy header",
            "Error with Permissions-Policy header",
            "Added non-passive event listener",
            "was preloaded using link preload but not used",
            "The AudioContext was not allowed to start",
            "Mixed Content:",
            "A listener indicated an asynchronous response",
            "Autofocus processing was blocked",
            "Synchronous XMLHttpRequest on the main thread is deprecated",
        ],
    },
    Family {
        key: "browser.resource_load",
        name: "resources the browser could not load",
        why: "a favicon, a telemetry or log-upload request, or a prefetch did not load; the SDK's own connections (access point, gateway, media) report their failures in `Agora-SDK` lines and `AgoraRTCError` codes",
        tags: &[],
        texts: &["Failed to load resource"],
    },
    Family {
        key: "web.sdk_stats_in_newer_browser",
        name: "an older Web SDK's statistics calls in a newer browser",
        why: "older Web SDK releases collect statistics with calls the current browser rejects; the call's audio still flows, only the SDK's statistics are missing (`agora-doctor explain msg.getstats_not_a_track`)",
        tags: &[],
        texts: &["Failed to execute 'getStats' on 'RTCPeerConnection'"],
    },
    Family {
        key: "apple.system",
        name: "Apple system frameworks",
        why: "iOS and macOS frameworks (networking, layout, graphics, accessibility, text input) print their own diagnostics into every app's console; none of them is the call's",
        tags: &[],
        texts: &[
            "nw_",
            "[connection]",
            "[boringssl]",
            "boringssl_",
            "Metal API Validation",
            "[LayoutConstraints]",
            "Unable to simultaneously satisfy constraints",
            "libMobileGestalt",
            "[Process] kill() returned unexpected error",
            "RTIInputSystemClient",
            "[Snapshotting]",
            "_BSMachError",
            "[UIFocus]",
            "os_unfair_lock",
            "CoreData: annotation",
            "[Assert] ",
            "[ProcessSuspension]",
            "WebContent[",
            "Task <",
            "CFNetwork",
            "[Common] ",
            "[plugin] ",
            "containermanagerd",
            "[AXRuntimeCommon]",
            "AX Lookup problem",
            "Could not signal service com.apple.WebKit",
            "[API] Failed to create",
            "Can't find keyplane",
            "[UIKeyboard]",
            "UIKeyboardLayoutStar",
            "[SceneConfiguration]",
            "Info.plist contained no UIScene configuration",
            "Failed to locate resource named \"default.metallib\"",
        ],
    },
    Family {
        key: "chromium.runtime",
        name: "Chromium and Electron runtime",
        why: "the Chromium runtime under Electron (GPU process, sandbox, D-Bus, fonts, VA-API) reports on the machine it runs on; WebRTC audio does not depend on the GPU",
        tags: &[
            "gpu_init.cc", "gpu_process_host.cc", "viz_main_impl.cc", "gl_surface_presentation_helper.cc",
            "sandbox_linux.cc", "bus.cc", "object_proxy.cc", "angle_platform_impl.cc", "command_buffer_proxy_impl.cc",
            "gpu_channel_manager.cc", "gl_utils.cc", "vaapi_wrapper.cc", "check_gl_errors.cc",
            "gl_display.cc", "sandbox_host_linux.cc", "zygote_host_impl_linux.cc", "cert_verify_proc_builtin.cc",
            "power_monitor_device_source_linux.cc", "udev_watcher.cc", "ozone_platform_x11.cc",
            "devtools_http_handler.cc", "CONSOLE(", "registration_request.cc", "gcm_store_impl.cc",
        ],
        texts: &[
            "Passthrough is not supported",
            "GPU process",
            "Gtk-WARNING",
            "Gtk-Message",
            "libva error",
            "Fontconfig",
            "Failed to connect to the bus",
            "DevTools listening on",
            "Electron Security Warning",
            // The same warning's closing line (its text spans several lines).
            "This warning will not show up",
            "ExtensionLoadWarning",
            "Request Autofill.enable failed",
            "Request Autofill.setAddresses failed",
        ],
    },
    Family {
        key: "tooling",
        name: "build and run tooling",
        why: "the development tools (Gradle, Flutter, Metro, npm, Node.js, Unity's asset pipeline) describe their own work: deprecations, reloads, cycles and cache notices that change nothing at run time",
        tags: &[],
        texts: &[
            "DeprecationWarning",
            "--trace-deprecation",
            "--trace-warnings",
            "ExperimentalWarning",
            "[DEP0",
            "npm WARN",
            "npm warn",
            "deprecated",
            "Require cycle:",
            "new NativeEventEmitter",
            "VirtualizedLists should never be nested",
            "Non-serializable values were found",
            "ViewPropTypes will be removed",
            "componentWillReceiveProps has been renamed",
            "componentWillMount has been renamed",
            "Reloaded ",
            "Syncing files to device",
            "Warning: Mapping new ns",
            "Note: Some input files use unchecked or unsafe operations",
            "Note: Recompile with -Xlint",
            "warning: [options]",
            "uses or overrides a deprecated API",
            "Unloading ",
            "UnloadTime:",
            "is not supported on this GPU",
            "Shader warning",
            "GfxDevice: creating device client",
            "Fallback handler could not load library",
            "The 'Packages' directory",
            "Deprecated Gradle features were used",
            "Configure project",
            "Incremental java compilation",
            "Consider adding",
        ],
    },
    Family {
        key: "agora.sdk_internal",
        name: "the Agora SDK's own internal warnings",
        why: "the SDK logs steps it retries or recovers from by itself (server choice, network probing, codec and device set-up); they matter only when a callback, an error code or a failed state change above says the session failed",
        tags: &[],
        texts: &[],
    },
];

/// The index of the Agora SDK's internal-warnings family in [`FAMILIES`].
pub const AGORA_INTERNAL: usize = 9;

/// Every family's message shapes (for the log's fast path).
pub fn texts() -> Vec<&'static str> {
    FAMILIES
        .iter()
        .flat_map(|f| f.texts.iter().copied())
        .collect()
}

/// The family matcher: tags exactly, texts anywhere in the line.
pub struct NoiseMatcher {
    texts: AhoCorasick,
    text_family: Vec<usize>,
    tags: std::collections::HashMap<&'static [u8], usize>,
}

impl NoiseMatcher {
    /// Build from [`FAMILIES`].
    pub fn new() -> NoiseMatcher {
        let mut texts = Vec::new();
        let mut text_family = Vec::new();
        let mut tags = std::collections::HashMap::new();
        for (i, f) in FAMILIES.iter().enumerate() {
            for t in f.texts {
                texts.push(*t);
                text_family.push(i);
            }
            for t in f.tags {
                tags.insert(t.as_bytes(), i);
            }
        }
        NoiseMatcher {
            texts: AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&texts)
                .expect("noise texts build an automaton"),
            text_family,
            tags,
        }
    }

    /// The family of a line written by `tag` (a logcat tag, a module, a source file).
    pub fn by_tag(&self, tag: &[u8]) -> Option<usize> {
        self.tags.get(tag).copied()
    }

    /// The family whose message shape the line has.
    pub fn by_text(&self, line: &[u8]) -> Option<usize> {
        self.texts
            .find(line)
            .map(|m| self.text_family[m.pattern().as_usize()])
    }
}

impl Default for NoiseMatcher {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_internal_family_index_names_it() {
        assert_eq!(FAMILIES[AGORA_INTERNAL].key, "agora.sdk_internal");
        let m = NoiseMatcher::new();
        assert_eq!(m.by_tag(b"EGL_emulation"), Some(1));
        assert_eq!(m.by_text(b"DevTools failed to load source map: x"), Some(3));
        assert_eq!(m.by_tag(b"flutter"), None);
    }
}
