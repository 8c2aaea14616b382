//! Reading a git repository in-process (the `gix` crate): commits, trees and blobs straight from
//! the object database, with no `git` command run and nothing the repository's configuration names
//! executed (no hooks, `core.fsmonitor`, filters, credential helpers; system, global and
//! environment configuration are not even read). Works on bare repositories and shallow clones.
//!
//! What `keyless history` needs, and what a working-tree adapter can share ([`Repo::open`]):
//!
//! * [`Repo::resolve`]: a revision (`HEAD`, a branch, tag or remote-tracking name, a full commit
//!   id) to a commit.
//! * [`Repo::walk`]: the commits reachable from some tips and not from others (`A..B`), or since a
//!   date, oldest first (parents before children), with the shallow boundary noted.
//! * [`Repo::new_blobs`]: each blob of those commits' trees once, at the first commit whose tree
//!   holds it; subtrees already seen at the same path are not read again.
//! * [`Repo::blob_ids`] (the blobs of one tree) and [`Repo::removals`] (which commit last
//!   removed a blob), for "still in HEAD, or removed in which commit".
//! * [`Reader`]: a per-thread handle reading blobs, with their size known before the content.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use gix::objs::{Find as _, Kind};
pub use gix::ObjectId;

/// The delta bases each [`Reader`] keeps (git's default `core.deltaBaseCacheLimit` is 96 MB for
/// one process; each worker thread has its own).
const PACK_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// Why the repository could not be read (a usage error: exit 2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryError {
    /// No git repository at or above the folder.
    NotARepository(PathBuf, String),
    /// The revision names no commit.
    UnknownRevision(String),
    /// `--range`: the range as given, and what is wrong with it.
    BadRange(String, String),
    /// The repository has no commit yet.
    NoCommits,
    /// Reading an object or reference failed.
    Read(String),
}

impl std::fmt::Display for HistoryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HistoryError::NotARepository(p, e) => write!(
                f,
                "`{}` is not in a git repository ({e}); run keyless history in a clone, or pass its folder with -C",
                p.display()
            ),
            HistoryError::UnknownRevision(r) => write!(
                f,
                "`{r}` names no commit in this repository: give a branch, tag, remote-tracking \
                 branch (origin/main), commit id or `HEAD~3`; CI checkouts are often shallow, so fetch \
                 it first (`git fetch origin main`, or `fetch-depth: 0`)"
            ),
            HistoryError::BadRange(r, why) => write!(f, "--range `{r}`: {why}"),
            HistoryError::NoCommits => write!(f, "the repository has no commit yet"),
            HistoryError::Read(e) => write!(f, "could not read the repository: {e}"),
        }
    }
}

fn read_err(e: impl std::fmt::Display) -> HistoryError {
    HistoryError::Read(e.to_string())
}

/// A repository opened for reading. Cheap to share across threads: each worker takes a
/// [`Reader`] of its own.
pub struct Repo {
    repo: gix::ThreadSafeRepository,
}

/// What [`Repo::new_blobs`] calls for each blob: the commit index (`None` at the boundary), the
/// path, the blob and its kind.
pub type FoundBlob<'a> = dyn FnMut(Option<u32>, &[u8], ObjectId, BlobKind) + 'a;

/// One commit of a walk.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// Indexes (into [`Walk::commits`]) of the parents that are part of the walk.
    pub parents: Vec<u32>,
    /// Author date: seconds since the epoch, and the author's offset from UTC in seconds.
    pub author_time: i64,
    pub author_offset: i32,
}

/// The commits to scan, oldest first: every commit comes after its parents.
#[derive(Debug, Default)]
pub struct Walk {
    pub commits: Vec<Commit>,
    /// Commits left out at the edge of the walk (reachable from an excluded tip, or older than
    /// `--since`) that are parents of walked commits: what was there before the walked commits.
    pub boundary: Vec<ObjectId>,
    /// Walked commits whose parents are not in this clone (a shallow clone's boundary).
    pub shallow_cut: usize,
}

