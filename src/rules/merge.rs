//! Report once: when findings of two rules cover the same problem, the most specific rule reports
//! and the other's knowledge goes into its message.
//!
//! The merge runs per file after every rule has run and the findings are located and
//! fingerprinted, before suppressions and the baseline. Two findings are the same problem when
//! their spans overlap (or are the same empty span) and [`PRECEDENCE`] declares one of the pair more
//! specific than the other. The less specific finding is folded into the other
//! ([`Finding::merged`]):
//!
//! - the message gains `(also <ID>: <what it found>)` after what the specific rule found (once per
//!   rule, however many of its findings fold in), where
//!   "what it found" is a message up to its first `: ` outside backticks (rule messages read
//!   "what: what to do");
//! - the severity is the higher of the two, or the reporting rule's where the pair declares so
//!   ([`SeverityRule`]); evidence and help are the specific rule's, or the other's when it
//!   has none; the fix is the specific rule's only; every secret span stays masked;
//! - a suppression naming either rule suppresses the merged finding, and a baseline entry of either
//!   rule's fingerprint covers it (a baseline records both).
//!
//! A rule turned off in the configuration does not run, so nothing is folded into it: the other
//! rule's finding is then reported on its own.

use crate::finding::{Finding, Merged};

/// How a merged finding's severity is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeverityRule {
    /// The higher of the two (a key in use makes MI001 an error; MI003 keeps that).
    Higher,
    /// The reporting rule's: it knows what the other does not (KEY005 knows that a secure ARM or
    /// Bicep output is not recorded, so CONN002's warning about the same string goes with it).
    Reporting,
}

/// One declared precedence: when findings of `reports` and `folds` overlap, `reports` reports.
#[derive(Debug)]
pub struct Precedence {
    pub reports: &'static str,
    pub folds: &'static str,
    pub severity: SeverityRule,
    pub why: &'static str,
}

const fn p(
    reports: &'static str,
    folds: &'static str,
    severity: SeverityRule,
    why: &'static str,
) -> Precedence {
    Precedence {
        reports,
        folds,
        severity,
        why,
    }
}

/// The precedence table. Acyclic (tested); chains fold into the most specific finding.
pub const PRECEDENCE: &[Precedence] = &[
    p(
        "CONN001",
        "KEY001",
        SeverityRule::Higher,
        "a key inside a connection string: CONN001 names the service and the identity-based \
         replacement, KEY001 adds what kind of key it is",
    ),
    p(
        "CONN001",
        "KEY002",
        SeverityRule::Higher,
        "a connection string in a password-named setting: the connection string's remedy applies",
    ),
    p(
        "CONN001",
        "KEY004",
        SeverityRule::Higher,
        "a connection string given in a parameter file: the connection string's remedy applies",
    ),
    p(
        "KEY002",
        "KEY001",
        SeverityRule::Higher,
        "a recognised key in a secret-named setting: KEY002 names the setting, KEY001 adds the \
         kind of key",
    ),
    p(
        "KEY003",
        "KEY001",
        SeverityRule::Higher,
        "a recognised key as a secure parameter's default: KEY001 adds the kind of key",
    ),
    p(
        "KEY004",
        "KEY001",
        SeverityRule::Higher,
        "a recognised key in a parameter file: KEY004 names the parameter and the Key Vault \
         reference, KEY001 adds the kind of key",
    ),
    p(
        "KEY006",
        "KEY001",
        SeverityRule::Higher,
        "a recognised key as a Terraform variable's default: KEY001 adds the kind of key",
    ),
    p(
        "KEY008",
        "KEY001",
        SeverityRule::Higher,
        "a recognised key given on a command line or in a shell assignment: KEY008 names the \
         option or variable and the identity-based sign-in, KEY001 adds the kind of key",
    ),
    p(
        "KEY005",
        "CONN002",
        SeverityRule::Reporting,
        "an output that returns a connection string built with a key: the output hands the key \
         to every consumer, CONN002 adds how the string gets its key",
    ),
    p(
        "MI003",
        "MI001",
        SeverityRule::Higher,
        "a resource with key-based access on and no identity: MI003 names the property to turn \
         key access off, MI001 adds that the resource has no identity",
    ),
    p(
        "MI004",
        "MI001",
        SeverityRule::Higher,
        "a SQL server with SQL authentication on and no identity: MI004 names the property",
    ),
    p(
        "MI005",
        "MI001",
        SeverityRule::Higher,
        "an API connection with key auth and no identity: MI005 names the property",
    ),
];

