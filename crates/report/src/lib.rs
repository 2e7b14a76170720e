//! One writer per output format over w2k8's result models.
//!
//! The models (`Standing`, catalog records) derive `Serialize`, so JSON is
//! their serde form; this crate adds the readable text forms an
//! administrator reads in a console, each line with the evidence
//! (`file:line`) behind it.
#![deny(missing_docs)]

pub mod accepted;
pub mod assessment;
pub mod catalog;
pub mod catalog_diff;
pub mod catalog_info;
pub mod csv;
pub mod diagnose;
pub mod fleet;
pub mod openvex;
pub mod plan;
pub mod pretty_json;
pub mod sarif;
pub mod script;
pub mod sources;
pub mod standing;
pub mod tabular;
pub mod term;
pub mod versioned;

use serde::Serialize;

/// Pretty JSON of any result model, with a trailing newline.
pub fn json<T: Serialize>(value: &T) -> String {
    let mut s = pretty_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// A two-column text block: label, value, and an evidence location on the right.
pub(crate) struct Block {
    out: String,
}

impl Block {
    pub(crate) fn new() -> Block {
        Block { out: String::new() }
    }

    /// `label  value  [where]`; continuation lines of `value` are indented.
    pub(crate) fn row(&mut self, label: &str, value: &str, at: Option<String>) {
        let mut lines = value.lines();
        let first = lines.next().unwrap_or("");
        let head = format!("  {label:<17}{first}");
        match at {
            Some(at) if !at.is_empty() => {
                let width = head.chars().count();
                let pad = if width < 70 { 70 - width } else { 2 };
                self.out.push_str(&format!("{head}{:pad$}[{at}]\n", ""));
            }
            _ => {
                self.out.push_str(&head);
                self.out.push('\n');
            }
        }
        for l in lines {
            self.out.push_str(&format!("  {:<17}{l}\n", ""));
        }
    }

    pub(crate) fn line(&mut self, text: &str) {
        self.out.push_str(text);
        self.out.push('\n');
    }

    pub(crate) fn finish(self) -> String {
        self.out
    }
}

/// The texts of `items` joined by `sep` (lists of typed ids: CVEs, KBs).
pub(crate) fn joined<T: std::fmt::Display>(items: impl IntoIterator<Item = T>, sep: &str) -> String {
    let mut out = String::new();
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(&item.to_string());
    }
    out
}

/// Wraps `text` at `width` characters on word boundaries.
pub(crate) fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut len = 0;
    for word in text.split_whitespace() {
        let w = word.chars().count();
        if len > 0 && len + 1 + w > width {
            out.push('\n');
            len = 0;
        } else if len > 0 {
            out.push(' ');
            len += 1;
        }
        out.push_str(word);
        len += w;
    }
    out
}
