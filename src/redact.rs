//! One redaction pass for everything keyless prints.
//!
//! Rules redact the evidence they report, but a secret can reach the output by other roads: a fix
//! built from the rest of a connection string, a parser message quoting the input, a suppression
//! reason, a configuration error, the code frame of a broken file. [`Scrubber`] is the defence
//! behind all of them: [`crate::scan::finish`] runs every string a reporter will see (message,
//! evidence, help, fix text, justification, code frame) through it before any reporter sees it.
//!
//! What it masks:
//! * the secrets the file's own findings located (their exact text, raw and unescaped), and any
//!   8-byte piece of one of them;
//! * whatever [`find_secrets`] recognises (identifiable keys, SAS signatures, JWTs, PEM keys);
//! * values written after a secret-named key (`Password=…`, `"clientSecret": "…"`,
//!   `key="DbPassword" value="…"`, `password: …` at the start of a line);
//! * the body of a PEM private-key block, even a truncated one;
//! * in free text (reasons, parser and configuration messages), long random-looking tokens.
//!
//! [`escape_control`] is the other half of safe output: text formats print paths, messages and
//! evidence with control characters escaped, so a newline in a file name cannot forge a finding.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::{Regex, RegexBuilder};

use crate::analysis::connstr::{is_non_secret_key, SECRET_KEYS};
use crate::analysis::names::is_secret_key;
use crate::analysis::secrets::{find_secrets, Confidence};
use crate::ir::classify::is_guid;
use crate::source::Span;

/// The length of the pieces of a known secret that are masked wherever they appear.
pub const PIECE: usize = 8;

/// Masks secrets in output text (see the module documentation).
///
/// Its cost is linear in the length of what it scrubs, whatever the number of known secrets: the
/// known values are searched for all at once (one Aho-Corasick automaton, built on first use), so
/// a file with 20,000 findings is not scrubbed 20,000 × 20,000 times (BENCHMARKS.md, "Many
/// findings in one file").
#[derive(Default)]
pub struct Scrubber {
    /// Known secret values (at least four bytes long), in the order they were added.
    known: Vec<Known>,
    /// The same values, to add each one once.
    seen: HashSet<String>,
    /// Every [`PIECE`]-byte window of the known secrets.
    pieces: HashSet<Vec<u8>>,
    /// All known values at once; `None` inside when the automaton could not be built (then each
    /// value is searched on its own).
    matcher: OnceLock<Option<AhoCorasick>>,
}

struct Known {
    value: String,
    /// A secret that reads like a word (`Password`, `c1oudc0w`) is masked where it stands alone,
    /// not inside longer names (`administratorLoginPassword`).
    alone: bool,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} known secrets)", self.known.len())
    }
}

impl Scrubber {
    /// A scrubber that knows the secrets at `spans` of `text` (a file's findings' secret spans).
    pub fn for_file(text: &str, spans: impl IntoIterator<Item = Span>) -> Scrubber {
        let mut s = Scrubber::default();
        for span in spans {
            let Some(raw) = text.get(span.start..span.end) else {
                continue;
            };
            let inner = strip_quotes(raw);
            s.add(inner);
            if inner.contains('\\') {
                s.add(&unescape_backslashes(inner));
            }
            if inner.contains('&') {
                s.add(&unescape_xml(inner));
            }
        }
        s
    }

    /// Adds a known secret value.
    pub fn add(&mut self, value: &str) {
        let v = value.trim();
        if v.len() < 4 || self.seen.contains(v) {
            return;
        }
        let random = looks_random(v);
        if random {
            for w in v.as_bytes().windows(PIECE) {
                self.pieces.insert(w.to_vec());
            }
        }
        self.seen.insert(v.to_string());
        self.known.push(Known {
            value: v.to_string(),
            alone: !random,
        });
        self.matcher = OnceLock::new();
    }

    /// The ranges of `s` where a known secret stands (a word-like one only where it stands alone).
    fn known_ranges(&self, s: &str, out: &mut Vec<Range<usize>>) {
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        let keep = |k: &Known, r: &Range<usize>| {
            !k.alone
                || !(ident(s[..r.start].chars().next_back()) || ident(s[r.end..].chars().next()))
        };
        if self.known.is_empty() {
            return;
        }
        let matcher = self
            .matcher
            .get_or_init(|| AhoCorasick::new(self.known.iter().map(|k| &k.value)).ok());
        match matcher {
            Some(ac) => {
                // overlapping: a value inside another one, or two that overlap, are all found
                for m in ac.find_overlapping_iter(s) {
                    let r = m.start()..m.end();
                    if self
                        .known
                        .get(m.pattern().as_usize())
                        .is_some_and(|k| keep(k, &r))
                    {
                        out.push(r);
                    }
                }
            }
            None => {
                for k in &self.known {
                    out.extend(
                        s.match_indices(k.value.as_str())
                            .map(|(i, m)| i..i + m.len())
                            .filter(|r| keep(k, r)),
                    );
                }
            }
        }
    }

