//! One descriptor per input format: the file names read as it, its comment syntax (what a
//! suppression is written in), and the language ids editors give its unsaved buffers.
//!
//! Everything else follows from [`FORMATS`]: the walk's format detection
//! ([`crate::discover::format_for_path`]), the language server's comment syntax for *Suppress
//! RULE here* and its reading of unsaved buffers, and, through `cargo xtask generate`
//! ([`crate::generated`], drift-tested), the table of formats in the book
//! (`docs/src/reading.md`), the pre-commit hook's file filter (`.pre-commit-hooks.yaml`) and the
//! VS Code extension's file globs and languages (`editors/vscode/formats.json`, with the
//! activation events of `package.json`). Adding a format is a row here, a parser and fixtures.

use crate::source::{DeploymentScope, Format};

/// What keyless knows about one input format.
#[derive(Debug)]
pub struct FormatSpec {
    /// The format (for ARM templates, any deployment scope: the content decides).
    pub format: Format,
    /// What the documentation calls it.
    pub label: &'static str,
    /// The file names read as this format in a walk: globs on the lower-cased file name, where
    /// `*` stands for any run of characters. Rows are tried in order and the first match wins
    /// (`*.tf.json` before `*.json`). Empty for formats told apart by content (JSON).
    pub names: &'static [&'static str],
    /// The comment a suppression is written in, `(open, close)`; `None` for formats without
    /// comments.
    pub comment: Option<(&'static str, &'static str)>,
    /// The LSP language ids of unsaved buffers read as this format.
    pub language_ids: &'static [&'static str],
    /// The Neovim `filetype`s of its files (the `FileType` autocommand of the editors page).
    pub nvim_filetypes: &'static [&'static str],
    /// The file name an unsaved buffer of those languages is scanned as.
    pub untitled: &'static str,
}

const SLASHES: Option<(&str, &str)> = Some(("//", ""));
const HASH: Option<(&str, &str)> = Some(("#", ""));

