//! MI006 vm-password-login: a Linux virtual machine or scale set that accepts password sign-in
//! (`disablePasswordAuthentication: false`, `disable_password_authentication = false`) where SSH
//! keys or Microsoft Entra login would do. The value is resolved through parameters (their
//! defaults), variables and conditionals; a value that stays unknown is not reported.

use crate::analysis::resolve::{Possible, Resolver, Value};
use crate::finding::Finding;
use crate::ir::{Dialect, Expr, Node, NodeKind, Resource};
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct VmPasswordLogin;
    id: "MI006",
    name: "vm-password-login",
    family: Mi,
    severity: Warning,
    security_severity: 5.0,
    summary: "A Linux VM or scale set allows password sign-in where SSH keys or Microsoft Entra \
              login would do.",
}

/// Where the switch sits: ARM type or azurerm type, the path from the resource body (Terraform
/// nested blocks are steps), and where that resource type takes SSH public keys (the legacy
/// `azurerm_virtual_machine` / `_scale_set` take `ssh_keys` blocks, the newer types
/// `admin_ssh_key`).
const SWITCHES: &[(&str, &str, &str)] = &[
    (
        "Microsoft.Compute/virtualMachines",
        "properties.osProfile.linuxConfiguration.disablePasswordAuthentication",
        "`linuxConfiguration.ssh.publicKeys`",
    ),
    (
        "Microsoft.Compute/virtualMachineScaleSets",
        "properties.virtualMachineProfile.osProfile.linuxConfiguration.disablePasswordAuthentication",
        "`linuxConfiguration.ssh.publicKeys`",
    ),
    (
        "azurerm_linux_virtual_machine",
        "disable_password_authentication",
        "an `admin_ssh_key` block",
    ),
    (
        "azurerm_linux_virtual_machine_scale_set",
        "disable_password_authentication",
        "an `admin_ssh_key` block",
    ),
    (
        "azurerm_orchestrated_virtual_machine_scale_set",
        "os_profile.linux_configuration.disable_password_authentication",
        "an `admin_ssh_key` block in `os_profile.linux_configuration`",
    ),
    (
        "azurerm_virtual_machine",
        "os_profile_linux_config.disable_password_authentication",
        "an `ssh_keys` block in `os_profile_linux_config`",
    ),
    (
        "azurerm_virtual_machine_scale_set",
        "os_profile_linux_config.disable_password_authentication",
        "an `ssh_keys` block in `os_profile_linux_config`",
    ),
];

impl Rule for VmPasswordLogin {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        for r in cx.doc.resources.iter().filter(|r| !r.existing) {
            let tf = r.dialect == Dialect::Terraform;
            let Some((_, path, ssh)) = SWITCHES.iter().find(|(t, _, _)| {
                if tf {
                    *t == r.source_type
                } else {
                    r.is_type(t)
                }
            }) else {
                continue;
            };
            check_resource(cx, r, path, ssh, out);
        }
    }
}

fn check_resource(cx: &Context, r: &Resource, path: &str, ssh: &str, out: &mut Vec<Finding>) {
    let rs = Resolver::new(cx.doc, r.template);
    let mut values = rs.node(&r.body);
    for key in path.split('.') {
        values = values.iter().flat_map(|v| member(&rs, v, key)).collect();
    }
    // Report only when every value the switch can have is a known `false`.
    if values.is_empty() || !values.iter().all(is_false) {
        return;
    }
    // Point at the value where it is written in the resource, else at the resource.
    let written = written_at(&r.body, path);
    let span = written.map_or(r.head_span, |n| n.span);
    let via = values
        .iter()
        .find_map(Possible::param)
        .map(|p| {
            let source = cx.doc.param_value_source(r.template, p);
            format!(" ({source} parameter `{p}`)")
        })
        .unwrap_or_default();
    let (field, value) = if r.dialect == Dialect::Terraform {
        ("disable_password_authentication", " = true")
    } else {
        ("disablePasswordAuthentication", ": true")
    };
    let fix = format!("set `{field}{value}` and give {ssh}");
    out.push(
        Finding::new(
            &META,
            span,
            format!(
                "`{field}` is false{via}: `{}` accepts password sign-in; {fix}, or sign in with \
                 Microsoft Entra ID (the `AADSSHLoginForLinux` extension and a VM login role)",
                r.source_type
            ),
        )
        .help(
            "A password can be guessed, sprayed and reused; SSH keys cannot. Prefer Microsoft \
             Entra login for VMs (no local credential at all), or SSH public keys with password \
             authentication disabled. Where a password must stay for break-glass access, keep it \
             in Key Vault and reference it from there.",
        ),
    );
}

/// A member of a value; on a Terraform block list (`os_profile { … }`), the member of its blocks.
fn member<'a>(rs: &Resolver<'a>, v: &Possible<'a>, key: &str) -> Vec<Possible<'a>> {
    if let Value::Node(Node {
        kind: NodeKind::List(items),
        ..
    }) = &v.value
    {
        if key.parse::<usize>().is_err() {
            return items
                .iter()
                .flat_map(|i| rs.node(i))
                .flat_map(|i| rs.member(&i, key))
                .collect();
        }
    }
    rs.member(v, key)
}

fn is_false(p: &Possible) -> bool {
    match &p.value {
        Value::Node(n) => n.as_bool() == Some(false),
        Value::Const(Expr::Bool(b)) => !b,
        Value::Const(Expr::Str(s)) => s.eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// The node written at `path` in the body (blocks followed into their first item), when every step
/// is written out (not reached through an expression).
fn written_at<'a>(body: &'a Node, path: &str) -> Option<&'a Node> {
    let mut cur = body;
    for key in path.split('.') {
        if let NodeKind::List(items) = &cur.kind {
            cur = items.first()?;
        }
        cur = cur.get(key)?;
    }
    Some(cur)
}

#[cfg(test)]
mod tests {
    use crate::testing::text_findings;

    /// The legacy `azurerm_virtual_machine` and `_scale_set` take `ssh_keys` blocks; the newer
    /// Linux types take `admin_ssh_key`: the advice names the block the resource type has.
    #[test]
    fn ssh_key_advice_fits_the_resource_type() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/MI006/fire/main.tf"
        ))
        .unwrap();
        let f = text_findings("main.tf", &text, "MI006");
        assert_eq!(f.len(), 3);
        assert!(f[0].message.contains("`admin_ssh_key`"), "{}", f[0].message);
        for legacy in &f[1..] {
            assert!(
                legacy
                    .message
                    .contains("an `ssh_keys` block in `os_profile_linux_config`")
                    && !legacy.message.contains("admin_ssh_key"),
                "{}",
                legacy.message
            );
        }
    }

    #[test]
    fn message_names_the_parameter_and_the_fix() {
        let f = text_findings(
            "main.bicep",
            "param allowPassword bool = false\n\
             resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {\n  name: 'vm'\n  \
             properties: {\n    osProfile: {\n      linuxConfiguration: {\n        \
             disablePasswordAuthentication: allowPassword\n      }\n    }\n  }\n}\n",
            "MI006",
        );
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].start.line, f[0].start.column), (7, 40));
        assert!(
            f[0].message.contains("parameter `allowPassword`"),
            "{}",
            f[0].message
        );
        assert!(
            f[0].message.contains("AADSSHLoginForLinux"),
            "{}",
            f[0].message
        );
    }
}
