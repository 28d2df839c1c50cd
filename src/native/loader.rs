//! Finding and loading Agora's native SDK at run time: `--sdk PATH`, then `AGORA_SDK_LIB`, then the
//! usual library search. Resolves every symbol the binding calls before anything is called, so a
//! library that does not match the 4.4.32 C API is refused with the missing symbol's name, never run.

use std::collections::HashMap;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use libloading::Library;

use super::ffi::*;

/// The library file name of Agora's Linux server SDK.
pub const LIBRARY_NAME: &str = "libagora_rtc_sdk.so";
/// Companion library the Python SDK loads before the main one (`docs/native-c-api.md#library-files-and-versions`).
pub const COMPANION_NAME: &str = "libaosl.so";
/// The SDK family whose C ABI this binding is written for (`docs/native-c-api.md#library-files-and-versions`: 4.4.32.150 … .174).
pub const TARGET_FAMILY: (u32, u32, u32) = (4, 4, 32);
/// Files beside the library (or its parent directory) that record the SDK build: the Python SDK's
/// `version.txt` and the Go SDK's `sdk_version` (`docs/native-c-api.md#library-files-and-versions`).
pub const VERSION_FILES: [&str; 2] = ["version.txt", "sdk_version"];
/// The environment variable naming the library (a file or the directory holding it).
pub const ENV_VAR: &str = "AGORA_SDK_LIB";

/// Where to find the SDK library, as a run was told (the join cycle's choice).
#[derive(Debug, Clone, Default)]
pub struct SdkChoice {
    /// `--sdk PATH`.
    pub flag: Option<PathBuf>,
    /// `AGORA_SDK_LIB`.
    pub env: Option<OsString>,
    /// `LD_LIBRARY_PATH`.
    pub ld_library_path: Option<OsString>,
    /// `flag` is the SDK double `--sim` chose, not a path the user gave.
    pub sim_double: bool,
}

/// Where the library came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SdkSource {
    /// `--sdk PATH`.
    Flag,
    /// `AGORA_SDK_LIB`.
    Env,
    /// `LD_LIBRARY_PATH`, `./agora_sdk/` or the system loader's search.
    Search,
}

/// Why the SDK could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// No library at any place looked at.
    #[error("no {LIBRARY_NAME} found; looked in: {}", looked.join(", "))]
    NotFound {
        /// Every place looked at, in order.
        looked: Vec<String>,
    },
    /// A file was found but the dynamic loader refused it.
    #[error("could not load {}: {message}", path.display())]
    Open {
        /// The file.
        path: PathBuf,
        /// The loader's message.
        message: String,
    },
    /// The library lacks a function the 4.4.32 C API has.
    #[error(
        "{} does not export `{symbol}` (part of the 4.4.32 C API): not a compatible Agora SDK build",
        path.display()
    )]
    MissingSymbol {
        /// The library.
        path: PathBuf,
        /// The first symbol not found.
        symbol: &'static str,
    },
    /// The SDK's version file names another family.
    #[error(
        "{} is Agora SDK {version} (from {}); this binding targets the 4.4.32 family",
        path.display(), version_file.display()
    )]
    UnsupportedVersion {
        /// The library.
        path: PathBuf,
        /// The version found.
        version: String,
        /// The file it was read from.
        version_file: PathBuf,
    },
}

/// Every function the binding calls, resolved once.
#[derive(Clone, Copy)]
pub(crate) struct Api {
    pub service_create: ServiceCreateFn,
    pub service_initialize: ServiceInitializeFn,
    pub service_release: ServiceReleaseFn,
    pub create_factory: CreateFactoryFn,
    pub factory_destroy: DestroyFn,
    pub conn_create: ConnCreateFn,
    pub conn_destroy: DestroyFn,
    pub conn_register_observer: ConnRegisterObserverFn,
    pub conn_unregister_observer: HandleIntFn,
    pub conn_connect: ConnConnectFn,
    pub conn_disconnect: HandleIntFn,
    pub conn_get_local_user: GetLocalUserFn,
    pub create_pcm_sender: CreatePcmSenderFn,
    pub pcm_sender_destroy: DestroyFn,
    pub pcm_send: PcmSendFn,
    pub create_custom_track: CreateCustomTrackFn,
    pub track_set_enabled: TrackSetEnabledFn,
    pub track_destroy: DestroyFn,
    pub publish_audio: PublishAudioFn,
    pub unpublish_audio: PublishAudioFn,
    pub set_playback_params: SetPlaybackParamsFn,
    pub register_audio_observer: RegisterAudioObserverFn,
    pub unregister_audio_observer: HandleIntFn,
    /// Optional: only needed to point the SDK double at the simulated relay.
    pub get_parameter: Option<GetParameterFn>,
    /// Optional, as above.
    pub set_parameters: Option<SetParametersFn>,
    /// Only in the SDK double (a test double): its count of release-order violations.
    pub double_order_violations: Option<unsafe extern "C" fn() -> std::ffi::c_int>,
}

