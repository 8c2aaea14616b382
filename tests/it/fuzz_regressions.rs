//! Every input saved under `testdata/fuzz/<target>/` (a fuzzer crash, or a case a property test
//! found) is replayed through the same harness the fuzz target runs (`keyless::testing::fuzz_target`):
//! it must parse and check without a panic, with every span inside the text.

use std::path::Path;

#[test]
fn saved_fuzz_inputs_replay_cleanly() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/fuzz");
    let mut replayed = 0;
    for (target, _) in keyless::testing::FUZZ_TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let run = std::panic::catch_unwind(|| keyless::testing::fuzz_target(target, &data));
            assert!(run.is_ok(), "{target}: {} panics", path.display());
            replayed += 1;
        }
    }
    // Every folder under testdata/fuzz names a target.
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            keyless::testing::FUZZ_TARGETS
                .iter()
                .any(|(t, _)| *t == name),
            "testdata/fuzz/{name} is not a fuzz target"
        );
    }
    assert!(replayed >= 4, "the saved inputs were found ({replayed})");
}