/// Where a blob stands in a tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobKind {
    Blob,
    Symlink,
}

impl Repo {
    /// Opens the repository that holds `dir` (a work tree or its subfolder, a `.git` folder, a bare
    /// repository), isolated: only the repository's own configuration is read, and nothing it
    /// names is run.
    pub fn open(dir: &Path) -> Result<Repo, HistoryError> {
        // Isolated: no environment variable (GIT_DIR, GIT_CONFIG_*…) and no system or global
        // configuration; the same options whatever the folder's owner.
        let trust = gix::sec::trust::Mapping {
            full: gix::open::Options::isolated(),
            reduced: gix::open::Options::isolated(),
        };
        let repo = gix::ThreadSafeRepository::discover_opts(
            dir,
            gix::discover::upwards::Options::default(),
            trust,
        )
        .map_err(|e| HistoryError::NotARepository(dir.to_path_buf(), e.to_string()))?;
        Ok(Repo { repo })
    }

    fn local(&self) -> gix::Repository {
        self.repo.to_thread_local()
    }

    /// The work tree's top folder; `None` for a bare repository.
    pub fn work_dir(&self) -> Option<&Path> {
        self.repo.work_dir()
    }

    /// The repository's git folder.
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    /// A reader for one thread.
    pub fn reader(&self) -> Reader {
        let mut repo = self.local();
        // trees and commits are read many times over while walking; a small cache pays
        repo.object_cache_size_if_unset(4 * 1024 * 1024);
        // the bases of delta chains: without it, reading each version of a file inflates the
        // whole chain of versions it is stored against again (git's core.deltaBaseCacheLimit)
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE_BYTES,
            ))
        });
        Reader {
            repo,
            buf: Vec::new(),
        }
    }

    /// The commit HEAD points at; `None` in a repository without commits.
    pub fn head(&self) -> Result<Option<ObjectId>, HistoryError> {
        let repo = self.local();
        match repo.head_id() {
            Ok(id) => Ok(Some(id.detach())),
            Err(_) => {
                let head = repo.head().map_err(read_err)?;
                if head.is_unborn() {
                    Ok(None)
                } else {
                    Err(HistoryError::Read("HEAD names no commit".into()))
                }
            }
        }
    }

    /// The branch HEAD is on (`main`), when it is on one.
    pub fn head_branch(&self) -> Option<String> {
        let name = self.local().head_name().ok()??;
        Some(name.shorten().to_string())
    }

    /// `remote.origin.url` with any user name and password taken out, when set.
    pub fn origin_url(&self) -> Option<String> {
        let url = self.local().config_snapshot().string("remote.origin.url")?;
        let url = url.to_string();
        Some(match url.split_once("://") {
            Some((scheme, rest)) => {
                let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
                let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
                format!("{scheme}://{host}/{path}")
            }
            None => url,
        })
    }

    /// The commit a revision names, as `git rev-parse` reads it: `HEAD`, a full or short commit
    /// id, a branch, tag or remote-tracking name (`main`, `v1.2`, `origin/main`, `refs/heads/x`),
    /// with ancestry and peeling (`HEAD~3`, `main^2`, `v1.2^{commit}`). Tags are peeled to their
    /// commit. Nothing is run: regular-expression searches (`:/text`) are not read.
    pub fn resolve(&self, spec: &str) -> Result<ObjectId, HistoryError> {
        let unknown = || HistoryError::UnknownRevision(spec.to_string());
        let spec = spec.trim();
        if spec.is_empty() || spec.starts_with('-') {
            return Err(unknown());
        }
        let repo = self.local();
        let id = if spec == "HEAD" || spec == "@" {
            self.head()?.ok_or_else(unknown)?
        } else {
            repo.rev_parse_single(spec).map_err(|_| unknown())?.detach()
        };
        let mut reader = self.reader();
        reader.peel_to_commit(id).ok_or_else(unknown)
    }

    /// The two ends of `A..B` (the commits of B that A does not have): an empty side is `HEAD`
    /// (`origin/main..` is `origin/main..HEAD`), each side a revision [`Repo::resolve`] reads.
    pub fn range(&self, range: &str) -> Result<(ObjectId, ObjectId), HistoryError> {
        let bad = |why: String| HistoryError::BadRange(range.to_string(), why);
        let Some((a, b)) = range.split_once("..") else {
            return Err(bad(
                "expected A..B, the commits of B that A does not have".into()
            ));
        };
        if b.starts_with('.') {
            return Err(bad(
                "A...B (the commits of either side, not of both) is not supported: give A..B, \
                 the commits of B that A does not have"
                    .into(),
            ));
        }
        let side = |s: &str| {
            self.resolve(if s.trim().is_empty() { "HEAD" } else { s })
                .map_err(|e| bad(e.to_string()))
        };
        Ok((side(a)?, side(b)?))
    }

    /// The tips of every reference (branches, remote-tracking branches, tags that name commits)
    /// and HEAD, for `--all`.
    pub fn all_tips(&self) -> Result<Vec<ObjectId>, HistoryError> {
        let repo = self.local();
        let mut tips: Vec<ObjectId> = self.head()?.into_iter().collect();
        let platform = repo.references().map_err(read_err)?;
        let mut reader = self.reader();
        for r in platform.all().map_err(read_err)?.flatten() {
            if let Ok(id) = r.into_fully_peeled_id() {
                if let Some(c) = reader.peel_to_commit(id.detach()) {
                    tips.push(c);
                }
            }
        }
        tips.sort();
        tips.dedup();
        Ok(tips)
    }

    /// The commits reachable from `tips` and not from `hide`, committed at or after `since`
    /// (seconds since the epoch), oldest first.
    pub fn walk(
        &self,
        tips: &[ObjectId],
        hide: &[ObjectId],
        since: Option<i64>,
    ) -> Result<Walk, HistoryError> {
        let mut reader = self.reader();
        let shallow: HashSet<ObjectId> = self
            .local()
            .shallow_commits()
            .ok()
            .flatten()
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default();
        // everything reachable from the hidden tips
        let mut hidden: HashSet<ObjectId> = HashSet::new();
        let mut stack: Vec<ObjectId> = hide.to_vec();
        while let Some(id) = stack.pop() {
            if !hidden.insert(id) || shallow.contains(&id) {
                continue;
            }
            if let Some(c) = reader.commit(id)? {
                stack.extend(c.parents);
            }
        }
        // the walk proper
        struct Raw {
            id: ObjectId,
            tree: ObjectId,
            parents: Vec<ObjectId>,
            commit_time: i64,
            author_time: i64,
            author_offset: i32,
        }
        let mut raw: Vec<Raw> = Vec::new();
        let mut index: HashMap<ObjectId, u32> = HashMap::new();
        let mut seen: HashSet<ObjectId> = HashSet::new();
        let mut boundary: HashSet<ObjectId> = HashSet::new();
        let mut shallow_cut = 0;
        let mut stack: Vec<ObjectId> = tips
            .iter()
            .filter(|t| !hidden.contains(*t))
            .copied()
            .collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let Some(c) = reader.commit(id)? else {
                // a parent missing from a clone that does not say it is shallow
                shallow_cut += 1;
                continue;
            };
            if since.is_some_and(|s| c.commit_time < s) {
                boundary.insert(id);
                continue;
            }
            let parents = if shallow.contains(&id) {
                shallow_cut += 1;
                Vec::new()
            } else {
                c.parents
            };
            for p in &parents {
                if hidden.contains(p) {
                    boundary.insert(*p);
                } else {
                    stack.push(*p);
                }
            }
            index.insert(id, raw.len() as u32);
            raw.push(Raw {
                id,
                tree: c.tree,
                parents,
                commit_time: c.commit_time,
                author_time: c.author_time,
                author_offset: c.author_offset,
            });
        }
        // oldest first, parents before children: Kahn's algorithm, the earliest commit first
        let n = raw.len();
        let mut waiting = vec![0usize; n];
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (i, r) in raw.iter().enumerate() {
            for p in &r.parents {
                if let Some(&pi) = index.get(p) {
                    waiting[i] += 1;
                    children[pi as usize].push(i as u32);
                }
            }
        }
        let mut ready: BinaryHeap<std::cmp::Reverse<(i64, ObjectId, u32)>> = BinaryHeap::new();
        for (i, r) in raw.iter().enumerate() {
            if waiting[i] == 0 {
                ready.push(std::cmp::Reverse((r.commit_time, r.id, i as u32)));
            }
        }
        let mut order: Vec<u32> = Vec::with_capacity(n);
        while let Some(std::cmp::Reverse((_, _, i))) = ready.pop() {
            order.push(i);
            for &c in &children[i as usize] {
                waiting[c as usize] -= 1;
                if waiting[c as usize] == 0 {
                    let r = &raw[c as usize];
                    ready.push(std::cmp::Reverse((r.commit_time, r.id, c)));
                }
            }
        }
        let mut position = vec![0u32; n];
        for (pos, &i) in order.iter().enumerate() {
            position[i as usize] = pos as u32;
        }
        let mut commits: Vec<Commit> = Vec::with_capacity(n);
        for &i in &order {
            let r = &raw[i as usize];
            commits.push(Commit {
                id: r.id,
                tree: r.tree,
                parents: r
                    .parents
                    .iter()
                    .filter_map(|p| index.get(p).map(|&pi| position[pi as usize]))
                    .collect(),
                author_time: r.author_time,
                author_offset: r.author_offset,
            });
        }
        // boundary commits that are themselves walked (a tip hidden and shown) are not edges
        let mut boundary: Vec<ObjectId> = boundary
            .into_iter()
            .filter(|b| !index.contains_key(b))
            .collect();
        boundary.sort();
        Ok(Walk {
            commits,
            boundary,
            shallow_cut,
        })
    }

    /// Calls `found(commit, path, blob, entry)` once for each blob of the walk's trees the first
    /// time the walk meets it at a path: `commit` is the index of the first commit (oldest first)
    /// whose tree holds it there, `None` for blobs already in a boundary commit. Folders for which
    /// `descend(path)` is false are not entered. A subtree met again at the same path is not read
    /// again: what it holds was reported the first time.
    pub fn new_blobs(
        &self,
        walk: &Walk,
        descend: &dyn Fn(&[u8]) -> bool,
        found: &mut FoundBlob<'_>,
    ) -> Result<(), HistoryError> {
        let mut reader = self.reader();
        let mut seen_trees: HashSet<(ObjectId, u64)> = HashSet::new();
        let mut path = Vec::new();
        for b in &walk.boundary {
            if let Some(c) = reader.commit(*b)? {
                reader.visit(
                    c.tree,
                    &mut path,
                    &mut seen_trees,
                    descend,
                    &mut |p, id, e| found(None, p, id, e),
                )?;
            }
        }
        for (i, c) in walk.commits.iter().enumerate() {
            reader.visit(
                c.tree,
                &mut path,
                &mut seen_trees,
                descend,
                &mut |p, id, e| found(Some(i as u32), p, id, e),
            )?;
        }
        Ok(())
    }

    /// Every blob id of a commit's tree (files and symbolic links, at any depth).
    pub fn blob_ids(&self, commit: ObjectId) -> Result<HashSet<ObjectId>, HistoryError> {
        let mut reader = self.reader();
        let mut out = HashSet::new();
        if let Some(c) = reader.commit(commit)? {
            let mut seen = HashSet::new();
            let mut path = Vec::new();
            reader.visit(c.tree, &mut path, &mut seen, &|_| true, &mut |_, id, _| {
                out.insert(id);
            })?;
        }
        Ok(out)
    }

    /// For the blobs in `wanted`: the newest commit of the walk (newest first, each commit against
    /// each of its parents) that removed the blob, where a blob moved to another path in the same
    /// commit does not count as removed. Stops once every wanted blob has an answer.
    pub fn removals(
        &self,
        walk: &Walk,
        wanted: &HashSet<ObjectId>,
    ) -> Result<HashMap<ObjectId, u32>, HistoryError> {
        let mut reader = self.reader();
        let mut out: HashMap<ObjectId, u32> = HashMap::new();
        for (i, c) in walk.commits.iter().enumerate().rev() {
            if out.len() == wanted.len() {
                break;
            }
            for &p in &c.parents {
                let parent = &walk.commits[p as usize];
                let (mut gone, mut added) = (Vec::new(), HashSet::new());
                reader.diff(Some(parent.tree), Some(c.tree), &mut gone, &mut added)?;
                for g in gone {
                    if wanted.contains(&g) && !added.contains(&g) {
                        out.entry(g).or_insert(i as u32);
                    }
                }
            }
        }
        Ok(out)
    }
}

