//! Parsers: one module per format, each lowering its syntax into the IR ([`crate::ir::Document`]).
//!
//! [`parse`] picks the parser from the format discovery gave the file; JSON files are parsed first
//! and then told apart by content (ARM template, parameter file, Terraform plan, app settings).
//! A parser that fails reports an [`InputProblem`] and the file's lines are kept as literal strings
//! ([`Document::from_text_lines`]) so that a secret in a broken file is still found.

pub mod appconfig;
pub mod arm;
pub mod armexpr;
pub mod bicep;
pub mod dotenv;
mod hcl_lex;
pub mod json;
pub mod linked;
pub mod properties;
pub mod recover;
pub mod terraform;
pub mod tfjson;
pub mod xml;
pub mod yaml;

use crate::ir::{Dialect, Document, InputProblem, Parsed};
use crate::source::{DeploymentScope, Format, SourceFile};

/// Parses a file into the IR. Never panics on user input; problems land in `doc.problems`, with
/// spans inside the text and on char boundaries.
pub fn parse(file: &SourceFile) -> Parsed {
    let mut parsed = parse_as_format(file);
    parsed.doc.dialect = Dialect::of(parsed.format);
    parsed.doc.values_file = matches!(
        parsed.format,
        Format::ArmParameters | Format::BicepParams | Format::TerraformVars
    );
    // Commented-out settings and connection strings: the comments' lines, read as a broken
    // file's are. Suppression comments are directives, not content.
    let doc = &mut parsed.doc;
    for c in &doc.comments {
        if !crate::suppress::is_suppression(&c.text) {
            let nodes = recover::lines(&file.text, c.span.start, c.span.end, parsed.format);
            doc.commented.extend(nodes);
        }
    }
    doc.call_data = call_data(&file.text, doc, parsed.format);
    // Parsers locate errors by byte; where a multi-byte character stands the span is widened to it.
    for problem in &mut parsed.doc.problems {
        problem.span = problem.span.on_char_boundaries(&file.text);
    }
    parsed
}

/// The settings of a flat file of `key = value` lines (`.env`, `.properties`): one app
/// configuration setting per entry, named by its key.
pub(crate) fn app_config_settings(entries: &[crate::ir::Entry]) -> Vec<crate::ir::Setting> {
    entries
        .iter()
        .map(|e| crate::ir::Setting {
            key: e.key.clone(),
            name: e.key.clone(),
            key_span: e.key_span,
            value: e.value.clone(),
            source: crate::ir::SettingSource::AppConfig,
        })
        .collect()
}

/// Functions whose object arguments are data written in the file ([`Document::call_data`]).
const DATA_FUNCTIONS: &[&str] = &[
    "jsonencode",
    "yamlencode",
    "merge",
    "tomap",
    "union",
    "json",
    "string",
];

/// The object literals given to [`DATA_FUNCTIONS`] in Terraform and Bicep expressions, read line
/// by line: maps of their quoted `key = "value"` / `key: 'value'` pairs.
fn call_data(text: &str, doc: &Document, format: Format) -> Vec<crate::ir::Node> {
    use crate::ir::{Expr, NodeKind};
    if !matches!(doc.dialect, Dialect::Terraform | Dialect::Bicep) {
        return Vec::new();
    }
    let mut spans = Vec::new();
    for tree in doc.root.iter() {
        tree.walk(&mut |_, node| {
            let Some(e) = node.as_expr() else {
                return;
            };
            let mut found = false;
            e.walk(&mut |x| {
                if let Expr::Call { name, args } = x {
                    found |= DATA_FUNCTIONS.iter().any(|f| name.eq_ignore_ascii_case(f))
                        && args.iter().any(|a| matches!(a, Expr::Other(_)));
                }
            });
            if found {
                spans.push(node.span);
            }
        });
    }
    let mut out = Vec::new();
    for span in spans {
        for line in recover::lines(text, span.start, span.end, format) {
            let NodeKind::Map(entries) = &line.kind else {
                continue;
            };
            let quoted: Vec<_> = entries
                .iter()
                .filter(|e| {
                    e.value.span.start > 0
                        && matches!(
                            text.as_bytes().get(e.value.span.start - 1),
                            Some(b'"' | b'\'')
                        )
                })
                .cloned()
                .collect();
            if !quoted.is_empty() {
                out.push(crate::ir::Node::new(
                    line.span,
                    NodeKind::Map(quoted.into()),
                ));
            }
        }
    }
    out
}

