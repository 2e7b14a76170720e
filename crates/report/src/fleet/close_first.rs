//! `w2k8 report --close-first`: the fleet view "what to close first" as
//! text, the isolation changes that remove the most reachable KEV
//! exposure across hosts, from [`CloseFirst`].
//!
//! One line per change, the one addressing the most reachable KEV (host,
//! CVE) pairs first; what it addresses, on how many hosts, and where a
//! role the host serves leaves it out. The hosts whose reachability could
//! not be judged are counted, never shown as having nothing to close.
use crate::tabular::table;
use w2k8_fleet::{CloseFirst, CloseFirstStep};

/// How many KEV CVEs a line names before `+N more`.
const CVES_SHOWN: usize = 4;

/// `CVE-a, CVE-b, +N more`.
fn cve_list(cves: &[w2k8_core::CveId]) -> String {
    let mut out: Vec<String> = cves.iter().take(CVES_SHOWN).map(|c| c.to_string()).collect();
    if cves.len() > CVES_SHOWN {
        out.push(format!("+{} more", cves.len() - CVES_SHOWN));
    }
    out.join(", ")
}

/// The view as text.
pub fn text(cf: &CloseFirst) -> String {
    let mut out = String::from(
        "What to close first: the isolation changes that remove the most reachable KEV exposure across hosts\n\
         (for open KEV and critical CVEs no available update fixes; commands, undo and side effects: \
         `w2k8 plan HOST`, `w2k8 script HOST --isolate`)\n\n",
    );
    if cf.steps.is_empty() {
        out.push_str("No isolation change is proposed for any judged host.\n");
    } else {
        let header = ["#", "change", "effect", "hosts", "kev_pairs", "kev_cves", "left_out_for_role"];
        let rows: Vec<Vec<String>> = cf.steps.iter().enumerate().map(|(i, s)| row(i, s)).collect();
        out.push_str(&table(&header, &rows));
    }
    out.push('\n');
    out.push_str(&footer(cf));
    out
}

/// The table row of the `i`th (from 0) change.
fn row(i: usize, s: &CloseFirstStep) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        format!("{} ({})", s.id, s.component),
        effect(s),
        s.hosts.to_string(),
        s.kev_pairs.to_string(),
        cve_list(&s.kev_cves),
        left_out(s),
    ]
}

/// `removes`, or `reduces only`; ` (restart)` when the change needs one.
fn effect(s: &CloseFirstStep) -> String {
    match (s.effect.as_str(), s.restart) {
        ("removes", false) => "removes".to_string(),
        ("removes", true) => "removes (restart)".to_string(),
        (e, false) => format!("{e} only"),
        (e, true) => format!("{e} only (restart)"),
    }
}

/// The hosts a role leaves out of the change, and the KEV pairs left open
/// there; empty when none.
fn left_out(s: &CloseFirstStep) -> String {
    if s.left_out_for_role == 0 {
        String::new()
    } else {
        let more = s.left_out_for_role as usize - s.left_out_hosts.len().min(s.left_out_for_role as usize);
        let names = s.left_out_hosts.join(", ");
        let names = if more > 0 { format!("{names}, +{more} more") } else { names };
        format!("{} host(s), {} KEV pair(s) left open: {names}", s.left_out_for_role, s.left_out_kev_pairs)
    }
}

/// The counts under the table: hosts judged, pairs no change helps, hosts
/// not judged and hosts not recorded.
fn footer(cf: &CloseFirst) -> String {
    let mut out = format!("{} assessed host(s) judged", cf.hosts_judged);
    if cf.no_step_known > 0 {
        out.push_str(&format!(
            "; {} reachable KEV or critical (host, CVE) pair(s) have no host-level change: only network isolation or replacing the host helps",
            cf.no_step_known
        ));
    }
    out.push('\n');
    if cf.hosts_not_judged > 0 {
        out.push_str(&format!(
            "{} host(s) have KEV or critical CVEs with no fix whose reachability is unknown (the bundle lacks reg-mitigations.txt, services.txt, netstat.txt, firewall.txt or roles.txt, or a value a documented mitigation tests): no change is known for those, and they are not shown safe; collect them with `w2k8 collector`\n",
            cf.hosts_not_judged
        ));
    }
    if cf.hosts_not_recorded > 0 {
        out.push_str(&format!(
            "{} host(s) were scanned before w2k8 recorded isolation plans: not counted; `w2k8 scan --reassess` fills them\n",
            cf.hosts_not_recorded
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_listed_with_what_they_address_and_who_is_left_out() {
        let cf = CloseFirst {
            hosts_judged: 3,
            hosts_not_judged: 1,
            hosts_not_recorded: 2,
            no_step_known: 4,
            steps: vec![CloseFirstStep {
                id: "stop_spooler".into(),
                component: "print_spooler".into(),
                effect: "removes".into(),
                restart: false,
                hosts: 2,
                kev_pairs: 3,
                kev_cves: vec!["CVE-2021-1675".parse().unwrap(), "CVE-2021-34527".parse().unwrap()],
                other_pairs: 0,
                left_out_for_role: 1,
                left_out_kev_pairs: 1,
                left_out_hosts: vec!["SRV-PRINT".into()],
            }],
        };
        let t = text(&cf);
        assert!(t.contains("1  stop_spooler (print_spooler)  removes  2      3          CVE-2021-1675, CVE-2021-34527  1 host(s), 1 KEV pair(s) left open: SRV-PRINT"), "{t}");
        assert!(
            t.contains(
                "3 assessed host(s) judged; 4 reachable KEV or critical (host, CVE) pair(s) have no host-level change"
            ),
            "{t}"
        );
        assert!(t.contains("1 host(s) have KEV or critical CVEs with no fix whose reachability is unknown"), "{t}");
        assert!(t.contains("2 host(s) were scanned before w2k8 recorded isolation plans"), "{t}");
        let none = text(&CloseFirst::default());
        assert!(none.contains("No isolation change is proposed for any judged host."), "{none}");
    }

    #[test]
    fn long_cve_lists_are_cut() {
        let cves: Vec<w2k8_core::CveId> = (1..=6).map(|i| format!("CVE-2020-000{i}").parse().unwrap()).collect();
        assert_eq!(cve_list(&cves), "CVE-2020-0001, CVE-2020-0002, CVE-2020-0003, CVE-2020-0004, +2 more");
    }
}
