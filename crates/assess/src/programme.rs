//! Which updates released after extended support ended (2020-01-14) a host
//! may get at all: the paid programme it is in, and when that ended.
//!
//! * `none`: no paid programme; updates up to 2020-01-14;
//! * `esu`: Extended Security Updates years 1-3, to 2023-01-10;
//! * `azure`: the Azure-only fourth year, to 2024-01-09;
//! * `premium`: older premium support contracts (Premium Assurance), whose
//!   rollups continue in the data to 2026-01-13.
//!
//! The dates are the catalog's sourced facts ([`w2k8_catalog::facts`]).
//! Without `--esu`, the programme is inferred from what is installed: the
//! newest update released after a programme's end proves the host was in a
//! longer one.
use serde::Serialize;
use w2k8_catalog::{facts, Catalog, Update};
use w2k8_core::{Date, Kb};

/// A support programme for updates after January 2020.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Programme {
    /// No paid programme: updates to the end of extended support.
    None,
    /// ESU years 1-3 (on premises).
    Esu,
    /// ESU with the Azure-only fourth year.
    Azure,
    /// Older premium support contracts: everything the data holds.
    Premium,
}

impl Programme {
    /// `none`, `esu`, `azure`, `premium`.
    pub fn as_str(self) -> &'static str {
        match self {
            Programme::None => "none",
            Programme::Esu => "esu",
            Programme::Azure => "azure",
            Programme::Premium => "premium",
        }
    }

    /// A readable name.
    pub fn name(self) -> &'static str {
        match self {
            Programme::None => "no paid programme (extended support only)",
            Programme::Esu => "Extended Security Updates, years 1-3",
            Programme::Azure => "Extended Security Updates with the Azure-only year 4",
            Programme::Premium => "premium support contract (updates to January 2026 in the data)",
        }
    }

    /// The last day an update may be released to be available in this
    /// programme, with the fact's note and sources.
    pub fn end(self) -> facts::Sourced<Date> {
        match self {
            Programme::None => facts::extended_support_end(),
            Programme::Esu => facts::esu_year3_end(),
            Programme::Azure => facts::esu_azure_year4_end(),
            Programme::Premium => facts::last_data_rollup_date(),
        }
    }
}

impl std::str::FromStr for Programme {
    type Err = String;
    fn from_str(s: &str) -> Result<Programme, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "none" => Ok(Programme::None),
            "esu" => Ok(Programme::Esu),
            "azure" => Ok(Programme::Azure),
            "premium" => Ok(Programme::Premium),
            other => Err(format!("expected none, esu, azure or premium, found `{other}`")),
        }
    }
}

/// The programme an assessment used, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgrammeChoice {
    /// The programme.
    pub programme: Programme,
    /// Its readable name.
    pub name: String,
    /// True when inferred from the installed updates (no `--esu`).
    pub inferred: bool,
    /// The last release date of an update available in it.
    pub ends: Date,
    /// Why this programme (the inference, or "given with --esu").
    pub why: String,
    /// Where the end date comes from.
    pub sources: Vec<String>,
}

/// The release day of `u`, or the first day of the month a source gives.
pub(crate) fn release_or_month(u: &Update) -> Option<Date> {
    u.released.or_else(|| crate::standing::month_hint(u))
}

/// Chooses the programme: `given` when set, else inferred from `installed`.
pub fn choose(given: Option<Programme>, installed: &[Kb], catalog: &Catalog) -> ProgrammeChoice {
    choose_with_kernel(given, installed, None, catalog)
}

/// Chooses the programme: `given` when set, else inferred from `installed`
/// and from `kernel`, the update (and its release day) whose kernel is in
/// effect: a kernel of May 2022 proves an update of that month installed,
/// hence a programme that delivered it, whatever the hotfix list shows.
pub fn choose_with_kernel(
    given: Option<Programme>,
    installed: &[Kb],
    kernel: Option<(Date, Kb)>,
    catalog: &Catalog,
) -> ProgrammeChoice {
    if let Some(p) = given {
        return make_choice(p, false, "given with --esu".to_string());
    }
    let newest = newest_evidence(installed, kernel, catalog);
    let esu_prep =
        installed.iter().filter_map(|kb| catalog.update(*kb)).find(|u| u.kind == w2k8_catalog::UpdateKind::EsuPrep);
    infer(newest, esu_prep)
}

/// The choice of `p`, with its end date and the sources of that date.
fn make_choice(p: Programme, inferred: bool, why: String) -> ProgrammeChoice {
    let end = p.end();
    ProgrammeChoice {
        programme: p,
        name: p.name().to_string(),
        inferred,
        ends: end.value,
        why,
        sources: end.sources.iter().map(|s| s.to_string()).collect(),
    }
}

