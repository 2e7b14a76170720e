//! Times the per-host and fleet-wide reads of a fleet store, as the API
//! server makes them: `cargo run --release -p w2k8-store --example latency
//! -- DB [ROUNDS]` (DB: a SQLite path or a PostgreSQL URL). Prints the
//! median, p99 and max of each call over ROUNDS hosts (default 500).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::time::Instant;
use w2k8_store::{open_store, Filter};

fn report(what: &str, mut ms: Vec<f64>) {
    ms.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| ms.get(((ms.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
    println!(
        "{what:<28} n={:<5} median {:>8.3} ms  p99 {:>8.3} ms  max {:>8.3} ms",
        ms.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let db = args.get(1).expect("usage: latency DB [ROUNDS]");
    let rounds: usize = args.get(2).and_then(|v| v.parse().ok()).unwrap_or(500);
    let store = open_store(db).unwrap();
    let hosts = store.hosts(&Filter::default()).unwrap();
    println!("{} hosts, {} scans", hosts.len(), store.scan_count().unwrap());
    let step = (hosts.len() / rounds.max(1)).max(1);
    let picked: Vec<_> = hosts.iter().step_by(step).take(rounds).collect();
    let (mut detail, mut plan, mut history, mut page) = (vec![], vec![], vec![], vec![]);
    let mut plan_bytes = 0usize;
    for h in &picked {
        let t = Instant::now();
        let d = store.host_detail(&h.name.to_ascii_lowercase(), 100).unwrap().unwrap();
        let t1 = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        plan_bytes += store.plan_of(d.host.host_id).unwrap().map(|p| p.len()).unwrap_or(0);
        let t2 = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        store.history(&h.name).unwrap().unwrap();
        let t3 = t.elapsed().as_secs_f64() * 1e3;
        detail.push(t1);
        plan.push(t2);
        history.push(t3);
        page.push(t1 + t2 + t3);
    }
    report("host_detail", detail);
    report("plan_of", plan);
    report("history", history);
    report("host page (all three)", page);
    println!("plans read: {plan_bytes} bytes");
    let fleet = |what: &str, f: &dyn Fn() -> usize| {
        let mut ms = vec![];
        let mut n = 0;
        for _ in 0..5 {
            let t = Instant::now();
            n = f();
            ms.push(t.elapsed().as_secs_f64() * 1e3);
        }
        report(&format!("{what} ({n})"), ms);
    };
    fleet("fleet_cves", &|| store.fleet_cves().unwrap().len());
    fleet("fleet_missing", &|| store.fleet_missing().unwrap().len());
    let top = store.fleet_cves().unwrap().first().map(|c| c.cve).expect("the fleet has an open CVE");
    fleet("cve_hosts top CVE", &|| store.cve_hosts(top).unwrap().len());
    fleet("scans(50, 0)", &|| store.scans(50, 0).unwrap().len());
    fleet("scans(50, 9000)", &|| store.scans(50, 9000).unwrap().len());
    // The fleet-wide lists agree with the fleet report's top lists.
    let r = store.fleet_report("", w2k8_store::now_utc(), 0).unwrap();
    let cves = store.fleet_cves().unwrap();
    assert_eq!(cves.get(..r.top_cves.len()), Some(&r.top_cves[..]));
    let missing = store.fleet_missing().unwrap();
    assert_eq!(missing.get(..r.top_missing.len()), Some(&r.top_missing[..]));
    println!("fleet_cves and fleet_missing agree with fleet_report");
}