/// A loaded SDK library. Loaded once per path per process and never unloaded: SDK threads may
/// outlive a release (the Go SDK notes a deferred destroy), and unloading under them would crash.
pub struct Sdk {
    /// The file loaded (or the bare name when the system loader found it).
    pub path: PathBuf,
    /// The SDK build from its version file, when there is one.
    pub version: Option<String>,
    /// Where it came from.
    pub source: SdkSource,
    pub(crate) api: Api,
    _loaded: Arc<Loaded>,
}

/// A library kept loaded for the rest of the process.
struct Loaded {
    api: Api,
    _lib: Library,
    _companion: Option<Library>,
}

impl std::fmt::Debug for Sdk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sdk")
            .field("path", &self.path)
            .field("version", &self.version)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

static LOADED: LazyLock<Mutex<HashMap<PathBuf, Arc<Loaded>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

impl Sdk {
    /// Find and load the SDK: `flag` (`--sdk`) first, then `env` (`AGORA_SDK_LIB`), then the usual
    /// search (`ld_library_path` dirs, `./agora_sdk/`, the system loader). A path may name the library
    /// file or a directory holding it (or an `agora_sdk/` directory holding it).
    pub fn locate(
        flag: Option<&Path>,
        env: Option<&OsStr>,
        ld_library_path: Option<&OsStr>,
    ) -> Result<Arc<Sdk>, LoadError> {
        let mut looked = Vec::new();
        let (explicit, source) = match (flag, env.filter(|e| !e.is_empty())) {
            (Some(p), _) => (Some(p.to_path_buf()), SdkSource::Flag),
            (None, Some(e)) => (Some(PathBuf::from(e)), SdkSource::Env),
            (None, None) => (None, SdkSource::Search),
        };
        if let Some(p) = explicit {
            // An explicit path is the user's choice: never fall back to another library.
            let label = match source {
                SdkSource::Flag => "--sdk",
                _ => ENV_VAR,
            };
            for candidate in candidates_in(&p) {
                if candidate.is_file() {
                    return Sdk::load_file(&candidate, source);
                }
                looked.push(format!("{} ({label})", candidate.display()));
            }
            return Err(LoadError::NotFound { looked });
        }
        let mut dirs: Vec<PathBuf> = ld_library_path
            .map(|v| {
                std::env::split_paths(v)
                    .filter(|d| !d.as_os_str().is_empty())
                    .collect()
            })
            .unwrap_or_default();
        dirs.push(PathBuf::from("agora_sdk"));
        for dir in dirs {
            let candidate = dir.join(LIBRARY_NAME);
            if candidate.is_file() {
                return Sdk::load_file(&candidate, SdkSource::Search);
            }
            looked.push(candidate.display().to_string());
        }
        // Last, the system loader's own search (rpath, /etc/ld.so.cache, /lib, /usr/lib).
        let by_name = PathBuf::from(LIBRARY_NAME);
        if let Some(loaded) = cached(&by_name) {
            return Ok(Sdk::wrap(by_name, None, SdkSource::Search, loaded));
        }
        // SAFETY: loading runs the library's initialisers; a library installed under Agora's SDK
        // name is trusted to be Agora's SDK (as the Python and Go SDKs trust it).
        match unsafe { Library::new(LIBRARY_NAME) } {
            Ok(lib) => {
                let loaded = Sdk::finish(by_name.clone(), lib, None)?;
                Ok(Sdk::wrap(by_name, None, SdkSource::Search, loaded))
            }
            Err(_) => {
                looked.push(format!(
                    "the system library search for {LIBRARY_NAME} (rpath, ld.so.cache, /lib, /usr/lib)"
                ));
                Err(LoadError::NotFound { looked })
            }
        }
    }

