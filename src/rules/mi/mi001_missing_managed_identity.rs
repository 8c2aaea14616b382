//! MI001 missing-managed-identity: an identity-capable resource that calls other services declares
//! no managed identity, so whatever it calls must be reached with keys or passwords.

use crate::analysis::identity::{
    capable, credential_setting, workflow_calls_identity_service, ResourceLinks,
};
use crate::analysis::resolve::{Resolver, Value};
use crate::finding::{Finding, Severity};
use crate::fix::offer::add_system_identity;
use crate::ir::{Dialect, Document, Expr, Identity, NodeKind, Resource};
use crate::rules::props::api_date;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct MissingManagedIdentity;
    id: "MI001",
    name: "missing-managed-identity",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "An identity-capable resource declares no managed identity (an error when it also carries keys or passwords in its settings).",
}

/// An identity written as an expression or without a type, when every value it resolves to is no
/// identity: `"identity": {}`, a type whose every value (a parameter default, both sides of a
/// conditional) is `None`, or `null`. `None` when any value is unknown or declares an identity.
fn resolved_no_identity(doc: &Document, r: &Resource) -> Option<String> {
    let rs = Resolver::new(doc, r.template);
    let identities: Vec<_> = rs
        .node(&r.body)
        .iter()
        .flat_map(|b| rs.member(b, "identity"))
        .collect();
    if identities.is_empty() {
        return None;
    }
    let mut param = None;
    let mut empty = false;
    for id in &identities {
        match &id.value {
            Value::Const(Expr::Null) => continue,
            Value::Node(n) if matches!(n.kind, NodeKind::Null) => continue,
            Value::Node(n) if matches!(&n.kind, NodeKind::Map(e) if e.is_empty()) => {
                empty = true;
                continue;
            }
            _ => {}
        }
        let types = rs.member(id, "type");
        if types.is_empty() {
            return None;
        }
        for t in &types {
            // (`None` is a value here, although a bare `none` reads as a stand-in elsewhere.)
            let text = match &t.value {
                Value::Node(n) => n.as_text().map(str::to_string),
                _ => t.text(),
            }?;
            if !text
                .split(',')
                .all(|p| p.trim().is_empty() || p.trim().eq_ignore_ascii_case("none"))
            {
                return None;
            }
            param = param.or_else(|| t.param().map(str::to_string));
        }
    }
    Some(match (param, empty) {
        (Some(p), _) => {
            let source = doc.param_value_source(r.template, &p);
            format!("sets its identity type to `None` ({source} parameter `{p}`)")
        }
        (None, true) => "declares an empty identity (`{}`: no managed identity)".to_string(),
        (None, false) => "sets its identity to no identity".to_string(),
    })
}

