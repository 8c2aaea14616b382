//! KEY008 secret-on-command-line: a password or key written into a command line or shell
//! assignment inside a script: pipeline `script:`/`inlineScript:` steps, VM extension
//! `commandToExecute`, cloud-init and `customData`, deployment scripts. `--account-key <key>`,
//! `--password <pw>`, `-p <pw>` after `docker login`, `sqlcmd -P <pw>`, `export DB_PASSWORD=<pw>`.
//! Values that are variables (`$VAR`, `$(Var)`, `${{ secrets.X }}`, `%VAR%`) are not reported.

use std::sync::OnceLock;

use regex::Regex;

use crate::analysis::names::SecretKind;
use crate::analysis::secret_value::is_plausible_secret;
use crate::finding::Finding;
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
}

/// Options that take a secret, and the shell assignments of secret-named variables. The value is
/// the `v` group: a quoted string or a run of non-blank characters.
fn patterns() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| {
        let value = r#"(?:"(?P<dq>[^"\n]*)"|'(?P<sq>[^'\n]*)'|(?P<v>[^ \t\r\n"';|&]+))"#;
        let option = r"--(?:account-key|password|client-secret|secret|sas-token|admin-password|registry-password|storage-account-key|passphrase)";
        // `-p` and `-P` only after the commands where they mean the password (`mysql -P` is a
        // port).
        let short = r"(?:(?:(?:docker|podman)[ \t]+login|helm[ \t]+registry[ \t]+login|az[ \t]+login|mysql|mysqladmin|mysqldump|sshpass)(?-u:\b)[^\n]*?[ \t]-p|(?:sqlcmd|bcp)(?-u:\b)[^\n]*?[ \t]-P)";
        let assign = r"(?:^|[ \t;])(?:export[ \t]+|set[ \t]+)?[A-Za-z_][A-Za-z0-9_]*(?:PASSWORD|PASSWD|_PWD|SECRET|ACCOUNT_KEY|ACCESS_KEY|API_KEY|SAS_TOKEN)=";
        // Built from fixed parts above: a failure is a defect the tests catch.
        Regex::new(&format!(
            r"(?m)(?:{option}(?:[ \t]+|=)|{short}[ \t]*|{assign}){value}"
        ))
        .unwrap_or_else(|e| panic!("KEY008 pattern: {e}"))
    })
}

/// True when a value is a variable or a substitution, not a secret: `$VAR`, `${VAR}`, `$(Var)`,
/// `${{ secrets.X }}`, `%VAR%`, `@@{x}`, `{{ x }}`, a command substitution.
fn is_variable(v: &str) -> bool {
    v.is_empty()
        || v.starts_with('$')
        || v.starts_with('%')
        || v.starts_with('@')
        || v.starts_with('`')
        || v.contains("{{")
        || v.starts_with('<')
        || v.starts_with('-')
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
    // Cheap test before the regex: every pattern needs `--`, `-p`/`-P` or `=`.
    if !text.contains("--") && !text.contains(" -p") && !text.contains(" -P") && !text.contains('=')
    {
        return;
    }
    for caps in patterns().captures_iter(text) {
        let Some(m) = caps
            .name("v")
            .or_else(|| caps.name("dq"))
            .or_else(|| caps.name("sq"))
        else {
            continue;
        };
        let v = m.as_str();
        if is_variable(v) || !is_plausible_secret(v, "password", SecretKind::Password) {
            continue;
        }
        let Some(whole) = caps.get(0) else {
            continue;
        };
        let option = whole.as_str()[..m.start() - whole.start()]
            .trim()
            .trim_end_matches(['=', '"', '\''])
            .trim();
        let option: String = option
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or(option)
            .chars()
            .filter(|c| !c.is_control())
            .take(60)
            .collect();
        let span = value_span(cx, node, v);
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

/// The value's own span when the source text of the string holds it exactly once (block scalars
/// and escapes make offsets inside a string differ from the file's), else the string's.
fn value_span(cx: &Context, node: &Node, v: &str) -> Span {
    let Some(src) = cx.file.text.get(node.span.start..node.span.end) else {
        return node.span;
    };
    let mut found = src.match_indices(v);
    match (found.next(), found.next()) {
        (Some((i, _)), None) => Span::new(node.span.start + i, node.span.start + i + v.len()),
        _ => node.span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::hits;

    fn values(text: &str) -> Vec<String> {
        patterns()
            .captures_iter(text)
            .filter_map(|c| {
                c.name("v")
                    .or_else(|| c.name("dq"))
                    .or_else(|| c.name("sq"))
                    .map(|m| m.as_str().to_string())
            })
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

    #[test]
    fn fires_on_fixtures() {
        assert_eq!(
            hits("testdata/KEY008/fire/azure-pipelines.yml", "KEY008"),
            vec![(9, 88), (10, 53), (16, 32)]
        );
        assert_eq!(
            hits("testdata/KEY008/fire/azuredeploy.json", "KEY008"),
            vec![(16, 82)]
        );
        assert_eq!(
            hits("testdata/KEY008/fire/main.tf", "KEY008"),
            vec![(8, 28)]
        );
    }

    #[test]
    fn silent_on_fixtures() {
        for f in ["azure-pipelines.yml", "azuredeploy.json", "main.tf"] {
            assert_eq!(
                hits(&format!("testdata/KEY008/silent/{f}"), "KEY008"),
                vec![],
                "{f}"
            );
        }
    }
}
