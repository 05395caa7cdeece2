//! A spec file's text, its YAML tree (serde_yaml) and where each node of it stands (from the
//! event stream of yaml-rust2, which reports positions).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::Marker;

use crate::error::{Location, SpecError};

/// One step of a path from the document root to a node.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A path from the document root.
pub type NodePath = Vec<Seg>;

#[derive(Clone, Copy, Debug, Default)]
struct Pos {
    key: Option<(usize, usize)>,
    value: Option<(usize, usize)>,
}

/// A parsed spec file.
pub struct Source {
    /// The file's path as given.
    pub path: PathBuf,
    /// The YAML tree.
    pub root: serde_yaml::Value,
    positions: HashMap<NodePath, Pos>,
}

impl Source {
    /// Parses `text` (read from `path`); syntax errors and anchors/aliases are reported.
    pub fn parse(path: &Path, text: &str) -> Result<Source, Vec<SpecError>> {
        let root: serde_yaml::Value = match serde_yaml::from_str(text) {
            Ok(v) => v,
            Err(err) => {
                let (line, column) = err.location().map_or((1, 1), |l| (l.line(), l.column()));
                return Err(vec![SpecError {
                    location: Location {
                        file: path.to_path_buf(),
                        line,
                        column,
                    },
                    message: format!("not valid YAML: {err}"),
                }]);
            }
        };
        let mut index = Indexer::default();
        let mut parser = Parser::new_from_str(text);
        if let Err(err) = parser.load(&mut index, false) {
            let m = err.marker();
            return Err(vec![SpecError {
                location: Location {
                    file: path.to_path_buf(),
                    line: m.line(),
                    column: m.col() + 1,
                },
                message: format!("not valid YAML: {}", err.info()),
            }]);
        }
        let errors: Vec<SpecError> = index
            .anchors
            .iter()
            .map(|(line, column)| SpecError {
                location: Location {
                    file: path.to_path_buf(),
                    line: *line,
                    column: *column,
                },
                message: "YAML anchors, aliases and merge keys are not allowed in a spec: write the value out".into(),
            })
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Source {
            path: path.to_path_buf(),
            root,
            positions: index.positions,
        })
    }

    /// Where the value at `path` starts (falling back to its nearest ancestor).
    pub fn value_location(&self, path: &[Seg]) -> Location {
        self.locate(path, false)
    }

    /// Where the key of the entry at `path` stands (its value when it has no key).
    pub fn key_location(&self, path: &[Seg]) -> Location {
        self.locate(path, true)
    }

    fn locate(&self, path: &[Seg], key: bool) -> Location {
        let mut p = path;
        loop {
            if let Some(pos) = self.positions.get(p) {
                let found = if key {
                    pos.key.or(pos.value)
                } else {
                    pos.value.or(pos.key)
                };
                if let Some((line, column)) = found {
                    return Location {
                        file: self.path.clone(),
                        line,
                        column,
                    };
                }
            }
            match p.split_last() {
                Some((_, rest)) => p = rest,
                None => {
                    return Location {
                        file: self.path.clone(),
                        line: 1,
                        column: 1,
                    }
                }
            }
        }
    }
}

enum Frame {
    Map { path: NodePath, key: Option<String> },
    Seq { path: NodePath, index: usize },
}

#[derive(Default)]
struct Indexer {
    stack: Vec<Frame>,
    positions: HashMap<NodePath, Pos>,
    anchors: Vec<(usize, usize)>,
}

impl Indexer {
    fn at(mark: Marker) -> (usize, usize) {
        (mark.line(), mark.col() + 1)
    }

    /// The path of the node that starts now, as a value, or `None` when it is a mapping key.
    fn value_path(&mut self, mark: Marker, scalar: Option<&str>) -> Option<NodePath> {
        match self.stack.last_mut() {
            None => Some(Vec::new()),
            Some(Frame::Map { path, key }) => match key.take() {
                None => {
                    // This node is a key.
                    let name = scalar.unwrap_or_default().to_owned();
                    let mut p = path.clone();
                    p.push(Seg::Key(name.clone()));
                    self.positions.entry(p).or_default().key = Some(Self::at(mark));
                    *key = Some(name);
                    None
                }
                Some(name) => {
                    let mut p = path.clone();
                    p.push(Seg::Key(name));
                    Some(p)
                }
            },
            Some(Frame::Seq { path, index }) => {
                let mut p = path.clone();
                p.push(Seg::Index(*index));
                *index += 1;
                Some(p)
            }
        }
    }
}

impl MarkedEventReceiver for Indexer {
    fn on_event(&mut self, ev: Event, mark: Marker) {
        match ev {
            Event::Scalar(value, _, anchor, _) => {
                if anchor != 0 {
                    self.anchors.push(Self::at(mark));
                }
                if let Some(p) = self.value_path(mark, Some(&value)) {
                    self.positions.entry(p).or_default().value = Some(Self::at(mark));
                }
            }
            Event::Alias(_) => {
                self.anchors.push(Self::at(mark));
                let _ = self.value_path(mark, Some(""));
            }
            Event::MappingStart(anchor, _) | Event::SequenceStart(anchor, _) => {
                if anchor != 0 {
                    self.anchors.push(Self::at(mark));
                }
                let is_map = matches!(ev, Event::MappingStart(..));
                let path = self.value_path(mark, None).unwrap_or_default();
                self.positions.entry(path.clone()).or_default().value = Some(Self::at(mark));
                self.stack.push(if is_map {
                    Frame::Map { path, key: None }
                } else {
                    Frame::Seq { path, index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                self.stack.pop();
            }
            _ => {}
        }
    }
}
