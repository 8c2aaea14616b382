#!/usr/bin/env python3
"""Writes the KEY001/CONN001/CONN002 fixtures with FAKE secrets of the right shape.

Every random part comes from a seeded PRNG (labels like "fixture-storage"), so the keys are
synthetic and reproducible; checksum formats get valid checksums computed here (Marvin32 for
Azure identifiable keys and common annotated security keys, CRC-32 for legacy Azure DevOps PATs).
Run from the crate root: python3 testdata/generate_fake_secrets.py
"""
import base64, hashlib, json, os, random, zlib

M32 = 0xFFFFFFFF

def rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & M32

def marvin32(data, seed):
    p0, p1 = seed & M32, (seed >> 32) & M32
    def block(p0, p1):
        p1 ^= p0; p0 = rotl(p0, 20); p0 = (p0 + p1) & M32; p1 = rotl(p1, 9)
        p1 ^= p0; p0 = rotl(p0, 27); p0 = (p0 + p1) & M32; p1 = rotl(p1, 19)
        return p0, p1
    n = len(data) // 4 * 4
    for i in range(0, n, 4):
        p0 = (p0 + int.from_bytes(data[i:i+4], "little")) & M32
        p0, p1 = block(p0, p1)
    rem = data[n:]
    last = {0: 0x80, 1: 0x8000 | (rem[0] if rem else 0)}.get(len(rem))
    if len(rem) == 2: last = 0x800000 | rem[0] | rem[1] << 8
    if len(rem) == 3: last = 0x80000000 | rem[0] | rem[1] << 8 | rem[2] << 16
    p0 = (p0 + last) & M32
    p0, p1 = block(p0, p1); p0, p1 = block(p0, p1)
    return p0 ^ p1

assert (lambda: True)()

def rnd(label, n):
    r = random.Random(label)
    return bytes(r.getrandbits(8) for _ in range(n))

def b64(b, url=False):
    s = base64.b64encode(b).decode()
    return s.replace("+", "-").replace("/", "_") if url else s

