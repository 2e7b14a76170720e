//! Reads a host bundle: a folder, a `.zip`, or a single file.
//!
//! A bundle is what `collect.cmd` (see [`crate::collector`]) writes on a
//! Windows Server 2008 machine: a folder `w2k8-<HOST>-<yyyymmdd>\` holding
//! the outputs of stock tools, each kept exactly as the tool wrote it (OEM
//! code page for `systeminfo` and `reg`, UTF-16LE for `wmic`). The same
//! content may arrive zipped, with or without the top folder, or an
//! administrator may hand over a single file.
//!
//! | file | command that writes it | read as |
//! |---|---|---|
//! | `systeminfo.txt` | `systeminfo /fo list` | systeminfo |
//! | `systeminfo.csv` | `systeminfo /fo csv` | systeminfo |
//! | `qfe.txt` | `wmic qfe list full` | wmic-qfe |
//! | `qfe.csv` | `wmic qfe list full /format:csv` (or the `csv.xsl` path, see the collector) | wmic-qfe |
//! | `os.txt` | `wmic os get Caption,CSDVersion,... /format:list` | wmic |
//! | `ntoskrnl.txt` | `wmic datafile where name="...ntoskrnl.exe" get Version /format:list` | wmic |
//! | `reg-currentversion.txt` | `reg query "HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"` | reg-query |
//! | `reg-cbs-packages.txt` | `reg query "HKLM\...\Component Based Servicing\Packages"` | reg-query |
//! | `servicing-packages.txt` | `dir /b %windir%\servicing\Packages` | servicing-packages |
//! | `hotfix.csv` | PowerShell 2.0 `Get-HotFix \| Export-Csv` (only where powershell.exe exists) | get-hotfix |
//! | `reg-reboot.txt` | `reg query` of `RebootPending`, `RebootRequired`, `PendingFileRenameOperations` | reg-reboot (empty: no restart pending) |
//! | `reg-ie.txt` | `reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer" /v Version` and `/v svcVersion` | reg-query (IE version) |
//! | `reg-dotnet.txt` | `reg query "HKLM\SOFTWARE\Microsoft\NET Framework Setup\NDP" /s` | reg-query (.NET versions) |
//! | `disk.txt` | `wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem /format:list` | wmic-logicaldisk |
//! | `roles.txt` | `servermanagercmd -query` (full install) or `oclist` (Server Core) | servermanagercmd (installed role ids; `oclist` output is skipped with a note) |
//! | `reg-mitigations.txt` | `reg query` of the keys Microsoft's workarounds name, each after a `w2k8-query:` marker | reg-mitigations |
//! | `services.txt` | `sc queryex type= service state= all` | sc-queryex |
//! | `netstat.txt` | `netstat -ano` | netstat-ano |
//! | `firewall.txt` | `netsh advfirewall show allprofiles` and `netsh advfirewall firewall show rule name=all` | netsh-advfirewall |
//! | `collector.txt` | the collector's own log: version, date, each command and its errorlevel | kept, not read yet |
//! | `logs\CBS.log`, `logs\CbsPersist_*.log`, `logs\WindowsUpdate.log`, `logs\CheckSUR.log` | `copy` of the servicing logs | listed by [`list_logs`] |
//!
//! Any other `*.txt`, `*.csv` or `*.log` at the top of the bundle or one
//! folder down is offered to [`Format::sniff`] and read when a format
//! recognises it; anything else is ignored. A file with a known name that
//! does not hold what its name says (a failed command leaves an empty file or
//! an error message) is sniffed like any other and otherwise skipped with a
//! note. When every file of the bundle lies in one top folder (a zip of the
//! `w2k8-HOST-DATE\` folder, or a folder holding just that folder), that
//! folder is looked into: file names are then reported relative to it, so a
//! folder and its zip give the same [`Host`].
//!
//! Untrusted input is refused early and with a clear message, never with a
//! panic: files over [`LoadOptions::max_file_size`] (checked from the file
//! system or the zip directory before anything is read, and again while
//! reading), zip entries whose path leaves the bundle (`..`, absolute paths,
//! drive letters), encrypted entries, zip bombs (too many entries, a declared
//! total over [`LoadOptions::max_total_size`], a compression ratio over 100
//! on an entry over 1 MiB, or more bytes than declared), and corrupt
//! archives. In a folder only regular files are read: a symbolic link is
//! followed only to a regular file inside the bundle, and FIFOs, sockets,
//! devices, links leaving the bundle and links to folders are never opened;
//! each is named in [`Host::file_problems`] and the notes.
//!
//! The same rules serve other readers of a bundle folder: [`list_folder`]
//! lists its files as [`load`] sees them, [`open_regular`] opens a file only
//! when it is a regular file (never blocking on a FIFO), and
//! [`read_limited`] and [`stream_limited`] read within a size limit (the
//! latter in chunks, for digests).
pub mod kept;

use crate::formats::Format;
use crate::{Error, Facts, FileProblem, Host, SourceFile, TextEncoding};
use std::fs;
use std::io::{self, Read, Seek};
use std::path::{Path, PathBuf};

/// 1 MiB.
const MIB: u64 = 1024 * 1024;

/// Entries over this many bytes must not be compressed more than
/// [`MAX_RATIO`] times.
const RATIO_MIN_SIZE: u64 = MIB;

/// The largest compression ratio accepted for an entry over [`RATIO_MIN_SIZE`].
const MAX_RATIO: u64 = 100;

