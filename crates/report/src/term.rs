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

/// `text` with every line longer than `term`'s width wrapped at spaces (no
/// width: unchanged). The first part of a line keeps its spacing (aligned
/// columns stay aligned); the rest hangs under the line's value: the indent
/// of the next line when that is deeper (a continuation), else after a
/// `- ` bullet or a `label  ` gap, else two spaces in. A word longer than
/// the width (a URL) is never split.
pub fn reflow(text: &str, term: &Term) -> String {
    let Some(w) = term.width() else { return text.to_string() };
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.chars().count() <= w {
            out.push_str(line);
            continue;
        }
        let lead = indent_of(line);
        let next = lines.get(i + 1).filter(|l| !l.trim().is_empty()).map(|l| indent_of(l));
        let hang = match next {
            Some(n) if n > lead + 2 && n < w / 2 => n,
            _ => {
                let body: String = line.chars().skip(lead).collect();
                if body.starts_with("- ") {
                    lead + 2
                } else {
                    label_gap(&body).map(|g| lead + g).filter(|&g| g < w / 2).unwrap_or(lead + 2)
                }
            }
        };
        // The last space at or before the width, after the indent.
        let chars: Vec<char> = line.chars().collect();
        let cut = (lead + 1..=w.min(chars.len().saturating_sub(1)))
            .rev()
            .find(|&k| chars.get(k) == Some(&' ') && chars.get(k - 1).is_some_and(|c| *c != ' '));
        let Some(cut) = cut else {
            out.push_str(line);
            continue;
        };
        let first: String = chars.iter().take(cut).collect();
        let rest: String = chars.iter().skip(cut).collect();
        out.push_str(first.trim_end());
        let pad = " ".repeat(hang);
        for l in crate::wrap(rest.trim(), w.saturating_sub(hang).max(20)).split('\n') {
            out.push('\n');
            out.push_str(&pad);
            out.push_str(l);
        }
    }
    out
}

fn indent_of(line: &str) -> usize {
    line.chars().take_while(|c| *c == ' ').count()
}

/// Where the value of `label  value` starts (a gap of two spaces or more
/// within the first 30 characters), if the line has that shape.
fn label_gap(body: &str) -> Option<usize> {
    let chars: Vec<char> = body.chars().take(32).collect();
    let gap =
        (1..chars.len().saturating_sub(1)).find(|&k| chars.get(k) == Some(&' ') && chars.get(k + 1) == Some(&' '))?;
    let start = (gap..chars.len()).find(|&k| chars.get(k) != Some(&' '))?;
    (start <= 30).then_some(start)
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
    fn reflow_wraps_long_lines_under_their_value() {
        let t = Term { width: Some(40), ..Term::plain() };
        let text = "Host:        SRV-LEGACY01: Windows Server 2008 SP2 Enterprise\n  - a bullet that is long enough to wrap around once\nshort\n";
        assert_eq!(
            reflow(text, &t),
            "Host:        SRV-LEGACY01: Windows\n             Server 2008 SP2 Enterprise\n  - a bullet that is long enough to wrap\n    around once\nshort\n"
        );
        let table = "   1  KB4493730  ssu  2019-04-09  Servicing Stack Update for Windows\n        continued\n";
        assert_eq!(
            reflow(table, &t),
            "   1  KB4493730  ssu  2019-04-09\n        Servicing Stack Update for\n        Windows\n        continued\n"
        );
        assert_eq!(reflow(text, &Term::plain()), text);
        let url = "see https://example.invalid/a/very/long/path/that/does/not/fit/in/forty";
        assert_eq!(reflow(url, &t), "see\n  https://example.invalid/a/very/long/path/that/does/not/fit/in/forty");
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
