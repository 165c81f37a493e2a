//! `schema` and `codegen`: the files generated from the kind table.

use std::path::PathBuf;

use primevox_webhooks::codegen;

use crate::{Failure, Outcome};

/// Print the JSON Schema of the canonical event.
#[derive(clap::Args)]
pub struct SchemaArgs {}

/// Write event.schema.json, events.d.ts and event-builder.{cjs,mjs}.
#[derive(clap::Args)]
pub struct Args {
    /// The folder to write into.
    #[arg(value_name = "DIR", default_value = "core/generated")]
    dir: PathBuf,
}

pub fn schema(_: SchemaArgs) -> Outcome {
    print!("{}", codegen::json_schema());
    Ok(())
}

pub fn run(a: Args) -> Outcome {
    let dir = a.dir;
    let files = [
        ("event.schema.json", codegen::json_schema()),
        ("events.d.ts", codegen::typescript_types()),
        (
            "event-builder.cjs",
            codegen::js_event_builder(codegen::JsModule::CommonJs),
        ),
        (
            "event-builder.mjs",
            codegen::js_event_builder(codegen::JsModule::Esm),
        ),
    ];
    for (name, text) in files {
        std::fs::create_dir_all(&dir)
            .and_then(|_| std::fs::write(dir.join(name), text))
            .map_err(|e| {
                Failure::usage(format!("cannot write {}: {e}", dir.join(name).display()))
            })?;
        println!("wrote {}", dir.join(name).display());
    }
    Ok(())
}