/// Options for [`load`], [`load_bytes`], [`list_logs`] and [`read_entry`].
///
/// Build it with `LoadOptions { encoding: Some(..), ..LoadOptions::default() }`:
/// the default limits are 16 MiB per inventory file, 64 MiB per other file
/// (a log carried for `diagnose`), 512 MiB per bundle and 10,000 zip entries.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Force this encoding for every text file instead of detecting it.
    pub encoding: Option<TextEncoding>,
    /// Collect files that look like a known format but fail to parse (or to
    /// decode) as notes in [`Facts::notes`] instead of failing the whole load.
    /// Fleet scans want this; a single host's report does not.
    pub lenient: bool,
    /// The largest file (or zip entry, uncompressed) that is read, in bytes.
    pub max_file_size: u64,
    /// The largest inventory file (a file [`load`] parses: systeminfo, wmic,
    /// reg query, sc, netstat, netsh, ... output), in bytes; at most
    /// `max_file_size`. The largest real ones are the package listings of a
    /// fully patched 2008 R2 (`reg-cbs-packages.txt`,
    /// `servicing-packages.txt`: a few MB in UTF-16); parsing costs a few
    /// times a file's size in memory, so this bounds a fleet scan's memory
    /// whatever a hostile bundle holds.
    pub max_parsed_file_size: u64,
    /// The largest bundle: the declared uncompressed total of all zip
    /// entries, the size of a zip file, and the bytes read from a folder.
    pub max_total_size: u64,
    /// The most entries a zip (or files a folder walk) may hold.
    pub max_entries: usize,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            encoding: None,
            lenient: false,
            max_file_size: 64 * MIB,
            max_parsed_file_size: 16 * MIB,
            max_total_size: 512 * MIB,
            max_entries: 10_000,
        }
    }
}

/// `opts` for reading files that are parsed: the file limit is the smaller
/// of `max_file_size` and `max_parsed_file_size`.
fn parsing(opts: &LoadOptions) -> LoadOptions {
    LoadOptions { max_file_size: opts.max_file_size.min(opts.max_parsed_file_size), ..opts.clone() }
}

/// The kinds of servicing logs a bundle may carry (read by a later `diagnose`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum LogKind {
    /// `%windir%\Logs\CBS\CBS.log`.
    Cbs,
    /// `%windir%\Logs\CBS\CbsPersist_*.log` (older CBS.log rolled over).
    CbsPersist,
    /// `%windir%\WindowsUpdate.log`.
    WindowsUpdate,
    /// `%windir%\Logs\CBS\CheckSUR.log` (System Update Readiness Tool, KB947821).
    CheckSur,
    /// Any other file under the bundle's `logs\` folder.
    Other,
}

impl LogKind {
    /// The kind of the log named `name` (a file name, any case), when it is one
    /// of the known servicing logs.
    pub fn recognise(name: &str) -> Option<LogKind> {
        let lower = name.to_ascii_lowercase();
        match lower.as_str() {
            "cbs.log" => Some(LogKind::Cbs),
            "windowsupdate.log" => Some(LogKind::WindowsUpdate),
            "checksur.log" => Some(LogKind::CheckSur),
            _ if lower.starts_with("cbspersist_") && lower.ends_with(".log") => Some(LogKind::CbsPersist),
            _ => None,
        }
    }
}

/// A log file found in a bundle by [`list_logs`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFile {
    /// Its path inside the bundle, `/`-separated (e.g. `logs/CBS.log`); pass
    /// it to [`read_entry`] to get its bytes.
    pub file: String,
    /// What log it is.
    pub kind: LogKind,
    /// Its size in bytes (uncompressed, as declared for a zip entry).
    pub size: u64,
}

/// The layout's file names that w2k8 reads, with the format each must hold.
const KNOWN: [(&str, Format); 19] = [
    ("systeminfo.txt", Format::Systeminfo),
    ("systeminfo.csv", Format::Systeminfo),
    ("qfe.txt", Format::WmicQfe),
    ("qfe.csv", Format::WmicQfe),
    ("os.txt", Format::Wmic),
    ("ntoskrnl.txt", Format::Wmic),
    ("reg-currentversion.txt", Format::RegQuery),
    ("reg-cbs-packages.txt", Format::RegQuery),
    ("reg-ie.txt", Format::RegQuery),
    ("reg-dotnet.txt", Format::RegQuery),
    ("servicing-packages.txt", Format::ServicingPackages),
    ("hotfix.csv", Format::GetHotFix),
    ("reg-reboot.txt", Format::RegReboot),
    ("disk.txt", Format::Disk),
    ("reg-mitigations.txt", Format::RegMitigations),
    ("services.txt", Format::ScQueryex),
    ("netstat.txt", Format::Netstat),
    ("firewall.txt", Format::NetshFirewall),
    ("roles.txt", Format::Roles),
];

/// The layout's file names kept for later commands and not read by [`load`].
const KEPT: [&str; 1] = ["collector.txt"];

/// Every file name of the bundle layout (without the `logs\` copies), in
/// the order the collector writes them.
pub const LAYOUT: [&str; 20] = [
    "systeminfo.txt",
    "systeminfo.csv",
    "qfe.txt",
    "qfe.csv",
    "os.txt",
    "ntoskrnl.txt",
    "reg-currentversion.txt",
    "reg-cbs-packages.txt",
    "servicing-packages.txt",
    "reg-reboot.txt",
    "reg-ie.txt",
    "reg-dotnet.txt",
    "disk.txt",
    "roles.txt",
    "reg-mitigations.txt",
    "services.txt",
    "netstat.txt",
    "firewall.txt",
    "hotfix.csv",
    "collector.txt",
];

/// Loads a host bundle: a folder, a `.zip` file, or a single output file.
///
/// Every recognised file is decoded ([`crate::decode()`], honouring
/// [`LoadOptions::encoding`]), parsed with its [`Format`], recorded in
/// [`Host::sources`], and all facts are merged with [`crate::merge::merge`].
///
/// # Errors
/// [`Error::NothingRecognised`] when no file holds a known format;
/// [`Error::Parse`] when a file looks like a format but does not parse (unless
/// [`LoadOptions::lenient`]); [`Error::Zip`] for a corrupt or refused archive;
/// [`Error::Io`] when something cannot be read or is over a size limit.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Host, Error> {
    let label = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| io_err(&label, e))?;
    if meta.is_dir() {
        let mut src = DirSource::open(path, opts)?;
        return assemble(&label, &mut src, opts);
    }
    if !meta.is_file() {
        // A pipe or device named explicitly (`/dev/stdin`): it can be read
        // once only, so it is read whole (within the bundle limit) and
        // judged by its bytes; sniffing its head first would lose it.
        let file = fs::File::open(path).map_err(|e| io_err(&label, e))?;
        let bytes = read_limited(file, &label, opts.max_total_size)?;
        return load_bytes(&label, &bytes, opts);
    }
    if is_zip_path(path) || starts_like_zip(path) {
        if meta.len() > opts.max_total_size {
            return Err(zip_err(&label, too_large_msg(meta.len(), opts.max_total_size, "zip archive")));
        }
        let file = fs::File::open(path).map_err(|e| io_err(&label, e))?;
        let mut src = ZipSource::open(io::BufReader::new(file), &label, opts)?;
        return assemble(&label, &mut src, opts);
    }
    let opts = &parsing(opts);
    if meta.len() > opts.max_file_size {
        return Err(too_large(&label, meta.len(), opts.max_file_size));
    }
    let bytes = read_limited(fs::File::open(path).map_err(|e| io_err(&label, e))?, &label, opts.max_file_size)?;
    let mut src = SingleSource { name: label.clone(), bytes };
    assemble(&label, &mut src, opts)
}

