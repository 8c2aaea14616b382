//! What to write instead of a secret, worded for the file's format, shared by the KEY rules.

use crate::ir::Dialect;

/// Where a secret value sits, for choosing the advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// A property or attribute of a template or Terraform configuration.
    Template,
    /// An app setting of a Web/Functions app declared in a template.
    ResourceAppSetting,
    /// An app configuration file.
    AppConfig,
    /// A pipeline, workflow or container environment variable.
    Environment,
    /// A virtual machine's or scale set's local administrator password (`adminPassword`,
    /// `admin_password`): a login for people, which a managed identity does not replace.
    VmAdminPassword,
    /// A BOSH deployment manifest (Cloud Foundry and the like): the secrets are the platform's
    /// own, generated and kept by CredHub / the config server, not reached with an identity.
    BoshManifest,
    /// The IPsec pre-shared key of a VPN connection (`sharedKey` of `Microsoft.Network/connections`,
    /// `shared_key` of `azurerm_virtual_network_gateway_connection`): shared with the other gateway,
    /// which no managed identity replaces.
    PreSharedKey,
}

/// Is this document a BOSH deployment manifest: YAML whose top level has `instance_groups:` or
/// `jobs:` next to `releases:`, `stemcells:`, `director_uuid:` or `update:`?
pub fn is_bosh_manifest(doc: &crate::ir::Document) -> bool {
    if doc.dialect != Dialect::AppConfig {
        return false;
    }
    let Some(root) = doc.root.as_ref() else {
        return false;
    };
    let has = |k: &str| root.get(k).is_some();
    (has("instance_groups") || has("jobs"))
        && (has("releases") || has("stemcells") || has("director_uuid") || has("update"))
}

/// [`Place::BoshManifest`] for a BOSH manifest, [`Place::AppConfig`] for any other app
/// configuration.
pub fn app_config_place(doc: &crate::ir::Document) -> Place {
    if is_bosh_manifest(doc) {
        Place::BoshManifest
    } else {
        Place::AppConfig
    }
}

/// True for the names a VM or scale set gives its local administrator password
/// (`osProfile.adminPassword`, `admin_password`; see [`Place::VmAdminPassword`]).
pub fn is_vm_admin_password(key: &str) -> bool {
    key.eq_ignore_ascii_case("adminPassword") || key.eq_ignore_ascii_case("admin_password")
}

/// The names a VPN connection gives its IPsec pre-shared key.
pub fn is_pre_shared_key(key: &str) -> bool {
    key.eq_ignore_ascii_case("sharedKey") || key.eq_ignore_ascii_case("shared_key")
}

/// A site-to-site / VNet-to-VNet VPN connection: ARM `Microsoft.Network/connections`, Virtual WAN
/// `vpnGateways/vpnConnections`, azurerm `azurerm_virtual_network_gateway_connection`,
/// `azurerm_vpn_gateway_connection`.
pub fn is_vpn_connection(r: &crate::ir::Resource) -> bool {
    r.is_type("Microsoft.Network/connections")
        || r.is_type("Microsoft.Network/vpnGateways/vpnConnections")
        || r.source_type == "azurerm_virtual_network_gateway_connection"
        || r.source_type == "azurerm_vpn_gateway_connection"
}

