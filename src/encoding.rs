//! Wide Unicode encodings, told by their byte order mark: UTF-16 LE/BE (Visual Studio saves
//! web.config and appsettings.json so) and UTF-32 LE/BE. Such a file is decoded to UTF-8 with the
//! mark kept as U+FEFF, as a UTF-8 mark is kept, so lines and columns (counted in code points) are
//! those of the file as its editor shows them.

/// A wide encoding announced by a byte order mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

impl Wide {
    pub fn name(self) -> &'static str {
        match self {
            Wide::Utf16Le => "UTF-16LE",
            Wide::Utf16Be => "UTF-16BE",
            Wide::Utf32Le => "UTF-32LE",
            Wide::Utf32Be => "UTF-32BE",
        }
    }
}

/// The wide encoding whose byte order mark starts `bytes`, if any. UTF-32 LE is tested before
/// UTF-16 LE, whose mark is its prefix.
pub fn detect(bytes: &[u8]) -> Option<Wide> {
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        Some(Wide::Utf32Le)
    } else if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        Some(Wide::Utf32Be)
    } else if bytes.starts_with(&[0xFF, 0xFE]) {
        Some(Wide::Utf16Le)
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        Some(Wide::Utf16Be)
    } else {
        None
    }
}

/// Decodes the whole file, mark included (it becomes U+FEFF). A unit that is not a character (an
/// unpaired surrogate, a value past U+10FFFF, a truncated last unit) is read as one `?`; the
/// second value is the offset in the decoded text of the first such `?`.
pub fn decode(bytes: &[u8], enc: Wide) -> (String, Option<usize>) {
    let mut text = String::with_capacity(bytes.len());
    let mut bad = None;
    let mut replace = |text: &mut String| {
        bad.get_or_insert(text.len());
        text.push('?');
    };
    match enc {
        Wide::Utf16Le | Wide::Utf16Be => {
            let chunks = bytes.chunks_exact(2);
            let rest = !chunks.remainder().is_empty();
            let units = chunks.map(|c| match enc {
                Wide::Utf16Le => u16::from_le_bytes([c[0], c[1]]),
                _ => u16::from_be_bytes([c[0], c[1]]),
            });
            for c in char::decode_utf16(units) {
                match c {
                    Ok(c) => text.push(c),
                    Err(_) => replace(&mut text),
                }
            }
            if rest {
                replace(&mut text);
            }
        }
        Wide::Utf32Le | Wide::Utf32Be => {
            let chunks = bytes.chunks_exact(4);
            let rest = !chunks.remainder().is_empty();
            for c in chunks {
                let u = match enc {
                    Wide::Utf32Le => u32::from_le_bytes([c[0], c[1], c[2], c[3]]),
                    _ => u32::from_be_bytes([c[0], c[1], c[2], c[3]]),
                };
                match char::from_u32(u) {
                    Some(c) => text.push(c),
                    None => replace(&mut text),
                }
            }
            if rest {
                replace(&mut text);
            }
        }
    }
    (text, bad)
}

/// Encodes text (tests and fixtures): the mark first, then every character.
pub fn encode(text: &str, enc: Wide) -> Vec<u8> {
    let mut out = Vec::new();
    for c in std::iter::once('\u{feff}').chain(text.chars()) {
        match enc {
            Wide::Utf16Le | Wide::Utf16Be => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.extend(if enc == Wide::Utf16Le {
                        u.to_le_bytes()
                    } else {
                        u.to_be_bytes()
                    });
                }
            }
            Wide::Utf32Le => out.extend((c as u32).to_le_bytes()),
            Wide::Utf32Be => out.extend((c as u32).to_be_bytes()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_encoding_with_astral_characters() {
        let text = "a=é\n😀 b=\"x\"\r\n";
        for enc in [Wide::Utf16Le, Wide::Utf16Be, Wide::Utf32Le, Wide::Utf32Be] {
            let bytes = encode(text, enc);
            assert_eq!(detect(&bytes), Some(enc), "{}", enc.name());
            let (decoded, bad) = decode(&bytes, enc);
            assert_eq!(decoded, format!("\u{feff}{text}"));
            assert_eq!(bad, None);
        }
        assert_eq!(detect(b"\xEF\xBB\xBFab"), None);
        assert_eq!(detect(b"ab"), None);
    }

    #[test]
    fn bad_units_become_question_marks_at_their_place() {
        // a lone high surrogate, then `b`, then one stray byte
        let bytes = [0xFF, 0xFE, b'a', 0, 0x00, 0xD8, b'b', 0, b'c'];
        let (text, bad) = decode(&bytes, Wide::Utf16Le);
        assert_eq!(text, "\u{feff}a?b?");
        assert_eq!(bad, Some(4));
        let bytes = [0, 0, 0xFE, 0xFF, 0, 0x11, 0, 0, 0, 0, 0, b'z'];
        let (text, bad) = decode(&bytes, Wide::Utf32Be);
        assert_eq!(text, "\u{feff}?z");
        assert_eq!(bad, Some(3));
    }
}