impl Rule for MissingManagedIdentity {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        let links = ResourceLinks::new(cx.doc);
        for (i, r) in cx.doc.resources.iter().enumerate() {
            if cx.out_of_time() {
                break;
            }
            if r.existing {
                continue;
            }
            let Some(cap) = capable(r) else {
                continue;
            };
            if cap.needs_call_evidence && !workflow_calls_identity_service(cx.doc, r) {
                continue;
            }
            // A later module deploys the same resource by name (the AVM pattern of a bare
            // resource configured afterwards): Azure ends with the module's configuration.
            let redeploy = crate::rules::props::later_redeploy(cx, r);
            if redeploy.is_some_and(|m| {
                m.args.iter().any(|a| {
                    a.key.eq_ignore_ascii_case("managedIdentities")
                        || a.key.eq_ignore_ascii_case("identity")
                })
            }) {
                continue;
            }
            let how = match &r.identity {
                Identity::Absent => "declares no managed identity".to_string(),
                Identity::None { .. } => "sets its identity type to `None`".to_string(),
                Identity::Dynamic { .. } => match resolved_no_identity(cx.doc, r) {
                    Some(how) => how,
                    None => continue,
                },
                Identity::Declared { .. } => continue,
            };
            let tf = r.dialect == Dialect::Terraform;
            let fix = if tf {
                "add `identity { type = \"SystemAssigned\" }` (or a user-assigned identity) and grant it a data-plane role on what it calls"
            } else {
                "add `\"identity\": { \"type\": \"SystemAssigned\" }` (or a user-assigned identity) and grant it a data-plane role on what it calls"
            };
            let settings = links.resource_settings(i);
            let mut creds: Vec<(String, &str)> = settings
                .iter()
                .filter_map(|s| credential_setting(s).map(|why| (s.name.clone(), why)))
                .collect();
            // Name a setting that has an identity-based form first: `AzureWebJobsDashboard`
            // (legacy) and the Azure Files content share have none.
            creds.sort_by_key(|(name, _)| no_identity_form(name).is_some());
            let what = if tf {
                format!("{} `{}`", cap.label, r.symbol.as_deref().unwrap_or(&r.name))
            } else {
                cap.label.to_string()
            };
            let evidence = if cap.needs_key_evidence {
                match links.key_evidence(i) {
                    Some(e) => Some(e),
                    // Nothing shows it calling another service with a key: not flagged.
                    None if creds.is_empty() => continue,
                    None => None,
                }
            } else {
                None
            };
            let mut f = Finding::new(&META, r.head_span, format!("{what} {how}"));
            if let (Some(e), true) = (&evidence, creds.is_empty()) {
                // Name and locate the resource that holds the key when it is another one (an
                // extension, a Terraform resource referencing this one).
                let holder = match e.other.and_then(|j| cx.doc.resources.get(j)) {
                    Some(o) => {
                        let (line, col) = cx.file.line_col(e.span.start);
                        let name =
                            crate::finding::shown_name(o.symbol.as_deref().unwrap_or(&o.name));
                        // Terraform symbols carry their type (`azurerm_x.name`)
                        if o.dialect == Dialect::Terraform {
                            format!("in `{name}` at line {line}, column {col}")
                        } else {
                            format!("in {} `{name}` at line {line}, column {col}", o.azure_type)
                        }
                    }
                    None => "in its own properties".to_string(),
                };
                f.message = format!("{what} {how} and uses a key instead: `{}` {holder}", e.key);
                f = f.severity(Severity::Error).evidence(e.key.clone());
            }
            if let Some((name, why)) = creds.first() {
                f.message = format!(
                    "{what} {how} and authenticates with keys instead: setting `{name}` holds {why}{}",
                    if creds.len() > 1 {
                        format!(" (and {} more)", creds.len() - 1)
                    } else {
                        String::new()
                    }
                );
                f = f.severity(Severity::Error).evidence(name.clone());
            }
            // A resource whose name comes from an `existing…` parameter or variable is one the
            // template updates, not creates: an identity belongs where it is created.
            let updates_existing = r.body.get("name").is_some_and(|n| {
                n.as_expr().is_some_and(|e| {
                    e.parameter_refs()
                        .into_iter()
                        .chain(e.variable_refs())
                        .any(|p| p.to_ascii_lowercase().starts_with("existing"))
                })
            });
            // An apiVersion older than the first one with `identity` (the catalog's `min_api`):
            // raise it first; no fix adds a property that version does not have.
            let old_api = r
                .body
                .get("apiVersion")
                .filter(|_| !tf)
                .and_then(|n| n.as_text())
                .filter(|v| api_date(v) < api_date(cap.min_api));
            // A container group in a virtual network through a network profile (the older way):
            // managed identity was not supported there.
            let vnet_profile = r.is_type("Microsoft.ContainerInstance/containerGroups")
                && r.body.path(&["properties", "networkProfile"]).is_some();
            let mut help = fix.to_string();
            for (name, _) in &creds {
                if let Some(why) = no_identity_form(name) {
                    help.push_str(&format!("; `{name}` {why}"));
                }
            }
            if let Some(v) = old_functions_runtime(&settings) {
                help.push_str(&format!(
                    "; the app runs Functions `{v}`, and identity-based connections \
                     (`AzureWebJobsStorage__accountName`, `<Connection>__fullyQualifiedNamespace`) \
                     need runtime `~4`: upgrade `FUNCTIONS_EXTENSION_VERSION` to `~4` first"
                ));
            }
            if let Some(v) = old_api {
                help = format!(
                    "`identity` needs apiVersion {} or later ({}) and this resource uses {v}: \
                     raise the apiVersion first (check the properties the newer version expects), \
                     then {help}",
                    cap.min_api, cap.label
                );
            }
            if vnet_profile {
                help.push_str(
                    "; a container group joined to a virtual network through `networkProfile` \
                     cannot have a managed identity: move it to `subnetIds` at a recent apiVersion \
                     first",
                );
            }
            if let Some(m) = redeploy {
                help.push_str(&format!(
                    "; `module {}` deploys this resource again by name and Azure ends with its \
                     configuration: give the identity in that module's arguments",
                    m.name
                ));
            }
            let identity_fix =
                if updates_existing || old_api.is_some() || vnet_profile || redeploy.is_some() {
                    None
                } else {
                    add_system_identity(&cx.file.text, cx.format, r)
                };
            out.push(f.help(help).with_fix(identity_fix));
        }
    }
}

