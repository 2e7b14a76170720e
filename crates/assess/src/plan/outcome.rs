//! Where the plan leaves the host: its build and level after the plan, where
//! the plan stops and why, and what stays open with no fix.
use super::model::{FinalState, Isolation, KevExposed, Step};
use crate::assessment::{Assessment, FixStatus};
use crate::programme::Programme;
use crate::standing::Standing;
use w2k8_catalog::{facts, OsFamily};
use w2k8_core::{Date, Month};

/// The host after the plan.
pub(crate) fn final_state(st: &Standing, steps: &[Step]) -> FinalState {
    let last_monthly = steps.iter().filter(|s| s.kind.is_monthly()).filter_map(|s| s.released).max();
    FinalState {
        // A 2008 SP2 host moves to build 6003 with the April 2019 update;
        // 2008 R2 stays at 7601.
        build: match last_monthly {
            Some(d) if st.os_family == OsFamily::Ws2008 && d >= facts::first_6003_date().value => Some(6003),
            _ => st.build,
        },
        patched_through: match (last_monthly.map(Month::of), st.patched_through) {
            (Some(m), Some(t)) if m < t => Some(t),
            (Some(m), _) => Some(m),
            (None, t) => t,
        },
    }
}

/// Where the plan stops and why, when it stops before the newest update in the data.
pub(crate) fn stops(a: &Assessment, steps: &[Step], cap: Date, until: Option<Date>) -> Option<String> {
    if cap >= facts::last_data_rollup_date().value {
        return None;
    }
    let last = steps
        .iter()
        .rfind(|s| s.kind.is_monthly())
        .or_else(|| steps.iter().filter(|s| s.kb.is_some()).max_by_key(|s| s.released));
    let at = match last.and_then(|s| s.kb.map(|k| (k, s.released))) {
        Some((kb, Some(r))) => format!("{kb} ({r})"),
        Some((kb, None)) => kb.to_string(),
        None => "the updates already installed".to_string(),
    };
    Some(if until.is_some_and(|u| u < a.programme.ends) {
        format!("stops at {at}: --until allows nothing released after {cap}")
    } else if a.programme.programme == Programme::None {
        format!(
            "stops at {at}: the last update this host may install without a paid programme (extended support ended {}; later updates need ESU, --esu esu|azure|premium)",
            facts::extended_support_end().value
        )
    } else {
        format!("stops at {at}: {} ended {}", a.programme.name, a.programme.ends)
    })
}

/// For a host with open CVEs no available update fixes: what stays open.
pub(crate) fn isolation(a: &Assessment) -> Option<Isolation> {
    let no_fix: Vec<_> = a.exposure.iter().filter(|e| e.status == FixStatus::NoFixAvailableToYou).collect();
    if no_fix.is_empty() {
        return None;
    }
    let kev_exposed = no_fix
        .iter()
        .filter_map(|e| {
            e.kev.as_ref().map(|k| KevExposed {
                cve: e.cve,
                title: e.title.to_string(),
                component: e.component.to_string(),
                ransomware: k.ransomware,
            })
        })
        .collect();
    Some(Isolation {
        programme_ended: a.programme.ends,
        open_without_fix: no_fix.len(),
        kev_exposed,
        advice: vec![
            "block inbound access to the affected services (host firewall, network ACLs) except from the systems that need them".to_string(),
            "disable the roles and services the host does not need".to_string(),
            "keep the host off the internet and in its own network segment".to_string(),
            "plan the migration to a supported Windows Server (w2k8 migrate)".to_string(),
        ],
        advice_source: "generic advice: no source in the data gives isolation steps for these CVEs".to_string(),
    })
}
