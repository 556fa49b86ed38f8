//! The modules stand on floors: source → model → rules → reports →
//! commands. A module uses its own floor and the floors below, never one
//! above, and no two modules use each other (directly or round a longer
//! loop). Read from the `crate::` paths of `src/` (code only: comments and
//! `#[cfg(test)]` modules are left out, since tests may use the whole
//! crate). The README's layout section names the same floors.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::project_dir;

/// Bottom to top. `lib` is the crate root (`lint` and the lint result).
const FLOORS: &[(&str, &[&str])] = &[
    ("source", &["source", "parallel"]),
    ("model", &["model", "schema", "redact"]),
    (
        "rules",
        &[
            "meta",
            "finding",
            "fix",
            "autofix",
            "options",
            "host",
            "rules",
            "suppress",
            "live",
            "live_check",
            "lib",
        ],
    ),
    ("reports", &["report", "config_output"]),
    (
        "commands",
        &["inputs", "project", "cli", "run", "write", "main"],
    ),
];

/// Module cycles still being removed elsewhere, each with who removes it.
/// The test fails once one is gone, so that its entry goes too.
const CYCLES_BEING_REMOVED: &[(&str, &str)] = &[];

fn floor_of(module: &str) -> Option<usize> {
    FLOORS.iter().position(|(_, ms)| ms.contains(&module))
}

/// The code of a file: comments dropped, and everything from the first
/// `#[cfg(test)]` on (test modules close every file that has one).
fn code(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or_default();
    let mut out = String::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        // A trailing comment; `//` inside a string (URLs) is rare in a path
        // line and harmless: it can only hide a path, never invent one.
        out.push_str(line.split(" // ").next().unwrap_or_default());
        out.push('\n');
    }
    out
}

/// The first path segments after every `crate::` (not `$crate::`), with
/// `crate::{a, b::c}` groups expanded, and macros (`crate::name!`) left out.
fn crate_paths(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        let before = &rest[..i];
        rest = &rest[i + "crate::".len()..];
        if before.ends_with('$') || before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue;
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item = String::new();
            let mut items = Vec::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => items.push(std::mem::take(&mut item)),
                    _ if depth == 1 => item.push(c),
                    _ => {}
                }
            }
            items.push(item);
            for item in items {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() && name != "self" {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !rest[name.len()..].starts_with('!') {
                out.insert(name);
            }
        }
    }
    out
}

/// The module a crate-root name belongs to: a module of its own, the module
/// a `pub use` in lib.rs re-exports it from, or the root itself.
fn resolve(name: &str, modules: &BTreeSet<String>, reexports: &BTreeMap<String, String>) -> String {
    if modules.contains(name) {
        name.to_string()
    } else {
        reexports
            .get(name)
            .cloned()
            .unwrap_or_else(|| "lib".to_string())
    }
}

/// Each top-level module (`src/x.rs` or `src/x/`) with the modules it uses.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = project_dir().join("src");
    let mut modules = BTreeSet::new();
    for entry in std::fs::read_dir(&src).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() || path.extension().is_some_and(|e| e == "rs") {
            modules.insert(stem);
        }
    }
    // `pub use module::{Name, ...};` and `pub use module::Name;` in lib.rs.
    let lib = code(&std::fs::read_to_string(src.join("lib.rs")).unwrap());
    let mut reexports = BTreeMap::new();
    for line in lib.lines() {
        let Some(path) = line.trim().strip_prefix("pub use ") else {
            continue;
        };
        let (module, names) = path.trim_end_matches(';').split_once("::").unwrap();
        for name in names.trim_matches(|c| c == '{' || c == '}').split(',') {
            let name = name.trim().rsplit("::").next().unwrap().to_string();
            reexports.insert(name, module.to_string());
        }
    }
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        let text = std::fs::read_to_string(&file).unwrap();
        let text = if module == "main" {
            // The binary names the library `glance_lint::`.
            text.replace("glance_lint::", "crate::")
        } else {
            text
        };
        let uses = graph.entry(module.clone()).or_default();
        for name in crate_paths(&code(&text)) {
            let target = resolve(&name, &modules, &reexports);
            if target != module {
                uses.insert(target);
            }
        }
    }
    graph
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_stands_on_a_floor() {
    for module in graph().keys() {
        assert!(
            floor_of(module).is_some(),
            "src/{module}: put it on a floor in tests/layering.rs (and the README's layout)"
        );
    }
}

#[test]
fn no_module_uses_a_floor_above_its_own() {
    let mut upward = Vec::new();
    for (module, uses) in graph() {
        let Some(floor) = floor_of(&module) else {
            continue;
        };
        for used in uses {
            if floor_of(&used).is_some_and(|f| f > floor) {
                upward.push(format!(
                    "{module} ({}) uses {used} ({})",
                    FLOORS[floor].0,
                    FLOORS[floor_of(&used).unwrap()].0
                ));
            }
        }
    }
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn no_module_cycles() {
    let graph = graph();
    // Every module that can reach itself, with the loop found.
    let mut cycles = BTreeSet::new();
    for start in graph.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((at, path)) = stack.pop() {
            for next in graph.get(&at).into_iter().flatten() {
                if next == start {
                    let mut members: Vec<_> = path.clone();
                    members.sort();
                    cycles.insert(members);
                } else if seen.insert(next.clone()) {
                    let mut p = path.clone();
                    p.push(next.clone());
                    stack.push((next.clone(), p));
                }
            }
        }
    }
    let known: BTreeSet<Vec<String>> = CYCLES_BEING_REMOVED
        .iter()
        .map(|(a, b)| {
            let mut v = vec![a.to_string(), b.to_string()];
            v.sort();
            v
        })
        .collect();
    let new: Vec<_> = cycles.difference(&known).collect();
    assert!(new.is_empty(), "module cycles: {new:?}");
    for k in &known {
        assert!(
            cycles.contains(k),
            "the cycle {k:?} is gone: remove it from CYCLES_BEING_REMOVED"
        );
    }
}

/// The scanner itself: grouped, nested and macro paths.
#[test]
fn crate_paths_are_read_like_rustc_reads_them() {
    let code = code(
        "use crate::{model::{views, Entry}, rules::RuleMeta, Severity};\n\
         // use crate::commented::Out;\n\
         let r = crate::lazy_regex!(\"x\");\n\
         use $crate::rules::Category;\n\
         let c = crate::schema::catalogue();\n\
         #[cfg(test)]\nmod tests { use crate::run; }\n",
    );
    assert_eq!(
        crate_paths(&code),
        ["Severity", "model", "rules", "schema"]
            .into_iter()
            .map(String::from)
            .collect()
    );
}

#[test]
fn the_readme_names_the_floors() {
    let readme = std::fs::read_to_string(project_dir().join("README.md")).unwrap();
    let floors = FLOORS
        .iter()
        .map(|(f, _)| *f)
        .collect::<Vec<_>>()
        .join(" → ");
    assert!(
        readme.contains(&floors),
        "README.md should name the floors: {floors}"
    );
}
