//! The one I/O layer: every file keyless reads goes through [`read`] (size cap, regular-file check,
//! bounded reads of pipes and devices named on purpose, encodings), and every file it writes through
//! [`write`] (fixes, reports, baselines: never through a link, never a file it did not read, mode
//! and owner kept, temporary files created exclusively).
//!
//! A file's [`FileId`] is taken from the open file when it is read and travels with its report to
//! the writer, which checks that the path still names that same file before replacing it.

pub mod files;
pub mod read;
pub mod write;

/// Who a file is: the device and inode it was read from, and what decides whether it may be
/// written in place (mode, owner, number of links). Zero where the platform has no such notion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FileId {
    pub dev: u64,
    pub ino: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u64,
}

impl FileId {
    /// The identity of a file from its metadata.
    #[cfg(unix)]
    pub fn of(meta: &std::fs::Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt;
        FileId {
            dev: meta.dev(),
            ino: meta.ino(),
            mode: meta.mode(),
            uid: meta.uid(),
            gid: meta.gid(),
            nlink: meta.nlink(),
        }
    }

    /// The identity of a file from its metadata.
    #[cfg(not(unix))]
    pub fn of(meta: &std::fs::Metadata) -> FileId {
        FileId {
            mode: if meta.permissions().readonly() {
                0o444
            } else {
                0o644
            },
            nlink: 1,
            ..FileId::default()
        }
    }

    /// True when both name the same file (device and inode).
    pub fn same_file(&self, other: &FileId) -> bool {
        self.dev == other.dev && self.ino == other.ino
    }
}

/// The effective user id of this process (the owner of `/proc/self` on Linux), when known.
pub fn current_uid() -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let Ok(m) = std::fs::metadata("/proc/self") {
            return Some(m.uid());
        }
        // Elsewhere: the owner of a file this process creates.
        let probe = tempfile::tempfile().ok()?;
        probe.metadata().ok().map(|m| m.uid())
    }
    #[cfg(not(unix))]
    {
        None
    }
}
