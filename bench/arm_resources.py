#!/usr/bin/env python3
"""Writes one ARM template with N resources (default 40,000) to standard output, for the
resource-count scaling benchmark of MI001/MI002/CONN002 (`bash bench/arm_resources.sh`).

The mix is what a portal export or a generated estate holds, in groups of eight resources:
a function app without an identity whose app settings build a storage connection string with
listKeys() (MI001 with key evidence, CONN002), its top-level `config/appsettings` child linked by
name (`[concat(parameters('sites_fN_name'), '/appsettings')]`, as exports write it), a web app
with a system-assigned identity, a storage account, a VM with a top-level extension that reads a
key, a Service Bus namespace, a Key Vault and a role assignment. Nothing is random: the same N
gives the same file.
"""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 40000
params = {}
resources = []
i = 0
while len(resources) < n:
    site = f"sites_f{i}_name"
    vm = f"vm{i}"
    params[site] = {"type": "string", "defaultValue": f"func-{i}"}
    sa = f"stor{i:06d}"
    storage_cs = (
        f"[concat('DefaultEndpointsProtocol=https;AccountName={sa};AccountKey=', "
        f"listKeys(resourceId('Microsoft.Storage/storageAccounts', '{sa}'), '2023-01-01').keys[0].value)]"
    )
    group = [
        {
            "type": "Microsoft.Web/sites",
            "apiVersion": "2023-01-01",
            "name": f"[parameters('{site}')]",
            "location": "[resourceGroup().location]",
            "kind": "functionapp",
            "properties": {
                "siteConfig": {
                    "appSettings": [
                        {"name": "AzureWebJobsStorage", "value": storage_cs},
                        {"name": "FUNCTIONS_EXTENSION_VERSION", "value": "~4"},
                    ]
                }
            },
        },
        {
            "type": "Microsoft.Web/sites/config",
            "apiVersion": "2023-01-01",
            "name": f"[concat(parameters('{site}'), '/appsettings')]",
            "properties": {"WEBSITE_RUN_FROM_PACKAGE": "1", "APP_REGION": f"r{i % 7}"},
        },
        {
            "type": "Microsoft.Web/sites",
            "apiVersion": "2023-01-01",
            "name": f"web-{i}",
            "location": "[resourceGroup().location]",
            "identity": {"type": "SystemAssigned"},
            "properties": {"httpsOnly": True},
        },
        {
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": "2023-01-01",
            "name": sa,
            "location": "[resourceGroup().location]",
            "sku": {"name": "Standard_LRS"},
            "kind": "StorageV2",
            "properties": {"allowSharedKeyAccess": False},
        },
        {
            "type": "Microsoft.Compute/virtualMachines",
            "apiVersion": "2023-03-01",
            "name": vm,
            "location": "[resourceGroup().location]",
            "properties": {"hardwareProfile": {"vmSize": "Standard_B2s"}},
        },
        {
            "type": "Microsoft.Compute/virtualMachines/extensions",
            "apiVersion": "2023-03-01",
            "name": f"{vm}/diag",
            "location": "[resourceGroup().location]",
            "properties": {
                "publisher": "Microsoft.Azure.Diagnostics",
                "type": "LinuxDiagnostic",
                "protectedSettings": {
                    "storageAccountName": sa,
                    "storageAccountKey": f"[listKeys(resourceId('Microsoft.Storage/storageAccounts', '{sa}'), '2023-01-01').keys[0].value]",
                },
            },
        },
        {
            "type": "Microsoft.KeyVault/vaults",
            "apiVersion": "2023-02-01",
            "name": f"kv-{i}",
            "location": "[resourceGroup().location]",
            "properties": {"tenantId": "[subscription().tenantId]", "enableRbacAuthorization": True},
        },
        {
            "type": "Microsoft.Authorization/roleAssignments",
            "apiVersion": "2022-04-01",
            "name": f"[guid(resourceGroup().id, 'web-{i}')]",
            "properties": {
                "roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')]",
                "principalId": f"[reference(resourceId('Microsoft.Web/sites', 'web-{i}'), '2023-01-01', 'full').identity.principalId]",
            },
        },
    ]
    resources.extend(group[: n - len(resources)])
    i += 1

json.dump(
    {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": params,
        "resources": resources,
    },
    sys.stdout,
    indent=1,
)
sys.stdout.write("\n")
