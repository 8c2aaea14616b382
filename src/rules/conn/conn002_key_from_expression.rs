//! CONN002 connection-string-key-from-expression: a connection string is assembled with a key that
//! an expression supplies (`listKeys()`, a key attribute such as `primary_access_key`, a parameter):
//! nothing is written in the file, but the workload still authenticates with a shared key.

use crate::analysis::connstr::{
    connection_string_attribute, flatten, holes_in, parse_pieces, secret_source, Auth, SecretSource,
};
use crate::analysis::exposure::{in_key_vault_secret_value, name_value_pairs};
use crate::analysis::remedy::{branch_note, connection_advice, consumer};
use crate::analysis::secrets::value_sub_span_nth;
use crate::finding::Finding;
use crate::fix::settings::{identity_based_setting, sql_from_expression};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct ConnKeyFromExpression;
    id: "CONN002",
    name: "connection-string-key-from-expression",
    family: Conn,
    severity: Warning,
    security_severity: 5.0,
    summary: "A connection string is built with a key from listKeys(), a key attribute or a parameter.",
}

impl Rule for ConnKeyFromExpression {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for f in cx.connection_strings() {
            if cx.out_of_time() {
                break;
            }
            let Auth::SecretFromExpression { part } = f.cs.auth() else {
                continue;
            };
            if in_key_vault_secret_value(cx.doc, f.node.span) {
                continue;
            }
            let Some(p) = f.cs.parts.get(part) else {
                continue;
            };
            let sources: Vec<SecretSource> = holes_in(&f.text, p)
                .into_iter()
                .filter_map(|h| f.holes.get(h).map(|e| secret_source(e)))
                .collect();
            if sources.is_empty() || sources.contains(&SecretSource::KeyVault) {
                continue;
            }
            let source = &sources[0];
            let service = f.service();
            let who = consumer(cx.doc, f.node.span);
            let (mut advice, mut fix_fits) =
                connection_advice(service, f.cs.scheme.as_deref(), &who);
            // Identity-based host storage (`AzureWebJobsStorage__accountName`) needs Functions
            // runtime 4.x: an app on `~1`..`~3` upgrades first.
            if fix_fits && service == crate::connstr::Service::Storage {
                if let Some(v) = old_functions_runtime(cx.doc, &who) {
                    advice = format!(
                        "{advice}; no fix here: the app runs Functions `{v}`, and identity-based \
                         connections need runtime `~4`: upgrade `FUNCTIONS_EXTENSION_VERSION` first"
                    );
                    fix_fits = false;
                }
            }
            if fix_fits && service == crate::connstr::Service::Sql {
                if let Some(why) = sql_consumer_blocker(cx.doc, &who) {
                    advice = if why.starts_with("the string is a parameter") {
                        format!("{why}; until then keep the password in Key Vault")
                    } else {
                        format!("{advice}; no fix here: {why}")
                    };
                    fix_fits = false;
                }
            }
            let fix = if fix_fits {
                identity_based_setting(&cx.file.text, cx.format, cx.doc, f)
                    .or_else(|| sql_from_expression(&cx.file.text, f, &who.label()))
            } else {
                None
            };
            out.push(
                Finding::new(
                    &META,
                    f.node.span,
                    format!(
                        "{} connection string{} takes its `{}` from {}: the workload still signs in with {}; {}",
                        service.name(),
                        branch_note(f.node),
                        p.key,
                        source.origin(),
                        credential(&p.key),
                        advice
                    ),
                )
                // `Password=<the parameter adminPassword>`: no backticks to leave unbalanced
                .evidence(format!("{}=<{}>", p.key, source.origin().replace('`', "")))
                .with_fix(fix),
            );
        }
        // A setting whose whole value is a resource's connection string (key included).
        for s in &cx.doc.settings {
            if cx.out_of_time() {
                break;
            }
            let Some(e) = s.value.as_expr() else {
                continue;
            };
            // A module output traced into the module is what it returns (`module.sa.conn`).
            let e = cx.doc.traced_output(e).unwrap_or(e);
            if parse_pieces(&flatten(e)).is_some() {
                continue; // has literal text: analysed above
            }
            let Some((attr, service)) = connection_string_attribute(e) else {
                continue;
            };
            if in_key_vault_secret_value(cx.doc, s.value.span) {
                continue;
            }
            let (advice, _) = connection_advice(service, None, &consumer(cx.doc, s.value.span));
            out.push(
                Finding::new(
                    &META,
                    s.value.span,
                    format!(
                        "setting `{}` is the key-bearing connection string `{attr}`: the workload still signs in with a shared key; {advice}",
                        s.name,
                    ),
                )
                .evidence(attr),
            );
        }
        create_object_settings(cx, out);
    }
}

