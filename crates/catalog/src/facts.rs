//! Static, sourced servicing facts about Windows Server 2008 SP2 and 2008 R2
//! SP1 that the standing assessment needs: kernel revision branches and the
//! 6002 -> 6003 build change (2008), the SHA-2 and ESU prerequisites and the
//! start and end of the rollups per OS ([`of`]), and lifecycle dates.
//!
//! Every fact carries the sources it was taken from; they are the ones cited
//! in `data/servicing/facts.md` (section numbers given as `facts.md §N`) and
//! `data/lifecycle/lifecycle.csv`. Nothing here is inferred unless the
//! [`Sourced::note`] says so.
//!
//! ```
//! use w2k8_catalog::facts::{self, Branch};
//! assert_eq!(facts::branch_of(20489), Some(Branch::Ldr));
//! assert_eq!(facts::branch_of(18005), Some(Branch::Gdr));
//! assert_eq!(facts::branch_of(100), None);
//! assert_eq!(facts::extended_support_end().value.to_string(), "2020-01-14");
//! ```
use w2k8_core::{Date, FileVersion, Kb};

/// A fact with its sources.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sourced<T> {
    /// The fact.
    pub value: T,
    /// What it means, and any caveat (disputes, inferences).
    pub note: &'static str,
    /// Where it comes from: URLs, or `data/...` files of this repository.
    pub sources: &'static [&'static str],
}

/// BetaWiki page on build 6003 (revision ranges, the reason for 6003).
pub const BETAWIKI_6003: &str = "https://betawiki.net/wiki/Windows_Server_2008_build_6003";
/// The servicing facts file of this repository.
pub const FACTS_MD: &str = "data/servicing/facts.md";
/// Tenable Nessus rollup data rev 1.59 (ntoskrnl.exe version per month).
pub const TENABLE_ROLLUP_DATA: &str =
    "https://github.com/AmrouKourchid/nessus_plugins/blob/575ad1f93ccc89f3008f41d5e467b31a032617c3/smb_rollup_data.static";
/// Microsoft's lifecycle data for Windows Server 2008 (YAML behind the Learn page).
pub const LIFECYCLE_YAML: &str =
    "https://github.com/MicrosoftDocs/lifecycle-data-pr.de-de/blob/live/lifecycle-data/products/windows-server-2008.yml";
/// Microsoft Learn ESU FAQ.
pub const ESU_FAQ: &str = "https://learn.microsoft.com/en-US/lifecycle/faq/extended-security-updates";
/// Microsoft Tech Community post on ESU (Azure-only fourth year, 2023-01-31 update).
pub const ESU_TECHCOMMUNITY: &str = "https://techcommunity.microsoft.com/blog/windows-itpro-blog/obtaining-extended-security-updates-for-eligible-windows-devices/1167091";
/// The MSRC-derived data of this repository.
pub const MSRC_DATA: &str = "data/msrc/ws2008-msrc.csv.gz";
/// The servicing table of this repository.
pub const SERVICING_DATA: &str = "data/servicing/ws2008-sp2-updates.csv";
/// The lifecycle table of this repository.
pub const LIFECYCLE_DATA: &str = "data/lifecycle/lifecycle.csv";
/// The Windows Server 2008 R2 SP1 servicing table of this repository.
pub const SERVICING_DATA_R2: &str = "data/servicing/ws2008r2-sp1-updates.csv";
/// Microsoft's lifecycle data for Windows Server 2008 R2, at a commit.
pub const LIFECYCLE_YAML_R2: &str = "MicrosoftDocs/lifecycle-data-pr.de-de@04ddfefa07c2a79ef7117f28ca90c90ef4c23ecf:lifecycle-data/products/windows-server-2008-r2.yml";
/// Microsoft Windows IT Pro blog on Windows 7 / 2008 R2 servicing stack updates (2018-09-21).
pub const SSU_BLOG_R2: &str = "https://techcommunity.microsoft.com/t5/Windows-IT-Pro-Blog/Windows-7-servicing-stack-updates-managing-change-and/ba-p/260434";