/// The newest release date proven installed (by the hotfix list or by the
/// kernel in effect), with the sentence saying how it is known.
fn newest_evidence(installed: &[Kb], kernel: Option<(Date, Kb)>, catalog: &Catalog) -> Option<(Date, String)> {
    let listed = installed
        .iter()
        .filter_map(|kb| catalog.update(*kb))
        .filter_map(|u| release_or_month(u).map(|d| (d, format!("{} ({d}) is installed", u.kb))))
        .max_by(|a, b| a.0.cmp(&b.0));
    let by_kernel = kernel.map(|(d, kb)| {
        (
            d,
            format!(
                "ntoskrnl.exe shows the update of {} ({kb} or its security-only twin, {d}) in effect",
                d.month_string()
            ),
        )
    });
    match (listed, by_kernel) {
        (Some(l), Some(k)) => Some(if k.0 > l.0 { k } else { l }),
        (l, k) => l.or(k),
    }
}

/// The programme inferred from the newest update proven installed and from
/// the ESU preparation package, when installed.
fn infer(newest: Option<(Date, String)>, esu_prep: Option<&Update>) -> ProgrammeChoice {
    let after = |p: Programme| newest.as_ref().filter(|(d, _)| *d > p.end().value);
    if let Some((_, what)) = after(Programme::Azure) {
        return make_choice(
            Programme::Premium,
            true,
            format!(
                "{what}, released after the Azure ESU year 4 ended ({}): only a premium support contract delivers it",
                Programme::Azure.end().value
            ),
        );
    }
    if let Some((_, what)) = after(Programme::Esu) {
        return make_choice(
            Programme::Azure,
            true,
            format!(
                "{what}, released after ESU year 3 ended ({}): the Azure-only year 4 delivers it",
                Programme::Esu.end().value
            ),
        );
    }
    if let Some((_, what)) = after(Programme::None) {
        return make_choice(
            Programme::Esu,
            true,
            format!("{what}, released after extended support ended ({}): ESU delivers it", Programme::None.end().value),
        );
    }
    if let Some(u) = esu_prep {
        return make_choice(
            Programme::Esu,
            true,
            format!("the ESU licensing preparation package {} is installed", u.kb),
        );
    }
    make_choice(
        Programme::None,
        true,
        "nothing installed was released after extended support ended and no ESU preparation package is installed; pass --esu esu|azure|premium if the host is in a programme".to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kbs(v: &[u32]) -> Vec<Kb> {
        v.iter().map(|n| Kb::new(*n).unwrap()).collect()
    }

    #[test]
    fn inference_from_installed_updates() {
        let c = Catalog::embedded();
        // January 2026 rollup: premium.
        let p = choose(None, &kbs(&[4474419, 4493730, 5073697]), c);
        assert_eq!(p.programme, Programme::Premium);
        assert!(p.inferred);
        assert!(p.why.contains("KB5073697"), "{}", p.why);
        assert_eq!(p.ends.to_string(), "2026-01-13");
        // January 2023 rollup KB5022340 (2023-01-10): not after year 3's end, so ESU.
        assert_eq!(choose(None, &kbs(&[5022340]), c).programme, Programme::Esu);
        // December 2019 rollup: none.
        let n = choose(None, &kbs(&[4530695]), c);
        assert_eq!(n.programme, Programme::None);
        assert_eq!(n.ends.to_string(), "2020-01-14");
        // A kernel in effect counts like an installed update: May 2022 (KB5014012's kernel) is ESU.
        let k = Some((Date::new(2022, 5, 10).unwrap(), Kb::new(5_014_012).unwrap()));
        let e = choose_with_kernel(None, &[], k, c);
        assert_eq!(e.programme, Programme::Esu);
        assert!(e.why.contains("ntoskrnl.exe shows the update of 2022-05"), "{}", e.why);
        // ESU preparation alone.
        assert_eq!(choose(None, &kbs(&[4538484]), c).programme, Programme::Esu);
        // Given.
        let g = choose(Some(Programme::Azure), &[], c);
        assert_eq!((g.programme, g.inferred, g.ends.to_string().as_str()), (Programme::Azure, false, "2024-01-09"));
    }

    #[test]
    fn parse_names() {
        assert_eq!("ESU".parse::<Programme>(), Ok(Programme::Esu));
        assert_eq!("premium".parse::<Programme>(), Ok(Programme::Premium));
        assert!("gold".parse::<Programme>().is_err());
    }
}
