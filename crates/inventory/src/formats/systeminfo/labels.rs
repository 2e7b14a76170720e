//! The labels systeminfo prints, per language, as data.
//!
//! One table sorted by canonical field, then language. Every label was read
//! in real systeminfo output (never translated by us):
//!
//! * `en`: the WES-NG validation captures (bitsadmin/wesng `validation/`,
//!   Server 2003 R2, 2008, 2008 R2, Vista, 7, 2012 R2; copied under
//!   `tests/fixtures/systeminfo/real/`) and the `/fo csv` and `/fo table`
//!   samples in DeepakJason/linux-to-windows-remote-exec
//!   `command-outputs/systeminfo-output-{csv.csv,table.txt}` (Windows 10).
//! * `de`: `real/neg_wesng_win7_sp1_x64_de_utf8.txt` (Windows 7, de-DE).
//! * `fr`: `real/neg_wesng_win7_sp1_x64_fr_cp850.txt` and `..._fr_utf16.txt` (Windows 7, fr-FR).
//! * `it`: `real/neg_wesng_10_1803_x64_pro_it.txt` (Windows 10 1803, it-IT).
//! * `es`: `real/neg_wesng_10_1809_x64_education_es.txt` (Windows 10 1809, es-ES).
//! * `ru`: `real/neg_wesng_srv2012r2_x64_ru_utf8.txt` (Server 2012 R2, ru-RU).
//! * `zh-CN`: `real/neg_wesng_10_1809_x64_enterprise_zh-cn.txt` (Windows 10 1809, zh-CN).
//! * `pt-BR`: a `systeminfo` run on Windows 11 pt-BR pasted in a public
//!   GitHub write-up of an Azure Functions defect (public copy, location not recorded:
//!   "Nome do host: AERO-DO-LG").
//! * `ja`: a full `systeminfo` run on Windows 7 Professional SP1 (ja-JP),
//!   pasted in a public GitHub README "Get Your PC Information" (public
//!   copy, location not recorded: "ホスト名: MyCowin7", "OS バージョン:
//!   6.1.7601 Service Pack 1 ビルド 7601", "ホットフィックス: 294
//!   ホットフィックスがインストールされています。"); the same labels and
//!   hotfix sentence in a Windows 11 excerpt (public copy, location not recorded, "OS
//!   バージョン: 10.0.22000 N/A ビルド 22000": the N/A word stays `N/A`) and
//!   a Windows Server 2012 R2 blog post (public copy, location not recorded, "ホットフィックス:
//!   315 ホットフィックスがインストールされています。").
//! * `zh-TW`: a full `systeminfo` run on Windows 10 Enterprise LTSC 1809
//!   (zh-TW) kept as `REM::` comment lines at the end of a public batch file
//!   (public copy, location not recorded: "主機名稱: W23-009-065", "作業系統版本:
//!   10.0.17763 N/A 組建 17763", "Hotfix: 已安裝 11 Hotfix。"); the OS name and
//!   version labels again in two Windows 10 blog posts (public copies,
//!   locations not recorded).
//!
//! Languages not listed (pl, nl, pt-PT) could not be confirmed from real
//! output and are left out of this table. Their list-form output is still
//! read: systeminfo prints its lines in the same order in every language,
//! so when no label is known the parser reads the fields by position
//! (`POSITIONS` in `mod.rs`), checked by the version line and system type
//! landing where they must, and says so in a note. (Dutch labels such as
//! `Host-naam` and `Naam van besturingssysteem` appear only in a third-party
//! parser's source (public copy, location not recorded), not in output; Polish
//! `Nazwa systemu operacyjnego` only in a changelog sentence (public
//! copy, location not recorded).)
//!
//! Windows Server 2008 / Vista print the English labels `Hotfix(s)` and
//! `Network Card(s)` as later systems do (the WES-NG Server 2008 and Vista
//! captures); no localized Server 2008 or Vista capture was found, so the
//! localized labels are those of Windows 7 and later.

/// The facts w2k8 reads from systeminfo, whatever the language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Field {
    /// Host Name
    HostName,
    /// OS Name
    OsName,
    /// OS Version
    OsVersion,
    /// OS Configuration
    OsConfiguration,
    /// OS Build Type
    OsBuildType,
    /// Product ID
    ProductId,
    /// Original Install Date
    InstallDate,
    /// System Type
    SystemType,
    /// System Locale
    SystemLocale,
    /// Hotfix(s)
    Hotfixes,
}

impl Field {
    /// The English label, used in evidence and notes.
    pub(crate) fn english(self) -> &'static str {
        match self {
            Field::HostName => "Host Name",
            Field::OsName => "OS Name",
            Field::OsVersion => "OS Version",
            Field::OsConfiguration => "OS Configuration",
            Field::OsBuildType => "OS Build Type",
            Field::ProductId => "Product ID",
            Field::InstallDate => "Original Install Date",
            Field::SystemType => "System Type",
            Field::SystemLocale => "System Locale",
            Field::Hotfixes => "Hotfix(s)",
        }
    }

    /// The fields whose presence makes a text systeminfo.
    pub(crate) fn is_core(self) -> bool {
        matches!(self, Field::HostName | Field::OsName | Field::OsVersion | Field::SystemType | Field::Hotfixes)
    }
}

