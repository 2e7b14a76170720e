//! Where a Windows Server 2008 host stands: product, edition, build and
//! kernel branch, the newest rollup installed and so "patched through
//! YYYY-MM", and the servicing prerequisites (SSU, SHA-2, ESU preparation).
//!
//! Every conclusion carries the evidence (file, line) it rests on.
use crate::product::{identify, Family, Identity};
use crate::truth::{self, Completeness, Proof, Status};
use serde::Serialize;
use std::collections::BTreeSet;
use w2k8_catalog::{facts, Catalog, OsFamily, Update, UpdateKind};
use w2k8_core::{Arch, Date, Evidence, FileVersion, Kb, Month};
use w2k8_inventory::{Conflict, Host, SourceFile};

/// An update as a standing mentions it: `{kb, released, kind}` and its title.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UpdateRef {
    /// The KB.
    pub kb: Kb,
    /// Release date, when the catalog knows the day.
    pub released: Option<Date>,
    /// Kind of update.
    pub kind: UpdateKind,
    /// The release month (`YYYY-MM`) when only the month is sourced.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// Title, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

impl UpdateRef {
    fn of(u: &Update) -> UpdateRef {
        let month = if u.released.is_none() { month_hint(u).map(Date::month_string) } else { None };
        UpdateRef { kb: u.kb, released: u.released, month, kind: u.kind, title: u.title.clone() }
    }
}

/// Whether one servicing prerequisite (SHA-2 support, ESU preparation) is installed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Prerequisite {
    /// Installed (true), not installed (false), or unknown (null: the bundle
    /// cannot tell).
    pub present: Option<bool>,
    /// `installed`, `missing` or `unknown`.
    pub status: Status,
    /// Why the status is what it is.
    pub basis: String,
    /// The KB that is (or should be) installed.
    pub kb: Kb,
    /// Other KBs of the same kind found installed.
    pub also_installed: Vec<Kb>,
    /// What it is for and where that is stated.
    pub why: String,
}

/// Servicing stack updates: which are installed, and the newest one the catalog knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SsuStatus {
    /// The SSUs the bundle shows, oldest first.
    pub installed: Vec<UpdateRef>,
    /// The newest SSU the catalog knows for Windows Server 2008 SP2.
    pub newest_known: Option<UpdateRef>,
    /// The newest SSU released by the end of the host's update programme
    /// (`programme`): the newest this host can get. A host without ESU
    /// cannot get an SSU of 2024.
    pub newest_available: Option<UpdateRef>,
    /// The programme `newest_available` is relative to, e.g. `esu` (inferred
    /// from the installed updates, or given with `--esu`).
    pub programme: String,
    /// True when `newest_available` (or a later SSU) is installed.
    pub current: bool,
    /// Whether a servicing stack update is installed: `installed`,
    /// `missing` or `unknown`.
    pub status: Status,
    /// Why.
    pub basis: String,
}

/// What the hotfix lists of the bundle show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HotfixSummary {
    /// Distinct KBs found (hotfix lists and CBS packages).
    pub count: usize,
    /// The count systeminfo's header declares, if any.
    pub declared: Option<u32>,
    /// True when a list is visibly cut off.
    pub truncated: bool,
    /// Installed KBs the catalog does not know (drivers, non-security hotfixes, other products).
    pub not_in_catalog: Vec<Kb>,
}

/// The track a host's monthly updates follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Track {
    /// Monthly rollups (each contains every earlier month).
    MonthlyRollup,
    /// Security-only updates (one per month, none may be skipped).
    SecurityOnly,
    /// Both kinds installed.
    Mixed,
}

impl Track {
    /// The JSON name: `monthly_rollup`, `security_only`, `mixed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Track::MonthlyRollup => "monthly_rollup",
            Track::SecurityOnly => "security_only",
            Track::Mixed => "mixed",
        }
    }
}

/// The standing of one host: the output of `w2k8 standing`.
///
/// Its JSON form is a contract: the fields `host`, `product`, `edition`,
/// `arch`, `server_core`, `service_pack`, `build`, `kernel_revision`,
/// `branch`, `hotfixes`, `latest_rollup`, `patched_through` and `evidence`
/// keep their names and meaning; new fields may be added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// Host name.
    pub host: Option<String>,
    /// The product, e.g. `Windows Server 2008 SP2`, `Windows Server 2008 R2 SP1`.
    pub product: String,
    /// The OS family: `ws2008` (NT 6.0) or `ws2008_r2` (NT 6.1).
    pub os_family: OsFamily,
    /// The OS name as the bundle prints it.
    pub os_name: Option<String>,
    /// NT version, `6.0` or `6.1`.
    pub nt_version: Option<String>,
    /// Edition, e.g. `Standard`, `Datacenter without Hyper-V`.
    pub edition: Option<String>,
    /// `x86`, `x64` or `ia64`.
    pub arch: Option<Arch>,
    /// Server Core (true), full (false), unknown (null: no OperatingSystemSKU in the bundle).
    pub server_core: Option<bool>,
    /// Service pack number.
    pub service_pack: Option<u32>,
    /// Build number: 6001, 6002 or 6003 (2008); 7600 or 7601 (2008 R2).
    pub build: Option<u32>,
    /// Why the build is what it is (6003: the servicing revision ran out in 2019).
    pub build_note: Option<String>,
    /// ntoskrnl.exe's file version, e.g. `6.0.6003.21872`.
    pub kernel_revision: Option<FileVersion>,
    /// The servicing branch that revision belongs to: `GDR` or `LDR` (2008
    /// only: the data has no sourced revision ranges for 2008 R2).
    pub branch: Option<w2k8_catalog::facts::Branch>,
    /// The revision ranges behind `branch`, with source.
    pub branch_note: Option<String>,
    /// The newest monthly rollup whose kernel the host's kernel has reached.
    pub kernel_level: Option<UpdateRef>,
    /// Installed KBs, sorted and unique.
    pub hotfixes: Vec<Kb>,
    /// About the hotfix lists.
    pub hotfix_summary: HotfixSummary,
    /// The newest monthly rollup or security-only update installed.
    pub latest_rollup: Option<UpdateRef>,
    /// `YYYY-MM`: the month through which the host has every monthly fix;
    /// null when the evidence gives only a bound (`patched_through_at_least`).
    pub patched_through: Option<Month>,
    /// `YYYY-MM`: a lower bound, when that is all the evidence gives (a build,
    /// a kernel, a partial list): an update of this month or later is in effect.
    pub patched_through_at_least: Option<Month>,
    /// How `patched_through` (or the bound) was decided.
    pub patched_through_basis: Option<String>,
    /// `complete` (the bundle lists the installed updates as a whole) or
    /// `partial` (absence proves nothing).
    pub evidence_completeness: Completeness,
    /// Why the evidence is complete or partial.
    pub evidence_note: String,
    /// `monthly_rollup`, `security_only`, or `mixed`: the track the installed updates follow.
    pub track: Option<Track>,
    /// SHA-2 code signing support (KB4474419).
    pub sha2: Prerequisite,
    /// Servicing stack updates.
    pub ssu: SsuStatus,
    /// ESU licensing preparation package (KB4538484; 2008 R2: KB4538483).
    pub esu_prep: Prerequisite,
    /// The newest installed update by release date.
    pub newest_update: Option<UpdateRef>,
    /// Days from that update's release to `as_of`.
    pub days_since_newest_update: Option<i64>,
    /// The latest install date any hotfix list shows.
    pub last_installed_on: Option<Date>,
    /// The date the standing was computed for.
    pub as_of: Date,
    /// Disagreements between the bundle's files.
    pub conflicts: Vec<Conflict>,
    /// Caveats.
    pub notes: Vec<String>,
    /// The files read.
    pub sources: Vec<SourceFile>,
    /// Evidence: which file and line supports each conclusion.
    pub evidence: Vec<Evidence>,
}

