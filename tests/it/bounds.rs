//! Work that grows with the input stays bounded: module fan-out trees (issue 21 item 20) and huge
//! templates with inner-scope nested deployments (item 21) end within `--file-timeout`, say so
//! (INPUT011), and still check what is cheap to check. No timing is asserted: the inputs are made
//! so big that only the bound can end them early, and what is asserted is that it did.

use std::fmt::Write as _;
use std::path::Path;

use crate::support::json_report;

/// A literal password the calling file writes itself (KEY002 must report it in every case).
const CALLER_PASSWORD: &str = "Kx7#mPq2vLw9zR4t";

/// A Bicep tree of `levels` files below `main.bicep`: every file calls the next level `fan_out`
/// times and passes its parameters on (with `distinct`, each call passes a name of its own, so
/// no two calls bind the module to the same values). The keys `main.bicep` passes reach an app
/// setting in every level.
fn fan_out_tree(dir: &Path, levels: usize, fan_out: usize, distinct: bool) {
    let calls = |next: usize| {
        let mut s = String::new();
        for i in 0..fan_out {
            let name = if distinct {
                format!("'${{name}}-{i}'")
            } else {
                "name".to_string()
            };
            writeln!(
                s,
                "module m{i} './l{next}.bicep' = {{\n  name: 'm{i}'\n  params: {{\n    name: {name}\n    \
                 openAiKey: openAiKey\n    storageConnection: storageConnection\n  }}\n}}"
            )
            .unwrap();
        }
        s
    };
    for level in 1..=levels {
        let mut s = String::from(
            "param name string\nparam openAiKey string = ''\nparam storageConnection string = ''\n\n\
             resource site 'Microsoft.Web/sites@2022-09-01' = {\n  name: name\n  location: 'westeurope'\n  \
             identity: {\n    type: 'SystemAssigned'\n  }\n  properties: {\n    siteConfig: {\n      \
             appSettings: [\n        { name: 'OPENAI_KEY', value: openAiKey }\n        \
             { name: 'AzureWebJobsStorage', value: storageConnection }\n      ]\n    }\n  }\n}\n",
        );
        if level < levels {
            s.push_str(&calls(level + 1));
        }
        std::fs::write(dir.join(format!("l{level}.bicep")), s).unwrap();
    }
    let mut main = format!(
        "param name string\n\nresource openai 'Microsoft.CognitiveServices/accounts@2023-05-01' existing = {{\n  \
         name: name\n}}\n\nresource storage 'Microsoft.Storage/storageAccounts@2023-01-01' existing = {{\n  \
         name: name\n}}\n\nvar storageKey = storage.listKeys().keys[0].value\nvar openAiKey = openai.listKeys().key1\n\
         var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${{name}};AccountKey=${{storageKey}}'\n\n\
         resource db 'Microsoft.Web/sites@2022-09-01' = {{\n  name: 'db-${{name}}'\n  location: 'westeurope'\n  \
         identity: {{\n    type: 'SystemAssigned'\n  }}\n  properties: {{\n    siteConfig: {{\n      appSettings: [\n        \
         {{ name: 'SQL_PASSWORD', value: '{CALLER_PASSWORD}' }}\n      ]\n    }}\n  }}\n}}\n\n"
    );
    main.push_str(&calls(1));
    std::fs::write(dir.join("main.bicep"), main).unwrap();
}

fn findings(v: &serde_json::Value) -> &Vec<serde_json::Value> {
    v["findings"].as_array().unwrap()
}

