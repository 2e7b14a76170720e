//! One module per input format. Each has a `sniff` ("is this text mine?")
//! and a `parse` (text in, [`Facts`] out, or a [`ParseError`] naming file,
//! line and what was expected). [`Format`] is the switch between them.
use crate::{Facts, ParseError};

pub mod disk;
pub mod hotfix_ps;
mod hotfix_rows;
pub mod netsh_firewall;
pub mod netstat;
pub mod qfe;
pub mod reboot;
pub mod reg;
pub mod reg_mitigations;
pub mod roles;
pub mod sc_queryex;
pub mod servicing_dir;
pub mod systeminfo;
pub mod wmic;

/// The input formats w2k8 reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// `systeminfo` in list, table or CSV form, any language.
    Systeminfo,
    /// `wmic qfe` (`list full`, `get ...` table, `/format:csv`).
    WmicQfe,
    /// PowerShell `Get-HotFix` (table or `Export-Csv`).
    GetHotFix,
    /// `reg query` of `CurrentVersion` or of the CBS `Packages` key.
    RegQuery,
    /// `wmic os get ... /format:list` and `wmic datafile ... get Version`.
    Wmic,
    /// `dir /b %windir%\servicing\Packages`.
    ServicingPackages,
    /// `reg query` of the three pending-restart keys (`reg-reboot.txt`).
    RegReboot,
    /// `wmic logicaldisk get DeviceID,FreeSpace,Size,FileSystem /format:list` (`disk.txt`).
    Disk,
    /// `reg query` of the keys Microsoft's workarounds name (`reg-mitigations.txt`).
    RegMitigations,
    /// `sc queryex type= service state= all` (`services.txt`).
    ScQueryex,
    /// `netstat -ano` (`netstat.txt`).
    Netstat,
    /// `netsh advfirewall show allprofiles` and `... firewall show rule name=all` (`firewall.txt`).
    NetshFirewall,
    /// `servermanagercmd -query` (`roles.txt`).
    Roles,
}

impl Format {
    /// Every format, in the order [`Format::sniff`] tries them.
    pub const ALL: [Format; 13] = [
        Format::RegMitigations,
        Format::RegReboot,
        Format::RegQuery,
        Format::Wmic,
        Format::Disk,
        Format::WmicQfe,
        Format::GetHotFix,
        Format::ServicingPackages,
        Format::ScQueryex,
        Format::Netstat,
        Format::NetshFirewall,
        Format::Roles,
        Format::Systeminfo,
    ];

    /// The format's name as w2k8 reports it (`systeminfo`, `wmic-qfe`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Format::Systeminfo => "systeminfo",
            Format::WmicQfe => "wmic-qfe",
            Format::GetHotFix => "get-hotfix",
            Format::RegQuery => "reg-query",
            Format::Wmic => "wmic",
            Format::ServicingPackages => "servicing-packages",
            Format::RegReboot => "reg-reboot",
            Format::Disk => "wmic-logicaldisk",
            Format::RegMitigations => "reg-mitigations",
            Format::ScQueryex => "sc-queryex",
            Format::Netstat => "netstat-ano",
            Format::NetshFirewall => "netsh-advfirewall",
            Format::Roles => "servermanagercmd",
        }
    }

    /// The first format that recognises `text`, if any.
    pub fn sniff(text: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.recognises(text))
    }

    /// Whether `text` looks like this format.
    pub fn recognises(self, text: &str) -> bool {
        match self {
            Format::Systeminfo => systeminfo::sniff(text),
            Format::WmicQfe => qfe::sniff(text),
            Format::GetHotFix => hotfix_ps::sniff(text),
            Format::RegQuery => reg::sniff(text),
            Format::Wmic => wmic::sniff(text),
            Format::ServicingPackages => servicing_dir::sniff(text),
            Format::RegReboot => reboot::sniff(text),
            Format::Disk => disk::sniff(text),
            Format::RegMitigations => reg_mitigations::sniff(text),
            Format::ScQueryex => sc_queryex::sniff(text),
            Format::Netstat => netstat::sniff(text),
            Format::NetshFirewall => netsh_firewall::sniff(text),
            Format::Roles => roles::sniff(text),
        }
    }

    /// Parses `text`, read from `file`, as this format.
    pub fn parse(self, text: &str, file: &str) -> Result<Facts, ParseError> {
        match self {
            Format::Systeminfo => systeminfo::parse(text, file),
            Format::WmicQfe => qfe::parse(text, file),
            Format::GetHotFix => hotfix_ps::parse(text, file),
            Format::RegQuery => reg::parse(text, file),
            Format::Wmic => wmic::parse(text, file),
            Format::ServicingPackages => servicing_dir::parse(text, file),
            Format::RegReboot => reboot::parse(text, file),
            Format::Disk => disk::parse(text, file),
            Format::RegMitigations => reg_mitigations::parse(text, file),
            Format::ScQueryex => sc_queryex::parse(text, file),
            Format::Netstat => netstat::parse(text, file),
            Format::NetshFirewall => netsh_firewall::parse(text, file),
            Format::Roles => roles::parse(text, file),
        }
    }
}