def identifiable(label, length, sig, seed, url=False):
    alpha = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + ("-_" if url else "+/")
    for attempt in range(10000):
        b = bytearray(rnd(f"{label}{attempt}", length))
        trimmed = len(b64(bytes(b)).rstrip("="))
        bit = (trimmed - 10) * 6
        sigv = 0
        for c in sig:
            sigv = sigv << 6 | alpha.index(c)
        for i in range(24):
            v = (sigv >> (23 - i)) & 1
            pos = bit + i
            if v: b[pos // 8] |= 0x80 >> (pos % 8)
            else: b[pos // 8] &= ~(0x80 >> (pos % 8)) & 0xFF
        for pos in range(bit + 24, (length - 4) * 8):
            b[pos // 8] &= ~(0x80 >> (pos % 8)) & 0xFF
        b[-4:] = marvin32(bytes(b[:-4]), seed).to_bytes(4, "little")
        k = b64(bytes(b), url)
        t = k.rstrip("=")
        if t[-10:-6] == sig:
            return k
    raise SystemExit("no key for " + sig)

CASK_SEED = 0x44656661756c7430

def cask(label, provider):
    for attempt in range(100000):
        r = "".join(c for c in b64(rnd(f"{label}{attempt}", 60)) if c.isalnum())
        if len(r) < 52: continue
        text = r[:52] + "JQQJ99AB" + "A" * 12 + "AAAA" + provider
        b = bytearray(base64.b64decode(text))
        b += marvin32(bytes(b), CASK_SEED).to_bytes(4, "little")
        k = b64(bytes(b))
        if k[:86].isalnum():
            return k
    raise SystemExit("no cask")

AAD_ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890.-_~"
AAD_SEED = 0x4161645077643030

def aad(label):
    r = rnd(label, 40)
    pick = lambda x: AAD_ALPHA[x % 62]
    body = "".join(pick(x) for x in r[:3]) + "8Q~" + "".join(pick(x) for x in r[3:34])
    v = marvin32(body.encode(), AAD_SEED)
    enc = ""
    while v:
        enc = AAD_ALPHA[v % 66] + enc
        v //= 66
    # CustomAlphabetEncoder pads to six digits with the alphabet's first character
    enc = enc.rjust(6, AAD_ALPHA[0])
    return body + enc[:3]

def ado_pat(label):
    b = bytearray(rnd(label, 32))
    token = bytes(b[0:2] + b[3:7] + b[9:22] + b[23:32])
    s = ((zlib.crc32(token) ^ 0xE0B9692D) & M32).to_bytes(4, "little")
    b[22], b[8], b[7], b[2] = s
    bits = "".join(f"{x:08b}" for x in b) + "0000"
    return "".join("abcdefghijklmnopqrstuvwxyz234567"[int(bits[i:i+5], 2)] for i in range(0, 260, 5))

EMULATOR = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
STORAGE = identifiable("fixture-storage", 64, "+ASt", 0x44656661756c7430)
SB = identifiable("fixture-sb", 32, "+ASb", 0x53656e6430303030)
LEGACY64 = b64(rnd("fixture-legacy64", 64))
LEGACY32 = b64(rnd("fixture-legacy32", 32))
SIG = b64(rnd("fixture-sas", 32)).replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
AADS = aad("fixture-aad")
PAT = ado_pat("fixture-pat")
DEVOPS = cask("fixture-cask", "AZDO")
PEM_BODY = b64(rnd("fixture-pem", 96))
PEM = "-----BEGIN PRIVATE KEY-----\\n" + PEM_BODY[:64] + "\\n" + PEM_BODY[64:] + "\\n-----END PRIVATE KEY-----"
CERT = "-----BEGIN CERTIFICATE-----\\n" + PEM_BODY[:64] + "\\n-----END CERTIFICATE-----"
PUB = "-----BEGIN PUBLIC KEY-----\\n" + PEM_BODY[:64] + "\\n-----END PUBLIC KEY-----"
SHA512 = "sha512-" + base64.b64encode(hashlib.sha512(b"fake-package-1.0.0.tgz").digest()).decode()
PWD = "Fake-Pa55w0rd-" + rnd("pwd", 4).hex()

SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#"
PSCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#"

files = {}

files["KEY001/fire/azuredeploy.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "storageName": {{ "type": "string" }},
    "clientId": {{ "type": "string" }}
  }},
  "variables": {{
    "note": "fake secrets generated by testdata/generate_fake_secrets.py",
    "storage": {{
      "primaryKey": "{STORAGE}"
    }},
    "clientSecret": "{AADS}",
    "tls": {{
      "pem": "{PEM}"
    }},
    "legacyConnection": "[concat('DefaultEndpointsProtocol=https;AccountName=', parameters('storageName'), ';AccountKey={LEGACY64}')]"
  }},
  "resources": []
}}
'''

files["KEY001/fire/azuredeploy.parameters.json"] = f'''{{
  "$schema": "{PSCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "devopsToken": {{
      "value": "{DEVOPS}"
    }}
  }}
}}
'''

files["KEY001/fire/appsettings.json"] = f'''{{
  "Storage": {{
    "AccountKey": "{LEGACY64}",
    "SbKey": "{SB}",
    "Container": "images",
    "SasUrl": "https://fakeacct.blob.core.windows.net/images?sv=2022-11-02&sp=r&sig={SIG}",
    "DevOps": {{
      "Pat": "{PAT}"
    }}
  }}
}}
'''

files["KEY001/silent/azuredeploy.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "adminPassword": {{ "type": "securestring" }},
    "sshPublicKey": {{ "type": "string", "defaultValue": "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDfakefakefakefakefakefakefakefake fake@example" }}
  }},
  "variables": {{
    "tenantId": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "roleId": "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/providers/Microsoft.Authorization/roleDefinitions/ba92f5b4-2d11-453d-a403-e96b0029c9fe",
    "storageId": "[resourceId('Microsoft.Storage/storageAccounts', 'fakeacct')]",
    "certificate": "{CERT}",
    "publicKey": "{PUB}",
    "emulatorKey": "{EMULATOR}",
    "docsKey": "-----BEGIN PRIVATE KEY-----\\n...\\n-----END PRIVATE KEY-----",
    "placeholderKey": "<your-storage-account-key>",
    "keyVaultRef": "@Microsoft.KeyVault(SecretUri=https://fakekv.vault.azure.net/secrets/storage-key/)"
  }},
  "resources": []
}}
'''