fn rules_in(v: &serde_json::Value, path: &str) -> Vec<String> {
    findings(v)
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

/// Merged messages name the other rules and never carry their messages: what a fan-out tree
/// reports grows with the number of places, not with the number of paths through the tree.
#[test]
fn module_fan_out_output_does_not_grow_with_the_paths() {
    let size = |fan_out: usize| {
        let d = tempfile::tempdir().unwrap();
        fan_out_tree(d.path(), 4, fan_out, false);
        let (v, _) = json_report(d.path(), &["main.bicep"]);
        let main: Vec<&serde_json::Value> = findings(&v)
            .iter()
            .filter(|f| f["path"] == "main.bicep")
            .collect();
        assert!(
            main.iter().any(|f| f["rule_id"] == "KEY007"),
            "the keys passed down are reported at the arguments: {v}"
        );
        assert!(rules_in(&v, "main.bicep").contains(&"KEY002".to_string()));
        for f in &main {
            let m = f["message"].as_str().unwrap();
            assert!(m.len() < 2_000, "a message of {} bytes: {m}", m.len());
            assert!(m.matches("(also").count() <= 1, "{m}");
        }
        (
            main.len(),
            main.iter()
                .map(|f| f["message"].as_str().unwrap().len())
                .sum::<usize>(),
        )
    };
    let (n4, bytes4) = size(4);
    let (n8, bytes8) = size(8);
    // 4 levels: the paths grow 16-fold from fan-out 4 to 8; the places only double (the calls of
    // main.bicep), so the report may at most about double too
    assert!(n8 <= 2 * n4 + 2, "{n4} findings at fan-out 4, {n8} at 8");
    assert!(
        bytes8 <= 3 * bytes4,
        "{bytes4} message bytes at fan-out 4, {bytes8} at 8"
    );
}

/// Following modules counts against the file's `--file-timeout`, after the file's own rules: a
/// fan-out tree whose every call binds new values is cut short (INPUT011 says so) and the literal
/// password the caller writes itself is still reported.
#[test]
fn module_following_obeys_the_file_timeout() {
    let d = tempfile::tempdir().unwrap();
    // 12^4 = 20,736 distinct bindings at the deepest level: minutes of work without the bound
    fan_out_tree(d.path(), 4, 12, true);
    let (v, _) = json_report(d.path(), &["--file-timeout", "1s", "main.bicep"]);
    let rules = rules_in(&v, "main.bicep");
    assert!(rules.contains(&"KEY002".to_string()), "{v}");
    let timed_out: Vec<&str> = findings(&v)
        .iter()
        .filter(|f| f["path"] == "main.bicep" && f["rule_id"] == "INPUT011")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(timed_out.len(), 1, "{v}");
    assert!(
        timed_out[0].contains("module calls were not all followed"),
        "{}",
        timed_out[0]
    );
}

/// An ARM template of `n` inner-scope nested deployments, each handing a `listKeys()` key to an
/// app setting and a connection string of its own template and assigning Owner to a principal it
/// is passed (the KEY007, CONN001, CONN002 and RBAC001 paths through nested deployments).
fn nested_deployments(n: usize) -> String {
    let mut resources = Vec::new();
    for i in 0..n {
        resources.push(format!(
            r#"{{"type": "Microsoft.Resources/deployments", "apiVersion": "2022-09-01", "name": "d{i}",
 "properties": {{"mode": "Incremental", "expressionEvaluationOptions": {{"scope": "inner"}},
  "parameters": {{"name": {{"value": "[format('app{i}-{{0}}', parameters('prefix'))]"}},
   "key": {{"value": "[listKeys(resourceId('Microsoft.Storage/storageAccounts', 'sa{i}'), '2023-01-01').keys[0].value]"}},
   "principal": {{"value": "[parameters('principal')]"}}}},
  "template": {{"$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
   "contentVersion": "1.0.0.0",
   "parameters": {{"name": {{"type": "string"}}, "key": {{"type": "securestring"}}, "principal": {{"type": "string"}}}},
   "resources": [
    {{"type": "Microsoft.Web/sites", "apiVersion": "2022-09-01", "name": "[parameters('name')]", "location": "westeurope",
     "properties": {{"siteConfig": {{"appSettings": [
      {{"name": "AzureWebJobsStorage", "value": "[concat('DefaultEndpointsProtocol=https;AccountName=', parameters('name'), ';AccountKey=', parameters('key'))]"}},
      {{"name": "STORAGE_KEY", "value": "[parameters('key')]"}}]}}}}}},
    {{"type": "Microsoft.Authorization/roleAssignments", "apiVersion": "2022-04-01", "name": "[guid(parameters('name'))]",
     "properties": {{"roleDefinitionId": "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '8e3af657-a8ff-463c-9c1a-0a1d7b5d1a5c')]",
      "principalId": "[parameters('principal')]"}}}}]}}}}}}"#
        ));
    }
    format!(
        "{{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\",\n\
         \"contentVersion\": \"1.0.0.0\",\n\"parameters\": {{\"prefix\": {{\"type\": \"string\"}}, \
         \"principal\": {{\"type\": \"string\"}}}},\n\"resources\": [\n{}\n]}}\n",
        resources.join(",\n")
    )
}

/// The generator above makes what the rules report through nested deployments (a small one,
/// scanned without a bound), so the big one below exercises those paths.
#[test]
fn nested_deployments_reach_the_rules() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("azuredeploy.json"), nested_deployments(3)).unwrap();
    let (v, _) = json_report(d.path(), &["azuredeploy.json"]);
    let rules = rules_in(&v, "azuredeploy.json");
    for id in ["KEY007", "CONN002"] {
        assert_eq!(rules.iter().filter(|r| *r == id).count(), 3, "{id}: {v}");
    }
}

/// A huge template of inner-scope nested deployments ends at the per-file bound and says so.
#[test]
fn nested_deployments_respect_the_file_timeout() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("azuredeploy.json"), nested_deployments(6_000)).unwrap();
    let (v, _) = json_report(d.path(), &["--file-timeout", "20ms", "azuredeploy.json"]);
    let timed_out: Vec<&serde_json::Value> = findings(&v)
        .iter()
        .filter(|f| f["rule_id"] == "INPUT011")
        .collect();
    assert_eq!(timed_out.len(), 1, "{v}");
    assert!(timed_out[0]["message"]
        .as_str()
        .unwrap()
        .contains("--file-timeout"));
}
