//! Which Windows wrote a log: the versions its lines show, weighed.
//!
//! NT builds (from Microsoft's release numbering): 6000-6003 are Windows
//! Vista / Server 2008 (NT 6.0, RTM to SP2), 7600-7601 Windows 7 / Server
//! 2008 R2 (NT 6.1), 9200 Windows 8 / Server 2012 (NT 6.2), 9600 Windows 8.1
//! / Server 2012 R2 (NT 6.3), 10240 and later Windows 10 / Server 2016 and
//! later (NT 10.0). CBS numbers package versions after the NT version
//! (`Package_for_KB3172605~31bf3856ad364e35~amd64~~6.1.1.4` is an NT 6.1
//! package). A Windows Update Agent build whose third field is an NT build
//! and whose fourth is a servicing revision (16384 or more, e.g.
//! `7.6.7601.23453`, `7.3.7600.16385`) is the in-box agent of that Windows;
//! the standalone agents (`7.6.7600.256`, revision below 16384) install on
//! several Windows versions and tell nothing.
use crate::event::VersionSource;

/// The NT version of an NT build number.
pub fn nt_of_build(build: u32) -> Option<(u32, u32)> {
    match build {
        6000..=6003 => Some((6, 0)),
        7600..=7601 => Some((6, 1)),
        9200 => Some((6, 2)),
        9600 => Some((6, 3)),
        10240..=30000 => Some((10, 0)),
        _ => None,
    }
}

/// The Windows releases of an NT version.
pub fn windows_of_nt(major: u32, minor: u32) -> &'static str {
    match (major, minor) {
        (6, 0) => "NT 6.0 (Windows Server 2008 / Vista)",
        (6, 1) => "NT 6.1 (Windows Server 2008 R2 / Windows 7)",
        (6, 2) => "NT 6.2 (Windows Server 2012 / Windows 8)",
        (6, 3) => "NT 6.3 (Windows Server 2012 R2 / Windows 8.1)",
        (10, _) => "NT 10.0 (Windows Server 2016 or later / Windows 10 or later)",
        _ => "an unknown Windows version",
    }
}

/// The numeric fields of a dotted version (`6.1.7601.1.0.65792` -> 6 fields).
fn fields(v: &str) -> Vec<u32> {
    v.split('.').map_while(|p| p.parse::<u32>().ok()).collect()
}

/// Searchers for the starts of an NT version with a build (`6.1.7601...`).
fn build_needles() -> [&'static memchr::memmem::Finder<'static>; 6] {
    use crate::hresult::finder;
    [
        finder!(b"6.0.600"),
        finder!(b"6.1.760"),
        finder!(b"6.2.9200"),
        finder!(b"6.3.9600"),
        finder!(b"10.0.1"),
        finder!(b"10.0.2"),
    ]
}

/// The first version in the text whose major.minor.build is a known NT
/// build, e.g. `6.1.7601.22843` in a component name or `x64/10.0.22631.3447`
/// in a path; the slice of the text holding it.
pub fn scan_build(text: &str) -> Option<&str> {
    let b = text.as_bytes();
    let mut best: Option<(usize, usize)> = None;
    for n in build_needles() {
        for at in n.find_iter(b) {
            if best.is_some_and(|(s, _)| s <= at) {
                break;
            }
            if at > 0 && b.get(at - 1).is_some_and(|c| c.is_ascii_digit() || *c == b'.') {
                continue;
            }
            let len = b.get(at..).unwrap_or_default().iter().take_while(|c| c.is_ascii_digit() || **c == b'.').count();
            let v = text.get(at..at + len).unwrap_or_default().trim_end_matches('.');
            let f = fields(v);
            if let [major, minor, build, ..] = f.as_slice() {
                if nt_of_build(*build) == Some((*major, *minor)) {
                    best = Some((at, v.len()));
                    break;
                }
            }
        }
    }
    best.and_then(|(at, len)| text.get(at..at + len))
}

