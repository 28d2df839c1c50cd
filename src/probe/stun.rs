//! A STUN Binding Request (RFC 8489) over UDP: the one UDP exchange that proves datagrams leave the
//! network and come back, and which public address they come from.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use tokio::net::UdpSocket;

/// STUN's magic cookie.
const MAGIC_COOKIE: u32 = 0x2112_A442;
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
const XOR_MAPPED_ADDRESS: u16 = 0x0020;
const SOFTWARE: u16 = 0x8022;

/// A Binding Success: the address the server saw and its software name (if it sent one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// Our address as the server saw it.
    pub mapped: Option<SocketAddr>,
    /// The server's SOFTWARE attribute.
    pub software: Option<String>,
    /// Round trip.
    pub rtt: Duration,
}

/// Why the exchange failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StunError {
    /// No answer in time (dropped by a firewall, or nothing listens).
    NoAnswer,
    /// The OS reported the port unreachable (ICMP): nothing listens there.
    Refused,
    /// Socket error.
    Io(String),
    /// Something answered but not with a Binding Success.
    Garbage,
}

/// Encode a Binding Request with this transaction id.
pub fn binding_request(transaction: [u8; 12]) -> Vec<u8> {
    let mut out = Vec::with_capacity(20);
    out.extend_from_slice(&BINDING_REQUEST.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
    out.extend_from_slice(&transaction);
    out
}

/// Decode a Binding Success for `transaction`.
pub fn parse_success(
    bytes: &[u8],
    transaction: &[u8; 12],
) -> Option<(Option<SocketAddr>, Option<String>)> {
    if bytes.len() < 20
        || u16::from_be_bytes([bytes[0], bytes[1]]) != BINDING_SUCCESS
        || u32::from_be_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) != MAGIC_COOKIE
        || &bytes[8..20] != transaction
    {
        return None;
    }
    let len = u16::from_be_bytes([bytes[2], bytes[3]]) as usize;
    let body = bytes.get(20..20 + len)?;
    let (mut mapped, mut software) = (None, None);
    let mut at = 0;
    while at + 4 <= body.len() {
        let kind = u16::from_be_bytes([body[at], body[at + 1]]);
        let vlen = u16::from_be_bytes([body[at + 2], body[at + 3]]) as usize;
        let value = body.get(at + 4..at + 4 + vlen)?;
        match kind {
            XOR_MAPPED_ADDRESS if vlen >= 8 => {
                let port = u16::from_be_bytes([value[2], value[3]]) ^ (MAGIC_COOKIE >> 16) as u16;
                let ip = match value[1] {
                    0x01 => {
                        let raw = u32::from_be_bytes([value[4], value[5], value[6], value[7]]);
                        Some(IpAddr::V4(Ipv4Addr::from(raw ^ MAGIC_COOKIE)))
                    }
                    0x02 if vlen >= 20 => {
                        let mut key = MAGIC_COOKIE.to_be_bytes().to_vec();
                        key.extend_from_slice(transaction);
                        let mut octets = [0u8; 16];
                        for (i, o) in octets.iter_mut().enumerate() {
                            *o = value[4 + i] ^ key[i];
                        }
                        Some(IpAddr::V6(Ipv6Addr::from(octets)))
                    }
                    _ => None,
                };
                mapped = ip.map(|ip| SocketAddr::new(ip, port));
            }
            SOFTWARE => software = Some(String::from_utf8_lossy(value).into_owned()),
            _ => {}
        }
        at += 4 + vlen + (4 - vlen % 4) % 4;
    }
    Some((mapped, software))
}

/// Ask `server` for a Binding, retrying within `limit` (UDP may drop one datagram).
pub async fn binding(server: SocketAddr, limit: Duration) -> Result<Binding, StunError> {
    let local: SocketAddr = if server.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local)
        .await
        .map_err(|e| StunError::Io(e.to_string()))?;
    socket
        .connect(server)
        .await
        .map_err(|e| StunError::Io(e.to_string()))?;
    let mut transaction = [0u8; 12];
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos()
        .to_be_bytes();
    transaction.copy_from_slice(&now[4..16]);
    let request = binding_request(transaction);
    let started = tokio::time::Instant::now();
    let deadline = started + limit;
    // Retransmit like RFC 8489 §6.2.1 would, but within our short budget.
    let mut interval = limit / 4;
    let mut buf = [0u8; 1500];
    loop {
        socket.send(&request).await.map_err(map_io)?;
        let wait = (tokio::time::Instant::now() + interval).min(deadline);
        match tokio::time::timeout_at(wait, socket.recv(&mut buf)).await {
            Err(_) => {}
            Ok(Err(e)) => return Err(map_io(e)),
            Ok(Ok(n)) => {
                return match parse_success(&buf[..n], &transaction) {
                    Some((mapped, software)) => Ok(Binding {
                        mapped,
                        software,
                        rtt: started.elapsed(),
                    }),
                    None => Err(StunError::Garbage),
                }
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return Err(StunError::NoAnswer);
        }
        interval *= 2;
    }
}

fn map_io(e: std::io::Error) -> StunError {
    if e.kind() == std::io::ErrorKind::ConnectionRefused {
        StunError::Refused
    } else {
        StunError::Io(e.to_string())
    }
}