/// What differs between Windows Server 2008 SP2 and 2008 R2 SP1 in the
/// servicing model, each fact with its sources. The lifecycle dates (end of
/// extended support, the ESU years) are the same for both and stay in the
/// functions below.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsFacts {
    /// The OS family.
    pub os: crate::OsFamily,
    /// The service pack every update of the rollup era needs, and its build.
    pub service_pack: (&'static str, u32),
    /// The first Security Monthly Quality Rollup: the start of the rollup model.
    pub first_rollup: Sourced<Kb>,
    /// Its release date.
    pub first_rollup_date: Date,
    /// The first monthly rollup that may be SHA-2 signed only.
    pub first_sha2_only_rollup: Sourced<Kb>,
    /// The ESU Licensing Preparation Package.
    pub esu_prep_package: Sourced<Kb>,
    /// The last monthly rollup in the data.
    pub last_data_rollup: Sourced<Kb>,
    /// The servicing table rows come from.
    pub servicing_data: &'static str,
    /// The facts file behind the table.
    pub facts_md: &'static str,
}

/// The servicing facts of `os`.
pub fn of(os: crate::OsFamily) -> OsFacts {
    match os {
        crate::OsFamily::Ws2008 => ws2008(),
        crate::OsFamily::Ws2008R2 => ws2008_r2(),
    }
}

/// The servicing facts of Windows Server 2008 SP2.
fn ws2008() -> OsFacts {
    OsFacts {
        os: crate::OsFamily::Ws2008,
        service_pack: ("Service Pack 2", 6002),
        first_rollup: Sourced {
            value: kb(4_458_010),
            note: "September 11, 2018: the first Security Monthly Quality Rollup for Windows Server 2008 SP2",
            sources: &[SERVICING_DATA, MSRC_DATA, "data/servicing/facts.md §5"],
        },
        first_rollup_date: date(2018, 9, 11),
        first_sha2_only_rollup: first_sha2_only_rollup(),
        esu_prep_package: esu_prep_package(),
        last_data_rollup: last_data_rollup(),
        servicing_data: SERVICING_DATA,
        facts_md: FACTS_MD,
    }
}

/// The servicing facts of Windows Server 2008 R2 SP1.
fn ws2008_r2() -> OsFacts {
    OsFacts {
        os: crate::OsFamily::Ws2008R2,
        service_pack: ("Service Pack 1 (KB976932)", 7601),
        first_rollup: Sourced {
            value: kb(3_185_330),
            note: "October 11, 2016: the first Security Monthly Quality Rollup for Windows 7 SP1 / Windows Server 2008 R2 SP1",
            sources: &[
                "https://api.msrc.microsoft.com/cvrf/v3.0/cvrf/2016-Oct",
                SERVICING_DATA_R2,
                "data/servicing/r2-facts.md §5",
            ],
        },
        first_rollup_date: date(2016, 10, 11),
        first_sha2_only_rollup: Sourced {
            value: kb(4_507_449),
            note: "inference: KB4472027 says 2008 R2 SP1 needs SHA-2 support for updates released in or after \
                   July 2019 (the July 9, 2019 rollup KB4507449, security-only KB4507456); Microsoft's schedule \
                   of the time put R2's deadline at the August 13, 2019 updates (KB4512506 / KB4512486)",
            sources: &[
                "https://support.microsoft.com/help/4472027",
                SERVICING_DATA_R2,
                "data/servicing/r2-facts.md §7",
            ],
        },
        esu_prep_package: Sourced {
            value: kb(4_538_483),
            note: "ESU Licensing Preparation Package for Windows 7 SP1 / Windows Server 2008 R2 SP1, a required \
                   step from the February 11, 2020 updates (KB4522133 procedure); its successor is KB4575903 \
                   (2020-07). Known from trade press, not a Microsoft page: unconfirmed",
            sources: &[
                "https://redmondmag.com/articles/2020/02/12/microsoft-alters-windows-esu-requirements.aspx?m=1",
                SERVICING_DATA_R2,
                "data/servicing/r2-facts.md §9",
            ],
        },
        last_data_rollup: Sourced {
            value: kb(5_073_695),
            note: "January 13, 2026 monthly rollup for 2008 R2 SP1, the last in the MSRC data",
            sources: &[MSRC_DATA, SERVICING_DATA_R2, "data/servicing/r2-facts.md §3"],
        },
        servicing_data: SERVICING_DATA_R2,
        facts_md: "data/servicing/r2-facts.md",
    }
}

