//! `firewall.txt`: `netsh advfirewall show allprofiles` followed by
//! `netsh advfirewall firewall show rule name=all` (Windows Firewall with
//! Advanced Security, Windows Server 2008 and 2008 R2). Both print blocks: a
//! header line, a line of dashes, then `Label    value` lines:
//!
//! ```text
//! Domain Profile Settings:
//! ----------------------------------------------------------------------
//! State                                 ON
//! Firewall Policy                       BlockInbound,AllowOutbound
//!
//! Rule Name:                            Remote Desktop (TCP-In)
//! ----------------------------------------------------------------------
//! Enabled:                              Yes
//! Direction:                            In
//! Profiles:                             Domain,Private,Public
//! ...
//! ```
//!
//! netsh's labels and many values are localized. What is read:
//!
//! * a block is a profile when its header ends with `:` and nothing after
//!   it, a rule when the header holds a value after its `:`;
//! * a profile's name from an English header (`Domain Profile Settings:`),
//!   else unknown; its `State ON|OFF` in English only; its inbound policy by
//!   the value's keywords (`BlockInbound`, `BlockInboundAlways`,
//!   `AllowInbound` before `,AllowOutbound|,BlockOutbound`), whatever the
//!   label;
//! * a rule's fields from English labels and values only (`Enabled: Yes`,
//!   `Direction: In`, `Action: Allow`, ...). A rule block whose fields are
//!   not all readable is kept in [`FirewallConfig::unreadable_rules`]: any
//!   judgement it could change is unknown, never guessed.
use crate::config::{FirewallConfig, FirewallProfile, FirewallRule, HostConfig, InboundPolicy};
use crate::{Facts, ParseError};
use w2k8_core::Evidence;

fn is_dashes(line: &str) -> bool {
    let t = line.trim();
    t.len() >= 10 && t.bytes().all(|b| b == b'-')
}

/// The inbound policy in a `Firewall Policy` value, by its keywords.
fn policy(value: &str) -> Option<InboundPolicy> {
    let v = value.trim();
    let (inbound, outbound) = v.split_once(',')?;
    if !matches!(outbound.trim(), "AllowOutbound" | "BlockOutbound") {
        return None;
    }
    match inbound.trim() {
        "BlockInbound" => Some(InboundPolicy::Block),
        "BlockInboundAlways" => Some(InboundPolicy::BlockAlways),
        "AllowInbound" => Some(InboundPolicy::Allow),
        _ => None,
    }
}

/// Splits `Label    value` (profile lines) or `Label:    value` (rule
/// lines): the label is the text before the first run of two spaces or the
/// first `:` followed by spaces.
fn label_value(line: &str) -> Option<(&str, &str)> {
    let t = line.trim_end();
    if let Some(at) = t.find(":  ").or_else(|| t.find(":\t")) {
        return Some((t.get(..at)?.trim(), t.get(at + 1..)?.trim()));
    }
    if let Some(at) = t.find("  ") {
        return Some((t.get(..at)?.trim(), t.get(at..)?.trim()));
    }
    t.strip_suffix(':').map(|l| (l.trim(), ""))
}

/// Whether `text` is netsh advfirewall output: a block header followed by a
/// line of dashes, with an English profile or rule header, or a firewall
/// policy value, in the file.
pub fn sniff(text: &str) -> bool {
    let mut prev: Option<&str> = None;
    let mut blocks = 0usize;
    let mut english = false;
    let mut policy_seen = false;
    for line in text.lines().take(20_000) {
        if is_dashes(line) {
            if let Some(h) = prev {
                blocks += 1;
                let h = h.trim();
                english |= h.ends_with("Profile Settings:") || h.starts_with("Rule Name:");
            }
        } else if blocks > 0 && label_value(line).is_some_and(|(_, v)| policy(v).is_some()) {
            policy_seen = true;
        }
        if !line.trim().is_empty() {
            prev = Some(line);
        }
        if blocks > 0 && (english || policy_seen) {
            return true;
        }
    }
    false
}

#[derive(Debug)]
enum Block {
    Profile(FirewallProfile),
    Rule(FirewallRule, bool),
}

fn finish(block: Option<Block>, out: &mut FirewallConfig) {
    match block {
        Some(Block::Profile(p)) => out.profiles.push(p),
        Some(Block::Rule(mut r, unreadable)) => {
            // A rule for any protocol shows no port lines: it covers every port.
            if r.protocol.as_deref() == Some("ANY") && r.local_port.is_none() {
                r.local_port = Some("Any".to_string());
            }
            let complete = r.enabled.is_some()
                && r.inbound.is_some()
                && r.profiles.is_some()
                && r.remote_ip.is_some()
                && r.protocol.is_some()
                && r.allow.is_some()
                && (r.local_port.is_some() || !matches!(r.protocol.as_deref(), Some("TCP" | "UDP")));
            if unreadable || !complete {
                out.unreadable_rules.push(r.evidence.clone());
            }
            out.rules.push(r);
        }
        None => {}
    }
}

