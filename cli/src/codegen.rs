//! `schema` and `codegen`: the files generated from the kind table.

use std::path::PathBuf;

use primevox_webhooks::codegen;

use crate::{Failure, Outcome};

/// Print the JSON Schema of the canonical event.
#[derive(clap::Args)]
pub struct SchemaArgs {}

/// Rewrite every file and section generated from the kind table.
///
/// That is core/generated/, the Python classes and stubs and the README's tables, under the
/// repository root ROOT.
#[derive(clap::Args)]
pub struct Args {
    /// The repository root (the folder holding core/src/kind.rs).
    #[arg(value_name = "ROOT", default_value = ".")]
    root: PathBuf,
}

pub fn schema(_: SchemaArgs) -> Outcome {
    print!("{}", codegen::json_schema());
    Ok(())
}

pub fn run(a: Args) -> Outcome {
    let root = a.root;
    if !root.join("core/src/kind.rs").is_file() {
        return Err(Failure::usage(format!(
            "codegen: {} is not the repository root (no core/src/kind.rs)",
            root.display()
        )));
    }
    let changed = codegen::write_all(&root).map_err(|e| Failure::usage(format!("codegen: {e}")))?;
    for path in &changed {
        println!("wrote {}", path.display());
    }
    if changed.is_empty() {
        println!("every generated file is up to date");
    }
    Ok(())
}