    /// The byte ranges of `s` that hold secrets, merged and on character boundaries.
    fn ranges(&self, s: &str, free_text: bool) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        self.known_ranges(s, &mut out);
        if !self.pieces.is_empty() {
            let b = s.as_bytes();
            for i in 0..b.len().saturating_sub(PIECE - 1) {
                if self.pieces.contains(&b[i..i + PIECE]) {
                    out.push(i..i + PIECE);
                }
            }
        }
        let mut found: Vec<Range<usize>> = find_secrets(s).into_iter().map(|m| m.range).collect();
        assignments(s, &mut found);
        connection_string_parts(s, &mut found);
        pem_bodies(s, &mut found);
        if free_text {
            random_tokens(s, &mut found);
        }
        // A secret found here may appear again in the same text, cut or mangled (a broken line
        // repeating it as a bare token): its pieces are masked wherever they are too.
        let mut local: HashSet<&[u8]> = HashSet::new();
        for r in &found {
            if let Some(v) = s.get(r.clone()).filter(|v| looks_random(v)) {
                local.extend(v.as_bytes().windows(PIECE));
            }
        }
        if !local.is_empty() {
            let b = s.as_bytes();
            for i in 0..b.len().saturating_sub(PIECE - 1) {
                if local.contains(&b[i..i + PIECE]) {
                    out.push(i..i + PIECE);
                }
            }
        }
        out.append(&mut found);
        merge(s, out)
    }

    /// Masks the secrets in a string that will be printed: each one becomes its redacted form
    /// ([`redact`]: a fixed-width mask, or a key type's public marker).
    pub fn scrub<'a>(&self, s: &'a str) -> Cow<'a, str> {
        self.replace(s, false)
    }

    /// [`Scrubber::scrub`] for free text (reasons, parser and configuration messages): long
    /// random-looking tokens are masked too.
    pub fn scrub_free_text<'a>(&self, s: &'a str) -> Cow<'a, str> {
        self.replace(s, true)
    }

    fn replace<'a>(&self, s: &'a str, free_text: bool) -> Cow<'a, str> {
        let ranges = self.ranges(s, free_text);
        if ranges.is_empty() {
            return Cow::Borrowed(s);
        }
        let mut out = String::with_capacity(s.len());
        let mut at = 0;
        for r in ranges {
            out.push_str(&s[at..r.start]);
            out.push_str(&redact(&s[r.clone()]));
            at = r.end;
        }
        out.push_str(&s[at..]);
        Cow::Owned(out)
    }

    /// Would a code frame of `s` mask anything? (What a diff must then not print.)
    pub fn holds_secret(&self, s: &str) -> bool {
        !self.ranges(s, true).is_empty()
    }

    /// A file's text for code frames: the secrets at `secrets` (a quoted string's inside) and
    /// everything else this scrubber masks replaced by [`MASK`], so a frame shows neither a
    /// secret's characters nor its length ([`Masked`] maps the file's offsets into it). Frames are
    /// free text: long random-looking tokens are masked too (a second secret in a connection
    /// string, a token on a broken line).
    pub fn frame(&self, text: &str, secrets: &[Span]) -> Masked {
        let mut ranges = self.ranges(text, true);
        for s in secrets {
            let (mut start, mut end) = (s.start.min(text.len()), s.end.min(text.len()));
            let b = text.as_bytes();
            if end >= start + 2 && b[start] == b[end - 1] && matches!(b[start], b'"' | b'\'') {
                start += 1;
                end -= 1;
            }
            ranges.push(start..end);
        }
        Masked::new(text, merge(text, ranges))
    }
}

