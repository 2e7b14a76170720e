//! Streaming line reader for logs of any size and the encodings Windows
//! writes them in: UTF-8 (with or without BOM, or ANSI, read lossily) and
//! UTF-16LE (with BOM, or without when the first characters are ASCII).
//!
//! Lines end with LF or CRLF; a line longer than [`MAX_LINE`] bytes keeps its
//! first [`MAX_LINE`] bytes and is flagged `cut`, the rest is skipped without
//! being held in memory. Memory use is bounded by the buffer sizes whatever the
//! file size.
use std::borrow::Cow;
use std::io::{self, BufRead, BufReader, Read};

/// The longest line prefix kept in memory, in bytes (UTF-8).
pub const MAX_LINE: usize = 64 * 1024;

/// The encoding a log was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// UTF-8 (or ASCII/ANSI, read lossily).
    Utf8,
    /// UTF-8 with a byte order mark.
    Utf8Bom,
    /// UTF-16 little-endian (with or without BOM).
    Utf16Le,
}

/// One line: its 1-based number, its text (without the line end), and
/// whether it was longer than [`MAX_LINE`].
#[derive(Debug)]
pub struct Line<'a> {
    /// 1-based line number.
    pub no: u64,
    /// The text (lossy UTF-8).
    pub text: Cow<'a, str>,
    /// True when the line was longer than [`MAX_LINE`] and was cut.
    pub cut: bool,
    /// True when the raw line held a NUL character (binary data).
    pub binary: bool,
}

/// Reads lines from a byte stream, see the module documentation.
pub struct Lines<'r> {
    inner: Box<dyn BufRead + 'r>,
    buf: Vec<u8>,
    no: u64,
    bytes: u64,
    encoding: Encoding,
    done: bool,
    /// Bytes of the line last returned straight from the reader's buffer,
    /// consumed at the next call.
    lent: usize,
}

