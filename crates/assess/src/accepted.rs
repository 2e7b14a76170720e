//! Accepted risks on an assessment, and the gate that decides `assess`'s
//! exit code (issue 19).
//!
//! [`apply`] marks each finding a live [`Acceptance`] covers as
//! `accepted` and each one an expired acceptance covered as
//! `accepted_expired`; nothing is removed and no count is lowered: the
//! summary says how many are accepted beside the counts. An update is
//! covered by an acceptance of its KB; an open CVE by an acceptance of its
//! id, or when every missing update that would close it is accepted (its
//! `target` then names the KB).
//!
//! [`gate`] counts what decides exit code 1 under `--fail-on` and
//! `--ignore-unfixed`: accepted findings never count.
use crate::assessment::{Assessment, FixStatus};
use serde::Serialize;
use w2k8_catalog::Severity;
use w2k8_core::accept::{Acceptance, Target};
use w2k8_core::{CveId, Date};

/// An acceptance as a finding shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AcceptedRef {
    /// What the acceptance names: the CVE, or the KB through which a CVE is accepted.
    pub target: String,
    /// Why the risk is accepted.
    pub reason: String,
    /// Who accepted it; null when not given.
    pub owner: Option<String>,
    /// Its last day (inclusive).
    pub until: Date,
    /// Where it is written: `w2k8.toml:12` or `db:#7`.
    pub source: String,
}

impl AcceptedRef {
    fn of(a: &Acceptance) -> AcceptedRef {
        AcceptedRef {
            target: a.target.to_string(),
            reason: a.reason.clone(),
            owner: a.owner.clone(),
            until: a.until,
            source: a.source.clone(),
        }
    }
}

/// The live acceptance with the latest end and the expired one with the
/// latest end among `found` (a live one makes the expired one moot).
fn pick<'a>(found: impl Iterator<Item = &'a Acceptance>, today: Date) -> (Option<AcceptedRef>, Option<AcceptedRef>) {
    let mut live: Option<&Acceptance> = None;
    let mut expired: Option<&Acceptance> = None;
    for a in found {
        let slot = if a.is_live(today) { &mut live } else { &mut expired };
        if slot.is_none_or(|b| a.until > b.until) {
            *slot = Some(a);
        }
    }
    match live {
        Some(l) => (Some(AcceptedRef::of(l)), None),
        None => (None, expired.map(AcceptedRef::of)),
    }
}

/// Marks the findings of `a` that `acceptances` cover on this host (by its
/// name; a bundle without one is matched as the empty name, which only `*`
/// matches) as of `today`, and counts them in the summary.
pub fn apply(a: &mut Assessment, acceptances: &[Acceptance], today: Date) {
    let host = a.standing.host.clone().unwrap_or_default();
    let here: Vec<&Acceptance> = acceptances.iter().filter(|x| x.covers_host(&host)).collect();
    for m in &mut a.missing {
        let (live, expired) = pick(here.iter().copied().filter(|x| x.target == Target::Kb(m.kb)), today);
        m.accepted = live;
        m.accepted_expired = expired;
    }
    if here.is_empty() {
        // Nothing accepted for this host: every finding stays open (and a
        // host with thousands of open CVEs is not walked for nothing).
        for e in &mut a.exposure {
            (e.accepted, e.accepted_expired) = (None, None);
        }
        recount(a);
        return;
    }
    // The missing updates that close each CVE, looked up once.
    let mut closing: std::collections::HashMap<CveId, Vec<usize>> = std::collections::HashMap::new();
    for (i, m) in a.missing.iter().enumerate() {
        for &c in &m.cves {
            closing.entry(c).or_default().push(i);
        }
    }
    for e in &mut a.exposure {
        let direct = pick(here.iter().copied().filter(|x| matches!(x.target, Target::Cve(c) if c == e.cve)), today);
        let closers: Vec<&crate::Missing> =
            closing.get(&e.cve).into_iter().flatten().filter_map(|i| a.missing.get(*i)).collect();
        let via_kb = if closers.is_empty() {
            (None, None)
        } else if closers.iter().all(|m| m.accepted.is_some()) {
            (closers.iter().filter_map(|m| m.accepted.clone()).max_by_key(|r| r.until), None)
        } else if closers.iter().all(|m| m.accepted.is_some() || m.accepted_expired.is_some()) {
            (None, closers.iter().filter_map(|m| m.accepted_expired.clone()).max_by_key(|r| r.until))
        } else {
            (None, None)
        };
        let (accepted, expired) = match (direct, via_kb) {
            ((Some(l), _), _) => (Some(l), None),
            (_, (Some(l), _)) => (Some(l), None),
            ((None, x), (None, y)) => (None, x.or(y)),
        };
        (e.accepted, e.accepted_expired) = (accepted.map(Box::new), expired.map(Box::new));
    }
    recount(a);
}