/// A kernel servicing branch, told apart by the revision number range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Branch {
    /// General distribution release: revisions 16384-20479 (0x4000-0x4FFF).
    Gdr,
    /// Limited distribution release (hotfix branch): revisions 20480-24575
    /// (0x5000-0x5FFF). All rollups from September 2018 on are LDR-range.
    Ldr,
}

impl serde::Serialize for Branch {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Branch {
    /// `GDR` or `LDR`.
    pub fn as_str(self) -> &'static str {
        match self {
            Branch::Gdr => "GDR",
            Branch::Ldr => "LDR",
        }
    }
    /// The revision range of the branch, with its sources.
    pub fn revisions(self) -> Sourced<(u16, u16)> {
        match self {
            Branch::Gdr => GDR_REVISIONS,
            Branch::Ldr => LDR_REVISIONS,
        }
    }
}

/// GDR revision range on NT 6.0 (16384-20479, 0x4000-0x4FFF).
pub const GDR_REVISIONS: Sourced<(u16, u16)> = Sourced {
    value: (16384, 20479),
    note: "GDR (general distribution) kernel revisions of a build stay within 0x4000-0x4FFF",
    sources: &[BETAWIKI_6003, "data/servicing/facts.md §6"],
};

/// LDR revision range on NT 6.0 (20480-24575, 0x5000-0x5FFF).
pub const LDR_REVISIONS: Sourced<(u16, u16)> = Sourced {
    value: (20480, 24575),
    note: "LDR kernel revisions of a build stay within 0x5000-0x5FFF; build 6002 ran out (24566 = 0x5FF6), hence build 6003",
    sources: &[BETAWIKI_6003, "data/servicing/facts.md §6"],
};

/// The branch a kernel revision number belongs to (`None` outside both
/// ranges, e.g. RTM/SP revisions below 16384). Sources: [`GDR_REVISIONS`],
/// [`LDR_REVISIONS`].
pub fn branch_of(revision: u16) -> Option<Branch> {
    if (GDR_REVISIONS.value.0..=GDR_REVISIONS.value.1).contains(&revision) {
        Some(Branch::Gdr)
    } else if (LDR_REVISIONS.value.0..=LDR_REVISIONS.value.1).contains(&revision) {
        Some(Branch::Ldr)
    } else {
        None
    }
}

/// The ntoskrnl.exe version of the last Patch Tuesday rollup on build 6002
/// (March 12, 2019, KB4489880 / KB4489876).
pub const LAST_6002_ROLLUP_KERNEL: Sourced<FileVersion> = Sourced {
    value: FileVersion { major: 6, minor: 0, build: 6002, revision: 24565 },
    note: "kernel of the March 12, 2019 rollup KB4489880 and security-only KB4489876 (Tenable detection data)",
    sources: &[TENABLE_ROLLUP_DATA, "data/servicing/facts.md §6"],
};

/// The last 6002 kernel BetaWiki names (tag `vistasp2_ldr_escrow.190311-1800`).
pub const LAST_6002_KERNEL: Sourced<FileVersion> = Sourced {
    value: FileVersion { major: 6, minor: 0, build: 6002, revision: 24566 },
    note: "the kernel of 'the previous month's update' before build 6003 per BetaWiki, built 2019-03-11; \
           newer than the March 12 Patch Tuesday kernel (24565), so probably the March 19, 2019 preview \
           (an inference, facts.md §6)",
    sources: &[BETAWIKI_6003, "data/servicing/facts.md §6"],
};

/// The ntoskrnl.exe version of the first Patch Tuesday rollup on build 6003.
pub const FIRST_6003_KERNEL: Sourced<FileVersion> = Sourced {
    value: FileVersion { major: 6, minor: 0, build: 6003, revision: 20489 },
    note: "kernel of the April 9, 2019 rollup KB4493471 and security-only KB4493458",
    sources: &[TENABLE_ROLLUP_DATA, "data/servicing/facts.md §6"],
};

/// A KB from one of the non-zero literals below. `Kb` has no infallible
/// constructor; `Kb::new` only refuses 0, which no caller passes (every
/// function here is covered by `dates_and_kbs_are_what_they_say`).
#[allow(clippy::expect_used)]
fn kb(n: u32) -> Kb {
    Kb::new(n).expect("KB constants in facts.rs are non-zero")
}

fn date(y: i32, m: u32, d: u32) -> Date {
    Date::new(y, m, d).unwrap_or_else(|| Date::from_days(0))
}