/// A commit as read from the object database.
struct RawCommit {
    tree: ObjectId,
    parents: Vec<ObjectId>,
    commit_time: i64,
    author_time: i64,
    author_offset: i32,
}

/// A signature's time: seconds since the epoch and the offset from UTC (0, 0 when unreadable).
fn seconds(s: Option<gix::actor::SignatureRef<'_>>) -> (i64, i32) {
    s.and_then(|s| s.time().ok())
        .map_or((0, 0), |t| (t.seconds, t.offset))
}

/// The outcome of reading a blob.
pub enum Blob {
    /// Its content.
    Data(Vec<u8>),
    /// Larger than the cap: its size, the content not read.
    TooLarge(u64),
}

/// One thread's handle on the object database.
pub struct Reader {
    repo: gix::Repository,
    buf: Vec<u8>,
}

/// One entry of a tree, decoded.
struct TreeEntry {
    name: Vec<u8>,
    id: ObjectId,
    kind: EntryKind,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Tree,
    Blob,
    Symlink,
    /// A submodule's commit: not in this repository.
    Other,
}

impl Reader {
    /// A blob's content, or only its size when over `max` bytes (read from the object's header,
    /// without inflating it). `None` when the object is missing or not a blob.
    pub fn blob(&mut self, id: ObjectId, max: u64) -> Result<Option<Blob>, HistoryError> {
        let header = match self.repo.find_header(id) {
            Ok(h) => h,
            Err(_) => return Ok(None),
        };
        if header.kind() != Kind::Blob {
            return Ok(None);
        }
        if header.size() > max {
            return Ok(Some(Blob::TooLarge(header.size())));
        }
        match self
            .repo
            .objects
            .try_find(&id, &mut self.buf)
            .map_err(read_err)?
        {
            Some(data) if data.kind == Kind::Blob => Ok(Some(Blob::Data(data.data.to_vec()))),
            _ => Ok(None),
        }
    }

