//! The service catalog (`rules/services.tsv`): per Azure resource type, and per API kind where it
//! matters (Cosmos DB for NoSQL vs MongoDB, Cassandra, Gremlin, Table; an Azure Files content
//! share), whether Microsoft Entra ID data-plane sign-in is generally available, the Entra form of
//! its connection strings, the advice when an identity replaces a key (or what to do where none
//! can), the data-plane roles to grant and the privileged roles its documentation requires.
//!
//! Rules and fixes ask this module instead of guessing from setting names: MI003 asks a key-auth
//! switch off only where [`Entra::Ga`], CONN messages take their advice from [`Service::instead`],
//! a fix rewrites a connection string only where [`Service::entra_form`] is given, and RBAC001 is
//! silent on a [`Service::required_roles`] role.

use std::sync::OnceLock;

use crate::analysis::resolve::Resolver;
use crate::ir::{Dialect, Document, Node, NodeKind, Resource};
use crate::table::Table;

/// Microsoft Entra ID data-plane sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entra {
    Ga,
    Preview,
    None,
}

impl Entra {
    pub fn name(self) -> &'static str {
        match self {
            Entra::Ga => "generally available",
            Entra::Preview => "preview",
            Entra::None => "none",
        }
    }
}

/// A role a service documents as required on a resource of its type.
#[derive(Debug, PartialEq, Eq)]
pub struct Required {
    pub role: &'static str,
    /// Whose assignment it is (the words a principal's name or parameter contains).
    pub principal: &'static str,
    /// The documentation that requires it.
    pub source: &'static str,
}

/// A catalog row.
#[derive(Debug)]
pub struct Service {
    pub id: &'static str,
    pub arm_type: &'static str,
    /// `*`, or the API kind (see [`api_of`]).
    pub api: &'static str,
    pub label: &'static str,
    pub entra: Entra,
    pub entra_form: Option<&'static str>,
    pub instead: &'static str,
    pub required_roles: Vec<Required>,
    pub line: usize,
}

fn parse_required(cell: &'static str) -> Result<Required, String> {
    let (role, rest) = cell
        .split_once(" @ ")
        .ok_or_else(|| format!("required role `{cell}`: `role @ principal (source)`"))?;
    let (principal, source) = rest
        .split_once(" (")
        .and_then(|(p, s)| Some((p, s.strip_suffix(')')?)))
        .ok_or_else(|| format!("required role `{cell}`: no `(source)`"))?;
    Ok(Required {
        role: role.trim(),
        principal: principal.trim(),
        source: source.trim(),
    })
}

/// The catalog, in file order.
pub fn catalog() -> &'static [Service] {
    static CAT: OnceLock<Vec<Service>> = OnceLock::new();
    CAT.get_or_init(|| {
        Table::embedded(
            "rules/services.tsv",
            include_str!("../../rules/services.tsv"),
        )
        .map_embedded(|c| {
            let entra = match c.get("entra")? {
                "ga" => Entra::Ga,
                "preview" => Entra::Preview,
                "none" => Entra::None,
                other => return Err(format!("entra `{other}`: ga, preview or none")),
            };
            let required_roles = match c.opt("required_roles")? {
                Some(cell) => cell
                    .split(';')
                    .map(|r| parse_required(r.trim()))
                    .collect::<Result<_, _>>()?,
                None => Vec::new(),
            };
            Ok(Service {
                id: c.get("service")?,
                arm_type: c.get("arm_type")?,
                api: c.get("api")?,
                label: c.get("label")?,
                entra,
                entra_form: c.opt("entra_form")?,
                instead: c.get("instead")?,
                required_roles,
                line: c.line(),
            })
        })
    })
}

impl Service {
    /// The least-privilege data-plane roles to grant a managed identity (rules/roles.tsv's data
    /// roles that fit the type); none where Entra sign-in is not generally available.
    pub fn data_roles(&self) -> Vec<&'static crate::analysis::roles::Role> {
        if self.entra != Entra::Ga {
            return Vec::new();
        }
        crate::analysis::roles::suggestions_for(self.arm_type)
    }
}

/// The row with this id. The ids the code names are checked by a test.
pub fn by_id(id: &str) -> Option<&'static Service> {
    catalog().iter().find(|s| s.id == id)
}

