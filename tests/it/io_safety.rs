//! Issue 21: one reader and one writer under every surface. Writes never lose data (links, temp
//! files, permissions, owners, hard links, names shown differently from the path), standard input
//! is fixed to standard output, fixes reach a fixed point, and pipes, devices and FIFOs named on
//! the command line are read (bounded) while those found by keyless are refused.

use std::path::Path;

use crate::support::{json_report, run, write};

/// A secure parameter with a literal default: KEY003, whose fix (remove the default) is safe.
const BICEP: &str =
    "@secure()\nparam adminPassword string = 'Zq9-Fake-Pa55word!'\n\noutput ok bool = true\n";

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap()
}

fn fixed(text: &str) -> bool {
    !text.contains("Zq9-Fake-Pa55word!")
}

/// Item 1: a folder symlink out of the tree is not written through; the summary says so.
#[cfg(unix)]
#[test]
fn fix_does_not_write_through_a_folder_link_out_of_the_tree() {
    let outside = tempfile::tempdir().unwrap();
    let tree = tempfile::tempdir().unwrap();
    write(outside.path(), "main.bicep", BICEP);
    std::os::unix::fs::symlink(outside.path(), tree.path().join("linked")).unwrap();
    let o = run(tree.path(), &["--fix", "."]);
    assert_eq!(
        read(&outside.path().join("main.bicep")),
        BICEP,
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("symbolic link"), "{}", o.stderr);
    assert_eq!(o.code, 1, "the finding remains: {}", o.stderr);
    assert!(!o.stderr.contains("0 findings remain"), "{}", o.stderr);
}

/// Item 1: a symlinked file is neither replaced by a copy nor written through.
#[cfg(unix)]
#[test]
fn fix_does_not_replace_a_symlinked_file() {
    let outside = tempfile::tempdir().unwrap();
    let tree = tempfile::tempdir().unwrap();
    write(outside.path(), "real.bicep", BICEP);
    let link = tree.path().join("main.bicep");
    std::os::unix::fs::symlink(outside.path().join("real.bicep"), &link).unwrap();
    let o = run(tree.path(), &["--fix", "main.bicep"]);
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(read(&outside.path().join("real.bicep")), BICEP);
    assert!(o.stderr.contains("symbolic link"), "{}", o.stderr);
    assert_eq!(o.code, 1, "{}", o.stderr);
}

/// Item 2: links planted under the names the old temporary files took (`.NAME.keyless-PID.tmp`)
/// are never followed by --fix, -o or --write-baseline.
#[cfg(unix)]
#[test]
fn planted_temporary_file_links_are_not_followed() {
    let victim_dir = tempfile::tempdir().unwrap();
    let victim = victim_dir.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let tree = tempfile::tempdir().unwrap();
    write(tree.path(), "main.bicep", BICEP);
    let me = std::process::id();
    for pid in me.saturating_sub(50)..me + 3000 {
        for name in ["main.bicep", "report.json", "baseline.json"] {
            let _ = std::os::unix::fs::symlink(
                &victim,
                tree.path().join(format!(".{name}.keyless-{pid}.tmp")),
            );
        }
    }
    run(
        tree.path(),
        &["--format", "json", "-o", "report.json", "main.bicep"],
    );
    run(
        tree.path(),
        &["--write-baseline", "baseline.json", "main.bicep"],
    );
    run(tree.path(), &["--fix", "main.bicep"]);
    assert_eq!(read(&victim), "precious");
    assert!(fixed(&read(&tree.path().join("main.bicep"))));
    assert!(read(&tree.path().join("report.json")).contains("KEY003"));
    assert!(read(&tree.path().join("baseline.json")).contains("entries"));
}

