//! Placeholder: being written.
use crate::{Facts, ParseError};

/// Whether `text` looks like this format.
pub fn sniff(_text: &str) -> bool {
    false
}

/// Parses `text` read from `file`.
pub fn parse(_text: &str, file: &str) -> Result<Facts, ParseError> {
    Err(ParseError::new(file, None, "a supported format (hotfix_ps is not implemented yet)"))
}
