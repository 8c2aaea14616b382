//! Classification of literal strings, shared by every parser: a value written in the file can still
//! be a stand-in (`<your-password>`, `$(Var)`) or a secret-store reference (`@Microsoft.KeyVault(...)`).
//! Parsers call [`classify_literal`] once per string they did not already recognise as an
//! expression; rules decide on the class.

use std::sync::OnceLock;

use crate::ir::StrClass;
use crate::table::Table;

/// The stand-in vocabulary (`rules/stand-ins.tsv`): placeholder words, prefixes and phrases, and
/// the words of names whose values are public.
pub struct StandIns {
    pub words: Vec<&'static str>,
    pub prefixes: Vec<&'static str>,
    pub phrases: Vec<&'static str>,
    pub mentions: Vec<&'static str>,
    pub public_names: Vec<&'static str>,
}

/// The stand-in vocabulary, read once.
pub fn stand_ins() -> &'static StandIns {
    static V: OnceLock<StandIns> = OnceLock::new();
    V.get_or_init(|| {
        let rows = Table::embedded(
            "rules/stand-ins.tsv",
            include_str!("../../rules/stand-ins.tsv"),
        )
        .map_embedded(|c| {
            let kind = c.get("kind")?;
            let word = c.get("word")?;
            match kind {
                "word" | "prefix" | "phrase" | "mention" | "public-name" => Ok((kind, word)),
                other => Err(format!("kind `{other}`")),
            }
        });
        let of = |k: &str| -> Vec<&'static str> {
            rows.iter()
                .filter(|(kind, _)| *kind == k)
                .map(|(_, w)| *w)
                .collect()
        };
        StandIns {
            words: of("word"),
            prefixes: of("prefix"),
            phrases: of("phrase"),
            mentions: of("mention"),
            public_names: of("public-name"),
        }
    })
}

/// One automaton over the `phrase` rows, built once: a value is tested for all of them in one
/// pass instead of one substring search per phrase (this runs for most literal strings).
/// (`None` only if the automaton cannot be built; then each phrase is searched for in turn.)
fn holds_phrase(v: &StandIns, squashed: &str) -> bool {
    static F: OnceLock<Option<aho_corasick::AhoCorasick>> = OnceLock::new();
    // (A DFA without a prefilter: the values are at most 64 bytes, where a prefilter's setup
    // costs more than the walk.)
    let build = || {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&v.phrases)
            .ok()
    };
    match F.get_or_init(build) {
        Some(ac) => ac.is_match(squashed),
        None => v.phrases.iter().any(|w| squashed.contains(w)),
    }
}

/// True when a value is a stand-in from the vocabulary (`changeme`, `fakePassword`,
/// `youshould2changethisvalueforsure1time`): compared on its lower-cased letters and digits.
fn is_stand_in_word(t: &str, nouns: &[&str]) -> bool {
    if t.len() > 64 {
        return false;
    }
    // (on the stack: this runs for most literal strings of every file)
    let mut buf = [0u8; 64];
    let mut len = 0;
    for c in t.bytes().filter(u8::is_ascii_alphanumeric) {
        buf[len] = c.to_ascii_lowercase();
        len += 1;
    }
    let Ok(squashed) = std::str::from_utf8(&buf[..len]) else {
        return false;
    };
    if squashed.is_empty() {
        return false;
    }
    let v = stand_ins();
    v.words.contains(&squashed)
        || holds_phrase(v, squashed)
        || v.prefixes.iter().any(|w| {
            // `fakePassword`, `fake-key-123`: words, then at most a number; not a value with the
            // word in front (`Fake-Pa55word-1`, the fixtures' convention for fake secrets).
            squashed.strip_prefix(w).is_some_and(|rest| {
                let letters = rest.trim_end_matches(|c: char| c.is_ascii_digit());
                letters.bytes().all(|c| c.is_ascii_alphabetic())
                    && nouns.iter().any(|n| letters.contains(n))
            })
        })
}

/// Class of a string that the file's own syntax does not mark as an expression.
pub fn classify_literal(s: &str) -> StrClass {
    if is_secret_ref(s) {
        StrClass::SecretRef
    } else if is_placeholder(s) {
        StrClass::Placeholder
    } else {
        StrClass::Literal
    }
}

/// A Key Vault reference in an app setting (`@Microsoft.KeyVault(SecretUri=...)` or
/// `@Microsoft.KeyVault(VaultName=...;SecretName=...)`), or an App Configuration Key Vault reference
/// content type.
pub fn is_secret_ref(s: &str) -> bool {
    let t = s.trim();
    starts_with_ci(t, "@Microsoft.KeyVault(") || starts_with_ci(t, "@Microsoft.AppConfiguration(")
}