files["KEY001/silent/appsettings.json"] = f'''{{
  "Storage": {{
    "AccountKey": "@Microsoft.KeyVault(VaultName=fakekv;SecretName=storage-key)",
    "EmulatorKey": "{EMULATOR}",
    "ConnectionString": "UseDevelopmentStorage=true",
    "ApiKey": "$(ApiKey)",
    "ClientSecret": "{{{{ client_secret }}}}",
    "ClientId": "0f8fad5b-d9cb-469f-a165-70867728950e",
    "Integrity": "{LEGACY64}"
  }}
}}
'''

files["KEY001/silent/package-lock.json"] = f'''{{
  "name": "fake-app",
  "lockfileVersion": 3,
  "packages": {{
    "node_modules/fake-package": {{
      "version": "1.0.0",
      "resolved": "https://registry.npmjs.org/fake-package/-/fake-package-1.0.0.tgz",
      "integrity": "{SHA512}"
    }}
  }}
}}
'''

SQL = f"Server=tcp:fakesql.database.windows.net,1433;Initial Catalog=appdb;User ID=appuser;Password={PWD};Encrypt=True"
files["CONN001/fire/appsettings.json"] = f'''{{
  "ConnectionStrings": {{
    "Sql": "Server=tcp:fakesql.database.windows.net,1433;Initial Catalog=appdb;User ID=appuser;Password={PWD};Encrypt=True",
    "Storage": "DefaultEndpointsProtocol=https;AccountName=fakeacct;AccountKey={LEGACY64};EndpointSuffix=core.windows.net",
    "ServiceBus": "Endpoint=sb://fakens.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey={LEGACY32}",
    "Cosmos": "AccountEndpoint=https://fakecosmos.documents.azure.com:443/;AccountKey={LEGACY64};",
    "Postgres": "postgresql://pgadmin:{PWD}@fakepg.postgres.database.azure.com:5432/appdb?sslmode=require",
    "Redis": "fakeredis.redis.cache.windows.net:6380,password={LEGACY32},ssl=True,abortConnect=False",
    "EventHubs": "Endpoint=sb://fakeeh.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey={LEGACY32};EntityPath=fakeeventhub"
  }}
}}
'''

files["CONN001/fire/azuredeploy.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "resources": [
    {{
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "fake-func",
      "kind": "functionapp",
      "location": "westeurope",
      "properties": {{
        "siteConfig": {{
          "appSettings": [
            {{ "name": "AzureWebJobsStorage", "value": "DefaultEndpointsProtocol=https;AccountName=fakeacct;AccountKey={LEGACY64}" }}
          ],
          "connectionStrings": [
            {{
              "name": "Db",
              "type": "SQLAzure",
              "connectionString":
                "{SQL}"
            }}
          ]
        }}
      }}
    }}
  ]
}}
'''

files["CONN001/fire/azuredeploy.parameters.json"] = f'''{{
  "$schema": "{PSCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "dbConnection": {{
      "value": "Server=fakesql.database.windows.net;Database=appdb;User ID=appuser;Password={PWD}"
    }}
  }}
}}
'''

files["CONN001/silent/appsettings.json"] = f'''{{
  "ConnectionStrings": {{
    "SqlIdentity": "Server=tcp:fakesql.database.windows.net,1433;Initial Catalog=appdb;Authentication=Active Directory Default;Encrypt=True",
    "SqlMi": "Server=tcp:fakesql.database.windows.net;Database=appdb;Authentication=Active Directory Managed Identity;User Id=0f8fad5b-d9cb-469f-a165-70867728950e",
    "SqlIntegrated": "Data Source=.;Initial Catalog=appdb;Integrated Security=SSPI",
    "SqlPipeline": "Server=fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=$(DbPassword)",
    "SqlTemplate": "Server=fakesql.database.windows.net;Database=appdb;User ID=appuser;Password={{{{ db_password }}}}",
    "SqlDocs": "Server=fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=<password>",
    "KeyVault": "@Microsoft.KeyVault(SecretUri=https://fakekv.vault.azure.net/secrets/db/)",
    "Dev": "UseDevelopmentStorage=true",
    "Emulator": "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={EMULATOR};BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"
  }},
  "ServiceBus": {{
    "fullyQualifiedNamespace": "fakens.servicebus.windows.net"
  }},
  "AzureWebJobsStorage__accountName": "fakeacct"
}}
'''

files["CONN001/silent/azuredeploy.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "dbConnection": {{ "type": "securestring" }}
  }},
  "resources": [
    {{
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "fake-func",
      "location": "westeurope",
      "identity": {{ "type": "SystemAssigned" }},
      "properties": {{
        "siteConfig": {{
          "appSettings": [
            {{ "name": "AzureWebJobsStorage__accountName", "value": "fakeacct" }},
            {{ "name": "Db", "value": "[parameters('dbConnection')]" }},
            {{ "name": "Sql", "value": "Server=tcp:fakesql.database.windows.net;Database=appdb;Authentication=Active Directory Default" }},
            {{ "name": "Broken", "value": "[concat('Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=', parameters('user'), ';Password=', parameters('pwd'), ';Encrypt=True'" }}
          ]
        }}
      }}
    }}
  ]
}}
'''

