//! Inline SVG charts for the fleet HTML report: a bar chart of labelled
//! counts and a line chart of exposure over time. Drawn here so the report
//! needs no script library; every label is escaped.
use super::esc;
use std::fmt::Write as _;
use w2k8_fleet::{Bucket, ExposurePoint};

const W: f64 = 480.0;
const H: f64 = 220.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;
const RIGHT: f64 = 12.0;

/// The axis: a "nice" step (1, 2, 5 x 10^n, at least 1 host) giving at most
/// 5 whole-number ticks, and the maximum (a whole number of steps >= `max`).
fn axis(max: u32) -> (u32, u32) {
    let max = max.max(1);
    let mut mag = 1u32;
    loop {
        for m in [1u32, 2, 5] {
            let step = m.saturating_mul(mag);
            if max.div_ceil(step) <= 4 || step == u32::MAX {
                return (step, max.div_ceil(step).saturating_mul(step));
            }
        }
        mag = mag.saturating_mul(10);
    }
}

fn y_axis(out: &mut String, step: u32, max: u32) {
    let plot_h = H - TOP - BOTTOM;
    let mut v = 0u32;
    while v <= max {
        let y = TOP + plot_h - plot_h * f64::from(v) / f64::from(max);
        let _ = write!(
            out,
            r#"<line class="grid" x1="{LEFT}" y1="{y:.1}" x2="{:.1}" y2="{y:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"#,
            W - RIGHT,
            LEFT - 4.0,
            y + 4.0,
        );
        v = match v.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
}

/// A vertical bar chart; `class_of` gives each bar's CSS class from its label.
pub(crate) fn bars(id: &str, title: &str, buckets: &[Bucket], class_of: fn(&str) -> &'static str) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg">"#,
        esc(title)
    );
    let (step, top) = axis(buckets.iter().map(|b| b.hosts).max().unwrap_or(0));
    y_axis(&mut out, step, top);
    let max = f64::from(top);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = buckets.len().max(1) as f64;
    let slot = plot_w / n;
    let bar = (slot * 0.8).max(1.0);
    // At most about 12 labels under the axis; every label stays in the bar's tooltip.
    let every = buckets.len().div_ceil(12).max(1);
    for (i, b) in buckets.iter().enumerate() {
        let h = plot_h * f64::from(b.hosts) / max;
        let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
        let y = TOP + plot_h - h;
        let label = esc(&b.label);
        let _ = write!(
            out,
            r#"<rect class="bar {}" x="{x:.1}" y="{y:.1}" width="{bar:.1}" height="{h:.1}" data-label="{label}" data-hosts="{}"><title>{label}: {} host(s)</title></rect>"#,
            class_of(&b.label),
            b.hosts,
            b.hosts
        );
        if i % every == 0 {
            let cx = x + bar / 2.0;
            let ly = H - BOTTOM + 14.0;
            if buckets.len() > 6 {
                let _ = write!(
                    out,
                    r#"<text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="end" transform="rotate(-35 {cx:.1} {ly:.1})">{label}</text>"#
                );
            } else {
                let _ =
                    write!(out, r#"<text class="label" x="{cx:.1}" y="{ly:.1}" text-anchor="middle">{label}</text>"#);
                // Above the bar, or inside its top when there is no room above.
                let (vy, class) = if y - 3.0 < TOP + 9.0 { (y + 12.0, "value inside") } else { (y - 3.0, "value") };
                let _ = write!(
                    out,
                    r#"<text class="{class}" x="{cx:.1}" y="{vy:.1}" text-anchor="middle">{}</text>"#,
                    b.hosts
                );
            }
        }
    }
    if buckets.is_empty() {
        let _ = write!(
            out,
            r#"<text class="empty" x="{:.1}" y="{:.1}" text-anchor="middle">no hosts</text>"#,
            W / 2.0,
            H / 2.0
        );
    }
    let _ = write!(
        out,
        r#"<line class="axis" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/></svg>"#,
        TOP + plot_h,
        W - RIGHT,
        TOP + plot_h
    );
    out
}

/// A line chart of hosts and KEV-exposed hosts over time.
pub(crate) fn exposure(id: &str, points: &[ExposurePoint]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg id="{id}" class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="Hosts and KEV-exposed hosts over time" xmlns="http://www.w3.org/2000/svg">"#
    );
    let (step, top) = axis(points.iter().map(|p| p.hosts.max(p.kev_hosts)).max().unwrap_or(0));
    y_axis(&mut out, step, top);
    let max = f64::from(top);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = points.len();
    let x_of = |i: usize| if n <= 1 { LEFT + plot_w / 2.0 } else { LEFT + plot_w * i as f64 / (n - 1) as f64 };
    let y_of = |v: u32| TOP + plot_h - plot_h * f64::from(v) / max;
    for (class, get) in
        [("line hosts", (|p: &ExposurePoint| p.hosts) as fn(&ExposurePoint) -> u32), ("line kev", |p| p.kev_hosts)]
    {
        let mut d = String::new();
        for (i, p) in points.iter().enumerate() {
            let _ = write!(d, "{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x_of(i), y_of(get(p)));
        }
        if !d.is_empty() {
            let _ = write!(out, r#"<path class="{class}" d="{d}"/>"#);
        }
        for (i, p) in points.iter().enumerate() {
            let _ = write!(
                out,
                r#"<circle class="{class}" cx="{:.1}" cy="{:.1}" r="2.5"><title>{}: {} host(s), {} with an open KEV CVE, {} open CVE/host pairs</title></circle>"#,
                x_of(i),
                y_of(get(p)),
                esc(&p.date),
                p.hosts,
                p.kev_hosts,
                p.open_cves
            );
        }
    }
    let every = n.div_ceil(6).max(1);
    for (i, p) in points.iter().enumerate() {
        if i % every == 0 || i + 1 == n {
            // The first and last labels grow inwards, so that they stay inside the chart.
            let anchor = if n > 1 && i == 0 {
                "start"
            } else if n > 1 && i + 1 == n {
                "end"
            } else {
                "middle"
            };
            let _ = write!(
                out,
                r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="{anchor}">{}</text>"#,
                x_of(i),
                H - BOTTOM + 14.0,
                esc(&p.date)
            );
        }
    }
    if points.is_empty() {
        let _ = write!(
            out,
            r#"<text class="empty" x="{:.1}" y="{:.1}" text-anchor="middle">no scans yet</text>"#,
            W / 2.0,
            H / 2.0
        );
    }
    let _ = write!(
        out,
        r#"<line class="axis" x1="{LEFT}" y1="{:.1}" x2="{:.1}" y2="{:.1}"/><g class="legend"><rect class="line hosts" x="{LEFT}" y="{:.1}" width="10" height="4"/><text x="{:.1}" y="{:.1}">hosts</text><rect class="line kev" x="{:.1}" y="{:.1}" width="10" height="4"/><text x="{:.1}" y="{:.1}">with an open KEV CVE</text></g></svg>"#,
        TOP + plot_h,
        W - RIGHT,
        TOP + plot_h,
        H - 10.0,
        LEFT + 14.0,
        H - 6.0,
        LEFT + 70.0,
        H - 10.0,
        LEFT + 84.0,
        H - 6.0
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_have_whole_steps() {
        assert_eq!(axis(0), (1, 1));
        assert_eq!(axis(3), (1, 3));
        assert_eq!(axis(5), (2, 6));
        assert_eq!(axis(10), (5, 10));
        assert_eq!(axis(11), (5, 15));
        assert_eq!(axis(7300), (2000, 8000));
        assert_eq!(axis(u32::MAX).1, u32::MAX);
    }

    #[test]
    fn bars_escape_labels_and_scale() {
        let b = [Bucket { label: "<b>".into(), hosts: 4 }, Bucket { label: "6003".into(), hosts: 2 }];
        let s = bars("c", "t", &b, |_| "x");
        assert!(s.contains(r#"data-label="&lt;b&gt;" data-hosts="4""#));
        assert!(!s.contains("<b>"));
        assert_eq!(s.matches("<rect class=\"bar").count(), 2);
        // 2 of an axis of 4 (step 1) over a plot 168 high.
        assert!(s.contains(r#"height="84.0""#), "{s}");
    }

    #[test]
    fn empty_charts_say_so() {
        assert!(bars("c", "t", &[], |_| "x").contains("no hosts"));
        assert!(exposure("e", &[]).contains("no scans yet"));
    }
}
