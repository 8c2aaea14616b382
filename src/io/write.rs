//! The one writer: fixed files (`--fix`), reports (`-o`) and baselines (`--write-baseline`).
//!
//! * A file is replaced atomically: a temporary file created exclusively in the same folder
//!   (`O_CREAT | O_EXCL`, so a link planted under its name is never followed or truncated), written,
//!   flushed, given the old file's mode (and, as root, its owner), then renamed over the old one.
//! * Never through a link: a fix is refused when the file, or a folder between the scan root and
//!   the file, is a symbolic link (the link's target may lie outside the tree); `-o` and
//!   `--write-baseline` refuse a link to a regular file.
//! * Never what the user could not write in place: a read-only file, another user's file, or (for
//!   a fix) a file with other hard links (replacing it would leave the secret under the other
//!   names). A report or baseline replaced under one name leaves the others as they were.
//! * Never a file that was not read: a fix is written only while the path still names the file
//!   (device and inode) that was read and checked.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use super::FileId;

/// Why a file was not written: one line for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Refused {
    fn from(e: std::io::Error) -> Self {
        Refused(e.to_string())
    }
}

/// Writes a fixed file over the file it was read from. `path` is the path that was read,
/// `trusted` the scan root it was found under (links among the folders the user named are the
/// user's; links the walk went through are not), `id` what was read.
pub fn write_fixed(path: &Path, trusted: &Path, id: &FileId, bytes: &[u8]) -> Result<(), Refused> {
    no_links_below(path, trusted)?;
    let meta = std::fs::symlink_metadata(path)?;
    if meta.file_type().is_symlink() {
        return Err(Refused(
            "it is a symbolic link; keyless does not write through links: fix the file it points to"
                .into(),
        ));
    }
    if !meta.is_file() {
        return Err(Refused("it is not a regular file".into()));
    }
    if !FileId::of(&meta).same_file(id) {
        return Err(Refused(
            "the path names another file than the one that was read (it was replaced meanwhile); \
             not written"
                .into(),
        ));
    }
    writable_in_place(&meta, false)?;
    replace(path, bytes, Some(&meta), Some(id))
}

/// Writes a report or a baseline: a new file, or over a regular file the user may write (see
/// the module documentation), or in place into a pipe or device (`/dev/stdout`, a FIFO).
pub fn write_output(path: &Path, bytes: &[u8]) -> Result<(), Refused> {
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => replace(path, bytes, None, None),
        Err(e) => Err(e.into()),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::metadata(path) {
            // `/dev/stdout` and friends are links to whatever the stream is
            Ok(target) if !target.is_file() || path.starts_with("/dev") => in_place(path, bytes),
            Ok(_) => Err(Refused(
                "it is a symbolic link; keyless does not write through links: name its target"
                    .into(),
            )),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Refused(
                "it is a dangling symbolic link; keyless does not write through links".into(),
            )),
            Err(e) => Err(e.into()),
        },
        Ok(meta) if meta.is_dir() => Err(Refused("it is a folder".into())),
        Ok(meta) if !meta.is_file() => in_place(path, bytes),
        Ok(meta) => {
            // A report or baseline replaced under one name leaves the old one under the others
            // (nothing secret: reports are redacted): that is what renaming over it means.
            writable_in_place(&meta, true)?;
            replace(path, bytes, Some(&meta), Some(&FileId::of(&meta)))
        }
    }
}

/// A pipe or device is written as it is: renaming over it would replace it with a file.
fn in_place(path: &Path, bytes: &[u8]) -> Result<(), Refused> {
    let mut f = std::fs::OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    Ok(())
}

/// Refuses a file that the user could not write in place: read-only, another user's, or (unless
/// `hard_links_ok`) with other hard links.
fn writable_in_place(meta: &std::fs::Metadata, hard_links_ok: bool) -> Result<(), Refused> {
    let id = FileId::of(meta);
    if meta.permissions().readonly() || (cfg!(unix) && id.mode & 0o200 == 0) {
        return Err(Refused(
            "the file is read-only; keyless does not replace it (make it writable first)".into(),
        ));
    }
    if id.nlink > 1 && !hard_links_ok {
        return Err(Refused(format!(
            "the file has {} hard links; replacing it would leave the old text under the other \
             names, so it is not written",
            id.nlink
        )));
    }
    if let Some(me) = super::current_uid() {
        if me != 0 && id.uid != me {
            return Err(Refused(
                "the file belongs to another user; keyless does not replace it".into(),
            ));
        }
    }
    Ok(())
}

