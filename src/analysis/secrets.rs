//! Secret matching: Azure key formats, tokens and private keys in a string.
//!
//! The patterns are data (`rules/secret-patterns.tsv`, embedded and checked once). Matching runs
//! one Aho-Corasick prefilter over every pattern's keywords (signatures such as `+ASt`, `JQQJ`,
//! `AccountKey=`), then only the regexes whose keyword occurred and whose shortest match fits in
//! the text, as byte regexes without Unicode (measured when the table was built: a Unicode-mode
//! `RegexSet` is two orders of magnitude slower on real text). Each regex is parsed and compiled the first time its keyword
//! occurs, so a pre-commit run over a few files compiles only the handful it needs; compiling the
//! whole table up front cost more than scanning a 600-file Terraform repository.
//!
//! Confidence, best first:
//! * [`Confidence::ChecksumValid`]: the format embeds a checksum and it verifies (Microsoft's
//!   identifiable keys: a Marvin32 checksum seeded per key kind over the decoded bytes; common
//!   annotated security keys `…JQQJ9…`; `8Q~` Entra ID client secrets; legacy Azure DevOps PATs with
//!   a CRC-32). A random string passes such a check once in four billion tries.
//! * [`Confidence::Identifiable`]: Microsoft's identifiable-key signature (`+ASt`, `AZEG`, `JQQJ`,
//!   `7Q~`) where no checksum could be verified.
//! * [`Confidence::Context`]: an unambiguous context or a vendor prefix, without Microsoft's
//!   signature (`AccountKey=` followed by 86 base64 characters and `==`, `sig=` in a SAS token, a
//!   PEM private-key block, `npm_`, `dapi`). Messages call only signature-bearing keys
//!   "identifiable".
//! * [`Confidence::Shape`]: the shape alone (a JWT with a decodable header), or a bare 64- or
//!   32-byte base64 value under a key-named setting ([`find_secrets_in_setting`]).
//!
//! Precision notes:
//! * A bare 88-character base64 value is *not* a finding by shape: SHA-512 digests have exactly that
//!   form (`integrity: sha512-…` in lock files, checksums in templates). Only a context that says
//!   "key" makes it one: `AccountKey=` before it, or a setting whose name says key/secret/password.
//! * Identifiable formats whose checksum fails are dropped: the signature is then a coincidence.
//! * The storage emulator's and the Cosmos DB emulator's published keys are not secrets and are
//!   never reported ([`is_emulator_key`]).
//! * GUIDs, resource ids, public keys and certificates match no pattern (`PRIVATE KEY` is the
//!   PEM keyword; `BEGIN CERTIFICATE` / `PUBLIC KEY` blocks are not secrets).

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::bytes::{Regex, RegexBuilder};

use crate::analysis::codec::{base32_decode, der_private_key, DerKey};
pub use crate::analysis::codec::{base64_decode, crc32, marvin, marvin32};
use crate::analysis::names::{is_secret_name, Tier};
use crate::source::Span;
use crate::table::Table;

/// An extra secret pattern from `[[patterns]]`, compiled at load.
///
/// The regex is a byte regex compiled with Unicode mode off (so `\d`, `\w` and `\b` are ASCII and
/// matching stays fast, as the built-in patterns are); it runs on the bytes of each literal string.
#[derive(Debug, Clone)]
pub struct SecretPattern {
    pub id: String,
    pub regex: Regex,
    pub description: String,
}

/// The emulators' published keys (the connection-string grammar knows them too).
pub use crate::connstr::{is_emulator_key, COSMOS_EMULATOR_KEY, EMULATOR_KEY};

/// How sure a match is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Confidence {
    Shape,
    Context,
    Identifiable,
    ChecksumValid,
}

impl Confidence {
    pub fn describe(&self) -> &'static str {
        match self {
            Confidence::ChecksumValid => "checksum-valid",
            Confidence::Identifiable => "identifiable",
            Confidence::Context => "",
            Confidence::Shape => "probable",
        }
    }
}

/// A secret found in a string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// Pattern name (`AzureStorageAccountIdentifiableKey`).
    pub kind: &'static str,
    /// Pattern id (`SEC101/152`).
    pub id: &'static str,
    /// What it is, for messages (`Azure Storage account key`).
    pub label: &'static str,
    pub confidence: Confidence,
    /// Byte range of the secret in the searched text.
    pub range: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Validator {
    None,
    /// Marvin32 checksum in the last four decoded bytes, with any of these seeds.
    Marvin {
        seeds: Vec<u64>,
        url: bool,
    },
    /// Common annotated security key (`…JQQJ9…`).
    Cask,
    /// Entra ID client secret (`8Q~` carries a checksum, `7Q~` does not).
    Aad,
    /// Legacy Azure DevOps PAT: 52 base32 characters with a CRC-32 inside.
    AdoPat,
    /// JWT: the header must decode to a JSON object with `alg`.
    Jwt,
    /// PEM private key: the body must hold key material, not an ellipsis.
    Pem,
    /// A PEM private key in base64 (`LS0tLS1CRUdJTi…`): it must decode to one.
    Pem64,
    /// Base64 DER: it must decode to private key material of this kind (never a certificate).
    Der(DerKey),
    /// Any value but a local emulator's published key.
    NotEmulator,
    /// The password of a URL's user information (`https://user:pw@host`): not a placeholder or
    /// substitution (`${TOKEN}`, `$(Pat)`, `%PASSWORD%`), and a plausible password once
    /// percent-decoded.
    UrlPassword,
}

struct Pattern {
    id: &'static str,
    name: &'static str,
    label: &'static str,
    confidence: Confidence,
    validator: Validator,
    /// The regex source, compiled on first use into `regex` (the table is embedded, and a test
    /// compiles every pattern).
    source: &'static str,
    regex: OnceLock<Regex>,
    /// The length of the shortest text the regex can match (shorter strings are not searched),
    /// also computed on first use.
    min_len: OnceLock<usize>,
}

