//! Placeholder: being written. Reads a host bundle (folder, .zip or single file).
use crate::{Error, Host};
use std::path::Path;

/// Options for [`load`].
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Force this encoding for every text file instead of detecting it.
    pub encoding: Option<crate::TextEncoding>,
}

/// Loads a host bundle.
pub fn load(path: &Path, _opts: &LoadOptions) -> Result<Host, Error> {
    Err(Error::NothingRecognised { path: path.display().to_string(), looked_at: vec![] })
}