/// The declared precedence of `a` over `b`, if any.
fn precedence(a: &str, b: &str) -> Option<&'static Precedence> {
    PRECEDENCE.iter().find(|x| x.reports == a && x.folds == b)
}

/// Whether `a` takes precedence over `b`.
fn beats(a: &str, b: &str) -> bool {
    precedence(a, b).is_some()
}

fn overlaps(a: &Finding, b: &Finding) -> bool {
    a.span == b.span || (a.span.start < b.span.end && b.span.start < a.span.end)
}

/// A finding of the secret families (KEY, CONN), whose value may hold another of its own rule.
fn holds_secrets(f: &Finding) -> bool {
    matches!(
        f.rule.family,
        crate::finding::Family::Key | crate::finding::Family::Conn
    )
}

/// One secret reported twice by the same secret rule, once for a value and once for a secret-named
/// member inside it (`creds: '{"clientSecret": …}'`: KEY002 on `creds` and on `clientSecret`): the
/// inner finding's span lies strictly inside the outer's, and it reports.
fn nested_secret(inner: &Finding, outer: &Finding) -> bool {
    inner.rule.id == outer.rule.id
        && holds_secrets(inner)
        && inner.span != outer.span
        && outer.span.start <= inner.span.start
        && inner.span.end <= outer.span.end
}

/// What a finding's message says it found: the text before the first `: ` outside backticks.
pub fn what_it_found(message: &str) -> &str {
    let mut in_code = false;
    let mut depth = 0usize;
    for (i, c) in message.char_indices() {
        match c {
            '`' => in_code = !in_code,
            '(' if !in_code => depth += 1,
            ')' if !in_code => depth = depth.saturating_sub(1),
            ':' if !in_code && depth == 0 && message[i + 1..].starts_with(' ') => {
                return &message[..i]
            }
            _ => {}
        }
    }
    message
}

/// For each finding, the finding it folds into directly: among the overlapping findings of rules
/// that take precedence over its rule, the first one no other of them beats.
fn fold_targets(findings: &[Finding]) -> Vec<Option<usize>> {
    let n = findings.len();
    // The findings of each rule that takes precedence over another or can hold a secret inside
    // another of its own, by start, with the furthest end so far: a finding's possible winners
    // are found by a binary search, not by a pass over every other finding (a file with 20,000
    // findings is not 400 million comparisons).
    let mut by_rule: std::collections::HashMap<&str, (Vec<usize>, Vec<usize>)> =
        std::collections::HashMap::new();
    for (j, f) in findings.iter().enumerate() {
        if PRECEDENCE.iter().any(|x| x.reports == f.rule.id) || holds_secrets(f) {
            by_rule.entry(f.rule.id).or_default().0.push(j);
        }
    }
    for (order, max_end) in by_rule.values_mut() {
        order.sort_by_key(|&j| (findings[j].span.start, j));
        let mut furthest = 0;
        *max_end = order
            .iter()
            .map(|&j| {
                furthest = furthest.max(findings[j].span.end);
                furthest
            })
            .collect();
    }
    // into[i]: the finding i folds into directly.
    let mut into: Vec<Option<usize>> = vec![None; n];
    let mut candidates: Vec<usize> = Vec::new();
    for i in 0..n {
        // the inner finding names the secret where it is: the outer folds into it (the first in
        // report order, as a pass over every finding would choose)
        if let Some((order, _)) = by_rule
            .get(findings[i].rule.id)
            .filter(|_| holds_secrets(&findings[i]))
        {
            let (start, end) = (findings[i].span.start, findings[i].span.end);
            let from = order.partition_point(|&j| findings[j].span.start < start);
            let inner = order[from..]
                .iter()
                .take_while(|&&j| findings[j].span.start <= end)
                .filter(|&&j| j != i && nested_secret(&findings[j], &findings[i]))
                .min();
            if let Some(&j) = inner {
                into[i] = Some(j);
                continue;
            }
        }
        candidates.clear();
        for x in PRECEDENCE.iter().filter(|x| x.folds == findings[i].rule.id) {
            let Some((order, max_end)) = by_rule.get(x.reports) else {
                continue;
            };
            let (start, end) = (findings[i].span.start, findings[i].span.end);
            // every finding starting after `end` is past i; before that, walk back while some
            // earlier finding may still reach i
            let mut k = order.partition_point(|&j| findings[j].span.start <= end);
            while k > 0 && max_end[k - 1] >= start {
                k -= 1;
                candidates.push(order[k]);
            }
        }
        // the same order as a pass over every finding, so the choice among winners is the same
        candidates.sort_unstable();
        for &j in &candidates {
            if i == j || !beats(findings[j].rule.id, findings[i].rule.id) {
                continue;
            }
            if !overlaps(&findings[i], &findings[j]) {
                continue;
            }
            // Among several winners prefer the one no other winner beats.
            let better = match into[i] {
                None => true,
                Some(k) => beats(findings[j].rule.id, findings[k].rule.id),
            };
            if better {
                into[i] = Some(j);
            }
        }
    }
    into
}

