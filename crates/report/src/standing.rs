//! `w2k8 standing` as text: one screen an administrator reads top to bottom.
use crate::{wrap, Block};
use w2k8_assess::{Standing, UpdateRef};
use w2k8_core::Evidence;

fn at(s: &Standing, fact: &str) -> Option<String> {
    let locs: Vec<String> = s.evidence.iter().filter(|e| e.fact == fact).map(Evidence::location).collect();
    match locs.len() {
        0 => None,
        1 | 2 => Some(locs.join(", ")),
        n => Some(format!("{}, +{} more", locs.iter().take(2).cloned().collect::<Vec<_>>().join(", "), n - 2)),
    }
}

fn update(u: &UpdateRef) -> String {
    let kind = u.kind.as_str().replace('_', " ");
    match (u.released, &u.month) {
        (Some(d), _) => format!("{} ({kind}, {d})", u.kb),
        (None, Some(m)) => format!("{} ({kind}, {m}, day not sourced)", u.kb),
        (None, None) => format!("{} ({kind}, date not sourced)", u.kb),
    }
}

/// Renders a standing as readable text.
pub fn text(s: &Standing) -> String {
    w2k8_core::text::escape_text(&text_unescaped(s)).into_owned()
}

fn text_unescaped(s: &Standing) -> String {
    let mut b = Block::new();
    identity(&mut b, s);
    build_and_kernel(&mut b, s);
    patch_level(&mut b, s);
    servicing_stack(&mut b, s);
    b.row("SHA-2 support", &prereq(&s.sha2), at(s, "sha2"));
    b.row("ESU preparation", &prereq(&s.esu_prep), at(s, "esu_prep"));
    updates(&mut b, s);
    conflicts(&mut b, s);
    if !s.notes.is_empty() {
        b.line("Notes:");
        for n in &s.notes {
            b.line(&format!("  - {}", wrap(n, 96).replace('\n', "\n    ")));
        }
    }
    let files: Vec<String> = s.sources.iter().map(|f| format!("{} ({}, {})", f.file, f.format, f.encoding)).collect();
    b.line(&format!("Read: {}", files.join("; ")));
    b.finish()
}

/// The title line, then what the host is: name, product, edition,
/// architecture, installation type.
fn identity(b: &mut Block, s: &Standing) {
    let host = s.host.as_deref().unwrap_or("(host name not in bundle)");
    let mut title = format!("{host}: {}", s.product);
    if let Some(e) = &s.edition {
        title.push(' ');
        title.push_str(e);
    }
    b.line(&title);
    b.row("Host", host, at(s, "host"));
    b.row("Product", &s.product, at(s, "product"));
    if let Some(n) = &s.os_name {
        b.row("OS name", n, None);
    }
    b.row("Edition", s.edition.as_deref().unwrap_or("unknown"), at(s, "edition"));
    b.row("Architecture", s.arch.map(|a| a.as_str()).unwrap_or("unknown"), at(s, "arch"));
    let core = match s.server_core {
        Some(true) => "Server Core installation",
        Some(false) => "full installation",
        None => "unknown (no OperatingSystemSKU in the bundle: add os.txt)",
    };
    b.row("Installation", core, at(s, "server_core"));
}

/// Service pack, build (with its note), kernel revision and branch, and the
/// update whose kernel it is at least.
fn build_and_kernel(b: &mut Block, s: &Standing) {
    let sp = match s.service_pack {
        Some(0) => "none".to_string(),
        Some(n) => format!("Service Pack {n}"),
        None => "unknown".to_string(),
    };
    b.row("Service pack", &sp, at(s, "service_pack"));
    let build = s.build.map(|b| b.to_string()).unwrap_or_else(|| "unknown".into());
    b.row("Build", &build, at(s, "build"));
    if let Some(n) = &s.build_note {
        b.row("", &wrap(n, 76), None);
    }
    match (&s.kernel_revision, &s.branch) {
        (Some(k), Some(br)) => {
            b.row("Kernel", &format!("ntoskrnl.exe {k}, {} branch", br.as_str()), at(s, "kernel_revision"))
        }
        (Some(k), None) => b.row("Kernel", &format!("ntoskrnl.exe {k}"), at(s, "kernel_revision")),
        _ => b.row("Kernel", "unknown (add ntoskrnl.txt: wmic datafile ... get Version)", None),
    }
    if let Some(kl) = &s.kernel_level {
        b.row("", &format!("at least the kernel of {}", update(kl)), None);
    }
}

