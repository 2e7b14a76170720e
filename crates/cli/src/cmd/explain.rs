//! `w2k8 explain CODE`: what a Windows error code means, decoded and looked
//! up in the embedded tables (Windows SDK `winerror.h` / `wuerror.h` and the
//! curated update-failure table with causes and fixes on 2008, with sources).
//!
//! Accepts `0x800f0922`, `800F0922`, `-2146498270`, `2148469026`, a Win32
//! number such as `3010`, or a symbol (`CBS_E_INSTALLERS_FAILED`, any case).
//! Anything else exits 2 with a message saying what is accepted. 3010 and
//! 1641 are told as what they are: success, with a restart to complete it.
//! Fixes name only commands Windows Server 2008 / 2008 R2 have (see
//! `w2k8_diagnose::codes::fix_on_2008`).
use crate::common::{print, Format};
use std::fmt::Write as _;
use w2k8_diagnose::codes::{self, CodeInfo};

/// Arguments of `explain`.
#[derive(clap::Args)]
pub struct Args {
    /// The code: 0x800f0922, 800F0922, -2146498270, 3010, CBS_E_INSTALLERS_FAILED.
    #[arg(allow_hyphen_values = true)]
    code: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

struct Explained {
    input: String,
    read_as: &'static str,
    info: CodeInfo,
}

/// The JSON form: the [`CodeInfo`] fields plus `input` and `read_as`.
fn json(e: &Explained) -> anyhow::Result<serde_json::Value> {
    let mut v = serde_json::to_value(&e.info)?;
    if let Some(o) = v.as_object_mut() {
        o.insert("input".into(), serde_json::Value::String(e.input.clone()));
        o.insert("read_as".into(), serde_json::Value::String(e.read_as.to_string()));
    }
    Ok(v)
}

/// Renders one explained code as text.
fn text(e: &Explained) -> String {
    let i = &e.info;
    let mut s = String::new();
    let sym = if i.symbols.is_empty() { "(no symbol known)".to_string() } else { i.symbols.join(" / ") };
    let _ = writeln!(s, "{}  {}", i.hex, sym);
    let _ = writeln!(s, "  read as      {} ({})", e.read_as, e.input);
    let _ = writeln!(s, "  decimal      {} (unsigned {})", i.signed, i.signed as u32);
    let fac = i.facility_name.map_or_else(|| "unknown facility".to_string(), str::to_string);
    let _ = writeln!(s, "  severity     {}{}", i.severity, if i.customer { " (customer bit set)" } else { "" });
    if i.outcome == Some("success_with_restart") {
        let _ = writeln!(
            s,
            "  outcome      success: the operation succeeded and a restart completes it (not a failure; the severity \
             bit comes from HRESULT_FROM_WIN32 of a Win32 success code)"
        );
    }
    let _ = writeln!(s, "  facility     {} {}", i.facility, fac);
    let _ = writeln!(s, "  code         0x{:04X} ({})", i.code, i.code);
    if let Some(w) = i.win32 {
        let _ = writeln!(s, "  Win32        {w}");
    }
    let lines = [
        ("message", &i.message),
        ("component", &i.component),
        ("meaning", &i.meaning),
        ("likely cause", &i.cause_2008),
        ("fix", &i.fix),
    ];
    for (k, v) in lines {
        if let Some(v) = v {
            let _ = writeln!(s, "  {k:<12} {v}");
        }
    }
    if i.unknown {
        let _ = writeln!(
            s,
            "  (not in the Windows SDK headers nor in the update-failure table; only the bits are decoded)"
        );
    }
    if !i.sources.is_empty() {
        let _ = writeln!(s, "  sources");
        for src in &i.sources {
            let _ = writeln!(s, "    - {src}");
        }
    }
    s
}

/// Runs `explain`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let parsed = codes::parse_code(&a.code)?;
    let all: Vec<Explained> = parsed
        .iter()
        .map(|p| Explained { input: a.code.clone(), read_as: p.read_as, info: codes::lookup_for_2008(p.code) })
        .collect();
    match a.format {
        Format::Json => {
            let v = all.iter().map(json).collect::<anyhow::Result<Vec<_>>>()?;
            print(&w2k8_report::json(&w2k8_report::versioned::Listed { key: "codes", items: &v }))
        }
        // -q: one line per code (its number and symbol), not only the first code's block.
        Format::Table if crate::common::term().quiet() => crate::common::print(
            &all.iter().map(|e| format!("{}\n", text(e).lines().next().unwrap_or_default())).collect::<String>(),
        ),
        Format::Table => crate::common::print_fitted(&all.iter().map(text).collect::<Vec<_>>().join("\n")),
    }
}
