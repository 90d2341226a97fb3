//! The crates' module layout: no two sibling modules use each other, directly or through other
//! siblings, so each folder reads in one direction (parse → model → expand in the macros).
//!
//! A module's uses are the `crate::..` and `super::..` paths in its files (comments excluded);
//! an edge between two modules counts between their ancestors that are siblings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module path (`["pipeline", "expand", "body"]`) of every `.rs` file under `src`.
fn modules(src: &Path) -> BTreeMap<Vec<String>, PathBuf> {
    let mut found = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(module.last().map(String::as_str), Some("mod" | "lib")) {
                module.pop();
            }
            found.insert(module, path);
        }
    }
    found
}

/// The modules `text` (the file of `module`) names, resolved against `known`.
fn uses(module: &[String], text: &str, known: &BTreeSet<Vec<String>>) -> BTreeSet<Vec<String>> {
    let code: String = text
        .lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n");
    let mut found = BTreeSet::new();
    for (prefix, base) in [
        ("crate::", Vec::new()),
        // `super` of module `a::b` (`a/b.rs` or `a/b/mod.rs`) is `a`.
        ("super::", module[..module.len().saturating_sub(1)].to_vec()),
    ] {
        for (at, _) in code.match_indices(prefix) {
            let before = code[..at].chars().last();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at + prefix.len()..];
            let mut path = base.clone();
            let mut longest = None;
            for segment in rest.split("::") {
                let name: String = segment
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() {
                    break;
                }
                path.push(name.clone());
                if known.contains(&path) {
                    longest = Some(path.clone());
                }
                if name.len() != segment.len() {
                    break;
                }
            }
            if let Some(target) = longest {
                found.insert(target);
            }
        }
    }
    found
}

/// Cycles among sibling modules of the crate at `src`, each as its members.
fn sibling_cycles(src: &Path) -> Vec<Vec<String>> {
    let modules = modules(src);
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (module, file) in &modules {
        let text = std::fs::read_to_string(file).unwrap();
        for target in uses(module, &text, &known) {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common == module.len() || common == target.len() {
                continue; // a module and its own ancestor or descendant
            }
            let from = module[..=common].to_vec();
            let to = target[..=common].to_vec();
            edges.entry(from).or_default().insert(to);
        }
    }
    strongly_connected(&edges)
        .into_iter()
        .filter(|component| component.len() > 1)
        .map(|component| component.into_iter().map(|m| m.join("::")).collect())
        .collect()
}

/// Tarjan's strongly connected components.
fn strongly_connected(
    edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
) -> Vec<Vec<Vec<String>>> {
    struct State<'a> {
        edges: &'a BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        index: BTreeMap<&'a Vec<String>, (usize, usize)>,
        stack: Vec<&'a Vec<String>>,
        components: Vec<Vec<Vec<String>>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a Vec<String>) {
        let at = state.index.len();
        state.index.insert(node, (at, at));
        state.stack.push(node);
        for next in state.edges.get(node).into_iter().flatten() {
            match state.index.get(next) {
                None => {
                    visit(state, next);
                    let low = state.index[next].1;
                    let entry = state.index.get_mut(node).unwrap();
                    entry.1 = entry.1.min(low);
                }
                Some(&(next_at, _)) if state.stack.contains(&next) => {
                    let entry = state.index.get_mut(node).unwrap();
                    entry.1 = entry.1.min(next_at);
                }
                Some(_) => {}
            }
        }
        let (at, low) = state.index[node];
        if at == low {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                component.push(member.clone());
                if member == node {
                    break;
                }
            }
            state.components.push(component);
        }
    }
    let mut state = State {
        edges,
        index: BTreeMap::new(),
        stack: Vec::new(),
        components: Vec::new(),
    };
    for node in edges.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.components
}

#[test]
fn the_macros_crate_has_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("hypernodes-macros/src");
    assert_eq!(sibling_cycles(&src), Vec::<Vec<String>>::new());
}

#[test]
fn the_runtime_crate_has_no_import_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("hypernodes-runtime/src");
    assert_eq!(sibling_cycles(&src), Vec::<Vec<String>>::new());
}
