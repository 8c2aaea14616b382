//! Finding the files to scan: a gitignore-aware walk (the `ignore` crate, ripgrep's walker) and
//! format detection by file name. JSON files are told apart by content later, in the parser.

use std::path::{Component, Path, PathBuf};

use crate::source::Format;

/// Folders never descended into unless `--no-ignore`: version control, Terraform's provider cache,
/// package managers' trees.
pub const SKIPPED_DIRS: &[&str] = &[".git", ".terraform", "node_modules", ".hg", ".svn"];

/// Lock files and other generated JSON that hold hashes, not configuration.
const SKIPPED_FILES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "packages.lock.json",
    "composer.lock",
    "pnpm-lock.yaml",
    "yarn.lock",
    ".terraform.lock.hcl",
];

/// The format a file name implies, or `None` when keyless does not read such files in a walk: the
/// names of [`crate::formats::FORMATS`], lock files excepted.
pub fn format_for_path(path: &Path) -> Option<Format> {
    // A name that is not UTF-8 is judged by its lossy form (`web\u{fffd}.config`): its extension
    // still says what it is, and the scan shows the lossy name.
    let name = path.file_name()?.to_string_lossy();
    let lower = name.to_ascii_lowercase();
    if SKIPPED_FILES.contains(&lower.as_str()) {
        return None;
    }
    crate::formats::by_name(&lower)
}

/// A file named explicitly on the command line is always scanned: by its name's format, or as
/// JSON when it looks like JSON, or else as lines of text.
pub fn format_for_explicit(path: &Path, head: &[u8]) -> Format {
    if let Some(f) = format_for_path(path) {
        return f;
    }
    let first = head
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
    match first {
        Some(b'{') => Format::Json,
        _ => Format::Text,
    }
}

/// `path` made absolute against `cwd`, with `.` and `..` removed lexically (no file system access,
/// so symlinked folders compare as written).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// The path shown in reports: relative to the current directory when below it, with `/`.
pub fn display_path(path: &Path, cwd: &Path) -> String {
    let rel = path.strip_prefix(cwd).unwrap_or(path);
    let rel = rel.strip_prefix(".").unwrap_or(rel);
    let s = rel.to_string_lossy().replace('\\', "/");
    if s.is_empty() {
        path.to_string_lossy().replace('\\', "/")
    } else {
        s
    }
}

/// True when a file found below `root` (by git rather than by the walk) is one a walk would scan
/// were it not ignored: a known format, not inside a folder that is never walked.
pub fn walk_would_scan(path: &Path, root: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parents = rel.parent().map(|p| p.components()).into_iter().flatten();
    format_for_path(path).is_some()
        && !parents
            .filter_map(|c| c.as_os_str().to_str())
            .any(|n| SKIPPED_DIRS.contains(&n))
}

