//! `w2k8 accept`: accepted risks in the fleet database. `accept CVE|KB
//! --host PATTERN --reason TEXT --until DATE [--owner NAME] --db DB`
//! records one, `--list` lists them (expired ones too, said so), `--remove
//! ID` removes one. `assess --db DB` applies them, as it applies the
//! `w2k8.toml` file ([`load`]).
//!
//! Exit codes: 0 done, 2 bad input (a day already past, an empty reason, an
//! id that is not recorded, a database that cannot be opened).
use crate::common::{parse_date, print, print_json, Format};
use anyhow::Context;
use std::path::Path;
use w2k8_core::accept::{Acceptance, Target};
use w2k8_core::Date;
use w2k8_store::{AcceptanceRecord, NewAcceptance};

fn parse_target(s: &str) -> Result<Target, String> {
    s.parse::<Target>().map_err(|e| e.to_string())
}

/// Arguments of `accept`.
#[derive(clap::Args)]
pub struct Args {
    /// The CVE (CVE-2020-0796) or the update (KB4534303) whose risk is accepted.
    #[arg(value_parser = parse_target, required_unless_present_any = ["list", "remove"], requires_all = ["host", "reason", "until"])]
    target: Option<Target>,
    /// The hosts it covers: a pattern on the host name (`*` any run, `?` one character, case ignored; `*` for every host).
    #[arg(long, value_name = "PATTERN")]
    host: Option<String>,
    /// Why the risk is accepted (shown beside the finding wherever it is listed).
    #[arg(long, value_name = "TEXT")]
    reason: Option<String>,
    /// The last day it holds (YYYY-MM-DD, today or later); from the day after, the finding counts again.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    until: Option<Date>,
    /// Who accepted it.
    #[arg(long, value_name = "NAME")]
    owner: Option<String>,
    /// The fleet database: a SQLite file or a postgres:// URL.
    #[arg(long, value_name = "DB")]
    db: String,
    /// List the accepted risks recorded (expired ones too, marked).
    #[arg(long, conflicts_with_all = ["target", "remove"])]
    list: bool,
    /// Remove the accepted risk with this id (as --list shows it).
    #[arg(long, value_name = "ID", conflicts_with = "target")]
    remove: Option<i64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

/// An accepted risk as `--list` and the API show it: the record and
/// whether it has expired today.
#[derive(serde::Serialize)]
pub struct Listed<'a> {
    /// The record's fields.
    #[serde(flatten)]
    pub record: &'a AcceptanceRecord,
    /// True from the day after `until`: the findings it covered count again.
    pub expired: bool,
}

/// Runs `accept`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let today = Date::today_utc();
    if let Some(id) = a.remove {
        let mut store = w2k8_store::open_store(&a.db)?;
        if !store.remove_acceptance(id)? {
            anyhow::bail!("--remove {id}: expected the id of a recorded accepted risk (w2k8 accept --list shows them)");
        }
        eprintln!("w2k8: accepted risk #{id} removed");
        return Ok(());
    }
    if a.list {
        let store = w2k8_store::open_store_for_reading(&a.db)?;
        let all = store.acceptances()?;
        let listed: Vec<Listed> = all.iter().map(|r| Listed { record: r, expired: today > r.until }).collect();
        return match a.format {
            Format::Json => print_json(&w2k8_report::versioned::Listed { key: "acceptances", items: &listed }),
            Format::Table => print(&list_text(&listed)),
        };
    }
    let (Some(target), Some(host), Some(reason), Some(until)) = (a.target, a.host, a.reason, a.until) else {
        anyhow::bail!("expected CVE|KB with --host, --reason and --until, or --list, or --remove ID");
    };
    if until < today {
        anyhow::bail!("--until {until}: expected today ({today}) or a later day: an acceptance that has already ended accepts nothing");
    }
    let new = NewAcceptance { target, host, reason, owner: a.owner, until };
    if let Some(p) = new.problem() {
        anyhow::bail!("{p}");
    }
    let mut store = w2k8_store::open_store(&a.db)?;
    let r = store.add_acceptance(&new)?;
    match a.format {
        Format::Json => print_json(&w2k8_report::versioned::versioned(&Listed { record: &r, expired: false }))?,
        Format::Table => print(&format!(
            "accepted risk #{} recorded: {} on hosts matching {} until {}\n",
            r.id, r.target, r.host, r.until
        ))?,
    }
    Ok(())
}

fn list_text(listed: &[Listed]) -> String {
    if listed.is_empty() {
        return "no accepted risks recorded\n".to_string();
    }
    let mut out = format!(
        "{:>4}  {:<16} {:<20} {:<10} {:<8} {:<14} {}\n",
        "id", "target", "hosts", "until", "state", "owner", "reason"
    );
    for l in listed {
        let r = l.record;
        out.push_str(&format!(
            "{:>4}  {:<16} {:<20} {:<10} {:<8} {:<14} {}\n",
            r.id,
            r.target.to_string(),
            r.host,
            r.until.to_string(),
            if l.expired { "EXPIRED" } else { "live" },
            r.owner.as_deref().unwrap_or("-"),
            r.reason
        ));
    }
    w2k8_core::text::escape_text(&out).into_owned()
}

/// The accepted risks `assess` applies: the `--config` file (or
/// `w2k8.toml` in the working directory, when there is one), then those
/// recorded in the fleet database `db`. A file or database that cannot be
/// read is bad input (exit 2), each problem `file:line: expected ...`.
pub fn load(config: Option<&Path>, db: Option<&str>) -> anyhow::Result<Vec<Acceptance>> {
    let mut out = Vec::new();
    let default = Path::new("w2k8.toml");
    let file = match config {
        Some(p) => Some(p),
        None if default.is_file() => Some(default),
        None => None,
    };
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: cannot read the accepted-risks file", path.display()))?;
        out.extend(w2k8_assess::accepted::parse_config(&text, &path.display().to_string())?);
    }
    if let Some(db) = db {
        let store = w2k8_store::open_store_for_reading(db)?;
        out.extend(store.acceptances()?.iter().map(AcceptanceRecord::acceptance));
    }
    Ok(out)
}
