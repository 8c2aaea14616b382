//! Text positions and file URIs as the Language Server Protocol has them: lines and UTF-16 code
//! units (the protocol's default `positionEncoding`), `file:` URIs with percent-encoding.

use std::path::{Path, PathBuf};

use lsp_types::{Position, Range, TextDocumentContentChangeEvent, Uri};

/// Line starts of a text, to turn byte offsets into LSP positions and back.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    /// The LSP position of a byte offset (clamped to the text, and back to a char boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let character: usize = self.text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of an LSP position. A line past the end gives the end of the text; a
    /// character past the end of its line gives the end of the line (as the protocol says); a
    /// position inside a surrogate pair gives the start of that character.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = &self.text[start..end];
        let line = line.strip_suffix('\r').unwrap_or(line);
        let mut units = 0usize;
        for (i, c) in line.char_indices() {
            if units + c.len_utf16() > pos.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        start + line.len()
    }

    /// Byte offset where a 0-based line starts (the end of the text past the last line).
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).copied().unwrap_or(self.text.len())
    }

    /// The 0-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset.min(self.text.len())) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// A 0-based line's text without its line break.
    pub fn line_text(&self, line: usize) -> &'a str {
        let start = self.line_start(line);
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        let s = self.text.get(start..end.max(start)).unwrap_or("");
        s.strip_suffix('\r').unwrap_or(s)
    }
}

/// Applies `didChange` content changes in order: a change with a range replaces that range, one
/// without replaces the whole text.
pub fn apply_changes(text: &mut String, changes: Vec<TextDocumentContentChangeEvent>) {
    for change in changes {
        match change.range {
            None => *text = change.text,
            Some(range) => {
                let (start, end) = {
                    let lines = Lines::new(text);
                    (lines.offset(range.start), lines.offset(range.end))
                };
                let end = end.max(start);
                text.replace_range(start..end, &change.text);
            }
        }
    }
}

/// The file path of a `file:` URI (`None` for other schemes or a malformed escape).
pub fn uri_to_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // An authority other than empty or localhost would be a network share: keep it as `//host/…`.
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => return None,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode(path)?;
    let decoded = if host.is_empty() || host.eq_ignore_ascii_case("localhost") {
        decoded
    } else {
        format!("//{host}{decoded}")
    };
    // `/C:/x` on Windows
    let bytes = decoded.as_bytes();
    if cfg!(windows) && bytes.len() >= 3 && bytes[0] == b'/' && bytes[2] == b':' {
        return Some(PathBuf::from(&decoded[1..]));
    }
    Some(PathBuf::from(decoded))
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The `file:` URI of an absolute path.
pub fn path_to_uri(path: &Path) -> Option<Uri> {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::from("file://");
    if !s.starts_with('/') {
        out.push('/');
    }
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units() {
        // é is 2 bytes / 1 unit; 😀 is 4 bytes / 2 units
        let text = "ab\né😀x\r\nlast";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        assert_eq!(lines.position(x), Position::new(1, 3));
        assert_eq!(lines.offset(Position::new(1, 3)), x);
        // the middle of the surrogate pair goes back to the character's start
        assert_eq!(lines.offset(Position::new(1, 2)), text.find('😀').unwrap());
        // past the end of a line: the end of that line, before \r\n
        assert_eq!(lines.offset(Position::new(1, 99)), x + 1);
        assert_eq!(lines.offset(Position::new(9, 0)), text.len());
        assert_eq!(lines.position(text.len()), Position::new(2, 4));
        assert_eq!(lines.line_text(1), "é😀x");
        // an offset inside a multi-byte character does not panic
        assert_eq!(lines.position(4), Position::new(1, 0));
    }

    #[test]
    fn incremental_changes() {
        let mut text = String::from("a😀b\nline two\n");
        apply_changes(
            &mut text,
            vec![
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(Position::new(0, 1), Position::new(0, 3))),
                    range_length: None,
                    text: "é".into(),
                },
                TextDocumentContentChangeEvent {
                    range: Some(Range::new(Position::new(1, 5), Position::new(1, 8))),
                    range_length: None,
                    text: "2".into(),
                },
            ],
        );
        assert_eq!(text, "aéb\nline 2\n");
        apply_changes(
            &mut text,
            vec![TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "new".into(),
            }],
        );
        assert_eq!(text, "new");
    }

    #[test]
    fn uris_round_trip() {
        let p = Path::new("/tmp/my dir/appsettings.é.json");
        let uri = path_to_uri(p).unwrap();
        assert_eq!(uri.as_str(), "file:///tmp/my%20dir/appsettings.%C3%A9.json");
        assert_eq!(uri_to_path(&uri).as_deref(), Some(p));
        let u: Uri = "file://localhost/a/b%2Bc".parse().unwrap();
        assert_eq!(uri_to_path(&u), Some(PathBuf::from("/a/b+c")));
        let u: Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(uri_to_path(&u), None);
    }
}