/// Loads a bundle held in memory: a `.zip` (recognised by its name or its
/// `PK` signature) or a single output file named `name`.
///
/// # Errors
/// As [`load`].
pub fn load_bytes(name: &str, bytes: &[u8], opts: &LoadOptions) -> Result<Host, Error> {
    if is_zip_name(name) || is_zip_magic(bytes) {
        let mut src = open_zip_bytes(name, bytes, opts)?;
        return assemble(name, &mut src, opts);
    }
    let opts = &parsing(opts);
    if bytes.len() as u64 > opts.max_file_size {
        return Err(too_large(name, bytes.len() as u64, opts.max_file_size));
    }
    let mut src = SingleSource { name: name.to_string(), bytes: bytes.to_vec() };
    assemble(name, &mut src, opts)
}

/// Lists the servicing logs of a bundle (folder or `.zip`): every file under
/// its `logs\` folder, and the known log names (`CBS.log`, `CbsPersist_*.log`,
/// `WindowsUpdate.log`, `CheckSUR.log`) at its top or one folder down.
///
/// # Errors
/// As [`load`] for an unreadable folder or a corrupt or refused zip; a single
/// file that is itself a known log is listed.
pub fn list_logs(path: &Path, opts: &LoadOptions) -> Result<Vec<LogFile>, Error> {
    let label = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| io_err(&label, e))?;
    let entries = if meta.is_dir() {
        DirSource::open(path, opts)?.entries()
    } else if is_zip_path(path) || starts_like_zip(path) {
        let file = fs::File::open(path).map_err(|e| io_err(&label, e))?;
        ZipSource::open(io::BufReader::new(file), &label, opts)?.entries()
    } else {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        return Ok(LogKind::recognise(&name)
            .map(|kind| LogFile { file: name, kind, size: meta.len() })
            .into_iter()
            .collect());
    };
    let prefix = common_top_folder(&entries);
    let mut logs = Vec::new();
    for e in &entries {
        let rel = strip_prefix(&e.name, prefix.as_deref());
        let parts: Vec<&str> = rel.split('/').collect();
        let file_name = parts.last().copied().unwrap_or_default();
        let in_logs = parts.len() >= 2 && parts.first().is_some_and(|p| p.eq_ignore_ascii_case("logs"));
        let kind = match LogKind::recognise(file_name) {
            Some(k) if in_logs || parts.len() <= 2 => Some(k),
            None if in_logs => Some(LogKind::Other),
            _ => None,
        };
        if let Some(kind) = kind {
            logs.push(LogFile { file: rel.to_string(), kind, size: e.size });
        }
    }
    logs.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(logs)
}

/// Reads one file of a bundle (folder or `.zip`) by its name as
/// [`list_logs`] reports it, within [`LoadOptions::max_file_size`].
///
/// # Errors
/// [`Error::Io`] when there is no such file or it is over the limit;
/// [`Error::Zip`] for a corrupt or refused zip.
pub fn read_entry(path: &Path, file: &str, opts: &LoadOptions) -> Result<Vec<u8>, Error> {
    let label = path.display().to_string();
    let meta = fs::metadata(path).map_err(|e| io_err(&label, e))?;
    if meta.is_dir() {
        let mut src = DirSource::open(path, opts)?;
        return read_named(&mut src, file, opts);
    }
    if is_zip_path(path) || starts_like_zip(path) {
        let f = fs::File::open(path).map_err(|e| io_err(&label, e))?;
        let mut src = ZipSource::open(io::BufReader::new(f), &label, opts)?;
        return read_named(&mut src, file, opts);
    }
    Err(io_err(&label, io::Error::new(io::ErrorKind::InvalidInput, "not a bundle folder or .zip")))
}

fn read_named(src: &mut dyn Source, file: &str, opts: &LoadOptions) -> Result<Vec<u8>, Error> {
    let entries = src.entries();
    let prefix = common_top_folder(&entries);
    let wanted = file.replace('\\', "/");
    let found = entries.iter().position(|e| strip_prefix(&e.name, prefix.as_deref()).eq_ignore_ascii_case(&wanted));
    match found.and_then(|i| entries.get(i)) {
        Some(e) => {
            if e.size > opts.max_file_size {
                return Err(too_large(&e.name, e.size, opts.max_file_size));
            }
            src.read(e, opts)
        }
        None => Err(io_err(file, io::Error::new(io::ErrorKind::NotFound, "no such file in the bundle"))),
    }
}

/// One file of a bundle.
#[derive(Debug, Clone)]
struct Entry {
    /// Path inside the bundle, `/`-separated.
    name: String,
    /// Size in bytes (declared uncompressed size for a zip).
    size: u64,
    /// Where to read it from: a file path, or a zip index.
    loc: Loc,
}

#[derive(Debug, Clone)]
enum Loc {
    File(PathBuf),
    Zip(usize),
    Single,
    /// A file of a [`kept::Kept`] bundle, by index.
    Kept(usize),
}

