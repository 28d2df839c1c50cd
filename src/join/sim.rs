//! Running the join cycle against TEST DOUBLES: where the SDK double (`libagora_sdk_double.so`, built
//! from `sdk-double/`) is. The simulated relay and the project it serves are the simulated world's
//! (`agora_sim::world`). Never Agora's service or SDK; every report made this way says `simulated`.

use std::path::{Path, PathBuf};

/// File name of the SDK double (deliberately not Agora's `libagora_rtc_sdk.so`).
pub const DOUBLE_LIBRARY: &str = "libagora_sdk_double.so";
/// The channel used when none is given (the simulated world's).
pub const SIM_CHANNEL: &str = agora_sim::world::SIM_CHANNEL;

/// Where the SDK double is: beside the running executable (cargo puts `cdylib`s in `target/<profile>/`
/// next to binaries) or one level up (test executables live in `target/<profile>/deps/`).
pub fn double_path() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    double_near(&exe)
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
}
