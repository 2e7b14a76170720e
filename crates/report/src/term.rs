//! How the text writers fit the console: the width to wrap tables at, whether
//! to colour severities, and how much to say (`-q`, `-v`). The CLI decides
//! ([`Term`] from `--width`, `--color`, `NO_COLOR`, `-q`/`-v`); the writers
//! only follow it. Colour codes come from [`Paint`] alone, and are added
//! after a cell's text was escaped: nothing read from a bundle can reach the
//! terminal as an escape sequence.
use anstyle::{AnsiColor, Effects, Style};

/// How much a text writer says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// `-q`: the essentials only (each command's summary lines).
    Quiet,
    /// The default.
    #[default]
    Normal,
    /// `-v`: every row, no "... and N more".
    Verbose,
}

/// The console a text writer writes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Term {
    /// The width to fit tables and paragraphs into; `None`: no limit (each
    /// table row on one line, nothing wrapped).
    pub width: Option<usize>,
    /// Colour severities and KEV cells.
    pub color: bool,
    /// How much to say.
    pub verbosity: Verbosity,
}

/// The narrowest width the writers fit into; a smaller `--width` counts as this.
pub const MIN_WIDTH: usize = 40;

impl Term {
    /// No width limit, no colour, the default amount: what the writers' plain
    /// `text` functions give.
    pub fn plain() -> Term {
        Term::default()
    }

    /// The width, never below [`MIN_WIDTH`].
    pub fn width(&self) -> Option<usize> {
        self.width.map(|w| w.max(MIN_WIDTH))
    }

    /// The width a paragraph indented by `indent` wraps at: `default`
    /// without a width, else no more than what is left of the width.
    pub fn para(&self, indent: usize, default: usize) -> usize {
        match self.width() {
            Some(w) => default.min(w.saturating_sub(indent)).max(20),
            None => default,
        }
    }

    /// `-q`.
    pub fn quiet(&self) -> bool {
        self.verbosity == Verbosity::Quiet
    }

    /// `-v`.
    pub fn verbose(&self) -> bool {
        self.verbosity == Verbosity::Verbose
    }

    /// `text` in the colour of `paint` when colour is on; unchanged otherwise.
    /// `text` must already be escaped (it is shown as it is).
    pub fn paint(&self, paint: Option<Paint>, text: &str) -> String {
        match paint {
            Some(p) if self.color && !text.is_empty() => {
                let s = p.style();
                format!("{}{text}{}", s.render(), s.render_reset())
            }
            _ => text.to_string(),
        }
    }
}

/// The colours of the text writers: by severity, and KEV highlighted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paint {
    /// MSRC Critical: red, bold.
    Critical,
    /// MSRC Important: yellow.
    Important,
    /// In CISA KEV: magenta, bold.
    Kev,
    /// In CISA KEV with known ransomware use: red on bold, reversed.
    Ransomware,
}

impl Paint {
    fn style(self) -> Style {
        match self {
            Paint::Critical => Style::new().fg_color(Some(AnsiColor::Red.into())).effects(Effects::BOLD),
            Paint::Important => Style::new().fg_color(Some(AnsiColor::Yellow.into())),
            Paint::Kev => Style::new().fg_color(Some(AnsiColor::Magenta.into())).effects(Effects::BOLD),
            Paint::Ransomware => {
                Style::new().fg_color(Some(AnsiColor::Red.into())).effects(Effects::BOLD | Effects::INVERT)
            }
        }
    }

    /// The paint of an MSRC severity: critical and important only.
    pub fn of_severity(s: Option<w2k8_catalog::Severity>) -> Option<Paint> {
        match s {
            Some(w2k8_catalog::Severity::Critical) => Some(Paint::Critical),
            Some(w2k8_catalog::Severity::Important) => Some(Paint::Important),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paint_only_when_colour_is_on() {
        let plain = Term::plain();
        assert_eq!(plain.paint(Some(Paint::Critical), "critical"), "critical");
        let c = Term { color: true, ..Term::plain() };
        assert_eq!(c.paint(Some(Paint::Critical), "critical"), "\u{1b}[1m\u{1b}[31mcritical\u{1b}[0m");
        assert_eq!(c.paint(None, "low"), "low");
        assert_eq!(c.paint(Some(Paint::Kev), ""), "");
    }

    #[test]
    fn para_fits_the_width() {
        assert_eq!(Term::plain().para(19, 90), 90);
        let t = Term { width: Some(80), ..Term::plain() };
        assert_eq!(t.para(19, 90), 61);
        let narrow = Term { width: Some(10), ..Term::plain() };
        assert_eq!(narrow.width(), Some(MIN_WIDTH));
    }
}