fn yes_no(v: &str) -> Option<bool> {
    match v {
        "Yes" => Some(true),
        "No" => Some(false),
        _ => None,
    }
}

/// Starts the block whose header is `header`, read at line `n` of `file`: a
/// rule when the header holds a value after its `:`, else a profile.
fn open_block(header: &str, n: u32, file: &str, out: &mut FirewallConfig) -> Block {
    match header.split_once(':') {
        Some((label, value)) if !value.trim().is_empty() => {
            out.rules_shown = true;
            let name = value.trim().to_string();
            let rule = FirewallRule {
                evidence: Evidence::new(format!("firewall rule {name}"), file, Some(n)),
                name,
                enabled: None,
                inbound: None,
                profiles: None,
                remote_ip: None,
                protocol: None,
                local_port: None,
                allow: None,
            };
            Block::Rule(rule, label.trim() != "Rule Name")
        }
        _ => {
            let name = ["Domain", "Private", "Public"]
                .into_iter()
                .find(|p| header == format!("{p} Profile Settings:"))
                .map(str::to_ascii_lowercase);
            let fact = format!("firewall profile {}", name.as_deref().unwrap_or(header));
            let evidence = Evidence::new(fact, file, Some(n));
            Block::Profile(FirewallProfile { name, on: None, inbound: None, evidence })
        }
    }
}

/// Reads one `Label    value` line of a profile block into `p`.
fn read_profile_line(p: &mut FirewallProfile, label: &str, value: &str) {
    if let Some(pol) = policy(value) {
        p.inbound = Some(pol);
    } else if label == "State" {
        p.on = match value {
            "ON" => Some(true),
            "OFF" => Some(false),
            _ => None,
        };
    }
}

/// Reads one `Label:    value` line of a rule block into `r`: whether the
/// label and value were understood.
fn read_rule_line(r: &mut FirewallRule, label: &str, value: &str) -> bool {
    match label {
        "Enabled" => {
            r.enabled = yes_no(value);
            r.enabled.is_some()
        }
        "Direction" => {
            r.inbound = match value {
                "In" => Some(true),
                "Out" => Some(false),
                _ => None,
            };
            r.inbound.is_some()
        }
        "Profiles" => {
            let ps: Vec<String> = value.split(',').map(|p| p.trim().to_ascii_lowercase()).collect();
            let ok = ps.iter().all(|p| matches!(p.as_str(), "domain" | "private" | "public" | "any"));
            r.profiles = ok.then_some(ps);
            ok
        }
        "RemoteIP" => {
            r.remote_ip = Some(value.to_string());
            true
        }
        "Protocol" => {
            r.protocol = Some(value.to_ascii_uppercase());
            true
        }
        "LocalPort" => {
            r.local_port = Some(value.to_string());
            true
        }
        "Action" => {
            r.allow = match value {
                "Allow" => Some(true),
                "Block" => Some(false),
                _ => None,
            };
            r.allow.is_some() || value == "Bypass"
        }
        "Grouping" | "LocalIP" | "RemotePort" | "Edge traversal" | "Type" | "Code" | "Description" | "Program"
        | "Service" | "InterfaceTypes" | "Security" | "Rule source" => true,
        // ICMP type/code rows under `Type  Code`.
        _ if label.chars().all(|c| c.is_ascii_digit() || c == ' ' || c == '*') => true,
        _ => false,
    }
}

/// Reads the blocks of `lines` (numbered lines of `file`) into a firewall config.
fn read_blocks(lines: &[(u32, &str)], file: &str) -> FirewallConfig {
    let mut out = FirewallConfig::default();
    let mut block: Option<Block> = None;
    let mut i = 0usize;
    while let Some(&(n, line)) = lines.get(i) {
        let next_is_dashes = lines.get(i + 1).is_some_and(|(_, l)| is_dashes(l));
        if next_is_dashes && !line.trim().is_empty() && !is_dashes(line) {
            finish(block.take(), &mut out);
            block = Some(open_block(line.trim(), n, file, &mut out));
            i += 2;
            continue;
        }
        i += 1;
        let Some((label, value)) = label_value(line) else { continue };
        match &mut block {
            Some(Block::Profile(p)) => read_profile_line(p, label, value),
            Some(Block::Rule(r, unreadable)) => *unreadable |= !read_rule_line(r, label, value),
            None => {}
        }
    }
    finish(block.take(), &mut out);
    out
}

