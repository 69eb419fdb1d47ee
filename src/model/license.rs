//! Declared licenses: the text a file gives, and its SPDX expression when it parses as one.

/// A declared license. `expression` is a valid SPDX expression (canonicalized from lax forms
/// such as `MIT/Apache-2.0`); when the text is not one, only `raw` is kept.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct License {
    pub expression: Option<String>,
    pub raw: String,
}

impl License {
    pub fn parse(raw: &str) -> License {
        let raw = raw.trim();
        let expression = if spdx::Expression::parse(raw).is_ok() {
            Some(raw.to_string())
        } else {
            match spdx::Expression::canonicalize(raw) {
                Ok(Some(fixed)) if spdx::Expression::parse(&fixed).is_ok() => Some(fixed),
                _ => None,
            }
        };
        License {
            expression,
            raw: raw.to_string(),
        }
    }

    /// The single SPDX license id when the expression is just one license (no operator).
    pub fn single_id(&self) -> Option<&str> {
        let expr = self.expression.as_deref()?;
        let is_plain = !expr.contains(' ') && !expr.contains('(') && spdx::license_id(expr).is_some();
        is_plain.then_some(expr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_strict_and_lax_expressions() {
        assert_eq!(
            License::parse("MIT OR Apache-2.0").expression.as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            License::parse("MIT/Apache-2.0").expression.as_deref(),
            Some("MIT OR Apache-2.0")
        );
        let odd = License::parse("see LICENSE file");
        assert_eq!(odd.expression, None);
        assert_eq!(odd.raw, "see LICENSE file");
    }

    #[test]
    fn single_ids_are_recognized() {
        assert_eq!(License::parse("MIT").single_id(), Some("MIT"));
        assert_eq!(License::parse("MIT OR Apache-2.0").single_id(), None);
        assert_eq!(License::parse("LicenseRef-Custom").single_id(), None);
    }
}