/// Every input format, in the order file names are tried.
pub static FORMATS: &[FormatSpec] = &[
    FormatSpec {
        format: Format::Bicep,
        label: "Bicep",
        names: &["*.bicep"],
        comment: SLASHES,
        language_ids: &["bicep"],
        nvim_filetypes: &["bicep"],
        untitled: "untitled.bicep",
    },
    FormatSpec {
        format: Format::BicepParams,
        label: "Bicep parameters",
        names: &["*.bicepparam"],
        comment: SLASHES,
        language_ids: &["bicep-params", "bicepparam"],
        nvim_filetypes: &["bicep-params"],
        untitled: "untitled.bicepparam",
    },
    FormatSpec {
        format: Format::Terraform,
        label: "Terraform",
        names: &["*.tf"],
        comment: HASH,
        language_ids: &["terraform", "hcl", "tf"],
        nvim_filetypes: &["terraform", "hcl"],
        untitled: "untitled.tf",
    },
    FormatSpec {
        format: Format::TerraformVars,
        label: "Terraform variables and partial backend configurations",
        // `.tfbackend`: a backend's partial configuration (`terraform init -backend-config=…`),
        // attributes only, as a variable file is
        names: &["*.tfvars", "*.tfbackend"],
        comment: HASH,
        language_ids: &["terraform-vars", "tfvars"],
        nvim_filetypes: &["terraform-vars"],
        untitled: "untitled.tfvars",
    },
    FormatSpec {
        format: Format::TerraformJson,
        label: "Terraform JSON",
        names: &["*.tf.json", "*.tfvars.json"],
        comment: None,
        language_ids: &[],
        nvim_filetypes: &[],
        untitled: "untitled.tf.json",
    },
    FormatSpec {
        // one resource each (`type`, `name`, `properties`, no `$schema`): read as an ARM template
        // holding it, deployed at management-group scope
        format: Format::ArmTemplate(DeploymentScope::ManagementGroup),
        label:
            "Azure Landing Zones library files (policy, policy set and role definitions, policy \
                assignments): one ARM resource each, read at management-group scope",
        names: &[
            "*.alz_policy_definition.json",
            "*.alz_policy_set_definition.json",
            "*.alz_role_definition.json",
            "*.alz_policy_assignment.json",
        ],
        comment: SLASHES,
        language_ids: &[],
        nvim_filetypes: &[],
        untitled: "untitled.alz_role_definition.json",
    },
    FormatSpec {
        format: Format::AppSettings,
        label: "app settings (.NET, Azure Functions)",
        names: &["appsettings*.json", "local.settings.json", "secrets.json"],
        comment: SLASHES,
        language_ids: &[],
        nvim_filetypes: &[],
        untitled: "appsettings.json",
    },
    FormatSpec {
        format: Format::Json,
        label:
            "JSON (ARM templates and parameter files, plan JSON, other JSON: told apart by content)",
        names: &["*.json", "*.jsonc"],
        comment: SLASHES,
        // JSON, and any language not listed: JSON when it starts with `{`, else text
        language_ids: &["json", "jsonc"],
        nvim_filetypes: &["json", "jsonc"],
        untitled: "untitled",
    },
    FormatSpec {
        format: Format::ArmTemplate(DeploymentScope::ResourceGroup),
        label: "ARM template (a JSON file with a deployment template `$schema`)",
        names: &[],
        comment: SLASHES,
        language_ids: &["arm-template"],
        nvim_filetypes: &[],
        untitled: "azuredeploy.json",
    },
    FormatSpec {
        format: Format::ArmParameters,
        label: "ARM parameter file (a JSON file with a parameters `$schema`)",
        names: &[],
        comment: SLASHES,
        language_ids: &[],
        nvim_filetypes: &[],
        untitled: "azuredeploy.parameters.json",
    },
    FormatSpec {
        format: Format::TerraformPlan,
        label: "Terraform plan (`terraform show -json`: `format_version` and `planned_values`)",
        names: &[],
        // generated: suppress in the Terraform source
        comment: None,
        language_ids: &[],
        nvim_filetypes: &[],
        untitled: "plan.json",
    },
    FormatSpec {
        format: Format::XmlConfig,
        label: "XML configuration (`web.config`, `app.config`) and publish profiles",
        // publish profiles (`*.pubxml`, `*.pubxml.user`) hold a Web Deploy `<Password>` when saved
        names: &["*.config", "*.pubxml", "*.pubxml.user"],
        comment: Some(("<!--", " -->")),
        language_ids: &["xml"],
        nvim_filetypes: &["xml"],
        untitled: "untitled.config",
    },
    FormatSpec {
        format: Format::Dotenv,
        label: "`.env` files",
        names: &[".env", "*.env", ".env.*"],
        comment: HASH,
        language_ids: &["dotenv", "env"],
        nvim_filetypes: &["sh", "dotenv"],
        untitled: ".env",
    },
    FormatSpec {
        format: Format::Yaml,
        label: "YAML (pipelines, manifests, compose files)",
        names: &["*.yaml", "*.yml"],
        comment: HASH,
        language_ids: &["yaml", "azure-pipelines"],
        nvim_filetypes: &["yaml"],
        untitled: "untitled.yaml",
    },
    FormatSpec {
        format: Format::Properties,
        label: "Spring Boot `.properties`",
        // Spring Boot configuration; other `.properties` files (messages, build settings) are not read
        names: &["application*.properties", "bootstrap*.properties"],
        comment: HASH,
        language_ids: &[],
        nvim_filetypes: &["jproperties"],
        untitled: "application.properties",
    },
    FormatSpec {
        format: Format::Text,
        label: "a file of unknown kind named on the command line (read line by line)",
        names: &[],
        comment: None,
        language_ids: &[],
        nvim_filetypes: &[],
        untitled: "untitled",
    },
];

/// The descriptor of `format` (every format has one; the deployment scope of an ARM template
/// does not matter). ARM templates have two rows, the Azure Landing Zones library names and the
/// templates told apart by content: the last row of a format is its own.
pub fn spec(format: Format) -> &'static FormatSpec {
    let kind = std::mem::discriminant(&format);
    FORMATS
        .iter()
        .rfind(|s| std::mem::discriminant(&s.format) == kind)
        .unwrap_or(&FORMATS[FORMATS.len() - 1])
}

/// The format a lower-cased file name is read as in a walk: the first row with a matching name.
pub fn by_name(lower: &str) -> Option<Format> {
    FORMATS
        .iter()
        .find(|s| s.names.iter().any(|g| glob_matches(g, lower)))
        .map(|s| s.format)
}

