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
  primevox-webhooks codegen [ROOT]      rewrites every file and section generated from the kind table
      (core/generated/, the Python classes and stubs, the README's tables) under the repository
      root ROOT (default: the current directory)
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
    let root = std::path::PathBuf::from(args.first().map_or(".", String::as_str));
    if !root.join("core/src/kind.rs").is_file() {
        eprintln!(
            "codegen: {} is not the repository root (no core/src/kind.rs)",
            root.display()
        );
        return ExitCode::from(2);
    }
    match codegen::write_all(&root) {
        Ok(changed) => {
            for path in &changed {
                println!("wrote {}", path.display());
            }
            if changed.is_empty() {
                println!("every generated file is up to date");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("codegen: {e}");
            ExitCode::from(2)
        }
    }
}
