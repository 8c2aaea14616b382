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
}

/// True for the names a VM or scale set gives its local administrator password
/// (`osProfile.adminPassword`, `admin_password`; see [`Place::VmAdminPassword`]).
pub fn is_vm_admin_password(key: &str) -> bool {
    key.eq_ignore_ascii_case("adminPassword") || key.eq_ignore_ascii_case("admin_password")
}

/// One short clause for the message: what to use instead.
pub fn instead(dialect: Dialect, place: Place) -> &'static str {
    match (dialect, place) {
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