/// The host runs something `standing` does not assess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotAssessed {
    /// Another Windows version (named).
    Unsupported(Box<Identity>),
    /// The bundle does not say which Windows it is.
    NotIdentified,
}

impl std::fmt::Display for NotAssessed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotAssessed::NotIdentified => write!(
                f,
                "the bundle does not say which Windows it is: expected systeminfo, wmic os or reg query CurrentVersion output"
            ),
            NotAssessed::Unsupported(id) => {
                let build = id.build.map(|b| format!(", build {b}")).unwrap_or_default();
                let nt = id.nt_version.as_deref().map(|v| format!("NT {v}")).unwrap_or_else(|| "NT ?".into());
                let why = match id.family {
                    Family::Vista => "Windows Vista shares Windows Server 2008's servicing but is a client, which w2k8 does not assess",
                    Family::Windows7 => "Windows 7 shares Windows Server 2008 R2's servicing but is a client, which w2k8 does not assess",
                    _ => "w2k8 assesses Windows Server 2008 (NT 6.0) and 2008 R2 (NT 6.1) only",
                };
                write!(f, "this is {} ({nt}{build}): {why}", id.product)
            }
        }
    }
}

impl std::error::Error for NotAssessed {}

/// What `--format json` prints for a host w2k8 does not assess (exit 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// Always true.
    pub refused: bool,
    /// The Windows family, e.g. `Windows Server 2008 R2`.
    pub family: String,
    /// The product as identified.
    pub product: String,
    /// NT version, e.g. `6.1`.
    pub nt_version: Option<String>,
    /// Build number.
    pub build: Option<u32>,
    /// Architecture.
    pub arch: Option<Arch>,
    /// Why it is refused.
    pub reason: String,
}

impl NotAssessed {
    /// The JSON answer for a refused host (None when the bundle does not say
    /// which Windows it is: that is bad input, not a refusal).
    pub fn refusal(&self, host: &Host) -> Option<Refused> {
        let NotAssessed::Unsupported(id) = self else { return None };
        Some(Refused {
            refused: true,
            family: id.family.name().to_string(),
            product: id.product.clone(),
            nt_version: id.nt_version.clone(),
            build: id.build,
            arch: host.facts.arch.as_ref().map(|a| a.value),
            reason: self.to_string(),
        })
    }
}

const BUILD_6003_NOTE: &str =
    "build 6003: in April 2019 the 6002 servicing branch's revision counter was nearly used up \
(March 2019 kernel 6.0.6002.24565/24566, LDR ceiling 24575 = 0x5FFF), so Microsoft raised the build to 6003 and \
restarted the revision (April 9, 2019 rollup KB4493471 / security-only KB4493458, kernel 6.0.6003.20489); sources \
disagree whether the March 19, 2019 preview KB4489887 already did. Sources: BetaWiki (Windows Server 2008 build 6003), \
Tenable rollup data; see data/servicing/facts.md §6";

const BUILD_7601_NOTE: &str = "build 7601: Windows Server 2008 R2 with Service Pack 1 (KB976932). Unlike 2008, whose \
build moved from 6002 to 6003 in 2019, R2 stays at 7601 for its whole life (its kernel revisions went past 24575 \
with no build change, e.g. 6.1.7601.25631 in June 2021), so the build says only \"SP1\": how far the host is \
patched comes from the installed updates and the kernel's revision. Sources: Tenable rollup data, Microsoft's May \
2022 CVRF (FixedBuild 6.1.7601.25954); see data/servicing/r2-facts.md §1";

const BUILD_7600_NOTE: &str = "build 7600: Windows Server 2008 R2 as released (RTM), supported until 2013-04-09; \
Service Pack 1 (KB976932, build 7601) is required for every update since then, the monthly rollups included. \
Source: Microsoft lifecycle data, data/servicing/r2-facts.md §1-2";

/// Computes the standing of `host` as of `today`.
///
/// Small phases over one [`Context`]: each adds its evidence, notes and
/// conflicts in turn, so their order is the order of the phases.
pub fn standing(host: &Host, catalog: &Catalog, today: Date) -> Result<Standing, NotAssessed> {
    let (id, os) = assessed_os(host)?;
    let mut cx = Context::new(host, catalog, id, os);
    let arch = cx.arch();
    let (branch, branch_note) = cx.kernel_branch();
    let latest = cx.latest_monthly();
    let patched = cx.decide_patched_through(latest);
    let sha2 = cx.sha2();
    let esu_prep = cx.esu_prep();
    cx.conflicts.extend(prerequisite_conflicts(&sha2, &esu_prep, &cx.monthly, cx.completeness));
    let ssu = cx.ssu();
    cx.closing_notes();
    Ok(cx.into_standing(Found { arch, branch, branch_note, latest, patched, sha2, esu_prep, ssu }, today))
}

/// Identifies the OS of `host`, refusing what `standing` does not assess.
fn assessed_os(host: &Host) -> Result<(Identity, OsFamily), NotAssessed> {
    let id = identify(host);
    let os = match id.family {
        Family::Ws2008 => OsFamily::Ws2008,
        Family::Ws2008R2 => OsFamily::Ws2008R2,
        Family::Unknown if id.nt_version.is_none() => return Err(NotAssessed::NotIdentified),
        _ => return Err(NotAssessed::Unsupported(Box::new(id))),
    };
    Ok((id, os))
}