/// Folds each finding into the most specific overlapping finding that takes precedence over it.
/// `findings` are located and fingerprinted; the order of the survivors is kept.
pub fn merge(findings: Vec<Finding>) -> Vec<Finding> {
    let n = findings.len();
    let into = fold_targets(&findings);
    if into.iter().all(Option::is_none) {
        return findings;
    }
    // Follow chains to the finding that reports (the table is acyclic, so this ends; the step
    // bound guards against a cycle all the same).
    let root = |mut i: usize| {
        for _ in 0..n {
            match into[i] {
                Some(j) => i = j,
                None => break,
            }
        }
        i
    };
    let roots: Vec<usize> = (0..n).map(root).collect();
    let mut slots: Vec<Option<Finding>> = findings.into_iter().map(Some).collect();
    for i in 0..n {
        let r = roots[i];
        if r == i {
            continue;
        }
        let Some(loser) = slots[i].take() else {
            continue;
        };
        if let Some(winner) = slots[r].as_mut() {
            fold(winner, loser);
        }
    }
    slots.into_iter().flatten().collect()
}

fn fold(winner: &mut Finding, loser: Finding) {
    // Each other rule is named once, however many of its findings fold in: the message grows
    // with the number of rules, not of findings.
    let named = winner.merged.iter().any(|m| m.rule.id == loser.rule.id);
    if !named {
        let what = what_it_found(&winner.message).len();
        let (head, tail) = winner.message.split_at(what);
        winner.message = format!(
            "{head} (also {}: {}){tail}",
            loser.rule.id,
            what_it_found(&loser.message)
        );
    }
    let higher = precedence(winner.rule.id, loser.rule.id)
        .is_none_or(|x| x.severity == SeverityRule::Higher);
    if higher {
        winner.severity = winner.severity.max(loser.severity);
    }
    if winner.evidence.is_none() {
        winner.evidence = loser.evidence;
    }
    if winner.help.is_none() {
        winner.help = loser.help;
    }
    // A fix stays with the rule it fixes: the other's fix would leave the reported finding in
    // place, and `--fix` counts what it fixed by the reporting rule.
    if winner.secret_span.is_none() {
        winner.secret_span = loser.secret_span;
    }
    winner.merged.push(Merged {
        rule: loser.rule,
        span: loser.span,
        start: loser.start,
        secret_span: loser.secret_span,
        fingerprint: loser.fingerprint,
        value_digest: loser.value_digest,
    });
    winner.merged.extend(loser.merged);
}

