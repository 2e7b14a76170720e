//! The catalog's records. Every record keeps the sources it was built from.
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use w2k8_core::{Arch, CveId, Date, FileVersion, Kb};
pub use w2k8_core::{Severity, UpdateKind};

/// The operating systems the catalog knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OsFamily {
    /// Windows Server 2008 (NT 6.0).
    Ws2008,
    /// Windows Server 2008 R2 (NT 6.1).
    Ws2008R2,
}

impl OsFamily {
    /// `Windows Server 2008` or `Windows Server 2008 R2`.
    pub fn name(self) -> &'static str {
        match self {
            OsFamily::Ws2008 => "Windows Server 2008",
            OsFamily::Ws2008R2 => "Windows Server 2008 R2",
        }
    }
}

impl std::fmt::Display for OsFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What an MSRC "affected product" row names: an OS (and service pack,
/// architecture, installation type), or a component on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Product {
    /// The OS.
    pub os: OsFamily,
    /// Service pack level (0 = none/RTM). MSRC's names without a service
    /// pack mean the release as first shipped: for Windows Server 2008 that
    /// is build 6001, which was itself "Service Pack 1" level.
    pub service_pack: u8,
    /// Architecture.
    pub arch: Arch,
    /// True for "(Server Core installation)" rows.
    pub server_core: bool,
    /// `None` for the OS itself; otherwise the component, e.g.
    /// `Internet Explorer 9`, `Microsoft .NET Framework 4.6.2`.
    pub component: Option<String>,
    /// The MSRC product name as written.
    pub name: String,
}

impl Product {
    /// Takes apart an MSRC `AffectedProduct` name, e.g.
    /// `Internet Explorer 9 on Windows Server 2008 for 32-bit Systems Service Pack 2`
    /// (arch x86, component `Internet Explorer 9`) or
    /// `Windows Server 2008 R2 for Itanium-Based Systems Service Pack 1 (Server Core installation)`.
    /// Returns `None` for names that are not a 2008 / 2008 R2 product.
    ///
    /// ```
    /// use w2k8_catalog::{OsFamily, Product};
    /// let p = Product::parse("Windows Server 2008 for x64-based Systems Service Pack 2 (Server Core installation)").unwrap();
    /// assert_eq!((p.os, p.service_pack, p.arch.as_str(), p.server_core), (OsFamily::Ws2008, 2, "x64", true));
    /// assert!(Product::parse("Windows Server 2012 R2").is_none());
    /// ```
    pub fn parse(name: &str) -> Option<Product> {
        let p = crate::wire::parse_product(name)?;
        Some(Product {
            os: if p.os == crate::wire::OS_2008_R2 { OsFamily::Ws2008R2 } else { OsFamily::Ws2008 },
            service_pack: p.service_pack,
            arch: match p.arch {
                crate::wire::ARCH_X86 => Arch::X86,
                crate::wire::ARCH_X64 => Arch::X64,
                _ => Arch::Ia64,
            },
            server_core: p.server_core,
            component: p.component.map(str::to_string),
            name: name.to_string(),
        })
    }

    /// True for the OS itself (no component).
    pub fn is_os(&self) -> bool {
        self.component.is_none()
    }
}

/// One update.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Update {
    /// Its KB number.
    pub kb: Kb,
    /// Release date, where a source gives the day.
    pub released: Option<Date>,
    /// What kind of update it is.
    pub kind: UpdateKind,
    /// The title: Microsoft's where a source quotes it, otherwise MSRC's title.
    pub title: Option<String>,
    /// The KBs it supersedes (directly), as the sources state.
    pub supersedes: Vec<Kb>,
    /// The KBs a source says must be installed first.
    pub requires: Vec<Kb>,
    /// ntoskrnl.exe version after installing it, where a source states it.
    pub kernel: Option<FileVersion>,
    /// Short, sourced caveats (known issues, doubts about date or build).
    pub notes: Vec<String>,
    /// Where every fact of this record came from (URLs or dataset references).
    /// The first entry is the data row it was built from (`file:line`).
    pub sources: Vec<String>,
    /// The OS families it applies to: from the MSRC rows that name it and,
    /// for rows of the servicing table, Windows Server 2008 (SP2).
    pub os: Vec<OsFamily>,
    /// The products (indices into [`crate::Catalog::products`]) MSRC lists it
    /// for. Empty for updates that are not in the MSRC data (most SSUs, the
    /// ESU preparation packages).
    pub products: Vec<u16>,
}