/// One short clause for the message: what to use instead.
pub fn instead(dialect: Dialect, place: Place) -> &'static str {
    match (dialect, place) {
        (Dialect::Arm, Place::PreSharedKey) => {
            "pass it as a `securestring` parameter without a default fed from Key Vault, and \
             rotate it (no managed identity applies to a VPN pre-shared key)"
        }
        (Dialect::Bicep, Place::PreSharedKey) => {
            "pass it as a `@secure()` parameter with `getSecret()` from Key Vault, and rotate it \
             (no managed identity applies to a VPN pre-shared key)"
        }
        (_, Place::PreSharedKey) => {
            "read it from an `azurerm_key_vault_secret` data source (or `random_password`), and \
             rotate it (no managed identity applies to a VPN pre-shared key)"
        }
        (Dialect::Arm, Place::VmAdminPassword) => {
            "sign in with SSH keys (Linux) or Microsoft Entra login for VMs, and where a password \
             stays, pass it as a `securestring` parameter from a Key Vault reference"
        }
        (Dialect::Bicep, Place::VmAdminPassword) => {
            "sign in with SSH keys (Linux) or Microsoft Entra login for VMs, and where a password \
             stays, pass it as a `@secure()` parameter with `getSecret()` from Key Vault"
        }
        (_, Place::VmAdminPassword) => {
            "sign in with SSH keys (Linux) or Microsoft Entra login for VMs, and where a password \
             stays, read it from an `azurerm_key_vault_secret` data source or `random_password`"
        }
        (_, Place::BoshManifest) => {
            "let BOSH generate and keep it: a `((variable))` placeholder declared under \
             `variables:` and stored by CredHub / the config server (or `bosh int --vars-store`)"
        }
        (_, Place::ResourceAppSetting) => {
            "use a managed identity, or a Key Vault reference `@Microsoft.KeyVault(SecretUri=...)`"
        }
        (_, Place::Environment) => {
            "use workload identity federation or a managed identity, or a secret variable linked to Key Vault"
        }
        (Dialect::Arm, _) => {
            "use a managed identity, or a `securestring` parameter without a default fed from Key Vault"
        }
        (Dialect::Bicep, _) => {
            "use a managed identity, or a `@secure()` parameter without a default fed from Key Vault"
        }
        (Dialect::Terraform, _) => {
            "use a managed identity, or read the value from an `azurerm_key_vault_secret` data source"
        }
        (Dialect::AppConfig, _) => {
            "use a managed identity (DefaultAzureCredential), or a Key Vault reference / secret store"
        }
    }
}

/// The longer help text.
pub fn help(dialect: Dialect, place: Place) -> &'static str {
    match (dialect, place) {
        (_, Place::PreSharedKey) => {
            "This is the IPsec pre-shared key of a VPN connection: both gateways hold it, and no \
             managed identity or Microsoft Entra sign-in replaces it. Keep it out of the file: a \
             secure parameter fed from a Key Vault reference (`getSecret()` in Bicep, an \
             `azurerm_key_vault_secret` data source in Terraform), a long random value, the same \
             value set on the other side, and a rotation schedule (change it on both gateways \
             together)."
        }
        (_, Place::VmAdminPassword) => {
            "A VM's administrator password is a login for people; a managed identity does not \
             replace it. For Linux, use SSH public keys and turn password login off \
             (`disablePasswordAuthentication: true`, `disable_password_authentication = true`); \
             for Linux and Windows, sign in with Microsoft Entra ID (the AADSSHLoginForLinux / \
             AADLoginForWindows extension and the Virtual Machine User Login role) or Azure \
             Bastion. Where a password stays, keep it out of the file: a secure parameter fed \
             from a Key Vault reference, `getSecret()` in Bicep, or `random_password` / an \
             `azurerm_key_vault_secret` data source in Terraform."
        }
        (_, Place::BoshManifest) => {
            "This is a BOSH deployment manifest: its passwords, client secrets and keys belong \
             to the platform it deploys, which a managed identity does not replace. Write each \
             one as a `((name))` placeholder, declare it under `variables:` (type `password`, \
             `certificate`, `rsa`, `ssh`) and let CredHub or the director's config server \
             generate and store it; without a config server, interpolate with `bosh int \
             --vars-store creds.yml` and keep that file out of version control."
        }
        (_, Place::ResourceAppSetting) => {
            "Give the app a managed identity and use identity-based settings (`__credential`, \
             `__fullyQualifiedNamespace`, `__accountName`) where the target service supports \
             Microsoft Entra authentication. Where a secret is unavoidable, store it in Key Vault \
             and set the app setting to `@Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>/)`."
        }
        (_, Place::Environment) => {
            "Authenticate pipelines with workload identity federation (an Azure service connection \
             or `azure/login` with OIDC) and workloads with a managed identity. Where a secret is \
             unavoidable, keep it out of the file: a secret variable or variable group linked to \
             Key Vault (`$(Secret)`), a repository secret (`${{ secrets.X }}`), or a Kubernetes \
             secret from the Key Vault CSI driver."
        }
        (Dialect::Arm, _) => {
            "Prefer a managed identity and a role assignment over a password or key. Where a \
             secret is unavoidable, declare a `securestring` parameter without a `defaultValue` \
             and pass it from a parameter file `reference` to a Key Vault secret."
        }
        (Dialect::Bicep, _) => {
            "Prefer a managed identity and a role assignment over a password or key. Where a \
             secret is unavoidable, declare a `@secure()` parameter without a default and pass it \
             with `getSecret()` from an existing Key Vault."
        }
        (Dialect::Terraform, _) => {
            "Prefer a managed identity (`identity` block, provider `use_msi = true` / OIDC) over a \
             password or key. Where a secret is unavoidable, read it with a \
             `data \"azurerm_key_vault_secret\"` block, generate it with `random_password`, or \
             take it from a `sensitive` variable without a default."
        }
        (Dialect::AppConfig, _) => {
            "Authenticate with a managed identity (`DefaultAzureCredential`) instead of a secret. \
             Where a secret is unavoidable, keep it out of the file: a Key Vault reference \
             (`@Microsoft.KeyVault(...)`), Azure App Configuration, user secrets in development, \
             or a pipeline secret variable (`$(Secret)`, `${{ secrets.X }}`)."
        }
    }
}