/// Recounts the summary's accepted counts.
pub(crate) fn recount(a: &mut Assessment) {
    a.summary.accepted_cves = a.exposure.iter().filter(|e| e.accepted.is_some()).count();
    a.summary.accepted_missing = a.missing.iter().filter(|m| m.accepted.is_some()).count();
    a.summary.accepted_expired = a.exposure.iter().filter(|e| e.accepted_expired.is_some()).count()
        + a.missing.iter().filter(|m| m.accepted_expired.is_some()).count();
}

/// `--fail-on`: which findings make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FailOn {
    /// An open CVE in CISA KEV.
    Kev,
    /// An open CVE rated Critical by MSRC, or in CISA KEV.
    Critical,
    /// Anything: a missing update, an open CVE, or a blocking finding (the default).
    Any,
    /// Nothing: exit 0 whatever is found.
    None,
}

/// What decided the exit code: the JSON output's `gate`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gate {
    /// `--fail-on`.
    pub fail_on: FailOn,
    /// `--ignore-unfixed`.
    pub ignore_unfixed: bool,
    /// Open CVEs that count under `fail_on` (not accepted, not ignored).
    pub counted_cves: usize,
    /// Missing updates that count (`any` only; not accepted).
    pub counted_missing: usize,
    /// Blocking findings that count (`any` only).
    pub counted_blocking: usize,
    /// Open CVEs left out because a live acceptance covers them.
    pub accepted: usize,
    /// Open CVEs left out by `--ignore-unfixed` (no fix available to the
    /// host's programme; still listed in `exposure`).
    pub ignored_unfixed: usize,
    /// True when something counts: exit code 1.
    pub fails: bool,
}

/// Counts what decides the exit code of `a` under `fail_on` and
/// `ignore_unfixed`.
pub fn gate(a: &Assessment, fail_on: FailOn, ignore_unfixed: bool) -> Gate {
    let mut g = Gate {
        fail_on,
        ignore_unfixed,
        counted_cves: 0,
        counted_missing: 0,
        counted_blocking: 0,
        accepted: 0,
        ignored_unfixed: 0,
        fails: false,
    };
    for e in &a.exposure {
        if e.accepted.is_some() {
            g.accepted += 1;
            continue;
        }
        if ignore_unfixed && e.status == FixStatus::NoFixAvailableToYou {
            g.ignored_unfixed += 1;
            continue;
        }
        let counts = match fail_on {
            FailOn::Kev => e.kev.is_some(),
            FailOn::Critical => e.kev.is_some() || e.severity == Severity::Critical,
            FailOn::Any => true,
            FailOn::None => false,
        };
        g.counted_cves += usize::from(counts);
    }
    if fail_on == FailOn::Any {
        g.counted_missing = a.missing.iter().filter(|m| m.accepted.is_none()).count();
        g.counted_blocking = a.blocking.len();
    }
    g.fails = g.counted_cves + g.counted_missing + g.counted_blocking > 0;
    g
}

/// A `w2k8.toml` that cannot be read: every problem, each `file:line: expected ...`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", problems.join("\n"))]
pub struct ConfigError {
    /// One line per problem, `file:line: expected ...`.
    pub problems: Vec<String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    accept: Vec<toml::Spanned<RawEntry>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    cve: Option<toml::Spanned<String>>,
    kb: Option<toml::Spanned<String>>,
    host: Option<toml::Spanned<String>>,
    reason: Option<toml::Spanned<String>>,
    owner: Option<toml::Spanned<String>>,
    until: Option<toml::Spanned<toml::Value>>,
}

/// The 1-based line of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset).unwrap_or(text).bytes().filter(|&b| b == b'\n').count() + 1
}