    fn commit(&mut self, id: ObjectId) -> Result<Option<RawCommit>, HistoryError> {
        let hash = self.repo.object_hash();
        let Some(data) = self
            .repo
            .objects
            .try_find(&id, &mut self.buf)
            .map_err(read_err)?
        else {
            return Ok(None);
        };
        if data.kind != Kind::Commit {
            return Ok(None);
        }
        let bytes = data.data;
        let mut iter = gix::objs::CommitRefIter::from_bytes(bytes, hash);
        let tree = iter.tree_id().map_err(read_err)?;
        let parents: Vec<ObjectId> = gix::objs::CommitRefIter::from_bytes(bytes, hash)
            .parent_ids()
            .collect();
        let (author_time, author_offset) = seconds(
            gix::objs::CommitRefIter::from_bytes(bytes, hash)
                .author()
                .ok(),
        );
        let (commit_time, _) = seconds(
            gix::objs::CommitRefIter::from_bytes(bytes, hash)
                .committer()
                .ok(),
        );
        Ok(Some(RawCommit {
            tree,
            parents,
            commit_time,
            author_time,
            author_offset,
        }))
    }

    /// The commit an object leads to: itself, or what (nested) annotated tags point at.
    fn peel_to_commit(&mut self, mut id: ObjectId) -> Option<ObjectId> {
        let hash = self.repo.object_hash();
        for _ in 0..32 {
            let data = self.repo.objects.try_find(&id, &mut self.buf).ok()??;
            match data.kind {
                Kind::Commit => return Some(id),
                Kind::Tag => {
                    id = gix::objs::TagRefIter::from_bytes(data.data, hash)
                        .target_id()
                        .ok()?;
                }
                _ => return None,
            }
        }
        None
    }

