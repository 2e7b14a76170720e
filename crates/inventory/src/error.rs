use std::fmt;

/// A file could not be read as the format it claims or was taken for.
///
/// Displays as `file:line: expected ...`, the form every bad-input message
/// of w2k8 takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The file, as named inside the bundle (or as given on the command line).
    pub file: String,
    /// The 1-based line where reading went wrong, when there is one.
    pub line: Option<u32>,
    /// What was expected there, e.g. "a systeminfo label such as `Host Name:`".
    pub expected: String,
}

impl ParseError {
    /// An error at `file:line`.
    pub fn new(file: impl Into<String>, line: Option<u32>, expected: impl Into<String>) -> ParseError {
        ParseError { file: file.into(), line, expected: expected.into() }
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

/// Everything that can go wrong loading a host bundle.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// A file's content is not what it should be.
    Parse(ParseError),
    /// A file or folder could not be read at all.
    Io {
        /// The path.
        path: String,
        /// The cause (part of the message).
        source: std::io::Error,
    },
    /// A `.zip` bundle is corrupt, or holds something refused (a zip bomb,
    /// a path escaping the bundle).
    Zip {
        /// The archive.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The bundle holds no file w2k8 recognises.
    NothingRecognised {
        /// The bundle.
        path: String,
        /// The files looked at.
        looked_at: Vec<String>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Parse(e) => e.fmt(f),
            Error::Io { path, source } => write!(f, "{path}: {source}"),
            Error::Zip { path, message } => write!(f, "{path}: {message}"),
            Error::NothingRecognised { path, looked_at } => {
                write!(f, "{path}: expected a systeminfo, wmic or reg query output, found none")?;
                if !looked_at.is_empty() {
                    write!(f, " (looked at {})", looked_at.join(", "))?;
                }
                Ok(())
            }
        }
    }
}

/// The message already says the cause (`path: cause`, `file:line: expected
/// ...`): no separate source, which would print it twice.
impl std::error::Error for Error {}

impl From<ParseError> for Error {
    fn from(e: ParseError) -> Error {
        Error::Parse(e)
    }
}
