//! The dependency list of a `mix.exs`, read as text (never run): the `{:name, ...}` tuples of
//! `defp deps`, with `only:` environments, and the apps of an umbrella (`apps_path:`).

/// One declared dependency: its app name and whether it is only for `:dev`/`:test`.
#[derive(Debug, PartialEq)]
pub struct Declared {
    pub app: String,
    pub dev_only: bool,
}

/// The tuples of the `deps` function's list. Entries built by function calls are not seen.
pub fn declared(text: &str) -> Vec<Declared> {
    let Some(at) = text.find("defp deps").or_else(|| text.find("def deps")) else {
        return Vec::new();
    };
    let body = &text[at..];
    let Some(open) = body.find('[') else {
        return Vec::new();
    };
    top_level_items(&body[open + 1..])
        .into_iter()
        .filter_map(|item| {
            let app = item.strip_prefix("{:")?;
            let end = app
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(app.len());
            let only = option_text(&item, "only:");
            let dev_only = only.is_some_and(|o| {
                let envs: Vec<&str> = o
                    .split(|c: char| c == ',' || c == '[' || c == ']' || c.is_whitespace())
                    .map(|t| t.trim_start_matches(':'))
                    .filter(|t| !t.is_empty())
                    .collect();
                !envs.is_empty() && envs.iter().all(|e| *e == "dev" || *e == "test")
            });
            Some(Declared {
                app: app[..end].to_string(),
                dev_only,
            })
        })
        .collect()
}

/// `apps_path: "apps"` of an umbrella project.
pub fn apps_path(text: &str) -> Option<String> {
    let v = option_text(text, "apps_path:")?;
    Some(v.trim().trim_matches('"').to_string())
}

/// The items of a list up to its closing `]`, split at top-level commas, comments dropped.
fn top_level_items(text: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut depth = 0usize;
    let mut in_string = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            current.push(c);
            if c == '\\' {
                current.extend(chars.next());
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '#' => {
                while chars.peek().is_some_and(|&c| c != '\n') {
                    chars.next();
                }
            }
            '"' => {
                in_string = true;
                current.push(c);
            }
            '[' | '{' | '(' => {
                depth += 1;
                current.push(c);
            }
            ']' if depth == 0 => break,
            ']' | '}' | ')' => {
                depth = depth.saturating_sub(1);
                current.push(c);
            }
            ',' if depth == 0 => items.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|i| i.trim().to_string())
        .filter(|i| !i.is_empty())
        .collect()
}

/// The text of a `key: value` option up to the next top-level comma or the end.
fn option_text<'a>(item: &'a str, key: &str) -> Option<&'a str> {
    let at = item.find(key)?;
    let rest = item[at + key.len()..].trim_start();
    let end = if rest.starts_with('[') {
        rest.find(']').map_or(rest.len(), |e| e + 1)
    } else {
        rest.find([',', '}', '\n']).unwrap_or(rest.len())
    };
    Some(&rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deps_tuples_with_environments() {
        let text = r#"
  defp deps do
    [
      phoenix_dep(),
      {:ecto_sql, "~> 3.11"},
      # a comment, {:not_a_dep, "1.0"}
      {:heroicons,
       github: "tailwindlabs/heroicons", tag: "v2.1.1", app: false},
      {:mimic, "~> 2.0", only: :test},
      {:benchee, "~> 1.1.0", only: [:dev, :test]},
      {:esbuild, "~> 0.4", runtime: Mix.env() == :dev},
      {:prod_only, "~> 1.0", only: [:prod]}
    ]
  end
"#;
        let deps = declared(text);
        let names: Vec<(&str, bool)> = deps.iter().map(|d| (d.app.as_str(), d.dev_only)).collect();
        assert_eq!(
            names,
            vec![
                ("ecto_sql", false),
                ("heroicons", false),
                ("mimic", true),
                ("benchee", true),
                ("esbuild", false),
                ("prod_only", false)
            ]
        );
        assert_eq!(
            apps_path("def project do\n [apps_path: \"apps\", version: \"1.0\"]"),
            Some("apps".into())
        );
    }
}