/// ARM `createObject('name', 'X', 'value', <expr>)` settings ([`name_value_pairs`]) whose value
/// is a resource's connection string, reported at the pair's name as a `{ "name", "value" }`
/// setting is (strings with literal text are found as connection strings above).
fn create_object_settings(cx: &Context, out: &mut Vec<Finding>) {
    if cx.doc.dialect != crate::ir::Dialect::Arm
        || !(cx.file.text.contains("createObject") || cx.file.text.contains("createobject"))
    {
        return;
    }
    for r in cx.doc.resources.iter().filter(|r| !r.existing) {
        r.body.walk(&mut |_, node| {
            if cx.out_of_time() {
                return;
            }
            let Some(e) = node.as_expr() else {
                return;
            };
            let mut met: Vec<&str> = Vec::new();
            for (name, value) in name_value_pairs(e) {
                let nth = met.iter().filter(|m| **m == name).count();
                met.push(name);
                if parse_pieces(&flatten(value)).is_some() {
                    continue;
                }
                let Some((attr, service)) = connection_string_attribute(value) else {
                    continue;
                };
                if in_key_vault_secret_value(cx.doc, node.span) {
                    continue;
                }
                let span = value_sub_span_nth(&cx.file.text, node.span, name, 0..name.len(), nth);
                let (advice, _) = connection_advice(service, None, &consumer(cx.doc, node.span));
                out.push(
                    Finding::new(
                        &META,
                        span,
                        format!(
                            "setting `{}` is the key-bearing connection string `{attr}`: the workload still signs in with a shared key; {advice}",
                            crate::finding::shown_name(name),
                        ),
                    )
                    .evidence(attr),
                );
            }
        });
    }
}

/// What a connection-string part carries, for the message: `Password`/`Pwd` a password,
/// `SharedAccessSignature` a SAS token, any other key part a shared key.
fn credential(key: &str) -> &'static str {
    let k = key.to_ascii_lowercase();
    if k.contains("password") || k == "pwd" {
        "a password"
    } else if k.contains("signature") {
        "a shared access signature"
    } else {
        "a shared key"
    }
}

/// The app's `FUNCTIONS_EXTENSION_VERSION` when it is older than `~4` (`~1`, `~2`, `~3`).
fn old_functions_runtime<'a>(
    doc: &'a crate::ir::Document,
    who: &crate::analysis::remedy::Consumer<'_>,
) -> Option<&'a str> {
    let r = who.resource?;
    doc.settings
        .iter()
        .filter(|s| s.name.eq_ignore_ascii_case("FUNCTIONS_EXTENSION_VERSION"))
        .filter(|s| r.span.start <= s.key_span.start && s.key_span.end <= r.span.end)
        .find_map(|s| s.value.as_text())
        .filter(|v| matches!(v.trim(), "~1" | "~2" | "~3" | "1" | "2" | "3"))
}

