//! The devices check: list this machine's audio capture devices (cpal over ALSA, so PulseAudio and
//! PipeWire through their ALSA plugins), open the default one (or `--device`), capture about 2 s,
//! drop the first 0.5 s, and report the level in dBFS: silent, quiet, clipping, busy, no device.
//! "Listed" is never enough: cpal lists `default` even when it cannot open (`docs/probe-facts.md#capturing-from-a-microphone`).
//!
//! Time is counted in samples from the first buffer the device delivers, not from the moment the
//! stream opened: a PulseAudio source that starts slowly (`module-sine-source` delivers its first
//! buffer seconds after the stream opens, while `arecord` reads it fine) gets [`START_GRACE`] to
//! begin, then every expected sample is waited for. Only a device that delivers nothing within the
//! grace is called busy.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{ErrorKind, FromSample, Sample, SizedSample};

use crate::probe::context::{DeviceOptions, ProbeContext};
use crate::probe::runner::{CheckOutput, CheckSpec};
use crate::vocabulary::{Finding, Status};

/// Registry entry.
pub const SPEC: CheckSpec = CheckSpec {
    id: "devices",
    title: "Microphone on this machine",
    inputs: "none (--device NAME picks a capture device; skipped under --sim unless selected with --only)",
    budget: |ctx| START_GRACE + ctx.devices.capture * LATE_FACTOR + OPEN_ALLOWANCE,
    run: |ctx| Box::pin(run(ctx)),
};

/// Time allowed on top of the capture for opening the device and closing it.
const OPEN_ALLOWANCE: Duration = Duration::from_secs(3);
/// How long a device may take to deliver its first buffer. PulseAudio's `module-sine-source`
/// through ALSA's pulse plugin took about 2.5 s here (measured with this check, 2026-12-04); a source
/// that delivers nothing in 6 s is suspended or held.
pub const START_GRACE: Duration = Duration::from_secs(6);
/// Once audio flows, the capture may take this many times its nominal length before it is cut
/// short (delivery comes in bursts; the samples, not the wall clock, say how much was captured).
const LATE_FACTOR: u32 = 2;
/// Below this RMS the input is digital silence (muted, no permission, or a dead source).
pub const SILENT_DBFS: f64 = -90.0;
/// Below this RMS a real microphone in a room is implausibly quiet (input volume near zero);
/// Twilio flags ≤ 1 % of range (−40 dBFS) as low; we warn only well below that.
pub const QUIET_DBFS: f64 = -60.0;
/// A sample at or above this magnitude is clipped (`docs/probe-facts.md#computing-a-level`).
pub const CLIP_LEVEL: f32 = 0.999;
/// More than this share of clipped samples warns.
pub const CLIP_SHARE: f64 = 0.001;

/// What a capture measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Level {
    /// Samples kept (after the discarded start), all channels.
    pub samples: usize,
    /// RMS in dBFS (−inf for all-zero input).
    pub rms_dbfs: f64,
    /// Peak magnitude, 0..=1.
    pub peak: f32,
    /// Share of samples at or above [`CLIP_LEVEL`].
    pub clipped: f64,
}

/// Measure interleaved float samples (pure).
pub fn measure(samples: &[f32]) -> Level {
    if samples.is_empty() {
        return Level {
            samples: 0,
            rms_dbfs: f64::NEG_INFINITY,
            peak: 0.0,
            clipped: 0.0,
        };
    }
    let sum: f64 = samples.iter().map(|s| f64::from(*s) * f64::from(*s)).sum();
    let rms = (sum / samples.len() as f64).sqrt();
    let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
    let clipped =
        samples.iter().filter(|s| s.abs() >= CLIP_LEVEL).count() as f64 / samples.len() as f64;
    Level {
        samples: samples.len(),
        rms_dbfs: if rms > 0.0 {
            20.0 * rms.log10()
        } else {
            f64::NEG_INFINITY
        },
        peak,
        clipped,
    }
}

/// Why a capture could not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureError {
    /// No capture device (or no sound server behind `default`).
    NoDevice(String),
    /// The device is held by another program.
    Busy(String),
    /// The OS or sound server denied access.
    PermissionDenied(String),
    /// Anything else while opening.
    Other(String),
}

/// A finished capture.
#[derive(Debug, Clone)]
pub struct Capture {
    /// Device used.
    pub device: String,
    /// Every input device cpal listed.
    pub listed: Vec<String>,
    /// Stream format.
    pub format: String,
    /// Measured level.
    pub level: Level,
    /// How much audio was kept (samples ÷ rate ÷ channels).
    pub kept: Duration,
    /// How much audio the capture meant to keep.
    pub expected: Duration,
    /// When the first buffer arrived after the stream started (`None`: never).
    pub first_buffer: Option<Duration>,
    /// Stream errors reported during capture.
    pub stream_errors: Vec<String>,
}

