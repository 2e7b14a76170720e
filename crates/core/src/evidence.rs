use serde::{Deserialize, Serialize};

/// Where a fact was read: the file (as named inside the bundle) and the
/// 1-based line, when the format has lines.
///
/// Serialized as `{fact, file, line}`, the shape of the JSON contract's
/// `evidence` list.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// What this evidence supports, e.g. `build` or `hotfix KB4493471`.
    pub fact: String,
    /// The file it was read from, relative to the bundle root.
    pub file: String,
    /// The 1-based line in that file, if any.
    pub line: Option<u32>,
}

impl Evidence {
    /// Evidence for `fact` at `file:line`.
    pub fn new(fact: impl Into<String>, file: impl Into<String>, line: Option<u32>) -> Evidence {
        Evidence { fact: fact.into(), file: file.into(), line }
    }

    /// `file:line` (or just `file`), for messages.
    pub fn location(&self) -> String {
        match self.line {
            Some(l) => format!("{}:{}", self.file, l),
            None => self.file.clone(),
        }
    }
}

/// A value together with the evidence it was read from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observed<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub evidence: Evidence,
}

impl<T> Observed<T> {
    /// `value`, seen at `evidence`.
    pub fn new(value: T, evidence: Evidence) -> Observed<T> {
        Observed { value, evidence }
    }

    /// The same evidence with another value.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Observed<U> {
        Observed { value: f(self.value), evidence: self.evidence }
    }
}