/// The first Patch Tuesday monthly rollup on build 6003: KB4493471, April 9, 2019.
pub fn first_6003_rollup() -> Sourced<Kb> {
    Sourced {
        value: kb(4_493_471),
        note: "April 9, 2019 Security Monthly Quality Rollup; its kernel is 6.0.6003.20489. BetaWiki also \
               names KB4493471 as the update that raised the build. Disputed for previews: see \
               disputed_first_6003_preview()",
        sources: &[TENABLE_ROLLUP_DATA, BETAWIKI_6003, SERVICING_DATA, "data/servicing/facts.md §6"],
    }
}

/// The first security-only update on build 6003: KB4493458, April 9, 2019.
pub fn first_6003_security_only() -> Sourced<Kb> {
    Sourced {
        value: kb(4_493_458),
        note: "April 9, 2019 security-only update; kernel 6.0.6003.20489",
        sources: &[TENABLE_ROLLUP_DATA, SERVICING_DATA, "data/servicing/facts.md §6"],
    }
}

/// The release date of the first 6003 rollup (2019-04-09).
pub fn first_6003_date() -> Sourced<Date> {
    Sourced {
        value: date(2019, 4, 9),
        note: "Patch Tuesday of KB4493471 / KB4493458",
        sources: &[SERVICING_DATA, MSRC_DATA, "data/servicing/facts.md §6"],
    }
}

/// KB4489887, the March 19, 2019 preview rollup, which some sources name as
/// the first 6003 build. **Disputed**: a machine with it may show 6002 or 6003.
pub fn disputed_first_6003_preview() -> Sourced<Kb> {
    Sourced {
        value: kb(4_489_887),
        note: "Wikipedia and copies of a gaijin.at version table name the March 19, 2019 preview KB4489887 \
               as the first 6.0.6003 release; BetaWiki's 'previous month' kernel 6.0.6002.24566 (built \
               2019-03-11) suggests the preview was still 6002. Microsoft's article 'Build number changing \
               to 6003 in Windows Server 2008' could not be read. Unresolved.",
        sources: &[
            "http://en.wikipedia.org./wiki/Server_2008",
            BETAWIKI_6003,
            "https://support.microsoft.com/en-us/topic/build-number-changing-to-6003-in-windows-server-2008-1335e4d4-c155-52eb-4a45-b85bd1909ca8",
            "data/servicing/facts.md §6",
        ],
    }
}

/// The SHA-2 code-signing support update for Windows Server 2008 SP2: KB4474419.
pub fn sha2_update() -> Sourced<Kb> {
    Sourced {
        value: kb(4_474_419),
        note: "SHA-2 code signing support update (MSRC advisory ADV190009, posted for WS2008 on 2019-09-10; \
               package revision v4). Updates released from July 2019 are SHA-2 signed only and need it \
               (KB4472027).",
        sources: &[
            MSRC_DATA,
            "https://support.microsoft.com/help/4472027/",
            "https://mcpmag.com/articles/2020/01/31/windows-extended-security-updates.aspx",
            "data/servicing/facts.md §7",
        ],
    }
}

/// The first rollup that is SHA-2 signed only: KB4507452 (July 9, 2019).
/// This is an inference from Microsoft's "updates released in or after July
/// 2019" wording, not printed on a WS2008 page.
pub fn first_sha2_only_rollup() -> Sourced<Kb> {
    Sourced {
        value: kb(4_507_452),
        note: "inference: KB4472027 says WS2008 SP2 needs SHA-2 support for updates released in or after \
               July 2019; the July 9, 2019 rollup KB4507452 (security-only KB4507461) is the first such",
        sources: &["https://support.microsoft.com/help/4472027/", SERVICING_DATA, "data/servicing/facts.md §7"],
    }
}

/// The ESU Licensing Preparation Package for Windows Server 2008 SP2: KB4538484.
pub fn esu_prep_package() -> Sourced<Kb> {
    Sourced {
        value: kb(4_538_484),
        note: "ESU Licensing Preparation Package for WS2008 SP2 (Win7/2008 R2: KB4538483), required before \
               ESU updates install (KB4522133 procedure, Feb 2020). Identified from a ConfigMgr detection \
               script (public copy, location not recorded), not a Microsoft page.",
        sources: &[
            "unconfirmed: a ConfigMgr ESU detection script maps Server 2008 SP2 to KB4538484 (public copy, location not recorded)",
            "https://redmondmag.com/articles/2020/02/12/microsoft-alters-windows-esu-requirements.aspx?m=1",
            "data/servicing/facts.md §3",
        ],
    }
}

