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
        if let Some(i) = self.buffered_line_end()? {
            return self.lend(i);
        }
        self.read_long_line()
    }

    /// Where the line in the reader's buffer ends (its `\n`), when the buffer
    /// holds all of it and it is at most [`MAX_LINE`] bytes long.
    fn buffered_line_end(&mut self) -> io::Result<Option<usize>> {
        loop {
            match self.inner.fill_buf() {
                Ok(a) => return Ok(memchr::memchr(b'\n', a).filter(|i| *i <= MAX_LINE)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The line ending at `i` in the reader's buffer, lent without copying
    /// (consumed at the next call).
    fn lend(&mut self, i: usize) -> io::Result<Option<Line<'_>>> {
        self.lent = i + 1;
        self.bytes += (i + 1) as u64;
        self.no += 1;
        let avail = self.inner.fill_buf()?;
        let raw = avail.get(..i).unwrap_or_default();
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        Ok(Some(Line::of(self.no, raw, false)))
    }

    /// A line that spans buffer refills or is longer than [`MAX_LINE`]:
    /// copied into `buf` up to [`MAX_LINE`] bytes, the rest skipped.
    fn read_long_line(&mut self) -> io::Result<Option<Line<'_>>> {
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

/// Text bytes a batch holds before it is handed over.
const BATCH_BYTES: usize = 256 * 1024;
/// Lines a batch holds at most (a run of blank lines is many short lines).
const BATCH_LINES: usize = 8 * 1024;
/// Batches in flight between the threads.
const BATCHES_QUEUED: usize = 2;

/// Where one line of a [`Batch`] lies, and what the reading thread worked
/// out of it.
#[derive(Debug, Clone, Copy)]
struct Meta<A> {
    no: u64,
    start: usize,
    end: usize,
    cut: bool,
    binary: bool,
    ann: A,
}

/// Lines read ahead: their texts one after the other, and where each lies.
#[derive(Debug)]
struct Batch<A> {
    text: String,
    lines: Vec<Meta<A>>,
}

impl<A> Default for Batch<A> {
    fn default() -> Self {
        Batch { text: String::new(), lines: Vec::new() }
    }
}

impl<A> Batch<A> {
    fn push(&mut self, l: &Line<'_>, ann: A) {
        let start = self.text.len();
        self.text.push_str(&l.text);
        self.lines.push(Meta { no: l.no, start, end: self.text.len(), cut: l.cut, binary: l.binary, ann });
    }

    fn full(&self) -> bool {
        self.text.len() >= BATCH_BYTES || self.lines.len() >= BATCH_LINES
    }
}

/// What the reading thread sends.
enum Msg<A> {
    Start(Encoding),
    Lines(Batch<A>),
    End(u64),
    Failed(io::Error),
}

/// The lines of a stream read on a second thread (see [`threaded`]): the
/// same lines as [`Lines`], in order, with the same numbers, each with what
/// the reading thread worked out of it (`A`, see [`threaded_with`]).
pub struct Batched<A = ()> {
    rx: std::sync::mpsc::Receiver<Msg<A>>,
    back: std::sync::mpsc::Sender<Batch<A>>,
    cur: Batch<A>,
    at: usize,
    encoding: Encoding,
    bytes: u64,
    done: bool,
}

impl<A: Copy> Batched<A> {
    /// The detected encoding.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Bytes read, once the last line was returned (after decoding to UTF-8
    /// for UTF-16 input).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The next line, or `None` at the end.
    ///
    /// # Errors
    /// Any I/O error of the underlying reader, when the lines before it
    /// have been returned.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        Ok(self.next_with()?.map(|(l, _)| l))
    }

    /// The next line with what the reading thread worked out of it.
    ///
    /// # Errors
    /// As [`Batched::next_line`].
    pub fn next_with(&mut self) -> io::Result<Option<(Line<'_>, A)>> {
        while self.at >= self.cur.lines.len() {
            if self.done {
                return Ok(None);
            }
            match self.rx.recv() {
                Ok(Msg::Lines(b)) => {
                    let used = std::mem::replace(&mut self.cur, b);
                    // The reading thread may have ended: the batch is then not needed.
                    let _ = self.back.send(used);
                    self.at = 0;
                }
                Ok(Msg::End(bytes)) => {
                    self.bytes = bytes;
                    self.done = true;
                }
                Ok(Msg::Failed(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Ok(Msg::Start(_)) | Err(_) => {
                    self.done = true;
                    return Err(io::Error::other("the log reading thread stopped"));
                }
            }
        }
        let Some(m) = self.cur.lines.get(self.at).copied() else { return Ok(None) };
        self.at += 1;
        let text = self.cur.text.get(m.start..m.end).unwrap_or_default();
        Ok(Some((Line { no: m.no, text: Cow::Borrowed(text), cut: m.cut, binary: m.binary }, m.ann)))
    }
}

/// Reads `r` into batches of lines on the reading thread.
fn produce<R: BufRead, A>(
    r: R,
    prepare: fn(&str) -> A,
    tx: &std::sync::mpsc::SyncSender<Msg<A>>,
    back: &std::sync::mpsc::Receiver<Batch<A>>,
) {
    let mut lines = match Lines::new(r) {
        Ok(l) => l,
        Err(e) => {
            let _ = tx.send(Msg::Failed(e));
            return;
        }
    };
    if tx.send(Msg::Start(lines.encoding())).is_err() {
        return;
    }
    loop {
        let mut b = back.try_recv().unwrap_or_default();
        b.text.clear();
        b.lines.clear();
        let end = loop {
            match lines.next_line() {
                Ok(Some(l)) => {
                    let ann = prepare(&l.text);
                    b.push(&l, ann);
                    if b.full() {
                        break None;
                    }
                }
                Ok(None) => break Some(Msg::End(lines.bytes())),
                Err(e) => break Some(Msg::Failed(e)),
            }
        };
        // A send fails when the reader stopped early (a format error): stop too.
        if !b.lines.is_empty() && tx.send(Msg::Lines(b)).is_err() {
            return;
        }
        if let Some(m) = end {
            let _ = tx.send(m);
            return;
        }
    }
}

/// Runs `body` over the lines of `r` while a second thread reads, splits
/// and decodes them ahead: on a CBS.log of unmatched attempt ends (20 MB
/// under callgrind) this alone took 18% of the instructions per line off
/// the thread that classifies them ([`threaded_with`] moves more). Memory
/// stays bounded (a few batches of at most 256 KiB of text plus one line).
/// `body` gets the I/O error when the stream cannot be read at all. When
/// `body` returns early, the reading thread stops.
pub fn threaded<R: BufRead + Send, T>(r: R, body: impl FnOnce(io::Result<&mut Batched>) -> T) -> T {
    threaded_with(r, |_| (), body)
}

/// [`threaded`], with `prepare` run on every line by the reading thread:
/// work that needs the line alone (where its parts lie, what it names),
/// handed to `body` beside the line.
pub fn threaded_with<R: BufRead + Send, A: Copy + Send, T>(
    r: R,
    prepare: fn(&str) -> A,
    body: impl FnOnce(io::Result<&mut Batched<A>>) -> T,
) -> T {
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel(BATCHES_QUEUED);
        let (back_tx, back_rx) = std::sync::mpsc::channel();
        s.spawn(move || produce(r, prepare, &tx, &back_rx));
        let encoding = match rx.recv() {
            Ok(Msg::Start(e)) => e,
            Ok(Msg::Failed(e)) => return body(Err(e)),
            _ => return body(Err(io::Error::other("the log reading thread stopped"))),
        };
        let mut b = Batched { rx, back: back_tx, cur: Batch::default(), at: 0, encoding, bytes: 0, done: false };
        body(Ok(&mut b))
        // `b` (the receiver) is dropped here, before the scope waits for
        // the reading thread, so a thread blocked on a full queue wakes up.
    })
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

    /// A line as the tests compare it: number, text, cut, binary.
    type Seen = (u64, String, bool, bool);

    fn all_threaded(bytes: &[u8]) -> (Encoding, Vec<Seen>, u64) {
        threaded(bytes, |l| {
            let l = l.unwrap();
            let mut v = Vec::new();
            while let Some(line) = l.next_line().unwrap() {
                v.push((line.no, line.text.into_owned(), line.cut, line.binary));
            }
            (l.encoding(), v, l.bytes())
        })
    }

    #[test]
    fn threaded_gives_the_same_lines() {
        // Enough lines for several batches, a cut line, a NUL, UTF-16.
        let mut b = Vec::new();
        for i in 0..40_000 {
            b.extend_from_slice(format!("line {i} \u{e9}\r\n").as_bytes());
        }
        b.extend_from_slice(&vec![b'x'; MAX_LINE + 5]);
        b.extend_from_slice(b"\na\0b\n\n\nlast");
        let mut l = Lines::new(b.as_slice()).unwrap();
        let mut want = Vec::new();
        while let Some(line) = l.next_line().unwrap() {
            want.push((line.no, line.text.into_owned(), line.cut, line.binary));
        }
        let (e, got, bytes) = all_threaded(&b);
        assert_eq!(e, Encoding::Utf8);
        assert_eq!(got.len(), 40_005);
        assert_eq!(got, want);
        assert_eq!(bytes, b.len() as u64);
        let mut u = vec![0xFF, 0xFE];
        for c in "h\u{e9}\r\nx".encode_utf16() {
            u.extend_from_slice(&c.to_le_bytes());
        }
        let (e, got, _) = all_threaded(&u);
        assert_eq!(e, Encoding::Utf16Le);
        assert_eq!(got, vec![(1, "h\u{e9}".into(), false, false), (2, "x".into(), false, false)]);
    }

    #[test]
    fn threaded_stops_when_the_body_does() {
        // The body stops after one line of a long stream: the call returns
        // (the reading thread is not left blocked on a full queue).
        let big = "x\n".repeat(2_000_000);
        let first = threaded(big.as_bytes(), |l| l.unwrap().next_line().unwrap().map(|l| l.text.into_owned()));
        assert_eq!(first.as_deref(), Some("x"));
        assert!(all_threaded(b"").1.is_empty());
    }

    /// A reader that fails after its first bytes.
    struct Failing(bool);
    impl Read for Failing {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if std::mem::replace(&mut self.0, true) {
                return Err(io::Error::other("disk gone"));
            }
            let s = b"one\ntwo\n";
            out[..s.len()].copy_from_slice(s);
            Ok(s.len())
        }
    }

    #[test]
    fn threaded_reports_a_read_error_after_the_lines_before_it() {
        let r = threaded(BufReader::new(Failing(false)), |l| {
            let l = l.unwrap();
            let mut seen = Vec::new();
            let err = loop {
                match l.next_line() {
                    Ok(Some(line)) => seen.push(line.text.into_owned()),
                    Ok(None) => break None,
                    Err(e) => break Some(e.to_string()),
                }
            };
            (seen, err)
        });
        assert_eq!(r, (vec!["one".to_string(), "two".to_string()], Some("disk gone".to_string())));
    }

    proptest::proptest! {
        /// Any bytes: the threaded reader gives the lines, numbers, flags,
        /// encoding and byte count of the one-thread reader.
        #[test]
        fn threaded_equals_sequential(bytes in proptest::collection::vec(
            proptest::prop_oneof![proptest::num::u8::ANY, proptest::strategy::Just(b'\n'), proptest::strategy::Just(0u8)],
            0..4096,
        )) {
            let mut l = Lines::new(bytes.as_slice()).unwrap();
            let mut want = Vec::new();
            while let Some(line) = l.next_line().unwrap() {
                want.push((line.no, line.text.into_owned(), line.cut, line.binary));
            }
            let (e, got, n) = all_threaded(&bytes);
            proptest::prop_assert_eq!(e, l.encoding());
            proptest::prop_assert_eq!(got, want);
            proptest::prop_assert_eq!(n, l.bytes());
        }
    }

    #[test]
    fn empty_input() {
        assert!(all(b"").1.is_empty());
    }
}