/// Does `u` concern `os` (or no OS in particular)?
fn for_os(os: OsFamily, u: &Update) -> bool {
    u.applies_to(os) || u.os.is_empty()
}

/// The shared inputs of one standing, worked out once, and the evidence,
/// notes and conflicts its phases add, in the order they add them.
struct Context<'a> {
    host: &'a Host,
    catalog: &'a Catalog,
    id: Identity,
    os: OsFamily,
    /// Installed KBs, sorted and unique.
    kbs: BTreeSet<Kb>,
    /// The installed updates the catalog knows.
    installed: Vec<&'a Update>,
    /// The installed monthly updates (rollup or security-only) of this OS with a release day.
    monthly: Vec<&'a Update>,
    /// ntoskrnl.exe's file version.
    kernel: Option<FileVersion>,
    /// The newest monthly rollup whose kernel the host's kernel has reached.
    kernel_level: Option<&'a Update>,
    /// The update the kernel shows in effect.
    proof: Option<Proof>,
    completeness: Completeness,
    evidence_note: String,
    evidence: Vec<Evidence>,
    notes: Vec<String>,
    conflicts: Vec<Conflict>,
}

/// What the phases of `standing` found, for its assembly.
struct Found<'a> {
    arch: Option<Arch>,
    branch: Option<facts::Branch>,
    branch_note: Option<String>,
    latest: Option<&'a Update>,
    /// (patched_through, patched_through_at_least, basis).
    patched: (Option<Month>, Option<Month>, Option<String>),
    sha2: Prerequisite,
    esu_prep: Prerequisite,
    ssu: SsuStatus,
}

/// A prerequisite expected as one KB.
struct Need {
    /// The KB that is (or should be) installed.
    kb: Kb,
    /// The kind of update that provides it.
    kind: UpdateKind,
    /// What it is called in the basis.
    what: &'static str,
    /// The release date from which updates need it.
    from: Date,
    /// The evidence fact naming it.
    fact: &'static str,
    /// What it is for and where that is stated.
    why: String,
}

