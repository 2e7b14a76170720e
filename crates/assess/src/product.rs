//! Which Windows a host runs: family, NT version, edition, Server Core or not.
//!
//! Works from whatever the bundle holds: the NT version and build (wmic,
//! registry, systeminfo, or ntoskrnl.exe's file version), the OS name as
//! printed (localized around the product name, which stays English), and
//! `OperatingSystemSKU`, the `PRODUCT_*` value of `GetProductInfo`.
use serde::Serialize;
use w2k8_core::{Evidence, Observed};
use w2k8_inventory::{Facts, Host};

/// A Windows family, as far as w2k8 needs to tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// Windows Server 2008 (NT 6.0 server): assessed.
    Ws2008,
    /// Windows Server 2008 R2 (NT 6.1 server): recognised, assessed in a later version.
    Ws2008R2,
    /// Windows Vista (NT 6.0 client): shares 2008's servicing, but a client.
    Vista,
    /// Windows 7 (NT 6.1 client).
    Windows7,
    /// Windows XP (NT 5.1).
    WindowsXp,
    /// Windows Server 2003 / 2003 R2 (NT 5.2).
    Ws2003,
    /// Windows 8 (NT 6.2 client).
    Windows8,
    /// Windows Server 2012 (NT 6.2 server).
    Ws2012,
    /// Windows 8.1 (NT 6.3 client).
    Windows81,
    /// Windows Server 2012 R2 (NT 6.3 server).
    Ws2012R2,
    /// Windows 10 or 11 (NT 10.0 client).
    Windows10,
    /// Windows Server 2016 or later (NT 10.0 server).
    Ws2016Plus,
    /// Not recognisable from the bundle.
    Unknown,
}

impl Family {
    /// The family's common name.
    pub fn name(self) -> &'static str {
        match self {
            Family::Ws2008 => "Windows Server 2008",
            Family::Ws2008R2 => "Windows Server 2008 R2",
            Family::Vista => "Windows Vista",
            Family::Windows7 => "Windows 7",
            Family::WindowsXp => "Windows XP",
            Family::Ws2003 => "Windows Server 2003",
            Family::Windows8 => "Windows 8",
            Family::Ws2012 => "Windows Server 2012",
            Family::Windows81 => "Windows 8.1",
            Family::Ws2012R2 => "Windows Server 2012 R2",
            Family::Windows10 => "Windows 10/11",
            Family::Ws2016Plus => "Windows Server 2016 or later",
            Family::Unknown => "an unrecognised Windows version",
        }
    }
}

/// What the bundle says the OS is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Identity {
    /// The family.
    pub family: Family,
    /// NT version, e.g. `6.0`.
    pub nt_version: Option<String>,
    /// Build number.
    pub build: Option<u32>,
    /// Service pack number (0 = none).
    pub service_pack: Option<u32>,
    /// The product as w2k8 names it, e.g. `Windows Server 2008 SP2`.
    pub product: String,
    /// The edition, e.g. `Standard`, `Enterprise without Hyper-V`.
    pub edition: Option<String>,
    /// Server Core (true), full installation (false), or not told (None).
    pub server_core: Option<bool>,
    /// Evidence for each conclusion.
    pub evidence: Vec<Evidence>,
    /// Caveats about the identification.
    pub notes: Vec<String>,
}

/// A `PRODUCT_*` value of `GetProductInfo` / Win32_OperatingSystem.OperatingSystemSKU:
/// (value, edition, Server Core). Server SKUs only; client SKUs are told by name.
/// Source: Microsoft Learn, "GetProductInfo function (sysinfoapi.h)",
/// <https://learn.microsoft.com/en-us/windows/win32/api/sysinfoapi/nf-sysinfoapi-getproductinfo>.
const SERVER_SKUS: &[(u32, &str, bool)] = &[
    (0x07, "Standard", false),
    (0x08, "Datacenter", false),
    (0x09, "Small Business Server", false),
    (0x0A, "Enterprise", false),
    (0x0C, "Datacenter", true),
    (0x0D, "Standard", true),
    (0x0E, "Enterprise", true),
    (0x0F, "Enterprise for Itanium-based Systems", false),
    (0x11, "Web", false),
    (0x12, "HPC", false),
    (0x13, "Home Server", false),
    (0x14, "Storage Server Express", false),
    (0x15, "Storage Server Standard", false),
    (0x16, "Storage Server Workgroup", false),
    (0x17, "Storage Server Enterprise", false),
    (0x18, "for Windows Essential Server Solutions", false),
    (0x19, "Small Business Server Premium", false),
    (0x1D, "Web", true),
    (0x1E, "Essential Business Server Management", false),
    (0x1F, "Essential Business Server Security", false),
    (0x20, "Essential Business Server Messaging", false),
    (0x21, "Foundation", false),
    (0x23, "without Hyper-V for Windows Essential Server Solutions", false),
    (0x24, "Standard without Hyper-V", false),
    (0x25, "Datacenter without Hyper-V", false),
    (0x26, "Enterprise without Hyper-V", false),
    (0x27, "Datacenter without Hyper-V", true),
    (0x28, "Standard without Hyper-V", true),
    (0x29, "Enterprise without Hyper-V", true),
    (0x2A, "Hyper-V Server", false),
    (0x2B, "Storage Server Express", true),
    (0x2C, "Storage Server Standard", true),
    (0x2D, "Storage Server Workgroup", true),
    (0x2E, "Storage Server Enterprise", true),
];

