//! A listing of `%windir%\servicing\Packages` (`dir /b`, or plain `dir`):
//! one Component Based Servicing package per `.mum` manifest, e.g.
//! `Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3.mum`, each next to
//! its `.cat` catalog. Every package with a `.mum` becomes a [`CbsPackage`]
//! (the `.mum` line is its evidence); a `.cat` without its `.mum` is only
//! counted in a note. This is how the Legacy Update installer decides whether
//! a package such as KB4493730 is present (see `docs/DOMAIN.md` of the
//! research notes).
//!
//! The identity parser `package_from_identity` is shared with the
//! registry reader (`reg query` of the CBS `Packages` key).
use crate::{CbsPackage, Facts, ParseError};
use std::collections::BTreeMap;
use w2k8_core::{Evidence, Kb};

/// The public key token of Microsoft's own packages.
const MS_TOKEN: &str = "~31bf3856ad364e35~";

/// Whether `text` is mostly a list of package manifests: more than half of
/// its non-empty lines (and at least one) name a
/// `...~31bf3856ad364e35~....mum` or `.cat` file.
pub fn sniff(text: &str) -> bool {
    let mut total = 0usize;
    let mut hits = 0usize;
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()).take(2000) {
        total += 1;
        if let Some((_, ext)) = package_file(line) {
            if ext.is_some() && line.to_ascii_lowercase().contains(MS_TOKEN) {
                hits += 1;
            }
        }
    }
    hits > 0 && hits * 2 > total
}

/// Parses a `servicing\Packages` listing read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut mums: BTreeMap<String, CbsPackage> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut cats: BTreeMap<String, u32> = BTreeMap::new();
    let mut other = 0usize;
    for (n, line) in super::qfe::lines(text) {
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        match package_file(t) {
            Some((identity, Some(Ext::Mum))) => {
                let key = identity.to_ascii_lowercase();
                if let std::collections::btree_map::Entry::Vacant(e) = mums.entry(key.clone()) {
                    order.push(key);
                    e.insert(package_from_identity(identity, file, n));
                }
            }
            Some((identity, Some(Ext::Cat))) => {
                cats.entry(identity.to_ascii_lowercase()).or_insert(n);
            }
            _ => other += 1,
        }
    }
    if mums.is_empty() && cats.is_empty() {
        return Err(ParseError::new(
            file,
            text.lines().position(|l| !l.trim().is_empty()).and_then(|i| u32::try_from(i + 1).ok()),
            "a `dir /b %windir%\\servicing\\Packages` listing (lines like `Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3.mum`)",
        ));
    }
    let mut facts = Facts::default();
    let cat_only = cats.keys().filter(|k| !mums.contains_key(*k)).count();
    facts.packages = order.iter().filter_map(|k| mums.remove(k)).collect();
    if cat_only > 0 {
        facts.notes.push(format!("{cat_only} package catalog(s) (.cat) without a manifest (.mum) were not counted"));
    }
    if other > 0 {
        facts.notes.push(format!("{other} line(s) that name no package file were skipped"));
    }
    Ok(facts)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ext {
    Mum,
    Cat,
}

/// The package identity named on a listing line (its last word, so that
/// plain `dir` lines with a date and size work too), and its extension.
fn package_file(line: &str) -> Option<(&str, Option<Ext>)> {
    let word = line.split_whitespace().last()?;
    if !word.contains('~') {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let (ext, cut) = if lower.ends_with(".mum") {
        (Some(Ext::Mum), 4)
    } else if lower.ends_with(".cat") {
        (Some(Ext::Cat), 4)
    } else {
        (None, 0)
    };
    word.get(..word.len() - cut).map(|id| (id, ext))
}

/// Reads a package identity, `name~publickeytoken~arch~language~version`
/// (e.g. `Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3`), seen at
/// `file:line`. The KB comes from the name (`Package_for_KB4493730`,
/// `Package_1_for_KB948465`); names without one (`Package_for_RollupFix`,
/// feature packages) have none.
pub(crate) fn package_from_identity(identity: &str, file: &str, line: u32) -> CbsPackage {
    let mut parts = identity.split('~');
    let name = parts.next().unwrap_or("").to_string();
    let _token = parts.next();
    let arch = parts.next().filter(|a| !a.is_empty()).map(str::to_string);
    let _lang = parts.next();
    let version = parts.next().filter(|v| !v.is_empty()).map(str::to_string);
    let kb = kb_in_name(&name);
    CbsPackage {
        identity: identity.to_string(),
        kb,
        arch,
        version,
        current_state: None,
        evidence: Evidence::new(format!("package {identity}"), file, Some(line)),
        name,
    }
}

/// The KB in a package name: `KB` (any case) at the start or after `_`,
/// followed by 4 to 8 digits and then the end or a non-digit.
fn kb_in_name(name: &str) -> Option<Kb> {
    let bytes = name.as_bytes();
    let mut i = 0;
    while i + 2 <= bytes.len() {
        let at_boundary = i == 0 || bytes.get(i - 1) == Some(&b'_');
        if at_boundary && bytes.get(i..i + 2).is_some_and(|p| p.eq_ignore_ascii_case(b"KB")) {
            let digits = bytes.get(i + 2..).unwrap_or(&[]).iter().take_while(|b| b.is_ascii_digit()).count();
            if (4..=8).contains(&digits) {
                let s = name.get(i + 2..i + 2 + digits)?;
                return s.parse().ok().and_then(Kb::new);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identities() {
        let p = package_from_identity("Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3", "d.txt", 4);
        assert_eq!(p.name, "Package_for_KB4493730");
        assert_eq!(p.kb, Kb::new(4493730));
        assert_eq!(p.arch.as_deref(), Some("amd64"));
        assert_eq!(p.version.as_deref(), Some("6.0.1.3"));
        assert_eq!(p.evidence.line, Some(4));
        let p = package_from_identity("Package_1_for_KB948465~31bf3856ad364e35~x86~~6.0.6002.18005", "d", 1);
        assert_eq!(p.kb, Kb::new(948465));
        let p = package_from_identity("Package_for_RollupFix~31bf3856ad364e35~amd64~~6.0.1.0", "d", 1);
        assert_eq!(p.kb, None);
        let p = package_from_identity("Microsoft-Windows-Foundation-Package~31bf3856ad364e35~amd64~~", "d", 1);
        assert_eq!((p.kb, p.version), (None, None));
        let p = package_from_identity("weird", "d", 1);
        assert_eq!((p.name.as_str(), p.arch), ("weird", None));
        assert_eq!(kb_in_name("Package_for_KB2510531_IE8"), Kb::new(2510531));
        assert_eq!(kb_in_name("WUClient-SelfUpdate-ActiveX"), None);
    }

    #[test]
    fn mum_cat_pairs() {
        let text = "Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3.cat\r\nPackage_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3.mum\r\nPackage_for_KB4474419~31bf3856ad364e35~amd64~~6.0.1.4.cat\r\n";
        assert!(sniff(text));
        let f = parse(text, "p.txt").unwrap_or_default();
        assert_eq!(f.packages.len(), 1);
        assert_eq!(f.packages.first().map(|p| p.evidence.line), Some(Some(2)));
        assert_eq!(f.notes.len(), 1);
    }

    #[test]
    fn not_a_listing() {
        assert!(!sniff("Host Name: SRV1\r\n"));
        assert!(!sniff("HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Component Based Servicing\\Packages\\Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3\r\n"));
        assert!(parse("nothing here\r\n", "x").is_err());
    }
}
