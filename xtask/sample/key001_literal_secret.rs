//! KEY001 literal-secret: keyless-scaffold: say in one line what the rule finds.

use crate::finding::Finding;
use crate::rules::{Context, Rule};

crate::rules::declare_rule! {
    pub struct LiteralSecret;
    id: "KEY001",
    name: "literal-secret",
    family: Key,
    severity: Warning,
    security_severity: 5.0,
    summary: "keyless-scaffold: one sentence, what the rule finds.",
}

impl Rule for LiteralSecret {
    fn check(&self, cx: &Context, out: &mut Vec<Finding>) {
        // keyless-scaffold: write the check. Each problem is one
        // `out.push(Finding::new(&META, span, message))` at the span of the value at fault; a
        // loop over resources, settings or nodes stops when `cx.out_of_time()` says so.
        for r in cx.doc.resources.iter().filter(|r| !r.existing) {
            if cx.out_of_time() {
                break;
            }
            let _ = (r, &mut *out);
        }
    }
}
