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

/// One source's installed-update list, kept to compare the lists of the
/// sources with each other.
struct HotfixList {
    file: String,
    kbs: BTreeSet<Kb>,
    truncated: bool,
}

/// Merges the facts of several files (each with the file it came from) into one host.
pub fn merge(mut parts: Vec<(SourceFile, Facts)>) -> Host {
    // Stable: equal ranks keep bundle order.
    parts.sort_by_key(|(s, _)| rank(&s.format));
    let mut host = Host::default();
    let mut conflicts = Vec::new();
    let mut lists: Vec<HotfixList> = Vec::new();

    for (src, mut facts) in parts {
        let out = &mut host.facts;
        take_single_valued(out, &mut facts, &mut conflicts);
        union_reboot_disks_dotnet(out, &mut facts);
        if let Some(list) = absorb_rest(out, facts, &src.file) {
            lists.push(list);
        }
        host.sources.push(src);
    }

    conflicts.extend(hotfix_list_conflicts(&lists));
    host.conflicts = conflicts;
    host
}

/// Takes each single-valued fact of `facts` into `out` unless a better
/// source already gave it, recording disagreements in `conflicts`.
fn take_single_valued(out: &mut Facts, facts: &mut Facts, conflicts: &mut Vec<Conflict>) {
    take(&mut out.host_name, facts.host_name.take(), "host name", |v| v.to_ascii_uppercase(), conflicts);
    take(&mut out.os_name, facts.os_name.take(), "", |_| String::new(), conflicts);
    take(&mut out.os_version, facts.os_version.take(), "OS version", |v| v.trim().to_string(), conflicts);
    take(&mut out.build, facts.build.take(), "build", |v| v.to_string(), conflicts);
    take(&mut out.service_pack, facts.service_pack.take(), "", |_| String::new(), conflicts);
    take(&mut out.service_pack_number, facts.service_pack_number.take(), "service pack", |v| v.to_string(), conflicts);
    take(&mut out.os_sku, facts.os_sku.take(), "OperatingSystemSKU", |v| v.to_string(), conflicts);
    take(&mut out.edition_id, facts.edition_id.take(), "EditionID", |v| v.to_ascii_lowercase(), conflicts);
    take(&mut out.arch, facts.arch.take(), "architecture", |v| v.to_string(), conflicts);
    take(&mut out.arch_text, facts.arch_text.take(), "", |_| String::new(), conflicts);
    take(&mut out.kernel_version, facts.kernel_version.take(), "kernel version", |v| v.to_string(), conflicts);
    take(&mut out.build_lab, facts.build_lab.take(), "", |_| String::new(), conflicts);
    take(&mut out.product_id, facts.product_id.take(), "product ID", |v| v.trim().to_ascii_uppercase(), conflicts);
    take(&mut out.os_configuration, facts.os_configuration.take(), "", |_| String::new(), conflicts);
    take(&mut out.product_type, facts.product_type.take(), "ProductType", |v| v.to_string(), conflicts);
    take(
        &mut out.installation_type,
        facts.installation_type.take(),
        "InstallationType",
        |v| v.to_ascii_lowercase(),
        conflicts,
    );
    take(&mut out.install_date, facts.install_date.take(), "", |_| String::new(), conflicts);
    take(
        &mut out.ie_version,
        facts.ie_version.take(),
        "Internet Explorer version",
        |v| v.trim().to_string(),
        conflicts,
    );
    take(&mut out.system_drive_free_bytes, facts.system_drive_free_bytes.take(), "", |_| String::new(), conflicts);
}

/// Unions the pending-restart markers, disks and .NET versions of `facts`
/// into `out`, each once.
fn union_reboot_disks_dotnet(out: &mut Facts, facts: &mut Facts) {
    match (&mut out.pending_reboot, facts.pending_reboot.take()) {
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
    for d in std::mem::take(&mut facts.disks) {
        if !out.disks.iter().any(|o| o.device_id.eq_ignore_ascii_case(&d.device_id)) {
            out.disks.push(d);
        }
    }
    for d in std::mem::take(&mut facts.dotnet) {
        if !out.dotnet.iter().any(|o| o.value == d.value) {
            out.dotnet.push(d);
        }
    }
}

/// Adds the hotfixes, packages, configuration and notes of `facts` (read
/// from `file`) to `out`: the source's hotfix list, when it has one.
fn absorb_rest(out: &mut Facts, facts: Facts, file: &str) -> Option<HotfixList> {
    let has_list = !facts.hotfixes.is_empty() || facts.hotfix_count_declared.is_some();
    if out.hotfix_count_declared.is_none() {
        out.hotfix_count_declared = facts.hotfix_count_declared;
    }
    out.hotfix_list_truncated |= facts.hotfix_list_truncated;
    let list = has_list.then(|| HotfixList {
        file: file.to_string(),
        kbs: facts.hotfixes.iter().filter_map(|h| h.kb).collect(),
        truncated: facts.hotfix_list_truncated,
    });
    out.hotfixes.extend(facts.hotfixes);
    out.packages.extend(facts.packages);
    let mut config_notes = Vec::new();
    out.config.absorb(facts.config, &mut config_notes);
    out.notes.extend(facts.notes.into_iter().chain(config_notes).map(|n| format!("{file}: {n}")));
    list
}

/// A conflict for each pair of hotfix lists that disagree, in list order.
fn hotfix_list_conflicts(lists: &[HotfixList]) -> Vec<Conflict> {
    let mut conflicts = Vec::new();
    for (i, a) in lists.iter().enumerate() {
        for b in lists.iter().skip(i + 1) {
            if a.kbs != b.kbs {
                conflicts.push(hotfix_conflict(a, b));
            }
        }
    }
    conflicts
}

/// The conflict between two hotfix lists: the KBs only each one shows.
fn hotfix_conflict(a: &HotfixList, b: &HotfixList) -> Conflict {
    let only_a: Vec<String> = a.kbs.difference(&b.kbs).map(Kb::to_string).collect();
    let only_b: Vec<String> = b.kbs.difference(&a.kbs).map(Kb::to_string).collect();
    let why = if a.truncated || b.truncated { " (a truncated list explains part of it)" } else { "" };
    Conflict {
        fact: "hotfixes".to_string(),
        values: vec![
            Observed::new(
                format!("only here: {}", describe_kbs(&only_a)),
                w2k8_core::Evidence::new("hotfixes", a.file.clone(), None),
            ),
            Observed::new(
                format!("only here: {}", describe_kbs(&only_b)),
                w2k8_core::Evidence::new("hotfixes", b.file.clone(), None),
            ),
        ],
        resolution: format!("the union of both lists is used{why}"),
        kind: "sources_disagree".to_string(),
        next_step: None,
    }
}

/// A KB list for a conflict: the first 12 and a count of the rest.
fn describe_kbs(v: &[String]) -> String {
    if v.is_empty() {
        "nothing the other lacks".to_string()
    } else if v.len() > 12 {
        format!("{} and {} more", v.iter().take(12).cloned().collect::<Vec<_>>().join(", "), v.len() - 12)
    } else {
        v.join(", ")
    }
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
