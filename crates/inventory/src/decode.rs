//! Finds a file's text encoding and decodes it.
//!
//! What administrators hand over was written by `cmd.exe` redirection (the
//! console's OEM code page: 437 for en-US, 850 for Western Europe, 852 for
//! Central Europe, 866 for Russian, 932 for Japanese, 936 for Simplified
//! Chinese, 950 for Traditional Chinese), by PowerShell redirection (UTF-16LE with a BOM), or re-encoded
//! along the way (UTF-8 with or without BOM, the ANSI code pages 1250-1252).
//! [`decode`] recognises each of these:
//!
//! 1. a BOM (UTF-8, UTF-16LE, UTF-16BE) decides;
//! 2. UTF-16 without a BOM shows as NUL bytes at every other position;
//! 3. any other NUL byte means the file is binary;
//! 4. valid UTF-8 is UTF-8;
//! 5. otherwise every candidate code page is scored by how plausible its
//!    decoding is (accented or Cyrillic letters inside words score, box
//!    drawing and symbols inside words cost; for 932, 936 and 950 the text
//!    must decode without error and runs of common CJK characters score) and
//!    the best wins.
//!
//! The text is returned as decoded, BOM removed, line ends untouched.
use crate::ParseError;
use std::fmt;
use std::str::FromStr;

/// An encoding a user may force with `--encoding`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextEncoding {
    /// UTF-8 (a BOM, if present, is removed).
    Utf8,
    /// UTF-16 little-endian (what PowerShell's `>` writes, with a BOM).
    Utf16Le,
    /// UTF-16 big-endian.
    Utf16Be,
    /// OEM code page 437 (US English console).
    Cp437,
    /// OEM code page 850 (Western European console: fr, de, es, it, pt, nl).
    Cp850,
    /// OEM code page 852 (Central European console: pl, cs, hu, ...).
    Cp852,
    /// OEM code page 866 (Russian console).
    Cp866,
    /// Code page 932, Shift_JIS (Japanese console).
    Cp932,
    /// Code page 936, GBK (Simplified Chinese console).
    Cp936,
    /// Code page 950, Big5 (Traditional Chinese console).
    Cp950,
    /// ANSI code page 1250 (Central European).
    Cp1250,
    /// ANSI code page 1251 (Cyrillic).
    Cp1251,
    /// ANSI code page 1252 (Western European).
    Cp1252,
}

impl TextEncoding {
    /// Every encoding, in the order their names are listed to users.
    pub const ALL: [TextEncoding; 13] = [
        TextEncoding::Utf8,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Cp437,
        TextEncoding::Cp850,
        TextEncoding::Cp852,
        TextEncoding::Cp866,
        TextEncoding::Cp932,
        TextEncoding::Cp936,
        TextEncoding::Cp950,
        TextEncoding::Cp1250,
        TextEncoding::Cp1251,
        TextEncoding::Cp1252,
    ];

    /// The name w2k8 prints and accepts: `utf-8`, `utf-16le`, `cp850`, ...
    pub fn name(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Cp437 => "cp437",
            TextEncoding::Cp850 => "cp850",
            TextEncoding::Cp852 => "cp852",
            TextEncoding::Cp866 => "cp866",
            TextEncoding::Cp932 => "cp932",
            TextEncoding::Cp936 => "cp936",
            TextEncoding::Cp950 => "cp950",
            TextEncoding::Cp1250 => "cp1250",
            TextEncoding::Cp1251 => "cp1251",
            TextEncoding::Cp1252 => "cp1252",
        }
    }

    /// Other names accepted by [`FromStr`] (compared case-insensitively).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            TextEncoding::Utf8 => &["utf8"],
            TextEncoding::Utf16Le => &["utf16le", "utf-16", "utf16", "unicode"],
            TextEncoding::Utf16Be => &["utf16be"],
            TextEncoding::Cp437 => &["437", "ibm437", "oem437"],
            TextEncoding::Cp850 => &["850", "ibm850", "oem850"],
            TextEncoding::Cp852 => &["852", "ibm852", "oem852"],
            TextEncoding::Cp866 => &["866", "ibm866", "oem866"],
            TextEncoding::Cp932 => &["932", "shift_jis", "shift-jis", "sjis", "windows-31j"],
            TextEncoding::Cp936 => &["936", "gbk", "gb2312"],
            TextEncoding::Cp950 => &["950", "big5"],
            TextEncoding::Cp1250 => &["1250", "windows-1250"],
            TextEncoding::Cp1251 => &["1251", "windows-1251"],
            TextEncoding::Cp1252 => &["1252", "windows-1252", "latin1"],
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An encoding name [`TextEncoding::from_str`] does not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownEncoding {
    /// The name given.
    pub given: String,
}

impl fmt::Display for UnknownEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown encoding `{}`: expected one of ", self.given)?;
        for (i, e) in TextEncoding::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(e.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownEncoding {}

impl FromStr for TextEncoding {
    type Err = UnknownEncoding;

    fn from_str(s: &str) -> Result<TextEncoding, UnknownEncoding> {
        let wanted = s.trim().to_ascii_lowercase();
        TextEncoding::ALL
            .into_iter()
            .find(|e| e.name() == wanted || e.aliases().contains(&wanted.as_str()))
            .ok_or_else(|| UnknownEncoding { given: s.to_string() })
    }
}

/// Decoded text and the encoding it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with any BOM removed.
    pub text: String,
    /// The encoding's name as w2k8 reports it: `UTF-16LE (BOM)`, `UTF-8`,
    /// `cp850`, ..., with ` (forced)` when the user chose it.
    pub encoding: String,
}

