//! Secret-name analysis: does a name (a key, property, attribute, setting or parameter) name a
//! secret? One vocabulary for every rule and analysis, as data (`rules/secret-names.tsv`), read at
//! [`Tier`]s of decreasing precision; each caller picks the tier its question needs.
//!
//! The exact tier splits names into words at camelCase humps, digits and any punctuation (`_`,
//! `-`, `:`, `.`, `__`), so `administrator_login_password`, `AdministratorLoginPassword` and
//! `ADMINISTRATOR-LOGIN-PASSWORD` read alike. A name is secret-like when its *last* word (after
//! dropping neutral suffixes like `Value` or `Base64`) names a secret: `PasswordPolicy`,
//! `tokenEndpoint`, `secretName`, `client_id` and `enable_secret_rotation` end in another word.
//! It errs on the side of silence: KEY002–KEY006 report errors, and a finding on `passwordLength`,
//! `secretName` or a Key Vault secret URI is a bug.

use std::sync::OnceLock;

use crate::source::is_invisible;
use crate::table::Table;

/// What kind of secret a key names: a human-chosen password (short values are normal) or a
/// machine secret (keys, tokens, client secrets: long and random when real).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Password,
    Secret,
}

/// How sure a name must be, most precise first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// The name's last word names a secret ([`secret_key_kind`]): `adminPassword`,
    /// `client_secret`, `storageAccountKey`; not `passwordLength`, `secretName`, `partitionKey`.
    Exact,
    /// [`Tier::Exact`], or an attribute holding a secret without being named like one
    /// (`kube_config_raw`, `client_key`, `*_connection_string`).
    Attribute,
    /// The squashed name contains a secret word and no digest, public-key or Key Vault word:
    /// `StorageKey`, `sasToken`; not `integrity`, `publicKey`, `keyVaultName`.
    Broad,
    /// [`Tier::Broad`], or a name that holds a key when its value has a key's exact shape
    /// (`AzureWebJobsStorage`, `Input_StorageAccounts`).
    KeyHolder,
    /// Any part of the name mentions a key, password, secret, token, SAS or connection string.
    Loose,
    /// A setting name that, with a long literal value, shows key-based access (MI001).
    CredentialSetting,
    /// A referenced attribute that is a key or connection string of another resource (MI001).
    CredentialAttribute,
    /// A key under which a literal shows a key in use (MI001's key evidence).
    EvidenceKey,
}

