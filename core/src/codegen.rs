//! Every file (or marked section of a file) generated from the kind and field declaration
//! ([`crate::kind_table!`]), checked in so that bindings, users and docs share one definition.
//!
//! [`outputs`] lists them with their paths in the repository; [`write_all`] rewrites them (the
//! `primevox-webhooks codegen` command) and [`stale`] lists those that differ (a test fails on
//! any). A section sits between a line containing `BEGIN GENERATED <name>` and one containing
//! `END GENERATED <name>`, in whatever comment syntax the file uses; the rest of that file is
//! written by hand.

use std::path::{Path, PathBuf};

use crate::error::ErrorCode;
use crate::json::write_str;
use crate::kind::Kind;

mod python;
mod readme;

pub use python::{literals, package_classes, pyo3_classes, stub_classes};
pub use readme::event_tables;

/// Where generated text goes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Target {
    /// The whole file.
    File,
    /// The lines between the `BEGIN GENERATED <name>` and `END GENERATED <name>` marker lines.
    Section(&'static str),
}

/// One generated file or section.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Output {
    /// The path, relative to the repository root, with `/` separators.
    pub path: &'static str,
    /// The whole file or one marked section of it.
    pub target: Target,
    /// The generated text.
    pub text: String,
}

/// Every generated file and section.
pub fn outputs() -> Vec<Output> {
    let file = |path, text| Output {
        path,
        target: Target::File,
        text,
    };
    let section = |path, name, text| Output {
        path,
        target: Target::Section(name),
        text,
    };
    vec![
        file("core/generated/event.schema.json", json_schema()),
        file("core/generated/events.d.ts", typescript_types()),
        file(
            "core/generated/event-builder.cjs",
            js_event_builder(JsModule::CommonJs),
        ),
        file(
            "core/generated/event-builder.mjs",
            js_event_builder(JsModule::Esm),
        ),
        file("bindings-python/src/kind_classes.rs", pyo3_classes()),
        section(
            "bindings-python/python/primevox_webhooks/_native.pyi",
            "all",
            python::all_entries("    "),
        ),
        section(
            "bindings-python/python/primevox_webhooks/_native.pyi",
            "classes",
            stub_classes(),
        ),
        section(
            "bindings-python/python/primevox_webhooks/_error.py",
            "literals",
            literals(),
        ),
        section(
            "bindings-python/python/primevox_webhooks/__init__.py",
            "classes",
            package_classes(),
        ),
        section(
            "bindings-python/python/primevox_webhooks/__init__.py",
            "all",
            python::all_entries("    "),
        ),
        section("README.md", "event tables", event_tables()),
    ]
}

/// `current` with `output` applied: the new text of its file. `None` when a section's markers
/// are missing.
pub fn apply(current: &str, output: &Output) -> Option<String> {
    let Target::Section(name) = output.target else {
        return Some(output.text.clone());
    };
    let begin = format!("BEGIN GENERATED {name}");
    let end = format!("END GENERATED {name}");
    let mut lines = current.split_inclusive('\n');
    let mut out = String::with_capacity(current.len() + output.text.len());
    for line in lines.by_ref() {
        out.push_str(line);
        if line.contains(&begin) {
            out.push_str(&output.text);
            for line in lines.by_ref() {
                if line.contains(&end) {
                    out.push_str(line);
                    out.extend(lines);
                    return Some(out);
                }
            }
            return None;
        }
    }
    None
}

fn read(root: &Path, path: &str) -> std::io::Result<String> {
    match std::fs::read_to_string(root.join(path)) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        other => other,
    }
}

fn missing_markers(path: &str, output: &Output) -> std::io::Error {
    std::io::Error::other(format!(
        "{path}: no BEGIN GENERATED / END GENERATED marker lines for {:?}",
        output.target
    ))
}

/// Rewrites every generated file and section under the repository root `root`; returns the
/// paths it changed.
pub fn write_all(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for output in outputs() {
        let path = root.join(output.path);
        let current = read(root, output.path)?;
        let new = apply(&current, &output).ok_or_else(|| missing_markers(output.path, &output))?;
        if new != current {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::write(&path, new)?;
            if !changed.contains(&path) {
                changed.push(path);
            }
        }
    }
    Ok(changed)
}