/// One label: the field, the language (BCP 47 tag) and the text printed
/// before the colon.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Label {
    /// The fact.
    pub(crate) field: Field,
    /// The language it was seen in.
    pub(crate) lang: &'static str,
    /// The label as printed, without the colon.
    pub(crate) text: &'static str,
}

const fn l(field: Field, lang: &'static str, text: &'static str) -> Label {
    Label { field, lang, text }
}

use Field::*;

/// Every known label, sorted by field then language.
pub(crate) const LABELS: &[Label] = &[
    l(HostName, "de", "Hostname"),
    l(HostName, "en", "Host Name"),
    l(HostName, "es", "Nombre de host"),
    l(HostName, "fr", "Nom de l'hôte"),
    l(HostName, "it", "Nome host"),
    l(HostName, "ja", "ホスト名"),
    l(HostName, "pt-BR", "Nome do host"),
    l(HostName, "ru", "Имя узла"),
    l(HostName, "zh-CN", "主机名"),
    l(HostName, "zh-TW", "主機名稱"),
    l(OsName, "de", "Betriebssystemname"),
    l(OsName, "en", "OS Name"),
    l(OsName, "es", "Nombre del sistema operativo"),
    l(OsName, "fr", "Nom du système d'exploitation"),
    l(OsName, "it", "Nome SO"),
    l(OsName, "ja", "OS 名"),
    l(OsName, "pt-BR", "Nome do sistema operacional"),
    l(OsName, "ru", "Название ОС"),
    l(OsName, "zh-CN", "OS 名称"),
    l(OsName, "zh-TW", "作業系統名稱"),
    l(OsVersion, "de", "Betriebssystemversion"),
    l(OsVersion, "en", "OS Version"),
    l(OsVersion, "es", "Versión del sistema operativo"),
    l(OsVersion, "fr", "Version du système"),
    l(OsVersion, "it", "Versione SO"),
    l(OsVersion, "ja", "OS バージョン"),
    l(OsVersion, "pt-BR", "Versão do sistema operacional"),
    l(OsVersion, "ru", "Версия ОС"),
    l(OsVersion, "zh-CN", "OS 版本"),
    l(OsVersion, "zh-TW", "作業系統版本"),
    l(OsConfiguration, "de", "Betriebssystemkonfiguration"),
    l(OsConfiguration, "en", "OS Configuration"),
    l(OsConfiguration, "es", "Configuración del sistema operativo"),
    l(OsConfiguration, "fr", "Configuration du système d'exploitation"),
    l(OsConfiguration, "it", "Configurazione SO"),
    l(OsConfiguration, "ja", "OS 構成"),
    l(OsConfiguration, "pt-BR", "Configuração do SO"),
    l(OsConfiguration, "ru", "Параметры ОС"),
    l(OsConfiguration, "zh-CN", "OS 配置"),
    l(OsConfiguration, "zh-TW", "作業系統設定"),
    l(OsBuildType, "de", "Betriebssystem-Buildtyp"),
    l(OsBuildType, "en", "OS Build Type"),
    l(OsBuildType, "es", "Tipo de compilación del sistema operativo"),
    l(OsBuildType, "fr", "Type de version du système d'exploitation"),
    l(OsBuildType, "it", "Tipo build SO"),
    l(OsBuildType, "ja", "OS ビルドの種類"),
    l(OsBuildType, "pt-BR", "Tipo de compilação do sistema operacional"),
    l(OsBuildType, "ru", "Построение ОС"),
    l(OsBuildType, "zh-CN", "OS 构件类型"),
    l(OsBuildType, "zh-TW", "作業系統組建類型"),
    l(ProductId, "de", "Produkt-ID"),
    l(ProductId, "en", "Product ID"),
    l(ProductId, "es", "Id. del producto"),
    l(ProductId, "fr", "Identificateur de produit"),
    l(ProductId, "it", "Numero di serie"),
    l(ProductId, "ja", "プロダクト ID"),
    l(ProductId, "pt-BR", "Identificação do produto"),
    l(ProductId, "ru", "Код продукта"),
    l(ProductId, "zh-CN", "产品 ID"),
    l(ProductId, "zh-TW", "產品識別碼"),
    l(InstallDate, "de", "Ursprüngliches Installationsdatum"),
    l(InstallDate, "en", "Original Install Date"),
    l(InstallDate, "es", "Fecha de instalación original"),
    l(InstallDate, "fr", "Date d'installation originale"),
    l(InstallDate, "it", "Data di installazione originale"),
    l(InstallDate, "ja", "最初のインストール日付"),
    l(InstallDate, "pt-BR", "Data da instalação original"),
    l(InstallDate, "ru", "Дата установки"),
    l(InstallDate, "zh-CN", "初始安装日期"),
    l(InstallDate, "zh-TW", "原始安裝日期"),
    l(SystemType, "de", "Systemtyp"),
    l(SystemType, "en", "System Type"),
    l(SystemType, "es", "Tipo de sistema"),
    l(SystemType, "fr", "Type du système"),
    l(SystemType, "it", "Tipo sistema"),
    l(SystemType, "ja", "システムの種類"),
    l(SystemType, "pt-BR", "Tipo de sistema"),
    l(SystemType, "ru", "Тип системы"),
    l(SystemType, "zh-CN", "系统类型"),
    l(SystemType, "zh-TW", "系統類型"),
    l(SystemLocale, "de", "Systemgebietsschema"),
    l(SystemLocale, "en", "System Locale"),
    l(SystemLocale, "es", "Configuración regional del sistema"),
    l(SystemLocale, "fr", "Option régionale du système"),
    l(SystemLocale, "it", "Impostazioni locali sistema"),
    l(SystemLocale, "ja", "システム ロケール"),
    l(SystemLocale, "pt-BR", "Localidade do sistema"),
    l(SystemLocale, "ru", "Язык системы"),
    l(SystemLocale, "zh-CN", "系统区域设置"),
    l(SystemLocale, "zh-TW", "系統地區設定"),
    l(Hotfixes, "de", "Hotfix(es)"),
    l(Hotfixes, "en", "Hotfix(s)"),
    l(Hotfixes, "es", "Revisión(es)"),
    l(Hotfixes, "fr", "Correctif(s)"),
    l(Hotfixes, "it", "Aggiornamenti rapidi"),
    l(Hotfixes, "ja", "ホットフィックス"),
    l(Hotfixes, "pt-BR", "Hotfix(es)"),
    l(Hotfixes, "ru", "Исправление(я)"),
    l(Hotfixes, "zh-CN", "修补程序"),
    l(Hotfixes, "zh-TW", "Hotfix"),
];