fn classify(e: &cpal::Error) -> CaptureError {
    let text = e.to_string();
    match e.kind() {
        ErrorKind::DeviceBusy => CaptureError::Busy(text),
        ErrorKind::PermissionDenied => CaptureError::PermissionDenied(text),
        ErrorKind::DeviceNotAvailable | ErrorKind::HostUnavailable => CaptureError::NoDevice(text),
        _ => {
            // ALSA reports a missing sound server or PCM as an open error with these words.
            let lower = text.to_ascii_lowercase();
            if lower.contains("busy") {
                CaptureError::Busy(text)
            } else if lower.contains("permission") {
                CaptureError::PermissionDenied(text)
            } else if lower.contains("unknown pcm")
                || lower.contains("no such")
                || lower.contains("connection refused")
            {
                CaptureError::NoDevice(text)
            } else {
                CaptureError::Other(text)
            }
        }
    }
}

fn device_name(device: &cpal::Device) -> String {
    let id = device.id().map(|id| id.to_string()).unwrap_or_default();
    match device.description() {
        Ok(d) if !id.is_empty() => format!("{} ({id})", d.name()),
        Ok(d) => d.name().to_string(),
        Err(_) => id,
    }
}

/// Open a device and capture (blocking; run it on a blocking thread). alsa-lib's own messages
/// ("Unknown PCM default", …) go into the result instead of stderr.
pub fn capture(options: &DeviceOptions) -> Result<Capture, CaptureError> {
    #[cfg(target_os = "linux")]
    let alsa_log = alsa::Output::local_error_handler().ok();
    let result = capture_inner(options);
    #[cfg(target_os = "linux")]
    if let (Err(e), Some(log)) = (&result, alsa_log) {
        let said = log.borrow().to_string();
        if let Some(last) = said.lines().rev().find(|l| !l.trim().is_empty()) {
            let line = format!(" (ALSA: {})", last.trim());
            return Err(match e.clone() {
                CaptureError::NoDevice(m) => CaptureError::NoDevice(m + &line),
                CaptureError::Busy(m) => CaptureError::Busy(m + &line),
                CaptureError::PermissionDenied(m) => CaptureError::PermissionDenied(m + &line),
                CaptureError::Other(m) => CaptureError::Other(m + &line),
            });
        }
    }
    result
}

fn capture_inner(options: &DeviceOptions) -> Result<Capture, CaptureError> {
    let host = cpal::default_host();
    let listed: Vec<String> = host
        .input_devices()
        .map(|devices| devices.map(|d| device_name(&d)).collect())
        .unwrap_or_default();
    let device = match &options.device {
        Some(wanted) => host
            .input_devices()
            .map_err(|e| classify(&e))?
            .find(|d| {
                let name = device_name(d);
                name == *wanted
                    || d.id().is_ok_and(|id| {
                        id.to_string() == *wanted || id.to_string() == format!("alsa:{wanted}")
                    })
                    || d.description().is_ok_and(|desc| desc.name() == wanted)
            })
            .ok_or_else(|| CaptureError::NoDevice(format!("no input device named `{wanted}`")))?,
        None => host.default_input_device().ok_or_else(|| {
            CaptureError::NoDevice("the audio host has no default input device".to_string())
        })?,
    };
    let name = device_name(&device);
    let supported = device.default_input_config().map_err(|e| classify(&e))?;
    let config = supported.config();
    let format = format!(
        "{:?} {} ch {} Hz",
        supported.sample_format(),
        config.channels,
        config.sample_rate
    );
    // Sample counts, not wall time, decide what is discarded and what is kept (all channels).
    let per_second = f64::from(config.sample_rate) * f64::from(config.channels);
    let plan = Plan {
        discard: (options.discard.as_secs_f64() * per_second) as usize,
        keep: (options
            .capture
            .saturating_sub(options.discard)
            .as_secs_f64()
            * per_second) as usize,
    };
    let shared = Arc::new((Mutex::new(Progress::default()), Condvar::new()));
    let errors: Arc<Mutex<Vec<String>>> = Arc::new(Mutex::new(Vec::new()));
    let stream = match supported.sample_format() {
        cpal::SampleFormat::F32 => build::<f32>(&device, config, &shared, &errors, plan),
        cpal::SampleFormat::I16 => build::<i16>(&device, config, &shared, &errors, plan),
        cpal::SampleFormat::I32 => build::<i32>(&device, config, &shared, &errors, plan),
        cpal::SampleFormat::U16 => build::<u16>(&device, config, &shared, &errors, plan),
        cpal::SampleFormat::U8 => build::<u8>(&device, config, &shared, &errors, plan),
        cpal::SampleFormat::F64 => build::<f64>(&device, config, &shared, &errors, plan),
        other => {
            return Err(CaptureError::Other(format!(
                "unsupported sample format {other:?}"
            )))
        }
    }
    .map_err(|e| classify(&e))?;
    let opened = Instant::now();
    stream.play().map_err(|e| classify(&e))?;
    let (lock, delivered) = &*shared;
    let mut progress = lock.lock().unwrap_or_else(|e| e.into_inner());
    let late = options.capture * LATE_FACTOR;
    loop {
        let deadline = match progress.first_buffer {
            None => opened + START_GRACE,
            Some(first) => first + late,
        };
        let now = Instant::now();
        if progress.kept.len() >= plan.keep || now >= deadline {
            break;
        }
        progress = delivered
            .wait_timeout(progress, deadline - now)
            .map(|(guard, _)| guard)
            .unwrap_or_else(|e| e.into_inner().0);
    }
    let samples = std::mem::take(&mut progress.kept);
    let first_buffer = progress.first_buffer.map(|t| t.duration_since(opened));
    drop(progress);
    drop(stream);
    let stream_errors = errors.lock().map(|e| e.clone()).unwrap_or_default();
    Ok(Capture {
        device: name,
        listed,
        format,
        kept: Duration::from_secs_f64(samples.len() as f64 / per_second),
        expected: Duration::from_secs_f64(plan.keep as f64 / per_second),
        first_buffer,
        level: measure(&samples),
        stream_errors,
    })
}