/// The NT version a title names, when it names exactly one family
/// (`... on Windows Vista SP2 and Server 2008 SP2 (KB4014984)` -> 6.0).
pub fn nt_of_title(title: &str) -> Option<(u32, u32)> {
    let mut found: Vec<(u32, u32)> = Vec::new();
    let mut add = |nt: (u32, u32)| {
        if !found.contains(&nt) {
            found.push(nt);
        }
    };
    let has = |s: &str| title.contains(s);
    let r2 = |year: &str| {
        title.match_indices(year).any(|(i, _)| title.get(i + year.len()..).is_some_and(|r| r.starts_with(" R2")))
    };
    let plain = |year: &str| {
        title.match_indices(year).any(|(i, _)| !title.get(i + year.len()..).is_some_and(|r| r.starts_with(" R2")))
    };
    if has("Vista") || plain("Server 2008") {
        add((6, 0));
    }
    if has("Windows 7") || r2("Server 2008") || r2("2008") {
        add((6, 1));
    }
    // Lists such as `Windows 7, 8, 8.1, 10 and Windows Server 2008 R2, 2012`.
    let listed = |n: &str| {
        title.match_indices(n).any(|(i, _)| !title.get(i + n.len()..).is_some_and(|r| r.starts_with(['.', '0'])))
    };
    if plain("2012")
        || listed(", 8")
        || title.match_indices("Windows 8").any(|(i, _)| !title.get(i + 9..).is_some_and(|r| r.starts_with(".1")))
    {
        add((6, 2));
    }
    if listed(", 10") {
        add((10, 0));
    }
    if has("Windows 8.1") || r2("Server 2012") {
        add((6, 3));
    }
    if has("Windows 10") || has("Windows 11") || has("Server 2016") || has("Server 2019") || has("Server 2022") {
        add((10, 0));
    }
    match found.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// What one line says about the Windows version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// NT major and minor.
    pub nt: (u32, u32),
    /// `major.minor.build`, where the line gives a build.
    pub version: Option<String>,
    /// What kind of line.
    pub source: VersionSource,
    /// The line.
    pub line: u64,
}

/// Reads one version line as [`crate::event::Sink::version`] gets it.
pub fn interpret(line: u64, source: VersionSource, text: &str) -> Option<Seen> {
    let seen = |nt, version| Some(Seen { nt, version, source, line });
    match source {
        VersionSource::Title => seen(nt_of_title(text)?, None),
        VersionSource::Agent | VersionSource::AgentOther => match fields(text).as_slice() {
            [_, _, build, rev, ..] if *rev >= 16384 => seen(nt_of_build(*build)?, None),
            _ => None,
        },
        VersionSource::Package => match fields(text).as_slice() {
            [major @ (6 | 10), minor, build, ..] => {
                let nt = (*major, *minor);
                match nt_of_build(*build) {
                    Some(b) if b == nt => seen(nt, Some(format!("{major}.{minor}.{build}"))),
                    _ => seen(nt, None),
                }
            }
            _ => None,
        },
        VersionSource::OsVersion => match fields(text).as_slice() {
            [major, minor, build, ..] if *major >= 5 => {
                seen((*major, *minor), Some(format!("{major}.{minor}.{build}")))
            }
            _ => None,
        },
        VersionSource::ServicingStack | VersionSource::ToolBuild | VersionSource::Build => {
            match fields(text).as_slice() {
                [major, minor, build, ..] if nt_of_build(*build) == Some((*major, *minor)) => {
                    seen((*major, *minor), Some(format!("{major}.{minor}.{build}")))
                }
                [major @ (6 | 10), minor, build, ..] if source == VersionSource::ServicingStack => {
                    seen((*major, *minor), Some(format!("{major}.{minor}.{build}")))
                }
                _ => None,
            }
        }
    }
}

