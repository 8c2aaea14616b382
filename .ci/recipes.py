"""Runs the CI recipes of the documentation as their CI services would, with keyless on PATH.

Usage: python recipes.py docs/src/integrations.md VERSION

Each recipe is the YAML block after a `<!-- recipe:NAME` marker in the page (the README shows the
same blocks; .ci/docs_check.py keeps them identical). Steps run in order in a scratch workspace,
each shell step under `bash -e -o pipefail` (what GitHub Actions uses for `run:`; Azure Pipelines'
`script:` is laxer), and a step is skipped after a failure unless its condition says to run anyway
(`if: always()`, `condition: always()` / `succeededOrFailed()`). A GitLab job's `script` lines run
in order and stop at the first failure, as GitLab's runner does; its `artifacts` are checked when
the job passed, or failed with `when: always`.
`pip install keyless==X` steps are checked against VERSION and skipped: keyless is already
installed from the wheel. Upload and publish steps check that the SARIF log exists and is SARIF.

Two cases per recipe: a workspace with findings (the gate fails, the SARIF log must exist all the
same) and a clean one (every step passes).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import yaml

FINDINGS = {
    # A secure parameter with a literal default (KEY003) and a connection string with a password.
    "azuredeploy.json": """{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "parameters": {
    "adminPassword": { "type": "securestring", "defaultValue": "Fake-Recipe-Pa55word!" }
  },
  "resources": []
}
""",
}
CLEAN = {
    "appsettings.json": '{ "Storage": { "blobServiceUri": "https://example.blob.core.windows.net" } }\n',
}


def recipe(readme, name):
    text = open(readme, encoding="utf-8").read()
    at = text.find(f"<!-- recipe:{name}")
    if at < 0:
        sys.exit(f"recipes: no `<!-- recipe:{name}` marker in {readme}")
    m = re.compile(r"```yaml\n(.*?)```", re.S).search(text, at)
    if not m:
        sys.exit(f"recipes: no YAML block after the {name} marker")
    doc = yaml.safe_load(m.group(1))
    if name == "gitlab":
        return doc
    return doc["steps"] if isinstance(doc, dict) else doc


def sh(script, cwd, env):
    print(f"    $ {script.strip()}", flush=True)
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=env
    ).returncode


def check_sarif(path):
    if not os.path.isfile(path):
        return f"no SARIF log at {path}"
    try:
        log = json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        return f"{path} is not JSON: {e}"
    if log.get("version") != "2.1.0" or not log.get("runs"):
        return f"{path} is not a SARIF 2.1.0 log"
    return None


def install_step(cmd, version):
    m = re.fullmatch(r"\s*pip install keyless==(\S+)\s*", cmd)
    if not m:
        return False
    if m.group(1) != version:
        sys.exit(f"recipes: the README installs keyless {m.group(1)}, the crate is {version}")
    return True


def run_github(steps, ws, env, version):
    failed, sarifs = False, []
    for step in steps:
        cond = str(step.get("if", "success()"))
        if failed and "always()" not in cond and "failure()" not in cond:
            print(f"  skip {step.get('name') or step.get('uses') or 'step'} (an earlier step failed)")
            continue
        if "run" in step:
            if install_step(step["run"], version):
                continue
            if sh(step["run"], ws, env) != 0:
                failed = True
        elif "upload-sarif" in step.get("uses", ""):
            path = os.path.join(ws, step["with"]["sarif_file"])
            problem = check_sarif(path)
            if problem:
                sys.exit(f"recipes: github: upload-sarif would fail: {problem}")
            sarifs.append(path)
        elif step.get("uses", "").startswith("actions/checkout"):
            continue
        else:
            sys.exit(f"recipes: github: a step the test does not know: {step}")
    return failed, sarifs


def run_azure(steps, ws, env, version, staging):
    def expand(s):
        return s.replace("$(Build.ArtifactStagingDirectory)", staging)

    failed, sarifs = False, []
    for step in steps:
        cond = str(step.get("condition", "succeeded()"))
        if failed and "always()" not in cond and "succeededOrFailed()" not in cond and "failed()" not in cond:
            print(f"  skip {step.get('displayName') or step.get('task')} (an earlier step failed)")
            continue
        if "script" in step:
            if install_step(step["script"], version):
                continue
            if sh(expand(step["script"]), ws, env) != 0:
                failed = True
        elif step.get("task", "").startswith("PublishBuildArtifacts"):
            folder = expand(step["inputs"]["PathtoPublish"])
            if step["inputs"].get("ArtifactName") != "CodeAnalysisLogs":
                sys.exit("recipes: azure: the SARIF artifact must be named CodeAnalysisLogs")
            logs = [os.path.join(folder, f) for f in os.listdir(folder)] if os.path.isdir(folder) else []
            logs = [f for f in logs if f.endswith(".sarif")]
            if not logs:
                sys.exit(f"recipes: azure: nothing to publish in {folder}")
            for log in logs:
                problem = check_sarif(log)
                if problem:
                    sys.exit(f"recipes: azure: {problem}")
            sarifs += logs
        else:
            sys.exit(f"recipes: azure: a step the test does not know: {step}")
    return failed, sarifs


def run_gitlab(jobs, ws, env, version):
    failed, sarifs = False, []
    if len(jobs) != 1:
        sys.exit(f"recipes: gitlab: one job expected, the recipe has {sorted(jobs)}")
    job = next(iter(jobs.values()))
    for key in job:
        if key not in ("image", "script", "artifacts"):
            sys.exit(f"recipes: gitlab: a job key the test does not know: {key}")
    for line in job["script"]:
        if install_step(line, version):
            continue
        if sh(line, ws, env) != 0:
            failed = True
            break
    artifacts = job.get("artifacts", {})
    if not failed or artifacts.get("when") in ("always", "on_failure"):
        for rel in artifacts.get("paths", []):
            path = os.path.join(ws, rel)
            if rel.endswith(".sarif"):
                problem = check_sarif(path)
                if problem:
                    sys.exit(f"recipes: gitlab: the artifact would be missing: {problem}")
                sarifs.append(path)
    return failed, sarifs


def main():
    readme, version = sys.argv[1], sys.argv[2]
    env = dict(os.environ)
    for name in ["github", "azure", "gitlab"]:
        steps = recipe(readme, name)
        for case, files, expect_fail in [("findings", FINDINGS, True), ("clean", CLEAN, False)]:
            ws = tempfile.mkdtemp(prefix=f"keyless-recipe-{name}-")
            staging = tempfile.mkdtemp(prefix="keyless-staging-")
            try:
                for rel, text in files.items():
                    with open(os.path.join(ws, rel), "w", encoding="utf-8") as f:
                        f.write(text)
                print(f"== recipe {name}, {case}", flush=True)
                if name == "github":
                    failed, sarifs = run_github(steps, ws, env, version)
                elif name == "gitlab":
                    failed, sarifs = run_gitlab(steps, ws, env, version)
                else:
                    failed, sarifs = run_azure(steps, ws, env, version, staging)
                if failed != expect_fail:
                    sys.exit(
                        f"recipes: {name} {case}: the run {'failed' if failed else 'passed'}, "
                        f"it should have {'failed' if expect_fail else 'passed'}"
                    )
                if not sarifs:
                    sys.exit(f"recipes: {name} {case}: no SARIF log was uploaded")
                results = sum(len(r.get("results", [])) for s in sarifs for r in json.load(open(s))["runs"])
                if (results > 0) != expect_fail:
                    sys.exit(f"recipes: {name} {case}: {results} results in the SARIF log")
                print(f"  ok: gate {'failed' if failed else 'passed'}, {results} results uploaded")
            finally:
                shutil.rmtree(ws, ignore_errors=True)
                shutil.rmtree(staging, ignore_errors=True)


if __name__ == "__main__":
    main()