impl Pattern {
    fn regex(&self) -> &Regex {
        self.regex.get_or_init(|| {
            compile(self.source).expect("rules/secret-patterns.tsv: every regex compiles (tested)")
        })
    }

    fn min_len(&self) -> usize {
        *self.min_len.get_or_init(|| {
            regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(self.source)
                .ok()
                .and_then(|hir| hir.properties().minimum_len())
                .unwrap_or(0)
        })
    }
}

fn compile(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source).unicode(false).build()
}

struct Engine {
    patterns: Vec<Pattern>,
    prefilter: AhoCorasick,
    /// Keyword index → patterns it gates.
    gated: Vec<Vec<usize>>,
    /// Patterns with no keyword: always run.
    always: Vec<usize>,
}

/// The pattern table, as embedded.
pub const PATTERNS_TSV: &str = include_str!("../../rules/secret-patterns.tsv");

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| build(PATTERNS_TSV).expect("rules/secret-patterns.tsv is valid"))
}

fn parse_seed(s: &str) -> Result<u64, String> {
    let h = s.trim().trim_start_matches("0x");
    u64::from_str_radix(h, 16).map_err(|e| format!("bad seed {s}: {e}"))
}

fn parse_validator(s: &str) -> Result<Validator, String> {
    let (head, rest) = s.split_once(':').unwrap_or((s, ""));
    Ok(match head {
        "none" => Validator::None,
        "marvin" | "marvin-url" => Validator::Marvin {
            seeds: rest.split(',').map(parse_seed).collect::<Result<_, _>>()?,
            url: head == "marvin-url",
        },
        "cask" => Validator::Cask,
        "aad" => Validator::Aad,
        "adopat" => Validator::AdoPat,
        "jwt" => Validator::Jwt,
        "pem" => Validator::Pem,
        "pem64" => Validator::Pem64,
        "der" => Validator::Der(match rest {
            "pfx-key" => DerKey::PfxWithKey,
            "pfx" => DerKey::PfxEncrypted,
            "key" => DerKey::PrivateKey,
            "encrypted-key" => DerKey::EncryptedPrivateKey,
            other => return Err(format!("unknown DER kind {other}")),
        }),
        "not-emulator" => Validator::NotEmulator,
        "url-password" => Validator::UrlPassword,
        other => return Err(format!("unknown validator {other}")),
    })
}

fn build(tsv: &'static str) -> Result<Engine, String> {
    let mut patterns = Vec::new();
    let mut keywords: Vec<&'static str> = Vec::new();
    let mut gated: Vec<Vec<usize>> = Vec::new();
    let mut always = Vec::new();
    let table = Table::parse("rules/secret-patterns.tsv", tsv).map_err(|e| e.to_string())?;
    let rows = table
        .map(|c| {
            let confidence = match c.get("confidence")? {
                "identifiable" => Confidence::Identifiable,
                "context" => Confidence::Context,
                "shape" => Confidence::Shape,
                other => return Err(format!("confidence {other}")),
            };
            let pattern = Pattern {
                id: c.get("id")?,
                name: c.get("name")?,
                label: c.get("label")?,
                confidence,
                validator: parse_validator(c.get("validator")?)?,
                source: c.get("regex")?,
                regex: OnceLock::new(),
                min_len: OnceLock::new(),
            };
            Ok((pattern, c.get("keywords")?))
        })
        .map_err(|e| e.to_string())?;
    for (pattern, kws) in rows {
        let idx = patterns.len();
        patterns.push(pattern);
        let kws: Vec<&'static str> = kws.split(',').filter(|k| !k.is_empty()).collect();
        if kws.is_empty() {
            always.push(idx);
        }
        for k in kws {
            match keywords.iter().position(|x| x.eq_ignore_ascii_case(k)) {
                Some(i) => gated[i].push(idx),
                None => {
                    keywords.push(k);
                    gated.push(vec![idx]);
                }
            }
        }
    }
    if patterns.len() > 64 {
        return Err("more than 64 patterns: widen the pattern set in find_secrets".into());
    }
    let prefilter = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(&keywords)
        .map_err(|e| e.to_string())?;
    Ok(Engine {
        patterns,
        prefilter,
        gated,
        always,
    })
}

/// True when `bytes` hold `n` bytes in a row that `class` accepts.
fn has_run(bytes: &[u8], n: usize, class: impl Fn(u8) -> bool) -> bool {
    let mut len = 0;
    for &b in bytes {
        if class(b) {
            len += 1;
            if len >= n {
                return true;
            }
        } else {
            len = 0;
        }
    }
    false
}

