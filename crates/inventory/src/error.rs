use std::fmt;

/// A file could not be read as the format it claims or was taken for (the
/// one input error of w2k8, shared with `w2k8-diagnose`).
pub use w2k8_core::ParseError;

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