impl<'a> Context<'a> {
    /// The inputs every phase reads: installed updates, kernel level and its
    /// proof, completeness; evidence and notes start with the identification's.
    fn new(host: &'a Host, catalog: &'a Catalog, id: Identity, os: OsFamily) -> Context<'a> {
        let f = &host.facts;
        let evidence = id.evidence.clone();
        let mut notes = id.notes.clone();
        notes.extend(f.notes.iter().cloned());
        let kbs: BTreeSet<Kb> = host.kbs();
        let installed: Vec<&Update> = kbs.iter().filter_map(|kb| catalog.update(*kb)).collect();
        let monthly: Vec<&Update> = installed
            .iter()
            .copied()
            .filter(|u| matches!(u.kind, UpdateKind::MonthlyRollup | UpdateKind::SecurityOnly) && u.released.is_some())
            .filter(|u| for_os(os, u))
            .collect();
        let kernel: Option<FileVersion> = f.kernel_version.as_ref().map(|k| k.value);
        let kernel_level = kernel.and_then(|k| catalog.kernel_at_least(k));
        let proof = kernel_level.and_then(|kl| {
            let k = f.kernel_version.as_ref()?;
            Some(Proof { month: kl.released?, basis: format!("ntoskrnl.exe {} ({})", k.value, k.evidence.location()) })
        });
        let (completeness, evidence_note) = truth::completeness(host);
        Context {
            host,
            catalog,
            id,
            os,
            kbs,
            installed,
            monthly,
            kernel,
            kernel_level,
            proof,
            completeness,
            evidence_note,
            evidence,
            notes,
            conflicts: host.conflicts.clone(),
        }
    }

    /// Adds the evidence of the first hotfix list entry naming `kb`, if any.
    fn cite(&mut self, kb: Kb, fact: &str) {
        let host = self.host;
        self.evidence.extend(host.evidence_for(kb).first().map(|e| Evidence::new(fact, e.file.clone(), e.line)));
    }

    /// The architecture (an Itanium edition is ia64 whatever else says), citing the host name and the architecture.
    fn arch(&mut self) -> Option<Arch> {
        let f = &self.host.facts;
        if let Some(h) = &f.host_name {
            self.evidence.push(Evidence::new("host", h.evidence.file.clone(), h.evidence.line));
        }
        let arch = f.arch.as_ref().map(|a| a.value).or_else(|| {
            // CBS packages name their architecture.
            f.packages.iter().find_map(|p| p.arch.as_deref().and_then(Arch::recognise))
        });
        // An Itanium edition (OperatingSystemSKU 15, or "for Itanium-Based
        // Systems" in its name) is ia64 whatever `OSArchitecture` says ("64-bit"
        // does not tell x64 from Itanium).
        let itanium = self.id.edition.as_deref().is_some_and(|e| e.contains("Itanium"));
        let arch = match arch {
            Some(a) if itanium && a != Arch::Ia64 => {
                self.notes.push(format!(
                    "the edition is for Itanium-based Systems: ia64, although the architecture reads {}",
                    a.as_str()
                ));
                Some(Arch::Ia64)
            }
            None if itanium => Some(Arch::Ia64),
            other => other,
        };
        if let Some(a) = &f.arch {
            self.evidence.push(Evidence::new("arch", a.evidence.file.clone(), a.evidence.line));
        } else if let Some(p) = f.packages.iter().find(|p| p.arch.as_deref().and_then(Arch::recognise).is_some()) {
            self.evidence.push(Evidence::new("arch", p.evidence.file.clone(), p.evidence.line));
        }
        arch
    }

    /// The kernel's servicing branch (2008 only) and the note on its
    /// revision ranges; cites the kernel and notes a kernel/build mismatch.
    fn kernel_branch(&mut self) -> (Option<facts::Branch>, Option<String>) {
        let kernel = self.kernel;
        if let Some(k) = &self.host.facts.kernel_version {
            self.evidence.push(Evidence::new("kernel_revision", k.evidence.file.clone(), k.evidence.line));
        }
        let branch = kernel.filter(|_| self.os == OsFamily::Ws2008).and_then(|k| facts::branch_of(k.revision));
        let branch_note = branch.map(|b| branch_note(b, kernel));
        if let (Some(k), Some(b)) = (kernel, self.id.build) {
            if u32::from(k.build) != b {
                self.notes.push(format!("ntoskrnl.exe is {k} but the OS reports build {b}: a pending reboot or an update rolled back can cause this"));
            }
        }
        (branch, branch_note)
    }

    /// The newest monthly rollup or security-only update installed, cited.
    fn latest_monthly(&mut self) -> Option<&'a Update> {
        let latest = self.monthly.iter().copied().max_by_key(|u| (u.released, u.kind == UpdateKind::MonthlyRollup));
        if let Some(u) = latest {
            self.cite(u.kb, "latest_rollup");
        }
        latest
    }

    /// "Patched through" or its bound, and the basis: adds the conflicts that
    /// show a listed update not in effect, and cites the kernel when it sets the bound.
    fn decide_patched_through(&mut self, latest: Option<&Update>) -> (Option<Month>, Option<Month>, Option<String>) {
        let (host, os) = (self.host, self.os);
        let kernel_conflict = kernel_conflict(self.kernel, host.facts.kernel_version.as_ref(), &self.monthly, host);
        let build_conflict = build_conflict(self.id.build, &self.monthly, host);
        self.conflicts.extend(kernel_conflict.iter().cloned());
        self.conflicts.extend(build_conflict.iter().cloned());
        let bounds = Bounds {
            list: patched_through(self.catalog, os, &self.monthly),
            newest_listed: latest.and_then(|u| u.released),
            kernel: self.proof.as_ref(),
            build_6003: os == OsFamily::Ws2008 && self.id.build == Some(6003),
            completeness: self.completeness,
            conflict: kernel_conflict.is_some() || build_conflict.is_some(),
        };
        let (patched, at_least, basis) = bounds.decide(&mut self.notes);
        if patched.is_some() || at_least.is_some() {
            if let (Some(k), Some(p)) = (&host.facts.kernel_version, &self.proof) {
                if at_least == Some(Month::of(p.month)) {
                    self.evidence.push(Evidence::new("patched_through", k.evidence.file.clone(), k.evidence.line));
                }
            }
        }
        (patched, at_least, basis)
    }

    /// The installed updates of `kind` for this OS.
    fn installed_of_kind(&self, kind: UpdateKind) -> Vec<&'a Update> {
        self.installed.iter().copied().filter(|u| u.kind == kind).filter(|u| for_os(self.os, u)).collect()
    }

    /// A prerequisite provided by updates of `kind`: those installed, and
    /// whether it is in place (`kb` or any of its kind listed, or proven by
    /// an update in effect released from `from`) and why.
    fn prerequisite_of(
        &self,
        kind: UpdateKind,
        kb: Option<Kb>,
        what: &str,
        from: Date,
    ) -> (Vec<&'a Update>, Status, String) {
        let all = self.installed_of_kind(kind);
        let listed = kb.is_some_and(|kb| self.kbs.contains(&kb)) || !all.is_empty();
        let (status, basis) = truth::prerequisite(listed, what, from, self.proof.as_ref(), self.completeness);
        (all, status, basis)
    }

    /// The status of a prerequisite expected as one KB, cited.
    fn prerequisite(&mut self, need: Need) -> Prerequisite {
        let (all, status, basis) = self.prerequisite_of(need.kind, Some(need.kb), need.what, need.from);
        let prerequisite = Prerequisite {
            present: status.present(),
            status,
            basis,
            kb: need.kb,
            also_installed: all.iter().map(|u| u.kb).filter(|k| *k != need.kb).collect(),
            why: need.why,
        };
        self.cite(need.kb, need.fact);
        prerequisite
    }

    /// SHA-2 code signing support (KB4474419).
    fn sha2(&mut self) -> Prerequisite {
        self.prerequisite(Need {
            kb: kb(4474419),
            kind: UpdateKind::Sha2,
            what: "SHA-2 code signing support",
            from: truth_cut_sha2(),
            fact: "sha2",
            why: "SHA-2 code signing support: updates released from July 2019 are signed with SHA-2 only and fail to install without it (KB4472027, https://support.microsoft.com/help/4472027)".to_string(),
        })
    }

    /// The ESU licensing preparation package (KB4538484; 2008 R2: KB4538483).
    fn esu_prep(&mut self) -> Prerequisite {
        self.prerequisite(Need {
            kb: facts::of(self.os).esu_prep_package.value,
            kind: UpdateKind::EsuPrep,
            what: "ESU licensing preparation",
            from: esu_start().unwrap_or(facts::extended_support_end().value),
            fact: "esu_prep",
            why: format!(
                "ESU Licensing Preparation Package for {}: needed, with an activated ESU key, before updates released after January 2020 install (https://learn.microsoft.com/en-US/lifecycle/faq/extended-security-updates)",
                match self.os {
                    OsFamily::Ws2008 => "Windows Server 2008 SP2",
                    OsFamily::Ws2008R2 => "Windows 7 SP1 and Windows Server 2008 R2 SP1",
                }
            ),
        })
    }

    /// Servicing stack updates: those installed (the newest cited), the
    /// newest known, and the newest the host's programme gives.
    fn ssu(&mut self) -> SsuStatus {
        // An update in effect proves an SSU from the month whose updates need one:
        // July 2019 (SHA-2) on 2008; August 2018 on 2008 R2, whose updates from
        // then on need KB3177467 or a later SSU (r2-facts.md §8).
        let sha2_from = truth_cut_sha2();
        let ssu_from = match self.os {
            OsFamily::Ws2008 => sha2_from,
            OsFamily::Ws2008R2 => Date::new(2018, 8, 1).unwrap_or(sha2_from),
        };
        let (mut ssus, status, basis) =
            self.prerequisite_of(UpdateKind::Ssu, None, "a servicing stack update", ssu_from);
        // The month hint reads the notes: worked out once per update, not at every comparison.
        ssus.sort_by_cached_key(|u| (u.released.or_else(|| month_hint(u)), u.kb));
        if let Some(u) = ssus.last() {
            self.cite(u.kb, "ssu");
        }
        let (catalog, os) = (self.catalog, self.os);
        let newest_known = catalog
            .updates_of_kind(UpdateKind::Ssu)
            .filter(|u| u.applies_to(os))
            .max_by_key(|u| (u.released.or_else(|| month_hint(u)), u.kb));
        let installed_kbs: Vec<Kb> = self.installed.iter().map(|u| u.kb).collect();
        let kernel_proof = self.kernel_level.and_then(|k| Some((k.released?, k.kb)));
        let programme = crate::programme::choose_with_kernel(None, &installed_kbs, kernel_proof, catalog);
        let mut ssu = SsuStatus {
            current: false,
            installed: ssus.iter().map(|u| UpdateRef::of(u)).collect(),
            newest_known: newest_known.map(UpdateRef::of),
            newest_available: None,
            programme: String::new(),
            status,
            basis,
        };
        ssu_for_programme(&mut ssu, catalog, os, &programme);
        ssu
    }

    /// The caveats that close the notes: a truncated list, a missing service pack.
    fn closing_notes(&mut self) {
        if self.host.facts.hotfix_list_truncated {
            self.notes.push(
                "a hotfix list in the bundle is truncated: updates may be installed that it does not show".to_string(),
            );
        }
        if self.id.build == Some(6001) {
            self.notes.push("Service Pack 2 is not installed: no update released for Windows Server 2008 since 2011 applies to this host".to_string());
        }
        if self.os == OsFamily::Ws2008R2 && self.id.build == Some(7600) {
            self.notes.push("Service Pack 1 (KB976932) is not installed: no update released for Windows Server 2008 R2 since April 2013 applies to this host".to_string());
        }
    }

    /// What the hotfix lists show.
    fn hotfix_summary(&self) -> HotfixSummary {
        let f = &self.host.facts;
        HotfixSummary {
            count: self.kbs.len(),
            declared: f.hotfix_count_declared.as_ref().map(|d| d.value),
            truncated: f.hotfix_list_truncated,
            not_in_catalog: self.kbs.iter().copied().filter(|kb| self.catalog.update(*kb).is_none()).collect(),
        }
    }

    /// Assembles the standing from the context and what the phases found.
    fn into_standing(self, found: Found<'a>, today: Date) -> Standing {
        let hotfix_summary = self.hotfix_summary();
        let newest = self.installed.iter().copied().filter(|u| u.released.is_some()).max_by_key(|u| (u.released, u.kb));
        let Context {
            host,
            id,
            os,
            kbs,
            monthly,
            kernel,
            kernel_level,
            completeness,
            evidence_note,
            evidence,
            notes,
            conflicts,
            ..
        } = self;
        let f = &host.facts;
        let (patched, at_least, basis) = found.patched;
        let mut evidence_sorted = evidence;
        evidence_sorted.dedup();
        Standing {
            host: f.host_name.as_ref().map(|h| h.value.clone()),
            product: id.product,
            os_family: os,
            os_name: f.os_name.as_ref().map(|n| n.value.trim().to_string()),
            nt_version: id.nt_version,
            edition: id.edition,
            arch: found.arch,
            server_core: id.server_core,
            service_pack: id.service_pack,
            build: id.build,
            build_note: build_note(id.build),
            kernel_revision: kernel,
            branch: found.branch,
            branch_note: found.branch_note,
            kernel_level: kernel_level.map(UpdateRef::of),
            hotfixes: kbs.iter().copied().collect(),
            hotfix_summary,
            latest_rollup: found.latest.map(UpdateRef::of),
            patched_through: patched,
            patched_through_at_least: at_least,
            patched_through_basis: basis,
            evidence_completeness: completeness,
            evidence_note,
            track: track_of(&monthly),
            sha2: found.sha2,
            ssu: found.ssu,
            esu_prep: found.esu_prep,
            newest_update: newest.map(UpdateRef::of),
            days_since_newest_update: newest.and_then(|u| u.released).map(|d| d.days_until(today)),
            last_installed_on: f.hotfixes.iter().filter_map(|h| h.installed_on).max(),
            as_of: today,
            conflicts,
            notes,
            sources: host.sources.clone(),
            evidence: evidence_sorted,
        }
    }
}

