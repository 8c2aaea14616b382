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
    fn fires_on_arm_fixture() {
        assert_eq!(
            hits("testdata/MI003/fire/azuredeploy.json", "MI003"),
            vec![(6, 15), (14, 29), (20, 43), (26, 29), (30, 15)]
        );
    }

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
    /// literals, an ARM `union` of `createObject` calls.
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
        for f in ["spreads.bicep", "union.json"] {
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

    /// A key-auth switch a caller turns on through a local module's parameter.
    #[test]
    fn switches_passed_to_modules() {
        use crate::testing::hits;
        assert_eq!(
            hits("testdata/MI003/fire/bicep-module/main.bicep", "MI003"),
            vec![(8, 21), (17, 21)]
        );
        assert_eq!(
            hits("testdata/MI003/fire/terraform-module/main.tf", "MI003"),
            vec![(11, 16)]
        );
        for silent in [
            "testdata/MI003/silent/bicep-module/main.bicep",
            "testdata/MI003/silent/terraform-module/main.tf",
        ] {
            assert!(hits(silent, "MI003").is_empty(), "{silent}");
        }
    }
}
