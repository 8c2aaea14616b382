//! The one reader: scanned files, modules, sibling templates, `.keyless.toml`, baselines and the
//! server's workspace scan all read through here.
//!
//! * A regular file over the size cap is reported without being read, and at most `max + 1`
//!   bytes are ever read, so a file that grows while it is read cannot exhaust memory.
//! * What is not a regular file (a FIFO, a device, a socket) is read only when the user named it
//!   ([`Named::Yes`]: `keyless <(cat x)`, `/dev/stdin`, `--baseline <(…)`), and then bounded like
//!   standard input; found by a walk or a lookup (a committed link to `/dev/zero` or to a FIFO) it
//!   is refused before it is opened, so it can neither hang the scan nor grow without end.
//! * Bytes become text by the byte order mark (UTF-16/UTF-32, [`crate::encoding`]), else as UTF-8
//!   repaired byte for byte; NUL bytes mark binary data.

use std::io::Read as _;
use std::path::Path;

use crate::discover;
use crate::ir::{InputProblem, InputProblemKind};
use crate::source::{Format, Span};

use super::FileId;

/// Whether the user named the path (on the command line, `--config`, `--baseline`) or keyless
/// found it (a walk, a module call, a configuration lookup).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Named by the user: a pipe or device is read, bounded.
    Yes,
    /// Found by keyless: only regular files are read.
    No,
}

/// A file's bytes as read, with the identity of what was opened (`None` for standard input).
#[derive(Debug)]
pub struct Bytes {
    pub bytes: Vec<u8>,
    pub id: Option<FileId>,
}

fn problem(kind: InputProblemKind, message: String) -> InputProblem {
    InputProblem {
        kind,
        span: Span::at(0),
        message,
    }
}

/// What kind of file this is, for a message: "a FIFO", "a device", "a socket".
fn what_kind(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO (named pipe)";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

/// Reads a file's bytes with the size cap. See the module documentation for what is read.
pub fn read_bytes(path: &Path, max: u64, named: Named) -> Result<Bytes, InputProblem> {
    let unreadable = |e: std::io::Error| {
        problem(
            InputProblemKind::Unreadable,
            format!("could not read the file: {e}"),
        )
    };
    // Looked at before opening: opening a FIFO waits for a writer.
    let before = std::fs::metadata(path).map_err(unreadable)?;
    if before.is_dir() {
        return Err(problem(
            InputProblemKind::Unreadable,
            "this is a folder, not a file; not read".into(),
        ));
    }
    if !before.is_file() && named == Named::No {
        return Err(problem(
            InputProblemKind::Unreadable,
            format!(
                "this is {}, not a regular file; keyless reads such files only when they are \
                 named on the command line; not read",
                what_kind(&before)
            ),
        ));
    }
    if before.is_file() && before.len() > max {
        return Err(too_large(Some(before.len()), max));
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    // The identity of what was opened, not of what the name pointed to a moment before.
    let meta = file.metadata().map_err(unreadable)?;
    let stream = !meta.is_file();
    if !stream && meta.len() > max {
        return Err(too_large(Some(meta.len()), max));
    }
    let bytes = if stream {
        read_stream(file, max)
    } else {
        // Sized from the opened file: one buffer of the right size, not doubled (and copied)
        // up to it (a 3.3 MB template was read into 4 MiB).
        let mut buf =
            Vec::with_capacity(usize::try_from(meta.len().saturating_add(1)).unwrap_or(0));
        file.take(max.saturating_add(1))
            .read_to_end(&mut buf)
            .map(|_| buf)
    }
    .map_err(unreadable)?;
    if bytes.len() as u64 > max {
        return Err(too_large(None, max));
    }
    Ok(Bytes {
        bytes,
        id: Some(FileId::of(&meta)),
    })
}

fn too_large(len: Option<u64>, max: u64) -> InputProblem {
    problem(
        InputProblemKind::TooLarge,
        match len {
            Some(n) => format!(
                "the file is {n} bytes, over the {max} byte cap (--max-file-size); not scanned"
            ),
            None => format!("the file is over the {max} byte cap (--max-file-size); not scanned"),
        },
    )
}

/// Reads at most `max + 1` bytes from a stream (a file, standard input, a pipe): enough to tell
/// that it is over the cap without holding more of it.
pub fn read_stream(r: impl std::io::Read, max: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    r.take(max.saturating_add(1)).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Why a text file of keyless's own could not be read ([`read_text`]): one line, without the
/// file's content.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadTextError {
    #[error("it is over the {max} byte cap for this file")]
    TooLarge { max: u64 },
    /// Missing, a folder, a device, unreadable: the reader's own words.
    #[error("{0}")]
    Unreadable(String),
    #[error("it holds binary data (NUL bytes)")]
    Binary,
    #[error("it is not valid UTF-8")]
    NotUtf8,
}

/// A text file of keyless's own (`.keyless.toml`, a baseline): read with the cap, as UTF-8 (a
/// UTF-8 byte order mark is dropped).
pub fn read_text(path: &Path, max: u64, named: Named) -> Result<String, ReadTextError> {
    let b = read_bytes(path, max, named).map_err(|p| match p.kind {
        InputProblemKind::TooLarge => ReadTextError::TooLarge { max },
        _ => ReadTextError::Unreadable(
            p.message
                .trim_end_matches("; not read")
                .trim_end_matches("; not scanned")
                .to_string(),
        ),
    })?;
    if b.bytes.contains(&0) {
        return Err(ReadTextError::Binary);
    }
    let mut text = String::from_utf8(b.bytes).map_err(|_| ReadTextError::NotUtf8)?;
    if text.starts_with('\u{feff}') {
        text.drain(..3);
    }
    Ok(text)
}

/// Checks a file's bytes and decodes them as text: size cap, byte order marks of UTF-16/UTF-32,
/// binary check, UTF-8 repair. Problems that still let the file be scanned (invalid UTF-8) come
/// back with the text. `explicit`: the file was named, so a name of no known format is judged by
/// its content ([`discover::format_for_explicit`]).
pub fn decode(
    path: &Path,
    bytes: Vec<u8>,
    max: u64,
    explicit: bool,
) -> Result<(String, Format, Vec<InputProblem>), InputProblem> {
    if bytes.len() as u64 > max {
        return Err(too_large(None, max));
    }
    if let Some(enc) = crate::encoding::detect(&bytes) {
        return read_wide(path, &bytes, enc, explicit);
    }
    let head = &bytes[..bytes.len().min(8192)];
    if let Some(nul) = head.iter().position(|b| *b == 0) {
        return Err(problem(
            InputProblemKind::Binary,
            format!("the file holds binary data (a NUL byte at offset {nul}); not scanned"),
        ));
    }
    let format = format_of(path, head, explicit);
    let mut problems = Vec::new();
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let first = e.utf8_error().valid_up_to();
            problems.push(InputProblem {
                kind: InputProblemKind::InvalidUtf8,
                span: Span::new(first, first + 1),
                message: "the file is not valid UTF-8; invalid bytes were read as `?`".into(),
            });
            repair_utf8(e.into_bytes())
        }
    };
    Ok((text, format, problems))
}