files["CONN001/silent/azuredeploy.parameters.json"] = f'''{{
  "$schema": "{PSCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "dbConnection": {{
      "reference": {{
        "keyVault": {{ "id": "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/fakekv" }},
        "secretName": "db-connection"
      }}
    }}
  }}
}}
'''

files["CONN002/fire/azuredeploy.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "storageName": {{ "type": "string" }},
    "sqlPassword": {{ "type": "securestring" }}
  }},
  "resources": [
    {{
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "fake-func",
      "kind": "functionapp",
      "location": "westeurope",
      "properties": {{
        "siteConfig": {{
          "appSettings": [
            {{
              "name": "AzureWebJobsStorage",
              "value": "[concat('DefaultEndpointsProtocol=https;AccountName=', parameters('storageName'), ';AccountKey=', listKeys(resourceId('Microsoft.Storage/storageAccounts', parameters('storageName')), '2023-01-01').keys[0].value)]"
            }},
            {{
              "name": "Db",
              "value": "[format('Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password={{0}}', parameters('sqlPassword'))]"
            }}
          ]
        }}
      }}
    }}
  ],
  "outputs": {{
    "sb": {{ "type": "string", "value": "[concat('Endpoint=sb://fakens.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=', listKeys(resourceId('Microsoft.ServiceBus/namespaces/authorizationRules', 'fakens', 'RootManageSharedAccessKey'), '2021-11-01').primaryKey)]" }}
  }}
}}
'''

files["CONN002/silent/azuredeploy.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "storageName": {{ "type": "string" }},
    "dbConnection": {{ "type": "securestring" }}
  }},
  "resources": [
    {{
      "type": "Microsoft.Web/sites",
      "apiVersion": "2022-09-01",
      "name": "fake-func",
      "location": "westeurope",
      "identity": {{ "type": "SystemAssigned" }},
      "properties": {{
        "siteConfig": {{
          "appSettings": [
            {{ "name": "AzureWebJobsStorage__accountName", "value": "[parameters('storageName')]" }},
            {{ "name": "Db", "value": "[parameters('dbConnection')]" }},
            {{ "name": "Sql", "value": "[concat('Server=tcp:', parameters('storageName'), '.database.windows.net;Database=appdb;Authentication=Active Directory Default')]" }},
            {{ "name": "Blob", "value": "[concat('BlobEndpoint=https://', parameters('storageName'), '.blob.core.windows.net/')]" }}
          ]
        }}
      }}
    }}
  ]
}}
'''

# --- Terraform, YAML, web.config, .env (parsers on main since the first merge) ---

files["KEY001/fire/main.tf"] = f"""provider "azurerm" {{
  features {{}}
  client_id     = "0f8fad5b-d9cb-469f-a165-70867728950e"
  client_secret = "{AADS}"
}}

resource "azurerm_storage_share" "s" {{
  name                 = "share"
  storage_account_name = "fakeacct"
  # fake key generated by testdata/generate_fake_secrets.py
  access_key           = "{STORAGE}"
}}
"""