impl<'r> Lines<'r> {
    /// Detects the encoding from the first bytes and prepares to read.
    ///
    /// # Errors
    /// Any I/O error of the underlying reader.
    pub fn new<R: BufRead + 'r>(mut r: R) -> io::Result<Lines<'r>> {
        let head = r.fill_buf()?;
        let (encoding, skip) = match head {
            [0xFF, 0xFE, ..] => (Encoding::Utf16Le, 2),
            [0xEF, 0xBB, 0xBF, ..] => (Encoding::Utf8Bom, 3),
            [a, 0, b, 0, ..] if *a != 0 && *b != 0 => (Encoding::Utf16Le, 0),
            _ => (Encoding::Utf8, 0),
        };
        r.consume(skip);
        let inner: Box<dyn BufRead + 'r> = if encoding == Encoding::Utf16Le {
            Box::new(BufReader::with_capacity(256 * 1024, Utf16Le::new(r)))
        } else {
            Box::new(r)
        };
        Ok(Lines { inner, buf: Vec::with_capacity(1024), no: 0, bytes: 0, encoding, done: false, lent: 0 })
    }

    /// The detected encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Bytes read so far (after decoding to UTF-8 for UTF-16 input).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The next line, or `None` at the end.
    ///
    /// # Errors
    /// Any I/O error of the underlying reader.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        if self.lent > 0 {
            self.inner.consume(self.lent);
            self.lent = 0;
        }
        if self.done {
            return Ok(None);
        }
        // Fast path: the whole line is in the reader's buffer; lend it.
        let end = loop {
            match self.inner.fill_buf() {
                Ok(a) => break memchr::memchr(b'\n', a).filter(|i| *i <= MAX_LINE),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        if let Some(i) = end {
            self.lent = i + 1;
            self.bytes += (i + 1) as u64;
            self.no += 1;
            let avail = self.inner.fill_buf()?;
            let raw = avail.get(..i).unwrap_or_default();
            let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
            return Ok(Some(Line::of(self.no, raw, false)));
        }
        self.buf.clear();
        let mut cut = false;
        let mut any = false;
        loop {
            let avail = match self.inner.fill_buf() {
                Ok(a) => a,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if avail.is_empty() {
                self.done = true;
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, used, end) = match memchr::memchr(b'\n', avail) {
                Some(i) => (i, i + 1, true),
                None => (avail.len(), avail.len(), false),
            };
            let room = MAX_LINE.saturating_sub(self.buf.len());
            if take > room {
                cut = true;
            }
            if let Some(part) = avail.get(..take.min(room)) {
                self.buf.extend_from_slice(part);
            }
            self.inner.consume(used);
            self.bytes += used as u64;
            if end {
                break;
            }
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        self.no += 1;
        Ok(Some(Line::of(self.no, &self.buf, cut)))
    }
}

impl<'a> Line<'a> {
    fn of(no: u64, raw: &'a [u8], cut: bool) -> Line<'a> {
        let binary = memchr::memchr(0, raw).is_some();
        let text = match std::str::from_utf8(raw) {
            Ok(s) => Cow::Borrowed(s),
            Err(e) if cut && e.error_len().is_none() => {
                // A multi-byte character split by the cut: drop its start.
                let valid = e.valid_up_to();
                Cow::Owned(String::from_utf8_lossy(raw.get(..valid).unwrap_or_default()).into_owned())
            }
            Err(_) => Cow::Owned(String::from_utf8_lossy(raw).into_owned()),
        };
        Line { no, text, cut, binary }
    }
}

/// Decodes UTF-16LE bytes to UTF-8 as a [`Read`]; unpaired surrogates and a
/// trailing odd byte become U+FFFD.
struct Utf16Le<R> {
    inner: R,
    carry: Vec<u8>,
    out: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Utf16Le<R> {
    fn new(inner: R) -> Utf16Le<R> {
        Utf16Le { inner, carry: Vec::new(), out: Vec::new(), pos: 0, eof: false }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        while self.out.is_empty() {
            if self.eof {
                if !self.carry.is_empty() {
                    self.carry.clear();
                    self.out.extend_from_slice("\u{FFFD}".as_bytes());
                }
                return Ok(());
            }
            let mut chunk = [0u8; 64 * 1024];
            let n = match self.inner.read(&mut chunk) {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if n == 0 {
                self.eof = true;
            }
            self.carry.extend_from_slice(chunk.get(..n).unwrap_or_default());
            let mut units: Vec<u16> = self
                .carry
                .chunks_exact(2)
                .filter_map(|p| <[u8; 2]>::try_from(p).ok())
                .map(u16::from_le_bytes)
                .collect();
            let mut keep = self.carry.len() % 2;
            if !self.eof && units.last().is_some_and(|u| (0xD800..0xDC00).contains(u)) {
                units.pop();
                keep += 2;
            }
            let mut tmp = [0u8; 4];
            for c in char::decode_utf16(units.iter().copied()) {
                let c = c.unwrap_or('\u{FFFD}');
                self.out.extend_from_slice(c.encode_utf8(&mut tmp).as_bytes());
            }
            let from = self.carry.len() - keep;
            self.carry.drain(..from);
            if self.eof && !self.carry.is_empty() {
                self.carry.clear();
                self.out.extend_from_slice("\u{FFFD}".as_bytes());
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Utf16Le<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.out.len() {
            self.refill()?;
        }
        let avail = self.out.get(self.pos..).unwrap_or_default();
        let n = avail.len().min(buf.len());
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), avail.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: &[u8]) -> (Encoding, Vec<(String, bool)>) {
        let mut l = Lines::new(bytes).unwrap();
        let mut v = Vec::new();
        while let Some(line) = l.next_line().unwrap() {
            v.push((line.text.into_owned(), line.cut));
        }
        (l.encoding(), v)
    }

    #[test]
    fn utf8_crlf_and_lf() {
        let (e, v) = all(b"a\r\nb\nc");
        assert_eq!(e, Encoding::Utf8);
        assert_eq!(v, vec![("a".into(), false), ("b".into(), false), ("c".into(), false)]);
    }

    #[test]
    fn utf16_with_bom() {
        let mut b = vec![0xFF, 0xFE];
        for u in "h\u{e9}\r\n\u{1F600}x\r\n".encode_utf16() {
            b.extend_from_slice(&u.to_le_bytes());
        }
        let (e, v) = all(&b);
        assert_eq!(e, Encoding::Utf16Le);
        assert_eq!(v, vec![("h\u{e9}".into(), false), ("\u{1F600}x".into(), false)]);
    }

    #[test]
    fn long_line_is_cut() {
        let mut b = vec![b'x'; MAX_LINE + 10];
        b.extend_from_slice(b"\nok\n");
        let (_, v) = all(&b);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].0.len(), MAX_LINE);
        assert!(v[0].1);
        assert_eq!(v[1], ("ok".into(), false));
    }

    #[test]
    fn empty_input() {
        assert!(all(b"").1.is_empty());
    }
}