/// Who uses a connection string: the setting that holds it (when it is one) and the resource it
/// is written in (an app's settings, a Data Factory linked service, an IoT Hub routing endpoint…).
pub struct Consumer<'a> {
    pub setting: Option<&'a crate::ir::Setting>,
    pub resource: Option<&'a crate::ir::Resource>,
}

impl Consumer<'_> {
    /// Runs the Functions / WebJobs host, which reads `AzureWebJobsStorage__accountName`: a
    /// Function App or App Service app (or slot) other than a Logic App (Standard), or a
    /// configuration file (`local.settings.json`, `appsettings.json`) where the setting's name
    /// says so.
    pub fn hosts_functions(&self) -> bool {
        match self.resource {
            Some(r) => {
                let workflow = r
                    .kind
                    .as_deref()
                    .is_some_and(|k| k.to_ascii_lowercase().contains("workflowapp"))
                    || r.source_type.contains("logic_app");
                let site = r.is_type("Microsoft.Web/sites")
                    || r.is_type("Microsoft.Web/sites/slots")
                    || r.is_type("Microsoft.Web/sites/config")
                    || r.is_type("Microsoft.Web/sites/slots/config")
                    || r.source_type.contains("function_app")
                    || r.source_type.contains("web_app");
                site && !workflow
            }
            None => true,
        }
    }

    fn type_is(&self, arm_prefix: &str, tf_prefix: &str) -> bool {
        self.resource.is_some_and(|r| {
            r.azure_type
                .to_ascii_lowercase()
                .starts_with(&arm_prefix.to_ascii_lowercase())
                || r.source_type.starts_with(tf_prefix)
        })
    }

    /// A Data Factory (v2) linked service.
    pub fn is_data_factory(&self) -> bool {
        self.type_is(
            "Microsoft.DataFactory/factories/linkedservices",
            "azurerm_data_factory_linked_service",
        )
    }

    /// A Data Factory v1 linked service (v1 has no managed identity).
    pub fn is_data_factory_v1(&self) -> bool {
        self.type_is("Microsoft.DataFactory/dataFactories", "-")
    }

    /// The consumer in words, for follow-ups: "`Microsoft.Web/sites` 'app'", else "the app that
    /// uses this connection string".
    pub fn label(&self) -> String {
        // A child that configures an app (`Microsoft.Web/sites/config`, an extension) holds no
        // identity of its own: the app it belongs to does.
        if let Some(r) = self.resource {
            let t = r.azure_type.to_ascii_lowercase();
            if t.starts_with("microsoft.web/sites/")
                && (t.ends_with("/config") || t.ends_with("/extensions"))
            {
                return format!("the App Service app that `{}` configures", r.source_type);
            }
        }
        match self.resource {
            Some(r) if !r.name.is_empty() && !r.name.contains(['[', '(', '$']) => {
                format!("`{}` '{}'", r.source_type, r.name)
            }
            Some(r) => format!("`{}`", r.source_type),
            None => "the app that uses this connection string".into(),
        }
    }
}