/// Item 3: a read-only file and a file with another hard link are not rewritten; a fixed file
/// keeps its mode (and, as root, its owner).
#[cfg(unix)]
#[test]
fn fix_keeps_mode_and_owner_and_refuses_read_only_files_and_hard_links() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let tree = tempfile::tempdir().unwrap();
    write(tree.path(), "ro.bicep", BICEP);
    let ro = tree.path().join("ro.bicep");
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
    write(tree.path(), "linked.bicep", BICEP);
    std::fs::hard_link(
        tree.path().join("linked.bicep"),
        tree.path().join("other-name.txt"),
    )
    .unwrap();
    write(tree.path(), "mode.bicep", BICEP);
    let mode = tree.path().join("mode.bicep");
    std::fs::set_permissions(&mode, std::fs::Permissions::from_mode(0o640)).unwrap();
    let root = std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0);
    if root {
        std::os::unix::fs::chown(&mode, Some(1234), Some(1234)).unwrap();
    }
    let o = run(
        tree.path(),
        &["--fix", "ro.bicep", "linked.bicep", "mode.bicep"],
    );
    assert_eq!(read(&ro), BICEP, "{}", o.stderr);
    assert!(o.stderr.contains("read-only"), "{}", o.stderr);
    assert_eq!(read(&tree.path().join("linked.bicep")), BICEP);
    assert_eq!(read(&tree.path().join("other-name.txt")), BICEP);
    assert!(o.stderr.contains("hard links"), "{}", o.stderr);
    assert!(fixed(&read(&mode)), "{}", o.stderr);
    let meta = std::fs::metadata(&mode).unwrap();
    assert_eq!(meta.mode() & 0o7777, 0o640);
    if root {
        assert_eq!((meta.uid(), meta.gid()), (1234, 1234));
    }
}

/// Item 4: fixes go to the path that was read, not to the name shown: `back\slash.bicep` is not
/// `back/slash.bicep`, and a name that is not UTF-8 is not its lossy form.
#[cfg(unix)]
#[test]
fn fixes_are_written_to_the_path_read_not_the_name_shown() {
    use std::os::unix::ffi::OsStrExt;
    let tree = tempfile::tempdir().unwrap();
    write(tree.path(), "back\\slash.bicep", BICEP);
    write(
        tree.path(),
        "back/slash.bicep",
        "output other string = 'x'\n",
    );
    let bad = std::ffi::OsStr::from_bytes(b"\xffname.bicep");
    std::fs::write(tree.path().join(bad), BICEP).unwrap();
    write(
        tree.path(),
        "\u{fffd}name.bicep",
        "output lossy string = 'x'\n",
    );
    let o = run(tree.path(), &["--fix", "."]);
    assert!(
        fixed(&read(&tree.path().join("back\\slash.bicep"))),
        "{}",
        o.stderr
    );
    assert_eq!(
        read(&tree.path().join("back/slash.bicep")),
        "output other string = 'x'\n"
    );
    assert!(fixed(&read(&tree.path().join(bad))), "{}", o.stderr);
    assert_eq!(
        read(&tree.path().join("\u{fffd}name.bicep")),
        "output lossy string = 'x'\n"
    );
}

