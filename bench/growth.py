#!/usr/bin/env python3
"""Writes one generated input for the growth benchmark (`bash bench/growth.sh`) into DIR and
prints the path to scan. Deterministic: the same dimension and N give the same files.

    python3 bench/growth.py DIMENSION N DIR

Dimensions:
  resources  one ARM template of N resources (bench/arm_resources.py's mix)
  fanout     one Bicep file with N calls of one local module, each passing a distinct value
             (each call is bound and checked apart: the cost per call must stay flat)
  findings   one .env file of N password settings (N findings)
  nesting    one ARM template of nested deployments N deep (inner scope, each with a parameter
             and a resource)
  files      N small Bicep and ARM files in folders of 50
"""
import json
import os
import subprocess
import sys

dimension, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
here = os.path.dirname(os.path.abspath(__file__))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


MODULE = """@secure()
param adminPassword string
param name string
param location string = resourceGroup().location

resource vm 'Microsoft.Compute/virtualMachines@2023-03-01' = {
  name: name
  location: location
  properties: {
    osProfile: {
      computerName: name
      adminUsername: 'azureuser'
      adminPassword: adminPassword
    }
  }
}

resource sa 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: '${name}sa'
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: { allowSharedKeyAccess: true }
}

output endpoint string = sa.properties.primaryEndpoints.blob
"""

if dimension == "resources":
    path = os.path.join(out, "azuredeploy.json")
    with open(path, "w") as f:
        subprocess.run([sys.executable, os.path.join(here, "arm_resources.py"), str(n)], stdout=f, check=True)
elif dimension == "fanout":
    write(os.path.join(out, "modules", "vm.bicep"), MODULE)
    calls = [
        f"module vm{i} 'modules/vm.bicep' = {{\n  name: 'vm{i}'\n  params: {{\n"
        f"    name: 'vm{i}'\n    adminPassword: passwords[{i % 7}]\n  }}\n}}\n"
        for i in range(n)
    ]
    head = "@secure()\nparam passwords array\n\n"
    path = os.path.join(out, "main.bicep")
    write(path, head + "\n".join(calls))
elif dimension == "findings":
    path = os.path.join(out, ".env")
    write(path, "".join(f"DB{i}_PASSWORD=Zq7-UnL1k-{i:06d}-Pw\n" for i in range(n)))
elif dimension == "nesting":
    def template(depth):
        resources = [{
            "type": "Microsoft.Storage/storageAccounts",
            "apiVersion": "2023-01-01",
            "name": f"[format('st{depth}{{0}}', parameters('suffix'))]",
            "location": "[resourceGroup().location]",
            "kind": "StorageV2",
            "sku": {"name": "Standard_LRS"},
            "properties": {"allowSharedKeyAccess": False},
        }]
        if depth > 0:
            resources.append({
                "type": "Microsoft.Resources/deployments",
                "apiVersion": "2022-09-01",
                "name": f"level{depth}",
                "properties": {
                    "mode": "Incremental",
                    "expressionEvaluationOptions": {"scope": "inner"},
                    "parameters": {"suffix": {"value": "[parameters('suffix')]"}},
                    "template": template(depth - 1),
                },
            })
        return {
            "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
            "contentVersion": "1.0.0.0",
            "parameters": {"suffix": {"type": "string", "defaultValue": "x"}},
            "resources": resources,
        }
    path = os.path.join(out, "azuredeploy.json")
    write(path, json.dumps(template(n), indent=1))
elif dimension == "files":
    for i in range(n):
        d = os.path.join(out, f"d{i // 50}", f"m{i}")
        if i % 2:
            write(os.path.join(d, "main.bicep"), MODULE.replace("name string", f"name string = 'vm{i}'"))
        else:
            write(os.path.join(d, "azuredeploy.json"), json.dumps({
                "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
                "contentVersion": "1.0.0.0",
                "parameters": {"name": {"type": "string", "defaultValue": f"st{i}"}},
                "resources": [{
                    "type": "Microsoft.Storage/storageAccounts",
                    "apiVersion": "2023-01-01",
                    "name": "[parameters('name')]",
                    "location": "[resourceGroup().location]",
                    "kind": "StorageV2",
                    "sku": {"name": "Standard_LRS"},
                }],
            }, indent=2))
    path = out
else:
    sys.exit(f"unknown dimension {dimension}")
print(path)
