//! Command-line interface (clap). `main.rs` only calls [`run`].

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::finding::Severity;
use crate::report::{self, human::HumanOptions};
use crate::rules;
use crate::scan::{self, ScanOptions};

/// Find the keys, passwords and connection strings that keep Azure templates and app configs from
/// running on managed identities, and the over-broad roles they hand out.
#[derive(Debug, Parser)]
#[command(
    name = "keyless",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Files or folders to scan. Folders are walked honouring .gitignore; files are always scanned.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,

    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Exit with status 1 when a finding at or above this severity is reported.
    #[arg(long, value_enum, default_value_t = FailOn::Warning)]
    pub fail_on: FailOn,

    /// Do not honour .gitignore/.ignore files, and walk .git, .terraform and node_modules too.
    #[arg(long)]
    pub no_ignore: bool,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub threads: usize,

    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print findings only, no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Files larger than this are reported (INPUT002) and not read. Accepts K, M and G suffixes.
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "16M")]
    pub max_file_size: u64,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the rules: id, default severity, name and summary.
    Rules {
        /// Print the Markdown table used in the README instead.
        #[arg(long)]
        markdown: bool,
    },
    /// Print a rule's documentation page.
    Explain {
        /// Rule id (`KEY001`) or name.
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Note,
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => {
            let m = match c.to_ascii_uppercase() {
                'K' => 1024,
                'M' => 1024 * 1024,
                'G' => 1024 * 1024 * 1024,
                'B' => 1,
                _ => return Err(format!("unknown size suffix `{c}`: use K, M or G")),
            };
            (&t[..i], m)
        }
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .map(|n| n.saturating_mul(mult))
        .map_err(|_| format!("`{s}` is not a size: write a number of bytes, or 512K, 16M, 1G"))
}

/// Process exit status.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Runs the CLI; returns the exit status.
pub fn run(cli: Cli) -> i32 {
    match &cli.command {
        Some(Command::Rules { markdown }) => {
            let out = if *markdown {
                rules::markdown_table()
            } else {
                let mut out = String::new();
                for r in rules::all() {
                    let m = r.meta();
                    out.push_str(&format!(
                        "{:<9} {:<8} {:<40} {}\n",
                        m.id, m.default_severity, m.name, m.summary
                    ));
                }
                out
            };
            return emit(&cli, &out);
        }
        Some(Command::Explain { rule }) => {
            return match rules::find(rule) {
                Some(r) => emit(&cli, r.meta().doc),
                None => {
                    eprintln!("keyless: error: no rule `{rule}`; `keyless rules` lists them");
                    EXIT_USAGE
                }
            };
        }
        None => {}
    }
    for p in &cli.paths {
        if std::fs::symlink_metadata(p).is_err() {
            eprintln!(
                "keyless: error: `{}` does not exist; pass files or folders that exist (default: the current folder)",
                p.display()
            );
            return EXIT_USAGE;
        }
    }
    let to_terminal = cli.output.is_none() && std::io::stdout().is_terminal();
    let color = match cli.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => to_terminal && std::env::var_os("NO_COLOR").is_none(),
    };
    let opts = ScanOptions {
        paths: cli.paths.clone(),
        no_ignore: cli.no_ignore,
        threads: cli.threads,
        max_file_size: cli.max_file_size,
        keep_sources: cli.format == OutputFormat::Human,
    };
    let result = scan::scan(&opts);
    let text = match cli.format {
        OutputFormat::Human => report::human::render(
            &result,
            &HumanOptions {
                color,
                quiet: cli.quiet,
                width: std::env::var("COLUMNS")
                    .ok()
                    .and_then(|c| c.parse().ok())
                    .unwrap_or(100),
            },
        ),
        OutputFormat::Json => report::json::render(&result),
        OutputFormat::Sarif => report::sarif::render(&result),
    };
    let status = emit(&cli, &text);
    if status != EXIT_CLEAN {
        return status;
    }
    let threshold = match cli.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Note => Some(Severity::Note),
        FailOn::Never => None,
    };
    match threshold {
        Some(t) if result.findings().any(|(_, f)| f.severity >= t) => EXIT_FINDINGS,
        _ => EXIT_CLEAN,
    }
}

fn emit(cli: &Cli, text: &str) -> i32 {
    let res = match &cli.output {
        Some(path) => std::fs::write(path, text).map_err(|e| (path.display().to_string(), e)),
        None => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
                // A closed pipe (`keyless | head`) is not an error worth a message.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other.map_err(|e| ("standard output".to_string(), e)),
            }
        }
    };
    match res {
        Ok(()) => EXIT_CLEAN,
        Err((what, e)) => {
            eprintln!("keyless: error: could not write the report to {what}: {e}; check the path and permissions");
            EXIT_USAGE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("16M"), Ok(16 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5Q").is_err());
    }
}
