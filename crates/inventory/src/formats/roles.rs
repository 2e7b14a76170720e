//! `roles.txt`: `servermanagercmd -query` on a full installation of Windows
//! Server 2008 / 2008 R2. Each role, role service and feature is one line,
//! indented by its depth, `[X]` when installed and `[ ]` when not, its
//! display name (localized) and its id in brackets (not localized):
//!
//! ```text
//! [X] DNS Server  [DNS]
//! [ ] Fax Server  [Fax]
//!     [X] Active Directory Domain Controller  [ADDS-Domain-Controller]
//! ```
//!
//! Only the marker and the bracketed id are read. `oclist` output (Server
//! Core) is not read: its package names are not the ids the mitigation table
//! uses, so roles stay unknown there.
use crate::config::{HostConfig, RoleList};
use crate::{Facts, ParseError};
use w2k8_core::{Evidence, Observed};

/// `(installed, id)` of a role line.
fn role_line(line: &str) -> Option<(bool, &str)> {
    let t = line.trim();
    let installed = if t.starts_with("[X]") || t.starts_with("[x]") {
        true
    } else if t.starts_with("[ ]") {
        false
    } else {
        return None;
    };
    let rest = t.get(3..)?.trim_end();
    let open = rest.rfind('[')?;
    let id = rest.get(open + 1..)?.strip_suffix(']')?;
    let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.');
    ok.then_some((installed, id))
}

/// Whether `text` is `servermanagercmd -query` output: two or more role lines.
pub fn sniff(text: &str) -> bool {
    text.lines().take(2000).filter(|l| role_line(l).is_some()).take(2).count() >= 2
}

/// Parses `roles.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let mut roles = RoleList { file: file.to_string(), ..RoleList::default() };
    for (n, line) in super::qfe::lines(text) {
        if let Some((installed, id)) = role_line(line) {
            roles.listed += 1;
            if installed && roles.installed(id).is_none() {
                roles.installed.push(Observed::new(id.to_string(), Evidence::new(format!("role {id}"), file, Some(n))));
            }
        }
    }
    if roles.listed == 0 {
        return Err(ParseError::new(
            file,
            super::qfe::lines(text).find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| n),
            "`servermanagercmd -query` lines such as `[X] DNS Server  [DNS]`",
        ));
    }
    Ok(Facts { config: HostConfig { roles: Some(roles), ..HostConfig::default() }, ..Facts::default() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn installed_ids() {
        let text = "----- Roles -----\r\n\r\n[X] Active Directory-Domänendienste  [AD-Domain-Services]\r\n    [X] Active Directory-Domänencontroller  [ADDS-Domain-Controller]\r\n[ ] DNS-Server  [DNS]\r\n";
        assert!(sniff(text));
        let r = parse(text, "roles.txt").unwrap().config.roles.unwrap();
        assert_eq!(r.listed, 3);
        assert_eq!(r.installed("ad-domain-services").map(|o| o.evidence.line), Some(Some(3)));
        assert!(r.installed("DNS").is_none());
        assert!(!sniff("Installed:DNS-Server-Core-Role\r\n"));
        assert!(parse("x\r\n", "roles.txt").unwrap_err().to_string().starts_with("roles.txt:1: expected"));
    }
}