    /// Load one library file (after checking its version file, if it has one).
    pub fn load_file(path: &Path, source: SdkSource) -> Result<Arc<Sdk>, LoadError> {
        // The version file sits beside the path the user gave (which may be a symlink).
        let version = read_version(path);
        if let Some((version, file)) = &version {
            if parse_version(version).map(|(a, b, c, _)| (a, b, c)) != Some(TARGET_FAMILY) {
                return Err(LoadError::UnsupportedVersion {
                    path: path.to_path_buf(),
                    version: version.clone(),
                    version_file: file.clone(),
                });
            }
        }
        let version = version.map(|v| v.0);
        // A descriptor path (`/proc/self/fd/N`, the carried double's sealed memory file) is loaded
        // as it is: canonicalising it would name the file behind it, which may not be openable.
        let descriptor = path.starts_with(FD_DIR);
        let key = if descriptor {
            path.to_path_buf()
        } else {
            path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
        };
        let shown = if descriptor {
            shown_descriptor(path)
        } else {
            path.to_path_buf()
        };
        if let Some(loaded) = cached(&key) {
            return Ok(Sdk::wrap(shown, version, source, loaded));
        }
        let companion = key
            .parent()
            .filter(|_| !descriptor)
            .map(|d| d.join(COMPANION_NAME))
            .filter(|c| c.is_file())
            .and_then(|c| {
                use libloading::os::unix::{Library as UnixLibrary, RTLD_GLOBAL, RTLD_NOW};
                // SAFETY: Agora's companion library shipped beside the SDK; loaded globally first, as
                // the Python SDK does, so the SDK's dependency on it resolves.
                unsafe { UnixLibrary::open(Some(&c), RTLD_NOW | RTLD_GLOBAL) }
                    .ok()
                    .map(Library::from)
            });
        let lib = {
            use libloading::os::unix::{Library as UnixLibrary, RTLD_LOCAL, RTLD_NOW};
            // SAFETY: the user named this file as Agora's SDK (flag, env or search path); loading runs
            // its initialisers. RTLD_NOW surfaces unresolved dependencies here rather than mid-call.
            unsafe { UnixLibrary::open(Some(&key), RTLD_NOW | RTLD_LOCAL) }
                .map(Library::from)
                .map_err(|e| LoadError::Open {
                    path: key.clone(),
                    message: e.to_string(),
                })?
        };
        let loaded = Sdk::finish(key, lib, companion)?;
        Ok(Sdk::wrap(shown, version, source, loaded))
    }

    /// For the SDK double only (a test double; Agora's SDK has no such function): how many times so
    /// far in this process an object was released out of the documented order. `None` for a real SDK.
    pub fn double_order_violations(&self) -> Option<i32> {
        // SAFETY: the double exports this as `int f(void)`; it only reads an atomic counter.
        self.api.double_order_violations.map(|f| unsafe { f() })
    }

    fn finish(
        key: PathBuf,
        lib: Library,
        companion: Option<Library>,
    ) -> Result<Arc<Loaded>, LoadError> {
        let api = resolve(&lib, &key)?;
        let loaded = Arc::new(Loaded {
            api,
            _lib: lib,
            _companion: companion,
        });
        let mut all = LOADED.lock().unwrap_or_else(|p| p.into_inner());
        Ok(Arc::clone(all.entry(key).or_insert(loaded)))
    }

    fn wrap(
        path: PathBuf,
        version: Option<String>,
        source: SdkSource,
        loaded: Arc<Loaded>,
    ) -> Arc<Sdk> {
        Arc::new(Sdk {
            path,
            version,
            source,
            api: loaded.api,
            _loaded: loaded,
        })
    }
}

/// Where this process's open descriptors appear as paths.
const FD_DIR: &str = "/proc/self/fd";

/// How a descriptor path is shown: the name of the file behind it (`memfd:NAME` for a memory file,
/// as the kernel names it), so that reports say which library ran rather than a descriptor number.
fn shown_descriptor(path: &Path) -> PathBuf {
    match std::fs::read_link(path) {
        Ok(target) => {
            let text = target.to_string_lossy();
            match text.strip_prefix("/memfd:") {
                Some(name) => PathBuf::from(format!(
                    "{} (in memory)",
                    name.trim_end_matches(" (deleted)")
                )),
                None => target,
            }
        }
        Err(_) => path.to_path_buf(),
    }
}

fn cached(key: &Path) -> Option<Arc<Loaded>> {
    let loaded = LOADED.lock().unwrap_or_else(|p| p.into_inner());
    loaded.get(key).cloned()
}

/// The files a user-given path may mean: the file itself, or the library inside it / its `agora_sdk/`.
fn candidates_in(p: &Path) -> Vec<PathBuf> {
    if p.is_dir() {
        vec![p.join(LIBRARY_NAME), p.join("agora_sdk").join(LIBRARY_NAME)]
    } else {
        vec![p.to_path_buf()]
    }
}

