//! Host filters for `w2k8 hosts --filter`: `KEY OP VALUE`, several filters
//! all apply (AND).
//!
//! | key | value | example |
//! |---|---|---|
//! | `name` | glob (`*`, `?`), case-insensitive, as accepted risks match host names (`w2k8_core::accept::host_matches`); with `=` or `!=` only | `name=SRV-*` |
//! | `build` | number | `build=6002` |
//! | `patched_through` | `YYYY-MM` (compared as text) | `patched_through<2023-01` |
//! | `kev`, `ransomware`, `missing`, `cves` | number of open KEV CVEs, ransomware CVEs, missing updates, open CVEs | `kev>0` |
//! | `reachable_kev` | number of open KEV CVEs reachable on the host (unknown when the bundle lacks the configuration files) | `reachable_kev>0` |
//! | `status` | `ok`, `failed`, `unsupported` | `status=failed` |
//! | `arch` | `x86`, `x64`, `ia64` | `arch=x86` |
//! | `core` | `true`, `false` | `core=true` |
//! | `edition`, `product` | text, case-insensitive | `edition=Enterprise` |
//!
//! OP is one of `=`, `!=`, `<`, `<=`, `>`, `>=`. A host that lacks the
//! value (e.g. no build known) matches only `!=`.
use std::cmp::Ordering;
use w2k8_core::accept::host_matches;
use w2k8_fleet::HostRow;

/// A filter expression could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError(pub String);

impl std::fmt::Display for FilterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FilterError {}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn holds(self, o: Ordering) -> bool {
        match self {
            Op::Eq => o == Ordering::Equal,
            Op::Ne => o != Ordering::Equal,
            Op::Lt => o == Ordering::Less,
            Op::Le => o != Ordering::Greater,
            Op::Gt => o == Ordering::Greater,
            Op::Ge => o != Ordering::Less,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    Name,
    Build,
    PatchedThrough,
    Kev,
    Ransomware,
    Missing,
    Cves,
    ReachableKev,
    Status,
    Arch,
    Core,
    Edition,
    Product,
}

const KEYS: &[(&str, Key)] = &[
    ("name", Key::Name),
    ("build", Key::Build),
    ("patched_through", Key::PatchedThrough),
    ("kev", Key::Kev),
    ("ransomware", Key::Ransomware),
    ("missing", Key::Missing),
    ("cves", Key::Cves),
    ("reachable_kev", Key::ReachableKev),
    ("status", Key::Status),
    ("arch", Key::Arch),
    ("core", Key::Core),
    ("edition", Key::Edition),
    ("product", Key::Product),
];

#[derive(Debug, Clone, PartialEq, Eq)]
struct Clause {
    key: Key,
    op: Op,
    value: String,
}

/// A conjunction of `KEY OP VALUE` clauses; the empty filter keeps every host.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    clauses: Vec<Clause>,
}

impl Filter {
    /// Parses each expression (e.g. `kev>0`) and ANDs them.
    pub fn parse<S: AsRef<str>>(exprs: &[S]) -> Result<Filter, FilterError> {
        let mut clauses = Vec::new();
        for e in exprs {
            clauses.push(parse_clause(e.as_ref())?);
        }
        Ok(Filter { clauses })
    }

    /// True when `row` passes every clause.
    pub fn matches(&self, row: &HostRow) -> bool {
        self.clauses.iter().all(|c| clause_matches(c, row))
    }
}

fn parse_clause(e: &str) -> Result<Clause, FilterError> {
    let bad = || {
        FilterError(format!(
            "filter `{e}`: expected KEY OP VALUE with OP one of = != < <= > >= and KEY one of {}",
            KEYS.iter().map(|(k, _)| *k).collect::<Vec<_>>().join(", ")
        ))
    };
    let pos = e.find(['=', '!', '<', '>']).ok_or_else(bad)?;
    let (key, rest) = e.split_at(pos);
    let (op, value) = if let Some(v) = rest.strip_prefix("!=") {
        (Op::Ne, v)
    } else if let Some(v) = rest.strip_prefix("<=") {
        (Op::Le, v)
    } else if let Some(v) = rest.strip_prefix(">=") {
        (Op::Ge, v)
    } else if let Some(v) = rest.strip_prefix('=') {
        (Op::Eq, v)
    } else if let Some(v) = rest.strip_prefix('<') {
        (Op::Lt, v)
    } else if let Some(v) = rest.strip_prefix('>') {
        (Op::Gt, v)
    } else {
        return Err(bad());
    };
    let key = key.trim().to_ascii_lowercase();
    let key = KEYS.iter().find(|(k, _)| *k == key).map(|(_, k)| *k).ok_or_else(bad)?;
    let value = value.trim().to_string();
    let numeric = matches!(key, Key::Build | Key::Kev | Key::Ransomware | Key::Missing | Key::Cves | Key::ReachableKev);
    if numeric && value.parse::<i64>().is_err() {
        return Err(FilterError(format!("filter `{e}`: expected a number after the operator")));
    }
    if key == Key::Name && !matches!(op, Op::Eq | Op::Ne) {
        return Err(FilterError(format!("filter `{e}`: `name` takes = or != with a glob")));
    }
    if key == Key::Core && !matches!(value.as_str(), "true" | "false") {
        return Err(FilterError(format!("filter `{e}`: expected true or false")));
    }
    Ok(Clause { key, op, value })
}