/// Mainstream support end: 2015-01-13.
pub fn mainstream_end() -> Sourced<Date> {
    Sourced {
        value: date(2015, 1, 13),
        note: "Windows Server 2008 mainstream support end",
        sources: &[LIFECYCLE_YAML, LIFECYCLE_DATA, "data/servicing/facts.md §1"],
    }
}

/// Extended support end: 2020-01-14 (also the SP2 support end).
pub fn extended_support_end() -> Sourced<Date> {
    Sourced {
        value: date(2020, 1, 14),
        note:
            "Windows Server 2008 (SP2) and 2008 R2 (SP1) extended support end; later updates go to ESU customers only",
        sources: &[
            LIFECYCLE_YAML,
            LIFECYCLE_YAML_R2,
            ESU_FAQ,
            LIFECYCLE_DATA,
            "data/servicing/facts.md §1",
            "data/servicing/r2-facts.md §2",
        ],
    }
}

/// ESU year 1 end: 2021-01-12.
pub fn esu_year1_end() -> Sourced<Date> {
    Sourced {
        value: date(2021, 1, 12),
        note: "ESU year 1: 2020-01-14 to 2021-01-12 (2008 SP2 and 2008 R2 SP1)",
        sources: &[
            LIFECYCLE_YAML,
            LIFECYCLE_YAML_R2,
            ESU_FAQ,
            LIFECYCLE_DATA,
            "data/servicing/facts.md §2",
            "data/servicing/r2-facts.md §2",
        ],
    }
}

/// ESU year 2 end: 2022-01-11.
pub fn esu_year2_end() -> Sourced<Date> {
    Sourced {
        value: date(2022, 1, 11),
        note: "ESU year 2: 2021-01-13 to 2022-01-11 (2008 SP2 and 2008 R2 SP1)",
        sources: &[
            LIFECYCLE_YAML,
            LIFECYCLE_YAML_R2,
            ESU_FAQ,
            LIFECYCLE_DATA,
            "data/servicing/facts.md §2",
            "data/servicing/r2-facts.md §2",
        ],
    }
}

/// ESU year 3 end (last on-premises year): 2023-01-10.
pub fn esu_year3_end() -> Sourced<Date> {
    Sourced {
        value: date(2023, 1, 10),
        note: "ESU year 3 (last on-premises year): 2022-01-12 to 2023-01-10 (2008 SP2 and 2008 R2 SP1)",
        sources: &[
            LIFECYCLE_YAML,
            LIFECYCLE_YAML_R2,
            ESU_FAQ,
            ESU_TECHCOMMUNITY,
            LIFECYCLE_DATA,
            "data/servicing/facts.md §2",
            "data/servicing/r2-facts.md §2",
        ],
    }
}

/// Azure-only ESU year 4 end: 2024-01-09.
pub fn esu_azure_year4_end() -> Sourced<Date> {
    Sourced {
        value: date(2024, 1, 9),
        note: "ESU year 4, Azure only (also Azure Stack HCI/Hub): 2023-02-14 (first Patch Tuesday) to 2024-01-09",
        sources: &[
            ESU_TECHCOMMUNITY,
            LIFECYCLE_YAML,
            LIFECYCLE_YAML_R2,
            LIFECYCLE_DATA,
            "data/servicing/facts.md §2",
            "data/servicing/r2-facts.md §2",
        ],
    }
}

/// The release date of the last monthly rollup in the data: 2026-01-13
/// (KB5073697; security-only KB5073700).
pub fn last_data_rollup_date() -> Sourced<Date> {
    Sourced {
        value: date(2026, 1, 13),
        note: "the last WS2008 SP2 rollup/security-only pair in the MSRC data (KB5073697 / KB5073700; 2008 R2 SP1: \
               KB5073695 / KB5073699, the same day); \
               releases after the Azure ESU year 4 fit the Premium Assurance period (six years after \
               extended end, to January 2026), which the Microsoft lifecycle pages do not mention",
        sources: &[
            MSRC_DATA,
            SERVICING_DATA,
            SERVICING_DATA_R2,
            "https://www.computerworld.com/article/3148768/for-a-price-microsoft-will-extend-support-for-windows-server-sql-server-6-more-years.html",
            "data/servicing/facts.md §4",
        ],
    }
}