/// Text that may quote input, as every surface prints it: a configuration or baseline error, an
/// argument echoed back (`keyless explain`), a message shown by the language server. A value a
/// deserializer quotes (`string "…"`, `"…"` after `value`) is masked, anything else secret-like
/// is masked as in free text, and control characters are escaped. The one function the CLI, the
/// server and `explain` use for such text.
pub fn input_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    // serde's `invalid type: string "…"` / `invalid value: string "…"`, toml's `"…"` values
    while let Some(i) = rest.find("string \"").or_else(|| rest.find("value \"")) {
        let open = i + rest[i..].find('"').unwrap_or(0) + 1;
        out.push_str(&rest[..open]);
        let after = &rest[open..];
        let mut close = None;
        let mut escaped = false;
        for (j, c) in after.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '"' if !escaped => {
                    close = Some(j);
                    break;
                }
                _ => escaped = false,
            }
        }
        out.push_str(MASK);
        match close {
            Some(j) => rest = &after[j..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    let scrubbed = Scrubber::default().scrub_free_text(&out).into_owned();
    escape_control(&scrubbed).into_owned()
}

/// What every secret shows in any output: no character, and the same width whatever its length.
pub const MASK: &str = "********";

/// Signatures of Microsoft's identifiable key formats (public: the documented marker that tells
/// one key type from another), shown in a masked identifiable key.
const SIGNATURES: [&str; 17] = [
    "+ASt", "ACDb", "+ABa", "+AMC", "APIM", "+ASb", "+AEh", "+ARm", "AIoT", "AzCa", "AZEG", "+ACR",
    "AzSe", "AzFu", "JQQJ", "8Q~", "7Q~",
];

/// Documented vendor prefixes (NuGet, npm, Azure Databricks tokens), shown in a masked token.
const PREFIXES: [&str; 3] = ["oy2", "npm_", "dapi"];

/// The one masking function: a secret as evidence, messages, code frames, SARIF, JSON, LSP
/// diagnostics and fix summaries print it. A password shows no character and no length
/// ([`MASK`]); only a key's public type marker may show: the signature of an identifiable key
/// (`****+ASt****`) or a documented vendor prefix (`dapi********`), when the whole value is such
/// a key.
pub fn redact(secret: &str) -> String {
    let v = secret.trim();
    let whole = find_secrets(v)
        .into_iter()
        .find(|m| m.range.start == 0 && m.range.end == v.len());
    let Some(m) = whole else {
        return MASK.to_string();
    };
    match m.confidence {
        Confidence::Identifiable | Confidence::ChecksumValid => SIGNATURES
            .iter()
            .find(|sig| v.contains(*sig))
            .map_or_else(|| MASK.to_string(), |sig| format!("****{sig}****")),
        Confidence::Context => PREFIXES
            .iter()
            .find(|p| v.starts_with(*p))
            .map_or_else(|| MASK.to_string(), |p| format!("{p}{MASK}")),
        Confidence::Shape => MASK.to_string(),
    }
}

/// A file's text with its secrets replaced by [`MASK`] (see [`Scrubber::frame`]), and where each
/// offset of the file's text went. Newlines stay: a multi-line secret (a PEM body) is masked line
/// by line, so line numbers stay true.
#[derive(Debug, Clone, Default)]
pub struct Masked {
    pub text: std::sync::Arc<String>,
    /// Each replaced range: its start and end in the file's text, and its start in `text`.
    moved: Vec<(usize, usize, usize)>,
}

impl Masked {
    /// `ranges`: sorted, disjoint, on character boundaries.
    fn new(text: &str, ranges: Vec<Range<usize>>) -> Masked {
        let mut out = String::with_capacity(text.len());
        let mut moved = Vec::new();
        let mut at = 0;
        for r in ranges {
            if r.start < at || r.end > text.len() {
                continue;
            }
            out.push_str(&text[at..r.start]);
            // one mask per line of the range, the line breaks kept
            let mut from = r.start;
            for piece in text[r.start..r.end].split_inclusive(['\n', '\r']) {
                let body = piece.trim_end_matches(['\n', '\r']);
                if !body.is_empty() {
                    moved.push((from, from + body.len(), out.len()));
                    out.push_str(MASK);
                }
                out.push_str(&piece[body.len()..]);
                from += piece.len();
            }
            at = r.end;
        }
        out.push_str(&text[at..]);
        Masked {
            text: std::sync::Arc::new(out),
            moved,
        }
    }

    /// Where an offset of the file's text is in the masked text; one inside a masked range goes
    /// to the mask's start, or with `to_end` to its end.
    pub fn offset(&self, o: usize, to_end: bool) -> usize {
        let i = self.moved.partition_point(|&(start, _, _)| start <= o);
        let Some(&(start, end, new)) = i.checked_sub(1).and_then(|i| self.moved.get(i)) else {
            return o;
        };
        if o >= end {
            new + MASK.len() + (o - end)
        } else if o == start || !to_end {
            new
        } else {
            new + MASK.len()
        }
    }

    /// A span of the file's text in the masked text (a span inside a mask covers the mask).
    pub fn span(&self, s: Span) -> Span {
        Span::new(self.offset(s.start, false), self.offset(s.end, true))
    }
}

/// Is a secret random enough that its pieces are worth masking wherever they appear? Three
/// character classes and no run of six letters of one case: the pieces of `DR_PrimaryLocation` or
/// `c1password` would mask ordinary names all over a frame; the whole value is still masked.
fn looks_random(v: &str) -> bool {
    if v.len() < PIECE || v.contains(char::is_whitespace) || v.contains("://") {
        return false;
    }
    let b = v.as_bytes();
    let classes = [
        b.iter().any(u8::is_ascii_uppercase),
        b.iter().any(u8::is_ascii_lowercase),
        b.iter().any(u8::is_ascii_digit),
        b.iter().any(|c| !c.is_ascii_alphanumeric()),
    ]
    .iter()
    .filter(|x| **x)
    .count();
    // a word inside (`password_resets`, `REPLACE_WITH`) would spread its pieces to every name
    let longest_word = b
        .split(|c| !c.is_ascii_lowercase())
        .chain(b.split(|c| !c.is_ascii_uppercase()))
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    classes >= 3 && longest_word <= 5
}

fn strip_quotes(raw: &str) -> &str {
    let b = raw.as_bytes();
    if b.len() >= 2 && b[0] == b[b.len() - 1] && matches!(b[0], b'"' | b'\'') {
        &raw[1..raw.len() - 1]
    } else {
        raw
    }
}

/// JSON-style backslash escapes (`\"`, `\\`, `\n`, `\uXXXX`) decoded; unknown ones kept.
fn unescape_backslashes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) => out.push(ch),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// The five predefined XML entities and numeric references decoded.
fn unescape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let decoded = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            _ => ent
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| ent.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Is this key one whose value is a secret?
fn secret_named(key: &str) -> bool {
    let k = key.trim().to_ascii_lowercase();
    is_secret_key(key) || SECRET_KEYS.contains(&k.as_str()) || k == "sig"
}