/// The `SERVER_SKUS` entry for a SKU value.
pub fn server_sku(sku: u32) -> Option<(&'static str, bool)> {
    SERVER_SKUS.iter().find(|(v, _, _)| *v == sku).map(|(_, e, c)| (*e, *c))
}

/// Edition words as they appear in OS names (checked in this order; the
/// product name stays English in localized systeminfo, edition words mostly too).
const EDITION_WORDS: &[(&str, &str)] = &[
    ("small business", "Small Business Server"),
    ("essential business", "Essential Business Server"),
    ("storage server", "Storage Server"),
    ("hpc", "HPC"),
    ("datacenter", "Datacenter"),
    ("enterprise", "Enterprise"),
    ("entreprise", "Enterprise"),
    ("standard", "Standard"),
    ("web server", "Web"),
    (" web", "Web"),
    ("foundation", "Foundation"),
];

fn edition_from_name(name: &str) -> Option<String> {
    let lower = name.to_lowercase();
    let mut edition = EDITION_WORDS.iter().find(|(w, _)| lower.contains(w)).map(|(_, e)| e.to_string());
    if lower.contains("itanium") {
        edition = Some(match edition {
            Some(e) => format!("{e} for Itanium-based Systems"),
            None => "for Itanium-based Systems".to_string(),
        });
    }
    if lower.contains("without hyper-v") || lower.contains("sans hyper-v") || lower.contains("ohne hyper-v") {
        if let Some(e) = &mut edition {
            e.push_str(" without Hyper-V");
        }
    }
    edition
}

fn nt_from_build(build: u32) -> Option<&'static str> {
    match build {
        2600 => Some("5.1"),
        3790 => Some("5.2"),
        6000..=6003 => Some("6.0"),
        7600 | 7601 => Some("6.1"),
        9200 => Some("6.2"),
        9600 => Some("6.3"),
        10240.. => Some("10.0"),
        _ => None,
    }
}

/// Identifies the OS of `host`.
pub fn identify(host: &Host) -> Identity {
    let f = &host.facts;
    let mut r = Reading { f, evidence: Vec::new(), notes: Vec::new() };
    let build = r.build();
    let nt_version = r.nt_version(build);
    let name = f.os_name.as_ref().map(|n| n.value.as_str()).unwrap_or("");
    let lower = name.to_lowercase();
    let sku_server = f.os_sku.as_ref().map(|s| s.value).and_then(server_sku);
    let is_server = is_server(f, &lower);
    if let Some(n) = &f.os_name {
        r.cite("product", n);
    }
    let family = r.family(nt_version.as_deref(), is_server);
    let service_pack = r.service_pack(family, build);
    let edition = r.edition(sku_server, name, &lower);
    let server_core = r.server_core(sku_server);
    let product = product_name(family, build, service_pack, name, nt_version.as_deref());
    let Reading { evidence, notes, .. } = r;
    Identity { family, nt_version, build, service_pack, product, edition, server_core, evidence, notes }
}

/// The facts being read, and the evidence and notes the reading adds, in order.
struct Reading<'h> {
    f: &'h Facts,
    evidence: Vec<Evidence>,
    notes: Vec<String>,
}

