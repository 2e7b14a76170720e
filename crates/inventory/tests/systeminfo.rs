//! Table-driven tests of the decoder and the systeminfo parser over the
//! fixtures in `tests/fixtures/systeminfo` (real captures under `real/`,
//! synthetic ones under `synthetic/`; see the README there).
use w2k8_inventory::{decode, formats::systeminfo, TextEncoding};

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/systeminfo/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// (file, encoding recognised, a string the decoded text must contain)
const DECODE: &[(&str, &str, &str)] = &[
    (
        "real/neg_wesng_win7_sp1_x64_fr_cp850.txt",
        "cp850",
        "Nom de l'hôte:                              WIN-IDKKFN87EL8\n",
    ),
    (
        "real/neg_wesng_win7_sp1_x64_fr_cp850.txt",
        "cp850",
        "Correctif(s):                               73 Corrections installées.\n",
    ),
    ("real/neg_wesng_win7_sp1_x64_fr_cp850.txt", "cp850", "Microsoft Windows\u{a0}7 Entreprise N "),
    (
        "real/neg_wesng_win7_sp1_x64_fr_utf16.txt",
        "UTF-16LE (BOM)",
        "Nom du système d'exploitation:              Microsoft Windows\u{a0}7 Entreprise N \r\n",
    ),
    ("real/neg_wesng_win7_sp1_x64_fr_utf16.txt", "UTF-16LE (BOM)", "93 Corrections installées.\r\n"),
    ("real/neg_wesng_10_1803_x64_pro_it.txt", "cp850", "Estensioni modalità di monitoraggio macchina virtuale: Sì\r\n"),
    (
        "real/neg_wesng_10_1809_x64_education_es.txt",
        "cp850",
        "Versión del sistema operativo:             10.0.17763 N/D Compilación 17763\r\n",
    ),
    ("real/neg_wesng_10_1809_x64_enterprise_zh-cn.txt", "cp936", "修补程序:         安装了 1 个修补程序。\r\n"),
    ("real/neg_wesng_10_1809_x64_enterprise_zh-cn.txt", "cp936", "OS 版本:          10.0.17763 暂缺 Build 17763\r\n"),
    (
        "real/neg_wesng_srv2012r2_x64_ru_utf8.txt",
        "UTF-8",
        "Версия ОС:                        6.3.9600 Н/Д построение 9600\r\n",
    ),
    (
        "real/neg_wesng_win7_sp1_x64_de_utf8.txt",
        "UTF-8",
        "Ursprüngliches Installationsdatum:             15.06.2016, 18:34:33\r\n",
    ),
    ("real/wesng_srv2008_sp1_x64_en.txt", "UTF-8", "\r\nHost Name:                 SRV2K8SP0X64\r\n"),
];

#[test]
fn real_captures_decode_exactly() {
    for (file, encoding, needle) in DECODE {
        let d = decode(&fixture(file), file, None).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.encoding, *encoding, "{file}");
        assert!(d.text.contains(needle), "{file}: missing {needle:?}");
        assert!(!d.text.starts_with('\u{feff}'), "{file}: BOM kept");
    }
}

#[test]
fn forced_encoding_is_used_and_named() {
    let d = decode(&fixture("real/neg_wesng_win7_sp1_x64_fr_cp850.txt"), "f", Some(TextEncoding::Cp437)).unwrap();
    assert_eq!(d.encoding, "cp437 (forced)");
    assert!(d.text.contains("Nom de l'hôte:"));
    let _ = systeminfo::sniff;
}
