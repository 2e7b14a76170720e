//! Every fixture diagnosed to the truth in `fixtures/README.md`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::too_many_lines)]
use std::path::PathBuf;
use w2k8_diagnose::{diagnose_bytes, Diagnosis, Outcome, Phase, Verdict};

fn fx(rel: &str) -> (String, Vec<u8>) {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(rel);
    (rel.to_string(), std::fs::read(p).expect("fixture"))
}

fn dx(rel: &str) -> Diagnosis {
    let (name, bytes) = fx(rel);
    diagnose_bytes(&name, &bytes).expect("diagnosis")
}

fn code(e: &w2k8_diagnose::ErrorLine) -> String {
    e.code.as_ref().map(|c| c.hex.clone()).unwrap_or_default()
}

fn ids(d: &Diagnosis) -> Vec<&str> {
    d.causes.iter().map(|c| c.id).collect()
}

#[test]
fn real_sp2_blog_excerpt() {
    let d = dx("cbs/blog_joscon_docsarchive_srv2008_sp2-install_2009.txt");
    assert_eq!(d.verdict, Verdict::UpdateFailed);
    assert!(d.not_2008.is_empty());
    assert_eq!(d.logs[0].windows.as_deref(), Some("NT 6.0 (Windows Server 2008 / Vista)"));
    let f = d.failure.as_ref().unwrap();
    assert_eq!(f.kb.map(|k| k.to_string()).as_deref(), Some("KB948465"));
    assert_eq!(f.first_error.line, 5);
    assert_eq!(code(&f.first_error), "0x800B0100");
    assert!(f.first_error.text.contains("Microsoft-Windows-Foundation-Package"));
    let last = f.final_error.as_ref().unwrap();
    assert_eq!(last.line, 13);
    assert_eq!(code(last), "0x800F0A05");
    assert_eq!(f.errors_in_attempt, 3);
    assert_eq!(f.noise_ignored, 3);
    assert_eq!(ids(&d), vec!["service_pack_parent_missing", "store_corruption"]);
    let store = &d.causes[1];
    assert!(store.evidence.iter().any(|e| e.line == Some(3) && e.fact.contains("Package_93_for_KB948465")));
    assert!(store.evidence.iter().any(|e| e.line == Some(9)) || d.logs[0].stats.errors == 3);
}

#[test]
fn real_win7_loghub_is_noise_only_and_named_nt_6_1() {
    let d = dx("cbs/neg_loghub_win7_sp1_cbs_2k_lines.log");
    assert_eq!(d.verdict, Verdict::NoFailureFound);
    assert!(d.failure.is_none());
    assert!(d.causes.is_empty());
    assert_eq!(d.logs[0].stats.lines, 2000);
    assert_eq!(d.logs[0].stats.errors, 0);
    assert_eq!(d.logs[0].stats.noise, 754);
    assert_eq!(d.logs[0].servicing_stack.as_deref(), Some("6.1.7601.23505"));
    // NT 6.1 logs are diagnosed since 2008 R2 is assessed (issue 17): a CBS log
    // cannot tell R2 from Windows 7, which shares its servicing; it is named.
    assert!(d.not_2008.is_empty(), "{:?}", d.not_2008);
    assert!(d.logs[0].windows.as_deref().is_some_and(|w| w.contains("2008 R2")), "{:?}", d.logs[0].windows);
}

#[test]
fn real_legacyupdate_wusetup_no_error() {
    let d = dx("windowsupdate/legacyupdate8_srv2008sp2_20221106_wusetup-0822.log");
    assert_eq!(d.verdict, Verdict::NoFailureFound);
    assert_eq!(d.logs[0].agent_build.as_deref(), Some("7.6.7600.311"));
    assert_eq!(d.logs[0].stats.lines, 6);
    assert!(d.not_2008.is_empty());
}

