//! Merges the [`Facts`] of every file in a bundle into one [`Host`].
//!
//! Single-valued facts (build, architecture, SKU, ...) are taken from the most
//! authoritative source that has them: machine-readable `wmic` and registry
//! output first, then `systeminfo`, whose text is localized, then the hotfix
//! lists. When sources disagree on a fact that matters (host name, build,
//! service pack, architecture, SKU, kernel version, edition), the value from
//! the better source is used and the disagreement is kept as a [`Conflict`].
//! Installed-update lists are unioned; when two lists disagree, a conflict
//! names the KBs only one of them shows (a truncated systeminfo list is the
//! usual cause).
use crate::{Conflict, Facts, Host, SourceFile};
use std::collections::BTreeSet;
use w2k8_core::{Kb, Observed};

/// How much a format is trusted for single-valued OS facts: lower wins.
fn rank(format: &str) -> u8 {
    match format {
        "wmic" => 0,
        "reg-query" => 1,
        "systeminfo" => 2,
        "wmic-qfe" => 3,
        "get-hotfix" => 4,
        _ => 5,
    }
}

/// Merges the facts of several files (each with the file it came from) into one host.
pub fn merge(mut parts: Vec<(SourceFile, Facts)>) -> Host {
    // Stable: equal ranks keep bundle order.
    parts.sort_by_key(|(s, _)| rank(&s.format));
    let mut host = Host::default();
    let mut conflicts = Vec::new();
    let mut lists: Vec<(String, BTreeSet<Kb>, bool)> = Vec::new();

    for (src, facts) in parts {
        let out = &mut host.facts;
        take(&mut out.host_name, facts.host_name, "host name", |v| v.to_ascii_uppercase(), &mut conflicts);
        take(&mut out.os_name, facts.os_name, "", |_| String::new(), &mut conflicts);
        take(&mut out.os_version, facts.os_version, "OS version", |v| v.trim().to_string(), &mut conflicts);
        take(&mut out.build, facts.build, "build", |v| v.to_string(), &mut conflicts);
        take(&mut out.service_pack, facts.service_pack, "", |_| String::new(), &mut conflicts);
        take(
            &mut out.service_pack_number,
            facts.service_pack_number,
            "service pack",
            |v| v.to_string(),
            &mut conflicts,
        );
        take(&mut out.os_sku, facts.os_sku, "OperatingSystemSKU", |v| v.to_string(), &mut conflicts);
        take(&mut out.edition_id, facts.edition_id, "EditionID", |v| v.to_ascii_lowercase(), &mut conflicts);
        take(&mut out.arch, facts.arch, "architecture", |v| v.to_string(), &mut conflicts);
        take(&mut out.arch_text, facts.arch_text, "", |_| String::new(), &mut conflicts);
        take(&mut out.kernel_version, facts.kernel_version, "kernel version", |v| v.to_string(), &mut conflicts);
        take(&mut out.build_lab, facts.build_lab, "", |_| String::new(), &mut conflicts);
        take(&mut out.product_id, facts.product_id, "product ID", |v| v.trim().to_ascii_uppercase(), &mut conflicts);
        take(&mut out.os_configuration, facts.os_configuration, "", |_| String::new(), &mut conflicts);
        take(&mut out.product_type, facts.product_type, "ProductType", |v| v.to_string(), &mut conflicts);
        take(
            &mut out.installation_type,
            facts.installation_type,
            "InstallationType",
            |v| v.to_ascii_lowercase(),
            &mut conflicts,
        );
        take(&mut out.install_date, facts.install_date, "", |_| String::new(), &mut conflicts);
        take(
            &mut out.ie_version,
            facts.ie_version,
            "Internet Explorer version",
            |v| v.trim().to_string(),
            &mut conflicts,
        );
        match (&mut out.pending_reboot, facts.pending_reboot) {
            (None, new) => out.pending_reboot = new,
            (Some(old), Some(new)) => {
                for m in new.value {
                    if !old.value.contains(&m) {
                        old.value.push(m);
                    }
                }
            }
            (Some(_), None) => {}
        }
        for d in facts.disks {
            if !out.disks.iter().any(|o| o.device_id.eq_ignore_ascii_case(&d.device_id)) {
                out.disks.push(d);
            }
        }
        take(&mut out.system_drive_free_bytes, facts.system_drive_free_bytes, "", |_| String::new(), &mut conflicts);
        for d in facts.dotnet {
            if !out.dotnet.iter().any(|o| o.value == d.value) {
                out.dotnet.push(d);
            }
        }
        let has_list = !facts.hotfixes.is_empty() || facts.hotfix_count_declared.is_some();
        if out.hotfix_count_declared.is_none() {
            out.hotfix_count_declared = facts.hotfix_count_declared;
        }
        out.hotfix_list_truncated |= facts.hotfix_list_truncated;
        if has_list {
            let kbs: BTreeSet<Kb> = facts.hotfixes.iter().filter_map(|h| h.kb).collect();
            lists.push((src.file.clone(), kbs, facts.hotfix_list_truncated));
        }
        out.hotfixes.extend(facts.hotfixes);
        out.packages.extend(facts.packages);
        let mut config_notes = Vec::new();
        out.config.absorb(facts.config, &mut config_notes);
        out.notes.extend(facts.notes.into_iter().chain(config_notes).map(|n| format!("{}: {n}", src.file)));
        host.sources.push(src);
    }

    // Hotfix lists that disagree.
    for (i, (fa, a, ta)) in lists.iter().enumerate() {
        for (fb, b, tb) in lists.iter().skip(i + 1) {
            if a == b {
                continue;
            }
            let only_a: Vec<String> = a.difference(b).map(Kb::to_string).collect();
            let only_b: Vec<String> = b.difference(a).map(Kb::to_string).collect();
            let describe = |v: &[String]| -> String {
                if v.is_empty() {
                    "nothing the other lacks".to_string()
                } else if v.len() > 12 {
                    format!("{} and {} more", v.iter().take(12).cloned().collect::<Vec<_>>().join(", "), v.len() - 12)
                } else {
                    v.join(", ")
                }
            };
            let why = if *ta || *tb { " (a truncated list explains part of it)" } else { "" };
            conflicts.push(Conflict {
                fact: "hotfixes".to_string(),
                values: vec![
                    Observed::new(
                        format!("only here: {}", describe(&only_a)),
                        w2k8_core::Evidence::new("hotfixes", fa.clone(), None),
                    ),
                    Observed::new(
                        format!("only here: {}", describe(&only_b)),
                        w2k8_core::Evidence::new("hotfixes", fb.clone(), None),
                    ),
                ],
                resolution: format!("the union of both lists is used{why}"),
                kind: "sources_disagree".to_string(),
                next_step: None,
            });
        }
    }
    host.conflicts = conflicts;
    host
}

