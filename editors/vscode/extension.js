// A minimal client for `keyless server`: starts it over stdio for the files keyless reads
// (formats.json, generated from keyless's format descriptors, src/formats.rs) and for unsaved
// buffers in those languages. Bundled with esbuild into dist/extension.js (`npm run build`).
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");
const formats = require("./formats.json");

let client;

function activate(context) {
  const config = vscode.workspace.getConfiguration("keyless");
  const command = config.get("path", "keyless");
  const serverOptions = { run: { command, args: ["server"] }, debug: { command, args: ["server"] } };
  const documentSelector = [
    ...formats.files.map((pattern) => ({ scheme: "file", pattern })),
    ...formats.untitledLanguages.map((language) => ({ scheme: "untitled", language })),
  ];
  const clientOptions = {
    documentSelector,
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