impl Reading<'_> {
    /// Adds `o`'s file and line as the evidence for `fact`.
    fn cite<T>(&mut self, fact: &str, o: &Observed<T>) {
        self.evidence.push(Evidence::new(fact, o.evidence.file.clone(), o.evidence.line));
    }

    /// The build: as reported, else ntoskrnl.exe's.
    fn build(&mut self) -> Option<u32> {
        let f = self.f;
        let build =
            f.build.as_ref().map(|b| b.value).or_else(|| f.kernel_version.as_ref().map(|k| u32::from(k.value.build)));
        if let Some(b) = &f.build {
            self.cite("build", b);
        } else if let Some(k) = &f.kernel_version {
            self.cite("build", k);
        }
        build
    }

    /// The NT version: as reported, else from the build, else ntoskrnl.exe's.
    fn nt_version(&mut self, build: Option<u32>) -> Option<String> {
        let f = self.f;
        let nt_version = f
            .os_version
            .as_ref()
            .and_then(|v| {
                let mut it = v.value.trim().split('.');
                match (it.next(), it.next()) {
                    (Some(a), Some(b)) if !a.is_empty() && !b.is_empty() => Some(format!("{a}.{b}")),
                    _ => None,
                }
            })
            .or_else(|| build.and_then(nt_from_build).map(str::to_string))
            .or_else(|| f.kernel_version.as_ref().map(|k| format!("{}.{}", k.value.major, k.value.minor)));
        if let Some(v) = &f.os_version {
            self.cite("nt_version", v);
        }
        nt_version
    }

    /// The family from the NT version and server-or-client.
    fn family(&mut self, nt_version: Option<&str>, is_server: Option<bool>) -> Family {
        match (nt_version, is_server) {
            (Some("6.0"), Some(true)) => Family::Ws2008,
            (Some("6.0"), Some(false)) => Family::Vista,
            (Some("6.0"), None) => {
                self.notes.push("the bundle does not name the OS; NT 6.0 taken as Windows Server 2008".to_string());
                Family::Ws2008
            }
            (Some("6.1"), Some(false)) => Family::Windows7,
            (Some("6.1"), _) => Family::Ws2008R2,
            (Some("5.1"), _) => Family::WindowsXp,
            (Some("5.2"), _) => Family::Ws2003,
            (Some("6.2"), Some(false)) => Family::Windows8,
            (Some("6.2"), _) => Family::Ws2012,
            (Some("6.3"), Some(false)) => Family::Windows81,
            (Some("6.3"), _) => Family::Ws2012R2,
            (Some("10.0"), Some(false)) => Family::Windows10,
            (Some("10.0"), _) => Family::Ws2016Plus,
            _ => Family::Unknown,
        }
    }

    /// The service pack: as reported, else told by the build.
    fn service_pack(&mut self, family: Family, build: Option<u32>) -> Option<u32> {
        let f = self.f;
        let service_pack = f.service_pack_number.as_ref().map(|s| s.value).or(match (family, build) {
            (Family::Ws2008 | Family::Vista, Some(6001)) => Some(1),
            (Family::Ws2008 | Family::Vista, Some(6002 | 6003)) => Some(2),
            (Family::Ws2008R2 | Family::Windows7, Some(7601)) => Some(1),
            (Family::Ws2008R2 | Family::Windows7, Some(7600)) => Some(0),
            _ => None,
        });
        if let Some(sp) = &f.service_pack_number {
            self.cite("service_pack", sp);
        }
        service_pack
    }

    /// Edition: the SKU is exact; the name is the fallback.
    fn edition(&mut self, sku_server: Option<(&str, bool)>, name: &str, lower: &str) -> Option<String> {
        let f = self.f;
        if let (Some((e, _)), Some(s)) = (sku_server, &f.os_sku) {
            self.cite("edition", s);
            let mut e = e.to_string();
            if lower.contains("itanium") && !e.contains("Itanium") {
                e.push_str(" for Itanium-based Systems");
            }
            Some(e)
        } else if let Some(e) = edition_from_name(name) {
            if let Some(n) = &f.os_name {
                self.cite("edition", n);
            }
            Some(e)
        } else {
            None
        }
    }

    /// Server Core or not: the SKU tells, else the installation type.
    fn server_core(&mut self, sku_server: Option<(&str, bool)>) -> Option<bool> {
        let f = self.f;
        match (sku_server, &f.os_sku, &f.installation_type) {
            (Some((_, core)), Some(s), _) => {
                self.cite("server_core", s);
                Some(core)
            }
            (_, _, Some(t)) => {
                self.cite("server_core", t);
                Some(t.value.to_ascii_lowercase().contains("core"))
            }
            _ => None,
        }
    }
}

