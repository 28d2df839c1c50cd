//! Agora's little-endian packing: `u16`/`u32`/`i16`, `u16`-length strings and privilege maps.

/// Why reading packed bytes stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// The field needs more bytes than are left.
    Short,
    /// A text field named here is not UTF-8.
    Utf8(&'static str),
}

/// A cursor over packed bytes.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        &self.buf[self.pos..]
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], ReadError> {
        if self.remaining() < n {
            return Err(ReadError::Short);
        }
        let out = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(out)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, ReadError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    pub(crate) fn i16(&mut self) -> Result<i16, ReadError> {
        let b = self.bytes(2)?;
        Ok(i16::from_le_bytes([b[0], b[1]]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, ReadError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    pub(crate) fn byte_string(&mut self) -> Result<&'a [u8], ReadError> {
        let n = self.u16()? as usize;
        self.bytes(n)
    }

    pub(crate) fn string(&mut self, field: &'static str) -> Result<String, ReadError> {
        let b = self.byte_string()?;
        String::from_utf8(b.to_vec()).map_err(|_| ReadError::Utf8(field))
    }

    /// `u16 n` then `n × (u16 id, u32 value)`, in wire order.
    pub(crate) fn privilege_map(&mut self) -> Result<Vec<(u16, u32)>, ReadError> {
        let n = self.u16()? as usize;
        let mut out = Vec::with_capacity(n.min(64));
        for _ in 0..n {
            let id = self.u16()?;
            let value = self.u32()?;
            out.push((id, value));
        }
        Ok(out)
    }
}

/// Builds packed bytes.
#[derive(Default)]
pub(crate) struct Writer {
    pub(crate) buf: Vec<u8>,
}

/// A field longer than a `u16` length prefix can carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TooLong;

impl Writer {
    pub(crate) fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    pub(crate) fn raw(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    pub(crate) fn bytes(&mut self, b: &[u8]) -> Result<(), TooLong> {
        let n = u16::try_from(b.len()).map_err(|_| TooLong)?;
        self.u16(n);
        self.raw(b);
        Ok(())
    }

    pub(crate) fn len_u16(&mut self, n: usize) -> Result<(), TooLong> {
        self.u16(u16::try_from(n).map_err(|_| TooLong)?);
        Ok(())
    }

    /// Privileges sorted by id, as every official builder writes them.
    pub(crate) fn privilege_map(&mut self, privileges: &[(u16, u32)]) -> Result<(), TooLong> {
        let mut sorted = privileges.to_vec();
        sorted.sort_by_key(|&(id, _)| id);
        self.len_u16(sorted.len())?;
        for (id, value) in sorted {
            self.u16(id);
            self.u32(value);
        }
        Ok(())
    }
}
