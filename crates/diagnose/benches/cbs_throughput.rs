//! Throughput and peak memory of the CBS parser and detector on generated
//! CBS logs, as `w2k8 diagnose` runs them (the parse thread and the reading
//! thread of `reader::threaded`), streamed from memory (a pattern of at most 4 MB served again and
//! again, so the generator holds no more than that). Prints the figures; it
//! never asserts a timing.
//!
//! Cases (each `W2K8_BENCH_MB` MB, default 300):
//! - `ordinary`: the lines of a real CBS.log (applicability reads, sessions,
//!   harmless noise) with one failing attempt per 10,000 lines;
//! - `unmatched`: nothing but `Exec: Processing complete` lines with no
//!   matching start (the adversarial case that was quadratic);
//! - `huge_line`: one entry whose message is the whole file;
//! - `no_newlines`: ordinary lines with their line ends removed.
//!
//! `W2K8_BENCH_CASES=ordinary,unmatched` runs some of them;
//! `W2K8_BENCH_PARSE_ONLY=1` times the CBS parser alone. Peak RSS is
//! `VmHWM` from `/proc/self/status`, reset before each case through
//! `/proc/self/clear_refs` where the kernel allows it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::io::{BufReader, Read};
use std::time::Instant;
use w2k8_catalog::Catalog;
use w2k8_diagnose::{Diagnoser, LogFormat};

/// The allocator the `w2k8` binary uses, so the figures are the product's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const ORDINARY: [&str; 6] = [
    "2019-07-10 03:00:14, Info                  CBS    Read out cached package applicability for package: Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.0, ApplicableState: 112, CurrentState:112\r\n",
    "2019-07-10 03:00:14, Info                  CBS    Session: 30764512_1045217885 initialized by client WindowsUpdateAgent.\r\n",
    "2019-07-10 03:00:14, Info                  CBS    Failed to get next element [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]\r\n",
    "2019-07-10 03:00:14, Info                  CBS    Warning: Unrecognized packageExtended attribute.\r\n",
    "2019-07-10 03:00:14, Info                  CSI    00000005 Creating NT transaction (seq 1), objectname [6]\"(null)\"\r\n",
    "2019-07-10 03:00:14, Info                  CBS    SQM: Failed to start standard sample upload. [HRESULT = 0x80004005 - E_FAIL]\r\n",
];
const FAILING: [&str; 3] = [
    "2019-07-10 03:00:20, Info                  CBS    Exec: Processing started.  Session: 30764512_1045217885, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0\r\n",
    "2019-07-10 03:00:21, Error                 CBS    Failed to perform operation.  [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n",
    "2019-07-10 03:00:21, Info                  CBS    Exec: Processing complete.  Session: 30764512_1045217885, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0 [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n",
];
const UNMATCHED: &str = "2019-07-10 03:00:21, Info                  CBS    Exec: Processing complete.  Session: 30764512_1045217885, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0 [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n";
const HEADER: &str = "2019-07-10 03:00:14, Info                  CBS    ";

/// Serves `head`, then `block` again and again, up to `total` bytes.
struct Cyclic {
    head: Vec<u8>,
    block: Vec<u8>,
    total: u64,
    served: u64,
}

impl Read for Cyclic {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let left = self.total.saturating_sub(self.served);
        if left == 0 || out.is_empty() {
            return Ok(0);
        }
        let src: &[u8] = if (self.served as usize) < self.head.len() {
            &self.head[self.served as usize..]
        } else {
            let off = ((self.served - self.head.len() as u64) % self.block.len() as u64) as usize;
            &self.block[off..]
        };
        let n = src.len().min(out.len()).min(usize::try_from(left).unwrap_or(usize::MAX));
        out[..n].copy_from_slice(&src[..n]);
        self.served += n as u64;
        Ok(n)
    }
}

