//! Inline SVG charts for the fleet HTML report: a bar chart of labelled
//! counts and a line chart of exposure over time. Drawn here so the report
//! needs no script library; every label is escaped.
use maud::{html, Markup};
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

/// A coordinate as the chart writes it: one decimal.
#[derive(Clone, Copy)]
struct C(f64);

impl std::fmt::Display for C {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.1}", self.0)
    }
}

/// The `viewBox` of every chart.
const VIEW_BOX: &str = "0 0 480 220";

fn y_axis(step: u32, max: u32) -> Markup {
    let plot_h = H - TOP - BOTTOM;
    let mut ticks = Vec::new();
    let mut v = 0u32;
    while v <= max {
        ticks.push((v, TOP + plot_h - plot_h * f64::from(v) / f64::from(max)));
        v = match v.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    html! {
        @for (v, y) in ticks {
            line.grid x1=(LEFT) y1=(C(y)) x2=(C(W - RIGHT)) y2=(C(y)) {}
            text.tick x=(C(LEFT - 4.0)) y=(C(y + 4.0)) text-anchor="end" { (v) }
        }
    }
}

/// A vertical bar chart; `class_of` gives each bar's CSS class from its label.
pub(crate) fn bars(id: &str, title: &str, buckets: &[Bucket], class_of: fn(&str) -> &'static str) -> Markup {
    let (step, top) = axis(buckets.iter().map(|b| b.hosts).max().unwrap_or(0));
    let max = f64::from(top);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = buckets.len().max(1) as f64;
    let slot = plot_w / n;
    let bar = (slot * 0.8).max(1.0);
    // At most about 12 labels under the axis; every label stays in the bar's tooltip.
    let every = buckets.len().div_ceil(12).max(1);
    let ly = H - BOTTOM + 14.0;
    html! {
        svg id=(id) class="chart" viewBox=(VIEW_BOX) role="img" aria-label=(title) xmlns="http://www.w3.org/2000/svg" {
        (y_axis(step, top))
        @for (i, b) in buckets.iter().enumerate() {
            @let h = plot_h * f64::from(b.hosts) / max;
            @let x = LEFT + slot * i as f64 + (slot - bar) / 2.0;
            @let y = TOP + plot_h - h;
            @let cx = x + bar / 2.0;
            rect class={ "bar " (class_of(&b.label)) } x=(C(x)) y=(C(y)) width=(C(bar)) height=(C(h))
                data-label=(b.label) data-hosts=(b.hosts) {
                title { (b.label) ": " (b.hosts) " host(s)" }
            }
            @if i % every == 0 {
                @if buckets.len() > 6 {
                    text.label x=(C(cx)) y=(C(ly)) text-anchor="end" transform={ "rotate(-35 " (C(cx)) " " (C(ly)) ")" } {
                        (b.label)
                    }
                } @else {
                    text.label x=(C(cx)) y=(C(ly)) text-anchor="middle" { (b.label) }
                    // Above the bar, or inside its top when there is no room above.
                    @let (vy, class) = if y - 3.0 < TOP + 9.0 { (y + 12.0, "value inside") } else { (y - 3.0, "value") };
                    text class=(class) x=(C(cx)) y=(C(vy)) text-anchor="middle" { (b.hosts) }
                }
            }
        }
        @if buckets.is_empty() {
            text.empty x=(C(W / 2.0)) y=(C(H / 2.0)) text-anchor="middle" { "no hosts" }
        }
        line.axis x1=(LEFT) y1=(C(TOP + plot_h)) x2=(C(W - RIGHT)) y2=(C(TOP + plot_h)) {}
        }
    }
}

/// What a line of the exposure chart counts.
type Count = fn(&ExposurePoint) -> u32;

/// A line chart of hosts and KEV-exposed hosts over time.
pub(crate) fn exposure(id: &str, points: &[ExposurePoint]) -> Markup {
    let (step, top) = axis(points.iter().map(|p| p.hosts.max(p.kev_hosts)).max().unwrap_or(0));
    let max = f64::from(top);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let n = points.len();
    let x_of = |i: usize| if n <= 1 { LEFT + plot_w / 2.0 } else { LEFT + plot_w * i as f64 / (n - 1) as f64 };
    let y_of = |v: u32| TOP + plot_h - plot_h * f64::from(v) / max;
    let series: [(&str, Count); 2] = [("line hosts", |p| p.hosts), ("line kev", |p| p.kev_hosts)];
    let every = n.div_ceil(6).max(1);
    html! {
        svg id=(id) class="chart" viewBox=(VIEW_BOX) role="img" aria-label="Hosts and KEV-exposed hosts over time" xmlns="http://www.w3.org/2000/svg" {
        (y_axis(step, top))
        @for (class, get) in series {
            @if !points.is_empty() {
                @let d = points.iter().enumerate().fold(String::new(), |mut d, (i, p)| {
                    let _ = write!(d, "{}{:.1},{:.1}", if i == 0 { "M" } else { " L" }, x_of(i), y_of(get(p)));
                    d
                });
                path class=(class) d=(d) {}
            }
            @for (i, p) in points.iter().enumerate() {
                circle class=(class) cx=(C(x_of(i))) cy=(C(y_of(get(p)))) r="2.5" {
                    title {
                        (p.date) ": " (p.hosts) " host(s), " (p.kev_hosts) " with an open KEV CVE, " (p.open_cves) " open CVE/host pairs"
                    }
                }
            }
        }
        @for (i, p) in points.iter().enumerate() {
            @if i % every == 0 || i + 1 == n {
                // The first and last labels grow inwards, so that they stay inside the chart.
                @let anchor = if n > 1 && i == 0 { "start" } else if n > 1 && i + 1 == n { "end" } else { "middle" };
                text.label x=(C(x_of(i))) y=(C(H - BOTTOM + 14.0)) text-anchor=(anchor) { (p.date) }
            }
        }
        @if points.is_empty() {
            text.empty x=(C(W / 2.0)) y=(C(H / 2.0)) text-anchor="middle" { "no scans yet" }
        }
        line.axis x1=(LEFT) y1=(C(TOP + plot_h)) x2=(C(W - RIGHT)) y2=(C(TOP + plot_h)) {}
        g.legend {
            rect class="line hosts" x=(LEFT) y=(C(H - 10.0)) width="10" height="4" {}
            text x=(C(LEFT + 14.0)) y=(C(H - 6.0)) { "hosts" }
            rect class="line kev" x=(C(LEFT + 70.0)) y=(C(H - 10.0)) width="10" height="4" {}
            text x=(C(LEFT + 84.0)) y=(C(H - 6.0)) { "with an open KEV CVE" }
        }
        }
    }
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
        let s = bars("c", "t", &b, |_| "x").into_string();
        assert!(s.contains(r#"data-label="&lt;b&gt;" data-hosts="4""#));
        assert!(!s.contains("<b>"));
        assert_eq!(s.matches("<rect class=\"bar").count(), 2);
        // 2 of an axis of 4 (step 1) over a plot 168 high.
        assert!(s.contains(r#"height="84.0""#), "{s}");
    }

    #[test]
    fn empty_charts_say_so() {
        assert!(bars("c", "t", &[], |_| "x").into_string().contains("no hosts"));
        assert!(exposure("e", &[]).into_string().contains("no scans yet"));
    }
}
