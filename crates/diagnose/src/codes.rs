//! The embedded table of Windows error codes and the parsing of a code as an
//! administrator pastes it.
//!
//! Two tables are compiled by `build.rs` from the repository's `data/errors/`
//! folder: every code of the Windows SDK headers `winerror.h` and `wuerror.h`
//! (symbol, Win32 number, system message), and the curated update-failure
//! table `hresults.csv` (component, meaning, likely cause on 2008, fix, source
//! URL). Both are decompressed on first use (a few milliseconds).
//!
//! The HRESULT layout (`S R C N X | facility (11 bits) | code (16 bits)`) and
//! the facility numbers are those of `winerror.h` (`FACILITY_*`).
use flate2::read::GzDecoder;
use serde::Serialize;
use std::io::Read;
use std::sync::OnceLock;

static SDK_GZ: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/sdk.tsv.gz"));
static UPDATES_GZ: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/updates.tsv.gz"));

/// One row of the SDK table.
#[derive(Debug, Clone, Copy)]
struct SdkRow {
    code: u32,
    symbol: &'static str,
    win32: Option<u32>,
    message: &'static str,
}

/// One row of the curated update-failure table (`data/errors/hresults.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateRow {
    /// The HRESULT.
    pub code: u32,
    /// Its symbol, where the source names one.
    pub symbol: &'static str,
    /// The component that raises it, e.g. `CBS`, `WU agent`, `Win32`.
    pub component: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// The likely cause on Windows Server 2008 (may be empty).
    pub cause_2008: &'static str,
    /// The fix (may be empty).
    pub fix: &'static str,
    /// Where the row's facts come from.
    pub source_url: &'static str,
}

struct Tables {
    sdk: Vec<SdkRow>,
    updates: Vec<UpdateRow>,
    /// Upper-case symbol -> codes, from both tables.
    symbols: std::collections::HashMap<String, Vec<u32>>,
    /// Code -> its symbols, from both tables.
    names: std::collections::HashMap<u32, Vec<&'static str>, CodeHash>,
}

/// Hashes a code by one multiplication (the keys are HRESULTs, not input).
#[derive(Default, Clone, Copy)]
struct CodeHasher(u64);

impl std::hash::Hasher for CodeHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 << 8 | u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

type CodeHash = std::hash::BuildHasherDefault<CodeHasher>;

fn inflate(gz: &[u8]) -> &'static str {
    let mut s = String::new();
    if GzDecoder::new(gz).read_to_string(&mut s).is_err() {
        s.clear();
    }
    Box::leak(s.into_boxed_str())
}

fn tables() -> &'static Tables {
    static T: OnceLock<Tables> = OnceLock::new();
    T.get_or_init(|| {
        let mut sdk = Vec::new();
        for line in inflate(SDK_GZ).lines() {
            let mut f = line.split('\t');
            let (Some(code), Some(symbol), Some(win32), Some(message)) = (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let Ok(code) = u32::from_str_radix(code, 16) else { continue };
            sdk.push(SdkRow { code, symbol, win32: win32.parse().ok(), message });
        }
        let mut updates = Vec::new();
        for line in inflate(UPDATES_GZ).lines() {
            let f: Vec<&'static str> = line.split('\t').collect();
            let [code, symbol, component, meaning, cause_2008, fix, source_url] = f.as_slice() else { continue };
            let Ok(code) = u32::from_str_radix(code, 16) else { continue };
            updates.push(UpdateRow { code, symbol, component, meaning, cause_2008, fix, source_url });
        }
        let mut symbols: std::collections::HashMap<String, Vec<u32>> = std::collections::HashMap::new();
        for (sym, code) in sdk.iter().map(|r| (r.symbol, r.code)).chain(updates.iter().map(|r| (r.symbol, r.code))) {
            if sym.is_empty() {
                continue;
            }
            let v = symbols.entry(sym.to_ascii_uppercase()).or_default();
            if !v.contains(&code) {
                v.push(code);
            }
        }
        symbols.values_mut().for_each(|v| v.sort_unstable());
        let mut names: std::collections::HashMap<u32, Vec<&'static str>, CodeHash> =
            std::collections::HashMap::default();
        for (sym, code) in sdk.iter().map(|r| (r.symbol, r.code)).chain(updates.iter().map(|r| (r.symbol, r.code))) {
            if !sym.is_empty() {
                names.entry(code).or_default().push(sym);
            }
        }
        Tables { sdk, updates, symbols, names }
    })
}

