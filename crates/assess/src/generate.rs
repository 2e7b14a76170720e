//! Generated "patched through YYYY-MM" hosts, with the truth each must give.
//!
//! For each month from 2018-10 to the last rollup in the data, a Windows
//! Server 2008 SP2 x64 host with that month's monthly rollup, the newest
//! servicing stack update released up to that month, the SHA-2 support
//! update (KB4474419) once it exists (2019-09), and the ESU preparation
//! package (KB4538484) for months after January 2020. Such a host misses
//! exactly the later rollups (one cumulative rollup replaces them all) and
//! later servicing prerequisites, nothing older. Used by the tests and by
//! `bench/vs-wesng.sh` (via the `patched_through` example, which writes the
//! hosts as systeminfo files).
//!
//! [`patched_through_hosts_for`] does the same for Windows Server 2008 R2
//! SP1 x64, from 2019-04 (the first month after the first dated R2 SSU,
//! KB4490628 of March 2019: earlier R2 hosts would need KB3177467, whose
//! release day is not in the data) with the R2 ESU preparation package
//! KB4538483.
use crate::programme::release_or_month;
use w2k8_catalog::{facts, Catalog, OsFamily, UpdateKind};
use w2k8_core::{Date, Kb};

/// One generated host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedHost {
    /// The OS family.
    pub os: OsFamily,
    /// `YYYY-MM`: the month it is patched through.
    pub month: String,
    /// The rollup of that month.
    pub rollup: Kb,
    /// Its release date.
    pub released: Date,
    /// The installed KBs.
    pub installed: Vec<Kb>,
    /// The truth: the rollups released after `month`, oldest first.
    pub later_rollups: Vec<Kb>,
}

/// Every Windows Server 2008 SP2 "patched through" host from 2018-10 to the last rollup.
pub fn patched_through_hosts(catalog: &Catalog) -> Vec<GeneratedHost> {
    patched_through_hosts_for(catalog, OsFamily::Ws2008)
}

/// Every "patched through" host of `os`: 2008 SP2 from 2018-10, 2008 R2 SP1
/// from 2019-04, to the last rollup.
pub fn patched_through_hosts_for(catalog: &Catalog, os: OsFamily) -> Vec<GeneratedHost> {
    let rollups = catalog.rollups(os);
    let first = match os {
        OsFamily::Ws2008 => Date::new(2018, 10, 1),
        OsFamily::Ws2008R2 => Date::new(2019, 4, 1),
    }
    .unwrap_or_else(|| Date::from_days(0));
    let sha2 = facts::sha2_update().value;
    let sha2_date = catalog.update(sha2).and_then(|u| u.released);
    let esu = facts::of(os).esu_prep_package.value;
    let ssus: Vec<(Date, Kb)> = {
        let mut v: Vec<(Date, Kb)> = catalog
            .updates_of_kind(UpdateKind::Ssu)
            .filter(|u| u.applies_to(os))
            .filter_map(|u| release_or_month(u).map(|d| (d, u.kb)))
            .collect();
        v.sort();
        v
    };
    let mut out = Vec::new();
    for (i, r) in rollups.iter().enumerate() {
        let Some(released) = r.released else { continue };
        if released < first {
            continue;
        }
        let month = released.month_string();
        let mut installed = vec![r.kb];
        if let Some((_, ssu)) = ssus.iter().rev().find(|(d, _)| d.month_string() <= month) {
            installed.push(*ssu);
        }
        if sha2_date.is_some_and(|d| d <= released) {
            installed.push(sha2);
        }
        if released > facts::extended_support_end().value {
            installed.push(esu);
        }
        installed.sort_unstable();
        let later_rollups = rollups.iter().skip(i + 1).map(|u| u.kb).collect();
        out.push(GeneratedHost { os, month, rollup: r.kb, released, installed, later_rollups });
    }
    out
}

/// The host as `systeminfo /fo list` prints it on an English Windows Server
/// 2008 SP2 x64 (CRLF line ends; the layout of `examples/srv-file01/systeminfo.txt`)
/// or 2008 R2 SP1 x64 (the OS lines of the real capture in
/// `tests/truth/34-2008-r2-rollup-2017-03`).
pub fn systeminfo_text(h: &GeneratedHost) -> String {
    let (prefix, os_name, os_version) = match h.os {
        OsFamily::Ws2008 => ("GEN", "Microsoftr Windows Serverr 2008 Standard ", "6.0.6003 Service Pack 2 Build 6003"),
        OsFamily::Ws2008R2 => {
            ("GENR2", "Microsoft Windows Server 2008 R2 Standard ", "6.1.7601 Service Pack 1 Build 7601")
        }
    };
    let name = format!("{prefix}-{}", h.month.replace('-', ""));
    let mut lines: Vec<String> = vec![
        String::new(),
        format!("Host Name:                 {name}"),
        format!("OS Name:                   {os_name}"),
        format!("OS Version:                {os_version}"),
        "OS Manufacturer:           Microsoft Corporation".to_string(),
        "OS Configuration:          Member Server".to_string(),
        "OS Build Type:             Multiprocessor Free".to_string(),
        "System Type:               x64-based PC".to_string(),
        format!("Hotfix(s):                 {} Hotfix(s) Installed.", h.installed.len()),
    ];
    for (i, kb) in h.installed.iter().enumerate() {
        lines.push(format!("                           [{:02}]: {kb}", i + 1));
    }
    lines.push("Network Card(s):           1 NIC(s) Installed.".to_string());
    lines.push(String::new());
    lines.join("\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_cover_every_month() {
        let c = Catalog::embedded();
        let hosts = patched_through_hosts(c);
        assert_eq!(hosts.first().map(|h| h.month.as_str()), Some("2018-10"));
        assert_eq!(hosts.last().map(|h| h.rollup), Some(facts::last_data_rollup().value));
        assert_eq!(hosts.len(), c.rollups(OsFamily::Ws2008).len() - 1);
        let h = hosts.iter().find(|h| h.month == "2020-07").unwrap();
        let shown: Vec<String> = h.installed.iter().map(Kb::to_string).collect();
        assert_eq!(shown, ["KB4474419", "KB4538484", "KB4565353", "KB4565536"]);
        let text = systeminfo_text(h);
        assert!(text.contains("4 Hotfix(s) Installed.\r\n                           [01]: KB4474419\r\n"));
    }

    #[test]
    fn r2_hosts_cover_every_month_from_2019_04() {
        let c = Catalog::embedded();
        let hosts = patched_through_hosts_for(c, OsFamily::Ws2008R2);
        // 2019-04 rollup KB4493472; 2026-01 rollup KB5073695 (ws2008r2-sp1-updates.csv).
        assert_eq!(
            hosts.first().map(|h| (h.month.as_str(), h.rollup.to_string())),
            Some(("2019-04", "KB4493472".to_string()))
        );
        assert_eq!(hosts.last().map(|h| h.rollup.to_string()).as_deref(), Some("KB5073695"));
        // July 2020: its rollup KB4565524, the SSU of that month KB4565354, SHA-2, ESU preparation KB4538483.
        let h = hosts.iter().find(|h| h.month == "2020-07").unwrap();
        let shown: Vec<String> = h.installed.iter().map(Kb::to_string).collect();
        assert_eq!(shown, ["KB4474419", "KB4538483", "KB4565354", "KB4565524"]);
        let text = systeminfo_text(h);
        assert!(text.contains("OS Version:                6.1.7601 Service Pack 1 Build 7601\r\n"));
    }
}
