//! KEY008 secret-on-command-line: a password or key written into a command line or shell
//! assignment inside a script: pipeline `script:`/`inlineScript:` steps, VM extension
//! `commandToExecute`, cloud-init and `customData`, deployment scripts. `--account-key <key>`,
//! `--password <pw>`, `-p <pw>` after `docker login`, `sqlcmd -P <pw>`, `export DB_PASSWORD=<pw>`,
//! `-SqlPassword <pw>`, `$password = "<pw>"`, `curl -u user:<pw>`. Option, parameter and variable
//! names are judged by the one secret vocabulary (`analysis::names`), as settings are. Values
//! that are variables (`$VAR`, `$(Var)`, `$[ expr ]`, `${{ secrets.X }}`, `%VAR%`) are not
//! reported.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::names::{secret_key_kind, SecretKind};
use crate::analysis::secret_value::{is_example_secret, is_plausible_secret};
use crate::finding::Finding;
use crate::ir::classify::{has_substitution, is_placeholder};
use crate::ir::{Expr, Node, NodeKind, StrClass};
use crate::rules::{Context, Rule};
use crate::source::Span;

crate::rules::declare_rule! {
    pub struct SecretOnCommandLine;
    id: "KEY008",
    name: "secret-on-command-line",
    family: Key,
    severity: Error,
    security_severity: 8.0,
    summary: "A password or key is written into a command line or shell assignment in a script \
              (pipeline steps, commandToExecute, cloud-init).",
    reads_parameters: false,
    absorbs: ["KEY001"],
}

/// Options and assignments that take a secret. Names (`--account-key`, `-SqlPassword`,
/// `export STORAGE_KEY=`, `$password = "…"`) are captured and judged by the one secret vocabulary
/// ([`secret_key_kind`], `rules/secret-names.tsv`), as settings are; the value groups are listed
/// in [`VALUE_GROUPS`]. Forms without a name take a password by position: `-p`/`-P` after the
/// commands where they mean the password, `curl -u user:pw`, `ConvertTo-SecureString "pw"
/// -AsPlainText`, `net user name pw`.
fn patterns() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let value = r#"(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<v>[^ \t\r\n"';|&]+))"#;
        // `--account-key x`, `--password=x`: GNU-style options with a secret name.
        let option = r"--(?P<opt>[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*)(?:[ \t]+|=)";
        // `-SqlPassword x`, `-AdminPassword "x"`: PowerShell parameters (also ARM deployment
        // `overrideParameters`) with a secret name.
        let ps = r"(?:^|[ \t(])-(?P<ps>[A-Za-z][A-Za-z0-9]+)[ \t]+";
        // `-p` and `-P` only after the commands where they mean the password (`mysql -P` is a
        // port).
        let short = r"(?:(?:(?:docker|podman)[ \t]+login|helm[ \t]+registry[ \t]+login|az[ \t]+login|mysql|mysqladmin|mysqldump|sshpass)(?-u:\b)[^\n]*?[ \t]-p|(?:sqlcmd|bcp)(?-u:\b)[^\n]*?[ \t]-P)[ \t]*";
        // `curl -u user:pw`, `curl --user "user:pw"`: the password after the colon.
        let userinfo = r#"(?:curl|wget)(?-u:\b)[^\n]*?[ \t](?:-u|--user|--http-password)[ \t]+["']?[^ \t\r\n:"']+:(?P<up>[^ \t\r\n"']+)"#;
        // `ConvertTo-SecureString "pw" -AsPlainText`.
        let secure = r#"(?i-u:ConvertTo-SecureString)[ \t]+(?:-String[ \t]+)?(?:"(?P<cdq>[^"\n]*)"|'(?P<csq>[^'\n]*)')"#;
        // `net user name pw /add`.
        let net = r"(?-u:\b)net[ \t]+user[ \t]+[^ \t\r\n/]+[ \t]+(?P<nv>[^ \t\r\n/*]+)[ \t]+/";
        // `export STORAGE_KEY=x`, `set API_KEY=x`, `SAS_TOKEN=x`: shell and batch assignments.
        let assign = r"(?:^|[ \t;])(?P<export>export[ \t]+|set[ \t]+)?(?P<var>[A-Za-z_][A-Za-z0-9_]*)=";
        // `$password = "x"`, `$env:API_KEY = 'x'`: PowerShell assignments of a quoted string.
        let psvar = r#"\$(?:env:)?(?P<psv>[A-Za-z_][A-Za-z0-9_]*)[ \t]*=[ \t]*(?:"(?P<pdq>[^"\n]*)"|'(?P<psq>[^'\n]*)')"#;
        // Built from fixed parts above: a failure is a defect the tests catch.
        Regex::new(&format!(
            r"(?m)(?:{userinfo}|{secure}|{net}|{psvar}|(?:{option}|{ps}|{short}|{assign}){value})"
        ))
        .unwrap_or_else(|e| panic!("KEY008 pattern: {e}"))
    })
}

