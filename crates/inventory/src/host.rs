//! The facts one file gives ([`Facts`]) and the merged picture of a machine ([`Host`]).
use serde::Serialize;
use w2k8_core::{Arch, Date, Evidence, FileVersion, Kb, Observed};

/// One entry of an installed-updates list (systeminfo's Hotfix(s), wmic qfe,
/// Get-HotFix).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Hotfix {
    /// The identifier as printed: `KB4493471`, `File 1`, `Q147222`, a GUID.
    pub id: String,
    /// The KB number, when `id` holds one.
    pub kb: Option<Kb>,
    /// When it was installed, when the source says and the date is readable
    /// (wmic on 2008 often prints a hex FILETIME instead: that is decoded).
    pub installed_on: Option<Date>,
    /// The description column where there is one (`Update`, `Security Update`, `Hotfix`).
    pub description: Option<String>,
    /// Where it was read.
    pub evidence: Evidence,
}

/// A Component Based Servicing package found in the registry `Packages` key
/// or in `%windir%\servicing\Packages`, e.g.
/// `Package_for_KB4493730~31bf3856ad364e35~amd64~~6.0.1.3`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CbsPackage {
    /// The full identity as printed (without a `.mum`/`.cat` extension).
    pub identity: String,
    /// The package name, the part before the first `~`.
    pub name: String,
    /// The KB the name refers to (`Package_for_KB4493730`, `Package_1_for_KB...`).
    pub kb: Option<Kb>,
    /// The identity's processor field: `x86`, `amd64`, `ia64`, or empty.
    pub arch: Option<String>,
    /// The identity's version field, e.g. `6.0.1.3`.
    pub version: Option<String>,
    /// The `CurrentState` value when the registry export shows it
    /// (0x70 = 112 = installed, 0x65 = 101 = staged, ...).
    pub current_state: Option<u32>,
    /// Where it was read.
    pub evidence: Evidence,
}

impl CbsPackage {
    /// Whether this package counts as installed: no state shown (a
    /// `servicing\Packages` listing), or CurrentState Installed (0x70),
    /// Permanent (0x80) or Superseded (0x50: installed, then replaced by a
    /// newer package).
    pub fn counts_as_installed(&self) -> bool {
        matches!(self.current_state, None | Some(0x50) | Some(0x70) | Some(0x80))
    }
}

/// Hotfix entries kept from one input file. A real 2008 or 2008 R2 server
/// lists a few hundred (systeminfo, wmic qfe, Get-HotFix); a longer list is
/// not a capture of a real machine, or a hostile one. The entries past it
/// are not kept (each costs a few hundred bytes: a 50 MB list of one line
/// repeated cost 600 MB), the list counts as truncated, so that no update
/// is called missing on its word, and a note says how many were left out.
pub const MAX_HOTFIX_ENTRIES: usize = 5_000;

impl Facts {
    /// Keeps `h` unless [`MAX_HOTFIX_ENTRIES`] are kept already; returns
    /// whether it was kept.
    pub(crate) fn keep_hotfix(&mut self, h: Hotfix) -> bool {
        if self.hotfixes.len() >= MAX_HOTFIX_ENTRIES {
            return false;
        }
        self.hotfixes.push(h);
        true
    }

    /// After a parser left `over` entries out for [`MAX_HOTFIX_ENTRIES`]:
    /// the list is truncated, and a note says so.
    pub(crate) fn note_hotfixes_over_cap(&mut self, over: usize) {
        if over == 0 {
            return;
        }
        self.hotfix_list_truncated = true;
        self.notes.push(format!(
            "{over} hotfix entries past the first {MAX_HOTFIX_ENTRIES} were not read (no real server lists that many): the list counts as truncated"
        ));
    }

    /// Notes the `InstalledOn` dates of a hotfix table that were read as
    /// month-first though either order fits, and those that could not be read.
    pub(crate) fn note_install_dates(&mut self, ambiguous: usize, unreadable: &[String]) {
        if ambiguous > 0 {
            self.notes.push(format!(
                "{ambiguous} InstalledOn date(s) could be read month-first or day-first; read as month/day/year (en-US)"
            ));
        }
        if !unreadable.is_empty() {
            self.notes.push(format!("unreadable InstalledOn value(s), left out: {}", unreadable.join(", ")));
        }
    }
}