    fn tree(&mut self, id: ObjectId) -> Result<Vec<TreeEntry>, HistoryError> {
        let hash = self.repo.object_hash();
        let Some(data) = self
            .repo
            .objects
            .try_find(&id, &mut self.buf)
            .map_err(read_err)?
        else {
            return Err(HistoryError::Read(format!("tree {id} is missing")));
        };
        if data.kind != Kind::Tree {
            return Err(HistoryError::Read(format!("{id} is not a tree")));
        }
        let mut out = Vec::new();
        for e in gix::objs::TreeRefIter::from_bytes(data.data, hash) {
            let e = e.map_err(read_err)?;
            let kind = if e.mode.is_tree() {
                EntryKind::Tree
            } else if e.mode.is_link() {
                EntryKind::Symlink
            } else if e.mode.is_blob() {
                EntryKind::Blob
            } else {
                EntryKind::Other
            };
            out.push(TreeEntry {
                name: e.filename.to_vec(),
                id: e.oid.to_owned(),
                kind,
            });
        }
        Ok(out)
    }

    /// Reports the blobs of a tree not yet seen at their path (see [`Repo::new_blobs`]).
    fn visit(
        &mut self,
        tree: ObjectId,
        path: &mut Vec<u8>,
        seen: &mut HashSet<(ObjectId, u64)>,
        descend: &dyn Fn(&[u8]) -> bool,
        found: &mut dyn FnMut(&[u8], ObjectId, BlobKind),
    ) -> Result<(), HistoryError> {
        if !seen.insert((tree, crate::finding::fnv1a(&[path.as_slice()]))) {
            return Ok(());
        }
        for e in self.tree(tree)? {
            let len = path.len();
            if !path.is_empty() {
                path.push(b'/');
            }
            path.extend_from_slice(&e.name);
            match e.kind {
                EntryKind::Tree if descend(path) => self.visit(e.id, path, seen, descend, found)?,
                EntryKind::Blob => found(path, e.id, BlobKind::Blob),
                EntryKind::Symlink => found(path, e.id, BlobKind::Symlink),
                _ => {}
            }
            path.truncate(len);
        }
        Ok(())
    }

