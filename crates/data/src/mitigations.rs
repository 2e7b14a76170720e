//! Microsoft's documented workarounds and mitigations for CVEs that may be
//! open on Windows Server 2008 / 2008 R2: `data/mitigations/mitigations.csv`
//! (its README says how each row was checked), embedded as it is and parsed
//! on first use.
//!
//! Each row names the host state that satisfies it as a `state` expression
//! (`;` = all parts): `reg:<HKLM\path>\<value>=<data>` (DWORD data in
//! decimal, `(Default)` for a key's unnamed value), `service:<name>=stopped`
//! or `=disabled`, `port:tcp/<n>=closed`, `role:<id>=absent`; whether it
//! `removes` the exposure or only `reduces` it; its sources; and whether
//! the mapping from Microsoft's text to the state is `strong` (stated by
//! Microsoft) or `medium` (our inference, said in `side_effects`).
//!
//! ```
//! use w2k8_data::mitigations::{for_cve, Condition, Effect};
//! let bluekeep = for_cve("CVE-2019-0708".parse().unwrap());
//! let nla = bluekeep.iter().find(|m| m.id == "require_nla").unwrap();
//! assert_eq!(nla.effect, Effect::Reduces);
//! assert!(matches!(&nla.conditions[0], Condition::Reg { name, data, .. } if name == "UserAuthentication" && data == "1"));
//! ```
use std::sync::OnceLock;
use w2k8_core::CveId;

/// The table as committed.
pub const MITIGATIONS_CSV: &str = include_str!("../../../data/mitigations/mitigations.csv");

/// The table's path in the repository, for messages.
pub const MITIGATIONS_PATH: &str = "data/mitigations/mitigations.csv";

/// What a mitigation does to the exposure while its state holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// The vulnerable code is not reachable on this host.
    Removes,
    /// An attack path is closed or made harder; exposure remains.
    Reduces,
}

impl Effect {
    /// The JSON name: `removes` or `reduces`.
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Removes => "removes",
            Effect::Reduces => "reduces",
        }
    }
}

/// How directly Microsoft's text supports the row's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strength {
    /// Microsoft states the mitigation and the exact state.
    Strong,
    /// The mitigation is Microsoft's, the state mapping or applicability is an inference.
    Medium,
}

/// What a service must be for a `service:` condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServiceWant {
    /// Not running now.
    Stopped,
    /// Start type disabled (registry `Start` = 4).
    Disabled,
}

/// One part of a row's `state`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `reg:<key>\<name>=<data>`.
    Reg {
        /// The key, `HKLM\...`.
        key: String,
        /// The value name (`(Default)` for the unnamed value).
        name: String,
        /// The data: a decimal number for DWORDs, text otherwise, empty for "present and empty".
        data: String,
    },
    /// `service:<name>=stopped|disabled`; a service that is not installed satisfies both.
    Service {
        /// The short name as `sc` shows it.
        name: String,
        /// Stopped or disabled.
        want: ServiceWant,
    },
    /// `port:tcp/<n>=closed`: nothing listens, or the host firewall blocks it for every remote address.
    TcpPortClosed(u16),
    /// `role:<id>=absent`.
    RoleAbsent(String),
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mitigation {
    /// The CVE.
    pub cve: CveId,
    /// The vulnerable component (`smb1_server`, `rdp`, `print_spooler`, ...).
    pub component: String,
    /// The mitigation's id (`disable_smb1_server`, `require_nla`, ...): same id, same state.
    pub id: String,
    /// Removes or reduces.
    pub effect: Effect,
    /// The `state` as written.
    pub state: String,
    /// The parsed state: all must hold.
    pub conditions: Vec<Condition>,
    /// What breaks, and caveats.
    pub side_effects: String,
    /// The sources: URLs or `owner/repo@commit:path`.
    pub sources: Vec<String>,
    /// Strong or medium.
    pub strength: Strength,
    /// The row's line in the CSV.
    pub line: u32,
}

/// A row of the table that does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{MITIGATIONS_PATH}:{line}: expected {expected}")]
pub struct TableError {
    /// The 1-based line.
    pub line: u32,
    /// What was expected.
    pub expected: String,
}