/// How many samples (all channels) to drop after the first buffer, then how many to keep.
#[derive(Debug, Clone, Copy)]
struct Plan {
    discard: usize,
    keep: usize,
}

/// What the audio callback has seen so far.
#[derive(Debug, Default)]
struct Progress {
    /// When the first buffer arrived.
    first_buffer: Option<Instant>,
    /// Samples delivered so far, discarded ones included.
    delivered: usize,
    /// Samples kept for the measurement.
    kept: Vec<f32>,
}

fn build<T>(
    device: &cpal::Device,
    config: cpal::StreamConfig,
    shared: &Arc<(Mutex<Progress>, Condvar)>,
    errors: &Arc<Mutex<Vec<String>>>,
    plan: Plan,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample + Sample,
    f32: FromSample<T>,
{
    let shared = shared.clone();
    let errors = errors.clone();
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _| {
            let (lock, delivered) = &*shared;
            let Ok(mut progress) = lock.lock() else {
                return;
            };
            if data.is_empty() {
                return;
            }
            progress.first_buffer.get_or_insert_with(Instant::now);
            // The first samples are often empty or ramping up (`docs/probe-facts.md#capturing-from-a-microphone`): drop them.
            let skip = plan
                .discard
                .saturating_sub(progress.delivered)
                .min(data.len());
            progress.delivered += data.len();
            let room = plan.keep.saturating_sub(progress.kept.len());
            progress
                .kept
                .extend(data[skip..].iter().take(room).map(|s| f32::from_sample(*s)));
            if progress.kept.len() >= plan.keep {
                delivered.notify_all();
            }
        },
        move |e| {
            if let Ok(mut errors) = errors.lock() {
                errors.push(e.to_string());
            }
        },
        Some(Duration::from_secs(2)),
    )
}

