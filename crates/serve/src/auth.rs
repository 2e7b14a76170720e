//! The bearer token: generated on first start into a file only its owner
//! can read (0600 on Unix), read from that file on later starts (refused
//! when other users can read or write it), and compared in constant time.
//!
//! Writes (`POST`) always need `Authorization: Bearer TOKEN`; reads need it
//! too unless the server runs with `--public-read`. The dashboard's static
//! assets carry no fleet data and are served to anyone.
use std::io::Write;
use std::path::Path;

/// The server's bearer token (43 URL-safe characters: 256 random bits).
#[derive(Clone)]
pub struct Token(String);

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Token(..)")
    }
}

/// Why the token file could not be used.
#[derive(Debug)]
pub struct TokenError(pub String);

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for TokenError {}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

impl Token {
    /// A token from text (trimmed); None when it is shorter than 16 characters
    /// or holds characters other than printable ASCII.
    pub fn new(text: &str) -> Option<Token> {
        let t = text.trim();
        (t.len() >= 16 && t.bytes().all(|b| b.is_ascii_graphic())).then(|| Token(t.to_string()))
    }

    /// A new random token from the operating system's generator.
    pub fn generate() -> Result<Token, TokenError> {
        let mut raw = [0u8; 32];
        getrandom::getrandom(&mut raw).map_err(|e| TokenError(format!("no random source: {e}")))?;
        // 32 bytes -> 43 base64url characters (without padding).
        let mut out = String::with_capacity(43);
        let mut acc: u32 = 0;
        let mut bits = 0;
        for b in raw {
            acc = (acc << 8) | u32::from(b);
            bits += 8;
            while bits >= 6 {
                bits -= 6;
                out.push(char::from(ALPHABET.get(((acc >> bits) & 63) as usize).copied().unwrap_or(b'A')));
            }
        }
        if bits > 0 {
            out.push(char::from(ALPHABET.get(((acc << (6 - bits)) & 63) as usize).copied().unwrap_or(b'A')));
        }
        Ok(Token(out))
    }

    /// The token text (to print once, on creation).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when `given` is the token; takes the same time whatever prefix
    /// of `given` matches.
    pub fn matches(&self, given: &str) -> bool {
        constant_time_eq(self.0.as_bytes(), given.as_bytes())
    }

    /// True when an `Authorization` header value carries the token
    /// (`Bearer TOKEN`, scheme case-insensitive).
    pub fn matches_header(&self, header: &str) -> bool {
        let Some((scheme, rest)) = header.split_once(' ') else { return false };
        scheme.eq_ignore_ascii_case("bearer") && self.matches(rest.trim())
    }
}

/// Compares two byte strings in time that depends only on their lengths.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = u8::from(a.len() != b.len());
    // Compare against `a` cycled over the length of `b`, so a length
    // mismatch costs the same as a content mismatch.
    if a.is_empty() {
        return b.is_empty();
    }
    for (x, y) in a.iter().cycle().zip(b) {
        diff |= x ^ y;
    }
    diff == 0
}

/// Reads the token from `path`, or generates one and writes it there with
/// owner-only permissions. Returns the token and whether it was created.
/// On Unix an existing file that its group or other users may read or
/// write is refused (as ssh refuses such a key): anyone who can read it can
/// use the API, anyone who can write it can replace the token.
pub fn load_or_create(path: &Path) -> Result<(Token, bool), TokenError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let t = Token::new(&text).ok_or_else(|| {
                TokenError(format!("{}:1: expected a token of at least 16 printable ASCII characters", path.display()))
            })?;
            check_private(path)?;
            Ok((t, false))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let t = Token::generate()?;
            write_private(path, t.expose())
                .map_err(|e| TokenError(format!("{}: cannot write the token file: {e}", path.display())))?;
            Ok((t, true))
        }
        Err(e) => Err(TokenError(format!("{}: cannot read the token file: {e}", path.display()))),
    }
}

/// Refuses a token file its group or other users may read or write.
#[cfg(unix)]
fn check_private(path: &Path) -> Result<(), TokenError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| TokenError(format!("{}: cannot read the token file: {e}", path.display())))?
        .permissions()
        .mode();
    if mode & 0o066 == 0 {
        return Ok(());
    }
    Err(TokenError(format!(
        "{}: the token file can be read or written by other users (mode {:04o}): make it its owner's only \
         (chmod 600 {}), or delete it to have a new one created",
        path.display(),
        mode & 0o7777,
        path.display()
    )))
}

/// Token files are not checked for other users' access off Unix.
#[cfg(not(unix))]
fn check_private(_path: &Path) -> Result<(), TokenError> {
    Ok(())
}

/// Creates `path` (never overwriting) readable by its owner only.
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_tokens_are_long_distinct_and_url_safe() {
        let a = Token::generate().unwrap();
        let b = Token::generate().unwrap();
        assert_eq!(a.expose().len(), 43);
        assert_ne!(a.expose(), b.expose());
        assert!(a.expose().bytes().all(|c| ALPHABET.contains(&c)));
    }

    #[test]
    fn matching() {
        let t = Token::new("0123456789abcdefXYZ").unwrap();
        assert!(t.matches("0123456789abcdefXYZ"));
        assert!(!t.matches("0123456789abcdefXY"));
        assert!(!t.matches("0123456789abcdefXYZ0"));
        assert!(!t.matches(""));
        assert!(t.matches_header("Bearer 0123456789abcdefXYZ"));
        assert!(t.matches_header("bearer 0123456789abcdefXYZ"));
        assert!(!t.matches_header("Basic 0123456789abcdefXYZ"));
        assert!(!t.matches_header("0123456789abcdefXYZ"));
        assert!(Token::new("short").is_none());
        assert!(Token::new("has a space in the middle").is_none());
    }

    #[test]
    fn file_is_created_once_owner_only() {
        let dir = std::env::temp_dir().join(format!("w2k8-token-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let path = dir.join("token.txt");
        let (t1, created1) = load_or_create(&path).unwrap();
        let (t2, created2) = load_or_create(&path).unwrap();
        assert!(created1);
        assert!(!created2);
        assert_eq!(t1.expose(), t2.expose());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        std::fs::write(&path, "bad").unwrap();
        let e = load_or_create(&path).unwrap_err().to_string();
        assert!(e.contains("token.txt:1: expected"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    /// Issue 18, item 10: a token file others may read (0644, 0640) or
    /// write (0622) is refused, naming the file, its mode and the fix.
    #[cfg(unix)]
    #[test]
    fn a_token_file_others_can_read_or_write_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("w2k8-token-mode-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("token.txt");
        std::fs::write(&path, "0123456789abcdefXYZ\n").unwrap();
        for mode in [0o644, 0o640, 0o604, 0o622, 0o666] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let e = load_or_create(&path).unwrap_err().to_string();
            let shown = path.display();
            assert_eq!(
                e,
                format!(
                    "{shown}: the token file can be read or written by other users (mode {mode:04o}): make it its \
                     owner's only (chmod 600 {shown}), or delete it to have a new one created"
                )
            );
        }
        for mode in [0o600, 0o400, 0o700] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
            let (t, created) = load_or_create(&path).unwrap();
            assert_eq!((t.expose(), created), ("0123456789abcdefXYZ", false), "{mode:o}");
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