/// What a file that is not text is told.
const EXPECTED_TEXT: &str = "text output such as systeminfo; this file looks binary";

/// How many bytes the code page scoring looks at (the verdict is the same
/// for the rest of a file; this keeps huge inputs linear and quick).
const SCORE_SAMPLE: usize = 1 << 20;

/// Decodes `bytes` read from `file`, with the encoding `forced` by the user
/// or, without one, the encoding recognised as described in the module
/// documentation.
///
/// Errors (with no line number): an empty file ("a non-empty file"), and
/// binary input, i.e. NUL bytes in what is not UTF-16 or more than 2%
/// control characters ("text output such as systeminfo; this file looks
/// binary"). Never panics, whatever the bytes.
pub fn decode(bytes: &[u8], file: &str, forced: Option<TextEncoding>) -> Result<Decoded, ParseError> {
    if bytes.is_empty() {
        return Err(ParseError::whole(file, "a non-empty file"));
    }
    let (text, encoding) = match forced {
        Some(enc) => (decode_as(enc, bytes), format!("{} (forced)", enc.name())),
        None => detect(bytes).ok_or_else(|| ParseError::whole(file, EXPECTED_TEXT))?,
    };
    if looks_binary(&text) {
        return Err(ParseError::whole(file, EXPECTED_TEXT));
    }
    Ok(Decoded { text, encoding })
}

/// Recognises the encoding; `None` for binary input.
fn detect(bytes: &[u8]) -> Option<(String, String)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return Some((String::from_utf8_lossy(rest).into_owned(), "UTF-8 (BOM)".into()));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return Some((utf16(rest, false), "UTF-16LE (BOM)".into()));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return Some((utf16(rest, true), "UTF-16BE (BOM)".into()));
    }
    match utf16_without_bom(bytes) {
        Some(false) => return Some((utf16(bytes, false), "UTF-16LE".into())),
        Some(true) => return Some((utf16(bytes, true), "UTF-16BE".into())),
        None => {}
    }
    if bytes.contains(&0) {
        return None;
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return Some((t.to_string(), "UTF-8".into()));
    }
    let enc = guess_code_page(bytes);
    Some((decode_as(enc, bytes), enc.name().to_string()))
}

/// `Some(big_endian)` when the first bytes look like UTF-16 text without a
/// BOM: most of one byte of each pair NUL (ASCII text), almost none of the other.
fn utf16_without_bom(bytes: &[u8]) -> Option<bool> {
    let sample = bytes.get(..bytes.len().min(4096) & !1).unwrap_or(bytes);
    let pairs = sample.len() / 2;
    if pairs == 0 {
        return None;
    }
    let even_zero = sample.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd_zero = sample.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd_zero * 10 >= pairs * 4 && even_zero * 10 < pairs {
        Some(false)
    } else if even_zero * 10 >= pairs * 4 && odd_zero * 10 < pairs {
        Some(true)
    } else {
        None
    }
}

/// Decodes UTF-16 (BOM already removed if there was one); unpaired
/// surrogates and an odd last byte become U+FFFD.
fn utf16(bytes: &[u8], big_endian: bool) -> String {
    let units = bytes.chunks_exact(2).map(|p| match p {
        [a, b] if big_endian => u16::from_be_bytes([*a, *b]),
        [a, b] => u16::from_le_bytes([*a, *b]),
        _ => 0xFFFD,
    });
    let mut s: String = char::decode_utf16(units).map(|r| r.unwrap_or('\u{FFFD}')).collect();
    if bytes.len() % 2 == 1 {
        s.push('\u{FFFD}');
    }
    s
}

/// Decodes `bytes` as `enc`, replacing what does not decode; a BOM of the
/// same encoding is removed.
fn decode_as(enc: TextEncoding, bytes: &[u8]) -> String {
    match enc {
        TextEncoding::Utf8 => {
            String::from_utf8_lossy(bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes)).into_owned()
        }
        TextEncoding::Utf16Le => utf16(bytes.strip_prefix(&[0xFF, 0xFE]).unwrap_or(bytes), false),
        TextEncoding::Utf16Be => utf16(bytes.strip_prefix(&[0xFE, 0xFF]).unwrap_or(bytes), true),
        TextEncoding::Cp437 | TextEncoding::Cp850 | TextEncoding::Cp852 => {
            bytes.iter().map(|&b| single_byte_char(enc, b)).collect()
        }
        _ => match encoding_rs_for(enc) {
            Some(e) => e.decode_without_bom_handling(bytes).0.into_owned(),
            None => String::from_utf8_lossy(bytes).into_owned(),
        },
    }
}

/// The encoding_rs implementation of the encodings it has.
fn encoding_rs_for(enc: TextEncoding) -> Option<&'static encoding_rs::Encoding> {
    match enc {
        TextEncoding::Cp866 => Some(encoding_rs::IBM866),
        TextEncoding::Cp932 => Some(encoding_rs::SHIFT_JIS),
        TextEncoding::Cp936 => Some(encoding_rs::GBK),
        TextEncoding::Cp950 => Some(encoding_rs::BIG5),
        TextEncoding::Cp1250 => Some(encoding_rs::WINDOWS_1250),
        TextEncoding::Cp1251 => Some(encoding_rs::WINDOWS_1251),
        TextEncoding::Cp1252 => Some(encoding_rs::WINDOWS_1252),
        _ => None,
    }
}

