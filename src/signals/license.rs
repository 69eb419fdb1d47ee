//! License policy: a new or changed component whose declared license the allowed set does
//! not satisfy (SPDX expressions evaluated: `MIT OR GPL-3.0` passes when MIT is allowed), or
//! whose license changed to a copyleft one.

use super::{finding, Before, Context, Finding};
use crate::model::{Component, DependencyGraph, License};

const COPYLEFT: &[&str] = &[
    "GPL-",
    "AGPL-",
    "LGPL-",
    "MPL-",
    "EPL-",
    "CDDL-",
    "OSL-",
    "EUPL-",
    "CC-BY-SA-",
    "SSPL-",
];

fn is_copyleft(expr: &str) -> bool {
    spdx::Expression::parse(expr).is_ok_and(|e| {
        e.requirements()
            .any(|r| COPYLEFT.iter().any(|c| r.req.license.to_string().starts_with(c)))
    })
}

fn allowed(l: &License, allowed: &[String]) -> bool {
    let Some(expr) = l.expression.as_deref().and_then(|e| spdx::Expression::parse(e).ok()) else {
        return false;
    };
    expr.evaluate(|req| allowed.iter().any(|a| req.license.to_string() == *a))
}

pub fn check(
    components: &[&Component],
    old: Option<&Before<'_>>,
    graph: &DependencyGraph,
    ctx: &Context<'_>,
    out: &mut Vec<Finding>,
) {
    let allow = &ctx.policy.licenses.allowed;
    for c in components {
        if !allow.is_empty() {
            for l in c.licenses.iter().filter(|l| !allowed(l, allow)) {
                out.push(finding(
                    "license-policy",
                    c,
                    graph,
                    format!("{}: license `{}` is not in the allowed set", c.display_name(), l.raw),
                    Vec::new(),
                ));
            }
        }
        let Some(old) = old else { continue };
        let before = old.same_package(c);
        let was_copyleft = before
            .iter()
            .flat_map(|o| &o.licenses)
            .any(|l| l.expression.as_deref().is_some_and(is_copyleft));
        let had_licenses = before.iter().any(|o| !o.licenses.is_empty());
        for l in &c.licenses {
            if had_licenses && !was_copyleft && l.expression.as_deref().is_some_and(is_copyleft) {
                out.push(finding(
                    "license-policy",
                    c,
                    graph,
                    format!("{}: license changed to copyleft `{}`", c.display_name(), l.raw),
                    Vec::new(),
                ));
            }
        }
    }
}
