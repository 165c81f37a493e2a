//! The Python router's per-kind `on` overloads are generated from the kind table: the block
//! between `BEGIN GENERATED` and `END GENERATED` in `_router.py` must be what the table gives now.
//! `PRIMEVOX_WRITE_GENERATED=1 cargo test -p primevox-webhooks --test router_codegen` rewrites it.

use primevox_webhooks::codegen;

const ROUTER_PY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../bindings-python/python/primevox_webhooks/_router.py"
);

#[test]
fn python_router_overloads_are_fresh() {
    let text = std::fs::read_to_string(ROUTER_PY).expect("_router.py exists");
    let begin = text
        .find("    # BEGIN GENERATED")
        .expect("BEGIN GENERATED line");
    let body_start = begin + text[begin..].find('\n').unwrap() + 1;
    let end = text
        .find("    # END GENERATED")
        .expect("END GENERATED line");
    assert!(body_start <= end, "END GENERATED before BEGIN GENERATED");
    let want = codegen::python_router_overloads();
    if text[body_start..end] == want {
        return;
    }
    if std::env::var_os("PRIMEVOX_WRITE_GENERATED").is_some() {
        let fresh = format!("{}{}{}", &text[..body_start], want, &text[end..]);
        std::fs::write(ROUTER_PY, fresh).unwrap();
        return;
    }
    panic!(
        "{ROUTER_PY}: the generated overloads are stale: run \
         `PRIMEVOX_WRITE_GENERATED=1 cargo test -p primevox-webhooks --test router_codegen`"
    );
}

#[test]
fn every_kind_has_its_overloads() {
    let block = codegen::python_router_overloads();
    for kind in primevox_webhooks::Kind::ALL {
        let lit = format!("Literal[\"{}\"]", kind.as_str());
        assert_eq!(block.matches(&lit).count(), 2, "{lit}");
        assert!(block.contains(&format!("Callable[[{}], _R]", kind.class_name())));
    }
}
