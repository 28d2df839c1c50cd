//! Running the join cycle against TEST DOUBLES: the SDK double (`libagora_sdk_double.so`, built from
//! `sdk-double/`) and the simulated relay (`agora_sim::native`). Never Agora's service or SDK; every
//! report made this way says `simulated`.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use agora_sim::native::{NativeRelay, RelayConfig, RelayFault};
use agora_token_core::{rtc_007, uid_text, Role};

/// File name of the SDK double (deliberately not Agora's `libagora_rtc_sdk.so`).
pub const DOUBLE_LIBRARY: &str = "libagora_sdk_double.so";
/// The simulated project's App ID when none is given (obviously not a real one).
pub const SIM_APP_ID: &str = "00000000000000000000000000051a1d";
/// The channel used when none is given.
pub const SIM_CHANNEL: &str = "agora-doctor-sim";
/// Lifetime of the tokens the simulated project issues (seconds).
pub const SIM_TOKEN_LIFETIME: u32 = 600;

/// The SDK double this binary carries (built from `sdk-double/` by `build.rs`).
const CARRIED_DOUBLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libagora_sdk_double.so"));

/// Where the SDK double is: beside the running executable (cargo puts `cdylib`s in `target/<profile>/`
/// next to binaries) or one level up (test executables live in `target/<profile>/deps/`); otherwise
/// the copy this binary carries, written out once into the cache (see [`carried_double`]). `None`
/// only when no folder could take that copy.
pub fn double_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    double_near(&exe).or_else(|| carried_double().ok())
}

/// Write the carried double to `<cache>/sdk-double/<hash>/` (the temporary folder when there is no
/// cache) unless the same bytes are there already, and return its path. A file, not memory: the
/// double is loaded through the same `dlopen` path as Agora's SDK.
pub fn carried_double() -> io::Result<PathBuf> {
    use sha2::Digest;
    let hash = hex::encode(&sha2::Sha256::digest(CARRIED_DOUBLE)[..8]);
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    let cache = crate::browser::web_sdk::cache_dir(
        var(crate::browser::web_sdk::CACHE_ENV),
        var("XDG_CACHE_HOME"),
        var("HOME"),
    );
    let mut last_error = io::Error::other("no folder to write the SDK double to");
    for base in cache
        .into_iter()
        .chain([std::env::temp_dir().join("agora-doctor")])
    {
        let dir = base.join("sdk-double").join(&hash);
        let path = dir.join(DOUBLE_LIBRARY);
        if std::fs::read(&path).is_ok_and(|bytes| bytes == CARRIED_DOUBLE) {
            return Ok(path);
        }
        let written = std::fs::create_dir_all(&dir).and_then(|()| {
            // Another run may be writing the same file: write aside, then rename into place.
            let part = dir.join(format!("{DOUBLE_LIBRARY}.{}.part", std::process::id()));
            std::fs::write(&part, CARRIED_DOUBLE)?;
            std::fs::rename(&part, &path)
        });
        match written {
            Ok(()) => return Ok(path),
            Err(e) => last_error = e,
        }
    }
    Err(last_error)
}

/// [`double_path`] for a given executable path.
pub fn double_near(exe: &Path) -> Option<PathBuf> {
    let dir = exe.parent()?;
    [dir.join(DOUBLE_LIBRARY), dir.parent()?.join(DOUBLE_LIBRARY)]
        .into_iter()
        .find(|p| p.is_file())
}

/// A 32-hex-character certificate, random per run (std's per-process random hasher keys).
pub fn random_certificate() -> String {
    let a = RandomState::new().build_hasher().finish();
    let mut h = RandomState::new().build_hasher();
    h.write_u64(a);
    format!("{a:016x}{:016x}", h.finish())
}

/// A running simulated project: relay + App ID + certificate (never printed).
pub struct SimEdge {
    relay: NativeRelay,
    app_id: String,
    certificate: String,
}

impl SimEdge {
    /// Start a relay for `app_id` in secure mode with `certificate` (random when `None`).
    pub fn start(
        app_id: &str,
        certificate: Option<String>,
        fault: RelayFault,
    ) -> io::Result<SimEdge> {
        let certificate = certificate.unwrap_or_else(random_certificate);
        let relay = NativeRelay::start(RelayConfig {
            app_id: app_id.to_string(),
            certificate: Some(certificate.clone()),
            fault,
        })?;
        Ok(SimEdge {
            relay,
            app_id: app_id.to_string(),
            certificate,
        })
    }

    /// The relay's address (what the SDK double is pointed at).
    pub fn addr(&self) -> SocketAddr {
        self.relay.addr()
    }

    /// The relay itself (counters for tests).
    pub fn relay(&self) -> &NativeRelay {
        &self.relay
    }

    /// A token for `channel`/`uid` issued at `now` by this project, valid [`SIM_TOKEN_LIFETIME`].
    pub fn token(&self, channel: &str, uid: u32, now: u64) -> String {
        self.token_with(channel, uid, now, SIM_TOKEN_LIFETIME)
    }

    /// A token with a chosen lifetime (issued at `now`).
    pub fn token_with(&self, channel: &str, uid: u32, now: u64, lifetime: u32) -> String {
        let salt = (now as u32).wrapping_mul(2_654_435_761) | 1;
        rtc_007(
            &self.app_id,
            &self.certificate,
            channel,
            &uid_text(uid),
            Role::Publisher,
            now as u32,
            lifetime,
            lifetime,
            salt,
        )
        // Building fails only for a malformed App ID or certificate, which this type never holds
        // for a valid App ID; an empty token then simply gets refused (reason 8).
        .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_are_32_hex_and_differ() {
        let a = random_certificate();
        assert_eq!(a.len(), 32);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, random_certificate());
    }

    #[test]
    fn the_double_is_found_next_to_or_above_the_executable() {
        let dir = std::env::temp_dir().join(format!("agora-doctor-double-{}", std::process::id()));
        let deps = dir.join("deps");
        std::fs::create_dir_all(&deps).unwrap();
        std::fs::write(dir.join(DOUBLE_LIBRARY), b"").unwrap();
        assert_eq!(
            double_near(&deps.join("test-bin")),
            Some(dir.join(DOUBLE_LIBRARY))
        );
        assert_eq!(
            double_near(&dir.join("agora-doctor")),
            Some(dir.join(DOUBLE_LIBRARY))
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_carried_double_is_an_elf_library_written_once() {
        assert_eq!(&CARRIED_DOUBLE[..4], b"\x7fELF");
        let first = carried_double().unwrap();
        assert_eq!(std::fs::read(&first).unwrap(), CARRIED_DOUBLE);
        assert_eq!(carried_double().unwrap(), first);
    }
}
