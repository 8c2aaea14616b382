//! Password-like values: is a key name secret-like (`adminPassword`, `client_secret`, `DB_PWD`), and
//! is a literal value written under it plausibly a real secret rather than a name, a reference, a
//! URL, a GUID or a stand-in?
//!
//! Both halves err on the side of silence: KEY002–KEY006 report errors, and a finding on
//! `passwordLength`, `secretName` or a Key Vault secret URI is a bug.
//!
//! Key names are split into words at camelCase humps, digits and any punctuation (`_`, `-`, `:`,
//! `.`, `__`), so `administrator_login_password`, `AdministratorLoginPassword` and
//! `ADMINISTRATOR-LOGIN-PASSWORD` read alike. A key is secret-like when its *last* word (after
//! dropping neutral suffixes like `Value` or `Base64`) names a secret: `PasswordPolicy`,
//! `tokenEndpoint`, `secretName`, `client_id` and `enable_secret_rotation` end in another word.

use crate::ir::classify;
use crate::ir::{Node, NodeKind, Str, StrClass};

/// What kind of secret a key names: a human-chosen password (short values are normal) or a
/// machine secret (keys, tokens, client secrets: long and random when real).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretKind {
    Password,
    Secret,
}

/// Words that name a password as the last word of a key.
const PASSWORD_NOUNS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "passcode",
];

/// Words that name a machine secret as the last word of a key.
const SECRET_NOUNS: &[&str] = &[
    "secret",
    "token",
    "apikey",
    "sastoken",
    "sas",
    "sasurl",
    "sasuri",
    "credential",
    "credentials",
    "creds",
    "accesskey",
    "accountkey",
    "privatekey",
    "secretkey",
    "sharedkey",
    "masterkey",
    "pat",
];

/// Suffixes inside a single lower- or upper-case word (`DBPASSWORD`, `mysqlpassword`).
const GLUED_SUFFIXES: &[(&str, SecretKind)] = &[
    ("password", SecretKind::Password),
    ("passwd", SecretKind::Password),
    ("passphrase", SecretKind::Password),
    ("secret", SecretKind::Secret),
    ("apikey", SecretKind::Secret),
    ("accesskey", SecretKind::Secret),
    ("accountkey", SecretKind::Secret),
    ("sastoken", SecretKind::Secret),
];

/// Words before `key` that make it a secret key (`api key`, `access key`, `primary key`). A bare
/// `key`, `partitionKey`, `publicKey`, `sshKey`, `encryptionKey` or `instrumentationKey` is not.
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "account",
    "private",
    "secret",
    "shared",
    "master",
    "storage",
    "subscription",
    "auth",
    "authentication",
    "signing",
    "primary",
    "secondary",
    "admin",
    "client",
    "function",
    "functions",
    "host",
    "sas",
    "service",
    "search",
    "query",
    "app",
    "webhook",
    "registration",
    "cosmos",
    "redis",
    "relay",
    "workspace",
];

/// Trailing words that do not change what a key names (`secretValue`, `password_b64`).
const NEUTRAL_SUFFIXES: &[&str] = &[
    "value",
    "plain",
    "plaintext",
    "text",
    "str",
    "string",
    "raw",
    "b",
    "base",
    "encoded",
    "pem",
];

/// Leading words that make a key a flag or a setting about secrets, not a secret.
const FLAG_PREFIXES: &[&str] = &[
    "is", "has", "enable", "enabled", "disable", "disabled", "allow", "require", "required", "use",
    "should", "generate", "min", "max", "num", "show", "validate", "verify", "confirm", "reset",
    "rotate", "no", "not", "non", "without",
];

/// Words anywhere in a key that make it a reference to a secret store rather than a secret
/// (`keyVaultSecret`, `kv_secret`).
const REFERENCE_WORDS: &[&str] = &["vault", "keyvault", "kv", "akv"];