/// Items 5 and 7: `keyless - --fix` prints the fixed document and touches no file, even one with
/// the --stdin-filename name; a password it cannot fix is reported and fails the run.
#[test]
fn stdin_fix_prints_the_document_and_touches_no_file() {
    let tree = tempfile::tempdir().unwrap();
    write(tree.path(), "main.bicep", BICEP);
    let out = crate::support::keyless_in(tree.path())
        .args(["-", "--stdin-filename", "main.bicep", "--fix"])
        .write_stdin(BICEP)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(read(&tree.path().join("main.bicep")), BICEP, "{stderr}");
    assert!(
        fixed(&stdout) && stdout.contains("output ok bool = true"),
        "{stdout}"
    );
    assert!(stderr.contains("fixed 1 finding"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{stderr}");

    let password = "SqlPassword=Zq9-Fake-Pa55word!\n";
    let out = crate::support::keyless_in(tree.path())
        .args(["-", "--fix"])
        .write_stdin(password)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(String::from_utf8_lossy(&out.stdout), password);
    assert!(stderr.contains("1 file scanned"), "{stderr}");
    assert!(stderr.contains("KEY002"), "{stderr}");
    assert!(!stderr.contains("Pa55word"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
}

/// Item 6: --fix runs to a fixed point: a second --fix (and --diff) changes nothing, on every
/// fixture of every rule with fixes.
#[test]
fn a_second_fix_changes_nothing() {
    let tree = tempfile::tempdir().unwrap();
    for rule in [
        "CONN001", "CONN002", "KEY003", "KEY006", "MI001", "MI003", "MI004",
    ] {
        let dir = crate::support::root()
            .join("testdata")
            .join(rule)
            .join("fire");
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                write(tree.path(), &format!("{rule}/{name}"), &read(&p));
            }
        }
    }
    run(tree.path(), &["--fix", "--unsafe-fixes", "-q", "."]);
    let o = run(tree.path(), &["--diff", "--unsafe-fixes", "."]);
    assert!(o.stdout.is_empty(), "{}", o.stdout);
    assert!(
        o.stderr.contains("would fix 0 findings in 0 files"),
        "{}",
        o.stderr
    );
}

/// Item 8: a pipe named on the command line (`/dev/stdin`) is read, bounded; a device too.
#[cfg(unix)]
#[test]
fn pipes_and_devices_named_on_the_command_line_are_read_bounded() {
    let tree = tempfile::tempdir().unwrap();
    let out = crate::support::keyless_in(tree.path())
        .args(["--format", "compact", "/dev/stdin"])
        .write_stdin("Password=Zq9-Fake-Pa55word!\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("KEY002"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    let (v, code) = json_report(tree.path(), &["--max-file-size", "1K", "/dev/zero"]);
    assert_eq!(code, 1);
    assert!(v.to_string().contains("INPUT002"), "{v}");
}

/// Item 8: a FIFO named on the command line is read.
#[cfg(unix)]
#[test]
fn a_fifo_named_on_the_command_line_is_read() {
    let tree = tempfile::tempdir().unwrap();
    let fifo = tree.path().join("settings.fifo");
    if !std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success())
    {
        return;
    }
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "Password=Zq9-Fake-Pa55word!\n"))
    };
    let o = run(tree.path(), &["--format", "compact", "settings.fifo"]);
    writer.join().unwrap().unwrap();
    assert!(o.stdout.contains("KEY002"), "{}{}", o.stdout, o.stderr);
    assert_eq!(o.code, 1);
}

/// Item 18: a configuration or baseline that is a link to `/dev/zero`, or a FIFO, neither hangs
/// nor grows: a lookup refuses what is not a regular file, a named one is read with a cap.
#[cfg(unix)]
#[test]
fn configuration_and_baseline_reads_are_bounded() {
    let tree = tempfile::tempdir().unwrap();
    write(
        tree.path(),
        "appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}",
    );
    std::os::unix::fs::symlink("/dev/zero", tree.path().join(".keyless.toml")).unwrap();
    let o = run(tree.path(), &["."]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("not a regular file"), "{}", o.stderr);
    std::fs::remove_file(tree.path().join(".keyless.toml")).unwrap();
    if std::process::Command::new("mkfifo")
        .arg(tree.path().join(".keyless.toml"))
        .status()
        .is_ok_and(|s| s.success())
    {
        let o = run(tree.path(), &["."]);
        assert_eq!(o.code, 2, "{}", o.stderr);
        assert!(o.stderr.contains("FIFO"), "{}", o.stderr);
        std::fs::remove_file(tree.path().join(".keyless.toml")).unwrap();
    }
    let o = run(tree.path(), &["--baseline", "/dev/zero", "."]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("cap"), "{}", o.stderr);
}