    /// The blobs present in `old` and not at the same path in `new` (`gone`), and those of `new`
    /// not at the same path in `old` (`added`). Equal subtrees are not read.
    fn diff(
        &mut self,
        old: Option<ObjectId>,
        new: Option<ObjectId>,
        gone: &mut Vec<ObjectId>,
        added: &mut HashSet<ObjectId>,
    ) -> Result<(), HistoryError> {
        if old == new {
            return Ok(());
        }
        let old_entries = match old {
            Some(t) => self.tree(t)?,
            None => Vec::new(),
        };
        let new_entries = match new {
            Some(t) => self.tree(t)?,
            None => Vec::new(),
        };
        let by_name: HashMap<&[u8], &TreeEntry> =
            new_entries.iter().map(|e| (e.name.as_slice(), e)).collect();
        let old_names: HashMap<&[u8], &TreeEntry> =
            old_entries.iter().map(|e| (e.name.as_slice(), e)).collect();
        for o in &old_entries {
            let n = by_name.get(o.name.as_slice());
            if n.is_some_and(|n| n.id == o.id && n.kind == o.kind) {
                continue;
            }
            let new_tree = n.filter(|n| n.kind == EntryKind::Tree).map(|n| n.id);
            match o.kind {
                EntryKind::Tree => self.diff(Some(o.id), new_tree, gone, added)?,
                EntryKind::Blob | EntryKind::Symlink => gone.push(o.id),
                EntryKind::Other => {}
            }
        }
        for n in &new_entries {
            let o = old_names.get(n.name.as_slice());
            if o.is_some_and(|o| o.id == n.id && o.kind == n.kind) {
                continue;
            }
            match n.kind {
                // a folder that replaced a file, or a new one: all it holds is added
                EntryKind::Tree if o.is_none_or(|o| o.kind != EntryKind::Tree) => {
                    self.diff(None, Some(n.id), gone, added)?
                }
                EntryKind::Blob | EntryKind::Symlink => {
                    added.insert(n.id);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

/// The files of one commit's tree, as a scan of a version of a file reads its sibling templates,
/// its modules and a generated template's source ([`crate::io::files::Files`]): a history scan
/// never mixes in today's files. Paths are those of the work tree (`root` joined with the path in
/// the tree); the object database is read only when a scanned file names another.
///
/// (Unwind-safe as the scan needs it: a panic while reading leaves a poisoned reader, which is
/// then not used again, and gix's shared caches behind their own locks.)
pub struct TreeFiles {
    repo: std::panic::AssertUnwindSafe<gix::ThreadSafeRepository>,
    tree: ObjectId,
    root: PathBuf,
    reader: std::panic::AssertUnwindSafe<std::sync::Mutex<Option<Reader>>>,
}

impl std::fmt::Debug for TreeFiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TreeFiles")
            .field("tree", &self.tree)
            .field("root", &self.root)
            .finish()
    }
}

impl Repo {
    /// The files of a commit's tree (`tree`), under the folder `root` stands for.
    pub fn tree_files(&self, tree: ObjectId, root: &Path) -> TreeFiles {
        TreeFiles {
            repo: std::panic::AssertUnwindSafe(self.repo.clone()),
            tree,
            root: crate::io::files::normalize(root),
            reader: std::panic::AssertUnwindSafe(std::sync::Mutex::new(None)),
        }
    }
}

impl TreeFiles {
    /// Runs `f` with this tree's reader (made on first use).
    fn with<T>(&self, f: impl FnOnce(&mut Reader) -> Option<T>) -> Option<T> {
        let mut guard = self.reader.lock().ok()?;
        let reader = guard.get_or_insert_with(|| {
            Repo {
                repo: self.repo.0.clone(),
            }
            .reader()
        });
        f(reader)
    }

    /// What `path` names in the tree: the entry's id and kind (`None` for the top folder itself,
    /// given as the tree's id).
    fn lookup(&self, path: &Path) -> Option<(ObjectId, EntryKind)> {
        let path = crate::io::files::normalize(path);
        let rel = path.strip_prefix(&self.root).ok()?;
        self.with(|r| {
            let mut at = (self.tree, EntryKind::Tree);
            for part in rel.components() {
                let std::path::Component::Normal(name) = part else {
                    return None;
                };
                if at.1 != EntryKind::Tree {
                    return None;
                }
                let name = name.to_str()?.as_bytes();
                let entry = r.tree(at.0).ok()?.into_iter().find(|e| e.name == name)?;
                at = (entry.id, entry.kind);
            }
            Some(at)
        })
    }
}

impl crate::io::files::Files for TreeFiles {
    fn is_file(&self, path: &Path) -> bool {
        self.lookup(path).is_some_and(|(_, k)| k == EntryKind::Blob)
    }

    fn list(&self, dir: &Path) -> Result<Vec<PathBuf>, String> {
        let not_a_folder = || "no such folder in this commit".to_string();
        let (id, kind) = self.lookup(dir).ok_or_else(not_a_folder)?;
        if kind != EntryKind::Tree {
            return Err(not_a_folder());
        }
        let entries = self.with(|r| r.tree(id).ok()).ok_or_else(not_a_folder)?;
        Ok(entries
            .into_iter()
            .filter(|e| e.kind == EntryKind::Blob)
            .map(|e| dir.join(String::from_utf8_lossy(&e.name).as_ref()))
            .collect())
    }

    fn read_decoded(
        &self,
        path: &Path,
        max: u64,
    ) -> Result<
        (String, crate::source::Format, Vec<crate::ir::InputProblem>),
        crate::ir::InputProblem,
    > {
        use crate::ir::{InputProblem, InputProblemKind};
        let problem = |kind, message: String| InputProblem {
            kind,
            span: crate::source::Span::at(0),
            message,
        };
        let id = match self.lookup(path) {
            Some((id, EntryKind::Blob)) => id,
            _ => {
                return Err(problem(
                    InputProblemKind::Unreadable,
                    "the file is not in this commit".into(),
                ))
            }
        };
        match self.with(|r| r.blob(id, max).ok().flatten()) {
            Some(Blob::Data(bytes)) => crate::io::read::decode(path, bytes, max, true),
            Some(Blob::TooLarge(size)) => Err(problem(
                InputProblemKind::TooLarge,
                format!("the file is {size} bytes, over the {max} byte cap (--max-file-size)"),
            )),
            None => Err(problem(
                InputProblemKind::Unreadable,
                "the file is missing from this clone".into(),
            )),
        }
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        crate::io::files::normalize(path)
    }

    fn stamp(&self, path: &Path) -> (u64, Option<std::time::SystemTime>) {
        match self.lookup(path) {
            Some((id, _)) => (crate::finding::fnv1a(&[id.as_bytes()]), None),
            None => (0, None),
        }
    }
}

/// A file the index tracks.
#[derive(Debug, Clone)]
pub struct Tracked {
    /// Relative to the work tree's top, `/`-separated.
    pub path: Vec<u8>,
    /// The blob the index records for it.
    pub id: ObjectId,
    /// The size and modification time (seconds, nanoseconds) the index recorded with it.
    pub size: u32,
    pub mtime: (u32, u32),
}

impl Repo {
    /// The files the index tracks (regular files and symbolic links; not submodules), and when
    /// the index was written (seconds since the epoch). Nothing when there is no index.
    pub fn tracked(&self) -> Result<(Vec<Tracked>, i64), HistoryError> {
        let repo = self.local();
        let index = repo.index_or_empty().map_err(read_err)?;
        let written = index.timestamp().seconds();
        let entries = index
            .entries()
            .iter()
            .filter(|e| !e.mode.is_submodule() && !e.mode.is_sparse())
            .map(|e| Tracked {
                path: e.path(&index).to_vec(),
                id: e.id,
                size: e.stat.size,
                mtime: (e.stat.mtime.secs, e.stat.mtime.nsecs),
            })
            .collect();
        Ok((entries, written))
    }

    /// The best common ancestor of two commits, when they have one.
    pub fn merge_base(&self, one: ObjectId, two: ObjectId) -> Option<ObjectId> {
        self.local()
            .merge_base(one, two)
            .ok()
            .flatten()
            .map(|id| id.detach())
    }

    /// The blobs (files and symbolic links) of a commit's tree by path.
    pub fn tree_paths(&self, commit: ObjectId) -> Result<HashMap<Vec<u8>, ObjectId>, HistoryError> {
        let mut reader = self.reader();
        let mut out = HashMap::new();
        if let Some(c) = reader.commit(commit)? {
            let mut seen = HashSet::new();
            let mut path = Vec::new();
            reader.visit(c.tree, &mut path, &mut seen, &|_| true, &mut |p, id, _| {
                out.insert(p.to_vec(), id);
            })?;
        }
        Ok(out)
    }

    /// The id `bytes` have as a blob of this repository.
    pub fn blob_id(&self, bytes: &[u8]) -> Result<ObjectId, HistoryError> {
        gix::objs::compute_hash(self.local().object_hash(), Kind::Blob, bytes).map_err(read_err)
    }
}
