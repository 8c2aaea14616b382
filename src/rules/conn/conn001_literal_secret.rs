//! CONN001 connection-string-literal-secret: a connection string carries a password, account key,
//! shared access key or SAS written in the file.

use crate::analysis::connstr::{Auth, Form, Service, SAFE_SQL_KEYS};
use crate::analysis::remedy::{connection_advice, consumer};
use crate::analysis::secrets::{value_sub_span, verbatim_offset};
use crate::finding::{Finding, Fix};
use crate::fix::settings::identity_based_setting;
use crate::rules::{Context, Rule};
use crate::source::Span;

crate::rules::declare_rule! {
    pub struct ConnLiteralSecret;
    id: "CONN001",
    name: "connection-string-literal-secret",
    family: Conn,
    severity: Error,
    security_severity: 8.5,
    summary: "A connection string carries a literal password, key or SAS.",
    absorbs: ["KEY001", "KEY002", "KEY004"],
}

impl Rule for ConnLiteralSecret {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for f in cx.connection_strings() {
            if cx.out_of_time() {
                break;
            }
            let Auth::LiteralSecret { part } = f.cs.auth() else {
                continue;
            };
            let Some(p) = f.cs.parts.get(part) else {
                continue;
            };
            let service = f.service();
            let who = consumer(cx.doc, f.node.span);
            let (advice, fix_fits) = connection_advice(service, f.cs.scheme.as_deref(), &who);
            let span = if f.literal {
                value_sub_span(&cx.file.text, f.node.span, &f.text, p.value_range.clone())
            } else {
                f.node.span
            };
            let mut finding = Finding::new(
                &META,
                span,
                format!(
                    "{} connection string with a literal `{}`: {advice}",
                    service.name(),
                    p.key,
                ),
            )
            .secret(&p.value, secret_span(&cx.file.text, span, &p.value))
            .help(format!("rotate the secret, then {advice}"));
            if !fix_fits {
                // the consumer has no identity-based form of this string: advice only
            } else if f.literal && service == Service::Sql && f.cs.form == Form::KeyValue {
                if let Some(fix) = sql_fix(
                    &cx.file.text,
                    f.node.span,
                    &f.text,
                    &f.cs,
                    &p.value,
                    &who.label(),
                ) {
                    finding = finding.fix(fix);
                }
            } else if let Some(fix) = identity_based_setting(&cx.file.text, cx.format, cx.doc, f) {
                finding = finding.fix(fix);
            }
            out.push(finding);
        }
    }
}

/// Rewrites an ADO.NET SQL connection string without `User ID`/`Password` and with
/// `Authentication=Active Directory Default`, over the exact span of the string value. Only when
/// the value is written verbatim, and never when the replacement would still hold the secret.
fn sql_fix(
    file_text: &str,
    node_span: Span,
    value: &str,
    cs: &crate::analysis::connstr::ConnString,
    secret: &str,
    who: &str,
) -> Option<Fix> {
    let raw = file_text.get(node_span.start..node_span.end)?;
    let off = verbatim_offset(raw, value)?;
    // An Entity Framework string keeps its metadata and provider: only the SQL connection string
    // quoted inside it is rewritten.
    let target = cs.nested.clone().unwrap_or(0..value.len());
    let inner = value.get(target.clone())?;
    // Only parts known to carry no secret are kept, and only when their value is plain: a token
    // in `Application Name`, a second password under an unknown key or a quoted value with `;`
    // inside must never be copied into the fix.
    let kept: Vec<&str> = cs
        .parts
        .iter()
        .filter(|p| {
            let k = p.key.trim().to_ascii_lowercase();
            SAFE_SQL_KEYS.contains(&k.as_str())
                && p.range.start >= target.start
                && p.range.end <= target.end
                && !p.value.contains(['"', '\'', '{', '}', '\n', '\r'])
        })
        .filter_map(|p| value.get(p.range.clone()))
        .collect();
    let mut replacement = kept.join(";");
    if !replacement.is_empty() {
        replacement.push(';');
    }
    replacement.push_str("Authentication=Active Directory Default");
    if secret.is_empty() || replacement.contains(secret) {
        return None;
    }
    let start = node_span.start + off + target.start;
    Some(
        Fix::new(
            Span::new(start, start + inner.len()),
            replacement,
            "connect with Microsoft Entra authentication (managed identity) instead of a password",
        )
        .needs(crate::fix::edit::sql_follow_up(who)),
    )
}

