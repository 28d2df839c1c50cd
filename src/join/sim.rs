//! Running the join cycle against TEST DOUBLES: where the SDK double (`libagora_sdk_double.so`, built
//! from `sdk-double/`) is. The simulated relay and the project it serves are the simulated world's
//! (`agora_sim::world`). Never Agora's service or SDK; every report made this way says `simulated`.

use std::io;
use std::path::{Path, PathBuf};

/// File name of the SDK double (deliberately not Agora's `libagora_rtc_sdk.so`).
pub const DOUBLE_LIBRARY: &str = "libagora_sdk_double.so";
/// The channel used when none is given (the simulated world's).
pub const SIM_CHANNEL: &str = agora_sim::world::SIM_CHANNEL;

/// The SDK double this binary carries (built from `sdk-double/` by `build.rs`).
const CARRIED_DOUBLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libagora_sdk_double.so"));

/// Where the SDK double is: beside the running executable (cargo puts `cdylib`s in `target/<profile>/`
/// next to binaries) or one level up (test executables live in `target/<profile>/deps/`); otherwise
/// the copy this binary carries, written out once into the cache (see [`carried_double`]). `None`
/// only when no folder could take that copy.
pub fn double_path(cache: Option<&Path>) -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    double_near(&exe).or_else(|| carried_double(cache).ok())
}

/// Write the carried double to `<cache>/sdk-double/<hash>/` (the temporary folder when there is no
/// cache) unless the same bytes are there already, and return its path. A file, not memory: the
/// double is loaded through the same `dlopen` path as Agora's SDK.
pub fn carried_double(cache: Option<&Path>) -> io::Result<PathBuf> {
    use sha2::Digest;
    let hash = hex::encode(&sha2::Sha256::digest(CARRIED_DOUBLE)[..8]);
    let mut last_error = io::Error::other("no folder to write the SDK double to");
    for base in cache
        .map(Path::to_path_buf)
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let cache = std::env::temp_dir().join(format!("agora-doctor-cache-{}", std::process::id()));
        let first = carried_double(Some(&cache)).unwrap();
        assert!(first.starts_with(&cache), "{}", first.display());
        assert_eq!(std::fs::read(&first).unwrap(), CARRIED_DOUBLE);
        assert_eq!(carried_double(Some(&cache)).unwrap(), first);
        std::fs::remove_dir_all(&cache).unwrap();
    }
}