/// The groups that hold a match's value.
const VALUE_GROUPS: &[&str] = &["v", "dq", "sq", "up", "cdq", "csq", "nv", "pdq", "psq"];

/// The value of a match and, for a named option or assignment, the secret kind its name has in
/// the vocabulary; `None` when the name names no secret (a shell assignment that is not a
/// shell variable's name, `FOO=bar`, `AccountKey=` in a connection string, is not one either).
fn judged<'t>(caps: &regex::Captures<'t>) -> Option<(regex::Match<'t>, String, SecretKind)> {
    let m = VALUE_GROUPS.iter().find_map(|g| caps.name(g))?;
    let name = ["opt", "ps", "var", "psv"]
        .iter()
        .find_map(|g| caps.name(g));
    let Some(name) = name else {
        return Some((m, "password".to_string(), SecretKind::Password));
    };
    let n = name.as_str();
    // A bare `NAME=value` is a shell variable when the name is written as one (upper case); a
    // lower-case one needs `export`/`set` (`Password=x;` is a connection string's pair).
    if caps.name("var").is_some()
        && caps.name("export").is_none()
        && n.bytes().any(|b| b.is_ascii_lowercase())
    {
        return None;
    }
    let kind = secret_key_kind(n)?;
    Some((m, n.to_string(), kind))
}

/// True when a value is a variable or a substitution, not a secret: the stand-ins every rule
/// knows ([`is_placeholder`], [`has_substitution`]: `$VAR`, `${VAR}`, `$(Var)`, `$[ expr ]`,
/// `${{ secrets.X }}`, `%VAR%`, `{{ x }}`) and what only a command line has: a shell or
/// PowerShell expression (`$x`, `(Get-Secret …)`, a backtick), `@@{x}`, `<prompt>`, the next
/// option.
fn is_variable(v: &str) -> bool {
    is_placeholder(v) || is_expression(v)
}

/// A substitution or an expression of the shell (what [`is_variable`] knows besides the
/// stand-in words).
fn is_expression(v: &str) -> bool {
    v.is_empty()
        || has_substitution(v)
        || v.starts_with(['$', '%', '@', '`', '(', '<', '-'])
        || v.contains("{{")
}

impl Rule for SecretOnCommandLine {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for tree in cx.doc.trees() {
            tree.walk(&mut |_, node| check_node(cx, node, out));
        }
    }
}

fn check_node(cx: &Context, node: &Node, out: &mut Vec<Finding>) {
    match &node.kind {
        NodeKind::Str(s) if s.class == StrClass::Literal => check_text(cx, node, &s.value, out),
        // Strings written inside an expression: a heredoc passed to `base64encode()`, the literal
        // pieces of `concat()`.
        _ => {
            if let Some(e) = node.as_expr() {
                e.walk(&mut |x| {
                    if let Expr::Str(t) = x {
                        check_text(cx, node, t, out);
                    }
                });
            }
        }
    }
}

fn check_text(cx: &Context, node: &Node, text: &str, out: &mut Vec<Finding>) {
    // Cheap test before the regex: every pattern needs `-` (an option, a parameter,
    // `ConvertTo-SecureString`), `=` (an assignment) or `/` (`net user … /add`).
    if !text.contains(['-', '=', '/']) {
        return;
    }
    // (a pure function of the text: `keyless history` keeps it across a file's versions)
    thread_local! {
        static MEMO: crate::history_memo::Memo<Vec<Given>> = Default::default();
    }
    for Given {
        start,
        value: v,
        option,
        example,
    } in MEMO.with(|m| m.get_or(text, secrets_given))
    {
        let v = v.as_str();
        let span = value_span(cx, node, text, start, v);
        if example {
            out.push(
                Finding::new(
                    &META,
                    span,
                    format!(
                        "`{option}` is given a well-known example value as its secret in a \
                         script, deployed as it is: anyone who read the sample knows it; pass a \
                         generated secret from a secret store (a pipeline secret variable, Key \
                         Vault, `protectedSettings`)"
                    ),
                )
                .severity(crate::finding::Severity::Warning)
                .secret(v, span)
                .help(
                    "Generate the password for each deployment and pass it as a secret variable \
                     (`$(dbPassword)`, `${{ secrets.DB_PASSWORD }}`) or read it from Key Vault at \
                     run time; a value copied from an image's or a tool's documentation is the \
                     first one tried.",
                ),
            );
            continue;
        }
        out.push(
            Finding::new(
                &META,
                span,
                format!(
                    "`{option}` is given a literal secret in a script: it is stored with the \
                     file and shows in process lists and logs; pass it from a secret store (a \
                     pipeline secret variable, Key Vault, `protectedSettings`) or let the command \
                     sign in with a managed identity or workload identity federation"
                ),
            )
            .secret(v, span)
            .help(
                "Replace the value with a secret variable (`$(dbPassword)` in Azure Pipelines, \
                 `${{ secrets.DB_PASSWORD }}` in GitHub Actions), read it from Key Vault at run \
                 time, and prefer identity-based sign-in: `az login --identity`, `azure/login` with \
                 OIDC, `az storage ... --auth-mode login` instead of `--account-key`.",
            ),
        );
    }
}

