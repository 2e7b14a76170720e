//! A bundle's input kept for later: the files a load read, byte for byte,
//! so that the same host can be loaded again without its bundle (the fleet
//! store keeps them to re-assess a host when the catalog changes).
//!
//! [`load_keeping`] and [`load_bytes_keeping`] load a bundle exactly as
//! [`super::load`] and [`super::load_bytes`] do and also return a [`Kept`]:
//! every file the bundle listed (name and size), the bytes of those the
//! loader read, and what it never opened. [`replay`] loads a [`Kept`] by
//! the same rules, so the host it gives is the one the bundle gave, with
//! today's parsers: files the loader did not read (a huge `CBS.log`, a
//! file of no known role) are not kept, and no rule reads them on replay.
//! [`Kept::encode`] and [`Kept::decode`] give it a compact binary form
//! (versioned; compress it to store it).
use super::{assemble, Entry, LoadOptions, Loc, Source};
use crate::{Error, FileProblem, Host};
use std::collections::HashMap;
use std::path::Path;

/// The first bytes of [`Kept::encode`]'s form, with its version.
const MAGIC: &[u8] = b"w2k8-kept-input 1\n";

/// One file of a kept bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptFile {
    /// Its path inside the bundle, as the loader named it.
    pub name: String,
    /// Its size as listed (a zip's declared size).
    pub size: u64,
    /// Its bytes, when the loader read it.
    pub bytes: Option<Vec<u8>>,
}

/// What a load read from a bundle: enough to load the host again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Kept {
    /// The bundle was a single output file (not a folder or a .zip).
    pub single: bool,
    /// Every file listed, in the listing's order.
    pub files: Vec<KeptFile>,
    /// What was seen and never opened (FIFOs, links leaving the bundle).
    pub skipped: Vec<FileProblem>,
}

/// A source that remembers the bytes of every entry read through it.
struct Recording<'a> {
    inner: &'a mut dyn Source,
    read: HashMap<String, Vec<u8>>,
}

impl Source for Recording<'_> {
    fn entries(&self) -> Vec<Entry> {
        self.inner.entries()
    }
    fn read(&mut self, entry: &Entry, opts: &LoadOptions) -> Result<Vec<u8>, Error> {
        let bytes = self.inner.read(entry, opts)?;
        self.read.insert(entry.name.clone(), bytes.clone());
        Ok(bytes)
    }
    fn skipped(&self) -> Vec<FileProblem> {
        self.inner.skipped()
    }
}

/// Assembles the host of `src`, keeping what was read.
fn assemble_keeping(label: &str, src: &mut dyn Source, opts: &LoadOptions) -> Result<(Host, Kept), Error> {
    let entries = src.entries();
    let skipped = src.skipped();
    let single = entries.len() == 1 && entries.iter().all(|e| matches!(e.loc, Loc::Single));
    let mut rec = Recording { inner: src, read: HashMap::new() };
    let host = assemble(label, &mut rec, opts)?;
    let mut read = rec.read;
    let files =
        entries.into_iter().map(|e| KeptFile { bytes: read.remove(&e.name), name: e.name, size: e.size }).collect();
    Ok((host, Kept { single, files, skipped }))
}

/// [`super::load`], also returning what was read.
///
/// # Errors
/// As [`super::load`].
pub fn load_keeping(path: &Path, opts: &LoadOptions) -> Result<(Host, Kept), Error> {
    let label = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| super::io_err(&label, e))?;
    if meta.is_dir() {
        let mut src = super::DirSource::open(path, opts)?;
        return assemble_keeping(&label, &mut src, opts);
    }
    if !meta.is_file() || !(super::is_zip_path(path) || super::starts_like_zip(path)) {
        // A pipe, a device or a single output file: read whole, as `load` does.
        let limit = if meta.is_file() { opts.max_file_size } else { opts.max_total_size };
        if meta.is_file() && meta.len() > limit {
            return Err(super::too_large(&label, meta.len(), limit));
        }
        let file = std::fs::File::open(path).map_err(|e| super::io_err(&label, e))?;
        let bytes = super::read_limited(file, &label, limit)?;
        return load_bytes_keeping(&label, &bytes, opts);
    }
    if meta.len() > opts.max_total_size {
        return Err(super::zip_err(&label, super::too_large_msg(meta.len(), opts.max_total_size, "zip archive")));
    }
    let file = std::fs::File::open(path).map_err(|e| super::io_err(&label, e))?;
    let bytes = super::read_limited(file, &label, opts.max_total_size)?;
    let mut src = super::open_zip_bytes(&label, &bytes, opts)?;
    assemble_keeping(&label, &mut src, opts)
}