/// Lower-cased words of a key: split at punctuation, camelCase humps (`SASToken` → `sas`, `token`)
/// and digits (`password1` → `password`); digit runs are dropped.
pub fn words(key: &str) -> Vec<String> {
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

/// What kind of secret a key (property, attribute, setting or parameter name) names, if any.
pub fn secret_key_kind(key: &str) -> Option<SecretKind> {
    if key.len() > 128 || !might_name_secret(key) {
        return None;
    }
    let ws = words(key);
    if ws.is_empty() {
        return None;
    }
    if FLAG_PREFIXES.contains(&ws[0].as_str()) && ws.len() > 1 {
        return None;
    }
    if ws.iter().any(|w| REFERENCE_WORDS.contains(&w.as_str())) {
        return None;
    }
    // `adminPasswordOrKey`: either half may name the secret.
    ws.split(|w| w == "or").find_map(segment_kind)
}

/// Every word [`segment_kind`] accepts holds one of these (`apikey` holds `key`, `credentials`
/// holds `cred`, `sasurl` holds `sas`), so a key without any of them names no secret. Most keys of a
/// template (`location`, `sku`, `properties`) are rejected here without being split into words.
/// (Each starts with one of `p`, `s`, `t`, `k`, `c`: [`might_name_secret`] relies on it.)
const NECESSARY: &[&[u8]] = &[
    b"pass", b"pwd", b"secret", b"token", b"key", b"sas", b"cred", b"pat",
];

/// False only when `key` certainly names no secret. A key with non-ASCII characters takes the
/// full path, since Unicode lower-casing may turn them into ASCII letters.
fn might_name_secret(key: &str) -> bool {
    if !key.is_ascii() {
        return true;
    }
    let b = key.as_bytes();
    // Compare only where a needle's first letter stands (`| 0x20` lower-cases an ASCII letter).
    (0..b.len()).any(|i| {
        matches!(b[i] | 0x20, b'p' | b's' | b't' | b'k' | b'c')
            && NECESSARY
                .iter()
                .any(|n| b.len() - i >= n.len() && b[i..i + n.len()].eq_ignore_ascii_case(n))
    })
}

fn segment_kind(ws: &[String]) -> Option<SecretKind> {
    let mut end = ws.len();
    while end > 1 && NEUTRAL_SUFFIXES.contains(&ws[end - 1].as_str()) {
        end -= 1;
    }
    let ws = &ws[..end];
    let last = ws.last()?.as_str();
    if PASSWORD_NOUNS.contains(&last) {
        // A lone `pass` is a phase or a step (Windows unattend `pass = "oobeSystem"`); `DB_PASS`
        // is a password.
        if last == "pass" && ws.len() < 2 {
            return None;
        }
        return Some(SecretKind::Password);
    }
    if SECRET_NOUNS.contains(&last) {
        // A lone `pat` is too often something else; `GITHUB_PAT` is a token.
        if last == "pat" && ws.len() < 2 {
            return None;
        }
        return Some(SecretKind::Secret);
    }
    if last == "key" {
        let q = ws.len().checked_sub(2).map(|i| ws[i].as_str())?;
        return KEY_QUALIFIERS.contains(&q).then_some(SecretKind::Secret);
    }
    if ws.len() == 1 {
        for (suffix, kind) in GLUED_SUFFIXES {
            if last.len() > suffix.len() && last.ends_with(suffix) {
                return Some(*kind);
            }
        }
    }
    None
}

/// True when a key names a secret.
pub fn is_secret_key(key: &str) -> bool {
    secret_key_kind(key).is_some()
}

/// Shannon entropy of the string's characters, in bits per character.
pub fn entropy(s: &str) -> f64 {
    let mut counts: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut n = 0usize;
    for c in s.chars() {
        *counts.entry(c).or_insert(0) += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .values()
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Number of character classes present: lower case, upper case, digits, other.
pub fn char_classes(s: &str) -> usize {
    let mut lower = false;
    let mut upper = false;
    let mut digit = false;
    let mut other = false;
    for c in s.chars() {
        if c.is_lowercase() {
            lower = true;
        } else if c.is_uppercase() {
            upper = true;
        } else if c.is_ascii_digit() {
            digit = true;
        } else {
            other = true;
        }
    }
    usize::from(lower) + usize::from(upper) + usize::from(digit) + usize::from(other)
}

/// The literal string of a node when it is plausibly a real secret written under `key`.
pub fn literal_secret<'a>(node: &'a Node, key: &str, kind: SecretKind) -> Option<&'a str> {
    match &node.kind {
        NodeKind::Str(Str {
            value,
            class: StrClass::Literal,
        }) if is_plausible_secret(value, key, kind) => Some(value),
        _ => None,
    }
}

/// True when a literal value written under a secret-like `key` looks like a real secret rather than
/// a placeholder, a reference, a name, a URL without credentials, a GUID, a resource id, a path, a
/// public key, a boolean, a number or prose.
pub fn is_plausible_secret(value: &str, key: &str, kind: SecretKind) -> bool {
    let v = value.trim();
    let n = v.chars().count();
    if !(6..=16_384).contains(&n) || classify::is_placeholder(v) || classify::is_secret_ref(v) {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    // PEM: private keys are secrets, public keys and certificates are not.
    if lower.starts_with("-----begin") {
        return lower.contains("private key");
    }
    if lower.starts_with("ssh-") || lower.starts_with("ecdsa-sha2-") {
        return false;
    }
    // crypt(3) hashes (`$6$salt$hash`, bcrypt `$2b$`): a hash, not the password.
    if ["$1$", "$2a$", "$2b$", "$2y$", "$5$", "$6$", "$y$"]
        .iter()
        .any(|p| v.starts_with(p))
    {
        return false;
    }
    if v.contains("://") {
        return url_has_credentials(&lower);
    }
    if is_number(v) || is_guid(v) || is_resource_id(&lower) {
        return false;
    }
    if has_substitution(v) || is_reference_syntax(v) || is_prose(v) {
        return false;
    }
    if looks_random(v) {
        return true;
    }
    if is_path(v) || is_email(v) || is_hostname(v) || is_name_like(v, key) {
        return false;
    }
    if has_stand_in_word(&lower) {
        return false;
    }
    let distinct = {
        let mut cs: Vec<char> = v.chars().collect();
        cs.sort_unstable();
        cs.dedup();
        cs.len()
    };
    if distinct < 4 {
        return false;
    }
    let classes = char_classes(v);
    match kind {
        SecretKind::Password => n >= 8 || classes >= 2,
        SecretKind::Secret => {
            let e = entropy(v);
            n >= 8 && ((classes >= 2 && e >= 2.5) || e >= 3.3)
        }
    }
}

/// A long token of base64/hex-like characters with high entropy: a key, whatever else it resembles.
fn looks_random(v: &str) -> bool {
    v.len() >= 20
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'))
        && v.bytes().any(|b| b.is_ascii_uppercase())
        && v.bytes().any(|b| b.is_ascii_lowercase())
        && v.bytes().any(|b| b.is_ascii_digit())
        && entropy(v) >= 4.0
}

fn url_has_credentials(lower: &str) -> bool {
    let rest = lower.split_once("://").map_or(lower, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if let Some((userinfo, _)) = authority.rsplit_once('@') {
        if let Some((_, pw)) = userinfo.split_once(':') {
            if !pw.is_empty() && !classify::is_placeholder(pw) {
                return true;
            }
        }
    }
    let query = rest.split_once('?').map_or("", |(_, q)| q);
    query.split('&').any(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        matches!(
            k,
            "sig" | "password" | "pwd" | "secret" | "token" | "code" | "key" | "apikey" | "api_key"
        ) && v.len() >= 6
            && !classify::is_placeholder(v)
    })
}

fn is_number(v: &str) -> bool {
    let t = v.trim_start_matches(['-', '+']);
    !t.is_empty()
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().any(|b| b.is_ascii_digit())
}

/// `00000000-0000-0000-0000-000000000000`, optionally in braces.
pub fn is_guid(v: &str) -> bool {
    let t = v
        .strip_prefix('{')
        .and_then(|x| x.strip_suffix('}'))
        .unwrap_or(v);
    let b = t.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn is_resource_id(lower: &str) -> bool {
    lower.starts_with("/subscriptions/")
        || lower.starts_with("/providers/")
        || lower.contains("/resourcegroups/")
}

/// Text substituted at build or run time: `prefix-$(Var)`, `{{ x }}-y`, `${X}`, `#{T}#`, `%VAR%`.
fn has_substitution(v: &str) -> bool {
    // `((name))`: BOSH / CredHub variables.
    if ["$(", "${", "{{", "#{", "__{", "(("]
        .iter()
        .any(|p| v.contains(p))
    {
        return true;
    }
    // `$cred.SecretText`, `$env:X`: a shell or PowerShell variable.
    if let Some(rest) = v.strip_prefix('$') {
        if rest.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':'))
        {
            return true;
        }
    }
    // %NAME% anywhere
    let b = v.as_bytes();
    let mut i = 0;
    while let Some(off) = v[i..].find('%') {
        let start = i + off + 1;
        if let Some(len) = v[start..].find('%') {
            let inner = &b[start..start + len];
            if len >= 2
                && inner
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_')
            {
                return true;
            }
            i = start + len;
        } else {
            break;
        }
    }
    false
}

/// Syntax that points at a value kept elsewhere: DSC `PrivateSettingsRef:adminPassword`, container
/// apps `secretref:db-password`, Logic Apps `@parameters('x')` / `@{...}`, an ARM expression text
/// `[parameters('x')]` in a file where it is not evaluated, `[Enter your secret here]`.
fn is_reference_syntax(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if let Some((prefix, rest)) = lower.split_once(':') {
        if prefix.ends_with("ref") && !rest.is_empty() && is_identifier(rest) {
            return true;
        }
    }
    if let Some(rest) = v.strip_prefix('@') {
        if rest.starts_with('{')
            || rest
                .find('(')
                .is_some_and(|i| i > 0 && is_identifier(&rest[..i]))
        {
            return true;
        }
    }
    if v.starts_with('[') && v.ends_with(']') && (v.contains('(') || v.contains(' ')) {
        return true;
    }
    false
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

/// A sentence or label: several words of letters (`Confirm password`, `VM user password`).
fn is_prose(v: &str) -> bool {
    let ws: Vec<&str> = v.split_whitespace().collect();
    if ws.len() >= 4 {
        return true;
    }
    ws.len() >= 2
        && ws.iter().all(|w| {
            w.trim_matches(|c: char| ".,:;!?'\"()-".contains(c))
                .chars()
                .all(char::is_alphabetic)
        })
}

fn is_path(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    if [
        "./", "../", "~/", "\\\\", "/etc/", "/home/", "/var/", "/tmp/",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    let b = lower.as_bytes();
    if b.len() > 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && b[2] == b'\\' {
        return true;
    }
    const EXT: &[&str] = &[
        ".pem",
        ".pfx",
        ".p12",
        ".key",
        ".crt",
        ".cer",
        ".txt",
        ".json",
        ".yaml",
        ".yml",
        ".env",
        ".config",
        ".xml",
        ".ps1",
        ".sh",
        ".jks",
        ".keystore",
    ];
    EXT.iter().any(|e| lower.ends_with(e)) && !lower.contains(' ')
}

fn is_email(v: &str) -> bool {
    let Some((local, domain)) = v.split_once('@') else {
        return false;
    };
    local.len() >= 2
        && !domain.contains('@')
        && domain.contains('.')
        && domain
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic()))
        && !v.contains(char::is_whitespace)
}

/// `mydb.database.windows.net`, `contoso.onmicrosoft.com`.
fn is_hostname(v: &str) -> bool {
    let labels: Vec<&str> = v.split('.').collect();
    labels.len() >= 3
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels.last().is_some_and(|tld| {
            (2..=6).contains(&tld.len()) && tld.bytes().all(|b| b.is_ascii_alphabetic())
        })
}

/// A name rather than a value: the key itself (`"replicationPassword": "replicationPassword"`), an
/// environment variable name (`AZURE_API_TOKEN`), or a multi-word identifier without digits that
/// names a secret (`MySecretName`, `sqlAdminPassword`, `cloudpak-apiKey`).
fn is_name_like(v: &str, key: &str) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    // Trailing digits do not make an identifier a value (`secretValue2`, `ciStorageAccessKey1`).
    let trimmed = v.trim_end_matches(|c: char| c.is_ascii_digit());
    let sv = squash(trimmed);
    if !sv.is_empty() && (sv == squash(key) || squash(key).ends_with(&sv) && sv.len() >= 6) {
        return true;
    }
    // ENV_VAR_NAME, GEN-UNIQUE-13, CLIENT-SECRET
    if v.contains(['_', '-'])
        && v.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        && v.bytes().next().is_some_and(|b| b.is_ascii_uppercase())
    {
        return true;
    }
    let v = if trimmed.bytes().all(|b| b.is_ascii_alphabetic()) {
        trimmed
    } else {
        v
    };
    if !v
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'-' | b'_' | b'.'))
    {
        return false;
    }
    let ws = words(v);
    ws.len() >= 2
        && ws.iter().any(|w| {
            matches!(
                w.as_str(),
                "secret"
                    | "secrets"
                    | "password"
                    | "pwd"
                    | "key"
                    | "keys"
                    | "token"
                    | "name"
                    | "ref"
                    | "reference"
                    | "vault"
                    | "kv"
                    | "apikey"
                    | "credential"
                    | "credentials"
                    | "setting"
                    | "param"
                    | "parameter"
            )
        })
}