/// The rows of an ARM type (child types match their top-level type).
fn rows_of(arm_type: &str) -> impl Iterator<Item = &'static Service> + '_ {
    catalog().iter().filter(move |s| {
        arm_type.eq_ignore_ascii_case(s.arm_type)
            || arm_type
                .get(..s.arm_type.len() + 1)
                .is_some_and(|p| p.eq_ignore_ascii_case(&format!("{}/", s.arm_type)))
    })
}

/// True when the catalog has rows for this ARM type (or its top-level type).
pub fn has_rows(arm_type: &str) -> bool {
    rows_of(arm_type).next().is_some()
}

/// The row for an ARM type and API kind: the row of that kind, else the type's `*` row, else its
/// first row.
pub fn lookup(arm_type: &str, api: &str) -> Option<&'static Service> {
    let rows: Vec<&Service> = rows_of(arm_type).collect();
    // An unknown kind on a type whose kinds differ in what they accept: no row.
    if api == "unknown" && rows.iter().any(|s| s.entra != rows[0].entra) {
        return None;
    }
    rows.iter()
        .find(|s| s.api.eq_ignore_ascii_case(api))
        .or_else(|| rows.iter().find(|s| s.api == "*"))
        .or_else(|| rows.first())
        .copied()
}

/// The row for a resource, reading its API kind.
pub fn of_resource(doc: &Document, r: &Resource) -> Option<&'static Service> {
    lookup(&r.azure_type, &api_of(doc, r))
}

/// The API kind of a resource, as the catalog names it. Cosmos DB: `mongodb` for `kind: MongoDB`
/// or an `EnableMongo` capability, `cassandra` / `gremlin` / `table` for those capabilities,
/// `nosql` otherwise; a kind or capability written as an expression is read through the resolver
/// (parameter defaults, variables); one that stays unknown reads as `unknown`, which no row
/// names, so the type's first row (the GA API) applies only when nothing says otherwise. Other
/// types: `*`.
pub fn api_of(doc: &Document, r: &Resource) -> String {
    if !r.is_type("Microsoft.DocumentDB/databaseAccounts") {
        return "*".into();
    }
    let rs = Resolver::new(doc, r.template);
    let mut words: Vec<String> = Vec::new();
    let mut unknown = false;
    let read = |n: &Node, words: &mut Vec<String>, unknown: &mut bool| {
        let vals = rs.node(n);
        if vals.is_empty() {
            *unknown = true;
        }
        for v in vals {
            match v.text() {
                Some(t) => words.push(t.to_ascii_lowercase()),
                None => *unknown = true,
            }
        }
    };
    if let Some(k) = r.body.get("kind") {
        read(k, &mut words, &mut unknown);
    }
    let caps: Vec<&Node> = match r.dialect {
        Dialect::Terraform => r.body.get_all("capabilities").collect(),
        _ => r
            .body
            .path(&["properties", "capabilities"])
            .map(|c| vec![c])
            .unwrap_or_default(),
    };
    for c in caps {
        let items: Vec<&Node> = match &c.kind {
            NodeKind::List(items) => items.iter().collect(),
            _ => vec![c],
        };
        for it in items {
            match it.get("name") {
                Some(n) => read(n, &mut words, &mut unknown),
                None if matches!(it.kind, NodeKind::Map(_)) => {}
                None => unknown = true,
            }
        }
    }
    let has = |w: &str| words.iter().any(|x| x == w);
    if has("mongodb") || has("enablemongo") {
        "mongodb".into()
    } else if has("enablecassandra") {
        "cassandra".into()
    } else if has("enablegremlin") {
        "gremlin".into()
    } else if has("enabletable") {
        "table".into()
    } else if unknown {
        "unknown".into()
    } else {
        "nosql".into()
    }
}

/// A privileged role the catalog says a service requires on a resource of this type, for this
/// principal (its description, parameter or variable names as written).
pub fn required_role(
    arm_type: &str,
    role: &str,
    principal_words: &str,
) -> Option<(&'static Service, &'static Required)> {
    let who = squash(principal_words);
    rows_of(arm_type).find_map(|s| {
        s.required_roles
            .iter()
            .find(|r| r.role.eq_ignore_ascii_case(role) && who.contains(&squash(r.principal)))
            .map(|r| (s, r))
    })
}

/// Lower case, letters and digits only (`backupManagementService` = `Backup Management Service`).
fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The Markdown list of the catalog for rule pages and `keyless explain`: per service, whether
/// Entra sign-in is generally available and what to do.
pub fn markdown_table() -> String {
    let mut s = String::from(
        "| service | resource type (API) | Entra ID data-plane sign-in | what to do |\n\
         |---|---|---|---|\n",
    );
    for row in catalog() {
        let api = if row.api == "*" {
            String::new()
        } else {
            format!(" ({})", row.api)
        };
        s.push_str(&format!(
            "| {} | `{}`{api} | {} | {} |\n",
            row.label,
            row.arm_type,
            row.entra.name(),
            row.instead.replace('|', "\\|")
        ));
    }
    s
}

