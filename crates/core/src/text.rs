//! Values from a bundle made safe to show on a terminal.
//!
//! A host name, a file or folder name, a line of a log: all come from the
//! machine being assessed or from whoever built the bundle, and may hold
//! control characters. Printed raw, `ESC ] 0 ; ... BEL` retitles the
//! terminal, `ESC [ 2 J` clears it, a carriage return or a newline forges
//! a line of the report, and a right-to-left override reorders what is
//! read. Every text writer passes such values through [`escape_line`] (a
//! value on one line) or [`escape_text`] (a rendered block whose own line
//! breaks stay). Escapes are shown, never dropped: `\x1B`, `\x0A`, `\u{202E}`.
use std::borrow::Cow;
use std::fmt::Write;

/// Whether `c` must not reach a terminal as it is: the C0 controls (U+0000
/// to U+001F, tab and line feed included), DEL (U+007F), the C1 controls
/// (U+0080 to U+009F, a one-character CSI among them), and the Unicode
/// bidirectional formatting characters (U+061C, U+200E, U+200F, U+202A to
/// U+202E, U+2066 to U+2069).
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escape(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if !is_unsafe(c) || keep(c) {
            out.push(c);
        } else if u32::from(c) <= 0xFF {
            let _ = write!(out, "\\x{:02X}", u32::from(c));
        } else {
            let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
        }
    }
    Cow::Owned(out)
}

/// `s` as one line: every unsafe character ([`is_unsafe`]), line breaks
/// and tabs included, written as an escape (`\x1B`, `\x0A`, `\u{202E}`).
pub fn escape_line(s: &str) -> Cow<'_, str> {
    escape(s, |_| false)
}

/// `s` with its line breaks (`\n`) and tabs kept and every other unsafe
/// character escaped as by [`escape_line`]: for a rendered report, whose
/// own lines are meant (a log line quoted in it keeps its tabs), after its
/// single-line values went through [`escape_line`].
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape(s, |c| c == '\n' || c == '\t')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert!(matches!(escape_line("SRV-01 ünïcödé"), Cow::Borrowed(_)));
        assert_eq!(escape_line("EVIL\u{1b}]0;pwned\u{7}\u{1b}[2J"), "EVIL\\x1B]0;pwned\\x07\\x1B[2J");
        assert_eq!(escape_line("a\nb\r\tc\u{7f}\u{9b}"), "a\\x0Ab\\x0D\\x09c\\x7F\\x9B");
        assert_eq!(escape_line("abc\u{202e}fdp.exe"), "abc\\u{202E}fdp.exe");
        assert_eq!(escape_text("line 1\tx\nEVIL\u{1b}[2J\r\n"), "line 1\tx\nEVIL\\x1B[2J\\x0D\n");
    }
}