/// [`super::load_bytes`], also returning what was read.
///
/// # Errors
/// As [`super::load_bytes`].
pub fn load_bytes_keeping(name: &str, bytes: &[u8], opts: &LoadOptions) -> Result<(Host, Kept), Error> {
    if super::is_zip_name(name) || super::is_zip_magic(bytes) {
        let mut src = super::open_zip_bytes(name, bytes, opts)?;
        return assemble_keeping(name, &mut src, opts);
    }
    if bytes.len() as u64 > opts.max_file_size {
        return Err(super::too_large(name, bytes.len() as u64, opts.max_file_size));
    }
    let mut src = super::SingleSource { name: name.to_string(), bytes: bytes.to_vec() };
    assemble_keeping(name, &mut src, opts)
}

/// The files of a [`Kept`], read back.
struct KeptSource<'a> {
    kept: &'a Kept,
}

impl Source for KeptSource<'_> {
    fn entries(&self) -> Vec<Entry> {
        self.kept
            .files
            .iter()
            .enumerate()
            .map(|(i, f)| Entry {
                name: f.name.clone(),
                size: f.size,
                loc: if self.kept.single { Loc::Single } else { Loc::Kept(i) },
            })
            .collect()
    }
    fn read(&mut self, entry: &Entry, _opts: &LoadOptions) -> Result<Vec<u8>, Error> {
        let i = match entry.loc {
            Loc::Kept(i) => i,
            _ => 0,
        };
        match self.kept.files.get(i).and_then(|f| f.bytes.clone()) {
            Some(b) => Ok(b),
            None => Err(super::io_err(
                &entry.name,
                std::io::Error::new(std::io::ErrorKind::NotFound, "not kept with the bundle's saved input"),
            )),
        }
    }
    fn skipped(&self) -> Vec<FileProblem> {
        self.kept.skipped.clone()
    }
}

/// Loads the host of a [`Kept`] bundle, by the rules of [`super::load`];
/// `label` names it in errors.
///
/// # Errors
/// As [`super::load`].
pub fn replay(label: &str, kept: &Kept, opts: &LoadOptions) -> Result<Host, Error> {
    assemble(label, &mut KeptSource { kept }, opts)
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    out.extend_from_slice(&(b.len() as u64).to_le_bytes());
    out.extend_from_slice(b);
}

/// Why a saved input cannot be read back.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeError {
    /// Not the form [`Kept::encode`] writes (another version).
    Format,
    /// The bytes end before what they announce.
    Cut {
        /// Bytes the next field needs.
        expected: usize,
        /// Bytes left.
        left: usize,
    },
    /// A length longer than what is left.
    Length(u64),
    /// A flag byte other than 0 or 1.
    Flag(Vec<u8>),
    /// A file name that is not UTF-8.
    Name,
    /// Bytes after the last field.
    Trailing(usize),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Format => f.write_str("expected a saved input of format 1 (`w2k8-kept-input 1`)"),
            DecodeError::Cut { expected, left } => write!(f, "cut short: {expected} bytes expected, {left} left"),
            DecodeError::Length(n) => write!(f, "a length of {n} is too long"),
            DecodeError::Flag(b) => write!(f, "expected a flag 0 or 1, found {b:?}"),
            DecodeError::Name => f.write_str("a name is not UTF-8"),
            DecodeError::Trailing(n) => write!(f, "{n} bytes after the end"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Reads the encoded form, front to back.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if self.rest.len() < n {
            return Err(DecodeError::Cut { expected: n, left: self.rest.len() });
        }
        let (head, tail) = self.rest.split_at(n);
        self.rest = tail;
        Ok(head)
    }
    fn u64(&mut self) -> Result<u64, DecodeError> {
        let b = self.take(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    fn len(&mut self) -> Result<usize, DecodeError> {
        let n = self.u64()?;
        usize::try_from(n).ok().filter(|n| *n <= self.rest.len()).ok_or(DecodeError::Length(n))
    }
    fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.len()?;
        self.take(n)
    }
    fn text(&mut self) -> Result<String, DecodeError> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| DecodeError::Name)
    }
    fn flag(&mut self) -> Result<bool, DecodeError> {
        match self.take(1)? {
            [0] => Ok(false),
            [1] => Ok(true),
            other => Err(DecodeError::Flag(other.to_vec())),
        }
    }
}