files["KEY001/fire/azure-pipelines.yml"] = f"""trigger: none
variables:
  devopsPat: {PAT}
  sbKey: "{SB}"
steps:
  - script: echo build
"""

files["KEY001/fire/.env"] = f"""# fake secrets generated by testdata/generate_fake_secrets.py
STORAGE_ACCOUNT_KEY={LEGACY64}
CLIENT_SECRET="{AADS}"
"""

files["KEY001/fire/web.config"] = f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="StorageKey" value="{STORAGE}" />
  </appSettings>
</configuration>
"""

files["KEY001/silent/main.tf"] = f"""variable "client_secret" {{
  type      = string
  sensitive = true
}}

provider "azurerm" {{
  features {{}}
  client_secret = var.client_secret
}}

data "azurerm_key_vault_secret" "k" {{
  name         = "storage-key"
  key_vault_id = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/fakekv"
}}

resource "azurerm_storage_share" "s" {{
  name                 = "share"
  storage_account_name = "fakeacct"
  access_key           = data.azurerm_key_vault_secret.k.value
}}
"""

files["KEY001/silent/.env"] = f"""STORAGE_ACCOUNT_KEY=${{STORAGE_KEY}}
CLIENT_SECRET=<your-client-secret>
AZURE_STORAGE_KEY={EMULATOR}
TENANT_ID=0f8fad5b-d9cb-469f-a165-70867728950e
"""

files["CONN001/fire/main.tf"] = f"""resource "azurerm_linux_web_app" "app" {{
  name                = "fake-app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  app_settings = {{
    "ServiceBus" = "Endpoint=sb://fakens.servicebus.windows.net/;SharedAccessKeyName=Root;SharedAccessKey={LEGACY32}"
  }}

  connection_string {{
    name  = "Db"
    type  = "SQLAzure"
    value = "Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password={PWD}"
  }}

  site_config {{}}
}}
"""

files["CONN001/fire/web.config"] = f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="Db" connectionString="Data Source=fakesql.database.windows.net;Initial Catalog=appdb;User ID=appuser;Password={PWD}" providerName="System.Data.SqlClient" />
  </connectionStrings>
</configuration>
"""

files["CONN001/fire/.env"] = f"""DATABASE_URL=postgresql://pgadmin:{PWD}@fakepg.postgres.database.azure.com:5432/appdb
REDIS=fakeredis.redis.cache.windows.net:6380,password={LEGACY32},ssl=True
"""

files["CONN001/fire/azure-pipelines.yml"] = f"""steps:
  - script: dotnet test
    env:
      ConnectionStrings__Db: "Server=fakesql.database.windows.net;Database=appdb;User ID=appuser;Password={PWD}"
"""

files["CONN001/silent/main.tf"] = f"""resource "azurerm_linux_web_app" "app" {{
  name                = "fake-app"
  resource_group_name = "rg"
  location            = "westeurope"
  service_plan_id     = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  identity {{
    type = "SystemAssigned"
  }}

  app_settings = {{
    "ServiceBus__fullyQualifiedNamespace" = "fakens.servicebus.windows.net"
    "Db"                                  = "Server=tcp:fakesql.database.windows.net;Database=appdb;Authentication=Active Directory Default"
    "Vault"                               = "@Microsoft.KeyVault(SecretUri=https://fakekv.vault.azure.net/secrets/db/)"
  }}

  site_config {{}}
}}
"""

files["CONN001/silent/web.config"] = f"""<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <connectionStrings>
    <add name="Db" connectionString="Data Source=fakesql.database.windows.net;Initial Catalog=appdb;Authentication=Active Directory Managed Identity" />
    <add name="Local" connectionString="Data Source=(localdb)\\MSSQLLocalDB;Initial Catalog=appdb;Integrated Security=True" />
    <add name="Token" connectionString="Data Source=fakesql.database.windows.net;Initial Catalog=appdb;User ID=appuser;Password=#{{DbPassword}}#" />
  </connectionStrings>
</configuration>
"""