/// The last monthly rollup in the data: KB5073697.
pub fn last_data_rollup() -> Sourced<Kb> {
    Sourced {
        value: kb(5_073_697),
        note: "January 13, 2026 monthly rollup, the last in the MSRC data",
        sources: &[MSRC_DATA, SERVICING_DATA, "data/servicing/facts.md §4"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches() {
        assert_eq!(branch_of(16383), None);
        assert_eq!(branch_of(16384), Some(Branch::Gdr));
        assert_eq!(branch_of(20479), Some(Branch::Gdr));
        assert_eq!(branch_of(20480), Some(Branch::Ldr));
        assert_eq!(branch_of(24575), Some(Branch::Ldr));
        assert_eq!(branch_of(24576), None);
        assert_eq!(branch_of(LAST_6002_KERNEL.value.revision), Some(Branch::Ldr));
        assert_eq!(branch_of(FIRST_6003_KERNEL.value.revision), Some(Branch::Ldr));
        assert_eq!(Branch::Gdr.revisions().value, (0x4000, 0x4FFF));
        assert_eq!(Branch::Ldr.revisions().value, (0x5000, 0x5FFF));
    }

    #[test]
    fn dates_and_kbs_are_what_they_say() {
        assert_eq!(mainstream_end().value.to_string(), "2015-01-13");
        assert_eq!(extended_support_end().value.to_string(), "2020-01-14");
        assert_eq!(esu_year1_end().value.to_string(), "2021-01-12");
        assert_eq!(esu_year2_end().value.to_string(), "2022-01-11");
        assert_eq!(esu_year3_end().value.to_string(), "2023-01-10");
        assert_eq!(esu_azure_year4_end().value.to_string(), "2024-01-09");
        assert_eq!(last_data_rollup_date().value.to_string(), "2026-01-13");
        assert_eq!(first_6003_date().value.to_string(), "2019-04-09");
        assert_eq!(first_6003_rollup().value.to_string(), "KB4493471");
        assert_eq!(first_6003_security_only().value.to_string(), "KB4493458");
        assert_eq!(disputed_first_6003_preview().value.to_string(), "KB4489887");
        assert_eq!(sha2_update().value.to_string(), "KB4474419");
        assert_eq!(esu_prep_package().value.to_string(), "KB4538484");
        assert_eq!(first_sha2_only_rollup().value.to_string(), "KB4507452");
        assert_eq!(last_data_rollup().value.to_string(), "KB5073697");
        assert!(LAST_6002_ROLLUP_KERNEL.value < FIRST_6003_KERNEL.value);
    }

    #[test]
    fn facts_agree_with_catalog() {
        let c = crate::Catalog::embedded();
        let r = c.update(first_6003_rollup().value).unwrap();
        assert_eq!(r.kernel, Some(FIRST_6003_KERNEL.value));
        assert_eq!(r.released, Some(first_6003_date().value));
        let prev = c.update("KB4489880".parse().unwrap()).unwrap();
        assert_eq!(prev.kernel, Some(LAST_6002_ROLLUP_KERNEL.value));
        let last = c.update(last_data_rollup().value).unwrap();
        assert_eq!(last.released, Some(last_data_rollup_date().value));
        assert_eq!(c.rollups(crate::OsFamily::Ws2008).last().map(|u| u.kb), Some(last_data_rollup().value));
        assert_eq!(c.update(sha2_update().value).unwrap().kind, crate::UpdateKind::Sha2);
        assert_eq!(c.update(esu_prep_package().value).unwrap().kind, crate::UpdateKind::EsuPrep);
    }

    #[test]
    fn every_fact_has_a_source() {
        let srcs: Vec<&[&str]> = vec![
            GDR_REVISIONS.sources,
            LDR_REVISIONS.sources,
            LAST_6002_KERNEL.sources,
            LAST_6002_ROLLUP_KERNEL.sources,
            FIRST_6003_KERNEL.sources,
            first_6003_rollup().sources,
            disputed_first_6003_preview().sources,
            sha2_update().sources,
            esu_prep_package().sources,
            extended_support_end().sources,
            esu_azure_year4_end().sources,
        ];
        for s in srcs {
            assert!(!s.is_empty());
        }
    }
}