#[test]
fn real_win10_etw_is_not_2008() {
    let d = dx("windowsupdate/neg_wpp4_win10_etw-format_0x80240022_2019.log");
    assert_eq!(d.logs[0].format, w2k8_diagnose::LogFormat::WindowsUpdateEtw);
    assert_eq!(d.not_2008.len(), 1);
    let f = d.failure.as_ref().unwrap();
    assert_eq!(code(&f.first_error), "0x80070643");
    assert_eq!(f.first_error.line, 1);
    assert_eq!(code(f.final_error.as_ref().unwrap()), "0x80240022");
    assert!(!ids(&d).contains(&"esu_not_licensed"), "no 2008 advice for a Windows 10 log");
}

#[test]
fn synthetic_sha2() {
    let d = dx("cbs/synthetic_srv2008sp2_kb4507452_sha2_utf16.log");
    assert_eq!(d.logs[0].stats.encoding, w2k8_diagnose::reader::Encoding::Utf16Le);
    assert_eq!(d.logs[0].stats.noise, 7);
    let f = d.failure.as_ref().unwrap();
    assert_eq!(f.kb.map(|k| k.number()), Some(4507452));
    assert_eq!(f.first_error.line, 11);
    assert_eq!(code(&f.first_error), "0x80092004");
    assert_eq!(d.causes[0].id, "sha2_missing");
    assert!(d.next_steps.iter().any(|s| s.kb.map(|k| k.number()) == Some(4474419)));
    assert_eq!(d.timeline.len(), 1);
    assert_eq!(d.timeline[0].outcome, Outcome::Failed);
}

#[test]
fn synthetic_ssu_pending_reboot_and_long_line() {
    let d = dx("cbs/synthetic_srv2008sp2_kb4493730_ssu_reboot.log");
    assert_eq!(d.verdict, Verdict::NoFailureFound);
    assert_eq!(d.timeline.len(), 1);
    assert_eq!(d.timeline[0].outcome, Outcome::PendingReboot);
    assert_eq!(d.timeline[0].kb.map(|k| k.number()), Some(4493730));
    assert_eq!(d.logs[0].stats.cut_lines, 1);
}

#[test]
fn synthetic_esu() {
    let d = dx("windowsupdate/synthetic_srv2008sp2_kb4537810_esu_0x80070643.log");
    assert_eq!(d.logs[0].stats.noise, 1);
    assert_eq!(d.timeline.len(), 2);
    assert_eq!(d.timeline[0].phase, Phase::Download);
    assert_eq!(d.timeline[0].kb.map(|k| k.number()), Some(4537810));
    assert_eq!(d.timeline[1].outcome, Outcome::Failed);
    let f = d.failure.as_ref().unwrap();
    assert_eq!(f.first_error.line, 5);
    assert_eq!(f.kb_released.as_deref(), Some("2020-02-11"));
    assert_eq!(d.causes[0].id, "esu_not_licensed");
    assert!(d.next_steps.iter().any(|s| s.kb.map(|k| k.number()) == Some(4538484)));
}

#[test]
fn synthetic_checksur() {
    let d = dx("checksur/synthetic_checksur_unfixed.log");
    assert_eq!(d.verdict, Verdict::StoreDamaged);
    let s = d.store.as_ref().unwrap();
    assert_eq!((s.found, s.fixed), (Some(3), Some(1)));
    assert_eq!(s.unfixed.len(), 2);
    assert_eq!(s.unfixed[0].line, 4);
    assert_eq!(s.unavailable_repair_files.len(), 4);
    assert_eq!(s.packages_to_supply.iter().map(|k| k.number()).collect::<Vec<_>>(), vec![955839]);
    assert_eq!(ids(&d), vec!["store_corruption"]);
}

#[test]
fn json_shape() {
    let d = dx("cbs/synthetic_srv2008sp2_kb4507452_sha2_utf16.log");
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["verdict"], "update_failed");
    assert_eq!(v["failure"]["first_error"]["code"]["symbols"][0], "CRYPT_E_NOT_FOUND");
    assert_eq!(v["timeline"][0]["phase"], "install");
}