/// Parses one `state` expression.
pub fn parse_state(state: &str) -> Result<Vec<Condition>, String> {
    let mut out = Vec::new();
    for part in state.split(';').map(str::trim) {
        let (kind, rest) = part.split_once(':').ok_or_else(|| format!("`kind:...` in `{part}`"))?;
        let (what, want) = rest.rsplit_once('=').ok_or_else(|| format!("`=` in `{part}`"))?;
        let cond = match kind {
            "reg" => {
                if !what.starts_with("HKLM\\") {
                    return Err(format!("an `HKLM\\` path in `{part}`"));
                }
                let (key, name) = what.rsplit_once('\\').ok_or_else(|| format!("`key\\value` in `{part}`"))?;
                if name.is_empty() || !key.contains('\\') {
                    return Err(format!("a key and a value name in `{part}`"));
                }
                Condition::Reg { key: key.to_string(), name: name.to_string(), data: want.to_string() }
            }
            "service" => {
                let want = match want {
                    "stopped" => ServiceWant::Stopped,
                    "disabled" => ServiceWant::Disabled,
                    _ => return Err(format!("`stopped` or `disabled` in `{part}`")),
                };
                if what.is_empty() || !what.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    return Err(format!("a service short name in `{part}`"));
                }
                Condition::Service { name: what.to_string(), want }
            }
            "port" => {
                let port = what
                    .strip_prefix("tcp/")
                    .and_then(|p| p.parse::<u16>().ok())
                    .ok_or_else(|| format!("`tcp/<port>` in `{part}`"))?;
                if want != "closed" {
                    return Err(format!("`closed` in `{part}`"));
                }
                Condition::TcpPortClosed(port)
            }
            "role" => {
                if want != "absent" || what.is_empty() {
                    return Err(format!("`role:<id>=absent` in `{part}`"));
                }
                Condition::RoleAbsent(what.to_string())
            }
            _ => return Err(format!("`reg:`, `service:`, `port:` or `role:` in `{part}`")),
        };
        out.push(cond);
    }
    Ok(out)
}

/// Whether `s` is a source a reader can follow: an `https://`/`http://` URL
/// or `owner/repo@commit:path` with a hex commit.
pub fn is_followable(s: &str) -> bool {
    let s = s.trim();
    if (s.starts_with("https://") || s.starts_with("http://")) && s.len() > 12 && !s.contains(' ') {
        return true;
    }
    let Some((repo, rest)) = s.split_once('@') else { return false };
    let Some((commit, path)) = rest.split_once(':') else { return false };
    let mut parts = repo.split('/');
    let (Some(owner), Some(name), None) = (parts.next(), parts.next(), parts.next()) else { return false };
    let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
    word(owner) && word(name) && commit.len() >= 7 && commit.chars().all(|c| c.is_ascii_hexdigit()) && !path.is_empty()
}

/// Parses the table's text.
///
/// # Errors
/// The first row that does not read: its line and what was expected.
pub fn parse_table(text: &str) -> Result<Vec<Mitigation>, TableError> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
    let want = ["cve", "component", "mitigation", "effect", "state", "side_effects", "source_url", "strength"];
    let headers = rdr.headers().map_err(|e| TableError { line: 1, expected: format!("a CSV header ({e})") })?;
    if headers.iter().collect::<Vec<_>>() != want {
        return Err(TableError { line: 1, expected: format!("the header `{}`", want.join(",")) });
    }
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| TableError {
            line: e.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX)),
            expected: format!("a CSV row of 8 fields ({e})"),
        })?;
        let line = rec.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
        out.push(parse_row(&rec, line).map_err(|expected| TableError { line, expected })?);
    }
    Ok(out)
}

/// One row of the table (on `line`); the error says what was expected.
fn parse_row(rec: &csv::StringRecord, line: u32) -> Result<Mitigation, String> {
    let field = |i: usize| rec.get(i).unwrap_or("").trim().to_string();
    let cve = cve_id(&field(0)).ok_or_else(|| format!("a CVE id, found `{}`", field(0)))?;
    let effect = match field(3).as_str() {
        "removes" => Effect::Removes,
        "reduces" => Effect::Reduces,
        other => return Err(format!("effect `removes` or `reduces`, found `{other}`")),
    };
    let state = field(4);
    let conditions = parse_state(&state)?;
    let sources = parse_sources(&field(6))?;
    let strength = match field(7).as_str() {
        "strong" => Strength::Strong,
        "medium" => Strength::Medium,
        other => return Err(format!("strength `strong` or `medium`, found `{other}`")),
    };
    let (component, id) = (field(1), field(2));
    if component.is_empty() || id.is_empty() {
        return Err("a component and a mitigation id".to_string());
    }
    Ok(Mitigation { cve, component, id, effect, state, conditions, side_effects: field(5), sources, strength, line })
}