/// A literal secret a script's text passes on a command line.
#[derive(Clone)]
struct Given {
    /// Where the value starts in the text.
    start: usize,
    value: String,
    /// The option (or command) it is given to, as shown.
    option: String,
    /// A well-known example value ([`is_example_secret`]: `my-secret-pw`, `changeme`), not one
    /// that looks real: a warning.
    example: bool,
}

/// The literal secrets a script's text passes on a command line.
fn secrets_given(text: &str) -> Vec<Given> {
    let mut out = Vec::new();
    for caps in patterns().captures_iter(text) {
        let Some((m, name, kind)) = judged(&caps) else {
            continue;
        };
        let v = m.as_str();
        // A stand-in word (`changeme`) is a placeholder to every rule, but one written into a
        // script runs as the password all the same.
        let example = if is_variable(v) {
            if is_expression(v) || !is_example_secret(v, &name, true) {
                continue;
            }
            true
        } else if is_plausible_secret(v, &name, kind) {
            false
        } else if is_example_secret(v, &name, false) {
            true
        } else {
            continue;
        };
        let Some(whole) = caps.get(0) else {
            continue;
        };
        let prefix = whole.as_str()[..m.start() - whole.start()]
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '=' | '"' | '\'' | ':'));
        let mut tokens = prefix.split_whitespace();
        // `curl -u user:pw` names the option, not the user; `net user name pw` the command.
        let option = if caps.name("up").is_some() {
            tokens.rfind(|t| t.starts_with('-')).unwrap_or("-u")
        } else if caps.name("nv").is_some() {
            "net user"
        } else {
            tokens.next_back().unwrap_or(prefix)
        };
        out.push(Given {
            start: m.start(),
            value: v.to_string(),
            option: crate::finding::shown_name(option),
            example,
        });
    }
    out
}