/// What the squashed text of a placeholder starts with (`your-password-here`). At most 11 bytes
/// long: [`is_placeholder`] squashes only that much to test them.
const PREFIXES: &[&str] = &[
    "your",
    "enteryour",
    "insertyour",
    "replacewith",
    "putyour",
    "addyour",
    "replacethis",
    "insert",
    "placeholder",
    "fillin",
    "enter",
];

/// True when the whole value is a stand-in to be substituted, not a value: `<password>`,
/// `{{ x }}`, `${{ secrets.X }}`, `$(Var)`, `$[ expr ]`, `#{Token}#`, `%VAR%`, `${VAR}`, `$VAR`, `__Token__`,
/// `{placeholder}`, runs of one character (`xxxx`, `***`, `....`), empty values, the usual words
/// and the stand-ins of `rules/stand-ins.tsv` (`changeme`, `fakePassword`; a weak password such
/// as `pass@word1` is none of them: it is a real password when deployed).
pub fn is_placeholder(s: &str) -> bool {
    let t = s.trim();
    if t.is_empty() {
        return true;
    }
    let b = t.as_bytes();
    let first = b[0];
    let last = b[b.len() - 1];
    // <your-password>, <replace me>
    if first == b'<' && last == b'>' && !t.contains("</") && !t[1..t.len() - 1].contains(['<', '>'])
    {
        return true;
    }
    // {{ x }}, ${{ secrets.X }}, ${VAR}, ${var.x}, {placeholder}, {0}
    if last == b'}' {
        if t.starts_with("{{") || t.starts_with("${") || t.starts_with("#{") {
            return true;
        }
        if first == b'{' && is_name(&t[1..t.len() - 1]) {
            return true;
        }
    }
    // $(Var), $(Build.Var)
    if t.starts_with("$(") && last == b')' {
        return true;
    }
    // $[ variables['x'] ], $[ dependencies.A.outputs['s.x'] ]: Azure Pipelines runtime expressions
    if t.starts_with("$[") && last == b']' {
        return true;
    }
    // #{Token}#, __Token__, %VAR%, @@Token@@
    for (open, close) in [
        ("#{", "}#"),
        ("__", "__"),
        ("%", "%"),
        ("@@", "@@"),
        ("##", "##"),
    ] {
        if t.len() > open.len() + close.len()
            && t.starts_with(open)
            && t.ends_with(close)
            && is_name(&t[open.len()..t.len() - close.len()])
        {
            return true;
        }
    }
    // $VAR, $env:VAR
    if let Some(rest) = t.strip_prefix('$') {
        let rest = rest.strip_prefix("env:").unwrap_or(rest);
        if !rest.is_empty() && rest.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_') {
            return true;
        }
    }
    // runs of one character: xxxx, ****, ...., ----
    // (The cheap test first: the string is not walked unless it starts with such a character.)
    if matches!(
        first.to_ascii_lowercase(),
        b'x' | b'*' | b'.' | b'-' | b'_' | b'#' | b'?' | b'0'
    ) && t.len() >= 3
        && b.iter().all(|c| c.eq_ignore_ascii_case(&first))
    {
        return true;
    }
    const WORDS: &[&str] = &[
        "null",
        "none",
        "n/a",
        "na",
        "tbd",
        "todo",
        "placeholder",
        "replaceme",
        "replace_me",
        "replace-me",
        "replace me",
        "redacted",
        "[redacted]",
        "(redacted)",
        "secret",
        "password",
        "<secret>",
        "dummy",
        "example",
        "sample",
        "notset",
        "not-set",
        "not_set",
        "unset",
        "undefined",
        "default",
    ];
    // (No allocation on this path: it runs for every literal string of every file.)
    if t.len() <= 11 && WORDS.iter().any(|w| w.eq_ignore_ascii_case(t)) {
        return true;
    }
    // your-password-here, yourStorageKey, enter_your_key, insert-key-here, REPLACE_WITH_KEY: the
    // lower-cased letters and digits start with a prefix and hold a noun.
    const NOUNS: &[&str] = &[
        "password",
        "pwd",
        "secret",
        "key",
        "token",
        "connectionstring",
        "value",
        "here",
        "sas",
        "credential",
        "apikey",
    ];
    if is_stand_in_word(t, NOUNS) {
        return true;
    }
    let squashed = || {
        t.bytes()
            .filter(u8::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
    };
    // The longest prefix is 11 bytes: squash only that much to test them.
    let mut head = [0u8; 11];
    let mut n = 0;
    for (slot, c) in head.iter_mut().zip(squashed()) {
        *slot = c;
        n += 1;
    }
    if !PREFIXES.iter().any(|p| head[..n].starts_with(p.as_bytes())) {
        return false;
    }
    let squashed: Vec<u8> = squashed().collect();
    NOUNS
        .iter()
        .any(|n| squashed.windows(n.len()).any(|w| w == n.as_bytes()))
}