/// A bundle's files and a way to read them.
trait Source {
    /// Every file of the bundle.
    fn entries(&self) -> Vec<Entry>;
    /// Reads one entry, within the options' limits.
    fn read(&mut self, entry: &Entry, opts: &LoadOptions) -> Result<Vec<u8>, Error>;
    /// Files seen but never opened (not regular files, links leaving the bundle).
    fn skipped(&self) -> Vec<FileProblem> {
        Vec::new()
    }
}

/// A single file given on its own.
struct SingleSource {
    name: String,
    bytes: Vec<u8>,
}

impl Source for SingleSource {
    fn entries(&self) -> Vec<Entry> {
        vec![Entry { name: self.name.clone(), size: self.bytes.len() as u64, loc: Loc::Single }]
    }
    fn read(&mut self, _entry: &Entry, _opts: &LoadOptions) -> Result<Vec<u8>, Error> {
        Ok(std::mem::take(&mut self.bytes))
    }
}

/// A folder, walked three levels deep (a top folder, its files, one folder down).
struct DirSource {
    entries: Vec<Entry>,
    skipped: Vec<FileProblem>,
}

impl DirSource {
    fn open(root: &Path, opts: &LoadOptions) -> Result<DirSource, Error> {
        let label = root.display().to_string();
        let canon_root = fs::canonicalize(root).map_err(|e| io_err(&label, e))?;
        let mut found = Walked::default();
        walk(&canon_root, &canon_root, "", 0, opts, &mut found)?;
        found.entries.sort_by(|a, b| a.name.cmp(&b.name));
        found.skipped.sort_by(|a, b| a.file.cmp(&b.file));
        Ok(DirSource { entries: found.entries, skipped: found.skipped })
    }
}

/// One regular file of a bundle folder, as [`list_folder`] finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FolderFile {
    /// Its path inside the folder, `/`-separated (e.g. `logs/CBS.log`).
    pub name: String,
    /// Its size in bytes when it was listed.
    pub size: u64,
    /// Where to open it (with [`open_regular`]): a link inside the bundle
    /// is already resolved to its target.
    pub path: PathBuf,
}

/// A bundle folder's files, as [`list_folder`] finds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FolderListing {
    /// The regular files, sorted by name.
    pub files: Vec<FolderFile>,
    /// What was seen and never opened: FIFOs, sockets, devices, links
    /// leaving the bundle, links to folders, broken links; sorted by name.
    pub skipped: Vec<FileProblem>,
}

/// Lists a bundle folder exactly as [`load`] walks it: its files and those
/// one and two folders down, links followed only to regular files inside
/// the folder, anything that is not a regular file listed as skipped and
/// never opened. Nothing is read.
///
/// # Errors
/// [`Error::Io`] when the folder cannot be read, or when it holds more
/// than [`LoadOptions::max_entries`] files (not a host bundle).
pub fn list_folder(root: &Path, opts: &LoadOptions) -> Result<FolderListing, Error> {
    let src = DirSource::open(root, opts)?;
    let files = src
        .entries
        .into_iter()
        .filter_map(|e| match e.loc {
            Loc::File(path) => Some(FolderFile { name: e.name, size: e.size, path }),
            Loc::Zip(_) | Loc::Single | Loc::Kept(_) => None,
        })
        .collect();
    Ok(FolderListing { files, skipped: src.skipped })
}

/// What a folder walk found.
#[derive(Default)]
struct Walked {
    entries: Vec<Entry>,
    skipped: Vec<FileProblem>,
}

/// How deep a folder is walked: `w2k8-HOST-DATE\logs\CBS.log` from the
/// folder holding the bundle folder is depth 2.
const MAX_DEPTH: usize = 2;

/// Walks `dir` (at `depth` below the bundle folder, named `rel` inside it)
/// into `out`: regular files and links to regular files inside `root` as
/// entries, anything else as skipped; sub-folders down to [`MAX_DEPTH`].
fn walk(root: &Path, dir: &Path, rel: &str, depth: usize, opts: &LoadOptions, out: &mut Walked) -> Result<(), Error> {
    let label = dir.display().to_string();
    let rd = match fs::read_dir(dir) {
        Ok(rd) => rd,
        // An unreadable sub-folder is skipped; the bundle folder itself must be readable.
        Err(_) if depth > 0 => return Ok(()),
        Err(e) => return Err(io_err(&label, e)),
    };
    for item in rd {
        let item = item.map_err(|e| io_err(&label, e))?;
        let name = item.file_name().to_string_lossy().into_owned();
        let rel_name = if rel.is_empty() { name.clone() } else { format!("{rel}/{name}") };
        let path = item.path();
        let lmeta = match fs::symlink_metadata(&path) {
            Ok(m) => m,
            Err(_) => continue,
        };
        let (size, real) = if lmeta.file_type().is_symlink() {
            match follow_link(root, &path) {
                Ok(found) => found,
                Err(problem) => {
                    out.skipped.push(FileProblem { file: rel_name, problem });
                    continue;
                }
            }
        } else if lmeta.is_dir() {
            if depth < MAX_DEPTH {
                walk(root, &path, &rel_name, depth + 1, opts, out)?;
            }
            continue;
        } else if lmeta.is_file() {
            (lmeta.len(), path)
        } else {
            let problem = format!("{}, not a regular file: not opened", kind_of(&lmeta.file_type()));
            out.skipped.push(FileProblem { file: rel_name, problem });
            continue;
        };
        out.entries.push(Entry { name: rel_name, size, loc: Loc::File(real) });
        if out.entries.len().saturating_add(out.skipped.len()) > opts.max_entries {
            return Err(too_many_files(&label, opts.max_entries));
        }
    }
    Ok(())
}

/// Follows the link at `path` only to a regular file inside the bundle
/// (`root`), never to a folder: its size and target, or why it is skipped.
fn follow_link(root: &Path, path: &Path) -> Result<(u64, PathBuf), String> {
    match fs::canonicalize(path) {
        Ok(target) if target.starts_with(root) => match fs::metadata(&target) {
            Ok(m) if m.is_file() => Ok((m.len(), target)),
            Ok(m) if m.is_dir() => Err("a symbolic link to a folder: not followed".to_string()),
            Ok(m) => Err(format!("a symbolic link to {}, not a regular file: not opened", kind_of(&m.file_type()))),
            Err(e) => Err(format!("a symbolic link that cannot be followed ({e})")),
        },
        Ok(_) => Err("a symbolic link leading out of the bundle: not followed".to_string()),
        Err(_) => Err("a broken symbolic link: not followed".to_string()),
    }
}