/// Server (true), client (false) or not told (None): the product type, else
/// the name, SKU, edition id or configuration.
fn is_server(f: &Facts, lower: &str) -> Option<bool> {
    let sku = f.os_sku.as_ref().map(|s| s.value);
    let sku_server = sku.and_then(server_sku);
    let edition_id = f.edition_id.as_ref().map(|e| e.value.to_ascii_lowercase()).unwrap_or_default();
    let config = f.os_configuration.as_ref().map(|c| c.value.to_lowercase()).unwrap_or_default();
    let product_type = f.product_type.as_ref().map(|p| p.value);
    if matches!(product_type, Some(2 | 3)) {
        Some(true)
    } else if product_type == Some(1) {
        Some(false)
    } else if lower.contains("server")
        || sku_server.is_some()
        || edition_id.starts_with("server")
        || config.contains("server")
        || config.contains("domain controller")
    {
        Some(true)
    } else if ["vista", "windows 7", "windows 8", "windows 10", "windows 11", "windows xp", " xp "]
        .iter()
        .any(|w| lower.contains(w))
        || (sku.is_some() && sku_server.is_none())
    {
        Some(false)
    } else {
        None
    }
}

/// The product as w2k8 names it.
fn product_name(
    family: Family,
    build: Option<u32>,
    service_pack: Option<u32>,
    name: &str,
    nt_version: Option<&str>,
) -> String {
    match family {
        Family::Ws2008 => match build {
            Some(6001) => "Windows Server 2008 RTM (reports Service Pack 1, build 6001)".to_string(),
            Some(6002 | 6003) => "Windows Server 2008 SP2".to_string(),
            Some(b) => format!("Windows Server 2008 (build {b})"),
            None => "Windows Server 2008".to_string(),
        },
        Family::Ws2008R2 => match service_pack {
            Some(0) => "Windows Server 2008 R2".to_string(),
            Some(n) => format!("Windows Server 2008 R2 SP{n}"),
            None => "Windows Server 2008 R2".to_string(),
        },
        other => match (name.trim(), nt_version) {
            ("", Some(v)) => format!("{} (NT {v})", other.name()),
            ("", None) => other.name().to_string(),
            (n, _) => format!("{} ({})", other.name(), n),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use w2k8_inventory::Facts;

    fn o<T>(v: T) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", "f.txt", Some(1))))
    }

    fn host(name: &str, version: &str, build: u32, sku: Option<u32>) -> Host {
        Host {
            facts: Facts {
                os_name: o(name.to_string()),
                os_version: o(version.to_string()),
                build: o(build),
                os_sku: sku.and_then(o),
                ..Facts::default()
            },
            ..Host::default()
        }
    }

    #[test]
    fn families() {
        let cases = [
            ("Microsoft® Windows Server® 2008 Standard ", "6.0.6002", 6002, Family::Ws2008),
            ("Microsoft Windows Server 2008 R2 Standard", "6.1.7601", 7601, Family::Ws2008R2),
            ("Microsoftr Windows VistaT Enterprise", "6.0.6002", 6002, Family::Vista),
            ("Microsoft Windows 7 Entreprise N", "6.1.7601", 7601, Family::Windows7),
            ("Microsoft(R) Windows(R) Server 2003, Standard Edition", "5.2.3790", 3790, Family::Ws2003),
            ("Майкрософт Ознакомительная версия Windows Server 2012 R2 Standard", "6.3.9600", 9600, Family::Ws2012R2),
            ("Microsoft Windows 10 Pro", "10.0.17134", 17134, Family::Windows10),
        ];
        for (name, v, b, want) in cases {
            assert_eq!(identify(&host(name, v, b, None)).family, want, "{name}");
        }
    }

    #[test]
    fn sku_decides_edition_and_core() {
        let id = identify(&host("Microsoft Windows Server 2008 Enterprise", "6.0.6003", 6003, Some(0x0E)));
        assert_eq!(id.edition.as_deref(), Some("Enterprise"));
        assert_eq!(id.server_core, Some(true));
        assert_eq!(id.product, "Windows Server 2008 SP2");
        let id = identify(&host("Microsoft Windows Server 2008 Standard without Hyper-V", "6.0.6002", 6002, None));
        assert_eq!(id.edition.as_deref(), Some("Standard without Hyper-V"));
        assert_eq!(id.server_core, None);
        let id =
            identify(&host("Microsoft Windows Server 2008 for Itanium-Based Systems", "6.0.6002", 6002, Some(0x0F)));
        assert_eq!(id.edition.as_deref(), Some("Enterprise for Itanium-based Systems"));
        let id = identify(&host("Microsoft Windows Server 2008 Datacenter", "6.0.6001", 6001, Some(0x08)));
        assert!(id.product.contains("RTM"));
        assert_eq!(id.service_pack, Some(1));
    }
}