/// Item 26: standard input without a name and files of no known type are judged by their
/// content, and lines of `KEY=value` are read as settings.
#[test]
fn documents_of_unknown_type_are_sniffed_and_read_as_settings() {
    let tree = tempfile::tempdir().unwrap();
    let text = "SqlPassword=Zq9-Fake-Pa55word!\nPassword=Xk8-Fake-Pa55word!\n";
    let out = crate::support::keyless_in(tree.path())
        .args(["--format", "compact", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(stdout.matches("KEY002").count(), 2, "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    write(tree.path(), "notes.txt", text);
    let o = run(tree.path(), &["--format", "compact", "notes.txt"]);
    assert_eq!(o.stdout.matches("KEY002").count(), 2, "{}", o.stdout);
    assert_eq!(o.code, 1);
}

/// Item 10: scanning a repository runs nothing its configuration names: a planted
/// `core.fsmonitor` hook and a clean filter driver (which `git diff` would run for a changed file)
/// leave no marker, with and without `--changed-since`.
#[cfg(unix)]
#[test]
fn scanning_a_repository_runs_no_command_it_names() {
    use std::os::unix::fs::PermissionsExt;
    let tree = tempfile::tempdir().unwrap();
    let marks = tempfile::tempdir().unwrap();
    crate::support::git(tree.path(), &["init", "-q"]);
    write(
        tree.path(),
        "appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    write(tree.path(), ".gitattributes", "*.json filter=evil\n");
    crate::support::git(tree.path(), &["add", "."]);
    crate::support::git(tree.path(), &["commit", "-qm", "x"]);
    let hook = marks.path().join("hook.sh");
    std::fs::write(
        &hook,
        format!(
            "#!/bin/sh\ntouch {}/fsmonitor-ran\nexit 1\n",
            marks.path().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    let filter = format!("touch {}/filter-ran; cat", marks.path().display());
    crate::support::git(
        tree.path(),
        &["config", "core.fsmonitor", &hook.to_string_lossy()],
    );
    crate::support::git(tree.path(), &["config", "filter.evil.clean", &filter]);
    crate::support::git(tree.path(), &["config", "filter.evil.smudge", &filter]);
    // a change git must look at through the filter
    write(
        tree.path(),
        "appsettings.json",
        "{\"Password\": \"Xk8-Fake-Pa55word!\"}\n",
    );
    let o = run(tree.path(), &["."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let o = run(tree.path(), &["--changed-since", "HEAD", "."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    let left: Vec<_> = std::fs::read_dir(marks.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with("-ran"))
        .collect();
    assert!(left.is_empty(), "commands ran: {left:?}");
}

/// Item 9: what git tracks is read in-process, so a tracked file that `.gitignore` matches is
/// scanned without the git program (and `--changed-since` works without it); when the index
/// cannot be read, the files ignore files match are scanned too, and a note says why.
#[test]
fn ignored_files_are_scanned_without_git_and_with_a_note_when_the_index_is_unreadable() {
    let tree = tempfile::tempdir().unwrap();
    crate::support::git(tree.path(), &["init", "-q"]);
    write(
        tree.path(),
        "secret/appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    crate::support::git(tree.path(), &["add", "."]);
    crate::support::git(tree.path(), &["commit", "-qm", "x"]);
    write(tree.path(), ".gitignore", "secret/\n");
    let (v, code) = crate::support::json_report_env(tree.path(), &["."], &[("PATH", "")]);
    assert_eq!(code, 1, "{v}");
    assert!(v.to_string().contains("secret/appsettings.json"), "{v}");
    let o = crate::support::run_env(tree.path(), &["."], &[("PATH", "")]);
    assert!(!o.stderr.contains("could not list"), "{}", o.stderr);
    write(
        tree.path(),
        "new/appsettings.json",
        "{\"Password\": \"Xk8-Fake-Pa55word!\"}\n",
    );
    let o = crate::support::run_env(
        tree.path(),
        &["--format", "compact", "--changed-since", "HEAD", "."],
        &[("PATH", "")],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("new/appsettings.json"), "{}", o.stdout);
    assert!(
        !o.stdout.contains("secret/appsettings.json"),
        "{}",
        o.stdout
    );
    // an index that cannot be read
    std::fs::write(tree.path().join(".git/index"), b"DIRC\0\0\0\x09garbage").unwrap();
    let o = crate::support::run_env(tree.path(), &["--format", "compact", "."], &[]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("secret/appsettings.json"), "{}", o.stdout);
    assert!(
        o.stderr.contains("git could not list the files tracked"),
        "{}",
        o.stderr
    );
    assert!(o.stderr.contains("scanned too"), "{}", o.stderr);
}

/// Item 19: folder links are walked once: two links per level do not multiply a file.
#[cfg(unix)]
#[test]
fn folder_link_fan_out_does_not_multiply_files() {
    let tree = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    // inside the tree: d0/{a,b} -> d1, d1/{a,b} -> d2, … d7/appsettings.json
    for level in 0..8 {
        std::fs::create_dir_all(tree.path().join(format!("d{level}"))).unwrap();
    }
    for level in 0..7 {
        for name in ["a", "b"] {
            std::os::unix::fs::symlink(
                tree.path().join(format!("d{}", level + 1)),
                tree.path().join(format!("d{level}/{name}")),
            )
            .unwrap();
        }
    }
    write(
        tree.path(),
        "d7/appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    // outside the tree: two links to one folder are one folder
    write(
        outside.path(),
        "appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    std::os::unix::fs::symlink(outside.path(), tree.path().join("out1")).unwrap();
    std::os::unix::fs::symlink(outside.path(), tree.path().join("out2")).unwrap();
    let (v, _) = json_report(tree.path(), &["."]);
    assert_eq!(v["summary"]["files_scanned"], 2, "{v}");
}

/// The fix writer's fuzz harness on a few hundred generated trees (the fuzz target explores
/// more): what it asserts holds for each.
#[cfg(unix)]
#[test]
fn the_fix_writer_holds_on_generated_trees() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..150 {
        let len = (seed % 60) as usize;
        let data: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 24) as u8
            })
            .collect();
        keyless::testing::fuzz_fix_writer(&data);
    }
}

/// Item 17: the server's message reader on generated byte strings ends and never panics.
#[test]
fn the_message_reader_holds_on_generated_input() {
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    for _ in 0..300 {
        let len = (seed % 200) as usize;
        let mut data: Vec<u8> = b"Content-Length: ".to_vec();
        data.extend((0..len).map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            {
                let alphabet = b"0123456789\r\n:{}\"x Content-Length";
                alphabet[(seed % alphabet.len() as u64) as usize]
            }
        }));
        keyless::testing::fuzz_lsp_messages(&data);
    }
}

/// Item 17: a `Content-Length` far over the cap is answered with a protocol error, allocates
/// nothing, and the session goes on to its next message.
#[test]
fn the_server_caps_message_lengths_and_answers_with_an_error() {
    use std::io::{Read, Write};
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("keyless"))
        .arg("server")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let init = r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{},"initializationOptions":{"workspaceScan":false}}}"#;
    let mut input = frame(init);
    input.push_str(&frame(
        r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#,
    ));
    input.push_str("Content-Length: 100000000000\r\n\r\n{}");
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin); // the rest of the claimed body never comes
    let mut out = String::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut out)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(out.contains("over keyless's cap"), "{out}");
    assert!(out.contains("-32600"), "{out}");
    assert!(status.code().is_some(), "killed by a signal: {status:?}");
}

/// The baseline is part of the filter on every surface: the server given one
/// (`initializationOptions.baseline`) leaves out the findings it holds, as the CLI does.
#[test]
fn the_server_applies_the_baseline() {
    use crate::support::lsp_client::{file_uri, Client};
    use serde_json::json;
    let tree = tempfile::tempdir().unwrap();
    let old = "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n";
    write(tree.path(), "appsettings.json", old);
    let o = run(tree.path(), &["--write-baseline", "baseline.json", "."]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let mut c = Client::start(env!("CARGO_BIN_EXE_keyless"), tree.path());
    c.initialize(
        tree.path(),
        json!({ "workspaceScan": false, "baseline": "baseline.json" }),
    );
    let uri = file_uri(&tree.path().join("appsettings.json"));
    let open = |c: &mut Client, version: i64, text: &str| {
        c.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "json", "version": version, "text": text } }),
        );
    };
    open(&mut c, 1, old);
    assert!(c.diagnostics(&uri, Some(1)).is_empty());
    c.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": uri } }),
    );
    // a new secret is not in the baseline
    open(&mut c, 2, "{\"Password\": \"Xk8-Other-Pa55word!\"}\n");
    assert_eq!(c.diagnostics(&uri, Some(2)).len(), 1);
    c.shutdown();
}