/// The CVE id `cve` written in its canonical form (`CVE-YYYY-NNNN`; not
/// an advisory), read by the one parser of ids, [`CveId`].
fn cve_id(cve: &str) -> Option<CveId> {
    CveId::canonical(cve).filter(|id| !id.is_advisory())
}

/// The `source_url` cell: at least one source, each followable.
fn parse_sources(cell: &str) -> Result<Vec<String>, String> {
    let sources: Vec<String> = cell.split(" | ").map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    if sources.is_empty() {
        return Err("a source".to_string());
    }
    if let Some(bad) = sources.iter().find(|s| !is_followable(s)) {
        return Err(format!("a followable source (URL or owner/repo@commit:path), found `{bad}`"));
    }
    Ok(sources)
}

/// The embedded table (parsed once). The lint test proves it parses; were it
/// not to, the table is empty and every CVE's reachability stays unknown.
pub fn all() -> &'static [Mitigation] {
    static TABLE: OnceLock<Vec<Mitigation>> = OnceLock::new();
    TABLE.get_or_init(|| parse_table(MITIGATIONS_CSV).unwrap_or_default())
}

/// The rows for `cve`, in table order. The table is indexed by CVE id
/// once; a record is made a row the first time its CVE is asked for (an
/// assessment asks for every open CVE of a host, and most have no row). A
/// row that does not read is left out; the lint test proves every row
/// reads.
pub fn for_cve(cve: CveId) -> Vec<&'static Mitigation> {
    let index = Index::embedded();
    match index.by_cve.get(&cve) {
        Some(ix) => ix.iter().filter_map(|&i| index.row(i)).collect(),
        None => Vec::new(),
    }
}

/// The embedded table split into CSV records (one pass of the CSV reader),
/// by CVE; each record is made a row on first use.
struct Index {
    /// Each record and the line it starts on.
    records: Vec<(csv::StringRecord, u32)>,
    /// Record numbers by CVE id, in table order (a record whose id does
    /// not read is in no list).
    by_cve: std::collections::HashMap<CveId, Vec<usize>>,
    /// The rows made so far.
    rows: Vec<OnceLock<Option<Mitigation>>>,
}

