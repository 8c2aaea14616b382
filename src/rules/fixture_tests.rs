//! Every fixture runs: each file of `testdata/<ID>/fire/` must raise rule `<ID>` and its findings
//! (rule, position, severity, message) must match the snapshot `testdata/<ID>/fire.snap`; each
//! file of `testdata/<ID>/silent/` must raise nothing of `<ID>`. Every rule outside the INPUT family
//! has both folders. Set `UPDATE_SNAPSHOTS=1` to rewrite the snapshots after a deliberate change
//! (and review the diff).

use std::fmt::Write as _;
use std::path::Path;

use crate::testing::{scan_fixture, snapshot_mismatch};

/// The fixture files of a folder, sorted, and the callers of each module case: a folder named
/// `*-module` holds a caller (`main.bicep`, `main.tf` or `azuredeploy.json`) and the modules it
/// calls, which are read through the caller. Other folders hold files other tests read.
fn files(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
    {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if path.is_file() {
            out.push(name);
        } else if path.is_dir() && name.ends_with("-module") {
            let callers: Vec<String> = ["main.bicep", "main.tf", "azuredeploy.json"]
                .iter()
                .filter(|c| path.join(c).is_file())
                .map(|c| format!("{name}/{c}"))
                .collect();
            assert!(
                !callers.is_empty(),
                "{}: a module case without a caller",
                path.display()
            );
            out.extend(callers);
        }
    }
    out.sort();
    out
}

#[test]
fn every_fixture_runs_and_fire_fixtures_match_their_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stale = Vec::new();
    for rule in super::all() {
        let id = rule.meta().id;
        if rule.meta().family == crate::finding::Family::Input {
            continue;
        }
        let dir = root.join("testdata").join(id);
        let fire = files(&dir.join("fire"));
        let silent = files(&dir.join("silent"));
        assert!(!fire.is_empty(), "testdata/{id}/fire has no fixture");
        assert!(!silent.is_empty(), "testdata/{id}/silent has no fixture");
        for (folder, names) in [("fire", &fire), ("silent", &silent)] {
            for f in names.iter() {
                let text = std::fs::read(dir.join(folder).join(f)).unwrap_or_default();
                assert!(
                    !String::from_utf8_lossy(&text).contains(super::tests::SCAFFOLD),
                    "testdata/{id}/{folder}/{f} is `cargo xtask new-rule`'s placeholder: \
                     replace it with a real fixture"
                );
            }
        }
        let mut snap = String::new();
        for f in &fire {
            let rel = format!("testdata/{id}/fire/{f}");
            let report = scan_fixture(&rel);
            // a finding of `id` folded into a more specific rule's finding still counts
            // (rules::merge: one problem, one finding)
            let own: Vec<_> = report
                .findings
                .iter()
                .filter(|x| x.rule_ids().any(|r| r == id))
                .collect();
            assert!(!own.is_empty(), "{rel} raises no {id}");
            let _ = writeln!(snap, "== fire/{f}");
            for x in &report.findings {
                let _ = writeln!(
                    snap,
                    "{}:{} {} {} {}",
                    x.start.line, x.start.column, x.rule.id, x.severity, x.message
                );
            }
        }
        for f in &silent {
            let rel = format!("testdata/{id}/silent/{f}");
            let report = scan_fixture(&rel);
            let own: Vec<_> = report
                .findings
                .iter()
                .filter(|x| x.rule_ids().any(|r| r == id))
                .map(|x| (x.start.line, x.start.column, x.message.clone()))
                .collect();
            assert!(own.is_empty(), "{rel} raises {id}: {own:?}");
        }
        let path = dir.join("fire.snap");
        if let Some(message) =
            snapshot_mismatch(&path, &snap, "cargo test --lib every_fixture_runs")
        {
            stale.push(message);
        }
    }
    assert!(stale.is_empty(), "{}", stale.join("\n\n"));
}
