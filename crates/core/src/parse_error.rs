//! [`ParseError`]: an input that is not what it should be, pointing into
//! it. The one error of w2k8's input parsers: the bundle formats
//! (`w2k8-inventory`) and the logs (`w2k8-diagnose`).
use std::fmt;

/// An input file that is not what it should be: `file:line: expected ...`
/// (or `file: expected ...` when no one line is at fault).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file, as named inside the bundle or as given on the command line.
    pub file: String,
    /// The 1-based line at fault, when there is one.
    pub line: Option<u64>,
    /// What was expected there, e.g. "a systeminfo label such as `Host Name:`".
    pub expected: String,
}

impl ParseError {
    /// An error in `file` at `line` when there is one.
    pub fn new(file: impl Into<String>, line: Option<impl Into<u64>>, expected: impl Into<String>) -> ParseError {
        ParseError { file: file.into(), line: line.map(Into::into), expected: expected.into() }
    }

    /// An error at `file:line`.
    pub fn at(file: &str, line: u64, expected: &str) -> ParseError {
        ParseError { file: file.to_string(), line: Some(line), expected: expected.to_string() }
    }

    /// An error about the whole of `file` (empty, binary, of no known form).
    pub fn whole(file: impl Into<String>, expected: impl Into<String>) -> ParseError {
        ParseError { file: file.into(), line: None, expected: expected.into() }
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: expected {}", self.file, l, self.expected),
            None => write!(f, "{}: expected {}", self.file, self.expected),
        }
    }
}

impl std::error::Error for ParseError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_into_the_input() {
        assert_eq!(ParseError::at("CBS.log", 12, "a CBS line").to_string(), "CBS.log:12: expected a CBS line");
        assert_eq!(ParseError::new("qfe.txt", Some(3u32), "a KB").to_string(), "qfe.txt:3: expected a KB");
        assert_eq!(ParseError::whole("x.bin", "text").to_string(), "x.bin: expected text");
    }
}