/// The Markdown table of the documented-required roles (RBAC001's page).
pub fn required_roles_table() -> String {
    let mut s = String::from("| role | on | assigned to | required by |\n|---|---|---|---|\n");
    for row in catalog() {
        for r in &row.required_roles {
            s.push_str(&format!(
                "| {} | `{}` | {} | {} |\n",
                r.role, row.arm_type, r.principal, r.source
            ));
        }
    }
    s
}

/// The markers around the generated required-roles table in RBAC001's page.
pub const REQUIRED_START: &str = "<!-- required-roles:start -->";
pub const REQUIRED_END: &str = "<!-- required-roles:end -->";

/// The markers around the generated catalog table in a rule page.
pub const TABLE_START: &str = "<!-- services:start -->";
pub const TABLE_END: &str = "<!-- services:end -->";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_rows_parse_and_ids_are_unique() {
        let cat = catalog();
        assert!(cat.len() >= 20);
        for (i, s) in cat.iter().enumerate() {
            assert!(
                !cat[..i].iter().any(|o| o.id == s.id),
                "services.tsv line {}: id `{}` twice",
                s.line,
                s.id
            );
            for req in &s.required_roles {
                assert!(
                    crate::analysis::roles::by_name(req.role).is_some(),
                    "services.tsv line {}: unknown role {}",
                    s.line,
                    req.role
                );
            }
        }
        assert!(parse_required("Owner").is_err());
        assert!(parse_required("Owner @ x").is_err());
    }

    #[test]
    fn api_kinds_pick_their_rows() {
        assert_eq!(
            lookup("Microsoft.DocumentDB/databaseAccounts", "mongodb")
                .unwrap()
                .entra,
            Entra::None
        );
        assert_eq!(
            lookup("Microsoft.DocumentDB/databaseAccounts", "nosql")
                .unwrap()
                .entra,
            Entra::Ga
        );
        assert_eq!(
            lookup("Microsoft.Storage/storageAccounts/blobServices", "*")
                .unwrap()
                .id,
            "storage"
        );
        assert!(lookup("Microsoft.Web/sites", "*").is_none());
        let doc = |text: &str, name: &str| crate::testing::parse_text(name, text);
        let bicep = doc(
            "resource c 'Microsoft.DocumentDB/databaseAccounts@2024-05-15' = {\n  name: 'c'\n  kind: 'GlobalDocumentDB'\n  properties: {\n    capabilities: [ { name: 'EnableGremlin' } ]\n  }\n}\n",
            "main.bicep",
        );
        assert_eq!(api_of(&bicep, &bicep.resources[0]), "gremlin");
        let tf = doc(
            "resource \"azurerm_cosmosdb_account\" \"c\" {\n  kind = \"MongoDB\"\n}\n",
            "main.tf",
        );
        assert_eq!(api_of(&tf, &tf.resources[0]), "mongodb");
        let tf = doc(
            "resource \"azurerm_cosmosdb_account\" \"c\" {\n  kind = \"GlobalDocumentDB\"\n  capabilities {\n    name = \"EnableCassandra\"\n  }\n}\n",
            "main.tf",
        );
        assert_eq!(api_of(&tf, &tf.resources[0]), "cassandra");
        let tf = doc(
            "resource \"azurerm_cosmosdb_account\" \"c\" {\n  kind = var.kind\n}\n",
            "main.tf",
        );
        assert_eq!(api_of(&tf, &tf.resources[0]), "unknown");
    }

    #[test]
    fn required_roles_match_their_principal() {
        assert!(required_role(
            "Microsoft.KeyVault/vaults",
            "Key Vault Administrator",
            "parameter backupManagementServicePrincipalId"
        )
        .is_some());
        assert!(required_role(
            "Microsoft.KeyVault/vaults",
            "Key Vault Administrator",
            "parameter appPrincipalId"
        )
        .is_none());
        // The Azure Machine Learning workspace identity on its RBAC key vault.
        assert!(required_role(
            "Microsoft.KeyVault/vaults",
            "Key Vault Administrator",
            "the principalId of resource mlWorkspace"
        )
        .is_some());
    }
}
