//! Wire format between the SDK double (`sdk-double/`) and the simulated native relay ([`crate::native`]).
//!
//! Part of a TEST DOUBLE: this is not Agora's protocol, only a small framed format over loopback TCP so
//! that the double's connections really travel through a socket to a relay that validates tokens.
//! A frame is `u32` big-endian length of the rest, one kind byte, then the body.

use std::io::{self, Read, Write};

/// Largest frame either side accepts (a 10 ms stereo 48 kHz frame is 1 920 bytes).
pub const MAX_FRAME: usize = 64 * 1024;

/// One message of the double ↔ relay conversation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Client → relay: join `channel` as `uid` with `token` (empty when the SDK was given NULL).
    Join {
        /// App ID the service was initialised with.
        app_id: String,
        /// The token, or empty for NULL.
        token: String,
        /// Channel name.
        channel: String,
        /// User id as the decimal string the C API takes.
        uid: String,
    },
    /// Relay → client: joined; the uid the relay assigned (the requested one unless it was `0`).
    Joined {
        /// Assigned uid.
        uid: String,
    },
    /// Relay → client: refused with an Agora `CONNECTION_CHANGED_REASON_TYPE` value.
    Refused {
        /// The reason, e.g. 8 invalid token, 9 expired, 6 invalid app id.
        reason: i32,
    },
    /// Either way: 16-bit little-endian interleaved PCM. The relay fills `uid` with the sender's.
    Audio {
        /// Sender uid (set by the relay when forwarding).
        uid: String,
        /// Sample rate in Hz.
        sample_rate: u32,
        /// Interleaved channel count.
        channels: u16,
        /// The samples, little-endian `i16`.
        pcm: Vec<u8>,
    },
    /// Relay → client: another user is in the channel.
    UserJoined {
        /// Their uid.
        uid: String,
    },
    /// Relay → client: another user left (reason 0 quit, 1 dropped).
    UserLeft {
        /// Their uid.
        uid: String,
        /// Agora `USER_OFFLINE_REASON_TYPE`.
        reason: i32,
    },
    /// Client → relay: leaving the channel.
    Leave,
}

const JOIN: u8 = 1;
const JOINED: u8 = 2;
const REFUSED: u8 = 3;
const AUDIO: u8 = 4;
const USER_JOINED: u8 = 5;
const USER_LEFT: u8 = 6;
const LEAVE: u8 = 7;

fn put_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let len = u16::try_from(bytes.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&bytes[..usize::from(len)]);
}

struct Cursor<'a> {
    rest: &'a [u8],
}

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> io::Result<&'a [u8]> {
        if self.rest.len() < n {
            return Err(bad("frame shorter than its fields"));
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    fn u16(&mut self) -> io::Result<u16> {
        let b = self.take(2)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self) -> io::Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn string(&mut self) -> io::Result<String> {
        let len = usize::from(self.u16()?);
        let b = self.take(len)?;
        String::from_utf8(b.to_vec()).map_err(|_| bad("string field is not UTF-8"))
    }
}