/// The character one byte stands for in a single-byte code page (only the
/// seven single-byte ones are meaningful here; others map high bytes to U+FFFD).
fn single_byte_char(enc: TextEncoding, b: u8) -> char {
    if b < 0x80 {
        return char::from(b);
    }
    let i = usize::from(b - 0x80);
    let table: &[char; 128] = match enc {
        TextEncoding::Cp437 => &CP437_HIGH,
        TextEncoding::Cp850 => &CP850_HIGH,
        TextEncoding::Cp852 => &CP852_HIGH,
        _ => {
            return match encoding_rs_for(enc) {
                Some(e) => e.decode_without_bom_handling(&[b]).0.chars().next().unwrap_or('\u{FFFD}'),
                None => '\u{FFFD}',
            }
        }
    };
    table.get(i).copied().unwrap_or('\u{FFFD}')
}

/// Single-byte candidates, in tie-break order (the first of equal scores wins).
const SINGLE_BYTE: [TextEncoding; 7] = [
    TextEncoding::Cp850,
    TextEncoding::Cp437,
    TextEncoding::Cp1252,
    TextEncoding::Cp852,
    TextEncoding::Cp1250,
    TextEncoding::Cp866,
    TextEncoding::Cp1251,
];

/// Letters frequent in the Western European languages (cp437, cp850, cp1252).
const WESTERN_COMMON: &str = "éèêëàâäçôöùûüïîñóáíúìòßÉÈÀÇÑÖÜÄåøæÅØÆãõÃÕÓÚÍÁ";
/// Letters frequent in the Central European languages (cp852, cp1250).
const CENTRAL_COMMON: &str = "ąćęłńóśźżĄĆĘŁŃÓŚŹŻčďěňřšťůžýáíéúČĎĚŇŘŠŤŮŽÝÁÍÉÚäöüßÄÖÜőűŐŰ";

/// How typical letter `c` is of the languages code page `enc` serves:
/// 3 very common, 1 other letter.
fn letter_weight(enc: TextEncoding, c: char) -> i64 {
    let common = match enc {
        TextEncoding::Cp437 | TextEncoding::Cp850 | TextEncoding::Cp1252 => WESTERN_COMMON.contains(c),
        TextEncoding::Cp852 | TextEncoding::Cp1250 => CENTRAL_COMMON.contains(c),
        TextEncoding::Cp866 | TextEncoding::Cp1251 => matches!(c, '\u{0410}'..='\u{044F}' | 'ё' | 'Ё'),
        _ => false,
    };
    if common {
        3
    } else {
        1
    }
}

/// How plausible `bytes` read as single-byte `enc` are: each byte above
/// 0x7F scores by the character it becomes and its neighbours.
fn score_single_byte(enc: TextEncoding, bytes: &[u8]) -> i64 {
    let sample = bytes.get(..bytes.len().min(SCORE_SAMPLE)).unwrap_or(bytes);
    let mut score = 0i64;
    let mut prev = ' ';
    for (i, &b) in sample.iter().enumerate() {
        let c = single_byte_char(enc, b);
        if b >= 0x80 {
            let next = sample.get(i + 1).map_or(' ', |&n| single_byte_char(enc, n));
            score += if c.is_whitespace() {
                0
            } else if c.is_alphabetic() {
                let in_word = prev.is_alphabetic() || next.is_alphabetic();
                let mut s = letter_weight(enc, c) - i64::from(!in_word);
                if c.is_uppercase() && prev.is_lowercase() {
                    s -= 4;
                }
                s
            } else if matches!(
                c,
                '«' | '»'
                    | '¿'
                    | '¡'
                    | '°'
                    | '§'
                    | '·'
                    | '€'
                    | '–'
                    | '—'
                    | '’'
                    | '‘'
                    | '“'
                    | '”'
                    | '…'
                    | '±'
                    | '²'
                    | '³'
                    | '®'
                    | '©'
                    | '™'
            ) {
                0
            } else {
                -3
            };
        }
        prev = c;
    }
    score
}

/// How plausible `bytes` are as GBK (936), Big5 (950) or Shift_JIS (932); `None` when
/// they do not decode without error, or when they do not read like CJK
/// text at all.
///
/// Real Japanese or Chinese text comes in runs of several characters
/// (`ホスト名`, `修补程序`), while Western text read as Shift_JIS or GBK gives
/// isolated characters, each an accented letter glued to its neighbours
/// (`M\x81ller` reads as `M` + one kanji-area pair + `ler`). So:
///
/// * characters are grouped in runs (no ASCII byte between them);
/// * in a run of two or more, a common character (GB2312 hanzi; Big5
///   frequent hanzi; hiragana, katakana and JIS level 1 kanji) scores 6 (3 a byte, like a common
///   letter of a single-byte page), CJK punctuation 3, a rarer one 1, a
///   half-width katakana costs 2;
/// * an isolated character costs 6 when glued between ASCII letters or
///   digits, otherwise scores a third of its run value;
/// * fewer than half of the characters in runs (or fewer than two such
///   characters) disqualifies the reading: `None`.
fn score_cjk(enc: TextEncoding, bytes: &[u8]) -> Option<i64> {
    let sample = bytes.get(..bytes.len().min(SCORE_SAMPLE)).unwrap_or(bytes);
    let e = encoding_rs_for(enc)?;
    // Do not cut the sample inside a character: when it is not the whole
    // input, check it up to its last ASCII byte.
    let check = if sample.len() == bytes.len() { sample } else { trim_to_ascii_end(sample) };
    e.decode_without_bom_handling_and_without_replacement(check)?;
    let mut score = 0i64;
    let mut in_runs = 0usize;
    let mut total = 0usize;
    // The current run: (weight, glued-before) of each character.
    let mut run: Vec<i64> = Vec::new();
    let mut run_glued_before = false;
    let mut prev_alnum = false;
    let mut last_trail_alnum = false;
    let mut i = 0;
    let mut close_run = |run: &mut Vec<i64>, glued_before: bool, glued_after: bool, score: &mut i64| {
        match run.as_slice() {
            [] => {}
            [w] => {
                *score += if glued_before && glued_after { -6 } else { w / 3 };
            }
            ws => {
                in_runs += ws.len();
                *score += ws.iter().sum::<i64>();
            }
        }
        total += run.len();
        run.clear();
    };
    while let Some(&b) = check.get(i) {
        if b < 0x80 {
            if !run.is_empty() {
                let after = last_trail_alnum || b.is_ascii_alphanumeric();
                close_run(&mut run, run_glued_before, after, &mut score);
            }
            prev_alnum = b.is_ascii_alphanumeric();
            i += 1;
            continue;
        }
        if run.is_empty() {
            run_glued_before = prev_alnum;
        }
        let trail = check.get(i + 1).copied().unwrap_or(0);
        let (weight, len) = cjk_weight(enc, b, trail);
        run.push(weight);
        // A trail byte in the ASCII range that is a letter (`\x81l`) glues
        // the character to what follows, as a next letter would.
        last_trail_alnum = len == 2 && trail.is_ascii_alphanumeric();
        prev_alnum = false;
        i += len;
    }
    close_run(&mut run, run_glued_before, last_trail_alnum, &mut score);
    if in_runs < 2 || in_runs * 2 < total {
        return None;
    }
    Some(score)
}