/// The vocabulary, as loaded from `rules/secret-names.tsv`.
struct Vocab {
    password_nouns: Vec<&'static str>,
    secret_nouns: Vec<&'static str>,
    glued_suffixes: Vec<(&'static str, SecretKind)>,
    key_qualifiers: Vec<&'static str>,
    neutral_suffixes: Vec<&'static str>,
    flag_prefixes: Vec<&'static str>,
    reference_words: Vec<&'static str>,
    /// Words before `token` that make it an identifier (`creation_token`, `continuationToken`).
    token_identifiers: Vec<&'static str>,
    /// Every word the exact tier accepts holds one of these (`apikey` holds `key`,
    /// `credentials` holds `cred`), so a name without any names no secret: most keys of a
    /// template (`location`, `sku`) are rejected without being split into words.
    necessary: Vec<&'static [u8]>,
    /// Lower-case first letters of `necessary` (the quick check compares only there).
    first_letters: [bool; 256],
    /// The first two bytes of each `necessary` needle, each `| 0x20` (ASCII letters lower-cased),
    /// as a bit set of 65,536 pairs: the quick check compares needles only where a pair stands.
    /// `None` when a needle is shorter than two bytes.
    pairs: Option<Box<[u64; 1024]>>,
    attribute: Vec<Pattern>,
    broad: Vec<&'static str>,
    broad_not: Vec<&'static str>,
    key_holder: Vec<&'static str>,
    loose: Vec<&'static str>,
    credential_setting: Vec<Pattern>,
    credential_attribute: Vec<Pattern>,
    evidence_key: Vec<Pattern>,
}

/// A matched word: how it must stand in the lower-case name.
#[derive(Debug, Clone, Copy)]
enum Pattern {
    Contains(&'static str),
    Suffix(&'static str),
    /// A suffix that is not the whole name.
    ProperSuffix(&'static str),
    Exact(&'static str),
}

impl Pattern {
    fn matches(self, lower: &str) -> bool {
        match self {
            Pattern::Contains(w) => lower.contains(w),
            Pattern::Suffix(w) => lower.ends_with(w),
            Pattern::ProperSuffix(w) => lower.ends_with(w) && lower != w,
            Pattern::Exact(w) => lower == w,
        }
    }
}

fn vocab() -> &'static Vocab {
    static V: OnceLock<Vocab> = OnceLock::new();
    V.get_or_init(|| {
        let rows = Table::embedded(
            "rules/secret-names.tsv",
            include_str!("../../rules/secret-names.tsv"),
        )
        .map_embedded(|c| {
            let word = c.get("word")?;
            let pattern = match c.get("match")? {
                "word" => None,
                "contains" => Some(Pattern::Contains(word)),
                "suffix" => Some(Pattern::Suffix(word)),
                "proper-suffix" => Some(Pattern::ProperSuffix(word)),
                "exact" => Some(Pattern::Exact(word)),
                other => return Err(format!("match `{other}`")),
            };
            let kind = match c.get("kind")? {
                "password" => Some(SecretKind::Password),
                "secret" => Some(SecretKind::Secret),
                "-" => None,
                other => return Err(format!("kind `{other}`")),
            };
            Ok((c.get("list")?, word, pattern, kind))
        });
        let mut v = Vocab {
            password_nouns: Vec::new(),
            secret_nouns: Vec::new(),
            glued_suffixes: Vec::new(),
            key_qualifiers: Vec::new(),
            neutral_suffixes: Vec::new(),
            flag_prefixes: Vec::new(),
            reference_words: Vec::new(),
            token_identifiers: Vec::new(),
            necessary: Vec::new(),
            first_letters: [false; 256],
            pairs: Some(Box::new([0; 1024])),
            attribute: Vec::new(),
            broad: Vec::new(),
            broad_not: Vec::new(),
            key_holder: Vec::new(),
            loose: Vec::new(),
            credential_setting: Vec::new(),
            credential_attribute: Vec::new(),
            evidence_key: Vec::new(),
        };
        for (list, word, pattern, kind) in rows {
            let p = pattern.unwrap_or(Pattern::Exact(word));
            match (list, kind) {
                ("password-noun", _) => v.password_nouns.push(word),
                ("secret-noun", _) => v.secret_nouns.push(word),
                ("glued-suffix", Some(k)) => v.glued_suffixes.push((word, k)),
                ("key-qualifier", _) => v.key_qualifiers.push(word),
                ("neutral-suffix", _) => v.neutral_suffixes.push(word),
                ("flag-prefix", _) => v.flag_prefixes.push(word),
                ("reference-word", _) => v.reference_words.push(word),
                ("token-identifier", _) => v.token_identifiers.push(word),
                ("necessary", _) => {
                    v.necessary.push(word.as_bytes());
                    if let Some(&b) = word.as_bytes().first() {
                        v.first_letters[usize::from(b.to_ascii_lowercase())] = true;
                    }
                    match (word.as_bytes(), &mut v.pairs) {
                        ([a, b, ..], Some(bits)) => {
                            let pair = pair_index(*a, *b);
                            bits[pair >> 6] |= 1 << (pair & 63);
                        }
                        _ => v.pairs = None,
                    }
                }
                ("attribute", _) => v.attribute.push(p),
                ("broad", _) => v.broad.push(word),
                ("broad-not", _) => v.broad_not.push(word),
                ("key-holder", _) => v.key_holder.push(word),
                ("loose", _) => v.loose.push(word),
                ("credential-setting", _) => v.credential_setting.push(p),
                ("credential-attribute", _) => v.credential_attribute.push(p),
                ("evidence-key", _) => v.evidence_key.push(p),
                (other, _) => {
                    panic!("rules/secret-names.tsv: unknown list `{other}` or missing kind")
                }
            }
        }
        v
    })
}

/// `key` without its invisible characters (borrowed when it has none): a name is judged as it
/// shows, so `Pass\u{200d}word` is `Password`, not the two words `pass` and `word`.
fn visible(key: &str) -> std::borrow::Cow<'_, str> {
    if key.is_ascii() || !key.chars().any(is_invisible) {
        std::borrow::Cow::Borrowed(key)
    } else {
        std::borrow::Cow::Owned(key.chars().filter(|&c| !is_invisible(c)).collect())
    }
}

/// Does `name` name a secret at this tier?
pub fn is_secret_name(name: &str, tier: Tier) -> bool {
    let name = &*visible(name);
    let v = vocab();
    match tier {
        Tier::Exact => secret_key_kind(name).is_some(),
        Tier::Attribute => {
            secret_key_kind(name).is_some() || {
                let lower = name.to_ascii_lowercase();
                v.attribute.iter().any(|p| p.matches(&lower))
            }
        }
        Tier::Broad => {
            let squashed: String = name
                .bytes()
                .filter(u8::is_ascii_alphanumeric)
                .map(|c| char::from(c.to_ascii_lowercase()))
                .collect();
            // (the few broad words first: most names hold none, and the many exceptions need
            // not be looked for then)
            v.broad.iter().any(|w| squashed.contains(w))
                && !v.broad_not.iter().any(|w| squashed.contains(w))
        }
        Tier::KeyHolder => {
            is_secret_name(name, Tier::Broad) || {
                let lower = name.to_ascii_lowercase();
                v.key_holder.iter().any(|w| lower.contains(w))
            }
        }
        Tier::Loose => {
            let lower = name.to_ascii_lowercase();
            v.loose.iter().any(|w| lower.contains(w))
        }
        Tier::CredentialSetting => any(&v.credential_setting, name),
        Tier::CredentialAttribute => any(&v.credential_attribute, name),
        Tier::EvidenceKey => any(&v.evidence_key, name),
    }
}

fn any(patterns: &[Pattern], name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    patterns.iter().any(|p| p.matches(&lower))
}

/// Lower-cased words of a key: split at punctuation, camelCase humps (`SASToken` → `sas`, `token`)
/// and digits (`password1` → `password`); digit runs are dropped.
pub fn words(key: &str) -> Vec<String> {
    if key.is_ascii() {
        return words_ascii(key.as_bytes());
    }
    words_chars(key)
}

/// [`words`] of an ASCII key, byte by byte (no buffer of characters per chunk): the same words.
fn words_ascii(key: &[u8]) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in key.split(|c| !c.is_ascii_alphanumeric()) {
        let mut cur = String::new();
        for (i, &c) in chunk.iter().enumerate() {
            if i > 0 {
                let p = chunk[i - 1];
                let next = chunk.get(i + 1);
                let boundary = (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                    || (p.is_ascii_alphabetic() != c.is_ascii_alphabetic())
                    || (p.is_ascii_uppercase()
                        && c.is_ascii_uppercase()
                        && next.is_some_and(u8::is_ascii_lowercase));
                if boundary && !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            cur.push(char::from(c.to_ascii_lowercase()));
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out.retain(|w| !w.bytes().all(|c| c.is_ascii_digit()));
    out
}

fn words_chars(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    for chunk in key.split(|c: char| !c.is_alphanumeric()) {
        let chars: Vec<char> = chunk.chars().collect();
        let mut cur = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let prev = if i > 0 { Some(chars[i - 1]) } else { None };
            let next = chars.get(i + 1).copied();
            let boundary = match prev {
                None => false,
                Some(p) => {
                    (p.is_lowercase() && c.is_uppercase())
                        || (p.is_alphabetic() != c.is_alphabetic())
                        || (p.is_uppercase()
                            && c.is_uppercase()
                            && next.is_some_and(char::is_lowercase))
                }
            };
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            cur.extend(c.to_lowercase());
        }
        if !cur.is_empty() {
            out.push(cur);
        }
    }
    out.retain(|w| !w.chars().all(|c| c.is_ascii_digit()));
    out
}

/// What kind of secret a key (property, attribute, setting or parameter name) names, if any
/// ([`Tier::Exact`]).
pub fn secret_key_kind(key: &str) -> Option<SecretKind> {
    let key = &*visible(key);
    let v = vocab();
    if key.len() > 128 || !might_name_secret(key) {
        return None;
    }
    let ws = words(key);
    if ws.is_empty() {
        return None;
    }
    if v.flag_prefixes.contains(&ws[0].as_str()) && ws.len() > 1 {
        return None;
    }
    if ws.iter().any(|w| v.reference_words.contains(&w.as_str())) {
        return None;
    }
    // `adminPasswordOrKey`: either half may name the secret.
    ws.split(|w| w == "or").find_map(segment_kind)
}

/// False only when `key` certainly names no secret. A key with non-ASCII characters takes the
/// full path, since Unicode lower-casing may turn them into ASCII letters.
fn might_name_secret(key: &str) -> bool {
    if !key.is_ascii() {
        return true;
    }
    let v = vocab();
    let b = key.as_bytes();
    let at = |i: usize| {
        v.necessary
            .iter()
            .any(|n| b.len() - i >= n.len() && b[i..i + n.len()].eq_ignore_ascii_case(n))
    };
    let Some(pairs) = &v.pairs else {
        // Compare only where a needle's first letter stands (`| 0x20` lower-cases an ASCII letter).
        return (0..b.len()).any(|i| v.first_letters[usize::from(b[i] | 0x20)] && at(i));
    };
    // Compare only where a needle's first two bytes stand: most keys have no such pair at all.
    b.windows(2).enumerate().any(|(i, w)| {
        let pair = pair_index(w[0], w[1]);
        pairs[pair >> 6] & (1 << (pair & 63)) != 0 && at(i)
    })
}

/// Two bytes as an index into [`Vocab::pairs`], each `| 0x20`: ASCII letters compare without
/// case, and any other byte equal to a needle's byte maps to the same index as it.
fn pair_index(a: u8, b: u8) -> usize {
    usize::from(a | 0x20) << 8 | usize::from(b | 0x20)
}

fn segment_kind(ws: &[String]) -> Option<SecretKind> {
    segment_match(ws).map(|(kind, _)| kind)
}

/// The kind a segment's last word names, and whether it names several (`adminPasswords`,
/// `StorageKeys`, `DBPASSWORDS`): a plural is read as its singular with the same tiers (`keys`
/// alone, like `key`, is not). A lone plural noun (`secrets`, `tokens`, `passwords`) is a
/// container's name (a workflow's `secrets:`, a list of secret names), not a secret's.
fn segment_match(ws: &[String]) -> Option<(SecretKind, bool)> {
    let v = vocab();
    let mut end = ws.len();
    while end > 1 && v.neutral_suffixes.contains(&ws[end - 1].as_str()) {
        end -= 1;
    }
    let ws = &ws[..end];
    let (last, before) = ws.split_last()?;
    if let Some(kind) = noun_kind(before, last) {
        return Some((kind, false));
    }
    let singular = last.strip_suffix('s').filter(|s| s.len() >= 3)?;
    if before.is_empty() {
        // `DBPASSWORDS` (glued) names secrets; a lone plural noun names a container
        if v.password_nouns.contains(&singular) || v.secret_nouns.contains(&singular) {
            return None;
        }
        return noun_kind(before, singular).map(|kind| (kind, true));
    }
    let kind = noun_kind(before, singular)?;
    // Plural secrets and tokens need a qualifier as keys do (`clientSecrets`, `accessTokens`;
    // not `maxTokens`, a count, nor `exportedSecrets`, references); `signingKeys` lists are
    // published key sets (DNSSEC, JWKS). Passwords need none (`DB_PASSWORDS`).
    let q = before.last().map_or("", String::as_str);
    let qualified = q != "signing" && v.key_qualifiers.contains(&q);
    (kind == SecretKind::Password || qualified).then_some((kind, true))
}

/// The kind `last` names as the last word after the words `before`.
fn noun_kind(before: &[String], last: &str) -> Option<SecretKind> {
    let v = vocab();
    if v.password_nouns.contains(&last) {
        // A lone `pass` is a phase or a step (Windows unattend `pass = "oobeSystem"`); `DB_PASS`
        // is a password.
        if last == "pass" && before.is_empty() {
            return None;
        }
        return Some(SecretKind::Password);
    }
    if v.secret_nouns.contains(&last) {
        // A lone `pat` is too often something else; `GITHUB_PAT` is a token.
        if last == "pat" && before.is_empty() {
            return None;
        }
        // `creation_token` (an idempotency key), `continuationToken` (a page marker),
        // `solutionUniqueToken` (a resource-name suffix): identifiers, not secrets.
        if last == "token"
            && before
                .last()
                .is_some_and(|q| v.token_identifiers.contains(&q.as_str()))
        {
            return None;
        }
        return Some(SecretKind::Secret);
    }
    if last == "key" {
        let q = before.last()?.as_str();
        return v.key_qualifiers.contains(&q).then_some(SecretKind::Secret);
    }
    if before.is_empty() {
        for (suffix, kind) in &v.glued_suffixes {
            if last.len() > suffix.len() && last.ends_with(suffix) {
                return Some(*kind);
            }
        }
    }
    None
}

/// True when a key names several secrets ([`Tier::Exact`] with a plural last word:
/// `StorageKeys`, `adminPasswords`, `API_TOKENS`): its value may be a list, or one string of
/// them separated by `;`, `,` or white space.
pub fn names_several_secrets(key: &str) -> bool {
    let key = &*visible(key);
    let v = vocab();
    if key.len() > 128 || !might_name_secret(key) {
        return false;
    }
    let ws = words(key);
    if ws
        .first()
        .is_none_or(|w| v.flag_prefixes.contains(&w.as_str()) && ws.len() > 1)
        || ws.iter().any(|w| v.reference_words.contains(&w.as_str()))
    {
        return false;
    }
    ws.split(|w| w == "or")
        .find_map(segment_match)
        .is_some_and(|(_, plural)| plural)
}

/// True when a key is a lone plural password noun (`Passwords`, `pwds`): a container's name when
/// it holds a map or names, but a list of passwords when it holds a list of literals (the
/// caller decides by the value; [`segment_match`] reads a lone plural as a container).
pub fn names_password_list(key: &str) -> bool {
    // Most keys end in no `s` or hold no secret word: rejected before any allocation.
    if key.len() > 64 || !key.ends_with(['s', 'S']) || !might_name_secret(key) {
        return false;
    }
    let key = &*visible(key);
    let ws = words(key);
    let [w] = ws.as_slice() else {
        return false;
    };
    w.strip_suffix('s')
        .is_some_and(|s| s != "pass" && vocab().password_nouns.contains(&s))
}

/// True when a key names a secret ([`Tier::Exact`]).
pub fn is_secret_key(key: &str) -> bool {
    secret_key_kind(key).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_words_at_humps_digits_and_punctuation() {
        assert_eq!(words("SASToken"), ["sas", "token"]);
        assert_eq!(
            words("administrator_login_password"),
            ["administrator", "login", "password"]
        );
        assert_eq!(
            words("AzureAd:ClientSecret"),
            ["azure", "ad", "client", "secret"]
        );
        assert_eq!(words("Values__API-KEY"), ["values", "api", "key"]);
        assert_eq!(words("password1"), ["password"]);
        assert_eq!(
            words("adminPasswordOrKey"),
            ["admin", "password", "or", "key"]
        );
    }

    /// Tokens that identify something (an idempotency key, a page marker, a name suffix) are
    /// not secrets; other tokens are.
    #[test]
    fn identifier_tokens_are_no_secrets() {
        for k in [
            "creation_token",
            "CreationToken",
            "continuationToken",
            "next_token",
            "solutionUniqueToken",
            "idempotency-token",
        ] {
            assert_eq!(secret_key_kind(k), None, "{k}");
        }
        for k in [
            "sessionToken",
            "access_token",
            "sas_token",
            "token",
            "apiToken",
        ] {
            assert_eq!(secret_key_kind(k), Some(SecretKind::Secret), "{k}");
        }
    }

    #[test]
    fn secret_like_keys() {
        for k in [
            "password",
            "Password",
            "passwd",
            "pwd",
            "DB_PWD",
            "secret",
            "client_secret",
            "clientSecret",
            "ClientSecret",
            "api_key",
            "apikey",
            "ApiKey",
            "API_KEY",
            "x-api-key",
            "token",
            "accessToken",
            "GITHUB_TOKEN",
            "access_key",
            "accountKey",
            "AccountKey",
            "storageAccountKey",
            "primary_access_key",
            "sas",
            "sasToken",
            "SASToken",
            "private_key",
            "credential",
            "admin_password",
            "administrator_login_password",
            "administratorLoginPassword",
            "sql_admin_password",
            "MYSQL_ROOT_PASSWORD",
            "DBPASSWORD",
            "mysqlpassword",
            "adminPasswordOrKey",
            "secretValue",
            "password_b64",
            "AzureAd:ClientSecret",
            "Values__ServiceBus__SharedKey",
            "GITHUB_PAT",
            "registrationKey",
            "pfx_certificate_password",
            "DB_PASS",
        ] {
            assert!(is_secret_key(k), "{k} should be secret-like");
            assert!(!names_several_secrets(k), "{k} names one secret");
        }
        assert_eq!(secret_key_kind("adminPassword"), Some(SecretKind::Password));
        assert_eq!(secret_key_kind("client_secret"), Some(SecretKind::Secret));
    }

    /// Plurals read as their singulars, with the same tiers.
    #[test]
    fn plural_names_name_several_secrets() {
        for (k, kind) in [
            ("StorageKeys", SecretKind::Secret),
            ("storage_account_keys", SecretKind::Secret),
            ("AccountKeys", SecretKind::Secret),
            ("primaryKeys", SecretKind::Secret),
            ("adminPasswords", SecretKind::Password),
            ("DB_PASSWORDS", SecretKind::Password),
            ("DBPASSWORDS", SecretKind::Password),
            ("clientSecrets", SecretKind::Secret),
            ("API_KEYS", SecretKind::Secret),
            ("apiKeys", SecretKind::Secret),
            ("accessTokens", SecretKind::Secret),
            ("sasTokens", SecretKind::Secret),
            ("Function_Keys", SecretKind::Secret),
        ] {
            assert_eq!(secret_key_kind(k), Some(kind), "{k}");
            assert!(names_several_secrets(k), "{k}");
        }
        for k in [
            "keys",
            "Keys",
            "secrets",
            "tokens",
            "passwords",
            "partitionKeys",
            "publicKeys",
            "sshKeys",
            "keyVaultKeys",
            "kvSecrets",
            "secretNames",
            "passwordPolicies",
            "enableAccessKeys",
            "addresses",
            "processes",
            "maxTokens",
            "azureOpenAIMaxTokens",
            "promptTokens",
            "exportedSecrets",
            "vaults/secrets",
            "signingKeys",
            "syncNtlmPasswords",
            "syncOnPremPasswords",
        ] {
            assert!(!is_secret_key(k), "{k} should not be secret-like");
            assert!(!names_several_secrets(k), "{k}");
        }
    }

    #[test]
    fn keys_about_secrets_are_not_secrets() {
        for k in [
            "PasswordPolicy",
            "passwordLength",
            "minPasswordLength",
            "tokenEndpoint",
            "secretName",
            "keyVaultSecretUri",
            "keyVaultSecret",
            "kv_secret",
            "TokenValidationParameters",
            "enable_secret_rotation",
            "client_id",
            "ClientSecret_Id",
            "secret_id",
            "disablePasswordAuthentication",
            "disable_password_authentication",
            "is_password",
            "key",
            "partitionKey",
            "publicKey",
            "sshKey",
            "instrumentationKey",
            "encryptionKey",
            "keyName",
            "SharedAccessKeyName",
            "secrets",
            "tokenType",
            "password_hash",
            "api_token_var",
            "ResetPasswordPolicyId",
            "bypass",
            "passThrough",
            "pass",
            "confirmPassword",
            "tokenUserPrincipalName",
            "",
            "_",
            "123",
        ] {
            assert!(!is_secret_key(k), "{k} should not be secret-like");
        }
    }

    /// An ASCII key splits into the same words byte by byte as character by character.
    #[test]
    fn ascii_words_are_the_words_of_characters() {
        for k in [
            "",
            "a",
            "A",
            "SASToken",
            "sasToken",
            "DB_PASSWORD1",
            "password1",
            "adminPasswordOrKey",
            "HTTPServer2Key",
            "x--y__z",
            "ABCdef",
            "abcDEF",
            "a1B2c3",
            "123",
            "9key",
            "KEY9",
            "storageAccountKEYS",
            "__x__",
            "a.b.c",
            "ÄbcKey",
        ] {
            assert_eq!(words(k), words_chars(k), "{k:?}");
        }
    }

    /// The pair check says what comparing every needle at every position says.
    #[test]
    fn the_pair_check_agrees_with_comparing_every_needle_everywhere() {
        let v = vocab();
        assert!(v.pairs.is_some(), "every needle has two bytes or more");
        let naive = |k: &str| {
            let b = k.as_bytes();
            (0..b.len()).any(|i| {
                v.necessary
                    .iter()
                    .any(|n| b.len() - i >= n.len() && b[i..i + n.len()].eq_ignore_ascii_case(n))
            })
        };
        let mut keys: Vec<String> = [
            "",
            "p",
            "pa",
            "pas",
            "PASS",
            "x_PwD",
            "Secret",
            "sEcReT1",
            "tok",
            "ToKeN",
            "apiKey",
            "KE",
            "key",
            "SAS",
            "cred",
            "CRED_",
            "pat",
            "PAT",
            "name",
            "location",
            "sku",
            "tags",
            "p@ss",
            "P\x7fss",
            "s_e_c_r_e_t",
            "kEy9",
            "x-token-y",
        ]
        .iter()
        .map(|k| k.to_string())
        .collect();
        // every needle in every case at the start, middle and end of a key
        for n in &v.necessary {
            let n = std::str::from_utf8(n).unwrap_or_default();
            for w in [n.to_ascii_lowercase(), n.to_ascii_uppercase()] {
                keys.extend([
                    w.clone(),
                    format!("ab{w}"),
                    format!("{w}cd"),
                    format!("_{w}_"),
                ]);
                keys.push(w[..w.len() - 1].to_string());
            }
        }
        for k in &keys {
            assert_eq!(might_name_secret(k), naive(k), "{k:?}");
        }
    }

    #[test]
    fn the_quick_reject_needles_start_with_the_letters_it_looks_for() {
        // The quick check looks only where a needle's first letter stands.
        let v = vocab();
        for n in &v.necessary {
            assert!(v.first_letters[usize::from(n[0])], "{n:?}");
        }
    }

    #[test]
    fn the_quick_reject_agrees_with_the_word_analysis() {
        // Every noun, suffix and `<qualifier> key` that names a secret passes the quick check, in
        // any case and with any separator; so does every glued form.
        let mut named: Vec<String> = Vec::new();
        let v = vocab();
        for n in v.password_nouns.iter().chain(&v.secret_nouns) {
            named.push(format!("db_{n}"));
        }
        for (g, _) in &v.glued_suffixes {
            named.push(format!("MYSQL{}", g.to_uppercase()));
        }
        for q in &v.key_qualifiers {
            named.push(format!("{q}Key"));
        }
        for k in &named {
            assert!(secret_key_kind(k).is_some(), "{k} should name a secret");
            assert!(might_name_secret(k), "{k} rejected by the quick check");
        }
        for k in ["location", "sku", "properties", "dependsOn"] {
            assert!(!might_name_secret(k), "{k} passes the quick check");
        }
        // Passing the quick check is not naming a secret.
        for k in ["path", "partitionKey", "tokenLifetime"] {
            assert!(might_name_secret(k) && secret_key_kind(k).is_none(), "{k}");
        }
    }

    #[test]
    fn tiers_from_most_to_least_precise() {
        // (name, exact, attribute, broad, loose)
        let cases = [
            ("adminPassword", true, true, true, true),
            ("kube_config_raw", false, true, false, false),
            ("primary_blob_connection_string", false, true, false, true),
            ("connectionString", false, false, false, true),
            ("StorageKey", true, true, true, true),
            ("keyVaultSecretName", false, false, false, true),
            ("integrityHash", false, false, false, false),
            ("publicKey", false, false, false, true),
            ("partitionKey", false, false, true, true),
            ("location", false, false, false, false),
        ];
        for (name, exact, attribute, broad, loose) in cases {
            assert_eq!(is_secret_name(name, Tier::Exact), exact, "{name} exact");
            assert_eq!(
                is_secret_name(name, Tier::Attribute),
                attribute,
                "{name} attribute"
            );
            assert_eq!(is_secret_name(name, Tier::Broad), broad, "{name} broad");
            assert_eq!(is_secret_name(name, Tier::Loose), loose, "{name} loose");
        }
        assert!(is_secret_name("DB_API_KEY", Tier::CredentialSetting));
        assert!(!is_secret_name("DB_NAME", Tier::CredentialSetting));
        assert!(is_secret_name(
            "primary_access_key",
            Tier::CredentialAttribute
        ));
        assert!(!is_secret_name(
            "primary_blob_endpoint",
            Tier::CredentialAttribute
        ));
        assert!(is_secret_name("storageConnectionString", Tier::EvidenceKey));
        assert!(!is_secret_name("storageAccountName", Tier::EvidenceKey));
    }

    /// Invisible characters inside a key name (zero-width joiner, soft hyphen, direction marks)
    /// do not hide it: the name is judged as it shows.
    #[test]
    fn invisible_characters_do_not_hide_a_secret_name() {
        for key in [
            "Pass\u{200d}word",
            "client\u{200b}Secret",
            "Account\u{ad}Key",
            "\u{feff}DB_PASSWORD",
            "api\u{2060}Keys",
        ] {
            assert!(secret_key_kind(key).is_some(), "{key:?}");
            assert!(is_secret_name(key, Tier::Broad), "{key:?}");
        }
        assert!(names_several_secrets("api\u{2060}Keys"));
        assert!(secret_key_kind("Pass\u{200d}port").is_none());
    }
}