/// Text substituted at build or run time: `prefix-$(Var)`, `{{ x }}-y`, `${X}`, `#{T}#`, `%VAR%`,
/// `$[ expr ]`.
pub fn has_substitution(v: &str) -> bool {
    // `((name))`: BOSH / CredHub variables.
    if ["$(", "${", "{{", "#{", "__{", "((", "$["]
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

/// Values that say they are not real: `dummytoken`, `sample-secret`, `example_password`,
/// `keyofyourstorageaccount`, `defaultValue`, quickstart CI tokens (`GEN-PASSWORD`).
pub fn mentions_stand_in(lower: &str) -> bool {
    stand_ins().mentions.iter().any(|w| lower.contains(w))
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

fn is_name(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b':'))
}

pub(crate) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for p in [
            "",
            "  ",
            "<your-password>",
            "<password>",
            "{{ db_password }}",
            "${{ secrets.DB_PASSWORD }}",
            "$(DbPassword)",
            "#{DbPassword}#",
            "%DB_PASSWORD%",
            "${DB_PASSWORD}",
            "${var.password}",
            "$DB_PASSWORD",
            "$env:DB_PASSWORD",
            "__DbPassword__",
            "xxxx",
            "XXXXXXXXXX",
            "***",
            "********",
            "{password}",
            "your-password-here",
            "yourStorageAccountKey",
            "REPLACE_WITH_YOUR_KEY",
            "enter-your-secret",
            "insert-key-here",
            "N/A",
            "NULL",
            "TBD",
            " Placeholder ",
            "[REDACTED]",
            "replace me",
            "changeme",
            "Change-Me",
            "fakePassword",
            "fake-secret-123",
            "microsoftclientsecret",
            "youshould2changethisvalueforsure1time",
            // Azure Pipelines runtime and template expressions, Helm values, PowerShell env
            "$[ variables['sqlPassword'] ]",
            "$[dependencies.Provision.outputs['kv.sqlPassword']]",
            "$[ stageDependencies.A.B.outputs['s.x'] ]",
            "$(Build.BuildId)",
            "${{ parameters.adminPassword }}",
            "{{ .Values.db.password }}",
            "${env:DB_PASSWORD}",
        ] {
            assert!(is_placeholder(p), "{p:?} should be a placeholder");
            assert_eq!(classify_literal(p), StrClass::Placeholder, "{p:?}");
        }
    }

    #[test]
    fn placeholder_prefixes_fit_the_squashed_head() {
        // is_placeholder squashes only the first 11 bytes to test the prefixes.
        assert!(PREFIXES.iter().all(|p| p.len() <= 11));
        assert!(is_placeholder("Replace-With-Your-Storage-Key"));
        assert!(is_placeholder("PLACEHOLDER_FOR_SECRET"));
    }

    #[test]
    fn not_placeholders() {
        for v in [
            "P@ssw0rd123!",
            "pass@word1",
            "Pass@word123",
            "fakeroot",
            "exampleapp",
            "Fake-Pa55word-1",
            "Fake~8Q~cl1ent.s3cret-value",
            "Server=tcp:x.database.windows.net;Password=abc",
            "<p>hello</p>",
            "ab",
            "x",
            "hunter2",
            "{\"a\":1}",
            "$3cr3t!value",
            "yesterday",
            "entertainment",
            "yours truly",
            "placeholders",
            "nullable",
        ] {
            assert!(!is_placeholder(v), "{v:?} should not be a placeholder");
        }
    }

    #[test]
    fn secret_refs() {
        assert_eq!(
            classify_literal(
                "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/db/)"
            ),
            StrClass::SecretRef
        );
        assert_eq!(
            classify_literal("@microsoft.keyvault(VaultName=kv;SecretName=db)"),
            StrClass::SecretRef
        );
    }

    #[test]
    fn substitutions_stand_in_words_and_guids() {
        for v in [
            "pre-$(Var)",
            "{{ x }}-y",
            "${X}",
            "a#{T}#",
            "__{T}",
            "((cred))",
            "$env:X",
            "x%DB_PW%y",
        ] {
            assert!(has_substitution(v), "{v}");
        }
        for v in ["P@ss(w0rd", "50%off", "$3cr3t!"] {
            assert!(!has_substitution(v), "{v}");
        }
        assert!(mentions_stand_in("my-dummy-token"));
        assert!(!mentions_stand_in("k9$xq!w2"));
        assert!(is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        assert!(is_guid("{8E3AF657-A8FF-443C-A75C-2FE8C4BCB635}"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb63"));
        assert!(!is_guid("8e3af657xa8ff-443c-a75c-2fe8c4bcb635"));
    }
}