/// Every secret in `text`, in order of position; overlapping matches keep the earlier pattern of
/// the table (specific formats come before generic ones).
pub fn find_secrets(text: &str) -> Vec<SecretMatch> {
    let eng = engine();
    let bytes = text.as_bytes();
    // The patterns to run, as a bit set (the table holds at most 64).
    let mut run: u64 = 0;
    for i in &eng.always {
        run |= 1 << i;
    }
    for m in eng.prefilter.find_overlapping_iter(bytes) {
        for p in &eng.gated[m.pattern().as_usize()] {
            run |= 1 << p;
        }
    }
    let mut out: Vec<(usize, SecretMatch)> = Vec::new();
    for (pi, p) in eng.patterns.iter().enumerate() {
        if run & (1 << pi) == 0 || bytes.len() < p.min_len() {
            continue;
        }
        // The one pattern without a keyword (a legacy Azure DevOps token: 52 base32 characters,
        // which its validator checks) runs on every string: a string without such a run, nearly
        // every one, is ruled out without the regex.
        if matches!(p.validator, Validator::AdoPat)
            && !has_run(bytes, 52, |c| matches!(c, b'2'..=b'7' | b'a'..=b'z'))
        {
            continue;
        }
        let regex = p.regex();
        let mut at = 0;
        while at <= bytes.len() {
            let Some(caps) = regex.captures_at(bytes, at) else {
                break;
            };
            let (Some(whole), Some(g)) = (caps.get(0), caps.name("secret")) else {
                break;
            };
            // Continue after the secret, not after the trailing boundary byte, so adjacent
            // secrets separated by one character are all found.
            at = g.end().max(whole.start() + 1);
            let Some(secret) = text.get(g.range()) else {
                continue;
            };
            let Some(confidence) = validate(&p.validator, p.confidence, secret) else {
                continue;
            };
            out.push((
                pi,
                SecretMatch {
                    kind: p.name,
                    id: p.id,
                    label: p.label,
                    confidence,
                    range: g.range(),
                },
            ));
        }
    }
    // Keep the best of overlapping matches: higher confidence, then table order.
    out.sort_by(|a, b| b.1.confidence.cmp(&a.1.confidence).then(a.0.cmp(&b.0)));
    let mut kept: Vec<SecretMatch> = Vec::new();
    for (_, m) in out {
        if kept
            .iter()
            .all(|k| k.range.end <= m.range.start || m.range.end <= k.range.start)
        {
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| m.range.start);
    kept
}

/// Like [`find_secrets`], with the name of the setting the value sits under: a bare 64-byte or
/// 32-byte base64 value (an Azure access key's shape), or a set of them separated by `;`, `,` or
/// white space, counts when the name says it holds keys, secrets or passwords (`StorageKeys`). SHA-512 digests of lock files sit under `integrity`, never under such names.
pub fn find_secrets_in_setting(name: Option<&str>, text: &str) -> Vec<SecretMatch> {
    // (a pure function of the text: `keyless history` keeps it across the versions of a file)
    thread_local! {
        static MEMO: crate::history_memo::Memo<(bool, Vec<SecretMatch>)> = Default::default();
    }
    let (shaped, found) = MEMO.with(|m| m.get_or(text, setting_matches));
    // (the name is read only for a value of a key's shape: the shape rules out nearly every
    // value, and reading the name is the dearer test)
    if shaped && !name.is_some_and(key_like_name) {
        return Vec::new();
    }
    found
}

/// [`find_secrets_in_setting`] without the name: the matches, and whether they are keys by shape
/// alone (which count only under a key-named setting).
fn setting_matches(text: &str) -> (bool, Vec<SecretMatch>) {
    let mut found = find_secrets(text);
    if !found.is_empty() {
        return (false, found);
    }
    // One key, or a set of them (`StorageKeys = "k1;k2"`, `"AccountKeys": "k1, k2"`): each part
    // is judged alone and reported at its own range.
    let mut at = 0;
    for part in text.split([';', ',', ' ', '\t', '\r', '\n']) {
        if let Some(m) = base64_key_shape(part, at) {
            found.push(m);
        }
        at += part.len() + 1;
    }
    (!found.is_empty(), found)
}

/// A 64-byte (Storage, Cosmos DB) or 32-byte (Service Bus, Event Hubs, Redis, SignalR) key in
/// base64 that starts at `start` of the setting's text.
fn base64_key_shape(t: &str, start: usize) -> Option<SecretMatch> {
    // The shape first: it rules out nearly every string without looking further.
    let shaped = (t.len() == 88 && t.ends_with("==")) || (t.len() == 44 && t.ends_with('='));
    if !shaped {
        return None;
    }
    let b64 = |s: &str| {
        s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
    };
    let (label, ok) = if t.len() == 88 && t.ends_with("==") {
        (
            "Azure access key (64-byte base64: Storage, Cosmos DB)",
            b64(&t[..86]),
        )
    } else if t.len() == 44 && t.ends_with('=') && !t.ends_with("==") {
        (
            "Azure access key (32-byte base64: Service Bus, Event Hubs, Redis, SignalR)",
            b64(&t[..43]),
        )
    } else {
        ("", false)
    };
    (ok && !is_emulator_key(t) && has_entropy(t)).then(|| SecretMatch {
        kind: "Base64AccessKeyInKeySetting",
        id: "KL/KEYSETTING",
        label,
        confidence: Confidence::Shape,
        range: start..start + t.len(),
    })
}

/// A setting or property name that holds a key: `StorageKey`, `primary_access_key`, `apiKey`,
/// `clientSecret`, `password`, `sasToken`, and a storage setting (`AzureWebJobsStorage`), which
/// holds a key when the value has a key's exact shape. Names of digests (`integrity`, `hash`,
/// `checksum`, `thumbprint`) and of public material (`publicKey`) are not.
pub fn key_like_name(name: &str) -> bool {
    is_secret_name(name, Tier::KeyHolder)
}

/// Base64 of random bytes mixes cases and digits; a value like `AAAA…==` does not.
fn has_entropy(s: &str) -> bool {
    let mut seen = [false; 128];
    let mut distinct = 0;
    for b in s.bytes() {
        if b < 128 && !seen[b as usize] {
            seen[b as usize] = true;
            distinct += 1;
        }
    }
    distinct >= 16
        && s.bytes().any(|b| b.is_ascii_uppercase())
        && s.bytes().any(|b| b.is_ascii_lowercase())
        && s.bytes().any(|b| b.is_ascii_digit())
}

fn validate(v: &Validator, base: Confidence, s: &str) -> Option<Confidence> {
    match v {
        Validator::None => Some(base),
        Validator::NotEmulator => (!is_emulator_key(s)).then_some(base),
        Validator::UrlPassword => url_password(s).then_some(base),
        Validator::Marvin { seeds, url } => {
            let bytes = base64_decode(s, *url)?;
            seeds
                .iter()
                .any(|seed| marvin_checksum_ok(&bytes, *seed))
                .then_some(Confidence::ChecksumValid)
        }
        Validator::Cask => Some(if cask_checksum_ok(s) {
            Confidence::ChecksumValid
        } else {
            base
        }),
        Validator::Aad => aad_secret(s),
        Validator::AdoPat => ado_pat_checksum_ok(s).then_some(Confidence::ChecksumValid),
        Validator::Jwt => jwt_header_ok(s).then_some(base),
        Validator::Pem => pem_has_body(s).then_some(base),
        Validator::Pem64 => pem64_private_key(s).then_some(base),
        Validator::Der(kind) => {
            let bytes = base64_blob(s)?;
            (der_private_key(&bytes) == Some(*kind)).then_some(base)
        }
    }
}

/// A URL's password that is a secret, not a stand-in (`${TOKEN}`, `$(Pat)`, `%PASSWORD%`,
/// `password`, `<pw>`).
fn url_password(s: &str) -> bool {
    use crate::analysis::names::SecretKind;
    use crate::ir::classify::{has_substitution, is_placeholder};
    if is_placeholder(s) || has_substitution(s) || s.starts_with(['%', '$']) {
        return false;
    }
    let decoded = crate::analysis::connstr::percent_decode(s);
    crate::analysis::secret_value::is_plausible_secret(&decoded, "password", SecretKind::Password)
}

/// The bytes of a base64 blob of a plausible size for a key or an archive (64 KB at most).
fn base64_blob(s: &str) -> Option<Vec<u8>> {
    if s.len() > 65_536 || s.trim_end_matches('=').len() % 4 == 1 {
        return None;
    }
    base64_decode(s, false)
}

/// A base64 string that decodes to a PEM private-key block with key material in it.
fn pem64_private_key(s: &str) -> bool {
    let Some(bytes) = base64_blob(s) else {
        return false;
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return false;
    };
    let head = text.trim_start().lines().next().unwrap_or("");
    head.starts_with("-----BEGIN") && head.contains("PRIVATE KEY-----") && pem_has_body(text)
}

/// The file span of `value[range]`, where `value` is the decoded string of a node written at
/// `node_span`. Exact when the value is written verbatim (quoted or not, no escapes) or when the
/// secret itself occurs once verbatim in the node's text; the whole node otherwise.
pub fn value_sub_span(file_text: &str, node_span: Span, value: &str, range: Range<usize>) -> Span {
    let raw = file_text.get(node_span.start..node_span.end).unwrap_or("");
    if let Some(off) = verbatim_offset(raw, value) {
        return Span::new(
            node_span.start + off + range.start,
            node_span.start + off + range.end,
        );
    }
    if let Some(sub) = value.get(range) {
        if !sub.is_empty() {
            if let Some(i) = raw.find(sub) {
                if !raw[i + sub.len()..].contains(sub) {
                    return Span::new(node_span.start + i, node_span.start + i + sub.len());
                }
            }
        }
    }
    node_span
}

/// Like [`value_sub_span`], for a piece of an expression whose text may be written more than
/// once in the node (`cond ? 'KEY' : 'KEY'`, `concat('KEY', toLower('KEY'))`): the `nth`
/// (0-based) place where the secret is written, pieces being met in source order; the whole
/// node when there are fewer.
pub fn value_sub_span_nth(
    file_text: &str,
    node_span: Span,
    value: &str,
    range: Range<usize>,
    nth: usize,
) -> Span {
    let raw = file_text.get(node_span.start..node_span.end).unwrap_or("");
    if verbatim_offset(raw, value).is_some() {
        return value_sub_span(file_text, node_span, value, range);
    }
    match value.get(range) {
        Some(sub) if !sub.is_empty() => match raw.match_indices(sub).nth(nth) {
            Some((i, _)) => Span::new(node_span.start + i, node_span.start + i + sub.len()),
            None => node_span,
        },
        _ => node_span,
    }
}

/// Offset of `value` inside `raw` when written verbatim: unquoted, or between one pair of quotes.
pub fn verbatim_offset(raw: &str, value: &str) -> Option<usize> {
    if raw == value {
        return Some(0);
    }
    let inner = raw.get(1..raw.len().checked_sub(1)?)?;
    let quoted = matches!(raw.as_bytes().first(), Some(b'"' | b'\'' | b'`'));
    (quoted && inner == value).then_some(1)
}

// ---------------------------------------------------------------------------------------------
// Checksums

/// Identifiable key: the last four bytes are the little-endian Marvin32 of the rest.
fn marvin_checksum_ok(bytes: &[u8], seed: u64) -> bool {
    if bytes.len() < 8 {
        return false;
    }
    let (body, sum) = bytes.split_at(bytes.len() - 4);
    marvin32(body, seed) == u32::from_le_bytes([sum[0], sum[1], sum[2], sum[3]])
}

/// The common annotated security key checksum seed: `Default0` read as a reversed u64.
pub const CASK_SEED: u64 = 0x4465_6661_756c_7430;

/// Common annotated security key: 84 characters (63 bytes, three checksum bytes) or 88 (64 bytes,
/// four). The checksum is the Marvin32 of the first 60 bytes.
fn cask_checksum_ok(s: &str) -> bool {
    let Some(bytes) = base64_decode(s, false) else {
        return false;
    };
    if bytes.len() < 63 {
        return false;
    }
    let sum = marvin32(&bytes[..60], CASK_SEED).to_le_bytes();
    let n = if bytes.len() >= 64 { 4 } else { 3 };
    bytes[60..60 + n] == sum[..n]
}

const AAD_ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~";
/// Entra ID client secret checksum seed (`AadPwd00`).
pub const AAD_SEED: u64 = 0x4161_6450_7764_3030;

/// The fewest digits [`aad_encode`] writes (Microsoft's `CustomAlphabetEncoder` pads to six).
pub const AAD_MIN_DIGITS: usize = 6;

/// Encodes a number in the Entra ID client-secret alphabet as Microsoft's `CustomAlphabetEncoder`
/// does: digits least significant first, padded with the alphabet's first character to
/// [`AAD_MIN_DIGITS`], then reversed (so small values start with `a`). Without the padding every
/// secret whose checksum is below 66^5 (about 29 % of them) fails the check.
pub fn aad_encode(mut v: u32) -> Vec<u8> {
    let n = AAD_ALPHABET.len() as u32;
    let mut out = Vec::new();
    while v > 0 {
        out.push(AAD_ALPHABET[(v % n) as usize]);
        v /= n;
    }
    while out.len() < AAD_MIN_DIGITS {
        out.push(AAD_ALPHABET[0]);
    }
    out.reverse();
    out
}

/// `8Q~` secrets end in the first three characters of their checksum; `7Q~` have none.
fn aad_secret(s: &str) -> Option<Confidence> {
    let b = s.as_bytes();
    if b.len() < 7 {
        return None;
    }
    match &b[3..6] {
        b"7Q~" => Some(Confidence::Identifiable),
        b"8Q~" => {
            let (body, tail) = b.split_at(b.len() - 3);
            let enc = aad_encode(marvin32(body, AAD_SEED));
            (enc.len() >= 3 && enc[..3] == *tail).then_some(Confidence::ChecksumValid)
        }
        _ => None,
    }
}

const ADO_SEEDS: [u32; 2] = [0xE0B9_692D, 0x1019_F92E];

/// The token bytes of a legacy Azure DevOps PAT and its embedded checksum.
fn ado_pat_parts(bytes: &[u8]) -> Option<(Vec<u8>, u32)> {
    if bytes.len() < 32 {
        return None;
    }
    let mut token = Vec::with_capacity(28);
    token.extend_from_slice(&bytes[0..2]);
    token.extend_from_slice(&bytes[3..7]);
    token.extend_from_slice(&bytes[9..22]);
    token.extend_from_slice(&bytes[23..32]);
    let sum = u32::from_le_bytes([bytes[22], bytes[8], bytes[7], bytes[2]]);
    Some((token, sum))
}

fn ado_pat_checksum_ok(s: &str) -> bool {
    let Some(bytes) = base32_decode(s) else {
        return false;
    };
    let Some((token, sum)) = ado_pat_parts(&bytes) else {
        return false;
    };
    let crc = crc32(&token);
    ADO_SEEDS.iter().any(|seed| crc ^ seed == sum)
}

// ---------------------------------------------------------------------------------------------
// Decoding

fn jwt_header_ok(s: &str) -> bool {
    let header = s.split('.').next().unwrap_or("");
    let Some(bytes) = base64_decode(header, true) else {
        return false;
    };
    match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(serde_json::Value::Object(m)) => m.contains_key("alg"),
        _ => false,
    }
}