/// The field a label (text before the colon, trailing spaces removed) names.
pub(crate) fn lookup(label: &str) -> Option<Field> {
    let label = label.trim_end_matches([' ', '\u{a0}']);
    LABELS.iter().find(|l| l.text == label).map(|l| l.field)
}

/// The language a label belongs to (the first listed when several share it).
pub(crate) fn language_of(label: &str) -> Option<&'static str> {
    let label = label.trim_end_matches([' ', '\u{a0}']);
    LABELS.iter().find(|l| l.text == label).map(|l| l.lang)
}

/// The column order systeminfo uses in `/fo table` and `/fo csv` (the
/// English order; with `/nh` there is no header to say otherwise): index of
/// each field we read. Seen in the `/fo csv` header of the Windows 10 sample
/// cited above; the first 31 columns match the list order of the Server 2003,
/// 2008 and Vista captures (2003 says `System Up Time` where later systems
/// say `System Boot Time`).
pub(crate) const FIXED_COLUMNS: &[(usize, Field)] = &[
    (0, HostName),
    (1, OsName),
    (2, OsVersion),
    (4, OsConfiguration),
    (5, OsBuildType),
    (8, ProductId),
    (9, InstallDate),
    (13, SystemType),
    (19, SystemLocale),
    (30, Hotfixes),
];

/// `/fo table` column widths (characters, one space between columns) in the
/// Windows 10 `/fo table` sample cited above, used for `/fo table /nh`
/// where no `=` line gives them.
pub(crate) const TABLE_WIDTHS: &[usize] = &[
    30, 30, 30, 40, 40, 20, 50, 50, 30, 25, 30, 30, 20, 25, 45, 30, 20, 20, 35, 35, 35, 50, 25, 25, 25, 25, 25, 30, 20,
    20, 20, 100, 100,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_unique_per_language() {
        for w in LABELS.windows(2) {
            if let [a, b] = w {
                assert!(
                    (a.field, a.lang) < (b.field, b.lang),
                    "{:?}/{} before {:?}/{}",
                    a.field,
                    a.lang,
                    b.field,
                    b.lang
                );
            }
        }
    }

    #[test]
    fn every_language_has_the_core_labels() {
        for lang in ["de", "en", "es", "fr", "it", "ja", "pt-BR", "ru", "zh-CN", "zh-TW"] {
            for f in [HostName, OsName, OsVersion, SystemType, Hotfixes] {
                assert!(LABELS.iter().any(|l| l.lang == lang && l.field == f), "{lang} lacks {f:?}");
            }
        }
    }

    #[test]
    fn lookup_finds_labels_with_padding() {
        assert_eq!(lookup("Host Name"), Some(HostName));
        assert_eq!(lookup("Correctif(s)  "), Some(Hotfixes));
        assert_eq!(lookup("Page File"), None);
        assert_eq!(language_of("Имя узла"), Some("ru"));
    }
}
