//! Placeholder: being written. Finds a file's text encoding and decodes it.
use crate::ParseError;

/// An encoding a user may force with `--encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TextEncoding {
    /// UTF-8.
    Utf8,
}

/// Decoded text and the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with any BOM removed.
    pub text: String,
    /// The encoding's name as w2k8 reports it.
    pub encoding: String,
}

/// Decodes `bytes` read from `file`.
pub fn decode(bytes: &[u8], file: &str, _forced: Option<TextEncoding>) -> Result<Decoded, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(t) => Ok(Decoded { text: t.trim_start_matches('\u{feff}').to_string(), encoding: "UTF-8".into() }),
        Err(_) => Err(ParseError::new(file, None, "text")),
    }
}
