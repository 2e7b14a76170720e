//! Unit tests of the systeminfo parser's pieces, and property tests: a
//! generated record rendered as systeminfo list text parses back to the
//! same facts; arbitrary text never makes the parser panic.
use super::*;
use proptest::prelude::*;

#[test]
fn version_lines() {
    type Case<'a> = (&'a str, &'a str, Option<u32>, Option<&'a str>, u32);
    let cases: &[Case] = &[
        ("6.0.6002 Service Pack 2 Build 6002", "6.0.6002", Some(6002), Some("Service Pack 2"), 2),
        ("6.0.6000 N/A Build 6000", "6.0.6000", Some(6000), None, 0),
        ("6.1.7601 Service Pack 1 version 7601", "6.1.7601", Some(7601), Some("Service Pack 1"), 1),
        ("6.3.9600 Н/Д построение 9600", "6.3.9600", Some(9600), None, 0),
        ("10.0.17763 暂缺 Build 17763", "10.0.17763", Some(17763), None, 0),
        ("6.0.6003 Service Pack 2 Build ", "6.0.6003", Some(6003), Some("Service Pack 2"), 2),
        ("5.2.3790 Service Pack 2 Build 3790", "5.2.3790", Some(3790), Some("Service Pack 2"), 2),
    ];
    for &(line, version, build, sp, n) in cases {
        let v = VersionLine::parse(line).unwrap();
        assert_eq!(
            (v.version.as_str(), v.build, v.service_pack.as_deref(), v.service_pack_number),
            (version, build, sp, n),
            "{line}"
        );
    }
    assert_eq!(VersionLine::parse("Standalone Server"), None);
    assert_eq!(VersionLine::parse("6.0"), None);
}

#[test]
fn labels_with_colons_and_french_spacing() {
    assert_eq!(split_label("Page File: Max Size:       2,303 MB"), None);
    assert_eq!(
        split_label("Hotfix(s):                 1 Hotfix(s) Installed."),
        Some((Field::Hotfixes, "                 1 Hotfix(s) Installed."))
    );
    assert_eq!(split_label("   [01]: KB1"), None);
    let text = "\r\nHost Name:                 A\r\nHotfix(s):                 2 Hotfix(s) Installed.\r\n                           [01] : KB4493471\r\n                           [02]\u{a0}: KB4474419\r\n";
    let f = parse(text, "t").unwrap();
    let ids: Vec<&str> = f.hotfixes.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, ["KB4493471", "KB4474419"]);
    assert_eq!(f.hotfixes[0].evidence.line, Some(4));
    assert_eq!(label_language(text), Some("en"));
}

#[test]
fn hotfix_not_available() {
    let f = parse("Host Name:                 A\r\nHotfix(s):                 N/A\r\n", "t").unwrap();
    assert_eq!(f.hotfix_count_declared, None);
    assert!(f.hotfixes.is_empty() && !f.hotfix_list_truncated);
    assert!(f.notes.iter().any(|n| n.contains("`N/A`")), "{:?}", f.notes);
}

#[test]
fn csv_records_handle_quotes_and_lines() {
    let r = csv_records("\r\n\"a\",\"b \"\"c\"\"\",\"x,y\"\r\n\"d\"\r\n", 5);
    assert_eq!(r.len(), 2);
    assert_eq!(r[0].fields, ["a", "b \"c\"", "x,y"]);
    assert_eq!((r[0].line, r[1].line), (2, 3));
}

/// A line of commas only is no record, and its empty fields do not shift the
/// next record's columns (they did: `["", "", "a", "b"]`).
#[test]
fn a_line_of_commas_is_not_carried_into_the_next_record() {
    let r = csv_records(",,\r\n , \r\n\"a\",\"b\"\r\n", 5);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].fields, ["a", "b"]);
    assert_eq!(r[0].line, 3);
}

#[test]
fn looks_cut_only_short_numbers() {
    assert!(Builder::looks_cut("KB2862"));
    assert!(Builder::looks_cut("KB45"));
    assert!(!Builder::looks_cut("KB956250"));
    assert!(!Builder::looks_cut("File 1"));
}

/// A systeminfo-like record for round trips.
#[derive(Debug, Clone)]
struct Record {
    host: String,
    build: u32,
    sp: u32,
    arch: &'static str,
    kbs: Vec<u32>,
}

fn record() -> impl Strategy<Value = Record> {
    (
        "[A-Z][A-Z0-9-]{0,14}",
        6000u32..=9999,
        0u32..=3,
        prop::sample::select(vec!["x64-based PC", "X86-based PC", "Itanium (TM) based System"]),
        prop::collection::vec(100_000u32..=5_999_999, 0..200),
    )
        .prop_map(|(host, build, sp, arch, kbs)| Record { host, build, sp, arch, kbs })
}