/// Values that say they are not real: `dummytoken`, `sample-secret`, `example_password`,
/// `keyofyourstorageaccount`, `defaultValue`, quickstart CI tokens (`GEN-PASSWORD`).
fn has_stand_in_word(lower: &str) -> bool {
    [
        "dummy",
        "example",
        "sample",
        "placeholder",
        "redacted",
        "notreal",
        "your",
        "defaultvalue",
        "gen-password",
        "gen-unique",
    ]
    .iter()
    .any(|w| lower.contains(w))
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
        }
        assert_eq!(secret_key_kind("adminPassword"), Some(SecretKind::Password));
        assert_eq!(secret_key_kind("client_secret"), Some(SecretKind::Secret));
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

    #[test]
    fn entropy_of_strings() {
        assert_eq!(entropy(""), 0.0);
        assert_eq!(entropy("aaaa"), 0.0);
        assert!((entropy("ab") - 1.0).abs() < 1e-9);
        assert!((entropy("abcd") - 2.0).abs() < 1e-9);
        assert!(entropy("q8Zr2VxW7pLm3NcT5kYh") > 4.0);
    }

    fn pw(v: &str) -> bool {
        is_plausible_secret(v, "adminPassword", SecretKind::Password)
    }

    fn sec(v: &str) -> bool {
        is_plausible_secret(v, "client_secret", SecretKind::Secret)
    }

    #[test]
    fn the_quick_reject_needles_start_with_the_letters_it_looks_for() {
        for n in NECESSARY {
            assert!(matches!(n[0], b'p' | b's' | b't' | b'k' | b'c'), "{n:?}");
        }
    }

    #[test]
    fn the_quick_reject_agrees_with_the_word_analysis() {
        // Every noun, suffix and `<qualifier> key` that names a secret passes the quick check, in
        // any case and with any separator; so does every glued form.
        let mut named: Vec<String> = Vec::new();
        for n in PASSWORD_NOUNS.iter().chain(SECRET_NOUNS) {
            named.push(format!("db_{n}"));
        }
        for (g, _) in GLUED_SUFFIXES {
            named.push(format!("MYSQL{}", g.to_uppercase()));
        }
        for q in KEY_QUALIFIERS {
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
    fn plausible_passwords() {
        for v in [
            "P@ssw0rd!",
            "Fake-Pa55word-123",
            "pwd0a!8b7",
            "thisIsDog11",
            "changeme",
            "hunter22",
            "Pw9!x2",
            "4-v3ry-53cr37-p455w0rd",
            "q8Zr2VxW7pLm3NcT5kYh/+==",
            "-----BEGIN RSA PRIVATE KEY-----\nMIIB",
        ] {
            assert!(pw(v), "{v:?} should be a plausible password");
        }
    }

    #[test]
    fn implausible_passwords() {
        for v in [
            "",
            "abc",
            "Pw9!",
            "<password>",
            "{{ db_password }}",
            "${{ secrets.DB }}",
            "$(DbPassword)",
            "#{DbPassword}#",
            "%DB_PASSWORD%",
            "prefix-$(Suffix)",
            "xxxxxxxx",
            "***",
            "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)",
            "https://kv.vault.azure.net/secrets/db-password",
            "00000000-0000-0000-0000-000000000000",
            "/subscriptions/0000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
            "true",
            "12345678",
            "MySecretName",
            "sqlAdminPassword",
            "GEN-KEYVAULT-PASSWORD-SECRET-NAME",
            "cloudpak-apiKey",
            "AZURE_STATIC_WEB_APPS_API_TOKEN",
            "PrivateSettingsRef:AdminPassword",
            "secretref:db-password",
            "@parameters('clientSecret')",
            "[parameters('adminPassword')]",
            "[Enter your secret here]",
            "Confirm password",
            "Password of the administrator for the Virtual Machine",
            "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC user@host",
            "-----BEGIN CERTIFICATE-----\nMIIB",
            "~/.ssh/id_rsa",
            "./certs/server.pfx",
            "admin@contoso.com",
            "mydb.database.windows.net",
            "dummytoken",
            "aaaabbbb",
            "your-password-here",
            "((postgres_password))",
            "\"((uaa_admin_client_secret))\"",
            "$pwdCredential.SecretText",
            "$6$4gDD3aV0rdqlrKC$2axHCxGKIObs6tAmMTq",
            "GEN-UNIQUE-13",
            "CLIENT-SECRET",
            "pasGEN-PASSWORDsword",
            "keyofyourstorageaccount",
            "defaultValue",
            "ciStorageAccessKey1",
        ] {
            assert!(!pw(v), "{v:?} should not be a plausible password");
        }
        assert!(!is_plausible_secret(
            "replicationPassword",
            "replicationPassword",
            SecretKind::Password
        ));
        assert!(!is_plausible_secret(
            "secretValue2",
            "secretValue",
            SecretKind::Secret
        ));
    }

    #[test]
    fn machine_secrets_need_more_randomness() {
        assert!(sec("Fake~8Q~cl1ent.s3cret-value"));
        assert!(sec("microsoftclientsecret"));
        assert!(sec("ghp_FAKE0123456789abcdefFAKE0123456789"));
        assert!(!sec("optional"));
        assert!(!sec("aadsecret"));
        assert!(!sec("value1"));
        assert!(!sec("Auto"));
    }

    #[test]
    fn urls_only_with_credentials() {
        assert!(sec(
            "https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=FAKEabc123%3D"
        ));
        assert!(pw("postgres://app:Fake-Pa55@db.example:5432/app"));
        assert!(!pw("postgres://app@db.example:5432/app"));
        assert!(!sec(
            "https://login.microsoftonline.com/common/oauth2/v2.0/token"
        ));
    }

    #[test]
    fn literal_nodes_only() {
        use crate::source::Span;
        let lit = Node::literal(Span::new(0, 5), "Fake-Pa55word");
        assert_eq!(
            literal_secret(&lit, "password", SecretKind::Password),
            Some("Fake-Pa55word")
        );
        let placeholder = Node::new(
            Span::new(0, 5),
            NodeKind::Str(Str {
                value: "Fake-Pa55word".into(),
                class: StrClass::Placeholder,
            }),
        );
        assert_eq!(
            literal_secret(&placeholder, "password", SecretKind::Password),
            None
        );
    }
}