fn resolve(lib: &Library, path: &Path) -> Result<Api, LoadError> {
    macro_rules! sym {
        ($name:literal) => {{
            // SAFETY: the function type comes from the 4.4.32 C header for this exact symbol (ffi.rs);
            // the pointer is copied out and stays valid because the library is never unloaded.
            let found = unsafe { lib.get(concat!($name, "\0").as_bytes()) };
            match found {
                Ok(s) => *s,
                Err(_) => {
                    return Err(LoadError::MissingSymbol {
                        path: path.to_path_buf(),
                        symbol: $name,
                    })
                }
            }
        }};
    }
    macro_rules! optional {
        ($name:literal) => {{
            // SAFETY: as for `sym!`: the type is the header's signature for this symbol.
            let found = unsafe { lib.get(concat!($name, "\0").as_bytes()) };
            found.ok().map(|s| *s)
        }};
    }
    Ok(Api {
        service_create: sym!("agora_service_create"),
        service_initialize: sym!("agora_service_initialize"),
        service_release: sym!("agora_service_release"),
        create_factory: sym!("agora_service_create_media_node_factory"),
        factory_destroy: sym!("agora_media_node_factory_destroy"),
        conn_create: sym!("agora_rtc_conn_create"),
        conn_destroy: sym!("agora_rtc_conn_destroy"),
        conn_register_observer: sym!("agora_rtc_conn_register_observer"),
        conn_unregister_observer: sym!("agora_rtc_conn_unregister_observer"),
        conn_connect: sym!("agora_rtc_conn_connect"),
        conn_disconnect: sym!("agora_rtc_conn_disconnect"),
        conn_get_local_user: sym!("agora_rtc_conn_get_local_user"),
        create_pcm_sender: sym!("agora_media_node_factory_create_audio_pcm_data_sender"),
        pcm_sender_destroy: sym!("agora_audio_pcm_data_sender_destroy"),
        pcm_send: sym!("agora_audio_pcm_data_sender_send"),
        create_custom_track: sym!("agora_service_create_custom_audio_track_pcm"),
        track_set_enabled: sym!("agora_local_audio_track_set_enabled"),
        track_destroy: sym!("agora_local_audio_track_destroy"),
        publish_audio: sym!("agora_local_user_publish_audio"),
        unpublish_audio: sym!("agora_local_user_unpublish_audio"),
        set_playback_params: sym!(
            "agora_local_user_set_playback_audio_frame_before_mixing_parameters"
        ),
        register_audio_observer: sym!("agora_local_user_register_audio_frame_observer"),
        unregister_audio_observer: sym!("agora_local_user_unregister_audio_frame_observer"),
        get_parameter: optional!("agora_service_get_agora_parameter"),
        set_parameters: optional!("agora_parameter_set_parameters"),
        double_order_violations: optional!("agora_sdk_double_order_violations"),
    })
}

/// The version recorded beside the library: `(version, file it came from)`.
fn read_version(lib: &Path) -> Option<(String, PathBuf)> {
    let dir = lib.parent()?;
    let dirs = [Some(dir), dir.parent()];
    for d in dirs.into_iter().flatten() {
        for name in VERSION_FILES {
            let file = d.join(name);
            if let Ok(text) = std::fs::read_to_string(&file) {
                if let Some(v) = find_version(&text) {
                    return Some((v, file));
                }
            }
        }
    }
    None
}

/// The first `v4.4.32.174`-like version in a text (a bare version or a download URL).
pub fn find_version(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            && (i == 0
                || !bytes[i - 1].is_ascii_alphanumeric()
                || bytes[i - 1] == b'v'
                || bytes[i - 1] == b'V');
        if starts {
            let end = bytes[i..]
                .iter()
                .position(|b| !(b.is_ascii_digit() || *b == b'.'))
                .map_or(bytes.len(), |n| i + n);
            let candidate = text[i..end].trim_end_matches('.');
            if parse_version(candidate).is_some() {
                return Some(candidate.to_string());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// `major.minor.patch[.build]`, at least three numeric parts.
pub fn parse_version(v: &str) -> Option<(u32, u32, u32, Option<u32>)> {
    let parts: Vec<&str> = v.trim().trim_start_matches(['v', 'V']).split('.').collect();
    if !(3..=4).contains(&parts.len()) {
        return None;
    }
    let n: Vec<u32> = parts
        .iter()
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    Some((n[0], n[1], n[2], n.get(3).copied()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_are_found_in_download_urls_and_bare_files() {
        let url = "https://example.invalid/sdk/agora_rtc_sdk_x86_64-linux-gnu-v4.4.32.174_28020_SERVER_20260601_1240.zip";
        assert_eq!(find_version(url).as_deref(), Some("4.4.32.174"));
        assert_eq!(find_version("4.4.30\n").as_deref(), Some("4.4.30"));
        assert_eq!(find_version("x86_64 only"), None);
        assert_eq!(parse_version("v4.4.32.169"), Some((4, 4, 32, Some(169))));
        assert_eq!(parse_version("4.4"), None);
    }

    #[test]
    fn an_explicit_missing_path_is_not_found_and_lists_it() {
        let err = Sdk::locate(
            Some(Path::new("/nonexistent/libagora_rtc_sdk.so")),
            None,
            None,
        )
        .unwrap_err();
        match err {
            LoadError::NotFound { looked } => {
                assert_eq!(
                    looked,
                    vec!["/nonexistent/libagora_rtc_sdk.so (--sdk)".to_string()]
                );
            }
            other => panic!("expected NotFound, got {other:?}"),
        }
    }
}