/// The weight of the character starting with byte `b` (followed by
/// `trail`) in GBK, Big5 or Shift_JIS, and its length in bytes.
fn cjk_weight(enc: TextEncoding, b: u8, trail: u8) -> (i64, usize) {
    match enc {
        _ if b == 0x80 => (-2, 1),
        TextEncoding::Cp950 => {
            // Big5: 0xA4-0xC6 are the frequent hanzi, 0xA1-0xA3 punctuation
            // and symbols, 0xC9-0xF9 the less frequent hanzi.
            let w = match b {
                0xA4..=0xC6 => 6,
                0xA1..=0xA3 => 3,
                _ => 1,
            };
            (w, 2)
        }
        TextEncoding::Cp936 => {
            let w = if (0xB0..=0xF7).contains(&b) && (0xA1..=0xFE).contains(&trail) {
                6
            } else if (0xA1..=0xA3).contains(&b) && (0xA1..=0xFE).contains(&trail) {
                3
            } else {
                1
            };
            (w, 2)
        }
        _ => {
            if (0xA1..=0xDF).contains(&b) {
                (-2, 1)
            } else {
                let w = match b {
                    // Hiragana and full-width letters, katakana, level 1 kanji.
                    0x82 | 0x88..=0x98 => 6,
                    0x83 if trail <= 0x96 => 6,
                    // Punctuation: 、。ー・
                    0x81 => 3,
                    _ => 1,
                };
                (w, 2)
            }
        }
    }
}

/// Whether the high bytes of `bytes` all look like accented letters inside
/// Latin words: each run of them is at most three bytes long and sits
/// between ASCII letters (`M\x81ller`, `Gr\x94\xE1e`). Text in which this
/// holds is never read as Shift_JIS or GBK (other Western text is left to
/// [`score_cjk`], which finds no runs of CJK characters in it).
fn latin_only(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(SCORE_SAMPLE)).unwrap_or(bytes);
    let mut i = 0;
    while i < sample.len() {
        if sample.get(i).is_some_and(|&b| b >= 0x80) {
            let start = i;
            while sample.get(i).is_some_and(|&b| b >= 0x80) {
                i += 1;
            }
            let before = start.checked_sub(1).and_then(|p| sample.get(p)).is_some_and(u8::is_ascii_alphabetic);
            let after = sample.get(i).is_some_and(u8::is_ascii_alphabetic);
            if i - start > 3 || !(before && after) {
                return false;
            }
        } else {
            i += 1;
        }
    }
    true
}

/// `s` up to and including its last ASCII byte (so that a sample does not
/// end inside a multi-byte character).
fn trim_to_ascii_end(s: &[u8]) -> &[u8] {
    match s.iter().rposition(|&b| b < 0x80) {
        Some(p) => s.get(..=p).unwrap_or(s),
        None => s,
    }
}

/// The most plausible legacy code page for bytes that are not UTF-8.
///
/// Shift_JIS and GBK compete only when some high bytes do not look like
/// accented letters ([`latin_only`]). When 437 and 850 read the text
/// identically (they share the accented letters of Western languages),
/// the English console page 437 is reported for English output and 850
/// otherwise ([`looks_english`]).
fn guess_code_page(bytes: &[u8]) -> TextEncoding {
    let mut best = (TextEncoding::Cp850, i64::MIN);
    for enc in SINGLE_BYTE {
        let s = score_single_byte(enc, bytes);
        if s > best.1 {
            best = (enc, s);
        }
    }
    if !latin_only(bytes) {
        for enc in [TextEncoding::Cp936, TextEncoding::Cp950, TextEncoding::Cp932] {
            if let Some(s) = score_cjk(enc, bytes) {
                if s > best.1 {
                    best = (enc, s);
                }
            }
        }
    }
    if best.0 == TextEncoding::Cp850 && same_in_437_and_850(bytes) && looks_english(bytes) {
        return TextEncoding::Cp437;
    }
    best.0
}

/// Whether every high byte of `bytes` stands for the same character in
/// code pages 437 and 850.
fn same_in_437_and_850(bytes: &[u8]) -> bool {
    let mut seen = [false; 128];
    for &b in bytes.iter().filter(|&&b| b >= 0x80) {
        if let Some(s) = seen.get_mut(usize::from(b - 0x80)) {
            *s = true;
        }
    }
    (0x80..=0xFFu8)
        .zip(seen)
        .all(|(b, used)| !used || single_byte_char(TextEncoding::Cp437, b) == single_byte_char(TextEncoding::Cp850, b))
}

