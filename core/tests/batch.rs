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