fn block_of(lines: impl Iterator<Item = String>) -> Vec<u8> {
    let mut b = Vec::with_capacity(4 << 20);
    for l in lines {
        if b.len() + l.len() > 4 << 20 {
            break;
        }
        b.extend_from_slice(l.as_bytes());
    }
    b
}

fn ordinary_block() -> Vec<u8> {
    // One failing attempt per 10,000 lines, as in a busy real log.
    block_of((0..10_000usize).map(|i| {
        let k = i % 10_000;
        if k >= 9_997 { FAILING[k - 9_997] } else { ORDINARY[i % ORDINARY.len()] }.to_string()
    }))
}

fn case(name: &str, total: u64) -> Cyclic {
    let (head, block) = match name {
        "unmatched" => (Vec::new(), block_of(std::iter::repeat(UNMATCHED.to_string()))),
        "huge_line" => (HEADER.as_bytes().to_vec(), vec![b'x'; 1 << 20]),
        "no_newlines" => {
            let b: Vec<u8> =
                ordinary_block().into_iter().map(|c| if c == b'\n' || c == b'\r' { b' ' } else { c }).collect();
            (Vec::new(), b)
        }
        _ => (Vec::new(), ordinary_block()),
    };
    // Whole lines only where the case has lines: end on a block boundary.
    let total = match name {
        "ordinary" | "unmatched" => (total / block.len() as u64).max(1) * block.len() as u64,
        _ => total,
    };
    Cyclic { head, block, total, served: 0 }
}

fn vm_hwm_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn vm_rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Resets the peak RSS to the current RSS (Linux `clear_refs` value 5).
fn reset_hwm() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

fn main() {
    let mb: u64 = std::env::var("W2K8_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(300);
    let cases = std::env::var("W2K8_BENCH_CASES").unwrap_or_else(|_| "ordinary,unmatched,huge_line,no_newlines".into());
    let catalog = Catalog::embedded();
    for name in cases.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        let reset = reset_hwm();
        let rss_before = vm_rss_kb().unwrap_or(0);
        let t = Instant::now();
        if std::env::var("W2K8_BENCH_PARSE_ONLY").is_ok() {
            let input = case(name, mb << 20);
            let total = input.total as f64 / (1 << 20) as f64;
            let mut n = 0u64;
            let r = w2k8_diagnose::cbs::parse(BufReader::with_capacity(256 * 1024, input), "CBS.log", &mut |_| n += 1);
            let secs = t.elapsed().as_secs_f64();
            println!(
                "cbs parse only {name}: {total:.0} MB in {secs:.2} s = {:.0} MB/s ({n} events, ok: {})",
                total / secs,
                r.is_ok()
            );
            continue;
        }
        let mut d = Diagnoser::new();
        let input = case(name, mb << 20);
        let total = input.total;
        let res = d.add("CBS.log", LogFormat::Cbs, BufReader::with_capacity(256 * 1024, input));
        let dx = d.finish(catalog);
        let secs = t.elapsed().as_secs_f64();
        let peak = vm_hwm_kb().unwrap_or(0);
        let mbytes = total as f64 / (1 << 20) as f64;
        match res {
            Ok(()) => {
                let log = dx.logs.first();
                println!(
                    "cbs_throughput {name}: {mbytes:.0} MB in {secs:.2} s = {:.0} MB/s ({} lines, {} cut, {} attempts, {} noise lines)",
                    mbytes / secs,
                    log.map_or(0, |l| l.stats.lines),
                    log.map_or(0, |l| l.stats.cut_lines),
                    dx.timeline.len() as u64 + dx.timeline_omitted,
                    log.map_or(0, |l| l.stats.noise),
                );
            }
            Err(e) => println!(
                "cbs_throughput {name}: {mbytes:.0} MB in {secs:.2} s = {:.0} MB/s (refused: {e})",
                mbytes / secs
            ),
        }
        println!(
            "  peak RSS (VmHWM) {peak} kB, RSS before {rss_before} kB{}",
            if reset { "" } else { " (peak not reset: includes earlier cases)" }
        );
    }
}