/// The consumer of the value at `span`.
pub fn consumer(doc: &crate::ir::Document, span: crate::source::Span) -> Consumer<'_> {
    use crate::ir::SettingSource;
    let setting = doc
        .settings
        .iter()
        .find(|s| s.value.span.start <= span.start && span.end <= s.value.span.end);
    let by_setting = setting.and_then(|s| match s.source {
        SettingSource::ResourceAppSetting(i) | SettingSource::ResourceConnectionString(i) => {
            doc.resources.get(i)
        }
        _ => None,
    });
    let resource = by_setting
        .or_else(|| {
            doc.resources
                .iter()
                .filter(|r| r.span.start <= span.start && span.end <= r.span.end)
                .min_by_key(|r| r.span.end - r.span.start)
        })
        .or_else(|| variable_user(doc, span));
    Consumer { setting, resource }
}

/// The resource that uses the variable whose value holds `span` (a connection string built in
/// `variables` and written into a linked service or a nested deployment's parameter): the one
/// resource whose body names the variable, through variables that name it in turn (two steps).
fn variable_user(
    doc: &crate::ir::Document,
    span: crate::source::Span,
) -> Option<&crate::ir::Resource> {
    let var = doc
        .vars
        .iter()
        .find(|v| v.value.span.start <= span.start && span.end <= v.value.span.end)?;
    let names_var = |n: &crate::ir::Node, name: &str| {
        let mut found = false;
        n.walk(&mut |_, x| {
            if !found {
                if let Some(e) = x.as_expr() {
                    found = e
                        .variable_refs()
                        .iter()
                        .any(|r| r.eq_ignore_ascii_case(name));
                }
            }
        });
        found
    };
    let mut names = vec![var.name.as_str()];
    for v in &doc.vars {
        if v.template == var.template && !std::ptr::eq(v, var) && names_var(&v.value, &var.name) {
            names.push(v.name.as_str());
        }
    }
    let users: Vec<&crate::ir::Resource> = doc
        .resources
        .iter()
        .filter(|r| r.template == var.template)
        .filter(|r| names.iter().any(|n| names_var(&r.body, n)))
        .collect();
    match users.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}

/// The setting that holds an Azure Files content share's connection string (Functions and Logic
/// Apps on Consumption and Elastic Premium plans).
pub const CONTENT_SHARE_SETTING: &str = "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING";

