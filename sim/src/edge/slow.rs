//! The two "slow network" faults that are not a plain stall: a connection that answers one byte a
//! second ([`TrickleIo`]), and a TCP port whose accept queue is full so new connections are never
//! completed ([`Blackhole`]) — what a firewall that drops packets looks like from the client.

use std::future::Future;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::pin::Pin;
use std::task::{ready, Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Sleep;

/// How often a trickling connection lets one byte out.
pub const TRICKLE_INTERVAL: Duration = Duration::from_secs(1);

/// A stream that reads normally but writes one byte per [`TRICKLE_INTERVAL`].
pub struct TrickleIo<S> {
    inner: S,
    pause: Pin<Box<Sleep>>,
}

impl<S> TrickleIo<S> {
    /// Wrap `inner`; its first byte goes out after one interval.
    pub fn new(inner: S) -> Self {
        TrickleIo {
            inner,
            pause: Box::pin(tokio::time::sleep(TRICKLE_INTERVAL)),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for TrickleIo<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for TrickleIo<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        if buf.is_empty() {
            return Poll::Ready(Ok(0));
        }
        ready!(self.pause.as_mut().poll(cx));
        let written = ready!(Pin::new(&mut self.inner).poll_write(cx, &buf[..1]))?;
        let next = tokio::time::Instant::now() + TRICKLE_INTERVAL;
        self.pause.as_mut().reset(next);
        Poll::Ready(Ok(written))
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// A loopback TCP port that never completes a connection: a listener that is never accepted from,
/// with its accept queue filled by our own connections, so the kernel drops every further SYN and
/// the client's `connect` waits as it would behind a dropping firewall. Dropping it closes all.
pub struct Blackhole {
    addr: SocketAddr,
    _listener: socket2::Socket,
    _fillers: Vec<TcpStream>,
}

impl std::fmt::Debug for Blackhole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Blackhole")
            .field("addr", &self.addr)
            .finish()
    }
}

impl Blackhole {
    /// Bind a loopback port and fill its accept queue.
    pub fn open() -> io::Result<Blackhole> {
        use socket2::{Domain, Socket, Type};
        let listener = Socket::new(Domain::IPV4, Type::STREAM, None)?;
        listener.bind(&SocketAddr::from(([127, 0, 0, 1], 0)).into())?;
        // Backlog 0: Linux queues one completed connection, then drops new SYNs.
        listener.listen(0)?;
        let addr = listener
            .local_addr()?
            .as_socket()
            .ok_or_else(|| io::Error::other("the blackhole listener has no IP address"))?;
        let mut fillers = Vec::new();
        // Connect until one attempt does not complete: the queue is then full. A handful is enough
        // on Linux; the bound keeps a kernel that never drops from looping forever.
        for _ in 0..8 {
            match TcpStream::connect_timeout(&addr, Duration::from_millis(200)) {
                Ok(stream) => fillers.push(stream),
                Err(_) => {
                    return Ok(Blackhole {
                        addr,
                        _listener: listener,
                        _fillers: fillers,
                    })
                }
            }
        }
        Err(io::Error::other(
            "could not fill the accept queue of a loopback listener (this kernel never drops SYNs)",
        ))
    }

    /// The port that never answers.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}
