//! Which track (monthly rollup or security-only) the answer recommends.
use super::context::{month_name, month_of, HostContext};
use super::cover::Target;
use super::model::TrackAdvice;
use crate::standing::{Standing, Track};
use w2k8_catalog::{Update, UpdateKind};
use w2k8_core::Kb;

/// The security-only updates that staying on that track would need instead
/// of the target rollup: one per gap month, oldest first, not installed.
pub(crate) fn security_only_alternative(ctx: &HostContext, target: &Target) -> Vec<Kb> {
    let so: Vec<&Update> =
        ctx.catalog.updates_of_kind(UpdateKind::SecurityOnly).filter(|u| u.applies_to(ctx.os)).collect();
    target
        .gap
        .iter()
        .filter_map(|r| {
            let m = month_of(r)?;
            so.iter().find(|s| month_of(s) == Some(m) && ctx.applies(s)).map(|s| s.kb)
        })
        .filter(|k| !ctx.installed.contains(k))
        .collect()
}

/// The advice: one rollup when one is available, else the host's own track.
pub(crate) fn track_advice(ctx: &HostContext, st: &Standing, target: &Target) -> TrackAdvice {
    let current = st.track;
    match (&st.track, target.rollup) {
        (_, Some(t)) => {
            let alt = security_only_alternative(ctx, target);
            TrackAdvice {
                current,
                recommended: Track::MonthlyRollup,
                why: format!(
                    "one update, {}, brings every month up to {}: each monthly rollup contains all earlier rollups and security-only updates; the security-only track needs {} update(s), one per month, and no month may be skipped",
                    t.kb,
                    target.month.map(month_name).unwrap_or_else(|| "?".to_string()),
                    alt.len()
                ),
                security_only_alternative: alt,
            }
        }
        (Some(tr), None) => TrackAdvice {
            recommended: if *tr == Track::SecurityOnly { Track::SecurityOnly } else { Track::MonthlyRollup },
            why: format!(
                "the host is current on its track through {}",
                st.patched_through.map_or_else(|| "?".to_string(), |m| m.to_string())
            ),
            security_only_alternative: Vec::new(),
            current,
        },
        (None, None) => TrackAdvice {
            current,
            recommended: Track::MonthlyRollup,
            why: "no monthly rollup is available to this host in its programme".to_string(),
            security_only_alternative: Vec::new(),
        },
    }
}