/// The generated files and sections under `root` that differ from what the declaration
/// generates now (or cannot be read), as `path` or `path [section]`.
pub fn stale(root: &Path) -> Vec<String> {
    outputs()
        .into_iter()
        .filter(|output| {
            let current = read(root, output.path).unwrap_or_default();
            apply(&current, output).map_or(true, |new| new != current)
        })
        .map(|output| match output.target {
            Target::File => output.path.to_owned(),
            Target::Section(name) => format!("{} [{name}]", output.path),
        })
        .collect()
}

/// One line describing a kind, for generated documentation (the declaration's description).
pub fn kind_description(kind: Kind) -> &'static str {
    kind.description()
}

/// The JSON Schema (draft 2020-12) of the canonical event JSON.
pub fn json_schema() -> String {
    let mut s = String::new();
    s.push_str("{\n  \"$comment\": \"Generated by primevox-webhooks codegen from core/src/kind.rs; do not edit. Regenerate: cargo run -p primevox-webhooks-cli -- codegen\",\n");
    s.push_str("  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n");
    s.push_str("  \"$id\": \"primevox-webhooks/event.schema.json\",\n");
    s.push_str("  \"title\": \"PrimeVOX webhook event (canonical JSON)\",\n");
    s.push_str("  \"oneOf\": [\n");
    for (i, kind) in Kind::ALL.iter().enumerate() {
        s.push_str("    {\n      \"title\": \"");
        s.push_str(kind.class_name());
        s.push_str("\",\n      \"description\": ");
        write_str(&mut s, kind.description());
        s.push_str(",\n      \"type\": \"object\",\n      \"additionalProperties\": false,\n");
        s.push_str("      \"required\": [\"kind\", \"eventType\"");
        for f in kind.fields() {
            s.push_str(", \"");
            s.push_str(f.camel_name());
            s.push('"');
        }
        s.push_str(", \"extra\"],\n      \"properties\": {\n");
        s.push_str("        \"kind\": { \"const\": \"");
        s.push_str(kind.as_str());
        s.push_str("\" },\n        \"eventType\": { \"type\": \"string\", \"minLength\": 1 },\n");
        for f in kind.fields() {
            s.push_str("        \"");
            s.push_str(f.camel_name());
            if kind.is_required(*f) {
                s.push_str("\": { \"type\": \"string\", \"minLength\": 1, \"description\": ");
            } else {
                s.push_str(
                    "\": { \"type\": [\"string\", \"null\"], \"minLength\": 1, \"description\": ",
                );
            }
            write_str(&mut s, f.description());
            s.push_str(" },\n");
        }
        s.push_str("        \"extra\": { \"$ref\": \"#/$defs/extra\" }\n      }\n    }");
        s.push_str(if i + 1 < Kind::ALL.len() { ",\n" } else { "\n" });
    }
    s.push_str("  ],\n  \"$defs\": {\n    \"extra\": {\n");
    s.push_str("      \"description\": \"Fields the kind does not recognise, in the order received: [wire name, value].\",\n");
    s.push_str("      \"type\": \"array\",\n      \"items\": {\n        \"type\": \"array\",\n");
    s.push_str("        \"prefixItems\": [{ \"type\": \"string\" }, true],\n");
    s.push_str("        \"minItems\": 2,\n        \"maxItems\": 2\n      }\n    }\n  }\n}\n");
    s
}

