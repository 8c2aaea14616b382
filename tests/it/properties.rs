//! Bounded property tests of the parsers: arbitrary strings and mutated fixture text never panic,
//! every span of the resulting document lies within the text on char boundaries, and every input
//! problem points inside the text. Case counts are modest so that `cargo test` stays quick.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use keyless::parse;
use keyless::source::{DeploymentScope, Format, SourceFile};
use proptest::prelude::*;
use proptest::test_runner::Config;
use regex::Regex;

const CASES: u32 = 128;

/// The formats a file of the testdata tree is parsed as, by name.
fn format_of(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    Some(if name.ends_with(".tfvars") {
        Format::TerraformVars
    } else if name.ends_with(".tf") {
        Format::Terraform
    } else if name.ends_with(".bicepparam") {
        Format::BicepParams
    } else if name.ends_with(".bicep") {
        Format::Bicep
    } else if name.ends_with(".yml") || name.ends_with(".yaml") {
        Format::Yaml
    } else if name.ends_with(".config") {
        Format::XmlConfig
    } else if name == ".env" || name.ends_with(".env") {
        Format::Dotenv
    } else if name.ends_with(".json") {
        Format::Json
    } else {
        return None;
    })
}

fn walk(dir: &Path, out: &mut Vec<(Format, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if let (Some(format), Ok(text)) = (format_of(&path), std::fs::read_to_string(&path))
        {
            out.push((format, text));
        }
    }
}

/// Every parseable fixture of testdata/ with the format it is parsed as.
fn fixtures() -> &'static [(Format, String)] {
    static FIXTURES: OnceLock<Vec<(Format, String)>> = OnceLock::new();
    FIXTURES.get_or_init(|| {
        let mut out = Vec::new();
        walk(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata"),
            &mut out,
        );
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    })
}

/// Fixture texts to mutate for a format (JSON ones for the JSON family).
fn seeds(format: Format) -> Vec<&'static str> {
    let family = |f: Format| match f {
        Format::ArmTemplate(_) | Format::ArmParameters | Format::Json => Format::Json,
        Format::BicepParams => Format::Bicep,
        other => other,
    };
    let seeds: Vec<&str> = fixtures()
        .iter()
        .filter(|(f, _)| family(*f) == family(format))
        .map(|(_, t)| t.as_str())
        .collect();
    assert!(!seeds.is_empty(), "no fixture for {format:?}");
    seeds
}

const FORMATS: [Format; 9] = [
    Format::Json,
    Format::ArmTemplate(DeploymentScope::ResourceGroup),
    Format::Terraform,
    Format::TerraformVars,
    Format::Yaml,
    Format::XmlConfig,
    Format::Dotenv,
    Format::Bicep,
    Format::BicepParams,
];

fn span_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"Span \{ start: (\d+), end: (\d+) \}").unwrap())
}

fn check_span(text: &str, start: usize, end: usize, what: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        start <= end && end <= text.len(),
        "{what} {start}..{end} outside the text ({} bytes)",
        text.len()
    );
    prop_assert!(
        text.is_char_boundary(start) && text.is_char_boundary(end),
        "{what} {start}..{end} not on char boundaries"
    );
    Ok(())
}

/// Parses `text` as `format` and checks every span of the document (found through its `Debug`
/// form, so that no span-carrying field is forgotten) and of its input problems.
fn check_parse(format: Format, text: &str) -> Result<(), TestCaseError> {
    let file = SourceFile::new(
        PathBuf::from(keyless::testing::file_name_for(format)),
        keyless::testing::file_name_for(format).to_string(),
        text.to_string(),
        format,
    );
    let parsed = parse::parse(&file);
    for problem in &parsed.doc.problems {
        check_span(
            text,
            problem.span.start,
            problem.span.end,
            "input problem span",
        )?;
    }
    let debug = format!("{:?}", parsed.doc);
    for caps in span_regex().captures_iter(&debug) {
        let start: usize = caps[1].parse().unwrap();
        let end: usize = caps[2].parse().unwrap();
        check_span(text, start, end, "document span")?;
    }
    Ok(())
}

/// The fuzz target's checks (every part's ranges inside the string); a panic fails the case.
fn check_connstr(s: &str) -> Result<(), TestCaseError> {
    keyless::testing::fuzz_connection_string(s.as_bytes());
    Ok(())
}