/// The error of a folder (`label`) holding more than `max_entries` files.
fn too_many_files(label: &str, max_entries: usize) -> Error {
    io_err(
        label,
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("more than {max_entries} files: not a host bundle (point w2k8 at one w2k8-HOST-DATE folder)"),
        ),
    )
}

impl Source for DirSource {
    fn entries(&self) -> Vec<Entry> {
        self.entries.clone()
    }
    fn read(&mut self, entry: &Entry, opts: &LoadOptions) -> Result<Vec<u8>, Error> {
        let Loc::File(path) = &entry.loc else {
            return Err(io_err(&entry.name, io::Error::new(io::ErrorKind::NotFound, "not a file")));
        };
        // Check again now: the file may have grown, or been replaced, since the walk.
        let (f, len) = open_regular(path, &entry.name)?;
        if len > opts.max_file_size {
            return Err(too_large(&entry.name, len, opts.max_file_size));
        }
        read_limited(f, &entry.name, opts.max_file_size)
    }
    fn skipped(&self) -> Vec<FileProblem> {
        self.skipped.clone()
    }
}

/// What a file system object is, for a message: `a FIFO (named pipe)`, `a folder`, ...
fn kind_of(ft: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_char_device() {
            return "a character device";
        }
        if ft.is_block_device() {
            return "a block device";
        }
    }
    if ft.is_dir() {
        "a folder"
    } else if ft.is_symlink() {
        "a symbolic link"
    } else if ft.is_file() {
        "a regular file"
    } else {
        "a special file"
    }
}

fn not_regular(label: &str, ft: &fs::FileType) -> Error {
    io_err(
        label,
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{}, not a regular file: refused (only regular files are read)", kind_of(ft)),
        ),
    )
}

/// Opens `path` for reading only when it is a regular file (a link to one
/// is followed), and returns it with its size. A FIFO, socket or device is
/// refused without blocking: the type is checked before opening, and again
/// on the open file (on Unix the open itself does not wait for a FIFO's
/// writer), so a file swapped in between is refused too. `label` names the
/// file in errors.
///
/// # Errors
/// [`Error::Io`] when it cannot be opened or is not a regular file.
pub fn open_regular(path: &Path, label: &str) -> Result<(fs::File, u64), Error> {
    let meta = fs::metadata(path).map_err(|e| io_err(label, e))?;
    if !meta.is_file() {
        return Err(not_regular(label, &meta.file_type()));
    }
    let mut o = fs::OpenOptions::new();
    o.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Regular files ignore O_NONBLOCK; a FIFO swapped in opens at once.
        o.custom_flags(libc::O_NONBLOCK);
    }
    let f = o.open(path).map_err(|e| io_err(label, e))?;
    let meta = f.metadata().map_err(|e| io_err(label, e))?;
    if !meta.is_file() {
        return Err(not_regular(label, &meta.file_type()));
    }
    Ok((f, meta.len()))
}

/// A zip archive, validated whole when opened.
struct ZipSource<R: Read + Seek> {
    archive: zip::ZipArchive<R>,
    label: String,
    entries: Vec<Entry>,
}

fn open_zip_bytes<'a>(
    name: &str,
    bytes: &'a [u8],
    opts: &LoadOptions,
) -> Result<ZipSource<io::Cursor<&'a [u8]>>, Error> {
    if bytes.len() as u64 > opts.max_total_size {
        return Err(zip_err(name, too_large_msg(bytes.len() as u64, opts.max_total_size, "zip archive")));
    }
    ZipSource::open(io::Cursor::new(bytes), name, opts)
}

impl<R: Read + Seek> ZipSource<R> {
    fn open(reader: R, label: &str, opts: &LoadOptions) -> Result<ZipSource<R>, Error> {
        let mut archive =
            zip::ZipArchive::new(reader).map_err(|e| zip_err(label, format!("not a readable zip archive ({e})")))?;
        if archive.len() > opts.max_entries {
            return Err(zip_err(
                label,
                format!(
                    "{} entries, more than the {} a host bundle may hold (zip bomb?)",
                    archive.len(),
                    opts.max_entries
                ),
            ));
        }
        let mut entries = Vec::new();
        let mut total: u64 = 0;
        for i in 0..archive.len() {
            let f = archive.by_index_raw(i).map_err(|e| zip_err(label, format!("entry {i} is unreadable ({e})")))?;
            let raw_name = f.name().to_string();
            let name = safe_entry_name(&raw_name).ok_or_else(|| {
                zip_err(
                    label,
                    format!("entry `{raw_name}` has a path leaving the bundle (`..`, absolute path or drive): refused"),
                )
            })?;
            if f.encrypted() {
                return Err(zip_err(
                    label,
                    format!("entry `{raw_name}` is encrypted: unzip it yourself or zip it without a password"),
                ));
            }
            if f.is_dir() || f.is_symlink() || name.is_empty() {
                continue;
            }
            let size = f.size();
            let packed = f.compressed_size();
            total = total.saturating_add(size);
            if total > opts.max_total_size {
                return Err(zip_err(
                    label,
                    format!(
                        "entries add up to more than {} uncompressed (zip bomb?): refused",
                        human(opts.max_total_size)
                    ),
                ));
            }
            if size > RATIO_MIN_SIZE && size / packed.max(1) > MAX_RATIO {
                return Err(zip_err(
                    label,
                    format!(
                        "entry `{raw_name}` expands {} times ({} from {}): refused as a zip bomb",
                        size / packed.max(1),
                        human(size),
                        human(packed)
                    ),
                ));
            }
            entries.push(Entry { name, size, loc: Loc::Zip(i) });
        }
        Ok(ZipSource { archive, label: label.to_string(), entries })
    }
}