fn format_of(path: &Path, head: &[u8], explicit: bool) -> Format {
    if explicit {
        discover::format_for_explicit(path, head)
    } else {
        discover::format_for_path(path).unwrap_or(Format::Text)
    }
}

/// A file in UTF-16 or UTF-32 (by its byte order mark), decoded to UTF-8 with the mark kept, so
/// lines and columns are the file's own. The binary check looks at the decoded text.
fn read_wide(
    path: &Path,
    bytes: &[u8],
    enc: crate::encoding::Wide,
    explicit: bool,
) -> Result<(String, Format, Vec<InputProblem>), InputProblem> {
    let (text, bad) = crate::encoding::decode(bytes, enc);
    let head = &text.as_bytes()[..text.len().min(8192)];
    if let Some(nul) = head.iter().position(|b| *b == 0) {
        return Err(problem(
            InputProblemKind::Binary,
            format!(
                "the file holds binary data (a NUL character in its {} text, at byte {nul} of \
                 its UTF-8 form); not scanned",
                enc.name()
            ),
        ));
    }
    let format = format_of(path, head, explicit);
    let problems = bad
        .map(|at| InputProblem {
            kind: InputProblemKind::InvalidUtf8,
            span: Span::new(at, at + 1),
            message: format!(
                "the file is not valid {}; invalid code units were read as `?`",
                enc.name()
            ),
        })
        .into_iter()
        .collect();
    Ok((text, format, problems))
}

/// Reads and decodes a file that a scanned file names (a sibling template, a module), with the
/// size cap: regular files only.
pub fn read_decoded(
    path: &Path,
    max: u64,
) -> Result<(String, Format, Vec<InputProblem>), InputProblem> {
    read_bytes(path, max, Named::No).and_then(|b| decode(path, b.bytes, max, true))
}

/// Replaces each byte of an invalid UTF-8 sequence with `?`, one for one, so offsets stay true.
fn repair_utf8(mut bytes: Vec<u8>) -> String {
    let mut i = 0;
    while i < bytes.len() {
        match std::str::from_utf8(&bytes[i..]) {
            Ok(_) => break,
            Err(e) => {
                let bad_start = i + e.valid_up_to();
                let bad_len = e.error_len().unwrap_or(bytes.len() - bad_start);
                for b in &mut bytes[bad_start..bad_start + bad_len] {
                    *b = b'?';
                }
                i = bad_start + bad_len;
            }
        }
    }
    String::from_utf8(bytes).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_repair_keeps_offsets() {
        let bytes = b"ab\xffcd\xe2\x82".to_vec();
        let s = repair_utf8(bytes.clone());
        assert_eq!(s, "ab?cd??");
        assert_eq!(s.len(), bytes.len());
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_read_bounded_when_named_and_refused_when_found() {
        let named = read_bytes(Path::new("/dev/zero"), 1024, Named::Yes).unwrap_err();
        assert_eq!(named.kind, InputProblemKind::TooLarge);
        let found = read_bytes(Path::new("/dev/zero"), 1024, Named::No).unwrap_err();
        assert_eq!(found.kind, InputProblemKind::Unreadable);
        assert!(found.message.contains("a device"), "{}", found.message);
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_found_by_keyless_is_not_opened() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("f.json");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here: nothing to test
        }
        // Opening it would wait for a writer forever: refused before opening.
        let e = read_bytes(&fifo, 1024, Named::No).unwrap_err();
        assert!(e.message.contains("FIFO"), "{}", e.message);
        assert!(read_text(&fifo, 1024, Named::No).is_err());
    }

    #[test]
    fn regular_files_over_the_cap_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.json");
        std::fs::write(&p, vec![b' '; 2048]).unwrap();
        let e = read_bytes(&p, 1024, Named::Yes).unwrap_err();
        assert_eq!(e.kind, InputProblemKind::TooLarge);
        let ok = read_bytes(&p, 4096, Named::No).unwrap();
        assert_eq!(ok.bytes.len(), 2048);
        assert!(ok.id.is_some());
    }
}