files["CONN001/silent/.env"] = f"""DATABASE_URL=postgresql://fakepg.postgres.database.azure.com:5432/appdb?sslmode=require
AzureWebJobsStorage=UseDevelopmentStorage=true
"""

files["CONN002/fire/main.tf"] = f"""resource "azurerm_storage_account" "a" {{
  name                     = "fakeacct"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}}

resource "azurerm_linux_function_app" "f" {{
  name                       = "fake-func"
  resource_group_name        = "rg"
  location                   = "westeurope"
  service_plan_id            = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"
  storage_account_name       = azurerm_storage_account.a.name

  app_settings = {{
    "Storage" = "DefaultEndpointsProtocol=https;AccountName=${{azurerm_storage_account.a.name}};AccountKey=${{azurerm_storage_account.a.primary_access_key}}"
    "Db"      = "Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=${{var.sql_password}}"
    "Bus"     = azurerm_servicebus_namespace.sb.default_primary_connection_string
  }}

  site_config {{}}
}}
"""

files["CONN002/silent/main.tf"] = f"""data "azurerm_key_vault_secret" "db" {{
  name         = "db-password"
  key_vault_id = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/fakekv"
}}

resource "azurerm_linux_function_app" "f" {{
  name            = "fake-func"
  location        = "westeurope"
  service_plan_id = "/subscriptions/0f8fad5b-d9cb-469f-a165-70867728950e/resourceGroups/rg/providers/Microsoft.Web/serverFarms/plan"

  identity {{
    type = "SystemAssigned"
  }}

  app_settings = {{
    "AzureWebJobsStorage__accountName" = azurerm_storage_account.a.name
    "Sql"  = "Server=tcp:${{var.sql_server}}.database.windows.net;Database=appdb;Authentication=Active Directory Default"
    "Db"   = "Server=tcp:fakesql.database.windows.net;Database=appdb;User ID=appuser;Password=${{data.azurerm_key_vault_secret.db.value}}"
  }}

  site_config {{}}
}}
"""

# Plural secret names (issue 14): each item or `;`/`,`-separated part is judged and reported alone.
PL_A = b64(rnd("fixture-plural-a", 64))
PL_B = b64(rnd("fixture-plural-b", 64))
PL_C = b64(rnd("fixture-plural-c", 32))
PL_PW1 = "Fake-Plural-Pa55-01!"
PL_PW2 = "Fake-Plural-Pa55-02!"

files["KEY002/fire/appsettings.Plural.json"] = f'''{{
  "Storage": {{
    "StorageKeys": "{PL_A};{PL_B}",
    "AccountKeys": ["{PL_A}", "{PL_B}"],
    "ServiceBusKeys": "{PL_C}, {PL_A}"
  }},
  "adminPasswords": ["{PL_PW1}", "{PL_PW2}"],
  "secrets": ["{PL_B}"]
}}
'''

files["KEY002/silent/appsettings.Plural.json"] = f'''{{
  "keys": ["primary", "secondary"],
  "Keys": "key1;key2",
  "secrets": ["storage-key", "sql-password"],
  "primaryKeys": ["@Microsoft.KeyVault(SecretUri=https://fakekv.vault.azure.net/secrets/a/)"],
  "keyVaultKeys": ["{PL_A}"],
  "partitionKeys": ["/tenantId", "/userId"],
  "secretNames": ["storage-key", "sql-password"],
  "adminPasswords": ["$(AdminPassword1)", "#{{AdminPassword2}}#"],
  "StorageKeys": "__StorageKeys__",
  "sshKeys": ["ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDfakefakefakefakefakefakefakefake fake@example"]
}}
'''

files["KEY002/fire/plural.tf"] = f'''locals {{
  storage_keys    = ["{PL_A}", "{PL_B}"]
  admin_passwords = "{PL_PW1},{PL_PW2}"
}}
'''

files["KEY002/silent/plural.tf"] = f'''locals {{
  keys            = ["primary", "secondary"]
  storage_keys    = [azurerm_storage_account.a.primary_access_key, azurerm_storage_account.a.secondary_access_key]
  admin_passwords = [var.admin_password_1, var.admin_password_2]
  key_vault_keys  = ["storage", "sql"]
}}
'''

