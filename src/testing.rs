//! Helpers for rule tests (oxlint/tflint style): scan a fixture file or an inline text and list a
//! rule's hits as `(line, column)`, so tests assert exact locations, not counts.

use std::path::{Path, PathBuf};

use crate::discover;
use crate::finding::Finding;
use crate::scan::{self, FileReport, ScanOptions};
use crate::source::SourceFile;

/// Scans a fixture given relative to the crate root (`testdata/KEY001/fire/appsettings.json`).
pub fn scan_fixture(rel: &str) -> FileReport {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(rel);
    assert!(path.exists(), "fixture {rel} does not exist");
    scan::scan_path(&path, root, &ScanOptions::default(), true)
}

/// Scans an in-memory text as if it were a file with this name (the name decides the format).
pub fn scan_text(name: &str, text: &str) -> FileReport {
    let path = PathBuf::from(name);
    let format = discover::format_for_explicit(&path, text.as_bytes());
    let file = SourceFile::new(path, name.to_string(), text.to_string(), format);
    let parsed = crate::parse::parse(&file);
    scan::check(&file, parsed.format, &parsed.doc, &ScanOptions::default())
}

/// Parses an in-memory text as if it were a file with this name (the name decides the format).
pub fn parse_text(name: &str, text: &str) -> crate::ir::Document {
    let path = PathBuf::from(name);
    let format = discover::format_for_explicit(&path, text.as_bytes());
    let file = SourceFile::new(path, name.to_string(), text.to_string(), format);
    crate::parse::parse(&file).doc
}

/// An ARM expression string (`[concat(...)]`) parsed into the IR, for analysis tests.
pub fn arm_expr(s: &str) -> crate::ir::Expr {
    crate::parse::armexpr::parse(s).unwrap_or_else(|e| panic!("{s}: {e:?}"))
}

/// `(line, column)` of a span's start in a file (parser tests).
pub fn at(file: &SourceFile, span: crate::source::Span) -> (usize, usize) {
    file.line_col(span.start)
}

/// The setting with this `:`-path key (parser tests); panics when there is none.
pub fn setting<'a>(doc: &'a crate::ir::Document, key: &str) -> &'a crate::ir::Setting {
    doc.settings
        .iter()
        .find(|s| s.key == key)
        .unwrap_or_else(|| panic!("no setting {key}"))
}

/// `(line, column)` of each finding of `rule` in a report. A finding of `rule` folded into a more
/// specific rule's finding (see [`crate::rules::merge`]) still counts, at its own position: the
/// rule found it, and the report shows it once.
pub fn positions(report: &FileReport, rule: &str) -> Vec<(usize, usize)> {
    let mut v: Vec<(usize, usize)> = report
        .findings
        .iter()
        .flat_map(|f| {
            std::iter::once((f.rule.id, f.start))
                .chain(f.merged.iter().map(|m| (m.rule.id, m.start)))
        })
        .filter(|(id, _)| *id == rule)
        .map(|(_, p)| (p.line, p.column))
        .collect();
    v.sort();
    v
}

/// `(line, column)` of each finding of `rule` in a fixture file.
pub fn hits(rel: &str, rule: &str) -> Vec<(usize, usize)> {
    positions(&scan_fixture(rel), rule)
}

/// `(line, column)` of each finding of `rule` in an inline text.
pub fn text_hits(name: &str, text: &str, rule: &str) -> Vec<(usize, usize)> {
    positions(&scan_text(name, text), rule)
}

/// The findings of `rule` in an inline text (for asserting messages, evidence and fixes).
pub fn text_findings(name: &str, text: &str, rule: &str) -> Vec<Finding> {
    scan_text(name, text)
        .findings
        .into_iter()
        .filter(|f| f.rule.id == rule)
        .collect()
}

/// The fuzz targets of `fuzz/` by name, each with the formats its input is parsed as. The fuzz
/// binaries and the regression test over `testdata/fuzz/<target>/` both run through
/// [`fuzz_target`], so a saved crash is replayed exactly as the fuzzer ran it.
pub const FUZZ_TARGETS: &[(&str, &[crate::source::Format])] = {
    use crate::source::{DeploymentScope, Format};
    &[
        ("json", &[Format::Json, Format::AppSettings]),
        (
            "arm",
            &[
                Format::ArmTemplate(DeploymentScope::ResourceGroup),
                Format::ArmParameters,
                Format::TerraformPlan,
            ],
        ),
        ("hcl", &[Format::Terraform, Format::TerraformVars]),
        ("yaml", &[Format::Yaml]),
        ("xml", &[Format::XmlConfig]),
        ("dotenv", &[Format::Dotenv, Format::Properties]),
        ("bicep", &[Format::Bicep, Format::BicepParams]),
        ("connstr", &[]),
    ]
};

