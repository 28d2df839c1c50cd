//! A private PulseAudio daemon for one test: a null sink `vspeaker` and a remap source `vmic` (the
//! verified recipe of shared/research/probe.md §4.3), optionally fed a known sox tone. Everything it
//! starts is killed when the guard drops, even when the test fails.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Amplitude of the test tone (sox `vol 0.5`): a sine of peak 0.5 has RMS 0.5/√2 = −9.03 dBFS.
pub const TONE_AMPLITUDE: f64 = 0.5;

/// The RMS level in dBFS of a sine of peak `amplitude`.
pub fn sine_dbfs(amplitude: f64) -> f64 {
    20.0 * (amplitude / 2f64.sqrt()).log10()
}

/// A running private PulseAudio with its processes; dropping it kills them and removes its files.
pub struct Pulse {
    dir: PathBuf,
    daemon: Option<Child>,
    player: Option<Child>,
}

impl Pulse {
    /// Start the daemon with `vspeaker` + `vmic` (the default source) and wait until it answers.
    pub fn start() -> Pulse {
        let dir = std::env::temp_dir().join(format!(
            "agora-doctor-pulse-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let socket = dir.join("native");
        // -n: no default.pa (so no module tries hardware); --system=no + own runtime dir so it runs
        // as root in a container without touching any other PulseAudio on the machine.
        let daemon = Command::new("pulseaudio")
            .args([
                "--daemonize=no",
                "-n",
                "--system=no",
                "--use-pid-file=no",
                "--exit-idle-time=-1",
                "--disallow-exit",
                &format!("--log-target=file:{}", dir.join("pulse.log").display()),
                &format!("--load=module-native-protocol-unix socket={} auth-anonymous=1", socket.display()),
                "--load=module-null-sink sink_name=vspeaker sink_properties=device.description=VirtualSpeaker",
                "--load=module-remap-source master=vspeaker.monitor source_name=vmic source_properties=device.description=VirtualMic",
            ])
            .envs(env_for(&dir))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("pulseaudio starts (scripts/apt/probe.txt installs it)");
        let pulse = Pulse {
            dir,
            daemon: Some(daemon),
            player: None,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while !pulse.pactl(&["info"]) {
            assert!(
                Instant::now() < deadline,
                "PulseAudio did not answer within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(pulse.pactl(&["set-default-source", "vmic"]));
        assert!(pulse.pactl(&["set-default-sink", "vspeaker"]));
        pulse
    }

    /// The environment a client of this daemon needs.
    pub fn env(&self) -> Vec<(String, String)> {
        env_for(&self.dir)
    }

    /// Run `pactl` against this daemon; true when it succeeded.
    pub fn pactl(&self, args: &[&str]) -> bool {
        Command::new("pactl")
            .args(args)
            .envs(self.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// Play a 440 Hz sine of peak `amplitude` into the sink (and so into `vmic`) for 30 s.
    pub fn play_tone(&mut self, amplitude: f64) {
        let wav = self.dir.join("tone.wav");
        let made = Command::new("sox")
            .args(["-n", "-r", "48000", "-c", "1", "-b", "16"])
            .arg(&wav)
            .args(["synth", "30", "sine", "440", "vol", &amplitude.to_string()])
            .status()
            .expect("sox runs");
        assert!(made.success(), "sox made the tone");
        let player = Command::new("paplay")
            .arg("--device=vspeaker")
            .arg(&wav)
            .envs(self.env())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("paplay starts");
        self.player = Some(player);
        // Let the stream reach the sink before anyone captures.
        std::thread::sleep(Duration::from_millis(300));
    }

    /// The daemon's directory (socket and log).
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

fn env_for(dir: &Path) -> Vec<(String, String)> {
    let d = dir.display().to_string();
    vec![
        ("PULSE_SERVER".into(), format!("unix:{d}/native")),
        ("PULSE_RUNTIME_PATH".into(), d.clone()),
        ("XDG_RUNTIME_DIR".into(), d.clone()),
        ("HOME".into(), d),
    ]
}

impl Drop for Pulse {
    fn drop(&mut self) {
        for child in [self.player.take(), self.daemon.take()]
            .into_iter()
            .flatten()
        {
            let mut child = child;
            let _ = child.kill();
            let _ = child.wait();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
