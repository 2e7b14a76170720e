//! `w2k8 assess --format openvex`: the accepted and not-affected items of one
//! host's assessment as an OpenVEX v0.2.0 document
//! (<https://github.com/openvex/spec/blob/main/OPENVEX-SPEC.md>).
//!
//! The product of every statement is the host's Windows installation
//! (`@id` `urn:w2k8:host:NAME`, with its CPE 2.3 name). One statement per
//! open CVE that is either:
//!
//! * judged `not_reachable` or `mitigated` by a strong documented
//!   mitigation (see `w2k8_assess::reachability`): status `not_affected`,
//!   justification `vulnerable_code_not_in_execute_path` (the component is
//!   stopped, disabled or closed, or Microsoft's workaround turns the
//!   vulnerable feature off: the code is there, the attack does not reach
//!   it), the mitigation, its evidence lines and its source in
//!   `impact_statement`. The spec's `inline_mitigations_already_exist` is
//!   not used: it is for protections the user cannot turn off, and every
//!   one of these is a setting;
//! * covered by a live accepted risk: status `affected` (the host is
//!   affected; the spec asks an `affected` statement for an
//!   `action_statement`), whose `action_statement` says the risk is
//!   accepted, until when, by whom, why, and what would remediate it.
//!
//! Nothing else is stated: an open CVE neither accepted nor shown
//! unreachable is not in the document (it is in `assess`'s other formats),
//! and an expired acceptance states nothing.
use serde::Serialize;
use w2k8_assess::accepted::AcceptedRef;
use w2k8_assess::reachability::Reachability;
use w2k8_assess::{Assessment, Exposure, FixStatus};
use w2k8_catalog::OsFamily;
use w2k8_core::Arch;

/// The OpenVEX v0.2.0 JSON-LD context.
pub const CONTEXT: &str = "https://openvex.dev/ns/v0.2.0";

/// An OpenVEX document.
#[derive(Debug, Serialize)]
pub struct Document {
    /// [`CONTEXT`].
    #[serde(rename = "@context")]
    pub context: &'static str,
    /// The document's IRI: `urn:w2k8:openvex:HOST:TIMESTAMP`.
    #[serde(rename = "@id")]
    pub id: String,
    /// Who issues it (`--vex-author`).
    pub author: String,
    /// When it was issued (ISO 8601 UTC).
    pub timestamp: String,
    /// The document's version: 1 (each run writes a new document).
    pub version: u32,
    /// `w2k8 VERSION`.
    pub tooling: String,
    /// The statements.
    pub statements: Vec<Statement>,
}

/// One statement.
#[derive(Debug, Serialize)]
pub struct Statement {
    /// The CVE.
    pub vulnerability: Vulnerability,
    /// When it was known to be true (the document's time).
    pub timestamp: String,
    /// The host.
    pub products: Vec<Product>,
    /// `not_affected` or `affected`.
    pub status: &'static str,
    /// For `not_affected`: `vulnerable_code_not_in_execute_path`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub justification: Option<&'static str>,
    /// For `not_affected`: the mitigation, its evidence and source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_statement: Option<String>,
    /// For `affected`: the accepted risk and what would remediate it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_statement: Option<String>,
    /// For `affected`: the document's time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_statement_timestamp: Option<String>,
    /// How w2k8 decided.
    pub status_notes: String,
}

/// A vulnerability.
#[derive(Debug, Serialize)]
pub struct Vulnerability {
    /// Microsoft's page for it.
    #[serde(rename = "@id")]
    pub id: String,
    /// The CVE (or MSRC advisory) id.
    pub name: String,
    /// MSRC's title.
    pub description: String,
}

/// The product: the host's Windows installation.
#[derive(Debug, Clone, Serialize)]
pub struct Product {
    /// `urn:w2k8:host:NAME` (percent-encoded).
    #[serde(rename = "@id")]
    pub id: String,
    /// `cpe23`.
    pub identifiers: Identifiers,
}

