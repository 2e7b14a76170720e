//! Hosts that read alike share one assessment, in `scan` and in
//! [`crate::reassess`].
//!
//! Two hosts read alike when every fact the loader read, with its evidence,
//! is the same but the host's name and product ID: hosts built from one
//! image and patched alike. The assessment and the plan read neither (a
//! test pins it): they are made once, under placeholder values, and each
//! host gets the answer under its own name and product ID (in the plan and
//! error text too). What belongs to the scan rather than to the facts
//! (where the bundle was, its digest, when, its saved input) is always the
//! host's own.
//!
//! At most [`MEMO_MAX`] answers are kept, each without its open CVEs' text
//! (their positions in the catalog instead: a host may have 2,000), so a
//! fleet of all-different hosts costs a bounded few megabytes more.
use crate::describe;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use w2k8_catalog::Catalog;
use w2k8_core::Date;
use w2k8_inventory::Host;
use w2k8_store::ScanInput;

/// Answers kept for hosts that read alike.
pub const MEMO_MAX: usize = 1024;

/// The host name an assessment shared between hosts is made under: control
/// characters no collected name holds, replaced by each host's own name.
const PLACEHOLDER: &str = "\u{1}w2k8-host\u{1}";

/// The product ID an assessment shared between hosts is made under.
const PLACEHOLDER_ID: &str = "\u{1}w2k8-product-id\u{1}";

/// An answer kept: the scan without its open CVEs, and their positions in
/// the catalog's CVE table (an open CVE is its catalog entry), so that an
/// answer costs a few kilobytes rather than a few hundred.
struct Kept {
    scan: ScanInput,
    cves: Vec<u32>,
}

impl Kept {
    /// `s` to keep; None when one of its CVEs is not in `catalog` as such.
    fn of(s: &ScanInput, catalog: &Catalog) -> Option<Kept> {
        let mut cves = Vec::with_capacity(s.cves.len());
        for c in &s.cves {
            let i = catalog.cve_position(c.cve())?;
            if crate::cve_input_at(catalog, i)? != *c {
                return None;
            }
            cves.push(u32::try_from(i).ok()?);
        }
        Some(Kept { scan: ScanInput { cves: Vec::new(), ..s.clone() }, cves })
    }

    /// The scan kept, with its open CVEs.
    fn scan(&self, catalog: &Catalog) -> ScanInput {
        let cves = self.cves.iter().filter_map(|i| crate::cve_input_at(catalog, *i as usize)).collect();
        ScanInput { cves, ..self.scan.clone() }
    }
}

/// The answers shared between hosts that read alike, by `memo_key`.
#[derive(Default)]
pub struct Alike {
    memo: Mutex<HashMap<[u8; 32], Arc<Kept>>>,
    hits: AtomicUsize,
}

/// The key of a loaded host: every fact and its evidence (its name and
/// product ID already replaced by the placeholders).
fn memo_key(host: &Host) -> Option<[u8; 32]> {
    let text = serde_json::to_vec(host).ok()?;
    Some(Sha256::digest(&text).into())
}

/// `text` with `placeholder` replaced by `to` (plain text, and as JSON text).
fn rename(text: &str, placeholder: &str, to: &str) -> String {
    let (raw, escaped) = (text.contains('\u{1}'), text.contains("\\u0001"));
    let json = |s: &str| serde_json::to_string(s).unwrap_or_default().trim_matches('"').to_string();
    // Each form is replaced only where the text holds it (a plan's JSON holds
    // only the escaped one): one pass over a long text, not two.
    let text = if escaped { text.replace(&json(placeholder), &json(to)) } else { text.to_string() };
    if raw {
        text.replace(placeholder, to)
    } else {
        text
    }
}

/// Puts `placeholder` in place of the value observed (and in its evidence's
/// line); returns the value.
fn stand_in(o: &mut w2k8_core::Observed<String>, placeholder: &str) -> String {
    o.evidence.fact = o.evidence.fact.replace(o.value.as_str(), placeholder);
    std::mem::replace(&mut o.value, placeholder.to_string())
}

/// A value as [`describe`] records it: trimmed, None when empty.
fn recorded(v: &Option<String>) -> Option<String> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

impl Alike {
    /// No answer kept yet.
    pub fn new() -> Alike {
        Alike::default()
    }

    /// How many hosts got an answer made for another host.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    /// [`describe`] of `input` with `host` loaded, shared with the hosts
    /// that read alike (see the module documentation).
    pub(crate) fn describe(&self, input: ScanInput, mut host: Host, catalog: &Catalog, today: Date) -> ScanInput {
        // An empty value is left as it is (and shared as it is).
        let stand = |o: Option<&mut w2k8_core::Observed<String>>, placeholder: &str| {
            o.filter(|o| !o.value.trim().is_empty()).map(|o| stand_in(o, placeholder))
        };
        let own_name = stand(host.facts.host_name.as_mut(), PLACEHOLDER);
        let own_id = stand(host.facts.product_id.as_mut(), PLACEHOLDER_ID);
        let key = memo_key(&host);
        let known = key.and_then(|k| self.memo.lock().ok().and_then(|m| m.get(&k).cloned())).map(|e| e.scan(catalog));
        let mut s = match known {
            Some(s) => {
                self.hits.fetch_add(1, Ordering::Relaxed);
                s
            }
            None => {
                let blank = ScanInput { saved_input: None, ..input.clone() };
                let s = describe(blank, Ok(host), catalog, today);
                if let (Some(k), Some(kept)) = (key, Kept::of(&s, catalog)) {
                    if let Ok(mut m) = self.memo.lock() {
                        if m.len() < MEMO_MAX {
                            m.insert(k, Arc::new(kept));
                        }
                    }
                }
                s
            }
        };
        for (placeholder, own) in [(PLACEHOLDER, &own_name), (PLACEHOLDER_ID, &own_id)] {
            if let Some(own) = own {
                s.plan = s.plan.as_deref().map(|p| rename(p, placeholder, own));
                s.error = s.error.as_deref().map(|e| rename(e, placeholder, own));
            }
        }
        // What describe records from the name and product ID, then what
        // belongs to this scan.
        s.name = recorded(&own_name).unwrap_or(input.name);
        s.product_id = recorded(&own_id);
        s.source = input.source;
        s.digest = input.digest;
        s.scanned_at = input.scanned_at;
        s.saved_input = input.saved_input;
        s.reassessed_from = input.reassessed_from;
        s
    }
}