/// The revision ranges behind a 2008 kernel's branch, with their sources.
fn branch_note(b: facts::Branch, kernel: Option<FileVersion>) -> String {
    let r = b.revisions();
    let (g, l) = (facts::GDR_REVISIONS.value, facts::LDR_REVISIONS.value);
    format!(
        "revision {} is in the {} range {}-{} (GDR {}-{}, LDR {}-{}); since September 2018 the rollups carry one kernel line in the LDR range. Sources: {}",
        kernel.map(|k| k.revision).unwrap_or_default(),
        b.as_str(),
        r.value.0,
        r.value.1,
        g.0,
        g.1,
        l.0,
        l.1,
        r.sources.join(", ")
    )
}

/// Why the build is what it is.
fn build_note(build: Option<u32>) -> Option<String> {
    match build {
        Some(6003) => Some(BUILD_6003_NOTE.to_string()),
        Some(6002) => Some("build 6002: Service Pack 2 without the April 2019 (KB4493471/KB4493458) or later update, which would raise it to 6003".to_string()),
        Some(6001) => Some("build 6001: Windows Server 2008 as released (it shipped at the Vista SP1 level and reports Service Pack 1); SP2 (build 6002) is required for any update since 2011".to_string()),
        Some(7601) => Some(BUILD_7601_NOTE.to_string()),
        Some(7600) => Some(BUILD_7600_NOTE.to_string()),
        _ => None,
    }
}

/// The track the installed monthly updates follow.
fn track_of(monthly: &[&Update]) -> Option<Track> {
    let has_rollup = monthly.iter().any(|u| u.kind == UpdateKind::MonthlyRollup);
    let has_so = monthly.iter().any(|u| u.kind == UpdateKind::SecurityOnly);
    match (has_rollup, has_so) {
        (true, false) => Some(Track::MonthlyRollup),
        (false, true) => Some(Track::SecurityOnly),
        (true, true) => Some(Track::Mixed),
        (false, false) => None,
    }
}

fn kb(n: u32) -> Kb {
    Kb::new(n).unwrap_or_else(|| unreachable!("KB numbers in source are non-zero"))
}

/// Sets the newest SSU `programme` gives the host, and whether it (or a
/// later one) is installed. `assess` calls it again when `--esu` names
/// another programme than the one inferred.
pub(crate) fn ssu_for_programme(
    ssu: &mut SsuStatus,
    catalog: &Catalog,
    os: OsFamily,
    programme: &crate::programme::ProgrammeChoice,
) {
    let date = |u: &Update| u.released.or_else(|| month_hint(u));
    let newest = catalog
        .updates_of_kind(UpdateKind::Ssu)
        .filter(|u| u.applies_to(os) && date(u).is_some_and(|d| d <= programme.ends))
        .max_by_key(|u| (date(u), u.kb));
    ssu.current = newest.is_some_and(|n| {
        ssu.installed.iter().filter_map(|r| catalog.update(r.kb)).any(|s| s.kb == n.kb || date(s) > date(n))
    });
    ssu.newest_available = newest.map(UpdateRef::of);
    ssu.programme = programme.programme.as_str().to_string();
}

