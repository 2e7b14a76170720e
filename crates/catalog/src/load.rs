//! Decoding of the embedded blobs that `build.rs` wrote (format: `wire.rs`)
//! into the model types.
use crate::model::{Cve, Fix, Kev, OsFamily, Product, Severity, Update, UpdateKind};
use crate::wire::{self, Reader, WireError};
use std::borrow::Cow;
use w2k8_core::{Arch, CveId, Date, FileVersion, Kb};

/// The string pool at the start of each blob: all strings as one text
/// (checked as UTF-8 once) and the byte span of each.
#[derive(Debug, Default)]
pub(crate) struct StrPool<'a> {
    text: &'a str,
    spans: Vec<(u32, u32)>,
}

impl<'a> StrPool<'a> {
    fn read(r: &mut Reader<'a>) -> Result<StrPool<'a>, WireError> {
        let n = r.count()?;
        let mut spans = Vec::with_capacity(n);
        let mut at = 0u32;
        for _ in 0..n {
            let len = r.u32()?;
            let end = at.checked_add(len).ok_or_else(|| bad("a string length"))?;
            spans.push((at, end));
            at = end;
        }
        let text = r.str()?;
        if text.len() != at as usize {
            return Err(bad("string pool text of the listed lengths"));
        }
        Ok(StrPool { text, spans })
    }

    fn get(&self, i: u64) -> Result<&'a str, WireError> {
        let (a, b) =
            usize::try_from(i).ok().and_then(|i| self.spans.get(i)).copied().ok_or_else(|| bad("a string index"))?;
        self.text.get(a as usize..b as usize).ok_or_else(|| bad("a string on character boundaries"))
    }
}

fn bad(expected: &'static str) -> WireError {
    WireError { at: 0, expected }
}

fn string<'a>(pool: &StrPool<'a>, r: &mut Reader<'_>) -> Result<&'a str, WireError> {
    pool.get(r.uv()?)
}

/// 0 = none, otherwise index + 1.
fn opt_string<'a>(pool: &StrPool<'a>, r: &mut Reader<'_>) -> Result<Option<&'a str>, WireError> {
    match r.uv()? {
        0 => Ok(None),
        i => pool.get(i - 1).map(Some),
    }
}

fn kb(r: &mut Reader<'_>) -> Result<Kb, WireError> {
    Kb::new(r.u32()?).ok_or_else(|| bad("a KB number"))
}

fn kbs(r: &mut Reader<'_>) -> Result<Vec<Kb>, WireError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(kb(r)?);
    }
    Ok(v)
}

fn date(r: &mut Reader<'_>) -> Result<Option<Date>, WireError> {
    let v = r.uv()?;
    if v == 0 {
        return Ok(None);
    }
    let (y, m, d) = wire::unpack_date(v);
    let y = i32::try_from(y).map_err(|_| bad("a year"))?;
    Date::new(y, m, d).map(Some).ok_or_else(|| bad("a calendar date"))
}

fn u16s(r: &mut Reader<'_>) -> Result<Vec<u16>, WireError> {
    let n = r.count()?;
    let mut v = Vec::with_capacity(n);
    for _ in 0..n {
        v.push(r.u16()?);
    }
    Ok(v)
}

pub(crate) fn kind(code: u8) -> Result<UpdateKind, WireError> {
    Ok(match code {
        0 => UpdateKind::MonthlyRollup,
        1 => UpdateKind::SecurityOnly,
        2 => UpdateKind::Ssu,
        3 => UpdateKind::Sha2,
        4 => UpdateKind::EsuPrep,
        5 => UpdateKind::SecurityUpdate,
        6 => UpdateKind::InternetExplorer,
        7 => UpdateKind::DotNet,
        8 => UpdateKind::Other,
        9 => UpdateKind::ServicePack,
        10 => UpdateKind::ConvenienceRollup,
        _ => return Err(bad("an update kind code")),
    })
}

fn os(code: u8) -> Result<OsFamily, WireError> {
    match code {
        wire::OS_2008 => Ok(OsFamily::Ws2008),
        wire::OS_2008_R2 => Ok(OsFamily::Ws2008R2),
        _ => Err(bad("an OS code")),
    }
}

fn severity(code: u8) -> Result<Severity, WireError> {
    Ok(match code {
        0 => Severity::Unrated,
        1 => Severity::Low,
        2 => Severity::Moderate,
        3 => Severity::Important,
        4 => Severity::Critical,
        _ => return Err(bad("a severity code")),
    })
}

fn source(s: &str, line: u64) -> String {
    if line == 0 {
        return s.to_string();
    }
    // `file:line`, one per CVE: sized once, the number by `itoa`.
    let mut digits = itoa::Buffer::new();
    let digits = digits.format(line);
    let mut out = String::with_capacity(s.len() + 1 + digits.len());
    out.push_str(s);
    out.push(':');
    out.push_str(digits);
    out
}

