//! The management subnets of `--allow-from` and the `remoteip=` list of a
//! Windows Firewall rule that blocks every other address.
//!
//! In Windows Firewall with Advanced Security a block rule wins over any
//! allow rule (KB947709), so "only the management subnet may reach port N"
//! is one block rule whose remote addresses are everything *outside* the
//! subnets: it holds whatever allow rules (localized built-in groups
//! included) the host already has, and its undo is one `delete rule`. The
//! firewall takes IPv4 and IPv6 ranges written `start-end` with no spaces
//! (INetFwRule::RemoteAddresses, Windows Server 2008 and later).
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Where the firewall's range syntax is documented.
pub const REMOTE_ADDRESSES_SOURCE: &str =
    "https://learn.microsoft.com/en-us/windows/win32/api/netfw/nf-netfw-inetfwrule-put_remoteaddresses";

/// One subnet, as the inclusive range of addresses it holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Net {
    v6: bool,
    first: u128,
    last: u128,
}

/// The subnets `--allow-from` names, in the order given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subnets {
    given: Vec<String>,
    nets: Vec<Net>,
}

/// Why an `--allow-from` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubnetError {
    /// Not an address or `address/prefix`.
    #[error("`{0}` is not an IPv4 or IPv6 address or subnet (expected e.g. 10.0.50.0/24)")]
    Syntax(String),
    /// The prefix is longer than the address.
    #[error("`{0}`: the prefix length is larger than the address ({1} bits)")]
    Prefix(String, u32),
    /// Nothing given.
    #[error("no subnet given (expected e.g. 10.0.50.0/24, several separated by commas)")]
    Empty,
    /// The subnets admit every address of both families: no rule would restrict anything.
    #[error("`{0}` admits every address: there is nothing left to block")]
    Everything(String),
}

fn parse_one(text: &str) -> Result<Net, SubnetError> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let addr: IpAddr = addr.parse().map_err(|_| SubnetError::Syntax(text.to_string()))?;
    let (v6, bits, value) = match addr {
        IpAddr::V4(a) => (false, 32u32, u128::from(u32::from(a))),
        IpAddr::V6(a) => (true, 128u32, u128::from(a)),
    };
    let prefix = match prefix {
        None => bits,
        Some(p) => p.parse::<u32>().map_err(|_| SubnetError::Syntax(text.to_string()))?,
    };
    if prefix > bits {
        return Err(SubnetError::Prefix(text.to_string(), bits));
    }
    let host_bits = bits - prefix;
    let span = if host_bits >= 128 { u128::MAX } else { (1u128 << host_bits) - 1 };
    let first = value & !span;
    Ok(Net { v6, first, last: first | span })
}

impl Subnets {
    /// Parses `10.0.50.0/24,192.168.1.7,fd00::/8` (commas or spaces between
    /// entries). Host bits are cleared, as the firewall does.
    pub fn parse(text: &str) -> Result<Subnets, SubnetError> {
        let mut out = Subnets { given: Vec::new(), nets: Vec::new() };
        for part in text.split([',', ' ']).map(str::trim).filter(|p| !p.is_empty()) {
            out.nets.push(parse_one(part)?);
            out.given.push(part.to_string());
        }
        if out.nets.is_empty() {
            return Err(SubnetError::Empty);
        }
        if out.outside().is_empty() {
            return Err(SubnetError::Everything(out.to_string()));
        }
        Ok(out)
    }

    /// The address ranges outside every subnet, IPv4 first: the firewall's
    /// `remoteip=` value for the block rule (`start-end` or one address,
    /// comma-separated). A family no subnet names is blocked whole.
    pub fn outside(&self) -> String {
        let mut parts = Vec::new();
        for v6 in [false, true] {
            let max = if v6 { u128::MAX } else { u128::from(u32::MAX) };
            let mut ranges: Vec<(u128, u128)> =
                self.nets.iter().filter(|n| n.v6 == v6).map(|n| (n.first, n.last)).collect();
            ranges.sort_unstable();
            let mut next = Some(0u128);
            for (first, last) in ranges {
                if let Some(n) = next {
                    if first > n {
                        parts.push(range_text(v6, n, first - 1));
                    }
                    if last >= n {
                        next = last.checked_add(1).filter(|x| *x <= max);
                    }
                }
            }
            if let Some(n) = next {
                parts.push(range_text(v6, n, max));
            }
        }
        parts.join(",")
    }
}

fn addr_text(v6: bool, x: u128) -> String {
    if v6 {
        Ipv6Addr::from(x).to_string()
    } else {
        Ipv4Addr::from(u32::try_from(x).unwrap_or(u32::MAX)).to_string()
    }
}

fn range_text(v6: bool, first: u128, last: u128) -> String {
    if first == last {
        addr_text(v6, first)
    } else {
        format!("{}-{}", addr_text(v6, first), addr_text(v6, last))
    }
}

impl fmt::Display for Subnets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.given.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_V6: &str = "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";

    #[test]
    fn one_ipv4_subnet_leaves_the_two_ranges_around_it_and_all_of_ipv6() {
        let s = Subnets::parse("10.0.50.0/24").unwrap();
        assert_eq!(s.outside(), format!("0.0.0.0-10.0.49.255,10.0.51.0-255.255.255.255,{ALL_V6}"));
    }

    #[test]
    fn host_bits_are_cleared_and_single_addresses_kept() {
        let s = Subnets::parse("10.0.50.77/24, 192.168.1.7").unwrap();
        assert_eq!(
            s.outside(),
            format!("0.0.0.0-10.0.49.255,10.0.51.0-192.168.1.6,192.168.1.8-255.255.255.255,{ALL_V6}")
        );
        assert_eq!(s.to_string(), "10.0.50.77/24,192.168.1.7");
    }

    #[test]
    fn overlapping_and_edge_subnets_merge() {
        let s = Subnets::parse("0.0.0.0/8,0.0.0.0/16,255.255.255.255,fd00::/8").unwrap();
        assert_eq!(
            s.outside(),
            "1.0.0.0-255.255.255.254,::-fcff:ffff:ffff:ffff:ffff:ffff:ffff:ffff,fe00::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
        );
    }

    #[test]
    fn bad_values_are_refused_with_the_reason() {
        assert_eq!(Subnets::parse("10.0.0.0/33"), Err(SubnetError::Prefix("10.0.0.0/33".into(), 32)));
        assert_eq!(Subnets::parse("mgmt-net"), Err(SubnetError::Syntax("mgmt-net".into())));
        assert_eq!(Subnets::parse("10.0.0.0/x"), Err(SubnetError::Syntax("10.0.0.0/x".into())));
        assert_eq!(Subnets::parse(" , "), Err(SubnetError::Empty));
        assert!(matches!(Subnets::parse("0.0.0.0/0,::/0"), Err(SubnetError::Everything(_))));
        // All of IPv4 alone still leaves IPv6 to block.
        assert_eq!(Subnets::parse("0.0.0.0/0").unwrap().outside(), ALL_V6);
    }
}
