//! Placeholder: being written. Merges per-file [`Facts`](crate::Facts) into one [`Host`](crate::Host).
use crate::{Facts, Host, SourceFile};

/// Merges the facts of several files into one host.
pub fn merge(parts: Vec<(SourceFile, Facts)>) -> Host {
    let mut host = Host::default();
    for (src, facts) in parts {
        host.sources.push(src);
        host.facts.hotfixes.extend(facts.hotfixes);
    }
    host
}