/// An update's place in the blob, found without decoding the record.
#[derive(Debug)]
pub(crate) struct Slot {
    /// Its KB.
    pub kb: Kb,
    /// Its kind.
    pub kind: UpdateKind,
    /// Byte range of its record in the blob.
    pub start: usize,
    /// End of the record.
    pub end: usize,
    /// True for a record that an overlay supplies (not in the blob).
    pub overlay: bool,
}

/// The eagerly decoded part of the updates blob.
pub(crate) struct UpdatesIndex<'a> {
    pub pool: StrPool<'a>,
    pub products: Vec<Product>,
    /// Sorted by KB.
    pub slots: Vec<Slot>,
}

/// Decodes the string pool, the products and the update index.
pub(crate) fn updates_index(data: &[u8]) -> Result<UpdatesIndex<'_>, WireError> {
    let mut r = Reader::new(data)?;
    let pool = StrPool::read(&mut r)?;
    let n = r.count()?;
    let mut products = Vec::with_capacity(n);
    for _ in 0..n {
        let name = string(&pool, &mut r)?;
        let os = os(r.u8()?)?;
        let service_pack = r.u8()?;
        let arch = match r.u8()? {
            wire::ARCH_X86 => Arch::X86,
            wire::ARCH_X64 => Arch::X64,
            wire::ARCH_IA64 => Arch::Ia64,
            _ => return Err(bad("an architecture code")),
        };
        let server_core = r.u8()? != 0;
        let component = opt_string(&pool, &mut r)?.map(str::to_string);
        products.push(Product { os, service_pack, arch, server_core, component, name: name.to_string() });
    }
    let n = r.count()?;
    let mut slots = Vec::with_capacity(n);
    for _ in 0..n {
        let kb = kb(&mut r)?;
        let kind = kind(r.u8()?)?;
        let len = r.count()?;
        let start = r.skip(len)?;
        slots.push(Slot { kb, kind, start, end: start + len, overlay: false });
    }
    r.finish()?;
    if !slots.windows(2).all(|w| matches!(w, [a, b] if a.kb < b.kb)) {
        return Err(bad("updates sorted by KB"));
    }
    Ok(UpdatesIndex { pool, products, slots })
}

/// Decodes one update record.
pub(crate) fn update(data: &[u8], pool: &StrPool<'_>, slot: &Slot) -> Result<Update, WireError> {
    let bytes = data.get(slot.start..slot.end).ok_or_else(|| bad("a record inside the blob"))?;
    let mut r = Reader::raw(bytes);
    let released = date(&mut r)?;
    let title = opt_string(pool, &mut r)?.map(str::to_string);
    let supersedes = kbs(&mut r)?;
    let requires = kbs(&mut r)?;
    let kernel = match r.u8()? {
        0 => None,
        _ => Some(FileVersion::new(r.u16()?, r.u16()?, r.u16()?, r.u16()?)),
    };
    let count = r.count()?;
    let mut notes = Vec::with_capacity(count);
    for _ in 0..count {
        notes.push(string(pool, &mut r)?.to_string());
    }
    let count = r.count()?;
    let mut sources = Vec::with_capacity(count);
    for _ in 0..count {
        sources.push(string(pool, &mut r)?.to_string());
    }
    let count = r.count()?;
    let mut oses = Vec::with_capacity(count);
    for _ in 0..count {
        oses.push(os(r.u8()?)?);
    }
    let products = u16s(&mut r)?;
    r.finish()?;
    Ok(Update {
        kb: slot.kb,
        released,
        kind: slot.kind,
        title,
        supersedes,
        requires,
        kernel,
        notes,
        sources,
        os: oses,
        products,
    })
}

/// Appends what the update of `slot` supersedes to `out`, read from the
/// head of its record (release day, title, supersedes) alone.
pub(crate) fn push_supersedes(data: &[u8], slot: &Slot, out: &mut Vec<Kb>) -> Result<(), WireError> {
    let bytes = data.get(slot.start..slot.end).ok_or_else(|| bad("a record inside the blob"))?;
    let mut r = Reader::raw(bytes);
    let _released = r.uv()?;
    let _title = r.uv()?;
    let n = r.count()?;
    out.reserve(n);
    for _ in 0..n {
        out.push(kb(&mut r)?);
    }
    Ok(())
}

/// CVEs (sorted by id, with their ids apart for searching) and KEV entries.
pub(crate) type CveBlob = (Vec<Cve>, Vec<CveId>, Vec<Kev>);

/// Decodes the CVE blob.
pub(crate) fn cves(data: &'static [u8]) -> Result<CveBlob, WireError> {
    cves_with(data, Cow::Borrowed)
}

/// [`cves`] of a blob that is not kept (an import's): every text copied.
pub(crate) fn cves_owned(data: &[u8]) -> Result<CveBlob, WireError> {
    cves_with(data, |s| Cow::Owned(s.to_string()))
}

