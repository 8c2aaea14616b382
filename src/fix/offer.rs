//! The fixes rules offer, one function per kind of fix, built from the [`edit`](super::edit)
//! builders: a rule calls one of these in a line and attaches the result to its finding.

use crate::ir::{Identity, Param, Resource};
use crate::source::Format;

use super::edit::{add_member, remove_default, set_path, set_value, EditValue, MarkSecure, Syntax};
use super::Fix;

/// Where a new top-level member of a resource goes: after the first of these it has.
const ARM_ANCHORS: &[&str] = &["location", "name"];
const TF_ANCHORS: &[&str] = &["location", "resource_group_name", "name"];

/// Where a missing `properties` object (ARM, Bicep) goes: after `kind`/`sku`, as templates usually
/// order them, so that it does not land where a new `identity` does; a Terraform attribute goes
/// after the block's last member.
const PROPERTIES_ANCHORS: &[&str] = &["kind", "sku", "tags", "location", "name"];

fn anchors(syntax: Syntax) -> &'static [&'static str] {
    if syntax == Syntax::Hcl {
        TF_ANCHORS
    } else {
        ARM_ANCHORS
    }
}

/// MI001: a system-assigned identity for a resource that declares none (or `None`).
pub fn add_system_identity(text: &str, format: Format, r: &Resource) -> Option<Fix> {
    let syntax = Syntax::of(format)?;
    // a service principal block stands where the identity would (AKS): not mechanical
    for sp in ["servicePrincipalProfile", "service_principal"] {
        if r.body.get(sp).is_some() || r.properties().and_then(|p| p.get(sp)).is_some() {
            return None;
        }
    }
    let system = EditValue::Str("SystemAssigned");
    let edits = match &r.identity {
        Identity::Absent => add_member(
            text,
            syntax,
            &r.body,
            "identity",
            &EditValue::Map(vec![("type", system)]),
            anchors(syntax),
        )?,
        Identity::None { .. } => {
            set_path(text, syntax, &r.body, &["identity", "type"], system, &[])?
        }
        _ => return None,
    };
    Some(
        Fix::edits(edits, "add a system-assigned managed identity").needs(
            "grant the new identity a data-plane role on each service the resource calls (a role \
             assignment), then move its settings from keys and connection strings to identity-based ones",
        ),
    )
}

/// A property check's fix (MI003, RBAC003, …): set `path` of the resource body to `value`, an
/// unsafe fix with the rule's follow-up.
pub fn set_switch(
    text: &str,
    format: Format,
    r: &Resource,
    path: &[&str],
    value: EditValue,
    description: String,
    follow_up: &str,
) -> Option<Fix> {
    let syntax = Syntax::of(format)?;
    let after = if syntax == Syntax::Hcl {
        &[]
    } else {
        PROPERTIES_ANCHORS
    };
    let edits = set_path(text, syntax, &r.body, path, value, after)?;
    Some(Fix::edits(edits, description).needs(follow_up))
}

/// MI004: Entra-only authentication on an Azure SQL server whose Entra administrator is declared:
/// `administrators.azureADOnlyAuthentication` (ARM, Bicep) or
/// `azuread_administrator { azuread_authentication_only = true }` (Terraform). `None` when no Entra
/// administrator is declared (choosing one is not mechanical).
pub fn sql_entra_only(text: &str, format: Format, r: &Resource) -> Option<Fix> {
    let syntax = Syntax::of(format)?;
    let path: &[&str] = if syntax == Syntax::Hcl {
        &["azuread_administrator", "azuread_authentication_only"]
    } else {
        &["properties", "administrators", "azureADOnlyAuthentication"]
    };
    let admin = &path[..path.len() - 1];
    let mut cur = &r.body;
    for k in admin {
        cur = cur.get(k)?;
    }
    if !cur.is_map() {
        return None;
    }
    let edits = match cur.get(path[path.len() - 1]) {
        Some(v) => vec![set_value(text, syntax, v, &EditValue::Bool(true))?],
        None => set_path(text, syntax, &r.body, path, EditValue::Bool(true), &[])?,
    };
    Some(
        Fix::edits(edits, "turn on Microsoft Entra-only authentication").needs(
            "check that the Entra administrator is the intended principal, and move every app and \
             person that signs in with a SQL login (the server admin login too) to Entra \
             authentication first",
        ),
    )
}

/// KEY003/KEY006: remove a parameter's or variable's literal default and, when it is not yet, mark
/// it secure (`securestring`/`secureObject`, `@secure()`, `sensitive = true`).
pub fn remove_secret_default(text: &str, format: Format, p: &Param) -> Option<Fix> {
    let default = p.default.as_ref()?;
    let syntax = Syntax::of(format)?;
    let mark = if p.secure {
        MarkSecure::No
    } else {
        MarkSecure::Yes
    };
    let edits = if format == Format::TerraformJson {
        super::edit::remove_tf_json_default(text, p.span, default, mark)?
    } else {
        remove_default(text, syntax, p.span, p.name_span, default, mark)?
    };
    let description = match (mark, syntax) {
        (MarkSecure::No, _) => "remove the literal default".to_string(),
        (MarkSecure::Yes, Syntax::Hcl) | (MarkSecure::Yes, Syntax::Json)
            if matches!(format, Format::Terraform | Format::TerraformJson) =>
        {
            "remove the literal default and mark the variable `sensitive = true`".to_string()
        }
        (MarkSecure::Yes, Syntax::Bicep) => {
            "remove the literal default and mark the parameter `@secure()`".to_string()
        }
        (MarkSecure::Yes, _) => {
            "remove the literal default and make the parameter a secure type".to_string()
        }
    };
    // Safe: a deployment without the value fails and names the missing parameter; nothing deploys
    // with a different secret in silence. The secret is still in the history: the finding's help
    // says to rotate it.
    Some(Fix::edits(edits, description))
}
