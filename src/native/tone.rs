//! The test tone the join cycle publishes (440 Hz, 16 kHz mono, 10 ms frames) and the measurement that
//! decides whether the listening connection heard it: level (RMS, dBFS), frequency (rising zero
//! crossings, interpolated) and how much of the energy sits at 440 Hz (Goertzel, 100 ms blocks). Pure.

/// The tone's frequency (A4).
pub const TONE_HZ: f64 = 440.0;
/// Sample rate of the published PCM (the Go example's 16 kHz mono).
pub const SAMPLE_RATE: u32 = 16_000;
/// One frame per 10 ms, as the older header asks (`samples_per_channel * 100 == sample_rate`).
pub const FRAME_SAMPLES: usize = (SAMPLE_RATE / 100) as usize;
/// Peak amplitude: half of full scale, i.e. −6 dBFS peak, −9 dBFS RMS.
pub const AMPLITUDE: f64 = 16_384.0;
/// Quietest level that counts as heard (a muted or near-silent stream is far below).
pub const MIN_LEVEL_DBFS: f64 = -30.0;
/// Largest frequency error that still counts as the tone.
pub const FREQUENCY_TOLERANCE_HZ: f64 = 10.0;
/// Smallest share of the energy at 440 Hz that counts as the tone (noise or another tone is far below).
pub const MIN_TONE_SHARE: f64 = 0.8;
/// Least audio (seconds) needed to judge.
pub const MIN_HEARD_SECONDS: f64 = 0.5;

/// Produces consecutive 10 ms frames of the tone.
#[derive(Debug, Default)]
pub struct ToneGenerator {
    n: u64,
}

impl ToneGenerator {
    /// The next 10 ms of the tone.
    pub fn next_frame(&mut self) -> Vec<i16> {
        let frame = (0..FRAME_SAMPLES as u64)
            .map(|i| {
                let t = (self.n + i) as f64 / f64::from(SAMPLE_RATE);
                (AMPLITUDE * (2.0 * std::f64::consts::PI * TONE_HZ * t).sin()).round() as i16
            })
            .collect();
        self.n += FRAME_SAMPLES as u64;
        frame
    }
}

/// What the listener measured.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Hearing {
    /// Seconds of audio received.
    pub seconds: f64,
    /// RMS level in dBFS (−inf for silence, reported as −120).
    pub level_dbfs: f64,
    /// Estimated fundamental frequency in Hz (0 when there is no crossing).
    pub frequency_hz: f64,
    /// Share of the energy at 440 Hz, 0–1.
    pub tone_share: f64,
}

impl Hearing {
    /// Whether this is the tone: long enough, loud enough, at 440 Hz, and mostly 440 Hz.
    pub fn heard(&self) -> bool {
        self.seconds >= MIN_HEARD_SECONDS
            && self.level_dbfs >= MIN_LEVEL_DBFS
            && (self.frequency_hz - TONE_HZ).abs() <= FREQUENCY_TOLERANCE_HZ
            && self.tone_share >= MIN_TONE_SHARE
    }
}

/// Measure mono samples at `sample_rate`.
pub fn measure(samples: &[i16], sample_rate: u32) -> Hearing {
    let rate = f64::from(sample_rate.max(1));
    let x: Vec<f64> = samples.iter().map(|&s| f64::from(s) / 32_768.0).collect();
    let energy: f64 = x.iter().map(|v| v * v).sum();
    let rms = if x.is_empty() {
        0.0
    } else {
        (energy / x.len() as f64).sqrt()
    };
    let level_dbfs = if rms > 0.0 {
        (20.0 * rms.log10()).max(-120.0)
    } else {
        -120.0
    };
    Hearing {
        seconds: x.len() as f64 / rate,
        level_dbfs,
        frequency_hz: zero_crossing_frequency(&x, rate),
        tone_share: goertzel_share(&x, rate, TONE_HZ, energy),
    }
}

/// Frequency from the first and last rising zero crossings (linearly interpolated).
fn zero_crossing_frequency(x: &[f64], rate: f64) -> f64 {
    let mut first = None;
    let mut last = 0.0;
    let mut count = 0u64;
    for i in 1..x.len() {
        if x[i - 1] < 0.0 && x[i] >= 0.0 {
            let t = (i - 1) as f64 + (-x[i - 1]) / (x[i] - x[i - 1]);
            if first.is_none() {
                first = Some(t);
            }
            last = t;
            count += 1;
        }
    }
    match first {
        Some(f) if count >= 2 && last > f => (count - 1) as f64 * rate / (last - f),
        _ => 0.0,
    }
}

/// Share of the total energy at `freq`, from Goertzel over 100 ms blocks (a whole number of cycles of
/// 440 Hz, so a pure tone scores 1).
fn goertzel_share(x: &[f64], rate: f64, freq: f64, energy: f64) -> f64 {
    if energy <= 0.0 {
        return 0.0;
    }
    let block = ((rate / 10.0) as usize).max(1);
    let coeff = 2.0 * (2.0 * std::f64::consts::PI * freq / rate).cos();
    let mut tone = 0.0;
    for chunk in x.chunks(block) {
        let (mut s1, mut s2) = (0.0, 0.0);
        for &v in chunk {
            let s0 = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        let power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
        tone += 2.0 * power / chunk.len() as f64;
    }
    (tone / energy).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(freq: f64, seconds: f64, amplitude: f64) -> Vec<i16> {
        let n = (seconds * f64::from(SAMPLE_RATE)) as usize;
        (0..n)
            .map(|i| {
                let t = i as f64 / f64::from(SAMPLE_RATE);
                (amplitude * (2.0 * std::f64::consts::PI * freq * t).sin()) as i16
            })
            .collect()
    }

    #[test]
    fn the_generated_tone_is_heard_at_440_hz_and_minus_9_dbfs() {
        let mut g = ToneGenerator::default();
        let samples: Vec<i16> = (0..100).flat_map(|_| g.next_frame()).collect();
        let h = measure(&samples, SAMPLE_RATE);
        assert!((h.frequency_hz - 440.0).abs() < 1.0, "{h:?}");
        assert!((h.level_dbfs - -9.03).abs() < 0.1, "{h:?}");
        assert!(h.tone_share > 0.99, "{h:?}");
        assert!(h.heard());
    }

    #[test]
    fn another_tone_silence_or_noise_is_not_heard() {
        let wrong = measure(&tone(1000.0, 1.0, 16_000.0), SAMPLE_RATE);
        assert!(!wrong.heard(), "{wrong:?}");
        assert!(wrong.tone_share < 0.05, "{wrong:?}");
        let quiet = measure(&tone(440.0, 1.0, 10.0), SAMPLE_RATE);
        assert!(!quiet.heard(), "{quiet:?}");
        let silence = measure(&vec![0; 16_000], SAMPLE_RATE);
        assert!(!silence.heard());
        assert_eq!(silence.level_dbfs, -120.0);
        let short = measure(&tone(440.0, 0.2, 16_000.0), SAMPLE_RATE);
        assert!(!short.heard(), "{short:?}");
        // Deterministic pseudo-noise (xorshift): loud but not a tone.
        let mut s = 0x2545_f491_u32;
        let noise: Vec<i16> = (0..16_000)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                (s >> 16) as i16
            })
            .collect();
        assert!(!measure(&noise, SAMPLE_RATE).heard());
    }
}
