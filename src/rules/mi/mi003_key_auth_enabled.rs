//! MI003 key-auth-enabled: a service that accepts Entra ID tokens still accepts its shared keys,
//! SAS keys, admin user or local accounts. The per-service switches live in `rules/key-auth.tsv`.

use std::sync::OnceLock;

use crate::analysis::identity::body_path;
use crate::finding::{Family, Finding, RuleMeta, Severity};
use crate::ir::{Dialect, Node, NodeKind, Resource, StrClass};
use crate::rules::{Context, Rule};

pub static META: RuleMeta = RuleMeta {
    id: "MI003",
    name: "key-auth-enabled",
    family: Family::Mi,
    default_severity: Severity::Warning,
    summary: "A service keeps key-based authentication (shared keys, SAS/access keys, admin user, local accounts, passwords) enabled next to Entra ID.",
    security_severity: 5.0,
    doc: include_str!("../../../rules/MI003.md"),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bad {
    /// Key auth on unless the value is this literal boolean.
    UnlessBool(bool),
    /// Key auth on only when the value is literal `true`.
    IfTrue,
    /// Key auth on unless the value is this word.
    UnlessWord(&'static str),
}

#[derive(Debug)]
struct Switch {
    arm_type: &'static str,
    arm_path: Vec<&'static str>,
    arm_bad: Bad,
    arm_absent_fires: bool,
    tf_types: Vec<&'static str>,
    tf_path: Vec<&'static str>,
    tf_bad: Bad,
    tf_absent_fires: bool,
    what: &'static str,
    good_arm: &'static str,
    good_tf: &'static str,
}

fn parse_bad(s: &'static str) -> Bad {
    match s {
        "unless=false" => Bad::UnlessBool(false),
        "unless=true" => Bad::UnlessBool(true),
        "if=true" => Bad::IfTrue,
        other => Bad::UnlessWord(other.strip_prefix("unless=").unwrap_or(other)),
    }
}

fn switches() -> &'static [Switch] {
    static S: OnceLock<Vec<Switch>> = OnceLock::new();
    S.get_or_init(|| {
        let text: &'static str = include_str!("../../../rules/key-auth.tsv");
        let mut out = Vec::new();
        for line in text.lines().skip_while(|l| l.starts_with('#')).skip(1) {
            let c: Vec<&'static str> = line.split('\t').collect();
            if c.len() < 11 {
                continue;
            }
            out.push(Switch {
                arm_type: c[0],
                arm_path: c[1].split('.').collect(),
                arm_bad: parse_bad(c[2]),
                arm_absent_fires: c[3] == "fire",
                tf_types: c[4].split(',').map(str::trim).collect(),
                tf_path: c[5].split('.').collect(),
                tf_bad: parse_bad(c[6]),
                tf_absent_fires: c[7] == "fire",
                what: c[8],
                good_arm: c[9],
                good_tf: c[10],
            });
        }
        out
    })
}

/// Does this value keep key auth on? `None` when it is an expression (not known statically).
fn keeps_on(bad: Bad, node: &Node) -> Option<bool> {
    match bad {
        Bad::UnlessBool(b) => node.as_bool().map(|v| v != b),
        Bad::IfTrue => node.as_bool(),
        Bad::UnlessWord(w) => match &node.kind {
            NodeKind::Str(s) if s.class == StrClass::Literal => {
                Some(!s.value.eq_ignore_ascii_case(w))
            }
            _ => None,
        },
    }
}

pub struct KeyAuthEnabled;

impl KeyAuthEnabled {
    fn check_resource(r: &Resource, out: &mut Vec<Finding>) {
        let tf = r.dialect == Dialect::Terraform;
        let Some(sw) = switches().iter().find(|s| {
            if tf {
                s.tf_types.contains(&r.source_type.as_str())
            } else {
                r.azure_type.eq_ignore_ascii_case(s.arm_type)
            }
        }) else {
            return;
        };
        let (path, bad, absent_fires, good) = if tf {
            (&sw.tf_path, sw.tf_bad, sw.tf_absent_fires, sw.good_tf)
        } else {
            (&sw.arm_path, sw.arm_bad, sw.arm_absent_fires, sw.good_arm)
        };
        let written = path.join(".");
        match body_path(&r.body, path) {
            Some(v) if keeps_on(bad, v) == Some(true) => {
                out.push(
                    Finding::new(
                        &META,
                        v.span,
                        format!(
                            "key-based access left on ({}): `{written}` keeps it on",
                            sw.what
                        ),
                    )
                    .help(format!(
                        "set {good} and have clients authenticate with a managed identity"
                    )),
                );
            }
            Some(_) => {}
            None if absent_fires => {
                out.push(
                    Finding::new(
                        &META,
                        r.head_span,
                        format!(
                            "key-based access left on ({}): `{written}` is not set and the service default allows it",
                            sw.what
                        ),
                    )
                    .help(format!(
                        "set {good} and have clients authenticate with a managed identity"
                    )),
                );
            }
            None => {}
        }
    }
}

impl Rule for KeyAuthEnabled {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for r in cx.doc.resources.iter().filter(|r| !r.existing) {
            Self::check_resource(r, out);
        }
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

    #[test]
    fn silent_on_arm_fixture() {
        assert!(hits("testdata/MI003/silent/azuredeploy.json", "MI003").is_empty());
    }

    #[test]
    fn catalog_rows_parse() {
        assert!(super::switches().len() >= 14);
        assert!(super::switches()
            .iter()
            .any(|s| s.tf_types.contains(&"azurerm_kubernetes_cluster")));
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
}