/// Keeps the first value seen (sources arrive best first); records a
/// conflict when a later source disagrees on a fact named by `fact`
/// (empty `fact`: presentation-only, never a conflict).
fn take<T: Clone>(
    slot: &mut Option<Observed<T>>,
    new: Option<Observed<T>>,
    fact: &str,
    key: impl Fn(&T) -> String,
    conflicts: &mut Vec<Conflict>,
) {
    let Some(new) = new else { return };
    match slot {
        None => *slot = Some(new),
        Some(old) => {
            if fact.is_empty() || key(&old.value) == key(&new.value) {
                return;
            }
            let shown = |o: &Observed<T>| Observed::new(key(&o.value), o.evidence.clone());
            if let Some(c) = conflicts.iter_mut().find(|c| c.fact == fact) {
                c.values.push(shown(&new));
            } else {
                conflicts.push(Conflict {
                    fact: fact.to_string(),
                    values: vec![shown(old), shown(&new)],
                    resolution: format!(
                        "used {} from {}, the more authoritative source",
                        key(&old.value),
                        old.evidence.location()
                    ),
                    kind: "sources_disagree".to_string(),
                    next_step: None,
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Hotfix;
    use w2k8_core::Evidence;

    fn src(file: &str, format: &str) -> SourceFile {
        SourceFile { file: file.into(), format: format.into(), encoding: "UTF-8".into() }
    }
    fn obs<T>(v: T, file: &str, line: u32) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", file, Some(line))))
    }
    fn hf(kb: u32, file: &str, line: u32) -> Hotfix {
        Hotfix {
            id: format!("KB{kb}"),
            kb: Kb::new(kb),
            installed_on: None,
            description: None,
            evidence: Evidence::new(format!("hotfix KB{kb}"), file, Some(line)),
        }
    }

    #[test]
    fn wmic_wins_and_conflict_is_kept() {
        let si = Facts {
            build: obs(6002, "systeminfo.txt", 4),
            hotfixes: vec![hf(4493471, "systeminfo.txt", 33)],
            ..Facts::default()
        };
        let os = Facts { build: obs(6003, "os.txt", 3), ..Facts::default() };
        let qfe = Facts { hotfixes: vec![hf(4493471, "qfe.txt", 9), hf(4493730, "qfe.txt", 20)], ..Facts::default() };
        let host = merge(vec![
            (src("systeminfo.txt", "systeminfo"), si),
            (src("os.txt", "wmic"), os),
            (src("qfe.txt", "wmic-qfe"), qfe),
        ]);
        assert_eq!(host.facts.build.as_ref().unwrap().value, 6003);
        assert_eq!(host.facts.build.as_ref().unwrap().evidence.file, "os.txt");
        let c = host.conflicts.iter().find(|c| c.fact == "build").unwrap();
        assert_eq!(c.values.len(), 2);
        let h = host.conflicts.iter().find(|c| c.fact == "hotfixes").unwrap();
        assert!(h.values[1].value.contains("KB4493730"), "{h:?}");
        assert_eq!(host.kbs().len(), 2);
        assert_eq!(host.evidence_for(Kb::new(4493471).unwrap()).len(), 2);
    }

    #[test]
    fn same_values_no_conflict() {
        let a = Facts { host_name: obs("srv1".to_string(), "a", 1), ..Facts::default() };
        let b = Facts { host_name: obs("SRV1".to_string(), "b", 1), ..Facts::default() };
        let host = merge(vec![(src("a", "systeminfo"), a), (src("b", "wmic"), b)]);
        assert!(host.conflicts.is_empty());
        assert_eq!(host.facts.host_name.unwrap().evidence.file, "b");
    }
}
