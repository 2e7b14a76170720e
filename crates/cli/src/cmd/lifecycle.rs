//! `w2k8 lifecycle`: the lifecycle dates of Windows Server 2003 .. 2025
//! (mainstream, extended, ESU years, Azure ESU), with their sources.
use super::migrate::MigrateFormat;
use crate::common::print;

/// Arguments of `lifecycle`.
#[derive(clap::Args)]
pub struct Args {
    /// Output format (`markdown` = a Markdown table with sources).
    #[arg(long, value_enum, default_value_t = MigrateFormat::Table)]
    format: MigrateFormat,
}

/// Runs `lifecycle`.
pub fn run(a: Args) -> anyhow::Result<()> {
    let rows = &w2k8_migrate::data::tables().lifecycle;
    match a.format {
        MigrateFormat::Table => {
            // The same table, fitted to the width: the product name wraps, dates never.
            use w2k8_migrate::render::{lifecycle_cells, LIFECYCLE_COLUMNS, LIFECYCLE_NOTE};
            use w2k8_report::tabular::{Cell, Column, Table};
            let mut t = Table::new(
                LIFECYCLE_COLUMNS
                    .iter()
                    .map(|c| if *c == "product" { Column::wrap(c).min(20) } else { Column::keep(c) })
                    .collect(),
            );
            for r in lifecycle_cells(rows) {
                t.row(r.into_iter().map(Cell::plain).collect());
            }
            let term = crate::common::term();
            let note = w2k8_report::term::reflow(LIFECYCLE_NOTE, &term);
            print(&format!("{}\n{note}\n", t.render(&term)))
        }
        MigrateFormat::Markdown => print(&w2k8_migrate::render::lifecycle_table(rows, true)),
        MigrateFormat::Json => {
            print(&w2k8_report::json(&w2k8_report::versioned::Listed { key: "lifecycle", items: rows }))
        }
    }
}