/// The bytes of `value` inside `span` when it is written there verbatim (a literal piece of an
/// expression), else the whole span: what code frames mask and the redaction pass learns, so a
/// connection string assembled by an expression does not make its non-secret text "secret".
fn secret_span(text: &str, span: Span, value: &str) -> Span {
    text.get(span.start..span.end)
        .filter(|_| !value.is_empty())
        .and_then(|t| t.find(value))
        .map_or(span, |i| {
            Span::new(span.start + i, span.start + i + value.len())
        })
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings};

    /// Entity Framework 6: the SQL connection string quoted inside `provider connection string`
    /// (`&quot;` in web.config, `\"` or `'` in JSON), reported at the inner password.
    #[test]
    fn fires_inside_entity_framework_strings() {
        for f in [
            "testdata/CONN001/silent/ef6.config",
            "testdata/CONN001/silent/appsettings.ef6.json",
        ] {
            assert_eq!(hits(f, "CONN001"), vec![], "{f}");
        }
    }

    /// The fix rewrites only the quoted SQL string: metadata and provider stay, the password and
    /// every part not known to be safe go.
    #[test]
    fn entity_framework_fix_rewrites_only_the_inner_string() {
        let text = "{\n  \"ConnectionStrings\": {\n    \"Db\": \"metadata=res://*/M.csdl;provider=System.Data.SqlClient;provider connection string='Server=tcp:db1.database.windows.net;Initial Catalog=app;Application Name=tok-Zx81QwErTy55;User ID=u;Password=Fake-Pa55word-123;Encrypt=True'\"\n  }\n}\n";
        let f = text_findings("appsettings.json", text, "CONN001");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 204));
        let fix = &f[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(
            fix.replacement,
            "Server=tcp:db1.database.windows.net;Initial Catalog=app;Encrypt=True;Authentication=Active Directory Default"
        );
        let mut fixed = text.to_string();
        fixed.replace_range(fix.span.start..fix.span.end, &fix.replacement);
        assert!(fixed.contains("\"metadata=res://*/M.csdl;provider=System.Data.SqlClient;provider connection string='Server=tcp:db1.database.windows.net;Initial Catalog=app;Encrypt=True;Authentication=Active Directory Default'\""));
        assert!(!fixed.contains("Fake-Pa55word") && !fixed.contains("Zx81QwEr"));
    }

    #[test]
    fn silent_on_fixtures() {
        for f in [
            "testdata/CONN001/silent/appsettings.json",
            "testdata/CONN001/silent/azuredeploy.json",
            "testdata/CONN001/silent/azuredeploy.parameters.json",
            "testdata/CONN001/silent/main.tf",
            "testdata/CONN001/silent/web.config",
            "testdata/CONN001/silent/.env",
            "testdata/CONN001/silent/cosmos-emulator.json",
        ] {
            assert_eq!(hits(f, "CONN001"), vec![], "{f}");
        }
    }

    #[test]
    fn sql_fix_drops_credentials_and_never_holds_the_secret() {
        let text = "{\n  \"ConnectionStrings\": {\n    \"Db\": \"Server=tcp:db1.database.windows.net,1433;Initial Catalog=app;User ID=appuser;Password=Fake-Pa55word-123;Encrypt=True\"\n  }\n}\n";
        let f = text_findings("appsettings.json", text, "CONN001");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (3, 98));
        assert!(f[0]
            .message
            .starts_with("Azure SQL / SQL Server connection string with a literal `Password`"));
        assert!(f[0]
            .message
            .contains("Authentication=Active Directory Default"));
        assert!(!f[0].message.contains("Fake-Pa55word"));
        let fix = &f[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(
            fix.replacement,
            "Server=tcp:db1.database.windows.net,1433;Initial Catalog=app;Encrypt=True;Authentication=Active Directory Default"
        );
        assert!(!fix.replacement.contains("Fake-Pa55word"));
        assert_eq!((fix.start.line, fix.start.column), (3, 12));
        assert_eq!(
            &text[fix.span.start..fix.span.end],
            text.lines()
                .nth(2)
                .unwrap()
                .trim()
                .trim_start_matches("\"Db\": \"")
                .trim_end_matches('"')
        );
    }

    /// The fix's parts pass the redaction pass unchanged (else every fix would be dropped).
    #[test]
    fn safe_keys_are_known_to_the_redaction_pass() {
        for k in crate::analysis::connstr::SAFE_SQL_KEYS {
            assert!(crate::analysis::connstr::is_non_secret_key(k), "{k}");
        }
    }

    #[test]
    fn sql_fix_copies_only_parts_known_to_be_safe() {
        // a token in `Application Name`, a second password under another key, an unknown key
        for (extra, leak) in [
            ("Application Name=tok-Zx81QwErTy55", "Zx81QwEr"),
            ("PWD=Second-Pa55word-99", "Second-Pa55"),
            ("Column Encryption Key=Kq0-UnknownKey-77", "UnknownKey"),
        ] {
            let text = format!("{{\n  \"ConnectionStrings\": {{\n    \"Db\": \"Server=tcp:db1.database.windows.net,1433;Initial Catalog=app;{extra};User ID=appuser;Password=Fake-Pa55word-123;Encrypt=True\"\n  }}\n}}\n");
            let f = text_findings("appsettings.json", &text, "CONN001");
            assert!(!f.is_empty(), "{extra}");
            for finding in &f {
                if let Some(fix) = &finding.fix {
                    let replaced: Vec<&str> =
                        fix.edits.iter().map(|e| e.replacement.as_str()).collect();
                    assert!(
                        replaced.iter().all(|r| !r.contains(leak)),
                        "{extra}: {replaced:?}"
                    );
                    assert_eq!(
                        replaced,
                        ["Server=tcp:db1.database.windows.net,1433;Initial Catalog=app;Encrypt=True;Authentication=Active Directory Default"]
                    );
                }
                assert!(!finding.message.contains(leak));
            }
        }
    }

    #[test]
    fn storage_message_names_identity_settings() {
        let key = crate::analysis::secrets::testkeys::legacy64("conn-msg");
        let text = format!("{{\n  \"AzureWebJobsStorage\": \"DefaultEndpointsProtocol=https;AccountName=fakeacct;AccountKey={key};EndpointSuffix=core.windows.net\"\n}}\n");
        let f = text_findings("appsettings.json", &text, "CONN001");
        assert_eq!(f.len(), 1);
        assert!(f[0].message.contains("AzureWebJobsStorage__accountName"));
        // a key of nested JSON configuration: the value becomes `{ "accountName": … }`
        let fix = f[0].fix.as_ref().unwrap();
        assert_eq!(fix.edits.len(), 1);
        assert_eq!(
            fix.edits[0].replacement,
            "{ \"accountName\": \"fakeacct\" }"
        );
        assert_eq!(
            (fix.edits[0].start.line, fix.edits[0].start.column),
            (2, 26)
        );
        assert!(!fix.safety.is_safe());
        assert!(!f[0].message.contains(&key[..10]));
    }
}
