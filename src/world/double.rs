//! The SDK double of the simulated world (a TEST DOUBLE for the join cycle): where the SDK double (`libagora_sdk_double.so`, built
//! from `sdk-double/`) is. The simulated relay and the project it serves are the simulated world's
//! (`agora_sim::world`). Never Agora's service or SDK; every report made this way says `simulated`.

use std::io::{self, Write as _};
use std::os::fd::{AsRawFd, OwnedFd};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// File name of the SDK double (deliberately not Agora's `libagora_rtc_sdk.so`).
pub const DOUBLE_LIBRARY: &str = "libagora_sdk_double.so";
/// What a native join through the SDK double and the simulated relay is, in the words every
/// report of one says.
pub const NATIVE_DOUBLE: &str =
    "SDK double + simulated relay on loopback (test doubles, not Agora's SDK or service)";
/// The channel used when none is given (the simulated world's).
pub const SIM_CHANNEL: &str = agora_sim::world::SIM_CHANNEL;

/// The SDK double this binary carries (built from `sdk-double/` by `build.rs`).
const CARRIED_DOUBLE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/libagora_sdk_double.so"));

/// Where the SDK double is: beside the running executable (cargo puts `cdylib`s in `target/<profile>/`
/// next to binaries) or one level up (test executables live in `target/<profile>/deps/`); otherwise
/// the copy this binary carries, in memory (see [`carried_double`]). `None` only when the system
/// refuses an in-memory file.
pub fn double_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    double_near(&exe).or_else(|| carried_double().ok())
}

/// The carried double as an anonymous, sealed in-memory file (`memfd_create(2)`), loaded through
/// `/proc/self/fd/N` by the same `dlopen` as Agora's SDK.
///
/// Why not a file in a cache folder: a file is checked and then opened by path, and another local
/// user who can reach that folder (a shared temporary folder, a folder they created first) can swap
/// it in between, so their library's constructor runs as this user. The memory file holds exactly
/// the bytes compiled into this binary, is sealed against writes before it is loaded, and has no
/// name anyone else can open.
pub fn carried_double() -> io::Result<PathBuf> {
    static CARRIED: OnceLock<OwnedFd> = OnceLock::new();
    if let Some(fd) = CARRIED.get() {
        return Ok(fd_path(fd));
    }
    let fd = sealed_memory_file(DOUBLE_LIBRARY, CARRIED_DOUBLE)?;
    // A race with another thread leaves one of the two files unused; both hold the same bytes.
    Ok(fd_path(CARRIED.get_or_init(|| fd)))
}

/// A sealed memory file holding `bytes`, closed on exec.
fn sealed_memory_file(name: &str, bytes: &[u8]) -> io::Result<OwnedFd> {
    use nix::fcntl::{fcntl, FcntlArg, SealFlag};
    use nix::sys::memfd::{memfd_create, MFdFlags};
    let fd = memfd_create(name, MFdFlags::MFD_CLOEXEC | MFdFlags::MFD_ALLOW_SEALING)
        .map_err(io::Error::from)?;
    let mut file = std::fs::File::from(fd);
    file.write_all(bytes)?;
    let fd = OwnedFd::from(file);
    fcntl(
        &fd,
        FcntlArg::F_ADD_SEALS(
            SealFlag::F_SEAL_WRITE
                | SealFlag::F_SEAL_SHRINK
                | SealFlag::F_SEAL_GROW
                | SealFlag::F_SEAL_SEAL,
        ),
    )
    .map_err(io::Error::from)?;
    Ok(fd)
}

fn fd_path(fd: &OwnedFd) -> PathBuf {
    PathBuf::from(format!("/proc/self/fd/{}", fd.as_raw_fd()))
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
    fn the_carried_double_is_a_sealed_memory_file_with_the_carried_bytes() {
        assert_eq!(&CARRIED_DOUBLE[..4], b"\x7fELF");
        let first = carried_double().unwrap();
        assert!(first.starts_with("/proc/self/fd"), "{}", first.display());
        assert_eq!(std::fs::read(&first).unwrap(), CARRIED_DOUBLE);
        // Sealed: nobody, not even this process, can change the bytes after the check.
        let write = std::fs::OpenOptions::new()
            .write(true)
            .open(&first)
            .and_then(|mut f| f.write_all(b"x"));
        assert!(write.is_err(), "the memory file took a write");
        assert_eq!(carried_double().unwrap(), first);
    }
}