/// Reads the acceptances of a `w2k8.toml` (named `file` in messages and
/// in each acceptance's `source`, `file:line` of its `[[accept]]` entry):
///
/// ```toml
/// [[accept]]
/// cve = "CVE-2020-0796"         # or kb = "KB4534303"
/// host = "srv-file*"            # a pattern on the host name; "*" for every host
/// reason = "SMBv3 compression disabled by GPO W2K8-SMB"
/// owner = "infra-team"          # optional
/// until = 2026-06-30            # the last day it holds (a TOML date or "YYYY-MM-DD")
/// ```
///
/// Unknown keys are refused (a typo never widens an acceptance); every
/// problem is reported, not only the first.
pub fn parse_config(text: &str, file: &str) -> Result<Vec<Acceptance>, ConfigError> {
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(1);
        let msg = e.message().trim().replace('\n', " ");
        ConfigError {
            problems: vec![format!(
                "{file}:{line}: expected a w2k8.toml of [[accept]] entries with cve or kb, host, reason, until and optional owner ({msg})"
            )],
        }
    })?;
    let mut reader = Reader { text, file, at: 1, problems: Vec::new() };
    let mut out = Vec::new();
    for entry in &raw.accept {
        out.extend(reader.entry(entry));
    }
    if reader.problems.is_empty() {
        Ok(out)
    } else {
        Err(ConfigError { problems: reader.problems })
    }
}

/// Reads the `[[accept]]` entries of a `w2k8.toml` one by one, collecting
/// every problem as `file:line: expected ...`.
struct Reader<'t> {
    text: &'t str,
    file: &'t str,
    /// The line of the entry being read.
    at: usize,
    problems: Vec<String>,
}

