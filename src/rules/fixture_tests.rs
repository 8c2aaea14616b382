//! Every fixture runs: each file of `testdata/<ID>/fire/` must raise rule `<ID>`, and what a user
//! sees for it — the human report's code frames and the diff `keyless --diff --unsafe-fixes`
//! prints — must match its insta snapshot `testdata/<ID>/snapshots/<file>.snap`; each file of
//! `testdata/<ID>/silent/` must raise nothing of `<ID>`. Every rule outside the INPUT family has
//! both folders. A fixture without a snapshot fails (as does a snapshot without a fixture).
//!
//! After a deliberate change, rewrite the snapshots and review the diff:
//! `INSTA_UPDATE=always cargo test --locked --lib fixture_snapshots` then `git diff testdata`
//! (or `cargo insta test --review` with cargo-insta installed).

use std::path::Path;

use crate::fix::run::{fix_files, Mode};
use crate::report::human::{self, HumanOptions};
use crate::results::ScanResult;
use crate::scan::{scan_path, ScanOptions};

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

/// What a user sees for one fixture: the human report (code frames, no colour, 100 columns,
/// no summary line) and the unified diff of every fix offered (`--diff --unsafe-fixes`).
fn what_a_user_sees(root: &Path, rel: &str) -> (crate::results::FileReport, String) {
    let opts = ScanOptions {
        keep_sources: true,
        ..ScanOptions::default()
    };
    let report = scan_path(&root.join(rel), root, &opts, true);
    let mut result = ScanResult {
        files: vec![report.clone()],
        files_scanned: 1,
        ..ScanResult::default()
    };
    let mut shown = human::render(
        &result,
        &HumanOptions {
            color: false,
            quiet: true,
            statistics: false,
            width: 100,
        },
    );
    let outcome = fix_files(
        &mut result,
        &opts,
        Mode {
            write: false,
            unsafe_fixes: true,
        },
    );
    shown.push_str("── keyless --diff --unsafe-fixes\n");
    let mut any = false;
    for f in &outcome.files {
        any = true;
        if let Some(e) = &f.error {
            shown.push_str(&format!("not fixed: {e}\n"));
        } else if f.diff_withheld {
            shown.push_str("diff withheld: it would show a secret\n");
        } else if let Some(enc) = f.diff_encoding {
            shown.push_str(&format!("diff withheld: the file is {enc}\n"));
        } else {
            shown.push_str(&f.diff);
        }
        for a in &f.applied {
            shown.push_str(&format!(
                "{}:{} {} {}{}\n",
                a.line,
                a.column,
                a.rule,
                a.description,
                a.follow_up
                    .as_deref()
                    .map(|u| format!(" (then: {u})"))
                    .unwrap_or_default()
            ));
        }
    }
    if !any {
        shown.push_str("(no fix offered)\n");
    }
    (report, shown)
}

/// The snapshot name of a fixture: its path under `fire/`, `/` written `__`, and a leading dot
/// written `dot` (`.env` → `dot.env.snap`: a snapshot named `.env.snap` would be read as a `.env`
/// file by anyone who scans the repository, this project's own budget included).
fn snapshot_name(fixture: &str) -> String {
    let name = fixture.replace('/', "__");
    match name.strip_prefix('.') {
        Some(rest) => format!("dot.{rest}"),
        None => name,
    }
}

#[test]
fn fixture_snapshots_every_fixture_runs_and_shows_what_its_snapshot_holds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut failed = Vec::new();
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
        let snapshots = dir.join("snapshots");
        let mut settings = insta::Settings::clone_current();
        settings.set_snapshot_path(&snapshots);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        for f in &fire {
            let rel = format!("testdata/{id}/fire/{f}");
            let (report, shown) = what_a_user_sees(root, &rel);
            // a finding of `id` folded into a more specific rule's finding still counts
            // (rules::merge: one problem, one finding)
            assert!(
                report
                    .findings
                    .iter()
                    .any(|x| x.rule_ids().any(|r| r == id)),
                "{rel} raises no {id}"
            );
            settings.set_input_file(root.join(&rel));
            let name = snapshot_name(f);
            let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                settings.bind(|| insta::assert_snapshot!(name.as_str(), shown));
            }));
            if checked.is_err() {
                failed.push(format!("testdata/{id}/snapshots/{name}.snap"));
            }
        }
        // a snapshot whose fixture is gone (renamed or deleted) is stale
        let expected: Vec<String> = fire
            .iter()
            .map(|f| format!("{}.snap", snapshot_name(f)))
            .collect();
        if let Ok(entries) = std::fs::read_dir(&snapshots) {
            for e in entries.filter_map(|e| e.ok()) {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.ends_with(".snap") && !expected.contains(&name) {
                    failed.push(format!(
                        "testdata/{id}/snapshots/{name}: no fixture fire/{} (delete the snapshot)",
                        name.trim_end_matches(".snap").replace("__", "/")
                    ));
                }
            }
        }
        for f in &silent {
            let rel = format!("testdata/{id}/silent/{f}");
            let report = crate::testing::scan_fixture(&rel);
            let own: Vec<_> = report
                .findings
                .iter()
                .filter(|x| x.rule_ids().any(|r| r == id))
                .map(|x| (x.start.line, x.start.column, x.message.clone()))
                .collect();
            assert!(own.is_empty(), "{rel} raises {id}: {own:?}");
        }
    }
    assert!(
        failed.is_empty(),
        "{} snapshot(s) do not match (diffs above):\n{}\nreview the change, then rewrite them \
         with `INSTA_UPDATE=always cargo test --locked --lib fixture_snapshots` and read \
         `git diff testdata` (or `cargo insta test --review`)",
        failed.len(),
        failed.join("\n")
    );
}
