// How many cores does this machine really give one process? Two threads of pure arithmetic
// against one: `rustc -O bench/scripts/cores.rs -o /tmp/cores && /tmp/cores`. On the machines
// these benchmarks ran on, two threads took about 2x as long as one for twice the work, i.e. no
// parallel speed-up at all, which bounds every batch (parse_many) figure.
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
