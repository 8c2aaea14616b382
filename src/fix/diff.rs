//! Unified diffs of fixed files, built from the edits themselves: the changed lines are known, so
//! each hunk is the lines the edits touch plus three lines of context, and only within a hunk are
//! old and new lines matched (longest common subsequence) to keep unchanged lines as context.

use super::Edit;
use crate::redact::Scrubber;
use crate::source::Span;

const CONTEXT: usize = 3;

/// The unified diff that turns `old` into the text the edits make of it, with `a/` and `b/`
/// prefixes on `path` (as `git diff` writes them). Empty when the edits change nothing.
pub fn unified(path: &str, old: &str, edits: &[&Edit]) -> String {
    unified_hiding(path, old, edits, &[]).unwrap_or_default()
}

/// [`unified`], or `None` when a hunk would show a secret (as a removed, added or context line):
/// bytes of one of the `secrets` spans, or anything the reports' whole-file scrubber masks in a
/// code frame ([`Scrubber::holds_secret`]: every detector, whatever rules the selection, the
/// suppressions or `[per-file-ignores]` left on). keyless never prints a secret, and a diff with
/// the secret masked would no longer apply.
pub fn unified_hiding(path: &str, old: &str, edits: &[&Edit], secrets: &[Span]) -> Option<String> {
    let scrubber = Scrubber::for_file(old, secrets.iter().copied());
    let mut edits: Vec<&Edit> = edits
        .iter()
        .copied()
        .filter(|e| {
            old.get(e.span.start..e.span.end)
                .is_some_and(|t| t != e.replacement.as_str())
        })
        .collect();
    edits.sort_by_key(|e| (e.span.start, e.span.end));
    // edits that overlap an earlier one cannot be shown (`apply` never lets them through)
    let mut end = 0;
    edits.retain(|e| {
        let keep = e.span.start >= end;
        end = end.max(e.span.end);
        keep
    });
    if edits.is_empty() {
        return Some(String::new());
    }
    // line starts of the old text; a final empty "line" after a trailing newline is not a line
    let mut starts = vec![0usize];
    starts.extend(old.match_indices('\n').map(|(i, _)| i + 1));
    if starts.last() == Some(&old.len()) && !old.is_empty() {
        starts.pop();
    }
    let line_count = if old.is_empty() { 0 } else { starts.len() };
    let line_of = |offset: usize| -> usize {
        match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
        .min(line_count.saturating_sub(1))
    };
    let line_end = |line: usize| -> usize { starts.get(line + 1).copied().unwrap_or(old.len()) };

    // line ranges (inclusive) each edit touches, widened by the context and merged
    let mut groups: Vec<(usize, usize, Vec<&Edit>)> = Vec::new();
    for e in edits {
        let a = line_of(e.span.start);
        let b = if e.span.end > e.span.start {
            line_of(e.span.end - 1)
        } else {
            a
        };
        let lo = a.saturating_sub(CONTEXT);
        let hi = (b + CONTEXT).min(line_count.saturating_sub(1));
        match groups.last_mut() {
            Some(g) if lo <= g.1 + 1 => {
                g.1 = g.1.max(hi);
                g.2.push(e);
            }
            _ => groups.push((lo, hi, vec![e])),
        }
    }

    let mut out = format!(
        "--- {}\n+++ {}\n",
        quote_path("a/", path),
        quote_path("b/", path)
    );
    let mut delta: isize = 0;
    for (lo, hi, group) in groups {
        let (from, to) = if line_count == 0 {
            (0, 0)
        } else {
            (starts[lo], line_end(hi))
        };
        if secrets.iter().any(|s| s.start < to && from < s.end) {
            return None;
        }
        let old_region = &old[from..to];
        let mut new_region = String::new();
        let mut at = from;
        for e in &group {
            new_region.push_str(&old[at..e.span.start]);
            new_region.push_str(&e.replacement);
            at = e.span.end;
        }
        new_region.push_str(&old[at..to.max(at)]);
        if scrubber.holds_secret(old_region) || scrubber.holds_secret(&new_region) {
            return None;
        }
        let old_lines: Vec<&str> = old_region.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new_region.split_inclusive('\n').collect();
        let old_start = if old_lines.is_empty() { lo } else { lo + 1 };
        let new_start_line = (lo as isize + 1 + delta).max(0) as usize;
        let new_start = if new_lines.is_empty() {
            new_start_line.saturating_sub(1)
        } else {
            new_start_line
        };
        delta += new_lines.len() as isize - old_lines.len() as isize;
        out.push_str(&format!(
            "@@ -{} +{} @@\n",
            range(old_start, old_lines.len()),
            range(new_start, new_lines.len())
        ));
        for (tag, line) in line_diff(&old_lines, &new_lines) {
            out.push(tag);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    Some(out)
}

/// A path in a diff header as git writes it (`core.quotePath`): as is when it holds only
/// printable ASCII other than `"` and `\\`, else in double quotes with C escapes (`\\n`, `\\t`,
/// `\\"`, `\\\\`) and every other control or non-ASCII byte in octal (`\\303\\251`). A newline
/// in a file name then cannot start a hunk of its own, and `git apply` and `patch` read the name.
pub fn quote_path(prefix: &str, path: &str) -> String {
    let full = format!("{prefix}{path}");
    let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
    if full.bytes().all(plain) {
        return full;
    }
    let mut out = String::with_capacity(full.len() + 8);
    out.push('"');
    for b in full.bytes() {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\t' => out.push_str("\\t"),
            b'\r' => out.push_str("\\r"),
            0x07 => out.push_str("\\a"),
            0x08 => out.push_str("\\b"),
            0x0b => out.push_str("\\v"),
            0x0c => out.push_str("\\f"),
            b if plain(b) => out.push(char::from(b)),
            b => out.push_str(&format!("\\{b:03o}")),
        }
    }
    out.push('"');
    out
}

fn range(start: usize, count: usize) -> String {
    if count == 1 {
        start.to_string()
    } else {
        format!("{start},{count}")
    }
}

/// Lines tagged ' ', '-' or '+', from a longest common subsequence of the two hunks.
fn line_diff<'a>(old: &[&'a str], new: &[&'a str]) -> Vec<(char, &'a str)> {
    let (n, m) = (old.len(), new.len());
    // lcs[i][j]: LCS length of old[i..] and new[j..]
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if old[i] == new[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(n + m);
    while i < n || j < m {
        if i < n && j < m && old[i] == new[j] {
            out.push((' ', old[i]));
            i += 1;
            j += 1;
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            out.push(('-', old[i]));
            i += 1;
        } else {
            out.push(('+', new[j]));
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    #[test]
    fn one_hunk_with_context() {
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let e = Edit::new(Span::new(8, 9), "five");
        let d = unified("x.txt", old, &[&e]);
        assert_eq!(
            d,
            "--- a/x.txt\n+++ b/x.txt\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn inserted_lines_shift_later_hunks() {
        let old: String = (1..=20).map(|i| format!("{i}\n")).collect();
        let a = Edit::insert(2, "1b\n");
        let b = Edit::new(
            Span::new(old.find("18").unwrap(), old.find("18").unwrap() + 2),
            "x",
        );
        let d = unified("f", &old, &[&a, &b]);
        assert!(
            d.contains("@@ -1,5 +1,6 @@\n 1\n+1b\n 2\n 3\n 4\n 5\n"),
            "{d}"
        );
        assert!(d.contains("@@ -15,6 +16,6 @@\n"), "{d}");
    }

    #[test]
    fn no_newline_at_end() {
        let d = unified("f", "a\nb", &[&Edit::new(Span::new(2, 3), "c")]);
        assert_eq!(
            d,
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n"
        );
    }

    #[test]
    fn paths_are_quoted_as_git_quotes_them() {
        assert_eq!(quote_path("a/", "dir/main.bicep"), "a/dir/main.bicep");
        assert_eq!(
            quote_path("b/", "x\n+++ b/other\n@@ -1 +1 @@"),
            "\"b/x\\n+++ b/other\\n@@ -1 +1 @@\""
        );
        assert_eq!(quote_path("a/", "q\"\\t\t"), "\"a/q\\\"\\\\t\\t\"");
        assert_eq!(
            quote_path("a/", "caf\u{e9}\u{1b}"),
            "\"a/caf\\303\\251\\033\""
        );
    }

    #[test]
    fn hunks_that_would_show_a_secret_are_withheld() {
        let old = "a\nkey=S3cret\nb\nc\nd\ne\nf\ng\nh\n";
        let secret = Span::new(6, 12);
        // the changed line holds it, or a context line does
        let e = Edit::new(Span::new(0, 1), "A");
        assert_eq!(unified_hiding("f", old, &[&e], &[secret]), None);
        // far enough away: shown
        let far = Edit::new(Span::new(old.len() - 2, old.len() - 1), "H");
        let d = unified_hiding("f", old, &[&far], &[secret]).unwrap();
        assert!(d.contains("+H") && !d.contains("S3cret"), "{d}");
    }

    #[test]
    fn unchanged_text_gives_no_diff() {
        assert_eq!(unified("f", "abc", &[&Edit::new(Span::new(0, 1), "a")]), "");
    }
}
