//! The UDP side of the simulated edge: answers STUN Binding Requests (RFC 8489) with the sender's
//! address and echoes every other datagram back.

use std::net::{SocketAddr, UdpSocket};

use super::{Background, Fault, SimError};

/// STUN's magic cookie (RFC 8489 §5).
const MAGIC_COOKIE: u32 = 0x2112_A442;
/// Binding Request / Binding Success Response message types.
const BINDING_REQUEST: u16 = 0x0001;
const BINDING_SUCCESS: u16 = 0x0101;
/// Attributes: XOR-MAPPED-ADDRESS and SOFTWARE.
const XOR_MAPPED_ADDRESS: u16 = 0x0020;
const SOFTWARE: u16 = 0x8022;

/// Serve datagrams on `socket` (already bound) until `runtime` is dropped.
pub fn serve_udp(runtime: &Background, socket: UdpSocket, fault: Fault) -> Result<(), SimError> {
    socket.set_nonblocking(true)?;
    let _guard = runtime.handle().enter();
    let socket = tokio::net::UdpSocket::from_std(socket)?;
    runtime.spawn(async move {
        let mut buf = vec![0u8; 2048];
        loop {
            let Ok((len, peer)) = socket.recv_from(&mut buf).await else {
                continue;
            };
            match fault {
                Fault::Stall | Fault::Blackhole => continue,
                Fault::Delay(delay) => tokio::time::sleep(delay).await,
                _ => {}
            }
            let reply = stun_reply(&buf[..len], peer).unwrap_or_else(|| buf[..len].to_vec());
            let _ = socket.send_to(&reply, peer).await;
        }
    });
    Ok(())
}

/// The Binding Success Response for a Binding Request, or `None` when `request` is not one.
pub fn stun_reply(request: &[u8], peer: SocketAddr) -> Option<Vec<u8>> {
    if request.len() < 20
        || u16::from_be_bytes([request[0], request[1]]) != BINDING_REQUEST
        || u32::from_be_bytes([request[4], request[5], request[6], request[7]]) != MAGIC_COOKIE
    {
        return None;
    }
    let transaction = &request[8..20];
    let mut attrs = Vec::new();
    // XOR-MAPPED-ADDRESS: port and address XORed with the cookie (and transaction id for IPv6).
    let port = peer.port() ^ (MAGIC_COOKIE >> 16) as u16;
    let mut value = vec![0u8];
    match peer {
        SocketAddr::V4(v4) => {
            value.push(0x01);
            value.extend_from_slice(&port.to_be_bytes());
            let ip = u32::from(*v4.ip()) ^ MAGIC_COOKIE;
            value.extend_from_slice(&ip.to_be_bytes());
        }
        SocketAddr::V6(v6) => {
            value.push(0x02);
            value.extend_from_slice(&port.to_be_bytes());
            let mut key = MAGIC_COOKIE.to_be_bytes().to_vec();
            key.extend_from_slice(transaction);
            for (byte, k) in v6.ip().octets().iter().zip(key) {
                value.push(byte ^ k);
            }
        }
    }
    push_attr(&mut attrs, XOR_MAPPED_ADDRESS, &value);
    push_attr(&mut attrs, SOFTWARE, crate::SIMULATED_LABEL.as_bytes());
    let mut out = Vec::with_capacity(20 + attrs.len());
    out.extend_from_slice(&BINDING_SUCCESS.to_be_bytes());
    out.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    out.extend_from_slice(&MAGIC_COOKIE.to_be_bytes());
    out.extend_from_slice(transaction);
    out.extend_from_slice(&attrs);
    Some(out)
}

fn push_attr(out: &mut Vec<u8>, kind: u16, value: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&(value.len() as u16).to_be_bytes());
    out.extend_from_slice(value);
    // Attributes are padded to a multiple of four bytes.
    out.resize(out.len() + (4 - value.len() % 4) % 4, 0);
}
