//! The data files the catalog is built from, embedded as they are in the
//! repository, so that every source w2k8 cites that is not a URL is a file
//! that ships inside the binary and can be opened with `w2k8 catalog source
//! REF` (issue 15: no output names a path that does not ship with the
//! binary).
//!
//! A reference is a path of [`FILES`] followed by an optional locator:
//! `:N` (line N of the file, 1-based; for a CSV its header is shown too),
//! ` §N` (section N of a Markdown file, the `## N.` heading to the next one),
//! or ` 0xHHHHHHHH` (the rows of an error table whose first cell is that
//! code). Anything after the locator is a description.
use std::borrow::Cow;
use std::io::Read;

/// One embedded file.
#[derive(Debug, Clone, Copy)]
pub struct File {
    /// Its path in the repository, as sources cite it.
    pub path: &'static str,
    /// Its bytes as stored (gzip for `.gz`).
    pub(crate) bytes: &'static [u8],
    /// What it holds.
    pub about: &'static str,
}

/// The servicing tables (also what imported WES-NG rows are compiled with).
pub(crate) static SERVICING_CSV: &[u8] = include_bytes!("../../../data/servicing/ws2008-sp2-updates.csv");
pub(crate) static SERVICING_R2_CSV: &[u8] = include_bytes!("../../../data/servicing/ws2008r2-sp1-updates.csv");

/// The embedded files, by the path sources cite them with.
pub const FILES: &[File] = &[
    File {
        path: "data/servicing/ws2008-sp2-updates.csv",
        bytes: SERVICING_CSV,
        about: "the Windows Server 2008 SP2 servicing table: rollups, security-only updates, SSUs, SHA-2, ESU preparation, with each row's sources",
    },
    File {
        path: "data/servicing/ws2008r2-sp1-updates.csv",
        bytes: SERVICING_R2_CSV,
        about: "the Windows Server 2008 R2 SP1 servicing table: rollups, security-only updates, SSUs, SHA-2, ESU preparation, SP1 and the convenience rollup, each row with its sources and their strength",
    },
    File {
        path: "data/servicing/r2-facts.md",
        bytes: include_bytes!("../../../data/servicing/r2-facts.md"),
        about: "the Windows Server 2008 R2 SP1 servicing facts behind its table and plan, each with its sources",
    },
    File {
        path: "data/servicing/facts.md",
        bytes: include_bytes!("../../../data/servicing/facts.md"),
        about: "the servicing facts behind the table and the plan, each with its sources",
    },
    File {
        path: "data/servicing/plan-checks.md",
        bytes: include_bytes!("../../../data/servicing/plan-checks.md"),
        about: "the facts behind the plan's pre-install checks",
    },
    File {
        path: "data/msrc/ws2008-msrc.csv.gz",
        bytes: include_bytes!("../../../data/msrc/ws2008-msrc.csv.gz"),
        about: "MSRC's security update rows for Windows Server 2008 and 2008 R2 (CVE, KB, product, supersedence)",
    },
    File {
        path: "data/kev/kev-microsoft.csv",
        bytes: include_bytes!("../../../data/kev/kev-microsoft.csv"),
        about: "CISA's Known Exploited Vulnerabilities catalog, Microsoft entries",
    },
    File {
        path: "data/lifecycle/lifecycle.csv",
        bytes: include_bytes!("../../../data/lifecycle/lifecycle.csv"),
        about: "lifecycle dates of Windows Server versions, with sources",
    },
    File {
        path: "data/errors/hresults.csv",
        bytes: include_bytes!("../../../data/errors/hresults.csv"),
        about: "Windows Update / CBS error codes: meaning, cause on 2008, fix, source",
    },
    File {
        path: "data/errors/sdk-codes.csv.gz",
        bytes: include_bytes!("../../../data/errors/sdk-codes.csv.gz"),
        about: "error codes and symbols from the Windows SDK headers (winerror.h, wuerror.h)",
    },
];

/// The embedded file a reference names, and the rest of the reference
/// (its locator and description).
pub fn split(reference: &str) -> Option<(&'static File, &str)> {
    let r = reference.trim();
    FILES.iter().find_map(|f| {
        let rest = r.strip_prefix(f.path)?;
        (rest.is_empty() || rest.starts_with([':', ' ', ','])).then_some((f, rest))
    })
}

/// True when `reference` names an embedded file.
pub fn is_embedded(reference: &str) -> bool {
    split(reference).is_some()
}

impl File {
    /// The file's text (gunzipped for `.gz`; invalid UTF-8 replaced).
    pub fn text(&self) -> Cow<'static, str> {
        if self.path.ends_with(".gz") {
            let mut out = Vec::new();
            let mut d = flate2::read::GzDecoder::new(self.bytes);
            if d.read_to_end(&mut out).is_err() {
                return Cow::Borrowed("");
            }
            Cow::Owned(String::from_utf8_lossy(&out).into_owned())
        } else {
            String::from_utf8_lossy(self.bytes)
        }
    }
}