impl<R: Read + Seek> Source for ZipSource<R> {
    fn entries(&self) -> Vec<Entry> {
        self.entries.clone()
    }
    fn read(&mut self, entry: &Entry, opts: &LoadOptions) -> Result<Vec<u8>, Error> {
        let Loc::Zip(i) = entry.loc else {
            return Err(zip_err(&self.label, format!("`{}` is not in the archive", entry.name)));
        };
        if entry.size > opts.max_file_size {
            return Err(zip_err(
                &self.label,
                format!("entry `{}`: {}", entry.name, too_large_msg(entry.size, opts.max_file_size, "file")),
            ));
        }
        let f = self
            .archive
            .by_index(i)
            .map_err(|e| zip_err(&self.label, format!("entry `{}` cannot be read ({e})", entry.name)))?;
        // The declared size may lie: never read more than the limit allows.
        let mut buf = Vec::new();
        let cap = opts.max_file_size.min(entry.size);
        f.take(cap.saturating_add(1))
            .read_to_end(&mut buf)
            .map_err(|e| zip_err(&self.label, format!("entry `{}` is corrupt ({e})", entry.name)))?;
        if buf.len() as u64 > cap {
            return Err(zip_err(
                &self.label,
                format!(
                    "entry `{}` holds more than the {} its header declares (zip bomb?): refused",
                    entry.name,
                    human(entry.size)
                ),
            ));
        }
        Ok(buf)
    }
}

/// A zip entry name as a `/`-separated relative path, or `None` when it
/// would leave the bundle: `..` components, a leading `/` or `\`, a drive
/// letter, or a NUL.
fn safe_entry_name(raw: &str) -> Option<String> {
    if raw.contains('\0') {
        return None;
    }
    let name = raw.replace('\\', "/");
    if name.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for part in name.split('/') {
        match part {
            "" | "." => continue,
            ".." => return None,
            p if p.contains(':') => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The single folder every entry lies in, if there is one.
fn common_top_folder(entries: &[Entry]) -> Option<String> {
    let mut top: Option<&str> = None;
    for e in entries {
        let (first, rest) = e.name.split_once('/')?;
        if rest.is_empty() {
            return None;
        }
        match top {
            None => top = Some(first),
            Some(t) if t == first => {}
            Some(_) => return None,
        }
    }
    top.map(str::to_string)
}

fn strip_prefix<'a>(name: &'a str, prefix: Option<&str>) -> &'a str {
    match prefix {
        Some(p) => name.strip_prefix(p).and_then(|r| r.strip_prefix('/')).unwrap_or(name),
        None => name,
    }
}

/// What [`assemble`] does with one entry.
enum Role {
    /// A layout name that w2k8 reads as this format.
    Known(Format),
    /// Another text file: sniffed.
    Candidate,
}

fn role_of(rel: &str) -> Option<Role> {
    let parts: Vec<&str> = rel.split('/').collect();
    let file_name = parts.last().copied()?;
    if parts.first().is_some_and(|p| p.eq_ignore_ascii_case("logs")) && parts.len() >= 2 {
        return None;
    }
    if LogKind::recognise(file_name).is_some() {
        return None;
    }
    let lower = file_name.to_ascii_lowercase();
    if parts.len() == 1 {
        if let Some((_, f)) = KNOWN.iter().find(|(n, _)| *n == lower) {
            return Some(Role::Known(*f));
        }
        if KEPT.contains(&lower.as_str()) {
            return None;
        }
    }
    if parts.len() <= 2 && (lower.ends_with(".txt") || lower.ends_with(".csv") || lower.ends_with(".log")) {
        return Some(Role::Candidate);
    }
    None
}

fn layout_rank(rel: &str) -> usize {
    let lower = rel.to_ascii_lowercase();
    LAYOUT.iter().position(|n| *n == lower).unwrap_or(LAYOUT.len())
}

/// Reads, decodes, sniffs and parses the files of `src`, then merges them.
fn assemble(label: &str, src: &mut dyn Source, opts: &LoadOptions) -> Result<Host, Error> {
    // Every file read here is parsed: the inventory limit applies.
    let opts = &parsing(opts);
    let entries = src.entries();
    let single = entries.len() == 1 && entries.iter().all(|e| matches!(e.loc, Loc::Single));
    let prefix = if single { None } else { common_top_folder(&entries) };
    let work = work_list(entries, single, prefix.as_deref());
    let problems: Vec<FileProblem> = src
        .skipped()
        .into_iter()
        .map(|p| FileProblem { file: strip_prefix(&p.file, prefix.as_deref()).to_string(), problem: p.problem })
        .collect();
    let mut run = Assembly {
        label,
        src,
        opts,
        parts: Vec::new(),
        notes: Vec::new(),
        looked_at: Vec::new(),
        read_total: 0,
        problems,
    };
    for (rel, entry, role) in work {
        run.read_one(rel, entry, role)?;
    }
    run.finish()
}

/// The entries w2k8 reads, each with its path relative to `prefix` and its
/// role, in layout order. A `single` file given on its own is always read.
fn work_list(entries: Vec<Entry>, single: bool, prefix: Option<&str>) -> Vec<(String, Entry, Role)> {
    let mut work: Vec<(String, Entry, Role)> = Vec::new();
    for e in entries {
        let rel = strip_prefix(&e.name, prefix).to_string();
        let role = if single {
            let base = rel.rsplit(['/', '\\']).next().unwrap_or(&rel).to_ascii_lowercase();
            match KNOWN.iter().find(|(n, _)| *n == base) {
                Some((_, f)) => Some(Role::Known(*f)),
                None => Some(Role::Candidate),
            }
        } else {
            role_of(&rel)
        };
        if let Some(role) = role {
            work.push((rel, e, role));
        }
    }
    work.sort_by(|a, b| (layout_rank(&a.0), &a.0).cmp(&(layout_rank(&b.0), &b.0)));
    work
}

/// One run of [`assemble`]: its inputs and what it has gathered so far.
struct Assembly<'a> {
    /// The bundle as named in errors.
    label: &'a str,
    src: &'a mut dyn Source,
    opts: &'a LoadOptions,
    /// Each parsed file with its facts.
    parts: Vec<(SourceFile, Facts)>,
    notes: Vec<String>,
    /// Files looked at but not read, for [`Error::NothingRecognised`].
    looked_at: Vec<String>,
    read_total: u64,
    problems: Vec<FileProblem>,
}

