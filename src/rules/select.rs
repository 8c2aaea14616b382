//! Rule selection: selectors (a rule id like `KEY001` or a family prefix like `KEY`) as the
//! configuration, the command line and inline suppressions write them, and the set of rules a
//! selection enables (`Config::enabled_rules` computes the set once per configuration).

use super::all;
use crate::finding::Family;

/// True when `selector` (an id like `KEY001` or a family prefix like `KEY`) covers `id`.
pub fn selector_matches(selector: &str, id: &str) -> bool {
    if selector.eq_ignore_ascii_case(id) {
        return true;
    }
    let n = selector.len();
    is_family(selector)
        && id.len() > n
        && id.is_char_boundary(n)
        && id[..n].eq_ignore_ascii_case(selector)
        && id[n..].bytes().all(|b| b.is_ascii_digit())
}

fn is_family(s: &str) -> bool {
    [
        Family::Key,
        Family::Conn,
        Family::Mi,
        Family::Rbac,
        Family::Input,
    ]
    .iter()
    .any(|f| f.prefix().eq_ignore_ascii_case(s))
}

/// A rule selector that names no rule and no family (as written).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown rule `{0}`: use a rule id (`keyless rules` lists them) or a family prefix (KEY, CONN, MI, RBAC, INPUT)"
)]
pub struct UnknownRule(pub String);

/// Checks a rule selector: a known rule id or a family prefix. Returns the canonical spelling.
pub fn check_selector(s: &str) -> Result<String, UnknownRule> {
    let t = s.trim();
    if is_family(t) {
        return Ok(t.to_ascii_uppercase());
    }
    match all().iter().find(|r| r.meta().id.eq_ignore_ascii_case(t)) {
        Some(r) => Ok(r.meta().id.to_string()),
        None => Err(UnknownRule(s.to_string())),
    }
}

/// True when a selection (`select`: `None` for all rules; `ignore`) enables rule `id`. The INPUT
/// diagnostics are always selected: a file that could not be read, parsed or finished in time
/// must never pass a gate because `select` names other rules; only `ignore` turns one off.
pub fn is_enabled(select: Option<&[String]>, ignore: &[String], id: &str) -> bool {
    let input = id
        .get(..Family::Input.prefix().len())
        .is_some_and(|p| p.eq_ignore_ascii_case(Family::Input.prefix()));
    let selected = input || select.is_none_or(|s| s.iter().any(|x| selector_matches(x, id)));
    selected && !ignore.iter().any(|x| selector_matches(x, id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_and_selections() {
        assert!(selector_matches("KEY001", "key001"));
        assert!(selector_matches("key", "KEY001"));
        assert!(!selector_matches("KEY", "KEYX01"));
        assert!(!selector_matches("K", "KEY001"));
        assert_eq!(check_selector(" rbac ").unwrap(), "RBAC");
        assert_eq!(check_selector("mi003").unwrap(), "MI003");
        assert!(check_selector("KEY999").is_err());
        let enabled = |select: Option<&[String]>, ignore: &[String]| {
            all()
                .iter()
                .map(|r| r.meta().id)
                .filter(|id| is_enabled(select, ignore, id))
                .collect::<Vec<_>>()
        };
        let select = vec!["RBAC".to_string(), "MI003".to_string()];
        let ignore = vec!["RBAC002".to_string(), "INPUT".to_string()];
        assert_eq!(
            enabled(Some(&select), &ignore),
            ["MI003", "RBAC001", "RBAC003"]
        );
        // INPUT diagnostics stay selected unless ignored.
        assert!(enabled(Some(&select), &[]).contains(&"INPUT001"));
        assert_eq!(enabled(None, &[]).len(), all().len());
    }
}