/// Why a Functions / App Service setting has no identity-based form, for settings that hold a
/// key but cannot move to an identity.
fn no_identity_form(name: &str) -> Option<&'static str> {
    if name.eq_ignore_ascii_case("AzureWebJobsDashboard") {
        Some(
            "is a legacy setting with no identity-based form (the Functions dashboard is retired): \
             remove it and use Application Insights",
        )
    } else if name.eq_ignore_ascii_case("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING") {
        Some(
            "is the Azure Files content share, which has no identity-based connection: keep it \
             in a Key Vault reference",
        )
    } else {
        None
    }
}

/// The `FUNCTIONS_EXTENSION_VERSION` of an app when it is older than `~4` (`~1`, `~2`, `~3`):
/// identity-based connections need Functions 4.x.
fn old_functions_runtime<'a>(settings: &[&'a crate::ir::Setting]) -> Option<&'a str> {
    settings
        .iter()
        .filter(|s| s.name.eq_ignore_ascii_case("FUNCTIONS_EXTENSION_VERSION"))
        .find_map(|s| s.value.as_text())
        .filter(|v| matches!(v.trim(), "~1" | "~2" | "~3" | "1" | "2" | "3"))
}

#[cfg(test)]
mod tests {
    use crate::testing::text_findings;

    /// An apiVersion older than the first with `identity` (the catalog's `min_api`): the help
    /// says to raise it first and no fix adds a property that version does not have; a current
    /// apiVersion gets the fix (ARM and Bicep; Terraform has no apiVersion).
    #[test]
    fn old_api_versions_are_told_to_raise_first_and_get_no_fix() {
        for (rel, expect) in [
            (
                "testdata/MI001/fire/old-api.json",
                vec![(6, 15, false), (11, 15, false), (16, 15, true)],
            ),
            (
                "testdata/MI001/fire/old-api.bicep",
                vec![(1, 1, false), (9, 1, true)],
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let got: Vec<(usize, usize, bool)> = report
                .findings
                .iter()
                .filter(|f| f.rule.id == "MI001")
                .map(|f| (f.start.line, f.start.column, f.fix.is_some()))
                .collect();
            assert_eq!(got, expect, "{rel}");
            let old = report
                .findings
                .iter()
                .find(|f| f.rule.id == "MI001" && f.fix.is_none())
                .unwrap();
            assert!(
                old.help.as_deref().unwrap_or("").contains(
                    "`identity` needs apiVersion 2020-01-13-preview or later (Automation account) \
                     and this resource uses 2015-10-31: raise the apiVersion first"
                ),
                "{rel}: {:?}",
                old.help
            );
        }
    }

    /// A Function App whose settings hold keys: the message names `AzureWebJobsStorage` (which
    /// has an identity-based form), not the legacy `AzureWebJobsDashboard`, which the help says
    /// to remove; on runtime `~1`..`~3` the help says to upgrade to `~4` first (ARM and Bicep).
    #[test]
    fn function_app_names_the_movable_setting_and_the_runtime() {
        for (rel, at, version) in [
            (
                "testdata/MI001/fire/function-legacy.json",
                (10, 15),
                Some("~3"),
            ),
            ("testdata/MI001/fire/function-legacy.json", (26, 15), None),
            (
                "testdata/MI001/fire/function-legacy.bicep",
                (5, 1),
                Some("~2"),
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule.id == "MI001" && (f.start.line, f.start.column) == at)
                .unwrap_or_else(|| panic!("{rel}: no MI001 at {at:?}"));
            assert!(
                f.message.contains("setting `AzureWebJobsStorage`"),
                "{rel}: {}",
                f.message
            );
            let help = f.help.as_deref().unwrap_or("");
            match version {
                Some(v) => {
                    assert!(
                        help.contains("`AzureWebJobsDashboard` is a legacy setting")
                            && help.contains("remove it"),
                        "{rel}: {help}"
                    );
                    assert!(
                        help.contains(&format!("runs Functions `{v}`"))
                            && help.contains("upgrade `FUNCTIONS_EXTENSION_VERSION` to `~4` first"),
                        "{rel}: {help}"
                    );
                }
                None => assert!(!help.contains("upgrade"), "{rel}: {help}"),
            }
        }
    }

    /// The page says which types are flagged only when a key is in use, and the catalog does
    /// exactly that.
    #[test]
    fn page_and_catalog_agree_on_key_evidence_types() {
        let doc = super::META.doc.replace('\n', " ");
        let marker = "Flagged only when a key is in use (the catalog's `keys` rows): ";
        let start = doc.find(marker).expect("MI001 page lists the `keys` rows") + marker.len();
        let list = &doc[start..start + doc[start..].find('.').unwrap_or(0)];
        let mut on_page: Vec<&str> = list.split(", ").map(str::trim).collect();
        let mut in_catalog: Vec<&str> = crate::analysis::identity::catalog()
            .iter()
            .filter(|c| c.needs_key_evidence)
            .map(|c| c.label)
            .collect();
        on_page.sort_unstable();
        in_catalog.sort_unstable();
        in_catalog.dedup();
        assert_eq!(on_page, in_catalog);
    }

    /// An error raised because another resource holds the key names and locates it, in ARM,
    /// Bicep and Terraform.
    #[test]
    fn key_in_another_resource_is_named_and_located() {
        for (rel, at, holder) in [
            (
                "testdata/MI001/fire/vm-extension.json",
                (10, 15),
                "`storageAccountKey` in Microsoft.Compute/virtualMachines/extensions \
                 `[concat(parameters('vmName'), '/CustomScript')]` at line 27, column 32",
            ),
            (
                "testdata/MI001/fire/vm-extension.bicep",
                (7, 1),
                "`storageAccountKey` in Microsoft.Compute/virtualMachines/extensions `script` at \
                 line 23, column 26",
            ),
            (
                "testdata/MI001/fire/main.tf",
                (17, 1),
                "`protected_settings` in `azurerm_virtual_machine_extension.script` at line 24, \
                 column 24",
            ),
        ] {
            let report = crate::testing::scan_fixture(rel);
            let f = report
                .findings
                .iter()
                .find(|f| f.rule.id == "MI001" && (f.start.line, f.start.column) == at)
                .unwrap_or_else(|| panic!("{rel}: no MI001 at {at:?}"));
            assert_eq!(f.severity, crate::finding::Severity::Error);
            assert!(f.message.ends_with(holder), "{rel}: {}", f.message);
        }
    }

    /// A resource named by an `existing…` parameter is one the template updates: reported, but
    /// no fix adds an identity to it.
    #[test]
    fn no_identity_fix_on_a_resource_the_template_updates() {
        let report = crate::testing::scan_fixture("testdata/MI001/fire/existing-app.json");
        let f: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule.id == "MI001")
            .collect();
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (9, 15));
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn error_when_settings_carry_keys() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI001/fire/azuredeploy.json"
        ))
        .unwrap();
        let f = text_findings("azuredeploy.json", &text, "MI001");
        assert_eq!(f[0].severity, crate::finding::Severity::Warning);
        assert_eq!(f[1].severity, crate::finding::Severity::Error);
        assert!(
            f[1].message.contains("AzureWebJobsStorage"),
            "{}",
            f[1].message
        );
        assert!(!f[1].message.contains("AccountKey=abc"));
        assert!(f[2].message.contains("`None`"));
        assert_eq!(f[3].severity, crate::finding::Severity::Error);
        assert!(
            f[3].message.contains("storageAccountKey"),
            "{}",
            f[3].message
        );
    }

    /// Past the per-file deadline the rule stops where it is and says so through the context;
    /// the scan then names it in INPUT011.
    #[test]
    fn stops_at_the_deadline() {
        use crate::rules::{Context, Rule};
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI001/fire/azuredeploy.json"
        );
        let text = std::fs::read_to_string(path).unwrap();
        let file = crate::source::SourceFile::new(
            path.into(),
            "azuredeploy.json".into(),
            text,
            crate::source::Format::Json,
        );
        let parsed = crate::parse::parse(&file);
        let settings = crate::rules::Settings::default();
        let run = |cx: &Context| {
            let mut out = Vec::new();
            super::MissingManagedIdentity.check(cx, &mut out);
            out.len()
        };
        let cx = Context::new(&file, parsed.format, &parsed.doc, settings);
        assert_eq!(run(&cx), 4);
        assert!(!cx.was_late());
        let far = std::time::Instant::now() + std::time::Duration::from_secs(3600);
        let cx = Context::new(&file, parsed.format, &parsed.doc, settings).with_deadline(far);
        assert_eq!(run(&cx), 4);
        assert!(!cx.was_late());
        let past = std::time::Instant::now();
        let cx = Context::new(&file, parsed.format, &parsed.doc, settings).with_deadline(past);
        assert_eq!(run(&cx), 0);
        assert!(cx.was_late());
    }
}
