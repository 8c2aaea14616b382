//! Command-line interface (clap). `main.rs` only calls [`run`].

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand, ValueEnum};

use crate::baseline::Baseline;
use crate::config::{self, Config};
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
    /// `-` reads one document from standard input (name it with --stdin-filename).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// With `-`: the path the document on standard input stands for. It gives the format, the
    /// configuration lookup, `[paths] exclude` and the path shown in reports; it need not exist.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<PathBuf>,

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

    /// Scan only the files changed since this git ref (a branch, tag or commit), under the given
    /// paths: committed on this branch since it left the ref, staged, unstaged or untracked (not
    /// ignored). For pull requests: `--changed-since origin/main`.
    #[arg(long, value_name = "REF")]
    pub changed_since: Option<String>,

    /// Worker threads (default: all cores; at most 1024).
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0, value_parser = parse_threads)]
    pub threads: usize,

    /// Colour in human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Print findings only, no summary line.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Files larger than this are reported (INPUT002) and not read. Accepts K, M and G suffixes
    /// [default: 16M, or `[limits] max-file-size` in .keyless.toml].
    #[arg(long, value_name = "SIZE", value_parser = config::parse_size)]
    pub max_file_size: Option<u64>,

    /// Per-file time bound: once a file has taken this long, the rules not yet run on it are
    /// skipped and reported (INPUT011); the scan goes on with the next file. A number of seconds, or
    /// with a unit: 500ms, 10s, 2m [default: 10s, or `[limits] file-timeout` in .keyless.toml].
    #[arg(long, value_name = "DURATION", value_parser = config::parse_duration)]
    pub file_timeout: Option<std::time::Duration>,

    /// Configuration file [default: .keyless.toml, looked up from the first path upwards to the
    /// repository root].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Run only these rules: ids or family prefixes (KEY, CONN, MI, RBAC, INPUT), comma-separated.
    /// Replaces `[rules] select` of the configuration file.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,

    /// Do not run these rules: ids or family prefixes, comma-separated. Replaces `[rules] ignore`
    /// of the configuration file.
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Option<Vec<String>>,

    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Record the current findings in this baseline file (and report nothing; exit 0).
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
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
    /// Run the language server (LSP over standard input and output) for editors.
    Server,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// `path:line:col: severity[RULE] message`, one per line.
    Compact,
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

/// The most worker threads `--threads` accepts: far above any machine's cores, far below what
/// would exhaust memory or the thread limit.
pub const MAX_THREADS: usize = 1024;

fn parse_threads(s: &str) -> Result<usize, String> {
    let n: u64 = s
        .trim()
        .parse()
        .map_err(|_| "expected a number of threads (0: all cores)".to_string())?;
    if n > MAX_THREADS as u64 {
        return Err(format!("at most {MAX_THREADS} threads (0 uses all cores)"));
    }
    Ok(n as usize)
}

/// Process exit status.
pub const EXIT_CLEAN: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Where the last panic happened (file:line), for [`internal_error`].
static PANIC_AT: std::sync::Mutex<Option<String>> = std::sync::Mutex::new(None);

/// Replaces the default panic message (which may quote input in its payload) with nothing: a
/// panic in a parser or a rule is caught and becomes a finding, and one anywhere else ends in
/// [`internal_error`]. Only the location is kept.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if let (Some(loc), Ok(mut at)) = (info.location(), PANIC_AT.lock()) {
            *at = Some(format!("{}:{}", loc.file(), loc.line()));
        }
    }));
}