/// Everything one input file says about its machine. Every field is
/// optional: each format knows only part of the picture.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// Computer name (systeminfo Host Name, wmic CSName).
    pub host_name: Option<Observed<String>>,
    /// The OS name as printed (systeminfo OS Name, wmic Caption, reg ProductName).
    pub os_name: Option<Observed<String>>,
    /// The version as printed, `6.0.6002` (systeminfo's first word, wmic Version,
    /// reg CurrentVersion + CurrentBuildNumber).
    pub os_version: Option<Observed<String>>,
    /// The build number, 6001/6002/6003/7601... (wmic BuildNumber, reg CurrentBuildNumber,
    /// systeminfo's version line).
    pub build: Option<Observed<u32>>,
    /// The service pack as printed (`Service Pack 2`), `None` when the source says N/A.
    pub service_pack: Option<Observed<String>>,
    /// The service pack number parsed from it (2 for "Service Pack 2"; 0 when the
    /// source says there is none).
    pub service_pack_number: Option<Observed<u32>>,
    /// Win32_OperatingSystem.OperatingSystemSKU (the `PRODUCT_*` value).
    pub os_sku: Option<Observed<u32>>,
    /// Registry `EditionID`, e.g. `ServerStandard`.
    pub edition_id: Option<Observed<String>>,
    /// The processor architecture of the OS.
    pub arch: Option<Observed<Arch>>,
    /// The architecture text as printed (`x64-based PC`, `64-bit`).
    pub arch_text: Option<Observed<String>>,
    /// The file version of `%windir%\System32\ntoskrnl.exe`.
    pub kernel_version: Option<Observed<FileVersion>>,
    /// Registry `BuildLabEx` (or `BuildLab`), e.g. `6003.20489.amd64fre.vistasp2_ldr_escrow.190320-1700`.
    pub build_lab: Option<Observed<String>>,
    /// Product ID.
    pub product_id: Option<Observed<String>>,
    /// systeminfo OS Configuration (`Member Server`, `Primary Domain Controller`, ...).
    pub os_configuration: Option<Observed<String>>,
    /// Win32_OperatingSystem.ProductType: 1 workstation, 2 domain controller, 3 server.
    pub product_type: Option<Observed<u32>>,
    /// Registry `InstallationType` (`Server`, `Server Core`; written from Windows Server 2008 R2 on).
    pub installation_type: Option<Observed<String>>,
    /// Original install date as printed.
    pub install_date: Option<Observed<String>>,
    /// Installed updates listed by this source, in order.
    pub hotfixes: Vec<Hotfix>,
    /// The count a hotfix list header declares ("263 Hotfix(s) Installed."),
    /// which may disagree with the lines that follow.
    pub hotfix_count_declared: Option<Observed<u32>>,
    /// True when the source's hotfix list is visibly cut off (count below the
    /// header, or a last entry cut mid-word).
    pub hotfix_list_truncated: bool,
    /// CBS packages (registry or servicing folder).
    pub packages: Vec<CbsPackage>,
    /// The Internet Explorer version from `reg query "HKLM\SOFTWARE\Microsoft\Internet Explorer"`:
    /// `svcVersion` where IE writes it, else `Version`, e.g. `9.0.8112.16421` or `7.0.6002.18005`.
    /// `None` when the bundle does not show it (IE is then not assessed).
    pub ie_version: Option<Observed<String>>,
    /// The .NET Framework versions the `NDP` registry key shows installed, normalised to the
    /// names MSRC uses: `2.0 SP2`, `3.0 SP2`, `3.5 SP1`, `4.5.2`, `4.6`, `4.6.2`... (`4.x` from the
    /// `Release` value, per Microsoft KB318785). Empty when the bundle does not show them.
    pub dotnet: Vec<Observed<String>>,
    /// The pending-restart markers `reg-reboot.txt` shows (`reg query` of three keys, see
    /// [`crate::formats::reboot`]): `RebootPending` (Component Based Servicing),
    /// `RebootRequired` (Windows Update\Auto Update) and `PendingFileRenameOperations`
    /// (Session Manager, only when it holds data). `Some` with an empty list: the bundle was
    /// checked and shows none. `None`: the bundle does not show it.
    pub pending_reboot: Option<Observed<Vec<String>>>,
    /// The logical disks of `wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem /format:list`.
    pub disks: Vec<LogicalDisk>,
    /// Free bytes on the system drive: the `FreeSpace` of `C:` in `disk.txt` (the collector does
    /// not record `%SystemDrive%`, so `C:` is assumed, as on a default installation).
    pub system_drive_free_bytes: Option<Observed<u64>>,
    /// The configuration that decides reachability (registry values of the
    /// workarounds, services, listening ports, firewall, roles); each part
    /// `None` when the bundle does not hold its file. Left out of the JSON
    /// when the bundle holds none of them.
    #[serde(skip_serializing_if = "crate::config::HostConfig::is_empty")]
    pub config: crate::config::HostConfig,
    /// Things a reader should know about this file (odd but accepted input).
    pub notes: Vec<String>,
}