/// Number of rows of the embedded tables: (SDK codes, update-failure codes).
pub fn table_sizes() -> (usize, usize) {
    let t = tables();
    (t.sdk.len(), t.updates.len())
}

/// The curated update-failure rows for `code` (usually one).
pub fn update_rows(code: u32) -> Vec<UpdateRow> {
    tables().updates.iter().filter(|r| r.code == code).copied().collect()
}

/// The name of an HRESULT facility number, from `winerror.h`.
pub fn facility_name(facility: u16) -> Option<&'static str> {
    Some(match facility {
        0 => "FACILITY_NULL",
        1 => "FACILITY_RPC",
        2 => "FACILITY_DISPATCH",
        3 => "FACILITY_STORAGE",
        4 => "FACILITY_ITF",
        7 => "FACILITY_WIN32",
        8 => "FACILITY_WINDOWS",
        9 => "FACILITY_SECURITY",
        10 => "FACILITY_CONTROL",
        11 => "FACILITY_CERT",
        12 => "FACILITY_INTERNET",
        13 => "FACILITY_MEDIASERVER",
        14 => "FACILITY_MSMQ",
        15 => "FACILITY_SETUPAPI",
        16 => "FACILITY_SCARD",
        17 => "FACILITY_COMPLUS",
        18 => "FACILITY_AAF",
        19 => "FACILITY_URT",
        20 => "FACILITY_ACS",
        21 => "FACILITY_DPLAY",
        22 => "FACILITY_UMI",
        23 => "FACILITY_SXS",
        24 => "FACILITY_WINDOWS_CE",
        25 => "FACILITY_HTTP",
        26 => "FACILITY_USERMODE_COMMONLOG",
        31 => "FACILITY_USERMODE_FILTER_MANAGER",
        32 => "FACILITY_BACKGROUNDCOPY",
        33 => "FACILITY_CONFIGURATION",
        34 => "FACILITY_STATE_MANAGEMENT",
        35 => "FACILITY_METADIRECTORY",
        36 => "FACILITY_WINDOWSUPDATE",
        37 => "FACILITY_DIRECTORYSERVICE",
        38 => "FACILITY_GRAPHICS",
        39 => "FACILITY_SHELL",
        40 => "FACILITY_TPM_SERVICES",
        41 => "FACILITY_TPM_SOFTWARE",
        48 => "FACILITY_PLA",
        49 => "FACILITY_FVE",
        50 => "FACILITY_FWP",
        51 => "FACILITY_WINRM",
        52 => "FACILITY_NDIS",
        53 => "FACILITY_USERMODE_HYPERVISOR",
        54 => "FACILITY_CMI",
        55 => "FACILITY_USERMODE_VIRTUALIZATION",
        56 => "FACILITY_USERMODE_VOLMGR",
        57 => "FACILITY_BCD",
        58 => "FACILITY_USERMODE_VHD",
        60 => "FACILITY_SDIAG",
        61 => "FACILITY_WEBSERVICES",
        80 => "FACILITY_WINDOWS_DEFENDER",
        81 => "FACILITY_OPC",
        _ => return None,
    })
}

/// True when `code` is a failure HRESULT (severity bit set).
pub fn is_failure(code: u32) -> bool {
    code & 0x8000_0000 != 0
}

/// True for the codes that say an operation *succeeded* and waits for a
/// restart although their severity bit is set, because they are Win32
/// success codes wrapped by `HRESULT_FROM_WIN32`: 3010
/// `ERROR_SUCCESS_REBOOT_REQUIRED` (0x80070BC2, "The requested operation is
/// successful. Changes will not be effective until the system is rebooted.")
/// and 1641 `ERROR_SUCCESS_REBOOT_INITIATED` (0x80070669), with the plain
/// Win32 values 0x00000BC2 and 0x00000669 (winerror.h).
pub fn is_success_with_restart(code: u32) -> bool {
    matches!(code, 0x8007_0BC2 | 0x8007_0669 | 0x0000_0BC2 | 0x0000_0669)
}