/// The advice for a connection string of `service` used by `who`, and whether a fix that
/// rewrites it into an identity-based form fits this consumer. The service catalog's advice,
/// worded for the consumer where it differs: the Functions host storage form only for a Function
/// App's `AzureWebJobsStorage`; an Azure Files content share has no identity form (turning shared
/// keys off breaks the app); Data Factory linked services connect with the factory's identity or
/// a `credential`, never with SqlClient's keywords; Data Factory v1 has no managed identity; a
/// JDBC URL gets the JDBC driver's keywords.
pub fn connection_advice(
    service: crate::analysis::connstr::Service,
    scheme: Option<&str>,
    who: &Consumer<'_>,
) -> (String, bool) {
    use crate::analysis::connstr::Service;
    let setting = who.setting.map(|s| s.name.as_str()).unwrap_or("");
    let files = || {
        crate::analysis::services::by_id("storage-files")
            .map_or(service.identity_fix(), |s| s.instead)
    };
    // Handed into a nested deployment: the form is the one of whatever receives it there, which
    // this template does not show unless the nested template is inline.
    if who.type_is("Microsoft.Resources/deployments", "-") {
        let inline_v1 = who.resource.is_some_and(|r| {
            r.body.path(&["properties", "template"]).is_some_and(|t| {
                let mut v1 = false;
                t.walk(&mut |_, n| {
                    v1 |= n.as_text().is_some_and(|s| {
                        s.eq_ignore_ascii_case("Microsoft.DataFactory/dataFactories/linkedservices")
                            || s.eq_ignore_ascii_case("Microsoft.DataFactory/dataFactories")
                    });
                });
                v1
            })
        });
        if !inline_v1 {
            return (
                "the connection string is passed into a nested deployment, and the form depends on \
                 what receives it there: an app's SqlClient connection takes \
                 `Authentication=Active Directory Default`, a Data Factory v2 linked service the \
                 factory's managed identity, and a Data Factory v1 linked service has no identity \
                 (keep the secret in Key Vault); no fix here"
                    .into(),
                false,
            );
        }
    }
    if who.is_data_factory_v1() || who.type_is("Microsoft.Resources/deployments", "-") {
        return (
            "Data Factory v1 linked services have no managed identity: keep the secret out of the \
             template (a secure parameter fed from Key Vault) and move the pipeline to Data \
             Factory v2, whose linked services use the factory's managed identity"
                .into(),
            false,
        );
    }
    match service {
        Service::Storage if setting.eq_ignore_ascii_case("AzureWebJobsDashboard") => (
            "`AzureWebJobsDashboard` is a legacy Functions setting with no identity-based form \
             (the dashboard is retired): remove it and use Application Insights"
                .into(),
            false,
        ),
        Service::Storage if setting.eq_ignore_ascii_case(CONTENT_SHARE_SETTING) => {
            (files().into(), false)
        }
        Service::Storage
            if setting.eq_ignore_ascii_case("AzureWebJobsStorage") && who.hosts_functions() =>
        {
            (
                "use `AzureWebJobsStorage__accountName` (the Functions host then reaches the \
                 account with the app's managed identity) and grant the identity Storage Blob \
                 Data Owner (and Storage Queue Data Contributor for queue triggers)"
                    .into(),
                true,
            )
        }
        Service::Storage if who.is_data_factory() => (
            "connect the linked service with the factory's managed identity (`serviceEndpoint` \
             without a key, or a `credential` reference to a user-assigned identity) and grant it \
             a Storage Blob Data role on the account"
                .into(),
            false,
        ),
        Service::Storage if who.resource.is_none() || who.hosts_functions() => {
            (service.identity_fix().into(), false)
        }
        Service::Storage => (
            format!(
                "where {} can reach storage with a managed identity, grant that identity a \
                 Storage data role instead of handing it the account key; otherwise keep the key \
                 in Key Vault",
                who.label()
            ),
            false,
        ),
        // The Microsoft JDBC driver's keywords, not SqlClient's.
        Service::Sql if scheme == Some("jdbc:sqlserver") => (
            "drop `user`/`password` and use `authentication=ActiveDirectoryMSI` (the Microsoft \
             JDBC driver; `msiClientId=<client id>` for a user-assigned identity), granting the \
             identity a database user"
                .into(),
            false,
        ),
        Service::Sql if who.is_data_factory() => (
            "drop the user and password from the linked service and connect with the factory's \
             managed identity (or a `credential` reference to a user-assigned identity), with a \
             contained database user for it (`CREATE USER [<factory name>] FROM EXTERNAL \
             PROVIDER`)"
                .into(),
            false,
        ),
        _ => (service.identity_fix().into(), true),
    }
}

/// For messages: " (in one branch of a condition)" when the value is a conditional (Terraform and
/// Bicep `c ? a : b`, ARM `if(c, a, b)`): what it reports happens only when that branch is taken.
pub fn branch_note(node: &crate::ir::Node) -> &'static str {
    use crate::ir::Expr;
    match node.as_expr() {
        Some(Expr::Cond { .. }) => " (in one branch of a condition)",
        Some(Expr::Call { name, args }) if name.eq_ignore_ascii_case("if") && args.len() == 3 => {
            " (in one branch of a condition)"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    /// A `Microsoft.Web/sites/config` child holds no identity: the consumer is named as the app.
    #[test]
    fn a_config_child_is_named_as_its_app() {
        let doc = crate::testing::parse_text(
            "t.json",
            r#"{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "resources": [
    { "type": "Microsoft.Web/sites/config", "apiVersion": "2022-09-01", "name": "app/connectionstrings",
      "properties": { "Db": { "value": "x", "type": "SQLAzure" } } }
  ]
}"#,
        );
        let who = super::Consumer {
            setting: None,
            resource: Some(&doc.resources[0]),
        };
        assert_eq!(
            who.label(),
            "the App Service app that `Microsoft.Web/sites/config` configures"
        );
    }
}