impl Assembly<'_> {
    /// Reads, decodes, sniffs and parses one entry, or notes why not.
    fn read_one(&mut self, rel: String, entry: Entry, role: Role) -> Result<(), Error> {
        let opts = self.opts;
        if entry.size > opts.max_file_size && matches!(role, Role::Candidate) {
            self.notes.push(format!("{rel}: skipped, {}", too_large_msg(entry.size, opts.max_file_size, "file")));
            self.looked_at.push(rel);
            return Ok(());
        }
        self.read_total = self.read_total.saturating_add(entry.size);
        if self.read_total > opts.max_total_size {
            return Err(too_large(self.label, self.read_total, opts.max_total_size));
        }
        // A known file over the limit gets its source's own error here.
        let bytes = self.src.read(&entry, opts)?;
        if matches!(role, Role::Known(Format::RegReboot)) && (bytes.is_empty() || is_bom_only(&bytes)) {
            // reg.exe wrote nothing to stdout: none of the reboot keys exists.
            let source = SourceFile {
                file: rel.clone(),
                format: Format::RegReboot.name().to_string(),
                encoding: "empty".to_string(),
            };
            self.parts.push((source, crate::formats::reboot::none(&rel)));
            return Ok(());
        }
        if bytes.is_empty() || is_bom_only(&bytes) {
            self.skip_empty(rel, &role);
            return Ok(());
        }
        let Some(decoded) = self.decode(&bytes, rel.clone(), &role)? else { return Ok(()) };
        let format = match role {
            Role::Known(f) if f.recognises(&decoded.text) => Some(f),
            _ => Format::sniff(&decoded.text),
        };
        let Some(format) = format else {
            if let Role::Known(f) = role {
                self.notes.push(format!("{rel}: skipped, expected {} output, found something else", f.name()));
            }
            self.looked_at.push(rel);
            return Ok(());
        };
        self.parse(format, decoded, rel)
    }

    /// Notes an empty file (when its name is a known one) as looked at.
    fn skip_empty(&mut self, rel: String, role: &Role) {
        if matches!(role, Role::Known(_)) {
            self.notes.push(format!("{rel}: empty (the command wrote nothing; see collector.txt)"));
        }
        self.looked_at.push(rel);
    }

    /// Decodes the bytes of `rel`: `None` (noted) when the text is empty or
    /// could not be decoded in lenient mode.
    fn decode(&mut self, bytes: &[u8], rel: String, role: &Role) -> Result<Option<crate::Decoded>, Error> {
        match crate::decode(bytes, &rel, self.opts.encoding) {
            Ok(d) if d.text.trim().is_empty() => {
                self.skip_empty(rel, role);
                Ok(None)
            }
            Ok(d) => Ok(Some(d)),
            Err(e) => {
                // An undecodable file of unknown name is simply not ours.
                match role {
                    Role::Known(_) if !self.opts.lenient => return Err(Error::Parse(e)),
                    Role::Known(_) => {
                        self.notes.push(e.to_string());
                        self.problems.push(FileProblem { file: rel.clone(), problem: format!("not read: {e}") });
                    }
                    Role::Candidate => {}
                }
                self.looked_at.push(rel);
                Ok(None)
            }
        }
    }

    /// Parses the decoded text of `rel` as `format`, keeping its facts.
    fn parse(&mut self, format: Format, decoded: crate::Decoded, rel: String) -> Result<(), Error> {
        match format.parse(&decoded.text, &rel) {
            Ok(facts) => {
                let source = SourceFile { file: rel, format: format.name().to_string(), encoding: decoded.encoding };
                self.parts.push((source, facts));
            }
            Err(e) if self.opts.lenient => {
                self.notes.push(e.to_string());
                self.problems.push(FileProblem { file: rel.clone(), problem: format!("not read: {e}") });
                self.looked_at.push(rel);
            }
            Err(e) => return Err(Error::Parse(e)),
        }
        Ok(())
    }

    /// Merges the parsed files into a host, with the run's notes and file problems.
    fn finish(self) -> Result<Host, Error> {
        if self.parts.is_empty() {
            return Err(Error::NothingRecognised { path: self.label.to_string(), looked_at: self.looked_at });
        }
        let problems = self.problems;
        let mut host = crate::merge::merge(self.parts);
        host.facts.notes.extend(self.notes);
        host.facts
            .notes
            .extend(problems.iter().filter(|p| !p.problem.starts_with("not read: ")).map(|p| p.to_string()));
        host.file_problems = problems;
        Ok(host)
    }
}

fn is_bom_only(bytes: &[u8]) -> bool {
    matches!(bytes, [0xFF, 0xFE] | [0xFE, 0xFF] | [0xEF, 0xBB, 0xBF])
}

/// Reads `r` to its end, refusing it once it passes `limit` bytes (never
/// holding more than `limit + 1`). `name` names it in errors.
///
/// # Errors
/// [`Error::Io`] when reading fails or the input is over the limit.
pub fn read_limited<R: Read>(r: R, name: &str, limit: u64) -> Result<Vec<u8>, Error> {
    let mut buf = Vec::new();
    r.take(limit.saturating_add(1)).read_to_end(&mut buf).map_err(|e| io_err(name, e))?;
    if buf.len() as u64 > limit {
        return Err(too_large(name, buf.len() as u64, limit));
    }
    Ok(buf)
}

/// Refuses a file of `size` bytes when it is over `limit`, with the message
/// every size limit of the loader gives (`name: file of 1 GiB is over the
/// 64 MiB limit ...`): check a file's size before reading it.
///
/// # Errors
/// [`Error::Io`] when `size > limit`.
pub fn check_size(name: &str, size: u64, limit: u64) -> Result<(), Error> {
    if size > limit {
        return Err(too_large(name, size, limit));
    }
    Ok(())
}