/// One edit of a text: delete, insert or duplicate a piece, at char boundaries.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize, usize),
    Insert(usize, String),
    Duplicate(usize, usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let piece = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("\"".to_string()),
        Just("'".to_string()),
        Just("${".to_string()),
        Just("[".to_string()),
        Just("\n".to_string()),
        Just(":".to_string()),
        Just("=".to_string()),
        Just("<".to_string()),
        Just("é😀".to_string()),
        Just("\u{feff}".to_string()),
        Just("Password=hunter2;".to_string()),
        "\\PC{0,12}",
    ];
    prop_oneof![
        (any::<usize>(), 0usize..64).prop_map(|(a, n)| Edit::Delete(a, n)),
        (any::<usize>(), piece).prop_map(|(a, s)| Edit::Insert(a, s)),
        (any::<usize>(), 0usize..64).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ]
}

fn boundary(text: &str, at: usize) -> usize {
    let mut i = if text.is_empty() {
        0
    } else {
        at % (text.len() + 1)
    };
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut t = text.to_string();
    for edit in edits {
        match edit {
            Edit::Delete(at, n) => {
                let a = boundary(&t, *at);
                let b = boundary(&t, (a + n).min(t.len()));
                t.replace_range(a..b.max(a), "");
            }
            Edit::Insert(at, s) => {
                let a = boundary(&t, *at);
                t.insert_str(a, s);
            }
            Edit::Duplicate(at, n) => {
                let a = boundary(&t, *at);
                let b = boundary(&t, (a + n).min(t.len())).max(a);
                let piece = t[a..b].to_string();
                t.insert_str(b, &piece);
            }
        }
    }
    t
}

proptest! {
    #![proptest_config(Config { cases: CASES, failure_persistence: None, ..Config::default() })]

    #[test]
    fn arbitrary_text_parses_without_panics_and_with_spans_in_bounds(
        format in proptest::sample::select(&FORMATS[..]),
        text in "\\PC{0,200}",
    ) {
        check_parse(format, &text)?;
    }

    #[test]
    fn structured_noise_parses_without_panics(
        format in proptest::sample::select(&FORMATS[..]),
        text in "[{}\\[\\]\"'=:,;\\n <>/$#-a-z0-9é]{0,200}",
    ) {
        check_parse(format, &text)?;
    }

    #[test]
    fn mutated_fixtures_parse_without_panics_and_with_spans_in_bounds(
        format in proptest::sample::select(&FORMATS[..]),
        pick in any::<usize>(),
        edits in proptest::collection::vec(edit_strategy(), 1..6),
    ) {
        let seeds = seeds(format);
        let text = apply(seeds[pick % seeds.len()], &edits);
        check_parse(format, &text)?;
    }

    #[test]
    fn connection_strings_have_ranges_in_bounds(
        text in "\\PC{0,120}",
    ) {
        check_connstr(&text)?;
    }

    #[test]
    fn connection_string_like_text_has_ranges_in_bounds(
        parts in proptest::collection::vec(
            (
                prop_oneof![
                    Just("Server"), Just("Password"), Just("AccountKey"), Just("User ID"),
                    Just("SharedAccessKey"), Just("Endpoint"), Just("AccountName"), Just("é"),
                ],
                "[a-zA-Z0-9+/=;'\"{}é ]{0,16}",
            ),
            0..6,
        ),
        uri in any::<bool>(),
    ) {
        let body = parts
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(";");
        let s = if uri { format!("postgresql://user:{body}@host/db") } else { body };
        check_connstr(&s)?;
    }
}

#[test]
fn fixtures_cover_every_format_family() {
    for format in FORMATS {
        assert!(!seeds(format).is_empty());
    }
    // The span check sees spans at all: a fixture's document has some.
    let (format, text) = fixtures()
        .iter()
        .find(|(f, _)| *f == Format::Terraform)
        .unwrap();
    let file = SourceFile::new(
        PathBuf::from("main.tf"),
        "main.tf".into(),
        text.clone(),
        *format,
    );
    let debug = format!("{:?}", parse::parse(&file).doc);
    assert!(span_regex().is_match(&debug));
}

/// Inputs the properties found: error spans that cut a multi-byte character in two.
#[test]
fn error_spans_found_by_the_properties_cover_whole_characters() {
    for (format, text) in [
        (Format::Terraform, "𞥞"),
        (Format::Bicep, "'\\ᝀ"),
        (Format::Bicep, "'\\ල"),
    ] {
        let file = SourceFile::new(
            PathBuf::from(keyless::testing::file_name_for(format)),
            keyless::testing::file_name_for(format).into(),
            text.into(),
            format,
        );
        let doc = parse::parse(&file).doc;
        assert!(!doc.problems.is_empty(), "{format:?} {text:?}: a problem");
        for p in &doc.problems {
            assert!(
                text.get(p.span.start..p.span.end).is_some(),
                "{format:?} {text:?}: {:?}",
                p.span
            );
        }
    }
}
