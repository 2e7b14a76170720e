//! The catalog's records. Every record keeps the sources it was built from.
use serde::{Deserialize, Serialize};
use w2k8_core::{Arch, Date, FileVersion, Kb};

/// What kind of update a KB is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateKind {
    /// Security Monthly Quality Rollup (cumulative, from 2018-09).
    MonthlyRollup,
    /// Security-only update (that month's fixes only).
    SecurityOnly,
    /// Servicing stack update.
    Ssu,
    /// SHA-2 code signing support (KB4474419, KB4039648).
    Sha2,
    /// ESU licensing preparation package (KB4538484, KB4575904).
    EsuPrep,
    /// A stand-alone security update of the OS (pre-rollup era, bulletins MSxx-yyy).
    SecurityUpdate,
    /// An Internet Explorer update.
    InternetExplorer,
    /// A .NET Framework update.
    DotNet,
    /// Anything else (out-of-band, unclassified).
    Other,
}

impl UpdateKind {
    /// The snake_case name used in JSON and the data files.
    pub fn as_str(self) -> &'static str {
        match self {
            UpdateKind::MonthlyRollup => "monthly_rollup",
            UpdateKind::SecurityOnly => "security_only",
            UpdateKind::Ssu => "ssu",
            UpdateKind::Sha2 => "sha2",
            UpdateKind::EsuPrep => "esu_prep",
            UpdateKind::SecurityUpdate => "security_update",
            UpdateKind::InternetExplorer => "internet_explorer",
            UpdateKind::DotNet => "dotnet",
            UpdateKind::Other => "other",
        }
    }
}

/// The operating systems the catalog knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OsFamily {
    /// Windows Server 2008 (NT 6.0).
    Ws2008,
    /// Windows Server 2008 R2 (NT 6.1).
    Ws2008R2,
}

/// What an MSRC "affected product" row names: an OS (and service pack,
/// architecture, installation type), or a component on it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Product {
    /// The OS.
    pub os: OsFamily,
    /// Service pack level (0 = none/RTM).
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
    pub sources: Vec<String>,
}

/// Severity as MSRC rates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// No rating given.
    Unrated,
    /// Low.
    Low,
    /// Moderate.
    Moderate,
    /// Important.
    Important,
    /// Critical.
    Critical,
}

/// A CISA Known Exploited Vulnerabilities entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kev {
    /// The date CISA added it.
    pub date_added: Date,
    /// The due date CISA set for federal agencies.
    pub due_date: Option<Date>,
    /// CISA's vulnerability name.
    pub name: String,
    /// True when CISA says "Known" ransomware campaign use.
    pub ransomware: bool,
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cve {
    /// `CVE-YYYY-NNNN`.
    pub id: String,
    /// MSRC's title (usually the component or update title).
    pub title: String,
    /// The affected component.
    pub component: String,
    /// Highest severity over its rows.
    pub severity: Severity,
    /// Impact, e.g. `Remote Code Execution`.
    pub impact: String,
    /// Public exploit links, as the data lists them.
    pub exploits: Vec<String>,
    /// CISA KEV membership.
    pub kev: Option<Kev>,
    /// Which updates fix it, on which products.
    pub fixes: Vec<Fix>,
    /// Where the facts came from.
    pub sources: Vec<String>,
}