/// True when `code` ends an operation in failure: the severity bit is set
/// and it is not a success-with-restart code ([`is_success_with_restart`]).
pub fn is_failed_outcome(code: u32) -> bool {
    is_failure(code) && !is_success_with_restart(code)
}

/// True for the codes that say the update server could not be reached or
/// answered with an error: WinINet/WinHTTP errors (Win32 12001-12199 as
/// `HRESULT_FROM_WIN32`, e.g. 0x80072EE2 `WININET_E_TIMEOUT`), the Windows
/// Update protocol-talker errors `WU_E_PT_*` (0x80244000-0x80244FFF, e.g.
/// 0x8024402C `WU_E_PT_WINHTTP_NAME_NOT_RESOLVED`) and the HTTP status errors
/// `HTTP_E_STATUS_*` (0x80190000-0x8019FFFF).
pub fn is_connectivity(code: u32) -> bool {
    let win32 = (code & 0xFFFF_0000) == 0x8007_0000 && (12001..=12199).contains(&(code & 0xFFFF));
    win32 || (0x8024_4000..=0x8024_4FFF).contains(&code) || (0x8019_0000..=0x8019_FFFF).contains(&code)
}

/// `HRESULT_FROM_WIN32(n)`.
pub fn hresult_from_win32(n: u32) -> u32 {
    if n == 0 || n > 0xFFFF {
        n
    } else {
        0x8007_0000 | n
    }
}

/// Everything known about one code: the decoded bits, the SDK symbol and
/// message, and the curated update-failure rows with causes, fixes and sources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    /// The code as `0x` + 8 upper-case hex digits.
    pub hex: String,
    /// The code as a signed decimal (how .NET and some tools print it).
    pub signed: i32,
    /// `failure` (severity bit set) or `success`.
    pub severity: &'static str,
    /// The customer bit (bit 29): set for codes that are not Microsoft's.
    pub customer: bool,
    /// Facility number (bits 16..26).
    pub facility: u16,
    /// Facility name from `winerror.h`, e.g. `FACILITY_WIN32`.
    pub facility_name: Option<&'static str>,
    /// The low 16 bits.
    pub code: u16,
    /// The Win32 error number, for `FACILITY_WIN32` codes.
    pub win32: Option<u32>,
    /// Symbol(s): from the SDK headers and the update-failure table.
    pub symbols: Vec<String>,
    /// The system message (SDK).
    pub message: Option<String>,
    /// Which component raises it (update-failure table).
    pub component: Option<String>,
    /// What it means for an update (update-failure table).
    pub meaning: Option<String>,
    /// Likely cause on Windows Server 2008 (update-failure table).
    pub cause_2008: Option<String>,
    /// Fix (update-failure table).
    pub fix: Option<String>,
    /// Sources of the meaning, cause and fix.
    pub sources: Vec<String>,
    /// `success_with_restart` for the Win32 success codes whose HRESULT form
    /// has the severity bit set (3010 `ERROR_SUCCESS_REBOOT_REQUIRED`, 1641):
    /// the operation succeeded and a restart completes it; not a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<&'static str>,
    /// True when neither table knows the code.
    pub unknown: bool,
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Looks a code up and decodes its bits.
pub fn lookup(code: u32) -> CodeInfo {
    let t = tables();
    let facility = ((code >> 16) & 0x7FF) as u16;
    let low = (code & 0xFFFF) as u16;
    let mut symbols: Vec<String> = Vec::new();
    let mut message = None;
    let mut win32 = None;
    for r in t.sdk.iter().filter(|r| r.code == code) {
        if !r.symbol.is_empty() && !symbols.iter().any(|s| s == r.symbol) {
            symbols.push(r.symbol.to_string());
        }
        if message.is_none() {
            message = non_empty(r.message);
        }
        win32 = win32.or(r.win32);
    }
    if win32.is_none() && facility == 7 && is_failure(code) {
        win32 = Some(u32::from(low));
    }
    let rows = update_rows(code);
    for r in &rows {
        if !r.symbol.is_empty() && !symbols.iter().any(|s| s == r.symbol) {
            symbols.push(r.symbol.to_string());
        }
    }
    let first = rows.first();
    let mut sources: Vec<String> = Vec::new();
    for r in &rows {
        if !r.source_url.is_empty() && !sources.iter().any(|s| s == r.source_url) {
            sources.push(r.source_url.to_string());
        }
    }
    let fix = first.and_then(|r| non_empty(r.fix));
    if message.is_some() {
        sources.push("data/errors/sdk-codes.csv.gz (from the Windows SDK headers winerror.h / wuerror.h)".to_string());
    }
    CodeInfo {
        hex: format!("0x{code:08X}"),
        signed: code as i32,
        severity: if is_failure(code) { "failure" } else { "success" },
        customer: code & 0x2000_0000 != 0,
        facility,
        facility_name: facility_name(facility),
        code: low,
        win32,
        unknown: message.is_none() && rows.is_empty(),
        symbols,
        message,
        component: first.and_then(|r| non_empty(r.component)),
        meaning: first.and_then(|r| non_empty(r.meaning)),
        cause_2008: first.and_then(|r| non_empty(r.cause_2008)),
        fix,
        sources,
        outcome: is_success_with_restart(code).then_some("success_with_restart"),
    }
}

