//! Repository tasks for keyless (`cargo xtask ...`, an alias in `.cargo/config.toml`):
//!
//! - `cargo xtask new-rule <ID> <name> <family>` writes a rule's file (declared with
//!   `declare_rule!`), its page `rules/<ID>.md`, placeholder fixtures under `testdata/<ID>/` and
//!   its registry line. Every scaffolded part carries the marker `keyless-scaffold`, which the
//!   crate's tests refuse in rule files, pages, summaries and fixtures: nothing scaffolded lands
//!   unedited.
//! - `cargo xtask generate` rewrites every generated document (`keyless::generated`);
//!   `cargo xtask generate --check` fails, naming them, when one would change (CI).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What marks scaffolded text that still has to be written.
const MARKER: &str = "keyless-scaffold";

const USAGE: &str = "usage:
  cargo xtask new-rule <ID> <name> <family>   scaffold a rule (family: key, conn, mi, rbac)
  cargo xtask generate [--check]              rewrite (or check) every generated document";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["new-rule", id, name, family] => new_rule(&root(), id, name, family),
        ["generate"] => generate(&root(), false),
        ["generate", "--check"] => generate(&root(), true),
        _ => Err(USAGE.to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root: the folder above this crate.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn generate(root: &Path, check: bool) -> Result<(), String> {
    let stale = keyless::generated::stale(root).map_err(|e| e.to_string())?;
    if check {
        if stale.is_empty() {
            println!("generated documents are current");
            return Ok(());
        }
        let names: Vec<&str> = stale.iter().map(|d| d.path.as_str()).collect();
        return Err(format!(
            "stale generated documents: {}; run `cargo xtask generate`",
            names.join(", ")
        ));
    }
    for d in &stale {
        std::fs::write(root.join(&d.path), &d.text)
            .map_err(|e| format!("{}: cannot write: {e}", d.path))?;
        println!("wrote {}", d.path);
    }
    if stale.is_empty() {
        println!("generated documents are current");
    }
    Ok(())
}

/// A rule family: folder name, id prefix and the `Family` variant.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Family {
    dir: &'static str,
    prefix: &'static str,
    variant: &'static str,
}

const FAMILIES: [Family; 4] = [
    Family {
        dir: "key",
        prefix: "KEY",
        variant: "Key",
    },
    Family {
        dir: "conn",
        prefix: "CONN",
        variant: "Conn",
    },
    Family {
        dir: "mi",
        prefix: "MI",
        variant: "Mi",
    },
    Family {
        dir: "rbac",
        prefix: "RBAC",
        variant: "Rbac",
    },
];

/// The family of `family`, checking that `id` is its prefix and three digits and `name` is
/// kebab-case.
fn check_args(id: &str, name: &str, family: &str) -> Result<Family, String> {
    let fam = FAMILIES
        .iter()
        .find(|f| f.dir.eq_ignore_ascii_case(family))
        .copied()
        .ok_or_else(|| format!("unknown family `{family}`: key, conn, mi or rbac"))?;
    let digits = id.strip_prefix(fam.prefix).unwrap_or("");
    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!(
            "rule id `{id}`: the family prefix {} and three digits (`{}042`)",
            fam.prefix, fam.prefix
        ));
    }
    let kebab = !name.is_empty()
        && !name.starts_with('-')
        && !name.ends_with('-')
        && !name.contains("--")
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if !kebab {
        return Err(format!(
            "rule name `{name}`: kebab-case, lowercase letters, digits and `-`"
        ));
    }
    Ok(fam)
}

/// `key042_secret_in_tag`: the rule's module (file stem).
fn module_name(id: &str, name: &str) -> String {
    format!("{}_{}", id.to_ascii_lowercase(), name.replace('-', "_"))
}

