//! `primevox-webhooks`: parse webhook bodies, and run the local loop: `listen` for deliveries,
//! `trigger` them as PrimeVOX would, `replay` a capture, and stitch a capture into `calls`.
//!
//! Exit codes: 0 success; 1 a delivery or a parse failed; 2 a usage error (bad flag, unknown
//! kind, scenario or field, malformed URL, unreadable file).

mod calls;
mod capture;
mod codegen;
mod encode;
mod listen;
mod parse;
mod replay;
mod samples;
mod scenario;
mod send;
mod trigger;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// PrimeVOX webhooks on the command line: parse bodies, receive, simulate and replay deliveries.
#[derive(Parser)]
#[command(name = "primevox-webhooks", version, about, long_about = None)]
#[command(after_help = "\
Exit codes: 0 success; 1 a delivery or a parse failed; 2 a usage error.

The local loop:
  primevox-webhooks listen --port 8787 --save deliveries.jsonl
  primevox-webhooks trigger call:missed --to http://127.0.0.1:8787/ --speed 10
  primevox-webhooks calls deliveries.jsonl")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Parse(parse::Args),
    Encode(encode::Args),
    Schema(codegen::SchemaArgs),
    Codegen(codegen::Args),
    Listen(listen::Args),
    Trigger(trigger::Args),
    Replay(replay::Args),
    Calls(calls::Args),
}

/// Why a command stopped: the exit code and one line for stderr.
#[derive(Debug)]
pub struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    /// A usage error (exit 2): bad flags or values, unknown names, unreadable input files.
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            code: 2,
            message: message.into(),
        }
    }

    /// A failed operation (exit 1): deliveries that failed, an input that does not parse.
    /// An empty message prints nothing (the command already said what failed).
    pub fn failed(message: impl Into<String>) -> Self {
        Failure {
            code: 1,
            message: message.into(),
        }
    }
}

/// What every command returns.
pub type Outcome = Result<(), Failure>;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match cli.command {
        Command::Parse(a) => parse::run(a),
        Command::Encode(a) => encode::run(a),
        Command::Schema(a) => codegen::schema(a),
        Command::Codegen(a) => codegen::run(a),
        Command::Listen(a) => listen::run(a),
        Command::Trigger(a) => trigger::run(a),
        Command::Replay(a) => replay::run(a),
        Command::Calls(a) => calls::run(a),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            if !f.message.is_empty() {
                eprintln!("primevox-webhooks: {}", f.message);
            }
            ExitCode::from(f.code)
        }
    }
}

/// A single-threaded tokio runtime: the network commands wait on sockets, not on the CPU.
pub fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::failed(format!("cannot start the async runtime: {e}")))
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// Reads a file, or stdin for `-` or no path.
pub fn read_input(path: Option<&str>) -> Result<Vec<u8>, Failure> {
    use std::io::Read;
    match path {
        None | Some("-") => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Failure::usage(format!("cannot read stdin: {e}")))?;
            Ok(buf)
        }
        Some(p) => std::fs::read(p).map_err(|e| Failure::usage(format!("cannot read {p}: {e}"))),
    }
}