files["KEY002/fire/plural.bicep"] = f'''var storageAccountKeys = [
  '{PL_A}'
  '{PL_B}'
]
var adminPasswords = '{PL_PW1};{PL_PW2}'
output n int = length(storageAccountKeys) + length(adminPasswords)
'''

files["KEY002/silent/plural.bicep"] = f'''var keys = [
  'key1'
  'key2'
]
var storageAccountKeys = [for k in keys: k]
var adminPasswords = [
  '$(AdminPassword1)'
]
output n int = length(storageAccountKeys) + length(adminPasswords)
'''

files["KEY002/fire/plural.env"] = f'''STORAGE_KEYS={PL_A};{PL_B}
ADMIN_PASSWORDS={PL_PW1},{PL_PW2}
'''

files["KEY002/silent/plural.env"] = f'''KEYS=primary,secondary
STORAGE_KEYS=${{STORAGE_KEY_1}};${{STORAGE_KEY_2}}
KEY_VAULT_KEYS=storage,sql
'''

# Base64 private keys (issue 14): a PEM private key in base64, PKCS#12 archives and DER keys.
# Built from DER by hand with random contents: the structure of a key, never a usable key.
def der(tag, content):
    n = len(content)
    if n < 0x80:
        head = bytes([tag, n])
    elif n < 0x100:
        head = bytes([tag, 0x81, n])
    else:
        head = bytes([tag, 0x82, n >> 8, n & 0xFF])
    return head + content

def seq(*parts):
    return der(0x30, b"".join(parts))

def oid(hexs):
    return der(0x06, bytes.fromhex(hexs))

PKCS = "2a864886f70d01"
OID_DATA = oid(PKCS + "0701")
OID_ENCDATA = oid(PKCS + "0706")
OID_RSA = oid(PKCS + "0101")
OID_SHA256RSA = oid(PKCS + "010b")
OID_SHROUDED = oid(PKCS + "0c0a0102")
OID_CERTBAG = oid(PKCS + "0c0a0103")
OID_PBES2 = oid(PKCS + "050d")
INT0, INT3 = der(0x02, b"\x00"), der(0x02, b"\x03")

def pkcs8(label):
    return seq(INT0, seq(OID_RSA, b"\x05\x00"), der(0x04, rnd(label, 600)))

def pfx(label, bag_oid, encrypted=False):
    if encrypted:
        safe = seq(OID_ENCDATA, der(0xA0, seq(der(0x02, b"\x00"), rnd(label + "-enc", 700))))
    else:
        bags = seq(seq(bag_oid, der(0xA0, rnd(label + "-bag", 700))))
        safe = seq(OID_DATA, der(0xA0, der(0x04, bags)))
    auth = seq(OID_DATA, der(0xA0, der(0x04, seq(safe))))
    mac = seq(seq(seq(oid("608648016503040201"), b"\x05\x00"), der(0x04, rnd(label + "-mac", 32))), der(0x04, rnd(label + "-salt", 8)))
    return seq(INT3, auth, mac)

def x509(label):
    tbs = seq(der(0xA0, der(0x02, b"\x02")), der(0x02, rnd(label + "-serial", 16)), seq(OID_SHA256RSA, b"\x05\x00"), rnd(label + "-tbs", 500))
    return seq(tbs, seq(OID_SHA256RSA, b"\x05\x00"), der(0x03, b"\x00" + rnd(label + "-sig", 256)))

def encrypted_pkcs8(label):
    return seq(seq(OID_PBES2, seq(rnd(label + "-params", 40))), der(0x04, rnd(label, 640)))

PEM64 = b64(PEM.encode())
PFX_KEY = b64(pfx("fixture-pfx", OID_SHROUDED))
PFX_ENC = b64(pfx("fixture-pfx-enc", None, encrypted=True))
DER_KEY = b64(pkcs8("fixture-pkcs8"))
DER_ENC_KEY = b64(encrypted_pkcs8("fixture-pkcs8-enc"))
CERT_DER = b64(x509("fixture-x509"))
PFX_CERTS = b64(pfx("fixture-pfx-certs", OID_CERTBAG))
CERT64 = b64(CERT.encode())
PUB64 = b64(PUB.encode())