/// For an update without a release day, the first day of the month a source
/// gives: an Update Catalog folder (`secu/2024/06`) or a `YYYY-MM` label in its
/// notes. Lets undated SSUs still be ordered.
pub(crate) fn month_hint(u: &Update) -> Option<Date> {
    let text = u.notes.iter().chain(u.title.iter());
    let folder = |n: &str| -> Option<Date> {
        let i = n.find("secu/")?;
        let rest = n.get(i + 5..i + 12)?;
        let (y, m) = rest.split_once('/')?;
        Date::new(y.parse().ok()?, m.get(..2)?.parse().ok()?, 1)
    };
    // The first `YYYY-MM` not followed by a digit or `-`, found from the
    // dashes (a note is long, dashes are few).
    let label = |n: &str| -> Option<Date> {
        let b = n.as_bytes();
        let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
        b.iter().enumerate().filter(|(_, c)| **c == b'-').find_map(|(d, _)| {
            let i = d.checked_sub(4)?;
            let boundary = b.get(d + 3).is_none_or(|c| !c.is_ascii_digit() && *c != b'-');
            if !(digits(i..d) && digits(d + 1..d + 3) && boundary) {
                return None;
            }
            Date::new(n.get(i..d)?.parse().ok()?, n.get(d + 1..d + 3)?.parse().ok()?, 1)
        })
    };
    let notes: Vec<&String> = text.collect();
    notes.iter().find_map(|n| folder(n)).or_else(|| notes.iter().find_map(|n| label(n)))
}

/// The month through which the host has every fix the rollups deliver, and how that was decided.
fn patched_through(catalog: &Catalog, os: OsFamily, monthly: &[&Update]) -> (Option<Month>, Option<String>) {
    let first = Month::of(facts::of(os).first_rollup_date);
    let newest_rollup = monthly.iter().filter(|u| u.kind == UpdateKind::MonthlyRollup).max_by_key(|u| u.released);
    let mut month = newest_rollup.and_then(|u| u.released).map(Month::of);
    let mut basis = newest_rollup.map(|u| format!("monthly rollup {} is cumulative", u.kb));
    // Security-only months, each of which must follow without a gap.
    let so_months: BTreeSet<Month> = monthly
        .iter()
        .filter(|u| u.kind == UpdateKind::SecurityOnly)
        .filter_map(|u| u.released.map(Month::of))
        .collect();
    if so_months.is_empty() {
        return (month, basis);
    }
    // The months that had a security-only release, in order.
    let all_so: Vec<Month> = {
        let mut v: Vec<Month> = catalog
            .updates_of_kind(UpdateKind::SecurityOnly)
            .filter(|u| u.applies_to(os))
            .filter_map(|u| u.released.map(Month::of))
            .collect();
        v.sort();
        v.dedup();
        v
    };
    let start = match &month {
        Some(m) => all_so.iter().position(|x| x > m),
        None => Some(0),
    };
    let mut extended = 0;
    if let Some(start) = start {
        for m in all_so.iter().skip(start) {
            if so_months.contains(m) {
                month = Some(*m);
                extended += 1;
            } else {
                break;
            }
        }
    }
    if extended > 0 {
        basis = Some(match basis {
            Some(b) => format!("{b}, then {extended} consecutive security-only update(s)"),
            None => format!("{extended} consecutive security-only update(s) from the first one ({first})"),
        });
    } else if month.is_none() {
        basis = Some(format!("security-only updates are not cumulative and the first one ({first}) is not installed, so no month is fully covered"));
    }
    (month, basis)
}

/// The first month whose updates need SHA-2 support (and the SSU paired with it): July 2019.
fn truth_cut_sha2() -> Date {
    Date::new(2019, 7, 1).unwrap_or_else(|| facts::extended_support_end().value)
}

/// What decides "patched through" and its bound.
struct Bounds<'p> {
    /// From the list: the newest rollup extended by consecutive security-only months.
    list: (Option<Month>, Option<String>),
    /// The release of the newest listed monthly update.
    newest_listed: Option<Date>,
    /// The update the kernel shows in effect.
    kernel: Option<&'p Proof>,
    build_6003: bool,
    completeness: Completeness,
    /// A listed update is shown not in effect.
    conflict: bool,
}

impl Bounds<'_> {
    /// (patched_through, patched_through_at_least, basis).
    fn decide(self, notes: &mut Vec<String>) -> (Option<Month>, Option<Month>, Option<String>) {
        let (list_month, list_basis) = self.list;
        let kernel_month = self.kernel.map(|p| Month::of(p.month));
        let kernel_ahead =
            self.kernel.is_some_and(|p| self.newest_listed.is_none_or(|n| Month::of(p.month) > Month::of(n)));
        if self.completeness == Completeness::Complete && !self.conflict && !kernel_ahead {
            return (list_month, None, list_basis);
        }
        if kernel_ahead && self.completeness == Completeness::Complete {
            notes.push("ntoskrnl.exe shows an update newer than any the hotfix list names: the list is not the whole story (an update installed by other means, or a list taken before it)".to_string());
        }
        let (b6003, b6003_why) = truth::build_6003_bound();
        let mut bound: Option<(Month, String)> = None;
        let mut raise = |m: Month, why: String| {
            if bound.as_ref().is_none_or(|(b, _)| m > *b) {
                bound = Some((m, why));
            }
        };
        if !self.conflict {
            if let (Some(m), Some(b)) = (list_month, list_basis) {
                raise(m, format!("{b} (the list is partial: later updates may be installed)"));
            }
        }
        if let (Some(m), Some(p)) = (kernel_month, self.kernel) {
            raise(m, format!("{} is at least that month's update (rollup or security-only: the kernel does not tell which, nor whether other months' fixes are installed)", p.basis));
        }
        if self.build_6003 {
            raise(Month::of(b6003), b6003_why.to_string());
        }
        match bound {
            Some((m, why)) => (None, Some(m), Some(format!("at least: {why}"))),
            None => (None, None, Some("the evidence shows no monthly update in effect".to_string())),
        }
    }
}