/// Feeds `r` to `sink` in chunks of at most 64 KiB and returns the number of
/// bytes read, refusing the input once it passes `limit` bytes (what was
/// fed before stays fed). Memory stays at one chunk whatever the size: the
/// way to digest a file.
///
/// # Errors
/// [`Error::Io`] when reading fails or the input is over the limit.
pub fn stream_limited<R: Read>(mut r: R, name: &str, limit: u64, sink: &mut dyn FnMut(&[u8])) -> Result<u64, Error> {
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let n = match r.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(io_err(name, e)),
        };
        total = total.saturating_add(n as u64);
        if total > limit {
            return Err(too_large(name, total, limit));
        }
        sink(buf.get(..n).unwrap_or_default());
    }
}

fn is_zip_name(name: &str) -> bool {
    name.to_ascii_lowercase().ends_with(".zip")
}

fn is_zip_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

fn is_zip_magic(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

fn starts_like_zip(path: &Path) -> bool {
    let mut head = [0u8; 4];
    match fs::File::open(path) {
        Ok(mut f) => f.read_exact(&mut head).is_ok() && is_zip_magic(&head),
        Err(_) => false,
    }
}

fn io_err(path: &str, source: io::Error) -> Error {
    Error::Io { path: path.to_string(), source }
}

fn zip_err(path: &str, message: String) -> Error {
    Error::Zip { path: path.to_string(), message }
}

fn too_large_msg(size: u64, limit: u64, what: &str) -> String {
    format!(
        "{what} of {} is over the {} limit (a real capture is far smaller: check that this is the output the collector wrote)",
        human(size),
        human(limit)
    )
}

fn too_large(path: &str, size: u64, limit: u64) -> Error {
    io_err(path, io::Error::new(io::ErrorKind::InvalidData, too_large_msg(size, limit, "file")))
}

/// `size` as `12.3 MiB`, `640 KiB` or `17 bytes`.
fn human(size: u64) -> String {
    if size >= MIB {
        let tenths = size.saturating_mul(10) / MIB;
        if tenths.is_multiple_of(10) {
            format!("{} MiB", tenths / 10)
        } else {
            format!("{}.{} MiB", tenths / 10, tenths % 10)
        }
    } else if size >= 1024 {
        format!("{} KiB", size / 1024)
    } else {
        format!("{size} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn entry_names() {
        let cases: [(&str, Option<&str>); 10] = [
            ("systeminfo.txt", Some("systeminfo.txt")),
            ("w2k8-SRV-20261120/qfe.txt", Some("w2k8-SRV-20261120/qfe.txt")),
            ("w2k8-SRV-20261120\\logs\\CBS.log", Some("w2k8-SRV-20261120/logs/CBS.log")),
            ("./a//b.txt", Some("a/b.txt")),
            ("../evil.txt", None),
            ("a/../../evil.txt", None),
            ("/etc/passwd", None),
            ("\\Windows\\win.ini", None),
            ("C:/Windows/win.ini", None),
            ("a\0b", None),
        ];
        for (raw, want) in cases {
            assert_eq!(safe_entry_name(raw).as_deref(), want, "{raw}");
        }
    }

    #[test]
    fn roles() {
        assert!(matches!(role_of("systeminfo.txt"), Some(Role::Known(Format::Systeminfo))));
        assert!(matches!(role_of("QFE.CSV"), Some(Role::Known(Format::WmicQfe))));
        assert!(matches!(role_of("hotfix.csv"), Some(Role::Known(Format::GetHotFix))));
        assert!(matches!(role_of("notes.txt"), Some(Role::Candidate)));
        assert!(matches!(role_of("extra/sysinfo.log"), Some(Role::Candidate)));
        assert!(role_of("a/b/c.txt").is_none());
        assert!(role_of("logs/CBS.log").is_none());
        assert!(role_of("logs/other.txt").is_none());
        assert!(role_of("CBS.log").is_none());
        assert!(role_of("collector.txt").is_none());
        assert!(role_of("image.png").is_none());
    }

    #[test]
    fn log_kinds() {
        assert_eq!(LogKind::recognise("CBS.log"), Some(LogKind::Cbs));
        assert_eq!(LogKind::recognise("CbsPersist_20261101120000.log"), Some(LogKind::CbsPersist));
        assert_eq!(LogKind::recognise("windowsupdate.LOG"), Some(LogKind::WindowsUpdate));
        assert_eq!(LogKind::recognise("CheckSUR.log"), Some(LogKind::CheckSur));
        assert_eq!(LogKind::recognise("CheckSUR.persist.log"), None);
    }

    #[test]
    fn top_folder() {
        let e = |n: &str| Entry { name: n.into(), size: 0, loc: Loc::Single };
        assert_eq!(common_top_folder(&[e("w/a.txt"), e("w/logs/CBS.log")]).as_deref(), Some("w"));
        assert_eq!(common_top_folder(&[e("w/a.txt"), e("b.txt")]), None);
        assert_eq!(common_top_folder(&[e("w/a.txt"), e("v/b.txt")]), None);
        assert_eq!(common_top_folder(&[]), None);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human(17), "17 bytes");
        assert_eq!(human(2048), "2 KiB");
        assert_eq!(human(64 * MIB), "64 MiB");
        assert_eq!(human(200_000_000), "190.7 MiB");
    }

    #[test]
    fn empty_input_is_nothing_recognised() {
        let err = load_bytes("x.txt", b"", &LoadOptions::default());
        assert!(matches!(err, Err(Error::NothingRecognised { .. })), "{err:?}");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let opts = LoadOptions { max_file_size: 4096, max_total_size: 65536, max_entries: 16, ..LoadOptions::default() };
            let _ = load_bytes("fuzz.zip", &bytes, &opts);
            let _ = load_bytes("fuzz.txt", &bytes, &opts);
        }

        #[test]
        fn zip_prefixed_garbage_never_panics(tail in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            let _ = load_bytes("fuzz.zip", &bytes, &LoadOptions::default());
        }
    }
}
