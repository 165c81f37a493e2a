//! parse_many gives exactly what one parse per item gives, in order, on the threaded path too.

use primevox_webhooks::{parse_many, parse_with, ParseOptions};

#[test]
fn batch_matches_single_calls_in_order() {
    let bodies: Vec<(Vec<u8>, Option<&str>)> = (0..3000)
        .map(|i| match i % 4 {
            0 => (
                format!("eventType=HangupCall&containerId={i}&tenantId=7&callUuid=u{i}&callerIdNum=+15125550{:03}", i % 1000).into_bytes(),
                Some("application/x-www-form-urlencoded"),
            ),
            1 => (
                format!(r#"{{"eventType":"inboundMessage","toNumber":"+15125550100","fromNumber":"5125550199","containerID":{i},"tenantID":"9","messageText":"msg {i} {}"}}"#, "x".repeat(i % 300)).into_bytes(),
                Some("application/json"),
            ),
            2 => (b"not a webhook".to_vec(), None),
            _ => (format!("eventType=queueEntered&containerId={i}").into_bytes(), None),
        })
        .collect();
    let items: Vec<(&[u8], Option<&str>)> =
        bodies.iter().map(|(b, ct)| (b.as_slice(), *ct)).collect();
    let options = ParseOptions::default();
    let batch = parse_many(&items, &options);
    assert_eq!(batch.len(), items.len());
    for (i, ((b, ct), got)) in items.iter().zip(&batch).enumerate() {
        assert_eq!(got, &parse_with(b, *ct, &options), "item {i}");
    }
    assert!(batch.iter().filter(|r| r.is_ok()).count() == 1500);
}

fn big_batch() -> Vec<(Vec<u8>, Option<&'static str>)> {
    // Enough bytes for several threads and chunks (each body is about 200 bytes).
    (0..4000)
        .map(|i| {
            let body = if i % 5 == 3 {
                b"not a webhook".to_vec()
            } else {
                format!(
                    "eventType=HangupCall&containerId={i}&tenantId=7&callUuid=u{i}&callerIdName={}",
                    "N".repeat(150)
                )
                .into_bytes()
            };
            (body, Some("application/x-www-form-urlencoded"))
        })
        .collect()
}

#[test]
fn pipelined_batch_hands_over_every_chunk_in_order() {
    let bodies = big_batch();
    let items: Vec<(&[u8], Option<&str>)> =
        bodies.iter().map(|(b, ct)| (b.as_slice(), *ct)).collect();
    let options = ParseOptions::default();
    let mut got = Vec::new();
    let mut firsts = Vec::new();
    let outcome: Result<(), ()> =
        primevox_webhooks::parse_many_pipelined(&items, &options, |first, results| {
            assert_eq!(first, got.len(), "chunks arrive in order");
            firsts.push(first);
            got.extend(results);
            Ok(())
        });
    assert!(outcome.is_ok());
    assert_eq!(got, parse_many(&items, &options));
    // On a machine with one core the batch is handed over at once; otherwise in chunks.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    if cores > 1 {
        let want: Vec<usize> = (0..items.len())
            .step_by(primevox_webhooks::PIPELINE_CHUNK)
            .collect();
        assert_eq!(firsts, want);
    }
}

#[test]
fn pipelined_batch_stops_at_the_first_consumer_error() {
    let bodies = big_batch();
    let items: Vec<(&[u8], Option<&str>)> =
        bodies.iter().map(|(b, ct)| (b.as_slice(), *ct)).collect();
    let mut calls = 0;
    let outcome =
        primevox_webhooks::parse_many_pipelined(&items, &ParseOptions::default(), |first, _| {
            calls += 1;
            Err(first)
        });
    assert_eq!(outcome, Err(0));
    assert_eq!(calls, 1);
}

#[test]
fn pipelined_batch_reraises_a_consumer_panic_without_hanging() {
    let bodies = big_batch();
    let items: Vec<(&[u8], Option<&str>)> =
        bodies.iter().map(|(b, ct)| (b.as_slice(), *ct)).collect();
    let caught = std::panic::catch_unwind(|| {
        let _: Result<(), ()> = primevox_webhooks::parse_many_pipelined(
            &items,
            &ParseOptions::default(),
            |first, _| {
                if first > 0 {
                    panic!("consumer panic");
                }
                Ok(())
            },
        );
    });
    assert!(caught.is_err(), "the consumer's panic reaches the caller");
}

#[test]
fn pipelined_batch_many_sizes_from_several_threads_finish() {
    // Deadlock stress: sizes below, at and across the chunks, from 4 threads at once; each run
    // checked against parse_many. (The Python suite runs the same under GIL contention.)
    let bodies = big_batch();
    let items: Vec<(&[u8], Option<&str>)> =
        bodies.iter().map(|(b, ct)| (b.as_slice(), *ct)).collect();
    let options = ParseOptions::default();
    let chunk = primevox_webhooks::PIPELINE_CHUNK;
    let sizes = [
        0,
        1,
        chunk - 1,
        chunk,
        chunk + 1,
        2 * chunk + 1,
        items.len(),
    ];
    std::thread::scope(|s| {
        for t in 0..4 {
            let (items, options, sizes) = (&items, &options, &sizes);
            s.spawn(move || {
                for round in 0..10 {
                    let n = sizes[(t + round) % sizes.len()].min(items.len());
                    let mut got = Vec::new();
                    let r: Result<(), ()> = primevox_webhooks::parse_many_pipelined(
                        &items[..n],
                        options,
                        |first, results| {
                            assert_eq!(first, got.len());
                            got.extend(results);
                            Ok(())
                        },
                    );
                    assert!(r.is_ok());
                    assert_eq!(got, parse_many(&items[..n], options));
                }
            });
        }
    });
}