/// [`lookup`], with the fix told with the tools Windows Server 2008 / 2008 R2
/// have ([`fix_on_2008`]); what `diagnose` and `explain` show.
pub fn lookup_for_2008(code: u32) -> CodeInfo {
    let mut info = lookup(code);
    if let Some(f) = info.fix.take() {
        let (fix, source) = fix_on_2008(code, &f);
        if let Some(s) = source.filter(|s| !info.sources.iter().any(|x| x == s)) {
            info.sources.push(s.to_string());
        }
        info.fix = Some(fix);
    }
    info
}

/// The System Update Readiness Tool, the store repair of Windows Vista /
/// Server 2008 and Windows 7 / Server 2008 R2.
const KB947821: &str = "https://support.microsoft.com/kb/947821";

/// The curated fixes name DISM commands of Windows 8 / Server 2012 and
/// later: `/Cleanup-Image /RestoreHealth` and `/Source` do not exist on Server
/// 2008 (which has no DISM; `pkgmgr` services packages) nor on 2008 R2 (DISM
/// 6.1 has neither). Those fixes are given with the tools these versions
/// have; the second value is the source of the replacement.
pub fn fix_on_2008(code: u32, fix: &str) -> (String, Option<&'static str>) {
    let checksur = "run the System Update Readiness Tool (CheckSUR, KB947821) for this Windows version, read \
                    %windir%\\Logs\\CBS\\CheckSUR.log, supply the packages it lists in %windir%\\CheckSUR\\Packages \
                    and rerun it";
    if fix.contains("/RestoreHealth") {
        let f = format!(
            "On Windows Server 2008 / 2008 R2 (no DISM /RestoreHealth): {checksur}; then `sfc /scannow`, restart and retry."
        );
        return (f, Some(KB947821));
    }
    if fix.starts_with("Run DISM/SFC") {
        let rest = fix.trim_start_matches("Run DISM/SFC").trim_start_matches([';', ' ']);
        return (format!("Run the System Update Readiness Tool (KB947821) and `sfc /scannow`; {rest}"), Some(KB947821));
    }
    match code {
        0x8007_0BC9 => {
            let f = fix.split("; else revert pending actions").next().unwrap_or(fix);
            (format!("{f}. If it still fails, the pending transaction is damaged: {checksur}."), Some(KB947821))
        }
        0x800F_0922 if fix.contains("DISM /Remove-Package") => (
            fix.replace(
                "(DISM /Remove-Package)",
                "(Server 2008: `pkgmgr /up:<package identity>`; 2008 R2: `DISM /Online /Remove-Package /PackageName:<package identity>`)",
            ),
            None,
        ),
        0x800F_0906 if fix.contains("DISM") => (
            "The DISM /Source fix applies to Windows 8 / Server 2012 and later; on Server 2008 / 2008 R2 make sure \
             the server reaches Windows Update or WSUS for the files, then retry."
                .into(),
            None,
        ),
        // The order `w2k8 plan` gives a 2008 SP2 host without SHA-2 support (one install order).
        0x8009_2004 => (
            "On Windows Server 2008 SP2: install the servicing stack update KB4493730 (April 2019, installs \
             without SHA-2), then KB4474419, restart, then the newest servicing stack update, then the rollup \
             (`w2k8 plan` gives the whole order for a host); on 2008 R2 the pair is KB4490628 and KB4474419. \
             WSUS 3.0 SP2 needs KB4484071 to deliver SHA-2-signed updates (see KB4472027)."
                .into(),
            Some("https://www.concurrency.com/blog/may-2019/windows-update-sha-1-deprecation"),
        ),
        _ => (fix.to_string(), None),
    }
}