impl Update {
    /// True if it applies to `os`.
    pub fn applies_to(&self, os: OsFamily) -> bool {
        self.os.contains(&os)
    }
}

/// A CISA Known Exploited Vulnerabilities entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kev {
    /// The CVE id, `CVE-YYYY-NNNN`.
    pub cve: CveId,
    /// CISA's vendor/project, e.g. `Microsoft`.
    pub vendor: String,
    /// CISA's product, e.g. `Windows`.
    pub product: String,
    /// The date CISA added it.
    pub date_added: Date,
    /// The due date CISA set for federal agencies.
    pub due_date: Option<Date>,
    /// CISA's vulnerability name.
    pub name: String,
    /// True when CISA says "Known" ransomware campaign use.
    pub ransomware: bool,
    /// The data row, `data/kev/kev-microsoft.csv:LINE` (CISA KEV catalog 2025.08.25).
    pub source: String,
}

/// A fix: this KB fixes the CVE on this product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    /// The update.
    pub kb: Kb,
    /// Index into [`crate::Catalog::products`].
    pub product: u16,
    /// The date MSRC posted this row.
    pub posted: Option<Date>,
}

/// One CVE affecting a Windows Server 2008 / 2008 R2 product.
///
/// Its texts borrow from the embedded catalog where they come from it (no
/// copy of some twenty thousand strings at every start); records an import
/// adds own theirs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cve {
    /// `CVE-YYYY-NNNN`, or an MSRC advisory id such as `ADV190009` where
    /// MSRC lists an advisory with KBs (speculative execution, SHA-2, ...).
    pub id: CveId,
    /// MSRC's title (usually the vulnerability or bulletin title); the most
    /// frequent one over the CVE's rows.
    pub title: Cow<'static, str>,
    /// The affected component (MSRC's `AffectedComponent`, else the product's
    /// component such as `Internet Explorer 9`); empty when neither is given.
    pub component: Cow<'static, str>,
    /// Highest severity over its rows.
    pub severity: Severity,
    /// Impact, e.g. `Remote Code Execution` (most frequent over its rows; may be empty).
    pub impact: Cow<'static, str>,
    /// Public exploit links, as the data lists them.
    pub exploits: Vec<String>,
    /// CISA KEV membership (boxed: a few hundred of some five thousand CVEs
    /// have one, and the table is decoded on every cold start).
    pub kev: Option<Box<Kev>>,
    /// Which updates fix it, on which products.
    pub fixes: Vec<Fix>,
    /// Where the facts came from (`file:line` of its first MSRC row, and the
    /// KEV row if any).
    pub sources: Vec<String>,
    /// Every product MSRC lists as affected (indices into
    /// [`crate::Catalog::products`]), including rows that name no KB.
    pub affected: Vec<u16>,
}

impl Cve {
    /// The KBs that fix it (deduplicated, ascending).
    pub fn fixing_kbs(&self) -> Vec<Kb> {
        let mut v: Vec<Kb> = self.fixes.iter().map(|f| f.kb).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The serde name of each kind is its `as_str` name: JSON answers and the
    /// CSV / store columns say the same word (`dotnet` was `dot_net` in JSON).
    #[test]
    fn update_kind_json_name_is_as_str() {
        let all = [
            (UpdateKind::MonthlyRollup, "monthly_rollup"),
            (UpdateKind::SecurityOnly, "security_only"),
            (UpdateKind::Ssu, "ssu"),
            (UpdateKind::Sha2, "sha2"),
            (UpdateKind::EsuPrep, "esu_prep"),
            (UpdateKind::SecurityUpdate, "security_update"),
            (UpdateKind::InternetExplorer, "internet_explorer"),
            (UpdateKind::DotNet, "dotnet"),
            (UpdateKind::Other, "other"),
            (UpdateKind::ServicePack, "service_pack"),
            (UpdateKind::ConvenienceRollup, "convenience_rollup"),
        ];
        for (kind, name) in all {
            assert_eq!(kind.as_str(), name);
            assert_eq!(serde_json::to_value(kind).ok(), Some(serde_json::Value::String(name.to_string())));
        }
    }
}