impl Reader<'_> {
    /// Notes a problem at `span`, or at the entry's line without one.
    fn bad(&mut self, span: Option<std::ops::Range<usize>>, what: &str) {
        let line = span.map(|s| line_of(self.text, s.start)).unwrap_or(self.at);
        self.problems.push(format!("{}:{line}: expected {what}", self.file));
    }

    /// One entry as an acceptance, when every part of it reads (its problems noted, in order).
    fn entry(&mut self, entry: &toml::Spanned<RawEntry>) -> Option<Acceptance> {
        self.at = line_of(self.text, entry.span().start);
        let e = entry.get_ref();
        let target = self.target(e);
        let host = self.host(e);
        let reason = self.reason(e);
        let owner = e.owner.as_ref().map(|o| o.get_ref().trim().to_string()).filter(|o| !o.is_empty());
        let until = self.until(e);
        let (Some(target), Some(host), Some(reason), Some(until)) = (target, host, reason, until) else {
            return None;
        };
        Some(Acceptance { target, host, reason, owner, until, source: format!("{}:{}", self.file, self.at) })
    }

    /// `cve` or `kb`, exactly one of them.
    fn target(&mut self, e: &RawEntry) -> Option<Target> {
        match (&e.cve, &e.kb) {
            (Some(c), None) => match c.get_ref().parse::<Target>() {
                Ok(t @ Target::Cve(_)) => Some(t),
                _ => {
                    self.bad(Some(c.span()), &format!("a CVE id like CVE-2020-0796 in `cve`, found {:?}", c.get_ref()));
                    None
                }
            },
            (None, Some(k)) => match k.get_ref().parse::<Target>() {
                Ok(t @ Target::Kb(_)) => Some(t),
                _ => {
                    self.bad(Some(k.span()), &format!("a KB number like KB4534303 in `kb`, found {:?}", k.get_ref()));
                    None
                }
            },
            (Some(_), Some(k)) => {
                self.bad(Some(k.span()), "either `cve` or `kb` in one [[accept]] entry, not both");
                None
            }
            (None, None) => {
                self.bad(None, "`cve` or `kb` in this [[accept]] entry");
                None
            }
        }
    }

    /// `host`: a host name pattern.
    fn host(&mut self, e: &RawEntry) -> Option<String> {
        match &e.host {
            Some(h) if w2k8_core::accept::valid_host_pattern(h.get_ref()) => Some(h.get_ref().clone()),
            Some(h) => {
                self.bad(Some(h.span()), "a host name pattern in `host` (e.g. \"srv-file*\", or \"*\" for every host)");
                None
            }
            None => {
                self.bad(None, "`host` (a host name pattern, \"*\" for every host) in this [[accept]] entry");
                None
            }
        }
    }

    /// `reason`: not empty.
    fn reason(&mut self, e: &RawEntry) -> Option<String> {
        match &e.reason {
            Some(r) if !r.get_ref().trim().is_empty() => Some(r.get_ref().trim().to_string()),
            Some(r) => {
                self.bad(Some(r.span()), "a reason in `reason`, found an empty one");
                None
            }
            None => {
                self.bad(None, "`reason` (why the risk is accepted) in this [[accept]] entry");
                None
            }
        }
    }

    /// `until`: a TOML date or a `YYYY-MM-DD` string.
    fn until(&mut self, e: &RawEntry) -> Option<Date> {
        let Some(u) = &e.until else {
            self.bad(None, "`until` (the last day the acceptance holds, YYYY-MM-DD) in this [[accept]] entry");
            return None;
        };
        let text_form = match u.get_ref() {
            toml::Value::String(s) => Some(s.clone()),
            toml::Value::Datetime(d) if d.time.is_none() && d.offset.is_none() => Some(d.to_string()),
            _ => None,
        };
        match text_form.as_deref().map(str::parse::<Date>) {
            Some(Ok(d)) => Some(d),
            _ => {
                let found = self.text.get(u.span()).unwrap_or("?").trim();
                self.bad(Some(u.span()), &format!("a date YYYY-MM-DD in `until`, found {found}"));
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_read_with_their_line() {
        let text = "# accepted risks\n\n[[accept]]\ncve = \"cve-2020-0796\"\nhost = \"srv-*\"\nreason = \"SMB compression off\"\nowner = \"ops\"\nuntil = 2026-06-30\n\n[[accept]]\nkb = \"KB4534303\"\nhost = \"*\"\nreason = \"r\"\nuntil = \"2025-01-31\"\n";
        let got = parse_config(text, "w2k8.toml").unwrap_or_default();
        assert_eq!(got.len(), 2);
        let first = got
            .first()
            .map(|a| (a.target.to_string(), a.host.as_str(), a.owner.clone(), a.until.to_string(), a.source.as_str()));
        assert_eq!(
            first,
            Some(("CVE-2020-0796".into(), "srv-*", Some("ops".into()), "2026-06-30".into(), "w2k8.toml:3"))
        );
        let second = got.get(1).map(|a| (a.target.to_string(), a.owner.clone(), a.source.as_str()));
        assert_eq!(second, Some(("KB4534303".into(), None, "w2k8.toml:10")));
    }

    #[test]
    fn every_problem_is_named_with_its_line() {
        let text = "[[accept]]\ncve = \"MS17-010\"\nhost = \"*\"\nreason = \"\"\nuntil = \"2026-13-01\"\n\n[[accept]]\nkb = \"KB1\"\nreason = \"x\"\nuntil = 2026-01-01\n";
        let e = parse_config(text, "w2k8.toml").err().map(|e| e.problems);
        let e = e.unwrap_or_default();
        assert_eq!(
            e.first().map(String::as_str),
            Some("w2k8.toml:2: expected a CVE id like CVE-2020-0796 in `cve`, found \"MS17-010\"")
        );
        assert_eq!(
            e.get(1).map(String::as_str),
            Some("w2k8.toml:4: expected a reason in `reason`, found an empty one")
        );
        assert!(e.get(2).is_some_and(|l| l.starts_with("w2k8.toml:5: expected a date YYYY-MM-DD in `until`")), "{e:?}");
        assert_eq!(
            e.get(3).map(String::as_str),
            Some("w2k8.toml:7: expected `host` (a host name pattern, \"*\" for every host) in this [[accept]] entry")
        );
        assert_eq!(e.len(), 4, "{e:?}");
    }

    #[test]
    fn unknown_keys_and_bad_toml_are_refused() {
        let e =
            parse_config("[[accept]]\ncve = \"CVE-2020-0796\"\nhosts = \"*\"\n", "w.toml").err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|m| m.starts_with("w.toml:3: expected a w2k8.toml of [[accept]] entries")),
            "{e:?}"
        );
        let e = parse_config("[[accept]\n", "w.toml").err().map(|e| e.to_string());
        assert!(e.as_deref().is_some_and(|m| m.starts_with("w.toml:1: expected")), "{e:?}");
        assert_eq!(parse_config("", "w.toml"), Ok(Vec::new()));
    }
}