/// A listed monthly update whose kernel is newer than the one on disk: it
/// is not in effect (a restart pending, or an install rolled back).
fn kernel_conflict(
    kernel: Option<FileVersion>,
    seen: Option<&w2k8_core::Observed<FileVersion>>,
    monthly: &[&Update],
    host: &Host,
) -> Option<Conflict> {
    let k = kernel?;
    let u = monthly
        .iter()
        .filter(|u| u.kernel.is_some_and(|uk| (uk.major, uk.minor) == (k.major, k.minor) && uk > k))
        .max_by_key(|u| u.kernel)?;
    let listed = host.evidence_for(u.kb).first().map(|e| (*e).clone());
    Some(truth::conflict(
        "kernel_older_than_listed_update",
        "kernel",
        vec![
            truth::seen(format!("ntoskrnl.exe {k}"), "kernel", seen.map(|s| &s.evidence)),
            truth::seen(
                format!("{} listed (brings ntoskrnl.exe {})", u.kb, u.kernel.map(|x| x.to_string()).unwrap_or_default()),
                "hotfixes",
                listed.as_ref(),
            ),
        ],
        format!("{} is listed as installed but the kernel on disk is older than the one it brings: it is not in effect (a restart is pending, or the install rolled back at restart)", u.kb),
        "check reg-reboot.txt for a pending restart and restart the server; if none is pending, read CBS.log for a rollback (w2k8 diagnose) and reinstall the update",
    ))
}

/// Build 6002 with a listed update that brings build 6003: not in effect.
fn build_conflict(build: Option<u32>, monthly: &[&Update], host: &Host) -> Option<Conflict> {
    if build != Some(6002) {
        return None;
    }
    let first = facts::first_6003_date().value;
    let u = monthly
        .iter()
        .filter(|u| u.kernel.map(|k| k.build == 6003).unwrap_or_else(|| u.released.is_some_and(|d| d >= first)))
        .max_by_key(|u| u.released)?;
    let listed = host.evidence_for(u.kb).first().map(|e| (*e).clone());
    Some(truth::conflict(
        "build_6002_with_6003_update",
        "build",
        vec![
            truth::seen("build 6002".to_string(), "build", None),
            truth::seen(format!("{} listed (brings build 6003)", u.kb), "hotfixes", listed.as_ref()),
        ],
        format!("the OS reports build 6002 but {} is listed, and every monthly update from April 2019 raises the build to 6003: it is not in effect (a restart is pending, or the install rolled back)", u.kb),
        "check reg-reboot.txt for a pending restart and restart the server; if none is pending, read CBS.log for a rollback (w2k8 diagnose)",
    ))
}

/// The first day of ESU: the day after extended support ended (`None` only
/// if that day cannot be represented).
fn esu_start() -> Option<Date> {
    facts::extended_support_end().value.to_days().checked_add(1).map(Date::from_days)
}