/// Compiles a constant byte regex without Unicode (the crate is built without its Unicode tables).
fn build(source: &str) -> Regex {
    RegexBuilder::new(source)
        .unicode(false)
        .build()
        .unwrap_or_else(|e| unreachable!("a constant regex: {e}"))
}

fn assignment_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        build(r#"(?m)(^[ \t\-]*)?(["']?)([A-Za-z0-9_.\-]{2,80})(["']?)[ \t]*([=:])[ \t]*"#)
    })
}

fn conn_run_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        build(r#"[A-Za-z][A-Za-z _]{0,40}=[^;"'\n\r<>]*(?:;[ \t]*[A-Za-z][A-Za-z _]{0,40}=[^;"'\n\r<>]*)+"#)
    })
}

/// Values of keys not known to be harmless, inside connection strings.
fn connection_string_parts(s: &str, out: &mut Vec<Range<usize>>) {
    if !s.contains(';') {
        return;
    }
    for m in conn_run_regex().find_iter(s.as_bytes()) {
        // A connection string names at least two keys of the vocabulary (`Server` and
        // `Database`, `AccountName` and `AccountKey`); prose with `;` and `=` does not.
        let known = s[m.range()]
            .split(';')
            .filter_map(|p| p.split_once('='))
            .filter(|(k, _)| {
                let k = k.trim().to_ascii_lowercase();
                is_non_secret_key(&k) || SECRET_KEYS.contains(&k.as_str())
            })
            .count();
        if known < 2 {
            continue;
        }
        let mut at = m.start();
        for part in s[m.range()].split(';') {
            let start = at;
            at += part.len() + 1;
            let Some(eq) = part.find('=') else { continue };
            let key = part[..eq].trim().to_ascii_lowercase();
            let value = &part[eq + 1..];
            if value.trim().is_empty() || is_non_secret_key(&key) || reference_like(value) {
                continue;
            }
            out.push(start + eq + 1..start + part.len());
        }
    }
}

fn bicep_param_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        build(r"(?m)^[ \t]*param[ \t]+([A-Za-z0-9_]{1,80})[ \t]+[A-Za-z0-9_.]{1,40}[ \t]*=[ \t]*")
    })
}