/// Runs one fuzz input through the named target (see [`FUZZ_TARGETS`]); panics on a bug.
pub fn fuzz_target(name: &str, data: &[u8]) {
    let Some((_, formats)) = FUZZ_TARGETS.iter().find(|(n, _)| *n == name) else {
        panic!("unknown fuzz target {name}");
    };
    if name == "connstr" {
        fuzz_connection_string(data);
    }
    if name == "bicep" {
        crate::parse::bicep::fuzz(data);
    }
    for format in *formats {
        fuzz_file(*format, data);
    }
}

/// The fuzz harness (`fuzz/`): parses `data` as `format` and runs every rule over it with no
/// `catch_unwind` in between, so that a panic anywhere reaches the fuzzer, then asserts what every
/// consumer of a report relies on: each span lies inside the text on char boundaries, and each
/// finding's fix replaces a range of the text.
pub fn fuzz_file(format: crate::source::Format, data: &[u8]) {
    use crate::rules::Context;
    let text = String::from_utf8_lossy(data).into_owned();
    let name = file_name_for(format);
    let file = SourceFile::new(PathBuf::from(name), name.to_string(), text, format);
    let parsed = crate::parse::parse(&file);
    let in_text = |s: crate::source::Span, what: &str| {
        assert!(
            s.start <= s.end && s.end <= file.text.len(),
            "{what} {s:?} outside the text"
        );
        assert!(
            file.text.is_char_boundary(s.start) && file.text.is_char_boundary(s.end),
            "{what} {s:?} not on char boundaries"
        );
    };
    for p in &parsed.doc.problems {
        in_text(p.span, "input problem");
    }
    let opts = ScanOptions::default();
    let cx = Context::new(
        &file,
        parsed.format,
        &parsed.doc,
        opts.config.rule_settings(),
    );
    let mut findings = Vec::new();
    for rule in crate::rules::all() {
        rule.run(&cx, &mut findings);
    }
    for f in &findings {
        in_text(f.span, f.rule.id);
        if let Some(s) = f.secret_span {
            in_text(s, "secret span");
        }
        if let Some(fix) = &f.fix {
            assert!(
                fix.is_valid(&file.text),
                "{} fix edits: {:?}",
                f.rule.id,
                fix.edits
            );
            for e in &fix.edits {
                in_text(e.span, "fix");
            }
        }
    }
    let report = scan::finish(&file, Some(parsed.format), &parsed.doc, findings, &opts);
    for f in &report.findings {
        assert!(
            f.start.line >= 1 && f.start.column >= 1,
            "position {:?}",
            f.start
        );
    }
}

/// A file name that discovery would give `format` (for in-memory files in tests and fuzzing).
pub fn file_name_for(format: crate::source::Format) -> &'static str {
    use crate::source::Format;
    match format {
        Format::Terraform => "main.tf",
        Format::TerraformVars => "prod.tfvars",
        Format::Yaml => "azure-pipelines.yml",
        Format::XmlConfig => "web.config",
        Format::Dotenv => ".env",
        Format::Properties => "application.properties",
        Format::Bicep => "main.bicep",
        Format::BicepParams => "main.bicepparam",
        Format::ArmTemplate(_) => "azuredeploy.json",
        Format::TerraformPlan => "plan.json",
        Format::TerraformJson => "main.tf.json",
        _ => "appsettings.json",
    }
}

/// The fuzz harness for the connection-string parser: every part's ranges lie inside the string.
pub fn fuzz_connection_string(data: &[u8]) {
    let s = String::from_utf8_lossy(data);
    if let Some(cs) = crate::analysis::connstr::parse(&s) {
        for part in &cs.parts {
            for r in [&part.range, &part.value_range] {
                assert!(r.start <= r.end && r.end <= s.len(), "{r:?} outside");
                assert!(s.is_char_boundary(r.start) && s.is_char_boundary(r.end));
            }
        }
        let _ = cs.service();
        let _ = cs.auth();
        let _ = cs.user();
    }
}