#[cfg(test)]
mod declared {
    /// Each rule's header declares the rules it absorbs (`absorbs: [...]` in `declare_rule!`),
    /// and this table says how: the two agree pair for pair.
    #[test]
    fn every_precedence_pair_is_declared_by_its_rule_and_only_those() {
        let mut declared: Vec<(&str, &str)> = crate::rules::all()
            .iter()
            .flat_map(|r| r.absorbs().iter().map(move |f| (r.meta().id, *f)))
            .collect();
        let mut table: Vec<(&str, &str)> = super::PRECEDENCE
            .iter()
            .map(|p| (p.reports, p.folds))
            .collect();
        declared.sort();
        table.sort();
        assert_eq!(
            declared, table,
            "a rule's `absorbs` and rules/merge.rs's PRECEDENCE must name the same pairs"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;
    use crate::testing::{scan_fixture, scan_text};

    #[test]
    fn precedence_names_real_rules_and_has_no_cycle() {
        for x in PRECEDENCE {
            let (w, l) = (x.reports, x.folds);
            assert!(crate::rules::find(w).is_some(), "{w}");
            assert!(crate::rules::find(l).is_some(), "{l}");
            assert!(!x.why.is_empty());
            assert!(!beats(l, w), "{w} and {l} both ways");
        }
        // no cycle: nothing reaches itself through the table
        for start in PRECEDENCE.iter().map(|x| x.reports) {
            let mut frontier: Vec<&str> = vec![start];
            let mut seen: Vec<&str> = Vec::new();
            while let Some(x) = frontier.pop() {
                for e in PRECEDENCE.iter().filter(|e| e.reports == x) {
                    assert_ne!(e.folds, start, "cycle through {start} and {}", e.reports);
                    if !seen.contains(&e.folds) {
                        seen.push(e.folds);
                        frontier.push(e.folds);
                    }
                }
            }
        }
    }

    /// The indexed search for winners picks what a pass over every pair picks, on overlapping,
    /// nested, equal and empty spans of every rule in the table.
    #[test]
    fn fold_targets_match_a_pass_over_every_pair() {
        use crate::source::Span;
        let ids: Vec<&str> = PRECEDENCE
            .iter()
            .flat_map(|x| [x.reports, x.folds])
            .chain(["KEY008", "RBAC001"])
            .collect();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % m as u64) as usize
        };
        for round in 0..300 {
            let n = 1 + round % 40;
            let findings: Vec<Finding> = (0..n)
                .map(|_| {
                    let id = ids[next(ids.len())];
                    let start = next(60);
                    let end = start + [0, 0, 1, 3, 10, 40][next(6)];
                    let meta = crate::rules::find(id).map(|r| r.meta());
                    Finding::new(
                        meta.unwrap_or_else(|| unreachable!()),
                        Span::new(start, end),
                        "m: x",
                    )
                })
                .collect();
            let mut naive: Vec<Option<usize>> = vec![None; n];
            for i in 0..n {
                for j in 0..n {
                    if i != j && nested_secret(&findings[j], &findings[i]) {
                        naive[i] = Some(j);
                        break;
                    }
                    if i != j
                        && beats(findings[j].rule.id, findings[i].rule.id)
                        && overlaps(&findings[i], &findings[j])
                        && naive[i].is_none_or(|k| beats(findings[j].rule.id, findings[k].rule.id))
                    {
                        naive[i] = Some(j);
                    }
                }
            }
            assert_eq!(fold_targets(&findings), naive, "round {round}");
        }
    }

    #[test]
    fn what_it_found_stops_at_the_first_colon_outside_code() {
        assert_eq!(
            what_it_found("output `a: b` calls `listKeys()`: do this"),
            "output `a: b` calls `listKeys()`"
        );
        assert_eq!(what_it_found("no colon here"), "no colon here");
        assert_eq!(
            what_it_found("probable key (64-byte base64: Storage) written: do this"),
            "probable key (64-byte base64: Storage) written"
        );
        assert_eq!(what_it_found("ends with colon:"), "ends with colon:");
    }

    /// An account key in a connection string: CONN001 reports once, with KEY001's knowledge.
    #[test]
    fn key_inside_a_connection_string_is_reported_once() {
        for rel in [
            "testdata/merge/appsettings.json",
            "testdata/merge/local.env",
            "testdata/merge/main.tf",
        ] {
            let report = scan_fixture(rel);
            let rules: Vec<(&str, usize, usize)> = report
                .findings
                .iter()
                .filter(|f| f.rule.family != crate::finding::Family::Mi)
                .map(|f| (f.rule.id, f.start.line, f.start.column))
                .collect();
            assert_eq!(rules.len(), 1, "{rel}: {rules:?}");
            assert_eq!(rules[0].0, "CONN001", "{rel}: {rules:?}");
            let Some(f) = report.findings.iter().find(|f| f.rule.id == "CONN001") else {
                unreachable!()
            };
            assert_eq!(f.merged.len(), 1, "{rel}");
            assert_eq!(f.merged[0].rule.id, "KEY001");
            assert!(
                f.message.starts_with(
                    "Azure Storage connection string with a literal `AccountKey` (also KEY001: "
                ) && f
                    .message
                    .contains("Azure Storage account key written as a literal value): "),
                "{rel}: {}",
                f.message
            );
            assert_eq!(f.rule_ids().collect::<Vec<_>>(), vec!["CONN001", "KEY001"]);
            assert_eq!(f.severity, Severity::Error);
        }
    }