/// A prerequisite missing (complete list) under a listed update that needs it.
fn prerequisite_conflicts(
    sha2: &Prerequisite,
    esu: &Prerequisite,
    monthly: &[&Update],
    completeness: Completeness,
) -> Vec<Conflict> {
    if completeness != Completeness::Complete {
        return Vec::new();
    }
    let mut out = Vec::new();
    let newer =
        |from: Date| monthly.iter().filter(|u| u.released.is_some_and(|d| d >= from)).max_by_key(|u| u.released);
    let esu_from = esu_start();
    let esu_what = format!("the ESU licensing preparation package ({})", esu.kb);
    let checks =
        [(sha2, Some(truth_cut_sha2()), "SHA-2 code signing support (KB4474419)"), (esu, esu_from, esu_what.as_str())];
    for (p, from, what) in checks {
        // Not listed by a complete list: missing, or proven only by an update in effect.
        let listed = p.status == Status::Installed && p.basis.ends_with("listed as installed");
        let (false, Some(from)) = (listed, from) else { continue };
        let Some(u) = newer(from) else { continue };
        out.push(truth::conflict(
            "prerequisite_older",
            "prerequisites",
            vec![truth::seen(format!("{} listed", u.kb), "hotfixes", None), truth::seen(format!("{} not listed", p.kb), "hotfixes", None)],
            format!("{} is listed as installed, but {what} is not, and {} cannot install without it: either the list is incomplete, or the update did not install", u.kb, u.kb),
            "check with `wmic qfe` and CBS.log whether the update is really installed (w2k8 diagnose); install the prerequisite first",
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use w2k8_core::Observed;
    use w2k8_inventory::{Facts, Hotfix};

    fn o<T>(v: T, file: &str, line: u32) -> Option<Observed<T>> {
        Some(Observed::new(v, Evidence::new("x", file, Some(line))))
    }

    fn hotfixes(kbs: &[u32]) -> Vec<Hotfix> {
        kbs.iter()
            .enumerate()
            .map(|(i, n)| Hotfix {
                id: format!("KB{n}"),
                kb: Kb::new(*n),
                installed_on: None,
                description: None,
                evidence: Evidence::new(format!("hotfix KB{n}"), "systeminfo.txt", Some(33 + i as u32)),
            })
            .collect()
    }

    fn host(build: u32, kernel: Option<&str>, kbs: &[u32]) -> Host {
        Host {
            facts: Facts {
                host_name: o("SRV1".to_string(), "systeminfo.txt", 2),
                os_name: o("Microsoft Windows Server 2008 Standard".to_string(), "systeminfo.txt", 3),
                os_version: o(format!("6.0.{build}"), "systeminfo.txt", 4),
                build: o(build, "systeminfo.txt", 4),
                arch: o(Arch::X64, "systeminfo.txt", 15),
                kernel_version: kernel.and_then(|k| o(k.parse().unwrap(), "ntoskrnl.txt", 3)),
                hotfixes: hotfixes(kbs),
                ..Facts::default()
            },
            ..Host::default()
        }
    }

    fn today() -> Date {
        Date::new(2026, 11, 25).unwrap()
    }

    fn run(h: &Host) -> Standing {
        standing(h, Catalog::embedded(), today()).unwrap()
    }

    #[test]
    fn newest_ssu_is_relative_to_the_programme() {
        // No update after January 2020: programme none, whose newest SSU is January 2020's
        // KB4536953 (data/servicing/facts.md §8), not the 2024 one an ESU host never gets.
        let s = run(&host(6003, None, &[4493730, 4474419, 4536953, 4534303]));
        assert_eq!(s.ssu.programme, "none");
        assert_eq!(s.ssu.newest_available.as_ref().map(|u| u.kb.number()), Some(4536953));
        assert!(s.ssu.current, "the newest SSU its programme gives is installed");
        assert_eq!(s.ssu.newest_known.as_ref().map(|u| u.kb.number()), Some(5039341));
        // A January 2023 rollup proves ESU: the newest SSU up to 2023-01-10 is KB5010452 (2022-02-08).
        let s = run(&host(6003, None, &[4493730, 4474419, 4538484, 4536953, 5022340]));
        assert_eq!(s.ssu.programme, "esu");
        assert_eq!(s.ssu.newest_available.as_ref().map(|u| u.kb.number()), Some(5010452));
        assert!(!s.ssu.current);
    }

    #[test]
    fn rollup_track_patched_through_newest_rollup() {
        // Jan 2023 rollup KB5022340 plus the April 2019 one.
        let s = run(&host(6003, Some("6.0.6003.21872"), &[4493471, 5022340, 4474419, 4493730]));
        assert_eq!(s.patched_through.map(|m| m.to_string()).as_deref(), Some("2023-01"));
        assert_eq!(s.latest_rollup.as_ref().map(|u| u.kb.number()), Some(5022340));
        assert_eq!(s.track, Some(Track::MonthlyRollup));
        assert_eq!(s.branch, Some(w2k8_catalog::facts::Branch::Ldr));
        assert_eq!(s.kernel_level.as_ref().map(|u| u.kb.number()), Some(5022340));
        assert_eq!(s.sha2.present, Some(true));
        // Not listed, but the January 2023 kernel is in effect, and no update
        // released after January 2020 installs without the ESU preparation.
        assert_eq!(s.esu_prep.present, Some(true));
        assert!(s.esu_prep.basis.contains("in effect"), "{}", s.esu_prep.basis);
        assert_eq!(s.ssu.installed.len(), 1);
        assert!(!s.ssu.current);
        assert_eq!(s.days_since_newest_update, Some(Date::new(2023, 1, 10).unwrap().days_until(today())));
        assert!(s.evidence.iter().any(|e| e.fact == "latest_rollup" && e.line == Some(34)));
        assert!(s.build_note.as_deref().unwrap_or("").contains("KB4493471"));
    }

    #[test]
    fn security_only_track_stops_at_the_first_gap() {
        // 2018-09 .. 2018-11 security-only, then 2019-01 (2018-12 KB4471319 missing).
        let s = run(&host(6002, None, &[4457984, 4463104, 4467700, 4480957]));
        assert_eq!(s.track, Some(Track::SecurityOnly));
        assert_eq!(s.patched_through.map(|m| m.to_string()).as_deref(), Some("2018-11"));
        assert_eq!(s.latest_rollup.as_ref().map(|u| u.kb.number()), Some(4480957));
        assert_eq!(s.latest_rollup.as_ref().map(|u| u.kind), Some(UpdateKind::SecurityOnly));
    }

    #[test]
    fn security_only_after_a_rollup_extends_it() {
        // Dec 2018 rollup, then Jan and Feb 2019 security-only.
        let s = run(&host(6002, None, &[4471325, 4480957, 4487019]));
        assert_eq!(s.patched_through.map(|m| m.to_string()).as_deref(), Some("2019-02"));
        assert_eq!(s.track, Some(Track::Mixed));
        assert!(s.patched_through_basis.unwrap().contains("2 consecutive"));
    }

    #[test]
    fn security_only_without_the_first_one_covers_no_month() {
        let s = run(&host(6002, None, &[4480957]));
        assert_eq!(s.patched_through, None);
        assert!(s.patched_through_basis.unwrap().contains("not cumulative"));
    }

    #[test]
    fn kernel_is_a_witness_when_the_list_is_truncated() {
        let mut h = host(6003, Some("6.0.6003.21872"), &[4493471]);
        h.facts.hotfix_list_truncated = true;
        let s = run(&h);
        // A kernel proves its month's update is in effect (rollup or
        // security-only), so a bound, never the exact month (issue 15).
        assert_eq!(s.patched_through, None);
        assert_eq!(s.patched_through_at_least.map(|m| m.to_string()).as_deref(), Some("2023-01"));
        assert_eq!(s.evidence_completeness, Completeness::Partial);
        assert!(s.patched_through_basis.as_deref().unwrap().contains("ntoskrnl.exe 6.0.6003.21872"));
        assert!(s.notes.iter().any(|n| n.contains("truncated")));
        assert!(s.evidence.iter().any(|e| e.fact == "patched_through" && e.file == "ntoskrnl.txt"));
    }

    #[test]
    fn kernel_build_mismatch_is_noted() {
        let s = run(&host(6002, Some("6.0.6003.20489"), &[]));
        assert!(s.notes.iter().any(|n| n.contains("pending reboot")), "{:?}", s.notes);
    }

    #[test]
    fn rtm_and_gdr() {
        let s = run(&host(6001, Some("6.0.6001.18000"), &[956250]));
        assert_eq!(s.service_pack, Some(1));
        assert_eq!(s.branch, Some(w2k8_catalog::facts::Branch::Gdr));
        assert!(s.product.contains("RTM"));
        assert!(s.notes.iter().any(|n| n.contains("Service Pack 2 is not installed")));
        assert_eq!(s.hotfix_summary.not_in_catalog, vec![Kb::new(956250).unwrap()]);
    }

    #[test]
    fn other_versions_are_refused_by_name() {
        let mut h = host(7601, None, &[]);
        h.facts.os_name = o("Microsoft Windows 7 Enterprise".to_string(), "s.txt", 3);
        h.facts.os_version = o("6.1.7601".to_string(), "s.txt", 4);
        let e = standing(&h, Catalog::embedded(), today()).unwrap_err();
        assert!(e.to_string().contains("Windows 7"), "{e}");
        // Windows Server 2008 R2 is assessed (issue 17).
        h.facts.os_name = o("Microsoft Windows Server 2008 R2 Standard".to_string(), "s.txt", 3);
        let s = standing(&h, Catalog::embedded(), today()).unwrap();
        assert_eq!(
            (s.product.as_str(), s.os_family, s.nt_version.as_deref()),
            ("Windows Server 2008 R2 SP1", OsFamily::Ws2008R2, Some("6.1"))
        );
        let empty = Host::default();
        assert_eq!(standing(&empty, Catalog::embedded(), today()).unwrap_err(), NotAssessed::NotIdentified);
    }

    #[test]
    fn month_hints() {
        let catalog = Catalog::embedded();
        let u = catalog.update(Kb::new(5039341).unwrap()).unwrap();
        assert_eq!(month_hint(u).map(Date::month_string).as_deref(), Some("2024-06"));
    }
}
