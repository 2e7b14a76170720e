//! Every JSON answer of the `w2k8` command names its form and its data
//! (issue 19): `schema_version` (this file's [`SCHEMA_VERSION`], raised when
//! a field changes meaning or goes away; added fields keep it),
//! `w2k8_version` and `catalog` (the dates of the data the answer was made
//! from) come first, beside the answer's own fields, which stay where they
//! are. An answer that is a list is an object with the list under a named
//! key ([`Listed`]).
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The version of the JSON forms `w2k8` prints.
pub const SCHEMA_VERSION: u32 = 2;

/// The dates of the embedded data, and how old the data in effect is.
#[derive(Debug, Clone, Serialize)]
pub struct CatalogStamp {
    /// MSRC rows (the WES-NG definitions date), `YYYY-MM-DD`.
    pub msrc: String,
    /// The CISA KEV catalog version, e.g. `2025.08.25`.
    pub kev: String,
    /// When the servicing table was compiled, `YYYY-MM-DD`.
    pub servicing: String,
    /// Age in days, today, of the KEV data in effect (an import counts).
    pub kev_age_days: i64,
    /// Age in days, today, of the MSRC data in effect.
    pub msrc_age_days: i64,
    /// What is stale and how to refresh it (KEV over 30 days, MSRC over 45).
    pub warnings: Vec<String>,
}

impl CatalogStamp {
    /// The embedded catalog's dates, with the age of the catalog in effect
    /// (the embedded one with the user's imports) today.
    pub fn embedded() -> CatalogStamp {
        let v = w2k8_catalog::data_version();
        let catalog = w2k8_catalog::Catalog::current().unwrap_or_else(|_| w2k8_catalog::Catalog::embedded());
        let f = catalog.freshness(w2k8_core::Date::today_utc());
        CatalogStamp {
            msrc: v.msrc.to_string(),
            kev: v.kev.to_string(),
            servicing: v.servicing.to_string(),
            kev_age_days: f.kev_age_days,
            msrc_age_days: f.msrc_age_days,
            warnings: f.warnings,
        }
    }
}

/// An answer object with the three keys before its own fields.
#[derive(Serialize)]
pub struct Versioned<'a, T: Serialize + ?Sized> {
    /// [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// This build's version.
    pub w2k8_version: &'static str,
    /// The data's dates (None when the answer has its own `catalog` field,
    /// as the fleet report does).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog: Option<CatalogStamp>,
    /// The answer.
    #[serde(flatten)]
    pub body: &'a T,
}

/// `body` with the three keys.
pub fn versioned<T: Serialize + ?Sized>(body: &T) -> Versioned<'_, T> {
    Versioned {
        schema_version: SCHEMA_VERSION,
        w2k8_version: env!("CARGO_PKG_VERSION"),
        catalog: Some(CatalogStamp::embedded()),
        body,
    }
}

/// The fleet report with the version keys: it has its own `catalog` field
/// (the data versions as text), kept where it is.
pub fn fleet_report(body: &w2k8_fleet::FleetReport) -> Versioned<'_, w2k8_fleet::FleetReport> {
    Versioned { catalog: None, ..versioned(body) }
}

/// A list answer: the three keys, then the list under `key`.
pub struct Listed<'a, T: Serialize> {
    /// The name of the list, e.g. `hosts`.
    pub key: &'static str,
    /// The list.
    pub items: &'a [T],
}

impl<T: Serialize> Serialize for Listed<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("schema_version", &SCHEMA_VERSION)?;
        m.serialize_entry("w2k8_version", env!("CARGO_PKG_VERSION"))?;
        m.serialize_entry("catalog", &CatalogStamp::embedded())?;
        m.serialize_entry(self.key, self.items)?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct A {
        missing: u32,
    }

    #[test]
    fn keys_come_first_and_fields_stay() {
        let v: serde_json::Value = serde_json::to_value(versioned(&A { missing: 3 })).unwrap_or_default();
        assert_eq!(v["schema_version"], SCHEMA_VERSION);
        assert_eq!(v["missing"], 3);
        assert!(v["catalog"]["kev"].is_string());
        let text = serde_json::to_string(&versioned(&A { missing: 3 })).unwrap_or_default();
        assert!(text.starts_with("{\"schema_version\":"), "{text}");
        let l = serde_json::to_value(Listed { key: "hosts", items: &[1, 2] }).unwrap_or_default();
        assert_eq!(l["hosts"], serde_json::json!([1, 2]));
        assert_eq!(l["w2k8_version"], env!("CARGO_PKG_VERSION"));
    }
}