/// Labels only English output prints (systeminfo, `reg query`'s English
/// messages are not needed: its value names are English in every
/// language).
const ENGLISH_MARKS: [&str; 6] =
    ["Host Name:", "OS Name:", "OS Version:", "Registered Owner:", "Original Install Date:", "Hotfix(s):"];

/// Whether `bytes` hold English systeminfo labels (see [`ENGLISH_MARKS`]).
fn looks_english(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(SCORE_SAMPLE)).unwrap_or(bytes);
    ENGLISH_MARKS.iter().any(|m| sample.windows(m.len()).any(|w| w == m.as_bytes()))
}

/// Whether decoded text looks like binary: NUL characters, or more than 2%
/// control characters (other than tab, CR, LF, form feed and the DOS end of
/// file mark) and replacement characters.
fn looks_binary(text: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in text.chars() {
        total += 1;
        if c == '\0' {
            return true;
        }
        if (c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{0C}' | '\u{1A}' | '\u{85}')) || c == '\u{FFFD}' {
            bad += 1;
        }
    }
    bad * 50 > total
}

/// Bytes 0x80..=0xFF of code page 437, generated with Python's `codecs`
/// (`bytes([b]).decode('cp437')` for each byte).
const CP437_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{00E0}', '\u{00E5}', '\u{00E7}', '\u{00EA}',
    '\u{00EB}', '\u{00E8}', '\u{00EF}', '\u{00EE}', '\u{00EC}', '\u{00C4}', '\u{00C5}', '\u{00C9}', '\u{00E6}',
    '\u{00C6}', '\u{00F4}', '\u{00F6}', '\u{00F2}', '\u{00FB}', '\u{00F9}', '\u{00FF}', '\u{00D6}', '\u{00DC}',
    '\u{00A2}', '\u{00A3}', '\u{00A5}', '\u{20A7}', '\u{0192}', '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}',
    '\u{00F1}', '\u{00D1}', '\u{00AA}', '\u{00BA}', '\u{00BF}', '\u{2310}', '\u{00AC}', '\u{00BD}', '\u{00BC}',
    '\u{00A1}', '\u{00AB}', '\u{00BB}', '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{2561}',
    '\u{2562}', '\u{2556}', '\u{2555}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{255C}', '\u{255B}',
    '\u{2510}', '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{255E}', '\u{255F}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{2567}', '\u{2568}',
    '\u{2564}', '\u{2565}', '\u{2559}', '\u{2558}', '\u{2552}', '\u{2553}', '\u{256B}', '\u{256A}', '\u{2518}',
    '\u{250C}', '\u{2588}', '\u{2584}', '\u{258C}', '\u{2590}', '\u{2580}', '\u{03B1}', '\u{00DF}', '\u{0393}',
    '\u{03C0}', '\u{03A3}', '\u{03C3}', '\u{00B5}', '\u{03C4}', '\u{03A6}', '\u{0398}', '\u{03A9}', '\u{03B4}',
    '\u{221E}', '\u{03C6}', '\u{03B5}', '\u{2229}', '\u{2261}', '\u{00B1}', '\u{2265}', '\u{2264}', '\u{2320}',
    '\u{2321}', '\u{00F7}', '\u{2248}', '\u{00B0}', '\u{2219}', '\u{00B7}', '\u{221A}', '\u{207F}', '\u{00B2}',
    '\u{25A0}', '\u{00A0}',
];

/// Bytes 0x80..=0xFF of code page 850, generated with Python's `codecs`
/// (`bytes([b]).decode('cp850')` for each byte).
const CP850_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{00E0}', '\u{00E5}', '\u{00E7}', '\u{00EA}',
    '\u{00EB}', '\u{00E8}', '\u{00EF}', '\u{00EE}', '\u{00EC}', '\u{00C4}', '\u{00C5}', '\u{00C9}', '\u{00E6}',
    '\u{00C6}', '\u{00F4}', '\u{00F6}', '\u{00F2}', '\u{00FB}', '\u{00F9}', '\u{00FF}', '\u{00D6}', '\u{00DC}',
    '\u{00F8}', '\u{00A3}', '\u{00D8}', '\u{00D7}', '\u{0192}', '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}',
    '\u{00F1}', '\u{00D1}', '\u{00AA}', '\u{00BA}', '\u{00BF}', '\u{00AE}', '\u{00AC}', '\u{00BD}', '\u{00BC}',
    '\u{00A1}', '\u{00AB}', '\u{00BB}', '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00C1}',
    '\u{00C2}', '\u{00C0}', '\u{00A9}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{00A2}', '\u{00A5}',
    '\u{2510}', '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{00E3}', '\u{00C3}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{00A4}', '\u{00F0}',
    '\u{00D0}', '\u{00CA}', '\u{00CB}', '\u{00C8}', '\u{0131}', '\u{00CD}', '\u{00CE}', '\u{00CF}', '\u{2518}',
    '\u{250C}', '\u{2588}', '\u{2584}', '\u{00A6}', '\u{00CC}', '\u{2580}', '\u{00D3}', '\u{00DF}', '\u{00D4}',
    '\u{00D2}', '\u{00F5}', '\u{00D5}', '\u{00B5}', '\u{00FE}', '\u{00DE}', '\u{00DA}', '\u{00DB}', '\u{00D9}',
    '\u{00FD}', '\u{00DD}', '\u{00AF}', '\u{00B4}', '\u{00AD}', '\u{00B1}', '\u{2017}', '\u{00BE}', '\u{00B6}',
    '\u{00A7}', '\u{00F7}', '\u{00B8}', '\u{00B0}', '\u{00A8}', '\u{00B7}', '\u{00B9}', '\u{00B3}', '\u{00B2}',
    '\u{25A0}', '\u{00A0}',
];