fn xml_pair_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| build(r#"(?i)\b(?:key|name)\s*=\s*"([^"]+)"\s+value\s*=\s*""#))
}

/// Values written after a secret-named key.
/// The values that select a managed identity as the credential (`AzureWebJobsStorage__credential =
/// managedidentity`, `Authentication = ManagedIdentity`): keywords, never a secret.
fn names_an_identity(value: &str) -> bool {
    let v = value.trim_start_matches(['"', '\'', '`']);
    let word = v
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(v.len());
    // what may follow the keyword in prose: closing quotes and brackets, a full stop
    let tail_is_prose = v[word..]
        .chars()
        .all(|c| matches!(c, '"' | '\'' | '`' | ')' | ']' | '}' | '.'));
    tail_is_prose
        && [
            "managedidentity",
            "systemassigned",
            "userassigned",
            "workloadidentity",
        ]
        .iter()
        .any(|k| v[..word].eq_ignore_ascii_case(k))
}

fn assignments(s: &str, out: &mut Vec<Range<usize>>) {
    let b = s.as_bytes();
    let text = |m: regex::bytes::Match<'_>| s.get(m.range()).unwrap_or("");
    for c in assignment_regex().captures_iter(b) {
        let (Some(whole), Some(key)) = (c.get(0), c.get(3)) else {
            continue;
        };
        let quoted_key = c.get(2).is_some_and(|q| !q.is_empty());
        let line_start = c.get(1).is_some();
        let colon = c.get(5).is_some_and(|m| m.as_bytes() == b":");
        // `name: value` only for a quoted key (JSON) or a key at the start of a line (YAML).
        if colon && !quoted_key && !line_start {
            continue;
        }
        // A key glued to the word before it (`b` of `ab=c` when the regex started late).
        if key.start() > 0 && !line_start && !quoted_key {
            let before = s[..key.start()].chars().next_back();
            if before.is_some_and(|b| b.is_alphanumeric() || b == '_') {
                continue;
            }
        }
        if !secret_named(text(key)) {
            continue;
        }
        if let Some(r) = value_at(s, whole.end()) {
            // `__credential = managedidentity` (the Functions identity-based connection setting,
            // quoted in advice) names how to sign in, not a secret.
            if !s.get(r.clone()).is_some_and(names_an_identity) {
                out.push(r);
            }
        }
    }
    // Bicep's `param adminPassword string = '…'`: a type between the name and the value
    for c in bicep_param_regex().captures_iter(b) {
        let (Some(whole), Some(key)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if secret_named(text(key)) {
            if let Some(r) = value_at(s, whole.end()) {
                out.push(r);
            }
        }
    }
    for c in xml_pair_regex().captures_iter(b) {
        let (Some(whole), Some(key)) = (c.get(0), c.get(1)) else {
            continue;
        };
        if secret_named(text(key)) {
            let end = s[whole.end()..]
                .find('"')
                .map_or(s.len(), |i| whole.end() + i);
            if end > whole.end() {
                out.push(whole.end()..end);
            }
        }
    }
}

/// The value starting at `at`: up to the closing quote when it opens with one, else up to a
/// separator.
fn value_at(s: &str, at: usize) -> Option<Range<usize>> {
    let rest = &s[at..];
    let first = rest.chars().next()?;
    let (start, end) = if first == '"' || first == '\'' {
        let body = &rest[1..];
        let mut end = body.len();
        let mut escaped = false;
        for (i, ch) in body.char_indices() {
            if escaped {
                escaped = false;
            } else if ch == '\\' && first == '"' {
                escaped = true;
            } else if ch == first || ch == '\n' {
                end = i;
                break;
            }
        }
        (at + 1, at + 1 + end)
    } else {
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, ';' | ',' | '"' | '\'' | '<' | '&'))
            .unwrap_or(rest.len());
        (at, at + end)
    };
    let v = &s[start..end];
    (!v.is_empty() && !v.bytes().all(|b| b == b'*') && !reference_like(v)).then_some(start..end)
}

/// Values that name a secret rather than hold one: ARM expressions, Bicep/Terraform references,
/// pipeline and template variables, Key Vault references, placeholders. Masking them would only
/// garble the frame (and their pieces would mask every `parameters(` around them).
fn reference_like(v: &str) -> bool {
    let t = v.trim();
    matches!(t, "|" | ">" | "|+" | "|-" | ">+" | ">-")
        || t.starts_with(['[', '$', '@', '{', '<', '%', '#', '('])
        || t.contains('(')
        || t.starts_with("var.")
        || t.starts_with("local.")
        || t.starts_with("module.")
        || t.starts_with("data.")
}