fn parse_as_format(file: &SourceFile) -> Parsed {
    match file.format_by_name {
        Format::Terraform | Format::TerraformVars => Parsed {
            format: file.format_by_name,
            doc: terraform::parse(file),
        },
        Format::XmlConfig => Parsed {
            format: file.format_by_name,
            doc: xml::parse(file),
        },
        Format::Dotenv => Parsed {
            format: file.format_by_name,
            doc: dotenv::parse(file),
        },
        Format::Yaml => Parsed {
            format: file.format_by_name,
            doc: yaml::parse(file),
        },
        Format::Properties => Parsed {
            format: file.format_by_name,
            doc: properties::parse(file),
        },
        // A document of no known format is read as a broken file is, line by line: `KEY=value`,
        // `key: value` and connection strings become settings the rules judge.
        Format::Text => Parsed {
            format: file.format_by_name,
            doc: Document {
                text_lines: recover::lines(
                    &file.text,
                    file.bom_len(),
                    file.text.len(),
                    Format::Text,
                ),
                ..Document::default()
            },
        },
        Format::Bicep | Format::BicepParams => Parsed {
            format: file.format_by_name,
            doc: bicep::parse(file),
        },
        Format::ArmTemplate(_)
        | Format::ArmParameters
        | Format::TerraformJson
        | Format::TerraformPlan
        | Format::AppSettings
        | Format::Json => parse_json(file),
    }
}

/// JSON: parse once with ARM-aware string classification only when the content says ARM.
fn parse_json(file: &SourceFile) -> Parsed {
    // A cheap look at the text decides whether strings are ARM expressions, so that the file is
    // parsed exactly once.
    let format = sniff_json(file);
    let doc = match format {
        Format::ArmTemplate(_) | Format::ArmParameters => arm::parse(file, format),
        Format::TerraformJson | Format::TerraformPlan => tfjson::parse(file, format),
        _ => appconfig::parse_json(file),
    };
    Parsed { format, doc }
}

/// Decides what a JSON file is from its name and the start of its text (`$schema`, plan keys).
pub fn sniff_json(file: &SourceFile) -> Format {
    if matches!(
        file.format_by_name,
        Format::TerraformJson | Format::AppSettings | Format::TerraformPlan
    ) {
        return file.format_by_name;
    }
    let head = head_of(&file.text, 4096);
    if let Some(schema) = schema_of(head) {
        let s = schema.to_ascii_lowercase();
        if s.contains("deploymentparameters.json") {
            return Format::ArmParameters;
        }
        if s.contains("subscriptiondeploymenttemplate.json") {
            return Format::ArmTemplate(DeploymentScope::Subscription);
        }
        if s.contains("managementgroupdeploymenttemplate.json") {
            return Format::ArmTemplate(DeploymentScope::ManagementGroup);
        }
        if s.contains("tenantdeploymenttemplate.json") {
            return Format::ArmTemplate(DeploymentScope::Tenant);
        }
        if s.contains("deploymenttemplate.json") {
            return Format::ArmTemplate(DeploymentScope::ResourceGroup);
        }
    }
    if head.contains("\"format_version\"")
        && (file.text.contains("\"planned_values\"") || file.text.contains("\"resource_changes\""))
    {
        return Format::TerraformPlan;
    }
    file.format_by_name
}

