//! `primevox-webhooks`: parse a webhook body from a file or stdin into canonical JSON.

use std::io::{Read, Write};
use std::process::ExitCode;

use primevox_webhooks::{api, codegen, parse_with, ErrorCode, ParseError, ParseOptions};

const USAGE: &str = "\
usage:
  primevox-webhooks parse [FILE|-] [--content-type T] [--strict] [--max-body-bytes N]
      prints the event's canonical JSON and exits 0, or prints
      {\"error\": {\"code\", \"field\", \"message\"}} and exits 1
  primevox-webhooks encode [FILE|-]     canonical JSON in, the vendor's wire body out
  primevox-webhooks schema              the JSON Schema of the canonical event
  primevox-webhooks codegen [DIR]       writes event.schema.json, events.d.ts, event-builder.{cjs,mjs},
      openapi.json and asyncapi.json (default core/generated; run from the repository's root)
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("parse") => parse_cmd(&args[1..]),
        Some("encode") => encode_cmd(&args[1..]),
        Some("schema") => {
            print!("{}", codegen::json_schema());
            ExitCode::SUCCESS
        }
        Some("codegen") => codegen_cmd(&args[1..]),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            ExitCode::SUCCESS
        }
        _ => {
            eprint!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn read_input(path: Option<&str>) -> std::io::Result<Vec<u8>> {
    match path {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin().read_to_end(&mut buf)?;
            Ok(buf)
        }
        Some(p) => std::fs::read(p),
    }
}

fn print_error(e: &ParseError) -> ExitCode {
    println!("{{\"error\":{}}}", api::error_to_json(e));
    ExitCode::from(1)
}

fn parse_cmd(args: &[String]) -> ExitCode {
    let mut file = None;
    let mut content_type = None;
    let mut options = ParseOptions::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--strict" => options.strict = true,
            "--content-type" => content_type = it.next().cloned(),
            "--max-body-bytes" => match it.next().and_then(|n| n.parse().ok()) {
                Some(n) => options.max_body_bytes = n,
                None => {
                    eprintln!("--max-body-bytes takes a whole number");
                    return ExitCode::from(2);
                }
            },
            s if s.starts_with("--") && s.len() > 2 => {
                eprintln!("unknown option {s}\n{USAGE}");
                return ExitCode::from(2);
            }
            s => file = Some(s.to_owned()),
        }
    }
    let body = match read_input(file.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {}: {e}", file.as_deref().unwrap_or("stdin"));
            return ExitCode::from(2);
        }
    };
    match parse_with(&body, content_type.as_deref(), &options) {
        Ok(event) => {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{}", event.to_json());
            ExitCode::SUCCESS
        }
        Err(e) => print_error(&e),
    }
}

fn encode_cmd(args: &[String]) -> ExitCode {
    let body = match read_input(args.first().map(String::as_str)) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read input: {e}");
            return ExitCode::from(2);
        }
    };
    let Ok(text) = String::from_utf8(body) else {
        return print_error(&ParseError::new(
            ErrorCode::InvalidJson,
            None,
            "canonical JSON must be UTF-8",
        ));
    };
    match api::encode_json(text.trim()) {
        Ok(enc) => {
            eprintln!("Content-Type: {}", enc.content_type);
            println!("{}", enc.body);
            ExitCode::SUCCESS
        }
        Err(e) => print_error(&e),
    }
}

fn codegen_cmd(args: &[String]) -> ExitCode {
    let dir = std::path::PathBuf::from(args.first().map_or("core/generated", String::as_str));
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
        if let Err(e) =
            std::fs::create_dir_all(&dir).and_then(|_| std::fs::write(dir.join(name), text))
        {
            eprintln!("cannot write {}: {e}", dir.join(name).display());
            return ExitCode::from(2);
        }
        println!("wrote {}", dir.join(name).display());
    }
    write_api_documents(&dir)
}

/// `openapi.json` and `asyncapi.json`, whose examples are the payloads of `examples/` (run from
/// the repository's root).
fn write_api_documents(dir: &std::path::Path) -> ExitCode {
    use primevox_webhooks::openapi;
    let examples = match openapi::read_examples(std::path::Path::new("examples")) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("cannot read examples/ (run codegen from the repository's root): {e}");
            return ExitCode::from(2);
        }
    };
    let openapi_doc = openapi::openapi_document(&examples);
    for (path, doc) in [
        (dir.join("openapi.json"), openapi_doc.clone()),
        (
            dir.join("asyncapi.json"),
            openapi::asyncapi_document(&examples),
        ),
        // The Python package ships a copy: its FastAPI helper documents a delivery from it.
        (
            std::path::PathBuf::from(openapi::PYTHON_PACKAGE_COPY),
            openapi_doc,
        ),
    ] {
        let written = doc.and_then(|text| std::fs::write(&path, text).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!("cannot write {}: {e}", path.display());
            return ExitCode::from(2);
        }
        println!("wrote {}", path.display());
    }
    ExitCode::SUCCESS
}