/// The fuzz harness of the server's message reader (`fuzz/fuzz_targets/lsp_message.rs`): reads
/// messages from `data` until it ends, with a small cap; nothing may panic, and every read ends.
pub fn fuzz_lsp_messages(data: &[u8]) {
    use crate::server::transport::{read_message, skip_body, Incoming};
    let mut r = std::io::Cursor::new(data);
    for _ in 0..=data.len() {
        match read_message(&mut r, 4096) {
            Ok(Incoming::End) | Err(_) => return,
            Ok(Incoming::Error { skip, .. }) => {
                if skip_body(&mut r, skip).is_err() {
                    return;
                }
            }
            Ok(Incoming::Message(_)) => {}
        }
    }
    panic!("the reader did not reach the end of {} bytes", data.len());
}

/// The fuzz harness of the fix writer (`fuzz/fuzz_targets/fix_writer.rs`): `data` builds a small
/// tree (files, folders, links to files and folders inside and outside it, hard links, modes),
/// then every path of the tree is written as a fix would be. Whatever the tree, a write never
/// changes a file outside the tree, never writes through a link, never splits a hard link or
/// rewrites a read-only file, keeps the mode of what it replaces, and leaves no temporary file.
#[cfg(unix)]
pub fn fuzz_fix_writer(data: &[u8]) {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (Ok(outside), Ok(tree)) = (tempfile::tempdir(), tempfile::tempdir()) else {
        return;
    };
    let sentinel = outside.path().join("outside.bicep");
    let _ = std::fs::write(&sentinel, "outside");
    let names = ["a.bicep", "b.json", "d", "d/c.tf", "e", "e/f.bicep"];
    let mut paths: Vec<PathBuf> = Vec::new();
    for op in data.chunks(3).take(24) {
        let [kind, x, y] = [op[0], *op.get(1).unwrap_or(&0), *op.get(2).unwrap_or(&0)];
        let name = names[x as usize % names.len()];
        let at = tree.path().join(name);
        if let Some(parent) = at.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let other = tree.path().join(names[y as usize % names.len()]);
        let _ = match kind % 6 {
            0 => std::fs::write(&at, format!("text {y}")),
            1 => std::fs::create_dir_all(&at),
            2 => std::os::unix::fs::symlink(&other, &at),
            3 => std::os::unix::fs::symlink(outside.path(), &at),
            4 => std::fs::hard_link(&other, &at),
            _ => std::fs::set_permissions(
                &at,
                std::fs::Permissions::from_mode(0o400 | (y as u32 & 0o277)),
            ),
        };
        paths.push(at);
    }
    paths.push(tree.path().join("d/outside.bicep"));
    paths.push(tree.path().join("e/outside.bicep"));
    for path in paths {
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let id = crate::io::FileId::of(&meta);
        let before = std::fs::symlink_metadata(&path).ok();
        let old = std::fs::read(&path).unwrap_or_default();
        let written = crate::io::write::write_fixed(&path, tree.path(), &id, b"fixed").is_ok();
        assert_eq!(
            std::fs::read_to_string(&sentinel).unwrap_or_default(),
            "outside",
            "a write reached outside the tree"
        );
        if written {
            let before = before.expect("a written path existed");
            assert!(!before.file_type().is_symlink(), "written through a link");
            assert_eq!(before.nlink(), 1, "a hard link was split");
            assert!(before.mode() & 0o200 != 0, "a read-only file was rewritten");
            let after = std::fs::symlink_metadata(&path).expect("the file is there");
            assert_eq!(after.mode(), before.mode(), "the mode changed");
            let mut at = PathBuf::new();
            for c in path.strip_prefix(tree.path()).unwrap_or(&path).components() {
                at.push(c);
                let full = tree.path().join(&at);
                if full != path {
                    assert!(
                        !std::fs::symlink_metadata(&full).is_ok_and(|m| m.file_type().is_symlink()),
                        "written below a folder link"
                    );
                }
            }
        } else {
            assert_eq!(
                std::fs::read(&path).unwrap_or_default(),
                old,
                "a refused write changed the file"
            );
        }
    }
    for dir in [tree.path(), outside.path()] {
        for e in ignore::WalkBuilder::new(dir)
            .hidden(false)
            .build()
            .flatten()
        {
            assert!(
                !e.file_name().to_string_lossy().ends_with(".keyless.tmp"),
                "a temporary file stayed behind"
            );
        }
    }
}