/// Renders a record the way English systeminfo prints its list.
fn render(r: &Record) -> String {
    let sp = if r.sp == 0 { "N/A".to_string() } else { format!("Service Pack {}", r.sp) };
    let mut s = format!(
        "\r\nHost Name:                 {}\r\nOS Name:                   Microsoftr Windows Serverr 2008 Standard \r\nOS Version:                6.0.{} {} Build {}\r\nPage File: Max Size:       2,303 MB\r\nSystem Type:               {}\r\nProcessor(s):              1 Processor(s) Installed.\r\n                           [01]: x86 Family 6 Model 78 Stepping 3 GenuineIntel ~2495 Mhz\r\nHotfix(s):                 {} Hotfix(s) Installed.\r\n",
        r.host, r.build, sp, r.build, r.arch, r.kbs.len()
    );
    for (i, kb) in r.kbs.iter().enumerate() {
        s.push_str(&format!("                           [{:02}]: KB{}\r\n", i + 1, kb));
    }
    s.push_str("Network Card(s):           1 NIC(s) Installed.\r\n                           [01]: Intel(R) PRO/1000 MT Network Connection\r\n");
    s
}

proptest! {
    #[test]
    fn generated_records_round_trip(r in record()) {
        let text = render(&r);
        prop_assert!(sniff(&text));
        let f = parse(&text, "gen.txt").unwrap();
        prop_assert_eq!(&f.host_name.as_ref().unwrap().value, &r.host);
        prop_assert_eq!(f.build.as_ref().unwrap().value, r.build);
        prop_assert_eq!(f.service_pack_number.as_ref().unwrap().value, r.sp);
        prop_assert_eq!(f.arch.as_ref().unwrap().value, Arch::recognise(r.arch).unwrap());
        let kbs: Vec<u32> = f.hotfixes.iter().filter_map(|h| h.kb.map(|k| k.number())).collect();
        prop_assert_eq!(kbs, r.kbs.clone());
        prop_assert!(!f.hotfix_list_truncated);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC{0,400}") {
        let _ = sniff(&s);
        let _ = parse(&s, "x");
        let _ = label_language(&s);
    }

    #[test]
    fn systeminfo_shaped_noise_never_panics(lines in prop::collection::vec(prop::sample::select(vec![
        "Host Name:  A", "OS Version: 6.0.", "OS Version: 6.0.6002 Service Pack 99999999999999 Build 1", "Hotfix(s): 3 Hotfix(s) Installed.",
        "  [01]: KB1", "  [", "  [02] :", "  [03]: ", "\"Host Name\",\"OS Name\"", "\"A\",\"", "=== ==", "System Type:", "Hotfix(s): 99999999999 x",
    ]), 0..20)) {
        let text = lines.join("\r\n");
        let _ = sniff(&text);
        let _ = parse(&text, "x");
    }
}

#[test]
fn huge_separator_lines_stay_linear() {
    let sep = "= ".repeat(200_000);
    let head = "Host Name ".repeat(100_000);
    let text = format!("{head}\r\n{sep}\r\n{}\r\n", "x ".repeat(200_000));
    let start = std::time::Instant::now();
    let _ = sniff(&text);
    let _ = parse(&text, "t");
    assert!(start.elapsed().as_secs() < 5, "{:?}", start.elapsed());
}

/// A systeminfo list whose hotfix header declares `n` and lists `n` KBs.
fn with_hotfixes(n: u32) -> String {
    let mut text = format!(
        "\r\nHost Name:                 A\r\nOS Name:                   Microsoft Windows Server 2008 Standard\r\nOS Version:                6.0.6002 Service Pack 2 Build 6002\r\nSystem Type:               x64-based PC\r\nHotfix(s):                 {n} Hotfix(s) Installed.\r\n"
    );
    for i in 1..=n {
        text.push_str(&format!("                           [{i:02}]: KB{}\r\n", 4_000_000 + i));
    }
    text
}

#[test]
fn a_list_longer_than_any_real_server_is_cut_at_the_cap_and_counts_as_truncated() {
    // 5,003 entries (the cap is 5,000): the last three are not kept.
    let f = parse(&with_hotfixes(5003), "systeminfo.txt").unwrap();
    assert_eq!(f.hotfixes.len(), 5000);
    assert_eq!(f.hotfixes.last().map(|h| h.id.as_str()), Some("KB4005000"));
    assert!(f.hotfix_list_truncated);
    assert!(
        f.notes.iter().any(|n| n.starts_with("3 hotfix entries past the first 5000 were not read")),
        "{:?}",
        f.notes
    );
}

#[test]
fn a_list_at_the_cap_is_whole() {
    let f = parse(&with_hotfixes(5000), "systeminfo.txt").unwrap();
    assert_eq!(f.hotfixes.len(), 5000);
    assert!(!f.hotfix_list_truncated, "{:?}", f.notes);
}
