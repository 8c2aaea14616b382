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
pub mod classify;
pub mod dotenv;
pub mod json;
pub mod recover;
pub mod terraform;
pub mod tfjson;
pub mod xml;
pub mod yaml;

use crate::ir::{Document, InputProblem, Parsed};
use crate::source::{DeploymentScope, Format, SourceFile};

/// Parses a file into the IR. Never panics on user input; problems land in `doc.problems`, with
/// spans inside the text and on char boundaries.
pub fn parse(file: &SourceFile) -> Parsed {
    let mut parsed = parse_as_format(file);
    // Commented-out settings and connection strings: the comments' lines, read as a broken
    // file's are. Suppression comments are directives, not content.
    let doc = &mut parsed.doc;
    for c in &doc.comments {
        if !crate::suppress::is_suppression(&c.text) {
            let nodes = recover::lines(&file.text, c.span.start, c.span.end, parsed.format);
            doc.commented.extend(nodes);
        }
    }
    // Parsers locate errors by byte; where a multi-byte character stands the span is widened to it.
    for problem in &mut parsed.doc.problems {
        problem.span = problem.span.on_char_boundaries(&file.text);
    }
    parsed
}

fn parse_as_format(file: &SourceFile) -> Parsed {
    match file.format {
        Format::Terraform | Format::TerraformVars => Parsed {
            format: file.format,
            doc: terraform::parse(file),
        },
        Format::XmlConfig => Parsed {
            format: file.format,
            doc: xml::parse(file),
        },
        Format::Dotenv => Parsed {
            format: file.format,
            doc: dotenv::parse(file),
        },
        Format::Yaml => Parsed {
            format: file.format,
            doc: yaml::parse(file),
        },
        Format::Text => Parsed {
            format: file.format,
            doc: Document::from_text_lines(&file.text, file.bom_len()),
        },
        Format::Bicep | Format::BicepParams => Parsed {
            format: file.format,
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
        file.format,
        Format::TerraformJson | Format::AppSettings | Format::TerraformPlan
    ) {
        return file.format;
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
    file.format
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
        text_lines: recover::lines(&file.text, file.bom_len(), file.text.len(), file.format),
        ..Document::default()
    };
    doc.problems.push(problem);
    doc
}