/// The evidence one log gave, kept as it streams by.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// The strongest line (highest [`VersionSource`], first seen on ties).
    pub best: Option<Seen>,
    /// The strongest line that gives a build.
    pub best_build: Option<Seen>,
    /// The last Windows Update Agent version of the service.
    pub agent: Option<String>,
}

impl Evidence {
    /// Takes one version line.
    pub fn add(&mut self, line: u64, source: VersionSource, text: &str) {
        if source == VersionSource::Agent {
            let v: String = text.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
            if fields(&v).len() >= 4 {
                self.agent = Some(v);
            }
        }
        let Some(seen) = interpret(line, source, text) else { return };
        if seen.version.is_some() && self.best_build.as_ref().is_none_or(|b| seen.source > b.source) {
            self.best_build = Some(seen.clone());
        }
        if self.best.as_ref().is_none_or(|b| seen.source > b.source) {
            self.best = Some(seen);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_in_text() {
        assert_eq!(
            scan_build("Component: x86_foo_31bf3856ad364e35_0.0.0.0_cs-cz_45 (6.1.7601.22843), elevation:2"),
            Some("6.1.7601.22843")
        );
        assert_eq!(scan_build("path used: /SLS/{X}/x64/10.0.22631.3447/0?CH=726"), Some("10.0.22631.3447"));
        assert_eq!(scan_build("address 10.0.0.5 and 16.1.7601.1"), None);
        assert_eq!(scan_build("Version = 6.1.7601.23505, pA = PROCESSOR_ARCHITECTURE_AMD64"), Some("6.1.7601.23505"));
        assert_eq!(scan_build("no version"), None);
    }

    #[test]
    fn lines_read() {
        let i = |s, t| interpret(1, s, t).map(|x| (x.nt, x.version));
        assert_eq!(i(VersionSource::OsVersion, "6.0.6002.2.0.66304"), Some(((6, 0), Some("6.0.6002".into()))));
        assert_eq!(i(VersionSource::Package, "6.1.1.4"), Some(((6, 1), None)));
        assert_eq!(i(VersionSource::Package, "6.2.9200.16384"), Some(((6, 2), Some("6.2.9200".into()))));
        assert_eq!(i(VersionSource::Agent, "7.6.7600.256"), None);
        assert_eq!(i(VersionSource::Agent, "7.6.7601.23453"), Some(((6, 1), None)));
        assert_eq!(i(VersionSource::AgentOther, "7.3.7600.16385"), Some(((6, 1), None)));
        assert_eq!(
            i(VersionSource::Title, "April, 2017 Security and Quality Rollup for .NET Framework 2.0, 3.0, 4.5.2, 4.6 on Windows Vista SP2 and Server 2008 SP2 (KB4014984)"),
            Some(((6, 0), None))
        );
        assert_eq!(
            i(VersionSource::Title, "Security Update for Windows Server 2008 R2 x64 Edition (KB3003743)"),
            Some(((6, 1), None))
        );
        assert_eq!(
            i(
                VersionSource::Title,
                "Malicious Software Removal Tool for Windows 7, 8, 8.1, 10 and Windows Server 2008 R2, 2012"
            ),
            None
        );
        assert_eq!(i(VersionSource::ServicingStack, "6.3.9600.17246"), Some(((6, 3), Some("6.3.9600".into()))));
    }

    #[test]
    fn strongest_wins() {
        let mut e = Evidence::default();
        e.add(1, VersionSource::Package, "6.1.1.1");
        e.add(2, VersionSource::Build, "6.1.7601.22843");
        e.add(3, VersionSource::Agent, "7.6.7600.256");
        assert_eq!(e.best.as_ref().map(|b| b.source), Some(VersionSource::Build));
        assert_eq!(e.best_build.as_ref().and_then(|b| b.version.clone()).as_deref(), Some("6.1.7601"));
        assert_eq!(e.agent.as_deref(), Some("7.6.7600.256"));
    }
}