/// Why a reference cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// Not a path of [`FILES`].
    #[error("`{0}` is not a file embedded in w2k8 (embedded: {1})")]
    NotEmbedded(String, String),
    /// The locator points past the file.
    #[error("`{0}`: {1}")]
    BadLocator(String, String),
}

/// The part of an embedded file that `reference` cites, as text: a line
/// (with the CSV header), a Markdown section, the rows of an error code, or
/// the whole file.
pub fn resolve(reference: &str) -> Result<String, SourceError> {
    let Some((file, rest)) = split(reference) else {
        let names: Vec<&str> = FILES.iter().map(|f| f.path).collect();
        return Err(SourceError::NotEmbedded(reference.to_string(), names.join(", ")));
    };
    let text = file.text();
    let bad = |why: String| SourceError::BadLocator(reference.to_string(), why);
    let is_csv = file.path.contains(".csv");
    let header = || text.lines().next().unwrap_or("");
    if let Some(n) = rest.strip_prefix(':') {
        let digits: String = n.chars().take_while(char::is_ascii_digit).collect();
        let line: usize = digits.parse().map_err(|_| bad("expected a line number after `:`".into()))?;
        let shown = line
            .checked_sub(1)
            .and_then(|i| text.lines().nth(i))
            .ok_or_else(|| bad(format!("{} has {} lines", file.path, text.lines().count())))?;
        return Ok(if is_csv && line > 1 {
            format!("{}:1: {}\n{}:{line}: {shown}\n", file.path, header(), file.path)
        } else {
            format!("{}:{line}: {shown}\n", file.path)
        });
    }
    let rest = rest.trim_start_matches([',', ' ']);
    if let Some(sec) = rest.strip_prefix('§') {
        let num: String = sec.chars().take_while(char::is_ascii_digit).collect();
        let head = format!("## {num}.");
        let mut out = String::new();
        let mut inside = false;
        for l in text.lines() {
            if l.starts_with("## ") {
                inside = l.starts_with(&head);
            }
            if inside {
                out.push_str(l);
                out.push('\n');
            }
        }
        return if out.is_empty() { Err(bad(format!("{} has no section {num}", file.path))) } else { Ok(out) };
    }
    if let Some(hex) = rest.strip_prefix("0x").or_else(|| rest.strip_prefix("0X")) {
        let code: String = hex.chars().take_while(char::is_ascii_hexdigit).collect();
        let rows: Vec<&str> = text
            .lines()
            .skip(1)
            .filter(|l| l.split(',').next().is_some_and(|c| c.trim_start_matches("0x").eq_ignore_ascii_case(&code)))
            .collect();
        if rows.is_empty() {
            return Err(bad(format!("{} has no row for 0x{code}", file.path)));
        }
        return Ok(format!("{}\n{}\n", header(), rows.join("\n")));
    }
    Ok(text.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_sections_and_codes_resolve() {
        let row = resolve("data/servicing/ws2008-sp2-updates.csv:30").unwrap();
        assert!(row.starts_with("data/servicing/ws2008-sp2-updates.csv:1: "), "{row}");
        assert!(row.contains("KB4474419"), "{row}");
        let sec = resolve("data/servicing/facts.md §7").unwrap();
        assert!(sec.starts_with("## 7. SHA-2"), "{sec}");
        assert!(!sec.contains("## 8."), "one section only");
        let code = resolve("data/errors/hresults.csv 0x80092004").unwrap();
        assert!(code.lines().nth(1).is_some_and(|l| l.starts_with("0x80092004,CRYPT_E_NOT_FOUND")), "{code}");
        let msrc = resolve("data/msrc/ws2008-msrc.csv.gz:2").unwrap();
        assert_eq!(msrc.lines().count(), 2, "{msrc}");
        assert!(resolve("data/kev/kev-microsoft.csv").unwrap().len() > 10_000);
    }

    #[test]
    fn unknown_references_are_errors() {
        assert!(matches!(resolve("shared/data/msrc/x.csv"), Err(SourceError::NotEmbedded(..))));
        assert!(matches!(resolve("data/servicing/facts.md §99"), Err(SourceError::BadLocator(..))));
        assert!(matches!(resolve("data/kev/kev-microsoft.csv:999999"), Err(SourceError::BadLocator(..))));
        assert!(!is_embedded("data/servicing/ws2008-sp2-updates.csvX"));
    }

    proptest::proptest! {
        #[test]
        fn any_reference_resolves_or_errs_without_panic(tail in ".{0,24}") {
            for f in FILES {
                let _ = resolve(&format!("{}{tail}", f.path));
            }
        }
    }
}