impl Index {
    fn embedded() -> &'static Index {
        static INDEX: OnceLock<Index> = OnceLock::new();
        INDEX.get_or_init(|| Index::new(MITIGATIONS_CSV))
    }

    /// The records of `text` (a header first); reading stops at the first
    /// record the CSV reader cannot read.
    fn new(text: &str) -> Index {
        let mut rdr = csv::ReaderBuilder::new().has_headers(true).from_reader(text.as_bytes());
        let records: Vec<(csv::StringRecord, u32)> = rdr
            .records()
            .map_while(Result::ok)
            .map(|rec| {
                let line = rec.position().map_or(0, |p| u32::try_from(p.line()).unwrap_or(u32::MAX));
                (rec, line)
            })
            .collect();
        let mut by_cve: std::collections::HashMap<CveId, Vec<usize>> = std::collections::HashMap::new();
        for (i, (rec, _)) in records.iter().enumerate() {
            if let Some(id) = cve_id(rec.get(0).unwrap_or("").trim()) {
                by_cve.entry(id).or_default().push(i);
            }
        }
        let rows = records.iter().map(|_| OnceLock::new()).collect();
        Index { records, by_cve, rows }
    }

    /// Record `i`, made a row.
    fn row(&self, i: usize) -> Option<&Mitigation> {
        let (rec, line) = self.records.get(i)?;
        self.rows.get(i)?.get_or_init(|| parse_row(rec, *line).ok()).as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn for_cve_finds_rows_and_nothing_for_others() {
        // BlueKeep has four rows (data/mitigations/mitigations.csv lines 46-49).
        let rows = for_cve(id("CVE-2019-0708"));
        let ids: Vec<(&str, u32)> = rows.iter().map(|m| (m.id.as_str(), m.line)).collect();
        assert_eq!(
            ids,
            [("block_tcp_3389_inbound", 46), ("disable_rdp", 47), ("require_nla", 48), ("require_nla_gpo", 49)]
        );
        assert!(rows.iter().all(|m| m.cve == "CVE-2019-0708"));
        assert!(for_cve(id("CVE-1999-0001")).is_empty());
    }

    fn id(s: &str) -> CveId {
        s.parse().unwrap()
    }

    /// The lint: every row reads (followable sources, a known effect and
    /// strength, a parsable state), and (CVE, mitigation) pairs are unique.
    #[test]
    fn embedded_table_is_clean() {
        let rows = parse_table(MITIGATIONS_CSV).unwrap_or_else(|e| panic!("{e}"));
        // The README's count.
        assert_eq!(rows.len(), 179);
        let mut seen = std::collections::BTreeSet::new();
        for m in &rows {
            assert!(seen.insert((m.cve, m.id.as_str())), "{MITIGATIONS_PATH}:{}: duplicate", m.line);
        }
        assert_eq!(all().len(), rows.len());
    }

    /// Reading a CVE's rows one record at a time gives what the whole-table
    /// parse gives: every row, its line, in table order.
    #[test]
    fn rows_read_one_at_a_time_equal_the_whole_table() {
        let whole = parse_table(MITIGATIONS_CSV).unwrap_or_else(|e| panic!("{e}"));
        let mut cves: Vec<CveId> = whole.iter().map(|m| m.cve).collect();
        cves.dedup();
        let mut n = 0;
        for cve in cves {
            let want: Vec<&Mitigation> = whole.iter().filter(|m| m.cve == cve).collect();
            let got = for_cve(cve);
            assert_eq!(got, want, "{cve}");
            n += got.len();
        }
        assert_eq!(n, whole.len());
    }

    /// Written by hand: a row's id is read by `CveId`: an advisory, a lower-case
    /// id or a zero-padded number is refused with its line.
    #[test]
    fn a_row_id_must_be_a_canonical_cve_id() {
        let header = "cve,component,mitigation,effect,state,side_effects,source_url,strength\n";
        let row = |id: &str| {
            format!("{header}{id},Fax,stop_fax,removes,service:Fax=stopped,none,https://learn.microsoft.com/x,strong\n")
        };
        assert!(parse_table(&row("CVE-2021-1722")).is_ok());
        for bad in ["ADV190023", "cve-2021-1722", "CVE-2021-01722", "CVE-21-1722"] {
            let e = parse_table(&row(bad)).unwrap_err();
            assert_eq!((e.line, e.expected.clone()), (2, format!("a CVE id, found `{bad}`")), "{bad}");
        }
    }

    #[test]
    fn rows_read_as_written() {
        // CVE-2020-1350 (SIGRed): TcpReceivePacketSize 0xFF00, written in decimal.
        let sigred = for_cve(id("CVE-2020-1350"));
        let m = sigred.iter().find(|m| m.id == "dns_tcp_receive_packet_size").unwrap();
        assert_eq!(
            m.conditions,
            [Condition::Reg {
                key: "HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters".into(),
                name: "TcpReceivePacketSize".into(),
                data: "65280".into()
            }]
        );
        assert_eq!((m.effect, m.strength), (Effect::Removes, Strength::Strong));
        let pn = for_cve(id("CVE-2021-34527"));
        let stop = pn.iter().find(|m| m.id == "stop_spooler").unwrap();
        assert_eq!(
            stop.conditions,
            [
                Condition::Service { name: "Spooler".into(), want: ServiceWant::Stopped },
                Condition::Service { name: "Spooler".into(), want: ServiceWant::Disabled }
            ]
        );
        assert!(for_cve(id("CVE-1999-0001")).is_empty());
    }

    #[test]
    fn bad_rows_are_named() {
        let head = "cve,component,mitigation,effect,state,side_effects,source_url,strength\n";
        let e = parse_table(&format!(
            "{head}CVE-2017-0143,smb,x,blocks,port:tcp/445=closed,,https://example.org/a,strong\n"
        ))
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "data/mitigations/mitigations.csv:2: expected effect `removes` or `reduces`, found `blocks`"
        );
        let e = parse_table(&format!(
            "{head}CVE-2017-0143,smb,x,removes,port:udp/445=closed,,https://example.org/a,strong\n"
        ))
        .unwrap_err();
        assert!(e.expected.contains("tcp/<port>"), "{e}");
        let e = parse_table(&format!("{head}CVE-2017-0143,smb,x,removes,port:tcp/445=closed,,local notes,strong\n"))
            .unwrap_err();
        assert!(e.expected.contains("followable"), "{e}");
        assert!(parse_state("service:Spooler=paused").is_err());
        assert!(parse_state("reg:HKCU\\X\\Y=1").is_err());
        assert!(is_followable("MicrosoftDocs/windowsserverdocs@67641a72484362e7f1f917f72126201846db73de:a/b.md"));
        assert!(!is_followable("MicrosoftDocs/windowsserverdocs@main:a/b.md"));
    }
}