fn pem_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| build(r"(?s)-----BEGIN[A-Z ]{0,40}PRIVATE KEY-----(.*?)(?:-----END|\z)"))
}

/// Bodies of PEM private-key blocks, complete or cut short.
fn pem_bodies(s: &str, out: &mut Vec<Range<usize>>) {
    if !s.contains("PRIVATE KEY") {
        return;
    }
    for c in pem_regex().captures_iter(s.as_bytes()) {
        if let Some(body) = c.get(1).filter(|b| !b.as_bytes().trim_ascii().is_empty()) {
            out.push(body.range());
        }
    }
}

fn token_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| build(r"[A-Za-z0-9+/=_~.\-]{16,}"))
}

/// Long tokens mixing upper case, lower case and digits that are not GUIDs or dotted names.
fn random_tokens(s: &str, out: &mut Vec<Range<usize>>) {
    for m in token_regex().find_iter(s.as_bytes()) {
        let t = std::str::from_utf8(m.as_bytes()).unwrap_or("");
        let digits = t.bytes().filter(u8::is_ascii_digit).count();
        let upper = t.bytes().filter(u8::is_ascii_uppercase).count();
        let lower = t.bytes().filter(u8::is_ascii_lowercase).count();
        // a run of five lower-case letters reads as a word (`deploymentTemplate`, `resourceGroups`);
        // a long base64 value has such runs by chance, so there it takes eight
        let wordy = t
            .as_bytes()
            .split(|b| !b.is_ascii_lowercase())
            .any(|run| run.len() >= if t.len() >= 40 { 8 } else { 5 });
        let dotted = t.contains('.') && !t.contains('~');
        // digits scattered, not one number in a name (`X12_DR_LogicApp_Name`, `2020-07-01`)
        let digit_runs = t
            .as_bytes()
            .split(|b| !b.is_ascii_digit())
            .filter(|r| !r.is_empty())
            .count();
        let named = wordy && t.contains(['/', '-', '_']);
        if upper >= 2
            && lower >= 2
            && digits >= 2
            && digit_runs >= 2
            && !is_guid(t)
            && !dotted
            && !named
        {
            out.push(m.range());
        }
    }
}