/// The product's identifiers.
#[derive(Debug, Clone, Serialize)]
pub struct Identifiers {
    /// The CPE 2.3 name of the Windows version, service pack and architecture.
    pub cpe23: String,
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The CPE 2.3 name NVD uses for the host's Windows (`*` where the bundle does not tell).
fn cpe(a: &Assessment) -> String {
    let s = &a.standing;
    let hw = match s.arch {
        Some(Arch::X86) => "x86",
        Some(Arch::X64) => "x64",
        Some(Arch::Ia64) => "itanium",
        _ => "*",
    };
    let (version, sp) = match s.os_family {
        OsFamily::Ws2008 => ("-", s.service_pack.map(|n| format!("sp{n}"))),
        OsFamily::Ws2008R2 => ("r2", s.service_pack.map(|n| if n == 0 { "-".to_string() } else { format!("sp{n}") })),
    };
    format!("cpe:2.3:o:microsoft:windows_server_2008:{version}:{}:*:*:*:*:{hw}:*", sp.as_deref().unwrap_or("*"))
}

fn not_affected(e: &Exposure) -> Option<String> {
    if !matches!(e.reachability, Reachability::NotReachable | Reachability::Mitigated) {
        return None;
    }
    let m = e.mitigation.as_ref()?;
    let places = crate::csv::evidence_places(&m.evidence);
    Some(format!(
        "{} on this host: the documented mitigation {} holds (evidence: {}; source: {}). A configuration change that undoes it makes the host affected again.",
        e.reachability.as_str(),
        m.by,
        if places.is_empty() { "none named".to_string() } else { places.join(", ") },
        m.source
    ))
}

/// The OpenVEX document of `a`'s accepted and not-affected open CVEs,
/// issued by `author` at `timestamp` (ISO 8601 UTC).
pub fn openvex(a: &Assessment, author: &str, timestamp: &str) -> Document {
    let host = a.standing.host.as_deref().unwrap_or("unnamed-host");
    let product = Product { id: format!("urn:w2k8:host:{}", encode(host)), identifiers: Identifiers { cpe23: cpe(a) } };
    let mut statements = Vec::new();
    for e in &a.exposure {
        if let Some(impact) = not_affected(e) {
            statements.push(not_affected_statement(e, impact, &product, timestamp));
        } else if let Some(r) = &e.accepted {
            statements.push(accepted_statement(e, r, &product, timestamp));
        }
    }
    Document {
        context: CONTEXT,
        id: format!("urn:w2k8:openvex:{}:{}", encode(host), encode(timestamp)),
        author: author.to_string(),
        timestamp: timestamp.to_string(),
        version: 1,
        tooling: format!("w2k8 {}", env!("CARGO_PKG_VERSION")),
        statements,
    }
}

/// The vulnerability a statement is about: the open CVE and its MSRC page.
fn vulnerability(e: &Exposure) -> Vulnerability {
    Vulnerability { id: crate::sarif::cve_help_uri(e.cve), name: e.cve.to_string(), description: e.title.to_string() }
}

/// The `not_affected` statement of an open CVE a documented mitigation makes
/// unreachable (`impact` from [`not_affected`]).
fn not_affected_statement(e: &Exposure, impact: String, product: &Product, timestamp: &str) -> Statement {
    let accepted = e
        .accepted
        .as_ref()
        .map(|r| format!("; also an accepted risk until {} ({})", r.until, r.source))
        .unwrap_or_default();
    Statement {
        vulnerability: vulnerability(e),
        timestamp: timestamp.to_string(),
        products: vec![product.clone()],
        status: "not_affected",
        justification: Some("vulnerable_code_not_in_execute_path"),
        impact_statement: Some(impact),
        action_statement: None,
        action_statement_timestamp: None,
        status_notes: format!(
            "w2k8 reachability {} from the host's configuration; the CVE is open (no installed update closes it){accepted}",
            e.reachability.as_str()
        ),
    }
}

/// What would remediate an accepted open CVE once the acceptance ends.
fn remedy(e: &Exposure) -> String {
    match e.status {
        FixStatus::FixAvailable => format!(
            "Remediation when the acceptance ends: install {}.",
            crate::joined(&e.fixed_by, " or ")
        ),
        FixStatus::NoFixAvailableToYou => format!(
            "No update for it is available to the host's programme (its updates ended {}): remediation is a paid programme's update, isolation, or migration.",
            e.programme_ended.map(|d| d.to_string()).unwrap_or_else(|| "?".into())
        ),
    }
}

/// The `affected` statement of an open CVE covered by the live accepted risk `r`.
fn accepted_statement(e: &Exposure, r: &AcceptedRef, product: &Product, timestamp: &str) -> Statement {
    let owner = r.owner.as_deref().map(|o| format!(" by {o}")).unwrap_or_default();
    let remedy = remedy(e);
    Statement {
        vulnerability: vulnerability(e),
        timestamp: timestamp.to_string(),
        products: vec![product.clone()],
        status: "affected",
        justification: None,
        impact_statement: None,
        action_statement: Some(format!(
            "Risk accepted{owner} until {}: {}. {remedy}",
            r.until,
            r.reason.trim_end_matches('.')
        )),
        action_statement_timestamp: Some(timestamp.to_string()),
        status_notes: format!(
            "open on this host; accepted ({}{}); w2k8 reachability {}",
            r.source,
            if !e.cve.is(&r.target) { format!(", through {}", r.target) } else { String::new() },
            e.reachability.as_str()
        ),
    }
}
