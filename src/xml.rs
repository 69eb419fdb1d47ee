//! A small, safe XML reader: the document as a tree of elements. No DTDs (a `DOCTYPE` is
//! refused, so no external entities and no entity expansion), XML's five predefined entities
//! only, and a nesting limit. Used for CycloneDX XML and Gradle's verification metadata.

use quick_xml::events::Event;
use quick_xml::Reader;

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
            Ok(Event::Text(t)) => {
                let decoded = t.decode().map_err(|e| (at, e.to_string()))?;
                let unescaped = quick_xml::escape::unescape(&decoded).map_err(|e| (at, e.to_string()))?;
                stack.last_mut().expect("root").text.push_str(&unescaped);
            }
            Ok(Event::CData(t)) => stack
                .last_mut()
                .expect("root")
                .text
                .push_str(&String::from_utf8_lossy(&t)),
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

fn element(e: &quick_xml::events::BytesStart<'_>) -> Result<Element, String> {
    // The name without its namespace prefix, copied once.
    let local = |name: &[u8]| {
        let after_prefix = name
            .iter()
            .rposition(|&b| b == b':')
            .map_or(name, |colon| &name[colon + 1..]);
        String::from_utf8_lossy(after_prefix).into_owned()
    };
    let mut el = Element {
        name: local(e.name().as_ref()),
        ..Default::default()
    };
    for a in e.attributes() {
        let a = a.map_err(|e| e.to_string())?;
        let value = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
        el.attributes.push((local(a.key.as_ref()), value));
    }
    Ok(el)
}
