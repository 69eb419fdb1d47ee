//! A small, safe XML reader: the document as a tree of elements. No DTDs (a `DOCTYPE` is
//! refused, so no external entities and no entity expansion), XML's five predefined entities
//! only, and a nesting limit. Used for CycloneDX XML and Gradle's verification metadata.

use quick_xml::events::{BytesRef, Event};
use quick_xml::{Reader, XmlVersion};

#[derive(Default, Debug)]
pub struct Element {
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<Element>,
    pub text: String,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    pub fn text_of(&self, name: &str) -> Option<String> {
        self.child(name).map(|c| c.text.trim().to_string())
    }
}

/// Parses a whole document; errors carry the byte offset.
pub fn parse(text: &str) -> Result<Element, (usize, String)> {
    let mut reader = Reader::from_str(text);
    let mut stack: Vec<Element> = vec![Element::default()];
    let max_depth = crate::limits::max_nesting();
    loop {
        let at = reader.buffer_position() as usize;
        match reader.read_event() {
            // The new element's depth is the stack's length (the document is depth 0).
            Ok(Event::Start(_) | Event::Empty(_)) if stack.len() > max_depth => {
                return Err((at, format!("elements nested deeper than {max_depth} (--max-nesting)")));
            }
            Ok(Event::Start(e)) => stack.push(element(&e).map_err(|m| (at, m))?),
            Ok(Event::Empty(e)) => {
                let el = element(&e).map_err(|m| (at, m))?;
                stack.last_mut().expect("root").children.push(el);
            }
            Ok(Event::End(_)) => {
                let done = stack.pop().expect("balanced");
                match stack.last_mut() {
                    Some(parent) => parent.children.push(done),
                    None => return Err((at, "unbalanced end tag".into())),
                }
            }
            // Text arrives in pieces: plain runs, and each `&...;` reference on its own.
            Ok(Event::Text(t)) => stack.last_mut().expect("root").text.push_str(&t.xml10_content()),
            Ok(Event::GeneralRef(r)) => {
                let c = referenced_char(&r).map_err(|m| (at, m))?;
                stack.last_mut().expect("root").text.push(c);
            }
            Ok(Event::CData(t)) => stack.last_mut().expect("root").text.push_str(&t.xml10_content()),
            Ok(Event::DocType(_)) => {
                return Err((
                    at,
                    "DOCTYPE declarations are not accepted (no DTDs, no entities)".into(),
                ))
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err((reader.error_position() as usize, e.to_string())),
        }
    }
    if stack.len() != 1 {
        return Err((text.len(), "the document ends inside an element".into()));
    }
    let mut top = stack.pop().expect("root");
    top.children.pop().ok_or((0, "no root element".to_string()))
}

/// The character a reference in text stands for: a character reference (`&#38;`, `&#x26;`)
/// or one of XML's five predefined entities; any other entity is undeclared (no DTDs).
fn referenced_char(r: &BytesRef<'_>) -> Result<char, String> {
    if r.is_char_ref() {
        return match r.resolve_char_ref() {
            Ok(Some(c)) => Ok(c),
            Ok(None) | Err(_) => Err(format!("invalid character reference `&{};`", &**r)),
        };
    }
    match quick_xml::escape::resolve_predefined_entity(r) {
        Some(s) => Ok(s.chars().next().expect("one character")),
        None => Err(format!("undeclared entity `&{};` (only XML's five are known)", &**r)),
    }
}

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    // The name without its namespace prefix, copied once.
    let local = |name: &str| name.rsplit(':').next().unwrap_or(name).to_string();
    let mut el = Element {
        name: local(e.name().as_ref()),
        ..Default::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        // Normalized as XML 1.0 says (a tab or line end is a space; references resolved).
        let value = a
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| e.to_string())?
            .into_owned();
        el.attributes.push((local(a.key.as_ref()), value));
    }
    Ok(el)
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn references_in_text_and_attributes_are_resolved() {
        let doc = parse(concat!(
            "<bom><purl ref=\"a&amp;b\tc&#9;d\">",
            r#"pkg:maven/g/a@1?classifier=x&amp;type=jar</purl>"#,
            "<name>Windows &amp; Unix &lt;tm&gt; &#38; &#x26; &quot;&apos;</name>",
            "<cdata><![CDATA[a &amp; <b>]]></cdata></bom>"
        ))
        .unwrap();
        let purl = doc.child("purl").unwrap();
        assert_eq!(purl.text, "pkg:maven/g/a@1?classifier=x&type=jar");
        // XML 1.0 normalizes an attribute's literal tab to a space, not a referenced one.
        assert_eq!(purl.attr("ref"), Some("a&b c\td"));
        assert_eq!(doc.text_of("name").unwrap(), "Windows & Unix <tm> & & \"'");
        assert_eq!(doc.text_of("cdata").unwrap(), "a &amp; <b>");
    }

    #[test]
    fn undeclared_entities_and_bad_character_references_are_errors() {
        assert!(parse("<a>&nbsp;</a>")
            .unwrap_err()
            .1
            .contains("undeclared entity `&nbsp;`"));
        assert!(parse("<a>&#0;</a>")
            .unwrap_err()
            .1
            .contains("invalid character reference"));
        assert!(parse("<a>&#xZZ;</a>")
            .unwrap_err()
            .1
            .contains("invalid character reference"));
    }

    #[test]
    fn a_repeated_attribute_is_refused_among_many() {
        let attributes: String = (0..20_000).map(|i| format!(" a{i}=\"{i}\"")).collect();
        let ok = parse(&format!("<a{attributes}/>")).unwrap();
        assert_eq!(ok.attributes.len(), 20_000);
        assert_eq!(ok.attr("a19999"), Some("19999"));
        let err = parse(&format!("<a{attributes} a7=\"\"/>")).unwrap_err();
        assert!(err.1.contains("duplicated attribute"), "{err:?}");
    }
}