/// True for a path component that is a symbolic link.
fn is_link(p: &Path) -> bool {
    std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
}

/// Refuses a path with a symbolic link among the folders between `trusted` and the file.
fn no_links_below(path: &Path, trusted: &Path) -> Result<(), Refused> {
    let trusted_len = if path.starts_with(trusted) && path != trusted {
        trusted.components().count()
    } else {
        // the file itself was named: the folders on the way are the user's
        path.components().count().saturating_sub(1)
    };
    let mut at = PathBuf::new();
    let all: Vec<_> = path.components().collect();
    for (i, c) in all.iter().enumerate() {
        at.push(c);
        if i + 1 > trusted_len && i + 1 < all.len() && is_link(&at) {
            return Err(Refused(format!(
                "the folder `{}` on its path is a symbolic link; keyless does not write through \
                 links (the target may lie outside the scanned tree)",
                crate::redact::escape_control(&at.to_string_lossy())
            )));
        }
    }
    Ok(())
}

/// Replaces `path` with `bytes` through an exclusive temporary file in the same folder, keeping
/// the old file's mode (and owner, when running as root). With `id`, the rename happens only if
/// the path still names that file.
fn replace(
    path: &Path,
    bytes: &[u8],
    old: Option<&std::fs::Metadata>,
    id: Option<&FileId>,
) -> Result<(), Refused> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or_else(|| Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut b = tempfile::Builder::new();
    b.prefix(&prefix).suffix(".keyless.tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // a new file gets what the user's umask allows, as any program's output does
        b.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = b.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if let Some(meta) = old {
        tmp.as_file().set_permissions(meta.permissions())?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            if super::current_uid() == Some(0) {
                std::os::unix::fs::fchown(tmp.as_file(), Some(meta.uid()), Some(meta.gid()))?;
            }
        }
    }
    tmp.as_file().sync_all()?;
    if let Some(id) = id {
        let now = std::fs::symlink_metadata(path)?;
        if now.file_type().is_symlink() || !FileId::of(&now).same_file(id) {
            return Err(Refused(
                "the path was replaced while keyless wrote it; not written".into(),
            ));
        }
    }
    tmp.persist(path)
        .map_err(|e| Refused(e.error.to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.json");
        std::fs::write(&p, "old").unwrap();
        write_output(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        let q = dir.path().join("b.json");
        write_output(&q, b"fresh").unwrap();
        assert_eq!(std::fs::read_to_string(&q).unwrap(), "fresh");
    }

    #[cfg(unix)]
    #[test]
    fn output_refuses_links_read_only_files_and_hard_links() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target.txt");
        std::fs::write(&target, "keep").unwrap();
        let link = dir.path().join("report.json");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_output(&link, b"x").is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

        // a fix refuses a file with other names; a report replaces its own name only
        let hard = dir.path().join("hard.json");
        std::fs::hard_link(&target, &hard).unwrap();
        let id = FileId::of(&std::fs::metadata(&hard).unwrap());
        assert!(write_fixed(&hard, dir.path(), &id, b"x").is_err());
        write_output(&hard, b"x").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");

        let ro = dir.path().join("ro.json");
        std::fs::write(&ro, "keep").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
        assert!(write_output(&ro, b"x").is_err());
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "keep");
    }

    #[cfg(unix)]
    #[test]
    fn a_fix_keeps_the_mode_and_needs_the_same_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("main.bicep");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        let id = FileId::of(&std::fs::metadata(&p).unwrap());
        write_fixed(&p, dir.path(), &id, b"new").unwrap();
        let meta = std::fs::metadata(&p).unwrap();
        assert_eq!(meta.permissions().mode() & 0o777, 0o640);
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        // the path now names another inode than `id`: refused
        assert!(write_fixed(&p, dir.path(), &id, b"newer").is_err());
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
    }

    #[cfg(unix)]
    #[test]
    fn a_fix_is_not_written_through_a_folder_link() {
        let outside = tempfile::tempdir().unwrap();
        let tree = tempfile::tempdir().unwrap();
        let real = outside.path().join("main.bicep");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(outside.path(), tree.path().join("linked")).unwrap();
        let via = tree.path().join("linked").join("main.bicep");
        let id = FileId::of(&std::fs::metadata(&via).unwrap());
        let e = write_fixed(&via, tree.path(), &id, b"new").unwrap_err();
        assert!(e.0.contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
        // the same folder named as the root is the user's choice
        write_fixed(&via, &tree.path().join("linked"), &id, b"new").unwrap();
    }
}