/// The month patched through (and on what basis), the latest rollup, the track.
fn patch_level(b: &mut Block, s: &Standing) {
    let through = match (&s.patched_through, &s.patched_through_at_least, &s.patched_through_basis) {
        (Some(m), _, Some(basis)) => format!("{m}\n{}", wrap(basis, 76)),
        (Some(m), _, None) => m.to_string(),
        (None, Some(m), Some(basis)) => format!("at least {m} (a lower bound)\n{}", wrap(basis, 76)),
        (None, Some(m), None) => format!("at least {m} (a lower bound)"),
        (None, None, Some(basis)) => format!("no month fully covered\n{}", wrap(basis, 76)),
        (None, None, None) => "no monthly rollup or security-only update installed".to_string(),
    };
    b.row("Patched through", &through, at(s, "patched_through").or_else(|| at(s, "latest_rollup")));
    if let Some(u) = &s.latest_rollup {
        b.row("Latest rollup", &update(u), at(s, "latest_rollup"));
    }
    if let Some(t) = &s.track {
        b.row("Track", &t.as_str().replace('_', " "), None);
    }
}

/// The servicing stack updates installed, and whether they are current for
/// the programme.
fn servicing_stack(b: &mut Block, s: &Standing) {
    let ssu = if s.ssu.installed.is_empty() {
        "none installed".to_string()
    } else {
        wrap(&crate::joined(s.ssu.installed.iter().map(|u| u.kb), ", "), 50)
    };
    let prog = &s.ssu.programme;
    let ssu = match (&s.ssu.newest_available, &s.ssu.newest_known) {
        (Some(n), _) if s.ssu.current => {
            format!("{ssu}\ncurrent for programme {prog} (newest it gives: {})", update(n))
        }
        (Some(n), Some(k)) if n.kb != k.kb => format!(
            "{ssu}\nnot current: the newest programme {prog} gives is {}\n(newest known: {})",
            update(n),
            update(k)
        ),
        (Some(n), _) => format!("{ssu}\nnot current: the newest programme {prog} gives is {}", update(n)),
        (None, _) => ssu,
    };
    b.row("Servicing stack", &ssu, at(s, "ssu"));
}

/// A prerequisite's state (SHA-2 support, ESU preparation), with the other
/// updates that also provide it.
fn prereq(p: &w2k8_assess::Prerequisite) -> String {
    let mut v = match p.status {
        w2k8_assess::truth::Status::Installed => format!("{} installed", p.kb),
        w2k8_assess::truth::Status::Missing => format!("{} not installed", p.kb),
        w2k8_assess::truth::Status::Unknown => format!("{} unknown: the bundle's list of updates is partial", p.kb),
    };
    if !p.also_installed.is_empty() {
        v.push_str(&format!(" (also: {})", crate::joined(&p.also_installed, ", ")));
    }
    v
}

/// The newest update installed, the hotfix count, and how complete the
/// evidence is.
fn updates(b: &mut Block, s: &Standing) {
    match (&s.newest_update, s.days_since_newest_update) {
        (Some(u), Some(d)) => {
            b.row("Newest update", &format!("{}\nreleased {d} days before {}", update(u), s.as_of), None)
        }
        (Some(u), None) => b.row("Newest update", &update(u), None),
        _ => b.row("Newest update", "none the catalog knows", None),
    }
    let mut hf = format!("{} installed", s.hotfix_summary.count);
    if let Some(d) = s.hotfix_summary.declared {
        hf.push_str(&format!(" (systeminfo header declares {d})"));
    }
    if s.hotfix_summary.truncated {
        hf.push_str(", list truncated");
    }
    if !s.hotfix_summary.not_in_catalog.is_empty() {
        hf.push_str(&format!(", {} not in the catalog", s.hotfix_summary.not_in_catalog.len()));
    }
    b.row("Hotfixes", &hf, None);
    let ev = match s.evidence_completeness {
        w2k8_assess::truth::Completeness::Complete => "complete",
        w2k8_assess::truth::Completeness::Partial => "PARTIAL",
    };
    b.row("Evidence", &format!("{ev}: {}", wrap(&s.evidence_note, 76)), None);
}

/// "Conflicts": each fact the files disagree on, with each value's
/// location, how it was resolved and what to do next.
fn conflicts(b: &mut Block, s: &Standing) {
    if s.conflicts.is_empty() {
        return;
    }
    b.line("Conflicts:");
    for c in &s.conflicts {
        let vals: Vec<String> = c
            .values
            .iter()
            .map(|v| match v.evidence.file.is_empty() {
                true => v.value.clone(),
                false => format!("{} [{}]", v.value, v.evidence.location()),
            })
            .collect();
        let mut text = format!("{}\n{}", vals.join("\n"), wrap(&c.resolution, 76));
        if let Some(n) = &c.next_step {
            text.push_str(&format!("\nnext: {}", wrap(n, 70)));
        }
        b.row(&c.fact, &text, None);
    }
}
