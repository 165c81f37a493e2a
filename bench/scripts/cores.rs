// How much parallel speed-up does this machine really give one process right now? Times twice
// the work on two threads against the work on one:
// `rustc -O bench/scripts/cores.rs -o /tmp/cores && /tmp/cores`. Every batch (parse_many) figure
// is bounded by it. Seen here on 2026-11-28: 0.81x while another benchmark ran (two threads
// 166 ms, one 67 ms), 1.31x at load average 1.5 (103 ms and 68 ms); 2x would be two idle cores.
use std::time::Instant;
fn work(n: u64) -> u64 {
    let mut x = 0u64;
    for i in 0..n {
        x = x.wrapping_mul(6364136223846793005).wrapping_add(i);
    }
    x
}
fn main() {
    let t = Instant::now();
    std::thread::scope(|s| {
        let h = s.spawn(|| work(400_000_000));
        let a = work(400_000_000);
        println!("{} {}", a, h.join().unwrap());
    });
    println!("two threads: {:?}", t.elapsed());
    let t = Instant::now();
    println!("{}", work(400_000_000));
    println!("one: {:?}", t.elapsed());
}