/// Sorted, merged ranges widened to character boundaries.
fn merge(s: &str, mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    for r in &mut ranges {
        r.end = r.end.min(s.len());
        r.start = r.start.min(r.end);
        while !s.is_char_boundary(r.start) {
            r.start -= 1;
        }
        while !s.is_char_boundary(r.end) {
            r.end += 1;
        }
    }
    ranges.retain(|r| !r.is_empty());
    ranges.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in ranges {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Is this a character that can change what a reader sees of a line without being seen itself?
/// Control characters (C0, DEL, C1), the bidirectional marks, embeddings, overrides and isolates
/// that reorder a line (Trojan Source), the zero-width and other invisible characters
/// ([`crate::source::is_invisible`]: the one list) and the line and paragraph separators. Every report escapes them: text formats with [`escape_control`], JSON formats as
/// `\uXXXX` ([`crate::report::json_safe`]), code frames with [`neutralise_frame`].
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') || crate::source::is_invisible(c)
}

/// Control characters escaped for a text format: `\n`, `\r`, `\t`, `\e` for ESC and `\u{…}` for
/// the rest of [`is_unsafe_char`] (C0, DEL, C1, bidirectional and invisible format characters).
pub fn escape_control(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{1b}' => out.push_str("\\e"),
            c if is_unsafe_char(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A code frame's text with the characters of [`is_unsafe_char`] other than newline, carriage
/// return and tab replaced by `?`, one per byte, so the frame's offsets stay consistent.
pub fn neutralise_frame(text: &str) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe_char(c) && !matches!(c, '\n' | '\t' | '\r');
    if !text.chars().any(bad) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if bad(c) {
            // one `?` per byte keeps every later offset valid
            for _ in 0..c.len_utf8() {
                out.push('?');
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Advice that names the identity keyword of a credential setting is printed as written;
    /// any other value of a secret-named setting is still masked.
    #[test]
    fn an_identity_keyword_is_not_a_secret_value() {
        let s = Scrubber::for_file("", []);
        let advice = "settings (`__accountName`, `__credential = managedidentity`); where";
        assert_eq!(s.scrub(advice), advice);
        assert_eq!(
            s.scrub("Authentication = \"ManagedIdentity\""),
            "Authentication = \"ManagedIdentity\""
        );
        let out = s.scrub("client_credential = Zq7-UnL1k3Ly-Pa55-91");
        assert!(!out.contains("Zq7-UnL1k3Ly"), "{out}");
        let out = s.scrub("password = managedidentity-but-not-really");
        assert!(!out.contains("not-really"), "{out}");
    }

    #[test]
    fn known_secrets_and_their_pieces_are_masked() {
        let text = "pw = \"Zq7-UnL1k3Ly-Pa55-91\"";
        let s = Scrubber::for_file(text, [Span::new(5, text.len())]);
        assert_eq!(
            s.scrub("the value Zq7-UnL1k3Ly-Pa55-91 is bad"),
            "the value ******** is bad"
        );
        let out = s.scrub("a piece: UnL1k3Ly-Pa and more");
        assert!(!out.contains("UnL1k3Ly"), "{out}");
    }

    #[test]
    fn word_like_secrets_are_masked_alone_and_spread_no_pieces() {
        let text = "password: c1oudc0w\npasswd: https://x.example/password_resets/new";
        let a = text.find("c1o").unwrap();
        let b = text.find("https").unwrap();
        let s = Scrubber::for_file(text, [Span::new(a, a + 8), Span::new(b, text.len())]);
        assert_eq!(s.scrub("was c1oudc0w"), "was ********");
        // inside a longer name it is left alone, and the URL's pieces do not spread
        assert_eq!(s.scrub("xc1oudc0wy"), "xc1oudc0wy");
        let m = s
            .frame("admin_password_resets: 1\nname: c1oudc0w\n", &[])
            .text;
        assert!(m.starts_with("admin_password_resets: 1\n"), "{m}");
        assert!(!m.contains("oudc0w"), "{m}");
        assert!(looks_random("Zq7-UnL1k3Ly-Pa55-91"));
        assert!(!looks_random("DR_PrimaryLocation"));
        assert!(!looks_random("https://console.example/password_resets"));
    }

    #[test]
    fn escaped_forms_of_known_secrets_are_masked() {
        let text = r#"{"p": "Ab\u0063def\"ghij-Q9"}"#;
        let start = text.find("\"Ab").unwrap();
        let s = Scrubber::for_file(text, [Span::new(start, text.len() - 1)]);
        let out = s.scrub("was Abcdef\"ghij-Q9 here");
        assert!(!out.contains("cdef\"ghij"), "{out}");
        let text = "<add value=\"Xy&amp;zzWq-77-Ab\"/>";
        let start = text.find("\"Xy").unwrap();
        let s = Scrubber::for_file(text, [Span::new(start, start + 19)]);
        assert!(!s.scrub("Xy&zzWq-77-Ab").contains("zzWq-77"));
    }

    #[test]
    fn secret_named_assignments_are_masked() {
        let s = Scrubber::default();
        for (input, leak) in [
            ("Server=x;Password=Hunter-2-Zq;Encrypt=True", "Hunter-2"),
            ("Application Name=app;AccountKey=abcDEF123456", "abcDEF1"),
            ("{\"clientSecret\": \"Wq81-zzT-very\"}", "Wq81-zz"),
            ("  db_password: Pl41n-Text-Pw", "Pl41n-Te"),
            (
                "<add key=\"DbPassword\" value=\"Xml-Pa55-word\"/>",
                "Xml-Pa5",
            ),
            (
                "https://a.blob.core.windows.net/c?sv=1&sig=AbCdEf0123456789",
                "AbCdEf01",
            ),
        ] {
            let out = s.scrub(input);
            assert!(!out.contains(leak), "{input} -> {out}");
        }
        // names that are not secret, and prose with colons, are left alone
        for keep in [
            "Server=tcp:db.example.net;Initial Catalog=app",
            "Server=tcp:db.example.net,1433;Initial Catalog=app;Encrypt=True;Authentication=Active Directory Default",
            "connection string with a literal `Password`: use Entra ID",
            "set AzureWebJobsStorage__accountName instead",
        ] {
            assert_eq!(s.scrub(keep), keep);
        }
    }

    #[test]
    fn pem_bodies_are_masked_even_when_cut() {
        let s = Scrubber::default();
        let out = s.scrub("found -----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAq7");
        assert!(!out.contains("MIIEpAIB"), "{out}");
    }

    #[test]
    fn free_text_masks_random_tokens_but_not_guids() {
        let s = Scrubber::default();
        let out = s.scrub_free_text("rotated to Qw3rTy8uIoP4aSdF9gHj yesterday");
        assert!(!out.contains("Qw3rTy8u"), "{out}");
        let g = "role 8e3af657-a8ff-443c-a75c-2fe8c4bcb635 at Microsoft.Web/sites";
        assert_eq!(s.scrub_free_text(g), g);
    }

    #[test]
    fn frames_show_no_character_and_no_length_and_keep_lines() {
        let s = Scrubber::default();
        let t = "a: 1\npassword: Sup3r-Secret-Value\nb: 2\n";
        let m = s.frame(t, &[]);
        assert_eq!(*m.text, "a: 1\npassword: ********\nb: 2\n");
        // a short and a long secret look the same
        let short = s.frame("k = \"pw1\"\nx", &[Span::new(4, 9)]);
        assert_eq!(*short.text, "k = \"********\"\nx");
        // offsets after a mask move with it; a span over the secret covers the mask
        let b = t.find("b: 2").unwrap();
        assert_eq!(&m.text[m.offset(b, false)..], "b: 2\n");
        let v = t.find("Sup3r").unwrap();
        let span = m.span(Span::new(v, v + "Sup3r-Secret-Value".len()));
        assert_eq!(&m.text[span.start..span.end], MASK);
        // a multi-line secret is masked line by line: line numbers stay
        let pem = "k: |\n  -----BEGIN PRIVATE KEY-----\n  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n  -----END PRIVATE KEY-----\nz: 1\n";
        let m = s.frame(pem, &[Span::new(7, pem.find("z:").unwrap() - 1)]);
        assert_eq!(m.text.lines().count(), pem.lines().count());
        assert!(!m.text.contains("MIIEvQ"), "{}", m.text);
    }

    #[test]
    fn input_text_masks_quoted_values_and_escapes_controls() {
        assert_eq!(
            input_text("invalid type: string \"hunter2\", expected a boolean at line 1"),
            "invalid type: string \"********\", expected a boolean at line 1"
        );
        assert_eq!(
            input_text("invalid value: string \"a\\\"b\" x"),
            "invalid value: string \"********\" x"
        );
        assert_eq!(
            input_text("no rule `K\u{1b}[31m\n`"),
            "no rule `K\\e[31m\\n`"
        );
        assert_eq!(input_text("unknown rule `KEY01`"), "unknown rule `KEY01`");
    }

    #[test]
    fn redacted_secrets_show_only_a_public_marker() {
        assert_eq!(redact("Sup3r-Secret-Password-Value!"), MASK);
        assert_eq!(redact("pw"), MASK);
        let storage = crate::analysis::secrets::testkeys::identifiable(
            "redact",
            64,
            "+ASt",
            0x4465_6661_756c_7430,
            false,
        );
        assert_eq!(redact(&storage), "****+ASt****");
        assert_eq!(
            redact("dapi0123456789abcdef0123456789abcdef"),
            "dapi********"
        );
    }

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape_control("a\nb\tc\u{1b}[31m"), "a\\nb\\tc\\e[31m");
        assert_eq!(escape_control("x\u{202e}y"), "x\\u{202e}y");
        assert_eq!(escape_control("plain"), "plain");
        let n = neutralise_frame("a\u{1b}b\u{85}c\n");
        assert_eq!(n, "a?b??c\n");
        // invisible and bidirectional format characters, DEL and C1 controls: every one escaped
        for c in [
            '\u{7f}',
            '\u{80}',
            '\u{9f}',
            '\u{200b}',
            '\u{200c}',
            '\u{200d}',
            '\u{200e}',
            '\u{200f}',
            '\u{202a}',
            '\u{202e}',
            '\u{2066}',
            '\u{2069}',
            '\u{feff}',
            '\u{2028}',
            '\u{2029}',
            '\u{61c}',
            '\u{2060}',
            '\u{34f}',
            '\u{3164}',
            '\u{fe0f}',
            '\u{e0041}',
            '\u{e007f}',
        ] {
            let s = format!("a{c}b");
            assert_eq!(escape_control(&s), format!("a\\u{{{:x}}}b", c as u32));
            let n = neutralise_frame(&s);
            assert_eq!(n.len(), s.len());
            assert!(!n.contains(c), "{:x}", c as u32);
        }
        // letters of every script stay
        assert_eq!(escape_control("Pässwörd_密码_كلمة"), "Pässwörd_密码_كلمة");
    }
}