fn bad(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

impl Message {
    /// The frame bytes of this message, length prefix included.
    pub fn encode(&self) -> Vec<u8> {
        let mut body = Vec::new();
        match self {
            Message::Join {
                app_id,
                token,
                channel,
                uid,
            } => {
                body.push(JOIN);
                put_str(&mut body, app_id);
                put_str(&mut body, token);
                put_str(&mut body, channel);
                put_str(&mut body, uid);
            }
            Message::Joined { uid } => {
                body.push(JOINED);
                put_str(&mut body, uid);
            }
            Message::Refused { reason } => {
                body.push(REFUSED);
                body.extend_from_slice(&reason.to_be_bytes());
            }
            Message::Audio {
                uid,
                sample_rate,
                channels,
                pcm,
            } => {
                body.push(AUDIO);
                put_str(&mut body, uid);
                body.extend_from_slice(&sample_rate.to_be_bytes());
                body.extend_from_slice(&channels.to_be_bytes());
                body.extend_from_slice(pcm);
            }
            Message::UserJoined { uid } => {
                body.push(USER_JOINED);
                put_str(&mut body, uid);
            }
            Message::UserLeft { uid, reason } => {
                body.push(USER_LEFT);
                put_str(&mut body, uid);
                body.extend_from_slice(&reason.to_be_bytes());
            }
            Message::Leave => body.push(LEAVE),
        }
        let mut frame = Vec::with_capacity(body.len() + 4);
        frame.extend_from_slice(&(body.len() as u32).to_be_bytes());
        frame.extend_from_slice(&body);
        frame
    }

    /// Parse one frame body (without the length prefix).
    pub fn decode(body: &[u8]) -> io::Result<Message> {
        let (&kind, rest) = body.split_first().ok_or_else(|| bad("empty frame"))?;
        let mut c = Cursor { rest };
        let msg = match kind {
            JOIN => Message::Join {
                app_id: c.string()?,
                token: c.string()?,
                channel: c.string()?,
                uid: c.string()?,
            },
            JOINED => Message::Joined { uid: c.string()? },
            REFUSED => Message::Refused {
                reason: c.u32()? as i32,
            },
            AUDIO => Message::Audio {
                uid: c.string()?,
                sample_rate: c.u32()?,
                channels: c.u16()?,
                pcm: c.rest.to_vec(),
            },
            USER_JOINED => Message::UserJoined { uid: c.string()? },
            USER_LEFT => Message::UserLeft {
                uid: c.string()?,
                reason: c.u32()? as i32,
            },
            LEAVE => Message::Leave,
            other => return Err(bad(&format!("unknown frame kind {other}"))),
        };
        Ok(msg)
    }

    /// Write this message as one frame.
    pub fn write_to(&self, out: &mut impl Write) -> io::Result<()> {
        out.write_all(&self.encode())?;
        out.flush()
    }

    /// Read one whole frame. A read timeout surfaces as `WouldBlock`/`TimedOut` only before the first
    /// byte; once a frame has started it is read to its end.
    pub fn read_from(input: &mut impl Read) -> io::Result<Message> {
        let mut len = [0u8; 4];
        read_exact_started(input, &mut len)?;
        let len = u32::from_be_bytes(len) as usize;
        if len == 0 || len > MAX_FRAME {
            return Err(bad("frame length out of range"));
        }
        let mut body = vec![0u8; len];
        read_all(input, &mut body)?;
        Message::decode(&body)
    }
}

/// Like `read_exact`, but a timeout before any byte arrives is returned as is (so callers can poll a
/// stop flag), while a timeout in the middle of the prefix keeps reading.
fn read_exact_started(input: &mut impl Read, buf: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => filled += n,
            Err(e) if filled == 0 => return Err(e),
            Err(e) if is_timeout(&e) || e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn read_all(input: &mut impl Read, buf: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    let mut idle = 0u32;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => {
                filled += n;
                idle = 0;
            }
            // A peer that stops mid-frame for this many read timeouts is gone.
            Err(e) if is_timeout(&e) && idle < 50 => idle += 1,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Whether an I/O error is a read timeout (`WouldBlock` on Unix, `TimedOut` elsewhere).
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_message_round_trips() {
        let msgs = [
            Message::Join {
                app_id: "a".repeat(32),
                token: "007abc".into(),
                channel: "demo".into(),
                uid: "42".into(),
            },
            Message::Joined { uid: "42".into() },
            Message::Refused { reason: 8 },
            Message::Audio {
                uid: "7".into(),
                sample_rate: 16000,
                channels: 1,
                pcm: vec![1, 2, 3, 4],
            },
            Message::UserJoined { uid: "9".into() },
            Message::UserLeft {
                uid: "9".into(),
                reason: 0,
            },
            Message::Leave,
        ];
        for m in msgs {
            let frame = m.encode();
            let back = Message::read_from(&mut &frame[..]).unwrap();
            assert_eq!(back, m);
        }
    }

    #[test]
    fn truncated_frame_is_an_error_not_a_panic() {
        let frame = Message::Joined {
            uid: "12345".into(),
        }
        .encode();
        assert!(Message::read_from(&mut &frame[..frame.len() - 2]).is_err());
        assert!(Message::decode(&[JOINED, 0, 9, b'1']).is_err());
        assert!(Message::decode(&[99]).is_err());
    }
}
