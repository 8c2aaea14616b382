//! MI003 key-auth-enabled: a service that accepts Entra ID tokens still accepts its shared keys,
//! SAS keys, admin user or local accounts. The per-service switches are the MI003 rows of
//! `rules/property-checks.tsv`.

use crate::finding::Finding;
use crate::rules::{props, Context, Rule};

crate::rules::declare_rule! {
    pub struct KeyAuthEnabled;
    id: "MI003",
    name: "key-auth-enabled",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "A service keeps key-based authentication (shared keys, SAS/access keys, admin user, local accounts, passwords) enabled next to Entra ID.",
    absorbs: ["MI001"],
}

/// The switches are rows of `rules/property-checks.tsv`.
static MESSAGES: props::Messages = props::Messages {
    set: "key-based access left on ({what}): `{path}` keeps it on",
    absent:
        "key-based access left on ({what}): `{path}` is not set and the service default allows it",
    help: "set {good} and have clients authenticate with a managed identity",
    fix: Some(props::FixText {
        description: "turn off {what}",
        follow_up: "move every client of this service to a managed identity with a data-plane role first: \
                    clients that still use its keys, SAS tokens, admin user or local accounts stop working",
    }),
};

impl Rule for KeyAuthEnabled {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        props::check(&META, &MESSAGES, cx, out);
    }
}

#[cfg(test)]
mod tests {
    use crate::testing::{hits, text_findings};