files["KEY001/fire/appsettings.Certificates.json"] = f'''{{
  "MachineKey": {{
    "validation_key": "{PEM64}"
  }},
  "Signing": {{
    "CertificatePfx": "{PFX_KEY}",
    "ArchiveBase64": "{PFX_ENC}",
    "Der": "{DER_KEY}",
    "EncryptedDer": "{DER_ENC_KEY}"
  }}
}}
'''

files["KEY001/silent/appsettings.Certificates.json"] = f'''{{
  "Signing": {{
    "Certificate": "{CERT_DER}",
    "ChainPfx": "{PFX_CERTS}",
    "CertificatePem": "{CERT64}",
    "PublicKeyPem": "{PUB64}",
    "Truncated": "{PFX_KEY[:120]}",
    "Documentation": "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ... (truncated)"
  }}
}}
'''

files["KEY001/fire/certificates.parameters.json"] = f'''{{
  "$schema": "{PSCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "sslCertificateData": {{
      "value": "{PFX_KEY}"
    }}
  }}
}}
'''

files["KEY001/fire/certificates.tf"] = f'''resource "azurerm_app_service_certificate" "c" {{
  name                = "fake-cert"
  resource_group_name = "rg"
  location            = "westeurope"
  pfx_blob            = "{PFX_KEY}"
}}

locals {{
  validation_key = "{PEM64}"
}}
'''

files["KEY001/silent/certificates.tf"] = f'''resource "azurerm_app_service_certificate" "c" {{
  name                = "fake-cert"
  resource_group_name = "rg"
  location            = "westeurope"
  pfx_blob            = filebase64("cert.pfx")
}}

locals {{
  ca_certificate = "{CERT_DER}"
}}
'''

files["KEY001/fire/certificates.bicep"] = f'''var pfxData = '{PFX_KEY}'
var validationKey = '{PEM64}'
output n int = length(pfxData) + length(validationKey)
'''

files["KEY001/silent/certificates.bicep"] = f'''param pfxData string
var caCertificate = '{CERT_DER}'
output n int = length(pfxData) + length(caCertificate)
'''

# Literals inside expressions (issue 14): each is reported at its own place, also when the same
# key is written twice in one expression.
files["KEY001/fire/expressions.bicep"] = f'''param prod bool
param name string
var branch = prod ? '{STORAGE}' : 'UseDevelopmentStorage=true'
var both = prod ? '{STORAGE}' : '{STORAGE}'
var args = concat('{SB}', ';', toLower('{SB}'))
var interp = '${{name}} {STORAGE} ${{toLower('{SB}')}}'
var items = [
  prod ? {{ k: '{STORAGE}' }} : {{ k: 'none' }}
]
output n int = length(branch) + length(both) + length(args) + length(interp) + length(items)
'''

files["KEY001/silent/expressions.bicep"] = f'''param prod bool
param storageKey string
var branch = prod ? storageKey : 'UseDevelopmentStorage=true'
var both = prod ? '<storage-account-key>' : '$(StorageKey)'
var args = concat(storageKey, ';', toLower(storageKey))
var interp = '${{storageKey}} ${{toLower('{EMULATOR}')}}'
output n int = length(branch) + length(both) + length(args) + length(interp)
'''

files["KEY001/fire/expressions.json"] = f'''{{
  "$schema": "{SCHEMA}",
  "contentVersion": "1.0.0.0",
  "parameters": {{
    "prod": {{ "type": "bool" }}
  }},
  "variables": {{
    "both": "[if(parameters('prod'), '{STORAGE}', '{STORAGE}')]",
    "args": "[concat('{SB}', ';', toLower('{SB}'))]"
  }},
  "resources": []
}}
'''

files["KEY001/fire/expressions.tf"] = f'''variable "prod" {{
  type = bool
}}

locals {{
  both   = var.prod ? "{STORAGE}" : "{STORAGE}"
  interp = "${{var.prod}} {SB} ${{lower("{SB}")}}"
}}
'''

for rel, text in files.items():
    path = os.path.join("testdata", rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if rel.endswith(".json"):
        json.loads(text)
    with open(path, "w") as f:
        f.write(text)
print("wrote", len(files), "fixtures")