/// The value's own span: the source text of the string holds the value as often as the string
/// does (block scalars and escapes make offsets inside a string differ from the file's, but not
/// the order of the occurrences), so the occurrence the match is at is found by its rank; else
/// the string's span.
fn value_span(cx: &Context, node: &Node, text: &str, at: usize, v: &str) -> Span {
    let Some(src) = cx.file.text.get(node.span.start..node.span.end) else {
        return node.span;
    };
    let Some(before) = text.get(..at) else {
        return node.span;
    };
    let rank = before.match_indices(v).count();
    if src.matches(v).count() != text.matches(v).count() {
        return node.span;
    }
    match src.match_indices(v).nth(rank) {
        Some((i, _)) => Span::new(node.span.start + i, node.span.start + i + v.len()),
        None => node.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        patterns()
            .captures_iter(text)
            .filter_map(|c| judged(&c).map(|(m, _, _)| m.as_str().to_string()))
            .filter(|v| !is_variable(v))
            .collect()
    }

    #[test]
    fn patterns_find_options_and_assignments() {
        assert_eq!(
            values("az storage blob upload --account-key abc123XYZ --name x"),
            ["abc123XYZ"]
        );
        assert_eq!(values("tool --password='pa ss'"), ["pa ss"]);
        assert_eq!(values("docker login acr.io -u admin -p S3cret"), ["S3cret"]);
        assert_eq!(values("sqlcmd -S db -U sa -P \"Pw0rd\""), ["Pw0rd"]);
        assert_eq!(
            values("export DB_PASSWORD=hunter22\nMY_API_KEY=k3y"),
            ["hunter22", "k3y"]
        );
        assert!(values("mkdir -p /opt/app && ssh -p 22 host").is_empty());
        assert!(values("az login --password $(spSecret) --password \"$PW\"").is_empty());
        assert!(values("docker login -p ${{ secrets.ACR }}").is_empty());
        assert!(values("DB_PASSWORD_FILE=/run/secrets/db").is_empty());
    }

    /// Names are judged by the one vocabulary: every secret-named shell variable, option and
    /// PowerShell parameter; names that are not secrets, and connection-string pairs, are not read.
    #[test]
    fn names_are_judged_by_the_secret_vocabulary() {
        for (text, want) in [
            ("export AZURE_STORAGE_KEY=k1", "k1"),
            ("STORAGE_KEY=k2", "k2"),
            ("API_KEY=k3 ./run.sh", "k3"),
            ("set SAS_TOKEN=k4", "k4"),
            ("export SECRET=k5", "k5"),
            ("export COSMOS_KEY='k6'", "k6"),
            ("export password=k7", "k7"),
            ("az storage copy --sas-token k8", "k8"),
            ("./tool --storage-account-key=k9", "k9"),
            ("./configure.ps1 -SqlUser sa -SqlPassword k10", "k10"),
            ("-adminPassword \"k11\" -location westeurope", "k11"),
            ("$password = \"k12\"", "k12"),
            ("$env:API_KEY='k13'", "k13"),
            ("ConvertTo-SecureString \"k14\" -AsPlainText -Force", "k14"),
            ("curl -u admin:k15 https://x.example", "k15"),
            ("curl --user \"admin:k16\" https://x.example", "k16"),
            ("mysql -uroot -pk17 db", "k17"),
            ("net user deploy k18 /add", "k18"),
        ] {
            assert_eq!(values(text), [want], "{text}");
        }
        for text in [
            "export STORAGE_ACCOUNT_NAME=web",
            "BUILD_ID=42 PARTITION_KEY=pk",
            "Server=db;User ID=sa;Password=k;AccountKey=k",
            "--password-stdin --secret-name db --key-vault-name kv",
            "-SqlUser sa -Location westeurope",
            "$password = Read-Host -AsSecureString",
            "-Password (Get-Secret db) -Password $pw",
            "curl -u $USER:$TOKEN https://x.example",
            "export SAS_TOKEN=$[ variables['sas'] ] TOKEN=$(sasToken)",
            "net user deploy * /add",
        ] {
            assert!(values(text).is_empty(), "{text}: {:?}", values(text));
        }
    }

    /// Documentation example values are given (as examples, a warning); true placeholders are not.
    #[test]
    fn example_values_are_given_and_placeholders_are_not() {
        let examples = |t: &str| -> Vec<(String, bool)> {
            secrets_given(t)
                .into_iter()
                .map(|g| (g.value, g.example))
                .collect()
        };
        for (text, want) in [
            (
                "docker run -e MYSQL_ROOT_PASSWORD=my-secret-pw db",
                "my-secret-pw",
            ),
            ("export ADMIN_PASSWORD=changeme", "changeme"),
            ("sqlcmd -S db -U sa -P changeme", "changeme"),
        ] {
            assert_eq!(examples(text), [(want.to_string(), true)], "{text}");
        }
        for text in [
            "export ADMIN_PASSWORD=<password>",
            "export ADMIN_PASSWORD=((admin_password))",
            "export ADMIN_PASSWORD=${VAR}",
            "export ADMIN_PASSWORD=$(adminPassword)",
            "export ADMIN_PASSWORD=REPLACE_ME",
            "export ADMIN_PASSWORD=your-password",
        ] {
            assert!(examples(text).is_empty(), "{text}");
        }
    }

    /// A recognised key given to a secret-named shell variable is one finding: KEY008 reports at
    /// the key and KEY001's finding folds into it (rules::merge).
    #[test]
    fn key_in_a_script_is_reported_once() {
        use crate::analysis::secrets::testkeys::identifiable;
        let key = identifiable("script-once", 64, "+ASt", 0x4465_6661_756c_7430, false);
        let text = format!("steps:\n  - bash: |\n      export STORAGE_KEY={key}\n");
        let report = crate::testing::scan_text("azure-pipelines.yml", &text);
        let got: Vec<_> = report
            .findings
            .iter()
            .map(|f| {
                let merged: Vec<_> = f.merged.iter().map(|m| m.rule.id).collect();
                (f.rule.id, f.start.line, f.start.column, merged)
            })
            .collect();
        assert_eq!(got, vec![("KEY008", 3, 26, vec!["KEY001"])]);
    }
}