    #[test]
    fn merged_positions() {
        use crate::testing::hits;
        assert_eq!(
            hits("testdata/merge/appsettings.json", "CONN001"),
            vec![(3, 110)]
        );
        // KEY001 still finds the key (at its own position, here the same span)
        assert_eq!(
            hits("testdata/merge/appsettings.json", "KEY001"),
            vec![(3, 110)]
        );
        assert_eq!(hits("testdata/merge/local.env", "CONN001"), vec![(2, 83)]);
        assert_eq!(hits("testdata/merge/local.env", "KEY001"), vec![(2, 83)]);
        assert_eq!(hits("testdata/merge/main.tf", "CONN001"), vec![(3, 111)]);
        assert_eq!(hits("testdata/merge/main.tf", "KEY001"), vec![(3, 111)]);
    }

    /// A resource with key access on and no identity: MI003 reports once, MI001 folded in.
    #[test]
    fn key_auth_and_no_identity_on_one_resource_is_reported_once() {
        let text = r#"resource search 'Microsoft.Search/searchServices@2023-11-01' = {
  name: 'srch'
  location: 'westeurope'
  sku: { name: 'basic' }
}
"#;
        let report = scan_text("main.bicep", text);
        let found: Vec<(&str, usize, usize)> = report
            .findings
            .iter()
            .map(|f| (f.rule.id, f.start.line, f.start.column))
            .collect();
        assert_eq!(found, vec![("MI003", 1, 1)]);
        let f = &report.findings[0];
        assert_eq!(f.rule_ids().collect::<Vec<_>>(), vec!["MI003", "MI001"]);
        assert!(
            f.message
                .contains("(also MI001: AI Search service declares no managed identity"),
            "{}",
            f.message
        );
        // findings at different places are not merged
        let text2 = text.replace(
            "sku: { name: 'basic' }",
            "sku: { name: 'basic' }\n  properties: { disableLocalAuth: false }",
        );
        let report = scan_text("main.bicep", &text2);
        let found: Vec<(&str, usize, usize)> = report
            .findings
            .iter()
            .map(|f| (f.rule.id, f.start.line, f.start.column))
            .collect();
        assert_eq!(found, vec![("MI001", 1, 1), ("MI003", 5, 35)]);
    }

    /// A suppression of either rule suppresses the merged finding; one of a rule that ran but
    /// matches nothing is still reported unused.
    #[test]
    fn suppression_of_either_rule_suppresses_the_merged_finding() {
        let env = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/merge/local.env"),
        )
        .unwrap_or_default();
        let line = env.lines().nth(1).unwrap_or_default();
        for rule in ["KEY001", "CONN001", "CONN"] {
            let text = format!("# keyless:ignore {rule} -- test fixture\n{line}\n");
            let report = scan_text(".env", &text);
            assert!(report.findings.is_empty(), "{rule}: {:?}", report.findings);
            assert_eq!(report.suppressed.len(), 1, "{rule}");
            assert_eq!(report.suppressed[0].finding.rule.id, "CONN001");
        }
        let text = format!("# keyless:ignore MI001 -- test fixture\n{line}\n");
        let report = scan_text(".env", &text);
        let ids: Vec<&str> = report.findings.iter().map(|f| f.rule.id).collect();
        assert_eq!(ids, vec!["INPUT009", "CONN001"]);
    }

    /// A baseline records both fingerprints of a merged finding and matches on either.
    #[test]
    fn baseline_matches_either_rule_of_a_merged_finding() {
        use crate::baseline::Baseline;
        use crate::scan::ScanResult;
        // scanned with a baseline key, so the secret-bearing findings carry value digests
        let key = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210];
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let opts = crate::scan::ScanOptions {
            baseline_key: Some(key),
            ..crate::scan::ScanOptions::default()
        };
        let report =
            crate::scan::scan_path(&root.join("testdata/merge/local.env"), root, &opts, true);
        assert!(report.findings[0].value_digest.is_some());
        assert!(report.findings[0].merged[0].value_digest.is_some());
        let result = || ScanResult {
            files: vec![report.clone()],
            files_scanned: 1,
            ..ScanResult::default()
        };
        let full = Baseline::of(&result(), key);
        let rules: Vec<&str> = full.entries.iter().map(|e| e.rule_id.as_str()).collect();
        assert_eq!(rules, vec!["CONN001", "KEY001"]);
        for keep in ["CONN001", "KEY001"] {
            let mut b = Baseline::of(&result(), key);
            b.entries.retain(|e| e.rule_id == keep);
            let mut r = result();
            assert_eq!(b.filter(&mut r), 1, "{keep}");
            assert!(r.files.is_empty(), "{keep}");
        }
    }
}
