//! The report does not depend on the number of worker threads: a tree of a few hundred files made
//! from the repository's fixtures is scanned with `--threads 1` and with the default thread count,
//! in JSON and SARIF, and the outputs must be byte-identical.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::support::keyless;

/// Copies `src` into `dst`, prefixing each file's text with `shift` newlines so that the copies
/// differ in their line numbers (and the scan has distinct work per copy).
fn copy_tree(src: &Path, dst: &Path, shift: usize) -> usize {
    let mut n = 0;
    fs::create_dir_all(dst).unwrap();
    for entry in fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        let target = dst.join(entry.file_name());
        if path.is_dir() {
            n += copy_tree(&path, &target, shift);
        } else {
            let bytes = fs::read(&path).unwrap();
            let mut out = "\n".repeat(shift).into_bytes();
            out.extend_from_slice(&bytes);
            fs::write(&target, out).unwrap();
            n += 1;
        }
    }
    n
}

/// Removes anything that is expected to vary between runs (timings), if a format includes it.
fn blank_times(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                let key = k.to_ascii_lowercase();
                if key.contains("elapsed") || key.contains("duration") || key.ends_with("timeutc") {
                    *val = Value::Null;
                } else {
                    blank_times(val);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(blank_times),
        _ => {}
    }
}

fn run(dir: &Path, format: &str, threads: Option<&str>) -> Value {
    let mut cmd = keyless();
    cmd.current_dir(dir)
        .args(["--format", format, "--fail-on", "never"]);
    if let Some(t) = threads {
        cmd.args(["--threads", t]);
    }
    cmd.arg(".");
    let out = cmd
        .timeout(std::time::Duration::from_secs(300))
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut v: Value = serde_json::from_slice(&out.stdout).expect("report is JSON");
    blank_times(&mut v);
    v
}

#[test]
fn output_is_identical_with_one_thread_and_with_all() {
    let tmp = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let mut files = 0;
    for shift in 0..4 {
        files += copy_tree(&fixtures, &tmp.path().join(format!("copy{shift}")), shift);
    }
    assert!(files >= 300, "only {files} files generated");

    for format in ["json", "sarif"] {
        let one = run(tmp.path(), format, Some("1"));
        let all = run(tmp.path(), format, None);
        let eight = run(tmp.path(), format, Some("8"));
        let text = serde_json::to_string_pretty(&one).unwrap();
        assert!(
            text.contains("KEY") && text.contains("CONN") && text.contains("RBAC"),
            "{format}: the tree must produce findings of several families"
        );
        assert!(one == all, "{format}: --threads 1 and the default differ");
        assert!(one == eight, "{format}: --threads 1 and --threads 8 differ");
    }
}
