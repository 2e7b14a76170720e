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
//!   GitHub write-up of an Azure Functions defect (search index file id
//!   11381332716: "Nome do host: AERO-DO-LG").
//!
//! Languages not listed (ja, zh-TW, pl, nl, pt-PT) could not be confirmed
//! from real output and are left out: their files still parse by the
//! English labels a server may print, and otherwise are refused clearly.

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
    l(HostName, "pt-BR", "Nome do host"),
    l(HostName, "ru", "Имя узла"),
    l(HostName, "zh-CN", "主机名"),
    l(OsName, "de", "Betriebssystemname"),
    l(OsName, "en", "OS Name"),
    l(OsName, "es", "Nombre del sistema operativo"),
    l(OsName, "fr", "Nom du système d'exploitation"),
    l(OsName, "it", "Nome SO"),
    l(OsName, "pt-BR", "Nome do sistema operacional"),
    l(OsName, "ru", "Название ОС"),
    l(OsName, "zh-CN", "OS 名称"),
    l(OsVersion, "de", "Betriebssystemversion"),
    l(OsVersion, "en", "OS Version"),
    l(OsVersion, "es", "Versión del sistema operativo"),
    l(OsVersion, "fr", "Version du système"),
    l(OsVersion, "it", "Versione SO"),
    l(OsVersion, "pt-BR", "Versão do sistema operacional"),
    l(OsVersion, "ru", "Версия ОС"),
    l(OsVersion, "zh-CN", "OS 版本"),
    l(OsConfiguration, "de", "Betriebssystemkonfiguration"),
    l(OsConfiguration, "en", "OS Configuration"),
    l(OsConfiguration, "es", "Configuración del sistema operativo"),
    l(OsConfiguration, "fr", "Configuration du système d'exploitation"),
    l(OsConfiguration, "it", "Configurazione SO"),
    l(OsConfiguration, "pt-BR", "Configuração do SO"),
    l(OsConfiguration, "ru", "Параметры ОС"),
    l(OsConfiguration, "zh-CN", "OS 配置"),
    l(OsBuildType, "de", "Betriebssystem-Buildtyp"),
    l(OsBuildType, "en", "OS Build Type"),
    l(OsBuildType, "es", "Tipo de compilación del sistema operativo"),
    l(OsBuildType, "fr", "Type de version du système d'exploitation"),
    l(OsBuildType, "it", "Tipo build SO"),
    l(OsBuildType, "pt-BR", "Tipo de compilação do sistema operacional"),
    l(OsBuildType, "ru", "Построение ОС"),
    l(OsBuildType, "zh-CN", "OS 构件类型"),
    l(ProductId, "de", "Produkt-ID"),
    l(ProductId, "en", "Product ID"),
    l(ProductId, "es", "Id. del producto"),
    l(ProductId, "fr", "Identificateur de produit"),
    l(ProductId, "it", "Numero di serie"),
    l(ProductId, "pt-BR", "Identificação do produto"),
    l(ProductId, "ru", "Код продукта"),
    l(ProductId, "zh-CN", "产品 ID"),
    l(InstallDate, "de", "Ursprüngliches Installationsdatum"),
    l(InstallDate, "en", "Original Install Date"),
    l(InstallDate, "es", "Fecha de instalación original"),
    l(InstallDate, "fr", "Date d'installation originale"),
    l(InstallDate, "it", "Data di installazione originale"),
    l(InstallDate, "pt-BR", "Data da instalação original"),
    l(InstallDate, "ru", "Дата установки"),
    l(InstallDate, "zh-CN", "初始安装日期"),
    l(SystemType, "de", "Systemtyp"),
    l(SystemType, "en", "System Type"),
    l(SystemType, "es", "Tipo de sistema"),
    l(SystemType, "fr", "Type du système"),
    l(SystemType, "it", "Tipo sistema"),
    l(SystemType, "pt-BR", "Tipo de sistema"),
    l(SystemType, "ru", "Тип системы"),
    l(SystemType, "zh-CN", "系统类型"),
    l(SystemLocale, "de", "Systemgebietsschema"),
    l(SystemLocale, "en", "System Locale"),
    l(SystemLocale, "es", "Configuración regional del sistema"),
    l(SystemLocale, "fr", "Option régionale du système"),
    l(SystemLocale, "it", "Impostazioni locali sistema"),
    l(SystemLocale, "pt-BR", "Localidade do sistema"),
    l(SystemLocale, "ru", "Язык системы"),
    l(SystemLocale, "zh-CN", "系统区域设置"),
    l(Hotfixes, "de", "Hotfix(es)"),
    l(Hotfixes, "en", "Hotfix(s)"),
    l(Hotfixes, "es", "Revisión(es)"),
    l(Hotfixes, "fr", "Correctif(s)"),
    l(Hotfixes, "it", "Aggiornamenti rapidi"),
    l(Hotfixes, "pt-BR", "Hotfix(es)"),
    l(Hotfixes, "ru", "Исправление(я)"),
    l(Hotfixes, "zh-CN", "修补程序"),
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
        for lang in ["de", "en", "es", "fr", "it", "pt-BR", "ru", "zh-CN"] {
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