/// The facts for a read firewall config, with notes on what was not read.
fn facts_of(out: FirewallConfig) -> Facts {
    let mut facts = Facts::default();
    let unknown_profiles = out.profiles.iter().filter(|p| p.name.is_none() || p.on.is_none()).count();
    if unknown_profiles > 0 {
        facts.notes.push(format!(
            "{unknown_profiles} firewall profile(s) with a header or state not read (localized?): their state is unknown"
        ));
    }
    if !out.unreadable_rules.is_empty() {
        facts.notes.push(format!(
            "{} firewall rule(s) not fully read (localized labels?): port judgements they could change are unknown",
            out.unreadable_rules.len()
        ));
    }
    facts.config = HostConfig { firewall: Some(out), ..HostConfig::default() };
    facts
}

/// Parses `firewall.txt` read from `file`.
pub fn parse(text: &str, file: &str) -> Result<Facts, ParseError> {
    let lines: Vec<(u32, &str)> = super::qfe::lines(text).collect();
    let out = read_blocks(&lines, file);
    if out.profiles.is_empty() && out.rules.is_empty() {
        return Err(ParseError::new(
            file,
            lines.iter().find(|(_, l)| !l.trim().is_empty()).map(|(n, _)| *n),
            "`netsh advfirewall` output: a profile or rule header followed by a line of dashes",
        ));
    }
    Ok(facts_of(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EN: &str = "\r\nDomain Profile Settings:\r\n----------------------------------------------------------------------\r\nState                                 ON\r\nFirewall Policy                       BlockInbound,AllowOutbound\r\n\r\nRule Name:                            Remote Desktop (TCP-In)\r\n----------------------------------------------------------------------\r\nEnabled:                              Yes\r\nDirection:                            In\r\nProfiles:                             Domain,Private,Public\r\nGrouping:                             Remote Desktop\r\nLocalIP:                              Any\r\nRemoteIP:                             10.0.50.0/255.255.255.0\r\nProtocol:                             TCP\r\nLocalPort:                            3389\r\nRemotePort:                           Any\r\nEdge traversal:                       No\r\nAction:                               Allow\r\nOk.\r\n";

    #[test]
    fn english_profile_and_rule() {
        assert!(sniff(EN));
        let f = parse(EN, "firewall.txt").unwrap();
        let fw = f.config.firewall.unwrap();
        let p = &fw.profiles[0];
        assert_eq!(
            (p.name.as_deref(), p.on, p.inbound, p.evidence.line),
            (Some("domain"), Some(true), Some(InboundPolicy::Block), Some(2))
        );
        let r = &fw.rules[0];
        assert_eq!(r.name, "Remote Desktop (TCP-In)");
        assert_eq!((r.enabled, r.inbound, r.allow, r.evidence.line), (Some(true), Some(true), Some(true), Some(7)));
        assert_eq!(r.covers_port(3389), Some(true));
        assert_eq!(r.covers_port(445), Some(false));
        assert_eq!(r.remote_any(), Some(false));
        assert!(fw.unreadable_rules.is_empty());
        assert!(f.notes.is_empty());
    }

    #[test]
    fn localized_blocks_are_unknown_not_guessed() {
        let de = "\r\nDomänenprofil-Einstellungen:\r\n----------------------------------------------------------------------\r\nStatus                                EIN\r\nFirewallrichtlinie                    BlockInbound,AllowOutbound\r\n\r\nRegelname:                            Remotedesktop (TCP eingehend)\r\n----------------------------------------------------------------------\r\nAktiviert:                            Ja\r\n";
        assert!(sniff(de));
        let fw = parse(de, "firewall.txt").unwrap().config.firewall.unwrap();
        let p = &fw.profiles[0];
        assert_eq!((p.name.as_deref(), p.on, p.inbound), (None, None, Some(InboundPolicy::Block)));
        assert_eq!(fw.unreadable_rules.len(), 1);
        assert_eq!(fw.rules[0].enabled, None);
    }

    #[test]
    fn errors_and_ports() {
        assert!(!sniff("Host Name: X\r\n"));
        let e = parse("The Windows Firewall service is not running.\r\n", "f.txt").unwrap_err().to_string();
        assert!(e.starts_with("f.txt:1: expected"), "{e}");
        let r = FirewallRule {
            name: "x".into(),
            enabled: None,
            inbound: None,
            profiles: None,
            remote_ip: None,
            protocol: None,
            local_port: Some("139,445,1000-2000".into()),
            allow: None,
            evidence: Evidence::new("x", "f", None),
        };
        assert_eq!(
            (r.covers_port(445), r.covers_port(1801), r.covers_port(3389)),
            (Some(true), Some(true), Some(false))
        );
        let rpc = FirewallRule { local_port: Some("RPC".into()), ..r };
        assert_eq!(rpc.covers_port(135), None);
    }
}
