//! Throughput of the CBS parser and detector on a generated 500 MB CBS.log
//! (written to a temporary file at bench time, removed afterwards), on one
//! core, with peak RSS (`VmHWM` from /proc/self/status). Prints the figures.
//!
//! `W2K8_BENCH_MB` sets the size (default 500).
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::time::Instant;
use w2k8_diagnose::{Diagnoser, LogFormat};

fn vm_hwm_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> std::io::Result<()> {
    let mb: u64 = std::env::var("W2K8_BENCH_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(500);
    let path = std::env::temp_dir().join(format!("w2k8-bench-cbs-{}.log", std::process::id()));
    let lines = [
        "2019-07-10 03:00:14, Info                  CBS    Read out cached package applicability for package: Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.0, ApplicableState: 112, CurrentState:112\r\n",
        "2019-07-10 03:00:14, Info                  CBS    Session: 30764512_1045217885 initialized by client WindowsUpdateAgent.\r\n",
        "2019-07-10 03:00:14, Info                  CBS    Failed to get next element [HRESULT = 0x800f080d - CBS_E_MANIFEST_INVALID_ITEM]\r\n",
        "2019-07-10 03:00:14, Info                  CBS    Warning: Unrecognized packageExtended attribute.\r\n",
        "2019-07-10 03:00:14, Info                  CSI    00000005 Creating NT transaction (seq 1), objectname [6]\"(null)\"\r\n",
        "2019-07-10 03:00:14, Info                  CBS    SQM: Failed to start standard sample upload. [HRESULT = 0x80004005 - E_FAIL]\r\n",
        "2019-07-10 03:00:20, Info                  CBS    Exec: Processing started.  Session: 30764512_1045217885, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0\r\n",
        "2019-07-10 03:00:21, Error                 CBS    Failed to perform operation.  [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n",
        "2019-07-10 03:00:21, Info                  CBS    Exec: Processing complete.  Session: 30764512_1045217885, Package: Package_for_KB4507452~31bf3856ad364e35~amd64~~6.0.1.0 [HRESULT = 0x80092004 - CRYPT_E_NOT_FOUND]\r\n",
    ];
    let target = mb << 20;
    {
        let mut w = BufWriter::with_capacity(1 << 20, File::create(&path)?);
        let mut written = 0u64;
        let mut i = 0usize;
        while written < target {
            // Mostly ordinary lines; one failing attempt per 10,000 lines.
            let l = if i % 10_000 >= 9_997 { lines[6 + i % 10_000 - 9_997] } else { lines[i % 6] };
            w.write_all(l.as_bytes())?;
            written += l.len() as u64;
            i += 1;
        }
        w.flush()?;
    }
    let size = std::fs::metadata(&path)?.len();
    let before = vm_hwm_kb();
    let t = Instant::now();
    let mut d = Diagnoser::new();
    let res = d.add("CBS.log", LogFormat::Cbs, BufReader::with_capacity(256 * 1024, File::open(&path)?));
    let dx = d.finish();
    let secs = t.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&path);
    if let Err(e) = res {
        eprintln!("parse error: {e}");
        std::process::exit(1);
    }
    let mbs = size as f64 / (1 << 20) as f64 / secs;
    println!(
        "cbs_throughput: {:.1} MB in {:.2} s = {:.0} MB/s ({} lines, {} attempts, {} noise lines)",
        size as f64 / (1 << 20) as f64,
        secs,
        mbs,
        dx.logs[0].stats.lines,
        dx.timeline.len() as u64 + dx.timeline_omitted,
        dx.logs[0].stats.noise
    );
    println!("peak RSS (VmHWM): before parse {} kB, after {} kB", before.unwrap_or(0), vm_hwm_kb().unwrap_or(0));
    Ok(())
}
