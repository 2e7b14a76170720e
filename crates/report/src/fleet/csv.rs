//! `w2k8 report --format csv`: the host table, one row per host (latest
//! scan), RFC 4180 quoting, CRLF line ends, a header row. A text cell that
//! starts with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that a
//! spreadsheet does not run a host name as a formula.
use w2k8_fleet::{FleetReport, HostRow};

/// The header row's columns.
pub const COLUMNS: [&str; 17] = [
    "host_id",
    "name",
    "product_id",
    "product",
    "edition",
    "arch",
    "server_core",
    "build",
    "kernel",
    "patched_through",
    "missing",
    "open_cves",
    "kev_open",
    "ransomware_open",
    "last_scan",
    "status",
    "error",
];

fn text(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn opt(s: &Option<String>) -> String {
    s.as_deref().map(text).unwrap_or_default()
}

fn cells(h: &HostRow) -> [String; 17] {
    [
        h.host_id.to_string(),
        text(&h.name),
        opt(&h.product_id),
        opt(&h.product),
        opt(&h.edition),
        h.arch.map(|a| a.as_str().to_string()).unwrap_or_default(),
        h.server_core.map(|c| c.to_string()).unwrap_or_default(),
        h.build.map(|b| b.to_string()).unwrap_or_default(),
        opt(&h.kernel),
        opt(&h.patched_through),
        h.missing.to_string(),
        h.open_cves.to_string(),
        h.kev_open.to_string(),
        h.ransomware_open.to_string(),
        text(&h.last_scan),
        h.status.as_str().to_string(),
        opt(&h.error),
    ]
}

/// Renders the fleet's host table as CSV.
pub fn csv(report: &FleetReport) -> String {
    let mut out = COLUMNS.join(",");
    out.push_str("\r\n");
    for h in &report.hosts {
        out.push_str(&cells(h).join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::text;

    #[test]
    fn cells_are_quoted_and_defused() {
        assert_eq!(text("srv-01"), "srv-01");
        assert_eq!(text("a,b"), "\"a,b\"");
        assert_eq!(text("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(text("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(text("-1+1"), "'-1+1");
        assert_eq!(text("line\nbreak"), "\"line\nbreak\"");
    }
}