impl Kept {
    /// The binary form: a magic line with the version, then each file
    /// (name, size, bytes if read) and each problem, lengths as 64-bit
    /// little-endian integers.
    pub fn encode(&self) -> Vec<u8> {
        let total: usize = self.files.iter().map(|f| f.name.len() + f.bytes.as_ref().map_or(0, Vec::len) + 32).sum();
        let mut out = Vec::with_capacity(MAGIC.len() + total + 32);
        out.extend_from_slice(MAGIC);
        out.push(u8::from(self.single));
        out.extend_from_slice(&(self.files.len() as u64).to_le_bytes());
        for f in &self.files {
            put_bytes(&mut out, f.name.as_bytes());
            out.extend_from_slice(&f.size.to_le_bytes());
            match &f.bytes {
                Some(b) => {
                    out.push(1);
                    put_bytes(&mut out, b);
                }
                None => out.push(0),
            }
        }
        out.extend_from_slice(&(self.skipped.len() as u64).to_le_bytes());
        for p in &self.skipped {
            put_bytes(&mut out, p.file.as_bytes());
            put_bytes(&mut out, p.problem.as_bytes());
        }
        out
    }

    /// Reads [`Kept::encode`]'s form back.
    ///
    /// # Errors
    /// What is wrong with it: another version, cut short, a bad length,
    /// flag or name, bytes after the end.
    pub fn decode(bytes: &[u8]) -> Result<Kept, DecodeError> {
        let Some(body) = bytes.strip_prefix(MAGIC) else {
            return Err(DecodeError::Format);
        };
        let mut r = Reader { rest: body };
        let single = r.flag()?;
        let n = r.len()?;
        let mut files = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            let name = r.text()?;
            let size = r.u64()?;
            let bytes = if r.flag()? { Some(r.bytes()?.to_vec()) } else { None };
            files.push(KeptFile { name, size, bytes });
        }
        let n = r.len()?;
        let mut skipped = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            skipped.push(FileProblem { file: r.text()?, problem: r.text()? });
        }
        if !r.rest.is_empty() {
            return Err(DecodeError::Trailing(r.rest.len()));
        }
        Ok(Kept { single, files, skipped })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(dir: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples").join(dir)
    }

    #[test]
    fn a_folder_replays_to_the_same_host() {
        let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
        let path = example("srv-file01");
        let direct = crate::load(&path, &opts).unwrap();
        let (host, kept) = load_keeping(&path, &opts).unwrap();
        assert_eq!(host, direct);
        let back = Kept::decode(&kept.encode()).unwrap();
        assert_eq!(back, kept);
        assert_eq!(replay("srv-file01", &back, &opts).unwrap(), direct);
    }

    #[test]
    fn a_single_file_replays_and_keeps_its_name() {
        let opts = LoadOptions { lenient: true, ..LoadOptions::default() };
        let text = b"Host Name:                 SRV-ONE\r\nOS Name:                   Microsoft Windows Server 2008 Standard\r\nOS Version:                6.0.6003 Service Pack 2 Build 6003\r\n";
        let (host, kept) = load_bytes_keeping("systeminfo.txt", text, &opts).unwrap();
        assert!(kept.single);
        assert_eq!(kept.files.len(), 1);
        assert_eq!(kept.files[0].bytes.as_deref(), Some(&text[..]));
        assert_eq!(replay("systeminfo.txt", &kept, &opts).unwrap(), host);
    }

    #[test]
    fn a_damaged_form_is_refused_not_read() {
        assert!(Kept::decode(b"something else").is_err());
        let mut enc = Kept { single: false, files: Vec::new(), skipped: Vec::new() }.encode();
        enc.pop();
        assert!(Kept::decode(&enc).unwrap_err().to_string().contains("cut short"));
        let mut enc = Kept::default().encode();
        enc.push(7);
        assert!(Kept::decode(&enc).unwrap_err().to_string().contains("after the end"));
    }
}
