//! Sources in text answers: each printed once, at the end, numbered, and
//! cited by number where it is used (`[2]`).
//!
//! Every source is one of (issue 15, "followable sources only"):
//! - a URL;
//! - `owner/repo@commit:path`, a file of a public repository at a commit;
//! - a file embedded in w2k8 ([`w2k8_catalog::embedded`]), e.g.
//!   `data/servicing/ws2008-sp2-updates.csv:30`: `w2k8 catalog source REF`
//!   prints it;
//! - anything else (e.g. "public copy, location not recorded") is printed as
//!   `unconfirmed: ...`: it cannot be followed, and the answer says so.
use std::fmt::Write as _;

/// What kind of source a reference is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `http://` or `https://`.
    Url,
    /// `owner/repo@commit:path`.
    Repository,
    /// A file that ships inside the binary.
    Embedded,
    /// Anything else: not followable.
    Unconfirmed,
}

/// Classifies one source reference.
pub fn kind(s: &str) -> Kind {
    let s = s.trim();
    if s.starts_with("https://") || s.starts_with("http://") {
        return Kind::Url;
    }
    if w2k8_catalog::embedded::is_embedded(s) {
        return Kind::Embedded;
    }
    if is_repository(s) {
        return Kind::Repository;
    }
    Kind::Unconfirmed
}

/// `owner/repo@commit:path` with a hex commit of at least 7 digits.
fn is_repository(s: &str) -> bool {
    let Some((repo, rest)) = s.split_once('@') else { return false };
    let Some((commit, path)) = rest.split_once(':') else { return false };
    let mut parts = repo.split('/');
    let (Some(owner), Some(name), None) = (parts.next(), parts.next(), parts.next()) else { return false };
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    word(owner)
        && word(name)
        && commit.len() >= 7
        && commit.chars().all(|c| c.is_ascii_hexdigit())
        && !path.trim().is_empty()
}

/// The numbered sources of one answer.
#[derive(Debug, Default)]
pub struct Refs {
    list: Vec<String>,
}

impl Refs {
    /// An empty list.
    pub fn new() -> Refs {
        Refs::default()
    }

    /// The number of `source` (1-based), adding it the first time.
    pub fn cite(&mut self, source: &str) -> usize {
        let s = source.trim();
        match self.list.iter().position(|x| x == s) {
            Some(i) => i + 1,
            None => {
                self.list.push(s.to_string());
                self.list.len()
            }
        }
    }

    /// `[1][4]` for `sources` (empty text for none).
    pub fn cite_all<S: AsRef<str>>(&mut self, sources: &[S]) -> String {
        let mut out = String::new();
        for s in sources {
            let n = self.cite(s.as_ref());
            let _ = write!(out, "[{n}]");
        }
        out
    }

    /// True when nothing was cited.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The list: `Sources`, one numbered line each, and how to open the
    /// embedded ones (nothing when nothing was cited).
    pub fn render(&self) -> String {
        if self.list.is_empty() {
            return String::new();
        }
        let mut out = String::from("\nSources\n");
        let width = self.list.len().to_string().len();
        let mut embedded = false;
        for (i, s) in self.list.iter().enumerate() {
            let shown = match kind(s) {
                Kind::Unconfirmed => format!("unconfirmed: {s}"),
                Kind::Embedded => {
                    embedded = true;
                    s.clone()
                }
                Kind::Url | Kind::Repository => s.clone(),
            };
            let _ = writeln!(out, "  [{:>width$}] {shown}", i + 1);
        }
        if embedded {
            out.push_str(
                "  (data/... files ship inside w2k8: `w2k8 catalog source 'REF'` prints the line or section cited)\n",
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds() {
        assert_eq!(kind("https://support.microsoft.com/help/4472027/"), Kind::Url);
        assert_eq!(kind("data/servicing/ws2008-sp2-updates.csv:30"), Kind::Embedded);
        assert_eq!(kind("data/servicing/facts.md §7"), Kind::Embedded);
        assert_eq!(
            kind("AmrouKourchid/nessus_plugins@575ad1f93ccc89f3008f41d5e467b31a032617c3:smb_rollup_data.static"),
            Kind::Repository
        );
        assert_eq!(kind("public copy (location not recorded)"), Kind::Unconfirmed);
        assert_eq!(kind("shared/data/msrc/ws2008-msrc-20260628.csv.gz"), Kind::Unconfirmed);
        assert_eq!(kind("id 35959591476"), Kind::Unconfirmed);
        assert_eq!(kind("a/b@zzzzzzz:x"), Kind::Unconfirmed, "a commit is hex");
    }

    #[test]
    fn each_source_once_numbered() {
        let mut r = Refs::new();
        assert_eq!(r.cite_all(&["https://a.example/", "data/kev/kev-microsoft.csv:2"]), "[1][2]");
        assert_eq!(r.cite_all(&["https://a.example/", "public copy (location not recorded)"]), "[1][3]");
        let text = r.render();
        assert_eq!(text.matches("https://a.example/").count(), 1);
        assert!(text.contains("[3] unconfirmed: public copy (location not recorded)"), "{text}");
        assert!(text.contains("w2k8 catalog source"), "{text}");
    }
}
