//! Bad input: binary data, truncated lines, huge streamed files. No panic,
//! `file:line` errors, bounded memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::io::{BufReader, Read};
use w2k8_diagnose::{cbs, diagnose_bytes, sniff, Diagnoser, LogFormat};

#[test]
fn binary_file_is_refused_with_line() {
    let mut b =
        b"2019-07-10 03:00:12, Info                  CBS    Starting TrustedInstaller initialization.\r\n".to_vec();
    b.extend_from_slice(&[0x50, 0x4B, 0x03, 0x04, 0, 0, 0xFF, 0x13, b'\n']);
    let e = diagnose_bytes("CBS.log", &b).unwrap_err();
    assert_eq!(e.to_string(), "CBS.log:2: expected text, found binary data (NUL bytes)");
    let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7 % 251) as u8).collect();
    assert!(diagnose_bytes("x.log", &junk).is_err());
}

#[test]
fn truncated_line_is_a_format_error() {
    let b = b"2019-07-10 03:00:12, Info                  CBS    Starting.\r\n2019-07-10 03:0";
    let e = diagnose_bytes("CBS.log", b).unwrap_err();
    assert_eq!(e.line(), Some(2));
    assert!(e.to_string().starts_with("CBS.log:2: expected a CBS.log entry"));
    let w = b"2022-11-06\t08:22:57:447\t6032\t13a4\tMisc\tx\n2022-11-06\t08:22";
    let e = diagnose_bytes("WindowsUpdate.log", w).unwrap_err();
    assert_eq!(e.line(), Some(2));
}

#[test]
fn not_a_log() {
    let e = diagnose_bytes("notes.txt", b"hello\nworld\n").unwrap_err();
    assert_eq!(e.to_string(), "notes.txt:1: expected a CBS.log, WindowsUpdate.log or CheckSUR.log");
}

/// A reader producing `lines` generated CBS lines without holding them.
struct Gen {
    left: u64,
    buf: Vec<u8>,
    pos: usize,
}

impl Read for Gen {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        if self.pos >= self.buf.len() {
            if self.left == 0 {
                return Ok(0);
            }
            self.left -= 1;
            self.buf.clear();
            self.pos = 0;
            let l = if self.left.is_multiple_of(1000) {
                "2019-07-10 03:00:14, Info                  CBS    Failed to get next element [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]\r\n"
            } else {
                "2019-07-10 03:00:14, Info                  CBS    Read out cached package applicability for package: Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.0, ApplicableState: 112, CurrentState:112\r\n"
            };
            self.buf.extend_from_slice(l.as_bytes());
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

#[test]
fn large_streamed_log_and_huge_line() {
    let mut d = Diagnoser::new();
    let g = Gen { left: 300_000, buf: Vec::new(), pos: 0 };
    d.add("CBS.log", LogFormat::Cbs, BufReader::new(g)).unwrap();
    let dx = d.finish(w2k8_catalog::Catalog::embedded());
    assert_eq!(dx.logs[0].stats.lines, 300_000);
    assert_eq!(dx.logs[0].stats.noise, 300);
    // One 50 MB line: kept cut, never held whole.
    let head = b"2019-07-10 03:00:14, Info                  CBS    ".to_vec();
    let r = head.as_slice().chain(std::io::repeat(b'x').take(50 << 20)).chain(&b"\r\n"[..]);
    let mut n = 0;
    let stats = cbs::parse(BufReader::new(r), "CBS.log", &mut |_| n += 1).unwrap();
    assert_eq!((stats.lines, stats.cut_lines, n), (1, 1, 0));
}

#[test]
fn sniff_formats() {
    assert_eq!(sniff(&b"Checking System Update Readiness.\r\n"[..]).unwrap(), Some(LogFormat::CheckSur));
    assert_eq!(
        sniff(&b"2019/06/05 11:07:50.0950566 21136   9740  Agent  x\n"[..]).unwrap(),
        Some(LogFormat::WindowsUpdateEtw)
    );
    assert_eq!(sniff(&b""[..]).unwrap(), None);
}