/// True when the tables already name `code` `symbol` (so a line printing it
/// adds nothing).
pub fn names(code: u32, symbol: &str) -> bool {
    tables().names.get(&code).is_some_and(|v| v.contains(&symbol))
}

/// The codes whose symbol is `name` (any case), from both tables.
pub fn by_symbol(name: &str) -> Vec<u32> {
    tables().symbols.get(&name.to_ascii_uppercase()).cloned().unwrap_or_default()
}

/// How a pasted code was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ParsedCode {
    /// The HRESULT (or raw value) it stands for.
    pub code: u32,
    /// How the input was read: `hex`, `signed decimal`, `Win32 decimal`,
    /// `unsigned decimal`, `symbol`.
    pub read_as: &'static str,
}

/// The input is not an error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotACode(pub String);

impl std::fmt::Display for NotACode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` is not an error code: expected hex (0x800f0922 or 800F0922), a decimal (-2146498270, \
             2148469026, or a Win32 number such as 3010) or a symbol (CBS_E_INSTALLERS_FAILED)",
            self.0
        )
    }
}

impl std::error::Error for NotACode {}

/// Reads a code in any form administrators paste:
///
/// - `0x800f0922`, `0X800F0922`: hex;
/// - `800F0922`, `80070643`: exactly 8 hex digits without `0x` (as Windows
///   Update prints them), or any run of hex digits containing a letter: hex;
/// - `-2146498270`: a signed 32-bit decimal;
/// - `3010`: a decimal up to 65535 is a Win32 error number, read as
///   `HRESULT_FROM_WIN32` (0 stays 0);
/// - `2148469026`: any other decimal up to 4294967295: the raw value;
/// - `CBS_E_INSTALLERS_FAILED`, `error_success_reboot_required`: a symbol of
///   either table (any case); a symbol may name several codes.
///
/// # Errors
/// [`NotACode`] for anything else (empty, words that are no symbol, out of range).
pub fn parse_code(input: &str) -> Result<Vec<ParsedCode>, NotACode> {
    let s = input.trim();
    let err = || NotACode(input.to_string());
    if s.is_empty() || s.len() > 100 {
        return Err(err());
    }
    let one = |code, read_as| Ok(vec![ParsedCode { code, read_as }]);
    if let Some(hex) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        if hex.is_empty() || hex.len() > 8 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(err());
        }
        return u32::from_str_radix(hex, 16).map_or_else(|_| Err(err()), |c| one(c, "hex"));
    }
    if let Some(neg) = s.strip_prefix('-') {
        if neg.is_empty() || !neg.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        return s.parse::<i32>().map_or_else(|_| Err(err()), |v| one(v as u32, "signed decimal"));
    }
    let all_digits = s.bytes().all(|b| b.is_ascii_digit());
    let all_hex = s.bytes().all(|b| b.is_ascii_hexdigit());
    if all_hex && (s.len() == 8 || (!all_digits && s.len() < 8)) {
        return u32::from_str_radix(s, 16).map_or_else(|_| Err(err()), |c| one(c, "hex"));
    }
    if all_digits {
        let v: u64 = s.parse().map_err(|_| err())?;
        if v <= 0xFFFF {
            return one(hresult_from_win32(v as u32), "Win32 decimal");
        }
        return u32::try_from(v).map_or_else(|_| Err(err()), |c| one(c, "unsigned decimal"));
    }
    let symbol_like = s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') && s.contains('_');
    if symbol_like {
        let codes = by_symbol(s);
        if !codes.is_empty() {
            return Ok(codes.into_iter().map(|code| ParsedCode { code, read_as: "symbol" }).collect());
        }
    }
    Err(err())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load() {
        let (sdk, upd) = table_sizes();
        assert_eq!(sdk, 7624);
        assert_eq!(upd, 548);
    }

    #[test]
    fn parse_forms() {
        let c = |s: &str| parse_code(s).map(|v| v.iter().map(|p| p.code).collect::<Vec<_>>());
        assert_eq!(c("0x800f0922"), Ok(vec![0x800F0922]));
        assert_eq!(c("800F0922"), Ok(vec![0x800F0922]));
        assert_eq!(c("80070643"), Ok(vec![0x80070643]));
        assert_eq!(c("-2146498270"), Ok(vec![0x800F0922]));
        assert_eq!(c("2148469026"), Ok(vec![0x800F0922]));
        assert_eq!(c("3010"), Ok(vec![0x80070BC2]));
        assert_eq!(c("0"), Ok(vec![0]));
        assert_eq!(c("cbs_e_installers_failed"), Ok(vec![0x800F0922]));
        assert_eq!(c("ERROR_SUCCESS_REBOOT_REQUIRED"), Ok(vec![0x80070BC2]));
        assert_eq!(c("WU_E_REDIRECTOR_UNEXPECTED"), Ok(vec![0x802450FF, 0x80245FFF]));
        assert!(c("hello").is_err());
        assert!(c("").is_err());
        assert!(c("0x").is_err());
        assert!(c("0x1234567890").is_err());
        assert!(c("-").is_err());
        assert!(c("99999999999").is_err());
        assert!(c("-99999999999").is_err());
        assert!(c("NOT_A_SYMBOL_AT_ALL").is_err());
    }

    #[test]
    fn fixes_for_2008_name_its_tools() {
        let raw = lookup(0x8007_3712).fix.unwrap_or_default();
        assert!(raw.contains("DISM /Online /Cleanup-Image /RestoreHealth"), "the table keeps its text: {raw}");
        let i = lookup_for_2008(0x8007_3712);
        let fix = i.fix.unwrap_or_default();
        assert!(
            fix.contains("System Update Readiness Tool (CheckSUR, KB947821)") && fix.contains("sfc /scannow"),
            "{fix}"
        );
        assert!(i.sources.iter().any(|s| s == KB947821));
        assert_eq!(lookup_for_2008(0x800F_0823).fix, lookup(0x800F_0823).fix, "other fixes unchanged");
        // One install order: the SHA-2 fix names the pre-SHA-2 SSU first, as the plan does.
        let sha2 = lookup_for_2008(0x8009_2004).fix.unwrap_or_default();
        let at = |kb: &str| sha2.find(kb).unwrap_or(usize::MAX);
        assert!(at("KB4493730") < at("KB4474419") && at("KB4474419") < at("restart"), "{sha2}");
        assert_eq!(lookup(0x8007_0BC2).outcome, Some("success_with_restart"));
        assert!(
            is_success_with_restart(0x8007_0BC2) && !is_failed_outcome(0x8007_0BC2) && is_failed_outcome(0x8007_0BC9)
        );
    }

    #[test]
    fn decode_bits() {
        let i = lookup(0x800F0922);
        assert_eq!(i.hex, "0x800F0922");
        assert_eq!(i.severity, "failure");
        assert_eq!(i.facility, 15);
        assert_eq!(i.facility_name, Some("FACILITY_SETUPAPI"));
        assert_eq!(i.code, 0x0922);
        assert_eq!(i.symbols, vec!["CBS_E_INSTALLERS_FAILED".to_string()]);
        assert_eq!(i.component.as_deref(), Some("CBS"));
        let i = lookup(0x80070BC2);
        assert_eq!(i.win32, Some(3010));
        assert_eq!(i.symbols, vec!["ERROR_SUCCESS_REBOOT_REQUIRED".to_string()]);
        assert_eq!(i.facility_name, Some("FACILITY_WIN32"));
        let i = lookup(0x80092004);
        assert!(i.cause_2008.as_deref().unwrap_or("").contains("KB4474419"));
        let i = lookup(0x800F0A05);
        assert!(i.unknown);
    }
}
