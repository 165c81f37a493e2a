//! Running the built binary in tests: bounded in time, servers on 127.0.0.1, stopped by PID.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_primevox-webhooks");

/// What a finished command gave.
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs the CLI to the end (at most 60 s), feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Out {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the CLI starts");
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_vec();
    std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let out = wait_bounded(child, Duration::from_secs(60), args);
    assert!(
        !out.stderr.contains("panicked"),
        "{args:?} panicked: {}",
        out.stderr
    );
    out
}

fn wait_bounded(mut child: Child, limit: Duration, what: &[&str]) -> Out {
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let o = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stdout.read_to_string(&mut s);
        s
    });
    let e = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = stderr.read_to_string(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Out {
        code: status.code().unwrap_or(-1),
        stdout: o.join().unwrap(),
        stderr: e.join().unwrap(),
    }
}

/// A running `listen --port 0`, stopped (SIGTERM, then kill) when dropped.
pub struct Listener {
    child: Option<Child>,
    lines: mpsc::Receiver<String>,
    pub url: String,
    pub port: u16,
}

impl Listener {
    /// Starts `listen --port 0 ARGS` and waits (at most 30 s) for its `listening on` line.
    pub fn start(args: &[&str]) -> Listener {
        let mut child = Command::new(BIN)
            .args(["listen", "--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("listen starts");
        let (tx, lines) = mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let first = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("listen prints its address");
        let url = first
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("first line: {first}"))
            .to_owned();
        let port = url
            .trim_start_matches("http://127.0.0.1:")
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap_or_else(|_| panic!("a port in {url}"));
        Listener {
            child: Some(child),
            lines,
            url,
            port,
        }
    }

    /// The next `n` lines printed after the address, waiting at most 20 s in all.
    pub fn next_lines(&self, n: usize) -> Vec<String> {
        let end = Instant::now() + Duration::from_secs(20);
        (0..n)
            .map(|i| {
                let left = end.saturating_duration_since(Instant::now());
                self.lines
                    .recv_timeout(left)
                    .unwrap_or_else(|_| panic!("line {} of {n} from listen", i + 1))
            })
            .collect()
    }

    /// Stops it with SIGTERM; returns its exit code and stderr (at most 10 s).
    pub fn stop(self) -> (i32, String) {
        self.stop_with("TERM")
    }

    /// Stops it with a signal (TERM, INT); returns its exit code and stderr (at most 10 s).
    pub fn stop_with(mut self, signal: &str) -> (i32, String) {
        let mut child = self.child.take().unwrap();
        send_signal(&child, signal);
        let mut err = child.stderr.take().unwrap();
        let start = Instant::now();
        let status = loop {
            if let Some(s) = child.try_wait().unwrap() {
                break s;
            }
            if start.elapsed() > Duration::from_secs(10) {
                let _ = child.kill();
                let _ = child.wait();
                panic!("listen did not stop within 10 s of SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        (status.code().unwrap_or(-1), s)
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn send_signal(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "kill -{signal} {}", child.id());
}

/// A scratch directory for one test.
pub fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The lines of a capture, as JSON.
pub fn saved(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A raw HTTP/1.1 exchange (the test's own client, to send what no well-behaved client would):
/// returns the status line and the whole answer.
pub fn raw_http(port: u16, request: &[u8]) -> String {
    let mut s = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}