/// The one line printed when keyless itself fails; returns the exit status (2, never 101).
pub fn internal_error() -> i32 {
    let at = PANIC_AT
        .lock()
        .ok()
        .and_then(|a| a.clone())
        .unwrap_or_else(|| "unknown".to_string());
    eprintln!(
        "keyless: internal error (a bug in keyless at {at}, version {}): please report it at {}/issues with the command you ran; the scan's result is unknown",
        env!("CARGO_PKG_VERSION"),
        env!("CARGO_PKG_REPOSITORY")
    );
    EXIT_USAGE
}

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
        Some(Command::Server) => {
            return match crate::server::run_stdio() {
                Ok(()) => EXIT_CLEAN,
                Err(message) => {
                    eprintln!("keyless server: error: {message}");
                    EXIT_USAGE
                }
            };
        }
        None => {}
    }
    let stdin_mode = cli.paths.iter().any(|p| p.as_os_str() == "-");
    if stdin_mode && cli.paths.len() > 1 {
        eprintln!("keyless: error: `-` (standard input) cannot be combined with other paths");
        return EXIT_USAGE;
    }
    if stdin_mode && cli.changed_since.is_some() {
        eprintln!("keyless: error: --changed-since lists files of a repository; it does not apply to `-` (standard input)");
        return EXIT_USAGE;
    }
    if !stdin_mode && cli.stdin_filename.is_some() {
        eprintln!("keyless: error: --stdin-filename names the document read from `-`; pass `-` as the path");
        return EXIT_USAGE;
    }
    for p in cli.paths.iter().filter(|_| !stdin_mode) {
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
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let config = match load_config(&cli, &cwd) {
        Ok(c) => c,
        Err(message) => {
            // A configuration error may echo a value of the file: mask anything secret-like.
            let scrubbed = crate::redact::Scrubber::default()
                .scrub_free_text(&message)
                .into_owned();
            eprintln!(
                "keyless: error: {}",
                crate::redact::escape_control(&scrubbed)
            );
            return EXIT_USAGE;
        }
    };
    let baseline = match &cli.baseline {
        Some(path) => match Baseline::read(path) {
            Ok(b) => Some(b),
            Err(message) => {
                eprintln!("keyless: error: {message}");
                return EXIT_USAGE;
            }
        },
        None => None,
    };
    let only = match &cli.changed_since {
        Some(reference) => {
            // the repository of the first path
            let first = cli.paths.first().map_or(Path::new("."), PathBuf::as_path);
            let dir = if first.is_dir() {
                first
            } else {
                first
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .unwrap_or(Path::new("."))
            };
            match crate::git::changed_files(dir, reference) {
                Ok(files) => Some(files),
                Err(e) => {
                    eprintln!("keyless: error: {e}");
                    return EXIT_USAGE;
                }
            }
        }
        None => None,
    };
    let opts = ScanOptions {
        only,
        paths: cli.paths.clone(),
        no_ignore: cli.no_ignore,
        threads: cli.threads,
        max_file_size: cli
            .max_file_size
            .or(config.max_file_size)
            .unwrap_or(scan::DEFAULT_MAX_FILE_SIZE),
        file_timeout: cli
            .file_timeout
            .or(config.file_timeout)
            .unwrap_or(scan::DEFAULT_FILE_TIMEOUT),
        keep_sources: cli.format == OutputFormat::Human,
        config: std::sync::Arc::new(config),
        baseline_key: match (&baseline, &cli.write_baseline) {
            (Some(b), _) => b.key(),
            (None, Some(_)) => Some(Baseline::new_key()),
            (None, None) => None,
        },
    };
    let mut result = if stdin_mode {
        match scan_stdin(&cli, &cwd, &opts) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("keyless: error: could not read standard input: {e}");
                return EXIT_USAGE;
            }
        }
    } else {
        scan::scan(&opts)
    };
    if let Some(path) = &cli.write_baseline {
        let b = Baseline::of(&result, opts.baseline_key.unwrap_or_else(Baseline::new_key));
        return match write_atomically(path, b.to_json().as_bytes()) {
            Ok(()) => {
                eprintln!(
                    "keyless: wrote {} finding{} to the baseline {}",
                    b.entries.len(),
                    if b.entries.len() == 1 { "" } else { "s" },
                    path.display()
                );
                EXIT_CLEAN
            }
            Err(e) => {
                eprintln!(
                    "keyless: error: could not write the baseline {}: {e}; check the path and permissions",
                    path.display()
                );
                EXIT_USAGE
            }
        };
    }
    if let Some(b) = &baseline {
        result.baselined = b.filter(&mut result);
    }
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
        OutputFormat::Github => report::github::render(&result),
        OutputFormat::Compact => report::compact::render(&result),
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

/// `keyless - [--stdin-filename NAME]`: one document from standard input, scanned as the file
/// NAME would be (without a name: `-`, JSON when it starts with `{`, else text).
fn scan_stdin(
    cli: &Cli,
    cwd: &std::path::Path,
    opts: &ScanOptions,
) -> std::io::Result<scan::ScanResult> {
    let started = std::time::Instant::now();
    let bytes = scan::read_stream(std::io::stdin().lock(), opts.max_file_size)?;
    let name = cli
        .stdin_filename
        .clone()
        .unwrap_or_else(|| PathBuf::from("-"));
    let mut result = scan::ScanResult::default();
    if cli.stdin_filename.is_none() || !opts.config.excluded(&name, cwd) {
        let report = scan::scan_text(&name, cwd, bytes, opts);
        result.files_scanned = 1;
        if !report.findings.is_empty() || !report.suppressed.is_empty() {
            result.files.push(report);
        }
    }
    result.elapsed = started.elapsed();
    Ok(result)
}

/// The configuration: `--config FILE`, else `.keyless.toml` found from the scan root upwards (for
/// standard input: from the --stdin-filename, else the current folder), else the defaults; then
/// `--select` / `--ignore` on top.
fn load_config(cli: &Cli, cwd: &std::path::Path) -> Result<Config, String> {
    let path = match &cli.config {
        Some(p) => Some(p.clone()),
        None => match cli.paths.first() {
            Some(first) if first.as_os_str() == "-" => {
                let name = cli.stdin_filename.clone().unwrap_or_else(|| cwd.join("-"));
                config::discover(&name, cwd)
            }
            Some(first) => config::discover(first, cwd),
            None => None,
        },
    };
    let mut cfg = match path {
        Some(p) => Config::load(&p, cwd).map_err(|e| e.to_string())?,
        None => Config::default(),
    };
    if let Some(list) = &cli.select {
        cfg.set_select(list).map_err(|e| format!("--select: {e}"))?;
    }
    if let Some(list) = &cli.ignore {
        cfg.set_ignore(list).map_err(|e| format!("--ignore: {e}"))?;
    }
    Ok(cfg)
}

fn emit(cli: &Cli, text: &str) -> i32 {
    let res = match &cli.output {
        Some(path) => {
            write_atomically(path, text.as_bytes()).map_err(|e| (path.display().to_string(), e))
        }
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

/// Writes a file through a temporary file in the same folder and a rename, so a reader (or a
/// crash half-way) never sees a half-written report or baseline.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "report".to_string());
    let tmp = dir.join(format!(".{name}.keyless-{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        use config::parse_size;
        assert_eq!(parse_size("16M"), Ok(16 * 1024 * 1024));
        assert_eq!(parse_size("512k"), Ok(512 * 1024));
        assert_eq!(parse_size("100"), Ok(100));
        assert!(parse_size("lots").is_err());
        assert!(parse_size("5Q").is_err());
    }
}
