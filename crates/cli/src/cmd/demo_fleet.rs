//! `w2k8 demo-fleet N --out DIR`: writes a synthetic fleet of N host bundles
//! in the real formats and encodings, for demos, tests and benchmarks.
//!
//! Each Windows Server 2008 SP2 host is one of the generated "patched
//! through YYYY-MM" hosts of `w2k8_assess::generate` (a monthly rollup, the
//! servicing stack, SHA-2 and ESU preparation updates a host of that month
//! has), written as:
//! - `systeminfo.txt`: `systeminfo /fo list` (the layout of
//!   `examples/srv-file01`), in the OEM code page (ASCII here) or, for one
//!   host in four, UTF-16LE with a BOM (as a PowerShell redirect writes it);
//! - `os.txt`: `wmic os get ... /format:list`, UTF-16LE with a BOM, CRLF,
//!   with `OperatingSystemSKU` (7 Standard, 10 Enterprise, 13 Standard Server
//!   Core, 14 Enterprise Server Core: `GetProductInfo` values);
//! - `ntoskrnl.txt`: `wmic datafile ... get Version /format:list`, UTF-16LE,
//!   with the kernel version of the host's rollup when the catalog knows it.
//!
//! Hosts patched through a month before 2019-04 report build 6002, later
//! ones 6003 (KB4493471, April 2019, moved SP2 to 6003). Two hosts in five run
//! Windows Server 2008 R2 SP1 (build 7601, x64 only: R2 has no 32-bit
//! edition), generated the same way from the R2 rollups. One 2008 host in
//! four is x86; one bundle in three is written as a `.zip` instead of a
//! folder. About 3% run Windows Server 2012 R2 (stored as unsupported by `scan`).
//! `--broken-percent P` makes P% of the bundles deliberately unreadable
//! (spread evenly): a truncated zip, an empty folder, or a `.zip` of random
//! bytes. The same `--seed` writes the same bytes. `--scans K` writes K
//! rounds 30 days apart (the last two weeks after the last rollup in the
//! data), each in a folder named by its date; between rounds each host
//! moves on 0 (never patched) to 3 months.
use anyhow::{anyhow, Context};
use std::io::Write;
use std::path::{Path, PathBuf};
use w2k8_assess::generate::{patched_through_hosts, patched_through_hosts_for, systeminfo_text, GeneratedHost};
use w2k8_catalog::{Catalog, OsFamily};

/// Arguments of `demo-fleet`.
#[derive(clap::Args)]
pub struct Args {
    /// How many host bundles.
    n: usize,
    /// Output folder (created; must be empty or missing).
    #[arg(long)]
    out: PathBuf,
    /// Random seed: the same seed writes the same fleet.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Share of deliberately broken bundles, in percent.
    #[arg(long, default_value_t = 0.0)]
    broken_percent: f64,
    /// Write this many rounds of the fleet, 30 days apart, each in a folder
    /// named by its date (scan each with `--as-of` that date): hosts get
    /// patched between rounds, some never, which gives `history` and `diff`
    /// something to show.
    #[arg(long, default_value_t = 1)]
    scans: usize,
}

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

/// UTF-16LE with a BOM, as PowerShell and wmic redirects write.
fn utf16le(text: &str) -> Vec<u8> {
    let mut out = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out
}

const ROLES: &[&str] = &["FILE", "SQL", "APP", "WEB", "DC", "PRINT", "EXCH", "CTX"];

/// One bundle's files: (file name, bytes).
type Files = Vec<(String, Vec<u8>)>;