/// The files of `files` (absolute) that lie under one of the scan roots and that a walk from it
/// would scan, each shown as below its root as given (`./a/b.json` for `.`), so reports show
/// the paths a walk would. A root that is a file keeps itself when it is in `files`.
pub fn under_roots(files: &[PathBuf], roots: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for root in roots {
        let Ok(canon) = root.canonicalize() else {
            continue;
        };
        for f in files {
            let Ok(rel) = f.strip_prefix(&canon) else {
                continue;
            };
            if canon.is_file() {
                if rel.as_os_str().is_empty() {
                    out.push(root.clone());
                }
                continue;
            }
            let shown = root.join(rel);
            if walk_would_scan(&shown, root) && shown.is_file() {
                out.push(shown);
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Builds the walker over the scan roots. Folder links are followed, each folder once: a link to
/// a folder inside a scan root is not followed (the folder is walked where it is), and of the
/// links to one folder outside the roots only the first is (by device and inode), so links
/// cannot multiply files (two links per level, sixteen levels: one file 65,536 times).
pub fn walker(paths: &[PathBuf], no_ignore: bool, threads: usize) -> ignore::WalkBuilder {
    build_walker(paths, no_ignore, !no_ignore, threads)
}

/// [`walker`], with ignore files honoured or not and the [`SKIPPED_DIRS`] skipped or not.
fn build_walker(
    paths: &[PathBuf],
    no_ignore: bool,
    skip_dirs: bool,
    threads: usize,
) -> ignore::WalkBuilder {
    let mut b = ignore::WalkBuilder::new(&paths[0]);
    for p in &paths[1..] {
        b.add(p);
    }
    b.hidden(false)
        .follow_links(true)
        .threads(threads)
        .require_git(false)
        .git_ignore(!no_ignore)
        .git_global(!no_ignore)
        .git_exclude(!no_ignore)
        .ignore(!no_ignore)
        .parents(!no_ignore);
    let once = FolderOnce::new(paths);
    b.filter_entry(move |e| {
        let is_dir = e.file_type().is_some_and(|t| t.is_dir());
        if !is_dir || e.depth() == 0 {
            return true;
        }
        let skipped = skip_dirs
            && e.file_name()
                .to_str()
                .is_some_and(|n| SKIPPED_DIRS.contains(&n));
        !skipped && (!e.path_is_symlink() || once.first_visit(e.path()))
    });
    b
}

/// Every file under `root` that a walk would scan were no ignore file honoured (skipped folders
/// still skipped): what a walk may have left out when git cannot tell which files it tracks.
pub fn every_file(root: &Path, threads: usize) -> Vec<PathBuf> {
    let (tx, rx) = std::sync::mpsc::channel();
    build_walker(&[root.to_path_buf()], true, true, threads)
        .build_parallel()
        .run(|| {
            let tx = tx.clone();
            Box::new(move |e| {
                if let Ok(e) = e {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        let _ = tx.send(e.into_path());
                    }
                }
                ignore::WalkState::Continue
            })
        });
    drop(tx);
    rx.into_iter().collect()
}

/// The folders reached through links during one walk.
struct FolderOnce {
    roots: Vec<PathBuf>,
    seen: std::sync::Mutex<std::collections::HashSet<(u64, u64)>>,
}

impl FolderOnce {
    fn new(paths: &[PathBuf]) -> FolderOnce {
        FolderOnce {
            roots: paths.iter().filter_map(|p| p.canonicalize().ok()).collect(),
            seen: Default::default(),
        }
    }

    /// True when the folder a link at `path` leads to is to be walked now.
    fn first_visit(&self, path: &Path) -> bool {
        let Ok(target) = path.canonicalize() else {
            return true; // the walker reports what is wrong with it
        };
        if self.roots.iter().any(|r| target.starts_with(r)) {
            return false;
        }
        let Ok(meta) = std::fs::metadata(&target) else {
            return true;
        };
        let id = crate::io::FileId::of(&meta);
        if id.ino == 0 {
            return true; // no inodes here: links are left to the walker's loop check
        }
        self.seen
            .lock()
            .map_or(true, |mut s| s.insert((id.dev, id.ino)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("a/main.tf" => Some(Format::Terraform))]
    #[test_case("prod.tfvars" => Some(Format::TerraformVars))]
    #[test_case("main.tf.json" => Some(Format::TerraformJson))]
    #[test_case("appsettings.Development.json" => Some(Format::AppSettings))]
    #[test_case("local.settings.json" => Some(Format::AppSettings))]
    #[test_case("azuredeploy.json" => Some(Format::Json))]
    #[test_case("Web.config" => Some(Format::XmlConfig))]
    #[test_case("Properties/Release.pubxml" => Some(Format::XmlConfig))]
    #[test_case("Release.pubxml.user" => Some(Format::XmlConfig))]
    #[test_case(".env" => Some(Format::Dotenv))]
    #[test_case(".env.local" => Some(Format::Dotenv))]
    #[test_case("prod.env" => Some(Format::Dotenv))]
    #[test_case("application.properties" => Some(Format::Properties))]
    #[test_case("application-prod.properties" => Some(Format::Properties))]
    #[test_case("bootstrap.properties" => Some(Format::Properties))]
    #[test_case("messages.properties" => None)]
    #[test_case("prod.tfbackend" => Some(Format::TerraformVars))]
    #[test_case("azure-pipelines.yml" => Some(Format::Yaml))]
    #[test_case("main.bicep" => Some(Format::Bicep))]
    #[test_case("main.bicepparam" => Some(Format::BicepParams))]
    #[test_case("package-lock.json" => None)]
    #[test_case("README.md" => None)]
    fn formats_by_name(name: &str) -> Option<Format> {
        format_for_path(Path::new(name))
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_keep_their_format() {
        use std::os::unix::ffi::OsStrExt;
        let name = |b: &[u8]| Path::new(std::ffi::OsStr::from_bytes(b)).to_path_buf();
        assert_eq!(
            format_for_path(&name(b"dir/web\xff.config")),
            Some(Format::XmlConfig)
        );
        assert_eq!(
            format_for_path(&name(b"appsettings.\xe9t\xe9.json")),
            Some(Format::AppSettings)
        );
        assert_eq!(
            format_for_explicit(&name(b"\xffmain.tf"), b"x = 1"),
            Format::Terraform
        );
    }

    #[test]
    fn explicit_files_fall_back_to_text_or_json() {
        assert_eq!(
            format_for_explicit(Path::new("notes.txt"), b"key=1"),
            Format::Text
        );
        assert_eq!(
            format_for_explicit(Path::new("x.template"), b"  {\"a\":1}"),
            Format::Json
        );
    }
}