/// A PEM block holds key material: at least 64 base64 characters between its armour lines
/// (documentation writes `-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----`).
fn pem_has_body(s: &str) -> bool {
    let body = s
        .split_once("-----\n")
        .or_else(|| s.split_once("-----"))
        .map(|(_, rest)| rest)
        .unwrap_or("");
    let body = body.split("-----END").next().unwrap_or("");
    // A literal `\n` (escaped newline in a broken file's text) is not key material.
    let body = body.replace("\\n", "\n");
    body.bytes()
        .filter(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        .count()
        >= 64
}

// Only with the `testing` feature (the integration tests enable it): not shipped.
#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testkeys {
    //! Generators for fake keys with valid checksums (tests and fixtures only; public for the
    //! integration tests, not an API). The random part is derived from a label through a small
    //! PRNG, so every fixture key is obviously synthetic and reproducible.

    use super::*;

    pub fn rand_bytes(label: &str, n: usize) -> Vec<u8> {
        let mut x = crate::digest::fnv1a(&[label.as_bytes()]) | 1;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                (x >> 24) as u8
            })
            .collect()
    }

    pub fn b64(bytes: &[u8], url: bool) -> String {
        let alpha: &[u8] = if url {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        } else {
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
        };
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n = chunk.len();
            let v = (u32::from(chunk[0]) << 16)
                | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
                | u32::from(*chunk.get(2).unwrap_or(&0));
            for i in 0..4 {
                if i <= n {
                    out.push(alpha[((v >> (18 - 6 * i)) & 63) as usize] as char);
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// An identifiable key: random bytes, the signature placed so that it shows in the encoding
    /// just before the checksum, then the Marvin32 checksum.
    pub fn identifiable(label: &str, len: usize, signature: &str, seed: u64, url: bool) -> String {
        for attempt in 0..10_000u32 {
            let mut bytes = rand_bytes(&format!("{label}{attempt}"), len);
            // Write the signature's 24 bits at the position its characters take in the encoding.
            let sig = base64_decode(signature, url).unwrap();
            let sig_char = b64(&bytes, url).trim_end_matches('=').len() - 6 - 4;
            let bit = sig_char * 6;
            let sigv = (u32::from(sig[0]) << 16) | (u32::from(sig[1]) << 8) | u32::from(sig[2]);
            for i in 0..24 {
                let b = bit + i;
                let v = (sigv >> (23 - i)) & 1;
                let byte = b / 8;
                let mask = 0x80u8 >> (b % 8);
                if v == 1 {
                    bytes[byte] |= mask;
                } else {
                    bytes[byte] &= !mask;
                }
            }
            // Bits between the signature and the checksum are zero (the format's `[A-P]`/`[A-D]`).
            for b in bit + 24..(len - 4) * 8 {
                bytes[b / 8] &= !(0x80u8 >> (b % 8));
            }
            let sum = marvin32(&bytes[..len - 4], seed).to_le_bytes();
            bytes[len - 4..].copy_from_slice(&sum);
            let key = b64(&bytes, url);
            let t = key.trim_end_matches('=');
            if &t[t.len() - 10..t.len() - 6] == signature {
                return key;
            }
        }
        panic!("could not build a key for {signature}");
    }

    /// A common annotated security key (88-character long form) with a provider signature.
    pub fn cask(label: &str, provider: &str) -> String {
        for attempt in 0..100_000u32 {
            let r = b64(&rand_bytes(&format!("{label}{attempt}"), 39), false);
            let r: String = r.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
            if r.len() < 52 {
                continue;
            }
            let text = format!("{}JQQJ99ABAAAAAAAAAAAAAAAA{provider}", &r[..52]);
            let Some(mut bytes) = base64_decode(&text, false) else {
                continue;
            };
            bytes.truncate(60);
            let sum = marvin32(&bytes, CASK_SEED).to_le_bytes();
            bytes.extend_from_slice(&sum);
            let key = b64(&bytes, false);
            if key[..86].bytes().all(|c| c.is_ascii_alphanumeric()) {
                return key;
            }
        }
        panic!("no cask key");
    }

    /// An Entra ID client secret with a valid `8Q~` checksum (40 characters).
    pub fn aad(label: &str) -> String {
        let r = rand_bytes(label, 40);
        let pick = |b: u8| AAD_ALPHABET[(b as usize) % 62] as char;
        let mut body: String = r[..3].iter().map(|b| pick(*b)).collect();
        body.push_str("8Q~");
        body.extend(r[3..34].iter().map(|b| pick(*b)));
        let enc = aad_encode(marvin32(body.as_bytes(), AAD_SEED));
        body.push_str(std::str::from_utf8(&enc[..3]).unwrap());
        body
    }

    /// A legacy Azure DevOps PAT with a valid checksum.
    pub fn ado_pat(label: &str) -> String {
        let mut bytes = rand_bytes(label, 32);
        let (token, _) = ado_pat_parts(&bytes).unwrap();
        let sum = (crc32(&token) ^ ADO_SEEDS[0]).to_le_bytes();
        bytes[22] = sum[0];
        bytes[8] = sum[1];
        bytes[7] = sum[2];
        bytes[2] = sum[3];
        // 32 bytes = 256 bits; 52 base32 characters carry 260 bits: pad with zero bits.
        let alpha = b"abcdefghijklmnopqrstuvwxyz234567";
        let mut out = String::new();
        let (mut acc, mut bits) = (0u64, 0u32);
        for b in bytes {
            acc = (acc << 8) | u64::from(b);
            bits += 8;
            while bits >= 5 {
                bits -= 5;
                out.push(alpha[((acc >> bits) & 31) as usize] as char);
            }
            acc &= (1 << bits) - 1;
        }
        out.push(alpha[((acc << (5 - bits)) & 31) as usize] as char);
        out
    }

    /// A 64-byte base64 key without signature (legacy storage/Cosmos DB key shape).
    pub fn legacy64(label: &str) -> String {
        b64(&rand_bytes(label, 64), false)
    }

    pub fn legacy32(label: &str) -> String {
        b64(&rand_bytes(label, 32), false)
    }
}

#[cfg(test)]
mod tests {
    use super::testkeys::*;
    use super::*;

    fn kinds(text: &str) -> Vec<(&'static str, Confidence)> {
        find_secrets(text)
            .into_iter()
            .map(|m| (m.kind, m.confidence))
            .collect()
    }

    /// The run test before the keyword-less pattern's regex holds only while that regex's secret
    /// is such a run; and that pattern is the only one without a keyword.
    #[test]
    fn the_keyword_less_pattern_needs_the_run_find_secrets_tests_first() {
        let eng = engine();
        for &i in &eng.always {
            let p = &eng.patterns[i];
            assert!(matches!(p.validator, Validator::AdoPat), "{}", p.id);
        }
        for p in eng
            .patterns
            .iter()
            .filter(|p| matches!(p.validator, Validator::AdoPat))
        {
            assert!(p.source.contains("(?P<secret>[2-7a-z]{52})"), "{}", p.id);
        }
        assert!(has_run(
            b"x abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrst y",
            52,
            |c| { matches!(c, b'2'..=b'7' | b'a'..=b'z') }
        ));
        assert!(!has_run(
            b"abcdefghijklmnopqrstuvwxyz-234567abcdefghijklmnopqrstuvw",
            52,
            |c| { matches!(c, b'2'..=b'7' | b'a'..=b'z') }
        ));
    }

    #[test]
    fn table_compiles() {
        let eng = engine();
        assert!(eng.patterns.len() > 30);
        for p in &eng.patterns {
            let re = compile(p.source).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            assert!(re.capture_names().any(|n| n == Some("secret")), "{}", p.id);
            assert!(
                p.min_len() > 0 && p.min_len() < 4096,
                "{}: {}",
                p.id,
                p.min_len()
            );
        }
    }

    #[test]
    fn marvin_matches_symcrypt_vector() {
        let (p0, p1) = marvin(b"abc", 0xd53c_d9ce_cd08_93b7);
        assert_eq!((u64::from(p1) << 32) | u64::from(p0), 0x22c7_4339_4927_69bf);
    }

    #[test]
    fn crc32_known_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn identifiable_keys_with_checksums() {
        let cases = [
            (
                88,
                "+ASt",
                0x4465_6661_756c_7430u64,
                false,
                "AzureStorageAccountIdentifiableKey",
            ),
            (
                64,
                "ACDb",
                0x4d61_7374_5257_3030,
                false,
                "AzureCosmosDBIdentifiableKey",
            ),
            (
                32,
                "+ASb",
                0x5365_6e64_3030_3030,
                false,
                "AzureServiceBusIdentifiableKey",
            ),
            (
                32,
                "+AEh",
                0x4c69_7374_656e_3030,
                false,
                "AzureEventHubIdentifiableKey",
            ),
            (
                32,
                "AIoT",
                0x496f_5448_7562_3030,
                false,
                "AzureIotIdentifiableKey",
            ),
            (
                32,
                "AzCa",
                0x4163_6365_7373_3030,
                false,
                "AzureCacheForRedisIdentifiableKey",
            ),
            (
                39,
                "+ACR",
                0x4143_5244_666c_7430,
                false,
                "AzureContainerRegistryIdentifiableKey",
            ),
            (
                39,
                "AzSe",
                0x5175_6572_7930_3030,
                false,
                "AzureSearchIdentifiableKey",
            ),
            (
                40,
                "AzFu",
                0x4675_6e63_7469_3030,
                true,
                "AzureFunctionIdentifiableKey",
            ),
        ];
        for (len, sig, seed, url, kind) in cases {
            let len = if len == 88 { 64 } else { len };
            let key = identifiable(kind, len, sig, seed, url);
            let text = format!("key: {key} end");
            let found = find_secrets(&text);
            assert_eq!(found.len(), 1, "{kind}: {found:?}");
            assert_eq!(found[0].kind, kind);
            assert_eq!(found[0].confidence, Confidence::ChecksumValid, "{kind}");
            assert_eq!(&text[found[0].range.clone()], key);
            // One flipped character in the random part breaks the checksum: not reported.
            let mut bad = key.clone().into_bytes();
            bad[5] = if bad[5] == b'A' { b'B' } else { b'A' };
            let bad = String::from_utf8(bad).unwrap();
            assert!(find_secrets(&bad).is_empty(), "{kind} with a bad checksum");
        }
    }

    #[test]
    fn common_annotated_keys() {
        let key = cask("cask", "AZEG");
        assert_eq!(key.len(), 88);
        assert_eq!(
            kinds(&key),
            [(
                "AzureEventGridLegacyCommonAnnotatedSecurityKey",
                Confidence::ChecksumValid
            )]
        );
        // short form (84 characters) carries three checksum bytes
        let short = &key[..84];
        assert_eq!(kinds(short)[0].1, Confidence::ChecksumValid);
        // a bad checksum keeps the highly specific shape, at lower confidence
        let mut bad = key[..84].to_string();
        bad.replace_range(0..1, if bad.starts_with('A') { "B" } else { "A" });
        assert_eq!(kinds(&bad)[0].1, Confidence::Identifiable);
        let sql = cask("sql", "msql");
        assert_eq!(
            kinds(&sql)[0].0,
            "SqlPrivateDefaultCloudSALegacyCommonAnnotatedSecurityKey"
        );
    }

    #[test]
    fn entra_client_secrets() {
        let s = aad("client");
        assert_eq!(
            kinds(&format!("\"{s}\"")),
            [(
                "AadClientAppIdentifiableCredentials",
                Confidence::ChecksumValid
            )]
        );
        let mut bad = s.clone();
        bad.replace_range(0..1, if s.starts_with('a') { "b" } else { "a" });
        assert!(kinds(&bad).is_empty());
        let legacy = format!("abc7Q~{}", "x".repeat(34));
        assert_eq!(kinds(&legacy)[0].1, Confidence::Identifiable);
    }

    /// Generated secrets across the whole checksum range: checksums below 66^1 … 66^5 (encoded
    /// with leading `a` padding) and above, checked against an independent encoder.
    #[test]
    fn entra_client_secrets_across_the_checksum_range() {
        // Reference: the checksum's base-66 digits, most significant first, left-padded to six.
        fn reference(v: u32) -> String {
            let mut digits = Vec::new();
            let mut x = u64::from(v);
            for _ in 0..6 {
                digits.push(AAD_ALPHABET[(x % 66) as usize] as char);
                x /= 66;
            }
            while x > 0 {
                digits.push(AAD_ALPHABET[(x % 66) as usize] as char);
                x /= 66;
            }
            digits.iter().rev().collect()
        }
        assert_eq!(aad_encode(0), b"aaaaaa");
        assert_eq!(aad_encode(1), b"aaaaab");
        assert_eq!(aad_encode(u32::MAX), reference(u32::MAX).as_bytes());
        // bucket b: checksums in [66^b, 66^(b+1)) (b = 0 is [0, 66)); 66^2 and below are too
        // rare to find by search in a test (one body in a million), the encoder covers them above
        let bounds: [u64; 7] = [0, 66, 4356, 287_496, 18_974_736, 1_252_332_576, 1 << 32];
        let mut found = [0usize; 6];
        let pick = |b: u8| AAD_ALPHABET[(b as usize) % 62] as char;
        for i in 0..400_000u32 {
            let r = rand_bytes(&format!("aad-range-{i}"), 40);
            let mut body: String = r[..3].iter().map(|b| pick(*b)).collect();
            body.push_str("8Q~");
            body.extend(r[3..34].iter().map(|b| pick(*b)));
            let v = marvin32(body.as_bytes(), AAD_SEED);
            let bucket = (0..6)
                .find(|b| u64::from(v) >= bounds[*b] && u64::from(v) < bounds[b + 1])
                .unwrap_or(5);
            if found[bucket] >= 20 || (bucket < 3 && found[bucket] >= 2) {
                continue;
            }
            let enc = reference(v);
            assert_eq!(aad_encode(v), enc.as_bytes(), "{v}");
            let secret = format!("{body}{}", &enc[..3]);
            assert_eq!(
                kinds(&format!("\"{secret}\"")),
                [(
                    "AadClientAppIdentifiableCredentials",
                    Confidence::ChecksumValid
                )],
                "checksum {v} (bucket {bucket})"
            );
            found[bucket] += 1;
            if found[3..].iter().all(|n| *n >= 20) && found[2] >= 2 {
                break;
            }
        }
        // checksums below 66^5 (the 29 % the unpadded encoder lost) and above were both tried
        assert!(
            found[3] >= 20 && found[4] >= 20 && found[5] >= 20,
            "{found:?}"
        );
        assert!(found[2] >= 2, "{found:?}");
    }

    #[test]
    fn legacy_devops_pat() {
        let pat = ado_pat("pat");
        assert_eq!(pat.len(), 52);
        assert_eq!(kinds(&pat), [("AdoLegacyPat", Confidence::ChecksumValid)]);
        let other: String = pat.chars().rev().collect();
        assert!(kinds(&other).is_empty());
    }

    #[test]
    fn memo_of_the_history_gives_the_same_answers() {
        // the same strings under other names, searched with the memo off and then on, twice
        let key = legacy64("memo");
        let values = [
            key.clone(),
            legacy32("memo"),
            format!("DefaultEndpointsProtocol=https;AccountName=a;AccountKey={key}"),
            format!("sha512-{key}"),
            "https://example.com/not/a/secret/at/all/just/a/long/string".to_string(),
        ];
        let names = [
            None,
            Some("integrity"),
            Some("StorageAccountKey"),
            Some("name"),
        ];
        let all = move || {
            let mut out = Vec::new();
            for v in &values {
                for n in names {
                    out.push(find_secrets_in_setting(n, v));
                }
            }
            out
        };
        let off = all();
        assert!(off.iter().any(|f| !f.is_empty()) && off.iter().any(Vec::is_empty));
        let on = std::thread::spawn(move || {
            crate::history_memo::enable_on_this_thread();
            (all(), all())
        })
        .join()
        .unwrap();
        assert_eq!(on.0, off);
        assert_eq!(on.1, off);
    }

    #[test]
    fn storage_keys_need_context() {
        let key = legacy64("storage");
        let cs = format!("DefaultEndpointsProtocol=https;AccountName=a;AccountKey={key};EndpointSuffix=core.windows.net");
        let found = find_secrets(&cs);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].kind, "StorageAccountKey");
        assert_eq!(found[0].confidence, Confidence::Context);
        assert_eq!(&cs[found[0].range.clone()], key);
        // the same value bare, as a lock-file integrity hash, is not a secret
        assert!(find_secrets(&format!("sha512-{key}")).is_empty());
        assert!(find_secrets_in_setting(Some("integrity"), &format!("sha512-{key}")).is_empty());
        assert!(find_secrets_in_setting(Some("integrity"), &key).is_empty());
        // …but under a key-named setting it is one
        let f = find_secrets_in_setting(Some("StorageAccountKey"), &key);
        assert_eq!(f[0].confidence, Confidence::Shape);
        let f = find_secrets_in_setting(Some("primary_key"), &legacy32("sb"));
        assert_eq!(f.len(), 1);
        // the emulator key is not a secret, in any context
        assert!(find_secrets(&format!(
            "AccountName=devstoreaccount1;AccountKey={EMULATOR_KEY}"
        ))
        .is_empty());
        assert!(find_secrets_in_setting(Some("AccountKey"), EMULATOR_KEY).is_empty());
        // Cosmos DB connection strings are named as such
        let cosmos =
            format!("AccountEndpoint=https://x.documents.azure.com:443/;AccountKey={key};");
        assert_eq!(kinds(&cosmos)[0].0, "CosmosDbAccountKey");
    }

    #[test]
    fn shared_access_keys_and_sas() {
        let k = legacy32("sb");
        let cs = format!(
            "Endpoint=sb://n.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey={k}"
        );
        assert_eq!(kinds(&cs), [("SharedAccessKey", Confidence::Context)]);
        let sig = legacy32("sig").replace('=', "%3D");
        let url = format!("https://a.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=co&sp=r&se=2030-01-01&sig={sig}");
        assert_eq!(kinds(&url), [("SasSignature", Confidence::Context)]);
        assert!(
            kinds("https://a.blob.core.windows.net/c?sv=2022-11-02&sig=<signature>").is_empty()
        );
    }

    #[test]
    fn pem_private_keys_but_not_public_material() {
        let body = b64(&rand_bytes("pem", 120), false);
        let pk = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----");
        assert_eq!(kinds(&pk), [("PemPrivateKey", Confidence::Context)]);
        let cert = format!("-----BEGIN CERTIFICATE-----\n{body}\n-----END CERTIFICATE-----");
        assert!(kinds(&cert).is_empty());
        let public = format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----");
        assert!(kinds(&public).is_empty());
        assert!(kinds("-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----").is_empty());
        assert!(kinds("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host").is_empty());
    }

    #[test]
    fn jwts_need_a_header_with_alg() {
        let h = b64(br#"{"alg":"HS256","typ":"JWT"}"#, true).replace('=', "");
        let p = b64(br#"{"sub":"fake-subject","iat":1700000000}"#, true).replace('=', "");
        let sig = b64(&rand_bytes("jwt", 32), true).replace('=', "");
        let jwt = format!("{h}.{p}.{sig}");
        assert_eq!(
            kinds(&format!("Bearer {jwt}")),
            [("Jwt", Confidence::Shape)]
        );
        let h2 = b64(br#"{"typ":"JWT","kid":"x"}"#, true).replace('=', "");
        assert!(kinds(&format!("{h2}.{p}.{sig}")).is_empty());
    }

    #[test]
    fn non_secrets() {
        for t in [
            "0f8fad5b-d9cb-469f-a165-70867728950e",
            "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa",
            "https://kv.vault.azure.net/secrets/db/0123456789abcdef0123456789abcdef",
            "UseDevelopmentStorage=true",
            "",
            "AccountKey=",
        ] {
            assert!(find_secrets(t).is_empty(), "{t}");
        }
    }

    #[test]
    fn odd_input_does_not_panic() {
        for t in [
            "JQQJ",
            "sig=",
            "é8Q~éé",
            "eyJ.eyJ.",
            "-----BEGIN PRIVATE KEY-----",
            "AccountKey=\u{1F600}",
        ] {
            let _ = find_secrets(t);
            let _ = find_secrets_in_setting(Some("key"), t);
        }
    }
}