fn clause_matches(c: &Clause, r: &HostRow) -> bool {
    let num = |v: Option<i64>| match (v, c.value.parse::<i64>()) {
        (Some(v), Ok(want)) => c.op.holds(v.cmp(&want)),
        _ => c.op == Op::Ne,
    };
    let text = |v: Option<&str>| match v {
        Some(v) => c.op.holds(v.to_ascii_lowercase().as_str().cmp(c.value.to_ascii_lowercase().as_str())),
        None => c.op == Op::Ne,
    };
    match c.key {
        Key::Name => host_matches(&c.value, &r.name) == (c.op == Op::Eq),
        Key::Build => num(r.build.map(i64::from)),
        Key::PatchedThrough => text(r.patched_through.map(|m| m.to_string()).as_deref()),
        Key::Kev => num(r.kev_open.map(i64::from)),
        Key::Ransomware => num(r.ransomware_open.map(i64::from)),
        Key::Missing => num(r.missing.map(i64::from)),
        Key::Cves => num(r.open_cves.map(i64::from)),
        Key::ReachableKev => num(r.reachable_kev.map(i64::from)),
        Key::Status => text(Some(r.status.as_str())),
        Key::Arch => text(r.arch.map(arch_str)),
        Key::Core => text(r.server_core.map(|b| if b { "true" } else { "false" })),
        Key::Edition => text(r.edition.as_deref()),
        Key::Product => text(r.product.as_deref()),
    }
}

/// `x86`, `x64`, `ia64`.
pub fn arch_str(a: w2k8_core::Arch) -> &'static str {
    match a {
        w2k8_core::Arch::X86 => "x86",
        w2k8_core::Arch::X64 => "x64",
        w2k8_core::Arch::Ia64 => "ia64",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use w2k8_fleet::ScanStatus;

    fn row() -> HostRow {
        HostRow {
            host_id: 1,
            name: "SRV-FILE01".into(),
            product_id: None,
            product: Some("Windows Server 2008 SP2".into()),
            edition: Some("Standard".into()),
            arch: Some(w2k8_core::Arch::X64),
            server_core: Some(false),
            build: Some(6003),
            kernel: None,
            patched_through: Some("2020-02".parse().unwrap()),
            patched_through_at_least: None,
            missing: Some(3),
            open_cves: Some(40),
            kev_open: Some(2),
            ransomware_open: Some(0),
            unknown_cves: Some(0),
            unknown_kev: Some(0),
            counts_are_lower_bound: Some(false),
            reachable_kev: Some(1),
            critical_open: Some(2),
            accepted: None,
            last_scan: "2026-11-25T00:00:00Z".parse().unwrap(),
            status: ScanStatus::Ok,
            error: None,
            file_problems: Vec::new(),
        }
    }

    #[test]
    fn clauses() {
        let cases: &[(&str, bool)] = &[
            ("build=6003", true),
            ("build=6002", false),
            ("build>=6002", true),
            ("kev>0", true),
            ("ransomware>0", false),
            ("patched_through<2023-01", true),
            ("patched_through>=2020-03", false),
            ("status=ok", true),
            ("status=failed", false),
            ("name=srv-*", true),
            ("name=SRV-FILE0?", true),
            ("name!=srv-*", false),
            ("name=dc*", false),
            ("arch=x64", true),
            ("core=false", true),
            ("edition=standard", true),
            ("missing<=3", true),
            ("cves>40", false),
            ("reachable_kev>0", true),
            ("reachable_kev=0", false),
        ];
        for (e, want) in cases {
            let f = Filter::parse(&[*e]).unwrap();
            assert_eq!(f.matches(&row()), *want, "{e}");
        }
    }

    #[test]
    fn a_host_not_assessed_has_no_count_to_match() {
        let mut r = row();
        r.status = ScanStatus::Failed;
        (r.missing, r.open_cves, r.kev_open, r.ransomware_open) = (None, None, None, None);
        for e in ["kev=0", "kev>0", "kev<1", "cves=0", "missing<=0", "ransomware=0"] {
            assert!(!Filter::parse(&[e]).unwrap().matches(&r), "{e} must not match an unread host");
        }
        assert!(Filter::parse(&["status=failed"]).unwrap().matches(&r));
    }

    #[test]
    fn an_unknown_reachable_kev_never_matches_as_zero() {
        // The bundle lacks the configuration files: unknown, neither 0 nor more.
        let mut r = row();
        r.reachable_kev = None;
        for e in ["reachable_kev=0", "reachable_kev>0", "reachable_kev<1"] {
            assert!(!Filter::parse(&[e]).unwrap().matches(&r), "{e}");
        }
        assert!(Filter::parse(&["reachable_kev!=0"]).unwrap().matches(&r), "not shown as clean");
        assert!(Filter::parse(&["reachable_kev>x"]).is_err());
    }

    #[test]
    fn errors() {
        for e in ["build", "colour=red", "build=abc", "name<a", "core=maybe", "=3"] {
            assert!(Filter::parse(&[e]).is_err(), "{e}");
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_parses_or_errs_without_panic(e in ".{0,40}", name in ".{0,20}") {
            if let Ok(f) = Filter::parse(&[e.as_str()]) {
                let mut r = row();
                r.name = name;
                let _ = f.matches(&r);
            }
        }

        #[test]
        fn a_name_matches_itself_and_star(name in "[A-Za-z0-9-]{0,20}") {
            proptest::prop_assert!(host_matches(&name.to_ascii_lowercase(), &name));
            proptest::prop_assert!(host_matches("*", &name));
        }
    }

    #[test]
    fn globs() {
        assert!(host_matches("*", ""));
        assert!(host_matches("a*c", "abbbc"));
        assert!(host_matches("a*c*", "abcxc"));
        assert!(!host_matches("a?c", "ac"));
        assert!(host_matches("*01", "SRV-FILE01"));
    }
}