/// One record of `wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem /format:list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LogicalDisk {
    /// `DeviceID`, e.g. `C:`.
    pub device_id: String,
    /// `FileSystem` (`NTFS`), `None` when empty (a CD drive without a disc).
    pub file_system: Option<String>,
    /// `FreeSpace` in bytes, `None` when empty.
    pub free_bytes: Option<u64>,
    /// `Size` in bytes, `None` when empty.
    pub size_bytes: Option<u64>,
    /// Where it was read (the `DeviceID=` line).
    pub evidence: Evidence,
}

/// One input file of a bundle: its name, the format it was read as and its encoding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// The file name, relative to the bundle.
    pub file: String,
    /// The format's name, e.g. `systeminfo`, `wmic-qfe`.
    pub format: String,
    /// The text encoding it was decoded from, e.g. `UTF-16LE (BOM)`, `cp850`.
    pub encoding: String,
}

/// Two sources say different things about the same fact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// The fact, e.g. `build` or `hotfixes`.
    pub fact: String,
    /// What each source said.
    pub values: Vec<Observed<String>>,
    /// Which value was used and why, or why none was.
    pub resolution: String,
    /// What kind of disagreement: `sources_disagree` (two files of the
    /// bundle), or one the assessment finds between facts
    /// (`kernel_older_than_listed_update`, `build_6002_with_6003_update`,
    /// `prerequisite_older`).
    pub kind: String,
    /// What to do about it, when there is something to do.
    pub next_step: Option<String>,
}

/// Everything the bundle says about one machine, merged from all its files.
///
/// Single-valued facts hold the value from the most authoritative source
/// (wmic and the registry over systeminfo's localized text); where sources
/// disagree the disagreement is kept in [`Host::conflicts`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Host {
    /// The files read.
    pub sources: Vec<SourceFile>,
    /// The merged facts (hotfixes and packages from all sources, each with its evidence).
    pub facts: Facts,
    /// Disagreements between sources.
    pub conflicts: Vec<Conflict>,
    /// Files of the bundle that were not read: what a strict load refuses
    /// (kept going without them under [`crate::LoadOptions::lenient`]) and
    /// what is never opened (FIFOs, devices, sockets, links leaving the
    /// bundle). Each is also a note; a fleet scan stores these with the scan.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub file_problems: Vec<FileProblem>,
}

/// A file of a bundle left out of a [`Host`], and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The file, as named inside the bundle.
    pub file: String,
    /// Why it was left out, e.g. `a FIFO (named pipe), not a regular file: not opened`.
    pub problem: String,
}

impl std::fmt::Display for FileProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file, self.problem)
    }
}

impl Host {
    /// Every installed KB, from hotfix lists and CBS packages, sorted and unique.
    pub fn kbs(&self) -> std::collections::BTreeSet<Kb> {
        self.facts
            .hotfixes
            .iter()
            .filter_map(|h| h.kb)
            .chain(self.facts.packages.iter().filter(|p| p.counts_as_installed()).filter_map(|p| p.kb))
            .collect()
    }

    /// The evidence that `kb` is installed: every line that lists it.
    pub fn evidence_for(&self, kb: Kb) -> Vec<&Evidence> {
        self.facts
            .hotfixes
            .iter()
            .filter(|h| h.kb == Some(kb))
            .map(|h| &h.evidence)
            .chain(self.facts.packages.iter().filter(|p| p.kb == Some(kb)).map(|p| &p.evidence))
            .collect()
    }
}