/// Why the SqlClient Entra form (`Authentication=Active Directory Default`) cannot be written
/// for this consumer: an MSDeploy package parameter or a site extension (the packaged app, not
/// the site, makes the connection, with whatever driver it was built with), an App Service app
/// at an apiVersion without `identity`, or a SQL server in the same template with no Microsoft
/// Entra administrator (no Entra sign-in is possible until it has one).
fn sql_consumer_blocker(
    doc: &crate::ir::Document,
    who: &crate::analysis::remedy::Consumer<'_>,
) -> Option<&'static str> {
    use crate::rules::props::api_date;
    if let Some(r) = who.resource {
        if r.is_type("Microsoft.Web/sites/extensions")
            || r.is_type("Microsoft.Web/sites/slots/extensions")
        {
            return Some(
                "the string is a parameter of a deployed package or site extension (MSDeploy \
                 `setParameters`), whose app connects with the driver it was built with; change \
                 the app to sign in with Microsoft Entra first",
            );
        }
        let site = r.is_type("Microsoft.Web/sites")
            || r.is_type("Microsoft.Web/sites/config")
            || r.is_type("Microsoft.Web/sites/slots");
        let old = r
            .body
            .get("apiVersion")
            .and_then(|n| n.as_text())
            .is_some_and(|v| api_date(v) < api_date("2016-08-01"));
        if site && old {
            return Some(
                "the app's apiVersion has no managed identity: raise it and give the app an \
                 identity first",
            );
        }
    }
    let servers: Vec<&crate::ir::Resource> = doc
        .resources
        .iter()
        .filter(|r| !r.existing && r.is_type("Microsoft.Sql/servers"))
        .collect();
    let admin_child = doc.resources.iter().any(|r| {
        r.is_type("Microsoft.Sql/servers/administrators")
            || r.source_type == "azurerm_sql_active_directory_administrator"
    });
    let no_admin = !servers.is_empty()
        && !admin_child
        && servers.iter().all(|r| {
            r.body.path(&["properties", "administrators"]).is_none()
                && r.body.get("azuread_administrator").is_none()
        });
    no_admin.then_some(
        "the SQL server in this template has no Microsoft Entra administrator, so no Entra \
         sign-in works yet: set one (`administrators` / `azuread_administrator`) and create a \
         database user for the app's identity first",
    )
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings};

    /// A secure parameter spliced into the connection strings of any engine (JDBC URLs, URIs,
    /// the Redis form): one finding each, with that engine's advice.
    /// A connection string built in a variable is judged by the resource that uses it: a Data
    /// Factory v1 linked service (no identity: no fix, the advice says so), a nested deployment
    /// (the receiver is not in sight: no fix), an app (the SqlClient form) (ARM, Bicep).
    #[test]
    fn variables_are_judged_by_their_consumer() {
        let got = |rel: &str| -> Vec<(usize, usize, bool, String)> {
            crate::testing::scan_fixture(rel)
                .findings
                .iter()
                .filter(|f| f.rule.id == "CONN002")
                .map(|f| {
                    (
                        f.start.line,
                        f.start.column,
                        f.fix.is_some(),
                        f.message.clone(),
                    )
                })
                .collect()
        };
        let arm = got("testdata/CONN002/fire/df-v1-variable.json");
        assert_eq!(
            arm.iter()
                .map(|(l, c, x, _)| (*l, *c, *x))
                .collect::<Vec<_>>(),
            vec![(8, 21, false), (9, 25, false), (10, 22, true)]
        );
        assert!(arm[0].3.contains("Data Factory v1"), "{}", arm[0].3);
        assert!(
            !arm[0].3.contains("Active Directory Default"),
            "{}",
            arm[0].3
        );
        assert!(arm[1].3.contains("nested deployment"), "{}", arm[1].3);
        let bicep = got("testdata/CONN002/fire/df-v1-variable.bicep");
        assert_eq!(
            bicep
                .iter()
                .map(|(l, c, x, _)| (*l, *c, *x))
                .collect::<Vec<_>>(),
            vec![(4, 20, false)]
        );
        assert!(bicep[0].3.contains("Data Factory v1"), "{}", bicep[0].3);
    }

    #[test]
    fn secure_parameters_in_every_engine() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/CONN002/fire/engines.bicep"
        ))
        .unwrap();
        let f = text_findings("engines.bicep", &text, "CONN002");
        let got: Vec<(usize, usize, &str)> = f
            .iter()
            .map(|f| (f.start.line, f.start.column, f.message.as_str()))
            .collect();
        let want = [
            (15, 49, "authentication=ActiveDirectoryMSI"),
            (16, 30, "PostgreSQL connection string"),
            (17, 33, "MySQL connection string"),
            (18, 33, "Azure Cache for Redis"),
            (20, 33, "Cosmos DB for MongoDB (RU) accepts only its keys"),
        ];
        assert_eq!(got.len(), want.len(), "{got:?}");
        for ((line, col, msg), (wl, wc, says)) in got.iter().zip(want) {
            assert_eq!((*line, *col), (wl, wc));
            assert!(msg.contains(says), "{msg}");
            assert!(!msg.contains("Active Directory Default"), "{msg}");
        }
        assert!(f.iter().all(|f| f.fix.is_none()));
    }

    /// A connection string in one branch of a condition says so.
    #[test]
    fn a_conditional_branch_is_named() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/CONN002/fire/branch.json"
        ))
        .unwrap();
        let f = text_findings("branch.json", &text, "CONN002");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (18, 24));
        assert!(
            f[0].message.contains("(in one branch of a condition)"),
            "{}",
            f[0].message
        );
    }

    /// The SqlClient Entra form is not written where the consumer cannot take it: an MSDeploy
    /// package parameter, an app at an apiVersion without identity, a server in the template
    /// with no Entra administrator; with an administrator, the fix is offered.
    #[test]
    fn sql_fix_only_where_the_consumer_can_take_it() {
        for (rel, expect, why) in [
            (
                "testdata/CONN002/fire/sql-consumers.json",
                vec![(15, 32, false), (27, 35, false)],
                "a deployed package or site extension",
            ),
            (
                "testdata/CONN002/fire/sql-no-admin.bicep",
                vec![(23, 29, false)],
                "no Microsoft Entra administrator",
            ),
            (
                "testdata/CONN002/fire/sql-admin.bicep",
                vec![(30, 29, true)],
                "Authentication=Active Directory Default",
            ),
            (
                "testdata/CONN002/fire/functions-v3.json",
                vec![(19, 24, false)],
                "upgrade `FUNCTIONS_EXTENSION_VERSION` first",
            ),
        ] {
            let f: Vec<_> = crate::testing::scan_fixture(rel)
                .findings
                .into_iter()
                .filter(|f| f.rule.id == "CONN002")
                .collect();
            let got: Vec<_> = f
                .iter()
                .map(|f| (f.start.line, f.start.column, f.fix.is_some()))
                .collect();
            assert_eq!(got, expect, "{rel}");
            assert!(f[0].message.contains(why), "{rel}: {}", f[0].message);
        }
    }

    /// The advice and the fix follow the service catalog and the consumer: Data Factory linked
    /// services (v2: the factory's identity; v1: none), an Azure Files content share (no identity
    /// form, keys stay on), MySQL and PostgreSQL by their port or the server type the string
    /// reads (no SqlClient fix), IoT Hub routing; the Functions host storage form nowhere.
    #[test]
    fn advice_follows_service_and_consumer() {
        type Want = &'static [(usize, usize, &'static str)];
        let expect: &[(&str, Want)] = &[
            (
                "consumers.json",
                &[
                    (16, 31, "factory's managed identity"),
                    (27, 31, "factory's managed identity"),
                    (
                        38,
                        31,
                        "Data Factory v1 linked services have no managed identity",
                    ),
                    (
                        53,
                        24,
                        "Azure Files content share has no identity-based connection",
                    ),
                    (57, 24, "MySQL connection string"),
                    (61, 24, "PostgreSQL connection string"),
                    (77, 37, "`Microsoft.Devices/IotHubs` 'hub'"),
                ],
            ),
            (
                "consumers.tf",
                &[
                    (6, 23, "factory's managed identity"),
                    (
                        21,
                        48,
                        "Azure Files content share has no identity-based connection",
                    ),
                    (22, 48, "MySQL connection string"),
                ],
            ),
            ("consumers.bicep", &[(10, 25, "factory's managed identity")]),
        ];
        for (file, want) in expect {
            let text = std::fs::read_to_string(format!(
                "{}/testdata/CONN002/fire/{file}",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            let f = text_findings(file, &text, "CONN002");
            assert_eq!(f.len(), want.len(), "{file}");
            for (got, (line, col, says)) in f.iter().zip(want.iter()) {
                assert_eq!((got.start.line, got.start.column), (*line, *col), "{file}");
                assert!(got.message.contains(says), "{file}: {}", got.message);
                assert!(
                    !got.message.contains("AzureWebJobsStorage__accountName")
                        && !got.message.contains("Active Directory Default"),
                    "{file}: {}",
                    got.message
                );
                assert!(
                    got.fix.is_none(),
                    "{file}:{line}: no fix fits this consumer"
                );
            }
        }
    }

    /// A connection string stored as a Key Vault secret's value is the recommended hand-off, not
    /// reported; the same key into an app setting in the same file still is. ARM (top-level and
    /// child secret), Bicep (`parent` and `vault/name` forms), Terraform.
    #[test]
    fn key_vault_secret_value_is_a_safe_sink() {
        for (f, want) in [
            ("kv-secret.json", vec![(44, 24)]),
            ("kv-secret.bicep", vec![(37, 18)]),
            ("kv-secret.tf", vec![(29, 18), (30, 18)]),
        ] {
            assert_eq!(
                hits(&format!("testdata/CONN002/fire/{f}"), "CONN002"),
                want,
                "{f}"
            );
            assert_eq!(
                hits(&format!("testdata/CONN002/silent/{f}"), "CONN002"),
                vec![],
                "{f}"
            );
            assert_eq!(
                hits(&format!("testdata/CONN002/silent/{f}"), "KEY007"),
                vec![],
                "{f}"
            );
        }
    }

    #[test]
    fn message_names_source_and_replacement() {
        let text = r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": { "sbName": { "type": "string" } },
  "variables": {
    "sb": "[concat('Endpoint=sb://', parameters('sbName'), '.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=', listKeys(resourceId('Microsoft.ServiceBus/namespaces/authorizationRules', parameters('sbName'), 'RootManageSharedAccessKey'), '2021-11-01').primaryKey)]"
  },
  "resources": []
}
"#;
        let f = text_findings("azuredeploy.json", text, "CONN002");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (6, 11));
        assert!(
            f[0].message.starts_with(
                "Service Bus connection string takes its `SharedAccessKey` from `listKeys()`"
            ),
            "{}",
            f[0].message
        );
        assert!(f[0].message.contains("__fullyQualifiedNamespace"));
        assert!(f[0].message.contains("signs in with a shared key"));
        assert_eq!(
            f[0].evidence.as_deref(),
            Some("SharedAccessKey=<listKeys()>")
        );
    }

    /// SQL and PostgreSQL passwords are passwords, not shared keys, and the evidence has no
    /// unbalanced backtick; in ARM, Bicep and Terraform.
    #[test]
    fn database_passwords_say_password() {
        for (rel, at, key, param) in [
            (
                "testdata/CONN002/fire/sql.bicep",
                (4, 21),
                "Password",
                "adminPassword",
            ),
            (
                "testdata/CONN002/fire/postgres.tf",
                (8, 12),
                "Password",
                "db_password",
            ),
            (
                "testdata/CONN002/fire/sql.json",
                (8, 22),
                "Password",
                "sqlPassword",
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule.id == "CONN002")
                .unwrap_or_else(|| panic!("{rel}: no CONN002"));
            assert_eq!((f.start.line, f.start.column), at, "{rel}");
            assert!(
                f.message.contains("signs in with a password"),
                "{}",
                f.message
            );
            assert!(!f.message.contains("shared key"), "{}", f.message);
            let ev = f.evidence.as_deref().unwrap_or_default();
            assert!(ev.starts_with(&format!("{key}=<")), "{rel}: {ev}");
            assert!(ev.contains(param), "{rel}: {ev}");
            assert_eq!(ev.matches('`').count() % 2, 0, "{rel}: {ev}");
        }
    }
}