/// The finding for a capture result (pure).
pub fn verdict(result: &Result<Capture, CaptureError>) -> Finding {
    let capture = match result {
        Ok(capture) => capture,
        Err(error) => {
            let (key, summary, why, fix) = match error {
                CaptureError::NoDevice(why) => (
                    "probe.devices.no_device",
                    "no audio capture device could be opened",
                    why,
                    "connect a microphone, or start the sound server (PulseAudio/PipeWire) this session uses; in a container, pass its socket in (PULSE_SERVER)",
                ),
                CaptureError::Busy(why) => (
                    "probe.devices.busy",
                    "the microphone is held by another program",
                    why,
                    "close the other program using the microphone (a call, a recorder, `pasuspender`, JACK) and try again",
                ),
                CaptureError::PermissionDenied(why) => (
                    "probe.devices.permission_denied",
                    "access to the microphone was denied",
                    why,
                    "give this user access to audio (the `audio` group, or the desktop's microphone privacy setting)",
                ),
                CaptureError::Other(why) => (
                    "probe.devices.open_failed",
                    "the microphone could not be opened",
                    why,
                    "pick another device with --device NAME (see the list in the evidence of a passing run)",
                ),
            };
            return Finding::new(key, Status::Fail, summary)
                .with_evidence(why.clone())
                .with_fix(fix);
        }
    };
    let level = &capture.level;
    let peak_db = if level.peak > 0.0 {
        20.0 * f64::from(level.peak).log10()
    } else {
        f64::NEG_INFINITY
    };
    let evidence = [
        format!("device: {} ({})", capture.device, capture.format),
        format!(
            "{} samples kept ({:.2} s of audio of {:.2} s expected; first buffer {}); RMS {:.2} dBFS, peak {:.3} ({:.2} dBFS), clipped {:.2} %",
            level.samples,
            capture.kept.as_secs_f64(),
            capture.expected.as_secs_f64(),
            capture.first_buffer.map_or_else(
                || format!("never, in {:.1} s", START_GRACE.as_secs_f64()),
                |t| format!("{:.2} s after the stream started", t.as_secs_f64())
            ),
            level.rms_dbfs,
            level.peak,
            peak_db,
            level.clipped * 100.0
        ),
        format!(
            "input devices listed ({}): {}",
            capture.listed.len(),
            capture.listed.iter().take(8).cloned().collect::<Vec<_>>().join(", ")
        ),
    ];
    let with_evidence = |mut f: Finding| {
        f.evidence.extend(evidence.iter().cloned());
        for e in &capture.stream_errors {
            f.evidence.push(format!("stream error: {e}"));
        }
        f
    };
    if level.samples == 0 {
        let summary = match capture.first_buffer {
            None => format!(
                "{} opened but delivered no audio in {:.1} s: it is suspended or held by another program",
                capture.device,
                START_GRACE.as_secs_f64()
            ),
            Some(_) => format!(
                "{} delivered a moment of audio, then stopped: it was suspended or taken by another program",
                capture.device
            ),
        };
        return with_evidence(
            Finding::new("probe.devices.busy", Status::Fail, summary)
            .with_fix("close the program holding the microphone, or resume the source (`pactl suspend-source <name> 0`)"),
        );
    }
    if level.rms_dbfs < SILENT_DBFS {
        return with_evidence(
            Finding::new(
                "probe.devices.silent",
                Status::Fail,
                format!("{} delivers digital silence (level {})", capture.device, db(level.rms_dbfs)),
            )
            .with_fix("unmute the microphone and raise its input volume (`pactl set-source-mute @DEFAULT_SOURCE@ 0`, or the system sound settings); check the hardware mute switch"),
        );
    }
    if level.rms_dbfs < QUIET_DBFS {
        return with_evidence(
            Finding::new(
                "probe.devices.quiet",
                Status::Warn,
                format!(
                    "{} is very quiet (level {})",
                    capture.device,
                    db(level.rms_dbfs)
                ),
            )
            .with_fix("raise the input volume, or speak while the check runs"),
        );
    }
    if level.clipped > CLIP_SHARE {
        return with_evidence(
            Finding::new(
                "probe.devices.clipping",
                Status::Warn,
                format!(
                    "{} clips: {:.2} % of samples at full scale (level {})",
                    capture.device,
                    level.clipped * 100.0,
                    db(level.rms_dbfs)
                ),
            )
            .with_fix("lower the input volume until peaks stay below full scale"),
        );
    }
    with_evidence(Finding::new(
        "probe.devices.ok",
        Status::Pass,
        format!(
            "{} captures audio (level {})",
            capture.device,
            db(level.rms_dbfs)
        ),
    ))
}

fn db(value: f64) -> String {
    if value.is_finite() {
        format!("{value:.2} dBFS")
    } else {
        "-inf dBFS".to_string()
    }
}

async fn run(ctx: Arc<ProbeContext>) -> CheckOutput {
    if let Some(hint) = &ctx.devices.skip_hint {
        return CheckOutput::skip(
            "devices",
            "microphone not checked in this run",
            hint.clone(),
        );
    }
    let options = ctx.devices.clone();
    match tokio::task::spawn_blocking(move || capture(&options)).await {
        Ok(result) => CheckOutput::single(verdict(&result)),
        Err(e) => CheckOutput::single(Finding::new(
            "probe.runner.crashed",
            Status::Error,
            format!("the audio capture crashed: {e}"),
        )),
    }
}
