// A minimal client for `keyless server`: starts it over stdio for the file kinds keyless reads.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("keyless");
  const command = config.get("path", "keyless");
  const serverOptions = { run: { command, args: ["server"] }, debug: { command, args: ["server"] } };
  const patterns = [
    "**/*.{json,jsonc,bicep,bicepparam,tf,tfvars,config,yaml,yml}",
    "**/.env",
    "**/.env.*",
    "**/*.env",
  ];
  const clientOptions = {
    documentSelector: patterns.map((pattern) => ({ scheme: "file", pattern })),
    initializationOptions: { debounceMs: config.get("debounceMs", 25) },
  };
  client = new LanguageClient("keyless", "keyless", serverOptions, clientOptions);
  context.subscriptions.push({ dispose: () => client && client.stop() });
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