/// TypeScript declarations of the canonical event (one interface per kind, a discriminated
/// union on `kind`), shared by the Node and WebAssembly packages.
pub fn typescript_types() -> String {
    let mut s = String::new();
    s.push_str("// Generated by primevox-webhooks codegen from core/src/kind.rs; do not edit.\n");
    s.push_str("// Regenerate: cargo run -p primevox-webhooks-cli -- codegen\n\n");
    s.push_str("/** Any JSON value (non-string values of unrecognised JSON fields). */\n");
    s.push_str("export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };\n\n");
    s.push_str("/** An unrecognised field: its wire name, verbatim, and its value. */\n");
    s.push_str("export type ExtraField = [name: string, value: JsonValue];\n\n");
    for kind in Kind::ALL {
        s.push_str("/** ");
        s.push_str(kind.description());
        s.push_str(" */\nexport interface ");
        s.push_str(kind.class_name());
        s.push_str(" {\n  kind: \"");
        s.push_str(kind.as_str());
        s.push_str("\";\n  /** The wire `eventType`, verbatim. */\n  eventType: string;\n");
        for f in kind.fields() {
            s.push_str("  /** ");
            s.push_str(f.description());
            s.push_str(" */\n  ");
            s.push_str(f.camel_name());
            s.push_str(if kind.is_required(*f) {
                ": string;\n"
            } else {
                ": string | null;\n"
            });
        }
        s.push_str("  /** Fields this kind does not recognise, in the order received. */\n");
        s.push_str("  extra: ExtraField[];\n}\n\n");
    }
    s.push_str("/** Every event `parse` can return; `switch (event.kind)` narrows it. */\nexport type Event =\n");
    for kind in Kind::ALL {
        s.push_str("  | ");
        s.push_str(kind.class_name());
        s.push('\n');
    }
    s.push_str(
        ";\n\n/** The stable kind strings. */\nexport type EventKind = Event[\"kind\"];\n\n",
    );
    s.push_str("/** The stable error codes, identical in every language. */\nexport type ParseErrorCode =\n");
    for c in ErrorCode::ALL {
        s.push_str("  | \"");
        s.push_str(c.as_str());
        s.push_str("\"\n");
    }
    s.push_str(";\n\n/** Parse options. */\nexport interface ParseOptions {\n");
    s.push_str(
        "  /** Reject anything not exactly as documented. Default false. */\n  strict?: boolean;\n",
    );
    s.push_str(
        "  /** Largest body accepted, in bytes. Default 65536. */\n  maxBodyBytes?: number;\n",
    );
    s.push_str("  /** Deepest JSON nesting accepted. Default 32. */\n  maxDepth?: number;\n}\n");
    s
}

/// Which module system a generated JavaScript file is for.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum JsModule {
    /// CommonJS (`module.exports`), for the Node package.
    CommonJs,
    /// An ES module (`export`), for the WebAssembly package.
    Esm,
}

/// JavaScript that builds the canonical event object from [`crate::ffi::js::write_layout`]'s
/// values string and table: one object literal per kind, so every event of a kind has the same
/// shape, and keys in canonical order (`JSON.stringify` gives the canonical JSON).
pub fn js_event_builder(module: JsModule) -> String {
    let mut s = String::new();
    s.push_str("// Generated by primevox-webhooks codegen from core/src/kind.rs; do not edit.\n");
    s.push_str("// Regenerate: cargo run -p primevox-webhooks-cli -- codegen\n");
    if module == JsModule::CommonJs {
        s.push_str("'use strict';\n");
    }
    s.push_str("\nconst NULL = 0xffffffff;\n\n");
    s.push_str(
        "function extraOf(s, t, i, at) {\n  const n = t[1];\n  const extra = new Array(n);\n",
    );
    s.push_str("  for (let x = 0; x < n; x++, i += 3) {\n    const nameEnd = t[i];\n    const valueEnd = t[i + 1];\n");
    s.push_str("    const text = s.slice(nameEnd, valueEnd);\n");
    s.push_str(
        "    extra[x] = [s.slice(at, nameEnd), t[i + 2] === 1 ? JSON.parse(text) : text];\n",
    );
    s.push_str("    at = valueEnd;\n  }\n  return extra;\n}\n\n");
    s.push_str(
        "/** The canonical event object from a values string `s` and its layout table `t`. */\n",
    );
    if module == JsModule::Esm {
        s.push_str("export ");
    }
    s.push_str("function eventOf(s, t) {\n  let at = t[2];\n  let end;\n  const eventType = s.slice(0, at);\n  switch (t[0]) {\n");
    for (k, kind) in Kind::ALL.iter().enumerate() {
        s.push_str(&format!("    case {k}: {{\n"));
        for (i, f) in kind.fields().iter().enumerate() {
            let name = f.camel_name();
            s.push_str(&format!(
                "      let {name} = null;\n      if ((end = t[{}]) !== NULL) {{ {name} = s.slice(at, end); at = end; }}\n",
                3 + i
            ));
        }
        s.push_str(&format!(
            "      return {{ kind: '{}', eventType",
            kind.as_str()
        ));
        for f in kind.fields() {
            s.push_str(", ");
            s.push_str(f.camel_name());
        }
        s.push_str(&format!(
            ", extra: extraOf(s, t, {}, at) }};\n    }}\n",
            3 + kind.fields().len()
        ));
    }
    s.push_str("    default:\n      throw new Error(`primevox-webhooks: unknown kind index ${t[0]}`);\n  }\n}\n");
    if module == JsModule::CommonJs {
        s.push_str("\nmodule.exports = { eventOf };\n");
    }
    s
}