fn ws2008_files(name: &str, g: &GeneratedHost, catalog: &Catalog, rng: &mut Rng) -> Files {
    let r2 = g.os == OsFamily::Ws2008R2;
    let x86 = rng.below(4) == 0 && !r2;
    let (sku, edition) = match rng.below(10) {
        0..=5 => (7, "Standard"),
        6 => (10, "Enterprise"),
        7 | 8 => (13, "Standard"),
        _ => (14, "Enterprise"),
    };
    let build = match (r2, g.month.as_str() < "2019-04") {
        (true, _) => 7601,
        (false, true) => 6002,
        (false, false) => 6003,
    };
    let (nt, sp, os_word) = if r2 { ("6.1", 1, "2008 R2") } else { ("6.0", 2, "2008") };
    let product_id = format!(
        "{:05}-{:03}-{:07}-{:05}",
        rng.below(100_000),
        rng.below(1000),
        rng.below(10_000_000),
        rng.below(100_000)
    );
    let mut lines: Vec<String> = systeminfo_text(g).split("\r\n").map(str::to_string).collect();
    for l in &mut lines {
        if l.starts_with("Host Name:") {
            *l = format!("Host Name:                 {name}");
        } else if l.starts_with("OS Name:") {
            *l = if r2 {
                format!("OS Name:                   Microsoft Windows Server 2008 R2 {edition} ")
            } else {
                format!("OS Name:                   Microsoftr Windows Serverr 2008 {edition} ")
            };
        } else if l.starts_with("OS Version:") {
            *l = format!("OS Version:                {nt}.{build} Service Pack {sp} Build {build}");
        } else if l.starts_with("System Type:") && x86 {
            *l = "System Type:               X86-based PC".to_string();
        }
    }
    if let Some(i) = lines.iter().position(|l| l.starts_with("OS Build Type:")) {
        lines.insert(i + 1, "Registered Owner:          Windows User".to_string());
        lines.insert(i + 2, format!("Product ID:                {product_id}"));
    }
    let systeminfo = lines.join("\r\n") + "\r\n";
    let systeminfo = if rng.below(4) == 0 { utf16le(&systeminfo) } else { systeminfo.into_bytes() };
    let os = format!(
        "\r\n\r\nBuildNumber={build}\r\nCaption=Microsoft\u{ae} Windows Server\u{ae} {os_word} {edition} \r\n\
         CSDVersion=Service Pack {sp}\r\nCSName={name}\r\nLocale=0409\r\nOperatingSystemSKU={sku}\r\n\
         OSArchitecture={}\r\nOSLanguage=1033\r\nProductType=3\r\nServicePackMajorVersion={sp}\r\n\
         ServicePackMinorVersion=0\r\nVersion={nt}.{build}\r\n\r\n\r\n",
        if x86 { "32-bit" } else { "64-bit" }
    );
    let mut files: Files = vec![("systeminfo.txt".into(), systeminfo), ("os.txt".into(), utf16le(&os))];
    if let Some(k) = catalog.update(g.rollup).and_then(|u| u.kernel) {
        files.push(("ntoskrnl.txt".into(), utf16le(&format!("\r\n\r\nVersion={k}\r\n\r\n\r\n"))));
    }
    files
}

/// Another Windows version, as its systeminfo prints it.
fn other_files(name: &str, rng: &mut Rng) -> Files {
    rng.next();
    let (os_name, version) = ("Microsoft Windows Server 2012 R2 Standard", "6.3.9600 N/A Build 9600");
    let text = [
        "",
        &format!("Host Name:                 {name}"),
        &format!("OS Name:                   {os_name}"),
        &format!("OS Version:                {version}"),
        "OS Manufacturer:           Microsoft Corporation",
        "OS Configuration:          Member Server",
        "OS Build Type:             Multiprocessor Free",
        "System Type:               x64-based PC",
        "Hotfix(s):                 1 Hotfix(s) Installed.",
        "                           [01]: KB2919355",
        "Network Card(s):           1 NIC(s) Installed.",
        "",
    ]
    .join("\r\n");
    vec![("systeminfo.txt".into(), text.into_bytes())]
}

fn zip_bytes(files: &Files) -> anyhow::Result<Vec<u8>> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in files {
        w.start_file(name.as_str(), opts)?;
        w.write_all(bytes)?;
    }
    Ok(w.finish()?.into_inner())
}

fn write_folder(dir: &Path, files: &Files) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    for (name, bytes) in files {
        std::fs::write(dir.join(name), bytes).with_context(|| format!("{}: cannot write", dir.join(name).display()))?;
    }
    Ok(())
}

