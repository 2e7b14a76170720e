//! The host's MSRC product rows (OS by architecture, service pack and Server
//! Core; Internet Explorer and .NET Framework only when the bundle shows that
//! version) and the status of every component besides the OS.
use super::model::Component;
use crate::standing::Standing;
use std::collections::BTreeMap;
use w2k8_catalog::{Catalog, OsFamily, Product};
use w2k8_core::{Arch, Evidence};
use w2k8_inventory::Host;

/// The host's product rows and the component statuses.
pub(crate) struct Products {
    /// Indexes into `Catalog::products()`.
    pub rows: Vec<u16>,
    /// Their MSRC names, in the same order.
    pub names: Vec<String>,
    /// Every component besides the OS, assessed or not.
    pub components: Vec<Component>,
    /// What the choice assumed.
    pub notes: Vec<String>,
}

/// The MSRC component names a .NET Framework version shown in the registry
/// stands for.
fn dotnet_component(shown: &str) -> &'static [&'static str] {
    match shown {
        "2.0 SP2" => &["Microsoft .NET Framework 2.0 Service Pack 2"],
        "3.0 SP2" => &["Microsoft .NET Framework 3.0 Service Pack 2"],
        // On 2008 R2 the 3.5 SP1 level is the built-in feature MSRC names 3.5.1.
        "3.5 SP1" => &[
            "Microsoft .NET Framework 3.5 Service Pack 1",
            "Microsoft .NET Framework 3.5",
            "Microsoft .NET Framework 3.5.1",
        ],
        "3.5" => &["Microsoft .NET Framework 3.5"],
        "4.5.2" => &["Microsoft .NET Framework 4.5.2"],
        "4.6" | "4.6.1" => &["Microsoft .NET Framework 4.6"],
        "4.6.2" => &["Microsoft .NET Framework 4.6.2"],
        _ => &[],
    }
}

/// Which OS rows apply: architecture, service pack level and Server Core,
/// with a note for each value the bundle does not show.
struct RowKey {
    os: OsFamily,
    arch: Arch,
    core: bool,
    /// 0 for the release as shipped (2008 build 6001, 2008 R2 build 7600),
    /// 2 for 2008 SP2, 1 for 2008 R2 SP1.
    sp: u8,
}

fn row_key(st: &Standing, notes: &mut Vec<String>) -> RowKey {
    let arch = st.arch.unwrap_or_else(|| {
        notes.push("the bundle does not show the architecture: the x64 product rows were used".to_string());
        Arch::X64
    });
    let core = st.server_core.unwrap_or_else(|| {
        notes.push("the bundle does not say whether this is a Server Core installation (no OperatingSystemSKU): the full-installation product rows were used".to_string());
        false
    });
    // MSRC names without a service pack mean the release as shipped (2008
    // build 6001, which reports Service Pack 1; 2008 R2 build 7600).
    let os = st.os_family;
    let sp: u8 = match os {
        OsFamily::Ws2008 if st.build == Some(6001) || st.service_pack == Some(1) => 0,
        OsFamily::Ws2008 => 2,
        OsFamily::Ws2008R2 if st.build == Some(7600) || st.service_pack == Some(0) => 0,
        OsFamily::Ws2008R2 => 1,
    };
    RowKey { os, arch, core, sp }
}

/// What the bundle shows of a component (its detail and evidence), or None.
fn shown(component: &str, host: &Host) -> Option<(String, Evidence)> {
    let f = &host.facts;
    if let Some(v) = component.strip_prefix("Internet Explorer ") {
        let ie = f.ie_version.as_ref()?;
        let major = ie.value.split('.').next()?.trim();
        return (major == v.trim()).then(|| (format!("Internet Explorer {major} ({})", ie.value), ie.evidence.clone()));
    }
    if component.starts_with("Microsoft .NET Framework") {
        return f
            .dotnet
            .iter()
            .find(|d| dotnet_component(&d.value).contains(&component))
            .map(|d| (format!(".NET Framework {}", d.value), d.evidence.clone()));
    }
    None
}

/// The status of a component the bundle does not show installed.
fn not_shown(component: &str, host: &Host) -> Component {
    let f = &host.facts;
    let detail = if component.starts_with("Internet Explorer") {
        match &f.ie_version {
            Some(v) => format!("not installed: the bundle shows Internet Explorer {}", v.value),
            None => "not assessed: not in the bundle (add reg-ie.txt)".to_string(),
        }
    } else if component.starts_with("Microsoft .NET Framework") {
        if f.dotnet.is_empty() {
            "not assessed: not in the bundle (add reg-dotnet.txt)".to_string()
        } else {
            let shown: Vec<&str> = f.dotnet.iter().map(|d| d.value.as_str()).collect();
            format!("not installed: the bundle shows .NET Framework {}", shown.join(", "))
        }
    } else {
        "not assessed: not in the bundle".to_string()
    };
    Component { name: component.to_string(), assessed: false, detail, evidence: None }
}

/// Chooses the host's product rows and component statuses.
pub(crate) fn products(st: &Standing, host: &Host, catalog: &Catalog) -> Products {
    let mut notes = Vec::new();
    let key = row_key(st, &mut notes);
    let mut rows = Vec::new();
    let mut names = Vec::new();
    let mut comps: BTreeMap<String, Component> = BTreeMap::new();
    let candidates = catalog
        .products()
        .iter()
        .enumerate()
        .filter(|(_, p)| p.os == key.os && p.service_pack == key.sp && p.arch == key.arch);
    for (i, p) in candidates {
        let Ok(idx) = u16::try_from(i) else { continue };
        let mut take = |p: &Product| {
            if p.server_core == key.core {
                rows.push(idx);
                names.push(p.name.clone());
            }
        };
        let Some(c) = &p.component else {
            take(p);
            continue;
        };
        match shown(c, host) {
            Some((detail, ev)) => {
                take(p);
                let comp = Component {
                    name: c.clone(),
                    assessed: true,
                    detail: format!("installed: {detail}"),
                    evidence: Some(ev),
                };
                comps.insert(c.clone(), comp);
            }
            None => {
                comps.entry(c.clone()).or_insert_with(|| not_shown(c, host));
            }
        }
    }
    if rows.is_empty() {
        notes.push(format!(
            "the catalog has no MSRC product rows for {} {} {}{}: no CVE can be assessed",
            key.os.name(),
            if key.sp == 0 { "RTM".to_string() } else { format!("SP{}", key.sp) },
            key.arch.as_str(),
            if key.core { " Server Core" } else { "" }
        ));
    }
    Products { rows, names, components: comps.into_values().collect(), notes }
}