/// `SecretInTag`: the rule's type.
fn struct_name(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The rule's source file.
fn rule_file(id: &str, name: &str, fam: Family) -> String {
    let ty = struct_name(name);
    format!(
        r#"//! {id} {name}: {MARKER}: say in one line what the rule finds.

use crate::finding::Finding;
use crate::rules::{{Context, Rule}};

crate::rules::declare_rule! {{
    pub struct {ty};
    id: "{id}",
    name: "{name}",
    family: {family},
    severity: Warning,
    security_severity: 5.0,
    summary: "{MARKER}: one sentence, what the rule finds.",
}}

impl Rule for {ty} {{
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {{
        // {MARKER}: write the check. Each problem is one
        // `out.push(Finding::new(&META, span, message))` at the span of the value at fault; a
        // loop over resources, settings or nodes stops when `cx.out_of_time()` says so.
        for r in cx.doc.resources.iter().filter(|r| !r.existing) {{
            if cx.out_of_time() {{
                break;
            }}
            let _ = (r, &mut *out);
        }}
    }}
}}
"#,
        family = fam.variant,
    )
}

/// The rule's page, with the sections the crate's tests require.
fn rule_page(id: &str, name: &str) -> String {
    format!(
        "# {id} {name}

<!-- {MARKER}: write every section, then delete this line. -->

## What it does

What the rule finds, in every dialect it covers (ARM, Bicep, Terraform, app configs), and what it
leaves to other rules.

## Why is this bad

What an attacker or an accident gains from it.

## Example

```json
```

## Use instead

```json
```

## Fix

What `--fix` does, or why it offers none.
"
    )
}

/// A placeholder fixture, refused by the fixture test until it is replaced.
fn placeholder_fixture(id: &str, folder: &str) -> String {
    let what = if folder == "fire" {
        format!("a fixture that raises {id}")
    } else {
        format!("a fixture of the nearest case that must not raise {id}")
    };
    format!("{{\n  \"{MARKER}\": \"replace this file with {what}\"\n}}\n")
}

/// The family's `mod.rs` with the rule's module and registry line added, or `None` when its
/// shape is not the expected one (a `mod` line, then `pub fn rules()` listing `&...::RULE,`).
fn register(mod_rs: &str, module: &str) -> Option<String> {
    let mut lines: Vec<String> = mod_rs.lines().map(str::to_string).collect();
    let is_mod = |l: &str| {
        let l = l.trim_start_matches("pub ");
        l.starts_with("mod ") && l.ends_with(';')
    };
    let last_mod = lines.iter().rposition(|l| is_mod(l))?;
    lines.insert(last_mod + 1, format!("pub mod {module};"));
    let fn_at = lines.iter().position(|l| l.starts_with("pub fn rules()"))?;
    let close = fn_at + lines[fn_at..].iter().position(|l| l.trim() == "]")?;
    if !lines[close - 1].trim_end().ends_with("::RULE,") {
        return None;
    }
    lines.insert(close, format!("        &{module}::RULE,"));
    Some(lines.join("\n") + "\n")
}

fn new_rule(root: &Path, id: &str, name: &str, family: &str) -> Result<(), String> {
    let fam = check_args(id, name, family)?;
    let module = module_name(id, name);
    let rule_rel = format!("src/rules/{}/{module}.rs", fam.dir);
    let page_rel = format!("rules/{id}.md");
    let fire_rel = format!("testdata/{id}/fire/replace-me.json");
    let silent_rel = format!("testdata/{id}/silent/replace-me.json");
    for rel in [&rule_rel, &page_rel, &format!("testdata/{id}")] {
        if root.join(rel).exists() {
            return Err(format!("{rel} exists already"));
        }
    }
    let files = [
        (&rule_rel, rule_file(id, name, fam)),
        (&page_rel, rule_page(id, name)),
        (&fire_rel, placeholder_fixture(id, "fire")),
        (&silent_rel, placeholder_fixture(id, "silent")),
    ];
    for (rel, text) in &files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{rel}: cannot write: {e}"))?;
        println!("wrote {rel}");
    }
    let mod_rel = format!("src/rules/{}/mod.rs", fam.dir);
    let mod_path = root.join(&mod_rel);
    let mod_rs =
        std::fs::read_to_string(&mod_path).map_err(|e| format!("{mod_rel}: cannot read: {e}"))?;
    match register(&mod_rs, &module) {
        Some(text) => {
            std::fs::write(&mod_path, text).map_err(|e| format!("{mod_rel}: cannot write: {e}"))?;
            println!("registered {id} in {mod_rel}");
        }
        None => println!(
            "register {id} by hand: add `pub mod {module};` and `&{module}::RULE,` to {mod_rel}"
        ),
    }
    println!(
        "next: write the check, the page and the fixtures (every `{MARKER}` marker), then run \
         `cargo xtask generate` (the book's rule list and page, config schema) and \
         `INSTA_UPDATE=always cargo test --locked --lib fixture_snapshots` (then review \
         `git diff testdata`)"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed sample is the scaffold's output for KEY001; the keyless crate compiles it
    /// with `declare_rule!` and runs it (`rules::tests::scaffolded_rule_compiles_and_runs`).
    #[test]
    fn the_compiled_sample_is_the_scaffold_output() {
        let fam = check_args("KEY001", "literal-secret", "key").unwrap();
        assert_eq!(
            rule_file("KEY001", "literal-secret", fam),
            include_str!("../sample/key001_literal_secret.rs"),
            "regenerate xtask/sample/key001_literal_secret.rs from rule_file()"
        );
    }

    #[test]
    fn arguments_are_checked() {
        assert_eq!(check_args("MI042", "a-b", "MI").unwrap().variant, "Mi");
        assert!(check_args("MI42", "a-b", "mi").is_err());
        assert!(check_args("KEY042", "a-b", "mi").is_err());
        assert!(check_args("KEY042", "A_b", "key").is_err());
        assert!(check_args("KEY042", "a--b", "key").is_err());
        assert!(check_args("KEY042", "a-b", "input").is_err());
        assert_eq!(module_name("RBAC004", "role-x"), "rbac004_role_x");
        assert_eq!(struct_name("sql-entra-only-auth"), "SqlEntraOnlyAuth");
    }

    #[test]
    fn pages_have_the_sections_the_crate_requires_and_the_marker() {
        let page = rule_page("KEY042", "secret-in-tag");
        assert!(page.starts_with("# KEY042 secret-in-tag\n"));
        for section in [
            "## What it does",
            "## Why is this bad",
            "## Example",
            "## Use instead",
            "## Fix",
        ] {
            assert!(page.contains(section), "{section}");
        }
        assert!(page.contains(MARKER));
        assert!(placeholder_fixture("KEY042", "fire").contains(MARKER));
        assert!(placeholder_fixture("KEY042", "silent").contains(MARKER));
    }

    /// Registration adds the module and the registry line to every family's real `mod.rs`.
    #[test]
    fn registration_fits_every_family_module() {
        for fam in FAMILIES {
            let path = root().join(format!("src/rules/{}/mod.rs", fam.dir));
            let text = std::fs::read_to_string(&path).unwrap();
            let out = register(&text, "x999_new_rule").unwrap_or_else(|| panic!("{}", fam.dir));
            assert!(out.contains("\npub mod x999_new_rule;\n"), "{}", fam.dir);
            assert!(
                out.contains("\n        &x999_new_rule::RULE,\n    ]"),
                "{}",
                fam.dir
            );
            assert_eq!(
                out.len(),
                text.len()
                    + "pub mod x999_new_rule;\n".len()
                    + "        &x999_new_rule::RULE,\n".len()
            );
        }
        assert!(register("fn other() {}\n", "m").is_none());
    }

    /// `new-rule` writes its four files and registers the rule in a copy of a family folder, and
    /// refuses to overwrite a rule that exists.
    #[test]
    fn new_rule_writes_files_and_refuses_to_overwrite() {
        let tmp = std::env::temp_dir().join(format!("keyless-xtask-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(tmp.join("src/rules/rbac")).unwrap();
        let real = std::fs::read_to_string(root().join("src/rules/rbac/mod.rs")).unwrap();
        std::fs::write(tmp.join("src/rules/rbac/mod.rs"), &real).unwrap();
        new_rule(&tmp, "RBAC099", "role-x", "rbac").unwrap();
        for rel in [
            "src/rules/rbac/rbac099_role_x.rs",
            "rules/RBAC099.md",
            "testdata/RBAC099/fire/replace-me.json",
            "testdata/RBAC099/silent/replace-me.json",
        ] {
            let text = std::fs::read_to_string(tmp.join(rel)).unwrap();
            assert!(text.contains(MARKER), "{rel}");
        }
        let reg = std::fs::read_to_string(tmp.join("src/rules/rbac/mod.rs")).unwrap();
        assert!(reg.contains("&rbac099_role_x::RULE,"));
        assert!(new_rule(&tmp, "RBAC099", "role-x", "rbac").is_err());
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
