//! Unit tests of the systeminfo parser's pieces.
use super::*;

#[test]
fn version_lines() {
    let v = VersionLine::parse("6.0.6002 Service Pack 2 Build 6002").unwrap();
    assert_eq!(
        (v.version.as_str(), v.build, v.service_pack.as_deref(), v.service_pack_number),
        ("6.0.6002", Some(6002), Some("Service Pack 2"), 2)
    );
}