/// The CVE table of `data`, its texts made by `text`: borrowed from an
/// embedded blob, copied from any other.
fn cves_with<'a>(data: &'a [u8], text: fn(&'a str) -> Cow<'static, str>) -> Result<CveBlob, WireError> {
    let mut r = Reader::new(data)?;
    let pool = StrPool::read(&mut r)?;
    let msrc_file = string(&pool, &mut r)?;
    let kev_file = string(&pool, &mut r)?;
    let _empty = string(&pool, &mut r)?;
    let blob = CveBlobReader { pool, msrc_file, kev_file, text };
    let n = r.count()?;
    let mut kev = Vec::with_capacity(n);
    for _ in 0..n {
        kev.push(blob.kev(&mut r)?);
    }
    let n = r.count()?;
    let mut cves = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    // Each CVE's fixes are gathered here, then copied out at their exact
    // size (no growth and no shrink of every CVE's own list).
    let mut scratch: Vec<Fix> = Vec::new();
    for _ in 0..n {
        let id = cve_id(&mut r)?;
        ids.push(id);
        cves.push(blob.cve(id, &mut r, &kev, &mut scratch)?);
    }
    r.finish()?;
    if !ids.windows(2).all(|w| matches!(w, [a, b] if a < b)) {
        return Err(bad("CVEs sorted by year and number"));
    }
    Ok((cves, ids, kev))
}

/// A vulnerability id as the blob writes it: year (0 for an MSRC
/// advisory), then number.
fn cve_id(r: &mut Reader<'_>) -> Result<CveId, WireError> {
    let (year, number) = (r.u32()?, r.u32()?);
    match year {
        0 => CveId::advisory(number),
        y => u16::try_from(y).ok().and_then(|y| CveId::cve(y, number)),
    }
    .ok_or_else(|| bad("a CVE id"))
}

/// What every record of the CVE blob is decoded against: its string pool
/// and the two source files its records cite.
struct CveBlobReader<'a> {
    pool: StrPool<'a>,
    msrc_file: &'a str,
    kev_file: &'a str,
    /// A record's text as the catalog keeps it (borrowed or copied).
    text: fn(&'a str) -> Cow<'static, str>,
}

impl<'a> CveBlobReader<'a> {
    /// One KEV entry.
    fn kev(&self, r: &mut Reader<'_>) -> Result<Kev, WireError> {
        let pool = &self.pool;
        let cve = cve_id(r)?;
        let vendor = string(pool, r)?.to_string();
        let product = string(pool, r)?.to_string();
        let name = string(pool, r)?.to_string();
        let date_added = date(r)?.ok_or_else(|| bad("a KEV dateAdded"))?;
        let due_date = date(r)?;
        let ransomware = r.u8()? != 0;
        let source = source(self.kev_file, r.uv()?);
        Ok(Kev { cve, vendor, product, date_added, due_date, name, ransomware, source })
    }

    /// The record of CVE `id` (read before it); `kev` is the decoded KEV table
    /// it may point into, `scratch` the reused buffer of its fixes.
    fn cve(&self, id: CveId, r: &mut Reader<'_>, kev: &[Kev], scratch: &mut Vec<Fix>) -> Result<Cve, WireError> {
        let pool = &self.pool;
        let title = (self.text)(string(pool, r)?);
        let component = (self.text)(string(pool, r)?);
        let severity = severity(r.u8()?)?;
        let impact = (self.text)(string(pool, r)?);
        let count = r.count()?;
        let mut exploits = Vec::with_capacity(count);
        for _ in 0..count {
            exploits.push(string(pool, r)?.to_string());
        }
        let kev_entry = match r.uv()? {
            0 => None,
            i => Some(usize::try_from(i - 1).ok().and_then(|i| kev.get(i)).cloned().ok_or_else(|| bad("a KEV index"))?),
        };
        let mut sources = vec![source(self.msrc_file, r.uv()?)];
        if let Some(k) = &kev_entry {
            sources.push(k.source.clone());
        }
        let fixes = fixes(r, scratch)?;
        let affected = u16s(r)?;
        Ok(Cve {
            id,
            title,
            component,
            severity,
            impact,
            exploits,
            kev: kev_entry.map(Box::new),
            fixes,
            sources,
            affected,
        })
    }
}

/// A CVE's fix groups (KB, posted date, products), flattened into one fix
/// per product: gathered in `scratch`, then copied out at their exact size.
fn fixes(r: &mut Reader<'_>, scratch: &mut Vec<Fix>) -> Result<Vec<Fix>, WireError> {
    let groups = r.count()?;
    scratch.clear();
    for _ in 0..groups {
        let kb = kb(r)?;
        let posted = date(r)?;
        // The products straight into the fixes: no list per group.
        let n = r.count()?;
        for _ in 0..n {
            scratch.push(Fix { kb, product: r.u16()?, posted });
        }
    }
    Ok(scratch.as_slice().to_vec())
}
