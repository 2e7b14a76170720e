//! Query strings: every parameter is checked (known name, given once unless
//! repeatable, value of the expected kind), and a bad one is a 400 whose
//! message names the parameter and what was expected.
use super::error::ApiError;

/// The parsed query string of one request.
#[derive(Debug, Default)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parses `query` (None: no query string) and refuses parameters not in
    /// `known`.
    pub fn parse(query: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = match query {
            None => Vec::new(),
            Some(q) => serde_urlencoded::from_str(q)
                .map_err(|e| ApiError::bad_request(format!("query string: expected name=value pairs ({e})")))?,
        };
        for (k, _) in &pairs {
            if !known.contains(&k.as_str()) {
                let expected = if known.is_empty() {
                    "this route takes no parameters".to_string()
                } else {
                    format!("expected one of {}", known.join(", "))
                };
                return Err(ApiError::bad_request(format!("unknown query parameter `{k}`: {expected}")));
            }
        }
        Ok(Params { pairs })
    }

    /// Every value of a repeatable parameter, in order.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.pairs.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
    }

    /// The value of a parameter given at most once.
    pub fn one(&self, name: &str) -> Result<Option<&str>, ApiError> {
        match self.all(name).as_slice() {
            [] => Ok(None),
            [v] => Ok(Some(v)),
            _ => {
                Err(ApiError::bad_request(format!("query parameter `{name}`: expected it once, got it several times")))
            }
        }
    }

    /// A non-empty text parameter (an empty value counts as absent).
    pub fn text(&self, name: &str) -> Result<Option<&str>, ApiError> {
        Ok(self.one(name)?.filter(|v| !v.is_empty()))
    }

    /// An integer from 0 to `max`, `default` when absent.
    pub fn number(&self, name: &str, default: usize, max: usize) -> Result<usize, ApiError> {
        match self.one(name)? {
            None => Ok(default),
            Some(v) => v.parse::<usize>().ok().filter(|n| *n <= max).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "query parameter `{name}`: expected an integer from 0 to {max}, got '{v}'"
                ))
            }),
        }
    }

    /// `true` or `false`; None when absent.
    pub fn boolean(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some("true") => Ok(Some(true)),
            Some("false") => Ok(Some(false)),
            Some(v) => {
                Err(ApiError::bad_request(format!("query parameter `{name}`: expected true or false, got '{v}'")))
            }
        }
    }

    /// One of `choices`, `default` when absent.
    pub fn choice<'a>(&self, name: &str, choices: &[&'a str], default: &'a str) -> Result<&'a str, ApiError> {
        match self.one(name)? {
            None => Ok(default),
            Some(v) => choices.iter().find(|c| **c == v).copied().ok_or_else(|| {
                ApiError::bad_request(format!(
                    "query parameter `{name}`: expected one of {}, got '{v}'",
                    choices.join(", ")
                ))
            }),
        }
    }
}

/// Limit and offset of a page: `limit` 0..=1000 (default 50), `offset` any.
pub fn page(p: &Params) -> Result<(usize, usize), ApiError> {
    let limit = p.number("limit", 50, 1000)?;
    let offset = p.number("offset", 0, usize::MAX)?;
    Ok((limit, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(r: Result<impl std::fmt::Debug, ApiError>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.status.as_u16(), 400);
        e.message
    }

    #[test]
    fn parameters_are_checked() {
        let p = Params::parse(Some("q=srv%2D0&filter=kev%3E0&filter=build=6002&limit=10"), &["q", "filter", "limit"])
            .unwrap();
        assert_eq!(p.text("q").unwrap(), Some("srv-0"));
        assert_eq!(p.all("filter"), vec!["kev>0", "build=6002"]);
        assert_eq!(p.number("limit", 50, 1000).unwrap(), 10);
        assert_eq!(p.number("offset", 7, 1000).unwrap(), 7);
        assert_eq!(err(p.one("filter")), "query parameter `filter`: expected it once, got it several times");

        assert_eq!(
            err(Params::parse(Some("x=1"), &["q", "limit"])),
            "unknown query parameter `x`: expected one of q, limit"
        );
        assert_eq!(err(Params::parse(Some("x=1"), &[])), "unknown query parameter `x`: this route takes no parameters");
        let p =
            Params::parse(Some("limit=1001&offset=-1&kev=yes&order=up"), &["limit", "offset", "kev", "order"]).unwrap();
        assert_eq!(
            err(p.number("limit", 50, 1000)),
            "query parameter `limit`: expected an integer from 0 to 1000, got '1001'"
        );
        assert!(err(page(&p)).contains("`limit`"));
        assert_eq!(err(p.boolean("kev")), "query parameter `kev`: expected true or false, got 'yes'");
        assert_eq!(
            err(p.choice("order", &["asc", "desc"], "asc")),
            "query parameter `order`: expected one of asc, desc, got 'up'"
        );
        let p = Params::parse(None, &[]).unwrap();
        assert_eq!(page(&p).unwrap(), (50, 0));
        assert_eq!(p.boolean("kev").unwrap(), None);
    }
}