    #[test]
    fn messages_name_the_switch() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI003/fire/azuredeploy.json"
        ))
        .unwrap();
        let f = text_findings("azuredeploy.json", &text, "MI003");
        assert!(f[0]
            .message
            .starts_with("key-based access left on (storage shared key access)"));
        assert!(f[2].message.contains("admin user"), "{}", f[2].message);
        assert!(f[0]
            .help
            .as_deref()
            .unwrap()
            .contains("\"allowSharedKeyAccess\": false"));
    }

    /// IoT Hub local (SAS) authentication, in every dialect.
    #[test]
    fn iot_hub_local_authentication() {
        for (f, want) in [
            ("iothub.json", vec![(12, 29), (16, 15)]),
            ("iothub.bicep", vec![(11, 23)]),
            ("iothub.tf", vec![(1, 1), (16, 34)]),
        ] {
            assert_eq!(
                hits(&format!("testdata/MI003/fire/{f}"), "MI003"),
                want,
                "{f}"
            );
            assert!(
                hits(&format!("testdata/MI003/silent/{f}"), "MI003").is_empty(),
                "{f}"
            );
        }
    }

    /// A spread or `union()` hides only what it can set: a Bicep conditional spread of object
    /// literals, an ARM `union` of `createObject` calls, a Bicep `union` of object literals.
    #[test]
    fn spreads_hide_only_what_they_can_set() {
        assert_eq!(
            hits("testdata/MI003/fire/spreads.bicep", "MI003"),
            vec![(15, 27)]
        );
        assert_eq!(
            hits("testdata/MI003/fire/union.json", "MI003"),
            vec![(15, 21)]
        );
        // A Bicep `union()`: its object literals' members stay visible.
        assert_eq!(
            hits("testdata/MI003/fire/union.bicep", "MI003"),
            vec![(10, 23), (28, 29)]
        );
        for f in ["spreads.bicep", "union.json", "union.bicep"] {
            assert!(
                hits(&format!("testdata/MI003/silent/{f}"), "MI003").is_empty(),
                "{f}"
            );
        }
    }

    /// A switch passed to a registry module missing from the local cache is judged by the
    /// argument's name and value (every value it can have must be at fault).
    #[test]
    fn switches_passed_to_unread_registry_modules() {
        assert_eq!(
            hits("testdata/MI003/fire/unread-registry.bicep", "MI003"),
            vec![(9, 23), (17, 27)]
        );
        assert_eq!(
            hits("testdata/MI003/fire/unread-registry.tf", "MI003"),
            vec![(7, 31), (14, 19), (21, 34)]
        );
        for f in ["unread-registry.bicep", "unread-registry.tf"] {
            assert!(
                hits(&format!("testdata/MI003/silent/{f}"), "MI003").is_empty(),
                "{f}"
            );
        }
    }

    #[test]
    fn silent_on_arm_fixture() {
        assert!(hits("testdata/MI003/silent/azuredeploy.json", "MI003").is_empty());
    }

    #[test]
    fn fires_on_terraform_fixture() {
        assert_eq!(
            hits("testdata/MI003/fire/main.tf", "MI003"),
            vec![(1, 1), (8, 24), (13, 19), (20, 37)]
        );
    }

    #[test]
    fn silent_on_terraform_fixture() {
        assert!(hits("testdata/MI003/silent/main.tf", "MI003").is_empty());
    }

    /// The service catalog decides per API kind: Cosmos DB for NoSQL is asked to turn local auth
    /// off; MongoDB, Cassandra, Gremlin (keys only) and Table (Entra in preview) are not.
    #[test]
    fn cosmos_apis_follow_the_catalog() {
        assert_eq!(
            hits("testdata/MI003/fire/cosmos-nosql.bicep", "MI003"),
            vec![(3, 1)]
        );
        for silent in ["cosmos-apis.bicep", "cosmos-apis.tf", "cosmos-apis.json"] {
            assert!(
                hits(&format!("testdata/MI003/silent/{silent}"), "MI003").is_empty(),
                "{silent}"
            );
        }
    }

    /// `(line, column, severity, has a fix)` of each MI003 finding of a fixture.
    fn mi003(rel: &str) -> Vec<(usize, usize, &'static str, bool)> {
        crate::testing::scan_fixture(rel)
            .findings
            .iter()
            .filter(|f| f.rule.id == "MI003")
            .map(|f| {
                (
                    f.start.line,
                    f.start.column,
                    f.severity.as_str(),
                    f.fix.is_some(),
                )
            })
            .collect()
    }

    fn mi003_findings(rel: &str) -> Vec<crate::finding::Finding> {
        crate::testing::scan_fixture(rel)
            .findings
            .into_iter()
            .filter(|f| f.rule.id == "MI003")
            .collect()
    }

    /// What uses a storage account's key in the same deployment (rules/key-consumers.tsv) keeps
    /// the fix away and is named in the help; where every consumer has no identity-based form
    /// the finding is a note. ARM: boot diagnostics, an unmanaged disk, a deployment script's
    /// storage, Batch auto-storage, a cloud witness, a Machine Learning workspace.
    #[test]
    fn key_consumers_block_the_fix_arm() {
        let rel = "testdata/MI003/fire/consumers/consumers.json";
        assert_eq!(
            mi003(rel),
            vec![
                (16, 15, "warning", false),
                (25, 15, "note", false),
                (34, 15, "note", false),
                (43, 15, "warning", false),
                (52, 15, "note", false),
                (61, 15, "warning", false),
            ]
        );
        let f = mi003_findings(rel);
        let help = |i: usize| f[i].help.clone().unwrap_or_default();
        assert!(help(0).contains("managed boot diagnostics"), "{}", help(0));
        assert!(f[0].message.contains("boot diagnostics"));
        assert!(help(1).contains("migrate the virtual machine to managed disks"));
        assert!(f[1].message.contains("which has no identity-based form"));
        assert!(help(2).contains("deployment script"));
        assert!(help(3).contains("BatchAccountManagedIdentity"));
        assert!(help(4).contains("cloud witness"));
        assert!(help(5).contains("systemDatastoresAuthMode"));
        // Batch with its identity, a workspace with identity datastores, managed boot
        // diagnostics: nothing in the way, the fix is offered.
        assert_eq!(
            mi003("testdata/MI003/fire/consumers/consumers-fixable.json"),
            vec![(10, 15, "warning", true), (19, 15, "warning", true)]
        );
    }

    /// Bicep: boot diagnostics, file shares only (SMB), an Azure Files mount (a note), and a
    /// value written `true` with a comment explaining it (no fix).
    #[test]
    fn key_consumers_block_the_fix_bicep() {
        let rel = "testdata/MI003/fire/consumers/consumers.bicep";
        assert_eq!(
            mi003(rel),
            vec![
                (1, 1, "warning", false),
                (8, 1, "warning", false),
                (21, 1, "note", false),
                (34, 27, "warning", false),
            ]
        );
        let f = mi003_findings(rel);
        assert!(f[1]
            .help
            .as_deref()
            .unwrap()
            .contains("identity-based SMB access"));
        assert!(f[2].message.contains("Azure Files share"));
        assert!(f[3].help.as_deref().unwrap().contains("written on purpose"));
    }

    /// A Service Fabric cluster's support-log storage (read with the key named by
    /// `protectedAccountKeyName`): a note, no fix; a Key Vault secret holding the key of an
    /// account that turns shared key access on in so many words: no fix, the help names the
    /// secret; the same secret without the explicit `true` keeps the fix (ARM, Bicep,
    /// Terraform). A calling test that passes the account to a cluster module as its
    /// diagnostics storage (Bicep).
    #[test]
    fn service_fabric_diagnostics_and_kept_key_secrets() {
        for (rel, expect) in [
            (
                "testdata/MI003/fire/consumers/fabric-secret.json",
                vec![(10, 15, "note", false), (41, 33, "warning", false)],
            ),
            (
                "testdata/MI003/fire/consumers/fabric-secret.bicep",
                vec![
                    (1, 1, "note", false),
                    (29, 27, "warning", false),
                    (45, 1, "warning", true),
                ],
            ),
            (
                "testdata/MI003/fire/consumers/fabric-secret.tf",
                vec![(1, 1, "note", false), (33, 31, "warning", false)],
            ),
        ] {
            assert_eq!(mi003(rel), expect, "{rel}");
            let f = mi003_findings(rel);
            let help = |i: usize| f[i].help.clone().unwrap_or_default();
            assert!(
                help(0).contains("protectedAccountKeyName"),
                "{rel}: {}",
                help(0)
            );
            assert!(
                f[0].message.contains("Service Fabric"),
                "{rel}: {}",
                f[0].message
            );
            assert!(help(1).contains("Key Vault secret"), "{rel}: {}", help(1));
            assert!(help(1).contains("on purpose"), "{rel}: {}", help(1));
        }
        let f = mi003_findings("testdata/MI003/fire/consumers/sf-caller/dependencies.bicep");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 3, 1));
        assert!(f[0].fix.is_none());
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.contains("main.test.bicep (module `cluster/main.bicep`)")
                && help.contains("protectedAccountKeyName"),
            "{help}"
        );
    }

    /// Boot diagnostics in a sibling template that builds the account's blob URI by hand
    /// (`concat('http://', name, '.blob.core.windows.net')`, `${environment().suffixes.storage}`):
    /// the account (the only one, or the one named for diagnostics) is their consumer; another
    /// account in the same file keeps its fix (ARM, Bicep).
    #[test]
    fn boot_diagnostics_in_a_sibling_with_a_hand_built_uri() {
        let f = mi003_findings("testdata/MI003/fire/consumers/boot-sibling/storage.json");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 9, 15));
        assert!(f[0].fix.is_none());
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.contains("boot diagnostics") && help.contains("(in `vm.json`)"),
            "{help}"
        );
        assert_eq!(
            mi003("testdata/MI003/fire/consumers/boot-sibling-bicep/storage.bicep"),
            vec![(3, 1, "warning", false), (10, 1, "warning", true)]
        );
        let f = mi003_findings("testdata/MI003/fire/consumers/boot-sibling-bicep/storage.bicep");
        assert!(f[0].help.as_deref().unwrap().contains("(in `vm.bicep`)"));
    }

    /// A resource deployed bare and then again by a later module of the same name (the AVM
    /// pattern): the module's arguments are what Azure ends with. The bare declaration gets no
    /// fix and the message names the module; where the module turns keys off, nothing is
    /// reported, and MI001 is silent where the module gives an identity.
    #[test]
    fn a_later_module_of_the_same_name_decides() {
        let rel = "testdata/MI003/fire/redeploy-module/main.bicep";
        let f = mi003_findings(rel);
        let bare: Vec<_> = f.iter().filter(|f| f.start.line == 4).collect();
        assert_eq!(bare.len(), 1, "{f:?}");
        assert_eq!(bare[0].start.column, 1);
        assert!(bare[0].fix.is_none());
        assert!(
            bare[0].message.contains("`module searchUpdate` at line 10"),
            "{}",
            bare[0].message
        );
        let report = crate::testing::scan_fixture(rel);
        assert!(!report
            .findings
            .iter()
            .any(|f| f.rule.id == "MI001" && f.start.line == 4));
        assert!(
            mi003_findings("testdata/MI003/silent/redeploy-module/main.bicep")
                .iter()
                .all(|f| f.start.line != 4)
        );
    }

    /// Consumers in another template of the same deployment (ARM linked templates): a nested
    /// template linked from this file through a variable built from `_artifactsLocation` that
    /// points boot diagnostics at the account; a sibling under `nested/<provider>/` linked from
    /// the main template two folders up that reads the key with `listKeys()`; the main template
    /// above `prereqs/` that reads the key of an account ID from a parameter. No fix, the help
    /// names the template; the same link with managed boot diagnostics keeps the fix.
    #[test]
    fn key_consumers_in_linked_templates() {
        for (rel, at, named) in [
            (
                "testdata/MI003/fire/consumers/linked/azuredeploy.json",
                (14, 15),
                "(in `nestedtemplates/vmss.json`)",
            ),
            (
                "testdata/MI003/fire/consumers/nested-provider/nested/microsoft.storage/account.json",
                (9, 15),
                "(in `nested/microsoft.sql/auditing.json`)",
            ),
            (
                "testdata/MI003/fire/consumers/prereq/prereqs/prereq.json",
                (9, 15),
                "(in `../azuredeploy.json`)",
            ),
        ] {
            assert_eq!(mi003(rel), vec![(at.0, at.1, "warning", false)], "{rel}");
            let f = mi003_findings(rel);
            let help = f[0].help.as_deref().unwrap_or("");
            assert!(help.contains(named), "{rel}: {help}");
        }
        assert_eq!(
            mi003("testdata/MI003/fire/consumers/linked-clean/azuredeploy.json"),
            vec![(14, 15, "warning", true)]
        );
    }

    /// A deployment script handed the account (arguments, environment variables, command line)
    /// that shows no identity sign-in (`-UseConnectedAccount`, `--auth-mode login`) uses the key:
    /// no fix, the help names it; the script that signs in with its identity keeps the fix
    /// (ARM, Bicep, Terraform).
    #[test]
    fn deployment_script_handed_the_account_uses_its_key() {
        for (rel, key, login) in [
            (
                "testdata/MI003/fire/consumers/script-key.json",
                (6, 15),
                (15, 15),
            ),
            (
                "testdata/MI003/fire/consumers/script-key.bicep",
                (1, 1),
                (8, 1),
            ),
            (
                "testdata/MI003/fire/consumers/script-key.tf",
                (6, 1),
                (14, 1),
            ),
        ] {
            assert_eq!(
                mi003(rel),
                vec![
                    (key.0, key.1, "warning", false),
                    (login.0, login.1, "warning", true)
                ],
                "{rel}"
            );
            let f = mi003_findings(rel);
            let help = f[0].help.as_deref().unwrap_or("");
            assert!(
                f[0].message
                    .contains("deployment script handed the account")
                    && help.contains("-UseConnectedAccount")
                    && help.contains("--auth-mode login"),
                "{rel}: {} / {help}",
                f[0].message
            );
            assert!(!f[1].message.contains("deployment script"), "{rel}");
        }
    }

    /// Templates beside this one: a sibling nested template that reads a storage account's keys,
    /// and a Bicep test file that passes this file's account to a Batch module in `StorageKeys`
    /// mode. Both are named in the help; no fix.
    #[test]
    fn key_consumers_in_nearby_templates() {
        let f = mi003_findings("testdata/MI003/fire/consumers/nested/storage.json");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 7, 15));
        assert!(f[0].fix.is_none());
        assert!(f[0].help.as_deref().unwrap().contains("(in `reader.json`)"));
        // The calling test passes the account to a module that reads its keys.
        let f =
            mi003_findings("testdata/MI003/fire/consumers/bicep-caller-keys/dependencies.bicep");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 3, 1));
        assert!(f[0].fix.is_none());
        assert!(f[0]
            .help
            .as_deref()
            .unwrap()
            .contains("module `module/main.bicep`"));
        // The sibling reads the key through a variable holding the account's resource ID.
        let f = mi003_findings("testdata/MI003/fire/consumers/nested-var/storage.json");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 7, 15));
        assert!(f[0].fix.is_none());
        assert!(f[0].help.as_deref().unwrap().contains("(in `web.json`)"));
        // The 2015-06-15 shape with an apiVersion from a parameter: no fix.
        let f = mi003_findings("testdata/MI003/fire/consumers/old-shape.json");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 9, 15));
        assert!(f[0].fix.is_none());
        assert!(f[0].help.as_deref().unwrap().contains("2015-06-15 shape"));
        let f = mi003_findings("testdata/MI003/fire/consumers/bicep-caller/dependencies.bicep");
        assert_eq!((f.len(), f[0].start.line, f[0].start.column), (1, 3, 1));
        assert!(f[0].fix.is_none());
        let help = f[0].help.as_deref().unwrap();
        assert!(
            help.contains("main.test.bicep") && help.contains("BatchAccountManagedIdentity"),
            "{help}"
        );
    }

    /// Terraform: the fix sets `storage_use_azuread = true` in the file's provider block; with
    /// no provider block in the file, data-plane resources on the account keep the fix away and
    /// a plain account's fix says to set the flag; a provider in another file of the module that
    /// sets it is enough. Boot diagnostics and unmanaged disks as in ARM.
    #[test]
    fn terraform_provider_and_consumers() {
        let rel = "testdata/MI003/fire/consumers/tf-provider/main.tf";
        assert_eq!(
            mi003(rel),
            vec![
                (5, 1, "warning", true),
                (18, 1, "warning", false),
                (36, 1, "note", false),
            ]
        );
        let f = mi003_findings(rel);
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI003/fire/consumers/tf-provider/main.tf"
        ))
        .unwrap();
        let fix = f[0].fix.as_ref().unwrap();
        let fixed = crate::fix::splice(&text, &fix.edits.iter().collect::<Vec<_>>());
        assert!(fixed.contains("storage_use_azuread = true"), "{fixed}");
        assert!(
            fixed.contains("shared_access_key_enabled = false"),
            "{fixed}"
        );
        assert!(fix.description.contains("storage_use_azuread"));
        let none = mi003_findings("testdata/MI003/fire/consumers/tf-noprovider/main.tf");
        assert_eq!((none[0].start.line, none[0].start.column), (1, 1));
        assert!(none[0].fix.is_none());
        assert!(none[0]
            .help
            .as_deref()
            .unwrap()
            .contains("storage_use_azuread = true"));
        let plain = mi003_findings("testdata/MI003/fire/consumers/tf-noprovider-plain/main.tf");
        assert_eq!((plain[0].start.line, plain[0].start.column), (1, 1));
        let fix = plain[0]
            .fix
            .as_ref()
            .expect("a fix that names the provider flag");
        match &fix.safety {
            crate::fix::Safety::Unsafe { follow_up } => {
                assert!(
                    follow_up.contains("storage_use_azuread = true"),
                    "{follow_up}"
                )
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            mi003("testdata/MI003/fire/consumers/tf-azuread/main.tf"),
            vec![(1, 1, "warning", true)]
        );
        // A container named `vhds` is no virtual machine: what needs the key is Terraform.
        let vhds = mi003_findings("testdata/MI003/fire/consumers/tf-vhds-container/main.tf");
        assert_eq!((vhds[0].start.line, vhds[0].start.column), (1, 1));
        assert_eq!(vhds[0].severity.as_str(), "warning");
        assert!(vhds[0].fix.is_none());
        let help = vhds[0].help.as_deref().unwrap();
        assert!(
            !help.contains("unmanaged disk") && help.contains("storage_use_azuread"),
            "{help}"
        );
    }

    /// Azure AI services take Entra tokens only on a custom subdomain endpoint: an account
    /// without one gets the finding with that advice and no fix; one with it gets the fix.
    #[test]
    fn cognitive_accounts_need_a_custom_subdomain_first() {
        for (rel, expect) in [
            (
                "testdata/MI003/fire/consumers/cognitive.bicep",
                vec![(1, 1, "warning", false), (9, 1, "warning", true)],
            ),
            (
                "testdata/MI003/fire/consumers/cognitive.tf",
                vec![(1, 1, "warning", false), (9, 1, "warning", true)],
            ),
            (
                "testdata/MI003/fire/consumers/cognitive.json",
                vec![(6, 15, "warning", false)],
            ),
        ] {
            assert_eq!(mi003(rel), expect, "{rel}");
            let f = mi003_findings(rel);
            assert!(
                f[0].help.as_deref().unwrap().contains("custom subdomain"),
                "{rel}"
            );
        }
    }

    /// A key-auth switch a caller turns on through a local module's parameter.
    #[test]
    fn switches_passed_to_modules() {
        use crate::testing::hits;
        for silent in [
            "testdata/MI003/silent/bicep-module/main.bicep",
            "testdata/MI003/silent/terraform-module/main.tf",
        ] {
            assert!(hits(silent, "MI003").is_empty(), "{silent}");
        }
    }
}