/// The file name an unsaved buffer of this LSP language id is scanned as.
pub fn untitled_name(language_id: &str) -> &'static str {
    FORMATS
        .iter()
        .find(|s| s.language_ids.contains(&language_id))
        .map_or("untitled", |s| s.untitled)
}

/// Whether `name` matches `glob`, where `*` stands for any run of characters (none included).
pub fn glob_matches(glob: &str, name: &str) -> bool {
    // called for every name of every row on every file a walk meets: no allocation, and the
    // most selective test (the end of the name) first
    let Some((before, last)) = glob.rsplit_once('*') else {
        return glob == name;
    };
    if !name.ends_with(last) {
        return false;
    }
    let (head, middle) = before.split_once('*').unwrap_or((before, ""));
    if name.len() < head.len() + last.len() || !name.starts_with(head) {
        return false;
    }
    let mut rest = &name[head.len()..name.len() - last.len()];
    for part in middle.split('*').filter(|p| !p.is_empty()) {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

/// The pre-commit hook's `files` filter: a Python regex matching the paths keyless reads in a
/// walk, as the globs do (case-insensitive, on the last path component).
pub fn pre_commit_regex() -> String {
    let alternatives: Vec<String> = FORMATS
        .iter()
        .flat_map(|s| s.names.iter())
        .map(|g| {
            g.split('*')
                .map(|p| {
                    p.chars()
                        .map(|c| match c {
                            '.' => "\\.".to_string(),
                            c => c.to_string(),
                        })
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("[^/]*")
        })
        .collect();
    format!("(?i)(^|/)({})$", alternatives.join("|"))
}

/// The table of formats in the book (`docs/src/reading.md`).
pub fn markdown_table() -> String {
    let code = |v: &[&str]| {
        v.iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = String::from(
        "| format | file names | suppression comment | editor language ids |\n|---|---|---|---|\n",
    );
    for s in FORMATS {
        let comment = match s.comment {
            Some((open, "")) => format!("`{open} keyless:ignore RULE -- reason`"),
            Some((open, close)) => format!("`{open} keyless:ignore RULE - reason{close}`"),
            None => "none".to_string(),
        };
        out.push_str(&format!(
            "| {} | {} | {comment} | {} |\n",
            s.label.replace('|', "\\|"),
            if s.names.is_empty() {
                "by content".to_string()
            } else {
                code(s.names)
            },
            code(s.language_ids),
        ));
    }
    out
}

/// `editors/vscode/formats.json`: the extension's file globs and the languages of unsaved
/// buffers it starts the server for.
pub fn vscode_formats_json() -> String {
    let strings = |v: Vec<String>| {
        v.iter()
            .map(|s| format!("    \"{s}\""))
            .collect::<Vec<_>>()
            .join(",\n")
    };
    let files: Vec<String> = FORMATS
        .iter()
        .flat_map(|s| s.names.iter())
        .map(|g| format!("**/{g}"))
        .collect();
    let languages: Vec<String> = FORMATS
        .iter()
        .flat_map(|s| s.language_ids.iter())
        .map(|l| l.to_string())
        .collect();
    format!(
        "{{\n  \"//\": \"Generated from src/formats.rs by `cargo xtask generate`: what keyless reads, for extension.js and package.json's activation events.\",\n  \"files\": [\n{}\n  ],\n  \"untitledLanguages\": [\n{}\n  ]\n}}\n",
        strings(files),
        strings(languages)
    )
}

/// The `pattern = { … },` line of the Neovim `FileType` autocommands (README, editors page):
/// every format's Neovim filetypes, each once, in the order of [`FORMATS`].
pub fn nvim_pattern() -> String {
    let mut seen: Vec<&str> = Vec::new();
    for t in FORMATS.iter().flat_map(|s| s.nvim_filetypes.iter()) {
        if !seen.contains(t) {
            seen.push(t);
        }
    }
    let quoted: Vec<String> = seen.iter().map(|t| format!("\"{t}\"")).collect();
    format!("  pattern = {{ {} }},", quoted.join(", "))
}

/// The activation events of the VS Code extension: its file globs and untitled languages.
pub fn vscode_activation_events() -> Vec<String> {
    FORMATS
        .iter()
        .flat_map(|s| s.names.iter())
        .map(|g| format!("workspaceContains:**/{g}"))
        .chain(
            FORMATS
                .iter()
                .flat_map(|s| s.language_ids.iter())
                .map(|l| format!("onLanguage:{l}")),
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_written() {
        assert!(glob_matches("*.tf", "main.tf"));
        assert!(!glob_matches("*.tf", "main.tf.json"));
        assert!(glob_matches(".env", ".env"));
        assert!(!glob_matches(".env", "x.env"));
        assert!(glob_matches(".env.*", ".env.local"));
        assert!(glob_matches("appsettings*.json", "appsettings.json"));
        assert!(glob_matches(
            "appsettings*.json",
            "appsettings.development.json"
        ));
        assert!(!glob_matches("appsettings*.json", "myappsettings.json"));
        assert!(glob_matches("a*b*c", "abc"));
        assert!(glob_matches("a*b*c*d", "axbyczd"));
        assert!(!glob_matches("a*b*c", "acb"));
        assert!(!glob_matches("ab*ba", "aba"));
    }

    /// Each name a row lists, made concrete, is read as that row's format (no earlier row takes
    /// it), and each format has one row.
    #[test]
    fn every_name_is_read_as_its_format() {
        for s in FORMATS {
            for g in s.names {
                let name = g.replace('*', "sample");
                assert_eq!(by_name(&name), Some(s.format), "{name}");
            }
            assert!(
                std::ptr::eq(spec(s.format), s) || s.label.starts_with("Azure Landing Zones"),
                "{:?} has two rows",
                s.format
            );
        }
        assert_eq!(by_name("notes.txt"), None);
        assert_eq!(
            spec(Format::ArmTemplate(DeploymentScope::Subscription)).label,
            spec(Format::ArmTemplate(DeploymentScope::Tenant)).label
        );
    }

    /// Every format has its own row: the match is exhaustive, so a new `Format` variant does not
    /// compile here until it is listed, and then fails until it has a row.
    #[test]
    fn every_format_has_a_row() {
        use Format::*;
        let all = [
            ArmTemplate(DeploymentScope::Tenant),
            ArmParameters,
            Terraform,
            TerraformVars,
            TerraformJson,
            TerraformPlan,
            AppSettings,
            Json,
            XmlConfig,
            Dotenv,
            Properties,
            Yaml,
            Bicep,
            BicepParams,
            Text,
        ];
        for f in all {
            match f {
                ArmTemplate(_) | ArmParameters | Terraform | TerraformVars | TerraformJson
                | TerraformPlan | AppSettings | Json | XmlConfig | Dotenv | Properties | Yaml
                | Bicep | BicepParams | Text => {}
            }
            let row = FORMATS
                .iter()
                .filter(|s| std::mem::discriminant(&s.format) == std::mem::discriminant(&f))
                .count();
            // ARM templates: by content, and the Azure Landing Zones library files by name
            let rows = if matches!(f, ArmTemplate(_)) { 2 } else { 1 };
            assert_eq!(row, rows, "{f:?}");
        }
        assert_eq!(FORMATS.len(), all.len() + 1);
    }

    /// An unsaved buffer's file name is read as the format whose language id it has.
    #[test]
    fn untitled_names_are_read_as_their_format() {
        for s in FORMATS {
            for id in s.language_ids {
                let name = untitled_name(id);
                assert_eq!(name, s.untitled, "{id}");
                // `untitled` (no extension) is judged by its content, as JSON or text
                if name != "untitled" && !s.names.is_empty() {
                    assert_eq!(by_name(name), Some(s.format), "{id}: {name}");
                }
            }
        }
        assert_eq!(untitled_name("plaintext"), "untitled");
    }

    /// The pre-commit filter (a Python regex; here through the `regex` crate, whose syntax agrees
    /// for what it uses) matches what the walk reads, in any folder and any case, and nothing else.
    #[test]
    fn the_pre_commit_filter_matches_what_the_walk_reads() {
        let re = regex::Regex::new(&pre_commit_regex()).unwrap();
        for s in FORMATS {
            for g in s.names {
                let name = g.replace('*', "sample");
                assert!(re.is_match(&format!("a/b/{name}")), "{name}");
                assert!(re.is_match(&name.to_ascii_uppercase()), "{name}");
            }
        }
        for other in [
            "notes.txt",
            "a/main.xml",
            "main.hcl",
            "a.json/x",
            "README.md",
        ] {
            assert!(!re.is_match(other), "{other}");
        }
    }
}