fn head_of(text: &str, n: usize) -> &str {
    let mut end = n.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The value of the first `"$schema": "..."` in the text.
fn schema_of(head: &str) -> Option<&str> {
    let i = head.find("\"$schema\"")?;
    let rest = head[i + 9..].trim_start();
    let rest = rest.strip_prefix(':')?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let end = rest.find('"')?;
    Some(&rest[..end])
}

/// The document for a file whose parser failed: the problem, and what a tolerant line-level
/// reading recovers ([`recover::lines`]): each line's `key = value` pairs as a map, so that a
/// password-named setting or a connection string is found as in a parsed file, or the line as a
/// literal string for the pattern rules.
pub fn failed(file: &SourceFile, problem: InputProblem) -> Document {
    let mut doc = Document {
        text_lines: recover::lines(
            &file.text,
            file.bom_len(),
            file.text.len(),
            file.format_by_name,
        ),
        ..Document::default()
    };
    doc.problems.push(problem);
    doc
}

/// The document for a file with a syntax error of which a part parsed: what parsed before the
/// error, lowered as a whole file is (`lower`), the problem, and the text from where the parse
/// stopped read line by line as a broken file's is. Without such a part, [`failed`].
pub fn partial(
    file: &SourceFile,
    failure: json::JsonFailure,
    lower: impl FnOnce(json::JsonParse) -> Document,
) -> Document {
    let Some(part) = failure.partial else {
        return failed(file, failure.problem);
    };
    let (parsed, cut) = *part;
    let mut doc = lower(parsed);
    doc.text_lines = recover::lines(&file.text, cut, file.text.len(), file.format_by_name);
    doc.problems.push(failure.problem);
    doc.partial = true;
    doc
}

/// Names a character of the input for a parser message without quoting input text: ASCII
/// punctuation is shown (it is syntax, never part of a secret's worth), anything else is named by
/// its class. INPUT messages must never carry input text (a secret next to a syntax error).
pub fn describe_char(c: char) -> String {
    if c.is_ascii_punctuation() {
        format!("`{c}`")
    } else if c.is_ascii_digit() {
        "a digit".to_string()
    } else if c.is_alphabetic() {
        "a letter".to_string()
    } else if c.is_whitespace() {
        "a space".to_string()
    } else if c.is_control() {
        "a control character".to_string()
    } else {
        "a symbol".to_string()
    }
}

#[cfg(test)]
mod message_tests {
    use std::path::PathBuf;

    use crate::source::SourceFile;

    /// The documentation's "Bad input" (docs/src/trust.md) states the nesting limits the parsers
    /// enforce.
    #[test]
    fn docs_state_the_nesting_limits() {
        let page = include_str!("../../docs/src/trust.md");
        let general = format!(
            "nesting deeper than {} levels",
            super::json::JSON_NESTING_LIMIT
        );
        assert!(
            page.contains(&general),
            "docs/src/trust.md lacks {general:?}"
        );
        for depth in [
            super::xml::XML_NESTING_LIMIT,
            super::yaml::YAML_NESTING_LIMIT,
            super::terraform::HCL_NESTING_LIMIT,
        ] {
            assert_eq!(depth, super::json::JSON_NESTING_LIMIT);
        }
        let bicep = format!("({} in Bicep", super::bicep::parser::BICEP_NESTING_LIMIT);
        assert!(page.contains(&bicep), "docs/src/trust.md lacks {bicep:?}");
        // and the limit is the one a file meets: one level more is INPUT006, one less parses
        let nest = |n: usize| format!("var x = {}1{}\n", "[".repeat(n), "]".repeat(n));
        let parse = |t: &str| {
            let file = SourceFile::new(
                PathBuf::from("main.bicep"),
                "main.bicep".into(),
                t.to_string(),
                crate::source::Format::Bicep,
            );
            super::parse(&file).doc.problems
        };
        let limit = super::bicep::parser::BICEP_NESTING_LIMIT;
        assert!(parse(&nest(limit - 2)).is_empty());
        let deep = parse(&nest(limit + 1));
        assert!(
            deep.iter()
                .any(|p| p.kind == crate::ir::InputProblemKind::TooDeep),
            "{deep:?}"
        );
    }

    /// Parser messages name the kind of problem, never the input: every broken text below holds
    /// the marker `Zqxv` at or right after the error, and no problem message may repeat it.
    #[test]
    fn input_messages_never_quote_the_input() {
        let cases: &[(&str, &str)] = &[
            ("web.config", "<configuration><appSettings><add key=\"Db\" value=\"W9&Zqxvpass;x\"/></appSettings></configuration>"),
            ("web.config", "<configuration><appSettings><add key=\"Db\" value=\"W9&Zqxvpass x\"/></appSettings></configuration>"),
            ("web.config", "<configuration><Zqxvtag></other></configuration>"),
            ("web.config", "<configuration a=\"1\" a=\"2\" Zqxv=\"3\"><x:Zqxv/></configuration>"),
            ("main.bicep", "param p string = Zqxvsecretvalue Zqxvmore\n"),
            ("main.bicep", "var x = 'a' \u{a4}Zqxv\n"),
            ("main.bicep", "var x = 'Zqxvsecret' 'Zqxvmore'\n"),
            ("main.bicep", "resource Zqxv 'Microsoft.Web/sites@2022-03-01' = {\n  name: Zqxv2 Zqxv3\n}\n"),
            ("azuredeploy.json", "{\"$schema\": \"https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#\", \"resources\": [], \"variables\": {\"a\": \"[concat('a') Zqxvtrailing]\", \"b\": \"[Zqxvname]\", \"c\": \"[concat('a', Zqxv)]\", \"d\": \"[concat('a', ~Zqxv)]\"}}"),
            ("config.yaml", "a: b\nkey: `Zqxvtick\n"),
            ("config.yaml", "a: b\nkey: @Zqxvat\n"),
            ("config.yaml", "a: [b\nZqxv: c\n"),
            ("main.tf", "x = \"a\" Zqxvtrailing\n"),
            ("main.tf", "resource \"a\" \"b\" { x = Zqxv( }\n"),
            ("appsettings.json", "{\"a\": Zqxvword}"),
            ("appsettings.json", "{\"a\": \"b\" \"Zqxv\": 1}"),
            (".env", "Zqxv KEY=1\nA=\"Zqxvunterminated\n"),
        ];
        for (name, text) in cases {
            let path = PathBuf::from(name);
            let format = crate::discover::format_for_explicit(&path, text.as_bytes());
            let file = SourceFile::new(path, name.to_string(), text.to_string(), format);
            let parsed = super::parse(&file);
            assert!(
                !parsed.doc.problems.is_empty(),
                "{name}: {text:?} parses without a problem"
            );
            for p in &parsed.doc.problems {
                assert!(
                    !p.message.to_ascii_lowercase().contains("zqxv"),
                    "{name}: {text:?}: the message quotes the input: {}",
                    p.message
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::ir::Expr;

    fn doc(name: &str, text: &str) -> Document {
        let path = PathBuf::from(name);
        let format = crate::discover::format_for_explicit(&path, text.as_bytes());
        parse(&SourceFile::new(
            path,
            name.to_string(),
            text.to_string(),
            format,
        ))
        .doc
    }

    #[test]
    fn parsers_set_the_dialect_of_documents_and_resources() {
        let arm = doc(
            "azuredeploy.json",
            r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "parameters": { "n": { "type": "string" } },
  "resources": [ { "type": "Microsoft.Web/sites", "name": "[parameters('n')]" } ] }"#,
        );
        let bicep = doc(
            "main.bicep",
            "param n string\nresource s 'Microsoft.Web/sites@2023-01-01' = {\n  name: n\n}\n",
        );
        let tf = doc(
            "main.tf",
            "variable \"n\" {}\nresource \"azurerm_linux_web_app\" \"s\" {\n  name = var.n\n}\n",
        );
        for (d, dialect) in [
            (&arm, Dialect::Arm),
            (&bicep, Dialect::Bicep),
            (&tf, Dialect::Terraform),
        ] {
            assert_eq!(d.dialect, dialect);
            assert!(!d.values_file);
            assert_eq!(d.resources.len(), 1, "{dialect:?}");
            assert_eq!(d.resources[0].dialect, dialect);
            // The same reference, lowered once into the same shape in every dialect.
            let name = d.resources[0].body.get("name").unwrap().as_expr();
            assert_eq!(name, Some(&Expr::Param("n".into())), "{dialect:?}");
        }
        let app = doc("appsettings.json", r#"{ "A": "b" }"#);
        assert_eq!(app.dialect, Dialect::AppConfig);
        for (name, text, dialect) in [
            (
                "azuredeploy.parameters.json",
                r#"{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#", "parameters": {} }"#,
                Dialect::Arm,
            ),
            (
                "main.bicepparam",
                "using 'main.bicep'\nparam n = 'x'\n",
                Dialect::Bicep,
            ),
            ("prod.tfvars", "n = \"x\"\n", Dialect::Terraform),
        ] {
            let d = doc(name, text);
            assert_eq!(d.dialect, dialect, "{name}");
            assert!(d.values_file, "{name}");
        }
    }
}
