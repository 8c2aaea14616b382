//! Secret values: is a literal written under a secret name (see [`crate::analysis::names`])
//! plausibly a real secret rather than a name, a reference, a URL, a GUID or a stand-in?
//!
//! It errs on the side of silence: KEY002–KEY006 report errors, and a finding on a placeholder, a
//! Key Vault secret URI or a generated name is a bug.

use crate::analysis::names::{names_several_secrets, words, SecretKind};
use crate::ir::classify;
use crate::ir::{Node, NodeKind, Str, StrClass};

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

/// The plausible secrets of a literal written under `key`, as byte ranges of its value: the whole
/// value, or under a name of several secrets (`StorageKeys`, `adminPasswords`, see
/// [`names_several_secrets`]) each part of a value that lists them separated by `;`, `,` or white
/// space, judged alone. A list node's items are the caller's to walk.
pub fn literal_secret_parts<'a>(
    node: &'a Node,
    key: &str,
    kind: SecretKind,
) -> Vec<(std::ops::Range<usize>, &'a str)> {
    let NodeKind::Str(Str {
        value,
        class: StrClass::Literal,
    }) = &node.kind
    else {
        return Vec::new();
    };
    if names_several_secrets(key) {
        let mut parts = Vec::new();
        let mut at = 0;
        for part in value.split([';', ',', ' ', '\t', '\r', '\n']) {
            if !part.is_empty() {
                parts.push((at..at + part.len(), part));
            }
            at += part.len() + 1;
        }
        if parts.len() > 1 {
            parts.retain(|(_, p)| is_plausible_secret(p, key, kind));
            return parts;
        }
    }
    if is_plausible_secret(value, key, kind) {
        vec![(0..value.len(), value.as_str())]
    } else {
        Vec::new()
    }
}

/// A documentation example written where a password goes and deployed as it is: a literal that is
/// not plausible as a real secret ([`is_plausible_secret`]) but is a word that names itself a
/// secret (`aadsecret`, `my-secret-pw`, `mysecretpassword`) or a stand-in word of
/// `rules/stand-ins.tsv` (`changeme`, `microsoftclientsecret`). Anyone who read the sample knows
/// it. True placeholders stay out: prompts (`<your-password>`), substitutions (`${VAR}`,
/// `((var))`, `#{x}#`), `REPLACE_ME`-style upper-case tokens, names of other settings
/// (`adminPassword`, the key's own name), references and masks.
pub fn example_secret<'n>(value: &'n Node, key: &str) -> Option<&'n str> {
    let NodeKind::Str(Str { value: text, class }) = &value.kind else {
        return None;
    };
    let ok = match class {
        StrClass::Literal => is_example_secret(text, key, false),
        StrClass::Placeholder => is_example_secret(text, key, true),
        _ => false,
    };
    ok.then_some(text.as_str())
}

/// [`example_secret`] on a value's text: true when `text`, written under `key`, is a
/// documentation example value (a stand-in word of `rules/stand-ins.tsv`, or, unless the text
/// was already classed a placeholder (`placeholder`), a word that names itself a secret). KEY008
/// asks it of values given on command lines and in scripts.
pub fn is_example_secret(text: &str, key: &str, placeholder: bool) -> bool {
    let v = text.trim();
    let n = v.chars().count();
    if !(6..=40).contains(&n)
        || !v
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '!' | '@' | '#'))
        || v.chars().filter(char::is_ascii_alphabetic).count() < 3
        || !v.chars().any(|c| c.is_ascii_lowercase())
        || classify::has_substitution(v)
        || classify::is_secret_ref(v)
    {
        return false;
    }
    // camelCase and PascalCase identifiers name a setting or parameter (`adminPassword`).
    let chars: Vec<char> = v.chars().collect();
    if chars
        .windows(2)
        .any(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
    {
        return false;
    }
    let squash = |s: &str| {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase()
    };
    let squashed = squash(v);
    // `yourpassword`, `2yourpassword`: a prompt to put one's own, as `<your-password>` is.
    if squashed == squash(key) || squashed.contains("your") {
        return false;
    }
    let stand_in = classify::stand_ins().words.contains(&squashed.as_str());
    let names_secret = ["secret", "password", "passwd", "pwd"]
        .iter()
        .any(|w| squashed.contains(w));
    stand_in || (names_secret && !placeholder)
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
    // a switch's value (`syncNtlmPasswords: 'Enabled'`)
    if matches!(
        lower.as_str(),
        "enabled" | "disabled" | "true" | "false" | "required" | "optional" | "none"
    ) {
        return false;
    }
    if is_number(v) || classify::is_guid(v) || is_resource_id(&lower) {
        return false;
    }
    if classify::has_substitution(v) || is_reference_syntax(v) || is_prose(v) {
        return false;
    }
    if looks_random(v) {
        return true;
    }
    if is_path(v) || is_email(v) || is_hostname(v) || is_name_like(v, key) {
        return false;
    }
    if classify::mentions_stand_in(&lower) {
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

fn is_resource_id(lower: &str) -> bool {
    lower.starts_with("/subscriptions/")
        || lower.starts_with("/providers/")
        || lower.contains("/resourcegroups/")
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
    // (Only a value spelled like a name: `pass@word1` is a weak password, not the key's name.)
    let spelled_like_name = v
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if spelled_like_name
        && !sv.is_empty()
        && (sv == squash(key) || squash(key).ends_with(&sv) && sv.len() >= 6)
    {
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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn plausible_passwords() {
        for v in [
            "P@ssw0rd!",
            "Fake-Pa55word-123",
            "pwd0a!8b7",
            "thisIsDog11",
            "pass@word1",
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
            "Enabled",
            "Disabled",
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
        // a stand-in of rules/stand-ins.tsv, not a secret
        assert!(!sec("microsoftclientsecret"));
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