/// Item 11: a configuration planted in a folder every user can write (above the scanned tree) is
/// not used, and a note names it; the configuration in force is named in the reports.
#[cfg(unix)]
#[test]
fn configuration_lookup_ignores_files_others_can_write_and_names_the_one_in_force() {
    use std::os::unix::fs::PermissionsExt;
    let top = tempfile::tempdir().unwrap();
    let shared = top.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    write(&shared, ".keyless.toml", "[paths]\nexclude = [\"**\"]\n");
    write(
        &shared,
        "proj/appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    let proj = shared.join("proj");
    let o = run(&proj, &["."]);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(
        o.stderr.contains("ignored the configuration"),
        "{}",
        o.stderr
    );
    // a configuration in a folder only its owner writes is used, and named
    let own = top.path().join("own");
    write(&own, ".keyless.toml", "[rules]\nignore = [\"KEY003\"]\n");
    write(
        &own,
        "appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    std::fs::create_dir(own.join(".git")).unwrap();
    let (v, _) = json_report(&own, &["."]);
    assert_eq!(v["summary"]["configuration"], ".keyless.toml", "{v}");
    let o = run(&own, &["."]);
    assert!(
        o.stdout.contains("configuration .keyless.toml"),
        "{}",
        o.stdout
    );
    let o = run(&own, &["--format", "sarif", "."]);
    let sarif: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["properties"]["configuration"],
        ".keyless.toml"
    );
}

/// Item 9: a repository owned by another user (which the git program refuses as "dubious
/// ownership", as in CI containers) is read the same: keyless runs nothing it names, so the
/// ignored tracked file is scanned. Needs root to give the repository away.
#[cfg(unix)]
#[test]
fn ignored_files_are_scanned_in_a_repository_owned_by_another_user() {
    use std::os::unix::fs::MetadataExt;
    if !std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0) {
        return;
    }
    let tree = tempfile::tempdir().unwrap();
    crate::support::git(tree.path(), &["init", "-q"]);
    write(
        tree.path(),
        "secret/appsettings.json",
        "{\"Password\": \"Zq9-Fake-Pa55word!\"}\n",
    );
    crate::support::git(tree.path(), &["add", "."]);
    crate::support::git(tree.path(), &["commit", "-qm", "x"]);
    write(tree.path(), ".gitignore", "secret/\n");
    let status = std::process::Command::new("chown")
        .args(["-R", "1234:1234"])
        .arg(tree.path())
        .status()
        .unwrap();
    assert!(status.success());
    let o = crate::support::run_env(
        tree.path(),
        &["--format", "compact", "."],
        &[("GIT_CONFIG_GLOBAL", "/dev/null")],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(o.stdout.contains("secret/appsettings.json"), "{}", o.stdout);
    assert!(!o.stderr.contains("could not list"), "{}", o.stderr);
}