/// Bytes 0x80..=0xFF of code page 852, generated with Python's `codecs`
/// (`bytes([b]).decode('cp852')` for each byte).
const CP852_HIGH: [char; 128] = [
    '\u{00C7}', '\u{00FC}', '\u{00E9}', '\u{00E2}', '\u{00E4}', '\u{016F}', '\u{0107}', '\u{00E7}', '\u{0142}',
    '\u{00EB}', '\u{0150}', '\u{0151}', '\u{00EE}', '\u{0179}', '\u{00C4}', '\u{0106}', '\u{00C9}', '\u{0139}',
    '\u{013A}', '\u{00F4}', '\u{00F6}', '\u{013D}', '\u{013E}', '\u{015A}', '\u{015B}', '\u{00D6}', '\u{00DC}',
    '\u{0164}', '\u{0165}', '\u{0141}', '\u{00D7}', '\u{010D}', '\u{00E1}', '\u{00ED}', '\u{00F3}', '\u{00FA}',
    '\u{0104}', '\u{0105}', '\u{017D}', '\u{017E}', '\u{0118}', '\u{0119}', '\u{00AC}', '\u{017A}', '\u{010C}',
    '\u{015F}', '\u{00AB}', '\u{00BB}', '\u{2591}', '\u{2592}', '\u{2593}', '\u{2502}', '\u{2524}', '\u{00C1}',
    '\u{00C2}', '\u{011A}', '\u{015E}', '\u{2563}', '\u{2551}', '\u{2557}', '\u{255D}', '\u{017B}', '\u{017C}',
    '\u{2510}', '\u{2514}', '\u{2534}', '\u{252C}', '\u{251C}', '\u{2500}', '\u{253C}', '\u{0102}', '\u{0103}',
    '\u{255A}', '\u{2554}', '\u{2569}', '\u{2566}', '\u{2560}', '\u{2550}', '\u{256C}', '\u{00A4}', '\u{0111}',
    '\u{0110}', '\u{010E}', '\u{00CB}', '\u{010F}', '\u{0147}', '\u{00CD}', '\u{00CE}', '\u{011B}', '\u{2518}',
    '\u{250C}', '\u{2588}', '\u{2584}', '\u{0162}', '\u{016E}', '\u{2580}', '\u{00D3}', '\u{00DF}', '\u{00D4}',
    '\u{0143}', '\u{0144}', '\u{0148}', '\u{0160}', '\u{0161}', '\u{0154}', '\u{00DA}', '\u{0155}', '\u{0170}',
    '\u{00FD}', '\u{00DD}', '\u{0163}', '\u{00B4}', '\u{00AD}', '\u{02DD}', '\u{02DB}', '\u{02C7}', '\u{02D8}',
    '\u{00A7}', '\u{00F7}', '\u{00B8}', '\u{00B0}', '\u{00A8}', '\u{02D9}', '\u{0171}', '\u{0158}', '\u{0159}',
    '\u{25A0}', '\u{00A0}',
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn enc(text: &str, e: &'static encoding_rs::Encoding) -> Vec<u8> {
        e.encode(text).0.into_owned()
    }

    /// Encodes with one of the hand-made tables (the inverse of [`single_byte_char`]).
    fn enc_table(text: &str, cp: TextEncoding) -> Vec<u8> {
        text.chars()
            .map(
                |c| {
                    if c.is_ascii() {
                        c as u8
                    } else {
                        (0x80..=0xFFu8).find(|&b| single_byte_char(cp, b) == c).unwrap()
                    }
                },
            )
            .collect()
    }

    #[test]
    fn names_parse_and_list_the_valid_ones() {
        for (name, e) in [
            ("utf-8", TextEncoding::Utf8),
            ("UTF-16LE", TextEncoding::Utf16Le),
            ("utf-16be", TextEncoding::Utf16Be),
            ("cp437", TextEncoding::Cp437),
            ("437", TextEncoding::Cp437),
            ("IBM437", TextEncoding::Cp437),
            ("cp850", TextEncoding::Cp850),
            ("852", TextEncoding::Cp852),
            ("cp866", TextEncoding::Cp866),
            ("shift_jis", TextEncoding::Cp932),
            ("cp932", TextEncoding::Cp932),
            ("gbk", TextEncoding::Cp936),
            ("cp936", TextEncoding::Cp936),
            ("big5", TextEncoding::Cp950),
            ("cp950", TextEncoding::Cp950),
            ("cp1250", TextEncoding::Cp1250),
            ("cp1251", TextEncoding::Cp1251),
            ("cp1252", TextEncoding::Cp1252),
        ] {
            assert_eq!(name.parse::<TextEncoding>(), Ok(e), "{name}");
        }
        for e in TextEncoding::ALL {
            assert_eq!(e.name().parse::<TextEncoding>(), Ok(e));
        }
        let err = "ebcdic".parse::<TextEncoding>().unwrap_err().to_string();
        assert_eq!(err, "unknown encoding `ebcdic`: expected one of utf-8, utf-16le, utf-16be, cp437, cp850, cp852, cp866, cp932, cp936, cp950, cp1250, cp1251, cp1252");
    }

    #[test]
    fn tables_match_known_characters() {
        assert_eq!(single_byte_char(TextEncoding::Cp850, 0x82), 'é');
        assert_eq!(single_byte_char(TextEncoding::Cp850, 0xFF), '\u{a0}');
        assert_eq!(single_byte_char(TextEncoding::Cp437, 0xE1), 'ß');
        assert_eq!(single_byte_char(TextEncoding::Cp437, 0xC4), '─');
        assert_eq!(single_byte_char(TextEncoding::Cp852, 0x88), 'ł');
        assert_eq!(single_byte_char(TextEncoding::Cp866, 0xA0), 'а');
    }

    #[test]
    fn boms_and_utf16_without_bom() {
        let d = decode(b"\xEF\xBB\xBFHost Name:", "f", None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Host Name:", "UTF-8 (BOM)"));
        let d = decode(b"\xFE\xFF\0H\0i", "f", None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Hi", "UTF-16BE (BOM)"));
        let le: Vec<u8> = "Host Name:  Ü\r\n".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let d = decode(&le, "f", None).unwrap();
        assert_eq!((d.text.as_str(), d.encoding.as_str()), ("Host Name:  Ü\r\n", "UTF-16LE"));
        let be: Vec<u8> = "Host Name:\r\n".encode_utf16().flat_map(u16::to_be_bytes).collect();
        assert_eq!(decode(&be, "f", None).unwrap().encoding, "UTF-16BE");
    }

    #[test]
    fn code_pages_are_recognised() {
        let cases: &[(&str, TextEncoding, Vec<u8>)] = &[
            (
                "Nom de l'hôte: SRV\r\nCorrectif(s): 73 Corrections installées.\r\n",
                TextEncoding::Cp850,
                enc_table("Nom de l'hôte: SRV\r\nCorrectif(s): 73 Corrections installées.\r\n", TextEncoding::Cp850),
            ),
            (
                "Ursprüngliches Installationsdatum, Größe, Domäne",
                TextEncoding::Cp850,
                enc_table("Ursprüngliches Installationsdatum, Größe, Domäne", TextEncoding::Cp850),
            ),
            (
                "Zażółć gęślą jaźń: wersja systemu, poprawki zainstalowane",
                TextEncoding::Cp852,
                enc_table("Zażółć gęślą jaźń: wersja systemu, poprawki zainstalowane", TextEncoding::Cp852),
            ),
            (
                "Имя узла: DC\r\nВерсия ОС: 6.0.6003\r\n",
                TextEncoding::Cp866,
                enc("Имя узла: DC\r\nВерсия ОС: 6.0.6003\r\n", encoding_rs::IBM866),
            ),
            (
                "Имя узла: DC\r\nВерсия ОС: 6.0.6003\r\n",
                TextEncoding::Cp1251,
                enc("Имя узла: DC\r\nВерсия ОС: 6.0.6003\r\n", encoding_rs::WINDOWS_1251),
            ),
            (
                "Nom de l'hôte: installées, Größe",
                TextEncoding::Cp1252,
                enc("Nom de l'hôte: installées, Größe", encoding_rs::WINDOWS_1252),
            ),
            (
                "Zażółć gęślą jaźń, wersja systemu",
                TextEncoding::Cp1250,
                enc("Zażółć gęślą jaźń, wersja systemu", encoding_rs::WINDOWS_1250),
            ),
            (
                "主机名:           W2K8\r\n修补程序:         安装了 7 个修补程序。\r\n",
                TextEncoding::Cp936,
                enc("主机名:           W2K8\r\n修补程序:         安装了 7 个修补程序。\r\n", encoding_rs::GBK),
            ),
            (
                "ホスト名: W2K8\r\nシステムの種類: x64-based PC\r\n",
                TextEncoding::Cp932,
                enc("ホスト名: W2K8\r\nシステムの種類: x64-based PC\r\n", encoding_rs::SHIFT_JIS),
            ),
        ];
        for (text, want, bytes) in cases {
            let d = decode(bytes, "f", None).unwrap();
            assert_eq!(d.encoding, want.name(), "{text}");
            assert_eq!(d.text, *text);
        }
    }

    /// Western text with a few accented letters is not Shift_JIS or GBK,
    /// even where its bytes happen to form valid pairs (`\x81l`, `\x94h`,
    /// `\x94\xE1`); real Japanese and Chinese lines still are. Each case:
    /// text, the code page that wrote it, the name reported.
    #[test]
    fn western_accents_are_not_cjk_and_cjk_still_is() {
        let cases: &[(&str, TextEncoding, &str)] = &[
            // English systeminfo holding a German company name: 437 (the
            // en-US console), which reads ü and ö like 850 does.
            (
                "Registered Owner:          Administrator\r\nRegistered Organization:   M\u{fc}ller & S\u{f6}hne GmbH\r\n",
                TextEncoding::Cp437,
                "cp437",
            ),
            ("Host Name:                 FILE01\r\nRegistered Organization:   Soci\u{e9}t\u{e9} G\u{e9}n\u{e9}rale\r\n", TextEncoding::Cp437, "cp437"),
            // The same letters without English labels: 850.
            ("Registrierte Organisation: M\u{fc}ller & S\u{f6}hne GmbH\r\n", TextEncoding::Cp850, "cp850"),
            ("Gr\u{f6}\u{df}e der Auslagerungsdatei: Dom\u{e4}ne\r\n", TextEncoding::Cp850, "cp850"),
            ("Nom de l'h\u{f4}te: SRV\r\nPropri\u{e9}taire enregistr\u{e9}: \u{c9}cole\r\n", TextEncoding::Cp850, "cp850"),
            // Letters only 850 has (\u{f8} is 0x9B, a cent sign in 437).
            ("Registered Owner:          Bj\u{f8}rn S\u{f8}rensen\r\n", TextEncoding::Cp850, "cp850"),
            ("Nazwa hosta:               W2K8\r\nW\u{142}a\u{15b}ciciel: Zak\u{142}ad \u{17b}\u{f3}\u{142}ty, Poprawki zainstalowane\r\n", TextEncoding::Cp852, "cp852"),
            ("\u{418}\u{43c}\u{44f} \u{443}\u{437}\u{43b}\u{430}:                  W2K8\r\n\u{41d}\u{430}\u{437}\u{432}\u{430}\u{43d}\u{438}\u{435} \u{41e}\u{421}:               \u{41c}\u{430}\u{439}\u{43a}\u{440}\u{43e}\u{441}\u{43e}\u{444}\u{442}\r\n", TextEncoding::Cp866, "cp866"),
            // Lines of a real Japanese systeminfo (see labels.rs for the source).
            (
                "OS \u{30d0}\u{30fc}\u{30b8}\u{30e7}\u{30f3}:          6.1.7601 Service Pack 1 \u{30d3}\u{30eb}\u{30c9} 7601\r\n\u{30db}\u{30c3}\u{30c8}\u{30d5}\u{30a3}\u{30c3}\u{30af}\u{30b9}:       294 \u{30db}\u{30c3}\u{30c8}\u{30d5}\u{30a3}\u{30c3}\u{30af}\u{30b9}\u{304c}\u{30a4}\u{30f3}\u{30b9}\u{30c8}\u{30fc}\u{30eb}\u{3055}\u{308c}\u{3066}\u{3044}\u{307e}\u{3059}\u{3002}\r\n",
                TextEncoding::Cp932,
                "cp932",
            ),
            ("OS \u{540d}:                  Microsoft Windows 7 Professional \r\nOS \u{69cb}\u{6210}:                \u{30b9}\u{30bf}\u{30f3}\u{30c9}\u{30a2}\u{30ed}\u{30f3} \u{30ef}\u{30fc}\u{30af}\u{30b9}\u{30c6}\u{30fc}\u{30b7}\u{30e7}\u{30f3}\r\n", TextEncoding::Cp932, "cp932"),
            // French words at word ends and starts (`caf\u{e9} `, ` \u{e9}t\u{e9}`).
            ("Caf\u{e9} cr\u{e8}me, \u{e9}t\u{e9} \u{e0} la plage\r\n", TextEncoding::Cp850, "cp850"),
            // Lines of a real zh-TW systeminfo (see labels.rs for the source).
            (
                "\u{4e3b}\u{6a5f}\u{540d}\u{7a31}:             W23-009-065\r\n\u{4f5c}\u{696d}\u{7cfb}\u{7d71}\u{7248}\u{672c}:         10.0.17763 N/A \u{7d44}\u{5efa} 17763\r\nHotfix:               \u{5df2}\u{5b89}\u{88dd} 11 Hotfix\u{3002}\r\n",
                TextEncoding::Cp950,
                "cp950",
            ),
            // A line of the real zh-CN capture.
            ("\u{4fee}\u{8865}\u{7a0b}\u{5e8f}:         \u{5b89}\u{88c5}\u{4e86} 1 \u{4e2a}\u{4fee}\u{8865}\u{7a0b}\u{5e8f}\u{3002}\r\n", TextEncoding::Cp936, "cp936"),
        ];
        for (text, cp, want) in cases {
            let bytes = match cp {
                TextEncoding::Cp437 | TextEncoding::Cp850 | TextEncoding::Cp852 => enc_table(text, *cp),
                other => enc(text, encoding_rs_for(*other).unwrap()),
            };
            let d = decode(&bytes, "f", None).unwrap();
            assert_eq!((d.encoding.as_str(), d.text.as_str()), (*want, *text));
        }
    }

    #[test]
    fn latin_only_tells_accents_from_cjk_runs() {
        assert!(latin_only(b"M\x81ller & S\x94hne"));
        assert!(latin_only(b"Gr\x94\xE1e, Ger\x84t"));
        assert!(!latin_only(b"caf\x82 au lait"));
        assert!(!latin_only(b"OS \x96\xBC:"));
        assert!(!latin_only(b"\x83z\x83X\x83g\x96\xBC: W2K8"));
    }

    #[test]
    fn isolated_glued_pairs_disqualify_shift_jis() {
        assert_eq!(score_cjk(TextEncoding::Cp932, b"M\x81ller & S\x94hne GmbH"), None);
        assert_eq!(score_cjk(TextEncoding::Cp932, b"\x83z\x83X\x83g\x96\xBC: W2K8"), Some(24));
    }

    #[test]
    fn binary_and_empty_are_refused() {
        assert_eq!(decode(b"", "e", None).unwrap_err().expected, "a non-empty file");
        assert_eq!(decode(b"MZ\x90\0\x03\0\0\0", "b", None).unwrap_err().expected, EXPECTED_TEXT);
        assert_eq!(decode(b"ab\x01\x02\x03\x04\x05cd", "b", None).unwrap_err().expected, EXPECTED_TEXT);
        assert!(decode(b"Host Name:\tA\x0c\r\n", "t", None).is_ok());
    }

    #[test]
    fn crlf_is_kept() {
        assert_eq!(decode(b"a\r\nb\r\n", "t", None).unwrap().text, "a\r\nb\r\n");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
            let _ = decode(&bytes, "x", None);
            for e in TextEncoding::ALL {
                let _ = decode(&bytes, "x", Some(e));
            }
        }

        #[test]
        fn utf8_text_round_trips(s in "\\PC{1,200}") {
            prop_assume!(!s.starts_with('\u{feff}') && !s.chars().any(|c| c.is_control() || c == '\u{fffd}'));
            let d = decode(s.as_bytes(), "x", None).unwrap();
            prop_assert_eq!(d.text, s);
        }
    }
}