/// Writes the fleet (`rounds` > 1: one folder per round, named by its
/// date); returns (bundles written per round, broken ones, round dates).
pub fn generate(
    n: usize,
    out: &Path,
    seed: u64,
    broken_percent: f64,
    rounds: usize,
) -> anyhow::Result<(usize, usize, Vec<w2k8_core::Date>)> {
    let catalog = Catalog::embedded();
    let hosts = patched_through_hosts(catalog);
    let hosts_r2 = patched_through_hosts_for(catalog, OsFamily::Ws2008R2);
    if hosts.is_empty() || hosts_r2.is_empty() {
        return Err(anyhow!("the catalog has no rollups to generate hosts from"));
    }
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(anyhow!("{}: expected an empty or missing folder", out.display()));
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create", out.display()))?;
    let rounds = rounds.max(1);
    let last = hosts.last().map(|h| h.released).unwrap_or_else(|| w2k8_core::Date::from_days(0));
    let dates: Vec<w2k8_core::Date> =
        (0..rounds).map(|r| w2k8_core::Date::from_days(last.to_days() + 14 - 30 * (rounds - 1 - r) as i64)).collect();
    let mut broken = 0usize;
    for (r, date) in dates.iter().enumerate() {
        let dir = if rounds == 1 { out.to_path_buf() } else { out.join(date.to_string()) };
        let behind = rounds - 1 - r;
        broken = write_round(n, &dir, seed, broken_percent, [&hosts, &hosts_r2], behind, *date, catalog)?;
    }
    Ok((n, broken, if rounds == 1 { Vec::new() } else { dates }))
}

/// One round: `behind` rounds before the last, dated `date`.
#[allow(clippy::too_many_arguments)]
fn write_round(
    n: usize,
    out: &Path,
    seed: u64,
    broken_percent: f64,
    families: [&[GeneratedHost]; 2],
    behind: usize,
    date: w2k8_core::Date,
    catalog: &Catalog,
) -> anyhow::Result<usize> {
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create", out.display()))?;
    let share = (broken_percent / 100.0).clamp(0.0, 1.0);
    let mut broken = 0usize;
    for i in 0..n {
        // How many months this host moves on per round: 0 (never patched) to 3.
        let step = Rng(seed ^ 0x5EED ^ (i as u64).wrapping_mul(0x9E37_79B9)).below(4) as usize;
        let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0xA24B_AED4_963E_E407));
        rng.next();
        let role = ROLES.get(rng.below(ROLES.len() as u64) as usize).copied().unwrap_or("SRV");
        let name = format!("SRV-{role}{i:05}");
        let stem = out.join(format!("{i:05}-{name}"));
        // Exactly floor(n * share) broken bundles, spread evenly.
        let is_broken = ((i + 1) as f64 * share).floor() > (i as f64 * share).floor();
        if is_broken {
            broken += 1;
            match rng.below(3) {
                0 => {
                    let files = vec![("systeminfo.txt".to_string(), b"Host Name: X\r\n".to_vec())];
                    let z = zip_bytes(&files)?;
                    let cut = z.get(..z.len() / 2).unwrap_or(&[]).to_vec();
                    std::fs::write(stem.with_extension("zip"), cut)?;
                }
                1 => std::fs::create_dir_all(&stem)?,
                _ => {
                    let garbage: Vec<u8> = (0..512).map(|_| (rng.next() & 0xFF) as u8).collect();
                    std::fs::write(stem.with_extension("zip"), garbage)?;
                }
            }
            continue;
        }
        let files = if rng.below(100) < 3 {
            other_files(&name, &mut rng)
        } else {
            // Two hosts in five are 2008 R2 (by host, the same in every round).
            let r2 = Rng(seed ^ 0x0202 ^ (i as u64).wrapping_mul(0x9E37_79B9)).below(5) < 2;
            let hosts = if r2 { families[1] } else { families[0] };
            let mut idx = (rng.below(hosts.len() as u64) as usize).saturating_sub(step * behind);
            while idx > 0 && hosts.get(idx).is_some_and(|h| h.released > date) {
                idx -= 1;
            }
            let Some(g) = hosts.get(idx) else { continue };
            ws2008_files(&name, g, catalog, &mut rng)
        };
        if rng.below(3) == 0 {
            std::fs::write(stem.with_extension("zip"), zip_bytes(&files)?)?;
        } else {
            write_folder(&stem, &files)?;
        }
    }
    Ok(broken)
}

/// Runs `demo-fleet`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let (n, broken, dates) = generate(a.n, &a.out, a.seed, a.broken_percent, a.scans)?;
    let mut text = format!("wrote {n} host bundles ({broken} deliberately broken) to {}\n", a.out.display());
    if dates.is_empty() {
        text.push_str(&format!("next: w2k8 scan {} --db fleet.db\n", a.out.display()));
    } else {
        text.push_str(&format!("in {} rounds; next:\n", dates.len()));
        for d in &dates {
            text.push_str(&format!("  w2k8 scan {} --as-of {d} --db fleet.db\n", a.out.join(d.to_string()).display()));
        }
    }
    crate::common::print(&text)
}
